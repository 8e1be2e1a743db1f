#!/usr/bin/env bash
# A full disk: scripts/plot leaves no chart under its final name that is
# not whole (no 0-byte PNG or SVG), no temporary copy, says "No space
# left on device" and exits 1; pvt's CSV the same. On a 2 MiB tmpfs,
# which needs root to mount: skipped with a note otherwise.
. "$(dirname "$0")/lib.sh"

plot=$(cd "$(dirname "$0")/../../scripts" && pwd)/plot
mnt=$TMP/full
mkdir "$mnt"
if [ "$(id -u)" -ne 0 ] || ! mount -t tmpfs -o size=2m pvt-full "$mnt" 2> /dev/null; then
	echo "fulldisk: skipped: mounting a small tmpfs needs root"
	exit 0
fi
trap 'umount "$mnt" 2> /dev/null; rm -rf "$TMP"' EXIT

# fill: writes until the disk is full
fill() { dd if=/dev/zero of="$mnt/pad" bs=1k 2> /dev/null || true; }
# bad_files DIR: any file there that is empty or temporary
bad_files() { find "$1" \( -type f -size 0 -o -name '.*' \) 2> /dev/null; }

"$PVT" run square --models sequential,process,thread --workers 1,2 \
	--tasks 4 --size 1Mi --repeat 2 --warmup 0 --timeline --quiet \
	--out "$TMP/r" > /dev/null 2>&1
check "a run to draw" [ -s "$TMP/r/square.summary.csv" ]
cp -r "$TMP/r" "$mnt/r"
fill
"$plot" "$mnt/r" > "$TMP/plot.out" 2> "$TMP/plot.err"
check "plot on a full disk: exit 1" [ $? -eq 1 ]
check "plot: says the disk is full" grep -q "No space left on device" "$TMP/plot.err"
check "plot: no other reason given" sh -c "! grep -q 'Input/output error' '$TMP/plot.err'"
check "plot: no chart claimed" sh -c "! grep -q 'chart(s) in' '$TMP/plot.out'"
check "plot: no empty or temporary file" [ -z "$(bad_files "$mnt/r")" ]
check "plot: no chart under its final name" [ -z "$(ls -A "$mnt/r/charts" 2> /dev/null)" ]

# room again: the same charts are drawn
rm -f "$mnt/pad"
"$plot" "$mnt/r" > "$TMP/plot2.out" 2>&1
check "plot with room: exit 0" [ $? -eq 0 ]
check "plot with room: 3 charts" grep -q "plot: 3 chart(s)" "$TMP/plot2.out"
check "plot with room: nothing empty" [ -z "$(bad_files "$mnt/r")" ]

# pvt's own CSV on a full disk
rm -rf "$mnt/r"
fill
"$PVT" run square --models thread --workers 1 --tasks 4 --size 1Mi \
	--repeat 2 --warmup 0 --quiet --out "$mnt/r2" > /dev/null 2> "$TMP/run.err"
check "pvt on a full disk: exit 1" [ $? -eq 1 ]
check "pvt: says the disk is full" grep -q "No space left on device" "$TMP/run.err"
check "pvt: no file left" [ -z "$(find "$mnt/r2" -type f 2> /dev/null)" ]
done_tests

#!/usr/bin/env bash
# Output folders that cannot take the results. One that cannot be
# written is refused before anything runs (exit 2, one line naming
# --out). A full one is found when the CSV is written: exit 1, the
# reason said, no "wrote" line, no temporary file, no new or partial CSV
# under a final name, a CSV pair from before left as it was, and no
# partial downloaded file. The folders are tmpfs mounts (read-only, and
# 64 KiB filled up); where mounting is not allowed, a read-only folder
# is a chmod 555 one (as nobody when root) and the full cases are
# skipped with a note.
. "$(dirname "$0")/lib.sh"

ro=$TMP/ro full=$TMP/full
mounted=
cleanup() {
	for m in $mounted; do umount "$m" 2> /dev/null; done
	rm -rf "$TMP"
}
trap cleanup EXIT
mkdir -p "$ro" "$full"
chmod 711 "$TMP"
# as_user COMMAND...: as nobody when a chmod'ed folder must stop root
as_user=()

if mount -t tmpfs -o ro,size=64k tmpfs "$ro" 2> /dev/null; then
	mounted="$ro"
	how="a read-only tmpfs"
else
	chmod 555 "$ro"
	how="a chmod 555 folder"
	if [ "$(id -u)" = 0 ]; then
		if command -v setpriv > /dev/null; then
			as_user=(setpriv --reuid=65534 --regid=65534 --clear-groups)
			how="$how, as nobody"
		else
			how=
		fi
	fi
fi

if [ -n "$how" ]; then
	echo "unwritable --out: $how"
	# as nobody, a copy of pvt that nobody may run
	[ ${#as_user[@]} -gt 0 ] && PVT=$(world_bin)/pvt BIN=$(world_bin)
	never=$ro
	for sc in square hello download memory; do
		refused "--out: cannot write in '$ro'" "${as_user[@]}" "$PVT" run $sc --out "$ro"
		check "$sc: refused before it ran (no output)" [ ! -s "$TMP/refused.out" ]
	done
	refused "--out: cannot create '$ro/sub'" "${as_user[@]}" "$PVT" run square --out "$ro/sub"
	refused "--out: cannot write in '$ro'" "${as_user[@]}" "$BIN/hello" --out "$ro"
	touch "$TMP/file"
	never=$TMP/never
	refused "--out: cannot write in '$TMP/file': Not a directory" "$PVT" run square --out "$TMP/file"
	check "the read-only folder is still empty" [ -z "$(ls -A "$ro")" ]
else
	echo "skipped: an unwritable --out (root without mount or setpriv)"
fi

if ! mount -t tmpfs -o size=64k tmpfs "$full" 2> /dev/null; then
	echo "skipped: a full --out (mount -t tmpfs is not allowed here)"
	done_tests
	exit
fi
mounted="$mounted $full"
# a CSV pair from an earlier run, then the rest filled up
"$PVT" run square --models thread --workers 1 --tasks 4 --size 1Ki \
	--repeat 1 --warmup 0 --out "$full" --quiet > /dev/null 2>&1
check "an earlier pair written" test -s "$full/square.csv" -a -s "$full/square.summary.csv"
cp "$full/square.csv" "$full/square.summary.csv" "$full/square.verdicts.csv" "$TMP/"
dd if=/dev/zero of="$full/fill" bs=4k 2> /dev/null
check "the folder is full" [ "$(df -P "$full" | awk 'NR == 2 { print $4 }')" = 0 ]
echo "full --out: a 64 KiB tmpfs, filled"

# full CMD...: runs it in the full folder, checks what every case must
full_run() {
	local what=$1
	shift
	"$@" --out "$full" > "$TMP/full.out" 2> "$TMP/full.err"
	local rc=$?
	check "$what: exits 1 (got $rc)" [ $rc -eq 1 ]
	check "$what: says there is no space" grep -q "No space left on device" "$TMP/full.err"
	check "$what: no 'wrote' line" sh -c "! grep -q wrote '$TMP/full.out'"
	check "$what: no temporary file" [ -z "$(ls -A "$full" | grep '^\.')" ]
}
full_run "square" "$PVT" run square --models thread,process --workers 1,2 \
	--tasks 8 --size 1Ki --repeat 1 --warmup 0
check "square: names the folder" grep -q "cannot write the CSV in '$full'" "$TMP/full.err"
check "square: the earlier CSV left as it was" cmp -s "$full/square.csv" "$TMP/square.csv"
check "square: the earlier summary left as it was" cmp -s "$full/square.summary.csv" "$TMP/square.summary.csv"
check "square: the earlier verdicts left as they were" cmp -s "$full/square.verdicts.csv" "$TMP/square.verdicts.csv"
full_run "square --timeline" "$PVT" run square --models thread --workers 2 \
	--tasks 8 --size 1Ki --repeat 1 --warmup 0 --timeline
check "square --timeline: no timeline" [ ! -e "$full/square.timeline.csv" ]
full_run "hello" "$PVT" run hello
check "hello: no CSV" [ ! -e "$full/hello.csv" ]
check "hello: no verdicts" [ ! -e "$full/hello.verdicts.csv" ]
full_run "isolation" "$PVT" run isolation
check "isolation: neither its CSV nor its verdicts" [ ! -e "$full/isolation.csv" -a ! -e "$full/isolation.verdicts.csv" ]
full_run "race" "$PVT" run race --increments 1000 --repeat 1 --warmup 0
check "race: none of its files" [ -z "$(ls "$full" | grep '^race')" ]
full_run "memory" "$PVT" run memory --workers 1
check "memory: no CSV" [ ! -e "$full/memory.csv" ]
full_run "download" "$PVT" run download --models thread --workers 2 \
	--tasks 4 --size 20KiB --latency 0 --repeat 1 --warmup 0
check "download: each task says why" grep -q "write $full/download.files/task-.*: No space left on device" "$TMP/full.err"
check "download: no partial file kept" [ -z "$(ls -A "$full/download.files")" ]
check "download: no CSV" [ ! -e "$full/download.csv" ]
check "no child left" [ -z "$(pgrep -P $$)" ]
done_tests

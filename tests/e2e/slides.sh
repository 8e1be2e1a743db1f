#!/usr/bin/env bash
# slides.sh - pvt slides: one 1920x1080 PNG per claim and a PDF deck of
# one 16:9 page per claim, from the fixtures and their charts; a folder
# without results refused with one line and exit 2.
. "$(dirname "$0")/lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)

d=$TMP/res
cp -r "$ROOT/tests/fixtures/results" "$d"
"$PVT" slides "$d" > "$TMP/log" 2>&1
check "slides exit 0 ($(cat "$TMP/log"))" [ $? -eq 0 ]
check "drew the charts first (no charts/ yet)" [ -s "$d/charts/hello.png" ]
s=$d/slides
check "one PNG per claim" [ "$(ls "$s"/[0-9][0-9]-*.png | wc -l)" -eq 3 ]
check "in teaching order" [ "$(ls "$s"/[0-9][0-9]-*.png | xargs -n 1 basename | tr '\n' ' ')" = "01-hello.png 02-square.png 03-download.png " ]
size() { # size PNG: WIDTHxHEIGHT from its header
	python3 -c 'import struct, sys
d = open(sys.argv[1], "rb").read(24)
assert d[:8] == b"\x89PNG\r\n\x1a\n"
print("%dx%d" % struct.unpack(">II", d[16:24]))' "$1"
}
for p in "$s"/[0-9][0-9]-*.png; do
	check "$(basename "$p") is 1920x1080" [ "$(size "$p")" = 1920x1080 ]
	check "$(basename "$p") is not blank" [ "$(wc -c < "$p")" -gt 40000 ]
done
check "deck.pdf written" [ -s "$s/deck.pdf" ]
pages=$(pdfinfo "$s/deck.pdf" | sed -n 's/^Pages: *//p')
check "one page per claim ($pages)" [ "$pages" = 3 ]
ratio=$(pdfinfo "$s/deck.pdf" | awk '/^Page size/ { printf "%.3f", $3 / $5 }')
check "16:9 pages ($ratio)" [ "$ratio" = 1.778 ]
check "the claim, the number and the verdict on a slide" \
	sh -c "pdftotext '$s/deck.pdf' - | tr '\n' ' ' | grep -q 'Processes and C threads run CPU-bound work' && pdftotext '$s/deck.pdf' - | grep -q 'speedup at 2 workers' && pdftotext '$s/deck.pdf' - | grep -q 'no verdict'"

# --out elsewhere; a slide of a claim gone from the folder is removed
rm "$d"/download.*
"$PVT" slides --out "$TMP/deck" "$d" > /dev/null 2>&1
check "--out: two slides there" [ "$(ls "$TMP/deck"/*.png | wc -l)" -eq 2 ]
"$PVT" slides "$d" > /dev/null 2>&1
check "a claim no longer there loses its slide" [ ! -e "$s/03-download.png" ]

never=$TMP/never
mkdir -p "$TMP/empty"
refused "no pvt results" "$PVT" slides --out "$never" "$TMP/empty"
refused "no such folder" "$PVT" slides --out "$never" "$TMP/absent"
refused "unknown argument '--bogus'" "$PVT" slides --bogus

done_tests

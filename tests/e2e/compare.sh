#!/usr/bin/env bash
# compare.sh - pvt compare: two fixture folders from different hosts give
# one page with a column per machine, labelled from the metadata, and one
# speedup chart per scenario with both machines' curves; it loads in
# Chromium (Selenium) with every image and no console error. Folders that
# are not pvt results, hold other scenarios, or are one alone: one line,
# exit 2, nothing written.
. "$(dirname "$0")/lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
FIX=$ROOT/tests/fixtures

# a second machine: the fixtures as a 64-core server would label them
a=$TMP/laptop
b=$TMP/server
cp -r "$FIX/results" "$a"
cp -r "$FIX/results" "$b"
sed -i 's/^# host: .*/# host: labserver/; s/^# cores: .*/# cores: 64/; s/^# cpu_model: .*/# cpu_model: Xeon Gold/' "$b"/*.csv
# its speedups doubled, so that its curves are its own
awk -F, 'BEGIN { OFS = "," } /^#/ || !h++ { print; next }
	$13 != "" { $13 = $13 * 2 } { print }' "$FIX/results/square.summary.csv" \
	> "$b/square.summary.csv"

out=$TMP/cmp
"$PVT" compare "$a" "$b" --out "$out" > "$TMP/log" 2>&1
check "compare exits 0 ($(cat "$TMP/log"))" [ $? -eq 0 ]
page=$out/compare.html
check "compare.html written" [ -s "$page" ]
check "labelled by host and cores" grep -q "labserver, 64 cores" "$page"
check "the other machine too" grep -q "vm, 2 cores" "$page"
check "the CPU model of each" grep -q "Xeon Gold" "$page"
for s in square download; do
	check "compare-$s chart drawn" [ -s "$out/charts/compare-$s.png" -a -s "$out/charts/compare-$s.svg" ]
done
check "both machines in the square chart's legend" \
	sh -c "grep -q 'process · vm, 2 cores' '$out/charts/compare-square.svg' && grep -q 'process · labserver, 64 cores' '$out/charts/compare-square.svg'"
# the verdict table: a row per claim, a column per machine
cols=$(python3 - "$page" <<'EOF'
import re, sys
page = open(sys.argv[1], encoding="utf-8").read()
table = re.search(r'<table class="claims">(.*?)</table>', page, re.S).group(1)
rows = re.findall(r"<tr data-scenario=[^>]*>(.*?)</tr>", table, re.S)
print(len(rows), *sorted({len(re.findall(r"<td>", r)) for r in rows}))
EOF
)
check "3 claims, each with a cell per machine ($cols)" [ "$cols" = "3 3" ]

shots=$BIN/../browser
mkdir -p "$shots"
"$ROOT/tests/browser/page.py" "$page" 3 1500 "$shots/compare.png" \
	> "$TMP/page.json" 2> "$TMP/page.err"
check "in chromium: claims, images, console ($(cat "$TMP/page.err"))" [ $? -eq 0 ]
cat "$TMP/page.json"

# same host twice: told apart by the folder's name
"$PVT" compare "$a" "$a" --out "$TMP/same" > /dev/null 2>&1
check "the same machine twice: labelled by folder" \
	grep -q "vm, 2 cores (laptop)" "$TMP/same/compare.html"

# --- bad folders: one line, exit 2, nothing written
never=$TMP/never
mkdir -p "$TMP/notpvt" "$TMP/empty"
echo "a,b" > "$TMP/notpvt/data.csv"
refused "not a pvt results folder" "$PVT" compare "$a" "$TMP/notpvt" --out "$never"
refused "not a pvt results folder" "$PVT" compare "$TMP/empty" "$a" --out "$never"
refused "no such folder" "$PVT" compare "$a" "$TMP/absent" --out "$never"
c=$TMP/fewer
cp -r "$a" "$c"
rm "$c"/download.*
refused "hold different scenarios (only in $a: download)" \
	"$PVT" compare "$a" "$c" --out "$never"
refused "needs two results folders" "$PVT" compare "$a" --out "$never"
refused "unknown option '--bogus'" "$PVT" compare "$a" "$b" --bogus
check "nothing written for a refused compare" [ ! -e "$never" ]

done_tests

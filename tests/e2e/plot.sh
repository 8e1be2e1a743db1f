#!/usr/bin/env bash
# plot.sh - scripts/plot: valid, non-trivial PNG and SVG charts from the
# fixture CSV files and from a real run; a missing CSV skipped with a
# note; a malformed one reported as FILE:LINE: reason, with exit status 1
# and no chart left behind
. "$(dirname "$0")/lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
PLOT=$ROOT/scripts/plot
FIX=$ROOT/tests/fixtures

# is_png FILE: the PNG signature, and over 20 KB
is_png() {
	[ "$(head -c 8 "$1" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] &&
		[ "$(wc -c < "$1")" -gt 20000 ]
}
# is_svg FILE: parses as XML with an <svg> root, and over 8 KB
is_svg() {
	python3 - "$1" <<'EOF' && [ "$(wc -c < "$1")" -gt 8000 ]
import sys, xml.dom.minidom
doc = xml.dom.minidom.parse(sys.argv[1])
sys.exit(doc.documentElement.tagName != "svg")
EOF
}
# drawn DIR NAME: charts/NAME.png and .svg, both valid
drawn() { is_png "$1/charts/$2.png" && is_svg "$1/charts/$2.svg"; }
not_drawn() { [ ! -e "$1/charts/$2.png" ] && [ ! -e "$1/charts/$2.svg" ]; }
# plot DIR: runs scripts/plot; its status in rc, its output in out, err
plot() {
	rc=0
	"$PLOT" "$@" > "$TMP/out" 2> "$TMP/err" || rc=$?
	out=$(cat "$TMP/out")
	err=$(cat "$TMP/err")
}
has() { grep -qF -- "$2" <<< "$1"; }
not() { ! "$@"; }

# --- the fixtures: a real quick suite's square, download and hello
d=$TMP/res
cp -r "$FIX/results" "$d"
plot "$d"
check "plot on the fixtures exits 0 ($err)" [ "$rc" -eq 0 ]
check "square-speedup drawn as PNG and SVG" drawn "$d" square-speedup
check "square-time drawn as PNG and SVG" drawn "$d" square-time
check "download-time drawn as PNG and SVG" drawn "$d" download-time
check "square-timeline drawn as PNG and SVG" drawn "$d" square-timeline
check "no error output on good files ($err)" [ -z "$err" ]
check "the footer names the CPU" grep -q "AMD EPYC, 2 cores" "$d/charts/square-speedup.svg"
in_legend() { # in_legend SVG NAME...: each NAME is a text of the chart
	local svg=$1 m
	shift
	for m; do grep -q ">$m<" "$svg" || return 1; done
}
check "the timeline has a panel per model" in_legend "$d/charts/square-timeline.svg" sequential process thread gil
check "every model in the legend" in_legend "$d/charts/square-time.svg" \
	sequential process thread gil py-sequential py-process py-thread
check "the download's ideal in its legend" \
	in_legend "$d/charts/download-time.svg" ideal

check "hello's picture drawn as PNG and SVG" drawn "$d" hello
pids=$(col "$d/hello.csv" pid | sort -u)
shows_pids() { for p in $pids; do grep -q "pid $p<" "$1" || return 1; done; }
check "hello's picture shows the measured pids" shows_pids "$d/charts/hello.svg"
check "square-time per integer, so that C and Python compare" \
	grep -q "ns per integer" "$d/charts/square-time.svg"
check "download-time on log axes" \
	grep -q "workers (log scale)" "$d/charts/download-time.svg"

# --- the pictures of isolation and shared_array, from a real run
d=$TMP/pictures
mkdir -p "$d"
"$PVT" run isolation --out "$d" > /dev/null 2>&1 &&
	"$PVT" run shared_array --out "$d" > /dev/null 2>&1
check "isolation and shared_array run" [ $? -eq 0 ]
plot "$d"
check "isolation's picture drawn ($err)" drawn "$d" isolation
check "shared_array's picture drawn ($err)" drawn "$d" shared_array
addr=$(col "$d/isolation.csv" address | head -n 1)
check "isolation's picture shows the measured address $addr" \
	grep -q "at $addr" "$d/charts/isolation.svg"

# --- every pair of models told apart on a projector (hue or grey level)
# and in greyscale (grey level or dash), as scripts/style.gnuplot sets them
distinct() {
	python3 - "$ROOT/scripts/style.gnuplot" <<'EOF'
import colorsys, itertools, re, sys
style = open(sys.argv[1]).read()
colors = dict(re.findall(r'm eq "([a-z-]+)" *\? *"(#[0-9A-Fa-f]{6})"', style))
assert 'model_dash(m) = strstrt(m, "py-") == 1 ? 2 : strstrt(m, "mpi") == 1 ? 4 : 1' \
    in style, "model_dash changed: change this test with it"
def dash(m):
    return 2 if m.startswith("py-") else 4 if m.startswith("mpi") else 1
def grey(c):
    r, g, b = (int(c[i:i + 2], 16) for i in (1, 3, 5))
    return 0.299 * r + 0.587 * g + 0.114 * b
def hue(c):
    r, g, b = (int(c[i:i + 2], 16) / 255 for i in (1, 3, 5))
    h, l, s = colorsys.rgb_to_hls(r, g, b)
    return h * 360, s
bad = []
for a, b in itertools.combinations(colors, 2):
    ga, gb = grey(colors[a]), grey(colors[b])
    (ha, sa), (hb, sb) = hue(colors[a]), hue(colors[b])
    dh = min(abs(ha - hb), 360 - abs(ha - hb))
    in_grey = dash(a) != dash(b) or abs(ga - gb) >= 25
    on_wall = sa < 0.1 or sb < 0.1 or dh >= 12 or abs(ga - gb) >= 40
    if not (in_grey and on_wall):
        bad.append(f"{a} {colors[a]} and {b} {colors[b]} look alike")
for b in bad:
    print("plot.sh:", b, file=sys.stderr)
sys.exit(1 if bad or len(colors) < 8 else 0)
EOF
}
check "models distinct on a projector and in greyscale" distinct

# --- a CSV that is not there: skipped with a note, the others drawn
d=$TMP/nodl
cp -r "$FIX/results" "$d"
rm "$d/download.summary.csv"
plot "$d"
check "no download CSV: exit 0 ($err)" [ "$rc" -eq 0 ]
check "no download CSV: skipped with a note" \
	has "$out" "download-time: skipped: no $d/download.summary.csv"
check "no download CSV: no download chart" not_drawn "$d" download-time

# --- download without its ideal column: drawn without the ideal line
d=$TMP/dl
mkdir "$d"
awk -F, 'BEGIN { OFS = "," } /^#/ { print; next } { NF -= 2; print }' \
	"$FIX/results/download.summary.csv" > "$d/download.summary.csv"
plot "$d"
check "download chart without ideal_s exits 0 ($err)" [ "$rc" -eq 0 ]
check "download-time drawn without it" drawn "$d" download-time
check "a note says the ideal is not drawn" has "$out" "no column 'ideal_s': drawn without it"
check "no ideal in its legend" not in_legend "$d/charts/download-time.svg" ideal

# --- malformed: FILE:LINE: reason, status 1, no chart (an old one removed)
d=$TMP/bad
cp -r "$FIX/malformed" "$d"
mkdir "$d/charts"
cp "$TMP/res/charts/square-time.png" "$d/charts/"
plot "$d"
check "malformed CSV: exit 1 (rc $rc)" [ "$rc" -eq 1 ]
check "malformed CSV: FILE:LINE: reason ($err)" \
	has "$err" "$d/square.summary.csv:25: 17 fields, the header has 18"
check "the problem said once for two charts" \
	[ "$(grep -c ':25: 17 fields' "$TMP/err")" -eq 1 ]
check "no square-time from it, the old one removed" not_drawn "$d" square-time
check "no square-speedup from it" not_drawn "$d" square-speedup

d=$TMP/nan
cp -r "$FIX/results" "$d"
awk -F, 'BEGIN { OFS = "," } NR == 23 { $7 = "fast" } { print }' \
	"$FIX/results/square.summary.csv" > "$d/square.summary.csv"
plot "$d"
check "a word in a numeric column: exit 1" [ "$rc" -eq 1 ]
check "a word in a numeric column: FILE:LINE: reason ($err)" \
	has "$err" "$d/square.summary.csv:23: column 'median_s': 'fast' is not a number"
check "the chart that reads it is not drawn" not_drawn "$d" square-time

d=$TMP/col
cp -r "$FIX/results" "$d"
sed -i 's/^scenario,model,workers,tasks,size,n,median_s,/scenario,model,workers,tasks,size,n,median,/' \
	"$d/square.summary.csv"
plot "$d"
check "a missing column: exit 1" [ "$rc" -eq 1 ]
check "a missing column: FILE:LINE: reason ($err)" \
	has "$err" "$d/square.summary.csv:21: no column 'median_s' (scripts/square-time.gp needs it)"
check "a chart that does not need it is drawn" drawn "$d" square-speedup

d=$TMP/quote
cp -r "$FIX/results" "$d"
printf '%s\n' 'square,process,8,64,4194304,3,0.04,0.04,0.04,0.04,,,2,0.25,0,1,"0,08",0' \
	>> "$d/square.summary.csv"
printf '%s\n' 'square,thread,8,64,"4194304,3,0.04,0.04,0.04,0.04,,,2,0.25,0,1,0.08,0' \
	> "$TMP/unclosed"
plot "$d"
check "a quoted field with commas is one field ($err)" [ "$rc" -eq 0 ]
cat "$TMP/unclosed" >> "$d/square.summary.csv"
last=$(wc -l < "$d/square.summary.csv")
plot "$d"
check "an unclosed quote: FILE:LINE: reason ($err)" \
	has "$err" "$d/square.summary.csv:$last: malformed quote"

# --- nothing to draw: skipped with a note, the others drawn
d=$TMP/noseq
cp -r "$FIX/results" "$d"
# as a run without the sequential models writes it: no speedup, no
# efficiency
awk -F, 'BEGIN { OFS = "," } /^#/ || !h++ { print; next }
	$2 ~ /sequential$/ { next } { $13 = $14 = ""; print }' \
	"$FIX/results/square.summary.csv" > "$d/square.summary.csv"
plot "$d"
check "no sequential run: exit 0 ($err)" [ "$rc" -eq 0 ]
check "no speedup: its chart skipped with a note ($out)" \
	has "$out" "square-speedup: skipped: $d/square.summary.csv: no value in column 'speedup'"
check "the time chart drawn" drawn "$d" square-time

# --- a folder with odd characters in its name
d="$TMP/a folder/it's \"odd\""
mkdir -p "$d"
cp "$FIX/results/"*.csv "$d/"
plot "$d/"
check "an odd folder name ($err)" [ "$rc" -eq 0 ]
check "charts drawn into it" drawn "$d" square-speedup

# --- usage
plot "$TMP/none"
check "a folder that is not there: exit 2" [ "$rc" -eq 2 ]
plot "$TMP/res" "$TMP/res"
check "two folders: exit 2" [ "$rc" -eq 2 ]

# --- a real run, so the fixtures never drift from what pvt writes
d=$TMP/real
if "$BIN/square" --size 64Ki --workers 1,2 --repeat 2 --warmup 0 \
	--out "$d" --quiet > /dev/null; then
	plot "$d"
	check "plot on a real run exits 0 ($err)" [ "$rc" -eq 0 ]
	check "a real run: square-speedup drawn" drawn "$d" square-speedup
	check "a real run: square-time drawn" drawn "$d" square-time
else
	fail "square did not run"
fi

done_tests

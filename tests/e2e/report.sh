#!/usr/bin/env bash
# report.sh - scripts/report: report.html from the fixture CSV files and
# their charts refers only to files that exist and to nothing online,
# escapes what it quotes, embeds valid SVG charts, says FILE:LINE: for a
# malformed CSV, and renders in headless Chromium to a page that is not
# blank. Chromium must be installed (scripts/test installs it): without
# it this test fails.
. "$(dirname "$0")/lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
PLOT=$ROOT/scripts/plot
REPORT=$ROOT/scripts/report
FIX=$ROOT/tests/fixtures

# report DIR: runs scripts/report; its status in rc, its stderr in err
report() {
	rc=0
	"$REPORT" "$@" > "$TMP/out" 2> "$TMP/err" || rc=$?
	err=$(cat "$TMP/err")
}
has() { grep -qF -- "$2" <<< "$1"; }
lacks() { ! grep -Eq -- "$2" "$1"; }	# lacks FILE REGEX

# refs_exist DIR: every src= and href= of DIR/report.html is an anchor
# in the page, a data: URI, or a file that exists, relative to DIR
refs_exist() {
	python3 - "$1" <<'EOF'
import html.parser, os, sys
folder = sys.argv[1]
class Refs(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.refs, self.ids = [], set()
    def handle_starttag(self, tag, attrs):
        for k, v in attrs:
            if k in ("src", "href"):
                self.refs.append(v)
            if k == "id":
                self.ids.add(v)
p = Refs()
p.feed(open(os.path.join(folder, "report.html"), encoding="utf-8").read())
bad = []
for r in p.refs:
    if r.startswith("data:"):
        continue
    if r.startswith("#"):
        ok = r[1:] in p.ids
    else:
        ok = "://" not in r and not r.startswith("/") and \
            os.path.isfile(os.path.join(folder, r))
    if not ok:
        bad.append(r)
for r in bad:
    print("report.sh: no such file or anchor:", r, file=sys.stderr)
sys.exit(1 if bad or not p.refs else 0)
EOF
}

# svgs_valid DIR: N embedded SVG charts, each one parses as XML
svgs_valid() {
	python3 - "$1" "$2" <<'EOF'
import base64, re, sys, xml.dom.minidom
page = open(sys.argv[1] + "/report.html", encoding="utf-8").read()
svgs = re.findall(r'src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)"', page)
for s in svgs:
    doc = xml.dom.minidom.parseString(base64.b64decode(s))
    assert doc.documentElement.tagName == "svg"
sys.exit(len(svgs) != int(sys.argv[2]))
EOF
}

# --- the fixtures, with their charts
d=$TMP/res
cp -r "$FIX/results" "$d"
"$PLOT" "$d" > /dev/null 2>&1 || fail "scripts/plot on the fixtures"
report "$d"
check "report exits 0 ($err)" [ "$rc" -eq 0 ]
check "report.html written" [ -s "$d/report.html" ]
check "every src= and href= exists" refs_exist "$d"
check "nothing online" lacks "$d/report.html" '(src|href)="(https?:)?//'
check "four charts embedded as valid SVG" svgs_valid "$d" 4
page=$(cat "$d/report.html")
check "the machine at the top" has "$page" "AMD EPYC"
check "square's lesson" \
	has "$page" "Processes and threads both run CPU-bound C code in parallel"
check "hello's lesson" has "$page" "Each process worker has a pid of its own"
check "square's command" \
	has "$page" "pvt run square --size 4Mi --py-size 64Ki --repeat 3"
check "square's headline: speedup at one worker per core" \
	has "$page" "at 2 workers (one per core): <b>process</b> 1.9"
check "square's figures: thread at 2 workers" has "$page" "41.3 ms"
check "download's lesson" has "$page" "$(meta "$d/download.summary.csv" lesson | cut -c 1-40)"
check "hello: who is who" \
	has "$page" "<b>thread</b>: 4 workers, 1 distinct pid (pvt's own)"
check "no leftover temporary file" \
	[ -z "$(find "$d" -name ".report.html.*")" ]

# --- what it quotes is escaped
d=$TMP/esc
cp -r "$FIX/results" "$d"
sed -i 's|^# lesson: .*|# lesson: <script>alert("x")</script> \& <b>|' "$d/square.summary.csv"
report "$d"
page=$(cat "$d/report.html")
check "escaped: no <script> from a CSV" lacks "$d/report.html" "<script>"
check "escaped: the text is kept" \
	has "$page" "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;"

# --- no charts drawn: the figures alone, and a note
d=$TMP/nocharts
cp -r "$FIX/results" "$d"
report "$d"
check "without charts/: exit 0" [ "$rc" -eq 0 ]
check "without charts/: says so" grep -q "No charts/ folder" "$d/report.html"
check "without charts/: every reference exists" refs_exist "$d"

# --- malformed: FILE:LINE: reason, in the page and on stderr, status 1
d=$TMP/bad
cp -r "$FIX/malformed" "$d"
report "$d"
check "malformed CSV: exit 1 (rc $rc)" [ "$rc" -eq 1 ]
check "malformed CSV: FILE:LINE: reason on stderr ($err)" \
	has "$err" "$d/square.summary.csv:25: 17 fields, the header has 18"
check "malformed CSV: said in the page" \
	grep -qF "square.summary.csv:25: 17 fields, the header has 18" "$d/report.html"

# --- usage
report "$TMP/none"
check "a folder that is not there: exit 2" [ "$rc" -eq 2 ]

# --- rendered by a browser: headless Chromium takes a screenshot
chromium=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$chromium" ]; then
	fail "chromium not found: scripts/test installs it (PVT_EXTRA_PACKAGES=chromium scripts/setup)"
else
	d=$TMP/res
	shot=$TMP/report.png
	HOME=$TMP timeout 120 "$chromium" --headless --no-sandbox --disable-gpu \
		--disable-background-networking --disable-component-update \
		--disable-sync --no-first-run --user-data-dir="$TMP/chromium" \
		--screenshot="$shot" --window-size=1200,3000 \
		"file://$d/report.html" > "$TMP/chromium.log" 2>&1
	check "chromium wrote a screenshot" [ -s "$shot" ]
	# not blank: a white page compresses to a few KB and its pixel data
	# holds a handful of distinct byte values; the report holds hundreds
	check "the screenshot is not blank" python3 - "$shot" <<'EOF'
import struct, sys, zlib
data = open(sys.argv[1], "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
pos, idat = 8, b""
while pos < len(data):
    n, kind = struct.unpack(">I4s", data[pos:pos + 8])
    if kind == b"IDAT":
        idat += data[pos + 8:pos + 8 + n]
    pos += 12 + n
pixels = zlib.decompress(idat)
distinct = len(set(pixels))
print(f"screenshot: {len(data)} bytes, {distinct} distinct byte values")
sys.exit(0 if len(data) > 50000 and distinct > 64 else 1)
EOF
fi

done_tests

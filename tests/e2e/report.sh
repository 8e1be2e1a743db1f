#!/usr/bin/env bash
# report.sh - scripts/report: report.html from the fixture CSV files and
# their charts refers only to files that exist and to nothing online,
# escapes what it quotes, embeds valid SVG charts, says FILE:LINE: for a
# malformed CSV, opens with a table of claims, verdicts and headline
# numbers (from NAME.verdicts.csv, else the lesson's figure), and loads
# in Chromium driven by Selenium (tests/browser/page.py) with every image
# loaded, no console error and at most 1,500 visible words. chromium,
# chromium-driver and python3-selenium must be installed (scripts/test
# installs them): without them this test fails.
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
check "five charts embedded as valid SVG (hello's picture too)" svgs_valid "$d" 5
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

# --- in a real browser: Selenium drives Debian's chromium-driver; one
# claims-table row per scenario, at most 1,500 words visible before
# anything is unfolded, every image loaded, no console error; the
# screenshot is kept in the build folder
shots=$BIN/../browser
mkdir -p "$shots"
d=$TMP/res
"$ROOT/tests/browser/page.py" "$d/report.html" 3 1500 "$shots/report.png" \
	> "$TMP/page.json" 2> "$TMP/page.err"
check "in chromium: claims, words, images, console ($(cat "$TMP/page.err"))" \
	[ $? -eq 0 ]
check "the screenshot is kept" [ -s "$shots/report.png" ]
cat "$TMP/page.json"

# --- verdicts: NAME.verdicts.csv gives the verdict and its numbers;
# without it, "no verdict" and the lesson's own figure
d=$TMP/verdicts
cp -r "$FIX/results" "$d"
cat > "$d/square.verdicts.csv" <<'EOF'
# scenario: square
scenario,check,expected,measured,verdict,reason
square,process speedup at 2 workers,>= 1.5,1.93,holds,
square,gil speedup at 2 workers,< 1.2,1.01,holds,
EOF
cat > "$d/download.verdicts.csv" <<'EOF'
# scenario: download
scenario,check,expected,measured,verdict,reason
download,thread at 16 workers beats sequential,< 0.5 x sequential,0.07 x,inconclusive,"busy machine: 1.3 cores taken by others"
EOF
report "$d"
check "with verdicts: exit 0 ($err)" [ "$rc" -eq 0 ]
claims() { # claims DIR: "scenario|verdict|headline" per row of the claims table
	python3 - "$1" <<'EOF'
import html, re, sys
page = open(sys.argv[1] + "/report.html", encoding="utf-8").read()
table = re.search(r'<table class="claims">(.*?)</table>', page, re.S).group(1)
for row in re.findall(r'<tr data-scenario="([^"]+)">(.*?)</tr>', table, re.S):
    cells = [html.unescape(re.sub(r"<[^>]+>", " ", c)).split()
             for c in re.findall(r"<td>(.*?)</td>", row[1], re.S)]
    print(row[0], " ".join(cells[1]), " ".join(cells[2]), sep="|")
EOF
}
rows=$(claims "$d")
check "a claims row per scenario ($rows)" [ "$(wc -l <<< "$rows")" -eq 3 ]
check "square holds, 2 of 2 checks, with its measured figures" \
	has "$rows" "square|holds 2 of 2 checks hold|process speedup at 2 workers: 1.93; gil speedup at 2 workers: 1.01"
check "download inconclusive" has "$rows" "download|inconclusive|"
check "an inconclusive check says why in its section" \
	has "$(cat "$d/report.html")" "busy machine: 1.3 cores taken by others"
check "hello: no verdict, the lesson's figure" \
	has "$rows" "hello|no verdict|process: 4 workers, 4 pids, 4 thread ids; thread: 4 workers, 1 pid, 4 thread ids"
rows=$(claims "$TMP/res")
check "without verdicts: square's speedup from its rows" \
	grep -Eq "^square\|no verdict\|speedup at 2 workers: process 1\.[0-9]+×" <<< "$rows"

# --- a print stylesheet
check "a print stylesheet" grep -q "@media print" "$TMP/res/report.html"

done_tests

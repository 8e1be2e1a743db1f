# lib.sh - helpers for pvt's end-to-end tests (sourced)
#   PVT: the pvt binary; BIN: the folder of scenario binaries
set -u
PVT=${PVT:?set PVT to build/bin/pvt}
BIN=$(dirname "$PVT")
TMP=$(mktemp -d /tmp/pvt-e2e.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
passed=0
failed=0

ok() { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); echo "FAIL: $*" >&2; }
check() { # check "description" command...
	local what=$1
	shift
	if "$@"; then ok; else fail "$what"; fi
}
done_tests() {
	echo "$(basename "$0"): $passed passed, $failed failed"
	[ "$failed" -eq 0 ]
}

# col FILE NAME: the values of column NAME, one per line (no quoting:
# for pvt's numeric and name columns)
col() {
	awk -F, -v name="$2" '
		/^#/ { next }
		!hdr { for (i = 1; i <= NF; i++) if ($i == name) c = i;
		       hdr = 1; if (!c) exit 3; next }
		{ print $c }' "$1"
}
# csv_whole FILE: every row has as many fields as the header (quoted
# commas included, as in a verdict's check)
csv_whole() {
	python3 -c 'import csv, sys
rows = list(csv.reader(l for l in open(sys.argv[1]) if not l.startswith("#")))
sys.exit(not rows or len({len(r) for r in rows}) != 1)' "$1"
}
# header FILE: the header row
header() { grep -v '^#' "$1" | head -n 1; }
# rows FILE: number of data rows
rows() { grep -v '^#' "$1" | tail -n +2 | grep -c . ; }
# meta FILE KEY: the value of "# KEY: value"
meta() { sed -n "s/^# $2: //p" "$1" | head -n 1; }
# all_equal VALUE: every line of stdin is VALUE (and there is one)
all_equal() { awk -v v="$1" '$0 != v { bad = 1 } END { exit bad || NR == 0 }'; }
# refused "TEXT" COMMAND ARGS...: COMMAND exits 2 with exactly one line
# on stderr that holds TEXT, and leaves the folder $never empty or absent
refused() {
	local want=$1 never=${never:-$TMP/never}
	shift
	"$@" > "$TMP/refused.out" 2> "$TMP/refused.err"
	local rc=$?
	if [ $rc -ne 2 ]; then fail "$* exited $rc, not 2"; return; fi
	if [ "$(wc -l < "$TMP/refused.err")" -ne 1 ]; then
		fail "$*: not one line: $(cat "$TMP/refused.err")"; return
	fi
	if ! grep -qF -- "$want" "$TMP/refused.err"; then
		fail "$*: '$want' not in: $(cat "$TMP/refused.err")"; return
	fi
	if [ -e "$never" ] && [ -n "$(ls -A "$never")" ]; then
		fail "$*: wrote $(ls "$never")"; return
	fi
	ok
}
# cell FILE KEYCOL KEYVAL [KEYCOL2 KEYVAL2] NAME: column NAME of the rows
# whose KEYCOL is KEYVAL (and KEYCOL2 is KEYVAL2), one per line
cell() {
	local f=$1 k1=$2 v1=$3 k2= v2= name
	if [ $# -eq 6 ]; then k2=$4 v2=$5 name=$6; else name=$4; fi
	awk -F, -v k1="$k1" -v v1="$v1" -v k2="$k2" -v v2="$v2" -v name="$name" '
		/^#/ { next }
		!hdr { for (i = 1; i <= NF; i++) c[$i] = i; hdr = 1;
		       if (!c[name] || !c[k1] || (k2 != "" && !c[k2])) exit 3
		       next }
		$c[k1] == v1 && (k2 == "" || $c[k2] == v2) { print $c[name] }' "$f"
}

# by_name FILE PROGRAM: awk PROGRAM over the data rows, v["column"] the
# row's value in that column
by_name() {
	awk -F, '/^#/ { next }
		!h { for (i = 1; i <= NF; i++) n[i] = $i; h = 1; next }
		{ for (i = 1; i <= NF; i++) v[n[i]] = $i }
		'"$2" "$1"
}
# all_positive: every line of stdin a finite number > 0, and there is one
all_positive() {
	awk '!/^[0-9.]+(e[-+]?[0-9]+)?$/ || $1 <= 0 { bad = 1 }
		END { exit bad || NR == 0 }'
}
# positive COLUMN FILE: every value of the column is a finite number > 0
positive() { col "$2" "$1" | all_positive; }
# world_bin: the folder of a copy of the build's binaries that any user
# may run, for the tests that run pvt as nobody (the checkout's own
# folders may be closed to other users)
world_bin() {
	if [ ! -d "$TMP/bin" ]; then
		chmod 711 "$TMP"
		mkdir -p "$TMP/bin"
		cp "$BIN"/* "$TMP/bin/"
		chmod -R a+rX "$TMP/bin"
	fi
	echo "$TMP/bin"
}
# url_of LOG: the URL pvt serve printed first, once it is there
url_of() {
	for _ in $(seq 100); do
		case $(head -n 1 "$1" 2> /dev/null) in
		http*) head -n 1 "$1"; return 0 ;;
		esac
		sleep 0.05
	done
	return 1
}

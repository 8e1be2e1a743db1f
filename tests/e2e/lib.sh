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
# header FILE: the header row
header() { grep -v '^#' "$1" | head -n 1; }
# rows FILE: number of data rows
rows() { grep -v '^#' "$1" | tail -n +2 | grep -c . ; }
# meta FILE KEY: the value of "# KEY: value"
meta() { sed -n "s/^# $2: //p" "$1" | head -n 1; }
# all_equal VALUE: every line of stdin is VALUE (and there is one)
all_equal() { awk -v v="$1" '$0 != v { bad = 1 } END { exit bad || NR == 0 }'; }

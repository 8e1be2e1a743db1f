#!/usr/bin/env bash
# man.sh - doc/pvt.1 renders without a warning and agrees with the
# program: the options of every --help text (pvt, suite, serve, run NAME
# for each scenario) are the options of the man page, no more, no less;
# every command, scenario and environment variable pvt reads is in it
. "$(dirname "$0")/lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
MAN=$ROOT/doc/pvt.1

MANWIDTH=80 man --warnings -l "$MAN" 2> "$TMP/warn" > "$TMP/page"
check "man -l renders it" [ $? -eq 0 -a -s "$TMP/page" ]
check "man --warnings: none" [ ! -s "$TMP/warn" ]
[ -s "$TMP/warn" ] && cat "$TMP/warn" >&2

# options: what --help says, what the page says (its roff, comments out)
opts() { grep -o -e '--[a-z][a-z0-9-]*' | sort -u; }
names=$("$PVT" list | awk '{ print $1 }')
{
	"$PVT" --help
	"$PVT" suite --help
	"$PVT" serve --help
	for name in $names; do "$PVT" run "$name" --help; done
} | opts > "$TMP/help.opts"
grep -v '^\.\\"' "$MAN" | sed 's/\\-/-/g' | opts > "$TMP/man.opts"
check "the --help texts name options" [ "$(wc -l < "$TMP/help.opts")" -gt 20 ]
check "every option of --help is in the man page" \
	[ -z "$(comm -23 "$TMP/help.opts" "$TMP/man.opts")" ]
check "every option of the man page is in a --help" \
	[ -z "$(comm -13 "$TMP/help.opts" "$TMP/man.opts")" ]
comm -3 "$TMP/help.opts" "$TMP/man.opts" | sed 's/^/  help only | man only: /' >&2

cmds=$("$PVT" --help | sed -n 's/^  pvt \([a-z][a-z]*\).*/\1/p' | sort -u)
check "pvt --help names its commands" [ "$(echo "$cmds" | wc -w)" -ge 5 ]
for cmd in $cmds; do
	check "command $cmd: in the man page" grep -qx "\.B $cmd.*\|\.BI \"$cmd .*" "$MAN"
done
for name in $names; do
	check "scenario $name: in the man page" grep -qx "\.B $name" "$MAN"
done
for var in $(grep -rhoE 'getenv\("PVT_[A-Z_]+"\)' "$ROOT/src" "$ROOT/scenarios" |
	sed 's/getenv("\(.*\)")/\1/' | sort -u); do
	check "environment $var: in the man page" grep -qx "\.B $var" "$MAN"
done
for status in 0 1 2 130; do
	check "exit status $status: in the man page" grep -q "^\.BR* $status" "$MAN"
done
done_tests

#!/usr/bin/env bash
# the driver's commands, and bad input: exit 2, one line naming the
# option, nothing written
. "$(dirname "$0")/lib.sh"

check "--version" sh -c "'$PVT' --version | grep -q '^pvt [0-9]'"
check "--help" sh -c "'$PVT' --help | grep -q 'pvt suite'"
check "list names square and hello" sh -c "'$PVT' list | grep -q square && '$PVT' list | grep -q hello"
check "explain square" sh -c "'$PVT' explain square | grep -q Lesson"
check "run --help" sh -c "'$PVT' run square --help | grep -q -- --switch-interval"

out=$TMP/never
bad() { # bad "expected text" args...
	local want=$1
	shift
	"$PVT" "$@" > "$TMP/o" 2> "$TMP/e"
	local rc=$?
	if [ $rc -ne 2 ]; then fail "$* exited $rc, not 2"; return; fi
	if [ "$(wc -l < "$TMP/e")" -ne 1 ]; then fail "$*: not one line: $(cat "$TMP/e")"; return; fi
	if ! grep -qF -- "$want" "$TMP/e"; then fail "$*: '$want' not in: $(cat "$TMP/e")"; return; fi
	if [ -e "$out" ] && [ -n "$(ls -A "$out")" ]; then fail "$*: wrote $(ls "$out")"; return; fi
	ok
}
bad "unknown command" frobnicate
bad "needs a scenario" run
bad "unknown scenario 'nope'" run nope
bad "unknown scenario" explain nope
bad "--models: unknown model 'fibers'" run square --models fibers --out "$out"
bad "--models: unknown model" run square --models process,, --out "$out"
bad "--workers:" run square --workers 0 --out "$out"
bad "--workers:" run square --workers -1 --out "$out"
bad "--workers:" run square --workers 1..99999 --out "$out"
bad "--workers:" run square --workers 4..1 --out "$out"
bad "--workers:" run square --workers 1,,2 --out "$out"
bad "--workers:" run square --workers abc --out "$out"
bad "--tasks:" run square --tasks 0 --out "$out"
bad "--tasks:" run square --tasks 1e9 --out "$out"
bad "--tasks:" run square --tasks 99999999999 --out "$out"
bad "--size:" run square --size 99TiB --out "$out"
bad "--size:" run square --size 12parsecs --out "$out"
bad "--size:" run square --size "" --out "$out"
bad "--repeat:" run square --repeat 0 --out "$out"
bad "--repeat:" run square --repeat many --out "$out"
bad "--warmup:" run square --warmup -1 --out "$out"
bad "--switch-interval:" run square --switch-interval 5 --out "$out"
bad "--switch-interval:" run square --switch-interval 0ms --out "$out"
bad "--switch-interval:" run square --switch-interval fast --out "$out"
bad "--cpus:" run square --cpus 9999 --out "$out"
bad "--cpus:" run square --cpus x --out "$out"
bad "--tasks: needs a value" run square --tasks
bad "unknown option '--frobs'" run square --frobs 3 --out "$out"
bad "unexpected argument" run square extra --out "$out"
bad "--quiet: takes no value" run square --quiet=yes --out "$out"
bad "--size: not used by this scenario" run hello --size 4 --out "$out"
bad "--nap:" run hello --nap forever --out "$out"
bad "--tasks x --size" run square --tasks 1000000 --size 1GiB --out "$out"
bad "--out: cannot create" run square --out /proc/pvt-no
bad "--out: the value is empty" run square --out=
bad "suite: unknown option" suite --fast
if [ "$(id -u)" -ne 0 ]; then
	mkdir -p "$TMP/ro" && chmod 555 "$TMP/ro"
	bad "--out: cannot write" run square --out "$TMP/ro"
fi
done_tests

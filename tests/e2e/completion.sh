#!/usr/bin/env bash
# completion.sh - completion/pvt.bash offers the commands, the scenario
# names (pvt list's, all of them), a scenario's own options, the models
# (after a comma too) and folders for --out
. "$(dirname "$0")/lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
. "$ROOT/completion/pvt.bash"

# offers WORD...: what completing the last WORD offers, one a line, sorted
offers() {
	COMP_WORDS=("$PVT" "$@")
	COMP_CWORD=$#
	_pvt
	[ ${#COMPREPLY[@]} -eq 0 ] || printf '%s\n' "${COMPREPLY[@]}" | sort
}
names=$("$PVT" list | awk '{ print $1 }' | sort)

check "pvt <TAB>: the commands of pvt --help" \
	[ "$(offers "")" = "$({ "$PVT" --help | sed -n 's/^  pvt \([a-z][a-z]*\).*/\1/p'
		echo --help; echo --version; } | sort -u)" ]
check "pvt <TAB>: run among them" [ -n "$(offers "" | grep -x run)" ]
check "pvt cluster <TAB>: up down status mpirun" \
	[ "$(offers cluster "" | tr '\n' ' ')" = "down mpirun status up " ]
check "pvt run <TAB>: every scenario" [ "$(offers run "")" = "$names" ]
check "pvt explain <TAB>: every scenario" [ "$(offers explain "")" = "$names" ]
check "pvt run sq<TAB>: square" [ "$(offers run sq)" = square ]
check "pvt run nosuch<TAB>: nothing" [ -z "$(offers run nosuch)" ]
check "pvt run spawn --<TAB>: spawn's own options" \
	[ -n "$(offers run spawn -- | grep -x -e --mechs)" ]
check "pvt run spawn --<TAB>: not square's" \
	[ -z "$(offers run spawn -- | grep -x -e --py-size)" ]
check "pvt run square --<TAB>: every option of its --help, and --help" \
	[ "$(offers run square --)" = "$({ "$PVT" run square --help; echo --help; } |
		grep -o -e '--[a-z][a-z0-9-]*' | sort -u)" ]
check "pvt suite --q<TAB>: --quick" [ "$(offers suite --q)" = --quick ]
check "pvt serve --po<TAB>: --port" [ "$(offers serve --po)" = --port ]
check "--models <TAB>: the models" \
	[ "$(offers run square --models "" | tr '\n' ' ')" = "gil process py-process py-sequential py-thread sequential thread " ]
check "--models process,py-t<TAB>: after the comma" \
	[ "$(offers run square --models process,py-t)" = process,py-thread ]
mkdir -p "$TMP/outdir" && touch "$TMP/outfile"
check "--out <TAB>: folders only" [ "$(offers run square --out "$TMP/out")" = "$TMP/outdir" ]
done_tests

#!/usr/bin/env bash
# install.sh - an installed pvt stands on its own: cmake --install into a
# temporary prefix, the prefix moved elsewhere, then, with the source and
# build folders hidden (empty tmpfs mounted over them in a mount namespace
# of its own) and as nobody when root: the quick suite with the py-*
# models, the charts and the report, from a fresh folder; a scenario
# program run from libexec/pvt/; the completion and the man page of the
# installed copy; PVT_DATADIR. Results land in the folder pvt ran from,
# never in the install tree.
. "$(dirname "$0")/lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=$(cd "$BIN/.." && pwd)
chmod 711 "$TMP"

cmake --install "$BUILD" --prefix "$TMP/staged" > "$TMP/install.log" 2>&1
check "cmake --install exits 0" [ $? -eq 0 ]
mv "$TMP/staged" "$TMP/prefix"	# installed, then moved: still whole
P=$TMP/prefix
for f in bin/pvt libexec/pvt/pvt-nop share/pvt/scripts/plot \
	share/pvt/scripts/report share/pvt/scripts/style.gnuplot \
	share/pvt/scripts/csv.awk share/pvt/scripts/square-speedup.gp \
	share/pvt/scenarios/python/square.py \
	share/pvt/scenarios/python/download.py share/man/man1/pvt.1.gz \
	share/bash-completion/completions/pvt share/doc/pvt/results.md; do
	check "installed: $f" [ -s "$P/$f" ]
done
names=$("$PVT" list | awk '{ print $1 }')
for name in $names; do
	check "installed: libexec/pvt/$name" [ -x "$P/libexec/pvt/$name" ]
done
check "bin/ holds pvt alone" [ "$(ls "$P/bin")" = pvt ]
check "the installed man page is doc/pvt.1" \
	cmp -s <(gzip -dc "$P/share/man/man1/pvt.1.gz") "$ROOT/doc/pvt.1"
check "no developer script installed" \
	[ ! -e "$P/share/pvt/scripts/setup" -a ! -e "$P/share/pvt/scripts/test" ]

# What runs with the sources out of sight: pvt could write into the
# install tree (nobody owns it there) and must not.
W=$TMP/work
mkdir -p "$W"
cat > "$TMP/inside.sh" <<'EOF'
P=$1 W=$2 ROOT=$3 BUILD=$4
cd "$W" || exit 97
{ [ -e "$ROOT/scripts/plot" ] || [ -e "$BUILD/bin/pvt" ]; } && touch visible
"$P/bin/pvt" suite --quick > suite.log 2>&1
echo $? > suite.rc
"$P/bin/pvt" run square --models thread,py-thread --workers 1,2 --tasks 4 \
	--size 64Ki --py-size 4Ki --repeat 1 --warmup 0 --out elsewhere \
	> run.log 2>&1
echo $? > run.rc
"$P/libexec/pvt/spawn" --mechs posix_spawn --parent-mem 0 --iterations 5 \
	--repeat 1 --warmup 0 --out libexec > libexec.log 2>&1
echo $? > libexec.rc
PVT_DATADIR=$W/nodata "$P/bin/pvt" run square --models py-thread \
	--workers 1 --tasks 2 --size 1000 --repeat 1 --warmup 0 --out nodata \
	> nodata.log 2>&1
echo $? > nodata.rc
if [ -x "$P/libexec/pvt/square-mpi" ] && command -v mpirun > /dev/null; then
	HOME=$W "$P/bin/pvt" run square --models mpi --workers 2 --tasks 4 \
		--size 64Ki --repeat 1 --warmup 0 --out mpi > mpi.log 2>&1
	echo $? > mpi.rc
fi
. "$P/share/bash-completion/completions/pvt"
COMP_WORDS=("$P/bin/pvt" run "")
COMP_CWORD=2
_pvt
printf '%s\n' "${COMPREPLY[@]}" > completion.out
MANWIDTH=80 man --warnings -l "$P/share/man/man1/pvt.1.gz" 2>&1 \
	> man.out | cat > man.err
EOF

inside=(bash "$TMP/inside.sh" "$P" "$W" "$ROOT" "$BUILD")
if [ "$(id -u)" = 0 ] && command -v setpriv > /dev/null &&
	unshare -m true 2> /dev/null; then
	chown -R 65534:65534 "$P" "$W"
	how="as nobody, sources hidden"
	unshare -m bash -c 'mount -t tmpfs -o size=64k tmpfs "$1" &&
		mount -t tmpfs -o size=64k tmpfs "$2" && shift 2 &&
		exec setpriv --reuid=65534 --regid=65534 --clear-groups "$@"' \
		_ "$BUILD" "$ROOT" "${inside[@]}"
elif unshare -rm true 2> /dev/null; then
	how="sources hidden (user namespace)"
	unshare -rm bash -c 'mount -t tmpfs -o size=64k tmpfs "$1" &&
		mount -t tmpfs -o size=64k tmpfs "$2" && shift 2 && exec "$@"' \
		_ "$BUILD" "$ROOT" "${inside[@]}"
else
	how="sources NOT hidden (no mount namespace here)"
	"${inside[@]}"
fi
echo "installed copy run: $how"
[ "$how" = "${how%NOT*}" ] &&
	check "the sources were out of sight" [ ! -e "$W/visible" ]

check "suite --quick exits 0" [ "$(cat "$W/suite.rc")" = 0 ]
[ "$(cat "$W/suite.rc")" = 0 ] || tail -n 20 "$W/suite.log" >&2
R=$W/results
for name in $names; do
	check "suite: $name.csv in ./results" [ -s "$R/$name.csv" ]
done
for m in py-sequential py-process py-thread; do
	check "suite: square has ok $m rows" \
		[ -n "$(cell "$R/square.csv" model $m ok | grep -x 1)" ]
	check "suite: no failed $m row" \
		[ -z "$(cell "$R/square.csv" model $m ok | grep -vx 1)" ]
done
check "suite: the speedup chart" [ -s "$R/charts/square-speedup.png" ]
check "suite: the spawn chart" [ -s "$R/charts/spawn-cost.svg" ]
check "suite: the report, charts in it" \
	grep -q 'src="data:image/svg+xml' "$R/report.html"
check "suite: no chart or script missing" \
	[ -z "$(grep "not found" "$W/suite.log")" ]
check "run --out elsewhere exits 0" [ "$(cat "$W/run.rc")" = 0 ]
check "run --out: the py-thread rows are there" \
	[ "$(cell "$W/elsewhere/square.csv" model py-thread ok | grep -cx 1)" = 2 ]
check "libexec/pvt/spawn finds pvt-nop beside it" \
	[ "$(cat "$W/libexec.rc")" = 0 -a -s "$W/libexec/spawn.csv" ]
if [ -e "$W/mpi.rc" ]; then
	check "mpi model: square-mpi found in libexec/pvt/" [ "$(cat "$W/mpi.rc")" = 0 ]
	check "mpi model: its rows ok" \
		[ "$(cell "$W/mpi/square.csv" model mpi ok | grep -cx 1)" = 1 ]
	[ "$(cat "$W/mpi.rc")" = 0 ] || tail -n 5 "$W/mpi.log" >&2
else
	echo "skipped: the mpi model (no square-mpi or no mpirun)"
fi
check "PVT_DATADIR without the programs: the run fails" \
	[ "$(cat "$W/nodata.rc")" = 1 ]
check "PVT_DATADIR without the programs: names the file" \
	grep -q "$W/nodata/scenarios/python/square.py: No such file" "$W/nodata.log"
check "completion offers every scenario" \
	[ "$(sort "$W/completion.out")" = "$(echo "$names" | sort)" ]
check "the installed man page renders" [ -s "$W/man.out" ]
check "the installed man page renders without warnings" [ ! -s "$W/man.err" ]
check "nothing written into the install tree" \
	[ -z "$(find "$P" -newer "$TMP/inside.sh")" ]
done_tests

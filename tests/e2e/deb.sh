#!/usr/bin/env bash
# deb.sh - scripts/package builds pvt_VERSION_ARCH.deb from this build:
# its dependencies are the real ones (the libraries its programs link,
# gnuplot, python3), apt accepts it here, it holds the whole install
# tree, and unpacked elsewhere it runs from a fresh folder. With
# PVT_TEST_DPKG=1, as root, on a machine without pvt installed, it is
# also installed for real (apt-get install ./pvt_*.deb), run from a fresh
# folder with pvt on PATH, and removed: CI machines of their own only,
# never a machine others test on at the same time.
. "$(dirname "$0")/lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=$(cd "$BIN/.." && pwd)

for tool in cpack dpkg-deb dpkg-shlibdeps; do
	if ! command -v $tool > /dev/null; then
		echo "skipped: $tool not found (Debian: cmake, dpkg-dev)"
		exit 0
	fi
done

"$ROOT/scripts/package" --build "$BUILD" --out "$TMP/deb" \
	> "$TMP/package.log" 2>&1
check "scripts/package exits 0" [ $? -eq 0 ]
deb=$(grep '/pvt_[^/]*\.deb$' "$TMP/package.log")
mpi=$(grep '/pvt-mpi_[^/]*\.deb$' "$TMP/package.log")
version=$("$PVT" --version | cut -d' ' -f2)_$(dpkg --print-architecture)
check "it prints the package's path" [ -f "$deb" ]
check "named pvt_VERSION_ARCH.deb" [ "$(basename "$deb")" = "pvt_$version.deb" ]
for f in "$deb" $mpi; do echo "package: $(basename "$f"), $(wc -c < "$f") bytes"; done

depends=$(dpkg-deb -f "$deb" Depends)
echo "Depends: $depends"
# has DEP: the Depends field names package DEP
has() {
	[ -n "$1" ] && tr ',|' '\n\n' <<< "$depends" | sed 's/(.*//; s/ //g' |
		grep -qx -e "$1"
}
for lib in curl microhttpd; do
	# the package that holds the library pvt's programs link (download,
	# pvt-serve), as the system says
	so=$(ldd "$BIN"/* 2> /dev/null |
		awk -v l="lib$lib" 'index($1, l) == 1 { print $3; exit }')
	pkg=$(dpkg -S "$(readlink -f "$so")" 2> /dev/null | cut -d: -f1 | head -n 1)
	check "depends on ${pkg:-the package of lib$lib} (holds $so)" has "$pkg"
done
check "depends on gnuplot-nox" has gnuplot-nox
check "pvt alone does not depend on Open MPI" \
	[ -z "$(grep -i mpi <<< "$depends")" ]
check "depends on python3" has python3
check "apt accepts it here (apt-get -s install)" \
	apt-get -s install "$deb" > "$TMP/apt.log" 2>&1

# the mpi models' package, where Open MPI was found at configure time
if [ -x "$BIN/square-mpi" ]; then
	check "pvt-mpi_VERSION_ARCH.deb too" [ "$(basename "$mpi")" = "pvt-mpi_$version.deb" ]
	mdeps=$(dpkg-deb -f "$mpi" Depends)
	check "pvt-mpi depends on this pvt" grep -qF "pvt (= ${version%_*})" <<< "$mdeps"
	check "pvt-mpi depends on Open MPI" grep -q "libopenmpi" <<< "$mdeps"
	check "pvt-mpi depends on mpirun's package" grep -q "openmpi-bin" <<< "$mdeps"
	dpkg-deb -c "$mpi" > "$TMP/mpi.contents"
	check "pvt-mpi holds square-mpi" grep -q "/usr/libexec/pvt/square-mpi$" "$TMP/mpi.contents"
	check "pvt-mpi holds scripts/cluster" grep -q "/usr/share/pvt/scripts/cluster$" "$TMP/mpi.contents"
else
	check "no pvt-mpi package without Open MPI" [ -z "$mpi" ]
fi

dpkg-deb -c "$deb" | awk '{ print $6 }' | sed 's|^\./|/|' > "$TMP/contents"
for f in /usr/bin/pvt /usr/libexec/pvt/pvt-nop /usr/share/pvt/scripts/plot \
	/usr/share/pvt/scripts/report /usr/share/pvt/scenarios/python/square.py \
	/usr/share/man/man1/pvt.1.gz /usr/share/bash-completion/completions/pvt; do
	check "holds $f" grep -qx "$f" "$TMP/contents"
done
for name in $("$PVT" list | awk '{ print $1 }'); do
	check "holds /usr/libexec/pvt/$name" grep -qx "/usr/libexec/pvt/$name" "$TMP/contents"
done
check "nothing outside /usr" [ -z "$(grep -v '^/usr/' "$TMP/contents")" ]

# unpacked into a folder of its own, run from a fresh folder
dpkg-deb -x "$deb" "$TMP/root"
mkdir "$TMP/fresh"
touch "$TMP/before"
(cd "$TMP/fresh" && "$TMP/root/usr/bin/pvt" run square \
	--models thread,py-thread --workers 1,2 --tasks 4 --size 64Ki \
	--py-size 4Ki --repeat 1 --warmup 0 --quiet) > "$TMP/run.log" 2>&1
check "unpacked: pvt run square exits 0" [ $? -eq 0 ]
check "unpacked: results in ./results" [ -s "$TMP/fresh/results/square.csv" ]
check "unpacked: the py-thread rows ok" \
	[ "$(cell "$TMP/fresh/results/square.csv" model py-thread ok | grep -cx 1)" = 2 ]
check "unpacked: nothing written beside the programs" \
	[ -z "$(find "$TMP/root" -newer "$TMP/before")" ]

if [ "${PVT_TEST_DPKG:-}" != 1 ]; then
	echo "skipped: the real install (PVT_TEST_DPKG=1 as root on a machine of its own)"
elif [ "$(id -u)" != 0 ] || dpkg -s pvt > /dev/null 2>&1; then
	echo "skipped: the real install (not root, or pvt already installed)"
else
	DEBIAN_FRONTEND=noninteractive apt-get install -y \
		-o DPkg::Lock::Timeout=120 "$deb" > "$TMP/install.log" 2>&1
	check "apt-get install ./pvt_*.deb exits 0" [ $? -eq 0 ]
	mkdir "$TMP/class"
	(cd "$TMP/class" && pvt suite --quick) > "$TMP/suite.log" 2>&1
	check "installed: pvt suite --quick exits 0" [ $? -eq 0 ]
	check "installed: the report in ./results" [ -s "$TMP/class/results/report.html" ]
	check "installed: the charts" [ -s "$TMP/class/results/charts/square-speedup.svg" ]
	check "installed: man pvt" sh -c 'MANWIDTH=80 man pvt | grep -q "processes vs threads"'
	apt-get remove -y -o DPkg::Lock::Timeout=120 pvt > "$TMP/remove.log" 2>&1
	check "apt-get remove pvt exits 0" [ $? -eq 0 ]
	check "removed: no /usr/bin/pvt, no /usr/share/pvt" [ ! -e /usr/bin/pvt -a ! -e /usr/share/pvt ]
fi
done_tests

#!/usr/bin/env bash
# Each scenario in a lean process of its own: the binaries link only what
# they use (readelf), the driver passes options, exit statuses and signals
# through, and pvt run spawn forks from a process close to a libc-only one
# (the loop built by the test: tests/libc_loop.c), which it records in its
# CSV metadata. Times are printed side by side, not asserted (a shared
# machine's load would decide them): scripts/bench-spawn holds the target.
. "$(dirname "$0")/lib.sh"
LOOP=${PVT_LIBC_LOOP:?set PVT_LIBC_LOOP to build/bin/libc_loop}

# needed BINARY: the shared libraries it names (DT_NEEDED), less the
# sanitizers' runtimes; in a sanitizer build (-O0) sqrt is a call, so
# libm is allowed there too
needed() { readelf -d "$1" | sed -n 's/.*Shared library: \[\(.*\)\]/\1/p' |
	grep -v -e '^libasan' -e '^libubsan' -e '^libtsan' |
	{ if readelf -d "$1" | grep -q 'libasan\|libtsan'; then grep -vx libm.so.6; else cat; fi; } |
	tr '\n' ' '; }
net() { needed "$1" | grep -qE 'libcurl|libmicrohttpd'; }
for b in pvt pvt-nop hello square spawn memory isolation shared_array ipc race crash pool; do
	check "$b links neither libcurl nor libmicrohttpd ($(needed "$BIN/$b"))" sh -c "! { $(declare -f needed net); net '$BIN/$b'; }"
done
check "download links libcurl and libmicrohttpd" sh -c "$(declare -f needed); needed '$BIN/download' | grep -q libcurl && needed '$BIN/download' | grep -q libmicrohttpd"
check "pvt-serve links libmicrohttpd, not libcurl" sh -c "$(declare -f needed); needed '$BIN/pvt-serve' | grep -q libmicrohttpd && ! needed '$BIN/pvt-serve' | grep -q libcurl"
check "pvt links libc only ($(needed "$BIN/pvt"))" [ "$(needed "$BIN/pvt")" = "libc.so.6 " ]
for b in pvt-nop spawn memory square; do
	check "$b links libc only ($(needed "$BIN/$b"))" [ "$(needed "$BIN/$b")" = "libc.so.6 " ]
done
# ldd too: nothing of the network part comes in through a dependency
check "spawn, memory, square load no libcurl (ldd)" sh -c "! ldd '$BIN/spawn' '$BIN/memory' '$BIN/square' | grep -qE 'libcurl|libmicrohttpd|libssl'"
# the ranks' programs (where Open MPI is installed): download's fetches,
# square's does not
if [ -x "$BIN/download-mpi" ]; then
	check "download-mpi loads libcurl (ldd)" sh -c "ldd '$BIN/download-mpi' | grep -q libcurl"
	check "square-mpi, pvt-mpi load no libcurl (ldd)" sh -c "! ldd '$BIN/square-mpi' '$BIN/pvt-mpi' | grep -qE 'libcurl|libmicrohttpd|libssl'"
fi

# who forks and creates threads: the list in src/engine/workers.h
src=$(cd "$(dirname "$0")/../.." && pwd)
calls() { # calls REGEX: the files of src/ and scenarios/ that call it
	(cd "$src" && grep -lE "$1" src/*/*.c scenarios/*.c | tr '\n' ' ')
}
check "fork() only in the engine ($(calls '= *v?fork\('))" [ "$(calls '= *v?fork\(')" = "src/engine/child.c src/engine/pool.c src/engine/sandbox.c src/engine/spawn_cost.c src/engine/workers.c " ]
check "pthread_create only in the engine and the server ($(calls 'pthread_create\('))" [ "$(calls 'pthread_create\(')" = "src/engine/spawn_cost.c src/engine/workers.c src/net/httpd.c " ]

# the driver runs the binary: same output, same status
"$PVT" run square --workers 0 > "$TMP/a.out" 2> "$TMP/a.err"
ra=$?
"$BIN/square" --workers 0 > "$TMP/b.out" 2> "$TMP/b.err"
rb=$?
check "a usage error: status 2 through the driver" [ $ra -eq 2 -a $rb -eq 2 ]
check "the same message" cmp -s "$TMP/a.err" "$TMP/b.err"
"$PVT" explain spawn > "$TMP/e1"
"$BIN/spawn" --explain > "$TMP/e2"
check "explain comes from the binary" cmp -s "$TMP/e1" "$TMP/e2"
nsc=$(find "$(dirname "$0")/../../scenarios" -maxdepth 1 -name '*.c' | wc -l)
check "list names every scenario with its summary" [ "$("$PVT" list | grep -c '^  [a-z_]* *[^ (]')" = "$nsc" ]
check "a missing binary is said" sh -c "cp '$PVT' '$TMP/pvt' && ! '$TMP/pvt' run square 2> '$TMP/miss' && grep -q 'square: No such file' '$TMP/miss'"

# the process spawn forks from, beside the libc-only loop
out=$TMP/r
"$PVT" run spawn --mechs fork,thread --parent-mem 0 --iterations 200 \
	--run-time 200ms --repeat 3 --warmup 1 --out "$out" > "$TMP/log" 2>&1
check "spawn exits 0" [ $? -eq 0 ]
sum=$out/spawn.summary.csv
pmaps=$(meta "$sum" process_maps)
mmaps=$(meta "$sum" minimal_maps)
lmaps=$("$LOOP" maps)
echo "memory regions: spawn $pmaps ($(meta "$sum" process_libraries) beyond libc, $(meta "$sum" process_rss_kib) KiB resident), pvt-nop $mmaps ($(meta "$sum" minimal_rss_kib) KiB), libc-only loop $lmaps"
check "process_maps recorded" [ "${pmaps:-0}" -gt 0 ]
check "no network library in spawn's process" sh -c "! echo '$(meta "$sum" process_libraries)' | grep -qE 'curl|microhttpd'"
check "pvt-nop maps what the libc-only loop maps (± 2)" awk -v a="$mmaps" -v b="$lmaps" 'BEGIN { exit !(a > 0 && a - b <= 2 && b - a <= 2) }'
# libm and spawn's own heap, stacks and code: a handful, never the
# hundreds a process linked with libcurl maps
check "spawn maps at most 1.5 x the loop's regions ($pmaps vs $lmaps)" awk -v a="$pmaps" -v b="$lmaps" 'BEGIN { exit !(a <= 1.5 * b) }'
check "the narration compares" grep -q "a libc-only program (pvt-nop) has $mmaps" "$TMP/log"
pf=$(by_name "$sum" 'v["mech"] == "fork" { print v["median_us"] }')
pt=$(by_name "$sum" 'v["mech"] == "thread" { print v["median_us"] }')
lf=$("$LOOP" 200 fork)
lt=$("$LOOP" 200 thread)
echo "µs per round trip: fork pvt $pf, loop $lf; thread pvt $pt, loop $lt"
check "the loop ran" [ -n "$lf" -a -n "$lt" ]

# pvt suite stopped by SIGTERM to the driver alone: the scenario it runs
# stops too, and nothing is left
setsid "$PVT" suite --quick --out "$TMP/suite" > "$TMP/suite.log" 2>&1 &
pid=$!
for t in $(seq 50); do [ -n "$(pgrep -P $pid)" ] && break; sleep 0.1; done
sleep 0.5
kill -TERM $pid
wait $pid
rc=$?
check "suite: SIGTERM exits 143 (got $rc)" [ $rc -eq 143 ]
for t in $(seq 20); do [ -z "$(pgrep -g $pid)" ] && break; sleep 0.1; done
check "suite: nothing left in its group" [ -z "$(pgrep -g $pid)" ]
check "suite: no temporary file" [ -z "$(ls -A "$TMP/suite" 2> /dev/null | grep '^\.')" ]
# Ctrl-C at a terminal reaches the driver and the scenario it runs (one
# process group): the scenario stops cleanly, once, and the suite ends 130
if command -v python3 > /dev/null; then
	python3 - "$PVT" "$TMP/tty" > "$TMP/tty.log" 2>&1 << 'PY'
import os, pty, sys, time
pvt, out = sys.argv[1], sys.argv[2]
pid, fd = pty.fork()
if pid == 0:
    os.execv(pvt, [pvt, "suite", "--quick", "--out", out])
buf, t0 = b"", time.time()
while time.time() - t0 < 30 and b"=== square" not in buf:
    try:
        buf += os.read(fd, 4096)
    except OSError:
        break
time.sleep(0.5)
os.write(fd, b"\x03")		# the terminal's Ctrl-C
while True:
    try:
        d = os.read(fd, 4096)
    except OSError:
        break
    if not d:
        break
    buf += d
_, st = os.waitpid(pid, 0)
sys.stdout.write(buf.decode(errors="replace"))
print("\nstatus %d" % os.waitstatus_to_exitcode(st))
PY
	check "tty Ctrl-C: the suite exits 130" grep -q '^status 130$' "$TMP/tty.log"
	check "tty Ctrl-C: the scenario stopped once, cleanly" grep -q 'square: interrupted by SIGINT: every worker stopped' "$TMP/tty.log"
	check "tty Ctrl-C: its CSV absent or marked interrupted" sh -c "[ ! -e '$TMP/tty/square.csv' ] || grep -q '^# interrupted: yes' '$TMP/tty/square.csv'"
	check "tty Ctrl-C: no temporary file" [ -z "$(ls -A "$TMP/tty" | grep '^\.')" ]
	check "tty Ctrl-C: no scenario left running" [ -z "$(pgrep -f "$TMP/tty")" ]
else
	ok	# no python3: the terminal's Ctrl-C is not simulated
fi
done_tests

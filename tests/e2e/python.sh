#!/usr/bin/env bash
# the py-* models: python3 runs square, pvt checks and merges its rows;
# without python3 they are skipped; a wrong answer from Python fails
. "$(dirname "$0")/lib.sh"

out=$TMP/r
"$PVT" run square --models sequential,thread,py-sequential,py-process,py-thread \
	--workers 1,2 --tasks 8 --size 64Ki --py-size 4Ki --repeat 2 \
	--warmup 0 --out "$out" > "$TMP/log" 2>&1
check "run exits 0" [ $? -eq 0 ]
raw=$out/square.csv sum=$out/square.summary.csv
py_rows() { awk -F, -v m="$1" '!/^#/ && $2 == m' "$raw" | wc -l; }
check "py-sequential: 2 rows" [ "$(py_rows py-sequential)" = 2 ]
check "py-process: 4 rows" [ "$(py_rows py-process)" = 4 ]
check "py-thread: 4 rows" [ "$(py_rows py-thread)" = 4 ]
check "py rows ok, nothing failed" [ -z "$(awk -F, '!/^#/ && $2 ~ /^py-/ && ($12 != 1 || $11 != 0)' "$raw")" ]
check "py rows carry their own size" [ -z "$(awk -F, '!/^#/ && $2 ~ /^py-/ && $5 != 4096' "$raw")" ]
check "C rows keep theirs" [ -z "$(awk -F, '!/^#/ && $1 == "square" && $2 !~ /^py-/ && $5 != 65536' "$raw")" ]
check "py wall time positive" [ -z "$(awk -F, '!/^#/ && $2 ~ /^py-/ && !($7 > 0)' "$raw")" ]
check "py-sequential is the py baseline" [ "$(awk -F, '!/^#/ && $2 == "py-sequential" { print $13 }' "$sum")" = 1 ]
check "py-thread has a speedup" [ -n "$(awk -F, '!/^#/ && $2 == "py-thread" && $3 == 2 { print $13 }' "$sum")" ]
check "narration states the ratios" grep -q "Python threads reach" "$TMP/log"

# no python3 on PATH: skipped with one line, the C models still run
nopy=$TMP/bin
mkdir -p "$nopy"
for tool in awk sh; do ln -s "$(command -v $tool)" "$nopy/$tool"; done
PATH=$nopy "$PVT" run square --models thread,py-thread --workers 2 \
	--tasks 4 --size 1000 --repeat 1 --out "$TMP/r2" > "$TMP/log2" 2>&1
check "without python3: exit 0" [ $? -eq 0 ]
check "without python3: says so" grep -q "py-\* models are skipped: python3 not found" "$TMP/log2"
check "without python3: thread row only" [ "$(rows "$TMP/r2/square.csv")" = 1 ]

# an interpreter that answers wrong: a failed run, never a measurement
# (each fake answers pvt's question of what it is as python3 does)
cat > "$TMP/liar" <<'PY'
#!/bin/sh
[ "$1" = -c ] && exec python3 "$@"
echo "square,py-thread,2,4,1000,1,0.5,0.5,0,100,0,1,12345"
PY
chmod +x "$TMP/liar"
PVT_PYTHON=$TMP/liar "$PVT" run square --models py-thread --workers 2 \
	--tasks 4 --size 1000 --py-size 1000 --repeat 1 --warmup 0 \
	--out "$TMP/r3" > "$TMP/log3" 2>&1
check "wrong checksum: exit 1" [ $? -eq 1 ]
check "wrong checksum: said why" grep -q "checksum 12345, expected" "$TMP/log3"
check "wrong checksum: row not ok" [ "$(col "$TMP/r3/square.csv" ok)" = 0 ]
check "wrong checksum: no median" [ "$(awk -F, '!/^#/ && $2 == "py-thread" { print $7 }' "$TMP/r3/square.summary.csv")" = "" ]

# a Python error: a failed run with its reason
printf '#!/bin/sh\n[ "$1" = -c ] && exec python3 "$@"\necho "Traceback: boom" >&2\nexit 1\n' > "$TMP/broken"
chmod +x "$TMP/broken"
PVT_PYTHON=$TMP/broken "$PVT" run square --models py-process --workers 2 \
	--tasks 4 --size 1000 --repeat 1 --out "$TMP/r4" > "$TMP/log4" 2>&1
check "python error: exit 1" [ $? -eq 1 ]
check "python error: its message" grep -q "exited with status 1: Traceback: boom" "$TMP/log4"
check "python error: row not ok" [ "$(col "$TMP/r4/square.csv" ok)" = 0 ]

# download: Python fetches from the same server, pvt checks the CRC sum
"$PVT" run download --models py-sequential,py-process,py-thread \
	--workers 2 --tasks 6 --size 4KiB --latency 5ms --repeat 1 \
	--warmup 0 --discard --out "$TMP/r6" > "$TMP/log6" 2>&1
check "download py-*: exit 0" [ $? -eq 0 ]
check "download py-*: 3 rows, all ok" [ "$(awk -F, '!/^#/ && $2 ~ /^py-/ && $12 == 1' "$TMP/r6/download.csv" | wc -l)" = 3 ]
# a server that fails a third of its files: Python's failures are counted
"$PVT" run download --models py-thread --workers 2 --tasks 6 --size 4KiB \
	--latency 1ms --error-rate 0.34 --error-kinds 500 --repeat 1 \
	--warmup 0 --discard --out "$TMP/r7" > "$TMP/log7" 2>&1
check "download py-* with faults: exit 1" [ $? -eq 1 ]
check "download py-* with faults: said why" grep -q "py-thread x2 run 1 failed: 2 task(s) failed: .*http_errors=2" "$TMP/log7"
check "download py-* with faults: counted by cause" [ "$(col "$TMP/r7/download.csv" http_errors)" = 2 ]

# stalls and corrupt files: every model, py-* included, counts the same
# 2 failed tasks by cause, with its time measured
"$PVT" run download --models gil,py-thread,py-process,sequential \
	--workers 4 --tasks 8 --size 4KiB --latency 1ms --repeat 1 --warmup 0 \
	--error-rate 0.25 --error-kinds stall,corrupt --timeout 1s \
	--discard --out "$TMP/r9" > "$TMP/log9" 2>&1
check "faults by cause: exit 1" [ $? -eq 1 ]
check "faults by cause: 4 rows" [ "$(rows "$TMP/r9/download.csv")" = 4 ]
check "faults by cause: every row 2 failed, 1 timeout, 1 checksum" \
	[ -z "$(by_name "$TMP/r9/download.csv" '$0 = v["failed"] != 2 || v["timeouts"] != 1 || v["checksum_errors"] != 1 || v["http_errors"] != 0 || v["conn_errors"] != 0 || v["wall_s"] == "" ? v["model"] : ""' | grep .)" ]

# Ctrl-C while python3 downloads: pvt stops it, its pool and the server
setsid "$PVT" run download --models py-process --workers 2 --tasks 16 \
	--size 4KiB --latency 300ms --repeat 3 --warmup 0 --discard \
	--out "$TMP/r8" --quiet > "$TMP/log8" 2>&1 &
pid=$!
# this run's python3 (another test's may run beside it): pvt's child,
# the leader of a process group of its own
py=
for i in $(seq 50); do py=$(pgrep -P $pid -f "download.py --model process") && break; sleep 0.1; done
check "python3 was running" [ -n "$py" ]
kill -INT $pid
wait $pid
check "Ctrl-C during python3: exit 130" [ $? -eq 130 ]
sleep 0.3
# (its processes may be init's zombies a while: dead, not left running)
check "Ctrl-C during python3: no python3 left running" [ "$(ps -o stat= -g "${py:-0}" | grep -vc '^Z')" = 0 ]
check "Ctrl-C during python3: nothing left in its session, zombies included" [ -z "$(ps -o pid= -s $pid)" ]
check "Ctrl-C during python3: nothing left in pvt's group" [ -z "$(pgrep -g $pid)" ]

check "hello has no Python port" sh -c "'$PVT' run hello --models py-thread --out '$TMP/r5' 2>&1 | grep -q 'no Python port'"
done_tests

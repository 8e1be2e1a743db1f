#!/usr/bin/env bash
# Python's own costs at tiny sizes: py-* mechanisms of spawn, memory,
# pool and crash, square's hashlib work, the interpreter's metadata,
# --python refused when unusable, a free-threaded interpreter (faked)
# and a Python program that hangs
. "$(dirname "$0")/lib.sh"

py=$(command -v python3) || { echo "python_costs.sh: no python3: skipped"; exit 0; }

# spawn: every Python mechanism beside fork and thread
out=$TMP/spawn
"$BIN/spawn" --mechs fork,thread,py-fork,py-forkserver,py-spawn,py-thread \
	--parent-mem 0 --iterations 3 --run-time 10ms --repeat 2 --warmup 0 \
	--out "$out" > "$TMP/log" 2>&1
check "spawn with py-*: exit 0" [ $? -eq 0 ]
sum=$out/spawn.summary.csv
check "spawn: six mechanisms" [ "$(col "$sum" mech | sort | tr '\n' ' ')" = "fork py-fork py-forkserver py-spawn py-thread thread " ]
check "spawn: py models" [ "$(by_name "$sum" 'v["mech"] ~ /^py-/ { print v["mech"] "=" v["model"] }' | sort | tr '\n' ' ')" = "py-fork=py-process py-forkserver=py-process py-spawn=py-process py-thread=py-thread " ]
check "spawn: every run ok" sh -c "$(declare -f col all_equal); col '$out/spawn.csv' ok | all_equal 1"
check "spawn: µs positive" positive median_us "$sum"
check "spawn: interpreter recorded" [ -n "$(meta "$sum" python_version)" ]
check "spawn: its implementation" [ "$(meta "$sum" python_implementation)" = CPython ]
check "spawn: its GIL" grep -q "^# python_gil: enabled" "$sum"
check "spawn: Python's rows" [ "$(grep -cE '^  py-(process|thread) +1 +py-' "$TMP/log")" = 4 ]
check "spawn: Python's lesson" grep -q "With .*with a GIL), starting and joining one Python worker takes: fork" "$TMP/log"
ver=$out/spawn.verdicts.csv
check "spawn: py-spawn dearer than py-fork, checked" grep -q "^spawn,py-spawn round trip / py-fork's,>= 1.0x," "$ver"
check "spawn: py-fork dearer than py-thread, checked" grep -q "^spawn,py-fork round trip / py-thread's,>= 1.0x," "$ver"

# memory: PSS and USS per worker for two start methods and threads
out=$TMP/memory
"$BIN/memory" --models py-process,py-thread --workers 2 \
	--start-methods fork,spawn --repeat 3 --warmup 0 --out "$out" > "$TMP/log" 2>&1
check "memory with py-*: exit 0" [ $? -eq 0 ]
f=$out/memory.summary.csv
check "memory: fork, spawn and threads" [ "$(by_name "$f" '{ print v["model"] "/" v["start_method"] }' | tr '\n' ' ')" = "py-process/fork py-process/spawn py-thread/ " ]
check "memory: rows ok" sh -c "$(declare -f col all_equal); col '$out/memory.csv' ok | all_equal 1"
check "memory: 3 runs each" [ "$(rows "$out/memory.csv")" = 9 ]
check "memory: spawned vs forked, checked" grep -q "a spawned Python worker owns more than a forked one" "$out/memory.verdicts.csv"
check "memory: USS positive" positive uss_kib "$f"
fork=$(cell "$f" start_method fork uss_kib) spawn=$(cell "$f" start_method spawn uss_kib)
check "memory: a spawned worker owns more than a forked one ($spawn > $fork KiB)" awk -v a="$fork" -v b="$spawn" 'BEGIN { exit !(b > a) }'
check "memory: no python left" [ -z "$(pgrep -f 'memory.py --method')" ]
cat > "$TMP/quitter" <<'PY'
#!/bin/sh
[ "$1" = -c ] && exec python3 "$@"
sleep 3 & echo "row pid=$!"; read x; exit 3
PY
chmod +x "$TMP/quitter"
"$BIN/memory" --models py-thread --workers 1 --repeat 1 --warmup 0 \
	--python "$TMP/quitter" --out "$TMP/quit" > "$TMP/log" 2>&1
check "memory: a memory.py that ends early fails the run" [ $? -eq 1 ]
check "memory: said how it ended" grep -q "idle run 1 failed: memory.py exited with status 3" "$TMP/log"

# pool: Pool.map, ProcessPoolExecutor.map and ThreadPool.map, chunksizes
out=$TMP/pool
"$BIN/pool" --models process,py-process,py-thread --items 10,40 \
	--chunksizes 1,4 --spawn-max 10 --experiments overhead,chunksize \
	--start-methods fork --repeat 1 --warmup 0 --out "$out" > "$TMP/log" 2>&1
check "pool with py-*: exit 0" [ $? -eq 0 ]
sum=$out/pool.summary.csv
check "pool: Python's pools" [ "$(by_name "$sum" 'v["model"] ~ /^py-/ { print v["method"] }' | sort -u | tr '\n' ' ')" = "Pool.map ProcessPoolExecutor.map ThreadPool.map " ]
check "pool: 4 rows each (2 maps, 2 chunksizes)" [ "$(by_name "$sum" 'v["method"] == "Pool.map" { k++ } END { print k }')" = 4 ]
check "pool: start method recorded" [ "$(by_name "$sum" 'v["method"] == "Pool.map" { print v["start_method"] }' | sort -u)" = fork ]
check "pool: every Python run ok" [ -z "$(by_name "$out/pool.csv" 'v["model"] ~ /^py-/ && v["ok"] != 1')" ]
check "pool: Python beside C" grep -q "pvt's C process pool" "$TMP/log"

# crash: bounded, with the outcome Python gives
out=$TMP/crash
start=$(date +%s)
"$BIN/crash" --models py-process,py-thread --workers 3 --tasks 6 \
	--crash-task 3 --task-time 10ms --py-wait 1s --out "$out" > "$TMP/log" 2>&1
check "crash with py-*: exit 0" [ $? -eq 0 ]
check "crash: bounded in time (4 programs of --py-wait 1s)" [ $(($(date +%s) - start)) -lt 120 ]
f=$out/crash.csv
check "crash: Pool.map still waiting" [ "$(cell "$f" python_case pool outcome)" = "still waiting" ]
check "crash: the executor broken" [ "$(cell "$f" python_case executor outcome)" = BrokenProcessPool ]
check "crash: an exception ends a thread" [ "$(cell "$f" python_case thread-exception tasks_done)" = 5 ]
check "crash: a segfault ends them all" [ "$(cell "$f" python_case thread-segfault signal)" = SEGV ]
check "crash: said so" grep -q "still waiting after 1.0 s" "$TMP/log"
check "crash: no python left" [ -z "$(pgrep -f 'crash.py --case')" ]

# square --work hashlib: checked in C; a wrong digest fails the run
out=$TMP/hash
"$BIN/square" --work hashlib --models sequential,thread,gil,py-sequential,py-thread \
	--workers 2 --tasks 4 --size 64KiB --py-size 64KiB --repeat 1 \
	--warmup 0 --out "$out" > "$TMP/log" 2>&1
check "hashlib: exit 0" [ $? -eq 0 ]
check "hashlib: every row ok" sh -c "$(declare -f col all_equal); col '$out/square.csv' ok | all_equal 1"
check "hashlib: py rows ran with a GIL" [ "$(cell "$out/square.csv" model py-thread python_gil)" = 1 ]
check "hashlib: C rows have no python_gil" [ -z "$(cell "$out/square.csv" model thread python_gil)" ]
check "hashlib: work recorded" [ "$(meta "$out/square.csv" work)" = hashlib ]
check "hashlib: the lesson says why" grep -q "lets go of the GIL" "$TMP/log"
check "hashlib: the gil model is expected to scale" [ "$(cell "$out/square.verdicts.csv" check "gil speedup at 2 worker(s)" expected)" = ">= 1.60x" ]
check "hashlib: py-thread is expected to scale" [ "$(cell "$out/square.verdicts.csv" check "py-thread speedup at 2 worker(s)" expected)" = ">= 1.60x" ]
cat > "$TMP/liar" <<'PY'
#!/bin/sh
[ "$1" = -c ] && exec python3 "$@"
echo "square,py-thread,2,4,65536,1,0.5,0.5,0,100,0,1,12345"
PY
chmod +x "$TMP/liar"
"$BIN/square" --work hashlib --python "$TMP/liar" --models py-thread \
	--workers 2 --tasks 4 --py-size 64KiB --repeat 1 --warmup 0 \
	--out "$TMP/hash2" > "$TMP/log" 2>&1
check "hashlib: a wrong digest sum fails" [ $? -eq 1 ]
check "hashlib: said so" grep -q "checksum 12345, expected" "$TMP/log"

# --python and PVT_PYTHON refused in one line when unusable
printf '#!/bin/sh\necho hello\n' > "$TMP/notpy"
printf '#!/bin/sh\necho "pvt-python 3 6 9 CPython none 0"\n' > "$TMP/py36"
printf '#!/bin/sh\necho "pvt-python 2 7 18 CPython none 0"\n' > "$TMP/py27"
chmod +x "$TMP/notpy" "$TMP/py36" "$TMP/py27"
touch "$TMP/noexec"
never=$TMP/never
refused "--python: $TMP/missing: No such file" "$BIN/square" --python "$TMP/missing" --out "$never"
refused "not an executable file" "$BIN/square" --python "$TMP/noexec" --out "$never"
refused "does not answer as Python 3 does" "$BIN/spawn" --python "$TMP/notpy" --out "$never"
refused "is Python 3.6.9; pvt's programs need Python 3.8" "$BIN/pool" --python "$TMP/py36" --out "$never"
refused "is Python 2.7.18" "$BIN/memory" --python "$TMP/py27" --out "$never"
refused "(from PVT_PYTHON)" env PVT_PYTHON="$TMP/notpy" "$BIN/crash" --out "$never"
refused "--py-timeout:" "$BIN/square" --py-timeout soon --out "$never"
check "--python given: used" sh -c "'$BIN/spawn' --python '$py' --mechs py-thread --parent-mem 0 --iterations 2 --repeat 1 --warmup 0 --out '$TMP/given' > /dev/null 2>&1 && grep -q '^# python: $py\$' '$TMP/given/spawn.csv'"

# a free-threaded interpreter (faked: it says its GIL is off, and runs
# python3): the metadata and the words follow it
cat > "$TMP/py313t" <<'PY'
#!/bin/sh
[ "$1" = -c ] && { echo "pvt-python 3 13 1 CPython 0 1"; exit 0; }
exec python3 "$@"
PY
chmod +x "$TMP/py313t"
out=$TMP/ft
"$BIN/square" --python "$TMP/py313t" --models py-sequential,py-thread \
	--workers 2 --tasks 4 --py-size 2Ki --repeat 1 --warmup 0 \
	--out "$out" > "$TMP/log" 2>&1
check "free-threaded: exit 0" [ $? -eq 0 ]
check "free-threaded: metadata" grep -q "^# python_gil: disabled" "$out/square.csv"
check "free-threaded: the build" [ "$(meta "$out/square.csv" python_free_threaded_build)" = yes ]
check "free-threaded: its rows say so" [ "$(cell "$out/square.csv" model py-thread python_gil)" = 0 ]
check "free-threaded: py-thread says so" grep -q "free-threaded interpreter (no GIL)" "$TMP/log"
check "free-threaded: no GIL lesson" sh -c "! grep -q 'Python threads reach' '$TMP/log'"
check "free-threaded: its lesson" grep -q "This Python has no GIL" "$TMP/log"
check "free-threaded: the check expects threads to scale" [ "$(cell "$out/square.verdicts.csv" check "py-thread speedup at 2 worker(s)" expected)" = ">= 1.60x" ]

# a Python program that hangs: ended at --py-timeout and counted
cat > "$TMP/hang" <<'PY'
#!/bin/sh
[ "$1" = -c ] && exec python3 "$@"
exec sleep 600
PY
chmod +x "$TMP/hang"
start=$(date +%s)
"$BIN/square" --python "$TMP/hang" --py-timeout 1s --models py-thread \
	--workers 2 --tasks 4 --py-size 1000 --repeat 1 --warmup 0 \
	--out "$TMP/hung" > "$TMP/log" 2>&1
check "hang: exit 1" [ $? -eq 1 ]
check "hang: ended within seconds" [ $(($(date +%s) - start)) -lt 30 ]
check "hang: said so" grep -q "still running after 1 s: ended" "$TMP/log"
check "hang: counted as failed" [ "$(col "$TMP/hung/square.csv" ok)" = 0 ]
check "hang: nothing left" [ -z "$(pgrep -f "$TMP/hang")" ]
done_tests

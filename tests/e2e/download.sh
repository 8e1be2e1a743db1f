#!/usr/bin/env bash
# download end to end: every model against the embedded server, rows and
# columns checked; faults counted by cause, exit 1; --url-file with bad
# URLs; bad input refused with exit 2; interrupted runs; never a server
# process left behind
. "$(dirname "$0")/lib.sh"

# left: processes whose command line names this test's folder (pvt, its
# workers and its server, which is a fork of it)
left() { pgrep -f -- "$TMP" | wc -l; }
# is VALUE: stdin is exactly VALUE, one line per row
is() { all_equal "$1"; }

# ---- every model, small -------------------------------------------------
out=$TMP/r
# the C models (the py-* ones are python.sh's)
C_MODELS=sequential,process,thread,gil
"$PVT" run download --models $C_MODELS --tasks 8 --size 4KiB \
	--latency 10ms --workers 1,4 --repeat 2 --warmup 0 --out "$out" \
	> "$TMP/log" 2>&1
check "pvt run download exits 0" [ $? -eq 0 ]
raw=$out/download.csv sum=$out/download.summary.csv
check "raw header" [ "$(header "$raw")" = "scenario,model,workers,tasks,size,rep,wall_s,user_s,sys_s,max_rss_kib,failed,ok,other_cpu,steal,busy,busy_s,gil_switches,hosts,ranks,threads_per_rank,launch_s,python_gil,bytes,http_errors,timeouts,conn_errors,length_errors,checksum_errors,url_errors,other_errors,workers_up_s,workers_down_s" ]
check "summary header" [ "$(header "$sum")" = "scenario,model,workers,tasks,size,n,median_s,min_s,max_s,mean_s,stddev_s,ci95_s,speedup,efficiency,noisy,ok,other_cpu,steal,busy,user_s,sys_s,hosts,ranks,threads_per_rank,launch_s,ideal_s,ideal_efficiency" ]
# sequential x1 + 3 models x 2 worker counts = 7 configurations, 2 runs each
check "14 raw rows" [ "$(rows "$raw")" = 14 ]
check "7 summary rows" [ "$(rows "$sum")" = 7 ]
check "every model ran" [ "$(col "$raw" model | sort -u | tr '\n' ' ')" = "gil process sequential thread " ]
check "every run ok" sh -c "$(declare -f col all_equal); col '$raw' ok | all_equal 1"
check "no failed task" sh -c "$(declare -f col all_equal); col '$raw' failed | all_equal 0"
check "bytes: 8 x 4096 each run" sh -c "$(declare -f col all_equal); col '$raw' bytes | all_equal 32768"
for c in http_errors timeouts conn_errors length_errors checksum_errors url_errors other_errors; do
	check "$c all 0" sh -c "$(declare -f col all_equal); col '$raw' $c | all_equal 0"
done
check "ideal, sequential: 8 x 10 ms" [ "$(cell "$sum" model sequential ideal_s)" = 0.08 ]
check "ideal, 4 workers: 2 x 10 ms" sh -c "$(declare -f cell all_equal); cell '$sum' workers 4 ideal_s | all_equal 0.02"
check "efficiency against the ideal in (0.1, 1.01]" sh -c "$(declare -f col); col '$sum' ideal_efficiency | awk '\$1 <= 0.1 || \$1 > 1.01 { exit 1 }'"
# the workers' start and end: within the run, and the last worker to
# begin still waited a whole task (10 ms) before the run ended
check "workers_up_s + a task + workers_down_s within wall_s" [ -z "$(by_name "$raw" '{ u = v["workers_up_s"]; d = v["workers_down_s"]; if (u == "" || d == "" || u < 0 || d < 0 || u + 0.01 + d > v["wall_s"] + 1e-6) print }')" ]
check "it narrates the workers' start and end" grep -q "Starting the workers (until the last began a task) and ending them" "$TMP/log"
check "8 files kept, named for their tasks" [ "$(ls "$out/download.files" | tr '\n' ' ')" = "task-000000.bin task-000001.bin task-000002.bin task-000003.bin task-000004.bin task-000005.bin task-000006.bin task-000007.bin " ]
check "each file whole" [ "$(cat "$out"/download.files/* | wc -c)" = 32768 ]
check "metadata latency" [ "$(meta "$raw" latency)" = 10ms ]
check "it narrates the ideal" grep -q "time over the ideal" "$TMP/log"
check "it ends with the verdict" sh -c "tail -n 2 '$TMP/log' | head -n 1 | grep -q 'thread time over process time at 4 worker(s)'"
check "verdicts file" [ "$(col "$out/download.verdicts.csv" check)" = "thread time over process time at 4 worker(s)" ]
check "no unconditional lesson" sh -c "! grep -q 'Lesson:' '$TMP/log'"
check "no server left" [ "$(left)" = 0 ]

# the scenario binary, a new connection per task, nothing kept
"$BIN/download" --models gil --workers 2 --tasks 4 --size 1000 --latency 0 \
	--keepalive off --discard --repeat 1 --warmup 0 --out "$TMP/d" \
	--quiet > "$TMP/log2" 2>&1
check "build/bin/download exits 0" [ $? -eq 0 ]
check "one row, ok" [ "$(col "$TMP/d/download.csv" ok)" = 1 ]
check "--discard: no files" [ ! -e "$TMP/d/download.files" ]
check "no latency: no ideal" [ "$(col "$TMP/d/download.summary.csv" ideal_s)" = "" ]

# ---- every fault, under every model ------------------------------------
"$PVT" run download --models $C_MODELS --tasks 10 --size 4KiB \
	--latency 0 --workers 4 --repeat 1 --warmup 0 --error-rate 0.5 \
	--error-kinds 500,drop,stall,truncate,corrupt --timeout 300ms \
	--out "$TMP/f" --quiet > "$TMP/flog" 2> "$TMP/ferr"
check "faults: exit 1" [ $? -eq 1 ]
raw=$TMP/f/download.csv
check "faults: 4 rows" [ "$(rows "$raw")" = 4 ]
check "faults: every run failed" sh -c "$(declare -f col all_equal); col '$raw' ok | all_equal 0"
check "faults: 5 failed tasks a run" sh -c "$(declare -f col all_equal); col '$raw' failed | all_equal 5"
for c in http_errors timeouts conn_errors length_errors checksum_errors; do
	check "faults: one $c a run" sh -c "$(declare -f col all_equal); col '$raw' $c | all_equal 1"
done
check "faults: no url or other error" sh -c "$(declare -f col all_equal); col '$raw' url_errors | all_equal 0 && col '$raw' other_errors | all_equal 0"
# 5 good files, 2048 bytes of the truncated one, the 4096 of the
# corrupt one and the 500's own page
check "faults: bytes counted" sh -c "$(declare -f col); col '$raw' bytes | awk '\$1 < 5 * 4096 + 2048 + 4096 { exit 1 }'"
for cause in "(http)" "(timeout)" "(connect)" "(length)" "(checksum)"; do
	check "faults: stderr names $cause" grep -qF "$cause" "$TMP/ferr"
done
check "faults: stderr says HTTP 500" grep -q "HTTP 500" "$TMP/ferr"
check "faults: no server left" [ "$(left)" = 0 ]

# ---- --url-file: good, 404, refused, malformed ---------------------------
"$PVT" serve --port 0 --files 2 --size 100 > "$TMP/s1" 2>&1 &
s1=$!
"$PVT" serve --port 0 > "$TMP/s2" 2>&1 &
s2=$!
u1=$(url_of "$TMP/s1")
check "pvt serve printed its URL" [ -n "$u1" ]
u2=$(url_of "$TMP/s2")
kill -TERM $s2
wait $s2
cat > "$TMP/urls" <<EOF
# one URL a line; comments and blank lines are skipped

${u1}files/1
${u1}files/7
${u2}files/0
htp://wrong.scheme/
http://exa mple/
EOF
"$PVT" run download --url-file "$TMP/urls" --tasks 5 --workers 1 \
	--models thread --repeat 1 --warmup 0 --out "$TMP/u" --quiet \
	> "$TMP/ulog" 2> "$TMP/uerr"
check "url-file: exit 1" [ $? -eq 1 ]
raw=$TMP/u/download.csv
check "url-file: 4 failed" [ "$(col "$raw" failed)" = 4 ]
check "url-file: one 404" [ "$(col "$raw" http_errors)" = 1 ]
check "url-file: one refused" [ "$(col "$raw" conn_errors)" = 1 ]
check "url-file: two malformed" [ "$(col "$raw" url_errors)" = 2 ]
check "url-file: stderr says 404" grep -q "HTTP 404" "$TMP/uerr"
check "url-file: stderr names the refused port" grep -q "Couldn't connect" "$TMP/uerr"
check "url-file: no ideal" [ "$(col "$TMP/u/download.summary.csv" ideal_s)" = "" ]
check "url-file: the good file kept" [ "$(wc -c < "$TMP/u/download.files/task-000000.bin")" = 100 ]
kill -TERM $s1
wait $s1
check "pvt serve stopped by SIGTERM exits 0" [ $? -eq 0 ]

# ---- bad input: exit 2, one line, nothing written ------------------------
never=$TMP/never
printf '# nothing but comments\n\n   \n' > "$TMP/empty"
refused "--url-file: cannot read '$TMP/none'" "$PVT" run download --url-file "$TMP/none" --out "$never"
refused "--url-file: '$TMP/empty' has no URL" "$PVT" run download --url-file "$TMP/empty" --out "$never"
refused "--latency:" "$PVT" run download --latency 5parsecs --out "$never"
refused "--latency:" "$PVT" run download --latency -1ms --out "$never"
refused "--rate:" "$PVT" run download --rate fast --out "$never"
refused "--size:" "$PVT" run download --size 0 --out "$never"
refused "--size:" "$PVT" run download --size 1zB --out "$never"
refused "--error-rate:" "$PVT" run download --error-rate 1.5 --out "$never"
refused "--error-kinds: unknown value 'teapot'" "$PVT" run download --error-kinds 500,teapot --out "$never"
refused "--keepalive:" "$PVT" run download --keepalive maybe --out "$never"
refused "--timeout:" "$PVT" run download --timeout 0 --out "$never"
refused "--connect-timeout:" "$PVT" run download --connect-timeout soon --out "$never"
refused "--discard: takes no value" "$PVT" run download --discard=yes --out "$never"
check "bad input: no server left" [ "$(left)" = 0 ]

# ---- interrupted: Ctrl-C, then pvt killed outright -----------------------
setsid "$PVT" run download --tasks 16 --latency 200ms --workers 1 \
	--models process,thread --repeat 3 --out "$TMP/i" --quiet \
	> "$TMP/ilog" 2>&1 &
pid=$!
sleep 1
kill -INT $pid
wait $pid
check "Ctrl-C: exit 130" [ $? -eq 130 ]
sleep 0.2
check "Ctrl-C: server and workers gone" [ "$(left)" = 0 ]
# runs of 4 x 500 ms: the workers are alive whenever it is killed
setsid "$PVT" run download --tasks 16 --latency 500ms --workers 4 \
	--models process --repeat 3 --out "$TMP/k" --quiet > /dev/null 2>&1 &
pid=$!
sleep 0.7
check "SIGKILL: server and workers were running" [ "$(left)" -ge 3 ]
{ kill -KILL $pid; wait $pid; } 2> /dev/null
sleep 0.5
check "SIGKILL: server and workers die with pvt" [ "$(left)" = 0 ]
done_tests

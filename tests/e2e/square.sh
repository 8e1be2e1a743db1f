#!/usr/bin/env bash
# square end to end: the driver and the scenario binary write the CSV the
# contract promises, every run verified
. "$(dirname "$0")/lib.sh"

out=$TMP/r
"$PVT" run square --models sequential,process,thread,gil --tasks 8 \
	--size 64KiB --workers 1,2 --repeat 2 \
	--warmup 0 --out "$out" --quiet > "$TMP/log" 2>&1
check "pvt run square exits 0" [ $? -eq 0 ]
raw=$out/square.csv sum=$out/square.summary.csv
check "raw and summary written" [ -s "$raw" -a -s "$sum" ]
check "raw header" [ "$(header "$raw")" = "scenario,model,workers,tasks,size,rep,wall_s,user_s,sys_s,max_rss_kib,failed,ok,other_cpu,steal,busy,busy_s,gil_switches,hosts,ranks,threads_per_rank,launch_s,python_gil" ]
check "summary header" [ "$(header "$sum")" = "scenario,model,workers,tasks,size,n,median_s,min_s,max_s,mean_s,stddev_s,ci95_s,speedup,efficiency,noisy,ok,other_cpu,steal,busy,user_s,sys_s,hosts,ranks,threads_per_rank,launch_s" ]
# sequential x1 + 3 models x 2 worker counts = 7 configurations, 2 runs each
check "14 raw rows" [ "$(rows "$raw")" = 14 ]
check "7 summary rows" [ "$(rows "$sum")" = 7 ]
check "every run ok" sh -c "$(declare -f col all_equal); col '$raw' ok | all_equal 1"
check "no failed task" sh -c "$(declare -f col all_equal); col '$raw' failed | all_equal 0"
check "tasks column" sh -c "$(declare -f col all_equal); col '$raw' tasks | all_equal 8"
check "size column" sh -c "$(declare -f col all_equal); col '$raw' size | all_equal 65536"
check "wall time positive" sh -c "$(declare -f col); col '$raw' wall_s | awk '\$1 <= 0 { exit 1 }'"
check "sequential speedup is 1" [ "$(awk -F, '$2 == "sequential" { print $13 }' "$sum")" = 1 ]
check "gil switches only for gil" sh -c "awk -F, '/^#/ || \$1 == \"scenario\" { next } (\$2 == \"gil\") != (\$17 != \"\") { exit 1 }' '$raw'"
for key in pvt_version scenario models workers tasks size repeat warmup host cores cpu_model kernel compiler date lesson command; do
	check "metadata $key" [ -n "$(meta "$raw" "$key")" ]
done
check "metadata cores" [ "$(meta "$raw" cores)" = "$(nproc)" ]
check "busy is 0 or 1 in every row" sh -c "$(declare -f col); col '$raw' busy | grep -qvx '[01]' && exit 1; exit 0"
check "others' CPU is a number of cores" sh -c "$(declare -f col); col '$raw' other_cpu | awk '\$1 < 0 || \$1 > $(nproc) { exit 1 }'"
check "metadata load" [ -n "$(meta "$raw" load)" ]
ver=$out/square.verdicts.csv
check "verdicts written" [ "$(header "$ver")" = "scenario,check,expected,measured,verdict,reason" ]
check "verdicts: process, thread, gil" [ "$(col "$ver" check | tr '\n' ';')" = "process speedup at 2 worker(s);thread speedup at 2 worker(s);gil speedup at 2 worker(s);" ]
check "verdicts: 2 runs are too few" sh -c "$(declare -f col all_equal); col '$ver' verdict | all_equal inconclusive"
check "verdicts summed in the metadata" [ "$(meta "$raw" verdicts)" = "0 holds, 0 does not hold, 3 inconclusive" ]
check "no temporary file left" [ "$(ls -A "$out" | wc -l)" = 3 ]

# the scenario binary takes the same flags and writes the same shape
"$BIN/square" --models thread --workers 2 --tasks 4 --size 1000 --repeat 1 \
	--warmup 0 --out "$out" > "$TMP/log2" 2>&1
check "build/bin/square exits 0" [ $? -eq 0 ]
check "one row" [ "$(rows "$raw")" = 1 ]
check "its model" [ "$(col "$raw" model)" = thread ]
check "it narrates the verdicts last" sh -c "grep -A2 'Verdicts' '$TMP/log2' | grep -q 'thread speedup at 2 worker'"
check "no unconditional lesson" sh -c "! grep -q 'Lesson:' '$TMP/log2'"
check "summary without sequential: no speedup" [ "$(awk -F, '!/^#/ && NR > 1 && $2 == "thread" { print $13 }' "$out/square.summary.csv")" = "" ]
done_tests

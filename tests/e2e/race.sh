#!/usr/bin/env bash
# race end to end: a mutex and atomics never lose an update, for threads
# and processes; without a lock, what is lost is counted, never invented
. "$(dirname "$0")/lib.sh"

out=$TMP/r
"$PVT" run race --increments 200000 --repeat 2 --warmup 0 --out "$out" > "$TMP/log" 2>&1
check "pvt run race exits 0" [ $? -eq 0 ]
raw=$out/race.csv sum=$out/race.summary.csv
check "raw header" [ "$(header "$raw")" = "scenario,model,workers,tasks,size,rep,wall_s,user_s,sys_s,max_rss_kib,failed,ok,method,increments,expected,actual,lost,lost_pct,ns_per_increment" ]
check "summary header" [ "$(header "$sum")" = "scenario,model,workers,tasks,size,n,median_s,min_s,max_s,mean_s,stddev_s,ci95_s,speedup,efficiency,noisy,ok,method,expected,actual_median,lost_median,lost_min,lost_max,lost_pct_median,runs_losing,ns_per_increment" ]
# 2 models x 3 methods, 2 runs each
check "12 raw rows" [ "$(rows "$raw")" = 12 ]
check "6 summary rows" [ "$(rows "$sum")" = 6 ]
check "every run ok" sh -c "$(declare -f col all_equal); col '$raw' ok | all_equal 1"
check "expected is 2 x 200000" sh -c "$(declare -f col all_equal); col '$raw' expected | all_equal 400000"
for m in process thread; do
	for how in mutex atomic; do
		check "$m $how: actual == expected" sh -c "$(declare -f cell all_equal); cell '$raw' model $m method $how actual | all_equal 400000"
		check "$m $how: nothing lost" sh -c "$(declare -f cell all_equal); cell '$raw' model $m method $how lost | all_equal 0"
	done
	check "$m none: never more than expected" sh -c "$(declare -f cell); cell '$raw' model $m method none actual | awk '\$1 > 400000 || \$1 < 1 { exit 1 }'"
done
check "lost = expected - actual" sh -c "awk -F, '/^#/ || \$1 == \"scenario\" { next } \$15 - \$16 != \$17 { exit 1 }' '$raw'"
check "time positive" sh -c "$(declare -f col); col '$raw' wall_s | awk '\$1 <= 0 { exit 1 }'"
# the narration says what happened to the unlocked counter, as measured
for m in process thread; do
	losing=$(cell "$sum" model $m method none runs_losing)
	case $losing in
	2) said="$m x2, no lock: updates lost in every run" ;;
	1) said="$m x2, no lock: updates lost in 1 of 2 runs" ;;
	*) said="$m x2, no lock: NO update lost in 2 run(s)" ;;
	esac
	check "$m: what was lost is said ($losing runs lost some)" grep -qF "$said" "$TMP/log"
done

# the defaults, as a student runs them
"$BIN/race" --out "$out" > "$TMP/log2" 2>&1
check "build/bin/race exits 0" [ $? -eq 0 ]
check "narration under 30 lines" [ "$(wc -l < "$TMP/log2")" -lt 30 ]
check "it narrates the cost" grep -q "the mutex took" "$TMP/log2"
check "metadata increments" [ "$(meta "$raw" increments)" = 1000000 ]

never=$TMP/never
refused "--increments:" "$BIN/race" --increments 0 --out "$never"
refused "--increments:" "$BIN/race" --increments lots --out "$never"
refused "--models: gil is not run here" "$BIN/race" --models gil --out "$never"
refused "--workers:" "$BIN/race" --workers 0 --out "$never"
done_tests

#!/usr/bin/env bash
# race end to end: a mutex and atomics never lose an update, for threads
# and processes; without a lock, what is lost is counted, never invented;
# at its defaults updates are lost, and the verdicts agree with the numbers
. "$(dirname "$0")/lib.sh"

out=$TMP/r
"$PVT" run race --increments 200000 --repeat 2 --warmup 0 --out "$out" > "$TMP/log" 2>&1
check "pvt run race exits 0" [ $? -eq 0 ]
raw=$out/race.csv sum=$out/race.summary.csv ver=$out/race.verdicts.csv
check "raw header" [ "$(header "$raw")" = "scenario,model,workers,tasks,size,rep,wall_s,user_s,sys_s,max_rss_kib,failed,ok,other_cpu,steal,busy,method,expected,actual,lost_updates,lost_pct,overlap_s,loop_s,ns_per_increment" ]
check "summary header" [ "$(header "$sum")" = "scenario,model,workers,tasks,size,n,median_s,min_s,max_s,mean_s,stddev_s,ci95_s,speedup,efficiency,noisy,ok,other_cpu,steal,busy,method,expected,actual_median,lost_median,lost_min,lost_max,lost_pct_median,lost_pct_min,lost_pct_max,overlap_s_median,overlap_s_min,ns_per_increment,runs_losing,runs_overlapping" ]
check "verdicts header" [ "$(header "$ver")" = "scenario,check,expected,measured,verdict,reason" ]
# 2 models x 3 methods, 2 runs each
check "12 raw rows" [ "$(rows "$raw")" = 12 ]
check "6 summary rows" [ "$(rows "$sum")" = 6 ]
check "6 verdicts" [ "$(rows "$ver")" = 6 ]
check "every run ok" sh -c "$(declare -f col all_equal); col '$raw' ok | all_equal 1"
check "expected is 2 x 200000" sh -c "$(declare -f col all_equal); col '$raw' expected | all_equal 400000"
check "size is the increments" sh -c "$(declare -f col all_equal); col '$raw' size | all_equal 200000"
for m in process thread; do
	for how in mutex atomic; do
		check "$m $how: actual == expected" sh -c "$(declare -f cell all_equal); cell '$raw' model $m method $how actual | all_equal 400000"
		check "$m $how: nothing lost" sh -c "$(declare -f cell all_equal); cell '$raw' model $m method $how lost_updates | all_equal 0"
	done
	check "$m none: never more than expected" sh -c "$(declare -f cell); cell '$raw' model $m method none actual | awk '\$1 > 400000 || \$1 < 1 { exit 1 }'"
done
check "lost = expected - actual" [ -z "$(by_name "$raw" 'v["expected"] - v["actual"] != v["lost_updates"]')" ]
check "overlap within the loops' span" [ -z "$(by_name "$raw" 'v["overlap_s"] < 0 || v["overlap_s"] > v["loop_s"] || v["loop_s"] > v["wall_s"]')" ]
check "time positive" sh -c "$(declare -f col); col '$raw' wall_s | awk '\$1 <= 0 { exit 1 }'"
check "runs_losing counts the raw rows" [ -z "$(by_name "$sum" '{ print v["model"], v["method"], v["runs_losing"] }' | while read -r m how n; do
	[ "$(by_name "$raw" "v[\"model\"] == \"$m\" && v[\"method\"] == \"$how\" && v[\"lost_updates\"] > 0" | wc -l)" = "$n" ] || echo "$m $how"; done)" ]
# the narration says what happened to the unlocked counter, as measured
for m in process thread; do
	losing=$(cell "$sum" model $m method none runs_losing)
	check "$m: what was lost is said ($losing runs lost some)" grep -qF "$m x2, no lock: updates lost in $losing of 2 run(s)" "$TMP/log"
done

# verdicts: never a `holds` its own numbers contradict
verdicts_agree() { # verdicts_agree RAW VERDICTS
	local raw=$1 ver=$2 m how v lost both over
	for m in process thread; do
		v=$(grep "^race,$m x2 none:" "$ver" | awk -F, '{ print $(NF - 1) }')
		both=$(by_name "$raw" "v[\"model\"] == \"$m\" && v[\"method\"] == \"none\" && v[\"lost_updates\"] > 0 && v[\"overlap_s\"] > 0" | wc -l)
		over=$(by_name "$raw" "v[\"model\"] == \"$m\" && v[\"method\"] == \"none\" && v[\"overlap_s\"] > 0" | wc -l)
		case $v in
		holds) [ "$both" -gt 0 ] || return 1 ;;
		"does not hold") [ "$over" -gt 0 ] && [ "$both" -eq 0 ] || return 1 ;;
		inconclusive) grep "^race,$m x2 none:" "$ver" | grep -qE "never overlapped|too few runs|busy machine" || return 1 ;;
		*) return 1 ;;
		esac
		for how in mutex atomic; do
			v=$(grep "^race,$m x2 $how:" "$ver" | awk -F, '{ print $(NF - 1) }')
			lost=$(by_name "$raw" "v[\"model\"] == \"$m\" && v[\"method\"] == \"$how\" && v[\"lost_updates\"] != 0" | wc -l)
			case $v in
			holds) [ "$lost" -eq 0 ] || return 1 ;;
			inconclusive) ;;
			*) return 1 ;;
			esac
		done
	done
}
check "two runs are too few to judge" [ "$(grep -c 'inconclusive,"too few runs' "$ver")" = 6 ]

# the defaults, as a student runs them: updates are lost
"$BIN/race" --out "$out" > "$TMP/log2" 2>&1
check "build/bin/race exits 0" [ $? -eq 0 ]
check "narration under 40 lines" [ "$(wc -l < "$TMP/log2")" -lt 40 ]
check "it narrates the cost" grep -q "the mutex took" "$TMP/log2"
check "metadata increments" [ "$(meta "$raw" increments)" = 10000000 ]
# updates are lost in a run whose workers ran at once; a run whose
# workers never did (a busy machine can keep them apart) shows nothing
if [ -n "$(by_name "$raw" 'v["method"] == "none" && v["lost_updates"] > 0')" ]; then
	ok
elif [ -z "$(by_name "$raw" 'v["method"] == "none" && v["overlap_s"] > 0 && v["busy"] != 1')" ]; then
	echo "skipped: at its defaults nothing was lost, but no unlocked run's workers overlapped on a quiet machine here (busy: $(meta "$raw" load))"
	ok
else
	fail "at its defaults, workers that overlapped on a quiet machine lost no update"
fi
check "verdicts agree with the numbers" verdicts_agree "$raw" "$ver"
check "the narration ends with the verdicts" grep -qE "^  (holds|inconclusive) +thread x2 atomic: no update lost" "$TMP/log2"
cat "$TMP/log2" | sed -n '/Verdicts/,$p'

never=$TMP/never
refused "--increments:" "$BIN/race" --increments 0 --out "$never"
refused "--increments:" "$BIN/race" --increments lots --out "$never"
refused "--models: gil is not run here" "$BIN/race" --models gil --out "$never"
refused "--workers:" "$BIN/race" --workers 0 --out "$never"
done_tests

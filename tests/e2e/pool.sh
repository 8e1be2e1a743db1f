#!/usr/bin/env bash
# pool end to end: the CSV the contract promises, every result verified,
# the course notes' examples narrated, a dying process worker reported
# under both crash policies, bad options refused, no zombie left
. "$(dirname "$0")/lib.sh"

# zombies: processes named pool or pvt in state Z, from /proc
zombies() {
	cat /proc/[0-9]*/stat 2>/dev/null |
		awk '($2 == "(pool)" || $2 == "(pvt)") && $3 == "Z"' | wc -l
}
before=$(zombies)

out=$TMP/r
"$PVT" run pool --items 10,200,300 --chunksizes 1,8 --spawn-max 200 --repeat 2 \
	--warmup 0 --naps 3 --nap 5ms --out "$out" > "$TMP/log" 2>&1
check "pvt run pool exits 0" [ $? -eq 0 ]
raw=$out/pool.csv sum=$out/pool.summary.csv
check "raw and summary written" [ -s "$raw" -a -s "$sum" ]
check "no temporary file left" [ "$(ls -A "$out" | wc -l)" = 3 ]
check "raw header" [ "$(header "$raw")" = "scenario,model,workers,tasks,size,rep,wall_s,user_s,sys_s,max_rss_kib,failed,ok,other_cpu,steal,busy,experiment,method,items,chunksize,start_method,us_per_task,map_us_per_task" ]
check "summary header" [ "$(header "$sum")" = "scenario,model,workers,tasks,size,n,median_s,min_s,max_s,mean_s,stddev_s,ci95_s,speedup,efficiency,noisy,ok,other_cpu,steal,busy,experiment,method,items,chunksize,start_method,us_per_task,min_us_per_task,max_us_per_task,map_us_per_task" ]
# per model: overhead pool 10, 200 and 300, spawn 10 and 200 (300 is over
# --spawn-max), chunksize 1 and 8, one-loop, two-loops: 9 x 2 runs; map,
# apply_async: 1 each
check "40 raw rows" [ "$(rows "$raw")" = 40 ]
check "22 summary rows" [ "$(rows "$sum")" = 22 ]
check "every run ok" sh -c "$(declare -f col all_equal); col '$raw' ok | all_equal 1"
check "no failed task" sh -c "$(declare -f col all_equal); col '$raw' failed | all_equal 0"
check "both models" [ "$(col "$raw" model | sort -u | tr '\n' ' ')" = "process thread " ]
check "tasks is items" [ -z "$(by_name "$raw" 'v["tasks"] != v["items"]')" ]
check "no spawn past --spawn-max" [ -z "$(cell "$raw" method spawn items | grep -vx '10\|200')" ]
check "spawn at 10 and 200 items, 2 runs each per model" [ "$(cell "$raw" method spawn items | wc -l)" = 8 ]
check "us_per_task positive everywhere" sh -c "$(declare -f col); col '$raw' us_per_task | awk '!(\$1 > 0) { exit 1 }'"
check "map_us_per_task only for pool maps" [ -z "$(by_name "$raw" '(v["method"] == "pool") != (v["map_us_per_task"] != "")')" ]
check "chunksize empty for spawn and startjoin" [ -z "$(by_name "$raw" '(v["method"] == "spawn" || v["experiment"] == "startjoin") && v["chunksize"] != ""')" ]
check "chunksize rows at the largest --items" [ "$(cell "$raw" experiment chunksize items | sort -u)" = 300 ]
check "startjoin workers = naps" [ "$(cell "$raw" experiment startjoin workers | sort -u)" = 3 ]
for m in process thread; do
	one=$(cell "$sum" model $m method one-loop median_s)
	two=$(cell "$sum" model $m method two-loops median_s)
	check "$m: one loop sleeps one after another (>= 15 ms)" awk -v a="$one" 'BEGIN { exit !(a >= 0.015) }'
	check "$m: start all, then join all is faster" awk -v a="$one" -v b="$two" 'BEGIN { exit !(b < a) }'
	# 200 tasks: the pool creates 2 workers, the other way 200
	us200() { by_name "$sum" 'v["model"] == "'$m'" && v["experiment"] == "overhead" && v["method"] == "'"$1"'" && v["items"] == 200 { print v["us_per_task"] }'; }
	check "$m: a pool beats a worker per task at 200 tasks" awk \
		-v a="$(us200 pool)" -v b="$(us200 spawn)" 'BEGIN { exit !(a > 0 && a < b) }'
done
check "summary: median_s within min_s..max_s" [ -z "$(awk -F, '!/^#/ && $1 == "pool" && !($8 <= $7 && $7 <= $9)' "$sum")" ]
check "summary: no speedup" sh -c "$(declare -f col all_equal); col '$sum' speedup | all_equal ''"
check "summary: us_per_task = median_s / items" [ -z "$(by_name "$sum" '{ d = v["median_s"] / v["items"] * 1e6 - v["us_per_task"]; if (d > 1e-6 * v["us_per_task"] + 1e-9 || -d > 1e-6 * v["us_per_task"] + 1e-9) print }')" ]
for key in pvt_version scenario models workers repeat warmup items chunksizes spawn-max naps nap on-crash cores date command; do
	check "metadata $key" [ -n "$(meta "$raw" "$key")" ]
done
check "narrates the notes' map" grep -qF "pool.map(square, [1, 2, 3, 4, 5]) -> [1, 4, 9, 16, 25]" "$TMP/log"
check "narrates apply_async" grep -qF "apply_async(square, (10,)).get(timeout=1) -> 100" "$TMP/log"
check "narrates the lesson" grep -q "Lesson: a pool pays for its workers once" "$TMP/log"
check "narration under 60 lines" [ "$(wc -l < "$TMP/log")" -lt 60 ]
ver=$out/pool.verdicts.csv
check "the checks: a pool cheaper than a worker per task" [ "$(grep -c "a worker per task / a pool, us per task at 200 tasks" "$ver")" = 2 ]

# a worker that dies: its item fails, named; the rest complete
"$BIN/pool" --experiments examples --models process,thread --crash-item 3 \
	--out "$out" > "$TMP/log2" 2>&1
check "crash-item: exits 0, the demonstration ran as intended" [ $? -eq 0 ]
check "crash-item: the list with its gap" grep -qF "square(3) kills its worker: [1, 4, -, 16, 25] (--on-crash continue)" "$TMP/log2"
check "crash-item: worker, item and signal named" grep -q "item 2: worker [0-9] (pid [0-9]*)" "$TMP/log2"
check "crash-item: SIGSEGV" grep -q "killed by SIGSEGV while running it" "$TMP/log2"
check "crash-item: threads skip it" grep -q "process pools only" "$TMP/log2"
check "crash-item: its row ok with one failed item" [ "$(cell "$raw" method map-crash failed),$(cell "$raw" method map-crash ok)" = "1,1" ]
"$BIN/pool" --experiments examples --models process --crash-item 1 \
	--on-crash abort --out "$out" > "$TMP/log3" 2>&1
check "on-crash abort: exits 0" [ $? -eq 0 ]
check "on-crash abort: the pool reports itself broken" grep -q "pool_map: the pool is broken: worker [0-9] (pid [0-9]*) killed by SIGSEGV" "$TMP/log3"
check "on-crash abort: its row ok" [ "$(cell "$raw" method map-crash ok)" = 1 ]

never=$TMP/never
refused "--models: 'sequential' has no pool" "$BIN/pool" --models sequential --out "$never"
refused "--experiments: unknown value 'maps'" "$BIN/pool" --experiments overhead,maps --out "$never"
refused "--crash-item" "$BIN/pool" --crash-item 9 --out "$never"
refused "--on-crash" "$BIN/pool" --on-crash retry --out "$never"
refused "--items" "$BIN/pool" --items 0 --out "$never"
check "no zombie" [ "$(zombies)" -le "$before" ]
done_tests

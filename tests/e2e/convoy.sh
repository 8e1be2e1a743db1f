#!/usr/bin/env bash
# convoy: an I/O worker's round trips alone and beside CPU workers, for
# every model at tiny sizes; the gil run's timeline shows the I/O worker
# waiting for the lock; bad values refused with one line
. "$(dirname "$0")/lib.sh"

out=$TMP/r
"$PVT" run convoy --models process,thread,gil,py-process,py-thread \
	--cpu-workers 1 --intervals 5ms,1ms --duration 60ms --latency 50us \
	--block 4Ki --py-block 256 --repeat 1 --warmup 0 --timeline \
	--out "$out" > "$TMP/log" 2>&1
check "run exits 0" [ $? -eq 0 ] || cat "$TMP/log" >&2
raw=$out/convoy.csv sum=$out/convoy.summary.csv
tl=$out/convoy.timeline.csv ver=$out/convoy.verdicts.csv
check "raw and summary written" [ -s "$raw" -a -s "$sum" ]
check "common columns first" sh -c "$(declare -f header); header '$raw' | grep -q '^scenario,model,workers,tasks,size,rep,wall_s,user_s,sys_s,max_rss_kib,failed,ok,other_cpu,steal,busy,switch_interval_s,rt_per_sec,p50_us,p99_us,cpu_mips,round_trips$'"
# alone and beside 1, and twice for each interval of gil and py-thread
for m in process thread py-process; do
	check "$m: 2 rows" [ "$(cell "$raw" model $m ok | wc -l)" = 2 ]
done
for m in gil py-thread; do
	check "$m: 4 rows" [ "$(cell "$raw" model $m ok | wc -l)" = 4 ]
done
check "every row ok" sh -c "$(declare -f col all_equal); col '$raw' ok | all_equal 1"
check "round trips per second positive" positive rt_per_sec "$raw"
check "round trips counted" positive round_trips "$raw"
check "p50 <= p99, both positive" by_name "$raw" '
	{ if (!(v["p50_us"] > 0 && v["p50_us"] <= v["p99_us"])) bad = 1 }
	END { exit bad }'
check "the echo's latency is in every round trip" by_name "$raw" '
	{ if (v["p50_us"] < 50) bad = 1 } END { exit bad }'
# round trips / rate: the I/O worker's time, at least --duration (it
# starts no round trip after it) and within the whole run
check "rate and round trips agree with the run's length" by_name "$raw" '
	{ span = v["round_trips"] / v["rt_per_sec"]
	  if (span < 0.06 * 0.999 || span > v["wall_s"]) {
		bad = 1; print "span", span, $0 > "/dev/stderr" } }
	END { exit bad }'
check "CPU throughput only beside CPU workers" by_name "$raw" '
	{ if ((v["workers"] == 0) != (v["cpu_mips"] == "")) bad = 1
	  if (v["workers"] > 0 && !(v["cpu_mips"] > 0)) bad = 1 }
	END { exit bad }'
check "an interval only for gil and py-thread" by_name "$raw" '
	{ swept = v["model"] == "gil" || v["model"] == "py-thread"
	  if (swept != (v["switch_interval_s"] != "")) bad = 1 }
	END { exit bad }'
check "both intervals swept" [ "$(cell "$raw" model gil switch_interval_s | sort -u | tr '\n' ' ')" = "0.001 0.005 " ]
check "summary: one row per configuration" [ "$(rows "$sum")" = 14 ]
check "verdicts: one check per model" [ "$(rows "$ver")" = 5 ]
check "verdicts are verdicts" [ "$(grep -v '^#' "$ver" | tail -n +2 | grep -Ec ',(holds|does not hold|inconclusive),')" = 5 ]
check "narration ends with the verdicts" grep -q "gil: I/O worker's round trips/s alone / beside 1 CPU worker (5 ms interval)" "$TMP/log"

# the timeline: gil beside CPU workers only; the I/O worker (worker 0)
# blocked in I/O, then waiting for the lock while the CPU worker computes:
# at least one wait as long as the interval, right after its I/O
check "timeline written" [ -s "$tl" ]
check "timeline: gil only" sh -c "$(declare -f col all_equal); col '$tl' model | all_equal gil"
# (a worker's own events are in the order it recorded them)
check "timeline: the I/O worker waited for the lock a whole interval after I/O" by_name "$tl" '
	v["worker"] != 0 || v["switch_interval_s"] != 0.005 { next }
	v["kind"] == "gil-wait" && last == "wait" &&
	v["end_s"] - v["start_s"] >= 0.0045 && v["start_s"] - io_end < 1e-4 { k++ }
	{ last = v["kind"]; io_end = v["end_s"] }
	END { exit !(k >= 1) }'
check "timeline: the CPU worker held the lock" by_name "$tl" '
	v["worker"] == 2 && v["kind"] == "gil-held" { k++ } END { exit !(k >= 1) }'

# the charts
if command -v gnuplot > /dev/null; then
	"$(dirname "$0")/../../scripts/plot" "$out" > "$TMP/plot.log" 2>&1
	check "plot exits 0" [ $? -eq 0 ]
	for c in convoy-rate convoy-timeline; do
		check "chart $c drawn" [ -s "$out/charts/$c.png" -a -s "$out/charts/$c.svg" ]
	done
fi

# an interpreter whose echoes do not add up: a failed run, no figure
# (it answers pvt's question of what it is as python3 does)
cat > "$TMP/liar" <<'PY'
#!/bin/sh
[ "$1" = -c ] && exec python3 "$@"
echo "convoy,py-thread,0,2,256,1,0.1,0.1,0,100,0,1,12345,9999,10,20,,100"
PY
chmod +x "$TMP/liar"
PVT_PYTHON=$TMP/liar "$PVT" run convoy --models py-thread --intervals 5ms \
	--cpu-workers 1 --repeat 1 --warmup 0 --py-block 256 \
	--out "$TMP/r3" > "$TMP/log3" 2>&1
check "wrong echo sum: exit 1" [ $? -eq 1 ]
check "wrong echo sum: said why" grep -q "round trips do not add up" "$TMP/log3"
check "wrong echo sum: rows not ok" sh -c "$(declare -f col all_equal); col '$TMP/r3/convoy.csv' ok | all_equal 0"
check "wrong echo sum: no rate" [ -z "$(col "$TMP/r3/convoy.csv" rt_per_sec | grep .)" ]

# Ctrl-C in the middle: exit 130, no worker, peer or python3 left behind
for models in process gil py-process py-thread; do
	setsid "$PVT" run convoy --models $models --cpu-workers 2 \
		--duration 2s --repeat 1 --warmup 0 --quiet \
		--out "$TMP/int-$models" > "$TMP/int.log" 2>&1 &
	pid=$!
	sleep 1
	kill -INT $pid
	wait $pid
	check "$models: SIGINT exits 130" [ $? -eq 130 ]
	sleep 0.2
	check "$models: nothing left in pvt's group" [ -z "$(pgrep -g $pid)" ]
done

# bad values: one line, exit 2, nothing written
never=$TMP/never
for bad in "--cpu-workers 0" "--cpu-workers -1" "--duration 0" \
	"--duration -1s" "--intervals 0" "--intervals 5ms,-1ms" \
	"--intervals 500ns" "--intervals 5ms,,1ms" "--message 0" \
	"--py-block 0" "--latency -1ms" "--repeat 0" "--models sequential" \
	"--block 0"; do
	# shellcheck disable=SC2086
	refused "${bad%% *}" "$PVT" run convoy $bad --out "$never"
done
refused "1us" "$PVT" run convoy --intervals 0.5us --out "$never"

done_tests

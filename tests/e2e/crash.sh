#!/usr/bin/env bash
# crash end to end: a process worker's death spares the others and their
# results; a thread's kills its process, which pvt runs in a sandbox and
# survives, with no core file and no zombie left
. "$(dirname "$0")/lib.sh"

# let a core be written, were one ever dumped, so that its absence means
# something (the cwd is where core_pattern "core" puts it)
ulimit -c unlimited 2>/dev/null || ulimit -c "$(ulimit -H -c)" 2>/dev/null
cwd=$TMP/cwd out=$TMP/r
mkdir -p "$cwd"
cd "$cwd" || exit 1
# zombies: processes named crash or pvt in state Z, from /proc, that
# this test started (its children and theirs: the other tests running
# pvt at the same time have zombies of their own for a moment)
zombies() {
	cat /proc/[0-9]*/stat 2>/dev/null |
		awk -v me=$$ '{ up[$1] = $4 }
			($2 == "(crash)" || $2 == "(pvt)") && $3 == "Z" { z[$1] = $4 }
			END { for (p in z) n += z[p] == me || up[z[p]] == me
			      print n + 0 }'
}
before=$(zombies)

"$BIN/crash" --out "$out" > "$TMP/log" 2>&1
check "crash exits 0: the demonstration ran as intended" [ $? -eq 0 ]
f=$out/crash.csv
check "header" [ "$(header "$f")" = "scenario,model,workers,tasks,size,rep,wall_s,user_s,sys_s,max_rss_kib,failed,ok,signal,crash_task,dead_worker,tasks_done,tasks_lost,survivors,sandboxed,core_dumped,children_left,python_case,outcome" ]
check "3 rows" [ "$(rows "$f")" = 3 ]
check "every row ok" sh -c "$(declare -f col all_equal); col '$f' ok | all_equal 1"
check "every death was SIGSEGV" sh -c "$(declare -f col all_equal); col '$f' signal | all_equal SEGV"
check "process: 7 of 8 tasks kept" [ "$(cell "$f" model process tasks_done)" = 7 ]
check "process: 1 lost" [ "$(cell "$f" model process tasks_lost)" = 1 ]
check "process: 3 survivors" [ "$(cell "$f" model process survivors)" = 3 ]
check "process: the dead worker named" [ -n "$(cell "$f" model process dead_worker)" ]
v=$out/crash.verdicts.csv
check "verdicts: one per run" [ "$(rows "$v")" = 3 ]
check "verdicts: each holds" [ "$(grep -c ',holds,$' "$v")" = 3 ]
check "verdicts: process survivors finish" grep -q '^crash,process x4: the other workers finish every other task,"3 survivor(s), 7 of 8 done","SIGSEGV, 3 survivor(s), 7 of 8 tasks done",holds,$' "$v"
check "verdicts: a thread's crash takes the process" grep -q '^crash,thread x4: the crash takes the whole process down,0 survivors,"SIGSEGV, 0 survivor(s), ' "$v"
check "the narration ends with the verdicts" sh -c "grep -A4 Verdicts '$TMP/log' | grep -q '^  holds         gil x4: the crash takes the whole process down'"
check "process: not sandboxed" [ "$(cell "$f" model process sandboxed)" = 0 ]
check "process: narrated" grep -q "was killed by SIGSEGV while running task 5" "$TMP/log"
for m in thread gil; do
	check "$m: no survivor" [ "$(cell "$f" model $m survivors)" = 0 ]
	check "$m: sandboxed" [ "$(cell "$f" model $m sandboxed)" = 1 ]
	check "$m: done + lost = 8" [ $(( $(cell "$f" model $m tasks_done) + $(cell "$f" model $m tasks_lost) )) = 8 ]
	check "$m: more lost than the crashing task" [ "$(cell "$f" model $m tasks_lost)" -gt 1 ]
done
check "thread: narrated" grep -q "SIGSEGV killed the whole process: all 4 worker(s) with it" "$TMP/log"
check "no core dumped" sh -c "$(declare -f col all_equal); col '$f' core_dumped | all_equal 0"
check "pvt had no child left after any run" sh -c "$(declare -f col all_equal); col '$f' children_left | all_equal 0"
check "no core file in the cwd or the results" [ -z "$(find "$cwd" "$out" -name 'core*')" ]
check "no zombie" [ "$(zombies)" -le "$before" ]
check "narration under 30 lines" [ "$(wc -l < "$TMP/log")" -lt 30 ]

# each signal, each model, through the driver
for sig in ABRT FPE; do
	"$PVT" run crash --signal $sig --tasks 4 --workers 2 --crash-task 1 \
		--task-time 5ms --models process,thread,gil,sequential --out "$out" > "$TMP/log2" 2>&1
	check "SIG$sig: pvt exits 0" [ $? -eq 0 ]
	check "SIG$sig: 4 rows" [ "$(rows "$f")" = 4 ]
	check "SIG$sig: every death by it" sh -c "$(declare -f col all_equal); col '$f' signal | all_equal $sig"
	check "SIG$sig: every row ok" sh -c "$(declare -f col all_equal); col '$f' ok | all_equal 1"
	check "SIG$sig: the other process kept 3 tasks" [ "$(cell "$f" model process tasks_done)" = 3 ]
	check "SIG$sig: sequential lost the crashing task and after" [ "$(cell "$f" model sequential tasks_done),$(cell "$f" model sequential tasks_lost)" = 1,3 ]
done
check "no core file after them" [ -z "$(find "$cwd" "$out" -name 'core*')" ]
check "still no zombie" [ "$(zombies)" -le "$before" ]
check "explain states the exit status" sh -c "'$PVT' explain crash | tr '\n' ' ' | grep -q 'Exit status: 0 when'"

never=$TMP/never
refused "--crash-task: 8 is not a task of this run; accepted: 0 to 7" "$BIN/crash" --crash-task 8 --out "$never"
refused "--crash-task:" "$BIN/crash" --crash-task 3 --tasks 3 --out "$never"
refused "--crash-task:" "$BIN/crash" --crash-task -1 --out "$never"
refused "--signal: 'KILL' is not one of SEGV|ABRT|FPE" "$BIN/crash" --signal KILL --out "$never"
refused "--signal:" "$BIN/crash" --signal segv --out "$never"
refused "--task-time:" "$BIN/crash" --task-time forever --out "$never"
done_tests

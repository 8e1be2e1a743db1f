#!/usr/bin/env bash
# isolation end to end: after a process worker pvt reads its old values at
# the worker's very addresses; after a thread, the worker's new ones
. "$(dirname "$0")/lib.sh"

out=$TMP/r
"$BIN/isolation" --out "$out" > "$TMP/log" 2>&1
check "isolation exits 0" [ $? -eq 0 ]
f=$out/isolation.csv
check "4 rows" [ "$(rows "$f")" = 4 ]
check "header" [ "$(header "$f")" = "scenario,model,workers,tasks,size,rep,wall_s,user_s,sys_s,max_rss_kib,failed,ok,variable,address,worker_pid,pvt_pid,worker_read,worker_wrote,pvt_reads,shared" ]
check "every row ok" sh -c "$(declare -f col all_equal); col '$f' ok | all_equal 1"
for m in process thread; do
	check "$m: the worker read 0, wrote 1" [ "$(cell "$f" model $m variable global_counter worker_read),$(cell "$f" model $m variable global_counter worker_wrote)" = 0,1 ]
	check "$m: the worker read 100, wrote 101 in the heap" [ "$(cell "$f" model $m variable heap_buffer worker_read),$(cell "$f" model $m variable heap_buffer worker_wrote)" = 100,101 ]
done
check "process: pvt's counter unchanged" [ "$(cell "$f" model process variable global_counter pvt_reads)" = 0 ]
check "process: pvt's heap unchanged" [ "$(cell "$f" model process variable heap_buffer pvt_reads)" = 100 ]
check "process: not shared" [ "$(cell "$f" model process shared | sort -u)" = 0 ]
check "thread: pvt sees the counter changed" [ "$(cell "$f" model thread variable global_counter pvt_reads)" = 1 ]
check "thread: pvt sees the heap changed" [ "$(cell "$f" model thread variable heap_buffer pvt_reads)" = 101 ]
check "thread: shared" [ "$(cell "$f" model thread shared | sort -u)" = 1 ]
check "the same address under both models" [ "$(cell "$f" model process variable global_counter address)" = "$(cell "$f" model thread variable global_counter address)" ]
check "an address is printed" grep -q "global counter at 0x[0-9a-f]" "$TMP/log"
check "process worker is another pid" [ "$(cell "$f" model process worker_pid | head -n 1)" != "$(cell "$f" model process pvt_pid | head -n 1)" ]
check "thread worker is pvt's pid" [ "$(cell "$f" model thread worker_pid | head -n 1)" = "$(cell "$f" model thread pvt_pid | head -n 1)" ]
check "narration: separate copy" grep -q "pvt reads 0  (separate copy)" "$TMP/log"
check "narration: shared" grep -q "pvt reads 1  (shared)" "$TMP/log"
v=$out/isolation.verdicts.csv
check "verdicts: the process's values stay pvt's" grep -q "^isolation,process: pvt reads its old values at the worker's addresses,\"counter 0, heap 100\",\"counter 0, heap 100 (worker wrote 1, 101)\",holds,\$" "$v"
check "verdicts: the thread's values are pvt's" grep -q "^isolation,thread: pvt reads what the worker wrote at the worker's addresses,\"counter 1, heap 101\",.*,holds,\$" "$v"
check "the narration ends with the verdicts" [ "$(tail -n 1 "$TMP/log")" = "  wrote $out/isolation.csv and isolation.verdicts.csv" ]
check "narration under 30 lines" [ "$(wc -l < "$TMP/log")" -lt 30 ]

# every model through the driver: only process keeps pvt's values
"$PVT" run isolation --models sequential,process,thread,gil --out "$out" --quiet > "$TMP/log2" 2>&1
check "pvt run isolation, every model, exits 0" [ $? -eq 0 ]
check "8 rows" [ "$(rows "$f")" = 8 ]
for m in sequential thread gil; do
	check "$m: shared" [ "$(cell "$f" model $m shared | sort -u)" = 1 ]
done
check "process: still separate" [ "$(cell "$f" model process shared | sort -u)" = 0 ]

never=$TMP/never
refused "--workers: not used by this scenario" "$BIN/isolation" --workers 2 --out "$never"
refused "unknown model" "$BIN/isolation" --models fibers --out "$never"
done_tests

#!/usr/bin/env bash
# shared_array end to end: the notes' multiprocessing.Array example; the
# MAP_SHARED array is filled under every model, the plain one only by
# threads
. "$(dirname "$0")/lib.sh"

out=$TMP/r
"$BIN/shared_array" --out "$out" > "$TMP/log" 2>&1
check "shared_array exits 0" [ $? -eq 0 ]
f=$out/shared_array.csv
check "12 rows" [ "$(rows "$f")" = 12 ]
check "header" [ "$(header "$f")" = "scenario,model,workers,tasks,size,rep,wall_s,user_s,sys_s,max_rss_kib,failed,ok,index,value,square,worker_pid,shared_array,plain_array" ]
check "every row ok" sh -c "$(declare -f col all_equal); col '$f' ok | all_equal 1"
for m in process thread; do
	check "$m: the shared array" [ "$(cell "$f" model $m shared_array | paste -sd, -)" = "81,9,16,36,64,49" ]
done
check "process: the plain array stays zero" [ "$(cell "$f" model process plain_array | paste -sd, -)" = "0,0,0,0,0,0" ]
check "thread: the plain array is filled" [ "$(cell "$f" model thread plain_array | paste -sd, -)" = "81,9,16,36,64,49" ]
check "six process workers, six pids" [ "$(cell "$f" model process worker_pid | sort -u | wc -l)" = 6 ]
check "the notes' result printed" grep -q "multiprocessing.Array):  *\[81, 9, 16, 36, 64, 49\]" "$TMP/log"
check "zeros printed for processes" grep -q "\[0, 0, 0, 0, 0, 0\]  <- each child wrote its own copy" "$TMP/log"
check "the notes' lines" grep -q "Process 0 (pid [0-9]*): square of 9 is 81" "$TMP/log"
v=$out/shared_array.verdicts.csv
check "verdicts: processes share the shared array only" grep -q '^shared_array,process: the squares reach pvt through the shared array only,"shared 6 of 6, plain all 0","shared 6, plain 0 squares (all 0)",holds,$' "$v"
check "verdicts: threads share both" grep -q '^shared_array,thread: the squares reach pvt through both arrays,.*,holds,$' "$v"
check "narration under 30 lines" [ "$(wc -l < "$TMP/log")" -lt 30 ]

# a student's own list
"$PVT" run shared_array --values 2,5,10 --models process,gil --out "$out" > "$TMP/log2" 2>&1
check "--values 2,5,10 exits 0" [ $? -eq 0 ]
check "their squares" [ "$(cell "$f" model process shared_array | paste -sd, -)" = "4,25,100" ]
check "gil shares the plain array" [ "$(cell "$f" model gil plain_array | paste -sd, -)" = "4,25,100" ]
check "printed" grep -q "\[4, 25, 100\]" "$TMP/log2"

never=$TMP/never
refused "--values:" "$BIN/shared_array" --values 1,99999 --out "$never"
refused "--values:" "$BIN/shared_array" --values three --out "$never"
refused "--values:" "$BIN/shared_array" --values "" --out "$never"
refused "--values:" "$BIN/shared_array" --values -4 --out "$never"
done_tests

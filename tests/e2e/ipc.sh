#!/usr/bin/env bash
# ipc end to end: every channel moves every byte at a positive rate,
# ping-pong has a round trip for both models over pipes, pinned and not,
# and for threads over spsc rings; bad values refused with exit 2 (the
# mpi channel: ipc_mpi.sh)
. "$(dirname "$0")/lib.sh"

out=$TMP/r
"$BIN/ipc" --sizes 64,4KiB --bytes 256KiB --rounds 500 --repeat 2 \
	--warmup 0 --out "$out" > "$TMP/log" 2>&1
check "ipc exits 0" [ $? -eq 0 ]
raw=$out/ipc.csv sum=$out/ipc.summary.csv
ver=$out/ipc.verdicts.csv
check "raw header" [ "$(header "$raw")" = "scenario,model,workers,tasks,size,rep,wall_s,user_s,sys_s,max_rss_kib,failed,ok,other_cpu,steal,busy,test,channel,msg_bytes,hosts,pinned,cpu,messages,bytes,rounds,transfer_s,mbps,rtt_us" ]
check "summary header" [ "$(header "$sum")" = "scenario,model,workers,tasks,size,n,median_s,min_s,max_s,mean_s,stddev_s,ci95_s,speedup,efficiency,noisy,ok,other_cpu,steal,busy,test,channel,msg_bytes,hosts,pinned,cpu,median_mbps,min_mbps,max_mbps,median_rtt_us,min_rtt_us,max_rtt_us,bytes,rounds,pipe_overhead_us,switch_us" ]
# bandwidth: 5 channels x 2 sizes; the pipe calls alone; latency: 2
# models x pinned or not over pipes, threads over spsc rings
check "32 raw rows" [ "$(rows "$raw")" = 32 ]
check "16 summary rows" [ "$(rows "$sum")" = 16 ]
check "every row on one host" sh -c "$(declare -f col all_equal); col '$sum' hosts | all_equal 1"
check "overhead: pvt's own thread" [ "$(by_name "$sum" 'v["test"] == "overhead" { print v["model"], v["workers"], v["channel"], v["rounds"], v["msg_bytes"] }')" = "sequential 1 pipe 500 8" ]
check "the overhead row is the pipe latency rows' pipe_overhead_us" [ -z "$(by_name "$sum" 'v["test"] == "overhead" { o = v["median_rtt_us"] } v["test"] == "latency" && v["channel"] == "pipe" { l[NR] = v["pipe_overhead_us"] } END { for (i in l) if (l[i] != o) print i }')" ]
check "no pipe overhead on the spsc round trip" [ "$(by_name "$sum" 'v["channel"] == "spsc" && v["test"] == "latency" { print v["pipe_overhead_us"] "|" v["switch_us"] }')" = "|" ]
# verdicts: the spsc ring against a pipe, the switches in a round trip
check "4 verdicts" [ "$(rows "$ver")" = 4 ]
check "two runs are too few to judge" [ "$(grep -c 'inconclusive,"too few runs' "$ver")" = 4 ]
check "the thresholds are printed" grep -q '^ipc,spsc ring (threads) MB/s over pipe (processes) at 4096-byte messages,>= 1.00x,' "$ver"
check "every run ok" sh -c "$(declare -f col all_equal); col '$raw' ok | all_equal 1"
check "mbps of every bandwidth run" sh -c "$(declare -f by_name all_positive); by_name '$raw' 'v[\"test\"] == \"bandwidth\" { print v[\"mbps\"] }' | all_positive"
check "20 bandwidth runs" [ "$(by_name "$raw" 'v["test"] == "bandwidth" && v["mbps"] > 0' | wc -l)" = 20 ]
check "every byte sent" [ -z "$(by_name "$raw" 'v["test"] == "bandwidth" && (v["bytes"] != v["msg_bytes"] * v["messages"] || v["bytes"] < 262144 - v["msg_bytes"])')" ]
check "rtt of every latency run" sh -c "$(declare -f by_name all_positive); by_name '$raw' 'v[\"test\"] == \"latency\" { print v[\"rtt_us\"] }' | all_positive"
check "10 latency runs" [ "$(by_name "$raw" 'v["test"] == "latency" && v["rtt_us"] > 0' | wc -l)" = 10 ]
check "8-byte ping-pong messages" [ "$(by_name "$raw" 'v["test"] != "bandwidth" { print v["msg_bytes"] }' | sort -u)" = 8 ]
check "no mbps on latency rows" [ -z "$(by_name "$raw" 'v["test"] == "latency" && v["mbps"] != ""')" ]
check "channels and models" [ "$(by_name "$sum" 'v["test"] == "bandwidth" { print v["channel"] "=" v["model"] }' | sort -u | tr '\n' ' ')" = "pipe=process queue=thread shm-ring=process socketpair=process spsc=thread " ]
check "latency: process and thread, pinned and not; spsc threads" [ "$(by_name "$sum" 'v["test"] == "latency" { print v["channel"] "=" v["model"] v["pinned"] }' | sort | tr '\n' ' ')" = "pipe=process0 pipe=process1 pipe=thread0 pipe=thread1 spsc=thread0 " ]
check "pinned runs name their CPU" [ -z "$(by_name "$sum" 'v["pinned"] == 1 && v["cpu"] == ""')" ]
check "pipe overhead stated" sh -c "$(declare -f by_name all_positive); by_name '$sum' 'v[\"test\"] == \"latency\" && v[\"channel\"] == \"pipe\" { print v[\"pipe_overhead_us\"] }' | all_positive"
check "a round trip costs more than its pipe calls" [ -z "$(by_name "$sum" 'v["test"] == "latency" && v["channel"] == "pipe" && v["median_rtt_us"] <= 2 * v["pipe_overhead_us"]')" ]
check "median within min..max" [ -z "$(by_name "$sum" 'v["test"] == "bandwidth" && (v["median_mbps"] < v["min_mbps"] || v["median_mbps"] > v["max_mbps"])')" ]
check "narration" grep -q "At 4 KiB messages, pipe" "$TMP/log"
check "the narration ends with the verdicts" grep -q "^  inconclusive  thread round trip on one CPU over a process one" "$TMP/log"
check "a bandwidth row per channel" [ "$(sed -n '/^ipc bandwidth/,/^ipc latency/p' "$TMP/log" | grep -cE '^  (pipe|socketpair|shm-ring|queue|spsc) ')" = 5 ]
check "a latency row per channel and model" [ "$(sed -n '/^ipc latency/,/^$/p' "$TMP/log" | grep -cE '^  (pipe +(process|thread)|spsc +thread) ')" = 3 ]
check "no child left" [ -z "$(pgrep -P $$)" ]

# one channel through the driver, without latency
"$PVT" run ipc --channels spsc --sizes 1MiB --bytes 4MiB --rounds 0 \
	--repeat 1 --warmup 0 --capacity 4KiB --out "$out" --quiet > /dev/null 2>&1
check "pvt run ipc --channels spsc" [ "$(by_name "$raw" '{ print v["channel"], v["messages"], v["ok"] }')" = "spsc 4 1" ]

bad() { # bad "expected text" args...
	local want=$1
	shift
	"$BIN/ipc" "$@" --out "$TMP/never" > "$TMP/o" 2> "$TMP/e"
	local rc=$?
	if [ $rc -ne 2 ]; then fail "ipc $* exited $rc, not 2"; return; fi
	if [ "$(wc -l < "$TMP/e")" -ne 1 ]; then fail "ipc $*: not one line: $(cat "$TMP/e")"; return; fi
	if ! grep -qF -- "$want" "$TMP/e"; then fail "ipc $*: '$want' not in: $(cat "$TMP/e")"; return; fi
	if [ -n "$(ls -A "$TMP/never" 2> /dev/null)" ]; then fail "ipc $*: wrote $(ls "$TMP/never")"; return; fi
	ok
}
bad "--sizes: '4' is out of range" --sizes 4
bad "--sizes: '99TiB' is out of range" --sizes 64,99TiB
bad "--sizes:" --sizes 64,,128
bad "--channels: unknown value 'smoke'" --channels pipe,smoke
bad "--capacity:" --capacity 1
bad "--bytes:" --bytes 10
bad "--rounds:" --rounds -1
bad "--models: not used" --models thread
bad "--channels: unknown value 'mpi2'" --channels mpi2
bad "--hosts: only the mpi channel runs on hosts" --hosts 2
bad "--hostfile: only the mpi channel runs on hosts" --hostfile /etc/hostname
bad "--hosts: '3' is out of range" --channels mpi --hosts 3
done_tests

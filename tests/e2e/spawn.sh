#!/usr/bin/env bash
# spawn end to end: every mechanism timed, fork slower with a big parent,
# a thread cheaper than fork; bad sizes refused with exit 2
. "$(dirname "$0")/lib.sh"

out=$TMP/r
"$BIN/spawn" --mechs fork,vfork,posix_spawn,thread --parent-mem 0,256MiB \
	--iterations 20 --run-time 50ms \
	--repeat 3 --warmup 1 --out "$out" > "$TMP/log" 2>&1
check "spawn exits 0" [ $? -eq 0 ]
raw=$out/spawn.csv sum=$out/spawn.summary.csv
check "raw and summary written" [ -s "$raw" -a -s "$sum" ]
check "raw header" [ "$(header "$raw")" = "scenario,model,workers,tasks,size,rep,wall_s,user_s,sys_s,max_rss_kib,failed,ok,other_cpu,steal,busy,mech,parent_mem_kib,parent_maps,iterations,us_per_op,overhead_us" ]
check "summary header" [ "$(header "$sum")" = "scenario,model,workers,tasks,size,n,median_s,min_s,max_s,mean_s,stddev_s,ci95_s,speedup,efficiency,noisy,ok,other_cpu,steal,busy,mech,parent_mem_kib,parent_maps,iterations,median_us,min_us,max_us,mean_us,stddev_us,ci95_us,overhead_us,growth" ]
# 2 sizes x 4 mechanisms, 3 runs each
check "24 raw rows" [ "$(rows "$raw")" = 24 ]
check "8 summary rows" [ "$(rows "$sum")" = 8 ]
check "every run ok" sh -c "$(declare -f col all_equal); col '$raw' ok | all_equal 1"
check "us_per_op positive and finite" positive us_per_op "$raw"
check "wall_s positive" positive wall_s "$raw"
check "median_us positive" positive median_us "$sum"
check "overhead measured" sh -c "$(declare -f col); col '$raw' overhead_us | awk '!/^[0-9.e-]+\$/ || \$1 < 0 || \$1 > 1 { exit 1 }'"
check "mechanisms" [ "$(col "$sum" mech | sort -u | tr '\n' ' ')" = "fork posix_spawn thread vfork " ]
check "models" [ "$(by_name "$sum" '{ print v["mech"] "=" v["model"] }' | sort -u | tr '\n' ' ')" = "fork=process posix_spawn=process thread=thread vfork=process " ]
check "parent memory in KiB and in size" [ "$(by_name "$raw" '{ print v["parent_mem_kib"] * 1024 == v["size"] }' | sort -u)" = 1 ]
check "parent_maps counted" positive parent_maps "$raw"
check "iterations at most 20" sh -c "$(declare -f col); col '$raw' iterations | awk '\$1 < 5 || \$1 > 20 { exit 1 }'"

fork0=$(by_name "$sum" 'v["mech"] == "fork" && v["parent_mem_kib"] == 0 { print v["median_us"] }')
fork256=$(by_name "$sum" 'v["mech"] == "fork" && v["parent_mem_kib"] == 262144 { print v["median_us"] }')
thread256=$(by_name "$sum" 'v["mech"] == "thread" && v["parent_mem_kib"] == 262144 { print v["median_us"] }')
vfork256=$(by_name "$sum" 'v["mech"] == "vfork" && v["parent_mem_kib"] == 262144 { print v["median_us"] }')
echo "fork: $fork0 µs at 0, $fork256 µs at 256 MiB; thread $thread256 µs, vfork $vfork256 µs at 256 MiB"
check "fork slower with 256 MiB than with none" awk -v a="$fork0" -v b="$fork256" 'BEGIN { exit !(b > 2 * a) }'
check "a thread cheaper than fork" awk -v a="$thread256" -v b="$fork256" 'BEGIN { exit !(a < b) }'
check "vfork does not copy the page tables" awk -v a="$vfork256" -v b="$fork256" 'BEGIN { exit !(a < b / 2) }'
check "growth of fork over 1" [ "$(by_name "$sum" 'v["mech"] == "fork" && v["parent_mem_kib"] > 0 { print (v["growth"] > 1) }')" = 1 ]
check "narration" grep -q "fork takes .* µs with 0 B of parent memory" "$TMP/log"
check "a table row per mechanism and size" [ "$(grep -cE '^  (process|thread) +1 +(fork|vfork|posix_spawn|thread) +(0|262144) ' "$TMP/log")" = 8 ]
ver=$out/spawn.verdicts.csv
check "the check: fork dearer than pthread_create" [ "$(cell "$ver" check "fork round trip / thread's" expected)" = ">= 1.0x" ]
check "its verdict" sh -c "$(declare -f cell); cell '$ver' check \"fork round trip / thread's\" verdict | grep -qE '^(holds|inconclusive)\$'"
check "no child left" [ -z "$(pgrep -P $$)" ]

# the driver runs it too, with one mechanism
"$PVT" run spawn --mechs thread --parent-mem 0 --iterations 10 --repeat 1 \
	--warmup 0 --out "$out" --quiet > /dev/null 2>&1
check "pvt run spawn --mechs thread" [ "$(col "$raw" mech)" = thread ]

bad() { # bad "expected text" args...
	local want=$1
	shift
	"$BIN/spawn" "$@" --out "$TMP/never" > "$TMP/o" 2> "$TMP/e"
	local rc=$?
	if [ $rc -ne 2 ]; then fail "spawn $* exited $rc, not 2"; return; fi
	if [ "$(wc -l < "$TMP/e")" -ne 1 ]; then fail "spawn $*: not one line: $(cat "$TMP/e")"; return; fi
	if ! grep -qF -- "$want" "$TMP/e"; then fail "spawn $*: '$want' not in: $(cat "$TMP/e")"; return; fi
	if [ -n "$(ls -A "$TMP/never" 2> /dev/null)" ]; then fail "spawn $*: wrote $(ls "$TMP/never")"; return; fi
	ok
}
bad "--parent-mem: '99TiB' is out of range" --parent-mem 99TiB
bad "--parent-mem:" --parent-mem 0,,1GiB
bad "--parent-mem:" --parent-mem 1.5GiB
bad "--parent-mem:" --parent-mem ""
# more than the machine has, in whole GiB
big=$(awk '/^MemTotal:/ { print int($2 / 1048576) + 1 }' /proc/meminfo)
bad "--parent-mem: $big GiB is over half of this machine's memory" --parent-mem "0,${big}GiB"
bad "--mechs: unknown value 'clone'" --mechs fork,clone
bad "--iterations:" --iterations 0
bad "--run-time:" --run-time 0s
bad "--workers: not used" --workers 4
done_tests

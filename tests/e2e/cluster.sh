#!/usr/bin/env bash
# cluster end to end: pvt cluster up 2 makes two hosts of network
# namespaces, Open MPI runs pvt-mpi's ping-pong within one host and its
# stream across the two with every message checked, a rank killed mid-run
# fails the run and leaves no orted or rank, and down removes everything
# (twice is fine). Skipped, with the reason, without root, namespaces or mpirun.
. "$(dirname "$0")/lib.sh"

skip() { echo "$(basename "$0"): skipped: $*"; exit 0; }
[ "$(id -u)" -eq 0 ] || skip "needs root (network namespaces)"
command -v mpirun > /dev/null || skip "no mpirun (openmpi-bin)"
[ -x "$BIN/pvt-mpi" ] || skip "pvt-mpi not built (libopenmpi-dev missing at configure time)"
ip netns add pvt-e2e-probe.$$ 2> /dev/null || skip "cannot make a network namespace here"
ip netns del pvt-e2e-probe.$$

# the hosts' names are the machine's: one cluster test at a time
exec 9> /run/lock/pvt-cluster-test.lock
flock 9
export PVT_CLUSTER_DIR=$TMP/cluster
# live NAME: processes called NAME that are not zombies (a zombie's
# reaping belongs to init)
live() { ps -eo stat=,comm= | awk -v n="$1" '$2 == n && $1 !~ /^Z/' | grep . ; }
leftovers() { # what up made that is still there
	ip netns list | grep -E '^pvt-h[0-9]' || true
	ip -o link show | grep -oE 'pvt-v[0-9]+|pvtbr0' || true
	[ -e "$PVT_CLUSTER_DIR" ] && echo "$PVT_CLUSTER_DIR"
	live orted
	live pvt-mpi
	live square-mpi
}
# kill_a_rank NAME PID: once a rank called NAME runs, kills the newest
# one and waits for the run PID to end; returns its exit status
kill_a_rank() {
	for _ in $(seq 100); do pgrep -x "$1" > /dev/null && break; sleep 0.1; done
	sleep 0.5
	pkill -KILL -x "$1" -n
	timeout 30 tail --pid="$2" -f /dev/null
	wait "$2"
}
trap '"$PVT" cluster down > /dev/null 2>&1; rm -rf "$TMP"' EXIT

refused "not a host count" "$PVT" cluster up 0
refused "not a host count" "$PVT" cluster up 99
refused "not a cluster command" "$PVT" cluster sideways
check "mpirun without a cluster fails in one line" sh -c "! '$PVT' cluster mpirun -np 2 true 2> '$TMP/e' && [ \$(wc -l < '$TMP/e') -eq 1 ]"

# on this machine alone, no cluster needed
"$BIN/square" --models sequential,mpi,mpi-thread --workers 2 --tasks 4 \
	--size 16Ki --repeat 2 --warmup 0 --out "$TMP/local" > "$TMP/local.log" 2>&1
check "square on local ranks exits 0" [ $? -eq 0 ]
check "local ranks: one host" [ "$(by_name "$TMP/local/square.summary.csv" 'v["model"] ~ /^mpi/ { print v["hosts"] }' | sort -u)" = 1 ]
check "a missing hostfile is skipped in one line" sh -c "'$BIN/square' --models sequential,mpi --workers 2 --hosts 2 --hostfile '$TMP/nope' --tasks 2 --size 1Ki --repeat 1 --warmup 0 --out '$TMP/nohf' | grep -q 'mpi models are skipped: --hostfile $TMP/nope: No such file'"
refused "no MPI version" "$BIN/race" --models mpi

check "up 2" "$PVT" cluster up 2
check "two hosts in status" [ "$("$PVT" cluster status | grep -c '^pvt-h[12] 198\.18\.0\.[12]/24$')" = 2 ]
check "hostfile lists both hosts" [ "$(grep -c '^198\.18\.0\.[12] slots=' "$PVT_CLUSTER_DIR/hostfile")" = 2 ]
# every IPv4 address the cluster has: the bridge's and each host's eth0
cluster_addrs() {
	ip -o -4 addr show dev pvtbr0
	for h in pvt-h1 pvt-h2; do ip -n $h -o -4 addr show dev eth0; done
}
check "addresses only from 198.18.0.0/15" sh -c "$(declare -f cluster_addrs); [ \$(cluster_addrs | wc -l) = 3 ] && ! cluster_addrs | awk '{ print \$4 }' | grep -v '^198\.1[89]\.'"
# a closed port answers "refused" only where the host is reachable
check "the hosts reach each other" sh -c "ip netns exec pvt-h1 timeout 3 bash -c 'exec 3<>/dev/tcp/198.18.0.2/9' 2>&1 | grep -q refused"
check "the hosts do not reach 198.18.0.99" sh -c "! ip netns exec pvt-h1 timeout 2 bash -c 'exec 3<>/dev/tcp/198.18.0.99/9' 2>&1 | grep -q refused"

# pingpong OUT: two rows, each with a positive time, no message wrong
pp_ok() { [ "$(grep -cE '^row,[12],[0-9.]*[1-9][0-9.]*,[0-9.]+,[0-9.]+,[0-9]+,0,1$' "$1")" = 2 ]; }
"$PVT" cluster mpirun -np 2 --host 198.18.0.1:2 "$BIN/pvt-mpi" pingpong \
	--bytes 8 --count 50 --repeat 2 > "$TMP/one.out" 2> "$TMP/one.err"
check "ping-pong on one host exits 0" [ $? -eq 0 ]
check "ping-pong on one host: whole rows" pp_ok "$TMP/one.out"
check "both ranks on pvt-h1" [ "$(grep ^ready "$TMP/one.out")" = "ready,2,1,pvt-h1,pvt-h1" ]

"$PVT" cluster mpirun -np 2 --map-by node "$BIN/pvt-mpi" stream \
	--bytes 64KiB --count 50 --repeat 2 > "$TMP/two.out" 2> "$TMP/two.err"
check "a stream across hosts exits 0" [ $? -eq 0 ]
check "a stream across hosts: whole rows" pp_ok "$TMP/two.out"
check "one rank on each host" [ "$(grep ^ready "$TMP/two.out")" = "ready,2,2,pvt-h1,pvt-h2" ]

# a rank killed mid-run: the run fails and nothing of it stays
"$PVT" cluster mpirun -np 2 --map-by node "$BIN/pvt-mpi" pingpong \
	--bytes 8 --count 100000000 > /dev/null 2> "$TMP/kill.err" &
kill_a_rank pvt-mpi $!
rc=$?
check "a killed rank fails the run (exit $rc)" [ $rc -ne 0 ]
check "no rank or orted left" sh -c "$(declare -f live); ! live pvt-mpi && ! live orted"

check "--hosts 2 without a cluster is skipped in one line" sh -c "PVT_CLUSTER_DIR=$TMP/none '$BIN/square' --models sequential,mpi --workers 2 --hosts 2 --tasks 2 --size 1Ki --repeat 1 --warmup 0 --out '$TMP/none-out' | grep -q 'mpi models are skipped: --hosts 2 needs hosts: pvt cluster up 2'"

# square on ranks: one host and two, one thread a rank and two, every
# result gathered to rank 0 and verified there
out=$TMP/sq
"$BIN/square" --models sequential,mpi,mpi-thread --workers 2,4 --hosts 2 \
	--tasks 8 --size 64Ki --repeat 2 --warmup 0 --out "$out" \
	> "$TMP/sq.log" 2>&1
check "square on 2 hosts exits 0" [ $? -eq 0 ]
sum=$out/square.summary.csv
check "every row ok" sh -c "$(declare -f col all_equal); col '$out/square.csv' ok | all_equal 1"
check "mpi rows say hosts, ranks, threads" [ "$(by_name "$sum" 'v["model"] ~ /^mpi/ { print v["model"] "/" v["workers"] "=" v["hosts"] "x" v["ranks"] "x" v["threads_per_rank"] }' | tr '\n' ' ')" = "mpi/2=2x2x1 mpi/4=2x4x1 mpi-thread/2=1x1x2 mpi-thread/4=2x2x2 " ]
check "launch time measured apart" sh -c "$(declare -f by_name); by_name '$sum' 'v[\"model\"] ~ /^mpi/ && !(v[\"launch_s\"] > 0) { bad = 1 } END { exit bad }'"
check "mpi speedup measured" sh -c "$(declare -f by_name); by_name '$sum' 'v[\"model\"] ~ /^mpi/ && !(v[\"speedup\"] > 0) { bad = 1 } END { exit bad }'"

# a rank killed mid-run: the run fails, says which rank, leaves nothing
"$BIN/square" --models mpi --workers 2 --hosts 2 --tasks 4 --size 4Gi \
	--repeat 1 --warmup 0 --out "$TMP/kill" > "$TMP/kill.log" 2>&1 &
kill_a_rank square-mpi $!
rc=$?
check "a killed rank fails square (exit $rc)" [ $rc -eq 1 ]
check "the failure names the rank" grep -q 'mpi x2.*process rank [01] .*signal 9' "$TMP/kill.log"
check "no rank or orted left after square" sh -c "$(declare -f live); ! live square-mpi && ! live orted"

check "down" "$PVT" cluster down
check "down twice" "$PVT" cluster down
check "nothing left after down" [ -z "$(leftovers)" ]
done_tests

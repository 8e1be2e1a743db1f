#!/usr/bin/env bash
# ipc's mpi channel end to end: two Open MPI ranks on this host stream
# and ping-pong beside pipes and threads in the same files, every byte
# checked (a spoilt message fails pvt-mpi's run); asked without mpirun or
# without hosts, refused in one line; a rank killed mid-run fails the run
# by name and leaves no rank. Then, as root where network namespaces are
# allowed, the same across two hosts of pvt cluster. Skipped, with the
# reason, without mpirun; the two-host part without root or namespaces.
. "$(dirname "$0")/lib.sh"

skip() { echo "$(basename "$0"): skipped: $*"; exit 0; }
command -v mpirun > /dev/null || skip "no mpirun (openmpi-bin)"
[ -x "$BIN/pvt-mpi" ] || skip "pvt-mpi not built (libopenmpi-dev missing at configure time)"

# pvt-mpi and orted are looked for by name (here and in cluster.sh):
# one test that runs them at a time, on one host too
exec 9> /run/lock/pvt-cluster-test.lock
flock 9

# live NAME: processes called NAME that are not zombies (a zombie's
# reaping belongs to init, which adopts what mpirun leaves)
live() { ps -eo stat=,comm= | awk -v n="$1" '$2 == n && $1 !~ /^Z/' | grep . ; }
# kill_a_rank PID PARENT: once a rank of this build's pvt-mpi streams
# 24-byte messages as a child of a PARENT (mpirun on this host, orted on
# pvt cluster's), kills the newest such rank by its pid and waits for
# the run PID to end (ends it after a minute); returns its exit status
kill_a_rank() {
	local rank= parents
	for _ in $(seq 600); do
		parents=$(pgrep -d, -x "$2") &&
			rank=$(pgrep -n -P "$parents" -f "^$BIN/pvt-mpi stream --bytes 24 ") &&
			break
		sleep 0.1
	done
	sleep 0.5
	[ -n "$rank" ] && kill -KILL "$rank"
	timeout 60 tail --pid="$1" -f /dev/null || kill -TERM "$1"
	wait "$1"
}
# no_rank_left: within 5 s no pvt-mpi or orted runs
no_rank_left() {
	for _ in $(seq 50); do
		! live pvt-mpi > /dev/null && ! live orted > /dev/null && return 0
		sleep 0.1
	done
	return 1
}

# refused, nothing written
mkdir -p "$TMP/nompi"
refused "--channels: mpi: mpirun not found in PATH" env PATH="$TMP/nompi" "$BIN/ipc" --channels pipe,mpi --out "$TMP/never"
refused "--hosts 2 needs hosts: pvt cluster up 2" env PVT_CLUSTER_DIR="$TMP/none" "$BIN/ipc" --channels mpi --hosts 2 --out "$TMP/never"
refused "--hostfile $TMP/nope: No such file" "$BIN/ipc" --channels mpi --hostfile "$TMP/nope" --out "$TMP/never"
refused "--hosts: only the mpi channel runs on hosts" "$BIN/ipc" --channels pipe --hosts 2 --out "$TMP/never"

# pvt-mpi itself: a message spoilt on the way fails its run, by number
for t in stream pingpong; do
	root=
	[ "$(id -u)" -eq 0 ] && root=--allow-run-as-root
	mpirun $root -np 2 --oversubscribe "$BIN/pvt-mpi" $t --bytes 64 \
		--count 50 --corrupt 7 > "$TMP/spoilt.out" 2> /dev/null
	check "pvt-mpi $t: a spoilt message fails (exit $?)" [ $? -ne 0 ]
	check "pvt-mpi $t: the row says which" grep -q '^row,1,[0-9.]*,[0-9.]*,[0-9.]*,[0-9]*,1,0,1 of 50 64-byte message(s) arrived wrong, the first at 7$' "$TMP/spoilt.out"
done

# mpi_rows FILE PROGRAM: by_name over the rows of the mpi channel
mpi_rows() { by_name "$1" "v[\"channel\"] == \"mpi\" { $2 }"; }
# sane RAW HOSTS: the mpi rows of one host count are whole and verified
sane() {
	local raw=$1 h=$2
	check "mpi on $h host(s): 4 bandwidth and 2 latency runs" [ "$(mpi_rows "$raw" "if (v[\"hosts\"] == $h) print v[\"test\"]" | sort | uniq -c | awk '{ printf "%s=%s ", $2, $1 }')" = "bandwidth=4 latency=2 " ]
	check "mpi on $h host(s): every run ok, no message wrong" [ -z "$(mpi_rows "$raw" "if (v[\"hosts\"] == $h && (v[\"ok\"] != 1 || v[\"failed\"] != 0)) print")" ]
	check "mpi on $h host(s): model mpi, 2 workers" [ "$(mpi_rows "$raw" "if (v[\"hosts\"] == $h) print v[\"model\"], v[\"workers\"]" | sort -u)" = "mpi 2" ]
	check "mpi on $h host(s): bandwidth > 0, every byte sent" [ -z "$(mpi_rows "$raw" "if (v[\"hosts\"] == $h && v[\"test\"] == \"bandwidth\" && !(v[\"mbps\"] > 0 && v[\"bytes\"] == v[\"msg_bytes\"] * v[\"messages\"] && v[\"bytes\"] >= 262144 - v[\"msg_bytes\"])) print")" ]
	check "mpi on $h host(s): latency > 0 and under a second, 8 bytes" [ -z "$(mpi_rows "$raw" "if (v[\"hosts\"] == $h && v[\"test\"] == \"latency\" && !(v[\"rtt_us\"] > 0 && v[\"rtt_us\"] < 1e6 && v[\"msg_bytes\"] == 8 && v[\"rounds\"] == 300)) print")" ]
	check "mpi on $h host(s): the ranks' CPU time" [ -z "$(mpi_rows "$raw" "if (v[\"hosts\"] == $h && !(v[\"user_s\"] + v[\"sys_s\"] > 0)) print")" ]
}

# one host: no cluster needed
out=$TMP/one
"$BIN/ipc" --channels pipe,spsc,mpi --sizes 64,64KiB --bytes 256KiB \
	--rounds 300 --repeat 2 --warmup 0 --out "$out" > "$TMP/one.log" 2>&1
check "ipc with mpi on one host exits 0" [ $? -eq 0 ]
raw=$out/ipc.csv sum=$out/ipc.summary.csv
check "raw file whole" csv_whole "$raw"
sane "$raw" 1
check "the same file holds pipes and threads" [ "$(by_name "$sum" 'v["test"] == "bandwidth" { print v["channel"] "=" v["model"] "@" v["hosts"] }' | sort -u | tr '\n' ' ')" = "mpi=mpi@1 pipe=process@1 spsc=thread@1 " ]
check "the thread's round trip through shared memory beside it" [ "$(by_name "$sum" 'v["test"] == "latency" && v["channel"] != "pipe" { print v["channel"] "=" v["model"] "@" v["hosts"] }' | sort | tr '\n' ' ')" = "mpi=mpi@1 spsc=thread@1 " ]
check "mpi rows are not pinned" [ -z "$(mpi_rows "$sum" 'if (v["pinned"] != "" || v["cpu"] != "") print')" ]
check "summary: median within min..max" [ -z "$(mpi_rows "$sum" 'if (v["test"] == "bandwidth" && !(v["min_mbps"] <= v["median_mbps"] && v["median_mbps"] <= v["max_mbps"])) print')" ]
check "narration: mpi bandwidth row" grep -qE '^  mpi +1 host +[0-9]+' "$TMP/one.log"
check "narration: mpi latency row" grep -qE '^  mpi +1 host +- +[0-9.]+' "$TMP/one.log"
check "narration: ranks share nothing" grep -q "two ranks under mpirun that share nothing" "$TMP/one.log"
check "the verdict: mpi against shared memory" grep -q '^ipc,mpi round trip on one host over a thread one through shared memory (spsc ring),>= 1.00x,' "$out/ipc.verdicts.csv"
check "no rank left" no_rank_left

# a rank killed mid-run: the run fails, names the rank, leaves none
"$BIN/ipc" --channels mpi --sizes 24 --bytes 1GiB --rounds 0 --repeat 1 \
	--warmup 0 --out "$TMP/kill" > "$TMP/kill.log" 2>&1 &
kill_a_rank $! mpirun
rc=$?
check "a killed rank fails ipc (exit $rc)" [ $rc -eq 1 ]
check "the failure names the rank" grep -q 'mpi x2, bandwidth, mpi, 24, 1 run 1 failed: mpirun .*process rank [01] .*signal 9' "$TMP/kill.log"
check "the failed run is a row with ok 0" [ "$(mpi_rows "$TMP/kill/ipc.csv" 'print v["ok"]')" = 0 ]
check "no rank left after the kill" no_rank_left

# two hosts: root and network namespaces, one cluster test at a time
two() {
	[ "$(id -u)" -eq 0 ] || { echo "$(basename "$0"): two hosts skipped: needs root (network namespaces)"; return; }
	if ! ip netns add pvt-e2e-probe.$$ 2> /dev/null; then
		echo "$(basename "$0"): two hosts skipped: cannot make a network namespace here"
		return
	fi
	ip netns del pvt-e2e-probe.$$
	export PVT_CLUSTER_DIR=$TMP/cluster
	trap '"$PVT" cluster down > /dev/null 2>&1; rm -rf "$TMP"' EXIT
	check "cluster up 2" "$PVT" cluster up 2 > /dev/null

	out=$TMP/two
	"$BIN/ipc" --channels spsc,mpi --hosts 2 --sizes 64,64KiB \
		--bytes 256KiB --rounds 300 --repeat 2 --warmup 0 \
		--out "$out" > "$TMP/two.log" 2>&1
	check "ipc with mpi on two hosts exits 0" [ $? -eq 0 ]
	raw=$out/ipc.csv
	sane "$raw" 1
	sane "$raw" 2
	check "narration: mpi across 2 hosts" grep -qE '^  mpi +2 hosts +- +[0-9.]+' "$TMP/two.log"
	check "narration: the hosts share this machine's cores" grep -q "sharing its cores" "$TMP/two.log"
	check "the verdict: across hosts against one host" grep -q '^ipc,mpi round trip across 2 hosts over one on one host,>= 1.00x,' "$out/ipc.verdicts.csv"

	# the one-host configuration runs first (seconds), then the ranks
	# on two hosts, one of which is killed
	check "no rank left before" no_rank_left
	"$BIN/ipc" --channels mpi --hosts 2 --sizes 24 --bytes 1GiB --rounds 0 \
		--repeat 1 --warmup 0 --out "$TMP/kill2" > "$TMP/kill2.log" 2>&1 &
	kill_a_rank $! orted
	rc=$?
	check "a killed rank across hosts fails ipc (exit $rc)" [ $rc -eq 1 ]
	check "the failure names the rank on two hosts" grep -q 'mpi x2, bandwidth, mpi, 24, 2 run 1 failed: mpirun .*process rank [01] .*signal 9' "$TMP/kill2.log"
	check "the one-host configuration before it was measured" [ "$(by_name "$TMP/kill2/ipc.csv" '{ print v["hosts"] "=" v["ok"] }' | tr '\n' ' ')" = "1=1 2=0 " ]
	check "no rank or orted left across hosts" no_rank_left
	check "cluster down" "$PVT" cluster down > /dev/null
}
two
done_tests

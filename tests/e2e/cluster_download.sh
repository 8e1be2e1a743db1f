#!/usr/bin/env bash
# download on Open MPI ranks end to end: the mpi and mpi-thread models
# fetch their share of the files from the run's own server and rank 0
# checks every length and CRC-32 again, on this machine (127.0.0.1) and
# across two hosts of pvt cluster (the server on the bridge's own
# address); the failures of tasks are counted by cause on the ranks as on
# the other models; a missing mpirun, a bad or foreign hostfile are said
# in one line; a rank killed mid-run fails the run, names the rank, and
# leaves no rank, orted or server behind. Skipped, with the reason,
# without mpirun; the cluster part without root or namespaces.
. "$(dirname "$0")/lib.sh"

skip() { echo "$(basename "$0"): skipped: $*"; exit 0; }
command -v mpirun > /dev/null || skip "no mpirun (openmpi-bin)"
[ -x "$BIN/download-mpi" ] || skip "download-mpi not built (libopenmpi-dev missing at configure time)"

# live NAME: processes called NAME that are not zombies
live() { ps -eo stat=,comm= | awk -v n="$1" '$2 == n && $1 !~ /^Z/' | grep . ; }
# server_pid LOG: the pid of the run's server, as its narration says
server_pid() { sed -n 's/^  server: pid \([0-9]*\) at .*/\1/p' "$1"; }
gone() { [ -n "$1" ] && ! kill -0 "$1" 2> /dev/null; }
# every_row_ok CSV: each row's ok is 1, bytes tasks x size, no failure
every_row_ok() {
	by_name "$1" '{ rows++
		f = v["http_errors"] + v["timeouts"] + v["conn_errors"]
		f += v["length_errors"] + v["checksum_errors"]
		f += v["url_errors"] + v["other_errors"]
		if (v["ok"] != 1 || v["bytes"] != v["tasks"] * v["size"] || f != 0)
			bad = 1 }
		END { exit bad || !rows }'
}
# layout SUMMARY: model/workers=hosts x ranks x threads of the mpi rows
layout() { by_name "$1" 'v["model"] ~ /^mpi/ { print v["model"] "/" v["workers"] "=" v["hosts"] "x" v["ranks"] "x" v["threads_per_rank"] }' | tr '\n' ' '; }
# kept_files DIR N: N files of 4096 bytes in DIR/download.files
kept_files() { [ "$(find "$1/download.files" -name 'task-*.bin' -size 4096c | wc -l)" = "$2" ]; }

# on_ranks NAME HOSTS ADDRESS LAYOUT: download under every model but
# process at 2 and 4 workers on HOSTS host(s), into $TMP/NAME: it exits
# 0, its server was at ADDRESS and is gone, every row is ok with every
# byte there, the mpi rows' layout is LAYOUT (model/workers=hosts x ranks
# x threads) with their launch apart, and the ranks kept every file
on_ranks() {
	local out=$TMP/$1 log=$TMP/$1.log
	"$BIN/download" --models sequential,thread,mpi,mpi-thread \
		--workers 2,4 --hosts "$2" --tasks 8 --size 4KiB \
		--latency 20ms --repeat 2 --warmup 0 --out "$out" > "$log" 2>&1
	check "$1: download on $2 host(s) exits 0" [ $? -eq 0 ]
	check "$1: the server at $3" grep -qF "at http://$3:" "$log"
	check "$1: the server is gone" gone "$(server_pid "$log")"
	check "$1: every row ok, every byte there" every_row_ok "$out/download.csv"
	check "$1: mpi rows say hosts, ranks, threads" [ "$(layout "$out/download.summary.csv")" = "$4" ]
	check "$1: launch time measured apart" sh -c "$(declare -f by_name); by_name '$out/download.summary.csv' 'v[\"model\"] ~ /^mpi/ && !(v[\"launch_s\"] > 0) { bad = 1 } END { exit bad }'"
	check "$1: the ranks kept every file" kept_files "$out" 8
}

# ---- this machine: no cluster -------------------------------------------
on_ranks local 1 127.0.0.1 "mpi/2=1x2x1 mpi/4=1x4x1 mpi-thread/2=1x1x2 mpi-thread/4=1x2x2 "
# 4 workers x 20 ms waits: two rounds, not eight
check "mpi at 4 ranks waits in parallel (under half of sequential)" sh -c "$(declare -f by_name); by_name '$TMP/local/download.summary.csv' 'v[\"model\"] == \"sequential\" { s = v[\"median_s\"] } v[\"model\"] == \"mpi\" && v[\"workers\"] == 4 { m = v[\"median_s\"] } END { exit !(m > 0 && m < s / 2) }'"

# failures are counted by cause on rank 0, as for threads, and the run
# fails naming the ranks
"$BIN/download" --models thread,mpi,mpi-thread --workers 2 --tasks 10 \
	--size 4KiB --latency 1ms --error-rate 30% \
	--error-kinds 500,truncate,corrupt --repeat 1 --warmup 0 --discard \
	--out "$TMP/err" > "$TMP/err.log" 2>&1
check "failed downloads fail the run" [ $? -eq 1 ]
causes() { by_name "$TMP/err/download.csv" 'v["model"] == "'"$1"'" { print v["failed"], v["bytes"], v["http_errors"], v["length_errors"], v["checksum_errors"] }'; }
check "mpi counts them as thread does ($(causes thread))" [ "$(causes mpi)" = "$(causes thread)" ]
check "mpi-thread counts them as thread does" [ "$(causes mpi-thread)" = "$(causes thread)" ]
check "three failures, one of each" [ "$(causes thread | cut -d' ' -f1,3-)" = "3 1 1 1" ]
check "the failure names the ranks" grep -q 'mpi x2 run 1 failed: 3 task(s) failed on the ranks: rank 0 1, rank 1 2' "$TMP/err.log"
check "the rank's own words reach the log" grep -q 'task(s) failed (checksum), the first is task 9' "$TMP/err.log"

check "no mpirun: skipped in one line" sh -c "PATH=/nonexistent '$BIN/download' --models thread,mpi --workers 2 --tasks 2 --size 1KiB --latency 0 --repeat 1 --warmup 0 --out '$TMP/nompi' | grep -q 'mpi models are skipped: mpirun not found in PATH'"
check "a missing hostfile: skipped in one line" sh -c "'$BIN/download' --models thread,mpi --workers 2 --hostfile '$TMP/nope' --tasks 2 --size 1KiB --latency 0 --repeat 1 --warmup 0 --out '$TMP/nohf' | grep -q 'mpi models are skipped: --hostfile $TMP/nope: No such file'"
echo "198.18.0.1 slots=2" > "$TMP/hostfile"
check "a real cluster's hostfile cannot reach this server: skipped" sh -c "'$BIN/download' --models thread,mpi --workers 2 --hostfile '$TMP/hostfile' --tasks 2 --size 1KiB --latency 0 --repeat 1 --warmup 0 --out '$TMP/hf' | grep -q 'mpi models are skipped: the hosts of --hostfile may be other machines'"
refused "--server: 'ftp://x' is not a server's address" "$BIN/download" --server ftp://x --out "$TMP/never"
refused "--server and --url-file" "$BIN/download" --server http://127.0.0.1:1 --url-file /dev/null --out "$TMP/never"

# more ranks than cores (Open MPI's slots here): oversubscribed, as the
# rows say, never refused
n=$(($(nproc) + 1))
"$BIN/download" --models mpi --workers $n --tasks $n --size 1KiB \
	--latency 1ms --repeat 1 --warmup 0 --discard --out "$TMP/over" \
	> "$TMP/over.log" 2>&1
check "$n ranks on $((n - 1)) cores run" [ $? -eq 0 ]
check "$n ranks, every download checked" sh -c "$(declare -f by_name); by_name '$TMP/over/download.csv' '{ r = v[\"ranks\"]; ok = v[\"ok\"] } END { exit !(r == $n && ok == 1) }'"

# ---- two hosts of pvt cluster ---------------------------------------------
[ "$(id -u)" -eq 0 ] || { echo "$(basename "$0"): the cluster part is skipped: needs root (network namespaces)"; done_tests; exit; }
ip netns add pvt-e2e-probe.$$ 2> /dev/null ||
	{ echo "$(basename "$0"): the cluster part is skipped: cannot make a network namespace here"; done_tests; exit; }
ip netns del pvt-e2e-probe.$$

# the hosts' names are the machine's: one cluster test at a time
exec 9> /run/lock/pvt-cluster-test.lock
flock 9
export PVT_CLUSTER_DIR=$TMP/cluster
trap '"$PVT" cluster down > /dev/null 2>&1; rm -rf "$TMP"' EXIT

check "--hosts 2 without a cluster is skipped in one line" sh -c "'$BIN/download' --models thread,mpi --workers 2 --hosts 2 --tasks 2 --size 1KiB --latency 0 --repeat 1 --warmup 0 --out '$TMP/none' | grep -q 'mpi models are skipped: --hosts 2 needs hosts: pvt cluster up 2'"
"$PVT" cluster up 2 > /dev/null
check "up 2" [ $? -eq 0 ]
check "the cluster names this machine's address on its bridge" [ "$(cat "$PVT_CLUSTER_DIR/address")" = 198.18.0.254 ]

on_ranks two 2 198.18.0.254 "mpi/2=2x2x1 mpi/4=2x4x1 mpi-thread/2=1x1x2 mpi-thread/4=2x2x2 "
check "no rank or orted left after the run" sh -c "$(declare -f live); ! live download-mpi && ! live orted"

# a rank killed mid-run: the run fails, says which rank, leaves nothing
"$BIN/download" --models mpi --workers 2 --hosts 2 --tasks 8 --size 1KiB \
	--latency 2s --repeat 1 --warmup 0 --discard --out "$TMP/kill" \
	> "$TMP/kill.log" 2>&1 &
run=$!
for _ in $(seq 100); do pgrep -x download-mpi > /dev/null && break; sleep 0.1; done
sleep 1
pkill -KILL -x download-mpi -n
timeout 30 tail --pid=$run -f /dev/null
wait $run
rc=$?
check "a killed rank fails download (exit $rc)" [ $rc -eq 1 ]
check "the failure names the rank" grep -q 'mpi x2.*process rank [01] .*signal 9' "$TMP/kill.log"
check "no rank or orted left after the kill" sh -c "$(declare -f live); ! live download-mpi && ! live orted"
check "nothing left on the hosts" [ -z "$(ip netns pids pvt-h1; ip netns pids pvt-h2)" ]
check "no server left after the kill" gone "$(server_pid "$TMP/kill.log")"

"$PVT" cluster down > /dev/null
check "down" [ $? -eq 0 ]
done_tests

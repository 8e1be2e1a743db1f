#!/usr/bin/env bash
# Stop means stop: SIGINT or SIGTERM, to pvt or to its whole group (as a
# terminal's Ctrl-C), at a random moment 0.1-1.5 s into runs of every
# kind: process, thread, gil and sequential workers, the pool, the
# download (its server), and python3 (py-process, py-thread); process
# runs of 64 workers too, most of whose time is forking them. For each:
# pvt exits 130 or 143 within one second of the signal, leaves nothing in
# its process group or its session (no zombie either: python3's children
# included), no temporary file, and every CSV it kept is whole and marked
# interrupted. Then Ctrl-C storms on a thread run and on a process run
# of 64 workers: 30 signals in 0.3 s still end it with its message and
# its rows, and leave no worker behind.
#   default: 8 kinds x 3 = 24 random interrupts (PVT_LONG=1: 8 x 15 =
#   120), then one at 1.5 s that must keep rows, then the storms
. "$(dirname "$0")/lib.sh"

rounds=3
[ -n "${PVT_LONG:-}" ] && rounds=15
kinds=(
	"square --models process --workers 1..16 --tasks 64 --size 64 --repeat 1000 --warmup 0"
	"square --models process --workers 64 --tasks 64 --size 64 --repeat 1000 --warmup 0"
	"square --models thread,gil --workers 1..4 --tasks 16 --size 16Mi --repeat 100 --warmup 0"
	"square --models sequential --tasks 2 --size 4Gi --repeat 3 --warmup 0"
	"pool --repeat 3"
	"download --models process,thread,gil --workers 1,4 --tasks 16 --latency 100ms --repeat 20 --warmup 0 --discard"
	"download --models py-process,py-thread --workers 2,4 --tasks 8 --size 4KiB --latency 50ms --repeat 20 --warmup 0 --discard"
	"square --models py-process,py-thread --workers 2 --tasks 8 --size 200000 --py-size 200000 --repeat 50 --warmup 0"
)

# session SID: every process left in pvt's session, zombies included
session() { ps -o pid=,stat=,args= -s "$1" 2> /dev/null; }
# ended PID: pvt has exited (a zombie until the shell reaps it)
ended() {
	local st
	st=$(ps -o stat= -p "$1" 2> /dev/null)
	[ -z "$st" ] || [ "${st:0:1}" = Z ]
}
now_ms() { echo $(($(date +%s%N) / 1000000)); }

interrupts=0 hangs=0 slow=0 left=0 temps=0 broken=0 worst=0
# stop_one N KIND...: one interrupted run, $delay seconds in (default: a
# random 0.1-1.5 s)
stop_one() {
	local n=$1 out=$TMP/s$1 sig want target t0 ms pid rc
	shift
	setsid "$PVT" run "$@" --out "$out" --quiet > "$TMP/log$n" 2>&1 &
	pid=$!
	sig=INT want=130
	[ $((RANDOM % 2)) -eq 0 ] && sig=TERM want=143
	target=$pid
	[ $((RANDOM % 3)) -eq 0 ] && target=-$pid	# the whole group
	sleep "${delay:-$((RANDOM % 15 + 1))e-1}"
	t0=$(now_ms)
	kill -$sig -- $target
	while ! ended $pid && [ $(($(now_ms) - t0)) -lt 10000 ]; do
		sleep 0.01
	done
	ms=$(($(now_ms) - t0))
	interrupts=$((interrupts + 1))
	[ $ms -gt $worst ] && worst=$ms
	if ! ended $pid; then
		hangs=$((hangs + 1))
		fail "run $n ($*): SIG$sig: still running after 10 s"
		kill -KILL -- -$pid 2> /dev/null
	fi
	wait $pid
	rc=$?
	check "run $n ($*): SIG$sig exits $want, not $rc" [ $rc -eq $want ]
	check "run $n ($*): said so" grep -q "interrupted by SIG$sig" "$TMP/log$n"
	if [ $ms -gt 1000 ]; then
		slow=$((slow + 1))
		fail "run $n ($*): SIG$sig: took $ms ms to end (at most 1000)"
	fi
	if [ -n "$(session $pid)" ] || [ -n "$(pgrep -g $pid)" ]; then
		left=$((left + 1))
		fail "run $n ($*): left behind: $(session $pid | tr '\n' ';')"
		pkill -KILL -s $pid 2> /dev/null
	fi
	if [ -n "$(find "$out" -name '.*' 2> /dev/null)" ]; then
		temps=$((temps + 1))
		fail "run $n ($*): temporary files: $(find "$out" -name '.*')"
	fi
	for f in "$out"/*.csv; do
		[ -e "$f" ] || continue
		if ! csv_whole "$f" || ! grep -q '^# interrupted: yes' "$f"; then
			broken=$((broken + 1))
			fail "run $n ($*): $f is not whole or not marked"
		fi
	done
}

n=0
for round in $(seq $rounds); do
	for kind in "${kinds[@]}"; do
		n=$((n + 1))
		# shellcheck disable=SC2086 # a kind is a list of words
		stop_one $n $kind
	done
done

# runs stopped late enough keep what they measured: a process run of
# 1 ms runs stopped after 1.5 s has rows
delay=1.5 stop_one kept ${kinds[0]}
check "stopped at 1.5 s: rows kept" [ "$(rows "$TMP/skept/square.csv" 2> /dev/null || echo 0)" -ge 1 ]
check "stopped at 1.5 s: summary kept" csv_whole "$TMP/skept/square.summary.csv"

# Ctrl-C storms: the first signal stops the run, the others while it
# stops are absorbed; its message and its rows are still there. On a
# thread run, and on a process run of 64 workers, signalled to its whole
# group too (the workers as well), from the first moments on, while the
# workers are being forked.
# storm NAME DELAY ARGS...
storm() {
	local name=$1 wait=$2 pid t0 end i rc ms
	shift 2
	setsid "$PVT" run "$@" --out "$TMP/$name" --quiet \
		> "$TMP/$name.log" 2>&1 &
	pid=$!
	sleep "$wait"
	t0=$(now_ms)
	end=
	for i in $(seq 30); do
		kill -INT -- $([ $((i % 2)) -eq 0 ] && echo -$pid || echo $pid) 2> /dev/null
		[ -z "$end" ] && ended $pid && end=$(now_ms)
		sleep 0.01
	done
	while [ -z "$end" ] && ! ended $pid && [ $(($(now_ms) - t0)) -lt 10000 ]; do
		sleep 0.01
	done
	[ -n "$end" ] || end=$(now_ms)
	wait $pid
	rc=$?
	ms=$((end - t0))
	check "$name: exit 130, not $rc" [ $rc -eq 130 ]
	check "$name: said so once" [ "$(grep -c 'interrupted by SIGINT' "$TMP/$name.log")" = 1 ]
	check "$name: ended within 1 s of the first ($ms ms)" [ $ms -le 1000 ]
	# (a sanitizer's build may not have finished a run in time)
	for f in "$TMP/$name"/*.csv; do
		[ -e "$f" ] && check "$name: $(basename "$f") kept whole" csv_whole "$f"
	done
	check "$name: nothing left ($(session $pid | tr '\n' ';'))" [ -z "$(session $pid)" ]
}
storm storm 1.5 square --models thread --workers 1..4 --tasks 8 \
	--size 64Mi --repeat 1000 --warmup 0
for delay in 0.05 0.2 0.6; do
	storm "storm-process-$delay" $delay square --models process \
		--workers 64 --tasks 64 --size 64 --repeat 1000 --warmup 0
done

echo "stop: $interrupts interrupts, hangs: $hangs, slower than 1 s: $slow" \
	"(slowest $worst ms), processes left: $left, temporary files: $temps," \
	"broken CSV: $broken"
done_tests

#!/usr/bin/env bash
# Ctrl-C, SIGTERM and SIGKILL at random moments: pvt stops every worker,
# leaves no process behind, and its CSV is either absent or whole and
# marked "# interrupted: yes"
. "$(dirname "$0")/lib.sh"

# left PGID: processes still in pvt's process group
left() { pgrep -g "$1" 2> /dev/null | wc -l; }
# alive PGID: those of them still running (after pvt itself was killed,
# its dead workers are init's to reap, not pvt's)
alive() { ps -o stat= -g "$1" 2> /dev/null | grep -vc '^Z'; }

runs=0
for i in 1 2 3 4 5 6; do
	sig=INT want=130
	[ $((i % 2)) -eq 0 ] && sig=TERM want=143
	models=process,thread,gil
	[ $((i % 3)) -eq 0 ] && models=process
	out=$TMP/r$i
	# runs of 8 x 4Mi integers, 10-50 ms quiet and under a second on a
	# busy machine or a sanitizer build: the first is measured well
	# within the 4 s of the last two interrupts, while the whole sweep
	# (4 to 12 configurations of 200) takes far longer than that
	setsid "$PVT" run square --models $models --workers 1..4 --tasks 8 \
		--size 4Mi --repeat 200 --warmup 0 --out "$out" --quiet \
		> "$TMP/log$i" 2>&1 &
	pid=$!
	# late enough in the last runs that something was measured
	if [ $i -ge 5 ]; then sleep 4; else sleep "0.$((RANDOM % 9 + 1))"; fi
	kill -$sig $pid
	wait $pid
	rc=$?
	runs=$((runs + 1))
	check "run $i: SIG$sig exits $want" [ $rc -eq $want ]
	check "run $i: pvt handled it" grep -q "interrupted by SIG$sig" "$TMP/log$i"
	check "run $i: nothing left in pvt's group" [ "$(left $pid)" = 0 ]
	check "run $i: no child of pvt left" [ -z "$(pgrep -P $pid)" ]
	if [ -e "$out/square.csv" ]; then
		check "run $i: CSV marked interrupted" grep -q "^# interrupted: yes" "$out/square.csv"
		check "run $i: CSV whole" csv_whole "$out/square.csv"
		check "run $i: summary whole" csv_whole "$out/square.summary.csv"
	elif [ $i -ge 5 ]; then
		fail "run $i: nothing was kept after 4 s"
	else
		ok
	fi
	check "run $i: no temporary file" [ -z "$(ls -A "$out" 2> /dev/null | grep '^\.')" ]
done

# two Ctrl-C in a row: the second is absorbed while the first stops the
# run; still nothing left
out=$TMP/twice
setsid "$PVT" run square --models process --workers 4 --size 64Mi \
	--repeat 5 --out "$out" --quiet > /dev/null 2>&1 &
pid=$!
sleep 0.3
kill -INT $pid
kill -INT $pid 2> /dev/null
wait $pid
# the second one may kill pvt before it reaped its workers: they die with
# it (PR_SET_PDEATHSIG), and what is left to reap is init's
for t in $(seq 20); do [ "$(alive $pid)" = 0 ] && break; sleep 0.1; done
check "second Ctrl-C: nothing left running" [ "$(alive $pid)" = 0 ]

# pvt killed outright: its workers end too, within a second
setsid "$PVT" run square --models process --workers 4 --size 64Mi \
	--repeat 5 --out "$TMP/kill" --quiet > /dev/null 2>&1 &
pid=$!
for t in $(seq 30); do [ "$(left $pid)" -ge 2 ] && break; sleep 0.1; done
check "workers were running" [ "$(left $pid)" -ge 2 ]
kill -KILL $pid
wait $pid 2> /dev/null
sleep 1
check "SIGKILL: workers gone within a second" [ "$(alive $pid)" = 0 ]
check "SIGKILL: no CSV under the final name" [ ! -e "$TMP/kill/square.csv" ]
echo "interrupt runs: $runs, plus a double Ctrl-C and a SIGKILL"
done_tests

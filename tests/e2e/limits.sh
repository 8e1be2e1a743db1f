#!/usr/bin/env bash
# Limits end to end: more workers than RLIMIT_NPROC allows (process,
# thread and gil models: threads count too) and fewer file descriptors
# than the downloads need (RLIMIT_NOFILE). pvt names the worker it could
# not create, or each task's reason, stops and reaps everything it had
# started, writes its CSV whole and exits 1: no hang, no crash, nothing
# left behind. (memory.sh tries NPROC on workers_start; this is the
# sweep, through pvt run.)
. "$(dirname "$0")/lib.sh"

chmod 711 "$TMP"
n=0
# limited DIR LIMIT COMMAND...: COMMAND under `ulimit LIMIT`, in a
# session of its own, as nobody when LIMIT is -u and we are root (root
# ignores RLIMIT_NPROC); at most 60 s; output in DIR.log
limited() {
	local dir=$1 lim=$2
	shift 2
	mkdir -p "$dir" && chmod 777 "$dir"
	if [ "$lim" = "-u 16" ] && [ "$(id -u)" = 0 ]; then
		timeout -k 5 60 setsid -w setpriv --reuid=65534 --regid=65534 \
			--clear-groups bash -c "ulimit $lim && exec \"\$@\"" \
			pvt "$@"
	elif [ "$lim" = "-u 16" ]; then
		# our own processes count: 16 more than we have
		timeout -k 5 60 setsid -w bash -c "ulimit -u \$((\$(ps -u \$(id -u) --no-headers | wc -l) + 16)) && exec \"\$@\"" pvt "$@"
	else
		timeout -k 5 60 setsid -w bash -c "ulimit $lim && exec \"\$@\"" \
			pvt "$@"
	fi > "$dir.log" 2>&1
}
# after DIR RC WANT: what every case checks once the command returned
after() {
	local dir=$1 rc=$2 want=$3 what
	what=$(basename "$dir")
	n=$((n + 1))
	check "$what: exits $want, no hang, no crash (got $rc)" [ "$rc" -eq "$want" ]
	# the workers and the download server carry pvt's command line
	check "$what: no process left" [ -z "$(pgrep -f -- "--out $dir")" ]
	check "$what: no temporary file left" [ -z "$(ls -A "$dir" | grep '^\.')" ]
}

if [ "$(id -u)" != 0 ] || command -v setpriv > /dev/null; then
	for m in process thread gil; do
		dir=$TMP/nproc-square-$m
		limited "$dir" "-u 16" "$(world_bin)/pvt" run square --models $m \
			--workers 40 --tasks 64 --repeat 1 --warmup 0 \
			--out "$dir" --quiet
		after "$dir" $? 1
		check "nproc $m: names the worker and the reason" grep -qE "cannot create worker [0-9]+ of 40: Resource temporarily unavailable" "$dir.log"
		check "nproc $m: the row is not ok" [ "$(col "$dir/square.csv" ok)" = 0 ]
		check "nproc $m: the CSV is whole" csv_whole "$dir/square.csv"
	done
	# the download: its server is a process of pvt's too
	dir=$TMP/nproc-download
	limited "$dir" "-u 16" "$(world_bin)/pvt" run download --models process \
		--workers 40 --tasks 64 --size 1000 --latency 0 --repeat 1 \
		--warmup 0 --discard --out "$dir" --quiet
	after "$dir" $? 1
	check "nproc download: names the worker" grep -qE "cannot create worker [0-9]+ of 40" "$dir.log"
else
	echo "skipped: the process limit (root without setpriv)"
fi

# 20 file descriptors, 16 downloading workers: threads share one table
# and run out (each task says why); processes have one each, and do not.
# The server holds each answer 50 ms, so that all 16 wait at once, each
# with a socket of its own.
for m in thread gil; do
	dir=$TMP/nofile-$m
	limited "$dir" "-n 20" "$PVT" run download --models $m --workers 16 \
		--tasks 32 --size 1000 --latency 50ms --repeat 1 --warmup 0 \
		--discard --out "$dir" --quiet
	after "$dir" $? 1
	check "nofile $m: each task says why" grep -q "(socket: Too many open files)" "$dir.log"
	check "nofile $m: the row is not ok" [ "$(col "$dir/download.csv" ok)" = 0 ]
	check "nofile $m: failures counted" [ "$(col "$dir/download.csv" failed)" -gt 0 ]
	check "nofile $m: the CSV is whole" csv_whole "$dir/download.csv"
done
dir=$TMP/nofile-process
limited "$dir" "-n 20" "$PVT" run download --models process --workers 16 \
	--tasks 32 --size 1000 --latency 0 --repeat 1 --warmup 0 \
	--out "$dir" --quiet
after "$dir" $? 0
check "nofile process: every row ok" [ "$(col "$dir/download.csv" ok)" = 1 ]
# too few to start the server at all: said, and nothing written
dir=$TMP/nofile-server
limited "$dir" "-n 6" "$PVT" run download --workers 2 --tasks 4 \
	--size 1000 --latency 0 --repeat 1 --warmup 0 --out "$dir" --quiet
after "$dir" $? 1
check "nofile 6: says why" grep -q "Too many open files" "$dir.log"
echo "limits: $n limited runs"
check "no child left at the end" [ -z "$(pgrep -P $$)" ]
done_tests

#!/usr/bin/env bash
# memory end to end: a thread costs less than a process, writing copies
# a process's inherited pages; bad counts refused; a process limit stops
# the run cleanly with every worker reaped
. "$(dirname "$0")/lib.sh"

# fig MODEL WORKERS PHASE COLUMN: the median, from the summary
fig() {
	by_name "$sum" 'v["model"] == "'"$1"'" && v["workers"] == '"$2"' &&
		v["phase"] == "'"$3"'" { print v["'"$4"'"] }'
}

out=$TMP/r
f=$out/memory.csv sum=$out/memory.summary.csv
"$BIN/memory" --workers 1,8 --touch 512KiB --repeat 3 --warmup 0 \
	--out "$out" > "$TMP/log" 2>&1
check "memory exits 0" [ $? -eq 0 ]
check "header" [ "$(header "$f")" = "scenario,model,workers,tasks,size,rep,wall_s,user_s,sys_s,max_rss_kib,failed,ok,other_cpu,steal,busy,phase,start_method,touch_kib,pss_kib,uss_kib,pte_kib,cost_kib,total_kib" ]
check "summary header" [ "$(header "$sum")" = "scenario,model,workers,tasks,size,n,median_s,min_s,max_s,mean_s,stddev_s,ci95_s,speedup,efficiency,noisy,ok,other_cpu,steal,busy,phase,start_method,pss_kib,uss_kib,pte_kib,cost_kib,total_kib" ]
# 2 models x 2 counts x 2 phases x 3 runs
check "24 rows" [ "$(rows "$f")" = 24 ]
check "8 summary rows" [ "$(rows "$sum")" = 8 ]
check "every row ok" sh -c "$(declare -f col all_equal); col '$f' ok | all_equal 1"
# A process worker always costs something; a thread's growth can be 0
# when glibc hands it the cached stack of a thread joined before.
by_model() { by_name "$f" 'v["model"] == "'"$1"'" { print v["'"$2"'"] }'; }
for c in pss_kib uss_kib pte_kib cost_kib total_kib wall_s; do
	check "process $c positive and finite" sh -c "$(declare -f by_name by_model all_positive); f='$f'; by_model process $c | all_positive"
	check "thread $c finite, not negative" sh -c "$(declare -f by_name by_model); f='$f'; by_model thread $c | awk '!/^[0-9.]+(e[-+]?[0-9]+)?\$/ || \$1 < 0 { bad = 1 } END { exit bad || NR == 0 }'"
done
check "touch_kib" sh -c "$(declare -f col all_equal); col '$f' touch_kib | all_equal 512"
check "total = cost x workers" [ -z "$(by_name "$f" '{ d = v["total_kib"] - v["cost_kib"] * v["workers"]; if (d > 0.01 || d < -0.01) print }')" ]
for w in 1 8; do
	p=$(fig process $w idle cost_kib) t=$(fig thread $w idle cost_kib)
	pp=$(fig process $w idle pss_kib) pt=$(fig process $w idle pte_kib)
	echo "x$w idle: process $p KiB (PSS $pp, tables $pt), thread $t KiB"
	check "x$w: a thread costs less than a process" awk -v t="$t" -v p="$p" 'BEGIN { exit !(t < p) }'
	check "x$w: a thread costs less than a process's page tables + USS" \
		awk -v t="$t" -v u="$(fig process $w idle uss_kib)" -v pt="$pt" 'BEGIN { exit !(t < u + pt) }'
	# copy-on-write: each process now owns a copy of the 512 KiB it wrote
	# (at least 90% of it: other memory of pvt may shrink meanwhile)
	grow=$(awk -v a="$(fig process $w idle uss_kib)" -v b="$(fig process $w touched uss_kib)" 'BEGIN { print b - a }')
	check "x$w: a process's writes are copied ($grow KiB)" awk -v g="$grow" 'BEGIN { exit !(g >= 460 && g < 700) }'
	grow=$(awk -v a="$(fig thread $w idle cost_kib)" -v b="$(fig thread $w touched cost_kib)" 'BEGIN { print b - a }')
	check "x$w: a thread's buffer counted ($grow KiB)" awk -v g="$grow" 'BEGIN { exit !(g >= 460 && g < 700) }'
done
check "narration" grep -q "With 8 workers an idle process costs" "$TMP/log"
check "the check: a process costs more than a thread" grep -qF "an idle process worker costs more than a thread (cost_kib, 8 workers)\",more," "$out/memory.verdicts.csv"
check "no child left" [ -z "$(pgrep -P $$)" ]

bad() { # bad "expected text" args...
	local want=$1
	shift
	"$BIN/memory" "$@" --out "$TMP/never" > "$TMP/o" 2> "$TMP/e"
	local rc=$?
	if [ $rc -ne 2 ]; then fail "memory $* exited $rc, not 2"; return; fi
	if [ "$(wc -l < "$TMP/e")" -ne 1 ]; then fail "memory $*: not one line: $(cat "$TMP/e")"; return; fi
	if ! grep -qF -- "$want" "$TMP/e"; then fail "memory $*: '$want' not in: $(cat "$TMP/e")"; return; fi
	if [ -n "$(ls -A "$TMP/never" 2> /dev/null)" ]; then fail "memory $*: wrote $(ls "$TMP/never")"; return; fi
	ok
}
bad "--workers:" --workers 0
bad "--workers:" --workers 1..99999
bad "--models: 'gil' has no workers" --models process,gil
bad "--models: 'sequential' has no workers" --models sequential
bad "--touch: '2GiB' is out of range" --touch 2GiB
bad "--touch: 4096 workers x 1048576 KiB is over half" --workers 4096 --touch 1GiB

# more workers than the process limit allows: the engine says which one
# it could not create, and reaps those it had (root ignores RLIMIT_NPROC,
# so run as nobody)
limited() { # limited MODEL: memory with 40 workers under a limit of 16
	local dir=$TMP/limit-$1
	mkdir -p "$dir" && chmod 777 "$dir" && chmod 711 "$TMP"
	if [ "$(id -u)" = 0 ]; then
		setpriv --reuid=65534 --regid=65534 --clear-groups \
			bash -c "ulimit -u 16 && exec '$(world_bin)/memory' --models $1 --workers 40 --out '$dir'"
	else
		bash -c "ulimit -u \$((\$(ps -u \$(id -u) --no-headers | wc -l) + 16)) && exec '$BIN/memory' --models $1 --workers 40 --out '$dir'"
	fi > "$TMP/limit.log" 2>&1
}
if [ "$(id -u)" != 0 ] || command -v setpriv > /dev/null; then
	for m in process thread; do
		limited $m
		rc=$?
		check "$m over the limit exits 1 (got $rc)" [ $rc -eq 1 ]
		check "$m over the limit: says which worker" grep -qE "cannot create worker [0-9]+ of 40: Resource temporarily unavailable" "$TMP/limit.log"
		check "$m over the limit: the row is not ok" [ "$(col "$TMP/limit-$m/memory.csv" ok | sort -u)" = 0 ]
		check "$m over the limit: nothing left running" [ -z "$(pgrep -u 65534 -f "/memory --models")" ]
	done
else
	echo "skipped: the process limit (root without setpriv)"
fi
check "no child left at the end" [ -z "$(pgrep -P $$)" ]
done_tests

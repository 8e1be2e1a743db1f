#!/usr/bin/env bash
# --timeline: every task once, intervals inside the run, a worker never
# in two places, the GIL held by one worker at a time, and processes and
# threads computing side by side
. "$(dirname "$0")/lib.sh"

out=$TMP/r
"$PVT" run square --timeline --models sequential,process,thread,gil \
	--workers 2 --tasks 16 --size 8Mi --repeat 2 --warmup 0 \
	--out "$out" > "$TMP/log" 2>&1
check "run exits 0" [ $? -eq 0 ]
tl=$out/square.timeline.csv
check "timeline written" [ -s "$tl" ]
check "timeline header" [ "$(header "$tl")" = "scenario,model,workers,rep,worker,task,kind,start_s,end_s" ]
check "only the first measured run is recorded" sh -c "$(declare -f col all_equal); col '$tl' rep | all_equal 1"
check "text timeline printed" grep -q "timeline, gil x2" "$TMP/log"

# every task exactly once per model
for m in sequential process thread gil; do
	n=$(awk -F, -v m=$m '$2 == m && $7 == "task" { print $6 }' "$tl" | sort -n | uniq | wc -l)
	d=$(awk -F, -v m=$m '$2 == m && $7 == "task"' "$tl" | wc -l)
	check "$m: 16 distinct tasks, each once" [ "$n" = 16 -a "$d" = 16 ]
done

# intervals inside the run: 0 <= start <= end <= wall_s of rep 1
walls=$(awk -F, '!/^#/ && $6 == 1 { print $2, $7 }' "$out/square.csv")
check "intervals inside the run" awk -F, -v walls="$walls" '
	BEGIN { n = split(walls, w, /[ \n]/); for (i = 1; i < n; i += 2) wall[w[i]] = w[i + 1] }
	/^#/ || $1 == "scenario" { next }
	$8 < 0 || $9 < $8 || $9 > wall[$2] + 1e-6 { bad = 1; print "outside:", $0 > "/dev/stderr" }
	END { exit bad }' "$tl"

# overlap(model, kind, same_worker): pairs of intervals that overlap
overlaps() {
	awk -F, -v m="$1" -v k="$2" -v same="$3" '
		/^#/ || $1 == "scenario" { next }
		$2 == m && $7 == k { n++; w[n] = $5; s[n] = $8; e[n] = $9 }
		END {
			for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) {
				if ((w[i] == w[j]) != same) continue
				lo = s[i] > s[j] ? s[i] : s[j]
				hi = e[i] < e[j] ? e[i] : e[j]
				if (hi - lo > 1e-6) c++
			}
			print c + 0
		}' "$tl"
}
for m in sequential process thread gil; do
	check "$m: a worker never runs two tasks at once" [ "$(overlaps $m task 1)" = 0 ]
done
check "gil: the lock was recorded" [ "$(awk -F, '$2 == "gil" && $7 == "gil-held"' "$tl" | wc -l)" -gt 2 ]
check "gil: never two holders at once" [ "$(overlaps gil gil-held 0)" = 0 ]
check "gil: a worker's holds never overlap" [ "$(overlaps gil gil-held 1)" = 0 ]
check "process: the two workers compute side by side" [ "$(overlaps process task 0)" -gt 0 ]
check "thread: the two workers compute side by side" [ "$(overlaps thread task 0)" -gt 0 ]

# without --timeline nothing is recorded
"$PVT" run square --models thread --workers 2 --tasks 4 --size 1000 \
	--repeat 1 --out "$TMP/r2" --quiet > /dev/null 2>&1
check "no timeline without --timeline" [ ! -e "$TMP/r2/square.timeline.csv" ]
done_tests

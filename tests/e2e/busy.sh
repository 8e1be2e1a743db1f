#!/usr/bin/env bash
# square beside a CPU hog on every core, started by this test: its rows
# are flagged busy, and no verdict says `holds` (or `does not hold`) for
# what the hogs alone could have produced
. "$(dirname "$0")/lib.sh"

hogs=
cleanup() {
	for p in $hogs; do kill "$p" 2> /dev/null; done
	for p in $hogs; do wait "$p" 2> /dev/null; done
	rm -rf "$TMP"
}
trap cleanup EXIT
n=$(nproc)
for ((c = 0; c < n; c++)); do
	taskset -c "$c" sh -c 'while :; do :; done' &
	hogs="$hogs $!"
done
sleep 0.2

out=$TMP/r
"$PVT" run square --models sequential,process,thread,gil --workers "$n" \
	--tasks 16 --size 8Mi --repeat 3 --warmup 1 --out "$out" \
	> "$TMP/log" 2>&1
check "square beside the hogs exits 0" [ $? -eq 0 ]
raw=$out/square.csv sum=$out/square.summary.csv ver=$out/square.verdicts.csv
check "every run flagged busy" sh -c "$(declare -f col all_equal); col '$raw' busy | all_equal 1"
check "every configuration flagged busy" sh -c "$(declare -f col all_equal); col '$sum' busy | all_equal 1"
check "others took over $n x 15% of the cores" sh -c "$(declare -f col); col '$raw' other_cpu | awk -v m=$(awk -v n=$n 'BEGIN { print 0.15 * n }') '\$1 <= m { exit 1 }'"
check "the narration says busy" grep -q "busy: in some run other processes took" "$TMP/log"
check "the metadata says so" sh -c "grep -q '^# load: .* run(s) busy' '$raw'"
check "verdicts written" [ "$(rows "$ver")" -ge 2 ]
# a verdict that holds agrees with its own numbers
check "no holds its numbers contradict" sh -c "$(declare -f by_name); by_name '$ver' '
	v[\"verdict\"] == \"holds\" {
		split(v[\"expected\"], e, \" \"); m = v[\"measured\"] + 0; b = e[2] + 0
		if ((e[1] == \">=\" && m < b) || (e[1] == \"<=\" && m > b)) bad = 1
	} END { exit bad }'"
# a busy numerator can only lower a speedup: never `does not hold`
check "no speedup judged against the lesson beside a hog" sh -c "$(declare -f col); ! col '$ver' verdict | grep -qx 'does not hold'"
# a flat gil beside hogs proves nothing
if [ "$n" -gt 1 ]; then
	check "gil: inconclusive, busy machine" sh -c "grep '^square,gil speedup' '$ver' | grep -q 'inconclusive,busy machine'"
fi
cat "$TMP/log" | sed -n '/Verdicts/,$p'
done_tests

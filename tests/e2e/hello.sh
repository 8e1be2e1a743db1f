#!/usr/bin/env bash
# hello end to end: processes differ in pid, threads share pvt's
. "$(dirname "$0")/lib.sh"

out=$TMP/r
"$BIN/hello" --workers 4 --out "$out" > "$TMP/log" 2>&1
check "hello exits 0" [ $? -eq 0 ]
f=$out/hello.csv
check "8 rows" [ "$(rows "$f")" = 8 ]
procs=$(awk -F, '!/^#/ && $2 == "process" { print $15 }' "$f" | sort -u | wc -l)
check "4 distinct process pids" [ "$procs" = 4 ]
check "no process worker has pvt's pid" [ -z "$(awk -F, '!/^#/ && $2 == "process" && $15 == $18' "$f")" ]
check "process workers' parent is pvt" [ -z "$(awk -F, '!/^#/ && $2 == "process" && $16 != $18' "$f")" ]
check "every thread worker has pvt's pid" [ -z "$(awk -F, '!/^#/ && $2 == "thread" && $15 != $18' "$f")" ]
tids=$(awk -F, '!/^#/ && $2 == "thread" { print $17 }' "$f" | sort -u | wc -l)
check "4 distinct thread ids" [ "$tids" = 4 ]
check "narration" grep -q "4 distinct pid(s)" "$TMP/log"
v=$out/hello.verdicts.csv
check "verdicts: process" grep -q '^hello,"process x4: a pid each, pvt the parent",.*,holds,$' "$v"
check "verdicts: thread" grep -q "^hello,\"thread x4: pvt's own pid, a thread id each\",.*,holds,\$" "$v"
check "verdicts: two, both hold" [ "$(grep -c ',holds,$' "$v")" = 2 ]
done_tests

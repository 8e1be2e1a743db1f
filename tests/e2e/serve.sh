#!/usr/bin/env bash
# pvt serve end to end, with the curl command-line client: its URL, the
# index, a file and its checksum (checked with gzip's CRC-32), latency,
# a busy port, bad options, and a clean stop on SIGTERM and Ctrl-C
. "$(dirname "$0")/lib.sh"

# crc32 FILE: its CRC-32 in hex, as gzip's trailer holds it
crc32() { gzip -c < "$1" | tail -c 8 | od -An -tx4 -N4 | tr -d ' '; }

check "--help" sh -c "'$PVT' serve --help | grep -q -- --error-rate"
check "pvt --help names serve" sh -c "'$PVT' --help | grep -q 'pvt serve'"

"$PVT" serve --port 0 --files 3 --size 5000 --latency 50ms --seed 7 \
	> "$TMP/log" 2>&1 &
pid=$!
pids=$pid
url=$(url_of "$TMP/log")
check "prints its URL on 127.0.0.1" sh -c "echo '$url' | grep -Eq '^http://127\.0\.0\.1:[0-9]+/$'"
check "index lists the files" sh -c "curl -sf '$url' | grep -q 'files/2'"
curl -sf -D "$TMP/h" -o "$TMP/f1" -w '%{time_total}\n' "${url}files/1" > "$TMP/t"
check "a file: curl exits 0" [ $? -eq 0 ]
check "a file: its size" [ "$(wc -c < "$TMP/f1")" = 5000 ]
sum=$(crc32 "$TMP/f1")
check "a file: X-Pvt-Checksum is its CRC-32" grep -qi "^X-Pvt-Checksum: crc32:$sum" "$TMP/h"
check "a file: /checksums agrees" sh -c "curl -sf '${url}checksums' | grep -qx 'crc32:$sum 5000 files/1'"
check "a file: latency honoured" awk '$1 < 0.05 { exit 1 }' "$TMP/t"
check "a missing file: 404" [ "$(curl -s -o /dev/null -w '%{http_code}' "${url}files/3")" = 404 ]
check "a forced fault: 500" [ "$(curl -s -o /dev/null -w '%{http_code}' "${url}files/0?fault=500")" = 500 ]
port=${url#http://127.0.0.1:}
port=${port%/}
"$PVT" serve --port "$port" > "$TMP/busy" 2>&1
check "a busy port: exit 1" [ $? -eq 1 ]
check "a busy port: says why" grep -q "bind 127.0.0.1 port $port: Address already in use" "$TMP/busy"
kill -TERM $pid
wait $pid
check "SIGTERM: exit 0" [ $? -eq 0 ]
check "SIGTERM: says so" grep -q "stopped by SIGTERM after [0-9]* request" "$TMP/log"

"$PVT" serve --port 0 > "$TMP/log2" 2>&1 &
pid=$!
pids="$pids $pid"
url_of "$TMP/log2" > /dev/null
kill -INT $pid
wait $pid
check "Ctrl-C: exit 0" [ $? -eq 0 ]
check "Ctrl-C: says so" grep -q "stopped by SIGINT" "$TMP/log2"

# a response held back does not hold the stop up
"$PVT" serve --port 0 --latency 30s > "$TMP/log3" 2>&1 &
pid=$!
pids="$pids $pid"
url=$(url_of "$TMP/log3")
curl -s -o /dev/null "${url}files/0" &
cpid=$!
sleep 0.3
start=$(date +%s%N)
kill -TERM $pid
wait $pid
check "held response: stops at once, exit 0" [ $? -eq 0 ]
check "held response: within a second" [ $(( ($(date +%s%N) - start) / 1000000 )) -lt 1000 ]
wait $cpid
check "held response: curl sees an error" [ $? -ne 0 ]

never=$TMP/never
refused "--port: '70000' is out of range" "$PVT" serve --port 70000
refused "--bind: 'localhost' is not a numeric" "$PVT" serve --bind localhost
refused "--files:" "$PVT" serve --files 0
refused "--size:" "$PVT" serve --size big
refused "--latency:" "$PVT" serve --latency soon
refused "--rate:" "$PVT" serve --rate 1parsec
refused "--error-rate:" "$PVT" serve --error-rate 2
refused "--error-kinds: unknown fault 'boom'" "$PVT" serve --error-kinds 500,boom
refused "--request-timeout:" "$PVT" serve --request-timeout 0
refused "unknown option '--colour'" "$PVT" serve --colour red
refused "--port: needs a value" "$PVT" serve --port
refused "unexpected argument" "$PVT" serve now
check "no server left running" sh -c "! kill -0 $pids 2> /dev/null"
done_tests

#!/usr/bin/env bash
# A refused run writes nothing: every usage error exits 2 with one line
# that names the option, and no --out folder is made for it (not even an
# empty one). The driver's commands refuse words they do not take.
. "$(dirname "$0")/lib.sh"

nd=$TMP/newdir
# gone "TEXT" ARGS...: refused with TEXT, and $nd never made
gone() {
	never=$nd refused "$@"
	check "$*: no folder made" [ ! -e "$nd" ]
}

printf 'http://127.0.0.1:1/a\n' > "$TMP/urls"
gone "--channels: unknown value 'bogus'" "$PVT" run ipc --channels bogus --out "$nd"
gone "--url-file: cannot read '/nonexistent'" "$PVT" run download --url-file /nonexistent --out "$nd"
gone "--error-kinds: unknown value 'bogus'" "$PVT" run download --error-kinds bogus --out "$nd"
gone "--error-kinds: unknown value ''" "$PVT" run download --error-kinds , --out "$nd"
gone "--url-file: cannot read" "$PVT" run download --url-file "$TMP" --out "$nd"
gone "--url-file: '/dev/null' has no URL" "$PVT" run download --url-file /dev/null --out "$nd"
gone "--experiments: unknown value 'bogus'" "$PVT" run pool --experiments bogus --out "$nd"
gone "--url-file: the py-* models" "$PVT" run download --url-file "$TMP/urls" --models py-thread,py-process --out "$nd"
gone "--size: '1TiB' is out of range" "$PVT" run square --size 1TiB --out "$nd"
gone "--workers: '0x2' is not a list" "$PVT" run square --workers 0x2 --out "$nd"
gone "--out: cannot create '/proc/pvt-no'" "$PVT" run square --out /proc/pvt-no
gone "--models: unknown model" "$BIN/square" --models fibers --out "$nd"

# a 100 KB value is not echoed back whole
big=$(head -c 100000 /dev/zero | tr '\0' 7)
gone "--workers: a value of 100000 characters (at most 4096)" "$PVT" run square --workers "$big" --out "$nd"
gone "--bogus" "$PVT" run square --bogus "$big" --out "$nd"
check "a long value: a short line" [ "$(wc -c < "$TMP/refused.err")" -lt 500 ]

# the driver's words
refused "explain: unexpected 'extra'" "$PVT" explain square extra
refused "list: unexpected 'extra'" "$PVT" list extra
refused "--version: unexpected 'extra'" "$PVT" --version extra
refused "explain: needs a scenario name (see pvt list)" "$PVT" explain
check "explain alone: no empty name" sh -c "! grep -q \"''\" '$TMP/refused.err'"
refused "suite: --out: needs a folder" "$PVT" suite --out
refused "serve: --size: '0' is out of range" "$PVT" serve --size 0

# --quiet: nothing at all on stdout, "wrote ..." included
"$PVT" run hello --workers 2 --nap 1ms --quiet --out "$TMP/q" > "$TMP/q.out" 2>&1
check "--quiet: exit 0" [ $? -eq 0 ]
check "--quiet: nothing printed" [ ! -s "$TMP/q.out" ]
check "--quiet: the CSV written" [ -s "$TMP/q/hello.csv" ]

# --url-file longer than --tasks: says that only --tasks URLs are fetched
"$PVT" serve --port 0 > "$TMP/serve.log" 2>&1 &
srv=$!
url=$(url_of "$TMP/serve.log")
for i in $(seq 0 9999); do echo "${url}files/$((i % 64))"; done > "$TMP/many"
"$PVT" run download --url-file "$TMP/many" --tasks 4 --models thread \
	--workers 2 --repeat 1 --warmup 0 --discard --out "$TMP/u" \
	--quiet > "$TMP/u.log" 2>&1
check "--url-file of 10000: exit 0" [ $? -eq 0 ]
check "--url-file of 10000: says only 4 are fetched" grep -q "has 10000 URLs and --tasks is 4: only the first 4 are fetched" "$TMP/u.log"
kill $srv
wait $srv 2> /dev/null
done_tests

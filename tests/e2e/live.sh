#!/usr/bin/env bash
# pvt live over HTTP (live_http.py): bad run requests get the command
# line's message, another site cannot start or stop runs, runs queue and
# stop, Ctrl-C mid-run leaves nothing behind
. "$(dirname "$0")/lib.sh"
check "live_http.py" python3 "$(dirname "$0")/live_http.py" "$PVT" "$BIN"
done_tests

#!/usr/bin/env bash
# trace.sh - --timeline also writes NAME.trace.json (Chrome Trace Event
# format, for Perfetto): it parses as JSON, holds one complete event per
# timeline row, one process per recorded run, tasks, GIL-held and I/O-wait
# intervals on tracks of their own, and every track named by model and
# worker.
. "$(dirname "$0")/lib.sh"

# check_trace DIR NAME KIND...: DIR/NAME.trace.json against its timeline
# CSV; each KIND must be present
check_trace() {
	python3 - "$@" <<'EOF'
import csv, json, sys
folder, name, kinds = sys.argv[1], sys.argv[2], sys.argv[3:]
trace = json.load(open(f"{folder}/{name}.trace.json"))
with open(f"{folder}/{name}.timeline.csv") as f:
    rows = list(csv.DictReader(l for l in f if not l.startswith("#")))
events = trace["traceEvents"]
complete = [e for e in events if e["ph"] == "X"]
meta = [e for e in events if e["ph"] == "M"]
bad = []
def need(cond, why):
    if not cond:
        bad.append(why)
need(len(complete) == len(rows),
     f"{len(complete)} X events for {len(rows)} timeline rows")
for e in complete:
    need({"name", "cat", "pid", "tid", "ts", "dur"} <= e.keys(),
         f"fields missing: {e}")
    need(e["ts"] >= 0 and e["dur"] >= 0, f"negative time: {e}")
    need(e["cat"] in ("task", "gil-held", "wait", "gil-wait"), f"kind: {e}")
# one kind per track: Perfetto does not nest overlapping events
kind_of = {}
for e in complete:
    key = (e["pid"], e["tid"])
    need(kind_of.setdefault(key, e["cat"]) == e["cat"],
         f"track {key} mixes {kind_of[key]} and {e['cat']}")
for k in kinds:
    need(any(e["cat"] == k for e in complete), f"no {k} event")
# every task of the CSV once, at its time in microseconds (the trace
# keeps three decimals)
tasks = {(r["model"], r["workers"], int(r["task"])): float(r["start_s"]) * 1e6
         for r in rows if r["kind"] == "task"}
procs = {e["pid"]: e["args"]["name"] for e in meta
         if e["name"] == "process_name"}
got = {}
for e in complete:
    if e["cat"] == "task":
        label = procs[e["pid"]]          # "NAME: MODEL xW, run R"
        model, workers = label.split(": ")[1].split(",")[0].split(" x")
        key = (model, workers, e["args"]["task"])
        need(key not in got, f"task {key} twice")
        got[key] = e["ts"]
need(got.keys() == tasks.keys(), "the task events are not the CSV's tasks")
for k in got.keys() & tasks.keys():
    need(abs(got[k] - tasks[k]) < 0.001, f"task {k} at {got[k]}, not {tasks[k]}")
runs = {(r["model"], r["workers"], r["rep"]) for r in rows}
need(len(procs) == len(runs), f"{len(procs)} processes, {len(runs)} runs")
names = {(e["pid"], e["tid"]): e["args"]["name"] for e in meta
         if e["name"] == "thread_name"}
for key, kind in kind_of.items():
    need(key in names, f"track {key} has no name")
    model = procs[key[0]].split(": ")[1].split(" x")[0]
    need(names.get(key, "").startswith(model + " worker "),
         f"track {key} named {names.get(key)}")
need(trace["otherData"].get("scenario") == name, "no metadata")
for b in bad[:5]:
    print("trace.sh:", b, file=sys.stderr)
sys.exit(1 if bad else 0)
EOF
}

out=$TMP/square
"$PVT" run square --timeline --models sequential,process,thread,gil \
	--workers 1,2 --tasks 8 --size 2Mi --repeat 1 --warmup 0 \
	--out "$out" --quiet > "$TMP/log" 2>&1
check "square --timeline exits 0 ($(tail -n 3 "$TMP/log"))" [ $? -eq 0 ]
check "square.trace.json written" [ -s "$out/square.trace.json" ]
check "square: tasks and GIL-held intervals, every field" \
	check_trace "$out" square task gil-held

out=$TMP/download
"$PVT" run download --timeline --models sequential,thread,gil \
	--workers 2 --tasks 4 --size 4KiB --latency 5ms --repeat 1 \
	--warmup 0 --out "$out" --quiet > "$TMP/log" 2>&1
check "download --timeline exits 0 ($(tail -n 3 "$TMP/log"))" [ $? -eq 0 ]
check "download: tasks and I/O waits, every field" \
	check_trace "$out" download task wait

out=$TMP/plain
"$PVT" run square --models thread --workers 2 --tasks 4 --size 64Ki \
	--repeat 1 --warmup 0 --out "$out" --quiet > /dev/null 2>&1
check "no --timeline: no trace" [ ! -e "$out/square.trace.json" ]
check "no temporary file left" [ -z "$(find "$TMP" -name '.*.trace.json.*')" ]

done_tests

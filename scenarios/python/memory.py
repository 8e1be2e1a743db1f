#!/usr/bin/env python3
"""memory.py - what an idle Python worker costs in memory.

pvt's memory scenario for Python, talked to line by line: pvt reads
/proc/PID/smaps_rollup of this process and of its workers itself.

  memory.py prints   row pid=PID                 (set up, no worker yet)
  pvt answers        start
  memory.py starts --workers workers, processes from
  get_context(--method) or threads, each reporting ready and then
  waiting; prints    row worker=PID              (one per process worker)
                     row ready=N
  pvt answers        go
  memory.py lets them go, joins them, checks they all ended well, prints
                     row done=N ok=0|1
"""

import os
import sys
import threading

import pvtbench

WAIT_S = 60   # for every worker to report ready


def idle(ready, go):
    """A worker: says it is ready, then waits to be let go."""
    ready.release()
    go.wait()


def main():
    p = pvtbench.parser(__doc__.splitlines()[0], workload=False)
    p.add_argument("--method", required=True,
                   choices=pvtbench.START_METHODS + ("thread",))
    p.add_argument("--workers", type=int, required=True)
    args = p.parse_args()
    lib = threading if args.method == "thread" else \
        pvtbench.context(args.method)
    ready, go = lib.Semaphore(0), lib.Event()
    pvtbench.row(pid=os.getpid())
    if sys.stdin.readline().strip() != "start":
        return 1
    workers = [threading.Thread(target=idle, args=(ready, go))
               if args.method == "thread" else
               lib.Process(target=idle, args=(ready, go))
               for _ in range(args.workers)]
    for w in workers:
        w.start()
    came = sum(1 for _ in workers if ready.acquire(timeout=WAIT_S))
    for w in workers:
        if args.method != "thread":
            pvtbench.row(worker=w.pid)
    pvtbench.row(ready=came)
    sys.stdin.readline()    # "go", or pvt has gone
    go.set()
    for w in workers:
        w.join(WAIT_S)
    ok = came == len(workers) and all(
        not w.is_alive() and getattr(w, "exitcode", 0) == 0
        for w in workers)
    pvtbench.row(done=len(workers), ok=int(ok))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""start.py - what starting and joining one Python worker costs.

pvt's spawn scenario for Python: a worker that does nothing is started
and joined, --iterations times in a row, timed with time.monotonic around
the whole loop; the same loop without the worker is timed and subtracted.
--method fork, forkserver or spawn: multiprocessing.Process from
get_context(METHOD) (the forkserver is started by the warm-up, so the
measured runs fork from a running server); thread: threading.Thread.
--parent-mem bytes are written before the first run, as in pvt's own
sweep: fork copies their page tables, spawn and forkserver start afresh.
Each worker's exit is checked (exit code 0; a thread's mark), so a worker
that never ran fails the run. Prints one row per measured run:

  row rep=N iterations=N us=F overhead_us=F user_s=F sys_s=F ok=0|1
"""

import sys
import threading
import time

import pvtbench

ran = []    # thread marks


def nothing():
    """The worker: nothing at all."""


def mark():
    ran.append(1)


def start_join(method, ctx):
    """One worker started and joined. Returns whether it ran."""
    if method == "thread":
        before = len(ran)
        t = threading.Thread(target=mark)
        t.start()
        t.join()
        return len(ran) == before + 1
    p = ctx.Process(target=nothing)
    p.start()
    p.join()
    return p.exitcode == 0


def batch(method, ctx, n):
    """n round trips; returns (µs each, µs of the empty loop, ok)."""
    ok = True
    t0 = time.monotonic()
    for _ in range(n):
        ok &= start_join(method, ctx)
    t1 = time.monotonic()
    for _ in range(n):
        ok &= True
    t2 = time.monotonic()
    return (t1 - t0) / n * 1e6, (t2 - t1) / n * 1e6, ok


def main():
    p = pvtbench.parser(__doc__.splitlines()[0], workload=False)
    p.add_argument("--method", required=True,
                   choices=pvtbench.START_METHODS + ("thread",))
    p.add_argument("--iterations", type=int, default=100)
    p.add_argument("--run-time", type=float, default=0.2)
    p.add_argument("--parent-mem", type=int, default=0)
    args = p.parse_args()
    ctx = None if args.method == "thread" else \
        pvtbench.context(args.method)
    keep = pvtbench.ballast(args.parent_mem)
    # a short probe (after one that starts a forkserver): fewer round
    # trips where they would take too long
    batch(args.method, ctx, 1)
    us, _, ok = batch(args.method, ctx, 2)
    n = args.iterations
    if ok and us * n > args.run_time * 1e6:
        n = max(min(5, n), int(args.run_time * 1e6 / us))
    status = 0 if ok else 1
    for i in range(args.warmup + args.repeat):
        u0, s0 = pvtbench.rusage_both()
        us, overhead, ok = batch(args.method, ctx, n)
        u1, s1 = pvtbench.rusage_both()
        status |= 0 if ok else 1
        if i >= args.warmup:
            pvtbench.row(rep=i - args.warmup + 1, iterations=n,
                         us=f"{us - overhead:.6g}",
                         overhead_us=f"{overhead:.6g}",
                         user_s=f"{u1 - u0:.6g}", sys_s=f"{s1 - s0:.6g}",
                         ok=int(ok))
    del keep
    return status


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""pool.py - what a Python pool costs per task.

pvt's pool scenario for Python: a map of an empty task (x -> x) over
--items items with --chunksize, timed from creating the pool to joining
it (us) and the map alone (map_us):

  Pool.map                 multiprocessing.Pool from get_context(METHOD)
  ProcessPoolExecutor.map  concurrent.futures, mp_context=get_context(METHOD)
  ThreadPool.map           multiprocessing.pool.ThreadPool (threads)

Item i is i * 2654435761 + 1, so that order shows in the results; every
result is compared with its item, and the sum of the results modulo
2**64 is printed for pvt to check again. One row per measured run:

  row rep=N us=F map_us=F user_s=F sys_s=F checksum=N ok=0|1
"""

import concurrent.futures
import multiprocessing.pool
import sys
import time

import pvtbench

KINDS = ("Pool.map", "ProcessPoolExecutor.map", "ThreadPool.map")


def identity(x):
    return x


def one_run(kind, ctx, workers, data, chunk):
    """A pool made, one map, closed and joined: (s in all, s of the map,
    the results)."""
    t0 = time.monotonic()
    if kind == "ProcessPoolExecutor.map":
        pool = concurrent.futures.ProcessPoolExecutor(workers,
                                                      mp_context=ctx)
    elif kind == "ThreadPool.map":
        pool = multiprocessing.pool.ThreadPool(workers)
    else:
        pool = ctx.Pool(workers)
    t1 = time.monotonic()
    out = list(pool.map(identity, data, chunksize=chunk))
    t2 = time.monotonic()
    if kind == "ProcessPoolExecutor.map":
        pool.shutdown(wait=True)
    else:
        pool.close()
        pool.join()
    return time.monotonic() - t0, t2 - t1, out


def main():
    p = pvtbench.parser(__doc__.splitlines()[0], workload=False)
    p.add_argument("--kind", required=True, choices=KINDS)
    p.add_argument("--method", choices=pvtbench.START_METHODS,
                   default="fork")
    p.add_argument("--workers", type=int, required=True)
    p.add_argument("--items", type=int, required=True)
    p.add_argument("--chunksize", type=int, default=1)
    args = p.parse_args()
    ctx = None if args.kind == "ThreadPool.map" else \
        pvtbench.context(args.method)
    data = [(i * 2654435761 + 1) & pvtbench.MASK for i in range(args.items)]
    status = 0
    for i in range(args.warmup + args.repeat):
        u0, s0 = pvtbench.rusage_both()
        wall, map_s, out = one_run(args.kind, ctx, args.workers, data,
                                   args.chunksize)
        u1, s1 = pvtbench.rusage_both()
        ok = out == data
        status |= 0 if ok else 1
        if i >= args.warmup:
            pvtbench.row(rep=i - args.warmup + 1,
                         us=f"{wall / args.items * 1e6:.6g}",
                         map_us=f"{map_s / args.items * 1e6:.6g}",
                         user_s=f"{u1 - u0:.6g}", sys_s=f"{s1 - s0:.6g}",
                         checksum=sum(out) & pvtbench.MASK, ok=int(ok))
    return status


if __name__ == "__main__":
    sys.exit(main())

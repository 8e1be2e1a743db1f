#!/usr/bin/env python3
"""square.py - pvt's square workload in Python, for the py-* models.

The course notes' pool.map(square, ...) grown into a measurement: task t
squares the integers t*size .. (t+1)*size-1 and sums them modulo 2**64,
exactly as pvt's C task does, under

  sequential  a plain loop in the main thread (the Python baseline)
  process     multiprocessing.Pool, start method "fork" (stated, not assumed)
  thread      concurrent.futures.ThreadPoolExecutor: threads under the GIL

Every task's sum is checked against the closed form; a wrong one fails the
run. One CSV row per measured run goes to stdout, in pvt's raw columns plus
the checksum of all tasks, which pvt checks again:

  scenario,model,workers,tasks,size,rep,wall_s,user_s,sys_s,max_rss_kib,
  failed,ok,checksum

Standard library only.
"""

import argparse
import concurrent.futures
import multiprocessing
import resource
import sys
import time

MASK = (1 << 64) - 1
SIZE = 0  # integers per task; set before any worker starts


def sum_squares_below(n):
    """Sum of i*i for i in [0, n): the closed form the results must match."""
    return n * (n - 1) * (2 * n - 1) // 6 if n > 0 else 0


def square_task(t):
    """Squares one block of integers; returns (task, checksum)."""
    first = t * SIZE
    total = 0
    for x in range(first, first + SIZE):
        total += x * x
    return t, total & MASK


def run_sequential(tasks, workers):
    return [square_task(t) for t in range(tasks)]


def run_process(tasks, workers):
    ctx = multiprocessing.get_context("fork")
    pool = ctx.Pool(processes=workers)
    try:
        # chunksize=1: one task at a time, like pvt's shared task counter
        results = pool.map(square_task, range(tasks), chunksize=1)
    finally:
        pool.close()
        pool.join()
    return results


def run_thread(tasks, workers):
    with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as ex:
        return list(ex.map(square_task, range(tasks)))


MODELS = {"sequential": run_sequential, "process": run_process,
          "thread": run_thread}


def cpu_now():
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (me.ru_utime + kids.ru_utime, me.ru_stime + kids.ru_stime,
            max(me.ru_maxrss, kids.ru_maxrss))


def measure(model, workers, tasks):
    """One run: wall and CPU time, and how many tasks came back wrong."""
    u0, s0, _ = cpu_now()
    t0 = time.monotonic()
    results = MODELS[model](tasks, workers)
    wall = time.monotonic() - t0
    u1, s1, rss = cpu_now()
    got = dict(results)
    failed = 0
    checksum = 0
    for t in range(tasks):
        want = (sum_squares_below((t + 1) * SIZE) -
                sum_squares_below(t * SIZE)) & MASK
        if got.get(t) != want:
            failed += 1
        checksum = (checksum + got.get(t, 0)) & MASK
    return wall, u1 - u0, s1 - s0, rss, failed, checksum


def main():
    global SIZE
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--model", choices=sorted(MODELS), required=True)
    p.add_argument("--workers", type=int, default=1)
    p.add_argument("--tasks", type=int, required=True)
    p.add_argument("--size", type=int, required=True)
    p.add_argument("--repeat", type=int, default=5)
    p.add_argument("--warmup", type=int, default=1)
    a = p.parse_args()
    if min(a.workers, a.tasks, a.size, a.repeat) < 1 or a.warmup < 0:
        p.error("--workers, --tasks, --size and --repeat must be positive")
    SIZE = a.size
    workers = 1 if a.model == "sequential" else a.workers

    failed_any = False
    for i in range(a.warmup + a.repeat):
        wall, user, sys_, rss, failed, checksum = measure(a.model, workers,
                                                          a.tasks)
        failed_any |= failed > 0
        if i < a.warmup:
            continue
        print(f"square,py-{a.model},{workers},{a.tasks},{a.size},"
              f"{i - a.warmup + 1},{wall:.9g},{user:.6g},{sys_:.6g},{rss},"
              f"{failed},{int(failed == 0)},{checksum}", flush=True)
    return 1 if failed_any else 0


if __name__ == "__main__":
    sys.exit(main())

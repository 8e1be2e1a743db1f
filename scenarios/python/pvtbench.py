"""pvtbench.py - what pvt's Python workloads share: the three ways to run
the tasks, the timing, and the CSV rows pvt reads back.

A workload module (square.py, download.py) defines one task function,
task(t) -> (t, checksum or None[, counts]), and calls main() with it.
counts, when a task gives it, is a dict of the scenario's own count
columns (download: bytes, timeouts, ...), summed over the run's tasks.
Every run prints pvt's raw columns plus the sum of all task checksums
modulo 2**64, which pvt checks again, and those sums when there are any:

  scenario,model,workers,tasks,size,rep,wall_s,user_s,sys_s,max_rss_kib,
  failed,ok,checksum[,column=count;column=count...]

A failed task is counted in its row, as pvt's C models count theirs; the
exit status is 0 once every row is printed.

The models:
  sequential  a plain loop in the main thread (the Python baseline)
  process     multiprocessing.Pool, start method "fork" (stated, not
              assumed), chunksize 1: one task at a time, like pvt's
              shared task counter
  thread      concurrent.futures.ThreadPoolExecutor, under the GIL

The programs that measure Python's own costs (start.py, memory.py,
pool.py, crash.py) share the start methods, the parent's memory and the
rows of named figures pvt reads back: "row key=value key=value ...".

Standard library only.
"""

import argparse
import os
import concurrent.futures
import multiprocessing
import resource
import sys
import time

MASK = (1 << 64) - 1
START_METHODS = ("fork", "forkserver", "spawn")
PAGE = resource.getpagesize()


def context(method):
    """multiprocessing's context for a start method, chosen explicitly:
    the default is fork on Linux before Python 3.14 and forkserver since,
    so a bare Process() no longer says which."""
    if method not in multiprocessing.get_all_start_methods():
        sys.exit(f"start method {method} is not available here")
    return multiprocessing.get_context(method)


def ballast(nbytes):
    """nbytes of memory this process has written, one byte a page, so
    that they are resident and mapped: what fork copies page tables of."""
    buf = bytearray(nbytes)
    for off in range(0, nbytes, PAGE):
        buf[off] = 1
    return buf


def row(**fields):
    """One row of named figures for pvt: "row key=value ..."."""
    print("row " + " ".join(f"{k}={v}" for k, v in fields.items()),
          flush=True)


def rusage_both():
    """User and system seconds of this process and its reaped children."""
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + kids.ru_utime, me.ru_stime + kids.ru_stime


def run_sequential(task, tasks, workers):
    return [task(t) for t in range(tasks)]


def run_process(task, tasks, workers):
    ctx = multiprocessing.get_context("fork")
    pool = ctx.Pool(processes=workers)
    try:
        results = pool.map(task, range(tasks), chunksize=1)
    finally:
        pool.close()
        pool.join()
    return results


def run_thread(task, tasks, workers):
    with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as ex:
        return list(ex.map(task, range(tasks)))


MODELS = {"sequential": run_sequential, "process": run_process,
          "thread": run_thread}


def cpu_now():
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (me.ru_utime + kids.ru_utime, me.ru_stime + kids.ru_stime,
            max(me.ru_maxrss, kids.ru_maxrss))


def measure(task, model, workers, tasks, before_run=None):
    """One run: wall and CPU time, failed tasks, and the checksum sum.
    A task that returns None for its checksum has failed."""
    if before_run:
        before_run()
    u0, s0, _ = cpu_now()
    t0 = time.monotonic()
    results = MODELS[model](task, tasks, workers)
    wall = time.monotonic() - t0
    u1, s1, rss = cpu_now()
    got = {r[0]: r[1] for r in results}
    failed = sum(1 for t in range(tasks) if got.get(t) is None)
    checksum = sum(c for c in got.values() if c is not None) & MASK
    counts = {}
    for r in results:
        for name, n in (r[2] if len(r) > 2 else {}).items():
            counts[name] = counts.get(name, 0) + n
    return wall, u1 - u0, s1 - s0, rss, failed, checksum, counts


def parser(description, workload=True):
    """The options every program takes (--repeat, --warmup) and, for a
    workload, its model, workers, tasks and size; each adds its own."""
    p = argparse.ArgumentParser(description=description)
    if workload:
        p.add_argument("--model", choices=sorted(MODELS), required=True)
        p.add_argument("--workers", type=int, default=1)
        p.add_argument("--tasks", type=int, required=True)
        p.add_argument("--size", type=int, required=True)
    p.add_argument("--repeat", type=int, default=5)
    p.add_argument("--warmup", type=int, default=1)
    return p


def main(scenario, task, args, before_run=None):
    """Runs the warm-ups and the measured runs of args.model and prints a
    row for each measured one. Returns the exit status: 0 once every row
    is printed (a failed task is counted in its row and said on
    stderr)."""
    if min(args.workers, args.tasks, args.size, args.repeat) < 1 or \
            args.warmup < 0:
        print(f"{scenario}: --workers, --tasks, --size and --repeat must "
              f"be positive", file=sys.stderr)
        return 2
    workers = 1 if args.model == "sequential" else args.workers
    for i in range(args.warmup + args.repeat):
        wall, user, sys_, rss, failed, checksum, counts = measure(
            task, args.model, workers, args.tasks, before_run)
        if failed:
            print(f"{failed} task(s) of {scenario} run {i + 1} failed",
                  file=sys.stderr)
        if i < args.warmup:
            continue
        extra = ";".join(f"{k}={v}" for k, v in sorted(counts.items()))
        print(f"{scenario},py-{args.model},{workers},{args.tasks},"
              f"{args.size},{i - args.warmup + 1},{wall:.9g},{user:.6g},"
              f"{sys_:.6g},{rss},{failed},{int(failed == 0)},{checksum}"
              + ("," + extra if extra else ""), flush=True)
    return 0

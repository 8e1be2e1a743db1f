#!/usr/bin/env python3
"""crash.py - one Python worker dies: what its pool or its threads do.

pvt's crash scenario for Python. --tasks tasks of --task-time each (half
slept, then the result), task --crash-task dies halfway:

  pool      multiprocessing.Pool(--workers).map over the tasks; the task
            segfaults (ctypes.string_at(0)) and kills its worker process.
            The map is waited on for at most --wait seconds.
  executor  the same under concurrent.futures.ProcessPoolExecutor.
  thread-exception
            --workers threads share the tasks; the task raises an
            exception, which ends its own thread only.
  thread-segfault
            the same, but the task segfaults: the whole interpreter dies,
            every thread with it.

Start method --method (pool, executor). Every finished task is counted
in shared memory (processes) or a list (threads), and printed as it
finishes for the threads (the segfault leaves nothing else behind). The
last line, where the interpreter lives to print it:

  row outcome=N waited_s=F done=N ok=0|1
  outcome: 1 the map returned, 2 still waiting after --wait s (then the
  pool is terminated), 3 BrokenProcessPool raised, 4 a thread ended by its
  exception while the others finished
"""

import concurrent.futures
import ctypes
import multiprocessing
import sys
import threading
import time

import pvtbench

RETURNED, WAITING, BROKEN, THREAD_ENDED = 1, 2, 3, 4

CRASH = -1
TASK_S = 0.0
done = None     # processes: a shared counter, given to every worker


def init(counter):
    global done
    done = counter


def task(t):
    """Works TASK_S, t * t; task CRASH segfaults halfway."""
    time.sleep(TASK_S / 2)
    if t == CRASH:
        ctypes.string_at(0)     # reads address 0: SIGSEGV
    time.sleep(TASK_S / 2)
    with done.get_lock():
        done.value += 1
    return t * t


def run_pool(args, ctx):
    counter = ctx.Value("i", 0)
    pool = ctx.Pool(args.workers, initializer=init, initargs=(counter,))
    t0 = time.monotonic()
    try:
        res = pool.map_async(task, range(args.tasks), chunksize=1)
        out = res.get(timeout=args.wait)
        outcome = RETURNED
        ok = out == [t * t for t in range(args.tasks)]
    except multiprocessing.TimeoutError:
        outcome, ok = WAITING, True
    waited = time.monotonic() - t0
    pool.terminate()
    pool.join()
    return outcome, waited, counter.value, ok


def run_executor(args, ctx):
    counter = ctx.Value("i", 0)
    t0 = time.monotonic()
    ex = concurrent.futures.ProcessPoolExecutor(
        args.workers, mp_context=ctx, initializer=init, initargs=(counter,))
    try:
        out = list(ex.map(task, range(args.tasks), timeout=args.wait))
        outcome = RETURNED
        ok = out == [t * t for t in range(args.tasks)]
    except concurrent.futures.process.BrokenProcessPool:
        outcome, ok = BROKEN, True
    except concurrent.futures.TimeoutError:
        outcome, ok = WAITING, True
    waited = time.monotonic() - t0
    ex.shutdown(wait=True, cancel_futures=True)
    return outcome, waited, counter.value, ok


class Count:
    """A thread-side stand-in for the shared counter."""

    def __init__(self):
        self.value = 0
        self.lock = threading.Lock()

    def get_lock(self):
        return self.lock


def run_threads(args, segfault):
    global done
    done = Count()
    lock = threading.Lock()
    todo = list(range(args.tasks))
    ended = []

    def worker():
        while True:
            with lock:
                if not todo:
                    return
                t = todo.pop(0)
            if t == CRASH and not segfault:
                time.sleep(TASK_S / 2)
                raise RuntimeError(f"task {t} fails")
            task(t)
            pvtbench.row(task_done=t)   # flushed: what a segfault leaves

    def seen(hook_args):
        ended.append(hook_args.exc_type.__name__)

    threading.excepthook = seen
    t0 = time.monotonic()
    threads = [threading.Thread(target=worker) for _ in range(args.workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(args.wait)
    waited = time.monotonic() - t0
    alive = any(t.is_alive() for t in threads)
    outcome = WAITING if alive else THREAD_ENDED if ended else RETURNED
    return outcome, waited, done.value, not alive


def main():
    global CRASH, TASK_S
    p = pvtbench.parser(__doc__.splitlines()[0], workload=False)
    p.add_argument("--case", required=True, choices=(
        "pool", "executor", "thread-exception", "thread-segfault"))
    p.add_argument("--method", choices=pvtbench.START_METHODS,
                   default="fork")
    p.add_argument("--workers", type=int, required=True)
    p.add_argument("--tasks", type=int, required=True)
    p.add_argument("--crash-task", type=int, required=True)
    p.add_argument("--task-time", type=float, default=0.02)
    p.add_argument("--wait", type=float, default=5.0)
    args = p.parse_args()
    CRASH, TASK_S = args.crash_task, args.task_time
    if args.case in ("pool", "executor"):
        ctx = pvtbench.context(args.method)
        run = run_pool if args.case == "pool" else run_executor
        outcome, waited, n, ok = run(args, ctx)
    else:
        outcome, waited, n, ok = run_threads(
            args, args.case == "thread-segfault")
    pvtbench.row(outcome=outcome, waited_s=f"{waited:.3f}", done=n,
                 ok=int(ok))
    return 0


if __name__ == "__main__":
    sys.exit(main())

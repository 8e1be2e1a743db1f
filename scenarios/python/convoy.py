#!/usr/bin/env python3
"""convoy.py - pvt's convoy workload in Python, for the py-* models.

One I/O worker (the main thread) makes request/response round trips over
a socketpair to an echo peer (a process of its own, so that it never needs
this interpreter's GIL: the far end of a connection, which answers
--latency seconds after each request) for --duration, while
--workers CPU workers square and sum blocks of --size integers until it is
done: threads of this interpreter (--model thread) or processes
(--model process, multiprocessing with the "fork" start method, stated,
not assumed). Every echo is compared with the request, every CPU worker's
sum with the closed form.

Each measured run prints pvt's raw columns, the sum of the echoed
sequence numbers modulo 2**64 (pvt checks it against the round trips),
then the run's figures:

  scenario,model,workers,tasks,size,rep,wall_s,user_s,sys_s,max_rss_kib,
  failed,ok,checksum,rt_per_sec,p50_us,p99_us,cpu_mips,round_trips

Percentiles interpolate linearly between the nearest ranks
(statistics.quantiles, method "inclusive"), as pvt's own do. Standard
library only.
"""

import argparse
import multiprocessing
import queue
import socket
import statistics
import sys
import threading
import time

import pvtbench

BYE = (1 << 64) - 1       # the sequence number that ends the echo peer
LAT_CAP = 1 << 20         # round trips a run records at most


def recv_exact(sock, n):
    """n bytes from sock, or None at the end of the stream."""
    buf = bytearray()
    while len(buf) < n:
        chunk = sock.recv(n - len(buf))
        if not chunk:
            return None
        buf += chunk
    return bytes(buf)


def echo(sock, other, msg, latency, out):
    """The echo peer: returns every message, latency seconds after it
    came, until BYE; puts the count."""
    other.close()
    n = 0
    while True:
        data = recv_exact(sock, msg)
        if data is None or int.from_bytes(data[:8], "little") == BYE:
            break
        if latency > 0:
            time.sleep(latency)
        sock.sendall(data)
        n += 1
    out.put(n)


def sum_squares_below(n):
    return n * (n - 1) * (2 * n - 1) // 6 if n > 0 else 0


def cpu_worker(size, start, stop, out):
    """Squares blocks of size integers until stop is set; puts (integers,
    seconds, whether the total matched the closed form)."""
    start.wait()
    t0 = time.monotonic()
    k = total = 0
    while not stop.is_set():
        s = 0
        for x in range(k * size, (k + 1) * size):
            s += x * x
        total += s
        k += 1
    span = time.monotonic() - t0
    out.put((k * size, span, total == sum_squares_below(k * size)))


def io_worker(sock, duration, msg):
    """Round trips for duration seconds: (count, seconds, latencies in
    microseconds, sum of the echoed sequence numbers), or raises."""
    pad = bytes((i * 7 + 1) & 255 for i in range(8, msg))
    lat = []
    echoed = 0
    t0 = time.monotonic()
    end = t0 + duration
    n = 0
    while n < LAT_CAP:
        a = time.monotonic()
        if a >= end:
            break
        req = n.to_bytes(8, "little") + pad
        sock.sendall(req)
        back = recv_exact(sock, msg)
        if back != req:
            raise RuntimeError(f"round trip {n}: the echo differs")
        lat.append((time.monotonic() - a) * 1e6)
        echoed += int.from_bytes(back[:8], "little")
        n += 1
    span = time.monotonic() - t0
    sock.sendall(BYE.to_bytes(8, "little") + pad)
    return n, span, lat, echoed


def percentiles(lat):
    """p50 and p99 of the latencies."""
    if len(lat) == 1:
        return lat[0], lat[0]
    q = statistics.quantiles(lat, n=100, method="inclusive")
    return q[49], q[98]


def run_once(args):
    """One run; returns (wall, figures..., failed) as a dict."""
    ctx = multiprocessing.get_context("fork")
    procs = args.model == "process"
    mine, theirs = socket.socketpair()
    echo_out = ctx.Queue()
    peer = ctx.Process(target=echo, args=(theirs, mine, args.message,
                                          args.latency, echo_out))
    start = ctx.Barrier(args.workers + 1) if procs else \
        threading.Barrier(args.workers + 1)
    stop = ctx.Event() if procs else threading.Event()
    out = ctx.Queue() if procs else queue.Queue()
    make = ctx.Process if procs else threading.Thread
    workers = [make(target=cpu_worker, args=(args.size, start, stop, out))
               for _ in range(args.workers)]
    t0 = time.monotonic()
    peer.start()
    theirs.close()
    for w in workers:
        w.start()
    failed = 0
    try:
        start.wait()
        n, span, lat, echoed = io_worker(mine, args.duration, args.message)
    except (OSError, RuntimeError) as e:
        print(f"convoy: I/O worker: {e}", file=sys.stderr)
        n, span, lat, echoed = 0, 1, [], 0
        failed += 1
    stop.set()
    cpu = [out.get() for _ in workers]
    for w in workers:
        w.join()
    mine.close()
    peer.join()
    wall = time.monotonic() - t0
    got = echo_out.get() if peer.exitcode == 0 else -1
    if got != n:
        print(f"convoy: the echo peer returned {got} of {n} messages",
              file=sys.stderr)
        failed += 1
    bad = sum(1 for _, _, ok in cpu if not ok)
    if bad:
        print(f"convoy: {bad} CPU worker(s) summed wrong", file=sys.stderr)
        failed += bad
    p50, p99 = percentiles(lat) if lat else (float("nan"),) * 2
    mips = sum(ints / s for ints, s, _ in cpu) / 1e6 if cpu else None
    return dict(wall=wall, failed=failed, checksum=echoed & pvtbench.MASK,
                rt_per_sec=n / span, p50=p50, p99=p99, mips=mips, n=n)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--model", choices=("process", "thread"), required=True)
    p.add_argument("--workers", type=int, default=1,
                   help="CPU workers beside the I/O worker (0: alone)")
    p.add_argument("--tasks", type=int, required=True,
                   help="workers in all: CPU workers + 2")
    p.add_argument("--size", type=int, required=True,
                   help="integers per CPU block")
    p.add_argument("--repeat", type=int, default=5)
    p.add_argument("--warmup", type=int, default=1)
    p.add_argument("--duration", type=float, default=0.5)
    p.add_argument("--latency", type=float, default=0.0,
                   help="seconds the echo peer waits before answering")
    p.add_argument("--message", type=int, default=64)
    p.add_argument("--switch-interval", type=float, default=None)
    args = p.parse_args()
    if args.workers < 0 or args.tasks != args.workers + 2 or \
            min(args.size, args.repeat) < 1 or args.warmup < 0 or \
            args.duration <= 0 or args.message < 8 or args.latency < 0 or \
            (args.switch_interval is not None and
             args.switch_interval < 1e-6):
        print("convoy: --workers >= 0, --tasks = workers + 2, --size, "
              "--repeat, --duration positive, --latency >= 0, --message >= 8, "
              "--switch-interval >= 1e-6", file=sys.stderr)
        return 2
    if args.switch_interval is not None:
        sys.setswitchinterval(args.switch_interval)
    status = 0
    for i in range(args.warmup + args.repeat):
        u0, s0, _ = pvtbench.cpu_now()
        r = run_once(args)
        u1, s1, rss = pvtbench.cpu_now()
        if r["failed"]:
            status = 1
        if i < args.warmup:
            continue
        mips = "" if r["mips"] is None else f"{r['mips']:.6g}"
        print(f"convoy,py-{args.model},{args.workers},{args.tasks},"
              f"{args.size},{i - args.warmup + 1},{r['wall']:.9g},"
              f"{u1 - u0:.6g},{s1 - s0:.6g},{rss},{r['failed']},"
              f"{int(r['failed'] == 0)},{r['checksum']},"
              f"{r['rt_per_sec']:.9g},{r['p50']:.6g},{r['p99']:.6g},{mips},"
              f"{r['n']}", flush=True)
    return status


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""square.py - pvt's square workload in Python, for the py-* models.

The course notes' pool.map(square, ...) grown into a measurement: task t
squares the integers t*size .. (t+1)*size-1 and sums them modulo 2**64,
exactly as pvt's C task does. Every task's sum is checked against the
closed form; a wrong one fails its task. The models, the timing and the
rows are pvtbench's.

--work hashlib: task t instead hashes its number (8 bytes, little-endian)
followed by SIZE bytes 0, 1, .. 255, 0, 1... with hashlib.sha256, which
lets go of the GIL while it hashes a large buffer; its checksum is the
digest's first 8 bytes (little-endian), which pvt computes again in C.
"""

import hashlib
import sys

import pvtbench

SIZE = 0     # integers (hashlib: bytes) per task; set before any worker
DATA = b""   # hashlib: what every task hashes after its number


def sum_squares_below(n):
    """Sum of i*i for i in [0, n): the closed form the results must match."""
    return n * (n - 1) * (2 * n - 1) // 6 if n > 0 else 0


def square_task(t):
    """Squares one block of integers; returns (task, checksum or None)."""
    first = t * SIZE
    total = 0
    for x in range(first, first + SIZE):
        total += x * x
    want = sum_squares_below(first + SIZE) - sum_squares_below(first)
    return t, (total & pvtbench.MASK) if total == want else None


def hash_task(t):
    """One SHA-256 of SIZE bytes, in C with the GIL released; returns
    (task, the digest's first 8 bytes as a number)."""
    h = hashlib.sha256(t.to_bytes(8, "little"))
    h.update(DATA)
    return t, int.from_bytes(h.digest()[:8], "little")


if __name__ == "__main__":
    p = pvtbench.parser(__doc__.splitlines()[0])
    p.add_argument("--work", choices=["pure", "hashlib"], default="pure")
    args = p.parse_args()
    SIZE = args.size
    if args.work == "hashlib":
        DATA = (bytes(range(256)) * (SIZE // 256 + 1))[:SIZE]
    sys.exit(pvtbench.main("square",
                           hash_task if args.work == "hashlib" else
                           square_task, args))

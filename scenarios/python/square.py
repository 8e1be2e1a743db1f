#!/usr/bin/env python3
"""square.py - pvt's square workload in Python, for the py-* models.

The course notes' pool.map(square, ...) grown into a measurement: task t
squares the integers t*size .. (t+1)*size-1 and sums them modulo 2**64,
exactly as pvt's C task does. Every task's sum is checked against the
closed form; a wrong one fails its task. The models, the timing and the
rows are pvtbench's.
"""

import sys

import pvtbench

SIZE = 0  # integers per task; set before any worker starts


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


if __name__ == "__main__":
    args = pvtbench.parser(__doc__.splitlines()[0]).parse_args()
    SIZE = args.size
    sys.exit(pvtbench.main("square", square_task, args))

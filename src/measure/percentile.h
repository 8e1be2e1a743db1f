/* percentile.h - percentiles of a sample (latency p50, p99) */
#ifndef PVT_PERCENTILE_H
#define PVT_PERCENTILE_H

#include <stddef.h>

/* The p-th percentile (0 <= p <= 100) of x[0..n-1], by linear
 * interpolation between the two nearest ranks of the sorted sample (the
 * method of numpy's default and of R's type 7): rank (n - 1) * p / 100,
 * counted from 0. Sorts x in place. Returns NAN when n is 0, p is outside
 * [0, 100] or a sample is not finite. */
double percentile(double *x, size_t n, double p);

/* The same on a sample that is sorted already: leaves x alone. */
double percentile_sorted(const double *x, size_t n, double p);

#endif

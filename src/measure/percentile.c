/* percentile.c - percentiles of a sample (latency p50, p99) */
#include "measure/percentile.h"

#include <math.h>
#include <stdlib.h>

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

double percentile_sorted(const double *x, size_t n, double p)
{
	double rank, frac;
	size_t lo;

	if (n == 0 || !(p >= 0 && p <= 100))
		return NAN;
	rank = (double)(n - 1) * p / 100;
	lo = (size_t)rank;
	if (lo >= n - 1)
		return x[n - 1];
	frac = rank - (double)lo;
	return x[lo] + frac * (x[lo + 1] - x[lo]);
}

double percentile(double *x, size_t n, double p)
{
	for (size_t i = 0; i < n; i++)
		if (!isfinite(x[i]))
			return NAN;
	qsort(x, n, sizeof(*x), cmp_double);
	return percentile_sorted(x, n, p);
}

/* measure.c - clocks, CPU time and the statistics pvt reports */
#define _POSIX_C_SOURCE 200809L
#include "measure/measure.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

double measure_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

double measure_tv(const struct timeval *tv)
{
	return (double)tv->tv_sec + (double)tv->tv_usec * 1e-6;
}

int measure_rss_reset(void)
{
	FILE *f = fopen("/proc/self/clear_refs", "w");
	int rc;

	if (!f)
		return -1;
	rc = fputs("5", f) < 0;
	return fclose(f) || rc ? -1 : 0;
}

long measure_rss_peak(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	long kib = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "VmHWM: %ld kB", &kib) == 1)
			break;
	fclose(f);
	if (kib < 0)
		errno = ENODATA;
	return kib;
}

double measure_t95(size_t df)
{
	/* t(0.975, df) for df = 1..30; beyond that the normal 1.96 is
	 * within 2%. */
	static const double t[] = {
		12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306,
		2.262, 2.228, 2.201, 2.179, 2.160, 2.145, 2.131, 2.120,
		2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064,
		2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
	};

	if (df == 0)
		return NAN;
	if (df <= sizeof(t) / sizeof(t[0]))
		return t[df - 1];
	return 1.960;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

int measure_stats(const double *x, size_t n, struct stats *st)
{
	double *s, sum = 0, sq = 0;
	size_t i;

	for (i = 0; i < n; i++)
		if (!isfinite(x[i]))
			break;
	if (n == 0 || i < n) {
		errno = EINVAL;
		return -1;
	}
	s = malloc(n * sizeof(*s));
	if (!s)
		return -1;
	memcpy(s, x, n * sizeof(*s));
	qsort(s, n, sizeof(*s), cmp_double);

	memset(st, 0, sizeof(*st));
	st->n = n;
	st->min = s[0];
	st->max = s[n - 1];
	st->median = n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
	for (i = 0; i < n; i++)
		sum += s[i];
	st->mean = sum / (double)n;
	for (i = 0; i < n; i++)
		sq += (s[i] - st->mean) * (s[i] - st->mean);
	if (n > 1) {
		st->stddev = sqrt(sq / (double)(n - 1));
		st->ci95 = measure_t95(n - 1) * st->stddev / sqrt((double)n);
	}
	st->spread = st->median > 0 ? (st->max - st->min) / st->median : 0;
	st->noisy = st->spread > MEASURE_NOISY;
	free(s);
	return 0;
}

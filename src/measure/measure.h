/* measure.h - clocks, CPU time and the statistics pvt reports */
#ifndef PVT_MEASURE_H
#define PVT_MEASURE_H

#include <stddef.h>
#include <sys/resource.h>

/* Seconds on CLOCK_MONOTONIC: the one clock every model is timed with. */
double measure_now(void);

/* Seconds in a struct timeval (rusage user/sys time). */
double measure_tv(const struct timeval *tv);

/* Starts a new peak of the calling process's resident set (Linux's
 * clear_refs 5), so that what one run used is not hidden by a bigger run
 * before it. Returns 0, or -1 with errno set when the kernel refuses. */
int measure_rss_reset(void);

/* The calling process's peak resident set since the last reset (VmHWM),
 * in KiB, or -1 with errno set when it cannot be read. */
long measure_rss_peak(void);

/* The summary of n samples. */
struct stats {
	size_t n;
	double median, min, max, mean;
	double stddev;	/* sample standard deviation; 0 when n < 2 */
	double ci95;	/* half-width of the 95% confidence interval of the
			 * mean (Student's t); 0 when n < 2 */
	double spread;	/* (max - min) / median */
	int noisy;	/* spread over MEASURE_NOISY */
};

#define MEASURE_NOISY 0.10

/* Fills *st from x[0..n-1]; x is left unchanged. Returns 0, or -1 with
 * errno set (EINVAL: n is 0 or a sample is not finite; nothing is then
 * written). */
int measure_stats(const double *x, size_t n, struct stats *st);

/* Two-sided 95% Student's t quantile for df degrees of freedom. */
double measure_t95(size_t df);

#endif

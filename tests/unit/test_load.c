/* test_load.c - the machine's load: /proc/stat and pressure parsed, the
 * busy rule, and a CPU hog of the test's own counted as another's */
#define _DEFAULT_SOURCE		/* wait4 */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "measure/load.h"
#include "measure/measure.h"

static void parse(void)
{
	double busy, steal, some;
	long tck = sysconf(_SC_CLK_TCK);

	CHECK(load_parse_stat("cpu  100 5 50 1000 7 3 2 40 0 0\ncpu0 1 2 3\n",
			      &busy, &steal) == 0);
	/* user + nice + system + irq + softirq; iowait and idle are not */
	CHECK(fabs(busy - 160.0 / (double)tck) < 1e-12);
	CHECK(fabs(steal - 40.0 / (double)tck) < 1e-12);
	CHECK(load_parse_stat("cpu0 1 2 3 4 5 6 7 8\n", &busy, &steal) == -1);
	CHECK(load_parse_stat("cpu  1 2 3\n", &busy, &steal) == -1);
	CHECK(load_parse_pressure("some avg10=1.00 avg60=0.50 avg300=0.10 "
				  "total=2500000\nfull avg10=0.00 avg60=0.00 "
				  "avg300=0.00 total=0\n", &some) == 0);
	CHECK(fabs(some - 2.5) < 1e-12);
	CHECK(load_parse_pressure("full total=3\n", &some) == -1);
}

static void judge(void)
{
	struct load l = { .other_cpu = 0.05, .steal = 0 };

	/* 2 cores, 1 s: the margin is 2 ticks' worth; 0.05 is quiet */
	load_judge(&l, 1.0, 2);
	CHECK(!l.busy && l.margin > 0 && l.margin < 0.05);
	l.other_cpu = 0.9;	/* a hog on one of two cores */
	load_judge(&l, 1.0, 2);
	CHECK(l.busy);
	l.other_cpu = 0.2;
	l.steal = 0.2;		/* the hypervisor's share counts too */
	load_judge(&l, 1.0, 2);
	CHECK(l.busy);
	/* 10 ms: what the ticks can hide is more than a hog */
	l.other_cpu = 0.9;
	l.steal = 0;
	load_judge(&l, 0.01, 2);
	CHECK(!l.busy && l.margin >= 1.0);
	l.other_cpu = NAN;
	load_judge(&l, 1.0, 2);
	CHECK(!l.busy);
}

/* A child that spins for s seconds, counted as another process's CPU
 * until it is reaped. */
static void hog(void)
{
	struct load_mark m;
	struct load l;
	struct rusage ru;
	struct timespec nap = { 0, 400 * 1000 * 1000 };
	double hog_s, wall;
	pid_t pid;
	int status;

	load_begin(&m);
	CHECK(m.ok);
	pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		for (;;)
			;
	}
	nanosleep(&nap, NULL);
	load_end(&m, sysconf(_SC_NPROCESSORS_ONLN), &l);
	wall = measure_now() - m.t;
	kill(pid, SIGKILL);
	CHECK(wait4(pid, &status, 0, &ru) == pid);
	hog_s = measure_tv(&ru.ru_utime) + measure_tv(&ru.ru_stime);
	/* whatever else the machine did, the hog's CPU is among the
	 * others': up to the ticks' granularity */
	CHECK(isfinite(l.other_cpu) && l.other_cpu >= 0);
	CHECK(l.other_cpu * wall >= hog_s - l.margin * wall - 0.02);
	CHECK(isnan(l.pressure) || (l.pressure >= 0 && l.pressure <= 1.5));
	printf("hog: %.3f s of CPU in %.3f s; others %.2f core(s) (margin "
	       "%.2f), busy %d\n", hog_s, wall, l.other_cpu, l.margin,
	       l.busy);
}

int main(void)
{
	parse();
	judge();
	hog();
	return CHECK_DONE();
}

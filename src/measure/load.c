/* load.c - what else the machine did while pvt measured */
#define _POSIX_C_SOURCE 200809L
#include "measure/load.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "measure/measure.h"

/* The first len-1 bytes of path, NUL-terminated. Returns 0, or -1 with
 * errno set. */
static int read_head(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, len - 1);
	if (n == 0)
		errno = ENODATA;
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = 0;
	return 0;
}

int load_parse_stat(const char *text, double *busy_s, double *steal_s)
{
	unsigned long long user, nice, sys, idle, iowait, irq, softirq, steal;
	long tck = sysconf(_SC_CLK_TCK);

	if (tck <= 0)
		tck = 100;
	/* guest time is already inside user and nice */
	if (strncmp(text, "cpu ", 4) || sscanf(text, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &user,
		   &nice, &sys, &idle, &iowait, &irq, &softirq, &steal) != 8) {
		errno = EINVAL;
		return -1;
	}
	*busy_s = (double)(user + nice + sys + irq + softirq) / (double)tck;
	*steal_s = (double)steal / (double)tck;
	return 0;
}

int load_parse_pressure(const char *text, double *some_s)
{
	unsigned long long total;
	const char *p = strstr(text, "some ");

	if (!p || !(p = strstr(p, "total=")) ||
	    sscanf(p, "total=%llu", &total) != 1) {
		errno = EINVAL;
		return -1;
	}
	*some_s = (double)total * 1e-6;
	return 0;
}

/* pvt's own CPU time: itself and every child it has reaped. */
static double own_cpu_s(void)
{
	struct rusage self, kids;

	if (getrusage(RUSAGE_SELF, &self) || getrusage(RUSAGE_CHILDREN, &kids))
		return NAN;
	return measure_tv(&self.ru_utime) + measure_tv(&self.ru_stime) +
	       measure_tv(&kids.ru_utime) + measure_tv(&kids.ru_stime);
}

void load_begin(struct load_mark *m)
{
	char buf[4096];

	memset(m, 0, sizeof(*m));
	m->some_s = -1;
	if (!read_head("/proc/pressure/cpu", buf, sizeof(buf)) &&
	    load_parse_pressure(buf, &m->some_s))
		m->some_s = -1;
	m->own_s = own_cpu_s();
	m->ok = !read_head("/proc/stat", buf, sizeof(buf)) &&
		!load_parse_stat(buf, &m->busy_s, &m->steal_s) &&
		isfinite(m->own_s);
	m->t = measure_now();
}

void load_judge(struct load *l, double wall_s, long cores)
{
	long tck = sysconf(_SC_CLK_TCK);

	if (tck <= 0)
		tck = 100;
	if (cores < 1)
		cores = 1;
	/* each CPU's counter may be one tick short at either end */
	l->margin = wall_s > 0 ? (double)cores / ((double)tck * wall_s) : NAN;
	l->busy = isfinite(l->other_cpu) && isfinite(l->margin) &&
		  l->other_cpu + (isfinite(l->steal) ? l->steal : 0) -
		  l->margin > LOAD_BUSY_SHARE * (double)cores;
}

void load_end(const struct load_mark *m, long cores, struct load *out)
{
	struct load_mark now;
	double wall;

	load_begin(&now);
	wall = now.t - m->t;
	out->other_cpu = out->steal = out->pressure = NAN;
	if (m->ok && now.ok && wall > 0) {
		double others = (now.busy_s - m->busy_s) -
				(now.own_s - m->own_s);

		/* the ticks can count more than the interval held: a
		 * machine has no more than its cores to give */
		out->other_cpu = others > 0 ? others / wall : 0;
		if (out->other_cpu > (double)cores)
			out->other_cpu = (double)cores;
		out->steal = (now.steal_s - m->steal_s) / wall;
		if (out->steal > (double)cores)
			out->steal = (double)cores;
	}
	if (m->some_s >= 0 && now.some_s >= 0 && wall > 0)
		out->pressure = (now.some_s - m->some_s) / wall;
	load_judge(out, wall, cores);
}

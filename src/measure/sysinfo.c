/* sysinfo.c - what machine a measurement was taken on */
#define _GNU_SOURCE
#include "measure/sysinfo.h"

#include <sched.h>

#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

/* The CPUs pvt may run on (its affinity: taskset, a cpuset, a
 * container), which is what a speedup can reach; the online count where
 * the affinity cannot be read. */
long sysinfo_cores(void)
{
	cpu_set_t set;
	long n;

	if (sched_getaffinity(0, sizeof(set), &set) == 0 && CPU_COUNT(&set))
		return CPU_COUNT(&set);
	n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 ? n : 1;
}

static void cpu_model(char *buf, size_t len)
{
	FILE *f = fopen("/proc/cpuinfo", "r");
	char line[512];

	snprintf(buf, len, "unknown");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char *colon = strchr(line, ':');

		if (!colon || strncmp(line, "model name", 10))
			continue;
		colon++;
		while (*colon == ' ' || *colon == '\t')
			colon++;
		colon[strcspn(colon, "\n")] = 0;
		snprintf(buf, len, "%s", colon);
		break;
	}
	fclose(f);
}

void sysinfo_read(struct sysinfo *si)
{
	struct utsname u;
	time_t now = time(NULL);
	struct tm tm;

	memset(si, 0, sizeof(*si));
	if (uname(&u) == 0) {
		snprintf(si->host, sizeof(si->host), "%s", u.nodename);
		snprintf(si->kernel, sizeof(si->kernel), "%s %s %s", u.sysname,
			 u.release, u.machine);
	} else {
		snprintf(si->host, sizeof(si->host), "unknown");
		snprintf(si->kernel, sizeof(si->kernel), "unknown");
	}
	cpu_model(si->cpu_model, sizeof(si->cpu_model));
#if defined(__clang__)
	snprintf(si->compiler, sizeof(si->compiler), "clang %s",
		 __clang_version__);
#elif defined(__GNUC__)
	snprintf(si->compiler, sizeof(si->compiler), "gcc %s", __VERSION__);
#else
	snprintf(si->compiler, sizeof(si->compiler), "unknown");
#endif
	gmtime_r(&now, &tm);
	strftime(si->date, sizeof(si->date), "%Y-%m-%dT%H:%M:%SZ", &tm);
	si->cores = sysinfo_cores();
}

void sysinfo_meta(struct csv *c)
{
	struct sysinfo si;

	sysinfo_read(&si);
	csv_meta(c, "pvt_version", "%s", PVT_VERSION);
	csv_meta(c, "host", "%s", si.host);
	csv_meta(c, "cores", "%ld", si.cores);
	csv_meta(c, "cpu_model", "%s", si.cpu_model);
	csv_meta(c, "kernel", "%s", si.kernel);
	csv_meta(c, "compiler", "%s", si.compiler);
	csv_meta(c, "date", "%s", si.date);
}

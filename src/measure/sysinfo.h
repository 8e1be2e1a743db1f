/* sysinfo.h - what machine a measurement was taken on */
#ifndef PVT_SYSINFO_H
#define PVT_SYSINFO_H

#include "output/csv.h"

#ifndef PVT_VERSION		/* CMake passes the project's version */
#define PVT_VERSION "unknown"
#endif

struct sysinfo {
	char host[256];
	char kernel[256];
	char cpu_model[256];
	char compiler[128];
	char date[64];		/* ISO 8601, UTC */
	long cores;		/* online CPUs */
};

/* Fills *si; fields that cannot be read say "unknown". */
void sysinfo_read(struct sysinfo *si);

/* Writes the machine's metadata lines (pvt version, host, cores, CPU
 * model, kernel, compiler, date). */
void sysinfo_meta(struct csv *c);

/* Online CPUs, at least 1. */
long sysinfo_cores(void);

#endif

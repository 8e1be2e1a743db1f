/* python.h - run one of pvt's workloads in python3: the py-* models
 *
 * scenarios/python/NAME.py runs the same tasks with multiprocessing.Pool
 * or threads and prints pvt's raw CSV row for each measured run, plus a
 * checksum of every task's result, which the caller checks again, and
 * then any figures of the workload's own (convoy's round trips).
 */
#ifndef PVT_PYTHON_H
#define PVT_PYTHON_H

#include <stddef.h>
#include <stdint.h>

#include "engine/workers.h"

#define PY_MAX_FIGS 8

struct py_row {
	unsigned rep;
	double wall_s, user_s, sys_s;
	long max_rss_kib;
	long failed;
	int ok;
	uint64_t checksum;	/* of all tasks, modulo 2^64 */
	double fig[PY_MAX_FIGS];	/* the workload's own figures after
					 * the checksum; NAN where empty */
	size_t nfig;
};

/* Finds the interpreter ($PVT_PYTHON, else python3 on PATH). Returns 0,
 * or -1 with the reason in why. */
int python_find(char *why, size_t len);

/* Runs script (a file in scenarios/python/) for model m (a py-* model)
 * at workers workers, tasks tasks of size each, warmup + repeat runs,
 * with the script's own options extra ("--url-base", URL, ..., NULL), and
 * reads back its rows (at most max). Returns 0 with *n rows; or -1 with
 * the reason in why: the interpreter missing, the program's own error
 * (its last line on stderr), its exit status, a malformed or mismatched
 * row. The program runs in a process group of its own, killed whole
 * when the run is stopped (workers_stop). */
int python_run(const char *script, enum model m, unsigned workers,
	       uint64_t tasks, uint64_t size, unsigned repeat,
	       unsigned warmup, const char *const *extra, struct py_row *rows,
	       size_t max, size_t *n, char *why, size_t len);

#endif

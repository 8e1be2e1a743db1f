/* python.c - run one of pvt's workloads in python3: the py-* models */
#define _GNU_SOURCE
#include "python/python.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "engine/paths.h"
#include "engine/program.h"

static const char *interpreter(void)
{
	const char *p = getenv("PVT_PYTHON");

	return p && *p ? p : "python3";
}

int python_find(char *why, size_t len)
{
	const char *name = interpreter();
	const char *path = getenv("PATH");
	char buf[4096];

	if (strchr(name, '/')) {
		if (access(name, X_OK) == 0)
			return 0;
		snprintf(why, len, "%s: %s", name, strerror(errno));
		return -1;
	}
	while (path && *path) {
		size_t n = strcspn(path, ":");

		snprintf(buf, sizeof(buf), "%.*s/%s", (int)n, path, name);
		if (n && access(buf, X_OK) == 0)
			return 0;
		path += n + (path[n] == ':');
	}
	snprintf(why, len, "%s not found in PATH", name);
	return -1;
}

static int parse_row(char *line, enum model m, unsigned workers,
		     uint64_t tasks, uint64_t size, struct py_row *row)
{
	char *f[14 + PY_MAX_FIGS], *end;
	int n = 0;

	/* strsep, not strtok: an empty figure is a field of its own */
	for (char *tok; n < 14 + PY_MAX_FIGS && (tok = strsep(&line, ","));)
		f[n++] = tok;
	if (n < 13 || line)
		return -1;
	if (strcmp(f[1], model_name(m)) ||
	    strtoul(f[2], NULL, 10) != workers ||
	    strtoull(f[3], NULL, 10) != tasks ||
	    strtoull(f[4], NULL, 10) != size)
		return -1;
	row->rep = (unsigned)strtoul(f[5], &end, 10);
	row->wall_s = strtod(f[6], &end);
	row->user_s = strtod(f[7], NULL);
	row->sys_s = strtod(f[8], NULL);
	row->max_rss_kib = strtol(f[9], NULL, 10);
	row->failed = strtol(f[10], NULL, 10);
	row->ok = (int)strtol(f[11], NULL, 10);
	errno = 0;
	row->checksum = strtoull(f[12], &end, 10);
	if (errno || *end || !(row->wall_s > 0))
		return -1;
	/* after the checksum: the scenario's count columns as one
	 * "column=n;column=n" field, and its own figures */
	row->counts[0] = 0;
	row->nfig = 0;
	for (int i = 13; i < n; i++) {
		const char *v = f[i];

		if (strchr(v, '=')) {
			if ((size_t)snprintf(row->counts, sizeof(row->counts),
					     "%s", v) >= sizeof(row->counts))
				return -1;
			continue;
		}
		if (row->nfig == PY_MAX_FIGS)
			return -1;
		row->fig[row->nfig] = *v ? strtod(v, &end) : NAN;
		if (*v && *end)
			return -1;
		row->nfig++;
	}
	return 0;
}

int python_run(const char *script, enum model m, unsigned workers,
	       uint64_t tasks, uint64_t size, unsigned repeat,
	       unsigned warmup, const char *const *extra, struct py_row *rows,
	       size_t max, size_t *n, char *why, size_t len)
{
	static const char *const sub[] = {
		[MODEL_PY_SEQUENTIAL] = "sequential",
		[MODEL_PY_PROCESS] = "process",
		[MODEL_PY_THREAD] = "thread",
	};
	char rel[256], path[4096], a_w[16], a_t[32], a_s[32], a_r[16], a_wu[16];
	char *argv[32] = { (char *)interpreter(), path, "--model",
			   (char *)sub[m], "--workers", a_w, "--tasks", a_t,
			   "--size", a_s, "--repeat", a_r, "--warmup", a_wu };
	size_t argc = 14;
	struct program_out po = { 0 };
	int rc = -1;

	*n = 0;
	if (!MODEL_IS_PYTHON(m)) {
		snprintf(why, len, "python_run: bad arguments");
		return -1;
	}
	for (; extra && *extra && argc < 31; extra++)
		argv[argc++] = (char *)*extra;
	argv[argc] = NULL;
	snprintf(rel, sizeof(rel), "scenarios/python/%s", script);
	if (paths_data(rel, path, sizeof(path))) {
		snprintf(why, len, "%s: %s (set PVT_DATADIR to the folder "
			 "that holds scenarios/python/)", path,
			 strerror(errno));
		return -1;
	}
	snprintf(a_w, sizeof(a_w), "%u", workers);
	snprintf(a_t, sizeof(a_t), "%" PRIu64, tasks);
	snprintf(a_s, sizeof(a_s), "%" PRIu64, size);
	snprintf(a_r, sizeof(a_r), "%u", repeat);
	snprintf(a_wu, sizeof(a_wu), "%u", warmup);
	if (python_find(why, len))
		return -1;
	/* python3's own children (multiprocessing's) are adopted by pvt
	 * when it is killed, and reaped with it: no zombie (mpirun's are
	 * not: OpenMPI's daemons take an adoptive parent for a dead one) */
	if (worker_adopt_orphans(1) || program_run(argv, &po)) {
		snprintf(why, len, "cannot start %s: %s", argv[0],
			 strerror(errno));
		if (worker_adopt_orphans(0))
			fprintf(stderr, "pvt: prctl: %s\n", strerror(errno));
		return -1;
	}
	if (worker_adopt_orphans(0))
		fprintf(stderr, "pvt: prctl: %s\n", strerror(errno));
	if (po.stopped) {
		snprintf(why, len, "interrupted");
		goto out;
	}
	if (!WIFEXITED(po.status) || WEXITSTATUS(po.status)) {
		char last[400];

		program_last_line(po.err, last, sizeof(last));
		if (WIFSIGNALED(po.status))
			snprintf(why, len, "%s %s: killed by signal %d%s%s",
				 argv[0], script, WTERMSIG(po.status),
				 *last ? ": " : "", last);
		else
			snprintf(why, len, "%s %s exited with status %d%s%s",
				 argv[0], script, WEXITSTATUS(po.status),
				 *last ? ": " : "", last);
		goto out;
	}
	for (char *save = NULL, *line = strtok_r(po.out, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (*n >= max ||
		    parse_row(line, m, workers, tasks, size, &rows[*n])) {
			snprintf(why, len, "%s printed a row pvt cannot use: "
				 "%.200s", script, line);
			goto out;
		}
		(*n)++;
	}
	if (*n != repeat) {
		snprintf(why, len, "%s printed %zu rows, not %u", script, *n,
			 repeat);
		goto out;
	}
	rc = 0;
out:
	program_free(&po);
	return rc;
}

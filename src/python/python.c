/* python.c - run one of pvt's workloads in python3: the py-* models */
#define _GNU_SOURCE
#include "python/python.h"
#include "engine/paths.h"

#include "engine/child.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define OUT_MAX (1 << 20)	/* more than any honest output */

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

/* Appends what fd has to *buf; returns 0 at EOF, 1 for more, -1 on
 * error. */
static int drain(int fd, char *buf, size_t *used)
{
	char tmp[4096];
	ssize_t r = read(fd, tmp, sizeof(tmp));

	if (r < 0)
		return errno == EINTR ? 1 : -1;
	if (r == 0)
		return 0;
	if (*used + (size_t)r < OUT_MAX) {
		memcpy(buf + *used, tmp, (size_t)r);
		*used += (size_t)r;
		buf[*used] = 0;
	}
	return 1;
}

static void last_line(const char *s, char *why, size_t len)
{
	const char *end = s + strlen(s), *start;

	while (end > s && (end[-1] == '\n' || end[-1] == ' '))
		end--;
	start = end;
	while (start > s && start[-1] != '\n')
		start--;
	snprintf(why, len, "%.*s", (int)(end - start), start);
}

static int parse_row(char *line, enum model m, unsigned workers,
		     uint64_t tasks, uint64_t size, struct py_row *row)
{
	char *f[13 + PY_MAX_FIGS], *end;
	int n = 0;

	/* strsep, not strtok: an empty figure is a field of its own */
	for (char *tok; n < 13 + PY_MAX_FIGS && (tok = strsep(&line, ","));)
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
	row->nfig = (size_t)n - 13;
	for (size_t i = 0; i < row->nfig; i++) {
		const char *v = f[13 + i];

		row->fig[i] = *v ? strtod(v, &end) : NAN;
		if (*v && *end)
			return -1;
	}
	return 0;
}

static int spawn(char **argv, int out[2], int err[2], pid_t *pid)
{
	*pid = child_fork(SIGKILL);
	if (*pid < 0)
		return -1;
	if (*pid == 0) {
		setpgid(0, 0);
		dup2(out[1], STDOUT_FILENO);
		dup2(err[1], STDERR_FILENO);
		close(out[0]);
		close(out[1]);
		close(err[0]);
		close(err[1]);
		execvp(argv[0], argv);
		fprintf(stderr, "pvt: %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	setpgid(*pid, *pid);	/* either of the two calls wins the race */
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
	char *out = malloc(OUT_MAX + 1), *err = malloc(OUT_MAX + 1);
	size_t out_n = 0, err_n = 0;
	int po[2] = { -1, -1 }, pe[2] = { -1, -1 }, status = 0, rc = -1;
	pid_t pid = -1;

	*n = 0;
	if (!MODEL_IS_PYTHON(m) || !out || !err) {
		snprintf(why, len, "python_run: bad arguments");
		goto out;
	}
	out[0] = err[0] = 0;
	for (; extra && *extra && argc < 31; extra++)
		argv[argc++] = (char *)*extra;
	argv[argc] = NULL;
	snprintf(rel, sizeof(rel), "scenarios/python/%s", script);
	if (paths_data(rel, path, sizeof(path))) {
		snprintf(why, len, "%s: %s (set PVT_DATADIR to the folder "
			 "that holds scenarios/python/)", path,
			 strerror(errno));
		goto out;
	}
	snprintf(a_w, sizeof(a_w), "%u", workers);
	snprintf(a_t, sizeof(a_t), "%" PRIu64, tasks);
	snprintf(a_s, sizeof(a_s), "%" PRIu64, size);
	snprintf(a_r, sizeof(a_r), "%u", repeat);
	snprintf(a_wu, sizeof(a_wu), "%u", warmup);
	if (python_find(why, len))
		goto out;
	if (pipe2(po, O_CLOEXEC) || pipe2(pe, O_CLOEXEC) ||
	    spawn(argv, po, pe, &pid)) {
		snprintf(why, len, "cannot start %s: %s", argv[0],
			 strerror(errno));
		goto out;
	}
	close(po[1]);
	close(pe[1]);
	po[1] = pe[1] = -1;

	struct pollfd pfd[2] = { { po[0], POLLIN, 0 }, { pe[0], POLLIN, 0 } };
	int open_fds = 2;

	while (open_fds) {
		if (workers_stopped()) {
			kill(-pid, SIGKILL);
			break;
		}
		if (poll(pfd, 2, 200) < 0 && errno != EINTR)
			break;
		for (int i = 0; i < 2; i++) {
			if (pfd[i].fd < 0 || !pfd[i].revents)
				continue;
			if (drain(pfd[i].fd, i ? err : out, i ? &err_n : &out_n)
			    <= 0) {
				pfd[i].fd = -1;
				open_fds--;
			}
		}
	}
	kill(-pid, SIGKILL);	/* nothing of it outlives the run */
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (workers_stopped()) {
		snprintf(why, len, "interrupted");
		goto out;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		char last[400];

		last_line(err, last, sizeof(last));
		if (WIFSIGNALED(status))
			snprintf(why, len, "%s %s: killed by signal %d%s%s",
				 argv[0], script, WTERMSIG(status),
				 *last ? ": " : "", last);
		else
			snprintf(why, len, "%s %s exited with status %d%s%s",
				 argv[0], script, WEXITSTATUS(status),
				 *last ? ": " : "", last);
		goto out;
	}
	for (char *save = NULL, *line = strtok_r(out, "\n", &save); line;
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
	for (int i = 0; i < 2; i++) {
		if (po[i] >= 0)
			close(po[i]);
		if (pe[i] >= 0)
			close(pe[i]);
	}
	free(out);
	free(err);
	return rc;
}

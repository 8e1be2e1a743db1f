/* python.c - run pvt's Python programs: the py-* models and mechanisms */
#define _GNU_SOURCE
#include "python/python.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "engine/child.h"
#include "engine/paths.h"
#include "engine/program.h"
#include "face/scenario.h"
#include "measure/measure.h"
#include "output/csv.h"

#define ERR_MAX (64 << 10)	/* stderr kept: its last line is the reason */
#define LINE_MAX_PY (64 << 10)	/* a longer stdout line is an error */
#define PROBE_S 10.0

/* What the interpreter is asked: one line any Python answers, 2 or 3. */
static const char probe_code[] =
	"import sys, platform, sysconfig\n"
	"g = getattr(sys, '_is_gil_enabled', None)\n"
	"ft = sysconfig.get_config_var('Py_GIL_DISABLED')\n"
	"sys.stdout.write('pvt-python %d %d %d %s %s %d\\n' % ("
	"sys.version_info[0], sys.version_info[1], sys.version_info[2], "
	"platform.python_implementation(), "
	"'none' if g is None else str(int(bool(g()))), int(bool(ft))))\n";

static struct py_interp chosen;
static int state;		/* 0 not tried, 1 chosen, -1/-2 refused */
static char refused[512];	/* why, when state < 0 */
static int refused_errno;	/* python_select's errno, when state < 0 */
static double limit_s = PYTHON_TIMEOUT_S;

struct py_proc {
	pid_t pid;
	int in, out, err;	/* our ends; -1 once closed */
	char *obuf;		/* stdout not yet returned as lines */
	size_t o_n;
	char *ebuf;		/* the last ERR_MAX bytes of stderr */
	size_t e_n;
	double started, deadline;	/* CLOCK_MONOTONIC */
	int timed_out, stopped, reaped, status;
	char name[128];		/* the script, for messages */
};

static void nap_ms(long ms)
{
	struct timespec ts = { 0, ms * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* ---- processes ----------------------------------------------------------- */

static int child_exec(char **argv, int in[2], int out[2], int err[2])
{
	struct rlimit none = { 0, 0 };

	setpgid(0, 0);		/* the parent's own call may win */
	if (dup2(in[0], STDIN_FILENO) < 0 || dup2(out[1], STDOUT_FILENO) < 0 ||
	    dup2(err[1], STDERR_FILENO) < 0)
		_exit(127);
	if (setrlimit(RLIMIT_CORE, &none))	/* a segfault leaves no core */
		dprintf(STDERR_FILENO, "pvt: setrlimit RLIMIT_CORE: %s\n",
			strerror(errno));
	execv(argv[0], argv);
	dprintf(STDERR_FILENO, "pvt: exec %s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

/* Starts argv (argv[0] a path) with three pipes; the program may run
 * until timeout_s from now. Returns 0, or -1 with errno set and the
 * reason in why. */
static int proc_start(char **argv, double timeout_s, struct py_proc **pp,
		      char *why, size_t len)
{
	int in[2] = { -1, -1 }, out[2] = { -1, -1 }, err[2] = { -1, -1 }, e;
	struct py_proc *p = calloc(1, sizeof(*p));

	*pp = NULL;
	if (!p || !(p->obuf = malloc(LINE_MAX_PY + 1)) ||
	    !(p->ebuf = malloc(ERR_MAX + 1))) {
		snprintf(why, len, "out of memory");
		goto fail;
	}
	p->obuf[0] = p->ebuf[0] = 0;
	if (pipe2(in, O_CLOEXEC) || pipe2(out, O_CLOEXEC) ||
	    pipe2(err, O_CLOEXEC)) {
		snprintf(why, len, "pipe: %s", strerror(errno));
		goto fail;
	}
	/* python3's own children (multiprocessing's) are adopted by pvt
	 * when it is killed, and reaped with it: no zombie */
	if (worker_adopt_orphans(1)) {
		snprintf(why, len, "prctl: %s", strerror(errno));
		goto fail;
	}
	p->pid = child_fork(SIGKILL);	/* dies with pvt */
	if (p->pid < 0) {
		snprintf(why, len, "fork: %s", strerror(errno));
		goto fail;
	}
	if (p->pid == 0)
		child_exec(argv, in, out, err);
	setpgid(p->pid, p->pid);	/* either of the two calls wins */
	close(in[0]);
	close(out[1]);
	close(err[1]);
	p->in = in[1];
	p->out = out[0];
	p->err = err[0];
	/* a program that stops reading its stdin must not kill pvt */
	signal(SIGPIPE, SIG_IGN);
	p->started = measure_now();
	p->deadline = p->started + timeout_s;
	/* python_open names the script instead */
	snprintf(p->name, sizeof(p->name), "%.127s", argv[0]);
	*pp = p;
	return 0;
fail:
	e = errno;
	for (int i = 0; i < 2; i++) {
		if (in[i] >= 0)
			close(in[i]);
		if (out[i] >= 0)
			close(out[i]);
		if (err[i] >= 0)
			close(err[i]);
	}
	if (p) {
		free(p->obuf);
		free(p->ebuf);
	}
	free(p);
	errno = e;
	return -1;
}

static void proc_kill(struct py_proc *p)
{
	kill(-p->pid, SIGKILL);
	kill(p->pid, SIGKILL);
}

/* Keeps the last ERR_MAX bytes of what the program wrote on stderr. */
static int drain_err(struct py_proc *p)
{
	char tmp[4096];
	ssize_t r = read(p->err, tmp, sizeof(tmp));

	if (r < 0)
		return errno == EINTR || errno == EAGAIN ? 1 : -1;
	if (r == 0)
		return 0;
	if (p->e_n + (size_t)r > ERR_MAX) {
		size_t drop = p->e_n + (size_t)r - ERR_MAX;

		drop = drop > p->e_n ? p->e_n : drop;
		memmove(p->ebuf, p->ebuf + drop, p->e_n - drop);
		p->e_n -= drop;
	}
	if ((size_t)r > ERR_MAX)
		r = ERR_MAX;
	memcpy(p->ebuf + p->e_n, tmp, (size_t)r);
	p->e_n += (size_t)r;
	p->ebuf[p->e_n] = 0;
	return 1;
}

static int drain_out(struct py_proc *p)
{
	ssize_t r;

	if (p->o_n >= LINE_MAX_PY)
		return -1;	/* a line longer than any of ours */
	r = read(p->out, p->obuf + p->o_n, LINE_MAX_PY - p->o_n);
	if (r < 0)
		return errno == EINTR || errno == EAGAIN ? 1 : -1;
	if (r == 0)
		return 0;
	p->o_n += (size_t)r;
	p->obuf[p->o_n] = 0;
	return 1;
}

/* One round of waiting, at most ms: reads what stdout and stderr have.
 * Returns 0, or -1 with errno EINTR when the run was stopped or
 * ETIMEDOUT when the program's time is up (its group is then killed). */
static int pump_once(struct py_proc *p, int ms)
{
	struct pollfd pfd[2] = { { p->out, POLLIN, 0 }, { p->err, POLLIN, 0 } };
	double left = p->deadline - measure_now();

	if (workers_stopped()) {
		p->stopped = 1;
		proc_kill(p);
		errno = EINTR;
		return -1;
	}
	if (left <= 0) {
		p->timed_out = 1;
		proc_kill(p);
		errno = ETIMEDOUT;
		return -1;
	}
	if (left * 1e3 < ms)
		ms = (int)(left * 1e3) + 1;
	if (p->out < 0 && p->err < 0) {
		nap_ms(ms < 2 ? ms : 2);
		return 0;
	}
	if (poll(pfd, 2, ms) < 0 && errno != EINTR)
		return 0;
	if (p->out >= 0 && pfd[0].revents && drain_out(p) <= 0) {
		close(p->out);
		p->out = -1;
	}
	if (p->err >= 0 && pfd[1].revents && drain_err(p) <= 0) {
		close(p->err);
		p->err = -1;
	}
	return 0;
}

int python_line(struct py_proc *p, char *buf, size_t len)
{
	char *nl;
	size_t n;

	while (p->out >= 0 && !memchr(p->obuf, '\n', p->o_n))
		if (pump_once(p, 200))
			return -1;
	nl = memchr(p->obuf, '\n', p->o_n);
	if (!nl && !p->o_n)
		return 0;
	n = nl ? (size_t)(nl - p->obuf) : p->o_n;	/* the last, unended */
	snprintf(buf, len, "%.*s", (int)n, p->obuf);
	n += nl ? 1 : 0;
	memmove(p->obuf, p->obuf + n, p->o_n - n);
	p->o_n -= n;
	p->obuf[p->o_n] = 0;
	return 1;
}

void python_limit(struct py_proc *p, double s)
{
	double until = measure_now() + s;

	if (until < p->deadline)
		p->deadline = until;
}

int python_send(struct py_proc *p, const char *line)
{
	size_t n = strlen(line);
	char *s = malloc(n + 2);
	int rc = 0;

	if (!s || p->in < 0) {
		if (s)
			errno = EBADF;
		rc = -1;
	} else {
		memcpy(s, line, n);
		s[n] = '\n';
		for (size_t off = 0; off <= n && !rc;) {
			ssize_t w = write(p->in, s + off, n + 1 - off);

			if (w < 0 && errno != EINTR)
				rc = -1;
			else if (w > 0)
				off += (size_t)w;
		}
	}
	free(s);
	return rc;
}

/* Whether a process of group pgid is still running (zombies, dead and
 * waiting for their parent to reap them, do not count). */
static int group_alive(pid_t pgid)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	int alive = 0;

	if (!d)
		return kill(-pgid, 0) == 0;
	while (!alive && (e = readdir(d))) {
		char path[300], buf[512], state;
		const char *close_paren;
		long pgrp;
		FILE *f;

		if (e->d_name[0] < '0' || e->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/stat", e->d_name);
		if (!(f = fopen(path, "r")))
			continue;
		if (fgets(buf, sizeof(buf), f) &&
		    (close_paren = strrchr(buf, ')')) &&
		    sscanf(close_paren + 1, " %c %*d %ld", &state, &pgrp) == 2)
			alive = pgrp == pgid && state != 'Z' && state != 'X';
		fclose(f);
	}
	closedir(d);
	return alive;
}

/* Lets the program end (until its deadline), reading what it still
 * writes; reaps it and kills what is left of its group. A process it
 * left behind holding its stdout gets a second after the program
 * itself has ended. */
static void proc_reap(struct py_proc *p)
{
	double grace = 0;

	while (!p->reaped || p->out >= 0 || p->err >= 0) {
		if (!p->reaped) {
			pid_t r = waitpid(p->pid, &p->status, WNOHANG);

			if (r == p->pid || (r < 0 && errno != EINTR)) {
				p->reaped = 1;
				grace = measure_now() + 1;
			}
		}
		if (p->reaped && measure_now() > grace)
			break;
		if (pump_once(p, 20))
			break;
	}
	proc_kill(p);		/* nothing of it outlives the run */
	while (!p->reaped) {
		if (waitpid(p->pid, &p->status, 0) == p->pid || errno != EINTR)
			p->reaped = 1;
	}
	/* the rest of its group (a pool's workers, adopted by pvt) dead
	 * and reaped before pvt goes on, at most a second */
	for (int i = 0; i < 200 && group_alive(p->pid); i++) {
		kill(-p->pid, SIGKILL);
		nap_ms(5);
	}
	worker_reap_group(p->pid);
	if (worker_adopt_orphans(0))
		fprintf(stderr, "pvt: prctl: %s\n", strerror(errno));
}

int python_close(struct py_proc *p, int *sig, char *why, size_t len)
{
	char last[400];
	int rc = -1, e = EIO;

	if (sig)
		*sig = 0;
	if (p->in >= 0)
		close(p->in);
	p->in = -1;
	proc_reap(p);
	program_last_line(p->ebuf, last, sizeof(last));
	if (p->stopped) {
		e = EINTR;
		snprintf(why, len, "interrupted");
	} else if (p->timed_out) {
		e = ETIMEDOUT;
		snprintf(why, len, "%s: still running after %.0f s: ended%s%s",
			 p->name, p->deadline - p->started,
			 *last ? "; its last words: " : "",
			 last);
	} else if (WIFSIGNALED(p->status)) {
		if (sig)
			*sig = WTERMSIG(p->status);
		snprintf(why, len, "%s: killed by SIG%s%s%s", p->name,
			 sigabbrev_np(WTERMSIG(p->status)) ?
			 sigabbrev_np(WTERMSIG(p->status)) : "?",
			 *last ? ": " : "", last);
	} else if (WEXITSTATUS(p->status)) {
		snprintf(why, len, "%s exited with status %d%s%s", p->name,
			 WEXITSTATUS(p->status), *last ? ": " : "", last);
	} else {
		rc = 0;
	}
	if (p->out >= 0)
		close(p->out);
	if (p->err >= 0)
		close(p->err);
	free(p->obuf);
	free(p->ebuf);
	free(p);
	if (rc)
		errno = e;
	return rc;
}

/* ---- the interpreter ----------------------------------------------------- */

/* Finds name on PATH (or checks it, with a slash) into buf. Returns 0,
 * or -1 with errno set and the reason in why. */
static int locate(const char *name, char *buf, size_t blen, char *why,
		  size_t len)
{
	const char *path = getenv("PATH");
	struct stat sb;

	if (strchr(name, '/')) {
		snprintf(buf, blen, "%s", name);
		if (stat(name, &sb)) {
			snprintf(why, len, "%.300s: %s", name, strerror(errno));
			return -1;
		}
		if (S_ISDIR(sb.st_mode) || access(name, X_OK)) {
			snprintf(why, len, "%.300s: not an executable file", name);
			errno = EACCES;
			return -1;
		}
		return 0;
	}
	while (path && *path) {
		size_t n = strcspn(path, ":");

		snprintf(buf, blen, "%.*s/%s", (int)n, path, name);
		if (n && !stat(buf, &sb) && !S_ISDIR(sb.st_mode) &&
		    access(buf, X_OK) == 0)
			return 0;
		path += n + (path[n] == ':');
	}
	snprintf(why, len, "%.300s not found in PATH", name);
	errno = ENOENT;
	return -1;
}

/* Asks the interpreter at chosen.path what it is. Returns 0, or -1 with
 * errno ENOEXEC when its answer is not a usable Python's, another errno
 * when it could not be asked (no pipe or process to spare; EINTR: the
 * run stopped). */
static int probe(char *why, size_t len)
{
	char *argv[] = { chosen.path, "-c", (char *)probe_code, NULL };
	char line[512] = "", err[400], impl[32], gil[8];
	struct py_proc *p;
	int ft = 0, got = 0, bad;

	if (proc_start(argv, PROBE_S, &p, why, len)) {
		snprintf(err, sizeof(err), "%s", why);
		snprintf(why, len, "cannot ask %.200s what it is: %.100s",
			 chosen.path, err);
		return -1;	/* proc_start's errno */
	}
	if (python_line(p, line, sizeof(line)) > 0)
		got = sscanf(line, "pvt-python %d %d %31s %31s %7s %d",
			     &chosen.major, &chosen.minor, chosen.version,
			     impl, gil, &ft);
	bad = python_close(p, NULL, err, sizeof(err));
	if (bad && workers_stopped()) {
		snprintf(why, len, "interrupted");
		errno = EINTR;
		return -1;
	}
	if (bad || got != 6) {
		snprintf(why, len, "%.300s does not answer as Python 3 does%s%.100s",
			 chosen.path, *line ? " (it printed: " : "",
			 *line ? line : "");
		if (*line)
			snprintf(why + strlen(why), len - strlen(why), ")");
		errno = ENOEXEC;
		return -1;
	}
	/* "3 11 7": the third number was read as the version text */
	snprintf(line, sizeof(line), "%d.%d.%s", chosen.major, chosen.minor,
		 chosen.version);
	snprintf(chosen.version, sizeof(chosen.version), "%.*s",
		 (int)sizeof(chosen.version) - 1, line);
	snprintf(chosen.impl, sizeof(chosen.impl), "%s", impl);
	chosen.gil_known = strcmp(gil, "none") != 0;
	chosen.gil = !chosen.gil_known || strcmp(gil, "0") != 0;
	chosen.free_threaded = ft;
	if (chosen.major != PYTHON_MIN_MAJOR ||
	    chosen.minor < PYTHON_MIN_MINOR) {
		snprintf(why, len, "%.300s is Python %s; pvt's programs need "
			 "Python %d.%d or later", chosen.path, chosen.version,
			 PYTHON_MIN_MAJOR, PYTHON_MIN_MINOR);
		errno = ENOEXEC;
		return -1;
	}
	return 0;
}

int python_select(const char *path, double timeout_s, char *why, size_t len)
{
	const char *env = getenv("PVT_PYTHON");
	const char *name = path ? path : env && *env ? env : "python3";
	int named = path || (env && *env);
	char reason[400];

	if (timeout_s > 0)
		limit_s = timeout_s;
	memset(&chosen, 0, sizeof(chosen));
	state = named ? -2 : -1;
	if (locate(name, chosen.path, sizeof(chosen.path), reason,
		   sizeof(reason)) == 0) {
		/* it is there: a wrong answer is its own fault */
		state = probe(reason, sizeof(reason)) == 0 ? 1 :
			errno == ENOEXEC ? -2 : -1;
	}
	if (state == 1)
		return 0;
	/* -2: the user's to mend; -1: no python3 here, or no way to ask */
	refused_errno = state == -2 ? EINVAL : errno;
	snprintf(refused, sizeof(refused), "%s%s", reason,
		 !path && named ? " (from PVT_PYTHON)" : "");
	snprintf(why, len, "%s", refused);
	errno = refused_errno;
	return -1;
}

void python_timeout(double timeout_s)
{
	limit_s = timeout_s > 0 ? timeout_s : PYTHON_TIMEOUT_S;
}

const struct py_interp *python_interp(void)
{
	return state == 1 ? &chosen : NULL;
}

int python_no_gil(void)
{
	return state == 1 && !chosen.gil;
}

int python_find(char *why, size_t len)
{
	if (state == 0)
		python_select(NULL, 0, why, len);
	if (state == 1)
		return 0;
	snprintf(why, len, "%s", refused);
	errno = refused_errno;
	return -1;
}

void python_describe(char *buf, size_t len)
{
	if (state != 1) {
		snprintf(buf, len, "no Python");
		return;
	}
	snprintf(buf, len, "%s (%s %s, %s)", chosen.path, chosen.impl,
		 chosen.version, chosen.gil ? "with a GIL" :
		 "free-threaded: no GIL");
}

void python_meta(struct csv *c)
{
	if (state != 1)
		return;
	csv_meta(c, "python", "%s", chosen.path);
	csv_meta(c, "python_version", "%s", chosen.version);
	csv_meta(c, "python_implementation", "%s", chosen.impl);
	csv_meta(c, "python_gil", "%s%s", chosen.gil ? "enabled" : "disabled",
		 chosen.gil_known ? " (sys._is_gil_enabled())" :
		 " (no sys._is_gil_enabled: a GIL always)");
	csv_meta(c, "python_free_threaded_build", "%s",
		 chosen.free_threaded ? "yes" : "no");
}

int python_open(const char *script, const char *const *args,
		struct py_proc **pp, char *why, size_t len)
{
	char rel[256], path[4096], *argv[64];
	size_t argc = 0;

	*pp = NULL;
	if (python_find(why, len))
		return -1;
	snprintf(rel, sizeof(rel), "scenarios/python/%s", script);
	if (paths_data(rel, path, sizeof(path))) {
		snprintf(why, len, "%.300s: %s (set PVT_DATADIR to the folder "
			 "that holds scenarios/python/)", path, strerror(errno));
		return -1;
	}
	argv[argc++] = chosen.path;
	argv[argc++] = path;
	for (; args && *args && argc < 63; args++)
		argv[argc++] = (char *)*args;
	argv[argc] = NULL;
	if (proc_start(argv, limit_s, pp, why, len))
		return -1;
	snprintf((*pp)->name, sizeof((*pp)->name), "%s", script);
	return 0;
}

/* ---- a workload's rows ------------------------------------------------- */

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
	char a_w[16], a_t[32], a_s[32], a_r[16], a_wu[16], line[1024];
	const char *argv[48] = { "--model", sub[m], "--workers", a_w,
				 "--tasks", a_t, "--size", a_s, "--repeat",
				 a_r, "--warmup", a_wu };
	size_t argc = 12;
	struct py_proc *p;
	int bad = 0, r;

	*n = 0;
	if (!MODEL_IS_PYTHON(m)) {
		snprintf(why, len, "python_run: bad arguments");
		errno = EINVAL;
		return -1;
	}
	for (; extra && *extra && argc < 47; extra++)
		argv[argc++] = *extra;
	argv[argc] = NULL;
	snprintf(a_w, sizeof(a_w), "%u", workers);
	snprintf(a_t, sizeof(a_t), "%" PRIu64, tasks);
	snprintf(a_s, sizeof(a_s), "%" PRIu64, size);
	snprintf(a_r, sizeof(a_r), "%u", repeat);
	snprintf(a_wu, sizeof(a_wu), "%u", warmup);
	if (python_open(script, argv, &p, why, len))
		return -1;
	while (!bad && (r = python_line(p, line, sizeof(line))) > 0) {
		if (*n >= max ||
		    parse_row(line, m, workers, tasks, size, &rows[*n])) {
			snprintf(why, len, "%s printed a row pvt cannot use: "
				 "%.200s", script, line);
			bad = 1;
			break;
		}
		(*n)++;
	}
	r = python_close(p, NULL, bad ? line : why, bad ? sizeof(line) : len);
	if (bad)
		errno = EPROTO;
	if (r || bad)
		return -1;
	if (*n != repeat) {
		snprintf(why, len, "%s printed %zu rows, not %u", script, *n,
			 repeat);
		errno = EPROTO;
		return -1;
	}
	return 0;
}

int python_field(const char *line, const char *key, double *v)
{
	size_t klen = strlen(key);
	const char *p;
	char *end;

	if (strncmp(line, "row ", 4))
		goto no;
	for (p = line + 3; (p = strchr(p, ' ')); p++) {
		if (strncmp(p + 1, key, klen) || p[1 + klen] != '=')
			continue;
		errno = 0;
		*v = strtod(p + 2 + klen, &end);
		if (errno || end == p + 2 + klen || (*end && *end != ' ') ||
		    !isfinite(*v))
			goto no;
		return 0;
	}
no:
	errno = EINVAL;
	return -1;
}

const char *const python_start_methods[PYTHON_START_METHODS] = {
	"fork", "forkserver", "spawn",
};

void python_methods(const struct param_value *v,
		    int want[PYTHON_START_METHODS])
{
	memset(want, 0, PYTHON_START_METHODS * sizeof(*want));
	for (size_t i = 0; i < v->n; i++)
		if (v->list[i] < PYTHON_START_METHODS)
			want[v->list[i]] = 1;
}

int python_end_batch(struct py_proc *p, int bad, const char *script,
		     unsigned got, unsigned want, char *why, size_t len)
{
	char ignored[256];
	int rc = python_close(p, NULL, bad ? ignored : why,
			      bad ? sizeof(ignored) : len);

	if (bad)
		errno = EPROTO;
	if (rc || bad)
		return -1;
	if (got == want)
		return 0;
	snprintf(why, len, "%s printed %u rows, not %u", script, got, want);
	errno = EPROTO;
	return -1;
}

/* runner.c - pvt live's runs: a queue, one at a time, nothing left behind
 *
 * A run is the scenario's own binary, started with posix_spawn (no shell)
 * in a process group of its own, its output in a fresh folder, its events
 * on a pipe (output/events.h). pvt-live is a child subreaper, so whatever
 * the run leaves behind (a worker, python3's children) comes back to it:
 * when the run ends, its group and every remaining child are killed and
 * reaped. Only the main thread starts, stops and reaps; the HTTP threads
 * queue and flag, and wake it through a pipe.
 */
#define _GNU_SOURCE
#include "live/live.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <math.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "engine/paths.h"
#include "measure/sysinfo.h"
#include "output/csv.h"
#include "output/events.h"

#define LINE_MAX_BYTES (1u << 20)	/* one event from the run */
#define TAIL_BYTES 6144			/* of its narration, for the page */
#define MAX_TABLE_ROWS 256		/* of a CSV file, for the page */

extern char **environ;

static struct {
	pthread_mutex_t lock;		/* the fields up to running */
	struct job *queue[LIVE_QUEUE_MAX];
	size_t nqueue;
	struct job *running;
	unsigned last_id;
	int wake_rd, wake_wr;		/* a byte: the queue or a flag moved */
} rn = { .lock = PTHREAD_MUTEX_INITIALIZER, .wake_rd = -1, .wake_wr = -1 };

/* The run in progress; the main thread's alone. */
struct child {
	struct job *job;
	pid_t pid;			/* leader of its group; -1: none */
	int events;			/* the pipe's end; -1 once closed */
	char dir[4096];			/* its --out */
	double t0, t_term, t_end;	/* started, SIGTERM sent, reaped */
	const char *why;		/* "stopped", "over budget",
					 * "interrupted", or NULL */
	int status;			/* as waitpid gives it */
	char *line;			/* an event being read */
	size_t line_len;
	int line_skip;			/* the event is too long: skip it */
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void wake(void)
{
	ssize_t n = write(rn.wake_wr, "", 1);

	(void)n;	/* a full pipe already holds a wake-up */
}

int runner_init(void)
{
	int p[2];

	if (pipe2(p, O_CLOEXEC | O_NONBLOCK)) {
		fprintf(stderr, "pvt: live: pipe2: %s\n", strerror(errno));
		return -1;
	}
	rn.wake_rd = p[0];
	rn.wake_wr = p[1];
	/* orphans of a run (workers, python3's children) come back here */
	if (prctl(PR_SET_CHILD_SUBREAPER, 1)) {
		fprintf(stderr, "pvt: live: prctl(PR_SET_CHILD_SUBREAPER): "
			"%s\n", strerror(errno));
		return -1;
	}
	return 0;
}

void runner_fini(void)
{
	for (size_t i = 0; i < rn.nqueue; i++) {
		job_free(rn.queue[i]);
		free(rn.queue[i]);
	}
	rn.nqueue = 0;
	if (rn.wake_rd >= 0) {
		close(rn.wake_rd);
		close(rn.wake_wr);
	}
}

/* ---- the queue, from any thread ----------------------------------------- */

char *runner_state(void)
{
	char *s = NULL;
	size_t len;
	FILE *f = open_memstream(&s, &len);

	if (!f)
		return NULL;
	pthread_mutex_lock(&rn.lock);
	fputs("{\"t\":\"state\",\"running\":", f);
	if (rn.running)
		job_json(f, rn.running);
	else
		fputs("null", f);
	fputs(",\"queue\":[", f);
	for (size_t i = 0; i < rn.nqueue; i++) {
		fputs(i ? "," : "", f);
		job_json(f, rn.queue[i]);
	}
	fprintf(f, "],\"queue_max\":%d}", LIVE_QUEUE_MAX);
	pthread_mutex_unlock(&rn.lock);
	if (fclose(f)) {
		free(s);
		return NULL;
	}
	return s;
}

static void publish_state(void)
{
	char *s = runner_state();

	if (s)
		hub_set_state(s);
	free(s);
}

int runner_submit(struct job *job, unsigned *id, unsigned *position)
{
	pthread_mutex_lock(&rn.lock);
	if (rn.nqueue == LIVE_QUEUE_MAX) {
		pthread_mutex_unlock(&rn.lock);
		errno = EAGAIN;
		return -1;
	}
	*id = job->id = ++rn.last_id;
	rn.queue[rn.nqueue++] = job;
	*position = (unsigned)rn.nqueue - (rn.running ? 0 : 1);
	pthread_mutex_unlock(&rn.lock);
	publish_state();
	wake();
	return 0;
}

int runner_stop(unsigned id)
{
	struct job *gone = NULL;
	int rc = -1;

	pthread_mutex_lock(&rn.lock);
	if (rn.running && rn.running->id == id) {
		rn.running->stop = 1;
		rc = 0;
	}
	for (size_t i = 0; rc && i < rn.nqueue; i++) {
		if (rn.queue[i]->id != id)
			continue;
		gone = rn.queue[i];
		memmove(rn.queue + i, rn.queue + i + 1,
			(rn.nqueue - i - 1) * sizeof(*rn.queue));
		rn.nqueue--;
		rc = 0;
	}
	pthread_mutex_unlock(&rn.lock);
	if (gone) {
		job_free(gone);
		free(gone);
	}
	if (!rc) {
		publish_state();
		wake();
	} else {
		errno = ESRCH;
	}
	return rc;
}

/* ---- starting a run ------------------------------------------------------ */

/* The environment of the run: pvt-live's, with the events descriptor. */
static char **run_environ(char *fd_var)
{
	size_t n = 0, k = 0;
	char **env;

	while (environ[n])
		n++;
	env = calloc(n + 2, sizeof(*env));
	if (!env)
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (strncmp(environ[i], EVENTS_ENV "=", strlen(EVENTS_ENV) + 1))
			env[k++] = environ[i];
	env[k] = fd_var;
	return env;
}

static int spawn_attrs(posix_spawnattr_t *a, posix_spawn_file_actions_t *fa,
		       const char *dir, int events_fd)
{
	char out[4200], err[4200];
	sigset_t none, dflt;
	int rc;

	snprintf(out, sizeof(out), "%s/live.stdout", dir);
	snprintf(err, sizeof(err), "%s/live.stderr", dir);
	sigemptyset(&none);
	sigemptyset(&dflt);
	sigaddset(&dflt, SIGINT);
	sigaddset(&dflt, SIGTERM);
	sigaddset(&dflt, SIGHUP);
	sigaddset(&dflt, SIGPIPE);
	if ((rc = posix_spawnattr_setflags(a, POSIX_SPAWN_SETPGROUP |
					  POSIX_SPAWN_SETSIGMASK |
					  POSIX_SPAWN_SETSIGDEF)) ||
	    (rc = posix_spawnattr_setpgroup(a, 0)) ||
	    (rc = posix_spawnattr_setsigmask(a, &none)) ||
	    (rc = posix_spawnattr_setsigdefault(a, &dflt)) ||
	    (rc = posix_spawn_file_actions_addopen(fa, 0, "/dev/null",
						   O_RDONLY, 0)) ||
	    (rc = posix_spawn_file_actions_addopen(fa, 1, out, O_WRONLY |
						   O_CREAT | O_TRUNC, 0644)) ||
	    (rc = posix_spawn_file_actions_addopen(fa, 2, err, O_WRONLY |
						   O_CREAT | O_TRUNC, 0644)) ||
	    (rc = posix_spawn_file_actions_adddup2(fa, events_fd, 3)) ||
	    (rc = posix_spawn_file_actions_addclosefrom_np(fa, 4)))
		return rc;
	return 0;
}

/* Starts c->job. Returns 0, or -1 with errno set and the reason in
 * why. */
static int spawn_run(struct child *c, char *why, size_t len)
{
	const struct job *job = c->job;
	char path[4200], fd_var[] = EVENTS_ENV "=3";
	char *argv[LIVE_MAX_ARGS + 8], **env = NULL;
	const char *tmp = getenv("TMPDIR");
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t a;
	int p[2] = { -1, -1 }, n = 0, rc;

	if (paths_program(job->sc->name, path, sizeof(path))) {
		snprintf(why, len, "%s: %s (it is built next to pvt-live)",
			 job->sc->name, strerror(errno));
		return -1;
	}
	snprintf(c->dir, sizeof(c->dir), "%s/pvt-live.XXXXXX",
		 tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(c->dir)) {
		snprintf(why, len, "mkdtemp %s: %s", c->dir, strerror(errno));
		c->dir[0] = 0;
		return -1;
	}
	argv[n++] = path;
	for (int i = 0; i < job->argc; i++)
		argv[n++] = job->argv[i];
	argv[n++] = "--out";
	argv[n++] = c->dir;
	if (job->sc->uses & USE_TIMELINE)
		argv[n++] = "--timeline";
	argv[n] = NULL;
	if (pipe2(p, O_CLOEXEC)) {
		snprintf(why, len, "pipe2: %s", strerror(errno));
		return -1;
	}
	env = run_environ(fd_var);
	if ((rc = posix_spawnattr_init(&a)))
		goto out_pipe;
	if ((rc = posix_spawn_file_actions_init(&fa)))
		goto out_attr;
	rc = env ? spawn_attrs(&a, &fa, c->dir, p[1]) : ENOMEM;
	if (!rc)
		rc = posix_spawn(&c->pid, path, &fa, &a, argv, env);
	posix_spawn_file_actions_destroy(&fa);
out_attr:
	posix_spawnattr_destroy(&a);
out_pipe:
	free(env);
	close(p[1]);
	if (rc) {
		close(p[0]);
		c->pid = -1;
		snprintf(why, len, "posix_spawn %s: %s", path, strerror(rc));
		errno = rc;
		return -1;
	}
	fcntl(p[0], F_SETFL, O_NONBLOCK);
	c->events = p[0];
	c->t0 = now_s();
	return 0;
}

static void post_start(const struct job *job)
{
	char *s = NULL;
	size_t len;
	FILE *f = open_memstream(&s, &len);

	if (!f)
		return;
	fputs("{\"t\":\"start\",\"job\":", f);
	job_json(f, job);
	fprintf(f, ",\"budget_s\":%g,\"cores\":%ld}", LIVE_BUDGET_S,
		sysinfo_cores());
	if (!fclose(f))
		hub_post(s, len);
	free(s);
}

/* ---- reading its events -------------------------------------------------- */

/* Passes on the run's own events (progress, runs); anything else on the
 * pipe is dropped. */
static void pass_line(const char *line, size_t len)
{
	static const char *const kinds[] = { "{\"t\":\"progress\",",
					     "{\"t\":\"run\"," };

	if (len < 2 || line[len - 1] != '}')
		return;
	for (size_t i = 0; i < 2; i++)
		if (!strncmp(line, kinds[i], strlen(kinds[i]))) {
			hub_post(line, len);
			return;
		}
}

/* Reads what the pipe holds now. Returns 0, or -1 at its end (then it is
 * closed). */
static int read_events(struct child *c)
{
	char buf[65536];
	ssize_t n;

	while ((n = read(c->events, buf, sizeof(buf))) > 0) {
		for (ssize_t i = 0; i < n; i++) {
			if (buf[i] == '\n') {
				if (!c->line_skip)
					pass_line(c->line, c->line_len);
				c->line_len = 0;
				c->line_skip = 0;
			} else if (c->line_len < LINE_MAX_BYTES) {
				c->line[c->line_len++] = buf[i];
			} else {
				c->line_skip = 1;
			}
		}
	}
	if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
		close(c->events);
		c->events = -1;
		return -1;
	}
	return 0;
}

/* ---- ending it ------------------------------------------------------------- */

static void terminate(struct child *c, const char *why)
{
	if (c->t_term)
		return;
	c->why = why;
	c->t_term = now_s();
	if (kill(-c->pid, SIGTERM) && errno != ESRCH)
		fprintf(stderr, "pvt: live: kill: %s\n", strerror(errno));
}

/* Kills every child pvt-live has: what is left of a run that ended (the
 * server has no other). Returns how many there were. */
static unsigned kill_children(void)
{
	DIR *d = opendir("/proc/self/task");
	struct dirent *e;
	unsigned n = 0;

	if (!d)
		return 0;
	while ((e = readdir(d))) {
		char path[300];
		FILE *f;
		long pid;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/self/task/%s/children",
			 e->d_name);
		f = fopen(path, "re");
		if (!f)
			continue;
		while (fscanf(f, "%ld", &pid) == 1) {
			kill((pid_t)pid, SIGKILL);
			n++;
		}
		fclose(f);
	}
	closedir(d);
	return n;
}

/* Once the leader has ended: kills what is left of its group and every
 * orphan that came back to pvt-live, and reaps them all. */
static void sweep_up(void)
{
	double until = now_s() + 5;

	for (;;) {
		pid_t p;

		while ((p = waitpid(-1, NULL, WNOHANG)) > 0)
			;
		if (p < 0 && errno == ECHILD)
			return;
		if (!kill_children() || now_s() > until)
			break;
		usleep(10000);
	}
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
}

/* Whether the leader has ended; if so its group is killed (nothing of it
 * may outlive it) and it is reaped into c->status. */
static int leader_ended(struct child *c)
{
	siginfo_t si;

	memset(&si, 0, sizeof(si));
	if (waitid(P_PID, (id_t)c->pid, &si, WEXITED | WNOHANG | WNOWAIT) ||
	    si.si_pid != c->pid)
		return 0;
	kill(-c->pid, SIGKILL);		/* the zombie leader keeps the id */
	while (waitpid(c->pid, &c->status, 0) < 0 && errno == EINTR)
		;
	c->t_end = now_s();
	c->pid = -1;
	return 1;
}

static int rm_entry(const char *path, const struct stat *st, int flag,
		    struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	if (remove(path))
		fprintf(stderr, "pvt: live: remove %s: %s\n", path,
			strerror(errno));
	return 0;
}

/* A number from a CSV field as JSON: empty, NaN and text are null. */
static void put_number(FILE *f, const char *s)
{
	char *end;
	double v = s && *s ? strtod(s, &end) : NAN;

	if (s && *s && !*end && isfinite(v))
		fputs(s, f);
	else
		fputs("null", f);
}

/* dir/name as {"cols":[...],"rows":[[...]]} of strings, or null. */
static void put_table(FILE *f, const char *dir, const char *name,
		      struct csv_table *t, int *have)
{
	char path[4400], err[256];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	*have = access(path, R_OK) == 0 && csv_read(path, t, err,
						    sizeof(err)) == 0;
	if (!*have) {
		fputs("null", f);
		return;
	}
	fputs("{\"cols\":[", f);
	for (size_t j = 0; j < t->ncols; j++) {
		fputs(j ? "," : "", f);
		events_put_str(f, t->cols[j]);
	}
	fputs("],\"rows\":[", f);
	for (size_t i = 0; i < t->nrows && i < MAX_TABLE_ROWS; i++) {
		fputs(i ? ",[" : "[", f);
		for (size_t j = 0; j < t->ncols; j++) {
			fputs(j ? "," : "", f);
			events_put_str(f, t->rows[i][j]);
		}
		fputc(']', f);
	}
	fputs("]}", f);
}

/* The speedup the question asked for, from the summary. */
static void put_measured(FILE *f, const struct job *job,
			 const struct csv_table *t)
{
	int cm = csv_col(t, "model"), cw = csv_col(t, "workers");
	int cs = csv_col(t, "speedup");

	for (size_t i = 0; job->model[0] && cm >= 0 && cw >= 0 && cs >= 0 &&
			   i < t->nrows; i++) {
		if (!strcmp(t->rows[i][cm], job->model) &&
		    strtoul(t->rows[i][cw], NULL, 10) == job->workers) {
			put_number(f, t->rows[i][cs]);
			return;
		}
	}
	fputs("null", f);
}

/* The last len bytes of dir/name as a JSON string. */
static void put_tail(FILE *f, const char *dir, const char *name, size_t len)
{
	char path[4400], *buf = malloc(len + 1);
	FILE *in;
	size_t n = 0;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	in = buf ? fopen(path, "re") : NULL;
	if (in) {
		long size = fseek(in, 0, SEEK_END) ? 0 : ftell(in);

		if (size > (long)len)
			fseek(in, size - (long)len, SEEK_SET);
		else
			rewind(in);
		n = fread(buf, 1, len, in);
		fclose(in);
	}
	if (buf)
		buf[n] = 0;
	events_put_str(f, buf ? buf : "");
	free(buf);
}

static const char *outcome(const struct child *c)
{
	if (c->why)
		return c->why;
	if (WIFSIGNALED(c->status))
		return "killed";
	switch (WEXITSTATUS(c->status)) {
	case 0: return "done";
	case 2: return "usage error";
	default: return "failed";
	}
}

/* The result event: how the run ended, its summary and verdicts, and the
 * figure the question asked for. */
static void post_result(const struct child *c, const char *why_not)
{
	struct csv_table sum = { 0 }, ver = { 0 };
	char name[256], *s = NULL;
	int have_sum = 0, have_ver = 0;
	size_t len;
	FILE *f = open_memstream(&s, &len);

	if (!f)
		return;
	fprintf(f, "{\"t\":\"result\",\"id\":%u,\"status\":", c->job->id);
	events_put_str(f, why_not ? "could not start" : outcome(c));
	fprintf(f, ",\"exit\":%d,\"signal\":%d,\"elapsed_s\":%.3f",
		!why_not && WIFEXITED(c->status) ? WEXITSTATUS(c->status) : -1,
		!why_not && WIFSIGNALED(c->status) ? WTERMSIG(c->status) : 0,
		why_not ? 0 : c->t_end - c->t0);
	fputs(",\"job\":", f);
	job_json(f, c->job);
	if (why_not) {
		fputs(",\"summary\":null,\"verdicts\":null,\"measured\":null,"
		      "\"stderr\":", f);
		events_put_str(f, why_not);
		fputs(",\"narration\":\"\"}", f);
		goto out;
	}
	snprintf(name, sizeof(name), "%s.summary.csv", c->job->sc->name);
	fputs(",\"summary\":", f);
	put_table(f, c->dir, name, &sum, &have_sum);
	snprintf(name, sizeof(name), "%s.verdicts.csv", c->job->sc->name);
	fputs(",\"verdicts\":", f);
	put_table(f, c->dir, name, &ver, &have_ver);
	fputs(",\"measured\":", f);
	if (have_sum)
		put_measured(f, c->job, &sum);
	else
		fputs("null", f);
	fputs(",\"stderr\":", f);
	put_tail(f, c->dir, "live.stderr", 1024);
	fputs(",\"narration\":", f);
	put_tail(f, c->dir, "live.stdout", TAIL_BYTES);
	fputc('}', f);
out:
	if (have_sum)
		csv_table_free(&sum);
	if (have_ver)
		csv_table_free(&ver);
	if (!fclose(f))
		hub_post(s, len);
	free(s);
}

/* Everything after the leader was reaped, or when it never started. */
static void finish(struct child *c, const char *why_not)
{
	sweep_up();
	if (c->events >= 0) {
		read_events(c);		/* what it wrote before it ended: every
					 * writer is gone, so it is all there */
		if (c->events >= 0)
			close(c->events);
	}
	post_result(c, why_not);
	if (c->dir[0] && nftw(c->dir, rm_entry, 8, FTW_DEPTH | FTW_PHYS))
		fprintf(stderr, "pvt: live: cannot remove %s: %s\n", c->dir,
			strerror(errno));
	pthread_mutex_lock(&rn.lock);
	rn.running = NULL;
	pthread_mutex_unlock(&rn.lock);
	job_free(c->job);
	free(c->job);
	free(c->line);
	memset(c, 0, sizeof(*c));
	c->pid = -1;
	c->events = -1;
	publish_state();
}

/* Takes the next job off the queue and starts it. */
static void start_next(struct child *c)
{
	char why[8704];

	pthread_mutex_lock(&rn.lock);
	if (!rn.nqueue) {
		pthread_mutex_unlock(&rn.lock);
		return;
	}
	c->job = rn.queue[0];
	memmove(rn.queue, rn.queue + 1, --rn.nqueue * sizeof(*rn.queue));
	rn.running = c->job;
	pthread_mutex_unlock(&rn.lock);
	publish_state();
	hub_reset();
	post_start(c->job);
	c->line = malloc(LINE_MAX_BYTES);
	if (!c->line) {
		finish(c, "out of memory");
		return;
	}
	if (spawn_run(c, why, sizeof(why))) {
		fprintf(stderr, "pvt: live: run %u (%s): %s\n", c->job->id,
			c->job->sc->name, why);
		finish(c, why);
	}
}

/* Stops and reaps the run on the way out: SIGTERM to its group, SIGKILL
 * after the grace time. */
static void stop_for_good(struct child *c)
{
	if (c->pid < 0)
		return;
	terminate(c, "interrupted");
	while (!leader_ended(c)) {
		if (now_s() - c->t_term > LIVE_STOP_GRACE_S)
			kill(-c->pid, SIGKILL);
		usleep(10000);
	}
	finish(c, NULL);
}

/* ---- the loop ---------------------------------------------------------------- */

int runner_loop(int sigfd)
{
	struct child c = { .pid = -1, .events = -1 };

	publish_state();
	for (;;) {
		struct pollfd p[3] = {
			{ sigfd, POLLIN, 0 }, { rn.wake_rd, POLLIN, 0 },
			{ c.events, POLLIN, 0 },
		};
		char buf[64];
		int stop;

		if (c.pid < 0)
			start_next(&c);
		if (poll(p, 3, c.pid < 0 ? -1 : 50) < 0 && errno != EINTR) {
			int err = errno;

			fprintf(stderr, "pvt: live: poll: %s\n", strerror(err));
			stop_for_good(&c);
			errno = err;
			return -1;
		}
		if (p[0].revents & POLLIN) {
			struct signalfd_siginfo si;

			if (read(sigfd, &si, sizeof(si)) != sizeof(si))
				si.ssi_signo = SIGTERM;
			stop_for_good(&c);
			return (int)si.ssi_signo;
		}
		while (read(rn.wake_rd, buf, sizeof(buf)) > 0)
			;
		if (c.events >= 0 && p[2].revents)
			read_events(&c);
		if (c.pid < 0)
			continue;
		pthread_mutex_lock(&rn.lock);
		stop = c.job->stop;
		pthread_mutex_unlock(&rn.lock);
		if (stop)
			terminate(&c, "stopped");
		else if (now_s() - c.t0 > LIVE_BUDGET_S)
			terminate(&c, "over budget");
		if (c.t_term && now_s() - c.t_term > LIVE_STOP_GRACE_S)
			kill(-c.pid, SIGKILL);
		if (leader_ended(&c))
			finish(&c, NULL);
	}
}

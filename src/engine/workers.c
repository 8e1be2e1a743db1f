/* workers.c - run the same tasks under processes, threads or a GIL */
#define _GNU_SOURCE
#include "engine/workers.h"

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "engine/child.h"
#include "engine/gil.h"
#include "measure/measure.h"
#include "engine/shm.h"

static const char *const model_names[MODEL_COUNT] = {
	[MODEL_SEQUENTIAL] = "sequential",
	[MODEL_PROCESS] = "process",
	[MODEL_THREAD] = "thread",
	[MODEL_GIL] = "gil",
	[MODEL_PY_SEQUENTIAL] = "py-sequential",
	[MODEL_PY_PROCESS] = "py-process",
	[MODEL_PY_THREAD] = "py-thread",
	[MODEL_MPI] = "mpi",
	[MODEL_MPI_THREAD] = "mpi-thread",
};

const char *model_name(enum model m)
{
	return (unsigned)m < MODEL_COUNT ? model_names[m] : "?";
}

int model_parse(const char *s, enum model *m)
{
	for (int i = 0; i < MODEL_COUNT; i++) {
		if (strcmp(s, model_names[i]) == 0) {
			*m = (enum model)i;
			return 0;
		}
	}
	return -1;
}

/* ---- results ---------------------------------------------------------- */

int results_create(struct results *r, size_t tasks, size_t result_size)
{
	r->tasks = tasks;
	r->result_size = result_size;
	r->stride = shm_round(sizeof(struct task_log) + result_size);
	if (tasks && r->stride > SIZE_MAX / tasks) {
		errno = ENOMEM;
		return -1;
	}
	r->len = r->stride * tasks;
	r->base = shm_alloc(r->len);
	return r->base ? 0 : -1;
}

void results_destroy(struct results *r)
{
	shm_free(r->base, r->len);
	r->base = NULL;
}

struct task_log *results_log(const struct results *r, size_t task)
{
	return (struct task_log *)(r->base + task * r->stride);
}

void *results_at(const struct results *r, size_t task)
{
	return r->base + task * r->stride + sizeof(struct task_log);
}

/* ---- the shared control block ----------------------------------------- */

/* One per worker, each on its own cache lines, in MAP_SHARED memory. */
struct worker_rec {
	_Alignas(SHM_LINE) pid_t pid;
	pid_t tid;
	_Atomic long current;	/* task in hand, -1 between tasks */
	double busy_s;		/* inside tasks */
	double user_s, sys_s;	/* threads: RUSAGE_THREAD */
	int reaped;		/* processes: wait4 done */
	pthread_t thread;
};

struct control {
	pthread_mutex_t mu;	/* process-shared: the start gate */
	pthread_cond_t cv;
	int open, abort;	/* under mu */
	_Alignas(SHM_LINE) _Atomic size_t next;	/* next task to take */
	double t0;		/* run start, measure_now() */
};

struct engine {
	const struct run_spec *spec;
	struct results *r;
	struct control *ctl;
	struct worker_rec *recs;
	size_t len;
	struct gil gil;
};

static volatile sig_atomic_t stop_flag;
static struct engine *volatile running;	/* for workers_stop */

void workers_stop(void)
{
	struct engine *e = running;

	stop_flag = 1;
	if (!e || e->spec->model != MODEL_PROCESS)
		return;	/* threads stop after their current task */
	for (unsigned i = 0; i < e->spec->workers; i++)
		if (e->recs[i].pid > 0 && !e->recs[i].reaped)
			kill(e->recs[i].pid, SIGKILL);
}

int workers_stopped(void) { return stop_flag; }

/* The calling worker, for the hooks workloads call from inside a task. */
static _Thread_local struct {
	struct gil *gil;	/* gil model only */
	struct timeline *tl;	/* recording, or NULL */
	int worker;
	double t0;		/* the run's start */
	double held_since;	/* when it last took the GIL */
	double io_since;	/* when its I/O began */
} me;

static double since_start(void)
{
	return measure_now() - me.t0;
}

/* Takes the GIL; the time it waited is recorded as a gil-wait. */
static void gil_take(void)
{
	double asked = me.tl ? since_start() : 0;

	gil_acquire(me.gil);
	if (!me.tl)
		return;
	me.held_since = since_start();
	timeline_add(me.tl, me.worker, TL_GIL_WAIT, -1, asked, me.held_since);
}

static void gil_let_go(void)
{
	if (me.tl)
		timeline_add(me.tl, me.worker, TL_GIL_HELD, -1, me.held_since,
			     since_start());
	gil_release(me.gil);
}

/* Hands the GIL over when asked; the time until it is back is recorded
 * as a gil-wait. */
void worker_checkpoint(void)
{
	double let_go;

	if (!me.gil || !gil_drop_requested(me.gil))
		return;
	let_go = me.tl ? since_start() : 0;
	if (me.tl)
		timeline_add(me.tl, me.worker, TL_GIL_HELD, -1, me.held_since,
			     let_go);
	gil_yield(me.gil);
	if (!me.tl)
		return;
	me.held_since = since_start();
	timeline_add(me.tl, me.worker, TL_GIL_WAIT, -1, let_go, me.held_since);
}

void worker_io_begin(void)
{
	if (me.tl)
		me.io_since = since_start();
	if (me.gil)
		gil_let_go();
}

void worker_io_end(void)
{
	if (me.tl)
		timeline_add(me.tl, me.worker, TL_WAIT, -1, me.io_since,
			     since_start());
	if (me.gil)
		gil_take();
}

void worker_set_gil(struct gil *g)
{
	me.gil = g;
	me.tl = NULL;
}

void worker_sleep(double s)
{
	struct timespec ts = {
		.tv_sec = (time_t)s,
		.tv_nsec = (long)((s - (double)(time_t)s) * 1e9),
	};

	worker_io_begin();
	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
	worker_io_end();
}

static int control_init(struct control *ctl)
{
	pthread_mutexattr_t ma;
	pthread_condattr_t ca;
	int err;

	if ((err = pthread_mutexattr_init(&ma)))
		return err;
	pthread_mutexattr_setpshared(&ma, PTHREAD_PROCESS_SHARED);
	err = pthread_mutex_init(&ctl->mu, &ma);
	pthread_mutexattr_destroy(&ma);
	if (err)
		return err;
	if ((err = pthread_condattr_init(&ca)))
		goto out_mutex;
	pthread_condattr_setpshared(&ca, PTHREAD_PROCESS_SHARED);
	err = pthread_cond_init(&ctl->cv, &ca);
	pthread_condattr_destroy(&ca);
	if (!err)
		return 0;
out_mutex:
	pthread_mutex_destroy(&ctl->mu);
	return err;
}

/* Opens the gate: every worker starts, or (abort) leaves at once. */
static void gate_open(struct control *ctl, int abort)
{
	pthread_mutex_lock(&ctl->mu);
	ctl->open = 1;
	ctl->abort = abort;
	pthread_cond_broadcast(&ctl->cv);
	pthread_mutex_unlock(&ctl->mu);
}

/* Returns false when the run was aborted before it started. */
static int gate_wait(struct control *ctl)
{
	int go;

	pthread_mutex_lock(&ctl->mu);
	while (!ctl->open)
		pthread_cond_wait(&ctl->cv, &ctl->mu);
	go = !ctl->abort;
	pthread_mutex_unlock(&ctl->mu);
	return go;
}

/* ---- one worker, whatever the model ----------------------------------- */

static void pin(const struct run_spec *spec, unsigned w)
{
	cpu_set_t set;

	if (!spec->ncpus)
		return;
	CPU_ZERO(&set);
	CPU_SET(spec->cpus[w % spec->ncpus], &set);
	/* pid 0 is the calling thread, so this serves both models */
	if (sched_setaffinity(0, sizeof(set), &set))
		fprintf(stderr, "pvt: worker %u: sched_setaffinity: %s\n", w,
			strerror(errno));
}

static void thread_cpu(double *user, double *sys)
{
	struct rusage ru;

	getrusage(RUSAGE_THREAD, &ru);
	*user = measure_tv(&ru.ru_utime);
	*sys = measure_tv(&ru.ru_stime);
}

/* Takes tasks until none is left. Returns 0, or -1 when the worker could
 * not set itself up. */
static int worker_main(struct engine *e, unsigned w)
{
	const struct run_spec *spec = e->spec;
	struct worker_rec *rec = &e->recs[w];
	struct control *ctl = e->ctl;
	void *local = NULL;
	double u0, s0, begin;
	int ret = 0;

	rec->pid = getpid();
	rec->tid = (pid_t)syscall(SYS_gettid);
	atomic_store(&rec->current, -1);
	thread_cpu(&u0, &s0);
	pin(spec, w);
	if (spec->local_init && spec->local_init(spec->ctx, &local))
		ret = -1;
	if (!gate_wait(ctl) || ret)
		goto out;

	me.gil = spec->model == MODEL_GIL ? &e->gil : NULL;
	me.tl = spec->timeline;
	me.worker = (int)w;
	me.t0 = ctl->t0;
	if (me.gil)
		gil_take();
	begin = measure_now();
	for (size_t k = 0; !stop_flag; k++) {
		size_t t = spec->dist == DIST_STATIC ?
			   w + k * spec->workers :
			   atomic_fetch_add(&ctl->next, 1);
		struct task_log *log;
		int rc;

		if (t >= spec->tasks)
			break;
		log = results_log(e->r, t);
		log->worker = (int)w;
		log->start_s = measure_now() - ctl->t0;
		atomic_store(&rec->current, (long)t);
		atomic_store(&log->state, TASK_RUNNING);
		rc = spec->fn(spec->ctx, local, t, results_at(e->r, t));
		log->end_s = measure_now() - ctl->t0;
		log->err = rc;
		atomic_store(&log->state, rc ? TASK_FAILED : TASK_DONE);
		atomic_store(&rec->current, -1);
	}
	rec->busy_s = measure_now() - begin;
	if (me.gil)
		gil_let_go();
	me.gil = NULL;
	me.tl = NULL;
out:
	if (local && spec->local_fini)
		spec->local_fini(spec->ctx, local);
	thread_cpu(&rec->user_s, &rec->sys_s);
	rec->user_s -= u0;
	rec->sys_s -= s0;
	return ret;
}

static void *thread_start(void *arg)
{
	struct engine *e = ((void **)arg)[0];
	unsigned w = (unsigned)(uintptr_t)((void **)arg)[1];

	free(arg);
	return worker_main(e, w) ? (void *)1 : NULL;
}

/* ---- starting and collecting ------------------------------------------ */

static void why(struct run_stats *st, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void why(struct run_stats *st, const char *fmt, ...)
{
	size_t n = strlen(st->why);
	va_list ap;

	if (n + 2 >= sizeof(st->why))
		return;
	if (n)
		st->why[n++] = ';', st->why[n++] = ' ', st->why[n] = 0;
	va_start(ap, fmt);
	vsnprintf(st->why + n, sizeof(st->why) - n, fmt, ap);
	va_end(ap);
}

int worker_child_init(pid_t parent)
{
	running = NULL;		/* the parent's runs are not this one's */
	return child_init(parent, SIGKILL);
}

static int start_process(struct engine *e, unsigned w)
{
	pid_t parent = getpid(), pid;

	fflush(NULL);	/* nothing buffered is printed twice */
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		if (worker_child_init(parent))
			_exit(3);
		_exit(worker_main(e, w) ? 2 : 0);
	}
	e->recs[w].pid = pid;
	return 0;
}

static int start_thread(struct engine *e, unsigned w)
{
	void **arg = malloc(2 * sizeof(*arg));
	int err;

	if (!arg) {
		errno = ENOMEM;
		return -1;
	}
	arg[0] = e;
	arg[1] = (void *)(uintptr_t)w;
	e->recs[w].pid = getpid();
	err = pthread_create(&e->recs[w].thread, NULL, thread_start, arg);
	if (err) {
		free(arg);
		errno = err;
		return -1;
	}
	return 0;
}

static void kill_unreaped(struct engine *e, unsigned started)
{
	for (unsigned i = 0; i < started; i++)
		if (!e->recs[i].reaped)
			kill(e->recs[i].pid, SIGKILL);
}

static void reap_processes(struct engine *e, unsigned started,
			   struct run_stats *st)
{
	for (unsigned i = 0; i < started; i++) {
		struct worker_rec *rec = &e->recs[i];
		struct rusage ru;
		int status;
		pid_t got;

		while ((got = wait4(rec->pid, &status, 0, &ru)) < 0 &&
		       errno == EINTR) {
			if (stop_flag)
				kill_unreaped(e, started);
		}
		rec->reaped = 1;
		if (got < 0) {
			why(st, "worker %u: wait4: %s", i, strerror(errno));
			st->dead_workers++;
			continue;
		}
		st->user_s += measure_tv(&ru.ru_utime);
		st->sys_s += measure_tv(&ru.ru_stime);
		if (ru.ru_maxrss > st->max_rss_kib)
			st->max_rss_kib = ru.ru_maxrss;
		if (WIFSIGNALED(status)) {
			long t = atomic_load(&rec->current);
			int sig = WTERMSIG(status);

			st->dead_workers++;
			if (!st->signal)
				st->signal = sig;
			if (stop_flag)
				continue;	/* stopped on purpose */
			if (t >= 0)
				why(st, "worker %u (pid %d) killed by SIG%s "
				    "while running task %ld", i, (int)rec->pid,
				    sigabbrev_np(sig) ? sigabbrev_np(sig) : "?",
				    t);
			else
				why(st, "worker %u (pid %d) killed by SIG%s",
				    i, (int)rec->pid,
				    sigabbrev_np(sig) ? sigabbrev_np(sig) : "?");
		} else if (WEXITSTATUS(status)) {
			st->dead_workers++;
			why(st, "worker %u (pid %d) exited with status %d%s", i,
			    (int)rec->pid, WEXITSTATUS(status),
			    WEXITSTATUS(status) == 2 ?
			    " (its setup failed)" : "");
		}
	}
}

static void join_threads(struct engine *e, unsigned started,
			 struct run_stats *st)
{
	for (unsigned i = 0; i < started; i++) {
		void *ret;
		int err = pthread_join(e->recs[i].thread, &ret);

		if (err) {
			why(st, "worker %u: pthread_join: %s", i,
			    strerror(err));
			continue;
		}
		if (ret) {
			st->dead_workers++;
			why(st, "worker %u: its setup failed", i);
		}
		st->user_s += e->recs[i].user_s;
		st->sys_s += e->recs[i].sys_s;
	}
}

static void count_tasks(struct engine *e, struct run_stats *st)
{
	size_t first_failed = SIZE_MAX, first_lost = SIZE_MAX;

	for (size_t t = 0; t < e->spec->tasks; t++) {
		struct task_log *log = results_log(e->r, t);

		switch (atomic_load(&log->state)) {
		case TASK_DONE:
			st->done++;
			break;
		case TASK_FAILED:
			st->failed++;
			if (first_failed == SIZE_MAX)
				first_failed = t;
			break;
		default:
			st->lost++;
			if (first_lost == SIZE_MAX)
				first_lost = t;
		}
	}
	if (st->failed)
		why(st, "%zu task(s) failed, the first is task %zu (code %d)",
		    st->failed, first_failed,
		    results_log(e->r, first_failed)->err);
	if (st->lost)
		why(st, "%zu task(s) never finished, the first is task %zu",
		    st->lost, first_lost);
}

static int engine_init(struct engine *e, const struct run_spec *spec,
		       struct results *r)
{
	int err;

	memset(e, 0, sizeof(*e));
	e->spec = spec;
	e->r = r;
	e->len = shm_round(sizeof(struct control)) +
		 spec->workers * sizeof(struct worker_rec);
	e->ctl = shm_alloc(e->len);
	if (!e->ctl)
		return errno;
	e->recs = (struct worker_rec *)((char *)e->ctl +
					shm_round(sizeof(struct control)));
	err = control_init(e->ctl);
	if (err)
		goto out_free;
	if (spec->model == MODEL_GIL) {
		err = gil_init(&e->gil, spec->switch_interval_s > 0 ?
			       spec->switch_interval_s : GIL_DEFAULT_INTERVAL);
		if (err)
			goto out_control;
	}
	return 0;
out_control:
	pthread_cond_destroy(&e->ctl->cv);
	pthread_mutex_destroy(&e->ctl->mu);
out_free:
	shm_free(e->ctl, e->len);
	return err;
}

static void engine_fini(struct engine *e)
{
	if (e->spec->model == MODEL_GIL)
		gil_destroy(&e->gil);
	pthread_cond_destroy(&e->ctl->cv);
	pthread_mutex_destroy(&e->ctl->mu);
	shm_free(e->ctl, e->len);
}

static void run_sequential(struct engine *e, struct run_stats *st)
{
	cpu_set_t mask;
	int have = sched_getaffinity(0, sizeof(mask), &mask) == 0;

	gate_open(e->ctl, 0);
	if (worker_main(e, 0)) {
		st->dead_workers++;
		why(st, "worker 0: its setup failed");
	}
	/* worker 0 was pvt's own thread: --cpus must not stay on it (the
	 * py-* models and every later run start from it) */
	if (have && e->spec->ncpus &&
	    sched_setaffinity(0, sizeof(mask), &mask))
		fprintf(stderr, "pvt: sched_setaffinity: %s\n", strerror(errno));
	st->user_s = e->recs[0].user_s;
	st->sys_s = e->recs[0].sys_s;
}

/* A run in progress, between workers_start and workers_wait. */
struct workers {
	struct engine e;
	struct run_spec spec;	/* the caller's, workers fixed for the model */
	unsigned started;
	int aborted;
	int rss_reset;		/* threads: pvt's peak RSS starts anew */
};

int workers_start(const struct run_spec *spec, struct results *r,
		  struct workers **out, struct run_stats *st)
{
	struct workers *w;
	int err;

	*out = NULL;
	memset(st, 0, sizeof(*st));
	if (spec->workers == 0 || r->tasks != spec->tasks ||
	    (unsigned)spec->model >= MODEL_ENGINE_COUNT || !spec->fn) {
		why(st, "workers_start: bad run_spec");
		return -1;
	}
	w = calloc(1, sizeof(*w));
	if (!w) {
		why(st, "cannot set up the run: %s", strerror(errno));
		return -1;
	}
	w->spec = *spec;
	if (spec->model == MODEL_SEQUENTIAL)
		w->spec.workers = 1;
	memset(r->base, 0, r->len);
	for (size_t t = 0; t < r->tasks; t++)
		results_log(r, t)->worker = -1;
	err = engine_init(&w->e, &w->spec, r);
	if (err) {
		why(st, "cannot set up the run: %s", strerror(err));
		free(w);
		return -1;
	}

	if (spec->model != MODEL_PROCESS)
		w->rss_reset = measure_rss_reset() == 0;
	w->e.ctl->t0 = measure_now();
	running = &w->e;
	if (spec->model == MODEL_SEQUENTIAL) {
		/* runs to the end here; workers_wait only collects */
		run_sequential(&w->e, st);
		w->started = 1;
		*out = w;
		return 0;
	}
	for (; w->started < w->spec.workers && !stop_flag; w->started++) {
		int rc = spec->model == MODEL_PROCESS ?
			 start_process(&w->e, w->started) :
			 start_thread(&w->e, w->started);
		if (rc) {
			why(st, "cannot create worker %u of %u: %s",
			    w->started + 1, w->spec.workers, strerror(errno));
			w->aborted = 1;
			break;
		}
	}
	if (stop_flag)
		w->aborted = 1;
	gate_open(w->e.ctl, w->aborted);
	*out = w;
	return 0;
}

int workers_wait(struct workers *w, struct run_stats *st)
{
	struct engine *e = &w->e;
	int failed;

	if (w->spec.model == MODEL_PROCESS)
		reap_processes(e, w->started, st);
	else if (w->spec.model != MODEL_SEQUENTIAL)
		join_threads(e, w->started, st);
	st->wall_s = measure_now() - e->ctl->t0;

	for (unsigned i = 0; i < w->started; i++)
		st->busy_s += e->recs[i].busy_s;
	if (w->spec.model != MODEL_PROCESS)
		st->max_rss_kib = w->rss_reset ? measure_rss_peak() : -1;
	if (w->spec.model == MODEL_GIL)
		st->gil_switches = gil_switches(&e->gil);
	count_tasks(e, st);
	st->interrupted = stop_flag != 0;
	if (st->interrupted)
		why(st, "interrupted");
	failed = st->failed || st->lost || st->dead_workers || w->aborted ||
		 st->interrupted;
	running = NULL;
	engine_fini(e);
	free(w);
	return failed ? -1 : 0;
}

unsigned workers_started(const struct workers *w)
{
	return w->started;
}

pid_t workers_pid(const struct workers *w, unsigned i)
{
	return i < w->started ? w->e.recs[i].pid : -1;
}

int workers_run(const struct run_spec *spec, struct results *r,
		struct run_stats *st)
{
	struct workers *w;

	if (workers_start(spec, r, &w, st))
		return -1;
	return workers_wait(w, st);
}

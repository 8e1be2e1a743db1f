/* workers.c - run the same tasks under processes, threads or a GIL */
#define _GNU_SOURCE
#include "engine/workers.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
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
	errno = EINVAL;
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
	_Alignas(SHM_LINE) _Atomic pid_t pid;	/* 0 until it is known */
	pid_t tid;
	_Atomic long current;	/* task in hand, -1 between tasks */
	double busy_s;		/* inside tasks */
	double user_s, sys_s;	/* threads: RUSAGE_THREAD */
	_Atomic int reaped;	/* processes: set before wait4 frees the pid,
				 * so that workers_stop never kills another
				 * process that got the same pid */
	pthread_t thread;
};

/* The start gate is a futex word, not a process-shared mutex and
 * condition variable: a worker killed while it waits at the gate leaves
 * no lock held and no waiter that the condition variable's destruction
 * would wait for (glibc's pthread_cond_destroy does, for ever). */
enum { GATE_CLOSED, GATE_OPEN, GATE_ABORT };

struct control {
	_Atomic uint32_t gate;	/* GATE_*: workers wait while it is closed */
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
	struct engine *_Atomic next_live;	/* in the live list */
};

/* Every run between workers_start and workers_wait, newest first, for
 * workers_stop, which walks it from a signal handler: a run is linked
 * in whole and unlinked before it is freed, and unlinking waits for a
 * walk in progress on another thread (walkers) to end. live_mu orders
 * the threads that link and unlink; the handler never takes it. */
static atomic_bool stop_flag;
static struct engine *_Atomic live;
static atomic_int walkers;
static pthread_mutex_t live_mu = PTHREAD_MUTEX_INITIALIZER;

#define MAX_HOOKS 8
typedef void (*stop_hook)(void);
static _Atomic(stop_hook) hooks[MAX_HOOKS];

static void live_add(struct engine *e)
{
	int err = pthread_mutex_lock(&live_mu);

	atomic_store(&e->next_live, atomic_load(&live));
	atomic_store(&live, e);
	if (!err)
		pthread_mutex_unlock(&live_mu);
}

static void live_remove(struct engine *e)
{
	int err = pthread_mutex_lock(&live_mu);
	struct engine *_Atomic *link = &live;
	struct engine *cur;

	while ((cur = atomic_load(link)) && cur != e)
		link = &cur->next_live;
	if (cur)
		atomic_store(link, atomic_load(&e->next_live));
	if (!err)
		pthread_mutex_unlock(&live_mu);
	while (atomic_load(&walkers))
		sched_yield();
}

static void kill_unreaped(struct engine *e, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		pid_t pid = atomic_load(&e->recs[i].pid);

		if (pid > 0 && !atomic_load(&e->recs[i].reaped))
			kill(pid, SIGKILL);
	}
}

void workers_stop(void)
{
	atomic_store(&stop_flag, true);
	atomic_fetch_add(&walkers, 1);
	for (struct engine *e = atomic_load(&live); e;
	     e = atomic_load(&e->next_live))
		if (e->spec->model == MODEL_PROCESS)
			kill_unreaped(e, e->spec->workers);
	atomic_fetch_sub(&walkers, 1);
	for (int i = 0; i < MAX_HOOKS; i++) {
		stop_hook h = atomic_load(&hooks[i]);

		if (h)
			h();
	}
}

int workers_stopped(void)
{
	return atomic_load_explicit(&stop_flag, memory_order_relaxed);
}

int workers_on_stop(void (*hook)(void))
{
	for (int i = 0; i < MAX_HOOKS; i++) {
		stop_hook none = NULL;

		if (atomic_load(&hooks[i]) == hook ||
		    atomic_compare_exchange_strong(&hooks[i], &none, hook))
			return 0;
	}
	errno = ENOSPC;
	return -1;
}

int worker_thread_create(pthread_t *t, void *(*fn)(void *), void *arg)
{
	sigset_t block, old;
	int err, err2;

	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	err = pthread_sigmask(SIG_BLOCK, &block, &old);
	if (err) {
		errno = err;
		return -1;
	}
	err = pthread_create(t, NULL, fn, arg);
	err2 = pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (err2)
		fprintf(stderr, "pvt: pthread_sigmask: %s\n", strerror(err2));
	if (err) {
		errno = err;
		return -1;
	}
	return 0;
}

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
 * as a gil-wait. Returns WORKER_STOPPED once pvt is stopped, else 0. */
int worker_checkpoint(void)
{
	double let_go;

	if (workers_stopped())
		return WORKER_STOPPED;
	if (!me.gil || !gil_drop_requested(me.gil))
		return 0;
	let_go = me.tl ? since_start() : 0;
	if (me.tl)
		timeline_add(me.tl, me.worker, TL_GIL_HELD, -1, me.held_since,
			     let_go);
	gil_yield(me.gil);
	if (!me.tl)
		return 0;
	me.held_since = since_start();
	timeline_add(me.tl, me.worker, TL_GIL_WAIT, -1, let_go, me.held_since);
	return 0;
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

/* How long a sleeping worker goes without looking for a stop request. */
#define SLEEP_SLICE_S 0.005

int worker_sleep(double s)
{
	double until = measure_now() + s, left;
	int rc = 0;

	worker_io_begin();
	while ((left = until - measure_now()) > 0) {
		struct timespec ts;

		if (workers_stopped()) {
			rc = WORKER_STOPPED;
			break;
		}
		if (left > SLEEP_SLICE_S)
			left = SLEEP_SLICE_S;
		ts.tv_sec = (time_t)left;
		ts.tv_nsec = (long)((left - (double)ts.tv_sec) * 1e9);
		nanosleep(&ts, NULL);	/* EINTR: the loop looks again */
	}
	worker_io_end();
	return rc;
}

/* Opens the gate: every worker starts, or (abort) leaves at once. */
static void gate_open(struct control *ctl, int abort)
{
	atomic_store(&ctl->gate, abort ? GATE_ABORT : GATE_OPEN);
	if (shm_wake(&ctl->gate, INT_MAX))
		fprintf(stderr, "pvt: start gate: futex wake: %s\n",
			strerror(errno));
}

/* Returns false when the run was aborted before it started. */
static int gate_wait(struct control *ctl)
{
	uint32_t g;

	while ((g = atomic_load(&ctl->gate)) == GATE_CLOSED) {
		if (shm_wait(&ctl->gate, GATE_CLOSED, -1)) {
			fprintf(stderr, "pvt: start gate: futex wait: %s\n",
				strerror(errno));
			return 0;
		}
	}
	return g == GATE_OPEN;
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

/* The calling thread's CPU time; NAN (an empty CSV cell) when the
 * kernel cannot say. */
static void thread_cpu(double *user, double *sys)
{
	struct rusage ru;

	if (getrusage(RUSAGE_THREAD, &ru)) {
		*user = *sys = NAN;
		return;
	}
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

	atomic_store(&rec->pid, getpid());
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
	for (size_t k = 0; !workers_stopped(); k++) {
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
		if (rc == WORKER_STOPPED && workers_stopped()) {
			/* left half done: counted as never finished */
			atomic_store(&rec->current, -1);
			break;
		}
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

/* Adds a reason to st->why; errno is left as it was. */
static void why(struct run_stats *st, const char *fmt, ...)
{
	size_t n = strlen(st->why);
	int err = errno;
	va_list ap;

	if (n + 2 >= sizeof(st->why))
		return;
	if (n)
		st->why[n++] = ';', st->why[n++] = ' ', st->why[n] = 0;
	va_start(ap, fmt);
	vsnprintf(st->why + n, sizeof(st->why) - n, fmt, ap);
	va_end(ap);
	errno = err;
}

int worker_child_init(pid_t parent)
{
	/* the parent's runs are not this one's (and the lock may have been
	 * held by another of the parent's threads) */
	int err;

	atomic_store(&live, NULL);
	if ((err = pthread_mutex_init(&live_mu, NULL))) {
		errno = err;
		return -1;
	}
	return child_init(parent, SIGKILL);
}

int worker_adopt_orphans(int on)
{
	return prctl(PR_SET_CHILD_SUBREAPER, on ? 1 : 0) ? -1 : 0;
}

void worker_reap_group(pid_t pgid)
{
	while (waitpid(-pgid, NULL, 0) > 0 || errno == EINTR)
		;
	if (errno != ECHILD)
		fprintf(stderr, "pvt: waitpid: %s\n", strerror(errno));
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
	atomic_store(&e->recs[w].pid, pid);
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
	atomic_store(&e->recs[w].pid, getpid());
	if (worker_thread_create(&e->recs[w].thread, thread_start, arg)) {
		err = errno;
		free(arg);
		errno = err;
		return -1;
	}
	return 0;
}

static void reap_processes(struct engine *e, unsigned started,
			   struct run_stats *st)
{
	for (unsigned i = 0; i < started; i++) {
		struct worker_rec *rec = &e->recs[i];
		struct rusage ru;
		siginfo_t info;
		int status;
		pid_t got;

		/* waits without reaping, so that the pid stays this worker's
		 * until reaped is set */
		while (waitid(P_PID, (id_t)rec->pid, &info,
			      WEXITED | WNOWAIT) && errno == EINTR) {
			if (workers_stopped())
				kill_unreaped(e, started);
		}
		atomic_store(&rec->reaped, 1);
		while ((got = wait4(rec->pid, &status, 0, &ru)) < 0 &&
		       errno == EINTR)
			;
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
			if (workers_stopped())
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

/* Returns 0, or -1 with errno set. */
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
		return -1;
	e->recs = (struct worker_rec *)((char *)e->ctl +
					shm_round(sizeof(struct control)));
	if (spec->model == MODEL_GIL &&
	    gil_init(&e->gil, spec->switch_interval_s > 0 ?
		     spec->switch_interval_s : GIL_DEFAULT_INTERVAL)) {
		err = errno;
		shm_free(e->ctl, e->len);
		errno = err;
		return -1;
	}
	return 0;
}

static void engine_fini(struct engine *e)
{
	if (e->spec->model == MODEL_GIL)
		gil_destroy(&e->gil);
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
	int create_err;		/* errno of the worker that could not be
				 * created, or 0 */
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
		errno = EINVAL;
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
	if (engine_init(&w->e, &w->spec, r)) {
		err = errno;
		why(st, "cannot set up the run: %s", strerror(err));
		free(w);
		errno = err;
		return -1;
	}

	if (spec->model != MODEL_PROCESS)
		w->rss_reset = measure_rss_reset() == 0;
	w->e.ctl->t0 = measure_now();
	live_add(&w->e);
	if (spec->model == MODEL_SEQUENTIAL) {
		/* runs to the end here; workers_wait only collects */
		run_sequential(&w->e, st);
		w->started = 1;
		*out = w;
		return 0;
	}
	for (; w->started < w->spec.workers && !workers_stopped();
	     w->started++) {
		int rc = spec->model == MODEL_PROCESS ?
			 start_process(&w->e, w->started) :
			 start_thread(&w->e, w->started);
		if (rc) {
			w->create_err = errno;
			why(st, "cannot create worker %u of %u: %s",
			    w->started + 1, w->spec.workers, strerror(errno));
			w->aborted = 1;
			break;
		}
	}
	if (workers_stopped())
		w->aborted = 1;
	gate_open(w->e.ctl, w->aborted);
	*out = w;
	return 0;
}

int workers_wait(struct workers *w, struct run_stats *st)
{
	struct engine *e = &w->e;
	int failed, err;

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
	st->interrupted = workers_stopped();
	if (st->interrupted)
		why(st, "interrupted");
	failed = st->failed || st->lost || st->dead_workers || w->aborted ||
		 st->interrupted;
	err = st->interrupted ? EINTR : w->create_err ? w->create_err : EIO;
	live_remove(e);
	engine_fini(e);
	free(w);
	if (!failed)
		return 0;
	errno = err;
	return -1;
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

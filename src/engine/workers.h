/* workers.h - run the same tasks under processes, threads or a GIL
 *
 * Who starts processes and threads in pvt, precisely:
 *   workers - this module, pool.c (pool workers), sandbox.c (a run in a
 *     child of its own) and spawn_cost.c (the forks and threads spawn
 *     times): the only code that forks workers or creates their threads
 *     (pool.c through worker_thread_create, with SIGINT and SIGTERM
 *     blocked in them); scenarios never do.
 *   programs - child.c's child_fork, the one fork that starts another
 *     program or a server: the server process (net/httpd.c), python3
 *     (python/), mpirun (program.c) and the driver's scenario binaries and
 *     scripts (face/pvt.c).
 *   the server's own threads - net/httpd.c's watchdog and
 *     libmicrohttpd's connection threads, inside the server process.
 * (tests/e2e/lean.sh holds the code to this list.)
 *
 * Every model runs the same task function over the same task list,
 * pulled from one shared atomic next-task counter, starting together behind one gate,
 * writing results into the same MAP_SHARED slots. The model is the only
 * thing that differs.
 */
#ifndef PVT_WORKERS_H
#define PVT_WORKERS_H

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "engine/timeline.h"

enum model {
	MODEL_SEQUENTIAL,	/* the calling thread: the speedup baseline */
	MODEL_PROCESS,		/* fork() per worker, reaped with wait4 */
	MODEL_THREAD,		/* pthread_create per worker */
	MODEL_GIL,		/* threads serialised by the emulated GIL */
	MODEL_ENGINE_COUNT,	/* the models above run here; those below
				 * are the same workload run by another
				 * program: python3, or Open MPI's mpirun */
	MODEL_PY_SEQUENTIAL = MODEL_ENGINE_COUNT,	/* Python's baseline */
	MODEL_PY_PROCESS,	/* multiprocessing.Pool */
	MODEL_PY_THREAD,	/* ThreadPoolExecutor, under the real GIL */
	MODEL_MPI,		/* ranks started by mpirun, one thread each */
	MODEL_MPI_THREAD,	/* ranks of --threads-per-rank threads */
	MODEL_COUNT
};

/* Whether python3 runs model m, not the engine. */
#define MODEL_IS_PYTHON(m) ((m) >= MODEL_PY_SEQUENTIAL && \
			    (m) <= MODEL_PY_THREAD)
/* Whether Open MPI ranks run model m. */
#define MODEL_IS_MPI(m) ((m) == MODEL_MPI || (m) == MODEL_MPI_THREAD)

/* "sequential", "process", "thread", "gil", "py-sequential",
 * "py-process", "py-thread", "mpi", "mpi-thread". */
const char *model_name(enum model m);

/* Returns 0 and sets *m, or -1 with errno EINVAL when s
 * names no model. */
int model_parse(const char *s, enum model *m);

/* One task: compute task number `task` and write its result (result_size
 * bytes, zeroed before the run) into `result`. `local` is the worker's
 * own state from local_init, or NULL. Returns 0, or a non-zero code of
 * the workload's own that marks the task failed. */
typedef int (*task_fn)(const void *ctx, void *local, size_t task,
		       void *result);

struct run_spec {
	enum model model;
	unsigned workers;		/* 1 for MODEL_SEQUENTIAL */
	size_t tasks;
	task_fn fn;
	const void *ctx;		/* read-only, shared by all workers */
	/* Optional per-worker state, made and freed inside the worker
	 * (so in the child for processes): e.g. a connection. */
	int (*local_init)(const void *ctx, void **local);
	void (*local_fini)(const void *ctx, void *local);
	double switch_interval_s;	/* MODEL_GIL; 0 means 5 ms */
	const unsigned *cpus;		/* worker i runs on cpus[i % ncpus] */
	size_t ncpus;			/* 0: no pinning */
	struct timeline *timeline;	/* NULL, or where workers record
					 * GIL-held and I/O wait intervals */
	enum {
		DIST_SHARED,	/* the next task from one atomic counter */
		DIST_STATIC,	/* worker w runs tasks w, w+N, w+2N...: for
				 * workers that must meet (ping-pong) */
	} dist;
};

enum task_state { TASK_PENDING, TASK_RUNNING, TASK_DONE, TASK_FAILED };

/* What the engine records of each task, beside its result. Times are
 * seconds since the run started (CLOCK_MONOTONIC). */
struct task_log {
	_Atomic int state;	/* enum task_state */
	int worker;		/* who ran it, -1 if nobody */
	int err;		/* the task function's return value */
	double start_s, end_s;
};

/* Task results and logs in MAP_SHARED memory, one cache-line padded slot
 * per task, reusable across runs. */
struct results {
	size_t tasks, result_size, stride;
	unsigned char *base;
	size_t len;
};

/* Returns 0, or -1 with errno set. */
int results_create(struct results *r, size_t tasks, size_t result_size);
void results_destroy(struct results *r);
void *results_at(const struct results *r, size_t task);
struct task_log *results_log(const struct results *r, size_t task);

struct run_stats {
	double wall_s;		/* creation to last join, CLOCK_MONOTONIC */
	double user_s, sys_s;	/* workers' CPU: wait4 or RUSAGE_THREAD */
	long max_rss_kib;	/* largest worker (process), or pvt's own peak
				 * during the run (threads); -1: unknown */
	double busy_s;		/* sum over workers of time inside tasks */
	size_t done, failed, lost;	/* tasks: ok, returned error, never
					 * finished (worker died, run stopped) */
	unsigned dead_workers;	/* killed by a signal or bad exit */
	int signal;		/* first fatal signal seen, or 0 */
	uint64_t gil_switches;	/* MODEL_GIL: times the lock was taken */
	int interrupted;	/* stopped by workers_stop() */
	char why[512];		/* what went wrong, "" when nothing did */
};

/* Runs every task once under spec->model; results land in r, which must
 * have been made for spec->tasks tasks. Returns 0 when every task
 * succeeded; -1 when a task failed or was lost, a worker died or could
 * not be created, with the details in st->why and errno set: EINTR when
 * stopped (workers_stop), the creation's errno when a worker could not
 * be created, EINVAL for a bad spec, else EIO. Every worker started is
 * reaped or joined before it returns, whatever happened. */
int workers_run(const struct run_spec *spec, struct results *r,
		struct run_stats *st);

/* The same in two steps, for a caller that acts while the workers run
 * (measures their memory, talks to them). workers_start returns 0 with
 * *w running (the sequential model has already run to the end), or -1
 * with errno set and nothing left running. workers_wait joins or reaps
 * every worker, frees *w and returns what workers_run would. */
struct workers;
int workers_start(const struct run_spec *spec, struct results *r,
		  struct workers **w, struct run_stats *st);
int workers_wait(struct workers *w, struct run_stats *st);

/* Workers created so far, and the pid of worker i (pvt's own pid for
 * threads), or -1. */
unsigned workers_started(const struct workers *w);
pid_t workers_pid(const struct workers *w, unsigned i);

/* For engine code that forks (workers, pool, sandbox, the server,
 * python3): called first in the child of parent. It dies with parent
 * even when parent is killed outright (PR_SET_PDEATHSIG, then a check
 * that parent is still there), and Ctrl-C or SIGTERM end it as they end
 * any program, instead of running pvt's handlers. Returns 0, or -1 with
 * errno set when the child must _exit at once. */
int worker_child_init(pid_t parent);

/* For engine code that runs another program in a process group of its
 * own (python3, mpirun), whose own children outlive it when it is
 * killed: worker_adopt_orphans(1) before starting it makes pvt their
 * parent once it dies (PR_SET_CHILD_SUBREAPER), (0) after reaping stops
 * that; returns 0, or -1 with errno set. worker_reap_group reaps every
 * process left in group pgid, once it was killed whole and its leader
 * reaped, so that none is left a zombie. */
int worker_adopt_orphans(int on);
void worker_reap_group(pid_t pgid);

/* Async-signal-safe: asks every run in progress (there may be several:
 * between workers_start and workers_wait) to stop now and return -1
 * with st->interrupted set. Process workers are killed at once; thread,
 * gil and sequential workers leave their task at its next
 * worker_checkpoint or worker_sleep, within milliseconds. Then it calls
 * the hooks given to workers_on_stop. The request stays set for the rest
 * of pvt's life. */
void workers_stop(void);
int workers_stopped(void);

/* Adds an async-signal-safe function for workers_stop to call, which
 * unblocks what a worker may be blocked in (a socket, for instance).
 * Adding one twice adds it once. Returns 0, or -1 when the table (8
 * hooks) is full (errno ENOSPC). */
int workers_on_stop(void (*hook)(void));

/* For engine code that starts threads (workers, the pool): pthread_create
 * with SIGINT and SIGTERM blocked in the new thread, so that they are
 * only ever handled by pvt's own thread, never in a worker racing the
 * engine's teardown. Returns 0, or -1 with errno set (pthread_create's
 * error). */
int worker_thread_create(pthread_t *t, void *(*fn)(void *), void *arg);

/* What a task returns when worker_checkpoint or worker_sleep said that
 * the run is being stopped: the engine counts the task as never finished
 * (lost), not as failed. */
#define WORKER_STOPPED (-ECANCELED)

/* For workloads, called from inside a task.
 * worker_checkpoint: a point where the GIL may change hands (CPython's
 * eval-loop check) and where a stop request is noticed; call it every
 * few microseconds of computing. Returns 0, or WORKER_STOPPED when the
 * run is being stopped: the task then returns WORKER_STOPPED at once.
 * worker_io_begin/end: brackets blocking I/O, which runs with the GIL
 * released, as in CPython. */
int worker_checkpoint(void);
void worker_io_begin(void);
void worker_io_end(void);

/* Sleeps s seconds (the course notes' time.sleep), with the GIL released
 * as CPython's sleep does. Returns 0, or WORKER_STOPPED (within a few
 * milliseconds) when the run is being stopped. */
int worker_sleep(double s);

/* For engine code that runs tasks outside workers_run (the pool): makes
 * the hooks above act on g for the calling thread, which must hold g
 * whenever it runs a task; NULL turns them off again. */
struct gil;
void worker_set_gil(struct gil *g);

#endif

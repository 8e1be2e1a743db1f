/* pool.h - worker pools on every model: map, apply_async, close, join
 *
 * multiprocessing.Pool and its thread twin behind one API. pool_create
 * starts the workers once (fork() for MODEL_PROCESS, pthread_create for
 * MODEL_THREAD and MODEL_GIL); each call then posts a job into a ring of
 * job slots in MAP_SHARED memory and the workers take its chunks with
 * one compare-and-swap each, sleeping on a futex when there is nothing
 * to do. Arguments are copied into shared memory and results copied back
 * out of it for every model, as pickling does for Python's processes, so
 * the model is the only thing that differs and the copying is measured.
 *
 * A task is a function pointer and argument bytes: the pointer is valid
 * in a forked worker because it runs the same binary image.
 *
 * A process worker that dies (a signal, an exit) is noticed within
 * POOL_CHECK_S: the item it was running fails with an error that names
 * the worker, its pid and the signal, so do the items of its chunk it had
 * not reached; the worker is replaced and the rest of the work completes
 * (POOL_CRASH_CONTINUE), or the pool reports itself broken and fails
 * every pending task, as Python's BrokenProcessPool (POOL_CRASH_ABORT).
 * Nothing waits forever on a dead worker. A thread worker that crashes
 * takes the whole process with it: crash handling is for process pools.
 *
 * One thread drives a pool: its calls are not safe to make from several
 * threads at once.
 */
#ifndef PVT_POOL_H
#define PVT_POOL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "engine/workers.h"

#define POOL_JOBS 256			/* jobs in flight at most */
#define POOL_ARENA_DEFAULT (64u << 20)	/* shared bytes for arguments
					 * and results in flight */
#define POOL_CHECK_S 0.01		/* how often a waiting caller looks
					 * for dead workers */

/* One task: read the argument bytes, write result bytes (zeroed before
 * the call). Returns 0, or a non-zero code of its own that marks the
 * task failed. It may call worker_checkpoint() and worker_io_begin/end()
 * (workers.h), which act under MODEL_GIL. */
typedef int (*pool_fn)(const void *arg, void *result);

enum pool_on_crash {
	POOL_CRASH_CONTINUE,	/* fail its tasks, replace it, go on */
	POOL_CRASH_ABORT,	/* the pool is broken: every pending task fails */
};

struct pool_opts {
	enum model model;		/* MODEL_PROCESS, _THREAD or _GIL */
	unsigned workers;		/* at least 1 */
	enum pool_on_crash on_crash;
	double switch_interval_s;	/* MODEL_GIL; 0 means 5 ms */
	size_t arena_bytes;		/* 0 means POOL_ARENA_DEFAULT */
};

/* What the pool did, over its life. CPU and memory figures are complete
 * after pool_join or pool_terminate. */
struct pool_stats {
	size_t items_done;		/* items whose function returned 0 */
	size_t items_failed;		/* returned an error, or lost */
	unsigned deaths;		/* workers that died while it ran */
	unsigned replaced;		/* workers started in their place */
	int signal;			/* first signal that killed one, or 0 */
	double user_s, sys_s;		/* workers' CPU: wait4 for processes,
					 * RUSAGE_THREAD for threads */
	long max_rss_kib;		/* processes: the largest worker;
					 * threads: pvt's own peak */
};

struct pool;
struct pool_async;

/* Starts a pool and returns once every worker runs; or returns NULL with
 * errno set and the reason on stderr ("pvt: pool: fork: ..."), nothing
 * left running then. */
struct pool *pool_create(enum model model, unsigned workers);
struct pool *pool_create_opts(const struct pool_opts *o);

/* Calls fn on each of the n items (item_size bytes each, one after the
 * other in items) and writes the results in order into results
 * (result_size bytes each). The items go in chunks of chunksize; 0 picks
 * Python's: ceil(n / (4 x workers)); a chunksize over n makes one chunk.
 * Blocks until every item is done. Returns 0 when every item succeeded;
 * else -1 with errno EIO when some failed (pool_error says how many and
 * the first, whose result, like every failed item's, is unspecified);
 * EINVAL for a closed pool or bad arguments; EPIPE when the pool is (or
 * became) broken; EINTR when workers_stop() was called. n == 0 returns
 * 0. */
int pool_map(struct pool *p, pool_fn fn, const void *items, size_t item_size,
	     size_t n, size_t chunksize, void *results, size_t result_size);

/* Posts one task; blocks only while POOL_JOBS tasks are in flight or the
 * arena is full. Returns its handle, or NULL with errno set (EINVAL: the
 * pool is closed or the argument is too large; EPIPE: broken; EINTR) and
 * the reason in pool_error. */
struct pool_async *pool_apply_async(struct pool *p, pool_fn fn,
				    const void *arg, size_t arg_size,
				    size_t result_size);

/* Waits up to timeout_s seconds (negative: for ever) for the task.
 * Returns 0 with its result_size bytes copied into result (NULL: not
 * copied); else -1 with errno ETIMEDOUT when it is not done yet (it may
 * still complete), or EIO when it failed: its function returned an
 * error, its worker died, the pool was terminated or broken
 * (pool_async_error says which). */
int pool_get(struct pool_async *h, double timeout_s, void *result);

/* Whether the task is done, successfully or not; never blocks. */
bool pool_ready(struct pool_async *h);

/* Whether it is done and succeeded. */
bool pool_successful(struct pool_async *h);

/* Why it failed, or "" when it did not (yet). */
const char *pool_async_error(const struct pool_async *h);

/* Frees a handle; a task still running completes, its result dropped.
 * NULL is ignored. */
void pool_async_free(struct pool_async *h);

/* No more tasks: pool_map and pool_apply_async are refused from now on;
 * the workers exit once what was posted is done. Returns 0. */
int pool_close(struct pool *p);

/* After pool_close: waits for every task posted and for every worker to
 * exit, and reaps them. After pool_terminate: returns at once. Returns 0,
 * or -1 with errno EINVAL while the pool is open (pool_error says so), or
 * EINTR when workers_stop() was called. */
int pool_join(struct pool *p);

/* Stops now: process workers are killed (SIGKILL) and reaped; thread
 * workers stop before their next item (the one they are running
 * finishes: a thread cannot be killed). Every task not done fails.
 * Returns 0. */
int pool_terminate(struct pool *p);

/* Terminates the pool unless joined, and frees it; handles not freed yet
 * stay valid (their tasks failed, if not done). NULL is ignored. */
void pool_destroy(struct pool *p);

/* The reason the last call failed, or "". */
const char *pool_error(const struct pool *p);

const struct pool_stats *pool_stats(const struct pool *p);

/* Worker count, and the pid of worker i (pvt's own for threads). */
unsigned pool_workers(const struct pool *p);
pid_t pool_worker_pid(const struct pool *p, unsigned i);

#endif

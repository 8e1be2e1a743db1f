/* gil.h - an emulation of CPython's global interpreter lock
 *
 * One lock that a thread must hold to compute. A thread that waits longer
 * than the switch interval (CPython's sys.getswitchinterval(), 5 ms) asks
 * the holder to drop it; the holder notices at its next checkpoint, lets
 * go and does not take the lock back before another thread has had it
 * (CPython's FORCE_SWITCHING). Blocking I/O is done with the lock
 * released, as CPython's Py_BEGIN_ALLOW_THREADS does.
 */
#ifndef PVT_GIL_H
#define PVT_GIL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#define GIL_DEFAULT_INTERVAL 0.005	/* seconds, as CPython */

struct gil {
	pthread_mutex_t mu;
	pthread_cond_t cond;		/* signalled when the lock is free */
	pthread_cond_t switched;	/* signalled when a new holder took it */
	bool locked;			/* under mu */
	uint64_t switches;		/* hand-overs so far, under mu */
	atomic_bool drop_request;	/* a waiter asked the holder to let go */
	long interval_ns;		/* the switch interval */
};

/* Returns 0, or -1 with errno set (the pthread call's error); on error
 * nothing is left to destroy. interval_s must be positive. */
int gil_init(struct gil *g, double interval_s);
void gil_destroy(struct gil *g);

/* Blocks until the calling thread holds the lock. */
void gil_acquire(struct gil *g);

/* Lets go of the lock the calling thread holds. */
void gil_release(struct gil *g);

/* Whether a waiter has asked the holder to let go: one atomic load. */
static inline bool gil_drop_requested(struct gil *g)
{
	return atomic_load_explicit(&g->drop_request, memory_order_relaxed);
}

/* The holder lets go, waits until another thread has taken the lock,
 * then takes it back (CPython's forced switch). Only after
 * gil_drop_requested(): that waiter is what ends the wait. */
void gil_yield(struct gil *g);

/* Called often by a holder while it computes: when another thread has
 * waited a whole interval, hands the lock over and takes it back after.
 * Returns true when a hand-over happened. Costs one atomic load
 * otherwise. */
bool gil_checkpoint(struct gil *g);

/* Number of times the lock was taken so far. */
uint64_t gil_switches(struct gil *g);

#endif

/* gil.c - an emulation of CPython's global interpreter lock */
#define _POSIX_C_SOURCE 200809L
#include "engine/gil.h"

#include <errno.h>
#include <time.h>

int gil_init(struct gil *g, double interval_s)
{
	pthread_condattr_t ca;
	int err;

	g->locked = false;
	g->switches = 0;
	atomic_init(&g->drop_request, false);
	g->interval_ns = (long)(interval_s * 1e9);
	if (g->interval_ns < 1)
		g->interval_ns = 1;

	err = pthread_mutex_init(&g->mu, NULL);
	if (err) {
		errno = err;
		return -1;
	}
	err = pthread_condattr_init(&ca);
	if (err)
		goto out_mutex;
	/* timed waits measure the interval on the monotonic clock */
	err = pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	if (!err)
		err = pthread_cond_init(&g->cond, &ca);
	if (!err) {
		err = pthread_cond_init(&g->switched, NULL);
		if (err)
			pthread_cond_destroy(&g->cond);
	}
	pthread_condattr_destroy(&ca);
	if (!err)
		return 0;
out_mutex:
	pthread_mutex_destroy(&g->mu);
	errno = err;
	return -1;
}

void gil_destroy(struct gil *g)
{
	pthread_cond_destroy(&g->switched);
	pthread_cond_destroy(&g->cond);
	pthread_mutex_destroy(&g->mu);
}

static void deadline_after(struct timespec *ts, long ns)
{
	clock_gettime(CLOCK_MONOTONIC, ts);
	ts->tv_nsec += ns % 1000000000L;
	ts->tv_sec += ns / 1000000000L + ts->tv_nsec / 1000000000L;
	ts->tv_nsec %= 1000000000L;
}

void gil_acquire(struct gil *g)
{
	struct timespec until;

	pthread_mutex_lock(&g->mu);
	while (g->locked) {
		uint64_t seen = g->switches;

		deadline_after(&until, g->interval_ns);
		if (pthread_cond_timedwait(&g->cond, &g->mu, &until) ==
		    ETIMEDOUT && g->locked && g->switches == seen) {
			/* a whole interval without a hand-over: ask for one */
			atomic_store(&g->drop_request, true);
		}
	}
	g->locked = true;
	g->switches++;
	atomic_store(&g->drop_request, false);
	pthread_cond_signal(&g->switched);
	pthread_mutex_unlock(&g->mu);
}

static void release_locked(struct gil *g)
{
	g->locked = false;
	pthread_cond_signal(&g->cond);
}

void gil_release(struct gil *g)
{
	pthread_mutex_lock(&g->mu);
	release_locked(g);
	pthread_mutex_unlock(&g->mu);
}

void gil_yield(struct gil *g)
{
	uint64_t seen;

	pthread_mutex_lock(&g->mu);
	seen = g->switches;
	release_locked(g);
	/* Forced switching: wait until somebody else took the lock, so the
	 * thread that asked for it gets it rather than us again. */
	while (g->switches == seen)
		pthread_cond_wait(&g->switched, &g->mu);
	pthread_mutex_unlock(&g->mu);
	gil_acquire(g);
}

bool gil_checkpoint(struct gil *g)
{
	if (!gil_drop_requested(g))
		return false;
	gil_yield(g);
	return true;
}

uint64_t gil_switches(struct gil *g)
{
	uint64_t n;

	pthread_mutex_lock(&g->mu);
	n = g->switches;
	pthread_mutex_unlock(&g->mu);
	return n;
}

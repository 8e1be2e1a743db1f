/* lock.c - a mutex a workload can take without calling pthread_*() */
#define _POSIX_C_SOURCE 200809L
#include "engine/lock.h"

#include <errno.h>

/* A pthread call's error number as pvt's functions fail: -1 with errno
 * set. */
static int fail(int err)
{
	if (!err)
		return 0;
	errno = err;
	return -1;
}

int lock_init(struct lock *l, bool pshared)
{
	pthread_mutexattr_t ma;
	int err;

	err = pthread_mutexattr_init(&ma);
	if (err)
		return fail(err);
	err = pthread_mutexattr_setpshared(&ma, pshared ?
					   PTHREAD_PROCESS_SHARED :
					   PTHREAD_PROCESS_PRIVATE);
	/* a process killed while it holds the lock does not hang the
	 * others: the next taker gets it with EOWNERDEAD */
	if (!err && pshared)
		err = pthread_mutexattr_setrobust(&ma, PTHREAD_MUTEX_ROBUST);
	if (!err)
		err = pthread_mutex_init(&l->mu, &ma);
	pthread_mutexattr_destroy(&ma);
	return fail(err);
}

void lock_destroy(struct lock *l)
{
	pthread_mutex_destroy(&l->mu);
}

int lock_acquire(struct lock *l)
{
	int err = pthread_mutex_lock(&l->mu);

	/* what the dead owner guarded is the workload's to judge (a lost
	 * update is counted as such); the lock itself is sound again */
	if (err == EOWNERDEAD)
		err = pthread_mutex_consistent(&l->mu);
	return fail(err);
}

int lock_release(struct lock *l)
{
	return fail(pthread_mutex_unlock(&l->mu));
}

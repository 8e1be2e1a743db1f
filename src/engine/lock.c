/* lock.c - a mutex a workload can take without calling pthread_*() */
#define _POSIX_C_SOURCE 200809L
#include "engine/lock.h"

int lock_init(struct lock *l, bool pshared)
{
	pthread_mutexattr_t ma;
	int err;

	err = pthread_mutexattr_init(&ma);
	if (err)
		return err;
	err = pthread_mutexattr_setpshared(&ma, pshared ?
					   PTHREAD_PROCESS_SHARED :
					   PTHREAD_PROCESS_PRIVATE);
	if (!err)
		err = pthread_mutex_init(&l->mu, &ma);
	pthread_mutexattr_destroy(&ma);
	return err;
}

void lock_destroy(struct lock *l)
{
	pthread_mutex_destroy(&l->mu);
}

int lock_acquire(struct lock *l)
{
	return pthread_mutex_lock(&l->mu);
}

int lock_release(struct lock *l)
{
	return pthread_mutex_unlock(&l->mu);
}

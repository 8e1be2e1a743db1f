/* lock.h - a mutex a workload can take without calling pthread_*()
 *
 * For the scenarios that show what a lock protects and what it costs
 * (race): the engine keeps the pthread calls, the workload names only
 * lock_*. A lock shared by processes must live in MAP_SHARED memory
 * (shm_alloc) and be made with pshared set; a lock for threads of one
 * process is an ordinary one.
 */
#ifndef PVT_LOCK_H
#define PVT_LOCK_H

#include <pthread.h>
#include <stdbool.h>

struct lock {
	pthread_mutex_t mu;
};

/* Makes l, process-shared when pshared is true (PTHREAD_PROCESS_SHARED:
 * it then works between forked processes that share its memory).
 * Returns 0, or -1 with errno set (the pthread call's error) and
 * nothing left to destroy. */
int lock_init(struct lock *l, bool pshared);

/* Destroys a lock that no one holds. */
void lock_destroy(struct lock *l);

/* Takes l, waiting as long as it takes; a shared lock whose holder died
 * is taken over (robust). Returns 0, or -1 with errno set (then l is
 * not held). */
int lock_acquire(struct lock *l);

/* Lets go of l, which the caller holds. Returns 0, or -1 with errno
 * set. */
int lock_release(struct lock *l);

#endif

/* shm.h - memory shared between a parent and its forked children */
#ifndef PVT_SHM_H
#define PVT_SHM_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#define SHM_LINE 64	/* cache line: shared slots are padded to it */

/* Rounds n up to a whole number of cache lines. */
size_t shm_round(size_t n);

/* Anonymous MAP_SHARED memory, zeroed and page aligned, that survives
 * fork() as one object seen by parent and children. Returns NULL with
 * errno set on failure. */
void *shm_alloc(size_t len);

/* Unmaps what shm_alloc returned; NULL is ignored. */
void shm_free(void *p, size_t len);

/* A futex word in shared memory: waiting on it holds no lock, so a
 * process killed while it waits or wakes leaves nothing to recover and
 * nothing to destroy (a process-shared condition variable would).
 * shm_wait sleeps while *word == val, at most timeout_s seconds
 * (negative: no limit); it may return early (a wake, a signal), so the
 * caller checks its condition again. Returns 0, or -1 with errno set
 * when the futex call failed for another reason than EAGAIN, EINTR or
 * ETIMEDOUT. shm_wake wakes up to n waiters; returns 0 or -1 with errno
 * set. */
int shm_wait(_Atomic uint32_t *word, uint32_t val, double timeout_s);
int shm_wake(_Atomic uint32_t *word, int n);

#endif

/* shm.h - memory shared between a parent and its forked children */
#ifndef PVT_SHM_H
#define PVT_SHM_H

#include <stddef.h>

#define SHM_LINE 64	/* cache line: shared slots are padded to it */

/* Rounds n up to a whole number of cache lines. */
size_t shm_round(size_t n);

/* Anonymous MAP_SHARED memory, zeroed and page aligned, that survives
 * fork() as one object seen by parent and children. Returns NULL with
 * errno set on failure. */
void *shm_alloc(size_t len);

/* Unmaps what shm_alloc returned; NULL is ignored. */
void shm_free(void *p, size_t len);

#endif

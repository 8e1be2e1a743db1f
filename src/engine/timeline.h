/* timeline.h - when each worker ran a task, held the GIL or waited
 *
 * Events on the run's own clock (seconds since workers_run started, on
 * CLOCK_MONOTONIC), appended by the workers into MAP_SHARED memory with
 * one atomic add each: no system call, no lock, for every model.
 */
#ifndef PVT_TIMELINE_H
#define PVT_TIMELINE_H

#include <stdatomic.h>
#include <stddef.h>

enum tl_kind {
	TL_TASK,	/* a task, from start to end */
	TL_GIL_HELD,	/* gil model: the worker held the lock */
	TL_WAIT,	/* blocked in I/O (worker_io_begin .. end) */
	TL_GIL_WAIT,	/* gil model: waiting to take the lock, after I/O
			 * or after handing it over at a checkpoint */
};

struct tl_event {
	int worker;
	int kind;		/* enum tl_kind */
	long task;		/* TL_TASK: the task; -1 otherwise */
	double start_s, end_s;
};

struct timeline {
	_Atomic size_t n;	/* events appended, may exceed cap */
	size_t cap;
	struct tl_event ev[];
};

/* A timeline for cap events in shared memory. Returns NULL with errno
 * set on failure. */
struct timeline *timeline_create(size_t cap);
void timeline_destroy(struct timeline *tl);

/* Forgets every event. */
void timeline_reset(struct timeline *tl);

/* Appends an event; beyond cap it is counted but not kept. Safe from any
 * worker, process or thread. */
void timeline_add(struct timeline *tl, int worker, enum tl_kind kind,
		  long task, double start_s, double end_s);

/* Events kept, and events lost for want of room. */
size_t timeline_kept(const struct timeline *tl);
size_t timeline_dropped(const struct timeline *tl);

/* "task", "gil-held", "wait", "gil-wait". */
const char *timeline_kind_name(enum tl_kind kind);

#endif

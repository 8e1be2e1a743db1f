/* timeline.c - when each worker ran a task, held the GIL or waited */
#include "engine/timeline.h"

#include "engine/shm.h"

static size_t bytes(size_t cap)
{
	return sizeof(struct timeline) + cap * sizeof(struct tl_event);
}

struct timeline *timeline_create(size_t cap)
{
	struct timeline *tl = shm_alloc(bytes(cap));

	if (tl)
		tl->cap = cap;
	return tl;
}

void timeline_destroy(struct timeline *tl)
{
	if (tl)
		shm_free(tl, bytes(tl->cap));
}

void timeline_reset(struct timeline *tl)
{
	atomic_store(&tl->n, 0);
}

void timeline_add(struct timeline *tl, int worker, enum tl_kind kind,
		  long task, double start_s, double end_s)
{
	size_t i = atomic_fetch_add_explicit(&tl->n, 1, memory_order_relaxed);

	if (i >= tl->cap)
		return;
	tl->ev[i] = (struct tl_event){
		.worker = worker, .kind = kind, .task = task,
		.start_s = start_s, .end_s = end_s,
	};
}

size_t timeline_kept(const struct timeline *tl)
{
	size_t n = atomic_load(&((struct timeline *)tl)->n);

	return n < tl->cap ? n : tl->cap;
}

size_t timeline_dropped(const struct timeline *tl)
{
	size_t n = atomic_load(&((struct timeline *)tl)->n);

	return n > tl->cap ? n - tl->cap : 0;
}

const char *timeline_kind_name(enum tl_kind kind)
{
	switch (kind) {
	case TL_TASK:
		return "task";
	case TL_GIL_HELD:
		return "gil-held";
	case TL_WAIT:
		return "wait";
	case TL_GIL_WAIT:
		return "gil-wait";
	}
	return "?";
}

/* test_lock.c - a lock keeps every increment, between threads and
 * between processes (process-shared, in MAP_SHARED memory) */
#include <errno.h>
#include <stdint.h>

#include "check.h"
#include "engine/lock.h"
#include "engine/shm.h"
#include "engine/workers.h"

#define PER_WORKER 20000

struct shared {
	struct lock lock;
	volatile uint64_t count;
};

static int add(const void *ctx, void *local, size_t task, void *result)
{
	struct shared *s = *(struct shared *const *)ctx;

	(void)local;
	(void)task;
	(void)result;
	for (int i = 0; i < PER_WORKER; i++) {
		if (lock_acquire(&s->lock))
			return 1;
		s->count = s->count + 1;
		if (lock_release(&s->lock))
			return 1;
	}
	return 0;
}

int main(void)
{
	struct shared *s = shm_alloc(sizeof(*s));
	enum model models[] = { MODEL_THREAD, MODEL_PROCESS };

	CHECK(s != NULL);
	for (size_t i = 0; i < 2; i++) {
		struct run_spec spec = {
			.model = models[i], .workers = 4, .tasks = 4,
			.fn = add, .ctx = &s, .dist = DIST_STATIC,
		};
		struct run_stats st;
		struct results r;

		s->count = 0;
		CHECK(lock_init(&s->lock, models[i] == MODEL_PROCESS) == 0);
		CHECK(results_create(&r, 4, 0) == 0);
		CHECK(workers_run(&spec, &r, &st) == 0);
		CHECK(s->count == 4 * PER_WORKER);
		results_destroy(&r);
		lock_destroy(&s->lock);
	}
	CHECK(lock_init(&s->lock, false) == 0);
	CHECK(lock_acquire(&s->lock) == 0 && lock_release(&s->lock) == 0);
	lock_destroy(&s->lock);
	/* a robust (shared) lock knows its owner: letting go of one not
	 * held fails as pvt's calls fail, -1 with pthread's error in errno */
	CHECK(lock_init(&s->lock, true) == 0);
	errno = 0;
	CHECK(lock_release(&s->lock) == -1 && errno == EPERM);
	lock_destroy(&s->lock);
	shm_free(s, sizeof(*s));
	return CHECK_DONE();
}

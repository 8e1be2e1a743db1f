/* test_timeline.c - what the workers record: a gil worker back from I/O
 * waits for the lock while another computes, and that wait is recorded */
#include <math.h>
#include <stdatomic.h>

#include "check.h"
#include "engine/workers.h"

#define INTERVAL 0.002	/* the switch interval of the runs */
#define IO_ROUNDS 20

struct ctx {
	_Atomic int *io_done;	/* in shared memory of the results */
};

/* Task 0 computes until task 1 is done; task 1 sleeps (I/O) 20 times. */
static int task(const void *vctx, void *local, size_t t, void *result)
{
	const struct ctx *c = vctx;
	volatile unsigned long x = 0;

	(void)local;
	(void)result;
	if (t == 1) {
		for (int i = 0; i < IO_ROUNDS; i++)
			worker_sleep(0.0005);
		atomic_store(c->io_done, 1);
		return 0;
	}
	while (!atomic_load(c->io_done)) {
		for (int i = 0; i < 2000; i++)
			x += (unsigned long)i;
		worker_checkpoint();
	}
	return 0;
}

/* Runs the pair under model m; returns the timeline (NULL on failure). */
static struct timeline *run(enum model m, struct results *r)
{
	struct timeline *tl = timeline_create(1 << 16);
	struct ctx c;
	struct run_spec spec = {
		.model = m, .workers = 2, .tasks = 3, .fn = task, .ctx = &c,
		.switch_interval_s = INTERVAL, .timeline = tl,
		.dist = DIST_STATIC,
	};
	struct run_stats st;

	if (!tl || results_create(r, 3, sizeof(int)))
		return NULL;
	/* task 2's slot, untouched by the workers' results, is the flag;
	 * worker 0 runs tasks 0 and 2, task 2 being a no-op once set */
	c.io_done = results_at(r, 2);
	CHECK(workers_run(&spec, r, &st) == 0);
	return tl;
}

static size_t count(const struct timeline *tl, int worker, int kind,
		    double at_least_s)
{
	size_t n = 0;

	for (size_t i = 0; i < timeline_kept(tl); i++) {
		const struct tl_event *e = &tl->ev[i];

		if (e->worker == worker && e->kind == kind &&
		    e->end_s - e->start_s >= at_least_s &&
		    e->end_s >= e->start_s)
			n++;
	}
	return n;
}

int main(void)
{
	struct results r;
	struct timeline *tl;

	CHECK(timeline_kind_name(TL_GIL_WAIT)[0] == 'g');
	tl = run(MODEL_GIL, &r);
	CHECK(tl != NULL);
	if (!tl)
		return CHECK_DONE();
	CHECK(count(tl, 1, TL_WAIT, 0) == IO_ROUNDS);
	/* back from a sleep, the I/O worker asked for the lock while
	 * worker 0 computed: it got it only after a whole interval (in some
	 * rounds: on a loaded machine worker 0 may start late or be
	 * descheduled) */
	CHECK(count(tl, 1, TL_GIL_WAIT, 0.9 * INTERVAL) >= IO_ROUNDS / 4);
	/* worker 0 handed the lock over at a checkpoint and waited too */
	CHECK(count(tl, 0, TL_GIL_WAIT, 0) >= 1);
	CHECK(count(tl, 0, TL_GIL_HELD, 0) >= 1);
	timeline_destroy(tl);
	results_destroy(&r);

	/* no lock, no lock waits */
	tl = run(MODEL_THREAD, &r);
	CHECK(tl != NULL);
	if (tl) {
		CHECK(count(tl, 1, TL_WAIT, 0) == IO_ROUNDS);
		CHECK(count(tl, 0, TL_GIL_WAIT, 0) + count(tl, 1, TL_GIL_WAIT, 0)
		      == 0);
		timeline_destroy(tl);
		results_destroy(&r);
	}
	return CHECK_DONE();
}

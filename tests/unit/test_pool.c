/* test_pool.c - pools on every model: map, apply_async, close, join,
 * terminate, and what a dying process worker does to them */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "measure/measure.h"
#include "engine/pool.h"

/* What a task does, chosen by its argument's `how`. */
enum how { SQUARE, FAIL, SEGV, KILL9, EXIT3, NAP, SOLO };

struct arg {
	uint64_t x;
	int how;
	int ms;			/* NAP, SOLO: how long */
};

/* Whether a call returned -1 with errno err, as pvt's calls fail. */
static int fails(int rc, int err)
{
	return rc == -1 && errno == err;
}

struct res {
	uint64_t sq;
	pid_t pid;
};

static _Atomic int inside, overlapped;

static void nap_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	worker_io_begin();
	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
	worker_io_end();
}

/* No core file, and no core_pattern helper, for the crashes we ask for;
 * and the default action, should a sanitizer have caught the signal. */
static void no_core(int sig)
{
	struct rlimit rl = { 0, 0 };

	setrlimit(RLIMIT_CORE, &rl);
	prctl(PR_SET_DUMPABLE, 0);
	signal(sig, SIG_DFL);
}

static int task(const void *argp, void *resp)
{
	const struct arg *a = argp;
	struct res *r = resp;

	worker_checkpoint();
	switch (a->how) {
	case FAIL:
		return 42;
	case SEGV:
		no_core(SIGSEGV);
		raise(SIGSEGV);
		break;
	case KILL9:
		raise(SIGKILL);
		break;
	case EXIT3:
		_exit(3);
	case NAP:
		nap_ms(a->ms);
		break;
	case SOLO: {
		/* computes for a while without a checkpoint: under the GIL
		 * nobody else may be inside at the same time */
		double until = measure_now() + a->ms / 1e3;

		if (atomic_fetch_add(&inside, 1))
			atomic_store(&overlapped, 1);
		while (measure_now() < until)
			;
		atomic_fetch_sub(&inside, 1);
		break;
	}
	}
	r->sq = a->x * a->x;
	r->pid = getpid();
	return 0;
}

static int no_children(void)
{
	return waitpid(-1, NULL, WNOHANG) == -1 && errno == ECHILD;
}

static struct arg *items(size_t n)
{
	struct arg *a = calloc(n ? n : 1, sizeof(*a));

	for (size_t i = 0; i < n; i++)
		a[i].x = i;
	return a;
}

/* Every result i is i*i, except those in [skip_lo, skip_hi). */
static int squares(const struct res *r, size_t n, size_t skip_lo,
		   size_t skip_hi)
{
	for (size_t i = 0; i < n; i++)
		if ((i < skip_lo || i >= skip_hi) && r[i].sq != i * i)
			return 0;
	return 1;
}

static void test_map(enum model m)
{
	const size_t n = 1000;
	struct arg *a = items(n);
	struct res *r = calloc(n, sizeof(*r));
	const size_t chunks[] = { 1, 7, 0, 1000, 5000 };
	struct pool *p = pool_create(m, 3);

	CHECK(p != NULL);
	for (size_t k = 0; k < sizeof(chunks) / sizeof(*chunks); k++) {
		memset(r, 0xff, n * sizeof(*r));
		CHECK(pool_map(p, task, a, sizeof(*a), n, chunks[k], r,
			       sizeof(*r)) == 0);
		CHECK(squares(r, n, 0, 0));
		CHECK(pool_error(p)[0] == 0);
	}
	/* where it ran: another process, or pvt's own */
	CHECK(m == MODEL_PROCESS ? r[0].pid != getpid() :
	      r[0].pid == getpid());
	/* empty input */
	CHECK(pool_map(p, task, a, sizeof(*a), 0, 1, r, sizeof(*r)) == 0);
	/* more items than POOL_JOBS x chunk: several maps back to back */
	for (int rep = 0; rep < 3; rep++)
		CHECK(pool_map(p, task, a, sizeof(*a), 300, 1, r,
			       sizeof(*r)) == 0 && squares(r, 300, 0, 0));
	CHECK(pool_stats(p)->items_done == 5 * n + 900);
	CHECK(pool_stats(p)->items_failed == 0);
	/* join before close is refused, after close works */
	CHECK(fails(pool_join(p), EINVAL) && strstr(pool_error(p), "open"));
	CHECK(pool_close(p) == 0);
	CHECK(fails(pool_map(p, task, a, sizeof(*a), 10, 1, r, sizeof(*r)),
		    EINVAL));
	CHECK(strstr(pool_error(p), "closed") != NULL);
	errno = 0;
	CHECK(pool_apply_async(p, task, a, sizeof(*a), sizeof(*r)) == NULL &&
	      errno == EINVAL);
	CHECK(pool_join(p) == 0);
	CHECK(pool_join(p) == 0);
	CHECK(no_children());
	CHECK(m != MODEL_PROCESS || pool_stats(p)->max_rss_kib > 0);
	pool_destroy(p);
	free(a);
	free(r);
}

/* A map larger than the arena goes in several jobs; a chunk that cannot
 * fit is refused. */
static void test_small_arena(enum model m)
{
	struct pool_opts o = { .model = m, .workers = 2,
			       .arena_bytes = 16 << 10 };
	const size_t n = 5000;		/* 5000 x 32 bytes: 160 KiB */
	struct arg *a = items(n);
	struct res *r = calloc(n, sizeof(*r));
	struct pool *p = pool_create_opts(&o);

	CHECK(p != NULL);
	CHECK(pool_map(p, task, a, sizeof(*a), n, 3, r, sizeof(*r)) == 0);
	CHECK(squares(r, n, 0, 0));
	CHECK(fails(pool_map(p, task, a, sizeof(*a), n, 4000, r, sizeof(*r)),
		    EINVAL) && strstr(pool_error(p), "arena"));
	/* the pool is still good */
	CHECK(pool_map(p, task, a, sizeof(*a), 100, 0, r, sizeof(*r)) == 0);
	pool_destroy(p);
	CHECK(no_children());
	free(a);
	free(r);
}

static void test_async(enum model m)
{
	struct pool *p = pool_create(m, 2);
	struct arg a = { .x = 12 }, nap = { .x = 3, .how = NAP, .ms = 300 };
	struct arg bad = { .how = FAIL };
	struct pool_async *h, *slow, *hs[600];
	struct res r = { 0 };
	int all = 1;

	CHECK(p != NULL);
	h = pool_apply_async(p, task, &a, sizeof(a), sizeof(r));
	CHECK(h != NULL);
	CHECK(pool_get(h, 5, &r) == 0 && r.sq == 144);
	CHECK(pool_ready(h) && pool_successful(h));
	CHECK(pool_async_error(h)[0] == 0);
	pool_async_free(h);

	/* get with a timeout: not ready yet, then ready */
	slow = pool_apply_async(p, task, &nap, sizeof(nap), sizeof(r));
	CHECK(slow != NULL);
	double t0 = measure_now();
	CHECK(fails(pool_get(slow, 0.03, &r), ETIMEDOUT));
	CHECK(measure_now() - t0 < 0.25);
	CHECK(!pool_ready(slow) && !pool_successful(slow));
	CHECK(fails(pool_get(slow, 0, NULL), ETIMEDOUT));
	CHECK(pool_get(slow, -1, &r) == 0 && r.sq == 9);
	CHECK(pool_ready(slow));
	pool_async_free(slow);

	/* a task that fails */
	h = pool_apply_async(p, task, &bad, sizeof(bad), sizeof(r));
	CHECK(fails(pool_get(h, -1, &r), EIO));
	CHECK(pool_ready(h) && !pool_successful(h));
	CHECK(strstr(pool_async_error(h), "code 42") != NULL);
	pool_async_free(h);

	/* more tasks in flight than the ring holds: posting waits */
	for (size_t i = 0; i < 600; i++) {
		struct arg x = { .x = i };

		hs[i] = pool_apply_async(p, task, &x, sizeof(x), sizeof(r));
		all &= hs[i] != NULL;
	}
	CHECK(all);
	for (size_t i = 0; all && i < 600; i++) {
		all &= pool_get(hs[i], -1, &r) == 0 && r.sq == i * i;
		pool_async_free(hs[i]);
	}
	CHECK(all);
	/* a handle freed before its task ran */
	h = pool_apply_async(p, task, &nap, sizeof(nap), sizeof(r));
	pool_async_free(h);
	CHECK(pool_close(p) == 0 && pool_join(p) == 0);
	CHECK(no_children());
	pool_destroy(p);
}

/* A map whose item 5 returns an error: the rest complete. */
static void test_failing_item(enum model m)
{
	const size_t n = 40;
	struct arg *a = items(n);
	struct res *r = calloc(n, sizeof(*r));
	struct pool *p = pool_create(m, 2);

	a[5].how = FAIL;
	CHECK(fails(pool_map(p, task, a, sizeof(*a), n, 4, r, sizeof(*r)),
		    EIO));
	CHECK(strstr(pool_error(p), "1 of 40 item(s) failed") != NULL);
	CHECK(strstr(pool_error(p), "item 5 failed (code 42)") != NULL);
	CHECK(squares(r, n, 5, 6));
	CHECK(pool_stats(p)->items_failed == 1);
	pool_destroy(p);
	CHECK(no_children());
	free(a);
	free(r);
}

/* terminate: what runs stops (processes at once, threads after their
 * current item), what waits fails, nothing is left behind. */
static void test_terminate(enum model m)
{
	struct pool *p = pool_create(m, 2);
	struct arg nap = { .x = 2, .how = NAP, .ms = 50 };
	struct pool_async *hs[40];
	struct res r;
	double t0;
	size_t failed = 0;

	for (int i = 0; i < 40; i++)
		hs[i] = pool_apply_async(p, task, &nap, sizeof(nap), sizeof(r));
	nap_ms(20);
	t0 = measure_now();
	CHECK(pool_terminate(p) == 0);
	/* 40 naps of 50 ms on 2 workers take a second */
	CHECK(measure_now() - t0 < 0.5);
	CHECK(no_children());
	for (int i = 0; i < 40; i++) {
		if (fails(pool_get(hs[i], 1, &r), EIO)) {
			failed++;
			CHECK(strstr(pool_async_error(hs[i]), "terminated"));
		}
		pool_async_free(hs[i]);
	}
	CHECK(failed >= 30);
	CHECK(pool_apply_async(p, task, &nap, sizeof(nap), sizeof(r)) ==
	      NULL);
	CHECK(pool_join(p) == 0);
	pool_destroy(p);

	/* destroy without join: handles outlive the pool */
	p = pool_create(m, 1);
	struct pool_async *h = pool_apply_async(p, task, &nap, sizeof(nap),
						sizeof(r));
	struct pool_async *h2 = pool_apply_async(p, task, &nap, sizeof(nap),
						 sizeof(r));
	pool_destroy(p);
	CHECK(no_children());
	CHECK(fails(pool_get(h2, 1, &r), EIO) && pool_ready(h2));
	pool_get(h, 0, NULL);
	pool_async_free(h);
	pool_async_free(h2);
}

/* The GIL: one task computes at a time, and the workers hand it over. */
static void test_gil(void)
{
	struct arg a[8];
	struct res r[8];
	struct pool *p = pool_create(MODEL_GIL, 4);

	for (int i = 0; i < 8; i++)
		a[i] = (struct arg){ .x = (uint64_t)i, .how = SOLO, .ms = 5 };
	atomic_store(&overlapped, 0);
	CHECK(pool_map(p, task, a, sizeof(*a), 8, 1, r, sizeof(*r)) == 0);
	CHECK(atomic_load(&overlapped) == 0);
	CHECK(squares(r, 8, 0, 0));
	/* sleeping lets go of it: 4 naps of 100 ms together */
	for (int i = 0; i < 4; i++)
		a[i] = (struct arg){ .x = (uint64_t)i, .how = NAP, .ms = 100 };
	double t0 = measure_now();
	CHECK(pool_map(p, task, a, sizeof(*a), 4, 1, r, sizeof(*r)) == 0);
	CHECK(measure_now() - t0 < 0.3);
	pool_destroy(p);
}

/* A process worker that dies while it holds an item. */
static void test_crash_continue(void)
{
	const size_t n = 40;
	struct arg *a = items(n);
	struct res *r = calloc(n, sizeof(*r));
	struct pool *p = pool_create(MODEL_PROCESS, 2);
	double t0;

	/* SIGSEGV in item 7, chunks of 1: only item 7 fails */
	a[7].how = SEGV;
	t0 = measure_now();
	CHECK(fails(pool_map(p, task, a, sizeof(*a), n, 1, r, sizeof(*r)),
		    EIO));
	CHECK(measure_now() - t0 < 2);
	CHECK(strstr(pool_error(p), "1 of 40 item(s) failed") != NULL);
	CHECK(strstr(pool_error(p), "item 7: worker ") != NULL);
	CHECK(strstr(pool_error(p), "killed by SIGSEGV while running it"));
	CHECK(squares(r, n, 7, 8));
	CHECK(r[7].sq == 0);
	CHECK(pool_stats(p)->deaths == 1 && pool_stats(p)->replaced == 1);
	CHECK(pool_stats(p)->signal == SIGSEGV);

	/* chunks of 4: item 5 dies, 6 and 7 of its chunk are not run */
	a[7].how = SQUARE;
	a[5].how = KILL9;
	CHECK(fails(pool_map(p, task, a, sizeof(*a), n, 4, r, sizeof(*r)),
		    EIO));
	CHECK(strstr(pool_error(p), "3 of 40 item(s) failed") != NULL);
	CHECK(strstr(pool_error(p), "item 5: worker ") != NULL);
	CHECK(strstr(pool_error(p), "SIGKILL") != NULL);
	CHECK(strstr(pool_error(p), "and 2 item(s) of its chunk not run"));
	CHECK(squares(r, n, 5, 8));

	/* the replacements work: a clean map completes */
	a[5].how = SQUARE;
	CHECK(pool_map(p, task, a, sizeof(*a), n, 1, r, sizeof(*r)) == 0);
	CHECK(squares(r, n, 0, 0));

	/* apply_async whose worker exits: get fails, it does not hang */
	struct arg ex = { .how = EXIT3 };
	struct pool_async *h = pool_apply_async(p, task, &ex, sizeof(ex),
						sizeof(*r));
	t0 = measure_now();
	CHECK(fails(pool_get(h, 5, r), EIO));
	CHECK(measure_now() - t0 < 2);
	CHECK(strstr(pool_async_error(h), "exited with status 3") != NULL);
	pool_async_free(h);

	/* a worker killed from outside while idle is replaced */
	unsigned deaths = pool_stats(p)->deaths;
	pid_t victim = pool_worker_pid(p, 0);
	CHECK(victim > 0 && kill(victim, SIGKILL) == 0);
	nap_ms(30);
	CHECK(pool_map(p, task, a, sizeof(*a), n, 2, r, sizeof(*r)) == 0);
	CHECK(squares(r, n, 0, 0));
	for (int i = 0; i < 50 && pool_stats(p)->deaths == deaths; i++) {
		struct arg x = { .x = 3 };

		h = pool_apply_async(p, task, &x, sizeof(x), sizeof(*r));
		CHECK(pool_get(h, 1, r) == 0);
		pool_async_free(h);
	}
	CHECK(pool_stats(p)->deaths == deaths + 1);
	CHECK(pool_worker_pid(p, 0) > 0 && pool_worker_pid(p, 0) != victim);
	CHECK(pool_close(p) == 0 && pool_join(p) == 0);
	CHECK(no_children());
	pool_destroy(p);
	free(a);
	free(r);
}

/* With POOL_CRASH_ABORT a death breaks the pool, like BrokenProcessPool. */
static void test_crash_abort(void)
{
	struct pool_opts o = { .model = MODEL_PROCESS, .workers = 2,
			       .on_crash = POOL_CRASH_ABORT };
	const size_t n = 40;
	struct arg *a = items(n);
	struct res *r = calloc(n, sizeof(*r));
	struct arg nap = { .how = NAP, .ms = 2000 };
	struct pool *p = pool_create_opts(&o);
	struct pool_async *h;
	double t0 = measure_now();

	a[9].how = SEGV;
	a[10] = nap;
	CHECK(fails(pool_map(p, task, a, sizeof(*a), n, 1, r, sizeof(*r)),
		    EPIPE));
	CHECK(measure_now() - t0 < 1.5);
	CHECK(strstr(pool_error(p), "the pool is broken: worker ") != NULL);
	CHECK(strstr(pool_error(p), "killed by SIGSEGV") != NULL);
	CHECK(no_children());
	errno = 0;
	h = pool_apply_async(p, task, &nap, sizeof(nap), sizeof(*r));
	CHECK(h == NULL && errno == EPIPE);
	CHECK(fails(pool_map(p, task, a, sizeof(*a), 4, 1, r, sizeof(*r)),
		    EPIPE));
	CHECK(strstr(pool_error(p), "broken") != NULL);
	CHECK(pool_join(p) == 0);
	pool_destroy(p);

	/* a pending task fails with the reason, instead of hanging */
	p = pool_create_opts(&o);
	struct arg die = { .how = KILL9 };
	struct pool_async *slow = pool_apply_async(p, task, &nap, sizeof(nap),
						   sizeof(*r));
	h = pool_apply_async(p, task, &die, sizeof(die), sizeof(*r));
	CHECK(fails(pool_get(h, 5, r), EIO));
	CHECK(strstr(pool_async_error(h), "SIGKILL") != NULL);
	CHECK(fails(pool_get(slow, 5, r), EIO));
	CHECK(strstr(pool_async_error(slow), "broken") != NULL);
	pool_async_free(h);
	pool_async_free(slow);
	CHECK(pool_terminate(p) == 0 && no_children());
	pool_destroy(p);
	free(a);
	free(r);
}

/* Bad requests are refused. */
static void test_refused(void)
{
	CHECK(pool_create(MODEL_THREAD, 0) == NULL && errno == EINVAL);
	CHECK(pool_create(MODEL_SEQUENTIAL, 2) == NULL && errno == EINVAL);
}

int main(void)
{
	const enum model models[] = { MODEL_PROCESS, MODEL_THREAD, MODEL_GIL };

	for (size_t i = 0; i < 3; i++) {
		test_map(models[i]);
		test_small_arena(models[i]);
		test_async(models[i]);
		test_failing_item(models[i]);
		test_terminate(models[i]);
		CHECK(no_children());
	}
	test_gil();
	test_crash_continue();
	test_crash_abort();
	test_refused();
	CHECK(no_children());
	return CHECK_DONE();
}

/* race.c - workers that increment one shared counter: lost updates, and
 * what a mutex and atomics cost to prevent them
 *
 * N workers each add 1 to one counter M times, under three methods: no
 * lock (a plain load then store, so that an increment another worker made
 * in between is overwritten), a mutex (process-shared for processes), and
 * a C11 atomic fetch-add. The counter lives in MAP_SHARED memory, so the
 * process workers share it as the threads do. Expected is N x M; what is
 * missing was lost. Every run is timed; the lost updates are counted,
 * never assumed, and so is how long the workers' loops overlapped in
 * time: workers that never ran at once cannot race.
 */
#include <errno.h>
#include <sched.h>
#include <math.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/lock.h"
#include "measure/measure.h"
#include "face/scenario.h"
#include "engine/shm.h"
#include "measure/bench.h"
#include "measure/sysinfo.h"

enum race_method { RACE_NONE, RACE_MUTEX, RACE_ATOMIC, RACE_METHODS };

static const char *const race_methods[RACE_METHODS] = {
	[RACE_NONE] = "none", [RACE_MUTEX] = "mutex", [RACE_ATOMIC] = "atomic",
};

/* The counters, each on cache lines of its own, in MAP_SHARED memory. */
struct race_shared {
	_Alignas(SHM_LINE) volatile uint64_t plain;	/* none and mutex */
	_Alignas(SHM_LINE) _Atomic uint64_t atomic;
	_Alignas(SHM_LINE) struct lock lock;
	_Alignas(SHM_LINE) _Atomic unsigned arrived;	/* at the start line */
};

struct race_ctx {
	struct race_shared *sh;
	enum race_method method;
	uint64_t increments;	/* per worker */
	unsigned workers;
	int spin;		/* no more workers than cores: wait at the
				 * start line without yielding */
};

/* When each worker's increment loop began and ended (CLOCK_MONOTONIC,
 * the same clock in every process). */
struct race_result {
	double start_s, end_s;
};

/* How often a worker waiting at the start line lets others run, when
 * there are more workers than cores. */
#define YIELD_EVERY 1024

/* The race on purpose: a load, then a store of the value plus one. A
 * store by another worker between the two is overwritten: that update is
 * lost. volatile makes the compiler do every load and store, in order,
 * instead of adding n once. (ThreadSanitizer would only report what this
 * scenario exists to show.) */
__attribute__((no_sanitize("thread")))
static void add_unlocked(volatile uint64_t *p, uint64_t n)
{
	for (uint64_t i = 0; i < n; i++) {
		uint64_t v = *p;

		*p = v + 1;
	}
}

/* The same load and store, with the lock held around them. Returns 0,
 * or -1 with errno set. */
static int add_locked(struct lock *l, volatile uint64_t *p, uint64_t n)
{
	for (uint64_t i = 0; i < n; i++) {
		if (lock_acquire(l))
			return -1;
		*p = *p + 1;
		if (lock_release(l))
			return -1;
	}
	return 0;
}

static void add_atomic(_Atomic uint64_t *p, uint64_t n)
{
	for (uint64_t i = 0; i < n; i++)
		atomic_fetch_add_explicit(p, 1, memory_order_relaxed);
}

/* Waits, spinning, until every worker has arrived: a woken worker can
 * be a scheduling slice late, and a worker that adds a million in under
 * a millisecond would then have finished before the next one starts,
 * racing nobody. A worker that yields while it waits may be off its core
 * when the last one arrives, so it yields only when the workers
 * outnumber the cores. */
static void start_line(struct race_shared *sh, unsigned workers, int spin)
{
	atomic_fetch_add(&sh->arrived, 1);
	for (unsigned spins = 1; atomic_load(&sh->arrived) < workers; spins++)
		if (!spin && spins % YIELD_EVERY == 0)
			sched_yield();
}

static int race_task(const void *ctx, void *local, size_t task, void *result)
{
	const struct race_ctx *c = ctx;
	struct race_result *r = result;
	int rc = 0;

	(void)local;
	(void)task;
	start_line(c->sh, c->workers, c->spin);
	r->start_s = measure_now();
	switch (c->method) {
	case RACE_NONE:
		add_unlocked(&c->sh->plain, c->increments);
		break;
	case RACE_MUTEX:
		/* the task's code: the lock's error number */
		rc = add_locked(&c->sh->lock, &c->sh->plain, c->increments) ?
		     errno : 0;
		break;
	case RACE_ATOMIC:
		add_atomic(&c->sh->atomic, c->increments);
		break;
	default:
		rc = -1;
	}
	r->end_s = measure_now();
	return rc;
}

/* The figures of a row, in bench.figures order. */
#define FIGURES "expected,actual,lost_updates,lost_pct,overlap_s,loop_s," \
		"ns_per_increment"
enum { F_EXPECTED, F_ACTUAL, F_LOST, F_LOST_PCT, F_OVERLAP, F_LOOP, F_NS };

static int by_time(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	/* an end (odd: stored negated) before a start at the same time */
	return fabs(x) < fabs(y) ? -1 : fabs(x) > fabs(y) ? 1 : (x > y) - (x < y);
}

/* The time during which at least two workers were in their increment
 * loops. ev: 2 x tasks scratch. */
static double overlap(const struct results *r, double *ev)
{
	size_t n = r->tasks, depth = 0;
	double s = 0;

	for (size_t t = 0; t < n; t++) {
		const struct race_result *x = results_at(r, t);

		ev[2 * t] = x->start_s;
		ev[2 * t + 1] = -x->end_s;	/* negative: an end */
	}
	qsort(ev, 2 * n, sizeof(*ev), by_time);
	for (size_t i = 0; i < 2 * n; i++) {
		if (depth >= 2 && i)
			s += fabs(ev[i]) - fabs(ev[i - 1]);
		depth = ev[i] >= 0 ? depth + 1 : depth - 1;
	}
	return s;
}

/* One run of row->conf: a fresh counter and lock, the workers, the
 * count. Returns 0 when the run is good (every task done; no update lost
 * with a lock or atomics; never more than expected). */
static int race_once(void *vctx, struct bench_row *row)
{
	struct race_ctx *ctx = vctx;
	const struct bench_conf *k = row->conf;
	const struct config *cfg = k->arg;
	struct run_spec spec = {
		.model = k->model, .workers = k->workers,
		.tasks = k->workers, .fn = race_task, .ctx = ctx,
		.cpus = cfg->cpus, .ncpus = cfg->ncpus, .dist = DIST_STATIC,
	};
	struct race_shared *sh = ctx->sh;
	double ev[2 * k->workers], first = INFINITY, last = -INFINITY, sum = 0;
	uint64_t expected = (uint64_t)k->workers * ctx->increments, actual;
	int rc;

	struct results r;

	for (int m = 0; m < RACE_METHODS; m++)
		if (!strcmp(k->key[0], race_methods[m]))
			ctx->method = (enum race_method)m;
	ctx->workers = k->workers;
	sh->plain = 0;
	atomic_store(&sh->atomic, 0);
	atomic_store(&sh->arrived, 0);
	if (results_create(&r, k->workers, sizeof(struct race_result))) {
		snprintf(row->st.why, sizeof(row->st.why), "mmap: %s",
			 strerror(errno));
		return -1;
	}
	if (lock_init(&sh->lock, k->model == MODEL_PROCESS)) {
		snprintf(row->st.why, sizeof(row->st.why), "pthread_mutex_init: "
			 "%s", strerror(errno));
		results_destroy(&r);
		return -1;
	}
	rc = workers_run(&spec, &r, &row->st);
	lock_destroy(&sh->lock);
	actual = ctx->method == RACE_ATOMIC ? atomic_load(&sh->atomic) :
		 sh->plain;
	for (size_t t = 0; t < k->workers; t++) {
		const struct race_result *x = results_at(&r, t);

		first = x->start_s < first ? x->start_s : first;
		last = x->end_s > last ? x->end_s : last;
		sum += x->end_s - x->start_s;
	}
	row->fig[F_EXPECTED] = (double)expected;
	row->fig[F_ACTUAL] = (double)actual;
	row->fig[F_LOST] = (double)expected - (double)actual;
	row->fig[F_LOST_PCT] = 100 * row->fig[F_LOST] / (double)expected;
	row->fig[F_OVERLAP] = rc ? NAN : overlap(&r, ev);
	row->fig[F_LOOP] = rc ? NAN : last - first;
	row->fig[F_NS] = rc ? NAN : sum * 1e9 / (double)expected;
	results_destroy(&r);
	if (rc)
		return -1;
	if (actual > expected ||
	    (ctx->method != RACE_NONE && actual != expected)) {
		snprintf(row->st.why, sizeof(row->st.why), "counted %llu of "
			 "%llu", (unsigned long long)actual,
			 (unsigned long long)expected);
		return -1;
	}
	return 0;
}

/* What the runs of k (failed ones too) lost and overlapped. */
struct tally {
	size_t runs, losing, overlapping, both;
	double lost;		/* summed */
};

static struct tally tally(const struct bench_result *res,
			  const struct bench_conf *k)
{
	struct tally t = { 0 };

	for (size_t i = 0; k && i < res->nrows; i++) {
		const struct bench_row *row = &res->rows[i];
		int lost = row->fig[F_LOST] > 0;
		int over = row->fig[F_OVERLAP] > 0;

		if (row->conf != k || !isfinite(row->fig[F_LOST]))
			continue;
		t.runs++;
		t.losing += lost;
		t.overlapping += over;
		t.both += lost && over;
		t.lost += row->fig[F_LOST];
	}
	return t;
}

static const struct bench_conf *find(const struct bench_result *res,
				     enum model m, unsigned w,
				     enum race_method method)
{
	const char *keys[] = { race_methods[method], NULL };

	return bench_find(res, m, w, keys);
}

static void race_derive(void *ctx, const struct bench_result *res,
			const struct bench_conf *k, double *vals)
{
	struct tally t = tally(res, k);

	(void)ctx;
	vals[0] = (double)t.losing;
	vals[1] = (double)t.overlapping;
}

static void race_narrate(void *vctx, const struct bench_result *res)
{
	const struct race_ctx *ctx = vctx;

	printf("  each worker adds 1 to one shared counter %llu times; "
	       "lost = expected - counted\n",
	       (unsigned long long)ctx->increments);
	for (size_t i = 0; i < res->nconfs; i++) {
		const struct bench_conf *k = &res->confs[i], *mu, *at;
		const struct stats *lost;
		struct tally t;

		if (strcmp(k->key[0], "none") || !k->ok_runs || k->workers < 2)
			continue;
		t = tally(res, k);
		lost = bench_stats(res, k, "lost_updates");
		printf("  %s x%u, no lock: updates lost in %zu of %zu run(s)",
		       model_name(k->model), k->workers, t.losing, t.runs);
		if (t.losing)
			printf(" (%.0f to %.0f of %.0f)", lost->min, lost->max,
			       bench_stats(res, k, "expected")->median);
		printf("; the workers' loops overlapped in %zu\n",
		       t.overlapping);
		mu = find(res, k->model, k->workers, RACE_MUTEX);
		at = find(res, k->model, k->workers, RACE_ATOMIC);
		if (mu && at && k->wall.median > 0)
			printf("    being right costs time: the mutex took %.1fx "
			       "and atomics %.1fx the time of no lock\n",
			       mu->wall.median / k->wall.median,
			       at->wall.median / k->wall.median);
	}
}

/* The lesson: workers that ran at once lost updates without a lock;
 * with a mutex or atomics, none. */
static void race_check(const struct bench_result *res, struct verdicts *vs)
{
	for (size_t i = 0; i < res->nconfs; i++) {
		const struct bench_conf *k = &res->confs[i];
		struct verdict_evidence ev = VERDICT_EVIDENCE_INIT;
		char what[128], got[64];
		struct tally t;

		if (k->workers < 2 || !k->runs)
			continue;
		t = tally(res, k);
		if (!strcmp(k->key[0], "none")) {
			/* a busy machine keeps the workers apart: it can
			 * only lower what is lost */
			bench_evidence(&ev, k->ok_runs ? k : NULL,
				       VERDICT_SLOW_LOWERS);
			if (!t.overlapping)
				ev.not_shown = "the workers never overlapped";
			snprintf(what, sizeof(what), "%s x%u none: updates "
				 "lost in a run where the workers overlapped",
				 model_name(k->model), k->workers);
			snprintf(got, sizeof(got), "lost in %zu of %zu "
				 "overlapping run(s)", t.both, t.overlapping);
			verdict_add(vs, what, "lost in at least 1", got,
				    t.both > 0, VERDICT_HIGHER_HOLDS, &ev);
			continue;
		}
		/* every run counts here, a failed one (an update lost)
		 * first of all; the load cannot make a lock lose one */
		verdict_fold(&ev, t.runs, 0, 0, NAN, VERDICT_SLOW_LOWERS);
		if (!t.overlapping)
			ev.not_shown = "the workers never overlapped: nothing "
				       "to protect against";
		snprintf(what, sizeof(what), "%s x%u %s: no update lost",
			 model_name(k->model), k->workers, k->key[0]);
		snprintf(got, sizeof(got), "%.0f lost in %zu run(s)", t.lost,
			 t.runs);
		verdict_add(vs, what, "0 in every run", got, t.lost == 0,
			    VERDICT_LOWER_HOLDS, &ev);
	}
}

static int race_run(const struct config *cfg)
{
	uint64_t m = config_param(cfg, "increments")->u;
	unsigned most = 1;
	struct race_ctx ctx = { .increments = m };
	static const struct bench_sumcol sums[] = {
		{ "expected", "expected", BENCH_MEDIAN },
		{ "actual_median", "actual", BENCH_MEDIAN },
		{ "lost_median", "lost_updates", BENCH_MEDIAN },
		{ "lost_min", "lost_updates", BENCH_MIN },
		{ "lost_max", "lost_updates", BENCH_MAX },
		{ "lost_pct_median", "lost_pct", BENCH_MEDIAN },
		{ "lost_pct_min", "lost_pct", BENCH_MIN },
		{ "lost_pct_max", "lost_pct", BENCH_MAX },
		{ "overlap_s_median", "overlap_s", BENCH_MEDIAN },
		{ "overlap_s_min", "overlap_s", BENCH_MIN },
		{ "ns_per_increment", "ns_per_increment", BENCH_MEDIAN },
		{ NULL, NULL, 0 },
	};
	struct bench b = {
		.ctx = &ctx,
		.keys = "method",
		.figures = FIGURES,
		.run = race_once,
		.summary = sums,
		.derived_cols = "runs_losing,runs_overlapping",
		.derive = race_derive,
		.headline = "lost_updates",
		.narrate = race_narrate,
	};
	struct bench_result res;
	int rc = 1;

	for (size_t i = 0; i < cfg->nmodels; i++)
		if (cfg->models[i] == MODEL_GIL) {
			fprintf(stderr, "pvt: race: --models: gil is not run "
				"here (its lock changes hands only between "
				"whole increments); accepted: process, "
				"thread, sequential\n");
			return 2;
		}
	for (size_t w = 0; w < cfg->nworkers; w++)
		most = cfg->workers[w] > most ? cfg->workers[w] : most;
	ctx.sh = shm_alloc(sizeof(*ctx.sh));
	if (!ctx.sh) {
		fprintf(stderr, "pvt: race: mmap: %s\n", strerror(errno));
		return 1;
	}
	if (bench_init(&res, cfg, &b))
		goto out;
	for (size_t i = 0; i < cfg->nmodels; i++)
		for (size_t w = 0; w < cfg->nworkers; w++)
			for (int k = 0; k < RACE_METHODS; k++) {
				int seq = cfg->models[i] == MODEL_SEQUENTIAL;
				unsigned n = seq ? 1 : cfg->workers[w];
				struct bench_conf *c;

				if (seq && w > 0)
					break;	/* one worker, once */
				c = bench_add(&res, cfg->models[i], n, n, m);
				if (!c)
					goto out_bench;
				bench_key(c, 0, "%s", race_methods[k]);
				c->arg = (void *)cfg;
			}
	ctx.spin = most <= (unsigned)sysinfo_cores();
	rc = bench_run(&res);
out_bench:
	bench_free(&res);
out:
	shm_free(ctx.sh, sizeof(*ctx.sh));
	return rc;
}

static const struct param race_params[] = {
	{ "increments", PARAM_COUNT, "10000000", 1, 1e9, NULL,
	  "how many times each worker adds 1 to the counter" },
	{ NULL, 0, NULL, 0, 0, NULL, NULL },
};

/* the default increments: a shorter loop is often over before the other
 * worker is back on a core (a few ms on a busy machine) */
static const char *const race_quick[] = {
	"--repeat", "3", NULL,
};
const struct scenario scenario_race = {
	.name = "race",
	.summary = "one shared counter: lost updates without a lock, and the "
		   "price of a mutex or atomics",
	.lesson = "Workers that share a counter lose updates when each reads "
		  "it and writes it back unprotected: another's increment in "
		  "between is overwritten. A mutex or an atomic increment "
		  "makes every update count, at a price in time. Processes "
		  "race the same way once they share memory on purpose.",
	.method = "Each of --workers workers adds 1 to one counter "
		  "--increments times, started together behind one gate; the "
		  "counter lives in MAP_SHARED memory for every model. "
		  "Methods: none (a volatile load then store), mutex "
		  "(process-shared for processes) and a C11 atomic fetch-add. "
		  "The workers meet at a start line (spinning, yielding only "
		  "when they outnumber the cores) before they begin, so that "
		  "they increment at the same time; each stamps the start and "
		  "end of its loop, and overlap_s is how long at least two "
		  "loops ran at once (workers that never overlapped cannot "
		  "race, and the check then says inconclusive). "
		  "lost = workers x increments - the final count, as counted; "
		  "time covers creating, running and joining the workers; "
		  "ns_per_increment is the workers' loop time, summed, per "
		  "increment. A mutex or atomic run that loses an update "
		  "fails (exit 1).",
	.uses = USE_MODELS | USE_WORKERS | USE_REPEAT | USE_CPUS,
	.models = "process,thread",
	.workers = "2",
	.tasks = 2,
	.size = 1000000,
	.params = race_params,
	.quick = race_quick,
	.run = race_run,
	.check = race_check,
};

/* race.c - workers that increment one shared counter: lost updates, and
 * what a mutex and atomics cost to prevent them
 *
 * N workers each add 1 to one counter M times, under three methods: no
 * lock (a plain load then store, so that an increment another worker made
 * in between is overwritten), a mutex (process-shared for processes), and
 * a C11 atomic fetch-add. The counter lives in MAP_SHARED memory, so the
 * process workers share it as the threads do. Expected is N x M; what is
 * missing was lost. Every run is timed; the lost updates are counted,
 * never assumed.
 */
#include <errno.h>
#include <sched.h>
#include <math.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output/csv.h"
#include "engine/lock.h"
#include "measure/measure.h"
#include "output/progress.h"
#include "face/scenario.h"
#include "engine/shm.h"
#include "measure/bench.h"

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
};

/* What each worker measured of its own increments. */
struct race_result {
	double loop_s;		/* from the start line to its last one */
};

/* How often a worker waiting at the start line lets others run, should
 * there be more workers than free cores. */
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
 * or the lock's error number. */
static int add_locked(struct lock *l, volatile uint64_t *p, uint64_t n)
{
	for (uint64_t i = 0; i < n; i++) {
		int err = lock_acquire(l);

		if (err)
			return err;
		*p = *p + 1;
		err = lock_release(l);
		if (err)
			return err;
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
 * racing nobody. */
static void start_line(struct race_shared *sh, unsigned workers)
{
	atomic_fetch_add(&sh->arrived, 1);
	for (unsigned spins = 1; atomic_load(&sh->arrived) < workers; spins++)
		if (spins % YIELD_EVERY == 0)
			sched_yield();
}

static int race_task(const void *ctx, void *local, size_t task, void *result)
{
	const struct race_ctx *c = ctx;
	struct race_result *r = result;
	double t0;
	int rc = 0;

	(void)local;
	(void)task;
	start_line(c->sh, c->workers);
	t0 = measure_now();
	switch (c->method) {
	case RACE_NONE:
		add_unlocked(&c->sh->plain, c->increments);
		break;
	case RACE_MUTEX:
		rc = add_locked(&c->sh->lock, &c->sh->plain, c->increments);
		break;
	case RACE_ATOMIC:
		add_atomic(&c->sh->atomic, c->increments);
		break;
	default:
		rc = -1;
	}
	r->loop_s = measure_now() - t0;
	return rc;
}

/* One measured run. */
struct race_row {
	enum model model;
	enum race_method method;
	unsigned workers, rep;
	struct run_stats st;
	uint64_t expected, actual;
	double loop_s;		/* summed over the workers */
	int ok;
};

/* One configuration: model, worker count, method. */
struct race_conf {
	enum model model;
	enum race_method method;
	unsigned workers;
	size_t runs, ok_runs, losing;	/* losing: runs that lost updates */
	struct stats wall, lost, actual, ns;	/* over the ok runs */
	int ok;
};

static double lost_of(const struct race_row *r)
{
	return (double)(r->expected - r->actual);
}

static double ns_per_increment(const struct race_row *r)
{
	return r->expected ? r->loop_s * 1e9 / (double)r->expected : NAN;
}

/* One run: a fresh counter and lock, the workers, the count. Returns 0
 * when the run is ok (every task done; no update lost with a lock or
 * atomics; never more than expected). */
static int race_once(const struct config *cfg, struct race_ctx *ctx,
		     struct race_row *row)
{
	struct run_spec spec = {
		.model = row->model, .workers = row->workers,
		.tasks = row->workers, .fn = race_task, .ctx = ctx,
		.cpus = cfg->cpus, .ncpus = cfg->ncpus, .dist = DIST_STATIC,
	};
	struct race_shared *sh = ctx->sh;
	struct results res;
	int err, rc;

	if (results_create(&res, row->workers, sizeof(struct race_result))) {
		fprintf(stderr, "pvt: race: mmap: %s\n", strerror(errno));
		return -1;
	}
	ctx->method = row->method;
	ctx->workers = row->model == MODEL_SEQUENTIAL ? 1 : row->workers;
	sh->plain = 0;
	atomic_store(&sh->atomic, 0);
	atomic_store(&sh->arrived, 0);
	err = lock_init(&sh->lock, row->model == MODEL_PROCESS);
	if (err) {
		fprintf(stderr, "pvt: race: pthread_mutex_init: %s\n",
			strerror(err));
		results_destroy(&res);
		return -1;
	}
	rc = workers_run(&spec, &res, &row->st);
	lock_destroy(&sh->lock);
	for (size_t t = 0; t < res.tasks; t++)
		row->loop_s += ((const struct race_result *)
				results_at(&res, t))->loop_s;
	results_destroy(&res);
	row->expected = (uint64_t)row->workers * ctx->increments;
	row->actual = row->method == RACE_ATOMIC ? atomic_load(&sh->atomic) :
		      sh->plain;
	row->ok = rc == 0 && row->actual <= row->expected &&
		  (row->method == RACE_NONE || row->actual == row->expected);
	if (!row->ok && !row->st.interrupted)
		fprintf(stderr, "pvt: race: %s x%u %s run %u failed: %s%s"
			"counted %llu of %llu\n", model_name(row->model),
			row->workers, race_methods[row->method], row->rep,
			row->st.why, row->st.why[0] ? "; " : "",
			(unsigned long long)row->actual,
			(unsigned long long)row->expected);
	return row->ok ? 0 : -1;
}

static void summarise(const struct race_row *rows, size_t nrows,
		      struct race_conf *k)
{
	double *w = calloc(nrows + 1, sizeof(*w) * 4);
	double *l = w + nrows + 1, *a = l + nrows + 1, *ns = a + nrows + 1;
	size_t n = 0;

	k->runs = k->losing = 0;
	for (size_t i = 0; w && i < nrows; i++) {
		const struct race_row *r = &rows[i];

		if (r->model != k->model || r->workers != k->workers ||
		    r->method != k->method)
			continue;
		k->runs++;
		if (!r->ok)
			continue;
		k->losing += r->actual < r->expected;
		w[n] = r->st.wall_s;
		l[n] = lost_of(r);
		a[n] = (double)r->actual;
		ns[n] = ns_per_increment(r);
		n++;
	}
	k->ok_runs = n;
	k->ok = n > 0 && n == k->runs;
	if (n) {
		measure_stats(w, n, &k->wall);
		measure_stats(l, n, &k->lost);
		measure_stats(a, n, &k->actual);
		measure_stats(ns, n, &k->ns);
	}
	free(w);
}

#define RAW_EXTRA ",method,increments,expected,actual,lost,lost_pct," \
		  "ns_per_increment"
#define SUMMARY_COLS "scenario,model,workers,tasks,size,n,median_s,min_s," \
		     "max_s,mean_s,stddev_s,ci95_s,speedup,efficiency,noisy," \
		     "ok,method,expected,actual_median,lost_median,lost_min," \
		     "lost_max,lost_pct_median,runs_losing,ns_per_increment"

static void write_meta(const struct config *cfg, struct csv *c,
		       int interrupted)
{
	config_meta(cfg, c);
	if (interrupted)
		csv_meta(c, "interrupted", "yes");
}

static int write_raw(const struct config *cfg, const struct race_row *rows,
		     size_t nrows, uint64_t m, int interrupted)
{
	struct csv c;

	if (csv_open(&c, cfg->out, "race.csv"))
		return -1;
	write_meta(cfg, &c, interrupted);
	csv_header(&c, BENCH_RAW_COLS RAW_EXTRA);
	for (size_t i = 0; i < nrows; i++) {
		const struct race_row *r = &rows[i];

		bench_raw_common(&c, "race", r->model, r->workers,
				    r->workers, m, r->rep, &r->st, r->ok);
		csv_str(&c, race_methods[r->method]);
		csv_int(&c, (long long)m);
		csv_int(&c, (long long)r->expected);
		csv_int(&c, (long long)r->actual);
		csv_num(&c, lost_of(r));
		csv_num(&c, 100 * lost_of(r) / (double)r->expected);
		csv_num(&c, ns_per_increment(r));
		csv_end_row(&c);
	}
	return csv_commit(&c);
}

static int write_summary(const struct config *cfg,
			 const struct race_conf *confs, size_t nconfs,
			 uint64_t m, int interrupted)
{
	struct csv c;

	if (csv_open(&c, cfg->out, "race.summary.csv"))
		return -1;
	write_meta(cfg, &c, interrupted);
	csv_header(&c, SUMMARY_COLS);
	for (size_t i = 0; i < nconfs; i++) {
		const struct race_conf *k = &confs[i];
		int have = k->ok_runs > 0, many = k->ok_runs > 1;
		double expected = (double)k->workers * (double)m;

		if (!k->runs)
			continue;	/* never reached: interrupted */
		csv_str(&c, "race");
		csv_str(&c, model_name(k->model));
		csv_int(&c, k->workers);
		csv_int(&c, k->workers);
		csv_int(&c, (long long)m);
		csv_int(&c, (long long)k->ok_runs);
		csv_num(&c, have ? k->wall.median : NAN);
		csv_num(&c, have ? k->wall.min : NAN);
		csv_num(&c, have ? k->wall.max : NAN);
		csv_num(&c, have ? k->wall.mean : NAN);
		csv_num(&c, many ? k->wall.stddev : NAN);
		csv_num(&c, many ? k->wall.ci95 : NAN);
		csv_num(&c, NAN);	/* speedup: not a question here */
		csv_num(&c, NAN);
		if (have)
			csv_int(&c, k->wall.noisy);
		else
			csv_str(&c, NULL);
		csv_int(&c, k->ok);
		csv_str(&c, race_methods[k->method]);
		csv_num(&c, expected);
		csv_num(&c, have ? k->actual.median : NAN);
		csv_num(&c, have ? k->lost.median : NAN);
		csv_num(&c, have ? k->lost.min : NAN);
		csv_num(&c, have ? k->lost.max : NAN);
		csv_num(&c, have ? 100 * k->lost.median / expected : NAN);
		csv_int(&c, (long long)k->losing);
		csv_num(&c, have ? k->ns.median : NAN);
		csv_end_row(&c);
	}
	return csv_commit(&c);
}

static const struct race_conf *find(const struct race_conf *confs,
				    size_t n, enum model m, unsigned w,
				    enum race_method method)
{
	for (size_t i = 0; i < n; i++)
		if (confs[i].model == m && confs[i].workers == w &&
		    confs[i].method == method && confs[i].ok_runs)
			return &confs[i];
	return NULL;
}

static void narrate(const struct config *cfg, const struct race_conf *confs,
		    size_t nconfs, uint64_t m)
{
	printf("race: each worker adds 1 to one shared counter %llu times; "
	       "median of %u run(s)\n", (unsigned long long)m, cfg->repeat);
	printf("  %-8s %7s %-7s %12s %12s %8s %7s %10s %7s\n", "model",
	       "workers", "method", "expected", "actual", "lost", "lost%",
	       "time", "ns/inc");
	for (size_t i = 0; i < nconfs; i++) {
		const struct race_conf *k = &confs[i];
		double expected = (double)k->workers * (double)m;

		if (!k->runs)
			continue;
		if (!k->ok_runs) {
			printf("  %-8s %7u %-7s %12.0f %12s\n",
			       model_name(k->model), k->workers,
			       race_methods[k->method], expected, "FAILED");
			continue;
		}
		printf("  %-8s %7u %-7s %12.0f %12.0f %8.0f %6.1f%% %8.4f s "
		       "%7.1f%s\n", model_name(k->model), k->workers,
		       race_methods[k->method], expected, k->actual.median,
		       k->lost.median, 100 * k->lost.median / expected,
		       k->wall.median, k->ns.median,
		       k->ok ? "" : "  (some runs FAILED)");
	}
	for (size_t i = 0; i < nconfs; i++) {
		const struct race_conf *k = &confs[i];

		if (k->method != RACE_NONE || !k->ok_runs || k->workers < 2)
			continue;
		if (k->losing == k->ok_runs)
			printf("  %s x%u, no lock: updates lost in every run "
			       "(%.0f to %.0f of %.0f)\n", model_name(k->model),
			       k->workers, k->lost.min, k->lost.max,
			       (double)k->workers * (double)m);
		else if (k->losing)
			printf("  %s x%u, no lock: updates lost in %zu of %zu "
			       "runs (up to %.0f); NO update lost in the others:"
			       "\n    their workers did not overlap (a busy "
			       "machine?)\n", model_name(k->model), k->workers,
			       k->losing, k->ok_runs, k->lost.max);
		else
			printf("  %s x%u, no lock: NO update lost in %zu run(s) "
			       "on this machine: the workers did\n    not "
			       "overlap (a busy machine? try more --increments "
			       "or --workers)\n", model_name(k->model),
			       k->workers, k->ok_runs);
		const struct race_conf *mu = find(confs, nconfs, k->model,
						  k->workers, RACE_MUTEX);
		const struct race_conf *at = find(confs, nconfs, k->model,
						  k->workers, RACE_ATOMIC);
		if (mu && at && k->wall.median > 0)
			printf("    being right costs time: the mutex took %.1fx "
			       "and atomics %.1fx the time of no lock\n",
			       mu->wall.median / k->wall.median,
			       at->wall.median / k->wall.median);
	}
}

static int race_run(const struct config *cfg)
{
	uint64_t m = config_param(cfg, "increments")->u;
	size_t per = cfg->warmup + cfg->repeat, maxconfs, nconfs = 0, nrows = 0;
	struct race_ctx ctx = { .increments = m };
	struct race_conf *confs;
	struct race_row *rows;
	int failed = 0, status = 0, interrupted, written;

	for (size_t i = 0; i < cfg->nmodels; i++)
		if (cfg->models[i] == MODEL_GIL) {
			fprintf(stderr, "pvt: race: --models: gil is not run "
				"here (its lock changes hands only between "
				"whole increments); accepted: process, "
				"thread, sequential\n");
			return 2;
		}
	maxconfs = cfg->nmodels * cfg->nworkers * RACE_METHODS;
	confs = calloc(maxconfs, sizeof(*confs));
	rows = calloc(maxconfs * per + 1, sizeof(*rows));
	ctx.sh = shm_alloc(sizeof(*ctx.sh));
	if (!confs || !rows || !ctx.sh) {
		fprintf(stderr, "pvt: race: cannot allocate: %s\n",
			strerror(errno));
		free(confs);
		free(rows);
		shm_free(ctx.sh, sizeof(*ctx.sh));
		return 1;
	}
	for (size_t i = 0; i < cfg->nmodels; i++)
		for (size_t w = 0; w < cfg->nworkers; w++)
			for (int k = 0; k < RACE_METHODS; k++) {
				struct race_conf *c = &confs[nconfs];
				int seq = cfg->models[i] == MODEL_SEQUENTIAL;

				if (seq && w > 0)
					break;	/* one worker, once */
				c->model = cfg->models[i];
				c->workers = seq ? 1 : cfg->workers[w];
				c->method = (enum race_method)k;
				nconfs++;
			}

	for (size_t i = 0; i < nconfs && !workers_stopped(); i++) {
		const struct race_conf *k = &confs[i];

		for (unsigned rep = 0; rep < per && !workers_stopped(); rep++) {
			struct race_row *row = &rows[nrows];
			int warm = rep < cfg->warmup;

			progress("race: %s x%u %s %s %u  [%zu/%zu]",
				 model_name(k->model), k->workers,
				 race_methods[k->method],
				 warm ? "warm-up" : "run",
				 warm ? rep + 1 : rep - cfg->warmup + 1, i + 1,
				 nconfs);
			memset(row, 0, sizeof(*row));
			row->model = k->model;
			row->workers = k->workers;
			row->method = k->method;
			row->rep = warm ? 0 : rep - cfg->warmup + 1;
			if (race_once(cfg, &ctx, row))
				failed = 1;
			if (row->st.interrupted || workers_stopped())
				break;
			if (!warm)
				nrows++;
		}
	}
	progress_clear();
	interrupted = workers_stopped() ? cli_interrupted() : 0;
	for (size_t i = 0; i < nconfs; i++)
		summarise(rows, nrows, &confs[i]);
	written = nrows && !write_raw(cfg, rows, nrows, m, interrupted) &&
		  !write_summary(cfg, confs, nconfs, m, interrupted);
	if (nrows && !written) {
		fprintf(stderr, "pvt: race: cannot write the CSV in '%s': %s\n",
			cfg->out, strerror(errno));
		status = 1;
	}
	if (!cfg->quiet && nrows) {
		narrate(cfg, confs, nconfs, m);
		printf("  Lesson: %s\n", cfg->sc->lesson);
	}
	if (written)
		printf("  wrote %s/race.csv and %s/race.summary.csv%s\n",
		       cfg->out, cfg->out,
		       interrupted ? " (interrupted: partial)" : "");
	shm_free(ctx.sh, sizeof(*ctx.sh));
	free(confs);
	free(rows);
	if (interrupted)
		return 128 + interrupted;
	return status || failed;
}

static const struct param race_params[] = {
	{ "increments", PARAM_COUNT, "1000000", 1, 1e9, NULL,
	  "how many times each worker adds 1 to the counter" },
	{ NULL, 0, NULL, 0, 0, NULL, NULL },
};

static const char *const race_quick[] = {
	"--increments", "200000", "--repeat", "3", NULL,
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
		  "The workers meet at a start line (spinning) before they "
		  "begin, so that they increment at the same time. "
		  "lost = workers x increments - the final count, as counted; "
		  "time covers creating, running and joining the workers; "
		  "ns_per_increment is the workers' time from the start line "
		  "to their last increment, summed, per increment. "
		  "A mutex or atomic run that loses an update fails (exit 1).",
	.uses = USE_MODELS | USE_WORKERS | USE_REPEAT | USE_CPUS,
	.models = "process,thread",
	.workers = "2",
	.tasks = 2,
	.size = 1000000,
	.params = race_params,
	.quick = race_quick,
	.run = race_run,
};

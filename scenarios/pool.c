/* pool.c - what a pool buys: per-task cost, chunksize, start/join
 *
 * Four experiments, each under every --models and (the pool ones) every
 * --workers. overhead: a map of an empty task (x -> x) over each --items
 * count with chunksize 1, timed from creating the pool to joining it,
 * against creating and joining one worker per item, --workers at a time
 * (up to --spawn-max items: it is slow). chunksize: the largest --items
 * map at each --chunksizes. startjoin: the course notes' mistake, start()
 * and join() in one loop, against starting every worker and then joining
 * them, with --naps tasks that sleep --nap. examples: the notes'
 * pool.map(square, [1, 2, 3, 4, 5]) and apply_async(...).get(timeout=1).
 * Every result is checked against its input.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <time.h>

#include "output/csv.h"
#include "measure/measure.h"
#include "engine/pool.h"
#include "output/progress.h"
#include "face/scenario.h"
#include "measure/bench.h"
#include "python/python.h"

#define ITEM_SIZE sizeof(uint64_t)	/* every task's argument and result */

enum experiment { OVERHEAD, CHUNKSIZE, STARTJOIN, EXAMPLES, NEXPERIMENTS };

static const char *const experiment_names[NEXPERIMENTS] = {
	"overhead", "chunksize", "startjoin", "examples",
};

/* One measured configuration and its runs. */
struct point {
	enum experiment exp;
	const char *method;	/* pool, spawn, one-loop, two-loops, map...;
				 * py-*: Pool.map, ProcessPoolExecutor.map,
				 * ThreadPool.map */
	const char *start;	/* py-process: the start method; else NULL */
	enum model model;
	unsigned workers;
	size_t items, chunk;	/* chunk 0: does not apply */
	/* from its configuration, once measured (pool_sync): */
	unsigned nruns, ok_runs;
	struct stats wall, us, map_us;
	char note[128];		/* examples: what it printed */
	char why[512];		/* examples: what its last run said */
};

struct run {
	struct run_stats st;
	double us, map_us;	/* map_us NAN: not a pool run */
	int ok;
};

struct pool_cfg {
	const struct config *cfg;
	uint64_t *in, *out;	/* the items of the largest map, its results */
	size_t max_items, spawn_max, naps;
	size_t py_items;	/* py-*: maps up to this many items */
	int methods[PYTHON_START_METHODS];	/* py-process: start methods */
	int no_python;		/* py-* asked for, no interpreter */
	double nap_s;
	uint64_t crash_item;	/* examples: the value that crashes, or 0 */
	enum pool_on_crash on_crash;
	int want[NEXPERIMENTS];
	struct point *pts;	/* the plan */
	size_t npts;
};

/* The figures of one run, in bench.figures order. */
enum { F_US, F_MAP_US };

/* ---- the tasks ----------------------------------------------------------- */

/* The empty task of the overhead and chunksize maps: x -> x. */
static int identity(const void *arg, void *result)
{
	memcpy(result, arg, ITEM_SIZE);
	return 0;
}

/* The same for workers_run: task t of a batch starting at ctx's base. */
struct spawn_ctx {
	const uint64_t *in;
	size_t base;
};

static int spawn_task(const void *ctx, void *local, size_t task,
		      void *result)
{
	const struct spawn_ctx *c = ctx;

	(void)local;
	memcpy(result, &c->in[c->base + task], ITEM_SIZE);
	return 0;
}

/* The notes' time.sleep: the GIL is let go while it sleeps. */
static int nap_task(const void *ctx, void *local, size_t task, void *result)
{
	(void)local;
	if (worker_sleep(*(const double *)ctx))
		return WORKER_STOPPED;
	*(uint64_t *)result = task + 1;
	return 0;
}

/* The notes' square(n): return n**2. */
static int square(const void *arg, void *result)
{
	int64_t x;

	memcpy(&x, arg, sizeof(x));
	x *= x;
	memcpy(result, &x, sizeof(x));
	return 0;
}

/* square, but an argument with die set kills its worker with SIGSEGV,
 * without a core file. */
struct crash_arg {
	int64_t x;
	int64_t die;
};

static int square_or_crash(const void *arg, void *result)
{
	const struct crash_arg *a = arg;
	struct rlimit none = { 0, 0 };

	if (a->die) {
		/* the default action, even under a sanitizer's handler */
		if (setrlimit(RLIMIT_CORE, &none) ||
		    prctl(PR_SET_DUMPABLE, 0) || signal(SIGSEGV, SIG_DFL) ==
		    SIG_ERR)
			return 1;
		raise(SIGSEGV);
	}
	return square(&a->x, result);
}

/* ---- one run of each kind ------------------------------------------------ */

static int same(const uint64_t *a, const uint64_t *b, size_t n)
{
	return memcmp(a, b, n * ITEM_SIZE) == 0;
}

/* Closes and joins p (terminating it when the join fails) and fills
 * the run's time since t0 and what the pool's workers used. */
static void pool_done(struct pool *p, double t0, struct run_stats *st)
{
	const struct pool_stats *ps;

	pool_close(p);
	if (pool_join(p))
		pool_terminate(p);
	st->wall_s = measure_now() - t0;
	ps = pool_stats(p);
	st->user_s = ps->user_s;
	st->sys_s = ps->sys_s;
	st->max_rss_kib = ps->max_rss_kib;
	st->failed = ps->items_failed;
}

/* A pool created, one map of n items, closed and joined. */
static void run_pool(const struct pool_cfg *pc, const struct point *pt,
		     struct run *run)
{
	struct pool_opts o = {
		.model = pt->model, .workers = pt->workers,
		.switch_interval_s = pc->cfg->switch_interval_s,
	};
	double t0, t1, t2;
	struct pool *p;
	int err;

	memset(pc->out, 0, pt->items * ITEM_SIZE);
	t0 = measure_now();
	p = pool_create_opts(&o);
	if (!p) {
		snprintf(run->st.why, sizeof(run->st.why), "cannot start the "
			 "pool: %s", strerror(errno));
		return;
	}
	t1 = measure_now();
	err = pool_map(p, identity, pc->in, ITEM_SIZE, pt->items, pt->chunk,
		       pc->out, ITEM_SIZE) ? errno : 0;
	t2 = measure_now();
	if (err)
		snprintf(run->st.why, sizeof(run->st.why), "%s",
			 pool_error(p));
	pool_done(p, t0, &run->st);
	run->st.interrupted = err == EINTR;
	run->us = run->st.wall_s / (double)pt->items * 1e6;
	run->map_us = (t2 - t1) / (double)pt->items * 1e6;
	run->ok = err == 0 && same(pc->in, pc->out, pt->items);
	if (err == 0 && !run->ok)
		snprintf(run->st.why, sizeof(run->st.why), "a result differs "
			 "from its item");
	pool_destroy(p);
}

/* Adds one workers_run's figures to a run's. */
static void add_stats(struct run_stats *sum, const struct run_stats *st)
{
	sum->user_s += st->user_s;
	sum->sys_s += st->sys_s;
	if (st->max_rss_kib > sum->max_rss_kib)
		sum->max_rss_kib = st->max_rss_kib;
	sum->failed += st->failed + st->lost;
	sum->interrupted |= st->interrupted;
	if (st->why[0] && !sum->why[0])
		snprintf(sum->why, sizeof(sum->why), "%s", st->why);
}

/* One worker created and joined per item, pt->workers at a time. */
static void run_spawn(const struct pool_cfg *pc, const struct point *pt,
		      struct run *run)
{
	struct spawn_ctx ctx = { .in = pc->in };
	struct results r[2];
	size_t sizes[2] = { pt->workers, pt->items % pt->workers };
	int made[2] = { 0, 0 }, failed = 0;
	double t0 = measure_now();

	for (int k = 0; k < 2; k++) {
		if (!sizes[k])
			continue;
		if (results_create(&r[k], sizes[k], ITEM_SIZE)) {
			snprintf(run->st.why, sizeof(run->st.why), "mmap: %s",
				 strerror(errno));
			goto out;
		}
		made[k] = 1;
	}
	for (ctx.base = 0; ctx.base < pt->items && !workers_stopped();
	     ctx.base += pt->workers) {
		size_t b = pt->items - ctx.base < pt->workers ?
			   pt->items - ctx.base : pt->workers;
		struct results *res = &r[b == pt->workers ? 0 : 1];
		struct run_spec spec = {
			.model = pt->model, .workers = (unsigned)b,
			.tasks = b, .fn = spawn_task, .ctx = &ctx,
			.dist = DIST_STATIC,
			.switch_interval_s = pc->cfg->switch_interval_s,
		};
		struct run_stats st;

		if (workers_run(&spec, res, &st))
			failed = 1;
		add_stats(&run->st, &st);
		for (size_t t = 0; t < b; t++)
			memcpy(&pc->out[ctx.base + t], results_at(res, t),
			       ITEM_SIZE);
	}
	run->st.wall_s = measure_now() - t0;
	run->st.interrupted |= workers_stopped();
	run->us = run->st.wall_s / (double)pt->items * 1e6;
	run->map_us = NAN;
	run->ok = !failed && !run->st.interrupted &&
		  same(pc->in, pc->out, pt->items);
	if (!failed && !run->ok && !run->st.why[0])
		snprintf(run->st.why, sizeof(run->st.why), "a result differs "
			 "from its item");
out:
	for (int k = 0; k < 2; k++)
		if (made[k])
			results_destroy(&r[k]);
}

/* --naps workers that sleep --nap, started and joined one at a time
 * (one-loop) or all started, then all joined (two-loops). */
static void run_startjoin(const struct pool_cfg *pc, const struct point *pt,
			  struct run *run)
{
	size_t k = pt->items;
	struct results *r = calloc(k, sizeof(*r));
	struct workers **w = calloc(k, sizeof(*w));
	struct run_stats *st = calloc(k, sizeof(*st));
	int two = !strcmp(pt->method, "two-loops"), failed = 0;
	size_t made = 0, started = 0;
	double t0;

	if (!r || !w || !st) {
		snprintf(run->st.why, sizeof(run->st.why), "out of memory");
		goto out;
	}
	for (; made < k; made++)
		if (results_create(&r[made], 1, ITEM_SIZE)) {
			snprintf(run->st.why, sizeof(run->st.why), "mmap: %s",
				 strerror(errno));
			goto out;
		}
	t0 = measure_now();
	for (size_t i = 0; i < k; i++) {
		struct run_spec spec = {
			.model = pt->model, .workers = 1, .tasks = 1,
			.fn = nap_task, .ctx = &pc->nap_s,
			.switch_interval_s = pc->cfg->switch_interval_s,
		};

		if (workers_start(&spec, &r[i], &w[i], &st[i])) {
			add_stats(&run->st, &st[i]);
			failed = 1;
			break;
		}
		started++;
		if (!two && workers_wait(w[i], &st[i]))
			failed = 1;
	}
	for (size_t i = 0; two && i < started; i++)
		if (workers_wait(w[i], &st[i]))
			failed = 1;
	run->st.wall_s = measure_now() - t0;
	for (size_t i = 0; i < started; i++)
		add_stats(&run->st, &st[i]);
	run->us = run->st.wall_s / (double)k * 1e6;
	run->map_us = NAN;
	run->ok = !failed && started == k;
out:
	for (size_t i = 0; i < made; i++)
		results_destroy(&r[i]);
	free(r);
	free(w);
	free(st);
}

/* ---- the course notes' examples ------------------------------------------ */

/* "[1, 4, -, 16, 25]": a failed item is a dash. */
static void list_text(char *buf, size_t len, const int64_t *v, size_t n,
		      const int *gone)
{
	size_t off = 1;

	snprintf(buf, len, "[");
	for (size_t i = 0; i < n && off < len; i++) {
		if (gone[i])
			off += snprintf(buf + off, len - off, "%s-",
					i ? ", " : "");
		else
			off += snprintf(buf + off, len - off, "%s%lld",
					i ? ", " : "", (long long)v[i]);
	}
	if (off < len)
		snprintf(buf + off, len - off, "]");
}

/* pool.map(square, [1, 2, 3, 4, 5]), or its crashing twin. */
static void example_map(const struct pool_cfg *pc, struct point *pt,
			struct run *run)
{
	struct pool_opts o = {
		.model = pt->model, .workers = pt->workers,
		.switch_interval_s = pc->cfg->switch_interval_s,
		.on_crash = pc->on_crash,
	};
	int crash = !strcmp(pt->method, "map-crash");
	struct crash_arg ca[5];
	int64_t in[5], out[5] = { 0 };
	int gone[5] = { 0 }, err, want_ok = 1;
	double t0 = measure_now();
	struct pool *p = pool_create_opts(&o);
	char list[64];

	if (!p) {
		snprintf(run->st.why, sizeof(run->st.why), "cannot start the "
			 "pool: %s", strerror(errno));
		return;
	}
	for (int i = 0; i < 5; i++) {
		in[i] = i + 1;
		ca[i] = (struct crash_arg){ i + 1,
					    (uint64_t)(i + 1) == pc->crash_item };
	}
	err = (crash ? pool_map(p, square_or_crash, ca, sizeof(*ca), 5, 1, out,
				sizeof(*out)) :
	       pool_map(p, square, in, sizeof(*in), 5, 1, out,
			sizeof(*out))) ? errno : 0;
	for (int i = 0; i < 5; i++) {
		gone[i] = out[i] != in[i] * in[i];
		want_ok &= crash ? (gone[i] == ((uint64_t)in[i] ==
					       pc->crash_item) ||
				    pc->on_crash == POOL_CRASH_ABORT) :
			   !gone[i];
	}
	list_text(list, sizeof(list), out, 5, gone);
	if (!crash)
		snprintf(pt->note, sizeof(pt->note),
			 "pool.map(square, [1, 2, 3, 4, 5]) -> %s", list);
	else
		snprintf(pt->note, sizeof(pt->note), "square(%llu) kills its "
			 "worker: %s", (unsigned long long)pc->crash_item,
			 list);
	if (crash)
		snprintf(run->st.why, sizeof(run->st.why), "%s",
			 pool_error(p));
	pool_done(p, t0, &run->st);
	run->us = run->st.wall_s / 5 * 1e6;
	run->map_us = NAN;
	/* the crash demonstration is ok when the pool did what its policy
	 * promises: the dead item fails and the rest complete (continue),
	 * or the pool reports itself broken (abort); never a hang */
	run->ok = crash ? want_ok && (pc->on_crash == POOL_CRASH_ABORT ?
				      err == EPIPE : err == EIO) :
		  err == 0 && want_ok;
	if (!crash && err)
		snprintf(run->st.why, sizeof(run->st.why), "%s",
			 pool_error(p));
	pool_destroy(p);
}

/* pool.apply_async(square, (10,)).get(timeout=1) */
static void example_apply(const struct pool_cfg *pc, struct point *pt,
			  struct run *run)
{
	struct pool_opts o = {
		.model = pt->model, .workers = pt->workers,
		.switch_interval_s = pc->cfg->switch_interval_s,
	};
	int64_t x = 10, y = 0;
	double t0 = measure_now();
	struct pool *p = pool_create_opts(&o);
	struct pool_async *h;
	int err = -1;

	if (!p) {
		snprintf(run->st.why, sizeof(run->st.why), "cannot start the "
			 "pool: %s", strerror(errno));
		return;
	}
	h = pool_apply_async(p, square, &x, sizeof(x), sizeof(y));
	if (h) {
		err = pool_get(h, 1.0, &y) ? errno : 0;
		if (err)
			snprintf(run->st.why, sizeof(run->st.why), "get: %s",
				 err == ETIMEDOUT ? "timed out" :
				 pool_async_error(h));
		pool_async_free(h);
	} else {
		snprintf(run->st.why, sizeof(run->st.why), "%s",
			 pool_error(p));
	}
	snprintf(pt->note, sizeof(pt->note),
		 "apply_async(square, (10,)).get(timeout=1) -> %lld",
		 (long long)y);
	pool_done(p, t0, &run->st);
	run->us = run->st.wall_s * 1e6;
	run->map_us = NAN;
	run->ok = err == 0 && y == 100;
	pool_destroy(p);
}

/* ---- measuring --------------------------------------------------------- */

/* One repetition of a point: pt->exp says which kind of run. */
static int pool_rep(void *vctx, struct bench_row *row)
{
	const struct pool_cfg *pc = vctx;
	struct point *pt = row->conf->arg;
	struct run run;

	memset(&run, 0, sizeof(run));
	if (pt->exp == OVERHEAD || pt->exp == CHUNKSIZE)
		(!strcmp(pt->method, "spawn") ? run_spawn : run_pool)
			(pc, pt, &run);
	else if (pt->exp == STARTJOIN)
		run_startjoin(pc, pt, &run);
	else if (!strcmp(pt->method, "apply_async"))
		example_apply(pc, pt, &run);
	else
		example_map(pc, pt, &run);
	row->st = run.st;
	row->st.interrupted |= workers_stopped();
	row->fig[F_US] = run.us;
	row->fig[F_MAP_US] = run.map_us;
	snprintf(pt->why, sizeof(pt->why), "%s", run.st.why);
	if (run.ok)
		return 0;
	if (!row->st.why[0])
		snprintf(row->st.why, sizeof(row->st.why), "wrong result");
	return -1;
}

/* A Python point: pool.py runs its warm-ups and runs; each row's
 * checksum is checked against the items'. */
static int pool_py(void *vctx, struct bench_conf *k, struct bench_row *rows,
		   unsigned *n)
{
	const struct pool_cfg *pc = vctx;
	const struct point *pt = k->arg;
	char w[16], items[32], chunk[32], rep[16], wu[16], line[1024];
	char *why = rows[0].st.why;
	size_t wlen = sizeof(rows[0].st.why);
	const char *args[] = {
		"--kind", pt->method, "--method", pt->start ? pt->start : "fork",
		"--workers", w, "--items", items, "--chunksize", chunk,
		"--repeat", rep, "--warmup", wu, NULL,
	};
	uint64_t want = 0;
	struct py_proc *py;
	int bad = 0;

	*n = 0;
	for (size_t i = 0; i < pt->items; i++)
		want += pc->in[i];
	snprintf(w, sizeof(w), "%u", pt->workers);
	snprintf(items, sizeof(items), "%zu", pt->items);
	snprintf(chunk, sizeof(chunk), "%zu", pt->chunk);
	snprintf(rep, sizeof(rep), "%u", k->repeat);
	snprintf(wu, sizeof(wu), "%u", k->warmup);
	if (python_open("pool.py", args, &py, why, wlen))
		return -1;
	while (*n < k->repeat && python_line(py, line, sizeof(line)) > 0) {
		struct bench_row *row = &rows[*n];
		const char *sum = strstr(line, " checksum=");
		double ok;

		if (python_field(line, "us", &row->fig[F_US]) ||
		    python_field(line, "map_us", &row->fig[F_MAP_US]) ||
		    python_field(line, "user_s", &row->st.user_s) ||
		    python_field(line, "sys_s", &row->st.sys_s) ||
		    python_field(line, "ok", &ok) || !sum) {
			snprintf(why, wlen, "pool.py printed a row pvt cannot "
				 "use: %.200s", line);
			bad = 1;
			break;
		}
		row->st.wall_s = row->fig[F_US] * 1e-6 * (double)pt->items;
		row->ok = ok == 1 && strtoull(sum + 10, NULL, 10) == want;
		row->st.failed = !row->ok;
		if (!row->ok)
			snprintf(row->st.why, sizeof(row->st.why), "results "
				 "differ from their items (%.200s)", line);
		(*n)++;
	}
	return python_end_batch(py, bad, "pool.py", *n, k->repeat, why, wlen);
}

/* Copies every point's statistics from its configuration, for the
 * narration. */
static void pool_sync(const struct bench_result *res)
{
	for (size_t i = 0; i < res->nconfs; i++) {
		const struct bench_conf *k = &res->confs[i];
		struct point *pt = k->arg;

		pt->nruns = (unsigned)k->runs;
		pt->ok_runs = (unsigned)k->ok_runs;
		pt->wall = k->wall;
		pt->us = *bench_stats(res, k, "us_per_task");
		pt->map_us = *bench_stats(res, k, "map_us_per_task");
		if (!pt->map_us.n)
			pt->map_us.median = NAN;
	}
}

/* Appends a point; returns it, or NULL when out of room. */
static struct point *add(struct point *pts, size_t *n, size_t cap,
			 enum experiment e, const char *method, enum model m,
			 unsigned workers, size_t items, size_t chunk)
{
	struct point *pt;

	if (*n == cap)
		return NULL;
	pt = &pts[(*n)++];
	memset(pt, 0, sizeof(*pt));
	pt->exp = e;
	pt->method = method;
	pt->model = m;
	pt->workers = workers;
	pt->items = items;
	pt->chunk = chunk;
	pt->map_us.median = NAN;
	return pt;
}

/* Python's pools of model m: Pool.map and ProcessPoolExecutor.map for
 * each start method, or ThreadPool.map; maps of at most py_items. */
static void plan_py(const struct pool_cfg *pc, enum model m,
		    struct point *pts, size_t *n, size_t cap)
{
	static const char *const kinds[] = { "Pool.map",
					     "ProcessPoolExecutor.map" };
	const struct config *cfg = pc->cfg;
	const struct param_value *items = config_param(cfg, "items");
	const struct param_value *chunks = config_param(cfg, "chunksizes");
	size_t big = pc->max_items < pc->py_items ? pc->max_items :
		     pc->py_items;

	for (size_t k = 0; k < cfg->nworkers; k++)
		for (int v = 0; v < 2 * PYTHON_START_METHODS; v++) {
			int thr = m == MODEL_PY_THREAD;
			const char *kind = thr ? "ThreadPool.map" : kinds[v % 2];
			const char *start = thr ? NULL :
				python_start_methods[v / 2];
			struct point *pt;

			if (thr ? v > 0 : !pc->methods[v / 2])
				continue;
			for (size_t j = 0; pc->want[OVERHEAD] && j < items->n;
			     j++)
				if (items->list[j] <= pc->py_items &&
				    (pt = add(pts, n, cap, OVERHEAD, kind, m,
					      cfg->workers[k], items->list[j],
					      1)))
					pt->start = start;
			for (size_t j = 0; pc->want[CHUNKSIZE] && j < chunks->n;
			     j++)
				if ((pt = add(pts, n, cap, CHUNKSIZE, kind, m,
					      cfg->workers[k], big,
					      chunks->list[j])))
					pt->start = start;
		}
}

/* Every configuration the options ask for, in the order they run. */
static size_t plan(const struct pool_cfg *pc, struct point *pts, size_t cap)
{
	const struct config *cfg = pc->cfg;
	const struct param_value *items = config_param(cfg, "items");
	const struct param_value *chunks = config_param(cfg, "chunksizes");
	size_t n = 0;

	for (size_t i = 0; i < cfg->nmodels; i++) {
		enum model m = cfg->models[i];

		if (MODEL_IS_PYTHON(m)) {
			if (!pc->no_python)
				plan_py(pc, m, pts, &n, cap);
			continue;
		}
		for (size_t k = 0; k < cfg->nworkers; k++) {
			unsigned w = cfg->workers[k];

			for (size_t j = 0; pc->want[OVERHEAD] && j < items->n;
			     j++) {
				add(pts, &n, cap, OVERHEAD, "pool", m, w,
				    items->list[j], 1);
				if (items->list[j] <= pc->spawn_max)
					add(pts, &n, cap, OVERHEAD, "spawn", m,
					    w, items->list[j], 0);
			}
			for (size_t j = 0; pc->want[CHUNKSIZE] &&
			     j < chunks->n; j++)
				add(pts, &n, cap, CHUNKSIZE, "pool", m, w,
				    pc->max_items, chunks->list[j]);
		}
		if (pc->want[STARTJOIN]) {
			add(pts, &n, cap, STARTJOIN, "one-loop", m,
			    (unsigned)pc->naps, pc->naps, 0);
			add(pts, &n, cap, STARTJOIN, "two-loops", m,
			    (unsigned)pc->naps, pc->naps, 0);
		}
		if (pc->want[EXAMPLES]) {
			add(pts, &n, cap, EXAMPLES, "map", m, cfg->workers[0],
			    5, 1);
			add(pts, &n, cap, EXAMPLES, "apply_async", m,
			    cfg->workers[0], 1, 1);
			if (pc->crash_item && m == MODEL_PROCESS)
				add(pts, &n, cap, EXAMPLES, "map-crash", m,
				    cfg->workers[0], 5, 1);
		}
	}
	return n;
}

/* ---- narration ---------------------------------------------------------- */

static const struct point *find(const struct point *pts, size_t n,
				enum experiment e, const char *method,
				enum model m, unsigned w, size_t items,
				size_t chunk)
{
	for (size_t i = 0; i < n; i++)
		if (pts[i].exp == e && !strcmp(pts[i].method, method) &&
		    pts[i].model == m && pts[i].workers == w &&
		    pts[i].items == items && pts[i].chunk == chunk)
			return &pts[i];
	return NULL;
}

/* Decimals that show a figure to about three significant digits. */
static int decimals(double x)
{
	return x < 1 ? 3 : x < 10 ? 2 : x < 100 ? 1 : 0;
}

/* One table cell: the median, "-" when not run, FAILED when no run was
 * ok; a star marks a noisy wall time. */
static void cell(const struct point *pt, int width, double scale,
		 const char *unit, int map, int *noisy)
{
	char buf[32];

	if (!pt || !pt->nruns)
		snprintf(buf, sizeof(buf), "-");
	else if (!pt->ok_runs)
		snprintf(buf, sizeof(buf), "FAILED");
	else if (map)
		snprintf(buf, sizeof(buf), "%.3f%s", pt->map_us.median * scale,
			 unit);
	else
		snprintf(buf, sizeof(buf), "%.*f%s%s",
			 decimals(pt->us.median * scale),
			 pt->us.median * scale, unit,
			 pt->wall.noisy ? "*" : "");
	if (pt && pt->ok_runs && !map)
		*noisy |= pt->wall.noisy;
	printf(" %*s", width, buf);
}

/* Prints text after prefix, wrapped before 79 columns. */
static void wrap(const char *prefix, const char *text)
{
	const char *p = text;
	size_t col = strlen(prefix);

	printf("%s", prefix);
	while (*p) {
		size_t len = strcspn(p, " ");

		if (col + 1 + len > 78) {
			printf("\n ");
			col = 1;
		}
		printf(" %.*s", (int)len, p);
		col += 1 + len;
		p += len;
		p += strspn(p, " ");
	}
	printf("\n");
}

/* The notes' examples: printed for the first model; the others that
 * printed the same are named. */
static void narrate_examples(const struct pool_cfg *pc,
			     const struct point *pts, size_t n)
{
	const struct config *cfg = pc->cfg;
	unsigned w = cfg->workers[0];
	const struct point *crash = NULL, *a[MODEL_COUNT], *b[MODEL_COUNT];
	int shown[MODEL_COUNT] = { 0 };

	for (size_t i = 0; i < cfg->nmodels; i++) {
		enum model m = cfg->models[i];
		const struct point *c = find(pts, n, EXAMPLES, "map-crash", m,
					     w, 5, 1);

		a[i] = find(pts, n, EXAMPLES, "map", m, w, 5, 1);
		b[i] = find(pts, n, EXAMPLES, "apply_async", m, w, 1, 1);
		if (c && c->nruns)
			crash = c;
	}
	/* each distinct pair of notes once, with the models that printed
	 * it */
	for (size_t i = 0; i < cfg->nmodels; i++) {
		char models[128];
		size_t off;

		if (shown[i] || !a[i] || !a[i]->nruns || !b[i] ||
		    !b[i]->nruns)
			continue;
		off = snprintf(models, sizeof(models), "%s",
			       model_name(cfg->models[i]));
		for (size_t j = i + 1; j < cfg->nmodels; j++) {
			if (!a[j] || !a[j]->nruns || !b[j] || !b[j]->nruns ||
			    strcmp(a[i]->note, a[j]->note) ||
			    strcmp(b[i]->note, b[j]->note))
				continue;
			shown[j] = 1;
			if (off < sizeof(models))
				off += snprintf(models + off,
						sizeof(models) - off, ", %s",
						model_name(cfg->models[j]));
		}
		printf("course notes' examples, pools of %u (%s):\n  %s\n"
		       "  %s\n", w, models, a[i]->note, b[i]->note);
	}
	if (crash) {
		printf("  %s (--on-crash %s)\n", crash->note,
		       config_param(cfg, "on-crash")->s);
		wrap("  pool_map:", crash->why);
	}
	if (pc->crash_item && (cfg->nmodels > 1 ||
			       cfg->models[0] != MODEL_PROCESS))
		printf("  --crash-item: process pools only (a thread that "
		       "crashes takes pvt with it)\n");
}

static void narrate(const struct pool_cfg *pc, const struct point *pts,
		    size_t n)
{
	const struct config *cfg = pc->cfg;
	const struct param_value *items = config_param(cfg, "items");
	const struct param_value *chunks = config_param(cfg, "chunksizes");
	int noisy = 0;

	for (size_t k = 0; k < cfg->nworkers; k++) {
		unsigned w = cfg->workers[k];

		if (pc->want[OVERHEAD]) {
			printf("\nper-task cost, %u worker(s): µs per empty "
			       "task (x -> x), chunksize 1, median of %u;\n"
			       "pool: create, map, close, join; spawn: a "
			       "worker per item (to %zu items)\n  %8s", w,
			       cfg->repeat, pc->spawn_max, "items");
			for (size_t i = 0; i < cfg->nmodels; i++)
				printf(" %9.9s pool %7s", model_name(cfg->models[i]),
				       "spawn");
			printf("\n");
			for (size_t j = 0; j < items->n; j++) {
				printf("  %8u", items->list[j]);
				for (size_t i = 0; i < cfg->nmodels; i++) {
					enum model m = cfg->models[i];

					cell(find(pts, n, OVERHEAD, "pool", m,
						  w, items->list[j], 1), 14, 1,
					     "", 0, &noisy);
					cell(find(pts, n, OVERHEAD, "spawn", m,
						  w, items->list[j], 0), 8, 1,
					     "", 0, &noisy);
				}
				printf("\n");
			}
		}
		if (pc->want[CHUNKSIZE]) {
			printf("\nmap alone, %zu items, %u worker(s): µs per "
			       "task by chunksize\n  %9s", pc->max_items, w,
			       "chunksize");
			for (size_t i = 0; i < cfg->nmodels; i++)
				printf(" %10s", model_name(cfg->models[i]));
			printf("\n");
			for (size_t j = 0; j < chunks->n; j++) {
				printf("  %9u", chunks->list[j]);
				for (size_t i = 0; i < cfg->nmodels; i++)
					cell(find(pts, n, CHUNKSIZE, "pool",
						  cfg->models[i], w,
						  pc->max_items,
						  chunks->list[j]), 10, 1, "",
					     1, &noisy);
				printf("\n");
			}
		}
	}
	if (pc->want[STARTJOIN]) {
		/* the first column ends under "in one loop" */
		int col = printf("\nstart() and join(), %zu workers sleeping "
				 "%.0f ms: in one loop", pc->naps,
				 pc->nap_s * 1e3) - 1;

		printf(" | all, then all\n");
		for (size_t i = 0; i < cfg->nmodels; i++) {
			enum model m = cfg->models[i];
			const struct point *a = find(pts, n, STARTJOIN,
						     "one-loop", m,
						     (unsigned)pc->naps,
						     pc->naps, 0);
			const struct point *b = find(pts, n, STARTJOIN,
						     "two-loops", m,
						     (unsigned)pc->naps,
						     pc->naps, 0);

			printf("  %-9s", model_name(m));
			cell(a, col - 12, pc->naps / 1e3, " ms", 0, &noisy);
			printf(" |");
			cell(b, 13, pc->naps / 1e3, " ms", 0, &noisy);
			printf("\n");
		}
	}
	if (pc->want[EXAMPLES])
		narrate_examples(pc, pts, n);
	if (noisy)
		printf("  * noisy: the runs spread over %.0f%% of the median\n",
		       100 * MEASURE_NOISY);
}

/* The measured lesson: the figures that carry it, for the first worker
 * count (and, for chunksize and startjoin, the first model). */
static void lesson(const struct pool_cfg *pc, const struct point *pts,
		   size_t n)
{
	const struct config *cfg = pc->cfg;
	const struct param_value *items = config_param(cfg, "items");
	const struct param_value *chunks = config_param(cfg, "chunksizes");
	unsigned w = cfg->workers[0];
	char text[1024];
	size_t off = 0, big = 0;
	int first = 1;

	text[0] = 0;
	/* the largest count that has both a pool and a spawn figure */
	for (size_t j = 0; j < items->n; j++)
		if (items->list[j] <= pc->spawn_max && items->list[j] > big)
			big = items->list[j];
	for (size_t i = 0; pc->want[OVERHEAD] && big && i < cfg->nmodels;
	     i++) {
		const struct point *a = find(pts, n, OVERHEAD, "pool",
					     cfg->models[i], w, big, 1);
		const struct point *b = find(pts, n, OVERHEAD, "spawn",
					     cfg->models[i], w, big, 0);

		if (!a || !b || !a->ok_runs || !b->ok_runs)
			continue;
		if (first)
			off += snprintf(text + off, sizeof(text) - off,
					"a pool pays for its workers once: at "
					"%zu tasks a %s pool costs %.*f µs per "
					"task, a worker per task %.*f µs "
					"(%.0fx)", big,
					model_name(cfg->models[i]),
					decimals(a->us.median), a->us.median,
					decimals(b->us.median), b->us.median,
					b->us.median / a->us.median);
		else
			off += snprintf(text + off, sizeof(text) - off,
					"; %s: %.*f against %.*f µs (%.0fx)",
					model_name(cfg->models[i]),
					decimals(a->us.median), a->us.median,
					decimals(b->us.median), b->us.median,
					b->us.median / a->us.median);
		first = 0;
	}
	if (!first)
		off += snprintf(text + off, sizeof(text) - off, "; ");
	if (pc->want[CHUNKSIZE] && chunks->n > 1 && off < sizeof(text)) {
		const struct point *a = find(pts, n, CHUNKSIZE, "pool",
					     cfg->models[0], w, pc->max_items,
					     chunks->list[0]);
		const struct point *b = find(pts, n, CHUNKSIZE, "pool",
					     cfg->models[0], w, pc->max_items,
					     chunks->list[chunks->n - 1]);

		if (a && b && a->ok_runs && b->ok_runs)
			off += snprintf(text + off, sizeof(text) - off,
					"chunks of %u take the %s map from "
					"%.3f to %.3f µs per task; ",
					chunks->list[chunks->n - 1],
					model_name(cfg->models[0]),
					a->map_us.median, b->map_us.median);
	}
	if (pc->want[STARTJOIN] && off < sizeof(text)) {
		const struct point *a = find(pts, n, STARTJOIN, "one-loop",
					     cfg->models[0], (unsigned)pc->naps,
					     pc->naps, 0);
		const struct point *b = find(pts, n, STARTJOIN, "two-loops",
					     cfg->models[0], (unsigned)pc->naps,
					     pc->naps, 0);

		if (a && b && a->ok_runs && b->ok_runs)
			off += snprintf(text + off, sizeof(text) - off,
					"start() and join() in one loop run "
					"the workers one after another: %.0f "
					"ms instead of %.0f ms.",
					a->wall.median * 1e3,
					b->wall.median * 1e3);
	}
	if (!text[0] && off < sizeof(text))
		snprintf(text, sizeof(text), "%s", cfg->sc->lesson);
	wrap("  Lesson:", text);
}

/* Whether a and b are the same pool in the same experiment. */
static int same_variant(const struct point *a, const struct point *b)
{
	return a->exp == b->exp && a->model == b->model &&
	       a->workers == b->workers && !strcmp(a->method, b->method) &&
	       a->start == b->start;
}

/* Whether pts[i] is the first point of its variant. */
static int first_of_variant(const struct point *pts, size_t i)
{
	for (size_t k = 0; k < i; k++)
		if (same_variant(&pts[k], &pts[i]))
			return 0;
	return 1;
}

/* Python's pools: us per task by items (create to join, chunksize 1),
 * then the map alone by chunksize. */
static void narrate_python(const struct pool_cfg *pc, const struct point *pts,
			   size_t n, unsigned w)
{
	const struct config *cfg = pc->cfg;
	const struct param_value *items = config_param(cfg, "items");
	const struct param_value *chunks = config_param(cfg, "chunksizes");
	int noisy = 0;

	for (enum experiment e = OVERHEAD; e <= CHUNKSIZE; e++) {
		const struct param_value *cols = e == OVERHEAD ? items : chunks;
		int header = 0;

		for (size_t i = 0; i < n; i++) {
			const struct point *pt = &pts[i], *q;
			char name[64];

			if (!MODEL_IS_PYTHON(pt->model) || pt->exp != e ||
			    pt->workers != w || !first_of_variant(pts, i))
				continue;
			if (!header++) {
				printf(e == OVERHEAD ? "\nPython pools, %u "
				       "worker(s): µs per empty task, create "
				       "to join, chunksize 1\n  %-32s" :
				       "\nPython pools, %u worker(s): the map "
				       "alone, µs per task, by chunksize\n"
				       "  %-32s", w, e == OVERHEAD ? "items" :
				       "chunksize");
				for (size_t j = 0; j < cols->n; j++)
					printf(" %9u", cols->list[j]);
				printf("\n");
			}
			snprintf(name, sizeof(name), "%s%s%s", pt->method,
				 pt->start ? " " : "", pt->start ?
				 pt->start : "");
			printf("  %-32s", name);
			for (size_t j = 0; j < cols->n; j++) {
				q = NULL;
				for (size_t k = 0; k < n && !q; k++)
					if (same_variant(&pts[k], pt) &&
					    (e == OVERHEAD ?
					     pts[k].items == cols->list[j] :
					     pts[k].chunk == cols->list[j]))
						q = &pts[k];
				cell(q, 9, 1, "", e == CHUNKSIZE, &noisy);
			}
			printf("\n");
		}
	}
	if (noisy)
		printf("  * noisy: the runs spread over %.0f%% of the median\n",
		       100 * MEASURE_NOISY);
}

/* Python's lesson: its pools per task beside pvt's process pool, at the
 * largest map both ran. */
static void python_lesson(const struct pool_cfg *pc, const struct point *pts,
			  size_t n)
{
	unsigned w = pc->cfg->workers[0];
	const struct point *c = NULL;
	size_t big = 0, off = 0;
	char text[1024];

	for (size_t i = 0; i < n; i++)
		if (MODEL_IS_PYTHON(pts[i].model) && pts[i].exp == OVERHEAD &&
		    pts[i].ok_runs && pts[i].workers == w &&
		    pts[i].items > big)
			big = pts[i].items;
	c = find(pts, n, OVERHEAD, "pool", MODEL_PROCESS, w, big, 1);
	for (size_t i = 0; i < n && off < sizeof(text); i++) {
		const struct point *pt = &pts[i];

		if (!MODEL_IS_PYTHON(pt->model) || pt->exp != OVERHEAD ||
		    !pt->ok_runs || pt->workers != w || pt->items != big)
			continue;
		off += snprintf(text + off, sizeof(text) - off, "%s %s%s%s "
				"%.1f%s", off ? "," : "per task at", pt->method,
				pt->start ? " " : "", pt->start ? pt->start :
				"", pt->us.median, off ? "" : " µs");
	}
	if (!off)
		return;
	if (c && c->ok_runs && off < sizeof(text))
		off += snprintf(text + off, sizeof(text) - off, " (%zu items, "
				"%u workers); pvt's C process pool %.2f µs",
				big, w, c->us.median);
	if (off < sizeof(text))
		snprintf(text + off, sizeof(text) - off, ": Python pickles "
			 "every task and sends it through a pipe, and a "
			 "ProcessPoolExecutor through a queue and a thread of "
			 "its own.");
	wrap("  In Python,", text);
}

/* The C tables and lesson (for the C models alone), then Python's. */
static void narrate_all(const struct pool_cfg *pc, const struct point *pts,
			size_t n)
{
	struct config c = *pc->cfg;
	struct pool_cfg cpc = *pc;
	size_t k = 0;

	for (size_t i = 0; i < c.nmodels; i++)
		if (!MODEL_IS_PYTHON(c.models[i]))
			c.models[k++] = c.models[i];
	c.nmodels = k;
	cpc.cfg = &c;
	if (k) {
		narrate(&cpc, pts, n);
		lesson(&cpc, pts, n);
	}
	for (size_t i = 0; i < pc->cfg->nworkers; i++)
		narrate_python(pc, pts, n, pc->cfg->workers[i]);
	python_lesson(pc, pts, n);
}

static void pool_narrate(void *vctx, const struct bench_result *res)
{
	const struct pool_cfg *pc = vctx;

	pool_sync(res);
	narrate_all(pc, pc->pts, pc->npts);
}

/* ---- the lesson as checks ---------------------------------------------- */

/* The configuration of a point like the one described, measured. */
static const struct bench_conf *conf_of(const struct bench_result *res,
					enum experiment e, const char *method,
					const char *start, enum model m,
					unsigned w, size_t items, size_t chunk)
{
	for (size_t i = 0; i < res->nconfs; i++) {
		const struct point *pt = res->confs[i].arg;

		if (pt->exp == e && !strcmp(pt->method, method) &&
		    (pt->start == start || (pt->start && start &&
					    !strcmp(pt->start, start))) &&
		    pt->model == m && pt->workers == w && pt->items == items &&
		    pt->chunk == chunk)
			return &res->confs[i];
	}
	return NULL;
}

/* what: a's figure f over b's, at least 1 (b is the cheaper). */
static void check_cheaper(const struct bench_result *res, struct verdicts *vs,
			  const char *what, const struct bench_conf *a,
			  const struct bench_conf *b, const char *f)
{
	struct verdict_evidence ev = VERDICT_EVIDENCE_INIT;
	double x = a && a->ok_runs ? bench_stats(res, a, f)->median : NAN;
	double y = b && b->ok_runs ? bench_stats(res, b, f)->median : NAN;

	bench_evidence(&ev, a, VERDICT_SLOW_RAISES);
	bench_evidence(&ev, b, VERDICT_SLOW_LOWERS);
	verdict_compare(vs, what, x / y, VERDICT_AT_LEAST, 1.0, "%.1fx", &ev);
}

/* The lesson as checks, at the first worker count: a pool is cheaper per
 * task than a worker per task (each model, the largest map with both);
 * in Python, ThreadPool.map cheaper than Pool.map, and chunks cheaper
 * than one task at a time. */
static void pool_check(const struct bench_result *res, struct verdicts *vs)
{
	const struct pool_cfg *pc = res->b->ctx;
	const struct config *cfg = pc->cfg;
	const struct param_value *items = config_param(cfg, "items");
	const struct param_value *chunks = config_param(cfg, "chunksizes");
	unsigned w = cfg->workers[0];
	size_t big = 0, pybig = 0;
	char what[160];

	for (size_t j = 0; j < items->n; j++) {
		if (items->list[j] <= pc->spawn_max && items->list[j] > big)
			big = items->list[j];
		if (items->list[j] <= pc->py_items && items->list[j] > pybig)
			pybig = items->list[j];
	}
	for (size_t i = 0; pc->want[OVERHEAD] && big && i < cfg->nmodels;
	     i++) {
		enum model m = cfg->models[i];

		if (MODEL_IS_PYTHON(m))
			continue;
		snprintf(what, sizeof(what), "%s: a worker per task / a pool, "
			 "us per task at %zu tasks", model_name(m), big);
		check_cheaper(res, vs, what,
			      conf_of(res, OVERHEAD, "spawn", NULL, m, w, big, 0),
			      conf_of(res, OVERHEAD, "pool", NULL, m, w, big, 1),
			      "us_per_task");
	}
	if (pc->want[OVERHEAD] && pybig && pc->methods[0] &&
	    config_has_model(cfg, MODEL_PY_PROCESS) &&
	    config_has_model(cfg, MODEL_PY_THREAD) && !pc->no_python) {
		snprintf(what, sizeof(what), "Python: Pool.map (fork) / "
			 "ThreadPool.map, us per task at %zu tasks", pybig);
		check_cheaper(res, vs, what,
			      conf_of(res, OVERHEAD, "Pool.map", "fork",
				      MODEL_PY_PROCESS, w, pybig, 1),
			      conf_of(res, OVERHEAD, "ThreadPool.map", NULL,
				      MODEL_PY_THREAD, w, pybig, 1),
			      "us_per_task");
	}
	if (pc->want[CHUNKSIZE] && chunks->n > 1 && pc->methods[0] &&
	    config_has_model(cfg, MODEL_PY_PROCESS) && !pc->no_python) {
		size_t at = pc->max_items < pc->py_items ? pc->max_items :
			    pc->py_items;

		snprintf(what, sizeof(what), "Python: Pool.map (fork), the map "
			 "per task, chunksize %u / %u", chunks->list[0],
			 chunks->list[chunks->n - 1]);
		check_cheaper(res, vs, what,
			      conf_of(res, CHUNKSIZE, "Pool.map", "fork",
				      MODEL_PY_PROCESS, w, at, chunks->list[0]),
			      conf_of(res, CHUNKSIZE, "Pool.map", "fork",
				      MODEL_PY_PROCESS, w, at,
				      chunks->list[chunks->n - 1]),
			      "map_us_per_task");
	}
}

/* ---- the scenario ------------------------------------------------------ */

/* Whether the run asks for py-* models that cannot run: no Python. */
static int skip_python(const struct config *cfg, char *why, size_t len)
{
	return (config_has_model(cfg, MODEL_PY_PROCESS) ||
		config_has_model(cfg, MODEL_PY_THREAD)) &&
	       python_find(why, len);
}

static const struct bench_sumcol pool_summary[] = {
	{ "us_per_task", "us_per_task", BENCH_MEDIAN },
	{ "min_us_per_task", "us_per_task", BENCH_MIN },
	{ "max_us_per_task", "us_per_task", BENCH_MAX },
	{ "map_us_per_task", "map_us_per_task", BENCH_MEDIAN },
	{ NULL, NULL, 0 },
};

static int pool_run(const struct config *cfg)
{
	const struct param_value *items = config_param(cfg, "items");
	struct pool_cfg pc = {
		.cfg = cfg,
		.spawn_max = config_param(cfg, "spawn-max")->u,
		.naps = config_param(cfg, "naps")->u,
		.py_items = config_param(cfg, "py-items")->u,
		.nap_s = config_param(cfg, "nap")->d,
		.crash_item = config_param(cfg, "crash-item")->u,
		.on_crash = strcmp(config_param(cfg, "on-crash")->s, "abort") ?
			    POOL_CRASH_CONTINUE : POOL_CRASH_ABORT,
	};
	struct bench b = {
		.ctx = &pc,
		.keys = "experiment,method,items,chunksize,start_method",
		.figures = "us_per_task,map_us_per_task",
		.run = pool_rep,
		.run_batch = pool_py,
		.summary = pool_summary,
		.headline = "us_per_task",
		.narrate = pool_narrate,
	};
	struct bench_result res;
	struct point *pts;
	size_t cap;
	int rc;
	char why[512];

	for (size_t i = 0; i < cfg->nmodels; i++)
		if (cfg->models[i] == MODEL_SEQUENTIAL ||
		    cfg->models[i] == MODEL_PY_SEQUENTIAL) {
			fprintf(stderr, "pvt: pool: --models: '%s' has no pool "
				"(accepted: process, thread, gil, py-process, "
				"py-thread)\n", model_name(cfg->models[i]));
			return 2;
		}
	for (size_t i = 0; i < config_param(cfg, "experiments")->n; i++)
		pc.want[config_param(cfg, "experiments")->list[i]] = 1;
	python_methods(config_param(cfg, "start-methods"), pc.methods);
	if ((pc.no_python = skip_python(cfg, why, sizeof(why))))
		printf("  pool: the py-* models are skipped: %s\n", why);
	for (size_t j = 0; j < items->n; j++)
		if (items->list[j] > pc.max_items)
			pc.max_items = items->list[j];
	pc.in = malloc(pc.max_items * ITEM_SIZE);
	pc.out = malloc(pc.max_items * ITEM_SIZE);
	cap = cfg->nmodels * (cfg->nworkers *
			      (2 * items->n +
			       config_param(cfg, "chunksizes")->n) *
			      2 * PYTHON_START_METHODS + 5);
	pts = calloc(cap, sizeof(*pts));
	if (!pc.in || !pc.out || !pts) {
		fprintf(stderr, "pvt: pool: out of memory\n");
		free(pc.in);
		free(pc.out);
		free(pts);
		return 1;
	}
	for (size_t i = 0; i < pc.max_items; i++)
		pc.in[i] = i * 2654435761u + 1;	/* order shows in the result */

	pc.pts = pts;
	pc.npts = plan(&pc, pts, cap);
	rc = bench_init(&res, cfg, &b);
	for (size_t i = 0; !rc && i < pc.npts; i++) {
		struct point *pt = &pts[i];
		struct bench_conf *k = bench_add(&res, pt->model, pt->workers,
						 pt->items, ITEM_SIZE);

		if (!k) {
			rc = 1;
			break;
		}
		bench_key(k, 0, "%s", experiment_names[pt->exp]);
		bench_key(k, 1, "%s", pt->method);
		bench_key(k, 2, "%zu", pt->items);
		if (pt->chunk)
			bench_key(k, 3, "%zu", pt->chunk);
		if (pt->start)
			bench_key(k, 4, "%s", pt->start);
		k->arg = pt;
		k->batch = MODEL_IS_PYTHON(pt->model);
		if (pt->exp == EXAMPLES) {
			k->warmup = 0;
			k->repeat = 1;
		}
	}
	if (!rc)
		rc = bench_run(&res);
	bench_free(&res);
	free(pts);
	free(pc.in);
	free(pc.out);
	return rc;
}

static const struct param pool_params[] = {
	{ "items", PARAM_LIST, "10,100,1000,10000,100000", 1, 10000000, NULL,
	  "overhead: map sizes; the largest is chunksize's" },
	{ "chunksizes", PARAM_LIST, "1,16,256", 1, 10000000, NULL,
	  "chunksize: the chunk sizes tried" },
	{ "spawn-max", PARAM_COUNT, "10000", 0, 10000000, NULL,
	  "overhead: a worker per item only up to this many items (slow)" },
	{ "naps", PARAM_COUNT, "4", 1, 256, NULL,
	  "startjoin: how many workers" },
	{ "nap", PARAM_DURATION, "20ms", 0, 10, NULL,
	  "startjoin: how long each sleeps (the notes' time.sleep)" },
	{ "py-items", PARAM_COUNT, "10000", 1, 10000000, NULL,
	  "py-*: maps of at most this many items (Python is slower)" },
	{ "start-methods", PARAM_CHOICES, "fork,forkserver,spawn", 0, 0,
	  PYTHON_START_METHOD_CHOICES,
	  "py-process: multiprocessing's start methods, each measured" },
	/* the positions are those of experiment_names */
	{ "experiments", PARAM_CHOICES, "overhead,chunksize,startjoin,examples",
	  0, 0, "overhead|chunksize|startjoin|examples",
	  "which experiments to run" },
	{ "crash-item", PARAM_COUNT, "0", 0, 5, NULL,
	  "examples: the item (1..5) of the map whose process worker dies of "
	  "SIGSEGV; 0: none" },
	{ "on-crash", PARAM_CHOICE, "continue", 0, 0, "continue|abort",
	  "what a process pool does when a worker dies: fail its task and "
	  "replace it, or report itself broken" },
	{ NULL, 0, NULL, 0, 0, NULL, NULL },
};

static const char *const pool_quick[] = {
	"--items", "10,1000,10000", "--chunksizes", "1,256", "--spawn-max",
	"1000", "--repeat", "3", "--nap", "10ms", NULL,
};

const struct scenario scenario_pool = {
	.name = "pool",
	.summary = "what a pool buys: per-task cost vs a worker per task, "
		   "chunksize, start/join",
	.lesson = "Creating a worker costs tens of microseconds for a thread "
		  "and hundreds for a process; a pool pays that once and then "
		  "hands out tasks for a microsecond or less each, less still "
		  "in chunks. Starting and joining each worker in the same "
		  "loop runs them one after another.",
	.method = "overhead: a map of an empty task (x -> x) over each --items "
		  "count, chunksize 1, timed from pool_create to pool_join "
		  "(us_per_task) and the map alone (map_us_per_task), against "
		  "one worker created and joined per item, --workers at a "
		  "time. chunksize: the largest map at each --chunksizes. "
		  "startjoin: --naps workers sleeping --nap, each joined "
		  "before the next starts vs all started then all joined. "
		  "Arguments and results are copied through shared memory for "
		  "every model; every result is checked. py-process and "
		  "py-thread (overhead and chunksize, maps of at most "
		  "--py-items): scenarios/python/pool.py times Pool.map and "
		  "ProcessPoolExecutor.map for each --start-methods, or "
		  "ThreadPool.map, the same way; pvt checks the sum of the "
		  "results against the items'.",
	.uses = USE_MODELS | USE_WORKERS | USE_REPEAT | USE_SWITCH,
	.models = "process,thread",
	.workers = "2",
	.python = "pool.py",
	.tasks = 100000,
	.size = ITEM_SIZE,
	.size_unit = "bytes per argument",
	.params = pool_params,
	.quick = pool_quick,
	.run = pool_run,
	.check = pool_check,
};

/* square.c - CPU-bound: square blocks of integers under every model
 *
 * Task t squares the integers t*size .. (t+1)*size-1 and folds them into
 * a checksum (their sum, modulo 2^64). The parent checks every task's
 * checksum against the closed form n(n-1)(2n-1)/6, so a wrong or lost
 * result is an error, never a fast number.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>

#include "face/scenario.h"
#include "measure/sweep.h"
#include "measure/sysinfo.h"

/* How often a gil worker offers the lock (CPython checks its eval
 * breaker every few bytecodes; this is a few microseconds of work). */
#define CHECK_EVERY 4096

struct square_ctx {
	uint64_t size;		/* integers per task */
};

struct square_result {
	uint64_t checksum;
	uint64_t count;
};

/* Sum of i*i for i in [0, n), modulo 2^64; n <= 2^40 keeps it exact. */
static uint64_t sum_squares_below(uint64_t n)
{
	unsigned __int128 m = n;

	if (n == 0)
		return 0;
	return (uint64_t)(m * (m - 1) * (2 * m - 1) / 6);
}

static int square_task(const void *ctx, void *local, size_t task,
		       void *result)
{
	const struct square_ctx *c = ctx;
	struct square_result *r = result;
	uint64_t first = (uint64_t)task * c->size, sum = 0, i = 0;

	(void)local;
	while (i < c->size) {
		uint64_t end = i + CHECK_EVERY < c->size ? i + CHECK_EVERY :
			       c->size;

		for (; i < end; i++) {
			uint64_t x = first + i;

			/* keeps the compiler from replacing the loop with
			 * the closed form the check uses */
			__asm__("" : "+r"(x));
			sum += x * x;
		}
		worker_checkpoint();
	}
	r->checksum = sum;
	r->count = c->size;
	return 0;
}

static size_t square_verify(const void *ctx, const struct results *res,
			    char *why, size_t len)
{
	const struct square_ctx *c = ctx;
	size_t wrong = 0;

	for (size_t t = 0; t < res->tasks; t++) {
		const struct square_result *r = results_at(res, t);
		uint64_t want = sum_squares_below((t + 1) * c->size) -
				sum_squares_below(t * c->size);

		if (r->checksum == want && r->count == c->size)
			continue;
		if (!wrong++)
			snprintf(why, len, "task %zu: checksum %llu, expected "
				 "%llu", t, (unsigned long long)r->checksum,
				 (unsigned long long)want);
	}
	return wrong;
}

/* Speedup of model m at w workers, or NAN. */
static double speedup(const struct bench_result *res, enum model m,
		      unsigned w)
{
	const struct bench_conf *k = bench_find(res, m, w, NULL);

	return k ? k->speedup : NAN;
}

/* Median seconds per integer of model m at w workers, or NAN. */
static double per_int(const struct bench_result *res, enum model m,
		      unsigned w, uint64_t tasks)
{
	const struct bench_conf *k = bench_find(res, m, w, NULL);

	return k ? k->wall.median / (double)(tasks * k->size) : NAN;
}

/* The largest swept worker count that fits the cores, or 0. */
static unsigned fitting_workers(const struct config *cfg)
{
	unsigned cores = (unsigned)sysinfo_cores(), w = 0;

	for (size_t i = 0; i < cfg->nworkers; i++)
		if (cfg->workers[i] <= cores && cfg->workers[i] > w)
			w = cfg->workers[i];
	return w;
}

static void headline(const void *ctx, const struct bench_result *res)
{
	const struct config *cfg = res->cfg;
	unsigned cores = (unsigned)sysinfo_cores(), w = fitting_workers(cfg);
	double c, py, t, p, g;

	(void)ctx;
	if (!w)
		return;
	t = speedup(res, MODEL_PY_THREAD, w);
	p = speedup(res, MODEL_PY_PROCESS, w);
	g = speedup(res, MODEL_GIL, w);
	if (isfinite(t) && isfinite(p))
		printf("\n  At %u worker(s) on %u core(s), Python threads reach "
		       "%.2f of Python processes' speed (the GIL)", w, cores,
		       t / p);
	if (isfinite(t) && isfinite(p) && isfinite(g))
		printf("; pvt's emulated GIL %.2f of CPython's speedup (1.00: "
		       "it behaves as CPython's)", g / t);
	if (isfinite(t) && isfinite(p))
		printf(".\n");
	c = per_int(res, MODEL_SEQUENTIAL, 1, cfg->tasks);
	py = per_int(res, MODEL_PY_SEQUENTIAL, 1, cfg->tasks);
	if (isfinite(c) && isfinite(py))
		printf("  One integer squared and added: C %.2f ns, Python "
		       "%.1f ns (%.0fx).\n", c * 1e9, py * 1e9, py / c);
}

/* Whether model m was planned (it may still have failed). */
static int planned(const struct bench_result *res, enum model m)
{
	for (size_t i = 0; i < res->nconfs; i++)
		if (res->confs[i].model == m)
			return 1;
	return 0;
}

/* The speedup of m at w workers against its baseline, as a check. */
static void check_speedup(const struct bench_result *res,
			  struct verdicts *vs, enum model m, unsigned w,
			  enum verdict_cmp cmp, double bound)
{
	enum model base = MODEL_IS_PYTHON(m) ? MODEL_PY_SEQUENTIAL :
			  MODEL_SEQUENTIAL;
	struct verdict_evidence ev = VERDICT_EVIDENCE_INIT;
	char what[128];

	if (!planned(res, m))
		return;
	bench_evidence(&ev, bench_find(res, m, w, NULL), VERDICT_SLOW_LOWERS);
	bench_evidence(&ev, bench_find(res, base, 1, NULL),
		       VERDICT_SLOW_RAISES);
	snprintf(what, sizeof(what), "%s speedup at %u worker(s)",
		 model_name(m), w);
	verdict_compare(vs, what, speedup(res, m, w), cmp, bound, "%.2fx", &ev);
}

/* The lesson: processes and threads scale to the cores; a GIL keeps
 * threads flat. */
static void square_check(const struct bench_result *res,
			 struct verdicts *vs)
{
	const struct config *cfg = res->cfg;
	unsigned cores = (unsigned)sysinfo_cores();
	unsigned w = fitting_workers(cfg), n;

	if (!w)		/* every count over the cores: the smallest */
		for (size_t i = 0; i < cfg->nworkers; i++)
			if (!w || cfg->workers[i] < w)
				w = cfg->workers[i];
	if (!w)
		return;
	n = w < cores ? w : cores;	/* min(workers, cores) */
	check_speedup(res, vs, MODEL_PROCESS, w, VERDICT_AT_LEAST, 0.8 * n);
	check_speedup(res, vs, MODEL_THREAD, w, VERDICT_AT_LEAST, 0.8 * n);
	if (w < 2)
		return;		/* one worker: nothing to keep flat */
	check_speedup(res, vs, MODEL_GIL, w, VERDICT_AT_MOST, 1.2);
	check_speedup(res, vs, MODEL_PY_THREAD, w, VERDICT_AT_MOST, 1.2);
}

/* The sum of every task's checksum: all integers below tasks * size. */
static uint64_t square_total(const void *ctx, uint64_t tasks, uint64_t size)
{
	(void)ctx;
	return sum_squares_below(tasks * size);
}

static int square_run(const struct config *cfg)
{
	struct square_ctx ctx = { .size = cfg->size };
	struct sweep sw = {
		.fn = square_task,
		.ctx = &ctx,
		.result_size = sizeof(struct square_result),
		.verify = square_verify,
		.python = cfg->sc->python,
		.python_size = config_param(cfg, "py-size")->u,
		.python_checksum = square_total,
		.narrate = headline,
	};

	if (cfg->size > (1ULL << 40) / cfg->tasks ||
	    sw.python_size > (1ULL << 40) / cfg->tasks) {
		fprintf(stderr, "pvt: square: --tasks x --size (or --py-size) "
			"is over 2^40 "
			"integers; accepted: at most 1099511627776 in all\n");
		return 2;
	}
	return sweep_run(cfg, &sw);
}

static const struct param square_params[] = {
	{ "py-size", PARAM_SIZE, "512Ki", 1, 1ULL << 40, NULL,
	  "integers per task for the py-* models (Python is ~100x slower)" },
	SWEEP_MPI_PARAMS,
	{ NULL, 0, NULL, 0, 0, NULL, NULL },
};

/* py-size: runs of a second or more, so that no start-up cost or short
 * stall can hide the GIL (py-thread at 2 workers stays near 1.0x) */
static const char *const square_quick[] = {
	"--size", "4Mi", "--py-size", "256Ki", "--repeat", "3",
	"--workers", "1,2,4", NULL,
};

/* pvt live: every C model at 1, 2 and 4 workers within a few seconds */
static const char *const square_live[] = {
	"--size", "2Mi", "--py-size", "64Ki", "--repeat", "3",
	"--workers", "1,2,4", NULL,
};

const struct scenario scenario_square = {
	.name = "square",
	.summary = "CPU-bound: square integers under processes, threads and "
		   "a GIL",
	.lesson = "Processes and threads both run CPU-bound C code in "
		  "parallel, so both speed up until the cores run out. Threads "
		  "that must hold one global lock to compute, as in CPython, "
		  "take turns and stay at the speed of one core.",
	.method = "Each task squares --size consecutive integers and sums "
		  "them; every checksum is verified against the closed form. "
		  "Tasks are handed out by one shared atomic counter; timing "
		  "covers creating, running and joining the workers "
		  "(CLOCK_MONOTONIC). Speedup = sequential median / model "
		  "median; efficiency = speedup / workers. The mpi models "
		  "deal task t to rank t mod ranks, gather the results to "
		  "rank 0 and verify them there; their time runs from a "
		  "barrier to the end of the gather, mpirun's start-up "
		  "apart (launch_s).",
	.uses = USE_SWEEP,
	.models = "sequential,process,thread,gil,py-sequential,py-process,"
		  "py-thread",
	.tasks = 64,
	.size = 16 << 20,
	.size_unit = "integers per task",
	.python = "square.py",
	.mpi = 1,
	.params = square_params,
	.quick = square_quick,
	.live = square_live,
	.run = square_run,
	.check = square_check,
};

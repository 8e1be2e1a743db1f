/* square.c - CPU-bound: square blocks of integers under every model
 *
 * Task t squares the integers t*size .. (t+1)*size-1 and folds them into
 * a checksum (their sum, modulo 2^64). The parent checks every task's
 * checksum against the closed form n(n-1)(2n-1)/6, so a wrong or lost
 * result is an error, never a fast number.
 *
 * --work hashlib: task t instead takes the SHA-256 of its 8-byte number
 * (little-endian) followed by size bytes 0, 1, .. 255, 0, 1..., as
 * Python's hashlib.sha256 does in C with the GIL released; its checksum
 * is the digest's first 8 bytes (little-endian), checked against the
 * same digest computed once more by the parent.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "face/scenario.h"
#include "measure/sweep.h"
#include "python/python.h"
#include "python/sha256.h"
#include "measure/sysinfo.h"

/* How often a gil worker offers the lock (CPython checks its eval
 * breaker every few bytecodes; this is a few microseconds of work). */
#define CHECK_EVERY 4096

#define HASH_SIZE (8 << 20)	/* hashlib: bytes per task, by default */

enum work { WORK_PURE, WORK_HASHLIB };

/* The digests a hashlib run must produce, made once per size. */
struct digests {
	uint64_t size;
	size_t tasks;
	uint64_t *want;		/* per task */
};

struct square_ctx {
	enum work work;
	uint64_t size;		/* integers (hashlib: bytes) per task */
	const unsigned char *data;	/* hashlib: bytes 0..255 repeated */
	struct digests *c, *py;	/* hashlib: the C and Python sizes' */
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

/* The first 8 bytes, little-endian, of the SHA-256 of task's number
 * (8 bytes, little-endian) followed by data[0..size). Returns 0. */
static int digest64(uint64_t task, const unsigned char *data, uint64_t size,
		    uint64_t *out)
{
	unsigned char num[8], d[32];
	struct sha256 md;

	for (int i = 0; i < 8; i++)
		num[i] = (unsigned char)(task >> (8 * i));
	sha256_init(&md);
	sha256_update(&md, num, 8);
	sha256_update(&md, data, size);
	sha256_final(&md, d);
	*out = 0;
	for (int i = 7; i >= 0; i--)
		*out = *out << 8 | d[i];
	return 0;
}

/* The digests of tasks tasks at size bytes, made on first use. */
static const uint64_t *digests_for(struct digests **dp,
				   const unsigned char *data, size_t tasks,
				   uint64_t size)
{
	struct digests *d = *dp;

	if (d && d->size == size && d->tasks >= tasks)
		return d->want;
	if (!d && !(d = *dp = calloc(1, sizeof(*d))))
		return NULL;
	free(d->want);
	d->size = size;
	d->tasks = tasks;
	d->want = malloc(tasks * sizeof(*d->want));
	for (size_t t = 0; d->want && t < tasks; t++)
		if (digest64(t, data, size, &d->want[t])) {
			free(d->want);
			d->want = NULL;
		}
	return d->want;
}

static int square_task(const void *ctx, void *local, size_t task,
		       void *result)
{
	const struct square_ctx *c = ctx;
	struct square_result *r = result;
	uint64_t first = (uint64_t)task * c->size, sum = 0, i = 0;

	(void)local;
	if (c->work == WORK_HASHLIB) {
		int rc;

		/* C code that lets go of the GIL, as hashlib does */
		worker_io_begin();
		rc = digest64(task, c->data, c->size, &r->checksum);
		worker_io_end();
		r->count = c->size;
		return rc ? 1 : 0;
	}
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
		if (worker_checkpoint())
			return WORKER_STOPPED;
	}
	r->checksum = sum;
	r->count = c->size;
	return 0;
}

static size_t square_verify(const void *ctx, const struct results *res,
			    char *why, size_t len)
{
	const struct square_ctx *c = ctx;
	const uint64_t *digests = NULL;
	size_t wrong = 0;

	if (c->work == WORK_HASHLIB &&
	    !(digests = digests_for((struct digests **)&c->c, c->data,
				    res->tasks, c->size))) {
		snprintf(why, len, "cannot compute the expected digests");
		return res->tasks;
	}
	for (size_t t = 0; t < res->tasks; t++) {
		const struct square_result *r = results_at(res, t);
		uint64_t want = digests ? digests[t] :
				sum_squares_below((t + 1) * c->size) -
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

/* What py-thread did against py-process and the emulated GIL, in the
 * words that fit the interpreter and the work. */
static void python_lines(const struct bench_result *res, unsigned w,
			 int hashlib)
{
	double t = speedup(res, MODEL_PY_THREAD, w);
	double p = speedup(res, MODEL_PY_PROCESS, w);
	double g = speedup(res, MODEL_GIL, w);

	if (isfinite(t) && python_no_gil())
		printf("  py-thread ran on a free-threaded interpreter (no "
		       "GIL): %.2fx at %u workers.\n", t, w);
	else if (isfinite(t) && hashlib)
		printf("  py-thread: %.2fx at %u workers: hashlib.sha256 lets "
		       "go of the GIL while it hashes, so Python threads run "
		       "it in parallel.\n", t, w);
	if (isfinite(t) && isfinite(p) && !python_no_gil() && !hashlib)
		printf("  Python threads reach %.2f of Python processes' speed "
		       "(the GIL).\n", t / p);
	if (isfinite(g) && isfinite(t) && !python_no_gil())
		printf("  The emulated GIL's speedup is %.2f of CPython's "
		       "(%.2fx vs %.2fx).\n", g / t, g, t);
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

static void headline(const void *vctx, const struct bench_result *res)
{
	const struct square_ctx *ctx = vctx;
	const struct config *cfg = res->cfg;
	unsigned cores = (unsigned)sysinfo_cores(), w = fitting_workers(cfg);
	int hashlib = ctx->work == WORK_HASHLIB;
	double c, py;

	if (hashlib)
		printf("\n  Python threads run in parallel while C code that "
		       "lets go of the GIL works\n  (hashlib, zlib on large "
		       "buffers); a pure-Python loop never does.\n");
	else if (python_no_gil())
		printf("\n  This Python has no GIL (free-threaded), so its "
		       "threads may run a pure-Python\n  loop in parallel "
		       "too.\n");
	if (!w)
		return;
	printf("\n  At %u worker(s) on %u core(s):\n", w, cores);
	python_lines(res, w, hashlib);
	c = per_int(res, MODEL_SEQUENTIAL, 1, cfg->tasks);
	py = per_int(res, MODEL_PY_SEQUENTIAL, 1, cfg->tasks);
	if (isfinite(c) && isfinite(py) && hashlib)
		printf("  One byte hashed: pvt's own C SHA-256 %.2f ns, "
		       "Python's hashlib %.2f ns.\n", c * 1e9, py * 1e9);
	else if (isfinite(c) && isfinite(py))
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

/* Whether the run hashes (--work hashlib); a configuration without
 * parsed options (a test's) squares. */
static int is_hashlib(const struct config *cfg)
{
	return cfg->pv && !strcmp(config_param(cfg, "work")->s, "hashlib");
}

/* The lesson: processes and threads scale to the cores; a GIL keeps
 * threads flat, unless the work lets go of it (hashlib) or the
 * interpreter has none (free-threaded). */
static void square_check(const struct bench_result *res,
			 struct verdicts *vs)
{
	const struct config *cfg = res->cfg;
	unsigned cores = (unsigned)sysinfo_cores();
	unsigned w = fitting_workers(cfg), n;
	int hashlib = is_hashlib(cfg);

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
	/* hashlib lets go of the GIL; a free-threaded Python has none */
	if (hashlib)
		check_speedup(res, vs, MODEL_GIL, w, VERDICT_AT_LEAST, 0.8 * n);
	else
		check_speedup(res, vs, MODEL_GIL, w, VERDICT_AT_MOST, 1.2);
	if (hashlib || python_no_gil())
		check_speedup(res, vs, MODEL_PY_THREAD, w, VERDICT_AT_LEAST,
			      0.8 * n);
	else
		check_speedup(res, vs, MODEL_PY_THREAD, w, VERDICT_AT_MOST,
			      1.2);
}

/* The sum of every task's checksum: all integers below tasks * size;
 * hashlib: the digests' (0 when they cannot be made: no run matches). */
static uint64_t square_total(const void *ctx, uint64_t tasks, uint64_t size)
{
	const struct square_ctx *c = ctx;
	const uint64_t *d;
	uint64_t sum = 0;

	if (c->work == WORK_PURE)
		return sum_squares_below(tasks * size);
	d = digests_for((struct digests **)&c->py, c->data, tasks, size);
	for (size_t t = 0; d && t < tasks; t++)
		sum += d[t];
	return sum;
}

/* bytes 0, 1, .. 255, 0, 1.. : the data every hashlib task hashes */
static unsigned char *hash_data(uint64_t size)
{
	unsigned char *d = malloc(size ? size : 1);

	for (uint64_t i = 0; d && i < size; i++)
		d[i] = (unsigned char)i;
	return d;
}

static void digests_free(struct digests *d)
{
	if (d)
		free(d->want);
	free(d);
}

static int square_run(const struct config *cfg)
{
	const struct param_value *size = config_param(cfg, "py-size");
	int hashlib = is_hashlib(cfg);
	struct config c = *cfg;
	struct scenario sc = *cfg->sc;
	struct square_ctx ctx = {
		.work = hashlib ? WORK_HASHLIB : WORK_PURE,
	};
	static const char *const hash_args[] = { "--work", "hashlib", NULL };
	struct sweep sw = {
		.fn = square_task,
		.ctx = &ctx,
		.result_size = sizeof(struct square_result),
		.verify = square_verify,
		.python = cfg->sc->python,
		.python_args = hashlib ? hash_args : NULL,
		.python_size = size->u,
		.python_checksum = square_total,
		.narrate = headline,
	};
	int rc;

	/* hashlib: sizes in bytes, the same for C and Python unless told */
	if (hashlib && cfg->size == cfg->sc->size)	/* --size not given */
		c.size = HASH_SIZE;
	if (hashlib && !size->given)
		sw.python_size = HASH_SIZE;
	if (hashlib) {
		sc.size_unit = "bytes hashed per task";
		c.sc = &sc;
	}
	ctx.size = c.size;
	if (c.size > (1ULL << 40) / c.tasks ||
	    sw.python_size > (1ULL << 40) / c.tasks) {
		fprintf(stderr, "pvt: square: --tasks x --size (or --py-size) "
			"is over 2^40 "
			"integers; accepted: at most 1099511627776 in all\n");
		return 2;
	}
	if (hashlib && !(ctx.data = hash_data(c.size > sw.python_size ?
					      c.size : sw.python_size))) {
		fprintf(stderr, "pvt: square: out of memory\n");
		return 1;
	}
	rc = sweep_run(&c, &sw);
	free((void *)ctx.data);
	digests_free(ctx.c);
	digests_free(ctx.py);
	return rc;
}

static const struct param square_params[] = {
	{ "py-size", PARAM_SIZE, "512Ki", 1, 1ULL << 40, NULL,
	  "integers per task for the py-* models (Python is ~100x slower; "
	  "hashlib: bytes, default 8MiB)" },
	{ "work", PARAM_CHOICE, "pure", 0, 0, "pure|hashlib",
	  "pure: the squaring loop; hashlib: SHA-256 of --size bytes per "
	  "task (default 8MiB), C code that lets go of the GIL" },
	SWEEP_MPI_PARAMS,
	{ NULL, 0, NULL, 0, 0, NULL, NULL },
};

/* py-size: runs of a second or more, so that no start-up cost or short
 * stall can hide the GIL (py-thread at 2 workers stays near 1.0x); five
 * repeats of C runs of a tenth of a second or more, so that one slow
 * spell of a shared virtual CPU does not move the median */
static const char *const square_quick[] = {
	"--size", "8Mi", "--py-size", "256Ki", "--repeat", "5",
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
	/* about a nanosecond each: 4Gi is seconds per task, 1Ti an hour */
	.size_max = 1ULL << 32,
	.size_max_why = "a task of more integers would run for minutes",
	.python = "square.py",
	.mpi = 1,
	.params = square_params,
	.quick = square_quick,
	.live = square_live,
	.run = square_run,
	.check = square_check,
};

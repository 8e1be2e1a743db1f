/* shared_array.c - the course notes' multiprocessing.Array example in C
 *
 * One worker per number, as the notes start one Process per number:
 * worker i squares values[i] and writes it at index i of two int arrays,
 * one in MAP_SHARED memory (what multiprocessing.Array('i', n) is) and
 * one plain array from malloc. pvt zeroes both before the run and prints
 * both after it: the shared one holds every square under every model; the
 * plain one holds them only when the workers were threads, since each
 * process worker wrote into its own copy of it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "output/csv.h"
#include "face/scenario.h"
#include "engine/shm.h"
#include "measure/bench.h"

#define MAX_VALUE 46340		/* its square still fits a C int ('i') */
#define WORKER_LINES 8		/* one line per worker up to this many */

struct shared_array_ctx {
	const unsigned *values;
	size_t n;
	int *shared;		/* n ints, MAP_SHARED */
	int *plain;		/* n ints, malloc */
};

struct shared_array_result {
	int square;
	pid_t pid;
};

static int shared_array_task(const void *ctx, void *local, size_t task,
			     void *result)
{
	const struct shared_array_ctx *c = ctx;
	struct shared_array_result *r = result;
	int v = (int)c->values[task];

	(void)local;
	r->square = v * v;
	r->pid = getpid();
	c->shared[task] = r->square;
	c->plain[task] = r->square;
	return 0;
}

/* "[81, 9, 16]" */
static void print_array(const char *label, const int *a, size_t n,
			const char *note)
{
	printf("  %-44s [", label);
	for (size_t i = 0; i < n; i++)
		printf("%s%d", i ? ", " : "", a[i]);
	printf("]%s\n", note);
}

static int all_squares(const struct shared_array_ctx *c, const int *a)
{
	for (size_t i = 0; i < c->n; i++)
		if (a[i] != (int)(c->values[i] * c->values[i]))
			return 0;
	return 1;
}

static int all_zero(const int *a, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (a[i])
			return 0;
	return 1;
}

/* How many elements of a hold their square. */
static size_t squares(const struct shared_array_ctx *c, const int *a)
{
	size_t n = 0;

	for (size_t i = 0; i < c->n; i++)
		n += a[i] == (int)(c->values[i] * c->values[i]);
	return n;
}

/* The lesson as a check: the squares reach pvt through the MAP_SHARED
 * array under every model, through the plain one only from threads. */
static void judge(struct verdicts *vs, enum model m,
		  const struct shared_array_ctx *c)
{
	int separate = m == MODEL_PROCESS;
	size_t sh = squares(c, c->shared), pl = squares(c, c->plain);
	char what[128], want[64], got[64];

	snprintf(what, sizeof(what), "%s: the squares reach pvt through %s",
		 model_name(m), separate ? "the shared array only" :
		 "both arrays");
	snprintf(want, sizeof(want), "shared %zu of %zu, plain %s", c->n,
		 c->n, separate ? "all 0" : "all");
	snprintf(got, sizeof(got), "shared %zu, plain %zu squares%s", sh, pl,
		 all_zero(c->plain, c->n) ? " (all 0)" : "");
	verdict_fact(vs, what, want, got, sh == c->n &&
		     (separate ? all_zero(c->plain, c->n) : pl == c->n), NULL);
}

/* One model. Returns 0 when both arrays hold what the model predicts. */
static int shared_array_one(const struct config *cfg, struct csv *c,
			    enum model m, struct shared_array_ctx *ctx,
			    struct results *res, struct verdicts *vs)
{
	unsigned workers = m == MODEL_SEQUENTIAL ? 1 : (unsigned)ctx->n;
	struct run_spec spec = {
		.model = m, .workers = workers, .tasks = ctx->n,
		.fn = shared_array_task, .ctx = ctx, .dist = DIST_STATIC,
		.switch_interval_s = cfg->switch_interval_s,
	};
	int separate = m == MODEL_PROCESS, ok;
	struct run_stats st;

	memset(ctx->shared, 0, ctx->n * sizeof(int));
	memset(ctx->plain, 0, ctx->n * sizeof(int));
	if (workers_run(&spec, res, &st)) {
		if (!st.interrupted)
			fprintf(stderr, "pvt: shared_array: %s failed: %s\n",
				model_name(m), st.why);
		return 1;
	}
	ok = all_squares(ctx, ctx->shared) &&
	     (separate ? all_zero(ctx->plain, ctx->n) :
	      all_squares(ctx, ctx->plain));
	judge(vs, m, ctx);
	if (!ok)
		fprintf(stderr, "pvt: shared_array: %s: the arrays do not hold "
			"what this model predicts\n", model_name(m));
	for (size_t t = 0; t < ctx->n; t++) {
		const struct shared_array_result *r = results_at(res, t);

		bench_raw_common(c, "shared_array", m, workers, ctx->n, 1,
				    1, &st, ok);
		csv_int(c, (long long)t);
		csv_int(c, ctx->values[t]);
		csv_int(c, r->square);
		csv_int(c, r->pid);
		csv_int(c, ctx->shared[t]);
		csv_int(c, ctx->plain[t]);
		csv_end_row(c);
	}
	if (cfg->quiet)
		return !ok;
	printf("\n%s model, %u worker(s):\n", model_name(m), workers);
	for (size_t t = 0; ctx->n <= WORKER_LINES && t < ctx->n; t++) {
		const struct shared_array_result *r = results_at(res, t);

		printf("  %s %zu (pid %d): square of %u is %d\n",
		       m == MODEL_PROCESS ? "Process" : "Thread", t,
		       (int)r->pid, ctx->values[t], r->square);
	}
	print_array("MAP_SHARED array (multiprocessing.Array):", ctx->shared,
		    ctx->n, "");
	print_array("plain malloc'ed array, as pvt sees it:", ctx->plain,
		    ctx->n, separate ? "  <- each child wrote its own copy" :
		    "  <- one memory, shared");
	return !ok;
}

static int shared_array_run(const struct config *cfg)
{
	const struct param_value *pv = config_param(cfg, "values");
	struct shared_array_ctx ctx = { .values = pv->list, .n = pv->n };
	struct verdicts vs = { 0 };
	struct results res;
	struct csv c;
	int failed = 0;

	ctx.shared = shm_alloc(ctx.n * sizeof(int));
	ctx.plain = malloc(ctx.n * sizeof(int));
	if (!ctx.shared || !ctx.plain ||
	    results_create(&res, ctx.n, sizeof(struct shared_array_result))) {
		fprintf(stderr, "pvt: shared_array: cannot allocate: %s\n",
			strerror(errno));
		failed = 1;
		goto out_free;
	}
	if (csv_open(&c, cfg->out, "shared_array.csv")) {
		fprintf(stderr, "pvt: shared_array: cannot write in '%s': %s\n",
			cfg->out, strerror(errno));
		failed = 1;
		goto out_results;
	}
	config_meta(cfg, &c);
	csv_header(&c, BENCH_RAW_COLS ",index,value,square,worker_pid,"
		   "shared_array,plain_array");
	if (!cfg->quiet)
		printf("shared_array: one worker per number squares it into a "
		       "shared array and a plain one; pvt is pid %d\n",
		       (int)getpid());
	for (size_t i = 0; i < cfg->nmodels && !workers_stopped(); i++)
		failed |= shared_array_one(cfg, &c, cfg->models[i], &ctx, &res,
					   &vs);
	if (workers_stopped()) {
		csv_abort(&c);
		failed = 128 + cli_interrupted();
		goto out_results;
	}
	if (bench_demo_commit(cfg, &c, &vs))
		failed = 1;
out_results:
	verdicts_free(&vs);
	results_destroy(&res);
out_free:
	shm_free(ctx.shared, ctx.n * sizeof(int));
	free(ctx.plain);
	return failed;
}

static const struct param shared_array_params[] = {
	{ "values", PARAM_LIST, "9,3,4,6,8,7", 0, MAX_VALUE, NULL,
	  "the numbers to square, one worker each: 9,3,4 or 1..10 "
	  "(0 to 46340, duplicates dropped)" },
	{ NULL, 0, NULL, 0, 0, NULL, NULL },
};

const struct scenario scenario_shared_array = {
	.name = "shared_array",
	.summary = "multiprocessing.Array in C: sharing between processes is "
		   "explicit",
	.lesson = "Processes share only the memory that is made shared on "
		  "purpose: their squares reach the parent through the "
		  "MAP_SHARED array (multiprocessing.Array) and never through "
		  "a plain one, which each child changes in its own copy. "
		  "Threads see one memory, so both arrays fill.",
	.method = "pvt zeroes an int array in MAP_SHARED memory and a plain "
		  "malloc'ed one; worker i squares --values[i] and writes it "
		  "at index i of both; after the workers are joined or reaped "
		  "pvt prints both arrays. Exit status 1 when an array does "
		  "not hold what the model predicts (the squares, or zeros in "
		  "the plain array after processes).",
	.uses = USE_MODELS,
	.models = "process,thread",
	.workers = "1",
	.tasks = 1,
	.size = 1,
	.params = shared_array_params,
	.run = shared_array_run,
};

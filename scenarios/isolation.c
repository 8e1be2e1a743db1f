/* isolation.c - what a worker changes, and what its parent sees after
 *
 * One worker adds 1 to a global counter and to every int of a heap
 * buffer that pvt filled before the run, and records the addresses it
 * wrote to and the values it read and wrote. Afterwards pvt reads its own
 * memory at those very addresses. A process worker wrote into its own
 * copy (fork() duplicates the address space, addresses included), so pvt
 * still reads the old values at the same virtual address; a thread worker
 * wrote into pvt's memory, so pvt reads the new ones.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "output/csv.h"
#include "face/scenario.h"
#include "measure/bench.h"

#define HEAP_INTS 1024		/* a 4 KiB buffer: a page of its own */
#define HEAP_START 100

/* The global the worker changes: in pvt's data segment. */
static int isolation_counter;

struct isolation_ctx {
	int *heap;		/* HEAP_INTS ints from malloc, in pvt */
};

/* What the worker saw, in its shared result slot. */
struct isolation_result {
	uintptr_t counter_addr, heap_addr;	/* where it wrote */
	int counter_read, counter_wrote;
	int heap_read, heap_wrote;		/* the buffer's first int */
	pid_t pid;
};

static int isolation_task(const void *ctx, void *local, size_t task,
			  void *result)
{
	const struct isolation_ctx *c = ctx;
	struct isolation_result *r = result;

	(void)local;
	(void)task;
	r->pid = getpid();
	r->counter_addr = (uintptr_t)&isolation_counter;
	r->counter_read = isolation_counter;
	isolation_counter += 1;
	r->counter_wrote = isolation_counter;
	r->heap_addr = (uintptr_t)c->heap;
	r->heap_read = c->heap[0];
	for (size_t i = 0; i < HEAP_INTS; i++)
		c->heap[i] += 1;
	r->heap_wrote = c->heap[0];
	return 0;
}

/* What pvt reads at an address the worker reported: its own memory. */
static int read_at(uintptr_t addr)
{
	return *(const volatile int *)addr;
}

/* Whether every int of the heap buffer, as pvt sees it, is v. */
static int heap_all(const int *heap, int v)
{
	for (size_t i = 0; i < HEAP_INTS; i++)
		if (heap[i] != v)
			return 0;
	return 1;
}

static void row(struct csv *c, enum model m, const struct run_stats *st,
		int ok, const char *what, uintptr_t addr, pid_t pid, int read,
		int wrote, int parent)
{
	char hex[32];

	snprintf(hex, sizeof(hex), "0x%" PRIxPTR, addr);
	bench_raw_common(c, "isolation", m, 1, 1, 1, 1, st, ok);
	csv_str(c, what);
	csv_str(c, hex);
	csv_int(c, pid);
	csv_int(c, getpid());
	csv_int(c, read);
	csv_int(c, wrote);
	csv_int(c, parent);
	csv_int(c, parent == wrote);
	csv_end_row(c);
}

/* The lesson as a check: after a process worker pvt reads its old
 * values at the addresses the worker wrote to; after a thread (or its
 * own work), the new ones. */
static void judge(struct verdicts *vs, enum model m, int counter, int heap,
		  const struct isolation_result *r)
{
	int separate = m == MODEL_PROCESS;
	char what[128], want[64], got[64];

	snprintf(what, sizeof(what), "%s: pvt reads %s at the worker's "
		 "addresses", model_name(m), separate ? "its old values" :
		 "what the worker wrote");
	snprintf(want, sizeof(want), "counter %d, heap %d", separate ? 0 : 1,
		 separate ? HEAP_START : HEAP_START + 1);
	snprintf(got, sizeof(got), "counter %d, heap %d (worker wrote %d, %d)",
		 counter, heap, r->counter_wrote, r->heap_wrote);
	verdict_fact(vs, what, want, got, counter == (separate ? 0 : 1) &&
		     heap == (separate ? HEAP_START : HEAP_START + 1) &&
		     r->counter_wrote == 1 && r->heap_wrote == HEAP_START + 1,
		     NULL);
}

/* One model: reset pvt's values, run the worker, look. Returns 0 when
 * the run went as the model predicts, 1 otherwise. */
static int isolation_one(const struct config *cfg, struct csv *c,
			 enum model m, struct isolation_ctx *ctx,
			 struct results *res, struct verdicts *vs)
{
	struct run_spec spec = {
		.model = m, .workers = 1, .tasks = 1,
		.fn = isolation_task, .ctx = ctx,
		.switch_interval_s = cfg->switch_interval_s,
	};
	const struct isolation_result *r = results_at(res, 0);
	int separate = m == MODEL_PROCESS, counter, heap, ok;
	struct run_stats st;
	int rc;

	isolation_counter = 0;
	for (size_t i = 0; i < HEAP_INTS; i++)
		ctx->heap[i] = HEAP_START;
	rc = workers_run(&spec, res, &st);
	if (rc) {
		if (!st.interrupted)
			fprintf(stderr, "pvt: isolation: %s failed: %s\n",
				model_name(m), st.why);
		return 1;
	}
	counter = read_at(r->counter_addr);
	heap = read_at(r->heap_addr);
	/* the worker changed its values; pvt sees that change exactly when
	 * the memory is shared, and at the addresses it knows itself */
	ok = r->counter_addr == (uintptr_t)&isolation_counter &&
	     r->heap_addr == (uintptr_t)ctx->heap &&
	     r->counter_read == 0 && r->counter_wrote == 1 &&
	     r->heap_read == HEAP_START && r->heap_wrote == HEAP_START + 1 &&
	     counter == (separate ? 0 : 1) &&
	     heap_all(ctx->heap, separate ? HEAP_START : HEAP_START + 1);
	row(c, m, &st, ok, "global_counter", r->counter_addr, r->pid,
	    r->counter_read, r->counter_wrote, counter);
	row(c, m, &st, ok, "heap_buffer", r->heap_addr, r->pid, r->heap_read,
	    r->heap_wrote, heap);
	judge(vs, m, counter, heap, r);
	if (!ok)
		fprintf(stderr, "pvt: isolation: %s: pvt reads counter %d and "
			"heap %d after the worker wrote %d and %d: not what "
			"this model predicts\n", model_name(m), counter, heap,
			r->counter_wrote, r->heap_wrote);
	if (cfg->quiet)
		return !ok;
	if (r->pid != getpid())
		printf("\n%s model: the worker is pid %d, a copy of pvt made "
		       "by fork()\n", model_name(m), (int)r->pid);
	else if (m == MODEL_SEQUENTIAL)
		printf("\n%s model: pvt (pid %d) does the work itself\n",
		       model_name(m), (int)r->pid);
	else
		printf("\n%s model: the worker is a thread of pvt (pid %d)\n",
		       model_name(m), (int)r->pid);
	printf("  global counter at 0x%" PRIxPTR ": worker %d -> %d; pvt reads "
	       "%d  (%s)\n", r->counter_addr, r->counter_read,
	       r->counter_wrote, counter,
	       counter == r->counter_wrote ? "shared" : "separate copy");
	printf("  heap buffer    at 0x%" PRIxPTR ": worker %d -> %d; pvt reads "
	       "%d  (%s)\n", r->heap_addr, r->heap_read, r->heap_wrote, heap,
	       heap == r->heap_wrote ? "shared" : "separate copy");
	return !ok;
}

static int isolation_run(const struct config *cfg)
{
	struct isolation_ctx ctx;
	struct verdicts vs = { 0 };
	struct results res;
	struct csv c;
	int failed = 0;

	ctx.heap = malloc(HEAP_INTS * sizeof(*ctx.heap));
	if (!ctx.heap || results_create(&res, 1,
					sizeof(struct isolation_result))) {
		fprintf(stderr, "pvt: isolation: cannot allocate: %s\n",
			strerror(errno));
		free(ctx.heap);
		return 1;
	}
	if (csv_open(&c, cfg->out, "isolation.csv")) {
		fprintf(stderr, "pvt: isolation: cannot write in '%s': %s\n",
			cfg->out, strerror(errno));
		failed = 1;
		goto out;
	}
	config_meta(cfg, &c);
	csv_header(&c, BENCH_RAW_COLS ",variable,address,worker_pid,pvt_pid,"
		   "worker_read,worker_wrote,pvt_reads,shared");
	if (!cfg->quiet)
		printf("isolation: one worker adds 1 to a global counter (0) "
		       "and to a heap buffer (%d); then pvt (pid %d) reads the "
		       "same addresses\n", HEAP_START, (int)getpid());
	for (size_t i = 0; i < cfg->nmodels && !workers_stopped(); i++)
		failed |= isolation_one(cfg, &c, cfg->models[i], &ctx, &res,
					&vs);
	if (workers_stopped()) {
		csv_abort(&c);
		failed = 128 + cli_interrupted();
		goto out;
	}
	if (!cfg->quiet && config_has_model(cfg, MODEL_PROCESS))
		printf("\n  One virtual address, two values: fork() gave the "
		       "process worker a copy of pvt's\n  pages at the same "
		       "addresses, and it changed only its copy.\n");
	if (bench_demo_commit(cfg, &c, &vs))
		failed = 1;
out:
	verdicts_free(&vs);
	results_destroy(&res);
	free(ctx.heap);
	return failed;
}

const struct scenario scenario_isolation = {
	.name = "isolation",
	.summary = "separate memory: a worker's change, seen or not by its "
		   "parent",
	.lesson = "A process worker changes its own copy of the parent's "
		  "memory: afterwards the parent still reads the old value at "
		  "the very same address. A thread changes the one memory all "
		  "threads share, so the parent sees the change.",
	.method = "pvt sets a global int to 0 and a malloc'ed 4 KiB buffer of "
		  "ints to 100; one worker adds 1 to both and records, in its "
		  "MAP_SHARED result slot, the addresses it wrote to and the "
		  "values it read and wrote. After the worker is joined or "
		  "reaped, pvt reads its own memory at those addresses. Exit "
		  "status 1 when what pvt reads is not what the model predicts.",
	.uses = USE_MODELS,
	.models = "process,thread",
	.workers = "1",
	.tasks = 1,
	.size = 1,
	.run = isolation_run,
};

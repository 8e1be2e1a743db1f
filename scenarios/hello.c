/* hello.c - every worker says who it is: pid, ppid and thread id
 *
 * The course notes' first example ("create 4 processes, each prints a
 * different number"): N workers each run one task that records their
 * process id, parent's id and thread id, then sleeps briefly (as the
 * notes' time.sleep does). Processes differ in pid; threads share pvt's
 * pid and differ only in thread id; all of them sleep at the same time.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "output/csv.h"
#include "face/scenario.h"
#include "measure/bench.h"

struct hello_ctx {
	double nap_s;
};

struct hello_result {
	pid_t pid, ppid, tid;
};

static int hello_task(const void *ctx, void *local, size_t task,
		      void *result)
{
	const struct hello_ctx *c = ctx;
	struct hello_result *r = result;

	(void)local;
	(void)task;
	r->pid = getpid();
	r->ppid = getppid();
	r->tid = (pid_t)syscall(SYS_gettid);
	/* the GIL let go, as in CPython */
	return worker_sleep(c->nap_s);
}

static size_t distinct(const pid_t *v, size_t n)
{
	size_t d = 0;

	for (size_t i = 0; i < n; i++) {
		size_t j = 0;

		while (j < i && v[j] != v[i])
			j++;
		d += j == i;
	}
	return d;
}

/* The lesson as a check: process workers each have a pid of their own
 * and pvt as their parent; threads share pvt's pid, a thread id each. */
static void judge(struct verdicts *vs, enum model m, const struct results *r,
		  const pid_t *pids, const pid_t *tids)
{
	size_t n = r->tasks, own = 0, child = 0;
	size_t dp = distinct(pids, n), dt = distinct(tids, n);
	char what[128], want[64], got[96];

	for (size_t t = 0; t < n; t++) {
		const struct hello_result *h = results_at(r, t);

		own += h->pid == getpid();
		child += h->ppid == getpid();
	}
	snprintf(got, sizeof(got), "%zu pid(s), %zu of them pvt's, %zu child(ren) "
		 "of pvt, %zu thread id(s)", dp, own, child, dt);
	if (m == MODEL_PROCESS) {
		snprintf(what, sizeof(what), "process x%zu: a pid each, pvt "
			 "the parent", n);
		snprintf(want, sizeof(want), "%zu pids, 0 pvt's, %zu children",
			 n, n);
		verdict_fact(vs, what, want, got, dp == n && !own && child == n,
			     NULL);
		return;
	}
	snprintf(what, sizeof(what), "%s x%zu: pvt's own pid, a thread id "
		 "each", model_name(m), n);
	snprintf(want, sizeof(want), "1 pid (pvt's), %zu thread ids", n);
	verdict_fact(vs, what, want, got, dp == 1 && own == n && dt == n,
		     NULL);
}

/* Prints one model's workers and writes its rows. Returns 0 when every
 * worker reported. */
static int hello_one(const struct config *cfg, struct csv *c, enum model m,
		     unsigned workers, const struct hello_ctx *ctx,
		     struct verdicts *vs)
{
	struct run_spec spec = {
		.model = m, .workers = workers, .tasks = workers,
		.fn = hello_task, .ctx = ctx, .dist = DIST_STATIC,
		.switch_interval_s = cfg->switch_interval_s,
	};
	struct run_stats st;
	struct results r;
	pid_t *pids, *tids;
	int rc;

	if (m == MODEL_SEQUENTIAL)
		spec.tasks = workers = 1;
	if (results_create(&r, spec.tasks, sizeof(struct hello_result))) {
		fprintf(stderr, "pvt: hello: mmap: %s\n", strerror(errno));
		return -1;
	}
	rc = workers_run(&spec, &r, &st);
	if (rc && !st.interrupted)
		fprintf(stderr, "pvt: hello: %s x%u failed: %s\n",
			model_name(m), workers, st.why);
	pids = calloc(spec.tasks, sizeof(*pids));
	tids = calloc(spec.tasks, sizeof(*tids));
	if (!cfg->quiet)
		printf("\n%s model, %u worker(s); pvt is pid %d:\n",
		       model_name(m), workers, (int)getpid());
	for (size_t t = 0; pids && tids && t < spec.tasks; t++) {
		const struct hello_result *h = results_at(&r, t);
		const struct task_log *log = results_log(&r, t);

		pids[t] = h->pid;
		tids[t] = h->tid;
		if (!cfg->quiet)
			printf("  worker %d: pid %-7d ppid %-7d tid %-7d%s\n",
			       log->worker, (int)h->pid, (int)h->ppid,
			       (int)h->tid, h->pid == getpid() ?
			       "  (pvt's own process)" : "");
		bench_raw_common(c, "hello", m, workers, spec.tasks, 1, 1,
				    &st, rc == 0);
		csv_int(c, (long long)t);
		csv_int(c, log->worker);
		csv_int(c, h->pid);
		csv_int(c, h->ppid);
		csv_int(c, h->tid);
		csv_int(c, getpid());
		csv_end_row(c);
	}
	if (!rc && pids && tids)
		judge(vs, m, &r, pids, tids);
	if (!cfg->quiet && pids && tids)
		printf("  %zu distinct pid(s), %zu distinct thread id(s); each "
		       "slept %.0f ms and the run took %.0f ms\n",
		       distinct(pids, spec.tasks), distinct(tids, spec.tasks),
		       ctx->nap_s * 1e3, st.wall_s * 1e3);
	free(pids);
	free(tids);
	results_destroy(&r);
	return rc;
}

static int hello_run(const struct config *cfg)
{
	struct hello_ctx ctx = { .nap_s = config_param(cfg, "nap")->d };
	struct verdicts vs = { 0 };
	struct csv c;
	int failed = 0;

	if (csv_open(&c, cfg->out, "hello.csv")) {
		fprintf(stderr, "pvt: hello: cannot write in '%s': %s\n",
			cfg->out, strerror(errno));
		return 1;
	}
	config_meta(cfg, &c);
	csv_header(&c, BENCH_RAW_COLS ",task,worker,pid,ppid,tid,pvt_pid");
	for (size_t i = 0; i < cfg->nmodels && !workers_stopped(); i++)
		for (size_t w = 0; w < cfg->nworkers && !workers_stopped(); w++)
			if (hello_one(cfg, &c, cfg->models[i], cfg->workers[w],
				      &ctx, &vs))
				failed = 1;
	if (workers_stopped()) {
		csv_abort(&c);
		verdicts_free(&vs);
		return 128 + cli_interrupted();
	}
	if (bench_demo_commit(cfg, &c, &vs))
		failed = 1;
	verdicts_free(&vs);
	return failed;
}

static const struct param hello_params[] = {
	{ "nap", PARAM_DURATION, "50ms", 0, 10, NULL,
	  "how long each worker sleeps (the notes' time.sleep)" },
	{ NULL, 0, NULL, 0, 0, NULL, NULL },
};

const struct scenario scenario_hello = {
	.name = "hello",
	.summary = "who is who: pid, ppid and thread id of every worker",
	.lesson = "Each process worker has a pid of its own and pvt as its "
		  "parent; thread workers all live in pvt's own process and "
		  "differ only in their thread id.",
	.method = "Worker i runs task i: it records getpid(), getppid() and "
		  "gettid(), then sleeps for --nap. The run's wall time shows "
		  "whether the workers slept one after another or together.",
	.uses = USE_MODELS | USE_WORKERS,
	.models = "process,thread",
	.workers = "4",
	.tasks = 4,
	.size = 1,
	.params = hello_params,
	.run = hello_run,
};

/* crash.c - one worker dies of a signal: who else goes down with it
 *
 * Workers share --tasks tasks; each task works for --task-time and
 * computes its result, but task --crash-task raises --signal halfway,
 * with the signal's default action (no handler, no core file). Under the
 * process model only that worker dies: the engine reaps it, reports the
 * signal and the task, and the other workers finish every other task.
 * Under the thread and gil models (and sequential) the signal kills the
 * whole process, so pvt runs them inside a sandbox child: pvt survives,
 * sees the child's death, and counts in the MAP_SHARED result slots which
 * tasks had finished before it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "output/csv.h"
#include "engine/sandbox.h"
#include "face/scenario.h"
#include "measure/bench.h"
#include "python/python.h"

struct crash_ctx {
	size_t crash_task;
	int sig;
	double task_s;		/* how long each task works */
};

struct crash_result {
	uint64_t square;
	pid_t pid;
};

static int work(double s)
{
	return worker_sleep(s);	/* sleeping releases the GIL */
}

static int crash_task(const void *ctx, void *local, size_t task,
		      void *result)
{
	const struct crash_ctx *c = ctx;
	struct crash_result *r = result;

	(void)local;
	if (work(c->task_s / 2))
		return WORKER_STOPPED;
	if (task == c->crash_task)
		sandbox_crash(c->sig);	/* never returns */
	if (work(c->task_s / 2))
		return WORKER_STOPPED;
	r->square = (uint64_t)task * task;
	r->pid = getpid();
	return 0;
}

/* What one run left behind. */
struct crash_outcome {
	struct run_stats st;	/* for the CSV's common columns */
	int signal;		/* what killed a worker or the sandbox */
	int dead_worker;	/* process model: the one that died, or -1 */
	pid_t pid;		/* the dead worker's or the sandbox's */
	size_t done, lost, running, pending, wrong;
	unsigned survivors;
	int sandboxed, core_dumped, exit_status;
	int children, zombies;	/* pvt's, after the run */
};

/* Counts the tasks by state and checks every finished one's result. */
static void count(const struct results *r, struct crash_outcome *o)
{
	for (size_t t = 0; t < r->tasks; t++) {
		const struct crash_result *x = results_at(r, t);

		switch (atomic_load(&results_log(r, t)->state)) {
		case TASK_DONE:
			o->done++;
			o->wrong += x->square != (uint64_t)t * t;
			break;
		case TASK_RUNNING:
			o->running++;
			break;
		case TASK_PENDING:
			o->pending++;
			break;
		default:
			o->wrong++;	/* no task of ours returns an error */
		}
	}
	o->lost = r->tasks - o->done;
}

struct sandboxed {
	const struct run_spec *spec;
	struct results *r;
};

/* In the sandbox child: the run that takes its process down. Exits 0
 * should the crash somehow not happen. */
static int run_in_sandbox(void *arg)
{
	const struct sandboxed *s = arg;
	struct run_stats st;

	return workers_run(s->spec, s->r, &st) ? 1 : 0;
}

static int crash_once(const struct crash_ctx *ctx, const struct run_spec *spec,
		      struct results *r, struct crash_outcome *o)
{
	memset(o, 0, sizeof(*o));
	o->dead_worker = -1;
	if (spec->model == MODEL_PROCESS) {
		pid_t pids[spec->workers];
		struct workers *w;
		unsigned started;

		/* in two steps, to know every worker's pid */
		if (workers_start(spec, r, &w, &o->st)) {
			fprintf(stderr, "pvt: crash: %s\n", o->st.why);
			return -1;
		}
		started = workers_started(w);
		for (unsigned i = 0; i < spec->workers; i++)
			pids[i] = workers_pid(w, i);
		workers_wait(w, &o->st);	/* fails: a worker died */
		o->signal = o->st.signal;
		o->dead_worker = results_log(r, ctx->crash_task)->worker;
		o->survivors = started - o->st.dead_workers;
		if (o->dead_worker >= 0 &&
		    (unsigned)o->dead_worker < spec->workers)
			o->pid = pids[o->dead_worker];
	} else {
		struct sandboxed s = { spec, r };
		struct sandbox_result sb;

		/* a fresh slate: the child's run zeroes it too, but a child
		 * that dies before that must not leave the last run's */
		memset(r->base, 0, r->len);
		if (sandbox_run(run_in_sandbox, &s, &sb)) {
			fprintf(stderr, "pvt: crash: sandbox: %s\n",
				strerror(errno));
			return -1;
		}
		o->sandboxed = 1;
		o->pid = sb.pid;
		o->signal = sb.signal;
		o->core_dumped = sb.core_dumped;
		o->exit_status = sb.exit_status;
		o->survivors = sb.signal ? 0 : spec->workers;
		o->st.wall_s = sb.wall_s;
		o->st.user_s = sb.user_s;
		o->st.sys_s = sb.sys_s;
		o->st.max_rss_kib = sb.max_rss_kib;
	}
	count(r, o);
	o->st.failed = 0;
	o->st.lost = o->lost;
	o->children = sandbox_children((unsigned *)&o->zombies);
	return 0;
}

/* Whether the run went as the lesson says it must. */
static int as_expected(const struct crash_ctx *ctx, const struct run_spec *spec,
		       const struct results *r, const struct crash_outcome *o)
{
	int crashed = o->signal == ctx->sig && !o->core_dumped && !o->wrong &&
		      atomic_load(&results_log(r, ctx->crash_task)->state) ==
		      TASK_RUNNING && o->children == 0;

	if (!crashed)
		return 0;
	if (spec->model != MODEL_PROCESS)
		return o->survivors == 0;
	/* one death; with anyone left, every other task finished */
	return o->st.dead_workers == 1 &&
	       (spec->workers < 2 || o->done == spec->tasks - 1);
}

static void narrate(const struct crash_ctx *ctx, const struct run_spec *spec,
		    const struct crash_outcome *o)
{
	const char *sig = sigabbrev_np(ctx->sig);

	if (!o->sandboxed) {
		printf("\n%s model: %u worker processes\n",
		       model_name(spec->model), spec->workers);
		if (o->signal)
			printf("  worker %d (pid %d) was killed by SIG%s while "
			       "running task %zu\n", o->dead_worker, (int)o->pid,
			       sigabbrev_np(o->signal) ?
			       sigabbrev_np(o->signal) : "?", ctx->crash_task);
		if (o->survivors)
			printf("  %u other worker(s) went on: %zu of %zu tasks "
			       "done, results kept and verified; %zu lost\n",
			       o->survivors, o->done, spec->tasks, o->lost);
		else
			printf("  no other worker to go on: %zu of %zu tasks "
			       "done, results kept and verified; %zu lost\n",
			       o->done, spec->tasks, o->lost);
		return;
	}
	if (spec->model == MODEL_SEQUENTIAL)
		printf("\n%s model: pvt's own thread does every task, run in "
		       "a sandbox child (pid %d)\n", model_name(spec->model),
		       (int)o->pid);
	else
		printf("\n%s model: %u worker threads, run in a sandbox child "
		       "(pid %d)\n", model_name(spec->model), spec->workers,
		       (int)o->pid);
	if (o->signal)
		printf("  SIG%s killed the whole process: all %u worker(s) "
		       "with it%s\n", sigabbrev_np(o->signal) ?
		       sigabbrev_np(o->signal) : "?", spec->workers,
		       o->core_dumped ? " (a core was dumped)" : "");
	else
		printf("  the child exited with status %d: no SIG%s?\n",
		       o->exit_status, sig ? sig : "?");
	printf("  %zu of %zu tasks had saved a result in shared memory "
	       "before;\n  %zu lost: task %zu, %zu more in progress, %zu "
	       "never started\n",
	       o->done, spec->tasks, o->lost, ctx->crash_task,
	       o->running ? o->running - 1 : 0, o->pending);
}

static void write_row(struct csv *c, const struct crash_ctx *ctx,
		      const struct run_spec *spec,
		      const struct crash_outcome *o, int ok)
{
	const char *sig = o->signal ? sigabbrev_np(o->signal) : NULL;

	bench_raw_common(c, "crash", spec->model, spec->workers,
			    spec->tasks, 1, 1, &o->st, ok);
	csv_str(c, sig);
	csv_int(c, (long long)ctx->crash_task);
	if (o->dead_worker >= 0)
		csv_int(c, o->dead_worker);
	else
		csv_str(c, NULL);
	csv_int(c, (long long)o->done);
	csv_int(c, (long long)o->lost);
	csv_int(c, o->survivors);
	csv_int(c, o->sandboxed);
	csv_int(c, o->core_dumped);
	csv_int(c, o->children);
	csv_str(c, NULL);	/* python_case, outcome: Python's rows */
	csv_str(c, NULL);
	csv_end_row(c);
}

static int signal_number(const char *name)
{
	if (!strcmp(name, "ABRT"))
		return SIGABRT;
	if (!strcmp(name, "FPE"))
		return SIGFPE;
	return SIGSEGV;
}

/* The lesson as a check of one run: process survivors finish every
 * other task; a crash in a thread (or in pvt's own thread) takes every
 * worker of the process with it. */
static void judge(const struct crash_ctx *ctx, const struct run_spec *spec,
		  const struct crash_outcome *o, struct verdicts *vs)
{
	const char *sig = sigabbrev_np(o->signal ? o->signal : ctx->sig);
	char what[128], want[64], got[64];

	snprintf(got, sizeof(got), "%s%s, %u survivor(s), %zu of %zu tasks "
		 "done", o->signal ? "SIG" : "no signal", o->signal && sig ?
		 sig : "", o->survivors, o->done, spec->tasks);
	if (spec->model == MODEL_PROCESS) {
		snprintf(what, sizeof(what), "process x%u: the other workers "
			 "finish every other task", spec->workers);
		snprintf(want, sizeof(want), "%u survivor(s), %zu of %zu done",
			 spec->workers - 1, spec->tasks - 1, spec->tasks);
		verdict_fact(vs, what, want, got, o->signal == ctx->sig &&
			     o->survivors == spec->workers - 1 &&
			     o->done == spec->tasks - 1 && !o->wrong,
			     spec->workers < 2 ? "one worker: no other to go "
			     "on" : NULL);
		return;
	}
	snprintf(what, sizeof(what), "%s x%u: the crash takes the whole "
		 "process down", model_name(spec->model), spec->workers);
	verdict_fact(vs, what, "0 survivors", got, o->signal == ctx->sig &&
		     o->survivors == 0 && o->done < spec->tasks, NULL);
}

/* One model at one worker count. Returns 0 when it went as expected. */
static int crash_one(const struct config *cfg, struct csv *c,
		     const struct crash_ctx *ctx, enum model m,
		     unsigned workers, struct results *r, struct verdicts *vs)
{
	struct run_spec spec = {
		.model = m, .workers = m == MODEL_SEQUENTIAL ? 1 : workers,
		.tasks = cfg->tasks, .fn = crash_task, .ctx = ctx,
		.switch_interval_s = cfg->switch_interval_s,
	};
	struct crash_outcome o;
	int ok;

	if (crash_once(ctx, &spec, r, &o))
		return 1;
	if (o.st.interrupted || workers_stopped())
		return 0;
	ok = as_expected(ctx, &spec, r, &o);
	write_row(c, ctx, &spec, &o, ok);
	judge(ctx, &spec, &o, vs);
	if (!cfg->quiet)
		narrate(ctx, &spec, &o);
	if (!ok)
		fprintf(stderr, "pvt: crash: %s x%u did not go as expected: "
			"signal %d, %zu done, %zu lost, %zu wrong, %u "
			"survivor(s), %d child(ren) left%s%s\n", model_name(m),
			spec.workers, o.signal, o.done, o.lost, o.wrong,
			o.survivors, o.children, o.st.why[0] ? ": " : "",
			o.st.why);
	return !ok;
}

/* ---- Python: a worker of multiprocessing or threading dies ---------------
 *
 * py-process: crash.py maps the tasks with multiprocessing.Pool and with
 * a ProcessPoolExecutor (start method fork) and task --crash-task
 * segfaults (ctypes.string_at(0)), killing its worker process. Pool.map
 * replaces the worker but never returns the lost task's result: it is
 * waited on for --py-wait and reported as still waiting. The executor
 * raises BrokenProcessPool. py-thread: the task raises an exception,
 * which ends its thread only; then it segfaults, which ends the whole
 * interpreter. Every Python program is bounded by --py-wait plus a
 * margin, so none can hang pvt.
 */

enum py_outcome { PY_KILLED, PY_RETURNED, PY_WAITING, PY_BROKEN,
		  PY_THREAD_ENDED };

struct py_case {
	const char *name;	/* crash.py --case */
	enum model model;
	enum py_outcome expect;
};

static const struct py_case py_cases[] = {
	{ "pool", MODEL_PY_PROCESS, PY_WAITING },
	{ "executor", MODEL_PY_PROCESS, PY_BROKEN },
	{ "thread-exception", MODEL_PY_THREAD, PY_THREAD_ENDED },
	{ "thread-segfault", MODEL_PY_THREAD, PY_KILLED },
};

#define PY_MARGIN_S 30	/* beyond --py-wait, for start-up and clean-up */

/* What one Python case did. */
struct py_crash {
	enum py_outcome outcome;
	double waited_s;
	long done;		/* tasks finished */
	int sig;		/* what killed the interpreter, or 0 */
	int ok;			/* its own results checked out */
	char why[512];		/* the program failed otherwise */
};

static void py_narrate(const struct py_case *pc, unsigned workers,
		       const struct crash_ctx *ctx, uint64_t tasks,
		       const struct py_crash *r)
{
	const char *sig = r->sig ? sigabbrev_np(r->sig) : NULL;

	if (!strcmp(pc->name, "pool"))
		printf("\n%s, multiprocessing.Pool of %u (fork): task %zu "
		       "segfaults its worker\n", model_name(pc->model),
		       workers, ctx->crash_task);
	else if (!strcmp(pc->name, "thread-exception"))
		printf("\n%s, %u threads: task %zu raises an exception, then "
		       "(next run) segfaults\n", model_name(pc->model),
		       workers, ctx->crash_task);
	switch (r->outcome) {
	case PY_WAITING:
		printf("  %s was still waiting after %.1f s: the lost task's "
		       "result never comes;\n  %ld of %llu tasks done, then "
		       "pvt had the pool terminated\n", strcmp(pc->name,
		       "pool") ? "ProcessPoolExecutor.map" : "Pool.map",
		       r->waited_s, r->done, (unsigned long long)tasks);
		break;
	case PY_BROKEN:
		printf("  ProcessPoolExecutor raised BrokenProcessPool after "
		       "%.2f s: %ld of %llu tasks done,\n  the rest "
		       "cancelled\n", r->waited_s, r->done,
		       (unsigned long long)tasks);
		break;
	case PY_THREAD_ENDED:
		printf("  the exception ended its thread only: the others "
		       "finished, %ld of %llu tasks done\n", r->done,
		       (unsigned long long)tasks);
		break;
	case PY_RETURNED:
		printf("  %s returned: %ld of %llu tasks done\n", pc->name,
		       r->done, (unsigned long long)tasks);
		break;
	case PY_KILLED:
		printf("  a segfault in C code (ctypes): SIG%s killed the "
		       "interpreter and all %u threads;\n  %ld of %llu tasks "
		       "had finished\n", sig ? sig : "?", workers, r->done,
		       (unsigned long long)tasks);
		break;
	}
}

/* The Python half of the lesson, when a py-* model ran. */
static void py_lesson(const struct config *cfg)
{
	if (!config_has_model(cfg, MODEL_PY_PROCESS) &&
	    !config_has_model(cfg, MODEL_PY_THREAD))
		return;
	printf("  In Python: when a pool's worker dies, Pool.map waits "
	       "forever for the lost task (bound it:\n  "
	       "map_async(...).get(timeout)), while ProcessPoolExecutor "
	       "raises BrokenProcessPool;\n  an exception ends only its own "
	       "thread, but a segfault in C code ends every thread.\n");
}

/* Runs one case of crash.py. Returns 0 when it could be run. */
static int py_run_case(const struct config *cfg, const struct py_case *pc,
		       const struct crash_ctx *ctx, unsigned workers,
		       struct py_crash *r)
{
	char w[16], t[32], k[32], tt[32], wait[32], line[512];
	double wait_s = config_param(cfg, "py-wait")->d, v;
	const char *args[] = { "--case", pc->name, "--workers", w, "--tasks",
			       t, "--crash-task", k, "--task-time", tt,
			       "--wait", wait, NULL };
	struct py_proc *py;
	int last = 0;

	memset(r, 0, sizeof(*r));
	snprintf(w, sizeof(w), "%u", workers);
	snprintf(t, sizeof(t), "%llu", (unsigned long long)cfg->tasks);
	snprintf(k, sizeof(k), "%zu", ctx->crash_task);
	snprintf(tt, sizeof(tt), "%g", ctx->task_s);
	snprintf(wait, sizeof(wait), "%g", wait_s);
	if (python_open("crash.py", args, &py, r->why, sizeof(r->why)))
		return -1;
	python_limit(py, wait_s + PY_MARGIN_S);
	while (python_line(py, line, sizeof(line)) > 0) {
		if (!python_field(line, "task_done", &v))
			r->done++;
		else if (!python_field(line, "outcome", &v)) {
			last = 1;
			r->outcome = (enum py_outcome)v;
			python_field(line, "waited_s", &r->waited_s);
			if (!python_field(line, "done", &v))
				r->done = (long)v;
			r->ok = !python_field(line, "ok", &v) && v == 1;
		}
	}
	if (python_close(py, &r->sig, r->why, sizeof(r->why)) && !r->sig)
		return -1;
	if (r->sig) {
		r->outcome = PY_KILLED;
		r->ok = !last;
		r->why[0] = 0;
	}
	return 0;
}

/* Whether a case went as its lesson says. */
static int py_as_expected(const struct py_case *pc, uint64_t tasks,
			  const struct py_crash *r)
{
	if (!r->ok || r->outcome != pc->expect)
		return 0;
	switch (pc->expect) {
	case PY_WAITING:
	case PY_THREAD_ENDED:
		return (uint64_t)r->done == tasks - 1;
	case PY_BROKEN:
		return (uint64_t)r->done < tasks;
	case PY_KILLED:
		return r->sig == SIGSEGV && (uint64_t)r->done < tasks;
	default:
		return 0;
	}
}

/* The cases of model m at workers workers; a row each. Returns 0 when
 * every one went as expected. */
static int crash_python(const struct config *cfg, struct csv *c,
			const struct crash_ctx *ctx, enum model m,
			unsigned workers)
{
	static const char *const outcome[] = {
		[PY_KILLED] = "killed", [PY_RETURNED] = "returned",
		[PY_WAITING] = "still waiting", [PY_BROKEN] =
		"BrokenProcessPool", [PY_THREAD_ENDED] = "thread ended",
	};
	char why[512];
	int failed = 0;

	if (python_find(why, sizeof(why))) {
		printf("  %s: skipped: %s\n", model_name(m), why);
		return 0;
	}
	for (size_t i = 0; i < sizeof(py_cases) / sizeof(*py_cases) &&
	     !workers_stopped(); i++) {
		const struct py_case *pc = &py_cases[i];
		struct py_crash r;
		struct run_stats st;
		unsigned zombies;
		int ok;

		if (pc->model != m)
			continue;
		if (py_run_case(cfg, pc, ctx, workers, &r)) {
			if (!workers_stopped())
				fprintf(stderr, "pvt: crash: %s %s: %s\n",
					model_name(m), pc->name, r.why);
			failed = 1;
			continue;
		}
		ok = py_as_expected(pc, cfg->tasks, &r);
		memset(&st, 0, sizeof(st));
		st.wall_s = r.waited_s > 0 ? r.waited_s : NAN;
		st.user_s = st.sys_s = NAN;
		st.max_rss_kib = -1;
		st.lost = cfg->tasks - (size_t)r.done;
		bench_raw_common(c, "crash", m, workers, cfg->tasks, 1, 1,
				 &st, ok);
		csv_str(c, r.sig ? sigabbrev_np(r.sig) : m == MODEL_PY_PROCESS ?
			"SEGV" : NULL);
		csv_int(c, (long long)ctx->crash_task);
		csv_str(c, NULL);
		csv_int(c, r.done);
		csv_int(c, (long long)(cfg->tasks - (uint64_t)r.done));
		csv_str(c, NULL);
		csv_int(c, 0);
		csv_int(c, 0);
		csv_int(c, sandbox_children(&zombies));
		csv_str(c, pc->name);
		csv_str(c, outcome[r.outcome <= PY_THREAD_ENDED ? r.outcome :
				   PY_RETURNED]);
		csv_end_row(c);
		if (!cfg->quiet)
			py_narrate(pc, workers, ctx, cfg->tasks, &r);
		if (!ok) {
			fprintf(stderr, "pvt: crash: %s %s did not go as "
				"expected: outcome %d, %ld done, signal %d\n",
				model_name(m), pc->name, (int)r.outcome, r.done,
				r.sig);
			failed = 1;
		}
	}
	return failed;
}

static int crash_run(const struct config *cfg)
{
	struct crash_ctx ctx = {
		.crash_task = config_param(cfg, "crash-task")->u,
		.sig = signal_number(config_param(cfg, "signal")->s),
		.task_s = config_param(cfg, "task-time")->d,
	};
	struct verdicts vs = { 0 };
	struct results r;
	struct csv c;
	int failed = 0;

	if (ctx.crash_task >= cfg->tasks) {
		fprintf(stderr, "pvt: crash: --crash-task: %zu is not a task "
			"of this run; accepted: 0 to %llu (below --tasks "
			"%llu)\n", ctx.crash_task,
			(unsigned long long)cfg->tasks - 1,
			(unsigned long long)cfg->tasks);
		return 2;
	}
	if (results_create(&r, cfg->tasks, sizeof(struct crash_result))) {
		fprintf(stderr, "pvt: crash: mmap: %s\n", strerror(errno));
		return 1;
	}
	if (csv_open(&c, cfg->out, "crash.csv")) {
		fprintf(stderr, "pvt: crash: cannot write in '%s': %s\n",
			cfg->out, strerror(errno));
		results_destroy(&r);
		return 1;
	}
	config_meta(cfg, &c);
	csv_header(&c, BENCH_RAW_COLS ",signal,crash_task,dead_worker,"
		   "tasks_done,tasks_lost,survivors,sandboxed,core_dumped,"
		   "children_left,python_case,outcome");
	if (!cfg->quiet)
		printf("crash: %llu tasks of %.0f ms each; task %zu raises "
		       "SIG%s halfway through. pvt is pid %d\n",
		       (unsigned long long)cfg->tasks, ctx.task_s * 1e3,
		       ctx.crash_task, config_param(cfg, "signal")->s,
		       (int)getpid());
	for (size_t i = 0; i < cfg->nmodels && !workers_stopped(); i++)
		for (size_t w = 0; w < cfg->nworkers && !workers_stopped();
		     w++) {
			if (MODEL_IS_PYTHON(cfg->models[i])) {
				failed |= crash_python(cfg, &c, &ctx,
						       cfg->models[i],
						       cfg->workers[w]);
				continue;
			}
			failed |= crash_one(cfg, &c, &ctx, cfg->models[i],
					    cfg->workers[w], &r, &vs);
			if (cfg->models[i] == MODEL_SEQUENTIAL)
				break;
		}
	results_destroy(&r);
	if (workers_stopped()) {
		csv_abort(&c);
		verdicts_free(&vs);
		return 128 + cli_interrupted();
	}
	if (!cfg->quiet)
		printf("\n  %s\n", failed ? "pvt survived, but some runs did "
		       "not go as expected (see above)" : "pvt itself survived "
		       "every crash, with no child left behind and core dumps "
		       "off.");
	if (!cfg->quiet)
		py_lesson(cfg);
	if (bench_demo_commit(cfg, &c, &vs))
		failed = 1;
	verdicts_free(&vs);
	return failed;
}

static const struct param crash_params[] = {
	{ "crash-task", PARAM_COUNT, "5", 0, 10000000, NULL,
	  "the task that crashes, 0 to --tasks - 1" },
	{ "signal", PARAM_CHOICE, "SEGV", 0, 0, "SEGV|ABRT|FPE",
	  "the signal it dies of" },
	{ "task-time", PARAM_DURATION, "20ms", 0, 10, NULL,
	  "how long each task works (sleeping)" },
	{ "py-wait", PARAM_DURATION, "5s", 0.1, 600, NULL,
	  "py-process: how long Python's map is waited on once a worker "
	  "died" },
	{ NULL, 0, NULL, 0, 0, NULL, NULL },
};

const struct scenario scenario_crash = {
	.name = "crash",
	.summary = "one worker dies of a signal: the others survive it as "
		   "processes, not as threads",
	.lesson = "A process that crashes takes only itself down: the other "
		  "workers finish their tasks and the parent learns which "
		  "worker died, of which signal, in which task. A thread that "
		  "crashes kills its whole process, every other thread and "
		  "every result not yet saved. Fault isolation is what "
		  "processes buy with their cost.",
	.method = "Tasks are handed out from one shared counter; each works "
		  "--task-time (sleeping) and stores its result, but task "
		  "--crash-task raises --signal halfway, with the signal's "
		  "default action restored and core dumps off. Process "
		  "workers are reaped with wait4, which names the signal. "
		  "Thread, gil and sequential runs take their process down, "
		  "so they run in a sandbox child (fork, RLIMIT_CORE 0, "
		  "PR_SET_PDEATHSIG) whose results live in MAP_SHARED memory "
		  "that pvt reads after reaping it. Exit status: 0 when every "
		  "run went as the lesson says, the crash included (the crash "
		  "is the demonstration, not a failure); 1 when one did not "
		  "(no crash, a kept result wrong, a survivor missing, a "
		  "child or core file left behind); 2 for bad options. "
		  "py-process: scenarios/python/crash.py maps the tasks with "
		  "multiprocessing.Pool and a ProcessPoolExecutor (fork), the "
		  "task segfaulting with ctypes.string_at(0); the map is "
		  "waited on for --py-wait. py-thread: the task raises an "
		  "exception, then segfaults.",
	.uses = USE_MODELS | USE_WORKERS | USE_TASKS | USE_SWITCH,
	.models = "process,thread,gil",
	.workers = "4",
	.python = "crash.py",
	.tasks = 8,
	.size = 1,
	.params = crash_params,
	.run = crash_run,
};

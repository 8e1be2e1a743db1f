/* memory.c - what an idle worker costs in memory: processes vs threads
 *
 * N workers start, report ready through MAP_SHARED memory and wait; the
 * parent reads /proc/PID/smaps_rollup of each (and of itself), tells them
 * to write --touch bytes each, reads again, and lets them go. A process
 * worker writes into a buffer the parent filled before forking, so every
 * page it writes is copied then (copy-on-write made visible); a thread
 * shares the parent's memory, so it writes into a buffer of its own.
 *
 * py-process (each --start-methods) and py-thread: memory.py starts
 * Python workers that report ready and wait, while pvt reads the Python
 * program and each worker the same way (the idle reading only).
 */
#define _DEFAULT_SOURCE
#include <errno.h>
#include <math.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "engine/shm.h"
#include "face/scenario.h"
#include "measure/bench.h"
#include "measure/measure.h"
#include "measure/procmem.h"
#include "python/python.h"

/* The figures of one reading, in bench.figures order. */
enum { F_TOUCH, F_PSS, F_USS, F_PTE, F_COST, F_TOTAL };

#define WAIT_LIMIT_S 60	/* for every worker to reach a phase */

enum phase { PHASE_WAIT, PHASE_TOUCH, PHASE_LEAVE };

/* In MAP_SHARED memory: the parent moves phase, workers count in. */
struct mem_sync {
	_Atomic int phase;		/* enum phase */
	_Atomic unsigned ready;		/* workers started and idle */
	_Atomic unsigned touched;	/* workers that have written */
};

struct mem_ctx {
	struct mem_sync *sync;
	enum model model;
	unsigned char *inherited;	/* touch bytes filled by the parent */
	size_t touch;
	long page;
};

/* What one reading found, per worker, in KiB. */
struct mem_reading {
	double pss, uss, pte;	/* the workers' own (threads: growth / N) */
	double cost;		/* growth of anonymous PSS + page tables of
				 * pvt and its workers together, / N */
	double total;		/* the same, for all N */
	int ok;
};

static void nap_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* Worker side: waits until the parent has moved the phase to at least
 * `want`. Returns the phase it saw. */
static int wait_phase(struct mem_sync *s, int want)
{
	int p;

	while ((p = atomic_load(&s->phase)) < want)
		nap_ms(1);
	return p;
}

static int memory_task(const void *vctx, void *local, size_t task,
		       void *result)
{
	const struct mem_ctx *c = vctx;
	unsigned char *own = NULL, *buf;

	(void)local;
	(void)result;
	atomic_fetch_add(&c->sync->ready, 1);
	if (wait_phase(c->sync, PHASE_TOUCH) == PHASE_TOUCH && c->touch) {
		if (c->model == MODEL_PROCESS) {
			/* the kernel copies each page it writes */
			buf = c->inherited;
		} else {
			/* fresh pages: malloc could hand back memory an
			 * earlier run left resident */
			own = mmap(NULL, c->touch, PROT_READ | PROT_WRITE,
				   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
			if (own == MAP_FAILED)
				return 1;
			buf = own;
		}
		for (size_t off = 0; off < c->touch; off += (size_t)c->page)
			buf[off] = (unsigned char)(task + 2);
	}
	atomic_fetch_add(&c->sync->touched, 1);
	wait_phase(c->sync, PHASE_LEAVE);
	if (own)
		munmap(own, c->touch);
	return 0;
}

/* Parent side: waits until *count reaches n. Returns 0, or -1 when it
 * took over WAIT_LIMIT_S or the run was stopped. */
static int wait_count(_Atomic unsigned *count, unsigned n)
{
	double until = measure_now() + WAIT_LIMIT_S;

	while (atomic_load(count) < n) {
		if (workers_stopped() || measure_now() > until)
			return -1;
		nap_ms(1);
	}
	return 0;
}

/* Reads the parent (self: 0 for pvt, or the Python program) and its
 * n workers: processes pids[0..n), or threads of self when pids is
 * NULL; base is the parent before they started. */
static int read_all(pid_t self_pid, const pid_t *pids, unsigned n,
		    const struct procmem *base, struct mem_reading *out)
{
	struct procmem self, p;
	double pss = 0, uss = 0, pte = 0;

	memset(out, 0, sizeof(*out));
	if (procmem_read(self_pid, &self)) {
		fprintf(stderr, "pvt: memory: smaps_rollup of %d: %s\n",
			(int)self_pid, strerror(errno));
		return -1;
	}
	if (pids) {
		for (unsigned i = 0; i < n; i++) {
			if (procmem_read(pids[i], &p)) {
				fprintf(stderr, "pvt: memory: /proc/%d/"
					"smaps_rollup: %s\n", (int)pids[i],
					strerror(errno));
				return -1;
			}
			pss += (double)p.pss_anon_kib;
			uss += (double)p.uss_kib;
			pte += (double)p.pte_kib;
		}
		out->total = pss + pte +
			     (double)(self.pss_anon_kib - base->pss_anon_kib) +
			     (double)(self.pte_kib - base->pte_kib);
	} else {
		/* anonymous memory only: another program starting or ending
		 * with the same libraries mapped moves pvt's file-backed PSS
		 * and USS, never these */
		pss = (double)(self.pss_anon_kib - base->pss_anon_kib);
		uss = (double)(self.dirty_kib - base->dirty_kib);
		pte = (double)(self.pte_kib - base->pte_kib);
		out->total = pss + pte;
	}
	out->pss = pss / n;
	out->uss = uss / n;
	out->pte = pte / n;
	out->cost = out->total / n;
	out->ok = 1;
	return 0;
}

/* The engine's workers of model m, read. */
static int read_workers(const struct workers *w, enum model m, unsigned n,
			const struct procmem *base, struct mem_reading *out)
{
	pid_t pids[n];

	for (unsigned i = 0; i < n; i++)
		pids[i] = workers_pid(w, i);
	return read_all(0, m == MODEL_PROCESS ? pids : NULL, n, base, out);
}

/* Starts the engine's workers of model m, reads them idle into r[0]
 * and, when touch is set, after each wrote --touch bytes into r[1].
 * Returns 0, or -1 with why in st. */
static int measure_c(struct mem_ctx *ctx, enum model m, unsigned n,
		     int touch, struct mem_reading r[2], struct run_stats *st)
{
	struct run_spec spec = {
		.model = m, .workers = n, .tasks = n, .fn = memory_task,
		.ctx = ctx, .dist = DIST_STATIC,
	};
	struct procmem base;
	struct workers *w;
	struct results res;
	int rc = -1;

	memset(r, 0, 2 * sizeof(*r));
	ctx->model = m;
	atomic_store(&ctx->sync->phase, PHASE_WAIT);
	atomic_store(&ctx->sync->ready, 0);
	atomic_store(&ctx->sync->touched, 0);
	if (results_create(&res, n, 1)) {
		snprintf(st->why, sizeof(st->why), "mmap: %s", strerror(errno));
		return -1;
	}
	if (procmem_read(0, &base)) {
		snprintf(st->why, sizeof(st->why), "/proc/self/smaps_rollup: "
			 "%s", strerror(errno));
		goto out;
	}
	if (workers_start(&spec, &res, &w, st))
		goto out;
	if (workers_started(w) == n && !wait_count(&ctx->sync->ready, n) &&
	    !read_workers(w, m, n, &base, &r[0]) && touch) {
		atomic_store(&ctx->sync->phase, PHASE_TOUCH);
		if (!wait_count(&ctx->sync->touched, n))
			read_workers(w, m, n, &base, &r[1]);
	}
	atomic_store(&ctx->sync->phase, PHASE_LEAVE);
	rc = workers_wait(w, st);
	if (!rc && !(r[0].ok && (!touch || r[1].ok))) {
		snprintf(st->why, sizeof(st->why), "the workers did not all "
			 "reach a phase within %d s", WAIT_LIMIT_S);
		rc = -1;
	}
out:
	results_destroy(&res);
	return rc;
}

/* Reads one line of memory.py into the value of key. Returns 0, or -1:
 * with errno EPROTO and why said when the line is another, else when
 * there is none (python_close says why). */
static int py_expect(struct py_proc *py, const char *key, double *v,
		     char *why, size_t len)
{
	char line[256];

	if (python_line(py, line, sizeof(line)) <= 0)
		return -1;	/* python_close says why */
	if (!python_field(line, key, v))
		return 0;
	snprintf(why, len, "memory.py printed '%.100s', not %s=", line, key);
	errno = EPROTO;
	return -1;
}

/* memory.py's parent and its idle workers (a start method's processes,
 * or threads: method "thread"), read between its lines into r. Returns
 * 0, or -1 with why. */
static int measure_py(const char *method, unsigned n, struct mem_reading *r,
		      char *why, size_t len)
{
	char workers[16], how[512];
	const char *args[] = { "--method", method, "--workers", workers,
			       NULL };
	int thread = !strcmp(method, "thread"), said = 0;
	pid_t *pids = calloc(n + 1, sizeof(*pids)), parent;
	struct procmem base;
	struct py_proc *py;
	double v = 0, ready = -1;
	unsigned np = 0;

	memset(r, 0, sizeof(*r));
	why[0] = 0;
	snprintf(workers, sizeof(workers), "%u", n);
	if (!pids) {
		snprintf(why, len, "out of memory");
		return -1;
	}
	if (python_open("memory.py", args, &py, why, len)) {
		free(pids);
		return -1;
	}
	if ((said = py_expect(py, "pid", &v, why, len)))
		goto close;
	parent = (pid_t)v;
	if (procmem_read(parent, &base) || python_send(py, "start")) {
		snprintf(why, len, "cannot read or talk to %d: %s",
			 (int)parent, strerror(errno));
		said = 1;
		goto close;
	}
	while (!thread && np < n && !(said = py_expect(py, "worker", &v, why,
						       len)))
		pids[np++] = (pid_t)v;
	if (said || (said = py_expect(py, "ready", &ready, why, len)))
		goto close;
	if ((unsigned)ready != n) {
		snprintf(why, len, "%.0f of %u workers reported ready", ready,
			 n);
		said = 1;
	} else if (read_all(parent, thread ? NULL : pids, n, &base, r)) {
		snprintf(why, len, "cannot read them");
		said = 1;
	}
	python_send(py, "go");
	if (!said && (said = py_expect(py, "ok", &v, why, len)) == 0 &&
	    v != 1) {
		snprintf(why, len, "a worker did not end well");
		said = 1;
	}
close:
	/* a line that never came leaves why empty: the close says why */
	if (python_close(py, NULL, how, sizeof(how))) {
		if (!why[0])
			snprintf(why, len, "%s", how);
		said = 1;
	} else if (said && !why[0]) {
		snprintf(why, len, "memory.py ended before its last line");
	}
	free(pids);
	return said || !r->ok ? -1 : 0;
}

/* One repetition: the workers started, read, let go. */
static int memory_rep(void *vctx, struct bench_row *row)
{
	struct mem_ctx *ctx = vctx;
	const struct bench_conf *k = row->conf;
	const char *method = k->arg;
	int touched = !strcmp(k->key[0], "touched");
	struct mem_reading r[2];
	const struct mem_reading *use = &r[touched];

	if (method) {
		if (measure_py(method, k->workers, &r[0], row->st.why,
			       sizeof(row->st.why)))
			return -1;
	} else if (measure_c(ctx, k->model, k->workers, touched, r,
			     &row->st)) {
		return -1;
	}
	row->fig[F_TOUCH] = method ? NAN : (double)ctx->touch / 1024;
	row->fig[F_PSS] = use->pss;
	row->fig[F_USS] = use->uss;
	row->fig[F_PTE] = use->pte;
	row->fig[F_COST] = use->cost;
	row->fig[F_TOTAL] = use->total;
	return 0;
}

/* The median of figure f of the configuration of model m at w workers,
 * phase and start method (NULL: any), or NAN. */
static double median(const struct bench_result *res, enum model m,
		     unsigned w, const char *phase, const char *method,
		     const char *f)
{
	const char *keys[] = { phase, method, NULL };
	const struct bench_conf *k = bench_find(res, m, w, keys);

	return k ? bench_stats(res, k, f)->median : NAN;
}

/* The largest worker count at which both m1 and m2 (with their start
 * methods) were read idle, or 0. */
static unsigned common_workers(const struct bench_result *res, enum model m1,
			       const char *s1, enum model m2, const char *s2)
{
	unsigned best = 0;

	for (size_t i = 0; i < res->nconfs; i++) {
		const struct bench_conf *k = &res->confs[i];

		if (k->workers > best &&
		    isfinite(median(res, m1, k->workers, "idle", s1,
				    "cost_kib")) &&
		    isfinite(median(res, m2, k->workers, "idle", s2,
				    "cost_kib")))
			best = k->workers;
	}
	return best;
}

static void memory_narrate(void *vctx, const struct bench_result *res)
{
	const struct mem_ctx *ctx = vctx;
	unsigned w = common_workers(res, MODEL_PROCESS, "", MODEL_THREAD, "");
	int any = 0;

	config_image_say(res->cfg);
	if (w)
		printf("\n  With %u workers an idle process costs %.0f KiB and "
		       "an idle thread %.0f KiB; after each writes %zu KiB, a "
		       "process has copied %.0f KiB of the parent's pages "
		       "(copy-on-write) and a thread has added %.0f KiB.\n", w,
		       median(res, MODEL_PROCESS, w, "idle", "", "cost_kib"),
		       median(res, MODEL_THREAD, w, "idle", "", "cost_kib"),
		       ctx->touch / 1024,
		       median(res, MODEL_PROCESS, w, "touched", "", "uss_kib") -
		       median(res, MODEL_PROCESS, w, "idle", "", "uss_kib"),
		       median(res, MODEL_THREAD, w, "touched", "", "cost_kib") -
		       median(res, MODEL_THREAD, w, "idle", "", "cost_kib"));
	for (size_t i = 0; i < res->nconfs; i++) {
		const struct bench_conf *k = &res->confs[i];
		char interp[512];

		if (!MODEL_IS_PYTHON(k->model) || !k->ok_runs)
			continue;
		if (!any++) {
			python_describe(interp, sizeof(interp));
			printf("  With %s, USS per idle Python worker:",
			       interp);
		}
		printf("%s %s x%u %.0f KiB", any > 1 ? "," : "",
		       k->key[1][0] ? k->key[1] : "thread", k->workers,
		       bench_stats(res, k, "uss_kib")->median);
	}
	if (any)
		printf(".\n  A spawned or forkserver worker is a whole "
		       "interpreter of its own; a forked one\n  shares its "
		       "parent's pages until it writes them.\n");
}

/* a costs more than b per idle worker (figure f, at the largest worker
 * count both ran). Memory is not slowed by a busy machine: only the
 * runs count as evidence. */
static void check_more(const struct bench_result *res, struct verdicts *vs,
		       enum model ma, const char *sa, enum model mb,
		       const char *sb, const char *f, const char *what)
{
	unsigned w = common_workers(res, ma, sa, mb, sb);
	const char *ka[] = { "idle", sa, NULL }, *kb[] = { "idle", sb, NULL };
	const struct bench_conf *a = w ? bench_find(res, ma, w, ka) : NULL;
	const struct bench_conf *b = w ? bench_find(res, mb, w, kb) : NULL;
	struct verdict_evidence ev = VERDICT_EVIDENCE_INIT;
	char check[128], measured[64];
	double x, y;

	verdict_fold(&ev, a ? a->ok_runs : 0, 0, 0, 0, VERDICT_SLOW_RAISES);
	verdict_fold(&ev, b ? b->ok_runs : 0, 0, 0, 0, VERDICT_SLOW_LOWERS);
	x = a ? bench_stats(res, a, f)->median : NAN;
	y = b ? bench_stats(res, b, f)->median : NAN;
	snprintf(check, sizeof(check), "%s (%s, %u workers)", what, f, w);
	snprintf(measured, sizeof(measured), "%.0f vs %.0f KiB", x, y);
	verdict_add(vs, check, "more", a && b ? measured : "", x > y,
		    VERDICT_HIGHER_HOLDS, &ev);
}

/* Whether model m (with start method s) was planned. */
static int planned(const struct bench_result *res, enum model m,
		   const char *s)
{
	for (size_t i = 0; i < res->nconfs; i++)
		if (res->confs[i].model == m && !strcmp(res->confs[i].key[1], s))
			return 1;
	return 0;
}

/* The lesson as checks: a process worker costs more than a thread; in
 * Python, a spawned worker more than a forked one, a forked one more
 * than a thread. */
static void memory_check(const struct bench_result *res, struct verdicts *vs)
{
	if (planned(res, MODEL_PROCESS, "") && planned(res, MODEL_THREAD, ""))
		check_more(res, vs, MODEL_PROCESS, "", MODEL_THREAD, "",
			   "cost_kib", "an idle process worker costs more "
			   "than a thread");
	if (planned(res, MODEL_PY_PROCESS, "spawn") &&
	    planned(res, MODEL_PY_PROCESS, "fork"))
		check_more(res, vs, MODEL_PY_PROCESS, "spawn",
			   MODEL_PY_PROCESS, "fork", "uss_kib", "a spawned "
			   "Python worker owns more than a forked one");
	if (planned(res, MODEL_PY_PROCESS, "fork") &&
	    planned(res, MODEL_PY_THREAD, ""))
		check_more(res, vs, MODEL_PY_PROCESS, "fork", MODEL_PY_THREAD,
			   "", "cost_kib", "a forked Python worker costs "
			   "more than a Python thread");
}

/* Refuses models without workers of their own, and sizes that would
 * not fit. Returns 0 or 2. */
static int check_config(const struct config *cfg, size_t touch)
{
	uint64_t phys = (uint64_t)sysconf(_SC_PHYS_PAGES) *
			(uint64_t)sysconf(_SC_PAGESIZE);
	unsigned most = 0;

	for (size_t i = 0; i < cfg->nmodels; i++) {
		if (cfg->models[i] == MODEL_PROCESS ||
		    cfg->models[i] == MODEL_THREAD ||
		    cfg->models[i] == MODEL_PY_PROCESS ||
		    cfg->models[i] == MODEL_PY_THREAD)
			continue;
		fprintf(stderr, "pvt: memory: --models: '%s' has no workers "
			"of its own to measure (accepted: process, thread, "
			"py-process, py-thread)\n",
			model_name(cfg->models[i]));
		return 2;
	}
	for (size_t i = 0; i < cfg->nworkers; i++)
		if (cfg->workers[i] > most)
			most = cfg->workers[i];
	if ((uint64_t)touch * most > phys / 2) {
		fprintf(stderr, "pvt: memory: --touch: %u workers x %zu KiB is "
			"over half of this machine's memory (accepted: up to "
			"%llu KiB each)\n", most, touch / 1024,
			(unsigned long long)(phys / 2 / most / 1024));
		return 2;
	}
	return 0;
}

/* Adds model m at w workers: idle and touched for the engine's models;
 * for Python's, idle with each start method (py-process) or threads.
 * Returns 0, or -1 out of memory. */
static int plan(struct bench_result *res, enum model m, unsigned w,
		size_t touch, const int *methods)
{
	struct bench_conf *k;

	if (!MODEL_IS_PYTHON(m)) {
		for (int ph = 0; ph < 2; ph++) {
			if (!(k = bench_add(res, m, w, w, touch)))
				return -1;
			bench_key(k, 0, "%s", ph ? "touched" : "idle");
		}
		return 0;
	}
	for (int j = 0; j < PYTHON_START_METHODS + 1; j++) {
		int thread = m == MODEL_PY_THREAD;

		if (thread ? j != PYTHON_START_METHODS :
		    j == PYTHON_START_METHODS || !methods[j])
			continue;
		if (!(k = bench_add(res, m, w, w, touch)))
			return -1;
		bench_key(k, 0, "idle");
		k->arg = (void *)(thread ? "thread" : python_start_methods[j]);
		if (!thread)
			bench_key(k, 1, "%s", python_start_methods[j]);
	}
	return 0;
}

static const struct bench_sumcol memory_summary[] = {
	{ "pss_kib", "pss_kib", BENCH_MEDIAN },
	{ "uss_kib", "uss_kib", BENCH_MEDIAN },
	{ "pte_kib", "pte_kib", BENCH_MEDIAN },
	{ "cost_kib", "cost_kib", BENCH_MEDIAN },
	{ "total_kib", "total_kib", BENCH_MEDIAN },
	{ NULL, NULL, 0 },
};

static int memory_run(const struct config *cfg)
{
	size_t touch = (size_t)config_param(cfg, "touch")->u;
	struct mem_ctx ctx = { .touch = touch, .page = sysconf(_SC_PAGESIZE) };
	struct bench b = {
		.ctx = &ctx,
		.keys = "phase,start_method",
		.figures = "touch_kib,pss_kib,uss_kib,pte_kib,cost_kib,"
			   "total_kib",
		.run = memory_rep,
		.summary = memory_summary,
		.headline = "cost_kib",
		.narrate = memory_narrate,
	};
	struct bench_result res;
	int rc, methods[PYTHON_START_METHODS], py = 0;
	char why[512];

	if ((rc = check_config(cfg, touch)))
		return rc;
	python_methods(config_param(cfg, "start-methods"), methods);
	for (size_t m = 0; m < cfg->nmodels; m++)
		py |= MODEL_IS_PYTHON(cfg->models[m]);
	if (py && python_find(why, sizeof(why))) {
		printf("  memory: the py-* models are skipped: %s\n", why);
		py = 0;
	}
	ctx.sync = shm_alloc(sizeof(*ctx.sync));
	ctx.inherited = touch ? malloc(touch) : NULL;
	rc = 1;
	if (!ctx.sync || (touch && !ctx.inherited) ||
	    bench_init(&res, cfg, &b)) {
		fprintf(stderr, "pvt: memory: out of memory\n");
		goto out;
	}
	if (touch)
		memset(ctx.inherited, 1, touch);	/* resident */
	for (size_t m = 0; m < cfg->nmodels; m++)
		for (size_t i = 0; i < cfg->nworkers; i++)
			if ((py || !MODEL_IS_PYTHON(cfg->models[m])) &&
			    plan(&res, cfg->models[m], cfg->workers[i], touch,
				 methods))
				goto out_bench;
	rc = bench_run(&res);
out_bench:
	bench_free(&res);
out:
	free(ctx.inherited);
	shm_free(ctx.sync, sizeof(*ctx.sync));
	return rc;
}

static const struct param memory_params[] = {
	{ "touch", PARAM_SIZE, "1MiB", 0, 1073741824.0, NULL,
	  "bytes each worker writes after the first reading" },
	{ "start-methods", PARAM_CHOICES, "fork,forkserver,spawn", 0, 0,
	  PYTHON_START_METHOD_CHOICES,
	  "py-process: multiprocessing's start methods, each measured" },
	{ NULL, 0, NULL, 0, 0, NULL, NULL },
};

static const char *const memory_quick[] = {
	"--workers", "1,16", NULL,
};

const struct scenario scenario_memory = {
	.name = "memory",
	.summary = "memory per worker: PSS, USS and page tables of idle "
		   "processes and threads",
	.lesson = "Each process has its own page tables and its own copy of "
		  "every page it writes, so an idle process costs tens to "
		  "hundreds of KiB more than an idle thread, which shares "
		  "everything but its stack. Writing makes it visible: a "
		  "process that writes to memory it inherited gets a private "
		  "copy of each page (copy-on-write).",
	.method = "Per model and worker count, N workers start (one task "
		  "each), report ready through MAP_SHARED memory and wait. "
		  "pvt reads /proc/PID/smaps_rollup (Pss_Anon: the anonymous "
		  "memory's PSS, which programs sharing the same libraries "
		  "cannot move; USS = Private_Clean + Private_Dirty) and "
		  "VmPTE of /proc/PID/status for each worker and itself: a "
		  "process worker's own figures, or for threads the growth "
		  "of pvt's process since before they started (anonymous PSS "
		  "and Private_Dirty), stacks included. cost = growth of "
		  "anonymous PSS + page tables of pvt and its workers "
		  "together, per worker. Then "
		  "each worker writes one byte in every page of --touch "
		  "bytes (processes: a buffer the parent filled before the "
		  "fork; threads: fresh anonymous memory of their own) and "
		  "pvt reads again. Kernel stacks and task structures are "
		  "not counted. py-process (each --start-methods) and "
		  "py-thread: scenarios/python/memory.py starts the workers, "
		  "which report ready and wait while pvt reads the Python "
		  "program and each worker the same way (idle only).",
	.uses = USE_MODELS | USE_WORKERS | USE_REPEAT,
	.models = "process,thread",
	.python = "memory.py",
	.workers = "1,8,64",
	.tasks = 1,
	.size = 1,
	.params = memory_params,
	.quick = memory_quick,
	.run = memory_run,
	.check = memory_check,
};

/* memory.c - what an idle worker costs in memory: processes vs threads
 *
 * N workers start, report ready through MAP_SHARED memory and wait; the
 * parent reads /proc/PID/smaps_rollup of each (and of itself), tells them
 * to write --touch bytes each, reads again, and lets them go. A process
 * worker writes into a buffer the parent filled before forking, so every
 * page it writes is copied then (copy-on-write made visible); a thread
 * shares the parent's memory, so it writes into a buffer of its own.
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

#include "output/csv.h"
#include "measure/measure.h"
#include "measure/procmem.h"
#include "output/progress.h"
#include "face/scenario.h"
#include "engine/shm.h"
#include "measure/sweep.h"
#include "python/python.h"

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

/* The readings of one model at n workers: [0] idle, [1] touched (not
 * for Python's). */
struct mem_point {
	enum model model;
	const char *method;	/* py-*: a start method or "thread"; else
				 * NULL */
	unsigned workers;
	struct run_stats st;
	struct mem_reading r[2];
	int ok;
};

static int measure_point(struct mem_ctx *ctx, struct mem_point *pt)
{
	struct run_spec spec = {
		.model = pt->model, .workers = pt->workers,
		.tasks = pt->workers, .fn = memory_task, .ctx = ctx,
		.dist = DIST_STATIC,
	};
	struct procmem base;
	struct workers *w;
	struct results r;
	int rc = -1;

	ctx->model = pt->model;
	atomic_store(&ctx->sync->phase, PHASE_WAIT);
	atomic_store(&ctx->sync->ready, 0);
	atomic_store(&ctx->sync->touched, 0);
	if (results_create(&r, spec.tasks, 1)) {
		fprintf(stderr, "pvt: memory: mmap: %s\n", strerror(errno));
		return -1;
	}
	if (procmem_read(0, &base)) {
		fprintf(stderr, "pvt: memory: /proc/self/smaps_rollup: %s\n",
			strerror(errno));
		goto out;
	}
	if (workers_start(&spec, &r, &w, &pt->st))
		goto out_failed;
	progress("memory: %s x%u: waiting for the workers",
		 model_name(pt->model), pt->workers);
	if (workers_started(w) == pt->workers &&
	    !wait_count(&ctx->sync->ready, pt->workers) &&
	    !read_workers(w, pt->model, pt->workers, &base, &pt->r[0])) {
		atomic_store(&ctx->sync->phase, PHASE_TOUCH);
		if (!wait_count(&ctx->sync->touched, pt->workers))
			read_workers(w, pt->model, pt->workers, &base,
				     &pt->r[1]);
	}
	atomic_store(&ctx->sync->phase, PHASE_LEAVE);
	rc = workers_wait(w, &pt->st);
	if (!rc && !(pt->r[0].ok && pt->r[1].ok)) {
		snprintf(pt->st.why, sizeof(pt->st.why), "the workers did not "
			 "all reach a phase within %d s", WAIT_LIMIT_S);
		rc = -1;
	}
out_failed:
	if (rc && !pt->st.interrupted && !workers_stopped())
		fprintf(stderr, "pvt: memory: %s x%u failed: %s\n",
			model_name(pt->model), pt->workers, pt->st.why);
out:
	results_destroy(&r);
	pt->ok = rc == 0;
	return rc;
}

/* Reads one line of memory.py into the value of key. */
static int py_expect(struct py_proc *py, const char *key, double *v,
		     char *why, size_t len)
{
	char line[256];

	if (python_line(py, line, sizeof(line)) <= 0)
		return -1;	/* python_close says why */
	if (!python_field(line, key, v))
		return 0;
	snprintf(why, len, "memory.py printed '%.100s', not %s=", line, key);
	return 1;
}

/* A Python configuration: memory.py's parent and its idle workers, read
 * between its lines. Returns 0, or -1 when it failed. */
static int measure_py_point(struct mem_point *pt)
{
	char workers[16], why[512] = "", how[512];
	const char *args[] = { "--method", pt->method, "--workers", workers,
			       NULL };
	int thread = pt->model == MODEL_PY_THREAD, said = 0;
	pid_t *pids = calloc(pt->workers + 1, sizeof(*pids)), parent;
	struct procmem base;
	struct py_proc *py;
	double v = 0, ready = -1;
	unsigned np = 0;

	snprintf(workers, sizeof(workers), "%u", pt->workers);
	progress("memory: py-%s x%u: waiting for the workers", pt->method,
		 pt->workers);
	pt->st.wall_s = pt->st.user_s = pt->st.sys_s = NAN;
	pt->st.max_rss_kib = -1;
	if (!pids || python_open("memory.py", args, &py, why, sizeof(why)))
		goto out;
	if ((said = py_expect(py, "pid", &v, why, sizeof(why))))
		goto close;
	parent = (pid_t)v;
	if (procmem_read(parent, &base) || python_send(py, "start")) {
		snprintf(why, sizeof(why), "cannot read or talk to %d: %s",
			 (int)parent, strerror(errno));
		said = 1;
		goto close;
	}
	while (!thread && np < pt->workers &&
	       !(said = py_expect(py, "worker", &v, why, sizeof(why))))
		pids[np++] = (pid_t)v;
	if (said || (said = py_expect(py, "ready", &ready, why, sizeof(why))))
		goto close;
	if ((unsigned)ready != pt->workers) {
		snprintf(why, sizeof(why), "%.0f of %u workers reported ready",
			 ready, pt->workers);
		said = 1;
	} else if (read_all(parent, thread ? NULL : pids, pt->workers, &base,
			    &pt->r[0])) {
		snprintf(why, sizeof(why), "cannot read them");
		said = 1;
	}
	python_send(py, "go");
	if (!said && (said = py_expect(py, "ok", &v, why, sizeof(why))) == 0 &&
	    v != 1) {
		snprintf(why, sizeof(why), "a worker did not end well");
		said = 1;
	}
close:
	if (python_close(py, NULL, how, sizeof(how)) && !said)
		snprintf(why, sizeof(why), "%s", how);
	pt->ok = !said && !why[0] && pt->r[0].ok;
out:
	if (!pt->ok && !workers_stopped())
		fprintf(stderr, "pvt: memory: py-%s x%u failed: %s\n",
			pt->method, pt->workers, why[0] ? why :
			"out of memory");
	free(pids);
	return pt->ok ? 0 : -1;
}

/* "process", "thread", "py-fork", "py-thread". */
static const char *label(const struct mem_point *pt, char *buf, size_t len)
{
	if (!pt->method)
		return model_name(pt->model);
	snprintf(buf, len, "py-%s", pt->method);
	return buf;
}

static int write_csv(const struct config *cfg, const struct mem_point *pts,
		     size_t n, size_t touch)
{
	static const char *const phase_name[2] = { "idle", "touched" };
	struct csv c;

	if (csv_open(&c, cfg->out, "memory.csv"))
		return -1;
	config_meta(cfg, &c);
	if (workers_stopped())
		csv_meta(&c, "interrupted", "yes");
	csv_header(&c, SWEEP_RAW_COLS ",phase,touch_kib,pss_kib,uss_kib,"
		   "pte_kib,cost_kib,total_kib,start_method");
	for (size_t i = 0; i < n; i++) {
		for (int ph = 0; ph < (pts[i].method ? 1 : 2); ph++) {
			const struct mem_reading *r = &pts[i].r[ph];

			sweep_common_fields(&c, "memory", pts[i].model,
					    pts[i].workers, pts[i].workers,
					    touch, 1, &pts[i].st,
					    pts[i].ok && r->ok);
			csv_str(&c, phase_name[ph]);
			csv_num(&c, pts[i].method ? NAN : (double)touch / 1024);
			csv_num(&c, r->ok ? r->pss : NAN);
			csv_num(&c, r->ok ? r->uss : NAN);
			csv_num(&c, r->ok ? r->pte : NAN);
			csv_num(&c, r->ok ? r->cost : NAN);
			csv_num(&c, r->ok ? r->total : NAN);
			csv_str(&c, pts[i].method &&
				pts[i].model == MODEL_PY_PROCESS ?
				pts[i].method : NULL);
			csv_end_row(&c);
		}
	}
	return csv_commit(&c);
}

static void narrate(const struct mem_point *pts, size_t n, size_t touch)
{
	printf("\nmemory: what one idle worker costs, in KiB (cost: growth of "
	       "anonymous PSS\n  + page tables of pvt and its workers "
	       "together, per "
	       "worker), then after each writes %zu KiB\n", touch / 1024);
	printf("  %-13s %7s %9s %8s %8s %7s %10s %9s\n", "model", "workers",
	       "cost", "PSS", "USS", "tables", "cost+touch", "USS+touch");
	for (size_t i = 0; i < n; i++) {
		const struct mem_reading *a = &pts[i].r[0], *b = &pts[i].r[1];
		char buf[32];
		const char *name = label(&pts[i], buf, sizeof(buf));

		if (!pts[i].ok) {
			printf("  %-13s %7u %9s\n", name, pts[i].workers,
			       "FAILED");
			continue;
		}
		printf("  %-13s %7u %9.1f %8.1f %8.1f %7.1f", name,
		       pts[i].workers, a->cost, a->pss, a->uss, a->pte);
		if (b->ok)
			printf(" %10.1f %9.1f", b->cost, b->uss);
		printf("\n");
	}
	for (size_t i = 0; i < n; i++)
		if (pts[i].method) {
			char interp[512];

			python_describe(interp, sizeof(interp));
			printf("  py-*: idle Python workers of %s; the parent is "
			       "the Python program\n", interp);
			break;
		}
}

static const struct mem_point *find(const struct mem_point *pts, size_t n,
				    enum model m, unsigned most)
{
	const struct mem_point *best = NULL;

	for (size_t i = 0; i < n; i++)
		if (pts[i].ok && pts[i].model == m && pts[i].workers <= most &&
		    (!best || pts[i].workers > best->workers))
			best = &pts[i];
	return best;
}

/* Python's figures at the largest worker count measured. */
static void python_lesson(const struct mem_point *pts, size_t n)
{
	unsigned most = 0;
	int any = 0;

	for (size_t i = 0; i < n; i++)
		if (pts[i].ok && pts[i].method && pts[i].workers > most)
			most = pts[i].workers;
	for (size_t i = 0; i < n; i++) {
		if (!pts[i].ok || !pts[i].method || pts[i].workers != most)
			continue;
		printf("%s %s %.0f", any ? "," : "  In Python, with", pts[i].method,
		       pts[i].r[0].uss);
		if (!any)
			printf(" KiB");
		any = 1;
	}
	if (any)
		printf(" (USS per idle worker, %u workers): a spawned or "
		       "forkserver worker is a whole interpreter of its own; "
		       "a forked one shares its parent's pages until it "
		       "writes them.\n", most);
}

static void lesson(const struct config *cfg, const struct mem_point *pts,
		   size_t n, size_t touch)
{
	unsigned most = 0;
	const struct mem_point *p, *t;

	for (size_t i = 0; i < n; i++)
		if (pts[i].ok && pts[i].workers > most)
			most = pts[i].workers;
	p = find(pts, n, MODEL_PROCESS, most);
	t = find(pts, n, MODEL_THREAD, most);
	if (!p || !t || p->workers != t->workers) {
		printf("\n  Lesson: %s\n", cfg->sc->lesson);
		python_lesson(pts, n);
		return;
	}
	printf("\n  Lesson: with %u workers an idle process costs %.0f KiB "
	       "and an idle thread %.0f KiB (%.0fx); after each writes %zu "
	       "KiB, a process has copied %.0f KiB of the parent's pages "
	       "(copy-on-write) and a thread has added %.0f KiB.\n",
	       p->workers, p->r[0].cost, t->r[0].cost,
	       t->r[0].cost > 0 ? p->r[0].cost / t->r[0].cost : INFINITY,
	       touch / 1024, p->r[1].uss - p->r[0].uss,
	       t->r[1].cost - t->r[0].cost);
	python_lesson(pts, n);
}

/* Refuses models other than process and thread, and sizes that would
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

/* The Python configurations of model m: a start method each
 * (py-process) or threads. Returns how many it added at pts. */
static size_t plan_py(enum model m,
		      const int *methods, unsigned workers,
		      struct mem_point *pts)
{
	size_t k = 0;

	if (m == MODEL_PY_THREAD) {
		pts[k++] = (struct mem_point){ .model = m, .method = "thread",
					       .workers = workers };
		return k;
	}
	for (int j = 0; j < PYTHON_START_METHODS; j++)
		if (methods[j])
			pts[k++] = (struct mem_point){
				.model = m, .workers = workers,
				.method = python_start_methods[j] };
	return k;
}

static int memory_run(const struct config *cfg)
{
	size_t touch = (size_t)config_param(cfg, "touch")->u, n = 0;
	struct mem_ctx ctx = { .touch = touch, .page = sysconf(_SC_PAGESIZE) };
	struct mem_point *pts;
	int failed = 0, rc, written, methods[PYTHON_START_METHODS], py = 0;
	char why[512];

	if ((rc = check_config(cfg, touch)))
		return rc;
	if (python_parse_methods(config_param(cfg, "start-methods")->s,
				 methods, why, sizeof(why))) {
		fprintf(stderr, "pvt: memory: --start-methods: %s\n", why);
		return 2;
	}
	for (size_t m = 0; m < cfg->nmodels; m++)
		py |= MODEL_IS_PYTHON(cfg->models[m]);
	if (py && python_find(why, sizeof(why))) {
		printf("  memory: the py-* models are skipped: %s\n", why);
		py = 0;
	}
	pts = calloc(cfg->nmodels * cfg->nworkers * PYTHON_START_METHODS,
		     sizeof(*pts));
	ctx.sync = shm_alloc(sizeof(*ctx.sync));
	ctx.inherited = touch ? malloc(touch) : NULL;
	if (!pts || !ctx.sync || (touch && !ctx.inherited)) {
		fprintf(stderr, "pvt: memory: out of memory\n");
		rc = 1;
		goto out;
	}
	if (touch)
		memset(ctx.inherited, 1, touch);	/* resident */
	for (size_t m = 0; m < cfg->nmodels && !workers_stopped(); m++) {
		for (size_t i = 0; i < cfg->nworkers && !workers_stopped();
		     i++) {
			struct mem_point *pt = &pts[n];
			size_t k;

			if (!MODEL_IS_PYTHON(cfg->models[m])) {
				pt->model = cfg->models[m];
				pt->workers = cfg->workers[i];
				failed |= measure_point(&ctx, pt) != 0;
				n++;
				continue;
			}
			k = py ? plan_py(cfg->models[m], methods,
					 cfg->workers[i], pt) : 0;
			for (size_t j = 0; j < k && !workers_stopped(); j++) {
				failed |= measure_py_point(&pt[j]) != 0;
				n++;
			}
		}
	}
	progress_clear();
	written = n && !write_csv(cfg, pts, n, touch);
	if (n && !written) {
		fprintf(stderr, "pvt: memory: cannot write the CSV in '%s': "
			"%s\n", cfg->out, strerror(errno));
		failed = 1;
	}
	if (!cfg->quiet && n) {
		narrate(pts, n, touch);
		lesson(cfg, pts, n, touch);
	}
	if (written)
		printf("  wrote %s/memory.csv%s\n", cfg->out,
		       workers_stopped() ? " (interrupted: partial)" : "");
	rc = workers_stopped() ? 128 + cli_interrupted() : failed;
out:
	free(ctx.inherited);
	shm_free(ctx.sync, sizeof(*ctx.sync));
	free(pts);
	return rc;
}

static const struct param memory_params[] = {
	{ "touch", PARAM_SIZE, "1MiB", 0, 1073741824.0, NULL,
	  "bytes each worker writes after the first reading" },
	{ "start-methods", PARAM_STRING, "fork,forkserver,spawn", 0, 0, NULL,
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
		  "not counted.",
	.uses = USE_MODELS | USE_WORKERS,
	.models = "process,thread",
	.python = "memory.py",
	.workers = "1,8,64",
	.tasks = 1,
	.size = 1,
	.params = memory_params,
	.quick = memory_quick,
	.run = memory_run,
};

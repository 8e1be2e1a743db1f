/* spawn.c - what creating a worker costs: fork, vfork, posix_spawn, threads
 *
 * Each mechanism starts a worker that does nothing and waits for it,
 * --iterations times in a row; the loop's time over the iterations is one
 * measurement, less the timing loop's own cost (lmbench's method). The
 * same is measured while the parent holds --parent-mem of touched memory:
 * fork copies the parent's page tables, so it grows with them; vfork and
 * posix_spawn borrow the parent's memory and a thread shares it, so they
 * do not. The mechanisms live in the engine (spawn_cost.h); the
 * measuring layer (bench.h) repeats, summarises, writes and judges.
 *
 * py-fork, py-forkserver, py-spawn and py-thread: the interpreter runs
 * scenarios/python/start.py, which times multiprocessing.Process from
 * get_context(METHOD) or threading.Thread the same way, in a Python
 * parent that holds --parent-mem itself (pvt's own is freed first).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "engine/spawn_cost.h"
#include "face/scenario.h"
#include "measure/bench.h"
#include "measure/procmem.h"
#include "python/python.h"

/* The engine's mechanisms, then Python's (start.py). */
enum { PY_FORK = SPAWN_MECH_COUNT, PY_FORKSERVER, PY_SPAWN, PY_THREAD,
       MECH_COUNT };

static const char *const py_mechs[] = {
	"py-fork", "py-forkserver", "py-spawn", "py-thread",
};

#define IS_PY(m) ((m) >= SPAWN_MECH_COUNT)

/* The figures of one run, in bench.figures order. */
enum { F_MAPS, F_ITERATIONS, F_US, F_OVERHEAD };

struct spawn_ctx {
	const struct config *cfg;
	void *ballast;		/* pvt's parent memory, held for the C
				 * mechanisms of one size */
	uint64_t ballast_mem;
};

static const char *mech_name(int m)
{
	return IS_PY(m) ? py_mechs[m - SPAWN_MECH_COUNT] :
	       spawn_mech_name((enum spawn_mech)m);
}

static enum model mech_model(int m)
{
	return m == SPAWN_THREAD ? MODEL_THREAD : m == PY_THREAD ?
	       MODEL_PY_THREAD : IS_PY(m) ? MODEL_PY_PROCESS : MODEL_PROCESS;
}

static int conf_mech(const struct bench_conf *k)
{
	return (int)(intptr_t)k->arg;
}
/* "0 B", "64 MiB", "1 GiB", "1.5 GiB". */
static void size_text(char *buf, size_t len, uint64_t b)
{
	static const char *const unit[] = { "B", "KiB", "MiB", "GiB", "TiB" };
	double v = (double)b;
	int u = 0;

	while (v >= 1024 && u < 4)
		v /= 1024, u++;
	snprintf(buf, len, v == floor(v) ? "%.0f %s" : "%.1f %s", v, unit[u]);
}

/* One run: --iterations round trips (k->tasks), the overhead, the CPU
 * time they took. */
static int spawn_rep(void *vctx, struct bench_row *row)
{
	int m = conf_mech(row->conf);
	unsigned n = (unsigned)row->conf->tasks;
	struct rusage s0, c0, s1, c1;
	double raw, ovh;
	int ru;		/* 0: CPU times and RSS known */

	(void)vctx;
	ru = getrusage(RUSAGE_SELF, &s0) | getrusage(RUSAGE_CHILDREN, &c0);
	if (spawn_roundtrip((enum spawn_mech)m, n, &raw, row->st.why,
			    sizeof(row->st.why))) {
		row->st.failed = 1;
		return -1;
	}
	ru |= getrusage(RUSAGE_SELF, &s1) | getrusage(RUSAGE_CHILDREN, &c1);
	ovh = spawn_loop_overhead_us(n);
	row->st.wall_s = raw * 1e-6 * n;
	row->st.user_s = measure_tv(&s1.ru_utime) - measure_tv(&s0.ru_utime) +
			 measure_tv(&c1.ru_utime) - measure_tv(&c0.ru_utime);
	row->st.sys_s = measure_tv(&s1.ru_stime) - measure_tv(&s0.ru_stime) +
			measure_tv(&c1.ru_stime) - measure_tv(&c0.ru_stime);
	row->st.max_rss_kib = s1.ru_maxrss;
	if (ru) {		/* the kernel could not say: empty cells */
		row->st.user_s = row->st.sys_s = NAN;
		row->st.max_rss_kib = -1;
	}
	row->fig[F_MAPS] = (double)procmem_maps(0);
	row->fig[F_ITERATIONS] = n;
	row->fig[F_US] = raw - ovh;
	row->fig[F_OVERHEAD] = ovh;
	if (!(row->fig[F_MAPS] > 0))
		row->fig[F_MAPS] = NAN;
	if (isfinite(row->fig[F_US]) && row->fig[F_US] > 0)
		return 0;
	snprintf(row->st.why, sizeof(row->st.why), "no time measured");
	return -1;
}

/* A Python mechanism: start.py runs the warm-ups and runs in a parent
 * of its own that holds the parent memory. */
static int spawn_py(void *vctx, struct bench_conf *k, struct bench_row *rows,
		    unsigned *n)
{
	static const char *const method[] = { "fork", "forkserver", "spawn",
					      "thread" };
	const struct spawn_ctx *ctx = vctx;
	const struct config *cfg = ctx->cfg;
	char it[32], rt[32], mem[32], rep[16], wu[16], line[1024];
	char *why = rows[0].st.why;
	size_t wlen = sizeof(rows[0].st.why);
	const char *args[] = {
		"--method", method[conf_mech(k) - PY_FORK], "--iterations", it,
		"--run-time", rt, "--parent-mem", mem, "--repeat", rep,
		"--warmup", wu, NULL,
	};
	struct py_proc *py;
	int bad = 0;

	*n = 0;
	snprintf(it, sizeof(it), "%llu", (unsigned long long)
		 config_param(cfg, "iterations")->u);
	snprintf(rt, sizeof(rt), "%g", config_param(cfg, "run-time")->d);
	snprintf(mem, sizeof(mem), "%llu", (unsigned long long)k->size);
	snprintf(rep, sizeof(rep), "%u", k->repeat);
	snprintf(wu, sizeof(wu), "%u", k->warmup);
	if (python_open("start.py", args, &py, why, wlen))
		return -1;
	while (*n < k->repeat && python_line(py, line, sizeof(line)) > 0) {
		struct bench_row *row = &rows[*n];
		double it_n, ok;

		if (python_field(line, "iterations", &it_n) ||
		    python_field(line, "us", &row->fig[F_US]) ||
		    python_field(line, "overhead_us", &row->fig[F_OVERHEAD]) ||
		    python_field(line, "user_s", &row->st.user_s) ||
		    python_field(line, "sys_s", &row->st.sys_s) ||
		    python_field(line, "ok", &ok) || it_n < 1) {
			snprintf(why, wlen, "start.py printed a row pvt "
				 "cannot use: %.200s", line);
			bad = 1;
			break;
		}
		k->tasks = (uint64_t)it_n;
		row->fig[F_ITERATIONS] = it_n;
		row->st.wall_s = (row->fig[F_US] + row->fig[F_OVERHEAD]) *
				 1e-6 * it_n;
		row->ok = ok == 1 && row->fig[F_US] > 0;
		row->st.failed = !row->ok;
		if (!row->ok)
			snprintf(row->st.why, sizeof(row->st.why), "a worker "
				 "did not run");
		(*n)++;
	}
	return python_end_batch(py, bad, "start.py", *n, k->repeat, why, wlen);
}

/* Round trips per run of mechanism m: --iterations, or as many as fit
 * in --run-time by a short probe, whichever is fewer; at least 5. */
static unsigned pick_iterations(const struct config *cfg, int m)
{
	unsigned most = (unsigned)config_param(cfg, "iterations")->u;
	double budget = config_param(cfg, "run-time")->d, us, fit;
	char why[256];

	/* the first round trip after a change of memory is the slowest */
	if (spawn_roundtrip((enum spawn_mech)m, 1, &us, why, sizeof(why)) ||
	    spawn_roundtrip((enum spawn_mech)m, most < 3 ? most : 3, &us, why,
			    sizeof(why)))
		return most;	/* the runs will say why */
	fit = budget * 1e6 / us;
	if (fit >= most)
		return most;
	return fit < 5 ? (most < 5 ? most : 5) : (unsigned)fit;
}

static void ballast_drop(struct spawn_ctx *ctx)
{
	if (ctx->ballast)
		spawn_ballast_free(ctx->ballast, ctx->ballast_mem);
	ctx->ballast = NULL;
}

/* Before a configuration: pvt holds its parent memory for a C
 * mechanism (none for Python's), and sizes the runs. */
static int spawn_begin(void *vctx, struct bench_conf *k)
{
	struct spawn_ctx *ctx = vctx;
	char text[32];

	if (IS_PY(conf_mech(k)) || (ctx->ballast && ctx->ballast_mem != k->size))
		ballast_drop(ctx);
	if (IS_PY(conf_mech(k)))
		return 0;
	if (!ctx->ballast) {
		ctx->ballast = spawn_ballast_alloc(k->size);
		ctx->ballast_mem = k->size;
	}
	if (!ctx->ballast) {
		size_text(text, sizeof(text), k->size);
		fprintf(stderr, "pvt: spawn: mmap %s of parent memory: %s\n",
			text, strerror(errno));
		return -1;
	}
	k->tasks = pick_iterations(ctx->cfg, conf_mech(k));
	return 0;
}

/* The median µs of mechanism m at the smallest memory it ran with, or
 * NULL. */
static const struct bench_conf *smallest(const struct bench_result *res,
					 int m)
{
	const struct bench_conf *best = NULL;

	for (size_t i = 0; i < res->nconfs; i++) {
		const struct bench_conf *k = &res->confs[i];

		if (conf_mech(k) == m && k->ok_runs &&
		    (!best || k->size < best->size))
			best = k;
	}
	return best;
}

static const struct bench_conf *largest(const struct bench_result *res, int m)
{
	const struct bench_conf *best = NULL;

	for (size_t i = 0; i < res->nconfs; i++) {
		const struct bench_conf *k = &res->confs[i];

		if (conf_mech(k) == m && k->ok_runs &&
		    (!best || k->size > best->size))
			best = k;
	}
	return best;
}

static double median_us(const struct bench_result *res,
			const struct bench_conf *k)
{
	return k ? bench_stats(res, k, "us_per_op")->median : NAN;
}

/* growth: the median over the same mechanism's at the smallest memory. */
static void spawn_growth(void *vctx, const struct bench_result *res,
			 const struct bench_conf *k, double *vals)
{
	(void)vctx;
	if (k->ok_runs)
		vals[0] = median_us(res, k) /
			  median_us(res, smallest(res, conf_mech(k)));
}

/* The lesson's figures: fork's growth over the memory swept, fork
 * against a thread, and Python's start methods. */
static void spawn_narrate(void *vctx, const struct bench_result *res)
{
	static const char *const what[] = { "fork", "forkserver", "spawn",
					    "a thread" };
	const struct bench_conf *f0 = smallest(res, SPAWN_FORK);
	const struct bench_conf *f1 = largest(res, SPAWN_FORK);
	const struct bench_conf *t0 = smallest(res, SPAWN_THREAD);
	char lo[32], hi[32], interp[512];
	int any = 0;

	(void)vctx;
	if (f0 && f1 != f0) {
		size_text(lo, sizeof(lo), f0->size);
		size_text(hi, sizeof(hi), f1->size);
		printf("\n  fork takes %.0f µs with %s of parent memory and "
		       "%.0f µs with %s (x%.1f: it copies page tables)",
		       median_us(res, f0), lo, median_us(res, f1), hi,
		       median_us(res, f1) / median_us(res, f0));
		if (t0)
			printf("; a thread %.1f µs", median_us(res, t0));
		printf(".\n");
	}
	if (smallest(res, SPAWN_POSIX_SPAWN))
		printf("  posix_spawn's time includes running a small program "
		       "(pvt-nop: exec, the loader, exit), which fork's and "
		       "vfork's do not.\n");
	config_image_say(res->cfg);
	for (int m = PY_FORK; m < MECH_COUNT; m++) {
		const struct bench_conf *k = smallest(res, m);

		if (!k)
			continue;
		if (!any) {
			python_describe(interp, sizeof(interp));
			printf("  With %s, starting and joining one Python "
			       "worker takes:", interp);
		}
		printf("%s %s %.0f µs", any ? "," : "", what[m - PY_FORK],
		       median_us(res, k));
		any = 1;
	}
	if (any)
		printf(".\n  Since Python 3.14 the default start method on "
		       "Linux is forkserver, so a bare\n  Process() no longer "
		       "forks: multiprocessing.get_context(\"fork\") says "
		       "so.\n");
}

/* a dearer than b: the ratio of their round trips at the smallest
 * memory, at least 1. */
static void check_dearer(const struct bench_result *res, struct verdicts *vs,
			 int a, int b)
{
	const struct bench_conf *ka = smallest(res, a), *kb = smallest(res, b);
	struct verdict_evidence ev = VERDICT_EVIDENCE_INIT;
	char what[128];

	if (!ka && !kb)
		return;
	bench_evidence(&ev, ka, VERDICT_SLOW_RAISES);
	bench_evidence(&ev, kb, VERDICT_SLOW_LOWERS);
	snprintf(what, sizeof(what), "%s round trip / %s's", mech_name(a),
		 mech_name(b));
	verdict_compare(vs, what, ka && kb ? median_us(res, ka) /
			median_us(res, kb) : NAN, VERDICT_AT_LEAST, 1.0,
			"%.1fx", &ev);
}

/* Whether mechanism m was asked for. */
static int planned(const struct bench_result *res, int m)
{
	for (size_t i = 0; i < res->nconfs; i++)
		if (conf_mech(&res->confs[i]) == m)
			return 1;
	return 0;
}

/* The lesson as checks: fork dearer than pthread_create; in Python, a
 * spawned worker dearer than a forked one, and a forked one dearer than
 * a thread. */
static void spawn_check(const struct bench_result *res, struct verdicts *vs)
{
	static const int pairs[][2] = {
		{ SPAWN_FORK, SPAWN_THREAD }, { PY_SPAWN, PY_FORK },
		{ PY_FORK, PY_THREAD },
	};

	for (size_t i = 0; i < sizeof(pairs) / sizeof(*pairs); i++)
		if (planned(res, pairs[i][0]) && planned(res, pairs[i][1]))
			check_dearer(res, vs, pairs[i][0], pairs[i][1]);
}

/* Puts the C mechanisms before Python's, each in the order given;
 * returns how many are C's. */
static size_t c_first(int *mechs, size_t n)
{
	int sorted[MECH_COUNT];
	size_t k = 0, nc;

	for (size_t j = 0; j < n; j++)
		if (!IS_PY(mechs[j]))
			sorted[k++] = mechs[j];
	nc = k;
	for (size_t j = 0; j < n; j++)
		if (IS_PY(mechs[j]))
			sorted[k++] = mechs[j];
	memcpy(mechs, sorted, n * sizeof(*mechs));
	return nc;
}

/* Refuses a parent memory over half the machine's. Returns 0 or 2. */
static int check_mem(const struct param_value *mem)
{
	uint64_t phys = (uint64_t)sysconf(_SC_PHYS_PAGES) *
			(uint64_t)sysconf(_SC_PAGESIZE);

	for (size_t i = 0; i < mem->n; i++) {
		char text[32], half[32];

		if (mem->sizes[i] <= phys / 2)
			continue;
		size_text(text, sizeof(text), mem->sizes[i]);
		size_text(half, sizeof(half), phys / 2);
		fprintf(stderr, "pvt: spawn: --parent-mem: %s is over half of "
			"this machine's memory (accepted: 0 to %s)\n", text,
			half);
		return 2;
	}
	return 0;
}

/* Leaves out what cannot run here, saying so: posix_spawn without its
 * helper, Python's without an interpreter. */
static void drop_unavailable(int *mechs, size_t *n)
{
	char path[4096], why[512];
	size_t k = 0, nc = c_first(mechs, *n);
	int py_ok = nc == *n || !python_find(why, sizeof(why));

	if (!py_ok)
		printf("  py-*: skipped: %s\n", why);
	for (size_t j = 0; j < *n; j++) {
		if (mechs[j] == SPAWN_POSIX_SPAWN &&
		    spawn_helper_path(path, sizeof(path))) {
			printf("  posix_spawn: skipped: %s: %s (pvt-nop: built "
			       "beside pvt, installed in libexec/pvt/)\n", path,
			       strerror(errno));
			continue;
		}
		if (IS_PY(mechs[j]) && !py_ok)
			continue;
		mechs[k++] = mechs[j];
	}
	*n = k;
}

static const struct bench_sumcol spawn_summary[] = {
	{ "parent_maps", "parent_maps", BENCH_MEDIAN },
	{ "iterations", "iterations", BENCH_MEDIAN },
	{ "median_us", "us_per_op", BENCH_MEDIAN },
	{ "min_us", "us_per_op", BENCH_MIN },
	{ "max_us", "us_per_op", BENCH_MAX },
	{ "mean_us", "us_per_op", BENCH_MEAN },
	{ "stddev_us", "us_per_op", BENCH_STDDEV },
	{ "ci95_us", "us_per_op", BENCH_CI95 },
	{ "overhead_us", "overhead_us", BENCH_MEDIAN },
	{ NULL, NULL, 0 },
};

static int spawn_run_scenario(const struct config *cfg)
{
	const struct param_value *mem = config_param(cfg, "parent-mem");
	struct spawn_ctx ctx = { .cfg = cfg };
	struct bench b = {
		.ctx = &ctx,
		.keys = "mech,parent_mem_kib",
		.figures = "parent_maps,iterations,us_per_op,overhead_us",
		.run = spawn_rep,
		.run_batch = spawn_py,
		.begin = spawn_begin,
		.summary = spawn_summary,
		.derived_cols = "growth",
		.derive = spawn_growth,
		.headline = "us_per_op",
		.narrate = spawn_narrate,
	};
	struct bench_result res;
	int mechs[MECH_COUNT], rc;
	size_t nmechs;

	/* the positions in --mechs' choices are the mechanisms' numbers */
	nmechs = config_param(cfg, "mechs")->n;
	for (size_t i = 0; i < nmechs; i++)
		mechs[i] = (int)config_param(cfg, "mechs")->list[i];
	if (check_mem(mem))
		return 2;
	drop_unavailable(mechs, &nmechs);
	if (bench_init(&res, cfg, &b))
		return 1;
	for (size_t i = 0; i < mem->n; i++)
		for (size_t j = 0; j < nmechs; j++) {
			struct bench_conf *k = bench_add(
				&res, mech_model(mechs[j]), 1,
				config_param(cfg, "iterations")->u,
				mem->sizes[i]);

			if (!k) {
				bench_free(&res);
				return 1;
			}
			bench_key(k, 0, "%s", mech_name(mechs[j]));
			bench_key(k, 1, "%llu", (unsigned long long)
				  (mem->sizes[i] / 1024));
			k->arg = (void *)(intptr_t)mechs[j];
			k->batch = IS_PY(mechs[j]);
		}
	rc = bench_run(&res);
	ballast_drop(&ctx);
	bench_free(&res);
	return rc;
}

static const struct param spawn_params[] = {
	{ "mechs", PARAM_CHOICES, "fork,vfork,posix_spawn,thread", 0, 0,
	  SPAWN_MECH_CHOICES "|py-fork|py-forkserver|py-spawn|py-thread",
	  "mechanisms to time: fork, vfork, posix_spawn, thread; py-fork, "
	  "py-forkserver, py-spawn, py-thread in Python" },
	{ "iterations", PARAM_COUNT, "500", 1, 1000000, NULL,
	  "round trips per measured run, at most" },
	{ "run-time", PARAM_DURATION, "0.2s", 0.001, 60, NULL,
	  "fewer round trips per run when they would take longer (at least "
	  "5)" },
	{ "parent-mem", PARAM_SIZE_LIST, "0,64MiB,256MiB,1GiB", 0,
	  1099511627776.0, NULL,
	  "the parent's touched memory, swept: sizes like 0,64MiB,1GiB "
	  "(at most half the machine's memory)" },
	{ NULL, 0, NULL, 0, 0, NULL, NULL },
};

static const char *const spawn_quick[] = {
	"--parent-mem", "0,64MiB", "--iterations", "100", "--run-time",
	"50ms", "--repeat", "3", NULL,
};

const struct scenario scenario_spawn = {
	.name = "spawn",
	.summary = "creation cost: fork, vfork, posix_spawn and "
		   "pthread_create, and fork vs the parent's memory",
	.lesson = "Creating a process costs more than creating a thread, and "
		  "fork() costs more the more memory the parent has touched: "
		  "it copies the parent's page tables (the pages themselves "
		  "are shared copy-on-write). vfork and posix_spawn borrow "
		  "the parent's memory until the child execs or exits, and a "
		  "thread shares it, so neither grows.",
	.method = "Each mechanism starts a worker that does nothing and waits "
		  "for it: fork + _exit + waitpid; vfork + _exit + waitpid; "
		  "posix_spawn of the tiny pvt-nop program (dynamically "
		  "linked, so the loader is included) + waitpid; "
		  "pthread_create of an empty function + pthread_join. One "
		  "run times --iterations round trips in a row with "
		  "CLOCK_MONOTONIC (fewer, at least 5, where a short probe "
		  "says they would take over --run-time); an empty loop with "
		  "the same clock calls is timed after it and subtracted "
		  "(lmbench's method). Before each --parent-mem size, the "
		  "parent maps that much private memory in 4 KiB pages (huge "
		  "pages refused) and writes every page. The median of "
		  "--repeat runs is the figure, after --warmup discarded "
		  "runs. py-fork, py-forkserver, py-spawn, py-thread: "
		  "scenarios/python/start.py times "
		  "multiprocessing.get_context(METHOD).Process(target=nothing) "
		  "started and joined (exit code checked), or threading.Thread, "
		  "the same way, in a Python parent that holds --parent-mem "
		  "itself; the forkserver is started by the warm-up.",
	.uses = USE_REPEAT,
	.tasks = 1,
	.size = 1,
	.python = "start.py",
	.params = spawn_params,
	.quick = spawn_quick,
	.run = spawn_run_scenario,
	.check = spawn_check,
};

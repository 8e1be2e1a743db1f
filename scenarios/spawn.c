/* spawn.c - what creating a worker costs: fork, vfork, posix_spawn, threads
 *
 * Each mechanism starts a worker that does nothing and waits for it,
 * --iterations times in a row; the loop's time over the iterations is one
 * measurement, less the timing loop's own cost (lmbench's method). The
 * same is measured while the parent holds --parent-mem of touched memory:
 * fork copies the parent's page tables, so it grows with them; vfork and
 * posix_spawn borrow the parent's memory and a thread shares it, so they
 * do not. The mechanisms live in the engine (spawn_cost.h).
 *
 * py-fork, py-forkserver, py-spawn and py-thread: the interpreter runs
 * scenarios/python/start.py, which times multiprocessing.Process from
 * get_context(METHOD) or threading.Thread the same way, in a Python
 * parent that holds --parent-mem itself (pvt's own is freed first).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "output/csv.h"
#include "measure/measure.h"
#include "measure/procmem.h"
#include "output/progress.h"
#include "face/scenario.h"
#include "engine/spawn_cost.h"
#include "measure/sweep.h"
#include "python/python.h"

/* The engine's mechanisms, then Python's (start.py). */
enum { PY_FORK = SPAWN_MECH_COUNT, PY_FORKSERVER, PY_SPAWN, PY_THREAD,
       MECH_COUNT };

static const char *const py_mechs[] = {
	"py-fork", "py-forkserver", "py-spawn", "py-thread",
};

#define IS_PY(m) ((m) >= SPAWN_MECH_COUNT)

/* One measured batch of --iterations round trips. */
struct spawn_run {
	struct run_stats st;	/* wall_s: the batch; user/sys: rusage */
	double us;		/* per round trip, overhead subtracted */
	double overhead_us;	/* the timing loop's, per iteration */
	int ok;
};

/* One configuration: a mechanism at a parent memory size. */
struct spawn_point {
	int mech;		/* enum spawn_mech, or PY_* */
	uint64_t mem;
	struct spawn_run *runs;	/* cfg->repeat of them */
	unsigned nruns;
	unsigned iterations;	/* round trips per run */
	long maps;		/* regions pvt maps, with the memory */
	struct stats us, wall;	/* over the ok runs */
	double overhead_us;	/* median */
	unsigned ok_runs;
};

static const char *mech_name(int m)
{
	return IS_PY(m) ? py_mechs[m - SPAWN_MECH_COUNT] :
	       spawn_mech_name((enum spawn_mech)m);
}

static int mech_parse(const char *s, int *m)
{
	enum spawn_mech e;

	for (int i = PY_FORK; i < MECH_COUNT; i++)
		if (!strcmp(s, py_mechs[i - SPAWN_MECH_COUNT])) {
			*m = i;
			return 0;
		}
	if (spawn_mech_parse(s, &e))
		return -1;
	*m = (int)e;
	return 0;
}

static enum model mech_model(int m)
{
	return m == SPAWN_THREAD ? MODEL_THREAD : m == PY_THREAD ?
	       MODEL_PY_THREAD : IS_PY(m) ? MODEL_PY_PROCESS : MODEL_PROCESS;
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

/* Parses --mechs into mechs[]; prints the usage error. */
static int parse_mechs(const char *s, int *mechs, size_t *n)
{
	const char *p = s;

	*n = 0;
	for (;;) {
		size_t len = strcspn(p, ","), i;
		char tok[32];
		int m;

		if (len >= sizeof(tok))
			len = sizeof(tok) - 1;
		memcpy(tok, p, len);
		tok[len] = 0;
		if (mech_parse(tok, &m)) {
			fprintf(stderr, "pvt: spawn: --mechs: unknown "
				"mechanism '%s' (accepted: a list of fork, "
				"vfork, posix_spawn, thread, py-fork, "
				"py-forkserver, py-spawn, py-thread)\n", tok);
			return 2;
		}
		for (i = 0; i < *n && mechs[i] != m; i++)
			;
		if (i == *n)
			mechs[(*n)++] = m;
		p += strcspn(p, ",");
		if (!*p++)
			return 0;
	}
}

/* One batch: the round trips, the overhead, the CPU time they took. */
static void measure_batch(enum spawn_mech m, unsigned iterations,
			  struct spawn_run *run)
{
	struct rusage s0, c0, s1, c1;
	char why[256];
	double raw;

	memset(run, 0, sizeof(*run));
	getrusage(RUSAGE_SELF, &s0);
	getrusage(RUSAGE_CHILDREN, &c0);
	if (spawn_roundtrip(m, iterations, &raw, why, sizeof(why))) {
		fprintf(stderr, "pvt: spawn: %s: %s\n", spawn_mech_name(m),
			why);
		run->st.failed = 1;
		run->st.wall_s = NAN;
		snprintf(run->st.why, sizeof(run->st.why), "%s", why);
		return;
	}
	getrusage(RUSAGE_SELF, &s1);
	getrusage(RUSAGE_CHILDREN, &c1);
	run->overhead_us = spawn_loop_overhead_us(iterations);
	run->us = raw - run->overhead_us;
	run->st.wall_s = raw * 1e-6 * iterations;
	run->st.user_s = measure_tv(&s1.ru_utime) - measure_tv(&s0.ru_utime) +
			 measure_tv(&c1.ru_utime) - measure_tv(&c0.ru_utime);
	run->st.sys_s = measure_tv(&s1.ru_stime) - measure_tv(&s0.ru_stime) +
			measure_tv(&c1.ru_stime) - measure_tv(&c0.ru_stime);
	run->st.max_rss_kib = s1.ru_maxrss;
	run->ok = isfinite(run->us) && run->us > 0;
}

/* Round trips per run for p: --iterations, or as many as fit in
 * --run-time by a short probe, whichever is fewer; at least 5. */
static unsigned pick_iterations(const struct config *cfg,
				const struct spawn_point *p)
{
	unsigned most = (unsigned)config_param(cfg, "iterations")->u;
	double budget = config_param(cfg, "run-time")->d, us, fit;
	char why[256];

	/* the first round trip after a change of memory is the slowest */
	if (spawn_roundtrip(p->mech, 1, &us, why, sizeof(why)) ||
	    spawn_roundtrip(p->mech, most < 3 ? most : 3, &us, why,
			    sizeof(why)))
		return most;	/* the runs will say why */
	fit = budget * 1e6 / us;
	if (fit >= most)
		return most;
	return fit < 5 ? (most < 5 ? most : 5) : (unsigned)fit;
}

/* The statistics of p's ok runs. Returns 0, or -1 out of memory. */
static int summarise_point(struct spawn_point *p)
{
	double *us = calloc(p->nruns + 1, sizeof(*us));
	double *wall = calloc(p->nruns + 1, sizeof(*wall));
	double *ovh = calloc(p->nruns + 1, sizeof(*ovh));
	int rc = us && wall && ovh ? 0 : -1;

	p->ok_runs = 0;
	for (unsigned i = 0; !rc && i < p->nruns; i++) {
		if (!p->runs[i].ok)
			continue;
		us[p->ok_runs] = p->runs[i].us;
		wall[p->ok_runs] = p->runs[i].st.wall_s;
		ovh[p->ok_runs] = p->runs[i].overhead_us;
		p->ok_runs++;
	}
	if (!rc && p->ok_runs) {
		struct stats o;

		measure_stats(us, p->ok_runs, &p->us);
		measure_stats(wall, p->ok_runs, &p->wall);
		measure_stats(ovh, p->ok_runs, &o);
		p->overhead_us = o.median;
	}
	free(us);
	free(wall);
	free(ovh);
	return rc;
}

/* A Python mechanism: start.py runs the warm-ups and runs in a parent
 * of its own that holds p->mem. Returns 0, or -1 when it failed. */
static int measure_py_point(const struct config *cfg, struct spawn_point *p)
{
	static const char *const method[] = { "fork", "forkserver", "spawn",
					      "thread" };
	char it[32], rt[32], mem[32], rep[16], wu[16], line[1024], why[512];
	const char *args[] = {
		"--method", method[p->mech - PY_FORK], "--iterations", it,
		"--run-time", rt, "--parent-mem", mem, "--repeat", rep,
		"--warmup", wu, NULL,
	};
	struct py_proc *py;
	int r, bad = 0;

	snprintf(it, sizeof(it), "%llu", (unsigned long long)
		 config_param(cfg, "iterations")->u);
	snprintf(rt, sizeof(rt), "%g", config_param(cfg, "run-time")->d);
	snprintf(mem, sizeof(mem), "%llu", (unsigned long long)p->mem);
	snprintf(rep, sizeof(rep), "%u", cfg->repeat);
	snprintf(wu, sizeof(wu), "%u", cfg->warmup);
	if (python_open("start.py", args, &py, why, sizeof(why)))
		goto failed;
	while ((r = python_line(py, line, sizeof(line))) > 0 &&
	       p->nruns < cfg->repeat) {
		struct spawn_run *run = &p->runs[p->nruns];
		double n, us, ovh, user, sys, ok;

		if (python_field(line, "iterations", &n) ||
		    python_field(line, "us", &us) ||
		    python_field(line, "overhead_us", &ovh) ||
		    python_field(line, "user_s", &user) ||
		    python_field(line, "sys_s", &sys) ||
		    python_field(line, "ok", &ok) || n < 1) {
			snprintf(why, sizeof(why), "start.py printed a row "
				 "pvt cannot use: %.200s", line);
			bad = 1;
			break;
		}
		memset(run, 0, sizeof(*run));
		p->iterations = (unsigned)n;
		run->us = us;
		run->overhead_us = ovh;
		run->st.wall_s = (us + ovh) * 1e-6 * n;
		run->st.user_s = user;
		run->st.sys_s = sys;
		run->st.max_rss_kib = -1;
		run->ok = ok == 1 && us > 0;
		run->st.failed = !run->ok;
		p->nruns++;
	}
	if (python_close(py, NULL, bad ? line : why, bad ? sizeof(line) :
			 sizeof(why)) || bad)
		goto failed;
	if (p->nruns == cfg->repeat)
		return summarise_point(p);
	snprintf(why, sizeof(why), "start.py printed %u rows, not %u",
		 p->nruns, cfg->repeat);
failed:
	if (!workers_stopped())
		fprintf(stderr, "pvt: spawn: %s: %s\n", mech_name(p->mech),
			why);
	summarise_point(p);
	return -1;
}

/* Measures every run of point p (warm-ups discarded). Returns 0, or -1
 * when a run failed. */
static int measure_point(const struct config *cfg, struct spawn_point *p,
			 size_t at, size_t of)
{
	char mem[32];
	int rc = 0;

	size_text(mem, sizeof(mem), p->mem);
	p->maps = procmem_maps(0);
	if (IS_PY(p->mech)) {
		progress("spawn: %s, parent %s, in Python  [%zu/%zu]",
			 mech_name(p->mech), mem, at + 1, of);
		p->maps = -1;	/* Python's, not pvt's */
		return measure_py_point(cfg, p);
	}
	progress("spawn: %s, parent %s, probe  [%zu/%zu]",
		 mech_name(p->mech), mem, at + 1, of);
	p->iterations = pick_iterations(cfg, p);
	for (unsigned i = 0; i < cfg->warmup + cfg->repeat &&
	     !workers_stopped(); i++) {
		int warm = i < cfg->warmup;
		struct spawn_run run;

		progress("spawn: %s, parent %s, %s %u/%u  [%zu/%zu]",
			 mech_name(p->mech), mem,
			 warm ? "warm-up" : "run",
			 warm ? i + 1 : i - cfg->warmup + 1,
			 warm ? cfg->warmup : cfg->repeat, at + 1, of);
		measure_batch(p->mech, p->iterations, &run);
		if (!run.ok)
			rc = -1;
		if (!warm)
			p->runs[p->nruns++] = run;
	}
	if (summarise_point(p)) {
		fprintf(stderr, "pvt: spawn: out of memory\n");
		rc = -1;
	}
	return rc;
}

/* The point of mechanism m at memory mem, when it has a median. */
static const struct spawn_point *find(const struct spawn_point *pts,
				      size_t n, int m, uint64_t mem)
{
	for (size_t i = 0; i < n; i++)
		if (pts[i].mech == m && pts[i].mem == mem && pts[i].ok_runs)
			return &pts[i];
	return NULL;
}

static void write_meta(const struct config *cfg, struct csv *c)
{
	config_meta(cfg, c);
	if (workers_stopped())
		csv_meta(c, "interrupted", "yes");
}

static int write_csv(const struct config *cfg, const struct spawn_point *pts,
		     size_t n)
{
	struct csv c;

	if (csv_open(&c, cfg->out, "spawn.csv"))
		return -1;
	write_meta(cfg, &c);
	csv_header(&c, SWEEP_RAW_COLS ",mech,parent_mem_kib,parent_maps,"
		   "iterations,us_per_op,overhead_us");
	for (size_t i = 0; i < n; i++) {
		const struct spawn_point *p = &pts[i];

		for (unsigned r = 0; r < p->nruns; r++) {
			const struct spawn_run *run = &p->runs[r];

			sweep_common_fields(&c, "spawn", mech_model(p->mech),
					    1, p->iterations, p->mem, r + 1,
					    &run->st, run->ok);
			csv_str(&c, mech_name(p->mech));
			csv_num(&c, (double)p->mem / 1024);
			csv_num(&c, p->maps > 0 ? (double)p->maps : NAN);
			csv_int(&c, p->iterations);
			csv_num(&c, run->ok ? run->us : NAN);
			csv_num(&c, run->ok ? run->overhead_us : NAN);
			csv_end_row(&c);
		}
	}
	if (csv_commit(&c))
		return -1;

	if (csv_open(&c, cfg->out, "spawn.summary.csv"))
		return -1;
	write_meta(cfg, &c);
	csv_header(&c, SWEEP_SUMMARY_COLS ",mech,parent_mem_kib,parent_maps,"
		   "iterations,median_us,min_us,max_us,mean_us,stddev_us,"
		   "ci95_us,overhead_us,growth");
	for (size_t i = 0; i < n; i++) {
		const struct spawn_point *p = &pts[i], *base;
		int have = p->ok_runs > 0, many = p->ok_runs > 1;

		if (!p->nruns)
			continue;
		/* the same mechanism at the smallest memory swept */
		base = NULL;
		for (size_t j = 0; j < n; j++)
			if (pts[j].mech == p->mech && pts[j].ok_runs &&
			    (!base || pts[j].mem < base->mem))
				base = &pts[j];
		sweep_summary_fields(&c, "spawn", mech_model(p->mech), 1,
				     p->iterations, p->mem,
				     have ? &p->wall : NULL, NAN, NAN,
				     have && p->ok_runs == p->nruns);
		csv_str(&c, mech_name(p->mech));
		csv_num(&c, (double)p->mem / 1024);
		csv_num(&c, p->maps > 0 ? (double)p->maps : NAN);
		csv_int(&c, p->iterations);
		csv_num(&c, have ? p->us.median : NAN);
		csv_num(&c, have ? p->us.min : NAN);
		csv_num(&c, have ? p->us.max : NAN);
		csv_num(&c, have ? p->us.mean : NAN);
		csv_num(&c, many ? p->us.stddev : NAN);
		csv_num(&c, many ? p->us.ci95 : NAN);
		csv_num(&c, have ? p->overhead_us : NAN);
		csv_num(&c, have && base ? p->us.median / base->us.median :
			NAN);
		csv_end_row(&c);
	}
	return csv_commit(&c);
}

/* The table of mechs[0..nmechs) by parent memory; returns whether a
 * cell was noisy. */
static int table(const struct config *cfg, const struct spawn_point *pts,
		 size_t n, const int *mechs, size_t nmechs)
{
	const struct param_value *mem = config_param(cfg, "parent-mem");
	int noisy = 0;

	if (!nmechs)
		return 0;
	printf("  %-14s", "parent memory");
	for (size_t j = 0; j < nmechs; j++)
		printf(" %15s", mech_name(mechs[j]));
	printf("\n");
	for (size_t i = 0; i < mem->n; i++) {
		char text[32];

		size_text(text, sizeof(text), mem->sizes[i]);
		printf("  %-14s", text);
		for (size_t j = 0; j < nmechs; j++) {
			const struct spawn_point *p = find(pts, n, mechs[j],
							   mem->sizes[i]);

			if (!p) {
				printf(" %15s", "-");
				continue;
			}
			noisy |= p->us.noisy;
			printf(" %8.1f ±%3.0f%%%s", p->us.median,
			       100 * p->us.spread, p->us.noisy ? "*" : " ");
		}
		printf("\n");
	}
	return noisy;
}

static void narrate(const struct config *cfg, const struct spawn_point *pts,
		    size_t n, const int *mechs, size_t nmechs)
{
	unsigned lo = UINT32_MAX, hi = 0;
	double ovh = 0;
	int noisy = 0;
	size_t nc = 0;
	char interp[512];

	for (size_t i = 0; i < n; i++) {
		if (!pts[i].ok_runs)
			continue;
		if (pts[i].overhead_us > ovh)
			ovh = pts[i].overhead_us;
		lo = pts[i].iterations < lo ? pts[i].iterations : lo;
		hi = pts[i].iterations > hi ? pts[i].iterations : hi;
	}
	printf("\nspawn: start a worker that does nothing and wait for it; "
	       "µs per round trip,\n  median of %u runs of %u to %u round "
	       "trips, the timing loop's %.4f µs\n  subtracted; ± is "
	       "(max - min) / median\n", cfg->repeat, lo, hi, ovh);
	while (nc < nmechs && !IS_PY(mechs[nc]))
		nc++;	/* the C mechanisms come first */
	noisy |= table(cfg, pts, n, mechs, nc);
	if (n && pts[0].maps > 0 && !IS_PY(pts[0].mech))
		printf("  pvt maps %ld memory regions (its shared libraries "
		       "among them) and fork copies\n  the page tables of "
		       "each: a program that maps less forks faster\n",
		       pts[0].maps);
	if (nc < nmechs) {
		python_describe(interp, sizeof(interp));
		printf("\n  in Python, %s; the parent memory is the Python "
		       "parent's:\n", interp);
		noisy |= table(cfg, pts, n, mechs + nc, nmechs - nc);
	}
	if (noisy)
		printf("  * noisy: the runs spread over %.0f%% of the median; "
		       "close other programs or raise --iterations\n",
		       100 * MEASURE_NOISY);
}

/* Python's figures at the smallest parent memory swept. */
static void python_lesson(const struct spawn_point *pts, size_t n)
{
	const struct spawn_point *py[4] = { NULL };
	static const char *const what[] = { "fork", "forkserver", "spawn",
					    "a thread" };
	int any = 0;

	for (size_t i = 0; i < n; i++) {
		const struct spawn_point **q;

		if (!IS_PY(pts[i].mech) || !pts[i].ok_runs)
			continue;
		q = &py[pts[i].mech - PY_FORK];
		if (!*q || pts[i].mem < (*q)->mem)
			*q = &pts[i];
	}
	for (int i = 0; i < 4; i++) {
		if (!py[i])
			continue;
		printf("%s %s %.0f µs", any ? "," : "  In Python, starting and "
		       "joining one worker takes:", what[i],
		       py[i]->us.median);
		any = 1;
	}
	if (!any)
		return;
	if (py[0] && py[2])
		printf(" (spawn starts a fresh interpreter: %.0fx fork)",
		       py[2]->us.median / py[0]->us.median);
	printf(".\n  Since Python 3.14 the default start method on Linux is "
	       "forkserver, so a bare\n  Process() no longer forks: "
	       "multiprocessing.get_context(\"fork\") says so.\n");
}

/* The lesson with the measured figures: fork's growth over the memory
 * swept, and fork against a thread. */
static void lesson(const struct config *cfg, const struct spawn_point *pts,
		   size_t n)
{
	const struct spawn_point *f0 = NULL, *f1 = NULL, *t0 = NULL, *t1 = NULL;
	char lo[32], hi[32];

	for (size_t i = 0; i < n; i++) {
		const struct spawn_point *p = &pts[i];
		const struct spawn_point **first, **last;

		if (!p->ok_runs || (p->mech != SPAWN_FORK &&
				    p->mech != SPAWN_THREAD))
			continue;
		first = p->mech == SPAWN_FORK ? &f0 : &t0;
		last = p->mech == SPAWN_FORK ? &f1 : &t1;
		if (!*first || p->mem < (*first)->mem)
			*first = p;
		if (!*last || p->mem > (*last)->mem)
			*last = p;
	}
	printf("\n  Lesson:");
	if (f0 && f1 != f0) {
		size_text(lo, sizeof(lo), f0->mem);
		size_text(hi, sizeof(hi), f1->mem);
		printf(" fork takes %.0f µs with %s of parent memory and "
		       "%.0f µs with %s (x%.1f: it copies page tables);",
		       f0->us.median,
		       lo, f1->us.median, hi, f1->us.median / f0->us.median);
	}
	if (t0 && t1 != t0)
		printf(" a thread takes %.1f to %.1f µs whatever the size",
		       t0->us.median < t1->us.median ? t0->us.median :
		       t1->us.median, t0->us.median < t1->us.median ?
		       t1->us.median : t0->us.median);
	else if (t0)
		printf(" a thread takes %.1f µs", t0->us.median);
	if (f0 && t0 && f0->mem == t0->mem)
		printf(", %.0fx less than fork", f0->us.median / t0->us.median);
	if (!f0 && !t0)
		printf(" %s", cfg->sc->lesson);
	printf(".\n");
	python_lesson(pts, n);
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

static int spawn_run_scenario(const struct config *cfg)
{
	const struct param_value *mem = config_param(cfg, "parent-mem");
	uint64_t phys = (uint64_t)sysconf(_SC_PHYS_PAGES) *
			(uint64_t)sysconf(_SC_PAGESIZE);
	int mechs[MECH_COUNT];
	struct spawn_point *pts;
	size_t nmechs, n = 0, nc;
	char path[4096], why[512];
	int failed = 0, rc = 0, written;

	if (parse_mechs(config_param(cfg, "mechs")->s, mechs, &nmechs))
		return 2;
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
	for (size_t j = 0; j < nmechs; j++) {
		if (mechs[j] != SPAWN_POSIX_SPAWN ||
		    !spawn_helper_path(path, sizeof(path)))
			continue;
		printf("  posix_spawn: skipped: %s: %s (pvt-nop is built next "
		       "to pvt)\n", path, strerror(errno));
		memmove(&mechs[j], &mechs[j + 1],
			(nmechs - j - 1) * sizeof(*mechs));
		nmechs--;
		break;
	}
	nc = c_first(mechs, nmechs);
	if (nc < nmechs && python_find(why, sizeof(why))) {
		printf("  py-*: skipped: %s\n", why);
		nmechs = nc;
	}
	pts = calloc(mem->n * nmechs + 1, sizeof(*pts));
	for (size_t i = 0; pts && i < mem->n * nmechs; i++)
		if (!(pts[i].runs = calloc(cfg->repeat, sizeof(*pts[i].runs))))
			goto out_nomem;
	if (!pts)
		goto out_nomem;

	for (size_t i = 0; i < mem->n && !workers_stopped(); i++) {
		void *ballast = spawn_ballast_alloc(mem->sizes[i]);
		char text[32];

		size_text(text, sizeof(text), mem->sizes[i]);
		if (!ballast) {
			fprintf(stderr, "pvt: spawn: mmap %s of parent memory: "
				"%s\n", text, strerror(errno));
			failed = 1;
			continue;
		}
		for (size_t j = 0; j < nmechs && !workers_stopped(); j++) {
			struct spawn_point *p = &pts[n++];

			if (j == nc)	/* Python's parent holds its own */
				spawn_ballast_free(ballast, mem->sizes[i]);
			p->mech = mechs[j];
			p->mem = mem->sizes[i];
			if (measure_point(cfg, p, n - 1, mem->n * nmechs))
				failed = 1;
		}
		if (nc == nmechs || workers_stopped())
			spawn_ballast_free(ballast, mem->sizes[i]);
	}
	progress_clear();
	written = n && !write_csv(cfg, pts, n);
	if (n && !written) {
		fprintf(stderr, "pvt: spawn: cannot write the CSV in '%s': "
			"%s\n", cfg->out, strerror(errno));
		failed = 1;
	}
	if (!cfg->quiet && n) {
		narrate(cfg, pts, n, mechs, nmechs);
		lesson(cfg, pts, n);
	}
	if (written)
		printf("  wrote %s/spawn.csv and %s/spawn.summary.csv%s\n",
		       cfg->out, cfg->out,
		       workers_stopped() ? " (interrupted: partial)" : "");
	rc = workers_stopped() ? 128 + cli_interrupted() : failed;
	goto out;
out_nomem:
	fprintf(stderr, "pvt: spawn: out of memory\n");
	rc = 1;
out:
	for (size_t i = 0; pts && i < mem->n * nmechs; i++)
		free(pts[i].runs);
	free(pts);
	return rc;
}

static const struct param spawn_params[] = {
	{ "mechs", PARAM_STRING, "fork,vfork,posix_spawn,thread", 0, 0, NULL,
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
		  "runs.",
	.uses = USE_REPEAT,
	.tasks = 1,
	.size = 1,
	.python = "start.py",
	.params = spawn_params,
	.quick = spawn_quick,
	.run = spawn_run_scenario,
};

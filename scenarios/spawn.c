/* spawn.c - what creating a worker costs: fork, vfork, posix_spawn, threads
 *
 * Each mechanism starts a worker that does nothing and waits for it,
 * --iterations times in a row; the loop's time over the iterations is one
 * measurement, less the timing loop's own cost (lmbench's method). The
 * same is measured while the parent holds --parent-mem of touched memory:
 * fork copies the parent's page tables, so it grows with them; vfork and
 * posix_spawn borrow the parent's memory and a thread shares it, so they
 * do not. The mechanisms live in the engine (spawn_cost.h).
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
#include "measure/bench.h"

/* One measured batch of --iterations round trips. */
struct spawn_run {
	struct run_stats st;	/* wall_s: the batch; user/sys: rusage */
	double us;		/* per round trip, overhead subtracted */
	double overhead_us;	/* the timing loop's, per iteration */
	int ok;
};

/* One configuration: a mechanism at a parent memory size. */
struct spawn_point {
	enum spawn_mech mech;
	uint64_t mem;
	struct spawn_run *runs;	/* cfg->repeat of them */
	unsigned nruns;
	unsigned iterations;	/* round trips per run */
	long maps;		/* regions pvt maps, with the memory */
	struct stats us, wall;	/* over the ok runs */
	double overhead_us;	/* median */
	unsigned ok_runs;
};

static enum model mech_model(enum spawn_mech m)
{
	return m == SPAWN_THREAD ? MODEL_THREAD : MODEL_PROCESS;
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

/* One batch: the round trips, the overhead, the CPU time they took. */
static void measure_batch(enum spawn_mech m, unsigned iterations,
			  struct spawn_run *run)
{
	struct rusage s0, c0, s1, c1;
	char why[256];
	double raw;
	int ru;		/* 0: CPU times and RSS known */

	memset(run, 0, sizeof(*run));
	ru = getrusage(RUSAGE_SELF, &s0) | getrusage(RUSAGE_CHILDREN, &c0);
	if (spawn_roundtrip(m, iterations, &raw, why, sizeof(why))) {
		fprintf(stderr, "pvt: spawn: %s: %s\n", spawn_mech_name(m),
			why);
		run->st.failed = 1;
		run->st.wall_s = NAN;
		snprintf(run->st.why, sizeof(run->st.why), "%s", why);
		return;
	}
	ru |= getrusage(RUSAGE_SELF, &s1) | getrusage(RUSAGE_CHILDREN, &c1);
	run->overhead_us = spawn_loop_overhead_us(iterations);
	run->us = raw - run->overhead_us;
	run->st.wall_s = raw * 1e-6 * iterations;
	run->st.user_s = measure_tv(&s1.ru_utime) - measure_tv(&s0.ru_utime) +
			 measure_tv(&c1.ru_utime) - measure_tv(&c0.ru_utime);
	run->st.sys_s = measure_tv(&s1.ru_stime) - measure_tv(&s0.ru_stime) +
			measure_tv(&c1.ru_stime) - measure_tv(&c0.ru_stime);
	run->st.max_rss_kib = s1.ru_maxrss;
	if (ru) {		/* the kernel could not say: empty cells */
		run->st.user_s = run->st.sys_s = NAN;
		run->st.max_rss_kib = -1;
	}
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

/* Measures every run of point p (warm-ups discarded). Returns 0, or -1
 * when a run failed. */
static int measure_point(const struct config *cfg, struct spawn_point *p,
			 size_t at, size_t of)
{
	double *us = calloc(cfg->repeat, sizeof(*us));
	double *wall = calloc(cfg->repeat, sizeof(*wall));
	double *ovh = calloc(cfg->repeat, sizeof(*ovh));
	char mem[32];
	int rc = 0;

	size_text(mem, sizeof(mem), p->mem);
	progress("spawn: %s, parent %s, probe  [%zu/%zu]",
		 spawn_mech_name(p->mech), mem, at + 1, of);
	p->iterations = pick_iterations(cfg, p);
	p->maps = procmem_maps(0);
	for (unsigned i = 0; us && wall && ovh &&
	     i < cfg->warmup + cfg->repeat && !workers_stopped(); i++) {
		int warm = i < cfg->warmup;
		struct spawn_run run;

		progress("spawn: %s, parent %s, %s %u/%u  [%zu/%zu]",
			 spawn_mech_name(p->mech), mem,
			 warm ? "warm-up" : "run",
			 warm ? i + 1 : i - cfg->warmup + 1,
			 warm ? cfg->warmup : cfg->repeat, at + 1, of);
		measure_batch(p->mech, p->iterations, &run);
		if (!run.ok)
			rc = -1;
		if (warm)
			continue;
		p->runs[p->nruns++] = run;
		if (!run.ok)
			continue;
		us[p->ok_runs] = run.us;
		wall[p->ok_runs] = run.st.wall_s;
		ovh[p->ok_runs] = run.overhead_us;
		p->ok_runs++;
	}
	if (!us || !wall || !ovh) {
		fprintf(stderr, "pvt: spawn: out of memory\n");
		rc = -1;
	} else if (p->ok_runs) {
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

/* The point of mechanism m at memory mem, when it has a median. */
static const struct spawn_point *find(const struct spawn_point *pts,
				      size_t n, enum spawn_mech m, uint64_t mem)
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
	csv_header(&c, BENCH_RAW_COLS ",mech,parent_mem_kib,parent_maps,"
		   "iterations,us_per_op,overhead_us");
	for (size_t i = 0; i < n; i++) {
		const struct spawn_point *p = &pts[i];

		for (unsigned r = 0; r < p->nruns; r++) {
			const struct spawn_run *run = &p->runs[r];

			bench_raw_common(&c, "spawn", mech_model(p->mech),
					    1, p->iterations, p->mem, r + 1,
					    &run->st, run->ok);
			csv_str(&c, spawn_mech_name(p->mech));
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
	csv_header(&c, BENCH_SUMMARY_COLS ",mech,parent_mem_kib,parent_maps,"
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
		bench_summary_common(&c, "spawn", mech_model(p->mech), 1,
				     p->iterations, p->mem,
				     have ? &p->wall : NULL, NAN, NAN,
				     have && p->ok_runs == p->nruns);
		csv_str(&c, spawn_mech_name(p->mech));
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

static void narrate(const struct config *cfg, const struct spawn_point *pts,
		    size_t n, const enum spawn_mech *mechs, size_t nmechs)
{
	const struct param_value *mem = config_param(cfg, "parent-mem");
	unsigned lo = UINT32_MAX, hi = 0;
	double ovh = 0;
	int noisy = 0;

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
	printf("  %-14s", "parent memory");
	for (size_t j = 0; j < nmechs; j++)
		printf(" %15s", spawn_mech_name(mechs[j]));
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
	config_image_say(cfg);
	if (noisy)
		printf("  * noisy: the runs spread over %.0f%% of the median; "
		       "close other programs or raise --iterations\n",
		       100 * MEASURE_NOISY);
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
}

static int spawn_run_scenario(const struct config *cfg)
{
	const struct param_value *mem = config_param(cfg, "parent-mem");
	uint64_t phys = (uint64_t)sysconf(_SC_PHYS_PAGES) *
			(uint64_t)sysconf(_SC_PAGESIZE);
	enum spawn_mech mechs[SPAWN_MECH_COUNT];
	struct spawn_point *pts;
	size_t nmechs, n = 0;
	char path[4096];
	int failed = 0, rc = 0, written;

	nmechs = config_param(cfg, "mechs")->n;
	for (size_t i = 0; i < nmechs; i++)
		mechs[i] = (enum spawn_mech)config_param(cfg, "mechs")->list[i];
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
		printf("  posix_spawn: skipped: %s: %s (pvt-nop: built beside "
		       "pvt, installed in libexec/pvt/)\n", path,
		       strerror(errno));
		memmove(&mechs[j], &mechs[j + 1],
			(nmechs - j - 1) * sizeof(*mechs));
		nmechs--;
		break;
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

			p->mech = mechs[j];
			p->mem = mem->sizes[i];
			if (measure_point(cfg, p, n - 1, mem->n * nmechs))
				failed = 1;
		}
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
	if (written && !cfg->quiet)
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
	{ "mechs", PARAM_CHOICES, "fork,vfork,posix_spawn,thread", 0, 0,
	  SPAWN_MECH_CHOICES,
	  "mechanisms to time: fork, vfork, posix_spawn, thread" },
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
	.params = spawn_params,
	.quick = spawn_quick,
	.run = spawn_run_scenario,
};

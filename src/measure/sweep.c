/* sweep.c - one workload under every model and worker count, measured */
#define _POSIX_C_SOURCE 200809L
#include "measure/sweep.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output/csv.h"
#include "output/events.h"
#include "output/progress.h"
#include "python/python.h"
#include "mpi/launch.h"
#include "measure/sysinfo.h"
#include "engine/timeline.h"
#include "output/trace.h"

#define TIMELINE_COLS "scenario,model,workers,rep,worker,task,kind,start_s," \
		      "end_s"
#define TIMELINE_CAP (1 << 18)	/* events per recorded run */
#define PICTURE_COLS 64		/* characters per text timeline row */
#define PICTURE_ROWS 8		/* workers drawn; the chart has them all */

/* The figures of every row before the workload's extra_cols: then
 * four of the mpi models' (the ranks' layout and mpirun's start-up) and
 * whether the py-* models' interpreter had a GIL. */
#define OWN_FIGURES "busy_s,gil_switches,hosts,ranks,threads_per_rank," \
		    "launch_s,python_gil"
enum { FIG_BUSY, FIG_GIL, FIG_HOSTS, FIG_RANKS, FIG_TPR, FIG_LAUNCH,
       FIG_PYTHON_GIL, FIG_EXTRA };

int (*sweep_rank_hook)(const struct config *cfg, const struct sweep *sw);

_Static_assert(MPI_MAX_EXTRA == SWEEP_MAX_EXTRA,
	       "a rank reports every figure of a workload's own");

/* --timeline: where the first measured run of each configuration is
 * recorded. */
struct recorder {
	struct timeline *tl;
	struct csv csv;
	int open;
};

static void record_row(struct recorder *rec, const struct config *cfg,
		       const struct bench_row *row, int worker, long task,
		       const char *kind, double start, double end)
{
	struct csv *c = &rec->csv;

	csv_str(c, cfg->sc->name);
	csv_str(c, model_name(row->conf->model));
	csv_int(c, row->conf->workers);
	csv_int(c, row->rep);
	csv_int(c, worker);
	if (task >= 0)
		csv_int(c, task);
	else
		csv_str(c, NULL);
	csv_str(c, kind);
	csv_num(c, start);
	csv_num(c, end);
	csv_end_row(c);
}

/* Writes the tasks (from the results) and the intervals the workers
 * recorded during the run of row. */
static void record_run(struct recorder *rec, const struct config *cfg,
		       const struct results *r, const struct bench_row *row)
{
	size_t kept = timeline_kept(rec->tl);

	for (size_t t = 0; t < r->tasks; t++) {
		const struct task_log *log = results_log(r, t);

		if (log->worker >= 0 && atomic_load(&log->state) >= TASK_DONE)
			record_row(rec, cfg, row, log->worker, (long)t, "task",
				   log->start_s, log->end_s);
	}
	for (size_t i = 0; i < kept; i++) {
		const struct tl_event *e = &rec->tl->ev[i];

		record_row(rec, cfg, row, e->worker, e->task,
			   timeline_kind_name(e->kind), e->start_s, e->end_s);
	}
	if (timeline_dropped(rec->tl))
		fprintf(stderr, "pvt: %s: timeline of %s x%u: %zu intervals "
			"beyond %d not kept\n", cfg->sc->name,
			model_name(row->conf->model), row->conf->workers,
			timeline_dropped(rec->tl), TIMELINE_CAP);
}

/* pvt live: a run as an event, with its workers' intervals when it was
 * recorded ([worker, kind, start_s, end_s], kind as enum tl_kind; the
 * first EVENT_LANES of them, so that a line stays small). */
#define EVENT_LANES 4096

static void send_lane(FILE *f, size_t *n, int worker, int kind, double a,
		      double b)
{
	if (*n < EVENT_LANES)
		fprintf(f, "%s[%d,%d,%.6f,%.6f]", *n ? "," : "", worker, kind,
			a, b);
	++*n;
}

static void send_run(const struct bench_row *row, int ok,
		     const struct results *r, const struct timeline *tl)
{
	FILE *f = events_open();
	size_t n = 0;

	if (!f)
		return;
	fprintf(f, "{\"t\":\"run\",\"model\":\"%s\",\"workers\":%u,"
		"\"rep\":%u,\"warm\":%d,\"wall_s\":%.6f,\"ok\":%d",
		model_name(row->conf->model), row->conf->workers, row->rep,
		row->rep == 0, row->st.wall_s, ok);
	if (tl) {
		fputs(",\"lanes\":[", f);
		for (size_t t = 0; t < r->tasks; t++) {
			const struct task_log *log = results_log(r, t);

			if (log->worker >= 0 &&
			    atomic_load(&log->state) >= TASK_DONE)
				send_lane(f, &n, log->worker, TL_TASK,
					  log->start_s, log->end_s);
		}
		for (size_t i = 0; i < timeline_kept(tl); i++)
			send_lane(f, &n, tl->ev[i].worker, tl->ev[i].kind,
				  tl->ev[i].start_s, tl->ev[i].end_s);
		fprintf(f, "],\"lanes_cut\":%zu",
			n > EVENT_LANES ? n - EVENT_LANES : 0);
	}
	fputc('}', f);
	events_send(f);
}

/* Adds how much of [a, b) falls in each column of one picture row. */
static void cover(double *col, double a, double b, double slice)
{
	for (int i = 0; i < PICTURE_COLS; i++) {
		double lo = i * slice, hi = lo + slice;
		double x = (a > lo ? a : lo), y = (b < hi ? b : hi);

		if (y > x)
			col[i] += y - x;
	}
}

/* A text timeline of the run of row: one line per worker, a character
 * per slice of the run: '#' computing, '-' waiting for the GIL, '~'
 * waiting on I/O, '.' idle. */
static char *picture(const struct recorder *rec, const struct results *r,
		     const struct bench_row *row)
{
	unsigned n = row->conf->model == MODEL_SEQUENTIAL ? 1 : row->conf->workers;
	unsigned more = n > PICTURE_ROWS ? n - PICTURE_ROWS : 0;
	double slice = row->st.wall_s / PICTURE_COLS;
	size_t len = (size_t)(n - more + 1) * (PICTURE_COLS + 40) + 1, off = 0;
	char *s = malloc(len);

	if (!s || slice <= 0) {
		free(s);
		return NULL;
	}
	for (unsigned w = 0; w < n - more; w++) {
		double task[PICTURE_COLS] = { 0 }, held[PICTURE_COLS] = { 0 };
		double wait[PICTURE_COLS] = { 0 };

		for (size_t t = 0; t < r->tasks; t++) {
			const struct task_log *log = results_log(r, t);

			if (log->worker == (int)w)
				cover(task, log->start_s, log->end_s, slice);
		}
		for (size_t i = 0; i < timeline_kept(rec->tl); i++) {
			const struct tl_event *e = &rec->tl->ev[i];

			/* a gil-wait is the '-' left when neither held */
			if (e->worker != (int)w || e->kind == TL_GIL_WAIT)
				continue;
			cover(e->kind == TL_WAIT ? wait : held, e->start_s,
			      e->end_s, slice);
		}
		off += (size_t)snprintf(s + off, len - off, "    w%-3u |", w);
		for (int i = 0; i < PICTURE_COLS; i++) {
			double busy = task[i] - wait[i];
			char ch = '.';

			if (row->conf->model == MODEL_GIL)
				busy = held[i] - wait[i] > 0 ? held[i] - wait[i] : 0;
			if (wait[i] > slice / 2)
				ch = '~';
			else if (busy > slice / 2)
				ch = '#';
			else if (task[i] - wait[i] > slice / 2)
				ch = '-';	/* in a task without the GIL */
			s[off++] = ch;
		}
		off += (size_t)snprintf(s + off, len - off, "|\n");
	}
	if (more)
		snprintf(s + off, len - off, "    ... and %u more worker(s): "
			 "see the timeline chart\n", more);
	return s;
}

/* The worker count whose timelines the narration draws, as the chart
 * (scripts/timeline.gnuplot) does: the core count when it was swept,
 * else the largest. */
static unsigned pictured_workers(const struct config *cfg)
{
	unsigned cores = (unsigned)sysinfo_cores(), most = 0;

	for (size_t i = 0; i < cfg->nworkers; i++) {
		if (cfg->workers[i] == cores)
			return cores;
		if (cfg->workers[i] > most)
			most = cfg->workers[i];
	}
	return most;
}

/* What the layer hands back to the sweep's callbacks. */
struct sweep_walk {
	const struct config *cfg;
	const struct sweep *sw;
	struct results r;
	struct recorder rec;
	struct bench_result *res;
	char **picture;		/* per configuration: a text timeline */
	double *picture_col_s;	/* the time one of its characters stands for */
};

/* One run of row->conf, verified. Returns 0 when it is good. */
static int sweep_once(void *ctx, struct bench_row *row)
{
	struct sweep_walk *wk = ctx;
	const struct sweep *sw = wk->sw;
	const struct config *cfg = wk->cfg;
	struct bench_conf *k = row->conf;
	int record = wk->rec.open && row->rep == 1;
	struct run_spec spec = {
		.model = k->model,
		.workers = k->workers,
		.tasks = cfg->tasks,
		.fn = sw->fn,
		.ctx = sw->ctx,
		.local_init = sw->local_init,
		.local_fini = sw->local_fini,
		.switch_interval_s = cfg->switch_interval_s,
		.cpus = cfg->cpus,
		.ncpus = cfg->ncpus,
		.timeline = record ? wk->rec.tl : NULL,
	};
	int rc;

	if (record)
		timeline_reset(wk->rec.tl);
	rc = workers_run(&spec, &wk->r, &row->st);
	row->fig[FIG_BUSY] = row->st.busy_s;
	if (k->model == MODEL_GIL)
		row->fig[FIG_GIL] = (double)row->st.gil_switches;
	if (sw->extra)
		sw->extra(sw->ctx, &wk->r, &row->st, row->fig + FIG_EXTRA);
	if (rc == 0 && sw->verify) {
		char why[256] = "";
		size_t wrong = sw->verify(sw->ctx, &wk->r, why, sizeof(why));

		if (wrong) {
			size_t n = strlen(row->st.why);

			snprintf(row->st.why + n, sizeof(row->st.why) - n,
				 "%s%zu wrong result(s): %s", n ? "; " : "",
				 wrong, why);
			row->st.failed += wrong;
			rc = -1;
		}
	}
	send_run(row, rc == 0, &wk->r, record && !row->st.interrupted ?
		 wk->rec.tl : NULL);
	if (record && !row->st.interrupted) {
		size_t c = (size_t)(k - wk->res->confs);

		record_run(&wk->rec, cfg, &wk->r, row);
		if (k->workers == pictured_workers(cfg) ||
		    k->model == MODEL_SEQUENTIAL) {
			wk->picture[c] = picture(&wk->rec, &wk->r, row);
			wk->picture_col_s[c] = row->st.wall_s / PICTURE_COLS;
		}
	}
	return rc;
}

/* A row measured by another program (python3, mpirun). */
static void fill_row(struct bench_row *row, unsigned rep, double wall_s,
		     double user_s, double sys_s, long max_rss_kib,
		     long failed)
{
	row->rep = rep;
	row->st.wall_s = wall_s;
	row->st.user_s = user_s;
	row->st.sys_s = sys_s;
	row->st.max_rss_kib = max_rss_kib;
	row->st.failed = (size_t)failed;
}

/* Fills the scenario's own figures that a py-* row counted ("name=n;
 * name=n", see pvtbench.py); the others stay empty. */
static void python_counts(const struct sweep *sw, const char *counts,
			  double *extra, size_t max)
{
	while (sw->extra_cols && *counts) {
		size_t len = strcspn(counts, "="), col = 0;
		const char *c = sw->extra_cols;

		while (*c && !(strncmp(c, counts, len) == 0 &&
			       (c[len] == ',' || !c[len]))) {
			c += strcspn(c, ",");
			c += *c == ',';
			col++;
		}
		if (*c && counts[len] == '=' && col < max)
			extra[col] = strtod(counts + len + 1, NULL);
		counts += strcspn(counts, ";");
		counts += *counts == ';';
	}
}

/* A py-* configuration: python3 runs its warm-ups and runs, and every
 * row's checksum is checked here again; failed tasks are counted by
 * cause where the workload says which (download). */
static int sweep_python(void *ctx, struct bench_conf *k,
			struct bench_row *rows, unsigned *n)
{
	struct sweep_walk *wk = ctx;
	const struct sweep *sw = wk->sw;
	const struct config *cfg = wk->cfg;
	struct py_row *py = calloc(k->repeat, sizeof(*py));
	uint64_t want = sw->python_checksum(sw->ctx, cfg->tasks, k->size);
	size_t got = 0;

	*n = 0;
	if (!py || python_run(sw->python, k->model, k->workers, cfg->tasks,
			      k->size, k->repeat, k->warmup, sw->python_args,
			      py, k->repeat, &got, rows[0].st.why,
			      sizeof(rows[0].st.why))) {
		if (!py)
			snprintf(rows[0].st.why, sizeof(rows[0].st.why),
				 "calloc: %s", strerror(errno));
		rows[0].st.failed = cfg->tasks;
		free(py);
		return -1;
	}
	for (size_t i = 0; i < got; i++) {
		struct bench_row *row = &rows[i];

		fill_row(row, py[i].rep, py[i].wall_s, py[i].user_s,
			 py[i].sys_s, py[i].max_rss_kib, py[i].failed);
		/* a free-threaded interpreter's py-thread rows say so */
		row->fig[FIG_PYTHON_GIL] = python_no_gil() ? 0 : 1;
		python_counts(sw, py[i].counts, row->fig + FIG_EXTRA,
			      BENCH_MAX_FIGURES - FIG_EXTRA);
		row->ok = py[i].ok && !py[i].failed && py[i].checksum == want;
		if (py[i].failed)
			snprintf(row->st.why, sizeof(row->st.why), "%ld task(s) "
				 "failed%s%s", py[i].failed,
				 *py[i].counts ? ": " : "", py[i].counts);
		else if (!row->ok)
			snprintf(row->st.why, sizeof(row->st.why), "%ld wrong "
				 "task(s), checksum %llu, expected %llu",
				 py[i].failed,
				 (unsigned long long)py[i].checksum,
				 (unsigned long long)want);
	}
	*n = (unsigned)got;
	free(py);
	return 0;
}

/* The ranks and threads per rank of an mpi configuration at k->workers
 * workers: mpi runs a rank per worker; mpi-thread ranks of
 * --threads-per-rank threads, as many as the workers fill (at least
 * one). */
static void mpi_layout(const struct config *cfg, const struct bench_conf *k,
		       unsigned *ranks, unsigned *threads)
{
	unsigned t = (unsigned)config_param(cfg, "threads-per-rank")->u;

	if (k->model == MODEL_MPI || k->workers <= t) {
		*ranks = k->model == MODEL_MPI ? k->workers : 1;
		*threads = k->model == MODEL_MPI ? 1 : k->workers;
		return;
	}
	*ranks = (k->workers + t - 1) / t;
	*threads = t;
}

/* The ranks' own options, into extra (NULL-ended, at most max - 1):
 * the scenario's as given ("--name value", a flag alone, the names
 * written into opt, which has room for max / 2), then the workload's
 * mpi_args. Returns 0, or -1 when they do not fit. */
static int mpi_extra(const struct config *cfg, const struct sweep *sw,
		     char **extra, size_t max, char (*opt)[80])
{
	size_t n = 0, o = 0;

	for (size_t i = 0; cfg->sc->params[i].name; i++) {
		const struct param *p = &cfg->sc->params[i];

		if (!cfg->pv[i].given)
			continue;
		if (n + 3 > max || o >= max / 2)
			return -1;
		snprintf(opt[o], sizeof(opt[o]), "--%s", p->name);
		extra[n++] = opt[o++];
		if (p->kind != PARAM_FLAG)
			extra[n++] = (char *)cfg->pv[i].s;
	}
	for (const char *const *a = sw->mpi_args; a && *a; a++) {
		if (n + 2 > max)
			return -1;
		extra[n++] = (char *)*a;
	}
	extra[n] = NULL;
	return 0;
}

static void mpi_job_of(const struct config *cfg, const struct bench_conf *k,
		       struct mpi_job *job, char **extra)
{
	const struct param_value *hf = config_param(cfg, "hostfile");

	*job = (struct mpi_job){
		.scenario = cfg->sc->name,
		.model = k ? k->model : MODEL_MPI,
		.hosts = (unsigned)config_param(cfg, "hosts")->u,
		.hostfile = hf->given ? hf->s : NULL,
		.tasks = cfg->tasks,
		.size = k ? k->size : cfg->size,
		.repeat = k ? k->repeat : cfg->repeat,
		.warmup = k ? k->warmup : cfg->warmup,
		.out = cfg->out,
		.extra = extra,
	};
	if (k)
		mpi_layout(cfg, k, &job->ranks, &job->threads);
}

int sweep_mpi_home(const struct config *cfg, char *addr, size_t len,
		   char *why, size_t why_len)
{
	struct mpi_job job;

	mpi_job_of(cfg, NULL, &job, NULL);
	return mpi_home(&job, addr, len, why, why_len);
}

/* An mpi configuration: mpirun runs its warm-ups and runs, verified on
 * rank 0. */
static int sweep_mpi(struct sweep_walk *wk, struct bench_conf *k,
		     struct bench_row *rows, unsigned *n)
{
	struct mpi_job job;
	struct mpi_row *mr = calloc(k->repeat, sizeof(*mr));
	char *extra[48], opt[24][80];
	size_t got = 0;
	double launch;
	unsigned hosts;

	*n = 0;
	mpi_job_of(wk->cfg, k, &job, extra);
	if (mpi_extra(wk->cfg, wk->sw, extra, sizeof(extra) / sizeof(*extra),
		      opt)) {
		snprintf(rows[0].st.why, sizeof(rows[0].st.why), "the ranks' "
			 "options are over pvt's limit");
		free(mr);
		mr = NULL;
	}
	if (!mr || mpi_run(&job, mr, k->repeat, &got, &launch, &hosts,
			   rows[0].st.why, sizeof(rows[0].st.why))) {
		if (!mr && !rows[0].st.why[0])
			snprintf(rows[0].st.why, sizeof(rows[0].st.why),
				 "calloc: %s", strerror(errno));
		rows[0].st.failed = wk->cfg->tasks;
		free(mr);
		return -1;
	}
	for (size_t i = 0; i < got; i++) {
		struct bench_row *row = &rows[i];

		fill_row(row, mr[i].rep, mr[i].wall_s, mr[i].user_s,
			 mr[i].sys_s, mr[i].max_rss_kib, mr[i].failed);
		row->ok = mr[i].ok && !mr[i].failed;
		snprintf(row->st.why, sizeof(row->st.why), "%s", mr[i].why);
		row->fig[FIG_HOSTS] = hosts;
		row->fig[FIG_RANKS] = job.ranks;
		row->fig[FIG_TPR] = job.threads;
		row->fig[FIG_LAUNCH] = launch;
		for (int j = 0; j < MPI_MAX_EXTRA &&
		     FIG_EXTRA + j < BENCH_MAX_FIGURES; j++)
			row->fig[FIG_EXTRA + j] = mr[i].extra[j];
	}
	*n = (unsigned)got;
	free(mr);
	return 0;
}

/* A configuration that another program runs: python3 or mpirun. */
static int sweep_batch(void *ctx, struct bench_conf *k,
		       struct bench_row *rows, unsigned *n)
{
	return MODEL_IS_MPI(k->model) ? sweep_mpi(ctx, k, rows, n) :
	       sweep_python(ctx, k, rows, n);
}

static void sweep_derive(void *ctx, const struct bench_result *res,
			 const struct bench_conf *k, double *vals)
{
	const struct sweep_walk *wk = ctx;

	(void)res;
	if (wk->sw->summary)
		wk->sw->summary(wk->sw->ctx, k, vals);
}

static void sweep_narrate(void *ctx, const struct bench_result *res)
{
	const struct sweep_walk *wk = ctx;
	const struct config *cfg = wk->cfg;

	for (size_t i = 0; i < res->nconfs; i++) {
		if (MODEL_IS_PYTHON(res->confs[i].model)) {
			printf("  py-*: python3 running the same tasks with %llu "
			       "%s; speedup against py-sequential\n",
			       (unsigned long long)res->confs[i].size,
			       cfg->sc->size_unit ? cfg->sc->size_unit :
			       "units");
			break;
		}
	}
	for (size_t i = 0; i < res->nconfs; i++) {
		const struct bench_conf *k = &res->confs[i];

		if (!wk->picture[i])
			continue;
		printf("\n  timeline, %s x%u (%.1f ms a column; # computing, "
		       "- waiting for the GIL, ~ waiting on I/O, . idle):\n%s",
		       model_name(k->model), k->workers,
		       wk->picture_col_s[i] * 1e3, wk->picture[i]);
	}
	if (wk->sw->narrate)
		wk->sw->narrate(wk->sw->ctx, res);
}

/* Whether this run's mpi models can run; the reason in why if not. */
static int mpi_usable(const struct config *cfg, const struct sweep *sw,
		      char *why, size_t len)
{
	struct mpi_job job;

	mpi_job_of(cfg, NULL, &job, NULL);
	if (mpi_find(&job, why, len))
		return 0;
	if (sw->mpi_unusable) {
		snprintf(why, len, "%s", sw->mpi_unusable);
		return 0;
	}
	return 1;
}

/* The configurations: every model at every worker count (sequential
 * models once, at 1). Returns 0, or -1 when out of memory. */
static int plan(struct sweep_walk *wk)
{
	const struct config *cfg = wk->cfg;
	const struct sweep *sw = wk->sw;
	int py_skipped = 0, mpi_skipped = 0;

	for (size_t m = 0; m < cfg->nmodels; m++) {
		enum model model = cfg->models[m];
		int py = MODEL_IS_PYTHON(model);
		uint64_t size = py ? sw->python_size : cfg->size;
		int once = model == MODEL_SEQUENTIAL ||
			   model == MODEL_PY_SEQUENTIAL;
		char why[256];

		if (py && (!sw->python || python_find(why, sizeof(why)))) {
			if (!py_skipped++)
				printf("  %s: the py-* models are skipped: "
				       "%s\n", cfg->sc->name, sw->python ? why :
				       "this run has no Python version");
			continue;
		}
		if (MODEL_IS_MPI(model) &&
		    !mpi_usable(cfg, sw, why, sizeof(why))) {
			if (!mpi_skipped++)
				printf("  %s: the mpi models are skipped: %s\n",
				       cfg->sc->name, why);
			continue;
		}
		for (size_t w = 0; w < (once ? 1 : cfg->nworkers); w++) {
			struct bench_conf *k = bench_add(wk->res, model,
							 once ? 1 :
							 cfg->workers[w],
							 cfg->tasks, size);

			if (!k)
				return -1;
			k->batch = py || MODEL_IS_MPI(model);
		}
	}
	return 0;
}

/* --timeline: opens NAME.timeline.csv. Returns 0, or -1 (said). */
static int recorder_open(struct recorder *rec, const struct config *cfg)
{
	char name[256];

	snprintf(name, sizeof(name), "%s.timeline.csv", cfg->sc->name);
	rec->tl = timeline_create(TIMELINE_CAP);
	if (!rec->tl || csv_open(&rec->csv, cfg->out, name)) {
		fprintf(stderr, "pvt: %s: --timeline: %s\n", cfg->sc->name,
			strerror(errno));
		timeline_destroy(rec->tl);
		return -1;
	}
	rec->open = 1;
	config_meta(cfg, &rec->csv);
	csv_header(&rec->csv, TIMELINE_COLS);
	return 0;
}

/* Commits (or, with no rows, drops) NAME.timeline.csv. Returns 0, or
 * 1 when it could not be written (said). */
static int recorder_close(struct recorder *rec, const struct config *cfg,
			  const struct bench_result *res)
{
	int status = 0;
	char why[512];

	if (!rec->open)
		return 0;
	if (res->interrupted)
		csv_meta(&rec->csv, "interrupted", "yes");
	if (!res->nrows)
		csv_abort(&rec->csv);
	else if (csv_commit(&rec->csv)) {
		fprintf(stderr, "pvt: %s: cannot write the timeline: %s\n",
			cfg->sc->name, strerror(errno));
		status = 1;
	} else if (trace_from_timeline(cfg->out, cfg->sc->name, why,
				       sizeof(why))) {
		fprintf(stderr, "pvt: %s: trace: %s\n", cfg->sc->name, why);
		status = 1;
	}
	timeline_destroy(rec->tl);
	return status;
}

int sweep_run(const struct config *cfg, const struct sweep *sw)
{
	char figures[512];
	struct bench_result res;
	struct sweep_walk wk = { .cfg = cfg, .sw = sw, .res = &res };
	static const struct bench_sumcol medians[] = {
		{ "user_s", "user_s", BENCH_MEDIAN },
		{ "sys_s", "sys_s", BENCH_MEDIAN },
		{ "hosts", "hosts", BENCH_MEDIAN },
		{ "ranks", "ranks", BENCH_MEDIAN },
		{ "threads_per_rank", "threads_per_rank", BENCH_MEDIAN },
		{ "launch_s", "launch_s", BENCH_MEDIAN },
		{ NULL, NULL, 0 },
	};
	struct bench b = {
		.ctx = &wk,
		.figures = figures,
		.run = sweep_once,
		.run_batch = sweep_batch,
		.summary = medians,
		.derived_cols = sw->summary_cols,
		.derive = sweep_derive,
		.speedup = 1,
		.narrate = sweep_narrate,
	};
	int rc = 1;

	if (sweep_rank_hook)
		return sweep_rank_hook(cfg, sw);
	snprintf(figures, sizeof(figures), "%s%s%s", OWN_FIGURES,
		 sw->extra_cols ? "," : "", sw->extra_cols ? sw->extra_cols :
		 "");
	if (cfg->timeline && recorder_open(&wk.rec, cfg))
		return 1;
	if (bench_init(&res, cfg, &b) || plan(&wk))
		goto out;
	wk.picture = calloc(res.nconfs + 1, sizeof(*wk.picture));
	wk.picture_col_s = calloc(res.nconfs + 1, sizeof(*wk.picture_col_s));
	if (!wk.picture || !wk.picture_col_s ||
	    results_create(&wk.r, cfg->tasks, sw->result_size)) {
		fprintf(stderr, "pvt: %s: cannot allocate results: %s\n",
			cfg->sc->name, strerror(errno));
		goto out;
	}
	rc = bench_run(&res);
	results_destroy(&wk.r);
	if (recorder_close(&wk.rec, cfg, &res) && !rc)
		rc = 1;
	wk.rec.open = 0;
out:
	if (wk.rec.open) {
		csv_abort(&wk.rec.csv);
		timeline_destroy(wk.rec.tl);
	}
	for (size_t i = 0; wk.picture && i < res.nconfs; i++)
		free(wk.picture[i]);
	free(wk.picture);
	free(wk.picture_col_s);
	bench_free(&res);
	return rc;
}

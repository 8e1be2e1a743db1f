/* sweep.c - one workload under every model and worker count, measured */
#define _POSIX_C_SOURCE 200809L
#include "measure/sweep.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output/csv.h"
#include "output/progress.h"
#include "python/python.h"
#include "measure/sysinfo.h"
#include "engine/timeline.h"

#define TIMELINE_COLS "scenario,model,workers,rep,worker,task,kind,start_s," \
		      "end_s"
#define TIMELINE_CAP (1 << 18)	/* events per recorded run */
#define PICTURE_COLS 64		/* characters per text timeline row */
#define PICTURE_ROWS 8		/* workers drawn; the chart has them all */

#define RAW_COLS SWEEP_RAW_COLS ",busy_s,gil_switches"
#define SUMMARY_COLS "scenario,model,workers,tasks,size,n,median_s,min_s," \
		     "max_s,mean_s,stddev_s,ci95_s,speedup,efficiency,noisy," \
		     "ok,user_s,sys_s"

/* Columns in a list like "bytes,timeouts"; 0 for NULL or "". */
static size_t count_cols(const char *cols)
{
	size_t n = 0;

	if (!cols || !*cols)
		return 0;
	for (const char *p = cols; *p; p++)
		n += *p == ',';
	return n + 1;
}

static size_t count_extra(const struct sweep *sw)
{
	return count_cols(sw->extra_cols);
}

/* --timeline: where the first measured run of each configuration is
 * recorded. */
struct recorder {
	struct timeline *tl;
	struct csv csv;
	int open;
};

static void record_row(struct recorder *rec, const struct config *cfg,
		       const struct sweep_row *row, int worker, long task,
		       const char *kind, double start, double end)
{
	struct csv *c = &rec->csv;

	csv_str(c, cfg->sc->name);
	csv_str(c, model_name(row->model));
	csv_int(c, row->workers);
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
		       const struct results *r, const struct sweep_row *row)
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
			model_name(row->model), row->workers,
			timeline_dropped(rec->tl), TIMELINE_CAP);
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
		     const struct sweep_row *row)
{
	unsigned n = row->model == MODEL_SEQUENTIAL ? 1 : row->workers;
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

			if (e->worker != (int)w)
				continue;
			cover(e->kind == TL_WAIT ? wait : held, e->start_s,
			      e->end_s, slice);
		}
		off += (size_t)snprintf(s + off, len - off, "    w%-3u |", w);
		for (int i = 0; i < PICTURE_COLS; i++) {
			double busy = task[i] - wait[i];
			char ch = '.';

			if (row->model == MODEL_GIL)
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

/* One run of conf, verified. Returns 0 when it is good. */
static int run_once(const struct config *cfg, const struct sweep *sw,
		    struct results *r, struct sweep_row *row,
		    struct timeline *tl)
{
	struct run_spec spec = {
		.model = row->model,
		.workers = row->workers,
		.tasks = cfg->tasks,
		.fn = sw->fn,
		.ctx = sw->ctx,
		.local_init = sw->local_init,
		.local_fini = sw->local_fini,
		.switch_interval_s = cfg->switch_interval_s,
		.cpus = cfg->cpus,
		.ncpus = cfg->ncpus,
		.timeline = tl,
	};
	int rc;

	if (tl)
		timeline_reset(tl);
	rc = workers_run(&spec, r, &row->st);

	for (size_t i = 0; i < SWEEP_MAX_EXTRA; i++)
		row->extra[i] = NAN;
	if (sw->extra)
		sw->extra(sw->ctx, r, &row->st, row->extra);
	if (rc == 0 && sw->verify) {
		char why[256] = "";
		size_t wrong = sw->verify(sw->ctx, r, why, sizeof(why));

		if (wrong) {
			size_t n = strlen(row->st.why);

			snprintf(row->st.why + n, sizeof(row->st.why) - n,
				 "%s%zu wrong result(s): %s", n ? "; " : "",
				 wrong, why);
			row->st.failed += wrong;
			rc = -1;
		}
	}
	row->ok = rc == 0;
	if (!row->ok && !row->st.interrupted)
		fprintf(stderr, "pvt: %s: %s x%u run %u failed: %s\n",
			cfg->sc->name, model_name(row->model), row->workers,
			row->rep, row->st.why);
	return rc;
}

static void summarise(struct sweep_result *res)
{
	double base = NAN, py_base = NAN;
	double *w = malloc((res->nrows + 1) * sizeof(*w));
	double *u = malloc((res->nrows + 1) * sizeof(*u));
	double *s = malloc((res->nrows + 1) * sizeof(*s));

	for (size_t c = 0; w && u && s && c < res->nconfs; c++) {
		struct sweep_conf *conf = &res->confs[c];
		struct stats tmp;
		size_t n = 0;

		conf->runs = 0;
		for (size_t i = 0; i < res->nrows; i++) {
			const struct sweep_row *row = &res->rows[i];

			if (row->model != conf->model ||
			    row->workers != conf->workers)
				continue;
			conf->runs++;
			if (!row->ok)
				continue;
			w[n] = row->st.wall_s;
			u[n] = row->st.user_s;
			s[n] = row->st.sys_s;
			n++;
		}
		conf->ok_runs = n;
		conf->ok = n > 0 && n == conf->runs;
		conf->user_s = conf->sys_s = NAN;
		if (n && measure_stats(w, n, &conf->wall) == 0) {
			measure_stats(u, n, &tmp);
			conf->user_s = tmp.median;
			measure_stats(s, n, &tmp);
			conf->sys_s = tmp.median;
		}
		if (conf->model == MODEL_SEQUENTIAL && n)
			base = conf->wall.median;
		if (conf->model == MODEL_PY_SEQUENTIAL && n)
			py_base = conf->wall.median;
	}
	for (size_t c = 0; c < res->nconfs; c++) {
		struct sweep_conf *conf = &res->confs[c];
		double b = MODEL_IS_PYTHON(conf->model) ? py_base : base;

		conf->speedup = conf->efficiency = NAN;
		if (conf->ok_runs && isfinite(b) && conf->wall.median > 0) {
			conf->speedup = b / conf->wall.median;
			conf->efficiency = conf->speedup / conf->workers;
		}
	}
	free(w);
	free(u);
	free(s);
}

void sweep_common_fields(struct csv *c, const char *scenario, enum model m,
			 unsigned workers, uint64_t tasks, uint64_t size,
			 unsigned rep, const struct run_stats *st, int ok)
{
	csv_str(c, scenario);
	csv_str(c, model_name(m));
	csv_int(c, workers);
	csv_int(c, (long long)tasks);
	csv_int(c, (long long)size);
	csv_int(c, rep);
	csv_num(c, st->wall_s);
	csv_num(c, st->user_s);
	csv_num(c, st->sys_s);
	if (st->max_rss_kib >= 0)
		csv_int(c, st->max_rss_kib);
	else
		csv_str(c, NULL);
	csv_int(c, (long long)(st->failed + st->lost));
	csv_int(c, ok);
}

void sweep_summary_fields(struct csv *c, const char *scenario, enum model m,
			  unsigned workers, uint64_t tasks, uint64_t size,
			  const struct stats *wall, double speedup,
			  double efficiency, int ok)
{
	int many = wall && wall->n > 1;

	csv_str(c, scenario);
	csv_str(c, model_name(m));
	csv_int(c, workers);
	csv_int(c, (long long)tasks);
	csv_int(c, (long long)size);
	csv_int(c, wall ? (long long)wall->n : 0);
	csv_num(c, wall ? wall->median : NAN);
	csv_num(c, wall ? wall->min : NAN);
	csv_num(c, wall ? wall->max : NAN);
	csv_num(c, wall ? wall->mean : NAN);
	csv_num(c, many ? wall->stddev : NAN);
	csv_num(c, many ? wall->ci95 : NAN);
	csv_num(c, speedup);
	csv_num(c, efficiency);
	if (wall)
		csv_int(c, wall->noisy);
	else
		csv_str(c, NULL);
	csv_int(c, ok);
}

/* Writes NAME.csv into *c, finished but not yet committed. Returns 0,
 * or -1 with errno set (nothing left then). */
static int write_raw(const struct config *cfg, const struct sweep *sw,
		     const struct sweep_result *res, struct csv *c)
{
	char name[256], cols[1024];
	size_t next = count_extra(sw);

	snprintf(name, sizeof(name), "%s.csv", cfg->sc->name);
	if (csv_open(c, cfg->out, name))
		return -1;
	config_meta(cfg, c);
	if (res->interrupted)
		csv_meta(c, "interrupted", "yes");
	snprintf(cols, sizeof(cols), "%s%s%s", RAW_COLS, next ? "," : "",
		 next ? sw->extra_cols : "");
	csv_header(c, cols);
	for (size_t i = 0; i < res->nrows; i++) {
		const struct sweep_row *row = &res->rows[i];

		sweep_common_fields(c, cfg->sc->name, row->model,
				    row->workers, cfg->tasks, row->size,
				    row->rep, &row->st, row->ok);
		csv_num(c, MODEL_IS_PYTHON(row->model) ? NAN :
			row->st.busy_s);
		csv_num(c, row->model == MODEL_GIL ?
			(double)row->st.gil_switches : NAN);
		for (size_t j = 0; j < next; j++)
			csv_num(c, row->extra[j]);
		csv_end_row(c);
	}
	return csv_finish(c);
}

/* Writes NAME.summary.csv into *c, finished but not yet committed.
 * Returns 0, or -1 with errno set (nothing left then). */
static int write_summary(const struct config *cfg, const struct sweep *sw,
			 const struct sweep_result *res, struct csv *c)
{
	size_t next = count_cols(sw->summary_cols);
	char name[256], cols[1024];

	snprintf(name, sizeof(name), "%s.summary.csv", cfg->sc->name);
	if (csv_open(c, cfg->out, name))
		return -1;
	config_meta(cfg, c);
	if (res->interrupted)
		csv_meta(c, "interrupted", "yes");
	snprintf(cols, sizeof(cols), "%s%s%s", SUMMARY_COLS, next ? "," : "",
		 next ? sw->summary_cols : "");
	csv_header(c, cols);
	for (size_t i = 0; i < res->nconfs; i++) {
		const struct sweep_conf *k = &res->confs[i];

		if (!k->runs)
			continue;	/* never reached: interrupted */
		sweep_summary_fields(c, cfg->sc->name, k->model, k->workers,
				     cfg->tasks, k->size,
				     k->ok_runs ? &k->wall : NULL, k->speedup,
				     k->efficiency, k->ok);
		csv_num(c, k->user_s);
		csv_num(c, k->sys_s);
		for (size_t j = 0; j < next; j++)
			csv_num(c, k->extra[j]);
		csv_end_row(c);
	}
	return csv_finish(c);
}

/* NAME.csv and NAME.summary.csv, both or neither: neither is renamed
 * into place before both are on disk, so that a full disk never leaves
 * a new file beside an old one. Returns 0, or -1 with errno set. */
static int write_csvs(const struct config *cfg, const struct sweep *sw,
		      const struct sweep_result *res)
{
	struct csv raw, sum;
	int e;

	if (write_raw(cfg, sw, res, &raw))
		return -1;
	if (write_summary(cfg, sw, res, &sum)) {
		e = errno;
		csv_abort(&raw);
		errno = e;
		return -1;
	}
	if (csv_commit(&raw)) {
		e = errno;
		csv_abort(&sum);
		errno = e;
		return -1;
	}
	return csv_commit(&sum);
}

static void narrate(const struct config *cfg, const struct sweep_result *res)
{
	int noisy = 0;

	printf("\n%s: %llu tasks of %llu %s, median of %u run(s) after %u "
	       "warm-up(s)\n", cfg->sc->name, (unsigned long long)cfg->tasks,
	       (unsigned long long)cfg->size,
	       cfg->sc->size_unit ? cfg->sc->size_unit : "units", cfg->repeat,
	       cfg->warmup);
	printf("  %-13s %7s %11s %8s %8s %10s\n", "model", "workers",
	       "median", "spread", "speedup", "efficiency");
	for (size_t i = 0; i < res->nconfs; i++) {
		const struct sweep_conf *k = &res->confs[i];

		if (!k->runs)
			continue;
		if (!k->ok_runs) {
			printf("  %-13s %7u %11s\n", model_name(k->model),
			       k->workers, "FAILED");
			continue;
		}
		noisy |= k->wall.noisy;
		printf("  %-13s %7u %9.4f s %7.1f%%%s", model_name(k->model),
		       k->workers, k->wall.median, 100 * k->wall.spread,
		       k->wall.noisy ? "*" : " ");
		if (isfinite(k->speedup))
			printf(" %7.2fx %10.2f", k->speedup, k->efficiency);
		printf("%s\n", k->ok ? "" : "  (some runs FAILED)");
	}
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
	if (noisy)
		printf("  * noisy: the runs spread over %.0f%% of the median; "
		       "close other programs or raise --repeat\n",
		       100 * MEASURE_NOISY);
	for (size_t i = 0; i < res->nconfs; i++) {
		const struct sweep_conf *k = &res->confs[i];

		if (!k->picture)
			continue;
		printf("\n  timeline, %s x%u (%.1f ms a column; # computing, "
		       "- waiting for the GIL, ~ waiting on I/O, . idle):\n%s",
		       model_name(k->model), k->workers,
		       k->picture_col_s * 1e3, k->picture);
	}
}

/* The workload's own summary columns of every configuration that ran. */
static void summarise_extra(const struct sweep *sw, struct sweep_result *res)
{
	for (size_t i = 0; i < res->nconfs; i++) {
		struct sweep_conf *k = &res->confs[i];

		for (size_t j = 0; j < SWEEP_MAX_EXTRA; j++)
			k->extra[j] = NAN;
		if (sw->summary && k->runs)
			sw->summary(sw->ctx, k, k->extra);
	}
}

static void add_conf(struct sweep_result *res, enum model m, unsigned w,
		     uint64_t size)
{
	res->confs[res->nconfs].model = m;
	res->confs[res->nconfs].workers = w;
	res->confs[res->nconfs].size = size;
	res->nconfs++;
}

/* Fills the scenario's own columns that a py-* row counted ("name=n;
 * name=n", see pvtbench.py); the others stay empty. */
static void python_counts(const struct sweep *sw, const char *counts,
			  double *extra)
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
		if (*c && counts[len] == '=' && col < SWEEP_MAX_EXTRA)
			extra[col] = strtod(counts + len + 1, NULL);
		counts += strcspn(counts, ";");
		counts += *counts == ';';
	}
}

/* A py-* configuration: python3 runs its warm-ups and runs, and every
 * row's checksum is checked here again. */
static void run_python(const struct config *cfg, const struct sweep *sw,
		       struct sweep_result *res, const struct sweep_conf *k)
{
	struct py_row *py = calloc(cfg->repeat, sizeof(*py));
	char why[512] = "";
	size_t n = 0;
	uint64_t want = sw->python_checksum(sw->ctx, cfg->tasks, k->size);

	progress("%s: %s x%u: %u warm-up(s) and %u run(s) in python3",
		 cfg->sc->name, model_name(k->model), k->workers, cfg->warmup,
		 cfg->repeat);
	if (!py || python_run(sw->python, k->model, k->workers, cfg->tasks,
			      k->size, cfg->repeat, cfg->warmup,
			      sw->python_args, py, cfg->repeat, &n, why,
			      sizeof(why))) {
		struct sweep_row *row = &res->rows[res->nrows++];

		/* no measurement: one failed row that says so */
		memset(row, 0, sizeof(*row));
		row->model = k->model;
		row->workers = k->workers;
		row->size = k->size;
		row->rep = 1;
		row->st.wall_s = row->st.user_s = row->st.sys_s = NAN;
		row->st.failed = cfg->tasks;
		snprintf(row->st.why, sizeof(row->st.why), "%s", why);
		for (size_t j = 0; j < SWEEP_MAX_EXTRA; j++)
			row->extra[j] = NAN;
		res->failed = 1;
		if (!workers_stopped())
			fprintf(stderr, "pvt: %s: %s x%u failed: %s\n",
				cfg->sc->name, model_name(k->model),
				k->workers, why);
		free(py);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		struct sweep_row *row = &res->rows[res->nrows++];

		memset(row, 0, sizeof(*row));
		row->model = k->model;
		row->workers = k->workers;
		row->size = k->size;
		row->rep = py[i].rep;
		row->st.wall_s = py[i].wall_s;
		row->st.user_s = py[i].user_s;
		row->st.sys_s = py[i].sys_s;
		row->st.max_rss_kib = py[i].max_rss_kib;
		row->st.failed = (size_t)py[i].failed;
		for (size_t j = 0; j < SWEEP_MAX_EXTRA; j++)
			row->extra[j] = NAN;
		python_counts(sw, py[i].counts, row->extra);
		row->ok = py[i].ok && !py[i].failed && py[i].checksum == want;
		if (py[i].failed) {
			/* counted by cause in the row, as the C models do */
			res->failed = 1;
			fprintf(stderr, "pvt: %s: %s x%u run %u: %ld task(s) "
				"failed%s%s\n", cfg->sc->name,
				model_name(k->model), k->workers, row->rep,
				py[i].failed, *py[i].counts ? ": " : "",
				py[i].counts);
		} else if (!row->ok) {
			res->failed = 1;
			fprintf(stderr, "pvt: %s: %s x%u run %u failed: %ld "
				"wrong task(s), checksum %llu, expected %llu\n",
				cfg->sc->name, model_name(k->model),
				k->workers, row->rep, py[i].failed,
				(unsigned long long)py[i].checksum,
				(unsigned long long)want);
		}
	}
	free(py);
}

int sweep_run(const struct config *cfg, const struct sweep *sw,
	      struct sweep_result *res)
{
	size_t maxconfs = cfg->nmodels * cfg->nworkers + 1, done = 0;
	struct recorder rec = { 0 };
	struct results r;
	int status = 0, py_skipped = 0, written;

	memset(res, 0, sizeof(*res));
	if (cfg->timeline) {
		char name[256];

		snprintf(name, sizeof(name), "%s.timeline.csv", cfg->sc->name);
		rec.tl = timeline_create(TIMELINE_CAP);
		if (!rec.tl || csv_open(&rec.csv, cfg->out, name)) {
			fprintf(stderr, "pvt: %s: --timeline: %s\n",
				cfg->sc->name, strerror(errno));
			timeline_destroy(rec.tl);
			return 1;
		}
		rec.open = 1;
		config_meta(cfg, &rec.csv);
		csv_header(&rec.csv, TIMELINE_COLS);
	}
	res->confs = calloc(maxconfs, sizeof(*res->confs));
	res->rows = calloc(maxconfs * cfg->repeat + 1, sizeof(*res->rows));
	if (!res->confs || !res->rows ||
	    results_create(&r, cfg->tasks, sw->result_size)) {
		fprintf(stderr, "pvt: %s: cannot allocate results: %s\n",
			cfg->sc->name, strerror(errno));
		sweep_free(res);
		return 1;
	}
	for (size_t m = 0; m < cfg->nmodels; m++) {
		enum model model = cfg->models[m];
		int py = MODEL_IS_PYTHON(model);
		uint64_t size = py ? sw->python_size : cfg->size;
		char why[256];

		if (py && !sw->python) {
			if (!py_skipped++)
				printf("  %s: the py-* models are skipped: "
				       "this run has no Python version\n",
				       cfg->sc->name);
			continue;
		}
		if (py && python_find(why, sizeof(why))) {
			if (!py_skipped++)
				printf("  %s: the py-* models are skipped: "
				       "%s\n", cfg->sc->name, why);
			continue;
		}
		if (model == MODEL_SEQUENTIAL || model == MODEL_PY_SEQUENTIAL) {
			add_conf(res, model, 1, size);
			continue;
		}
		for (size_t w = 0; w < cfg->nworkers; w++)
			add_conf(res, model, cfg->workers[w], size);
	}

	for (size_t c = 0; c < res->nconfs && !workers_stopped(); c++) {
		struct sweep_conf *k = &res->confs[c];

		if (MODEL_IS_PYTHON(k->model)) {
			run_python(cfg, sw, res, k);
			done++;
			continue;
		}
		for (unsigned i = 0; i < cfg->warmup + cfg->repeat; i++) {
			struct sweep_row *row = &res->rows[res->nrows];
			int warm = i < cfg->warmup;

			progress("%s: %s x%u %s %u/%u  [%zu/%zu]",
				 cfg->sc->name, model_name(k->model),
				 k->workers, warm ? "warm-up" : "run",
				 warm ? i + 1 : i - cfg->warmup + 1,
				 warm ? cfg->warmup : cfg->repeat, done + 1,
				 res->nconfs);
			int record = rec.open && i == cfg->warmup;

			row->model = k->model;
			row->workers = k->workers;
			row->size = k->size;
			row->rep = warm ? 0 : i - cfg->warmup + 1;
			if (run_once(cfg, sw, &r, row, record ? rec.tl : NULL))
				res->failed = 1;
			if (record && !row->st.interrupted) {
				record_run(&rec, cfg, &r, row);
				if (k->workers == pictured_workers(cfg) ||
				    k->model == MODEL_SEQUENTIAL) {
					k->picture = picture(&rec, &r, row);
					k->picture_col_s = row->st.wall_s /
							   PICTURE_COLS;
				}
			}
			if (row->st.interrupted || workers_stopped())
				break;
			if (!warm)
				res->nrows++;
		}
		done++;
	}
	progress_clear();
	results_destroy(&r);
	res->interrupted = workers_stopped() ? cli_interrupted() : 0;
	summarise(res);
	summarise_extra(sw, res);
	if (rec.open) {
		if (res->interrupted)
			csv_meta(&rec.csv, "interrupted", "yes");
		if (!res->nrows)
			csv_abort(&rec.csv);
		else if (csv_commit(&rec.csv)) {
			fprintf(stderr, "pvt: %s: cannot write the timeline: "
				"%s\n", cfg->sc->name, strerror(errno));
			status = 1;
		}
		timeline_destroy(rec.tl);
	}
	written = res->nrows && !write_csvs(cfg, sw, res);
	if (res->nrows && !written) {
		fprintf(stderr, "pvt: %s: cannot write the CSV in '%s': %s\n",
			cfg->sc->name, cfg->out, strerror(errno));
		status = 1;
	}
	if (!cfg->quiet && res->nrows)
		narrate(cfg, res);
	if (written)
		printf("  wrote %s/%s.csv and %s/%s.summary.csv%s\n", cfg->out,
		       cfg->sc->name, cfg->out, cfg->sc->name,
		       res->interrupted ? " (interrupted: partial)" : "");
	if (res->interrupted)
		return 128 + res->interrupted;
	if (res->failed)
		status = 1;
	return status;
}

void sweep_free(struct sweep_result *res)
{
	for (size_t i = 0; res->confs && i < res->nconfs; i++)
		free(res->confs[i].picture);
	free(res->rows);
	free(res->confs);
	memset(res, 0, sizeof(*res));
}

const struct sweep_conf *sweep_find(const struct sweep_result *res,
				    enum model m, unsigned w)
{
	for (size_t i = 0; i < res->nconfs; i++)
		if (res->confs[i].model == m && res->confs[i].workers == w &&
		    res->confs[i].ok_runs)
			return &res->confs[i];
	return NULL;
}

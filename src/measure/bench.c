/* bench.c - the one measuring layer: configurations x warm-ups x repeats */
#define _POSIX_C_SOURCE 200809L
#include "measure/bench.h"

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "measure/sysinfo.h"
#include "output/csv.h"
#include "output/progress.h"

/* The figures every row has, before the scenario's own: their index in
 * bench_conf.fig. */
enum { FIG_WALL, FIG_USER, FIG_SYS, FIG_RSS, FIG_OTHER, FIG_STEAL,
       FIG_COMMON };
static const char *const common_figs[FIG_COMMON] = {
	"wall_s", "user_s", "sys_s", "max_rss_kib", "other_cpu", "steal",
};

/* The i-th name of a comma-separated list into buf; 0, or -1 past its
 * end. */
static int list_item(const char *list, size_t i, char *buf, size_t len)
{
	const char *p = list, *end;

	if (!list || !*list)
		return -1;
	for (; i; i--) {
		p = strchr(p, ',');
		if (!p)
			return -1;
		p++;
	}
	end = strchr(p, ',');
	if (!end)
		end = p + strlen(p);
	snprintf(buf, len, "%.*s", (int)(end - p), p);
	return 0;
}

static size_t list_count(const char *list)
{
	size_t n = 0;
	char name[64];

	while (!list_item(list, n, name, sizeof(name)))
		n++;
	return n;
}

int bench_init(struct bench_result *res, const struct config *cfg,
	       const struct bench *b)
{
	memset(res, 0, sizeof(*res));
	res->cfg = cfg;
	res->b = b;
	res->nfig = FIG_COMMON + list_count(b->figures);
	if (res->nfig > FIG_COMMON + BENCH_MAX_FIGURES ||
	    list_count(b->keys) > BENCH_MAX_KEYS) {
		fprintf(stderr, "pvt: %s: too many keys or figures\n",
			cfg->sc->name);
		abort();	/* a programming error */
	}
	return 0;
}

struct bench_conf *bench_add(struct bench_result *res, enum model m,
			     unsigned workers, uint64_t tasks, uint64_t size)
{
	struct bench_conf *confs, *k;

	confs = realloc(res->confs, (res->nconfs + 1) * sizeof(*confs));
	if (!confs) {
		fprintf(stderr, "pvt: %s: out of memory\n",
			res->cfg->sc->name);
		return NULL;
	}
	res->confs = confs;
	k = &confs[res->nconfs++];
	memset(k, 0, sizeof(*k));
	k->model = m;
	k->workers = workers;
	k->tasks = tasks;
	k->size = size;
	k->warmup = res->cfg->warmup;
	k->repeat = res->cfg->repeat;
	return k;
}

void bench_key(struct bench_conf *k, size_t i, const char *fmt, ...)
{
	va_list ap;

	if (i >= BENCH_MAX_KEYS)
		abort();	/* a programming error */
	va_start(ap, fmt);
	vsnprintf(k->key[i], sizeof(k->key[i]), fmt, ap);
	va_end(ap);
}

/* "thread x4, fork, 65536": for progress and failures. */
static void label(const struct bench_result *res, const struct bench_conf *k,
		  char *buf, size_t len)
{
	size_t off = (size_t)snprintf(buf, len, "%s x%u",
				      model_name(k->model), k->workers);

	for (size_t i = 0; i < list_count(res->b->keys) && off < len; i++)
		if (k->key[i][0])
			off += (size_t)snprintf(buf + off, len - off, ", %s",
						k->key[i]);
}

static void row_init(struct bench_row *row, struct bench_conf *k,
		     unsigned rep)
{
	memset(row, 0, sizeof(*row));
	row->conf = k;
	row->rep = rep;
	row->st.wall_s = row->st.user_s = row->st.sys_s = NAN;
	row->st.max_rss_kib = -1;
	for (size_t i = 0; i < BENCH_MAX_FIGURES; i++)
		row->fig[i] = NAN;
	row->load.other_cpu = row->load.steal = row->load.pressure = NAN;
}

static void say_failed(const struct bench_result *res,
		       const struct bench_row *row, const char *what,
		       unsigned i)
{
	char name[256];

	if (row->st.interrupted || workers_stopped())
		return;
	label(res, row->conf, name, sizeof(name));
	fprintf(stderr, "pvt: %s: %s %s %u failed: %s\n", res->cfg->sc->name,
		name, what, i, row->st.why[0] ? row->st.why : "no reason given");
}

/* One repetition; the row is kept unless it is a warm-up or was cut
 * short by a signal. */
static void run_one(struct bench_result *res, struct bench_conf *k,
		    unsigned i)
{
	const struct bench *b = res->b;
	int warm = i < k->warmup;
	struct bench_row *row = &res->rows[res->nrows];
	struct load_mark mark;
	int rc;

	row_init(row, k, warm ? 0 : i - k->warmup + 1);
	load_begin(&mark);
	rc = b->run(b->ctx, row);
	load_end(&mark, sysinfo_cores(), &row->load);
	row->ok = rc == 0 && !row->st.interrupted;
	if (!row->ok && !row->st.interrupted) {
		res->failed = 1;
		say_failed(res, row, warm ? "warm-up" : "run",
			   warm ? i + 1 : row->rep);
	}
	if (!warm && !row->st.interrupted)
		res->nrows++;
}

static void run_batch(struct bench_result *res, struct bench_conf *k)
{
	const struct bench *b = res->b;
	struct bench_row *rows = &res->rows[res->nrows];
	struct load_mark mark;
	struct load l;
	unsigned n = 0;
	int rc;

	for (unsigned i = 0; i < k->repeat; i++)
		row_init(&rows[i], k, i + 1);
	load_begin(&mark);
	rc = b->run_batch(b->ctx, k, rows, &n);
	load_end(&mark, sysinfo_cores(), &l);
	if (rc || n == 0) {
		/* no measurement: one failed row that says so */
		n = 1;
		rows[0].ok = 0;
		rows[0].st.wall_s = NAN;
		if (!rows[0].st.failed)
			rows[0].st.failed = k->tasks;
	}
	for (unsigned i = 0; i < n && i < k->repeat; i++) {
		rows[i].load = l;
		if (!rows[i].ok) {
			res->failed = 1;
			say_failed(res, &rows[i], "run", rows[i].rep);
		}
	}
	res->nrows += n < k->repeat ? n : k->repeat;
}

/* Repetition i of k (a warm-up while i < k->warmup), said as progress:
 * "square: thread x2 run 3/5  [4/10]". */
static void run_said_one(struct bench_result *res, struct bench_conf *k,
			 unsigned i, size_t at, const char *name)
{
	int warm = i < k->warmup;

	progress("%s: %s %s %u/%u  [%zu/%zu]", res->cfg->sc->name, name,
		 warm ? "warm-up" : "run", warm ? i + 1 : i - k->warmup + 1,
		 warm ? k->warmup : k->repeat, at + 1, res->nconfs);
	run_one(res, k, i);
}

static void run_reps(struct bench_result *res, struct bench_conf *k,
		     size_t at, const char *name)
{
	const struct bench *b = res->b;

	if (b->begin && b->begin(b->ctx, k)) {
		struct bench_row *row = &res->rows[res->nrows++];

		row_init(row, k, 1);
		snprintf(row->st.why, sizeof(row->st.why), "could not be set "
			 "up");
		res->failed = 1;
		return;
	}
	if (k->batch) {
		progress("%s: %s: %u warm-up(s) and %u run(s)  [%zu/%zu]",
			 res->cfg->sc->name, name, k->warmup, k->repeat,
			 at + 1, res->nconfs);
		run_batch(res, k);
		return;
	}
	for (unsigned i = 0; i < k->warmup + k->repeat; i++) {
		run_said_one(res, k, i, at, name);
		if (workers_stopped())
			break;
	}
}

static void run_conf(struct bench_result *res, struct bench_conf *k,
		     size_t at)
{
	struct load_mark mark;
	char name[256];

	label(res, k, name, sizeof(name));
	load_begin(&mark);
	run_reps(res, k, at, name);
	load_end(&mark, sysinfo_cores(), &k->load);
}

/* Every configuration's i-th repetition in turn, round after round, so
 * that a slow spell of the machine that /proc/stat does not show (a
 * virtual CPU whose host core is shared, a change of clock speed) falls
 * on one repetition of each configuration, which the median leaves out,
 * instead of on every repetition of one: a baseline measured in such a
 * spell would make every speedup look larger. Only for scenarios without
 * a per-configuration set-up (bench.begin); batches (bench.run_batch)
 * run after, one configuration at a time. Each configuration's load is
 * then the whole walk's, over which its repetitions are spread. */
static void run_rounds(struct bench_result *res)
{
	unsigned most = 0;
	char name[256];

	for (size_t c = 0; c < res->nconfs; c++) {
		const struct bench_conf *k = &res->confs[c];

		if (!k->batch && k->warmup + k->repeat > most)
			most = k->warmup + k->repeat;
	}
	for (unsigned i = 0; i < most && !workers_stopped(); i++)
		for (size_t c = 0; c < res->nconfs && !workers_stopped();
		     c++) {
			struct bench_conf *k = &res->confs[c];

			if (k->batch || i >= k->warmup + k->repeat)
				continue;
			label(res, k, name, sizeof(name));
			run_said_one(res, k, i, c, name);
		}
	for (size_t c = 0; c < res->nconfs && !workers_stopped(); c++)
		if (res->confs[c].batch)
			run_conf(res, &res->confs[c], c);
}

/* The rows in the order of their configurations, as a walk without
 * rounds leaves them. Returns 0, or -1 with errno ENOMEM. */
static int rows_by_conf(struct bench_result *res)
{
	struct bench_row *sorted = malloc((res->nrows + 1) * sizeof(*sorted));
	size_t n = 0;

	if (!sorted)
		return -1;
	for (size_t c = 0; c < res->nconfs; c++)
		for (size_t i = 0; i < res->nrows; i++)
			if (res->rows[i].conf == &res->confs[c])
				sorted[n++] = res->rows[i];
	memcpy(res->rows, sorted, n * sizeof(*sorted));
	free(sorted);
	return 0;
}

/* Value of figure i in a row. */
static double fig_value(const struct bench_row *row, size_t i)
{
	switch (i) {
	case FIG_WALL: return row->st.wall_s;
	case FIG_USER: return row->st.user_s;
	case FIG_SYS: return row->st.sys_s;
	case FIG_RSS:
		return row->st.max_rss_kib >= 0 ?
		       (double)row->st.max_rss_kib : NAN;
	case FIG_OTHER: return row->load.other_cpu;
	case FIG_STEAL: return row->load.steal;
	default: return row->fig[i - FIG_COMMON];
	}
}

static int same_keys(const struct bench_conf *a, const struct bench_conf *b)
{
	for (size_t i = 0; i < BENCH_MAX_KEYS; i++)
		if (strcmp(a->key[i], b->key[i]))
			return 0;
	return 1;
}

static void speedup(struct bench_result *res, struct bench_conf *k)
{
	enum model base = MODEL_IS_PYTHON(k->model) ? MODEL_PY_SEQUENTIAL :
			  MODEL_SEQUENTIAL;

	k->speedup = k->efficiency = NAN;
	if (!res->b->speedup || !k->wall.n || !(k->wall.median > 0))
		return;
	for (size_t i = 0; i < res->nconfs; i++) {
		const struct bench_conf *s = &res->confs[i];

		if (s->model == base && s->wall.n && same_keys(s, k)) {
			k->speedup = s->wall.median / k->wall.median;
			k->efficiency = k->speedup / k->workers;
			return;
		}
	}
}

/* The statistics of every figure of every configuration. Returns 0, or
 * -1 when out of memory. */
static int summarise(struct bench_result *res)
{
	double *x = malloc((res->nrows + 1) * sizeof(*x));

	if (!x)
		return -1;
	for (size_t c = 0; c < res->nconfs; c++) {
		struct bench_conf *k = &res->confs[c];

		k->fig = calloc(res->nfig, sizeof(*k->fig));
		if (!k->fig) {
			free(x);
			return -1;
		}
		k->runs = k->ok_runs = k->busy_runs = 0;
		for (size_t i = 0; i < res->nrows; i++) {
			const struct bench_row *row = &res->rows[i];

			if (row->conf != k)
				continue;
			k->runs++;
			k->ok_runs += row->ok;
			k->busy_runs += row->ok && row->load.busy;
		}
		k->ok = k->runs && k->ok_runs == k->runs;
		k->busy = k->busy_runs > 0 || k->load.busy;
		k->load_unknown = !(k->load.margin < LOAD_BUSY_SHARE *
				    (double)sysinfo_cores());
		/* too short in itself: judged by the whole walk's load
		 * instead, around it; a steady neighbour shows there */
		if (k->load_unknown && res->load.margin < LOAD_BUSY_SHARE *
		    (double)sysinfo_cores()) {
			k->load_unknown = 0;
			k->busy |= res->load.busy;
		}
		for (size_t f = 0; f < res->nfig; f++) {
			size_t n = 0;

			for (size_t i = 0; i < res->nrows; i++) {
				const struct bench_row *row = &res->rows[i];
				double v = fig_value(row, f);

				if (row->conf == k && row->ok && isfinite(v))
					x[n++] = v;
			}
			if (n)
				measure_stats(x, n, &k->fig[f]);
		}
		k->wall = k->fig[FIG_WALL];
		k->other_cpu = k->load.other_cpu;
		k->steal = k->load.steal;
	}
	free(x);
	for (size_t c = 0; c < res->nconfs; c++)
		speedup(res, &res->confs[c]);
	for (size_t c = 0; c < res->nconfs; c++) {
		struct bench_conf *k = &res->confs[c];

		for (size_t j = 0; j < BENCH_MAX_FIGURES; j++)
			k->derived[j] = NAN;
		if (res->b->derive && k->runs)
			res->b->derive(res->b->ctx, res, k, k->derived);
	}
	return 0;
}

static size_t fig_index(const struct bench_result *res, const char *name)
{
	char own[64];

	for (size_t i = 0; i < FIG_COMMON; i++)
		if (!strcmp(common_figs[i], name))
			return i;
	for (size_t i = 0; !list_item(res->b->figures, i, own, sizeof(own));
	     i++)
		if (!strcmp(own, name))
			return FIG_COMMON + i;
	fprintf(stderr, "pvt: %s: no figure called '%s'\n",
		res->cfg->sc->name, name);
	abort();	/* a programming error */
}

const struct stats *bench_stats(const struct bench_result *res,
				const struct bench_conf *k, const char *name)
{
	return &k->fig[fig_index(res, name)];
}

const struct bench_conf *bench_find(const struct bench_result *res,
				    enum model m, unsigned w,
				    const char *const *keys)
{
	for (size_t i = 0; i < res->nconfs; i++) {
		const struct bench_conf *k = &res->confs[i];
		int match = k->model == m && k->workers == w && k->ok_runs;

		for (size_t j = 0; match && keys && keys[j]; j++)
			match = !strcmp(k->key[j], keys[j]);
		if (match)
			return k;
	}
	return NULL;
}

void bench_evidence(struct verdict_evidence *ev, const struct bench_conf *k,
		    enum verdict_side side)
{
	double most;

	if (!k) {
		verdict_fold(ev, 0, 0, 0, NAN, side);
		return;
	}
	most = k->fig && k->fig[FIG_OTHER].n ? k->fig[FIG_OTHER].max : 0;
	if (isfinite(k->load.other_cpu) && k->load.other_cpu > most)
		most = k->load.other_cpu;
	verdict_fold(ev, k->ok_runs, k->busy, k->load_unknown, most, side);
	if (k->wall.n > 1 && k->wall.median > 0)
		verdict_fold_spread(ev, k->wall.ci95 / k->wall.median);
}

/* ---- the files ---------------------------------------------------------- */

void bench_raw_common(struct csv *c, const char *scenario, enum model m,
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

void bench_summary_common(struct csv *c, const char *scenario, enum model m,
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

static void write_meta(const struct bench_result *res, struct csv *c)
{
	size_t busy = 0;

	config_meta(res->cfg, c);
	if (res->interrupted)
		csv_meta(c, "interrupted", "yes");
	for (size_t i = 0; i < res->nrows; i++)
		busy += res->rows[i].load.busy;
	/* the whole walk: pvt's own waiting workers count in pressure */
	csv_meta(c, "load", "other processes took %.2f core(s), steal %.2f; "
		 "%zu of %zu run(s) busy (others over %.0f%% of %ld "
		 "core(s))", res->load.other_cpu, res->load.steal, busy,
		 res->nrows, 100 * LOAD_BUSY_SHARE, sysinfo_cores());
	if (isfinite(res->load.pressure))
		csv_meta(c, "cpu_pressure", "%.3f of the time some task waited "
			 "for a CPU", res->load.pressure);
	if (res->cfg->sc->check)
		verdicts_meta(&res->verdicts, c);
}

static void keys_fields(const struct bench_result *res, struct csv *c,
			const struct bench_conf *k)
{
	for (size_t i = 0; i < list_count(res->b->keys); i++)
		csv_str(c, k->key[i][0] ? k->key[i] : NULL);
}

static void load_fields(struct csv *c, double other, double steal, int busy)
{
	csv_num(c, other);
	csv_num(c, steal);
	csv_int(c, busy);
}

/* "BASE,other,cols": the columns of a file. */
static void columns(char *buf, size_t len, const char *base,
		    const char *a, const char *b)
{
	snprintf(buf, len, "%s," BENCH_LOAD_COLS "%s%s%s%s", base,
		 a && *a ? "," : "", a && *a ? a : "", b && *b ? "," : "",
		 b && *b ? b : "");
}

static int open_file(const struct bench_result *res, struct csv *c,
		     const char *suffix)
{
	char name[256];

	snprintf(name, sizeof(name), "%s%s", res->cfg->sc->name, suffix);
	return csv_open(c, res->cfg->out, name);
}

static int write_raw(const struct bench_result *res, struct csv *c)
{
	char cols[2048];

	if (open_file(res, c, ".csv"))
		return -1;
	write_meta(res, c);
	columns(cols, sizeof(cols), BENCH_RAW_COLS, res->b->keys,
		res->b->figures);
	csv_header(c, cols);
	for (size_t i = 0; i < res->nrows; i++) {
		const struct bench_row *row = &res->rows[i];
		const struct bench_conf *k = row->conf;

		bench_raw_common(c, res->cfg->sc->name, k->model, k->workers,
				 k->tasks, k->size, row->rep, &row->st,
				 row->ok);
		load_fields(c, row->load.other_cpu, row->load.steal,
			    row->load.busy);
		keys_fields(res, c, k);
		for (size_t f = FIG_COMMON; f < res->nfig; f++)
			csv_num(c, fig_value(row, f));
		csv_end_row(c);
	}
	return 0;
}

static double stat_of(const struct stats *s, enum bench_stat which)
{
	if (!s->n)
		return which == BENCH_N ? 0 : NAN;
	switch (which) {
	case BENCH_MEDIAN: return s->median;
	case BENCH_MIN: return s->min;
	case BENCH_MAX: return s->max;
	case BENCH_MEAN: return s->mean;
	case BENCH_STDDEV: return s->n > 1 ? s->stddev : NAN;
	case BENCH_CI95: return s->n > 1 ? s->ci95 : NAN;
	case BENCH_N: return (double)s->n;
	}
	return NAN;
}

static int write_summary(const struct bench_result *res, struct csv *c)
{
	const struct bench *b = res->b;
	char cols[2048], own[1024] = "";
	size_t off = 0;

	for (size_t i = 0; b->summary && b->summary[i].name &&
	     off < sizeof(own); i++)
		off += (size_t)snprintf(own + off, sizeof(own) - off, "%s%s",
					i ? "," : "", b->summary[i].name);
	if (off >= sizeof(own)) {
		fprintf(stderr, "pvt: %s: too many summary columns\n",
			res->cfg->sc->name);
		errno = EINVAL;
		return -1;
	}
	if (b->derived_cols && *b->derived_cols)
		snprintf(own + off, sizeof(own) - off, "%s%s", off ? "," : "",
			 b->derived_cols);
	if (open_file(res, c, ".summary.csv"))
		return -1;
	write_meta(res, c);
	columns(cols, sizeof(cols), BENCH_SUMMARY_COLS, b->keys, own);
	csv_header(c, cols);
	for (size_t i = 0; i < res->nconfs; i++) {
		const struct bench_conf *k = &res->confs[i];

		if (!k->runs)
			continue;	/* never reached: interrupted */
		bench_summary_common(c, res->cfg->sc->name, k->model,
				     k->workers, k->tasks, k->size,
				     k->wall.n ? &k->wall : NULL, k->speedup,
				     k->efficiency, k->ok);
		load_fields(c, k->other_cpu, k->steal, k->busy);
		keys_fields(res, c, k);
		for (size_t j = 0; b->summary && b->summary[j].name; j++)
			csv_num(c, stat_of(bench_stats(res, k,
						       b->summary[j].figure),
					   b->summary[j].stat));
		for (size_t j = 0; j < list_count(b->derived_cols); j++)
			csv_num(c, k->derived[j]);
		csv_end_row(c);
	}
	return 0;
}

static int write_verdicts(const struct bench_result *res, struct csv *c)
{
	if (open_file(res, c, ".verdicts.csv"))
		return -1;
	write_meta(res, c);
	csv_header(c, VERDICT_COLS);
	verdicts_rows(&res->verdicts, res->cfg->sc->name, c);
	return 0;
}

/* NAME.csv, NAME.summary.csv (and NAME.verdicts.csv), all or none.
 * Returns 0, or -1 with errno set. */
static int write_files(const struct bench_result *res)
{
	struct csv set[3];
	size_t n = 0;
	int e;

	if (write_raw(res, &set[n]))
		goto fail;
	n++;
	if (write_summary(res, &set[n]))
		goto fail;
	n++;
	if (res->cfg->sc->check) {
		if (write_verdicts(res, &set[n]))
			goto fail;
		n++;
	}
	return csv_commit_all(set, n);
fail:
	e = errno;
	while (n--)
		csv_abort(&set[n]);
	errno = e;
	return -1;
}

int bench_demo_commit(const struct config *cfg, struct csv *c,
		      const struct verdicts *vs)
{
	struct csv set[2];
	char name[256];

	set[0] = *c;
	snprintf(name, sizeof(name), "%s.verdicts.csv", cfg->sc->name);
	if (csv_open(&set[1], cfg->out, name)) {
		int err = errno;

		fprintf(stderr, "pvt: %s: cannot write in '%s': %s\n",
			cfg->sc->name, cfg->out, strerror(err));
		csv_abort(c);
		errno = err;
		return -1;
	}
	config_meta(cfg, &set[1]);
	verdicts_meta(vs, &set[1]);
	csv_header(&set[1], VERDICT_COLS);
	verdicts_rows(vs, cfg->sc->name, &set[1]);
	if (csv_commit_all(set, 2)) {
		fprintf(stderr, "pvt: %s: cannot write %s and %s: %s\n",
			cfg->sc->name, c->path, name, strerror(errno));
		return -1;
	}
	if (!cfg->quiet) {
		verdicts_print(vs);
		printf("  wrote %s/%s.csv and %s\n", cfg->out, cfg->sc->name,
		       name);
	}
	return 0;
}

/* ---- narration ---------------------------------------------------------- */

static void say_busy(void)
{
	printf("  ! busy: in some run other processes took over %.0f%% of the "
	       "%ld core(s); a lesson such a run could fake is judged "
	       "inconclusive\n", 100 * LOAD_BUSY_SHARE, sysinfo_cores());
}

/* For a scenario with tables of its own: what others took, in one
 * line. */
static void narrate_load(const struct bench_result *res)
{
	double most = NAN;
	int busy = 0;

	for (size_t i = 0; i < res->nconfs; i++) {
		const struct bench_conf *k = &res->confs[i];

		if (!k->runs)
			continue;
		busy |= k->busy;
		if (isfinite(k->other_cpu) && !(most >= k->other_cpu))
			most = k->other_cpu;
	}
	printf("\n%s: median of %u run(s) after %u warm-up(s); other "
	       "processes took up to %.2f core(s) during a configuration's "
	       "runs\n", res->cfg->sc->name, res->cfg->repeat,
	       res->cfg->warmup, most);
	if (busy)
		say_busy();
}

/* The headline figure's median, with its unit from its name. */
static void print_figure(const char *name, double x)
{
	size_t n = strlen(name);

	if (n > 3 && !strcmp(name + n - 3, "_us"))
		printf(" %9.2f us", x);
	else if (n > 4 && !strcmp(name + n - 4, "_kib"))
		printf(" %8.0f KiB", x);
	else if (n > 2 && !strcmp(name + n - 2, "_s"))
		printf(" %9.4f s", x);
	else
		printf(" %11.4g", x);
}

static void narrate(const struct bench_result *res)
{
	const struct config *cfg = res->cfg;
	const struct bench *b = res->b;
	const char *head = b->headline ? b->headline : "wall_s";
	size_t nkeys = list_count(b->keys);
	int noisy = 0, busy = 0;
	char key[64];

	if (b->own_table) {
		narrate_load(res);
		return;
	}

	if (cfg->sc->size_unit)
		printf("\n%s: %llu tasks of %llu %s, median of %u run(s) "
		       "after %u warm-up(s)\n", cfg->sc->name,
		       (unsigned long long)cfg->tasks,
		       (unsigned long long)cfg->size, cfg->sc->size_unit,
		       cfg->repeat, cfg->warmup);
	else
		printf("\n%s: median of %u run(s) after %u warm-up(s)\n",
		       cfg->sc->name, cfg->repeat, cfg->warmup);
	printf("  %-13s %7s", "model", "workers");
	for (size_t i = 0; !list_item(b->keys, i, key, sizeof(key)); i++)
		printf(" %10s", key);
	printf(" %11s %8s", head == b->headline ? head : "median", "spread");
	if (b->speedup)
		printf(" %8s %10s", "speedup", "efficiency");
	printf(" %7s\n", "others");
	for (size_t i = 0; i < res->nconfs; i++) {
		const struct bench_conf *k = &res->confs[i];
		const struct stats *h;

		if (!k->runs)
			continue;
		printf("  %-13s %7u", model_name(k->model), k->workers);
		for (size_t j = 0; j < nkeys; j++)
			printf(" %10s", k->key[j]);
		h = bench_stats(res, k, head);
		if (!h->n) {
			printf(" %11s\n", "FAILED");
			continue;
		}
		noisy |= h->noisy;
		busy |= k->busy;
		print_figure(head, h->median);
		printf(" %7.1f%%%s", 100 * h->spread, h->noisy ? "*" : " ");
		if (b->speedup && isfinite(k->speedup))
			printf(" %7.2fx %10.2f", k->speedup, k->efficiency);
		else if (b->speedup)
			printf(" %8s %10s", "", "");
		if (isfinite(k->other_cpu))
			printf(" %6.2f%s", k->other_cpu, k->busy ? "!" : " ");
		printf("%s\n", k->ok ? "" : "  (some runs FAILED)");
	}
	if (noisy)
		printf("  * noisy: the runs spread over %.0f%% of the median; "
		       "close other programs or raise --repeat\n",
		       100 * MEASURE_NOISY);
	printf("  others: cores' worth of CPU time other processes took "
	       "during its runs\n");
	if (busy)
		say_busy();
}

/* ---- the walk ------------------------------------------------------------ */

int bench_run(struct bench_result *res)
{
	const struct config *cfg = res->cfg;
	const struct bench *b = res->b;
	size_t cap = 1;
	struct load_mark whole;
	int status = 0, written = 0;

	for (size_t c = 0; c < res->nconfs; c++)
		cap += res->confs[c].repeat + 1;
	res->rows = calloc(cap, sizeof(*res->rows));
	if (!res->rows) {
		fprintf(stderr, "pvt: %s: out of memory\n", cfg->sc->name);
		return 1;
	}
	load_begin(&whole);
	if (b->begin)
		for (size_t c = 0; c < res->nconfs && !workers_stopped(); c++)
			run_conf(res, &res->confs[c], c);
	else
		run_rounds(res);
	load_end(&whole, sysinfo_cores(), &res->load);
	if (!b->begin) {
		for (size_t c = 0; c < res->nconfs; c++)
			if (!res->confs[c].batch)
				res->confs[c].load = res->load;
		if (rows_by_conf(res)) {
			fprintf(stderr, "pvt: %s: out of memory\n",
				cfg->sc->name);
			return 1;
		}
	}
	progress_clear();
	/* stopped without a signal (workers_stop): as an interrupt */
	res->interrupted = !workers_stopped() ? 0 : cli_interrupted() ?
			   cli_interrupted() : SIGINT;
	if (summarise(res)) {
		fprintf(stderr, "pvt: %s: out of memory\n", cfg->sc->name);
		return 1;
	}
	if (cfg->sc->check)
		cfg->sc->check(res, &res->verdicts);
	if (res->nrows) {
		written = !write_files(res);
		if (!written) {
			fprintf(stderr, "pvt: %s: cannot write the CSV in "
				"'%s': %s\n", cfg->sc->name, cfg->out,
				strerror(errno));
			status = 1;
		}
	}
	if (!cfg->quiet && res->nrows) {
		narrate(res);
		if (b->narrate)
			b->narrate(b->ctx, res);
		verdicts_print(&res->verdicts);
	}
	if (written && !cfg->quiet && cfg->sc->check)
		printf("  wrote %s/%s.csv, %s.summary.csv and %s.verdicts.csv%s\n",
		       cfg->out, cfg->sc->name, cfg->sc->name, cfg->sc->name,
		       res->interrupted ? " (interrupted: partial)" : "");
	else if (written && !cfg->quiet)
		printf("  wrote %s/%s.csv and %s.summary.csv%s\n", cfg->out,
		       cfg->sc->name, cfg->sc->name,
		       res->interrupted ? " (interrupted: partial)" : "");
	if (res->interrupted)
		return 128 + res->interrupted;
	return res->failed ? 1 : status;
}

void bench_free(struct bench_result *res)
{
	for (size_t i = 0; res->confs && i < res->nconfs; i++)
		free(res->confs[i].fig);
	free(res->confs);
	free(res->rows);
	verdicts_free(&res->verdicts);
	memset(res, 0, sizeof(*res));
}

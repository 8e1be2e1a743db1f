/* convoy.c - an I/O-bound worker beside CPU-bound ones: the convoy effect
 *
 * One I/O worker makes request/response round trips over a socketpair to
 * an echo peer for --duration, first alone, then beside 1..N CPU-bound
 * workers that do square's work (blocks of integers squared and summed)
 * until it is done. Under a GIL every blocking call gives the lock up and
 * the I/O worker must get it back, which costs a whole switch interval
 * while a CPU worker computes (CPython's convoy effect, bpo-7946): its
 * round trips collapse. Under processes and plain threads they don't.
 *
 * One engine run per measurement, DIST_STATIC with one task per worker,
 * so that task t is worker t: 0 the I/O worker, 1 the echo peer, 2.. the
 * CPU workers. The echo peer stands for the far end of a connection: under
 * the gil model it never holds the lock (it is inside one long blocking
 * call for the whole run), as a server in another process would not.
 * Every echoed message is compared with what was sent, every CPU worker's
 * checksum with the closed form, so a lost or wrong message or block
 * fails the run instead of making it fast.
 */
#define _DEFAULT_SOURCE
#include <errno.h>
#include <math.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "engine/chan.h"
#include "face/parse.h"
#include "face/scenario.h"
#include "measure/measure.h"
#include "measure/percentile.h"
#include "measure/sweep.h"
#include "output/csv.h"
#include "output/progress.h"
#include "python/python.h"

#define IO_WORKER 0
#define ECHO_PEER 1
#define FIRST_CPU 2

#define LAT_CAP (1u << 20)	/* round trips a run records at most */
#define MAX_MSG 65536		/* bytes of a request at most */
#define CHECK_EVERY 4096	/* integers between two GIL checkpoints */
#define BYE UINT64_MAX		/* the sequence number that ends the peer */
#define MAX_INTERVALS 16

struct convoy_result {
	_Atomic int done;	/* I/O worker: finished; CPU workers stop */
	int err;		/* errno of the call that failed, or 0 */
	uint64_t count;		/* round trips, messages echoed or blocks */
	double span_s;		/* the worker's own measuring time */
	double p50_us, p99_us;	/* I/O worker: round-trip latency */
	uint64_t checksum;	/* CPU worker: of all its blocks */
};

struct convoy_ctx {
	struct chan *req, *rep;	/* I/O worker -> peer, peer -> I/O worker */
	enum model model;
	double duration_s;	/* of the I/O worker's round trips */
	double latency_s;	/* the echo peer's delay before answering */
	size_t msg;		/* bytes per request and per response */
	uint64_t size;		/* integers per CPU block */
	struct convoy_result *io;	/* the I/O worker's slot: done */
};

/* ---- the three kinds of worker ------------------------------------------ */

/* Sends req and waits for the echo, each blocking call with the GIL
 * released, as CPython's socket calls do. Returns 0 or a negative
 * errno. */
static int round_trip(const struct convoy_ctx *c, const unsigned char *req,
		      unsigned char *back)
{
	int err;

	worker_io_begin();
	err = chan_send(c->req, req, c->msg);
	worker_io_end();
	if (err)
		return err;
	worker_io_begin();
	err = chan_recv(c->rep, back, c->msg);
	worker_io_end();
	if (err)
		return err;
	return memcmp(req, back, c->msg) ? -EPROTO : 0;
}

/* Tells the echo peer to stop, whatever happened before (it would
 * otherwise wait for the next request forever in the thread models). */
static int say_bye(const struct convoy_ctx *c)
{
	unsigned char bye[MAX_MSG] = { 0 };
	uint64_t seq = BYE;
	int err;

	memcpy(bye, &seq, sizeof(seq));
	worker_io_begin();
	err = chan_send(c->req, bye, c->msg);
	worker_io_end();
	return err;
}

/* Round trips until --duration is over (or LAT_CAP of them, or the run
 * is stopped), each one's latency recorded. */
static int io_task(const struct convoy_ctx *c, struct convoy_result *r)
{
	unsigned char *req = malloc(c->msg), *back = malloc(c->msg);
	double *lat = malloc(LAT_CAP * sizeof(*lat)), t0, end;
	uint64_t n = 0;
	int err = 0, bye_err;

	if (c->model == MODEL_PROCESS) {
		chan_close_end(c->req, CHAN_RECEIVER);
		chan_close_end(c->rep, CHAN_SENDER);
	}
	if (!req || !back || !lat) {
		err = -ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < c->msg; i++)
		req[i] = (unsigned char)(i * 7 + 1);
	t0 = measure_now();
	end = t0 + c->duration_s;
	for (; n < LAT_CAP && !workers_stopped(); n++) {
		double a = measure_now();

		if (a >= end)
			break;
		memcpy(req, &n, sizeof(n));
		if ((err = round_trip(c, req, back)))
			break;
		lat[n] = (measure_now() - a) * 1e6;
	}
	r->span_s = measure_now() - t0;
	r->count = n;
	r->p50_us = percentile(lat, n, 50);
	r->p99_us = percentile_sorted(lat, n, 99);
out:
	atomic_store(&r->done, 1);
	bye_err = say_bye(c);
	if (!err)
		err = bye_err;
	r->err = -err;
	free(req);
	free(back);
	free(lat);
	return err ? 1 : 0;
}

/* Sleeps s seconds, through interruptions. */
static void pause_for(double s)
{
	struct timespec ts = {
		.tv_sec = (time_t)s,
		.tv_nsec = (long)((s - (double)(time_t)s) * 1e9),
	};

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static int echo_task(const struct convoy_ctx *c, struct convoy_result *r)
{
	unsigned char *buf = malloc(c->msg);
	uint64_t seq;
	int err = 0;

	if (c->model == MODEL_PROCESS) {
		chan_close_end(c->req, CHAN_SENDER);
		chan_close_end(c->rep, CHAN_RECEIVER);
	}
	if (!buf) {
		r->err = ENOMEM;
		return 1;
	}
	worker_io_begin();	/* never holds the GIL: the far end */
	while (!(err = chan_recv(c->req, buf, c->msg))) {
		memcpy(&seq, buf, sizeof(seq));
		if (seq == BYE)
			break;
		if (c->latency_s > 0)
			pause_for(c->latency_s);
		if ((err = chan_send(c->rep, buf, c->msg)))
			break;
		r->count++;
	}
	worker_io_end();
	free(buf);
	r->err = -err;
	return err ? 1 : 0;
}

/* Square's work: the integers first .. first+n-1 squared and summed,
 * modulo 2^64, with a GIL checkpoint every few microseconds. */
static uint64_t square_block(uint64_t first, uint64_t n)
{
	uint64_t sum = 0, i = 0;

	while (i < n) {
		uint64_t stop = i + CHECK_EVERY < n ? i + CHECK_EVERY : n;

		for (; i < stop; i++) {
			uint64_t x = first + i;

			__asm__("" : "+r"(x));	/* no closed form here */
			sum += x * x;
		}
		worker_checkpoint();
	}
	return sum;
}

/* Sum of i*i for i in [0, n), modulo 2^64; exact for n <= 2^40. */
static uint64_t sum_squares_below(uint64_t n)
{
	unsigned __int128 m = n;

	return n ? (uint64_t)(m * (m - 1) * (2 * m - 1) / 6) : 0;
}

/* Computes blocks until the I/O worker is done; gives up (failed) when
 * it is not done long after it should be. */
static int cpu_task(const struct convoy_ctx *c, struct convoy_result *r)
{
	double t0 = measure_now(), give_up = t0 + 2 * c->duration_s + 10;
	uint64_t sum = 0, k = 0;

	if (c->model == MODEL_PROCESS) {
		chan_close_end(c->req, CHAN_SENDER | CHAN_RECEIVER);
		chan_close_end(c->rep, CHAN_SENDER | CHAN_RECEIVER);
	}
	while (!atomic_load(&c->io->done)) {
		if (measure_now() > give_up) {
			r->err = ETIMEDOUT;
			break;
		}
		sum += square_block(k * c->size, c->size);
		k++;
	}
	r->span_s = measure_now() - t0;
	r->count = k;
	r->checksum = sum;
	return r->err ? 1 : 0;
}

static int convoy_task(const void *ctx, void *local, size_t task,
		       void *result)
{
	(void)local;
	if (task == IO_WORKER)
		return io_task(ctx, result);
	if (task == ECHO_PEER)
		return echo_task(ctx, result);
	return cpu_task(ctx, result);
}

/* ---- one run ------------------------------------------------------------ */

/* What one run measured. */
struct convoy_figs {
	double rt_per_sec;	/* the I/O worker's round trips per second */
	double p50_us, p99_us;	/* its round-trip latency */
	double cpu_mips;	/* the CPU workers', million integers/s */
	double round_trips;
};

/* Checks the results of a run with ncpu CPU workers; fills *f. Returns
 * 0, or -1 with the first problem in why. */
static int convoy_verify(const struct convoy_ctx *c, const struct results *r,
			 unsigned ncpu, struct convoy_figs *f, char *why,
			 size_t len)
{
	const struct convoy_result *io = results_at(r, IO_WORKER);
	const struct convoy_result *peer = results_at(r, ECHO_PEER);
	double ints = 0;

	if (io->count == 0 || peer->count != io->count) {
		snprintf(why, len, "%llu round trip(s), %llu echoed",
			 (unsigned long long)io->count,
			 (unsigned long long)peer->count);
		return -1;
	}
	for (unsigned w = 0; w < ncpu; w++) {
		const struct convoy_result *cpu = results_at(r, FIRST_CPU + w);
		uint64_t n = cpu->count * c->size;

		if (n > (1ULL << 40) ||
		    cpu->checksum != sum_squares_below(n)) {
			snprintf(why, len, "CPU worker %u: checksum %llu of "
				 "%llu blocks is wrong", w,
				 (unsigned long long)cpu->checksum,
				 (unsigned long long)cpu->count);
			return -1;
		}
		ints += (double)n / cpu->span_s;
	}
	f->rt_per_sec = (double)io->count / io->span_s;
	f->p50_us = io->p50_us;
	f->p99_us = io->p99_us;
	f->cpu_mips = ncpu ? ints / 1e6 : NAN;
	f->round_trips = (double)io->count;
	return 0;
}

/* One run of a C model (process, thread, gil) with ncpu CPU workers.
 * Returns 0 with *f, or -1 with the reason in st->why. */
static int convoy_once(struct convoy_ctx *c, unsigned ncpu, double interval,
		       struct timeline *tl, struct run_stats *st,
		       struct convoy_figs *f)
{
	unsigned n = FIRST_CPU + ncpu;
	struct run_spec spec = {
		.model = c->model, .workers = n, .tasks = n,
		.fn = convoy_task, .ctx = c, .switch_interval_s = interval,
		.timeline = tl, .dist = DIST_STATIC,
	};
	struct results r;
	struct workers *w;
	int err, rc = -1;

	memset(st, 0, sizeof(*st));
	if ((err = chan_create(CHAN_SOCKETPAIR, 64, &c->req)) ||
	    (err = chan_create(CHAN_SOCKETPAIR, 64, &c->rep))) {
		snprintf(st->why, sizeof(st->why), "socketpair: %s",
			 strerror(-err));
		chan_destroy(c->req);
		return -1;
	}
	if (results_create(&r, n, sizeof(struct convoy_result))) {
		snprintf(st->why, sizeof(st->why), "mmap: %s", strerror(errno));
		goto out_chans;
	}
	c->io = results_at(&r, IO_WORKER);
	if (tl)
		timeline_reset(tl);
	if (workers_start(&spec, &r, &w, st))
		goto out_results;
	if (c->model == MODEL_PROCESS) {
		/* the workers hold the ends: the peer sees the I/O worker's
		 * end of stream should it die */
		chan_close_end(c->req, CHAN_SENDER | CHAN_RECEIVER);
		chan_close_end(c->rep, CHAN_SENDER | CHAN_RECEIVER);
	}
	rc = workers_wait(w, st);
	for (unsigned t = 0; rc && t < n; t++) {
		const struct convoy_result *x = results_at(&r, t);
		size_t used = strlen(st->why);

		if (x->err)
			snprintf(st->why + used, sizeof(st->why) - used,
				 "; %s: %s", t == IO_WORKER ? "I/O worker" :
				 t == ECHO_PEER ? "echo peer" : "CPU worker",
				 strerror(x->err));
	}
	if (!rc)
		rc = convoy_verify(c, &r, ncpu, f, st->why, sizeof(st->why));
out_results:
	results_destroy(&r);
out_chans:
	chan_destroy(c->req);
	chan_destroy(c->rep);
	c->req = c->rep = NULL;
	return rc;
}

/* ---- the py-* models ------------------------------------------------------ */

/* The figures convoy.py prints after the checksum, in struct convoy_figs
 * order. */
#define PY_FIGS 5

/* One run of scenarios/python/convoy.py under m (py-process, py-thread)
 * with ncpu CPU workers of py_size integers a block, and interval as
 * sys.setswitchinterval (NAN: left alone). Returns 0 with *f, or -1 with
 * the reason in st->why. */
static int convoy_py(const struct convoy_ctx *c, enum model m, unsigned ncpu,
		     uint64_t py_size, double interval, struct run_stats *st,
		     struct convoy_figs *f)
{
	char dur[32], lat[32], msg[32], si[32];
	const char *extra[] = { "--duration", dur, "--latency", lat,
				"--message", msg,
				isnan(interval) ? NULL : "--switch-interval",
				si, NULL };
	struct py_row row;
	uint64_t n;
	size_t got;

	memset(st, 0, sizeof(*st));
	snprintf(dur, sizeof(dur), "%.9g", c->duration_s);
	snprintf(lat, sizeof(lat), "%.9g", c->latency_s);
	snprintf(msg, sizeof(msg), "%zu", c->msg);
	snprintf(si, sizeof(si), "%.9g", interval);
	if (python_run("convoy.py", m, ncpu, FIRST_CPU + ncpu, py_size, 1, 0,
		       extra, &row, 1, &got, st->why, sizeof(st->why)))
		return -1;
	st->wall_s = row.wall_s;
	st->user_s = row.user_s;
	st->sys_s = row.sys_s;
	st->max_rss_kib = row.max_rss_kib;
	st->failed = (size_t)row.failed;
	n = (uint64_t)row.fig[4];
	if (!row.ok || row.nfig != PY_FIGS || row.fig[4] < 1 ||
	    row.checksum != (uint64_t)((unsigned __int128)n * (n - 1) / 2)) {
		snprintf(st->why, sizeof(st->why), "convoy.py: %s",
			 row.ok ? "its round trips do not add up" :
			 "a worker failed (see above)");
		return -1;
	}
	*f = (struct convoy_figs){ row.fig[0], row.fig[1], row.fig[2],
				   row.fig[3], row.fig[4] };
	return 0;
}

/* ---- measuring ---------------------------------------------------------- */

/* One configuration: a model, its switch interval (NAN: none), a number
 * of CPU workers beside the I/O worker. */
struct convoy_conf {
	enum model model;
	double interval;
	unsigned ncpu;
};

/* What a run of the scenario was asked to do, parsed. */
struct convoy_opts {
	struct convoy_ctx ctx;
	uint64_t py_size;
	double intervals[MAX_INTERVALS];
	size_t nintervals;
	struct timeline *tl;	/* --timeline: gil runs beside CPU workers */
};

/* Whether model m sweeps the switch interval. */
static int sweeps_interval(enum model m)
{
	return m == MODEL_GIL || m == MODEL_PY_THREAD;
}

/* One measured or warm-up run of k. Returns 0 with *f, or -1 with the
 * reason in st->why. */
static int convoy_measure(struct convoy_opts *o, const struct convoy_conf *k,
			  int record, struct run_stats *st,
			  struct convoy_figs *f)
{
	if (MODEL_IS_PYTHON(k->model))
		return convoy_py(&o->ctx, k->model, k->ncpu, o->py_size,
				 k->interval, st, f);
	o->ctx.model = k->model;
	return convoy_once(&o->ctx, k->ncpu, isnan(k->interval) ? 0 :
			   k->interval, record ? o->tl : NULL, st, f);
}

/* ---- the sweep, the files and the narration ------------------------------
 * Until the common measuring layer is in: one loop over configurations x
 * (warm-ups + repeats), whose callback is convoy_measure above. */

#define TIMELINE_CAP (1 << 18)
#define FIG_COLS "switch_interval_s,rt_per_sec,p50_us,p99_us,cpu_mips," \
		 "round_trips"

struct convoy_row {
	unsigned rep;
	struct run_stats st;
	struct convoy_figs f;
	int ok;
};

struct convoy_point {
	struct convoy_conf k;
	struct convoy_row *rows;	/* repeat of them */
	unsigned nrows, ok_rows;
	struct convoy_figs median;	/* over the ok rows */
	struct stats wall;
};

static double median_of(const struct convoy_point *p, size_t off)
{
	double x[1000];
	size_t n = 0;

	for (unsigned i = 0; i < p->nrows && n < 1000; i++)
		if (p->rows[i].ok)
			x[n++] = *(const double *)((const char *)&p->rows[i].f +
						   off);
	return percentile(x, n, 50);
}

static void summarise(struct convoy_point *p)
{
	double wall[1000];
	size_t n = 0;

	for (unsigned i = 0; i < p->nrows && n < 1000; i++)
		if (p->rows[i].ok)
			wall[n++] = p->rows[i].st.wall_s;
	p->ok_rows = (unsigned)n;
	if (measure_stats(wall, n, &p->wall))
		memset(&p->wall, 0, sizeof(p->wall));
#define MED(fld) p->median.fld = median_of(p, offsetof(struct convoy_figs, fld))
	MED(rt_per_sec);
	MED(p50_us);
	MED(p99_us);
	MED(cpu_mips);
	MED(round_trips);
#undef MED
}

static uint64_t size_of(const struct config *cfg, const struct convoy_opts *o,
			enum model m)
{
	(void)cfg;
	return MODEL_IS_PYTHON(m) ? o->py_size : o->ctx.size;
}

static void write_figs(struct csv *c, double interval,
		       const struct convoy_figs *f, int with_count)
{
	csv_num(c, interval);
	csv_num(c, f->rt_per_sec);
	csv_num(c, f->p50_us);
	csv_num(c, f->p99_us);
	csv_num(c, f->cpu_mips);
	if (with_count)
		csv_num(c, f->round_trips);
}

static int write_pair(const struct config *cfg, const struct convoy_opts *o,
		      const struct convoy_point *pts, size_t npts,
		      int interrupted)
{
	struct csv raw, sum;

	if (csv_open(&raw, cfg->out, "convoy.csv"))
		return -1;
	if (csv_open(&sum, cfg->out, "convoy.summary.csv")) {
		csv_abort(&raw);
		return -1;
	}
	config_meta(cfg, &raw);
	config_meta(cfg, &sum);
	if (interrupted) {
		csv_meta(&raw, "interrupted", "yes");
		csv_meta(&sum, "interrupted", "yes");
	}
	csv_header(&raw, SWEEP_RAW_COLS "," FIG_COLS);
	csv_header(&sum, SWEEP_SUMMARY_COLS ",switch_interval_s,rt_per_sec,"
		   "p50_us,p99_us,cpu_mips");
	for (size_t i = 0; i < npts; i++) {
		const struct convoy_point *p = &pts[i];
		uint64_t size = size_of(cfg, o, p->k.model);

		for (unsigned j = 0; j < p->nrows; j++) {
			const struct convoy_row *r = &p->rows[j];

			sweep_common_fields(&raw, "convoy", p->k.model,
					    p->k.ncpu, FIRST_CPU + p->k.ncpu,
					    size, r->rep, &r->st, r->ok);
			write_figs(&raw, p->k.interval, &r->f, 1);
			csv_end_row(&raw);
		}
		sweep_summary_fields(&sum, "convoy", p->k.model, p->k.ncpu,
				     FIRST_CPU + p->k.ncpu, size,
				     p->ok_rows ? &p->wall : NULL, NAN, NAN,
				     p->ok_rows == p->nrows && p->nrows);
		write_figs(&sum, p->k.interval, &p->median, 0);
		csv_end_row(&sum);
	}
	if (csv_finish(&raw) || csv_finish(&sum) || csv_commit(&raw) ||
	    csv_commit(&sum)) {
		csv_abort(&raw);
		csv_abort(&sum);
		return -1;
	}
	return 0;
}

/* The median round trips per second of model m at interval (NAN: none)
 * beside ncpu CPU workers, or NAN. */
static double rate_at(const struct convoy_point *pts, size_t npts,
		      enum model m, double interval, unsigned ncpu)
{
	for (size_t i = 0; i < npts; i++) {
		const struct convoy_point *p = &pts[i];

		if (p->k.model == m && p->k.ncpu == ncpu &&
		    (isnan(interval) ? isnan(p->k.interval) :
		     p->k.interval == interval))
			return p->ok_rows ? p->median.rt_per_sec : NAN;
	}
	return NAN;
}

/* The lesson as checks: beside one CPU worker the I/O worker's rate
 * falls by at least GIL_FALL under gil and py-thread (at the longest
 * interval swept, CPython's 5 ms by default), and by less than
 * FREE_FALL under process, thread and py-process. */
#define GIL_FALL 10.0
#define FREE_FALL 3.0

struct verdict {
	char check[96], expected[64], measured[96];
	const char *verdict;
	char reason[160];
};

static size_t convoy_checks(const struct config *cfg,
			    const struct convoy_opts *o,
			    const struct convoy_point *pts, size_t npts,
			    struct verdict *v)
{
	double longest = 0;
	size_t n = 0;

	for (size_t i = 0; i < o->nintervals; i++)
		if (o->intervals[i] > longest)
			longest = o->intervals[i];
	for (size_t i = 0; i < cfg->nmodels; i++) {
		enum model m = cfg->models[i];
		int gil = sweeps_interval(m);
		double at = gil ? longest : NAN;
		double alone = rate_at(pts, npts, m, at, 0);
		double beside = rate_at(pts, npts, m, at, 1);
		double fall = alone / beside;
		struct verdict *x = &v[n++];

		if (gil)
			snprintf(x->check, sizeof(x->check), "%s: the I/O "
				 "worker's rate beside one CPU worker "
				 "(interval %g ms)", model_name(m), at * 1e3);
		else
			snprintf(x->check, sizeof(x->check), "%s: the I/O "
				 "worker's rate beside one CPU worker",
				 model_name(m));
		snprintf(x->expected, sizeof(x->expected), "falls %s %gx",
			 gil ? "at least" : "less than",
			 gil ? GIL_FALL : FREE_FALL);
		x->reason[0] = 0;
		if (!isfinite(fall)) {
			x->verdict = "inconclusive";
			snprintf(x->measured, sizeof(x->measured), "-");
			snprintf(x->reason, sizeof(x->reason), "%s",
				 isfinite(alone) ? "no run beside 1 CPU worker "
				 "(see --cpu-workers) or it failed" :
				 "the run alone failed or did not run");
			continue;
		}
		snprintf(x->measured, sizeof(x->measured), "%.0f -> %.0f "
			 "round trips/s (%.1fx)", alone, beside, fall);
		x->verdict = (gil ? fall >= GIL_FALL : fall < FREE_FALL) ?
			     "holds" : "does not hold";
	}
	return n;
}

static int write_verdicts(const struct config *cfg, const struct verdict *v,
			  size_t n)
{
	struct csv c;

	if (csv_open(&c, cfg->out, "convoy.verdicts.csv"))
		return -1;
	config_meta(cfg, &c);
	csv_header(&c, "scenario,check,expected,measured,verdict,reason");
	for (size_t i = 0; i < n; i++) {
		csv_str(&c, "convoy");
		csv_str(&c, v[i].check);
		csv_str(&c, v[i].expected);
		csv_str(&c, v[i].measured);
		csv_str(&c, v[i].verdict);
		csv_str(&c, v[i].reason);
		csv_end_row(&c);
	}
	return csv_commit(&c);
}

static void narrate(const struct config *cfg, const struct convoy_point *pts,
		    size_t npts, const struct verdict *v, size_t nv)
{
	printf("\n  %-10s %9s %4s %12s %10s %10s %11s\n", "model", "interval",
	       "cpu", "round trip/s", "p50 us", "p99 us", "cpu Mint/s");
	for (size_t i = 0; i < npts; i++) {
		const struct convoy_point *p = &pts[i];
		char iv[16] = "-";

		if (!isnan(p->k.interval))
			snprintf(iv, sizeof(iv), "%gms", p->k.interval * 1e3);
		if (!p->ok_rows) {
			printf("  %-10s %9s %4u %12s\n", model_name(p->k.model),
			       iv, p->k.ncpu, "failed");
			continue;
		}
		printf("  %-10s %9s %4u %12.0f %10.1f %10.1f ",
		       model_name(p->k.model), iv, p->k.ncpu,
		       p->median.rt_per_sec, p->median.p50_us, p->median.p99_us);
		if (p->k.ncpu)
			printf("%11.1f\n", p->median.cpu_mips);
		else
			printf("%11s\n", "-");
	}
	printf("  (median of %u run(s) each; cpu: CPU workers beside the I/O "
	       "worker)\n\n", cfg->repeat);
	for (size_t i = 0; i < nv; i++)
		printf("  %s: %s, expected %s: %s%s%s\n", v[i].verdict,
		       v[i].check, v[i].expected, v[i].measured,
		       *v[i].reason ? " - " : "", v[i].reason);
	printf("  Lesson: %s\n", cfg->sc->lesson);
}

static void record_timeline(struct csv *c, const struct timeline *tl,
			    const struct convoy_conf *k)
{
	for (size_t i = 0; i < timeline_kept(tl); i++) {
		const struct tl_event *e = &tl->ev[i];

		csv_str(c, "convoy");
		csv_str(c, model_name(k->model));
		csv_int(c, k->ncpu);
		csv_num(c, k->interval);
		csv_int(c, 1);
		csv_int(c, e->worker);
		csv_str(c, NULL);
		csv_str(c, timeline_kind_name(e->kind));
		csv_num(c, e->start_s);
		csv_num(c, e->end_s);
		csv_end_row(c);
	}
	if (timeline_dropped(tl))
		fprintf(stderr, "pvt: convoy: timeline of %s beside %u: %zu "
			"intervals beyond %d not kept\n", model_name(k->model),
			k->ncpu, timeline_dropped(tl), TIMELINE_CAP);
}

/* Parses --intervals into o. Returns 0, or 2 after the usage line. */
static int parse_intervals(const struct config *cfg, struct convoy_opts *o)
{
	const char *s = config_param(cfg, "intervals")->s;
	char buf[256], err[256], *rest = buf, *tok;

	if (strlen(s) >= sizeof(buf))
		return parse_usage("convoy", "intervals", "too long");
	strcpy(buf, s);
	o->nintervals = 0;
	while ((tok = strsep(&rest, ","))) {
		if (o->nintervals == MAX_INTERVALS)
			return parse_usage("convoy", "intervals", "at most %d "
					   "intervals", MAX_INTERVALS);
		if (parse_duration(tok, 1e-6, 1, &o->intervals[o->nintervals],
				   err, sizeof(err)))
			return parse_usage("convoy", "intervals", "%s "
					   "(accepted: a list of durations "
					   "from 1us to 1s, as 5ms,1ms,100us)",
					   err);
		o->nintervals++;
	}
	return 0;
}

/* The configurations of the run, in the order they are measured: every
 * model alone and beside each count of CPU workers, at each interval
 * for gil and py-thread; the py-* models only when python3 is there.
 * Returns how many, with *out NULL when out of memory. */
static size_t make_points(const struct config *cfg,
			  const struct convoy_opts *o,
			  struct convoy_point **out)
{
	const struct param_value *cw = config_param(cfg, "cpu-workers");
	size_t max = cfg->nmodels * o->nintervals * (cw->n + 1), n = 0;
	struct convoy_point *p = calloc(max, sizeof(*p));
	char why[256];
	int py_skipped = 0;

	*out = p;
	if (!p)
		return 0;
	for (size_t i = 0; i < cfg->nmodels; i++) {
		enum model m = cfg->models[i];
		size_t ni = sweeps_interval(m) ? o->nintervals : 1;

		if (MODEL_IS_PYTHON(m) && python_find(why, sizeof(why))) {
			if (!py_skipped++)
				printf("  convoy: the py-* models are skipped: "
				       "%s\n", why);
			continue;
		}

		for (size_t j = 0; j < ni; j++)
			for (size_t c = 0; c <= cw->n; c++)
				p[n++].k = (struct convoy_conf){
					.model = m,
					.interval = sweeps_interval(m) ?
						    o->intervals[j] : NAN,
					.ncpu = c ? cw->list[c - 1] : 0,
				};
	}
	return n;
}

/* Measures every point: warm-ups, then repeats. Returns 0, or -1 when a
 * run failed (said on stderr). */
static int sweep_points(const struct config *cfg, struct convoy_opts *o,
			struct convoy_point *pts, size_t npts,
			struct csv *tl_csv)
{
	int failed = 0;

	for (size_t i = 0; i < npts && !workers_stopped(); i++) {
		struct convoy_point *p = &pts[i];
		int record = tl_csv && p->k.model == MODEL_GIL && p->k.ncpu;

		p->rows = calloc(cfg->repeat, sizeof(*p->rows));
		if (!p->rows)
			return -1;
		for (unsigned r = 0; r < cfg->warmup + cfg->repeat &&
		     !workers_stopped(); r++) {
			int measured = r >= cfg->warmup;
			struct convoy_row row = {
				.rep = r + 1 - cfg->warmup,
				.f = { NAN, NAN, NAN, NAN, NAN },
			};

			progress("convoy: %s%s beside %u CPU worker(s), run "
				 "%u of %u", model_name(p->k.model),
				 isnan(p->k.interval) ? "" : " (interval)",
				 p->k.ncpu, r + 1, cfg->warmup + cfg->repeat);
			row.ok = convoy_measure(o, &p->k, record && measured &&
						!p->nrows, &row.st,
						&row.f) == 0;
			if (!row.ok && !workers_stopped()) {
				progress_clear();
				fprintf(stderr, "pvt: convoy: %s beside %u CPU "
					"worker(s): %s\n",
					model_name(p->k.model), p->k.ncpu,
					row.st.why);
				failed = 1;
			}
			if (!measured)
				continue;
			if (record && !p->nrows)
				record_timeline(tl_csv, o->tl, &p->k);
			p->rows[p->nrows++] = row;
		}
		summarise(p);
	}
	progress_clear();
	return failed ? -1 : 0;
}

static int convoy_run(const struct config *cfg)
{
	struct convoy_opts o = {
		.ctx = {
			.duration_s = config_param(cfg, "duration")->d,
			.latency_s = config_param(cfg, "latency")->d,
			.msg = config_param(cfg, "message")->u,
			.size = config_param(cfg, "block")->u,
		},
		.py_size = config_param(cfg, "py-block")->u,
	};
	struct convoy_point *pts = NULL;
	struct verdict v[MODEL_COUNT];
	struct csv tl_csv;
	size_t npts, nv;
	int rc, failed, tl_open = 0;

	for (size_t i = 0; i < cfg->nmodels; i++)
		if (cfg->models[i] == MODEL_SEQUENTIAL ||
		    cfg->models[i] == MODEL_PY_SEQUENTIAL)
			return parse_usage("convoy", "models", "%s runs one "
					   "worker, and convoy needs an I/O "
					   "worker beside others (accepted: "
					   "process, thread, gil, py-process, "
					   "py-thread)",
					   model_name(cfg->models[i]));
	if ((rc = parse_intervals(cfg, &o)))
		return rc;
	npts = make_points(cfg, &o, &pts);
	if (!pts) {
		fprintf(stderr, "pvt: convoy: out of memory\n");
		return 1;
	}
	if (cfg->timeline && config_has_model(cfg, MODEL_GIL)) {
		o.tl = timeline_create(TIMELINE_CAP);
		if (!o.tl || csv_open(&tl_csv, cfg->out,
				      "convoy.timeline.csv")) {
			fprintf(stderr, "pvt: convoy: --timeline: %s\n",
				strerror(errno));
			timeline_destroy(o.tl);
			free(pts);
			return 1;
		}
		tl_open = 1;
		config_meta(cfg, &tl_csv);
		csv_header(&tl_csv, "scenario,model,workers,switch_interval_s,"
			   "rep,worker,task,kind,start_s,end_s");
	}
	failed = sweep_points(cfg, &o, pts, npts, tl_open ? &tl_csv : NULL);
	nv = convoy_checks(cfg, &o, pts, npts, v);
	rc = failed ? 1 : 0;
	if (write_pair(cfg, &o, pts, npts, cli_interrupted()) ||
	    write_verdicts(cfg, v, nv) ||
	    (tl_open && csv_commit(&tl_csv))) {
		fprintf(stderr, "pvt: convoy: cannot write the results in "
			"%s: %s\n", cfg->out, strerror(errno));
		rc = 1;
	}
	tl_open = 0;
	if (!cfg->quiet)
		narrate(cfg, pts, npts, v, nv);
	if (cli_interrupted())
		rc = 128 + cli_interrupted();
	for (size_t i = 0; i < npts; i++)
		free(pts[i].rows);
	free(pts);
	timeline_destroy(o.tl);
	return rc;
}

static const struct param convoy_params[] = {
	{ "cpu-workers", PARAM_LIST, "1,2,4", 1, 256, NULL,
	  "CPU workers beside the I/O worker (it is always also measured "
	  "alone)" },
	{ "duration", PARAM_DURATION, "0.5s", 0.001, 60, NULL,
	  "how long the I/O worker makes round trips in each run" },
	{ "intervals", PARAM_STRING, "5ms,1ms,100us", 0, 0, NULL,
	  "switch intervals for gil and py-thread (sys.setswitchinterval), "
	  "each 1us to 1s" },
	{ "latency", PARAM_DURATION, "50us", 0, 1, NULL,
	  "how long the echo peer takes to answer each request (the far "
	  "end's network and work); 0: at once" },
	{ "message", PARAM_SIZE, "64", 8, MAX_MSG, NULL,
	  "bytes of each request and of each response" },
	{ "block", PARAM_SIZE, "64Ki", 1, 1ULL << 30, NULL,
	  "integers a CPU worker squares and sums between two looks at "
	  "whether the I/O worker is done" },
	{ "py-block", PARAM_SIZE, "4Ki", 1, 1ULL << 30, NULL,
	  "the same for the py-* models (Python is ~100x slower)" },
	{ NULL, 0, NULL, 0, 0, NULL, NULL },
};

static const char *const convoy_quick[] = {
	"--duration", "0.25s", "--cpu-workers", "1,2", "--repeat", "3", NULL,
};

const struct scenario scenario_convoy = {
	.name = "convoy",
	.summary = "mixed work: an I/O-bound worker beside CPU-bound ones "
		   "(the convoy effect)",
	.lesson = "Threads are said to suit I/O-bound work, even in Python. "
		  "Beside one CPU-bound thread they don't: under a GIL every "
		  "blocking call gives the lock away, and getting it back "
		  "costs a whole switch interval, so an I/O worker's round "
		  "trips collapse by orders of magnitude. Beside a CPU-bound "
		  "process, or a C thread, they fall far less. A shorter "
		  "switch interval shortens each wait and rescues part of "
		  "the I/O worker's rate, for more hand-overs of the lock.",
	.method = "One I/O worker sends a request of --message bytes over a "
		  "socketpair (AF_UNIX) to an echo peer and waits for the "
		  "echo, for --duration, alone and then beside each count of "
		  "--cpu-workers CPU workers that square and sum blocks of "
		  "--block integers until it is done; every echo and every "
		  "block is checked. A socketpair rather than the embedded "
		  "HTTP server: a round trip then costs a few microseconds "
		  "of kernel work and nothing else (no HTTP parsing, no "
		  "server threads), so what the I/O worker waits for is the "
		  "scheduler and the lock, and Python makes the same round "
		  "trip with its standard library. The echo peer is the far "
		  "end: under gil it never holds the lock, for py-* it is a "
		  "process of its own. It answers after --latency (50 us by "
		  "default, a request on a local network; the kernel's timer "
		  "slack adds to it): a round trip of a few microseconds "
		  "(--latency 0) is often over before a CPU worker wakes to "
		  "take the lock, and the convoy is then smaller. Round trips per second = round trips / "
		  "the I/O worker's time; p50 and p99 interpolate between "
		  "the nearest ranks; the CPU workers' throughput is million "
		  "integers per second, all of them together.",
	.uses = USE_MODELS | USE_REPEAT | USE_TIMELINE,
	.models = "process,thread,gil,py-process,py-thread",
	.python = "convoy.py",
	.params = convoy_params,
	.quick = convoy_quick,
	.run = convoy_run,
};

/* convoy.c - an I/O-bound worker beside CPU-bound ones: the convoy effect
 *
 * One I/O worker makes request/response round trips over a socketpair to
 * an echo peer for --duration, first alone, then beside 1..N CPU-bound
 * workers that do square's work (blocks of integers squared and summed)
 * until it is done. Under a GIL every blocking call gives the lock up and
 * the I/O worker must get it back, which costs a whole switch interval
 * while a CPU worker computes (CPython's convoy effect, bpo-7946): its
 * round trips collapse. Under processes and plain threads they fall far
 * less.
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
#include "measure/bench.h"
#include "measure/percentile.h"
#include "output/csv.h"
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
 * released, as CPython's socket calls do. Returns 0, or -1 with errno
 * set (EPROTO: the echo differs). */
static int round_trip(const struct convoy_ctx *c, const unsigned char *req,
		      unsigned char *back)
{
	int rc;

	worker_io_begin();
	rc = chan_send(c->req, req, c->msg);
	worker_io_end();
	if (rc)
		return -1;
	worker_io_begin();
	rc = chan_recv(c->rep, back, c->msg);
	worker_io_end();
	if (rc)
		return -1;
	if (memcmp(req, back, c->msg)) {
		errno = EPROTO;
		return -1;
	}
	return 0;
}

/* Tells the echo peer to stop, whatever happened before (it would
 * otherwise wait for the next request forever in the thread models). */
static int say_bye(const struct convoy_ctx *c)
{
	unsigned char bye[MAX_MSG] = { 0 };
	uint64_t seq = BYE;
	int rc;

	memcpy(bye, &seq, sizeof(seq));
	worker_io_begin();
	rc = chan_send(c->req, bye, c->msg);
	worker_io_end();
	return rc;
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
		err = ENOMEM;
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
		if (round_trip(c, req, back)) {
			err = errno;
			break;
		}
		lat[n] = (measure_now() - a) * 1e6;
	}
	r->span_s = measure_now() - t0;
	r->count = n;
	r->p50_us = percentile(lat, n, 50);
	r->p99_us = percentile_sorted(lat, n, 99);
out:
	atomic_store(&r->done, 1);
	bye_err = say_bye(c) ? errno : 0;
	if (!err)
		err = bye_err;
	r->err = err;
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
	while (!(err = chan_recv(c->req, buf, c->msg) ? errno : 0)) {
		memcpy(&seq, buf, sizeof(seq));
		if (seq == BYE)
			break;
		if (c->latency_s > 0)
			pause_for(c->latency_s);
		if ((err = chan_send(c->rep, buf, c->msg) ? errno : 0))
			break;
		r->count++;
	}
	worker_io_end();
	free(buf);
	r->err = err;
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

/* What a run measures, in the order of FIGURES. */
enum { FIG_RATE, FIG_P50, FIG_P99, FIG_CPU, FIG_TRIPS, NFIGS };
#define FIGURES "rt_per_sec,p50_us,p99_us,cpu_mips,round_trips"

/* Checks the results of a run with ncpu CPU workers; fills fig. Returns
 * 0, or -1 with the first problem in why. */
static int convoy_verify(const struct convoy_ctx *c, const struct results *r,
			 unsigned ncpu, double *fig, char *why, size_t len)
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
	fig[FIG_RATE] = (double)io->count / io->span_s;
	fig[FIG_P50] = io->p50_us;
	fig[FIG_P99] = io->p99_us;
	fig[FIG_CPU] = ncpu ? ints / 1e6 : NAN;
	fig[FIG_TRIPS] = (double)io->count;
	return 0;
}

/* One run of a C model (process, thread, gil) with ncpu CPU workers.
 * Returns 0 with fig filled, or -1 with the reason in st->why. */
static int convoy_once(struct convoy_ctx *c, unsigned ncpu, double interval,
		       struct timeline *tl, struct run_stats *st, double *fig)
{
	unsigned n = FIRST_CPU + ncpu;
	struct run_spec spec = {
		.model = c->model, .workers = n, .tasks = n,
		.fn = convoy_task, .ctx = c, .switch_interval_s = interval,
		.timeline = tl, .dist = DIST_STATIC,
	};
	struct results r;
	struct workers *w;
	int rc = -1;

	c->req = c->rep = NULL;
	if (chan_create(CHAN_SOCKETPAIR, 64, &c->req) ||
	    chan_create(CHAN_SOCKETPAIR, 64, &c->rep)) {
		snprintf(st->why, sizeof(st->why), "socketpair: %s",
			 strerror(errno));
		goto out_chans;
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
		rc = convoy_verify(c, &r, ncpu, fig, st->why, sizeof(st->why));
out_results:
	results_destroy(&r);
out_chans:
	chan_destroy(c->req);
	chan_destroy(c->rep);
	c->req = c->rep = NULL;
	return rc;
}

/* ---- measuring, through the common layer (bench.h) ---------------------- */

#define TIMELINE_CAP (1 << 18)	/* events a recorded run keeps */
#define GIL_FALL 10.0		/* gil, py-thread: falls at least this */
#define FREE_FALL 3.0		/* process, thread, py-process: at most */

/* One configuration (bench_conf.arg): a model, its switch interval (NAN:
 * none), the CPU workers beside the I/O worker. */
struct convoy_conf {
	enum model model;
	double interval;
	unsigned ncpu;
};

/* The whole run, for the layer's callbacks. */
struct convoy_walk {
	struct convoy_ctx ctx;
	uint64_t py_block;	/* integers per CPU block in Python */
	double intervals[MAX_INTERVALS];
	size_t nintervals;
	struct convoy_conf *confs;
	struct timeline *tl;	/* --timeline: gil runs beside CPU workers */
	struct csv tl_csv;
	int tl_open, tl_rows;
};

/* Whether model m sweeps the switch interval. */
static int sweeps_interval(enum model m)
{
	return m == MODEL_GIL || m == MODEL_PY_THREAD;
}

static void record_timeline(struct convoy_walk *wk,
			    const struct convoy_conf *k)
{
	struct csv *c = &wk->tl_csv;
	const struct timeline *tl = wk->tl;

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
		wk->tl_rows++;
	}
	if (timeline_dropped(tl))
		fprintf(stderr, "pvt: convoy: timeline of %s beside %u: %zu "
			"intervals beyond %d not kept\n", model_name(k->model),
			k->ncpu, timeline_dropped(tl), TIMELINE_CAP);
}

/* bench.run: one repetition of a C model; the first measured one of
 * each gil configuration beside CPU workers is recorded (--timeline). */
static int convoy_rep(void *ctx, struct bench_row *row)
{
	struct convoy_walk *wk = ctx;
	const struct convoy_conf *k = row->conf->arg;
	int record = wk->tl_open && k->model == MODEL_GIL && k->ncpu &&
		     row->rep == 1;
	int rc;

	wk->ctx.model = k->model;
	rc = convoy_once(&wk->ctx, k->ncpu, isnan(k->interval) ? 0 :
			 k->interval, record ? wk->tl : NULL, &row->st,
			 row->fig);
	if (record && !rc)
		record_timeline(wk, k);
	return rc;
}

/* Takes one row convoy.py printed: its figures count only when the sum
 * of the echoed sequence numbers is 0 + 1 + ... + (round trips - 1). */
static void take_py_row(const struct py_row *py, struct bench_row *row)
{
	uint64_t n = py->nfig == NFIGS && py->fig[FIG_TRIPS] >= 1 ?
		     (uint64_t)py->fig[FIG_TRIPS] : 0;

	row->rep = py->rep;
	row->st.wall_s = py->wall_s;
	row->st.user_s = py->user_s;
	row->st.sys_s = py->sys_s;
	row->st.max_rss_kib = py->max_rss_kib;
	row->st.failed = (size_t)py->failed;
	row->ok = py->ok && !py->failed && n &&
		  py->checksum == (uint64_t)((unsigned __int128)n * (n - 1) / 2);
	if (!row->ok) {
		snprintf(row->st.why, sizeof(row->st.why), "convoy.py: %s",
			 py->ok ? "its round trips do not add up" :
			 "a worker failed (see above)");
		return;
	}
	for (size_t i = 0; i < NFIGS; i++)
		row->fig[i] = py->fig[i];
}

/* bench.run_batch: scenarios/python/convoy.py does a py-* configuration's
 * warm-ups and runs, with sys.setswitchinterval for py-thread. */
static int convoy_py_batch(void *ctx, struct bench_conf *bk,
			   struct bench_row *rows, unsigned *n)
{
	struct convoy_walk *wk = ctx;
	const struct convoy_conf *k = bk->arg;
	const struct convoy_ctx *c = &wk->ctx;
	char dur[32], lat[32], msg[32], si[32];
	const char *extra[] = { "--duration", dur, "--latency", lat,
				"--message", msg,
				isnan(k->interval) ? NULL : "--switch-interval",
				si, NULL };
	struct py_row *py = calloc(bk->repeat, sizeof(*py));
	size_t got = 0;

	*n = 0;
	snprintf(dur, sizeof(dur), "%.9g", c->duration_s);
	snprintf(lat, sizeof(lat), "%.9g", c->latency_s);
	snprintf(msg, sizeof(msg), "%zu", c->msg);
	snprintf(si, sizeof(si), "%.9g", k->interval);
	if (!py || python_run("convoy.py", k->model, k->ncpu, bk->tasks,
			      bk->size, bk->repeat, bk->warmup, extra, py,
			      bk->repeat, &got, rows[0].st.why,
			      sizeof(rows[0].st.why))) {
		if (!py)
			snprintf(rows[0].st.why, sizeof(rows[0].st.why),
				 "calloc: %s", strerror(errno));
		free(py);
		return -1;
	}
	for (size_t i = 0; i < got; i++)
		take_py_row(&py[i], &rows[i]);
	*n = (unsigned)got;
	free(py);
	return 0;
}

/* The median round trips per second of m at interval (NAN: none) beside
 * ncpu CPU workers; *k the configuration, or NULL. */
static double rate_at(const struct bench_result *res, enum model m,
		      double interval, unsigned ncpu,
		      const struct bench_conf **k)
{
	char iv[BENCH_KEY_LEN] = "";
	const char *keys[] = { iv, NULL };

	if (!isnan(interval))
		snprintf(iv, sizeof(iv), "%g", interval);
	*k = bench_find(res, m, ncpu, keys);
	return *k ? bench_stats(res, *k, "rt_per_sec")->median : NAN;
}

/* The longest switch interval swept: CPython's 5 ms by default. */
static double longest_interval(const struct bench_result *res)
{
	double longest = NAN;

	for (size_t i = 0; i < res->nconfs; i++) {
		const struct convoy_conf *k = res->confs[i].arg;

		if (!isnan(k->interval) &&
		    (isnan(longest) || k->interval > longest))
			longest = k->interval;
	}
	return longest;
}

/* The lesson as checks: beside one CPU worker, the I/O worker's rate
 * falls at least GIL_FALL times under gil and py-thread (at the longest
 * interval), at most FREE_FALL times under process, thread and
 * py-process. Slowing the run alone lowers the fall, slowing the run
 * beside raises it. */
static void convoy_check(const struct bench_result *res, struct verdicts *vs)
{
	const struct config *cfg = res->cfg;
	double longest = longest_interval(res);

	for (size_t i = 0; i < cfg->nmodels; i++) {
		enum model m = cfg->models[i];
		int gil = sweeps_interval(m);
		struct verdict_evidence ev = VERDICT_EVIDENCE_INIT;
		const struct bench_conf *ka, *kb;
		double iv = gil ? longest : NAN, alone, beside;
		char what[128];

		alone = rate_at(res, m, iv, 0, &ka);
		beside = rate_at(res, m, iv, 1, &kb);
		bench_evidence(&ev, ka, VERDICT_SLOW_LOWERS);
		bench_evidence(&ev, kb, VERDICT_SLOW_RAISES);
		if (gil)
			snprintf(what, sizeof(what), "%s: I/O worker's round "
				 "trips/s alone / beside 1 CPU worker (%g ms "
				 "interval)", model_name(m), iv * 1e3);
		else
			snprintf(what, sizeof(what), "%s: I/O worker's round "
				 "trips/s alone / beside 1 CPU worker",
				 model_name(m));
		verdict_compare(vs, what, alone / beside, gil ?
				VERDICT_AT_LEAST : VERDICT_AT_MOST, gil ?
				GIL_FALL : FREE_FALL, "%.1fx", &ev);
	}
}

/* After the layer's table: each configuration's latency and the CPU
 * workers' throughput beside its rate. */
static void convoy_narrate(void *ctx, const struct bench_result *res)
{
	(void)ctx;
	printf("\n  %-10s %9s %4s %12s %10s %10s %11s\n", "model",
	       "interval", "cpu", "round trip/s", "p50 us", "p99 us",
	       "cpu Mint/s");
	for (size_t i = 0; i < res->nconfs; i++) {
		const struct bench_conf *bk = &res->confs[i];
		const struct convoy_conf *k = bk->arg;
		char iv[16] = "-";

		if (!isnan(k->interval))
			snprintf(iv, sizeof(iv), "%gms", k->interval * 1e3);
		printf("  %-10s %9s %4u ", model_name(k->model), iv, k->ncpu);
		if (!bk->ok_runs) {
			printf("%12s\n", "failed");
			continue;
		}
		printf("%12.0f %10.1f %10.1f ",
		       bench_stats(res, bk, "rt_per_sec")->median,
		       bench_stats(res, bk, "p50_us")->median,
		       bench_stats(res, bk, "p99_us")->median);
		if (k->ncpu)
			printf("%11.1f\n",
			       bench_stats(res, bk, "cpu_mips")->median);
		else
			printf("%11s\n", "-");
	}
	printf("  (medians; cpu: CPU workers beside the I/O worker)\n");
}

/* Parses --intervals into wk. Returns 0, or 2 after the usage line. */
static int parse_intervals(const struct config *cfg, struct convoy_walk *wk)
{
	const char *s = config_param(cfg, "intervals")->s;
	char buf[256], err[256], *rest = buf, *tok;

	if (strlen(s) >= sizeof(buf))
		return parse_usage("convoy", "intervals", "too long");
	strcpy(buf, s);
	wk->nintervals = 0;
	while ((tok = strsep(&rest, ","))) {
		if (wk->nintervals == MAX_INTERVALS)
			return parse_usage("convoy", "intervals", "at most %d "
					   "intervals", MAX_INTERVALS);
		if (parse_duration(tok, 1e-6, 1,
				   &wk->intervals[wk->nintervals], err,
				   sizeof(err)))
			return parse_usage("convoy", "intervals", "%s "
					   "(accepted: a list of durations "
					   "from 1us to 1s, as 5ms,1ms,100us)",
					   err);
		wk->nintervals++;
	}
	return 0;
}

/* Adds one configuration. Returns 0, or -1 when out of memory. */
static int add_conf(struct bench_result *res, struct convoy_walk *wk,
		    size_t at, enum model m, double interval, unsigned ncpu)
{
	uint64_t size = MODEL_IS_PYTHON(m) ? wk->py_block : wk->ctx.size;
	struct bench_conf *k = bench_add(res, m, ncpu, FIRST_CPU + ncpu, size);

	if (!k)
		return -1;
	wk->confs[at] = (struct convoy_conf){ m, interval, ncpu };
	k->arg = &wk->confs[at];
	k->batch = MODEL_IS_PYTHON(m);
	if (!isnan(interval))
		bench_key(k, 0, "%g", interval);
	return 0;
}

/* Every model alone and beside each count of CPU workers, at each
 * interval for gil and py-thread; the py-* models only when python3 is
 * there. Returns 0, or -1 when out of memory. */
static int add_confs(struct bench_result *res, struct convoy_walk *wk)
{
	const struct config *cfg = res->cfg;
	const struct param_value *cw = config_param(cfg, "cpu-workers");
	size_t n = 0;
	char why[256];
	int py_skipped = 0;

	wk->confs = calloc(cfg->nmodels * wk->nintervals * (cw->n + 1),
			   sizeof(*wk->confs));
	if (!wk->confs)
		return -1;
	for (size_t i = 0; i < cfg->nmodels; i++) {
		enum model m = cfg->models[i];
		size_t ni = sweeps_interval(m) ? wk->nintervals : 1;

		if (MODEL_IS_PYTHON(m) && python_find(why, sizeof(why))) {
			if (!py_skipped++)
				printf("  convoy: the py-* models are skipped: "
				       "%s\n", why);
			continue;
		}
		for (size_t j = 0; j < ni; j++)
			for (size_t c = 0; c <= cw->n; c++)
				if (add_conf(res, wk, n++, m,
					     sweeps_interval(m) ?
					     wk->intervals[j] : NAN,
					     c ? cw->list[c - 1] : 0))
					return -1;
	}
	return 0;
}

/* --timeline with the gil model: opens convoy.timeline.csv. Returns 0,
 * or -1 (said). */
static int timeline_open(const struct config *cfg, struct convoy_walk *wk)
{
	if (!cfg->timeline || !config_has_model(cfg, MODEL_GIL))
		return 0;
	wk->tl = timeline_create(TIMELINE_CAP);
	if (!wk->tl || csv_open(&wk->tl_csv, cfg->out,
				"convoy.timeline.csv")) {
		fprintf(stderr, "pvt: convoy: --timeline: %s\n",
			strerror(errno));
		timeline_destroy(wk->tl);
		wk->tl = NULL;
		return -1;
	}
	wk->tl_open = 1;
	config_meta(cfg, &wk->tl_csv);
	csv_header(&wk->tl_csv, "scenario,model,workers,switch_interval_s,"
		   "rep,worker,task,kind,start_s,end_s");
	return 0;
}

/* Commits the timeline (or drops it, empty). Returns 0, or -1 (said). */
static int timeline_close(const struct config *cfg, struct convoy_walk *wk)
{
	int rc = 0;

	if (wk->tl_open && !wk->tl_rows)
		csv_abort(&wk->tl_csv);
	else if (wk->tl_open && csv_commit(&wk->tl_csv)) {
		fprintf(stderr, "pvt: convoy: cannot write the timeline in "
			"%s: %s\n", cfg->out, strerror(errno));
		rc = -1;
	}
	wk->tl_open = 0;
	timeline_destroy(wk->tl);
	return rc;
}

static int convoy_run(const struct config *cfg)
{
	struct convoy_walk wk = {
		.ctx = {
			.duration_s = config_param(cfg, "duration")->d,
			.latency_s = config_param(cfg, "latency")->d,
			.msg = config_param(cfg, "message")->u,
			.size = config_param(cfg, "block")->u,
		},
		.py_block = config_param(cfg, "py-block")->u,
	};
	static const struct bench_sumcol sumcols[] = {
		{ "rt_per_sec", "rt_per_sec", BENCH_MEDIAN },
		{ "p50_us", "p50_us", BENCH_MEDIAN },
		{ "p99_us", "p99_us", BENCH_MEDIAN },
		{ "cpu_mips", "cpu_mips", BENCH_MEDIAN },
		{ NULL, NULL, 0 },
	};
	struct bench b = {
		.ctx = &wk,
		.keys = "switch_interval_s",
		.figures = FIGURES,
		.run = convoy_rep,
		.run_batch = convoy_py_batch,
		.summary = sumcols,
		.headline = "rt_per_sec",
		.narrate = convoy_narrate,
	};
	struct bench_result res;
	int rc;

	for (size_t i = 0; i < cfg->nmodels; i++)
		if (cfg->models[i] == MODEL_SEQUENTIAL ||
		    cfg->models[i] == MODEL_PY_SEQUENTIAL)
			return parse_usage("convoy", "models", "%s runs one "
					   "worker, and convoy needs an I/O "
					   "worker beside others (accepted: "
					   "process, thread, gil, py-process, "
					   "py-thread)",
					   model_name(cfg->models[i]));
	if ((rc = parse_intervals(cfg, &wk)))
		return rc;
	if (bench_init(&res, cfg, &b))
		return 1;
	if (add_confs(&res, &wk) || timeline_open(cfg, &wk)) {
		fprintf(stderr, "pvt: convoy: cannot set the run up: %s\n",
			strerror(errno));
		rc = 1;
		goto out;
	}
	rc = bench_run(&res);
	if (timeline_close(cfg, &wk) && !rc)
		rc = 1;
out:
	bench_free(&res);
	free(wk.confs);
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
	"--duration", "0.2s", "--cpu-workers", "1,2", "--intervals",
	"5ms,100us", "--repeat", "3", NULL,
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
	.check = convoy_check,
};

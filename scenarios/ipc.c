/* ipc.c - moving data between two workers: pipes, sockets, rings, queues
 *
 * Bandwidth: worker 0 sends --bytes in messages of each --sizes to worker
 * 1 over each channel (chan.h): pipe, socketpair and a shared-memory ring
 * between processes; a mutex+condvar queue and a lock-free SPSC ring
 * between threads; and, with --channels mpi, two Open MPI ranks (pvt-mpi,
 * mpi/pvt_mpi.c) on this host and, with --hosts 2, on two hosts. Every
 * message carries its sequence number and the receiver checks every
 * byte, so a lost, reordered or wrong byte fails the run. Latency: an
 * 8-byte ping-pong over two pipes, between two processes and two
 * threads, pinned to one CPU and not; over two SPSC rings between
 * threads; between the two ranks.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <math.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/chan.h"
#include "measure/measure.h"
#include "face/parse.h"
#include "face/scenario.h"
#include "measure/bench.h"
#include "mpi/launch.h"

/* The channels: chan.h's kinds, then two Open MPI ranks, which pvt-mpi
 * runs under mpirun (no chan of pvt's own: ranks share nothing). */
#define CHANNEL_MPI CHAN_KIND_COUNT
#define CHANNEL_CHOICES CHAN_KIND_CHOICES "|mpi"
#define CHANNEL_COUNT (CHAN_KIND_COUNT + 1)

/* A ping-pong's message: a round's number, checked both ways. */
#define PING_BYTES 8

static const char *channel_name(unsigned c)
{
	return c == CHANNEL_MPI ? "mpi" : chan_kind_name((enum chan_kind)c);
}

/* Who runs the two ends of channel c. */
static enum model channel_model(unsigned c)
{
	return c == CHANNEL_MPI ? MODEL_MPI :
	       chan_between_processes((enum chan_kind)c) ? MODEL_PROCESS :
	       MODEL_THREAD;
}

/* ---- the checksum ------------------------------------------------------ */

/* Fletcher-style over 64-bit words, then single bytes for the tail: a
 * wrong, missing or reordered element changes it. */
struct sum {
	uint64_t a, b;
};

static void sum_add(struct sum *s, const unsigned char *p, size_t len)
{
	uint64_t a = s->a, b = s->b, w;
	size_t i = 0;

	for (; i + 8 <= len; i += 8) {
		memcpy(&w, p + i, 8);
		a += w;
		b += a;
	}
	for (; i < len; i++) {
		a += p[i];
		b += a;
	}
	s->a = a;
	s->b = b;
}

/* What the stream of n messages must sum to, in O(n): message k is the
 * 8-byte k, then pattern[8..len). */
static struct sum sum_expected(const unsigned char *pattern, size_t len,
			       uint64_t n)
{
	uint64_t m = len / 8 + len % 8, pat = 0, prefix = 0, q = 0, w;
	struct sum s = { 0, 0 };
	size_t i = 8;

	/* P: the pattern's elements summed; Q: their prefix sums summed */
	for (; i + 8 <= len; i += 8) {
		memcpy(&w, pattern + i, 8);
		prefix += w;
		q += prefix;
	}
	for (; i < len; i++) {
		prefix += pattern[i];
		q += prefix;
	}
	pat = prefix;
	for (uint64_t k = 0; k < n; k++) {
		s.b += m * s.a + m * k + q;
		s.a += k + pat;
	}
	return s;
}

/* ---- bandwidth ----------------------------------------------------------- */

struct bw_ctx {
	struct chan *ch;
	enum model model;
	size_t msg;		/* bytes per message */
	uint64_t nmsgs;
	unsigned char *tx, *rx;	/* msg bytes each: worker 0's, worker 1's */
};

struct bw_result {
	uint64_t bytes, bad_seq;
	struct sum sum;
	int err;		/* chan_send/chan_recv's errno */
};

/* Task 0 sends, task 1 receives and checks. */
static int bw_task(const void *vctx, void *local, size_t task, void *result)
{
	const struct bw_ctx *c = vctx;
	struct bw_result *r = result;
	int err = 0;

	(void)local;
	if (c->model == MODEL_PROCESS)
		chan_close_end(c->ch, task == 0 ? CHAN_RECEIVER : CHAN_SENDER);
	for (uint64_t k = 0; k < c->nmsgs && !err; k++) {
		uint64_t seq;

		if (task == 0) {
			memcpy(c->tx, &k, 8);
			err = chan_send(c->ch, c->tx, c->msg) ? errno : 0;
		} else {
			err = chan_recv(c->ch, c->rx, c->msg) ? errno : 0;
			if (err)
				break;
			memcpy(&seq, c->rx, 8);
			r->bad_seq += seq != k;
			sum_add(&r->sum, c->rx, c->msg);
		}
		if (!err)
			r->bytes += c->msg;
	}
	r->err = err;
	return err ? 1 : 0;
}

/* ---- latency ------------------------------------------------------------- */

struct pp_ctx {
	struct chan *ping, *pong;	/* 0 -> 1, 1 -> 0 */
	enum model model;
	uint64_t rounds;
};

/* Task 0 sends round k's number 2k and waits for 2k + 1 back; task 1
 * checks 2k and answers 2k + 1. */
static int pp_task(const void *vctx, void *local, size_t task, void *result)
{
	const struct pp_ctx *c = vctx;
	struct chan *in = task == 0 ? c->pong : c->ping;
	struct chan *out = task == 0 ? c->ping : c->pong;
	int err = 0;

	(void)local;
	if (c->model == MODEL_PROCESS) {
		chan_close_end(in, CHAN_SENDER);
		chan_close_end(out, CHAN_RECEIVER);
	}
	for (uint64_t k = 0; k < c->rounds && !err; k++) {
		uint64_t x = 0, want = 2 * k + (task == 0);
		int failed = task == 0 ?
			chan_send(out, &(uint64_t){ 2 * k }, PING_BYTES) ||
			chan_recv(in, &x, PING_BYTES) :
			chan_recv(in, &x, PING_BYTES) ||
			chan_send(out, &(uint64_t){ 2 * k + 1 }, PING_BYTES);

		if (failed)
			err = errno;
		else if (x != want)
			err = EPROTO;	/* not the number it expected */
	}
	*(int *)result = err;
	return err ? 1 : 0;
}

/* ---- measuring ----------------------------------------------------------- */

/* The keys of a configuration, in bench.keys order. */
#define KEYS "test,channel,msg_bytes,hosts,pinned,cpu"
enum { K_TEST, K_CHANNEL, K_MSG, K_HOSTS, K_PINNED, K_CPU };
#define FIGURES "messages,bytes,rounds,transfer_s,mbps,rtt_us"
enum { F_MESSAGES, F_BYTES, F_ROUNDS, F_TRANSFER, F_MBPS, F_RTT };

/* What one configuration measures (bench_conf.arg). */
struct ipc_point {
	enum { BANDWIDTH, OVERHEAD, LATENCY } test;
	enum chan_kind kind;	/* or CHANNEL_MPI */
	size_t msg;
	uint64_t count;		/* messages, or round trips */
	enum model model;	/* who runs its two ends */
	int pinned;		/* latency over a pipe: to one CPU */
	unsigned hosts;		/* the ranks' (mpi); 1 for the others */
};

struct ipc_walk {
	size_t capacity;
	unsigned cpu;		/* where pinned runs go */
	unsigned char *tx, *rx;	/* the bandwidth configuration's buffers */
	struct sum want;	/* what its stream sums to */
	const char *hostfile;	/* --hostfile, or NULL: pvt cluster's */
	const char *out;
};

static double span(const struct results *r)
{
	const struct task_log *a = results_log(r, 0), *b = results_log(r, 1);

	return (a->end_s > b->end_s ? a->end_s : b->end_s) -
	       (a->start_s < b->start_s ? a->start_s : b->start_s);
}

/* Starts the two workers, lets the parent drop its ends of the channels
 * (processes), waits. Returns workers_wait's value. */
static int run_pair(struct run_spec *spec, struct results *r,
		    struct run_stats *st, struct chan *a, struct chan *b)
{
	struct workers *w;

	if (workers_start(spec, r, &w, st))
		return -1;
	if (spec->model == MODEL_PROCESS) {
		chan_close_end(a, CHAN_SENDER | CHAN_RECEIVER);
		if (b)
			chan_close_end(b, CHAN_SENDER | CHAN_RECEIVER);
	}
	return workers_wait(w, st);
}

static int bw_once(struct ipc_walk *wk, const struct ipc_point *p,
		   enum model m, struct bench_row *row)
{
	struct bw_ctx c = {
		.model = m, .msg = p->msg, .nmsgs = p->count,
		.tx = wk->tx, .rx = wk->rx,
	};
	struct run_spec spec = {
		.model = m, .workers = 2, .tasks = 2, .fn = bw_task,
		.ctx = &c, .dist = DIST_STATIC,
	};
	struct run_stats *st = &row->st;
	const struct bw_result *got;
	struct results r;
	int rc;

	if (chan_create(p->kind, wk->capacity, &c.ch)) {
		snprintf(st->why, sizeof(st->why), "%s: %s",
			 chan_kind_name(p->kind), strerror(errno));
		return -1;
	}
	if (results_create(&r, 2, sizeof(struct bw_result))) {
		snprintf(st->why, sizeof(st->why), "mmap: %s", strerror(errno));
		chan_destroy(c.ch);
		return -1;
	}
	rc = run_pair(&spec, &r, st, c.ch, NULL);
	got = results_at(&r, 1);
	if (!rc && (got->bytes != p->msg * p->count || got->bad_seq ||
		    got->sum.a != wk->want.a || got->sum.b != wk->want.b)) {
		snprintf(st->why, sizeof(st->why), "received %llu of %llu "
			 "bytes, %llu message(s) out of order, checksum %s",
			 (unsigned long long)got->bytes,
			 (unsigned long long)(p->msg * p->count),
			 (unsigned long long)got->bad_seq,
			 got->sum.a == wk->want.a && got->sum.b == wk->want.b ?
			 "right" : "WRONG");
		st->failed = 1;
		rc = -1;
	}
	for (int t = 0; rc && t < 2; t++) {
		const struct bw_result *x = results_at(&r, t);
		size_t n = strlen(st->why);

		if (x->err)
			snprintf(st->why + n, sizeof(st->why) - n, "; %s: %s",
				 t ? "chan_recv" : "chan_send",
				 strerror(x->err));
	}
	row->fig[F_MESSAGES] = (double)p->count;
	row->fig[F_BYTES] = (double)(p->msg * p->count);
	if (!rc) {
		row->fig[F_TRANSFER] = span(&r);
		row->fig[F_MBPS] = row->fig[F_BYTES] / row->fig[F_TRANSFER] /
				   1e6;
	}
	results_destroy(&r);
	chan_destroy(c.ch);
	return rc || !(row->fig[F_MBPS] > 0) ? -1 : 0;
}

static int pp_once(const struct ipc_walk *wk, const struct ipc_point *p,
		   enum model m, struct bench_row *row)
{
	struct pp_ctx c = { .model = m, .rounds = p->count };
	struct run_spec spec = {
		.model = m, .workers = 2, .tasks = 2, .fn = pp_task,
		.ctx = &c, .dist = DIST_STATIC,
		.cpus = &wk->cpu, .ncpus = p->pinned ? 1 : 0,
	};
	struct results r;
	int rc;

	if (chan_create(p->kind, 64, &c.ping) ||
	    chan_create(p->kind, 64, &c.pong)) {
		snprintf(row->st.why, sizeof(row->st.why), "%s: %s",
			 chan_kind_name(p->kind), strerror(errno));
		chan_destroy(c.ping);
		return -1;
	}
	if (results_create(&r, 2, sizeof(int))) {
		snprintf(row->st.why, sizeof(row->st.why), "mmap: %s",
			 strerror(errno));
		rc = -1;
		goto out;
	}
	rc = run_pair(&spec, &r, &row->st, c.ping, c.pong);
	for (int t = 0; rc && t < 2; t++) {
		int e = *(const int *)results_at(&r, t);
		size_t n = strlen(row->st.why);

		if (e)
			snprintf(row->st.why + n, sizeof(row->st.why) - n,
				 "%sworker %d: %s", n ? "; " : "", t,
				 e == EPROTO ? "a round's number came back "
				 "wrong" : strerror(e));
	}
	row->fig[F_ROUNDS] = (double)p->count;
	if (!rc) {
		row->fig[F_TRANSFER] = span(&r);
		row->fig[F_RTT] = row->fig[F_TRANSFER] * 1e6 / (double)p->count;
	}
	results_destroy(&r);
	if (rc || !(row->fig[F_RTT] > 0))
		rc = -1;
out:
	chan_destroy(c.ping);
	chan_destroy(c.pong);
	return rc;
}

/* The cost of p->count 8-byte writes and reads on one pipe, in pvt's
 * own thread: what a round trip pays besides switching. */
static int overhead_once(const struct ipc_point *p, struct bench_row *row)
{
	struct chan *c;
	double t0;
	uint64_t x = 0;
	int err = 0;

	if (chan_create(CHAN_PIPE, 64, &c)) {
		snprintf(row->st.why, sizeof(row->st.why), "pipe: %s",
			 strerror(errno));
		return -1;
	}
	t0 = measure_now();
	for (uint64_t k = 0; k < p->count && !err; k++)
		if (chan_send(c, &x, PING_BYTES) ||
		    chan_recv(c, &x, PING_BYTES))
			err = errno;
	row->st.wall_s = measure_now() - t0;
	chan_destroy(c);
	row->fig[F_ROUNDS] = (double)p->count;
	if (err) {
		snprintf(row->st.why, sizeof(row->st.why), "pipe write or "
			 "read: %s", strerror(err));
		return -1;
	}
	row->fig[F_TRANSFER] = row->st.wall_s;
	row->fig[F_RTT] = row->st.wall_s * 1e6 / (double)p->count;
	return 0;
}

static int ipc_once(void *ctx, struct bench_row *row)
{
	const struct ipc_point *p = row->conf->arg;

	switch (p->test) {
	case BANDWIDTH:
		return bw_once(ctx, p, row->conf->model, row);
	case LATENCY:
		return pp_once(ctx, p, row->conf->model, row);
	default:
		return overhead_once(p, row);
	}
}

/* pvt-mpi's job for a configuration of the mpi channel. args has room
 * for 10 words, store for their numbers. */
static void mpi_job_for(const struct ipc_walk *wk, const struct bench_conf *k,
			struct mpi_job *job, char **args, char store[4][24])
{
	const struct ipc_point *p = k->arg;

	snprintf(store[0], 24, "%zu", p->msg);
	snprintf(store[1], 24, "%llu", (unsigned long long)p->count);
	snprintf(store[2], 24, "%u", k->repeat);
	snprintf(store[3], 24, "%u", k->warmup);
	args[0] = p->test == LATENCY ? "pingpong" : "stream";
	args[1] = "--bytes";
	args[2] = store[0];
	args[3] = "--count";
	args[4] = store[1];
	args[5] = "--repeat";
	args[6] = store[2];
	args[7] = "--warmup";
	args[8] = store[3];
	args[9] = NULL;
	*job = (struct mpi_job){
		.scenario = "ipc", .program = "pvt-mpi", .args = args,
		.model = MODEL_MPI, .ranks = 2, .threads = 1,
		.hosts = p->hosts, .hostfile = p->hosts > 1 ? wk->hostfile :
		NULL, .repeat = k->repeat, .warmup = k->warmup,
		.out = wk->out,
	};
}

/* A configuration of the mpi channel: one mpirun of pvt-mpi does its
 * warm-ups and runs, every message checked on arrival. */
static int ipc_batch(void *ctx, struct bench_conf *k, struct bench_row *rows,
		     unsigned *n)
{
	const struct ipc_point *p = k->arg;
	struct mpi_row *mr = calloc(k->repeat, sizeof(*mr));
	struct mpi_job job;
	char *args[10], store[4][24];
	size_t got = 0;
	double launch;
	unsigned hosts;

	*n = 0;
	mpi_job_for(ctx, k, &job, args, store);
	if (!mr || mpi_run(&job, mr, k->repeat, &got, &launch, &hosts,
			   rows[0].st.why, sizeof(rows[0].st.why))) {
		if (!mr)
			snprintf(rows[0].st.why, sizeof(rows[0].st.why),
				 "calloc: %s", strerror(errno));
		free(mr);
		return -1;
	}
	for (size_t i = 0; i < got; i++) {
		struct bench_row *row = &rows[i];
		double t = mr[i].wall_s;

		row->rep = mr[i].rep;
		row->st.wall_s = t;
		row->st.user_s = mr[i].user_s;
		row->st.sys_s = mr[i].sys_s;
		row->st.max_rss_kib = mr[i].max_rss_kib;
		row->st.failed = (size_t)mr[i].failed;
		row->ok = mr[i].ok && !mr[i].failed && hosts == p->hosts;
		if (hosts != p->hosts)
			snprintf(row->st.why, sizeof(row->st.why), "the ranks "
				 "ran on %u host(s), not %u", hosts, p->hosts);
		else
			snprintf(row->st.why, sizeof(row->st.why), "%s",
				 mr[i].why);
		row->fig[F_TRANSFER] = t;
		if (p->test == LATENCY) {
			row->fig[F_ROUNDS] = (double)p->count;
			row->fig[F_RTT] = t * 1e6 / (double)p->count;
		} else {
			row->fig[F_MESSAGES] = (double)p->count;
			row->fig[F_BYTES] = (double)(p->msg * p->count);
			row->fig[F_MBPS] = row->fig[F_BYTES] / t / 1e6;
		}
	}
	*n = (unsigned)got;
	free(mr);
	return 0;
}

/* Before a bandwidth configuration of pvt's own channels: its message
 * and the sum its stream must reach. */
static int ipc_begin(void *ctx, struct bench_conf *k)
{
	struct ipc_walk *wk = ctx;
	const struct ipc_point *p = k->arg;
	uint64_t x = 0x9e3779b97f4a7c15ULL;

	free(wk->tx);
	free(wk->rx);
	wk->tx = wk->rx = NULL;
	if (p->test != BANDWIDTH || p->kind == CHANNEL_MPI)
		return 0;
	wk->tx = malloc(p->msg);
	wk->rx = malloc(p->msg);
	if (!wk->tx || !wk->rx) {
		fprintf(stderr, "pvt: ipc: malloc: %s\n", strerror(errno));
		return -1;
	}
	for (size_t i = 0; i < p->msg; i++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		wk->tx[i] = (unsigned char)x;
	}
	wk->want = sum_expected(wk->tx, p->msg, p->count);
	return 0;
}

/* "64", "4K", "1M": the short form of a size for the table's header. */
static void short_size(char *buf, size_t len, uint64_t b)
{
	if (b >= (1 << 20) && b % (1 << 20) == 0)
		snprintf(buf, len, "%lluM", (unsigned long long)(b >> 20));
	else if (b >= 1024 && b % 1024 == 0)
		snprintf(buf, len, "%lluK", (unsigned long long)(b >> 10));
	else
		snprintf(buf, len, "%llu", (unsigned long long)b);
}

/* ---- the figures --------------------------------------------------------- */

static const struct bench_conf *find_bw(const struct bench_result *res,
					unsigned c, size_t msg,
					unsigned hosts)
{
	char size[32], h[16];
	const char *keys[] = { "bandwidth", channel_name(c), size, h, NULL };

	snprintf(size, sizeof(size), "%zu", msg);
	snprintf(h, sizeof(h), "%u", hosts);
	return bench_find(res, channel_model(c), 2, keys);
}

/* The ping-pong of model m over channel c; pinned -1: mpi's, which
 * has no pinning. */
static const struct bench_conf *find_pp(const struct bench_result *res,
					enum model m, unsigned c, int pinned,
					unsigned hosts)
{
	char size[16], h[16];
	const char *keys[] = { "latency", channel_name(c), size, h,
			       pinned < 0 ? "" : pinned ? "1" : "0", NULL };

	snprintf(size, sizeof(size), "%d", PING_BYTES);
	snprintf(h, sizeof(h), "%u", hosts);
	return bench_find(res, m, 2, keys);
}

static const struct bench_conf *find_overhead(const struct bench_result *res)
{
	const char *keys[] = { "overhead", NULL };

	return bench_find(res, MODEL_SEQUENTIAL, 1, keys);
}

static double median(const struct bench_result *res,
		     const struct bench_conf *k, const char *fig)
{
	return k ? bench_stats(res, k, fig)->median : NAN;
}

static void ipc_derive(void *ctx, const struct bench_result *res,
		       const struct bench_conf *k, double *vals)
{
	const struct ipc_point *p = k->arg;
	double over = median(res, find_overhead(res), "rtt_us");
	int pipe = p->test != BANDWIDTH && p->kind == CHAN_PIPE;

	(void)ctx;
	vals[0] = p->test == BANDWIDTH ? (double)(p->msg * p->count) : NAN;
	vals[1] = p->test != BANDWIDTH ? (double)p->count : NAN;
	vals[2] = pipe ? over : NAN;
	vals[3] = pipe && p->test == LATENCY && k->ok_runs ?
		  (median(res, k, "rtt_us") - 2 * over) / 2 : NAN;
}

/* The largest message size that fits the ring and queue (a larger one
 * crosses them in pieces), or the smallest size when none does. */
static size_t big_size(const struct config *cfg)
{
	const struct param_value *sizes = config_param(cfg, "sizes");
	uint64_t cap = config_param(cfg, "capacity")->u, big = 0;

	for (size_t j = 0; j < sizes->n; j++)
		if (sizes->sizes[j] > big && sizes->sizes[j] <= cap)
			big = sizes->sizes[j];
	for (size_t j = 0; !big && j < sizes->n; j++)
		if (!big || sizes->sizes[j] < big)
			big = sizes->sizes[j];
	return (size_t)big;
}

/* A median in a table cell, starred when noisy; "-" when not measured. */
static void cell(const struct bench_result *res, const struct bench_conf *k,
		 const char *fig, int width, int decimals, int *noisy)
{
	const struct stats *s;

	if (!k) {
		printf(" %*s ", width, "-");
		return;
	}
	s = bench_stats(res, k, fig);
	*noisy |= s->noisy;
	printf(" %*.*f%s", width, decimals, s->median,
	       s->noisy ? "*" : " ");
}

/* A row's model column: mpi's is where its ranks ran. */
static const char *who(unsigned c, enum model m, unsigned hosts, char *buf,
		       size_t len)
{
	if (c != CHANNEL_MPI)
		return model_name(m);
	snprintf(buf, len, "%u host%s", hosts, hosts > 1 ? "s" : "");
	return buf;
}

static void narrate_bandwidth(const struct bench_result *res, int *noisy)
{
	const struct config *cfg = res->cfg;
	const struct param_value *sizes = config_param(cfg, "sizes");

	printf("\nipc bandwidth: MB/s (10^6 bytes/s) from one worker to the "
	       "other, %llu KiB per run,\n  median of %u runs, every byte "
	       "checked; columns: message size in bytes\n",
	       (unsigned long long)config_param(cfg, "bytes")->u / 1024,
	       cfg->repeat);
	printf("  %-11s %-8s", "channel", "model");
	for (size_t j = 0; j < sizes->n; j++) {
		char s[24];

		short_size(s, sizeof(s), sizes->sizes[j]);
		printf(" %7s", s);
	}
	printf("\n");
	for (unsigned c = 0; c < CHANNEL_COUNT; c++) {
		for (unsigned h = 1; h <= 2; h++) {
			size_t any = 0;
			char buf[16];

			for (size_t j = 0; j < sizes->n; j++)
				any += !!find_bw(res, c, sizes->sizes[j], h);
			/* a channel not asked for (or a host count) leaves
			 * no row */
			if (!any)
				continue;
			printf("  %-11s %-8s", channel_name(c),
			       who(c, channel_model(c), h, buf,
				   sizeof(buf)));
			for (size_t j = 0; j < sizes->n; j++)
				cell(res, find_bw(res, c, sizes->sizes[j], h),
				     "mbps", 6, 0, noisy);
			printf("\n");
		}
	}
}

static void narrate_latency(const struct bench_result *res,
			    const struct ipc_walk *wk, int *noisy)
{
	const struct config *cfg = res->cfg;
	double over = median(res, find_overhead(res), "rtt_us");
	static const struct {
		unsigned c;
		enum model m;
		unsigned hosts;
	} rows[] = {
		{ CHAN_PIPE, MODEL_PROCESS, 1 }, { CHAN_PIPE, MODEL_THREAD, 1 },
		{ CHAN_SPSC, MODEL_THREAD, 1 }, { CHANNEL_MPI, MODEL_MPI, 1 },
		{ CHANNEL_MPI, MODEL_MPI, 2 },
	};
	int mpi = 0;

	printf("\nipc latency: µs per round trip of an %d-byte message "
	       "(pipes: two switches),\n  %llu round trips, median of %u "
	       "runs\n", PING_BYTES,
	       (unsigned long long)config_param(cfg, "rounds")->u,
	       cfg->repeat);
	printf("  %-11s %-8s  pinned to CPU %-3u  unpinned\n", "channel",
	       "model", wk->cpu);
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const struct bench_conf *a, *b;
		char buf[16];
		int pinned = rows[i].c == CHAN_PIPE;

		a = pinned ? find_pp(res, rows[i].m, rows[i].c, 1, 1) : NULL;
		b = find_pp(res, rows[i].m, rows[i].c, rows[i].c == CHANNEL_MPI ?
			    -1 : 0, rows[i].hosts);
		if (!a && !b && !pinned)
			continue;
		mpi |= rows[i].c == CHANNEL_MPI;
		printf("  %-11s %-8s", channel_name(rows[i].c),
		       who(rows[i].c, rows[i].m, rows[i].hosts, buf,
			   sizeof(buf)));
		cell(res, a, "rtt_us", 15, 2, noisy);
		cell(res, b, "rtt_us", 9, 2, noisy);
		printf("\n");
	}
	printf("  an %d-byte pipe write + read in one thread: %.2f µs; a "
	       "switch ~ (rtt - %.2f) / 2\n", PING_BYTES, over, 2 * over);
	if (mpi)
		printf("  mpi: two ranks under mpirun that share nothing; a "
		       "message crosses Open MPI's\n  shared memory on one "
		       "host, TCP across hosts%s\n", wk->hostfile ? "" :
		       " (pvt cluster's hosts are network\n  namespaces of "
		       "this machine, sharing its cores)");
}

static void ipc_narrate(void *ctx, const struct bench_result *res)
{
	const struct config *cfg = res->cfg;
	size_t big = big_size(cfg);
	int noisy = 0, any = 0;

	narrate_bandwidth(res, &noisy);
	if (config_param(cfg, "rounds")->u)
		narrate_latency(res, ctx, &noisy);
	if (noisy)
		printf("  * noisy: the runs spread over %.0f%% of the median\n",
		       100 * MEASURE_NOISY);
	if (big % 1024 == 0)
		printf("\n  At %zu KiB messages,", big / 1024);
	else
		printf("\n  At %zu-byte messages,", big);
	for (unsigned c = 0; c < CHANNEL_COUNT; c++) {
		for (unsigned h = 1; h <= 2; h++) {
			const struct bench_conf *k = find_bw(res, c, big, h);

			if (k)
				printf("%s %s%s %.0f MB/s", any++ ? "," : "",
				       channel_name(c), h > 1 ?
				       " across 2 hosts" : "",
				       median(res, k, "mbps"));
		}
	}
	printf("%s.\n", any ? "" : " nothing was measured");
}

/* A ratio of two configurations' medians as a check: a's figure over
 * b's, where slowing a moves it side_a and slowing b side_b. */
static void check_ratio(const struct bench_result *res, struct verdicts *vs,
			const char *what, const struct bench_conf *a,
			const struct bench_conf *b, const char *fig,
			double scale_b, double bound)
{
	struct verdict_evidence ev = VERDICT_EVIDENCE_INIT;
	/* a time (rtt) grows when slowed; a rate (MB/s) falls */
	int rate = !strcmp(fig, "mbps");

	bench_evidence(&ev, a, rate ? VERDICT_SLOW_LOWERS :
		       VERDICT_SLOW_RAISES);
	bench_evidence(&ev, b, rate ? VERDICT_SLOW_RAISES :
		       VERDICT_SLOW_LOWERS);
	verdict_compare(vs, what, a && b ? median(res, a, fig) /
			(scale_b * median(res, b, fig)) : NAN,
			VERDICT_AT_LEAST, bound, "%.2fx", &ev);
}

/* Whether some configuration measured test over channel c. */
static int measured(const struct bench_result *res, const char *test,
		    unsigned c)
{
	for (size_t i = 0; i < res->nconfs; i++)
		if (!strcmp(res->confs[i].key[K_TEST], test) &&
		    !strcmp(res->confs[i].key[K_CHANNEL], channel_name(c)))
			return 1;
	return 0;
}

/* The lesson: threads pass data through memory they already share,
 * faster than a pipe between processes; a round trip costs switches
 * either way; ranks share nothing, and a message between them costs
 * more than a thread's read of shared memory, more again across hosts. */
static void ipc_check(const struct bench_result *res, struct verdicts *vs)
{
	const struct config *cfg = res->cfg;
	const struct bench_conf *over = find_overhead(res);
	size_t big = big_size(cfg);
	char what[128];

	if (measured(res, "bandwidth", CHAN_SPSC) &&
	    measured(res, "bandwidth", CHAN_PIPE)) {
		snprintf(what, sizeof(what), "spsc ring (threads) MB/s over "
			 "pipe (processes) at %zu-byte messages", big);
		check_ratio(res, vs, what, find_bw(res, CHAN_SPSC, big, 1),
			    find_bw(res, CHAN_PIPE, big, 1), "mbps", 1, 1.0);
	}
	if (!config_param(cfg, "rounds")->u)
		return;
	for (enum model m = MODEL_PROCESS; m <= MODEL_THREAD; m++) {
		snprintf(what, sizeof(what), "%s round trip on one CPU over "
			 "its four pipe calls alone", model_name(m));
		check_ratio(res, vs, what, find_pp(res, m, CHAN_PIPE, 1, 1),
			    over, "rtt_us", 2, 1.0);
	}
	/* threads switch too: their round trip is not free */
	check_ratio(res, vs, "thread round trip on one CPU over a process one",
		    find_pp(res, MODEL_THREAD, CHAN_PIPE, 1, 1),
		    find_pp(res, MODEL_PROCESS, CHAN_PIPE, 1, 1), "rtt_us", 1,
		    0.5);
	if (!measured(res, "latency", CHANNEL_MPI))
		return;
	/* a message between ranks against a thread's read of shared memory */
	check_ratio(res, vs, "mpi round trip on one host over a thread one "
		    "through shared memory (spsc ring)",
		    find_pp(res, MODEL_MPI, CHANNEL_MPI, -1, 1),
		    find_pp(res, MODEL_THREAD, CHAN_SPSC, 0, 1), "rtt_us", 1,
		    1.0);
	if (config_param(cfg, "hosts")->u > 1 ||
	    config_param(cfg, "hostfile")->given)
		check_ratio(res, vs, "mpi round trip across 2 hosts over one "
			    "on one host",
			    find_pp(res, MODEL_MPI, CHANNEL_MPI, -1, 2),
			    find_pp(res, MODEL_MPI, CHANNEL_MPI, -1, 1),
			    "rtt_us", 1, 1.0);
}

/* ---- the run ------------------------------------------------------------- */

/* The first CPU this process may run on. */
static unsigned first_cpu(void)
{
	cpu_set_t set;

	if (sched_getaffinity(0, sizeof(set), &set))
		return 0;
	for (unsigned c = 0; c < CPU_SETSIZE; c++)
		if (CPU_ISSET(c, &set))
			return c;
	return 0;
}

/* Whether the mpi channel can run as asked: mpirun, pvt-mpi, and the
 * hosts for --hosts 2 or --hostfile; and that the host options are not
 * given without it. Returns 0, or 2 with the one usage line said. */
static int mpi_check(const struct config *cfg, int mpi, unsigned across)
{
	const struct param_value *hosts = config_param(cfg, "hosts");
	const struct param_value *hf = config_param(cfg, "hostfile");
	struct mpi_job job = { .program = "pvt-mpi", .hosts = 1 };
	char why[512];

	if (!mpi && (hosts->given || hf->given))
		return parse_usage("ipc", hf->given ? "hostfile" : "hosts",
				   "only the mpi channel runs on hosts (add mpi "
				   "to --channels)");
	if (!mpi)
		return 0;
	if (mpi_find(&job, why, sizeof(why)))
		return parse_usage("ipc", "channels", "mpi: %s", why);
	job.hosts = across;
	job.hostfile = hf->given ? hf->s : NULL;
	if (across > 1 && mpi_find(&job, why, sizeof(why)))
		return parse_usage("ipc", NULL, "%s", why);
	return 0;
}

/* Adds a configuration of p (already filled) with its keys; NULL when
 * out of memory. */
static struct bench_conf *add_point(struct bench_result *res,
				    struct ipc_point *p, unsigned cpu)
{
	static const char *const test[] = {
		[BANDWIDTH] = "bandwidth", [OVERHEAD] = "overhead",
		[LATENCY] = "latency",
	};
	int alone = p->test == OVERHEAD;
	struct bench_conf *k = bench_add(res, p->model, alone ? 1 : 2,
					 alone ? 1 : 2, p->msg);

	if (!k)
		return NULL;
	k->arg = p;
	k->batch = p->kind == CHANNEL_MPI;
	bench_key(k, K_TEST, "%s", test[p->test]);
	bench_key(k, K_CHANNEL, "%s", channel_name(p->kind));
	bench_key(k, K_MSG, "%zu", p->msg);
	bench_key(k, K_HOSTS, "%u", p->hosts);
	if (p->test == LATENCY && p->kind != CHANNEL_MPI)
		bench_key(k, K_PINNED, "%d", p->pinned);
	if (p->test == LATENCY && p->pinned)
		bench_key(k, K_CPU, "%u", cpu);
	return k;
}

static int ipc_run(const struct config *cfg)
{
	const struct param_value *sizes = config_param(cfg, "sizes");
	const struct param_value *chans = config_param(cfg, "channels");
	const struct param_value *hf = config_param(cfg, "hostfile");
	uint64_t bytes = config_param(cfg, "bytes")->u;
	uint64_t rounds = config_param(cfg, "rounds")->u;
	/* the mpi channel's host counts: 1, and 2 when asked */
	unsigned across = config_param(cfg, "hosts")->u > 1 || hf->given ?
			  2 : 1;
	struct ipc_walk wk = {
		.capacity = (size_t)config_param(cfg, "capacity")->u,
		.cpu = first_cpu(),
		.hostfile = hf->given ? hf->s : NULL,
		.out = cfg->out,
	};
	static const struct bench_sumcol sums[] = {
		{ "median_mbps", "mbps", BENCH_MEDIAN },
		{ "min_mbps", "mbps", BENCH_MIN },
		{ "max_mbps", "mbps", BENCH_MAX },
		{ "median_rtt_us", "rtt_us", BENCH_MEDIAN },
		{ "min_rtt_us", "rtt_us", BENCH_MIN },
		{ "max_rtt_us", "rtt_us", BENCH_MAX },
		{ NULL, NULL, 0 },
	};
	struct bench b = {
		.ctx = &wk,
		.keys = KEYS,
		.figures = FIGURES,
		.run = ipc_once,
		.run_batch = ipc_batch,
		.begin = ipc_begin,
		.summary = sums,
		.derived_cols = "bytes,rounds,pipe_overhead_us,switch_us",
		.derive = ipc_derive,
		.own_table = 1,
		.narrate = ipc_narrate,
	};
	int has[CHANNEL_COUNT] = { 0 };
	size_t n = 0;
	struct ipc_point *pts;
	struct bench_result res;
	int rc;

	for (size_t i = 0; i < chans->n; i++)
		has[chans->list[i]] = 1;
	if ((rc = mpi_check(cfg, has[CHANNEL_MPI], across)))
		return rc;
	pts = calloc(chans->n * sizes->n * 2 + 8, sizeof(*pts));
	if (!pts) {
		fprintf(stderr, "pvt: ipc: calloc: %s\n", strerror(errno));
		return 1;
	}
	rc = 1;
	if (bench_init(&res, cfg, &b))
		goto out;
	for (size_t i = 0; i < chans->n; i++) {
		unsigned c = chans->list[i];

		for (unsigned h = 1; h <= (c == CHANNEL_MPI ? across : 1); h++)
			for (size_t j = 0; j < sizes->n; j++) {
				struct ipc_point *p = &pts[n++];

				*p = (struct ipc_point){
					.test = BANDWIDTH, .kind = c,
					.msg = sizes->sizes[j],
					.count = bytes / sizes->sizes[j] ?
						 bytes / sizes->sizes[j] : 1,
					.model = channel_model(c),
					.hosts = h,
				};
				if (!add_point(&res, p, wk.cpu))
					goto out_bench;
			}
	}
	/* what a round trip's pipe calls cost alone, then the round trips:
	 * over pipes, processes and threads, pinned and not; over spsc
	 * rings and between ranks where those channels are measured */
	for (int i = -1; rounds && i < 5 + (int)across; i++) {
		static const struct {
			int test;
			unsigned kind;
			enum model model;
			int pinned;
		} plan[] = {
			{ LATENCY, CHAN_PIPE, MODEL_PROCESS, 1 },
			{ LATENCY, CHAN_PIPE, MODEL_PROCESS, 0 },
			{ LATENCY, CHAN_PIPE, MODEL_THREAD, 1 },
			{ LATENCY, CHAN_PIPE, MODEL_THREAD, 0 },
			{ LATENCY, CHAN_SPSC, MODEL_THREAD, 0 },
			{ LATENCY, CHANNEL_MPI, MODEL_MPI, 0 },
			{ LATENCY, CHANNEL_MPI, MODEL_MPI, 0 },
		};
		struct ipc_point *p = &pts[n];

		if (i < 0) {
			*p = (struct ipc_point){
				.test = OVERHEAD, .kind = CHAN_PIPE,
				.model = MODEL_SEQUENTIAL,
			};
		} else {
			/* spsc: also the thread that mpi's ranks are held
			 * against */
			if (plan[i].kind != CHAN_PIPE && !has[plan[i].kind] &&
			    !(plan[i].kind == CHAN_SPSC && has[CHANNEL_MPI]))
				continue;
			*p = (struct ipc_point){
				.test = plan[i].test, .kind = plan[i].kind,
				.model = plan[i].model,
				.pinned = plan[i].pinned,
			};
		}
		p->msg = PING_BYTES;
		p->count = rounds;
		p->hosts = i == 6 ? 2 : 1;
		n++;
		if (!add_point(&res, p, wk.cpu))
			goto out_bench;
	}
	rc = bench_run(&res);
out_bench:
	bench_free(&res);
out:
	free(wk.tx);
	free(wk.rx);
	free(pts);
	return rc;
}

static const struct param ipc_params[] = {
	{ "channels", PARAM_CHOICES, "pipe,socketpair,shm-ring,queue,spsc", 0,
	  0, CHANNEL_CHOICES, "channels to measure: pipe, socketpair, shm-ring "
	  "(processes); queue, spsc (threads); mpi (two Open MPI ranks, not "
	  "by default: needs mpirun)" },
	{ "sizes", PARAM_SIZE_LIST, "64,256,1KiB,4KiB,16KiB,64KiB,256KiB,1MiB",
	  8, 16777216.0, NULL, "message sizes, 8 B to 16 MiB" },
	{ "bytes", PARAM_SIZE, "8MiB", 1024, 1073741824.0, NULL,
	  "bytes sent per bandwidth run (at least one message)" },
	{ "capacity", PARAM_SIZE, "64KiB", 64, 268435456.0, NULL,
	  "ring and queue size (a pipe holds 64 KiB)" },
	{ "rounds", PARAM_COUNT, "10000", 0, 100000000, NULL,
	  "ping-pong round trips per latency run; 0 skips latency" },
	{ "hosts", PARAM_COUNT, "1", 1, 2, NULL,
	  "hosts of the mpi channel: 1 is this machine; 2 also measures "
	  "across two hosts of pvt cluster up 2 (or --hostfile)" },
	{ "hostfile", PARAM_STRING, NULL, 0, 0, NULL,
	  "an Open MPI hostfile of a real cluster: the mpi channel also runs "
	  "across its first two hosts" },
	{ NULL, 0, NULL, 0, 0, NULL, NULL },
};

/* runs long enough for the load around them to be told (load.h) */
static const char *const ipc_quick[] = {
	"--sizes", "4KiB,64KiB,256KiB", "--bytes", "64MiB", "--rounds",
	"20000", "--repeat", "3", NULL,
};

const struct scenario scenario_ipc = {
	.name = "ipc",
	.summary = "moving data between workers: pipe, socketpair, shared "
		   "ring, queue, mpi; bandwidth and latency",
	.lesson = "Processes share nothing unless told to: their data must be "
		  "copied through the kernel (pipe, socketpair) or placed in "
		  "memory both map explicitly (a shared-memory ring). Threads "
		  "already share memory, so a queue between them is a memcpy "
		  "and a lock, or no lock at all. A round trip between two "
		  "workers costs two context switches either way. Ranks under "
		  "MPI share nothing at all, on one host or many: every datum "
		  "travels as a message, through Open MPI's shared memory on "
		  "one host and over the network across hosts, and each costs "
		  "more than a thread reading memory it already shares.",
	.method = "Bandwidth: worker 0 sends --bytes in messages of each "
		  "--sizes to worker 1 (two workers, one task each, started "
		  "together); every message carries its sequence number and "
		  "worker 1 checksums every byte, checked against the "
		  "expected sum. MB/s = bytes / (last task end - first task "
		  "start). Latency: worker 0 sends an 8-byte round number, "
		  "worker 1 checks it and sends the next one back, --rounds "
		  "times: over two pipes, pinned to one CPU and unpinned; "
		  "over two lock-free rings between threads (spsc). The cost "
		  "of an 8-byte write + read on a pipe in a single thread is "
		  "measured and stated beside it. --channels mpi: the same "
		  "stream and ping-pong between two Open MPI ranks (pvt-mpi "
		  "under mpirun, every byte checked on arrival, timed on rank "
		  "0 from a barrier to the last reply), on this machine, and "
		  "with --hosts 2 or --hostfile also one rank on each of two "
		  "hosts; one mpirun per configuration runs its warm-ups and "
		  "runs. Median of --repeat runs after --warmup.",
	.uses = USE_REPEAT,
	.tasks = 2,
	.size = 1,
	.params = ipc_params,
	.quick = ipc_quick,
	.run = ipc_run,
	.check = ipc_check,
};

/* ipc.c - moving data between two workers: pipes, sockets, rings, queues
 *
 * Bandwidth: worker 0 sends --bytes in messages of each --sizes to worker
 * 1 over each channel (chan.h): pipe, socketpair and a shared-memory ring
 * between processes; a mutex+condvar queue and a lock-free SPSC ring
 * between threads. Every message carries its sequence number and the
 * receiver checksums every byte, so a lost, reordered or wrong byte fails
 * the run. Latency: a one-byte ping-pong over two pipes, between two
 * processes and two threads, pinned to one CPU and not.
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
#include "face/scenario.h"
#include "measure/bench.h"

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

/* Task 0 sends a byte and waits for it back; task 1 returns it. */
static int pp_task(const void *vctx, void *local, size_t task, void *result)
{
	const struct pp_ctx *c = vctx;
	struct chan *in = task == 0 ? c->pong : c->ping;
	struct chan *out = task == 0 ? c->ping : c->pong;
	unsigned char x;
	int err = 0;

	(void)local;
	if (c->model == MODEL_PROCESS) {
		chan_close_end(in, CHAN_SENDER);
		chan_close_end(out, CHAN_RECEIVER);
	}
	for (uint64_t k = 0; k < c->rounds && !err; k++) {
		unsigned char sent = (unsigned char)k;

		if (task == 1) {
			if (chan_recv(in, &x, 1) || chan_send(out, &x, 1))
				err = errno;
			continue;
		}
		if (chan_send(out, &sent, 1) || chan_recv(in, &x, 1))
			err = errno;
		else if (x != sent)
			err = EPROTO;	/* not the byte it sent */
	}
	*(int *)result = err;
	return err ? 1 : 0;
}

/* ---- measuring ----------------------------------------------------------- */

/* The keys of a configuration, in bench.keys order. */
#define KEYS "test,channel,msg_bytes,pinned,cpu"
enum { K_TEST, K_CHANNEL, K_MSG, K_PINNED, K_CPU };
#define FIGURES "messages,bytes,rounds,transfer_s,mbps,rtt_us"
enum { F_MESSAGES, F_BYTES, F_ROUNDS, F_TRANSFER, F_MBPS, F_RTT };

/* What one configuration measures (bench_conf.arg). */
struct ipc_point {
	enum { BANDWIDTH, OVERHEAD, LATENCY } test;
	enum chan_kind kind;
	size_t msg;
	uint64_t count;		/* messages, or round trips */
	int pinned;
};

struct ipc_walk {
	size_t capacity;
	unsigned cpu;		/* where pinned runs go */
	unsigned char *tx, *rx;	/* the bandwidth configuration's buffers */
	struct sum want;	/* what its stream sums to */
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

	if (chan_create(CHAN_PIPE, 64, &c.ping) ||
	    chan_create(CHAN_PIPE, 64, &c.pong)) {
		snprintf(row->st.why, sizeof(row->st.why), "pipe: %s",
			 strerror(errno));
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

/* The cost of p->count 1-byte writes and reads on one pipe, in pvt's
 * own thread: what a round trip pays besides switching. */
static int overhead_once(const struct ipc_point *p, struct bench_row *row)
{
	struct chan *c;
	double t0;
	char x = 0;
	int err = 0;

	if (chan_create(CHAN_PIPE, 64, &c)) {
		snprintf(row->st.why, sizeof(row->st.why), "pipe: %s",
			 strerror(errno));
		return -1;
	}
	t0 = measure_now();
	for (uint64_t k = 0; k < p->count && !err; k++)
		if (chan_send(c, &x, 1) || chan_recv(c, &x, 1))
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

/* Before a bandwidth configuration: its message and the sum its stream
 * must reach. */
static int ipc_begin(void *ctx, struct bench_conf *k)
{
	struct ipc_walk *wk = ctx;
	const struct ipc_point *p = k->arg;
	uint64_t x = 0x9e3779b97f4a7c15ULL;

	free(wk->tx);
	free(wk->rx);
	wk->tx = wk->rx = NULL;
	if (p->test != BANDWIDTH)
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
					enum chan_kind k, size_t msg)
{
	char size[32];
	const char *keys[] = { "bandwidth", chan_kind_name(k), size, NULL };

	snprintf(size, sizeof(size), "%zu", msg);
	return bench_find(res, chan_between_processes(k) ? MODEL_PROCESS :
			  MODEL_THREAD, 2, keys);
}

static const struct bench_conf *find_pp(const struct bench_result *res,
					enum model m, int pinned)
{
	const char *keys[] = { "latency", "pipe", "1", pinned ? "1" : "0",
			       NULL };

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

	(void)ctx;
	vals[0] = p->test == BANDWIDTH ? (double)(p->msg * p->count) : NAN;
	vals[1] = p->test != BANDWIDTH ? (double)p->count : NAN;
	vals[2] = p->test != BANDWIDTH ? over : NAN;
	vals[3] = p->test == LATENCY && k->ok_runs ?
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

static void ipc_narrate(void *ctx, const struct bench_result *res)
{
	const struct config *cfg = res->cfg;
	const struct ipc_walk *wk = ctx;
	const struct param_value *sizes = config_param(cfg, "sizes");
	uint64_t rounds = config_param(cfg, "rounds")->u;
	double over = median(res, find_overhead(res), "rtt_us");
	size_t big = big_size(cfg);
	int noisy = 0, any = 0;

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
	for (int c = 0; c < CHAN_KIND_COUNT; c++) {
		int shown = 0;

		for (size_t j = 0; j < sizes->n; j++) {
			const struct bench_conf *k = find_bw(res, c,
							     sizes->sizes[j]);
			const struct stats *s;

			if (!shown++)
				printf("  %-11s %-8s", chan_kind_name(c),
				       chan_between_processes(c) ? "process" :
				       "thread");
			if (!k) {
				printf(" %7s", "-");
				continue;
			}
			s = bench_stats(res, k, "mbps");
			noisy |= s->noisy;
			printf(" %6.0f%s", s->median, s->noisy ? "*" : " ");
		}
		/* a channel not asked for leaves no row */
		if (shown)
			printf("\n");
	}
	if (rounds) {
		printf("\nipc latency: µs per round trip of one byte over two "
		       "pipes (two switches),\n  %llu round trips, median of "
		       "%u runs\n", (unsigned long long)rounds, cfg->repeat);
		printf("  %-8s  pinned to CPU %-3u  unpinned\n", "model",
		       wk->cpu);
		for (enum model m = MODEL_PROCESS; m <= MODEL_THREAD; m++) {
			const struct bench_conf *a = find_pp(res, m, 1);
			const struct bench_conf *b = find_pp(res, m, 0);
			const struct stats *s;

			printf("  %-8s", model_name(m));
			if (a) {
				s = bench_stats(res, a, "rtt_us");
				noisy |= s->noisy;
				printf(" %15.2f%s", s->median,
				       s->noisy ? "*" : " ");
			} else {
				printf(" %15s ", "-");
			}
			if (b) {
				s = bench_stats(res, b, "rtt_us");
				noisy |= s->noisy;
				printf(" %9.2f%s", s->median,
				       s->noisy ? "*" : " ");
			}
			printf("\n");
		}
		printf("  a 1-byte pipe write + read in one thread: %.2f µs; "
		       "a switch ~ (rtt - %.2f) / 2\n", over, 2 * over);
	}
	if (noisy)
		printf("  * noisy: the runs spread over %.0f%% of the median\n",
		       100 * MEASURE_NOISY);
	if (big % 1024 == 0)
		printf("\n  At %zu KiB messages,", big / 1024);
	else
		printf("\n  At %zu-byte messages,", big);
	for (int c = 0; c < CHAN_KIND_COUNT; c++) {
		const struct bench_conf *k = find_bw(res, c, big);

		if (k)
			printf("%s %s %.0f MB/s", any++ ? "," : "",
			       chan_kind_name(c), median(res, k, "mbps"));
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

/* The lesson: threads pass data through memory they already share,
 * faster than a pipe between processes; a round trip costs switches
 * either way. */
static void ipc_check(const struct bench_result *res, struct verdicts *vs)
{
	const struct config *cfg = res->cfg;
	const struct bench_conf *over = find_overhead(res);
	size_t big = big_size(cfg);
	char what[128];
	int has[CHAN_KIND_COUNT] = { 0 };

	for (size_t i = 0; i < res->nconfs; i++) {
		const struct bench_conf *k = &res->confs[i];
		enum chan_kind c;

		if (!strcmp(k->key[K_TEST], "bandwidth") &&
		    !chan_kind_parse(k->key[K_CHANNEL], &c))
			has[c] = 1;
	}
	if (has[CHAN_SPSC] && has[CHAN_PIPE]) {
		snprintf(what, sizeof(what), "spsc ring (threads) MB/s over "
			 "pipe (processes) at %zu-byte messages", big);
		check_ratio(res, vs, what, find_bw(res, CHAN_SPSC, big),
			    find_bw(res, CHAN_PIPE, big), "mbps", 1, 1.0);
	}
	if (!config_param(cfg, "rounds")->u)
		return;
	for (enum model m = MODEL_PROCESS; m <= MODEL_THREAD; m++) {
		snprintf(what, sizeof(what), "%s round trip on one CPU over "
			 "its four pipe calls alone", model_name(m));
		check_ratio(res, vs, what, find_pp(res, m, 1), over, "rtt_us",
			    2, 1.0);
	}
	/* threads switch too: their round trip is not free */
	check_ratio(res, vs, "thread round trip on one CPU over a process one",
		    find_pp(res, MODEL_THREAD, 1), find_pp(res, MODEL_PROCESS, 1),
		    "rtt_us", 1, 0.5);
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

static int ipc_run(const struct config *cfg)
{
	const struct param_value *sizes = config_param(cfg, "sizes");
	uint64_t bytes = config_param(cfg, "bytes")->u;
	uint64_t rounds = config_param(cfg, "rounds")->u;
	struct ipc_walk wk = {
		.capacity = (size_t)config_param(cfg, "capacity")->u,
		.cpu = first_cpu(),
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
		.begin = ipc_begin,
		.summary = sums,
		.derived_cols = "bytes,rounds,pipe_overhead_us,switch_us",
		.derive = ipc_derive,
		.own_table = 1,
		.narrate = ipc_narrate,
	};
	enum chan_kind kinds[CHAN_KIND_COUNT];
	size_t nkinds, n = 0;
	struct ipc_point *pts;
	struct bench_result res;
	int rc = 1;

	nkinds = config_param(cfg, "channels")->n;
	for (size_t i = 0; i < nkinds; i++)
		kinds[i] = (enum chan_kind)config_param(cfg, "channels")->list[i];
	pts = calloc(nkinds * sizes->n + 5, sizeof(*pts));
	if (!pts) {
		fprintf(stderr, "pvt: ipc: calloc: %s\n", strerror(errno));
		return 1;
	}
	if (bench_init(&res, cfg, &b))
		goto out;
	for (size_t i = 0; i < nkinds; i++) {
		for (size_t j = 0; j < sizes->n; j++) {
			struct ipc_point *p = &pts[n++];
			struct bench_conf *k;

			p->test = BANDWIDTH;
			p->kind = kinds[i];
			p->msg = sizes->sizes[j];
			p->count = bytes / p->msg ? bytes / p->msg : 1;
			k = bench_add(&res, chan_between_processes(kinds[i]) ?
				      MODEL_PROCESS : MODEL_THREAD, 2, 2,
				      p->msg);
			if (!k)
				goto out_bench;
			k->arg = p;
			bench_key(k, K_TEST, "bandwidth");
			bench_key(k, K_CHANNEL, "%s", chan_kind_name(p->kind));
			bench_key(k, K_MSG, "%zu", p->msg);
		}
	}
	/* what a round trip's pipe calls cost alone, then the round trips */
	for (int i = -1; rounds && i < 4; i++) {
		struct ipc_point *p = &pts[n++];
		enum model m = i < 0 ? MODEL_SEQUENTIAL : i < 2 ?
			       MODEL_PROCESS : MODEL_THREAD;
		struct bench_conf *k = bench_add(&res, m, i < 0 ? 1 : 2,
						 i < 0 ? 1 : 2, 1);

		if (!k)
			goto out_bench;
		p->test = i < 0 ? OVERHEAD : LATENCY;
		p->kind = CHAN_PIPE;
		p->pinned = i >= 0 && !(i % 2);
		p->msg = 1;
		p->count = rounds;
		k->arg = p;
		bench_key(k, K_TEST, i < 0 ? "overhead" : "latency");
		bench_key(k, K_CHANNEL, "pipe");
		bench_key(k, K_MSG, "1");
		if (i < 0)
			continue;
		bench_key(k, K_PINNED, "%d", p->pinned);
		if (p->pinned)
			bench_key(k, K_CPU, "%u", wk.cpu);
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
	  0, CHAN_KIND_CHOICES, "channels to measure: pipe, socketpair, shm-ring "
	  "(processes); queue, spsc (threads)" },
	{ "sizes", PARAM_SIZE_LIST, "64,256,1KiB,4KiB,16KiB,64KiB,256KiB,1MiB",
	  8, 16777216.0, NULL, "message sizes, 8 B to 16 MiB" },
	{ "bytes", PARAM_SIZE, "8MiB", 1024, 1073741824.0, NULL,
	  "bytes sent per bandwidth run (at least one message)" },
	{ "capacity", PARAM_SIZE, "64KiB", 64, 268435456.0, NULL,
	  "ring and queue size (a pipe holds 64 KiB)" },
	{ "rounds", PARAM_COUNT, "10000", 0, 100000000, NULL,
	  "ping-pong round trips per latency run; 0 skips latency" },
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
		   "ring, queue; bandwidth and latency",
	.lesson = "Processes share nothing unless told to: their data must be "
		  "copied through the kernel (pipe, socketpair) or placed in "
		  "memory both map explicitly (a shared-memory ring). Threads "
		  "already share memory, so a queue between them is a memcpy "
		  "and a lock, or no lock at all. A round trip between two "
		  "workers costs two context switches either way.",
	.method = "Bandwidth: worker 0 sends --bytes in messages of each "
		  "--sizes to worker 1 (two workers, one task each, started "
		  "together); every message carries its sequence number and "
		  "worker 1 checksums every byte, checked against the "
		  "expected sum. MB/s = bytes / (last task end - first task "
		  "start). Latency: worker 0 writes one byte to a pipe, "
		  "worker 1 reads it and writes it back on a second pipe, "
		  "--rounds times; both pinned to one CPU, then unpinned. The "
		  "cost of a write + read of one byte on a pipe in a single "
		  "thread is measured and stated beside it. Median of "
		  "--repeat runs after --warmup.",
	.uses = USE_REPEAT,
	.tasks = 2,
	.size = 1,
	.params = ipc_params,
	.quick = ipc_quick,
	.run = ipc_run,
	.check = ipc_check,
};

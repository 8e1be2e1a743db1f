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
#include "output/csv.h"
#include "measure/measure.h"
#include "output/progress.h"
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
	int err;		/* chan_send/chan_recv's, negated */
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
			err = chan_send(c->ch, c->tx, c->msg);
		} else {
			err = chan_recv(c->ch, c->rx, c->msg);
			if (err)
				break;
			memcpy(&seq, c->rx, 8);
			r->bad_seq += seq != k;
			sum_add(&r->sum, c->rx, c->msg);
		}
		if (!err)
			r->bytes += c->msg;
	}
	r->err = -err;
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
			if (!(err = chan_recv(in, &x, 1)))
				err = chan_send(out, &x, 1);
			continue;
		}
		if (!(err = chan_send(out, &sent, 1)))
			err = chan_recv(in, &x, 1);
		if (!err && x != sent)
			err = -EPROTO;	/* not the byte it sent */
	}
	*(int *)result = -err;
	return err ? 1 : 0;
}

/* ---- measuring ----------------------------------------------------------- */

struct ipc_run {
	struct run_stats st;
	double transfer_s;	/* first task start to last task end */
	double fig;		/* mbps or rtt_us */
	int ok;
};

/* One configuration: a channel at a message size, or a latency setup. */
struct ipc_point {
	int latency;
	enum chan_kind kind;
	enum model model;
	size_t msg;
	uint64_t count;		/* messages, or round trips */
	int pinned;
	struct ipc_run *runs;
	unsigned nruns, ok_runs;
	struct stats wall, fig;
};

struct ipc_opts {
	size_t capacity;
	unsigned cpu;		/* where pinned runs go */
	double pipe_overhead_us;	/* one write + read, one thread */
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

static int bw_once(const struct ipc_opts *o, const struct ipc_point *p,
		   unsigned char *tx, unsigned char *rx,
		   const struct sum *want, struct ipc_run *run)
{
	struct bw_ctx c = {
		.model = p->model, .msg = p->msg, .nmsgs = p->count,
		.tx = tx, .rx = rx,
	};
	struct run_spec spec = {
		.model = p->model, .workers = 2, .tasks = 2, .fn = bw_task,
		.ctx = &c, .dist = DIST_STATIC,
	};
	const struct bw_result *got;
	struct results r;
	int err, rc;

	memset(run, 0, sizeof(*run));
	if ((err = chan_create(p->kind, o->capacity, &c.ch))) {
		snprintf(run->st.why, sizeof(run->st.why), "%s: %s",
			 chan_kind_name(p->kind), strerror(-err));
		return -1;
	}
	if (results_create(&r, 2, sizeof(struct bw_result))) {
		snprintf(run->st.why, sizeof(run->st.why), "mmap: %s",
			 strerror(errno));
		chan_destroy(c.ch);
		return -1;
	}
	rc = run_pair(&spec, &r, &run->st, c.ch, NULL);
	got = results_at(&r, 1);
	if (!rc && (got->bytes != p->msg * p->count || got->bad_seq ||
		    got->sum.a != want->a || got->sum.b != want->b)) {
		snprintf(run->st.why, sizeof(run->st.why), "received %llu of "
			 "%llu bytes, %llu message(s) out of order, checksum "
			 "%s", (unsigned long long)got->bytes,
			 (unsigned long long)(p->msg * p->count),
			 (unsigned long long)got->bad_seq,
			 got->sum.a == want->a && got->sum.b == want->b ?
			 "right" : "WRONG");
		run->st.failed = 1;
		rc = -1;
	}
	for (int t = 0; rc && t < 2; t++) {
		const struct bw_result *x = results_at(&r, t);
		size_t n = strlen(run->st.why);

		if (x->err)
			snprintf(run->st.why + n, sizeof(run->st.why) - n,
				 "; %s: %s", t ? "chan_recv" : "chan_send",
				 strerror(x->err));
	}
	run->transfer_s = span(&r);
	run->fig = (double)(p->msg * p->count) / run->transfer_s / 1e6;
	run->ok = rc == 0 && isfinite(run->fig) && run->fig > 0;
	results_destroy(&r);
	chan_destroy(c.ch);
	return run->ok ? 0 : -1;
}

static int pp_once(const struct ipc_opts *o, const struct ipc_point *p,
		   struct ipc_run *run)
{
	struct pp_ctx c = { .model = p->model, .rounds = p->count };
	struct run_spec spec = {
		.model = p->model, .workers = 2, .tasks = 2, .fn = pp_task,
		.ctx = &c, .dist = DIST_STATIC,
		.cpus = &o->cpu, .ncpus = p->pinned ? 1 : 0,
	};
	struct results r;
	int err, rc;

	memset(run, 0, sizeof(*run));
	if ((err = chan_create(CHAN_PIPE, 64, &c.ping)) ||
	    (err = chan_create(CHAN_PIPE, 64, &c.pong))) {
		snprintf(run->st.why, sizeof(run->st.why), "pipe: %s",
			 strerror(-err));
		chan_destroy(c.ping);
		return -1;
	}
	if (results_create(&r, 2, sizeof(int))) {
		snprintf(run->st.why, sizeof(run->st.why), "mmap: %s",
			 strerror(errno));
		rc = -1;
		goto out;
	}
	rc = run_pair(&spec, &r, &run->st, c.ping, c.pong);
	run->transfer_s = span(&r);
	run->fig = run->transfer_s * 1e6 / (double)p->count;
	run->ok = rc == 0 && isfinite(run->fig) && run->fig > 0;
	results_destroy(&r);
out:
	chan_destroy(c.ping);
	chan_destroy(c.pong);
	return run->ok ? 0 : -1;
}

/* The cost of one 1-byte write and read on a pipe, in one thread: what a
 * round trip pays besides switching. Median of `times` loops. */
static double pipe_overhead_us(uint64_t rounds, unsigned times)
{
	double *us = calloc(times, sizeof(*us));
	unsigned n = 0;
	struct stats st;
	struct chan *c;
	char x = 0;

	if (!us || chan_create(CHAN_PIPE, 64, &c)) {
		free(us);
		return NAN;
	}
	for (unsigned i = 0; i < times; i++) {
		double t0 = measure_now();
		uint64_t k;

		for (k = 0; k < rounds; k++)
			if (chan_send(c, &x, 1) || chan_recv(c, &x, 1))
				break;
		if (k == rounds)
			us[n++] = (measure_now() - t0) * 1e6 / (double)rounds;
	}
	chan_destroy(c);
	st.median = NAN;
	if (n)
		measure_stats(us, n, &st);
	free(us);
	return st.median;
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

static int measure_point(const struct config *cfg, const struct ipc_opts *o,
			 struct ipc_point *p, size_t at, size_t of)
{
	unsigned char *tx = NULL, *rx = NULL;
	double *fig = calloc(cfg->repeat, sizeof(*fig));
	double *wall = calloc(cfg->repeat, sizeof(*wall));
	struct sum want = { 0, 0 };
	char size[32];
	int failed = 0;

	if (!p->latency) {
		uint64_t x = 0x9e3779b97f4a7c15ULL;

		tx = malloc(p->msg);
		rx = malloc(p->msg);
		for (size_t i = 0; tx && i < p->msg; i++) {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			tx[i] = (unsigned char)x;
		}
		if (tx)
			want = sum_expected(tx, p->msg, p->count);
	}
	if (!fig || !wall || (!p->latency && (!tx || !rx))) {
		fprintf(stderr, "pvt: ipc: out of memory\n");
		failed = 1;
		goto out;
	}
	short_size(size, sizeof(size), p->msg);
	for (unsigned i = 0; i < cfg->warmup + cfg->repeat &&
	     !workers_stopped(); i++) {
		int warm = i < cfg->warmup;
		struct ipc_run run;
		int rc;

		progress("ipc: %s %s %s%s, %s %u/%u  [%zu/%zu]",
			 p->latency ? "ping-pong" : chan_kind_name(p->kind),
			 model_name(p->model), p->latency ? "" : size,
			 p->latency ? (p->pinned ? "pinned" : "unpinned") : "",
			 warm ? "warm-up" : "run",
			 warm ? i + 1 : i - cfg->warmup + 1,
			 warm ? cfg->warmup : cfg->repeat, at + 1, of);
		rc = p->latency ? pp_once(o, p, &run) :
		     bw_once(o, p, tx, rx, &want, &run);
		if (rc && !workers_stopped()) {
			progress_clear();
			fprintf(stderr, "pvt: ipc: %s, %s, %zu-byte messages: "
				"%s\n", p->latency ? "ping-pong" :
				chan_kind_name(p->kind), model_name(p->model),
				p->msg, run.st.why);
			failed = 1;
		}
		if (warm || workers_stopped())
			continue;
		p->runs[p->nruns++] = run;
		if (!run.ok)
			continue;
		fig[p->ok_runs] = run.fig;
		wall[p->ok_runs] = run.st.wall_s;
		p->ok_runs++;
	}
	if (p->ok_runs) {
		measure_stats(fig, p->ok_runs, &p->fig);
		measure_stats(wall, p->ok_runs, &p->wall);
	}
out:
	free(tx);
	free(rx);
	free(fig);
	free(wall);
	return failed ? -1 : 0;
}

/* ---- output -------------------------------------------------------------- */

static void write_meta(const struct config *cfg, const struct ipc_opts *o,
		       struct csv *c)
{
	config_meta(cfg, c);
	csv_meta(c, "pinned_cpu", "%u", o->cpu);
	csv_meta(c, "pipe_overhead_us", "%.4f", o->pipe_overhead_us);
	if (workers_stopped())
		csv_meta(c, "interrupted", "yes");
}

static int write_csv(const struct config *cfg, const struct ipc_opts *o,
		     const struct ipc_point *pts, size_t n)
{
	struct csv c;

	if (csv_open(&c, cfg->out, "ipc.csv"))
		return -1;
	write_meta(cfg, o, &c);
	csv_header(&c, BENCH_RAW_COLS ",test,channel,msg_bytes,messages,"
		   "bytes,transfer_s,mbps,rounds,pinned,cpu,rtt_us");
	for (size_t i = 0; i < n; i++) {
		const struct ipc_point *p = &pts[i];

		for (unsigned k = 0; k < p->nruns; k++) {
			const struct ipc_run *run = &p->runs[k];

			bench_raw_common(&c, "ipc", p->model, 2, 2, p->msg,
					    k + 1, &run->st, run->ok);
			csv_str(&c, p->latency ? "latency" : "bandwidth");
			csv_str(&c, chan_kind_name(p->kind));
			csv_int(&c, (long long)p->msg);
			csv_num(&c, p->latency ? NAN : (double)p->count);
			csv_num(&c, p->latency ? NAN :
				(double)(p->msg * p->count));
			csv_num(&c, run->ok ? run->transfer_s : NAN);
			csv_num(&c, run->ok && !p->latency ? run->fig : NAN);
			csv_num(&c, p->latency ? (double)p->count : NAN);
			csv_num(&c, p->latency ? p->pinned : NAN);
			csv_num(&c, p->latency && p->pinned ? o->cpu : NAN);
			csv_num(&c, run->ok && p->latency ? run->fig : NAN);
			csv_end_row(&c);
		}
	}
	if (csv_commit(&c))
		return -1;

	if (csv_open(&c, cfg->out, "ipc.summary.csv"))
		return -1;
	write_meta(cfg, o, &c);
	csv_header(&c, BENCH_SUMMARY_COLS ",test,channel,msg_bytes,bytes,"
		   "rounds,pinned,cpu,median_mbps,min_mbps,max_mbps,"
		   "median_rtt_us,min_rtt_us,max_rtt_us,pipe_overhead_us,"
		   "switch_us");
	for (size_t i = 0; i < n; i++) {
		const struct ipc_point *p = &pts[i];
		int have = p->ok_runs > 0, bw = have && !p->latency,
		    lat = have && p->latency;

		if (!p->nruns)
			continue;
		bench_summary_common(&c, "ipc", p->model, 2, 2, p->msg,
				     have ? &p->wall : NULL, NAN, NAN,
				     have && p->ok_runs == p->nruns);
		csv_str(&c, p->latency ? "latency" : "bandwidth");
		csv_str(&c, chan_kind_name(p->kind));
		csv_int(&c, (long long)p->msg);
		csv_num(&c, p->latency ? NAN : (double)(p->msg * p->count));
		csv_num(&c, p->latency ? (double)p->count : NAN);
		csv_num(&c, p->latency ? p->pinned : NAN);
		csv_num(&c, p->latency && p->pinned ? o->cpu : NAN);
		csv_num(&c, bw ? p->fig.median : NAN);
		csv_num(&c, bw ? p->fig.min : NAN);
		csv_num(&c, bw ? p->fig.max : NAN);
		csv_num(&c, lat ? p->fig.median : NAN);
		csv_num(&c, lat ? p->fig.min : NAN);
		csv_num(&c, lat ? p->fig.max : NAN);
		csv_num(&c, p->latency ? o->pipe_overhead_us : NAN);
		csv_num(&c, lat ? (p->fig.median - 2 * o->pipe_overhead_us) /
			2 : NAN);
		csv_end_row(&c);
	}
	return csv_commit(&c);
}

static const struct ipc_point *find_bw(const struct ipc_point *pts, size_t n,
				       enum chan_kind k, size_t msg)
{
	for (size_t i = 0; i < n; i++)
		if (!pts[i].latency && pts[i].kind == k && pts[i].msg == msg &&
		    pts[i].ok_runs)
			return &pts[i];
	return NULL;
}

static const struct ipc_point *find_pp(const struct ipc_point *pts, size_t n,
				       enum model m, int pinned)
{
	for (size_t i = 0; i < n; i++)
		if (pts[i].latency && pts[i].model == m &&
		    pts[i].pinned == pinned && pts[i].ok_runs)
			return &pts[i];
	return NULL;
}

static void narrate(const struct config *cfg, const struct ipc_opts *o,
		    const struct ipc_point *pts, size_t n,
		    const enum chan_kind *kinds, size_t nkinds)
{
	const struct param_value *sizes = config_param(cfg, "sizes");
	uint64_t rounds = config_param(cfg, "rounds")->u;
	int noisy = 0;

	printf("\nipc bandwidth: MB/s (10^6 bytes/s) from one worker to the "
	       "other, %llu KiB per run,\n  median of %u runs, every byte "
	       "checked; columns: message size in bytes\n",
	       (unsigned long long)config_param(cfg, "bytes")->u / 1024,
	       cfg->repeat);
	printf("  %-11s %-8s", "channel", "model");
	for (size_t j = 0; j < sizes->n; j++) {
		char s[16];

		short_size(s, sizeof(s), sizes->sizes[j]);
		printf(" %7s", s);
	}
	printf("\n");
	for (size_t i = 0; i < nkinds; i++) {
		printf("  %-11s %-8s", chan_kind_name(kinds[i]),
		       chan_between_processes(kinds[i]) ? "process" : "thread");
		for (size_t j = 0; j < sizes->n; j++) {
			const struct ipc_point *p = find_bw(pts, n, kinds[i],
							    sizes->sizes[j]);

			if (p)
				noisy |= p->fig.noisy;
			if (p)
				printf(" %6.0f%s", p->fig.median,
				       p->fig.noisy ? "*" : " ");
			else
				printf(" %7s", "-");
		}
		printf("\n");
	}
	if (rounds) {
		printf("\nipc latency: µs per round trip of one byte over two "
		       "pipes (two switches),\n  %llu round trips, median of "
		       "%u runs\n", (unsigned long long)rounds, cfg->repeat);
		printf("  %-8s  pinned to CPU %-3u  unpinned\n", "model",
		       o->cpu);
		for (enum model m = MODEL_PROCESS; m <= MODEL_THREAD; m++) {
			const struct ipc_point *a = find_pp(pts, n, m, 1);
			const struct ipc_point *b = find_pp(pts, n, m, 0);

			printf("  %-8s", model_name(m));
			if (a)
				printf(" %15.2f%s", a->fig.median,
				       a->fig.noisy ? "*" : " ");
			else
				printf(" %15s ", "-");
			if (b)
				printf(" %9.2f%s", b->fig.median,
				       b->fig.noisy ? "*" : " ");
			noisy |= (a && a->fig.noisy) || (b && b->fig.noisy);
			printf("\n");
		}
		printf("  a 1-byte pipe write + read in one thread: %.2f µs; "
		       "a switch ~ (rtt - %.2f) / 2\n", o->pipe_overhead_us,
		       2 * o->pipe_overhead_us);
	}
	if (noisy)
		printf("  * noisy: the runs spread over %.0f%% of the median\n",
		       100 * MEASURE_NOISY);
}

static void lesson(const struct config *cfg, const struct ipc_opts *o,
		   const struct ipc_point *pts, size_t n)
{
	const struct param_value *sizes = config_param(cfg, "sizes");
	const struct ipc_point *pp = find_pp(pts, n, MODEL_PROCESS, 1);
	const struct ipc_point *pt = find_pp(pts, n, MODEL_THREAD, 1);
	size_t big = 0;
	int any = 0;

	for (size_t j = 0; j < sizes->n; j++)
		if (sizes->sizes[j] > big && sizes->sizes[j] <= (64 << 10))
			big = sizes->sizes[j];
	if (!big)
		big = sizes->sizes[0];
	if (big % 1024 == 0)
		printf("\n  Lesson: at %zu KiB messages,", big / 1024);
	else
		printf("\n  Lesson: at %zu-byte messages,", big);
	for (int k = 0; k < CHAN_KIND_COUNT; k++) {
		const struct ipc_point *p = find_bw(pts, n, k, big);

		if (p)
			printf("%s %s %.0f MB/s", any++ ? "," : "",
			       chan_kind_name(k), p->fig.median);
	}
	if (!any)
		printf(" nothing was measured");
	printf(": processes must copy through the kernel or set up shared "
	       "memory, threads just share it");
	if (pp && pt)
		printf("; a pipe round trip on one CPU takes %.1f µs between "
		       "processes and %.1f µs between threads (%.2f µs of it "
		       "is pipe calls)", pp->fig.median, pt->fig.median,
		       2 * o->pipe_overhead_us);
	printf(".\n");
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
	struct ipc_opts o = {
		.capacity = (size_t)config_param(cfg, "capacity")->u,
		.cpu = first_cpu(),
	};
	enum chan_kind kinds[CHAN_KIND_COUNT];
	size_t nkinds, max, n = 0;
	struct ipc_point *pts;
	int failed = 0, rc, written;

	nkinds = config_param(cfg, "channels")->n;
	for (size_t i = 0; i < nkinds; i++)
		kinds[i] = (enum chan_kind)config_param(cfg, "channels")->list[i];
	max = nkinds * sizes->n + 4;
	pts = calloc(max, sizeof(*pts));
	for (size_t i = 0; pts && i < max; i++)
		if (!(pts[i].runs = calloc(cfg->repeat, sizeof(*pts->runs))))
			goto out_nomem;
	if (!pts)
		goto out_nomem;
	o.pipe_overhead_us = rounds ? pipe_overhead_us(rounds, cfg->repeat) :
			     NAN;
	for (size_t i = 0; i < nkinds; i++) {
		for (size_t j = 0; j < sizes->n; j++) {
			struct ipc_point *p = &pts[n++];

			p->kind = kinds[i];
			p->model = chan_between_processes(kinds[i]) ?
				   MODEL_PROCESS : MODEL_THREAD;
			p->msg = sizes->sizes[j];
			p->count = bytes / p->msg ? bytes / p->msg : 1;
		}
	}
	for (int i = 0; rounds && i < 4; i++) {
		struct ipc_point *p = &pts[n++];

		p->latency = 1;
		p->kind = CHAN_PIPE;
		p->model = i < 2 ? MODEL_PROCESS : MODEL_THREAD;
		p->pinned = !(i % 2);
		p->msg = 1;
		p->count = rounds;
	}
	for (size_t i = 0; i < n && !workers_stopped(); i++)
		if (measure_point(cfg, &o, &pts[i], i, n))
			failed = 1;
	progress_clear();
	written = !write_csv(cfg, &o, pts, n);
	if (!written) {
		fprintf(stderr, "pvt: ipc: cannot write the CSV in '%s': %s\n",
			cfg->out, strerror(errno));
		failed = 1;
	}
	if (!cfg->quiet) {
		narrate(cfg, &o, pts, n, kinds, nkinds);
		lesson(cfg, &o, pts, n);
	}
	if (written)
		printf("  wrote %s/ipc.csv and %s/ipc.summary.csv%s\n",
		       cfg->out, cfg->out,
		       workers_stopped() ? " (interrupted: partial)" : "");
	rc = workers_stopped() ? 128 + cli_interrupted() : failed;
	goto out;
out_nomem:
	fprintf(stderr, "pvt: ipc: out of memory\n");
	rc = 1;
out:
	for (size_t i = 0; pts && i < max; i++)
		free(pts[i].runs);
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

static const char *const ipc_quick[] = {
	"--sizes", "64,4KiB,256KiB", "--bytes", "2MiB", "--rounds", "2000",
	"--repeat", "3", NULL,
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
};

/* download.c - I/O-bound: download files over HTTP under every model
 *
 * Task t downloads file t from pvt's embedded HTTP server, started in a
 * process of its own on 127.0.0.1 (a free port) with the chosen latency,
 * rate and error rate, or line t mod n of --url-file, or file t of a
 * server already running (--server: how the mpi models' ranks reach the
 * parent's; across pvt cluster's hosts it listens on the bridge's own
 * address instead, and every model downloads from there). Every download
 * is checked: its length and CRC-32 against what the server's seed says;
 * the results are checked again after the run (on rank 0 for the mpi
 * models, once gathered). A worker spends almost all of a task waiting,
 * so the time falls with the workers toward ceil(tasks / workers) x
 * (latency + size / rate) under every model, the gil model included: it
 * lets go of the lock around the transfer, as CPython does around a
 * blocking call.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output/csv.h"
#include "net/fetch.h"
#include "net/httpd.h"
#include "face/scenario.h"
#include "measure/sweep.h"
#include "net/urlfile.h"

#define EXTRA_COLS "bytes,http_errors,timeouts,conn_errors,length_errors," \
		   "checksum_errors,url_errors,other_errors,workers_up_s," \
		   "workers_down_s"
#define SUMMARY_COLS "ideal_s,ideal_efficiency"
#define SERVER_MAX 256		/* characters of a --server address */
/* a task's URL: the base, "/files/", and a task number */
#define URL_MAX (SERVER_MAX + 32)

/* The failure count columns, in EXTRA_COLS order after bytes. */
static const enum fetch_cause col_cause[] = {
	FETCH_HTTP, FETCH_TIMEOUT, FETCH_CONNECT, FETCH_LENGTH,
	FETCH_CHECKSUM, FETCH_URL, FETCH_OTHER,
};

struct download_ctx {
	char base[SERVER_MAX + 8];	/* http://127.0.0.1:PORT/files/ */
	char **urls;		/* --url-file's lines; NULL: the server */
	size_t nurls;
	char dir[4096];		/* where the files go; "" when discarded */
	uint64_t tasks, size;
	uint32_t *crc;		/* per task, what the seed says; NULL with
				 * --url-file */
	struct fetch_opts fo;
	double task_s;		/* latency + size / rate: one ideal task */
};

/* The URL of task t. */
static const char *task_url(const struct download_ctx *c, size_t t,
			    char *buf, size_t len)
{
	if (c->urls)
		return c->urls[t % c->nurls];
	snprintf(buf, len, "%s%zu", c->base, t);
	return buf;
}

static int download_task(const void *ctx, void *local, size_t task,
			 void *result)
{
	const struct download_ctx *c = ctx;
	struct fetch_want want = { 0 };
	char url[URL_MAX], path[4200];
	const char *u = task_url(c, task, url, sizeof(url));

	if (c->crc) {
		want.has_len = want.has_crc = 1;
		want.len = c->size;
		want.crc = c->crc[task];
	}
	/* the file is named for the task, never for the URL */
	if (c->dir[0])
		snprintf(path, sizeof(path), "%s/task-%06zu.bin", c->dir, task);
	worker_io_begin();	/* blocked in the transfer: no GIL held */
	fetch_url(local, u, c->dir[0] ? path : NULL, c->crc ? &want : NULL,
		  result);
	worker_io_end();
	if (((struct fetch_result *)result)->cause && workers_stopped())
		return WORKER_STOPPED;	/* cut short by the stop */
	return ((struct fetch_result *)result)->cause;
}

/* One easy handle per worker, made in the worker and reused for all its
 * tasks, so that it keeps its connection. */
static int download_local_init(const void *ctx, void **local)
{
	const struct download_ctx *c = ctx;
	struct fetcher *f;
	char err[256];

	if (fetch_open(&f, &c->fo, err, sizeof(err))) {
		fprintf(stderr, "pvt: download: %s\n", err);
		return -1;
	}
	*local = f;
	return 0;
}

static void download_local_fini(const void *ctx, void *local)
{
	(void)ctx;
	fetch_close(local);
}

/* Checks every downloaded result again: its length and CRC-32 against
 * the seed's (tasks that failed are counted as failed, not here). Run
 * after every run, and on rank 0 over the results the ranks gathered. */
static size_t download_verify(const void *ctx, const struct results *r,
			      char *why, size_t len)
{
	const struct download_ctx *c = ctx;
	size_t wrong = 0;

	for (size_t t = 0; c->crc && t < r->tasks; t++) {
		const struct fetch_result *f = results_at(r, t);

		if (atomic_load(&results_log(r, t)->state) != TASK_DONE ||
		    (f->bytes == c->size && f->crc == c->crc[t]))
			continue;
		if (!wrong++)
			snprintf(why, len, "task %zu: %llu bytes, CRC-32 %08x; "
				 "expected %llu, %08x", t,
				 (unsigned long long)f->bytes, (unsigned)f->crc,
				 (unsigned long long)c->size,
				 (unsigned)c->crc[t]);
	}
	return wrong;
}

/* How long a run took to have every worker at work, from its start
 * (before the first worker is made) to the last worker's first task,
 * and to end once the last task was done (the workers leave, reaped or
 * joined): what starting and ending workers adds to the waiting, which
 * the ideal leaves out. NAN when no task ran. */
static void up_down(const struct results *r, const struct run_stats *st,
		    double *up, double *down)
{
	double last = 0, *first = NULL;
	int workers = 0;

	*up = *down = NAN;
	for (size_t t = 0; t < r->tasks; t++)
		if (results_log(r, t)->worker >= workers)
			workers = results_log(r, t)->worker + 1;
	if (!workers || !(first = malloc(workers * sizeof(*first))))
		return;
	for (int w = 0; w < workers; w++)
		first[w] = INFINITY;
	for (size_t t = 0; t < r->tasks; t++) {
		const struct task_log *log = results_log(r, t);
		int state = atomic_load(&log->state);

		/* a task that ran here ended after the run's start (the
		 * mpi models' gathered results have no times: empty) */
		if (log->worker < 0 || !(log->end_s > 0) ||
		    (state != TASK_DONE && state != TASK_FAILED))
			continue;
		if (log->start_s < first[log->worker])
			first[log->worker] = log->start_s;
		if (log->end_s > last)
			last = log->end_s;
	}
	for (int w = 0; w < workers; w++)
		if (isfinite(first[w]) && !(first[w] <= *up))
			*up = first[w];
	if (last > 0 && st->wall_s >= last)
		*down = st->wall_s - last;
	free(first);
}

/* Fills the raw columns of a run (bytes, then failures by cause, then
 * the workers' start and end) and names on stderr the first failed task
 * of each cause. */
static void download_extra(const void *ctx, const struct results *r,
			   const struct run_stats *st, double *vals)
{
	const struct download_ctx *c = ctx;
	size_t count[FETCH_CAUSES] = { 0 }, first[FETCH_CAUSES] = { 0 };
	double bytes = 0;

	for (size_t t = 0; t < r->tasks; t++) {
		const struct fetch_result *f = results_at(r, t);
		int state = atomic_load(&results_log(r, t)->state);

		if (state != TASK_DONE && state != TASK_FAILED)
			continue;	/* never ran: the engine says why */
		bytes += (double)f->bytes;
		if (state == TASK_FAILED && f->cause > 0 &&
		    f->cause < FETCH_CAUSES && !count[f->cause]++)
			first[f->cause] = t;
	}
	vals[0] = bytes;
	for (size_t i = 0; i < sizeof(col_cause) / sizeof(col_cause[0]); i++)
		vals[1 + i] = (double)count[col_cause[i]];
	up_down(r, st, &vals[8], &vals[9]);
	for (int k = 1; k < FETCH_CAUSES; k++) {
		const struct fetch_result *f;
		char url[URL_MAX];

		if (!count[k])
			continue;
		f = results_at(r, first[k]);
		fprintf(stderr, "pvt: download: %zu task(s) failed (%s), the "
			"first is task %zu: %s: %s\n", count[k],
			fetch_cause_name(k), first[k],
			task_url(c, first[k], url, sizeof(url)), f->msg);
	}
}

/* The ideal time of a configuration: every worker busy from the first
 * moment, each task taking exactly latency + size / rate. */
static double ideal_s(const struct download_ctx *c, unsigned workers)
{
	if (c->urls || !(c->task_s > 0))
		return NAN;
	return ceil((double)c->tasks / workers) * c->task_s;
}

static void download_summary(const void *ctx, const struct bench_conf *k,
			     double *vals)
{
	const struct download_ctx *c = ctx;

	vals[0] = ideal_s(c, k->workers);
	vals[1] = k->ok_runs && isfinite(vals[0]) && k->wall.median > 0 ?
		  vals[0] / k->wall.median : NAN;
}

/* ---- set-up ------------------------------------------------------------- */

static void free_urls(struct download_ctx *c)
{
	urlfile_free(c->urls, c->nurls);
	c->urls = NULL;
	c->nurls = 0;
}

/* Reads --url-file. Returns 0, or 2 (a usage error, said on stderr). */
static int read_urls(const struct config *cfg, const char *path,
		     struct download_ctx *c)
{
	char err[4400];
	size_t py = 0;

	for (size_t i = 0; i < cfg->nmodels; i++)
		py += MODEL_IS_PYTHON(cfg->models[i]);
	if (py == cfg->nmodels) {
		fprintf(stderr, "pvt: download: --url-file: the py-* models "
			"download pvt's own server's files only (accepted "
			"with it: sequential, process, thread, gil)\n");
		return 2;
	}
	if (urlfile_read(path, &c->urls, &c->nurls, err, sizeof(err))) {
		fprintf(stderr, "pvt: download: --url-file: %s\n", err);
		return 2;
	}
	if (c->nurls > cfg->tasks)
		fprintf(stderr, "pvt: download: --url-file has %zu URLs and "
			"--tasks is %llu: only the first %llu are fetched "
			"(--tasks %zu fetches them all)\n", c->nurls,
			(unsigned long long)cfg->tasks,
			(unsigned long long)cfg->tasks, c->nurls);
	return 0;
}

/* The py-* models' check: the sum of every task's CRC-32, modulo 2^64. */
static uint64_t download_total(const void *ctx, uint64_t tasks, uint64_t size)
{
	const struct download_ctx *c = ctx;
	uint64_t sum = 0;

	(void)size;
	for (uint64_t t = 0; t < tasks; t++)
		sum += c->crc[t];
	return sum;
}

/* What the seed says every task's file is. Returns 0, or -1. */
static int expect_crcs(struct download_ctx *c, uint64_t seed)
{
	c->crc = malloc(c->tasks * sizeof(*c->crc));
	if (!c->crc) {
		fprintf(stderr, "pvt: download: malloc: %s\n", strerror(errno));
		return -1;
	}
	for (uint64_t t = 0; t < c->tasks; t++)
		c->crc[t] = httpd_file_crc(seed, t, c->size);
	return 0;
}

/* ---- narration ---------------------------------------------------------- */

/* Median time over the ideal for model m at w workers, or NAN. */
static double over_ideal(const struct download_ctx *c,
			 const struct bench_result *res, enum model m,
			 unsigned w)
{
	const struct bench_conf *k = bench_find(res, m, w, NULL);

	return k ? k->wall.median / ideal_s(c, w) : NAN;
}

/* What the ideal leaves out, at w workers: starting the workers (the
 * run's start to the last one's first task) and ending them (the last
 * task's end to the run's), medians in ms, for the engine's models. */
static void narrate_up_down(const struct bench_result *res, unsigned w)
{
	static const enum model models[] = {
		MODEL_PROCESS, MODEL_THREAD, MODEL_GIL,
	};
	const char *sep = "  Starting the workers (until the last began a "
			  "task) and ending them (after the last task), ms:";

	for (size_t i = 0; i < sizeof(models) / sizeof(models[0]); i++) {
		const struct bench_conf *k = bench_find(res, models[i], w,
							NULL);
		const struct stats *up, *down;

		if (!k)
			continue;
		up = bench_stats(res, k, "workers_up_s");
		down = bench_stats(res, k, "workers_down_s");
		if (!up->n || !down->n)
			continue;
		printf("%s %s %.1f and %.1f", sep, model_name(models[i]),
		       1000 * up->median, 1000 * down->median);
		sep = ",";
	}
	if (sep[0] == ',')
		printf("\n");
}

static void narrate(const void *ctx, const struct bench_result *res)
{
	const struct download_ctx *c = ctx;
	const struct config *cfg = res->cfg;
	static const enum model models[] = {
		MODEL_PROCESS, MODEL_THREAD, MODEL_GIL, MODEL_PY_PROCESS,
		MODEL_PY_THREAD, MODEL_MPI, MODEL_MPI_THREAD,
	};

	if (c->urls) {
		printf("\n  %zu URL(s) from --url-file, task t fetching line t "
		       "mod %zu; no ideal time: the servers' latency is not "
		       "known.\n", c->nurls, c->nurls);
	} else if (isfinite(ideal_s(c, 1))) {
		unsigned w = 1;

		/* one line, at the most workers: the whole sweep is in the
		 * summary's ideal_efficiency column */
		for (size_t i = 0; i < cfg->nworkers; i++)
			if (cfg->workers[i] > w)
				w = cfg->workers[i];
		printf("  At %u workers, time over the ideal ceil(tasks/"
		       "workers) x %.4g s (1.00 is perfect):", w, c->task_s);
		for (size_t i = 0; i < sizeof(models) / sizeof(models[0]); i++) {
			double x = over_ideal(c, res, models[i], w);

			if (isfinite(x))
				printf(" %s %.2f", model_name(models[i]), x);
		}
		printf("\n");
		narrate_up_down(res, w);
	}
}

/* The lesson: waiting holds no core, so threads keep up with processes
 * at the largest worker count. */
static void download_check(const struct bench_result *res,
			   struct verdicts *vs)
{
	const struct config *cfg = res->cfg;
	const struct bench_conf *t, *p;
	struct verdict_evidence ev = VERDICT_EVIDENCE_INIT;
	unsigned w = 0;
	char what[96], got[64] = "";
	double ratio = NAN;

	if (!config_has_model(cfg, MODEL_THREAD) ||
	    !config_has_model(cfg, MODEL_PROCESS))
		return;
	for (size_t i = 0; i < cfg->nworkers; i++)
		if (cfg->workers[i] > w)
			w = cfg->workers[i];
	t = bench_find(res, MODEL_THREAD, w, NULL);
	p = bench_find(res, MODEL_PROCESS, w, NULL);
	bench_evidence(&ev, t, VERDICT_SLOW_RAISES);
	bench_evidence(&ev, p, VERDICT_SLOW_LOWERS);
	if (t && p && p->wall.median > 0) {
		ratio = t->wall.median / p->wall.median;
		snprintf(got, sizeof(got), "%.2f (thread %.3f s, process "
			 "%.3f s)", ratio, t->wall.median, p->wall.median);
	}
	snprintf(what, sizeof(what), "thread time over process time at %u "
		 "worker(s)", w);
	/* nothing measured: bench_evidence has folded in 0 runs */
	verdict_add(vs, what, "0.90 to 1.10", got, fabs(ratio - 1) <= 0.10,
		    VERDICT_BAND, &ev);
}

/* ---- the run ------------------------------------------------------------ */

/* --server URL: files at URL/files/N. Returns 0, or 2 (said). */
static int server_base(const char *url, struct download_ctx *c)
{
	size_t len = strlen(url);

	while (len && url[len - 1] == '/')
		len--;
	if ((strncmp(url, "http://", 7) && strncmp(url, "https://", 8)) ||
	    strpbrk(url, " \t\n") || len > SERVER_MAX || len <= 8) {
		fprintf(stderr, "pvt: download: --server: '%s' is not a "
			"server's address (accepted: http://HOST:PORT, at most "
			"%d characters)\n", url, SERVER_MAX);
		return 2;
	}
	snprintf(c->base, sizeof(c->base), "%.*s/files/", (int)len, url);
	return 0;
}

/* The address the server listens on: 127.0.0.1, or, when the run's mpi
 * models spread over pvt cluster's hosts, the bridge's own address, so
 * that the ranks there reach it too (and every model downloads from
 * there, for the same path). Where no such address is known (the hosts
 * of --hostfile), the mpi models are skipped with why. */
static const char *server_addr(const struct config *cfg, struct sweep *sw,
			       char *addr, size_t len, char *why,
			       size_t why_len)
{
	if ((config_has_model(cfg, MODEL_MPI) ||
	     config_has_model(cfg, MODEL_MPI_THREAD)) &&
	    sweep_mpi_home(cfg, addr, len, why, why_len)) {
		size_t n = strlen(why);

		snprintf(why + n, why_len - n, "; with pvt's own server the "
			 "ranks need pvt cluster's hosts (--url-file gives "
			 "them URLs of their own)");
		sw->mpi_unusable = why;
	}
	return addr[0] ? addr : "127.0.0.1";
}

/* Starts the embedded server for the run's files and points ctx (and
 * the mpi ranks, through url) at it. Returns 0, or -1 (said). */
static int server_start(const struct config *cfg, struct httpd_opts *so,
			struct httpd_proc *srv, struct download_ctx *c,
			struct sweep *sw, char *url, size_t url_len)
{
	static char addr[64], why[512];	/* static: sw keeps why */
	char err[256];

	addr[0] = 0;
	so->bind = server_addr(cfg, sw, addr, sizeof(addr), why, sizeof(why));
	/* in a process of its own: its CPU is never a model's */
	if (httpd_spawn(so, srv, err, sizeof(err))) {
		fprintf(stderr, "pvt: download: the server: %s\n", err);
		return -1;
	}
	snprintf(url, url_len, "http://%s:%u/", so->bind, srv->port);
	snprintf(c->base, sizeof(c->base), "http://%s:%u/files/", so->bind,
		 srv->port);
	c->task_s = so->latency_s + (so->rate ? (double)so->size /
				     (double)so->rate : 0);
	if (!cfg->quiet)
		printf("  server: pid %d at %s (%s latency, rate %s, error "
		       "rate %s)\n", (int)srv->pid, url,
		       config_param(cfg, "latency")->s,
		       so->rate ? config_param(cfg, "rate")->s : "unlimited",
		       config_param(cfg, "error-rate")->s);
	return 0;
}

static int download_run(const struct config *cfg)
{
	const char *url_file = config_param(cfg, "url-file")->s;
	const char *server = config_param(cfg, "server")->s;
	struct httpd_proc srv = { .pid = -1 };
	struct download_ctx ctx;
	struct httpd_opts so;
	struct sweep sw = {
		.fn = download_task,
		.ctx = &ctx,
		.result_size = sizeof(struct fetch_result),
		.local_init = download_local_init,
		.local_fini = download_local_fini,
		.verify = download_verify,
		.extra_cols = EXTRA_COLS,
		.extra = download_extra,
		.summary_cols = SUMMARY_COLS,
		.summary = download_summary,
		.narrate = narrate,
	};
	char err[256], py_timeout[32], url[300];
	const char *py_args[] = {
		"--url-base", ctx.base, "--timeout", py_timeout, NULL,
	};
	/* the ranks download from this run's server, never from one of
	 * their own */
	const char *mpi_args[] = { "--server", url, NULL };
	int rc;

	memset(&ctx, 0, sizeof(ctx));
	snprintf(py_timeout, sizeof(py_timeout), "%g",
		 config_param(cfg, "timeout")->d);
	ctx.tasks = cfg->tasks;
	ctx.size = cfg->size;
	ctx.fo.connect_timeout_s = config_param(cfg, "connect-timeout")->d;
	ctx.fo.timeout_s = config_param(cfg, "timeout")->d;
	ctx.fo.keepalive = !strcmp(config_param(cfg, "keepalive")->s, "on");
	ctx.fo.cancel = workers_stopped;
	if (server && url_file) {
		fprintf(stderr, "pvt: download: --server and --url-file: one "
			"source of files at a time (accepted: either)\n");
		return 2;
	}
	if (server && (rc = server_base(server, &ctx)))
		return rc;
	if (workers_on_stop(fetch_interrupt)) {
		fprintf(stderr, "pvt: download: workers_on_stop: no room\n");
		return 1;
	}
	httpd_defaults(&so);
	so.files = cfg->tasks;
	so.size = cfg->size;
	so.seed = config_param(cfg, "seed")->u;
	so.latency_s = config_param(cfg, "latency")->d;
	so.rate = config_param(cfg, "rate")->u;
	so.error_rate = config_param(cfg, "error-rate")->d;
	so.faults = 0;
	for (size_t i = 0; i < config_param(cfg, "error-kinds")->n; i++)
		so.faults |= 1u << config_param(cfg, "error-kinds")->list[i];
	if (url_file && (rc = read_urls(cfg, url_file, &ctx)))
		return rc;

	rc = 1;
	if (!config_param(cfg, "discard")->u) {
		snprintf(ctx.dir, sizeof(ctx.dir), "%s/download.files",
			 cfg->out);
		if (csv_dir(cfg->out) || csv_dir(ctx.dir)) {
			fprintf(stderr, "pvt: download: mkdir %s: %s\n",
				ctx.dir, strerror(errno));
			goto out_urls;
		}
	}
	/* once, in the parent, before any worker */
	if (fetch_global_init(err, sizeof(err))) {
		fprintf(stderr, "pvt: download: %s\n", err);
		goto out_urls;
	}
	if (!ctx.urls) {
		if (expect_crcs(&ctx, so.seed))
			goto out_curl;
		if (!server && server_start(cfg, &so, &srv, &ctx, &sw, url,
					    sizeof(url)))
			goto out_curl;
		if (!server)
			sw.mpi_args = mpi_args;
		/* python3 runs the same tasks against the same server */
		sw.python = cfg->sc->python;
		sw.python_args = py_args;
		sw.python_size = cfg->size;
		sw.python_checksum = download_total;
	}
	rc = sweep_run(cfg, &sw);
	if (httpd_reap(&srv, err, sizeof(err))) {
		fprintf(stderr, "pvt: download: the server: %s\n", err);
		if (!rc)
			rc = 1;
	}
out_curl:
	free(ctx.crc);
	fetch_global_cleanup();
out_urls:
	free_urls(&ctx);
	return rc;
}

static const struct param download_params[] = {
	{ "latency", PARAM_DURATION, "20ms", 0, 60, NULL,
	  "the server waits this long before each response" },
	{ "rate", PARAM_SIZE, "0", 0, 1ULL << 40, NULL,
	  "bytes/s per response, e.g. 1MiB; 0: no limit" },
	{ "error-rate", PARAM_FRACTION, "0", 0, 1, NULL,
	  "fraction of the files the server fails: 0.1 or 10%" },
	{ "error-kinds", PARAM_CHOICES, "500,drop,stall", 0, 0,
	  HTTPD_FAULT_CHOICES,
	  "how they fail, in turn: 500, drop, stall, truncate, corrupt" },
	{ "timeout", PARAM_DURATION, "10s", 0.001, 3600, NULL,
	  "a download's whole time limit" },
	{ "connect-timeout", PARAM_DURATION, "2s", 0.001, 600, NULL,
	  "the time limit to connect" },
	{ "keepalive", PARAM_CHOICE, "on", 0, 0, "on|off",
	  "off: a new connection for every download" },
	{ "discard", PARAM_FLAG, NULL, 0, 0, NULL,
	  "check each download, keep no file (else OUT/download.files/)" },
	{ "url-file", PARAM_STRING, NULL, 0, 0, NULL,
	  "download these URLs instead (one a line, # comments), without "
	  "checksums" },
	{ "seed", PARAM_COUNT, "1", 0, 1e15, NULL,
	  "what the served files' bytes follow from" },
	{ "server", PARAM_STRING, NULL, 0, 0, NULL,
	  "download from a pvt serve already running at this http://HOST:"
	  "PORT (its --files, --size and --seed as this run's), instead of "
	  "starting one (how pvt gives its mpi ranks their run's server)" },
	SWEEP_MPI_PARAMS,
	{ NULL, 0, NULL, 0, 0, NULL, NULL },
};

/* about 10 s on 2 cores; no warm-up: next to 20 ms waits, a first run
 * has nothing to warm. Up to 8 workers, 4 tasks of 20 ms each, so that
 * the check (total times, starts included) weighs the waiting: at 16
 * workers with 2 tasks each, starting 16 processes that map libcurl
 * (forks of 0.2 ms on 2 cores, each worker's first request in a fresh
 * address space, then its exit) took a fifth of the 40 ms of waiting,
 * and the check measured spawn's lesson instead of this one. */
static const char *const download_quick[] = {
	"--tasks", "32", "--workers", "1,4,8", "--repeat", "3",
	"--warmup", "0", "--latency", "20ms", NULL,
};

const struct scenario scenario_download = {
	.name = "download",
	.summary = "I/O-bound: download files over HTTP under processes, "
		   "threads and a GIL",
	.lesson = "A worker that waits for the network holds no core, so "
		  "more workers than cores still pay: the time falls toward "
		  "ceil(tasks/workers) x latency under every model. A thread "
		  "lets go of the GIL while it waits, as in CPython, so for "
		  "waiting, threads (even under a GIL) do as well as "
		  "processes. Ranks under Open MPI wait the same way on "
		  "every host they run on; hosts made of namespaces of one "
		  "machine share its cores, but waiting needs none.",
	.method = "pvt's HTTP server runs in a process of its own on "
		  "127.0.0.1 and holds each response --latency before sending "
		  "--size bytes (at --rate); each task downloads one file with "
		  "libcurl (one easy handle per worker, its connection kept "
		  "alive unless --keepalive off) and checks its length and "
		  "CRC-32. Failures are counted by cause, never retried. Ideal "
		  "= ceil(tasks/workers) x (latency + size/rate); "
		  "ideal_efficiency = ideal / median. Every time includes "
		  "starting and ending the workers; the check compares thread "
		  "and process times at the most workers, where each worker "
		  "must wait much longer than a process takes to start and "
		  "end (the quick suite stops at 8 workers, 4 tasks each, for "
		  "that: at 16 workers and 2 tasks of 20 ms each, the start "
		  "of 16 processes weighs a fifth of the waiting). The mpi "
		  "models deal "
		  "task t to rank t mod ranks (each rank downloads its share "
		  "with one thread, or --threads-per-rank), gather every "
		  "result to rank 0 and check each length and CRC-32 again "
		  "there; their time runs from a barrier before the work to "
		  "the end of the gather, mpirun's start-up apart (launch_s). "
		  "Over pvt cluster's hosts the server listens on the "
		  "bridge's own address (198.18.0.254) and every model "
		  "downloads from there; those hosts are namespaces of this "
		  "machine, sharing its cores and its one server.",
	.uses = USE_SWEEP,
	.models = "sequential,process,thread,gil,py-sequential,py-process,"
		  "py-thread",
	/* under a minute on 2 cores; --workers 1,2,4,8,16,32 --tasks 64
	 * --latency 50ms is the full sweep */
	.workers = "1,4,16",
	.tasks = 32,
	.size = 64 << 10,
	.size_unit = "bytes per file",
	.size_max = 1ULL << 30,
	.size_max_why = "larger files would take minutes per task on the "
			"loopback",
	.params = download_params,
	.quick = download_quick,
	.python = "download.py",
	.mpi = 1,
	.run = download_run,
	.check = download_check,
};

/* test_fetch.c - pvt's fetch against the embedded server: a verified
 * download, keep-alive, and every failure with its cause; 256 slow
 * downloads at once through the worker engine */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <unistd.h>

#include "check.h"
#include "net/fetch.h"
#include "net/httpd.h"
#include "measure/measure.h"
#include "engine/workers.h"

static char dir[] = "/tmp/pvt-test-fetch.XXXXXX";
static char base[64];

static struct fetcher *open_fetcher(double timeout_s, int keepalive,
				    int (*cancel)(void))
{
	struct fetch_opts o = {
		.connect_timeout_s = 2, .timeout_s = timeout_s,
		.keepalive = keepalive, .cancel = cancel,
	};
	struct fetcher *f = NULL;
	char err[256];

	if (fetch_open(&f, &o, err, sizeof(err)))
		fprintf(stderr, "fetch_open: %s\n", err);
	return f;
}

/* Fetches base + path; returns the cause, once fetch_url's return
 * agrees with it: 0 for a good download, else -1 with errno EIO. */
static int get(struct fetcher *f, const char *path, const char *file,
	       const struct fetch_want *want, struct fetch_result *r)
{
	char url[256];
	int rc;

	snprintf(url, sizeof(url), "%s%s", base, path);
	errno = 0;
	rc = fetch_url(f, url, file, want, r);
	CHECK(r->cause == FETCH_OK ? rc == 0 : rc == -1 && errno == EIO);
	return r->cause;
}

static void test_good(const struct httpd_opts *o)
{
	struct fetcher *f = open_fetcher(5, 1, NULL);
	struct fetch_want want = {
		.has_len = 1, .has_crc = 1, .len = o->size,
		.crc = httpd_file_crc(o->seed, 2, o->size),
	};
	unsigned char got[20000], exp[20000];
	struct fetch_result r;
	char path[512];
	FILE *fp;
	size_t n = 0;

	CHECK(f != NULL);
	if (!f)
		return;
	snprintf(path, sizeof(path), "%s/task-2", dir);
	CHECK(get(f, "/files/2", path, &want, &r) == FETCH_OK);
	CHECK(r.cause == FETCH_OK && r.http_status == 200 && r.curl_code == 0);
	CHECK(r.bytes == o->size && r.crc == want.crc && r.msg[0] == 0);
	CHECK(r.connects == 1 && r.time_s > 0);
	fp = fopen(path, "rb");
	if (fp) {
		n = fread(got, 1, sizeof(got), fp);
		fclose(fp);
	}
	httpd_content(o->seed, 2, 0, exp, (size_t)o->size);
	CHECK(n == o->size && !memcmp(got, exp, n));

	/* the same handle keeps its connection; discarding writes nothing */
	CHECK(get(f, "/files/3", NULL, NULL, &r) == FETCH_OK);
	CHECK(r.connects == 0);
	CHECK(r.crc == httpd_file_crc(o->seed, 3, o->size));
	/* expected length or checksum not met */
	want.len = o->size + 1;
	CHECK(get(f, "/files/2", NULL, &want, &r) == FETCH_LENGTH);
	want.len = o->size;
	want.crc ^= 1;
	CHECK(get(f, "/files/2", NULL, &want, &r) == FETCH_CHECKSUM);
	CHECK(strstr(r.msg, "checksum") != NULL);
	/* a failed download leaves nothing, not even the file it replaced */
	CHECK(get(f, "/files/2", path, &want, &r) == FETCH_CHECKSUM);
	CHECK(access(path, F_OK) == -1 && errno == ENOENT);
	CHECK(get(f, "/files/2?fault=truncate", path, NULL, &r) ==
	      FETCH_LENGTH);
	CHECK(access(path, F_OK) == -1 && errno == ENOENT);
	fetch_close(f);

	/* keep-alive off: a new connection every time */
	f = open_fetcher(5, 0, NULL);
	CHECK(f != NULL);
	if (!f)
		return;
	CHECK(get(f, "/files/0", NULL, NULL, &r) == FETCH_OK &&
	      r.connects == 1);
	CHECK(get(f, "/files/1", NULL, NULL, &r) == FETCH_OK &&
	      r.connects == 1);
	/* a file that cannot be written */
	CHECK(get(f, "/files/1", "/proc/pvt-no/x", NULL, &r) == FETCH_OTHER);
	CHECK(strstr(r.msg, "/proc/pvt-no/x") != NULL);
	fetch_close(f);
}

static void test_faults(void)
{
	struct fetcher *f = open_fetcher(0.4, 1, NULL);
	struct fetch_result r;
	double t;

	CHECK(f != NULL);
	if (!f)
		return;
	CHECK(get(f, "/files/0?fault=500", NULL, NULL, &r) == FETCH_HTTP);
	CHECK(r.http_status == 500 && !strcmp(r.msg, "HTTP 500"));
	CHECK(get(f, "/files/999", NULL, NULL, &r) == FETCH_HTTP);
	CHECK(r.http_status == 404);
	CHECK(get(f, "/files/0?fault=drop", NULL, NULL, &r) == FETCH_CONNECT);
	t = measure_now();
	CHECK(get(f, "/files/0?fault=stall", NULL, NULL, &r) == FETCH_TIMEOUT);
	t = measure_now() - t;
	CHECK(t >= 0.35 && t < 2);
	CHECK(get(f, "/files/0?fault=truncate", NULL, NULL, &r) ==
	      FETCH_LENGTH);
	CHECK(r.bytes == 4096 / 2);
	/* no expected checksum: the server's header is checked */
	CHECK(get(f, "/files/0?fault=corrupt", NULL, NULL, &r) ==
	      FETCH_CHECKSUM);
	CHECK(r.bytes == 4096);
	/* and the handle still works after all that */
	CHECK(get(f, "/files/0", NULL, NULL, &r) == FETCH_OK);
	fetch_close(f);
}

/* A port that refuses: bound, never listening. */
static unsigned closed_port(int *fd)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t len = sizeof(a);

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	*fd = socket(AF_INET, SOCK_STREAM, 0);
	if (*fd < 0 || bind(*fd, (struct sockaddr *)&a, sizeof(a)) ||
	    getsockname(*fd, (struct sockaddr *)&a, &len))
		return 1;
	return ntohs(a.sin_port);
}

static int stop_now(void)
{
	return 1;
}

static void test_bad_urls(void)
{
	struct fetcher *f = open_fetcher(2, 1, NULL);
	struct fetch_result r;
	char url[128];
	int fd = -1;

	CHECK(f != NULL);
	if (!f)
		return;
	snprintf(url, sizeof(url), "http://127.0.0.1:%u/x", closed_port(&fd));
	CHECK(fetch_url(f, url, NULL, NULL, &r) == -1 &&
	      r.cause == FETCH_CONNECT);
	CHECK(r.http_status == 0 && strstr(r.msg, "libcurl: ") == r.msg);
	close(fd);
	CHECK(fetch_url(f, "http://exa mple/", NULL, NULL, &r) == -1 &&
	      r.cause == FETCH_URL);
	CHECK(fetch_url(f, "htp://nope", NULL, NULL, &r) == -1 &&
	      r.cause == FETCH_URL);
	CHECK(fetch_url(f, "file:///etc/passwd", NULL, NULL, &r) == -1 &&
	      r.cause == FETCH_URL);
	CHECK(fetch_url(f, "", NULL, NULL, &r) == -1 &&
	      r.cause == FETCH_URL);
	fetch_close(f);

	/* a cancelled download ends at once */
	f = open_fetcher(10, 1, stop_now);
	CHECK(f != NULL);
	if (!f)
		return;
	CHECK(get(f, "/files/0?fault=stall", NULL, NULL, &r) == FETCH_OTHER);
	CHECK(!strcmp(r.msg, "stopped"));
	fetch_close(f);
}

/* ---- through the engine ------------------------------------------------- */

struct par_ctx {
	uint64_t size, seed;
};

static int par_init(const void *ctx, void **local)
{
	(void)ctx;
	*local = open_fetcher(10, 1, NULL);
	return *local ? 0 : -1;
}

static void par_fini(const void *ctx, void *local)
{
	(void)ctx;
	fetch_close(local);
}

static int par_task(const void *ctx, void *local, size_t t, void *result)
{
	const struct par_ctx *c = ctx;
	struct fetch_want want = {
		.has_len = 1, .has_crc = 1, .len = c->size,
		.crc = httpd_file_crc(c->seed, t, c->size),
	};
	char path[64];

	snprintf(path, sizeof(path), "/files/%zu", t);
	worker_io_begin();
	get(local, path, NULL, &want, result);
	worker_io_end();
	return ((struct fetch_result *)result)->cause;
}

/* 256 workers, each one download held 200 ms: together, well under the
 * 51 s they would take in turn. */
static void test_parallel(enum model m, unsigned workers, size_t tasks)
{
	struct httpd_opts o;
	struct httpd *h;
	struct par_ctx c;
	struct results res;
	struct run_stats st;
	char err[256];
	struct run_spec spec = {
		.model = m, .workers = workers, .tasks = tasks,
		.fn = par_task, .ctx = &c, .local_init = par_init,
		.local_fini = par_fini,
	};

	httpd_defaults(&o);
	o.files = tasks;
	o.size = 2048;
	o.latency_s = 0.2;
	c.size = o.size;
	c.seed = o.seed;
	if (httpd_start(&o, &h, err, sizeof(err))) {
		fprintf(stderr, "httpd_start: %s\n", err);
		CHECK(0);
		return;
	}
	snprintf(base, sizeof(base), "http://127.0.0.1:%u", httpd_port(h));
	CHECK(results_create(&res, tasks, sizeof(struct fetch_result)) == 0);
	CHECK(workers_run(&spec, &res, &st) == 0);
	printf("%zu downloads of 200 ms, %s x%u: %.3f s\n", tasks,
	       model_name(m), workers, st.wall_s);
	CHECK(st.done == tasks && st.failed == 0);
	CHECK(st.wall_s >= 0.2 && st.wall_s < 3.0);
	results_destroy(&res);
	httpd_stop(h);
}

int main(void)
{
	struct httpd_opts o;
	struct httpd *h;
	char err[256];

	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	signal(SIGPIPE, SIG_IGN);
	CHECK(fetch_global_init(err, sizeof(err)) == 0);
	httpd_defaults(&o);
	o.files = 8;
	o.size = 12345;
	o.seed = 9;
	if (httpd_start(&o, &h, err, sizeof(err))) {
		fprintf(stderr, "httpd_start: %s\n", err);
		return 1;
	}
	snprintf(base, sizeof(base), "http://127.0.0.1:%u", httpd_port(h));
	test_good(&o);
	httpd_stop(h);
	o.size = 4096;
	if (httpd_start(&o, &h, err, sizeof(err))) {
		fprintf(stderr, "httpd_start: %s\n", err);
		return 1;
	}
	snprintf(base, sizeof(base), "http://127.0.0.1:%u", httpd_port(h));
	test_faults();
	test_bad_urls();
	httpd_stop(h);
	test_parallel(MODEL_THREAD, 256, 256);
	test_parallel(MODEL_GIL, 64, 64);
	test_parallel(MODEL_PROCESS, 32, 32);
	fetch_global_cleanup();
	snprintf(err, sizeof(err), "%s/task-2", dir);
	unlink(err);
	rmdir(dir);
	return CHECK_DONE();
}

/* test_httpd.c - the embedded server seen by the real curl client:
 * content and checksum, latency and rate honoured, 256 slow requests
 * served together, every injected fault seen as that fault, the server
 * in its own process started and stopped */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "net/fetch.h"
#include "net/httpd.h"
#include "measure/measure.h"
#include "face/parse.h"

extern char **environ;

static char dir[] = "/tmp/pvt-test-httpd.XXXXXX";

/* Runs a shell command line; returns its exit status (-1: not run). */
static int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int sh(const char *fmt, ...)
{
	char cmd[8192];
	va_list ap;
	int st;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	st = system(cmd);
	return st < 0 || !WIFEXITED(st) ? -1 : WEXITSTATUS(st);
}

/* Reads a whole file; returns its length, or -1. */
static long slurp(const char *path, unsigned char *buf, size_t cap)
{
	FILE *f = fopen(path, "rb");
	size_t n;

	if (!f)
		return -1;
	n = fread(buf, 1, cap, f);
	fclose(f);
	return (long)n;
}

/* The X-Pvt-Checksum in a curl -D header dump, or 0 with *found 0. */
static uint32_t header_crc(const char *path, int *found)
{
	char line[256];
	unsigned v = 0;
	FILE *f = fopen(path, "r");

	*found = 0;
	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "X-Pvt-Checksum: crc32:%x", &v) == 1)
			*found = 1;
	if (f)
		fclose(f);
	return v;
}

/* Stops h while a request of a client that never hangs up stalls: it
 * must stop, and the client must see its connection closed. */
static void stalled_stop(struct httpd *h, const char *base)
{
	char path[64];
	double t;

	snprintf(path, sizeof(path), "%s/stalled.out", dir);
	CHECK(sh("(curl -s -m 20 -o /dev/null '%s/files/0?fault=stall'; "
		 "echo $? > %s) & sleep 0.3", base, path) == 0);
	t = measure_now();
	httpd_stop(h);
	CHECK(measure_now() - t < 2);
	CHECK(sh("for i in $(seq 50); do [ -s %s ] && exit 0; sleep 0.1; "
		 "done; exit 1", path) == 0);
}

static struct httpd *serve(struct httpd_opts *o, char *base, size_t len)
{
	struct httpd *h = NULL;
	char err[256];

	if (httpd_start(o, &h, err, sizeof(err))) {
		fprintf(stderr, "httpd_start: %s\n", err);
		return NULL;
	}
	snprintf(base, len, "http://127.0.0.1:%u", httpd_port(h));
	return h;
}

static void test_content(void)
{
	static const char nine[] = "123456789";
	unsigned char whole[4096], part[4096];

	/* the standard CRC-32 check value, as gzip and zlib.crc32 */
	CHECK(fetch_crc32(0, nine, 9) == 0xcbf43926u);
	CHECK(fetch_crc32(fetch_crc32(0, nine, 4), nine + 4, 5) ==
	      0xcbf43926u);
	httpd_content(7, 3, 0, whole, sizeof(whole));
	for (size_t pos = 0; pos < 100; pos += 13) {
		httpd_content(7, 3, pos, part, 333);
		CHECK(!memcmp(part, whole + pos, 333));
	}
	httpd_content(8, 3, 0, part, sizeof(part));
	CHECK(memcmp(part, whole, sizeof(part)));	/* another seed */
	httpd_content(7, 4, 0, part, sizeof(part));
	CHECK(memcmp(part, whole, sizeof(part)));	/* another file */
	CHECK(httpd_file_crc(7, 3, sizeof(whole)) ==
	      fetch_crc32(0, whole, sizeof(whole)));
}

static void test_fault_choice(void)
{
	struct httpd_opts o;
	char err[256];
	int n = 0, kinds[HTTPD_FAULTS] = { 0 };

	httpd_defaults(&o);
	for (uint64_t i = 0; i < 100; i++)
		CHECK(httpd_file_fault(&o, i) == -1);
	o.error_rate = 0.5;
	o.faults = (1u << HTTPD_FAULTS) - 1;
	for (uint64_t i = 0; i < 10; i++) {
		int f = httpd_file_fault(&o, i);

		CHECK((f >= 0) == (i % 2 == 1));
		if (f >= 0)
			CHECK(f == (int)(i / 2));	/* the kinds in turn */
	}
	o.error_rate = 0.25;
	o.faults = HTTPD_FAULTS_DEFAULT;
	for (uint64_t i = 0; i < 64; i++) {
		int f = httpd_file_fault(&o, i);

		n += f >= 0;
		if (f >= 0)
			kinds[f]++;
	}
	CHECK(n == 16);
	CHECK(kinds[HTTPD_FAULT_500] == 6 && kinds[HTTPD_FAULT_DROP] == 5 &&
	      kinds[HTTPD_FAULT_STALL] == 5);
	o.error_rate = 0.29;
	for (uint64_t i = n = 0; i < 100; i++)
		n += httpd_file_fault(&o, i) >= 0;
	CHECK(n == 29);
	o.error_rate = 1;
	for (uint64_t i = 0; i < 20; i++)
		CHECK(httpd_file_fault(&o, i) >= 0);

	/* --error-kinds names the faults in the order of the enum */
	for (unsigned f = 0; f < HTTPD_FAULTS; f++) {
		unsigned idx[HTTPD_FAULTS];
		size_t got;

		CHECK(parse_choices(httpd_fault_name((int)f),
				    HTTPD_FAULT_CHOICES, "fault", idx, &got,
				    err, sizeof(err)) == 0 &&
		      got == 1 && idx[0] == f);
	}
}

/* Which page, file, fault and status a request gets, without a socket. */
static void test_route(void)
{
	static const char *const not_files[] = {
		"/files/", "/files/4", "/files/-1", "/files/+1", "/files/1abc",
		"/files/ 1", "/files/1 ", "/files/0x1", "/files/1e0",
		"/files/1/", "/files//1", "/files/../../etc/passwd",
		"/files/1/../../etc/passwd", "/files/99999999999999999999",
		"/files/18446744073709551615", "/files/18446744073709551616",
	};
	static const char *const unknown[] = {
		"", "/etc/passwd", "/../../etc/passwd", "//etc/passwd",
		"/files", "/FILES/1", "/index.html", "/checksums/",
		"/Checksums", "files/1", "/./files/1", "http://x/files/1",
	};
	static const char *const methods[] = {
		"POST", "PUT", "DELETE", "OPTIONS", "TRACE", "CONNECT",
		"PATCH", "get", "GET ", "",
	};
	struct httpd_opts o;
	struct httpd_route r;

	httpd_defaults(&o);
	o.files = 4;
	httpd_route(&o, "GET", "/", NULL, false, &r);
	CHECK(r.page == HTTPD_PAGE_INDEX && r.status == 200);
	httpd_route(&o, "HEAD", "/checksums", NULL, false, &r);
	CHECK(r.page == HTTPD_PAGE_CHECKSUMS && r.status == 200);
	httpd_route(&o, "GET", "/files/3", NULL, false, &r);
	CHECK(r.page == HTTPD_PAGE_FILE && r.file == 3 && r.fault == -1 &&
	      r.status == 200);
	httpd_route(&o, "GET", "/files/0003", NULL, false, &r);
	CHECK(r.page == HTTPD_PAGE_FILE && r.file == 3);
	for (size_t i = 0; i < sizeof(not_files) / sizeof(*not_files); i++) {
		httpd_route(&o, "GET", not_files[i], NULL, false, &r);
		CHECK(r.page == HTTPD_PAGE_NO_FILE && r.status == 404);
	}
	for (size_t i = 0; i < sizeof(unknown) / sizeof(*unknown); i++) {
		httpd_route(&o, "GET", unknown[i], NULL, false, &r);
		CHECK(r.page == HTTPD_PAGE_NOT_FOUND && r.status == 404);
	}
	for (size_t i = 0; i < sizeof(methods) / sizeof(*methods); i++) {
		httpd_route(&o, methods[i], "/files/1", NULL, false, &r);
		CHECK(r.page == HTTPD_PAGE_BAD_METHOD && r.status == 405);
	}
	/* a body: refused before anything else, but the method */
	httpd_route(&o, "GET", "/files/1", NULL, true, &r);
	CHECK(r.page == HTTPD_PAGE_BAD_BODY && r.status == 400);
	httpd_route(&o, "POST", "/files/1", NULL, true, &r);
	CHECK(r.page == HTTPD_PAGE_BAD_METHOD && r.status == 405);

	/* forced faults, a bad one refused even for a missing file */
	httpd_route(&o, "GET", "/files/2", "500", false, &r);
	CHECK(r.page == HTTPD_PAGE_FILE && r.fault == HTTPD_FAULT_500 &&
	      r.status == 500);
	httpd_route(&o, "GET", "/files/2", "stall", false, &r);
	CHECK(r.fault == HTTPD_FAULT_STALL && r.status == 0);
	httpd_route(&o, "GET", "/files/2", "corrupt", false, &r);
	CHECK(r.fault == HTTPD_FAULT_CORRUPT && r.status == 200);
	httpd_route(&o, "GET", "/files/9", "../../etc/passwd", false, &r);
	CHECK(r.page == HTTPD_PAGE_BAD_FAULT && r.status == 400);
	httpd_route(&o, "GET", "/files/1", "", false, &r);
	CHECK(r.page == HTTPD_PAGE_BAD_FAULT);
	httpd_route(&o, "GET", "/", "500", false, &r);
	CHECK(r.page == HTTPD_PAGE_INDEX);	/* only files take faults */

	/* by the error rate: the same fault as httpd_file_fault */
	o.error_rate = 0.5;
	for (uint64_t i = 0; i < o.files; i++) {
		char path[32];

		snprintf(path, sizeof(path), "/files/%" PRIu64, i);
		httpd_route(&o, "GET", path, NULL, false, &r);
		CHECK(r.page == HTTPD_PAGE_FILE && r.file == i &&
		      r.fault == httpd_file_fault(&o, i));
	}
}

/* A file and its checksum, fetched with curl. */
static void test_curl_file(void)
{
	struct httpd_opts o;
	unsigned char got[70000], want[70000];
	char base[64], path[512], hdr[512];
	struct httpd *h;
	int found;
	long n;

	httpd_defaults(&o);
	o.files = 5;
	o.size = 65536 + 7;
	o.seed = 42;
	h = serve(&o, base, sizeof(base));
	CHECK(h != NULL);
	if (!h)
		return;
	snprintf(path, sizeof(path), "%s/f3", dir);
	snprintf(hdr, sizeof(hdr), "%s/h3", dir);
	CHECK(sh("curl -sf -D %s -o %s %s/files/3", hdr, path, base) == 0);
	n = slurp(path, got, sizeof(got));
	CHECK(n == (long)o.size);
	httpd_content(42, 3, 0, want, (size_t)o.size);
	CHECK(n == (long)o.size && !memcmp(got, want, (size_t)o.size));
	CHECK(header_crc(hdr, &found) == httpd_file_crc(42, 3, o.size));
	CHECK(found);

	/* /checksums says the same, and the index page lists the files */
	snprintf(path, sizeof(path), "%s/sums", dir);
	CHECK(sh("curl -sf -o %s %s/checksums", path, base) == 0);
	n = slurp(path, got, sizeof(got) - 1);
	got[n > 0 ? n : 0] = 0;
	snprintf(hdr, sizeof(hdr), "crc32:%08x 65543 files/3\n",
		 httpd_file_crc(42, 3, o.size));
	CHECK(strstr((char *)got, hdr) != NULL);
	CHECK(sh("curl -sf %s/ | grep -q 'href=\"/files/4\"'", base) == 0);
	CHECK(sh("curl -s -o /dev/null -w '%%{http_code}' %s/files/5 | "
		 "grep -qx 404", base) == 0);
	CHECK(sh("curl -s -o /dev/null -w '%%{http_code}' %s/nope | "
		 "grep -qx 404", base) == 0);
	CHECK(sh("curl -s -o /dev/null -w '%%{http_code}' -X POST -d x "
		 "%s/files/1 | grep -qx 405", base) == 0);
	CHECK(sh("curl -s -o /dev/null -w '%%{http_code}' '%s/files/1?fault="
		 "teapot' | grep -qx 400", base) == 0);
	httpd_stop(h);
}

/* Latency and rate are honoured, per response. */
static void test_latency_rate(void)
{
	struct httpd_opts o;
	struct httpd *h;
	char base[64];
	double t;

	httpd_defaults(&o);
	o.files = 2;
	o.size = 1000;
	o.latency_s = 0.15;
	h = serve(&o, base, sizeof(base));
	CHECK(h != NULL);
	if (!h)
		return;
	t = measure_now();
	CHECK(sh("curl -sf -o /dev/null %s/files/0", base) == 0);
	t = measure_now() - t;
	CHECK(t >= 0.15 && t < 1.0);
	/* the index and the checksums are not held back */
	t = measure_now();
	CHECK(sh("curl -sf -o /dev/null %s/checksums", base) == 0);
	CHECK(measure_now() - t < 0.15);
	httpd_stop(h);

	o.latency_s = 0;
	o.size = 64 << 10;
	o.rate = 256 << 10;	/* a quarter of a second per file */
	h = serve(&o, base, sizeof(base));
	CHECK(h != NULL);
	if (!h)
		return;
	t = measure_now();
	CHECK(sh("curl -sf -o /dev/null %s/files/1", base) == 0);
	t = measure_now() - t;
	CHECK(t >= 0.24 && t < 1.0);
	httpd_stop(h);
}

/* 256 requests held 200 ms each, in parallel: together, not in turn
 * (which would take 51 s). */
static void test_parallel(void)
{
	struct httpd_opts o;
	struct httpd *h;
	char base[64];
	double t;

	httpd_defaults(&o);
	o.files = 256;
	o.size = 1024;
	o.latency_s = 0.2;
	h = serve(&o, base, sizeof(base));
	CHECK(h != NULL);
	if (!h)
		return;
	t = measure_now();
	CHECK(sh("cd %s && curl -sf --no-progress-meter -Z --parallel-max 256 "
		 "--parallel-immediate -o 'p#1' '%s/files/[0-255]'", dir,
		 base) == 0);
	t = measure_now() - t;
	printf("256 requests of 200 ms with curl -Z: %.3f s\n", t);
	CHECK(t >= 0.2 && t < 3.0);
	CHECK(sh("test $(cat %s/p* | wc -c) -eq %d", dir, 256 * 1024) == 0);
	httpd_stop(h);
}

/* Every fault, forced with ?fault= and by the error rate, is seen by
 * curl as that fault. */
static void test_faults(void)
{
	unsigned char got[8192];
	struct httpd_opts o;
	struct httpd *h;
	char base[64], path[512], hdr[512];
	int found;
	long n;

	httpd_defaults(&o);
	o.files = 4;
	o.size = 4096;
	h = serve(&o, base, sizeof(base));
	CHECK(h != NULL);
	if (!h)
		return;
	CHECK(sh("curl -s -o /dev/null -w '%%{http_code}' '%s/files/0?fault="
		 "500' | grep -qx 500", base) == 0);
	CHECK(sh("curl -s -o /dev/null '%s/files/0?fault=drop'", base) == 52);
	CHECK(sh("curl -s -m 0.4 -o /dev/null '%s/files/0?fault=stall'",
		 base) == 28);
	/* no latency: a pooled server, where a stall suspends its
	 * connection; a client that hung up frees it, and the server still
	 * answers beside stalled ones, and stops with one still stalled */
	CHECK(sh("for i in 1 2 3 4 5 6 7 8; do curl -s -m 2 -o /dev/null "
		 "'%s/files/0?fault=stall' & done; sleep 0.3; curl -sf -m 1 "
		 "-o /dev/null '%s/files/1'; rc=$?; wait; exit $rc", base,
		 base) == 0);
	CHECK(sh("curl -s -m 0.3 -o /dev/null '%s/files/0?fault=stall'",
		 base) == 28);
	CHECK(sh("curl -s -o /dev/null '%s/files/0?fault=truncate'", base) ==
	      18);
	snprintf(path, sizeof(path), "%s/c0", dir);
	snprintf(hdr, sizeof(hdr), "%s/hc0", dir);
	CHECK(sh("curl -sf -D %s -o %s '%s/files/0?fault=corrupt'", hdr, path,
		 base) == 0);
	n = slurp(path, got, sizeof(got));
	CHECK(n == 4096);
	CHECK(header_crc(hdr, &found) != fetch_crc32(0, got, n > 0 ? n : 0));
	CHECK(found);
	stalled_stop(h, base);

	/* by the error rate: every file fails, the kinds in turn */
	o.error_rate = 1;
	o.faults = (1u << HTTPD_FAULTS) - 1;
	h = serve(&o, base, sizeof(base));
	CHECK(h != NULL);
	if (!h)
		return;
	CHECK(sh("curl -s -o /dev/null -w '%%{http_code}' %s/files/0 | "
		 "grep -qx 500", base) == 0);
	CHECK(sh("curl -s -o /dev/null %s/files/1", base) == 52);
	CHECK(sh("curl -s -m 0.4 -o /dev/null %s/files/2", base) == 28);
	CHECK(sh("curl -s -o /dev/null %s/files/3", base) == 18);
	httpd_stop(h);
}

/* Stopping does not wait for held responses, and the client sees the
 * connection end. */
static void test_stop_while_held(void)
{
	char *argv[] = { "curl", "-s", "-o", "/dev/null", NULL, NULL };
	struct httpd_opts o;
	struct httpd *h;
	char base[64], url[128];
	pid_t pid;
	int st = 0;
	double t;

	httpd_defaults(&o);
	o.latency_s = 30;
	h = serve(&o, base, sizeof(base));
	CHECK(h != NULL);
	if (!h)
		return;
	snprintf(url, sizeof(url), "%s/files/0", base);
	argv[4] = url;
	CHECK(posix_spawnp(&pid, "curl", NULL, NULL, argv, environ) == 0);
	usleep(300000);
	t = measure_now();
	httpd_stop(h);
	CHECK(measure_now() - t < 2.0);
	CHECK(waitpid(pid, &st, 0) == pid);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) != 0);
}

/* The server in a process of its own: it listens, answers, and is gone
 * after httpd_reap. */
static void test_spawn(void)
{
	struct httpd_proc p;
	struct httpd_opts o;
	char err[256];
	pid_t pid;

	httpd_defaults(&o);
	o.files = 2;
	o.size = 100;
	CHECK(httpd_spawn(&o, &p, err, sizeof(err)) == 0);
	CHECK(p.pid > 0 && p.port > 0);
	CHECK(sh("curl -sf -o /dev/null http://127.0.0.1:%u/files/1",
		 p.port) == 0);
	pid = p.pid;
	CHECK(httpd_reap(&p, err, sizeof(err)) == 0);
	CHECK(p.pid == -1);
	CHECK(kill(pid, 0) == -1 && errno == ESRCH);
	CHECK(httpd_reap(&p, err, sizeof(err)) == 0);	/* nothing left */

	/* a server that cannot listen: an error, and no child left */
	o.bind = "not-an-address";
	CHECK(httpd_spawn(&o, &p, err, sizeof(err)) == -1);
	CHECK(strstr(err, "not-an-address") != NULL);
	CHECK(p.pid == -1);
	CHECK(waitpid(-1, NULL, WNOHANG) == -1 && errno == ECHILD);
}

int main(void)
{
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	if (sh("curl --version > /dev/null 2>&1")) {
		fprintf(stderr, "the curl command is missing (scripts/setup "
			"installs it)\n");
		return 1;
	}
	signal(SIGPIPE, SIG_IGN);
	test_content();
	test_fault_choice();
	test_route();
	test_curl_file();
	test_latency_rate();
	test_parallel();
	test_faults();
	test_stop_while_held();
	test_spawn();
	sh("rm -rf %s", dir);
	return CHECK_DONE();
}

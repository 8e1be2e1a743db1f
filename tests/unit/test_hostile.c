/* test_hostile.c - the embedded server against hostile clients
 *
 * Malformed requests, oversized headers, paths that try to climb out of
 * /files/, unknown paths, methods and bodies it does not serve, clients
 * that trickle a byte a second or send nothing at all, and more
 * connections than it serves. Each is answered with its 4xx (505 for an
 * unknown HTTP version) or cut off; no answer ever holds anything of
 * /etc/passwd; and a normal download, length and CRC-32 checked, succeeds
 * during and after every attack. The server runs in a process of its
 * own, as for the download scenario, with a 2 s request timeout, and
 * must stop cleanly at the end.
 *
 *   test_hostile         starts its own servers
 *   test_hostile PORT    attacks `pvt serve --files 8 --size 5000 --seed 3
 *                        --request-timeout 2s` on 127.0.0.1:PORT instead
 *                        (the connection limit is then not tried)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "net/fetch.h"
#include "net/httpd.h"
#include "measure/measure.h"

#define FILES 8
#define SIZE 5000
#define SEED 3
#define REQUEST_TIMEOUT_S 2.0
#define RESP_MAX 16384
#define HOST "Host: 127.0.0.1\r\n"
#define CLOSE "Connection: close\r\n"

/* What one hostile client sent and got. */
struct probe {
	const char *kind;	/* what it tries, for the counts */
	char *req;		/* bytes to send, malloc'ed */
	size_t len;
	bool half_close;	/* shutdown(SHUT_WR) once sent: no more */
	int want;		/* the status it must get; REFUSED: any 4xx,
				 * 505, or none (cut off) */
	int fd;
	bool closed;		/* the server closed it before the deadline */
	char resp[RESP_MAX + 1];
	size_t n;
};

#define REFUSED -1

static unsigned port;
static pid_t server = -1;	/* -1: not ours */
static char passwd_line[256];	/* /etc/passwd's first line, or "" */
static int normals;		/* normal downloads done */
static struct {
	const char *kind;
	int n;
} tried[16];			/* hostile clients, by kind */

static void count(const char *kind, int n)
{
	size_t i = 0;

	while (tried[i].kind && strcmp(tried[i].kind, kind))
		i++;
	tried[i].kind = kind;
	tried[i].n += n;
}

static int dial(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_port = htons((uint16_t)port),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	struct timeval tv = { .tv_sec = 5 };
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -1;
	/* blocking calls give up: a hung server fails, never hangs */
	if (setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)) ||
	    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) ||
	    connect(fd, (struct sockaddr *)&a, sizeof(a))) {
		close(fd);
		return -1;
	}
	return fd;
}

static bool send_all(int fd, const char *b, size_t n)
{
	while (n) {
		ssize_t w = send(fd, b, n, MSG_NOSIGNAL);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return false;
		b += w;
		n -= (size_t)w;
	}
	return true;
}

/* The first final (not 1xx) status in a response, 0 when none. */
static int status_of(const char *r)
{
	int st = 0;

	while (r && sscanf(r, "HTTP/1.%*1[01] %3d", &st) == 1 && st < 200) {
		r = strstr(r, "\r\n\r\n");
		r = r ? r + 4 : NULL;
		st = 0;
	}
	return st;
}

/* Whether any byte of an answer comes from outside the server's own
 * content. */
static bool leaks(const struct probe *p)
{
	return memmem(p->resp, p->n, "root:", 5) ||
	       (*passwd_line && memmem(p->resp, p->n, passwd_line,
				       strlen(passwd_line)));
}

/* A normal download, with libcurl, checked against the seed: the
 * server still serves the others. */
static bool normal(void)
{
	static unsigned next;
	struct fetch_opts fo = { .connect_timeout_s = 2, .timeout_s = 5 };
	struct fetch_result res;
	struct fetch_want want = { .has_len = 1, .has_crc = 1, .len = SIZE };
	struct fetcher *f;
	char url[64], err[256];
	unsigned file = next++ % FILES;

	want.crc = httpd_file_crc(SEED, file, SIZE);
	snprintf(url, sizeof(url), "http://127.0.0.1:%u/files/%u", port,
		 file);
	if (fetch_open(&f, &fo, err, sizeof(err))) {
		fprintf(stderr, "fetch_open: %s\n", err);
		return false;
	}
	fetch_url(f, url, NULL, &want, &res);
	fetch_close(f);
	normals++;
	if (res.cause != FETCH_OK)
		fprintf(stderr, "normal download of files/%u: %s: %s\n", file,
			fetch_cause_name(res.cause), res.msg);
	return res.cause == FETCH_OK;
}

static void add(struct probe *p, size_t *n, const char *kind, int want,
		bool half_close, const char *req, size_t len)
{
	struct probe *q = &p[(*n)++];

	memset(q, 0, sizeof(*q));
	q->kind = kind;
	q->want = want;
	q->half_close = half_close;
	q->len = len ? len : strlen(req);
	q->req = malloc(q->len);
	memcpy(q->req, req, q->len);
	q->fd = -1;
}

/* A request "METHOD PATH HTTP/1.1" with a Host and Connection: close. */
static void add_get(struct probe *p, size_t *n, const char *kind, int want,
		    const char *method, const char *path)
{
	char req[1024];

	snprintf(req, sizeof(req), "%s %s HTTP/1.1\r\n" HOST CLOSE "\r\n",
		 method, path);
	add(p, n, kind, want, false, req, 0);
}

/* Sends every probe at once, on a connection each, then reads every
 * answer until the server closes each connection or `wait_s` passes;
 * a normal download runs meanwhile. Then checks each answer. */
static void run(struct probe *p, size_t n, double wait_s)
{
	double deadline;
	size_t open = 0;

	for (size_t i = 0; i < n; i++) {
		p[i].fd = dial();
		CHECK(p[i].fd >= 0);
		if (p[i].fd < 0)
			continue;
		/* an early answer may close before all is sent: fine */
		send_all(p[i].fd, p[i].req, p[i].len);
		if (p[i].half_close)
			shutdown(p[i].fd, SHUT_WR);
		fcntl(p[i].fd, F_SETFL, O_NONBLOCK);
		open++;
	}
	CHECK(normal());	/* during */
	deadline = measure_now() + wait_s;
	while (open && measure_now() < deadline) {
		struct pollfd pf[n];

		for (size_t i = 0; i < n; i++)
			pf[i] = (struct pollfd){
				.fd = p[i].fd >= 0 && !p[i].closed ? p[i].fd :
				      -1, .events = POLLIN };
		if (poll(pf, n, 100) <= 0)
			continue;
		for (size_t i = 0; i < n; i++) {
			char junk[65536], *to = junk;
			size_t room = sizeof(junk);
			ssize_t r;

			if (!(pf[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			if (p[i].n < RESP_MAX) {
				to = p[i].resp + p[i].n;
				room = RESP_MAX - p[i].n;
			}
			r = recv(p[i].fd, to, room, 0);
			if (r > 0 && to != junk)
				p[i].n += (size_t)r;
			if (r == 0 || (r < 0 && errno != EAGAIN &&
				       errno != EINTR)) {
				p[i].closed = true;
				open--;
			}
		}
	}
	for (size_t i = 0; i < n; i++) {
		int st;

		p[i].resp[p[i].n] = 0;
		st = status_of(p[i].resp);
		count(p[i].kind, 1);
		if (!p[i].closed) {
			fprintf(stderr, "%s: probe %zu (%.40s...) still open "
				"after %.1f s\n", p[i].kind, i, p[i].req,
				wait_s);
			CHECK(p[i].closed);
		}
		if (p[i].want == REFUSED ?
		    !((st >= 400 && st < 500) || st == 505 || st == 0) :
		    st != p[i].want) {
			fprintf(stderr, "%s: probe %zu (%.60s...): status %d, "
				"want %d\n", p[i].kind, i, p[i].req, st,
				p[i].want);
			CHECK(!"the right status");
		}
		if (st == 405)
			CHECK(strstr(p[i].resp, "\r\nAllow: GET, HEAD\r\n"));
		CHECK(!leaks(&p[i]));
		if (p[i].fd >= 0)
			close(p[i].fd);
		free(p[i].req);
	}
	CHECK(normal());	/* after */
}

static void test_malformed(void)
{
	static const char tls_hello[] = "\x16\x03\x01\x00\xa5\x01\x00\x00\xa1"
					"\x03\x03";
	static const char nuls[] = "\0\0\0\0\r\n\r\n";
	struct probe p[32];
	size_t n = 0;
	char junk[64];

	for (size_t i = 0; i < sizeof(junk); i++)
		junk[i] = (char)(i * 37 + 11);
	add(p, &n, "malformed", REFUSED, false, "GARBAGE\r\n\r\n", 0);
	add(p, &n, "malformed", REFUSED, false, "GET\r\n\r\n", 0);
	add(p, &n, "malformed", REFUSED, false, "GET /\r\n\r\n", 0);
	add(p, &n, "malformed", 505, false, "GET / HTTP/9.9\r\n" HOST "\r\n",
	    0);
	add(p, &n, "malformed", REFUSED, false, "GET / FOO/1.1\r\n" HOST
	    "\r\n", 0);
	add(p, &n, "malformed", REFUSED, false, "GET / HTTP/1.1 \r\n" HOST
	    "\r\n", 0);
	add(p, &n, "malformed", REFUSED, false, "GET / HTTP/1.1\r\n" HOST
	    "NoColon\r\n\r\n", 0);
	add(p, &n, "malformed", REFUSED, false, "GET / HTTP/1.1\r\n" HOST
	    "Content-Length: -1\r\n\r\n", 0);
	add(p, &n, "malformed", REFUSED, false, "GET / HTTP/1.1\r\n" HOST
	    "Content-Length: 99999999999999999999999\r\n\r\n", 0);
	/* two lengths, a smuggling attempt: a GET has no body here */
	add(p, &n, "malformed", 400, false, "GET / HTTP/1.1\r\n" HOST
	    "Content-Length: 5\r\nContent-Length: 6\r\n\r\nhello", 0);
	add(p, &n, "malformed", 400, false, "GET / HTTP/1.1\r\n" HOST
	    "Transfer-Encoding: chunked\r\n\r\nzz\r\n\r\n", 0);
	add(p, &n, "malformed", REFUSED, false, "GET /files/1 HTTP/1.1\r\n"
	    HOST "Transfer-Encoding: gzip\r\n\r\n", 0);
	add(p, &n, "malformed", REFUSED, true, "GET / HTTP/1.1\rHost: x\r\r",
	    0);
	add(p, &n, "malformed", REFUSED, true, tls_hello,
	    sizeof(tls_hello) - 1);
	/* these never end a request: cut off by the request timeout */
	add(p, &n, "malformed", REFUSED, false, junk, sizeof(junk));
	add(p, &n, "malformed", REFUSED, false, nuls, sizeof(nuls) - 1);
	add(p, &n, "malformed", REFUSED, false, "\r\n\r\n\r\n", 0);
	add(p, &n, "malformed", REFUSED, false, "GET / HTTP/1.1\r\n" HOST, 0);
	run(p, n, REQUEST_TIMEOUT_S + 2);
}

static void test_oversized(void)
{
	size_t big = 64 << 10, n = 0;
	struct probe p[4];
	char *req = malloc(1 << 20), *s;

	/* a 64 KiB header */
	s = req + sprintf(req, "GET /files/1 HTTP/1.1\r\n" HOST "X-Big: ");
	memset(s, 'A', big);
	strcpy(s + big, "\r\n\r\n");
	add(p, &n, "oversized header", REFUSED, false, req, 0);
	/* a 64 KiB URL */
	s = req + sprintf(req, "GET /files/");
	memset(s, '1', big);
	strcpy(s + big, " HTTP/1.1\r\n" HOST "\r\n");
	add(p, &n, "oversized header", REFUSED, false, req, 0);
	/* 8000 small headers, 80 KiB */
	s = req + sprintf(req, "GET /files/1 HTTP/1.1\r\n" HOST);
	for (int i = 0; i < 8000; i++)
		s += sprintf(s, "X-%04d: v\r\n", i);
	strcpy(s, "\r\n");
	add(p, &n, "oversized header", REFUSED, false, req, 0);
	/* 1 MiB without a line end */
	memset(req, 'G', 1 << 20);
	add(p, &n, "oversized header", REFUSED, false, req, 1 << 20);
	free(req);
	run(p, n, REQUEST_TIMEOUT_S + 2);
}

static void test_traversal(void)
{
	static const char *const paths[] = {
		"/../../etc/passwd", "/files/../../etc/passwd",
		"/files/../../../../../../../../etc/passwd",
		"/%2e%2e/%2e%2e/etc/passwd",
		"/files/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
		"/files/..%2f..%2fetc%2fpasswd", "/files/%2e%2e/%2e%2e/etc/passwd",
		"/files/..%5c..%5cetc%5cpasswd", "/files/....//....//etc/passwd",
		"/files/%252e%252e%252fetc%252fpasswd",
		"/files/%c0%ae%c0%ae/etc/passwd", "/files/%2fetc%2fpasswd",
		"/files/-1", "/files/99999999999999999999",
		"/files/18446744073709551615", "/files/18446744073709551616",
		"/files/8", "/files/1abc", "/files/1%00", "/files/1%00/../x",
		"/files/0x1", "/files/1e3", "/files/+1", "/files//1",
		"/files/1/", "/files/1/..", "/files/%", "/files/%zz",
		"//etc/passwd", "/etc/passwd", "/checksums/../../etc/passwd",
		"http://127.0.0.1/etc/passwd", "file:///etc/passwd",
		"/..\\..\\etc\\passwd", "*",
	};
	struct probe p[sizeof(paths) / sizeof(*paths) + 2];
	size_t n = 0;

	for (size_t i = 0; i < sizeof(paths) / sizeof(*paths); i++)
		add_get(p, &n, "path traversal", 404, "GET", paths[i]);
	add_get(p, &n, "path traversal", 400, "GET",
		"/files/1?fault=../../etc/passwd");
	add_get(p, &n, "path traversal", 400, "GET", "/files/1?fault=500%00");
	run(p, n, 2);
}

static void test_unknown(void)
{
	static const char *const paths[] = {
		"/index.html", "/files", "/files/", "/checksums.txt",
		"/favicon.ico", "/robots.txt", "/FILES/1", "/Checksums",
		"/files/1.bin", "/admin",
	};
	struct probe p[sizeof(paths) / sizeof(*paths)];
	size_t n = 0;

	for (size_t i = 0; i < sizeof(paths) / sizeof(*paths); i++)
		add_get(p, &n, "unknown path", 404, "GET", paths[i]);
	run(p, n, 2);
}

static void test_methods(void)
{
	static const char *const methods[] = {
		"POST", "PUT", "DELETE", "OPTIONS", "TRACE", "PATCH",
		"PROPFIND", "BREW", "get",
	};
	struct probe p[sizeof(methods) / sizeof(*methods) + 6];
	size_t n = 0;

	for (size_t i = 0; i < sizeof(methods) / sizeof(*methods); i++)
		add_get(p, &n, "method", 405, methods[i], "/files/1");
	add(p, &n, "method", 405, false, "CONNECT 127.0.0.1:22 HTTP/1.1\r\n"
	    HOST "\r\n", 0);
	/* bodies that never come in full: refused on the headers, at once */
	add(p, &n, "body", 405, false, "POST /files/1 HTTP/1.1\r\n" HOST
	    "Content-Length: 100000000\r\n\r\nabc", 0);
	add(p, &n, "body", 405, false, "PUT /files/1 HTTP/1.1\r\n" HOST
	    "Expect: 100-continue\r\nContent-Length: 1073741824\r\n\r\n", 0);
	add(p, &n, "body", 405, false, "POST /files/1 HTTP/1.1\r\n" HOST
	    "Transfer-Encoding: chunked\r\n\r\n10\r\nabc", 0);
	add(p, &n, "body", 400, false, "GET /files/1 HTTP/1.1\r\n" HOST
	    "Content-Length: 100000000\r\n\r\nabc", 0);
	add(p, &n, "body", 400, false, "HEAD /files/1 HTTP/1.1\r\n" HOST
	    "Transfer-Encoding: chunked\r\n\r\n5\r\nab", 0);
	run(p, n, 1.5);
}

/* The threads of the server process, or -1. */
static int server_threads(void)
{
	char path[64], line[256];
	int n = -1;
	FILE *f;

	if (server < 0)
		return -1;
	snprintf(path, sizeof(path), "/proc/%d/status", (int)server);
	f = fopen(path, "r");
	while (f && fgets(line, sizeof(line), f))
		sscanf(line, "Threads: %d", &n);
	if (f)
		fclose(f);
	return n;
}

/* Waits until the server has closed every fd (fds[i] -1: none), or
 * `wait_s` passes from t0 (measure_now()); each second meanwhile, sends
 * each one byte when `trickle`, and runs a normal download when
 * `others`. Returns how many it closed; *last: when the last one went,
 * in seconds from t0. */
static int wait_cut(int *fds, int n, double t0, double wait_s, bool trickle,
		    bool others, double *last)
{
	double next = measure_now();
	int cut = 0, open = 0;

	for (int i = 0; i < n; i++)
		open += fds[i] >= 0;
	*last = 0;
	while (cut < open && measure_now() - t0 < wait_s) {
		double now = measure_now();

		if (now >= next) {
			for (int i = 0; trickle && i < n; i++)
				if (fds[i] >= 0)
					send(fds[i], "X", 1, MSG_NOSIGNAL);
			if (others)
				CHECK(normal());
			next += 1;
		}
		for (int i = 0; i < n; i++) {
			struct pollfd pf = { .fd = fds[i], .events = POLLIN };
			char b[4096];

			if (fds[i] < 0 || poll(&pf, 1, 0) <= 0)
				continue;
			if (recv(fds[i], b, sizeof(b), MSG_DONTWAIT) > 0)
				continue;	/* an answer: read on */
			close(fds[i]);
			fds[i] = -1;
			cut++;
			*last = measure_now() - t0;
		}
		usleep(20000);
	}
	for (int i = 0; i < n; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	return cut;
}

static void test_slow(void)
{
	static const char req[] = "GET /files/3 HTTP/1.1\r\n" HOST CLOSE
				  "\r\n";
	static const char slow[] = "GET /files/1 HTTP/1.1\r\n" HOST "X-Slow: ";
	unsigned char want[SIZE];
	struct probe p;
	int fds[16], cut;
	double last, t0;
	char *body;

	/* a slow but honest client, whole within the timeout: served */
	memset(&p, 0, sizeof(p));
	p.fd = dial();
	CHECK(p.fd >= 0);
	for (int i = 0; i < 3; i++) {
		send_all(p.fd, req + i, 1);
		CHECK(normal());
		usleep(400000);
	}
	send_all(p.fd, req + 3, sizeof(req) - 4);
	for (ssize_t r; p.n < RESP_MAX &&
	     (r = recv(p.fd, p.resp + p.n, RESP_MAX - p.n, 0)) > 0;)
		p.n += (size_t)r;
	close(p.fd);
	p.resp[p.n] = 0;
	CHECK(status_of(p.resp) == 200);
	body = strstr(p.resp, "\r\n\r\n");
	httpd_content(SEED, 3, 0, want, SIZE);
	CHECK(body && p.n - (size_t)(body + 4 - p.resp) == SIZE &&
	      !memcmp(body + 4, want, SIZE));
	count("slow but whole", 1);

	/* 16 slowloris clients: headers that never end, a byte a second;
	 * each is cut off by the request timeout, not kept for ever */
	t0 = measure_now();
	for (int i = 0; i < 16; i++) {
		fds[i] = dial();
		CHECK(fds[i] >= 0);
		if (fds[i] >= 0)
			CHECK(send_all(fds[i], slow, sizeof(slow) - 1));
	}
	cut = wait_cut(fds, 16, t0, REQUEST_TIMEOUT_S + 3, true, true, &last);
	printf("slowloris: %d of 16 cut off, the last after %.2f s\n", cut,
	       last);
	CHECK(cut == 16);
	CHECK(last < REQUEST_TIMEOUT_S + 1.5);
	CHECK(normal());
	count("slowloris", 16);
}

static void test_idle(void)
{
	enum { IDLE = 300 };
	int fds[IDLE], cut, before = server_threads(), during = -1;
	double last, t0 = measure_now();

	for (int i = 0; i < IDLE; i++) {
		fds[i] = dial();
		CHECK(fds[i] >= 0);
	}
	/* the server has no latency, so it is pooled: the idle connections
	 * hold no thread (they are cut off after 2 s) */
	usleep(500000);
	during = server_threads();
	CHECK(normal());
	cut = wait_cut(fds, IDLE, t0, REQUEST_TIMEOUT_S + 3, false, true,
		       &last);
	printf("idle: %d of %d connections cut off, the last after %.2f s; "
	       "server threads %d before, %d with them, %d after\n", cut,
	       IDLE, last, before, during, server_threads());
	CHECK(cut == IDLE);
	CHECK(last < REQUEST_TIMEOUT_S + 1.5);
	if (server > 0) {
		CHECK(during >= 0 && during <= before + 1);
		usleep(300000);		/* the threads end after the close */
		CHECK(server_threads() <= before + 1);
	}
	CHECK(normal());
	count("idle", IDLE);
}

/* A server that serves 16 connections at once: 16 idle ones fill it,
 * the next is closed at once rather than left waiting, and it serves
 * again when the idle ones are cut off, by itself. */
static void test_limit(void)
{
	struct httpd_opts o;
	struct httpd_proc srv;
	unsigned main_port = port;
	int fds[16], cut, fd;
	char err[256], b[64];
	double last, t, t0 = measure_now();

	httpd_defaults(&o);
	o.files = FILES;
	o.size = SIZE;
	o.seed = SEED;
	o.max_conns = 16;
	o.request_timeout_s = REQUEST_TIMEOUT_S;
	if (httpd_spawn(&o, &srv, err, sizeof(err))) {
		fprintf(stderr, "httpd_spawn: %s\n", err);
		CHECK(!"a server of 16 connections");
		return;
	}
	port = srv.port;
	for (int i = 0; i < 16; i++)
		fds[i] = dial();
	usleep(200000);
	fd = dial();
	t = measure_now();
	CHECK(fd >= 0 && recv(fd, b, sizeof(b), 0) <= 0);
	CHECK(measure_now() - t < 1.0);
	if (fd >= 0)
		close(fd);
	/* no normal download meanwhile: it would be closed too */
	cut = wait_cut(fds, 16, t0, REQUEST_TIMEOUT_S + 3, false, false,
		       &last);
	CHECK(cut == 16);
	CHECK(last < REQUEST_TIMEOUT_S + 1.5);
	CHECK(normal());
	count("over the connection limit", 17);
	CHECK(httpd_reap(&srv, err, sizeof(err)) == 0);
	port = main_port;
}

int main(int argc, char **argv)
{
	struct httpd_proc srv = { .pid = -1 };
	struct rlimit rl;
	struct httpd_opts o;
	char err[256];
	int total = 0;
	FILE *f;

	signal(SIGPIPE, SIG_IGN);
	/* room for 300 idle connections and more */
	if (!getrlimit(RLIMIT_NOFILE, &rl) && rl.rlim_cur < 1024 &&
	    rl.rlim_max >= 1024) {
		rl.rlim_cur = 1024;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	f = fopen("/etc/passwd", "r");
	if (f && fgets(passwd_line, sizeof(passwd_line), f))
		passwd_line[strcspn(passwd_line, "\n")] = 0;
	if (f)
		fclose(f);
	if (fetch_global_init(err, sizeof(err))) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	if (argc > 1) {
		port = (unsigned)atoi(argv[1]);
	} else {
		httpd_defaults(&o);
		o.files = FILES;
		o.size = SIZE;
		o.seed = SEED;
		o.request_timeout_s = REQUEST_TIMEOUT_S;
		if (httpd_spawn(&o, &srv, err, sizeof(err))) {
			fprintf(stderr, "httpd_spawn: %s\n", err);
			return 1;
		}
		port = srv.port;
		server = srv.pid;
	}
	CHECK(normal());
	test_malformed();
	test_oversized();
	test_traversal();
	test_unknown();
	test_methods();
	test_slow();
	test_idle();
	if (server > 0)
		test_limit();
	CHECK(normal());
	for (size_t i = 0; tried[i].kind; i++) {
		printf("%s%d %s", i ? ", " : "hostile clients: ", tried[i].n,
		       tried[i].kind);
		total += tried[i].n;
	}
	printf("; %d in all, and %d normal downloads beside them\n", total,
	       normals);
	if (server > 0) {
		/* it stops cleanly: nothing crashed, nothing is left */
		CHECK(httpd_reap(&srv, err, sizeof(err)) == 0);
		CHECK(waitpid(-1, NULL, WNOHANG) == -1 && errno == ECHILD);
	}
	fetch_global_cleanup();
	return CHECK_DONE();
}

/* httpd.c - the embedded loopback HTTP file server (libmicrohttpd) */
#define _GNU_SOURCE
#include "net/httpd.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <malloc.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "net/fetch.h"
#include "measure/measure.h"
#include "engine/child.h"

#define STACK_SIZE (256u << 10)	/* per server thread */
#define BLOCK_SIZE (64u << 10)	/* body bytes per read_body call */
#define BACKLOG 1024
#define IDLE_TIMEOUT_S 60u	/* a connection with no progress closes */
#define REQUEST_TIMEOUT_S 10.0	/* default request_timeout_s */
#define WATCH_PERIOD_MS 200	/* how often the watchdog looks */
#define INDEX_MAX_FILES 1000	/* the index page lists no more */
#define PRECOMPUTE_MAX (256ULL << 20)	/* checksummed at start, in all */
#define CONTENT_MAX (64ULL << 20)	/* kept in memory, in all */
#define PPM 1000000ULL
#define SPAWN_WAIT_S 30		/* the child listens within this */
#define REAP_WAIT_S 5		/* after SIGTERM, before SIGKILL */
#define ARENAS 2		/* malloc arenas for all connection threads */

/* An open connection, as the watchdog sees it. */
struct conn {
	struct conn *prev, *next;
	int fd;			/* its socket; closed only after it is
				 * unlinked, so shutdown() never hits
				 * another connection's */
	_Atomic bool busy;	/* from a request's headers to its answer's
				 * end: the watchdog leaves it alone */
	struct MHD_Connection *stalled;	/* suspended by a stall fault in
				 * the pooled server, until the client
				 * hangs up (the watchdog resumes it) */
	_Atomic double since;	/* when it began to wait for headers
				 * (measure_now()); INFINITY once cut off;
				 * both atomic, so that a request takes no
				 * lock (the list itself is under lock) */
};

struct httpd {
	struct MHD_Daemon *d;
	struct httpd_opts o;
	char addr[INET6_ADDRSTRLEN];
	unsigned port;
	int stop_rd, stop_wr;	/* closing stop_wr wakes every hold() and
				 * the watchdog */
	_Atomic uint64_t *crc;	/* per file: 1 << 32 | CRC once known */
	unsigned char *content;	/* every file, one after another, when
				 * they come to CONTENT_MAX at most, so
				 * that a plain answer is a copy from
				 * memory; NULL: made as they are sent */
	_Atomic(struct MHD_Response *) *plain;	/* with content: per file,
				 * its answer once made (plain_response) */
	_Atomic uint64_t requests, faults;
	pthread_mutex_t lock;	/* guards conns and every conn in it */
	struct conn conns;	/* the list's head: every open connection */
	unsigned long closed;	/* connections closed so far; under lock */
	pthread_t watchdog;
	bool pooled;		/* a few threads, each serving many
				 * connections (see httpd_start) */
	bool stopping;		/* under lock: no connection is suspended
				 * any more */
	_Atomic unsigned open;	/* connections open now (on_connection) */
};

/* One file response on its way, read by read_body in the connection's
 * own thread. */
struct body {
	struct httpd *h;
	int fd;			/* the client's socket, -1: unknown */
	uint64_t file, size;
	uint64_t end;		/* sends no byte past it: size, or half */
	uint64_t corrupt_at;	/* the changed byte, or UINT64_MAX */
	double start;		/* when sending began, measure_now() */
};

static const char *const fault_names[HTTPD_FAULTS] = {
	[HTTPD_FAULT_500] = "500",
	[HTTPD_FAULT_DROP] = "drop",
	[HTTPD_FAULT_STALL] = "stall",
	[HTTPD_FAULT_TRUNCATE] = "truncate",
	[HTTPD_FAULT_CORRUPT] = "corrupt",
};

void httpd_defaults(struct httpd_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->bind = "127.0.0.1";
	o->files = 64;
	o->size = 64 << 10;
	o->seed = 1;
	o->faults = HTTPD_FAULTS_DEFAULT;
	o->max_conns = 1024;
	o->request_timeout_s = REQUEST_TIMEOUT_S;
}

const char *httpd_fault_name(enum httpd_fault f)
{
	return (unsigned)f < HTTPD_FAULTS ? fault_names[f] : "?";
}

static int fault_parse(const char *s, size_t len)
{
	for (int i = 0; i < HTTPD_FAULTS; i++)
		if (strlen(fault_names[i]) == len &&
		    !strncmp(s, fault_names[i], len))
			return i;
	return -1;
}

int httpd_file_fault(const struct httpd_opts *o, uint64_t file)
{
	uint64_t ppm = (uint64_t)llround(o->error_rate * (double)PPM), k;
	unsigned mask = o->faults & ((1u << HTTPD_FAULTS) - 1), n = 0;

	if (!mask)
		mask = HTTPD_FAULTS_DEFAULT;
	if (!ppm)
		return -1;
	k = (uint64_t)((unsigned __int128)file * ppm / PPM);
	if ((uint64_t)((unsigned __int128)(file + 1) * ppm / PPM) == k)
		return -1;
	/* this is the k-th failing file: the (k mod kinds)-th kind */
	for (int i = 0; i < HTTPD_FAULTS; i++)
		n += (mask >> i) & 1;
	k %= n;
	for (int i = 0; i < HTTPD_FAULTS; i++)
		if (((mask >> i) & 1) && !k--)
			return i;
	return -1;
}

/* Parses the N of /files/N: digits only, below files. */
static int file_index(const char *s, uint64_t files, uint64_t *out)
{
	uint64_t v = 0;

	if (!*s)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || v > (UINT64_MAX - 9) / 10)
			return -1;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	if (v >= files)
		return -1;
	*out = v;
	return 0;
}

void httpd_route(const struct httpd_opts *o, const char *method,
		 const char *path, const char *fault, bool body,
		 struct httpd_route *r)
{
	int forced = -1;

	*r = (struct httpd_route){ .page = HTTPD_PAGE_NOT_FOUND,
				   .status = 404, .fault = -1 };
	if (strcmp(method, "GET") && strcmp(method, "HEAD")) {
		r->page = HTTPD_PAGE_BAD_METHOD;
		r->status = 405;
		return;
	}
	if (body) {
		r->page = HTTPD_PAGE_BAD_BODY;
		r->status = 400;
		return;
	}
	if (!strcmp(path, "/")) {
		r->page = HTTPD_PAGE_INDEX;
		r->status = 200;
		return;
	}
	if (!strcmp(path, "/checksums")) {
		r->page = HTTPD_PAGE_CHECKSUMS;
		r->status = 200;
		return;
	}
	if (strncmp(path, "/files/", 7))
		return;		/* HTTPD_PAGE_NOT_FOUND */
	if (fault && (forced = fault_parse(fault, strlen(fault))) < 0) {
		r->page = HTTPD_PAGE_BAD_FAULT;
		r->status = 400;
		return;
	}
	if (file_index(path + 7, o->files, &r->file)) {
		r->page = HTTPD_PAGE_NO_FILE;
		return;
	}
	r->page = HTTPD_PAGE_FILE;
	r->fault = fault ? forced : httpd_file_fault(o, r->file);
	r->status = r->fault == HTTPD_FAULT_500 ? 500 :
		    r->fault == HTTPD_FAULT_DROP ||
		    r->fault == HTTPD_FAULT_STALL ? 0 : 200;
}

/* ---- content ------------------------------------------------------------ */

/* splitmix64's finaliser: a bijection that scrambles every bit. */
static uint64_t mix64(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

#define GOLDEN 0x9e3779b97f4a7c15ULL

void httpd_content(uint64_t seed, uint64_t file, uint64_t pos, void *buf,
		   size_t len)
{
	uint64_t key = mix64(seed ^ mix64(file * GOLDEN + 1));
	unsigned char *out = buf;

	/* word w of the file is mix64(key + w x GOLDEN), little-endian */
	while (len) {
		uint64_t x = mix64(key + (pos / 8) * GOLDEN);
		unsigned off = (unsigned)(pos % 8);

		if (!off && len >= 8) {
			for (int i = 0; i < 8; i++)	/* one store, compiled */
				out[i] = (unsigned char)(x >> (8 * i));
			out += 8, pos += 8, len -= 8;
			continue;
		}
		for (; off < 8 && len; off++, len--, pos++)
			*out++ = (unsigned char)(x >> (8 * off));
	}
}

uint32_t httpd_file_crc(uint64_t seed, uint64_t file, uint64_t size)
{
	unsigned char buf[16384];
	uint32_t crc = 0;

	for (uint64_t pos = 0; pos < size;) {
		size_t n = size - pos < sizeof(buf) ? (size_t)(size - pos) :
			   sizeof(buf);

		httpd_content(seed, file, pos, buf, n);
		crc = fetch_crc32(crc, buf, n);
		pos += n;
	}
	return crc;
}

/* The CRC of a file, computed on first use and kept. */
static uint32_t file_crc(struct httpd *h, uint64_t file)
{
	uint64_t v = atomic_load(&h->crc[file]);

	if (!v) {
		v = 1ULL << 32 | httpd_file_crc(h->o.seed, file, h->o.size);
		atomic_store(&h->crc[file], v);
	}
	return (uint32_t)v;
}

/* ---- waiting without holding anyone up ---------------------------------- */

/* Sleeps in the calling connection thread until `until` (measure_now()
 * seconds; INFINITY: for ever). Returns 0 then; -1 as soon as the server
 * stops or the client on fd (-1: not watched) closes its side. */
static int hold(const struct httpd *h, int fd, double until)
{
	struct pollfd p[2] = {
		{ .fd = h->stop_rd, .events = POLLIN },
		{ .fd = fd, .events = POLLRDHUP },	/* not POLLIN: a
							 * pipelined request
							 * is no reason */
	};

	for (;;) {
		double left = until - measure_now();
		struct timespec ts, *tp = NULL;
		int n;

		if (left <= 0)
			return 0;
		if (isfinite(left)) {
			ts.tv_sec = (time_t)left;
			ts.tv_nsec = (long)((left - (double)ts.tv_sec) * 1e9);
			tp = &ts;
		}
		n = ppoll(p, 2, tp, NULL);
		if (n < 0 && errno != EINTR)
			return -1;
		if (n > 0)
			return -1;
	}
}

/* ---- responses ---------------------------------------------------------- */

static enum MHD_Result queue(struct MHD_Connection *c, unsigned status,
			     struct MHD_Response *r)
{
	enum MHD_Result ret = MHD_queue_response(c, status, r);

	MHD_destroy_response(r);
	return ret;
}

/* A response of a constant text, of type `type` (NULL: plain text).
 * Returns it, or NULL. */
static struct MHD_Response *text_response(const char *text, const char *type)
{
	struct MHD_Response *r;

	r = MHD_create_response_from_buffer(strlen(text), (void *)text,
					    MHD_RESPMEM_PERSISTENT);
	if (r && MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
					 type ? type :
					 "text/plain; charset=utf-8")
	    != MHD_YES) {
		MHD_destroy_response(r);
		return NULL;
	}
	return r;
}

static enum MHD_Result answer_text(struct MHD_Connection *c, unsigned status,
				   const char *text, const char *type)
{
	struct MHD_Response *r = text_response(text, type);

	return r ? queue(c, status, r) : MHD_NO;
}

/* 405, with the methods that are allowed, as RFC 9110 asks. */
static enum MHD_Result answer_not_allowed(struct MHD_Connection *c)
{
	struct MHD_Response *r = text_response("only GET and HEAD\n", NULL);

	if (!r)
		return MHD_NO;
	if (MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, "GET, HEAD") !=
	    MHD_YES) {
		MHD_destroy_response(r);
		return MHD_NO;
	}
	return queue(c, MHD_HTTP_METHOD_NOT_ALLOWED, r);
}

/* Sends what a memory stream collected, or a 500 when it failed. */
static enum MHD_Result answer_stream(struct MHD_Connection *c, FILE *m,
				     char **buf, size_t *len,
				     const char *type)
{
	struct MHD_Response *r;
	int bad = ferror(m);

	if (fclose(m) || bad) {
		free(*buf);
		return answer_text(c, MHD_HTTP_INTERNAL_SERVER_ERROR,
				   "out of memory\n", NULL);
	}
	r = MHD_create_response_from_buffer(*len, *buf, MHD_RESPMEM_MUST_FREE);
	if (!r) {
		free(*buf);
		return MHD_NO;
	}
	if (MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type)
	    != MHD_YES) {
		MHD_destroy_response(r);
		return MHD_NO;
	}
	return queue(c, MHD_HTTP_OK, r);
}

void httpd_describe(const struct httpd_opts *o, FILE *f)
{
	fprintf(f, "%" PRIu64 " files of %" PRIu64 " bytes (seed %" PRIu64
		"), latency %gs, rate ", o->files, o->size, o->seed,
		o->latency_s);
	if (o->rate)
		fprintf(f, "%" PRIu64 " bytes/s", o->rate);
	else
		fprintf(f, "unlimited");
	fprintf(f, ", error rate %g", o->error_rate);
	if (o->error_rate > 0) {
		const char *sep = " (";

		for (int i = 0; i < HTTPD_FAULTS; i++)
			if ((o->faults >> i) & 1) {
				fprintf(f, "%s%s", sep, fault_names[i]);
				sep = ", ";
			}
		fprintf(f, ")");
	}
}

static enum MHD_Result answer_index(struct httpd *h, struct MHD_Connection *c)
{
	uint64_t n = h->o.files < INDEX_MAX_FILES ? h->o.files :
		     INDEX_MAX_FILES;
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);

	if (!m)
		return answer_text(c, MHD_HTTP_INTERNAL_SERVER_ERROR,
				   "out of memory\n", NULL);
	fprintf(m, "<!doctype html>\n<html><head><meta charset=\"utf-8\">"
		"<title>pvt serve</title></head><body>\n<h1>pvt serve</h1>\n"
		"<p>");
	httpd_describe(&h->o, m);
	fprintf(m, ".</p>\n<p>Each file's CRC-32 is in its X-Pvt-Checksum "
		"header and in <a href=\"/checksums\">/checksums</a>. Add "
		"<code>?fault=500</code> (or drop, stall, truncate, corrupt) to "
		"a file's address to see a fault.</p>\n<table>\n<tr><th>file"
		"</th><th>bytes</th><th>crc32</th><th>fault</th></tr>\n");
	for (uint64_t i = 0; i < n; i++) {
		int f = httpd_file_fault(&h->o, i);

		fprintf(m, "<tr><td><a href=\"/files/%" PRIu64 "\">files/%"
			PRIu64 "</a></td><td>%" PRIu64 "</td><td>%08x</td><td>"
			"%s</td></tr>\n", i, i, h->o.size, file_crc(h, i),
			f >= 0 ? fault_names[f] : "");
	}
	fprintf(m, "</table>\n");
	if (n < h->o.files)
		fprintf(m, "<p>... and %" PRIu64 " more, up to files/%" PRIu64
			".</p>\n", h->o.files - n, h->o.files - 1);
	fprintf(m, "</body></html>\n");
	return answer_stream(c, m, &buf, &len, "text/html; charset=utf-8");
}

static enum MHD_Result answer_checksums(struct httpd *h,
					struct MHD_Connection *c)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);

	if (!m)
		return answer_text(c, MHD_HTTP_INTERNAL_SERVER_ERROR,
				   "out of memory\n", NULL);
	for (uint64_t i = 0; i < h->o.files; i++)
		fprintf(m, "crc32:%08x %" PRIu64 " files/%" PRIu64 "\n",
			file_crc(h, i), h->o.size, i);
	return answer_stream(c, m, &buf, &len, "text/plain; charset=utf-8");
}

static ssize_t read_body(void *cls, uint64_t pos, char *buf, size_t max)
{
	struct body *b = cls;
	const struct httpd *h = b->h;
	uint64_t n;

	if (pos >= b->end)
		return pos >= b->size ? MHD_CONTENT_READER_END_OF_STREAM :
		       MHD_CONTENT_READER_END_WITH_ERROR;	/* truncate */
	n = b->end - pos < max ? b->end - pos : max;
	if (h->o.rate) {
		/* 20 ms of data at a time, each released when its last byte
		 * is due, so the whole body takes size / rate */
		uint64_t chunk = h->o.rate / 50 ? h->o.rate / 50 : 1;

		if (n > chunk)
			n = chunk;
		if (hold(h, b->fd, b->start + (double)(pos + n) /
			 (double)h->o.rate))
			return MHD_CONTENT_READER_END_WITH_ERROR;
	}
	httpd_content(h->o.seed, b->file, pos, buf, (size_t)n);
	if (b->corrupt_at >= pos && b->corrupt_at - pos < n)
		buf[b->corrupt_at - pos] ^= 0x5a;
	return (ssize_t)n;
}

static void free_body(void *cls)
{
	free(cls);
}

static int client_fd(struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo *ci;

	ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
	return ci ? ci->connect_fd : -1;
}

/* A file made as it is sent, by read_body: a fault, a rate, or files too
 * many to keep. */
static struct MHD_Response *body_response(struct httpd *h, int fd,
					  uint64_t file, int fault)
{
	struct MHD_Response *r;
	struct body *b = malloc(sizeof(*b));

	if (!b)
		return NULL;
	*b = (struct body){
		.h = h, .fd = fd, .file = file, .size = h->o.size,
		.end = fault == HTTPD_FAULT_TRUNCATE ? h->o.size / 2 :
		       h->o.size,
		.corrupt_at = fault == HTTPD_FAULT_CORRUPT ? h->o.size / 2 :
			      UINT64_MAX,
		.start = measure_now(),
	};
	r = MHD_create_response_from_callback(h->o.size, BLOCK_SIZE, read_body,
					      b, free_body);
	if (!r)
		free(b);
	return r;
}

/* A file, rt->page HTTPD_PAGE_FILE, with its fault if it has one. */
/* Adds a file's headers to r: its type, its checksum, its fault. Returns
 * r, or NULL (r destroyed). */
static struct MHD_Response *file_headers(struct httpd *h,
					 struct MHD_Response *r,
					 uint64_t file, int fault)
{
	char crc[32];

	snprintf(crc, sizeof(crc), "crc32:%08x", file_crc(h, file));
	if (MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
				    "application/octet-stream") != MHD_YES ||
	    MHD_add_response_header(r, "X-Pvt-Checksum", crc) != MHD_YES ||
	    (fault >= 0 && MHD_add_response_header(r, "X-Pvt-Fault",
						   fault_names[fault]) !=
	     MHD_YES)) {
		MHD_destroy_response(r);
		return NULL;
	}
	return r;
}

/* A file without a fault at full speed: one response per file, made on
 * first use from h->content and queued on every connection that asks
 * (MHD counts its references). NULL when the file is not kept in
 * memory, or on failure. */
static struct MHD_Response *plain_response(struct httpd *h, uint64_t file)
{
	struct MHD_Response *r, *none = NULL;

	if (!h->content)
		return NULL;
	r = atomic_load(&h->plain[file]);
	if (r)
		return r;
	r = MHD_create_response_from_buffer(h->o.size, h->content +
					    file * h->o.size,
					    MHD_RESPMEM_PERSISTENT);
	if (!r || !file_headers(h, r, file, -1))
		return NULL;
	if (!atomic_compare_exchange_strong(&h->plain[file], &none, r)) {
		MHD_destroy_response(r);	/* another thread's won */
		return none;
	}
	return r;
}

/* A file, rt->page HTTPD_PAGE_FILE, with its fault if it has one. */
static enum MHD_Result answer_file(struct httpd *h, struct MHD_Connection *c,
				   const struct httpd_route *rt)
{
	int fd = client_fd(c), fault = rt->fault;
	uint64_t file = rt->file;
	struct MHD_Response *r;

	if (fault >= 0)
		atomic_fetch_add(&h->faults, 1);
	if (fault == HTTPD_FAULT_STALL) {
		hold(h, fd, INFINITY);	/* until the client gives up */
		return MHD_NO;
	}
	if (hold(h, fd, measure_now() + h->o.latency_s))
		return MHD_NO;
	if (fault == HTTPD_FAULT_DROP)
		return MHD_NO;		/* MHD closes without an answer */
	if (fault == HTTPD_FAULT_500)
		return answer_text(c, MHD_HTTP_INTERNAL_SERVER_ERROR,
				   "injected fault: 500\n", NULL);
	if (fault < 0 && !h->o.rate && (r = plain_response(h, file)))
		return MHD_queue_response(c, MHD_HTTP_OK, r);
	r = body_response(h, fd, file, fault);
	if (!r || !file_headers(h, r, file, fault))
		return MHD_NO;
	return queue(c, MHD_HTTP_OK, r);
}

/* ---- the watchdog: no client holds a thread by sending nothing ---------- */

/* MHD_OPTION_NOTIFY_CONNECTION: a connection opens or closes. MHD tells
 * of a close before it closes the socket, so a socket in the list is
 * always its connection's. */
static void on_connection(void *cls, struct MHD_Connection *c, void **ctx,
			  enum MHD_ConnectionNotificationCode code)
{
	struct httpd *h = cls;
	struct conn *k = *ctx;

	if (code == MHD_CONNECTION_NOTIFY_STARTED) {
		atomic_fetch_add(&h->open, 1);
		k = malloc(sizeof(*k));
		if (!k)
			return;	/* unwatched: MHD's idle timeout still holds */
		k->fd = client_fd(c);
		k->busy = false;
		k->stalled = NULL;
		k->since = measure_now();
		pthread_mutex_lock(&h->lock);
		k->prev = &h->conns;
		k->next = h->conns.next;
		k->next->prev = k;
		h->conns.next = k;
		pthread_mutex_unlock(&h->lock);
		*ctx = k;
		return;
	}
	atomic_fetch_sub(&h->open, 1);
	if (!k)
		return;
	pthread_mutex_lock(&h->lock);
	k->prev->next = k->next;
	k->next->prev = k->prev;
	h->closed++;
	pthread_mutex_unlock(&h->lock);
	free(k);
	*ctx = NULL;
}

/* MHD's accept policy: a connection over o.max_conns is closed at once,
 * rather than left waiting (MHD's own limit, split among the pooled
 * server's threads, would leave it in the listen queue). */
static enum MHD_Result accept_policy(void *cls, const struct sockaddr *addr,
				     socklen_t len)
{
	struct httpd *h = cls;

	(void)addr;
	(void)len;
	return atomic_load(&h->open) < h->o.max_conns ? MHD_YES : MHD_NO;
}

/* Marks c busy with a request, or waiting for the next from now. */
static void set_busy(struct httpd *h, struct MHD_Connection *c, bool busy)
{
	const union MHD_ConnectionInfo *ci;
	struct conn *k;

	ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	k = ci ? ci->socket_context : NULL;
	(void)h;
	if (!k)
		return;
	atomic_store(&k->since, measure_now());
	atomic_store(&k->busy, busy);
}

/* MHD_OPTION_NOTIFY_COMPLETED: a request's answer has ended, sent or
 * not. */
static void on_completed(void *cls, struct MHD_Connection *c, void **req,
			 enum MHD_RequestTerminationCode why)
{
	(void)req;
	(void)why;
	set_busy(cls, c, false);
}

/* Whether the client on fd has closed its side. */
static bool hung_up(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLRDHUP };

	return poll(&p, 1, 0) > 0;
}

/* In the pooled server, a stall fault holds no thread: its connection is
 * suspended until the client hangs up or the server stops (the watchdog
 * resumes it, and on_request then closes it). Returns false when it
 * cannot be (the server stops, or the connection is not watched). */
static bool stall(struct httpd *h, struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo *ci;
	struct conn *k;
	bool ok;

	ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	k = ci ? ci->socket_context : NULL;
	if (!k)
		return false;
	pthread_mutex_lock(&h->lock);
	ok = !h->stopping;
	if (ok) {
		k->stalled = c;
		MHD_suspend_connection(c);
	}
	pthread_mutex_unlock(&h->lock);
	return ok;
}

/* Every WATCH_PERIOD_MS: cuts off each connection that has waited for a
 * request's headers longer than the request timeout, however it trickles
 * bytes in (MHD's own timeout restarts at each byte), so that its thread
 * reads EOF and MHD closes it; and resumes each stalled connection whose
 * client hung up. When the stop pipe closes, resumes every stalled one
 * (MHD stops no daemon with a connection suspended) and returns. */
static void *watch(void *arg)
{
	struct httpd *h = arg;
	struct pollfd p = { .fd = h->stop_rd, .events = POLLIN };
	unsigned long trimmed = 0;

	for (;;) {
		int n = poll(&p, 1, WATCH_PERIOD_MS);
		double now = measure_now();
		bool stop = n > 0 || (n < 0 && errno != EINTR), idle;

		pthread_mutex_lock(&h->lock);
		/* no connection left since some closed: what a burst of
		 * them allocated goes back to the system, so that the
		 * server's size does not creep up burst after burst */
		idle = h->conns.next == &h->conns && h->closed != trimmed;
		if (idle)
			trimmed = h->closed;
		h->stopping = stop;
		for (struct conn *k = h->conns.next; k != &h->conns;
		     k = k->next) {
			if (k->stalled && (stop || hung_up(k->fd))) {
				MHD_resume_connection(k->stalled);
				k->stalled = NULL;
			}
			if (!stop && !k->busy && k->fd >= 0 &&
			    now - k->since > h->o.request_timeout_s) {
				shutdown(k->fd, SHUT_RDWR);
				k->since = INFINITY;	/* once */
			}
		}
		pthread_mutex_unlock(&h->lock);
		if (stop)
			return NULL;
		if (idle)
			malloc_trim(0);
	}
}

/* ---- requests ----------------------------------------------------------- */

/* Whether the request announces a body. */
static bool has_body(struct MHD_Connection *c)
{
	const char *len = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
					MHD_HTTP_HEADER_CONTENT_LENGTH);

	return (len && strcmp(len, "0")) ||
	       MHD_lookup_connection_value(c, MHD_HEADER_KIND,
					   MHD_HTTP_HEADER_TRANSFER_ENCODING);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c,
				  const char *url, const char *method,
				  const char *version, const char *upload,
				  size_t *upload_size, void **req)
{
	static int seen;	/* marks a request's first call */
	static int stalled;	/* marks a stalled request, resumed */
	struct httpd *h = cls;
	struct httpd_route rt;
	bool body = false;

	(void)version;
	(void)upload;
	if (*req == &stalled)
		return MHD_NO;	/* its client hung up, or the server stops */
	if (*req != &seen) {
		*req = &seen;
		set_busy(h, c, true);
		body = has_body(c);
		/* A GET or HEAD without a body is answered on the next
		 * call, its connection kept alive. Anything else is
		 * refused now, on its headers alone: MHD then discards
		 * the body unread and closes the connection, so that no
		 * client holds a thread by trickling in a body. */
		if (!body && (!strcmp(method, MHD_HTTP_METHOD_GET) ||
			      !strcmp(method, MHD_HTTP_METHOD_HEAD)))
			return MHD_YES;
	} else if (*upload_size) {
		*upload_size = 0;	/* a body after all: skip it */
		return MHD_YES;
	}
	atomic_fetch_add(&h->requests, 1);
	httpd_route(&h->o, method, url, MHD_lookup_connection_value(c,
		    MHD_GET_ARGUMENT_KIND, "fault"), body, &rt);
	switch (rt.page) {
	case HTTPD_PAGE_INDEX:
		return answer_index(h, c);
	case HTTPD_PAGE_CHECKSUMS:
		return answer_checksums(h, c);
	case HTTPD_PAGE_FILE:
		if (h->pooled && rt.fault == HTTPD_FAULT_STALL) {
			atomic_fetch_add(&h->faults, 1);
			*req = &stalled;
			return stall(h, c) ? MHD_YES : MHD_NO;
		}
		return answer_file(h, c, &rt);
	case HTTPD_PAGE_NO_FILE:
		/* as slow as a file: a wrong URL is not a faster one */
		if (hold(h, client_fd(c), measure_now() + h->o.latency_s))
			return MHD_NO;
		return answer_text(c, MHD_HTTP_NOT_FOUND, "no such file\n",
				   NULL);
	case HTTPD_PAGE_BAD_FAULT:
		return answer_text(c, MHD_HTTP_BAD_REQUEST, "unknown fault "
				   "(accepted: 500, drop, stall, truncate, "
				   "corrupt)\n", NULL);
	case HTTPD_PAGE_BAD_METHOD:
		return answer_not_allowed(c);
	case HTTPD_PAGE_BAD_BODY:
		return answer_text(c, MHD_HTTP_BAD_REQUEST, "a GET or HEAD "
				   "request has no body\n", NULL);
	case HTTPD_PAGE_NOT_FOUND:
		break;
	}
	return answer_text(c, MHD_HTTP_NOT_FOUND, "not found (see /)\n", NULL);
}

/* Decodes %HH as MHD does, except that a %00 empties the whole value:
 * the rest of it would otherwise be dropped unseen (/files/1%00x served
 * as /files/1), so a path that holds one is not found (404) and a
 * ?fault= that holds one is refused (400). */
static size_t unescape(void *cls, struct MHD_Connection *c, char *s)
{
	size_t n = MHD_http_unescape(s);

	(void)cls;
	(void)c;
	if (strlen(s) == n)
		return n;
	s[0] = 0;
	return 0;
}

/* ---- a server in this process ------------------------------------------- */

/* Writes the reason into err and returns -1; errno is left as it was
 * (the caller sets it where no call failed). */
static int fail(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	int e = errno;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	errno = e;
	return -1;
}

int httpd_listen(const char *addr, unsigned port, unsigned *bound,
		 char *err, size_t errlen)
{
	union {
		struct sockaddr sa;
		struct sockaddr_in in;
		struct sockaddr_in6 in6;
	} a;
	socklen_t alen;
	int fd, one = 1;

	memset(&a, 0, sizeof(a));
	if (inet_pton(AF_INET, addr, &a.in.sin_addr) == 1) {
		a.in.sin_family = AF_INET;
		a.in.sin_port = htons((uint16_t)port);
		alen = sizeof(a.in);
	} else if (inet_pton(AF_INET6, addr, &a.in6.sin6_addr) == 1) {
		a.in6.sin6_family = AF_INET6;
		a.in6.sin6_port = htons((uint16_t)port);
		alen = sizeof(a.in6);
	} else {
		errno = EINVAL;
		return fail(err, errlen, "'%s' is not a numeric IPv4 or IPv6 "
			    "address", addr);
	}
	fd = socket(a.sa.sa_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
		    0);
	if (fd < 0)
		return fail(err, errlen, "socket: %s", strerror(errno));
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one))) {
		fail(err, errlen, "setsockopt: %s", strerror(errno));
		goto out_close;
	}
	if (bind(fd, &a.sa, alen)) {
		fail(err, errlen, "bind %s port %u: %s", addr, port,
		     strerror(errno));
		goto out_close;
	}
	if (listen(fd, BACKLOG)) {
		fail(err, errlen, "listen: %s", strerror(errno));
		goto out_close;
	}
	if (getsockname(fd, &a.sa, &alen)) {
		fail(err, errlen, "getsockname: %s", strerror(errno));
		goto out_close;
	}
	*bound = ntohs(a.sa.sa_family == AF_INET ? a.in.sin_port :
		       a.in6.sin6_port);
	return fd;
out_close:
	close(fd);
	return -1;
}

int httpd_start(const struct httpd_opts *o, struct httpd **out, char *err,
		size_t errlen)
{
	unsigned flags = MHD_USE_THREAD_PER_CONNECTION |
			 MHD_USE_POLL_INTERNAL_THREAD;
	unsigned pool = 0;
	struct httpd *h;
	int fds[2], lfd, rc;

	if (!o->files || o->error_rate < 0 || o->error_rate > 1 ||
	    o->latency_s < 0 || !isfinite(o->latency_s) ||
	    o->request_timeout_s < 0 || !isfinite(o->request_timeout_s)) {
		errno = EINVAL;
		return fail(err, errlen, "httpd_start: bad options");
	}
	/* A thread per connection would otherwise spread over up to eight
	 * arenas per core, each keeping its freed memory after a burst:
	 * two arenas keep the server's size bounded by its busiest moment.
	 * An allocator without arenas (a sanitizer's) refuses the setting
	 * (0), and has nothing to bound: the server runs as it is. */
	(void)mallopt(M_ARENA_MAX, ARENAS);
	h = calloc(1, sizeof(*h));
	if (!h)
		return fail(err, errlen, "calloc: %s", strerror(errno));
	h->o = *o;
	/* A server that never waits before it answers (no latency, no rate,
	 * no error rate) is pooled: one thread per core, each serving many
	 * connections through epoll, as a production server is built; a
	 * forced stall suspends its connection instead of holding a thread.
	 * Any wait makes it a thread per connection, each sleeping through
	 * its own: 256 delayed answers are then 256 threads asleep. */
	if (o->latency_s == 0 && o->rate == 0 && o->error_rate == 0) {
		long cores = sysconf(_SC_NPROCESSORS_ONLN);

		h->pooled = true;
		pool = cores < 1 ? 1 : cores > 64 ? 64 : (unsigned)cores;
		flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ITC |
			MHD_ALLOW_SUSPEND_RESUME;
	}
	h->conns.next = h->conns.prev = &h->conns;
	if (!h->o.bind)
		h->o.bind = "127.0.0.1";
	if (!h->o.faults)
		h->o.faults = HTTPD_FAULTS_DEFAULT;
	if (!h->o.max_conns)
		h->o.max_conns = 1024;
	if (!h->o.request_timeout_s)
		h->o.request_timeout_s = REQUEST_TIMEOUT_S;
	h->crc = calloc(o->files, sizeof(*h->crc));
	if (!h->crc) {
		fail(err, errlen, "calloc: %s", strerror(errno));
		goto out_free;
	}
	if ((rc = pthread_mutex_init(&h->lock, NULL))) {
		errno = rc;
		fail(err, errlen, "pthread_mutex_init: %s", strerror(rc));
		goto out_free;
	}
	if (pipe2(fds, O_CLOEXEC)) {
		fail(err, errlen, "pipe2: %s", strerror(errno));
		goto out_mutex;
	}
	h->stop_rd = fds[0];
	h->stop_wr = fds[1];
	/* the checksums now, so that no measured response waits for one;
	 * beyond PRECOMPUTE_MAX bytes in all, on first use */
	if (o->size && o->files <= CONTENT_MAX / o->size) {
		h->content = malloc(o->files * o->size);
		h->plain = calloc(o->files, sizeof(*h->plain));
		if (!h->plain) {
			free(h->content);
			h->content = NULL;
		}
	}
	for (uint64_t i = 0; h->content && i < o->files; i++) {
		unsigned char *f = h->content + i * o->size;

		httpd_content(o->seed, i, 0, f, o->size);
		atomic_store(&h->crc[i], 1ULL << 32 |
			     fetch_crc32(0, f, o->size));
	}
	if (o->size && o->files <= PRECOMPUTE_MAX / o->size)
		for (uint64_t i = 0; i < o->files; i++)
			file_crc(h, i);
	lfd = httpd_listen(h->o.bind, o->port, &h->port, err, errlen);
	if (lfd < 0)
		goto out_pipe;
	snprintf(h->addr, sizeof(h->addr), "%s", h->o.bind);
	/* from here MHD owns lfd and closes it, whatever happens */
	h->d = MHD_start_daemon(flags, 0, accept_policy, h, on_request, h,
				MHD_OPTION_LISTEN_SOCKET, lfd,
				MHD_OPTION_CONNECTION_LIMIT,
				h->o.max_conns * (pool ? pool : 1),
				MHD_OPTION_CONNECTION_TIMEOUT, IDLE_TIMEOUT_S,
				MHD_OPTION_THREAD_STACK_SIZE, (size_t)STACK_SIZE,
				MHD_OPTION_THREAD_POOL_SIZE, pool,
				MHD_OPTION_UNESCAPE_CALLBACK, unescape, NULL,
				MHD_OPTION_NOTIFY_CONNECTION, on_connection, h,
				MHD_OPTION_NOTIFY_COMPLETED, on_completed, h,
				MHD_OPTION_END);
	if (!h->d) {
		errno = EIO;	/* MHD says no more */
		fail(err, errlen, "MHD_start_daemon failed on %s port %u",
		     h->addr, h->port);
		goto out_pipe;
	}
	if ((rc = pthread_create(&h->watchdog, NULL, watch, h))) {
		fail(err, errlen, "pthread_create: %s", strerror(rc));
		MHD_stop_daemon(h->d);
		errno = rc;
		goto out_pipe;
	}
	*out = h;
	return 0;
out_pipe:
	close(h->stop_rd);
	close(h->stop_wr);
out_mutex:
	pthread_mutex_destroy(&h->lock);
out_free:
	free(h->plain);
	free(h->content);
	free(h->crc);
	free(h);
	return -1;
}

unsigned httpd_port(const struct httpd *h)
{
	return h->port;
}

void httpd_counts(const struct httpd *h, uint64_t *requests,
		  uint64_t *faults)
{
	*requests = atomic_load(&h->requests);
	*faults = atomic_load(&h->faults);
}

void httpd_stop(struct httpd *h)
{
	if (!h)
		return;
	close(h->stop_wr);	/* every hold() and watch() returns: POLLHUP */
	pthread_join(h->watchdog, NULL);
	MHD_stop_daemon(h->d);
	close(h->stop_rd);
	pthread_mutex_destroy(&h->lock);
	for (uint64_t i = 0; h->plain && i < h->o.files; i++)
		if (h->plain[i])
			MHD_destroy_response(h->plain[i]);
	free(h->plain);
	free(h->content);
	free(h->crc);
	free(h);
}

/* ---- a server in a process of its own ----------------------------------- */

/* What the child tells its parent once it listens, or could not. */
struct spawn_msg {
	int ok;
	unsigned port;
	char err[240];
};

void httpd_raise_nofile(unsigned conns)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) || rl.rlim_cur >= conns + 64)
		return;
	rl.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max > conns + 64 ?
		      conns + 64 : rl.rlim_max;
	if (setrlimit(RLIMIT_NOFILE, &rl))
		fprintf(stderr, "pvt: setrlimit: %s\n", strerror(errno));
}

static void write_msg(int fd, const struct spawn_msg *m)
{
	ssize_t n;

	while ((n = write(fd, m, sizeof(*m))) < 0 && errno == EINTR)
		;
	/* a short or failed write: the parent reads EOF and says so */
}

static __attribute__((noreturn)) void child_main(const struct httpd_opts *o,
						 int fd)
{
	struct spawn_msg m;
	struct httpd *h;
	sigset_t set;
	int sig;

	memset(&m, 0, sizeof(m));
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	/* Ctrl-C reaches the whole process group: the parent stops us.
	 * SIGTERM is blocked before MHD's threads exist, so that they
	 * inherit the mask and only sigwait sees it. */
	if (signal(SIGINT, SIG_IGN) == SIG_ERR ||
	    signal(SIGPIPE, SIG_IGN) == SIG_ERR ||
	    sigprocmask(SIG_BLOCK, &set, NULL)) {
		snprintf(m.err, sizeof(m.err), "signal set-up: %s",
			 strerror(errno));
		write_msg(fd, &m);
		_exit(1);
	}
	httpd_raise_nofile(o->max_conns ? o->max_conns : 1024);
	if (httpd_start(o, &h, m.err, sizeof(m.err))) {
		write_msg(fd, &m);
		_exit(1);
	}
	m.ok = 1;
	m.port = httpd_port(h);
	write_msg(fd, &m);
	close(fd);
	while (sigwait(&set, &sig))
		;
	httpd_stop(h);
	_exit(0);
}

/* Reads the child's message, waiting at most SPAWN_WAIT_S. */
static int read_msg(int fd, struct spawn_msg *m, char *err, size_t errlen)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	size_t got = 0;
	int n;

	while (got < sizeof(*m)) {
		ssize_t r;

		n = poll(&p, 1, SPAWN_WAIT_S * 1000);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return fail(err, errlen, "poll: %s", strerror(errno));
		if (n == 0) {
			errno = ETIMEDOUT;
			return fail(err, errlen, "the server did not start "
				    "within %d s", SPAWN_WAIT_S);
		}
		r = read(fd, (char *)m + got, sizeof(*m) - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return fail(err, errlen, "read: %s", strerror(errno));
		if (r == 0) {
			errno = EIO;
			return fail(err, errlen, "the server process exited "
				    "before it listened");
		}
		got += (size_t)r;
	}
	return 0;
}

int httpd_spawn(const struct httpd_opts *o, struct httpd_proc *p, char *err,
		size_t errlen)
{
	struct spawn_msg m;
	int fds[2], rc;
	pid_t pid;

	p->pid = -1;
	p->port = 0;
	if (pipe2(fds, O_CLOEXEC))
		return fail(err, errlen, "pipe2: %s", strerror(errno));
	pid = child_fork(SIGKILL);
	if (pid < 0) {
		fail(err, errlen, "fork: %s", strerror(errno));
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (pid == 0) {
		close(fds[0]);
		child_main(o, fds[1]);
	}
	close(fds[1]);
	memset(&m, 0, sizeof(m));
	rc = read_msg(fds[0], &m, err, errlen);
	close(fds[0]);
	p->pid = pid;
	if (rc || !m.ok) {
		char why[256];
		int e = rc ? errno : EIO;

		if (!rc)
			fail(err, errlen, "%s", m.err);
		kill(pid, SIGKILL);
		httpd_reap(p, why, sizeof(why));
		errno = e;
		return -1;
	}
	p->port = m.port;
	return 0;
}

static void nap(double s)
{
	struct timespec ts = { 0, (long)(s * 1e9) };

	nanosleep(&ts, NULL);
}

int httpd_reap(struct httpd_proc *p, char *err, size_t errlen)
{
	double deadline = measure_now() + REAP_WAIT_S;
	pid_t got;
	int status;

	if (p->pid <= 0)
		return 0;
	if (kill(p->pid, SIGTERM) && errno != ESRCH)
		fprintf(stderr, "pvt: kill %d: %s\n", (int)p->pid,
			strerror(errno));
	while ((got = waitpid(p->pid, &status, WNOHANG)) == 0 ||
	       (got < 0 && errno == EINTR)) {
		if (measure_now() > deadline) {
			kill(p->pid, SIGKILL);
			while ((got = waitpid(p->pid, &status, 0)) < 0 &&
			       errno == EINTR)
				;
			break;
		}
		nap(0.002);
	}
	if (got < 0) {
		fail(err, errlen, "waitpid %d: %s", (int)p->pid,
		     strerror(errno));
		p->pid = -1;
		return -1;
	}
	p->pid = -1;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	errno = EIO;
	if (WIFEXITED(status))
		return fail(err, errlen, "the server process exited with "
			    "status %d", WEXITSTATUS(status));
	return fail(err, errlen, "the server process was killed by SIG%s",
		    sigabbrev_np(WTERMSIG(status)) ?
		    sigabbrev_np(WTERMSIG(status)) : "?");
}

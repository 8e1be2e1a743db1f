/* fetch.c - one download with libcurl, verified */
#define _POSIX_C_SOURCE 200809L
#include "net/fetch.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include <curl/curl.h>

#include "measure/sysinfo.h"

#define MAX_REDIRECTS 5

struct fetcher {
	CURL *curl;
	struct fetch_opts o;
	char errbuf[CURL_ERROR_SIZE];	/* libcurl's detail of a failure */
	/* the download in progress */
	int fd;				/* its file, or -1 */
	int write_errno;		/* why writing it failed, or 0 */
	int socket_errno;		/* why socket() failed, or 0 */
	uint64_t bytes;
	uint32_t crc;
	int has_hdr_crc;		/* X-Pvt-Checksum seen */
	uint32_t hdr_crc;
};

static const char *const cause_names[FETCH_CAUSES] = {
	[FETCH_OK] = "ok",
	[FETCH_HTTP] = "http",
	[FETCH_TIMEOUT] = "timeout",
	[FETCH_CONNECT] = "connect",
	[FETCH_LENGTH] = "length",
	[FETCH_CHECKSUM] = "checksum",
	[FETCH_URL] = "url",
	[FETCH_OTHER] = "other",
};

const char *fetch_cause_name(enum fetch_cause c)
{
	return (unsigned)c < FETCH_CAUSES ? cause_names[c] : "?";
}

/* ---- process-wide set-up ----------------------------------------------- */

int fetch_global_init(char *err, size_t errlen)
{
	CURLcode rc = curl_global_init(CURL_GLOBAL_DEFAULT);

	if (rc != CURLE_OK) {
		snprintf(err, errlen, "curl_global_init: %s",
			 curl_easy_strerror(rc));
		errno = EIO;	/* libcurl's own error */
		return -1;
	}
	return 0;
}

void fetch_global_cleanup(void)
{
	curl_global_cleanup();
}

/* ---- libcurl callbacks ------------------------------------------------- */

static int write_all(int fd, const char *p, size_t len)
{
	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static size_t on_body(char *p, size_t size, size_t n, void *arg)
{
	struct fetcher *f = arg;
	size_t len = size * n;

	f->crc = fetch_crc32(f->crc, p, len);
	f->bytes += len;
	if (f->fd >= 0 && write_all(f->fd, p, len)) {
		f->write_errno = errno;
		return 0;	/* libcurl stops: CURLE_WRITE_ERROR */
	}
	return len;
}

/* Picks X-Pvt-Checksum: crc32:HEX out of the response headers; a new
 * status line (a redirect's next response) forgets the last one. */
static size_t on_header(char *line, size_t size, size_t n, void *arg)
{
	static const char name[] = "x-pvt-checksum:";
	struct fetcher *f = arg;
	size_t total = size * n, k = sizeof(name) - 1, len, i = 0;
	const char *p;
	char val[32], *end;
	unsigned long v;

	if (total >= 5 && !strncmp(line, "HTTP/", 5))
		f->has_hdr_crc = 0;
	if (total <= k || strncasecmp(line, name, k))
		return total;
	p = line + k;
	len = total - k;
	while (len && isspace((unsigned char)*p))
		p++, len--;
	while (i < len && i < sizeof(val) - 1 &&
	       !isspace((unsigned char)p[i]))
		val[i] = p[i], i++;
	val[i] = 0;
	if (strncmp(val, "crc32:", 6) || !isxdigit((unsigned char)val[6]))
		return total;
	errno = 0;
	v = strtoul(val + 6, &end, 16);
	if (!*end && !errno && v <= 0xffffffffUL) {
		f->hdr_crc = (uint32_t)v;
		f->has_hdr_crc = 1;
	}
	return total;
}

static int on_progress(void *arg, curl_off_t dltotal, curl_off_t dlnow,
		       curl_off_t ultotal, curl_off_t ulnow)
{
	struct fetcher *f = arg;

	(void)dltotal, (void)dlnow, (void)ultotal, (void)ulnow;
	return f->o.cancel() ? 1 : 0;
}

/* The sockets open in this process's fetchers, for fetch_interrupt: a
 * slot holds fd + 1, or 0 when free. One that finds no free slot is only
 * seen by the cancel callback. */
#define MAX_SOCKETS 1024
static atomic_int open_sockets[MAX_SOCKETS];

static void socket_track(int fd, int open)
{
	for (int i = 0; i < MAX_SOCKETS; i++) {
		int v = open ? 0 : fd + 1;

		if (atomic_compare_exchange_strong(&open_sockets[i], &v,
						   open ? fd + 1 : 0))
			return;
	}
}

void fetch_interrupt(void)
{
	for (int i = 0; i < MAX_SOCKETS; i++) {
		int v = atomic_load(&open_sockets[i]);

		if (v > 0)
			shutdown(v - 1, SHUT_RDWR);
	}
}

/* CURLOPT_OPENSOCKETFUNCTION: libcurl's socket(), keeping why it failed,
 * which libcurl's message leaves out (it reads "Couldn't connect to
 * server" when the process is out of file descriptors). */
static curl_socket_t on_socket(void *arg, curlsocktype purpose,
			       struct curl_sockaddr *a)
{
	struct fetcher *f = arg;
	curl_socket_t s;

	(void)purpose;
	s = socket(a->family, a->socktype | SOCK_CLOEXEC, a->protocol);
	if (s == CURL_SOCKET_BAD)
		f->socket_errno = errno;
	else
		socket_track(s, 1);
	return s;
}

/* CURLOPT_CLOSESOCKETFUNCTION: forgets the socket before it is closed,
 * so that fetch_interrupt never shuts down a number reused since. */
static int on_close(void *arg, curl_socket_t s)
{
	(void)arg;
	socket_track(s, 0);
	return close(s);
}

/* ---- a fetcher --------------------------------------------------------- */

#define SET(opt, val) do { \
	CURLcode rc_ = curl_easy_setopt(f->curl, opt, val); \
	if (rc_ != CURLE_OK) { \
		snprintf(err, errlen, "curl_easy_setopt(%s): %s", #opt, \
			 curl_easy_strerror(rc_)); \
		goto out_cleanup; \
	} \
} while (0)

int fetch_open(struct fetcher **out, const struct fetch_opts *o, char *err,
	       size_t errlen)
{
	struct fetcher *f = calloc(1, sizeof(*f));

	if (!f) {
		snprintf(err, errlen, "calloc: %s", strerror(errno));
		return -1;
	}
	f->o = *o;
	f->fd = -1;
	f->curl = curl_easy_init();
	if (!f->curl) {
		snprintf(err, errlen, "curl_easy_init failed");
		free(f);
		errno = EIO;
		return -1;
	}
	/* threads: no alarm() around name resolution */
	SET(CURLOPT_NOSIGNAL, 1L);
	SET(CURLOPT_ERRORBUFFER, f->errbuf);
	SET(CURLOPT_WRITEFUNCTION, on_body);
	SET(CURLOPT_WRITEDATA, f);
	SET(CURLOPT_HEADERFUNCTION, on_header);
	SET(CURLOPT_HEADERDATA, f);
	SET(CURLOPT_OPENSOCKETFUNCTION, on_socket);
	SET(CURLOPT_OPENSOCKETDATA, f);
	SET(CURLOPT_CLOSESOCKETFUNCTION, on_close);
	SET(CURLOPT_CLOSESOCKETDATA, f);
	SET(CURLOPT_PROTOCOLS_STR, "http,https");
	SET(CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	SET(CURLOPT_FOLLOWLOCATION, 1L);
	SET(CURLOPT_MAXREDIRS, (long)MAX_REDIRECTS);
	SET(CURLOPT_USERAGENT, "pvt/" PVT_VERSION);
	if (o->connect_timeout_s > 0)
		SET(CURLOPT_CONNECTTIMEOUT_MS,
		    (long)(o->connect_timeout_s * 1000 + 0.5));
	if (o->timeout_s > 0)
		SET(CURLOPT_TIMEOUT_MS, (long)(o->timeout_s * 1000 + 0.5));
	if (!o->keepalive) {
		SET(CURLOPT_FRESH_CONNECT, 1L);
		SET(CURLOPT_FORBID_REUSE, 1L);
	}
	if (o->cancel) {
		SET(CURLOPT_XFERINFOFUNCTION, on_progress);
		SET(CURLOPT_XFERINFODATA, f);
		SET(CURLOPT_NOPROGRESS, 0L);
	}
	*out = f;
	return 0;
out_cleanup:
	curl_easy_cleanup(f->curl);
	free(f);
	errno = EIO;
	return -1;
}

void fetch_close(struct fetcher *f)
{
	if (!f)
		return;
	curl_easy_cleanup(f->curl);
	free(f);
}

static enum fetch_cause classify(CURLcode rc)
{
	switch (rc) {
	case CURLE_OK:
		return FETCH_OK;
	case CURLE_OPERATION_TIMEDOUT:
		return FETCH_TIMEOUT;
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_RESOLVE_PROXY:
	case CURLE_COULDNT_CONNECT:
	case CURLE_GOT_NOTHING:
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR:
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_WEIRD_SERVER_REPLY:
		return FETCH_CONNECT;
	case CURLE_PARTIAL_FILE:
		return FETCH_LENGTH;
	case CURLE_URL_MALFORMAT:
	case CURLE_UNSUPPORTED_PROTOCOL:
		return FETCH_URL;
	default:
		return FETCH_OTHER;
	}
}

static void say(struct fetch_result *res, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void say(struct fetch_result *res, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(res->msg, sizeof(res->msg), fmt, ap);
	va_end(ap);
}

/* The cause of a transfer that libcurl completed, from its body. */
static enum fetch_cause check_body(struct fetcher *f,
				   const struct fetch_want *want,
				   struct fetch_result *res)
{
	if (res->http_status < 200 || res->http_status > 299) {
		say(res, "HTTP %ld", res->http_status);
		return FETCH_HTTP;
	}
	if (want && want->has_len && f->bytes != want->len) {
		say(res, "got %llu bytes, expected %llu",
		    (unsigned long long)f->bytes,
		    (unsigned long long)want->len);
		return FETCH_LENGTH;
	}
	if (want && want->has_crc && f->crc != want->crc) {
		say(res, "checksum crc32:%08x, expected crc32:%08x", f->crc,
		    want->crc);
		return FETCH_CHECKSUM;
	}
	if ((!want || !want->has_crc) && f->has_hdr_crc &&
	    f->crc != f->hdr_crc) {
		say(res, "checksum crc32:%08x, the server says crc32:%08x",
		    f->crc, f->hdr_crc);
		return FETCH_CHECKSUM;
	}
	return FETCH_OK;
}

/* fetch_url's download: fills *res and returns its cause. */
static int download(struct fetcher *f, const char *url, const char *path,
		    const struct fetch_want *want, struct fetch_result *res)
{
	char part[4200];	/* where the body goes until it is verified */
	CURLcode rc;
	double t = 0;

	memset(res, 0, sizeof(*res));
	f->bytes = 0;
	f->crc = 0;
	f->has_hdr_crc = 0;
	f->write_errno = 0;
	f->socket_errno = 0;
	f->errbuf[0] = 0;
	f->fd = -1;
	if (path) {
		if ((size_t)snprintf(part, sizeof(part), "%s.part", path) >=
		    sizeof(part)) {
			say(res, "%s: the path is too long", path);
			return res->cause = FETCH_OTHER;
		}
		f->fd = open(part, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
			     0644);
		if (f->fd < 0) {
			say(res, "open %s: %s", part, strerror(errno));
			return res->cause = FETCH_OTHER;
		}
	}
	rc = curl_easy_setopt(f->curl, CURLOPT_URL, url);
	if (rc == CURLE_OK)
		rc = curl_easy_perform(f->curl);
	res->curl_code = (int)rc;
	res->bytes = f->bytes;
	res->crc = f->crc;
	if (curl_easy_getinfo(f->curl, CURLINFO_RESPONSE_CODE,
			      &res->http_status) != CURLE_OK)
		res->http_status = 0;
	if (curl_easy_getinfo(f->curl, CURLINFO_NUM_CONNECTS,
			      &res->connects) != CURLE_OK)
		res->connects = 0;
	if (curl_easy_getinfo(f->curl, CURLINFO_TOTAL_TIME, &t) == CURLE_OK)
		res->time_s = t;
	if (f->fd >= 0 && close(f->fd) && !f->write_errno)
		f->write_errno = errno;
	f->fd = -1;

	if (f->write_errno) {
		say(res, "write %s: %s", part, strerror(f->write_errno));
		res->cause = FETCH_OTHER;
	} else if (rc != CURLE_OK) {
		say(res, "libcurl: %s%s%s%s", f->errbuf[0] ? f->errbuf :
		    curl_easy_strerror(rc),
		    f->socket_errno ? " (socket: " : "",
		    f->socket_errno ? strerror(f->socket_errno) : "",
		    f->socket_errno ? ")" : "");
		if (rc == CURLE_ABORTED_BY_CALLBACK)
			say(res, "stopped");
		res->cause = classify(rc);
	} else {
		res->cause = check_body(f, want, res);
	}
	/* only whole, verified files stand under their name; a failed
	 * download leaves none, not even the one an earlier run kept */
	if (!path)
		return res->cause;
	/* the file an earlier run left goes first: ext4 writes a file out
	 * at once when it is renamed over another (auto_da_alloc), which
	 * would put a disk write into every timed download */
	if (res->cause == FETCH_OK && unlink(path) && errno != ENOENT) {
		say(res, "unlink %s: %s", path, strerror(errno));
		res->cause = FETCH_OTHER;
	}
	if (res->cause == FETCH_OK && rename(part, path)) {
		say(res, "rename %s: %s", part, strerror(errno));
		res->cause = FETCH_OTHER;
	}
	if (res->cause != FETCH_OK) {
		if (unlink(part) && errno != ENOENT)
			fprintf(stderr, "pvt: unlink %s: %s\n", part,
				strerror(errno));
		if (unlink(path) && errno != ENOENT)
			fprintf(stderr, "pvt: unlink %s: %s\n", path,
				strerror(errno));
	}
	return res->cause;
}

int fetch_url(struct fetcher *f, const char *url, const char *path,
	      const struct fetch_want *want, struct fetch_result *res)
{
	if (download(f, url, path, want, res) == FETCH_OK)
		return 0;
	errno = EIO;
	return -1;
}

/* fetch.h - one download with libcurl, verified
 *
 * A fetcher is one libcurl easy handle, made inside the worker that uses
 * it and reused for all of that worker's downloads, so that its connection
 * is kept alive between them (unless keepalive is off). Each download
 * streams into a file or nowhere, counts the bytes, computes their CRC-32
 * on the way, and ends with one cause: ok, or why it failed. Nothing is
 * retried and nothing is hidden.
 */
#ifndef PVT_FETCH_H
#define PVT_FETCH_H

#include <stddef.h>
#include <stdint.h>

/* Why a download failed; FETCH_OK when it did not. */
enum fetch_cause {
	FETCH_OK,
	FETCH_HTTP,		/* the server answered a status other than 2xx */
	FETCH_TIMEOUT,		/* the connect or the total timeout ran out */
	FETCH_CONNECT,		/* refused, unreachable, unresolved, dropped
				 * without an answer, reset */
	FETCH_LENGTH,		/* the body was cut short or had another length
				 * than expected */
	FETCH_CHECKSUM,		/* the body's CRC-32 was not the expected one */
	FETCH_URL,		/* a malformed URL or a scheme other than http(s) */
	FETCH_OTHER,		/* the file could not be written, the run was
				 * stopped, or libcurl failed otherwise */
	FETCH_CAUSES
};

/* "ok", "http", "timeout", "connect", "length", "checksum", "url",
 * "other". */
const char *fetch_cause_name(enum fetch_cause c);

struct fetch_opts {
	double connect_timeout_s;	/* 0: libcurl's default (300 s) */
	double timeout_s;		/* whole transfer; 0: none */
	int keepalive;			/* 0: a new connection per download */
	/* Polled during transfers: non-zero aborts the download (cause
	 * FETCH_OTHER). NULL: never. */
	int (*cancel)(void);
};

/* What one download found. Plain data: it lives in the MAP_SHARED result
 * slots that workers of every model write. */
struct fetch_result {
	int cause;		/* enum fetch_cause */
	int curl_code;		/* CURLcode of curl_easy_perform */
	long http_status;	/* the last response's status; 0: none */
	long connects;		/* new connections this download made */
	uint64_t bytes;		/* body bytes received */
	uint32_t crc;		/* CRC-32 of those bytes */
	double time_s;		/* libcurl's total time */
	char msg[160];		/* what went wrong, "" when nothing did */
};

/* What the body should be; a field that is not `has_` set is not
 * checked. Without an expected checksum, a server's X-Pvt-Checksum
 * header (pvt serve sends one) is checked when present. */
struct fetch_want {
	int has_len, has_crc;
	uint64_t len;
	uint32_t crc;
};

/* Once per process, before any worker starts (curl_global_init).
 * Returns 0, or -1 with errno EIO and the reason in err. */
int fetch_global_init(char *err, size_t errlen);
void fetch_global_cleanup(void);

struct fetcher;

/* Makes a fetcher (one easy handle) with options o. Returns 0, or -1
 * with errno set (EIO: libcurl refused) and the reason in err (nothing
 * to free then). */
int fetch_open(struct fetcher **f, const struct fetch_opts *o, char *err,
	       size_t errlen);
void fetch_close(struct fetcher *f);

/* Async-signal-safe: shuts down every socket the fetchers of this
 * process have open, so that a download blocked on the network returns
 * at once (libcurl itself looks at the cancel callback only about once a
 * second while it waits). For pvt's stop request (workers_on_stop). */
void fetch_interrupt(void);

/* Downloads url into path (created or truncated), or nowhere when path
 * is NULL, and checks it against want (NULL: nothing expected). Fills
 * *res. Returns 0 when the download is good; else -1 with errno EIO and
 * res->cause and res->msg saying why. Never follows more than 5
 * redirects. A download that fails leaves nothing at path: only whole,
 * verified files are kept. */
int fetch_url(struct fetcher *f, const char *url, const char *path,
	      const struct fetch_want *want, struct fetch_result *res);

/* CRC-32 (IEEE 802.3, as gzip, zlib and Python's zlib.crc32) of buf,
 * continuing from crc (0 to start). pvt serve publishes it for every
 * file. */
uint32_t fetch_crc32(uint32_t crc, const void *buf, size_t len);

#endif

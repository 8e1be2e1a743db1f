/* hub.c - what every open page is sent: Server-Sent Events
 *
 * One log of the runs' events, kept so that a page opened late (a second
 * tab, a reconnection) is replayed the current run from its start, and a
 * page that lags behind still gets the end of the run before; and the
 * state (what runs, what waits), sent first and whenever it changes.
 * Each page is answered by its own libmicrohttpd thread, which waits here
 * for the next event.
 */
#define _POSIX_C_SOURCE 200809L
#include "live/live.h"

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <microhttpd.h>

#define HUB_MAX_BYTES (32u << 20)	/* the log: older runs' events go
					 * first when it is full */
#define HUB_PING_S 2			/* a comment line this often keeps
					 * an idle stream open, and finds a
					 * page that has gone */
#define HELLO "retry: 2000\ndata: {\"t\":\"hello\"}\n\n"

struct msg {
	char *text;	/* "data: {...}\n\n" */
	size_t len;
};

static struct {
	pthread_mutex_t lock;
	pthread_cond_t changed;	/* an event, a state, or the end */
	struct msg *log;
	size_t n, cap, bytes;
	uint64_t first;		/* the number of log[0] */
	uint64_t run;		/* the number of the current run's first */
	char *state;		/* JSON */
	uint64_t state_version;
	int down;
	unsigned watchers;
} hub = { .lock = PTHREAD_MUTEX_INITIALIZER };

/* One open page. */
struct watcher {
	int greeted;
	uint64_t next;			/* the log entry to send next */
	uint64_t state_version;		/* the state it was sent last */
	char *buf;			/* what is being sent */
	size_t len, off;
};

int hub_init(void)
{
	pthread_condattr_t ca;
	int rc;

	if ((rc = pthread_condattr_init(&ca)))
		goto out;
	rc = pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	if (!rc)
		rc = pthread_cond_init(&hub.changed, &ca);
	pthread_condattr_destroy(&ca);
out:
	errno = rc;
	return rc ? -1 : 0;
}

/* Drops the oldest events of runs before the current one until the log
 * holds at most keep bytes. */
static void trim(size_t keep)
{
	size_t k = 0;

	while (k < hub.n && hub.first + k < hub.run && hub.bytes > keep) {
		hub.bytes -= hub.log[k].len;
		free(hub.log[k++].text);
	}
	if (!k)
		return;
	memmove(hub.log, hub.log + k, (hub.n - k) * sizeof(*hub.log));
	hub.n -= k;
	hub.first += k;
}

void hub_fini(void)
{
	hub.run = hub.first + hub.n;
	trim(0);
	free(hub.log);
	free(hub.state);
	pthread_cond_destroy(&hub.changed);
}

void hub_reset(void)
{
	pthread_mutex_lock(&hub.lock);
	hub.run = hub.first + hub.n;
	trim(HUB_MAX_BYTES / 2);
	pthread_mutex_unlock(&hub.lock);
}

/* "data: " json "\n\n", malloc'ed. */
static char *frame(const char *json, size_t len, size_t *out)
{
	char *s = malloc(len + 9);

	if (!s)
		return NULL;
	memcpy(s, "data: ", 6);
	memcpy(s + 6, json, len);
	memcpy(s + 6 + len, "\n\n", 3);
	*out = len + 8;
	return s;
}

int hub_post(const char *json, size_t len)
{
	struct msg m;
	int rc = -1;

	pthread_mutex_lock(&hub.lock);
	if (hub.bytes + len > HUB_MAX_BYTES)
		trim(HUB_MAX_BYTES - len);
	errno = ENOBUFS;	/* unless realloc or frame says otherwise */
	if (hub.bytes + len > HUB_MAX_BYTES)
		goto out;
	if (hub.n == hub.cap) {
		size_t cap = hub.cap ? 2 * hub.cap : 256;
		struct msg *log = realloc(hub.log, cap * sizeof(*log));

		if (!log)
			goto out;
		hub.log = log;
		hub.cap = cap;
	}
	m.text = frame(json, len, &m.len);
	if (!m.text)
		goto out;
	hub.log[hub.n++] = m;
	hub.bytes += m.len;
	pthread_cond_broadcast(&hub.changed);
	rc = 0;
out:
	pthread_mutex_unlock(&hub.lock);
	return rc;
}

void hub_set_state(const char *json)
{
	char *s = strdup(json);

	if (!s)
		return;		/* pages keep the state before: no harm */
	pthread_mutex_lock(&hub.lock);
	free(hub.state);
	hub.state = s;
	hub.state_version++;
	pthread_cond_broadcast(&hub.changed);
	pthread_mutex_unlock(&hub.lock);
}

void hub_shutdown(void)
{
	pthread_mutex_lock(&hub.lock);
	hub.down = 1;
	pthread_cond_broadcast(&hub.changed);
	pthread_mutex_unlock(&hub.lock);
}

/* Under the lock: puts what w is to be sent next into w->buf; 0 when
 * there is nothing yet. */
static int next_for(struct watcher *w)
{
	const char *text = NULL;
	size_t len = 0;

	if (!w->greeted) {	/* a page that opens is replayed this run */
		w->greeted = 1;
		w->next = hub.run;
		text = HELLO;
		len = strlen(HELLO);
	} else if (w->state_version != hub.state_version && hub.state) {
		w->buf = frame(hub.state, strlen(hub.state), &w->len);
		w->state_version = hub.state_version;
		return w->buf != NULL;
	} else {
		if (w->next < hub.first)	/* it lagged behind the log */
			w->next = hub.first;
		if (w->next - hub.first >= hub.n)
			return 0;
		text = hub.log[w->next - hub.first].text;
		len = hub.log[w->next - hub.first].len;
		w->next++;
	}
	w->buf = malloc(len);
	if (!w->buf)
		return 0;
	memcpy(w->buf, text, len);
	w->len = len;
	return 1;
}

static ssize_t hub_read(void *cls, uint64_t pos, char *out, size_t max)
{
	struct watcher *w = cls;
	size_t n;

	(void)pos;
	if (w->off == w->len) {
		struct timespec until;
		int rc = 0, down;

		free(w->buf);
		w->buf = NULL;
		w->len = w->off = 0;
		clock_gettime(CLOCK_MONOTONIC, &until);
		until.tv_sec += HUB_PING_S;
		pthread_mutex_lock(&hub.lock);
		while (!hub.down && !next_for(w) && rc != ETIMEDOUT)
			rc = pthread_cond_timedwait(&hub.changed, &hub.lock,
						    &until);
		down = hub.down;
		pthread_mutex_unlock(&hub.lock);
		if (!w->buf && down)
			return MHD_CONTENT_READER_END_OF_STREAM;
		if (!w->buf) {
			w->buf = strdup(": ping\n\n");
			if (!w->buf)
				return MHD_CONTENT_READER_END_WITH_ERROR;
			w->len = strlen(w->buf);
		}
	}
	n = w->len - w->off < max ? w->len - w->off : max;
	memcpy(out, w->buf + w->off, n);
	w->off += n;
	return (ssize_t)n;
}

static void hub_free_watcher(void *cls)
{
	struct watcher *w = cls;

	free(w->buf);
	free(w);
	pthread_mutex_lock(&hub.lock);
	hub.watchers--;
	pthread_mutex_unlock(&hub.lock);
}

struct MHD_Response *hub_response(void)
{
	struct MHD_Response *r;
	struct watcher *w;

	pthread_mutex_lock(&hub.lock);
	if (hub.watchers >= LIVE_MAX_WATCHERS || hub.down) {
		pthread_mutex_unlock(&hub.lock);
		errno = EBUSY;
		return NULL;
	}
	hub.watchers++;
	pthread_mutex_unlock(&hub.lock);
	w = calloc(1, sizeof(*w));
	r = w ? MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 16384,
						  hub_read, w,
						  hub_free_watcher) : NULL;
	if (!r) {
		free(w);
		pthread_mutex_lock(&hub.lock);
		hub.watchers--;
		pthread_mutex_unlock(&hub.lock);
		errno = ENOMEM;
		return NULL;
	}
	if (MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
				    "text/event-stream") != MHD_YES ||
	    MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL,
				    "no-store") != MHD_YES) {
		MHD_destroy_response(r);	/* frees w: hub_free_watcher */
		errno = ENOMEM;
		return NULL;
	}
	return r;
}

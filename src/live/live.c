/* live.c - pvt-live: the lecture page (pvt live [--port N] [--bind ADDR])
 *
 * Serves the page built into the binary (live/page.h), the claims, the
 * run queue and the events of the run in progress. Only a same-origin
 * POST with a JSON body starts or stops a run: a request must name this
 * server in Host (an address or localhost, never another name, so that a
 * name rebound to 127.0.0.1 gets nothing), and a POST must carry the
 * page's own Origin and Content-Type: application/json, which a form on
 * another site cannot send and its scripts may not without a CORS
 * permission this server never gives.
 */
#define _GNU_SOURCE
#include "live/live.h"

#include <arpa/inet.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <microhttpd.h>

#include "face/parse.h"
#include "face/registry.h"
#include "live/page.h"
#include "measure/sysinfo.h"
#include "net/httpd.h"
#include "output/events.h"

#define DEFAULT_PORT 8080
#define MAX_CONNECTIONS 64
#define IDLE_TIMEOUT_S 30
#define STACK_SIZE (256u << 10)

#define PAGE_CSP "default-src 'none'; script-src 'self'; style-src 'self'; " \
		 "img-src 'self' data:; connect-src 'self'; base-uri 'none'; " \
		 "form-action 'none'; frame-ancestors 'none'"

static struct {
	unsigned port;
	const char *bind;
	char *claims;		/* /api/claims, made once */
	size_t claims_len;
} live = { .port = DEFAULT_PORT, .bind = "127.0.0.1" };

/* A request's body, gathered over the calls of on_request. */
struct body {
	size_t len;
	int too_big;
	char buf[LIVE_BODY_MAX];
};

/* ---- answers -------------------------------------------------------------- */

static enum MHD_Result send_buffer(struct MHD_Connection *c, unsigned status,
				   const char *type, const void *data,
				   size_t len, enum MHD_ResponseMemoryMode mode)
{
	struct MHD_Response *r;
	enum MHD_Result ret;

	r = MHD_create_response_from_buffer(len, (void *)data, mode);
	if (!r)
		return MHD_NO;
	if (MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type) !=
	    MHD_YES ||
	    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff") !=
	    MHD_YES ||
	    MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL,
				    "no-store") != MHD_YES ||
	    MHD_add_response_header(r, "Referrer-Policy", "no-referrer") !=
	    MHD_YES ||
	    (!strncmp(type, "text/html", 9) &&
	     MHD_add_response_header(r, "Content-Security-Policy", PAGE_CSP)
	     != MHD_YES)) {
		MHD_destroy_response(r);
		return MHD_NO;
	}
	ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ret;
}

/* {"error": msg} with status. */
static enum MHD_Result send_error(struct MHD_Connection *c, unsigned status,
				  const char *msg)
{
	char *s = NULL;
	size_t len;
	FILE *f = open_memstream(&s, &len);

	if (!f)
		return MHD_NO;
	fputs("{\"error\":", f);
	events_put_str(f, msg);
	fputs("}\n", f);
	if (fclose(f)) {
		free(s);
		return MHD_NO;
	}
	return send_buffer(c, status, "application/json", s, len,
			   MHD_RESPMEM_MUST_FREE);
}

static enum MHD_Result send_json(struct MHD_Connection *c, unsigned status,
				 char *json)
{
	if (!json)
		return send_error(c, MHD_HTTP_INTERNAL_SERVER_ERROR,
				  "pvt: live: out of memory");
	return send_buffer(c, status, "application/json", json, strlen(json),
			   MHD_RESPMEM_MUST_FREE);
}

/* ---- who may ask ---------------------------------------------------------- */

/* Whether Host names this server: localhost or an address, with our
 * port. */
static int host_ok(const char *host)
{
	char name[INET6_ADDRSTRLEN + 3], port[8];
	unsigned char a[sizeof(struct in6_addr)];
	const char *colon;
	size_t n;

	if (!host)
		return 0;
	colon = strrchr(host, ':');
	if (!colon || (size_t)(colon - host) >= sizeof(name) ||
	    strlen(colon + 1) >= sizeof(port))
		return 0;
	n = (size_t)(colon - host);
	memcpy(name, host, n);
	name[n] = 0;
	snprintf(port, sizeof(port), "%u", live.port);
	if (strcmp(colon + 1, port))
		return 0;
	if (!strcasecmp(name, "localhost"))
		return 1;
	if (inet_pton(AF_INET, name, a) == 1)
		return 1;
	if (n > 2 && name[0] == '[' && name[n - 1] == ']') {
		name[n - 1] = 0;
		return inet_pton(AF_INET6, name + 1, a) == 1;
	}
	return 0;
}

/* Why a POST is refused, or NULL when it comes from the page itself. */
static const char *post_refusal(struct MHD_Connection *c, unsigned *status)
{
	const char *host = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
						       "Host");
	const char *origin = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
							 "Origin");
	const char *type = MHD_lookup_connection_value(
		c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
	const char *site = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
						       "Sec-Fetch-Site");
	const char *len = MHD_lookup_connection_value(
		c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);

	*status = MHD_HTTP_FORBIDDEN;
	if (!origin || strncmp(origin, "http://", 7) || strcmp(origin + 7,
							       host))
		return "pvt: live: a run is started only by the page itself "
		       "(this request's Origin is another site's, or none)";
	if (site && strcmp(site, "same-origin"))
		return "pvt: live: a run is started only by the page itself "
		       "(Sec-Fetch-Site is not same-origin)";
	*status = MHD_HTTP_UNSUPPORTED_MEDIA_TYPE;
	if (!type || strncasecmp(type, "application/json", 16) ||
	    (type[16] && type[16] != ';' && type[16] != ' '))
		return "pvt: live: a run request is JSON (Content-Type: "
		       "application/json)";
	*status = MHD_HTTP_CONTENT_TOO_LARGE;
	if (len && strtoull(len, NULL, 10) > LIVE_BODY_MAX)
		return "pvt: live: the request is over 8192 bytes";
	return NULL;
}

/* ---- the routes ------------------------------------------------------------ */

static enum MHD_Result post_run(struct MHD_Connection *c, struct body *b)
{
	char msg[1024], *s = NULL;
	unsigned id, position;
	struct job *job = malloc(sizeof(*job));

	if (!job)
		return send_error(c, MHD_HTTP_INTERNAL_SERVER_ERROR,
				  "pvt: live: out of memory");
	if (live_request_parse(b->buf, b->len, job, msg, sizeof(msg))) {
		free(job);
		return send_error(c, MHD_HTTP_BAD_REQUEST, msg);
	}
	if (runner_submit(job, &id, &position)) {
		job_free(job);
		free(job);
		snprintf(msg, sizeof(msg), "pvt: live: %d runs wait already: "
			 "wait for one to end", LIVE_QUEUE_MAX);
		return send_error(c, MHD_HTTP_TOO_MANY_REQUESTS, msg);
	}
	/* the runner owns job now: it may have ended already */
	if (asprintf(&s, "{\"id\":%u,\"position\":%u}\n", id, position) < 0)
		s = NULL;
	return send_json(c, MHD_HTTP_ACCEPTED, s);
}

static enum MHD_Result post_stop(struct MHD_Connection *c)
{
	const char *id = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND,
						     "id");
	char err[128], *s = NULL;
	uint64_t v;

	if (!id || parse_count(id, 1, UINT32_MAX, &v, err, sizeof(err)))
		return send_error(c, MHD_HTTP_BAD_REQUEST, "pvt: live: stop: "
				  "?id=N names the run to stop");
	if (runner_stop((unsigned)v))
		return send_error(c, MHD_HTTP_NOT_FOUND, "pvt: live: stop: no "
				  "such run is running or waiting");
	if (asprintf(&s, "{\"stopped\":%u}\n", (unsigned)v) < 0)
		s = NULL;
	return send_json(c, MHD_HTTP_OK, s);
}

static enum MHD_Result get(struct MHD_Connection *c, const char *url)
{
	struct MHD_Response *r;
	enum MHD_Result ret;

	if (!strcmp(url, "/api/claims"))
		return send_buffer(c, MHD_HTTP_OK, "application/json",
				   live.claims, live.claims_len,
				   MHD_RESPMEM_PERSISTENT);
	if (!strcmp(url, "/api/state"))
		return send_json(c, MHD_HTTP_OK, runner_state());
	if (!strcmp(url, "/events")) {
		r = hub_response();
		if (!r)
			return send_error(c, MHD_HTTP_SERVICE_UNAVAILABLE,
					  "pvt: live: too many pages are open");
		ret = MHD_queue_response(c, MHD_HTTP_OK, r);
		MHD_destroy_response(r);
		return ret;
	}
	for (const struct live_file *f = live_files; f->path; f++)
		if (!strcmp(url, f->path) ||
		    (!strcmp(url, "/") && !strcmp(f->path, "/index.html")))
			return send_buffer(c, MHD_HTTP_OK, f->type, f->data,
					   f->len, MHD_RESPMEM_PERSISTENT);
	return send_error(c, MHD_HTTP_NOT_FOUND, "pvt: live: no such page");
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c,
				  const char *url, const char *method,
				  const char *version, const char *upload,
				  size_t *upload_size, void **state)
{
	struct body *b = *state;
	const char *why;
	unsigned status;

	(void)cls;
	(void)version;
	if (!b) {		/* the headers: answer or gather the body */
		if (!host_ok(MHD_lookup_connection_value(c, MHD_HEADER_KIND,
							 "Host")))
			return send_error(c, MHD_HTTP_MISDIRECTED_REQUEST,
					  "pvt: live: Host must be this "
					  "server's address and port");
		if (!strcmp(method, "GET") || !strcmp(method, "HEAD"))
			return get(c, url);
		if (strcmp(method, "POST"))
			return send_error(c, MHD_HTTP_METHOD_NOT_ALLOWED,
					  "pvt: live: only GET, HEAD and "
					  "POST");
		if ((why = post_refusal(c, &status)))
			return send_error(c, status, why);
		b = malloc(sizeof(*b));
		if (!b)
			return MHD_NO;
		b->len = 0;
		b->too_big = 0;
		*state = b;
		return MHD_YES;
	}
	if (*upload_size) {
		if (*upload_size > sizeof(b->buf) - b->len)
			b->too_big = 1;
		else
			memcpy(b->buf + b->len, upload, *upload_size);
		if (!b->too_big)
			b->len += *upload_size;
		*upload_size = 0;
		return MHD_YES;
	}
	if (b->too_big)
		return send_error(c, MHD_HTTP_CONTENT_TOO_LARGE,
				  "pvt: live: the request is over 8192 bytes");
	if (!strcmp(url, "/api/run"))
		return post_run(c, b);
	if (!strcmp(url, "/api/stop"))
		return post_stop(c);
	return send_error(c, MHD_HTTP_NOT_FOUND, "pvt: live: no such action");
}

static void on_completed(void *cls, struct MHD_Connection *c, void **state,
			 enum MHD_RequestTerminationCode why)
{
	(void)cls;
	(void)c;
	(void)why;
	free(*state);
	*state = NULL;
}

/* ---- the claims ------------------------------------------------------------ */

/* Every scenario the registry holds, with what the page needs to set up
 * a run of it. */
static int make_claims(void)
{
	FILE *f = open_memstream(&live.claims, &live.claims_len);

	if (!f)
		return -1;
	fprintf(f, "{\"version\":\"%s\",\"cores\":%ld,\"budget_s\":%g,"
		"\"max_workers\":%d,\"max_counts\":%d,\"max_repeat\":%d,"
		"\"claims\":[", PVT_VERSION, sysinfo_cores(), LIVE_BUDGET_S,
		LIVE_MAX_WORKERS, LIVE_MAX_COUNTS, LIVE_MAX_REPEAT);
	for (size_t i = 0; scenario_descriptors[i]; i++) {
		const struct scenario *sc = scenario_descriptors[i];

		fputs(i ? ",{\"name\":" : "{\"name\":", f);
		events_put_str(f, sc->name);
		fputs(",\"summary\":", f);
		events_put_str(f, sc->summary);
		fputs(",\"lesson\":", f);
		events_put_str(f, sc->lesson);
		fprintf(f, ",\"speedup\":%s,\"models\":%s,\"workers\":%s,"
			"\"python\":%s,\"default_models\":",
			live_speedup_claim(sc) ? "true" : "false",
			sc->uses & USE_MODELS ? "true" : "false",
			sc->uses & USE_WORKERS ? "true" : "false",
			sc->python ? "true" : "false");
		events_put_str(f, sc->models ? sc->models : "");
		fputs(",\"default_workers\":", f);
		events_put_str(f, sc->workers ? sc->workers : "");
		fputs(",\"args\":", f);
		live_default_args(f, sc);
		fputc('}', f);
	}
	fputs("]}\n", f);
	return fclose(f) ? -1 : 0;
}

/* ---- pvt live --------------------------------------------------------------- */

static void help(void)
{
	printf("usage: pvt live [--port N] [--bind ADDR]\n"
	       "The lecture page: pick a claim, predict, run, watch.\n\n"
	       "  --port N       port to serve on (default %d; 0: any free "
	       "one)\n"
	       "  --bind ADDR    numeric address to serve on (default "
	       "127.0.0.1: this machine only)\n\n"
	       "One run at a time, each stopped after %g s; Ctrl-C stops "
	       "the server and any run.\n"
	       "exit status: 130/143 stopped by a signal, 1 could not "
	       "serve, 2 usage error\n", DEFAULT_PORT, LIVE_BUDGET_S);
}

static int parse_args(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		unsigned char a[sizeof(struct in6_addr)];
		const char *val;
		char name[32], err[256];
		uint64_t v;

		if (parse_option_word(argv[i], name, sizeof(name), &val))
			return parse_usage("live", NULL, "unexpected argument "
					   "'%s' (see pvt live --help)",
					   argv[i]);
		if (strcmp(name, "port") && strcmp(name, "bind"))
			return parse_usage("live", NULL, "unknown option "
					   "'--%s' (accepted: --port N, --bind "
					   "ADDR)", name);
		if (!val && i + 1 < argc)
			val = argv[++i];
		else if (!val)
			return parse_usage("live", name, "needs a value");
		if (!strcmp(name, "port")) {
			if (parse_count(val, 0, 65535, &v, err, sizeof(err)))
				return parse_usage("live", name, "%s", err);
			live.port = (unsigned)v;
		} else if (inet_pton(AF_INET, val, a) == 1 ||
			   inet_pton(AF_INET6, val, a) == 1) {
			live.bind = val;
		} else {
			return parse_usage("live", name, "'%s' is not a "
					   "numeric IPv4 or IPv6 address", val);
		}
	}
	return 0;
}

/* SIGINT, SIGTERM and SIGHUP, blocked in every thread (MHD's inherit the
 * mask) and read from a signalfd by the runner. Returns it, or -1. */
static int take_signals(void)
{
	sigset_t set;
	int rc, fd;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	/* an ignored signal is discarded, never read: a background job of a
	 * script starts with SIGINT ignored */
	if (signal(SIGINT, SIG_DFL) == SIG_ERR ||
	    signal(SIGTERM, SIG_DFL) == SIG_ERR ||
	    signal(SIGPIPE, SIG_IGN) == SIG_ERR) {
		fprintf(stderr, "pvt: live: signal: %s\n", strerror(errno));
		return -1;
	}
	if ((rc = pthread_sigmask(SIG_BLOCK, &set, NULL))) {
		fprintf(stderr, "pvt: live: pthread_sigmask: %s\n",
			strerror(rc));
		errno = rc;
		return -1;
	}
	fd = signalfd(-1, &set, SFD_CLOEXEC);
	if (fd < 0)
		fprintf(stderr, "pvt: live: signalfd: %s\n", strerror(errno));
	return fd;
}

int main(int argc, char **argv)
{
	char err[256];
	struct MHD_Daemon *d;
	int sigfd, lfd, sig, rc;

	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			help();
			return 0;
		}
	if ((rc = parse_args(argc, argv)))
		return rc;
	sigfd = take_signals();
	if (sigfd < 0 || runner_init())
		return 1;
	if (hub_init() || make_claims()) {
		fprintf(stderr, "pvt: live: %s\n", strerror(errno));
		return 1;
	}
	lfd = httpd_listen(live.bind, live.port, &live.port, err, sizeof(err));
	if (lfd < 0) {
		fprintf(stderr, "pvt: live: %s\n", err);
		return 1;
	}
	/* from here MHD owns lfd and closes it, whatever happens */
	d = MHD_start_daemon(MHD_USE_THREAD_PER_CONNECTION |
			     MHD_USE_POLL_INTERNAL_THREAD, 0, NULL, NULL,
			     on_request, NULL,
			     MHD_OPTION_LISTEN_SOCKET, lfd,
			     MHD_OPTION_CONNECTION_LIMIT, MAX_CONNECTIONS,
			     MHD_OPTION_CONNECTION_TIMEOUT, IDLE_TIMEOUT_S,
			     MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)32768,
			     MHD_OPTION_THREAD_STACK_SIZE, (size_t)STACK_SIZE,
			     MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
			     MHD_OPTION_END);
	if (!d) {
		fprintf(stderr, "pvt: live: MHD_start_daemon failed on %s "
			"port %u\n", live.bind, live.port);
		return 1;
	}
	printf("pvt live: http://%s%s%s:%u/  (Ctrl-C stops it and any run)\n",
	       strchr(live.bind, ':') ? "[" : "", live.bind,
	       strchr(live.bind, ':') ? "]" : "", live.port);
	if (strcmp(live.bind, "127.0.0.1") && strcmp(live.bind, "::1"))
		printf("pvt live: anyone who reaches %s can open the page and "
		       "start runs\n", live.bind);
	fflush(stdout);
	sig = runner_loop(sigfd);
	hub_shutdown();
	MHD_stop_daemon(d);
	hub_fini();
	runner_fini();
	free(live.claims);
	close(sigfd);
	if (sig > 0)
		printf("pvt live: stopped by SIG%s\n", sigabbrev_np(sig));
	return sig > 0 ? 128 + sig : 1;
}

/* serve.c - pvt-serve: `pvt serve`, the embedded HTTP file server
 * standalone; the driver runs this binary, so that only it and the
 * scenarios that download link libmicrohttpd and libcurl */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "face/parse.h"
#include "net/httpd.h"

static const struct serve_opt {
	const char *name, *arg, *help;
} serve_opts[] = {
	{ "port", "N", "TCP port; 0 picks a free one (default 8080)" },
	{ "bind", "ADDR", "numeric address to listen on (default 127.0.0.1; "
	  "0.0.0.0 for every interface)" },
	{ "files", "N", "files served as /files/0 .. /files/N-1 (default "
	  "64)" },
	{ "size", "SIZE", "bytes per file: 64KiB, 1MiB... (default 64KiB)" },
	{ "latency", "TIME", "wait before each file's response: 50ms "
	  "(default 0)" },
	{ "rate", "SIZE", "bytes/s per response: 1MiB (default 0: no "
	  "limit)" },
	{ "error-rate", "FRACTION", "files that fail: 0.1 or 10% (default "
	  "0)" },
	{ "error-kinds", "LIST", "how they fail, in turn: 500, drop, stall, "
	  "truncate, corrupt (default 500,drop,stall)" },
	{ "seed", "N", "what the content follows from (default 1)" },
	{ "max-connections", "N", "connections served at once (default "
	  "1024)" },
	{ "request-timeout", "TIME", "time to send a request's headers, "
	  "from connecting or the last answer (default 10s)" },
	{ NULL, NULL, NULL },
};

static void serve_help(void)
{
	printf("usage: pvt serve [options]\n"
	       "The embedded HTTP file server, standalone: deterministic "
	       "files with a\nchosen latency, rate and error rate. "
	       "Ctrl-C or SIGTERM stops it.\n\noptions:\n");
	for (const struct serve_opt *s = serve_opts; s->name; s++) {
		char left[64];

		snprintf(left, sizeof(left), "--%s %s", s->name, s->arg);
		printf("  %-24s %s\n", left, s->help);
	}
	printf("\npaths: / (index), /files/N, /checksums; /files/N?fault=KIND "
	       "forces a fault\n"
	       "exit status: 0 stopped, 1 could not serve, 2 usage error\n");
}

/* --error-kinds: a list of faults into a mask of 1 << HTTPD_FAULT_*. */
static int serve_faults(const char *s, unsigned *mask, char *err,
			size_t errlen)
{
	unsigned idx[HTTPD_FAULTS];
	size_t n;

	if (parse_choices(s, HTTPD_FAULT_CHOICES, "fault", idx, &n, err,
			  errlen))
		return -1;
	*mask = 0;
	for (size_t i = 0; i < n; i++)
		*mask |= 1u << idx[i];
	return 0;
}

/* One line naming the option; returns 2. */
#define serve_usage(opt, ...) parse_usage("serve", opt, __VA_ARGS__)

/* Applies --name val to o. Returns 0, or 2 after a usage line. */
static int serve_apply(struct httpd_opts *o, const char *name,
		       const char *val)
{
	char err[256];
	uint64_t v;
	int rc = 0;

	if (!strcmp(name, "port")) {
		rc = parse_count(val, 0, 65535, &v, err, sizeof(err));
		o->port = (unsigned)v;
	} else if (!strcmp(name, "bind")) {
		unsigned char a[sizeof(struct in6_addr)];

		if (inet_pton(AF_INET, val, a) != 1 &&
		    inet_pton(AF_INET6, val, a) != 1)
			return serve_usage(name, "'%s' is not a numeric IPv4 "
					   "or IPv6 address", val);
		o->bind = val;
	} else if (!strcmp(name, "files")) {
		rc = parse_count(val, 1, 1000000, &o->files, err, sizeof(err));
	} else if (!strcmp(name, "size")) {
		rc = parse_size(val, 1, 1ULL << 40, &o->size, err, sizeof(err));
	} else if (!strcmp(name, "latency")) {
		rc = parse_duration(val, 0, 3600, &o->latency_s, err,
				    sizeof(err));
	} else if (!strcmp(name, "rate")) {
		rc = parse_size(val, 0, 1ULL << 40, &o->rate, err, sizeof(err));
	} else if (!strcmp(name, "error-rate")) {
		rc = parse_fraction(val, &o->error_rate, err, sizeof(err));
	} else if (!strcmp(name, "error-kinds")) {
		rc = serve_faults(val, &o->faults, err, sizeof(err));
	} else if (!strcmp(name, "seed")) {
		rc = parse_count(val, 0, UINT64_MAX, &o->seed, err,
				 sizeof(err));
	} else if (!strcmp(name, "max-connections")) {
		rc = parse_count(val, 1, 65536, &v, err, sizeof(err));
		o->max_conns = (unsigned)v;
	} else if (!strcmp(name, "request-timeout")) {
		rc = parse_duration(val, 0.001, 3600, &o->request_timeout_s,
				    err, sizeof(err));
	}
	return rc ? serve_usage(name, "%s", err) : 0;
}

static int serve_parse(int argc, char **argv, struct httpd_opts *o)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *val;
		const struct serve_opt *s;
		char name[64];

		if (parse_option_word(a, name, sizeof(name), &val))
			return serve_usage(NULL, "unexpected argument '%s' "
					   "(see pvt serve --help)", a);
		for (s = serve_opts; s->name && strcmp(s->name, name); s++)
			;
		if (!s->name)
			return serve_usage(NULL, "unknown option '--%s' (see "
					   "pvt serve --help)", name);
		if (!val && i + 1 < argc)
			val = argv[++i];
		else if (!val)
			return serve_usage(name, "needs a value (see pvt serve "
					   "--help)");
		if (serve_apply(o, name, val))
			return 2;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct httpd_opts o;
	struct httpd *h;
	uint64_t requests, faults;
	char err[256];
	const char *lb = "", *rb = "";
	sigset_t set;
	int sig, rc;

	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			serve_help();
			return 0;
		}
	httpd_defaults(&o);
	o.port = 8080;
	if ((rc = serve_parse(argc, argv, &o)))
		return rc;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	/* An ignored signal is discarded, never seen by sigwait: a
	 * background job of a script starts with SIGINT ignored. */
	if (signal(SIGINT, SIG_DFL) == SIG_ERR ||
	    signal(SIGTERM, SIG_DFL) == SIG_ERR) {
		fprintf(stderr, "pvt: serve: signal: %s\n", strerror(errno));
		return 1;
	}
	/* blocked before MHD's threads exist, so that only sigwait sees
	 * them */
	if ((rc = pthread_sigmask(SIG_BLOCK, &set, NULL))) {
		fprintf(stderr, "pvt: serve: pthread_sigmask: %s\n",
			strerror(rc));
		return 1;
	}
	if (signal(SIGPIPE, SIG_IGN) == SIG_ERR) {
		fprintf(stderr, "pvt: serve: signal: %s\n", strerror(errno));
		return 1;
	}
	httpd_raise_nofile(o.max_conns);
	if (httpd_start(&o, &h, err, sizeof(err))) {
		fprintf(stderr, "pvt: serve: %s\n", err);
		return 1;
	}
	if (strchr(o.bind, ':'))
		lb = "[", rb = "]";
	printf("http://%s%s%s:%u/\n  ", lb, o.bind, rb, httpd_port(h));
	httpd_describe(&o, stdout);
	printf("\n  paths: / (index), /checksums, /files/0 .. /files/%" PRIu64
	       "; Ctrl-C stops the server\n", o.files - 1);
	fflush(stdout);
	while ((rc = sigwait(&set, &sig)))
		if (rc != EINTR) {
			fprintf(stderr, "pvt: serve: sigwait: %s\n",
				strerror(rc));
			break;
		}
	httpd_counts(h, &requests, &faults);
	httpd_stop(h);
	printf("pvt serve: stopped by SIG%s after %" PRIu64 " request(s), %"
	       PRIu64 " with an injected fault\n",
	       rc ? "?" : sigabbrev_np(sig), requests, faults);
	return 0;
}

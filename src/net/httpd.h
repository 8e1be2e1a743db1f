/* httpd.h - the embedded loopback HTTP file server (libmicrohttpd)
 *
 * Serves `files` deterministic files: every byte of file i follows from
 * (seed, i) alone, so any client can check what it got, and each file's
 * response carries its CRC-32 (X-Pvt-Checksum: crc32:HEX). Responses can
 * be held back (latency), paced (rate) or made to fail (error rate), to
 * model a slow or unreliable server on the loopback interface.
 *
 *   /             an HTML index of the files and the settings
 *   /files/N      file N, 0 <= N < files; ?fault=KIND forces a fault
 *   /checksums    one line per file: crc32:HEX SIZE files/N
 *
 * A server that waits (latency, rate or error rate) runs one thread per
 * connection (MHD_USE_THREAD_PER_CONNECTION): a response that waits, is
 * paced or stalls just sleeps in its own thread, in ppoll() on the
 * client's socket and the server's stop pipe, so it holds up no other
 * connection, costs no CPU while it waits, and notices at once when the
 * client gives up or the server stops. Threads that sleep are what this
 * tool teaches; a suspend/resume design would need a timer queue for the
 * same effect. A server that never waits (none of the three) is pooled:
 * a thread per core, each serving many connections through epoll, as a
 * production server is built; its only wait, a forced ?fault=stall,
 * suspends the connection until the client hangs up (the watchdog
 * resumes it). Files up to 64 MiB in all are made once, at start, and
 * answered from memory.
 *
 * Connections are what a hostile client aims at, so none holds one for
 * long: a client must send a whole request's
 * headers within request_timeout_s of connecting or of its previous
 * answer (a watchdog thread cuts it off, however it trickles bytes in),
 * one that stops reading its answer is closed after 60 s without
 * progress, headers are bounded by MHD's 32 KiB per connection, a
 * request with a body is answered at once without reading the body,
 * and at most max_conns connections are served at once (more are
 * closed as they arrive).
 */
#ifndef PVT_HTTPD_H
#define PVT_HTTPD_H

#include <stdbool.h>
#include <stdio.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* The faults --error-rate injects, in the order they take turns. */
enum httpd_fault {
	HTTPD_FAULT_500,	/* 500 Internal Server Error */
	HTTPD_FAULT_DROP,	/* the connection closed without an answer */
	HTTPD_FAULT_STALL,	/* no answer at all until the client gives up */
	HTTPD_FAULT_TRUNCATE,	/* the full length announced, half sent */
	HTTPD_FAULT_CORRUPT,	/* the full length sent, one byte changed */
	HTTPD_FAULTS
};

/* Their names, in the order above, for parse_choices: --error-kinds. */
#define HTTPD_FAULT_CHOICES "500|drop|stall|truncate|corrupt"

#define HTTPD_FAULTS_DEFAULT ((1u << HTTPD_FAULT_500) | \
			      (1u << HTTPD_FAULT_DROP) | \
			      (1u << HTTPD_FAULT_STALL))

struct httpd_opts {
	const char *bind;	/* numeric IPv4 or IPv6 address */
	unsigned port;		/* 0: a free one */
	uint64_t files;		/* /files/0 .. /files/files-1, at least 1 */
	uint64_t size;		/* bytes per file */
	uint64_t seed;		/* what the content follows from */
	double latency_s;	/* before each /files/ response */
	uint64_t rate;		/* bytes/s per response; 0: no limit */
	double error_rate;	/* fraction of the files that fail, 0..1 */
	unsigned faults;	/* 1 << HTTPD_FAULT_*: the kinds that take
				 * turns; 0: HTTPD_FAULTS_DEFAULT */
	unsigned max_conns;	/* 0: 1024 */
	double request_timeout_s;	/* a client has this long to send a
					 * request's headers, from its
					 * connection or its previous answer;
					 * then it is cut off. 0: 10 s */
};

/* 127.0.0.1, port 0, 64 files of 64 KiB, seed 1, no latency, no limit,
 * no errors, 1024 connections, 10 s for a request's headers. */
void httpd_defaults(struct httpd_opts *o);

/* "500", "drop", "stall", "truncate", "corrupt". */
const char *httpd_fault_name(enum httpd_fault f);

/* The fault file `file` answers with, or -1 for none. Deterministic:
 * file i fails when floor((i+1) x rate) > floor(i x rate), so exactly
 * round(files x rate) files fail, evenly spread, the same ones every
 * time; the k-th failing file takes the k-th enabled kind in turn. */
int httpd_file_fault(const struct httpd_opts *o, uint64_t file);

/* What a request asks for, from its method, path and ?fault= alone. */
enum httpd_page {
	HTTPD_PAGE_INDEX,	/* /: 200 */
	HTTPD_PAGE_CHECKSUMS,	/* /checksums: 200 */
	HTTPD_PAGE_FILE,	/* /files/N, N digits only and below files */
	HTTPD_PAGE_NO_FILE,	/* any other /files/...: 404 after the
				 * latency */
	HTTPD_PAGE_BAD_FAULT,	/* /files/...?fault=KIND, no such KIND: 400 */
	HTTPD_PAGE_NOT_FOUND,	/* any other path: 404 */
	HTTPD_PAGE_BAD_METHOD,	/* neither GET nor HEAD: 405 */
	HTTPD_PAGE_BAD_BODY,	/* a GET or HEAD with a body: 400 */
};

struct httpd_route {
	enum httpd_page page;
	unsigned status;	/* what the client is answered: 200, 400,
				 * 404, 405, 500 (a file's 500 fault), or 0
				 * for none (a dropped or stalled file) */
	uint64_t file;		/* HTTPD_PAGE_FILE: below o->files; else 0 */
	int fault;		/* HTTPD_PAGE_FILE: its enum httpd_fault, or
				 * -1; else -1 */
};

/* Routes a request: its method as sent, its path percent-decoded and
 * without the query, the value of its ?fault= (NULL: none), and whether
 * it announces a body. Pure: no socket, and no file system, since every
 * file is computed, never read from a disk. Never fails: what it does
 * not know is a 4xx. */
void httpd_route(const struct httpd_opts *o, const char *method,
		 const char *path, const char *fault, bool body,
		 struct httpd_route *r);

/* Bytes pos .. pos+len-1 of file `file`. */
void httpd_content(uint64_t seed, uint64_t file, uint64_t pos, void *buf,
		   size_t len);

/* CRC-32 (fetch_crc32) of a whole file of `size` bytes. */
uint32_t httpd_file_crc(uint64_t seed, uint64_t file, uint64_t size);

/* ---- a server in this process (its threads) ---------------------------- */

struct httpd;

/* Starts serving. Returns 0, or -1 with errno set and the reason in err
 * (nothing is left running then). */
int httpd_start(const struct httpd_opts *o, struct httpd **h, char *err,
		size_t errlen);

/* The port it listens on. */
unsigned httpd_port(const struct httpd *h);

/* A listening TCP socket (non-blocking, close-on-exec) on addr, a numeric
 * IPv4 or IPv6 address, and port (0: any free one). Returns it with the
 * port it got in *bound, or -1 with errno set and the reason in err. */
int httpd_listen(const char *addr, unsigned port, unsigned *bound,
		 char *err, size_t errlen);

/* Requests answered so far, and faults injected among them. */
void httpd_counts(const struct httpd *h, uint64_t *requests,
		  uint64_t *faults);

/* Wakes every waiting response, closes every connection, joins every
 * thread, frees h. NULL is ignored. */
void httpd_stop(struct httpd *h);

/* ---- a server in a process of its own ----------------------------------- */

/* So that its CPU time is never charged to a model that is measured. */
struct httpd_proc {
	pid_t pid;		/* -1: none */
	unsigned port;
};

/* Forks a child that serves o until it gets SIGTERM; it ignores SIGINT
 * (whoever spawned it stops it) and dies with its parent
 * (PR_SET_PDEATHSIG). Returns 0 once the child listens, with its port in
 * p; or -1 with errno set (EIO: the child could not serve; ETIMEDOUT:
 * it did not start in time) and the reason in err, and no child left. */
int httpd_spawn(const struct httpd_opts *o, struct httpd_proc *p, char *err,
		size_t errlen);

/* Stops the child of httpd_spawn (SIGTERM, then SIGKILL after 5 s) and
 * reaps it; p->pid becomes -1. Returns 0 when it stopped cleanly, or -1
 * with errno set (EIO: it exited with a status or was killed) and what
 * happened in err. Does nothing and returns 0 when there is no child. */
int httpd_reap(struct httpd_proc *p, char *err, size_t errlen);

/* What o serves, in one line without a newline: files, latency, rate,
 * error rate and faults. */
void httpd_describe(const struct httpd_opts *o, FILE *f);

/* Room for conns connections: raises the soft limit of open files up to
 * the hard one (a failure is said on stderr; the server then serves
 * fewer). */
void httpd_raise_nofile(unsigned conns);

#endif

/* live.h - pvt live: the lecture page, its server and its runner
 *
 * pvt-live serves one page (built into the binary) on 127.0.0.1. A run
 * request from the page is parsed by the scenario's own option parser,
 * queued, and run, one at a time, as the scenario's binary in a process
 * group of its own, with a budget of LIVE_BUDGET_S. What the run reports
 * on its events pipe (output/events.h) goes to every open page as
 * Server-Sent Events, then the run's figures and verdicts.
 *
 * Threads: libmicrohttpd answers each connection in a thread of its own;
 * the main thread alone starts, stops and reaps runs and takes signals.
 */
#ifndef PVT_LIVE_H
#define PVT_LIVE_H

#include <stddef.h>
#include <stdio.h>

#include "face/scenario.h"

#define LIVE_BUDGET_S 20.0	/* a run is stopped after this */
#define LIVE_STOP_GRACE_S 2.0	/* SIGTERM to SIGKILL */
#define LIVE_QUEUE_MAX 8	/* runs waiting, beside the one running */
#define LIVE_MAX_ARGS 32	/* option words in a run request */
#define LIVE_ARG_MAX 256	/* bytes in one of them */
#define LIVE_BODY_MAX 8192	/* bytes in a request body */
#define LIVE_MAX_WORKERS 16	/* in class, workers per configuration */
#define LIVE_MAX_COUNTS 8	/* worker counts in one run */
#define LIVE_MAX_REPEAT 10
#define LIVE_MAX_WATCHERS 32	/* pages open at once */

/* One run asked for by the page. */
struct job {
	unsigned id;
	const struct scenario *sc;
	int argc;			/* option words */
	char *argv[LIVE_MAX_ARGS + 1];	/* each malloc'ed, NULL-terminated */
	char model[16];			/* the question: speedup of model... */
	unsigned workers;		/* ...at this many workers; "" and 0
					 * when the claim has no speedup */
	char prediction[32];		/* as typed: "1.8", "holds"; or "" */
	int stop;			/* Stop was pressed */
};

/* ---- request.c: a run request, checked as the command line is ---------- */

/* The scenario called name, or NULL. */
const struct scenario *live_scenario(const char *name);

/* Whether the scenario's figure is a speedup (a sweep of models and
 * worker counts); otherwise the page predicts its verdict. */
int live_speedup_claim(const struct scenario *sc);

/* Parses a run request, a JSON object:
 *   {"scenario": "square", "args": ["--models", "thread,gil", ...],
 *    "model": "thread", "workers": 2, "prediction": "1.8"}
 * (model, workers and prediction may be left out). The args go through
 * the scenario's option parser (cli_parse) and the class limits above.
 * Returns 0 with *job filled (free it with job_free), or -1 with errno
 * EINVAL (ENOMEM when out of memory), the one line a terminal would show
 * in msg and nothing to free: the page is answered 400. */
int live_request_parse(const char *body, size_t len, struct job *job,
		       char *msg, size_t msglen);
void job_free(struct job *job);

/* Writes the job as a JSON object (id, scenario, args, question). */
void job_json(FILE *f, const struct job *job);

/* The option words a page starts from for sc: its .live options (or its
 * suite --quick ones), and, when it takes them, --models without the py-*
 * ones. */
void live_default_args(FILE *f, const struct scenario *sc);

/* ---- hub.c: what every open page is sent --------------------------------- */

/* Returns 0, or -1 with errno set. */
int hub_init(void);
/* Frees what hub_init made; call it after the server has stopped. */
void hub_fini(void);

/* A new run begins: pages that open from now on are replayed from here
 * (pages open already still get what they have not yet been sent). */
void hub_reset(void);

/* Sends one event (a JSON object on one line, no newline) to every page
 * and keeps it for pages that open later. Returns 0, or -1 with errno
 * set (ENOBUFS: the log is full; the event is dropped). */
int hub_post(const char *json, size_t len);

/* Replaces the state (the queue) that every page is sent first and
 * whenever it changes. */
void hub_set_state(const char *json);

/* Ends every page's stream: the server is stopping. */
void hub_shutdown(void);

/* The Server-Sent Events response for a page that opens /events, or
 * NULL with errno EBUSY when LIVE_MAX_WATCHERS are open already (or the
 * server stops), ENOMEM when memory is short. */
struct MHD_Response;
struct MHD_Response *hub_response(void);

/* ---- runner.c: one run at a time ----------------------------------------- */

/* Returns 0, or -1 with errno set and the reason on stderr. The scenario
 * binaries are found by paths_program (where pvt's programs are). */
int runner_init(void);

/* Queues job. Returns 0 with its id and its place in the queue
 * (0: it runs now); the runner owns job from then on (it may have ended
 * by the time this returns). Returns -1 with errno EAGAIN when the queue
 * is full; job is still the caller's. */
int runner_submit(struct job *job, unsigned *id, unsigned *position);

/* Stops the run with this id, or takes it out of the queue. Returns 0,
 * or -1 with errno ESRCH when no such run is running or waiting. */
int runner_stop(unsigned id);

/* The state as JSON, malloc'ed: what runs, what waits. */
char *runner_state(void);

/* Runs the queue until one of the signals of sigfd (a signalfd) comes;
 * then stops the run, reaps every process of it and returns the signal.
 * Returns -1 with errno set when it cannot go on (the reason is on
 * stderr). */
int runner_loop(int sigfd);

/* Frees what is left in the queue. */
void runner_fini(void);

#endif

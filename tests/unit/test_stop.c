/* test_stop.c - a stop request ends every run at once, and nothing a
 * killed worker held can hang pvt
 *
 * Each case that could hang runs in a child of its own, given a few
 * seconds: a case that does not end in time fails as "hung" instead of
 * hanging the test. workers_stop() is for the rest of a process's life,
 * which is one more reason for a child per case.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "engine/chan.h"
#include "engine/lock.h"
#include "engine/shm.h"
#include "engine/workers.h"
#include "face/scenario.h"

#define CASE_LIMIT_S 10

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* Runs fn in a child; returns its exit status, 128 + the signal that
 * killed it, or -1 when it ran past CASE_LIMIT_S (it is killed). */
static int in_child(int (*fn)(void))
{
	double until = now() + CASE_LIMIT_S;
	int status;
	pid_t pid, got;

	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return -2;
	if (pid == 0)
		_exit(fn());
	while ((got = waitpid(pid, &status, WNOHANG)) == 0 && now() < until)
		usleep(10000);
	if (got == 0) {
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		return -1;
	}
	return WIFEXITED(status) ? WEXITSTATUS(status) :
	       128 + WTERMSIG(status);
}

/* ---- a scenario whose defaults are wrong: refused, never a crash ------- */

static int never_run(const struct config *cfg)
{
	(void)cfg;
	return 0;
}

static const struct param some_params[] = {
	{ "nap", PARAM_DURATION, "1ms", 0, 10, NULL, "a nap" },
	{ "seed", PARAM_COUNT, "1", 0, 100, NULL, "a seed" },
	{ NULL, 0, NULL, 0, 0, NULL, NULL },
};

static const struct param bad_param[] = {
	{ "seed", PARAM_COUNT, "1", 0, 100, NULL, "a seed" },
	{ "nap", PARAM_DURATION, "forever", 0, 10, NULL, "a bad default" },
	{ NULL, 0, NULL, 0, 0, NULL, NULL },
};

static struct scenario bad = {
	.name = "bad-default",
	.summary = "a descriptor with a wrong default",
	.lesson = "none",
	.method = "none",
	.uses = USE_SWEEP,
	.models = "process,thread",
	.workers = "1,2",
	.tasks = 1,
	.size = 1,
	.params = some_params,
	.run = never_run,
};

static int run_bad(void)
{
	char *argv[] = { "bad-default", "--quiet", NULL };

	return cli_run(&bad, 2, argv, 0);
}

static void test_bad_defaults(void)
{
	bad.models = "fibers";		/* before the parameters are parsed */
	CHECK(in_child(run_bad) == 2);
	bad.models = "process,thread";
	bad.workers = "0";
	CHECK(in_child(run_bad) == 2);
	bad.workers = "1,2";
	bad.params = bad_param;		/* the second parameter's default */
	CHECK(in_child(run_bad) == 2);
	bad.params = some_params;
}

/* ---- workers killed at the start gate ---------------------------------- */

struct gate_ctx {
	_Atomic unsigned *arrived;	/* in MAP_SHARED memory */
	unsigned workers;
};

static int nap_task(const void *ctx, void *local, size_t t, void *result)
{
	(void)ctx, (void)local, (void)t, (void)result;
	return worker_sleep(30);
}

/* The last worker to set itself up asks pvt to stop while the others
 * wait at the gate: they are killed there. */
static int stop_at_gate(const void *ctx, void **local)
{
	const struct gate_ctx *c = ctx;

	*local = NULL;
	if (atomic_fetch_add(c->arrived, 1) + 1 == c->workers)
		kill(getppid(), SIGUSR1);
	return 0;
}

static void on_usr1(int sig)
{
	(void)sig;
	workers_stop();
}

static int gate_case(void)
{
	struct gate_ctx c = { .workers = 6 };
	struct run_spec spec = {
		.model = MODEL_PROCESS, .workers = c.workers, .tasks = 12,
		.fn = nap_task, .ctx = &c, .local_init = stop_at_gate,
	};
	struct sigaction sa = { .sa_handler = on_usr1 };
	struct run_stats st;
	struct results r;
	double t0;
	int rc;

	c.arrived = shm_alloc(sizeof(*c.arrived));
	if (!c.arrived || results_create(&r, spec.tasks, 8) ||
	    sigaction(SIGUSR1, &sa, NULL))
		return 10;
	t0 = now();
	rc = workers_run(&spec, &r, &st);
	if (rc != -1 || !st.interrupted || st.done)
		return 11;
	return now() - t0 < 2 ? 0 : 12;
}

/* ---- several runs alive at once: a stop ends all of them --------------- */

static int several_case(void)
{
	struct run_spec spec = {
		.model = MODEL_PROCESS, .workers = 2, .tasks = 4,
		.fn = nap_task,
	};
	struct run_stats st[3];
	struct workers *w[3];
	struct results r[3];
	double t0;

	for (int i = 0; i < 3; i++) {
		spec.model = i == 2 ? MODEL_THREAD : MODEL_PROCESS;
		if (results_create(&r[i], spec.tasks, 8) ||
		    workers_start(&spec, &r[i], &w[i], &st[i]))
			return 10;
	}
	usleep(100000);		/* every worker is in its task */
	t0 = now();
	workers_stop();
	for (int i = 0; i < 3; i++)
		if (workers_wait(w[i], &st[i]) != -1 || !st[i].interrupted ||
		    st[i].lost != spec.tasks)
			return 11 + i;
	return now() - t0 < 1 ? 0 : 20;
}

/* ---- a thread, gil or sequential task notices the stop ------------------ */

static enum model spin_model;

static int spin_task(const void *ctx, void *local, size_t t, void *result)
{
	(void)ctx, (void)local, (void)t, (void)result;
	for (;;)		/* computes for ever, but checks */
		if (worker_checkpoint())
			return WORKER_STOPPED;
}

static void *stop_later(void *arg)
{
	(void)arg;
	usleep(200000);
	workers_stop();
	return NULL;
}

static int spin_case(void)
{
	struct run_spec spec = {
		.model = spin_model, .workers = 2, .tasks = 4, .fn = spin_task,
	};
	struct run_stats st;
	struct results r;
	pthread_t t;
	double t0 = now();

	if (results_create(&r, spec.tasks, 8) ||
	    pthread_create(&t, NULL, stop_later, NULL))
		return 10;
	if (workers_run(&spec, &r, &st) != -1 || !st.interrupted ||
	    st.done || st.failed)
		return 11;
	pthread_join(t, NULL);
	return now() - t0 < 1.2 ? 0 : 12;
}

/* ---- SIGINT and SIGTERM never reach an engine thread -------------------- */

static int mask_task(const void *ctx, void *local, size_t t, void *result)
{
	sigset_t set;

	(void)ctx, (void)local, (void)t;
	pthread_sigmask(SIG_SETMASK, NULL, &set);
	*(int *)result = sigismember(&set, SIGINT) == 1 &&
			 sigismember(&set, SIGTERM) == 1;
	return 0;
}

static void test_masks(void)
{
	struct run_spec spec = {
		.model = MODEL_THREAD, .workers = 2, .tasks = 4,
		.fn = mask_task,
	};
	struct run_stats st;
	struct results r;
	int all = 1;

	CHECK(results_create(&r, spec.tasks, sizeof(int)) == 0);
	for (int m = MODEL_THREAD; m <= MODEL_GIL; m++) {
		spec.model = (enum model)m;
		CHECK(workers_run(&spec, &r, &st) == 0);
		for (size_t i = 0; i < spec.tasks; i++)
			all &= *(int *)results_at(&r, i);
	}
	CHECK(all);
	results_destroy(&r);
}

/* ---- shared locks and rings whose holder or waiter was killed ----------- */

static int lock_case(void)
{
	struct lock *l = shm_alloc(sizeof(*l));
	pid_t pid;

	if (!l || lock_init(l, true))
		return 10;
	pid = fork();
	if (pid == 0) {
		lock_acquire(l);
		_exit(0);	/* dies holding it */
	}
	if (pid < 0 || waitpid(pid, NULL, 0) != pid)
		return 11;
	if (lock_acquire(l) || lock_release(l))
		return 12;
	lock_destroy(l);
	return 0;
}

static int ring_case(void)
{
	struct chan *c;
	char buf[16];
	pid_t pid;

	if (chan_create(CHAN_SHM_RING, 4096, &c))
		return 10;
	pid = fork();
	if (pid == 0)
		_exit(chan_recv(c, buf, sizeof(buf)) ? 1 : 0);
	if (pid < 0)
		return 11;
	usleep(100000);		/* waiting on the ring's condition */
	kill(pid, SIGKILL);
	if (waitpid(pid, NULL, 0) != pid)
		return 12;
	if (chan_send(c, "hello", 5))	/* the lock is still sound */
		return 13;
	chan_destroy(c);	/* and this returns */
	return 0;
}

int main(void)
{
	test_bad_defaults();
	CHECK(in_child(gate_case) == 0);
	CHECK(in_child(several_case) == 0);
	for (int m = MODEL_SEQUENTIAL; m <= MODEL_GIL; m++) {
		if (m == MODEL_PROCESS)
			continue;
		spin_model = (enum model)m;
		CHECK(in_child(spin_case) == 0);
	}
	test_masks();
	CHECK(in_child(lock_case) == 0);
	CHECK(in_child(ring_case) == 0);
	return CHECK_DONE();
}

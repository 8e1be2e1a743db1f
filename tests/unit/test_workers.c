/* test_workers.c - the engine under every model, and its failures */
#define _GNU_SOURCE	/* sched_getaffinity */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "engine/workers.h"

enum behaviour { GOOD, FAIL_TASK, KILL_TASK, EXIT_TASK };

struct ctx {
	enum behaviour how;
	size_t bad_task;
	double nap_s;
};

struct res {
	unsigned long long square;
	pid_t pid;
};

static int task(const void *ctx, void *local, size_t t, void *result)
{
	const struct ctx *c = ctx;
	struct res *r = result;

	if (local)
		(*(int *)local)++;
	if (c->nap_s > 0) {
		struct timespec ts = { 0, (long)(c->nap_s * 1e9) };

		worker_io_begin();
		nanosleep(&ts, NULL);
		worker_io_end();
	}
	worker_checkpoint();
	if (t == c->bad_task) {
		if (c->how == FAIL_TASK)
			return 42;
		if (c->how == KILL_TASK)
			raise(SIGKILL);
		if (c->how == EXIT_TASK)
			_exit(7);
	}
	r->square = (unsigned long long)t * t;
	r->pid = getpid();
	return 0;
}

static atomic_int locals_made;	/* bumped by worker threads */

static int local_init(const void *ctx, void **local)
{
	(void)ctx;
	*local = calloc(1, sizeof(int));
	return *local ? 0 : -1;
}

static void local_fini(const void *ctx, void *local)
{
	(void)ctx;
	locals_made += *(int *)local > 0;
	free(local);
}

static int no_children(void)
{
	return waitpid(-1, NULL, WNOHANG) == -1 && errno == ECHILD;
}

static int run(enum model m, unsigned w, size_t n, const struct ctx *c,
	       struct results *r, struct run_stats *st)
{
	struct run_spec spec = {
		.model = m, .workers = w, .tasks = n, .fn = task, .ctx = c,
		.local_init = local_init, .local_fini = local_fini,
	};

	CHECK(results_create(r, n, sizeof(struct res)) == 0);
	return workers_run(&spec, r, st);
}

/* Every task ran exactly once, by a worker in range, inside the run,
 * and a worker's tasks never overlap in time. */
static int consistent(const struct results *r, unsigned w, double wall)
{
	for (size_t t = 0; t < r->tasks; t++) {
		const struct task_log *a = results_log(r, t);
		const struct res *x = results_at(r, t);

		if (atomic_load(&a->state) != TASK_DONE ||
		    x->square != (unsigned long long)t * t || a->worker < 0 ||
		    (unsigned)a->worker >= w || a->start_s < 0 ||
		    a->end_s < a->start_s || a->end_s > wall)
			return 0;
		for (size_t u = 0; u < t; u++) {
			const struct task_log *b = results_log(r, u);

			if (b->worker == a->worker && a->start_s < b->end_s &&
			    b->start_s < a->end_s)
				return 0;
		}
	}
	return 1;
}

int main(void)
{
	struct ctx good = { .how = GOOD, .bad_task = (size_t)-1 };
	struct run_stats st;
	struct results r;

	for (enum model m = 0; m < MODEL_ENGINE_COUNT; m++) {
		unsigned w = m == MODEL_SEQUENTIAL ? 1 : 3;

		locals_made = 0;
		CHECK(run(m, w, 100, &good, &r, &st) == 0);
		CHECK(st.done == 100 && st.failed == 0 && st.lost == 0);
		CHECK(st.dead_workers == 0 && st.why[0] == 0);
		CHECK(st.wall_s > 0 && st.user_s >= 0 && st.max_rss_kib > 0);
		CHECK(consistent(&r, w, st.wall_s));
		if (m != MODEL_PROCESS)
			CHECK(locals_made >= 1);
		if (m == MODEL_PROCESS)
			CHECK(((struct res *)results_at(&r, 0))->pid !=
			      getpid());
		else
			CHECK(((struct res *)results_at(&r, 0))->pid ==
			      getpid());
		CHECK(m != MODEL_GIL || st.gil_switches >= 1);
		results_destroy(&r);
		CHECK(no_children());
	}

	/* workers run side by side: 4 tasks of 50 ms on 4 workers take
	 * about 50 ms, not 200 ms, for every model (gil too: they sleep) */
	struct ctx nap = { .how = GOOD, .bad_task = (size_t)-1, .nap_s = 0.05 };
	for (enum model m = MODEL_PROCESS; m < MODEL_ENGINE_COUNT; m++) {
		CHECK(run(m, 4, 4, &nap, &r, &st) == 0);
		CHECK(st.wall_s < 0.15);
		results_destroy(&r);
	}

	/* a task that returns an error fails, the rest complete */
	struct ctx fail = { .how = FAIL_TASK, .bad_task = 5 };
	for (enum model m = 0; m < MODEL_ENGINE_COUNT; m++) {
		errno = 0;
		CHECK(run(m, 2, 20, &fail, &r, &st) == -1 && errno == EIO);
		CHECK(st.failed == 1 && st.done == 19 && st.lost == 0);
		CHECK(results_log(&r, 5)->err == 42);
		CHECK(strstr(st.why, "task 5 (code 42)") != NULL);
		results_destroy(&r);
	}

	/* a process worker killed by a signal: reported by worker, signal
	 * and task; the other workers finish every other task */
	struct ctx kill9 = { .how = KILL_TASK, .bad_task = 7 };
	CHECK(run(MODEL_PROCESS, 3, 30, &kill9, &r, &st) == -1);
	CHECK(st.dead_workers == 1 && st.signal == SIGKILL);
	CHECK(st.lost == 1 && st.done == 29);
	CHECK(strstr(st.why, "killed by SIGKILL while running task 7"));
	CHECK(atomic_load(&results_log(&r, 7)->state) == TASK_RUNNING);
	results_destroy(&r);
	CHECK(no_children());

	/* a process worker that exits non-zero */
	struct ctx exit7 = { .how = EXIT_TASK, .bad_task = 2 };
	CHECK(run(MODEL_PROCESS, 2, 10, &exit7, &r, &st) == -1);
	CHECK(st.dead_workers == 1 && st.lost == 1 && st.done == 9);
	CHECK(strstr(st.why, "exited with status 7") != NULL);
	results_destroy(&r);
	CHECK(no_children());

	/* static distribution: task t on worker t % N, for every model */
	for (enum model m = MODEL_PROCESS; m < MODEL_ENGINE_COUNT; m++) {
		struct run_spec spec = {
			.model = m, .workers = 3, .tasks = 12, .fn = task,
			.ctx = &good, .dist = DIST_STATIC,
		};
		int placed = 1;

		CHECK(results_create(&r, 12, sizeof(struct res)) == 0);
		CHECK(workers_run(&spec, &r, &st) == 0);
		for (size_t t = 0; t < 12; t++)
			placed &= results_log(&r, t)->worker == (int)(t % 3);
		CHECK(placed);
		results_destroy(&r);
	}

	/* in two steps: the workers are there, by pid, while they run */
	struct run_spec spec2 = {
		.model = MODEL_PROCESS, .workers = 2, .tasks = 2, .fn = task,
		.ctx = &nap,
	};
	struct workers *running;
	CHECK(results_create(&r, 2, sizeof(struct res)) == 0);
	CHECK(workers_start(&spec2, &r, &running, &st) == 0);
	CHECK(workers_started(running) == 2);
	CHECK(workers_pid(running, 0) > 0 &&
	      workers_pid(running, 0) != getpid() &&
	      kill(workers_pid(running, 1), 0) == 0);
	CHECK(workers_pid(running, 2) == -1);
	CHECK(workers_wait(running, &st) == 0 && st.done == 2);
	results_destroy(&r);
	CHECK(no_children());

	/* --cpus pins the sequential run, which is pvt's own thread, only
	 * for the run: python3 and later runs start from its mask */
	cpu_set_t before, after;
	unsigned cpu0 = 0;
	struct run_spec pinned = {
		.model = MODEL_SEQUENTIAL, .workers = 1, .tasks = 3,
		.fn = task, .ctx = &good, .cpus = &cpu0, .ncpus = 1,
	};
	CHECK(sched_getaffinity(0, sizeof(before), &before) == 0);
	CHECK(results_create(&r, 3, sizeof(struct res)) == 0);
	CHECK(workers_run(&pinned, &r, &st) == 0);
	CHECK(sched_getaffinity(0, sizeof(after), &after) == 0);
	CHECK(CPU_EQUAL(&before, &after));
	results_destroy(&r);

	/* a thread run's peak RSS is its own, not pvt's whole life's */
	char *big = mmap(NULL, 64 << 20, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(big != MAP_FAILED);
	memset(big, 1, 64 << 20);
	munmap(big, 64 << 20);
	CHECK(run(MODEL_THREAD, 2, 4, &good, &r, &st) == 0);
	CHECK(st.max_rss_kib < 0 || st.max_rss_kib < 48 << 10);
	results_destroy(&r);

	/* a bad spec is refused, not run */
	struct run_spec bad = { .model = MODEL_THREAD, .workers = 0,
				.tasks = 1, .fn = task, .ctx = &good };
	CHECK(results_create(&r, 1, sizeof(struct res)) == 0);
	errno = 0;
	CHECK(workers_run(&bad, &r, &st) == -1 && errno == EINVAL &&
	      st.why[0]);
	results_destroy(&r);

	CHECK(model_name(MODEL_GIL)[0] == 'g');
	enum model m;
	CHECK(model_parse("thread", &m) == 0 && m == MODEL_THREAD);
	errno = 0;
	CHECK(model_parse("threads", &m) == -1 && errno == EINVAL);
	CHECK(model_parse("py-thread", &m) == 0 && MODEL_IS_PYTHON(m));

	/* python3 runs the py-* models, the engine refuses them */
	struct run_spec py = { .model = MODEL_PY_PROCESS, .workers = 2,
			       .tasks = 1, .fn = task, .ctx = &good };
	CHECK(results_create(&r, 1, sizeof(struct res)) == 0);
	CHECK(workers_run(&py, &r, &st) == -1);
	results_destroy(&r);
	return CHECK_DONE();
}

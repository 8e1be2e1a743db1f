/* test_sandbox.c - a child that segfaults, aborts, exits or returns:
 * each reported as it ended, reaped, with no core dump */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "engine/sandbox.h"
#include "engine/shm.h"

/* What the child saw of itself, in memory shared with the test. */
struct seen {
	long core_limit;
	int dumpable;
	int reached;
};

static struct seen *seen;

/* a page the child may read but not write */
static int *readonly;

static void look(void)
{
	struct rlimit rl;

	getrlimit(RLIMIT_CORE, &rl);
	seen->core_limit = (long)rl.rlim_cur;
	seen->dumpable = prctl(PR_GET_DUMPABLE, 0, 0, 0, 0);
	seen->reached = 1;
}

static int segfaults(void *arg)
{
	struct sigaction sa;

	(void)arg;
	look();
	/* a real invalid write, with no handler (not even a sanitizer's);
	 * not through NULL, which UBSan would stop first */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	sigaction(SIGSEGV, &sa, NULL);
	*(volatile int *)readonly = 1;
	return 0;
}

static int aborts(void *arg)
{
	(void)arg;
	look();
	abort();
}

static int returns(void *arg)
{
	look();
	return *(int *)arg;
}

static int exits(void *arg)
{
	(void)arg;
	look();
	_exit(4);
}

static void *crash_thread(void *arg)
{
	sandbox_crash(*(int *)arg);
}

/* One thread of several raises the signal: the whole child dies. */
static int thread_crashes(void *arg)
{
	pthread_t t;

	look();
	if (pthread_create(&t, NULL, crash_thread, arg))
		return 9;
	pthread_join(t, NULL);
	return 0;
}

static int no_children(void)
{
	return waitpid(-1, NULL, WNOHANG) == -1 && errno == ECHILD;
}

static void run(int (*fn)(void *), void *arg, struct sandbox_result *res)
{
	memset(seen, 0, sizeof(*seen));
	CHECK(sandbox_run(fn, arg, res) == 0);
	CHECK(res->pid > 0 && res->pid != getpid());
	CHECK(seen->reached == 1);
	CHECK(seen->core_limit == 0 && seen->dumpable == 0);
	CHECK(res->core_dumped == 0);
	CHECK(res->wall_s > 0 && res->max_rss_kib > 0);
	CHECK(no_children());
}

int main(void)
{
	struct sandbox_result res;
	unsigned zombies;
	int three = 3, zero = 0, big = 1000;
	int sigs[] = { SIGSEGV, SIGABRT, SIGFPE };
	pid_t pid;

	seen = shm_alloc(sizeof(*seen));
	CHECK(seen != NULL);
	readonly = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS,
			-1, 0);
	CHECK(readonly != MAP_FAILED);

	run(segfaults, NULL, &res);
	CHECK(res.signal == SIGSEGV && res.exit_status == -1);

	run(aborts, NULL, &res);
	CHECK(res.signal == SIGABRT && res.exit_status == -1);

	run(returns, &three, &res);
	CHECK(res.signal == 0 && res.exit_status == 3);

	run(returns, &zero, &res);
	CHECK(res.signal == 0 && res.exit_status == 0);

	run(returns, &big, &res);
	CHECK(res.signal == 0 && res.exit_status == 255);

	run(exits, NULL, &res);
	CHECK(res.signal == 0 && res.exit_status == 4);

	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		run(thread_crashes, &sigs[i], &res);
		CHECK(res.signal == sigs[i] && res.exit_status == -1);
	}

	/* sandbox_children sees a zombie without reaping it */
	CHECK(sandbox_children(&zombies) == 0 && zombies == 0);
	pid = fork();
	if (pid == 0)
		_exit(0);
	CHECK(pid > 0);
	for (int i = 0; i < 1000; i++) {
		if (sandbox_children(&zombies) == 1 && zombies == 1)
			break;
		usleep(1000);
	}
	CHECK(sandbox_children(&zombies) == 1 && zombies == 1);
	CHECK(waitpid(pid, NULL, 0) == pid);
	CHECK(sandbox_children(&zombies) == 0 && zombies == 0);

	/* pvt's own core limit is untouched */
	struct rlimit rl;
	CHECK(getrlimit(RLIMIT_CORE, &rl) == 0);
	CHECK(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) == 1);
	munmap(readonly, 4096);
	shm_free(seen, sizeof(*seen));
	return CHECK_DONE();
}

/* spawn_cost.c - the round trip of starting a worker, by mechanism */
#define _GNU_SOURCE
#include "engine/spawn_cost.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "engine/paths.h"
#include "measure/measure.h"
#include "measure/procmem.h"

extern char **environ;

static const char *const mech_names[SPAWN_MECH_COUNT] = {
	[SPAWN_FORK] = "fork",
	[SPAWN_VFORK] = "vfork",
	[SPAWN_POSIX_SPAWN] = "posix_spawn",
	[SPAWN_THREAD] = "thread",
};

const char *spawn_mech_name(enum spawn_mech m)
{
	return (unsigned)m < SPAWN_MECH_COUNT ? mech_names[m] : "?";
}

int spawn_mech_parse(const char *s, enum spawn_mech *m)
{
	for (int i = 0; i < SPAWN_MECH_COUNT; i++) {
		if (strcmp(s, mech_names[i]) == 0) {
			*m = (enum spawn_mech)i;
			return 0;
		}
	}
	errno = EINVAL;
	return -1;
}

int spawn_helper_path(char *buf, size_t len)
{
	return paths_program("pvt-nop", buf, len);
}

/* Fails with errno e and the reason (printf) in why. */
#define FAIL(e, ...) do { int e_ = (e); snprintf(why, whylen, __VA_ARGS__); \
	errno = e_; return -1; } while (0)

/* Waits for pid and checks that it exited with status 0. */
static int reap(pid_t pid, const char *what, char *why, size_t whylen)
{
	int status;

	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			FAIL(errno, "waitpid: %s", strerror(errno));
	if (!WIFEXITED(status))
		FAIL(EIO, "%s child killed by signal %d", what,
		     WTERMSIG(status));
	if (WEXITSTATUS(status))
		FAIL(EIO, "%s child exited with status %d", what,
		     WEXITSTATUS(status));
	return 0;
}

/* One vfork in a frame of its own: the child runs in it until _exit, and
 * the caller's variables are never live across the call. */
static __attribute__((noinline)) pid_t one_vfork(void)
{
	pid_t pid = vfork();

	if (pid == 0)
		_exit(0);
	return pid;
}

static void *nothing(void *arg)
{
	return arg;
}

/* Starts one worker with mechanism m and waits for it. */
static int one(enum spawn_mech m, const char *helper, char *why,
	       size_t whylen)
{
	char *argv[] = { (char *)"pvt-nop", NULL };
	pthread_t t;
	pid_t pid;
	int err;

	switch (m) {
	case SPAWN_FORK:
		pid = fork();
		if (pid < 0)
			FAIL(errno, "fork: %s", strerror(errno));
		if (pid == 0)
			_exit(0);
		return reap(pid, "fork", why, whylen);
	case SPAWN_VFORK:
		pid = one_vfork();
		if (pid < 0)
			FAIL(errno, "vfork: %s", strerror(errno));
		return reap(pid, "vfork", why, whylen);
	case SPAWN_POSIX_SPAWN:
		err = posix_spawn(&pid, helper, NULL, NULL, argv, environ);
		if (err)
			FAIL(err, "posix_spawn %s: %s", helper, strerror(err));
		return reap(pid, "posix_spawn", why, whylen);
	case SPAWN_THREAD:
		err = pthread_create(&t, NULL, nothing, NULL);
		if (err)
			FAIL(err, "pthread_create: %s", strerror(err));
		err = pthread_join(t, NULL);
		if (err)
			FAIL(err, "pthread_join: %s", strerror(err));
		return 0;
	default:
		FAIL(EINVAL, "unknown mechanism %d", (int)m);
	}
}

int spawn_roundtrip(enum spawn_mech m, unsigned iterations, double *us_per_op,
		    char *why, size_t whylen)
{
	char helper[4096] = "";
	double t0, t1;

	if ((unsigned)m >= SPAWN_MECH_COUNT || !iterations)
		FAIL(EINVAL, "spawn_roundtrip: bad arguments");
	if (m == SPAWN_POSIX_SPAWN && spawn_helper_path(helper, sizeof(helper)))
		FAIL(errno, "%s: %s (pvt-nop: built beside pvt, installed in "
		     "libexec/pvt/)", helper, strerror(errno));
	fflush(NULL);	/* fork: nothing buffered is written twice */
	t0 = measure_now();
	for (unsigned i = 0; i < iterations; i++)
		if (one(m, helper, why, whylen))
			return -1;
	t1 = measure_now();
	*us_per_op = (t1 - t0) * 1e6 / iterations;
	return 0;
}

double spawn_loop_overhead_us(unsigned iterations)
{
	double t0, t1;

	if (!iterations)
		return 0;
	t0 = measure_now();
	for (unsigned i = 0; i < iterations; i++)
		__asm__ volatile("" ::: "memory");
	t1 = measure_now();
	return (t1 - t0) * 1e6 / iterations;
}

static char empty_ballast;

void *spawn_ballast_alloc(size_t bytes)
{
	long page = sysconf(_SC_PAGESIZE);
	char *p;

	if (bytes == 0)
		return &empty_ballast;
	p = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	/* EINVAL: a kernel without transparent huge pages, which is fine */
	if (madvise(p, bytes, MADV_NOHUGEPAGE) && errno != EINVAL) {
		int err = errno;

		munmap(p, bytes);
		errno = err;
		return NULL;
	}
	for (size_t off = 0; off < bytes; off += (size_t)page)
		p[off] = 1;
	return p;
}

void spawn_ballast_free(void *p, size_t bytes)
{
	if (p && p != &empty_ballast && bytes)
		munmap(p, bytes);
}

int spawn_minimal_image(struct procmem_image *im, char *why, size_t whylen)
{
	char helper[4096], parent[24];
	char *argv[] = { (char *)"pvt-nop", (char *)"--stop", parent, NULL };
	int err, status, rc = 0;
	pid_t pid;

	snprintf(parent, sizeof(parent), "%ld", (long)getpid());

	if (spawn_helper_path(helper, sizeof(helper)))
		FAIL(errno, "%s: %s (pvt-nop: built beside pvt, installed in "
		     "libexec/pvt/)", helper, strerror(errno));
	err = posix_spawn(&pid, helper, NULL, NULL, argv, environ);
	if (err)
		FAIL(err, "posix_spawn %s: %s", helper, strerror(err));
	while (waitpid(pid, &status, WUNTRACED) < 0) {
		if (errno != EINTR) {
			err = errno;
			kill(pid, SIGKILL);
			/* not ours to reap any more */
			FAIL(err, "waitpid: %s", strerror(err));
		}
	}
	if (!WIFSTOPPED(status))
		FAIL(EIO, "pvt-nop ended before it stopped");
	if (procmem_image(pid, im)) {
		err = errno;
		snprintf(why, whylen, "/proc/%d: %s", (int)pid,
			 strerror(errno));
		rc = -1;
	}
	if (kill(pid, SIGKILL))
		FAIL(errno, "kill: %s", strerror(errno));
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			FAIL(errno, "waitpid: %s", strerror(errno));
	if (rc)
		errno = err;	/* procmem_image's */
	return rc;
}

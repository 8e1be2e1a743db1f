/* sandbox.h - run what may crash in a child process, and report how it
 * ended
 *
 * A thread that dies of SIGSEGV takes its whole process with it. To show
 * that without losing pvt, the run goes into a sandbox: a forked child
 * that runs one function and exits with its return value. The parent
 * waits for it and reports its exit status or the signal that killed it.
 * Memory shared before the fork (shm_alloc) stays readable afterwards, so
 * the parent can count what the child finished before it died.
 */
#ifndef PVT_SANDBOX_H
#define PVT_SANDBOX_H

#include <sys/types.h>

/* How the child ended. */
struct sandbox_result {
	pid_t pid;		/* the child's */
	int exit_status;	/* its exit status; -1 when a signal killed it */
	int signal;		/* the signal that killed it, or 0 */
	int core_dumped;	/* the kernel wrote a core for it: never, unless
				 * the child undid the sandbox's limits */
	double wall_s;		/* fork to reap, CLOCK_MONOTONIC */
	double user_s, sys_s;	/* the child's CPU time (wait4) */
	long max_rss_kib;	/* its peak resident set (wait4) */
};

/* The exit status of a child that could not set itself up (its parent
 * check or core limit failed); the reason is on stderr. */
#define SANDBOX_SETUP_FAILED 125

/* Runs fn(arg) in a forked child and waits for it. In the child, before
 * fn: core dumps are off (RLIMIT_CORE 0, and not dumpable, so that no
 * core_pattern helper is started either) and the child dies with its
 * parent (PR_SET_PDEATHSIG, then a check that the parent is still
 * there). fn's return value, 0 to 255, is the child's exit status (others
 * become 255); stdio is flushed and the child leaves with _exit, so
 * nothing of the parent's runs twice. Buffered output is flushed before
 * the fork. Should pvt be asked to stop (workers_stop) while it waits,
 * the child gets one SIGTERM.
 *
 * Returns 0 with *res filled, whatever fn did (crashed, exited,
 * returned); -1 with errno set when the child could not be made or
 * waited for. The child is always reaped: it never lingers as a zombie. */
int sandbox_run(int (*fn)(void *arg), void *arg, struct sandbox_result *res);

/* Kills the calling process with sig, as a crash with no handler would:
 * the signal's default action is restored (a sanitizer's or pvt's own
 * handler never sees it), it is unblocked, core dumps are turned off,
 * and the calling thread raises it. For a signal whose default action
 * does not end the process, the process exits with 128 + sig. Never
 * returns. Call it only inside a process worker or a sandbox: it ends
 * the whole process it is called in. */
_Noreturn void sandbox_crash(int sig);

/* Counts the calling process's children, and the zombies among them,
 * from /proc, without waiting for (and so reaping) any. Returns the
 * number of children, or -1 with errno set when /proc cannot be read. */
int sandbox_children(unsigned *zombies);

#endif

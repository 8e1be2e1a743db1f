/* child.c - the first steps of every process pvt forks */
#define _POSIX_C_SOURCE 200809L
#include "engine/child.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <unistd.h>

int child_init(pid_t parent, int deathsig)
{
	sigset_t both;

	if (prctl(PR_SET_PDEATHSIG, deathsig))
		return -1;
	if (getppid() != parent) {
		errno = ESRCH;	/* the parent is gone already */
		return -1;
	}
	/* unblocked too: a child forked from an engine thread would
	 * inherit that thread's blocked SIGINT and SIGTERM */
	sigemptyset(&both);
	sigaddset(&both, SIGINT);
	sigaddset(&both, SIGTERM);
	if (signal(SIGINT, SIG_DFL) == SIG_ERR ||
	    signal(SIGTERM, SIG_DFL) == SIG_ERR ||
	    sigprocmask(SIG_UNBLOCK, &both, NULL))
		return -1;
	return 0;
}

pid_t child_fork(int deathsig)
{
	pid_t parent = getpid(), pid;

	fflush(NULL);
	pid = fork();
	if (pid == 0 && child_init(parent, deathsig))
		_exit(127);
	return pid;
}

/* child.c - the first steps of every process pvt forks */
#define _POSIX_C_SOURCE 200809L
#include "engine/child.h"

#include <errno.h>
#include <libgen.h>
#include <signal.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <unistd.h>

int child_program(const char *name, char *buf, size_t len)
{
	char self[4096];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

	if (n < 0)
		return -1;
	self[n] = 0;
	if ((size_t)snprintf(buf, len, "%s/%s", dirname(self), name) >= len) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return 0;
}

int child_init(pid_t parent, int deathsig)
{
	if (prctl(PR_SET_PDEATHSIG, deathsig) || getppid() != parent)
		return -1;
	if (signal(SIGINT, SIG_DFL) == SIG_ERR ||
	    signal(SIGTERM, SIG_DFL) == SIG_ERR)
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

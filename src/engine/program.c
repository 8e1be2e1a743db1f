/* program.c - run another program to the end, its output collected */
#define _GNU_SOURCE
#include "engine/program.h"

#include "engine/child.h"
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "engine/workers.h"

#define OUT_MAX (1 << 20)	/* more than any honest output */

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Appends what fd has to buf; returns 0 at EOF, 1 for more, -1 on
 * error. */
static int drain(int fd, char *buf, size_t *used)
{
	char tmp[4096];
	ssize_t r = read(fd, tmp, sizeof(tmp));

	if (r < 0)
		return errno == EINTR || errno == EAGAIN ? 1 : -1;
	if (r == 0)
		return 0;
	if (*used + (size_t)r < OUT_MAX) {
		memcpy(buf + *used, tmp, (size_t)r);
		*used += (size_t)r;
		buf[*used] = 0;
	}
	return 1;
}

void program_last_line(const char *s, char *buf, size_t len)
{
	const char *end = s + strlen(s), *start;

	while (end > s && (end[-1] == '\n' || end[-1] == ' '))
		end--;
	start = end;
	while (start > s && start[-1] != '\n')
		start--;
	snprintf(buf, len, "%.*s", (int)(end - start), start);
}

static pid_t start(char *const argv[], int out[2], int err[2])
{
	pid_t pid = child_fork(SIGKILL);

	if (pid != 0) {
		if (pid > 0)
			setpgid(pid, pid);	/* either call wins the race */
		return pid;
	}
	setpgid(0, 0);
	dup2(out[1], STDOUT_FILENO);
	dup2(err[1], STDERR_FILENO);
	execvp(argv[0], argv);
	fprintf(stderr, "pvt: %s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

int program_run(char *const argv[], struct program_out *po)
{
	int po_fd[2] = { -1, -1 }, pe_fd[2] = { -1, -1 }, saved;
	size_t used[2] = { 0, 0 };
	double t0 = now_s();
	pid_t pid = -1;

	memset(po, 0, sizeof(*po));
	po->first_out_s = -1;
	po->out = malloc(OUT_MAX + 1);
	po->err = malloc(OUT_MAX + 1);
	if (!po->out || !po->err)
		goto fail;
	po->out[0] = po->err[0] = 0;
	if (pipe2(po_fd, O_CLOEXEC) || pipe2(pe_fd, O_CLOEXEC))
		goto fail;
	pid = start(argv, po_fd, pe_fd);
	if (pid < 0)
		goto fail;
	close(po_fd[1]);
	close(pe_fd[1]);
	po_fd[1] = pe_fd[1] = -1;

	struct pollfd pfd[2] = { { po_fd[0], POLLIN, 0 },
				 { pe_fd[0], POLLIN, 0 } };
	char *buf[2] = { po->out, po->err };
	int open_fds = 2;

	while (open_fds) {
		if (workers_stopped()) {
			po->stopped = 1;
			break;
		}
		if (poll(pfd, 2, 100) < 0 && errno != EINTR)
			break;
		for (int i = 0; i < 2; i++) {
			if (pfd[i].fd < 0 || !pfd[i].revents)
				continue;
			if (i == 0 && po->first_out_s < 0)
				po->first_out_s = now_s() - t0;
			if (drain(pfd[i].fd, buf[i], &used[i]) <= 0) {
				pfd[i].fd = -1;
				open_fds--;
			}
		}
	}
	kill(-pid, SIGKILL);	/* nothing of it outlives the run */
	while (waitpid(pid, &po->status, 0) < 0 && errno == EINTR)
		;
	worker_reap_group(pid);	/* those of its group adopted by pvt */
	close(po_fd[0]);
	close(pe_fd[0]);
	return 0;
fail:
	saved = errno;
	for (int i = 0; i < 2; i++) {
		if (po_fd[i] >= 0)
			close(po_fd[i]);
		if (pe_fd[i] >= 0)
			close(pe_fd[i]);
	}
	program_free(po);
	errno = saved;
	return -1;
}

void program_free(struct program_out *po)
{
	free(po->out);
	free(po->err);
	po->out = po->err = NULL;
}

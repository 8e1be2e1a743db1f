/* sandbox.c - run what may crash in a child process, and report how it
 * ended */
#define _GNU_SOURCE
#include "engine/sandbox.h"

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "measure/measure.h"
#include "engine/workers.h"

/* No core file, and no core_pattern helper either: a piped core_pattern
 * (systemd-coredump, apport) is started whatever RLIMIT_CORE says, but
 * never for a process that is not dumpable. Returns 0, or -1 with the
 * reason on stderr. */
static int no_core(void)
{
	struct rlimit none = { 0, 0 };

	if (setrlimit(RLIMIT_CORE, &none)) {
		fprintf(stderr, "pvt: sandbox: setrlimit(RLIMIT_CORE): %s\n",
			strerror(errno));
		return -1;
	}
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)) {
		fprintf(stderr, "pvt: sandbox: prctl(PR_SET_DUMPABLE): %s\n",
			strerror(errno));
		return -1;
	}
	return 0;
}

static _Noreturn void child(int (*fn)(void *), void *arg, pid_t parent)
{
	int rc;

	if (worker_child_init(parent))
		_exit(SANDBOX_SETUP_FAILED);
	if (no_core())
		_exit(SANDBOX_SETUP_FAILED);
	rc = fn(arg);
	fflush(NULL);
	_exit(rc < 0 || rc > 255 ? 255 : rc);
}

int sandbox_run(int (*fn)(void *arg), void *arg, struct sandbox_result *res)
{
	pid_t parent = getpid(), got;
	int status, forwarded = 0;
	struct rusage ru;
	double t0;

	memset(res, 0, sizeof(*res));
	fflush(NULL);	/* nothing buffered is printed twice */
	t0 = measure_now();
	res->pid = fork();
	if (res->pid < 0)
		return -1;
	if (res->pid == 0)
		child(fn, arg, parent);

	while ((got = wait4(res->pid, &status, 0, &ru)) < 0 &&
	       errno == EINTR) {
		if (workers_stopped() && !forwarded) {
			kill(res->pid, SIGTERM);
			forwarded = 1;
		}
	}
	if (got < 0)
		return -1;
	res->wall_s = measure_now() - t0;
	res->user_s = measure_tv(&ru.ru_utime);
	res->sys_s = measure_tv(&ru.ru_stime);
	res->max_rss_kib = ru.ru_maxrss;
	if (WIFSIGNALED(status)) {
		res->exit_status = -1;
		res->signal = WTERMSIG(status);
		res->core_dumped = WCOREDUMP(status) != 0;
	} else {
		res->exit_status = WEXITSTATUS(status);
	}
	return 0;
}

_Noreturn void sandbox_crash(int sig)
{
	struct sigaction sa;
	sigset_t set;
	int err;

	(void)no_core();	/* dying regardless; the reason is printed */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	sigemptyset(&sa.sa_mask);
	if (sigaction(sig, &sa, NULL))
		fprintf(stderr, "pvt: sandbox_crash: sigaction: %s\n",
			strerror(errno));
	sigemptyset(&set);
	sigaddset(&set, sig);
	err = pthread_sigmask(SIG_UNBLOCK, &set, NULL);
	if (err)
		fprintf(stderr, "pvt: sandbox_crash: pthread_sigmask: %s\n",
			strerror(err));
	if (raise(sig))
		fprintf(stderr, "pvt: sandbox_crash: raise: %s\n",
			strerror(errno));
	_exit(128 + sig);
}

/* The state and parent of process pid, from /proc/PID/stat. Returns 0, or
 * -1 with errno set when it is gone or unreadable. */
static int proc_stat(const char *pid, char *state, pid_t *ppid)
{
	char path[64], buf[512], *close;
	size_t n;
	FILE *f;
	int ppid_i;

	snprintf(path, sizeof(path), "/proc/%s/stat", pid);
	f = fopen(path, "re");
	if (!f)
		return -1;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = 0;
	/* "pid (comm) S ppid ...": comm may hold spaces and parentheses */
	close = strrchr(buf, ')');
	if (!close || sscanf(close + 1, " %c %d", state, &ppid_i) != 2) {
		errno = EPROTO;
		return -1;
	}
	*ppid = ppid_i;
	return 0;
}

int sandbox_children(unsigned *zombies)
{
	pid_t self = getpid(), ppid;
	DIR *d = opendir("/proc");
	struct dirent *e;
	int n = 0;
	char state;

	*zombies = 0;
	if (!d)
		return -1;
	while ((e = readdir(d))) {
		if (e->d_name[0] < '1' || e->d_name[0] > '9' ||
		    proc_stat(e->d_name, &state, &ppid) || ppid != self)
			continue;
		n++;
		*zombies += state == 'Z';
	}
	closedir(d);
	return n;
}

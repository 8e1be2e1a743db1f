/* libc_loop.c - the independent measurement pvt's spawn scenario is
 * checked against: a libc-only program that starts a worker that does
 * nothing and waits for it, N times, timed with CLOCK_MONOTONIC around
 * the loop; it prints the median µs per round trip of 5 runs after one
 * warm-up. Nothing of pvt's is in it.
 *   libc_loop N fork|vfork|posix_spawn|thread [PROGRAM]
 *   libc_loop maps          the memory regions it maps itself
 * posix_spawn starts PROGRAM (pvt-nop, as pvt does).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static void *nop(void *a) { return a; }

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec * 1e-9;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static __attribute__((noinline)) pid_t one_vfork(void)
{
	pid_t p = vfork();

	if (p == 0)
		_exit(0);
	return p;
}

static int one(char m, char *prog)
{
	char *argv[] = { prog, NULL };
	pthread_t t;
	pid_t p = -1;

	if (m == 't')
		return pthread_create(&t, 0, nop, 0) || pthread_join(t, 0);
	if (m == 'f') {
		p = fork();
		if (p == 0)
			_exit(0);
	} else if (m == 'v') {
		p = one_vfork();
	} else if (posix_spawn(&p, prog, NULL, NULL, argv, environ)) {
		return 1;
	}
	return p < 0 || waitpid(p, 0, 0) != p;
}

int main(int argc, char **argv)
{
	char buf[4096];
	double us[6];
	long maps = 0;
	ssize_t n;
	int fd;

	if (argc == 2 && !strcmp(argv[1], "maps")) {
		/* read(2), not stdio: the count is of the loop as it runs */
		fd = open("/proc/self/maps", O_RDONLY);
		if (fd < 0)
			return 1;
		while ((n = read(fd, buf, sizeof(buf))) > 0)
			for (ssize_t i = 0; i < n; i++)
				maps += buf[i] == '\n';
		printf("%ld\n", maps);
		return 0;
	}
	if (argc < 3 || (argv[2][0] == 'p' && argc < 4)) {
		fprintf(stderr, "usage: libc_loop N fork|vfork|posix_spawn|"
			"thread [PROGRAM] | libc_loop maps\n");
		return 2;
	}
	for (int r = 0; r < 6; r++) {	/* the first is a warm-up */
		int it = atoi(argv[1]);
		double t0 = now();

		for (int i = 0; i < it; i++)
			if (one(argv[2][0], argv[3])) {
				perror("libc_loop");
				return 1;
			}
		us[r] = (now() - t0) * 1e6 / it;
	}
	qsort(us + 1, 5, sizeof(double), cmp);
	printf("%.2f\n", us[3]);
	return 0;
}

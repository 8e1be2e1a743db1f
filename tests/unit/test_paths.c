/* test_paths.c - pvt finds its programs and data from where it runs: in
 * the build tree (beside it, BUILD/share/pvt), installed (libexec/pvt/,
 * share/pvt/, never a namesake in bin/), and where PVT_DATADIR says */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "engine/paths.h"

/* Prints what a copy of this program finds, where it was copied to. */
static int where(void)
{
	char buf[4096];

	printf("%s\n", paths_program("pvt-nop", buf, sizeof(buf)) ? "-" : buf);
	printf("%s\n", paths_program("crash", buf, sizeof(buf)) ? "-" : buf);
	printf("%s\n", paths_data("scripts/plot", buf, sizeof(buf)) ? "-" :
	       buf);
	return 0;
}

static int copy(const char *from, const char *to)
{
	char buf[65536];
	ssize_t n;
	int in = open(from, O_RDONLY), out, rc = 0;

	if (in < 0)
		return -1;
	out = open(to, O_WRONLY | O_CREAT | O_TRUNC, 0755);
	if (out < 0) {
		close(in);
		return -1;
	}
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, (size_t)n) != n)
			rc = -1;
	close(in);
	return close(out) || n < 0 ? -1 : rc;
}

/* Runs prog --where; its three lines in out. */
static int run_where(const char *prog, char *out, size_t len)
{
	char cmd[4200];
	FILE *p;
	size_t n;

	snprintf(cmd, sizeof(cmd), "'%s' --where", prog);
	p = popen(cmd, "r");
	if (!p)
		return -1;
	n = fread(out, 1, len - 1, p);
	out[n] = 0;
	return pclose(p) == 0 ? 0 : -1;
}

static void installed(const char *self)
{
	char dir[] = "/tmp/pvt-paths.XXXXXX", p[4200], want[16384], got[16384];

	CHECK(mkdtemp(dir) != NULL);
	const char *const dirs[] = { "bin", "libexec", "libexec/pvt", "share",
				     "share/pvt", "share/pvt/scripts" };
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(p, sizeof(p), "%s/%s", dir, dirs[i]);
		CHECK(mkdir(p, 0755) == 0);
	}
	const char *const files[] = { "bin/pvt", "bin/crash",
				      "libexec/pvt/square",
				      "libexec/pvt/pvt-nop",
				      "share/pvt/scripts/plot" };
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(p, sizeof(p), "%s/%s", dir, files[i]);
		CHECK(copy(self, p) == 0);
	}
	/* the driver in bin/ and a scenario in libexec/pvt/ agree; a
	 * program of bin/ that is no scenario of pvt's is not one */
	snprintf(want, sizeof(want), "%s/libexec/pvt/pvt-nop\n-\n"
		 "%s/share/pvt/scripts/plot\n", dir, dir);
	snprintf(p, sizeof(p), "%s/bin/pvt", dir);
	CHECK(run_where(p, got, sizeof(got)) == 0 && !strcmp(got, want));
	snprintf(p, sizeof(p), "%s/libexec/pvt/square", dir);
	CHECK(run_where(p, got, sizeof(got)) == 0 && !strcmp(got, want));
	if (strcmp(got, want))
		fprintf(stderr, "want:\n%sgot:\n%s", want, got);

	snprintf(p, sizeof(p), "rm -rf '%s'", dir);
	CHECK(system(p) == 0);
}

int main(int argc, char **argv)
{
	char self[4096], dir[4096], buf[4096], want[8192];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

	if (argc > 1 && !strcmp(argv[1], "--where"))
		return where();
	CHECK(n > 0);
	self[n > 0 ? n : 0] = 0;
	strcpy(dir, self);
	*strrchr(dir, '/') = 0;		/* BUILD/bin */
	unsetenv("PVT_DATADIR");

	/* the build tree: programs beside this one, data in BUILD/share/pvt */
	snprintf(want, sizeof(want), "%s/pvt-nop", dir);
	CHECK(paths_program("pvt-nop", buf, sizeof(buf)) == 0 &&
	      !strcmp(buf, want));
	errno = 0;
	CHECK(paths_program("no-such-program", buf, sizeof(buf)) == -1 &&
	      errno == ENOENT);
	snprintf(want, sizeof(want), "%s/no-such-program", dir);
	CHECK(!strcmp(buf, want));	/* the path looked at, for messages */
	*strrchr(dir, '/') = 0;		/* BUILD */
	snprintf(want, sizeof(want), "%s/share/pvt/scripts/plot", dir);
	CHECK(paths_data("scripts/plot", buf, sizeof(buf)) == 0 &&
	      !strcmp(buf, want));
	CHECK(paths_data("scenarios/python/square.py", buf, sizeof(buf)) == 0);
	errno = 0;
	CHECK(paths_data("scripts/no-such-file", buf, sizeof(buf)) == -1 &&
	      errno == ENOENT);
	errno = 0;
	CHECK(paths_data("scripts/plot", buf, 8) == -1 &&
	      errno == ENAMETOOLONG);

	/* PVT_DATADIR wins; empty, it is not set */
	setenv("PVT_DATADIR", "/nonexistent/pvt", 1);
	errno = 0;
	CHECK(paths_data("scripts/plot", buf, sizeof(buf)) == -1 &&
	      errno == ENOENT && !strcmp(buf, "/nonexistent/pvt/scripts/plot"));
	setenv("PVT_DATADIR", "", 1);
	CHECK(paths_data("scripts/plot", buf, sizeof(buf)) == 0 &&
	      !strcmp(buf, want));
	unsetenv("PVT_DATADIR");

	installed(self);
	return CHECK_DONE();
}

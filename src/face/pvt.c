/* pvt.c - the driver: list, explain, run, suite, serve */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "net/httpd.h"
#include "face/scenario.h"
#include "measure/sysinfo.h"
#include "measure/verdict.h"

#ifndef PVT_SOURCE_DIR
#define PVT_SOURCE_DIR "."
#endif

static void usage(FILE *f)
{
	fprintf(f,
		"usage: pvt COMMAND [options]\n\n"
		"  pvt list                  scenarios with their summaries\n"
		"  pvt explain NAME          the lesson, the method, the "
		"options\n"
		"  pvt run NAME [options]    one sweep, CSV into results/ "
		"(pvt run NAME --help)\n"
		"  pvt suite [--quick] [--out DIR]\n"
		"                            every scenario at its defaults, "
		"then charts and report\n"
		"  pvt serve [options]       the embedded HTTP file server, "
		"standalone (pvt serve --help)\n"
		"  pvt cluster up N | down | status | mpirun ARGS\n"
		"                            hosts made of network namespaces, "
		"for Open MPI\n"
		"  pvt --help | --version\n\n"
		"exit status: 0 success, 1 a run failed, 2 usage error, "
		"130/143 interrupted\n");
}

static int cmd_list(void)
{
	for (size_t i = 0; scenarios[i]; i++)
		printf("  %-14s %s\n", scenarios[i]->name,
		       scenarios[i]->summary);
	return 0;
}

static const struct scenario *find_or_complain(const char *cmd,
					       const char *name)
{
	const struct scenario *sc = name ? scenario_find(name) : NULL;

	if (!sc) {
		fprintf(stderr, "pvt: %s: %s '%s' (see pvt list)\n", cmd,
			name ? "unknown scenario" : "needs a scenario name",
			name ? name : "");
	}
	return sc;
}

/* Runs scripts/NAME DIR from the source tree, if it is there. */
static int run_script(const char *script, const char *dir)
{
	char path[4096];
	pid_t pid;
	int status;

	snprintf(path, sizeof(path), "%s/scripts/%s", PVT_SOURCE_DIR, script);
	if (access(path, X_OK)) {
		printf("  (%s not found: no %s)\n", path, script);
		return 0;
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		fprintf(stderr, "pvt: fork: %s\n", strerror(errno));
		return 1;
	}
	if (pid == 0) {
		execl(path, path, dir, (char *)NULL);
		fprintf(stderr, "pvt: %s: %s\n", path, strerror(errno));
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return 1;
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		fprintf(stderr, "pvt: suite: %s failed\n", script);
		return 1;
	}
	return 0;
}

static int cmd_suite(int argc, char **argv)
{
	const char *out = "results";
	int quick = 0, worst = 0;
	size_t verdicts[VERDICT_KINDS] = { 0 };
	time_t start = time(NULL);

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--quick")) {
			quick = 1;
		} else if (!strcmp(argv[i], "--out") && i + 1 < argc &&
			   *argv[i + 1]) {
			out = argv[++i];
		} else if (!strncmp(argv[i], "--out=", 6) && argv[i][6]) {
			out = argv[i] + 6;
		} else if (!strcmp(argv[i], "--help")) {
			printf("usage: pvt suite [--quick] [--out DIR]\n");
			return 0;
		} else {
			fprintf(stderr, "pvt: suite: unknown option '%s' "
				"(accepted: --quick, --out DIR)\n", argv[i]);
			return 2;
		}
	}
	if ((mkdir(out, 0755) && errno != EEXIST) || access(out, W_OK)) {
		fprintf(stderr, "pvt: suite: --out: cannot write in '%s': %s\n",
			out, strerror(errno));
		return 2;
	}
	for (size_t i = 0; scenarios[i]; i++) {
		/* the suite draws timelines wherever they can be recorded */
		int timeline = scenarios[i]->uses & USE_TIMELINE;
		char *args[] = { (char *)scenarios[i]->name, "--out",
				 (char *)out, timeline ? "--timeline" : NULL,
				 NULL };
		int rc;

		printf("\n=== %s: %s\n", scenarios[i]->name,
		       scenarios[i]->summary);
		rc = cli_run(scenarios[i], timeline ? 4 : 3, args, quick);
		if (rc > 2)
			return rc;	/* interrupted */
		if (rc)
			worst = 1;	/* said why; the others still run */
		if (scenarios[i]->check)
			verdicts_tally(out, scenarios[i]->name, start,
				       verdicts);
	}
	/* a chart that cannot be drawn still leaves the report to write */
	if (run_script("plot", out))
		worst = 1;
	if (run_script("report", out))
		worst = 1;
	printf("\nsuite done: CSV in %s/", out);
	{
		char report[4096];

		snprintf(report, sizeof(report), "%s/report.html", out);
		if (access(report, R_OK) == 0)
			printf(", report in %s", report);
	}
	printf("%s\n", worst ? " (some runs FAILED: see above)" : "");
	printf("verdicts: %zu holds, %zu does not hold, %zu inconclusive\n",
	       verdicts[VERDICT_HOLDS], verdicts[VERDICT_FAILS],
	       verdicts[VERDICT_INCONCLUSIVE]);
	return worst;
}

/* pvt cluster ...: scripts/cluster with the same arguments, in place of
 * pvt (its exit status is pvt's). */
static int cmd_cluster(int argc, char **argv)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/scripts/cluster", PVT_SOURCE_DIR);
	argv[0] = path;
	(void)argc;
	fflush(NULL);
	execv(path, argv);
	fprintf(stderr, "pvt: cluster: %s: %s\n", path, strerror(errno));
	return 1;
}

int main(int argc, char **argv)
{
	const struct scenario *sc;
	const char *cmd = argc > 1 ? argv[1] : NULL;

	if (!cmd) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") ||
	    !strcmp(cmd, "help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(cmd, "--version")) {
		printf("pvt %s\n", PVT_VERSION);
		return 0;
	}
	if (!strcmp(cmd, "list"))
		return cmd_list();
	if (!strcmp(cmd, "explain")) {
		sc = find_or_complain(cmd, argc > 2 ? argv[2] : NULL);
		if (!sc)
			return 2;
		cli_explain(sc);
		return 0;
	}
	if (!strcmp(cmd, "run")) {
		sc = find_or_complain(cmd, argc > 2 ? argv[2] : NULL);
		if (!sc)
			return 2;
		return cli_run(sc, argc - 2, argv + 2, 0);
	}
	if (!strcmp(cmd, "suite"))
		return cmd_suite(argc - 1, argv + 1);
	if (!strcmp(cmd, "serve"))
		return httpd_cmd(argc - 1, argv + 1);
	if (!strcmp(cmd, "cluster"))
		return cmd_cluster(argc - 1, argv + 1);
	fprintf(stderr, "pvt: unknown command '%s' (accepted: list, explain, "
		"run, suite, serve, cluster, --help, --version)\n", cmd);
	return 2;
}

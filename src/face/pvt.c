/* pvt.c - the driver: list, explain, run, suite, serve, live, cluster,
 * compare, slides
 *
 * As git runs its sub-commands, the driver runs each scenario's own binary
 * (build/bin/NAME, or libexec/pvt/NAME when installed), pvt-serve and
 * pvt-live, found by paths_program: a scenario runs in a fresh, small
 * process that links only the parts it uses, and the driver links none of
 * them. pvt run, explain, serve and live replace the driver (exec), so
 * that options, output, exit status and signals are the binary's own;
 * list and suite run one binary after another.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "engine/child.h"
#include "engine/paths.h"
#include "face/registry.h"
#include "measure/verdict.h"

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
		"  pvt live [--port N] [--bind ADDR]\n"
		"                            the lecture page: predict, run, "
		"watch (127.0.0.1)\n"
		"  pvt cluster up N | down | status | mpirun ARGS\n"
		"                            hosts made of network namespaces, "
		"for Open MPI\n"
		"  pvt compare DIR... [--out D]\n"
		"                            one report overlaying several "
		"machines' results\n"
		"  pvt slides [--out D] [DIR]\n"
		"                            one 16:9 slide per claim, and a "
		"PDF deck\n"
		"  pvt --help | --version\n\n"
		"exit status: 0 success, 1 a run failed, 2 usage error, "
		"130/143 interrupted\n");
}

/* Replaces the driver with pvt's program name (paths_program), run as
 * argv. Returns only on failure, with the exit status. */
static int exec_bin(const char *cmd, const char *name, char **argv)
{
	char path[4096] = "";

	if (paths_program(name, path, sizeof(path)) == 0)
		execv(path, argv);
	fprintf(stderr, "pvt: %s: %s: %s (built beside pvt, installed in "
		"libexec/pvt/)\n", cmd, *path ? path : name, strerror(errno));
	return 1;
}

/* The child run_bin waits for, and the signal that stopped the driver. */
static volatile sig_atomic_t child_pid;
static volatile sig_atomic_t caught;

/* Ctrl-C at the terminal reaches the child too (one process group); a
 * SIGINT or SIGTERM sent to the driver alone is passed on, so that the
 * child stops as it would have stopped, and the driver reports it. */
static void on_signal(int sig, siginfo_t *si, void *ctx)
{
	(void)ctx;
	caught = sig;
	if (child_pid > 0 && si->si_code != SI_KERNEL)
		kill((pid_t)child_pid, sig);
}

static int catch_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_signal;
	sa.sa_flags = SA_SIGINFO | SA_RESTART;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGINT, &sa, NULL) || sigaction(SIGTERM, &sa, NULL)) {
		fprintf(stderr, "pvt: sigaction: %s\n", strerror(errno));
		return -1;
	}
	return 0;
}

/* Runs the program at path as argv and waits for it. Returns its exit
 * status, or 128 + the signal that ended it; 1 when it could not be
 * started. The child dies with the driver (SIGTERM, which it handles as
 * Ctrl-C). */
static int run_path(const char *cmd, const char *path, char **argv)
{
	pid_t pid = child_fork(SIGTERM);
	int status;

	if (pid < 0) {
		fprintf(stderr, "pvt: %s: fork: %s\n", cmd, strerror(errno));
		return 1;
	}
	if (pid == 0) {
		execv(path, argv);
		fprintf(stderr, "pvt: %s: %s: %s\n", cmd, path,
			strerror(errno));
		_exit(127);
	}
	child_pid = pid;
	if (caught)	/* a signal came before child_pid was set */
		kill(pid, caught);
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			fprintf(stderr, "pvt: %s: waitpid: %s\n", cmd,
				strerror(errno));
			child_pid = 0;
			return 1;
		}
	}
	child_pid = 0;
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status) == 127 ? 1 : WEXITSTATUS(status);
}

/* run_path for pvt's binary name. */
static int run_bin(const char *cmd, const char *name, char **argv)
{
	char path[4096] = "";

	if (paths_program(name, path, sizeof(path))) {
		fprintf(stderr, "pvt: %s: %s: %s\n", cmd, *path ? path : name,
			strerror(errno));
		return 1;
	}
	return run_path(cmd, path, argv);
}

/* Ends the driver as the child ended: by the same signal when it was
 * killed by one, so that the caller's shell sees what it would have seen
 * had it run the binary itself. */
static int pass_on(int rc)
{
	if (rc > 128 && rc != 130 && rc != 143) {
		signal(rc - 128, SIG_DFL);
		raise(rc - 128);
	}
	return rc;
}

static int known(const char *cmd, const char *name)
{
	for (size_t i = 0; name && scenario_names[i]; i++)
		if (!strcmp(scenario_names[i], name))
			return 1;
	if (name)
		fprintf(stderr, "pvt: %s: unknown scenario '%s' (see pvt "
			"list)\n", cmd, name);
	else
		fprintf(stderr, "pvt: %s: needs a scenario name (see pvt "
			"list)\n", cmd);
	return 0;
}

static int cmd_list(void)
{
	int worst = 0;

	if (catch_signals())
		return 1;
	for (size_t i = 0; scenario_names[i]; i++) {
		char *argv[] = { (char *)scenario_names[i], "--summary", NULL };
		int rc;

		printf("  %-14s ", scenario_names[i]);
		fflush(stdout);
		rc = run_bin("list", scenario_names[i], argv);
		if (rc > 128)
			return pass_on(rc);
		if (rc) {
			printf("(not available)\n");
			worst = 1;
		}
	}
	return worst;
}

/* Runs scripts/NAME DIR from pvt's data folder, if it is there. */
static int run_script(const char *script, const char *dir)
{
	char rel[64], path[4096];
	char *argv[] = { path, (char *)dir, NULL };
	int rc;

	snprintf(rel, sizeof(rel), "scripts/%s", script);
	if (paths_data(rel, path, sizeof(path)) || access(path, X_OK)) {
		printf("  (%s not found: no %s)\n", path, script);
		return 0;
	}
	rc = run_path("suite", path, argv);
	if (rc)
		fprintf(stderr, "pvt: suite: %s failed\n", script);
	return rc;
}

/* pvt compare, pvt slides: scripts/NAME with the words after the
 * command; its exit status is pvt's. */
static int exec_script(const char *script, char **argv)
{
	char rel[64], path[4096];

	snprintf(rel, sizeof(rel), "scripts/%s", script);
	if (paths_data(rel, path, sizeof(path))) {
		fprintf(stderr, "pvt: %s: %s: %s\n", script, path,
			strerror(errno));
		return 1;
	}
	argv[0] = path;
	fflush(NULL);
	execv(path, argv);
	fprintf(stderr, "pvt: %s: %s\n", path, strerror(errno));
	return 1;
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
		} else if (!strcmp(argv[i], "--out") ||
			   !strncmp(argv[i], "--out=", 6)) {
			out = argv[i][5] ? argv[i] + 6 :
			      i + 1 < argc ? argv[++i] : "";
			if (!*out) {
				fprintf(stderr, "pvt: suite: --out: needs a "
					"folder (accepted: --out DIR)\n");
				return 2;
			}
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
	if (catch_signals())
		return 1;
	for (size_t i = 0; scenario_names[i]; i++) {
		/* each in a fresh process of its own: none inherits
		 * another's memory, threads or libraries */
		char *args[] = { (char *)scenario_names[i], "--suite",
				 "--out", (char *)out,
				 quick ? "--quick" : NULL, NULL };
		int rc = run_bin("suite", scenario_names[i], args);

		if (rc > 2 || caught)
			return pass_on(rc > 2 ? rc : 128 + caught);
		if (rc)
			worst = 1;	/* said why; the others still run */
		/* a scenario that checks no lesson leaves no file (or an
		 * older one), which the tally passes over */
		verdicts_tally(out, scenario_names[i], start, verdicts);
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

/* pvt cluster ...: scripts/cluster (from pvt's data folder) with the
 * same arguments, in place of pvt (its exit status is pvt's). */
static int cmd_cluster(int argc, char **argv)
{
	char path[4096];

	if (paths_data("scripts/cluster", path, sizeof(path))) {
		fprintf(stderr, "pvt: cluster: %s: %s (the pvt-mpi package "
			"installs it)\n", path, strerror(errno));
		return 1;
	}
	argv[0] = path;
	(void)argc;
	fflush(NULL);
	execv(path, argv);
	fprintf(stderr, "pvt: cluster: %s: %s\n", path, strerror(errno));
	return 1;
}

/* A command that takes no more words than max: says so and returns 2
 * when given more, else 0. */
static int no_extra(const char *cmd, int argc, char **argv, int max)
{
	if (argc <= max)
		return 0;
	fprintf(stderr, "pvt: %s: unexpected '%.200s' (see pvt --help)\n",
		cmd, argv[max]);
	return 2;
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : NULL;

	if (!cmd) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") ||
	    !strcmp(cmd, "help")) {
		if (no_extra(cmd, argc, argv, 2))
			return 2;
		usage(stdout);
		return 0;
	}
	if (!strcmp(cmd, "--version")) {
		if (no_extra(cmd, argc, argv, 2))
			return 2;
		printf("pvt %s\n", PVT_VERSION);
		return 0;
	}
	if (!strcmp(cmd, "list"))
		return no_extra(cmd, argc, argv, 2) ? 2 : cmd_list();
	if (!strcmp(cmd, "explain")) {
		char *args[] = { argv[2], "--explain", NULL };

		if (!known(cmd, argc > 2 ? argv[2] : NULL))
			return 2;
		if (argc > 3) {
			fprintf(stderr, "pvt: explain: unexpected '%.200s' "
				"(accepted: one scenario name)\n", argv[3]);
			return 2;
		}
		return exec_bin(cmd, argv[2], args);
	}
	if (!strcmp(cmd, "run")) {
		if (!known(cmd, argc > 2 ? argv[2] : NULL))
			return 2;
		return exec_bin(cmd, argv[2], argv + 2);
	}
	if (!strcmp(cmd, "suite"))
		return cmd_suite(argc - 1, argv + 1);
	if (!strcmp(cmd, "serve")) {
		argv[1] = "serve";
		return exec_bin(cmd, "pvt-serve", argv + 1);
	}
	if (!strcmp(cmd, "live"))
		return exec_bin(cmd, "pvt-live", argv + 1);
	if (!strcmp(cmd, "cluster"))
		return cmd_cluster(argc - 1, argv + 1);
	if (!strcmp(cmd, "compare") || !strcmp(cmd, "slides"))
		return exec_script(cmd, argv + 1);
	fprintf(stderr, "pvt: unknown command '%s' (accepted: list, explain, "
		"run, suite, serve, live, cluster, compare, slides, --help, "
		"--version)\n", cmd);
	return 2;
}

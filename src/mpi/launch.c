/* launch.c - run a sweep's workload on Open MPI ranks: the mpi models */
#define _GNU_SOURCE
#include "mpi/launch.h"

#include <errno.h>
#include <inttypes.h>
#include <arpa/inet.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "engine/program.h"
#include "engine/paths.h"

#define MAX_ARGS 96
#define MAX_HOSTS 64

/* Where pvt cluster keeps its hostfile and mpirun's options. */
static const char *cluster_dir(void)
{
	const char *d = getenv("PVT_CLUSTER_DIR");

	return d && *d ? d : "/run/pvt-cluster";
}

/* NAME-mpi or job->program: pvt's program, beside the running one when
 * built, in libexec/pvt/ when installed. */
static int rank_program(const struct mpi_job *job, char *buf, size_t len)
{
	char name[256];

	snprintf(name, sizeof(name), "%s%s", job->program ? job->program :
		 job->scenario, job->program ? "" : "-mpi");
	return paths_program(name, buf, len);
}

static int on_path(const char *name)
{
	const char *path = getenv("PATH");
	char buf[PATH_MAX];

	while (path && *path) {
		size_t n = strcspn(path, ":");

		snprintf(buf, sizeof(buf), "%.*s/%s", (int)n, path, name);
		if (n && access(buf, X_OK) == 0)
			return 1;
		path += n + (path[n] == ':');
	}
	return 0;
}

/* The first `want` host names of hostfile, into hosts. Returns how many
 * it has, or -1 (errno). */
static int read_hosts(const char *hostfile, char hosts[][256], int want)
{
	FILE *f = fopen(hostfile, "r");
	char line[512];
	int n = 0;

	if (!f)
		return -1;
	while (n < want && fgets(line, sizeof(line), f)) {
		char *h = line + strspn(line, " \t");

		if (*h == '#' || *h == '\n' || !*h)
			continue;
		h[strcspn(h, " \t\n")] = 0;
		snprintf(hosts[n++], 256, "%s", h);
	}
	fclose(f);
	return n;
}

int mpi_find(const struct mpi_job *job, char *why, size_t len)
{
	char path[PATH_MAX], hostfile[PATH_MAX], hosts[MAX_HOSTS][256];
	int n;

	if (!on_path("mpirun")) {
		snprintf(why, len, "mpirun not found in PATH (Debian package "
			 "openmpi-bin)");
		errno = ENOENT;
		return -1;
	}
	if (rank_program(job, path, sizeof(path))) {
		snprintf(why, len, "%s: not built (Open MPI's headers, "
			 "libopenmpi-dev, were missing at configure time)",
			 path);
		errno = ENOENT;
		return -1;
	}
	if (job->hosts <= 1 && !job->hostfile)
		return 0;
	if (job->hostfile)
		snprintf(hostfile, sizeof(hostfile), "%s", job->hostfile);
	else
		snprintf(hostfile, sizeof(hostfile), "%s/hostfile",
			 cluster_dir());
	n = read_hosts(hostfile, hosts, MAX_HOSTS);
	if (n < 0 && !job->hostfile) {
		snprintf(why, len, "--hosts %u needs hosts: pvt cluster up %u "
			 "(or --hostfile FILE)", job->hosts, job->hosts);
		return -1;
	}
	if (n < 0) {
		snprintf(why, len, "--hostfile %s: %s", hostfile,
			 strerror(errno));
		return -1;
	}
	if ((unsigned)n < job->hosts) {
		snprintf(why, len, "--hosts %u: %s lists %d host(s)",
			 job->hosts, hostfile, n);
		errno = EINVAL;
		return -1;
	}
	return 0;
}

int mpi_home(const struct mpi_job *job, char *addr, size_t len, char *why,
	     size_t why_len)
{
	char path[PATH_MAX], line[64] = "";
	struct in_addr a;
	FILE *f;

	snprintf(addr, len, "127.0.0.1");
	if (job->hosts <= 1 && !job->hostfile)
		return 0;
	if (job->hostfile) {
		snprintf(why, why_len, "the hosts of --hostfile may be other "
			 "machines, which cannot reach a server on this one");
		errno = EHOSTUNREACH;
		return -1;
	}
	snprintf(path, sizeof(path), "%s/address", cluster_dir());
	f = fopen(path, "r");
	if (!f) {
		int e = errno;

		snprintf(why, why_len, "%s: %s (pvt cluster up N writes it)",
			 path, strerror(e));
		errno = e;
		return -1;
	}
	if (!fgets(line, sizeof(line), f))
		line[0] = 0;
	fclose(f);
	line[strcspn(line, " \t\n")] = 0;
	if (inet_pton(AF_INET, line, &a) != 1) {
		snprintf(why, why_len, "%s: '%s' is not an IPv4 address", path,
			 line);
		errno = EPROTO;
		return -1;
	}
	snprintf(addr, len, "%s", line);
	return 0;
}

/* mpirun's arguments for job, into argv (pointing into store). */
static int build_argv(const struct mpi_job *job, char **argv, char *store,
		      size_t store_len)
{
	char hosts[MAX_HOSTS][256], hostfile[PATH_MAX], path[PATH_MAX];
	size_t used = 0;
	int argc = 0;

#define ARG(...) do { \
		int w_ = snprintf(store + used, store_len - used, __VA_ARGS__); \
		if (w_ < 0 || (size_t)w_ >= store_len - used || \
		    argc >= MAX_ARGS - 1) \
			return -1; \
		argv[argc++] = store + used; \
		used += (size_t)w_ + 1; \
	} while (0)

	ARG("mpirun");
	if (geteuid() == 0)
		ARG("--allow-run-as-root");
	ARG("-np");
	ARG("%u", job->ranks);
	/* ranks that wait yield their core: on shared cores a busy-polling
	 * rank turns a 50 us round trip into milliseconds */
	ARG("--mca");
	ARG("mpi_yield_when_idle");
	ARG("1");
	ARG("--bind-to");
	ARG("none");
	if (job->hosts <= 1 && !job->hostfile) {
		ARG("--oversubscribe");	/* more ranks than cores: say so in
					 * the figures, not refuse */
	} else {
		int n;

		if (job->hostfile) {
			snprintf(hostfile, sizeof(hostfile), "%s",
				 job->hostfile);
		} else {
			FILE *f;
			char line[PATH_MAX];

			/* pvt cluster's options: its rsh agent, TCP on its
			 * bridge only */
			snprintf(hostfile, sizeof(hostfile), "%s/mpirun.args",
				 cluster_dir());
			f = fopen(hostfile, "r");
			if (!f)
				return -1;
			while (fgets(line, sizeof(line), f)) {
				line[strcspn(line, "\n")] = 0;
				if (*line)
					ARG("%s", line);
			}
			fclose(f);
			snprintf(hostfile, sizeof(hostfile), "%s/hostfile",
				 cluster_dir());
		}
		n = read_hosts(hostfile, hosts, (int)job->hosts);
		if (n < (int)job->hosts)
			return -1;
		/* the first --hosts hosts, ranks dealt round robin */
		ARG("--host");
		argv[argc++] = store + used;	/* host:slots,host:slots */
		for (int i = 0; i < n; i++) {
			int w = snprintf(store + used, store_len - used,
					 "%s%.255s:%u", i ? "," : "", hosts[i],
					 job->ranks);

			if (w < 0 || (size_t)w >= store_len - used)
				return -1;
			used += (size_t)w;
		}
		used++;		/* past its NUL */
		ARG("--map-by");
		ARG("node");
		ARG("--oversubscribe");
	}
	if (rank_program(job, path, sizeof(path)))
		return -1;
	ARG("%s", path);
	for (char *const *a = job->args; job->program && a && *a; a++)
		ARG("%s", *a);
	if (job->program)
		goto done;
	ARG("--models");
	ARG("%s", job->model == MODEL_MPI_THREAD ? "thread" : "sequential");
	ARG("--workers");
	ARG("%u", job->model == MODEL_MPI_THREAD ? job->threads : 1);
	ARG("--tasks");
	ARG("%" PRIu64, job->tasks);
	ARG("--size");
	ARG("%" PRIu64, job->size);
	ARG("--repeat");
	ARG("%u", job->repeat);
	ARG("--warmup");
	ARG("%u", job->warmup);
	ARG("--out");
	ARG("%s", job->out);
	ARG("--quiet");
	for (char *const *e = job->extra; e && *e; e++)
		ARG("%s", *e);
done:
	argv[argc] = NULL;
	return 0;
#undef ARG
}

static int parse_row(char *line, struct mpi_row *row)
{
	char *f[9] = { 0 }, *save = NULL;
	int n = 0;

	/* eight fields, then the why as it is, commas and all: no
	 * strtok_r past the eighth, which would take the why's first part */
	for (char *tok = strtok_r(line, ",", &save); tok;
	     tok = n < 8 ? strtok_r(NULL, ",", &save) : NULL)
		f[n++] = tok;
	f[8] = save && *save ? save : NULL;
	if (n != 8 || strcmp(f[0], "row"))
		return -1;
	row->rep = (unsigned)strtoul(f[1], NULL, 10);
	row->wall_s = strtod(f[2], NULL);
	row->user_s = strtod(f[3], NULL);
	row->sys_s = strtod(f[4], NULL);
	row->max_rss_kib = strtol(f[5], NULL, 10);
	row->failed = strtol(f[6], NULL, 10);
	row->ok = (int)strtol(f[7], NULL, 10);
	snprintf(row->why, sizeof(row->why), "%s", f[8] ? f[8] : "");
	for (int i = 0; i < MPI_MAX_EXTRA; i++)
		row->extra[i] = NAN;
	return row->wall_s > 0 ? 0 : -1;
}

/* "fig,REP,V,V...": rank 0's figures of repetition REP, into the row of
 * that repetition among rows[0..n). Returns 0, or -1 when line is not
 * one. */
static int parse_figures(const char *line, struct mpi_row *rows, size_t n)
{
	char *end;
	unsigned long rep;

	if (strncmp(line, "fig,", 4))
		return -1;
	rep = strtoul(line + 4, &end, 10);
	for (size_t r = 0; r < n; r++) {
		if (rows[r].rep != rep)
			continue;
		for (int i = 0; i < MPI_MAX_EXTRA && *end == ','; i++)
			rows[r].extra[i] = strtod(end + 1, &end);
		return 0;
	}
	return -1;
}

/* Says on stderr each distinct line of err that is pvt's own. */
static void relay_own_lines(const char *err)
{
	for (const char *l = err; *l; l += strcspn(l, "\n") + 1) {
		int len = (int)strcspn(l, "\n"), seen = 0;

		for (const char *p = err; p < l && !seen;
		     p += strcspn(p, "\n") + 1)
			seen = (int)strcspn(p, "\n") == len &&
			       !strncmp(p, l, (size_t)len);
		if (!seen && !strncmp(l, "pvt: ", 5))
			fprintf(stderr, "%.*s\n", len, l);
		if (!l[len])
			break;
	}
}

/* What mpirun said went wrong: the line naming a rank that died, else
 * the first line of its message that has words. */
static void mpirun_reason(const char *err, char *buf, size_t len)
{
	const char *line = strstr(err, "noticed that process rank");

	if (line) {
		while (line > err && line[-1] != '\n')
			line--;
	} else {
		for (line = err; *line; line += strcspn(line, "\n") +
		     (line[strcspn(line, "\n")] == '\n'))
			if (strpbrk(line, "abcdefghijklmnopqrstuvwxyz") &&
			    strpbrk(line, "abcdefghijklmnopqrstuvwxyz") <
			    line + strcspn(line, "\n"))
				break;
	}
	snprintf(buf, len, "%.*s", (int)strcspn(line, "\n"), line);
}

int mpi_run(const struct mpi_job *job, struct mpi_row *rows, size_t max,
	    size_t *n, double *launch_s, unsigned *hosts_seen, char *why,
	    size_t len)
{
	char *argv[MAX_ARGS], store[16384];
	struct program_out po;
	int rc = -1, ready = 0, e = EIO;

	*n = 0;
	*launch_s = -1;
	*hosts_seen = 0;
	if (mpi_find(job, why, len))
		return -1;
	if (build_argv(job, argv, store, sizeof(store))) {
		snprintf(why, len, "mpirun's command line is over pvt's "
			 "limits, or the hostfile went away");
		errno = EINVAL;
		return -1;
	}
	if (program_run(argv, &po)) {
		snprintf(why, len, "cannot start mpirun: %s", strerror(errno));
		return -1;
	}
	if (po.stopped) {
		snprintf(why, len, "interrupted");
		e = EINTR;
		goto out;
	}
	for (char *save = NULL, *line = strtok_r(po.out, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		unsigned r, h;

		if (sscanf(line, "ready,%u,%u", &r, &h) == 2) {
			ready = r == job->ranks;
			*hosts_seen = h;
			continue;
		}
		if (parse_figures(line, rows, *n) == 0)
			continue;
		if (*n < max && parse_row(line, &rows[*n]) == 0)
			(*n)++;
	}
	relay_own_lines(po.err);
	if (!WIFEXITED(po.status) || (WEXITSTATUS(po.status) &&
				      *n != job->repeat)) {
		char last[200];

		mpirun_reason(po.err, last, sizeof(last));
		snprintf(why, len, "mpirun %s%d%s%s", WIFSIGNALED(po.status) ?
			 "killed by signal " : "exited with status ",
			 WIFSIGNALED(po.status) ? WTERMSIG(po.status) :
			 WEXITSTATUS(po.status), *last ? ": " : "", last);
		goto out;
	}
	if (!ready || *n != job->repeat) {
		snprintf(why, len, "the ranks printed %zu of %u rows%s", *n,
			 job->repeat, ready ? "" : ", and never said ready");
		e = EPROTO;
		goto out;
	}
	*launch_s = po.first_out_s;
	rc = 0;
out:
	program_free(&po);
	if (rc)
		errno = e;
	return rc;
}

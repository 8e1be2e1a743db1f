/* rank.c - build/bin/NAME-mpi: one Open MPI rank of a sweep workload
 *
 * mpirun starts R copies; each parses the scenario's own command line
 * (cli_run), and where the scenario's sweep would measure, this runs
 * instead (sweep_rank): the tasks are dealt out round robin, task t to
 * rank t mod R, so that every rank gets the same share to within one;
 * each rank runs its share under the engine (--models sequential: one
 * thread; --models thread --workers T: T threads, MPI_THREAD_FUNNELED,
 * only the main thread talks MPI); the results are gathered to rank 0
 * and verified there with the scenario's own verify. A repetition is
 * timed on rank 0 from a barrier before the work to the end of the
 * gather. Rank 0 prints, for pvt's mpi launcher (mpi/launch.c):
 *
 *   ready,RANKS,HOSTS                 once MPI is up
 *   row,REP,WALL_S,USER_S,SYS_S,MAX_RSS_KIB,FAILED,OK[,WHY]
 *                                     per measured repetition
 *
 * user_s and sys_s are summed over the ranks, max_rss_kib is the
 * largest, FAILED counts failed and wrong tasks. Ranks share nothing
 * but these messages.
 */
#define _POSIX_C_SOURCE 200809L
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "face/scenario.h"
#include "measure/measure.h"
#include "measure/sweep.h"

/* this binary's scenario (CMake: PVT_SCENARIO=scenario_NAME) */
extern const struct scenario PVT_SCENARIO;

/* The scenario's task, seen from one rank: local task i is global task
 * rank + i * ranks. */
struct share {
	const struct sweep *sw;
	int rank, ranks;
};

static int share_task(const void *ctx, void *local, size_t task, void *res)
{
	const struct share *s = ctx;

	return s->sw->fn(s->sw->ctx, local,
			 (size_t)s->rank + task * (size_t)s->ranks, res);
}

static int share_init(const void *ctx, void **local)
{
	const struct share *s = ctx;

	return s->sw->local_init(s->sw->ctx, local);
}

static void share_fini(const void *ctx, void *local)
{
	const struct share *s = ctx;

	s->sw->local_fini(s->sw->ctx, local);
}

static size_t share_of(size_t tasks, int rank, int ranks)
{
	return tasks / (size_t)ranks + ((size_t)rank < tasks % (size_t)ranks);
}

/* How many distinct hosts the ranks run on. */
static int count_hosts(int rank, int ranks)
{
	char name[MPI_MAX_PROCESSOR_NAME] = "", *all = NULL;
	int len = 0, hosts = 0;

	MPI_Get_processor_name(name, &len);
	if (rank == 0)
		all = calloc((size_t)ranks, MPI_MAX_PROCESSOR_NAME);
	MPI_Gather(name, MPI_MAX_PROCESSOR_NAME, MPI_CHAR, all,
		   MPI_MAX_PROCESSOR_NAME, MPI_CHAR, 0, MPI_COMM_WORLD);
	for (int i = 0; all && i < ranks; i++) {
		int seen = 0;

		for (int j = 0; j < i && !seen; j++)
			seen = !strcmp(all + (size_t)i * MPI_MAX_PROCESSOR_NAME,
				       all + (size_t)j * MPI_MAX_PROCESSOR_NAME);
		hosts += !seen;
	}
	free(all);
	return hosts;
}

struct rank_row {
	double wall_s, user_s, sys_s;
	long max_rss_kib, failed;
	int ok;
	char why[400];
};

/* One repetition. On rank 0, fills out: the wall time, the sums, and
 * the verdict of verify over the gathered results (full). */
static int repetition(const struct config *cfg, const struct sweep *sw,
		      const struct run_spec *spec, struct results *mine,
		      struct results *full, unsigned char *packed,
		      int *counts, int *displs, unsigned char *all,
		      struct rank_row *out)
{
	const struct share *s = spec->ctx;
	size_t n = spec->tasks, rs = sw->result_size;
	struct run_stats st;
	double t0, cpu[2], cpu_sum[2];
	long failed, failed_sum, rss = 0, rss_max = 0;

	memset(out, 0, sizeof(*out));
	MPI_Barrier(MPI_COMM_WORLD);
	t0 = measure_now();
	if (workers_run(spec, mine, &st) && !st.failed && !st.lost)
		st.failed = n;	/* a worker could not start or died */
	for (size_t i = 0; i < n; i++)
		memcpy(packed + i * rs, results_at(mine, i), rs);
	MPI_Gatherv(packed, (int)(n * rs), MPI_BYTE, all, counts, displs,
		    MPI_BYTE, 0, MPI_COMM_WORLD);
	out->wall_s = measure_now() - t0;
	cpu[0] = st.user_s;
	cpu[1] = st.sys_s;
	failed = (long)(st.failed + st.lost);
	rss = st.max_rss_kib;
	MPI_Reduce(cpu, cpu_sum, 2, MPI_DOUBLE, MPI_SUM, 0, MPI_COMM_WORLD);
	MPI_Reduce(&failed, &failed_sum, 1, MPI_LONG, MPI_SUM, 0,
		   MPI_COMM_WORLD);
	MPI_Reduce(&rss, &rss_max, 1, MPI_LONG, MPI_MAX, 0, MPI_COMM_WORLD);
	if (s->rank != 0)
		return 0;
	out->user_s = cpu_sum[0];
	out->sys_s = cpu_sum[1];
	out->max_rss_kib = rss_max;
	out->failed = failed_sum;
	/* every task back in its own slot, then the scenario's check */
	for (int r = 0; r < s->ranks; r++) {
		size_t k = share_of(cfg->tasks, r, s->ranks);

		for (size_t i = 0; i < k; i++)
			memcpy(results_at(full, (size_t)r + i * s->ranks),
			       all + displs[r] + i * rs, rs);
	}
	if (sw->verify) {
		char why[256] = "";
		size_t wrong = sw->verify(sw->ctx, full, why, sizeof(why));

		out->failed += (long)wrong;
		if (wrong)
			snprintf(out->why, sizeof(out->why), "%zu wrong "
				 "result(s): %s", wrong, why);
	}
	if (failed_sum && !out->why[0])
		snprintf(out->why, sizeof(out->why), "%ld task(s) failed on "
			 "the ranks", failed_sum);
	out->ok = out->failed == 0;
	return 0;
}

/* The sweep of this rank: see the top of the file. */
static int sweep_rank(const struct config *cfg, const struct sweep *sw)
{
	int rank, ranks, rc = 1;
	struct share s = { .sw = sw };
	struct results mine = { 0 }, full = { 0 };
	unsigned char *packed = NULL, *all = NULL;
	int *counts = NULL, *displs = NULL;
	size_t n, rs = sw->result_size;
	unsigned workers = cfg->workers[0];
	enum model model = cfg->models[0];

	MPI_Comm_rank(MPI_COMM_WORLD, &rank);
	MPI_Comm_size(MPI_COMM_WORLD, &ranks);
	s.rank = rank;
	s.ranks = ranks;
	n = share_of(cfg->tasks, rank, ranks);
	struct run_spec spec = {
		.model = model,
		.workers = model == MODEL_SEQUENTIAL ? 1 : workers,
		.tasks = n,
		.fn = share_task,
		.ctx = &s,
		.local_init = sw->local_init ? share_init : NULL,
		.local_fini = sw->local_fini ? share_fini : NULL,
	};
	if (cfg->nmodels != 1 || (model != MODEL_SEQUENTIAL &&
				  model != MODEL_THREAD)) {
		if (rank == 0)
			fprintf(stderr, "pvt: %s-mpi: a rank runs --models "
				"sequential or thread\n", cfg->sc->name);
		MPI_Abort(MPI_COMM_WORLD, 2);
	}
	packed = malloc(n * rs + 1);
	if (rank == 0) {
		counts = calloc((size_t)ranks, sizeof(*counts));
		displs = calloc((size_t)ranks, sizeof(*displs));
		all = malloc(cfg->tasks * rs + 1);
		for (int r = 0, at = 0; counts && displs && r < ranks; r++) {
			counts[r] = (int)(share_of(cfg->tasks, r, ranks) * rs);
			displs[r] = at;
			at += counts[r];
		}
		if (!counts || !displs || !all ||
		    results_create(&full, cfg->tasks, rs)) {
			fprintf(stderr, "pvt: %s-mpi: rank 0: out of memory\n",
				cfg->sc->name);
			MPI_Abort(MPI_COMM_WORLD, 1);
		}
	}
	if (!packed || results_create(&mine, n ? n : 1, rs)) {
		fprintf(stderr, "pvt: %s-mpi: rank %d: out of memory\n",
			cfg->sc->name, rank);
		MPI_Abort(MPI_COMM_WORLD, 1);
	}
	int hosts = count_hosts(rank, ranks);

	if (rank == 0) {
		printf("ready,%d,%d\n", ranks, hosts);
		fflush(stdout);
	}
	rc = 0;
	for (unsigned rep = 0; rep < cfg->warmup + cfg->repeat; rep++) {
		struct rank_row row;

		repetition(cfg, sw, &spec, &mine, &full, packed, counts,
			   displs, all, &row);
		if (rank != 0 || rep < cfg->warmup)
			continue;
		printf("row,%u,%.9f,%.6f,%.6f,%ld,%ld,%d%s%s\n",
		       rep - cfg->warmup + 1, row.wall_s, row.user_s,
		       row.sys_s, row.max_rss_kib, row.failed, row.ok,
		       row.ok ? "" : ",", row.ok ? "" : row.why);
		fflush(stdout);
		if (!row.ok)
			rc = 1;
	}
	results_destroy(&mine);
	if (rank == 0)
		results_destroy(&full);
	free(packed);
	free(all);
	free(counts);
	free(displs);
	return rc;
}

/* LeakSanitizer's hook (asan test mode): Open MPI keeps what MPI_Init
 * allocates in plugins it unloads at MPI_Finalize, where no stack can
 * name them, so a rank program is left out of the leak check; every
 * other pvt program keeps it. */
int __lsan_is_turned_off(void);
int __lsan_is_turned_off(void)
{
	return 1;
}

int main(int argc, char **argv)
{
	const struct scenario *sc = &PVT_SCENARIO;
	int provided = 0, rc;

	MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided);
	if (provided < MPI_THREAD_FUNNELED) {
		fprintf(stderr, "pvt: %s-mpi: this Open MPI gives no "
			"MPI_THREAD_FUNNELED\n", sc->name);
		MPI_Abort(MPI_COMM_WORLD, 1);
	}
	sweep_rank_hook = sweep_rank;
	rc = cli_run(sc, argc, argv, 0);
	/* a rank that could not take part (a usage error, a failed run)
	 * ends the whole job, so that no other rank waits for it forever */
	if (rc)
		MPI_Abort(MPI_COMM_WORLD, rc);
	MPI_Finalize();
	return rc;
}

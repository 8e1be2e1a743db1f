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
 *   fig,REP,V,V...                    after it, when the workload has
 *                                     figures of its own (extra_cols)
 *
 * user_s and sys_s are summed over the ranks, max_rss_kib is the
 * largest, FAILED counts failed and wrong tasks; each task's state
 * (done or failed) travels with its result, so that rank 0 counts the
 * workload's figures (download: bytes, failures by cause) as the
 * parent of the other models does. Ranks share nothing but these
 * messages.
 */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <mpi.h>
#include <stdatomic.h>
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
	double extra[SWEEP_MAX_EXTRA];	/* the workload's figures; NAN */
	char why[400];
};

/* How many figures of its own the workload has (its extra_cols). */
static int extra_count(const struct sweep *sw)
{
	int n = 0;

	for (const char *c = sw->extra_cols; c && *c; c += strcspn(c, ","),
	     c += *c == ',')
		n++;
	return n < SWEEP_MAX_EXTRA ? n : SWEEP_MAX_EXTRA;
}

/* One task's record in the gather: its state (enum task_state), then
 * its result. */
static size_t record_size(const struct sweep *sw)
{
	return 1 + sw->result_size;
}

/* What a repetition gathers to rank 0, and where. */
struct gather {
	unsigned char *packed;	/* this rank's records */
	unsigned char *all;	/* rank 0: every rank's, rank by rank */
	int *counts, *displs;	/* rank 0: bytes and offset of each rank's */
	long *failed;		/* rank 0: failed tasks of each rank */
	int ranks;
};

/* Rank 0's buffers for g (the others keep NULL). Returns 0, or -1. */
static int gather_alloc(struct gather *g, const struct config *cfg,
			const struct sweep *sw, int rank, int ranks, size_t n)
{
	size_t rec = record_size(sw);

	g->ranks = ranks;
	g->packed = malloc(n * rec + 1);
	if (rank != 0)
		return g->packed ? 0 : -1;
	g->counts = calloc((size_t)ranks, sizeof(*g->counts));
	g->displs = calloc((size_t)ranks, sizeof(*g->displs));
	g->failed = calloc((size_t)ranks, sizeof(*g->failed));
	g->all = malloc(cfg->tasks * rec + 1);
	if (!g->packed || !g->counts || !g->displs || !g->failed || !g->all)
		return -1;
	for (int r = 0, at = 0; r < ranks; r++) {
		g->counts[r] = (int)(share_of(cfg->tasks, r, ranks) * rec);
		g->displs[r] = at;
		at += g->counts[r];
	}
	return 0;
}

static void gather_free(struct gather *g)
{
	free(g->packed);
	free(g->all);
	free(g->counts);
	free(g->displs);
	free(g->failed);
}

/* Rank 0: why a repetition failed on the ranks, with the ranks named. */
static void say_failed_ranks(const struct gather *g, long sum, char *why,
			     size_t len)
{
	size_t at = (size_t)snprintf(why, len, "%ld task(s) failed on the "
				     "ranks:", sum);
	int named = 0;

	for (int r = 0; r < g->ranks && at < len; r++)
		if (g->failed[r])
			at += (size_t)snprintf(why + at, len - at, "%s rank %d "
					       "%ld", named++ ? "," : "", r,
					       g->failed[r]);
}

/* One repetition. On rank 0, fills out: the wall time, the sums, the
 * workload's figures and the verdict of verify over the gathered
 * results (full). */
static int repetition(const struct config *cfg, const struct sweep *sw,
		      const struct run_spec *spec, struct results *mine,
		      struct results *full, struct gather *g,
		      struct rank_row *out)
{
	const struct share *s = spec->ctx;
	size_t n = spec->tasks, rs = sw->result_size, rec = record_size(sw);
	struct run_stats st;
	double t0, cpu[2], cpu_sum[2];
	long failed, failed_sum = 0, rss = 0, rss_max = 0;

	memset(out, 0, sizeof(*out));
	for (int i = 0; i < SWEEP_MAX_EXTRA; i++)
		out->extra[i] = NAN;
	MPI_Barrier(MPI_COMM_WORLD);
	t0 = measure_now();
	if (workers_run(spec, mine, &st) && !st.failed && !st.lost)
		st.failed = n;	/* a worker could not start or died */
	for (size_t i = 0; i < n; i++) {
		g->packed[i * rec] = (unsigned char)
				     atomic_load(&results_log(mine, i)->state);
		memcpy(g->packed + i * rec + 1, results_at(mine, i), rs);
	}
	MPI_Gatherv(g->packed, (int)(n * rec), MPI_BYTE, g->all, g->counts,
		    g->displs, MPI_BYTE, 0, MPI_COMM_WORLD);
	out->wall_s = measure_now() - t0;
	cpu[0] = st.user_s;
	cpu[1] = st.sys_s;
	failed = (long)(st.failed + st.lost);
	rss = st.max_rss_kib;
	MPI_Reduce(cpu, cpu_sum, 2, MPI_DOUBLE, MPI_SUM, 0, MPI_COMM_WORLD);
	MPI_Gather(&failed, 1, MPI_LONG, g->failed, 1, MPI_LONG, 0,
		   MPI_COMM_WORLD);
	MPI_Reduce(&rss, &rss_max, 1, MPI_LONG, MPI_MAX, 0, MPI_COMM_WORLD);
	if (s->rank != 0)
		return 0;
	for (int r = 0; r < s->ranks; r++)
		failed_sum += g->failed[r];
	out->user_s = cpu_sum[0];
	out->sys_s = cpu_sum[1];
	out->max_rss_kib = rss_max;
	out->failed = failed_sum;
	/* every task back in its own slot, then the scenario's check */
	for (int r = 0; r < s->ranks; r++) {
		size_t k = share_of(cfg->tasks, r, s->ranks);

		for (size_t i = 0; i < k; i++) {
			const unsigned char *from = g->all + g->displs[r] +
						    i * rec;
			size_t t = (size_t)r + i * (size_t)s->ranks;

			atomic_store(&results_log(full, t)->state, from[0]);
			memcpy(results_at(full, t), from + 1, rs);
		}
	}
	if (sw->extra) {
		st.user_s = out->user_s;
		st.sys_s = out->sys_s;
		st.max_rss_kib = out->max_rss_kib;
		sw->extra(sw->ctx, full, &st, out->extra);
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
		say_failed_ranks(g, failed_sum, out->why, sizeof(out->why));
	out->ok = out->failed == 0;
	return 0;
}

/* The sweep of this rank: see the top of the file. */
static int sweep_rank(const struct config *cfg, const struct sweep *sw)
{
	int rank, ranks, rc = 1;
	struct share s = { .sw = sw };
	struct results mine = { 0 }, full = { 0 };
	struct gather g = { 0 };
	size_t n;
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
	if (gather_alloc(&g, cfg, sw, rank, ranks, n) ||
	    results_create(&mine, n ? n : 1, sw->result_size) ||
	    (rank == 0 && results_create(&full, cfg->tasks,
					 sw->result_size))) {
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

		repetition(cfg, sw, &spec, &mine, &full, &g, &row);
		if (rank != 0 || rep < cfg->warmup)
			continue;
		printf("row,%u,%.9f,%.6f,%.6f,%ld,%ld,%d%s%s\n",
		       rep - cfg->warmup + 1, row.wall_s, row.user_s,
		       row.sys_s, row.max_rss_kib, row.failed, row.ok,
		       row.ok ? "" : ",", row.ok ? "" : row.why);
		if (extra_count(sw)) {
			printf("fig,%u", rep - cfg->warmup + 1);
			for (int i = 0; i < extra_count(sw); i++)
				printf(",%.17g", row.extra[i]);
			printf("\n");
		}
		fflush(stdout);
		if (!row.ok)
			rc = 1;
	}
	results_destroy(&mine);
	if (rank == 0)
		results_destroy(&full);
	gather_free(&g);
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

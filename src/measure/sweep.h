/* sweep.h - one task workload under every model and worker count
 *
 * The client of the measuring layer (bench.h) for task workloads
 * (square, download): a configuration is a model at a worker count;
 * one repetition is one workers_run of every task, every result
 * verified; py-* configurations run the same tasks in python3, which
 * does its own warm-ups and repeats. Raw columns: the common and load
 * ones, then busy_s, gil_switches and the workload's extra_cols;
 * summary: the common and load ones, user_s, sys_s (medians), then the
 * workload's summary_cols.
 */
#ifndef PVT_SWEEP_H
#define PVT_SWEEP_H

#include "engine/workers.h"
#include "face/scenario.h"
#include "measure/bench.h"

#define SWEEP_MAX_EXTRA 10

struct sweep {
	task_fn fn;
	const void *ctx;
	size_t result_size;
	int (*local_init)(const void *ctx, void **local);
	void (*local_fini)(const void *ctx, void *local);
	/* Checks every task's result after a run. Returns the number of
	 * wrong results, with the first described in why. */
	size_t (*verify)(const void *ctx, const struct results *r,
			 char *why, size_t len);
	/* The workload's own raw columns ("bytes,timeouts"), at most
	 * SWEEP_MAX_EXTRA, filled after each run from its results; NAN
	 * leaves a field empty. */
	const char *extra_cols;
	void (*extra)(const void *ctx, const struct results *r,
		      const struct run_stats *st, double *vals);
	/* The workload's own summary columns ("ideal_s"), at most
	 * SWEEP_MAX_EXTRA, filled for each configuration that ran (k->wall,
	 * k->ok_runs); NAN leaves a field empty. */
	const char *summary_cols;
	void (*summary)(const void *ctx, const struct bench_conf *k,
			double *vals);
	/* The workload's own narration after the table, before the
	 * verdicts; or NULL. */
	void (*narrate)(const void *ctx, const struct bench_result *res);
	/* The py-* models: scenarios/python/<python> runs the same tasks,
	 * python_size work each (Python is slower: a smaller size keeps the
	 * run short; speedups are against py-sequential at that size).
	 * python_checksum is what the sum of all task checksums must be. */
	const char *python;
	const char *const *python_args;	/* the script's own options, NULL-
					 * terminated; or NULL */
	uint64_t python_size;
	uint64_t (*python_checksum)(const void *ctx, uint64_t tasks,
				    uint64_t size);
	/* The mpi models: the workload's own options for its ranks, after
	 * the scenario's options as given (NULL-terminated; or NULL), and
	 * why its ranks cannot run this time (NULL: they can), said when
	 * the models are skipped. */
	const char *const *mpi_args;
	const char *mpi_unusable;
};

/* The options of the mpi models, for the params of a scenario whose
 * descriptor sets .mpi. */
#define SWEEP_MPI_PARAMS \
	{ "hosts", PARAM_COUNT, "1", 1, 64, NULL, \
	  "hosts the mpi models' ranks spread over: 1 is this machine; " \
	  "more need pvt cluster up N, or --hostfile" }, \
	{ "hostfile", PARAM_STRING, NULL, 0, 0, NULL, \
	  "an Open MPI hostfile of a real cluster (its first --hosts " \
	  "hosts)" }, \
	{ "threads-per-rank", PARAM_COUNT, "2", 1, 256, NULL, \
	  "threads in each rank of the mpi-thread model" }

/* The numeric address at which the ranks of cfg's mpi models reach a
 * server on this machine (download's): 127.0.0.1 with --hosts 1, the
 * bridge's own address on pvt cluster's hosts. Returns 0; or -1 with the
 * reason in why and 127.0.0.1 in addr (--hostfile's hosts may be other
 * machines; a cluster that says no address). */
int sweep_mpi_home(const struct config *cfg, char *addr, size_t len,
		   char *why, size_t why_len);

/* Set by build/bin/NAME-mpi (mpi/rank.c) before cli_run: sweep_run then
 * hands the sweep to it, as one Open MPI rank, instead of measuring. */
extern int (*sweep_rank_hook)(const struct config *cfg,
			      const struct sweep *sw);

/* Runs the sweep that cfg describes: CSV files, narration, verdicts (see
 * bench_run). Returns the exit status (0, 1 when a run failed, 128+signal
 * when interrupted). */
int sweep_run(const struct config *cfg, const struct sweep *sw);

#endif

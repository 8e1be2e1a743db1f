/* sweep.h - one workload under every model and worker count, measured
 *
 * The method of every workload scenario (square, download): for each
 * model and worker count, warm-up runs that are discarded, then --repeat
 * measured runs; every run's results verified; the raw and summary CSV
 * written atomically; a narrated table printed.
 */
#ifndef PVT_SWEEP_H
#define PVT_SWEEP_H

#include "measure/measure.h"
#include "face/scenario.h"
#include "engine/workers.h"

#define SWEEP_MAX_EXTRA 8

struct sweep_conf;

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
	/* The workload's own summary columns ("ideal_s"), after user_s and
	 * sys_s, at most SWEEP_MAX_EXTRA, filled for each configuration
	 * that ran once its runs are summarised (k->wall, k->ok_runs);
	 * NAN leaves a field empty. */
	const char *summary_cols;
	void (*summary)(const void *ctx, const struct sweep_conf *k,
			double *vals);
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
};

/* One measured run. */
struct sweep_row {
	enum model model;
	unsigned workers, rep;
	uint64_t size;		/* work per task: python_size for py-* */
	struct run_stats st;
	double extra[SWEEP_MAX_EXTRA];
	int ok;
};

/* One configuration: a model at a worker count. */
struct sweep_conf {
	enum model model;
	unsigned workers;
	uint64_t size;
	struct stats wall;	/* over the ok runs */
	double speedup, efficiency;	/* against sequential (py-sequential
					 * for py-*); NAN without one */
	double user_s, sys_s;	/* medians */
	size_t runs, ok_runs;
	int ok;
	char *picture;		/* --timeline: a text timeline, or NULL */
	double picture_col_s;	/* the time one of its characters stands for */
	double extra[SWEEP_MAX_EXTRA];	/* sweep.summary's columns */
};

struct sweep_result {
	struct sweep_row *rows;
	size_t nrows;
	struct sweep_conf *confs;
	size_t nconfs;
	int failed;		/* some run failed or was wrong */
	int interrupted;	/* the signal, or 0 */
};

/* Runs the sweep that cfg describes, writes results/NAME.csv and
 * NAME.summary.csv, prints the narrated table. Returns the exit status
 * (0, 1 when a run failed, 128+signal when interrupted); *res is filled
 * for the scenario's own narration and must be freed with sweep_free. */
int sweep_run(const struct config *cfg, const struct sweep *sw,
	      struct sweep_result *res);
void sweep_free(struct sweep_result *res);

/* Writes the common raw columns (scenario .. ok) of one run: for
 * scenarios that write their own rows after them. */
struct csv;
void sweep_common_fields(struct csv *c, const char *scenario, enum model m,
			 unsigned workers, uint64_t tasks, uint64_t size,
			 unsigned rep, const struct run_stats *st, int ok);

#define SWEEP_RAW_COLS "scenario,model,workers,tasks,size,rep,wall_s," \
		       "user_s,sys_s,max_rss_kib,failed,ok"

/* Writes the common summary columns (scenario .. ok) of one
 * configuration: the statistics of its ok runs' wall_s (wall NULL when
 * none was ok: the figures are left empty), speedup and efficiency (NAN:
 * empty). For scenarios that write their own summary rows. */
void sweep_summary_fields(struct csv *c, const char *scenario, enum model m,
			  unsigned workers, uint64_t tasks, uint64_t size,
			  const struct stats *wall, double speedup,
			  double efficiency, int ok);

#define SWEEP_SUMMARY_COLS "scenario,model,workers,tasks,size,n,median_s," \
			   "min_s,max_s,mean_s,stddev_s,ci95_s,speedup," \
			   "efficiency,noisy,ok"

/* The configuration of model m at w workers, or NULL. */
const struct sweep_conf *sweep_find(const struct sweep_result *res,
				    enum model m, unsigned w);

#endif

/* bench.h - the one measuring layer: configurations x warm-ups x repeats
 *
 * A measuring scenario describes what it measures (struct bench) and
 * lists its configurations (bench_add); bench_run does the rest, the
 * same way for every scenario:
 *
 *   for each configuration: --warmup repetitions, discarded, then
 *   --repeat measured ones, each one call of bench.run that fills one
 *   row of named figures, with the machine's load sampled around it
 *   (load.h); then the statistics of every figure over the good rows;
 *   the scenario's checks (struct scenario's check, verdict.h) judged;
 *   NAME.csv, NAME.summary.csv and NAME.verdicts.csv written together,
 *   all or none; a narrated table, the verdicts its last lines.
 *
 * The columns, raw:  BENCH_RAW_COLS, BENCH_LOAD_COLS, then the scenario's
 * keys and figures; summary: BENCH_SUMMARY_COLS, BENCH_LOAD_COLS, the
 * keys, then bench.summary's and bench.derived_cols' columns. Units live
 * in the names (wall_s, round_trip_us, lost_updates); NAN is an empty
 * field, never 0.
 *
 * Ctrl-C (workers_stopped) ends the walk after the repetition under way;
 * the rows measured so far are written with "# interrupted: yes".
 */
#ifndef PVT_BENCH_H
#define PVT_BENCH_H

#include <stddef.h>
#include <stdint.h>

#include "engine/workers.h"
#include "face/scenario.h"
#include "measure/load.h"
#include "measure/measure.h"
#include "measure/verdict.h"

#define BENCH_MAX_KEYS 6
#define BENCH_MAX_FIGURES 20
#define BENCH_KEY_LEN 48

#define BENCH_RAW_COLS "scenario,model,workers,tasks,size,rep,wall_s," \
		       "user_s,sys_s,max_rss_kib,failed,ok"
#define BENCH_SUMMARY_COLS "scenario,model,workers,tasks,size,n,median_s," \
			   "min_s,max_s,mean_s,stddev_s,ci95_s,speedup," \
			   "efficiency,noisy,ok"
#define BENCH_LOAD_COLS "other_cpu,steal,busy"

/* One configuration: what one set of repetitions measures. */
struct bench_conf {
	enum model model;
	unsigned workers;
	uint64_t tasks, size;
	/* the scenario's own keys ("fork", "65536"), in bench.keys order;
	 * "" leaves a field empty */
	char key[BENCH_MAX_KEYS][BENCH_KEY_LEN];
	void *arg;		/* the scenario's, for bench.run */
	unsigned warmup, repeat;	/* cfg's by default; a scenario may
					 * lower them for a one-off run */
	int batch;		/* measured by bench.run_batch, not .run */

	/* filled by bench_run: */
	size_t runs, ok_runs, busy_runs;
	int ok;			/* every run good */
	struct stats wall;	/* wall_s over the good runs (n 0: none) */
	double speedup, efficiency;	/* NAN unless bench.speedup */
	struct load load;	/* around all its repetitions, warm-ups
				 * included: finer than one short run's */
	double other_cpu, steal;	/* = load's: the summary's columns */
	int busy;		/* load.busy, or some good run was busy */
	int load_unknown;	/* its repetitions, and the whole walk
				 * too, were too short for /proc/stat to
				 * tell (load.margin over LOAD_BUSY_SHARE
				 * of the cores); when only its own were,
				 * busy also takes the whole walk's */
	struct stats *fig;	/* [nfig]: every figure, bench_stats */
	double derived[BENCH_MAX_FIGURES];	/* bench.derive's columns */
};

/* One repetition. bench.run fills st and fig; the layer the rest. */
struct bench_row {
	struct bench_conf *conf;
	unsigned rep;		/* 1..repeat; 0 during a warm-up */
	/* wall_s, user_s, sys_s (NAN until set), max_rss_kib (-1),
	 * failed + lost (tasks that failed), why (the failure), as
	 * workers_run fills them */
	struct run_stats st;
	double fig[BENCH_MAX_FIGURES];	/* bench.figures, in order; NAN
					 * until set */
	struct load load;
	int ok;
};

enum bench_stat {
	BENCH_MEDIAN, BENCH_MIN, BENCH_MAX, BENCH_MEAN, BENCH_STDDEV,
	BENCH_CI95, BENCH_N,
};

/* A summary column: one statistic of one raw figure over the good runs
 * of a configuration. */
struct bench_sumcol {
	const char *name;	/* "median_us" */
	const char *figure;	/* "us_per_op", or a common one: "user_s" */
	enum bench_stat stat;
};

struct bench_result;

struct bench {
	void *ctx;		/* handed to every callback */
	/* The scenario's own key columns ("mech,parent_mem_kib"), at most
	 * BENCH_MAX_KEYS, or NULL. */
	const char *keys;
	/* The scenario's own raw figures ("lost_updates,ns_per_increment"),
	 * at most BENCH_MAX_FIGURES, or NULL. */
	const char *figures;
	/* One repetition of row->conf: fills row->st and row->fig. Returns
	 * 0, or -1 when the repetition failed, with the reason in
	 * row->st.why (the row is kept with ok 0 and the run exits 1). A
	 * repetition cut short by a signal sets row->st.interrupted: it is
	 * not kept. */
	int (*run)(void *ctx, struct bench_row *row);
	/* For a configuration with batch set (a program of its own doing
	 * its own warm-ups and repeats, as python3 does): fills up to
	 * k->repeat rows (conf and rep already set) and *n. Returns 0, or
	 * -1 when the whole batch failed (why in rows[0].st.why). The load
	 * is sampled around the whole batch. */
	int (*run_batch)(void *ctx, struct bench_conf *k,
			 struct bench_row *rows, unsigned *n);
	/* Called before a configuration's first repetition (a probe that
	 * sizes it, say); may change k's tasks, size and keys. Returns 0, or
	 * -1 to fail the configuration with why said on stderr; or NULL. */
	int (*begin)(void *ctx, struct bench_conf *k);
	/* Summary columns after the keys: statistics of figures, then
	 * derived_cols, filled by derive for each configuration that ran
	 * (NAN: empty). Either may be NULL. */
	const struct bench_sumcol *summary;	/* ends with a NULL name */
	const char *derived_cols;
	void (*derive)(void *ctx, const struct bench_result *res,
		       const struct bench_conf *k, double *vals);
	/* speedup = the median wall_s of the sequential configuration with
	 * the same keys (py-sequential for py-*) / this one's;
	 * efficiency = speedup / workers. 0: both left empty. */
	int speedup;
	/* The figure the narrated table shows the median of; NULL:
	 * wall_s. */
	const char *headline;
	/* The scenario's narrate prints its own tables (its figures differ
	 * from one configuration to the next): the layer prints only what
	 * other processes took. */
	int own_table;
	/* The scenario's own narration after the table; or NULL. The
	 * verdicts of the scenario's check (struct scenario) follow it. */
	void (*narrate)(void *ctx, const struct bench_result *res);
};

struct bench_result {
	const struct config *cfg;
	const struct bench *b;
	struct bench_conf *confs;
	size_t nconfs;
	struct bench_row *rows;	/* the measured rows, in order */
	size_t nrows;
	size_t nfig;		/* common + load + the scenario's figures */
	struct verdicts verdicts;
	struct load load;	/* over the whole walk, for the metadata */
	int failed;		/* some repetition failed */
	int interrupted;	/* the signal, or 0 */
};

/* Prepares res for bench_add. Returns 0, or -1 (out of memory, said
 * on stderr). */
int bench_init(struct bench_result *res, const struct config *cfg,
	       const struct bench *b);

/* Adds a configuration (cfg's warm-ups and repeats, no keys) and
 * returns it for the caller to set keys, arg and the rest; NULL when out
 * of memory (said on stderr). The pointer is valid until the next
 * bench_add; during bench_run, until bench_free. */
struct bench_conf *bench_add(struct bench_result *res, enum model m,
			     unsigned workers, uint64_t tasks,
			     uint64_t size);

/* Sets key i of k (printf). */
void bench_key(struct bench_conf *k, size_t i, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Runs every configuration, writes the CSV files, narrates (unless
 * --quiet), judges the checks. Returns the exit status: 0, 1 (a
 * repetition failed, or the files could not be written), 128+signal
 * when interrupted. A verdict never changes it. */
int bench_run(struct bench_result *res);

void bench_free(struct bench_result *res);

/* The statistics of figure `name` (a common figure, a load figure or
 * one of bench.figures) over k's good runs; n is 0 when none had a
 * value. Aborts on a name the scenario does not declare (a programming
 * error). */
const struct stats *bench_stats(const struct bench_result *res,
				 const struct bench_conf *k,
				 const char *name);

/* The first configuration of model m at w workers whose keys start
 * with the given ones (NULL: any), with at least one good run; or
 * NULL. */
const struct bench_conf *bench_find(const struct bench_result *res,
				    enum model m, unsigned w,
				    const char *const *keys);

/* Folds configuration k (NULL: not measured) into ev: its good runs,
 * whether it ran busy or too briefly to tell, and which way slowing it
 * moves the check's figure (verdict.h). */
void bench_evidence(struct verdict_evidence *ev, const struct bench_conf *k,
		    enum verdict_side side);

/* A one-shot demonstration's files (hello, isolation, shared_array,
 * crash): its own CSV c, filled and still open, and NAME.verdicts.csv
 * from vs, committed together or neither (c is aborted on failure); the
 * verdicts printed unless --quiet. Returns 0, or -1 with errno set
 * (said on stderr). */
int bench_demo_commit(const struct config *cfg, struct csv *c,
		      const struct verdicts *vs);

/* The common fields of one raw row (BENCH_RAW_COLS) and of one summary
 * row (BENCH_SUMMARY_COLS; wall NULL when no run was good: figures left
 * empty), for scenarios that still write their own files. */
struct csv;
void bench_raw_common(struct csv *c, const char *scenario, enum model m,
		      unsigned workers, uint64_t tasks, uint64_t size,
		      unsigned rep, const struct run_stats *st, int ok);
void bench_summary_common(struct csv *c, const char *scenario, enum model m,
			  unsigned workers, uint64_t tasks, uint64_t size,
			  const struct stats *wall, double speedup,
			  double efficiency, int ok);

#endif

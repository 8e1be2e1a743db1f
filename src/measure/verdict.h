/* verdict.h - a scenario's lesson as checks over its own figures
 *
 * A lesson is never printed unconditionally: each scenario states it as
 * checks ("process speedup at 2 workers >= 1.60"), and after a run each
 * check reads `holds`, `does not hold` (with the numbers) or
 * `inconclusive` (with the reason). A verdict never changes the exit
 * status: the run succeeded; the verdict is what it taught.
 *
 * The rules of evidence (verdict_weigh):
 * - nothing measured, or fewer than VERDICT_MIN_RUNS good runs in a
 *   configuration the check compares: inconclusive;
 * - a reason the figures cannot show the point (the workers never
 *   overlapped): inconclusive;
 * - (verdict_compare) a figure whose 95% confidence interval over the
 *   runs reaches across the bound: inconclusive, whichever side its
 *   median fell on. A slow spell of the machine that no counter shows
 *   (a shared host core, a clock change) shows as spread;
 * - a configuration that ran on a busy machine (load.h), or too briefly
 *   for its load to be told, moves the figure one way: slowing the
 *   numerator of a speedup lowers it, slowing its baseline raises it. An
 *   outcome that such a move could have produced is inconclusive; the
 *   outcome it works against stands. A process speedup reached beside a
 *   neighbour that only slowed the process runs holds; a flat gil
 *   speedup proves nothing when a neighbour slowed the gil runs; a band
 *   ("within 10%") is inconclusive whichever side was busy. So a busy
 *   run never prints `holds` for what its numbers could not show, nor
 *   `does not hold` for what the load alone could explain.
 */
#ifndef PVT_VERDICT_H
#define PVT_VERDICT_H

#include <stddef.h>
#include <time.h>

#define VERDICT_MIN_RUNS 3

enum verdict_kind {
	VERDICT_HOLDS,
	VERDICT_FAILS,		/* "does not hold" */
	VERDICT_INCONCLUSIVE,
	VERDICT_KINDS
};

/* Which way slowing a configuration moves a check's figure. */
enum verdict_side {
	VERDICT_SLOW_LOWERS,	/* the numerator of a speedup: a time's
				 * reciprocal */
	VERDICT_SLOW_RAISES,	/* a baseline, or a time compared as is */
};

/* Which figures make a check hold. */
enum verdict_dir {
	VERDICT_HIGHER_HOLDS,	/* at least a bound */
	VERDICT_LOWER_HOLDS,	/* at most a bound */
	VERDICT_BAND,		/* inside a band: either move can fake it */
};

enum verdict_cmp {
	VERDICT_AT_LEAST,	/* measured >= bound */
	VERDICT_AT_MOST,	/* measured <= bound */
};

/* What a check rests on: the configurations it compares, folded
 * together (bench_evidence does it for the measuring layer). */
struct verdict_evidence {
	size_t runs;		/* the fewest good runs of any of them */
	int up, down;		/* a busy (or unknown) configuration could
				 * have raised / lowered the figure */
	int unknown;		/* one ran too briefly for its load to be
				 * told */
	double other_cpu;	/* the most cores' worth others took in a
				 * busy one */
	const char *not_shown;	/* why the figures cannot show the point,
				 * or NULL */
	double spread;		/* relative 95% confidence half-width of
				 * the figure, from its configurations'
				 * (root sum of squares); 0: unknown */
};

/* No configuration folded in yet: verdict_weigh then says "not
 * measured" until one is. */
#define VERDICT_EVIDENCE_INIT { (size_t)-1, 0, 0, 0, 0, NULL, 0 }

/* Folds one configuration in: its good runs, whether it was busy or of
 * unknown load, the most others took, and which way it moves. */
void verdict_fold(struct verdict_evidence *ev, size_t runs, int busy,
		  int unknown, double other_cpu, enum verdict_side side);

struct verdict {
	char check[128];	/* what is checked: "process speedup at 2
				 * workers" */
	char expected[64];	/* ">= 1.60" */
	char measured[64];	/* "1.02x"; "" when nothing was measured */
	enum verdict_kind kind;
	char reason[192];	/* the numbers or why not; "" when holds */
};

struct verdicts {
	struct verdict *v;
	size_t n, cap;
};

/* The word for k: "holds", "does not hold", "inconclusive". */
const char *verdict_name(enum verdict_kind k);

/* The verdict that the rules of evidence (above) leave of `holds` (what
 * the numbers say on their own), with the reason in reason ("" when
 * nothing needs saying). */
enum verdict_kind verdict_weigh(int holds, enum verdict_dir dir,
				const struct verdict_evidence *ev,
				char *reason, size_t len);

/* Folds in the relative 95% confidence half-width of one compared
 * configuration's figure (ci95 / median): a ratio of two medians is as
 * uncertain as both together. */
void verdict_fold_spread(struct verdict_evidence *ev, double rel);

/* Appends a check of `measured` against `bound` (cmp), both printed
 * with fmt ("%.2fx"); measured NAN: nothing measured (inconclusive).
 * Beyond the rules of evidence, a figure whose confidence interval
 * (ev->spread) reaches across the bound is inconclusive: the runs spread
 * too much to tell which side it is on, whichever side the median fell.
 * Returns 0, or -1 when out of memory (nothing appended). */
int verdict_compare(struct verdicts *vs, const char *check, double measured,
		    enum verdict_cmp cmp, double bound, const char *fmt,
		    const struct verdict_evidence *ev);

/* Appends a check judged elsewhere: `holds` is what the numbers say,
 * weighed by verdict_weigh (dir: which figures make it hold); expected and measured are printed as given.
 * Returns 0, or -1 when out of memory. */
int verdict_add(struct verdicts *vs, const char *check, const char *expected,
		const char *measured, int holds, enum verdict_dir dir,
		const struct verdict_evidence *ev);

/* Appends a check of what a run showed rather than how fast it went (a
 * value read back, a count of survivors): one run is evidence enough and
 * the machine's load cannot fake it. not_shown: why this run cannot
 * show it (inconclusive), or NULL. Returns 0, or -1 when out of
 * memory. */
int verdict_fact(struct verdicts *vs, const char *check, const char *expected,
		 const char *measured, int holds, const char *not_shown);

/* How many verdicts are of each kind. */
void verdict_count(const struct verdicts *vs, size_t count[VERDICT_KINDS]);

void verdicts_free(struct verdicts *vs);

/* Writes the verdicts' metadata line ("verdicts: 2 holds, 0 does not
 * hold, 1 inconclusive") into c. */
struct csv;
void verdicts_meta(const struct verdicts *vs, struct csv *c);

/* Writes the rows of NAME.verdicts.csv (header VERDICT_COLS) into c. */
void verdicts_rows(const struct verdicts *vs, const char *scenario,
		   struct csv *c);

#define VERDICT_COLS "scenario,check,expected,measured,verdict,reason"

/* Prints the verdicts as the narration's last lines. */
void verdicts_print(const struct verdicts *vs);

/* Adds the verdicts of dir/NAME.verdicts.csv to count (which the
 * caller zeroes once), unless the file is older than `since` (left from
 * an earlier run). Returns 0, or -1 with errno set when it is absent,
 * older (ENOENT) or cannot be read (said on stderr). */
int verdicts_tally(const char *dir, const char *name, time_t since,
		   size_t count[VERDICT_KINDS]);

#endif

/* verdict.c - a scenario's lesson as checks over its own figures */
#define _POSIX_C_SOURCE 200809L
#include "measure/verdict.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "output/csv.h"

static const char *const kind_names[VERDICT_KINDS] = {
	"holds", "does not hold", "inconclusive",
};

const char *verdict_name(enum verdict_kind k)
{
	return k < VERDICT_KINDS ? kind_names[k] : "?";
}

void verdict_fold(struct verdict_evidence *ev, size_t runs, int busy,
		  int unknown, double other_cpu, enum verdict_side side)
{
	if (ev->runs == (size_t)-1 || runs < ev->runs)
		ev->runs = runs;
	if (!busy && !unknown)
		return;
	if (side == VERDICT_SLOW_RAISES)
		ev->up = 1;
	else
		ev->down = 1;
	if (busy && isfinite(other_cpu) && other_cpu > ev->other_cpu)
		ev->other_cpu = other_cpu;
	if (!busy)
		ev->unknown = 1;
}

void verdict_fold_spread(struct verdict_evidence *ev, double rel)
{
	if (isfinite(rel) && rel > 0)
		ev->spread = sqrt(ev->spread * ev->spread + rel * rel);
}

enum verdict_kind verdict_weigh(int holds, enum verdict_dir dir,
				const struct verdict_evidence *ev,
				char *reason, size_t len)
{
	int faked;

	reason[0] = 0;
	if (ev->runs == (size_t)-1 || ev->runs == 0) {
		snprintf(reason, len, "not measured");
		return VERDICT_INCONCLUSIVE;
	}
	if (ev->runs < VERDICT_MIN_RUNS) {
		snprintf(reason, len, "too few runs (%zu, at least %d)",
			 ev->runs, VERDICT_MIN_RUNS);
		return VERDICT_INCONCLUSIVE;
	}
	if (ev->not_shown) {
		snprintf(reason, len, "%s", ev->not_shown);
		return VERDICT_INCONCLUSIVE;
	}
	/* could the load alone have moved the figure to this outcome? */
	if (dir == VERDICT_BAND)
		faked = ev->up || ev->down;
	else if ((dir == VERDICT_HIGHER_HOLDS) == !!holds)
		faked = ev->up;
	else
		faked = ev->down;
	if (faked && ev->other_cpu > 0) {
		snprintf(reason, len, "busy machine: other processes took "
			 "%.2f core(s)", ev->other_cpu);
		return VERDICT_INCONCLUSIVE;
	}
	if (faked) {
		snprintf(reason, len, "the machine's load is unknown: the runs "
			 "were too short in all to tell (make them longer)");
		return VERDICT_INCONCLUSIVE;
	}
	return holds ? VERDICT_HOLDS : VERDICT_FAILS;
}

static struct verdict *append(struct verdicts *vs)
{
	if (vs->n == vs->cap) {
		size_t cap = vs->cap ? 2 * vs->cap : 8;
		struct verdict *v = realloc(vs->v, cap * sizeof(*v));

		if (!v)
			return NULL;
		vs->v = v;
		vs->cap = cap;
	}
	memset(&vs->v[vs->n], 0, sizeof(vs->v[0]));
	return &vs->v[vs->n++];
}

int verdict_add(struct verdicts *vs, const char *check, const char *expected,
		const char *measured, int holds, enum verdict_dir dir,
		const struct verdict_evidence *ev)
{
	struct verdict *v = append(vs);

	if (!v)
		return -1;
	snprintf(v->check, sizeof(v->check), "%s", check);
	snprintf(v->expected, sizeof(v->expected), "%s", expected);
	snprintf(v->measured, sizeof(v->measured), "%s", measured);
	v->kind = verdict_weigh(holds, dir, ev, v->reason, sizeof(v->reason));
	if (v->kind == VERDICT_FAILS)
		snprintf(v->reason, sizeof(v->reason), "measured %s, expected "
			 "%s", measured, expected);
	return 0;
}

/* x as a whole percentage, at most 999 (libm's round and fmin are not
 * needed for that: pvt's binaries link libc alone) */
static int percent(double x)
{
	double p = 100 * x + 0.5;

	return p < 999 ? (int)p : 999;
}

int verdict_compare(struct verdicts *vs, const char *check, double measured,
		    enum verdict_cmp cmp, double bound, const char *fmt,
		    const struct verdict_evidence *ev)
{
	struct verdict_evidence none = VERDICT_EVIDENCE_INIT;
	char want[64], got[64], num[48];
	struct verdict *v;
	int holds;

	snprintf(num, sizeof(num), fmt, bound);
	snprintf(want, sizeof(want), "%s %s",
		 cmp == VERDICT_AT_LEAST ? ">=" : "<=", num);
	got[0] = 0;
	if (isfinite(measured))
		snprintf(got, sizeof(got), fmt, measured);
	holds = cmp == VERDICT_AT_LEAST ? measured >= bound :
		measured <= bound;
	if (verdict_add(vs, check, want, got, holds,
			cmp == VERDICT_AT_LEAST ? VERDICT_HIGHER_HOLDS :
			VERDICT_LOWER_HOLDS, isfinite(measured) ? ev : &none))
		return -1;
	v = &vs->v[vs->n - 1];
	if (v->kind != VERDICT_INCONCLUSIVE && ev->spread > 0 &&
	    fabs(measured - bound) <= ev->spread * fabs(measured)) {
		v->kind = VERDICT_INCONCLUSIVE;
		snprintf(v->reason, sizeof(v->reason), "the runs spread too "
			 "much to tell: %.24s +/- %d%% (95%% confidence) "
			 "reaches %.24s (raise --repeat, or quiet the machine)",
			 got, percent(ev->spread), num);
	}
	return 0;
}

int verdict_fact(struct verdicts *vs, const char *check, const char *expected,
		 const char *measured, int holds, const char *not_shown)
{
	struct verdict_evidence ev = VERDICT_EVIDENCE_INIT;

	ev.runs = VERDICT_MIN_RUNS;	/* a fact needs no repeats */
	ev.not_shown = not_shown;
	return verdict_add(vs, check, expected, measured, holds,
			   VERDICT_HIGHER_HOLDS, &ev);
}

void verdict_count(const struct verdicts *vs, size_t count[VERDICT_KINDS])
{
	for (int k = 0; k < VERDICT_KINDS; k++)
		count[k] = 0;
	for (size_t i = 0; i < vs->n; i++)
		count[vs->v[i].kind]++;
}

void verdicts_free(struct verdicts *vs)
{
	free(vs->v);
	memset(vs, 0, sizeof(*vs));
}

void verdicts_meta(const struct verdicts *vs, struct csv *c)
{
	size_t n[VERDICT_KINDS];

	verdict_count(vs, n);
	csv_meta(c, "verdicts", "%zu holds, %zu does not hold, %zu "
		 "inconclusive", n[VERDICT_HOLDS], n[VERDICT_FAILS],
		 n[VERDICT_INCONCLUSIVE]);
}

void verdicts_rows(const struct verdicts *vs, const char *scenario,
		   struct csv *c)
{
	for (size_t i = 0; i < vs->n; i++) {
		const struct verdict *v = &vs->v[i];

		csv_str(c, scenario);
		csv_str(c, v->check);
		csv_str(c, v->expected);
		csv_str(c, v->measured);
		csv_str(c, verdict_name(v->kind));
		csv_str(c, v->reason);
		csv_end_row(c);
	}
}

void verdicts_print(const struct verdicts *vs)
{
	if (!vs->n)
		return;
	printf("\n  Verdicts (the lesson, checked against this run's own "
	       "numbers):\n");
	for (size_t i = 0; i < vs->n; i++) {
		const struct verdict *v = &vs->v[i];

		int why = v->kind == VERDICT_INCONCLUSIVE && v->reason[0];

		printf("  %-13s %s: %s (expected %s)%s%s\n",
		       verdict_name(v->kind), v->check,
		       v->measured[0] ? v->measured : "nothing measured",
		       v->expected, why ? "; " : "", why ? v->reason : "");
	}
}

int verdicts_tally(const char *dir, const char *name, time_t since,
		   size_t count[VERDICT_KINDS])
{
	char path[4096], err[512];
	struct csv_table t;
	struct stat sb;
	int col;

	snprintf(path, sizeof(path), "%s/%s.verdicts.csv", dir, name);
	if (stat(path, &sb))
		return -1;
	if (sb.st_mtime < since) {
		errno = ENOENT;		/* this run wrote none */
		return -1;
	}
	if (csv_read(path, &t, err, sizeof(err))) {
		fprintf(stderr, "pvt: %s\n", err);
		return -1;
	}
	col = csv_col(&t, "verdict");
	for (size_t i = 0; col >= 0 && i < t.nrows; i++)
		for (int k = 0; k < VERDICT_KINDS; k++)
			if (!strcmp(t.rows[i][col], kind_names[k]))
				count[k]++;
	csv_table_free(&t);
	return 0;
}

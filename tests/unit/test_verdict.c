/* test_verdict.c - the rules of evidence, and square's and download's
 * checks with figures that hold, that do not hold and that are
 * inconclusive */
#include <math.h>
#include <string.h>

#include "check.h"
#include "measure/bench.h"
#include "measure/sysinfo.h"

extern const struct scenario scenario_square, scenario_download;

static enum verdict_kind weigh(int holds, enum verdict_dir dir,
			       const struct verdict_evidence *ev)
{
	char why[192];

	return verdict_weigh(holds, dir, ev, why, sizeof(why));
}

static void rules(void)
{
	struct verdict_evidence quiet = VERDICT_EVIDENCE_INIT, none =
		VERDICT_EVIDENCE_INIT, few = VERDICT_EVIDENCE_INIT;
	struct verdict_evidence up = VERDICT_EVIDENCE_INIT, down =
		VERDICT_EVIDENCE_INIT, blind = VERDICT_EVIDENCE_INIT;
	char why[192];

	verdict_fold(&quiet, 5, 0, 0, 0.01, VERDICT_SLOW_LOWERS);
	verdict_fold(&quiet, 4, 0, 0, 0.02, VERDICT_SLOW_RAISES);
	CHECK(quiet.runs == 4 && !quiet.up && !quiet.down);
	CHECK(weigh(1, VERDICT_HIGHER_HOLDS, &quiet) == VERDICT_HOLDS);
	CHECK(weigh(0, VERDICT_HIGHER_HOLDS, &quiet) == VERDICT_FAILS);
	CHECK(weigh(0, VERDICT_BAND, &quiet) == VERDICT_FAILS);

	CHECK(verdict_weigh(1, VERDICT_HIGHER_HOLDS, &none, why,
			    sizeof(why)) == VERDICT_INCONCLUSIVE);
	CHECK(strcmp(why, "not measured") == 0);
	verdict_fold(&few, 2, 0, 0, 0, VERDICT_SLOW_LOWERS);
	CHECK(verdict_weigh(1, VERDICT_HIGHER_HOLDS, &few, why,
			    sizeof(why)) == VERDICT_INCONCLUSIVE);
	CHECK(strstr(why, "too few runs (2") != NULL);
	quiet.not_shown = "the workers never overlapped";
	CHECK(verdict_weigh(1, VERDICT_HIGHER_HOLDS, &quiet, why,
			    sizeof(why)) == VERDICT_INCONCLUSIVE);
	CHECK(strcmp(why, "the workers never overlapped") == 0);

	/* a busy numerator can only lower the figure */
	verdict_fold(&down, 5, 1, 0, 0.9, VERDICT_SLOW_LOWERS);
	verdict_fold(&down, 5, 0, 0, 0.0, VERDICT_SLOW_RAISES);
	CHECK(down.down && !down.up && down.other_cpu == 0.9);
	CHECK(weigh(1, VERDICT_HIGHER_HOLDS, &down) == VERDICT_HOLDS);
	CHECK(verdict_weigh(0, VERDICT_HIGHER_HOLDS, &down, why,
			    sizeof(why)) == VERDICT_INCONCLUSIVE);
	CHECK(strstr(why, "busy machine: other processes took 0.90") != NULL);
	CHECK(weigh(1, VERDICT_LOWER_HOLDS, &down) == VERDICT_INCONCLUSIVE);
	CHECK(weigh(0, VERDICT_LOWER_HOLDS, &down) == VERDICT_FAILS);
	CHECK(weigh(1, VERDICT_BAND, &down) == VERDICT_INCONCLUSIVE);
	/* a busy baseline can only raise it */
	verdict_fold(&up, 5, 1, 0, 1.2, VERDICT_SLOW_RAISES);
	CHECK(weigh(1, VERDICT_HIGHER_HOLDS, &up) == VERDICT_INCONCLUSIVE);
	CHECK(weigh(0, VERDICT_HIGHER_HOLDS, &up) == VERDICT_FAILS);
	CHECK(weigh(1, VERDICT_LOWER_HOLDS, &up) == VERDICT_HOLDS);
	/* a load too brief to tell counts as busy, with its own reason */
	verdict_fold(&blind, 5, 0, 1, NAN, VERDICT_SLOW_LOWERS);
	CHECK(verdict_weigh(0, VERDICT_HIGHER_HOLDS, &blind, why,
			    sizeof(why)) == VERDICT_INCONCLUSIVE);
	CHECK(strstr(why, "load is unknown") != NULL);
	CHECK(weigh(1, VERDICT_HIGHER_HOLDS, &blind) == VERDICT_HOLDS);
}

static void compare(void)
{
	struct verdict_evidence ev = VERDICT_EVIDENCE_INIT;
	struct verdicts vs = { 0 };
	size_t n[VERDICT_KINDS];

	verdict_fold(&ev, 5, 0, 0, 0, VERDICT_SLOW_LOWERS);
	CHECK(verdict_compare(&vs, "a", 1.7, VERDICT_AT_LEAST, 1.6, "%.2fx",
			      &ev) == 0);
	CHECK(verdict_compare(&vs, "b", 1.02, VERDICT_AT_LEAST, 1.6, "%.2fx",
			      &ev) == 0);
	CHECK(verdict_compare(&vs, "c", NAN, VERDICT_AT_MOST, 1.2, "%.2fx",
			      &ev) == 0);
	CHECK(vs.n == 3);
	CHECK(vs.v[0].kind == VERDICT_HOLDS && !strcmp(vs.v[0].expected,
						       ">= 1.60x") &&
	      !strcmp(vs.v[0].measured, "1.70x"));
	CHECK(vs.v[1].kind == VERDICT_FAILS &&
	      !strcmp(vs.v[1].reason, "measured 1.02x, expected >= 1.60x"));
	CHECK(vs.v[2].kind == VERDICT_INCONCLUSIVE &&
	      !strcmp(vs.v[2].reason, "not measured") && !vs.v[2].measured[0]);
	verdict_count(&vs, n);
	CHECK(n[VERDICT_HOLDS] == 1 && n[VERDICT_FAILS] == 1 &&
	      n[VERDICT_INCONCLUSIVE] == 1);
	CHECK(!strcmp(verdict_name(VERDICT_FAILS), "does not hold"));
	verdicts_free(&vs);
}

/* A finished run made by hand: what the scenario's check sees. */
struct fake {
	struct config cfg;
	struct bench b;
	struct bench_result res;
	unsigned workers[2];
};

static void fake_init(struct fake *f, const struct scenario *sc,
		      unsigned most)
{
	memset(f, 0, sizeof(*f));
	f->cfg.sc = sc;
	f->workers[0] = 1;
	f->workers[1] = most;
	f->cfg.workers = f->workers;
	f->cfg.nworkers = most > 1 ? 2 : 1;
	f->cfg.repeat = 5;
	bench_init(&f->res, &f->cfg, &f->b);
}

/* Adds model m at w workers: 5 good runs, median wall_s, busy or not. */
static struct bench_conf *fake_conf(struct fake *f, enum model m, unsigned w,
				    double wall, int busy)
{
	struct bench_conf *k = bench_add(&f->res, m, w, 64, 1);

	f->cfg.models[f->cfg.nmodels++] = m;
	k->runs = k->ok_runs = 5;
	k->ok = 1;
	k->wall.n = 5;
	k->wall.median = wall;
	k->busy = busy;
	k->load.other_cpu = busy ? 1.0 : 0.01;
	return k;
}

/* speedups against sequential, as bench_run computes them */
static void fake_speedups(struct fake *f)
{
	double base = NAN;

	for (size_t i = 0; i < f->res.nconfs; i++)
		if (f->res.confs[i].model == MODEL_SEQUENTIAL)
			base = f->res.confs[i].wall.median;
	for (size_t i = 0; i < f->res.nconfs; i++) {
		struct bench_conf *k = &f->res.confs[i];

		k->speedup = base / k->wall.median;
		k->efficiency = k->speedup / k->workers;
	}
}

/* The verdict of the check whose text starts with `check`, or -1. */
static int verdict_of(const struct verdicts *vs, const char *check)
{
	for (size_t i = 0; i < vs->n; i++)
		if (!strncmp(vs->v[i].check, check, strlen(check)))
			return (int)vs->v[i].kind;
	return -1;
}

/* square at n = cores workers: process at speedup sp, gil at sg, each
 * busy or not. */
static void square_case(unsigned n, double sp, int busy_p, double sg,
			int busy_g, struct verdicts *vs)
{
	struct fake f;

	fake_init(&f, &scenario_square, n);
	fake_conf(&f, MODEL_SEQUENTIAL, 1, 1.0, 0);
	fake_conf(&f, MODEL_PROCESS, n, 1.0 / sp, busy_p);
	fake_conf(&f, MODEL_THREAD, n, 1.0 / sp, busy_p);
	fake_conf(&f, MODEL_GIL, n, 1.0 / sg, busy_g);
	fake_speedups(&f);
	memset(vs, 0, sizeof(*vs));
	scenario_square.check(&f.res, vs);
	bench_free(&f.res);
}

static void square(void)
{
	unsigned n = (unsigned)sysinfo_cores();
	struct verdicts vs;

	/* speedups as shares of n; -1: no such verdict (one core) */
	static const struct {
		double process, gil;	/* process and thread alike */
		int busy_p, busy_g;
		int want_p, want_g;
	} cases[] = {
		/* quiet, as the lesson says */
		{ 0.9, 1.0, 0, 0, VERDICT_HOLDS, VERDICT_HOLDS },
		/* quiet, against the lesson */
		{ 0.5, 1.5, 0, 0, VERDICT_FAILS, VERDICT_FAILS },
		/* busy: a slowed process run and a flat gil prove nothing */
		{ 0.5, 1.0, 1, 1, VERDICT_INCONCLUSIVE, VERDICT_INCONCLUSIVE },
		/* busy, yet the speedup was reached: it stands */
		{ 0.95, 1.0, 1, 0, VERDICT_HOLDS, VERDICT_HOLDS },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		square_case(n, cases[i].process * n, cases[i].busy_p,
			    n > 1 ? cases[i].gil : 1.0, cases[i].busy_g, &vs);
		CHECK(verdict_of(&vs, "process speedup") == cases[i].want_p);
		CHECK(verdict_of(&vs, "thread speedup") == cases[i].want_p);
		CHECK(verdict_of(&vs, "gil speedup") ==
		      (n > 1 ? cases[i].want_g : -1));
		CHECK(verdict_of(&vs, "py-thread") == -1);	/* not run */
		verdicts_free(&vs);
	}
}

static void download_case(double thread_s, double process_s, int busy,
			  unsigned runs, struct verdicts *vs)
{
	struct fake f;
	struct bench_conf *k;

	fake_init(&f, &scenario_download, 8);
	fake_conf(&f, MODEL_PROCESS, 8, process_s, 0);
	k = fake_conf(&f, MODEL_THREAD, 8, thread_s, busy);
	k->runs = k->ok_runs = runs;
	memset(vs, 0, sizeof(*vs));
	scenario_download.check(&f.res, vs);
	bench_free(&f.res);
}

static void download(void)
{
	static const struct {
		double thread_s, process_s;
		int busy;
		unsigned runs;
		enum verdict_kind want;
		const char *why;	/* in the reason */
	} cases[] = {
		{ 0.105, 0.100, 0, 5, VERDICT_HOLDS, "" },
		{ 0.150, 0.100, 0, 5, VERDICT_FAILS, "1.50" },
		{ 0.100, 0.100, 1, 5, VERDICT_INCONCLUSIVE, "busy machine" },
		{ 0.100, 0.100, 0, 2, VERDICT_INCONCLUSIVE, "too few runs" },
	};
	struct verdicts vs;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		download_case(cases[i].thread_s, cases[i].process_s,
			      cases[i].busy, cases[i].runs, &vs);
		CHECK(vs.n == 1 && vs.v[0].kind == cases[i].want);
		CHECK(vs.n == 1 && strstr(vs.v[0].reason, cases[i].why));
		CHECK(vs.n == 1 && strstr(vs.v[0].check, "at 8 worker"));
		verdicts_free(&vs);
	}
}

int main(void)
{
	rules();
	compare();
	square();
	download();
	return CHECK_DONE();
}

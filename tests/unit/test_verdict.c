/* test_verdict.c - the rules of evidence, and the checks of square,
 * download, race and ipc with figures that hold, that do not hold and
 * that are inconclusive; a fact of one run (verdict_fact) */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "measure/bench.h"
#include "measure/sysinfo.h"

extern const struct scenario scenario_square, scenario_download,
	scenario_race, scenario_ipc;

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

/* A figure whose runs spread across the bound cannot be told either way:
 * 1.50x +/- 10% reaches 1.60x, 1.97x +/- 10% does not. */
static void spread(void)
{
	struct verdict_evidence wide = VERDICT_EVIDENCE_INIT,
		narrow = VERDICT_EVIDENCE_INIT;
	struct verdicts vs = { 0 };

	verdict_fold(&wide, 5, 0, 0, 0, VERDICT_SLOW_LOWERS);
	verdict_fold_spread(&wide, 0.06);
	verdict_fold(&wide, 5, 0, 0, 0, VERDICT_SLOW_RAISES);
	verdict_fold_spread(&wide, 0.08);
	CHECK(fabs(wide.spread - 0.10) < 1e-12);	/* root sum of squares */
	verdict_fold(&narrow, 5, 0, 0, 0, VERDICT_SLOW_LOWERS);
	verdict_fold_spread(&narrow, 0.03);
	verdict_fold_spread(&narrow, NAN);		/* no figure: no change */
	CHECK(verdict_compare(&vs, "a", 1.50, VERDICT_AT_LEAST, 1.6, "%.2fx",
			      &wide) == 0);
	CHECK(verdict_compare(&vs, "b", 1.50, VERDICT_AT_LEAST, 1.6, "%.2fx",
			      &narrow) == 0);
	CHECK(verdict_compare(&vs, "c", 1.97, VERDICT_AT_LEAST, 1.6, "%.2fx",
			      &wide) == 0);
	CHECK(verdict_compare(&vs, "d", 1.15, VERDICT_AT_MOST, 1.2, "%.2fx",
			      &wide) == 0);
	CHECK(vs.v[0].kind == VERDICT_INCONCLUSIVE &&
	      strstr(vs.v[0].reason, "the runs spread too much to tell: "
		     "1.50x +/- 10% (95% confidence) reaches 1.60x") != NULL);
	CHECK(vs.v[1].kind == VERDICT_FAILS);
	CHECK(vs.v[2].kind == VERDICT_HOLDS);
	CHECK(vs.v[3].kind == VERDICT_INCONCLUSIVE);	/* holds, by a hair */
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

/* race at 2 workers: 5 runs of each method; none_lost[i] and overlap[i]
 * for the runs without a lock (the locked ones overlap like them);
 * mutex_lost in every mutex run. */
static void race_case(const double *none_lost, const double *overlap,
		      int busy, double mutex_lost, struct verdicts *vs)
{
	static const char *const methods[] = { "none", "mutex", "atomic" };
	struct fake f;

	fake_init(&f, &scenario_race, 2);
	f.b.figures = "expected,actual,lost_updates,lost_pct,overlap_s,"
		      "loop_s,ns_per_increment";
	f.res.rows = calloc(15, sizeof(*f.res.rows));
	for (int m = 0; m < 3; m++) {
		struct bench_conf *k = fake_conf(&f, MODEL_THREAD, 2, 0.01,
						 busy);

		bench_key(k, 0, "%s", methods[m]);
	}
	for (size_t i = 0; f.res.rows && i < 15; i++) {
		struct bench_row *row = &f.res.rows[f.res.nrows++];

		row->conf = &f.res.confs[i / 5];
		row->ok = 1;
		row->fig[2] = i < 5 ? none_lost[i] : i < 10 ? mutex_lost : 0;
		row->fig[4] = overlap[i % 5];
	}
	memset(vs, 0, sizeof(*vs));
	scenario_race.check(&f.res, vs);
	bench_free(&f.res);
}

static void race(void)
{
	static const double lost[5] = { 9e5, 0, 4e5, 7e5, 1e6 };
	static const double none[5] = { 0, 0, 0, 0, 0 };
	static const double apart[5] = { 0, 0, 0, 0, 0 };
	static const double at_once[5] = { 3e-3, 1e-6, 2e-3, 3e-3, 3e-3 };
	static const struct {
		const double *lost, *overlap;
		int busy;
		double mutex_lost;
		int want_none, want_mutex;
		const char *why;
	} cases[] = {
		/* the workers ran at once and lost updates; the lock none */
		{ lost, at_once, 0, 0, VERDICT_HOLDS, VERDICT_HOLDS, "" },
		/* busy, yet lost: a neighbour cannot make updates vanish */
		{ lost, at_once, 1, 0, VERDICT_HOLDS, VERDICT_HOLDS, "" },
		/* at once on a quiet machine, nothing lost: against it */
		{ none, at_once, 0, 0, VERDICT_FAILS, VERDICT_HOLDS,
		  "measured lost in 0 of 5" },
		/* at once beside a neighbour that kept them apart */
		{ none, at_once, 1, 0, VERDICT_INCONCLUSIVE, VERDICT_HOLDS,
		  "busy machine" },
		/* never at once: nothing to show, nothing to protect */
		{ none, apart, 0, 0, VERDICT_INCONCLUSIVE,
		  VERDICT_INCONCLUSIVE, "never overlapped" },
		/* a mutex that lost updates */
		{ lost, at_once, 0, 2, VERDICT_HOLDS, VERDICT_FAILS, "" },
	};
	struct verdicts vs;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		race_case(cases[i].lost, cases[i].overlap, cases[i].busy,
			  cases[i].mutex_lost, &vs);
		CHECK(vs.n == 3);
		CHECK(verdict_of(&vs, "thread x2 none:") == cases[i].want_none);
		CHECK(verdict_of(&vs, "thread x2 mutex:") ==
		      cases[i].want_mutex);
		CHECK(vs.n == 3 && strstr(vs.v[0].reason, cases[i].why));
		verdicts_free(&vs);
	}
}

/* ipc: spsc and pipe MB/s at 64 KiB; round trips pinned (process,
 * thread) and the pipe calls alone (µs); busy: the spsc and thread
 * configurations ran beside a neighbour. With mpi (mpi1 not NAN): the
 * round trips of a thread over spsc rings and of two ranks on one host
 * and (mpi2 not NAN) across two. */
struct ipc_rtt {
	double spsc, mpi1, mpi2;
};

static void ipc_case(double spsc, double pipe, double rtt_p, double rtt_t,
		     double calls, int busy, const struct ipc_rtt *mpi,
		     struct verdicts *vs)
{
	static uint64_t sizes[] = { 4096, 65536 };
	struct param_value pv[7];
	struct fake f;
	struct {
		enum model m;
		unsigned w;
		const char *test, *chan, *msg, *hosts, *pinned, *fig;
		double v;
		int busy;
	} c[] = {
		{ MODEL_THREAD, 2, "bandwidth", "spsc", "65536", "1", "", "mbps",
		  spsc, busy },
		{ MODEL_PROCESS, 2, "bandwidth", "pipe", "65536", "1", "",
		  "mbps", pipe, 0 },
		{ MODEL_SEQUENTIAL, 1, "overhead", "pipe", "8", "1", "",
		  "rtt_us", calls, 0 },
		{ MODEL_PROCESS, 2, "latency", "pipe", "8", "1", "1", "rtt_us",
		  rtt_p, 0 },
		{ MODEL_THREAD, 2, "latency", "pipe", "8", "1", "1", "rtt_us",
		  rtt_t, busy },
		{ MODEL_THREAD, 2, "latency", "spsc", "8", "1", "0", "rtt_us",
		  mpi ? mpi->spsc : NAN, 0 },
		{ MODEL_MPI, 2, "latency", "mpi", "8", "1", "", "rtt_us",
		  mpi ? mpi->mpi1 : NAN, 0 },
		{ MODEL_MPI, 2, "latency", "mpi", "8", "2", "", "rtt_us",
		  mpi ? mpi->mpi2 : NAN, 0 },
	};

	memset(pv, 0, sizeof(pv));
	pv[1].sizes = sizes;	/* --sizes 4KiB,64KiB */
	pv[1].n = 2;
	pv[3].u = 65536;	/* --capacity */
	pv[4].u = 1000;		/* --rounds */
	pv[5].u = mpi && !isnan(mpi->mpi2) ? 2 : 1;	/* --hosts */
	fake_init(&f, &scenario_ipc, 2);
	f.cfg.pv = pv;
	f.b.keys = "test,channel,msg_bytes,hosts,pinned,cpu";
	f.b.figures = "messages,bytes,rounds,transfer_s,mbps,rtt_us";
	f.res.nfig = 12;	/* the common 6 and these 6 */
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		struct bench_conf *k;
		struct stats *s;

		if (isnan(c[i].v))
			continue;	/* not measured */
		k = fake_conf(&f, c[i].m, c[i].w, 0.1, c[i].busy);
		bench_key(k, 0, "%s", c[i].test);
		bench_key(k, 1, "%s", c[i].chan);
		bench_key(k, 2, "%s", c[i].msg);
		bench_key(k, 3, "%s", c[i].hosts);
		bench_key(k, 4, "%s", c[i].pinned);
		k->fig = calloc(f.res.nfig, sizeof(*k->fig));
		s = (struct stats *)bench_stats(&f.res, k, c[i].fig);
		s->n = 5;
		s->median = c[i].v;
	}
	memset(vs, 0, sizeof(*vs));
	scenario_ipc.check(&f.res, vs);
	bench_free(&f.res);
}

static void ipc(void)
{
	struct verdicts vs;

	/* as the lesson says */
	ipc_case(6000, 2500, 8, 6, 1, 0, NULL, &vs);
	CHECK(vs.n == 4);
	CHECK(verdict_of(&vs, "spsc ring (threads) MB/s over pipe (processes) "
			 "at 65536-byte") == VERDICT_HOLDS);
	CHECK(verdict_of(&vs, "process round trip") == VERDICT_HOLDS);
	CHECK(verdict_of(&vs, "thread round trip on one CPU over its") ==
	      VERDICT_HOLDS);
	CHECK(verdict_of(&vs, "thread round trip on one CPU over a process") ==
	      VERDICT_HOLDS);
	CHECK(vs.n == 4 && !strcmp(vs.v[0].expected, ">= 1.00x") &&
	      !strcmp(vs.v[0].measured, "2.40x"));
	verdicts_free(&vs);
	/* against it, on a quiet machine */
	ipc_case(2000, 2500, 1.5, 0.5, 1, 0, NULL, &vs);
	CHECK(verdict_of(&vs, "spsc") == VERDICT_FAILS);
	CHECK(verdict_of(&vs, "process round trip") == VERDICT_FAILS);
	CHECK(verdict_of(&vs, "thread round trip on one CPU over a process") ==
	      VERDICT_FAILS);
	verdicts_free(&vs);
	/* a slowed spsc ring proves nothing against it; a slowed thread
	 * round trip nothing for it */
	ipc_case(2000, 2500, 8, 6, 1, 1, NULL, &vs);
	CHECK(verdict_of(&vs, "spsc") == VERDICT_INCONCLUSIVE);
	CHECK(verdict_of(&vs, "thread round trip on one CPU over its") ==
	      VERDICT_INCONCLUSIVE);
	CHECK(verdict_of(&vs, "process round trip") == VERDICT_HOLDS);
	verdicts_free(&vs);
	/* ranks on one host: a message costs more than shared memory */
	ipc_case(6000, 2500, 8, 6, 1, 0,
		 &(struct ipc_rtt){ .spsc = 0.3, .mpi1 = 1.2, .mpi2 = NAN },
		 &vs);
	CHECK(vs.n == 5);
	CHECK(verdict_of(&vs, "mpi round trip on one host over a thread one") ==
	      VERDICT_HOLDS);
	CHECK(!strcmp(vs.v[4].measured, "4.00x"));
	verdicts_free(&vs);
	/* and across hosts more again; against it, both fail */
	ipc_case(6000, 2500, 8, 6, 1, 0,
		 &(struct ipc_rtt){ .spsc = 0.3, .mpi1 = 1.2, .mpi2 = 50 },
		 &vs);
	CHECK(vs.n == 6);
	CHECK(verdict_of(&vs, "mpi round trip across 2 hosts") ==
	      VERDICT_HOLDS);
	verdicts_free(&vs);
	ipc_case(6000, 2500, 8, 6, 1, 0,
		 &(struct ipc_rtt){ .spsc = 2, .mpi1 = 1, .mpi2 = 0.5 }, &vs);
	CHECK(verdict_of(&vs, "mpi round trip on one host over a thread one") ==
	      VERDICT_FAILS);
	CHECK(verdict_of(&vs, "mpi round trip across 2 hosts") ==
	      VERDICT_FAILS);
	verdicts_free(&vs);
}

/* A fact of one run: no repeats needed, the load beside the point. */
static void fact(void)
{
	struct verdicts vs = { 0 };

	CHECK(!verdict_fact(&vs, "process: pvt reads its old values", "0",
			    "0", 1, NULL));
	CHECK(!verdict_fact(&vs, "thread: pvt reads what was written", "1",
			    "0", 0, NULL));
	CHECK(!verdict_fact(&vs, "process x1: survivors finish", "0", "0",
			    1, "one worker: no other to go on"));
	CHECK(vs.n == 3 && vs.v[0].kind == VERDICT_HOLDS);
	CHECK(vs.n == 3 && vs.v[1].kind == VERDICT_FAILS &&
	      !strcmp(vs.v[1].reason, "measured 0, expected 1"));
	CHECK(vs.n == 3 && vs.v[2].kind == VERDICT_INCONCLUSIVE &&
	      !strcmp(vs.v[2].reason, "one worker: no other to go on"));
	verdicts_free(&vs);
}

int main(void)
{
	rules();
	compare();
	spread();
	square();
	download();
	race();
	ipc();
	fact();
	return CHECK_DONE();
}

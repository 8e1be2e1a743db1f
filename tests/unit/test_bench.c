/* test_bench.c - the measuring layer: warm-ups and repeats, statistics
 * of every figure, the CSV files and their columns, a repetition that
 * fails, a full disk (all files or none), an interrupted walk */
#define _GNU_SOURCE		/* mkdtemp, mount */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "measure/bench.h"
#include "measure/sysinfo.h"
#include "output/csv.h"

static int near(double a, double b)
{
	return fabs(a - b) < 1e-9 * (fabs(b) + 1);
}

/* What the fake scenario's repetitions return, by rep (0: warm-ups). */
static const double walls[] = { 9.0, 1.0, 1.2, 1.1, 1.4, 1.3 };
static const double trips[] = { 99, 10, 30, 20, 50, 40 };

struct fake {
	unsigned calls;		/* every call, warm-ups included */
	unsigned fail_rep;	/* this rep of conf "bad" fails; 0: none */
	unsigned stop_at;	/* workers_stop() at this call; 0: never */
	long nap_ms;		/* conf "long" sleeps this long per call */
	char order[64];		/* the configurations called, in turn */
};

static int fake_run(void *ctx, struct bench_row *row)
{
	struct fake *f = ctx;

	if (f->calls < sizeof(f->order) - 1)
		f->order[f->calls] = (char)('0' + (row->conf->workers == 2 ? 1 :
				     !strcmp(row->conf->key[0], "bad") ? 2 : 0));
	f->calls++;
	if (f->nap_ms && !strcmp(row->conf->key[0], "long")) {
		struct timespec ts = { 0, f->nap_ms * 1000000L };

		while (nanosleep(&ts, &ts) && errno == EINTR)
			;
	}
	if (f->stop_at && f->calls == f->stop_at) {
		workers_stop();
		row->st.interrupted = 1;
		return -1;
	}
	row->st.wall_s = walls[row->rep] * (row->conf->workers == 2 ? 0.5 : 1);
	row->st.user_s = 0.5;
	row->st.sys_s = 0.01;
	row->fig[0] = trips[row->rep];		/* round_trip_us */
	row->fig[1] = row->rep == 2 ? NAN : 7;	/* lost_updates: one empty */
	if (!strcmp(row->conf->key[0], "bad") && f->fail_rep &&
	    row->rep == f->fail_rep) {
		snprintf(row->st.why, sizeof(row->st.why), "the fake broke");
		row->st.failed = 1;
		return -1;
	}
	return 0;
}

static void fake_derive(void *ctx, const struct bench_result *res,
			const struct bench_conf *k, double *vals)
{
	(void)ctx;
	vals[0] = bench_stats(res, k, "round_trip_us")->median * 2;
}

static void fake_check(const struct bench_result *res, struct verdicts *vs)
{
	struct verdict_evidence ev = VERDICT_EVIDENCE_INIT;
	const char *const good[] = { "good", NULL };
	const struct bench_conf *k = bench_find(res, MODEL_THREAD, 2, good);

	bench_evidence(&ev, k, VERDICT_SLOW_RAISES);
	verdict_compare(vs, "round trip", k ? k->wall.median : NAN,
			VERDICT_AT_MOST, 1.0, "%.2f s", &ev);
}

static const struct scenario fake_sc = {
	.name = "fake",
	.check = fake_check,
};

static const struct bench_sumcol fake_sum[] = {
	{ "median_us", "round_trip_us", BENCH_MEDIAN },
	{ "ci95_us", "round_trip_us", BENCH_CI95 },
	{ "lost_n", "lost_updates", BENCH_N },
	{ NULL, NULL, 0 },
};

static void fake_setup(struct config *cfg, struct bench *b, struct fake *f,
		       const char *dir)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->sc = &fake_sc;
	cfg->repeat = 5;
	cfg->warmup = 1;
	cfg->out = dir;
	cfg->quiet = 1;
	cfg->command = "test_bench";
	memset(b, 0, sizeof(*b));
	b->ctx = f;
	b->keys = "method";
	b->figures = "round_trip_us,lost_updates";
	b->run = fake_run;
	b->summary = fake_sum;
	b->derived_cols = "twice_us";
	b->derive = fake_derive;
	b->speedup = 1;
}

/* One walk of the fake scenario: sequential "good", thread x2 "good",
 * thread x1 "bad", results into dir. */
struct walk {
	struct config cfg;
	struct bench b;
	struct fake f;
	struct bench_result res;
};

static void walk_plan(struct walk *w, const char *dir)
{
	struct bench_result *res = &w->res;

	fake_setup(&w->cfg, &w->b, &w->f, dir);
	CHECK(bench_init(res, &w->cfg, &w->b) == 0);
	bench_key(bench_add(res, MODEL_SEQUENTIAL, 1, 4, 8), 0, "good");
	bench_key(bench_add(res, MODEL_THREAD, 2, 4, 8), 0, "good");
	bench_key(bench_add(res, MODEL_THREAD, 1, 4, 8), 0, "bad");
}

static int exists(const char *dir, const char *name)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return access(path, F_OK) == 0;
}

/* Files in dir whose name starts with a dot (temporary ones). */
static int hidden(const char *dir)
{
	char cmd[4400];

	snprintf(cmd, sizeof(cmd), "ls -A '%s' | grep -q '^\\.'", dir);
	return system(cmd) == 0;
}

/* bench_run with what it says on stderr caught into said. */
static int run_said(struct bench_result *res, const char *dir, char *said,
		    size_t len)
{
	char path[4200];
	int fd, saved, rc;
	ssize_t n;

	snprintf(path, sizeof(path), "%s/stderr", dir);
	fflush(stderr);
	saved = dup(2);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	CHECK(saved >= 0 && fd >= 0 && dup2(fd, 2) == 2);
	rc = bench_run(res);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	n = pread(fd, said, len - 1, 0);
	said[n > 0 ? n : 0] = 0;
	close(fd);
	unlink(path);
	fputs(said, stderr);
	return rc;
}

static void walk(const char *dir)
{
	struct walk w = { .f = { .fail_rep = 3 } };
	struct bench_result *res = &w.res;
	struct csv_table t;
	char err[512], path[4200];
	const struct stats *s;
	int rc;

	walk_plan(&w, dir);
	rc = run_said(res, dir, err, sizeof(err));
	CHECK(rc == 1);			/* one repetition failed */
	CHECK(strstr(err, "pvt: fake: thread x1, bad run 3 failed: the fake "
		     "broke") != NULL);
	CHECK(w.f.calls == 3 * 6);	/* 1 warm-up + 5 runs each */
	CHECK(res->nrows == 15 && res->failed);
	/* in rounds: every configuration's warm-up, then every first run */
	CHECK(!strcmp(w.f.order, "012012012012012012"));
	/* and the rows by configuration again */
	for (size_t i = 0; i < res->nrows; i++)
		CHECK(res->rows[i].conf == &res->confs[i / 5] &&
		      res->rows[i].rep == i % 5 + 1);
	CHECK(res->confs[0].load.margin == res->load.margin);

	/* statistics of each figure, over the good runs */
	s = bench_stats(res, &res->confs[0], "round_trip_us");
	CHECK(s->n == 5 && near(s->median, 30) && near(s->min, 10) &&
	      near(s->max, 50) && near(s->mean, 30));
	CHECK(near(s->stddev, sqrt(250.0)));
	CHECK(near(s->ci95, 2.776 * sqrt(250.0) / sqrt(5.0)));
	CHECK(s->noisy);		/* (50 - 10) / 30 */
	s = bench_stats(res, &res->confs[0], "lost_updates");
	CHECK(s->n == 4 && near(s->median, 7));	/* NAN is no value */
	CHECK(near(res->confs[0].wall.median, 1.2));
	CHECK(near(res->confs[1].speedup, 2) && near(res->confs[1].efficiency, 1));
	CHECK(res->confs[0].ok && res->confs[1].ok);
	/* the failed repetition: kept, ok 0, out of the statistics */
	CHECK(!res->confs[2].ok && res->confs[2].runs == 5 &&
	      res->confs[2].ok_runs == 4);
	CHECK(!res->rows[12].ok && res->rows[12].rep == 3);
	s = bench_stats(res, &res->confs[2], "round_trip_us");
	CHECK(s->n == 4 && near(s->median, 35));	/* 10, 30, 50, 40 */
	CHECK(isnan(res->confs[2].speedup));	/* no sequential "bad" */
	CHECK(near(res->confs[0].derived[0], 60));
	CHECK(res->verdicts.n == 1);

	snprintf(path, sizeof(path), "%s/fake.csv", dir);
	CHECK(csv_read(path, &t, err, sizeof(err)) == 0);
	CHECK(t.ncols == 18 && !strcmp(t.cols[12], "other_cpu") &&
	      !strcmp(t.cols[13], "steal") && !strcmp(t.cols[14], "busy") &&
	      !strcmp(t.cols[15], "method") &&
	      !strcmp(t.cols[16], "round_trip_us") &&
	      !strcmp(t.cols[17], "lost_updates"));
	CHECK(t.nrows == 15);
	CHECK(!strcmp(t.rows[12][csv_col(&t, "ok")], "0") &&
	      !strcmp(t.rows[12][csv_col(&t, "failed")], "1"));
	CHECK(!strcmp(t.rows[1][csv_col(&t, "lost_updates")], ""));
	CHECK(csv_meta_get(&t, "load") && csv_meta_get(&t, "verdicts"));
	CHECK(!csv_meta_get(&t, "interrupted"));
	csv_table_free(&t);
	snprintf(path, sizeof(path), "%s/fake.summary.csv", dir);
	CHECK(csv_read(path, &t, err, sizeof(err)) == 0);
	CHECK(t.ncols == 24 && !strcmp(t.cols[15], "ok") &&
	      !strcmp(t.cols[16], "other_cpu") &&
	      !strcmp(t.cols[19], "method") &&
	      !strcmp(t.cols[20], "median_us") &&
	      !strcmp(t.cols[23], "twice_us"));
	CHECK(t.nrows == 3 && !strcmp(t.rows[0][20], "30") &&
	      !strcmp(t.rows[0][22], "4") && !strcmp(t.rows[2][15], "0"));
	csv_table_free(&t);
	snprintf(path, sizeof(path), "%s/fake.verdicts.csv", dir);
	CHECK(csv_read(path, &t, err, sizeof(err)) == 0);
	CHECK(t.ncols == 6 && t.nrows == 1 &&
	      !strcmp(t.cols[4], "verdict") &&
	      !strcmp(t.rows[0][1], "round trip"));
	csv_table_free(&t);
	/* what pvt suite counts: this run's files, never older ones */
	size_t count[VERDICT_KINDS] = { 0 };
	CHECK(verdicts_tally(dir, "fake", time(NULL) - 60, count) == 0);
	CHECK(count[VERDICT_HOLDS] + count[VERDICT_FAILS] +
	      count[VERDICT_INCONCLUSIVE] == 1);
	CHECK(verdicts_tally(dir, "fake", time(NULL) + 60, count) == -1);
	CHECK(verdicts_tally(dir, "none", 0, count) == -1);
	CHECK(!hidden(dir));
	bench_free(res);
}

/* A 16 KiB tmpfs, filled: no file under a final name, no temporary one,
 * exit 1. Returns 0, or -1 when mounting is not allowed (skipped). */
static int full_disk(const char *dir)
{
	struct walk w = { .f = { 0 } };
	char fill[4400];
	int fd, rc;

	if (mount("tmpfs", dir, "tmpfs", 0, "size=16k")) {
		printf("skipped: a full disk (mount: %s)\n", strerror(errno));
		return -1;
	}
	snprintf(fill, sizeof(fill), "%s/fill", dir);
	fd = open(fill, O_WRONLY | O_CREAT, 0644);
	CHECK(fd >= 0);
	for (char blk[512] = { 0 }; write(fd, blk, sizeof(blk)) > 0;)
		;
	close(fd);
	walk_plan(&w, dir);
	rc = bench_run(&w.res);
	CHECK(rc == 1);
	CHECK(!exists(dir, "fake.csv") && !exists(dir, "fake.summary.csv") &&
	      !exists(dir, "fake.verdicts.csv"));
	CHECK(!hidden(dir));
	bench_free(&w.res);
	/* room again: all three */
	unlink(fill);
	walk_plan(&w, dir);
	CHECK(bench_run(&w.res) == 0);
	CHECK(exists(dir, "fake.csv") && exists(dir, "fake.summary.csv") &&
	      exists(dir, "fake.verdicts.csv"));
	bench_free(&w.res);
	CHECK(umount(dir) == 0);
	return 0;
}

/* Stopped in the second configuration: the rows so far, marked. Last:
 * a stop stays for the rest of the process's life. */
static void interrupted(const char *dir)
{
	struct walk w = { .f = { .stop_at = 9 } };
	struct csv_table t;
	char err[512], path[4200];

	walk_plan(&w, dir);
	CHECK(bench_run(&w.res) == 128 + 2);	/* as SIGINT */
	/* three warm-ups, three first runs, two second runs, the stop */
	CHECK(w.f.calls == 9 && w.res.nrows == 5);
	snprintf(path, sizeof(path), "%s/fake.csv", dir);
	CHECK(csv_read(path, &t, err, sizeof(err)) == 0);
	CHECK(t.nrows == 5);
	CHECK(csv_meta_get(&t, "interrupted") &&
	      !strcmp(csv_meta_get(&t, "interrupted"), "yes"));
	csv_table_free(&t);
	snprintf(path, sizeof(path), "%s/fake.summary.csv", dir);
	CHECK(csv_read(path, &t, err, sizeof(err)) == 0);
	CHECK(t.nrows == 3);	/* the third has one run */
	csv_table_free(&t);
	bench_free(&w.res);
}

/* A configuration too short in itself for /proc/stat's ticks is judged
 * by the whole walk's load, when the walk was long enough to tell. */
static int fake_begin(void *ctx, struct bench_conf *k)
{
	(void)ctx;
	(void)k;
	return 0;
}

static void short_conf(const char *dir)
{
	struct walk w = { .f = { .nap_ms = 60 } };
	struct bench_result *res = &w.res;
	char err[512];

	fake_setup(&w.cfg, &w.b, &w.f, dir);
	w.b.begin = fake_begin;	/* one configuration after the other */
	CHECK(bench_init(res, &w.cfg, &w.b) == 0);
	bench_key(bench_add(res, MODEL_SEQUENTIAL, 1, 4, 8), 0, "long");
	bench_key(bench_add(res, MODEL_THREAD, 2, 4, 8), 0, "short");
	CHECK(run_said(res, dir, err, sizeof(err)) == 0);
	/* 6 x 60 ms: a margin of cores / (100 x 0.36 s), under 15% */
	CHECK(!res->confs[0].load_unknown);
	CHECK(!(res->confs[1].load.margin < 0.15 * sysinfo_cores()));
	CHECK(!res->confs[1].load_unknown);
	CHECK(res->confs[1].busy == (res->confs[1].busy_runs > 0 ||
				     res->confs[1].load.busy ||
				     res->load.busy));
	bench_free(res);
}

int main(void)
{
	char dir[] = "/tmp/test_bench.XXXXXX", disk[64], cmd[128];

	CHECK(mkdtemp(dir) != NULL);
	walk(dir);
	snprintf(disk, sizeof(disk), "%s/disk", dir);
	CHECK(mkdir(disk, 0755) == 0);
	full_disk(disk);
	short_conf(dir);
	interrupted(dir);	/* last: the stop stays */
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	CHECK(system(cmd) == 0);
	return CHECK_DONE();
}

/* trace.c - a timeline as a Chrome Trace Event file, for Perfetto UI */
#define _POSIX_C_SOURCE 200809L
#include "output/trace.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output/csv.h"

/* The tracks of one worker: its tasks, then the intervals that overlap
 * them (Perfetto draws overlapping events of one track wrongly). */
enum { TRACK_TASK, TRACK_GIL, TRACK_WAIT, TRACK_GIL_WAIT, TRACKS };
static const char *const track_kind[TRACKS] = { "task", "gil-held",
						 "wait", "gil-wait" };
static const char *const track_title[TRACKS] = { "tasks", "holds the GIL",
						  "waits on I/O",
						  "waits for the GIL" };

/* More workers than any run has (the CLI's limit is far below). */
#define TRACE_MAX_WORKERS 65536

/* One recorded run: the process its events belong to. */
struct run {
	const char *model, *workers, *rep;
	unsigned char *used;	/* [worker * TRACKS + track]: has events */
	long nworkers;
};

struct trace {
	const struct csv_table *t;
	int c_model, c_workers, c_rep, c_worker, c_task, c_kind, c_start,
	    c_end;
	struct run *runs;
	size_t nruns;
};

/* s as a JSON string, quotes included. */
static void json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch == '"' || ch == '\\')
			fprintf(f, "\\%c", ch);
		else if (ch < 0x20)
			fprintf(f, "\\u%04x", ch);
		else
			fputc(ch, f);
	}
	fputc('"', f);
}

static const char *cell(const struct trace *tr, size_t row, int col)
{
	return tr->t->rows[row][col];
}

/* The run of row: found, or added; NULL when out of memory. */
static struct run *run_of(struct trace *tr, size_t row, size_t *index)
{
	const char *m = cell(tr, row, tr->c_model);
	const char *w = cell(tr, row, tr->c_workers);
	const char *r = cell(tr, row, tr->c_rep);
	struct run *run;
	long n;

	for (size_t i = 0; i < tr->nruns; i++) {
		run = &tr->runs[i];
		if (!strcmp(run->model, m) && !strcmp(run->workers, w) &&
		    !strcmp(run->rep, r)) {
			*index = i;
			return run;
		}
	}
	n = strtol(w, NULL, 10);
	if (n < 1)
		n = 1;
	if (n > TRACE_MAX_WORKERS) {	/* not a timeline pvt wrote */
		errno = EINVAL;
		return NULL;
	}
	run = &tr->runs[tr->nruns];
	run->model = m;
	run->workers = w;
	run->rep = r;
	run->nworkers = n;
	run->used = calloc((size_t)n * TRACKS, 1);
	if (!run->used)
		return NULL;
	*index = tr->nruns++;
	return run;
}

static int track_of(const char *kind)
{
	for (int k = 0; k < TRACKS; k++)
		if (!strcmp(kind, track_kind[k]))
			return k;
	return -1;
}

/* One complete event; returns -1 (errno EINVAL) on a value that is not
 * a worker of its run or an interval. */
static int write_event(FILE *f, struct trace *tr, size_t row, int *first)
{
	size_t pid;
	struct run *run = run_of(tr, row, &pid);
	const char *task = cell(tr, row, tr->c_task);
	char *end;
	long worker;
	double a, b;
	int k;

	if (!run)
		return -1;
	worker = strtol(cell(tr, row, tr->c_worker), &end, 10);
	k = track_of(cell(tr, row, tr->c_kind));
	a = strtod(cell(tr, row, tr->c_start), NULL);
	b = strtod(cell(tr, row, tr->c_end), NULL);
	if (*task) {	/* a task number, or the cell is not pvt's */
		char *tend;

		strtoull(task, &tend, 10);
		if (*tend || *task == '-') {
			errno = EINVAL;
			return -1;
		}
	}
	if (*end || worker < 0 || worker >= run->nworkers || k < 0 ||
	    !(b >= a)) {
		errno = EINVAL;
		return -1;
	}
	run->used[worker * TRACKS + k] = 1;
	fprintf(f, "%s\n{\"ph\":\"X\",\"pid\":%zu,\"tid\":%ld,\"ts\":%.3f,"
		"\"dur\":%.3f,\"cat\":\"%s\",\"name\":", *first ? "" : ",",
		pid + 1, worker * TRACKS + k + 1, a * 1e6, (b - a) * 1e6,
		track_kind[k]);
	*first = 0;
	if (k == TRACK_TASK && *task) {
		fprintf(f, "\"task %s\",\"args\":{\"task\":%s}}", task, task);
	} else {
		json_str(f, track_title[k]);
		fputc('}', f);
	}
	return 0;
}

/* The names of the runs (processes) and of their tracks (threads), in
 * order: the runs as recorded, each worker's tracks together. */
static void write_names(FILE *f, const struct trace *tr, const char *name)
{
	for (size_t i = 0; i < tr->nruns; i++) {
		const struct run *run = &tr->runs[i];
		char label[512];

		snprintf(label, sizeof(label), "%s: %s x%s, run %s", name,
			 run->model, run->workers, run->rep);
		fprintf(f, ",\n{\"ph\":\"M\",\"pid\":%zu,\"name\":"
			"\"process_name\",\"args\":{\"name\":", i + 1);
		json_str(f, label);
		fprintf(f, "}},\n{\"ph\":\"M\",\"pid\":%zu,\"name\":"
			"\"process_sort_index\",\"args\":{\"sort_index\":%zu}}",
			i + 1, i);
		for (long w = 0; w < run->nworkers; w++)
			for (int k = 0; k < TRACKS; k++) {
				long tid = w * TRACKS + k + 1;

				if (!run->used[w * TRACKS + k])
					continue;
				snprintf(label, sizeof(label),
					 "%s worker %ld: %s", run->model, w,
					 track_title[k]);
				fprintf(f, ",\n{\"ph\":\"M\",\"pid\":%zu,"
					"\"tid\":%ld,\"name\":\"thread_name\","
					"\"args\":{\"name\":", i + 1, tid);
				json_str(f, label);
				fprintf(f, "}},\n{\"ph\":\"M\",\"pid\":%zu,"
					"\"tid\":%ld,\"name\":"
					"\"thread_sort_index\",\"args\":"
					"{\"sort_index\":%ld}}", i + 1, tid,
					tid);
			}
	}
}

/* The CSV's metadata, as the trace's otherData. */
static void write_meta(FILE *f, const struct csv_table *t)
{
	fputs("],\n\"displayTimeUnit\":\"ms\",\n\"otherData\":{", f);
	for (size_t i = 0; i < t->nmeta; i++) {
		if (i)
			fputc(',', f);
		json_str(f, t->meta_key[i]);
		fputc(':', f);
		json_str(f, t->meta_val[i]);
	}
	fputs("}}\n", f);
}

static int columns(struct trace *tr)
{
	const struct csv_table *t = tr->t;

	tr->c_model = csv_col(t, "model");
	tr->c_workers = csv_col(t, "workers");
	tr->c_rep = csv_col(t, "rep");
	tr->c_worker = csv_col(t, "worker");
	tr->c_task = csv_col(t, "task");
	tr->c_kind = csv_col(t, "kind");
	tr->c_start = csv_col(t, "start_s");
	tr->c_end = csv_col(t, "end_s");
	return tr->c_model < 0 || tr->c_workers < 0 || tr->c_rep < 0 ||
	       tr->c_worker < 0 || tr->c_task < 0 || tr->c_kind < 0 ||
	       tr->c_start < 0 || tr->c_end < 0 ? -1 : 0;
}

int trace_from_timeline(const char *dir, const char *name, char *err,
			size_t errlen)
{
	struct csv_table t = { 0 };
	struct trace tr = { .t = &t };
	char path[4096], file[512];
	struct csv out;
	int first = 1, rc = -1, e = EINVAL;
	size_t row = 0;

	snprintf(path, sizeof(path), "%s/%s.timeline.csv", dir, name);
	snprintf(file, sizeof(file), "%s.trace.json", name);
	if (csv_read(path, &t, err, errlen))
		return -1;
	if (columns(&tr)) {
		snprintf(err, errlen, "%s: not a timeline (a column of "
			 "model,workers,rep,worker,task,kind,start_s,end_s "
			 "is missing)", path);
		goto out_table;
	}
	tr.runs = calloc(t.nrows + 1, sizeof(*tr.runs));
	if (!tr.runs || csv_open(&out, dir, file)) {
		e = errno;
		snprintf(err, errlen, "%s/%s: %s", dir, file, strerror(e));
		goto out_runs;
	}
	fputs("{\"traceEvents\":[", out.f);
	for (; row < t.nrows; row++)
		if (write_event(out.f, &tr, row, &first))
			break;
	if (row < t.nrows) {
		e = errno;
		snprintf(err, errlen, "%s: row %zu: %s", path, row + 1,
			 e == EINVAL ? "not a worker of its run or not "
			 "an interval" : strerror(e));
		csv_abort(&out);
		goto out_runs;
	}
	if (first)	/* no event: the names alone, without a comma */
		fputs("{\"ph\":\"M\",\"pid\":0,\"name\":\"process_name\","
		      "\"args\":{\"name\":\"no events\"}}", out.f);
	write_names(out.f, &tr, name);
	write_meta(out.f, &t);
	if (csv_commit(&out)) {
		e = errno;
		snprintf(err, errlen, "%s/%s: %s", dir, file, strerror(e));
		goto out_runs;
	}
	rc = 0;
out_runs:
	for (size_t i = 0; tr.runs && i < tr.nruns; i++)
		free(tr.runs[i].used);
	free(tr.runs);
out_table:
	csv_table_free(&t);
	if (rc)
		errno = e;
	return rc;
}

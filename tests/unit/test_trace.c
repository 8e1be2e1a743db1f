/* test_trace.c - a timeline CSV becomes a Chrome Trace Event file, or an
 * error with nothing left behind */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "output/trace.h"

#define HEADER "scenario,model,workers,rep,worker,task,kind,start_s,end_s\n"

static void put(const char *dir, const char *name, const char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

/* The whole of dir/name, or NULL. */
static char *slurp(const char *dir, const char *name)
{
	char path[512], *buf;
	FILE *f;
	long n;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "r");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = calloc((size_t)n + 1, 1);
	if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

static size_t count(const char *s, const char *what)
{
	size_t n = 0;

	for (const char *p = s; (p = strstr(p, what)); p += strlen(what))
		n++;
	return n;
}

int main(void)
{
	char dir[] = "/tmp/pvt-test-trace.XXXXXX", err[512], path[512];
	char *json;

	CHECK(mkdtemp(dir) != NULL);

	put(dir, "sq.timeline.csv", "# scenario: sq\n# host: a \"b\"\n" HEADER
	    "sq,gil,2,1,0,0,task,0.001,0.002\n"
	    "sq,gil,2,1,1,1,task,0.0015,0.003\n"
	    "sq,gil,2,1,1,,gil-held,0.0015,0.0025\n"
	    "sq,thread,2,1,0,,wait,0,0.5\n");
	CHECK(trace_from_timeline(dir, "sq", err, sizeof(err)) == 0);
	json = slurp(dir, "sq.trace.json");
	CHECK(json != NULL);
	if (json) {
		CHECK(strncmp(json, "{\"traceEvents\":[", 16) == 0);
		CHECK(count(json, "\"ph\":\"X\"") == 4);
		/* two runs: gil x2 and thread x2, each a process */
		CHECK(count(json, "\"process_name\"") == 2);
		CHECK(strstr(json, "\"sq: gil x2, run 1\"") != NULL);
		/* tasks, GIL and wait on tracks of their own, each named */
		CHECK(count(json, "\"thread_name\"") == 4);
		CHECK(strstr(json, "\"gil worker 1: holds the GIL\"") != NULL);
		CHECK(strstr(json, "\"thread worker 0: waits on I/O\"") != NULL);
		/* microseconds, the task in its name and args */
		CHECK(strstr(json, "\"ts\":1500.000,\"dur\":1500.000,"
			      "\"cat\":\"task\",\"name\":\"task 1\","
			      "\"args\":{\"task\":1}") != NULL);
		/* the metadata, quotes escaped */
		CHECK(strstr(json, "\"host\":\"a \\\"b\\\"\"") != NULL);
		free(json);
	}

	/* a worker outside its run: an error, no file */
	put(dir, "bad.timeline.csv", HEADER "bad,thread,2,1,2,0,task,0,1\n");
	CHECK(trace_from_timeline(dir, "bad", err, sizeof(err)) == -1);
	CHECK(strstr(err, "row 1") != NULL);
	CHECK((json = slurp(dir, "bad.trace.json")) == NULL);
	free(json);

	/* an interval that ends before it starts */
	put(dir, "back.timeline.csv", HEADER "back,thread,1,1,0,0,task,2,1\n");
	CHECK(trace_from_timeline(dir, "back", err, sizeof(err)) == -1);

	/* not a timeline; no file at all */
	put(dir, "other.timeline.csv", "a,b\n1,2\n");
	CHECK(trace_from_timeline(dir, "other", err, sizeof(err)) == -1);
	CHECK(strstr(err, "not a timeline") != NULL);
	CHECK(trace_from_timeline(dir, "absent", err, sizeof(err)) == -1);

	/* nothing left but what was put there and the one trace */
	for (const char *const *n = (const char *const[]){ "sq.timeline.csv",
		"sq.trace.json", "bad.timeline.csv", "back.timeline.csv",
		"other.timeline.csv", NULL }; *n; n++) {
		snprintf(path, sizeof(path), "%s/%s", dir, *n);
		CHECK(unlink(path) == 0);
	}
	CHECK(rmdir(dir) == 0);
	return CHECK_DONE();
}

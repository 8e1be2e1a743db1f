/* test_parse.c - option values: every accepted form and every refusal */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "face/parse.h"

static char err[256];

static int size_is(const char *s, uint64_t want)
{
	uint64_t v = 0;

	return parse_size(s, 0, UINT64_MAX, &v, err, sizeof(err)) == 0 &&
	       v == want;
}

static int size_bad(const char *s)
{
	uint64_t v;

	err[0] = 0;
	return parse_size(s, 1, 1ULL << 40, &v, err, sizeof(err)) == -1 &&
	       err[0];
}

static int dur_is(const char *s, double want)
{
	double v = -1;

	return parse_duration(s, 0, 1e6, &v, err, sizeof(err)) == 0 &&
	       fabs(v - want) < 1e-12;
}

static int dur_bad(const char *s)
{
	double v;

	return parse_duration(s, 0, 3600, &v, err, sizeof(err)) == -1;
}

static int list_is(const char *s, const unsigned *want, size_t n)
{
	unsigned *v;
	size_t got;
	int ok;

	if (parse_list(s, 1, 4096, 64, &v, &got, err, sizeof(err)))
		return 0;
	ok = got == n && memcmp(v, want, n * sizeof(*v)) == 0;
	free(v);
	return ok;
}

static int list_bad(const char *s)
{
	unsigned *v = (unsigned *)1;
	size_t n = 7;

	return parse_list(s, 1, 4096, 64, &v, &n, err, sizeof(err)) == -1 &&
	       v == NULL && n == 0;
}

/* parse_choices over "fork|vfork|posix_spawn|thread" gives want[0..n-1] */
static int choices_are(const char *s, const unsigned *want, size_t n)
{
	unsigned idx[4];
	size_t got = 99;

	if (parse_choices(s, "fork|vfork|posix_spawn|thread", "mech", idx,
			  &got, err, sizeof(err)))
		return 0;
	return got == n && memcmp(idx, want, n * sizeof(*idx)) == 0;
}

static int choices_bad(const char *s)
{
	unsigned idx[4];
	size_t got;

	return parse_choices(s, "fork|vfork|posix_spawn|thread", "mech", idx,
			     &got, err, sizeof(err)) == -1;
}

int main(void)
{
	uint64_t u;
	double d;

	char name[8];
	const char *val;

	CHECK(parse_option_word("--tasks", name, sizeof(name), &val) == 0 &&
	      !strcmp(name, "tasks") && val == NULL);
	CHECK(parse_option_word("--size=64KiB", name, sizeof(name), &val) ==
	      0 && !strcmp(name, "size") && !strcmp(val, "64KiB"));
	CHECK(parse_option_word("--out=", name, sizeof(name), &val) == 0 &&
	      !strcmp(name, "out") && val && !*val);
	CHECK(parse_option_word("--switch-interval", name, sizeof(name),
				&val) == 0 && !strcmp(name, "switch-"));
	CHECK(parse_option_word("-x", name, sizeof(name), &val) == -1);
	CHECK(parse_option_word("tasks", name, sizeof(name), &val) == -1);

	CHECK(parse_count("42", 1, 100, &u, err, sizeof(err)) == 0 && u == 42);
	CHECK(parse_count("0", 1, 100, &u, err, sizeof(err)) == -1);
	CHECK(strstr(err, "out of range 1..100"));
	CHECK(parse_count("101", 1, 100, &u, err, sizeof(err)) == -1);
	CHECK(parse_count("-1", 0, 100, &u, err, sizeof(err)) == -1);
	CHECK(parse_count(" 1", 0, 100, &u, err, sizeof(err)) == -1);
	CHECK(parse_count("1x", 0, 100, &u, err, sizeof(err)) == -1);
	CHECK(parse_count("", 0, 100, &u, err, sizeof(err)) == -1);
	errno = 0;
	CHECK(parse_count("99999999999999999999999", 0, UINT64_MAX, &u, err,
			  sizeof(err)) == -1 && errno == EINVAL);
	CHECK(strstr(err, "too large"));
	errno = 0;
	CHECK(parse_count("1x", 0, 100, &u, err, sizeof(err)) == -1 &&
	      errno == EINVAL && strstr(err, "not a whole number"));

	CHECK(size_is("4096", 4096));
	CHECK(size_is("64KiB", 64 << 10));
	CHECK(size_is("64K", 64 << 10));
	CHECK(size_is("1MiB", 1 << 20));
	CHECK(size_is("4Mi", 4 << 20));
	CHECK(size_is("1GiB", 1ULL << 30));
	CHECK(size_is("2kB", 2000));
	CHECK(size_is("3MB", 3000000));
	CHECK(size_bad("99TiB"));
	CHECK(strstr(err, "out of range"));
	CHECK(size_bad("0"));
	CHECK(size_bad("12parsecs"));
	CHECK(strstr(err, "unknown unit"));
	CHECK(size_bad("KiB"));
	CHECK(size_bad("-5"));
	CHECK(size_bad("1.5MiB"));
	CHECK(size_bad("18446744073709551615KiB"));

	/* a list of choices: in the order given, duplicates dropped */
	CHECK(choices_are("thread", (unsigned[]){ 3 }, 1));
	CHECK(choices_are("thread,fork", (unsigned[]){ 3, 0 }, 2));
	CHECK(choices_are("fork,vfork,posix_spawn,thread",
			  (unsigned[]){ 0, 1, 2, 3 }, 4));
	CHECK(choices_are("fork,fork,vfork,fork", (unsigned[]){ 0, 1 }, 2));
	CHECK(choices_bad("clone3"));
	CHECK(!strcmp(err, "unknown mech 'clone3' (accepted: a list of fork, "
		      "vfork, posix_spawn, thread)"));
	CHECK(choices_bad(""));
	CHECK(choices_bad("fork,"));
	CHECK(choices_bad(",fork"));
	CHECK(choices_bad("for"));
	CHECK(choices_bad("forks"));
	CHECK(choices_bad("fork|vfork"));
	CHECK(choices_bad("Fork"));

	CHECK(dur_is("50ms", 0.05));
	CHECK(dur_is("5ms", 0.005));
	CHECK(dur_is("0.5s", 0.5));
	CHECK(dur_is("2", 2));
	CHECK(dur_is("250us", 250e-6));
	CHECK(dur_is("1min", 60));
	CHECK(dur_bad("fast"));
	CHECK(dur_bad("-1s"));
	CHECK(dur_bad("1e3s"));
	CHECK(dur_bad("5 ms"));
	CHECK(dur_bad("5hours"));
	CHECK(dur_bad("2h"));
	CHECK(dur_bad("7200s"));
	CHECK(dur_bad(""));
	CHECK(dur_bad("."));

	CHECK(parse_fraction("0.05", &d, err, sizeof(err)) == 0 && d == 0.05);
	CHECK(parse_fraction("5%", &d, err, sizeof(err)) == 0 &&
	      fabs(d - 0.05) < 1e-12);
	CHECK(parse_fraction("1.5", &d, err, sizeof(err)) == -1);
	CHECK(parse_fraction("-0.1", &d, err, sizeof(err)) == -1);
	CHECK(parse_fraction("%", &d, err, sizeof(err)) == -1);

	CHECK(list_is("1,2,4", (unsigned[]){ 1, 2, 4 }, 3));
	CHECK(list_is("1..4", (unsigned[]){ 1, 2, 3, 4 }, 4));
	CHECK(list_is("3-5", (unsigned[]){ 3, 4, 5 }, 3));
	CHECK(list_is("8,1..3,2", (unsigned[]){ 8, 1, 2, 3 }, 4));
	CHECK(list_is("7", (unsigned[]){ 7 }, 1));
	CHECK(list_bad(""));
	CHECK(list_bad("0"));
	CHECK(list_bad("1,,2"));
	CHECK(list_bad("1,"));
	CHECK(list_bad("4..1"));
	CHECK(strstr(err, "backwards"));
	CHECK(list_bad("1..5000"));
	CHECK(list_bad("1..100"));	/* more than 64 values */
	CHECK(list_bad("a"));
	CHECK(list_bad("1...3"));
	CHECK(list_bad("1..2..3"));
	CHECK(list_bad("99999999999999999999"));
	return CHECK_DONE();
}

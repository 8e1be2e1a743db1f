/* test_size_list.c - lists of sizes: every accepted form and refusals */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "face/parse.h"

static char err[256];

static int is(const char *s, const uint64_t *want, size_t n)
{
	uint64_t *v;
	size_t got;
	int ok;

	if (parse_size_list(s, 0, 1ULL << 40, 16, &v, &got, err, sizeof(err)))
		return 0;
	ok = got == n && memcmp(v, want, n * sizeof(*v)) == 0;
	free(v);
	return ok;
}

static int bad(const char *s)
{
	uint64_t *v = (uint64_t *)1;
	size_t n = 7;

	err[0] = 0;
	return parse_size_list(s, 0, 1ULL << 40, 4, &v, &n, err,
			       sizeof(err)) == -1 && v == NULL && n == 0 &&
	       err[0];
}

int main(void)
{
	CHECK(is("0", (uint64_t[]){ 0 }, 1));
	CHECK(is("0,64MiB,256MiB,1GiB",
		 (uint64_t[]){ 0, 64 << 20, 256 << 20, 1ULL << 30 }, 4));
	CHECK(is("64,4KiB,1M", (uint64_t[]){ 64, 4096, 1 << 20 }, 3));
	/* over 32 bits */
	CHECK(is("8GiB", (uint64_t[]){ 8ULL << 30 }, 1));
	CHECK(is("1KiB,1024,2kB", (uint64_t[]){ 1024, 2000 }, 2));
	CHECK(bad(""));
	CHECK(strstr(err, "empty"));
	CHECK(bad("99TiB"));
	CHECK(strstr(err, "'99TiB' is out of range"));
	CHECK(bad("1,,2"));
	CHECK(bad("1,"));
	CHECK(bad(",1"));
	CHECK(bad("1..4"));
	CHECK(bad("12parsecs"));
	CHECK(strstr(err, "unknown unit"));
	CHECK(bad("-1"));
	CHECK(bad("1,2,3,4,5"));	/* more than 4 */
	CHECK(strstr(err, "more than 4"));
	CHECK(bad("123456789012345678901234567890123456789012345678901234567890"
		  "1234567890"));
	return CHECK_DONE();
}

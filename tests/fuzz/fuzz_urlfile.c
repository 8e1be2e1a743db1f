/* fuzz_urlfile.c - libFuzzer target: the --url-file reader
 *
 * The input is a whole --url-file. urlfile_parse must either return one
 * URL per line that holds one, each trimmed, non-empty, not a comment,
 * holding no newline or NUL and found as such in the input, or refuse
 * the file with a reason and nothing allocated; never crash, never read
 * past the buffer (which has no NUL at its end).
 */
/* the asserts are the invariants: on in every build type */
#undef NDEBUG
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "net/urlfile.h"

static int blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* The k-th URL of text by the format's words alone, independently of
 * urlfile.c: its start and length in *at and *len. Returns 0, or -1
 * when there are fewer. */
static int nth_url(const char *text, size_t size, size_t k, size_t *at,
		   size_t *len)
{
	size_t s = 0;

	while (s < size) {
		size_t e = s, a, b;

		while (e < size && text[e] != '\n')
			e++;
		for (a = s; a < e && blank(text[a]); a++)
			;
		for (b = e; b > a && blank(text[b - 1]); b--)
			;
		if (b > a && text[a] != '#' && !k--) {
			*at = a;
			*len = b - a;
			return 0;
		}
		s = e + 1;
	}
	return -1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[256], **urls = (char **)1, *text;
	size_t n = 12345, at, len;

	/* a copy of exactly size bytes: ASan sees any read past it */
	text = malloc(size ? size : 1);
	memcpy(text, data, size);
	err[0] = 0;
	if (urlfile_parse(text, size, &urls, &n, err, sizeof(err))) {
		assert(err[0] && urls == NULL && n == 0);
		/* refused: a NUL byte, or no URL at all */
		assert(memchr(text, 0, size) || nth_url(text, size, 0, &at,
							&len));
		free(text);
		return 0;
	}
	assert(!memchr(text, 0, size));
	assert(n >= 1 && n <= URLFILE_MAX_URLS);
	for (size_t i = 0; i < n; i++) {
		const char *u = urls[i];

		assert(nth_url(text, size, i, &at, &len) == 0);
		assert(strlen(u) == len && !memcmp(u, text + at, len));
		assert(len > 0 && u[0] != '#' && !strchr(u, '\n'));
		assert(!blank(u[0]) && !blank(u[len - 1]));
	}
	assert(nth_url(text, size, n, &at, &len) == -1);	/* no more */
	urlfile_free(urls, n);
	free(text);
	return 0;
}

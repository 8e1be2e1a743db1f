/* urlfile.c - the --url-file format: one URL a line */
#define _POSIX_C_SOURCE 200809L
#include "net/urlfile.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

void urlfile_free(char **urls, size_t n)
{
	for (size_t i = 0; urls && i < n; i++)
		free(urls[i]);
	free(urls);
}

/* Appends s[0..len) to *urls. Returns 0, or -1 when out of memory. */
static int add(char ***urls, size_t *n, size_t *room, const char *s,
	       size_t len)
{
	char *u;

	if (*n == *room) {
		size_t want = *room ? 2 * *room : 64;
		char **g = realloc(*urls, want * sizeof(*g));

		if (!g)
			return -1;
		*urls = g;
		*room = want;
	}
	u = malloc(len + 1);
	if (!u)
		return -1;
	memcpy(u, s, len);
	u[len] = 0;
	(*urls)[(*n)++] = u;
	return 0;
}

/* err completes a sentence whose subject is the file: "has no URL". */
int urlfile_parse(const char *text, size_t len, char ***urls, size_t *n,
		  char *err, size_t errlen)
{
	const char *p = text, *end = text + len;
	size_t room = 0, line = 0;

	*urls = NULL;
	*n = 0;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *s = p, *e = nl ? nl : end;

		line++;
		p = nl ? nl + 1 : end;
		if (memchr(s, 0, (size_t)(e - s))) {
			snprintf(err, errlen, "has a NUL byte on line %zu "
				 "(accepted: a text file, one URL a line)",
				 line);
			errno = EINVAL;
			goto fail;
		}
		while (s < e && blank(*s))
			s++;
		while (e > s && blank(e[-1]))
			e--;
		if (s == e || *s == '#')
			continue;
		if (*n == URLFILE_MAX_URLS) {
			snprintf(err, errlen, "has more than %d URLs",
				 URLFILE_MAX_URLS);
			errno = E2BIG;
			goto fail;
		}
		if (add(urls, n, &room, s, (size_t)(e - s))) {
			snprintf(err, errlen, "cannot be held in memory: %s",
				 strerror(ENOMEM));
			errno = ENOMEM;
			goto fail;
		}
	}
	if (!*n) {
		snprintf(err, errlen, "has no URL (accepted: one URL a line, "
			 "# starting a comment)");
		errno = EINVAL;
		goto fail;
	}
	return 0;
fail:
	urlfile_free(*urls, *n);
	*urls = NULL;
	*n = 0;
	return -1;
}

/* The whole of f in *buf (malloc'ed), at most URLFILE_MAX_BYTES.
 * Returns 0, or -1 with errno set. */
static int slurp(FILE *f, char **buf, size_t *len)
{
	size_t cap = 0, got = 0;
	char *b = NULL;

	for (;;) {
		size_t r;

		if (got == cap) {
			size_t want = cap ? 2 * cap : 65536;
			char *g;

			if (cap >= URLFILE_MAX_BYTES) {
				errno = EFBIG;
				goto fail;
			}
			if (want > URLFILE_MAX_BYTES)
				want = URLFILE_MAX_BYTES;
			g = realloc(b, want);
			if (!g)
				goto fail;
			b = g;
			cap = want;
		}
		r = fread(b + got, 1, cap - got, f);
		got += r;
		if (r)
			continue;
		if (ferror(f)) {
			if (!errno)
				errno = EIO;
			goto fail;
		}
		break;	/* end of file */
	}
	*buf = b;
	*len = got;
	return 0;
fail:
	free(b);
	return -1;
}

int urlfile_read(const char *path, char ***urls, size_t *n, char *err,
		 size_t errlen)
{
	char why[160], *buf = NULL;
	size_t len = 0;
	FILE *f;
	int rc;

	*urls = NULL;
	*n = 0;
	f = fopen(path, "r");
	if (!f || slurp(f, &buf, &len)) {
		int e = errno;

		snprintf(err, errlen, "cannot read '%s': %s", path,
			 strerror(e));
		if (f)
			fclose(f);
		errno = e;
		return -1;
	}
	fclose(f);
	rc = urlfile_parse(buf, len, urls, n, why, sizeof(why));
	free(buf);
	if (rc)
		snprintf(err, errlen, "'%s' %s", path, why);
	return rc;
}

/* urlfile.h - the --url-file format: one URL a line
 *
 * Blank lines, and lines whose first character that is not a blank is
 * #, are skipped; the blanks (space, tab, CR) around a URL are dropped.
 * Nothing else is checked here: a malformed URL fails its own download,
 * with cause "url", so that the run counts it.
 */
#ifndef PVT_URLFILE_H
#define PVT_URLFILE_H

#include <stddef.h>

#define URLFILE_MAX_URLS 1000000
#define URLFILE_MAX_BYTES (256u << 20)

/* Parses text, len bytes that need not end in a NUL. Returns 0 with
 * *urls a malloc'ed array of *n (1 to URLFILE_MAX_URLS) malloc'ed
 * strings, each non-empty, with no blank at either end, not starting
 * with #, and holding no newline; or -1 with errno set and the reason in
 * err (no URL or a NUL byte: EINVAL; too many URLs: E2BIG; out of
 * memory: ENOMEM), *urls NULL and *n 0. */
int urlfile_parse(const char *text, size_t len, char ***urls, size_t *n,
		  char *err, size_t errlen);

/* Reads the file at path (smaller than URLFILE_MAX_BYTES) and parses it.
 * The same contract; err names the file. */
int urlfile_read(const char *path, char ***urls, size_t *n, char *err,
		 size_t errlen);

/* Frees what urlfile_parse or urlfile_read returned. NULL is ignored. */
void urlfile_free(char **urls, size_t n);

#endif

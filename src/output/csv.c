/* csv.c - CSV files with "# key: value" metadata, written atomically */
#define _GNU_SOURCE	/* mkostemp */
#define _POSIX_C_SOURCE 200809L
#include "output/csv.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Where a memory stream keeps its bytes: open_memstream holds on to these
 * two addresses, which must not move with a copy of the struct csv. */
struct csv_mem {
	char *buf;
	size_t len;
};

int csv_dir(const char *dir)
{
	return mkdir(dir, 0755) && errno != EEXIST ? -1 : 0;
}

int csv_open(struct csv *c, const char *dir, const char *name)
{
	int fd;

	memset(c, 0, sizeof(*c));
	c->fd = -1;
	if ((size_t)snprintf(c->path, sizeof(c->path), "%s/%s", dir, name) >=
	    sizeof(c->path) ||
	    (size_t)snprintf(c->tmp, sizeof(c->tmp), "%s/.%s.XXXXXX", dir,
			     name) >= sizeof(c->tmp)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	/* close-on-exec: nothing pvt starts inherits a half-written file */
	if (csv_dir(dir))
		return -1;
	fd = mkostemp(c->tmp, O_CLOEXEC);
	if (fd < 0)
		return -1;
	c->fd = fd;
	/* mkstemp's 0600 would hide results */
	if (fchmod(fd, 0644) || !(c->mem = calloc(1, sizeof(*c->mem))) ||
	    !(c->f = open_memstream(&c->mem->buf, &c->mem->len))) {
		int e = errno;

		csv_abort(c);
		errno = e;
		return -1;
	}
	return 0;
}

void csv_meta(struct csv *c, const char *key, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	for (char *p = buf; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	fprintf(c->f, "# %s: %s\n", key, buf);
}

void csv_header(struct csv *c, const char *columns)
{
	fprintf(c->f, "%s\n", columns);
}

static void sep(struct csv *c)
{
	if (c->fields++)
		fputc(',', c->f);
}

void csv_str(struct csv *c, const char *s)
{
	sep(c);
	if (!s)
		return;
	if (!strpbrk(s, ",\"\n\r")) {
		fputs(s, c->f);
		return;
	}
	fputc('"', c->f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', c->f);
		fputc(*s == '\n' || *s == '\r' ? ' ' : *s, c->f);
	}
	fputc('"', c->f);
}

void csv_num(struct csv *c, double x)
{
	sep(c);
	if (isfinite(x))
		fprintf(c->f, "%.9g", x);
}

void csv_int(struct csv *c, long long x)
{
	sep(c);
	fprintf(c->f, "%lld", x);
}

void csv_end_row(struct csv *c)
{
	fputc('\n', c->f);
	c->fields = 0;
}

int csv_finish(struct csv *c)
{
	size_t off = 0;
	int e;

	if (!c->f)
		return 0;
	if (fclose(c->f)) {
		c->f = NULL;
		goto fail;
	}
	c->f = NULL;
	while (off < c->mem->len) {
		ssize_t n = write(c->fd, c->mem->buf + off,
				  c->mem->len - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			goto fail;
		off += (size_t)n;
	}
	if (fsync(c->fd))
		goto fail;
	e = close(c->fd);
	c->fd = -1;
	if (e)
		goto fail;
	free(c->mem->buf);
	free(c->mem);
	c->mem = NULL;
	return 0;
fail:
	e = errno ? errno : EIO;
	csv_abort(c);
	errno = e;
	return -1;
}

int csv_commit(struct csv *c)
{
	int e;

	if (csv_finish(c))
		return -1;
	if (!rename(c->tmp, c->path))
		return 0;
	e = errno;
	csv_abort(c);
	errno = e;
	return -1;
}

int csv_commit_all(struct csv *set, size_t n)
{
	size_t i;
	int e;

	for (i = 0; i < n; i++)
		if (csv_finish(&set[i]))
			goto fail;
	for (i = 0; i < n; i++)
		if (csv_commit(&set[i]))
			goto fail;
	return 0;
fail:
	e = errno;
	for (size_t j = 0; j < n; j++)
		if (j != i)
			csv_abort(&set[j]);
	errno = e;
	return -1;
}

void csv_abort(struct csv *c)
{
	if (c->f)
		fclose(c->f);
	c->f = NULL;
	if (c->mem)
		free(c->mem->buf);
	free(c->mem);
	c->mem = NULL;
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	unlink(c->tmp);
}

/* ---- reading back ------------------------------------------------------ */

/* Splits one line into fields (RFC 4180 quoting, no embedded newlines).
 * Returns the number of fields, or -1 on a malformed quote. */
static int split(char *line, char ***out)
{
	size_t n = 0, cap = 8;
	char **f = malloc(cap * sizeof(*f));
	char *p = line;

	if (!f)
		return -1;
	for (;;) {
		char *start = p, *w = p;

		if (n == cap) {
			char **g = realloc(f, (cap *= 2) * sizeof(*f));
			if (!g)
				goto bad;
			f = g;
		}
		if (*p == '"') {
			p++;
			for (;;) {
				if (*p == '"' && p[1] == '"')
					*w++ = '"', p += 2;
				else if (*p == '"')
					break;
				else if (!*p)
					goto bad;
				else
					*w++ = *p++;
			}
			p++;
			if (*p && *p != ',')
				goto bad;
		} else {
			while (*p && *p != ',') {
				if (*p == '"')
					goto bad;
				*w++ = *p++;
			}
		}
		f[n++] = start;
		if (!*p) {
			*w = 0;
			break;
		}
		*w = 0;
		p++;
	}
	*out = f;
	return (int)n;
bad:
	free(f);
	return -1;
}

static int grow(void *pp, size_t n, size_t size)
{
	void **p = pp;

	/* powers of two: grow when n reaches one */
	if (n && (n & (n - 1)))
		return 0;
	void *q = realloc(*p, (n ? 2 * n : 1) * size);
	if (!q)
		return -1;
	*p = q;
	return 0;
}

int csv_read(const char *path, struct csv_table *t, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0, lineno = 0;
	ssize_t len;
	int e = EINVAL;		/* a malformed file */

	memset(t, 0, sizeof(*t));
	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	while ((len = getline(&line, &cap, f)) >= 0) {
		char **fields;
		int n;

		lineno++;
		while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = 0;
		if (line[0] == '#') {
			char *colon = strstr(line, ": ");
			char *k, *v;

			if (!colon)
				continue;	/* a plain comment */
			*colon = 0;
			k = strdup(line + (line[1] == ' ' ? 2 : 1));
			v = strdup(colon + 2);
			if (!k || !v || grow(&t->meta_key, t->nmeta,
					     sizeof(char *)) ||
			    grow(&t->meta_val, t->nmeta, sizeof(char *))) {
				free(k);
				free(v);
				goto oom;
			}
			t->meta_key[t->nmeta] = k;
			t->meta_val[t->nmeta++] = v;
			continue;
		}
		if (!len)
			continue;
		n = split(line, &fields);
		if (n < 0) {
			snprintf(err, errlen, "%s:%zu: malformed quoting", path,
				 lineno);
			goto fail;
		}
		if (!t->cols) {
			t->ncols = (size_t)n;
			t->cols = calloc((size_t)n, sizeof(char *));
			for (int i = 0; t->cols && i < n; i++)
				t->cols[i] = strdup(fields[i]);
			free(fields);
			if (!t->cols)
				goto oom;
			continue;
		}
		if ((size_t)n != t->ncols) {
			snprintf(err, errlen, "%s:%zu: %d fields, the header "
				 "has %zu", path, lineno, n, t->ncols);
			free(fields);
			goto fail;
		}
		char **row = calloc((size_t)n, sizeof(char *));
		if (!row || grow(&t->rows, t->nrows, sizeof(char **))) {
			free(row);
			free(fields);
			goto oom;
		}
		for (int i = 0; i < n; i++)
			row[i] = strdup(fields[i]);
		free(fields);
		t->rows[t->nrows++] = row;
	}
	if (!t->cols) {
		snprintf(err, errlen, "%s: no header row", path);
		goto fail;
	}
	free(line);
	fclose(f);
	return 0;
oom:
	e = ENOMEM;
	snprintf(err, errlen, "%s:%zu: out of memory", path, lineno);
fail:
	free(line);
	fclose(f);
	csv_table_free(t);
	errno = e;
	return -1;
}

void csv_table_free(struct csv_table *t)
{
	for (size_t i = 0; i < t->nmeta; i++) {
		free(t->meta_key[i]);
		free(t->meta_val[i]);
	}
	free(t->meta_key);
	free(t->meta_val);
	for (size_t i = 0; i < t->nrows; i++) {
		for (size_t j = 0; j < t->ncols; j++)
			free(t->rows[i][j]);
		free(t->rows[i]);
	}
	free(t->rows);
	for (size_t j = 0; t->cols && j < t->ncols; j++)
		free(t->cols[j]);
	free(t->cols);
	memset(t, 0, sizeof(*t));
}

int csv_col(const struct csv_table *t, const char *name)
{
	for (size_t j = 0; j < t->ncols; j++)
		if (strcmp(t->cols[j], name) == 0)
			return (int)j;
	return -1;
}

const char *csv_meta_get(const struct csv_table *t, const char *key)
{
	for (size_t i = 0; i < t->nmeta; i++)
		if (strcmp(t->meta_key[i], key) == 0)
			return t->meta_val[i];
	return NULL;
}

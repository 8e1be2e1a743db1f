/* csv.h - CSV files with "# key: value" metadata, written atomically
 *
 * A file is written under a temporary name in its final folder and
 * renamed into place by csv_commit, so an interrupted run never leaves a
 * half file under the final name.
 */
#ifndef PVT_CSV_H
#define PVT_CSV_H

#include <stddef.h>
#include <stdio.h>

struct csv {
	FILE *f;		/* a memory stream: the file is written whole
				 * by csv_finish, where a write's error (a full
				 * disk) is known exactly */
	struct csv_mem *mem;	/* f's bytes, apart: a struct csv may be
				 * copied while it is open */
	int fd;			/* the temporary file, -1 when closed */
	char path[4096];	/* final name */
	char tmp[4096];		/* where it is written until committed */
	int fields;		/* fields in the row being written */
};

/* Creates dir/name under a temporary name, making dir first if it is
 * missing (its parent must exist): a results folder appears with its
 * first file, never for a run refused before it wrote any. Returns 0,
 * or -1 with errno set (nothing is left behind). */
int csv_open(struct csv *c, const char *dir, const char *name);

/* Makes dir if it is missing (not its parents). Returns 0, or -1 with
 * errno set. */
int csv_dir(const char *dir);

/* "# key: value" line; newlines in the value are replaced by spaces. */
void csv_meta(struct csv *c, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* The header row from a comma-separated list of column names. */
void csv_header(struct csv *c, const char *columns);

/* Fields of the current row, in order; csv_end_row ends it. */
void csv_str(struct csv *c, const char *s);	/* NULL: empty */
void csv_num(struct csv *c, double x);		/* NAN: empty */
void csv_int(struct csv *c, long long x);
void csv_end_row(struct csv *c);

/* Flushes, syncs and closes the temporary file, without renaming it:
 * for files that must appear together, each finished before any is
 * committed. Returns 0, or -1 with errno set (the temporary file is then
 * removed). */
int csv_finish(struct csv *c);

/* Finishes (if not yet) and renames into place. Returns 0, or -1 with
 * errno set (the temporary file is then removed). */
int csv_commit(struct csv *c);

/* Commits the n files of set together, all or none: none is renamed
 * into place before every one is on disk, so that a full disk never
 * leaves a new file beside an old one. Returns 0, or -1 with errno set
 * (every temporary file is then removed). */
int csv_commit_all(struct csv *set, size_t n);

/* Removes the temporary file. */
void csv_abort(struct csv *c);

/* A CSV file read back: metadata and rows of strings. */
struct csv_table {
	size_t nmeta;
	char **meta_key, **meta_val;
	size_t ncols;
	char **cols;
	size_t nrows;
	char ***rows;		/* rows[i][j]: column j of row i */
};

/* Reads path. Returns 0, or -1 with errno set (EINVAL: malformed) and a
 * reason in err (file and line). A row with another number of fields
 * than the header is an error. */
int csv_read(const char *path, struct csv_table *t, char *err,
	     size_t errlen);
void csv_table_free(struct csv_table *t);

/* Index of a column by name, or -1. */
int csv_col(const struct csv_table *t, const char *name);

/* Value of a metadata key, or NULL. */
const char *csv_meta_get(const struct csv_table *t, const char *key);

#endif

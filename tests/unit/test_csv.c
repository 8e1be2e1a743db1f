/* test_csv.c - CSV written atomically, read back field for field */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "output/csv.h"

static size_t files_in(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t n = 0;

	while (d && (e = readdir(d)))
		n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
	if (d)
		closedir(d);
	return n;
}

int main(void)
{
	char dir[] = "/tmp/pvt-test-csv.XXXXXX", path[512], err[512];
	struct csv_table t;
	struct csv c;
	FILE *f;

	CHECK(mkdtemp(dir) != NULL);

	/* written, but not under the final name until committed */
	CHECK(csv_open(&c, dir, "a.csv") == 0);
	csv_meta(&c, "scenario", "square");
	csv_meta(&c, "lesson", "line one\nline two");
	csv_header(&c, "name,x,note");
	csv_str(&c, "plain");
	csv_num(&c, 1.5);
	csv_str(&c, "has, comma and \"quotes\"");
	csv_end_row(&c);
	csv_str(&c, "empty");
	csv_num(&c, NAN);
	csv_str(&c, NULL);
	csv_end_row(&c);
	snprintf(path, sizeof(path), "%s/a.csv", dir);
	CHECK(access(path, F_OK) == -1);
	CHECK(files_in(dir) == 1);
	CHECK(csv_commit(&c) == 0);
	CHECK(access(path, F_OK) == 0);
	CHECK(files_in(dir) == 1);

	CHECK(csv_read(path, &t, err, sizeof(err)) == 0);
	CHECK(t.ncols == 3 && t.nrows == 2);
	CHECK(csv_col(&t, "x") == 1 && csv_col(&t, "nope") == -1);
	CHECK(t.nrows == 2 && !strcmp(t.rows[0][2], "has, comma and "
				      "\"quotes\""));
	CHECK(t.nrows == 2 && !strcmp(t.rows[0][1], "1.5"));
	CHECK(t.nrows == 2 && !strcmp(t.rows[1][1], "") &&
	      !strcmp(t.rows[1][2], ""));
	CHECK(csv_meta_get(&t, "scenario") &&
	      !strcmp(csv_meta_get(&t, "scenario"), "square"));
	CHECK(csv_meta_get(&t, "lesson") &&
	      !strcmp(csv_meta_get(&t, "lesson"), "line one line two"));
	csv_table_free(&t);

	/* aborted: nothing at all is left */
	CHECK(csv_open(&c, dir, "b.csv") == 0);
	csv_header(&c, "x");
	csv_abort(&c);
	CHECK(files_in(dir) == 1);

	/* finished, then aborted or committed: for files that appear
	 * together or not at all */
	CHECK(csv_open(&c, dir, "b.csv") == 0);
	csv_header(&c, "x");
	CHECK(csv_finish(&c) == 0);
	CHECK(files_in(dir) == 2);
	csv_abort(&c);
	CHECK(files_in(dir) == 1);
	CHECK(csv_open(&c, dir, "b.csv") == 0);
	csv_header(&c, "x");
	CHECK(csv_finish(&c) == 0 && csv_finish(&c) == 0);
	CHECK(csv_commit(&c) == 0);
	snprintf(path, sizeof(path), "%s/b.csv", dir);
	CHECK(access(path, F_OK) == 0 && files_in(dir) == 2);
	unlink(path);

	/* a folder that does not exist */
	CHECK(csv_open(&c, "/nonexistent/pvt", "c.csv") == -1 &&
	      errno == ENOENT);

	/* a malformed file is reported by file and line */
	snprintf(path, sizeof(path), "%s/bad.csv", dir);
	f = fopen(path, "w");
	fputs("# k: v\na,b\n1,2\n3\n", f);
	fclose(f);
	errno = 0;
	CHECK(csv_read(path, &t, err, sizeof(err)) == -1 && errno == EINVAL);
	CHECK(strstr(err, "bad.csv:4:") != NULL);
	f = fopen(path, "w");
	fputs("a,b\n\"x,2\n", f);
	fclose(f);
	CHECK(csv_read(path, &t, err, sizeof(err)) == -1);
	CHECK(strstr(err, "bad.csv:2:") != NULL);
	unlink(path);
	errno = 0;
	CHECK(csv_read(path, &t, err, sizeof(err)) == -1 && errno == ENOENT);

	snprintf(path, sizeof(path), "%s/a.csv", dir);
	unlink(path);
	CHECK(rmdir(dir) == 0);
	return CHECK_DONE();
}

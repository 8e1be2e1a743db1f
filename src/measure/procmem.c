/* procmem.c - how much memory a process costs, from /proc */
#define _POSIX_C_SOURCE 200809L
#include "measure/procmem.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

/* Adds the "Key: N kB" values of the keys in `want` (NULL-terminated)
 * found in the file into out[i]. Returns how many lines matched, or -1
 * with errno set. */
static int sum_keys(const char *path, const char *const *want, long *out)
{
	char line[256];
	int found = 0;
	FILE *f = fopen(path, "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		for (int i = 0; want[i]; i++) {
			size_t len = strlen(want[i]);
			long v;

			if (strncmp(line, want[i], len) || line[len] != ':')
				continue;
			if (sscanf(line + len + 1, "%ld", &v) == 1) {
				out[i] += v;
				found++;
			}
		}
	}
	fclose(f);
	return found;
}

int procmem_read(pid_t pid, struct procmem *m)
{
	static const char *const rollup[] = {
		"Rss", "Pss", "Private_Clean", "Private_Dirty", "Pss_Anon", NULL,
	};
	static const char *const status[] = { "VmPTE", NULL };
	long r[5] = { 0 }, pte[1] = { 0 };
	char path[64];
	int n;

	if (pid)
		snprintf(path, sizeof(path), "/proc/%d/smaps_rollup", (int)pid);
	else
		snprintf(path, sizeof(path), "/proc/self/smaps_rollup");
	n = sum_keys(path, rollup, r);
	if (n < 0)
		return -1;
	if (n < 4) {
		errno = ENODATA;
		return -1;
	}
	m->pss_anon_kib = n > 4 ? r[4] : r[1];
	if (pid)
		snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	else
		snprintf(path, sizeof(path), "/proc/self/status");
	n = sum_keys(path, status, pte);
	if (n < 0)
		return -1;
	if (n < 1) {
		errno = ENODATA;
		return -1;
	}
	m->rss_kib = r[0];
	m->pss_kib = r[1];
	m->uss_kib = r[2] + r[3];
	m->pte_kib = pte[0];
	m->dirty_kib = r[3];
	return 0;
}

/* Opens /proc/PID/name (pid 0: the calling process) for reading. */
static FILE *proc_open(pid_t pid, const char *name)
{
	char path[64];

	if (pid)
		snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, name);
	else
		snprintf(path, sizeof(path), "/proc/self/%s", name);
	return fopen(path, "r");
}

long procmem_maps(pid_t pid)
{
	long n = 0;
	int c;
	FILE *f = proc_open(pid, "maps");

	if (!f)
		return -1;
	while ((c = getc(f)) != EOF)
		n += c == '\n';
	fclose(f);
	return n;
}

/* Whether a mapped file is a library a libc-only program maps too. */
static int libc_own(const char *name)
{
	return !strncmp(name, "libc.so", 7) || !strncmp(name, "ld-linux", 8) ||
	       !strncmp(name, "ld-", 3);
}

/* Appends name to list (comma-separated) unless it is there already. */
static void add_lib(char *list, size_t len, const char *name)
{
	size_t n = strlen(name), used = strlen(list);

	for (const char *p = list; (p = strstr(p, name)); p += n)
		if ((p == list || p[-1] == ',') && (p[n] == ',' || !p[n]))
			return;
	if (used + n + 2 > len)
		return;		/* a long list is cut, never overrun */
	snprintf(list + used, len - used, "%s%s", used ? "," : "", name);
}

int procmem_image(pid_t pid, struct procmem_image *im)
{
	struct procmem m;
	char line[4352];
	FILE *f = proc_open(pid, "maps");

	memset(im, 0, sizeof(*im));
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		char *file = strchr(line, '/'), *base;

		im->maps += strchr(line, '\n') != NULL;
		if (!file)
			continue;
		file[strcspn(file, "\n")] = 0;
		base = strrchr(file, '/') + 1;
		if (strstr(base, ".so") && !libc_own(base))
			add_lib(im->libs, sizeof(im->libs), base);
	}
	fclose(f);
	if (procmem_read(pid, &m))
		return -1;
	im->rss_kib = m.rss_kib;
	return 0;
}

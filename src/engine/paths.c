/* paths.c - where pvt's own programs and data files are, at run time */
#define _POSIX_C_SOURCE 200809L
#include "engine/paths.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Fills self with the running binary's folder and prefix with the folder
 * above it (above libexec/pvt/ for a scenario binary installed there).
 * Returns 0, or -1 with errno set. */
static int self_and_prefix(char *self, char *prefix, size_t len)
{
	static const char tail[] = "/" PATHS_LIBEXEC;
	ssize_t n = readlink("/proc/self/exe", self, len - 1);
	char *slash;
	size_t sl, tl = sizeof(tail) - 1;

	if (n < 0)
		return -1;
	if ((size_t)n >= len - 1) {
		errno = ENAMETOOLONG;
		return -1;
	}
	self[n] = 0;
	slash = strrchr(self, '/');
	if (!slash) {
		errno = ENOENT;
		return -1;
	}
	*slash = 0;			/* the binary's folder */
	strcpy(prefix, self);
	sl = strlen(prefix);
	if (sl >= tl && !strcmp(prefix + sl - tl, tail))
		prefix[sl - tl] = 0;	/* PREFIX/libexec/pvt */
	else if ((slash = strrchr(prefix, '/')))
		*slash = 0;		/* PREFIX/bin, BUILD/bin */
	return 0;	/* "" when the prefix is / itself */
}

/* snprintf that says ENAMETOOLONG instead of cutting. */
static int join(char *buf, size_t len, const char *a, const char *b,
		const char *c)
{
	if ((size_t)snprintf(buf, len, "%s/%s%s%s", a, b, c ? "/" : "",
			     c ? c : "") >= len) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return 0;
}

int paths_program(const char *name, char *buf, size_t len)
{
	char self[4096], prefix[4096], dir[4096];
	struct stat st;

	if (self_and_prefix(self, prefix, sizeof(self)) ||
	    join(dir, sizeof(dir), prefix, PATHS_LIBEXEC, NULL))
		return -1;
	/* installed: libexec/pvt/ only, never a namesake in bin/ (crash) */
	if (join(buf, len, stat(dir, &st) == 0 && S_ISDIR(st.st_mode) ?
		 dir : self, name, NULL))
		return -1;
	if (access(buf, X_OK)) {
		errno = ENOENT;
		return -1;
	}
	return 0;
}

int paths_data(const char *rel, char *buf, size_t len)
{
	const char *env = getenv("PVT_DATADIR");
	char self[4096], prefix[4096];

	if (env && *env) {
		if (join(buf, len, env, rel, NULL))
			return -1;
	} else if (self_and_prefix(self, prefix, sizeof(self)) ||
		   join(buf, len, prefix, PATHS_SHARE, rel)) {
		return -1;
	}
	if (access(buf, F_OK)) {
		errno = ENOENT;
		return -1;
	}
	return 0;
}

/* events.c - a run's progress as lines of JSON, for pvt live */
#define _POSIX_C_SOURCE 200809L
#include "output/events.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>


static int fd = -1;
static char *buf;	/* the event being written by open_memstream */
static size_t len;

void events_init(void)
{
	const char *s = getenv(EVENTS_ENV);
	char *end;
	long v;
	int flags;

	if (!s)
		return;
	errno = 0;
	v = strtol(s, &end, 10);
	/* 3 or above: never stdin, stdout or stderr */
	if (!errno && end != s && !*end && v >= 3 && v <= 1 << 20 &&
	    (flags = fcntl((int)v, F_GETFD)) >= 0 &&
	    fcntl((int)v, F_SETFD, flags | FD_CLOEXEC) == 0)
		fd = (int)v;
	unsetenv(EVENTS_ENV);
}

FILE *events_open(void)
{
	FILE *f;

	if (fd < 0)
		return NULL;
	f = open_memstream(&buf, &len);
	if (!f)
		return NULL;
	return f;
}

void events_send(FILE *f)
{
	size_t off = 0;

	if (!f)
		return;
	if (fputc('\n', f) == EOF || fclose(f)) {
		free(buf);
		buf = NULL;
		return;
	}
	while (fd >= 0 && off < len) {
		ssize_t n = write(fd, buf + off, len - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			close(fd);
			fd = -1;
			break;
		}
		off += (size_t)n;
	}
	free(buf);
	buf = NULL;
}

void events_put_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p < 0x20 || *p == 0x7f)
			fprintf(f, "\\u%04x", *p);
		else
			fputc(*p, f);
	}
	fputc('"', f);
}

/* progress.c - one progress line on stderr, only when it is a terminal */
#define _POSIX_C_SOURCE 200809L
#include "output/progress.h"

#include "output/events.h"

#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>

static int on = -1;	/* -1: not decided yet */
static int shown;

void progress_init(int quiet)
{
	on = !quiet && isatty(STDERR_FILENO);
}

/* The line as an event for pvt live, whether or not it is shown. */
static void progress_event(const char *fmt, va_list ap)
{
	FILE *f = events_open();
	char text[256];

	if (!f)
		return;
	vsnprintf(text, sizeof(text), fmt, ap);
	fputs("{\"t\":\"progress\",\"text\":", f);
	events_put_str(f, text);
	fputc('}', f);
	events_send(f);
}

void progress(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	progress_event(fmt, ap);
	va_end(ap);
	if (on < 0)
		progress_init(0);
	if (!on)
		return;
	fputs("\r\033[K", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fflush(stderr);
	shown = 1;
}

void progress_clear(void)
{
	if (on > 0 && shown) {
		fputs("\r\033[K", stderr);
		fflush(stderr);
	}
	shown = 0;
}

/* progress.h - one progress line on stderr, only when it is a terminal */
#ifndef PVT_PROGRESS_H
#define PVT_PROGRESS_H

/* Turns the line off (--quiet, or stderr not a terminal). */
void progress_init(int quiet);

/* Replaces the progress line. */
void progress(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Clears the line, so that what follows starts clean. */
void progress_clear(void);

#endif

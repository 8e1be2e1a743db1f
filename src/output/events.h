/* events.h - a run's progress as lines of JSON, for pvt live
 *
 * pvt live starts a scenario's binary with a pipe and names its
 * descriptor in the environment (PVT_EVENTS_FD). The scenario then writes
 * one JSON object per line there: its progress, and each run with the
 * intervals its workers recorded, so that the page draws them as they
 * come. Without the variable every call below does nothing. Events are
 * written by the scenario's main thread only.
 */
#ifndef PVT_EVENTS_H
#define PVT_EVENTS_H

#include <stdio.h>

/* The variable naming the descriptor. */
#define EVENTS_ENV "PVT_EVENTS_FD"

/* Takes the descriptor from the environment, marks it close-on-exec and
 * removes the variable, so that no program pvt starts writes there. Call
 * it once, before any thread or child is made. */
void events_init(void);

/* A stream to write one event into (a JSON object, without a newline),
 * or NULL when events are off. events_send writes it as one line and
 * frees it. A failed write (the reader has gone) turns events off; an
 * event is never worth failing a run for, so nothing is reported. */
FILE *events_open(void);
void events_send(FILE *f);

/* Writes s as a JSON string, quoted and escaped. */
void events_put_str(FILE *f, const char *s);

#endif

/* trace.h - a timeline as a Chrome Trace Event file, for Perfetto UI
 *
 * NAME.trace.json holds the events of NAME.timeline.csv in the Chrome
 * Trace Event format (JSON object form), which Perfetto UI and
 * chrome://tracing open: each recorded run is a process ("square: thread
 * x4, run 1"), each worker a track of its tasks (complete "X" events),
 * and the intervals a worker held the GIL or waited on I/O lie on tracks
 * of their own beside it, since Perfetto does not nest overlapping events
 * on one track. Tracks are named by model and worker (thread_name
 * metadata events); times are microseconds since the run started.
 */
#ifndef PVT_TRACE_H
#define PVT_TRACE_H

#include <stddef.h>

/* Reads dir/NAME.timeline.csv and writes dir/NAME.trace.json beside it,
 * atomically (a temporary name renamed into place). Returns 0, or -1
 * with errno set (EINVAL: not a timeline) and the reason in err (nothing
 * is left behind). */
int trace_from_timeline(const char *dir, const char *name, char *err,
			size_t errlen);

#endif

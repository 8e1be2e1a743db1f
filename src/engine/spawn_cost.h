/* spawn_cost.h - the round trip of starting a worker, by mechanism
 *
 * Engine code that creates processes and threads, so that the spawn
 * scenario never does: each mechanism starts a worker that does nothing,
 * and waits for it, in a timed loop. The loop runs in the calling
 * thread, which should be the only thread of its process (vfork and fork
 * copy just the caller).
 */
#ifndef PVT_SPAWN_COST_H
#define PVT_SPAWN_COST_H

#include <stddef.h>

enum spawn_mech {
	SPAWN_FORK,		/* fork(); the child _exit(0)s; waitpid */
	SPAWN_VFORK,		/* vfork(); the child _exit(0)s; waitpid */
	SPAWN_POSIX_SPAWN,	/* posix_spawn of pvt-nop; waitpid */
	SPAWN_THREAD,		/* pthread_create of an empty function; join */
	SPAWN_MECH_COUNT
};

/* Their names, in the order of enum spawn_mech, for parse_choices. */
#define SPAWN_MECH_CHOICES "fork|vfork|posix_spawn|thread"

/* "fork", "vfork", "posix_spawn", "thread". */
const char *spawn_mech_name(enum spawn_mech m);

/* Returns 0 and sets *m, or -1 with errno EINVAL when s
 * names no mechanism. */
int spawn_mech_parse(const char *s, enum spawn_mech *m);

/* The helper posix_spawn starts: pvt's program pvt-nop (paths_program:
 * beside the running binary when built, in libexec/pvt/ when installed).
 * Returns 0 with its path in buf, or -1 with errno set (ENOENT: it is not
 * there or not executable). */
int spawn_helper_path(char *buf, size_t len);

/* Starts `iterations` workers with mechanism m, one after another, each
 * waited for before the next, timed with CLOCK_MONOTONIC around the whole
 * loop. Sets *us_per_op to the loop's time divided by iterations, in
 * microseconds, with nothing subtracted. Returns 0, or -1 with errno set
 * (EIO: a worker process did not exit with 0) and the failed call and
 * its reason in why ("fork: Resource temporarily unavailable"); every
 * worker started has been waited for either way. */
int spawn_roundtrip(enum spawn_mech m, unsigned iterations, double *us_per_op,
		    char *why, size_t whylen);

/* The timing loop's own cost: the same clock calls around a loop of
 * `iterations` empty passes, in microseconds per pass (lmbench's
 * overhead, to subtract from spawn_roundtrip's figure). */
double spawn_loop_overhead_us(unsigned iterations);

/* Parent memory for the sweep: `bytes` of private anonymous memory with
 * every page written (so it is resident and has page table entries), in
 * 4 KiB pages (transparent huge pages are refused, so that fork copies
 * one entry per 4 KiB as on most servers). Returns NULL with errno set;
 * bytes 0 returns a non-NULL token that spawn_ballast_free accepts. */
void *spawn_ballast_alloc(size_t bytes);
void spawn_ballast_free(void *p, size_t bytes);

/* What a libc-only process maps: pvt-nop started with posix_spawn and
 * read while it stops itself at the start of main. The baseline that
 * pvt's own image (procmem_image) is compared with. Returns 0, or -1 with
 * errno set and the reason in why; the helper is killed and reaped either
 * way. */
struct procmem_image;
int spawn_minimal_image(struct procmem_image *im, char *why, size_t whylen);

#endif

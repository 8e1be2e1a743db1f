/* chan.h - byte channels between two workers: kernel pipes, rings, queues
 *
 * Every kind is a byte stream from one sender to one receiver, delivered
 * whole and in order; the kinds differ in where the bytes travel. Pipes
 * and socketpairs copy through the kernel; the shared-memory ring is a
 * buffer in MAP_SHARED memory guarded by a process-shared mutex and
 * condition variables; the queue is the same ring in the process's own
 * memory with ordinary mutexes (threads only); the SPSC ring has no lock
 * at all, only C11 acquire/release indexes (threads only).
 *
 * A channel is made before the workers start, so that forked workers
 * inherit it. One worker sends and one receives at a time.
 */
#ifndef PVT_CHAN_H
#define PVT_CHAN_H

#include <stddef.h>

enum chan_kind {
	CHAN_PIPE,		/* pipe(2) */
	CHAN_SOCKETPAIR,	/* socketpair(AF_UNIX, SOCK_STREAM) */
	CHAN_SHM_RING,		/* MAP_SHARED ring, process-shared mutex+cond */
	CHAN_QUEUE,		/* private ring, mutex+cond: threads only */
	CHAN_SPSC,		/* private lock-free ring: threads only */
	CHAN_KIND_COUNT
};

/* "pipe", "socketpair", "shm-ring", "queue", "spsc". */
const char *chan_kind_name(enum chan_kind k);

/* Their names, in the order of enum chan_kind, for parse_choices. */
#define CHAN_KIND_CHOICES "pipe|socketpair|shm-ring|queue|spsc"

/* Returns 0 and sets *k, or -1 with errno EINVAL when s
 * names no kind. */
int chan_kind_parse(const char *s, enum chan_kind *k);

/* Whether a channel of kind k made before fork() works between the
 * parent's children (1), or only between threads of one process (0). */
int chan_between_processes(enum chan_kind k);

/* A ring that made no progress for this long gives up with ETIMEDOUT:
 * its peer is gone (a pipe's sender or receiver that ends is seen as end
 * of stream or EPIPE instead). */
#define CHAN_STALL_S 10

struct chan;

/* Makes a channel. capacity: the ring's size in bytes (at least 64) for
 * the rings and the queue; pipes and socketpairs keep the kernel's
 * buffers. Returns 0 with *c, or -1 with errno set (EINVAL: no such kind,
 * or a capacity under 64) and *c NULL (nothing is left open). */
int chan_create(enum chan_kind k, size_t capacity, struct chan **c);

/* Closes and frees what chan_create made, in the calling process. */
void chan_destroy(struct chan *c);

/* Sends len bytes, blocking while the channel is full. Returns 0, or -1
 * with errno set: EPIPE when the receiving end is closed everywhere,
 * ETIMEDOUT when a ring stalled for CHAN_STALL_S, EBADF when this
 * process closed its sending end. */
int chan_send(struct chan *c, const void *buf, size_t len);

/* Receives exactly len bytes, blocking while the channel is empty.
 * Returns 0, or -1 with errno set: EPIPE when the stream ended (every
 * sending end closed) before len bytes came, ETIMEDOUT and EBADF as
 * above. */
int chan_recv(struct chan *c, void *buf, size_t len);

/* For pipes and socketpairs: closes the calling process's copy of the
 * sending end, the receiving end or both, so that a peer process sees
 * the end of the stream (or EPIPE) when the other side ends. A forked
 * sender closes CHAN_RECEIVER, a forked receiver CHAN_SENDER, and the
 * parent both once the workers are started. Does nothing for rings, and
 * must not be used between threads (the ends are shared). */
enum { CHAN_SENDER = 1, CHAN_RECEIVER = 2 };
void chan_close_end(struct chan *c, int ends);

#endif

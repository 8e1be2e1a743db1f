/* chan.c - byte channels between two workers: kernel pipes, rings, queues */
#define _GNU_SOURCE
#include "engine/chan.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "engine/shm.h"

static const char *const kind_names[CHAN_KIND_COUNT] = {
	[CHAN_PIPE] = "pipe",
	[CHAN_SOCKETPAIR] = "socketpair",
	[CHAN_SHM_RING] = "shm-ring",
	[CHAN_QUEUE] = "queue",
	[CHAN_SPSC] = "spsc",
};

const char *chan_kind_name(enum chan_kind k)
{
	return (unsigned)k < CHAN_KIND_COUNT ? kind_names[k] : "?";
}

int chan_kind_parse(const char *s, enum chan_kind *k)
{
	for (int i = 0; i < CHAN_KIND_COUNT; i++) {
		if (strcmp(s, kind_names[i]) == 0) {
			*k = (enum chan_kind)i;
			return 0;
		}
	}
	errno = EINVAL;
	return -1;
}

int chan_between_processes(enum chan_kind k)
{
	return k == CHAN_PIPE || k == CHAN_SOCKETPAIR || k == CHAN_SHM_RING;
}

/* The ring of the shm-ring and the queue. One sender and one receiver:
 * each copies outside the lock into the part only it may touch, and takes
 * the lock only to move its index and wake the other. */
struct ring {
	pthread_mutex_t mu;	/* robust when shared between processes */
	pthread_cond_t not_empty, not_full;
	int pshared;
	size_t head;		/* bytes ever written; under mu */
	size_t tail;		/* bytes ever read; under mu */
	size_t cap;
	unsigned char data[];
};

/* The SPSC ring: each index written by one side only, on its own line. */
struct spsc {
	_Alignas(SHM_LINE) _Atomic size_t head;	/* sender's */
	_Alignas(SHM_LINE) _Atomic size_t tail;	/* receiver's */
	_Alignas(SHM_LINE) size_t cap;
	unsigned char data[];
};

/* In the memory of each process (copied by fork): closing an end here
 * leaves the other processes' copies open. */
struct chan {
	enum chan_kind kind;
	int fd[2];		/* pipe, socketpair: [0] receives, [1] sends */
	void *mem;		/* ring or spsc */
	size_t len;		/* of mem */
};

/* ---- pipes and sockets ------------------------------------------------ */

static int fd_send(struct chan *c, const unsigned char *p, size_t len)
{
	while (len) {
		ssize_t n = c->kind == CHAN_SOCKETPAIR ?
			    send(c->fd[1], p, len, MSG_NOSIGNAL) :
			    write(c->fd[1], p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int fd_recv(struct chan *c, unsigned char *p, size_t len)
{
	while (len) {
		ssize_t n = read(c->fd[0], p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0) {
			errno = EPIPE;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* ---- the locked ring (shm-ring, queue) --------------------------------- */

/* Returns 0, or -1 with errno set (nothing is left to destroy). */
static int ring_init(struct ring *r, size_t cap, int pshared)
{
	pthread_mutexattr_t ma;
	pthread_condattr_t ca;
	int err, ps = pshared ? PTHREAD_PROCESS_SHARED :
		      PTHREAD_PROCESS_PRIVATE;

	r->cap = cap;
	r->pshared = pshared;
	if ((err = pthread_mutexattr_init(&ma))) {
		errno = err;
		return -1;
	}
	err = pthread_mutexattr_setpshared(&ma, ps);
	/* a worker killed while it holds the lock hands it on to the next
	 * taker with EOWNERDEAD instead of hanging it */
	if (!err && pshared)
		err = pthread_mutexattr_setrobust(&ma, PTHREAD_MUTEX_ROBUST);
	if (!err)
		err = pthread_mutex_init(&r->mu, &ma);
	pthread_mutexattr_destroy(&ma);
	if (err) {
		errno = err;
		return -1;
	}
	if ((err = pthread_condattr_init(&ca)))
		goto out_mutex;
	err = pthread_condattr_setpshared(&ca, ps);
	if (!err)
		err = pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	if (!err)
		err = pthread_cond_init(&r->not_empty, &ca);
	if (!err && (err = pthread_cond_init(&r->not_full, &ca)))
		pthread_cond_destroy(&r->not_empty);
	pthread_condattr_destroy(&ca);
	if (!err)
		return 0;
out_mutex:
	pthread_mutex_destroy(&r->mu);
	errno = err;
	return -1;
}

static void ring_fini(struct ring *r)
{
	/* A process killed while it waited is a waiter for ever to glibc,
	 * whose pthread_cond_destroy would wait for it: shared condition
	 * variables are left as they are and unmapped with the ring. */
	if (!r->pshared) {
		pthread_cond_destroy(&r->not_full);
		pthread_cond_destroy(&r->not_empty);
	}
	pthread_mutex_destroy(&r->mu);
}

/* After a lock or a wait returned err: 0 when the lock is held and
 * sound; -1 with errno EPIPE when it is held but its last owner died (the
 * peer is gone: the stream is broken); -1 with errno err when it is not
 * held. */
static int ring_locked(struct ring *r, int err)
{
	if (err == EOWNERDEAD) {
		pthread_mutex_consistent(&r->mu);
		errno = EPIPE;
		return -1;
	}
	if (err && err != ETIMEDOUT) {
		errno = err;
		return -1;
	}
	return 0;
}

/* Waits on cv until ready() or the deadline. Returns 0 (held, ready or
 * timed out), or ring_locked's -1. */
static int ring_wait(struct ring *r, pthread_cond_t *cv,
		     int (*ready)(const struct ring *),
		     const struct timespec *until)
{
	int rc = ring_locked(r, pthread_mutex_lock(&r->mu)), e = 0;

	while (!rc && !ready(r) && e != ETIMEDOUT)
		rc = ring_locked(r, e = pthread_cond_timedwait(cv, &r->mu,
							       until));
	return rc;
}

/* Lets go of the lock ring_wait took. Returns 0 when there are n > 0
 * bytes to move; -1 with errno EPIPE when ring_wait said the peer is
 * gone (broken), or ETIMEDOUT when there are none (the peer stalled). */
static int ring_unlock(struct ring *r, int broken, size_t n)
{
	pthread_mutex_unlock(&r->mu);
	if (!broken && n)
		return 0;
	errno = broken ? EPIPE : ETIMEDOUT;
	return -1;
}

/* Moves an index under the lock and wakes the other side. Returns 0, or
 * -1 with errno set (EPIPE: moved, but the peer is gone). */
static int ring_move(struct ring *r, size_t *index, size_t to,
		     pthread_cond_t *wake)
{
	int rc = ring_locked(r, pthread_mutex_lock(&r->mu));

	if (rc && errno != EPIPE)
		return -1;
	*index = to;
	pthread_cond_signal(wake);
	return ring_unlock(r, rc, 1);
}

static int has_room(const struct ring *r)
{
	return r->head - r->tail < r->cap;
}

static int has_data(const struct ring *r)
{
	return r->head != r->tail;
}

static struct timespec deadline(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	ts.tv_sec += CHAN_STALL_S;
	return ts;
}

/* Copies n bytes between p and the ring at stream offset off. */
static void ring_copy(struct ring *r, size_t off, unsigned char *p, size_t n,
		      int into_ring)
{
	size_t at = off % r->cap, first = r->cap - at < n ? r->cap - at : n;

	if (into_ring) {
		memcpy(r->data + at, p, first);
		memcpy(r->data, p + first, n - first);
	} else {
		memcpy(p, r->data + at, first);
		memcpy(p + first, r->data, n - first);
	}
}

static int ring_send(struct ring *r, const unsigned char *p, size_t len)
{
	while (len) {
		struct timespec until = deadline();
		size_t head, room;
		int rc = ring_wait(r, &r->not_full, has_room, &until);

		if (rc && errno != EPIPE)
			return -1;
		head = r->head;
		room = r->cap - (head - r->tail);
		if (ring_unlock(r, rc, room))
			return -1;
		if (room > len)
			room = len;
		/* only this sender writes between head and tail + cap */
		ring_copy(r, head, (unsigned char *)p, room, 1);
		if (ring_move(r, &r->head, head + room, &r->not_empty))
			return -1;
		p += room;
		len -= room;
	}
	return 0;
}

static int ring_recv(struct ring *r, unsigned char *p, size_t len)
{
	while (len) {
		struct timespec until = deadline();
		size_t tail, have;
		int rc = ring_wait(r, &r->not_empty, has_data, &until);

		if (rc && errno != EPIPE)
			return -1;
		tail = r->tail;
		have = r->head - tail;
		if (ring_unlock(r, rc, have))
			return -1;
		if (have > len)
			have = len;
		ring_copy(r, tail, p, have, 0);
		if (ring_move(r, &r->tail, tail + have, &r->not_full))
			return -1;
		p += have;
		len -= have;
	}
	return 0;
}

/* ---- the lock-free ring (spsc) ----------------------------------------- */

/* Waits for the other side: spins a little (it is likely running on
 * another core), then yields the CPU. Returns -1 with errno ETIMEDOUT
 * once it has waited CHAN_STALL_S in all. */
static int spsc_wait(unsigned *spins, double *since)
{
	struct timespec ts;

	if (++*spins < 256) {
		__asm__ volatile("" ::: "memory");
		return 0;
	}
	sched_yield();
	if (*spins % 1024)
		return 0;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	if (*since == 0)
		*since = (double)ts.tv_sec + ts.tv_nsec * 1e-9;
	else if ((double)ts.tv_sec + ts.tv_nsec * 1e-9 - *since >
		 CHAN_STALL_S) {
		errno = ETIMEDOUT;
		return -1;
	}
	return 0;
}

static void spsc_copy(struct spsc *q, size_t off, unsigned char *p, size_t n,
		      int into_ring)
{
	size_t at = off % q->cap, first = q->cap - at < n ? q->cap - at : n;

	if (into_ring) {
		memcpy(q->data + at, p, first);
		memcpy(q->data, p + first, n - first);
	} else {
		memcpy(p, q->data + at, first);
		memcpy(p + first, q->data, n - first);
	}
}

static int spsc_send(struct spsc *q, const unsigned char *p, size_t len)
{
	size_t head = atomic_load_explicit(&q->head, memory_order_relaxed);
	unsigned spins = 0;
	double since = 0;

	while (len) {
		size_t tail = atomic_load_explicit(&q->tail,
						   memory_order_acquire);
		size_t room = q->cap - (head - tail);

		if (!room) {
			if (spsc_wait(&spins, &since))
				return -1;
			continue;
		}
		spins = 0;
		since = 0;
		if (room > len)
			room = len;
		spsc_copy(q, head, (unsigned char *)p, room, 1);
		head += room;
		/* the bytes are visible before the index that announces them */
		atomic_store_explicit(&q->head, head, memory_order_release);
		p += room;
		len -= room;
	}
	return 0;
}

static int spsc_recv(struct spsc *q, unsigned char *p, size_t len)
{
	size_t tail = atomic_load_explicit(&q->tail, memory_order_relaxed);
	unsigned spins = 0;
	double since = 0;

	while (len) {
		size_t head = atomic_load_explicit(&q->head,
						   memory_order_acquire);
		size_t have = head - tail;

		if (!have) {
			if (spsc_wait(&spins, &since))
				return -1;
			continue;
		}
		spins = 0;
		since = 0;
		if (have > len)
			have = len;
		spsc_copy(q, tail, p, have, 0);
		tail += have;
		/* the bytes are read before the sender may overwrite them */
		atomic_store_explicit(&q->tail, tail, memory_order_release);
		p += have;
		len -= have;
	}
	return 0;
}

/* ---- the channel -------------------------------------------------------- */

static void *private_alloc(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

int chan_create(enum chan_kind k, size_t capacity, struct chan **out)
{
	struct chan *c;
	int err = 0;

	*out = NULL;
	if ((unsigned)k >= CHAN_KIND_COUNT || capacity < 64) {
		errno = EINVAL;
		return -1;
	}
	c = calloc(1, sizeof(*c));
	if (!c)
		return -1;
	c->kind = k;
	c->fd[0] = c->fd[1] = -1;
	switch (k) {
	case CHAN_PIPE:
		if (pipe2(c->fd, O_CLOEXEC))
			err = errno;
		break;
	case CHAN_SOCKETPAIR:
		if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, c->fd))
			err = errno;
		break;
	case CHAN_SHM_RING:
	case CHAN_QUEUE:
		c->len = sizeof(struct ring) + capacity;
		c->mem = k == CHAN_SHM_RING ? shm_alloc(c->len) :
			 private_alloc(c->len);
		if (!c->mem) {
			err = errno;
		} else if (ring_init(c->mem, capacity, k == CHAN_SHM_RING)) {
			err = errno;
			munmap(c->mem, c->len);
		}
		break;
	case CHAN_SPSC:
		c->len = sizeof(struct spsc) + capacity;
		c->mem = private_alloc(c->len);
		if (!c->mem)
			err = errno;
		else
			((struct spsc *)c->mem)->cap = capacity;
		break;
	default:
		err = EINVAL;
	}
	if (err) {
		free(c);
		errno = err;
		return -1;
	}
	*out = c;
	return 0;
}

void chan_close_end(struct chan *c, int ends)
{
	if ((ends & CHAN_RECEIVER) && c->fd[0] >= 0) {
		close(c->fd[0]);
		c->fd[0] = -1;
	}
	if ((ends & CHAN_SENDER) && c->fd[1] >= 0) {
		close(c->fd[1]);
		c->fd[1] = -1;
	}
}

void chan_destroy(struct chan *c)
{
	if (!c)
		return;
	chan_close_end(c, CHAN_SENDER | CHAN_RECEIVER);
	if (c->mem) {
		if (c->kind != CHAN_SPSC)
			ring_fini(c->mem);
		munmap(c->mem, c->len);
	}
	free(c);
}

int chan_send(struct chan *c, const void *buf, size_t len)
{
	switch (c->kind) {
	case CHAN_PIPE:
	case CHAN_SOCKETPAIR:
		if (c->fd[1] < 0) {
			errno = EBADF;
			return -1;
		}
		return fd_send(c, buf, len);
	case CHAN_SHM_RING:
	case CHAN_QUEUE:
		return ring_send(c->mem, buf, len);
	case CHAN_SPSC:
		return spsc_send(c->mem, buf, len);
	default:
		errno = EINVAL;
		return -1;
	}
}

int chan_recv(struct chan *c, void *buf, size_t len)
{
	switch (c->kind) {
	case CHAN_PIPE:
	case CHAN_SOCKETPAIR:
		if (c->fd[0] < 0) {
			errno = EBADF;
			return -1;
		}
		return fd_recv(c, buf, len);
	case CHAN_SHM_RING:
	case CHAN_QUEUE:
		return ring_recv(c->mem, buf, len);
	case CHAN_SPSC:
		return spsc_recv(c->mem, buf, len);
	default:
		errno = EINVAL;
		return -1;
	}
}

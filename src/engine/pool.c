/* pool.c - worker pools on every model: map, apply_async, close, join
 *
 * The parent posts jobs into a ring of POOL_JOBS slots in MAP_SHARED
 * memory; a job is a function, n items in chunks, and its bytes in the
 * shared arena (arguments, results, one state byte per chunk). Workers
 * take a chunk with one compare-and-swap on the job's claim word (job
 * sequence number << 32 | next chunk), run it, mark it done and count it;
 * the worker that finishes a job's last chunk wakes the parent if it
 * sleeps. Idle workers sleep on a futex. No lock is ever held across a
 * task, so a worker that dies leaves nothing locked.
 *
 * A worker announces the claim word it is about to take before taking it
 * and counts the items of its chunk as it goes; when it dies, the parent
 * reads that record to fail exactly what it held. Until then a job is
 * complete when its finished count reaches its chunk count; a job a dead
 * worker touched is complete when no chunk is left undone (a count may be
 * lost with the worker), which the parent checks every POOL_CHECK_S.
 */
#define _GNU_SOURCE
#include "engine/pool.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "engine/gil.h"
#include "measure/measure.h"
#include "engine/shm.h"

#define NONE UINT64_MAX		/* a worker record that holds nothing */
#define EXHAUSTED 0xffffffffu	/* a claim's chunk while a slot is filled */
#define SPIN_S 20e-6		/* an idle worker polls this long, then
				 * sleeps */

enum { CHUNK_TODO, CHUNK_DONE, CHUNK_LOST };
enum { RUNNING, CLOSING, STOPPING };	/* struct shared.state */

/* One job in the ring, shared. Workers read the plain fields only after
 * their compare-and-swap on claim succeeded: the slot cannot be refilled
 * while a chunk of it is held. */
struct job {
	_Alignas(SHM_LINE) _Atomic uint64_t claim;	/* seq << 32 | next */
	_Atomic uint32_t nchunks;
	pool_fn fn;
	size_t n, chunk, arg_size, res_size;
	unsigned char *args, *res;
	_Atomic unsigned char *cstate;		/* CHUNK_* per chunk */
	_Alignas(SHM_LINE) _Atomic uint32_t finished;	/* chunks done */
	_Atomic size_t failed;			/* items that returned != 0 */
	_Atomic size_t first_bad;		/* first seen, or SIZE_MAX */
	int first_code;				/* its code */
};

/* One per worker, shared, on its own cache lines. */
struct wrec {
	_Alignas(SHM_LINE) _Atomic uint64_t held;	/* claim word taken or
							 * being taken; NONE */
	_Atomic size_t done;		/* items of that chunk finished */
	double user_s, sys_s;		/* threads: RUSAGE_THREAD at exit */
};

struct shared {
	_Alignas(SHM_LINE) _Atomic uint64_t posted;	/* jobs posted */
	_Atomic int state;
	_Alignas(SHM_LINE) _Atomic uint64_t cursor;	/* oldest job that may
							 * have a chunk left */
	_Alignas(SHM_LINE) _Atomic uint32_t work_seq;	/* futex: new work or
							 * a new state */
	_Atomic uint32_t sleepers;			/* workers asleep on it */
	_Alignas(SHM_LINE) _Atomic uint32_t done_seq;	/* futex: a job done */
	_Atomic uint32_t parent_waiting;
	_Atomic uint32_t started;	/* futex: workers that began to run */
	struct job jobs[POOL_JOBS];
	struct wrec recs[];
};

/* A map's tally over its jobs (they may be several: the arena is
 * bounded). */
struct tally {
	size_t failed;
	char why[256];
};

/* The parent's own view of a job. */
struct jobp {
	uint64_t seq;
	size_t n, chunk, nchunks, res_size;
	size_t off;		/* its bytes in the arena */
	size_t base;		/* map: index of its first item in the map */
	int done;		/* collected */
	int recount;		/* a worker died in it: count chunks */
	size_t lost;		/* items lost with dead workers */
	struct pool_async *h;	/* apply_async's handle, or NULL */
	void *out;		/* map: where its results go */
	struct tally *tally;	/* map: its tally */
	char why[200];
};

struct wpriv {
	pid_t pid;		/* processes; pvt's own pid for threads */
	pthread_t thread;
	int alive;		/* started and not reaped or joined */
};

/* A dead worker's claim that a live one also announces: settled at the
 * next check, once the live one moved on or ran it. */
struct suspect {
	uint64_t held;
	size_t done;
	char desc[120];
};

struct pool {
	struct pool_opts o;
	int rss_reset;		/* threads: pvt's peak RSS started anew */
	struct shared *sh;
	size_t sh_len;
	unsigned char *arena;
	size_t arena_len;
	struct wpriv *w;
	struct jobp jp[POOL_JOBS];
	uint64_t next;		/* sequence number of the next job */
	uint64_t oldest;	/* oldest job not yet released */
	size_t head;		/* arena offset where the next job goes */
	enum { OPEN, CLOSED, TERMINATED, JOINED } life;
	int broken;
	double last_check;
	struct gil gil;
	struct suspect *sus;	/* dead workers' claims not settled yet */
	size_t nsus, capsus;
	struct pool_stats st;
	char why[512];
};

struct pool_async {
	struct pool *p;		/* NULL once settled or detached */
	uint64_t seq;
	enum { PENDING, SUCCEEDED, FAILED } state;
	size_t res_size;
	char why[256];
	unsigned char result[];
};

/* ---- small helpers ----------------------------------------------------- */

static void say(struct pool *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Writes why the call fails into p->why; errno is left as it was. */
static void say(struct pool *p, const char *fmt, ...)
{
	int err = errno;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(p->why, sizeof(p->why), fmt, ap);
	va_end(ap);
	errno = err;
}

static void futex_wait(_Atomic uint32_t *addr, uint32_t val, double rel_s)
{
	if (shm_wait(addr, val, rel_s))
		fprintf(stderr, "pvt: pool: futex wait: %s\n",
			strerror(errno));
}

static void futex_wake(_Atomic uint32_t *addr, int n)
{
	if (shm_wake(addr, n))
		fprintf(stderr, "pvt: pool: futex wake: %s\n",
			strerror(errno));
}

static inline void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#elif defined(__aarch64__)
	__asm__ __volatile__("yield");
#endif
}

static struct job *slot(const struct pool *p, uint64_t seq)
{
	return &p->sh->jobs[seq % POOL_JOBS];
}

static struct jobp *slotp(struct pool *p, uint64_t seq)
{
	return &p->jp[seq % POOL_JOBS];
}

static size_t min_size(size_t a, size_t b)
{
	return a < b ? a : b;
}

/* ---- the worker side --------------------------------------------------- */

/* Takes the next chunk of the oldest job that has one: returns the job
 * with *claim set to the claim word taken, or NULL when there is none. */
static struct job *claim(struct shared *sh, struct wrec *rec, uint64_t *out)
{
	for (;;) {
		uint64_t s = atomic_load(&sh->cursor), cl;
		struct job *j;

		if (s >= atomic_load(&sh->posted))
			return NULL;
		j = &sh->jobs[s % POOL_JOBS];
		cl = atomic_load(&j->claim);
		if ((uint32_t)(cl >> 32) != (uint32_t)s ||
		    (uint32_t)cl >= atomic_load(&j->nchunks)) {
			/* job s has no chunk left, or is long gone */
			atomic_compare_exchange_strong(&sh->cursor, &s, s + 1);
			continue;
		}
		/* announce first, so that a death after the swap is seen */
		atomic_store_explicit(&rec->done, 0, memory_order_relaxed);
		atomic_store(&rec->held, cl);
		if (atomic_compare_exchange_strong(&j->claim, &cl, cl + 1)) {
			*out = cl;
			return j;
		}
		atomic_store(&rec->held, NONE);
	}
}

static void run_chunk(struct shared *sh, struct wrec *rec, struct job *j,
		      uint64_t cl)
{
	uint32_t c = (uint32_t)cl;
	size_t lo = (size_t)c * j->chunk, hi = min_size(lo + j->chunk, j->n);

	for (size_t i = lo; i < hi; i++) {
		unsigned char *res = j->res + i * j->res_size;
		int rc;

		/* the GIL may change hands between items; terminated or
		 * pvt stopping, threads stop here */
		if ((i > lo && worker_checkpoint()) || workers_stopped() ||
		    atomic_load_explicit(&sh->state, memory_order_relaxed) ==
		    STOPPING)
			return;
		memset(res, 0, j->res_size);
		rc = j->fn(j->args + i * j->arg_size, res);
		if (rc) {
			size_t none = SIZE_MAX;

			atomic_fetch_add(&j->failed, 1);
			if (atomic_compare_exchange_strong(&j->first_bad,
							   &none, i))
				j->first_code = rc;
		}
		atomic_store_explicit(&rec->done, i - lo + 1,
				      memory_order_relaxed);
	}
	atomic_store(&j->cstate[c], CHUNK_DONE);
	if (atomic_fetch_add(&j->finished, 1) + 1 ==
	    atomic_load_explicit(&j->nchunks, memory_order_relaxed)) {
		atomic_fetch_add(&sh->done_seq, 1);
		if (atomic_load(&sh->parent_waiting))
			futex_wake(&sh->done_seq, 1);
	}
	atomic_store(&rec->held, NONE);
}

static bool work_visible(struct shared *sh, int state)
{
	return atomic_load(&sh->cursor) < atomic_load(&sh->posted) ||
	       atomic_load(&sh->state) != state;
}

/* Waits until there may be work or the state changed. */
static void idle(struct shared *sh, int state)
{
	double until = measure_now() + SPIN_S;
	uint32_t seen;

	for (unsigned i = 1;; i++) {
		if (work_visible(sh, state))
			return;
		if (i % 64 == 0 && measure_now() > until)
			break;
		cpu_relax();
	}
	seen = atomic_load(&sh->work_seq);
	atomic_fetch_add(&sh->sleepers, 1);
	if (!work_visible(sh, state))
		futex_wait(&sh->work_seq, seen, -1);
	atomic_fetch_sub(&sh->sleepers, 1);
}

static void thread_cpu(double *user, double *sys)
{
	struct rusage ru;

	if (getrusage(RUSAGE_THREAD, &ru)) {
		*user = *sys = 0;
		return;
	}
	*user = measure_tv(&ru.ru_utime);
	*sys = measure_tv(&ru.ru_stime);
}

/* A worker, whatever the model: chunks until the pool closes or stops.
 * Under MODEL_GIL it holds the GIL while it takes and runs chunks and
 * lets go of it to sleep, as a CPython thread blocked on a queue does. */
static void worker_loop(struct pool *p, unsigned w)
{
	struct shared *sh = p->sh;
	struct wrec *rec = &sh->recs[w];
	struct gil *g = p->o.model == MODEL_GIL ? &p->gil : NULL;
	bool holding = false;
	double u0, s0;

	thread_cpu(&u0, &s0);
	worker_set_gil(g);
	atomic_fetch_add(&sh->started, 1);
	futex_wake(&sh->started, 1);
	for (;;) {
		int state = atomic_load(&sh->state);
		struct job *j;
		uint64_t cl;

		if (state == STOPPING)
			break;
		if (g && !holding) {
			gil_acquire(g);
			holding = true;
		}
		j = claim(sh, rec, &cl);
		if (j) {
			run_chunk(sh, rec, j, cl);
			continue;
		}
		if (state == CLOSING)
			break;		/* closed and nothing left to take */
		if (holding) {
			gil_release(g);
			holding = false;
		}
		idle(sh, state);
	}
	if (holding)
		gil_release(g);
	worker_set_gil(NULL);
	thread_cpu(&rec->user_s, &rec->sys_s);
	rec->user_s -= u0;
	rec->sys_s -= s0;
}

struct thread_arg {
	struct pool *p;
	unsigned w;
};

static void *thread_main(void *arg)
{
	struct thread_arg a = *(struct thread_arg *)arg;

	free(arg);
	worker_loop(a.p, a.w);
	return NULL;
}

/* Starts worker w. Returns 0, or -1 with errno set and the reason in
 * p->why. */
static int start_worker(struct pool *p, unsigned w)
{
	struct thread_arg *arg;
	pid_t parent = getpid(), pid;
	int err;

	atomic_store(&p->sh->recs[w].held, NONE);
	if (p->o.model == MODEL_PROCESS) {
		fflush(NULL);	/* nothing buffered is printed twice */
		pid = fork();
		if (pid < 0) {
			say(p, "fork: %s", strerror(errno));
			return -1;
		}
		if (pid == 0) {
			if (worker_child_init(parent))
				_exit(3);
			worker_loop(p, w);
			fflush(NULL);	/* what its tasks printed */
			_exit(0);
		}
		p->w[w].pid = pid;
		p->w[w].alive = 1;
		return 0;
	}
	arg = malloc(sizeof(*arg));
	if (!arg) {
		say(p, "malloc: %s", strerror(errno));
		return -1;
	}
	arg->p = p;
	arg->w = w;
	if (worker_thread_create(&p->w[w].thread, thread_main, arg)) {
		err = errno;
		free(arg);
		errno = err;
		say(p, "pthread_create: %s", strerror(err));
		return -1;
	}
	p->w[w].pid = parent;
	p->w[w].alive = 1;
	return 0;
}

/* ---- the parent's bookkeeping -------------------------------------------- */

static unsigned live_jobs(const struct pool *p)
{
	return (unsigned)(p->next - p->oldest);
}

/* The jobp of a live job whose sequence number ends in seq32, or NULL. */
static struct jobp *find_live(struct pool *p, uint32_t seq32)
{
	for (uint64_t s = p->oldest; s < p->next; s++)
		if ((uint32_t)s == seq32 && !slotp(p, s)->done)
			return slotp(p, s);
	return NULL;
}

static bool job_complete(struct pool *p, struct jobp *jp)
{
	struct job *j = slot(p, jp->seq);

	if (atomic_load(&j->finished) == jp->nchunks)
		return true;
	if (!jp->recount)
		return false;
	for (size_t c = 0; c < jp->nchunks; c++)
		if (atomic_load(&j->cstate[c]) == CHUNK_TODO)
			return false;
	return true;
}

static void settle(struct pool_async *h, int ok, const char *why)
{
	h->state = ok ? SUCCEEDED : FAILED;
	snprintf(h->why, sizeof(h->why), "%s", ok ? "" : why);
	h->p = NULL;
}

/* Hands a job's results and failures to whoever posted it. With fail set,
 * the job did not complete: fail is why. */
static void finish(struct pool *p, struct jobp *jp, const char *fail)
{
	struct job *j = slot(p, jp->seq);
	size_t failed = atomic_load(&j->failed) + jp->lost;
	size_t bad = atomic_load(&j->first_bad);

	if (fail) {
		failed = jp->n;
		if (!jp->why[0])
			snprintf(jp->why, sizeof(jp->why), "%s", fail);
	} else if (failed && !jp->why[0]) {
		if (jp->h)
			snprintf(jp->why, sizeof(jp->why), "the task failed "
				 "(code %d)", j->first_code);
		else
			snprintf(jp->why, sizeof(jp->why), "item %zu failed "
				 "(code %d)", jp->base + bad, j->first_code);
	}
	if (jp->h) {
		if (!failed)
			memcpy(jp->h->result, j->res, jp->res_size);
		settle(jp->h, !failed, jp->why);
	} else if (jp->out) {
		memcpy(jp->out, j->res, jp->n * jp->res_size);
	}
	if (jp->tally) {
		jp->tally->failed += failed;
		if (failed && !jp->tally->why[0])
			snprintf(jp->tally->why, sizeof(jp->tally->why), "%s",
				 jp->why);
	}
	p->st.items_failed += failed;
	p->st.items_done += jp->n - failed;
	jp->done = 1;
	jp->h = NULL;
}

/* Settles every job that completed, and releases the oldest settled
 * ones' slots and bytes. */
static void collect(struct pool *p)
{
	for (uint64_t s = p->oldest; s < p->next; s++) {
		struct jobp *jp = slotp(p, s);

		if (!jp->done && job_complete(p, jp))
			finish(p, jp, NULL);
	}
	while (p->oldest < p->next && slotp(p, p->oldest)->done)
		p->oldest++;
}

/* Fails every job not done, with why. */
static void fail_pending(struct pool *p, const char *why)
{
	collect(p);
	for (uint64_t s = p->oldest; s < p->next; s++)
		if (!slotp(p, s)->done)
			finish(p, slotp(p, s), why);
	collect(p);
}

/* ---- dead workers -------------------------------------------------------- */

/* Fails the items of chunk c that a dead worker held from its done-th
 * item on. */
static void lose_chunk(struct pool *p, struct jobp *jp, uint32_t c,
		       size_t done, const char *desc)
{
	struct job *j = slot(p, jp->seq);
	size_t lo = (size_t)c * jp->chunk, hi = min_size(lo + jp->chunk, jp->n);
	size_t at = lo + done;

	if (at >= hi) {
		/* it ran them all; only its count was lost */
		atomic_store(&j->cstate[c], CHUNK_DONE);
		return;
	}
	jp->lost += hi - at;
	memset(j->res + at * jp->res_size, 0, (hi - at) * jp->res_size);
	if (!jp->why[0]) {
		char item[48] = "the task";

		if (!jp->h)
			snprintf(item, sizeof(item), "item %zu", jp->base + at);
		snprintf(jp->why, sizeof(jp->why), "%s: %s while running it",
			 item, desc);
		if (hi - at > 1) {
			size_t n = strlen(jp->why);

			snprintf(jp->why + n, sizeof(jp->why) - n, " (and %zu "
				 "item(s) of its chunk not run)", hi - at - 1);
		}
	}
	atomic_store(&j->cstate[c], CHUNK_LOST);
}

/* Fails what a dead worker held, whoever else announces it. */
static void lose_held(struct pool *p, uint64_t held, size_t done,
		      const char *desc)
{
	struct jobp *jp = find_live(p, (uint32_t)(held >> 32));

	if (jp && atomic_load(&slot(p, jp->seq)->cstate[(uint32_t)held]) ==
	    CHUNK_TODO)
		lose_chunk(p, jp, (uint32_t)held, done, desc);
}

static bool announced_by_live(struct pool *p, uint64_t held)
{
	for (unsigned v = 0; v < p->o.workers; v++)
		if (p->w[v].alive && atomic_load(&p->sh->recs[v].held) == held)
			return true;
	return false;
}

/* Settles what a dead worker held. Returns false when a live worker
 * announces the same claim, so that who took it is not known yet. */
static bool settle_held(struct pool *p, uint64_t held, size_t done,
			const char *desc)
{
	struct jobp *jp;
	struct job *j;
	uint32_t c = (uint32_t)held;
	uint64_t cl;

	if (held == NONE || !(jp = find_live(p, (uint32_t)(held >> 32))))
		return true;
	jp->recount = 1;	/* its finished count may be short now */
	j = slot(p, jp->seq);
	cl = atomic_load(&j->claim);
	if ((uint32_t)cl <= c || atomic_load(&j->cstate[c]) != CHUNK_TODO)
		return true;	/* not taken yet, or done */
	if (announced_by_live(p, held))
		return false;
	lose_chunk(p, jp, c, done, desc);
	return true;
}

static void resolve_suspects(struct pool *p)
{
	size_t k = 0;

	for (size_t i = 0; i < p->nsus; i++) {
		struct suspect *s = &p->sus[i];

		if (!settle_held(p, s->held, s->done, s->desc))
			p->sus[k++] = *s;
	}
	p->nsus = k;
}

/* Remembers a dead worker's claim to settle later. */
static void add_suspect(struct pool *p, uint64_t held, size_t done,
			const char *desc)
{
	struct suspect *s;

	if (p->nsus == p->capsus) {
		size_t cap = 2 * p->capsus + 4;

		s = realloc(p->sus, cap * sizeof(*s));
		if (!s) {
			/* out of memory: fail it now rather than never */
			fprintf(stderr, "pvt: pool: realloc: %s\n",
				strerror(errno));
			lose_held(p, held, done, desc);
			return;
		}
		p->sus = s;
		p->capsus = cap;
	}
	s = &p->sus[p->nsus++];
	s->held = held;
	s->done = done;
	snprintf(s->desc, sizeof(s->desc), "%s", desc);
}

static void stop_workers(struct pool *p);

/* The pool cannot go on: stops the workers, fails every pending task. */
static void break_pool(struct pool *p, const char *why)
{
	char msg[sizeof(p->why)];

	if (p->broken)
		return;
	p->broken = 1;
	snprintf(msg, sizeof(msg), "%s", why);
	stop_workers(p);
	fail_pending(p, msg);
	say(p, "%s", msg);
}

static void describe(char *buf, size_t len, unsigned w, pid_t pid,
		     int status, int vanished)
{
	if (vanished)
		snprintf(buf, len, "worker %u (pid %d) was reaped by someone "
			 "else", w, (int)pid);
	else if (WIFSIGNALED(status))
		snprintf(buf, len, "worker %u (pid %d) killed by SIG%s", w,
			 (int)pid, sigabbrev_np(WTERMSIG(status)) ?
			 sigabbrev_np(WTERMSIG(status)) : "?");
	else
		snprintf(buf, len, "worker %u (pid %d) exited with status %d",
			 w, (int)pid, WEXITSTATUS(status));
}

static void account(struct pool *p, const struct rusage *ru)
{
	p->st.user_s += measure_tv(&ru->ru_utime);
	p->st.sys_s += measure_tv(&ru->ru_stime);
	if (ru->ru_maxrss > p->st.max_rss_kib)
		p->st.max_rss_kib = ru->ru_maxrss;
}

/* A worker died while the pool ran: fails what it held, then replaces
 * it or breaks the pool. */
static void worker_died(struct pool *p, unsigned w, int status, int vanished)
{
	struct wrec *rec = &p->sh->recs[w];
	uint64_t held = atomic_load(&rec->held);
	size_t done = atomic_load(&rec->done);
	char desc[120], why[sizeof(p->why)];

	p->w[w].alive = 0;
	p->st.deaths++;
	if (!vanished && WIFSIGNALED(status) && !p->st.signal)
		p->st.signal = WTERMSIG(status);
	describe(desc, sizeof(desc), w, p->w[w].pid, status, vanished);
	if (!settle_held(p, held, done, desc))
		add_suspect(p, held, done, desc);
	atomic_store(&rec->held, NONE);
	if (p->o.on_crash == POOL_CRASH_ABORT) {
		struct jobp *jp = held == NONE ? NULL :
				  find_live(p, (uint32_t)(held >> 32));
		char item[64] = "";

		if (jp && atomic_load(&slot(p, jp->seq)->cstate[(uint32_t)
							      held]) ==
		    CHUNK_LOST) {
			if (jp->h)
				snprintf(item, sizeof(item), " while running "
					 "a task");
			else
				snprintf(item, sizeof(item), " while running "
					 "item %zu", jp->base + done +
					 (uint32_t)held * jp->chunk);
		}
		snprintf(why, sizeof(why), "the pool is broken: %s%s", desc,
			 item);
		break_pool(p, why);
		return;
	}
	if (atomic_load(&p->sh->state) == STOPPING)
		return;
	if (start_worker(p, w)) {
		for (unsigned v = 0; v < p->o.workers; v++)
			if (p->w[v].alive)
				return;	/* the others carry on */
		snprintf(why, sizeof(why), "the pool is broken: %s, and its "
			 "replacement could not start: %.200s", desc, p->why);
		break_pool(p, why);
		return;
	}
	p->st.replaced++;
}

/* Reaps the process workers that died, without blocking. */
static void check_workers(struct pool *p)
{
	p->last_check = measure_now();
	if (p->o.model != MODEL_PROCESS)
		return;
	for (unsigned w = 0; w < p->o.workers && !p->broken; w++) {
		struct rusage ru;
		int status = 0;
		pid_t got;

		if (!p->w[w].alive)
			continue;
		got = wait4(p->w[w].pid, &status, WNOHANG, &ru);
		if (got == 0 || (got < 0 && errno == EINTR))
			continue;
		if (got > 0)
			account(p, &ru);
		worker_died(p, w, status, got < 0);
	}
	resolve_suspects(p);
}

/* ---- waiting ----------------------------------------------------------- */

/* Sleeps until a job completes (done_seq moves past seen), a check is
 * due, or the deadline (measure_now() seconds; negative: none) passed.
 * Returns 0, or -1 with errno ETIMEDOUT past the deadline, EINTR when
 * pvt is asked to stop (the pool is then broken). */
static int wait_on(struct pool *p, uint32_t seen, double deadline)
{
	struct shared *sh = p->sh;
	double now = measure_now(), rel = p->last_check + POOL_CHECK_S - now;

	if (deadline >= 0 && deadline - now < rel)
		rel = deadline - now;
	if (rel > 0) {
		atomic_store(&sh->parent_waiting, 1);
		if (atomic_load(&sh->done_seq) == seen)
			futex_wait(&sh->done_seq, seen, rel);
		atomic_store(&sh->parent_waiting, 0);
		now = measure_now();
	}
	if (now - p->last_check >= POOL_CHECK_S)
		check_workers(p);
	if (workers_stopped()) {
		break_pool(p, "interrupted");
		errno = EINTR;
		return -1;
	}
	if (deadline >= 0 && now >= deadline) {
		errno = ETIMEDOUT;
		return -1;
	}
	return 0;
}

/* Whether job seq is settled, after collecting. */
static bool settled(struct pool *p, uint64_t seq)
{
	return seq < p->oldest || slotp(p, seq)->done;
}

/* Waits until jobs [first, last) are settled. Returns 0, or -1 with
 * errno EINTR. */
static int wait_jobs(struct pool *p, uint64_t first, uint64_t last)
{
	for (;;) {
		uint32_t seen = atomic_load(&p->sh->done_seq);
		bool all = true;

		collect(p);
		for (uint64_t s = first; s < last && all; s++)
			all = settled(p, s);
		if (all)
			return 0;
		if (wait_on(p, seen, -1))
			return -1;	/* EINTR: no deadline to pass */
	}
}

/* ---- posting ----------------------------------------------------------- */

/* Where need bytes fit in the arena, or SIZE_MAX. The bytes in use run
 * from the oldest live job's offset to head, wrapping at the end. */
static size_t arena_fit(struct pool *p, size_t need)
{
	size_t lo;

	if (!live_jobs(p)) {
		p->head = 0;
		return need <= p->arena_len ? 0 : SIZE_MAX;
	}
	lo = slotp(p, p->oldest)->off;
	if (p->head >= lo) {
		if (p->arena_len - p->head >= need)
			return p->head;
		return lo > need ? 0 : SIZE_MAX;
	}
	return lo - p->head > need ? p->head : SIZE_MAX;
}

static size_t job_bytes(size_t n, size_t chunk, size_t arg_size,
			size_t res_size)
{
	return shm_round(n * arg_size) + shm_round(n * res_size) +
	       shm_round((n + chunk - 1) / chunk);
}

struct post {
	pool_fn fn;
	const unsigned char *args;
	size_t arg_size, n, chunk, res_size;
	size_t base;
	struct pool_async *h;
	void *out;
	struct tally *tally;
};

/* Posts a job once a slot and its bytes are free. Returns 0, or -1 with
 * errno EPIPE when the pool broke meanwhile, or EINTR. */
static int post(struct pool *p, const struct post *q)
{
	struct shared *sh = p->sh;
	size_t need = job_bytes(q->n, q->chunk, q->arg_size, q->res_size);
	size_t nchunks = (q->n + q->chunk - 1) / q->chunk, off;
	uint64_t seq;
	struct jobp *jp;
	struct job *j;

	for (;;) {
		uint32_t seen = atomic_load(&sh->done_seq);

		collect(p);
		if (p->broken) {
			errno = EPIPE;
			return -1;
		}
		if (live_jobs(p) < POOL_JOBS &&
		    (off = arena_fit(p, need)) != SIZE_MAX)
			break;
		if (wait_on(p, seen, -1))
			return -1;
	}
	seq = p->next;
	j = slot(p, seq);
	jp = slotp(p, seq);
	memset(jp, 0, sizeof(*jp));
	jp->seq = seq;
	jp->n = q->n;
	jp->chunk = q->chunk;
	jp->nchunks = nchunks;
	jp->res_size = q->res_size;
	jp->off = off;
	jp->base = q->base;
	jp->h = q->h;
	jp->out = q->out;
	jp->tally = q->tally;

	/* a worker that still looks at this slot's previous job must not
	 * take a chunk while it is filled: first make it look exhausted */
	atomic_store(&j->claim, (seq << 32) | EXHAUSTED);
	j->fn = q->fn;
	j->n = q->n;
	j->chunk = q->chunk;
	j->arg_size = q->arg_size;
	j->res_size = q->res_size;
	j->args = p->arena + off;
	j->res = j->args + shm_round(q->n * q->arg_size);
	j->cstate = (_Atomic unsigned char *)(j->res +
					      shm_round(q->n * q->res_size));
	if (q->n * q->arg_size != 0)
		memcpy(j->args, q->args, q->n * q->arg_size);
	memset((void *)j->cstate, CHUNK_TODO, nchunks);
	atomic_store(&j->finished, 0);
	atomic_store(&j->failed, 0);
	atomic_store(&j->first_bad, SIZE_MAX);
	j->first_code = 0;
	atomic_store(&j->nchunks, (uint32_t)nchunks);
	atomic_store(&j->claim, seq << 32);

	p->head = off + need;
	p->next = seq + 1;
	atomic_store(&sh->posted, seq + 1);
	atomic_fetch_add(&sh->work_seq, 1);
	if (atomic_load(&sh->sleepers))
		futex_wake(&sh->work_seq, nchunks < INT_MAX ? (int)nchunks :
			   INT_MAX);
	return 0;
}

/* 0 when the pool takes new work; otherwise -1 with errno set and
 * the reason said. */
static int usable(struct pool *p)
{
	if (p->broken) {
		errno = EPIPE;	/* p->why says why already */
		return -1;
	}
	if (p->life != OPEN) {
		errno = EINVAL;
		say(p, "the pool is closed: it takes no more tasks");
		return -1;
	}
	return 0;
}

/* ---- the API ----------------------------------------------------------- */

int pool_map(struct pool *p, pool_fn fn, const void *items, size_t item_size,
	     size_t n, size_t chunksize, void *results, size_t result_size)
{
	const unsigned char *in = items;
	unsigned char *out = results;
	struct tally tally = { 0, "" };
	size_t batch, per;
	uint64_t first = p->next;
	int rc = 0, err;

	if (usable(p))
		return -1;
	p->why[0] = 0;
	if (!fn || (n && (!items || !results))) {
		errno = EINVAL;
		say(p, "pool_map: no function, items or results");
		return -1;
	}
	if (n == 0)
		return 0;
	if (chunksize == 0) {
		/* Python's Pool.map: four chunks per worker */
		chunksize = n / ((size_t)p->o.workers * 4);
		if (n % ((size_t)p->o.workers * 4) || !chunksize)
			chunksize++;
	}
	chunksize = min_size(chunksize, n);
	/* a map larger than half the arena goes in several jobs */
	per = item_size + result_size + 1;
	batch = (p->arena_len / 2 - 3 * SHM_LINE) / per;
	if (batch >= chunksize)
		batch -= batch % chunksize;
	if (chunksize <= SIZE_MAX / (EXHAUSTED - 1))
		batch = min_size(batch, (EXHAUSTED - 1) * chunksize);
	if (batch < chunksize) {
		if (job_bytes(chunksize, chunksize, item_size, result_size) >
		    p->arena_len) {
			errno = EINVAL;
			say(p, "pool_map: a chunk of %zu item(s) of %zu + %zu "
			    "bytes does not fit the pool's %zu-byte arena",
			    chunksize, item_size, result_size, p->arena_len);
			return -1;
		}
		batch = chunksize;
	}

	for (size_t off = 0; off < n; off += batch) {
		struct post q = {
			.fn = fn, .args = in + off * item_size,
			.arg_size = item_size, .n = min_size(batch, n - off),
			.chunk = chunksize, .res_size = result_size,
			.base = off, .out = out + off * result_size,
			.tally = &tally,
		};

		rc = post(p, &q);
		if (rc)
			break;
	}
	err = rc ? errno : 0;
	if (wait_jobs(p, first, p->next) || err == EINTR) {
		errno = EINTR;
		return -1;
	}
	if (p->broken) {
		errno = EPIPE;
		return -1;
	}
	if (tally.failed) {
		errno = EIO;
		say(p, "%zu of %zu item(s) failed; the first: %s",
		    tally.failed, n, tally.why);
		return -1;
	}
	return 0;
}

struct pool_async *pool_apply_async(struct pool *p, pool_fn fn,
				    const void *arg, size_t arg_size,
				    size_t result_size)
{
	struct pool_async *h;
	int err;

	if (usable(p))
		return NULL;
	p->why[0] = 0;
	if (!fn || (arg_size && !arg) ||
	    job_bytes(1, 1, arg_size, result_size) > p->arena_len) {
		errno = EINVAL;
		say(p, "pool_apply_async: no function, or an argument and "
		    "result over the pool's %zu-byte arena", p->arena_len);
		return NULL;
	}
	h = calloc(1, sizeof(*h) + result_size);
	if (!h) {
		say(p, "malloc: %s", strerror(errno));
		return NULL;
	}
	h->p = p;
	h->seq = p->next;
	h->state = PENDING;
	h->res_size = result_size;

	struct post q = {
		.fn = fn, .args = arg, .arg_size = arg_size, .n = 1,
		.chunk = 1, .res_size = result_size, .h = h,
	};
	if (post(p, &q)) {
		err = errno;
		free(h);
		errno = err;
		return NULL;
	}
	return h;
}

int pool_get(struct pool_async *h, double timeout_s, void *result)
{
	double deadline = timeout_s < 0 ? -1 : measure_now() + timeout_s;

	while (h->state == PENDING && h->p) {
		struct pool *p = h->p;
		uint32_t seen = atomic_load(&p->sh->done_seq);

		collect(p);
		if (h->state != PENDING)
			break;
		if (wait_on(p, seen, deadline) && errno == ETIMEDOUT) {
			collect(p);
			if (h->state == PENDING) {
				errno = ETIMEDOUT;
				return -1;
			}
		}
	}
	if (h->state != SUCCEEDED) {
		errno = EIO;
		return -1;
	}
	if (result)
		memcpy(result, h->result, h->res_size);
	return 0;
}

bool pool_ready(struct pool_async *h)
{
	struct pool *p = h->p;

	if (h->state == PENDING && p) {
		collect(p);
		if (h->state == PENDING &&
		    measure_now() - p->last_check >= POOL_CHECK_S) {
			check_workers(p);
			collect(p);
		}
	}
	return h->state != PENDING;
}

bool pool_successful(struct pool_async *h)
{
	return pool_ready(h) && h->state == SUCCEEDED;
}

const char *pool_async_error(const struct pool_async *h)
{
	return h->why;
}

void pool_async_free(struct pool_async *h)
{
	if (!h)
		return;
	if (h->p && h->state == PENDING) {
		struct pool *p = h->p;

		for (uint64_t s = p->oldest; s < p->next; s++)
			if (slotp(p, s)->h == h)
				slotp(p, s)->h = NULL;
	}
	free(h);
}

static void wake_all(struct pool *p, int state)
{
	atomic_store(&p->sh->state, state);
	atomic_fetch_add(&p->sh->work_seq, 1);
	futex_wake(&p->sh->work_seq, INT_MAX);
}

int pool_close(struct pool *p)
{
	if (p->life == OPEN) {
		p->life = CLOSED;
		if (!p->broken)
			wake_all(p, CLOSING);
	}
	return 0;
}

/* Reaps or joins every worker still there (blocking). */
static void reap_all(struct pool *p)
{
	for (unsigned w = 0; w < p->o.workers; w++) {
		struct rusage ru;
		int status, err;
		pid_t got;

		if (!p->w[w].alive)
			continue;
		p->w[w].alive = 0;
		if (p->o.model != MODEL_PROCESS) {
			err = pthread_join(p->w[w].thread, NULL);
			if (err)
				fprintf(stderr, "pvt: pool: pthread_join: "
					"%s\n", strerror(err));
			p->st.user_s += p->sh->recs[w].user_s;
			p->st.sys_s += p->sh->recs[w].sys_s;
			continue;
		}
		while ((got = wait4(p->w[w].pid, &status, 0, &ru)) < 0 &&
		       errno == EINTR)
			;
		if (got < 0)
			fprintf(stderr, "pvt: pool: wait4: %s\n",
				strerror(errno));
		else
			account(p, &ru);
	}
	if (p->o.model != MODEL_PROCESS)
		p->st.max_rss_kib = p->rss_reset ? measure_rss_peak() : -1;
}

/* Stops every worker now and reaps it. */
static void stop_workers(struct pool *p)
{
	wake_all(p, STOPPING);
	if (p->o.model == MODEL_PROCESS)
		for (unsigned w = 0; w < p->o.workers; w++)
			if (p->w[w].alive && kill(p->w[w].pid, SIGKILL))
				fprintf(stderr, "pvt: pool: kill: %s\n",
					strerror(errno));
	reap_all(p);
	p->nsus = 0;
}

int pool_join(struct pool *p)
{
	if (p->life == OPEN && !p->broken) {
		errno = EINVAL;
		say(p, "pool_join: the pool is still open: close or "
		    "terminate it first");
		return -1;
	}
	if (p->life == CLOSED && !p->broken) {
		/* the workers leave by themselves once the work is done */
		if (wait_jobs(p, p->oldest, p->next))
			return -1;
		reap_all(p);
	}
	if (p->life != TERMINATED)
		p->life = JOINED;
	return 0;
}

int pool_terminate(struct pool *p)
{
	if (p->life == TERMINATED || p->life == JOINED)
		return 0;
	if (!p->broken) {
		stop_workers(p);
		fail_pending(p, "the pool was terminated");
	}
	p->life = TERMINATED;
	return 0;
}

const char *pool_error(const struct pool *p)
{
	return p->why;
}

const struct pool_stats *pool_stats(const struct pool *p)
{
	return &p->st;
}

unsigned pool_workers(const struct pool *p)
{
	return p->o.workers;
}

pid_t pool_worker_pid(const struct pool *p, unsigned i)
{
	return i < p->o.workers && p->w[i].alive ? p->w[i].pid : -1;
}

/* Frees what pool_create_opts made, once no worker is left. */
static void free_pool(struct pool *p)
{
	if (p->o.model == MODEL_GIL)
		gil_destroy(&p->gil);
	munmap(p->arena, p->arena_len);
	shm_free(p->sh, p->sh_len);
	free(p->sus);
	free(p->w);
	free(p);
}

void pool_destroy(struct pool *p)
{
	if (!p)
		return;
	if (p->life != JOINED)
		pool_terminate(p);
	fail_pending(p, "the pool was destroyed");
	free_pool(p);
}

/* Waits until every worker first started runs. Returns 0, or -1 with
 * errno ECHILD and the reason in p->why when one died first. */
static int wait_started(struct pool *p)
{
	for (;;) {
		uint32_t n = atomic_load(&p->sh->started);

		if (n >= p->o.workers)
			return 0;
		futex_wait(&p->sh->started, n, POOL_CHECK_S);
		for (unsigned w = 0; p->o.model == MODEL_PROCESS &&
		     w < p->o.workers; w++) {
			char desc[120];
			int status;
			pid_t got = waitpid(p->w[w].pid, &status, WNOHANG);

			if (got == 0 || (got < 0 && errno == EINTR))
				continue;
			p->w[w].alive = 0;
			describe(desc, sizeof(desc), w, p->w[w].pid, status,
				 got < 0);
			say(p, "%s before it started", desc);
			errno = ECHILD;
			return -1;
		}
	}
}

struct pool *pool_create(enum model model, unsigned workers)
{
	struct pool_opts o = { .model = model, .workers = workers };

	return pool_create_opts(&o);
}

struct pool *pool_create_opts(const struct pool_opts *o)
{
	struct pool *p;
	int err;

	if (o->workers == 0 || (o->model != MODEL_PROCESS &&
				o->model != MODEL_THREAD &&
				o->model != MODEL_GIL)) {
		fprintf(stderr, "pvt: pool: a pool needs at least one worker "
			"and the process, thread or gil model\n");
		errno = EINVAL;
		return NULL;
	}
	p = calloc(1, sizeof(*p));
	if (p && o->model != MODEL_PROCESS)
		p->rss_reset = measure_rss_reset() == 0;
	if (!p)
		goto out_nomem;
	p->o = *o;
	p->arena_len = shm_round(o->arena_bytes ? o->arena_bytes :
				 POOL_ARENA_DEFAULT);
	if (p->arena_len < 4096)
		p->arena_len = 4096;
	p->w = calloc(o->workers, sizeof(*p->w));
	if (!p->w)
		goto out_free;
	p->sh_len = sizeof(struct shared) + o->workers * sizeof(struct wrec);
	p->sh = shm_alloc(p->sh_len);
	if (!p->sh) {
		fprintf(stderr, "pvt: pool: mmap: %s\n", strerror(errno));
		goto out_free_keep;
	}
	/* only the pages in use are backed: a small map touches little */
	p->arena = mmap(NULL, p->arena_len, PROT_READ | PROT_WRITE,
			MAP_SHARED | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p->arena == MAP_FAILED) {
		fprintf(stderr, "pvt: pool: mmap: %s\n", strerror(errno));
		goto out_sh;
	}
	for (size_t s = 0; s < POOL_JOBS; s++)
		atomic_store(&p->sh->jobs[s].claim, NONE);
	if (o->model == MODEL_GIL &&
	    gil_init(&p->gil, o->switch_interval_s > 0 ?
		     o->switch_interval_s : GIL_DEFAULT_INTERVAL)) {
		err = errno;
		fprintf(stderr, "pvt: pool: gil_init: %s\n", strerror(err));
		errno = err;
		goto out_arena;
	}
	p->last_check = measure_now();
	for (unsigned w = 0; w <= o->workers; w++) {
		/* after the last, wait until every worker runs */
		if (w == o->workers ? wait_started(p) : start_worker(p, w)) {
			err = errno;
			fprintf(stderr, "pvt: pool: %s\n", p->why);
			stop_workers(p);
			free_pool(p);
			errno = err ? err : EAGAIN;
			return NULL;
		}
	}
	return p;

out_arena:
	munmap(p->arena, p->arena_len);
out_sh:
	shm_free(p->sh, p->sh_len);
out_free_keep:
	err = errno;
	free(p->sus);
	free(p->w);
	free(p);
	errno = err;
	return NULL;
out_free:
	free(p->sus);
	free(p->w);
	free(p);
out_nomem:
	fprintf(stderr, "pvt: pool: malloc: %s\n", strerror(ENOMEM));
	errno = ENOMEM;
	return NULL;
}

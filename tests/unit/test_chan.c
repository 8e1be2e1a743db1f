/* test_chan.c - every channel delivers every byte, in order, between two
 * workers of each model it serves, across ring wrap-arounds */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "engine/chan.h"
#include "check.h"
#include "face/parse.h"
#include "engine/workers.h"

struct ctx {
	struct chan *ch;
	enum model model;
	size_t total, send_msg, recv_msg;
};

struct res {
	size_t bytes, wrong, first_wrong;
	int err;	/* errno of the call that failed, or 0 */
};

static unsigned char byte_at(size_t i)
{
	return (unsigned char)(i * 131 + (i >> 9));
}

/* Task 0 sends the stream in send_msg pieces, task 1 receives it in
 * recv_msg pieces and checks every byte. */
static int task(const void *vctx, void *local, size_t t, void *result)
{
	const struct ctx *c = vctx;
	struct res *r = result;
	size_t piece = t == 0 ? c->send_msg : c->recv_msg;
	unsigned char *buf = malloc(piece);

	(void)local;
	if (!buf)
		return 1;
	if (c->model == MODEL_PROCESS)
		chan_close_end(c->ch, t == 0 ? CHAN_RECEIVER : CHAN_SENDER);
	r->first_wrong = SIZE_MAX;
	for (size_t off = 0; off < c->total && !r->err;) {
		size_t n = c->total - off < piece ? c->total - off : piece;

		if (t == 0) {
			for (size_t i = 0; i < n; i++)
				buf[i] = byte_at(off + i);
			r->err = chan_send(c->ch, buf, n) ? errno : 0;
		} else {
			r->err = chan_recv(c->ch, buf, n) ? errno : 0;
			for (size_t i = 0; !r->err && i < n; i++) {
				if (buf[i] == byte_at(off + i))
					continue;
				if (!r->wrong++)
					r->first_wrong = off + i;
			}
		}
		if (!r->err)
			off += n, r->bytes += n;
	}
	free(buf);
	return r->err ? 2 : 0;
}

static int delivers(enum chan_kind k, enum model m, size_t cap, size_t total,
		    size_t send_msg, size_t recv_msg)
{
	struct ctx c = {
		.model = m, .total = total, .send_msg = send_msg,
		.recv_msg = recv_msg,
	};
	struct run_spec spec = {
		.model = m, .workers = 2, .tasks = 2, .fn = task, .ctx = &c,
		.dist = DIST_STATIC,
	};
	struct run_stats st;
	struct results r;
	const struct res *rx;
	int ok;

	if (chan_create(k, cap, &c.ch))
		return 0;
	if (results_create(&r, 2, sizeof(struct res))) {
		chan_destroy(c.ch);
		return 0;
	}
	ok = workers_run(&spec, &r, &st) == 0;
	rx = results_at(&r, 1);
	ok = ok && rx->bytes == total && rx->wrong == 0 && rx->err == 0 &&
	     ((const struct res *)results_at(&r, 0))->bytes == total;
	if (!ok)
		fprintf(stderr, "%s/%s cap %zu: %s; received %zu of %zu, %zu "
			"wrong (first at %zu), error %d\n", chan_kind_name(k),
			model_name(m), cap, st.why, rx->bytes, total,
			rx->wrong, rx->first_wrong, rx->err);
	results_destroy(&r);
	chan_destroy(c.ch);
	return ok;
}

static int no_children(void)
{
	return waitpid(-1, NULL, WNOHANG) == -1 && errno == ECHILD;
}

int main(void)
{
	struct chan *ch;
	enum chan_kind k;
	unsigned char b[32] = { 0 };

	CHECK(chan_kind_parse("shm-ring", &k) == 0 && k == CHAN_SHM_RING);
	errno = 0;
	CHECK(chan_kind_parse("carrier-pigeon", &k) == -1 && errno == EINVAL);
	/* --channels names them in the order of the enum */
	for (unsigned i = 0; i < CHAN_KIND_COUNT; i++) {
		unsigned idx[CHAN_KIND_COUNT];
		size_t got;
		char err[256];

		CHECK(parse_choices(chan_kind_name((enum chan_kind)i),
				    CHAN_KIND_CHOICES, "channel", idx, &got,
				    err, sizeof(err)) == 0 && got == 1 &&
		      idx[0] == i);
	}
	CHECK(strcmp(chan_kind_name(CHAN_SPSC), "spsc") == 0);
	CHECK(chan_between_processes(CHAN_PIPE));
	CHECK(chan_between_processes(CHAN_SHM_RING));
	CHECK(!chan_between_processes(CHAN_QUEUE));
	CHECK(!chan_between_processes(CHAN_SPSC));
	errno = 0;
	CHECK(chan_create(CHAN_KIND_COUNT, 4096, &ch) == -1 &&
	      errno == EINVAL && !ch);
	errno = 0;
	CHECK(chan_create(CHAN_SPSC, 16, &ch) == -1 && errno == EINVAL && !ch);

	for (int i = 0; i < CHAN_KIND_COUNT; i++) {
		k = (enum chan_kind)i;
		/* small rings wrap around many times; odd sizes straddle
		 * the end; messages bigger than the ring go in parts */
		CHECK(delivers(k, MODEL_THREAD, 256, 100000, 7, 13));
		CHECK(delivers(k, MODEL_THREAD, 4096, 1 << 20, 65536, 1000));
		CHECK(delivers(k, MODEL_THREAD, 64 << 10, 3 << 20, 64, 64));
		if (!chan_between_processes(k))
			continue;
		CHECK(delivers(k, MODEL_PROCESS, 256, 100000, 13, 7));
		CHECK(delivers(k, MODEL_PROCESS, 4096, 1 << 20, 1000, 65536));
		CHECK(no_children());
	}

	/* in one thread: what was sent comes back; then the end of stream */
	for (int i = 0; i < CHAN_KIND_COUNT; i++) {
		CHECK(chan_create((enum chan_kind)i, 64, &ch) == 0);
		CHECK(chan_send(ch, "0123456789", 10) == 0);
		CHECK(chan_recv(ch, b, 4) == 0 && memcmp(b, "0123", 4) == 0);
		CHECK(chan_recv(ch, b, 6) == 0 && memcmp(b, "456789", 6) == 0);
		chan_destroy(ch);
	}
	CHECK(chan_create(CHAN_PIPE, 64, &ch) == 0);
	CHECK(chan_send(ch, "abc", 3) == 0);
	chan_close_end(ch, CHAN_SENDER);
	errno = 0;
	CHECK(chan_recv(ch, b, 8) == -1 && errno == EPIPE);
	errno = 0;
	CHECK(chan_send(ch, "abc", 3) == -1 && errno == EBADF);
	chan_destroy(ch);
	CHECK(chan_create(CHAN_SOCKETPAIR, 64, &ch) == 0);
	chan_close_end(ch, CHAN_RECEIVER);
	errno = 0;
	CHECK(chan_send(ch, "abc", 3) == -1 && errno == EPIPE);
	errno = 0;
	CHECK(chan_recv(ch, b, 1) == -1 && errno == EBADF);
	chan_destroy(ch);
	return CHECK_DONE();
}

/* shm.c - memory shared between a parent and its forked children */
#define _DEFAULT_SOURCE
#include "engine/shm.h"

#include <errno.h>
#include <linux/futex.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

size_t shm_round(size_t n)
{
	return (n + SHM_LINE - 1) / SHM_LINE * SHM_LINE;
}

void *shm_alloc(size_t len)
{
	void *p;

	if (len == 0)
		len = 1;
	p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	return p == MAP_FAILED ? NULL : p;
}

void shm_free(void *p, size_t len)
{
	if (p)
		munmap(p, len ? len : 1);
}

/* not FUTEX_PRIVATE_FLAG: the word is shared with forked workers */
static long futex(_Atomic uint32_t *word, int op, uint32_t val,
		  const struct timespec *rel)
{
	return syscall(SYS_futex, (uint32_t *)word, op, val, rel, NULL, 0);
}

int shm_wait(_Atomic uint32_t *word, uint32_t val, double timeout_s)
{
	struct timespec ts, *tp = NULL;

	if (timeout_s >= 0) {
		ts.tv_sec = (time_t)timeout_s;
		ts.tv_nsec = (long)((timeout_s - (double)ts.tv_sec) * 1e9);
		tp = &ts;
	}
	if (futex(word, FUTEX_WAIT, val, tp) && errno != EAGAIN &&
	    errno != EINTR && errno != ETIMEDOUT)
		return -1;
	return 0;
}

int shm_wake(_Atomic uint32_t *word, int n)
{
	return futex(word, FUTEX_WAKE, (uint32_t)n, NULL) < 0 ? -1 : 0;
}

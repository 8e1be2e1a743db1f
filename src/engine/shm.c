/* shm.c - memory shared between a parent and its forked children */
#define _DEFAULT_SOURCE
#include "engine/shm.h"

#include <sys/mman.h>

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

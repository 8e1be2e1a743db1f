/* test_procmem.c - PSS, USS and page tables read from /proc move as the
 * memory does */
#define _DEFAULT_SOURCE
#include <errno.h>
#include <string.h>
#include <sys/mman.h>

#include "check.h"
#include "measure/procmem.h"

int main(void)
{
	struct procmem a, b;
	size_t len = 16 << 20;
	char *p;

	CHECK(procmem_read(0, &a) == 0);
	CHECK(a.rss_kib > 0 && a.pss_kib > 0 && a.uss_kib > 0);
	CHECK(a.uss_kib <= a.pss_kib && a.pss_kib <= a.rss_kib);
	CHECK(a.pte_kib > 0);
	errno = 0;
	CHECK(procmem_read(0x7ffffff0, &b) == -1 && errno == ENOENT);

	p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(p != MAP_FAILED);
	CHECK(procmem_read(0, &b) == 0);
	/* anonymous figures: another program mapping the same libraries
	 * moves the file-backed part of USS and PSS, never these */
	CHECK(b.dirty_kib - a.dirty_kib < 1024);	/* not yet touched */
	memset(p, 1, len);
	CHECK(procmem_read(0, &b) == 0);
	CHECK(b.dirty_kib - a.dirty_kib >= 16 << 10);
	CHECK(b.pss_anon_kib - a.pss_anon_kib >= 16 << 10);
	CHECK(b.pss_anon_kib <= b.pss_kib && b.dirty_kib <= b.uss_kib);
	munmap(p, len);

	long maps = procmem_maps(0);

	CHECK(maps > 5);
	p = mmap(NULL, 8 << 12, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1,
		 0);
	/* a writable page in the middle splits the region in three */
	CHECK(mprotect(p + (4 << 12), 4096, PROT_READ | PROT_WRITE) == 0);
	CHECK(procmem_maps(0) >= maps + 1);
	munmap(p, 8 << 12);
	CHECK(procmem_maps(0x7ffffff0) == -1);
	return CHECK_DONE();
}

/* procmem.h - how much memory a process costs, from /proc
 *
 * Linux's per-process accounting: RSS counts every resident page the
 * process maps; PSS divides each page by the number of processes that map
 * it, so PSS summed over processes is the memory they use together; USS
 * (Private_Clean + Private_Dirty) is what would be freed if the process
 * ended. Page tables (VmPTE) are kernel memory outside all three.
 */
#ifndef PVT_PROCMEM_H
#define PVT_PROCMEM_H

#include <sys/types.h>

struct procmem {
	long rss_kib;	/* Rss of /proc/PID/smaps_rollup */
	long pss_kib;	/* Pss */
	long uss_kib;	/* Private_Clean + Private_Dirty */
	long pte_kib;	/* VmPTE of /proc/PID/status */
	/* The anonymous part: what the process itself allocated (heap,
	 * stacks, copied pages), which other programs mapping the same
	 * libraries cannot change. Pss_Anon (Linux 5.7), else Pss. */
	long pss_anon_kib;
	long dirty_kib;	/* Private_Dirty */
};

/* Reads process pid (0: the calling process). Returns 0, or -1 with errno
 * set (ENOENT: no such process; ENODATA: a kernel without smaps_rollup,
 * before Linux 4.14). */
int procmem_read(pid_t pid, struct procmem *m);

/* The number of memory regions (lines of /proc/PID/maps; pid 0: the
 * calling process): fork() copies each one's page tables. Returns it, or
 * -1 with errno set. */
long procmem_maps(pid_t pid);

/* What fork() copies the page tables of: a process's memory regions, its
 * resident memory and the shared libraries it maps. */
struct procmem_image {
	long maps;		/* lines of /proc/PID/maps */
	long rss_kib;		/* Rss */
	char libs[256];		/* the shared objects it maps beyond libc,
				 * the dynamic loader and the vDSO, by file
				 * name, comma-separated; "" for none */
};

/* Reads process pid (0: the calling process). Returns 0, or -1 with errno
 * set. */
int procmem_image(pid_t pid, struct procmem_image *im);

#endif

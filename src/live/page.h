/* page.h - the files of pvt live's page, built into the binary
 *
 * src/live/page/ holds them; src/live/embed.cmake turns them into arrays
 * of a generated C file at build time, so the page needs nothing from the
 * network or the disk.
 */
#ifndef PVT_LIVE_PAGE_H
#define PVT_LIVE_PAGE_H

#include <stddef.h>

struct live_file {
	const char *path;		/* "/index.html" */
	const char *type;		/* its Content-Type */
	const unsigned char *data;
	size_t len;
};

/* Every file, ending with a NULL path. */
extern const struct live_file live_files[];

#endif

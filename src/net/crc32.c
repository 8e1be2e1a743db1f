/* crc32.c - fetch_crc32 (fetch.h), in a file of its own so that the
 * server, which checksums what it serves, links zlib without libcurl */
#include <limits.h>
#include <zlib.h>

#include "net/fetch.h"

/* zlib's, the one gzip, PNG and Python's zlib.crc32 use */
uint32_t fetch_crc32(uint32_t crc, const void *buf, size_t len)
{
	const unsigned char *p = buf;

	/* zlib takes an unsigned int length */
	for (; len > UINT_MAX; p += UINT_MAX, len -= UINT_MAX)
		crc = (uint32_t)crc32(crc, p, UINT_MAX);
	return (uint32_t)crc32(crc, p, (uInt)len);
}

/* sha256.h - SHA-256 (FIPS 180-4), for the hashlib work of square
 *
 * square --work hashlib has Python hash its buffers with hashlib.sha256
 * and the C models hash the same buffers; pvt checks both against this
 * digest, computed here so that no scenario links a crypto library.
 */
#ifndef PVT_SHA256_H
#define PVT_SHA256_H

#include <stddef.h>
#include <stdint.h>

struct sha256 {
	uint32_t h[8];		/* the state */
	uint64_t bytes;		/* hashed so far */
	unsigned char block[64];	/* the block being filled */
	size_t used;		/* bytes in block */
};

void sha256_init(struct sha256 *s);
void sha256_update(struct sha256 *s, const void *data, size_t len);
/* Writes the 32-byte digest; s must be initialised again to be reused. */
void sha256_final(struct sha256 *s, unsigned char out[32]);

#endif

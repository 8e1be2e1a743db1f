/* test_square.c - square's checksum: the closed form, and a wrong result
 * caught; the hashlib work's SHA-256 against the standard's vectors */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "../../scenarios/square.c"

/* The hex digest of len bytes of data, hashed in pieces of step. */
static void hex_digest(const void *data, size_t len, size_t step, char *hex)
{
	const unsigned char *p = data;
	unsigned char d[32];
	struct sha256 s;

	sha256_init(&s);
	for (size_t off = 0; off < len; off += step)
		sha256_update(&s, p + off, len - off < step ? len - off : step);
	sha256_final(&s, d);
	for (int i = 0; i < 32; i++)
		sprintf(hex + 2 * i, "%02x", d[i]);
}

/* FIPS 180-4's examples, whole and in odd pieces; the hashlib task's
 * checksum is the digest's first 8 bytes, little-endian. */
static void sha256_vectors(void)
{
	static char million[1000000];
	const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnop"
			  "nopq";
	char hex[65];
	uint64_t sum;

	hex_digest("abc", 3, 3, hex);
	CHECK(!strcmp(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9c"
		      "b410ff61f20015ad"));
	hex_digest("", 0, 1, hex);
	CHECK(!strcmp(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934c"
		      "a495991b7852b855"));
	hex_digest(two, strlen(two), 7, hex);
	CHECK(!strcmp(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167"
		      "f6ecedd419db06c1"));
	memset(million, 'a', sizeof(million));
	hex_digest(million, sizeof(million), 4097, hex);
	CHECK(!strcmp(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e"
		      "046d39ccc7112cd0"));
	/* task 0 of 3 bytes 0, 1, 2: sha256(8 zero bytes + 00 01 02) */
	CHECK(digest64(0, (const unsigned char *)"\0\1\2", 3, &sum) == 0);
	hex_digest("\0\0\0\0\0\0\0\0\0\1\2", 11, 11, hex);
	for (int i = 7; i >= 0; i--) {
		unsigned v;

		sscanf(hex + 2 * i, "%2x", &v);
		CHECK((unsigned)(sum >> (8 * i) & 0xff) == v);
	}
}

int main(void)
{
	sha256_vectors();
	const uint64_t sizes[] = { 1, 2, 3, 1000, 4097, 65536 };
	struct results r;
	char why[256];

	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		struct square_ctx c = { .size = sizes[i] };

		CHECK(results_create(&r, 5, sizeof(struct square_result)) == 0);
		for (size_t t = 0; t < 5; t++) {
			uint64_t want = 0;

			CHECK(square_task(&c, NULL, t, results_at(&r, t)) == 0);
			for (uint64_t x = t * c.size; x < (t + 1) * c.size; x++)
				want += x * x;
			CHECK(((struct square_result *)results_at(&r, t))
			      ->checksum == want);
		}
		CHECK(square_verify(&c, &r, why, sizeof(why)) == 0);
		((struct square_result *)results_at(&r, 3))->checksum++;
		CHECK(square_verify(&c, &r, why, sizeof(why)) == 1);
		CHECK(strstr(why, "task 3") != NULL);
		memset(results_at(&r, 4), 0, sizeof(struct square_result));
		CHECK(square_verify(&c, &r, why, sizeof(why)) == 2);
		results_destroy(&r);
	}
	/* near the 2^40 limit the closed form stays exact mod 2^64 */
	uint64_t n = 1ULL << 40, brute = sum_squares_below(n - 3);
	for (uint64_t x = n - 3; x < n; x++)
		brute += x * x;
	CHECK(sum_squares_below(n) == brute);
	return CHECK_DONE();
}

/* test_square.c - square's checksum: the closed form, and a wrong result
 * caught */
#include <string.h>

#include "check.h"
#include "../../scenarios/square.c"

int main(void)
{
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

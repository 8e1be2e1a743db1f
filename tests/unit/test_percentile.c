/* test_percentile.c - percentiles against samples worked out by hand */
#include <math.h>

#include "check.h"
#include "measure/percentile.h"

static int near(double a, double b)
{
	return fabs(a - b) < 1e-9 * (fabs(b) + 1);
}

int main(void)
{
	/* sorted: 15 20 35 40 50; rank = 4 * p / 100 */
	double five[] = { 40, 15, 50, 35, 20 };
	double hundred[100], one[] = { 7 }, bad[] = { 1, NAN, 3 };

	CHECK(near(percentile(five, 5, 50), 35));	/* rank 2 */
	CHECK(five[0] == 15 && five[4] == 50);		/* sorted in place */
	CHECK(near(percentile_sorted(five, 5, 40), 29));	/* 20 + .6 x 15 */
	CHECK(near(percentile_sorted(five, 5, 99), 49.6));	/* 40 + .96 x 10 */
	CHECK(near(percentile_sorted(five, 5, 0), 15));
	CHECK(near(percentile_sorted(five, 5, 100), 50));
	CHECK(near(percentile_sorted(five, 5, 25), 20));	/* rank 1 */

	/* 100 down to 1, unsorted: p50 at rank 49.5, p99 at rank 98.01 */
	for (int i = 0; i < 100; i++)
		hundred[i] = 100 - i;
	CHECK(near(percentile(hundred, 100, 50), 50.5));
	CHECK(near(percentile(hundred, 100, 99), 99.01));
	CHECK(near(percentile(hundred, 100, 90), 90.1));

	CHECK(near(percentile(one, 1, 50), 7) && near(percentile(one, 1, 99), 7));
	CHECK(isnan(percentile(one, 0, 50)));
	CHECK(isnan(percentile(one, 1, -1)) && isnan(percentile(one, 1, 101)));
	CHECK(isnan(percentile(one, 1, NAN)));
	CHECK(isnan(percentile(bad, 3, 50)));
	return CHECK_DONE();
}

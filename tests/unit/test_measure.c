/* test_measure.c - statistics: median, spread, confidence, noise */
#include <math.h>

#include "check.h"
#include "measure/measure.h"

static int near(double a, double b)
{
	return fabs(a - b) < 1e-9 * (fabs(b) + 1);
}

int main(void)
{
	const double odd[] = { 3, 1, 2 };
	const double even[] = { 4, 1, 3, 2 };
	const double same[] = { 5, 5, 5, 5, 5 };
	const double spread[] = { 1.0, 1.0, 1.0, 1.2, 1.0 };
	const double bad[] = { 1, NAN };
	struct stats st;

	CHECK(measure_stats(odd, 3, &st) == 0);
	CHECK(st.n == 3 && near(st.median, 2) && near(st.min, 1) &&
	      near(st.max, 3) && near(st.mean, 2));
	CHECK(near(st.stddev, 1));
	/* t(0.975, 2) = 4.303: 4.303 * 1 / sqrt(3) */
	CHECK(near(st.ci95, 4.303 / sqrt(3)));
	CHECK(odd[0] == 3);	/* the input is left alone */

	CHECK(measure_stats(even, 4, &st) == 0);
	CHECK(near(st.median, 2.5) && near(st.mean, 2.5));
	CHECK(near(st.stddev, sqrt(5.0 / 3.0)));

	CHECK(measure_stats(same, 5, &st) == 0);
	CHECK(st.stddev == 0 && st.ci95 == 0 && st.spread == 0 && !st.noisy);

	CHECK(measure_stats(spread, 5, &st) == 0);
	CHECK(near(st.spread, 0.2) && st.noisy);

	CHECK(measure_stats(odd, 1, &st) == 0);
	CHECK(st.n == 1 && st.stddev == 0 && st.ci95 == 0);

	CHECK(measure_stats(odd, 0, &st) == -1);
	CHECK(measure_stats(bad, 2, &st) == -1);

	CHECK(near(measure_t95(1), 12.706) && near(measure_t95(100), 1.96));
	CHECK(isnan(measure_t95(0)));

	double a = measure_now(), b = measure_now();
	CHECK(b >= a && a > 0);
	return CHECK_DONE();
}

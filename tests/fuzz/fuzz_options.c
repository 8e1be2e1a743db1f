/* fuzz_options.c - libFuzzer target: every parser of option values
 *
 * The input's first byte picks the parser, the rest is the value as a
 * user would type it. Each parser must either accept the value with a
 * result inside its range, or refuse it with a reason; never crash,
 * never read past the string, never return garbage.
 */
/* the asserts are the invariants: on in every build type */
#undef NDEBUG
#include <assert.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "face/parse.h"
#include "engine/workers.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[256], *s;
	unsigned *list;
	uint64_t u, *sizes;
	double d;
	size_t n;
	enum model m;

	if (size < 1 || size > 4096)
		return 0;
	s = malloc(size);
	memcpy(s, data + 1, size - 1);
	s[size - 1] = 0;	/* a C string, as argv gives */
	err[0] = 0;

	switch (data[0] % 8) {
	case 0:
		if (parse_count(s, 1, 1000000, &u, err, sizeof(err)) == 0)
			assert(u >= 1 && u <= 1000000);
		else
			assert(err[0]);
		break;
	case 1:
		if (parse_size(s, 1, 1ULL << 40, &u, err, sizeof(err)) == 0)
			assert(u >= 1 && u <= 1ULL << 40);
		else
			assert(err[0]);
		break;
	case 2:
		if (parse_duration(s, 1e-6, 3600, &d, err, sizeof(err)) == 0)
			assert(d >= 1e-6 && d <= 3600 && isfinite(d));
		else
			assert(err[0]);
		break;
	case 3:
		if (parse_fraction(s, &d, err, sizeof(err)) == 0)
			assert(d >= 0 && d <= 1);
		else
			assert(err[0]);
		break;
	case 4:
		if (parse_list(s, 1, 4096, 256, &list, &n, err, sizeof(err))
		    == 0) {
			assert(n >= 1 && n <= 256);
			for (size_t i = 0; i < n; i++)
				assert(list[i] >= 1 && list[i] <= 4096);
			free(list);
		} else {
			assert(err[0] && list == NULL && n == 0);
		}
		break;
	case 5:
		if (parse_size_list(s, 0, 1ULL << 40, 64, &sizes, &n, err,
				    sizeof(err)) == 0) {
			assert(n >= 1 && n <= 64);
			for (size_t i = 0; i < n; i++)
				assert(sizes[i] <= 1ULL << 40);
			free(sizes);
		} else {
			assert(err[0]);
		}
		break;
	case 6:
		if (model_parse(s, &m) == 0)
			assert(strcmp(model_name(m), s) == 0);
		break;
	case 7: {
		unsigned idx[5];

		if (parse_choices(s, "500|drop|stall|truncate|corrupt", "fault",
				  idx, &n, err, sizeof(err)) == 0) {
			assert(n >= 1 && n <= 5);
			for (size_t i = 0; i < n; i++) {
				assert(idx[i] < 5);
				for (size_t j = 0; j < i; j++)
					assert(idx[i] != idx[j]);
			}
		} else {
			assert(err[0]);
		}
		break;
	}
	}
	free(s);
	return 0;
}

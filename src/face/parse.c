/* parse.c - option values: counts, sizes, durations, lists and ranges */
#define _POSIX_C_SOURCE 200809L
#include "face/parse.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Fails with errno e and the reason (printf) in err; FAIL: with EINVAL,
 * a value that is not accepted. */
#define FAIL_E(e, ...) do { snprintf(err, errlen, __VA_ARGS__); \
	errno = (e); return -1; } while (0)
#define FAIL(...) FAIL_E(EINVAL, __VA_ARGS__)

/* Digits only, no sign or space: strtoull alone accepts " -1". Returns
 * 0, or -1 with errno EINVAL (no digit first) or ERANGE (too large). */
static int digits(const char *s, const char **end, uint64_t *out)
{
	uint64_t v = 0;
	const char *p = s;

	if (!isdigit((unsigned char)*p)) {
		errno = EINVAL;
		return -1;
	}
	for (; isdigit((unsigned char)*p); p++) {
		unsigned d = (unsigned)(*p - '0');

		if (v > (UINT64_MAX - d) / 10) {
			errno = ERANGE;
			return -1;
		}
		v = v * 10 + d;
	}
	*end = p;
	*out = v;
	return 0;
}

static int in_range(const char *s, uint64_t v, uint64_t min, uint64_t max,
		    char *err, size_t errlen)
{
	if (v < min || v > max)
		FAIL("'%s' is out of range %llu..%llu", s,
		     (unsigned long long)min, (unsigned long long)max);
	return 0;
}

/* Where parse_usage writes instead of stderr, per thread: pvt live
 * answers a bad run request with the line a terminal would show. */
static _Thread_local char *usage_sink;
static _Thread_local size_t usage_sink_len;

void parse_usage_capture(char *buf, size_t len)
{
	usage_sink = len ? buf : NULL;
	usage_sink_len = len;
	if (usage_sink)
		buf[0] = 0;
}

/* A usage line longer than this echoes a value too long to read: its
 * middle is left out, keeping what is accepted at the end. */
#define USAGE_MAX 400

int parse_usage(const char *who, const char *opt, const char *fmt, ...)
{
	char msg[USAGE_MAX + 1];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (n > USAGE_MAX) {
		char *whole = malloc((size_t)n + 1);

		va_start(ap, fmt);
		if (whole)
			vsnprintf(whole, (size_t)n + 1, fmt, ap);
		va_end(ap);
		if (whole)
			snprintf(msg, sizeof(msg), "%.*s[... %d characters "
				 "left out ...]%s", USAGE_MAX / 2, whole,
				 n - USAGE_MAX + 60, whole + n - USAGE_MAX / 2 +
				 60);
		free(whole);
	}
	if (!usage_sink)
		fprintf(stderr, "pvt: %s: %s%s%s%s\n", who, opt ? "--" : "",
			opt ? opt : "", opt ? ": " : "", msg);
	else if (!usage_sink[0])	/* the first error is the one that
					 * stopped the parse */
		snprintf(usage_sink, usage_sink_len, "pvt: %s: %s%s%s%s", who,
			 opt ? "--" : "", opt ? opt : "", opt ? ": " : "", msg);
	return 2;
}

int parse_option_word(const char *word, char *name, size_t len,
		      const char **value)
{
	const char *eq;
	size_t n;

	if (strncmp(word, "--", 2) || len == 0) {
		errno = EINVAL;
		return -1;
	}
	word += 2;
	eq = strchr(word, '=');
	n = eq ? (size_t)(eq - word) : strlen(word);
	if (n >= len)
		n = len - 1;
	memcpy(name, word, n);
	name[n] = 0;
	*value = eq ? eq + 1 : NULL;
	return 0;
}

int parse_count(const char *s, uint64_t min, uint64_t max, uint64_t *out,
		char *err, size_t errlen)
{
	const char *end;
	uint64_t v;
	int rc = digits(s, &end, &v);

	if (rc && errno == ERANGE)
		FAIL("'%s' is too large", s);
	if (rc || *end)
		FAIL("'%s' is not a whole number", s);
	if (in_range(s, v, min, max, err, errlen))
		return -1;
	*out = v;
	return 0;
}

static const struct {
	const char *name;
	uint64_t mult;
} units[] = {
	{ "", 1 }, { "B", 1 },
	{ "K", 1ULL << 10 }, { "Ki", 1ULL << 10 }, { "KiB", 1ULL << 10 },
	{ "k", 1ULL << 10 },
	{ "M", 1ULL << 20 }, { "Mi", 1ULL << 20 }, { "MiB", 1ULL << 20 },
	{ "G", 1ULL << 30 }, { "Gi", 1ULL << 30 }, { "GiB", 1ULL << 30 },
	{ "T", 1ULL << 40 }, { "Ti", 1ULL << 40 }, { "TiB", 1ULL << 40 },
	{ "kB", 1000ULL }, { "MB", 1000000ULL }, { "GB", 1000000000ULL },
	{ "TB", 1000000000000ULL },
};

int parse_size(const char *s, uint64_t min, uint64_t max, uint64_t *out,
	       char *err, size_t errlen)
{
	const char *end;
	uint64_t v;
	int rc = digits(s, &end, &v);

	if (rc && errno == ERANGE)
		FAIL("'%s' is too large", s);
	if (rc)
		FAIL("'%s' is not a size (a whole number, optionally with "
		     "KiB, MiB, GiB, kB, MB or GB)", s);
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strcmp(end, units[i].name))
			continue;
		if (units[i].mult > 1 && v > UINT64_MAX / units[i].mult)
			FAIL("'%s' is too large", s);
		v *= units[i].mult;
		if (in_range(s, v, min, max, err, errlen))
			return -1;
		*out = v;
		return 0;
	}
	FAIL("'%s' has an unknown unit (accepted: KiB, MiB, GiB, TiB, kB, MB, "
	     "GB, TB)", s);
}

int parse_duration(const char *s, double min_s, double max_s, double *out,
		   char *err, size_t errlen)
{
	static const struct {
		const char *name;
		double mult;
	} du[] = {
		{ "", 1 }, { "s", 1 }, { "ms", 1e-3 }, { "us", 1e-6 },
		{ "ns", 1e-9 }, { "min", 60 },
	};
	const char *p = s;
	char *end;
	double v;

	/* digits, at most one dot, more digits: no sign, exponent or hex */
	if (!isdigit((unsigned char)*p))
		FAIL("'%s' is not a duration (a number with ns, us, ms, s or "
		     "min)", s);
	while (isdigit((unsigned char)*p))
		p++;
	if (*p == '.') {
		p++;
		while (isdigit((unsigned char)*p))
			p++;
	}
	if (p - s > 32)
		FAIL("'%s' is too long", s);
	errno = 0;
	v = strtod(s, &end);
	if (end != p || errno || !isfinite(v))
		FAIL("'%s' is not a duration", s);
	for (size_t i = 0; i < sizeof(du) / sizeof(du[0]); i++) {
		if (strcmp(p, du[i].name))
			continue;
		v *= du[i].mult;
		if (v < min_s || v > max_s)
			FAIL("'%s' is out of range %gs..%gs", s, min_s, max_s);
		*out = v;
		return 0;
	}
	FAIL("'%s' has an unknown unit (accepted: ns, us, ms, s, min)", s);
}

int parse_fraction(const char *s, double *out, char *err, size_t errlen)
{
	size_t len = strlen(s);
	char buf[64], *end;
	double v, scale = 1;

	if (len == 0 || len >= sizeof(buf))
		FAIL("'%s' is not a fraction (0 to 1, or 0%% to 100%%)", s);
	memcpy(buf, s, len + 1);
	if (buf[len - 1] == '%') {
		buf[--len] = 0;
		scale = 0.01;
	}
	for (size_t i = 0; i < len; i++)
		if (!isdigit((unsigned char)buf[i]) && buf[i] != '.')
			FAIL("'%s' is not a fraction (0 to 1, or 0%% to "
			     "100%%)", s);
	errno = 0;
	v = strtod(buf, &end);
	if (!len || *end || errno || !isfinite(v))
		FAIL("'%s' is not a fraction (0 to 1, or 0%% to 100%%)", s);
	v *= scale;
	if (v < 0 || v > 1)
		FAIL("'%s' is out of range 0..1", s);
	*out = v;
	return 0;
}

static int push(unsigned **v, size_t *n, size_t max_items, uint64_t x)
{
	for (size_t i = 0; i < *n; i++)
		if ((*v)[i] == x)
			return 0;
	if (*n >= max_items)
		return -1;
	(*v)[(*n)++] = (unsigned)x;
	return 0;
}

int parse_list(const char *s, uint64_t min, uint64_t max, size_t max_items,
	       unsigned **out, size_t *n, char *err, size_t errlen)
{
	const char *p = s;
	unsigned *v;

	*out = NULL;
	*n = 0;
	if (max > 0xffffffffu)
		max = 0xffffffffu;
	if (!*s)
		FAIL("the value is empty (accepted: a list like 1,2,4 or a "
		     "range like 1..16)");
	v = malloc(max_items * sizeof(*v));
	if (!v)
		FAIL_E(ENOMEM, "out of memory");
	for (;;) {
		uint64_t a, b;
		const char *end;
		int rc = digits(p, &end, &a);

		if (rc)
			goto bad;
		b = a;
		p = end;
		if (p[0] == '.' && p[1] == '.')
			p += 2;
		else if (p[0] == '-')
			p += 1;
		else
			goto one;
		if (digits(p, &end, &b))
			goto bad;
		p = end;
		if (b < a) {
			snprintf(err, errlen, "'%s': the range %llu..%llu runs "
				 "backwards", s, (unsigned long long)a,
				 (unsigned long long)b);
			goto fail;
		}
one:
		if (*p && *p != ',')
			goto bad;	/* "0x2" is no list, whatever its range */
		if (a < min || b > max) {
			snprintf(err, errlen, "'%s' is out of range %llu..%llu",
				 s, (unsigned long long)min,
				 (unsigned long long)max);
			goto fail;
		}
		for (uint64_t x = a; x <= b; x++) {
			if (push(&v, n, max_items, x)) {
				snprintf(err, errlen, "'%s' has more than %zu "
					 "values", s, max_items);
				goto fail;
			}
		}
		if (!*p)
			break;
		if (*p++ != ',')
			goto bad;
	}
	*out = v;
	return 0;
bad:
	snprintf(err, errlen, "'%s' is not a list like 1,2,4 or a range like "
		 "1..16", s);
fail:
	free(v);
	*n = 0;
	errno = EINVAL;
	return -1;
}

int parse_size_list(const char *s, uint64_t min, uint64_t max,
		    size_t max_items, uint64_t **out, size_t *n, char *err,
		    size_t errlen)
{
	const char *p = s;
	uint64_t *v;

	*out = NULL;
	*n = 0;
	if (!*s)
		FAIL("the value is empty (accepted: sizes like 0,64MiB,1GiB)");
	v = malloc((max_items ? max_items : 1) * sizeof(*v));
	if (!v)
		FAIL_E(ENOMEM, "out of memory");
	for (;;) {
		size_t len = strcspn(p, ","), i;
		char tok[64];
		uint64_t x;

		if (len >= sizeof(tok)) {
			snprintf(err, errlen, "'%.*s...' is too long", 16, p);
			goto fail;
		}
		memcpy(tok, p, len);
		tok[len] = 0;
		if (parse_size(tok, min, max, &x, err, errlen))
			goto fail;
		for (i = 0; i < *n && v[i] != x; i++)
			;
		if (i == *n && *n >= max_items) {
			snprintf(err, errlen, "'%s' has more than %zu sizes", s,
				 max_items);
			goto fail;
		}
		if (i == *n)
			v[(*n)++] = x;
		p += len;
		if (!*p++)
			break;
	}
	*out = v;
	return 0;
fail:
	free(v);
	*n = 0;
	errno = EINVAL;
	return -1;
}

/* The position of the name s[0..len-1] in choices "a|b|c", or -1. */
static int choice_index(const char *choices, const char *s, size_t len)
{
	int i = 0;

	for (const char *c = choices; *c; i++) {
		size_t n = strcspn(c, "|");

		if (n == len && !strncmp(c, s, n))
			return i;
		c += n + (c[n] == '|');
	}
	return -1;
}

int parse_choices(const char *s, const char *choices, const char *what,
		  unsigned *out, size_t *n, char *err, size_t errlen)
{
	char accepted[512] = "";
	size_t k = 0, off = 0;

	/* "a, b, c" for the message */
	for (const char *c = choices; *c && off < sizeof(accepted);) {
		size_t m = strcspn(c, "|");

		off += (size_t)snprintf(accepted + off, sizeof(accepted) - off,
					"%s%.*s", off ? ", " : "", (int)m, c);
		c += m + (c[m] == '|');
	}
	for (const char *p = s;; p++) {
		size_t len = strcspn(p, ",");
		int i = choice_index(choices, p, len);
		size_t j;

		if (i < 0) {
			snprintf(err, errlen, "unknown %s '%.*s' (accepted: a "
				 "list of %s)", what, (int)(len > 64 ? 64 : len),
				 p, accepted);
			errno = EINVAL;
			return -1;
		}
		for (j = 0; j < k && out[j] != (unsigned)i; j++)
			;
		if (j == k)
			out[k++] = (unsigned)i;
		p += len;
		if (!*p)
			break;
	}
	*n = k;
	return 0;
}

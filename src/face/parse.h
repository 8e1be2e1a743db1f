/* parse.h - option values: counts, sizes, durations, lists and ranges
 *
 * Pure functions over strings, so that every value a user can type is
 * checked in one place (and fuzzed there). On failure each returns -1
 * with errno EINVAL (ENOMEM when out of memory) and writes the reason,
 * without the option's name, into err.
 */
#ifndef PVT_PARSE_H
#define PVT_PARSE_H

#include <stddef.h>
#include <stdint.h>

/* Splits a command-line word "--name" or "--name=value": copies the name
 * into name (cut to len - 1 bytes) and points *value past the '=', or
 * sets it NULL. Returns 0, or -1 with errno EINVAL when word does not
 * start with "--". */
int parse_option_word(const char *word, char *name, size_t len,
		      const char **value);

/* Prints the one line a bad command line gets on stderr, "pvt: WHO:
 * --OPT: message" (no "--OPT: " when opt is NULL), and returns 2, the
 * usage exit status. */
int parse_usage(const char *who, const char *opt, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Makes parse_usage, in the calling thread only, keep its first line
 * (without "\n") in buf instead of printing it; NULL or len 0 prints
 * again. buf is emptied. */
void parse_usage_capture(char *buf, size_t len);

/* A decimal integer in [min, max]. */
int parse_count(const char *s, uint64_t min, uint64_t max, uint64_t *out,
		char *err, size_t errlen);

/* An integer with an optional unit: K/Ki/KiB, M/Mi/MiB, G/Gi/GiB,
 * T/Ti/TiB are powers of 1024; kB, MB, GB, TB powers of 1000. "64KiB",
 * "1M", "4096". In [min, max]. */
int parse_size(const char *s, uint64_t min, uint64_t max, uint64_t *out,
	       char *err, size_t errlen);

/* A duration: a decimal number with ns, us, ms, s or min; a bare number is
 * seconds. "50ms", "0.5s". In [min_s, max_s]. */
int parse_duration(const char *s, double min_s, double max_s, double *out,
		   char *err, size_t errlen);

/* A fraction in [0, 1]: "0.05" or "5%". */
int parse_fraction(const char *s, double *out, char *err, size_t errlen);

/* A list of integers in [min, max]: "1,2,4", "1..16", "0-3" (ranges are
 * inclusive) or a mix, at most max_items values in all, in the order
 * given, duplicates dropped. *out is malloc'ed. */
int parse_list(const char *s, uint64_t min, uint64_t max, size_t max_items,
	       unsigned **out, size_t *n, char *err, size_t errlen);

/* A comma-separated list of sizes as parse_size takes them, each in
 * [min, max]: "0,64MiB,1GiB". At most max_items values, in the order
 * given, duplicates dropped. *out is malloc'ed; on failure it is NULL and
 * *n is 0. */
int parse_size_list(const char *s, uint64_t min, uint64_t max,
		    size_t max_items, uint64_t **out, size_t *n, char *err,
		    size_t errlen);

/* A comma-separated list of choices, each one of the names in `choices`
 * ("fork|vfork|posix_spawn|thread"): "thread,fork". Sets out[0..*n-1] to
 * their positions in choices, in the order given, duplicates dropped (out
 * has room for as many as choices names). An empty list or item is
 * refused; the message names what an item is ("unknown model 'x'"). */
int parse_choices(const char *s, const char *choices, const char *what,
		  unsigned *out, size_t *n, char *err, size_t errlen);

#endif

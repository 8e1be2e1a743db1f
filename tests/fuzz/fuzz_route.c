/* fuzz_route.c - libFuzzer target: the server's request routing
 *
 * The input's first four bytes set the server (how many files, the
 * error rate, the fault kinds) and the request (a body or not, a
 * ?fault= or not); the rest is "METHOD\nPATH\nFAULT", as a client could
 * send them. httpd_route must answer every request with a page and a
 * status that agree, route to a file only for /files/ and digits naming
 * a file below `files` (so no path ever escapes to anything else), give
 * only files a fault, and answer the same twice.
 */
/* the asserts are the invariants: on in every build type */
#undef NDEBUG
#include <assert.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "net/httpd.h"

/* The next '\n'-ended part of *p (end: e) as a C string, malloc'ed. */
static char *part(const uint8_t **p, const uint8_t *e)
{
	const uint8_t *nl = memchr(*p, '\n', (size_t)(e - *p));
	size_t len = (size_t)((nl ? nl : e) - *p);
	char *s = malloc(len + 1);

	memcpy(s, *p, len);
	s[len] = 0;		/* an inner NUL ends it, as in a C string */
	*p = nl ? nl + 1 : e;
	return s;
}

static bool digits_only(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *p = data + 4, *e = data + size;
	struct httpd_route r, again;
	struct httpd_opts o;
	char *method, *path, *fault;
	bool body, get;

	if (size < 4)
		return 0;
	httpd_defaults(&o);
	o.files = data[0] < 200 ? (uint64_t)data[0] + 1 :
		  UINT64_MAX >> (data[0] - 200);
	o.error_rate = data[1] / 255.0;
	o.faults = data[2];		/* stray bits included */
	body = data[3] & 1;
	method = part(&p, e);
	path = part(&p, e);
	fault = part(&p, e);

	httpd_route(&o, method, path, data[3] & 2 ? fault : NULL, body, &r);
	httpd_route(&o, method, path, data[3] & 2 ? fault : NULL, body,
		    &again);
	assert(r.page == again.page && r.status == again.status &&
	       r.file == again.file && r.fault == again.fault);

	get = !strcmp(method, "GET") || !strcmp(method, "HEAD");
	assert(get || (r.page == HTTPD_PAGE_BAD_METHOD && r.status == 405));
	assert(!get || !body || (r.page == HTTPD_PAGE_BAD_BODY &&
				 r.status == 400));
	switch (r.page) {
	case HTTPD_PAGE_INDEX:
		assert(!strcmp(path, "/") && r.status == 200);
		break;
	case HTTPD_PAGE_CHECKSUMS:
		assert(!strcmp(path, "/checksums") && r.status == 200);
		break;
	case HTTPD_PAGE_FILE:
		/* only /files/DIGITS, only below files, and its number */
		assert(get && !body && !strncmp(path, "/files/", 7));
		assert(digits_only(path + 7) && r.file < o.files);
		assert(strtoull(path + 7, NULL, 10) == r.file);
		assert(!strstr(path, ".."));
		assert(r.fault >= -1 && r.fault < HTTPD_FAULTS);
		assert(data[3] & 2 || r.fault == httpd_file_fault(&o, r.file));
		assert(r.status == (r.fault == HTTPD_FAULT_500 ? 500u :
				    r.fault == HTTPD_FAULT_DROP ||
				    r.fault == HTTPD_FAULT_STALL ? 0u : 200u));
		break;
	case HTTPD_PAGE_NO_FILE:
		assert(!strncmp(path, "/files/", 7) && r.status == 404);
		break;
	case HTTPD_PAGE_BAD_FAULT:
		assert(data[3] & 2 && !strncmp(path, "/files/", 7));
		assert(r.status == 400);
		break;
	case HTTPD_PAGE_NOT_FOUND:
		assert(strncmp(path, "/files/", 7) && r.status == 404);
		break;
	case HTTPD_PAGE_BAD_METHOD:
		assert(!get);
		break;
	case HTTPD_PAGE_BAD_BODY:
		assert(get && body);
		break;
	default:
		assert(!"a page that does not exist");
	}
	if (r.page != HTTPD_PAGE_FILE)
		assert(r.file == 0 && r.fault == -1);
	free(method);
	free(path);
	free(fault);
	return 0;
}

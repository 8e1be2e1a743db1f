/* fuzz_live_request.c - libFuzzer target: pvt live's run requests
 *
 * The input is a request body as a browser (or anyone) may send it. The
 * parser must either accept it, with a known scenario and at most
 * LIVE_MAX_ARGS words of at most LIVE_ARG_MAX bytes, or refuse it with
 * one line; never crash, never read past the body (it is not a C
 * string), never leak.
 */
/* the asserts are the invariants: on in every build type */
#undef NDEBUG
#include <assert.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "live/live.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char msg[1024], *body;
	struct job job;
	int rc;

	if (size > LIVE_BODY_MAX)
		return 0;
	body = malloc(size ? size : 1);	/* exactly size bytes: no NUL */
	memcpy(body, data, size);
	rc = live_request_parse(body, size, &job, msg, sizeof(msg));
	if (rc == 0) {
		assert(job.sc && job.argc <= LIVE_MAX_ARGS);
		for (int i = 0; i < job.argc; i++)
			assert(strlen(job.argv[i]) <= LIVE_ARG_MAX);
		job_free(&job);
	} else {
		assert(rc == -1 && (errno == EINVAL || errno == ENOMEM) &&
		       msg[0] && !strchr(msg, '\n'));
	}
	free(body);
	return 0;
}

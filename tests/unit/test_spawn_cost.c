/* test_spawn_cost.c - every creation mechanism gives a sane figure, and
 * fork grows with the parent's memory while a thread does not */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <math.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "measure/procmem.h"
#include "engine/spawn_cost.h"
#include "face/parse.h"

static char why[256];

static int sane(double us)
{
	return isfinite(us) && us > 0 && us < 1e6;
}

static int no_children(void)
{
	return waitpid(-1, NULL, WNOHANG) == -1 && errno == ECHILD;
}

/* The best of three: the least disturbed by the other programs. */
static double best(enum spawn_mech m, unsigned it)
{
	double b = INFINITY, us;

	for (int i = 0; i < 3; i++)
		if (spawn_roundtrip(m, it, &us, why, sizeof(why)) == 0 &&
		    us < b)
			b = us;
	return b;
}

int main(void)
{
	char path[4096];
	enum spawn_mech m;
	double us[SPAWN_MECH_COUNT], small, big, t_small, t_big;
	struct procmem before, after;
	void *ballast;

	CHECK(spawn_mech_parse("fork", &m) == 0 && m == SPAWN_FORK);
	CHECK(spawn_mech_parse("posix_spawn", &m) == 0 &&
	      m == SPAWN_POSIX_SPAWN);
	CHECK(spawn_mech_parse("clone3", &m) == -1);
	/* --mechs names them in the order of the enum */
	for (unsigned i = 0; i < SPAWN_MECH_COUNT; i++) {
		unsigned idx[SPAWN_MECH_COUNT];
		size_t got;
		char err[256];

		CHECK(parse_choices(spawn_mech_name((enum spawn_mech)i),
				    SPAWN_MECH_CHOICES, "mech", idx, &got, err,
				    sizeof(err)) == 0 && got == 1 && idx[0] == i);
	}
	CHECK(strcmp(spawn_mech_name(SPAWN_THREAD), "thread") == 0);

	/* pvt-nop is built next to the test binaries */
	CHECK(spawn_helper_path(path, sizeof(path)) == 0);
	CHECK(strstr(path, "/pvt-nop") != NULL);

	for (int i = 0; i < SPAWN_MECH_COUNT; i++) {
		us[i] = -1;
		why[0] = 0;
		CHECK(spawn_roundtrip((enum spawn_mech)i, 20, &us[i], why,
				      sizeof(why)) == 0);
		CHECK(sane(us[i]));
		CHECK(why[0] == 0);
		CHECK(no_children());
	}
	/* a process costs more than a thread, whatever the machine */
	CHECK(best(SPAWN_FORK, 50) > best(SPAWN_THREAD, 50));
	CHECK(spawn_roundtrip(SPAWN_MECH_COUNT, 1, &us[0], why,
			      sizeof(why)) == -1 && why[0]);
	errno = 0;
	CHECK(spawn_roundtrip(SPAWN_FORK, 0, &us[0], why, sizeof(why)) == -1 &&
	      errno == EINVAL);

	small = spawn_loop_overhead_us(1000);
	CHECK(isfinite(small) && small >= 0 && small < 1);

	/* the ballast is resident: the process grows by its size */
	CHECK(procmem_read(0, &before) == 0);
	ballast = spawn_ballast_alloc(128 << 20);
	CHECK(ballast != NULL);
	CHECK(procmem_read(0, &after) == 0);
	CHECK(after.uss_kib - before.uss_kib >= 120 << 10);
	CHECK(after.pte_kib - before.pte_kib >= 200);	/* 32768 entries */

	/* fork copies the page tables; a thread shares them */
	small = best(SPAWN_FORK, 10);
	t_small = best(SPAWN_THREAD, 50);
	spawn_ballast_free(ballast, 128 << 20);
	ballast = spawn_ballast_alloc(512 << 20);
	CHECK(ballast != NULL);
	big = best(SPAWN_FORK, 10);
	t_big = best(SPAWN_THREAD, 50);
	spawn_ballast_free(ballast, 512 << 20);
	CHECK(big > small);
	CHECK(big > 4 * t_big);
	CHECK(t_big < 3 * t_small + 20);
	CHECK(spawn_ballast_alloc(0) != NULL);
	spawn_ballast_free(spawn_ballast_alloc(0), 0);
	CHECK(no_children());
	return CHECK_DONE();
}

/* program.h - run another program to the end, its output collected
 *
 * For the models that another program runs (python3 for py-*, mpirun for
 * mpi): the program starts in a process group of its own, so that a stop
 * (workers_stop) kills it whole, and dies with pvt (worker_child_init).
 */
#ifndef PVT_PROGRAM_H
#define PVT_PROGRAM_H

#include <stddef.h>

struct program_out {
	char *out, *err;	/* what it printed, NUL-terminated; each cut
				 * at 1 MiB */
	int status;		/* as waitpid gives it */
	double first_out_s;	/* seconds from the start to its first byte
				 * on stdout; -1 if it printed none */
	int stopped;		/* killed because pvt was stopped */
};

/* Runs argv[0] (found on PATH) with argv until it exits. Returns 0 with
 * *po filled (free it with program_free), whatever the program's exit
 * status; or -1 with errno when it could not be started (po->out and
 * po->err are then NULL). Nothing of the program outlives the call: its
 * process group is killed once its output ends, and every process of it
 * that is pvt's to reap is reaped: its own children too when the caller
 * adopts them (worker_adopt_orphans), so that none is left a zombie. */
int program_run(char *const argv[], struct program_out *po);
void program_free(struct program_out *po);

/* The last non-empty line of s, into buf (for "why it failed"). */
void program_last_line(const char *s, char *buf, size_t len);

#endif

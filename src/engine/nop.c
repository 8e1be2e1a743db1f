/* nop.c - pvt-nop: the smallest program, for timing posix_spawn
 *
 * The spawn scenario starts it and waits for it: what is left of the
 * round trip is creating a process, loading a program and ending it.
 * With "--stop PARENT" it stops itself first, so that pvt can read what
 * a libc-only process maps (spawn_minimal_image); a stopped process
 * would outlive a parent killed meanwhile, so it asks to be killed with
 * its parent, and leaves at once when that parent is already gone.
 */
#define _POSIX_C_SOURCE 200809L
#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/types.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc > 1) {
		if (prctl(PR_SET_PDEATHSIG, SIGKILL) ||
		    (argc > 2 && getppid() != (pid_t)atol(argv[2])))
			return 1;
		raise(SIGSTOP);
	}
	return 0;
}

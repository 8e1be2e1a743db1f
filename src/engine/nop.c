/* nop.c - pvt-nop: the smallest program, for timing posix_spawn
 *
 * The spawn scenario starts it and waits for it: what is left of the
 * round trip is creating a process, loading a program and ending it.
 * With an argument it stops itself first, so that pvt can read what a
 * libc-only process maps (spawn_minimal_image).
 */
#include <signal.h>

int main(int argc, char **argv)
{
	(void)argv;
	if (argc > 1)
		raise(SIGSTOP);
	return 0;
}

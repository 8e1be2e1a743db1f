/* nop.c - pvt-nop: the smallest program, for timing posix_spawn
 *
 * The spawn scenario starts it and waits for it: what is left of the
 * round trip is creating a process, loading a program and ending it.
 */
int main(void)
{
	return 0;
}

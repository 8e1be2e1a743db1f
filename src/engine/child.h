/* child.h - the first steps of every process pvt forks
 *
 * Used by the engine's workers and by the code that starts helper
 * programs (the server process, python3, the driver's scenario binaries).
 * It depends on nothing else in pvt, so that the network part and the
 * driver can start a process without linking the engine.
 */
#ifndef PVT_CHILD_H
#define PVT_CHILD_H

#include <stddef.h>
#include <sys/types.h>

/* Called first in a child of parent: it gets deathsig when parent dies,
 * even when parent is killed outright (PR_SET_PDEATHSIG, then a check that
 * parent is still there), and Ctrl-C or SIGTERM end it as they end any
 * program, instead of running the parent's handlers. Returns 0, or -1
 * with errno set (ESRCH: the parent is gone) when the child must _exit
 * at once. */
int child_init(pid_t parent, int deathsig);

/* Flushes stdio (nothing buffered is printed twice) and forks. In the
 * child, child_init(parent, deathsig) has run (on its failure the child
 * _exits with 127). Returns the child's pid in the parent, 0 in the child,
 * or -1 with errno set. */
pid_t child_fork(int deathsig);

#endif

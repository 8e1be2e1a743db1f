/* paths.h - where pvt's own programs and data files are, at run time
 *
 * Found from the running binary (/proc/self/exe), never from where the
 * sources were, so that a build, an installed copy and a copy moved
 * elsewhere each find their own files:
 *
 *                  programs (pvt-nop, square, ...)   data (scripts/, scenarios/python/)
 *   build tree     BUILD/bin/                        BUILD/share/pvt/ (links into the sources)
 *   installed      PREFIX/libexec/pvt/               PREFIX/share/pvt/
 *
 * where PREFIX is the folder above the running binary's folder: bin/ for
 * pvt, libexec/pvt/ for a scenario binary. $PVT_DATADIR, when set and not
 * empty, names the data folder instead (a share/pvt folder, or a source
 * checkout: both hold scripts/ and scenarios/python/).
 */
#ifndef PVT_PATHS_H
#define PVT_PATHS_H

#include <stddef.h>

/* The folders relative to PREFIX; the install rules use the same. */
#define PATHS_LIBEXEC "libexec/pvt"
#define PATHS_SHARE "share/pvt"

/* The path of pvt's program NAME ("square", "pvt-nop"): in
 * PREFIX/libexec/pvt/ when that folder exists, else beside the running
 * binary. Returns 0 with the path in buf, or -1 with errno set (ENOENT:
 * not there or not executable; ENAMETOOLONG) and, unless ENAMETOOLONG,
 * the path looked at in buf, for the message. */
int paths_program(const char *name, char *buf, size_t len);

/* The path of data file REL ("scripts/plot", "scenarios/python/square.py")
 * in the data folder. Returns 0 with the path in buf, or -1 with errno
 * set (ENOENT: it is not there) and, unless ENAMETOOLONG, the path looked
 * at in buf, for the message. */
int paths_data(const char *rel, char *buf, size_t len);

#endif

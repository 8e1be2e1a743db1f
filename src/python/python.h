/* python.h - run pvt's Python programs: the py-* models and mechanisms
 *
 * scenarios/python/NAME.py runs a workload (square, download) with
 * multiprocessing or threads and prints pvt's raw CSV row for each
 * measured run, plus a checksum of every task's result, which the caller
 * checks again, and then any figures of the workload's own (convoy's
 * round trips); or it measures one of Python's own costs (start.py,
 * memory.py, pool.py, crash.py) and prints rows of named figures. Every
 * program runs under one interpreter, chosen once per run (--python,
 * $PVT_PYTHON, else python3 on PATH), in a process group of its own with
 * core dumps off, and is killed whole when the run is stopped
 * (workers_stop) or when it outlives its time limit.
 */
#ifndef PVT_PYTHON_H
#define PVT_PYTHON_H

#include <stddef.h>
#include <stdint.h>

#include "engine/workers.h"

/* The oldest Python the programs run on (multiprocessing contexts,
 * f-strings, ProcessPoolExecutor(mp_context=)). */
#define PYTHON_MIN_MAJOR 3
#define PYTHON_MIN_MINOR 8

/* Seconds a program may run before it is ended, unless told otherwise
 * (--py-timeout). */
#define PYTHON_TIMEOUT_S 600.0

/* What the interpreter said about itself. */
struct py_interp {
	char path[4096];	/* as given, or found on PATH */
	char version[32];	/* "3.11.7" */
	char impl[32];		/* "CPython", "PyPy" */
	int major, minor;
	int gil;		/* 1: a GIL; 0: none (free-threaded, GIL off) */
	int gil_known;		/* 1: from sys._is_gil_enabled(); 0: the
				 * interpreter has none (before 3.13: a GIL) */
	int free_threaded;	/* built with Py_GIL_DISABLED */
};

/* Chooses the interpreter: path when given (--python), else
 * $PVT_PYTHON when set, else python3 on PATH; runs it once to ask its
 * version, implementation and GIL state (at most 10 s), and keeps it for
 * every later call. timeout_s bounds each program (0: PYTHON_TIMEOUT_S).
 * Returns 0, or -1 with the reason in why and errno EINVAL when the one
 * named (by path or $PVT_PYTHON), or the python3 found, is missing, not
 * executable, not Python 3 or older than PYTHON_MIN_MAJOR.PYTHON_MIN_MINOR
 * (the user's to mend); another errno when python3 is simply not on PATH
 * (ENOENT) or could not be asked (no process or pipe to spare; EINTR:
 * stopped): the py-* parts are then skipped, with why. */
int python_select(const char *path, double timeout_s, char *why, size_t len);

/* Sets the time limit of every later program (0: PYTHON_TIMEOUT_S),
 * without choosing the interpreter: python_find does that on first use. */
void python_timeout(double timeout_s);

/* The chosen interpreter, or NULL when python_select has not succeeded
 * (it is then tried once, without a path, on the first use). */
const struct py_interp *python_interp(void);

/* Whether the chosen interpreter runs threads without a GIL. */
int python_no_gil(void);

/* "python3.11 (CPython 3.11.7, GIL on)"-style text for narration. */
void python_describe(char *buf, size_t len);

/* Writes the interpreter's metadata lines (python, python_version,
 * python_implementation, python_gil) when one was chosen. */
struct csv;
void python_meta(struct csv *c);

/* Finds the interpreter as python_select does, if not yet done. Returns
 * 0, or -1 with python_select's errno and the reason in why. */
int python_find(char *why, size_t len);

/* ---- a workload's rows (the py-* models of sweep) -------------------- */
#define PY_MAX_FIGS 8

struct py_row {
	unsigned rep;
	double wall_s, user_s, sys_s;
	long max_rss_kib;
	long failed;
	int ok;
	uint64_t checksum;	/* of all tasks, modulo 2^64 */
	double fig[PY_MAX_FIGS];	/* the workload's own figures after
					 * the checksum; NAN where empty */
	size_t nfig;
	char counts[256];	/* "column=n;column=n": the scenario's own
				 * count columns, summed over tasks; "" */
};

/* Runs script (a file in scenarios/python/) for model m (a py-* model)
 * at workers workers, tasks tasks of size each, warmup + repeat runs,
 * with the script's own options extra ("--url-base", URL, ..., NULL), and
 * reads back its rows (at most max). Returns 0 with *n rows; or -1 with
 * errno set and the reason in why: the interpreter missing, the program's
 * own error (its last line on stderr), its exit status (EIO), its time
 * limit (ETIMEDOUT), a malformed or mismatched row (EPROTO). */
int python_run(const char *script, enum model m, unsigned workers,
	       uint64_t tasks, uint64_t size, unsigned repeat,
	       unsigned warmup, const char *const *extra, struct py_row *rows,
	       size_t max, size_t *n, char *why, size_t len);

/* ---- a program talked to line by line ---------------------------------- */

struct py_proc;

/* Starts scenarios/python/script with args (NULL-terminated). Returns 0
 * with *pp running, or -1 with errno set and the reason in why. */
int python_open(const char *script, const char *const *args,
		struct py_proc **pp, char *why, size_t len);

/* Ends the program s seconds from now at the latest (sooner than its
 * time limit). */
void python_limit(struct py_proc *p, double s);

/* The program's next line on stdout, without its newline, waiting at
 * most until the program's time limit. Returns 1 with a line, 0 at the
 * end of its output, or -1 with errno EINTR (stopped: workers_stop) or
 * ETIMEDOUT (the program is then killed and python_close says so). */
int python_line(struct py_proc *p, char *buf, size_t len);

/* Writes line and a newline to the program's stdin. Returns 0, or -1 with
 * errno set. */
int python_send(struct py_proc *p, const char *line);

/* Lets the program end on its own (at most the rest of its time),
 * kills what is left of its process group, reaps it and frees p.
 * Returns 0 when it exited with status 0; else -1 with errno set and
 * why: killed by signal N or exited with status N (and its last line on
 * stderr): EIO; timed out ("still running after N s: ended"): ETIMEDOUT;
 * interrupted: EINTR. *sig, when not NULL, is the signal that killed it,
 * or 0. */
int python_close(struct py_proc *p, int *sig, char *why, size_t len);

/* Ends a batch of rows that script printed: python_close, then the
 * count of rows. bad: a row was already refused, with why said; the
 * program's own end is then not reported over it. Returns 0 when the
 * program exited well with want rows; else -1 with errno set (EPROTO: a
 * bad row or another count of rows) and why. */
int python_end_batch(struct py_proc *p, int bad, const char *script,
		     unsigned got, unsigned want, char *why, size_t len);

/* multiprocessing's start methods, as start.py, memory.py and pool.py
 * take them; PYTHON_START_METHOD_CHOICES lists them in the same order,
 * for a PARAM_CHOICES option. */
#define PYTHON_START_METHODS 3
#define PYTHON_START_METHOD_CHOICES "fork|forkserver|spawn"
extern const char *const python_start_methods[PYTHON_START_METHODS];

/* want[i] = 1 for each start method a PARAM_CHOICES value of
 * PYTHON_START_METHOD_CHOICES names, 0 for the others. */
struct param_value;
void python_methods(const struct param_value *v,
		    int want[PYTHON_START_METHODS]);

/* A line "row key=value key=value ..." of a program: the value of key
 * as a number. Returns 0, or -1 with errno set (EINVAL) when line is no
 * row, key is absent or its value is not a finite number. */
int python_field(const char *line, const char *key, double *v);

#endif

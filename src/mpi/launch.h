/* launch.h - run a sweep's workload on Open MPI ranks: the mpi models
 *
 * mpirun starts build/bin/NAME-mpi (mpi/rank.c) as R ranks, on this
 * machine, on the hosts of pvt cluster, or on those of a hostfile; rank 0
 * prints one row per measured repetition, verified there. This side
 * needs no MPI library: it runs mpirun as another program.
 */
#ifndef PVT_MPI_LAUNCH_H
#define PVT_MPI_LAUNCH_H

#include <stddef.h>
#include <stdint.h>

#include "engine/workers.h"

struct mpi_job {
	const char *scenario;	/* NAME: runs NAME-mpi */
	/* Or another rank program that prints the same lines (pvt-mpi),
	 * with its own options, NULL-ended, in place of the sweep's. */
	const char *program;
	char *const *args;
	enum model model;	/* MODEL_MPI or MODEL_MPI_THREAD */
	unsigned ranks, threads;	/* threads per rank */
	unsigned hosts;		/* 1: this machine */
	const char *hostfile;	/* NULL: pvt cluster's, for hosts > 1 */
	uint64_t tasks, size;
	unsigned repeat, warmup;
	const char *out;	/* the run's results folder */
	char *const *extra;	/* the scenario's own options, NULL-ended */
};

#define MPI_MAX_EXTRA 10

struct mpi_row {
	unsigned rep;
	double wall_s, user_s, sys_s;	/* CPU summed over the ranks */
	long max_rss_kib, failed;
	int ok;
	/* the workload's own figures, counted by rank 0 over the gathered
	 * results (download: bytes, failures by cause); NAN: none */
	double extra[MPI_MAX_EXTRA];
	char why[256];
};

/* Whether the mpi models can run job: mpirun on PATH, NAME-mpi (or
 * job->program) beside this program, and for hosts > 1 a hostfile or pvt
 * cluster up. Returns 0, or -1 with errno set (ENOENT: one of them is
 * missing) and the reason in why. */
int mpi_find(const struct mpi_job *job, char *why, size_t len);

/* The numeric address at which job's ranks reach a server on this
 * machine: 127.0.0.1 on this machine alone, the bridge's own address
 * (pvt cluster's `address` file) on pvt cluster's hosts. Returns 0; or
 * -1 with errno set, the reason in why and 127.0.0.1 in addr: the hosts
 * of a --hostfile, which may be other machines (EHOSTUNREACH), or a
 * cluster that says no address (the open's errno, or EPROTO). */
int mpi_home(const struct mpi_job *job, char *addr, size_t len, char *why,
	     size_t why_len);

/* Runs job's warm-ups and repeats; fills up to max rows, *n, the time
 * from starting mpirun to the ranks being ready (*launch_s) and the
 * hosts they ran on. Returns 0, or -1 with errno set (EIO: mpirun failed;
 * EPROTO: rows missing; EINTR: stopped) and the reason in why (a rank
 * that died is named by mpirun's own message). The lines of the ranks'
 * stderr that are pvt's own ("pvt: ...": a failed task, a rank that
 * could not start) are said on stderr, each once. Nothing of the run
 * outlives it, even when pvt is stopped. */
int mpi_run(const struct mpi_job *job, struct mpi_row *rows, size_t max,
	    size_t *n, double *launch_s, unsigned *hosts_seen, char *why,
	    size_t len);

#endif

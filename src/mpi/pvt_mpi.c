/* pvt_mpi.c - the rank program of pvt's mpi models: message costs
 *
 * Started by mpirun (pvt cluster mpirun, or any mpirun), never by pvt's
 * engine: each rank is a process of its own, on this host or another,
 * and ranks share nothing but the messages they send.
 *
 *   pvt-mpi pingpong [--sizes 8,64KiB,1MiB] [--rounds N]
 *       ranks 0 and 1 bounce a message --rounds times per size; rank 0
 *       prints one CSV row per size: size_bytes, round_trip_us (the
 *       median of 5 timed batches), bandwidth_mbps (bytes moved one way
 *       per second), and the host of each rank. Every message's contents
 *       are checked on arrival, so a corrupt transfer is an error.
 *
 * Exit status: 0, 1 a rank failed (says which), 2 usage.
 */
#define _POSIX_C_SOURCE 200809L
#include <mpi.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "face/parse.h"

#define BATCHES 5

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Fills buf with a pattern that depends on the round, so that a stale
 * or corrupt message cannot pass for the expected one. */
static void fill(unsigned char *buf, size_t n, unsigned round)
{
	for (size_t i = 0; i < n; i++)
		buf[i] = (unsigned char)(i * 31 + round);
}

static int check(const unsigned char *buf, size_t n, unsigned round)
{
	for (size_t i = 0; i < n; i++)
		if (buf[i] != (unsigned char)(i * 31 + round))
			return -1;
	return 0;
}

/* One batch of rounds between ranks 0 and 1; returns seconds, or a
 * negative value when a message arrived wrong. */
static double batch(int rank, unsigned char *buf, size_t n, unsigned rounds)
{
	double t0;
	int bad = 0;

	MPI_Barrier(MPI_COMM_WORLD);
	t0 = MPI_Wtime();
	for (unsigned r = 0; r < rounds; r++) {
		if (rank == 0) {
			fill(buf, n, r);
			MPI_Send(buf, (int)n, MPI_BYTE, 1, 0, MPI_COMM_WORLD);
			MPI_Recv(buf, (int)n, MPI_BYTE, 1, 0, MPI_COMM_WORLD,
				 MPI_STATUS_IGNORE);
			bad |= check(buf, n, r + 1);
		} else if (rank == 1) {
			MPI_Recv(buf, (int)n, MPI_BYTE, 0, 0, MPI_COMM_WORLD,
				 MPI_STATUS_IGNORE);
			bad |= check(buf, n, r);
			fill(buf, n, r + 1);
			MPI_Send(buf, (int)n, MPI_BYTE, 0, 0, MPI_COMM_WORLD);
		}
	}
	return bad ? -1.0 : MPI_Wtime() - t0;
}

static int pingpong(int rank, int size, const uint64_t *sizes, size_t nsizes,
		    unsigned rounds)
{
	char host[2][256] = { "", "" };
	int failed = 0;

	if (size < 2) {
		if (rank == 0)
			fprintf(stderr, "pvt-mpi: pingpong needs 2 ranks "
				"(mpirun -np 2), got %d\n", size);
		return 1;
	}
	gethostname(host[0], sizeof(host[0]) - 1);
	if (rank == 1)
		MPI_Send(host[0], sizeof(host[0]), MPI_CHAR, 0, 1,
			 MPI_COMM_WORLD);
	else if (rank == 0)
		MPI_Recv(host[1], sizeof(host[1]), MPI_CHAR, 1, 1,
			 MPI_COMM_WORLD, MPI_STATUS_IGNORE);
	if (rank == 0)
		printf("size_bytes,round_trip_us,bandwidth_mbps,host0,host1\n");
	for (size_t s = 0; s < nsizes && !failed; s++) {
		size_t n = sizes[s];
		unsigned char *buf = malloc(n ? n : 1);
		double t[BATCHES];
		int bad = 0, any_bad;

		if (!buf) {
			fprintf(stderr, "pvt-mpi: rank %d: malloc %zu: out of "
				"memory\n", rank, n);
			MPI_Abort(MPI_COMM_WORLD, 1);
		}
		batch(rank, buf, n, rounds / 10 + 1);	/* warm-up */
		for (int b = 0; b < BATCHES; b++) {
			t[b] = batch(rank, buf, n, rounds);
			bad |= t[b] < 0;
		}
		free(buf);
		MPI_Allreduce(&bad, &any_bad, 1, MPI_INT, MPI_LOR,
			      MPI_COMM_WORLD);
		if (any_bad) {
			if (bad)
				fprintf(stderr, "pvt-mpi: rank %d: a %zu-byte "
					"message arrived corrupt\n", rank, n);
			failed = 1;
			break;
		}
		if (rank == 0) {
			double med;

			qsort(t, BATCHES, sizeof(t[0]), cmp_double);
			med = t[BATCHES / 2] / rounds;
			printf("%zu,%.3f,%.3f,%s,%s\n", n, med * 1e6,
			       2.0 * (double)n / med / 1e6, host[0], host[1]);
		}
	}
	return failed;
}

static void usage(void)
{
	fprintf(stderr, "usage: pvt-mpi pingpong [--sizes LIST] "
		"[--rounds N]   (under mpirun -np 2)\n");
}

/* LeakSanitizer's hook (asan test mode): Open MPI keeps what MPI_Init
 * allocates in plugins it unloads at MPI_Finalize, where no stack can
 * name them, so a rank program is left out of the leak check; every
 * other pvt program keeps it. */
int __lsan_is_turned_off(void);
int __lsan_is_turned_off(void)
{
	return 1;
}

int main(int argc, char **argv)
{
	const char *sizes_arg = "8,1KiB,64KiB,1MiB";
	uint64_t *sizes = NULL, rounds = 1000;
	size_t nsizes = 0;
	int rank, size, rc;
	char err[256];

	if (argc < 2 || strcmp(argv[1], "pingpong")) {
		usage();
		return 2;
	}
	for (int i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--sizes") && i + 1 < argc) {
			sizes_arg = argv[++i];
		} else if (!strcmp(argv[i], "--rounds") && i + 1 < argc) {
			if (parse_count(argv[++i], 1, 10000000, &rounds,
					err, sizeof(err))) {
				fprintf(stderr, "pvt-mpi: --rounds: %s\n", err);
				return 2;
			}
		} else {
			usage();
			return 2;
		}
	}
	if (parse_size_list(sizes_arg, 0, 1ULL << 30, 32, &sizes, &nsizes, err,
			    sizeof(err))) {
		fprintf(stderr, "pvt-mpi: --sizes: %s\n", err);
		return 2;
	}
	MPI_Init(&argc, &argv);
	MPI_Comm_rank(MPI_COMM_WORLD, &rank);
	MPI_Comm_size(MPI_COMM_WORLD, &size);
	rc = pingpong(rank, size, sizes, nsizes, (unsigned)rounds);
	free(sizes);
	MPI_Finalize();
	return rc;
}

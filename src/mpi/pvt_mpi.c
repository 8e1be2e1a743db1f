/* pvt_mpi.c - pvt-mpi: what a message costs between two Open MPI ranks
 *
 * Started by mpirun (ipc's mpi channel through mpi/launch.c, pvt cluster
 * mpirun, or any mpirun), never by pvt's engine: each rank is a process
 * of its own, on this host or another, and ranks share nothing but the
 * messages they send. Ranks 0 and 1 take part; any others wait.
 *
 *   pvt-mpi pingpong --bytes N --count ROUNDS [--repeat R] [--warmup W]
 *       rank 0 sends an N-byte message, rank 1 sends it back, ROUNDS
 *       times per repetition
 *   pvt-mpi stream --bytes N --count MESSAGES [--repeat R] [--warmup W]
 *       rank 0 sends MESSAGES messages of N bytes to rank 1, which
 *       answers once at the end with what it found
 *
 * Every message carries its sequence number in its first 8 bytes and a
 * fixed pattern after them, and every byte is checked on arrival, so a
 * lost, stale or corrupt message fails the repetition (--corrupt K, for
 * the tests, makes rank 0 send message or round K with one bit wrong). A repetition is
 * timed on rank 0 (MPI_Wtime) from a barrier to the last reply. Rank 0
 * prints what mpi/launch.c reads:
 *
 *   ready,RANKS,HOSTS,HOST0,HOST1     once MPI is up (HOSTS distinct)
 *   row,REP,WALL_S,USER_S,SYS_S,MAX_RSS_KIB,FAILED,OK[,WHY]
 *                                     per measured repetition
 *
 * user_s and sys_s are summed over the ranks, max_rss_kib is the
 * largest, FAILED counts the messages that arrived wrong.
 *
 * Exit status: 0, 1 a message arrived wrong or a rank failed, 2 usage.
 */
#define _POSIX_C_SOURCE 200809L
#include <mpi.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "face/parse.h"

#define HOST_LEN 256

struct job {
	int pingpong;		/* else stream */
	size_t bytes;		/* per message, at least 8 */
	uint64_t count, repeat, warmup;
	uint64_t corrupt;	/* the message rank 0 spoils; UINT64_MAX:
				 * none */
};

/* What one repetition found, on rank 0. */
struct rep {
	double wall_s, user_s, sys_s;
	long max_rss_kib;
	uint64_t bad, first_bad;	/* messages that arrived wrong */
};

/* The bytes after the sequence number: the same on every rank. */
static void pattern(unsigned char *buf, size_t n)
{
	uint64_t x = 0x9e3779b97f4a7c15ULL;

	for (size_t i = 8; i < n; i++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		buf[i] = (unsigned char)x;
	}
}

/* Whether buf is message seq: its number, then the pattern in want. */
static int intact(const unsigned char *buf, const unsigned char *want,
		  size_t n, uint64_t seq)
{
	uint64_t got;

	memcpy(&got, buf, 8);
	return got == seq && !memcmp(buf + 8, want + 8, n - 8);
}

static void note_bad(struct rep *r, uint64_t seq)
{
	if (!r->bad++)
		r->first_bad = seq;
}

/* Rank 0 sends message k with number 2k; rank 1 checks it and returns
 * it numbered 2k + 1, which rank 0 checks. */
static void pingpong(int rank, const struct job *j, unsigned char *buf,
		     const unsigned char *want, struct rep *r)
{
	for (uint64_t k = 0; k < j->count; k++) {
		uint64_t seq = 2 * k;

		if (rank == 0) {
			memcpy(buf, &seq, 8);
			buf[0] ^= k == j->corrupt;
			MPI_Send(buf, (int)j->bytes, MPI_BYTE, 1, 0,
				 MPI_COMM_WORLD);
			MPI_Recv(buf, (int)j->bytes, MPI_BYTE, 1, 0,
				 MPI_COMM_WORLD, MPI_STATUS_IGNORE);
			if (!intact(buf, want, j->bytes, seq + 1))
				note_bad(r, k);
		} else {
			MPI_Recv(buf, (int)j->bytes, MPI_BYTE, 0, 0,
				 MPI_COMM_WORLD, MPI_STATUS_IGNORE);
			if (!intact(buf, want, j->bytes, seq))
				note_bad(r, k);
			seq++;
			memcpy(buf, &seq, 8);
			MPI_Send(buf, (int)j->bytes, MPI_BYTE, 0, 0,
				 MPI_COMM_WORLD);
		}
	}
}

/* Rank 0 sends every message; rank 1 checks each and answers with its
 * count of wrong ones and the first of them. */
static void stream(int rank, const struct job *j, unsigned char *buf,
		   const unsigned char *want, struct rep *r)
{
	uint64_t answer[2] = { 0, 0 };

	for (uint64_t k = 0; k < j->count; k++) {
		if (rank == 0) {
			memcpy(buf, &k, 8);
			buf[j->bytes - 1] ^= k == j->corrupt;
			MPI_Send(buf, (int)j->bytes, MPI_BYTE, 1, 0,
				 MPI_COMM_WORLD);
			buf[j->bytes - 1] ^= k == j->corrupt;	/* mended */
		} else {
			MPI_Recv(buf, (int)j->bytes, MPI_BYTE, 0, 0,
				 MPI_COMM_WORLD, MPI_STATUS_IGNORE);
			if (!intact(buf, want, j->bytes, k))
				note_bad(r, k);
		}
	}
	if (rank == 1) {
		answer[0] = r->bad;
		answer[1] = r->first_bad;
		MPI_Send(answer, 2, MPI_UINT64_T, 0, 1, MPI_COMM_WORLD);
	} else {
		MPI_Recv(answer, 2, MPI_UINT64_T, 1, 1, MPI_COMM_WORLD,
			 MPI_STATUS_IGNORE);
		if (answer[0] && !r->bad)
			r->first_bad = answer[1];
		r->bad += answer[0];
	}
}

static double cpu_s(const struct timeval *tv)
{
	return (double)tv->tv_sec + tv->tv_usec * 1e-6;
}

/* One repetition on every rank; rank 0's r holds the sums. */
static void repetition(int rank, const struct job *j, unsigned char *buf,
		       const unsigned char *want, struct rep *r)
{
	struct rusage a, b;
	double t0, cpu[2], sum[2];
	uint64_t bad[2], bad_sum[2] = { 0, UINT64_MAX };
	long rss;

	memset(r, 0, sizeof(*r));
	getrusage(RUSAGE_SELF, &a);
	MPI_Barrier(MPI_COMM_WORLD);
	t0 = MPI_Wtime();
	if (rank <= 1)
		(j->pingpong ? pingpong : stream)(rank, j, buf, want, r);
	r->wall_s = MPI_Wtime() - t0;
	getrusage(RUSAGE_SELF, &b);
	cpu[0] = cpu_s(&b.ru_utime) - cpu_s(&a.ru_utime);
	cpu[1] = cpu_s(&b.ru_stime) - cpu_s(&a.ru_stime);
	rss = b.ru_maxrss;
	/* a stream's rank 1 told rank 0 already: count its bad once */
	bad[0] = j->pingpong || rank == 0 ? r->bad : 0;
	bad[1] = r->bad ? r->first_bad : UINT64_MAX;
	MPI_Reduce(cpu, sum, 2, MPI_DOUBLE, MPI_SUM, 0, MPI_COMM_WORLD);
	MPI_Reduce(&bad[0], &bad_sum[0], 1, MPI_UINT64_T, MPI_SUM, 0,
		   MPI_COMM_WORLD);
	MPI_Reduce(&bad[1], &bad_sum[1], 1, MPI_UINT64_T, MPI_MIN, 0,
		   MPI_COMM_WORLD);
	MPI_Reduce(&rss, &r->max_rss_kib, 1, MPI_LONG, MPI_MAX, 0,
		   MPI_COMM_WORLD);
	r->user_s = sum[0];
	r->sys_s = sum[1];
	r->bad = bad_sum[0];
	r->first_bad = bad_sum[1];
}

/* Rank 0 learns the host of every rank; prints the ready line. */
static void say_ready(int rank, int ranks)
{
	char *all = NULL, mine[HOST_LEN] = "";
	int hosts = 0;

	gethostname(mine, sizeof(mine) - 1);
	if (rank == 0 && !(all = calloc((size_t)ranks, HOST_LEN))) {
		fprintf(stderr, "pvt-mpi: rank 0: out of memory\n");
		MPI_Abort(MPI_COMM_WORLD, 1);
	}
	MPI_Gather(mine, HOST_LEN, MPI_CHAR, all, HOST_LEN, MPI_CHAR, 0,
		   MPI_COMM_WORLD);
	if (rank != 0)
		return;
	for (int i = 0; i < ranks; i++) {
		int seen = 0;

		for (int k = 0; k < i && !seen; k++)
			seen = !strcmp(all + (size_t)i * HOST_LEN,
				       all + (size_t)k * HOST_LEN);
		hosts += !seen;
	}
	printf("ready,%d,%d,%s,%s\n", ranks, hosts, all, all + HOST_LEN);
	fflush(stdout);
	free(all);
}

static int run(int rank, int ranks, const struct job *j)
{
	unsigned char *buf = malloc(j->bytes), *want = malloc(j->bytes);
	int failed = 0;

	if (!buf || !want) {
		fprintf(stderr, "pvt-mpi: rank %d: malloc %zu: out of "
			"memory\n", rank, j->bytes);
		MPI_Abort(MPI_COMM_WORLD, 1);
	}
	pattern(buf, j->bytes);
	pattern(want, j->bytes);
	say_ready(rank, ranks);
	for (uint64_t i = 0; i < j->warmup + j->repeat; i++) {
		struct rep r;

		repetition(rank, j, buf, want, &r);
		if (rank != 0 || i < j->warmup)
			continue;
		printf("row,%llu,%.9f,%.6f,%.6f,%ld,%llu,%d",
		       (unsigned long long)(i - j->warmup + 1), r.wall_s,
		       r.user_s, r.sys_s, r.max_rss_kib,
		       (unsigned long long)r.bad, r.bad == 0);
		if (r.bad)
			printf(",%llu of %llu %zu-byte message(s) arrived "
			       "wrong, the first at %llu",
			       (unsigned long long)r.bad,
			       (unsigned long long)j->count, j->bytes,
			       (unsigned long long)r.first_bad);
		printf("\n");
		fflush(stdout);
		failed |= r.bad != 0;
	}
	free(buf);
	free(want);
	return failed;
}

/* Reads the command line into j. Returns 0, or 2 with the reason said
 * (by rank 0 only). */
static int parse(int argc, char **argv, int rank, struct job *j)
{
	const char *what = NULL;
	uint64_t bytes = 0;
	char err[256] = "";

	*j = (struct job){ .repeat = 1, .corrupt = UINT64_MAX };
	if (argc < 2 || (strcmp(argv[1], "pingpong") &&
			 strcmp(argv[1], "stream"))) {
		what = "a test first: pingpong or stream";
		goto usage;
	}
	j->pingpong = !strcmp(argv[1], "pingpong");
	for (int i = 2; i < argc; i++) {
		const char *o = argv[i], *v = i + 1 < argc ? argv[++i] : NULL;
		int bad;

		if (!v) {
			what = o;
			snprintf(err, sizeof(err), "needs a value");
			goto usage;
		}
		if (!strcmp(o, "--bytes"))
			bad = parse_size(v, 8, 1U << 30, &bytes, err,
					 sizeof(err));
		else if (!strcmp(o, "--count"))
			bad = parse_count(v, 1, 1ULL << 40, &j->count, err,
					  sizeof(err));
		else if (!strcmp(o, "--repeat"))
			bad = parse_count(v, 1, 1000, &j->repeat, err,
					  sizeof(err));
		else if (!strcmp(o, "--warmup"))
			bad = parse_count(v, 0, 1000, &j->warmup, err,
					  sizeof(err));
		else if (!strcmp(o, "--corrupt"))
			bad = parse_count(v, 0, 1ULL << 40, &j->corrupt, err,
					  sizeof(err));
		else
			bad = snprintf(err, sizeof(err), "not an option");
		if (bad) {
			what = o;
			goto usage;
		}
	}
	j->bytes = (size_t)bytes;
	if (j->bytes && j->count)
		return 0;
	what = "--bytes and --count";
	snprintf(err, sizeof(err), "both needed");
usage:
	if (rank == 0)
		fprintf(stderr, "pvt-mpi: %s%s%s (usage: pvt-mpi pingpong|"
			"stream --bytes N --count N [--repeat R] [--warmup "
			"W], under mpirun -np 2)\n", what, *err ? ": " : "",
			err);
	return 2;
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
	struct job j;
	int rank, ranks, rc;

	MPI_Init(&argc, &argv);
	MPI_Comm_rank(MPI_COMM_WORLD, &rank);
	MPI_Comm_size(MPI_COMM_WORLD, &ranks);
	rc = parse(argc, argv, rank, &j);
	if (!rc && ranks < 2) {
		fprintf(stderr, "pvt-mpi: needs 2 ranks (mpirun -np 2), got "
			"%d\n", ranks);
		rc = 2;
	}
	if (!rc)
		rc = run(rank, ranks, &j);
	/* every rank parsed the same words: all end alike, none waits */
	MPI_Finalize();
	return rc;
}

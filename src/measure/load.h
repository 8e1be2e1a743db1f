/* load.h - what else the machine did while pvt measured
 *
 * A steady neighbour (a compiler, a second benchmark) slows every run
 * alike and leaves no spread, so spread alone cannot catch it. A load
 * sample is taken around each measured repetition: the machine's busy
 * CPU time from /proc/stat less pvt's own (getrusage of itself and of its
 * reaped children), the hypervisor's steal time, and the kernel's CPU
 * pressure (/proc/pressure/cpu, where present).
 */
#ifndef PVT_LOAD_H
#define PVT_LOAD_H

/* A row is busy when other processes (and the hypervisor's steal) took
 * more than this share of the machine's cores during it, beyond what the
 * 10 ms granularity of /proc/stat can explain: 0.15 is 0.3 of a core on
 * a 2-core machine; an idle desktop's daemons take under 0.05. */
#define LOAD_BUSY_SHARE 0.15

/* The counters at the start of an interval. */
struct load_mark {
	double t;			/* CLOCK_MONOTONIC, seconds */
	double busy_s, steal_s;		/* /proc/stat, all CPUs */
	double own_s;			/* pvt's user + sys, children included */
	double some_s;			/* /proc/pressure/cpu some total; -1
					 * without it */
	int ok;				/* /proc/stat could be read */
};

/* What others did during one interval. */
struct load {
	double other_cpu;	/* cores' worth of CPU time taken by other
				 * processes: (machine busy - pvt's own) /
				 * wall, from 0 to the cores; NAN when
				 * unknown */
	double steal;		/* cores' worth stolen by the hypervisor */
	double pressure;	/* share of the wall time some task waited
				 * for a CPU (pvt's own workers included);
				 * NAN without /proc/pressure/cpu */
	double margin;		/* cores' worth the tick granularity can
				 * hide: cores / (CLK_TCK x wall) */
	int busy;		/* others + steal - margin > LOAD_BUSY_SHARE
				 * x cores */
};

/* Takes the counters now. Never fails: a counter that cannot be read
 * leaves the interval's figures unknown (NAN, busy 0). */
void load_begin(struct load_mark *m);

/* The load since m, judged against `cores` online CPUs. */
void load_end(const struct load_mark *m, long cores, struct load *out);

/* Judges figures already measured (others and steal in cores, over an
 * interval of wall_s): the rule load_end applies, for tests and for
 * samples taken elsewhere. */
void load_judge(struct load *l, double wall_s, long cores);

/* The /proc/stat busy and steal seconds of all CPUs in text (the file's
 * contents). Returns 0, or -1 with errno EINVAL when its "cpu" line is
 * missing or short. */
int load_parse_stat(const char *text, double *busy_s, double *steal_s);

/* The "some total=" microseconds of /proc/pressure/cpu's text, in
 * seconds. Returns 0, or -1 with errno EINVAL. */
int load_parse_pressure(const char *text, double *some_s);

#endif

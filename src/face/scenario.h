/* scenario.h - the contract every scenario fulfils
 *
 * A scenario is one file in scenarios/ that ends with a `const struct
 * scenario` descriptor, and one line in the table of src/face/registry.c.
 * It builds into a binary of its own, build/bin/NAME (scenario_main.c),
 * which the driver runs. It
 * never calls fork() or pthread_*(): it hands tasks to the worker engine
 * (workers.h), or to the sweep (sweep.h) that runs them under every
 * model and writes the CSV.
 *
 * Like the rest of pvt, a function of a scenario that can fail returns -1
 * (NULL for a pointer) with errno set, and the reason in its caller's
 * buffer where a person reads it (README.md, Conventions).
 */
#ifndef PVT_SCENARIO_H
#define PVT_SCENARIO_H

#include <stddef.h>
#include <stdint.h>

#include "engine/workers.h"
#include "measure/procmem.h"

/* The common options a scenario uses (struct scenario.uses); any other
 * common option is refused for it. --out, --quiet and --help are always
 * accepted. */
enum {
	USE_MODELS = 1 << 0,
	USE_WORKERS = 1 << 1,
	USE_TASKS = 1 << 2,
	USE_SIZE = 1 << 3,
	USE_REPEAT = 1 << 4,	/* --repeat and --warmup */
	USE_CPUS = 1 << 5,
	USE_SWITCH = 1 << 6,	/* --switch-interval (gil model) */
	USE_TIMELINE = 1 << 7,	/* --timeline; pvt suite turns it on */
	USE_PYTHON = 1 << 8,	/* --python and --py-timeout: implied by a
				 * scenario's .python */
	USE_SWEEP = USE_MODELS | USE_WORKERS | USE_TASKS | USE_SIZE |
		    USE_REPEAT | USE_CPUS | USE_SWITCH | USE_TIMELINE,
};

enum param_kind {
	PARAM_COUNT,		/* a whole number */
	PARAM_SIZE,		/* a size: 64KiB */
	PARAM_DURATION,		/* seconds: 50ms */
	PARAM_FRACTION,		/* 0..1 or a percentage */
	PARAM_LIST,		/* whole numbers: 1,2,4 or 1..16 */
	PARAM_STRING,		/* free text, e.g. a file name */
	PARAM_CHOICE,		/* one of choices */
	PARAM_CHOICES,		/* a list of choices: fork,thread; list[i]
				 * is the position of the i-th in choices */
	PARAM_FLAG,		/* --NAME alone, no value: u is 1 when
				 * given, 0 otherwise (def is NULL) */
	PARAM_SIZE_LIST,	/* sizes: 0,64MiB,1GiB */
};

/* A scenario's own option, --NAME VALUE. */
struct param {
	const char *name;
	enum param_kind kind;
	const char *def;	/* default as typed on the command line; NULL
				 * for no default (PARAM_STRING, PARAM_FLAG) */
	double min, max;	/* COUNT, SIZE, LIST, SIZE_LIST, DURATION
				 * (seconds) */
	const char *choices;	/* PARAM_CHOICE, PARAM_CHOICES: "a|b|c" */
	const char *help;
};

/* A parsed value of a param. */
struct param_value {
	uint64_t u;		/* COUNT, SIZE, FLAG */
	double d;		/* DURATION, FRACTION */
	const char *s;		/* STRING, CHOICE; also the text as typed */
	unsigned *list;		/* LIST, CHOICES */
	uint64_t *sizes;	/* SIZE_LIST */
	size_t n;		/* LIST, CHOICES, SIZE_LIST: values in list
				 * or sizes */
	int given;		/* set on the command line */
};

/* What one run was asked to do. */
struct config {
	const struct scenario *sc;
	enum model models[MODEL_COUNT];
	size_t nmodels;
	unsigned *workers;
	size_t nworkers;
	uint64_t tasks, size;
	unsigned repeat, warmup;
	const char *out;		/* results folder, exists and writable */
	unsigned *cpus;
	size_t ncpus;
	double switch_interval_s;
	int quiet;
	int timeline;			/* record NAME.timeline.csv */
	int quick;			/* run by `pvt suite --quick` */
	struct param_value *pv;		/* one per sc->params entry */
	const char *command;		/* the command line, for metadata */
	const char *python;		/* --python, or NULL */
	double py_timeout_s;		/* --py-timeout; 0: the default */
	/* What the run forks from: this process when the run began, and a
	 * libc-only process beside it (pvt-nop); maps -1: not known. */
	struct procmem_image self, minimal;
};

struct bench_result;
struct verdicts;

struct scenario {
	const char *name;
	const char *summary;	/* one line for `pvt list` */
	const char *lesson;	/* two or three sentences: what it shows */
	const char *method;	/* how it is measured */
	unsigned uses;		/* USE_* */
	const char *models;	/* default --models */
	const char *workers;	/* default --workers; NULL: 1, 2, 4...
				 * to the core count */
	uint64_t tasks, size;	/* defaults of --tasks and --size */
	const char *size_unit;	/* what --size counts, for help */
	uint64_t size_max;	/* the largest --size; 0: 2^40 */
	const char *size_max_why;	/* why, said when a --size is refused */
	const char *python;	/* its port in scenarios/python/, which
				 * makes the py-* models available; or NULL */
	int mpi;		/* its sweep also runs on Open MPI ranks (the
				 * mpi models): CMake builds build/bin/
				 * NAME-mpi; its params hold "hosts",
				 * "hostfile" and "threads-per-rank"
				 * (SWEEP_MPI_PARAMS) */
	const struct param *params;	/* ends with a NULL name; or NULL */
	const char *const *quick;	/* extra options for suite --quick */
	const char *const *live;	/* the options pvt live starts from
					 * (a run of seconds on a projector);
					 * NULL: quick's */
	/* Runs it. Returns the exit status: 0, 1 (failed), 2 (usage). */
	int (*run)(const struct config *cfg);
	/* The lesson as checks over a finished run's own figures
	 * (verdict.h), called by the measuring layer (bench.h) once every
	 * configuration is summarised; or NULL. */
	void (*check)(const struct bench_result *res, struct verdicts *vs);
};

/* The parsed value of the scenario's own option `name`; aborts on a
 * name the scenario does not declare (a programming error). */
const struct param_value *config_param(const struct config *cfg,
				       const char *name);

/* Whether model m is among cfg->models. */
int config_has_model(const struct config *cfg, enum model m);

/* Writes the metadata lines of a run (scenario, its lesson, every common
 * option and parameter, the machine) into c. */
struct csv;
void config_meta(const struct config *cfg, struct csv *c);

/* Parses a scenario's command line (argv[0] is its name or the binary;
 * --help is not handled) into cfg, with suite --quick's options first when
 * quick is set. Touches no file: --out is not checked. Returns 0, with
 * cfg to free with cli_config_free; or 2, the usage status, having printed
 * the one usage line (see parse_usage_capture), with nothing to free. */
int cli_parse(const struct scenario *sc, int argc, char **argv, int quick,
	      struct config *cfg);
void cli_config_free(struct config *cfg);

/* Reads cfg->self and cfg->minimal (image.c); a failure leaves maps -1
 * and is said in the narration, never fatal. */
void config_image_read(struct config *cfg);

/* Their metadata lines: process_maps, process_rss_kib,
 * process_libraries, minimal_maps, minimal_rss_kib. */
void config_image_meta(const struct config *cfg, struct csv *c);

/* Narrates them: what this process maps beyond a libc-only one, for the
 * scenarios whose figures grow with it (spawn, memory). */
void config_image_say(const struct config *cfg);

/* Runs a scenario from a command line (argv[0] is the scenario name or
 * the binary). Returns the exit status. */
int cli_run(const struct scenario *sc, int argc, char **argv, int quick);

/* Prints the lesson, method and parameters of a scenario. */
void cli_explain(const struct scenario *sc);

/* The signal that interrupted the run (SIGINT, SIGTERM), or 0. */
int cli_interrupted(void);

#endif

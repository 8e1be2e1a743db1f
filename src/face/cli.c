/* cli.c - a scenario's command line: the common options and its own */
#define _POSIX_C_SOURCE 200809L
#define _GNU_SOURCE
#include "face/scenario.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "output/csv.h"
#include "output/events.h"
#include "engine/gil.h"
#include "face/parse.h"
#include "engine/paths.h"
#include "output/progress.h"
#include "measure/sysinfo.h"
#include "python/python.h"

#define MAX_WORKERS 4096
#define MAX_TASKS 10000000ULL
#define MAX_LIST 256
#define MAX_VALUE 4096		/* characters in one option's value */

/* A stop ends pvt well within this; a signal repeated later than this
 * after the first means that it did not, and ends pvt at once. */
#define STOP_GRACE_S 2

static atomic_int caught;		/* the first signal, or 0 */
static _Atomic long long caught_ns;	/* when, CLOCK_MONOTONIC */

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* The one place SIGINT and SIGTERM are handled: pvt's own thread (the
 * engine blocks them in every thread it starts). */
static void on_signal(int sig)
{
	int none = 0;

	if (atomic_compare_exchange_strong(&caught, &none, sig)) {
		atomic_store(&caught_ns, now_ns());
		workers_stop();
		return;
	}
	/* Ctrl-C pressed again while the stop is on its way: it is
	 * bounded, and the rows measured so far are about to be written.
	 * Much later, it is stuck: end now; workers die with pvt
	 * (pdeathsig) and a CSV is only ever renamed complete. */
	if (now_ns() - atomic_load(&caught_ns) > STOP_GRACE_S * 1000000000LL) {
		signal(sig, SIG_DFL);
		raise(sig);
	}
}

int cli_interrupted(void)
{
	return atomic_load(&caught);
}

/* Returns 0, or -1 having said why. */
static int catch_signals(const struct scenario *sc)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	/* no SA_RESTART: a blocked wait4 returns EINTR and stops the run */
	if (sigaction(SIGINT, &sa, NULL) || sigaction(SIGTERM, &sa, NULL)) {
		fprintf(stderr, "pvt: %s: sigaction: %s\n", sc->name,
			strerror(errno));
		return -1;
	}
	return 0;
}

const struct param_value *config_param(const struct config *cfg,
				       const char *name)
{
	const struct param *p = cfg->sc->params;

	for (size_t i = 0; p && p[i].name; i++)
		if (strcmp(p[i].name, name) == 0)
			return &cfg->pv[i];
	fprintf(stderr, "pvt: %s declares no parameter '%s'\n", cfg->sc->name,
		name);
	abort();
}

int config_has_model(const struct config *cfg, enum model m)
{
	for (size_t i = 0; i < cfg->nmodels; i++)
		if (cfg->models[i] == m)
			return 1;
	return 0;
}

static void list_text(char *buf, size_t len, const unsigned *v, size_t n)
{
	size_t off = 0;

	buf[0] = 0;
	for (size_t i = 0; i < n && off < len; i++)
		off += (size_t)snprintf(buf + off, len - off, "%s%u",
					i ? "," : "", v[i]);
}

void config_meta(const struct config *cfg, struct csv *c)
{
	const struct scenario *sc = cfg->sc;
	unsigned u = sc->uses;
	char buf[1024];

	csv_meta(c, "scenario", "%s", sc->name);
	csv_meta(c, "summary", "%s", sc->summary);
	csv_meta(c, "lesson", "%s", sc->lesson);
	if (cfg->command)
		csv_meta(c, "command", "%s", cfg->command);
	if (u & USE_MODELS) {
		size_t off = 0;

		buf[0] = 0;
		for (size_t i = 0; i < cfg->nmodels; i++)
			off += (size_t)snprintf(buf + off, sizeof(buf) - off,
						"%s%s", i ? "," : "",
						model_name(cfg->models[i]));
		csv_meta(c, "models", "%s", buf);
	}
	if (u & USE_WORKERS) {
		list_text(buf, sizeof(buf), cfg->workers, cfg->nworkers);
		csv_meta(c, "workers", "%s", buf);
	}
	if (u & USE_TASKS)
		csv_meta(c, "tasks", "%llu", (unsigned long long)cfg->tasks);
	if (u & USE_SIZE)
		csv_meta(c, "size", "%llu %s", (unsigned long long)cfg->size,
			 sc->size_unit ? sc->size_unit : "");
	if (u & USE_REPEAT) {
		csv_meta(c, "repeat", "%u", cfg->repeat);
		csv_meta(c, "warmup", "%u", cfg->warmup);
	}
	if (u & USE_CPUS) {
		list_text(buf, sizeof(buf), cfg->cpus, cfg->ncpus);
		csv_meta(c, "cpus", "%s", cfg->ncpus ? buf : "not pinned");
	}
	if (u & USE_SWITCH)
		csv_meta(c, "switch_interval_s", "%g", cfg->switch_interval_s);
	for (size_t i = 0; sc->params && sc->params[i].name; i++)
		csv_meta(c, sc->params[i].name, "%s",
			 sc->params[i].kind == PARAM_FLAG ?
			 (cfg->pv[i].u ? "yes" : "no") :
			 cfg->pv[i].s ? cfg->pv[i].s : "");
	sysinfo_meta(c);
	if (sc->python)
		python_meta(c);
	config_image_meta(cfg, c);
}

/* The common options sc takes: its uses, and --python with a port. */
static unsigned uses_of(const struct scenario *sc)
{
	return sc->uses | (sc->python ? USE_PYTHON : 0);
}

/* ---- option parsing ---------------------------------------------------- */

struct common {
	const char *name;
	unsigned use;		/* 0: always accepted */
	const char *arg;	/* NULL: a flag */
	const char *help;
};

static const struct common commons[] = {
	{ "models", USE_MODELS, "LIST", "models to run: sequential,process,"
	  "thread,gil" },
	{ "model", USE_MODELS, "LIST", "the same as --models" },
	{ "workers", USE_WORKERS, "LIST", "worker counts: 1,2,4 or 1..16" },
	{ "tasks", USE_TASKS, "N", "tasks per run" },
	{ "size", USE_SIZE, "N", "work per task" },
	{ "repeat", USE_REPEAT, "N", "measured runs per configuration" },
	{ "warmup", USE_REPEAT, "N", "discarded runs before them" },
	{ "cpus", USE_CPUS, "LIST", "pin worker i to the i-th CPU of the "
	  "list: 0,1 or 0-3" },
	{ "switch-interval", USE_SWITCH, "TIME", "gil model: the switch "
	  "interval (CPython: 5ms)" },
	{ "timeline", USE_TIMELINE, NULL, "record when each worker ran, "
	  "held the GIL or waited (NAME.timeline.csv)" },
	{ "python", USE_PYTHON, "PATH", "the interpreter of the py-* models "
	  "(default: $PVT_PYTHON, else python3)" },
	{ "py-timeout", USE_PYTHON, "TIME", "a Python program still running "
	  "after this is ended and counted as failed (default 600s)" },
	{ "out", 0, "DIR", "results folder (default: results)" },
	{ "quiet", 0, NULL, "no progress line and no narration" },
	{ NULL, 0, NULL, NULL },
};

/* One line naming the scenario and the option; returns 2. */
#define usage_error(sc, opt, ...) parse_usage((sc)->name, opt, __VA_ARGS__)

/* "sequential|process|..." for the first count models. */
static void model_choices(char *buf, size_t len, int count)
{
	size_t off = 0;

	buf[0] = 0;
	for (int m = 0; m < count && off < len; m++)
		off += (size_t)snprintf(buf + off, len - off, "%s%s",
					m ? "|" : "", model_name((enum model)m));
}

/* Whether scenario sc runs model m: the py-* models need its Python
 * port, the mpi models its MPI version. */
static int model_runs(const struct scenario *sc, enum model m)
{
	return (!MODEL_IS_PYTHON(m) || sc->python) &&
	       (!MODEL_IS_MPI(m) || sc->mpi);
}

static int parse_models(const struct scenario *sc, const char *opt,
			const char *s, struct config *cfg)
{
	char all[256], ok[256] = "", err[256];
	enum model runs[MODEL_COUNT];
	unsigned idx[MODEL_COUNT];
	size_t n, nruns = 0, off = 0;

	model_choices(all, sizeof(all), MODEL_COUNT);
	for (int m = 0; m < MODEL_COUNT; m++) {
		if (!model_runs(sc, (enum model)m))
			continue;
		off += (size_t)snprintf(ok + off, sizeof(ok) - off, "%s%s",
					nruns ? "|" : "",
					model_name((enum model)m));
		runs[nruns++] = (enum model)m;
	}
	cfg->nmodels = 0;
	if (parse_choices(s, ok, "model", idx, &n, err, sizeof(err))) {
		const char *accepted = strchr(err, '(');
		char why[256];

		/* a model pvt knows, which this scenario does not run */
		if (!parse_choices(s, all, "model", idx, &n, why, sizeof(why)))
			for (size_t i = 0; i < n; i++)
				if (!model_runs(sc, (enum model)idx[i]))
					return usage_error(sc, opt, "%s model "
						"'%s' %s", MODEL_IS_MPI(idx[i]) ?
						"no MPI version of the" :
						"no Python port for the",
						model_name((enum model)idx[i]),
						accepted ? accepted : "");
		return usage_error(sc, opt, "%s", err);
	}
	for (size_t i = 0; i < n; i++)
		cfg->models[cfg->nmodels++] = runs[idx[i]];
	return 0;
}

static int parse_cpus(const struct scenario *sc, const char *s,
		      struct config *cfg)
{
	char err[256];
	cpu_set_t allowed;

	free(cfg->cpus);
	if (parse_list(s, 0, CPU_SETSIZE - 1, MAX_LIST, &cfg->cpus,
		       &cfg->ncpus, err, sizeof(err)))
		return usage_error(sc, "cpus", "%s", err);
	if (sched_getaffinity(0, sizeof(allowed), &allowed))
		return 0;
	for (size_t i = 0; i < cfg->ncpus; i++)
		if (!CPU_ISSET(cfg->cpus[i], &allowed))
			return usage_error(sc, "cpus", "CPU %u is not one "
					   "this process may run on (see "
					   "nproc and taskset -p $$)",
					   cfg->cpus[i]);
	return 0;
}

static int parse_param(const struct scenario *sc, const struct param *p,
		       const char *s, struct param_value *v)
{
	char err[256];
	uint64_t lo = (uint64_t)p->min, hi = (uint64_t)p->max;
	int rc = 0;

	free(v->list);
	v->list = NULL;
	free(v->sizes);
	v->sizes = NULL;
	v->s = s;
	switch (p->kind) {
	case PARAM_COUNT:
		rc = parse_count(s, lo, hi, &v->u, err, sizeof(err));
		break;
	case PARAM_SIZE:
		rc = parse_size(s, lo, hi, &v->u, err, sizeof(err));
		break;
	case PARAM_DURATION:
		rc = parse_duration(s, p->min, p->max, &v->d, err, sizeof(err));
		break;
	case PARAM_FRACTION:
		rc = parse_fraction(s, &v->d, err, sizeof(err));
		break;
	case PARAM_LIST:
		rc = parse_list(s, lo, hi, MAX_LIST, &v->list, &v->n, err,
				sizeof(err));
		break;
	case PARAM_SIZE_LIST:
		rc = parse_size_list(s, lo, hi, MAX_LIST, &v->sizes, &v->n,
				     err, sizeof(err));
		break;
	case PARAM_STRING:
		if (!*s) {
			rc = -1;
			snprintf(err, sizeof(err), "the value is empty");
		}
		break;
	case PARAM_CHOICES: {
		size_t count = 1;

		for (const char *c = p->choices; *c; c++)
			count += *c == '|';
		v->list = calloc(count, sizeof(*v->list));
		if (!v->list) {
			rc = -1;
			snprintf(err, sizeof(err), "out of memory");
			break;
		}
		rc = parse_choices(s, p->choices, "value", v->list, &v->n, err,
				   sizeof(err));
		break;
	}
	case PARAM_FLAG:	/* apply() sets it: it has no value to parse */
		break;
	case PARAM_CHOICE: {
		size_t len = strlen(s);
		const char *c = p->choices;

		rc = -1;
		while (c && *c) {
			size_t n = strcspn(c, "|");

			if (n == len && strncmp(c, s, n) == 0)
				rc = 0;
			c += n + (c[n] == '|');
		}
		if (rc)
			snprintf(err, sizeof(err), "'%s' is not one of %s", s,
				 p->choices);
		break;
	}
	}
	return rc ? usage_error(sc, p->name, "%s", err) : 0;
}

static void print_help(const struct scenario *sc)
{
	char prog[4096];

	/* the scenario's own program: build/bin/NAME, libexec/pvt/NAME */
	if (paths_program(sc->name, prog, sizeof(prog)))
		printf("usage: pvt run %s [options]\n", sc->name);
	else
		printf("usage: pvt run %s [options]   (or: %s [options])\n",
		       sc->name, prog);
	printf("%s\n\noptions:\n", sc->summary);
	for (const struct common *c = commons; c->name; c++) {
		char left[64];

		if (c->use && !(uses_of(sc) & c->use))
			continue;
		snprintf(left, sizeof(left), "--%s%s%s", c->name,
			 c->arg ? " " : "", c->arg ? c->arg : "");
		printf("  %-24s %s", left, c->help);
		if (!strcmp(c->name, "size") && sc->size_unit)
			printf(" (%s; default %llu)", sc->size_unit,
			       (unsigned long long)sc->size);
		else if (!strcmp(c->name, "tasks"))
			printf(" (default %llu)", (unsigned long long)sc->tasks);
		else if (!strcmp(c->name, "models"))
			printf(" (default %s)", sc->models);
		else if (!strcmp(c->name, "workers"))
			printf(" (default %s)", sc->workers ? sc->workers :
			       "1, 2, 4... to the core count");
		printf("\n");
	}
	for (size_t i = 0; sc->params && sc->params[i].name; i++) {
		const struct param *p = &sc->params[i];
		char left[64];

		snprintf(left, sizeof(left), "--%s%s", p->name,
			 p->kind == PARAM_FLAG ? "" : " VALUE");
		printf("  %-24s %s", left, p->help);
		if (p->def)
			printf(" (default %s)", p->def);
		printf("\n");
	}
	printf("\nexit status: 0 success, 1 a run failed, 2 usage error, "
	       "130/143 interrupted\n");
}

/* Makes sure the results folder takes files, or can be made: it is made
 * with the first file written (csv_open), so that a run refused later
 * for a usage error leaves nothing behind. A folder that is not there is
 * tried by making and removing it (permission bits alone mislead root).
 * Several programs may check one folder at once (the ranks of an mpi
 * model): one's probe folder, made or removed under another's feet, is
 * looked at again. */
static int check_out(const struct scenario *sc, const char *dir)
{
	char probe[4096];
	struct stat sb;
	int fd = -1;

	if ((size_t)snprintf(probe, sizeof(probe), "%s/.pvt-probe.XXXXXX",
			     dir) >= sizeof(probe))
		return usage_error(sc, "out", "the path is too long");
	for (int tries = 0; fd < 0 && tries < 5; tries++) {
		if (stat(dir, &sb)) {
			if (errno != ENOENT)
				break;
			if (mkdir(dir, 0755) == 0) {
				rmdir(dir);	/* not empty: another's */
				return 0;
			}
			if (errno != EEXIST)
				break;
			continue;	/* made meanwhile */
		}
		if (!S_ISDIR(sb.st_mode))
			return usage_error(sc, "out", "cannot write in '%s': "
					   "%s", dir, strerror(ENOTDIR));
		snprintf(probe, sizeof(probe), "%s/.pvt-probe.XXXXXX", dir);
		fd = mkstemp(probe);
		if (fd < 0 && errno != ENOENT)	/* ENOENT: removed meanwhile */
			return usage_error(sc, "out", "cannot write in '%s': "
					   "%s", dir, strerror(errno));
	}
	if (fd < 0)
		return usage_error(sc, "out", "cannot create '%s': %s", dir,
				   strerror(errno));
	close(fd);
	unlink(probe);
	return 0;
}

/* 1, 2, 4... up to the core count, and the core count itself: the
 * curve's shape in a few runs, and a narration that fits a screen (more
 * workers than cores: --workers 1..8). */
static void default_workers(struct config *cfg)
{
	unsigned cores = (unsigned)sysinfo_cores();

	cfg->workers = malloc(32 * sizeof(*cfg->workers));
	cfg->nworkers = 0;
	for (unsigned w = 1; cfg->workers && w < cores; w *= 2)
		cfg->workers[cfg->nworkers++] = w;
	if (cfg->workers)
		cfg->workers[cfg->nworkers++] = cores;
}

void cli_config_free(struct config *cfg)
{
	if (!cfg->sc)
		return;
	for (size_t i = 0; cfg->pv && cfg->sc->params &&
	     cfg->sc->params[i].name; i++) {
		free(cfg->pv[i].list);
		free(cfg->pv[i].sizes);
	}
	free(cfg->pv);
	free(cfg->workers);
	free(cfg->cpus);
	free((char *)cfg->command);
	memset(cfg, 0, sizeof(*cfg));
}

static char *join_args(const char *name, int argc, char **argv)
{
	size_t len = strlen(name) + 16;
	char *s;

	for (int i = 1; i < argc; i++)
		len += strlen(argv[i]) + 1;
	s = malloc(len);
	if (!s)
		return NULL;
	snprintf(s, len, "pvt run %s", name);
	for (int i = 1; i < argc; i++) {
		strcat(s, " ");
		strcat(s, argv[i]);
	}
	return s;
}

static int set_defaults(const struct scenario *sc, struct config *cfg)
{
	size_t np = 0;

	cfg->sc = sc;
	cfg->tasks = sc->tasks;
	cfg->size = sc->size;
	cfg->repeat = 5;
	cfg->warmup = 1;
	cfg->out = "results";
	cfg->switch_interval_s = GIL_DEFAULT_INTERVAL;
	while (sc->params && sc->params[np].name)
		np++;
	cfg->pv = calloc(np + 1, sizeof(*cfg->pv));
	if (!cfg->pv)
		return usage_error(sc, NULL, "out of memory");
	if (sc->models && parse_models(sc, "models", sc->models, cfg))
		return 2;
	if (sc->workers) {
		char err[256];

		if (parse_list(sc->workers, 1, MAX_WORKERS, MAX_LIST,
			       &cfg->workers, &cfg->nworkers, err,
			       sizeof(err)))
			return usage_error(sc, "workers", "%s", err);
	} else {
		default_workers(cfg);
	}
	for (size_t i = 0; i < np; i++)
		if (sc->params[i].def &&
		    parse_param(sc, &sc->params[i], sc->params[i].def,
				&cfg->pv[i]))
			return 2;
	return 0;
}

/* Applies one option; *i is moved past its value. */
static int apply(const struct scenario *sc, struct config *cfg, int argc,
		 char **argv, int *i)
{
	char name[64], err[256];
	const char *val;
	const struct common *c;
	uint64_t v;

	if (parse_option_word(argv[*i], name, sizeof(name), &val))
		return usage_error(sc, NULL, "unexpected argument '%s' (see "
				   "--help)", argv[*i]);

	for (c = commons; c->name && strcmp(c->name, name); c++)
		;
	if (c->name && c->use && !(uses_of(sc) & c->use))
		return usage_error(sc, name, "not used by this scenario (see "
				   "pvt run %s --help)", sc->name);
	const struct param *p = NULL;
	size_t pi = 0;

	if (!c->name) {
		for (; sc->params && sc->params[pi].name; pi++)
			if (!strcmp(sc->params[pi].name, name)) {
				p = &sc->params[pi];
				break;
			}
		if (!p)
			return usage_error(sc, NULL, "unknown option '--%s' "
					   "(see pvt run %s --help)", name,
					   sc->name);
	}
	if (p && p->kind == PARAM_FLAG) {
		if (val)
			return usage_error(sc, name, "takes no value");
		cfg->pv[pi].given = 1;
		cfg->pv[pi].u = 1;
		return 0;
	}
	if (c->name && !c->arg) {
		if (val)
			return usage_error(sc, name, "takes no value");
		if (!strcmp(name, "quiet"))
			cfg->quiet = 1;
		if (!strcmp(name, "timeline"))
			cfg->timeline = 1;
		return 0;
	}
	if (!val && *i + 1 < argc)
		val = argv[++*i];
	else if (!val)
		return usage_error(sc, name, "needs a value (see --help)");
	if (strlen(val) > MAX_VALUE)
		return usage_error(sc, name, "a value of %zu characters (at "
				   "most %d)", strlen(val), MAX_VALUE);

	if (p) {
		cfg->pv[pi].given = 1;
		return parse_param(sc, p, val, &cfg->pv[pi]);
	}
	if (!strcmp(name, "models") || !strcmp(name, "model"))
		return parse_models(sc, name, val, cfg);
	if (!strcmp(name, "workers")) {
		free(cfg->workers);
		if (parse_list(val, 1, MAX_WORKERS, MAX_LIST, &cfg->workers,
			       &cfg->nworkers, err, sizeof(err)))
			return usage_error(sc, name, "%s", err);
		return 0;
	}
	if (!strcmp(name, "tasks")) {
		if (parse_count(val, 1, MAX_TASKS, &cfg->tasks, err,
				sizeof(err)))
			return usage_error(sc, name, "%s", err);
		return 0;
	}
	if (!strcmp(name, "size")) {
		if (parse_size(val, 1, sc->size_max ? sc->size_max : 1ULL << 40,
			       &cfg->size, err, sizeof(err)))
			return usage_error(sc, name, "%s%s%s", err,
					   sc->size_max_why ? ": " : "",
					   sc->size_max_why ?
					   sc->size_max_why : "");
		return 0;
	}
	if (!strcmp(name, "repeat") || !strcmp(name, "warmup")) {
		int rep = !strcmp(name, "repeat");

		if (parse_count(val, rep ? 1 : 0, 1000, &v, err, sizeof(err)))
			return usage_error(sc, name, "%s", err);
		*(rep ? &cfg->repeat : &cfg->warmup) = (unsigned)v;
		return 0;
	}
	if (!strcmp(name, "cpus"))
		return parse_cpus(sc, val, cfg);
	if (!strcmp(name, "switch-interval")) {
		if (parse_duration(val, 1e-6, 1, &cfg->switch_interval_s, err,
				   sizeof(err)))
			return usage_error(sc, name, "%s", err);
		return 0;
	}
	if (!strcmp(name, "python")) {
		if (!*val)
			return usage_error(sc, name, "the value is empty");
		cfg->python = val;
		return 0;
	}
	if (!strcmp(name, "py-timeout")) {
		if (parse_duration(val, 0.001, 86400, &cfg->py_timeout_s, err,
				   sizeof(err)))
			return usage_error(sc, name, "%s", err);
		return 0;
	}
	if (!strcmp(name, "out")) {
		if (!*val)
			return usage_error(sc, name, "the value is empty");
		cfg->out = val;
		return 0;
	}
	return usage_error(sc, name, "unhandled option");
}

/* The interpreter of the py-* parts: one named (--python, PVT_PYTHON)
 * must be a usable Python 3, or the run is refused; python3 missing
 * from PATH, or no way to ask it (no file descriptors left), only skips
 * them. A run that names none and asks for no py-* model (spawn's
 * py-* mechanisms are not models) asks python3 on first use, if ever.
 * Returns 0, 2, or 128+signal when interrupted. */
static int choose_python(const struct scenario *sc, const struct config *cfg)
{
	const char *env = getenv("PVT_PYTHON");
	int wanted = cfg->python || (env && *env), rc;
	char why[512];

	for (size_t i = 0; i < cfg->nmodels; i++)
		wanted |= MODEL_IS_PYTHON(cfg->models[i]);
	if (!wanted) {		/* asked on first use, if ever */
		python_timeout(cfg->py_timeout_s);
		return 0;
	}
	/* EINVAL: the one named is refused; otherwise py-* are skipped */
	rc = python_select(cfg->python, cfg->py_timeout_s, why, sizeof(why)) ?
	     errno : 0;
	if (cli_interrupted())
		return 128 + cli_interrupted();
	if (rc != EINVAL)
		return 0;
	return usage_error(sc, cfg->python ? "python" : NULL, "%s (accepted: "
			   "a Python %d.%d or later)", why, PYTHON_MIN_MAJOR,
			   PYTHON_MIN_MINOR);
}

int cli_parse(const struct scenario *sc, int argc, char **argv, int quick,
	      struct config *cfg)
{
	size_t nq = 0;
	char **all;
	int n = 0, rc;

	memset(cfg, 0, sizeof(*cfg));
	/* suite --quick's options go first, so the user's win */
	while (quick && sc->quick && sc->quick[nq])
		nq++;
	all = calloc((size_t)argc + nq + 1, sizeof(*all));
	if (!all)
		return usage_error(sc, NULL, "out of memory");
	all[n++] = argv[0];
	for (size_t i = 0; i < nq; i++)
		all[n++] = (char *)sc->quick[i];
	for (int i = 1; i < argc; i++)
		all[n++] = argv[i];

	rc = set_defaults(sc, cfg);
	for (int i = 1; !rc && i < n; i++)
		rc = apply(sc, cfg, n, all, &i);
	if (!rc) {
		cfg->quick = quick;
		cfg->command = join_args(sc->name, n, all);
	}
	free(all);
	if (rc)
		cli_config_free(cfg);
	return rc;
}

int cli_run(const struct scenario *sc, int argc, char **argv, int quick)
{
	struct config cfg;
	int rc;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			print_help(sc);
			return 0;
		}
	}
	rc = cli_parse(sc, argc, argv, quick, &cfg);
	if (rc)
		return rc;
	rc = check_out(sc, cfg.out);
	if (!rc) {
		/* first: a Ctrl-C from now on stops the run and says so,
		 * even while the image is read (pvt-nop, stopped, waits) */
		rc = catch_signals(sc) ? 1 : 0;
		if (!rc)
			config_image_read(&cfg);
		progress_init(cfg.quiet);
		events_init();
		if (!rc && sc->python)
			rc = choose_python(sc, &cfg);
		if (!rc)
			rc = sc->run(&cfg);
		if (cli_interrupted())
			fprintf(stderr, "pvt: %s: interrupted by SIG%s: every "
				"worker stopped\n",
				sc->name, sigabbrev_np(cli_interrupted()));
	}
	cli_config_free(&cfg);
	return rc;
}

void cli_explain(const struct scenario *sc)
{
	printf("%s: %s\n\nLesson\n  %s\n\nMethod\n  %s\n\n", sc->name,
	       sc->summary, sc->lesson, sc->method);
	print_help(sc);
}

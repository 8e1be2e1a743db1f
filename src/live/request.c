/* request.c - a run request from the page, checked as the command line is */
#define _DEFAULT_SOURCE		/* strsep */
#include "live/live.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "face/parse.h"
#include "face/registry.h"
#include "output/events.h"

/* The request's JSON, read by a parser that knows only what a request
 * holds: one object of strings, numbers and arrays of strings. */
struct reader {
	const char *p, *end;
	char *msg;
	size_t msglen;
};

static int bad(struct reader *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Writes why the request is refused into r->msg; returns -1 with errno
 * EINVAL. */
static int bad(struct reader *r, const char *fmt, ...)
{
	size_t off = (size_t)snprintf(r->msg, r->msglen, "pvt: live: ");
	va_list ap;

	if (off < r->msglen) {
		va_start(ap, fmt);
		vsnprintf(r->msg + off, r->msglen - off, fmt, ap);
		va_end(ap);
	}
	errno = EINVAL;
	return -1;
}

static void skip_space(struct reader *r)
{
	while (r->p < r->end && (*r->p == ' ' || *r->p == '\t' ||
				 *r->p == '\n' || *r->p == '\r'))
		r->p++;
}

static int expect(struct reader *r, char c)
{
	skip_space(r);
	if (r->p >= r->end || *r->p != c)
		return bad(r, "the request is not the JSON object a run "
			   "needs (expected '%c')", c);
	r->p++;
	return 0;
}

static int peek(struct reader *r, char c)
{
	skip_space(r);
	return r->p < r->end && *r->p == c;
}

static int hex4(const char *p, unsigned *v)
{
	*v = 0;
	for (int i = 0; i < 4; i++) {
		char c = p[i];

		*v <<= 4;
		if (c >= '0' && c <= '9')
			*v |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			*v |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			*v |= (unsigned)(c - 'A' + 10);
		else
			return -1;
	}
	return 0;
}

/* A JSON string into out (at most len - 1 bytes, as UTF-8). Control
 * characters and NUL are refused: no option value holds them. */
static int read_string(struct reader *r, char *out, size_t len)
{
	size_t n = 0;

	if (expect(r, '"'))
		return -1;
	while (r->p < r->end && *r->p != '"') {
		unsigned char c = (unsigned char)*r->p++;
		unsigned cp = c;
		int escaped = c == '\\';
		char enc[4];
		size_t k = 1;

		if (c < 0x20)
			return bad(r, "a control character in a string");
		if (c == '\\') {
			if (r->p >= r->end)
				break;
			c = (unsigned char)*r->p++;
			switch (c) {
			case '"': case '\\': case '/': cp = c; break;
			case 'b': case 'f': case 'n': case 'r': case 't':
				return bad(r, "a control character in a "
					   "string");
			case 'u':
				if (r->end - r->p < 4 || hex4(r->p, &cp))
					return bad(r, "a bad \\u escape");
				r->p += 4;
				if (cp < 0x20 || (cp >= 0xd800 && cp < 0xe000))
					return bad(r, "a control character "
						   "or lone surrogate in a "
						   "string");
				break;
			default:	/* c may be any byte: not echoed */
				return bad(r, "a bad escape in a string");
			}
		}
		if (escaped) {		/* the code point, as UTF-8 */
			if (cp < 0x80) {
				enc[0] = (char)cp;
			} else if (cp < 0x800) {
				enc[0] = (char)(0xc0 | cp >> 6);
				enc[1] = (char)(0x80 | (cp & 0x3f));
				k = 2;
			} else {
				enc[0] = (char)(0xe0 | cp >> 12);
				enc[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
				enc[2] = (char)(0x80 | (cp & 0x3f));
				k = 3;
			}
		} else {
			enc[0] = (char)c;
		}
		if (n + k >= len)
			return bad(r, "a string over %zu bytes", len - 1);
		memcpy(out + n, enc, k);
		n += k;
	}
	if (r->p >= r->end)
		return bad(r, "a string without its closing quote");
	r->p++;
	out[n] = 0;
	return 0;
}

/* A JSON number, kept as its text. */
static int read_number(struct reader *r, char *out, size_t len)
{
	size_t n = 0;

	skip_space(r);
	while (r->p < r->end && *r->p && strchr("+-.0123456789eE", *r->p)) {
		if (n + 1 >= len)
			return bad(r, "a number over %zu characters", len - 1);
		out[n++] = *r->p++;
	}
	if (!n)
		return bad(r, "a field's value is not a string, a number or "
			   "a list of strings");
	out[n] = 0;
	return 0;
}

/* A string, or a number as its text. */
static int read_scalar(struct reader *r, char *out, size_t len)
{
	return peek(r, '"') ? read_string(r, out, len) :
			      read_number(r, out, len);
}

static int read_args(struct reader *r, struct job *job)
{
	char word[LIVE_ARG_MAX + 1];

	if (expect(r, '['))
		return -1;
	if (peek(r, ']'))
		return expect(r, ']');
	do {
		if (job->argc >= LIVE_MAX_ARGS)
			return bad(r, "more than %d option words",
				   LIVE_MAX_ARGS);
		if (read_string(r, word, sizeof(word)))
			return -1;
		job->argv[job->argc] = strdup(word);
		if (!job->argv[job->argc]) {
			bad(r, "out of memory");
			errno = ENOMEM;
			return -1;
		}
		job->argc++;
		skip_space(r);
	} while (peek(r, ',') && !expect(r, ','));
	return expect(r, ']');
}

/* The fields of the request, into job and the texts given. */
static int read_object(struct reader *r, struct job *job, char *scenario,
		       char *workers)
{
	unsigned seen = 0;

	if (expect(r, '{'))
		return -1;
	if (peek(r, '}'))
		return expect(r, '}');
	do {
		static const char *const keys[] = { "scenario", "args",
						    "model", "workers",
						    "prediction" };
		char key[32];
		size_t k;
		int rc;

		if (read_string(r, key, sizeof(key)) || expect(r, ':'))
			return -1;
		for (k = 0; k < 5 && strcmp(key, keys[k]); k++)
			;
		if (k == 5)
			return bad(r, "unknown field '%s' (accepted: scenario, "
				   "args, model, workers, prediction)", key);
		if (seen & 1u << k)
			return bad(r, "the field '%s' is given twice", key);
		seen |= 1u << k;
		switch (k) {
		case 0: rc = read_string(r, scenario, 64); break;
		case 1: rc = read_args(r, job); break;
		case 2: rc = read_string(r, job->model, sizeof(job->model));
			break;
		case 3: rc = read_scalar(r, workers, 16); break;
		default:
			rc = read_scalar(r, job->prediction,
					 sizeof(job->prediction));
			break;
		}
		if (rc)
			return -1;
	} while (peek(r, ',') && !expect(r, ','));
	if (expect(r, '}'))
		return -1;
	skip_space(r);
	if (r->p != r->end)
		return bad(r, "text after the request's object");
	return 0;
}

const struct scenario *live_scenario(const char *name)
{
	for (size_t i = 0; scenario_descriptors[i]; i++)
		if (!strcmp(scenario_descriptors[i]->name, name))
			return scenario_descriptors[i];
	return NULL;
}

int live_speedup_claim(const struct scenario *sc)
{
	return (sc->uses & USE_SWEEP) == USE_SWEEP;
}

/* The class limits: what a run may ask for so that it fits its budget on
 * a projector. Returns 0, or -1 with the message. */
static int class_limits(struct reader *r, const struct config *cfg)
{
	const struct scenario *sc = cfg->sc;

	if (sc->uses & USE_WORKERS) {
		unsigned most = 0;

		for (size_t i = 0; i < cfg->nworkers; i++)
			if (cfg->workers[i] > most)
				most = cfg->workers[i];
		if (cfg->nworkers > LIVE_MAX_COUNTS ||
		    most > LIVE_MAX_WORKERS)
			return bad(r, "--workers: at most %d counts of at "
				   "most %d workers in class (a run has %g s)",
				   LIVE_MAX_COUNTS, LIVE_MAX_WORKERS,
				   LIVE_BUDGET_S);
	}
	if ((sc->uses & USE_REPEAT) && cfg->repeat > LIVE_MAX_REPEAT)
		return bad(r, "--repeat: at most %d in class (a run has %g s)",
			   LIVE_MAX_REPEAT, LIVE_BUDGET_S);
	return 0;
}

/* The question and the prediction: a speedup of one of the run's models
 * at one of its worker counts, or a verdict. */
static int check_question(struct reader *r, const struct config *cfg,
			  struct job *job, const char *workers)
{
	char err[128];
	uint64_t w;
	enum model m;
	int found = 0;

	if (!live_speedup_claim(cfg->sc)) {
		if (job->model[0] || workers[0])
			return bad(r, "%s measures no speedup: its question "
				   "has no model or workers", cfg->sc->name);
		if (job->prediction[0] &&
		    strcmp(job->prediction, "holds") &&
		    strcmp(job->prediction, "does not hold"))
			return bad(r, "prediction: '%s' is not one of holds, "
				   "does not hold", job->prediction);
		return 0;
	}
	if (!job->model[0] && !workers[0] && !job->prediction[0])
		return 0;
	if (model_parse(job->model, &m) || m == MODEL_SEQUENTIAL ||
	    !config_has_model(cfg, m))
		return bad(r, "model: '%s' is not one of the run's models "
			   "(besides sequential)", job->model);
	if (parse_count(workers, 1, LIVE_MAX_WORKERS, &w, err, sizeof(err)))
		return bad(r, "workers: %s", err);
	for (size_t i = 0; i < cfg->nworkers; i++)
		found |= cfg->workers[i] == w;
	if (!found)
		return bad(r, "workers: %llu is not one of the run's worker "
			   "counts", (unsigned long long)w);
	job->workers = (unsigned)w;
	if (job->prediction[0]) {
		char *end;
		double v = strtod(job->prediction, &end);

		if (*end || !isfinite(v) || v < 0 || v > 1000)
			return bad(r, "prediction: '%s' is not a speedup "
				   "(a number from 0 to 1000)",
				   job->prediction);
	}
	return 0;
}

int live_request_parse(const char *body, size_t len, struct job *job,
		       char *msg, size_t msglen)
{
	struct reader r = { body, body + len, msg, msglen };
	char scenario[64] = "", workers[16] = "";
	char *argv[LIVE_MAX_ARGS + 2];
	struct config cfg;
	int rc;

	memset(job, 0, sizeof(*job));
	msg[0] = 0;
	if (read_object(&r, job, scenario, workers))
		goto out_bad;
	job->sc = live_scenario(scenario);
	if (!job->sc) {
		bad(&r, "unknown scenario '%s' (see pvt list)", scenario);
		goto out_bad;
	}
	argv[0] = (char *)job->sc->name;
	for (int i = 0; i < job->argc; i++) {
		char name[16];
		const char *val;

		if (!parse_option_word(job->argv[i], name, sizeof(name), &val) &&
		    !strcmp(name, "out")) {
			bad(&r, "--out: chosen by pvt live (each run writes "
			    "into a folder of its own)");
			goto out_bad;
		}
		argv[i + 1] = job->argv[i];
	}
	argv[job->argc + 1] = NULL;
	parse_usage_capture(msg, msglen);
	rc = cli_parse(job->sc, job->argc + 1, argv, 0, &cfg);
	parse_usage_capture(NULL, 0);
	if (rc) {
		errno = EINVAL;		/* cli_parse's usage status */
		goto out_bad;
	}
	rc = class_limits(&r, &cfg) || check_question(&r, &cfg, job, workers);
	cli_config_free(&cfg);
	if (rc) {
		errno = EINVAL;
		goto out_bad;
	}
	return 0;
out_bad:
	rc = errno;
	job_free(job);
	errno = rc;
	return -1;
}

void job_free(struct job *job)
{
	for (int i = 0; i < job->argc; i++)
		free(job->argv[i]);
	memset(job, 0, sizeof(*job));
}

void job_json(FILE *f, const struct job *job)
{
	fprintf(f, "{\"id\":%u,\"scenario\":", job->id);
	events_put_str(f, job->sc->name);
	fputs(",\"args\":[", f);
	for (int i = 0; i < job->argc; i++) {
		fputs(i ? "," : "", f);
		events_put_str(f, job->argv[i]);
	}
	fputs("],\"model\":", f);
	events_put_str(f, job->model);
	fprintf(f, ",\"workers\":%u,\"prediction\":", job->workers);
	events_put_str(f, job->prediction);
	fputc('}', f);
}

/* Whether the words hold option --name. */
static int has_option(const char *const *words, const char *name)
{
	for (size_t i = 0; words && words[i]; i++) {
		char n[64];
		const char *val;

		if (!parse_option_word(words[i], n, sizeof(n), &val) &&
		    !strcmp(n, name))
			return 1;
	}
	return 0;
}

void live_default_args(FILE *f, const struct scenario *sc)
{
	const char *const *words = sc->live ? sc->live : sc->quick;
	const char *sep = "";

	fputc('[', f);
	for (size_t i = 0; words && words[i]; i++) {
		fputs(sep, f);
		events_put_str(f, words[i]);
		sep = ",";
	}
	if ((sc->uses & USE_MODELS) && sc->models &&
	    !has_option(words, "models")) {
		char models[256] = "", *copy = strdup(sc->models), *rest, *tok;

		for (rest = copy; copy && (tok = strsep(&rest, ","));) {
			enum model m;

			if (!model_parse(tok, &m) && !MODEL_IS_PYTHON(m) &&
			    strlen(models) + strlen(tok) + 2 < sizeof(models))
				snprintf(models + strlen(models),
					 sizeof(models) - strlen(models),
					 "%s%s", models[0] ? "," : "", tok);
		}
		free(copy);
		fprintf(f, "%s\"--models\",", sep);
		events_put_str(f, models);
	}
	fputc(']', f);
}

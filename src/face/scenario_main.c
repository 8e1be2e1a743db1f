/* scenario_main.c - build/bin/NAME: one scenario with pvt run's options
 *
 * Each scenario is its own binary, linking only the parts it uses, so
 * that a measured fork is the fork of a small process. The driver runs it
 * for every command that needs the scenario's descriptor:
 *   NAME [options]                 pvt run NAME [options]
 *   NAME --explain                 pvt explain NAME
 *   NAME --summary                 its line of pvt list
 *   NAME --suite [--quick] --out DIR
 *                                  its turn in pvt suite: its defaults,
 *                                  with a timeline where it records one
 */
#include <stdio.h>
#include <string.h>

#include "face/scenario.h"

extern const struct scenario PVT_SCENARIO;

/* Its turn in pvt suite: argv holds [--quick] --out DIR. */
static int suite(const struct scenario *sc, int argc, char **argv)
{
	char *args[5] = { argv[0] };
	int n = 1, quick = 0;

	for (int i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--quick")) {
			quick = 1;
		} else if (!strcmp(argv[i], "--out") && i + 1 < argc) {
			args[n++] = argv[i++];
			args[n++] = argv[i];
		} else {
			fprintf(stderr, "pvt: %s: --suite: unexpected '%s' "
				"(accepted: --quick, --out DIR)\n", sc->name,
				argv[i]);
			return 2;
		}
	}
	if (sc->uses & USE_TIMELINE)
		args[n++] = "--timeline";
	printf("\n=== %s: %s\n", sc->name, sc->summary);
	return cli_run(sc, n, args, quick);
}

int main(int argc, char **argv)
{
	const struct scenario *sc = &PVT_SCENARIO;
	const char *first = argc > 1 ? argv[1] : "";

	if (!strcmp(first, "--summary") && argc == 2) {
		printf("%s\n", sc->summary);
		return 0;
	}
	if (!strcmp(first, "--explain") && argc == 2) {
		cli_explain(sc);
		return 0;
	}
	if (!strcmp(first, "--suite"))
		return suite(sc, argc, argv);
	return cli_run(sc, argc, argv, 0);
}

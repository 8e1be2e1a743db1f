/* scenario_main.c - build/bin/NAME: one scenario with pvt run's options */
#include <stdio.h>

#include "face/scenario.h"

int main(int argc, char **argv)
{
	const struct scenario *sc = scenario_find(PVT_SCENARIO);

	if (!sc) {
		fprintf(stderr, "pvt: %s is not in the registry\n",
			PVT_SCENARIO);
		return 2;
	}
	return cli_run(sc, argc, argv, 0);
}

/* registry.c - every scenario pvt knows, in the order it teaches them
 *
 * Adding a scenario: write scenarios/NAME.c ending with
 * `const struct scenario scenario_NAME = {...}` and add one X(NAME) line
 * below. CMake builds build/bin/NAME from the file by itself, and the
 * driver runs that binary for pvt run, explain, list and suite: the
 * driver holds only the names, never the scenarios' code. pvt-live, which
 * checks run requests with each scenario's own options, builds this file
 * with PVT_REGISTRY_DESCRIPTORS and links every scenario.
 */
#include "face/registry.h"

#include <stddef.h>

#define SCENARIOS(X) \
	X(hello) \
	X(square) \
	X(download) \
	X(spawn) \
	X(memory) \
	X(isolation) \
	X(shared_array) \
	X(ipc) \
	X(race) \
	X(crash) \
	X(pool) \
	X(convoy)

#define NAME(name) #name,

const char *const scenario_names[] = {
	SCENARIOS(NAME)
	NULL,
};

#ifdef PVT_REGISTRY_DESCRIPTORS
#include "face/scenario.h"

#define DECLARE(name) extern const struct scenario scenario_##name;
#define ENTRY(name) &scenario_##name,

SCENARIOS(DECLARE)

const struct scenario *const scenario_descriptors[] = {
	SCENARIOS(ENTRY)
	NULL,
};
#endif

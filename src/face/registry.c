/* registry.c - every scenario pvt knows, in the order it teaches them
 *
 * Adding a scenario: write scenarios/NAME.c ending with
 * `const struct scenario scenario_NAME = {...}` and add one X(NAME) line
 * below. CMake builds build/bin/NAME from the file by itself.
 */
#include "face/scenario.h"

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

#define DECLARE(name) extern const struct scenario scenario_##name;
#define ENTRY(name) &scenario_##name,

SCENARIOS(DECLARE)

const struct scenario *const scenarios[] = {
	SCENARIOS(ENTRY)
	NULL,
};

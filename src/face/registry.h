/* registry.h - the names of the scenarios, for the driver */
#ifndef PVT_REGISTRY_H
#define PVT_REGISTRY_H

/* NULL-terminated, in the order pvt list and pvt suite present them. Each
 * name is a program, NAME, found by paths_program (engine/paths.h). */
extern const char *const scenario_names[];

#endif

/* registry.h - the names of the scenarios, for the driver */
#ifndef PVT_REGISTRY_H
#define PVT_REGISTRY_H

/* NULL-terminated, in the order pvt list and pvt suite present them. Each
 * name is a program, NAME, found by paths_program (engine/paths.h). */
extern const char *const scenario_names[];

/* Their descriptors, in the same order: only in a binary that builds
 * registry.c with PVT_REGISTRY_DESCRIPTORS and links every scenario
 * (pvt-live). */
struct scenario;
extern const struct scenario *const scenario_descriptors[];

#endif

/* image.c - what a run forks from, beside a libc-only process
 *
 * fork() copies the page tables of every region of its parent, so the
 * cost of a process worker follows the image of the process that makes
 * it. Each scenario runs in a binary of its own that links only what it
 * uses; this records what is left between it and the smallest program.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>

#include "engine/spawn_cost.h"
#include "face/scenario.h"
#include "output/csv.h"

static char minimal_why[256];	/* why cfg->minimal is unknown */

void config_image_read(struct config *cfg)
{
	if (procmem_image(0, &cfg->self))
		cfg->self.maps = -1;
	if (spawn_minimal_image(&cfg->minimal, minimal_why,
				sizeof(minimal_why)))
		cfg->minimal.maps = -1;
}

void config_image_meta(const struct config *cfg, struct csv *c)
{
	if (cfg->self.maps >= 0) {
		csv_meta(c, "process_maps", "%ld", cfg->self.maps);
		csv_meta(c, "process_rss_kib", "%ld", cfg->self.rss_kib);
		csv_meta(c, "process_libraries", "%s",
			 cfg->self.libs[0] ? cfg->self.libs : "libc only");
	}
	if (cfg->minimal.maps >= 0) {
		csv_meta(c, "minimal_maps", "%ld", cfg->minimal.maps);
		csv_meta(c, "minimal_rss_kib", "%ld", cfg->minimal.rss_kib);
	}
}

void config_image_say(const struct config *cfg)
{
	const struct procmem_image *s = &cfg->self, *m = &cfg->minimal;

	if (s->maps < 0)
		return;
	printf("  %s forks from %ld memory regions and %.1f MiB resident",
	       cfg->sc->name, s->maps, s->rss_kib / 1024.0);
	if (m->maps < 0) {
		printf(" (no libc-only process to compare: %s)\n",
		       minimal_why);
		return;
	}
	printf(";\n  a libc-only program (pvt-nop) has %ld and %.1f MiB. ",
	       m->maps, m->rss_kib / 1024.0);
	if (s->libs[0])
		printf("Beyond libc it maps %s;\n  the rest is its own code, "
		       "heap and stacks\n", s->libs);
	else
		printf("It maps no library beyond libc;\n  the difference is "
		       "its own code, heap and stacks\n");
}

/*
 * plan.h -- from the map and the guests to what each guest's settings
 * must be and where they differ.  Pure: no I/O.  Every command that
 * changes or judges anything is "build a plan, then print, check or
 * carry it out".  The planner turns a row into a share (G and X pages);
 * each guest's kind turns the share into its settings.
 */
#ifndef VZMEM_PLAN_H
#define VZMEM_PLAN_H

#include <stddef.h>
#include <stdint.h>

#include "kind.h"
#include "world.h"

struct plan {
	const struct world *w;
	const struct opts *o;
	struct gplan	*gps;		/* every guest with a row, map order */
	size_t		 n;
	uint64_t	 blk_kb;	/* one block */
	uint64_t	 page_bytes;
	unsigned	 gap;
};

/*
 * Build the plan for a validated world.  Every error (a value a kind
 * cannot read, a share beyond what a kind can hold) is reported with its
 * place; returns their number.
 */
size_t	 plan_build(const struct world *, const struct opts *,
	    struct plan *);

/*
 * A row's share in pages: G = floor(eq * blk / page), X likewise.
 * 0, or -1 when a side would pass max pages (nothing is set then).
 */
int	 row_share(const struct map_row *, uint64_t, uint64_t, uint64_t,
	    struct share *);

/* Whether gp needs anything done: a persisted or live value differs. */
int	 gplan_differs(const struct gplan *);

void	 plan_free(struct plan *);

#endif

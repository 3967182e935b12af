/*
 * plan.c -- every guest with a row gets its share of the map, in whole
 * pages, and its kind plans its settings from it.  Pure: reads memory,
 * writes nothing (but messages).
 */
#include <stdlib.h>
#include <string.h>

#include "plan.h"

__extension__ typedef unsigned __int128 u128;

/* A share side: pages of n blocks, at most max. */
static int	 side(size_t, uint64_t, uint64_t, uint64_t, uint64_t *);

static int
side(size_t n, uint64_t blk_kb, uint64_t page_kb, uint64_t max,
    uint64_t *out)
{
	u128 pages = (u128)n * blk_kb / page_kb;

	if (pages > max)
		return -1;
	*out = (uint64_t)pages;
	return 0;
}

int
row_share(const struct map_row *r, uint64_t blk_kb, uint64_t page_kb,
    uint64_t max, struct share *s)
{
	struct share t;

	if (side(r->eq, blk_kb, page_kb, max, &t.g) == -1 ||
	    side(r->plus, blk_kb, page_kb, max, &t.x) == -1 ||
	    t.g > max - t.x)
		return -1;
	*s = t;
	return 0;
}

size_t
plan_build(const struct world *w, const struct opts *o, struct plan *p)
{
	const struct host *h = &w->host;
	size_t i, errors = 0;

	memset(p, 0, sizeof(*p));
	p->w = w;
	p->o = o;
	p->gap = o->gap;
	p->blk_kb = h->mem_kb / w->map.n;
	p->page_bytes = h->page_bytes;
	p->gps = xcalloc(w->nguests + 1, sizeof(*p->gps));
	for (i = 0; i < w->nguests; i++) {
		struct guest *g = &w->guests[i];
		struct gplan *gp;

		if (g->row == NULL)
			continue;
		gp = &p->gps[p->n++];
		gp->guest = g;
		/*
		 * Sides beyond INT64_MAX pages are no kind's business: the
		 * kinds check their own, smaller, maximum on the sum.
		 */
		if (row_share(g->row, p->blk_kb, h->page_kb, INT64_MAX,
		    &gp->share) == -1) {
			struct where at = { w->mapshown, g->row->line,
			    g->row->bar_col, g->id, NULL };

			vz_report(&at, VZ_LERROR, "%s: %zu '=' and %zu '+' "
			    "blocks of %lluK are more memory than any guest "
			    "can be given", g->id, g->row->eq, g->row->plus,
			    (unsigned long long)p->blk_kb);
			errors++;
			p->n--;
			continue;
		}
		errors += g->kind->plan(p, gp);
	}
	/* Exact size: the guests without a row take no room. */
	p->gps = xreallocarray(p->gps, p->n + 1, sizeof(*p->gps));
	return errors;
}

int
gplan_differs(const struct gplan *gp)
{
	return gp->pdirty != 0 || gp->ldirty != 0;
}

void
plan_free(struct plan *p)
{
	free(p->gps);
	memset(p, 0, sizeof(*p));
}

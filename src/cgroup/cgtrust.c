/*
 * cgtrust.c -- what a guest's settings may not make vzmem write (SPEC
 * 5c): another guest's cgroup or the host's.
 *
 *	- an lxc.cgroup.dir.container (or lxc.cgroup.dir) that is not the
 *	  container's (lxc_cgroup_foreign: the host's slices, a systemd
 *	  unit, a last component other than NAME or lxc.payload.NAME): an
 *	  error for a mapped container, a warning for one -a leaves alone;
 *	- two rows claiming one cgroup (lxc:web and cg:lxc.payload.web; a
 *	  container's claims are every cgroup lxc_cgroup_find may take for
 *	  it, whether it runs or not): an error naming both rows.  Else the
 *	  two would fight over its files on every -a, and its RAM be booked
 *	  twice.
 *
 * Checked once the rows are linked (world_validate), from the configs
 * alone: -e checks an edited map the same way, without live state.
 */
#include <stdlib.h>
#include <string.h>

#include "cgroup/cgroup.h"
#include "world.h"

#define LXC_PREFIX	"lxc:"
#define CG_PREFIX	"cg:"
#define NCLAIMS		4	/* lxc_cgroup_claims' most */

/* One cgroup a mapped guest claims. */
struct claim {
	const char	*path;
	char		*own;		/* allocated, or NULL */
	size_t		 idx;		/* in w->guests */
};

static size_t	 check_foreign(const struct guest *);
static size_t	 add_claims(const struct world *, size_t, struct claim *);
static int	 claim_cmp(const void *, const void *);
static int	 said_before(const struct claim *, size_t, size_t);
static size_t	 check_claims(const struct world *);

/* An lxc.cgroup.dir* of the container that is not its own. */
static size_t
check_foreign(const struct guest *g)
{
	const struct cgg *r = cgg_of(g);
	const char *key, *why;
	struct buf q = { NULL, 0, 0 };
	size_t line = 0;
	char *v;

	if (!lxc_cgroup_foreign(&r->conf, g->id + strlen(LXC_PREFIX), &key,
	    &v, &line, &why))
		return 0;
	cg_quote(&q, v, strlen(v));
	{
		struct where at = { r->conf.shown, line, 0, g->id, key };

		vz_report(&at, g->row != NULL ? VZ_LERROR : VZ_LWARN,
		    "%s: %s = \"%s\" is not the container's cgroup: %s; "
		    "vzmem reads and writes no cgroup for it (see vzmem(8), "
		    "CGROUP GUESTS)", g->id, key, q.data, why);
	}
	buf_free(&q);
	free(v);
	return g->row != NULL;
}

/* The claims of guest i (mapped, lxc: or cg:) appended at c. */
static size_t
add_claims(const struct world *w, size_t i, struct claim *c)
{
	const struct guest *g = &w->guests[i];
	const struct cgg *r = cgg_of(g);
	char *paths[NCLAIMS];
	size_t n, k, m = 0;

	if (!cgg_is_lxc(g)) {
		c[0].path = g->id + strlen(CG_PREFIX);
		c[0].own = NULL;
		c[0].idx = i;
		return 1;
	}
	n = lxc_cgroup_claims(&r->conf, g->id + strlen(LXC_PREFIX), paths);
	for (k = 0; k < n; k++) {
		c[m].path = c[m].own = paths[k];
		c[m++].idx = i;
	}
	/* Found elsewhere (lxc.cgroup.relative): that one too. */
	if (r->path != NULL) {
		for (k = 0; k < n && strcmp(paths[k], r->path) != 0; k++)
			;
		if (k == n) {
			c[m].path = r->path;
			c[m].own = NULL;
			c[m++].idx = i;
		}
	}
	return m;
}

static int
claim_cmp(const void *a, const void *b)
{
	const struct claim *x = a, *y = b;
	int c = strcmp(x->path, y->path);

	if (c != 0)
		return c;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/* The pair (c[i].idx, c[j].idx) met already among the claims before
 * i: said once, however many cgroups the two share. */
static int
said_before(const struct claim *c, size_t i, size_t j)
{
	size_t a, b;

	for (a = 0; a < i; a++)
		for (b = a + 1; b < i && strcmp(c[b].path, c[a].path) == 0;
		    b++)
			if (c[a].idx == c[i].idx && c[b].idx == c[j].idx)
				return 1;
	return 0;
}

/*
 * Every mapped cgroup guest's claims, sorted: an equal path of two
 * guests is two rows naming one cgroup.  n log n in the claims; the
 * pair check is quadratic only among the guests that collide.
 */
static size_t
check_claims(const struct world *w)
{
	struct claim *c;
	size_t i, j, n = 0, errors = 0;

	c = xreallocarray(NULL, w->nguests * (NCLAIMS + 1) + 1, sizeof(*c));
	for (i = 0; i < w->nguests; i++) {
		const struct guest *g = &w->guests[i];

		if ((g->kind == &lxc_kind || g->kind == &cg_kind) &&
		    g->row != NULL)
			n += add_claims(w, i, c + n);
	}
	qsort(c, n, sizeof(*c), claim_cmp);
	for (i = 0; i < n; i++)
		for (j = i + 1; j < n && strcmp(c[j].path, c[i].path) == 0;
		    j++) {
			const struct guest *a = &w->guests[c[i].idx];
			const struct guest *b = &w->guests[c[j].idx];

			if (a == b || said_before(c, i, j))
				continue;
			{
				struct where at = { w->mapshown, b->row->line,
				    0, b->id, NULL };

				vz_report(&at, VZ_LERROR, "%s (line %lu) and "
				    "%s name one cgroup, %s: they would fight "
				    "over its limits and book its RAM twice; "
				    "keep one row", a->id,
				    (unsigned long)a->row->line, b->id,
				    c[i].path);
			}
			errors++;
		}
	for (i = 0; i < n; i++)
		free(c[i].own);
	free(c);
	return errors;
}

size_t
cgk_validate(const struct world *w)
{
	size_t i, errors = 0;

	if (cgk_of(w, &lxc_kind) == NULL || cgk_of(w, &cg_kind) == NULL)
		return 0;
	for (i = 0; i < w->nguests; i++)
		if (w->guests[i].kind == &lxc_kind)
			errors += check_foreign(&w->guests[i]);
	return errors + check_claims(w);
}

/*
 * plan.c -- what each container's memory parameters must be, given its
 * row in the map, and how that differs from its conf and its live
 * beancounters.  Pure: reads memory, writes nothing (but messages).
 *
 * With g '=' and x '+' blocks, G and X pages (SPEC section 4):
 *	legacy UBC	VMGUARPAGES G:unlimited   OOMGUARPAGES G+X:unlimited
 *			PRIVVMPAGES G+X:(G+X)*(100+gap)/100   SHMPAGES G:G
 *	VSwap		PHYSPAGES 0:G   SWAPPAGES 0:X, and when present
 *			VMGUARPAGES G+X:unlimited   OOMGUARPAGES G:unlimited
 */
#include <stdlib.h>
#include <string.h>

#include "plan.h"

const char *const param_names[P_N] = {
	"VMGUARPAGES", "PRIVVMPAGES", "OOMGUARPAGES", "SHMPAGES",
	"PHYSPAGES", "SWAPPAGES"
};

/* The beancounter of each parameter, for the live comparison. */
static const enum ubc_res param_ubc[P_N] = {
	UBC_VMGUARPAGES, UBC_PRIVVMPAGES, UBC_OOMGUARPAGES, UBC_SHMPAGES,
	UBC_PHYSPAGES, UBC_SWAPPAGES
};

static int	 is_vswap(const struct ct *, uint64_t, size_t *);
static int	 peek(const struct conf *, const char *, uint64_t, int,
		    struct value *, int *);
static uint64_t	 min_u64(uint64_t, uint64_t);
static void	 want(struct ctplan *, enum param, uint64_t, uint64_t);
static size_t	 plan_ct(struct ctplan *, const struct world *, unsigned);
static size_t	 read_old(struct ctplan *, uint64_t);

/* VSwap: a PHYSPAGES limit that is set and not unlimited. */
static int
is_vswap(const struct ct *ct, uint64_t page_bytes, size_t *errors)
{
	struct value v;
	int r;

	r = conf_value(&ct->conf, "PHYSPAGES", page_bytes, &v);
	if (r == -1)
		(*errors)++;
	return r == 1 && v.limit != VAL_UNLIMITED;
}

static void
want(struct ctplan *cp, enum param p, uint64_t barrier, uint64_t limit)
{
	struct change *c = &cp->ch[cp->nch++];

	memset(c, 0, sizeof(*c));
	c->param = p;
	c->want.barrier = barrier;
	c->want.limit = limit;
}

/* The conf's present values, and what differs from them and from live. */
static size_t
read_old(struct ctplan *cp, uint64_t page_bytes)
{
	const struct ubc_ct *live = cp->ct->live;
	size_t i, errors = 0;

	for (i = 0; i < cp->nch; i++) {
		struct change *c = &cp->ch[i];
		int r;

		r = conf_value(&cp->ct->conf, param_names[c->param],
		    page_bytes, &c->old);
		if (r == -1)
			errors++;
		c->had = r == 1;
		c->conf_differs = !c->had || !value_eq(&c->old, &c->want);
		c->text = value_format(&c->want, c->had ? &c->old : NULL);
		if (live != NULL &&
		    (live->present & (1u << param_ubc[c->param])) != 0) {
			const struct ubc_val *u = &live->res[param_ubc[c->param]];

			c->has_live = 1;
			c->live.barrier = u->barrier;
			c->live.limit = u->limit;
			c->live_differs = u->barrier != c->want.barrier ||
			    u->limit != c->want.limit;
		}
		cp->conf_dirty |= c->conf_differs;
		cp->live_dirty |= c->live_differs;
	}
	return errors;
}

static size_t
plan_ct(struct ctplan *cp, const struct world *w, unsigned gap)
{
	const struct host *h = &w->host;
	const struct map_row *r = cp->ct->row;
	uint64_t blk = h->mem_kb / w->map.n, g, x;
	size_t errors = 0;

	g = cp->g = (uint64_t)r->eq * blk / h->page_kb;
	x = cp->x = (uint64_t)r->plus * blk / h->page_kb;
	cp->vswap = is_vswap(cp->ct, h->page_bytes, &errors);
	if (cp->vswap) {
		if (conf_find(&cp->ct->conf, "VMGUARPAGES") >= 0)
			want(cp, P_VMGUARPAGES, g + x, VAL_UNLIMITED);
		if (conf_find(&cp->ct->conf, "OOMGUARPAGES") >= 0)
			want(cp, P_OOMGUARPAGES, g, VAL_UNLIMITED);
		want(cp, P_PHYSPAGES, 0, g);
		want(cp, P_SWAPPAGES, 0, x);
	} else {
		want(cp, P_VMGUARPAGES, g, VAL_UNLIMITED);
		want(cp, P_PRIVVMPAGES, g + x, (g + x) * (100 + gap) / 100);
		want(cp, P_OOMGUARPAGES, g + x, VAL_UNLIMITED);
		want(cp, P_SHMPAGES, g, g);
	}
	return errors + read_old(cp, h->page_bytes);
}

size_t
plan_build(const struct world *w, unsigned gap, struct plan *p)
{
	size_t i, errors = 0;

	memset(p, 0, sizeof(*p));
	p->gap = gap;
	p->blk_kb = w->host.mem_kb / w->map.n;
	p->cts = xcalloc(w->ncts + 1, sizeof(*p->cts));
	for (i = 0; i < w->ncts; i++) {
		struct ctplan *cp;

		if (w->cts[i].row == NULL)
			continue;
		cp = &p->cts[p->n++];
		cp->ct = &w->cts[i];
		errors += plan_ct(cp, w, gap);
	}
	return errors;
}

int
ctplan_needs_vzctl(const struct ctplan *cp)
{
	return cp->conf_dirty || cp->live_dirty;
}

char **
plan_argv(const struct ctplan *cp, const char *vzctl)
{
	char **argv;
	size_t i, k = 0;

	argv = xcalloc(2 * cp->nch + 5, sizeof(*argv));
	argv[k++] = xstrdup(vzctl);
	argv[k++] = xstrdup("set");
	argv[k++] = xstrdup(cp->ct->ctid);
	for (i = 0; i < cp->nch; i++) {
		const char *n = param_names[cp->ch[i].param];
		char *opt = xasprintf("--%s", n);
		char *s;

		for (s = opt; *s; s++)
			if (*s >= 'A' && *s <= 'Z')
				*s = (char)(*s - 'A' + 'a');
		argv[k++] = opt;
		argv[k++] = xstrdup(cp->ch[i].text);
	}
	argv[k++] = xstrdup("--save");
	argv[k] = NULL;
	return argv;
}

void
argv_free(char **argv)
{
	size_t i;

	if (argv == NULL)
		return;
	for (i = 0; argv[i] != NULL; i++)
		free(argv[i]);
	free(argv);
}

void
plan_set_conf(const struct ctplan *cp)
{
	size_t i;

	for (i = 0; i < cp->nch; i++)
		if (cp->ch[i].conf_differs)
			conf_set(&cp->ct->conf, param_names[cp->ch[i].param],
			    cp->ch[i].text);
}

void
plan_free(struct plan *p)
{
	size_t i, j;

	for (i = 0; i < p->n; i++)
		for (j = 0; j < p->cts[i].nch; j++)
			free(p->cts[i].ch[j].text);
	free(p->cts);
	memset(p, 0, sizeof(*p));
}

static uint64_t
min_u64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

/* conf_value, or silently when quiet; *bad set on an invalid value. */
static int
peek(const struct conf *c, const char *name, uint64_t page_bytes, int quiet,
    struct value *v, int *bad)
{
	int r;

	r = quiet ? conf_peek(c, name, page_bytes, v, NULL, NULL) :
	    conf_value(c, name, page_bytes, v);
	*bad |= r == -1;
	return r;
}

int
conf_shares(const struct host *h, const struct conf *c, int quiet,
    uint64_t *g_out, uint64_t *t_out)
{
	uint64_t ram = h->mem_kb / h->page_kb;
	uint64_t all = (h->mem_kb + h->swap_kb) / h->page_kb;
	uint64_t g = 0, t = 0;
	struct value v;
	int bad = 0;

	if (peek(c, "PHYSPAGES", h->page_bytes, quiet, &v, &bad) == 1 &&
	    v.limit != VAL_UNLIMITED) {
		g = min_u64(v.limit, ram);
		t = g;
		if (peek(c, "SWAPPAGES", h->page_bytes, quiet, &v, &bad) == 1)
			t = g + min_u64(v.limit, all);
	} else {
		if (peek(c, "VMGUARPAGES", h->page_bytes, quiet, &v,
		    &bad) == 1)
			g = min_u64(v.barrier, ram);
		if (peek(c, "PRIVVMPAGES", h->page_bytes, quiet, &v,
		    &bad) == 1)
			t = v.barrier;
	}
	t = min_u64(t, all);
	*g_out = g;
	*t_out = t > g ? t : g;
	return bad ? -1 : 0;
}

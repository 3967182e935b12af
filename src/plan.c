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

/* vzctl's option for each: "--" and the name in lower case. */
static const char *const param_opts[P_N] = {
	"--vmguarpages", "--privvmpages", "--oomguarpages", "--shmpages",
	"--physpages", "--swappages"
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
static int	 want(const struct plan *, const struct ctplan *, enum param,
		    struct value *);
static int	 compare(const struct plan *, const struct ctplan *,
		    enum param, int, struct change *);
static size_t	 plan_ct(struct ctplan *, const struct world *,
		    const struct plan *);

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

/* What the map asks of parameter p (see the top); 0 if p is not set. */
static int
want(const struct plan *p, const struct ctplan *cp, enum param pm,
    struct value *v)
{
	uint64_t g = cp->g, x = cp->x, b, l = VAL_UNLIMITED;

	if (!(cp->set & 1u << pm))
		return 0;
	switch (pm) {
	case P_VMGUARPAGES:
		b = cp->vswap ? g + x : g;
		break;
	case P_PRIVVMPAGES:
		b = g + x;
		l = (g + x) * (100 + p->gap) / 100;
		break;
	case P_OOMGUARPAGES:
		b = cp->vswap ? g : g + x;
		break;
	case P_SHMPAGES:
		b = l = g;
		break;
	case P_PHYSPAGES:
		b = 0;
		l = g;
		break;
	default:
		b = 0;
		l = x;
		break;
	}
	memset(v, 0, sizeof(*v));
	v->barrier = b;
	v->limit = l;
	return 1;
}

/*
 * Parameter pm against the conf and the live beancounter.  The conf's
 * value is reported when invalid unless quiet; returns -1 then (it
 * counts as absent), else 0.
 */
static int
compare(const struct plan *p, const struct ctplan *cp, enum param pm,
    int quiet, struct change *c)
{
	const struct ubc_ct *live = cp->ct->live;
	const struct conf *cf = &cp->ct->conf;
	int r;

	memset(c, 0, sizeof(*c));
	c->param = pm;
	want(p, cp, pm, &c->want);
	r = quiet ? conf_peek(cf, param_names[pm], p->page_bytes, &c->old,
	    NULL, NULL) : conf_value(cf, param_names[pm], p->page_bytes,
	    &c->old);
	c->had = r == 1;
	c->conf_differs = !c->had || !value_eq(&c->old, &c->want);
	if (live != NULL && (live->present & 1u << param_ubc[pm]) != 0) {
		const struct ubc_val *u = &live->res[param_ubc[pm]];

		c->has_live = 1;
		c->live.barrier = u->barrier;
		c->live.limit = u->limit;
		c->live_differs = u->barrier != c->want.barrier ||
		    u->limit != c->want.limit;
	}
	return r == -1 ? -1 : 0;
}

static size_t
plan_ct(struct ctplan *cp, const struct world *w, const struct plan *p)
{
	const struct host *h = &w->host;
	const struct map_row *r = cp->ct->row;
	size_t errors = 0;
	struct change c;
	int pm;

	cp->g = (uint64_t)r->eq * p->blk_kb / h->page_kb;
	cp->x = (uint64_t)r->plus * p->blk_kb / h->page_kb;
	cp->vswap = (unsigned char)is_vswap(cp->ct, h->page_bytes, &errors);
	if (cp->vswap) {
		/* Old UBC parameters are kept in step, never added. */
		if (conf_find(&cp->ct->conf, "VMGUARPAGES") >= 0)
			cp->set |= 1u << P_VMGUARPAGES;
		if (conf_find(&cp->ct->conf, "OOMGUARPAGES") >= 0)
			cp->set |= 1u << P_OOMGUARPAGES;
		cp->set |= 1u << P_PHYSPAGES | 1u << P_SWAPPAGES;
	} else
		cp->set = 1u << P_VMGUARPAGES | 1u << P_PRIVVMPAGES |
		    1u << P_OOMGUARPAGES | 1u << P_SHMPAGES;
	for (pm = 0; pm < P_N; pm++) {
		if (!(cp->set & 1u << pm))
			continue;
		if (compare(p, cp, (enum param)pm, 0, &c) == -1)
			errors++;
		cp->conf_dirty |= (unsigned char)(c.conf_differs << pm);
		cp->live_dirty |= (unsigned char)(c.live_differs << pm);
	}
	return errors;
}

size_t
plan_build(const struct world *w, unsigned gap, struct plan *p)
{
	size_t i, errors = 0;

	memset(p, 0, sizeof(*p));
	p->gap = gap;
	p->blk_kb = w->host.mem_kb / w->map.n;
	p->page_bytes = w->host.page_bytes;
	p->cts = xcalloc(w->ncts + 1, sizeof(*p->cts));
	for (i = 0; i < w->ncts; i++) {
		struct ctplan *cp;

		if (w->cts[i].row == NULL)
			continue;
		cp = &p->cts[p->n++];
		cp->ct = &w->cts[i];
		errors += plan_ct(cp, w, p);
	}
	/* Exact size: the containers without a row take no room. */
	p->cts = xreallocarray(p->cts, p->n + 1, sizeof(*p->cts));
	return errors;
}

int
ctplan_needs_vzctl(const struct ctplan *cp)
{
	return cp->conf_dirty || cp->live_dirty;
}

int
plan_change(const struct plan *p, const struct ctplan *cp, enum param pm,
    struct change *c)
{
	if (!(cp->set & 1u << pm)) {
		memset(c, 0, sizeof(*c));
		return 0;
	}
	compare(p, cp, pm, 1, c);
	c->text = value_format(&c->want, c->had ? &c->old : NULL);
	return 1;
}

void
change_free(struct change *c)
{
	free(c->text);
	c->text = NULL;
}

void
plan_changes(const struct plan *p, const struct ctplan *cp,
    struct change ch[P_N])
{
	int pm;

	for (pm = 0; pm < P_N; pm++)
		plan_change(p, cp, (enum param)pm, &ch[pm]);
}

void
changes_free(struct change ch[P_N])
{
	int pm;

	for (pm = 0; pm < P_N; pm++)
		change_free(&ch[pm]);
}

char **
plan_argv(const struct ctplan *cp, const struct change ch[P_N],
    const char *vzctl)
{
	char **argv;
	size_t k = 0;
	int pm;

	argv = xcalloc(2 * P_N + 5, sizeof(*argv));
	argv[k++] = xstrdup(vzctl);
	argv[k++] = xstrdup("set");
	argv[k++] = xstrdup(cp->ct->ctid);
	for (pm = 0; pm < P_N; pm++) {
		if (!(cp->set & 1u << pm))
			continue;
		argv[k++] = xstrdup(param_opts[pm]);
		argv[k++] = xstrdup(ch[pm].text);
	}
	argv[k++] = xstrdup("--save");
	argv[k] = NULL;
	return argv;
}

void
plan_set_conf(const struct plan *p, const struct ctplan *cp, struct conf *cf)
{
	struct change c;
	int pm;

	for (pm = 0; pm < P_N; pm++) {
		if (!(cp->conf_dirty & 1u << pm))
			continue;
		plan_change(p, cp, (enum param)pm, &c);
		conf_set(cf, param_names[pm], c.text);
		change_free(&c);
	}
}

void
plan_free(struct plan *p)
{
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

/*
 * openvz.c -- the OpenVZ guest kind: what each container's memory
 * parameters must be, given its share, and how that differs from its
 * conf and its live beancounters.
 *
 * With G and X pages (SPEC section 4):
 *	legacy UBC	VMGUARPAGES G:unlimited   OOMGUARPAGES G+X:unlimited
 *			PRIVVMPAGES G+X:(G+X)*(100+gap)/100   SHMPAGES G:G
 *	VSwap		PHYSPAGES 0:G   SWAPPAGES 0:X, and when present
 *			VMGUARPAGES G+X:unlimited   OOMGUARPAGES G:unlimited
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bcres.h"
#include "json.h"
#include "openvz.h"
#include "world.h"

__extension__ typedef unsigned __int128 u128;

/* A 32-bit vzctl's LONG_MAX: read back as unlimited (value.c, ubc.c). */
#define UNLIM32		UINT64_C(2147483647)

const char *const param_names[P_N] = {
	"VMGUARPAGES", "PRIVVMPAGES", "OOMGUARPAGES", "SHMPAGES",
	"PHYSPAGES", "SWAPPAGES", "MEMGUARANTEE"
};

const char *const param_opts[P_N] = {
	"--vmguarpages", "--privvmpages", "--oomguarpages", "--shmpages",
	"--physpages", "--swappages", "--memguarantee"
};

/* The beancounter of each parameter, for the live comparison; the
 * guarantee of OpenVZ 7 has none (vcmmd applies it). */
static const enum ubc_res param_ubc[P_N] = {
	UBC_VMGUARPAGES, UBC_PRIVVMPAGES, UBC_OOMGUARPAGES, UBC_SHMPAGES,
	UBC_PHYSPAGES, UBC_SWAPPAGES, UBC_NRES
};

/* What vzmem reads of a conf; -a reads one whole only to write it. */
const char *const ovz_lean_names[] = {
	"VMGUARPAGES", "PRIVVMPAGES", "OOMGUARPAGES", "SHMPAGES",
	"PHYSPAGES", "SWAPPAGES", "MEMGUARANTEE", "HOSTNAME", "NAME", NULL
};

static int	 k_id_check(const char *, size_t, struct buf *);
static int	 k_open(struct world *, const struct opts *);
static int	 k_list(struct world *);
static int	 k_live(struct world *);
static void	 k_close(struct world *);
static char	*k_map_dir(const struct world *);
static void	 k_no_guest(const struct world *, const char *, struct buf *);
static void	 k_looked(const struct world *, struct buf *);
static char	*k_name(const struct guest *);
static int	 k_share(const struct world *, const struct guest *, int,
		    struct share *);
static size_t	 k_plan(const struct plan *, struct gplan *);
static size_t	 k_settings(const struct plan *, const struct gplan *,
		    struct setting **);
static const char *k_variant_name(const struct plan *,
		    const struct gplan *);
static void	 k_command(const struct plan *, const struct gplan *,
		    const struct setting *, size_t, struct buf *);
static void	 k_risks(const struct plan *, const struct gplan *);
static void	 k_describe(const struct world *, struct buf *);
static void	 k_json_host(const struct world *, struct json *);
static int	 read_bc(struct ovz *, struct ubc *);
static int	 live_by_limit(const struct ovz *, enum param);
static int	 k_has_temps(const struct world *);
static size_t	 k_sweep(const struct world *);
static int	 k_figures(const struct world *, const struct guest *,
		    struct figures *);
static void	 k_json_row(const struct world *, const struct guest *,
		    struct json *);
static int	 is_vswap(const struct ovz_ct *, uint64_t, size_t *);
static int	 want(const struct plan *, const struct gplan *, enum param,
		    struct value *);
static int	 compare(const struct plan *, const struct gplan *,
		    enum param, int, struct change *);
static size_t	 check_max(const struct plan *, const struct gplan *);
static uint64_t	 min_u64(uint64_t, uint64_t);
static uint64_t	 finite(uint64_t);
static int	 peek(const struct conf *, const char *, uint64_t, int,
		    struct value *, int *);
static uint64_t	 kb_of(uint64_t, uint64_t);
static uint64_t	 swap_capped(const struct world *, const struct guest *,
		    const struct value *, int);
static size_t	 check_swap(const struct plan *, const struct gplan *);

const struct kind openvz_kind = {
	.name = "OpenVZ",
	.prefix = "",
	.persisted_in = "conf",
	.noun = "container",
	.runs = "vzctl run",
	.id_check = k_id_check,
	.open = k_open,
	.list = k_list,
	.live = k_live,
	.close = k_close,
	.map_dir = k_map_dir,
	.adopt = NULL,
	.no_guest = k_no_guest,
	.name_of = k_name,
	.share = k_share,
	.plan = k_plan,
	.settings = k_settings,
	.variant_name = k_variant_name,
	.command = k_command,
	.rules = ovz_rules,
	.risks = k_risks,
	.apply = ovz_apply,
	.describe = k_describe,
	.json_host = k_json_host,
	.has_temps = k_has_temps,
	.sweep = k_sweep,
	.figures = k_figures,
	.json_row = k_json_row,
	.fails_note = "a limit refused it resources (see "
	    "/proc/user_beancounters)",
	.looked = k_looked,
};

struct ovz *
ovz_of(const struct world *w)
{
	return world_kind(w, &openvz_kind);
}

struct ovz_ct *
ovz_ct(const struct guest *g)
{
	return g->k;
}

static int
k_id_check(const char *s, size_t len, struct buf *why)
{
	if (!ctid_valid(s, len)) {
		buf_printf(why, "bad CTID '%.*s': only letters, digits, "
		    "'.', '_' and '-', and not '.' or '-' first",
		    len > 60 ? 60 : (int)len, s);
		return -1;
	}
	if (len == 1 && s[0] == '0') {
		buf_addstr(why, "CTID 0 is the host itself, not a container");
		return -1;
	}
	return 0;
}

static int
k_open(struct world *w, const struct opts *o)
{
	struct ovz *z = xcalloc(1, sizeof(*z));

	z->o = o;
	if (o->confdir != NULL) {
		z->confdir = xstrdup(o->confdir);
		z->have_dir = 1;
	} else
		z->confdir = ovz_conf_dir(w->host.root, &z->have_dir);
	z->ubcpath = host_path(&w->host, "/proc/user_beancounters");
	z->bcdir = host_path(&w->host, "/proc/bc");
	world_set_kind(w, &openvz_kind, z);
	/* Asked now, before any command takes the lock (-e takes it before
	 * it reads the guests): nothing under the lock waits on vzctl. */
	if (z->have_dir)
		(void)ovz_version(z);
	return VZ_OK;
}

static char *
k_map_dir(const struct world *w)
{
	const struct ovz *z = ovz_of(w);

	return z->have_dir ? xstrdup(z->confdir) : NULL;
}

static int
k_list(struct world *w)
{
	struct ovz *z = ovz_of(w);
	struct buf scratch = { NULL, 0, 0 }, shown = { NULL, 0, 0 };
	char **ids;
	size_t n, i;
	int r, dfd = -1;

	/* A host without OpenVZ (LXC only) has no conf dir: no error. */
	if (!z->have_dir)
		return VZ_OK;
	/* A dangling conf, or two CTIDs of one file: reported; nothing
	 * may be decided without them (-i would drop a row). */
	if ((r = ovz_ctids(z->confdir, &w->ids, &ids, &n)) != VZ_OK) {
		free(ids);
		w->guests_invalid |= r == VZ_INVALID;
		return r;
	}
	z->cts = xcalloc(n + 1, sizeof(*z->cts));
	world_reserve(w, n);
	/* Confs are read relative to the conf dir, whose path is then
	 * walked once, not 100,000 times. */
	if (n > 0 && (dfd = open(z->confdir, O_RDONLY | O_DIRECTORY |
	    O_CLOEXEC)) == -1) {
		vz_syserr(z->confdir, "cannot read conf dir");
		r = VZ_FAIL;
	}
	for (i = 0; i < n && r == VZ_OK; i++) {
		struct ovz_ct *ct = &z->cts[z->ncts];
		struct guest *g;
		char *path;

		/* "101.conf": its name in the conf dir and in messages. */
		shown.len = 0;
		buf_addstr(&shown, ids[i]);
		buf_addstr(&shown, ".conf");
		if (conf_load_lean(&ct->conf, dfd, shown.data, shown.data,
		    ovz_lean_names, &scratch) == -1) {
			path = ovz_conf_path(z, ids[i]);
			vz_syserr(path, "cannot read");
			free(path);
			r = VZ_FAIL;
			continue;
		}
		z->ncts++;
		g = world_add_guest(w, &openvz_kind, ids[i], strlen(ids[i]),
		    ct);
		g->shown = ct->conf.shown;
		ct->conf.guest = g->id;
	}
	if (dfd != -1)
		close(dfd);
	buf_free(&shown);
	buf_free(&scratch);
	free(ids);
	return r;
}

static int
k_live(struct world *w)
{
	struct ovz *z = ovz_of(w);
	size_t i;
	int r;

	if (z->ncts == 0)
		return VZ_OK;
	r = ovz_version(z) == 7 ? read_bc(z, &z->ubc) :
	    ubc_read(z->ubcpath, z->ncts, &z->ubc);
	if (r != VZ_OK)
		return r;
	for (i = 0; i < w->nguests; i++) {
		struct guest *g = &w->guests[i];
		struct ovz_ct *ct;

		if (g->kind != &openvz_kind)
			continue;
		ct = ovz_ct(g);
		ct->live = ubc_find(&z->ubc, g->id);
		g->running = ct->live != NULL;
	}
	return VZ_OK;
}

/*
 * OpenVZ 7: /proc/bc/<CTID>/resources has every resource (its
 * user_beancounters has no swappages), in records like ubc_read()'s;
 * without /proc/bc, user_beancounters after all.
 */
static int
read_bc(struct ovz *z, struct ubc *u)
{
	struct bcres b;
	char **ids;
	size_t n, i;
	int have, r;

	memset(u, 0, sizeof(*u));
	if ((r = bc_list(z->bcdir, &u->ctids, &ids, &n, &have)) != VZ_OK)
		return r;
	if (!have) {
		free(ids);
		strpool_free(&u->ctids);
		return ubc_read(z->ubcpath, z->ncts, u);
	}
	u->cts = xcalloc(n + 1, sizeof(*u->cts));
	for (i = 0; i < n && r == VZ_OK; i++) {
		if ((r = bcres_read(z->bcdir, ids[i], &b)) == VZ_OK &&
		    b.n > 0) {
			/* ids are sorted: so are the records. */
			bcres_fill(&b, &u->cts[u->n]);
			u->cts[u->n++].ctid = ids[i];
		}
		bcres_free(&b);
	}
	free(ids);
	return r;
}

static void
k_close(struct world *w)
{
	struct ovz *z = ovz_of(w);
	size_t i;

	ubc_free(&z->ubc);
	for (i = 0; i < z->ncts; i++)
		conf_free(&z->cts[i].conf);
	free(z->cts);
	free(z->confdir);
	free(z->ubcpath);
	free(z->bcdir);
	free(z->vzctl_said);
	free(z);
	world_set_kind(w, &openvz_kind, NULL);
}

static void
k_no_guest(const struct world *w, const char *id, struct buf *why)
{
	buf_printf(why, "has no conf (%s/%s.conf)", ovz_of(w)->confdir, id);
}

static void
k_looked(const struct world *w, struct buf *b)
{
	const struct ovz *z = ovz_of(w);

	if (z == NULL)
		return;
	if (z->have_dir)
		buf_printf(b, "no OpenVZ conf (*.conf) in %s", z->confdir);
	else if (w->o->confdir != NULL)
		buf_printf(b, "no OpenVZ conf dir %s", z->confdir);
	else
		buf_printf(b, "no OpenVZ conf dir (%s/etc/vz/conf, "
		    "%s/etc/sysconfig/vz-scripts)", w->host.root,
		    w->host.root);
}

/* HOSTNAME, else NAME, else "-". */
static char *
k_name(const struct guest *g)
{
	const struct conf *c = &ovz_ct(g)->conf;
	char *s;

	if ((s = conf_string(c, "HOSTNAME")) != NULL ||
	    (s = conf_string(c, "NAME")) != NULL)
		return s;
	return xstrdup("-");
}

int
conf_is_vswap(const struct conf *c, uint64_t page_bytes)
{
	struct value v;

	return conf_peek(c, "PHYSPAGES", page_bytes, &v, NULL, NULL) == 1 &&
	    v.limit != VAL_UNLIMITED;
}

/* VSwap: a PHYSPAGES limit that is set and not unlimited. */
static int
is_vswap(const struct ovz_ct *ct, uint64_t page_bytes, size_t *errors)
{
	struct value v;
	int r;

	r = conf_value(&ct->conf, "PHYSPAGES", page_bytes, &v);
	if (r == -1)
		(*errors)++;
	return r == 1 && v.limit != VAL_UNLIMITED;
}

/*
 * A finite side as written: 2147483647 pages would read back as
 * unlimited, so it is one page less (the share rounds down, as every
 * share does; barrier <= limit still holds).
 */
static uint64_t
finite(uint64_t v)
{
	return v == UNLIM32 ? v - 1 : v;
}

/*
 * What the map asks of parameter pm (see the top); 0 if pm is not set.
 * The planner bounds g + x by INT64_MAX; the PRIVVMPAGES limit above
 * it is worked out without wrapping and checked by check_max().
 */
static int
want(const struct plan *p, const struct gplan *gp, enum param pm,
    struct value *v)
{
	uint64_t g = gp->share.g, x = gp->share.x, b, l = VAL_UNLIMITED;
	u128 lim;

	if (!(gp->set & 1u << pm))
		return 0;
	switch (pm) {
	case P_VMGUARPAGES:
		b = gp->variant == V_VSWAP ? g + x : g;
		break;
	case P_PRIVVMPAGES:
		b = g + x;
		lim = (u128)(g + x) * (100 + p->gap) / 100;
		l = lim > VAL_UNLIMITED ? VAL_UNLIMITED - 1 : (uint64_t)lim;
		break;
	case P_OOMGUARPAGES:
		b = gp->variant == V_VSWAP ? g : g + x;
		break;
	case P_SHMPAGES:
		b = l = g;
		break;
	case P_MEMGUARANTEE:
		b = l = 100;	/* a percent; written as MEMGUARANTEE_ALL */
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
	v->barrier = finite(b);
	v->limit = finite(l);
	return 1;
}

/*
 * Parameter pm against the conf and the live beancounter.  The conf's
 * value is reported when invalid unless quiet; returns -1 when vzmem
 * cannot read it, else 0.  A value vzctl skips counts as absent.
 */
static int
compare(const struct plan *p, const struct gplan *gp, enum param pm,
    int quiet, struct change *c)
{
	const struct ovz_ct *ct = ovz_ct(gp->guest);
	const struct ubc_ct *live = ct->live;
	const struct conf *cf = &ct->conf;
	int r;

	memset(c, 0, sizeof(*c));
	c->param = pm;
	want(p, gp, pm, &c->want);
	if (pm == P_MEMGUARANTEE) {
		/* A percent or "auto", not pages: compared as text, and
		 * not live (vcmmd applies it). */
		size_t len;
		const char *v = conf_get(cf, param_names[pm], &len);

		c->had = v != NULL;
		c->conf_differs = v == NULL || len != strlen(MEMGUARANTEE_ALL) ||
		    memcmp(v, MEMGUARANTEE_ALL, len) != 0;
		return 0;
	}
	r = quiet ? conf_peek(cf, param_names[pm], p->page_bytes, &c->old,
	    NULL, NULL) : conf_value(cf, param_names[pm], p->page_bytes,
	    &c->old);
	c->had = r == 1;
	/* A value vzctl truncates (with a warning each time it reads it)
	 * is written again as unlimited, though it means the same. */
	c->conf_differs = !c->had || !value_eq(&c->old, &c->want) ||
	    c->old.trunc != 0;
	if (live != NULL && (live->present & 1u << param_ubc[pm]) != 0) {
		const struct ubc_val *u = &live->res[param_ubc[pm]];

		c->has_live = 1;
		c->live.barrier = u->barrier;
		c->live.limit = u->limit;
		c->live_differs = u->limit != c->want.limit ||
		    (!live_by_limit(ovz_of(p->w), pm) &&
		    u->barrier != c->want.barrier);
	}
	return r == -1 ? -1 : 0;
}

/*
 * OpenVZ 7's kernel shows physpages and swappages with barrier = limit =
 * the memory cgroup's limits (the barrier vzctl is given is ignored):
 * compared by the limit alone, or -a would never converge.
 */
static int
live_by_limit(const struct ovz *z, enum param pm)
{
	return z->version == 7 && (pm == P_PHYSPAGES || pm == P_SWAPPAGES);
}

/*
 * A finite value vzctl cannot hold: LONG_MAX pages is how it spells
 * unlimited, so every finite side must stay below it.
 */
static size_t
check_max(const struct plan *p, const struct gplan *gp)
{
	const struct guest *g = gp->guest;
	struct value v;
	int pm;

	for (pm = 0; pm < P_N; pm++) {
		if (!want(p, gp, (enum param)pm, &v))
			continue;
		if ((v.barrier == VAL_UNLIMITED || v.barrier < VAL_MAX) &&
		    (v.limit == VAL_UNLIMITED || v.limit < VAL_MAX))
			continue;
		{
			struct where at = { p->w->mapshown, g->row->line,
			    g->row->bar_col, g->id, param_names[pm] };

			vz_report(&at, VZ_LERROR, "container %s: its row "
			    "asks for a %s beyond what vzctl can hold "
			    "(%llu pages)", g->id, param_names[pm],
			    (unsigned long long)VAL_MAX - 1);
		}
		return 1;
	}
	return 0;
}

/*
 * A VSwap row's '+' beyond the host's swap: vzcfgvalidate rejects such
 * a SWAPPAGES limit, so -a does not write it.
 */
static size_t
check_swap(const struct plan *p, const struct gplan *gp)
{
	const struct host *h = &p->w->host;
	const struct guest *g = gp->guest;
	uint64_t swap = h->swap_kb / h->page_kb, most;

	if (gp->variant != V_VSWAP || gp->share.x <= swap)
		return 0;
	/* The most '+' whose pages stay within the swap. */
	most = (uint64_t)(((u128)(swap + 1) * h->page_kb - 1) / p->blk_kb);
	{
		struct where at = { p->w->mapshown, g->row->line,
		    g->row->bar_col, g->id, "SWAPPAGES" };

		vz_report(&at, VZ_LERROR, "container %s: its %zu '+' give "
		    "a SWAPPAGES limit of %llu pages, more than the host's "
		    "swap (%llu pages), which vzcfgvalidate rejects; at "
		    "most %llu '+' on this host", g->id, g->row->plus,
		    (unsigned long long)gp->share.x,
		    (unsigned long long)swap, (unsigned long long)most);
	}
	return 1;
}

static size_t
k_plan(const struct plan *p, struct gplan *gp)
{
	const struct ovz_ct *ct = ovz_ct(gp->guest);
	size_t errors = 0;
	struct change c;
	int pm;

	unsigned v7 = ovz_version(ovz_of(p->w)) == 7;

	gp->variant = (unsigned char)(is_vswap(ct, p->page_bytes, &errors) ?
	    V_VSWAP : V_UBC);
	if (gp->variant == V_VSWAP) {
		/* Old UBC parameters are kept in step, never added; vzctl 7
		 * drops OOMGUARPAGES with a warning (lib/env_config.c:384)
		 * and guarantees MEMGUARANTEE instead. */
		if (conf_find(&ct->conf, "VMGUARPAGES") >= 0)
			gp->set |= 1u << P_VMGUARPAGES;
		if (!v7 && conf_find(&ct->conf, "OOMGUARPAGES") >= 0)
			gp->set |= 1u << P_OOMGUARPAGES;
		gp->set |= 1u << P_PHYSPAGES | 1u << P_SWAPPAGES;
		if (v7)
			gp->set |= 1u << P_MEMGUARANTEE;
	} else {
		gp->set = 1u << P_VMGUARPAGES | 1u << P_PRIVVMPAGES |
		    1u << P_SHMPAGES;
		if (!v7)
			gp->set |= 1u << P_OOMGUARPAGES;
	}
	if (check_max(p, gp) > 0)
		return errors + 1;
	errors += check_swap(p, gp);
	for (pm = 0; pm < P_N; pm++) {
		if (!(gp->set & 1u << pm))
			continue;
		/* is_vswap() has reported PHYSPAGES already. */
		if (compare(p, gp, (enum param)pm, pm == P_PHYSPAGES,
		    &c) == -1)
			errors++;
		gp->pdirty |= (uint16_t)(c.conf_differs << pm);
		gp->ldirty |= (uint16_t)(c.live_differs << pm);
	}
	return errors;
}

int
ovz_change(const struct plan *p, const struct gplan *gp, enum param pm,
    struct change *c)
{
	if (!(gp->set & 1u << pm)) {
		memset(c, 0, sizeof(*c));
		return 0;
	}
	compare(p, gp, pm, 1, c);
	c->text = pm == P_MEMGUARANTEE ? xstrdup(MEMGUARANTEE_ALL) :
	    value_format(&c->want, c->had ? &c->old : NULL);
	return 1;
}

void
change_free(struct change *c)
{
	free(c->text);
	c->text = NULL;
}

void
ovz_changes(const struct plan *p, const struct gplan *gp,
    struct change ch[P_N])
{
	int pm;

	for (pm = 0; pm < P_N; pm++)
		ovz_change(p, gp, (enum param)pm, &ch[pm]);
}

void
changes_free(struct change ch[P_N])
{
	int pm;

	for (pm = 0; pm < P_N; pm++)
		change_free(&ch[pm]);
}

static size_t
k_settings(const struct plan *p, const struct gplan *gp,
    struct setting **out)
{
	const struct conf *cf = &ovz_ct(gp->guest)->conf;
	struct change ch[P_N];
	struct setting *s;
	size_t n = 0, len;
	const char *old;
	int pm;

	ovz_changes(p, gp, ch);
	s = xcalloc(P_N, sizeof(*s));
	for (pm = 0; pm < P_N; pm++) {
		const struct change *c = &ch[pm];

		if (!(gp->set & 1u << pm))
			continue;
		s[n].name = param_names[pm];
		if ((old = conf_get(cf, param_names[pm], &len)) != NULL)
			s[n].old = xstrndup(old, len);
		s[n].want = xstrdup(c->text);
		/* Spelled as the conf spells unlimited, as is want. */
		if (c->has_live)
			s[n].live = value_format(&c->live, c->had ? &c->old :
			    NULL);
		s[n].persist_differs = (unsigned char)c->conf_differs;
		s[n].live_differs = (unsigned char)c->live_differs;
		n++;
	}
	changes_free(ch);
	*out = s;
	return n;
}

static const char *
k_variant_name(const struct plan *p, const struct gplan *gp)
{
	(void)p;
	return gp->variant == V_VSWAP ? "VSwap" : "UBC";
}

const char *
vzctl_name(const struct opts *o)
{
	return o->vzctl != NULL && o->vzctl[0] != '\0' ? o->vzctl : "vzctl";
}

const char *
vzctl_to_run(const struct opts *o)
{
	/* SPEC 6: under --root no program of the real host runs, unless
	 * an option names it; the fake tree's CTIDs are not the host's. */
	if (o->root != NULL && o->vzctl == NULL)
		return NULL;
	return vzctl_name(o);
}

char **
ovz_argv(const struct gplan *gp, const struct change ch[P_N],
    const char *vzctl)
{
	char **argv;
	size_t k = 0;
	int pm;

	argv = xcalloc(2 * P_N + 5, sizeof(*argv));
	argv[k++] = xstrdup(vzctl);
	argv[k++] = xstrdup("set");
	argv[k++] = xstrdup(gp->guest->id);
	for (pm = 0; pm < P_N; pm++) {
		if (!(gp->set & 1u << pm))
			continue;
		argv[k++] = xstrdup(param_opts[pm]);
		argv[k++] = xstrdup(ch[pm].text);
	}
	argv[k++] = xstrdup("--save");
	argv[k] = NULL;
	return argv;
}

/* The vzctl command line of the dry run. */
static void
k_command(const struct plan *p, const struct gplan *gp,
    const struct setting *s, size_t n, struct buf *b)
{
	struct change ch[P_N];
	char **argv;
	size_t i;

	(void)s;
	(void)n;
	ovz_changes(p, gp, ch);
	argv = ovz_argv(gp, ch, vzctl_name(p->o));
	changes_free(ch);
	for (i = 0; argv[i] != NULL; i++) {
		if (i > 0)
			buf_addc(b, ' ');
		buf_addstr(b, argv[i]);
	}
	argv_free(argv);
}

void
ovz_set_conf(const struct plan *p, const struct gplan *gp, struct conf *cf)
{
	struct change c;
	int pm;

	for (pm = 0; pm < P_N; pm++) {
		if (!(gp->pdirty & 1u << pm))
			continue;
		ovz_change(p, gp, (enum param)pm, &c);
		conf_set(cf, param_names[pm], c.text);
		change_free(&c);
	}
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

/*
 * A VSwap container's swap, its SWAPPAGES limit, at most the host's:
 * vzcfgvalidate rejects a limit above it, so -a must not write one.
 * (vzctl's own ve-vswap-4g sample asks for 4 GB on any host.)  Said
 * unless quiet.
 */
static uint64_t
swap_capped(const struct world *w, const struct guest *gu,
    const struct value *v, int quiet)
{
	const struct host *h = &w->host;
	uint64_t swap = h->swap_kb / h->page_kb;
	struct value dummy;
	size_t line = 0;

	if (v->limit <= swap)
		return v->limit;
	if (!quiet) {
		conf_peek(&ovz_ct(gu)->conf, "SWAPPAGES", h->page_bytes,
		    &dummy, &line, NULL);
		{
			struct where at = { gu->shown, line, 0, gu->id,
			    "SWAPPAGES" };
			char lim[32];

			if (v->limit == VAL_UNLIMITED)
				snprintf(lim, sizeof(lim), "unlimited");
			else
				snprintf(lim, sizeof(lim), "%llu pages",
				    (unsigned long long)v->limit);
			vz_report(&at, VZ_LWARN, "container %s: SWAPPAGES "
			    "limit %s is more than the host's swap (%llu "
			    "pages), which vzcfgvalidate rejects: its row's "
			    "'+' is capped at the swap", gu->id, lim,
			    (unsigned long long)swap);
		}
	}
	return swap;
}

/*
 * What a conf gives its container now, in pages, as -i reads it back.
 * g: the guarantee, the VMGUARPAGES barrier (VSwap: the PHYSPAGES
 * limit), capped at the RAM; g + x: all it may use, the PRIVVMPAGES
 * barrier (VSwap: g plus the SWAPPAGES limit), capped at RAM+swap.
 * Absent values count 0.
 */
static int
k_share(const struct world *w, const struct guest *gu, int quiet,
    struct share *s)
{
	const struct host *h = &w->host;
	const struct conf *c = &ovz_ct(gu)->conf;
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
			t = g + swap_capped(w, gu, &v, quiet);
	} else {
		if (peek(c, "VMGUARPAGES", h->page_bytes, quiet, &v,
		    &bad) == 1)
			g = min_u64(v.barrier, ram);
		if (peek(c, "PRIVVMPAGES", h->page_bytes, quiet, &v,
		    &bad) == 1)
			t = v.barrier;
	}
	t = min_u64(t, all);
	s->g = g;
	s->x = t > g ? t - g : 0;
	return bad ? -1 : 0;
}

/*
 * vzctl 7 refuses to lower a RAM limit below what the container uses
 * ("Lowering the current memory limit (memory.limit_in_bytes) is
 * prohibited.", lib/cgroup.c:785-795), or vcmmd leaves it silently
 * (vcmmd ldmgr/base.py:280-283): say so before -a tries.  The RAM limit
 * is PHYSPAGES of a VSwap row, the PRIVVMPAGES limit of a legacy one
 * (libvzctl makes it the RAM limit, lib/res.c:363-386).
 */
static void
k_risks(const struct plan *p, const struct gplan *gp)
{
	const struct ubc_ct *l = ovz_ct(gp->guest)->live;
	const struct guest *g = gp->guest;
	enum param pm = gp->variant == V_VSWAP ? P_PHYSPAGES : P_PRIVVMPAGES;
	struct value v;

	if (ovz_version(ovz_of(p->w)) != 7 || l == NULL ||
	    !(l->present & 1u << UBC_PHYSPAGES) || !want(p, gp, pm, &v) ||
	    v.limit >= l->res[UBC_PHYSPAGES].held)
		return;
	{
		struct where at = { p->w->mapshown, g->row->line, 0, g->id,
		    param_names[pm] };

		vz_report(&at, VZ_LWARN, "container %s: its new RAM limit "
		    "(%s %llu pages) is below what it uses now (%llu pages): "
		    "vzctl 7 will refuse to lower it, or vcmmd leave it as "
		    "it is", g->id, param_names[pm],
		    (unsigned long long)v.limit,
		    (unsigned long long)l->res[UBC_PHYSPAGES].held);
	}
}

static void
k_describe(const struct world *w, struct buf *b)
{
	struct ovz *z = ovz_of(w);

	/* A world whose read failed early may have no state. */
	if (z == NULL || z->ncts == 0)
		return;
	buf_printf(b, "OpenVZ %u", ovz_version(z));
	if (z->vzctl_said != NULL) {
		buf_addstr(b, " (");
		screen_str(b, z->vzctl_said);
		buf_addc(b, ')');
	} else if (z->o->openvz != 0)
		buf_addstr(b, " (--openvz)");
	else if (z->version_note != NULL)
		buf_printf(b, " (%s)", z->version_note);
	buf_printf(b, ", %zu container%s", z->ncts, z->ncts == 1 ? "" : "s");
}

static void
k_json_host(const struct world *w, struct json *j)
{
	struct ovz *z = ovz_of(w);

	if (z == NULL || z->ncts == 0) {
		json_null(j, "openvz");
		return;
	}
	json_obj(j, "openvz");
	json_u64(j, "version", ovz_version(z));
	json_str(j, "vzctl", z->vzctl_said);
	json_u64(j, "containers", z->ncts);
	json_end_obj(j);
}

static int
k_has_temps(const struct world *w)
{
	const struct ovz *z = ovz_of(w);

	return z != NULL && z->have_dir && tmp_exists(z->confdir);
}

static size_t
k_sweep(const struct world *w)
{
	const struct ovz *z = ovz_of(w);

	return z != NULL && z->have_dir ? tmp_sweep(z->confdir) : 0;
}

static uint64_t
kb_of(uint64_t pages, uint64_t pk)
{
	return pages > UINT64_MAX / pk ? UINT64_MAX - 1 : pages * pk;
}

/*
 * RAM held and peak (physpages held, maxheld), RAM+swap held
 * (oomguarpages held), allocated (privvmpages held), and the sum of
 * failcnt over every resource.
 */
static int
k_figures(const struct world *w, const struct guest *g, struct figures *f)
{
	static const struct {
		enum fig	 fig;
		enum ubc_res	 res;
		int		 peak;
	} map[] = {
		{ FIG_HELD, UBC_PHYSPAGES, 0 },
		{ FIG_PEAK, UBC_PHYSPAGES, 1 },
		{ FIG_RAMSWAP, UBC_OOMGUARPAGES, 0 },
		{ FIG_ALLOC, UBC_PRIVVMPAGES, 0 },
	};
	const struct ubc_ct *l = ovz_ct(g)->live;
	uint64_t pk = w->host.page_kb;
	size_t i;

	memset(f, 0, sizeof(*f));
	f->known = 1u << FIG_HELD | 1u << FIG_PEAK | 1u << FIG_RAMSWAP |
	    1u << FIG_ALLOC | 1u << FIG_FAILS;
	for (i = 0; i < FIG_N; i++)
		f->v[i] = FIG_NONE;
	if (l == NULL)
		return ovz_of(w)->ubc.nbad > 0 ? -1 : 0;
	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (l->present & 1u << map[i].res)
			f->v[map[i].fig] = kb_of(map[i].peak ?
			    l->res[map[i].res].maxheld :
			    l->res[map[i].res].held, pk);
	f->v[FIG_FAILS] = l->failcnt;
	/* The sum over the resources stops at UINT64_MAX (ubc.c). */
	if (l->failcnt == UINT64_MAX)
		f->sat |= 1u << FIG_FAILS;
	return 1;
}

static void
k_json_row(const struct world *w, const struct guest *g, struct json *j)
{
	const struct ovz_ct *ct;

	if (g == NULL || g->kind != &openvz_kind) {
		json_null(j, "vswap");
		return;
	}
	ct = ovz_ct(g);
	json_bool(j, "vswap", conf_is_vswap(&ct->conf, w->host.page_bytes));
}

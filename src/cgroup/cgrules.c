/*
 * cgrules.c -- -c's rules on cgroup guests, and what the dry run and -c
 * say -a risks (SPEC 6.2).  All warnings: the host still runs, but the
 * map does not mean what it says there.
 *
 *	- the memory controller is not enabled for the guest's cgroup (v2:
 *	  the parent's cgroup.subtree_control lacks "memory"): -a cannot
 *	  write its files;
 *	- memory.high below T throttles the guest short of its '+';
 *	- a v2 parent (below the root) that protects less than the
 *	  guarantees of its mapped children: theirs protect only as much,
 *	  unless cgroup2 is mounted with memory_recursiveprot;
 *	- no swap accounting: the swap file is not set;
 *	- a cg: row whose cgroup does not exist;
 *	- a config value vzmem cannot read in a container without a row
 *	  (with one, the plan says it, as an error);
 *	- lxc.include of a file outside LXC's own: limits set there are not
 *	  seen;
 *	- memory keys of the other cgroup version (lxc.cgroup2.memory.max
 *	  on a v1 host): ignored now, in force after a move;
 *	- risks: a new RAM limit below what the guest uses now.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cgroup/cgroup.h"
#include "world.h"

/* LXC's own includes lie under /usr/share/lxc. */
static const char *const lxc_shipped[] = { "usr", "share", "lxc" };
#define NSHIPPED	(sizeof(lxc_shipped) / sizeof(lxc_shipped[0]))

struct child {
	char		*parent;
	size_t		 idx;		/* in w->guests */
	uint64_t	 bytes;		/* its guarantee */
};

/* A mapped guest's cgroup, for the nesting rule. */
struct node {
	const char	*path;		/* under the mount */
	size_t		 idx;		/* in w->guests */
};

static void	 warn(const struct guest *, const char *, const char *, ...)
		    PRINTFLIKE(3, 4);
static uint64_t	 t_bytes(const struct world *, const struct guest *);
static int	 node_cmp(const void *, const void *);
static const struct node *node_find(const struct node *, size_t,
		    const char *);
static void	 nesting(const struct world *);
static void	 check_nested(const struct world *, const struct guest *);
static uint64_t	 guar_bytes(const struct world *, const struct guest *);
static int	 child_cmp(const void *, const void *);
static void	 protection(const struct world *);
static void	 check_parent(const struct world *, const struct guest *,
		    const struct cgk *);
static void	 check_high(const struct world *, const struct guest *,
		    const struct cgk *, const struct gplan *);
static void	 check_swap(const struct world *, const struct guest *,
		    struct cgk *, const struct gplan *);
static void	 check_swap_key(const struct guest *, const struct cgk *,
		    const char *);
static void	 check_values(const struct guest *, const struct cgk *);
static void	 check_includes(const struct guest *);
static int	 is_shipped(const char *, size_t);
static uint64_t	 share_bytes(const struct gplan *, uint64_t);
static void	 check_stale_keys(const struct guest *, const struct cgk *);

static void
warn(const struct guest *g, const char *param, const char *fmt, ...)
{
	struct where at = { NULL, 0, 0, g->id, param };
	struct buf b = { NULL, 0, 0 };
	va_list ap;

	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	vz_report(&at, VZ_LWARN, "%s: %s", g->id, b.data);
	buf_free(&b);
}

/* The guarantee a mapped guest's row gives, in bytes. */
static uint64_t
guar_bytes(const struct world *w, const struct guest *g)
{
	struct share sh;

	if (g->row == NULL || !world_map_ok(w) || row_share(g->row,
	    w->host.mem_kb / w->map.n, w->host.page_kb, INT64_MAX, &sh) == -1)
		return 0;
	return sh.g > UINT64_MAX / w->host.page_bytes ? UINT64_MAX :
	    sh.g * w->host.page_bytes;
}

/* The RAM limit a mapped guest's row gives (T), in bytes. */
static uint64_t
t_bytes(const struct world *w, const struct guest *g)
{
	struct share sh;

	if (g->row == NULL || !world_map_ok(w) || row_share(g->row,
	    w->host.mem_kb / w->map.n, w->host.page_kb, INT64_MAX, &sh) == -1)
		return 0;
	if (sh.g + sh.x < sh.g ||
	    sh.g + sh.x > UINT64_MAX / w->host.page_bytes)
		return UINT64_MAX;
	return (sh.g + sh.x) * w->host.page_bytes;
}

static int
node_cmp(const void *a, const void *b)
{
	const struct node *x = a, *y = b;
	int c = strcmp(x->path, y->path);

	if (c != 0)
		return c;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/* The first node of path, or NULL. */
static const struct node *
node_find(const struct node *v, size_t n, const char *path)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(v[mid].path, path) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && strcmp(v[lo].path, path) == 0 ? &v[lo] : NULL;
}

/*
 * Each mapped guest's cgroup (a cg: row's path; a running container's
 * cgroup), sorted; each counted at its nearest mapped ancestor: the
 * ancestor's record gets their number, the sum of their T and the ids
 * of the first few.  Two rows on one cgroup are no nesting (another
 * rule's).  Once per world: n log n, times the depth.
 */
static void
nesting(const struct world *w)
{
	struct cgk *sl = cgk_of(w, &lxc_kind), *sc = cgk_of(w, &cg_kind);
	struct node *v;
	size_t i, n = 0;

	if (sl->nest_done)
		return;
	sl->nest_done = sc->nest_done = 1;
	v = xcalloc(w->nguests + 1, sizeof(*v));
	for (i = 0; i < w->nguests; i++) {
		const struct guest *g = &w->guests[i];
		const struct cgg *r;

		if ((g->kind != &lxc_kind && g->kind != &cg_kind) ||
		    g->row == NULL)
			continue;
		r = cgg_of(g);
		if (cgg_is_lxc(g) && r->path == NULL)
			continue;
		v[n].path = cgg_is_lxc(g) ? r->path :
		    g->id + strlen(cg_kind.prefix);
		v[n].idx = i;
		n++;
	}
	qsort(v, n, sizeof(*v), node_cmp);
	for (i = 0; i < n; i++) {
		const struct guest *g = &w->guests[v[i].idx];
		const struct node *up = NULL;
		char *p = xstrdup(v[i].path), *q;
		struct cgg *a;
		uint64_t t;

		while (up == NULL && p[0] != '\0') {
			q = cg_parent_path(p);
			free(p);
			p = q;
			if (p[0] != '\0')
				up = node_find(v, n, p);
		}
		free(p);
		if (up == NULL)
			continue;
		a = cgg_of(&w->guests[up->idx]);
		t = t_bytes(w, g);
		a->nest_sum = a->nest_sum + t < a->nest_sum ? UINT64_MAX :
		    a->nest_sum + t;
		if (a->nest_n++ < 3)
			buf_printf(&a->nest_ids, "%s%s (%s)",
			    a->nest_n > 1 ? ", " : "", g->id, v[i].path);
	}
	for (i = 0; i < n; i++) {
		struct cgg *a = cgg_of(&w->guests[v[i].idx]);

		if (a->nest_n > 3 && !a->nest_said) {
			a->nest_said = 1;
			buf_printf(&a->nest_ids, " and %zu more",
			    a->nest_n - 3);
		}
	}
	free(v);
}

/*
 * A mapped cgroup that holds other mapped guests' cgroups: they live
 * inside its limit (the kernel charges their pages to it too), and
 * their RAM is in the map twice.  An error when its T is below the sum
 * of theirs: they are OOM-killed at its limit before they reach their
 * own.
 */
static void
check_nested(const struct world *w, const struct guest *g)
{
	const struct cgg *r = cgg_of(g);
	uint64_t t;

	if (g->row == NULL)
		return;
	nesting(w);
	if (r->nest_n == 0)
		return;
	t = t_bytes(w, g);
	if (t < r->nest_sum) {
		struct where at = { NULL, 0, 0, g->id, NULL };

		vz_report(&at, VZ_LERROR, "%s: its cgroup holds the cgroup%s "
		    "of %s, also mapped: its RAM limit %llu is below the "
		    "%llu their rows give, so the kernel OOM-kills inside "
		    "them at its limit first; map either it or them, or "
		    "give it at least their sum", g->id,
		    r->nest_n == 1 ? "" : "s", r->nest_ids.data,
		    (unsigned long long)t, (unsigned long long)r->nest_sum);
	} else
		warn(g, NULL, "its cgroup holds the cgroup%s of %s, also "
		    "mapped: they live inside its RAM limit (%llu), and "
		    "the map books their RAM twice (%llu); map either it "
		    "or them", r->nest_n == 1 ? "" : "s", r->nest_ids.data,
		    (unsigned long long)t, (unsigned long long)r->nest_sum);
}

static int
child_cmp(const void *a, const void *b)
{
	const struct child *x = a, *y = b;
	int c = strcmp(x->parent, y->parent);

	if (c != 0)
		return c;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/*
 * The mapped, running guests of both kinds by parent cgroup: the first
 * of each parent gets the sum of their guarantees, and says the
 * finding.  Once per world (n log n).
 */
static void
protection(const struct world *w)
{
	struct cgk *sl = cgk_of(w, &lxc_kind), *sc = cgk_of(w, &cg_kind);
	struct child *c;
	size_t i, j, k, n = 0;

	if (sl->prot_done)
		return;
	sl->prot_done = sc->prot_done = 1;
	c = xcalloc(w->nguests + 1, sizeof(*c));
	for (i = 0; i < w->nguests; i++) {
		const struct guest *g = &w->guests[i];
		const struct cgg *r;

		if ((g->kind != &lxc_kind && g->kind != &cg_kind) ||
		    g->row == NULL || (r = cgg_of(g))->path == NULL ||
		    !r->st.exists || strchr(r->path, '/') == NULL)
			continue;
		c[n].parent = cg_parent_path(r->path);
		c[n].idx = i;
		c[n].bytes = guar_bytes(w, g);
		n++;
	}
	qsort(c, n, sizeof(*c), child_cmp);
	for (i = 0; i < n; i = j) {
		struct cgg *first = cgg_of(&w->guests[c[i].idx]);
		uint64_t sum = 0;

		for (j = i; j < n && strcmp(c[j].parent, c[i].parent) == 0;
		    j++)
			sum = sum + c[j].bytes < sum ? UINT64_MAX :
			    sum + c[j].bytes;
		first->prot_first = 1;
		first->prot_sum = sum;
		first->prot_n = j - i;
	}
	for (k = 0; k < n; k++)
		free(c[k].parent);
	free(c);
}

/* v2: the parent enables memory for its children, and protects what
 * their rows guarantee. */
static void
check_parent(const struct world *w, const struct guest *g,
    const struct cgk *s)
{
	struct cgg *r = cgg_of(g);
	enum cg_item pit = s->guar == CG_GUAR_MIN ? CG_PARENT_MIN :
	    CG_PARENT_LOW;
	char *parent;
	uint64_t have;

	if (s->fs.version != CG_V2 || !cgg_read(w, g, 1u << CG_PARENT_LOW |
	    1u << CG_PARENT_MIN))
		return;
	parent = cg_parent_path(r->path);
	if (r->st.parent_memory == 0)
		warn(g, NULL, "the memory controller is not enabled for its "
		    "cgroup: %s%s%s/cgroup.subtree_control lacks \"memory\", "
		    "so -a cannot write its memory files", s->fs.mount,
		    parent[0] != '\0' ? "/" : "", parent);
	protection(w);
	if (r->prot_first && !s->fs.recursiveprot && !r->st.parent_root &&
	    r->st.parent_memory != 0) {
		have = CG_HAS(&r->st, pit) ? r->st.val[pit] : 0;
		if (have < r->prot_sum)
			warn(g, cg_item_file(pit), "its parent %s protects "
			    "%llu bytes (%s), less than the %llu its %zu "
			    "mapped guest%s guarantee%s: raise the parent's "
			    "%s, or mount cgroup2 with memory_recursiveprot",
			    parent, (unsigned long long)have,
			    cg_item_file(pit),
			    (unsigned long long)r->prot_sum, r->prot_n,
			    r->prot_n == 1 ? "" : "s",
			    r->prot_n == 1 ? "s" : "", cg_item_file(pit));
	}
	free(parent);
}

/* v2: memory.high below T throttles the guest before its limit. */
static void
check_high(const struct world *w, const struct guest *g,
    const struct cgk *s, const struct gplan *gp)
{
	const struct cgg *r = cgg_of(g);
	uint64_t t;

	if (s->fs.version != CG_V2 || gp == NULL ||
	    !cgg_read(w, g, 1u << CG_HIGH) || !CG_HAS(&r->st, CG_HIGH) ||
	    r->st.val[CG_HIGH] == CG_UNLIMITED)
		return;
	t = share_bytes(gp, w->host.page_bytes);
	if (r->st.val[CG_HIGH] < t)
		warn(g, "memory.high", "memory.high is %llu, below the "
		    "%llu bytes of its row: the kernel throttles it before "
		    "it reaches its RAM limit (vzmem leaves memory.high "
		    "alone)",
		    (unsigned long long)r->st.val[CG_HIGH],
		    (unsigned long long)t);
}

/* A swap key the container's cgroup has no file for: LXC fails to
 * start it.  vzmem neither adds nor changes it. */
static void
check_swap_key(const struct guest *g, const struct cgk *s, const char *file)
{
	const struct cgg *r = cgg_of(g);
	const char *key = lxc_key(s->fs.version, s->fs.version == CG_V2 ?
	    CG_SWAP_MAX : CG_MEMSW);
	size_t len, line;

	if (lxc_conf_get(&r->conf, key, &len, &line) == NULL || len == 0)
		return;
	{
		struct where at = { r->conf.shown, line, 0, g->id, key };

		vz_report(&at, VZ_LWARN, "%s is set, but there is no %s "
		    "(swap accounting off): LXC fails to start the container "
		    "with it; remove the line", key, file);
	}
}

/* No swap accounting: the swap file is skipped (once for the host). */
static void
check_swap(const struct world *w, const struct guest *g, struct cgk *s,
    const struct gplan *gp)
{
	struct cgk *first = cgk_of(w, &lxc_kind);
	const char *file = s->fs.version == CG_V2 ? "memory.swap.max" :
	    "memory.memsw.limit_in_bytes";

	if (gp == NULL || gp->set & 1u << CGS_SWAP ||
	    s->fs.version == CG_NONE)
		return;
	if (cgg_is_lxc(g))
		check_swap_key(g, s, file);
	if (!s->fs.swap) {
		if (first->swap_said)
			return;
		first->swap_said = 1;
		vz_warn(NULL, 0, 0, "swap accounting is off on this host (no "
		    "%s): vzmem sets no swap limit; a cgroup guest's '+' is "
		    "RAM it may use beyond its guarantee, its swap is not "
		    "limited (boot with swapaccount=1 to limit it)", file);
		return;
	}
	warn(g, file, "its cgroup has no %s (swap accounting off for it): "
	    "its swap is not limited", file);
}

/* A container with no row: -a leaves it alone, but LXC passes a bad
 * value on to the kernel at its next start. */
static void
check_values(const struct guest *g, const struct cgk *s)
{
	static const enum cg_item items[] = {
		CG_LOW, CG_MIN, CG_MAX, CG_SWAP_MAX, CG_SOFT, CG_LIMIT,
		CG_MEMSW
	};
	const struct cgg *r = cgg_of(g);
	struct buf q = { NULL, 0, 0 };
	const char *key, *v, *why;
	size_t i, len, line;
	uint64_t b;

	for (i = 0; i < sizeof(items) / sizeof(items[0]); i++) {
		if ((key = lxc_key(s->fs.version, items[i])) == NULL ||
		    (v = lxc_conf_get(&r->conf, key, &len, &line)) == NULL ||
		    len == 0 || cg_value_parse(v, len, s->fs.version,
		    s->fs.page_bytes, &b, &why) == 0)
			continue;
		{
			struct where at = { r->conf.shown, line, 0, g->id,
			    key };

			q.len = 0;
			cg_quote(&q, v, len);
			vz_report(&at, VZ_LWARN, "%s: invalid value \"%s\": "
			    "%s; the kernel will refuse it when LXC starts "
			    "the container", key, q.data, why);
		}
	}
	buf_free(&q);
}

/* (G + X) pages in bytes, at most UINT64_MAX: a row the plan refused
 * still gets its rules. */
static uint64_t
share_bytes(const struct gplan *gp, uint64_t page_bytes)
{
	uint64_t t = gp->share.g + gp->share.x;

	if (t < gp->share.g || (page_bytes != 0 && t > UINT64_MAX /
	    page_bytes))
		return UINT64_MAX;
	return t * page_bytes;
}

/*
 * An include path under /usr/share/lxc once its components are
 * normalised ("" and "." dropped, ".." taking off the one before), so
 * that /usr/share/lxc/config/../../x is not LXC's.  Relative paths are
 * LXC's to resolve: not taken as its own.
 */
static int
is_shipped(const char *v, size_t len)
{
	const char *comp[NSHIPPED];
	size_t clen[NSHIPPED], depth = 0, n, i, off = 0;
	const char *slash;

	if (len == 0 || v[0] != '/')
		return 0;
	while (off < len) {
		slash = memchr(v + off, '/', len - off);
		n = slash != NULL ? (size_t)(slash - (v + off)) : len - off;
		if (n == 2 && v[off] == '.' && v[off + 1] == '.') {
			if (depth > 0)
				depth--;
		} else if (n > 0 && !(n == 1 && v[off] == '.')) {
			/* Below the three, every component counts as one
			 * level, to be taken off by a later "..". */
			if (depth < NSHIPPED) {
				comp[depth] = v + off;
				clen[depth] = n;
			}
			depth++;
		}
		off += n + 1;
	}
	if (depth <= NSHIPPED)
		return 0;
	for (i = 0; i < NSHIPPED; i++)
		if (clen[i] != strlen(lxc_shipped[i]) ||
		    memcmp(comp[i], lxc_shipped[i], clen[i]) != 0)
			return 0;
	return 1;
}

/* Included files are not read: limits set there are not seen.  LXC's
 * own (common.conf, userns.conf) set none. */
static void
check_includes(const struct guest *g)
{
	const struct cgg *r = cgg_of(g);
	const struct lxc_conf *c = &r->conf;
	struct buf q = { NULL, 0, 0 };
	size_t i;

	for (i = 0; i < c->nlines; i++) {
		const struct lxc_line *l = &c->lines[i];
		const char *v = c->text.data + l->val_off;

		if (l->key_len != strlen("lxc.include") ||
		    memcmp(c->text.data + l->key_off, "lxc.include",
		    l->key_len) != 0 || is_shipped(v, l->val_len))
			continue;
		{
			struct where at = { c->shown, l->lineno, 0, g->id,
			    "lxc.include" };

			q.len = 0;
			cg_quote(&q, v, l->val_len);
			vz_report(&at, VZ_LWARN, "lxc.include \"%s\": vzmem "
			    "does not read included files; memory limits set "
			    "there are not seen, and a later one wins over "
			    "what vzmem writes here", q.data);
		}
	}
	buf_free(&q);
}

/*
 * Memory keys of the other cgroup version: LXC sets only the host's
 * version's keys, so these do nothing now, and vzmem neither reads nor
 * sets them; after a move to the other version they take effect with
 * whatever they say.
 */
static void
check_stale_keys(const struct guest *g, const struct cgk *s)
{
	const struct lxc_conf *c = &cgg_of(g)->conf;
	const char *other, *mine;
	struct buf key = { NULL, 0, 0 };
	size_t i, n;

	if (s->fs.version == CG_V2) {
		other = "lxc.cgroup.memory.";
		mine = "lxc.cgroup2.memory.*";
	} else if (s->fs.version == CG_V1) {
		other = "lxc.cgroup2.memory.";
		mine = "lxc.cgroup.memory.*";
	} else
		return;
	n = strlen(other);
	for (i = 0; i < c->nlines; i++) {
		const struct lxc_line *l = &c->lines[i];

		if (l->key_len <= n || memcmp(c->text.data + l->key_off,
		    other, n) != 0 || l->val_len == 0)
			continue;
		key.len = 0;
		screen_strn(&key, c->text.data + l->key_off, l->key_len);
		{
			struct where at = { c->shown, l->lineno, 0, g->id,
			    key.data };

			vz_report(&at, VZ_LWARN, "%s is a key of cgroup %s, "
			    "and this host has cgroup %s: LXC ignores it "
			    "here and vzmem sets %s, but it takes effect "
			    "after a move to cgroup %s; remove the line",
			    key.data, s->fs.version == CG_V2 ? "v1" : "v2",
			    s->fs.version == CG_V2 ? "v2" : "v1", mine,
			    s->fs.version == CG_V2 ? "v1" : "v2");
		}
	}
	buf_free(&key);
}

void
cgk_rules(const struct world *w, const struct guest *g,
    const struct gplan *gp)
{
	struct cgk *s = cgk_of(w, g->kind);
	const struct cgg *r = cgg_of(g);

	if (cgg_refused(r))
		cgg_say_refused(w, g, "-a writes nothing there");
	if (cgg_is_lxc(g)) {
		if (gp == NULL)
			check_values(g, s);
		check_includes(g);
		check_stale_keys(g, s);
	} else if (s->fs.version != CG_NONE && !r->st.exists &&
	    !cgg_refused(r))
		warn(g, NULL, "no such cgroup (%s/%s): nothing is applied "
		    "until it exists", s->fs.mount, g->id + strlen("cg:"));
	if (r->st.exists) {
		check_parent(w, g, s);
		check_high(w, g, s, gp);
	}
	check_swap(w, g, s, gp);
	check_nested(w, g);
}

/*
 * A RAM limit going below what the guest uses now: v1 refuses it
 * (EBUSY) unless the kernel can reclaim enough (page cache, or swap it
 * out: with no swap on the host, page cache only); v2 takes it,
 * reclaims, and may OOM-kill inside the guest.  And v1's RAM+swap
 * limit going below the RAM+swap in use: reclaim never lowers that but
 * by dropping page cache (swapping out moves a page, it does not free
 * it), so the kernel refuses it (EBUSY) after -a has lowered the limit;
 * -a then puts the limit back.
 */
void
cgk_risks(const struct plan *p, const struct gplan *gp)
{
	const struct guest *g = gp->guest;
	const struct cgk *s = cgk_of(p->w, g->kind);
	const struct cgg *r = cgg_of(g);
	struct cg_want want;
	const char *why;
	uint64_t t, use, sw;
	enum cg_item cur;

	if (!(gp->ldirty & (1u << CGS_LIMIT | 1u << CGS_SWAP)) ||
	    !r->st.exists || cgg_want(p, gp, &want, &why) == -1)
		return;
	t = want.set[CGS_LIMIT].bytes;
	cur = s->fs.version == CG_V2 ? CG_CURRENT : CG_USAGE;
	if (!cgg_read(p->w, g, 1u << cur | 1u << CG_MEMSW_USAGE) ||
	    !CG_HAS(&r->st, cur))
		return;
	use = r->st.val[cur];
	if (s->fs.version == CG_V1 && gp->ldirty & 1u << CGS_SWAP &&
	    CG_HAS(&r->st, CG_MEMSW_USAGE) &&
	    (sw = r->st.val[CG_MEMSW_USAGE]) > want.set[CGS_SWAP].bytes) {
		warn(g, "memory.memsw.limit_in_bytes", "the new RAM+swap "
		    "limit %llu is below the RAM+swap it uses now (%llu: "
		    "%llu RAM, %llu swap): the kernel refuses it (EBUSY) "
		    "unless it can drop enough page cache (swapping out does "
		    "not lower it); -a then leaves its cgroup as it was "
		    "and reports it as not applied",
		    (unsigned long long)want.set[CGS_SWAP].bytes,
		    (unsigned long long)sw, (unsigned long long)use,
		    (unsigned long long)(sw > use ? sw - use : 0));
		return;
	}
	if (!(gp->ldirty & 1u << CGS_LIMIT) || use <= t)
		return;
	if (s->fs.version == CG_V1)
		warn(g, "memory.limit_in_bytes", "the new RAM limit %llu is "
		    "below what it uses now (%llu): the kernel refuses it "
		    "(EBUSY) unless it can reclaim enough%s, and -a reports "
		    "it as not applied", (unsigned long long)t,
		    (unsigned long long)use, p->w->host.swap_kb == 0 ?
		    " (no swap on this host: only page cache)" : "");
	else
		warn(g, "memory.max", "the new RAM limit %llu is below what "
		    "it uses now (%llu): the kernel reclaims, and may "
		    "OOM-kill processes inside it", (unsigned long long)t,
		    (unsigned long long)use);
}

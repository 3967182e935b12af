/*
 * init.c -- vzmem -i: build the map from the guests' settings.
 *
 * Every guest's guarantee (and what it may use beyond it) is read back by
 * its kind, pools of an old map keep their size, FREE gets the rest of
 * the RAM.  Shares are cut into N blocks by largest remainder, so the '='
 * total is exactly N and no row goes negative; every container gets at
 * least one '='.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kind.h"
#include "map.h"
#include "world.h"

#define DEFAULT_N	200
#define FREE_MIN_KB	(128 * 1024)	/* FREE when the containers take all */

__extension__ typedef unsigned __int128 u128;

struct quota {
	struct map_row	*row;		/* in the new map (set last) */
	uint64_t	 kb;		/* '=' share wanted, in kB */
	uint64_t	 plus_kb;	/* '+' share wanted, in kB */
	int		 is_ct;
	int		 is_free;	/* the FREE row */
	uint64_t	 rem;		/* remainder of kb * N / total */
	size_t		 idx;
};

static int	 read_shares(const struct world *, const struct guest *,
		    uint64_t *, uint64_t *);
static char	*map_name(const struct guest *);
static uint64_t	 choose_n(const struct world *, const struct opts *,
		    int);
static int	 rem_cmp(const void *, const void *);
static uint64_t	 sat_mul(uint64_t, uint64_t);
static uint64_t	 sat_add(uint64_t, uint64_t);
static void	 apportion(struct quota *, size_t, uint64_t);
static void	 heap_down(struct quota **, size_t, size_t);
static size_t	 spare(const struct quota *);
static int	 giver_rank(const struct quota *);
static int	 bigger(const struct quota *, const struct quota *);
static int	 ensure_one_each(struct quota *, size_t, size_t, uint64_t,
		    const char *);
static void	 carry_comments(struct map *, struct map_row *,
		    const struct map_row *);
static void	 say_dropped(const struct world *, const struct map_row *);
static void	 largest(const struct world *, const struct quota *,
		    struct buf *);
static void	 by_kind(const struct world *, size_t *);
static void	 guests_count(const struct world *, struct buf *);
static const char *guests_noun(const struct world *);
static int	 build(struct world *, const struct opts *, int, struct map *,
		    uint64_t *);
static int	 map_still(const struct world *, struct ofile *);
static int	 write_map(const struct world *, const struct opts *,
		    const struct buf *);

/* a * b and a + b, at most UINT64_MAX: shares read from confs can be
 * anything up to 2^64 pages, and a wrapped product would be a small
 * share. */
static uint64_t
sat_mul(uint64_t a, uint64_t b)
{
	return b != 0 && a > UINT64_MAX / b ? UINT64_MAX : a * b;
}

static uint64_t
sat_add(uint64_t a, uint64_t b)
{
	return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

/* Guaranteed and extra memory of one guest, in kB. */
static int
read_shares(const struct world *w, const struct guest *g, uint64_t *g_kb,
    uint64_t *x_kb)
{
	struct share s;
	int r;

	r = g->kind->share(w, g, 0, &s);
	*g_kb = sat_mul(s.g, w->host.page_kb);
	*x_kb = sat_mul(s.x, w->host.page_kb);
	return r;
}

/* The name as the map can hold it (map_name_clean). */
static char *
map_name(const struct guest *g)
{
	char *raw = guest_name(g), *s;

	s = map_name_clean(raw);
	free(raw);
	return s;
}

static uint64_t
choose_n(const struct world *w, const struct opts *o, int old_ok)
{
	uint64_t max = w->host.mem_kb / w->host.page_kb;

	if (o->blocks != 0)
		return o->blocks;
	if (old_ok && w->map.n >= 1 && w->map.n <= max)
		return w->map.n;
	if (old_ok)
		vz_warn(w->mapshown, w->map.n_line, w->map.n_col, "old N "
		    "%llu does not fit this host; using %d",
		    (unsigned long long)w->map.n, DEFAULT_N);
	return DEFAULT_N;
}

/* Larger remainder first; on a tie the earlier row. */
static int
rem_cmp(const void *a, const void *b)
{
	const struct quota *x = *(const struct quota *const *)a;
	const struct quota *y = *(const struct quota *const *)b;

	if (x->rem != y->rem)
		return x->rem > y->rem ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/* Largest remainder: the '=' total is exactly n, no share negative. */
static void
apportion(struct quota *s, size_t ns, uint64_t n)
{
	struct quota **by;
	uint64_t total = 0, given = 0;
	size_t i;

	for (i = 0; i < ns; i++)
		total += s[i].kb;
	if (total == 0) {
		/* Nothing to go by: give all to the last row (FREE). */
		for (i = 0; i < ns; i++)
			s[i].row->eq = 0;
		s[ns - 1].row->eq = n;
		return;
	}
	by = xreallocarray(NULL, ns, sizeof(*by));
	for (i = 0; i < ns; i++) {
		u128 q = (u128)s[i].kb * n;

		s[i].row->eq = (size_t)(q / total);
		s[i].rem = (uint64_t)(q % total);
		given += s[i].row->eq;
		by[i] = &s[i];
	}
	qsort(by, ns, sizeof(*by), rem_cmp);
	for (i = 0; given < n; i++, given++)
		by[i]->row->eq++;
	free(by);
}

/*
 * How many '=' a row can give: a pool all of them, a container all but
 * its last.  A container that receives its first '=' still has 0 to
 * give, so receiving never changes a key and the heap stays valid.
 */
static size_t
spare(const struct quota *s)
{
	if (!s->is_ct)
		return s->row->eq;
	return s->row->eq > 0 ? s->row->eq - 1 : 0;
}

/* Who gives first: FREE, then the other pools, then the containers;
 * a row with nothing to spare last. */
static int
giver_rank(const struct quota *s)
{
	if (spare(s) == 0)
		return 0;
	return s->is_free ? 3 : !s->is_ct ? 2 : 1;
}

/* Which row gives a block first: by giver_rank, then more to spare,
 * then the earlier row. */
static int
bigger(const struct quota *a, const struct quota *b)
{
	if (giver_rank(a) != giver_rank(b))
		return giver_rank(a) > giver_rank(b);
	if (spare(a) != spare(b))
		return spare(a) > spare(b);
	return a->idx < b->idx;
}

static void
heap_down(struct quota **h, size_t n, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;
		struct quota *t;

		if (l < n && bigger(h[l], h[m]))
			m = l;
		if (r < n && bigger(h[r], h[m]))
			m = r;
		if (m == i)
			return;
		t = h[i];
		h[i] = h[m];
		h[m] = t;
		i = m;
	}
}

/*
 * A container too small for half a block still gets one '=': taken from
 * FREE, then the other pools, and only then from the largest rows, one
 * at a time (a heap keeps this n log n).
 */
static int
ensure_one_each(struct quota *s, size_t ns, size_t ncts, uint64_t n,
    const char *noun)
{
	struct quota **h;
	size_t i, k;

	if (ncts > n) {
		vz_err(NULL, 0, 0, "%llu block%s too few for %zu "
		    "%ss: each needs at least one '='; give a larger "
		    "N to -i", (unsigned long long)n, n == 1 ? " is" :
		    "s are", ncts, noun);
		return -1;
	}
	h = xreallocarray(NULL, ns, sizeof(*h));
	for (i = 0; i < ns; i++)
		h[i] = &s[i];
	for (k = ns / 2; k-- > 0;)
		heap_down(h, ns, k);
	for (i = 0; i < ns; i++) {
		if (!s[i].is_ct || s[i].row->eq > 0)
			continue;
		/* The top has one to spare: the spares add up to at least
		 * the containers still without '=', as n >= ncts. */
		h[0]->row->eq--;
		s[i].row->eq++;
		heap_down(h, ns, 0);
	}
	free(h);
	return 0;
}

/* An old row whose guest is gone: "container lxc:web has no config
 * (PATH) any more". */
static void
say_dropped(const struct world *w, const struct map_row *r)
{
	const struct kind *k = kind_of(r->ctid, strlen(r->ctid));
	struct buf why = { NULL, 0, 0 };

	if (k != NULL && k->no_guest != NULL)
		k->no_guest(w, r->ctid, &why);
	else
		buf_addstr(&why, "is not there");
	vz_warn(w->mapshown, r->line, 0, "%s %s %s any more; its row is "
	    "dropped", k != NULL ? k->noun : "guest", r->ctid, why.data);
	buf_free(&why);
}

/* The guests of w by kind. */
static void
by_kind(const struct world *w, size_t *n)
{
	size_t i;

	memset(n, 0, KINDS_MAX * sizeof(*n));
	for (i = 0; i < w->nguests; i++)
		n[kind_rank(w->guests[i].kind)]++;
}

/* "3 containers", "2 containers and 1 cgroup": the guests of w. */
static void
guests_count(const struct world *w, struct buf *b)
{
	size_t n[KINDS_MAX];

	by_kind(w, n);
	kinds_count(b, n);
}

/* What the guests of w have in common: "container", else "guest". */
static const char *
guests_noun(const struct world *w)
{
	size_t n[KINDS_MAX];

	by_kind(w, n);
	return kinds_noun(n);
}

/* " (most: lxc:db 10485760K, lxc:web 10485760K)": the three largest
 * guarantees of the guests (s[i] is w->guests[i]'s), or nothing. */
static void
largest(const struct world *w, const struct quota *s, struct buf *b)
{
	size_t top[3], ntop = 0, i, k;

	for (i = 0; i < w->nguests; i++) {
		for (k = ntop; k > 0 && s[top[k - 1]].kb < s[i].kb; k--)
			if (k < 3)
				top[k] = top[k - 1];
		if (k < 3) {
			top[k] = i;
			if (ntop < 3)
				ntop++;
		}
	}
	for (k = 0; k < ntop; k++) {
		buf_addstr(b, k == 0 ? " (most: " : ", ");
		screen_str(b, w->guests[top[k]].id);
		buf_printf(b, " %lluK", (unsigned long long)s[top[k]].kb);
	}
	if (ntop > 0)
		buf_addc(b, ')');
}

/* Copies: the strings of the old map die with it. */
static void
carry_comments(struct map *m, struct map_row *to,
    const struct map_row *from)
{
	to->before = map_strdup(m, from->before);
	to->comment = map_strdup(m, from->comment);
}

/*
 * The new map in m.  Returns VZ_OK, or VZ_INVALID after a message.
 */
static int
build(struct world *w, const struct opts *o, int old_ok, struct map *m,
    uint64_t *blk_out)
{
	const struct host *h = &w->host;
	struct quota *s;
	uint64_t n, blk, old_blk = 0, sum = 0, free_kb;
	size_t i, ns = 0, npools = 0, nold_pools = 0, bad = 0;
	struct map_row *old_free = NULL;

	memset(m, 0, sizeof(*m));
	n = choose_n(w, o, old_ok);
	if (n < 1 || n > h->mem_kb / h->page_kb) {
		vz_err(NULL, 0, 0, "N must be from 1 to %llu on this host "
		    "(a block is at least one page), not %llu",
		    (unsigned long long)(h->mem_kb / h->page_kb),
		    (unsigned long long)n);
		return VZ_INVALID;
	}
	blk = h->mem_kb / n;
	*blk_out = blk;
	m->n = n;
	if (old_ok) {
		old_blk = w->map.n ? h->mem_kb / w->map.n : 0;
		m->head = map_strdup(m, w->map.head);
		m->n_comment = map_strdup(m, w->map.n_comment);
		m->tail = map_strdup(m, w->map.tail);
		/* Old rows to their containers, for their comments; the
		 * pools other than FREE (npools) guarantee too. */
		for (i = 0; i < w->map.nrows; i++) {
			struct map_row *r = &w->map.rows[i];
			struct guest *g;

			if (r->ctid == NULL) {
				nold_pools++;
				npools += strcmp(r->name, "FREE") != 0;
			} else if ((g = world_guest(w, r->ctid)) != NULL &&
			    g->row == NULL)
				g->row = r;
		}
	}
	/* Shares and rows: one for each conf, each old pool and FREE
	 * (sized for every old row too, both were twice as big). */
	s = xcalloc(w->nguests + nold_pools + 1, sizeof(*s));
	map_reserve(m, w->nguests + nold_pools + 1);
	for (i = 0; i < w->nguests; i++) {
		struct guest *g = &w->guests[i];
		char *name;

		if (read_shares(w, g, &s[ns].kb, &s[ns].plus_kb) == -1) {
			bad++;
			continue;
		}
		/* A guest the host cannot honour on its own. */
		if (sat_add(s[ns].kb, s[ns].plus_kb) > h->mem_kb)
			vz_warn(g->shown, 0, 0, "%s %s: its settings guarantee "
			    "%lluK and allow %lluK in all, more than the "
			    "host's %lluK of RAM", g->kind->noun, g->id,
			    (unsigned long long)s[ns].kb,
			    (unsigned long long)sat_add(s[ns].kb,
			    s[ns].plus_kb), (unsigned long long)h->mem_kb);
		name = map_name(g);
		map_add(m, g->id, name, 0, 0)->plus_is =
		    g->kind->plus_is != NULL ? g->kind->plus_is(w, g->kind) :
		    NULL;
		free(name);
		s[ns].is_ct = 1;
		if (g->row != NULL)
			carry_comments(m, &m->rows[ns], g->row);
		sum = sat_add(sum, s[ns].kb);
		ns++;
	}
	if (bad > 0) {
		free(s);
		return VZ_INVALID;
	}
	for (i = 0; old_ok && i < w->map.nrows; i++) {
		struct map_row *r = &w->map.rows[i];

		if (r->ctid != NULL) {
			if (world_guest(w, r->ctid) == NULL)
				say_dropped(w, r);
			continue;
		}
		if (strcmp(r->name, "FREE") == 0) {
			if (old_free == NULL)
				old_free = r;
			continue;
		}
		carry_comments(m, map_add(m, NULL, r->name, 0, 0), r);
		s[ns].kb = sat_mul(r->eq, old_blk);
		s[ns].plus_kb = sat_mul(r->plus, old_blk);
		sum = sat_add(sum, s[ns].kb);
		ns++;
	}
	/*
	 * FREE: the RAM nobody guarantees; else what it had, or 128M.
	 * The N blocks of blk kB hold n * blk kB, less than MemTotal by up
	 * to N kB: shares are cut in those blocks, the size -a applies,
	 * so that each row's '=' is its guarantee within one block.
	 */
	/* Guarantees cut to fit: FREE keeps no more than 128M of its old
	 * size, or every guest is cut further for it. */
	if (sum < n * blk)
		free_kb = n * blk - sum;
	else if (sum < h->mem_kb)
		free_kb = 0;	/* all but a sliver: scaled, no message */
	else if (old_free != NULL)
		free_kb = sat_mul(old_free->eq, old_blk) < FREE_MIN_KB ?
		    sat_mul(old_free->eq, old_blk) : FREE_MIN_KB;
	else
		free_kb = FREE_MIN_KB;
	map_add(m, NULL, "FREE", 0, 0);
	if (old_free != NULL)
		carry_comments(m, &m->rows[ns], old_free);
	s[ns].kb = free_kb;
	s[ns].is_free = 1;
	ns++;
	if (sat_add(sum, free_kb) > h->mem_kb) {
		unsigned long long total = sat_add(sum, free_kb);
		unsigned long long pct = (u128)h->mem_kb * 100 / total;

		struct buf most = { NULL, 0, 0 };

		largest(w, s, &most);
		vz_info("the %ss%s guarantee %lluK%s, %s the "
		    "host's %lluK of RAM: every '=' share (FREE's %lluK "
		    "too) is scaled down to %llu%%, by %llu%%",
		    guests_noun(w), npools > 0 ? " and pools" : "",
		    (unsigned long long)sum, most.data != NULL ? most.data :
		    "", sum > h->mem_kb ? "more than" : "all of",
		    (unsigned long long)h->mem_kb,
		    (unsigned long long)free_kb, pct, 100 - pct);
		buf_free(&most);
	}
	/* map_add() moves the rows: point at them once all are there. */
	for (i = 0; i < ns; i++) {
		s[i].idx = i;
		s[i].row = &m->rows[i];
	}
	apportion(s, ns, n);
	if (ensure_one_each(s, ns, w->nguests, n, guests_noun(w)) == -1) {
		free(s);
		return VZ_INVALID;
	}
	/* '+' to the nearest block, but never rounded up past the swap:
	 * a kind may make '+' a swap limit that must stay within the
	 * host's swap (its share() caps what it reads at that). */
	for (i = 0; i < ns; i++) {
		size_t x = (size_t)(sat_add(s[i].plus_kb, blk / 2) / blk);

		if (s[i].plus_kb <= h->swap_kb && sat_mul(x, blk) > h->swap_kb)
			x = (size_t)(h->swap_kb / blk);
		s[i].row->plus = x;
	}
	free(s);
	map_sort(m);
	return VZ_OK;
}

/* The map as read before, still there?  (A concurrent -e may have
 * installed another one since.)  Read from of, which is then written. */
static int
map_still(const struct world *w, struct ofile *of)
{
	struct buf now = { NULL, 0, 0 };
	int same;

	if (of->fd == -1)
		same = !w->have_map;
	else
		same = w->have_map && file_load(of, &now) == 0 &&
		    now.len == w->maptext.len &&
		    memcmp(now.data, w->maptext.data, now.len) == 0;
	buf_free(&now);
	return same;
}

static int
write_map(const struct world *w, const struct opts *o, const struct buf *b)
{
	struct ofile of;
	int lock, r;

	if (w->have_map && w->maptext.len == b->len &&
	    memcmp(w->maptext.data, b->data, b->len) == 0) {
		vz_info("%s is up to date", w->mapshown);
		return VZ_OK;
	}
	if ((lock = world_lock(w, o->wait)) == -1)
		return VZ_FAIL;
	if (world_map_dir(w) != VZ_OK) {
		lock_release(lock);
		return VZ_FAIL;
	}
	if ((r = world_map_open(w, &of, OF_MISSING_OK)) != VZ_OK) {
		if (r == VZ_FAIL)
			vz_syserr(w->mapshown, "cannot write");
	} else if (!map_still(w, &of)) {
		vz_err(w->mapshown, 0, 0, "changed while vzmem -i ran; "
		    "nothing written, run it again");
		r = VZ_FAIL;
	} else
		r = world_map_save(w, &of, w->have_map ? &w->maptext : NULL,
		    b);
	file_close(&of);
	lock_release(lock);
	return r;
}

int
cmd_init(const struct opts *o)
{
	struct world w;
	struct map m;
	struct buf b = { NULL, 0, 0 };
	uint64_t blk = 0;
	int r, old_ok;

	r = world_read(&w, o, W_MAP | W_MAPTEXT);
	/*
	 * An old map with errors (not one refused for its mode, nor a
	 * guest that could not be listed): ignoring it would lose what
	 * only the map holds (its cg: rows and pools, which -i can never
	 * find again), so it is refused until fixed or moved away.
	 */
	if (r == VZ_INVALID && !w.map_refused && !w.guests_invalid)
		vz_err(w.mapshown, 0, 0, "the old map has errors (above), "
		    "and -i keeps its pools, cg: rows and comments: nothing "
		    "written; fix them ('vzmem -e'), or move it away ('mv "
		    "%s %s.old') to build a map from the guests alone",
		    w.host.map, w.host.map);
	if (r != VZ_OK) {
		world_free(&w);
		return r;
	}
	old_ok = w.have_map;
	world_warn_empty(&w);
	r = build(&w, o, old_ok, &m, &blk);
	if (r == VZ_OK) {
		size_t i;

		/* The new map has copies of what it took from the old one:
		 * the old rows go before the new text is made.  (The old
		 * text stays, to compare and keep as .bak.) */
		for (i = 0; i < w.nguests; i++)
			w.guests[i].row = NULL;
		map_free(&w.map);
		map_render(&m, blk, w.host.page_kb, &b);
		if (o->dry_run)
			fwrite(b.data, 1, b.len, stdout);
		else if ((r = write_map(&w, o, &b)) == VZ_OK) {
			struct buf c = { NULL, 0, 0 };

			guests_count(&w, &c);
			/* A first map: where it is, for the newcomer. */
			vz_info("%s: %s, %llu block%s of %lluK%s%s%s",
			    w.mapshown, c.data, (unsigned long long)m.n,
			    m.n == 1 ? "" : "s", (unsigned long long)blk,
			    w.have_map ? "" : " (made: ", w.have_map ? "" :
			    w.host.map, w.have_map ? "" : ")");
			buf_free(&c);
		}
	}
	buf_free(&b);
	map_free(&m);
	world_free(&w);
	return r;
}

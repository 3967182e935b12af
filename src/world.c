/*
 * world.c -- read everything a command decides on: the host, the map,
 * every guest of every kind; and check the map against them.  Nothing
 * here writes.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "world.h"

__extension__ typedef unsigned __int128 u128;

#define MAP_NAME	"MEM-MAP"
#define MAP_DIR		"/etc/vzmem"	/* when no kind has a better one */
#define LOCK_PARENT	"/run"		/* one lock per host (SPEC 5b): */
#define LOCK_DIR	"vzmem"		/* vzmem's own, mode 0700 */
#define LOCK_NAME	"lock"

static int	 locate_map(struct world *);
static char	*map_dir_of(const struct world *);
static int	 map_dir_ok(const struct world *, const struct stat *);
static int	 map_file_ok(const struct world *, const struct stat *);
static int	 read_map(struct world *, int);
static int	 adopt_rows(struct world *);
static void	 plus_words(struct world *);
static void	 see_stale(struct world *, int);
static void	 sort_guests(struct world *);
static int	 guest_cmp(const void *, const void *);
static int	 guest_cmp_key(const void *, const void *);
static int	 row_id_cmp(const void *, const void *);
static int	 clean_matches(const char *, const char *);
static void	 link_rows(struct world *);
static void	 warn_unmapped(const struct world *);
static u128	 blocks_kb(const struct world *, size_t);
static void	 warn_swap(const struct world *);

void *
world_kind(const struct world *w, const struct kind *k)
{
	return w->ks[kind_rank(k)];
}

void
world_set_kind(struct world *w, const struct kind *k, void *state)
{
	w->ks[kind_rank(k)] = state;
}

void
world_reserve(struct world *w, size_t n)
{
	if (n <= w->guests_room - w->nguests)
		return;
	w->guests_room = w->nguests + n;
	w->guests = xreallocarray(w->guests, w->guests_room + 1,
	    sizeof(*w->guests));
}

struct guest *
world_add_guest(struct world *w, const struct kind *k, const char *id,
    size_t len, void *rec)
{
	struct guest *g;

	if (w->nguests == w->guests_room)
		world_reserve(w, w->guests_room > 0 ? w->guests_room : 16);
	g = &w->guests[w->nguests++];
	memset(g, 0, sizeof(*g));
	g->kind = k;
	g->id = strpool_add(&w->ids, id, len);
	g->k = rec;
	return g;
}

static int
guest_cmp(const void *a, const void *b)
{
	return id_cmp(((const struct guest *)a)->id,
	    ((const struct guest *)b)->id);
}

static int
guest_cmp_key(const void *key, const void *elem)
{
	return id_cmp(key, ((const struct guest *)elem)->id);
}

static int
row_id_cmp(const void *a, const void *b)
{
	return id_cmp((*(struct map_row *const *)a)->ctid,
	    (*(struct map_row *const *)b)->ctid);
}

static void
sort_guests(struct world *w)
{
	if (w->nguests > 1)
		qsort(w->guests, w->nguests, sizeof(*w->guests), guest_cmp);
}

struct guest *
world_guest(const struct world *w, const char *id)
{
	if (w->nguests == 0)
		return NULL;
	return bsearch(id, w->guests, w->nguests, sizeof(*w->guests),
	    guest_cmp_key);
}

char *
guest_name(const struct guest *g)
{
	return g->kind->name_of(g);
}

/*
 * The map: --map, else MEM-MAP in the first directory a kind offers
 * (the OpenVZ conf dir), else in /etc/vzmem.  The lock beside it.
 */
static int
locate_map(struct world *w)
{
	char *dir = NULL, *dflt;
	size_t i;

	for (i = 0; vz_kinds[i] != NULL && dir == NULL; i++)
		if (vz_kinds[i]->map_dir != NULL)
			dir = vz_kinds[i]->map_dir(w);
	if (dir == NULL)
		dir = host_path(&w->host, MAP_DIR);
	dflt = xasprintf("%s/%s", dir, MAP_NAME);
	free(dir);
	if (w->o->map != NULL) {
		w->host.map = xstrdup(w->o->map);
		w->mapshown = xstrdup(strcmp(dflt, w->o->map) == 0 ?
		    MAP_NAME : w->o->map);
		free(dflt);
	} else {
		w->host.map = dflt;
		w->mapshown = xstrdup(MAP_NAME);
	}
	/* Whatever --map says: two maps over the same guests are one
	 * host's business, so they share one lock. */
	w->host.lock = host_path(&w->host, LOCK_PARENT "/" LOCK_DIR "/"
	    LOCK_NAME);
	return VZ_OK;
}

int
world_lock(const struct world *w, int wait)
{
	char *dir = host_path(&w->host, LOCK_PARENT), *slash;
	size_t rootlen = strlen(w->host.root);
	int r;

	/* /run is there on every system; under --root maybe not: each
	 * directory below the root, made in turn.  lock_take() makes and
	 * checks its own. */
	for (slash = dir + rootlen + 1; slash != NULL; ) {
		slash = strchr(slash, '/');
		if (slash != NULL)
			*slash = '\0';
		if (mkdir(dir, 0755) == -1 && errno != EEXIST) {
			vz_syserr(dir, "cannot make the lock's directory");
			free(dir);
			return -1;
		}
		if (slash != NULL)
			*slash++ = '/';
	}
	free(dir);
	dir = host_path(&w->host, LOCK_PARENT "/" LOCK_DIR);
	r = lock_take(dir, LOCK_NAME, wait);
	free(dir);
	return r;
}

int
world_map_dir(const struct world *w)
{
	char *dir = host_path(&w->host, MAP_DIR), *slash;
	size_t n = strlen(dir), rootlen = strlen(w->host.root);
	int r = VZ_OK;

	if (strncmp(w->host.map, dir, n) != 0 || w->host.map[n] != '/' ||
	    strchr(w->host.map + n + 1, '/') != NULL) {
		free(dir);
		return VZ_OK;
	}
	/* /etc is there; under --root maybe not: each level in turn. */
	for (slash = dir + rootlen + 1; slash != NULL && r == VZ_OK; ) {
		slash = strchr(slash, '/');
		if (slash != NULL)
			*slash = '\0';
		if (mkdir(dir, 0755) == -1 && errno != EEXIST) {
			vz_syserr(dir, "cannot make the map's directory");
			r = VZ_FAIL;
		}
		if (slash != NULL)
			*slash++ = '/';
	}
	free(dir);
	return r;
}

int
world_locate(struct world *w, const struct opts *o)
{
	size_t i;
	int r;

	memset(w, 0, sizeof(*w));
	w->o = o;
	if ((r = host_open(&w->host, o->root)) != VZ_OK)
		return r;
	for (i = 0; vz_kinds[i] != NULL; i++)
		if (vz_kinds[i]->open != NULL &&
		    (r = vz_kinds[i]->open(w, o)) != VZ_OK)
			return r;
	return locate_map(w);
}

/* The directory of the map's path, for messages. */
static char *
map_dir_of(const struct world *w)
{
	const char *slash = strrchr(w->host.map, '/');

	if (slash == NULL)
		return xstrdup(".");
	return xstrndup(w->host.map, slash == w->host.map ? 1 :
	    (size_t)(slash - w->host.map));
}

/*
 * The map's directory, like the map: whoever may write there can put
 * another map (or a link) in its place, so only root and its owner, who
 * is root or the user running vzmem.  VZ_OK, or VZ_INVALID after a
 * message.
 */
static int
map_dir_ok(const struct world *w, const struct stat *d)
{
	uid_t me = geteuid();
	char *dir;
	int r = VZ_INVALID;

	dir = map_dir_of(w);
	if (d->st_mode & (S_IWGRP | S_IWOTH))
		vz_err(w->mapshown, 0, 0, "refused: its directory %s is "
		    "writable by %s (mode %04o), and whoever writes there "
		    "can replace the map; keep the map in a directory only "
		    "root writes ('chmod go-w %s', or --map /etc/vzmem/%s)",
		    dir, d->st_mode & S_IWOTH ? "anyone" : "its group",
		    (unsigned)(d->st_mode & 07777), dir, MAP_NAME);
	else if (d->st_uid != 0 && d->st_uid != me)
		vz_err(w->mapshown, 0, 0, "refused: its directory %s is "
		    "owned by uid %lu, neither root nor the user running "
		    "vzmem (uid %lu)", dir, (unsigned long)d->st_uid,
		    (unsigned long)me);
	else
		r = VZ_OK;
	free(dir);
	return r;
}

/*
 * The map decides every guest's memory, so it is refused, as doas
 * refuses a loose doas.conf, when anyone but its owner may write it or
 * its owner is neither root nor us.  The opened file is checked, not
 * the path.
 */
static int
map_file_ok(const struct world *w, const struct stat *st)
{
	uid_t me = geteuid();

	if (st->st_mode & (S_IWGRP | S_IWOTH)) {
		vz_err(w->mapshown, 0, 0, "refused: writable by %s, not "
		    "only by its owner (mode %04o), and whoever writes it "
		    "sets every guest's memory; 'chmod go-w %s' fixes it",
		    st->st_mode & S_IWOTH ? "anyone" : "its group",
		    (unsigned)(st->st_mode & 07777), w->host.map);
		return VZ_INVALID;
	}
	if (st->st_uid != 0 && st->st_uid != me) {
		vz_err(w->mapshown, 0, 0, "refused: owned by uid %lu, "
		    "neither root nor the user running vzmem (uid %lu); "
		    "'chown %lu %s' fixes it", (unsigned long)st->st_uid,
		    (unsigned long)me, (unsigned long)me, w->host.map);
		return VZ_INVALID;
	}
	return VZ_OK;
}

int
world_map_open(const struct world *w, struct ofile *of, int flags)
{
	int r;

	if (file_open(of, w->host.map, flags) == -1) {
		int e = errno;

		r = VZ_FAIL;
		if (of->why != NULL) {
			vz_err(w->mapshown, 0, 0, "refused: %s", of->why);
			r = VZ_INVALID;
		}
		file_close(of);
		errno = e;
		return r;
	}
	if ((r = map_dir_ok(w, &of->dst)) == VZ_OK && of->fd != -1)
		r = map_file_ok(w, &of->st);
	if (r != VZ_OK)
		file_close(of);
	return r;
}

int
world_map_read(const struct world *w, struct buf *b)
{
	struct ofile of;
	int r, e;

	if ((r = world_map_open(w, &of, 0)) != VZ_OK)
		return r;
	r = file_load(&of, b) == -1 ? VZ_FAIL : VZ_OK;
	e = errno;
	file_close(&of);
	buf_add(b, "", 0);	/* data is never NULL */
	errno = e;
	return r;
}

int
world_map_save(const struct world *w, struct ofile *of,
    const struct buf *old, const struct buf *new)
{
	struct ofile bak;
	char *name, *shown, *dir;
	int r = VZ_OK;

	if (old != NULL) {
		/* MEM-MAP.bak in the same directory descriptor, never
		 * through a link; the map's mode and owner (a map of 0600
		 * leaves no 0644 copy beside it). */
		name = xasprintf("%s.bak", of->name);
		shown = xasprintf("%s.bak", w->mapshown);
		dir = map_dir_of(w);
		if (file_open_at(&bak, of->dirfd, dir, name,
		    OF_MISSING_OK) == -1 || file_save(&bak, old->data,
		    old->len, 0644, of->fd != -1 ? &of->st : NULL, 0) == -1) {
			vz_err(shown, 0, 0, "cannot write: %s",
			    file_why(&bak));
			r = VZ_FAIL;
		}
		file_close(&bak);
		free(name);
		free(shown);
		free(dir);
	}
	if (r == VZ_OK && file_save(of, new->data, new->len, 0644, NULL,
	    0) == -1) {
		vz_err(w->mapshown, 0, 0, "cannot write: %s", file_why(of));
		r = VZ_FAIL;
	}
	return r;
}

static int
read_map(struct world *w, int flags)
{
	size_t errors;
	int need = flags & W_NEED_MAP, r;

	if ((r = world_map_read(w, &w->maptext)) == VZ_INVALID) {
		w->map_refused = 1;
		return r;
	}
	if (r != VZ_OK) {
		if (errno == ENOENT && !need)
			return VZ_OK;
		if (errno == ENOENT) {
			world_warn_empty(w);
			vz_err(w->mapshown, 0, 0, "no such file (%s); "
			    "'vzmem -i' builds it from the guests' settings",
			    w->host.map);
		}
		else
			vz_syserr(w->mapshown, "cannot read");
		return VZ_FAIL;
	}
	w->have_map = 1;
	errors = map_parse(&w->map, w->maptext.data, w->maptext.len,
	    w->mapshown);
	w->map_stale = 1;
	/* The map keeps its own strings: the bytes can go (8 MB at
	 * 100,000 rows) unless they are backed up or compared (once the
	 * rows have their guests: see_stale). */
	if (!(flags & (W_MAPTEXT | W_MAPSTALE)))
		buf_free(&w->maptext);
	return errors > 0 ? VZ_INVALID : VZ_OK;
}

/* Each row's '+' in its guest's kind's words, for the notes. */
static void
plus_words(struct world *w)
{
	size_t i;

	for (i = 0; i < w->map.nrows; i++) {
		struct map_row *r = &w->map.rows[i];
		const struct kind *k;

		r->plus_is = NULL;
		if (r->ctid != NULL &&
		    (k = kind_of(r->ctid, strlen(r->ctid))) != NULL &&
		    k->plus_is != NULL)
			r->plus_is = k->plus_is(w, k);
	}
}

/* W_MAPSTALE: whether the map as vzmem writes it differs from its
 * bytes; then the bytes go, unless W_MAPTEXT keeps them. */
static void
see_stale(struct world *w, int flags)
{
	const struct host *h = &w->host;

	if ((flags & W_MAPSTALE) && world_map_ok(w))
		w->map_stale = map_differs(&w->map, h->mem_kb / w->map.n,
		    h->page_kb, w->maptext.data, w->maptext.len);
	if (!(flags & W_MAPTEXT))
		buf_free(&w->maptext);
}

/* Guests for the rows of kinds that cannot list theirs (cg:). */
static int
adopt_rows(struct world *w)
{
	struct map_row **v;
	size_t i, k = 0, listed = w->nguests;

	/*
	 * The rows to adopt, by id: a row whose id came before is a
	 * duplicate (map_check says so), and one sort at the end, not one
	 * per row (thousands of cg: rows).
	 */
	v = xcalloc(w->map.nrows + 1, sizeof(*v));
	for (i = 0; i < w->map.nrows; i++) {
		struct map_row *r = &w->map.rows[i];
		const struct kind *kd;

		if (r->ctid != NULL &&
		    (kd = kind_of(r->ctid, strlen(r->ctid))) != NULL &&
		    kd->adopt != NULL)
			v[k++] = r;
	}
	if (k > 1)
		qsort(v, k, sizeof(*v), row_id_cmp);
	for (i = 0; i < k; i++) {
		if (i > 0 && strcmp(v[i - 1]->ctid, v[i]->ctid) == 0)
			continue;
		/* Only the listed guests are sorted for bsearch. */
		if (listed > 0 && bsearch(v[i]->ctid, w->guests, listed,
		    sizeof(*w->guests), guest_cmp_key) != NULL)
			continue;
		kind_of(v[i]->ctid, strlen(v[i]->ctid))->adopt(w, v[i]);
	}
	free(v);
	if (w->nguests != listed)
		sort_guests(w);
	return VZ_OK;
}

int
world_read(struct world *w, const struct opts *o, int flags)
{
	size_t i;
	int r, rr;

	if ((r = world_locate(w, o)) != VZ_OK)
		return r;
	for (i = 0; vz_kinds[i] != NULL; i++)
		if (vz_kinds[i]->list != NULL &&
		    (r = vz_kinds[i]->list(w)) != VZ_OK)
			return r;
	sort_guests(w);
	/*
	 * The map before the live state: its bytes are dropped once it is
	 * parsed, so that they and the live state (8 and 15 MB at
	 * 100,000) are never in memory at once.
	 */
	if ((flags & (W_MAP | W_NEED_MAP)) &&
	    (r = read_map(w, flags)) == VZ_FAIL)
		return r;
	if (w->have_map && r == VZ_OK) {
		adopt_rows(w);
		plus_words(w);
		see_stale(w, flags);
	}
	if (flags & W_LIVE)
		for (i = 0; vz_kinds[i] != NULL; i++)
			if (vz_kinds[i]->live != NULL &&
			    (rr = vz_kinds[i]->live(w)) != VZ_OK)
				return rr;
	return r;
}

int
world_map_ok(const struct world *w)
{
	return w->map.n >= 1 && w->map.n <= w->host.mem_kb / w->host.page_kb;
}

/* Whether row is what -i made of name: "My Web" -> "My_Web". */
static int
clean_matches(const char *name, const char *row)
{
	char *clean = map_name_clean(name);
	int same = strcmp(clean, row) == 0;

	free(clean);
	return same;
}

/* Each row to its guest: a row without one is a warning. */
static void
link_rows(struct world *w)
{
	struct buf why = { NULL, 0, 0 };
	size_t i;

	for (i = 0; i < w->nguests; i++)
		w->guests[i].row = NULL;
	for (i = 0; i < w->map.nrows; i++) {
		struct map_row *r = &w->map.rows[i];
		const struct kind *k;
		struct guest *g;
		char *name;

		if (r->ctid == NULL)
			continue;
		if ((g = world_guest(w, r->ctid)) == NULL) {
			struct where at = { w->mapshown, r->line, 1,
			    r->ctid, NULL };

			why.len = 0;
			buf_addstr(&why, "has no settings");
			k = kind_of(r->ctid, strlen(r->ctid));
			if (k != NULL && k->no_guest != NULL) {
				why.len = 0;
				k->no_guest(w, r->ctid, &why);
			}
			/*
			 * A guest gone (lxc-destroy, a conf moved away) is
			 * no reason to stop managing the others: its row
			 * only holds its blocks until it is dropped.
			 */
			vz_report(&at, VZ_LWARN, "%s %s %s: its row is "
			    "skipped; drop the row ('vzmem -e') or run "
			    "'vzmem -i'", k != NULL ? k->noun : "guest",
			    r->ctid, why.data);
			continue;
		}
		if (g->row != NULL)
			continue;	/* a duplicate, reported by map_check */
		g->row = r;
		name = guest_name(g);
		if (strcmp(name, r->name) != 0 && strcmp(r->name, "-") != 0 &&
		    !clean_matches(name, r->name)) {
			struct where at = { w->mapshown, r->line, 0, g->id,
			    NULL };

			vz_report(&at, VZ_LWARN, "%s %s is named '%s' "
			    "in the map but '%s' in %s", g->kind->noun,
			    r->ctid, r->name,
			    name, g->shown != NULL ? g->shown : "its settings");
		}
		free(name);
	}
	buf_free(&why);
}

static void
warn_unmapped(const struct world *w)
{
	size_t i;

	for (i = 0; i < w->nguests; i++) {
		const struct guest *g = &w->guests[i];
		struct where at = { g->shown, 0, 0, g->id, NULL };

		if (g->row == NULL)
			vz_report(&at, VZ_LWARN, "%s %s has no row in "
			    "%s; left untouched", g->kind->noun, g->id,
			    w->mapshown);
	}
}

/* What n blocks give in whole pages, in kB, as the notes say it. */
static u128
blocks_kb(const struct world *w, size_t n)
{
	u128 blk = w->host.mem_kb / w->map.n;

	return (u128)n * blk / w->host.page_kb * w->host.page_kb;
}

/*
 * RAM+swap is oversold when the guests' rows promise more than the
 * host has: their '+' beyond its swap and the RAM they leave to FREE
 * and the pools (a '+' is RAM others leave free, or swap; with no swap
 * at all it is still that RAM).  The sums are those of the notes and
 * of the oversell summary; in 128 bits: 2049 '+' of a 9e15 kB block
 * would wrap 64.
 */
static void
warn_swap(const struct world *w)
{
	u128 plus = 0, eq = 0, left, room;
	uint64_t shown, over;
	size_t i;

	for (i = 0; i < w->map.nrows; i++) {
		const struct map_row *r = &w->map.rows[i];

		plus += blocks_kb(w, r->plus);
		if (r->ctid != NULL)
			eq += blocks_kb(w, r->eq);
	}
	left = eq < w->host.mem_kb ? w->host.mem_kb - eq : 0;
	room = left + w->host.swap_kb;
	if (plus <= room)
		return;
	shown = plus > UINT64_MAX ? UINT64_MAX : (uint64_t)plus;
	over = plus - room > UINT64_MAX ? UINT64_MAX : (uint64_t)(plus - room);
	vz_warn(w->mapshown, 0, 0, "the '+' blocks (%s%lluK) exceed the "
	    "host's swap (%lluK) and the RAM the guests' '=' leave "
	    "(%lluK) by %s%lluK: RAM+swap is oversold",
	    shown == UINT64_MAX ? "over " : "", (unsigned long long)shown,
	    (unsigned long long)w->host.swap_kb, (unsigned long long)left,
	    over == UINT64_MAX ? "over " : "", (unsigned long long)over);
}

void
world_warn_empty(const struct world *w)
{
	struct buf b = { NULL, 0, 0 };
	size_t i, len;

	if (w->nguests > 0)
		return;
	for (i = 0; vz_kinds[i] != NULL; i++) {
		if (vz_kinds[i]->looked == NULL)
			continue;
		len = b.len;
		if (len > 0)
			buf_addstr(&b, "; ");
		vz_kinds[i]->looked(w, &b);
		if (b.len == len + (len > 0 ? 2 : 0))
			b.len = len;	/* the kind said nothing */
	}
	buf_add(&b, "", 0);
	vz_warn(NULL, 0, 0, "no guest on this host: %s", b.data);
	buf_free(&b);
}

size_t
world_validate(struct world *w)
{
	uint64_t max_n = w->host.mem_kb / w->host.page_kb;
	size_t errors;

	size_t i;

	world_warn_empty(w);

	errors = map_check(&w->map, max_n, w->mapshown);
	link_rows(w);
	for (i = 0; vz_kinds[i] != NULL; i++)
		if (vz_kinds[i]->validate != NULL && w->ks[i] != NULL)
			errors += vz_kinds[i]->validate(w);
	warn_unmapped(w);
	if (world_map_ok(w))
		warn_swap(w);
	return errors;
}

size_t
world_set_map(struct world *w, const char *text, size_t len)
{
	size_t i, k, errors;

	/* The guests point into the old rows; those adopted for them
	 * (cg:) go with them, so that a row a round removes leaves none
	 * behind.  Removing keeps the order bsearch needs. */
	for (i = k = 0; i < w->nguests; i++)
		if (w->guests[i].kind->adopt == NULL) {
			w->guests[k] = w->guests[i];
			w->guests[k++].row = NULL;
		}
	w->nguests = k;
	map_free(&w->map);
	w->maptext.len = 0;
	buf_add(&w->maptext, text, len);
	w->have_map = 1;
	errors = map_parse(&w->map, w->maptext.data, w->maptext.len,
	    w->mapshown);
	if (errors == 0) {
		adopt_rows(w);
		plus_words(w);
	}
	return errors;
}

void
world_free(struct world *w)
{
	size_t i;

	/*
	 * The big blocks first (live state, ids, the map): freeing a
	 * 64 kB block after the many small chunks of the confs made glibc
	 * sweep all of those (malloc_consolidate), some 50 ms at 100,000
	 * containers.  Nothing reads them again.
	 */
	map_free(&w->map);
	buf_free(&w->maptext);
	strpool_free(&w->ids);
	for (i = 0; vz_kinds[i] != NULL; i++)
		if (vz_kinds[i]->close != NULL && w->ks[i] != NULL)
			vz_kinds[i]->close(w);
	free(w->guests);
	free(w->mapshown);
	host_close(&w->host);
	memset(w, 0, sizeof(*w));
}

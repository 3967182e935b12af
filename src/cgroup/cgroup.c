/*
 * cgroup.c -- the two cgroup guest kinds (SPEC 6.2): LXC containers
 * ("lxc:NAME") and any cgroup ("cg:PATH").  What each guest's memory
 * files must hold, given its share, and how that differs from its LXC
 * config and its live cgroup.
 *
 * With G and X pages and T = G + X, in bytes (cg_want):
 *	cgroup v2	memory.low (--guarantee min: memory.min) G,
 *			memory.max T, memory.swap.max X
 *	cgroup v1	memory.soft_limit_in_bytes G, memory.limit_in_bytes T,
 *			memory.memsw.limit_in_bytes T
 * An LXC container keeps the same values in its config
 * (lxc.cgroup2.memory.* or lxc.cgroup.memory.*), which LXC writes into
 * the cgroup when it starts the container; vzmem writes them into the
 * running container's cgroup itself.  A cg: guest has nothing but its
 * cgroup: its row in the map is its only setting.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cgroup/cgroup.h"
#include "json.h"
#include "world.h"

#define LXC_PREFIX	"lxc:"
#define CG_PREFIX	"cg:"
#define NAME_SHOWN_MAX	60		/* bytes of a bad id in a message */

/* -i: what share() reads of a cgroup; -s: what figures() reads. */
#define CG_SHARE_ITEMS	(1u << CG_LOW | 1u << CG_MIN | 1u << CG_MAX | \
			 1u << CG_SOFT | 1u << CG_LIMIT | 1u << CG_CURRENT | \
			 1u << CG_USAGE)
#define CG_FIG_ITEMS	(1u << CG_CURRENT | 1u << CG_PEAK | \
			 1u << CG_SWAP_CURRENT | 1u << CG_EV_HIGH | \
			 1u << CG_EV_MAX | 1u << CG_OOM_KILL | \
			 1u << CG_PSI_SOME10 | 1u << CG_USAGE | \
			 1u << CG_MAX_USAGE | 1u << CG_MEMSW_USAGE | \
			 1u << CG_FAILCNT)

static int	 lxc_id_check(const char *, size_t, struct buf *);
static int	 cg_id_check(const char *, size_t, struct buf *);
static int	 k_open(struct world *, const struct opts *);
static int	 lxc_open(struct world *, const struct opts *);
static int	 cg_open(struct world *, const struct opts *);
static int	 lxc_list_all(struct world *);
static int	 k_live(struct world *);
static void	 k_close(struct world *, const struct kind *);
static void	 lxc_close(struct world *);
static void	 cg_close(struct world *);
static struct guest *cg_adopt(struct world *, struct map_row *);
static void	 lxc_no_guest(const struct world *, const char *,
		    struct buf *);
static void	 lxc_looked(const struct world *, struct buf *);
static void	 cg_looked(const struct world *, struct buf *);
static void	 cg_dropped(const struct world *, const char *);
static const char *k_plus_is(const struct world *, const struct kind *);
static char	*lxc_name_of(const struct guest *);
static char	*cg_name_of(const struct guest *);
static size_t	 k_plan(const struct plan *, struct gplan *);
static size_t	 k_settings(const struct plan *, const struct gplan *,
		    struct setting **);
static const char *k_variant_name(const struct plan *,
		    const struct gplan *);
static void	 k_command(const struct plan *, const struct gplan *,
		    const struct setting *, size_t, struct buf *);
static int	 k_figures(const struct world *, const struct guest *,
		    struct figures *);
static void	 lxc_json_row(const struct world *, const struct guest *,
		    struct json *);
static void	 cg_json_row(const struct world *, const struct guest *,
		    struct json *);
static void	 count(const struct world *, const struct kind *, size_t *,
		    size_t *);
static const char *version_name(const struct cgk *);
static void	 lxc_describe(const struct world *, struct buf *);
static void	 cg_describe(const struct world *, struct buf *);
static void	 lxc_json_host(const struct world *, struct json *);
static void	 cg_json_host(const struct world *, struct json *);
static struct cgg *new_rec(struct cgk *);
static int	 read_config(int, const char *, struct buf *);
static void	 find_cgroup(const struct cgk *, const struct guest *,
		    struct cgg *);
static char	*conf_value(const struct cgg *, const char *, size_t *);
static int	 conf_bytes(const struct guest *, const char *,
		    enum cg_version, uint64_t, int, uint64_t *);
static int	 conf_knobs(const struct cgk *, const struct guest *, int,
		    struct cg_knobs *);
static enum cg_item swap_item(const struct cgk *);
static int	 skip_swap(const struct cgk *, const struct cgg *);
static char	*live_str(const struct cgk *, const struct cg_state *,
		    enum cg_item);
static uint64_t	 kb(uint64_t);
static uint64_t	 limit_kb(uint64_t);
static void	 live_limits(const struct world *, const struct guest *,
		    struct figures *);

const struct kind lxc_kind = {
	.name = "LXC",
	.prefix = LXC_PREFIX,
	.persisted_in = "config",
	.noun = "container",
	.runs = NULL,
	.id_check = lxc_id_check,
	.open = lxc_open,
	.list = lxc_list_all,
	.live = k_live,
	.close = lxc_close,
	.map_dir = NULL,
	.adopt = NULL,
	.no_guest = lxc_no_guest,
	.name_of = lxc_name_of,
	.share = cgg_share,
	.plan = k_plan,
	.settings = k_settings,
	.variant_name = k_variant_name,
	.command = k_command,
	.validate = cgk_validate,	/* for cg: rows too */
	.rules = cgk_rules,
	.risks = cgk_risks,
	.lower = cgk_lower,
	.apply = cgk_apply,
	.has_temps = cgk_has_temps,
	.sweep = cgk_sweep,
	.figures = k_figures,
	.json_row = lxc_json_row,
	.describe = lxc_describe,
	.json_host = lxc_json_host,
	.fails_note = "its memory cgroup refused it memory "
	    "(memory.failcnt)",
	.looked = lxc_looked,
	.plus_is = k_plus_is,
};

const struct kind cg_kind = {
	.name = "cgroup",
	.prefix = CG_PREFIX,
	.persisted_in = NULL,		/* live only */
	.noun = "cgroup",
	.runs = NULL,
	.id_check = cg_id_check,
	.open = cg_open,
	.list = NULL,			/* cg: guests are rows, never found */
	.live = k_live,
	.close = cg_close,
	.map_dir = NULL,
	.adopt = cg_adopt,
	.no_guest = NULL,
	.name_of = cg_name_of,
	.share = cgg_share,
	.plan = k_plan,
	.settings = k_settings,
	.variant_name = k_variant_name,
	.command = k_command,
	.rules = cgk_rules,
	.risks = cgk_risks,
	.lower = cgk_lower,
	.apply = cgk_apply,
	.has_temps = NULL,		/* vzmem writes no file for them */
	.sweep = NULL,
	.figures = k_figures,
	.json_row = cg_json_row,
	.describe = cg_describe,
	.json_host = cg_json_host,
	.fails_note = "its memory cgroup refused it memory "
	    "(memory.failcnt)",
	.looked = cg_looked,
	.dropped = cg_dropped,
	.plus_is = k_plus_is,
};

struct cgk *
cgk_of(const struct world *w, const struct kind *k)
{
	return world_kind(w, k);
}

struct cgg *
cgg_of(const struct guest *g)
{
	return g->k;
}

int
cgg_is_lxc(const struct guest *g)
{
	return g->kind == &lxc_kind;
}

static int
lxc_id_check(const char *s, size_t len, struct buf *why)
{
	if (lxc_name_valid(s, len))
		return 0;
	buf_printf(why, "bad LXC container name '%.*s': only letters, "
	    "digits, '.', '_' and '-', not '.' or '-' first, at most 255",
	    len > NAME_SHOWN_MAX ? NAME_SHOWN_MAX : (int)len, s);
	return -1;
}

static int
cg_id_check(const char *s, size_t len, struct buf *why)
{
	if (cg_path_valid(s, len))
		return 0;
	buf_printf(why, "bad cgroup path '%.*s': components of letters, "
	    "digits and '._@:\\-' joined by single '/', relative to the "
	    "memory controller's root, no '.' or '..'",
	    len > NAME_SHOWN_MAX ? NAME_SHOWN_MAX : (int)len, s);
	return -1;
}

/* The memory cgroup of the host, for either kind. */
static int
k_open(struct world *w, const struct opts *o)
{
	(void)w;
	(void)o;
	return VZ_OK;
}

static struct cgk *
state_new(struct world *w, const struct opts *o, const struct kind *k)
{
	struct cgk *s = xcalloc(1, sizeof(*s));

	s->kind = k;
	cgfs_open(&s->fs, w->host.root, w->host.page_bytes);
	s->guar = o->guarantee_min ? CG_GUAR_MIN : CG_GUAR_LOW;
	world_set_kind(w, k, s);
	return s;
}

static int
lxc_open(struct world *w, const struct opts *o)
{
	struct cgk *s = state_new(w, o, &lxc_kind);

	s->lxcpath = o->lxcpath != NULL ? xstrdup(o->lxcpath) :
	    host_path(&w->host, LXC_PATH);
	return k_open(w, o);
}

static int
cg_open(struct world *w, const struct opts *o)
{
	state_new(w, o, &cg_kind);
	return k_open(w, o);
}

static struct cgg *
new_rec(struct cgk *s)
{
	struct cgg *r = xcalloc(1, sizeof(*r));

	if (s->nrecs == s->recs_room) {
		s->recs_room = s->recs_room ? 2 * s->recs_room : 64;
		s->recs = xreallocarray(s->recs, s->recs_room,
		    sizeof(*s->recs));
	}
	s->recs[s->nrecs++] = r;
	return r;
}

/*
 * A config, rel in the directory dfd, appended to b: open, read to the
 * end, close; no fstat for its size (10,000 configs: 10,000 calls).  0,
 * or -1 with errno.
 */
static int
read_config(int dfd, const char *rel, struct buf *b)
{
	char chunk[16384];
	ssize_t n;
	int fd, e;

	if ((fd = openat(dfd, rel, O_RDONLY | O_NONBLOCK | O_NOCTTY |
	    O_CLOEXEC)) == -1)
		return -1;
	for (;;) {
		n = read(fd, chunk, sizeof(chunk));
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		buf_add(b, chunk, (size_t)n);
	}
	e = errno;
	close(fd);
	buf_add(b, "", 0);
	errno = e;
	return n == -1 ? -1 : 0;
}

/*
 * Every <lxcpath>/NAME/config, read whole (-a rewrites it).  A name
 * vzmem cannot use is left out with a warning.  -i (o->strict) writes
 * the map for the others all the same: one name must not leave every
 * other guest without one; it says what the map leaves out.
 */
static int
lxc_list_all(struct world *w)
{
	struct cgk *s = cgk_of(w, &lxc_kind);
	struct strpool pool = { NULL };
	struct buf id = { NULL, 0, 0 }, text = { NULL, 0, 0 };
	char **names, *rel, *path;
	size_t n, nbad, i;
	int r, dfd = -1;

	r = lxc_list(s->lxcpath, &pool, &names, &n, &nbad);
	if (r != VZ_OK)
		return r;
	world_reserve(w, n);
	/* Configs are read relative to lxcpath, whose path is then
	 * walked once. */
	if (n > 0 && (dfd = open(s->lxcpath, O_RDONLY | O_DIRECTORY |
	    O_CLOEXEC)) == -1) {
		vz_syserr(s->lxcpath, "cannot read");
		r = VZ_FAIL;
	}
	for (i = 0; i < n && r == VZ_OK; i++) {
		struct cgg *rec;
		struct guest *g;

		rel = xasprintf("%s/config", names[i]);
		path = xasprintf("%s/%s", s->lxcpath, rel);
		text.len = 0;
		if (read_config(dfd, rel, &text) == -1) {
			vz_syserr(path, "cannot read");
			free(rel);
			free(path);
			r = VZ_FAIL;
			break;
		}
		rec = new_rec(s);
		lxc_conf_parse(&rec->conf, text.data, text.len, path);
		rec->conf.path = path;
		rec->ctdir = xasprintf("%s/%s", s->lxcpath, names[i]);
		free(rel);
		id.len = 0;
		buf_addstr(&id, LXC_PREFIX);
		buf_addstr(&id, names[i]);
		g = world_add_guest(w, &lxc_kind, id.data, id.len, rec);
		g->shown = rec->conf.shown;
	}
	if (dfd != -1)
		close(dfd);
	if (r == VZ_OK && nbad > 0 && w->o->strict)
		vz_warn(s->lxcpath, 0, 0, "%zu container%s left out of the "
		    "map (above): vzmem leaves %s untouched, and what %s use"
		    "%s comes out of FREE", nbad, nbad == 1 ? "" : "s",
		    nbad == 1 ? "it" : "them", nbad == 1 ? "it" : "they",
		    nbad == 1 ? "s" : "");
	buf_free(&text);
	buf_free(&id);
	free(names);
	strpool_free(&pool);
	return r;
}

/* A cg: guest is made for its row: there is no list of them. */
static struct guest *
cg_adopt(struct world *w, struct map_row *row)
{
	struct cgk *s = cgk_of(w, &cg_kind);
	struct cgg *rec = new_rec(s);

	return world_add_guest(w, &cg_kind, row->ctid, strlen(row->ctid),
	    rec);
}

/* Where the guest's cgroup is (lxc: lxc_cgroup_find; none: stopped). */
static void
find_cgroup(const struct cgk *s, const struct guest *g, struct cgg *r)
{
	if (r->found)
		return;
	r->found = 1;
	if (s->fs.version == CG_NONE)
		return;
	if (cgg_is_lxc(g)) {
		/* Not taken as there: cg_read_items walks its path and
		 * refuses a link on it. */
		if (!lxc_cgroup_find(&s->fs, &r->conf, g->id +
		    strlen(LXC_PREFIX), &r->path))
			return;
	} else
		r->path = xstrdup(g->id + strlen(CG_PREFIX));
	r->dir = xasprintf("%s/%s", s->fs.mount, r->path);
}

int
cgg_refused(const struct cgg *r)
{
	return r->path != NULL && !r->st.exists &&
	    r->st.walk.refused != CG_REF_NONE;
}

void
cgg_say_refused(const struct world *w, const struct guest *g,
    const char *what)
{
	const struct cgk *s = cgk_of(w, g->kind);
	const struct cgg *r = cgg_of(g);
	struct where at = { NULL, 0, 0, g->id, NULL };

	vz_report(&at, VZ_LERROR, "%s: %s/%.*s is not a cgroup: %s (never "
	    "followed); %s", g->id, s->fs.mount, (int)r->st.walk.len, r->path,
	    cg_refused_what(&r->st.walk), what);
}

int
cgg_read(const struct world *w, const struct guest *g, uint32_t items)
{
	const struct cgk *s = cgk_of(w, g->kind);
	struct cgg *r = cgg_of(g);

	find_cgroup(s, g, r);
	if (r->path == NULL)
		return 0;
	return cg_read_items(&s->fs, r->path, items, &r->st);
}

/* Each guest's cgroup: the files -a plans with (of the guarantee, only
 * the mode's).  -s and -c read the others when they need them. */
static int
k_live(struct world *w)
{
	size_t i;

	const struct cgk *s = cgk_of(w, &lxc_kind);
	uint32_t items = CG_PLAN_ITEMS & ~(1u << (s->guar == CG_GUAR_MIN ?
	    CG_LOW : CG_MIN));

	for (i = 0; i < w->nguests; i++) {
		struct guest *g = &w->guests[i];

		if (g->kind != &lxc_kind && g->kind != &cg_kind)
			continue;
		g->running = (unsigned char)cgg_read(w, g, items);
	}
	return VZ_OK;
}

static void
k_close(struct world *w, const struct kind *k)
{
	struct cgk *s = cgk_of(w, k);
	size_t i;

	for (i = 0; i < s->nrecs; i++) {
		struct cgg *r = s->recs[i];

		free(r->path);
		free(r->dir);
		free(r->ctdir);
		lxc_conf_free(&r->conf);
		buf_free(&r->nest_ids);
		free(r);
	}
	free(s->recs);
	free(s->writes);
	free(s->gps);
	free(s->lxcpath);
	cgfs_close(&s->fs);
	free(s);
	world_set_kind(w, k, NULL);
}

static void
lxc_close(struct world *w)
{
	k_close(w, &lxc_kind);
}

static void
cg_close(struct world *w)
{
	k_close(w, &cg_kind);
}

static void
lxc_no_guest(const struct world *w, const char *id, struct buf *why)
{
	buf_printf(why, "has no config (%s/%s/config)",
	    cgk_of(w, &lxc_kind)->lxcpath, id + strlen(LXC_PREFIX));
}

static void
lxc_looked(const struct world *w, struct buf *b)
{
	const struct cgk *s = cgk_of(w, &lxc_kind);

	if (s != NULL)
		buf_printf(b, "no LXC container (NAME/config) in %s",
		    s->lxcpath);
}

/*
 * vzmem never writes a cgroup it has no row for: one whose row an edit
 * dropped keeps the limits vzmem last wrote, until someone lifts them
 * (raising, so v1's memsw before the limit).
 */
static void
cg_dropped(const struct world *w, const char *id)
{
	const struct cgk *s = cgk_of(w, &cg_kind);
	char *dir;

	if (s == NULL || s->fs.version == CG_NONE)
		return;
	dir = xasprintf("%s/%s", s->fs.mount, id + strlen(CG_PREFIX));
	if (access(dir, F_OK) == 0)
		vz_warn(w->mapshown, 0, 0, "%s: its row is gone, but its "
		    "cgroup keeps the limits vzmem last wrote; to lift them, "
		    "write %s (in %s)", id, s->fs.version == CG_V2 ?
		    "'max' into memory.max and memory.swap.max, and 0 into "
		    "memory.low and memory.min" : "-1 into "
		    "memory.memsw.limit_in_bytes, memory.limit_in_bytes and "
		    "memory.soft_limit_in_bytes, in that order", dir);
	free(dir);
}

/*
 * v1 with swap accounting: limit and memsw are both T, so a '+' is RAM
 * or swap; without swap accounting only RAM; v2: memory.swap.max is X,
 * a '+' is swap (and as much RAM beyond the guarantee).
 */
static const char *
k_plus_is(const struct world *w, const struct kind *k)
{
	const struct cgk *s = cgk_of(w, k);

	if (s == NULL || s->fs.version == CG_NONE)
		return NULL;
	if (!s->fs.swap)
		return "RAM";
	return s->fs.version == CG_V1 ? "RAM or swap" : NULL;
}

/* cg: guests are never found, only mapped. */
static void
cg_looked(const struct world *w, struct buf *b)
{
	(void)w;
	buf_addstr(b, "no cg: row (a cgroup is mapped only by adding its "
	    "row, 'vzmem -e')");
}

/* key's value in the config (allocated), or NULL when unset or empty;
 * *line its line. */
static char *
conf_value(const struct cgg *r, const char *key, size_t *line)
{
	const char *v;
	size_t len, dummy;

	if ((v = lxc_conf_get(&r->conf, key, &len, line != NULL ? line :
	    &dummy)) == NULL || len == 0)
		return NULL;
	return xstrndup(v, len);
}

/* lxc.uts.name, else NAME. */
static char *
lxc_name_of(const struct guest *g)
{
	char *s = conf_value(cgg_of(g), "lxc.uts.name", NULL);

	return s != NULL ? s : xstrdup(g->id + strlen(LXC_PREFIX));
}

/* A cgroup has no name of its own: its row's, else "-". */
static char *
cg_name_of(const struct guest *g)
{
	return xstrdup(g->row != NULL ? g->row->name : "-");
}

/*
 * A config key in bytes, as the kernel would take it from LXC: 1 set, 0
 * not set, -1 unreadable (an error naming the config's line and the
 * key, unless quiet).
 */
static int
conf_bytes(const struct guest *g, const char *key, enum cg_version version,
    uint64_t page_bytes, int quiet, uint64_t *v)
{
	const struct cgg *r = cgg_of(g);
	struct buf q = { NULL, 0, 0 };
	const char *why;
	size_t line = 0;
	char *s;

	if ((s = conf_value(r, key, &line)) == NULL)
		return 0;
	if (cg_value_parse(s, strlen(s), version, page_bytes, v, &why) == 0) {
		free(s);
		return 1;
	}
	if (!quiet) {
		struct where at = { r->conf.shown, line, 0, g->id, key };

		cg_quote(&q, s, strlen(s));
		vz_report(&at, VZ_LERROR, "%s: invalid value \"%s\": %s", key,
		    q.data, why);
		buf_free(&q);
	}
	free(s);
	return -1;
}

/* The guarantee and RAM limit of an LXC config (lxc_conf_knobs, with
 * errors for what cannot be read); -1 when a value was bad. */
static int
conf_knobs(const struct cgk *s, const struct guest *g, int quiet,
    struct cg_knobs *k)
{
	enum cg_version v = s->fs.version;
	enum cg_item guar[2], lim;
	uint64_t b;
	int bad = 0, r;
	size_t i;

	memset(k, 0, sizeof(*k));
	if (v == CG_V2) {
		guar[0] = s->guar == CG_GUAR_MIN ? CG_MIN : CG_LOW;
		guar[1] = s->guar == CG_GUAR_MIN ? CG_LOW : CG_MIN;
		lim = CG_MAX;
	} else if (v == CG_V1) {
		guar[0] = guar[1] = CG_SOFT;
		lim = CG_LIMIT;
	} else
		return 0;
	for (i = 0; i < 2; i++) {
		if (i == 1 && guar[1] == guar[0])
			break;
		r = conf_bytes(g, lxc_key(v, guar[i]), v, s->fs.page_bytes,
		    quiet, &b);
		bad |= r == -1;
		if (r == 1 && b != 0 && b != CG_UNLIMITED &&
		    !(k->have & CGK_GUAR)) {
			k->guar = b;
			k->have |= CGK_GUAR;
		}
	}
	r = conf_bytes(g, lxc_key(v, lim), v, s->fs.page_bytes, quiet, &b);
	bad |= r == -1;
	if (r == 1) {
		k->limit = b;
		k->have |= CGK_LIMIT;
	}
	return bad ? -1 : 0;
}

/*
 * -i: G from the guarantee, else the RAM limit, else the use; X the
 * limit beyond G (cg_share): an LXC config's keys count first, then its
 * live cgroup's.  Capped as OpenVZ's are: G at the RAM, G + X at RAM +
 * swap.  A cg: guest whose cgroup is not there keeps its row: the map is
 * all there is of it then.
 */
int
cgg_share(const struct world *w, const struct guest *g, int quiet,
    struct share *sh)
{
	const struct host *h = &w->host;
	const struct cgk *s = cgk_of(w, g->kind);
	const struct cgg *r = cgg_of(g);
	struct cg_knobs cfg, live;
	uint64_t use = 0, gp, xp, ram, all;
	int bad = 0, lxc = cgg_is_lxc(g);

	memset(&cfg, 0, sizeof(cfg));
	memset(&live, 0, sizeof(live));
	if (lxc)
		bad = conf_knobs(s, g, quiet, &cfg) == -1;
	if (cgg_read(w, g, CG_SHARE_ITEMS)) {
		cg_knobs_live(&r->st, s->guar, &live);
		if (CG_HAS(&r->st, CG_CURRENT))
			use = r->st.val[CG_CURRENT];
		else if (CG_HAS(&r->st, CG_USAGE))
			use = r->st.val[CG_USAGE];
	} else if (!lxc && g->row != NULL && world_map_ok(w)) {
		if (row_share(g->row, h->mem_kb / w->map.n, h->page_kb,
		    INT64_MAX, sh) == 0)
			return 0;
	}
	cg_share(lxc ? &cfg : NULL, &live, use, h->page_bytes, &gp, &xp);
	ram = h->mem_kb / h->page_kb;
	all = (h->mem_kb + h->swap_kb) / h->page_kb;
	if (gp > ram)
		gp = ram;
	if (xp > all - gp)
		xp = all - gp;
	sh->g = gp;
	sh->x = xp;
	return bad ? -1 : 0;
}

static enum cg_item
swap_item(const struct cgk *s)
{
	return s->fs.version == CG_V2 ? CG_SWAP_MAX : CG_MEMSW;
}

/*
 * The swap file is not set without swap accounting: on the host (no
 * memsw or swap.max anywhere), or in the guest's own cgroup.  LXC would
 * fail to start a container whose config names a missing file.
 */
static int
skip_swap(const struct cgk *s, const struct cgg *r)
{
	enum cg_item it = swap_item(s);
	enum cg_item lim = s->fs.version == CG_V2 ? CG_MAX : CG_LIMIT;

	if (!s->fs.swap)
		return 1;
	/* Its memory files are there, but not that one.  (None there:
	 * memory is not enabled for it, which -a reports.) */
	return r->st.exists && CG_HAS(&r->st, lim) &&
	    !CG_HAS(&r->st, it) && !(r->st.bad & 1u << it);
}

int
cgg_want(const struct plan *p, const struct gplan *gp, struct cg_want *want,
    const char **why)
{
	const struct cgk *s = cgk_of(p->w, gp->guest->kind);

	return cg_want(s->fs.version, s->guar, p->page_bytes, gp->share.g,
	    gp->share.x, want, why);
}

void
cgg_want_set(const struct plan *p, const struct gplan *gp,
    struct cg_want *out)
{
	struct cg_want all;
	const char *why;
	size_t i;

	memset(out, 0, sizeof(*out));
	if (cgg_want(p, gp, &all, &why) == -1)
		return;
	for (i = 0; i < all.n; i++)
		if (gp->set & 1u << i)
			out->set[out->n++] = all.set[i];
}

static size_t
k_plan(const struct plan *p, struct gplan *gp)
{
	const struct guest *g = gp->guest;
	const struct cgk *s = cgk_of(p->w, g->kind);
	const struct cgg *r = cgg_of(g);
	struct cg_want want;
	const char *why, *key;
	size_t i, errors = 0;
	uint64_t v;
	int st;

	gp->variant = (unsigned char)s->fs.version;
	if (cgg_want(p, gp, &want, &why) == -1) {
		struct where at = { p->w->mapshown, g->row->line,
		    g->row->bar_col, g->id, NULL };

		vz_report(&at, VZ_LERROR, "%s: its row cannot be applied: %s",
		    g->id, why);
		return 1;
	}
	gp->set = (uint16_t)((1u << want.n) - 1);
	if (skip_swap(s, r))
		gp->set &= (uint16_t)~(1u << CGS_SWAP);
	/* A cgroup refused (a link on its path): -a reports it, so the
	 * run is not "up to date". */
	if (cgg_refused(r))
		gp->ldirty = gp->set;
	for (i = 0; i < want.n; i++) {
		const struct cg_setting *set = &want.set[i];

		if (!(gp->set & 1u << i))
			continue;
		if (cgg_is_lxc(g)) {
			key = lxc_key(s->fs.version, set->item);
			st = conf_bytes(g, key, s->fs.version,
			    p->page_bytes, 0, &v);
			if (st == -1)
				errors++;
			if (st != 1 || v != set->bytes)
				gp->pdirty |= (uint16_t)(1u << i);
		}
		if (r->st.exists && (!CG_HAS(&r->st, set->item) ||
		    r->st.val[set->item] != set->bytes))
			gp->ldirty |= (uint16_t)(1u << i);
	}
	return errors;
}

/* A live value as the kernel shows it. */
static char *
live_str(const struct cgk *s, const struct cg_state *st, enum cg_item it)
{
	uint64_t v;

	if (!CG_HAS(st, it))
		return xstrdup(st->bad & 1u << it ? "(unreadable)" :
		    "(no file)");
	v = st->val[it];
	if (v == CG_UNLIMITED) {
		if (s->fs.version == CG_V2)
			return xstrdup("max");
		v = cg_bytes_max(s->fs.page_bytes);
	}
	return xasprintf("%llu", (unsigned long long)v);
}

static size_t
k_settings(const struct plan *p, const struct gplan *gp,
    struct setting **out)
{
	const struct guest *g = gp->guest;
	const struct cgk *s = cgk_of(p->w, g->kind);
	const struct cgg *r = cgg_of(g);
	struct cg_want want;
	struct setting *set;
	const char *why;
	size_t i, n = 0;

	set = xcalloc(CG_NSET, sizeof(*set));
	if (cgg_want(p, gp, &want, &why) == -1)
		want.n = 0;
	for (i = 0; i < want.n; i++) {
		enum cg_item it = want.set[i].item;

		if (!(gp->set & 1u << i))
			continue;
		set[n].name = cg_item_file(it);
		if (cgg_is_lxc(g))
			set[n].old = conf_value(r, lxc_key(s->fs.version, it),
			    NULL);
		set[n].want = xasprintf("%llu",
		    (unsigned long long)want.set[i].bytes);
		if (r->st.exists)
			set[n].live = live_str(s, &r->st, it);
		set[n].persist_differs = (gp->pdirty >> i) & 1;
		set[n].live_differs = (gp->ldirty >> i) & 1;
		n++;
	}
	*out = set;
	return n;
}

static const char *
k_variant_name(const struct plan *p, const struct gplan *gp)
{
	(void)p;
	switch (gp->variant) {
	case CG_V1:
		return "cgroup v1";
	case CG_V2:
		return "cgroup v2";
	default:
		return "no cgroup";
	}
}

/* No command: -a writes the files itself. */
static void
k_command(const struct plan *p, const struct gplan *gp,
    const struct setting *s, size_t n, struct buf *b)
{
	(void)p;
	(void)gp;
	(void)s;
	(void)n;
	(void)b;
}

static uint64_t
kb(uint64_t bytes)
{
	return bytes / 1024;
}

/* Bytes of a limit in kB, FIG_UNLIMITED for none. */
static uint64_t
limit_kb(uint64_t bytes)
{
	return bytes == CG_UNLIMITED ? FIG_UNLIMITED : kb(bytes);
}

/*
 * -s: the live RAM limit and swap limit (v1 memsw, v2 swap.max), and
 * whether one the row sets (as -a would: the swap one only with swap
 * accounting) differs from the row's, to the byte.
 */
static void
live_limits(const struct world *w, const struct guest *g, struct figures *f)
{
	const struct cgk *s = cgk_of(w, g->kind);
	const struct cgg *r = cgg_of(g);
	enum cg_item it[2];
	struct cg_want want;
	struct share sh;
	const char *why;
	size_t i;

	if (s->fs.version == CG_NONE)
		return;
	it[0] = s->fs.version == CG_V2 ? CG_MAX : CG_LIMIT;
	it[1] = swap_item(s);
	f->limits = 1;
	f->swap_name = s->fs.version == CG_V2 ? "swap" : "RAM+swap";
	for (i = 0; i < 2; i++) {
		f->limit[i] = CG_HAS(&r->st, it[i]) ?
		    limit_kb(r->st.val[it[i]]) : FIG_NONE;
		f->row_limit[i] = FIG_NONE;
	}
	if (g->row == NULL || !world_map_ok(w) || row_share(g->row,
	    w->host.mem_kb / w->map.n, w->host.page_kb, INT64_MAX, &sh) == -1 ||
	    cg_want(s->fs.version, s->guar, w->host.page_bytes, sh.g, sh.x,
	    &want, &why) == -1)
		return;
	for (i = 0; i < 2; i++) {
		if (i == 1 && skip_swap(s, r))
			break;
		f->row_limit[i] = kb(want.set[CGS_LIMIT + i].bytes);
		if (CG_HAS(&r->st, it[i]) &&
		    r->st.val[it[i]] != want.set[CGS_LIMIT + i].bytes)
			f->limit_differs = 1;
	}
}

/*
 * -s: RAM held and peak, RAM+swap held, swap held, OOM kills; v2 the
 * high and max events and the pressure, v1 the failcnt.
 */
static int
k_figures(const struct world *w, const struct guest *g, struct figures *f)
{
	const struct cgk *s = cgk_of(w, g->kind);
	const struct cgg *r = cgg_of(g);
	struct cg_live l;
	size_t i;

	memset(f, 0, sizeof(*f));
	f->known = 1u << FIG_HELD | 1u << FIG_PEAK | 1u << FIG_RAMSWAP |
	    1u << FIG_SWAP | 1u << FIG_OOM;
	if (s->fs.version == CG_V2)
		f->known |= 1u << FIG_HIGH | 1u << FIG_MAX;
	else
		f->known |= 1u << FIG_FAILS;
	for (i = 0; i < FIG_N; i++)
		f->v[i] = FIG_NONE;
	if (!cgg_read(w, g, CG_FIG_ITEMS))
		return 0;
	cg_live_of(&r->st, &l);
	if (l.have & CGL_CURRENT)
		f->v[FIG_HELD] = kb(l.current);
	if (l.have & CGL_PEAK)
		f->v[FIG_PEAK] = kb(l.peak);
	if (l.have & CGL_MEMSW) {
		f->v[FIG_RAMSWAP] = kb(l.memsw);
		if (l.have & CGL_CURRENT)
			f->v[FIG_SWAP] = l.memsw > l.current ?
			    kb(l.memsw - l.current) : 0;
	} else if (l.have & CGL_SWAP) {
		f->v[FIG_SWAP] = kb(l.swap);
		if (l.have & CGL_CURRENT)
			f->v[FIG_RAMSWAP] = kb(l.current + l.swap);
	}
	if (l.have & CGL_OOM_KILL)
		f->v[FIG_OOM] = l.oom_kill;
	if (l.have & CGL_HIGH)
		f->v[FIG_HIGH] = l.high;
	if (l.have & CGL_MAX)
		f->v[FIG_MAX] = l.max;
	if (l.have & CGL_FAILCNT)
		f->v[FIG_FAILS] = l.failcnt;
	if (l.have & CGL_PSI)
		snprintf(f->psi, sizeof(f->psi), "%u.%02u",
		    l.psi_some10 / 100, l.psi_some10 % 100);
	live_limits(w, g, f);
	/* A count read as UINT64_MAX is one, not "no figure". */
	for (i = FIG_FAILS; i <= FIG_MAX; i++)
		if (f->v[i] == UINT64_MAX && (l.have & (i == FIG_FAILS ?
		    CGL_FAILCNT : i == FIG_OOM ? CGL_OOM_KILL : i == FIG_HIGH ?
		    CGL_HIGH : CGL_MAX)))
			f->sat |= 1u << i;
	return 1;
}

/* "lxc_config" and "lxc_cgroup": the config and the cgroup found. */
static void
lxc_json_row(const struct world *w, const struct guest *g, struct json *j)
{
	const struct cgg *r;

	(void)w;
	if (g == NULL) {
		json_null(j, "lxc_config");
		json_null(j, "lxc_cgroup");
		return;
	}
	r = cgg_of(g);
	json_str(j, "lxc_config", r->conf.path);
	json_str(j, "lxc_cgroup", r->path);
}

/* "cgroup": the cgroup's path under the mount, null when it is not
 * there. */
static void
cg_json_row(const struct world *w, const struct guest *g, struct json *j)
{
	const struct cgg *r;

	(void)w;
	if (g == NULL) {
		json_null(j, "cgroup");
		return;
	}
	r = cgg_of(g);
	json_str(j, "cgroup", r->st.exists ? r->path : NULL);
}

/* How many guests of kind k there are, and how many have a cgroup. */
static void
count(const struct world *w, const struct kind *k, size_t *n,
    size_t *running)
{
	size_t i;

	*n = *running = 0;
	for (i = 0; i < w->nguests; i++)
		if (w->guests[i].kind == k) {
			(*n)++;
			*running += cgg_of(&w->guests[i])->st.exists != 0;
		}
}

static const char *
version_name(const struct cgk *s)
{
	return s->fs.version == CG_V2 ? "cgroup v2" : s->fs.version == CG_V1 ?
	    "cgroup v1" : "no memory cgroup";
}

/* "LXC on cgroup v2, 6 containers (5 running) in /var/lib/lxc". */
static void
lxc_describe(const struct world *w, struct buf *b)
{
	const struct cgk *s = cgk_of(w, &lxc_kind);
	size_t n, running;

	count(w, &lxc_kind, &n, &running);
	if (n == 0)
		return;
	buf_printf(b, "LXC on %s, %zu container%s (%zu running) in ",
	    version_name(s), n, n == 1 ? "" : "s", running);
	screen_str(b, s->lxcpath);
}

/* "cgroups (cgroup v2), 2 mapped (1 there)". */
static void
cg_describe(const struct world *w, struct buf *b)
{
	const struct cgk *s = cgk_of(w, &cg_kind);
	size_t n, running;

	count(w, &cg_kind, &n, &running);
	if (n == 0)
		return;
	buf_printf(b, "cgroups on %s, %zu mapped (%zu there)",
	    version_name(s), n, running);
}

/* "lxc": {"lxcpath", "containers", "running"}, null without any. */
static void
lxc_json_host(const struct world *w, struct json *j)
{
	const struct cgk *s = cgk_of(w, &lxc_kind);
	size_t n, running;

	count(w, &lxc_kind, &n, &running);
	if (n == 0) {
		json_null(j, "lxc");
		return;
	}
	json_obj(j, "lxc");
	json_str(j, "lxcpath", s->lxcpath);
	json_u64(j, "containers", n);
	json_u64(j, "running", running);
	json_end_obj(j);
}

/*
 * "cgroup": the host's memory cgroup, for the guests of both kinds:
 * {"version", "mount", "swap_accounting", "memory_recursiveprot",
 * "guests"}, null when no guest uses it.
 */
static void
cg_json_host(const struct world *w, struct json *j)
{
	const struct cgk *s = cgk_of(w, &cg_kind);
	size_t nl, nc, running;

	count(w, &lxc_kind, &nl, &running);
	count(w, &cg_kind, &nc, &running);
	if (nl + nc == 0 || s->fs.version == CG_NONE) {
		json_null(j, "cgroup");
		return;
	}
	json_obj(j, "cgroup");
	json_u64(j, "version", s->fs.version == CG_V2 ? 2 : 1);
	json_str(j, "mount", s->fs.mount);
	json_bool(j, "swap_accounting", s->fs.swap);
	json_bool(j, "memory_recursiveprot", s->fs.recursiveprot);
	json_u64(j, "guests", nl + nc);
	json_end_obj(j);
}

/*
 * cgread.c -- the memory files of v1 and v2, which item each holds, and
 * reading a cgroup's (and its parent's) into a record of figures.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cgroup/cgfs.h"
#include "cgroup/cgfile.h"

static const struct cgfile files[] = {
	{ "memory.low", CG_V2, F_BYTES, CG_LOW, 1 },
	{ "memory.min", CG_V2, F_BYTES, CG_MIN, 1 },
	{ "memory.max", CG_V2, F_BYTES, CG_MAX, 1 },
	{ "memory.high", CG_V2, F_BYTES, CG_HIGH, 1 },
	{ "memory.swap.max", CG_V2, F_BYTES, CG_SWAP_MAX, 1 },
	{ "memory.current", CG_V2, F_BYTES, CG_CURRENT, 0 },
	{ "memory.peak", CG_V2, F_BYTES, CG_PEAK, 0 },
	{ "memory.swap.current", CG_V2, F_BYTES, CG_SWAP_CURRENT, 0 },
	{ "memory.events", CG_V2, F_EVENTS, CG_EV_HIGH, 0 },
	{ "memory.pressure", CG_V2, F_PSI, CG_PSI_SOME10, 0 },
	{ "memory.soft_limit_in_bytes", CG_V1, F_BYTES, CG_SOFT, 0 },
	{ "memory.limit_in_bytes", CG_V1, F_BYTES, CG_LIMIT, 0 },
	{ "memory.memsw.limit_in_bytes", CG_V1, F_BYTES, CG_MEMSW, 0 },
	{ "memory.usage_in_bytes", CG_V1, F_BYTES, CG_USAGE, 0 },
	{ "memory.max_usage_in_bytes", CG_V1, F_BYTES, CG_MAX_USAGE, 0 },
	{ "memory.memsw.usage_in_bytes", CG_V1, F_BYTES, CG_MEMSW_USAGE, 0 },
	{ "memory.failcnt", CG_V1, F_COUNT, CG_FAILCNT, 0 },
	{ "memory.oom_control", CG_V1, F_OOMCTL, CG_OOM_KILL, 0 }
};
#define NFILES	(sizeof(files) / sizeof(files[0]))

/* In the order of enum cg_item. */
static const char *const item_files[] = {
	"memory.low", "memory.min", "memory.max", "memory.high",
	"memory.swap.max", "memory.current", "memory.peak",
	"memory.swap.current", "memory.soft_limit_in_bytes",
	"memory.limit_in_bytes", "memory.memsw.limit_in_bytes",
	"memory.usage_in_bytes", "memory.max_usage_in_bytes",
	"memory.memsw.usage_in_bytes", "memory.failcnt", "memory.events",
	"memory.events", "memory.events", "memory.pressure", "memory.low",
	"memory.min"
};
_Static_assert(sizeof(item_files) / sizeof(item_files[0]) == CG_NITEMS,
    "a file for every item");
_Static_assert(CG_NITEMS <= 32, "an item is a bit of have and bad");

static void	 parse_single(struct cg_state *, const struct cgfile *,
		    enum cg_item, const char *, size_t, const char *,
		    uint64_t);
static const struct cgfile *find_file(const char *);
static void	 read_file(struct cg_state *, int, const char *,
		    const struct cgfile *, enum cg_item, uint64_t);
static void	 read_parent(const struct cgfs *, const char *,
		    struct cg_state *);
static uint32_t	 file_items(const struct cgfile *);
static void	 live_pick(const struct cg_state *, enum cg_item,
		    uint64_t *, unsigned, unsigned *);

const char *
cg_item_file(enum cg_item item)
{
	return (unsigned)item < CG_NITEMS ? item_files[item] : NULL;
}

void
cg_set_item(struct cg_state *st, enum cg_item item, uint64_t v)
{
	st->val[item] = v;
	st->have |= 1u << item;
	st->bad &= ~(1u << item);
}

/* The file is there but says nothing usable: absent, and bad. */
void
cg_bad_item(struct cg_state *st, enum cg_item item)
{
	st->val[item] = 0;
	st->have &= ~(1u << item);
	st->bad |= 1u << item;
}

void
cg_garbage(const char *shown, size_t line, const char *what, const char *s,
    size_t len)
{
	struct buf q = { NULL, 0, 0 };

	cg_quote(&q, s, len);
	vz_warn(shown, line, 0, "%s: \"%s\"; ignored", what, q.data);
	buf_free(&q);
}

/*
 * One value and a newline, as the kernel prints it: decimal, or "max"
 * for a v2 limit.  v1 prints an unlimited limit as the page-rounded
 * LONG_MAX, which reads as CG_UNLIMITED like anything from there up.
 */
static void
parse_single(struct cg_state *st, const struct cgfile *f,
    enum cg_item item, const char *text, size_t len, const char *shown,
    uint64_t page_bytes)
{
	const char *nl;
	uint64_t v;
	size_t n;
	int ok;

	nl = memchr(text, '\n', len);
	n = nl != NULL ? (size_t)(nl - text) : len;
	if (f->max_ok && cg_tok_is(text, n, "max")) {
		v = CG_UNLIMITED;
		ok = 1;
	} else
		ok = parse_u64(text, n, UINT64_MAX, &v) == 0;
	if (!ok || (nl != NULL && (size_t)(nl - text) + 1 < len)) {
		cg_bad_item(st, item);
		if (!ok)
			cg_garbage(shown, 1, f->kind == F_COUNT ? "not a count" :
			    f->max_ok ? "not a byte count or \"max\"" :
			    "not a byte count", text, n);
		else {
			text = nl + 1;
			nl = memchr(text, '\n', len - n - 1);
			cg_garbage(shown, 2, "more than one value", text,
			    nl != NULL ? (size_t)(nl - text) : len - n - 1);
		}
		return;
	}
	if (f->kind == F_BYTES && v >= cg_bytes_max(page_bytes))
		v = CG_UNLIMITED;
	cg_set_item(st, item, v);
}

static const struct cgfile *
find_file(const char *name)
{
	size_t i;

	for (i = 0; i < NFILES; i++)
		if (strcmp(files[i].name, name) == 0)
			return &files[i];
	return NULL;
}

int
cg_parse(struct cg_state *st, const char *name, const char *text,
    size_t len, const char *shown, uint64_t page_bytes)
{
	const struct cgfile *f;

	if ((f = find_file(name)) == NULL)
		return -1;
	switch (f->kind) {
	case F_BYTES:
	case F_COUNT:
		parse_single(st, f, f->item, text, len, shown, page_bytes);
		break;
	case F_EVENTS:
	case F_OOMCTL:
		cg_parse_keyed(st, f, text, len, shown);
		break;
	case F_PSI:
		cg_parse_psi(st, text, len, shown);
		break;
	}
	return 0;
}

/*
 * dir/f->name into item (f->item but for the parent's files), opened in
 * dfd, the directory dir (shown in messages).  The path is built by
 * hand: 30,000 of them by printf cost more than their reads.
 */
static void
read_file(struct cg_state *st, int dfd, const char *dir,
    const struct cgfile *f, enum cg_item item, uint64_t page_bytes)
{
	struct buf b = { NULL, 0, 0 }, pb = { NULL, 0, 0 };
	const char *path;
	int r;

	buf_addstr(&pb, dir);
	buf_addc(&pb, '/');
	buf_addstr(&pb, f->name);
	path = pb.data;
	if ((r = cg_read_small(dfd, f->name, path, &b)) == 1) {
		if (f->kind == F_BYTES || f->kind == F_COUNT)
			parse_single(st, f, item, b.data, b.len, path,
			    page_bytes);
		else
			cg_parse(st, f->name, b.data, b.len, path,
			    page_bytes);
	} else if (r == -1)
		cg_bad_item(st, item);
	buf_free(&b);
	buf_free(&pb);
}

/*
 * The parent decides whether the memory files exist at all (v2: its
 * subtree_control) and whether a guarantee protects anything (its own
 * memory.low, unless it is the root, which needs none).
 */
static void
read_parent(const struct cgfs *fs, const char *path, struct cg_state *st)
{
	struct buf b = { NULL, 0, 0 };
	struct cg_walk wk;
	char *parent, *pdir, *p;
	int pfd;

	st->parent_root = strchr(path, '/') == NULL;
	if (fs->version == CG_V1) {
		st->parent_memory = 1;
		return;
	}
	st->parent_memory = -1;
	parent = cg_parent_path(path);
	pdir = parent[0] == '\0' ? xstrdup(fs->mount) : xasprintf("%s/%s",
	    fs->mount, parent);
	/* Walked like the guest's own: a link above it is not read. */
	pfd = cg_dir_open(fs->mfd, parent, &wk);
	free(parent);
	if (pfd == -1) {
		free(pdir);
		return;
	}
	p = xasprintf("%s/cgroup.subtree_control", pdir);
	if (cg_read_small(pfd, "cgroup.subtree_control", p, &b) == 1)
		st->parent_memory = cg_words_have(b.data, b.len, "memory");
	free(p);
	if (!st->parent_root) {
		read_file(st, pfd, pdir, find_file("memory.low"),
		    CG_PARENT_LOW, fs->page_bytes);
		read_file(st, pfd, pdir, find_file("memory.min"),
		    CG_PARENT_MIN, fs->page_bytes);
	}
	close(pfd);
	buf_free(&b);
	free(pdir);
}

int
cg_read(const struct cgfs *fs, const char *path, struct cg_state *st)
{
	memset(st, 0, sizeof(*st));
	return cg_read_items(fs, path, UINT32_MAX, st);
}

/* The items a file of the table holds. */
static uint32_t
file_items(const struct cgfile *f)
{
	if (f->kind == F_EVENTS)
		return 1u << CG_EV_HIGH | 1u << CG_EV_MAX | 1u << CG_OOM_KILL;
	return 1u << f->item;
}

int
cg_read_items(const struct cgfs *fs, const char *path, uint32_t mask,
    struct cg_state *st)
{
	const uint32_t parent = 1u << CG_PARENT_LOW | 1u << CG_PARENT_MIN;
	struct cg_walk wk;
	uint32_t fm;
	char *dir;
	size_t i;
	int dfd;

	if (st->read == 0 && !st->looked)
		st->parent_memory = -1;
	if (fs->version == CG_NONE || fs->mount == NULL) {
		st->looked = 1;
		return 0;
	}
	mask &= ~st->read;
	if (st->looked && (!st->exists || mask == 0))
		return st->exists;
	dir = path[0] != '\0' ? xasprintf("%s/%s", fs->mount, path) :
	    xstrdup(fs->mount);
	/*
	 * The files opened in the directory, walked from the mount one
	 * component at a time: a link on the way is refused (st->walk), and
	 * the cgroup counts as not there.
	 */
	dfd = cg_dir_open(fs->mfd, path, &wk);
	if (!st->looked) {
		st->exists = dfd != -1;
		st->walk = wk;
		st->looked = 1;
	}
	/* Gone since it was looked at: its files stay absent. */
	for (i = 0; i < NFILES && st->exists && dfd != -1; i++) {
		fm = file_items(&files[i]);
		if (files[i].version != fs->version || (fm & mask) == 0)
			continue;
		read_file(st, dfd, dir, &files[i], files[i].item,
		    fs->page_bytes);
		st->read |= fm;
	}
	if (st->exists && dfd != -1 && (mask & parent) != 0 &&
	    path[0] != '\0')
		read_parent(fs, path, st);
	if (st->exists)
		st->read |= mask;
	if (dfd != -1)
		close(dfd);
	free(dir);
	return st->exists;
}

/* One figure, when it was read. */
static void
live_pick(const struct cg_state *st, enum cg_item item, uint64_t *v,
    unsigned bit, unsigned *have)
{
	if (CG_HAS(st, item)) {
		*v = st->val[item];
		*have |= bit;
	}
}

void
cg_live_of(const struct cg_state *st, struct cg_live *l)
{
	memset(l, 0, sizeof(*l));
	/* A state holds the files of one version: one of each pair. */
	live_pick(st, CG_CURRENT, &l->current, CGL_CURRENT, &l->have);
	live_pick(st, CG_USAGE, &l->current, CGL_CURRENT, &l->have);
	live_pick(st, CG_PEAK, &l->peak, CGL_PEAK, &l->have);
	live_pick(st, CG_MAX_USAGE, &l->peak, CGL_PEAK, &l->have);
	live_pick(st, CG_SWAP_CURRENT, &l->swap, CGL_SWAP, &l->have);
	live_pick(st, CG_MEMSW_USAGE, &l->memsw, CGL_MEMSW, &l->have);
	live_pick(st, CG_OOM_KILL, &l->oom_kill, CGL_OOM_KILL, &l->have);
	live_pick(st, CG_EV_HIGH, &l->high, CGL_HIGH, &l->have);
	live_pick(st, CG_EV_MAX, &l->max, CGL_MAX, &l->have);
	live_pick(st, CG_FAILCNT, &l->failcnt, CGL_FAILCNT, &l->have);
	if (CG_HAS(st, CG_PSI_SOME10)) {
		l->psi_some10 = (uint32_t)st->val[CG_PSI_SOME10];
		l->have |= CGL_PSI;
	}
}

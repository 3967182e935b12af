/*
 * lxc.c -- LXC containers: the list, the config (read as LXC 5's
 * parse_line() reads it, kept as the original bytes plus the values
 * changed), the memory cgroup of a running one, and -i's share.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgroup/lxc.h"

#define NAME_MAX_LEN	255
#define RELATIVE_DEPTH	3	/* user.slice/user-0.slice/session-N.scope */

static const char *const payload_fmt[] = {
	"%s/lxc.payload.%s",	/* lxc.cgroup.dir, LXC 4 and later */
	"%s/%s"			/* lxc.cgroup.dir, LXC 3 */
};

/* The keys vzmem sets, per version, for the files of cg_want(). */
static const struct {
	enum cg_version	 version;
	enum cg_item	 item;
	const char	*key;
} keys[] = {
	{ CG_V2, CG_LOW, "lxc.cgroup2.memory.low" },
	{ CG_V2, CG_MIN, "lxc.cgroup2.memory.min" },
	{ CG_V2, CG_MAX, "lxc.cgroup2.memory.max" },
	{ CG_V2, CG_SWAP_MAX, "lxc.cgroup2.memory.swap.max" },
	{ CG_V1, CG_SOFT, "lxc.cgroup.memory.soft_limit_in_bytes" },
	{ CG_V1, CG_LIMIT, "lxc.cgroup.memory.limit_in_bytes" },
	{ CG_V1, CG_MEMSW, "lxc.cgroup.memory.memsw.limit_in_bytes" }
};
#define NKEYS	(sizeof(keys) / sizeof(keys[0]))

/* The candidates of lxc_cgroup_find, with what to say about a bad one. */
struct cand {
	char		*path;
	const char	*key;		/* the config key it came from */
};

static int	 lxc_blank(int);
static int	 is_empty(const char *, size_t);
static void	 parse_text(struct lxc_conf *);
static void	 parse_line(struct lxc_conf *, struct lxc_line *);
static int	 key_is(const struct lxc_conf *, const struct lxc_line *,
		    const char *);
static long	 find_key(const struct lxc_conf *, const char *);
static long	 added_find(const struct lxc_conf *, const char *);
static void	 update_dirty(struct lxc_conf *);
static int	 unterminated(const struct lxc_conf *);
static void	 render_added(const struct lxc_conf *, size_t, struct buf *);
static int	 config_ok(int, const char *);
static int	 cmp_name(const void *, const void *);
static void	 bad_name(const char *, const char *, int);
static char	*value_str(const struct lxc_conf *, const char *, size_t *);
static int	 knob(const struct lxc_conf *, const char *, enum cg_version,
		    uint64_t, uint64_t *, size_t *);
static int	 is_relative(const struct lxc_conf *);
static size_t	 candidates(const struct lxc_conf *, const char *,
		    struct cand *);
static int	 exists_under(const struct cgfs *, const char *, int);
static int	 ends_with(const char *, size_t, const char *);
static const char *foreign(const char *, const char *, int);
static size_t	 search(const struct cgfs *, const char *, const char *,
		    int, char **);

int
lxc_name_valid(const char *s, size_t len)
{
	size_t i;

	if (len == 0 || len > NAME_MAX_LEN || s[0] == '.' || s[0] == '-')
		return 0;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || c == '.' || c == '_' ||
		    c == '-'))
			return 0;
	}
	return 1;
}

/*
 * NAME/config is a container's: 1; not one (no config, or a directory
 * there): 0; a dangling symlink: -1.
 */
static int
config_ok(int dfd, const char *name)
{
	struct stat st;
	char *p;
	int r;

	/* Relative to lxcpath: 10,000 walks of its path saved. */
	p = xasprintf("%s/config", name);
	if (fstatat(dfd, p, &st, 0) == 0)
		r = S_ISREG(st.st_mode) ? 1 : 0;
	else
		r = fstatat(dfd, p, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
		    S_ISLNK(st.st_mode) ? -1 : 0;
	free(p);
	return r;
}

static int
cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A container left out, and what would let vzmem map it. */
static void
bad_name(const char *lxcpath, const char *name, int dangling)
{
	struct buf q = { NULL, 0, 0 };

	cg_quote(&q, name, strlen(name));
	if (dangling)
		vz_warn(lxcpath, 0, 0, "container \"%s\": its config is a "
		    "dangling symlink; left out: point it at the config, or "
		    "remove it", q.data);
	else
		vz_warn(lxcpath, 0, 0, "container \"%s\": not a name vzmem "
		    "can use (want [A-Za-z0-9._-], not starting with '.' or "
		    "'-'); left out: to map it, rename it (stopped: 'lxc-copy "
		    "-R -n OLD -N NEW') and run 'vzmem -i' again", q.data);
	buf_free(&q);
}

int
lxc_list(const char *lxcpath, struct strpool *pool,
    char ***names, size_t *n, size_t *nbad)
{
	struct dirent *de;
	size_t cap = 0;
	DIR *d;
	int r;

	*names = NULL;
	*n = *nbad = 0;
	if ((d = opendir(lxcpath)) == NULL) {
		if (errno == ENOENT)
			return VZ_OK;
		vz_syserr(lxcpath, "cannot read");
		return VZ_FAIL;
	}
	/* errno 0 before each readdir(): NULL with errno set is an error,
	 * and a listing cut short would drop containers from -i's map. */
	for (errno = 0; (de = readdir(d)) != NULL; errno = 0) {
		if (de->d_name[0] == '.')
			continue;
		if ((r = config_ok(dirfd(d), de->d_name)) == 0)
			continue;
		if (r == -1 || !lxc_name_valid(de->d_name,
		    strlen(de->d_name))) {
			bad_name(lxcpath, de->d_name, r == -1);
			(*nbad)++;
			continue;
		}
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			*names = xreallocarray(*names, cap, sizeof(**names));
		}
		(*names)[(*n)++] = strpool_add(pool, de->d_name,
		    strlen(de->d_name));
	}
	if (errno != 0) {
		vz_syserr(lxcpath, "cannot read");
		closedir(d);
		free(*names);
		*names = NULL;
		*n = 0;
		return VZ_FAIL;
	}
	closedir(d);
	if (*n > 1)
		qsort(*names, *n, sizeof(**names), cmp_name);
	return VZ_OK;
}

/* What LXC's lxc_char_left_gc() and right_gc() skip: not is_blank() of
 * lib/scan.h, which skips \r, \v and \f too. */
static int
lxc_blank(int c)
{
	return c == ' ' || c == '\t';
}

/* lxc_is_line_empty(). */
static int
is_empty(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' &&
		    s[i] != '\f')
			return 0;
	return 1;
}

/*
 * One line as LXC's parse_line() sees it: empty; a '#' comment after
 * blanks; not "lxc." (ignored); no '=' (refused by LXC, kept here); else
 * the key up to the '=' less trailing blanks, the value after it less
 * blanks both sides and one pair of matching quotes.  A '\r' of a CRLF
 * line end is no part of the value.
 */
static void
parse_line(struct lxc_conf *c, struct lxc_line *l)
{
	const char *p = c->text.data + l->off, *eq;
	size_t b = 0, e = l->len, k, v;

	if (e > 0 && p[e - 1] == '\r')
		e--;
	if (is_empty(p, e))
		return;
	while (b < e && lxc_blank(p[b]))
		b++;
	if (p[b] == '#' || e - b < 4 || memcmp(p + b, "lxc.", 4) != 0 ||
	    (eq = memchr(p + b, '=', e - b)) == NULL)
		return;
	for (k = (size_t)(eq - p); k > b && lxc_blank(p[k - 1]); k--)
		;
	for (v = (size_t)(eq - p) + 1; v < e && lxc_blank(p[v]); v++)
		;
	while (e > v && lxc_blank(p[e - 1]))
		e--;
	if (e - v > 1 && (p[v] == '"' || p[v] == '\'') && p[e - 1] == p[v]) {
		l->quote = p[v];
		v++;
		e--;
	}
	l->key_off = l->off + b;
	l->key_len = k - b;
	l->val_off = l->off + v;
	l->val_len = e - v;
	if (key_is(c, l, "lxc.include") && c->include_line == 0)
		c->include_line = l->lineno;
}

static void
parse_text(struct lxc_conf *c)
{
	const char *t = c->text.data, *nl;
	size_t n = 0, off, i;

	for (off = 0; off < c->text.len; off = (size_t)(nl - t) + 1) {
		if ((nl = memchr(t + off, '\n', c->text.len - off)) == NULL)
			nl = t + c->text.len;
		n++;
	}
	c->lines = xcalloc(n, sizeof(*c->lines));
	c->nlines = n;
	c->eol = "\n";
	for (i = 0, off = 0; i < n; i++) {
		if ((nl = memchr(t + off, '\n', c->text.len - off)) == NULL)
			nl = t + c->text.len;
		c->lines[i].off = off;
		c->lines[i].len = (size_t)(nl - (t + off));
		c->lines[i].lineno = i + 1;
		/* The first line end is the file's. */
		if (i == 0 && nl < t + c->text.len && nl > t + off &&
		    nl[-1] == '\r')
			c->eol = "\r\n";
		parse_line(c, &c->lines[i]);
		off += c->lines[i].len + 1;
	}
}

void
lxc_conf_parse(struct lxc_conf *c, const char *text, size_t len,
    const char *shown)
{
	memset(c, 0, sizeof(*c));
	c->shown = xstrdup(shown != NULL ? shown : "config");
	buf_add(&c->text, text, len);
	parse_text(c);
}

int
lxc_conf_load(struct lxc_conf *c, const char *path, const char *shown)
{
	struct buf b = { NULL, 0, 0 };
	int e;

	memset(c, 0, sizeof(*c));
	if (file_read(path, &b) == -1) {
		e = errno;
		buf_free(&b);
		errno = e;
		return -1;
	}
	lxc_conf_parse(c, b.data, b.len, shown != NULL ? shown : path);
	buf_free(&b);
	c->path = xstrdup(path);
	/* Limits set in an included file would be missed: say so. */
	if (c->include_line != 0)
		vz_warn(c->shown, c->include_line, 0, "lxc.include: "
		    "included files are not read");
	return 0;
}

static int
key_is(const struct lxc_conf *c, const struct lxc_line *l, const char *key)
{
	size_t n = strlen(key);

	return n > 0 && l->key_len == n &&
	    memcmp(c->text.data + l->key_off, key, n) == 0;
}

/* The last assignment of key, LXC reading top to bottom: or -1. */
static long
find_key(const struct lxc_conf *c, const char *key)
{
	size_t i, n = strlen(key);
	const struct lxc_line *l;

	/* key_is() inline: its strlen once, not once a line. */
	for (i = c->nlines; i-- > 0; ) {
		l = &c->lines[i];
		if (n > 0 && l->key_len == n &&
		    memcmp(c->text.data + l->key_off, key, n) == 0)
			return (long)i;
	}
	return -1;
}

static long
added_find(const struct lxc_conf *c, const char *key)
{
	size_t i;

	for (i = 0; i < c->nadded; i++)
		if (strcmp(c->added[i].key, key) == 0)
			return (long)i;
	return -1;
}

const char *
lxc_conf_get(const struct lxc_conf *c, const char *key, size_t *len,
    size_t *lineno)
{
	const struct lxc_line *l;
	size_t dummy;
	long i;

	if (lineno == NULL)
		lineno = &dummy;
	if ((i = find_key(c, key)) != -1) {
		l = &c->lines[i];
		*lineno = l->lineno;
		if (l->newval != NULL) {
			*len = strlen(l->newval);
			return l->newval;
		}
		*len = l->val_len;
		return c->text.data + l->val_off;
	}
	if ((i = added_find(c, key)) != -1) {
		/* Where it would be, counting the lines added before. */
		*lineno = c->added[i].before + (size_t)i + 1;
		*len = strlen(c->added[i].val);
		return c->added[i].val;
	}
	return NULL;
}

static void
update_dirty(struct lxc_conf *c)
{
	size_t i;

	c->dirty = c->nadded > 0;
	for (i = 0; i < c->nlines && !c->dirty; i++)
		if (c->lines[i].newval != NULL)
			c->dirty = 1;
}

void
lxc_conf_set(struct lxc_conf *c, const char *key, const char *val,
    const char *before)
{
	struct lxc_line *l;
	struct lxc_added *a;
	long i, j;

	if ((i = find_key(c, key)) != -1) {
		l = &c->lines[i];
		free(l->newval);
		l->newval = NULL;
		if (strlen(val) != l->val_len || memcmp(c->text.data +
		    l->val_off, val, l->val_len) != 0)
			l->newval = xstrdup(val);
	} else if ((i = added_find(c, key)) != -1) {
		free(c->added[i].val);
		c->added[i].val = xstrdup(val);
	} else {
		j = before != NULL ? find_key(c, before) : -1;
		c->added = xreallocarray(c->added, c->nadded + 1,
		    sizeof(*c->added));
		a = &c->added[c->nadded++];
		a->key = xstrdup(key);
		a->val = xstrdup(val);
		a->before = j != -1 ? (size_t)j : c->nlines;
	}
	update_dirty(c);
}

/* The last line has no '\n' (rendering must not add one). */
static int
unterminated(const struct lxc_conf *c)
{
	return c->text.len > 0 && c->text.data[c->text.len - 1] != '\n';
}

/* The lines added before line i (nlines: at the end), in their order. */
static void
render_added(const struct lxc_conf *c, size_t i, struct buf *out)
{
	size_t k;

	for (k = 0; k < c->nadded; k++)
		if (c->added[k].before == i) {
			buf_printf(out, "%s = %s%s", c->added[k].key,
			    c->added[k].val, c->eol);
		}
}

void
lxc_conf_render(const struct lxc_conf *c, struct buf *out)
{
	const struct lxc_line *l;
	const char *t = c->text.data;
	size_t i, end;

	buf_add(out, "", 0);
	for (i = 0; i < c->nlines; i++) {
		render_added(c, i, out);
		l = &c->lines[i];
		if (l->newval == NULL)
			buf_add(out, t + l->off, l->len);
		else {
			/* Blanks, quotes and the line end stay. */
			end = l->val_off + l->val_len;
			buf_add(out, t + l->off, l->val_off - l->off);
			buf_addstr(out, l->newval);
			buf_add(out, t + end, l->off + l->len - end);
		}
		if (i + 1 < c->nlines || !unterminated(c))
			buf_addc(out, '\n');
	}
	for (i = 0; i < c->nadded; i++)
		if (c->added[i].before == c->nlines)
			break;
	if (i < c->nadded && unterminated(c))
		buf_addstr(out, c->eol);
	render_added(c, c->nlines, out);
}

int
lxc_conf_write(const struct lxc_conf *c)
{
	struct buf b = { NULL, 0, 0 }, now = { NULL, 0, 0 };
	struct ofile of;
	int r = -1;

	if (!c->dirty)
		return 0;
	if (c->path == NULL) {
		errno = EINVAL;
		return -1;
	}
	/* Opened once, read again from that descriptor: what is replaced
	 * is the file planned from, or nothing. */
	if (file_open(&of, c->path, 0) == -1 || file_load(&of, &now) == -1)
		vz_err(c->shown, 0, 0, "cannot write: %s", file_why(&of));
	else if (now.len != c->text.len ||
	    memcmp(now.data, c->text.data, now.len) != 0)
		vz_err(c->shown, 0, 0, "changed while vzmem ran: not "
		    "written; run vzmem -a again");
	else {
		lxc_conf_render(c, &b);
		if (file_save(&of, b.data, b.len, 0640, NULL, 0) == -1)
			vz_err(c->shown, 0, 0, "cannot write: %s",
			    file_why(&of));
		else
			r = 0;
	}
	file_close(&of);
	buf_free(&now);
	buf_free(&b);
	return r;
}

void
lxc_conf_free(struct lxc_conf *c)
{
	size_t i;

	for (i = 0; c->lines != NULL && i < c->nlines; i++)
		free(c->lines[i].newval);
	for (i = 0; i < c->nadded; i++) {
		free(c->added[i].key);
		free(c->added[i].val);
	}
	free(c->lines);
	free(c->added);
	free(c->path);
	free(c->shown);
	buf_free(&c->text);
	memset(c, 0, sizeof(*c));
}

const char *
lxc_key(enum cg_version version, enum cg_item item)
{
	size_t i;

	for (i = 0; i < NKEYS; i++)
		if (keys[i].version == version && keys[i].item == item)
			return keys[i].key;
	return NULL;
}

/* key's value as a string (allocated), NULL when unset or empty. */
static char *
value_str(const struct lxc_conf *c, const char *key, size_t *lineno)
{
	const char *v;
	size_t len;

	if ((v = lxc_conf_get(c, key, &len, lineno)) == NULL || len == 0)
		return NULL;
	return xstrndup(v, len);
}

/*
 * key's value in bytes: 1 set, 0 not set, -1 not parsed (a warning).
 * lxc.cgroup2.* is read as v2 writes it, lxc.cgroup.* as v1.
 */
static int
knob(const struct lxc_conf *c, const char *key, enum cg_version version,
    uint64_t page_bytes, uint64_t *v, size_t *nbad)
{
	struct buf q = { NULL, 0, 0 };
	const char *why;
	size_t lineno = 0;
	char *s;

	if ((s = value_str(c, key, &lineno)) == NULL)
		return 0;
	if (cg_value_parse(s, strlen(s), version, page_bytes, v, &why) == 0) {
		free(s);
		return 1;
	}
	cg_quote(&q, s, strlen(s));
	vz_warn(c->shown, lineno, 0, "%s: invalid value \"%s\": %s; taken "
	    "as not set", key, q.data, why);
	buf_free(&q);
	free(s);
	(*nbad)++;
	return -1;
}

size_t
lxc_conf_knobs(const struct lxc_conf *c, enum cg_version version,
    enum cg_guar guar, uint64_t page_bytes, struct cg_knobs *k)
{
	enum cg_item g[2], lim;
	size_t i, nbad = 0;
	uint64_t v;

	memset(k, 0, sizeof(*k));
	if (version == CG_V2) {
		g[0] = guar == CG_GUAR_MIN ? CG_MIN : CG_LOW;
		g[1] = guar == CG_GUAR_MIN ? CG_LOW : CG_MIN;
		lim = CG_MAX;
	} else if (version == CG_V1) {
		g[0] = g[1] = CG_SOFT;
		lim = CG_LIMIT;
	} else
		return 0;
	for (i = 0; i < 2 && !(k->have & CGK_GUAR); i++)
		if (knob(c, lxc_key(version, g[i]), version, page_bytes, &v,
		    &nbad) == 1 && v != 0 && v != CG_UNLIMITED) {
			k->guar = v;
			k->have |= CGK_GUAR;
		}
	if (knob(c, lxc_key(version, lim), version, page_bytes, &v,
	    &nbad) == 1) {
		k->limit = v;
		k->have |= CGK_LIMIT;
	}
	return nbad;
}

uint32_t
lxc_conf_want(struct lxc_conf *c, const struct cgfs *fs,
    const struct cg_want *want)
{
	const struct cg_setting *set;
	const char *key, *before, *why;
	uint32_t skipped = 0;
	char *s, num[32];
	uint64_t v;
	size_t i;
	int same;

	for (i = 0; i < want->n; i++) {
		set = &want->set[i];
		if ((key = lxc_key(fs->version, set->item)) == NULL)
			continue;
		if (!fs->swap && (set->item == CG_MEMSW ||
		    set->item == CG_SWAP_MAX)) {
			skipped |= 1u << set->item;
			continue;
		}
		if ((s = value_str(c, key, NULL)) != NULL) {
			same = cg_value_parse(s, strlen(s), fs->version,
			    fs->page_bytes, &v, &why) == 0 && v == set->bytes;
			free(s);
			if (same)
				continue;
		}
		before = set->item == CG_LIMIT ? lxc_key(CG_V1, CG_MEMSW) :
		    NULL;
		snprintf(num, sizeof(num), "%llu",
		    (unsigned long long)set->bytes);
		lxc_conf_set(c, key, num, before);
	}
	return skipped;
}

/* The systemd units that hold processes: the host's services, sessions,
 * machines.  A slice holds only other cgroups. */
static const char *const unit_suffixes[] = {
	".service", ".scope", ".socket", ".mount", ".swap"
};

/* The host's own slices, at the root. */
static const char *const host_slices[] = { "system.slice", "user.slice" };

static int
ends_with(const char *s, size_t len, const char *sfx)
{
	size_t n = strlen(sfx);

	return len >= n && memcmp(s + len - n, sfx, n) == 0;
}

/*
 * NULL when path (a valid cgroup path from an lxc.cgroup.dir* key) is
 * container name's, else why not.  It is when no component names a
 * systemd unit and it lies outside the host's slices, and (named_last)
 * its last component is NAME or lxc.payload.NAME, as LXC names the
 * cgroups it makes.
 */
static const char *
foreign(const char *path, const char *name, int named_last)
{
	const char *c = path, *slash;
	size_t n, i;

	for (;;) {
		slash = strchr(c, '/');
		n = slash != NULL ? (size_t)(slash - c) : strlen(c);
		for (i = 0; c == path && i < sizeof(host_slices) /
		    sizeof(host_slices[0]); i++)
			if (strlen(host_slices[i]) == n &&
			    memcmp(c, host_slices[i], n) == 0)
				return "it lies in the host's system.slice or "
				    "user.slice";
		for (i = 0; i < sizeof(unit_suffixes) /
		    sizeof(unit_suffixes[0]); i++)
			if (ends_with(c, n, unit_suffixes[i]))
				return "a component is a systemd unit's "
				    "(.service, .scope, .socket, .mount, "
				    ".swap)";
		if (slash == NULL)
			break;
		c = slash + 1;
	}
	if (named_last && strcmp(c, name) != 0 &&
	    !(strncmp(c, "lxc.payload.", 12) == 0 &&
	    strcmp(c + 12, name) == 0))
		return "its last component is neither the container's name "
		    "nor lxc.payload.NAME";
	return NULL;
}

int
lxc_cgroup_foreign(const struct lxc_conf *c, const char *name,
    const char **key, char **val, size_t *line, const char **why)
{
	static const char *const dir_keys[] = {
		"lxc.cgroup.dir.container", "lxc.cgroup.dir"
	};
	size_t i;
	char *v;

	for (i = 0; i < 2; i++) {
		if ((v = value_str(c, dir_keys[i], line)) == NULL)
			continue;
		/* A path vzmem does not use is a warning of its own. */
		if (cg_path_valid(v, strlen(v)) &&
		    (*why = foreign(v, name, i == 0)) != NULL) {
			*key = dir_keys[i];
			*val = v;
			return 1;
		}
		free(v);
		/* LXC takes lxc.cgroup.dir.container over lxc.cgroup.dir. */
		break;
	}
	return 0;
}

size_t
lxc_cgroup_claims(const struct lxc_conf *c, const char *name, char **out)
{
	struct cand cand[4];
	const char *key, *why;
	size_t n, i, k = 0, line;
	char *v;

	if (lxc_cgroup_foreign(c, name, &key, &v, &line, &why)) {
		free(v);
		n = 0;
	} else
		n = candidates(c, name, cand);
	for (i = 0; i < n; i++)
		if (cg_path_valid(cand[i].path, strlen(cand[i].path)))
			out[k++] = cand[i].path;
		else
			free(cand[i].path);
	return k;
}

/* lxc.cgroup.relative = 1: LXC takes an unsigned number, 1 is true. */
static int
is_relative(const struct lxc_conf *c)
{
	char *s = value_str(c, "lxc.cgroup.relative", NULL);
	int r = s != NULL && strcmp(s, "1") == 0;

	free(s);
	return r;
}

/* Where LXC puts the container, in the order looked at; at most 4. */
static size_t
candidates(const struct lxc_conf *c, const char *name, struct cand *out)
{
	char *dir;
	size_t n = 0, i;

	if ((dir = value_str(c, "lxc.cgroup.dir.container", NULL)) != NULL) {
		out[n].key = "lxc.cgroup.dir.container";
		out[n++].path = dir;
	} else if ((dir = value_str(c, "lxc.cgroup.dir", NULL)) != NULL) {
		for (i = 0; i < 2; i++) {
			out[n].key = "lxc.cgroup.dir";
			out[n++].path = xasprintf(payload_fmt[i], dir, name);
		}
		free(dir);
	}
	out[n].key = NULL;
	out[n++].path = xasprintf("lxc.payload.%s", name);
	out[n].key = NULL;
	out[n++].path = xasprintf("lxc/%s", name);
	return n;
}

/*
 * rel is a directory under the mount; or, when link_too, a symbolic link
 * too: a cgroup vzmem then refuses (cg_read_items walks it), rather than
 * one it passes over for the next candidate.
 */
static int
exists_under(const struct cgfs *fs, const char *rel, int link_too)
{
	struct stat st;

	/* From the mount's fd: its path is not walked for each. */
	if (fs->mfd == -1 || fstatat(fs->mfd, rel, &st,
	    AT_SYMLINK_NOFOLLOW) == -1)
		return 0;
	return S_ISDIR(st.st_mode) || (link_too && S_ISLNK(st.st_mode));
}

/*
 * rel (under the cgroup prefix, "" for the mount itself) and its
 * subdirectories down to depth levels: how many hold want; the first
 * one found in *found (allocated), when none was found before.
 */
static size_t
search(const struct cgfs *fs, const char *prefix, const char *want,
    int depth, char **found)
{
	struct dirent *de;
	size_t n = 0;
	char *p, *sub;
	DIR *d;

	p = prefix[0] ? xasprintf("%s/%s", prefix, want) : xstrdup(want);
	if (exists_under(fs, p, 1)) {
		n++;
		if (*found == NULL)
			*found = p;
		else
			free(p);
	} else
		free(p);
	if (depth == 0)
		return n;
	p = prefix[0] ? xasprintf("%s/%s", fs->mount, prefix) :
	    xstrdup(fs->mount);
	if ((d = opendir(p)) != NULL) {
		while ((de = readdir(d)) != NULL) {
			if (!cg_path_valid(de->d_name, strlen(de->d_name)))
				continue;
			sub = prefix[0] ? xasprintf("%s/%s", prefix,
			    de->d_name) : xstrdup(de->d_name);
			if (exists_under(fs, sub, 0))
				n += search(fs, sub, want, depth - 1, found);
			free(sub);
		}
		closedir(d);
	}
	free(p);
	return n;
}

int
lxc_cgroup_find(const struct cgfs *fs, const struct lxc_conf *c,
    const char *name, char **path)
{
	struct cand cand[4];
	struct buf q = { NULL, 0, 0 };
	const char *key, *why;
	size_t n, i, hits, line;
	int relative;
	char *v;

	*path = NULL;
	if (fs->version == CG_NONE || fs->mount == NULL)
		return 0;
	/* Another's cgroup, or the host's: none of it is looked at (the
	 * error is world_validate's). */
	if (lxc_cgroup_foreign(c, name, &key, &v, &line, &why)) {
		free(v);
		return 0;
	}
	relative = is_relative(c);
	n = candidates(c, name, cand);
	for (i = 0; i < n && *path == NULL; i++) {
		if (!cg_path_valid(cand[i].path, strlen(cand[i].path))) {
			cg_quote(&q, cand[i].path, strlen(cand[i].path));
			vz_warn(c->shown, 0, 0, "%s: \"%s\" is no cgroup path "
			    "vzmem uses; not looked for", cand[i].key,
			    q.data);
			buf_free(&q);
			continue;
		}
		hits = search(fs, "", cand[i].path, relative ?
		    RELATIVE_DEPTH : 0, path);
		if (hits > 1) {
			vz_warn(c->shown, 0, 0, "lxc.cgroup.relative: %zu "
			    "cgroups named %s; the container is taken as "
			    "stopped (its config is still written)", hits,
			    cand[i].path);
			free(*path);
			*path = NULL;
			break;
		}
	}
	for (i = 0; i < n; i++)
		free(cand[i].path);
	return *path != NULL;
}

void
lxc_share(const struct cgfs *fs, const struct lxc_conf *c, const char *name,
    enum cg_guar guar, uint64_t *g, uint64_t *x)
{
	struct cg_knobs cfg, live;
	struct cg_state st;
	uint64_t use = 0;
	char *path;

	lxc_conf_knobs(c, fs->version, guar, fs->page_bytes, &cfg);
	memset(&live, 0, sizeof(live));
	if (lxc_cgroup_find(fs, c, name, &path)) {
		cg_read(fs, path, &st);
		cg_knobs_live(&st, guar, &live);
		if (CG_HAS(&st, CG_CURRENT))
			use = st.val[CG_CURRENT];
		else if (CG_HAS(&st, CG_USAGE))
			use = st.val[CG_USAGE];
		free(path);
	}
	cg_share(&cfg, &live, use, fs->page_bytes, g, x);
}

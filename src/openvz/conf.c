/*
 * conf.c -- a container conf read as vzctl 4.11 reads it, kept as the
 * original bytes plus the values changed, so that writing it back leaves
 * every other byte as it was.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"

/* The longest stretch of a bad value quoted in a message. */
#define SHOW_MAX	64

static void	 parse_text(struct conf *);
static void	 parse_line(const char *, struct conf_line *);
static int	 unterminated(const struct conf *);
static int	 name_is(const struct conf *, const struct conf_line *,
		    const char *);
static long	 added_find(const struct conf *, const char *);
static const char *lookup(const struct conf *, const char *, size_t *,
		    size_t *);
static void	 show_value(struct buf *, const char *, size_t);
static void	 update_dirty(struct conf *);
static const char *line_end(const struct conf *);

/*
 * A name kept by a lean conf: the length of its value and the line it is
 * on (0: the name is not assigned).  One per name, in the order of names;
 * see lean_build().
 */
struct lean_val {
	uint32_t	 len, line;
};

static const struct lean_val *lean_vals(const struct conf *);
static const char *lean_find(const struct conf *, const char *,
		    const struct lean_val **);
static int	 lean_build(struct conf *, const char *, size_t, const char *,
		    const char *const *);

/* The last line has no '\n' (render must not add one). */
static int
unterminated(const struct conf *c)
{
	return c->text.len > 0 && c->text.data[c->text.len - 1] != '\n';
}

/*
 * One line as vzctl's parse_line() sees it: trimmed; '#' comments; NAME
 * up to the first '=' as is; a value in double quotes ends at the last
 * one.  An opening quote without a closing one is left in the value, so
 * the value is rejected rather than guessed at.
 */
static void
parse_line(const char *text, struct conf_line *l)
{
	const char *p = text + l->off;
	size_t b = 0, e = l->len, eq, q;

	while (b < e && is_blank(p[b]))
		b++;
	while (e > b && is_blank(p[e - 1]))
		e--;
	if (b == e || p[b] == '#')
		return;
	for (eq = b; eq < e && p[eq] != '='; eq++)
		;
	if (eq == e || eq == b)
		return;
	l->name_off = l->off + b;
	l->name_len = eq - b;
	b = eq + 1;
	if (b < e && p[b] == '"') {
		for (q = e - 1; q > b && p[q] != '"'; q--)
			;
		if (q > b) {
			l->quoted = 1;
			l->val_off = l->off + b + 1;
			l->val_len = q - b - 1;
			return;
		}
	}
	l->val_off = l->off + b;
	l->val_len = e - b;
}

static void
parse_text(struct conf *c)
{
	const char *t = c->text.data, *nl;
	size_t n = 0, off, i;

	for (off = 0; off < c->text.len; off += (size_t)(nl - (t + off)) + 1) {
		if ((nl = memchr(t + off, '\n', c->text.len - off)) == NULL)
			nl = t + c->text.len;
		n++;
	}
	c->lines = xcalloc(n, sizeof(*c->lines));
	c->nlines = n;
	for (i = 0, off = 0; i < n; i++) {
		if ((nl = memchr(t + off, '\n', c->text.len - off)) == NULL)
			nl = t + c->text.len;
		c->lines[i].off = off;
		c->lines[i].len = (size_t)(nl - (t + off));
		c->lines[i].lineno = i + 1;
		parse_line(t, &c->lines[i]);
		off += c->lines[i].len + 1;
	}
}

int
conf_load(struct conf *c, const char *path, const char *shown)
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
	c->path = xstrdup(path);
	c->shown = xstrdup(shown != NULL ? shown : path);
	c->text = b;
	parse_text(c);
	return 0;
}

void
conf_parse(struct conf *c, const char *text, size_t len, const char *shown)
{
	memset(c, 0, sizeof(*c));
	c->shown = xstrdup(shown != NULL ? shown : "conf");
	/* Even an empty text gets a buffer: data is never NULL. */
	buf_add(&c->text, text, len);
	parse_text(c);
}

static int
name_is(const struct conf *c, const struct conf_line *l, const char *name)
{
	size_t n = strlen(name);

	return n > 0 && l->name_len == n &&
	    memcmp(c->text.data + l->name_off, name, n) == 0;
}

long
conf_find(const struct conf *c, const char *name)
{
	const struct lean_val *v;
	size_t i;

	/* Line i + 1 is lines[i]: a lean conf gives the same index. */
	if (c->lean)
		return lean_find(c, name, &v) != NULL ? (long)v->line - 1 :
		    -1;
	for (i = c->nlines; i-- > 0; )
		if (name_is(c, &c->lines[i], name))
			return (long)i;
	return -1;
}

/* An appended NAME="value" line of name, or -1. */
static long
added_find(const struct conf *c, const char *name)
{
	size_t n = strlen(name), i;

	for (i = 0; i < c->nadded; i++)
		if (strncmp(c->added[i], name, n) == 0 &&
		    c->added[i][n] == '=')
			return (long)i;
	return -1;
}

/*
 * The current value of name and the line it is on (1-based, as rendered
 * now): a value set earlier counts, so that what is read back is what
 * would be written.
 */
static const char *
lookup(const struct conf *c, const char *name, size_t *len, size_t *lineno)
{
	const struct conf_line *l;
	const struct lean_val *lv;
	const char *v;
	long i;

	if (c->lean) {
		if ((v = lean_find(c, name, &lv)) == NULL)
			return NULL;
		*lineno = lv->line;
		*len = lv->len;
		return v;
	}
	if ((i = conf_find(c, name)) != -1) {
		l = &c->lines[i];
		*lineno = l->lineno;
		if (l->newval != NULL) {
			*len = strlen(l->newval);
			return l->newval;
		}
		*len = l->val_len;
		return c->text.data + l->val_off;
	}
	if ((i = added_find(c, name)) != -1) {
		*lineno = c->nlines + (size_t)i + 1;
		v = c->added[i] + strlen(name) + 2;	/* past '="' */
		*len = strlen(v) - 1;			/* before '"' */
		return v;
	}
	return NULL;
}

const char *
conf_get(const struct conf *c, const char *name, size_t *len)
{
	size_t n, lineno;
	const char *v;

	v = lookup(c, name, &n, &lineno);
	if (v != NULL && len != NULL)
		*len = n;
	return v;
}

char *
conf_string(const struct conf *c, const char *name)
{
	const char *v;
	size_t len;

	/* vzctl treats HOSTNAME="" as no hostname. */
	if ((v = conf_get(c, name, &len)) == NULL || len == 0)
		return NULL;
	return xstrndup(v, len);
}

/* A value fit to quote in a message: bounded, control bytes escaped. */
static void
show_value(struct buf *b, const char *s, size_t len)
{
	size_t i;

	buf_add(b, "", 0);
	for (i = 0; i < len && i < SHOW_MAX; i++) {
		unsigned char ch = (unsigned char)s[i];

		if (ch == '"' || ch == '\\')
			buf_printf(b, "\\%c", ch);
		else if (ch < 0x20 || ch > 0x7e)
			buf_printf(b, "\\x%02x", ch);
		else
			buf_addc(b, ch);
	}
	if (len > SHOW_MAX)
		buf_addstr(b, "...");
}

int
conf_peek(const struct conf *c, const char *name, uint64_t page_bytes,
    struct value *v, size_t *line, const char **why)
{
	const char *s, *dummy;
	size_t len, lineno;
	int r;

	if ((s = lookup(c, name, &len, &lineno)) == NULL)
		return 0;
	if (line != NULL)
		*line = lineno;
	r = value_parse(s, len, page_bytes, v, why ? why : &dummy);
	return r == VAL_OK ? 1 : r;
}

int
conf_value(const struct conf *c, const char *name, uint64_t page_bytes,
    struct value *v)
{
	struct buf shown = { NULL, 0, 0 };
	const char *s, *why;
	size_t len, lineno;
	int r;

	if ((s = lookup(c, name, &len, &lineno)) == NULL)
		return 0;
	r = value_parse(s, len, page_bytes, v, &why);
	if (r == VAL_OK && v->trunc == 0)
		return 1;
	show_value(&shown, s, len);
	{
		struct where at = { c->shown, lineno, 0, c->guest, name };

		/* As vzctl: "too large value ..., truncated", "invalid
		 * value ..., skipped". */
		if (r == VAL_OK)
			vz_report(&at, VZ_LWARN, "%s: \"%s\" is above "
			    "LONG_MAX pages: vzctl truncates it to unlimited, "
			    "and so does vzmem", name, shown.data);
		else if (r == VAL_SKIP)
			vz_report(&at, VZ_LWARN, "%s: invalid value \"%s\": "
			    "%s; vzctl skips it, and so does vzmem", name,
			    shown.data, why);
		else
			vz_report(&at, VZ_LERROR, "%s: invalid value \"%s\": "
			    "%s", name, shown.data, why);
	}
	buf_free(&shown);
	return r == VAL_OK ? 1 : r == VAL_SKIP ? 0 : -1;
}

static void
update_dirty(struct conf *c)
{
	size_t i;

	c->dirty = c->nadded > 0;
	for (i = 0; i < c->nlines && !c->dirty; i++)
		if (c->lines[i].newval != NULL)
			c->dirty = 1;
}

void
conf_set(struct conf *c, const char *name, const char *val)
{
	struct conf_line *l;
	long i;

	if (c->lean)
		abort();
	if ((i = conf_find(c, name)) != -1) {
		l = &c->lines[i];
		free(l->newval);
		l->newval = NULL;
		/* newval exists only where the text really changes. */
		if (strlen(val) != l->val_len ||
		    memcmp(c->text.data + l->val_off, val, l->val_len) != 0)
			l->newval = xstrdup(val);
	} else if ((i = added_find(c, name)) != -1) {
		free(c->added[i]);
		c->added[i] = xasprintf("%s=\"%s\"", name, val);
	} else {
		c->added = xreallocarray(c->added, c->nadded + 1,
		    sizeof(*c->added));
		c->added[c->nadded++] = xasprintf("%s=\"%s\"", name, val);
	}
	update_dirty(c);
}

/* The file's own line end, as its first line has it: "\r\n" or "\n". */
static const char *
line_end(const struct conf *c)
{
	const char *nl = memchr(c->text.data, '\n', c->text.len);

	return nl != NULL && nl > c->text.data && nl[-1] == '\r' ?
	    "\r\n" : "\n";
}

void
conf_render(const struct conf *c, struct buf *out)
{
	const struct conf_line *l;
	const char *t = c->text.data, *eol;
	size_t i, end;

	/* A lean conf lost its other lines: writing it would lose them. */
	if (c->lean)
		abort();
	buf_add(out, "", 0);
	for (i = 0; i < c->nlines; i++) {
		l = &c->lines[i];
		if (l->newval == NULL)
			buf_add(out, t + l->off, l->len);
		else {
			/* Quotes and whatever trails them stay. */
			end = l->val_off + l->val_len;
			buf_add(out, t + l->off, l->val_off - l->off);
			buf_addstr(out, l->newval);
			buf_add(out, t + end, l->off + l->len - end);
		}
		if (i + 1 < c->nlines || !unterminated(c))
			buf_addc(out, '\n');
	}
	/* Appended lines end as the file's do: a CRLF conf stays CRLF. */
	eol = line_end(c);
	if (c->nadded > 0 && unterminated(c))
		buf_addstr(out, eol);
	for (i = 0; i < c->nadded; i++) {
		buf_addstr(out, c->added[i]);
		buf_addstr(out, eol);
	}
}

void
conf_free(struct conf *c)
{
	size_t i;

	for (i = 0; c->lines != NULL && i < c->nlines; i++)
		free(c->lines[i].newval);
	for (i = 0; i < c->nadded; i++)
		free(c->added[i]);
	free(c->lines);
	free(c->added);
	free(c->path);
	if (!c->lean)		/* else it lies in text */
		free(c->shown);
	buf_free(&c->text);
	memset(c, 0, sizeof(*c));
}

/* The records lead text.data, which malloc aligned for any type. */
static const struct lean_val *
lean_vals(const struct conf *c)
{
	return (const void *)c->text.data;
}

/* The value of name and its record, or NULL when it is not kept or not
 * assigned.  The values follow shown in the order of names. */
static const char *
lean_find(const struct conf *c, const char *name, const struct lean_val **v)
{
	const struct lean_val *lv = lean_vals(c);
	const char *val = c->shown + strlen(c->shown) + 1;
	size_t k;

	for (k = 0; k < CONF_LEAN_MAX && c->names[k] != NULL; k++) {
		if (strcmp(c->names[k], name) == 0) {
			*v = &lv[k];
			return lv[k].line != 0 ? val : NULL;
		}
		val += lv[k].len;
	}
	return NULL;
}

/*
 * Make c lean from text, keeping the last assignment of each of names.
 * One allocation (text.data): a struct lean_val per name, in the order of
 * names, then shown and its NUL, then the values kept (quotes excluded)
 * in the same order: about 150 bytes for a conf of the benchmark (8
 * names), malloc's overhead included.  Lengths and lines are 32 bits:
 * -1 (EFBIG) for a text of 4 GiB.
 */
static int
lean_build(struct conf *c, const char *text, size_t len, const char *shown,
    const char *const *names)
{
	struct conf_line last[CONF_LEAN_MAX], l;
	struct lean_val *v;
	const char *nl, *b, *eq;
	char *p;
	size_t nk, k, off, lineno, size, slen, nlen[CONF_LEAN_MAX];

	slen = strlen(shown);
	if (len >= UINT32_MAX) {
		errno = EFBIG;
		return -1;
	}
	for (nk = 0; nk < CONF_LEAN_MAX && names[nk] != NULL; nk++) {
		nlen[nk] = strlen(names[nk]);
		last[nk].lineno = 0;
	}
	for (off = 0, lineno = 1; off < len; off = (size_t)(nl - text) + 1,
	    lineno++) {
		if ((nl = memchr(text + off, '\n', len - off)) == NULL)
			nl = text + len;
		/*
		 * Most lines set other names: the name (from the first
		 * non-blank to the first '=', as parse_line has it) is
		 * matched first, and only a line kept is parsed whole.
		 */
		for (b = text + off; b < nl && is_blank(*b); b++)
			;
		if (b == nl || *b == '#' ||
		    (eq = memchr(b, '=', (size_t)(nl - b))) == NULL)
			continue;
		for (k = 0; k < nk; k++)
			if (nlen[k] == (size_t)(eq - b) &&
			    memcmp(b, names[k], nlen[k]) == 0)
				break;
		if (k == nk)
			continue;
		memset(&l, 0, sizeof(l));
		l.off = off;
		l.len = (size_t)(nl - (text + off));
		l.lineno = lineno;
		parse_line(text, &l);
		last[k] = l;
	}
	size = nk * sizeof(*v) + slen + 1;
	for (k = 0; k < nk; k++)
		if (last[k].lineno != 0)
			size += last[k].val_len;
	memset(c, 0, sizeof(*c));
	v = xmalloc(size);
	c->text.data = (char *)v;
	c->text.len = c->text.cap = size;
	c->shown = p = (char *)(v + nk);
	memcpy(p, shown, slen + 1);
	for (k = 0, off = slen + 1; k < nk; k++) {
		memset(&v[k], 0, sizeof(v[k]));
		if (last[k].lineno == 0)
			continue;
		v[k].len = (uint32_t)last[k].val_len;
		v[k].line = (uint32_t)last[k].lineno;
		memcpy(p + off, text + last[k].val_off, last[k].val_len);
		off += last[k].val_len;
		c->nlines++;
	}
	c->names = names;
	c->lean = 1;
	return 0;
}

int
conf_load_lean(struct conf *c, int dirfd, const char *path,
    const char *shown, const char *const *names, struct buf *scratch)
{
	memset(c, 0, sizeof(*c));
	scratch->len = 0;
	if (file_read_at(dirfd, path, scratch) == -1)
		return -1;
	return lean_build(c, scratch->data, scratch->len, shown, names);
}

void
conf_lean(struct conf *c, const char *const *names)
{
	struct conf lean;

	/* A text of 4 GiB stays whole: it reads the same. */
	if (c->lean || lean_build(&lean, c->text.data, c->text.len, c->shown,
	    names) == -1)
		return;
	conf_free(c);
	*c = lean;
}

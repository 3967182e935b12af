/*
 * pveconf.c -- a Proxmox VE guest config read as Proxmox reads it, and
 * its main section edited in place (pveconf.h).
 *
 * The line forms, from qemu-server src/PVE/QemuServer.pm parse_vm_config
 * (1939-2082) and pve-container src/PVE/LXC/Config.pm parse_pct_config
 * (1126-1222): blank lines skipped (/^\s*$/); "[PENDING]" (VM) or
 * "[pve:pending]" (CT), case-insensitive, "[special:cloudinit]" and
 * "[special:fleecing]" (VM), "[name]" a snapshot, any other "[...]" an
 * unknown section the VM parser skips; "#..." a description line;
 * "key: value" with key /^[a-z][a-z_\-]*\d*$/ (VM) or /^[a-z][a-z_]*\d*$/
 * (CT) and a value of at least one byte, the blanks around it trimmed;
 * raw "lxc.KEY: value" or "lxc.KEY = value" lines (CT, 1179).  The last
 * line of a key wins (its value is assigned again).
 */
#include <stdlib.h>
#include <string.h>

#include "pve/pveconf.h"
#include "util.h"

static int	 perl_space(int);
static int	 all_space(const char *, size_t);
static int	 same_ci(const char *, size_t, const char *);
static void	 parse_line(struct pve_conf *, struct pve_line *, int *);
static int	 section_of(const struct pve_conf *, const char *, size_t,
		    int *);
static int	 key_of(const struct pve_conf *, struct pve_line *);
static int	 raw_of(struct pve_line *, const char *);
static void	 add_line(struct pve_conf *, size_t, size_t);
static const char *find(const struct pve_conf *, const char *, int,
		    size_t *, size_t *);
static size_t	 insert_at(const struct pve_conf *, const char *);
static int	 cmp_edit(const void *, const void *);

/* Perl's \s: what /^\s*$/ and the trims of the parsers skip. */
static int
perl_space(int c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\f' ||
	    c == '\v' || c == '\n';
}

static int
all_space(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (!perl_space((unsigned char)s[i]))
			return 0;
	return 1;
}

/* s[0..len) is lit, ASCII case ignored (the parsers' /i). */
static int
same_ci(const char *s, size_t len, const char *lit)
{
	size_t i;

	if (strlen(lit) != len)
		return 0;
	for (i = 0; i < len; i++) {
		int a = (unsigned char)s[i], b = (unsigned char)lit[i];

		if (a >= 'A' && a <= 'Z')
			a += 'a' - 'A';
		if (a != b)
			return 0;
	}
	return 1;
}

/*
 * "[...]" and blanks: a section header, *pending set for the pending
 * one.  The CT parser knows only [pve:pending] and [name]; the VM's
 * takes any brackets (an unknown one it skips).  0: no header.
 */
static int
section_of(const struct pve_conf *c, const char *s, size_t len, int *pending)
{
	size_t end, i;

	*pending = 0;
	while (len > 0 && perl_space((unsigned char)s[len - 1]))
		len--;
	if (len < 2 || s[0] != '[' || s[len - 1] != ']')
		return 0;
	s++;
	end = len - 2;
	if (same_ci(s, end, c->dialect == PVE_QM ? "pending" :
	    "pve:pending")) {
		*pending = 1;
		return 1;
	}
	if (c->dialect == PVE_QM)
		return memchr(s, ']', end) == NULL;
	if (end < 2 || !((s[0] >= 'a' && s[0] <= 'z') ||
	    (s[0] >= 'A' && s[0] <= 'Z')))
		return 0;
	for (i = 1; i < end; i++) {
		int ch = (unsigned char)s[i];

		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		    (ch >= '0' && ch <= '9') || ch == '_' || ch == '-'))
			return 0;
	}
	return 1;
}

/* "lxc.KEY: value" or "lxc.KEY = value" (CT): 1 with the spans set. */
static int
raw_of(struct pve_line *l, const char *s)
{
	size_t i = 4, e;

	if (l->len < 5 || memcmp(s, "lxc.", 4) != 0)
		return 0;
	while (i < l->len && ((s[i] >= 'a' && s[i] <= 'z') ||
	    (s[i] >= '0' && s[i] <= '9') || s[i] == '_' || s[i] == '-' ||
	    s[i] == '.'))
		i++;
	l->kof = l->off;
	l->klen = i;
	if (i < l->len && s[i] == ':')
		i++;
	else {
		while (i < l->len && perl_space((unsigned char)s[i]))
			i++;
		if (i == l->len || s[i] != '=')
			return 0;
		i++;
	}
	while (i < l->len && perl_space((unsigned char)s[i]))
		i++;
	for (e = l->len; e > i && perl_space((unsigned char)s[e - 1]); e--)
		continue;
	l->vof = l->off + i;
	l->vlen = e - i;
	return 1;
}

/* "key: value": 1 with the spans set. */
static int
key_of(const struct pve_conf *c, struct pve_line *l)
{
	const char *s = c->text.data + l->off;
	size_t i = 1, e;

	if (l->len == 0 || s[0] < 'a' || s[0] > 'z')
		return 0;
	while (i < l->len && ((s[i] >= 'a' && s[i] <= 'z') || s[i] == '_' ||
	    (c->dialect == PVE_QM && s[i] == '-')))
		i++;
	while (i < l->len && s[i] >= '0' && s[i] <= '9')
		i++;
	if (i == l->len || s[i] != ':')
		return 0;
	l->kof = l->off;
	l->klen = i++;
	while (i < l->len && perl_space((unsigned char)s[i]))
		i++;
	for (e = l->len; e > i && perl_space((unsigned char)s[e - 1]); e--)
		continue;
	if (e == i)
		return 0;
	l->vof = l->off + i;
	l->vlen = e - i;
	return 1;
}

static void
parse_line(struct pve_conf *c, struct pve_line *l, int *pending)
{
	const char *s = c->text.data + l->off;
	int p;

	l->pending = (unsigned char)*pending;
	if (all_space(s, l->len)) {
		l->type = PL_BLANK;
	} else if (section_of(c, s, l->len, &p)) {
		l->type = PL_SECTION;
		*pending = p;
		l->pending = 0;
	} else if (s[0] == '#') {
		l->type = PL_DESCR;
	} else if (c->dialect == PVE_CT && raw_of(l, s)) {
		l->type = PL_RAW;
	} else if (key_of(c, l)) {
		l->type = PL_KEY;
	} else
		l->type = PL_BAD;
}

static void
add_line(struct pve_conf *c, size_t off, size_t len)
{
	c->lines = xreallocarray(c->lines, c->nlines + 1, sizeof(*c->lines));
	memset(&c->lines[c->nlines], 0, sizeof(c->lines[0]));
	c->lines[c->nlines].off = off;
	c->lines[c->nlines].len = len;
	c->nlines++;
}

void
pveconf_parse(struct pve_conf *c, enum pve_dialect d, const char *text,
    size_t len)
{
	const char *nl;
	size_t off = 0, i;
	int pending = 0;

	memset(c, 0, sizeof(*c));
	c->dialect = d;
	buf_add(&c->text, text, len);
	while (off < len) {
		nl = memchr(text + off, '\n', len - off);
		add_line(c, off, nl != NULL ? (size_t)(nl - text) - off :
		    len - off);
		off = nl != NULL ? (size_t)(nl - text) + 1 : len;
	}
	c->main_end = c->nlines;
	for (i = 0; i < c->nlines; i++) {
		struct pve_line *l = &c->lines[i];

		parse_line(c, l, &pending);
		if (l->type == PL_SECTION && c->main_end == c->nlines)
			c->main_end = i;
		if (c->err_line != 0 || i >= c->main_end)
			continue;
		if (l->type == PL_BAD) {
			c->err_line = i + 1;
			c->err_why = d == PVE_QM ? "not a line qm can parse "
			    "(\"key: value\", \"#description\" or \"[section]\")" :
			    "not a line pct can parse (\"key: value\", "
			    "\"lxc.KEY: value\", \"#description\" or "
			    "\"[section]\")";
		} else if (l->type == PL_KEY && l->klen == 6 &&
		    memcmp(text + l->kof, "delete", 6) == 0) {
			c->err_line = i + 1;
			c->err_why = d == PVE_QM ? "'delete' is only allowed "
			    "in [PENDING]" : "'delete' is only allowed in "
			    "[pve:pending]";
		}
	}
	/* Proxmox writes every line with its newline, and never an empty
	 * config: one that ends short was cut (a full disk, a copy
	 * stopped half-way), and what is missing is not known. */
	if (len == 0) {
		c->err_line = 1;
		c->err_why = "empty: qm and pct never write an empty config";
	} else if (text[len - 1] != '\n') {
		c->err_line = c->nlines;
		c->err_why = "truncated: its last line has no newline (qm and "
		    "pct end every line with one)";
	}
}

static const char *
find(const struct pve_conf *c, const char *key, int pending, size_t *len,
    size_t *line)
{
	size_t klen = strlen(key), i, from, to;
	const char *v = NULL;

	from = pending ? c->main_end : 0;
	to = pending ? c->nlines : c->main_end;
	for (i = from; i < to; i++) {
		const struct pve_line *l = &c->lines[i];

		if ((l->type != PL_KEY && l->type != PL_RAW) ||
		    (pending && !l->pending) || l->klen != klen ||
		    memcmp(c->text.data + l->kof, key, klen) != 0)
			continue;
		v = c->text.data + l->vof;
		*len = l->vlen;
		if (line != NULL)
			*line = i + 1;
	}
	return v;
}

const char *
pveconf_get(const struct pve_conf *c, const char *key, size_t *len,
    size_t *line)
{
	return find(c, key, 0, len, line);
}

const char *
pveconf_pending(const struct pve_conf *c, const char *key, size_t *len,
    size_t *line)
{
	return find(c, key, 1, len, line);
}

/* "delete: memory,balloon" (a '!' before a key forces it). */
size_t
pveconf_pending_delete(const struct pve_conf *c, const char *key)
{
	const char *v, *p, *e;
	size_t len, line = 0, klen = strlen(key);

	if ((v = pveconf_pending(c, "delete", &len, &line)) == NULL)
		return 0;
	for (p = v; p < v + len; p = e + 1) {
		if ((e = memchr(p, ',', (size_t)(v + len - p))) == NULL)
			e = v + len;
		while (p < e && (perl_space((unsigned char)*p) || *p == ';' ||
		    *p == '!'))
			p++;
		if ((size_t)(e - p) == klen && memcmp(p, key, klen) == 0)
			return line;
	}
	return 0;
}

size_t
pveconf_sections_line(const struct pve_conf *c)
{
	return c->main_end < c->nlines ? c->main_end + 1 : 0;
}

/*
 * Where a new "key: value" line goes: write_vm_config and
 * write_pct_config write the main keys sorted, then (CT) the raw lxc.
 * lines.  Before the first main key that sorts after key; a raw line,
 * or a key that sorts last, after the last key line of the main
 * section (so before the blank line that ends it), else at the top
 * after the description.
 */
static size_t
insert_at(const struct pve_conf *c, const char *key)
{
	size_t i, klen = strlen(key), at = SIZE_MAX, last = SIZE_MAX;
	int raw = strncmp(key, "lxc.", 4) == 0;

	for (i = 0; i < c->main_end; i++) {
		const struct pve_line *l = &c->lines[i];
		size_t n;
		int cmp;

		if (l->type == PL_DESCR && last == SIZE_MAX && at == SIZE_MAX)
			continue;
		if (l->type != PL_KEY && l->type != PL_RAW)
			continue;
		last = i;
		if (raw || at != SIZE_MAX || l->type == PL_RAW)
			continue;
		n = l->klen < klen ? l->klen : klen;
		cmp = memcmp(c->text.data + l->kof, key, n);
		if (cmp > 0 || (cmp == 0 && l->klen > klen))
			at = i;
	}
	if (at != SIZE_MAX)
		return c->lines[at].off;
	if (last != SIZE_MAX) {
		i = c->lines[last].off + c->lines[last].len + 1;
		return i < c->text.len ? i : c->text.len;
	}
	/* No key yet: after the description lines at the top. */
	for (i = 0; i < c->main_end && c->lines[i].type == PL_DESCR; i++)
		continue;
	return i < c->nlines ? c->lines[i].off : c->text.len;
}

void
pveconf_set(struct pve_conf *c, const char *key, const char *value)
{
	struct pve_edit *e;
	size_t len, line = 0;

	c->edits = xreallocarray(c->edits, c->nedits + 1, sizeof(*c->edits));
	e = &c->edits[c->nedits++];
	if (pveconf_get(c, key, &len, &line) != NULL) {
		e->at = c->lines[line - 1].vof;
		e->cut = len;
		e->put = xstrdup(value);
		return;
	}
	e->at = insert_at(c, key);
	e->cut = 0;
	e->put = xasprintf("%s: %s\n", key, value);
}

static int
cmp_edit(const void *a, const void *b)
{
	const struct pve_edit *x = *(const struct pve_edit *const *)a;
	const struct pve_edit *y = *(const struct pve_edit *const *)b;

	if (x->at != y->at)
		return x->at < y->at ? -1 : 1;
	/* Two lines added at one place: in the order they were set. */
	return x < y ? -1 : x > y;
}

void
pveconf_render(const struct pve_conf *c, struct buf *b)
{
	const struct pve_edit **order;
	size_t i, off = 0;

	order = xreallocarray(NULL, c->nedits + 1, sizeof(*order));
	for (i = 0; i < c->nedits; i++)
		order[i] = &c->edits[i];
	qsort(order, c->nedits, sizeof(*order), cmp_edit);
	buf_reserve(b, c->text.len + 64 * c->nedits);
	for (i = 0; i < c->nedits; i++) {
		buf_add(b, c->text.data + off, order[i]->at - off);
		buf_addstr(b, order[i]->put);
		off = order[i]->at + order[i]->cut;
	}
	buf_add(b, c->text.data + off, c->text.len - off);
	free(order);
}

int
pveconf_dirty(const struct pve_conf *c)
{
	return c->nedits > 0;
}

void
pveconf_reset(struct pve_conf *c)
{
	size_t i;

	for (i = 0; i < c->nedits; i++)
		free(c->edits[i].put);
	free(c->edits);
	c->edits = NULL;
	c->nedits = 0;
}

void
pveconf_free(struct pve_conf *c)
{
	pveconf_reset(c);
	free(c->lines);
	buf_free(&c->text);
	memset(c, 0, sizeof(*c));
}

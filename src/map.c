/*
 * map.c -- the memory map: parse (with positions), check, sort, render.
 *
 *	# comment
 *	300
 *	10003 vps1.example.com      ========== 109552K
 *	FREE                        ====================== 513525K
 *
 * A row is "[CTID] NAME BAR [NOTE]"; the bar is the first field that
 * begins with '=' or '+'.  Comments run from '#' to the end of the line.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kind.h"
#include "map.h"

/* Bars start at least in this column (0-based), as in the seed README. */
#define BAR_COL_MIN	28

struct field {
	const char	*s;
	size_t		 len;
	size_t		 col;	/* 1-based */
};

struct parser {
	struct map	*m;
	const char	*shown;
	size_t		 line;
	size_t		 errors;
	struct buf	 pending;	/* comment/blank lines awaiting a row */
	struct buf	 why;		/* why an id is not valid */
	int		 have_n;
};

static int	 map_blank(int);
static void	 perr(struct parser *, size_t, const char *, ...)
		    PRINTFLIKE(3, 4);
static int	 next_field(const char *, size_t, size_t *, struct field *);
static int	 is_bar(const struct field *);
static int	 is_note_kb(const struct field *);
static int	 check_bytes(struct parser *, const char *, size_t);
static void	 parse_n(struct parser *, const char *, size_t, const char *,
		    size_t);
static void	 parse_row(struct parser *, const char *, size_t,
		    const char *, size_t);
static int	 count_bar(struct parser *, const struct field *, size_t *,
		    size_t *);
static char	*take_pending(struct parser *);
static size_t	 rows_max(const char *, size_t);
static struct map_row *row_new(struct map *);
static int	 ctid_row_cmp(const void *, const void *);
static size_t	 check_duplicates(const struct map *, const char *);
static int	 row_rank(const struct map_row *);
static int	 row_order(const struct map_row *, const struct map_row *);
static int	 row_cmp(const void *, const void *);
static int	 rowp_cmp(const void *, const void *);
static size_t	 row_label_len(const struct map_row *);
static uint64_t	 note_kb(size_t, uint64_t, uint64_t);
static size_t	 bar_width(const struct map *);
static void	 render_piece(const struct map *, struct map_row *const *,
		    size_t, size_t, uint64_t, uint64_t, struct buf *);
static struct map_row **rows_sorted(const struct map *);
static void	 render_note(struct buf *, size_t, uint64_t, uint64_t);

/*
 * A blank of MEM-MAP(5): space and tab, and the CR of a CRLF line end.
 * Not is_blank() of lib/scan.h: a vertical tab or form feed in a map
 * is a control character, an error.
 */
static int
map_blank(int c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

static void
perr(struct parser *p, size_t col, const char *fmt, ...)
{
	struct buf b = { NULL, 0, 0 };
	va_list ap;

	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	vz_err(p->shown, p->line, col, "%s", b.data);
	buf_free(&b);
	p->errors++;
}

/* The next blank-separated field of s from *off; 0 at the end. */
static int
next_field(const char *s, size_t len, size_t *off, struct field *f)
{
	size_t i = *off, start;

	while (i < len && map_blank((unsigned char)s[i]))
		i++;
	if (i == len) {
		*off = i;
		return 0;
	}
	start = i;
	while (i < len && !map_blank((unsigned char)s[i]))
		i++;
	f->s = s + start;
	f->len = i - start;
	f->col = start + 1;
	*off = i;
	return 1;
}

static int
is_bar(const struct field *f)
{
	return f->s[0] == '=' || f->s[0] == '+';
}

/* "<digits>K": the note the map writes after an empty bar. */
static int
is_note_kb(const struct field *f)
{
	size_t i;

	if (f->len < 2 || f->s[f->len - 1] != 'K')
		return 0;
	for (i = 0; i + 1 < f->len; i++)
		if (f->s[i] < '0' || f->s[i] > '9')
			return 0;
	return 1;
}

/* NUL and control bytes have no place in a text map. */
static int
check_bytes(struct parser *p, const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '\t' || c == '\r' || (c >= 0x20 && c != 0x7f))
			continue;
		if (c == '\0')
			perr(p, i + 1, "NUL byte");
		else
			perr(p, i + 1, "control character 0x%02x", c);
		return -1;
	}
	return 0;
}

static void
parse_n(struct parser *p, const char *s, size_t len, const char *cmt,
    size_t cmtlen)
{
	struct field f, extra;
	size_t off = 0, k;
	int more;

	p->have_n = 1;
	p->m->n_line = p->line;
	next_field(s, len, &off, &f);
	p->m->n_col = f.col;
	if (cmtlen > 0)
		p->m->n_comment = strpool_add(&p->m->strs, cmt, cmtlen);
	more = next_field(s, len, &off, &extra);
	for (k = 0; k < f.len && f.s[k] >= '0' && f.s[k] <= '9'; k++)
		continue;
	if (!more && f.len > 0 && k == f.len &&
	    parse_u64(f.s, f.len, INT64_MAX, &p->m->n) == -1) {
		/* Digits, but more than any RAM has pages. */
		perr(p, f.col, "number of blocks '%.*s' out of range: too "
		    "many for any host (a block is at least one page)",
		    f.len > 60 ? 60 : (int)f.len, f.s);
		p->m->n = 0;
	} else if (more ||
	    parse_u64(f.s, f.len, INT64_MAX, &p->m->n) == -1) {
		len -= f.col - 1;
		perr(p, f.col, "bad number of blocks '%.*s': the first line "
		    "must be a whole number", len > 60 ? 60 : (int)len, f.s);
		p->m->n = 0;
	}
}

/* Count the bar in f: '=' then '+'.  0, or -1 after an error. */
static int
count_bar(struct parser *p, const struct field *f, size_t *eq, size_t *plus)
{
	size_t i;

	*eq = *plus = 0;
	for (i = 0; i < f->len; i++) {
		char c = f->s[i];

		if (c == '=' && *plus > 0) {
			perr(p, f->col + i, "'=' after '+': every '=' must "
			    "come before the first '+'");
			return -1;
		}
		if (c == '=')
			(*eq)++;
		else if (c == '+')
			(*plus)++;
		else {
			perr(p, f->col + i, "'%c' in the bar: only '=' and "
			    "'+' may stand there", c);
			return -1;
		}
	}
	return 0;
}

char *
map_name_clean(const char *name)
{
	char *s, *p;

	if (name[0] == '\0')
		return xstrdup("-");
	s = xstrdup(name);
	for (p = s; *p; p++)
		if ((unsigned char)*p <= ' ' || *p == 0x7f || *p == '#')
			*p = '_';
	if (s[0] == '=' || s[0] == '+')
		s[0] = '_';
	return s;
}

char *
map_strdup(struct map *m, const char *s)
{
	return s != NULL ? strpool_add(&m->strs, s, strlen(s)) : NULL;
}

/* The comment and blank lines waiting for a row, or NULL; none wait
 * after.  (pending keeps its buffer for the next ones.) */
static char *
take_pending(struct parser *p)
{
	char *s;

	if (p->pending.len == 0)
		return NULL;
	s = strpool_add(&p->m->strs, p->pending.data, p->pending.len);
	p->pending.len = 0;
	return s;
}

/*
 * At most how many rows text has: its lines with anything but blanks
 * before a '#' (the N line is one too).  A pass over the text costs less
 * than growing rows as they come: rows is allocated once, for a map
 * without errors one row too big, and trimmed at the end.
 */
static size_t
rows_max(const char *text, size_t len)
{
	size_t pos = 0, n = 0;

	while (pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - text) : len;

		while (pos < end && map_blank((unsigned char)text[pos]))
			pos++;
		if (pos < end && text[pos] != '#')
			n++;
		pos = end + 1;
	}
	return n;
}

void
map_reserve(struct map *m, size_t n)
{
	if (n <= m->rows_room - m->nrows)
		return;
	if (n > SIZE_MAX - m->nrows)
		n = SIZE_MAX - m->nrows;	/* xreallocarray() fails */
	m->rows = xreallocarray(m->rows, m->nrows + n, sizeof(*m->rows));
	m->rows_room = m->nrows + n;
}

/*
 * Unforeseen rows grow the array by half: a map of a million rows costs
 * a few million copies, not a million reallocs (quadratic where realloc
 * copies, as under ASan or valgrind), and at most half of it unused.
 */
static struct map_row *
row_new(struct map *m)
{
	struct map_row *r;

	if (m->nrows == m->rows_room)
		map_reserve(m, m->nrows / 2 + 8);
	r = &m->rows[m->nrows++];
	memset(r, 0, sizeof(*r));
	return r;
}

static void
parse_row(struct parser *p, const char *s, size_t len, const char *cmt,
    size_t cmtlen)
{
	struct field lab[3], f, bar;
	struct map_row *r;
	size_t off = 0, nlab = 0, eq = 0, plus = 0;
	int have_bar = 0;

	while (next_field(s, len, &off, &f)) {
		if (is_bar(&f)) {
			bar = f;
			have_bar = 1;
			break;
		}
		if (nlab < 3)
			lab[nlab] = f;
		nlab++;
	}
	if (!have_bar) {
		/* An empty bar, maybe followed by its note "<digits>K". */
		if (nlab > 0 && nlab <= 3 && is_note_kb(&lab[nlab - 1]))
			nlab--;
		if (nlab == 0 || nlab > 2) {
			perr(p, nlab > 2 ? lab[2].col : 1, "no bar: a row is "
			    "'[CTID] NAME ===+++', '=' and '+' the blocks");
			return;
		}
	} else {
		if (nlab == 0) {
			perr(p, bar.col, "no name before the bar");
			return;
		}
		if (nlab > 2) {
			perr(p, lab[2].col, "too many fields before the bar "
			    "(a name cannot contain blanks)");
			return;
		}
		if (count_bar(p, &bar, &eq, &plus) == -1)
			return;
		/* "=== ==" would otherwise drop blocks without a word. */
		if (next_field(s, len, &off, &f) && is_bar(&f)) {
			perr(p, f.col, "blank inside the bar");
			return;
		}
	}
	if (nlab == 2 && id_check(lab[0].s, lab[0].len, &p->why) == -1) {
		perr(p, lab[0].col, "%s", p->why.data);
		return;
	}
	r = row_new(p->m);
	if (nlab == 2)
		r->ctid = strpool_add(&p->m->strs, lab[0].s, lab[0].len);
	r->name = strpool_add(&p->m->strs, lab[nlab - 1].s,
	    lab[nlab - 1].len);
	r->eq = eq;
	r->plus = plus;
	/* Both at most len + 1 <= UINT32_MAX: see map_parse(). */
	r->line = (uint32_t)p->line;
	r->bar_col = (uint32_t)(have_bar ? bar.col :
	    lab[nlab - 1].col + lab[nlab - 1].len);
	r->before = take_pending(p);
	if (cmtlen > 0)
		r->comment = strpool_add(&p->m->strs, cmt, cmtlen);
}

size_t
map_parse(struct map *m, const char *text, size_t len, const char *shown)
{
	struct parser p;
	size_t pos = 0;

	memset(m, 0, sizeof(*m));
	/* A row keeps its line and column in 32 bits: both are at most
	 * len + 1.  A map of 4 GiB is absurd anyway (60 bytes a row). */
	if (len >= UINT32_MAX) {
		vz_err(shown, 0, 0, "%zu bytes: too big for a map (at most "
		    "%lu)", len, (unsigned long)UINT32_MAX - 1);
		return 1;
	}
	memset(&p, 0, sizeof(p));
	p.m = m;
	p.shown = shown;
	/* A byte order mark some Windows editors put first: not part of N.
	 * (Columns on line 1 count from after it; a rewrite drops it.) */
	if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0) {
		text += 3;
		len -= 3;
	}
	map_reserve(m, rows_max(text, len));
	while (pos < len) {
		const char *line = text + pos, *nl, *hash, *cmt;
		size_t llen, body, cmtlen, full;

		nl = memchr(line, '\n', len - pos);
		llen = nl ? (size_t)(nl - line) : len - pos;
		full = nl ? llen + 1 : llen;
		pos += full;
		p.line++;
		if (check_bytes(&p, line, llen) == -1)
			continue;
		hash = memchr(line, '#', llen);
		body = hash ? (size_t)(hash - line) : llen;
		while (body > 0 && map_blank((unsigned char)line[body - 1]))
			body--;
		/* The comment keeps the blanks before it, for a faithful
		 * rewrite. */
		cmt = line + body;
		cmtlen = hash ? llen - body : 0;
		if (cmtlen > 0)
			while (cmtlen > 0 &&
			    map_blank((unsigned char)cmt[cmtlen - 1]))
				cmtlen--;
		{
			size_t i = 0;

			while (i < body && map_blank((unsigned char)line[i]))
				i++;
			if (i == body) {
				/* Blank or comment-only: travels with the
				 * next row (or stays on top). */
				buf_add(&p.pending, line, llen);
				buf_addc(&p.pending, '\n');
				continue;
			}
		}
		if (!p.have_n) {
			m->head = take_pending(&p);
			parse_n(&p, line, body, cmt, cmtlen);
		} else
			parse_row(&p, line, body, cmt, cmtlen);
	}
	if (!p.have_n) {
		vz_err(shown, 0, 0, "no number of blocks: the first line "
		    "that is not a comment must be N");
		p.errors++;
	}
	if (p.pending.len > 0)
		m->tail = take_pending(&p);
	buf_free(&p.pending);
	buf_free(&p.why);
	if (m->nrows < m->rows_room) {
		/* Shrinking: in place, no copy. */
		if (m->nrows == 0) {
			free(m->rows);
			m->rows = NULL;
		} else
			m->rows = xreallocarray(m->rows, m->nrows,
			    sizeof(*m->rows));
		m->rows_room = m->nrows;
	}
	return p.errors;
}

static int
ctid_row_cmp(const void *a, const void *b)
{
	const struct map_row *x = *(const struct map_row *const *)a;
	const struct map_row *y = *(const struct map_row *const *)b;
	int c;

	if ((c = id_cmp(x->ctid, y->ctid)) != 0)
		return c;
	return x->line < y->line ? -1 : x->line > y->line;
}

/* Every CTID once: sort the container rows by CTID, look at neighbours. */
static size_t
check_duplicates(const struct map *m, const char *shown)
{
	const struct map_row **v;
	size_t i, k = 0, errors = 0;

	v = xreallocarray(NULL, m->nrows + 1, sizeof(*v));
	for (i = 0; i < m->nrows; i++)
		if (m->rows[i].ctid != NULL)
			v[k++] = &m->rows[i];
	qsort(v, k, sizeof(*v), ctid_row_cmp);
	for (i = 1; i < k; i++)
		if (strcmp(v[i - 1]->ctid, v[i]->ctid) == 0) {
			struct where at = { shown, v[i]->line, 1, v[i]->ctid,
			    NULL };

			vz_report(&at, VZ_LERROR, "CTID %s twice (first on "
			    "line %zu)", v[i]->ctid, (size_t)v[i - 1]->line);
			errors++;
		}
	free(v);
	return errors;
}

size_t
map_check(const struct map *m, uint64_t max_n, const char *shown)
{
	uint64_t eq = map_eq_total(m);
	size_t errors, i;

	errors = check_duplicates(m, shown);
	if (m->n < 1 || m->n > max_n) {
		vz_err(shown, m->n_line, m->n_col, "number of blocks %llu "
		    "out of range: 1 to %llu (a block is at least one page)",
		    (unsigned long long)m->n, (unsigned long long)max_n);
		errors++;
	} else if (eq != m->n) {
		uint64_t d = eq > m->n ? eq - m->n : m->n - eq;

		vz_err(shown, m->n_line, m->n_col, "the rows have %llu '=' "
		    "but N is %llu: %llu too %s", (unsigned long long)eq,
		    (unsigned long long)m->n, (unsigned long long)d,
		    eq > m->n ? "many" : "few");
		errors++;
	}
	for (i = 0; i < m->nrows; i++) {
		const struct map_row *r = &m->rows[i];

		if (r->ctid != NULL && r->eq == 0 && r->plus == 0) {
			struct where at = { shown, r->line, r->bar_col,
			    r->ctid, NULL };

			/* The Perl tool wrote "102 tiny  0K" for a
			 * container under half a block. */
			vz_report(&at, VZ_LERROR, "container %s would get no "
			    "memory: its bar is empty; give it a '=' (from "
			    "FREE, say), drop the row, or rebuild the map with "
			    "'vzmem -i'", r->ctid);
			errors++;
		}
	}
	return errors;
}

/* Containers (numeric CTIDs first, by ctid_cmp), pools, FREE last. */
static int
row_rank(const struct map_row *r)
{
	if (r->ctid != NULL)
		return 0;
	return strcmp(r->name, "FREE") == 0 ? 2 : 1;
}

/* The order of the map, but for ties. */
static int
row_order(const struct map_row *x, const struct map_row *y)
{
	int rx = row_rank(x), ry = row_rank(y);

	if (rx != ry)
		return rx < ry ? -1 : 1;
	return rx == 0 ? id_cmp(x->ctid, y->ctid) : 0;
}

/* Rows: equal keys keep their order (qsort alone is not stable). */
static int
row_cmp(const void *a, const void *b)
{
	const struct map_row *x = a, *y = b;
	int c;

	if ((c = row_order(x, y)) != 0)
		return c;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Pointers to rows that stay put: their address is their order. */
static int
rowp_cmp(const void *a, const void *b)
{
	const struct map_row *x = *(const struct map_row *const *)a;
	const struct map_row *y = *(const struct map_row *const *)b;
	int c;

	if ((c = row_order(x, y)) != 0)
		return c;
	return x < y ? -1 : x > y;
}

/* Pointers to the rows in the order of map_sort; allocated. */
static struct map_row **
rows_sorted(const struct map *m)
{
	struct map_row **p;
	size_t i;

	p = xreallocarray(NULL, m->nrows + 1, sizeof(*p));
	for (i = 0; i < m->nrows; i++)
		p[i] = &m->rows[i];
	qsort(p, m->nrows, sizeof(*p), rowp_cmp);
	return p;
}

void
map_sort(struct map *m)
{
	size_t i;

	for (i = 0; i < m->nrows; i++)
		m->rows[i].seq = i;
	if (m->nrows > 0)
		qsort(m->rows, m->nrows, sizeof(*m->rows), row_cmp);
}

struct map_row *
map_add(struct map *m, const char *ctid, const char *name, size_t eq,
    size_t plus)
{
	struct map_row *r = row_new(m);

	r->ctid = map_strdup(m, ctid);
	r->name = map_strdup(m, name);
	r->eq = eq;
	r->plus = plus;
	return r;
}

uint64_t
map_eq_total(const struct map *m)
{
	uint64_t t = 0;
	size_t i;

	for (i = 0; i < m->nrows; i++)
		t += m->rows[i].eq;
	return t;
}

uint64_t
map_plus_total(const struct map *m)
{
	uint64_t t = 0;
	size_t i;

	for (i = 0; i < m->nrows; i++)
		t += m->rows[i].plus;
	return t;
}

static size_t
row_label_len(const struct map_row *r)
{
	return (r->ctid ? strlen(r->ctid) + 1 : 0) + strlen(r->name);
}

/* What n blocks give, in whole pages, in kB. */
static uint64_t
note_kb(size_t n, uint64_t blk_kb, uint64_t page_kb)
{
	return (uint64_t)n * blk_kb / page_kb * page_kb;
}

static void
render_note(struct buf *b, size_t n, uint64_t blk_kb, uint64_t page_kb)
{
	buf_addu64(b, note_kb(n, blk_kb, page_kb));
	buf_addc(b, 'K');
}

/* The column of the bars: past the longest label, at least BAR_COL_MIN. */
static size_t
bar_width(const struct map *m)
{
	size_t i, width = BAR_COL_MIN;

	for (i = 0; i < m->nrows; i++)
		if (row_label_len(&m->rows[i]) + 2 > width)
			width = row_label_len(&m->rows[i]) + 2;
	return width;
}

/* Piece k of the text: 0 the head and N, 1 to nrows the rows (in the
 * order of order, or as they are when it is NULL), then the tail. */
static void
render_piece(const struct map *m, struct map_row *const *order, size_t k,
    size_t width, uint64_t blk_kb, uint64_t page_kb, struct buf *b)
{
	const struct map_row *r;

	if (k == 0) {
		if (m->head)
			buf_addstr(b, m->head);
		buf_printf(b, "%llu%s\n", (unsigned long long)m->n,
		    m->n_comment ? m->n_comment : "");
		return;
	}
	if (k > m->nrows) {
		if (m->tail)
			buf_addstr(b, m->tail);
		return;
	}
	r = order != NULL ? order[k - 1] : &m->rows[k - 1];
	if (r->before)
		buf_addstr(b, r->before);
	if (r->ctid) {
		buf_addstr(b, r->ctid);
		buf_addc(b, ' ');
	}
	buf_addstr(b, r->name);
	buf_pad(b, ' ', width - row_label_len(r));
	buf_pad(b, '=', r->eq);
	buf_pad(b, '+', r->plus);
	buf_addc(b, ' ');
	render_note(b, r->eq, blk_kb, page_kb);
	if (r->plus > 0) {
		buf_addstr(b, " + ");
		render_note(b, r->plus, blk_kb, page_kb);
		buf_addc(b, ' ');
		buf_addstr(b, r->plus_is != NULL ? r->plus_is : "swap");
	}
	if (r->comment)
		buf_addstr(b, r->comment);
	buf_addc(b, '\n');
}

void
map_render(const struct map *m, uint64_t blk_kb, uint64_t page_kb,
    struct buf *b)
{
	size_t k, width = bar_width(m);
	uint64_t bars = map_eq_total(m) + map_plus_total(m);

	/*
	 * Room for all but the comments at once (a row: its label padded
	 * to width, its bar, notes of at most 58 bytes, '\n'): grown from
	 * nothing by doubling, the buffer left its copies in the heap
	 * (2.6 MB at 100,000 rows).  Room never written costs no memory.
	 */
	if (m->nrows < SIZE_MAX / 4 / (width + 59) && bars < SIZE_MAX / 4)
		buf_reserve(b, m->nrows * (width + 59) + (size_t)bars);
	for (k = 0; k <= m->nrows + 1; k++)
		render_piece(m, NULL, k, width, blk_kb, page_kb, b);
}

int
map_differs(const struct map *m, uint64_t blk_kb, uint64_t page_kb,
    const char *text, size_t len)
{
	struct buf b = { NULL, 0, 0 };
	struct map_row **order = rows_sorted(m);
	size_t k, off = 0, width = bar_width(m);
	int differs = 0;

	for (k = 0; k <= m->nrows + 1 && !differs; k++) {
		b.len = 0;
		render_piece(m, order, k, width, blk_kb, page_kb, &b);
		if (b.len > len - off ||
		    (b.len > 0 && memcmp(b.data, text + off, b.len) != 0))
			differs = 1;
		off += b.len;
	}
	buf_free(&b);
	free(order);
	return differs || off != len;
}

void
map_free(struct map *m)
{
	strpool_free(&m->strs);
	free(m->rows);
	memset(m, 0, sizeof(*m));
}

/*
 * status.c -- vzmem -s: the map's rows with the live use of each running
 * guest as its kind reports it, then the oversell summary; or all of it
 * as one JSON document (see vzmem(8)).
 *
 * One line a row, in map order, about 80 columns: the bar is shown as
 * its counts ("=12+4") and, last, as itself cut to what is left of 80
 * columns (at least 10), a '>' marking a cut.  Live columns in kB: RAM
 * held and peak, RAM+swap held, allocated, and the failures (OpenVZ:
 * failcnt over every resource; a kind without a failcnt: its OOM kills),
 * flagged with '!' and listed below with the OOM kills.  Then KSM, when
 * it has run.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "ksm.h"
#include "report.h"
#include "world.h"

#define LINE_COLS	80
#define NAME_MIN_COLS	12
#define NAME_FLOOR_COLS	8	/* when even NAME_MIN_COLS do not fit */
#define CTID_FLOOR_COLS	9	/* a UUID's first 8 and '~' */
#define BAR_MIN_COLS	10
#define LIVE_COLS	34	/* four " %6s" and " %5s" */

struct cols {
	size_t	 ctid, name, share, bar;
	int	 mark;		/* a row is marked '*': its live limits
				   differ from its row's */
};

static size_t	 max_z(size_t, size_t);
static size_t	 cols_of(const char *);
static void	 share_str(struct buf *, const struct map_row *);
static void	 widths(const struct world *, struct cols *);
static void	 cell_name(struct buf *, const char *, size_t);
static void	 cell_kb(struct buf *, uint64_t);
static void	 cell_fig(struct buf *, const struct figures *, enum fig);
static void	 cell_bar(struct buf *, const struct map_row *, size_t);
static void	 live_cells(struct buf *, const struct guest *, int,
		    const struct figures *);
static void	 print_row(struct buf *, const struct world *,
		    const struct cols *, const struct map_row *);
static void	 print_table(struct buf *, const struct world *);
static void	 print_notes(struct buf *, const struct world *);
static int	 row_figures(const struct world *, const struct map_row *,
		    const struct guest **, struct figures *);
static void	 note_kb(struct buf *, uint64_t, int);
static int	 same_rounded(uint64_t, uint64_t);
static void	 limit_note(struct buf *, const struct guest *,
		    const struct figures *);
static void	 ksm_line(struct buf *, const struct world *,
		    const struct ksm *);
static void	 ksm_json(struct json *, const struct world *,
		    const struct ksm *);
static void	 print_json(const struct world *, int,
		    const struct oversell *, const struct ksm *,
		    const struct report *);

static size_t
max_z(size_t a, size_t b)
{
	return a > b ? a : b;
}

/* The columns s takes once screened: one a code point, not a byte. */
static size_t
cols_of(const char *s)
{
	struct buf t = { NULL, 0, 0 };
	size_t n;

	screen_str(&t, s);
	n = screen_cols(t.data, t.len);
	buf_free(&t);
	return n;
}

static void
share_str(struct buf *b, const struct map_row *r)
{
	buf_printf(b, "=%zu+%zu", r->eq, r->plus);
}

/*
 * Columns to fit LINE_COLS: the name gets what the bar (up to
 * BAR_MIN_COLS of it) leaves, at least NAME_MIN_COLS while that fits.
 * When it does not (a 36-character UUID CTID), the name shrinks first,
 * to NAME_FLOOR_COLS, and then the CTIDs are cut with '~', to
 * CTID_FLOOR_COLS; the bar gets the rest, but at least BAR_MIN_COLS.
 */
static void
widths(const struct world *w, struct cols *c)
{
	struct buf b = { NULL, 0, 0 };
	size_t i, fixed, bar = 0, room, want_name = 4;

	c->ctid = 4;
	c->share = 5;
	c->mark = 0;
	for (i = 0; i < w->map.nrows; i++) {
		const struct map_row *r = &w->map.rows[i];
		const struct guest *g;
		struct figures f;

		if (r->ctid != NULL)
			c->ctid = max_z(c->ctid, cols_of(r->ctid));
		want_name = max_z(want_name, cols_of(r->name));
		bar = max_z(bar, r->eq + r->plus);
		b.len = 0;
		share_str(&b, r);
		if (row_figures(w, r, &g, &f) == 1 && f.limit_differs) {
			c->mark = 1;
			buf_addc(&b, '*');
		}
		c->share = max_z(c->share, b.len);
	}
	buf_free(&b);
	bar = bar < BAR_MIN_COLS ? bar : BAR_MIN_COLS;
	/* Everything but the CTID, the name and the bar. */
	fixed = 1 + 1 + c->share + 14 + LIVE_COLS + 1;
	room = fixed + c->ctid + bar < LINE_COLS ?
	    LINE_COLS - fixed - c->ctid - bar : 0;
	if (room < NAME_MIN_COLS) {
		/* The name gives way first, then the CTIDs. */
		room = room > NAME_FLOOR_COLS ? room : NAME_FLOOR_COLS;
		if (fixed + c->ctid + room + bar > LINE_COLS) {
			size_t ctid = fixed + room + bar < LINE_COLS ?
			    LINE_COLS - fixed - room - bar : 0;

			c->ctid = max_z(CTID_FLOOR_COLS,
			    ctid < c->ctid ? ctid : c->ctid);
		}
	}
	c->name = want_name < room ? want_name : room;
	fixed += c->ctid + c->name;
	c->bar = fixed + BAR_MIN_COLS < LINE_COLS ? LINE_COLS - fixed :
	    BAR_MIN_COLS;
}

/* Left-aligned in n columns; a longer name is cut, '~' marking it. */
static void
cell_name(struct buf *b, const char *s, size_t n)
{
	struct buf t = { NULL, 0, 0 };
	size_t k, cols;

	screen_str(&t, s);
	if ((cols = screen_cols(t.data, t.len)) > n) {
		/* n - 1 code points, then '~'. */
		for (k = 0, cols = 0; k < t.len; k++)
			if (((unsigned char)t.data[k] & 0xc0) != 0x80 &&
			    ++cols > n - 1)
				break;
		buf_add(b, t.data, k);
		buf_addc(b, '~');
	} else {
		buf_add(b, t.data, t.len);
		buf_pad(b, ' ', n - cols);
	}
	buf_free(&t);
}

static void
cell_kb(struct buf *b, uint64_t kb)
{
	struct buf t = { NULL, 0, 0 };

	human(&t, kb);
	buf_printf(b, " %6s", t.data);
	buf_free(&t);
}

static void
cell_fig(struct buf *b, const struct figures *f, enum fig i)
{
	if (!(f->known & 1u << i) || f->v[i] == FIG_NONE) {
		buf_printf(b, " %6s", "-");
		return;
	}
	cell_kb(b, f->v[i]);
}

static void
cell_bar(struct buf *b, const struct map_row *r, size_t n)
{
	size_t len = r->eq + r->plus, show = len > n ? n - 1 : len;
	size_t eq = r->eq < show ? r->eq : show;

	buf_pad(b, '=', eq);
	buf_pad(b, '+', show - eq);
	if (len > n)
		buf_addc(b, '>');
}

/* The figures of a row's guest (*g, or NULL for a pool or a row
 * without one): 1, 0 stopped, -1 not known; -2 no guest. */
static int
row_figures(const struct world *w, const struct map_row *r,
    const struct guest **g, struct figures *f)
{
	*g = r->ctid != NULL ? world_guest(w, r->ctid) : NULL;
	if (*g == NULL)
		return -2;
	return (*g)->kind->figures(w, *g, f);
}

/* The live columns: values, or "stopped", "no data", blank for a pool. */
static void
live_cells(struct buf *b, const struct guest *g, int st,
    const struct figures *fp)
{
	struct figures f = *fp;
	uint64_t fails;
	unsigned sat;
	char c[32];

	if (g == NULL) {
		buf_pad(b, ' ', LIVE_COLS);
		return;
	}
	if (st != 1) {
		buf_printf(b, " %-*s", LIVE_COLS - 1, st == -1 ? "no data" :
		    "stopped");
		return;
	}
	cell_fig(b, &f, FIG_HELD);
	cell_fig(b, &f, FIG_PEAK);
	cell_fig(b, &f, FIG_RAMSWAP);
	cell_fig(b, &f, FIG_ALLOC);
	/* A kind that counts no failures counts its OOM kills. */
	if (f.known & 1u << FIG_FAILS) {
		fails = f.v[FIG_FAILS];
		sat = f.sat & 1u << FIG_FAILS;
	} else {
		fails = f.known & 1u << FIG_OOM ? f.v[FIG_OOM] : FIG_NONE;
		sat = f.sat & 1u << FIG_OOM;
	}
	if (fails == FIG_NONE && !sat)
		fails = 0;
	/* A count at its maximum: "max!", the notes say how many. */
	if (sat)
		snprintf(c, sizeof(c), "max!");
	else
		snprintf(c, sizeof(c), "%llu%s", (unsigned long long)fails,
		    fails > 0 ? "!" : "");
	buf_printf(b, " %5s", c);
}

static void
print_row(struct buf *b, const struct world *w, const struct cols *c,
    const struct map_row *r)
{
	const struct guest *g;
	struct figures f;
	int st;

	memset(&f, 0, sizeof(f));
	st = row_figures(w, r, &g, &f);
	cell_name(b, r->ctid != NULL ? r->ctid : "-", c->ctid);
	buf_addc(b, ' ');
	cell_name(b, r->name, c->name);
	buf_addc(b, ' ');
	{
		struct buf s = { NULL, 0, 0 };

		share_str(&s, r);
		if (c->mark && st == 1 && f.limit_differs)
			buf_addc(&s, '*');
		buf_printf(b, "%-*s", (int)c->share, s.data);
		buf_free(&s);
	}
	cell_kb(b, row_kb(w, r->eq));
	cell_kb(b, row_kb(w, r->plus));
	/* A row whose guest is gone (warned above) is not a pool:
	 * "no conf", "no config". */
	if (r->ctid != NULL && g == NULL) {
		const struct kind *k = kind_of(r->ctid, strlen(r->ctid));

		buf_printf(b, " no %-*s", LIVE_COLS - 4, k != NULL &&
		    k->persisted_in != NULL ? k->persisted_in : "guest");
	} else
		live_cells(b, g, st, &f);
	buf_addc(b, ' ');
	cell_bar(b, r, c->bar);
	buf_addc(b, '\n');
}

static void
print_table(struct buf *b, const struct world *w)
{
	struct cols c;
	size_t i;

	widths(w, &c);
	buf_printf(b, "%-*s %-*s %-*s %6s %6s %6s %6s %6s %6s %5s %s\n",
	    (int)c.ctid, "CTID", (int)c.name, "NAME", (int)c.share, "SHARE",
	    "RAM", "+SWAP", "HELD", "PEAK", "R+SWAP", "ALLOC", "FAIL", "BAR");
	for (i = 0; i < w->map.nrows; i++) {
		print_row(b, w, &c, &w->map.rows[i]);
		buf_spill(b, stdout, SPILL_MIN);
	}
	print_notes(b, w);
}

/* A limit in a note: "300.0M", "max", "unreadable"; "1048576K" when
 * exact says shows what rounded would not. */
static void
note_kb(struct buf *b, uint64_t kb, int exact)
{
	if (kb == FIG_NONE)
		buf_addstr(b, "unreadable");
	else if (kb == FIG_UNLIMITED)
		buf_addstr(b, "max");
	else if (exact)
		buf_printf(b, "%lluK", (unsigned long long)kb);
	else
		human(b, kb);
}

/* Whether two limits look the same rounded. */
static int
same_rounded(uint64_t a, uint64_t b)
{
	struct buf x = { NULL, 0, 0 }, y = { NULL, 0, 0 };
	int same;

	note_kb(&x, a, 0);
	note_kb(&y, b, 0);
	same = strcmp(x.data, y.data) == 0;
	buf_free(&x);
	buf_free(&y);
	return same;
}

/*
 * "* lxc:web: live RAM limit 300.0M, its row's 480.0M; ...": each limit
 * that differs, then what it means.
 */
static void
limit_note(struct buf *b, const struct guest *g, const struct figures *f)
{
	size_t i, n = 0;
	int exact;

	buf_addstr(b, "* ");
	screen_str(b, g->id);
	buf_addstr(b, ": live ");
	for (i = 0; i < 2; i++) {
		if (f->row_limit[i] == FIG_NONE || f->limit[i] == FIG_NONE ||
		    f->limit[i] == f->row_limit[i])
			continue;
		buf_addstr(b, n++ > 0 ? "; " : "");
		buf_addstr(b, i == 0 ? "RAM" : f->swap_name);
		buf_addstr(b, " limit ");
		exact = same_rounded(f->limit[i], f->row_limit[i]);
		note_kb(b, f->limit[i], exact);
		buf_addstr(b, ", its row's ");
		note_kb(b, f->row_limit[i], exact);
	}
	buf_addstr(b, ": the row is not applied there (not yet, changed by "
	    "hand, or a write was refused); vzmem -a writes it\n");
}

/* Below the table: the guests with failures, and those with OOM kills. */
static void
print_notes(struct buf *b, const struct world *w)
{
	const struct guest *g;
	struct figures f;
	size_t i;

	for (i = 0; i < w->map.nrows; i++) {
		if (row_figures(w, &w->map.rows[i], &g, &f) != 1)
			continue;
		if (f.limit_differs)
			limit_note(b, g, &f);
		if ((f.known & 1u << FIG_FAILS) && (f.v[FIG_FAILS] !=
		    FIG_NONE || (f.sat & 1u << FIG_FAILS)) &&
		    f.v[FIG_FAILS] > 0) {
			buf_addstr(b, "! ");
			screen_str(b, g->id);
			buf_printf(b, ": failcnt %s%llu: %s\n",
			    f.sat & 1u << FIG_FAILS ? ">= " : "",
			    (unsigned long long)f.v[FIG_FAILS],
			    g->kind->fails_note != NULL ?
			    g->kind->fails_note : "a limit refused it memory");
		}
		if ((f.known & 1u << FIG_OOM) && (f.v[FIG_OOM] != FIG_NONE ||
		    (f.sat & 1u << FIG_OOM)) && f.v[FIG_OOM] > 0) {
			buf_addstr(b, "! ");
			screen_str(b, g->id);
			buf_printf(b, ": %s%llu OOM kill%s: the kernel killed "
			    "processes inside it at its limit\n",
			    f.sat & 1u << FIG_OOM ? ">= " : "",
			    (unsigned long long)f.v[FIG_OOM],
			    f.v[FIG_OOM] == 1 ? "" : "s");
		}
	}
}

/* "KSM: N pages shared, M sharing, Z zero pages: X saved" (SPEC 6.2). */
static void
ksm_line(struct buf *b, const struct world *w, const struct ksm *k)
{
	if (!ksm_has_run(k))
		return;
	buf_printf(b, "\nKSM: %llu pages shared, %llu sharing, %llu zero "
	    "pages: ", (unsigned long long)k->pages_shared,
	    (unsigned long long)k->pages_sharing,
	    (unsigned long long)k->zero_pages);
	human(b, ksm_saved(k, w->host.page_bytes) / 1024);
	buf_addstr(b, " saved\n");
}

/* "ksm": its counters and the kB saved, or null when it has not run. */
static void
ksm_json(struct json *j, const struct world *w, const struct ksm *k)
{
	if (!ksm_has_run(k)) {
		json_null(j, "ksm");
		return;
	}
	json_obj(j, "ksm");
	json_u64(j, "pages_shared", k->pages_shared);
	json_u64(j, "pages_sharing", k->pages_sharing);
	json_u64(j, "zero_pages", k->zero_pages);
	json_u64(j, "full_scans", k->full_scans);
	json_u64(j, "saved_kb", ksm_saved(k, w->host.page_bytes) / 1024);
	json_end_obj(j);
}

static void
print_json(const struct world *w, int map_ok, const struct oversell *os,
    const struct ksm *k, const struct report *r)
{
	struct buf b = { NULL, 0, 0 };
	struct json j;

	report_json_begin(&j, &b, "status", w, map_ok, os);
	ksm_json(&j, w, k);
	report_json_end(&j, &b, r);
}

int
cmd_status(const struct opts *o)
{
	struct world w;
	struct report r;
	struct oversell os;
	struct ksm k;
	struct buf b = { NULL, 0, 0 };
	int rr;

	report_start(&r);
	rr = world_read(&w, o, W_NEED_MAP | W_LIVE);
	if (rr == VZ_OK && world_validate(&w) > 0)
		rr = VZ_INVALID;
	/* --json: one document whatever happened, the errors in it; the
	 * rows only of a valid map. */
	if (rr != VZ_OK && !o->json) {
		world_free(&w);
		report_stop(&r);
		return rr;
	}
	if (rr == VZ_FAIL)
		report_failed(&r);
	oversell_compute(&w, rr == VZ_OK, &os);
	ksm_read(w.host.root != NULL ? w.host.root : "", &k);
	if (o->json)
		print_json(&w, rr == VZ_OK, &os, &k, &r);
	else {
		print_table(&b, &w);
		buf_addc(&b, '\n');
		report_kinds(&w, &b);
		oversell_print(&os, &b);
		ksm_line(&b, &w, &k);
		buf_spill(&b, stdout, 0);
	}
	buf_free(&b);
	world_free(&w);
	report_stop(&r);
	return rr;
}

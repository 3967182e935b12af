/*
 * report.c -- the pieces vzmem -c and -s share: collecting messages,
 * the oversell summary, human units, the JSON of the host and the rows.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kind.h"
#include "report.h"

static void	 findings_json(struct json *, const struct report *);
static void	 oversell_json(struct json *, const struct oversell *);
/* "host": {...} and "rows": [...] of the JSON of -c and -s. */
static void	 host_json(struct json *, const struct world *, int);
static void	 rows_json(struct json *, const struct world *);

__extension__ typedef unsigned __int128 u128;

static void	 on_msg(void *, const struct finding *);
static char	*dup_or_null(const char *);
static uint64_t	 sat(u128);
static void	 percent(struct buf *, uint64_t, uint64_t);
static void	 amount_line(struct buf *, const char *, const struct amount *,
		    int);
static void	 amount_json(struct json *, const char *,
		    const struct amount *, int);
static void	 limit_json(struct json *, const char *, uint64_t);
static void	 live_json(struct json *, const struct world *,
		    const struct guest *);
static void	 kinds_json(struct json *, const struct world *,
		    const struct guest *);

static uint64_t
sat(u128 v)
{
	return v > UINT64_MAX ? UINT64_MAX : (uint64_t)v;
}

void
report_start(struct report *r)
{
	memset(r, 0, sizeof(*r));
	vz_tap(on_msg, r);
}

void
report_stop(struct report *r)
{
	size_t i;

	vz_tap(NULL, NULL);
	for (i = 0; i < r->n; i++) {
		free(r->f[i].file);
		free(r->f[i].guest);
		free(r->f[i].param);
		free(r->f[i].msg);
	}
	free(r->f);
	memset(r, 0, sizeof(*r));
}

static char *
dup_or_null(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

static void
on_msg(void *arg, const struct finding *fi)
{
	struct report *r = arg;
	struct kept *f;

	if (r->n == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 16;
		r->f = xreallocarray(r->f, r->cap, sizeof(*r->f));
	}
	f = &r->f[r->n++];
	f->warning = fi->level == VZ_LWARN;
	f->file = dup_or_null(fi->file);
	f->line = fi->line;
	f->msg = xstrdup(fi->msg);
	f->guest = dup_or_null(fi->guest);
	f->param = dup_or_null(fi->param);
	if (f->warning)
		r->warnings++;
	else
		r->errors++;
}

void
report_failed(struct report *r)
{
	struct finding fi;

	/* The messages of a read that failed may not be findings (an I/O
	 * error's is not, yet): the document still says it failed. */
	if (r->errors > 0)
		return;
	memset(&fi, 0, sizeof(fi));
	fi.level = VZ_LERROR;
	fi.msg = "a file could not be read (the message on the standard "
	    "error says which)";
	on_msg(r, &fi);
}

void
report_counts(const struct report *r, struct buf *b)
{
	buf_printf(b, "%zu error%s, %zu warning%s\n", r->errors,
	    r->errors == 1 ? "" : "s", r->warnings,
	    r->warnings == 1 ? "" : "s");
}

static void
findings_json(struct json *j, const struct report *r)
{
	size_t i;

	json_arr(j, "findings");
	for (i = 0; i < r->n; i++) {
		const struct kept *f = &r->f[i];

		json_obj(j, NULL);
		json_str(j, "severity", f->warning ? "warning" : "error");
		json_str(j, "file", f->file);
		if (f->line > 0)
			json_u64(j, "line", f->line);
		else
			json_null(j, "line");
		json_str(j, "container", f->guest);
		json_str(j, "parameter", f->param);
		json_str(j, "message", f->msg);
		json_end_obj(j);
	}
	json_end_arr(j);
}

uint64_t
row_kb(const struct world *w, size_t n)
{
	uint64_t blk = w->host.mem_kb / w->map.n, pk = w->host.page_kb;

	return sat((u128)n * blk / pk * pk);
}

void
oversell_compute(const struct world *w, int map_ok, struct oversell *o)
{
	uint64_t pk = w->host.page_kb;
	struct share sh;
	size_t i;

	memset(o, 0, sizeof(*o));
	o->ram.avail = w->host.mem_kb;
	o->swap.avail = w->host.swap_kb;
	o->all.avail = w->host.mem_kb + w->host.swap_kb;
	o->have_map = map_ok;
	for (i = 0; map_ok && i < w->map.nrows; i++) {
		const struct map_row *r = &w->map.rows[i];

		if (r->ctid == NULL)
			continue;
		o->ram.map = sat((u128)o->ram.map + row_kb(w, r->eq));
		o->swap.map = sat((u128)o->swap.map + row_kb(w, r->plus));
	}
	o->all.map = sat((u128)o->ram.map + o->swap.map);
	/* What the guests' settings give them now, as -i reads it. */
	for (i = 0; i < w->nguests; i++) {
		const struct guest *g = &w->guests[i];

		g->kind->share(w, g, 1, &sh);
		o->ram.confs = sat((u128)o->ram.confs + (u128)sh.g * pk);
		o->swap.confs = sat((u128)o->swap.confs + (u128)sh.x * pk);
	}
	o->all.confs = sat((u128)o->ram.confs + o->swap.confs);
}

void
human(struct buf *b, uint64_t kb)
{
	static const char units[] = "KMGTPEZ";
	u128 unit = 1, tenths;
	size_t u = 0;

	for (;;) {
		tenths = ((u128)kb * 10 + unit / 2) / unit;
		if (tenths < 10000 || u + 2 == sizeof(units))
			break;
		unit *= 1024;
		u++;
	}
	buf_printf(b, "%llu.%u%c", (unsigned long long)(tenths / 10),
	    (unsigned)(tenths % 10), units[u]);
}

/* "89.6%", "121.3%!" when oversold, "-" of nothing. */
static void
percent(struct buf *b, uint64_t part, uint64_t whole)
{
	u128 t;

	if (whole == 0) {
		buf_addstr(b, part == 0 ? "-" : "inf!");
		return;
	}
	t = ((u128)part * 1000 + whole / 2) / whole;
	buf_printf(b, "%llu.%u%%%s", (unsigned long long)(t / 10),
	    (unsigned)(t % 10), part > whole ? "!" : "");
}

static void
amount_line(struct buf *b, const char *what, const struct amount *a,
    int have_map)
{
	struct buf s[5];
	size_t i;

	memset(s, 0, sizeof(s));
	human(&s[0], a->avail);
	if (have_map) {
		human(&s[1], a->map);
		percent(&s[2], a->map, a->avail);
	} else {
		buf_addstr(&s[1], "-");
		buf_addstr(&s[2], "-");
	}
	human(&s[3], a->confs);
	percent(&s[4], a->confs, a->avail);
	buf_printf(b, "%-9s %9s %9s %7s %9s %7s\n", what, s[0].data,
	    s[1].data, s[2].data, s[3].data, s[4].data);
	for (i = 0; i < 5; i++)
		buf_free(&s[i]);
}

void
oversell_print(const struct oversell *o, struct buf *b)
{
	buf_printf(b, "%-9s %9s %9s %7s %9s %7s\n", "memory", "available",
	    "map", "%", "confs", "%");
	amount_line(b, "RAM", &o->ram, o->have_map);
	amount_line(b, "swap", &o->swap, o->have_map);
	amount_line(b, "RAM+swap", &o->all, o->have_map);
}

static void
amount_json(struct json *j, const char *key, const struct amount *a,
    int have_map)
{
	json_obj(j, key);
	json_u64(j, "available_kb", a->avail);
	if (have_map)
		json_u64(j, "map_kb", a->map);
	else
		json_null(j, "map_kb");
	json_u64(j, "confs_kb", a->confs);
	json_end_obj(j);
}

static void
oversell_json(struct json *j, const struct oversell *o)
{
	json_obj(j, "oversell");
	amount_json(j, "ram", &o->ram, o->have_map);
	amount_json(j, "swap", &o->swap, o->have_map);
	amount_json(j, "ram_swap", &o->all, o->have_map);
	json_end_obj(j);
}

void
report_kinds(const struct world *w, struct buf *b)
{
	size_t i, len, any = 0;

	for (i = 0; vz_kinds[i] != NULL; i++) {
		if (vz_kinds[i]->describe == NULL)
			continue;
		len = b->len;
		vz_kinds[i]->describe(w, b);
		if (b->len > len) {
			buf_addc(b, '\n');
			any = 1;
		}
	}
	if (any)
		buf_addc(b, '\n');
}

static void
host_json(struct json *j, const struct world *w, int map_ok)
{
	size_t i;

	json_obj(j, "host");
	json_u64(j, "mem_kb", w->host.mem_kb);
	json_u64(j, "swap_kb", w->host.swap_kb);
	json_u64(j, "page_kb", w->host.page_kb);
	if (map_ok) {
		json_u64(j, "blocks", w->map.n);
		json_u64(j, "block_kb", w->host.mem_kb / w->map.n);
	} else {
		json_null(j, "blocks");
		json_null(j, "block_kb");
	}
	for (i = 0; vz_kinds[i] != NULL; i++)
		if (vz_kinds[i]->json_host != NULL)
			vz_kinds[i]->json_host(w, j);
	json_end_obj(j);
}

/* "live": the figures its kind knows, null where unknown now. */
static void
live_json(struct json *j, const struct world *w, const struct guest *g)
{
	struct figures f;
	int i;

	if (g->kind->figures == NULL || g->kind->figures(w, g, &f) != 1) {
		json_null(j, "live");
		return;
	}
	json_obj(j, "live");
	for (i = 0; i < FIG_N; i++) {
		if (!(f.known & 1u << i))
			continue;
		if (f.v[i] == FIG_NONE && !(f.sat & 1u << i))
			json_null(j, fig_keys[i]);
		else
			json_u64(j, fig_keys[i], f.v[i]);
	}
	if (f.psi[0] != '\0')
		json_str(j, "psi_some_avg10", f.psi);
	if (f.limits) {
		limit_json(j, "limit_kb", f.limit[0]);
		limit_json(j, strcmp(f.swap_name, "swap") == 0 ?
		    "swap_limit_kb" : "ram_swap_limit_kb", f.limit[1]);
		json_bool(j, "limit_differs", f.limit_differs);
	}
	json_end_obj(j);
}

/* A live limit: kB, "max" for none, null when unreadable. */
static void
limit_json(struct json *j, const char *key, uint64_t kb)
{
	if (kb == FIG_NONE)
		json_null(j, key);
	else if (kb == FIG_UNLIMITED)
		json_str(j, key, "max");
	else
		json_u64(j, key, kb);
}

/* Every kind's own keys of a row: g's kind's values, null for others. */
static void
kinds_json(struct json *j, const struct world *w, const struct guest *g)
{
	size_t i;

	for (i = 0; vz_kinds[i] != NULL; i++)
		if (vz_kinds[i]->json_row != NULL)
			vz_kinds[i]->json_row(w, g != NULL &&
			    g->kind == vz_kinds[i] ? g : NULL, j);
}

static void
rows_json(struct json *j, const struct world *w)
{
	size_t i;

	json_arr(j, "rows");
	for (i = 0; i < w->map.nrows; i++) {
		const struct map_row *r = &w->map.rows[i];
		const struct guest *g = r->ctid ? world_guest(w, r->ctid) :
		    NULL;
		char *name;

		json_obj(j, NULL);
		json_str(j, "ctid", r->ctid);
		json_str(j, "name", r->name);
		json_u64(j, "eq", r->eq);
		json_u64(j, "plus", r->plus);
		json_u64(j, "ram_kb", row_kb(w, r->eq));
		json_u64(j, "swap_kb", row_kb(w, r->plus));
		if (g == NULL) {
			json_str(j, "state", r->ctid ? "no conf" : "pool");
			json_null(j, "hostname");
			kinds_json(j, w, NULL);
			json_null(j, "live");
		} else {
			json_str(j, "state", g->running ? "running" :
			    "stopped");
			name = guest_name(g);
			json_str(j, "hostname", name);
			free(name);
			kinds_json(j, w, g);
			live_json(j, w, g);
		}
		json_end_obj(j);
	}
	json_end_arr(j);
}

void
report_json_begin(struct json *j, struct buf *b, const char *command,
    const struct world *w, int map_ok, const struct oversell *os)
{
	json_init(j, b);
	j->out = stdout;
	json_obj(j, NULL);
	json_u64(j, "version", 1);
	json_str(j, "command", command);
	host_json(j, w, map_ok);
	if (map_ok)
		rows_json(j, w);
	else {
		json_arr(j, "rows");
		json_end_arr(j);
	}
	oversell_json(j, os);
}

void
report_json_end(struct json *j, struct buf *b, const struct report *r)
{
	findings_json(j, r);
	json_u64(j, "errors", r->errors);
	json_u64(j, "warnings", r->warnings);
	json_end_obj(j);
	json_finish(j);
	buf_spill(b, stdout, 0);
	buf_free(b);
}

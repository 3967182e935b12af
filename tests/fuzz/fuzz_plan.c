/*
 * fuzz_plan.c -- the planner and the OpenVZ kind's settings, on a world
 * built in memory: a host (MemTotal up to KB_MAX, SwapTotal, page size),
 * a map of up to 8 rows, and for each row a conf (UBC or VSwap, with or
 * without the old UBC parameters), read lean as the kind reads it.
 *
 * Properties, when the map is valid:
 * - G and X are floor(eq * blk / page) and floor(plus * blk / page),
 *   worked out here again in 128 bits;
 * - plan_build reports an error exactly when a conf value cannot be read
 *   or a share passes what can be held: G, X or G + X beyond INT64_MAX
 *   pages (the planner's bound), or a finite side of a setting (SPEC
 *   section 4, worked out here again) at or beyond VAL_MAX, vzctl's
 *   unlimited;
 * - without an error, every wanted value parses back (same page size)
 *   to the numbers the kind computed and to those of SPEC section 4
 *   (a finite 2147483647 one page less: it would read as unlimited),
 *   barrier <= limit (unlimited the largest), no finite side >= VAL_MAX.
 *
 * Input: a header of 20 bytes (modes, MemTotal, SwapTotal, gap, rows),
 * then 5 bytes per row (conf, '=' and '+' counts), then N if asked.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "openvz/openvz.h"
#include "plan.h"
#include "vzmem.h"
#include "world.h"
#include "fuzz.h"

__extension__ typedef unsigned __int128 u128;

#define KB_MAX		((uint64_t)INT64_MAX / 1024)	/* as host.c */
#define ROWS_MAX	8
#define BAR_MAX		8192	/* '=' or '+' of a row */
#define UNLIM32		UINT64_C(2147483647)


/* The conf of a row: one byte picks a line of each table. */
static const char *const phys[8] = {
	NULL, "0:unlimited", "0:9223372036854775807", "0:2147483647",
	"0:262144", "0:1G", "0:lots", "0:0"
};
/* "1x" and "0:lots" vzctl skips (a warning: absent); "-1" vzctl reads
 * (wrapped) but vzmem cannot: an error. */
static const char *const vmguar[4] = {
	NULL, "1:unlimited", "1x", "-1:unlimited"
};
static const char *const oomguar[4] = {
	NULL, "1:unlimited", "1:2147483647", "1:1"
};

struct row {
	unsigned	 conf;		/* the byte */
	size_t		 eq, plus;
	int		 pool;		/* FREE, no guest */
};

struct input {
	uint64_t	 page_kb, mem_kb, swap_kb, n;
	unsigned	 gap;
	struct row	 rows[ROWS_MAX];
	size_t		 nrows;
	int		 unmapped;	/* one more conf, without a row */
};

static void	 input_read(const uint8_t *, size_t, struct input *);
static uint64_t	 get_u64(const uint8_t **, size_t *);
static unsigned	 get_u16(const uint8_t **, size_t *);
static void	 conf_text(unsigned, struct buf *);
static int	 conf_bad(unsigned);
static void	 map_text(const struct input *, struct buf *);
static size_t	 world_build(const struct input *, const struct opts *,
		    struct world *);
static int	 over(uint64_t);
static int	 too_big(const struct gplan *, unsigned);
static void	 spec_value(const struct gplan *, unsigned, enum param,
		    struct value *);
static void	 check_guest(const struct plan *, const struct gplan *);

static uint64_t
get_u64(const uint8_t **p, size_t *len)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < 8; i++) {
		v = v << 8 | (*len > 0 ? **p : 0);
		if (*len > 0) {
			(*p)++;
			(*len)--;
		}
	}
	return v;
}

static unsigned
get_u16(const uint8_t **p, size_t *len)
{
	unsigned v = 0;
	int i;

	for (i = 0; i < 2; i++) {
		v = v << 8 | (*len > 0 ? **p : 0);
		if (*len > 0) {
			(*p)++;
			(*len)--;
		}
	}
	return v;
}

/*
 * Byte 0: page size (bits 0-1), how MemTotal (2-3) and SwapTotal (4-5)
 * are read.  MemTotal: KB_MAX less a little, any, up to 1 TiB, or a
 * block of exactly so many pages (so that the fuzzer can aim at one G).
 * Byte 19: rows (bits 0-2), the last a pool (3), a conf without a row
 * (4), N from the input rather than the '=' total (5).
 */
static void
input_read(const uint8_t *p, size_t len, struct input *in)
{
	static const uint64_t pages[4] = { 4, 16, 64, 4 };
	unsigned mode, rows, i;
	uint64_t mem, swap, eq = 0;

	memset(in, 0, sizeof(*in));
	mode = len > 0 ? p[0] : 0;
	if (len > 0) {
		p++;
		len--;
	}
	in->page_kb = pages[mode & 3];
	mem = get_u64(&p, &len);
	swap = get_u64(&p, &len);
	in->gap = get_u16(&p, &len) % 1001;
	rows = len > 0 ? p[0] : 0;
	if (len > 0) {
		p++;
		len--;
	}
	in->nrows = (rows & 7) + 1;
	for (i = 0; i < in->nrows; i++) {
		struct row *r = &in->rows[i];

		r->conf = len > 0 ? p[0] : 0;
		if (len > 0) {
			p++;
			len--;
		}
		r->eq = get_u16(&p, &len) % (BAR_MAX + 1);
		r->plus = get_u16(&p, &len) % (BAR_MAX + 1);
		eq += r->eq;
	}
	in->rows[in->nrows - 1].pool = (rows & 8) != 0;
	in->unmapped = (rows & 16) != 0;
	in->n = rows & 32 ? get_u64(&p, &len) : eq;
	switch (mode >> 2 & 3) {
	case 0:
		in->mem_kb = KB_MAX - mem % 4096;
		break;
	case 1:
		in->mem_kb = mem % (KB_MAX + 1);
		break;
	case 2:
		in->mem_kb = mem % (UINT64_C(1) << 30);
		break;
	default:
		/* mem pages a block: N blocks of them, if that fits. */
		mem %= KB_MAX / in->page_kb + 1;
		in->mem_kb = in->n > 0 && mem <= KB_MAX / in->page_kb /
		    in->n ? mem * in->page_kb * in->n : KB_MAX;
		break;
	}
	switch (mode >> 4 & 3) {
	case 0:
		in->swap_kb = 0;
		break;
	case 1:
		in->swap_kb = swap % (KB_MAX + 1);
		break;
	case 2:
		in->swap_kb = KB_MAX;
		break;
	default:
		in->swap_kb = swap % (UINT64_C(1) << 30);
		break;
	}
}

/*
 * Bits 0-2: PHYSPAGES, 3-4: VMGUARPAGES, 5-6: OOMGUARPAGES, 7: the
 * other three present (PRIVVMPAGES with vzctl's 64-bit unlimited).
 */
static void
conf_text(unsigned sel, struct buf *b)
{
	b->len = 0;
	buf_addstr(b, "# a conf\nHOSTNAME=\"ct\"\n");
	if (phys[sel & 7] != NULL)
		buf_printf(b, "PHYSPAGES=\"%s\"\n", phys[sel & 7]);
	if (vmguar[sel >> 3 & 3] != NULL)
		buf_printf(b, "VMGUARPAGES=\"%s\"\n", vmguar[sel >> 3 & 3]);
	if (oomguar[sel >> 5 & 3] != NULL)
		buf_printf(b, "OOMGUARPAGES=%s\n", oomguar[sel >> 5 & 3]);
	if (sel & 128)
		buf_addstr(b, "PRIVVMPAGES=\"1:9223372036854775807\"\n"
		    "SHMPAGES=\"1:1\"\nSWAPPAGES=\"0:1\"\n");
}

/* The conf holds a value the kind must read and cannot. */
static int
conf_bad(unsigned sel)
{
	/* "0:lots" and "1x" are skipped as vzctl skips them: absent. */
	return (sel >> 3 & 3) == 3;
}

static void
map_text(const struct input *in, struct buf *b)
{
	size_t i;

	buf_printf(b, "# fuzz\n%llu\n", (unsigned long long)in->n);
	for (i = 0; i < in->nrows; i++) {
		const struct row *r = &in->rows[i];

		if (r->pool)
			buf_addstr(b, "FREE ");
		else
			buf_printf(b, "%zu ct ", 101 + i);
		buf_pad(b, '=', r->eq);
		buf_pad(b, '+', r->plus);
		buf_addstr(b, " 1K\n");
	}
}

/*
 * What world_read would give: the host, the kind's state (world_set_kind,
 * freed by its close() in world_free), a guest per conf in map order,
 * the map parsed.  Returns the map's syntax errors (N may be any number).
 */
static size_t
world_build(const struct input *in, const struct opts *o, struct world *w)
{
	struct buf text = { NULL, 0, 0 }, shown = { NULL, 0, 0 };
	struct ovz *z;
	size_t i, errors, ncts = in->nrows + 1;

	memset(w, 0, sizeof(*w));
	w->o = o;
	w->host.root = xstrdup("");
	w->host.mem_kb = in->mem_kb;
	w->host.swap_kb = in->swap_kb;
	w->host.page_kb = in->page_kb;
	w->host.page_bytes = in->page_kb * 1024;
	w->mapshown = xstrdup("MEM-MAP");
	z = xcalloc(1, sizeof(*z));
	z->o = o;
	z->version = 4;		/* SPEC section 4's rules: never ask vzctl */
	z->confdir = xstrdup("/etc/vz/conf");
	z->ubcpath = xstrdup("/proc/user_beancounters");
	z->have_dir = 1;
	z->cts = xcalloc(ncts, sizeof(*z->cts));
	world_set_kind(w, &openvz_kind, z);
	for (i = 0; i < ncts; i++) {
		struct ovz_ct *ct = &z->cts[z->ncts];
		struct guest *g;

		if (i < in->nrows ? in->rows[i].pool : !in->unmapped)
			continue;
		conf_text(i < in->nrows ? in->rows[i].conf : 0, &text);
		shown.len = 0;
		buf_printf(&shown, "%zu", 101 + i);
		g = world_add_guest(w, &openvz_kind, shown.data, shown.len,
		    ct);
		buf_addstr(&shown, ".conf");
		conf_parse(&ct->conf, text.data, text.len, shown.data);
		conf_lean(&ct->conf, ovz_lean_names);
		g->shown = ct->conf.shown;
		ct->conf.guest = g->id;
		z->ncts++;
	}
	text.len = 0;
	map_text(in, &text);
	w->have_map = 1;
	errors = map_parse(&w->map, text.data, text.len, w->mapshown);
	buf_free(&text);
	buf_free(&shown);
	return errors;
}

/* A side vzctl cannot hold: finite and not below its unlimited. */
static int
over(uint64_t v)
{
	return v != VAL_UNLIMITED && v >= VAL_MAX;
}

/* SPEC section 4's value of pm for a share, in pages. */
static void
spec_value(const struct gplan *gp, unsigned gap, enum param pm,
    struct value *v)
{
	u128 g = gp->share.g, x = gp->share.x, lim;

	memset(v, 0, sizeof(*v));
	v->limit = VAL_UNLIMITED;
	switch (pm) {
	case P_VMGUARPAGES:
		v->barrier = (uint64_t)(gp->variant == V_VSWAP ? g + x : g);
		break;
	case P_OOMGUARPAGES:
		v->barrier = (uint64_t)(gp->variant == V_VSWAP ? g : g + x);
		break;
	case P_PRIVVMPAGES:
		v->barrier = (uint64_t)(g + x);
		lim = (g + x) * (100 + gap) / 100;
		v->limit = lim >= VAL_UNLIMITED ? VAL_UNLIMITED - 1 :
		    (uint64_t)lim;
		break;
	case P_SHMPAGES:
		v->barrier = v->limit = (uint64_t)g;
		break;
	case P_PHYSPAGES:
		v->barrier = 0;
		v->limit = (uint64_t)g;
		break;
	default:
		v->barrier = 0;
		v->limit = (uint64_t)x;
		break;
	}
	/* 2147483647 reads as unlimited (SPEC section 3): one page less. */
	if (v->barrier == UNLIM32)
		v->barrier--;
	if (v->limit == UNLIM32)
		v->limit--;
}

/* Whether SPEC section 4's settings of gp pass what vzctl holds. */
static int
too_big(const struct gplan *gp, unsigned gap)
{
	struct value v;
	int pm;

	/* The sum, not only each side: it is written when UBC. */
	if ((u128)gp->share.g + gp->share.x > INT64_MAX)
		return 1;
	for (pm = 0; pm < P_N; pm++) {
		if (!(gp->set & 1u << pm))
			continue;
		spec_value(gp, gap, (enum param)pm, &v);
		if (over(v.barrier) || over(v.limit))
			return 1;
	}
	return 0;
}

static void
check_guest(const struct plan *p, const struct gplan *gp)
{
	struct setting *s;
	struct change c;
	struct value v, spec;
	const char *why;
	size_t n, k = 0;
	int pm;

	n = gp->guest->kind->settings(p, gp, &s);
	for (pm = 0; pm < P_N; pm++) {
		if (!ovz_change(p, gp, (enum param)pm, &c))
			continue;
		PROPERTY(k < n);
		PROPERTY(strcmp(s[k].name, param_names[pm]) == 0);
		PROPERTY(strcmp(s[k].want, c.text) == 0);
		PROPERTY(value_parse(s[k].want, strlen(s[k].want),
		    p->page_bytes, &v, &why) == 0);
		PROPERTY(value_eq(&v, &c.want));
		spec_value(gp, p->gap, (enum param)pm, &spec);
		PROPERTY(value_eq(&v, &spec));
		PROPERTY(v.barrier <= v.limit);
		PROPERTY(!over(v.barrier) && !over(v.limit));
		change_free(&c);
		k++;
	}
	PROPERTY(k == n);
	settings_free(s, n);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct opts o = { .gap = 10 };
	struct input in;
	struct world w;
	struct plan p;
	size_t i, errors;
	int bad = 0, big = 0;

	input_read(data, len, &in);
	o.gap = in.gap;
	if (world_build(&in, &o, &w) != 0 || world_validate(&w) != 0) {
		world_free(&w);
		return 0;
	}
	errors = plan_build(&w, &o, &p);
	PROPERTY(p.blk_kb == in.mem_kb / in.n);
	for (i = 0; i < in.nrows; i++)
		bad |= !in.rows[i].pool && conf_bad(in.rows[i].conf);
	/* The planner drops a row whose share it cannot give. */
	PROPERTY(p.n <= in.nrows);
	for (i = 0; i < p.n; i++) {
		const struct gplan *gp = &p.gps[i];
		const struct map_row *r = gp->guest->row;

		PROPERTY(gp->share.g ==
		    (uint64_t)((u128)r->eq * p.blk_kb / in.page_kb));
		PROPERTY(gp->share.x ==
		    (uint64_t)((u128)r->plus * p.blk_kb / in.page_kb));
		big |= too_big(gp, in.gap);
		/* vzcfgvalidate rejects a SWAPPAGES limit beyond the swap. */
		big |= gp->variant == V_VSWAP &&
		    gp->share.x > in.swap_kb / in.page_kb;
	}
	for (i = 0; i < in.nrows; i++) {
		const struct row *r = &in.rows[i];

		big |= !r->pool && ((u128)r->eq * p.blk_kb / in.page_kb +
		    (u128)r->plus * p.blk_kb / in.page_kb > INT64_MAX);
	}
	PROPERTY((errors > 0) == (bad || big));
	if (errors == 0)
		for (i = 0; i < p.n; i++)
			check_guest(&p, &p.gps[i]);
	plan_free(&p);
	world_free(&w);
	return 0;
}

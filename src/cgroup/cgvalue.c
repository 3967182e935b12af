/*
 * cgvalue.c -- values: a limit as the kernel reads it (memparse), the
 * values a share wants, and the writes that differ from what is there.
 */
#include <limits.h>
#include <string.h>

#include "cgroup/cgfs.h"
#include "cgroup/cgfile.h"

static int	 mul_ok(uint64_t, uint64_t, uint64_t *);
static int	 want_bytes(uint64_t, uint64_t, uint64_t *, const char **);
static int	 plan_phase(const struct cg_state *,
		    const struct cg_write *);

uint64_t
cg_bytes_max(uint64_t page_bytes)
{
	if (page_bytes == 0)
		page_bytes = 4096;
	return (uint64_t)LONG_MAX / page_bytes * page_bytes;
}

int
cg_value_parse(const char *s, size_t len, enum cg_version version,
    uint64_t page_bytes, uint64_t *out, const char **why)
{
	static const char suffixes[] = "kmgtpe";
	const char *suf;
	unsigned base = 10;
	uint64_t v, shift;
	size_t used, skip = 0;

	if (page_bytes == 0)
		page_bytes = 4096;
	while (len > 0 && cg_is_space((unsigned char)*s))
		s++, len--;
	while (len > 0 && cg_is_space((unsigned char)s[len - 1]))
		len--;
	if (len == 0) {
		*why = "empty value";
		return -1;
	}
	if ((version == CG_V2 && cg_tok_is(s, len, "max")) ||
	    (version == CG_V1 && cg_tok_is(s, len, "-1"))) {
		*out = CG_UNLIMITED;
		return 0;
	}
	/* simple_strtoull() with base 0, as memparse() calls it. */
	if (s[0] == '0' && len > 2 && (s[1] == 'x' || s[1] == 'X') &&
	    cg_digits(s + 2, 1, 16, &v, &used) == 0 && used == 1) {
		base = 16;
		skip = 2;
	} else if (s[0] == '0')
		base = 8;
	if (cg_digits(s + skip, len - skip, base, &v, &used) == -1) {
		*why = "number too large";
		return -1;
	}
	/* The kernel would take "M" as 0; that is a typo, not a limit. */
	if (used == 0) {
		*why = version == CG_V2 ? "not a number or \"max\"" :
		    "not a number or \"-1\"";
		return -1;
	}
	used += skip;
	if (used < len) {
		char c = s[used];

		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (c == '\0' || (suf = strchr(suffixes, c)) == NULL ||
		    used + 1 != len) {
			*why = "bad suffix (want k, m, g, t, p or e)";
			return -1;
		}
		shift = 10 * (uint64_t)(suf - suffixes + 1);
		if (v > (UINT64_MAX >> shift)) {
			*why = "number too large";
			return -1;
		}
		v <<= shift;
	}
	v = v / page_bytes * page_bytes;
	*out = v >= cg_bytes_max(page_bytes) ? CG_UNLIMITED : v;
	return 0;
}

static int
mul_ok(uint64_t a, uint64_t b, uint64_t *r)
{
	if (b != 0 && a > UINT64_MAX / b)
		return 0;
	*r = a * b;
	return 1;
}

/* pages in bytes, below what the kernel keeps as unlimited. */
static int
want_bytes(uint64_t pages, uint64_t page_bytes, uint64_t *bytes,
    const char **why)
{
	if (!mul_ok(pages, page_bytes, bytes)) {
		*why = "the share in bytes overflows";
		return -1;
	}
	if (*bytes >= cg_bytes_max(page_bytes)) {
		*why = "the share is beyond the kernel's largest limit";
		return -1;
	}
	return 0;
}

int
cg_want(enum cg_version version, enum cg_guar guar, uint64_t page_bytes,
    uint64_t g, uint64_t x, struct cg_want *w, const char **why)
{
	uint64_t t, gb, xb, tb;

	memset(w, 0, sizeof(*w));
	if (version == CG_NONE) {
		*why = "no memory cgroup on this host";
		return -1;
	}
	if ((t = g + x) < g) {
		*why = "the share in pages overflows";
		return -1;
	}
	if (want_bytes(g, page_bytes, &gb, why) == -1 ||
	    want_bytes(x, page_bytes, &xb, why) == -1 ||
	    want_bytes(t, page_bytes, &tb, why) == -1)
		return -1;
	w->n = 3;
	if (version == CG_V2) {
		w->set[0].item = guar == CG_GUAR_MIN ? CG_MIN : CG_LOW;
		w->set[0].bytes = gb;
		w->set[1].item = CG_MAX;
		w->set[1].bytes = tb;
		w->set[2].item = CG_SWAP_MAX;
		w->set[2].bytes = xb;
	} else {
		w->set[0].item = CG_SOFT;
		w->set[0].bytes = gb;
		w->set[1].item = CG_LIMIT;
		w->set[1].bytes = tb;
		w->set[2].item = CG_MEMSW;
		w->set[2].bytes = tb;
	}
	return 0;
}

void
cg_knobs_live(const struct cg_state *st, enum cg_guar guar,
    struct cg_knobs *k)
{
	enum cg_item order[3];
	size_t i;

	memset(k, 0, sizeof(*k));
	order[0] = guar == CG_GUAR_MIN ? CG_MIN : CG_LOW;
	order[1] = guar == CG_GUAR_MIN ? CG_LOW : CG_MIN;
	order[2] = CG_SOFT;
	/* The mode's own file first; the other one still protects. */
	for (i = 0; i < 3; i++)
		if (CG_HAS(st, order[i]) && st->val[order[i]] != 0 &&
		    st->val[order[i]] != CG_UNLIMITED) {
			k->guar = st->val[order[i]];
			k->have |= CGK_GUAR;
			break;
		}
	if (CG_HAS(st, CG_MAX)) {
		k->limit = st->val[CG_MAX];
		k->have |= CGK_LIMIT;
	} else if (CG_HAS(st, CG_LIMIT)) {
		k->limit = st->val[CG_LIMIT];
		k->have |= CGK_LIMIT;
	}
}

void
cg_share(const struct cg_knobs *first, const struct cg_knobs *then,
    uint64_t use, uint64_t page_bytes, uint64_t *g, uint64_t *x)
{
	const struct cg_knobs *k[2] = { first, then };
	uint64_t guar = 0, limit = CG_UNLIMITED, lp;
	size_t i;

	if (page_bytes == 0)
		page_bytes = 4096;
	/*
	 * 0 and unlimited are the kernel's defaults: what nobody set.  (A
	 * v1 soft limit reads unlimited when unset.)
	 */
	for (i = 2; i-- > 0; ) {
		if (k[i] == NULL)
			continue;
		if ((k[i]->have & CGK_GUAR) && k[i]->guar != 0 &&
		    k[i]->guar != CG_UNLIMITED)
			guar = k[i]->guar;
		if ((k[i]->have & CGK_LIMIT) && k[i]->limit != CG_UNLIMITED)
			limit = k[i]->limit;
	}
	*x = 0;
	if (guar != 0) {
		*g = guar / page_bytes;
		lp = limit != CG_UNLIMITED ? limit / page_bytes : 0;
		if (lp > *g)
			*x = lp - *g;
	} else if (limit != CG_UNLIMITED)
		*g = limit / page_bytes;
	else
		*g = use / page_bytes + (use % page_bytes != 0);
}

size_t
cg_plan(const struct cg_state *st, const struct cg_want *want, size_t guest,
    const char *name, const char *dir, struct cg_write *out,
    uint32_t *absent)
{
	const struct cg_setting *s;
	struct cg_write *w;
	size_t i, n = 0;

	*absent = 0;
	if (!st->exists)
		return 0;
	for (i = 0; i < want->n && i < CG_NSET; i++) {
		s = &want->set[i];
		if (!CG_HAS(st, s->item) && !(st->bad & (1u << s->item))) {
			*absent |= 1u << s->item;
			continue;
		}
		/* Garbage read is written over, as an increase. */
		if (CG_HAS(st, s->item) && st->val[s->item] == s->bytes)
			continue;
		w = &out[n++];
		memset(w, 0, sizeof(*w));
		w->guest = guest;
		w->name = name;
		w->dir = dir;
		w->mfd = -1;
		w->path = NULL;
		w->item = s->item;
		w->known = CG_HAS(st, s->item);
		w->old = w->known ? st->val[s->item] : 0;
		w->want = s->bytes;
		w->phase = plan_phase(st, w);
	}
	return n;
}

/* The RAM limit of either version. */
int
cg_is_limit(enum cg_item item)
{
	return item == CG_MAX || item == CG_LIMIT;
}

/*
 * 0: a decrease, 1: an increase or a value not known before.  A v1
 * limit not known is below its memsw (the kernel keeps it so): when
 * memsw goes down to the share, the limit must come down first, and
 * writing it first is safe, as the share is <= memsw.
 */
static int
plan_phase(const struct cg_state *st, const struct cg_write *w)
{
	if (w->known)
		return w->want < w->old ? 0 : 1;
	if (w->item == CG_LIMIT && CG_HAS(st, CG_MEMSW) &&
	    w->want < st->val[CG_MEMSW])
		return 0;
	return 1;
}

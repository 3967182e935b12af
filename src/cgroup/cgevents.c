/*
 * cgevents.c -- the keyed files (memory.events, memory.oom_control) and
 * pressure stall information (memory.pressure).
 */
#include <string.h>

#include "cgroup/cgfs.h"
#include "cgroup/cgfile.h"

#define PSI_MAX		10000		/* 100.00 % */

static int	 psi_value(const char *, size_t, uint64_t *);

/*
 * "key N" lines (memory.events, memory.oom_control).  Keys other than
 * the ones kept are skipped, so that a newer kernel's lines (oom_group_
 * kill, sock_throttled) do not matter; a bad line is a warning.
 */
void
cg_parse_keyed(struct cg_state *st, const struct cgfile *f, const char *text,
    size_t len, const char *shown)
{
	static const struct {
		const char	*key;
		enum cg_item	 item;
		enum fkind	 kind;
	} keys[] = {
		{ "high", CG_EV_HIGH, F_EVENTS },
		{ "max", CG_EV_MAX, F_EVENTS },
		{ "oom_kill", CG_OOM_KILL, F_EVENTS },
		{ "oom_kill", CG_OOM_KILL, F_OOMCTL }
	};
	struct cg_line l = { NULL, 0, 0 };
	const char *k, *v, *extra;
	size_t off = 0, klen, vlen, xlen, i;
	uint64_t n;

	while (cg_next_line(text, len, &off, &l)) {
		if (!cg_token(l.s, l.len, 0, &k, &klen))
			continue;
		if (!cg_token(l.s, l.len, 1, &v, &vlen) ||
		    cg_token(l.s, l.len, 2, &extra, &xlen) ||
		    parse_u64(v, vlen, UINT64_MAX, &n) == -1) {
			cg_garbage(shown, l.no, "not \"key count\"", l.s, l.len);
			continue;
		}
		for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
			if (keys[i].kind == f->kind &&
			    cg_tok_is(k, klen, keys[i].key))
				cg_set_item(st, keys[i].item, n);
	}
}

/* "N.NN" in hundredths, at most 100.00. */
static int
psi_value(const char *s, size_t len, uint64_t *v)
{
	const char *dot;
	uint64_t whole, frac = 0;
	size_t n, fl;

	dot = memchr(s, '.', len);
	n = dot != NULL ? (size_t)(dot - s) : len;
	if (n == 0 || n > 3 || parse_u64(s, n, 100, &whole) == -1)
		return -1;
	if (dot != NULL) {
		fl = len - n - 1;
		if (fl == 0 || fl > 2 ||
		    parse_u64(dot + 1, fl, 99, &frac) == -1)
			return -1;
		if (fl == 1)
			frac *= 10;
	}
	*v = whole * 100 + frac;
	return *v <= PSI_MAX ? 0 : -1;
}

/* memory.pressure: the "some" line's avg10 (the "full" one is not
 * shown by -s). */
void
cg_parse_psi(struct cg_state *st, const char *text, size_t len,
    const char *shown)
{
	struct cg_line l = { NULL, 0, 0 };
	const char *t;
	size_t off = 0, n, tlen;
	uint64_t v;

	while (cg_next_line(text, len, &off, &l)) {
		if (!cg_token(l.s, l.len, 0, &t, &tlen) ||
		    !cg_tok_is(t, tlen, "some"))
			continue;
		for (n = 1; cg_token(l.s, l.len, n, &t, &tlen); n++)
			if (tlen > 6 && memcmp(t, "avg10=", 6) == 0)
				break;
		if (tlen <= 6 || memcmp(t, "avg10=", 6) != 0 ||
		    psi_value(t + 6, tlen - 6, &v) == -1) {
			cg_bad_item(st, CG_PSI_SOME10);
			cg_garbage(shown, l.no, "no \"some avg10=N.NN\"", l.s,
			    l.len);
			continue;
		}
		cg_set_item(st, CG_PSI_SOME10, v);
	}
}

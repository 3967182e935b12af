/*
 * rules.c -- vzcfgvalidate's memory rules on a container conf, for -c.
 *
 * Which rules are errors follows vzcfgvalidate: what it calls "Error" is
 * an error here (a VSwap barrier other than 0 too), what it calls
 * "Warning" a warning (VSwap limits beyond the host: the conf still
 * works, it only promises what is not there).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "openvz.h"
#include "world.h"

struct pv {
	int		 st;		/* 1 valid, 0 absent, -1 invalid */
	struct value	 v;
	size_t		 line;
	const char	*why;
};

static void	 finding(int, const struct guest *, enum param, size_t,
		    const char *, ...) PRINTFLIKE(5, 6);
static const char *side(char *, size_t, uint64_t);
static unsigned	 managed(const struct guest *, const struct pv *);
static void	 check_values(const struct guest *, struct pv *, uint64_t,
		    int);
static void	 check_ubc(const struct guest *, const struct pv *, int);
static void	 check_vswap(const struct world *, const struct guest *,
		    const struct pv *, int);

/* One finding about a conf: the message names the file, line, param. */
static void
finding(int warning, const struct guest *g, enum param p, size_t line,
    const char *fmt, ...)
{
	struct where at = { g->shown, line, 0, g->id, param_names[p] };
	struct buf b = { NULL, 0, 0 };
	va_list ap;

	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	vz_report(&at, warning ? VZ_LWARN : VZ_LERROR, "%s", b.data);
	buf_free(&b);
}

/* A side of a value for messages, in pages. */
static const char *
side(char *s, size_t n, uint64_t v)
{
	if (v == VAL_UNLIMITED)
		return "unlimited";
	snprintf(s, n, "%llu", (unsigned long long)v);
	return s;
}

/*
 * The parameters -a reads and writes for a container with a row (a bit
 * per enum param), as the planner picks them.
 */
static unsigned
managed(const struct guest *g, const struct pv *pv)
{
	unsigned m = 1u << P_PHYSPAGES;

	if (g->row == NULL)
		return 0;
	if (pv[P_PHYSPAGES].st == 1 &&
	    pv[P_PHYSPAGES].v.limit != VAL_UNLIMITED) {
		m |= 1u << P_SWAPPAGES;
		if (pv[P_VMGUARPAGES].st != 0)
			m |= 1u << P_VMGUARPAGES;
		if (pv[P_OOMGUARPAGES].st != 0)
			m |= 1u << P_OOMGUARPAGES;
	} else
		m |= 1u << P_VMGUARPAGES | 1u << P_PRIVVMPAGES |
		    1u << P_OOMGUARPAGES | 1u << P_SHMPAGES;
	return m;
}

/*
 * Read every memory parameter of a conf, as vzctl does.  What -a needs
 * was reported by the planner, or is now by conf_value when there is no
 * plan: an error if vzmem cannot read it, a warning if vzctl skips or
 * truncates it.  What -a leaves alone gets a warning of its own.
 */
static void
check_values(const struct guest *g, struct pv *pv, uint64_t page_bytes,
    int planned)
{
	const struct conf *c = &ovz_ct(g)->conf;
	struct value v;
	unsigned m;
	int p;

	/* MEMGUARANTEE is a percent or "auto", not pages: not read
	 * here (the planner compares it as text). */
	memset(pv, 0, P_N * sizeof(*pv));
	for (p = 0; p < P_MEMGUARANTEE; p++)
		pv[p].st = conf_peek(c, param_names[p], page_bytes, &pv[p].v,
		    &pv[p].line, &pv[p].why);
	m = managed(g, pv);
	for (p = 0; p < P_N; p++) {
		if (pv[p].st == 0 || (pv[p].st == 1 && pv[p].v.trunc == 0))
			continue;
		if (m & 1u << p) {
			if (!planned)
				conf_value(c, param_names[p], page_bytes, &v);
		} else if (pv[p].st == VAL_SKIP)
			finding(1, g, (enum param)p, pv[p].line,
			    "%s: invalid value (%s); vzctl skips it, and so "
			    "does this check", param_names[p], pv[p].why);
		else if (pv[p].st == VAL_UNREAD)
			finding(1, g, (enum param)p, pv[p].line,
			    "%s: invalid value (%s); vzmem cannot read it, "
			    "and -a leaves it alone", param_names[p],
			    pv[p].why);
		else
			finding(1, g, (enum param)p, pv[p].line,
			    "%s: above LONG_MAX pages: vzctl truncates it to "
			    "unlimited", param_names[p]);
	}
}

/* vzcfgvalidate's rules for the UBC memory parameters. */
static void
check_ubc(const struct guest *g, const struct pv *pv, int v7)
{
	const struct pv *vg = &pv[P_VMGUARPAGES], *oo = &pv[P_OOMGUARPAGES];
	const struct pv *pr = &pv[P_PRIVVMPAGES], *sh = &pv[P_SHMPAGES];
	const struct pv *ph = &pv[P_PHYSPAGES];
	char a[24], b[24];

	if (vg->st == 1 && vg->v.limit != VAL_UNLIMITED)
		finding(0, g, P_VMGUARPAGES, vg->line, "VMGUARPAGES "
		    "limit %s is not unlimited",
		    side(a, sizeof(a), vg->v.limit));
	if (oo->st == 1 && oo->v.limit != VAL_UNLIMITED)
		finding(0, g, P_OOMGUARPAGES, oo->line, "OOMGUARPAGES "
		    "limit %s is not unlimited",
		    side(a, sizeof(a), oo->v.limit));
	if (pr->st == 1 && pr->v.barrier > pr->v.limit)
		finding(0, g, P_PRIVVMPAGES, pr->line, "PRIVVMPAGES "
		    "barrier %s > limit %s", side(a, sizeof(a),
		    pr->v.barrier), side(b, sizeof(b), pr->v.limit));
	if (pr->st == 1 && vg->st == 1 && pr->v.barrier < vg->v.barrier)
		finding(1, g, P_PRIVVMPAGES, pr->line, "PRIVVMPAGES "
		    "barrier %s < VMGUARPAGES barrier %s: the guarantee "
		    "cannot be allocated", side(a, sizeof(a), pr->v.barrier),
		    side(b, sizeof(b), vg->v.barrier));
	if (sh->st == 1 && sh->v.barrier != sh->v.limit)
		finding(0, g, P_SHMPAGES, sh->line, "SHMPAGES barrier "
		    "%s != limit %s", side(a, sizeof(a), sh->v.barrier),
		    side(b, sizeof(b), sh->v.limit));
	/* OpenVZ 7 has no vzcfgvalidate, and its own samples write the
	 * barrier equal to the limit (the kernel ignores it). */
	if (!v7 && ph->st == 1 && ph->v.barrier != 0)
		finding(0, g, P_PHYSPAGES, ph->line, "PHYSPAGES barrier "
		    "%s is not 0", side(a, sizeof(a), ph->v.barrier));
}

/* VSwap: the limits are the container's RAM and swap. */
static void
check_vswap(const struct world *w, const struct guest *g,
    const struct pv *pv, int v7)
{
	const struct pv *ph = &pv[P_PHYSPAGES], *sw = &pv[P_SWAPPAGES];
	uint64_t ram = w->host.mem_kb / w->host.page_kb;
	uint64_t swap = w->host.swap_kb / w->host.page_kb;
	char a[24], b[24];

	if (ph->v.limit > ram)
		finding(1, g, P_PHYSPAGES, ph->line, "PHYSPAGES limit %s "
		    "> the host's RAM (%s pages)", side(a, sizeof(a),
		    ph->v.limit), side(b, sizeof(b), ram));
	if (!v7 && sw->st == 1 && sw->v.barrier != 0)
		finding(0, g, P_SWAPPAGES, sw->line, "SWAPPAGES barrier "
		    "%s is not 0", side(a, sizeof(a), sw->v.barrier));
	if (sw->st == 1 && sw->v.limit > swap)
		finding(1, g, P_SWAPPAGES, sw->line, "SWAPPAGES limit %s "
		    "> the host's swap (%s pages)", side(a, sizeof(a),
		    sw->v.limit), side(b, sizeof(b), swap));
}

/*
 * Every conf, with a row or not: a missing parameter is not a finding
 * (VSwap confs lack the UBC ones, and -a adds what it needs).
 */
void
ovz_rules(const struct world *w, const struct guest *g,
    const struct gplan *gp)
{
	struct pv pv[P_N];
	int v7 = ovz_version(ovz_of(w)) == 7;

	check_values(g, pv, w->host.page_bytes, gp != NULL);
	check_ubc(g, pv, v7);
	if (pv[P_PHYSPAGES].st == 1 &&
	    pv[P_PHYSPAGES].v.limit != VAL_UNLIMITED)
		check_vswap(w, g, pv, v7);
	/* vzctl 7 warns "OOMGUARPAGES parameter is deprecated" and drops it
	 * (lib/env_config.c:384-389); vzmem leaves the line alone. */
	if (v7 && pv[P_OOMGUARPAGES].st != 0)
		finding(1, g, P_OOMGUARPAGES, pv[P_OOMGUARPAGES].line,
		    "OOMGUARPAGES is ignored on OpenVZ 7 (vzctl 7 drops it; "
		    "the guarantee is MEMGUARANTEE); the line is left as it "
		    "is");
}

/*
 * check.c -- vzmem -c: check the map against the host and the confs,
 * and the confs against vzcfgvalidate's memory rules, without changing
 * anything and without the lock.
 *
 * Output: the messages on stderr (every finding as "FILE:LINE: error:"
 * or "warning:"); on stdout what -a would change, the oversell summary
 * and the counts; or, with --json, one document (see vzmem(8)).
 *
 * Which rules are errors follows vzcfgvalidate: what it calls "Error" is
 * an error here, what it calls "Warning" a warning, and the rules it does
 * not have (SWAPPAGES barrier, VSwap limits beyond the host) are
 * warnings: the conf still works, it only promises what is not there.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "plan.h"
#include "report.h"
#include "world.h"

struct pv {
	int		 st;		/* 1 valid, 0 absent, -1 invalid */
	struct value	 v;
	size_t		 line;
	const char	*why;
};

static void	 finding(struct report *, int, const struct ct *, enum param,
		    size_t, const char *, ...) PRINTFLIKE(6, 7);
static const char *side(char *, size_t, uint64_t);
static unsigned	 managed(const struct ct *, const struct pv *);
static void	 check_values(struct report *, const struct ct *,
		    struct pv *, uint64_t, int);
static void	 check_ubc(struct report *, const struct ct *,
		    const struct pv *);
static void	 check_vswap(struct report *, const struct world *,
		    const struct ct *, const struct pv *);
static void	 check_conf(struct report *, const struct world *,
		    const struct ct *, int);
static void	 param_list(struct buf *, const struct ctplan *, int);
static void	 print_plan(struct buf *, const struct plan *);
static void	 changes_json(struct json *, const struct plan *);
static void	 print_json(const struct world *, int, const struct plan *,
		    const struct oversell *, const struct report *);

/* One finding about a conf: the message names the file, line, param. */
static void
finding(struct report *r, int warning, const struct ct *ct, enum param p,
    size_t line, const char *fmt, ...)
{
	struct buf b = { NULL, 0, 0 };
	va_list ap;

	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	r->ctid = ct->ctid;
	r->param = param_names[p];
	if (warning)
		vz_warn(ct->conf.shown, line, 0, "%s", b.data);
	else
		vz_err(ct->conf.shown, line, 0, "%s", b.data);
	r->ctid = r->param = NULL;
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
 * per enum param), as plan.c picks them.
 */
static unsigned
managed(const struct ct *ct, const struct pv *pv)
{
	unsigned m = 1u << P_PHYSPAGES;

	if (ct->row == NULL)
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
 * Read every memory parameter of a conf.  An invalid value -a needs is an
 * error (plan_build reported it, or conf_value does now when there is
 * no plan); one it leaves alone is a warning, as vzctl skips it too.
 */
static void
check_values(struct report *r, const struct ct *ct, struct pv *pv,
    uint64_t page_bytes, int planned)
{
	struct value v;
	unsigned m;
	int p;

	for (p = 0; p < P_N; p++) {
		pv[p].why = NULL;
		pv[p].line = 0;
		pv[p].st = conf_peek(&ct->conf, param_names[p], page_bytes,
		    &pv[p].v, &pv[p].line, &pv[p].why);
	}
	m = managed(ct, pv);
	for (p = 0; p < P_N; p++) {
		if (pv[p].st != -1)
			continue;
		if (!(m & 1u << p))
			finding(r, 1, ct, (enum param)p, pv[p].line,
			    "%s: invalid value (%s); vzctl skips it, and so "
			    "does this check", param_names[p], pv[p].why);
		else if (!planned)
			conf_value(&ct->conf, param_names[p], page_bytes, &v);
	}
}

/* vzcfgvalidate's rules for the UBC memory parameters. */
static void
check_ubc(struct report *r, const struct ct *ct, const struct pv *pv)
{
	const struct pv *vg = &pv[P_VMGUARPAGES], *oo = &pv[P_OOMGUARPAGES];
	const struct pv *pr = &pv[P_PRIVVMPAGES], *sh = &pv[P_SHMPAGES];
	const struct pv *ph = &pv[P_PHYSPAGES];
	char a[24], b[24];

	if (vg->st == 1 && vg->v.limit != VAL_UNLIMITED)
		finding(r, 0, ct, P_VMGUARPAGES, vg->line, "VMGUARPAGES "
		    "limit %s is not unlimited",
		    side(a, sizeof(a), vg->v.limit));
	if (oo->st == 1 && oo->v.limit != VAL_UNLIMITED)
		finding(r, 0, ct, P_OOMGUARPAGES, oo->line, "OOMGUARPAGES "
		    "limit %s is not unlimited",
		    side(a, sizeof(a), oo->v.limit));
	if (pr->st == 1 && pr->v.barrier > pr->v.limit)
		finding(r, 0, ct, P_PRIVVMPAGES, pr->line, "PRIVVMPAGES "
		    "barrier %s > limit %s", side(a, sizeof(a),
		    pr->v.barrier), side(b, sizeof(b), pr->v.limit));
	if (pr->st == 1 && vg->st == 1 && pr->v.barrier < vg->v.barrier)
		finding(r, 1, ct, P_PRIVVMPAGES, pr->line, "PRIVVMPAGES "
		    "barrier %s < VMGUARPAGES barrier %s: the guarantee "
		    "cannot be allocated", side(a, sizeof(a), pr->v.barrier),
		    side(b, sizeof(b), vg->v.barrier));
	if (sh->st == 1 && sh->v.barrier != sh->v.limit)
		finding(r, 0, ct, P_SHMPAGES, sh->line, "SHMPAGES barrier "
		    "%s != limit %s", side(a, sizeof(a), sh->v.barrier),
		    side(b, sizeof(b), sh->v.limit));
	if (ph->st == 1 && ph->v.barrier != 0)
		finding(r, 0, ct, P_PHYSPAGES, ph->line, "PHYSPAGES barrier "
		    "%s is not 0", side(a, sizeof(a), ph->v.barrier));
}

/* VSwap: the limits are the container's RAM and swap. */
static void
check_vswap(struct report *r, const struct world *w, const struct ct *ct,
    const struct pv *pv)
{
	const struct pv *ph = &pv[P_PHYSPAGES], *sw = &pv[P_SWAPPAGES];
	uint64_t ram = w->host.mem_kb / w->host.page_kb;
	uint64_t swap = w->host.swap_kb / w->host.page_kb;
	char a[24], b[24];

	if (ph->v.limit > ram)
		finding(r, 1, ct, P_PHYSPAGES, ph->line, "PHYSPAGES limit %s "
		    "> the host's RAM (%s pages)", side(a, sizeof(a),
		    ph->v.limit), side(b, sizeof(b), ram));
	if (sw->st == 1 && sw->v.barrier != 0)
		finding(r, 1, ct, P_SWAPPAGES, sw->line, "SWAPPAGES barrier "
		    "%s is not 0", side(a, sizeof(a), sw->v.barrier));
	if (sw->st == 1 && sw->v.limit > swap)
		finding(r, 1, ct, P_SWAPPAGES, sw->line, "SWAPPAGES limit %s "
		    "> the host's swap (%s pages)", side(a, sizeof(a),
		    sw->v.limit), side(b, sizeof(b), swap));
}

/*
 * Every conf, with a row or not: a missing parameter is not a finding
 * (VSwap confs lack the UBC ones, and -a adds what it needs).
 */
static void
check_conf(struct report *r, const struct world *w, const struct ct *ct,
    int planned)
{
	struct pv pv[P_N];

	check_values(r, ct, pv, w->host.page_bytes, planned);
	check_ubc(r, ct, pv);
	if (pv[P_PHYSPAGES].st == 1 &&
	    pv[P_PHYSPAGES].v.limit != VAL_UNLIMITED)
		check_vswap(r, w, ct, pv);
}

/* "VMGUARPAGES, PRIVVMPAGES": the parameters whose conf (or live) differs. */
static void
param_list(struct buf *b, const struct ctplan *cp, int live)
{
	unsigned mask = live ? cp->live_dirty : cp->conf_dirty;
	int pm, n = 0;

	for (pm = 0; pm < P_N; pm++)
		if (mask & 1u << pm)
			buf_printf(b, "%s%s", n++ ? ", " : "",
			    param_names[pm]);
}

static void
print_plan(struct buf *b, const struct plan *p)
{
	size_t i;
	int any = 0;

	for (i = 0; i < p->n; i++) {
		const struct ctplan *cp = &p->cts[i];

		if (!cp->conf_dirty && !cp->live_dirty)
			continue;
		any = 1;
		buf_printf(b, "%s: ", cp->ct->ctid);
		if (cp->conf_dirty) {
			buf_addstr(b, "conf differs (");
			param_list(b, cp, 0);
			buf_addstr(b, cp->live_dirty ? "); " : ")");
		}
		if (cp->live_dirty) {
			buf_addstr(b, "live values differ (");
			param_list(b, cp, 1);
			buf_addc(b, ')');
		}
		buf_addc(b, '\n');
		buf_spill(b, stdout, SPILL_MIN);
	}
	if (!any)
		buf_addstr(b, "confs match the map\n");
}

static void
changes_json(struct json *j, const struct plan *p)
{
	size_t i, len;
	const char *old;
	int pm;

	/* null: no plan, as -a would refuse; []: nothing to change. */
	if (p == NULL) {
		json_null(j, "changes");
		return;
	}
	json_arr(j, "changes");
	for (i = 0; i < p->n; i++) {
		const struct ctplan *cp = &p->cts[i];

		if (!cp->conf_dirty && !cp->live_dirty)
			continue;
		json_obj(j, NULL);
		json_str(j, "ctid", cp->ct->ctid);
		json_arr(j, "conf");
		for (pm = 0; pm < P_N; pm++) {
			struct change c;

			if (!(cp->conf_dirty & 1u << pm))
				continue;
			plan_change(p, cp, (enum param)pm, &c);
			json_obj(j, NULL);
			json_str(j, "parameter", param_names[pm]);
			old = conf_get(&cp->ct->conf, param_names[pm], &len);
			if (old != NULL)
				json_strn(j, "old", old, len);
			else
				json_null(j, "old");
			json_str(j, "new", c.text);
			json_end_obj(j);
			change_free(&c);
		}
		json_end_arr(j);
		json_arr(j, "live");
		for (pm = 0; pm < P_N; pm++)
			if (cp->live_dirty & 1u << pm)
				json_str(j, NULL, param_names[pm]);
		json_end_arr(j);
		json_end_obj(j);
	}
	json_end_arr(j);
}

static void
print_json(const struct world *w, int map_ok, const struct plan *p,
    const struct oversell *os, const struct report *r)
{
	struct buf b = { NULL, 0, 0 };
	struct json j;

	report_json_begin(&j, &b, "check", w, map_ok, os);
	changes_json(&j, p);
	report_json_end(&j, &b, r);
}

int
cmd_check(const struct opts *o)
{
	struct world w;
	struct report r;
	struct plan p;
	struct oversell os;
	struct buf b = { NULL, 0, 0 };
	int rr, map_ok = 0, planned = 0, plan_ok = 0;
	size_t i;

	memset(&p, 0, sizeof(p));
	report_start(&r);
	rr = world_read(&w, o, W_NEED_MAP | W_UBC);
	r.w = &w;
	if (rr == VZ_FAIL) {
		world_free(&w);
		report_stop(&r);
		return VZ_FAIL;
	}
	if (rr == VZ_OK) {
		world_validate(&w);
		map_ok = w.map.n >= 1 &&
		    w.map.n <= w.host.mem_kb / w.host.page_kb;
	}
	/* A plan only from a good map: it is what -a would do. */
	if (map_ok && r.errors == 0) {
		plan_build(&w, o->gap, &p);
		planned = 1;
		plan_ok = r.errors == 0;
	}
	for (i = 0; i < w.ncts; i++)
		check_conf(&r, &w, &w.cts[i], planned);
	oversell_compute(&w, map_ok, &os);
	if (o->json)
		print_json(&w, map_ok, plan_ok ? &p : NULL, &os, &r);
	else {
		if (plan_ok)
			print_plan(&b, &p);
		else
			buf_addstr(&b, "no plan: -a would refuse this map "
			    "and these confs (errors above)\n");
		buf_addc(&b, '\n');
		oversell_print(&os, &b);
		buf_addc(&b, '\n');
		report_counts(&r, &b);
		buf_spill(&b, stdout, 0);
	}
	rr = r.errors > 0 ? VZ_INVALID : VZ_OK;
	buf_free(&b);
	plan_free(&p);
	world_free(&w);
	report_stop(&r);
	return rr;
}

/*
 * check.c -- vzmem -c: check the map against the host and the guests,
 * and each guest against its kind's rules, without changing anything and
 * without the lock.
 *
 * Output: the messages on stderr (every finding as "FILE:LINE: error:"
 * or "warning:"); on stdout what -a would change, the oversell summary
 * and the counts; or, with --json, one document (see vzmem(8)).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "plan.h"
#include "report.h"
#include "world.h"

static void	 setting_list(struct buf *, const struct setting *, size_t,
		    int);
static void	 print_plan(struct buf *, const struct plan *);
static void	 say_match(struct buf *, const struct plan *);
static void	 changes_json(struct json *, const struct plan *);
static void	 print_json(const struct world *, int, const struct plan *,
		    const struct oversell *, const struct report *);
static void	 check_guests(const struct world *, const struct plan *);

/* "memory.low, memory.max": the settings whose persisted (or live)
 * value differs. */
static void
setting_list(struct buf *b, const struct setting *s, size_t n, int live)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++)
		if (live ? s[i].live_differs : s[i].persist_differs) {
			if (k++ > 0)
				buf_addstr(b, ", ");
			buf_addstr(b, s[i].name);
		}
}

static void
print_plan(struct buf *b, const struct plan *p)
{
	struct setting *s;
	size_t i, n;
	int any = 0;

	for (i = 0; i < p->n; i++) {
		const struct gplan *gp = &p->gps[i];
		const struct kind *k = gp->guest->kind;

		if (!gplan_differs(gp))
			continue;
		any = 1;
		n = k->settings(p, gp, &s);
		screen_str(b, gp->guest->id);
		buf_addstr(b, ": ");
		if (gp->pdirty) {
			buf_addstr(b, k->persisted_in);
			buf_addstr(b, " differs (");
			setting_list(b, s, n, 0);
			buf_addstr(b, gp->ldirty ? "); " : ")");
		}
		if (gp->ldirty) {
			buf_addstr(b, "live values differ (");
			setting_list(b, s, n, 1);
			buf_addc(b, ')');
		}
		buf_addc(b, '\n');
		settings_free(s, n);
		buf_spill(b, stdout, SPILL_MIN);
	}
	/* What matched, in the nouns of the kinds with rows. */
	if (!any)
		say_match(b, p);
}

/*
 * "confs match the map", "configs and cgroups match the map": what was
 * compared, in each kind's nouns; or that nothing was.
 */
static void
say_match(struct buf *b, const struct plan *p)
{
	size_t n[KINDS_MAX] = { 0 }, i, m = 0, k = 0;

	for (i = 0; i < p->n; i++)
		n[kind_rank(p->gps[i].guest->kind)]++;
	for (i = 0; vz_kinds[i] != NULL; i++)
		m += n[i] > 0;
	if (m == 0) {
		buf_addstr(b, "no guest has a row: nothing to compare\n");
		return;
	}
	for (i = 0; vz_kinds[i] != NULL; i++) {
		const struct kind *kd = vz_kinds[i];

		if (n[i] == 0)
			continue;
		if (k++ > 0)
			buf_addstr(b, k == m ? " and " : ", ");
		buf_addstr(b, kd->persisted_in != NULL ? kd->persisted_in :
		    kd->noun);
		buf_addc(b, 's');
	}
	buf_addstr(b, " match the map\n");
}

static void
changes_json(struct json *j, const struct plan *p)
{
	struct setting *s;
	size_t i, k, n;

	/* null: no plan, as -a would refuse; []: nothing to change. */
	if (p == NULL) {
		json_null(j, "changes");
		return;
	}
	json_arr(j, "changes");
	for (i = 0; i < p->n; i++) {
		const struct gplan *gp = &p->gps[i];

		if (!gplan_differs(gp))
			continue;
		n = gp->guest->kind->settings(p, gp, &s);
		json_obj(j, NULL);
		json_str(j, "ctid", gp->guest->id);
		json_arr(j, "conf");
		for (k = 0; k < n; k++) {
			if (!s[k].persist_differs)
				continue;
			json_obj(j, NULL);
			json_str(j, "parameter", s[k].name);
			json_str(j, "old", s[k].old);
			json_str(j, "new", s[k].want);
			json_end_obj(j);
		}
		json_end_arr(j);
		json_arr(j, "live");
		for (k = 0; k < n; k++)
			if (s[k].live_differs)
				json_str(j, NULL, s[k].name);
		json_end_arr(j);
		json_end_obj(j);
		settings_free(s, n);
	}
	json_end_arr(j);
}

/* Every guest, with a row or not, against its kind's rules. */
static void
check_guests(const struct world *w, const struct plan *p)
{
	size_t i, k = 0;

	for (i = 0; i < w->nguests; i++) {
		const struct guest *g = &w->guests[i];
		const struct gplan *gp = NULL;

		/* The plan is in guest order: walk both at once. */
		if (p != NULL && k < p->n && p->gps[k].guest == g)
			gp = &p->gps[k++];
		if (g->kind->rules != NULL)
			g->kind->rules(w, g, gp);
		if (gp != NULL && g->kind->risks != NULL)
			g->kind->risks(p, gp);
	}
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

	memset(&p, 0, sizeof(p));
	report_start(&r);
	rr = world_read(&w, o, W_NEED_MAP | W_LIVE);
	/* A machine reading --json always gets one document, the error
	 * (no map, say) in it. */
	if (rr == VZ_FAIL && !o->json) {
		world_free(&w);
		report_stop(&r);
		return VZ_FAIL;
	}
	if (rr == VZ_OK) {
		world_validate(&w);
		map_ok = world_map_ok(&w);
	}
	/* A plan only from a good map: it is what -a would do. */
	if (map_ok && r.errors == 0) {
		plan_build(&w, o, &p);
		planned = 1;
		plan_ok = r.errors == 0;
	}
	if (rr != VZ_FAIL)
		check_guests(&w, planned ? &p : NULL);
	else
		report_failed(&r);
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
		report_kinds(&w, &b);
		oversell_print(&os, &b);
		buf_addc(&b, '\n');
		report_counts(&r, &b);
		buf_spill(&b, stdout, 0);
	}
	if (rr != VZ_FAIL)
		rr = r.errors > 0 ? VZ_INVALID : VZ_OK;
	buf_free(&b);
	plan_free(&p);
	world_free(&w);
	report_stop(&r);
	return rr;
}

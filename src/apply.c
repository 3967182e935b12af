/*
 * apply.c -- vzmem -a: carry out the plan.
 *
 * Read, validate and plan first; any error and nothing is written (not
 * even the lock file).  Then, under the lock, read and plan again (a
 * concurrent edit is never overwritten), and act in the order that makes
 * a kill at any instant harmless:
 *
 *	1. each kind carries out its guests that differ: their settings
 *	   files replaced atomically, then the live change (vzctl set,
 *	   cgroup files);
 *	2. the map, with fresh notes, only after everything else succeeded
 *	   and only when its bytes change.
 *
 * A run killed in step 1 left settings that already match the map where
 * they were written; the next run finds what still differs, persisted or
 * live, and does exactly that.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan.h"
#include "world.h"

#define PARAM_COL	14	/* -n: the width of a setting's name */

/*
 * How many guests of p there are, of each kind (by rank); and of those
 * that differ (any), whose persisted values differ (conf) and that run
 * a command (run, as dry_run counts them).
 */
struct tally {
	size_t	 all[KINDS_MAX], any[KINDS_MAX];
	size_t	 conf[KINDS_MAX], run[KINDS_MAX];
	size_t	 nall, nany, nlive;
};

static int	 prepare(const struct opts *, struct world *, struct plan *);
static int	 any_temps(const struct world *);
static int	 converged(struct world *, const struct plan *);
static void	 dry_run(struct world *, struct plan *);
static void	 name_col(struct buf *, const char *);
static int	 print_guest(const struct plan *, const struct gplan *);
static int	 map_fresh(struct world *, const struct plan *, struct buf *);
static size_t	 map_sweep(const struct world *);
static size_t	 kind_batch(const struct plan *, const struct kind *,
		    struct gplan **);
static int	 apply_kinds(const struct opts *, struct plan *);
static int	 carry_out(const struct opts *, struct world *,
		    struct plan *, int);
static void	 say_failed(const struct world *, const struct plan *, int);
static void	 up_to_date(struct buf *, const struct tally *);
static void	 confs(struct buf *, const struct tally *);
static void	 to_change(struct buf *, const struct tally *);
static void	 tally(const struct plan *, struct tally *);
static void	 foresee(const struct plan *);
static void	 info_up_to_date(const struct plan *);

/*
 * Read the world, validate the map and plan.  VZ_OK, or the exit status
 * after the messages.
 */
static int
prepare(const struct opts *o, struct world *w, struct plan *p)
{
	int r;

	memset(p, 0, sizeof(*p));
	if ((r = world_read(w, o, W_NEED_MAP | W_LIVE | W_MAPSTALE)) != VZ_OK)
		return r;
	if (world_validate(w) > 0)
		return VZ_INVALID;
	if (plan_build(w, o, p) > 0)
		return VZ_INVALID;
	return VZ_OK;
}

/* A temp file of a killed run in some kind's directories. */
static int
any_temps(const struct world *w)
{
	size_t i;

	for (i = 0; vz_kinds[i] != NULL; i++)
		if (vz_kinds[i]->has_temps != NULL &&
		    vz_kinds[i]->has_temps(w))
			return 1;
	return 0;
}

/*
 * Nothing to write and nothing to run: no setting differs, the map's
 * notes are fresh, no temp file of a killed run is left.  Such a run
 * needs no lock (it changes nothing), and skipping the second read under
 * the lock halves the cost of the common case.
 */
static int
converged(struct world *w, const struct plan *p)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		if (gplan_differs(&p->gps[i]))
			return 0;
	if (any_temps(w))
		return 0;
	return !map_fresh(w, p, NULL);
}

/*
 * Whether the map as it would be written (sorted, bars aligned, fresh
 * notes) differs from the file as read (W_MAPSTALE); then, when b is not
 * NULL, its text in b.  Sorting moves the rows: no guest->row may be used
 * after this.
 */
static int
map_fresh(struct world *w, const struct plan *p, struct buf *b)
{
	map_sort(&w->map);
	if (!w->map_stale)
		return 0;
	if (b != NULL)
		map_render(&w->map, p->blk_kb, w->host.page_kb, b);
	return 1;
}

/*
 * A setting's name left-aligned in PARAM_COL columns ("%-14s"), and a
 * blank after a longer one ("memory.swap.max").
 */
static void
name_col(struct buf *b, const char *name)
{
	size_t n = strlen(name);

	buf_add(b, name, n);
	buf_pad(b, ' ', n < PARAM_COL ? PARAM_COL - n : 1);
}

/*
 * One guest of the dry run; see vzmem(8), "DRY RUN".  1 when it has a
 * command to run, 0 when not (up to date, or written by vzmem itself).
 */
static int
print_guest(const struct plan *p, const struct gplan *gp)
{
	const struct guest *g = gp->guest;
	const struct kind *k = g->kind;
	struct buf b = { NULL, 0, 0 };
	struct setting *s;
	char *name = guest_name(g);
	size_t i, n;
	int cmd;

	screen_str(&b, g->id);
	buf_addc(&b, ' ');
	screen_str(&b, name);
	buf_addstr(&b, " (");
	buf_addstr(&b, k->variant_name(p, gp));
	buf_addstr(&b, g->running ? ", running)" : ", stopped)");
	free(name);
	if (!gplan_differs(gp)) {
		buf_addstr(&b, ": up to date\n");
		fputs(b.data, stdout);
		buf_free(&b);
		return 0;
	}
	buf_addstr(&b, gp->pdirty ? "\n" : ": live values differ\n");
	n = k->settings(p, gp, &s);
	for (i = 0; i < n; i++) {
		if (!s[i].persist_differs && !s[i].live_differs)
			continue;
		/* No printf: 100,000 containers, six lines each. */
		buf_addstr(&b, "  ");
		name_col(&b, s[i].name);
		if (s[i].persist_differs) {
			if (s[i].old == NULL)
				buf_addstr(&b, "(none)");
			else if (s[i].old[0] == '\0')
				buf_addstr(&b, "\"\"");	/* X="": 0:0 */
			else
				screen_str(&b, s[i].old);
		} else {
			buf_addstr(&b, "live ");
			buf_addstr(&b, s[i].live);
		}
		buf_addstr(&b, " -> ");
		buf_addstr(&b, s[i].want);
		buf_addc(&b, '\n');
	}
	i = b.len;
	buf_addstr(&b, "  ");
	k->command(p, gp, s, n, &b);
	/* A kind that writes its files itself has no command line. */
	if ((cmd = b.len > i + 2))
		buf_addc(&b, '\n');
	else {
		b.len = i;
		b.data[i] = '\0';
	}
	settings_free(s, n);
	fputs(b.data, stdout);
	buf_free(&b);
	return cmd;
}

/* "3 containers up to date", "all 8 guests up to date" (no period). */
static void
up_to_date(struct buf *b, const struct tally *t)
{
	if (t->nall == 0) {
		buf_addstr(b, "no guest has a row: nothing to do");
		return;
	}
	buf_printf(b, "%s %zu %s%s up to date", t->nall == 1 ? "the" :
	    "all", t->nall, kinds_noun(t->all), t->nall == 1 ? "" : "s");
}

/* "1 conf and 2 configs": the kinds of the plan that persist, those
 * with something to rewrite (or the first one, with 0). */
static void
confs(struct buf *b, const struct tally *t)
{
	size_t i, k = 0, m = 0, first = SIZE_MAX;

	for (i = 0; vz_kinds[i] != NULL; i++)
		if (t->all[i] > 0 && vz_kinds[i]->persisted_in != NULL) {
			if (first == SIZE_MAX)
				first = i;
			m += t->conf[i] > 0;
		}
	if (m == 0) {
		count_noun(b, 0, vz_kinds[first]->persisted_in);
		return;
	}
	for (i = 0; vz_kinds[i] != NULL; i++)
		if (t->all[i] > 0 && vz_kinds[i]->persisted_in != NULL &&
		    t->conf[i] > 0) {
			if (k++ > 0)
				buf_addstr(b, k == m ? " and " : ", ");
			count_noun(b, t->conf[i], vz_kinds[i]->persisted_in);
		}
}

/*
 * "3 of 8 guests to change: 1 conf and 2 configs to rewrite, 1 vzctl
 * run, 2 changed live in place": each kind's own nouns, and only the
 * kinds the plan has.
 */
static void
to_change(struct buf *b, const struct tally *t)
{
	const char *sep = "";
	size_t i, run = 0;
	const char *runs = NULL;
	int persists = 0;

	for (i = 0; vz_kinds[i] != NULL; i++) {
		if (t->all[i] == 0)
			continue;
		persists |= vz_kinds[i]->persisted_in != NULL;
		if (vz_kinds[i]->runs != NULL && runs == NULL)
			runs = vz_kinds[i]->runs;
		run += t->run[i];
	}
	buf_printf(b, "%zu of %zu %s%s to change: ", t->nany, t->nall,
	    kinds_noun(t->all), t->nall == 1 ? "" : "s");
	if (persists) {
		confs(b, t);
		buf_addstr(b, " to rewrite");
		sep = ", ";
	}
	if (runs != NULL) {
		buf_addstr(b, sep);
		count_noun(b, run, runs);
		sep = ", ";
	}
	if (t->nlive > 0 || *sep == '\0')
		buf_printf(b, "%s%zu changed live in place", sep, t->nlive);
}

/* The guests of p counted (t->run stays 0: the dry run counts it). */
static void
tally(const struct plan *p, struct tally *t)
{
	size_t i, k;

	memset(t, 0, sizeof(*t));
	for (i = 0; i < p->n; i++) {
		const struct gplan *gp = &p->gps[i];

		k = kind_rank(gp->guest->kind);
		t->all[k]++;
		t->nall++;
		if (!gplan_differs(gp))
			continue;
		t->any[k]++;
		t->nany++;
		t->conf[k] += gp->pdirty != 0;
	}
}

/* -n: the plan on stdout; nothing is written, nothing run. */
static void
dry_run(struct world *w, struct plan *p)
{
	struct buf b = { NULL, 0, 0 };
	struct tally t;
	size_t i;
	int cmd;

	tally(p, &t);
	for (i = 0; i < p->n; i++) {
		const struct gplan *gp = &p->gps[i];
		const struct kind *k = gp->guest->kind;

		if (k->risks != NULL)
			k->risks(p, gp);
		cmd = print_guest(p, gp);
		t.run[kind_rank(k)] += cmd;
		/* Changed live by vzmem's own writes, not a command. */
		t.nlive += !cmd && gp->ldirty != 0;
	}
	if (t.nany == 0)
		up_to_date(&b, &t);
	else
		to_change(&b, &t);
	printf("%s.\n", b.data);
	buf_free(&b);
	if (map_fresh(w, p, NULL))
		printf("%s to rewrite with fresh notes.\n", w->mapshown);
}

/* -a: what -c and the dry run foresee of the guests it will change (a
 * limit below what a guest uses), said before anything is written. */
static void
foresee(const struct plan *p)
{
	size_t i;

	for (i = 0; i < p->n; i++) {
		const struct gplan *gp = &p->gps[i];

		if (gplan_differs(gp) && gp->guest->kind->risks != NULL)
			gp->guest->kind->risks(p, gp);
	}
}

/* "all 3 containers up to date" as a note. */
static void
info_up_to_date(const struct plan *p)
{
	struct buf b = { NULL, 0, 0 };
	struct tally t;

	tally(p, &t);
	up_to_date(&b, &t);
	vz_info("%s", b.data);
	buf_free(&b);
}

/* Temp files of a killed -e or -a beside the map (a kind whose dir it
 * is swept them already: then there are none left). */
static size_t
map_sweep(const struct world *w)
{
	char *dir = xstrdup(w->host.map), *slash;
	size_t n;

	if ((slash = strrchr(dir, '/')) != NULL)
		*(slash == dir ? slash + 1 : slash) = '\0';
	else {
		free(dir);
		dir = xstrdup(".");
	}
	n = tmp_sweep(dir);
	free(dir);
	return n;
}

/* The guests of kind k that differ, in map order; how many. */
static size_t
kind_batch(const struct plan *p, const struct kind *k, struct gplan **gps)
{
	size_t i, n = 0;

	for (i = 0; i < p->n; i++)
		if (p->gps[i].guest->kind == k && gplan_differs(&p->gps[i]))
			gps[n++] = &p->gps[i];
	return n;
}

/*
 * Step 1: every kind's lowering first, then every kind's guests that
 * differ, in map order.
 */
static int
apply_kinds(const struct opts *o, struct plan *p)
{
	struct gplan **gps;
	size_t k, n;
	int r = VZ_OK;

	gps = xcalloc(p->n + 1, sizeof(*gps));
	for (k = 0; vz_kinds[k] != NULL; k++)
		if (vz_kinds[k]->lower != NULL &&
		    (n = kind_batch(p, vz_kinds[k], gps)) > 0 &&
		    vz_kinds[k]->lower(p, gps, n, o) != VZ_OK)
			r = VZ_FAIL;
	for (k = 0; vz_kinds[k] != NULL; k++)
		if ((n = kind_batch(p, vz_kinds[k], gps)) > 0 &&
		    vz_kinds[k]->apply(p, gps, n, o) != VZ_OK)
			r = VZ_FAIL;
	free(gps);
	return r;
}

/* The map replaced by b (its notes), opened afresh: VZ_OK, or not
 * after a message. */
static int
map_write(const struct world *w, const struct buf *b)
{
	struct ofile of;
	int r;

	if ((r = world_map_open(w, &of, 0)) == VZ_FAIL)
		vz_syserr(w->mapshown, "cannot write");
	if (r == VZ_OK)
		r = world_map_save(w, &of, NULL, b);
	file_close(&of);
	return r == VZ_INVALID ? VZ_FAIL : r;
}

/*
 * After a failed step 1: which guests are in which state, and the
 * map's, so that "installed" (by -e) and "left as it was" never seem to
 * contradict each other.
 */
static void
say_failed(const struct world *w, const struct plan *p, int edited)
{
	size_t i, nchange = 0, nfailed = 0, failed[KINDS_MAX] = { 0 };
	struct buf b = { NULL, 0, 0 };

	for (i = 0; i < p->n; i++) {
		const struct gplan *gp = &p->gps[i];

		nchange += gplan_differs(gp) != 0;
		if (gp->failed) {
			failed[kind_rank(gp->guest->kind)]++;
			nfailed++;
		}
	}
	/* "the others match MEM-MAP, which ..." or "MEM-MAP ...". */
	if (nfailed > 0 && nfailed < nchange)
		buf_printf(&b, "not applied (above): %zu of the %zu %s%s to "
		    "change; the others match %s%s, which ", nfailed, nchange,
		    kinds_noun(failed), nchange == 1 ? "" : "s",
		    edited ? "the edited " : "", w->mapshown);
	else if (nfailed > 0)
		buf_printf(&b, "not applied (above): %s %zu %s%s to change; "
		    "%s%s ", nfailed == 1 ? "the" : "all", nfailed,
		    kinds_noun(failed), nfailed == 1 ? "" : "s",
		    edited ? "the edited " : "", w->mapshown);
	else
		buf_printf(&b, "not everything applied (above); %s%s ",
		    edited ? "the edited " : "", w->mapshown);
	vz_info("%s%s", b.data, edited ? "stays installed: run 'vzmem -a' "
	    "once the above is fixed" : "is left as it was (its notes not "
	    "refreshed): run 'vzmem -a' again once the above is fixed");
	buf_free(&b);
}

/* Steps 1 and 2 for a prepared plan, the lock held; edited: the map
 * was just installed by -e. */
static int
carry_out(const struct opts *o, struct world *w, struct plan *p,
    int edited)
{
	struct buf b = { NULL, 0, 0 };
	size_t i, nchange = 0;
	int r;

	for (i = 0; i < p->n; i++)
		nchange += gplan_differs(&p->gps[i]) != 0;
	r = apply_kinds(o, p);

	/* Step 2: the map, once all else is done. */
	if (r == VZ_OK && map_fresh(w, p, &b)) {
		if ((r = map_write(w, &b)) == VZ_OK)
			vz_info("%s: fresh notes written", w->mapshown);
	} else if (r != VZ_OK)
		say_failed(w, p, edited);
	if (nchange == 0 && r == VZ_OK)
		info_up_to_date(p);
	buf_free(&b);
	return r;
}

int
apply_locked(const struct opts *o)
{
	struct world w;
	struct plan p;
	int r;

	if ((r = prepare(o, &w, &p)) == VZ_OK && o->dry_run)
		dry_run(&w, &p);
	else if (r == VZ_OK) {
		foresee(&p);
		r = carry_out(o, &w, &p, 1);
	}
	plan_free(&p);
	world_free(&w);
	return r;
}

int
cmd_apply(const struct opts *o)
{
	struct world w;
	struct plan p;
	int r, lock, saved;
	size_t swept, i;

	/*
	 * First without the lock: invalid input creates no lock file.  This
	 * read writes nothing; a real run reads everything again under the
	 * lock.
	 */
	r = prepare(o, &w, &p);
	if (r != VZ_OK || o->dry_run) {
		if (r == VZ_OK)
			dry_run(&w, &p);
		plan_free(&p);
		world_free(&w);
		return r;
	}
	foresee(&p);
	if (converged(&w, &p)) {
		info_up_to_date(&p);
		plan_free(&p);
		world_free(&w);
		return VZ_OK;
	}
	lock = world_lock(&w, o->wait);
	plan_free(&p);
	world_free(&w);
	if (lock == -1)
		return VZ_FAIL;
	/* Again under the lock, so that a concurrent edit is not lost;
	 * its warnings were shown already. */
	saved = verbosity;
	verbosity = -1;
	r = prepare(o, &w, &p);
	verbosity = saved;
	if (r == VZ_OK) {
		/* Temp files of a killed run; only the lock holder may do
		 * this. */
		for (i = 0, swept = 0; vz_kinds[i] != NULL; i++)
			if (vz_kinds[i]->sweep != NULL)
				swept += vz_kinds[i]->sweep(&w);
		swept += map_sweep(&w);
		if (swept > 0)
			vz_info("removed %zu temporary file%s left by a "
			    "killed run", swept, swept == 1 ? "" : "s");
		r = carry_out(o, &w, &p, 0);
	}
	plan_free(&p);
	world_free(&w);
	lock_release(lock);
	return r;
}

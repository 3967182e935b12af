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
		    struct plan *);

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

/* -n: the plan on stdout; nothing is written, nothing run. */
static void
dry_run(struct world *w, struct plan *p)
{
	size_t i, nchange = 0, nconf = 0, nrun = 0, nlive = 0;
	int cmd;

	for (i = 0; i < p->n; i++) {
		const struct gplan *gp = &p->gps[i];
		const struct kind *k = gp->guest->kind;

		if (k->risks != NULL)
			k->risks(p, gp);
		cmd = print_guest(p, gp);
		nchange += gplan_differs(gp) != 0;
		nconf += gp->pdirty != 0;
		nrun += cmd;
		/* Changed live by vzmem's own writes, not a command. */
		nlive += !cmd && gp->ldirty != 0;
	}
	if (nchange == 0)
		printf("%s %zu container%s up to date.\n", p->n == 1 ? "the" :
		    "all", p->n, p->n == 1 ? "" : "s");
	else {
		printf("%zu of %zu container%s to change: %zu conf%s to "
		    "rewrite, %zu vzctl run%s", nchange, p->n,
		    p->n == 1 ? "" : "s", nconf, nconf == 1 ? "" : "s",
		    nrun, nrun == 1 ? "" : "s");
		if (nlive > 0)
			printf(", %zu changed live in place", nlive);
		fputs(".\n", stdout);
	}
	if (map_fresh(w, p, NULL))
		printf("%s to rewrite with fresh notes.\n", w->mapshown);
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

/* Steps 1 and 2 for a prepared plan, the lock held. */
static int
carry_out(const struct opts *o, struct world *w, struct plan *p)
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
		vz_info("%s left as it was: run 'vzmem -a' again once the "
		    "above is fixed", w->mapshown);
	if (nchange == 0 && r == VZ_OK)
		vz_info("%s %zu container%s up to date", p->n == 1 ? "the" :
		    "all", p->n, p->n == 1 ? "" : "s");
	buf_free(&b);
	return r;
}

int
apply_locked(const struct opts *o)
{
	struct world w;
	struct plan p;
	int r;

	if ((r = prepare(o, &w, &p)) == VZ_OK)
		r = o->dry_run ? (dry_run(&w, &p), VZ_OK) :
		    carry_out(o, &w, &p);
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
	if (converged(&w, &p)) {
		vz_info("%s %zu container%s up to date", p.n == 1 ? "the" :
		    "all", p.n, p.n == 1 ? "" : "s");
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
		r = carry_out(o, &w, &p);
	}
	plan_free(&p);
	world_free(&w);
	lock_release(lock);
	return r;
}

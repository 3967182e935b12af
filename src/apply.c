/*
 * apply.c -- vzmem -a: carry out the plan.
 *
 * Read, validate and plan first; any error and nothing is written (not
 * even the lock file).  Then, under the lock, read and plan again (a
 * concurrent edit is never overwritten), and act in the order that makes
 * a kill at any instant harmless:
 *
 *	1. every conf that differs from the map, each replaced atomically;
 *	2. vzctl set CTID ... --save for each container whose conf changed
 *	   or whose live beancounters differ, up to -j at once;
 *	3. the map, with fresh notes, only after everything else succeeded
 *	   and only when its bytes change.
 *
 * A run killed after step 1 left confs that already match the map; the
 * next run finds the running containers whose live values still differ
 * and runs vzctl for exactly those.  For a stopped container the conf is
 * the whole truth, so it is done once its conf is written.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/jobs.h"
#include "lib/spawn.h"
#include "plan.h"
#include "world.h"

#define PARAM_COL		14	/* -n: the width of a parameter name */

/* What the job engine's callback needs: a job's arg is its ctplan. */
struct run {
	const struct plan *plan;
	const struct host *host;
	const char	*vzctl;
	const char	*confdir;
	struct buf	 conf;		/* a conf being rendered */
	size_t		 nconf;		/* confs written */
};

static int	 prepare(const struct opts *, struct world *, struct plan *);
static int	 converged(struct world *, const struct plan *);
static void	 dry_run(const struct opts *, struct world *, struct plan *);
static void	 print_ct(const struct opts *, const struct plan *,
		    const struct ctplan *);
static int	 map_fresh(struct world *, const struct plan *, struct buf *);
static int	 carry_out(const struct opts *, struct world *,
		    struct plan *);
static int	 job_conf(struct run *, const struct ctplan *);
static char	**job_argv(void *, struct job *);
static const char *vzctl_name(const struct opts *);
static void	 list_cts(const char *, const struct job *, size_t, int);

/*
 * Read the world, validate the map and plan.  VZ_OK, or the exit status
 * after the messages.
 */
static int
prepare(const struct opts *o, struct world *w, struct plan *p)
{
	int r;

	memset(p, 0, sizeof(*p));
	if ((r = world_read(w, o, W_NEED_MAP | W_UBC | W_MAPSTALE)) != VZ_OK)
		return r;
	if (world_validate(w) > 0)
		return VZ_INVALID;
	if (plan_build(w, o->gap, p) > 0)
		return VZ_INVALID;
	return VZ_OK;
}

/*
 * Nothing to write and nothing to run: no conf or live value differs,
 * the map's notes are fresh, no temp file of a killed run is left.
 * Such a run needs no lock (it changes nothing), and skipping the second
 * read under the lock halves the cost of the common case.
 */
static int
converged(struct world *w, const struct plan *p)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		if (ctplan_needs_vzctl(&p->cts[i]))
			return 0;
	if (tmp_exists(w->host.confdir))
		return 0;
	return !map_fresh(w, p, NULL);
}

/* "vzctl" unless --vzctl says otherwise. */
static const char *
vzctl_name(const struct opts *o)
{
	return o->vzctl != NULL && o->vzctl[0] != '\0' ? o->vzctl : "vzctl";
}

/*
 * Whether the map as it would be written (sorted, bars aligned, fresh
 * notes) differs from the file as read (W_MAPSTALE); then, when b is not
 * NULL, its text in b.  Sorting moves the rows: no ct->row may be used
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

/* One container of the dry run; see vzmem(8), "DRY RUN". */
static void
print_ct(const struct opts *o, const struct plan *p, const struct ctplan *cp)
{
	const struct ct *ct = cp->ct;
	char *name = ct_name(ct), **argv;
	struct change ch[P_N];
	size_t i;
	int pm;

	printf("%s %s (%s, %s)", ct->ctid, name, cp->vswap ? "VSwap" : "UBC",
	    ct->live != NULL ? "running" : "stopped");
	free(name);
	if (!ctplan_needs_vzctl(cp)) {
		fputs(": up to date\n", stdout);
		return;
	}
	fputs(cp->conf_dirty ? "\n" : ": live values differ\n", stdout);
	/* Worked out once, for these lines and for vzctl's. */
	plan_changes(p, cp, ch);
	for (pm = 0; pm < P_N; pm++) {
		const struct change *c = &ch[pm];
		const char *pn = param_names[pm];

		if (!(cp->set & 1u << pm))
			continue;
		if (c->conf_differs) {
			const char *old;
			size_t len = 0;

			old = conf_get(&ct->conf, pn, &len);
			printf("  %-*s%s%.*s -> %s\n", PARAM_COL, pn,
			    old == NULL ? "(none)" : "", (int)len,
			    old == NULL ? "" : old, c->text);
		} else if (c->live_differs) {
			char *s = value_format(&c->live, NULL);

			printf("  %-*slive %s -> %s\n", PARAM_COL, pn, s,
			    c->text);
			free(s);
		}
	}
	argv = plan_argv(cp, ch, vzctl_name(o));
	changes_free(ch);
	fputs(" ", stdout);
	for (i = 0; argv[i] != NULL; i++)
		printf(" %s", argv[i]);
	fputc('\n', stdout);
	argv_free(argv);
}

/* -n: the plan on stdout; nothing is written, nothing run. */
static void
dry_run(const struct opts *o, struct world *w, struct plan *p)
{
	size_t i, nchange = 0, nconf = 0;

	for (i = 0; i < p->n; i++) {
		print_ct(o, p, &p->cts[i]);
		nchange += ctplan_needs_vzctl(&p->cts[i]) != 0;
		nconf += p->cts[i].conf_dirty != 0;
	}
	if (nchange == 0)
		printf("all %zu containers up to date.\n", p->n);
	else
		printf("%zu of %zu containers to change: %zu conf%s to "
		    "rewrite, %zu vzctl run%s.\n", nchange, p->n, nconf,
		    nconf == 1 ? "" : "s", nchange, nchange == 1 ? "" : "s");
	if (map_fresh(w, p, NULL))
		printf("%s to rewrite with fresh notes.\n", w->mapshown);
}

/*
 * Its conf, if it differs, written just before its vzctl starts: the
 * writes of later containers then overlap the vzctl runs of earlier ones
 * (each container's conf is still written before its vzctl).  0, or -1
 * after a message: its vzctl is not run.
 */
static int
job_conf(struct run *rn, const struct ctplan *cp)
{
	const char *shown = cp->ct->conf.shown;
	struct conf cf;
	char *path;
	int r = 0;

	if (!cp->conf_dirty)
		return 0;
	/* Planning read it lean; the whole of it only now, for writing. */
	path = host_conf_path(rn->host, cp->ct->ctid);
	if (conf_load(&cf, path, shown) == -1) {
		vz_syserr(shown, "cannot read");
		free(path);
		return -1;
	}
	plan_set_conf(rn->plan, cp, &cf);
	rn->conf.len = 0;
	conf_render(&cf, &rn->conf);
	if (file_replace_in(path, rn->conf.data, rn->conf.len, 0644,
	    rn->confdir) == -1) {
		vz_syserr(shown, "cannot write");
		r = -1;
	} else {
		rn->nconf++;
		if (verbosity > 0)
			vz_info("%s: written", shown);
	}
	conf_free(&cf);
	free(path);
	return r;
}

/* The job engine's callback: the conf, then vzctl's argv (made now and
 * freed once started: 100,000 of them add up). */
static char **
job_argv(void *arg, struct job *j)
{
	struct run *rn = arg;
	const struct ctplan *cp = j->arg;
	struct change ch[P_N];
	char **argv;

	if (job_conf(rn, cp) == -1) {
		j->status = -1;
		return NULL;
	}
	plan_changes(rn->plan, cp, ch);
	argv = plan_argv(cp, ch, rn->vzctl);
	changes_free(ch);
	return argv;
}

/* "vzmem: error: what: 101 102 ..." of the jobs that match. */
static void
list_cts(const char *what, const struct job *jobs, size_t n, int which)
{
	struct buf b = { NULL, 0, 0 };
	size_t i;

	for (i = 0; i < n; i++) {
		const struct job *j = &jobs[i];
		const struct ctplan *cp = j->arg;
		int m;

		switch (which) {
		case 0:		/* its conf or its vzctl failed */
			m = j->state == JOB_NOTRUN || job_failed(j);
			break;
		default:	/* not run, and running */
			m = j->state == JOB_SKIP && cp->ct->live != NULL;
			break;
		}
		if (m) {
			buf_addc(&b, ' ');
			buf_addstr(&b, cp->ct->ctid);
		}
	}
	if (b.len > 0)
		vz_err(NULL, 0, 0, "%s:%s", what, b.data);
	buf_free(&b);
}

/* Steps 1 to 3 for a prepared plan, the lock held. */
static int
carry_out(const struct opts *o, struct world *w, struct plan *p)
{
	struct buf b = { NULL, 0, 0 };
	struct run rn;
	struct jobs js;
	int r = VZ_OK, have_vzctl = 1;
	size_t i, nconf, nfailed = 0, nlive = 0, nruns = 0, nbad = 0;
	const char *vzctl = vzctl_name(o);

	memset(&rn, 0, sizeof(rn));
	rn.plan = p;
	rn.host = &w->host;
	rn.vzctl = vzctl;
	rn.confdir = w->host.confdir;
	memset(&js, 0, sizeof(js));
	for (i = 0; i < p->n; i++)
		js.n += ctplan_needs_vzctl(&p->cts[i]) != 0;
	js.job = xcalloc(js.n + 1, sizeof(*js.job));
	for (i = 0, js.n = 0; i < p->n; i++)
		if (ctplan_needs_vzctl(&p->cts[i])) {
			struct job *j = &js.job[js.n++];

			j->label = p->cts[i].ct->ctid;
			j->arg = &p->cts[i];
		}
	js.max = o->jobs;
	js.timeout = o->timeout;
	js.what = "vzctl";
	js.verb = "applying";
	js.argv = job_argv;
	js.arg = &rn;
	if (js.n > 0 && !prog_found(vzctl)) {
		errno = ENOENT;
		vz_syserr(vzctl, "cannot run");
		js.missing = 1;
	}
	if (js.n > 0 && jobs_run(&js) == -1)
		r = VZ_FAIL;
	nconf = rn.nconf;
	buf_free(&rn.conf);
	/* The renames durable; each conf was fsynced before its rename. */
	if (nconf > 0 && fsync_dir(rn.confdir) == -1) {
		vz_syserr(rn.confdir, "cannot sync");
		r = VZ_FAIL;
	}
	for (i = 0; i < js.n; i++) {
		const struct job *j = &js.job[i];
		const struct ctplan *cp = j->arg;

		if (j->state == JOB_NOTRUN)
			nbad++;
		else if (j->state == JOB_SKIP) {
			have_vzctl = 0;
			nlive += cp->ct->live != NULL;
		} else {
			nruns++;
			nfailed += job_failed(j);
		}
	}
	if (nfailed + nbad > 0) {
		list_cts("not applied", js.job, js.n, 0);
		r = VZ_FAIL;
	}
	if (!have_vzctl) {
		if (nlive > 0) {
			list_cts("not applied live (no vzctl)", js.job, js.n,
			    1);
			r = VZ_FAIL;
		} else
			vz_info("no vzctl, but every container it was needed "
			    "for is stopped: their confs are all they need");
	}

	/* Step 3: the map, once all else is done. */
	if (r == VZ_OK && map_fresh(w, p, &b)) {
		if (file_replace(w->host.map, b.data, b.len, 0644) == -1) {
			vz_syserr(w->mapshown, "cannot write");
			r = VZ_FAIL;
		} else
			vz_info("%s: fresh notes written", w->mapshown);
	} else if (r != VZ_OK)
		vz_info("%s left as it was: run 'vzmem -a' again once the "
		    "above is fixed", w->mapshown);

	if (nconf == 0 && js.n == 0 && r == VZ_OK)
		vz_info("all %zu containers up to date", p->n);
	else
		vz_info("%zu conf%s rewritten%s, %zu vzctl run%s, %zu failed",
		    nconf, nconf == 1 ? "" : "s", nbad > 0 ?
		    " (some could not be)" : "", nruns, nruns == 1 ? "" : "s",
		    nfailed);

	free(js.job);
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
		r = o->dry_run ? (dry_run(o, &w, &p), VZ_OK) :
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
	char *lockpath, *confdir, *mapdir, *slash;
	int r, lock, saved;
	size_t swept;

	/*
	 * First without the lock: invalid input creates no lock file.  This
	 * read writes nothing; a real run reads everything again under the
	 * lock.
	 */
	r = prepare(o, &w, &p);
	if (r != VZ_OK || o->dry_run) {
		if (r == VZ_OK)
			dry_run(o, &w, &p);
		plan_free(&p);
		world_free(&w);
		return r;
	}
	if (converged(&w, &p)) {
		vz_info("all %zu containers up to date", p.n);
		plan_free(&p);
		world_free(&w);
		return VZ_OK;
	}
	lockpath = xstrdup(w.host.lock);
	confdir = xstrdup(w.host.confdir);
	mapdir = xstrdup(w.host.map);
	if ((slash = strrchr(mapdir, '/')) != NULL)
		*(slash == mapdir ? slash + 1 : slash) = '\0';
	else {
		free(mapdir);
		mapdir = xstrdup(".");
	}
	plan_free(&p);
	world_free(&w);

	if ((lock = lock_take(lockpath, o->wait)) == -1) {
		r = VZ_FAIL;
		goto out;
	}
	/* Temp files of a killed run; only the lock holder may do this. */
	swept = tmp_sweep(confdir);
	if (strcmp(mapdir, confdir) != 0)
		swept += tmp_sweep(mapdir);
	if (swept > 0)
		vz_info("removed %zu temporary file%s left by a killed run",
		    swept, swept == 1 ? "" : "s");

	/* Again under the lock, so that a concurrent edit is not lost;
	 * its warnings were shown already. */
	saved = verbosity;
	verbosity = -1;
	r = prepare(o, &w, &p);
	verbosity = saved;
	if (r == VZ_OK)
		r = carry_out(o, &w, &p);
	plan_free(&p);
	world_free(&w);
	lock_release(lock);
out:
	free(lockpath);
	free(confdir);
	free(mapdir);
	return r;
}

/*
 * vzctl.c -- -a for OpenVZ containers: each container's conf rewritten
 * (atomically, just before its vzctl starts), then `vzctl set CTID ...
 * --save` run for it, up to -j at once (lib/jobs.c).
 *
 * A run killed after a conf is written left a conf that already matches
 * the map; the next run finds the running containers whose live values
 * still differ and runs vzctl for exactly those.  For a stopped
 * container the conf is the whole truth, so it is done once its conf is
 * written.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/jobs.h"
#include "lib/spawn.h"
#include "openvz.h"
#include "world.h"

/* What the jobs' callback needs. */
struct run {
	const struct plan *plan;
	struct ovz	*z;
	const char	*vzctl;
	struct buf	 conf;		/* a conf being rendered */
	int		 confdfd;	/* the conf dir, or -1 */
	size_t		 nconf;		/* confs written in the conf dir */
	size_t		 nve;		/* ... in VE_PRIVATE (OpenVZ 7) */
};

static int	 job_conf(struct run *, const struct gplan *);
static char	**job_argv(void *, struct job *);
static void	 list_cts(const char *, const struct job *, size_t, int);
static int	 shrinks(const struct plan *, const struct gplan *);

/*
 * Its conf, if it differs, written just before its vzctl starts: the
 * writes of later containers then overlap the vzctl runs of earlier ones
 * (each container's conf is still written before its vzctl).  0, or -1
 * after a message: its vzctl is not run.
 */
static int
job_conf(struct run *rn, const struct gplan *gp)
{
	const char *shown = gp->guest->shown;
	struct buf text = { NULL, 0, 0 };
	struct ofile of;
	struct conf cf;
	int r, where;

	if (!gp->pdirty)
		return 0;
	if (rn->confdfd == -1)
		return -1;
	/* Planning read it lean; the whole of it only now, for writing,
	 * from the descriptor it is then replaced through. */
	if ((where = ovz_conf_open(rn->z, rn->confdfd,
	    gp->guest->id, &of)) == -1)
		return -1;
	if (file_load(&of, &text) == -1) {
		vz_err(shown, 0, 0, "cannot read: %s", file_why(&of));
		file_close(&of);
		buf_free(&text);
		return -1;
	}
	conf_parse(&cf, text.data, text.len, shown);
	buf_free(&text);
	ovz_set_conf(rn->plan, gp, &cf);
	rn->conf.len = 0;
	conf_render(&cf, &rn->conf);
	/* One fsync of the conf dir after the last; a ve.conf's own
	 * directory is synced at once. */
	if ((r = file_save(&of, rn->conf.data, rn->conf.len, 0644, NULL,
	    where == 0 ? OF_NO_DIRSYNC : 0)) == -1)
		vz_err(shown, 0, 0, "cannot write: %s", file_why(&of));
	else {
		rn->nconf += where == 0;
		rn->nve += where == 1;
		if (verbosity > 0)
			vz_info("%s: written", shown);
	}
	file_close(&of);
	conf_free(&cf);
	return r;
}

/* The engine's callback: the conf, then vzctl's argv (made only now:
 * 100,000 of them add up). */
static char **
job_argv(void *arg, struct job *j)
{
	struct run *rn = arg;
	const struct gplan *gp = j->arg;
	struct change ch[P_N];
	char **argv;

	if (job_conf(rn, gp) == -1) {
		j->status = -1;
		return NULL;
	}
	ovz_changes(rn->plan, gp, ch);
	argv = ovz_argv(gp, ch, rn->vzctl);
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
		const struct gplan *gp = j->arg;
		int m;

		switch (which) {
		case 0:		/* its conf or its vzctl failed */
			m = j->state == JOB_NOTRUN || job_failed(j);
			break;
		default:	/* not run, and running */
			m = j->state == JOB_SKIP && gp->guest->running;
			break;
		}
		if (m) {
			buf_addc(&b, ' ');
			screen_str(&b, gp->guest->id);
		}
	}
	if (b.len > 0)
		vz_err(NULL, 0, 0, "%s:%s", what, b.data);
	buf_free(&b);
}

/*
 * Whether gp's RAM limit goes down (below its conf's or its live one).
 * On OpenVZ 7 vcmmd checks the sum of the guarantees on every change, so
 * the containers that shrink go first.
 */
static int
shrinks(const struct plan *p, const struct gplan *gp)
{
	struct change c;
	int r;

	if (!ovz_change(p, gp, gp->variant == V_VSWAP ? P_PHYSPAGES :
	    P_PRIVVMPAGES, &c))
		return 0;
	r = (c.had && c.want.limit < c.old.limit) ||
	    (c.has_live && c.want.limit < c.live.limit);
	change_free(&c);
	return r;
}

/* Confs, then vzctl, for every container of gps (each differs). */
int
ovz_apply(const struct plan *p, struct gplan **gps, size_t n,
    const struct opts *o)
{
	struct run rn;
	struct jobs js;
	int r = VZ_OK, have_vzctl = 1, pass, v7;
	size_t i, nfailed = 0, nlive = 0, nruns = 0, nbad = 0;
	const char *vzctl = vzctl_name(o);

	memset(&rn, 0, sizeof(rn));
	rn.plan = p;
	rn.z = ovz_of(p->w);
	rn.vzctl = vzctl;
	if ((rn.confdfd = dir_open(rn.z->confdir, NULL)) == -1)
		vz_syserr(rn.z->confdir, "cannot open the conf dir");
	memset(&js, 0, sizeof(js));
	js.job = xcalloc(n + 1, sizeof(*js.job));
	/* In map order; on OpenVZ 7 those that shrink first (pass 0),
	 * then the others (1), none of which starts before every shrink
	 * ended (the barrier: with -j above 1 a grow started beside a
	 * shrink); elsewhere all at once (2). */
	v7 = ovz_version(ovz_of(p->w)) == 7;
	for (pass = v7 ? 0 : 2; pass < (v7 ? 2 : 3); pass++) {
		if (pass == 1)
			js.barrier = js.n;
		for (i = 0; i < n; i++) {
			struct job *j;

			if (pass < 2 && shrinks(p, gps[i]) != (pass == 0))
				continue;
			j = &js.job[js.n++];
			j->label = gps[i]->guest->id;
			j->arg = gps[i];
		}
	}
	js.max = o->jobs;
	js.timeout = o->timeout;
	js.what = "vzctl";
	js.verb = "applying";
	js.argv = job_argv;
	js.arg = &rn;
	if (vzctl_to_run(o) == NULL) {
		vz_err(vzctl, 0, 0, "not run: under --root only a vzctl that "
		    "--vzctl names is run");
		js.missing = 1;
	} else if (!prog_found(vzctl)) {
		errno = ENOENT;
		vz_syserr(vzctl, "cannot run");
		js.missing = 1;
	}
	if (jobs_run(&js) == -1)
		r = VZ_FAIL;
	buf_free(&rn.conf);
	/* The renames durable; each conf was fsynced before its rename. */
	if (rn.nconf > 0 && fsync_fd_dir(rn.confdfd) == -1) {
		vz_syserr(rn.z->confdir, "cannot sync");
		r = VZ_FAIL;
	}
	if (rn.confdfd != -1)
		close(rn.confdfd);
	for (i = 0; i < js.n; i++) {
		const struct job *j = &js.job[i];
		struct gplan *gp = j->arg;

		if (j->state == JOB_NOTRUN) {
			nbad++;
			gp->failed = 1;
		} else if (j->state == JOB_SKIP) {
			have_vzctl = 0;
			nlive += gp->guest->running;
			gp->failed = gp->guest->running;
		} else {
			nruns++;
			nfailed += job_failed(j);
			gp->failed = (unsigned char)job_failed(j);
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
	vz_info("%zu conf%s rewritten%s, %zu vzctl run%s, %zu failed",
	    rn.nconf + rn.nve, rn.nconf + rn.nve == 1 ? "" : "s", nbad > 0 ?
	    " (some could not be)" : "", nruns, nruns == 1 ? "" : "s",
	    nfailed);
	free(js.job);
	return r;
}

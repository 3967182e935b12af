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
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/spawn.h"
#include "plan.h"
#include "world.h"

#define JOBS_MAX_DEFAULT	8	/* -j default: the CPUs, at most this */
#define PROGRESS_MIN		20	/* more vzctl runs: a progress line */
#define PARAM_COL		14	/* -n: the width of a parameter name */

enum jstate { J_WAIT, J_RUN, J_DONE, J_SKIP };

/* One vzctl run: 40 bytes, one for each container to change. */
struct job {
	const struct ctplan	*cp;
	struct buf		*out;		/* stdout and stderr together,
						   once it wrote something */
	enum jstate		 state;
	pid_t			 pid;
	int			 fd;		/* its output, or -1 */
	int			 status;	/* exit status, 128+signal */
	int			 exec_errno;	/* exec failed with this */
	int			 conf_failed;	/* its conf could not be written */
};

struct run {
	const struct plan *plan;
	const struct host *host;
	const char	*vzctl;
	struct job	*jobs;
	size_t		 n;
	size_t		*active;	/* the jobs running, rn->running */
	size_t		 jobs_max;
	size_t		 started, running, done, shown;
	int		 novzctl;	/* vzctl cannot be run: start no more */
	int		 progress;	/* show "applying i/n" on stderr */
	int		 progress_shown;
	const char	*confdir;
	struct buf	 conf;		/* a conf being rendered */
	size_t		 nconf;		/* confs written */
};

static int	 sigchld_pipe[2] = { -1, -1 };

static int	 prepare(const struct opts *, struct world *, struct plan *);
static int	 converged(struct world *, const struct plan *);
static void	 dry_run(const struct opts *, struct world *, struct plan *);
static void	 print_ct(const struct opts *, const struct plan *,
		    const struct ctplan *);
static int	 map_fresh(struct world *, const struct plan *, struct buf *);
static int	 carry_out(const struct opts *, struct world *,
		    struct plan *);
static int	 job_conf(struct run *, struct job *);
static const char *vzctl_name(const struct opts *);
static size_t	 jobs_default(void);
static void	 on_sigchld(int);
static int	 cloexec_pipe(int [2], int);
static int	 run_jobs(struct run *);
static void	 job_start(struct run *, struct job *);
static void	 job_free_out(struct job *);
static void	 job_read(struct job *);
static void	 job_reap(struct run *);
static void	 show_done(struct run *);
static void	 progress(struct run *, int);
static void	 list_cts(const char *, struct job *, size_t, int);

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
job_conf(struct run *rn, struct job *j)
{
	const struct ctplan *cp = j->cp;
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
		j->conf_failed = 1;
		return -1;
	}
	plan_set_conf(rn->plan, cp, &cf);
	rn->conf.len = 0;
	conf_render(&cf, &rn->conf);
	if (file_replace_in(path, rn->conf.data, rn->conf.len, 0644,
	    rn->confdir) == -1) {
		vz_syserr(shown, "cannot write");
		j->conf_failed = 1;
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

static size_t
jobs_default(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	if (n < 1)
		return 1;
	return n > JOBS_MAX_DEFAULT ? JOBS_MAX_DEFAULT : (size_t)n;
}

/* A pipe whose ends close on exec (one thread: no race with fork). */
static int
cloexec_pipe(int fd[2], int nonblock)
{
	int i;

	if (pipe(fd) == -1)
		return -1;
	for (i = 0; i < 2; i++) {
		fcntl(fd[i], F_SETFD, FD_CLOEXEC);
		if (nonblock)
			fcntl(fd[i], F_SETFL, fcntl(fd[i], F_GETFL) |
			    O_NONBLOCK);
	}
	return 0;
}

/* Wake poll() when a child exits (the self-pipe trick). */
static void
on_sigchld(int sig)
{
	int e = errno;
	ssize_t w;

	(void)sig;
	w = write(sigchld_pipe[1], "", 1);
	(void)w;
	errno = e;
}

static void
job_start(struct run *rn, struct job *j)
{
	struct spawn_opts so = { 1, -1, NULL };
	struct change ch[P_N];
	char **argv;
	int out[2], e;

	j->state = J_DONE;
	j->status = -1;
	rn->started++;
	if (cloexec_pipe(out, 0) == -1) {
		vz_syserr(NULL, "pipe");
		return;
	}
	/* Made now and freed once started: 100,000 of them add up. */
	plan_changes(rn->plan, j->cp, ch);
	argv = plan_argv(j->cp, ch, rn->vzctl);
	changes_free(ch);
	so.out = out[1];
	e = spawn(argv, &so, &j->pid);
	argv_free(argv);
	close(out[1]);
	if (e != 0) {
		close(out[0]);
		j->pid = -1;
		j->exec_errno = e;
		rn->novzctl = 1;
		errno = e;
		vz_syserr(rn->vzctl, "cannot run");
		return;
	}
	fcntl(out[0], F_SETFL, fcntl(out[0], F_GETFL) | O_NONBLOCK);
	j->fd = out[0];
	j->state = J_RUN;
	rn->active[rn->running++] = (size_t)(j - rn->jobs);
}

static void
job_free_out(struct job *j)
{
	if (j->out != NULL)
		buf_free(j->out);
	free(j->out);
	j->out = NULL;
}

/* What the job's output pipe holds now; closed at its end. */
static void
job_read(struct job *j)
{
	char chunk[4096];
	ssize_t n;

	while (j->fd != -1) {
		n = read(j->fd, chunk, sizeof(chunk));
		if (n > 0) {
			if (j->out == NULL)
				j->out = xcalloc(1, sizeof(*j->out));
			buf_add(j->out, chunk, (size_t)n);
			continue;
		}
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && errno == EAGAIN)
			return;
		close(j->fd);
		j->fd = -1;
	}
}

/* Collect every finished child.  What it wrote before exiting is read;
 * a grandchild that keeps the pipe open is not waited for. */
static void
job_reap(struct run *rn)
{
	size_t i;
	int st;

	/* Only the running ones: a pass over all jobs at every wakeup
	 * would be quadratic in containers. */
	for (i = 0; i < rn->running; ) {
		struct job *j = &rn->jobs[rn->active[i]];
		pid_t r;

		while ((r = waitpid(j->pid, &st, WNOHANG)) == -1 &&
		    errno == EINTR)
			;
		if (r == 0) {
			i++;
			continue;
		}
		if (r == -1)
			j->status = -1;
		else if (WIFEXITED(st))
			j->status = WEXITSTATUS(st);
		else if (WIFSIGNALED(st))
			j->status = 128 + WTERMSIG(st);
		else
			j->status = -1;
		job_read(j);
		if (j->fd != -1) {
			close(j->fd);
			j->fd = -1;
		}
		j->state = J_DONE;
		rn->active[i] = rn->active[--rn->running];
		rn->done++;
	}
}

static void
progress(struct run *rn, int clear)
{
	if (!rn->progress)
		return;
	if (clear) {
		if (rn->progress_shown)
			fputs("\r                              \r", stderr);
		rn->progress_shown = 0;
	} else {
		fprintf(stderr, "\rapplying %zu/%zu", rn->done, rn->n);
		rn->progress_shown = 1;
	}
	fflush(stderr);
}

/*
 * The output of finished jobs in CTID order: each line "CTID: text".
 * A job is shown once it and every job before it are done.  With -q the
 * output of a successful run is left out.
 */
static void
show_done(struct run *rn)
{
	int cleared = 0;

	while (rn->shown < rn->n && rn->jobs[rn->shown].state != J_RUN &&
	    rn->jobs[rn->shown].state != J_WAIT) {
		struct job *j = &rn->jobs[rn->shown++];
		const char *ctid = j->cp->ct->ctid, *s, *e, *end;

		if (j->state == J_SKIP || j->exec_errno != 0 ||
		    j->conf_failed)
			continue;
		if (!cleared) {
			progress(rn, 1);
			cleared = 1;
		}
		if (j->status != 0 || verbosity >= 0) {
			end = j->out == NULL ? NULL :
			    j->out->data + j->out->len;
			for (s = j->out == NULL ? NULL : j->out->data;
			    s != NULL && s < end; s = e + 1) {
				if ((e = memchr(s, '\n', (size_t)(end - s))) ==
				    NULL)
					e = end;
				printf("%s: %.*s\n", ctid, (int)(e - s), s);
			}
			fflush(stdout);
		}
		job_free_out(j);
		if (j->status > 128 && j->status < 128 + 65)
			vz_err(NULL, 0, 0, "%s: vzctl killed by signal %d",
			    ctid, j->status - 128);
		else if (j->status != 0)
			vz_err(NULL, 0, 0, "%s: vzctl failed (exit status %d)",
			    ctid, j->status);
	}
	if (cleared || rn->done > 0)
		progress(rn, 0);
}

/*
 * Step 2: every job, up to rn->jobs_max at once.  Returns 0, or -1 when
 * waiting for the children failed (they are still reaped).
 */
static int
run_jobs(struct run *rn)
{
	struct sigaction sa, old;
	struct pollfd *pfd;
	size_t i, k;
	char drain[64];
	int r = 0;

	if (cloexec_pipe(sigchld_pipe, 1) == -1) {
		vz_syserr(NULL, "pipe");
		return -1;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sigchld;
	sa.sa_flags = SA_RESTART | SA_NOCLDSTOP;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGCHLD, &sa, &old);
	pfd = xcalloc(rn->jobs_max + 1, sizeof(*pfd));
	rn->active = xcalloc(rn->jobs_max + 1, sizeof(*rn->active));

	while (rn->done < rn->n) {
		while (rn->running < rn->jobs_max && rn->started < rn->n &&
		    !rn->novzctl) {
			struct job *j = &rn->jobs[rn->started];

			if (job_conf(rn, j) == -1) {
				j->state = J_DONE;
				j->status = -1;
				rn->started++;
				rn->done++;
				continue;
			}
			job_start(rn, j);
			if (j->state == J_DONE)
				rn->done++;
		}
		/* No vzctl: the confs are still written (SPEC 5). */
		if (rn->novzctl)
			for (i = rn->started; i < rn->n; i++) {
				job_conf(rn, &rn->jobs[i]);
				rn->jobs[i].state = rn->jobs[i].conf_failed ?
				    J_DONE : J_SKIP;
				rn->jobs[i].status = -rn->jobs[i].conf_failed;
				rn->started++;
				rn->done++;
			}
		if (rn->running == 0) {
			show_done(rn);
			continue;
		}
		k = 0;
		pfd[k].fd = sigchld_pipe[0];
		pfd[k++].events = POLLIN;
		for (i = 0; i < rn->running; i++)
			if (rn->jobs[rn->active[i]].fd != -1) {
				pfd[k].fd = rn->jobs[rn->active[i]].fd;
				pfd[k++].events = POLLIN;
			}
		if (poll(pfd, k, -1) == -1 && errno != EINTR) {
			vz_syserr(NULL, "poll");
			r = -1;
			/* Fall back to waiting for them one by one. */
			for (i = 0; i < rn->running; i++)
				while (waitpid(rn->jobs[rn->active[i]].pid,
				    NULL, 0) == -1 && errno == EINTR)
					;
		}
		while (read(sigchld_pipe[0], drain, sizeof(drain)) > 0)
			;
		for (i = 0; i < rn->running; i++)
			job_read(&rn->jobs[rn->active[i]]);
		job_reap(rn);
		show_done(rn);
	}
	show_done(rn);
	progress(rn, 1);
	free(pfd);
	free(rn->active);
	rn->active = NULL;
	sigaction(SIGCHLD, &old, NULL);
	close(sigchld_pipe[0]);
	close(sigchld_pipe[1]);
	sigchld_pipe[0] = sigchld_pipe[1] = -1;
	return r;
}

/* "vzmem: what: 101 102 ..." of the jobs that match. */
static void
list_cts(const char *what, struct job *jobs, size_t n, int which)
{
	struct buf b = { NULL, 0, 0 };
	size_t i;

	for (i = 0; i < n; i++) {
		const struct job *j = &jobs[i];
		int m;

		switch (which) {
		case 0:		/* vzctl ran and failed */
			m = j->state == J_DONE && j->exec_errno == 0 &&
			    j->status != 0;
			break;
		default:	/* not run, and running */
			m = (j->state == J_SKIP || j->exec_errno != 0) &&
			    j->cp->ct->live != NULL;
			break;
		}
		if (m) {
			buf_addc(&b, ' ');
			buf_addstr(&b, j->cp->ct->ctid);
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
	int r = VZ_OK, have_vzctl = 1;
	size_t i, nconf, nfailed = 0, nlive = 0, nruns = 0, nbad = 0;
	const char *vzctl = vzctl_name(o);

	memset(&rn, 0, sizeof(rn));
	rn.plan = p;
	rn.host = &w->host;
	rn.vzctl = vzctl;
	rn.confdir = w->host.confdir;
	for (i = 0; i < p->n; i++)
		rn.n += ctplan_needs_vzctl(&p->cts[i]) != 0;
	rn.jobs = xcalloc(rn.n + 1, sizeof(*rn.jobs));
	for (i = 0, rn.n = 0; i < p->n; i++)
		if (ctplan_needs_vzctl(&p->cts[i])) {
			struct job *j = &rn.jobs[rn.n++];

			j->cp = &p->cts[i];
			j->fd = -1;
		}
	rn.jobs_max = o->jobs > 0 ? o->jobs : jobs_default();
	rn.progress = rn.n > PROGRESS_MIN && verbosity >= 0 &&
	    isatty(STDERR_FILENO);
	if (rn.n > 0 && !prog_found(vzctl)) {
		errno = ENOENT;
		vz_syserr(vzctl, "cannot run");
		rn.novzctl = 1;
	}
	if (rn.n > 0 && run_jobs(&rn) == -1)
		r = VZ_FAIL;
	nconf = rn.nconf;
	buf_free(&rn.conf);
	/* The renames durable; each conf was fsynced before its rename. */
	if (nconf > 0 && fsync_dir(rn.confdir) == -1) {
		vz_syserr(rn.confdir, "cannot sync");
		r = VZ_FAIL;
	}
	for (i = 0; i < rn.n; i++) {
		struct job *j = &rn.jobs[i];

		if (j->conf_failed)
			nbad++;
		else if (j->state == J_SKIP || j->exec_errno != 0) {
			have_vzctl = 0;
			nlive += j->cp->ct->live != NULL;
		} else {
			nruns++;
			nfailed += j->status != 0;
		}
	}
	if (nfailed + nbad > 0) {
		list_cts("not applied", rn.jobs, rn.n, 0);
		r = VZ_FAIL;
	}
	if (!have_vzctl) {
		if (nlive > 0) {
			list_cts("not applied live (no vzctl)", rn.jobs, rn.n,
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

	if (nconf == 0 && rn.n == 0 && r == VZ_OK)
		vz_info("all %zu containers up to date", p->n);
	else
		vz_info("%zu conf%s rewritten%s, %zu vzctl run%s, %zu failed",
		    nconf, nconf == 1 ? "" : "s", nbad > 0 ?
		    " (some could not be)" : "", nruns, nruns == 1 ? "" : "s",
		    nfailed);

	for (i = 0; i < rn.n; i++)
		job_free_out(&rn.jobs[i]);
	free(rn.jobs);
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

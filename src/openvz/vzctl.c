/*
 * vzctl.c -- -a for OpenVZ containers: each container's conf rewritten
 * (atomically, just before its vzctl starts), then `vzctl set CTID ...
 * --save` run for it, up to -j at once.
 *
 * A run killed after a conf is written left a conf that already matches
 * the map; the next run finds the running containers whose live values
 * still differ and runs vzctl for exactly those.  For a stopped
 * container the conf is the whole truth, so it is done once its conf is
 * written.
 */
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "openvz.h"
#include "world.h"

extern char **environ;

#define JOBS_MAX_DEFAULT	8	/* -j default: the CPUs, at most this */
#define PROGRESS_MIN		20	/* more vzctl runs: a progress line */

enum jstate { J_WAIT, J_RUN, J_DONE, J_SKIP };

/* One vzctl run: 40 bytes, one for each container to change. */
struct job {
	struct gplan		*gp;
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
	const struct ovz *z;
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

static int	 job_conf(struct run *, struct job *);
static int	 prog_found(const char *);
static size_t	 jobs_default(void);
static void	 on_sigchld(int);
static int	 cloexec_pipe(int [2], int);
static int	 run_jobs(struct run *);
static void	 job_start(struct run *, struct job *);
static int	 spawn_job(struct job *, char **, int);
static void	 job_free_out(struct job *);
static void	 job_read(struct job *);
static void	 job_reap(struct run *);
static void	 show_done(struct run *);
static void	 progress(struct run *, int);
static void	 list_cts(const char *, struct job *, size_t, int);

/*
 * Its conf, if it differs, written just before its vzctl starts: the
 * writes of later containers then overlap the vzctl runs of earlier ones
 * (each container's conf is still written before its vzctl).  0, or -1
 * after a message: its vzctl is not run.
 */
static int
job_conf(struct run *rn, struct job *j)
{
	const struct gplan *gp = j->gp;
	const char *shown = gp->guest->shown;
	struct conf cf;
	char *path;
	int r = 0;

	if (!gp->pdirty)
		return 0;
	/* Planning read it lean; the whole of it only now, for writing. */
	path = ovz_conf_path(rn->z, gp->guest->id);
	if (conf_load(&cf, path, shown) == -1) {
		vz_syserr(shown, "cannot read");
		free(path);
		j->conf_failed = 1;
		return -1;
	}
	ovz_set_conf(rn->plan, gp, &cf);
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

/* Whether execvp would find name: a path, or a file on PATH. */
static int
prog_found(const char *name)
{
	const char *path, *s, *e;
	int found = 0;

	if (strchr(name, '/') != NULL)
		return access(name, X_OK) == 0;
	if ((path = getenv("PATH")) == NULL)
		path = "/bin:/usr/bin";
	for (s = path; !found; s = e + 1) {
		struct stat st;
		char *f;

		e = strchr(s, ':');
		if (e == NULL)
			e = s + strlen(s);
		f = e == s ? xasprintf("./%s", name) :
		    xasprintf("%.*s/%s", (int)(e - s), s, name);
		found = access(f, X_OK) == 0 && stat(f, &st) == 0 &&
		    S_ISREG(st.st_mode);
		free(f);
		if (*e == '\0')
			break;
	}
	return found;
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

/*
 * Start argv (never through a shell) with stdin /dev/null, stdout
 * and stderr to fd.  Returns 0, or the errno of a vzctl that could not
 * be started: posix_spawnp reports it, so it is told apart from a vzctl
 * that exits 126 or 127 itself.
 *
 * posix_spawn, not fork: glibc spawns with CLONE_VM|CLONE_VFORK, so
 * starting a vzctl costs the same whatever our size.  fork copied the
 * page tables of a parent holding every conf and made each later write
 * a copy-on-write fault: quadratic in containers (10,000 changed: 35 s,
 * of which 30 s CPU in fork and faults).
 */
static int
spawn_job(struct job *j, char **argv, int fd)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	sigset_t def;
	int e;

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, fd, 1);
	posix_spawn_file_actions_adddup2(&fa, fd, 2);
	posix_spawnattr_init(&at);
	sigemptyset(&def);
	sigaddset(&def, SIGPIPE);
	sigaddset(&def, SIGCHLD);
	posix_spawnattr_setsigdefault(&at, &def);
	posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGDEF);
	e = posix_spawnp(&j->pid, argv[0], &fa, &at, argv, environ);
	posix_spawnattr_destroy(&at);
	posix_spawn_file_actions_destroy(&fa);
	return e;
}

static void
job_start(struct run *rn, struct job *j)
{
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
	fflush(stdout);
	fflush(stderr);
	/* Made now and freed once started: 100,000 of them add up. */
	ovz_changes(rn->plan, j->gp, ch);
	argv = ovz_argv(j->gp, ch, rn->vzctl);
	changes_free(ch);
	e = spawn_job(j, argv, out[1]);
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
		const char *ctid = j->gp->guest->id, *s, *e, *end;

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
			    j->gp->guest->running;
			break;
		}
		if (m) {
			buf_addc(&b, ' ');
			buf_addstr(&b, j->gp->guest->id);
		}
	}
	if (b.len > 0)
		vz_err(NULL, 0, 0, "%s:%s", what, b.data);
	buf_free(&b);
}

/* Confs, then vzctl, for every container of gps that differs. */
int
ovz_apply(const struct plan *p, struct gplan **gps, size_t n,
    const struct opts *o)
{
	struct run rn;
	int r = VZ_OK, have_vzctl = 1;
	size_t i, nconf, nfailed = 0, nlive = 0, nruns = 0, nbad = 0;
	const char *vzctl = vzctl_name(o);

	memset(&rn, 0, sizeof(rn));
	rn.plan = p;
	rn.z = ovz_of(p->w);
	rn.vzctl = vzctl;
	rn.confdir = rn.z->confdir;
	rn.jobs = xcalloc(n + 1, sizeof(*rn.jobs));
	for (i = 0; i < n; i++)
		if (gplan_differs(gps[i])) {
			struct job *j = &rn.jobs[rn.n++];

			j->gp = gps[i];
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
			nlive += j->gp->guest->running;
		} else {
			nruns++;
			nfailed += j->status != 0;
		}
		if (j->conf_failed || (j->state == J_DONE &&
		    j->exec_errno == 0 && j->status != 0) ||
		    ((j->state == J_SKIP || j->exec_errno != 0) &&
		    j->gp->guest->running))
			j->gp->failed = 1;
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
	if (rn.n > 0)
		vz_info("%zu conf%s rewritten%s, %zu vzctl run%s, %zu failed",
		    nconf, nconf == 1 ? "" : "s", nbad > 0 ?
		    " (some could not be)" : "", nruns, nruns == 1 ? "" : "s",
		    nfailed);
	for (i = 0; i < rn.n; i++)
		job_free_out(&rn.jobs[i]);
	free(rn.jobs);
	return r;
}

/*
 * jobs.c -- the job engine (jobs.h).
 *
 * One poll() loop: a child's output is read as it comes, its exit is
 * told by SIGCHLD through a pipe (the self-pipe trick), and a time limit
 * is the poll's timeout.  Each wakeup looks at the running jobs only,
 * never at all of them: a pass over 100,000 jobs at every wakeup was
 * quadratic in guests.
 */
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lib/alloc.h"
#include "lib/buf.h"
#include "lib/jobs.h"
#include "lib/msg.h"
#include "lib/spawn.h"

#define JOBS_MAX_DEFAULT	8	/* -j default: the CPUs, at most this */
#define PROGRESS_MIN		20	/* more jobs: a progress line */

/* A running job. */
struct slot {
	size_t		 job;		/* its index */
	pid_t		 pid;
	int		 fd;		/* its output, or -1 at its end */
	long long	 deadline;	/* ns: its next signal; 0: none */
};

struct engine {
	struct jobs	*js;
	struct slot	*run;		/* the running ones */
	size_t		 nrun, max;
	size_t		 started, done, shown;
	int		 progress;	/* show "VERB i/n" on stderr */
	int		 progress_shown;
};

static int	 sigchld_pipe[2] = { -1, -1 };

static size_t	 jobs_default(void);
static void	 on_sigchld(int);
static int	 set_nonblock(int);
static int	 cloexec_pipe(int [2], int);
static void	 job_start(struct engine *, struct job *);
static void	 job_skip(struct engine *, struct job *);
static void	 job_free_out(struct job *);
static void	 job_read(struct job *, struct slot *);
static void	 job_reap(struct engine *);
static void	 job_expire(struct engine *);
static int	 poll_timeout(const struct engine *);
static void	 show_one(struct engine *, struct job *);
static void	 show_done(struct engine *);
static void	 progress(struct engine *, int);
static int	 at_barrier(const struct engine *);
static int	 wait_loop(struct engine *, struct pollfd *);

static size_t
jobs_default(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	if (n < 1)
		return 1;
	return n > JOBS_MAX_DEFAULT ? JOBS_MAX_DEFAULT : (size_t)n;
}

int
job_failed(const struct job *j)
{
	return j->state == JOB_DONE && (j->status != 0 || j->timed_out);
}

static int
set_nonblock(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	return fl == -1 ? -1 : fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

/* A pipe whose ends close on exec (one thread: no race with spawn). */
static int
cloexec_pipe(int fd[2], int nonblock)
{
	int i;

	if (pipe(fd) == -1)
		return -1;
	for (i = 0; i < 2; i++)
		if (fcntl(fd[i], F_SETFD, FD_CLOEXEC) == -1 || (nonblock &&
		    set_nonblock(fd[i]) == -1)) {
			close(fd[0]);
			close(fd[1]);
			return -1;
		}
	return 0;
}

/* Wake poll() when a child exits. */
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

/* Start j: its argv from the caller, stdin /dev/null, output to a pipe. */
static void
job_start(struct engine *en, struct job *j)
{
	struct jobs *js = en->js;
	struct spawn_opts so = { 1, -1, NULL, 0 };
	struct slot *s;
	char **argv;
	int out[2], e;
	pid_t pid;

	en->started++;
	/* Made now and freed once started: 100,000 of them add up. */
	if ((argv = js->argv(js->arg, j)) == NULL) {
		j->state = JOB_NOTRUN;
		en->done++;
		return;
	}
	j->state = JOB_DONE;
	j->status = -1;
	if (cloexec_pipe(out, 0) == -1) {
		vz_syserr(NULL, "pipe");
		argv_free(argv);
		en->done++;
		return;
	}
	so.out = out[1];
	e = spawn(argv, &so, &pid);
	close(out[1]);
	if (e != 0) {
		close(out[0]);
		j->state = JOB_SKIP;
		j->exec_errno = e;
		js->missing = 1;
		errno = e;
		vz_syserr(argv[0], "cannot run");
		argv_free(argv);
		en->done++;
		return;
	}
	argv_free(argv);
	if (set_nonblock(out[0]) == -1)
		vz_syserr(NULL, "fcntl");	/* reads may then stall */
	j->state = JOB_RUN;
	s = &en->run[en->nrun++];
	s->job = (size_t)(j - js->job);
	s->pid = pid;
	s->fd = out[0];
	s->deadline = js->timeout > 0 ?
	    now_ns() + (long long)js->timeout * NS_PER_S : 0;
}

/* The program is missing: the caller's work before a run, no run. */
static void
job_skip(struct engine *en, struct job *j)
{
	struct jobs *js = en->js;
	char **argv;

	en->started++;
	en->done++;
	if ((argv = js->argv(js->arg, j)) == NULL) {
		j->state = JOB_NOTRUN;
		return;
	}
	argv_free(argv);
	j->state = JOB_SKIP;
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
job_read(struct job *j, struct slot *s)
{
	char chunk[4096];
	ssize_t n;

	while (s->fd != -1) {
		n = read(s->fd, chunk, sizeof(chunk));
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
		close(s->fd);
		s->fd = -1;
	}
}

/* Collect every finished child.  What it wrote before exiting is read;
 * a grandchild that keeps the pipe open is not waited for. */
static void
job_reap(struct engine *en)
{
	size_t i;
	int st;

	for (i = 0; i < en->nrun; ) {
		struct slot *s = &en->run[i];
		struct job *j = &en->js->job[s->job];
		pid_t r;

		/* One out of time: its group ends with it (SPEC 5b). */
		while ((r = spawn_waitpid(s->pid, &st, WNOHANG |
		    (j->timed_out ? SPAWN_END_GROUP : 0))) == -1 &&
		    errno == EINTR)
			;
		if (r == 0) {
			i++;
			continue;
		}
		j->status = r == -1 ? -1 : spawn_status(st);
		job_read(j, s);
		if (s->fd != -1)
			close(s->fd);
		j->state = JOB_DONE;
		en->run[i] = en->run[--en->nrun];
		en->done++;
	}
}

/* Out of time: SIGTERM, and SPAWN_KILL_AFTER s later SIGKILL, to its
 * process group.  Not yet reaped, so the PID is still the child's. */
static void
job_expire(struct engine *en)
{
	long long now = now_ns();
	size_t i;

	for (i = 0; i < en->nrun; i++) {
		struct slot *s = &en->run[i];
		struct job *j = &en->js->job[s->job];

		if (s->deadline == 0 || s->deadline > now)
			continue;
		if (j->timed_out == 0) {
			spawn_kill(s->pid, SIGTERM);
			j->timed_out = 1;
			s->deadline = now + SPAWN_KILL_AFTER * NS_PER_S;
		} else {
			spawn_kill(s->pid, SIGKILL);
			j->timed_out = 2;
			s->deadline = 0;
		}
	}
}

/* poll()'s timeout in ms: until the nearest deadline, or -1. */
static int
poll_timeout(const struct engine *en)
{
	long long near = 0, now;
	size_t i;

	for (i = 0; i < en->nrun; i++)
		if (en->run[i].deadline != 0 &&
		    (near == 0 || en->run[i].deadline < near))
			near = en->run[i].deadline;
	if (near == 0)
		return -1;
	now = now_ns();
	if (near <= now)
		return 0;
	/* Rounded up: waking a little early would only spin. */
	return (int)((near - now + 999999) / 1000000);
}

static void
progress(struct engine *en, int clear)
{
	if (!en->progress)
		return;
	if (clear) {
		if (en->progress_shown)
			fputs("\r                              \r", stderr);
		en->progress_shown = 0;
	} else {
		fprintf(stderr, "\r%s %zu/%zu", en->js->verb, en->done,
		    en->js->n);
		en->progress_shown = 1;
	}
	fflush(stderr);
}

/* A finished job's output, "LABEL: line" each, then why it failed. */
static void
show_one(struct engine *en, struct job *j)
{
	const struct jobs *js = en->js;
	struct where w = { NULL, 0, 0, j->label, NULL };

	if (job_failed(j) || verbosity >= 0) {
		/* Screened: a child's bytes must not drive the terminal. */
		if (j->out != NULL)
			vz_child_lines(j->label, j->out->data, j->out->len);
		fflush(stdout);
	}
	job_free_out(j);
	if (j->timed_out)
		vz_report(&w, VZ_LERROR, "%s: %s timed out after %u s (%s)",
		    j->label, js->what, js->timeout, j->timed_out == 1 ?
		    "terminated" : "killed, as SIGTERM did not end it");
	else if (j->status > 128 && j->status < 128 + 65)
		vz_report(&w, VZ_LERROR, "%s: %s killed by signal %d",
		    j->label, js->what, j->status - 128);
	else if (j->status != 0)
		vz_report(&w, VZ_LERROR, "%s: %s failed (exit status %d)",
		    j->label, js->what, j->status);
}

/*
 * The output of finished jobs in their order.  A job is shown once it
 * and every job before it are done; one that did not run shows nothing
 * (its message came when it did not start).
 */
static void
show_done(struct engine *en)
{
	struct jobs *js = en->js;
	int cleared = 0;

	while (en->shown < js->n && js->job[en->shown].state != JOB_RUN &&
	    js->job[en->shown].state != JOB_WAIT) {
		struct job *j = &js->job[en->shown++];

		if (j->state != JOB_DONE)
			continue;
		if (!cleared) {
			progress(en, 1);
			cleared = 1;
		}
		show_one(en, j);
	}
	if (cleared || en->done > 0)
		progress(en, 0);
}

/* The next job is the barrier's and a job before it is not done yet. */
static int
at_barrier(const struct engine *en)
{
	return en->js->barrier > 0 && en->started == en->js->barrier &&
	    en->done < en->js->barrier;
}

/*
 * Until every job is done: start them up to max at once, then sleep
 * in poll() until output, an exit or a deadline.  0, or -1 when poll
 * failed (the running ones are then waited for one by one).
 */
static int
wait_loop(struct engine *en, struct pollfd *pfd)
{
	struct jobs *js = en->js;
	char drain[64];
	size_t i, k;
	int r = 0, st;

	while (en->done < js->n) {
		while (en->nrun < en->max && en->started < js->n &&
		    !js->missing && !at_barrier(en))
			job_start(en, &js->job[en->started]);
		/* The program is missing: the work before each run is
		 * still done (SPEC 5: the confs are still written). */
		while (js->missing && en->started < js->n)
			job_skip(en, &js->job[en->started]);
		if (en->nrun == 0) {
			show_done(en);
			continue;
		}
		k = 0;
		pfd[k].fd = sigchld_pipe[0];
		pfd[k++].events = POLLIN;
		for (i = 0; i < en->nrun; i++)
			if (en->run[i].fd != -1) {
				pfd[k].fd = en->run[i].fd;
				pfd[k++].events = POLLIN;
			}
		if (poll(pfd, k, poll_timeout(en)) == -1 && errno != EINTR) {
			vz_syserr(NULL, "poll");
			r = -1;
			/* Fall back to waiting for them one by one. */
			for (i = 0; i < en->nrun; i++)
				while (spawn_waitpid(en->run[i].pid, &st, 0) ==
				    -1 && errno == EINTR)
					;
		}
		while (read(sigchld_pipe[0], drain, sizeof(drain)) > 0)
			;
		for (i = 0; i < en->nrun; i++)
			job_read(&js->job[en->run[i].job], &en->run[i]);
		job_reap(en);
		job_expire(en);
		show_done(en);
	}
	return r;
}

int
jobs_run(struct jobs *js)
{
	struct sigaction sa, old;
	struct engine en;
	struct pollfd *pfd;
	int r;

	memset(&en, 0, sizeof(en));
	en.js = js;
	en.max = js->max > 0 ? js->max : jobs_default();
	en.progress = js->n > PROGRESS_MIN && verbosity >= 0 &&
	    isatty(STDERR_FILENO);
	if (cloexec_pipe(sigchld_pipe, 1) == -1) {
		vz_syserr(NULL, "pipe");
		return -1;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sigchld;
	sa.sa_flags = SA_RESTART | SA_NOCLDSTOP;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGCHLD, &sa, &old) == -1) {
		vz_syserr(NULL, "sigaction");
		close(sigchld_pipe[0]);
		close(sigchld_pipe[1]);
		sigchld_pipe[0] = sigchld_pipe[1] = -1;
		return -1;
	}
	pfd = xcalloc(en.max + 1, sizeof(*pfd));
	en.run = xcalloc(en.max + 1, sizeof(*en.run));

	r = wait_loop(&en, pfd);
	show_done(&en);
	progress(&en, 1);
	free(pfd);
	free(en.run);
	sigaction(SIGCHLD, &old, NULL);
	close(sigchld_pipe[0]);
	close(sigchld_pipe[1]);
	sigchld_pipe[0] = sigchld_pipe[1] = -1;
	return r;
}

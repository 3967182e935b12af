/*
 * spawn.c -- running a child (spawn.h).
 *
 * posix_spawn, not fork: glibc spawns with CLONE_VM|CLONE_VFORK, so
 * starting a child costs the same whatever our size.  fork copied the
 * page tables of a parent holding every conf and made each later write
 * a copy-on-write fault: quadratic in containers (10,000 changed: 35 s,
 * of which 30 s CPU in fork and faults).
 */
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lib/alloc.h"
#include "lib/spawn.h"

extern char **environ;

/* While the time runs, how often to look: from 1 ms, doubling to this. */
#define LOOK_MAX_NS	50000000L

/*
 * The children running now, each the leader of its own process group:
 * what spawn_end_all() ends from a signal handler, so a fixed table
 * (-j is at most 64; the version probe and the editor run alone).  0 is
 * a free slot.
 */
#define KIDS_MAX	128
static volatile pid_t	 kids[KIDS_MAX];

static int		 kid_slot(void);
static void		 kid_forget(pid_t);
static int		 fatal_sigs(sigset_t *);
static int		 spawn_setup(posix_spawn_file_actions_t *,
			    posix_spawnattr_t *, const struct spawn_opts *,
			    const sigset_t *);

static int
kid_slot(void)
{
	int i;

	for (i = 0; i < KIDS_MAX; i++)
		if (kids[i] == 0)
			return i;
	return -1;
}

static void
kid_forget(pid_t pid)
{
	int i;

	for (i = 0; i < KIDS_MAX; i++)
		if (kids[i] == pid)
			kids[i] = 0;
}

/* The signals that end vzmem (and its children): blocked while a child
 * starts, so that none runs unknown to spawn_end_all(). */
static int
fatal_sigs(sigset_t *set)
{
	static const int sigs[] = { SIGHUP, SIGINT, SIGQUIT, SIGTERM };
	size_t i;

	if (sigemptyset(set) == -1)
		return -1;
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		if (sigaddset(set, sigs[i]) == -1)
			return -1;
	return 0;
}

/* The child's stdio, signals and process group; 0 or an errno. */
static int
spawn_setup(posix_spawn_file_actions_t *fa, posix_spawnattr_t *at,
    const struct spawn_opts *o, const sigset_t *mask)
{
	sigset_t def;
	int e = 0, sig;

	if (o->null_stdin)
		e = posix_spawn_file_actions_addopen(fa, 0, "/dev/null",
		    O_RDONLY, 0);
	if (e == 0 && o->out >= 0)
		e = posix_spawn_file_actions_adddup2(fa, o->out, 1);
	if (e == 0 && o->out >= 0 && !o->null_stderr)
		e = posix_spawn_file_actions_adddup2(fa, o->out, 2);
	if (e == 0 && o->null_stderr)
		e = posix_spawn_file_actions_addopen(fa, 2, "/dev/null",
		    O_WRONLY, 0);
	if (e != 0)
		return e;
	if (sigemptyset(&def) == -1 || sigaddset(&def, SIGPIPE) == -1 ||
	    sigaddset(&def, SIGCHLD) == -1)
		return errno;
	for (sig = 1; o->sigdfl != NULL && sig < NSIG; sig++)
		if (sigismember(o->sigdfl, sig) == 1 &&
		    sigaddset(&def, sig) == -1)
			return errno;
	/* Its own process group (SPEC 5b): a signal to it reaches its
	 * children too, and the terminal's ^C does not. */
	if ((e = posix_spawnattr_setsigdefault(at, &def)) != 0 ||
	    (e = posix_spawnattr_setsigmask(at, mask)) != 0 ||
	    (e = posix_spawnattr_setpgroup(at, 0)) != 0)
		return e;
	return posix_spawnattr_setflags(at, POSIX_SPAWN_SETSIGDEF |
	    POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETPGROUP);
}

int
spawn(char *const argv[], const struct spawn_opts *o, pid_t *pid)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	sigset_t fatal, old;
	int e, slot;

	if ((e = posix_spawn_file_actions_init(&fa)) != 0)
		return e;
	if ((e = posix_spawnattr_init(&at)) != 0) {
		posix_spawn_file_actions_destroy(&fa);
		return e;
	}
	if (fatal_sigs(&fatal) == -1 ||
	    sigprocmask(SIG_BLOCK, &fatal, &old) == -1) {
		e = errno;
		goto out;
	}
	if ((slot = kid_slot()) == -1)
		e = EAGAIN;
	else if ((e = spawn_setup(&fa, &at, o, &old)) == 0) {
		fflush(stdout);
		fflush(stderr);
		if ((e = posix_spawnp(pid, argv[0], &fa, &at, argv,
		    environ)) == 0)
			kids[slot] = *pid;
	}
	/* The mask is ours again (a pending signal is handled now). */
	sigprocmask(SIG_SETMASK, &old, NULL);
out:
	posix_spawnattr_destroy(&at);
	posix_spawn_file_actions_destroy(&fa);
	return e;
}

int
spawn_status(int st)
{
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	if (WIFSIGNALED(st))
		return 128 + WTERMSIG(st);
	return -1;
}

long long
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * NS_PER_S + ts.tv_nsec;
}

/*
 * The child is looked at without reaping it first (WNOWAIT): a leader
 * not yet reaped keeps its PID, so its group's ID names no other group
 * meanwhile, and it is forgotten by the table before the PID is free.
 */
pid_t
spawn_waitpid(pid_t pid, int *st, int options)
{
	int flags = WEXITED | WNOWAIT;
	siginfo_t si;
	pid_t r;

	if (options & WNOHANG)
		flags |= WNOHANG;
	if (options & WUNTRACED)
		flags |= WSTOPPED;
	memset(&si, 0, sizeof(si));
	if (waitid(P_PID, (id_t)pid, &si, flags) == -1)
		return -1;
	if (si.si_pid == 0)
		return 0;	/* WNOHANG, still running */
	if (si.si_code == CLD_EXITED || si.si_code == CLD_KILLED ||
	    si.si_code == CLD_DUMPED) {
		if (options & SPAWN_END_GROUP)
			kill(-pid, SIGKILL);
		kid_forget(pid);
	}
	while ((r = waitpid(pid, st, options & WUNTRACED)) == -1 &&
	    errno == EINTR)
		;
	return r;
}

void
spawn_kill(pid_t pid, int sig)
{
	/* The group, and the leader should it have left it. */
	if (kill(-pid, sig) == -1)
		kill(pid, sig);
}

/*
 * With a time limit, the child is looked at every few milliseconds: one
 * child, a limit in seconds, so this costs nothing, and it needs no
 * SIGCHLD handler that could clash with the caller's.
 */
int
spawn_wait(pid_t pid, unsigned timeout, int *status)
{
	struct timespec look;
	long long deadline = 0, left;
	long step = 1000000L;
	int st = 0, end = SPAWN_EXITED;
	pid_t r;

	if (timeout > 0)
		deadline = now_ns() + (long long)timeout * NS_PER_S;
	for (;;) {
		/* Out of time: what its children left is ended too. */
		r = spawn_waitpid(pid, &st, (deadline != 0 ? WNOHANG : 0) |
		    (end != SPAWN_EXITED ? SPAWN_END_GROUP : 0));
		if (r == pid)
			break;
		if (r == -1)
			return -1;
		if ((left = deadline - now_ns()) <= 0) {
			if (end == SPAWN_EXITED) {
				spawn_kill(pid, SIGTERM);
				end = SPAWN_TERMINATED;
				deadline = now_ns() +
				    SPAWN_KILL_AFTER * NS_PER_S;
			} else {
				spawn_kill(pid, SIGKILL);
				end = SPAWN_KILLED;
				deadline = 0;	/* it ends now: wait */
			}
			continue;
		}
		look.tv_sec = 0;
		look.tv_nsec = left < step ? (long)left : step;
		if (nanosleep(&look, NULL) == -1 && errno == EINTR)
			return -1;
		step = step * 2 > LOOK_MAX_NS ? LOOK_MAX_NS : step * 2;
	}
	*status = spawn_status(st);
	return end;
}

/*
 * From a signal handler: only async-signal-safe calls.  Every group is
 * sent SIGTERM (and SIGCONT: a stopped editor must see it), the leaders
 * are given SPAWN_KILL_AFTER seconds to exit, then every group gets
 * SIGKILL, which ends the children a leader left behind, and the leaders
 * are reaped.
 */
void
spawn_end_all(void)
{
	struct timespec look = { 0, 10000000L };	/* 10 ms */
	long long deadline;
	int i, left;

	for (i = 0; i < KIDS_MAX; i++)
		if (kids[i] != 0) {
			spawn_kill(kids[i], SIGTERM);
			spawn_kill(kids[i], SIGCONT);
		}
	deadline = now_ns() + SPAWN_KILL_AFTER * NS_PER_S;
	do {
		for (i = 0, left = 0; i < KIDS_MAX; i++) {
			siginfo_t si;

			if (kids[i] == 0)
				continue;
			memset(&si, 0, sizeof(si));
			if (waitid(P_PID, (id_t)kids[i], &si, WEXITED |
			    WNOHANG | WNOWAIT) == 0 && si.si_pid == 0)
				left++;
		}
	} while (left > 0 && now_ns() < deadline &&
	    (nanosleep(&look, NULL) == 0 || errno == EINTR));
	for (i = 0; i < KIDS_MAX; i++)
		if (kids[i] != 0) {
			spawn_kill(kids[i], SIGKILL);
			while (waitpid(kids[i], NULL, 0) == -1 &&
			    errno == EINTR)
				;
			kids[i] = 0;
		}
}

int
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

void
argv_free(char **argv)
{
	size_t i;

	if (argv == NULL)
		return;
	for (i = 0; argv[i] != NULL; i++)
		free(argv[i]);
	free(argv);
}

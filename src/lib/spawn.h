/*
 * spawn.h -- the one way vzmem runs a child: from an argv, never
 * through a shell, with posix_spawnp; and waiting for it, with a time
 * limit.
 */
#ifndef VZMEM_LIB_SPAWN_H
#define VZMEM_LIB_SPAWN_H

#include <sys/types.h>

#include <signal.h>

struct spawn_opts {
	int		 null_stdin;	/* stdin from /dev/null, else ours */
	int		 out;		/* stdout and stderr to this fd;
					   -1: ours */
	const sigset_t	*sigdfl;	/* signals at their default in the
					   child besides SIGPIPE and SIGCHLD
					   (those vzmem ignores meanwhile),
					   or NULL */
	int		 null_stderr;	/* stderr to /dev/null (out is then
					   stdout only) */
};

/*
 * Start argv[0], looked up on PATH when it has no '/'.  0 and *pid, or
 * the errno of a child that could not be started: posix_spawnp reports
 * the exec's (ENOENT, EACCES, ...), so a program that exits 127 itself
 * is told apart from a missing one.  stdout and stderr are flushed
 * first, so that the child's output follows ours.  The child leads a
 * process group of its own (its ID is its PID), and is known to
 * spawn_end_all() until spawn_waitpid() reaps it; EAGAIN when too many
 * run already.
 */
int	 spawn(char *const [], const struct spawn_opts *, pid_t *);

/* Seconds from the SIGTERM of a child out of time to its SIGKILL. */
#define SPAWN_KILL_AFTER	5

/* Nanoseconds in a second; the monotonic clock now, in them (the
 * deadlines of children: spawn_wait(), jobs, the version probe). */
#define NS_PER_S		1000000000LL
long long now_ns(void);

/* How spawn_wait() saw a child end. */
enum spawn_end {
	SPAWN_EXITED,		/* by itself (or another's signal) */
	SPAWN_TERMINATED,	/* out of time, after SIGTERM */
	SPAWN_KILLED		/* out of time, SIGKILL at last */
};

/*
 * Wait for pid; *status is its exit status, 128+N for signal N.  With a
 * timeout in seconds (0: none), a child still running then is sent
 * SIGTERM, and SIGKILL SPAWN_KILL_AFTER seconds later, each to its
 * whole group, which gets SIGKILL again once the child has ended.
 * Returns how it ended, or -1 with errno: EINTR when a signal the caller catches
 * arrived (to pass it on, say; calling again waits again, the time
 * afresh).
 */
int	 spawn_wait(pid_t, unsigned, int *);

/*
 * waitpid(2) of a child of spawn() (options WNOHANG, WUNTRACED), which
 * forgets it once it has exited; with SPAWN_END_GROUP, its group is
 * sent SIGKILL before the leader is reaped (the leader's PID, still
 * taken, names no other group): what it left running ends with it.
 */
#define SPAWN_END_GROUP	0x10000
pid_t	 spawn_waitpid(pid_t, int *, int);

/* Signal the process group of a child of spawn() (the child alone
 * should it have left its group). */
void	 spawn_kill(pid_t, int);

/*
 * End every child of spawn() not yet reaped and its group: SIGTERM,
 * SPAWN_KILL_AFTER seconds for the leaders to exit, SIGKILL to every
 * group, and the leaders reaped.  Async-signal-safe: for the handler
 * of a signal that ends vzmem.
 */
void	 spawn_end_all(void);

/* A waitpid(2) status as an exit status: 128+N for signal N. */
int	 spawn_status(int);

/* Whether spawn() would find name: a path, or an executable on PATH. */
int	 prog_found(const char *);

/* Free a NULL-terminated argv of allocated strings (NULL: nothing). */
void	 argv_free(char **);

#endif

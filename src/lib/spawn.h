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
};

/*
 * Start argv[0], looked up on PATH when it has no '/'.  0 and *pid, or
 * the errno of a child that could not be started: posix_spawnp reports
 * the exec's (ENOENT, EACCES, ...), so a program that exits 127 itself
 * is told apart from a missing one.  stdout and stderr are flushed
 * first, so that the child's output follows ours.
 */
int	 spawn(char *const [], const struct spawn_opts *, pid_t *);

/* Seconds from the SIGTERM of a child out of time to its SIGKILL. */
#define SPAWN_KILL_AFTER	5

/* How spawn_wait() saw a child end. */
enum spawn_end {
	SPAWN_EXITED,		/* by itself (or another's signal) */
	SPAWN_TERMINATED,	/* out of time, after SIGTERM */
	SPAWN_KILLED		/* out of time, SIGKILL at last */
};

/*
 * Wait for pid; *status is its exit status, 128+N for signal N.  With a
 * timeout in seconds (0: none), a child still running then is sent
 * SIGTERM, and SIGKILL SPAWN_KILL_AFTER seconds later.  Returns how it
 * ended, or -1 with errno: EINTR when a signal the caller catches
 * arrived (to pass it on, say; calling again waits again, the time
 * afresh).
 */
int	 spawn_wait(pid_t, unsigned, int *);

/* A waitpid(2) status as an exit status: 128+N for signal N. */
int	 spawn_status(int);

/* Whether spawn() would find name: a path, or an executable on PATH. */
int	 prog_found(const char *);

/* Free a NULL-terminated argv of allocated strings (NULL: nothing). */
void	 argv_free(char **);

#endif

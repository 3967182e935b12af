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

static long long	 now_ns(void);

int
spawn(char *const argv[], const struct spawn_opts *o, pid_t *pid)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	sigset_t def;
	int e, sig;

	posix_spawn_file_actions_init(&fa);
	if (o->null_stdin)
		posix_spawn_file_actions_addopen(&fa, 0, "/dev/null",
		    O_RDONLY, 0);
	if (o->out >= 0) {
		posix_spawn_file_actions_adddup2(&fa, o->out, 1);
		posix_spawn_file_actions_adddup2(&fa, o->out, 2);
	}
	posix_spawnattr_init(&at);
	sigemptyset(&def);
	sigaddset(&def, SIGPIPE);
	sigaddset(&def, SIGCHLD);
	for (sig = 1; o->sigdfl != NULL && sig < NSIG; sig++)
		if (sigismember(o->sigdfl, sig) == 1)
			sigaddset(&def, sig);
	posix_spawnattr_setsigdefault(&at, &def);
	posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGDEF);
	fflush(stdout);
	fflush(stderr);
	e = posix_spawnp(pid, argv[0], &fa, &at, argv, environ);
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

static long long
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
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
	int st, end = SPAWN_EXITED;
	pid_t r;

	if (timeout > 0)
		deadline = now_ns() + (long long)timeout * 1000000000LL;
	for (;;) {
		r = waitpid(pid, &st, deadline != 0 ? WNOHANG : 0);
		if (r == pid)
			break;
		if (r == -1)
			return -1;
		if ((left = deadline - now_ns()) <= 0) {
			if (end == SPAWN_EXITED) {
				kill(pid, SIGTERM);
				end = SPAWN_TERMINATED;
				deadline = now_ns() +
				    SPAWN_KILL_AFTER * 1000000000LL;
			} else {
				kill(pid, SIGKILL);
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

/*
 * Unit tests of lib/spawn.c: exit statuses, a program that cannot be
 * started told from one that exits 127, output to a given fd, the time
 * limit of spawn_wait().
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lib/spawn.h"
#include "unit.h"

static double	 now(void);
static int	 run(char *const [], unsigned, int *, double *);

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Spawn argv and wait for it: how it ended, its status, the seconds. */
static int
run(char *const argv[], unsigned timeout, int *status, double *took)
{
	struct spawn_opts so = { 1, -1, NULL, 0 };
	double t0 = now();
	pid_t pid;
	int e, r;

	*status = -2;
	if ((e = spawn(argv, &so, &pid)) != 0)
		return -100 - e;
	r = spawn_wait(pid, timeout, status);
	*took = now() - t0;
	return r;
}

int
main(void)
{
	char *exit3[] = { "sh", "-c", "exit 3", NULL };
	char *exit127[] = { "sh", "-c", "exit 127", NULL };
	char *killed[] = { "sh", "-c", "kill -9 $$", NULL };
	char *missing[] = { "no-such-program-here", NULL };
	char *hang[] = { "sleep", "10", NULL };
	char *echo[] = { "echo", "hello", NULL };
	struct spawn_opts so = { 1, -1, NULL, 0 };
	char buf[32];
	double took;
	int st, r, fd[2];
	ssize_t n;
	pid_t pid;

	CHECK("exit status", run(exit3, 0, &st, &took) == SPAWN_EXITED &&
	    st == 3);
	CHECK("127 of its own is an exit status",
	    run(exit127, 0, &st, &took) == SPAWN_EXITED && st == 127);
	CHECK("signal: 128+N", run(killed, 5, &st, &took) == SPAWN_EXITED &&
	    st == 128 + SIGKILL);
	CHECK("missing program: ENOENT, no child",
	    run(missing, 0, &st, &took) == -100 - ENOENT && st == -2);
	CHECK("prog_found", prog_found("sh") && !prog_found(missing[0]) &&
	    !prog_found("/nonexistent/sh"));

	r = run(hang, 1, &st, &took);
	CHECK("out of time: SIGTERM after 1 s", r == SPAWN_TERMINATED &&
	    st == 128 + SIGTERM && took >= 0.9 && took < 3);

	if (pipe(fd) == 0) {
		so.out = fd[1];
		r = spawn(echo, &so, &pid);
		close(fd[1]);
		n = r == 0 ? read(fd[0], buf, sizeof(buf) - 1) : -1;
		buf[n > 0 ? n : 0] = '\0';
		close(fd[0]);
		CHECK("stdout to the fd given", r == 0 &&
		    strcmp(buf, "hello\n") == 0 &&
		    spawn_wait(pid, 0, &st) == SPAWN_EXITED && st == 0);
	}
	return unit_result();
}

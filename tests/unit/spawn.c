/*
 * Unit tests of lib/spawn.c: exit statuses, a program that cannot be
 * started told from one that exits 127, output to a given fd, the time
 * limit of spawn_wait().
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lib/spawn.h"
#include "unit.h"

static double	 now(void);
static int	 run(char *const [], unsigned, int *, double *);
static int	 alive(pid_t);
static int	 grandchild_ends(int);

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

/* Running, not a zombie. */
static int
alive(pid_t pid)
{
	char path[64], line[256], *p;
	FILE *f;
	int r = 0;

	snprintf(path, sizeof(path), "/proc/%ld/stat", (long)pid);
	if ((f = fopen(path, "r")) == NULL)
		return 0;
	if (fgets(line, sizeof(line), f) != NULL &&
	    (p = strrchr(line, ')')) != NULL)
		r = p[1] == ' ' && p[2] != 'Z' && p[2] != 'X';
	fclose(f);
	return r;
}

/*
 * A child that starts a grandchild ignoring SIGTERM, tells its PID and
 * waits: ended by spawn_wait's time limit (1 s), or by spawn_end_all().
 * Whether the grandchild is gone within 5 s after.
 */
static int
grandchild_ends(int end_all)
{
	char *argv[] = { "sh", "-c", "sh -c 'trap \"\" TERM; exec sleep 100' "
	    "& echo $!; wait", NULL };
	struct spawn_opts so = { 1, -1, NULL, 0 };
	char buf[32];
	long gc = 0;
	ssize_t n;
	pid_t pid;
	int fd[2], st, i;

	if (pipe(fd) == -1)
		return 0;
	so.out = fd[1];
	if (spawn(argv, &so, &pid) != 0) {
		close(fd[0]);
		close(fd[1]);
		return 0;
	}
	close(fd[1]);
	n = read(fd[0], buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = '\0';
	close(fd[0]);
	gc = strtol(buf, NULL, 10);
	if (end_all)
		spawn_end_all();
	else if (spawn_wait(pid, 1, &st) != SPAWN_TERMINATED)
		return 0;
	for (i = 0; i < 50 && gc > 0 && alive((pid_t)gc); i++)
		usleep(100000);
	return gc > 0 && !alive((pid_t)gc);
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

	/* Its own group; out of time, what it started ends with it. */
	if (pipe(fd) == 0) {
		char *pg[] = { "sh", "-c", "ps -o pgid= -p $$", NULL };
		long pgid = 0;

		so.out = fd[1];
		so.null_stderr = 1;
		r = spawn(pg, &so, &pid);
		close(fd[1]);
		n = r == 0 ? read(fd[0], buf, sizeof(buf) - 1) : -1;
		buf[n > 0 ? n : 0] = '\0';
		close(fd[0]);
		if (r == 0 && spawn_wait(pid, 0, &st) == SPAWN_EXITED)
			pgid = strtol(buf, NULL, 10);
		CHECK("a process group of its own", r == 0 && pgid == pid &&
		    pgid != getpgrp());
	}
	CHECK("out of time: its child that ignores SIGTERM is killed too",
	    grandchild_ends(0));
	CHECK("spawn_end_all: every group ends", grandchild_ends(1));
	return unit_result();
}

/*
 * measure.c -- time a command the way the benchmark needs it.
 *
 *	measure [-r RUNS] [-p PREP] [-o FILE] -- COMMAND [ARG...]
 *
 * Runs COMMAND RUNS times (default 5) with fork, execvp and wait4, its
 * output to FILE (default /dev/null).  PREP, when given, is a shell
 * command run before each run and outside the timed region (e.g. copy a
 * fresh tree).  Prints one line: the median wall time in milliseconds,
 * the largest peak RSS of COMMAND in kB (ru_maxrss of wait4, the child
 * alone), and the exit status of the last run (128+N for a signal N).
 */
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAXRUNS	100

static double	 now_ms(void);
static int	 cmp_d(const void *, const void *);
static int	 status_of(int);

static double
now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static int
cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static int
status_of(int st)
{
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	return 128 + WTERMSIG(st);
}

int
main(int argc, char *argv[])
{
	const char *prep = NULL, *out = "/dev/null";
	double t[MAXRUNS], t0, med;
	long rss = 0;
	int runs = 5, c, i, st = 0, fd;
	struct rusage ru;
	pid_t pid;

	while ((c = getopt(argc, argv, "o:p:r:")) != -1)
		switch (c) {
		case 'o':
			out = optarg;
			break;
		case 'p':
			prep = optarg;
			break;
		case 'r':
			runs = atoi(optarg);
			break;
		default:
			goto usage;
		}
	if (optind >= argc || runs < 1 || runs > MAXRUNS)
		goto usage;
	for (i = 0; i < runs; i++) {
		if (prep != NULL && (st = system(prep)) != 0) {
			fprintf(stderr, "measure: prep failed: %s\n", prep);
			return 1;
		}
		t0 = now_ms();
		if ((pid = fork()) == -1) {
			perror("measure: fork");
			return 1;
		}
		if (pid == 0) {
			fd = open(out, O_WRONLY | O_CREAT | O_APPEND, 0644);
			if (fd == -1) {
				perror(out);
				_exit(126);
			}
			dup2(fd, 1);
			dup2(fd, 2);
			close(fd);
			execvp(argv[optind], argv + optind);
			perror(argv[optind]);
			_exit(127);
		}
		if (wait4(pid, &st, 0, &ru) == -1) {
			perror("measure: wait4");
			return 1;
		}
		t[i] = now_ms() - t0;
		if (ru.ru_maxrss > rss)
			rss = ru.ru_maxrss;
	}
	qsort(t, (size_t)runs, sizeof(t[0]), cmp_d);
	med = runs % 2 ? t[runs / 2] : (t[runs / 2 - 1] + t[runs / 2]) / 2;
	printf("%.1f %ld %d\n", med, rss, status_of(st));
	return 0;
usage:
	fputs("usage: measure [-r RUNS] [-p PREP] [-o FILE] -- COMMAND "
	    "[ARG...]\n", stderr);
	return 1;
}

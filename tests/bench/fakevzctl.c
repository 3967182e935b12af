/*
 * fakevzctl.c -- a stand-in vzctl for the benchmark: does nothing, takes
 * $BENCH_VZCTL_MS milliseconds to do it, succeeds.  A C binary, so that
 * the benchmark measures vzmem and not a shell starting.  With
 * $BENCH_VZCTL_LOG set, appends its CTID (argv[2]) there, one a line.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int
main(int argc, char *argv[])
{
	const char *s = getenv("BENCH_VZCTL_MS");
	const char *log = getenv("BENCH_VZCTL_LOG");
	struct timespec t;
	long ms;
	int fd;

	if (log != NULL && argc > 2 &&
	    (fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0644)) != -1) {
		char line[512];
		size_t n = strlen(argv[2]) < 500 ? strlen(argv[2]) : 500;

		memcpy(line, argv[2], n);
		line[n] = '\n';
		if (write(fd, line, n + 1) == -1)
			return 1;
		close(fd);
	}

	if (s == NULL || (ms = strtol(s, NULL, 10)) <= 0)
		return 0;
	t.tv_sec = ms / 1000;
	t.tv_nsec = (ms % 1000) * 1000000L;
	while (nanosleep(&t, &t) == -1 && errno == EINTR)
		continue;
	return 0;
}

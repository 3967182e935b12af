/*
 * version.c -- which OpenVZ this is: 7 (vzctl 7 on libvzctl, the memory
 * cgroup and vcmmd) or the vzctl 4 of legacy kernels.  --openvz says so,
 * else the first line of `vzctl --version`: vzctl 7 prints "vzctl
 * v.7.0.254" (vzctl/src/vz.c:339 on vz7-u22), vzctl 4 "vzctl version
 * 4.11.1"; doc/openvz7.md has the sources.
 *
 * Asked once per process, whatever the number of worlds read (-a reads
 * the host twice, the second time under the lock), and before the lock
 * (the kind's open asks): nothing under the lock waits on it.  Bounded
 * in time: a vzctl that hangs on --version is ended with its group.
 * Only its stdout counts: a vzctl 7 that warns on stderr first is still
 * vzctl 7.
 */
#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lib/spawn.h"
#include "openvz.h"

#define ASK_MAX_SECONDS	10	/* --timeout's, at most this */
#define LINE_MAX_SAID	200	/* what is kept of its first line */

/* The answer, for the whole process. */
static struct {
	int		 asked;
	unsigned	 major;		/* 0: none recognised */
	char		*line;		/* its first line, or NULL */
	const char	*note;		/* why it is taken as 4, or NULL */
} probe;

static int	 read_line(int, char *, size_t *, long long);
static int	 end_child(pid_t, long long);
static char	*first_line(const char *, unsigned, int *);
static void	 ask(const struct opts *);

unsigned
vzctl_major(const char *line)
{
	static const char *const forms[] = { "vzctl v.", "vzctl version " };
	unsigned long v;
	size_t i, n;
	char *end;

	for (i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		n = strlen(forms[i]);
		if (strncmp(line, forms[i], n) != 0 || line[n] < '0' ||
		    line[n] > '9')
			continue;
		v = strtoul(line + n, &end, 10);
		if (*end == '.' && v > 0 && v < 100)
			return (unsigned)v;
	}
	return 0;
}

/*
 * Read fd into line (room for LINE_MAX_SAID) until a newline, its end
 * or the deadline: 0, or -1 when the time ran out first.
 */
static int
read_line(int fd, char *line, size_t *len, long long deadline)
{
	struct pollfd pfd = { fd, POLLIN, 0 };
	long long left;
	ssize_t n;
	int r;

	while (*len < LINE_MAX_SAID && memchr(line, '\n', *len) == NULL) {
		if ((left = deadline - now_ns()) <= 0)
			return -1;
		r = poll(&pfd, 1, (int)((left + 999999) / 1000000));
		if (r == -1 && errno == EINTR)
			continue;
		if (r == 0)
			return -1;
		if (r == -1)
			return 0;	/* nothing more to read */
		n = read(fd, line + *len, LINE_MAX_SAID - *len);
		if (n == -1 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n <= 0)
			return 0;
		*len += (size_t)n;
	}
	return 0;
}

/*
 * The child exits by the deadline, or its group is killed; reaped, and
 * what it left running ends with it.  0, or -1 when it was killed.
 */
static int
end_child(pid_t pid, long long deadline)
{
	struct timespec look = { 0, 1000000L };	/* from 1 ms */
	int st, killed = 0;
	pid_t r;

	for (;;) {
		r = spawn_waitpid(pid, &st, WNOHANG | SPAWN_END_GROUP);
		if (r != 0)
			break;
		if (!killed && now_ns() >= deadline) {
			spawn_kill(pid, SIGKILL);
			killed = 1;
		}
		if (nanosleep(&look, NULL) == 0 && look.tv_nsec < 50000000L)
			look.tv_nsec *= 2;
	}
	return killed ? -1 : 0;
}

/*
 * The first line vzctl --version prints on stdout (stderr goes to
 * /dev/null), or NULL: not run, or no line.  *late when it did not
 * answer within secs.
 */
static char *
first_line(const char *vzctl, unsigned secs, int *late)
{
	char *argv[] = { (char *)vzctl, "--version", NULL };
	struct spawn_opts so = { 1, -1, NULL, 1 };
	char line[LINE_MAX_SAID + 1];
	long long deadline;
	size_t len = 0;
	pid_t pid;
	int fd[2], i;

	*late = 0;
	if (!prog_found(vzctl) || pipe(fd) == -1)
		return NULL;
	for (i = 0; i < 2; i++)
		if (fcntl(fd[i], F_SETFD, FD_CLOEXEC) == -1) {
			close(fd[0]);
			close(fd[1]);
			return NULL;
		}
	so.out = fd[1];
	deadline = now_ns() + (long long)secs * NS_PER_S;
	if (spawn(argv, &so, &pid) != 0) {
		close(fd[0]);
		close(fd[1]);
		return NULL;
	}
	close(fd[1]);
	*late = read_line(fd[0], line, &len, deadline) == -1;
	close(fd[0]);
	/* A line, yet still running: it has the rest of the time. */
	if (end_child(pid, deadline) == -1 && len == 0)
		*late = 1;
	if (*late)
		return NULL;
	line[len] = '\0';
	line[strcspn(line, "\n")] = '\0';
	return xstrdup(line);
}

static void
ask(const struct opts *o)
{
	const char *vzctl = vzctl_to_run(o);
	unsigned secs;
	int late;

	probe.asked = 1;
	if (vzctl == NULL) {
		probe.note = "--root without --vzctl: taken as 4";
		return;
	}
	secs = o->timeout == 0 || o->timeout > ASK_MAX_SECONDS ?
	    ASK_MAX_SECONDS : o->timeout;
	probe.line = first_line(vzctl, secs, &late);
	if (late) {
		vz_warn(vzctl, 0, 0, "'%s --version' did not answer within "
		    "%u s: taken as OpenVZ 4; say which with --openvz 4 or 7",
		    vzctl, secs);
		probe.note = "vzctl did not answer: taken as 4";
	} else if (probe.line == NULL)
		probe.note = "no vzctl to ask: taken as 4";
	else if ((probe.major = vzctl_major(probe.line)) == 0) {
		vz_warn(vzctl, 0, 0, "unknown vzctl version output '%s': "
		    "taken as OpenVZ 4; say which with --openvz 4 or 7",
		    probe.line);
		probe.note = "unknown vzctl version output: taken as 4";
	}
}

unsigned
ovz_version(struct ovz *z)
{
	if (z->version != 0)
		return z->version;
	if (z->o->openvz != 0)
		return z->version = z->o->openvz;
	if (!probe.asked)
		ask(z->o);
	if (probe.major != 0 && probe.line != NULL)
		z->vzctl_said = xstrdup(probe.line);
	z->version_note = probe.note;
	/* No vzctl, or one that says something else: the legacy rules,
	 * which are the stricter ones. */
	z->version = probe.major >= 7 ? 7 : 4;
	return z->version;
}

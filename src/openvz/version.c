/*
 * version.c -- which OpenVZ this is: 7 (vzctl 7 on libvzctl, the memory
 * cgroup and vcmmd) or the vzctl 4 of legacy kernels.  --openvz says so,
 * else the first line of `vzctl --version`, asked once: vzctl 7 prints
 * "vzctl v.7.0.254" (vzctl/src/vz.c:339 on vz7-u22), vzctl 4 "vzctl
 * version 4.11.1"; doc/openvz7.md has the sources.
 */
#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/spawn.h"
#include "openvz.h"

#define ASK_SECONDS	10	/* a vzctl that hangs on --version */
#define LINE_MAX_SAID	200	/* what is kept of its first line */

static char	*first_line(const char *);

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

/* The first line vzctl --version prints, or NULL (not run, no line). */
static char *
first_line(const char *vzctl)
{
	char *argv[] = { (char *)vzctl, "--version", NULL };
	struct spawn_opts so = { 1, -1, NULL, 0 };
	char line[LINE_MAX_SAID + 1];
	size_t len = 0;
	ssize_t n;
	pid_t pid;
	int fd[2], st;

	if (!prog_found(vzctl) || pipe(fd) == -1)
		return NULL;
	fcntl(fd[0], F_SETFD, FD_CLOEXEC);
	fcntl(fd[1], F_SETFD, FD_CLOEXEC);
	so.out = fd[1];
	if (spawn(argv, &so, &pid) != 0) {
		close(fd[0]);
		close(fd[1]);
		return NULL;
	}
	close(fd[1]);
	while (len < LINE_MAX_SAID && (n = read(fd[0], line + len,
	    LINE_MAX_SAID - len)) != 0) {
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			break;
		len += (size_t)n;
		if (memchr(line, '\n', len) != NULL)
			break;
	}
	close(fd[0]);
	while (spawn_wait(pid, ASK_SECONDS, &st) == -1 && errno == EINTR)
		continue;
	line[len] = '\0';
	line[strcspn(line, "\n")] = '\0';
	return len > 0 ? xstrdup(line) : NULL;
}

unsigned
ovz_version(struct ovz *z)
{
	unsigned v;

	if (z->version != 0)
		return z->version;
	if (z->o->openvz != 0)
		return z->version = z->o->openvz;
	z->vzctl_said = first_line(vzctl_name(z->o));
	v = z->vzctl_said != NULL ? vzctl_major(z->vzctl_said) : 0;
	/* No vzctl, or one that says something else: the legacy rules,
	 * which are the stricter ones. */
	z->version = v >= 7 ? 7 : 4;
	return z->version;
}

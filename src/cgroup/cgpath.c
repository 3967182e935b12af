/*
 * cgpath.c -- the cgroup paths a map may name, and opening one from the
 * mount a component at a time, refusing links on the way.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cgroup/cgfs.h"
#include "cgroup/cgfile.h"

#define COMPONENT_MAX	255		/* NAME_MAX */
#define PATH_LEN_MAX	4095		/* PATH_MAX less the NUL */

static int	 component_ok(const char *, size_t);
static void	 walk_refused(int, const char *, int, struct cg_walk *);

static int
component_ok(const char *s, size_t len)
{
	size_t i;

	if (len == 0 || len > COMPONENT_MAX || (len == 1 && s[0] == '.') ||
	    (len == 2 && s[0] == '.' && s[1] == '.'))
		return 0;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || c == '.' || c == '_' ||
		    c == '@' || c == ':' || c == '\\' || c == '-'))
			return 0;
	}
	return 1;
}

int
cg_path_valid(const char *s, size_t len)
{
	const char *slash;
	size_t n;

	if (len == 0 || len > PATH_LEN_MAX)
		return 0;
	/* A leading, trailing or doubled '/' is an empty component. */
	for (;;) {
		slash = memchr(s, '/', len);
		n = slash != NULL ? (size_t)(slash - s) : len;
		if (!component_ok(s, n))
			return 0;
		if (slash == NULL)
			return 1;
		s += n + 1;
		len -= n + 1;
		if (len == 0)
			return 0;
	}
}

char *
cg_parent_path(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash != NULL ? xstrndup(path, (size_t)(slash - path)) :
	    xstrdup("");
}

/* Why component name (in the directory dfd) could not be opened, the
 * error err: a link, a file, or err itself. */
static void
walk_refused(int dfd, const char *name, int err, struct cg_walk *wk)
{
	struct stat st;

	wk->refused = CG_REF_ERRNO;
	wk->err = err;
	if (err == ENOENT) {
		wk->refused = CG_REF_NONE;
		return;
	}
	if (err != ENOTDIR && err != ELOOP)
		return;
	if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) == -1) {
		if (errno == ENOENT)
			wk->refused = CG_REF_NONE;
		return;
	}
	wk->refused = S_ISLNK(st.st_mode) ? CG_REF_LINK : S_ISREG(st.st_mode) ?
	    CG_REF_FILE : S_ISDIR(st.st_mode) ? CG_REF_ERRNO : CG_REF_OTHER;
}

int
cg_dir_open(int mfd, const char *path, struct cg_walk *wk)
{
	char *copy, *comp, *slash;
	int fd, next, e;

	memset(wk, 0, sizeof(*wk));
	if (mfd < 0) {
		wk->refused = CG_REF_ERRNO;
		wk->err = errno = EBADF;
		return -1;
	}
	if (path[0] == '\0')
		return openat(mfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	copy = xstrdup(path);
	fd = mfd;
	for (comp = copy; comp != NULL; comp = slash) {
		if ((slash = strchr(comp, '/')) != NULL)
			*slash++ = '\0';
		next = openat(fd, comp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
		    O_CLOEXEC);
		if (next == -1) {
			e = errno;
			walk_refused(fd, comp, e, wk);
			wk->len = (size_t)(comp - copy) + strlen(comp);
			if (fd != mfd)
				close(fd);
			free(copy);
			errno = e;
			return -1;
		}
		if (fd != mfd)
			close(fd);
		fd = next;
	}
	free(copy);
	return fd;
}

const char *
cg_refused_what(const struct cg_walk *wk)
{
	switch (wk->refused) {
	case CG_REF_LINK:
		return "a symbolic link";
	case CG_REF_FILE:
		return "a regular file";
	case CG_REF_OTHER:
		return "not a directory";
	case CG_REF_ERRNO:
		return strerror(wk->err);
	default:
		return "not there";
	}
}

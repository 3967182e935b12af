/*
 * file.c -- reading whole files, and replacing the files vzmem writes
 * through one descriptor of their directory (file.h, SPEC 5c).
 */
#include <sys/random.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lib/alloc.h"
#include "lib/buf.h"
#include "lib/file.h"
#include "lib/msg.h"
#include "lib/tmpfile.h"

static int	 link_trusted(int);
static int	 next_comp(struct buf *, struct buf *);
static void	 splice_link(struct buf *, const char *);
static int	 dir_step(int *, const char *, struct buf *, const char *,
		    int *, char **);
static int	 refuse(struct ofile *, char *);
static int	 fail(struct ofile *);
static const char *type_name(mode_t);
static void	 temp_letters(char *);
static int	 open_in(struct ofile *, int, const char *, const char *,
		    int);
static int	 check_file(struct ofile *);
static int	 temp_fill(struct ofile *, int, const void *, size_t, mode_t,
		    const struct stat *);

/*
 * A regular file is read into a buffer of the size fstat gives (a map of
 * 100,000 rows is 9 MB: doubling would leave it in 16 MB).  The size is
 * only a hint, as the file may change meanwhile: read() may also fill the
 * byte kept for the NUL, so a file of the size it claims ends with a
 * read of 0 there, and one that grew goes on with doubling.  /proc files
 * (st_size 0) and pipes grow by doubling from the first READ_STEP, and
 * their buffer is trimmed to within a page of the text afterwards.
 */
#define READ_STEP	4096

int
file_read(const char *path, struct buf *b)
{
	return file_read_at(AT_FDCWD, path, b);
}

int
file_read_at(int dirfd, const char *path, struct buf *b)
{
	int fd, r, e;

	if ((fd = openat(dirfd, path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)) == -1)
		return -1;
	r = file_read_fd(fd, b);
	e = errno;
	close(fd);
	errno = e;
	return r;
}

int
file_read_fd(int fd, struct buf *b)
{
	struct stat st;
	ssize_t n;
	int e;

	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
	    (uintmax_t)st.st_size < SIZE_MAX / 2)
		buf_reserve(b, (size_t)st.st_size);
	for (;;) {
		if (b->data == NULL || b->len == b->cap)
			buf_grow(b, READ_STEP);
		n = read(fd, b->data + b->len, b->cap - b->len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		b->len += (size_t)n;
	}
	e = errno;
	/* Every read had room left before it: the NUL fits. */
	b->data[b->len] = '\0';
	if (n == -1) {
		errno = e;
		return -1;
	}
	if (b->cap - b->len > READ_STEP) {
		b->data = xreallocarray(b->data, b->len + 1, 1);
		b->cap = b->len + 1;
	}
	return 0;
}

int
write_all(int fd, const void *p, size_t n)
{
	const char *s = p;
	ssize_t w;

	while (n > 0) {
		w = write(fd, s, n);
		if (w == -1 && errno == EINTR)
			continue;
		if (w == 0)
			errno = EIO;
		if (w <= 0)
			return -1;
		s += w;
		n -= (size_t)w;
	}
	return 0;
}

/*
 * A link in dirfd is followed only when root alone can have made it:
 * the directory owned by root and writable by no one else.
 */
static int
link_trusted(int dirfd)
{
	struct stat st;

	return fstat(dirfd, &st) == 0 && st.st_uid == 0 &&
	    (st.st_mode & (S_IWGRP | S_IWOTH)) == 0;
}

#define LINK_HOPS	40	/* as the kernel's MAXSYMLINKS */

/* The first component of rest cut off into comp: 0, or 1 when rest has
 * none left. */
static int
next_comp(struct buf *rest, struct buf *comp)
{
	size_t skip = strspn(rest->data, "/"), n;

	n = strcspn(rest->data + skip, "/");
	comp->len = 0;
	buf_add(comp, rest->data + skip, n);
	memmove(rest->data, rest->data + skip + n, rest->len - skip - n + 1);
	rest->len -= skip + n;
	return n == 0;
}

/* rest is now link's target followed by what was left of it. */
static void
splice_link(struct buf *rest, const char *link)
{
	struct buf b = { NULL, 0, 0 };

	buf_addstr(&b, link);
	buf_addc(&b, '/');
	buf_add(&b, rest->data, rest->len);
	buf_free(rest);
	*rest = b;
}

/*
 * One component comp, from *cur, which it then replaces (a directory),
 * or whose link target is spliced in front of rest.  done: the path
 * walked, for messages.  0, or -1 with errno (*why for a refused link).
 */
static int
dir_step(int *cur, const char *comp, struct buf *rest, const char *done,
    int *hops, char **why)
{
	char link[PATH_MAX];
	struct stat st;
	ssize_t len;
	int fd;

	fd = openat(*cur, comp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC);
	if (fd != -1) {
		close(*cur);
		*cur = fd;
		return 0;
	}
	if ((errno != ELOOP && errno != ENOTDIR) ||
	    fstatat(*cur, comp, &st, AT_SYMLINK_NOFOLLOW) == -1 ||
	    !S_ISLNK(st.st_mode))
		return -1;
	if (!link_trusted(*cur)) {
		if (why != NULL)
			*why = xasprintf("%s is a symbolic link in a "
			    "directory others can write: not followed", done);
		errno = ELOOP;
		return -1;
	}
	if (++*hops > LINK_HOPS) {
		errno = ELOOP;
		return -1;
	}
	if ((len = readlinkat(*cur, comp, link, sizeof(link) - 1)) <= 0)
		return -1;
	link[len] = '\0';
	splice_link(rest, link);
	if (link[0] == '/') {
		if ((fd = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) ==
		    -1)
			return -1;
		close(*cur);
		*cur = fd;
	}
	return 0;
}

int
dir_open(const char *path, char **why)
{
	struct buf rest = { NULL, 0, 0 }, comp = { NULL, 0, 0 };
	struct buf done = { NULL, 0, 0 };
	int cur, r = 0, hops = 0, e;

	if (why != NULL)
		*why = NULL;
	if (*path == '\0') {
		errno = ENOENT;
		return -1;
	}
	if ((cur = open(*path == '/' ? "/" : ".", O_RDONLY | O_DIRECTORY |
	    O_CLOEXEC)) == -1)
		return -1;
	buf_addstr(&rest, path);
	buf_addstr(&done, *path == '/' ? "/" : "");
	while (r == 0 && next_comp(&rest, &comp) == 0) {
		if (done.len > 0 && done.data[done.len - 1] != '/')
			buf_addc(&done, '/');
		buf_addstr(&done, comp.data);
		r = dir_step(&cur, comp.data, &rest, done.data, &hops, why);
	}
	e = errno;
	buf_free(&rest);
	buf_free(&comp);
	buf_free(&done);
	if (r == -1) {
		close(cur);
		errno = e;
		return -1;
	}
	return cur;
}

/* of refused for why (allocated): -1, of closed but for why. */
static int
refuse(struct ofile *of, char *why)
{
	char *keep = why;

	of->why = NULL;
	file_close(of);
	of->why = keep;
	of->err = 0;
	return -1;
}

/* A failure with errno: -1, of closed but for errno. */
static int
fail(struct ofile *of)
{
	int e = errno;

	file_close(of);
	of->err = e;
	errno = e;
	return -1;
}

static const char *
type_name(mode_t m)
{
	if (S_ISDIR(m))
		return "a directory";
	if (S_ISFIFO(m))
		return "a FIFO";
	if (S_ISSOCK(m))
		return "a socket";
	if (S_ISCHR(m) || S_ISBLK(m))
		return "a device";
	return "not a regular file";
}

/*
 * What the descriptor is, not what the path was: a regular file, and in
 * a directory someone other than root may write (its owner, a group,
 * anyone), owned by root or by that directory's owner (another user's
 * file planted there is not written for them).
 */
static int
check_file(struct ofile *of)
{
	int flags;

	if (fstat(of->fd, &of->st) == -1)
		return fail(of);
	if (!S_ISREG(of->st.st_mode))
		return refuse(of, xasprintf("%s, not a regular file: not "
		    "written", type_name(of->st.st_mode)));
	if ((of->dst.st_uid != 0 ||
	    (of->dst.st_mode & (S_IWGRP | S_IWOTH)) != 0) &&
	    of->st.st_uid != 0 && of->st.st_uid != of->dst.st_uid)
		return refuse(of, xasprintf("owned by uid %lu, neither root "
		    "nor the owner of its directory (uid %lu): not written",
		    (unsigned long)of->st.st_uid,
		    (unsigned long)of->dst.st_uid));
	/* Opened without blocking; read and written as usual. */
	if ((flags = fcntl(of->fd, F_GETFL)) == -1 ||
	    fcntl(of->fd, F_SETFL, flags & ~O_NONBLOCK) == -1)
		return fail(of);
	return 0;
}

/* name in dirfd (which of takes over), path its name in messages. */
static int
open_in(struct ofile *of, int dirfd, const char *path, const char *name,
    int flags)
{
	memset(of, 0, sizeof(*of));
	of->dirfd = dirfd;
	of->fd = -1;
	of->name = xstrdup(name);
	of->path = xstrdup(path);
	if (fstat(dirfd, &of->dst) == -1)
		return fail(of);
	of->fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK |
	    O_NOCTTY | O_CLOEXEC);
	if (of->fd == -1 && errno == ENOENT && (flags & OF_MISSING_OK))
		return 0;
	if (of->fd == -1 && errno == ELOOP)
		return refuse(of, xstrdup("a symbolic link, which vzmem does "
		    "not follow"));
	if (of->fd == -1)
		return fail(of);
	return check_file(of);
}

int
file_open(struct ofile *of, const char *path, int flags)
{
	const char *slash = strrchr(path, '/'), *name;
	char *dir, *why;
	int dfd;

	if (slash == NULL) {
		dir = xstrdup(".");
		name = path;
	} else {
		dir = xstrndup(path, slash == path ? 1 : (size_t)(slash - path));
		name = slash + 1;
	}
	dfd = dir_open(dir, &why);
	free(dir);
	if (dfd == -1) {
		int e = errno;

		memset(of, 0, sizeof(*of));
		of->dirfd = of->fd = -1;
		of->why = why;
		of->err = e;
		errno = e;
		return -1;
	}
	return open_in(of, dfd, path, name, flags);
}

int
file_open_at(struct ofile *of, int dirfd, const char *dir, const char *name,
    int flags)
{
	char *path = xasprintf("%s/%s", dir, name);
	int dfd, r;

	if ((dfd = fcntl(dirfd, F_DUPFD_CLOEXEC, 0)) == -1) {
		memset(of, 0, sizeof(*of));
		of->dirfd = of->fd = -1;
		of->err = errno;
		free(path);
		return -1;
	}
	r = open_in(of, dfd, path, name, flags);
	free(path);
	return r;
}

int
file_load(struct ofile *of, struct buf *b)
{
	if (of->fd == -1) {
		buf_add(b, "", 0);
		return 0;
	}
	if (file_read_fd(of->fd, b) == -1) {
		of->err = errno;
		return -1;
	}
	return 0;
}

/* Six letters or digits for a temp name: getrandom, else the clock. */
static void
temp_letters(char *p)
{
	static const char set[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789";
	static uint32_t mix;
	unsigned char r[6];
	struct timespec ts;
	size_t i;

	if (getrandom(r, sizeof(r), GRND_NONBLOCK) != (ssize_t)sizeof(r)) {
		clock_gettime(CLOCK_MONOTONIC, &ts);
		mix = mix * 1103515245u + (uint32_t)ts.tv_nsec +
		    (uint32_t)getpid();
		for (i = 0; i < sizeof(r); i++) {
			mix = mix * 1103515245u + 12345u;
			r[i] = (unsigned char)(mix >> 16);
		}
	}
	for (i = 0; i < sizeof(r); i++)
		p[i] = set[r[i] % (sizeof(set) - 1)];
}

int
file_temp(int dirfd, const char *base, char **tmp)
{
	int fd = -1, tries, e;
	char *t;

	t = xasprintf(".%s.vzmem-tmp-XXXXXX", base);
	for (tries = 0; tries < 100 && fd == -1; tries++) {
		temp_letters(t + strlen(t) - 6);
		fd = openat(dirfd, t, O_WRONLY | O_CREAT | O_EXCL |
		    O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd == -1 && errno != EEXIST)
			break;
	}
	if (fd == -1) {
		e = errno;
		free(t);
		errno = e;
		return -1;
	}
	if (temp_register_at(dirfd, t) == -1) {
		unlinkat(dirfd, t, 0);
		close(fd);
		free(t);
		errno = EMFILE;
		return -1;
	}
	*tmp = t;
	return fd;
}

/* The temp's owner and mode (like, else the file's, else newmode), and
 * its bytes, synced: 0, or -1 with errno. */
static int
temp_fill(struct ofile *of, int fd, const void *data, size_t len,
    mode_t newmode, const struct stat *like)
{
	if (like == NULL && of->fd != -1)
		like = &of->st;
	if (like != NULL) {
		/* fchown fails harmlessly as non-root when the owner is
		 * already ours. */
		if (fchown(fd, like->st_uid, like->st_gid) == -1 &&
		    geteuid() == 0)
			return -1;
		if (fchmod(fd, like->st_mode & 07777) == -1)
			return -1;
	} else if (fchmod(fd, newmode) == -1)
		return -1;
	if (write_all(fd, data, len) == -1 || fsync(fd) == -1)
		return -1;
	return 0;
}

int
file_save(struct ofile *of, const void *data, size_t len, mode_t newmode,
    const struct stat *like, int flags)
{
	char *tmp;
	int fd, e;

	free(of->why);
	of->why = NULL;
	if ((fd = file_temp(of->dirfd, of->name, &tmp)) == -1) {
		of->err = errno;
		return -1;
	}
	if (temp_fill(of, fd, data, len, newmode, like) == -1) {
		e = errno;
		close(fd);
		goto fail;
	}
	if (close(fd) == -1) {
		e = errno;
		goto fail;
	}
	if (renameat(of->dirfd, tmp, of->dirfd, of->name) == -1) {
		e = errno;
		goto fail;
	}
	temp_unregister(tmp);
	free(tmp);
	if (!(flags & OF_NO_DIRSYNC) && fsync_fd_dir(of->dirfd) == -1) {
		of->err = errno;
		return -1;
	}
	return 0;
fail:
	unlinkat(of->dirfd, tmp, 0);
	temp_unregister(tmp);
	free(tmp);
	of->err = e;
	errno = e;
	return -1;
}

const char *
file_why(const struct ofile *of)
{
	return of->why != NULL ? of->why : strerror(of->err);
}

void
file_close(struct ofile *of)
{
	if (of->fd != -1)
		close(of->fd);
	if (of->dirfd != -1)
		close(of->dirfd);
	free(of->name);
	free(of->path);
	free(of->why);
	memset(of, 0, sizeof(*of));
	of->fd = of->dirfd = -1;
}

int
fsync_fd_dir(int fd)
{
	/* Some file systems cannot fsync a directory; that is no error. */
	if (fsync(fd) == -1 && errno != EINVAL && errno != EROFS)
		return -1;
	return 0;
}

int
fsync_dir(const char *dir)
{
	int fd, r, e;

	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		return -1;
	r = fsync_fd_dir(fd);
	e = errno;
	close(fd);
	errno = e;
	return r;
}

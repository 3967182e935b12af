/*
 * file.c -- reading and atomically replacing whole files (file.h).
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/alloc.h"
#include "lib/buf.h"
#include "lib/file.h"
#include "lib/msg.h"
#include "lib/tmpfile.h"

static char	*resolve_target(const char *);
static int	 same_dir(const char *, const char *);
static int	 replace(const char *, const void *, size_t,
		    const struct stat *, mode_t, const char *);

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
	struct stat st;
	ssize_t n;
	int fd, e;

	if ((fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
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
	close(fd);
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

/* dir ("path/", as file_replace cuts it) names the directory d? */
static int
same_dir(const char *dir, const char *d)
{
	size_t n = strlen(d);

	while (n > 1 && d[n - 1] == '/')
		n--;
	return strncmp(dir, d, n) == 0 && strcmp(dir + n, "/") == 0;
}

int
fsync_dir(const char *dir)
{
	int fd, r;

	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		return -1;
	r = fsync(fd);
	/* Some file systems cannot fsync a directory; that is no error. */
	if (r == -1 && (errno == EINVAL || errno == EROFS))
		r = 0;
	close(fd);
	return r;
}

/* The file a path names: symlinks followed to their final target. */
static char *
resolve_target(const char *path)
{
	char *cur = xstrdup(path);
	struct stat st;
	int hops;

	for (hops = 0; hops < 40; hops++) {
		struct buf b = { NULL, 0, 0 };
		char link[PATH_MAX];
		ssize_t n;
		char *slash;

		if (lstat(cur, &st) == -1 || !S_ISLNK(st.st_mode))
			return cur;
		if ((n = readlink(cur, link, sizeof(link) - 1)) == -1)
			return cur;
		link[n] = '\0';
		if (link[0] != '/' && (slash = strrchr(cur, '/')) != NULL)
			buf_add(&b, cur, (size_t)(slash - cur + 1));
		buf_addstr(&b, link);
		free(cur);
		cur = b.data;
	}
	return cur;
}

int
file_replace(const char *path, const void *data, size_t len, mode_t newmode)
{
	return file_replace_in(path, data, len, newmode, NULL);
}

int
file_replace_in(const char *path, const void *data, size_t len,
    mode_t newmode, const char *synced)
{
	return replace(path, data, len, NULL, newmode, synced);
}

int
file_replace_like(const char *path, const void *data, size_t len,
    const struct stat *like)
{
	return replace(path, data, len, like, 0, NULL);
}

/*
 * The file gets the mode and owner of like when not NULL, else those of
 * the file it replaces, else newmode.
 */
static int
replace(const char *path, const void *data, size_t len,
    const struct stat *like, mode_t newmode, const char *synced)
{
	char *target, *tmp, *dir, *slash;
	const char *base;
	struct stat st;
	int fd, e, have_old;

	target = resolve_target(path);
	if ((slash = strrchr(target, '/')) != NULL) {
		dir = xstrndup(target, (size_t)(slash - target + 1));
		base = slash + 1;
	} else {
		dir = xstrdup("./");
		base = target;
	}
	tmp = xasprintf("%s.%s.vzmem-tmp-XXXXXX", dir, base);
	have_old = stat(target, &st) == 0;
	if (like != NULL) {
		st = *like;
		have_old = 1;
	}

	if ((fd = mkstemp(tmp)) == -1) {
		e = errno;
		goto fail_early;
	}
	if (temp_register(tmp) == -1) {
		e = EMFILE;
		close(fd);
		unlink(tmp);
		goto fail_early;
	}
	if (have_old) {
		/* Keep mode and owner; fchown fails harmlessly as non-root
		 * when the owner is already ours. */
		if (fchown(fd, st.st_uid, st.st_gid) == -1 && geteuid() == 0)
			goto fail;
		if (fchmod(fd, st.st_mode & 07777) == -1)
			goto fail;
	} else if (fchmod(fd, newmode) == -1)
		goto fail;
	if (write_all(fd, data, len) == -1 || fsync(fd) == -1)
		goto fail;
	if (close(fd) == -1) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (rename(tmp, target) == -1)
		goto fail;
	temp_unregister(tmp);
	if ((synced == NULL || !same_dir(dir, synced)) &&
	    fsync_dir(dir) == -1) {
		e = errno;
		free(tmp);
		free(dir);
		free(target);
		errno = e;
		return -1;
	}
	free(tmp);
	free(dir);
	free(target);
	return 0;
fail:
	e = errno;
	if (fd != -1)
		close(fd);
	unlink(tmp);
	temp_unregister(tmp);
fail_early:
	free(tmp);
	free(dir);
	free(target);
	errno = e;
	return -1;
}

int
file_install(const char *path, const char *shown, const struct buf *old,
    const struct buf *new)
{
	char *bak;
	int r = VZ_OK;

	if (old != NULL) {
		struct stat st;

		/* The old map's mode and owner: a map of 0600 leaves no
		 * 0644 copy beside it. */
		bak = xasprintf("%s.bak", path);
		if (stat(path, &st) == -1 ||
		    file_replace_like(bak, old->data, old->len, &st) == -1) {
			vz_syserr(bak, "cannot write");
			r = VZ_FAIL;
		}
		free(bak);
	}
	if (r == VZ_OK && file_replace(path, new->data, new->len, 0644) == -1) {
		vz_syserr(shown, "cannot write");
		r = VZ_FAIL;
	}
	return r;
}

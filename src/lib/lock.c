/*
 * lock.c -- the host's lock (lock.h).
 *
 * The lock lives in a directory of its own that only vzmem's user may
 * write: in a directory others can write (such as /run/lock, mode 1777)
 * anyone could create the file first and flock it for ever, or plant a
 * link, a FIFO or a file that fs.protected_regular makes root unable to
 * open.  The directory is opened once without following a link and
 * checked on its descriptor; the file is opened from it the same way.
 */
#include <sys/file.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lib/alloc.h"
#include "lib/lock.h"
#include "lib/msg.h"

/* The lock file held, for lock_drop(); -1: none. */
static volatile int	 held = -1;

static int	 refused(const char *, const struct stat *, int);
static int	 dir_open(const char *);
static int	 file_open(int, const char *, const char *);
static int	 lock_get(int, const char *, int);

/*
 * Whether st may be the lock's directory (want_dir) or the lock file:
 * 0, or -1 after a message naming path.
 */
static int
refused(const char *path, const struct stat *st, int want_dir)
{
	const char *what = want_dir ? "the lock's directory" : "the lock file";

	if (want_dir ? !S_ISDIR(st->st_mode) : !S_ISREG(st->st_mode))
		vz_err(path, 0, 0, "not a %s: refused as %s",
		    want_dir ? "directory" : "regular file", what);
	else if (st->st_uid != geteuid())
		vz_err(path, 0, 0, "owned by uid %lu, not by uid %lu that "
		    "runs vzmem: refused as %s", (unsigned long)st->st_uid,
		    (unsigned long)geteuid(), what);
	else if (st->st_mode & (S_IWGRP | S_IWOTH))
		vz_err(path, 0, 0, "writable by %s (mode %04o): refused as "
		    "%s", st->st_mode & S_IWOTH ? "others" : "its group",
		    (unsigned)(st->st_mode & 07777), what);
	else if (!want_dir && st->st_nlink != 1)
		vz_err(path, 0, 0, "has %lu names (hard links): refused as "
		    "%s", (unsigned long)st->st_nlink, what);
	else
		return 0;
	return -1;
}

/* The lock's directory, made when missing, opened and checked. */
static int
dir_open(const char *dir)
{
	struct stat st;
	int fd;

	if (mkdir(dir, 0700) == -1 && errno != EEXIST) {
		vz_syserr(dir, "cannot make the lock's directory");
		return -1;
	}
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd == -1) {
		/* Which it is, for the message only: nothing is opened by
		 * this name. */
		if ((errno == ELOOP || errno == ENOTDIR) &&
		    lstat(dir, &st) == 0 && S_ISLNK(st.st_mode))
			errno = ELOOP;
		if (errno == ELOOP)
			vz_err(dir, 0, 0, "a symbolic link: refused as the "
			    "lock's directory");
		else if (errno == ENOTDIR)
			vz_err(dir, 0, 0, "not a directory: refused as the "
			    "lock's directory");
		else
			vz_syserr(dir, "cannot open the lock's directory");
		return -1;
	}
	if (fstat(fd, &st) == -1) {
		vz_syserr(dir, "cannot stat the lock's directory");
		close(fd);
		return -1;
	}
	if (refused(dir, &st, 1) == -1) {
		close(fd);
		return -1;
	}
	return fd;
}

/*
 * The lock file in dfd, made when missing.  Looked at before it is
 * opened, so that a device or a FIFO is not even opened; O_NONBLOCK as
 * well, in case one is swapped in meanwhile (by root: nobody else can
 * write the directory); and checked again on the descriptor.
 */
static int
file_open(int dfd, const char *name, const char *path)
{
	struct stat st;
	int fd;

	if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0) {
		if (S_ISLNK(st.st_mode)) {
			vz_err(path, 0, 0, "a symbolic link: refused as the "
			    "lock file");
			return -1;
		}
		if (refused(path, &st, 0) == -1)
			return -1;
	} else if (errno != ENOENT) {
		vz_syserr(path, "cannot stat the lock file");
		return -1;
	}
	fd = openat(dfd, name, O_RDWR | O_CREAT | O_NOFOLLOW | O_NONBLOCK |
	    O_NOCTTY | O_CLOEXEC, 0600);
	if (fd == -1) {
		if (errno == ELOOP)
			vz_err(path, 0, 0, "a symbolic link: refused as the "
			    "lock file");
		else
			vz_syserr(path, "cannot open the lock file");
		return -1;
	}
	if (fstat(fd, &st) == -1) {
		vz_syserr(path, "cannot stat the lock file");
		close(fd);
		return -1;
	}
	if (refused(path, &st, 0) == -1) {
		close(fd);
		return -1;
	}
	return fd;
}

/* flock fd: 0, or -1 after a message (busy and !wait: who holds it). */
static int
lock_get(int fd, const char *path, int wait)
{
	static const struct timespec pause = { 0, 10000000 };	/* 10 ms */
	char who[32] = "";
	ssize_t n;
	int r, tries;

	while ((r = flock(fd, LOCK_EX | LOCK_NB)) == -1 && errno == EINTR)
		;
	/*
	 * The holder writes its PID just after it locks, and empties the
	 * file just before it unlocks: while the file is empty, look again
	 * for a moment (or take the lock when it has gone meanwhile).
	 */
	for (tries = 0; r == -1 && errno == EWOULDBLOCK; tries++) {
		n = pread(fd, who, sizeof(who) - 1, 0);
		who[n > 0 ? n : 0] = '\0';
		who[strcspn(who, "\n")] = '\0';
		if (who[0] != '\0' || tries == 50)
			break;
		nanosleep(&pause, NULL);
		while ((r = flock(fd, LOCK_EX | LOCK_NB)) == -1 &&
		    errno == EINTR)
			;
	}
	if (r == -1 && errno == EWOULDBLOCK) {
		if (!wait) {
			vz_err(path, 0, 0, "locked by process %s; try again "
			    "later or use --wait", who[0] ? who : "?");
			return -1;
		}
		vz_info("waiting for the lock held by process %s",
		    who[0] ? who : "?");
		while ((r = flock(fd, LOCK_EX)) == -1 && errno == EINTR)
			;
	}
	if (r == -1) {
		vz_syserr(path, "cannot lock");
		return -1;
	}
	return 0;
}

int
lock_take(const char *dir, const char *name, int wait)
{
	char pid[32], *path = xasprintf("%s/%s", dir, name);
	int dfd, fd;

	if ((dfd = dir_open(dir)) == -1) {
		free(path);
		return -1;
	}
	fd = file_open(dfd, name, path);
	close(dfd);
	if (fd == -1 || lock_get(fd, path, wait) == -1) {
		if (fd != -1)
			close(fd);
		free(path);
		return -1;
	}
	snprintf(pid, sizeof(pid), "%ld\n", (long)getpid());
	if (ftruncate(fd, 0) == -1 ||
	    pwrite(fd, pid, strlen(pid), 0) != (ssize_t)strlen(pid)) {
		vz_syserr(path, "cannot write the lock file");
		if (ftruncate(fd, 0) == -1) {
			/* the flock goes with close; nothing else to do */
		}
		close(fd);
		free(path);
		return -1;
	}
	free(path);
	held = fd;
	return fd;
}

void
lock_release(int fd)
{
	if (fd < 0)
		return;
	held = -1;
	/* Empty it first, so nobody reads a stale PID. */
	if (ftruncate(fd, 0) == -1) {
		/* nothing to do: the flock goes with close */
	}
	close(fd);
}

void
lock_drop(void)
{
	int fd = held;

	if (fd >= 0 && ftruncate(fd, 0) == -1) {
		/* nothing to do: the flock goes with our death */
	}
}

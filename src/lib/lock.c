/*
 * lock.c -- the host's lock (lock.h).
 */
#include <sys/file.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lib/lock.h"
#include "lib/msg.h"

int
lock_take(const char *path, int wait)
{
	static const struct timespec pause = { 0, 10000000 };	/* 10 ms */
	char pid[32], held[32] = "";
	ssize_t n;
	int fd, r, tries;

	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd == -1) {
		vz_syserr(path, "cannot open lock file");
		return -1;
	}
	while ((r = flock(fd, LOCK_EX | LOCK_NB)) == -1 && errno == EINTR)
		;
	/*
	 * The holder writes its PID just after it locks, and empties the
	 * file just before it unlocks: while the file is empty, look again
	 * for a moment (or take the lock when it has gone meanwhile).
	 */
	for (tries = 0; r == -1 && errno == EWOULDBLOCK; tries++) {
		n = pread(fd, held, sizeof(held) - 1, 0);
		held[n > 0 ? n : 0] = '\0';
		held[strcspn(held, "\n")] = '\0';
		if (held[0] != '\0' || tries == 50)
			break;
		nanosleep(&pause, NULL);
		while ((r = flock(fd, LOCK_EX | LOCK_NB)) == -1 &&
		    errno == EINTR)
			;
	}
	if (r == -1 && errno == EWOULDBLOCK) {
		if (!wait) {
			vz_err(path, 0, 0, "locked by process %s; try again "
			    "later or use --wait", held[0] ? held : "?");
			close(fd);
			return -1;
		}
		vz_info("waiting for the lock held by process %s",
		    held[0] ? held : "?");
		while ((r = flock(fd, LOCK_EX)) == -1 && errno == EINTR)
			;
	}
	if (r == -1) {
		vz_syserr(path, "cannot lock");
		close(fd);
		return -1;
	}
	snprintf(pid, sizeof(pid), "%ld\n", (long)getpid());
	if (ftruncate(fd, 0) == -1 ||
	    pwrite(fd, pid, strlen(pid), 0) != (ssize_t)strlen(pid)) {
		vz_syserr(path, "cannot write lock file");
		close(fd);
		return -1;
	}
	return fd;
}

void
lock_release(int fd)
{
	if (fd >= 0) {
		/* Empty it first, so nobody reads a stale PID. */
		if (ftruncate(fd, 0) == -1) {
			/* nothing to do: the flock goes with close */
		}
		close(fd);
	}
}

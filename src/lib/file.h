/*
 * file.h -- whole files: read one, and the files vzmem writes, each
 * opened once from a directory descriptor and replaced through it
 * (SPEC 5c); the one write loop.
 */
#ifndef VZMEM_LIB_FILE_H
#define VZMEM_LIB_FILE_H

#include <sys/types.h>
#include <sys/stat.h>

#include <stddef.h>

#include "lib/buf.h"

/*
 * Read a whole file into buf (appending).  A regular file's buffer is
 * just its size.  -1 with errno on failure.  For files vzmem only reads
 * (/proc, cgroup files, confs while listing): what it writes is opened
 * with file_open().
 */
int	 file_read(const char *, struct buf *);
/* The same for path relative to the directory dirfd (or AT_FDCWD):
 * reading 100,000 confs, the conf dir's path is walked once. */
int	 file_read_at(int, const char *, struct buf *);
/* The rest of the open file fd. */
int	 file_read_fd(int, struct buf *);

/* All n bytes to fd, however short the writes and whatever signals
 * interrupt them: 0, or -1 with errno. */
int	 write_all(int, const void *, size_t);

/*
 * A directory opened component by component with O_NOFOLLOW: a
 * symbolic link among them is followed only in a directory that root
 * owns and no one else may write (/var/lib/lxc -> /srv/lxc, made by
 * root), never in one a user may write (a container's, a map's).  An
 * fd, or -1 with errno and *why (when not NULL) an allocated reason for
 * a refused link, else NULL.
 */
int	 dir_open(const char *, char **);

/*
 * A file vzmem writes, opened once: the directory it is in (dirfd), its
 * name there, and the file itself (fd, -1 when missing), checked on the
 * descriptor.  Read from fd, replaced by a temp file made in dirfd and
 * renamed over name: never through a link, never somewhere else.
 */
struct ofile {
	int		 dirfd;
	char		*name;
	char		*path;		/* dir/name, for messages */
	struct stat	 dst;		/* the directory */
	struct stat	 st;		/* the file (when fd != -1) */
	int		 fd;
	char		*why;		/* why refused (file_why) */
	int		 err;		/* else this errno */
};

#define OF_MISSING_OK	1	/* file_open*: a missing file is no error */
#define OF_NO_DIRSYNC	2	/* file_save: the caller fsyncs dirfd
				   after many renames there */

/*
 * Open path (file_open; its directory by dir_open) or name in the
 * directory dirfd (file_open_at; dirfd is duplicated, dir names it in
 * messages): O_NOFOLLOW, O_NONBLOCK (a FIFO swapped in cannot hang
 * vzmem) cleared once open.  Refused, -1: a symbolic link, anything
 * but a regular file, and, in a directory that someone other than root
 * can write, a file owned by neither root nor the directory's owner.
 * 0, or -1 (file_why() says why; the ofile is closed).
 */
int	 file_open(struct ofile *, const char *, int);
int	 file_open_at(struct ofile *, int, const char *, const char *, int);

/* The open file's bytes appended to b: 0, or -1 (file_why). */
int	 file_load(struct ofile *, struct buf *);

/*
 * Replace the file: a temp file ".NAME.vzmem-tmp-XXXXXX" made in dirfd
 * (O_EXCL, O_NOFOLLOW; removed on the signals tmpfile.h names), the
 * mode and owner of like, else of the file replaced, else newmode;
 * write all, fsync, renameat over name, fsync dirfd (unless
 * OF_NO_DIRSYNC).  0, or -1 (file_why; the temp file removed).
 */
int	 file_save(struct ofile *, const void *, size_t, mode_t,
	    const struct stat *, int);

/* A temp file ".BASE.vzmem-tmp-XXXXXX" made in dirfd (O_EXCL,
 * O_NOFOLLOW, mode 0600) and registered for removal (temp_register_at;
 * dirfd stays open until it is unregistered): its fd, and *name
 * allocated; or -1 with errno. */
int	 file_temp(int, const char *, char **);

/* Why the last call on of failed: a refusal, or strerror. */
const char *file_why(const struct ofile *);

void	 file_close(struct ofile *);

/* fsync a directory (file systems that cannot: no error). */
int	 fsync_dir(const char *);
int	 fsync_fd_dir(int);

#endif

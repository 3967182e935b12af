/*
 * file.h -- whole files: read one, replace one atomically, install a
 * hand-edited one keeping a backup, and the one write loop.
 */
#ifndef VZMEM_LIB_FILE_H
#define VZMEM_LIB_FILE_H

#include <sys/types.h>
#include <sys/stat.h>

#include <stddef.h>

#include "lib/buf.h"

/*
 * Read a whole file into buf (appending).  A regular file's buffer is
 * just its size.  -1 with errno on failure.
 */
int	 file_read(const char *, struct buf *);
/* The same for path relative to the directory dirfd (or AT_FDCWD):
 * reading 100,000 confs, the conf dir's path is walked once. */
int	 file_read_at(int, const char *, struct buf *);

/* All n bytes to fd, however short the writes and whatever signals
 * interrupt them: 0, or -1 with errno. */
int	 write_all(int, const void *, size_t);

/*
 * Replace a file atomically: a temp file in the same directory named
 * ".NAME.vzmem-tmp-XXXXXX" (never "*.conf"), write all, fsync, rename over
 * the target, fsync the directory.  An existing target keeps its mode and
 * owner, a missing one gets newmode.  A symlink is followed and its target
 * replaced.  Returns 0, or -1 with errno (temp file removed).
 */
int	 file_replace(const char *, const void *, size_t, mode_t);

/*
 * The same, but when the target lies in the directory synced, that
 * directory is not fsynced: the caller replaces many files there and
 * calls fsync_dir(synced) once after the last.  (Each rename is atomic
 * either way; the one fsync makes them all durable.)
 */
/* The same, the file getting the mode and owner of the stat given (a
 * .bak those of the file it backs up). */
int	 file_replace_like(const char *, const void *, size_t,
	    const struct stat *);
int	 file_replace_in(const char *, const void *, size_t, mode_t,
	    const char *);

/* fsync a directory (file systems that cannot: no error). */
int	 fsync_dir(const char *);

/*
 * Install new as path (shown names it in messages), keeping old (when
 * not NULL) as "path.bak" first: a hand-edited file must never vanish.
 * VZ_OK, or VZ_FAIL after a message (path untouched if .bak failed).
 */
int	 file_install(const char *, const char *, const struct buf *,
	    const struct buf *);

#endif

/*
 * tmpfile.c -- the temp file registry and its cleanup (tmpfile.h).
 */
#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/alloc.h"
#include "lib/file.h"
#include "lib/tmpfile.h"

/*
 * Temp files being written.  A fixed table: at most a few exist at once,
 * and the signal handler must not allocate.
 */
#define NTEMPS	16
static char	*temps[NTEMPS];
static int	 temp_dirs[NTEMPS];	/* each one's directory, or AT_FDCWD */

static void	 temps_init(void);
static int	 is_temp_name(const char *);
static size_t	 sweep_fd(int, const char *, int);
static size_t	 sweep_dir(const char *, int);

void
temp_remove_all(void)
{
	size_t i;

	for (i = 0; i < NTEMPS; i++)
		if (temps[i] != NULL)
			unlinkat(temp_dirs[i], temps[i], 0);
}

/* At exit; the signals that end vzmem call temp_remove_all() from
 * their handler (fatal.c). */
static void
temps_init(void)
{
	static int done;

	if (done)
		return;
	done = 1;
	atexit(temp_remove_all);
}

int
temp_register(char *path)
{
	return temp_register_at(AT_FDCWD, path);
}

int
temp_register_at(int dirfd, char *name)
{
	size_t i;

	temps_init();
	for (i = 0; i < NTEMPS; i++)
		if (temps[i] == NULL) {
			temp_dirs[i] = dirfd;
			temps[i] = name;
			return 0;
		}
	return -1;
}

void
temp_unregister(const char *path)
{
	size_t i;

	for (i = 0; i < NTEMPS; i++)
		if (temps[i] == path)
			temps[i] = NULL;
}

static int
is_temp_name(const char *name)
{
	static const char mark[] = ".vzmem-tmp-";
	size_t n = strlen(name), m = sizeof(mark) - 1, i;

	/*
	 * Exactly ".NAME.vzmem-tmp-XXXXXX" as mkstemp(3) makes it: six
	 * letters or digits and nothing after them, so that an editor's
	 * ".MEM-MAP.vzmem-tmp-AbCdEf.swp" (the admin's recovery file of a
	 * killed -e) is never taken for one.
	 */
	if (n < 1 + 1 + m + 6 || name[0] != '.' ||
	    memcmp(name + n - 6 - m, mark, m) != 0)
		return 0;
	for (i = n - 6; i < n; i++)
		if (!isalnum((unsigned char)name[i]))
			return 0;
	return 1;
}

/*
 * The temp files of ours in dirfd (of the file base only, when it is not
 * NULL) removed, or without remove the first one found: how many.
 */
static size_t
sweep_fd(int dirfd, const char *base, int remove)
{
	char *prefix = base != NULL ? xasprintf(".%s.vzmem-tmp-", base) :
	    NULL;
	size_t n = 0, plen = prefix != NULL ? strlen(prefix) : 0;
	struct dirent *de;
	DIR *d;
	int fd;

	if ((fd = fcntl(dirfd, F_DUPFD_CLOEXEC, 0)) == -1 ||
	    (d = fdopendir(fd)) == NULL) {
		if (fd != -1)
			close(fd);
		free(prefix);
		return 0;
	}
	/* ".NAME.vzmem-tmp-XXXXXX", base's own when it is given. */
	while ((de = readdir(d)) != NULL && (remove || n == 0))
		if (is_temp_name(de->d_name) && (prefix == NULL ||
		    (strncmp(de->d_name, prefix, plen) == 0 &&
		    strlen(de->d_name) == plen + 6)) &&
		    (!remove || unlinkat(dirfd, de->d_name, 0) == 0))
			n++;
	closedir(d);
	free(prefix);
	return n;
}

/* dir opened as every directory vzmem writes in (dir_open: no link
 * followed that another user may have made). */
static size_t
sweep_dir(const char *dir, int remove)
{
	size_t n;
	int dfd;

	if ((dfd = dir_open(dir, NULL)) == -1)
		return 0;
	n = sweep_fd(dfd, NULL, remove);
	close(dfd);
	return n;
}

int
tmp_exists(const char *dir)
{
	return sweep_dir(dir, 0) > 0;
}

size_t
tmp_sweep(const char *dir)
{
	return sweep_dir(dir, 1);
}

size_t
tmp_sweep_of(int dirfd, const char *name)
{
	return sweep_fd(dirfd, name, 1);
}

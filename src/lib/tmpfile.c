/*
 * tmpfile.c -- the temp file registry and its cleanup (tmpfile.h).
 */
#include <ctype.h>
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/alloc.h"
#include "lib/tmpfile.h"

/*
 * Temp files being written.  A fixed table: at most a few exist at once,
 * and the signal handler must not allocate.
 */
#define NTEMPS	16
static char	*temps[NTEMPS];

static void	 temps_init(void);
static int	 is_temp_name(const char *);

void
temp_remove_all(void)
{
	size_t i;

	for (i = 0; i < NTEMPS; i++)
		if (temps[i] != NULL)
			unlink(temps[i]);
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
	size_t i;

	temps_init();
	for (i = 0; i < NTEMPS; i++)
		if (temps[i] == NULL) {
			temps[i] = path;
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

int
tmp_exists(const char *dir)
{
	struct dirent *de;
	int found = 0;
	DIR *d;

	if ((d = opendir(dir)) == NULL)
		return 0;
	while (!found && (de = readdir(d)) != NULL)
		found = is_temp_name(de->d_name);
	closedir(d);
	return found;
}

size_t
tmp_sweep(const char *dir)
{
	struct dirent *de;
	size_t n = 0;
	DIR *d;

	if ((d = opendir(dir)) == NULL)
		return 0;
	while ((de = readdir(d)) != NULL) {
		char *p;

		if (!is_temp_name(de->d_name))
			continue;
		p = xasprintf("%s/%s", dir, de->d_name);
		if (unlink(p) == 0)
			n++;
		free(p);
	}
	closedir(d);
	return n;
}

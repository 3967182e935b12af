/*
 * rewriteall.c -- the I/O floor of a full -a: rewrite every "*.conf" of a
 * directory the safe way (read it, write a temp file beside it, fsync,
 * rename over it), then fsync the directory once.  Whatever the
 * filesystem charges for that (inode allocation, the journal) vzmem -a
 * pays too; this shows how much of the full -a it is.
 *	rewriteall DIR
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int
main(int argc, char *argv[])
{
	static char buf[65536];
	char tmp[] = ".rewriteall.tmp";
	char **names = NULL;
	size_t nn = 0, i, len;
	unsigned long files = 0;
	struct dirent *de;
	DIR *d;
	ssize_t n;
	int fd, out;

	if (argc != 2 || (d = opendir(argv[1])) == NULL) {
		fputs("usage: rewriteall DIR\n", stderr);
		return 1;
	}
	/* The names first: renaming while reading the directory could show
	 * a name twice. */
	while ((de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (len <= 5 || strcmp(de->d_name + len - 5, ".conf") != 0)
			continue;
		if ((names = realloc(names, (nn + 1) * sizeof(*names))) ==
		    NULL || (names[nn++] = strdup(de->d_name)) == NULL) {
			perror("rewriteall");
			return 1;
		}
	}
	for (i = 0; i < nn; i++) {
		if ((fd = openat(dirfd(d), names[i], O_RDONLY)) == -1)
			continue;
		out = openat(dirfd(d), tmp, O_WRONLY | O_CREAT | O_TRUNC |
		    O_EXCL, 0644);
		if (out == -1) {
			perror(tmp);
			return 1;
		}
		while ((n = read(fd, buf, sizeof(buf))) > 0)
			if (write(out, buf, (size_t)n) != n) {
				perror(tmp);
				return 1;
			}
		close(fd);
		if (fsync(out) == -1 || close(out) == -1 ||
		    renameat(dirfd(d), tmp, dirfd(d), names[i]) == -1) {
			perror(names[i]);
			return 1;
		}
		free(names[i]);
		files++;
	}
	free(names);
	if (fsync(dirfd(d)) == -1)
		perror(argv[1]);
	closedir(d);
	printf("%lu files rewritten\n", files);
	return 0;
}

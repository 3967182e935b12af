/*
 * readall.c -- the I/O floor of the benchmark: list a directory and read
 * every "*.conf" in it, the least any tool reading all the confs must do.
 *	readall DIR
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int
main(int argc, char *argv[])
{
	static char buf[65536];
	unsigned long files = 0, bytes = 0;
	struct dirent *de;
	DIR *d;
	ssize_t n;
	size_t len;
	int fd;

	if (argc != 2 || (d = opendir(argv[1])) == NULL) {
		fputs("usage: readall DIR\n", stderr);
		return 1;
	}
	while ((de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (len <= 5 || strcmp(de->d_name + len - 5, ".conf") != 0)
			continue;
		if ((fd = openat(dirfd(d), de->d_name, O_RDONLY)) == -1)
			continue;
		while ((n = read(fd, buf, sizeof(buf))) > 0)
			bytes += (unsigned long)n;
		close(fd);
		files++;
	}
	closedir(d);
	printf("%lu files, %lu bytes\n", files, bytes);
	return 0;
}

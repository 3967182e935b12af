/*
 * lxcfloor.c -- the I/O floors of the LXC benchmark, on a genlxc tree:
 *
 *	lxcfloor read ROOT	list ROOT/var/lib/lxc, read every NAME/config
 *				and, for each running container (a
 *				ROOT/sys/fs/cgroup/lxc.payload.NAME), its
 *				memory.low, memory.max and memory.swap.max:
 *				what any tool reading the host must do
 *	lxcfloor write ROOT	the same files written the way vzmem -a
 *				writes them, and nothing else: each config
 *				read, written to a temp file beside it,
 *				fsynced, renamed over it, its directory
 *				fsynced (each config has a directory of its
 *				own); each of the three cgroup files opened
 *				and written in place
 */
#include <sys/stat.h>

#include <dirent.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const files[] = {
	"memory.low", "memory.max", "memory.swap.max"
};

#define PATH_LEN	4096

static void	 pathf(char *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));

/* A path of at most PATH_LEN - 1 bytes into out (PATH_LEN). */
static void
pathf(char *out, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(out, PATH_LEN, fmt, ap);
	va_end(ap);
	if (n < 0 || n >= PATH_LEN) {
		fputs("lxcfloor: path too long\n", stderr);
		exit(1);
	}
}

int
main(int argc, char *argv[])
{
	static char buf[65536];
	char path[PATH_LEN], tmp[PATH_LEN], cg[PATH_LEN];
	unsigned long n = 0, ncg = 0;
	struct dirent *de;
	struct stat st;
	int writing, fd, out = -1, dfd;
	size_t i;
	ssize_t r;
	DIR *d;

	if (argc != 3 || (strcmp(argv[1], "read") != 0 &&
	    strcmp(argv[1], "write") != 0)) {
		fputs("usage: lxcfloor read|write ROOT\n", stderr);
		return 1;
	}
	writing = strcmp(argv[1], "write") == 0;
	pathf(path, "%s/var/lib/lxc", argv[2]);
	if ((d = opendir(path)) == NULL) {
		perror(path);
		return 1;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		pathf(path, "%s/var/lib/lxc/%s/config",
		    argv[2], de->d_name);
		if ((fd = open(path, O_RDONLY)) == -1)
			continue;
		if (writing) {
			pathf(tmp, "%s/var/lib/lxc/%s/"
			    ".config.floor-tmp", argv[2], de->d_name);
			if ((out = open(tmp, O_WRONLY | O_CREAT | O_EXCL,
			    0640)) == -1) {
				perror(tmp);
				return 1;
			}
		}
		while ((r = read(fd, buf, sizeof(buf))) > 0)
			if (writing && write(out, buf, (size_t)r) != r) {
				perror(tmp);
				return 1;
			}
		close(fd);
		if (writing) {
			if (fsync(out) == -1 || close(out) == -1 ||
			    rename(tmp, path) == -1) {
				perror(path);
				return 1;
			}
			pathf(tmp, "%s/var/lib/lxc/%s",
			    argv[2], de->d_name);
			if ((dfd = open(tmp, O_RDONLY | O_DIRECTORY)) == -1 ||
			    fsync(dfd) == -1) {
				perror(tmp);
				return 1;
			}
			close(dfd);
		}
		n++;
		pathf(cg, "%s/sys/fs/cgroup/lxc.payload.%s",
		    argv[2], de->d_name);
		if (stat(cg, &st) == -1)
			continue;
		ncg++;
		for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
			pathf(path, "%s/%s", cg, files[i]);
			if (writing) {
				if ((fd = open(path, O_WRONLY | O_TRUNC)) ==
				    -1 || write(fd, "268435456\n", 10) != 10) {
					perror(path);
					return 1;
				}
			} else {
				if ((fd = open(path, O_RDONLY)) == -1)
					continue;
				while (read(fd, buf, sizeof(buf)) > 0)
					;
			}
			close(fd);
		}
	}
	closedir(d);
	printf("%lu configs, %lu cgroups %s\n", n, ncg, writing ? "written" :
	    "read");
	return 0;
}

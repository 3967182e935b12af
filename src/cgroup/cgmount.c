/*
 * cgmount.c -- which memory cgroup this host mounts, and how: the
 * version and its mount, memory_recursiveprot, swap accounting.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cgroup/cgfs.h"
#include "cgroup/cgfile.h"

#define CG_ROOT		"/sys/fs/cgroup"
#define CG_V1_MOUNT	"/sys/fs/cgroup/memory"

static int	 is_dir(const char *);
static int	 opts_have(const char *, size_t, const char *);
static void	 detect_version(struct cgfs *, const char *);
static void	 detect_recursiveprot(struct cgfs *, const char *);
static int	 file_exists(const char *, const char *);
static void	 detect_swap(struct cgfs *);

static int
is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* A comma-separated option list has opt. */
static int
opts_have(const char *s, size_t len, const char *opt)
{
	const char *comma;
	size_t n;

	while (len > 0) {
		comma = memchr(s, ',', len);
		n = comma != NULL ? (size_t)(comma - s) : len;
		if (cg_tok_is(s, n, opt))
			return 1;
		if (comma == NULL)
			break;
		s += n + 1;
		len -= n + 1;
	}
	return 0;
}

/*
 * mountinfo: "ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTS [TAGS...] - FSTYPE
 * SOURCE SUPEROPTS".  memory_recursiveprot is a super option; the last
 * cgroup2 mount on /sys/fs/cgroup is the one in use.
 */
int
cg_mountinfo_recursiveprot(const char *text, size_t len)
{
	struct cg_line l = { NULL, 0, 0 };
	const char *t, *mp, *fs;
	size_t off = 0, n, tlen, mplen, fslen;
	int found = 0;

	while (cg_next_line(text, len, &off, &l)) {
		if (!cg_token(l.s, l.len, 4, &mp, &mplen))
			continue;
		for (n = 6; cg_token(l.s, l.len, n, &t, &tlen); n++)
			if (cg_tok_is(t, tlen, "-"))
				break;
		if (!cg_token(l.s, l.len, n + 1, &fs, &fslen) ||
		    !cg_token(l.s, l.len, n + 3, &t, &tlen))
			continue;
		if (cg_tok_is(fs, fslen, "cgroup2") && cg_tok_is(mp, mplen, CG_ROOT))
			found = opts_have(t, tlen, "memory_recursiveprot");
	}
	return found;
}

/* /proc/mounts: "SOURCE MOUNTPOINT FSTYPE OPTS 0 0", every option. */
int
cg_mounts_recursiveprot(const char *text, size_t len)
{
	struct cg_line l = { NULL, 0, 0 };
	const char *mp, *fs, *opts;
	size_t off = 0, mplen, fslen, olen;
	int found = 0;

	while (cg_next_line(text, len, &off, &l))
		if (cg_token(l.s, l.len, 1, &mp, &mplen) &&
		    cg_token(l.s, l.len, 2, &fs, &fslen) &&
		    cg_token(l.s, l.len, 3, &opts, &olen) &&
		    cg_tok_is(fs, fslen, "cgroup2") &&
		    cg_tok_is(mp, mplen, CG_ROOT))
			found = opts_have(opts, olen, "memory_recursiveprot");
	return found;
}

/* v2 when its root lists memory, else v1 when memory/ is there. */
static void
detect_version(struct cgfs *fs, const char *root)
{
	struct buf b = { NULL, 0, 0 };
	char *path;

	path = xasprintf("%s%s/cgroup.controllers", root, CG_ROOT);
	if (cg_read_text(path, &b) == 1 && cg_words_have(b.data, b.len,
	    "memory")) {
		fs->version = CG_V2;
		fs->mount = xasprintf("%s%s", root, CG_ROOT);
	}
	free(path);
	buf_free(&b);
	if (fs->version == CG_NONE) {
		path = xasprintf("%s%s", root, CG_V1_MOUNT);
		if (is_dir(path)) {
			fs->version = CG_V1;
			fs->mount = path;
		} else
			free(path);
	}
}

static void
detect_recursiveprot(struct cgfs *fs, const char *root)
{
	struct buf b = { NULL, 0, 0 };
	char *path;

	path = xasprintf("%s/proc/self/mountinfo", root);
	if (cg_read_text(path, &b) == 1)
		fs->recursiveprot = cg_mountinfo_recursiveprot(b.data, b.len);
	else {
		free(path);
		path = xasprintf("%s/proc/mounts", root);
		if (cg_read_text(path, &b) == 1)
			fs->recursiveprot = cg_mounts_recursiveprot(b.data,
			    b.len);
	}
	free(path);
	buf_free(&b);
}

static int
file_exists(const char *dir, const char *name)
{
	struct stat st;
	char *p = xasprintf("%s/%s", dir, name);
	int r = stat(p, &st) == 0;

	free(p);
	return r;
}

/*
 * Swap accounting: v1 has memsw files in every group, the root too.  v2
 * has none in the root; with it on, every child with memory files has
 * memory.swap.max, with it off none has (no such child: taken as on,
 * the kernel's default since 5.8).
 */
static void
detect_swap(struct cgfs *fs)
{
	struct dirent *de;
	int memory = 0, swap = 0;
	char *child;
	DIR *d;

	if (fs->version == CG_V1) {
		fs->swap = file_exists(fs->mount,
		    "memory.memsw.limit_in_bytes");
		return;
	}
	if ((d = opendir(fs->mount)) != NULL) {
		while ((de = readdir(d)) != NULL && !swap) {
			if (!cg_path_valid(de->d_name, strlen(de->d_name)))
				continue;
			child = xasprintf("%s/%s", fs->mount, de->d_name);
			if (file_exists(child, "memory.max")) {
				memory = 1;
				swap = file_exists(child, "memory.swap.max");
			}
			free(child);
		}
		closedir(d);
	}
	fs->swap = swap || !memory;
}

void
cgfs_open(struct cgfs *fs, const char *root, uint64_t page_bytes)
{
	memset(fs, 0, sizeof(*fs));
	fs->mfd = -1;
	fs->page_bytes = page_bytes;
	detect_version(fs, root);
	/* A version found has its mount. */
	fs->mfd = fs->version != CG_NONE ? open(fs->mount, O_RDONLY |
	    O_DIRECTORY | O_CLOEXEC) : -1;
	if (fs->version == CG_V2)
		detect_recursiveprot(fs, root);
	if (fs->version != CG_NONE)
		detect_swap(fs);
}

void
cgfs_close(struct cgfs *fs)
{
	if (fs->mfd != -1)
		close(fs->mfd);
	free(fs->mount);
	memset(fs, 0, sizeof(*fs));
	fs->mfd = -1;
}

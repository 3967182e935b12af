/*
 * ctdir.c -- where the container confs are and which there are: every
 * "<CTID>.conf" of the conf dir but the host's own 0.conf.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "openvz.h"
#include "util.h"

#define CTID_MAX	255	/* a CTID is a file name: NAME_MAX */

static int	 is_dir(const char *);
static int	 cmp_ctidp(const void *, const void *);
static int	 conf_name(const char *, size_t *);
/* A conf's file, to tell two CTIDs that share one. */
struct ident {
	char		*id;
	dev_t		 dev;
	ino_t		 ino;
};

static int	 conf_kind(int, dev_t, const struct dirent *,
		    struct ident *);
static int	 link_target(int, const char *, struct buf *);
static void	 report_dangling(int, const char *, size_t);
static int	 ident_cmp(const void *, const void *);
static size_t	 check_shared(int, struct ident *, size_t);

static int
is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* vzctl's conf dir moved; old hosts still have vz-scripts only.  *have
 * says whether it exists (the first is named when neither does). */
char *
ovz_conf_dir(const char *root, int *have)
{
	static const char *const dirs[] = {
		"/etc/vz/conf", "/etc/sysconfig/vz-scripts"
	};
	size_t i;
	char *p;

	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		p = xasprintf("%s%s", root, dirs[i]);
		if (is_dir(p)) {
			*have = 1;
			return p;
		}
		free(p);
	}
	*have = 0;
	return xasprintf("%s%s", root, dirs[0]);
}

int
ctid_valid(const char *s, size_t len)
{
	size_t i;

	if (len == 0 || len > CTID_MAX || s[0] == '.' || s[0] == '-')
		return 0;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || c == '.' || c == '_' ||
		    c == '-'))
			return 0;
	}
	return 1;
}

char *
ovz_conf_path(const struct ovz *z, const char *ctid)
{
	return xasprintf("%s/%s.conf", z->confdir, ctid);
}

static int
cmp_ctidp(const void *a, const void *b)
{
	return ctid_cmp(*(char *const *)a, *(char *const *)b);
}

/* The CTID length of "<CTID>.conf", or 0 when name is no container conf. */
static int
conf_name(const char *name, size_t *n)
{
	size_t len = strlen(name);

	if (len <= 5 || strcmp(name + len - 5, ".conf") != 0)
		return 0;
	*n = len - 5;
	if (!ctid_valid(name, *n))
		return 0;
	/* 0.conf is the host itself. */
	return !(*n == 1 && name[0] == '0');
}

/*
 * What an entry is: 1 a regular file or a symlink to one, with the
 * file's device and inode (d_type and d_ino spare a stat for a regular
 * file); 0 something else; -1 a symlink to nothing.
 */
static int
conf_kind(int dfd, dev_t dirdev, const struct dirent *de, struct ident *id)
{
	struct stat st;

#ifdef DT_REG
	if (de->d_type == DT_REG) {
		id->dev = dirdev;
		id->ino = de->d_ino;
		return 1;
	}
	if (de->d_type != DT_LNK && de->d_type != DT_UNKNOWN)
		return 0;
#endif
	if (fstatat(dfd, de->d_name, &st, 0) == -1)
		return (errno == ENOENT || errno == ELOOP) &&
		    fstatat(dfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
		    S_ISLNK(st.st_mode) ? -1 : 0;
	id->dev = st.st_dev;
	id->ino = st.st_ino;
	return S_ISREG(st.st_mode);
}

/* "a symlink to TARGET" appended to b when name is a symlink: 1, else
 * 0 and nothing appended. */
static int
link_target(int dfd, const char *name, struct buf *b)
{
	char t[PATH_MAX];
	ssize_t n;

	if ((n = readlinkat(dfd, name, t, sizeof(t) - 1)) <= 0)
		return 0;
	t[n] = '\0';
	buf_addstr(b, "a symlink to ");
	screen_str(b, t);
	return 1;
}

/* A dangling conf: its container cannot be read, nor left out. */
static void
report_dangling(int dfd, const char *name, size_t idlen)
{
	struct buf b = { NULL, 0, 0 };
	char *id = xstrndup(name, idlen);
	struct where at = { name, 0, 0, id, NULL };

	if (!link_target(dfd, name, &b))
		buf_addstr(&b, "a symlink");
	vz_report(&at, VZ_LERROR, "%s, which does not exist (is the "
	    "container's VE_PRIVATE mounted?): container %s cannot be read, "
	    "and vzmem does not leave it out; mount it, or remove the link",
	    b.data, id);
	buf_free(&b);
	free(id);
}

static int
ident_cmp(const void *a, const void *b)
{
	const struct ident *x = a, *y = b;

	if (x->dev != y->dev)
		return x->dev < y->dev ? -1 : 1;
	if (x->ino != y->ino)
		return x->ino < y->ino ? -1 : 1;
	return ctid_cmp(x->id, y->id);
}

/*
 * Two CTIDs whose confs are one file (102.conf -> 101.conf, or a hard
 * link): -a would write both rows into it, and flip it on every run.
 * Reported, each pair once; returns how many.
 */
static size_t
check_shared(int dfd, struct ident *v, size_t n)
{
	struct buf b = { NULL, 0, 0 };
	size_t i, j, k, errors = 0;
	char *first;

	if (n > 1)
		qsort(v, n, sizeof(*v), ident_cmp);
	for (i = 1; i < n; i++) {
		char *name;

		if (v[i].dev != v[i - 1].dev || v[i].ino != v[i - 1].ino)
			continue;
		/* Name the first of the group with each other one. */
		for (k = i - 1; k > 0 && v[k - 1].dev == v[i].dev &&
		    v[k - 1].ino == v[i].ino; k--)
			;
		name = xasprintf("%s.conf", v[i].id);
		first = xasprintf("%s.conf", v[k].id);
		b.len = 0;
		buf_add(&b, "", 0);
		for (j = 0; j < 2; j++) {
			const char *nm = j == 0 ? first : name;
			size_t at = b.len;

			buf_printf(&b, "%s%s is ", b.len > 0 ? ", " : "", nm);
			if (!link_target(dfd, nm, &b))
				b.len = at;
		}
		if (b.len == 0)
			buf_addstr(&b, "hard links");
		b.data[b.len] = '\0';
		{
			struct where at = { name, 0, 0, v[i].id, NULL };

			vz_report(&at, VZ_LERROR, "%s and %s are one file (%s): "
			    "containers %s and %s cannot share one conf",
			    first, name, b.data, v[k].id, v[i].id);
		}
		free(first);
		free(name);
		errors++;
	}
	buf_free(&b);
	return errors;
}

int
ovz_ctids(const char *confdir, struct strpool *pool, char ***out,
    size_t *nout)
{
	struct dirent *de;
	struct ident *v = NULL;
	struct stat dst;
	char **ids;
	size_t n = 0, cap = 0, len, i, bad = 0;
	int k;
	DIR *d;

	*out = NULL;
	*nout = 0;
	if ((d = opendir(confdir)) == NULL || fstat(dirfd(d), &dst) == -1) {
		vz_syserr(confdir, "cannot read conf dir");
		if (d != NULL)
			closedir(d);
		return VZ_FAIL;
	}
	for (;;) {
		errno = 0;
		if ((de = readdir(d)) == NULL)
			break;
		if (!conf_name(de->d_name, &len))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			v = xreallocarray(v, cap, sizeof(*v));
		}
		if ((k = conf_kind(dirfd(d), dst.st_dev, de, &v[n])) == -1) {
			report_dangling(dirfd(d), de->d_name, len);
			bad++;
		}
		if (k != 1)
			continue;
		v[n++].id = strpool_add(pool, de->d_name, len);
	}
	if (errno != 0) {
		vz_syserr(confdir, "cannot read conf dir");
		closedir(d);
		free(v);
		return VZ_FAIL;
	}
	bad += check_shared(dirfd(d), v, n);
	closedir(d);
	/* Only the ids are kept: 8 bytes a conf, not the identities. */
	ids = xreallocarray(NULL, n + 1, sizeof(*ids));
	for (i = 0; i < n; i++)
		ids[i] = v[i].id;
	free(v);
	if (n > 1)
		qsort(ids, n, sizeof(*ids), cmp_ctidp);
	*out = ids;
	*nout = n;
	return bad > 0 ? VZ_INVALID : VZ_OK;
}

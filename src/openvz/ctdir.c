/*
 * ctdir.c -- where the container confs are and which there are: every
 * "<CTID>.conf" of the conf dir but the host's own 0.conf.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>

#include "openvz.h"
#include "util.h"

#define CTID_MAX	255	/* a CTID is a file name: NAME_MAX */

static int	 is_dir(const char *);
static int	 cmp_ctidp(const void *, const void *);
static int	 conf_name(const char *, size_t *);
static int	 is_regular(int, const struct dirent *);

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

/* A regular file or a symlink to one; d_type spares a stat per file. */
static int
is_regular(int dfd, const struct dirent *de)
{
	struct stat st;

#ifdef DT_REG
	if (de->d_type == DT_REG)
		return 1;
	if (de->d_type != DT_LNK && de->d_type != DT_UNKNOWN)
		return 0;
#endif
	if (fstatat(dfd, de->d_name, &st, 0) == -1)
		return 0;
	return S_ISREG(st.st_mode);
}

int
ovz_ctids(const char *confdir, struct strpool *pool, char ***out,
    size_t *nout)
{
	struct dirent *de;
	char **v = NULL;
	size_t n = 0, cap = 0, len;
	DIR *d;

	*out = NULL;
	*nout = 0;
	if ((d = opendir(confdir)) == NULL) {
		vz_syserr(confdir, "cannot read conf dir");
		return VZ_FAIL;
	}
	for (;;) {
		errno = 0;
		if ((de = readdir(d)) == NULL)
			break;
		if (!conf_name(de->d_name, &len) || !is_regular(dirfd(d), de))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			v = xreallocarray(v, cap, sizeof(*v));
		}
		v[n++] = strpool_add(pool, de->d_name, len);
	}
	if (errno != 0) {
		vz_syserr(confdir, "cannot read conf dir");
		closedir(d);
		free(v);
		return VZ_FAIL;
	}
	closedir(d);
	if (n > 1)
		qsort(v, n, sizeof(*v), cmp_ctidp);
	*out = v;
	*nout = n;
	return VZ_OK;
}

/*
 * bcres.c -- /proc/bc/<CTID>/resources of the OpenVZ 7 kernel, and the
 * /proc/bc/<CTID> directories of the running containers.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bcres.h"
#include "openvz.h"

#define BC_NWARN	5	/* bad lines reported one by one */
#define BC_NTOK		6	/* resource held maxheld barrier limit failcnt */

/* A bad line, reported once the file is read. */
struct badline {
	size_t		 line;
	const char	*why;
};

struct bcparse {
	struct bcres	*out;
	size_t		 cap;
	size_t		 nbad;
	struct badline	 bad[BC_NWARN];
};

static const char *bc_line(struct bcparse *, const char *, size_t);
static int	 cmp_ctidp(const void *, const void *);
static int	 is_dirent_dir(int, const struct dirent *);

/* The rows struct ubc keeps, by enum ubc_res. */
static const char *const ubc_names[UBC_NRES] = {
	[UBC_VMGUARPAGES] = "vmguarpages",
	[UBC_PRIVVMPAGES] = "privvmpages",
	[UBC_OOMGUARPAGES] = "oomguarpages",
	[UBC_SHMPAGES] = "shmpages",
	[UBC_PHYSPAGES] = "physpages",
	[UBC_SWAPPAGES] = "swappages"
};

char *
bc_dir(const char *root)
{
	return xasprintf("%s/proc/bc", root != NULL ? root : "");
}

/* One line; NULL when understood (or blank), else why not. */
static const char *
bc_line(struct bcparse *p, const char *s, size_t len)
{
	struct ubc_tok t[BC_NTOK];
	struct bc_res *r;
	uint64_t v[5];
	size_t nt, i;

	if ((nt = ubc_tokens(s, len, t, BC_NTOK)) == 0)
		return NULL;
	/* A name of 64 bytes or more is no kernel resource's either. */
	if (!ubc_name_ok(&t[0]) || t[0].len > 64)
		return t[0].len > 0 && t[0].s[t[0].len - 1] == ':' ?
		    "a uid column (user_beancounters?)" : "bad resource name";
	/* Fields after failcnt, as host.c takes them: ignored. */
	if (nt < BC_NTOK)
		return "too few numbers";
	for (i = 0; i < 5; i++)
		if (parse_u64(t[i + 1].s, t[i + 1].len, UINT64_MAX,
		    &v[i]) == -1)
			return "bad number";
	if (p->out->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 32;
		p->out->res = xreallocarray(p->out->res, p->cap,
		    sizeof(*p->out->res));
	}
	r = &p->out->res[p->out->n++];
	r->name = strpool_add(&p->out->names, t[0].s, t[0].len);
	r->v.held = v[0];
	r->v.maxheld = v[1];
	r->v.barrier = ubc_limit(v[2]);
	r->v.limit = ubc_limit(v[3]);
	r->failcnt = v[4];
	return NULL;
}

int
bcres_parse(const char *text, size_t len, const char *shown,
    struct bcres *out)
{
	struct bcparse p;
	const char *nl, *why;
	size_t off, end, line, i;

	memset(out, 0, sizeof(*out));
	memset(&p, 0, sizeof(p));
	p.out = out;
	for (off = 0, line = 1; off < len; off = end + 1, line++) {
		nl = memchr(text + off, '\n', len - off);
		end = nl != NULL ? (size_t)(nl - text) : len;
		if ((why = bc_line(&p, text + off, end - off)) == NULL)
			continue;
		if (p.nbad < BC_NWARN) {
			p.bad[p.nbad].line = line;
			p.bad[p.nbad].why = why;
		}
		p.nbad++;
	}
	for (i = 0; i < p.nbad && i < BC_NWARN; i++)
		vz_warn(shown, p.bad[i].line, 0, "%s; line ignored",
		    p.bad[i].why);
	if (p.nbad > BC_NWARN)
		vz_warn(shown, 0, 0, "%zu further bad lines ignored",
		    p.nbad - BC_NWARN);
	if (out->n == 0) {
		free(out->res);
		out->res = NULL;
	} else if (out->n < p.cap)
		out->res = xreallocarray(out->res, out->n, sizeof(*out->res));
	return 0;
}

int
bcres_read(const char *dir, const char *ctid, struct bcres *out)
{
	struct buf b = { NULL, 0, 0 };
	char *path;

	memset(out, 0, sizeof(*out));
	path = xasprintf("%s/%s/resources", dir, ctid);
	if (file_read(path, &b) == -1) {
		/* Stopped between the listing and now, or never started. */
		if (errno == ENOENT || errno == ENOTDIR) {
			buf_free(&b);
			free(path);
			return VZ_OK;
		}
		vz_syserr(path, "cannot read");
		buf_free(&b);
		free(path);
		return VZ_FAIL;
	}
	(void)bcres_parse(b.data, b.len, path, out);
	buf_free(&b);
	free(path);
	return VZ_OK;
}

const struct bc_res *
bcres_find(const struct bcres *r, const char *name)
{
	size_t i;

	for (i = r->n; i > 0; i--)
		if (strcmp(r->res[i - 1].name, name) == 0)
			return &r->res[i - 1];
	return NULL;
}

void
bcres_fill(const struct bcres *r, struct ubc_ct *ct)
{
	const struct bc_res *x;
	size_t i;
	int k;

	ct->present = 0;
	memset(ct->res, 0, sizeof(ct->res));
	ct->failcnt = 0;
	for (i = 0; i < r->n; i++)
		ct->failcnt = ct->failcnt > UINT64_MAX - r->res[i].failcnt ?
		    UINT64_MAX : ct->failcnt + r->res[i].failcnt;
	for (k = 0; k < UBC_NRES; k++) {
		if ((x = bcres_find(r, ubc_names[k])) == NULL)
			continue;
		ct->present |= 1u << k;
		ct->res[k].held = x->v.held;
		ct->res[k].maxheld = x->v.maxheld;
		ct->res[k].barrier = x->v.barrier;
		ct->res[k].limit = x->v.limit;
	}
}

void
bcres_free(struct bcres *r)
{
	free(r->res);
	strpool_free(&r->names);
	memset(r, 0, sizeof(*r));
}

static int
cmp_ctidp(const void *a, const void *b)
{
	return ctid_cmp(*(char *const *)a, *(char *const *)b);
}

/* A directory (a symlink to one in a fake tree); d_type spares a stat. */
static int
is_dirent_dir(int dfd, const struct dirent *de)
{
	struct stat st;

#ifdef DT_DIR
	if (de->d_type == DT_DIR)
		return 1;
	if (de->d_type != DT_LNK && de->d_type != DT_UNKNOWN)
		return 0;
#endif
	if (fstatat(dfd, de->d_name, &st, 0) == -1)
		return 0;
	return S_ISDIR(st.st_mode);
}

int
bc_list(const char *dir, struct strpool *pool, char ***out, size_t *nout,
    int *have)
{
	struct dirent *de;
	char **v = NULL;
	size_t n = 0, cap = 0, len;
	DIR *d;

	*out = NULL;
	*nout = 0;
	*have = 0;
	if ((d = opendir(dir)) == NULL) {
		if (errno == ENOENT || errno == ENOTDIR)
			return VZ_OK;
		vz_syserr(dir, "cannot read");
		return VZ_FAIL;
	}
	*have = 1;
	for (;;) {
		errno = 0;
		if ((de = readdir(d)) == NULL)
			break;
		len = strlen(de->d_name);
		if (!ctid_valid(de->d_name, len) ||
		    (len == 1 && de->d_name[0] == '0') ||
		    !is_dirent_dir(dirfd(d), de))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			v = xreallocarray(v, cap, sizeof(*v));
		}
		v[n++] = strpool_add(pool, de->d_name, len);
	}
	if (errno != 0) {
		vz_syserr(dir, "cannot read");
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

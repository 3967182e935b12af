/*
 * confopen.c -- a container's conf opened for writing (SPEC 5c): the
 * conf in the conf dir, never through a link; on OpenVZ 7 only, the one
 * link vzmem follows, CTID.conf -> VE_PRIVATE/ve.conf of that container,
 * checked to be exactly that file.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/tmpfile.h"
#include "openvz.h"
#include "vzmem.h"

#define VE_PRIVATE_DEFAULT	"/vz/private/$VEID"	/* vzctl's */

static char	*var_of(const char *, const char *, size_t);
static char	*expand_veid(const char *, const char *);
static char	*ve_private(const struct ovz *, const char *, const char *,
		    size_t);
static int	 open_ve_conf(struct ovz *, int, const char *, const char *,
		    struct ofile *);

/* NAME's value in conf text (vzctl's reading: the last one wins), or
 * NULL. */
static char *
var_of(const char *name, const char *text, size_t len)
{
	struct conf c;
	char *v;

	conf_parse(&c, text, len, NULL);
	v = conf_string(&c, name);
	conf_free(&c);
	if (v != NULL && *v == '\0') {
		free(v);
		v = NULL;
	}
	return v;
}

/* "$VEID" and "${VEID}" in s replaced by ctid, as vzctl does. */
static char *
expand_veid(const char *s, const char *ctid)
{
	struct buf b = { NULL, 0, 0 };

	buf_add(&b, "", 0);
	while (*s != '\0')
		if (strncmp(s, "${VEID}", 7) == 0) {
			buf_addstr(&b, ctid);
			s += 7;
		} else if (strncmp(s, "$VEID", 5) == 0) {
			buf_addstr(&b, ctid);
			s += 5;
		} else
			buf_addc(&b, *s++);
	return b.data;
}

/*
 * The container's VE_PRIVATE, root included: as its conf (text) says,
 * else vz.conf, else vzctl's default.
 */
static char *
ve_private(const struct ovz *z, const char *ctid, const char *text,
    size_t len)
{
	const char *root = z->o->root != NULL ? z->o->root : "";
	struct buf vz = { NULL, 0, 0 };
	char *v, *vzconf, *p;

	if ((v = var_of("VE_PRIVATE", text, len)) == NULL) {
		vzconf = xasprintf("%s/etc/vz/vz.conf", root);
		if (file_read(vzconf, &vz) == 0)
			v = var_of("VE_PRIVATE", vz.data, vz.len);
		buf_free(&vz);
		free(vzconf);
	}
	p = expand_veid(v != NULL ? v : VE_PRIVATE_DEFAULT, ctid);
	free(v);
	v = xasprintf("%s%s", root, p);
	free(p);
	return v;
}

/*
 * name in dirfd, a link: opened as VE_PRIVATE/ve.conf when it is that
 * file (device and inode of the link's target and of ve.conf opened
 * with O_NOFOLLOW in VE_PRIVATE), and names this container if it names
 * one (VEID).  Temp files a killed run left there are swept (vzmem
 * holds the lock).  0, or -1 after a message.
 */
static int
open_ve_conf(struct ovz *z, int dirfd, const char *name, const char *ctid,
    struct ofile *of)
{
	struct buf text = { NULL, 0, 0 };
	struct stat tst;
	char *priv = NULL, *veid = NULL, *path = NULL;
	int tfd, r = -1;

	if ((tfd = openat(dirfd, name, O_RDONLY | O_NONBLOCK | O_NOCTTY |
	    O_CLOEXEC)) == -1 || fstat(tfd, &tst) == -1 ||
	    (S_ISREG(tst.st_mode) && file_read_fd(tfd, &text) == -1)) {
		vz_syserr(name, "cannot read");
		goto done;
	}
	if (!S_ISREG(tst.st_mode)) {
		vz_err(name, 0, 0, "cannot write: a symbolic link to %s",
		    "no regular file");
		goto done;
	}
	veid = var_of("VEID", text.data, text.len);
	if (veid != NULL && strcmp(veid, ctid) != 0) {
		vz_err(name, 0, 0, "cannot write: a symbolic link to the "
		    "conf of container %s, not of %s; vzmem follows only "
		    "CTID.conf -> VE_PRIVATE/ve.conf of that container",
		    veid, ctid);
		goto done;
	}
	priv = ve_private(z, ctid, text.data, text.len);
	path = xasprintf("%s/ve.conf", priv);
	if (file_open(of, path, 0) == -1) {
		vz_err(name, 0, 0, "cannot write %s: %s", path,
		    file_why(of));
		file_close(of);
		goto done;
	}
	if (of->st.st_dev != tst.st_dev || of->st.st_ino != tst.st_ino) {
		vz_err(name, 0, 0, "cannot write: a symbolic link to another "
		    "file than %s, this container's VE_PRIVATE/ve.conf; "
		    "vzmem follows no other link", path);
		file_close(of);
		goto done;
	}
	tmp_sweep_of(of->dirfd, of->name);
	r = 0;
done:
	if (tfd != -1)
		close(tfd);
	buf_free(&text);
	free(priv);
	free(path);
	free(veid);
	return r;
}

int
ovz_conf_open(struct ovz *z, int confdfd, const char *ctid, struct ofile *of)
{
	char *name = xasprintf("%s.conf", ctid);
	struct stat lst;
	int r = 0;

	if (file_open_at(of, confdfd, z->confdir, name, 0) == 0)
		goto done;
	if (of->why == NULL || fstatat(confdfd, name, &lst,
	    AT_SYMLINK_NOFOLLOW) == -1 || !S_ISLNK(lst.st_mode)) {
		vz_err(name, 0, 0, "cannot write: %s", file_why(of));
		file_close(of);
		r = -1;
	} else if (file_close(of), ovz_version(z) == 7)
		r = open_ve_conf(z, confdfd, name, ctid, of) == 0 ? 1 : -1;
	else {
		vz_err(name, 0, 0, "cannot write: a symbolic link, which "
		    "vzmem follows on OpenVZ 7 only (CTID.conf -> "
		    "VE_PRIVATE/ve.conf)");
		r = -1;
	}
done:
	free(name);
	return r;
}

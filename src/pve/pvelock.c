/*
 * pvelock.c -- the config lock that qm and pct take around every change
 * of a guest's config, taken by -a the same way before it rewrites one.
 *
 * qemu-server src/PVE/QemuConfig.pm 33, 61-65: /var/lock/qemu-server/
 * lock-VMID.conf; pve-container src/PVE/LXC/Config.pm 34, 53-57:
 * /run/lock/lxc/pve-config-VMID.lock.  Both go through pve-common's
 * PVE::Tools::lock_file_full (src/PVE/Tools.pm 203-272): the file opened
 * with ">>" (made when missing), flock(LOCK_EX), 10 s to get it.  The
 * directories are root's (mkdir at module load); a lock in a directory
 * others may write is refused, as a file planted there could be held
 * for ever or be a link.
 */
#include <sys/file.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pve/pvek.h"

static int	 lock_dir(const char *);
static int	 dir_refused(const char *, int);

/* The lock's directory, made (0755, as Proxmox's mkdir) when missing
 * and its parent is there: an fd, or -1 after a message. */
static int
lock_dir(const char *dir)
{
	char *why = NULL, *parent, *slash;
	int dfd, pfd;

	if ((dfd = dir_open(dir, &why)) != -1)
		return dir_refused(dir, dfd);
	if (why != NULL || errno != ENOENT) {
		if (why != NULL)
			vz_err(dir, 0, 0, "refused as the config lock's "
			    "directory: %s", why);
		else
			vz_syserr(dir, "cannot open the config lock's "
			    "directory");
		free(why);
		return -1;
	}
	parent = xstrdup(dir);
	slash = strrchr(parent, '/');
	*slash = '\0';
	if ((pfd = dir_open(parent[0] != '\0' ? parent : "/", &why)) == -1) {
		if (why != NULL)
			vz_err(parent, 0, 0, "refused: %s", why);
		else
			vz_syserr(parent, "cannot open");
		free(why);
		free(parent);
		return -1;
	}
	if (mkdirat(pfd, slash + 1, 0755) == -1 && errno != EEXIST) {
		vz_syserr(dir, "cannot make the config lock's directory");
		dfd = -1;
	} else if ((dfd = openat(pfd, slash + 1, O_RDONLY | O_DIRECTORY |
	    O_NOFOLLOW | O_CLOEXEC)) == -1)
		vz_syserr(dir, "cannot open the config lock's directory");
	close(pfd);
	free(parent);
	return dfd == -1 ? -1 : dir_refused(dir, dfd);
}

/* dfd, unless someone but root and vzmem's user owns it or may write
 * it (then -1 after a message, dfd closed). */
static int
dir_refused(const char *dir, int dfd)
{
	struct stat st;

	if (fstat(dfd, &st) == -1) {
		vz_syserr(dir, "cannot stat");
	} else if (st.st_uid != 0 && st.st_uid != geteuid()) {
		vz_err(dir, 0, 0, "owned by uid %lu: refused as the config "
		    "lock's directory (Proxmox makes it as root)",
		    (unsigned long)st.st_uid);
	} else if (st.st_mode & (S_IWGRP | S_IWOTH)) {
		vz_err(dir, 0, 0, "writable by %s (mode %04o): refused as the "
		    "config lock's directory (Proxmox makes it 0755)",
		    st.st_mode & S_IWOTH ? "others" : "its group",
		    (unsigned)(st.st_mode & 07777));
	} else
		return dfd;
	close(dfd);
	return -1;
}

int
pve_lock(const struct pvek *s, const struct pveg *r, int wait)
{
	struct stat st;
	char *name, *path;
	int dfd, fd, rc;

	if ((dfd = lock_dir(s->lockdir)) == -1)
		return -1;
	name = s->kind == &qm_kind ? xasprintf("lock-%lu.conf", r->vmid) :
	    xasprintf("pve-config-%lu.lock", r->vmid);
	path = xasprintf("%s/%s", s->lockdir, name);
	fd = openat(dfd, name, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW |
	    O_NONBLOCK | O_NOCTTY | O_CLOEXEC, 0644);
	close(dfd);
	if (fd == -1) {
		vz_syserr(path, "cannot open the config lock");
		goto out;
	}
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		vz_err(path, 0, 0, "not a regular file: refused as the config "
		    "lock");
		close(fd);
		fd = -1;
		goto out;
	}
	while ((rc = flock(fd, LOCK_EX | (wait ? 0 : LOCK_NB))) == -1 &&
	    errno == EINTR)
		continue;
	if (rc == -1) {
		if (errno == EWOULDBLOCK)
			vz_err(path, 0, 0, "held by another command (the "
			    "config lock qm set and pct set take): %s not "
			    "written; run vzmem -a again when it is done, or "
			    "with --wait", r->path);
		else
			vz_syserr(path, "cannot lock");
		close(fd);
		fd = -1;
	}
out:
	free(name);
	free(path);
	return fd;
}

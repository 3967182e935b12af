/*
 * cgwrite.c -- writing a plan's values into cgroup files in an order the
 * kernel accepts, and putting back what a failed guest had.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cgroup/cgfs.h"
#include "cgroup/cgfile.h"

static int	 rank_of(const struct cg_write *, int);
static int	 cmp_write(const void *, const void *);
static void	 cancel_guest(struct cg_write *, size_t, size_t);
static void	 value_str(struct buf *, int, uint64_t);
static void	 say_write(const struct cg_write *, int, uint64_t, uint64_t,
		    const char *);
static void	 list_files(struct buf *, const struct cg_write *, size_t,
		    size_t, int);
static void	 put_back(struct cg_write *, size_t, size_t, int);

/* The order within a guest's phase: the v1 pair as the kernel wants. */
static int
rank_of(const struct cg_write *w, int phase)
{
	if (cg_is_limit(w->item))
		return phase == 0 ? 0 : 1;
	if (w->item == CG_MEMSW)
		return phase == 0 ? 1 : 0;
	if (w->item == CG_SWAP_MAX)
		return 2;
	return 3;
}

static int
cmp_write(const void *a, const void *b)
{
	const struct cg_write *x = a, *y = b;
	int px = x->phase, py = y->phase, rx, ry;

	if (px != py)
		return px < py ? -1 : 1;
	if (x->guest != y->guest)
		return x->guest < y->guest ? -1 : 1;
	rx = rank_of(x, px);
	ry = rank_of(y, py);
	if (rx != ry)
		return rx < ry ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

void
cg_order(struct cg_write *w, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		w[i].seq = i;
	if (n > 1)
		qsort(w, n, sizeof(*w), cmp_write);
}

int
cg_write_value(int dfd, enum cg_item item, uint64_t bytes)
{
	char text[32];
	ssize_t w;
	size_t len;
	int fd, e;

	if (bytes == CG_UNLIMITED)
		len = (size_t)snprintf(text, sizeof(text), "%s\n",
		    item < CG_SOFT ? "max" : "-1");
	else
		len = (size_t)snprintf(text, sizeof(text), "%llu\n",
		    (unsigned long long)bytes);
	/*
	 * No O_CREAT: a file that is not there is no knob to create.
	 * O_TRUNC is what "echo N > file" does; cgroupfs ignores it, and a
	 * regular file (a test tree) then holds just the value.
	 */
	fd = openat(dfd, cg_item_file(item), O_WRONLY | O_TRUNC | O_CLOEXEC |
	    O_NOFOLLOW);
	if (fd == -1)
		return -1;
	/* One write(2) is one store of the value: never split it. */
	while ((w = write(fd, text, len)) == -1 && errno == EINTR)
		;
	if (w != (ssize_t)len) {
		e = w == -1 ? errno : EIO;
		close(fd);
		errno = e;
		return -1;
	}
	return close(fd);
}

/* The guest's writes after i are not tried: it failed already. */
static void
cancel_guest(struct cg_write *w, size_t n, size_t i)
{
	size_t j;

	for (j = i + 1; j < n; j++)
		if (w[j].guest == w[i].guest && w[j].err == 0) {
			w[j].err = ECANCELED;
			if (verbosity > 1)
				vz_info("%s: %s/%s: not tried: its write of "
				    "%s was refused", w[j].name, w[j].dir,
				    cg_item_file(w[j].item),
				    cg_item_file(w[i].item));
		}
}

/* A value as -v shows it: bytes, "max", or "(unreadable)". */
static void
value_str(struct buf *b, int known, uint64_t v)
{
	if (!known)
		buf_addstr(b, "(unreadable)");
	else if (v == CG_UNLIMITED)
		buf_addstr(b, "max");
	else
		buf_addu64(b, v);
}

/* -v: "lxc:web: DIR/memory.max: 536870912 -> 250810368". */
static void
say_write(const struct cg_write *w, int known, uint64_t from, uint64_t to,
    const char *how)
{
	struct buf b = { NULL, 0, 0 };

	value_str(&b, known, from);
	buf_addstr(&b, " -> ");
	value_str(&b, 1, to);
	vz_info("%s: %s/%s: %s%s", w->name, w->dir, cg_item_file(w->item),
	    b.data, how);
	buf_free(&b);
}

/* ", memory.limit_in_bytes" of the guest's writes that are (held) or
 * are not (!held) in their new value now. */
static void
list_files(struct buf *b, const struct cg_write *w, size_t n, size_t guest,
    int held)
{
	size_t j;

	for (j = 0; j < n; j++)
		if (w[j].guest == guest &&
		    (w[j].done && !w[j].undone) == held) {
			buf_addstr(b, b->len > 0 ? ", " : "");
			buf_addstr(b, cg_item_file(w[j].item));
			if (held) {
				buf_addstr(b, " (");
				value_str(b, 1, w[j].want);
				buf_addc(b, ')');
			}
		}
}

/*
 * w[i] was refused: put the guest's earlier writes back, the last
 * first, in its cgroup directory dfd (-1: it could not be opened again,
 * so nothing can be put back).  The note or the error says in what
 * state its cgroup is.
 */
static void
put_back(struct cg_write *w, size_t n, size_t i, int dfd)
{
	struct buf done = { NULL, 0, 0 }, back = { NULL, 0, 0 };
	size_t j, nback = 0, stuck = 0;

	for (j = i; j-- > 0;) {
		if (w[j].guest != w[i].guest || !w[j].done || w[j].undone)
			continue;
		if (!w[j].known) {
			vz_err(w[j].name, 0, 0, "%s/%s: not put back: its old "
			    "value was unreadable", w[j].dir,
			    cg_item_file(w[j].item));
			stuck++;
			continue;
		}
		if (dfd == -1) {
			vz_err(w[j].name, 0, 0, "%s/%s: not put back: its "
			    "cgroup could not be opened again", w[j].dir,
			    cg_item_file(w[j].item));
			stuck++;
			continue;
		}
		if (cg_write_value(dfd, w[j].item, w[j].old) == -1) {
			vz_err(w[j].name, 0, 0, "cannot put %s/%s back to "
			    "%llu: %s", w[j].dir, cg_item_file(w[j].item),
			    (unsigned long long)w[j].old, strerror(errno));
			stuck++;
			continue;
		}
		w[j].undone = 1;
		if (verbosity > 0)
			say_write(&w[j], 1, w[j].want, w[j].old,
			    " (put back)");
		buf_addstr(&back, nback++ > 0 ? ", " : "");
		buf_addstr(&back, cg_item_file(w[j].item));
	}
	if (stuck == 0 && nback == 0)
		vz_info("%s: nothing was written to its cgroup: it is as it "
		    "was", w[i].name);
	else if (stuck == 0)
		vz_info("%s: %s put back: its cgroup is as it was", w[i].name,
		    back.data);
	else {
		list_files(&done, w, n, w[i].guest, 1);
		back.len = 0;
		list_files(&back, w, n, w[i].guest, 0);
		vz_err(w[i].name, 0, 0, "its cgroup %s is half-applied: "
		    "written %s; not written %s", w[i].dir, done.data,
		    back.data);
	}
	buf_free(&done);
	buf_free(&back);
}

/*
 * The directory of w's cgroup, walked again for its writes; -1 after
 * the message when it is no longer the directory it was (a link, a
 * file) or gone.
 */
static int
write_dir(const struct cg_write *w)
{
	struct cg_walk wk;
	size_t dl, pl;
	int dfd, e;

	if (w->path == NULL) {
		errno = EBADF;
		return -1;
	}
	if ((dfd = cg_dir_open(w->mfd, w->path, &wk)) != -1)
		return dfd;
	e = errno;
	/* dir is the mount, '/' and path. */
	dl = strlen(w->dir);
	pl = strlen(w->path);
	if (wk.refused != CG_REF_NONE && wk.refused != CG_REF_ERRNO)
		vz_err(w->name, 0, 0, "cannot write %s: %.*s/%.*s is not a "
		    "cgroup: %s (never followed); not applied live",
		    cg_item_file(w->item), (int)(dl > pl ? dl - pl - 1 : dl),
		    w->dir, (int)wk.len, w->path, cg_refused_what(&wk));
	else
		vz_err(w->name, 0, 0, "cannot write %llu to %s/%s: %s",
		    (unsigned long long)w->want, w->dir,
		    cg_item_file(w->item), strerror(e));
	errno = e;
	return -1;
}

size_t
cg_write_all(struct cg_write *w, size_t n, int phase)
{
	size_t i, failed = 0, guest = 0;
	int dfd = -1;

	for (i = 0; i < n; i++) {
		if (w[i].err != 0 || w[i].done ||
		    (phase != -1 && w[i].phase != phase))
			continue;
		/* One walk for the consecutive writes of a guest. */
		if (dfd != -1 && guest != w[i].guest) {
			close(dfd);
			dfd = -1;
		}
		guest = w[i].guest;
		if (dfd == -1 && (dfd = write_dir(&w[i])) == -1) {
			w[i].err = errno;
			failed++;
			cancel_guest(w, n, i);
			put_back(w, n, i, -1);
			continue;
		}
		if (cg_write_value(dfd, w[i].item, w[i].want) == 0) {
			w[i].done = 1;
			if (verbosity > 0)
				say_write(&w[i], w[i].known, w[i].old,
				    w[i].want, "");
			continue;
		}
		w[i].err = errno;
		vz_err(w[i].name, 0, 0, "cannot write %llu to %s/%s: %s",
		    (unsigned long long)w[i].want, w[i].dir,
		    cg_item_file(w[i].item), strerror(w[i].err));
		failed++;
		cancel_guest(w, n, i);
		put_back(w, n, i, dfd);
	}
	if (dfd != -1)
		close(dfd);
	return failed;
}

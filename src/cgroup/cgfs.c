/*
 * cgfs.c -- the memory cgroup files of this host: detection, reading,
 * the values a share wants, and plain writes in a safe order.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cgroup/cgfs.h"

#define CG_ROOT		"/sys/fs/cgroup"
#define CG_V1_MOUNT	"/sys/fs/cgroup/memory"
#define COMPONENT_MAX	255		/* NAME_MAX */
#define PATH_LEN_MAX	4095		/* PATH_MAX less the NUL */
#define QUOTE_MAX	40		/* bytes of garbage shown */
#define PSI_MAX		10000		/* 100.00 % */

/* How a file is read. */
enum fkind {
	F_BYTES,		/* one byte count; "max" where max_ok */
	F_COUNT,		/* one count */
	F_EVENTS,		/* "key N" lines: high, max, oom_kill */
	F_OOMCTL,		/* "key N" lines: oom_kill */
	F_PSI			/* "some avg10=N.NN ..." */
};

struct cgfile {
	const char	*name;
	enum cg_version	 version;
	enum fkind	 kind;
	enum cg_item	 item;		/* F_BYTES, F_COUNT, F_PSI */
	int		 max_ok;	/* a limit: v2 prints "max" */
};

static const struct cgfile files[] = {
	{ "memory.low", CG_V2, F_BYTES, CG_LOW, 1 },
	{ "memory.min", CG_V2, F_BYTES, CG_MIN, 1 },
	{ "memory.max", CG_V2, F_BYTES, CG_MAX, 1 },
	{ "memory.high", CG_V2, F_BYTES, CG_HIGH, 1 },
	{ "memory.swap.max", CG_V2, F_BYTES, CG_SWAP_MAX, 1 },
	{ "memory.current", CG_V2, F_BYTES, CG_CURRENT, 0 },
	{ "memory.peak", CG_V2, F_BYTES, CG_PEAK, 0 },
	{ "memory.swap.current", CG_V2, F_BYTES, CG_SWAP_CURRENT, 0 },
	{ "memory.events", CG_V2, F_EVENTS, CG_EV_HIGH, 0 },
	{ "memory.pressure", CG_V2, F_PSI, CG_PSI_SOME10, 0 },
	{ "memory.soft_limit_in_bytes", CG_V1, F_BYTES, CG_SOFT, 0 },
	{ "memory.limit_in_bytes", CG_V1, F_BYTES, CG_LIMIT, 0 },
	{ "memory.memsw.limit_in_bytes", CG_V1, F_BYTES, CG_MEMSW, 0 },
	{ "memory.usage_in_bytes", CG_V1, F_BYTES, CG_USAGE, 0 },
	{ "memory.max_usage_in_bytes", CG_V1, F_BYTES, CG_MAX_USAGE, 0 },
	{ "memory.memsw.usage_in_bytes", CG_V1, F_BYTES, CG_MEMSW_USAGE, 0 },
	{ "memory.failcnt", CG_V1, F_COUNT, CG_FAILCNT, 0 },
	{ "memory.oom_control", CG_V1, F_OOMCTL, CG_OOM_KILL, 0 }
};
#define NFILES	(sizeof(files) / sizeof(files[0]))

/* In the order of enum cg_item. */
static const char *const item_files[] = {
	"memory.low", "memory.min", "memory.max", "memory.high",
	"memory.swap.max", "memory.current", "memory.peak",
	"memory.swap.current", "memory.soft_limit_in_bytes",
	"memory.limit_in_bytes", "memory.memsw.limit_in_bytes",
	"memory.usage_in_bytes", "memory.max_usage_in_bytes",
	"memory.memsw.usage_in_bytes", "memory.failcnt", "memory.events",
	"memory.events", "memory.events", "memory.pressure", "memory.low",
	"memory.min"
};
_Static_assert(sizeof(item_files) / sizeof(item_files[0]) == CG_NITEMS,
    "a file for every item");
_Static_assert(CG_NITEMS <= 32, "an item is a bit of have and bad");

/* A line of a file: its bytes without the '\n', and its number. */
struct line {
	const char	*s;
	size_t		 len;
	size_t		 no;
};

static int	 is_dir(const char *);
static int	 is_space(int);
static int	 next_line(const char *, size_t, size_t *, struct line *);
static int	 token(const char *, size_t, size_t, const char **,
		    size_t *);
static int	 tok_is(const char *, size_t, const char *);
static int	 opts_have(const char *, size_t, const char *);
static int	 read_text(const char *, struct buf *);
static int	 read_small(int, const char *, const char *, struct buf *);
static void	 detect_version(struct cgfs *, const char *);
static void	 detect_recursiveprot(struct cgfs *, const char *);
static int	 file_exists(const char *, const char *);
static void	 detect_swap(struct cgfs *);
static int	 component_ok(const char *, size_t);
static void	 set_item(struct cg_state *, enum cg_item, uint64_t);
static void	 bad_item(struct cg_state *, enum cg_item);
static void	 garbage(const char *, size_t, const char *, const char *,
		    size_t);
static void	 parse_single(struct cg_state *, const struct cgfile *,
		    enum cg_item, const char *, size_t, const char *,
		    uint64_t);
static void	 parse_keyed(struct cg_state *, const struct cgfile *,
		    const char *, size_t, const char *);
static void	 parse_psi(struct cg_state *, const char *, size_t,
		    const char *);
static int	 psi_value(const char *, size_t, uint64_t *);
static void	 read_file(struct cg_state *, int, const char *,
		    const struct cgfile *, enum cg_item, uint64_t);
static void	 read_parent(const struct cgfs *, const char *,
		    struct cg_state *);
static void	 walk_refused(int, const char *, int, struct cg_walk *);
static uint32_t	 file_items(const struct cgfile *);
static const struct cgfile *find_file(const char *);
static void	 live_pick(const struct cg_state *, enum cg_item,
		    uint64_t *, unsigned, unsigned *);
static int	 digits(const char *, size_t, unsigned, uint64_t *,
		    size_t *);
static int	 mul_ok(uint64_t, uint64_t, uint64_t *);
static int	 want_bytes(uint64_t, uint64_t, uint64_t *, const char **);
static int	 is_limit(enum cg_item);
static int	 plan_phase(const struct cg_state *,
		    const struct cg_write *);
static int	 rank_of(const struct cg_write *, int);
static int	 cmp_write(const void *, const void *);
static void	 cancel_guest(struct cg_write *, size_t, size_t);
static void	 value_str(struct buf *, int, uint64_t);
static void	 say_write(const struct cg_write *, int, uint64_t, uint64_t,
		    const char *);
static void	 list_files(struct buf *, const struct cg_write *, size_t,
		    size_t, int);
static void	 put_back(struct cg_write *, size_t, size_t, int);

static int
is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* isspace() in the C locale: what the kernel's strstrip() removes. */
static int
is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
	    c == '\v' || c == '\f';
}

/* The line at *off, advancing past it; 0 at the end of the text. */
static int
next_line(const char *text, size_t len, size_t *off, struct line *l)
{
	const char *nl;

	if (*off >= len)
		return 0;
	l->s = text + *off;
	if ((nl = memchr(l->s, '\n', len - *off)) == NULL)
		nl = text + len;
	l->len = (size_t)(nl - l->s);
	l->no++;
	*off += l->len + 1;
	return 1;
}

/* The n-th blank-separated token of s[0..len) (0-based). */
static int
token(const char *s, size_t len, size_t n, const char **t, size_t *tlen)
{
	size_t i = 0, b;

	for (;;) {
		while (i < len && is_space((unsigned char)s[i]))
			i++;
		if (i == len)
			return 0;
		for (b = i; i < len && !is_space((unsigned char)s[i]); i++)
			;
		if (n-- == 0) {
			*t = s + b;
			*tlen = i - b;
			return 1;
		}
	}
}

static int
tok_is(const char *t, size_t len, const char *word)
{
	return strlen(word) == len && memcmp(t, word, len) == 0;
}

int
cg_words_have(const char *s, size_t len, const char *word)
{
	const char *t;
	size_t n, tlen;

	for (n = 0; token(s, len, n, &t, &tlen); n++)
		if (tok_is(t, tlen, word))
			return 1;
	return 0;
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
		if (tok_is(s, n, opt))
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
	struct line l = { NULL, 0, 0 };
	const char *t, *mp, *fs;
	size_t off = 0, n, tlen, mplen, fslen;
	int found = 0;

	while (next_line(text, len, &off, &l)) {
		if (!token(l.s, l.len, 4, &mp, &mplen))
			continue;
		for (n = 6; token(l.s, l.len, n, &t, &tlen); n++)
			if (tok_is(t, tlen, "-"))
				break;
		if (!token(l.s, l.len, n + 1, &fs, &fslen) ||
		    !token(l.s, l.len, n + 3, &t, &tlen))
			continue;
		if (tok_is(fs, fslen, "cgroup2") && tok_is(mp, mplen, CG_ROOT))
			found = opts_have(t, tlen, "memory_recursiveprot");
	}
	return found;
}

/* /proc/mounts: "SOURCE MOUNTPOINT FSTYPE OPTS 0 0", every option. */
int
cg_mounts_recursiveprot(const char *text, size_t len)
{
	struct line l = { NULL, 0, 0 };
	const char *mp, *fs, *opts;
	size_t off = 0, mplen, fslen, olen;
	int found = 0;

	while (next_line(text, len, &off, &l))
		if (token(l.s, l.len, 1, &mp, &mplen) &&
		    token(l.s, l.len, 2, &fs, &fslen) &&
		    token(l.s, l.len, 3, &opts, &olen) &&
		    tok_is(fs, fslen, "cgroup2") &&
		    tok_is(mp, mplen, CG_ROOT))
			found = opts_have(opts, olen, "memory_recursiveprot");
	return found;
}

/* 1 read, 0 missing, -1 unreadable (a warning). */
static int
read_text(const char *path, struct buf *b)
{
	b->len = 0;
	if (file_read(path, b) == 0)
		return 1;
	if (errno == ENOENT || errno == ENOTDIR)
		return 0;
	vz_warn(path, 0, 0, "cannot read: %s", strerror(errno));
	return -1;
}

/*
 * A memory file, name in the directory dfd (path names it in messages),
 * in as few calls as the kernel allows: open, read, close.
 * A cgroup file comes whole in one read(2) (seq_file fills what it is
 * given), so a short read that ends a line ends the file; anything else
 * is read on to the end.  No fstat: cgroup files have no size.  10,000
 * guests of three files each: 60,000 calls fewer than file_read.  1, 0
 * missing, -1 unreadable (a warning).
 */
static int
read_small(int dfd, const char *name, const char *path, struct buf *b)
{
	char chunk[512];
	ssize_t n;
	int fd, e;

	b->len = 0;
	buf_add(b, "", 0);
	if ((fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) ==
	    -1) {
		if (errno == ENOENT || errno == ENOTDIR)
			return 0;
		vz_warn(path, 0, 0, "cannot read: %s", strerror(errno));
		return -1;
	}
	for (;;) {
		n = read(fd, chunk, sizeof(chunk));
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		buf_add(b, chunk, (size_t)n);
		if ((size_t)n < sizeof(chunk) && chunk[n - 1] == '\n')
			break;
	}
	e = errno;
	close(fd);
	if (n == -1) {
		vz_warn(path, 0, 0, "cannot read: %s", strerror(e));
		return -1;
	}
	return 1;
}

/* v2 when its root lists memory, else v1 when memory/ is there. */
static void
detect_version(struct cgfs *fs, const char *root)
{
	struct buf b = { NULL, 0, 0 };
	char *path;

	path = xasprintf("%s%s/cgroup.controllers", root, CG_ROOT);
	if (read_text(path, &b) == 1 && cg_words_have(b.data, b.len,
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
	if (read_text(path, &b) == 1)
		fs->recursiveprot = cg_mountinfo_recursiveprot(b.data, b.len);
	else {
		free(path);
		path = xasprintf("%s/proc/mounts", root);
		if (read_text(path, &b) == 1)
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

static int
component_ok(const char *s, size_t len)
{
	size_t i;

	if (len == 0 || len > COMPONENT_MAX || (len == 1 && s[0] == '.') ||
	    (len == 2 && s[0] == '.' && s[1] == '.'))
		return 0;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || c == '.' || c == '_' ||
		    c == '@' || c == ':' || c == '\\' || c == '-'))
			return 0;
	}
	return 1;
}

int
cg_path_valid(const char *s, size_t len)
{
	const char *slash;
	size_t n;

	if (len == 0 || len > PATH_LEN_MAX)
		return 0;
	/* A leading, trailing or doubled '/' is an empty component. */
	for (;;) {
		slash = memchr(s, '/', len);
		n = slash != NULL ? (size_t)(slash - s) : len;
		if (!component_ok(s, n))
			return 0;
		if (slash == NULL)
			return 1;
		s += n + 1;
		len -= n + 1;
		if (len == 0)
			return 0;
	}
}

uint64_t
cg_bytes_max(uint64_t page_bytes)
{
	if (page_bytes == 0)
		page_bytes = 4096;
	return (uint64_t)LONG_MAX / page_bytes * page_bytes;
}

const char *
cg_item_file(enum cg_item item)
{
	return (unsigned)item < CG_NITEMS ? item_files[item] : NULL;
}

void
cg_quote(struct buf *b, const char *s, size_t len)
{
	size_t i;

	buf_add(b, "", 0);
	for (i = 0; i < len && i < QUOTE_MAX; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"' || c == '\\')
			buf_printf(b, "\\%c", c);
		else if (c < 0x20 || c > 0x7e)
			buf_printf(b, "\\x%02x", c);
		else
			buf_addc(b, c);
	}
	if (len > QUOTE_MAX)
		buf_addstr(b, "...");
}

static void
set_item(struct cg_state *st, enum cg_item item, uint64_t v)
{
	st->val[item] = v;
	st->have |= 1u << item;
	st->bad &= ~(1u << item);
}

/* The file is there but says nothing usable: absent, and bad. */
static void
bad_item(struct cg_state *st, enum cg_item item)
{
	st->val[item] = 0;
	st->have &= ~(1u << item);
	st->bad |= 1u << item;
}

static void
garbage(const char *shown, size_t line, const char *what, const char *s,
    size_t len)
{
	struct buf q = { NULL, 0, 0 };

	cg_quote(&q, s, len);
	vz_warn(shown, line, 0, "%s: \"%s\"; ignored", what, q.data);
	buf_free(&q);
}

/* Digits of base (at most 16) into *v: 0, or -1 on overflow; *used
 * counts the digits. */
static int
digits(const char *s, size_t len, unsigned base, uint64_t *v, size_t *used)
{
	uint64_t x = 0;
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		unsigned d;

		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else
			break;
		if (d >= base)
			break;
		if (x > (UINT64_MAX - d) / base)
			return -1;
		x = x * base + d;
	}
	*v = x;
	*used = i;
	return 0;
}

/*
 * One value and a newline, as the kernel prints it: decimal, or "max"
 * for a v2 limit.  v1 prints an unlimited limit as the page-rounded
 * LONG_MAX, which reads as CG_UNLIMITED like anything from there up.
 */
static void
parse_single(struct cg_state *st, const struct cgfile *f,
    enum cg_item item, const char *text, size_t len, const char *shown,
    uint64_t page_bytes)
{
	const char *nl;
	uint64_t v;
	size_t n;
	int ok;

	nl = memchr(text, '\n', len);
	n = nl != NULL ? (size_t)(nl - text) : len;
	if (f->max_ok && tok_is(text, n, "max")) {
		v = CG_UNLIMITED;
		ok = 1;
	} else
		ok = parse_u64(text, n, UINT64_MAX, &v) == 0;
	if (!ok || (nl != NULL && (size_t)(nl - text) + 1 < len)) {
		bad_item(st, item);
		if (!ok)
			garbage(shown, 1, f->kind == F_COUNT ? "not a count" :
			    f->max_ok ? "not a byte count or \"max\"" :
			    "not a byte count", text, n);
		else {
			text = nl + 1;
			nl = memchr(text, '\n', len - n - 1);
			garbage(shown, 2, "more than one value", text,
			    nl != NULL ? (size_t)(nl - text) : len - n - 1);
		}
		return;
	}
	if (f->kind == F_BYTES && v >= cg_bytes_max(page_bytes))
		v = CG_UNLIMITED;
	set_item(st, item, v);
}

/*
 * "key N" lines (memory.events, memory.oom_control).  Keys other than
 * the ones kept are skipped, so that a newer kernel's lines (oom_group_
 * kill, sock_throttled) do not matter; a bad line is a warning.
 */
static void
parse_keyed(struct cg_state *st, const struct cgfile *f, const char *text,
    size_t len, const char *shown)
{
	static const struct {
		const char	*key;
		enum cg_item	 item;
		enum fkind	 kind;
	} keys[] = {
		{ "high", CG_EV_HIGH, F_EVENTS },
		{ "max", CG_EV_MAX, F_EVENTS },
		{ "oom_kill", CG_OOM_KILL, F_EVENTS },
		{ "oom_kill", CG_OOM_KILL, F_OOMCTL }
	};
	struct line l = { NULL, 0, 0 };
	const char *k, *v, *extra;
	size_t off = 0, klen, vlen, xlen, i;
	uint64_t n;

	while (next_line(text, len, &off, &l)) {
		if (!token(l.s, l.len, 0, &k, &klen))
			continue;
		if (!token(l.s, l.len, 1, &v, &vlen) ||
		    token(l.s, l.len, 2, &extra, &xlen) ||
		    parse_u64(v, vlen, UINT64_MAX, &n) == -1) {
			garbage(shown, l.no, "not \"key count\"", l.s, l.len);
			continue;
		}
		for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
			if (keys[i].kind == f->kind &&
			    tok_is(k, klen, keys[i].key))
				set_item(st, keys[i].item, n);
	}
}

/* "N.NN" in hundredths, at most 100.00. */
static int
psi_value(const char *s, size_t len, uint64_t *v)
{
	const char *dot;
	uint64_t whole, frac = 0;
	size_t n, fl;

	dot = memchr(s, '.', len);
	n = dot != NULL ? (size_t)(dot - s) : len;
	if (n == 0 || n > 3 || parse_u64(s, n, 100, &whole) == -1)
		return -1;
	if (dot != NULL) {
		fl = len - n - 1;
		if (fl == 0 || fl > 2 ||
		    parse_u64(dot + 1, fl, 99, &frac) == -1)
			return -1;
		if (fl == 1)
			frac *= 10;
	}
	*v = whole * 100 + frac;
	return *v <= PSI_MAX ? 0 : -1;
}

/* memory.pressure: the "some" line's avg10 (the "full" one is not
 * shown by -s). */
static void
parse_psi(struct cg_state *st, const char *text, size_t len,
    const char *shown)
{
	struct line l = { NULL, 0, 0 };
	const char *t;
	size_t off = 0, n, tlen;
	uint64_t v;

	while (next_line(text, len, &off, &l)) {
		if (!token(l.s, l.len, 0, &t, &tlen) ||
		    !tok_is(t, tlen, "some"))
			continue;
		for (n = 1; token(l.s, l.len, n, &t, &tlen); n++)
			if (tlen > 6 && memcmp(t, "avg10=", 6) == 0)
				break;
		if (tlen <= 6 || memcmp(t, "avg10=", 6) != 0 ||
		    psi_value(t + 6, tlen - 6, &v) == -1) {
			bad_item(st, CG_PSI_SOME10);
			garbage(shown, l.no, "no \"some avg10=N.NN\"", l.s,
			    l.len);
			continue;
		}
		set_item(st, CG_PSI_SOME10, v);
	}
}

static const struct cgfile *
find_file(const char *name)
{
	size_t i;

	for (i = 0; i < NFILES; i++)
		if (strcmp(files[i].name, name) == 0)
			return &files[i];
	return NULL;
}

int
cg_parse(struct cg_state *st, const char *name, const char *text,
    size_t len, const char *shown, uint64_t page_bytes)
{
	const struct cgfile *f;

	if ((f = find_file(name)) == NULL)
		return -1;
	switch (f->kind) {
	case F_BYTES:
	case F_COUNT:
		parse_single(st, f, f->item, text, len, shown, page_bytes);
		break;
	case F_EVENTS:
	case F_OOMCTL:
		parse_keyed(st, f, text, len, shown);
		break;
	case F_PSI:
		parse_psi(st, text, len, shown);
		break;
	}
	return 0;
}

/*
 * dir/f->name into item (f->item but for the parent's files), opened in
 * dfd, the directory dir (shown in messages).  The path is built by
 * hand: 30,000 of them by printf cost more than their reads.
 */
static void
read_file(struct cg_state *st, int dfd, const char *dir,
    const struct cgfile *f, enum cg_item item, uint64_t page_bytes)
{
	struct buf b = { NULL, 0, 0 }, pb = { NULL, 0, 0 };
	const char *path;
	int r;

	buf_addstr(&pb, dir);
	buf_addc(&pb, '/');
	buf_addstr(&pb, f->name);
	path = pb.data;
	if ((r = read_small(dfd, f->name, path, &b)) == 1) {
		if (f->kind == F_BYTES || f->kind == F_COUNT)
			parse_single(st, f, item, b.data, b.len, path,
			    page_bytes);
		else
			cg_parse(st, f->name, b.data, b.len, path,
			    page_bytes);
	} else if (r == -1)
		bad_item(st, item);
	buf_free(&b);
	buf_free(&pb);
}

char *
cg_parent_path(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash != NULL ? xstrndup(path, (size_t)(slash - path)) :
	    xstrdup("");
}

/*
 * The parent decides whether the memory files exist at all (v2: its
 * subtree_control) and whether a guarantee protects anything (its own
 * memory.low, unless it is the root, which needs none).
 */
static void
read_parent(const struct cgfs *fs, const char *path, struct cg_state *st)
{
	struct buf b = { NULL, 0, 0 };
	struct cg_walk wk;
	char *parent, *pdir, *p;
	int pfd;

	st->parent_root = strchr(path, '/') == NULL;
	if (fs->version == CG_V1) {
		st->parent_memory = 1;
		return;
	}
	st->parent_memory = -1;
	parent = cg_parent_path(path);
	pdir = parent[0] == '\0' ? xstrdup(fs->mount) : xasprintf("%s/%s",
	    fs->mount, parent);
	/* Walked like the guest's own: a link above it is not read. */
	pfd = cg_dir_open(fs->mfd, parent, &wk);
	free(parent);
	if (pfd == -1) {
		free(pdir);
		return;
	}
	p = xasprintf("%s/cgroup.subtree_control", pdir);
	if (read_small(pfd, "cgroup.subtree_control", p, &b) == 1)
		st->parent_memory = cg_words_have(b.data, b.len, "memory");
	free(p);
	if (!st->parent_root) {
		read_file(st, pfd, pdir, find_file("memory.low"),
		    CG_PARENT_LOW, fs->page_bytes);
		read_file(st, pfd, pdir, find_file("memory.min"),
		    CG_PARENT_MIN, fs->page_bytes);
	}
	close(pfd);
	buf_free(&b);
	free(pdir);
}

/* Why component name (in the directory dfd) could not be opened, the
 * error err: a link, a file, or err itself. */
static void
walk_refused(int dfd, const char *name, int err, struct cg_walk *wk)
{
	struct stat st;

	wk->refused = CG_REF_ERRNO;
	wk->err = err;
	if (err == ENOENT) {
		wk->refused = CG_REF_NONE;
		return;
	}
	if (err != ENOTDIR && err != ELOOP)
		return;
	if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) == -1) {
		if (errno == ENOENT)
			wk->refused = CG_REF_NONE;
		return;
	}
	wk->refused = S_ISLNK(st.st_mode) ? CG_REF_LINK : S_ISREG(st.st_mode) ?
	    CG_REF_FILE : S_ISDIR(st.st_mode) ? CG_REF_ERRNO : CG_REF_OTHER;
}

int
cg_dir_open(int mfd, const char *path, struct cg_walk *wk)
{
	char *copy, *comp, *slash;
	int fd, next, e;

	memset(wk, 0, sizeof(*wk));
	if (mfd < 0) {
		wk->refused = CG_REF_ERRNO;
		wk->err = errno = EBADF;
		return -1;
	}
	if (path[0] == '\0')
		return openat(mfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	copy = xstrdup(path);
	fd = mfd;
	for (comp = copy; comp != NULL; comp = slash) {
		if ((slash = strchr(comp, '/')) != NULL)
			*slash++ = '\0';
		next = openat(fd, comp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
		    O_CLOEXEC);
		if (next == -1) {
			e = errno;
			walk_refused(fd, comp, e, wk);
			wk->len = (size_t)(comp - copy) + strlen(comp);
			if (fd != mfd)
				close(fd);
			free(copy);
			errno = e;
			return -1;
		}
		if (fd != mfd)
			close(fd);
		fd = next;
	}
	free(copy);
	return fd;
}

const char *
cg_refused_what(const struct cg_walk *wk)
{
	switch (wk->refused) {
	case CG_REF_LINK:
		return "a symbolic link";
	case CG_REF_FILE:
		return "a regular file";
	case CG_REF_OTHER:
		return "not a directory";
	case CG_REF_ERRNO:
		return strerror(wk->err);
	default:
		return "not there";
	}
}

int
cg_read(const struct cgfs *fs, const char *path, struct cg_state *st)
{
	memset(st, 0, sizeof(*st));
	return cg_read_items(fs, path, UINT32_MAX, st);
}

/* The items a file of the table holds. */
static uint32_t
file_items(const struct cgfile *f)
{
	if (f->kind == F_EVENTS)
		return 1u << CG_EV_HIGH | 1u << CG_EV_MAX | 1u << CG_OOM_KILL;
	return 1u << f->item;
}

int
cg_read_items(const struct cgfs *fs, const char *path, uint32_t mask,
    struct cg_state *st)
{
	const uint32_t parent = 1u << CG_PARENT_LOW | 1u << CG_PARENT_MIN;
	struct cg_walk wk;
	uint32_t fm;
	char *dir;
	size_t i;
	int dfd;

	if (st->read == 0 && !st->looked)
		st->parent_memory = -1;
	if (fs->version == CG_NONE || fs->mount == NULL) {
		st->looked = 1;
		return 0;
	}
	mask &= ~st->read;
	if (st->looked && (!st->exists || mask == 0))
		return st->exists;
	dir = path[0] != '\0' ? xasprintf("%s/%s", fs->mount, path) :
	    xstrdup(fs->mount);
	/*
	 * The files opened in the directory, walked from the mount one
	 * component at a time: a link on the way is refused (st->walk), and
	 * the cgroup counts as not there.
	 */
	dfd = cg_dir_open(fs->mfd, path, &wk);
	if (!st->looked) {
		st->exists = dfd != -1;
		st->walk = wk;
		st->looked = 1;
	}
	/* Gone since it was looked at: its files stay absent. */
	for (i = 0; i < NFILES && st->exists && dfd != -1; i++) {
		fm = file_items(&files[i]);
		if (files[i].version != fs->version || (fm & mask) == 0)
			continue;
		read_file(st, dfd, dir, &files[i], files[i].item,
		    fs->page_bytes);
		st->read |= fm;
	}
	if (st->exists && dfd != -1 && (mask & parent) != 0 &&
	    path[0] != '\0')
		read_parent(fs, path, st);
	if (st->exists)
		st->read |= mask;
	if (dfd != -1)
		close(dfd);
	free(dir);
	return st->exists;
}

/* One figure, when it was read. */
static void
live_pick(const struct cg_state *st, enum cg_item item, uint64_t *v,
    unsigned bit, unsigned *have)
{
	if (CG_HAS(st, item)) {
		*v = st->val[item];
		*have |= bit;
	}
}

void
cg_live_of(const struct cg_state *st, struct cg_live *l)
{
	memset(l, 0, sizeof(*l));
	/* A state holds the files of one version: one of each pair. */
	live_pick(st, CG_CURRENT, &l->current, CGL_CURRENT, &l->have);
	live_pick(st, CG_USAGE, &l->current, CGL_CURRENT, &l->have);
	live_pick(st, CG_PEAK, &l->peak, CGL_PEAK, &l->have);
	live_pick(st, CG_MAX_USAGE, &l->peak, CGL_PEAK, &l->have);
	live_pick(st, CG_SWAP_CURRENT, &l->swap, CGL_SWAP, &l->have);
	live_pick(st, CG_MEMSW_USAGE, &l->memsw, CGL_MEMSW, &l->have);
	live_pick(st, CG_OOM_KILL, &l->oom_kill, CGL_OOM_KILL, &l->have);
	live_pick(st, CG_EV_HIGH, &l->high, CGL_HIGH, &l->have);
	live_pick(st, CG_EV_MAX, &l->max, CGL_MAX, &l->have);
	live_pick(st, CG_FAILCNT, &l->failcnt, CGL_FAILCNT, &l->have);
	if (CG_HAS(st, CG_PSI_SOME10)) {
		l->psi_some10 = (uint32_t)st->val[CG_PSI_SOME10];
		l->have |= CGL_PSI;
	}
}

int
cg_value_parse(const char *s, size_t len, enum cg_version version,
    uint64_t page_bytes, uint64_t *out, const char **why)
{
	static const char suffixes[] = "kmgtpe";
	const char *suf;
	unsigned base = 10;
	uint64_t v, shift;
	size_t used, skip = 0;

	if (page_bytes == 0)
		page_bytes = 4096;
	while (len > 0 && is_space((unsigned char)*s))
		s++, len--;
	while (len > 0 && is_space((unsigned char)s[len - 1]))
		len--;
	if (len == 0) {
		*why = "empty value";
		return -1;
	}
	if ((version == CG_V2 && tok_is(s, len, "max")) ||
	    (version == CG_V1 && tok_is(s, len, "-1"))) {
		*out = CG_UNLIMITED;
		return 0;
	}
	/* simple_strtoull() with base 0, as memparse() calls it. */
	if (s[0] == '0' && len > 2 && (s[1] == 'x' || s[1] == 'X') &&
	    digits(s + 2, 1, 16, &v, &used) == 0 && used == 1) {
		base = 16;
		skip = 2;
	} else if (s[0] == '0')
		base = 8;
	if (digits(s + skip, len - skip, base, &v, &used) == -1) {
		*why = "number too large";
		return -1;
	}
	/* The kernel would take "M" as 0; that is a typo, not a limit. */
	if (used == 0) {
		*why = version == CG_V2 ? "not a number or \"max\"" :
		    "not a number or \"-1\"";
		return -1;
	}
	used += skip;
	if (used < len) {
		char c = s[used];

		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (c == '\0' || (suf = strchr(suffixes, c)) == NULL ||
		    used + 1 != len) {
			*why = "bad suffix (want k, m, g, t, p or e)";
			return -1;
		}
		shift = 10 * (uint64_t)(suf - suffixes + 1);
		if (v > (UINT64_MAX >> shift)) {
			*why = "number too large";
			return -1;
		}
		v <<= shift;
	}
	v = v / page_bytes * page_bytes;
	*out = v >= cg_bytes_max(page_bytes) ? CG_UNLIMITED : v;
	return 0;
}

static int
mul_ok(uint64_t a, uint64_t b, uint64_t *r)
{
	if (b != 0 && a > UINT64_MAX / b)
		return 0;
	*r = a * b;
	return 1;
}

/* pages in bytes, below what the kernel keeps as unlimited. */
static int
want_bytes(uint64_t pages, uint64_t page_bytes, uint64_t *bytes,
    const char **why)
{
	if (!mul_ok(pages, page_bytes, bytes)) {
		*why = "the share in bytes overflows";
		return -1;
	}
	if (*bytes >= cg_bytes_max(page_bytes)) {
		*why = "the share is beyond the kernel's largest limit";
		return -1;
	}
	return 0;
}

int
cg_want(enum cg_version version, enum cg_guar guar, uint64_t page_bytes,
    uint64_t g, uint64_t x, struct cg_want *w, const char **why)
{
	uint64_t t, gb, xb, tb;

	memset(w, 0, sizeof(*w));
	if (version == CG_NONE) {
		*why = "no memory cgroup on this host";
		return -1;
	}
	if ((t = g + x) < g) {
		*why = "the share in pages overflows";
		return -1;
	}
	if (want_bytes(g, page_bytes, &gb, why) == -1 ||
	    want_bytes(x, page_bytes, &xb, why) == -1 ||
	    want_bytes(t, page_bytes, &tb, why) == -1)
		return -1;
	w->n = 3;
	if (version == CG_V2) {
		w->set[0].item = guar == CG_GUAR_MIN ? CG_MIN : CG_LOW;
		w->set[0].bytes = gb;
		w->set[1].item = CG_MAX;
		w->set[1].bytes = tb;
		w->set[2].item = CG_SWAP_MAX;
		w->set[2].bytes = xb;
	} else {
		w->set[0].item = CG_SOFT;
		w->set[0].bytes = gb;
		w->set[1].item = CG_LIMIT;
		w->set[1].bytes = tb;
		w->set[2].item = CG_MEMSW;
		w->set[2].bytes = tb;
	}
	return 0;
}

void
cg_knobs_live(const struct cg_state *st, enum cg_guar guar,
    struct cg_knobs *k)
{
	enum cg_item order[3];
	size_t i;

	memset(k, 0, sizeof(*k));
	order[0] = guar == CG_GUAR_MIN ? CG_MIN : CG_LOW;
	order[1] = guar == CG_GUAR_MIN ? CG_LOW : CG_MIN;
	order[2] = CG_SOFT;
	/* The mode's own file first; the other one still protects. */
	for (i = 0; i < 3; i++)
		if (CG_HAS(st, order[i]) && st->val[order[i]] != 0 &&
		    st->val[order[i]] != CG_UNLIMITED) {
			k->guar = st->val[order[i]];
			k->have |= CGK_GUAR;
			break;
		}
	if (CG_HAS(st, CG_MAX)) {
		k->limit = st->val[CG_MAX];
		k->have |= CGK_LIMIT;
	} else if (CG_HAS(st, CG_LIMIT)) {
		k->limit = st->val[CG_LIMIT];
		k->have |= CGK_LIMIT;
	}
}

void
cg_share(const struct cg_knobs *first, const struct cg_knobs *then,
    uint64_t use, uint64_t page_bytes, uint64_t *g, uint64_t *x)
{
	const struct cg_knobs *k[2] = { first, then };
	uint64_t guar = 0, limit = CG_UNLIMITED, lp;
	size_t i;

	if (page_bytes == 0)
		page_bytes = 4096;
	/*
	 * 0 and unlimited are the kernel's defaults: what nobody set.  (A
	 * v1 soft limit reads unlimited when unset.)
	 */
	for (i = 2; i-- > 0; ) {
		if (k[i] == NULL)
			continue;
		if ((k[i]->have & CGK_GUAR) && k[i]->guar != 0 &&
		    k[i]->guar != CG_UNLIMITED)
			guar = k[i]->guar;
		if ((k[i]->have & CGK_LIMIT) && k[i]->limit != CG_UNLIMITED)
			limit = k[i]->limit;
	}
	*x = 0;
	if (guar != 0) {
		*g = guar / page_bytes;
		lp = limit != CG_UNLIMITED ? limit / page_bytes : 0;
		if (lp > *g)
			*x = lp - *g;
	} else if (limit != CG_UNLIMITED)
		*g = limit / page_bytes;
	else
		*g = use / page_bytes + (use % page_bytes != 0);
}

size_t
cg_plan(const struct cg_state *st, const struct cg_want *want, size_t guest,
    const char *name, const char *dir, struct cg_write *out,
    uint32_t *absent)
{
	const struct cg_setting *s;
	struct cg_write *w;
	size_t i, n = 0;

	*absent = 0;
	if (!st->exists)
		return 0;
	for (i = 0; i < want->n && i < CG_NSET; i++) {
		s = &want->set[i];
		if (!CG_HAS(st, s->item) && !(st->bad & (1u << s->item))) {
			*absent |= 1u << s->item;
			continue;
		}
		/* Garbage read is written over, as an increase. */
		if (CG_HAS(st, s->item) && st->val[s->item] == s->bytes)
			continue;
		w = &out[n++];
		memset(w, 0, sizeof(*w));
		w->guest = guest;
		w->name = name;
		w->dir = dir;
		w->mfd = -1;
		w->path = NULL;
		w->item = s->item;
		w->known = CG_HAS(st, s->item);
		w->old = w->known ? st->val[s->item] : 0;
		w->want = s->bytes;
		w->phase = plan_phase(st, w);
	}
	return n;
}

static int
is_limit(enum cg_item item)
{
	return item == CG_MAX || item == CG_LIMIT;
}

/*
 * 0: a decrease, 1: an increase or a value not known before.  A v1
 * limit not known is below its memsw (the kernel keeps it so): when
 * memsw goes down to the share, the limit must come down first, and
 * writing it first is safe, as the share is <= memsw.
 */
static int
plan_phase(const struct cg_state *st, const struct cg_write *w)
{
	if (w->known)
		return w->want < w->old ? 0 : 1;
	if (w->item == CG_LIMIT && CG_HAS(st, CG_MEMSW) &&
	    w->want < st->val[CG_MEMSW])
		return 0;
	return 1;
}

/* The order within a guest's phase: the v1 pair as the kernel wants. */
static int
rank_of(const struct cg_write *w, int phase)
{
	if (is_limit(w->item))
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

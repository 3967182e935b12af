/*
 * cgfs.h -- the memory cgroup on this host, all of it under --root: which
 * version is mounted where, which cgroup paths a map may name, a
 * cgroup's memory files read into a record, the values a share wants
 * there, and writing them in an order the kernel accepts.  Plain structs
 * and functions, no state of its own.  One file per concern: cgmount.c
 * (version, mount, recursiveprot, swap), cgpath.c (paths, the walk from
 * the mount), cgread.c (the v1 and v2 files, reading them), cgevents.c
 * (keyed files and PSI), cgvalue.c (values, what a share wants, the
 * plan), cgwrite.c (write order, writes, put back), cgtext.c (lines and
 * tokens); cgfile.h is what they share.
 */
#ifndef VZMEM_CGFS_H
#define VZMEM_CGFS_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

enum cg_version { CG_NONE, CG_V1, CG_V2 };

/*
 * Unlimited, as every value here holds it: v2 "max", v1 "-1" on writing,
 * and any byte count from the page-rounded LONG_MAX up (v1 reads back
 * 9223372036854771712 with 4 kB pages).
 */
#define CG_UNLIMITED	UINT64_MAX

struct cgfs {
	enum cg_version	 version;
	char		*mount;		/* <root>/sys/fs/cgroup[/memory], or
					   NULL with CG_NONE */
	int		 recursiveprot;	/* cgroup2 has memory_recursiveprot */
	int		 swap;		/* swap is accounted: memsw (v1) or
					   memory.swap.max (v2) files exist */
	uint64_t	 page_bytes;
	int		 mfd;		/* the mount opened: every cgroup
					   is walked from it (cg_dir_open);
					   -1 none */
};

/*
 * Detect the memory cgroup under root ("" for none): v2 when
 * /sys/fs/cgroup/cgroup.controllers lists memory; else v1 when
 * /sys/fs/cgroup/memory/ is a directory (a hybrid host whose v2 has only
 * hugetlb is v1); else CG_NONE.  recursiveprot comes from the super
 * options of the cgroup2 mount on /sys/fs/cgroup in
 * /proc/self/mountinfo, else in /proc/mounts; swap from the root's
 * memsw file (v1) or its children's memory.swap.max (v2).  Never
 * fails.
 */
void	 cgfs_open(struct cgfs *, const char *, uint64_t);
void	 cgfs_close(struct cgfs *);

/* The pure halves of cgfs_open, for tests: a controller (or any word)
 * in a blank-separated list; memory_recursiveprot on the cgroup2
 * mount at /sys/fs/cgroup in mountinfo or mounts text. */
int	 cg_words_have(const char *, size_t, const char *);
int	 cg_mountinfo_recursiveprot(const char *, size_t);
int	 cg_mounts_recursiveprot(const char *, size_t);

/*
 * PATH of a cg:PATH row: components of [A-Za-z0-9._@:\-] (the backslash
 * of systemd's "\x2d") joined by single '/', relative, no "." or ".."
 * component, at most 255 bytes a component and 4095 in all.
 */
int	 cg_path_valid(const char *, size_t);

/* The largest finite byte count the kernel keeps: LONG_MAX rounded down
 * to a page.  It and anything above read as CG_UNLIMITED. */
uint64_t cg_bytes_max(uint64_t);

/*
 * What a cgroup's memory files say.  Most items are one file each; the
 * events come from memory.events (v2) or memory.oom_control (v1), the
 * pressure from memory.pressure.
 */
enum cg_item {
	CG_LOW,			/* v2 memory.low */
	CG_MIN,			/* v2 memory.min */
	CG_MAX,			/* v2 memory.max */
	CG_HIGH,		/* v2 memory.high */
	CG_SWAP_MAX,		/* v2 memory.swap.max */
	CG_CURRENT,		/* v2 memory.current */
	CG_PEAK,		/* v2 memory.peak (5.19 and later) */
	CG_SWAP_CURRENT,	/* v2 memory.swap.current */
	CG_SOFT,		/* v1 memory.soft_limit_in_bytes */
	CG_LIMIT,		/* v1 memory.limit_in_bytes */
	CG_MEMSW,		/* v1 memory.memsw.limit_in_bytes: RAM+swap */
	CG_USAGE,		/* v1 memory.usage_in_bytes */
	CG_MAX_USAGE,		/* v1 memory.max_usage_in_bytes */
	CG_MEMSW_USAGE,		/* v1 memory.memsw.usage_in_bytes */
	CG_FAILCNT,		/* v1 memory.failcnt (a count) */
	CG_EV_HIGH,		/* v2 memory.events high (a count) */
	CG_EV_MAX,		/* v2 memory.events max */
	CG_OOM_KILL,		/* v2 memory.events, v1 oom_control oom_kill */
	CG_PSI_SOME10,		/* v2 memory.pressure "some avg10", in
				   hundredths of a percent */
	CG_PARENT_LOW,		/* v2: the parent's memory.low ... */
	CG_PARENT_MIN,		/* ... and memory.min (not of the root) */
	CG_NITEMS
};

/* The file an item is read from (and written to): "memory.low". */
const char *cg_item_file(enum cg_item);

/* Why a cgroup's path led to no directory vzmem uses (cg_dir_open). */
enum cg_refused {
	CG_REF_NONE,		/* a directory, or nothing there */
	CG_REF_LINK,		/* a component is a symbolic link */
	CG_REF_FILE,		/* ... a regular file */
	CG_REF_OTHER,		/* ... some other file, not a directory */
	CG_REF_ERRNO		/* it could not be opened: walk.err */
};

struct cg_walk {
	enum cg_refused	 refused;
	int		 err;		/* CG_REF_ERRNO: the errno */
	size_t		 len;		/* bytes of the path up to and with
					   the component refused */
};

/*
 * The directory of cgroup path (valid, as cg_path_valid, or "" for the
 * mount itself) opened from the mount's descriptor mfd one component at
 * a time, each with O_NOFOLLOW | O_DIRECTORY: a symbolic link anywhere
 * on the way, or a file that is no directory, is refused, never
 * followed.  The descriptor (O_RDONLY, close-on-exec), or -1 with errno
 * and *wk saying why (CG_REF_NONE with ENOENT: nothing there).
 */
int	 cg_dir_open(int, const char *, struct cg_walk *);

/* "a symbolic link", "a regular file", ... for a message. */
const char *cg_refused_what(const struct cg_walk *);

struct cg_state {
	int		 exists;	/* the cgroup's directory is there */
	struct cg_walk	 walk;		/* not there: why (refused or not),
					   as the first look found it */
	uint32_t	 have;		/* 1 << enum cg_item: read and valid */
	uint32_t	 bad;		/* 1 << enum cg_item: there, unusable */
	uint64_t	 val[CG_NITEMS];/* bytes (CG_UNLIMITED) or counts */
	int		 parent_root;	/* the parent is the hierarchy's root */
	int		 parent_memory;	/* v2: the parent's subtree_control
					   enables memory (1, 0; -1 unread);
					   v1: always 1 */
	int		 looked;	/* exists was found out */
	uint32_t	 read;		/* 1 << enum cg_item: its file was
					   read (or looked for) */
};

#define CG_HAS(st, item)	(((st)->have & (1u << (item))) != 0)

/*
 * The parent of a cgroup path (valid, as cg_path_valid), allocated; ""
 * for one at the root.  Guests with the same parent share its
 * protection (the -c rule on memory.low).
 */
char	*cg_parent_path(const char *);

/*
 * Read the cgroup <mount>/path (valid, as cg_path_valid, or "" for the
 * root) into st: the files of the host's version, and the parent's
 * subtree_control (and memory.low, memory.min below the root).  A missing file is absent, not an error;
 * an unreadable one a warning; garbage a warning naming the file and
 * line, and that item stays absent.  Returns st->exists.
 */
int	 cg_read(const struct cgfs *, const char *, struct cg_state *);

/*
 * The same for only the files that hold the items of mask (1 << enum
 * cg_item), adding to what st holds (zeroed for a first call): a command
 * that needs three files of 10,000 cgroups reads those, not thirteen.
 * A file is read once however often it is asked for.  CG_PARENT_LOW or
 * CG_PARENT_MIN reads the parent (its subtree_control too).  Whether the
 * cgroup exists is looked at on the first call, unless st->looked is set
 * already (the caller found the directory).  Returns st->exists.
 */
int	 cg_read_items(const struct cgfs *, const char *, uint32_t,
	    struct cg_state *);

/*
 * Parse the text of one memory file (name as in cg_item_file, or
 * "memory.events", "memory.oom_control", "memory.pressure") into st;
 * shown names it in warnings.  -1 when name is no file read here.
 */
int	 cg_parse(struct cg_state *, const char *, const char *, size_t,
	    const char *, uint64_t);

/* The live figures of -s, both versions in one plain record. */
enum {
	CGL_CURRENT = 1 << 0,	/* v2 memory.current, v1 usage_in_bytes */
	CGL_PEAK = 1 << 1,	/* v2 memory.peak, v1 max_usage_in_bytes */
	CGL_SWAP = 1 << 2,	/* v2 memory.swap.current: swap alone */
	CGL_MEMSW = 1 << 3,	/* v1 memsw.usage_in_bytes: RAM + swap */
	CGL_OOM_KILL = 1 << 4,
	CGL_HIGH = 1 << 5,	/* v2 memory.events high */
	CGL_MAX = 1 << 6,	/* v2 memory.events max */
	CGL_FAILCNT = 1 << 7,	/* v1 (stays 0 after an OOM kill) */
	CGL_PSI = 1 << 8	/* v2 memory.pressure some avg10 */
};

struct cg_live {
	unsigned	 have;		/* CGL_* read */
	uint64_t	 current, peak, swap, memsw;	/* bytes */
	uint64_t	 oom_kill, high, max, failcnt;	/* counts */
	uint32_t	 psi_some10;	/* hundredths of a percent */
};

void	 cg_live_of(const struct cg_state *, struct cg_live *);

/*
 * A byte value as the kernel reads it in a memory file, and so as LXC
 * passes it on from its config: memparse (a number in base 0, so 0x1F
 * and 017 too, then at most one of k K m M g G t T p P e E), or "max"
 * (v2) or "-1" (v1) for CG_UNLIMITED.  Rounded down to a page as the
 * kernel keeps it; from cg_bytes_max up it is CG_UNLIMITED.  0, or -1
 * with *why a short static reason.
 */
int	 cg_value_parse(const char *, size_t, enum cg_version, uint64_t,
	    uint64_t *, const char **);

/* The guarantee of a share: memory.low, or memory.min (--guarantee
 * min).  v1 has the soft limit either way. */
enum cg_guar { CG_GUAR_LOW, CG_GUAR_MIN };

#define CG_NSET		3

struct cg_setting {
	enum cg_item	 item;		/* CG_LOW, CG_MAX, CG_LIMIT, ... */
	uint64_t	 bytes;		/* always finite */
};

/* The files a share sets, in their table's order (SPEC 6.2). */
struct cg_want {
	size_t			 n;
	struct cg_setting	 set[CG_NSET];
};

/*
 * With T = G + X pages: v2 memory.low (or .min) = G, memory.max = T,
 * memory.swap.max = X; v1 soft_limit = G, limit = T, memsw = T; in
 * bytes.  A sum or product that overflows, or a byte count the kernel
 * would keep as unlimited (cg_bytes_max and up), is an error: -1 with
 * *why set.
 */
int	 cg_want(enum cg_version, enum cg_guar, uint64_t, uint64_t,
	    uint64_t, struct cg_want *, const char **);

/* A guarantee and a RAM limit as they are set somewhere, in bytes. */
enum { CGK_GUAR = 1 << 0, CGK_LIMIT = 1 << 1 };

struct cg_knobs {
	unsigned	 have;		/* CGK_* set */
	uint64_t	 guar, limit;	/* limit may be CG_UNLIMITED */
};

/* The knobs of a live cgroup: the mode's guarantee, else the other one
 * (v2), else the soft limit (v1); memory.max or limit_in_bytes. */
void	 cg_knobs_live(const struct cg_state *, enum cg_guar,
	    struct cg_knobs *);

/*
 * -i: the share of a guest in pages.  G from the guarantee if set, else
 * from the RAM limit if finite, else from use (bytes, rounded up; 0 for
 * a stopped guest); X = limit - G when both are set (not below 0), else
 * 0.  first counts before then (a config before its live cgroup; either
 * may be NULL); a guarantee of 0 and an unlimited limit are not set.
 */
void	 cg_share(const struct cg_knobs *, const struct cg_knobs *,
	    uint64_t, uint64_t, uint64_t *, uint64_t *);

/* One write of a guest's file, planned, ordered, then carried out. */
struct cg_write {
	size_t		 guest;		/* the caller's index of the guest */
	const char	*name;		/* the guest in messages: "lxc:web" */
	const char	*dir;		/* its cgroup's directory, shown */
	int		 mfd;		/* the mount's descriptor and the */
	const char	*path;		/* cgroup below it, walked for the
					   write (cg_dir_open); cg_plan
					   sets -1 and NULL, its caller
					   these */
	enum cg_item	 item;
	int		 known;		/* old was read */
	uint64_t	 old, want;	/* bytes; want is finite */
	int		 phase;		/* 0: frees, 1: grants (cg_plan) */
	int		 err;		/* cg_write_all: 0, an errno, or
					   ECANCELED: not tried */
	int		 done;		/* cg_write_all: written */
	int		 undone;	/* ... then put back to old, as a
					   later write of its guest was
					   refused */
	size_t		 seq;		/* cg_order's */
};

/*
 * The writes that make the guest's cgroup (read into st, directory dir)
 * hold want, into out (room for CG_NSET): a file that already holds
 * the value is left out, so a converged host writes nothing.  A file
 * that is absent (memsw without swap accounting, every file when memory
 * is not enabled) is left out too and its bit set in *absent (1 <<
 * enum cg_item).  A cgroup that does not exist gets no writes.  name
 * and dir are kept, not copied.
 */
size_t	 cg_plan(const struct cg_state *, const struct cg_want *, size_t,
	    const char *, const char *, struct cg_write *, uint32_t *);

/*
 * Order the writes of many guests in two phases: every decrease of every
 * guest (phase 0), then every increase (phase 1), so that RAM is freed
 * before it is granted.  cg_plan sets the phase: a write whose old value
 * is unknown (garbage was read) counts as an increase, except a v1 limit
 * whose memsw goes down, which must go before it.  Within a guest and
 * phase the kernel's v1 rule holds: lowering, the limit before memsw;
 * raising, memsw before the limit (memsw must stay >= limit; as every
 * share has memsw = limit, this also covers the limit going up and
 * memsw down).  Then by guest index, as given.
 */
void	 cg_order(struct cg_write *, size_t);

/*
 * Carry out, in order, the writes of phase (0, 1, or -1 for both) that
 * were not cancelled: cg_write_all(w, n, 0) for every kind's lowering,
 * cg_write_all(w, n, 1) once every kind has lowered.  Each guest's
 * cgroup is opened again (cg_dir_open from mfd) for its writes: a
 * component swapped for a link since it was read is refused, its target
 * untouched.  A refused write (EBUSY, EINVAL, ENOMEM, a link, ...) is
 * reported naming the guest, the file and why; the guest's later
 * writes, in either phase, are not tried (ECANCELED) and the other
 * guests go on.  The guest's earlier writes (done) are put back to
 * their old values, the last first (the reverse of an order the kernel
 * took is one it takes: memsw stays >= the limit), so that its cgroup
 * is left as it was; a note says so.  One that cannot be put back (its
 * old value was unreadable, or the kernel refuses) is an error that
 * names the files written and those not.  With -v each write is said,
 * old -> new; with -vv also those not tried.  Returns the number of
 * refused writes.
 */
size_t	 cg_write_all(struct cg_write *, size_t, int);

/*
 * One plain write in place, in the cgroup directory dfd: open the
 * existing file write-only (never created, never through a symlink;
 * O_TRUNC as "echo N > file" has it), the decimal bytes (CG_UNLIMITED:
 * "max" in a v2 file, "-1" in a v1 one, as a value put back may be) and
 * a newline in one write(2), checked whole, and the close checked.
 * Never a temp file and rename: a cgroup file is no file.  0, or -1
 * with errno.
 */
int	 cg_write_value(int, enum cg_item, uint64_t);

/* s[0..len) fit to quote in a message: bounded, other than printable
 * ASCII as \xNN, '"' and '\' escaped. */
void	 cg_quote(struct buf *, const char *, size_t);

#endif

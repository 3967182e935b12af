/*
 * bcres.h -- the live beancounters of an OpenVZ 7 container: the kernel's
 * /proc/bc/<CTID>/resources, and the list of /proc/bc/<CTID> directories.
 *
 * A line is "resource held maxheld barrier limit failcnt", no uid column
 * (kernel/bc/proc.c bc_resources_show: res_fmt with an empty uid).  Unlike
 * /proc/user_beancounters on that kernel it has the swappages row, and no
 * "dummy" rows.  physpages and swappages show barrier = limit (memcg's
 * limit, and memsw minus it); see doc/openvz7.md section 7.
 */
#ifndef VZMEM_OPENVZ_BCRES_H
#define VZMEM_OPENVZ_BCRES_H

#include <stddef.h>
#include <stdint.h>

#include "ubc.h"
#include "util.h"

/* The kernel prints "unlimited" as LONG_MAX; it is VAL_UNLIMITED here. */
#define BC_UNLIMITED	UINT64_MAX

/* Laid out as struct ubc_val (host.h): the unit test checks it. */
struct bc_val {
	uint64_t	 held, maxheld;
	uint64_t	 barrier, limit;	/* BC_UNLIMITED for unlimited */
};

struct bc_res {
	const char	*name;		/* "physpages"; in the pool */
	struct bc_val	 v;
	uint64_t	 failcnt;
};

/* One container's resources, in file order. */
struct bcres {
	struct bc_res	*res;
	size_t		 n;
	struct strpool	 names;
};

/* "<root>/proc/bc" (root "" for none), allocated. */
char	*bc_dir(const char *);

/*
 * The running containers: every directory of dir (bc_dir()) whose name is
 * a CTID (ctid_valid) other than "0", sorted by ctid_cmp; the kernel's own
 * files there (resources, ...) and other names are skipped.  The strings
 * go to pool; the array is allocated (free it).  A missing dir sets *have
 * to 0 (no OpenVZ 7 kernel: read /proc/user_beancounters instead) and is
 * no error.  VZ_OK, or VZ_FAIL after a message.
 */
int	 bc_list(const char *, struct strpool *, char ***, size_t *, int *);

/*
 * Read "<dir>/<ctid>/resources".  A missing file means the container is
 * not running (n = 0, VZ_OK).  Unreadable: VZ_FAIL after a message.
 * Garbage: a warning naming the file and line, and the lines that could be
 * read are kept (VZ_OK).
 */
int	 bcres_read(const char *, const char *, struct bcres *);

/* The same on text; shown names the file in warnings.  Always 0. */
int	 bcres_parse(const char *, size_t, const char *, struct bcres *);

/* The resource of that name (the last, if listed twice), or NULL. */
const struct bc_res *bcres_find(const struct bcres *, const char *);

/*
 * The resources vzmem reads, into a record of struct ubc (host.h): the
 * present bits, res[] and failcnt (summed over every resource), as
 * ubc_parse() fills them.  ctid is left alone.
 */
void	 bcres_fill(const struct bcres *, struct ubc_ct *);

void	 bcres_free(struct bcres *);

#endif

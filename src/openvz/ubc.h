/*
 * ubc.h -- the live beancounters of /proc/user_beancounters.
 */
#ifndef VZMEM_OPENVZ_UBC_H
#define VZMEM_OPENVZ_UBC_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

enum ubc_res {
	UBC_VMGUARPAGES, UBC_PRIVVMPAGES, UBC_OOMGUARPAGES, UBC_SHMPAGES,
	UBC_PHYSPAGES, UBC_SWAPPAGES, UBC_NRES
};

/* Only what the modules read: one record per running container. */
struct ubc_val {
	uint64_t	 held, maxheld;
	uint64_t	 barrier, limit;	/* VAL_UNLIMITED for unlimited */
};

struct ubc_ct {
	char		*ctid;
	unsigned	 present;		/* 1 << enum ubc_res listed */
	uint32_t	 seq;			/* its block's rank in the file
						   (in the padding: the sort
						   breaks ties with it) */
	struct ubc_val	 res[UBC_NRES];		/* 0 where not present */
	uint64_t	 failcnt;		/* sum over every resource */
};

struct ubc {
	struct ubc_ct	*cts;		/* sorted by ctid_cmp, no "0" */
	size_t		 n;
	struct strpool	 ctids;		/* where the ctid strings live */
	size_t		 nbad;		/* lines that could not be read */
};

/*
 * Read the live values of path; room for hint containers is reserved at
 * once (the number of confs: an array grown by doubling would leave its
 * smaller copies behind in the heap).  A missing file means no container
 * is running (n = 0, VZ_OK).  Unreadable: VZ_FAIL.  Garbage: a warning
 * naming the line, and the lines that could be read are kept (VZ_OK).
 */
int	 ubc_read(const char *, size_t, struct ubc *);

/*
 * What the readers of /proc/user_beancounters and /proc/bc/CTID/resources
 * share: a line split on blanks into at most max tokens (returns how
 * many), a resource name (an identifier), and the kernel's unlimited
 * (LONG_MAX of a 32- or 64-bit kernel) as VAL_UNLIMITED.
 */
struct ubc_tok {
	const char	*s;
	size_t		 len;
};
size_t	 ubc_tokens(const char *, size_t, struct ubc_tok *, size_t);
int	 ubc_name_ok(const struct ubc_tok *);
uint64_t ubc_limit(uint64_t);
int	 ubc_parse(const char *, size_t, const char *, struct ubc *);
const struct ubc_ct *ubc_find(const struct ubc *, const char *);
void	 ubc_free(struct ubc *);

#endif

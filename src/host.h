/*
 * host.h -- facts about the host: where its files are (under --root),
 * RAM and swap from /proc/meminfo, the page size, which containers have a
 * conf, and the live beancounters of the running ones.
 */
#ifndef VZMEM_HOST_H
#define VZMEM_HOST_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

struct host {
	char		*root;		/* --root, "" for none */
	char		*confdir;	/* conf dir, root included */
	char		*map;		/* MEM-MAP path */
	char		*lock;		/* lock file: map path + ".lock" */
	char		*meminfo;	/* /proc/meminfo, root included */
	char		*ubc;		/* /proc/user_beancounters */
	uint64_t	 mem_kb;	/* MemTotal */
	uint64_t	 swap_kb;	/* SwapTotal */
	uint64_t	 page_bytes;	/* sysconf(_SC_PAGESIZE) */
	uint64_t	 page_kb;	/* page_bytes / 1024 */
};

/*
 * Work out the paths and read meminfo.  root may be NULL; map and confdir
 * (NULL: default) override those two paths alone.  The conf dir is the
 * first existing of /etc/vz/conf and /etc/sysconfig/vz-scripts (the first
 * when neither exists).  Returns VZ_OK, or VZ_FAIL after a message.
 */
int	 host_open(struct host *, const char *, const char *, const char *);
void	 host_close(struct host *);

/* Parse meminfo text: MemTotal and SwapTotal in kB.  0, or -1 after a
 * message naming shown and the line. */
int	 meminfo_parse(const char *, size_t, const char *, uint64_t *,
	    uint64_t *);

/* A CTID is [A-Za-z0-9._-]+ not starting with '.' or '-'. */
int	 ctid_valid(const char *, size_t);

/* Numeric CTIDs ascending, then the others in byte order. */
int	 ctid_cmp(const char *, const char *);

/* "<confdir>/<ctid>.conf", allocated. */
char	*host_conf_path(const struct host *, const char *);

/*
 * The CTIDs that have a conf: every "<CTID>.conf" in the conf dir with a
 * valid CTID other than "0", sorted by ctid_cmp.  Other files (samples,
 * .bak, temp files) are skipped.  The strings are added to pool; the
 * array is allocated (free it).  Returns VZ_OK or VZ_FAIL.
 */
int	 host_ctids(const struct host *, struct strpool *, char ***,
	    size_t *);

/* Live beancounters of /proc/user_beancounters. */
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
	struct ubc_val	 res[UBC_NRES];		/* 0 where not present */
	uint64_t	 failcnt;		/* sum over every resource */
};

struct ubc {
	struct ubc_ct	*cts;		/* sorted by ctid_cmp, no "0" */
	size_t		 n;
	struct strpool	 ctids;		/* where the ctid strings live */
};

/*
 * Read the live values; room for hint containers is reserved at once
 * (the number of confs: an array grown by doubling would leave its
 * smaller copies behind in the heap).  A missing file means no container
 * is running (n = 0, VZ_OK).  Unreadable: VZ_FAIL.  Garbage: a warning naming the
 * line, and the lines that could be read are kept (VZ_OK).
 */
int	 ubc_read(const struct host *, size_t, struct ubc *);
int	 ubc_parse(const char *, size_t, const char *, struct ubc *);
const struct ubc_ct *ubc_find(const struct ubc *, const char *);
void	 ubc_free(struct ubc *);

#endif

/*
 * ksm.h -- kernel samepage merging on the host, for -s: how much memory
 * the merged pages save (from /sys/kernel/mm/ksm/).
 */
#ifndef VZMEM_KSM_H
#define VZMEM_KSM_H

#include <stdint.h>

struct ksm {
	int		 present;	/* the ksm directory exists */
	uint64_t	 pages_shared;	/* pages merged into */
	uint64_t	 pages_sharing;	/* pages pointing at them: the saving */
	uint64_t	 zero_pages;	/* ksm_zero_pages (0 before 6.6) */
	uint64_t	 full_scans;
};

/*
 * Read <root>/sys/kernel/mm/ksm/ (root "" for none).  A missing
 * directory is a kernel without KSM (present = 0), a missing file a
 * kernel too old for it (0); garbage is a warning naming the file and
 * line, and that figure reads 0.  Never fails.
 */
void	 ksm_read(const char *, struct ksm *);

/* KSM has ever merged or scanned: -s shows it only then. */
int	 ksm_has_run(const struct ksm *);

/* Bytes saved: (pages_sharing + zero_pages) x page size, at most
 * UINT64_MAX (a count that large is a broken file, not a host). */
uint64_t ksm_saved(const struct ksm *, uint64_t);

#endif

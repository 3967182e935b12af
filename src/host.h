/*
 * host.h -- facts about the host that every guest kind shares: where its
 * files are (under --root), RAM and swap from /proc/meminfo, the page
 * size, and where the map and the lock are.
 */
#ifndef VZMEM_HOST_H
#define VZMEM_HOST_H

#include <stddef.h>
#include <stdint.h>

struct host {
	char		*root;		/* --root, "" for none */
	char		*map;		/* MEM-MAP path (world_read sets it) */
	char		*lock;		/* the lock file */
	char		*meminfo;	/* /proc/meminfo, root included */
	uint64_t	 mem_kb;	/* MemTotal */
	uint64_t	 swap_kb;	/* SwapTotal */
	uint64_t	 page_bytes;	/* sysconf(_SC_PAGESIZE) */
	uint64_t	 page_kb;	/* page_bytes / 1024 */
};

/*
 * The root (NULL: none) and meminfo.  Returns VZ_OK, or VZ_FAIL after a
 * message.
 */
int	 host_open(struct host *, const char *);
void	 host_close(struct host *);

/* A system path under the root: root + abs, allocated. */
char	*host_path(const struct host *, const char *);

/* Parse meminfo text: MemTotal and SwapTotal in kB.  0, or -1 after a
 * message naming shown and the line. */
int	 meminfo_parse(const char *, size_t, const char *, uint64_t *,
	    uint64_t *);

#endif

/*
 * world.h -- everything vzmem reads before it decides anything: the host,
 * the map, every container conf and the live beancounters.  Reading is
 * the first step of every command; nothing here writes.
 */
#ifndef VZMEM_WORLD_H
#define VZMEM_WORLD_H

#include <stddef.h>

#include "conf.h"
#include "host.h"
#include "map.h"
#include "util.h"
#include "vzmem.h"

struct ct {
	char			*ctid;
	struct conf		 conf;
	struct map_row		*row;	/* its row in the map, or NULL */
	const struct ubc_ct	*live;	/* beancounters if running */
};

struct world {
	struct host	 host;
	int		 have_map;	/* the map file exists and was read */
	struct buf	 maptext;	/* its bytes as read (W_MAPTEXT) */
	struct map	 map;		/* parsed (when have_map) */
	int		 map_stale;	/* W_MAPSTALE: it differs, or N is
					   unusable */
	char		*mapshown;	/* the map's name in messages */
	struct ct	*cts;		/* every container conf, ctid order */
	size_t		 ncts;
	struct strpool	 ctids;		/* their ctid strings */
	struct ubc	 ubc;
};

enum {
	W_MAP = 1,		/* read and parse the map if it exists */
	W_NEED_MAP = 2,		/* ... and fail if it does not */
	W_UBC = 4,		/* read /proc/user_beancounters */
	W_MAPTEXT = 8,		/* keep the map's bytes (maptext) after
				   parsing, to compare or back them up */
	W_MAPSTALE = 16		/* see whether the map, sorted and with
				   fresh notes, differs from its bytes */
};

/*
 * Read what flags ask for.  Map syntax errors are reported with their
 * positions (VZ_INVALID); I/O errors give VZ_FAIL.  On any result the
 * world can be passed to world_free().
 */
int	 world_read(struct world *, const struct opts *, int);

/*
 * The map against the host and the confs, every rule of MEM-MAP(5):
 * N, the '=' total, duplicate CTIDs, zero-memory rows, rows without a
 * conf (errors); '+' beyond swap, confs without a row, names that differ
 * from the conf (warnings).  Links each container to its row.  Returns
 * the number of errors.
 */
size_t	 world_validate(struct world *);

/*
 * Put text in place of the map (as if the map file held it), named as
 * the map is in messages: for vzmem -e, which checks an edited copy.
 * Syntax errors are reported with their positions; returns their number.
 * Call world_validate() next when it is 0.
 */
size_t	 world_set_map(struct world *, const char *, size_t);

/* The map's name in messages: "MEM-MAP" inside the conf dir, else its
 * path; allocated. */
char	*world_map_shown(const struct host *);

/* The container whose CTID is ctid, or NULL. */
struct ct *world_ct(const struct world *, const char *);

/* The display name of a conf: HOSTNAME, else NAME, else "-". */
char	*ct_name(const struct ct *);

void	 world_free(struct world *);

#endif

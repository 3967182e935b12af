/*
 * world.h -- everything vzmem reads before it decides anything: the host,
 * the map, and the guests of every kind with their settings and live
 * state.  Reading is the first step of every command; nothing here
 * writes.
 */
#ifndef VZMEM_WORLD_H
#define VZMEM_WORLD_H

#include <stddef.h>

#include "host.h"
#include "lib/file.h"
#include "kind.h"
#include "map.h"
#include "util.h"
#include "vzmem.h"

struct world {
	struct host	 host;
	const struct opts *o;
	int		 have_map;	/* the map file exists and was read */
	struct buf	 maptext;	/* its bytes as read (W_MAPTEXT) */
	struct map	 map;		/* parsed (when have_map) */
	int		 map_stale;	/* W_MAPSTALE: it differs, or N is
					   unusable */
	int		 map_refused;	/* refused for its mode or owner */
	int		 guests_invalid; /* a kind could not list a guest
					   (reported): exit 2 */
	char		*mapshown;	/* the map's name in messages */
	struct guest	*guests;	/* every guest, in map order */
	size_t		 nguests;
	size_t		 guests_room;
	struct strpool	 ids;		/* their ids */
	void		*ks[KINDS_MAX];	/* each kind's own state, by rank */
};

enum {
	W_MAP = 1,		/* read and parse the map if it exists */
	W_NEED_MAP = 2,		/* ... and fail if it does not */
	W_LIVE = 4,		/* read the guests' live state */
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
 * The map's bytes appended to b, the file refused (VZ_INVALID after a
 * message) when anyone but its owner may write it or it belongs to
 * neither root nor the user running vzmem.  VZ_FAIL with errno, and no
 * message, when it cannot be read.
 */
int	 world_map_read(const struct world *, struct buf *);

/*
 * The map opened for reading and replacing (SPEC 5c): never through a
 * link, a regular file, checked as world_map_read() checks it, and its
 * directory too (writable by no one but root and its owner, owned by
 * root or the user running vzmem).  flags: OF_MISSING_OK.  VZ_OK;
 * VZ_INVALID after a message (refused); VZ_FAIL with errno and no
 * message.  file_close() it after.
 */
int	 world_map_open(const struct world *, struct ofile *, int);

/*
 * Replace the open map by new, keeping old (when not NULL) first as
 * MEM-MAP.bak in the same directory, with the map's mode and owner (a
 * .bak that is a link is an error, the map then untouched).  VZ_OK, or
 * VZ_FAIL after a message.
 */
int	 world_map_save(const struct world *, struct ofile *,
	    const struct buf *, const struct buf *);

/*
 * Only where things are: the host, each kind's own state, the map's
 * path and name, the lock; no guest is listed.  For -e, which looks at
 * the map before it takes the lock.
 */
int	 world_locate(struct world *, const struct opts *);

/*
 * A guest of kind k with id (len bytes, the prefix included) and the
 * kind's record, for a kind's list(); its id is copied.  The guests
 * move as more are added.
 */
struct guest *world_add_guest(struct world *, const struct kind *,
	    const char *, size_t, void *);
/* Room for n more guests at once (a kind that knows how many it has:
 * an array grown by doubling leaves its smaller copies in the heap). */
void	 world_reserve(struct world *, size_t);

/*
 * The map against the host and the guests, every rule of MEM-MAP(5):
 * N, the '=' total, duplicate ids, zero-memory rows, rows without a
 * guest (errors); '+' beyond swap, guests without a row, names that
 * differ (warnings).  Links each guest to its row.  Returns the number
 * of errors.
 */
size_t	 world_validate(struct world *);

/*
 * A host where no kind found a guest (and the map has no cg: row): a
 * warning saying where each kind looked.  Nothing otherwise.
 */
void	 world_warn_empty(const struct world *);

/*
 * Put text in place of the map (as if the map file held it), named as
 * the map is in messages: for vzmem -e, which checks an edited copy.
 * Syntax errors are reported with their positions; returns their number.
 * Call world_validate() next when it is 0.
 */
size_t	 world_set_map(struct world *, const char *, size_t);

/*
 * The host's lock (/run/vzmem/lock under the root, its directories
 * made when missing), as lock_take(): an fd, or -1 after a message.
 */
int	 world_lock(const struct world *, int);

/*
 * The map's directory made when it is vzmem's own (/etc/vzmem under the
 * root, on a host with no OpenVZ conf dir) and missing: for -i, which
 * creates the map there.  VZ_OK, or VZ_FAIL after a message.
 */
int	 world_map_dir(const struct world *);

/* The guest whose id is id, or NULL. */
struct guest *world_guest(const struct world *, const char *);

/* The display name of a guest (its kind's), allocated. */
char	*guest_name(const struct guest *);

/* A kind's own state, and setting it (from its open()). */
void	*world_kind(const struct world *, const struct kind *);
void	 world_set_kind(struct world *, const struct kind *, void *);

/* The map's N is usable on this host (1 to the RAM in pages). */
int	 world_map_ok(const struct world *);

void	 world_free(struct world *);

#endif

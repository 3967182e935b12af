/*
 * kind.h -- the one boundary between what every guest kind shares and
 * what one kind knows.
 *
 * A guest is anything with a row in the map that shares the host's RAM:
 * an OpenVZ container ("101"), an LXC container ("lxc:web"), any cgroup
 * ("cg:system.slice/x.service").  The commands, the map, the planner and
 * the reports work on guests, shares (G and X pages) and settings (name,
 * old, wanted, live, what differs); how '=' and '+' become a vzctl parameter
 * or memory.max is each kind's own business, behind struct kind.
 *
 * A kind is one folder (src/openvz/, src/cgroup/) and one line in the
 * table of src/kinds.c.  The order of that table is the order of the
 * kinds in the map.
 */
#ifndef VZMEM_KIND_H
#define VZMEM_KIND_H

#include <stddef.h>
#include <stdint.h>

/* At most this many kinds in vz_kinds. */
#define KINDS_MAX	8

struct buf;
struct json;
struct map_row;
struct opts;
struct plan;
struct world;

/* What a row gives a guest, in pages: G guaranteed, X beyond it. */
struct share {
	uint64_t	 g, x;
};

struct guest {
	const struct kind *kind;
	const char	*id;		/* as in the map: "101", "lxc:web" */
	const char	*shown;		/* its settings file in messages
					   ("101.conf"), or NULL */
	struct map_row	*row;		/* its row in the map, or NULL */
	void		*k;		/* the kind's own record */
	unsigned char	 running;	/* it has live state */
};

/* One knob of one guest, old -> wanted, as its kind spells them. */
struct setting {
	const char	*name;		/* "memory.max", a vzctl parameter */
	char		*old;		/* the persisted value, NULL: none */
	char		*want;		/* what the map asks for */
	char		*live;		/* the live value, NULL: not live */
	unsigned char	 persist_differs;	/* old != want (or none) */
	unsigned char	 live_differs;		/* live != want */
};

/*
 * A guest's plan: 32 bytes, so that 100,000 of them are 3.2 MB.  The
 * kind records which of its settings it sets and which differ (a bit
 * each, in its own order); kind->settings() works the values out again
 * when they are shown or written.
 */
struct gplan {
	struct guest	*guest;
	struct share	 share;
	uint16_t	 set;		/* bit i: the kind sets setting i */
	uint16_t	 pdirty;	/* bit i: its persisted value differs */
	uint16_t	 ldirty;	/* bit i: its live value differs */
	unsigned char	 variant;	/* the kind's own (cgroup v1 or v2) */
	unsigned char	 failed;	/* -a could not carry it out */
};

/* Live use for -s, in kB.  FIG_NONE: the kind has no such figure now. */
#define FIG_NONE	UINT64_MAX
enum fig {
	FIG_HELD, FIG_PEAK, FIG_RAMSWAP, FIG_ALLOC, FIG_SWAP,
	FIG_FAILS, FIG_OOM, FIG_HIGH, FIG_MAX, FIG_N
};
struct figures {
	unsigned	 known;		/* bit f: the kind has figure f */
	uint64_t	 v[FIG_N];	/* FIG_NONE where known but unknown
					   now (not listed, not readable) */
	unsigned	 sat;		/* bit f: a count at its maximum
					   (UINT64_MAX, not FIG_NONE): at
					   least that many */
	char		 psi[16];	/* "some avg10", "" when none */
	/*
	 * The live limits of a kind that sets them live, against what the
	 * guest's row gives (-s marks a row whose limits differ): [0] the
	 * RAM limit, [1] the swap one (swap_name says which: "RAM+swap",
	 * "swap").  In kB; FIG_NONE: no file, not readable, or (row) not
	 * set; FIG_UNLIMITED: no limit.
	 */
	unsigned char	 limits;	/* the kind has them */
	unsigned char	 limit_differs;	/* a limit the row sets differs */
	uint64_t	 limit[2], row_limit[2];
	const char	*swap_name;
};
#define FIG_UNLIMITED	(UINT64_MAX - 1)
/* The JSON key of each figure, and whether it is kB. */
extern const char *const fig_keys[FIG_N];

struct kind {
	const char	*name;		/* "OpenVZ", "LXC", "cgroup" */
	const char	*prefix;	/* "", "lxc:", "cg:" */
	const char	*persisted_in;	/* "conf", "config"; NULL: live only */
	const char	*noun;		/* one guest in messages: "container",
					   "cgroup" (plural: an 's' added) */
	const char	*runs;		/* what -a runs for a guest: "vzctl
					   run"; NULL: it writes files only */

	/*
	 * Whether the rest of an id (after the prefix) names a guest of
	 * this kind: 0, or -1 with the reason in why ("bad CTID '1/2':
	 * ...").
	 */
	int	(*id_check)(const char *, size_t, struct buf *);

	/*
	 * Set up the kind's own host state (paths under --root, version)
	 * and add every guest it can list (world_add_guest); live state
	 * too when live is set.  A kind the host does not have adds
	 * nothing and is no error.  VZ_OK, VZ_FAIL or VZ_INVALID after a
	 * message.
	 */
	int	(*open)(struct world *, const struct opts *);
	int	(*list)(struct world *);
	int	(*live)(struct world *);
	void	(*close)(struct world *);

	/* The directory the map lives in on a host with this kind, or
	 * NULL (allocated). */
	char   *(*map_dir)(const struct world *);

	/*
	 * A row whose guest the kind did not list: a guest made for it
	 * (a kind that cannot list, like cg:, adopts every row), or NULL
	 * after an error ("container 101 has no conf").
	 */
	struct guest *(*adopt)(struct world *, struct map_row *);

	/* A row of this kind an edit removed: what its guest keeps, said
	 * (a cg:'s cgroup its last limits), or NULL: "has no row" says
	 * it for the kinds that list their guests. */
	void	(*dropped)(const struct world *, const char *);

	/* Why a row of this kind has no guest: "has no conf (PATH)". */
	void	(*no_guest)(const struct world *, const char *,
		    struct buf *);

	/* What a '+' block is to a guest of this kind on this host, as
	 * the map's notes say it ("RAM or swap"), or NULL (or this NULL):
	 * "swap".  Also for a row whose guest is gone. */
	const char *(*plus_is)(const struct world *, const struct kind *);

	/* The guest's display name (HOSTNAME, ...), allocated. */
	char   *(*name_of)(const struct guest *);

	/*
	 * What the guest has now, as -i reads it back.  Invalid values
	 * count 0 and give -1 (reported unless quiet).
	 */
	int	(*share)(const struct world *, const struct guest *, int,
		    struct share *);

	/*
	 * Plan a guest with a row (gp->share set): variant, set, pdirty,
	 * ldirty.  Values it cannot read or would write beyond what the
	 * kind holds are reported; returns their number.
	 */
	size_t	(*plan)(const struct plan *, struct gplan *);

	/* The settings of gp worked out, in the kind's order: *out is
	 * allocated (settings_free); returns how many. */
	size_t	(*settings)(const struct plan *, const struct gplan *,
		    struct setting **);

	/* "cgroup v2" and the like: for the dry run. */
	const char *(*variant_name)(const struct plan *,
		    const struct gplan *);

	/* The command -a would run for gp, as one line, or nothing
	 * appended when it writes files itself. */
	void	(*command)(const struct plan *, const struct gplan *,
		    const struct setting *, size_t, struct buf *);

	/*
	 * Once the rows are linked to guests (world_validate; -a, -n, -c,
	 * -e): what makes the map or a guest's settings unusable across
	 * guests (two rows naming one cgroup), reported as errors; returns
	 * their number.  Or NULL.
	 */
	size_t	(*validate)(const struct world *);

	/*
	 * -c: the kind's own rules on a guest, with a row or not (gp NULL
	 * without a plan), reported as findings; and -c's notes on gp's
	 * settings (what -a may be refused).
	 */
	void	(*rules)(const struct world *, const struct guest *,
		    const struct gplan *);

	/*
	 * What -a risks for gp, said by the dry run and -c before -a
	 * tries (a RAM limit below what the guest uses now), as warnings;
	 * or NULL.
	 */
	void	(*risks)(const struct plan *, const struct gplan *);

	/*
	 * -a, the lock held: carry out every gplan of this kind that
	 * differs (persist, then live), in map order; sets gp->failed and
	 * reports.  VZ_OK or VZ_FAIL.  A kind with lower() gets it first,
	 * for every kind, before any apply(): RAM taken from some guests
	 * is freed before it is granted to others.
	 */
	int	(*lower)(const struct plan *, struct gplan **, size_t,
		    const struct opts *);
	int	(*apply)(const struct plan *, struct gplan **, size_t,
		    const struct opts *);

	/* Temp files of a killed run in the kind's directories: 1 or 0;
	 * and their removal (the lock held), returning how many. */
	int	(*has_temps)(const struct world *);
	size_t	(*sweep)(const struct world *);

	/* -s: live figures of a guest: 1, or 0 when it is stopped, -1
	 * when that is not known (its live state could not be read). */
	int	(*figures)(const struct world *, const struct guest *,
		    struct figures *);

	/*
	 * The kind's keys of a row in -c and -s --json, or NULL: every
	 * row has every kind's keys, null where g is NULL (a pool, a row
	 * of another kind, a row without a guest).
	 */
	void	(*json_row)(const struct world *, const struct guest *,
		    struct json *);

	/*
	 * -c and -s: what the kind is on this host, one line ("OpenVZ 7
	 * (vzctl v.7.0.254), 3 containers"), nothing appended when the
	 * host has none of its guests; and its keys of "host" in --json
	 * (null when it has none).  Either may be NULL.
	 */
	void	(*describe)(const struct world *, struct buf *);
	void	(*json_host)(const struct world *, struct json *);

	/*
	 * On a host where no kind found a guest: where this kind looked,
	 * appended ("no LXC container in /var/lib/lxc"), or NULL.
	 */
	void	(*looked)(const struct world *, struct buf *);

	/* -s, after the table: a note on a guest's failures, or NULL. */
	const char *fails_note;
};

/* The kinds, in map order, NULL-terminated (src/kinds.c). */
extern const struct kind *const vz_kinds[];

/* The kind an id belongs to by its prefix (bare: the first kind); NULL
 * for an unknown "x:" prefix. */
const struct kind *kind_of(const char *, size_t);

/* The position of k in vz_kinds: the kind's rank in the map. */
size_t	 kind_rank(const struct kind *);

/*
 * Whether id is a valid row id: 0, or -1 with the reason in why (which
 * is emptied first).
 */
int	 id_check(const char *, size_t, struct buf *);

/*
 * Ids in map order: by kind, then numbers by value, then byte order
 * (so "10" after "9", and a CTID of 30 digits neither overflows nor
 * lands among the names).
 */
int	 id_cmp(const char *, const char *);
int	 ctid_cmp(const char *, const char *);

void	 settings_free(struct setting *, size_t);

/*
 * Guests counted by kind (n[kind_rank(k)], KINDS_MAX of them) in each
 * kind's own noun.  kinds_noun: the noun they share ("container" for
 * OpenVZ and LXC, "cgroup"), else "guest"; kinds_count appends "3
 * containers", "2 containers and 1 cgroup", "0 guests".
 */
const char *kinds_noun(const size_t *);
void	 kinds_count(struct buf *, const size_t *);
/* How many of n appended with noun, plural when n is not 1: "1 conf". */
void	 count_noun(struct buf *, size_t, const char *);

#endif

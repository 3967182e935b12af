/*
 * cgroup.h -- the two cgroup guest kinds: LXC containers ("lxc:NAME",
 * their settings kept in <lxcpath>/NAME/config) and any cgroup
 * ("cg:PATH", live only).  Both are applied by writing the memory files
 * of the guest's cgroup (cgfs.h); what the files of src/cgroup/ share.
 * The rest of vzmem sees only lxc_kind and cg_kind.
 */
#ifndef VZMEM_CGROUP_H
#define VZMEM_CGROUP_H

#include <stddef.h>
#include <stdint.h>

#include "cgroup/cgfs.h"
#include "cgroup/lxc.h"
#include "kind.h"
#include "plan.h"

extern const struct kind lxc_kind;
extern const struct kind cg_kind;

/* One guest of either kind.  Records never move. */
struct cgg {
	char		*path;		/* its cgroup under the mount, or NULL
					   (none found: stopped) */
	char		*dir;		/* <mount>/path, or NULL */
	int		 found;		/* path looked for */
	struct cg_state	 st;		/* what has been read of it */
	/* lxc: only */
	struct lxc_conf	 conf;
	char		*ctdir;		/* <lxcpath>/NAME */
	int		 conf_written;	/* -a rewrote its config */
	/* -c: the parent rule (cgrules.c) */
	int		 prot_first;	/* the first mapped guest of its
					   parent: it says the finding */
	uint64_t	 prot_sum;	/* ... the guarantees of all of them */
	size_t		 prot_n;
	/* -c: the mapped guests whose cgroups are inside this one's, and
	 * not inside another mapped one there (cgrules.c) */
	size_t		 nest_n;
	uint64_t	 nest_sum;	/* their rows' T, in bytes */
	struct buf	 nest_ids;	/* "lxc:app (lxc-apps/lxc.payload.app)"
					   of the first few */
	int		 nest_said;	/* ... " and N more" added */
};

/* A kind's state on this host (each kind has its own). */
struct cgk {
	const struct kind *kind;
	struct cgfs	 fs;
	enum cg_guar	 guar;		/* --guarantee low|min */
	char		*lxcpath;	/* lxc: the containers' directory */
	struct cgg	**recs;		/* every guest's record, to free */
	size_t		 nrecs, recs_room;
	/* -a: the live writes, planned by lower() and done in two phases
	 * (lower: decreases, apply: increases) */
	int		 planned;
	struct cg_write	*writes;
	size_t		 nwrites;
	struct gplan	**gps;		/* cg_write.guest indexes these */
	size_t		 ngps;
	size_t		 nconfs;	/* configs written */
	size_t		 nconf_failed;
	/* -c: said once for the host */
	int		 prot_done;
	int		 nest_done;
	int		 swap_said;
};

/* The settings of a guest, in this order (a bit each in struct gplan):
 * v2 memory.low (or .min), memory.max, memory.swap.max; v1
 * soft_limit_in_bytes, limit_in_bytes, memsw.limit_in_bytes. */
#define CGS_GUAR	0
#define CGS_LIMIT	1
#define CGS_SWAP	2

/* The files -a needs to plan, of each version. */
#define CG_PLAN_ITEMS	(1u << CG_LOW | 1u << CG_MIN | 1u << CG_MAX | \
			 1u << CG_SWAP_MAX | 1u << CG_SOFT | 1u << CG_LIMIT | \
			 1u << CG_MEMSW)

/* cgroup.c */
struct cgk	*cgk_of(const struct world *, const struct kind *);
struct cgg	*cgg_of(const struct guest *);
int	 cgg_is_lxc(const struct guest *);
/* Read more of a guest's cgroup (items as cg_read_items): lxc: looks
 * its cgroup up first.  Returns whether it exists. */
int	 cgg_read(const struct world *, const struct guest *, uint32_t);
/* Its cgroup's path led to a link, a file or an error, not a directory
 * (cg_dir_open): nothing is read or written there.  The error, naming
 * the component, what follows. */
int	 cgg_refused(const struct cgg *);
void	 cgg_say_refused(const struct world *, const struct guest *,
	    const char *);
/* The settings gp wants (cg_want, less the skipped ones: the swap file
 * without swap accounting), in *want with the set bits; 0, or -1 with
 * why. */
int	 cgg_want(const struct plan *, const struct gplan *, struct cg_want *,
	    const char **);
/* The wanted settings of gp the kind sets (gp->set), as cg_plan and
 * lxc_conf_want take them. */
void	 cgg_want_set(const struct plan *, const struct gplan *,
	    struct cg_want *);
/* What -i reads back of a guest's share, in pages (lxc: its config's
 * keys first). */
int	 cgg_share(const struct world *, const struct guest *, int,
	    struct share *);

/* cgapply.c: -a. */
int	 cgk_lower(const struct plan *, struct gplan **, size_t,
	    const struct opts *);
int	 cgk_apply(const struct plan *, struct gplan **, size_t,
	    const struct opts *);
int	 cgk_has_temps(const struct world *);
size_t	 cgk_sweep(const struct world *);

/* cgtrust.c: world_validate's.  An lxc.cgroup.dir* naming a cgroup
 * that is not the container's, and two rows that claim one cgroup
 * (lxc:web and cg:lxc.payload.web): errors. */
size_t	 cgk_validate(const struct world *);

/* cgrules.c: -c and the dry run. */
void	 cgk_rules(const struct world *, const struct guest *,
	    const struct gplan *);
void	 cgk_risks(const struct plan *, const struct gplan *);

#endif

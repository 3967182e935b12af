/*
 * plan.h -- from the map, the confs and the live values to the list of
 * changes, per SPEC section 4.  Pure: no I/O.  Every command that changes
 * or judges anything is "build a plan, then print, check or carry it out".
 */
#ifndef VZMEM_PLAN_H
#define VZMEM_PLAN_H

#include <stddef.h>
#include <stdint.h>

#include "value.h"
#include "world.h"

enum param {
	P_VMGUARPAGES, P_PRIVVMPAGES, P_OOMGUARPAGES, P_SHMPAGES,
	P_PHYSPAGES, P_SWAPPAGES, P_N
};

/* "VMGUARPAGES", ...; the vzctl option is "--" and the name in lower case */
extern const char *const param_names[P_N];

/* One parameter of a container's plan, as plan_change() works it out. */
struct change {
	enum param	 param;
	int		 had;		/* the conf had a value */
	struct value	 old;		/* that value (when had) */
	struct value	 want;		/* what the map asks for */
	char		*text;		/* want as written: "65536:unlimited" */
	int		 conf_differs;	/* !had or old != want */
	int		 live_differs;	/* running, and live != want */
	int		 has_live;	/* live holds the beancounter */
	struct value	 live;		/* its barrier and limit */
};

/*
 * A container's plan: 32 bytes, so that 100,000 of them are 3.2 MB.  Only
 * which parameters are set and which differ is kept; plan_change() works
 * out the values again when they are shown or written.
 */
struct ctplan {
	struct ct	*ct;
	uint64_t	 g, x;		/* pages: guaranteed, beyond */
	unsigned char	 vswap;		/* PHYSPAGES limit set, not unlimited */
	unsigned char	 set;		/* bit p: vzmem sets parameter p */
	unsigned char	 conf_dirty;	/* bit p: the conf differs */
	unsigned char	 live_dirty;	/* bit p: the live value differs */
};

struct plan {
	struct ctplan	*cts;		/* every container with a row */
	size_t		 n;
	uint64_t	 blk_kb;	/* one block */
	uint64_t	 page_bytes;
	unsigned	 gap;
};

/*
 * Build the plan for a validated world.  Conf values vzmem cannot parse
 * are reported ("101.conf:7: VMGUARPAGES: invalid value ...") and counted;
 * returns the number of errors.
 */
size_t	 plan_build(const struct world *, unsigned, struct plan *);

/* Whether vzctl must run for it: conf_dirty || live_dirty. */
int	 ctplan_needs_vzctl(const struct ctplan *);

/*
 * Parameter p of cp worked out (c->text allocated: change_free()), and
 * 1; 0 when vzmem does not set p for this container.
 */
int	 plan_change(const struct plan *, const struct ctplan *, enum param,
	    struct change *);
void	 change_free(struct change *);

/* Every parameter of cp worked out at once: ch[p] as plan_change()
 * gives it; free with changes_free(). */
void	 plan_changes(const struct plan *, const struct ctplan *,
	    struct change [P_N]);
void	 changes_free(struct change [P_N]);

/* "vzctl set CTID --vmguarpages 65536:unlimited ... --save" from the
 * changes of cp (plan_changes), allocated, NULL-terminated; free with
 * argv_free() of lib/spawn.h. */
char	**plan_argv(const struct ctplan *, const struct change [P_N],
	    const char *);

/* Every parameter whose conf differs set in c (conf_set): c is the
 * container's conf read whole, for writing. */
void	 plan_set_conf(const struct plan *, const struct ctplan *,
	    struct conf *);

void	 plan_free(struct plan *);

/*
 * The other way round: what a conf gives its container now, in pages,
 * as -i reads it back.  g: the guarantee, the VMGUARPAGES barrier (VSwap:
 * the PHYSPAGES limit), capped at the RAM; t >= g: all it may use, the
 * PRIVVMPAGES barrier (VSwap: g plus the SWAPPAGES limit), capped at
 * RAM+swap.  Absent values count 0.  -1 when a value is invalid (reported
 * unless quiet; it counts 0).
 */
int	 conf_shares(const struct host *, const struct conf *, int,
	    uint64_t *, uint64_t *);

#endif

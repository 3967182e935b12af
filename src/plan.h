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

struct ctplan {
	struct ct	*ct;
	int		 vswap;		/* PHYSPAGES limit set, not unlimited */
	uint64_t	 g, x;		/* pages: guaranteed, beyond */
	struct change	 ch[P_N];	/* the parameters vzmem sets, in */
	size_t		 nch;		/* the order of enum param */
	int		 conf_dirty;	/* some ch[].conf_differs */
	int		 live_dirty;	/* some ch[].live_differs */
};

struct plan {
	struct ctplan	*cts;		/* every container with a row */
	size_t		 n;
	uint64_t	 blk_kb;	/* one block */
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

/* "vzctl set CTID --vmguarpages 65536:unlimited ... --save", allocated,
 * NULL-terminated; free with argv_free(). */
char	**plan_argv(const struct ctplan *, const char *);
void	 argv_free(char **);

/* Every conf_differs change applied to ct->conf (conf_set). */
void	 plan_set_conf(const struct ctplan *);

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

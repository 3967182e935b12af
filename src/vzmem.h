/*
 * vzmem.h -- the command line as parsed by main(), and the commands.
 * Each command reads the host (world.h), builds a plan (plan.h) and then
 * prints, checks or carries it out; each returns an exit status (util.h).
 */
#ifndef VZMEM_H
#define VZMEM_H

#include <stdint.h>

#define VZMEM_VERSION	"1.0"

struct opts {
	const char	*root;		/* --root DIR, or NULL */
	const char	*map;		/* --map FILE, or NULL */
	const char	*confdir;	/* --conf-dir DIR, or NULL */
	const char	*vzctl;		/* --vzctl PATH, or NULL: "vzctl" */
	const char	*lxcpath;	/* --lxcpath DIR, or NULL */
	int		 guarantee_min;	/* --guarantee min: memory.min */
	unsigned	 openvz;	/* --openvz 4|7, 0: ask vzctl */
	uint64_t	 blocks;	/* -i N, 0 for the default */
	unsigned	 gap;		/* --gap PERCENT, 10 */
	unsigned	 jobs;		/* -j N, 0 for the default */
	unsigned	 timeout;	/* --timeout SECONDS of a vzctl run,
					   300; 0: no limit */
	int		 dry_run;	/* -n */
	int		 json;		/* --json */
	int		 wait;		/* --wait for the lock */
	int		 apply;		/* -e -a: apply after a good edit */
	int		 strict;	/* -i: a guest a kind must leave out
					   (a name it cannot use) is said
					   to be left out of the map */
};

int	 cmd_init(const struct opts *);
int	 cmd_apply(const struct opts *);
/* -e -a: apply with the lock (lock_take) already held by the caller. */
int	 apply_locked(const struct opts *);
int	 cmd_check(const struct opts *);
int	 cmd_status(const struct opts *);
int	 cmd_edit(const struct opts *);

#endif

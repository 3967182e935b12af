/*
 * pvek.h -- what the files of the Proxmox kinds share (private to
 * src/pve/): the kind's state on this node and each guest's record.
 */
#ifndef VZMEM_PVE_PVEK_H
#define VZMEM_PVE_PVEK_H

#include <stddef.h>
#include <stdint.h>

#include "cgroup/cgfs.h"
#include "kind.h"
#include "ksm.h"
#include "plan.h"
#include "pve/pve.h"
#include "pve/pveconf.h"
#include "pve/pvemap.h"
#include "world.h"

/* The settings of a gplan, bit by bit (struct gplan's set, pdirty,
 * ldirty). */
enum {
	QS_MEMORY, QS_BALLOON, QS_N			/* qm: */
};
enum {
	CS_MEMORY, CS_SWAP, CS_LOW,			/* pct: the conf */
	CS_SWAP_MAX, CS_HIGH, CS_MAX, CS_LIVE_LOW,	/* its cgroup */
	CS_N
};

#define PCT_LOW_KEY	"lxc.cgroup2.memory.low"

/* One guest: its conf as read, the values of its memory keys, and its
 * cgroup (a CT's limits; a VM's scope, for -s). */
struct pveg {
	unsigned long	 vmid;
	char		*path;		/* <root>/etc/pve/qemu-server/N.conf */
	struct pve_conf	 conf;
	int		 bad;		/* the conf is unusable (reported) */
	uint64_t	 memory;	/* MiB: the value, or the default */
	enum pve_memform form;
	int		 has_memory;
	uint64_t	 balloon;	/* qm: MiB */
	int		 has_balloon;
	uint64_t	 swap;		/* pct: MiB, the value or default */
	uint64_t	 shares;	/* qm: 1000 by default */
	int		 has_shares;
	uint64_t	 low;		/* pct: bytes of PCT_LOW_KEY */
	int		 has_low;
	int		 hotplug_memory;/* qm: "hotplug:" lists memory */
	char		*cgpath;	/* its cgroup below the mount */
	char		*cgdir;		/* and with the mount, shown */
	struct cg_state	 st;
	int		 running;
	int		 written;	/* -a replaced its conf */
};

/* A kind on this node. */
struct pvek {
	const struct kind *kind;
	char		*dir;		/* <root>/etc/pve/qemu-server, .../lxc */
	char		*lockdir;	/* <root>/var/lock/qemu-server, ... */
	char		*rundir;	/* qm: <root>/var/run/qemu-server */
	char		*procdir;	/* <root>/proc */
	int		 present;	/* dir is there */
	struct cgfs	 fs;
	struct ksm	 ksm;
	uint64_t	 page_bytes;
	struct pveg	**recs;
	size_t		 n, room;
	/* -a */
	struct cg_write	*writes;
	size_t		 nwrites;
	size_t		 nconfs, nconf_failed;
	int		 planned;
	struct gplan	**gps;
	size_t		 ngps;
};

struct pvek	*pvek_of(const struct world *, const struct kind *);
struct pveg	*pveg_of(const struct guest *);
int		 pve_is_qm(const struct guest *);

/* What the row gives, in MiB (qm: balloon, memory; pct: memory, swap,
 * and the guarantee's bytes). */
struct pve_want {
	uint64_t	 g_mib, t_mib, x_mib;
	uint64_t	 low;		/* pct: g_mib in bytes */
	uint64_t	 high;		/* pct: what pct derives for memory */
};
void	 pve_want_of(const struct plan *, const struct gplan *,
	    struct pve_want *);

/* pveplan.c */
size_t	 pve_plan(const struct plan *, struct gplan *);
size_t	 pve_settings(const struct plan *, const struct gplan *,
	    struct setting **);
int	 pve_lower(const struct plan *, struct gplan **, size_t,
	    const struct opts *);
int	 pve_apply(const struct plan *, struct gplan **, size_t,
	    const struct opts *);

/* pvelock.c: the config lock qm or pct take for a guest: an fd, or -1
 * after a message (busy: another qm or pct command holds it). */
int	 pve_lock(const struct pvek *, const struct pveg *, int);

/* pverules.c */
void	 pve_rules(const struct world *, const struct guest *,
	    const struct gplan *);
void	 pve_risks(const struct plan *, const struct gplan *);

#endif

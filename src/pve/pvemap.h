/*
 * pvemap.h -- SPEC 6.4 as plain functions: the values of a Proxmox
 * guest's memory keys, read and written as qm and pct take them, and a
 * row's share in MiB.  Pure: no I/O.
 */
#ifndef VZMEM_PVE_PVEMAP_H
#define VZMEM_PVE_PVEMAP_H

#include <stddef.h>
#include <stdint.h>

#include "lib/buf.h"

#define PVE_MIB		(1024ULL * 1024)
#define PVE_MEM_MIN	16		/* memory: minimum 16 (both) */
#define PVE_MEM_DEFAULT	512		/* memory: default, swap: default */
#define PVE_INT_MAX	((uint64_t)INT64_MAX / PVE_MIB)	/* bytes fit */

/* The two forms of a VM's memory: (Memory.pm 68-94). */
enum pve_memform { PVE_MEM_PLAIN, PVE_MEM_CURRENT };

/*
 * A VM's "memory:" property string: "4096" or "current=4096" (its only
 * property, the default key), an integer of at least 16 MiB.  0, or -1
 * with *why a static reason.
 */
int	 pve_memory_parse(const char *, size_t, uint64_t *,
	    enum pve_memform *, const char **);
/* "4096" or "current=4096", in the form found. */
void	 pve_memory_format(struct buf *, enum pve_memform, uint64_t);

/* An integer key ("balloon:", "swap:", "shares:"), as JSONSchema's
 * integer: optional '+' or '-', digits; within [min, max].  0 or -1. */
int	 pve_int_parse(const char *, size_t, uint64_t, uint64_t, uint64_t *,
	    const char **);

/* A raw "lxc.cgroup2.memory.low: BYTES": the kernel's byte value. */
int	 pve_bytes_parse(const char *, size_t, uint64_t *, const char **);

/* Pages in whole MiB, rounded down (SPEC 6.4; vzmem(8) says so). */
uint64_t pve_mib(uint64_t, uint64_t);

/* What pct writes into memory.high for memory: MiB
 * (calculate_memory_constraints, Config.pm 1596-1610): (memory - 128)
 * MiB from 16 GiB up, else memory * 1016 KiB. */
uint64_t pve_ct_high(uint64_t);

/* A VM's share from its config, in MiB: G = balloon (when it is set and
 * not 0), else memory; T = memory. */
void	 pve_qm_share(uint64_t, int, uint64_t, uint64_t *, uint64_t *);

/* A container's: T = memory, X = swap (at most T), G = T - X. */
void	 pve_ct_share(uint64_t, uint64_t, uint64_t *, uint64_t *);

#endif

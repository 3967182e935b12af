/*
 * kinds.c -- the table of guest kinds, in the order of their rows in the
 * map.  A new kind is one folder and one line here.  (A file of its own,
 * so that a unit test can link its own table.)
 */
#include <stddef.h>

#include "kind.h"
#include "cgroup/cgroup.h"
#include "openvz/openvz.h"
#include "pve/pve.h"

const struct kind *const vz_kinds[] = {
	&openvz_kind,
	&lxc_kind,
	&cg_kind,
	&qm_kind,
	&pct_kind,
	NULL
};

/*
 * pve.h -- the Proxmox VE guest kinds (SPEC 6.4): virtual machines
 * ("qm:VMID", /etc/pve/qemu-server/VMID.conf) and containers
 * ("pct:VMID", /etc/pve/lxc/VMID.conf).
 */
#ifndef VZMEM_PVE_PVE_H
#define VZMEM_PVE_PVE_H

#include "kind.h"

extern const struct kind qm_kind;
extern const struct kind pct_kind;

#endif

/*
 * pverules.c -- -c on a Proxmox node: what nothing else tells its admin.
 *
 *	pending		a memory, balloon, shares or swap change waiting in
 *			[PENDING] / [pve:pending] (qm and pct apply it at the
 *			next start, over the main section vzmem edits:
 *			QemuServer.pm 1990, LXC/Config.pm 1160)
 *	balloon: 0	no balloon device (QemuServer.pm 317-324, 3545-3550):
 *			the VM holds all of memory: while it runs
 *	shares: 0	AutoBalloon off for the VM (QemuServer.pm 325-335;
 *			pve-manager PVE/AutoBalloon.pm 98-100)
 *	memory: of a running VM: waits for its next start (hotplug needs
 *			"hotplug: memory", QemuServer.pm 4781, 4877)
 *	lock:		qm and pct change nothing of a locked guest
 *	swap:		a container's above the host's swap
 *	raw lines	lxc.cgroup2.memory.max, .high, .swap.max: they win
 *			over memory: and swap: at the start (LXC.pm 828-832,
 *			901-906)
 *	the node	the sum of the minimums (a VM's balloon:, else its
 *			memory:; a container's guarantee) against the RAM
 *			and what KSM saves, and against the share of the
 *			RAM that AutoBalloon aims at (ballooning-target)
 */
#include <stdlib.h>
#include <string.h>

#include "pve/pvek.h"

static void	 pending(const struct guest *, const struct pveg *);
static void	 qm_rules(const struct world *, const struct guest *,
		    const struct pveg *, const struct gplan *);
static void	 pct_rules(const struct world *, const struct guest *,
		    const struct pveg *, const struct gplan *);
static int	 last_pve(const struct world *, const struct guest *);
static uint64_t	 minimum(const struct guest *);
static void	 node_rules(const struct world *);
static uint64_t	 balloon_target(const struct world *, size_t *);

/* A warning about g at line of its conf (0: none). */
#define WARN(g, r, line, ...) do {					\
	struct where at_ = { (r)->path, (line), 0, (g)->id, NULL };	\
	vz_report(&at_, VZ_LWARN, __VA_ARGS__);				\
} while (0)

static void
pending(const struct guest *g, const struct pveg *r)
{
	static const char *const qkeys[] = { "memory", "balloon", "shares",
	    NULL };
	static const char *const ckeys[] = { "memory", "swap", NULL };
	const char *const *k = pve_is_qm(g) ? qkeys : ckeys;
	const char *sect = pve_is_qm(g) ? "[PENDING]" : "[pve:pending]";
	size_t len, line;

	for (; *k != NULL; k++) {
		line = 0;
		if (pveconf_pending(&r->conf, *k, &len, &line) == NULL &&
		    (line = pveconf_pending_delete(&r->conf, *k)) == 0)
			continue;
		WARN(g, r, line, "%s: %s changes %s: %s applies it when the "
		    "guest next starts, over the main section that vzmem "
		    "edits; vzmem leaves it alone ('%s set %lu --revert %s' "
		    "drops it)", g->id, sect, *k, pve_is_qm(g) ? "qm" : "pct",
		    pve_is_qm(g) ? "qm" : "pct", r->vmid, *k);
	}
}

static void
qm_rules(const struct world *w, const struct guest *g, const struct pveg *r,
    const struct gplan *gp)
{
	size_t len, line = 0;

	(void)w;
	if (r->has_balloon && r->balloon == 0) {
		pveconf_get(&r->conf, "balloon", &len, &line);
		if (gp != NULL && gp->share.x > 0)
			WARN(g, r, line, "%s: balloon: 0, no balloon device: "
			    "the VM holds all of memory: while it runs, and "
			    "its '+' is never given back; -a sets balloon: "
			    "to its '=', which adds the device when it next "
			    "starts", g->id);
		else
			WARN(g, r, line, "%s: balloon: 0, no balloon device: "
			    "the VM holds all of memory: while it runs "
			    "(its row is all '=')", g->id);
	}
	if (r->has_shares && r->shares == 0 && !(r->has_balloon &&
	    r->balloon == 0)) {
		pveconf_get(&r->conf, "shares", &len, &line);
		WARN(g, r, line, "%s: shares: 0 turns AutoBalloon off for this "
		    "VM: pvestatd never lends it more than balloon: (only 'qm "
		    "set %lu --balloon' moves it)", g->id, r->vmid);
	}
	if (gp != NULL && g->running && (gp->pdirty & 1u << QS_MEMORY)) {
		line = 0;
		pveconf_get(&r->conf, "memory", &len, &line);
		WARN(g, r, line, "%s: the VM runs: its new memory: takes effect "
		    "when it next starts%s", g->id, r->hotplug_memory ?
		    " (vzmem edits the conf; it does not hotplug: 'qm set "
		    "--memory' would)" : " (without 'hotplug: memory' even "
		    "qm set waits for it)");
	}
}

static void
pct_rules(const struct world *w, const struct guest *g, const struct pveg *r,
    const struct gplan *gp)
{
	static const char *const over[] = { "lxc.cgroup2.memory.max",
	    "lxc.cgroup2.memory.high", "lxc.cgroup2.memory.swap.max", NULL };
	const struct pvek *s = pvek_of(w, g->kind);
	uint64_t swap = r->swap, host = w->host.swap_kb / 1024;
	const char *const *k;
	size_t len, line = 0;

	if (gp != NULL) {
		struct pve_want want;
		struct plan p;

		memset(&p, 0, sizeof(p));
		p.page_bytes = w->host.page_bytes;
		pve_want_of(&p, gp, &want);
		swap = want.x_mib;
	}
	if (swap > host) {
		pveconf_get(&r->conf, "swap", &len, &line);
		WARN(g, r, line, "%s: swap: %llu MiB%s is more than the host's "
		    "swap (%llu MiB): the container can never use it all",
		    g->id, (unsigned long long)swap, gp != NULL ?
		    " (as the map gives it)" : "",
		    (unsigned long long)host);
	}
	/* LXC.pm update_lxc_config writes memory: and swap: as
	 * lxc.cgroup2.memory.* (828-832), then the conf's raw lxc. lines
	 * (901-906): a raw line of the same key wins at the start. */
	for (k = over; *k != NULL; k++)
		if (pveconf_get(&r->conf, *k, &len, &line) != NULL)
			WARN(g, r, line, "%s: %s overrides what pct writes for "
			    "memory: and swap: when the container starts; "
			    "vzmem sets memory: and swap:", g->id, *k);
	if (r->running && s->fs.version == CG_V1)
		WARN(g, r, 0, "%s: runs on cgroup v1: vzmem writes its conf, "
		    "not its live limits (pct writes them when it next "
		    "starts)", g->id);
}

/* g is the last guest of the Proxmox kinds: the node's rules follow. */
static int
last_pve(const struct world *w, const struct guest *g)
{
	size_t i;

	for (i = w->nguests; i-- > 0;)
		if (w->guests[i].kind == &qm_kind ||
		    w->guests[i].kind == &pct_kind)
			return &w->guests[i] == g;
	return 0;
}

/* What a guest holds however tight the host: a VM its balloon: (none
 * or 0: all its memory:), a container its guarantee; MiB. */
static uint64_t
minimum(const struct guest *g)
{
	const struct pveg *r = pveg_of(g);

	if (pve_is_qm(g))
		return r->has_balloon && r->balloon != 0 ? r->balloon :
		    r->memory;
	return r->has_low ? r->low / PVE_MIB : 0;
}

/*
 * The node's ballooning-target (pve-manager PVE/NodeConfig.pm 103-110:
 * 0..100, default 80; "pvenode config set --ballooning-target"), from
 * <root>/etc/pve/local/config, this node's; *line its line (0: the
 * default).
 */
static uint64_t
balloon_target(const struct world *w, size_t *line)
{
	struct buf b = { NULL, 0, 0 };
	struct pve_conf c;
	char *path = host_path(&w->host, "/etc/pve/local/config");
	const char *v, *why;
	uint64_t t = 80;
	size_t len;

	*line = 0;
	if (file_read(path, &b) == 0) {
		pveconf_parse(&c, PVE_QM, b.data, b.len);
		if ((v = pveconf_get(&c, "ballooning-target", &len,
		    line)) != NULL && pve_int_parse(v, len, 0, 100, &t,
		    &why) == -1) {
			vz_warn(path, *line, 0, "ballooning-target: %s (0 to "
			    "100): taken as 80, pvestatd's default", why);
			t = 80;
		}
		pveconf_free(&c);
	}
	free(path);
	buf_free(&b);
	return t;
}

/*
 * The minimums of the running guests against the RAM plus what KSM
 * saves now (AutoBalloon, PVE/AutoBalloon.pm 93-151, never takes a VM
 * below its balloon:; pve-docs qm.adoc 756-757: leave the host 1 GiB);
 * and of every guest, for when they all run.
 */
static void
node_rules(const struct world *w)
{
	const struct pvek *s = pvek_of(w, &qm_kind);
	uint64_t run = 0, all = 0, ram = w->host.mem_kb / 1024, ksm = 0;
	uint64_t target;
	size_t i, nrun = 0, nall = 0, tline;

	if (s != NULL && s->present)
		ksm = ksm_saved(&s->ksm, w->host.page_bytes) / PVE_MIB;
	for (i = 0; i < w->nguests; i++) {
		const struct guest *g = &w->guests[i];

		if (g->kind != &qm_kind && g->kind != &pct_kind)
			continue;
		all += minimum(g);
		nall++;
		if (g->running) {
			run += minimum(g);
			nrun++;
		}
	}
	if (run + 1024 > ram + ksm)
		vz_warn(NULL, 0, 0, "Proxmox VE: the minimums of the %zu "
		    "running guests (balloon: of the VMs, memory: of VMs "
		    "without a balloon, the containers' guarantees) are %llu "
		    "MiB: more than the RAM (%llu MiB) plus what KSM saves "
		    "(%llu MiB), less the 1 GiB the host keeps; AutoBalloon "
		    "cannot shrink them further: the host will swap or OOM",
		    nrun, (unsigned long long)run, (unsigned long long)ram,
		    (unsigned long long)ksm);
	else if (nrun > 0 && run > ram * (target = balloon_target(w,
	    &tline)) / 100 + ksm)
		vz_warn(NULL, 0, 0, "Proxmox VE: the minimums of the %zu "
		    "running guests (%llu MiB) are above the %llu%% of the RAM "
		    "that AutoBalloon aims at (ballooning-target%s: %llu MiB, "
		    "plus %llu MiB that KSM saves): pvestatd keeps every "
		    "ballooning VM at its balloon: and lends none of its '+'",
		    nrun, (unsigned long long)run, (unsigned long long)target,
		    tline != 0 ? "" : ", the default",
		    (unsigned long long)(ram * target / 100),
		    (unsigned long long)ksm);
	else if (all + 1024 > ram + ksm && nall > nrun)
		vz_warn(NULL, 0, 0, "Proxmox VE: the minimums of all %zu "
		    "guests are %llu MiB: if they all run, more than the RAM "
		    "(%llu MiB) plus what KSM saves (%llu MiB), less the 1 "
		    "GiB the host keeps", nall, (unsigned long long)all,
		    (unsigned long long)ram, (unsigned long long)ksm);
}

void
pve_rules(const struct world *w, const struct guest *g,
    const struct gplan *gp)
{
	const struct pveg *r = pveg_of(g);
	size_t len, line = 0;
	const char *v;

	if (!r->bad) {
		pending(g, r);
		if ((v = pveconf_get(&r->conf, "lock", &len, &line)) != NULL)
			WARN(g, r, line, "%s is locked (%.*s): qm, pct and "
			    "vzmem -a change nothing of it until the lock is "
			    "gone", g->id, (int)len, v);
		if (pve_is_qm(g))
			qm_rules(w, g, r, gp);
		else
			pct_rules(w, g, r, gp);
	}
	if (last_pve(w, g))
		node_rules(w);
}

/* -a -n and -c: a running container's memory.max below what it uses. */
void
pve_risks(const struct plan *p, const struct gplan *gp)
{
	const struct pvek *s = pvek_of(p->w, gp->guest->kind);
	struct pveg *r = pveg_of(gp->guest);
	struct pve_want w;

	if (pve_is_qm(gp->guest) || !(gp->ldirty & 1u << CS_MAX))
		return;
	pve_want_of(p, gp, &w);
	if (!cg_read_items(&s->fs, r->cgpath, 1u << CG_CURRENT, &r->st) ||
	    !CG_HAS(&r->st, CG_CURRENT) ||
	    r->st.val[CG_CURRENT] <= w.t_mib * PVE_MIB)
		return;
	WARN(gp->guest, r, 0, "%s uses %llu MiB now: memory.max of %llu MiB "
	    "makes the kernel reclaim inside it, and OOM-kill if it cannot",
	    gp->guest->id, (unsigned long long)(r->st.val[CG_CURRENT] /
	    PVE_MIB), (unsigned long long)w.t_mib);
}

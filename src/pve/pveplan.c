/*
 * pveplan.c -- a Proxmox guest's row as its conf keys and, for a running
 * container, its cgroup files (SPEC 6.4), and -a carrying them out.
 *
 * With G and T = G + X of the row in whole MiB (each rounded down):
 *	qm:	balloon: G, memory: T (in the form found: "T" or
 *		"current=T"); a row all '=' leaves a VM without a balloon
 *		minimum (none, or balloon: 0) as it is
 *	pct:	memory: T, swap: T - G, lxc.cgroup2.memory.low: G bytes;
 *		running, in /sys/fs/cgroup/lxc/VMID as pct set writes
 *		them (pve-common src/PVE/CGroup.pm change_memory_limit
 *		408-424: memory.swap.max, memory.high, memory.max, in that
 *		order; memory.high from pve-container's
 *		calculate_memory_constraints, Config.pm 1596-1610), then
 *		memory.low
 *
 * -a: lower() rewrites every conf that differs, each under its config
 * lock (pvelock.c), then writes the running containers whose
 * memory.max goes down; apply() those whose memory.max goes up, once
 * every kind has lowered.  A VM gets no live write: its memory: waits
 * for a restart and pvestatd steers its balloon to the new minimum.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pve/pvek.h"

static int	 want_error(const struct plan *, const struct gplan *,
		    const char *);
static int	 write_conf(const struct pvek *, const struct plan *,
		    struct gplan *, const struct opts *);
static void	 edit_conf(const struct plan *, const struct gplan *);
static void	 plan_live(const struct plan *, struct pvek *,
		    struct gplan **, size_t, const struct opts *);
static size_t	 guest_writes(const struct pvek *, const struct plan *,
		    struct gplan *, size_t, struct cg_write *);
static char	*mib_str(uint64_t);
static char	*live_str(const struct pveg *, enum cg_item);
static int	 finish(struct pvek *);

void
pve_want_of(const struct plan *p, const struct gplan *gp, struct pve_want *w)
{
	w->g_mib = pve_mib(gp->share.g, p->page_bytes);
	w->t_mib = pve_mib(gp->share.g + gp->share.x, p->page_bytes);
	w->x_mib = w->t_mib - w->g_mib;
	w->low = w->g_mib * PVE_MIB;
	w->high = pve_ct_high(w->t_mib);
}

/* "its row cannot be applied: WHY", at the row's bar; 1. */
static int
want_error(const struct plan *p, const struct gplan *gp, const char *why)
{
	struct where at = { p->w->mapshown, gp->guest->row->line,
	    gp->guest->row->bar_col, gp->guest->id, NULL };

	vz_report(&at, VZ_LERROR, "%s: its row cannot be applied: %s",
	    gp->guest->id, why);
	return 1;
}

size_t
pve_plan(const struct plan *p, struct gplan *gp)
{
	const struct pveg *r = pveg_of(gp->guest);
	const struct pvek *s = pvek_of(p->w, gp->guest->kind);
	struct pve_want w;
	size_t i;

	if (r->bad)
		return 1;
	pve_want_of(p, gp, &w);
	gp->variant = (unsigned char)s->fs.version;
	if (w.t_mib > PVE_INT_MAX)
		return want_error(p, gp, "more MiB than Proxmox takes");
	if (w.t_mib < PVE_MEM_MIN)
		return want_error(p, gp, pve_is_qm(gp->guest) ?
		    "less than 16 MiB, qm's minimum for memory:" :
		    "less than 16 MiB, pct's minimum for memory:");
	if (pve_is_qm(gp->guest)) {
		gp->set = 1u << QS_MEMORY;
		if (!r->has_memory || r->memory != w.t_mib)
			gp->pdirty |= 1u << QS_MEMORY;
		/* All '=' and no minimum: the VM holds all its memory
		 * either way; a balloon: added would change nothing. */
		if (w.x_mib == 0 && (!r->has_balloon || r->balloon == 0))
			return 0;
		if (w.g_mib == 0)
			return want_error(p, gp, "no '=' (less than 1 MiB), "
			    "and balloon: 0 would remove the VM's balloon "
			    "device: give it at least one '='");
		gp->set |= 1u << QS_BALLOON;
		if (!r->has_balloon || r->balloon != w.g_mib)
			gp->pdirty |= 1u << QS_BALLOON;
		return 0;
	}
	gp->set = 1u << CS_MEMORY | 1u << CS_SWAP | 1u << CS_LOW;
	if (!r->has_memory || r->memory != w.t_mib)
		gp->pdirty |= 1u << CS_MEMORY;
	if (pveconf_get(&r->conf, "swap", &i, NULL) == NULL ||
	    r->swap != w.x_mib)
		gp->pdirty |= 1u << CS_SWAP;
	if (!r->has_low || r->low != w.low)
		gp->pdirty |= 1u << CS_LOW;
	if (!r->running || s->fs.version != CG_V2)
		return 0;
	gp->set |= 1u << CS_SWAP_MAX | 1u << CS_HIGH | 1u << CS_MAX |
	    1u << CS_LIVE_LOW;
	if (!CG_HAS(&r->st, CG_SWAP_MAX) ||
	    r->st.val[CG_SWAP_MAX] != w.x_mib * PVE_MIB)
		gp->ldirty |= 1u << CS_SWAP_MAX;
	if (!CG_HAS(&r->st, CG_HIGH) || r->st.val[CG_HIGH] != w.high)
		gp->ldirty |= 1u << CS_HIGH;
	if (!CG_HAS(&r->st, CG_MAX) || r->st.val[CG_MAX] != w.t_mib * PVE_MIB)
		gp->ldirty |= 1u << CS_MAX;
	if (!CG_HAS(&r->st, CG_LOW) || r->st.val[CG_LOW] != w.low)
		gp->ldirty |= 1u << CS_LIVE_LOW;
	return 0;
}

static char *
mib_str(uint64_t v)
{
	return xasprintf("%llu", (unsigned long long)v);
}

static char *
live_str(const struct pveg *r, enum cg_item it)
{
	if (!CG_HAS(&r->st, it))
		return xstrdup(r->st.bad & 1u << it ? "(unreadable)" :
		    "(no file)");
	if (r->st.val[it] == CG_UNLIMITED)
		return xstrdup("max");
	return xasprintf("%llu", (unsigned long long)r->st.val[it]);
}

size_t
pve_settings(const struct plan *p, const struct gplan *gp,
    struct setting **out)
{
	/* Padded to CS_N: one index for both kinds. */
	static const char *const qnames[CS_N] = { "memory", "balloon" };
	static const char *const cnames[CS_N] = { "memory", "swap",
	    PCT_LOW_KEY, "memory.swap.max", "memory.high", "memory.max",
	    "memory.low" };
	static const enum cg_item items[CS_N] = { CG_MAX, CG_SWAP_MAX,
	    CG_LOW, CG_SWAP_MAX, CG_HIGH, CG_MAX, CG_LOW };
	const struct pveg *r = pveg_of(gp->guest);
	int qm = pve_is_qm(gp->guest);
	size_t i, n = 0, nk = qm ? QS_N : CS_N, len;
	struct setting *set = xcalloc(CS_N, sizeof(*set));
	struct pve_want w;
	struct buf b = { NULL, 0, 0 };
	const char *v;

	pve_want_of(p, gp, &w);
	for (i = 0; i < nk; i++) {
		struct setting *t = &set[n];

		if (!(gp->set & 1u << i))
			continue;
		t->name = qm ? qnames[i] : cnames[i];
		t->persist_differs = (gp->pdirty >> i) & 1;
		t->live_differs = (gp->ldirty >> i) & 1;
		n++;
		if (!qm && i >= CS_SWAP_MAX) {
			t->live = live_str(r, items[i]);
			t->want = mib_str(i == CS_SWAP_MAX ? w.x_mib * PVE_MIB :
			    i == CS_HIGH ? w.high : i == CS_MAX ?
			    w.t_mib * PVE_MIB : w.low);
			continue;
		}
		if ((v = pveconf_get(&r->conf, t->name, &len, NULL)) != NULL)
			t->old = xstrndup(v, len);
		if (qm && i == QS_MEMORY) {
			b.len = 0;
			pve_memory_format(&b, r->has_memory ? r->form :
			    PVE_MEM_PLAIN, w.t_mib);
			t->want = xstrdup(b.data);
		} else
			t->want = mib_str(qm ? w.g_mib : i == CS_MEMORY ?
			    w.t_mib : i == CS_SWAP ? w.x_mib : w.low);
	}
	buf_free(&b);
	*out = set;
	return n;
}

/* The conf's edits for gp's settings that differ. */
static void
edit_conf(const struct plan *p, const struct gplan *gp)
{
	struct pveg *r = pveg_of(gp->guest);
	struct setting *set;
	size_t i, n;

	n = pve_settings(p, gp, &set);
	for (i = 0; i < n; i++)
		if (set[i].persist_differs)
			pveconf_set(&r->conf, set[i].name, set[i].want);
	settings_free(set, n);
}

/*
 * One conf rewritten under its config lock: opened once, read again
 * from that descriptor and compared with what was planned from (a qm
 * set in between: not written), replaced by a temp file in the same
 * directory (file_save).  pmxcfs takes that as Proxmox's own
 * file_set_contents does (pve-cluster src/pmxcfs/pmxcfs.c 180-212: the
 * temp's chmod to the conf's 0640 and chown to root and www-data are
 * the only ones it allows; memdb.c memdb_rename 1060, 1096-1104 refuses a
 * rename only onto another node's or kind's VMID).  0, or -1 after a
 * message.
 */
static int
write_conf(const struct pvek *s, const struct plan *p, struct gplan *gp,
    const struct opts *o)
{
	struct pveg *r = pveg_of(gp->guest);
	struct buf now = { NULL, 0, 0 }, out = { NULL, 0, 0 };
	struct ofile of;
	const char *v;
	size_t len, line;
	int lfd, rc = -1;

	/* AbstractConfig's check_lock: qm and pct refuse a guest that is
	 * locked (a backup, a migration, a snapshot) until it is not. */
	if ((v = pveconf_get(&r->conf, "lock", &len, &line)) != NULL) {
		vz_err(r->path, line, 0, "%s is locked (%.*s): qm and pct "
		    "change nothing of it until the lock is gone; not "
		    "written", gp->guest->id, (int)len, v);
		return -1;
	}
	if ((lfd = pve_lock(s, r, o->wait)) == -1)
		return -1;
	if (file_open(&of, r->path, 0) == -1 || file_load(&of, &now) == -1)
		vz_err(r->path, 0, 0, "cannot write: %s", file_why(&of));
	else if (now.len != r->conf.text.len ||
	    memcmp(now.data, r->conf.text.data, now.len) != 0)
		vz_err(r->path, 0, 0, "changed while vzmem ran (qm or pct "
		    "set?): not written; run vzmem -a again");
	else {
		edit_conf(p, gp);
		pveconf_render(&r->conf, &out);
		if (file_save(&of, out.data, out.len, 0640, NULL, 0) == -1)
			vz_err(r->path, 0, 0, "cannot write: %s",
			    file_why(&of));
		else
			rc = 0;
		pveconf_reset(&r->conf);
	}
	file_close(&of);
	close(lfd);
	buf_free(&now);
	buf_free(&out);
	if (rc == 0 && verbosity > 0)
		vz_info("%s: written", r->path);
	return rc;
}

/* A running container's writes, in pct's order (swap.max, high, max),
 * then memory.low; a file that holds its value already is left out. */
static size_t
guest_writes(const struct pvek *s, const struct plan *p, struct gplan *gp,
    size_t idx, struct cg_write *out)
{
	static const struct {
		int		 bit;
		enum cg_item	 item;
	} order[] = {
		{ CS_SWAP_MAX, CG_SWAP_MAX }, { CS_HIGH, CG_HIGH },
		{ CS_MAX, CG_MAX }, { CS_LIVE_LOW, CG_LOW }
	};
	struct pveg *r = pveg_of(gp->guest);
	struct pve_want w;
	size_t i, n = 0;
	int phase;

	pve_want_of(p, gp, &w);
	/* Freed before granted, across guests: a container whose RAM
	 * limit goes down is written with the lowering of every kind. */
	phase = CG_HAS(&r->st, CG_MAX) && r->st.val[CG_MAX] >
	    w.t_mib * PVE_MIB ? 0 : 1;
	for (i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		struct cg_write *c = &out[n];
		enum cg_item it = order[i].item;

		if (!(gp->ldirty & 1u << order[i].bit))
			continue;
		memset(c, 0, sizeof(*c));
		c->guest = idx;
		c->name = gp->guest->id;
		c->dir = r->cgdir;
		c->mfd = s->fs.mfd;
		c->path = r->cgpath;
		c->item = it;
		c->known = CG_HAS(&r->st, it);
		c->old = r->st.val[it];
		c->want = it == CG_SWAP_MAX ? w.x_mib * PVE_MIB : it == CG_HIGH ?
		    w.high : it == CG_MAX ? w.t_mib * PVE_MIB : w.low;
		c->phase = phase;
		c->seq = n;
		n++;
	}
	return n;
}

/* The confs, then the live writes of the running containers. */
static void
plan_live(const struct plan *p, struct pvek *s, struct gplan **gps,
    size_t n, const struct opts *o)
{
	size_t i;

	s->gps = xreallocarray(NULL, n + 1, sizeof(*s->gps));
	memcpy(s->gps, gps, n * sizeof(*gps));
	s->ngps = n;
	s->writes = xreallocarray(NULL, 4 * n + 1, sizeof(*s->writes));
	s->planned = 1;
	for (i = 0; i < n; i++) {
		struct gplan *gp = gps[i];
		struct pveg *r = pveg_of(gp->guest);

		if (!gp->pdirty)
			continue;
		if (write_conf(s, p, gp, o) == -1) {
			gp->failed = 1;
			s->nconf_failed++;
		} else {
			r->written = 1;
			s->nconfs++;
		}
	}
	for (i = 0; i < n; i++) {
		struct gplan *gp = gps[i];
		struct pveg *r = pveg_of(gp->guest);

		if (!gp->ldirty || gp->failed)
			continue;
		if (!r->st.exists && r->st.walk.refused != CG_REF_NONE) {
			vz_err(gp->guest->id, 0, 0, "%s is not a cgroup: %s "
			    "(never followed); not applied live", r->cgdir,
			    cg_refused_what(&r->st.walk));
			gp->failed = 1;
			continue;
		}
		s->nwrites += guest_writes(s, p, gp, i, s->writes + s->nwrites);
	}
}

int
pve_lower(const struct plan *p, struct gplan **gps, size_t n,
    const struct opts *o)
{
	struct pvek *s = pvek_of(p->w, gps[0]->guest->kind);
	size_t failed;

	plan_live(p, s, gps, n, o);
	failed = cg_write_all(s->writes, s->nwrites, 0);
	return failed > 0 || s->nconf_failed > 0 ? VZ_FAIL : VZ_OK;
}

/* Tallies, and the guests that failed. */
static int
finish(struct pvek *s)
{
	size_t i, nwritten = 0, nfailed = 0;
	int r = VZ_OK;

	for (i = 0; i < s->nwrites; i++) {
		const struct cg_write *w = &s->writes[i];

		nwritten += w->done && !w->undone;
		if (w->err != 0) {
			s->gps[w->guest]->failed = 1;
			nfailed += w->err != ECANCELED;
		}
	}
	for (i = 0; i < s->ngps; i++) {
		const struct gplan *gp = s->gps[i];

		if (gp->failed)
			r = VZ_FAIL;
		else if (pve_is_qm(gp->guest) && gp->guest->running &&
		    (gp->pdirty & 1u << QS_MEMORY))
			vz_info("%s: its new memory: takes effect when the VM "
			    "next starts (it runs with the old one now)",
			    gp->guest->id);
	}
	if (s->kind == &qm_kind)
		vz_info("%s: %zu conf%s rewritten%s", s->kind->name, s->nconfs,
		    s->nconfs == 1 ? "" : "s", s->nconf_failed > 0 ?
		    " (some could not be)" : "");
	else
		vz_info("%s: %zu conf%s rewritten%s, %zu cgroup file%s "
		    "written, %zu refused", s->kind->name, s->nconfs,
		    s->nconfs == 1 ? "" : "s", s->nconf_failed > 0 ?
		    " (some could not be)" : "", nwritten,
		    nwritten == 1 ? "" : "s", nfailed);
	return r;
}

int
pve_apply(const struct plan *p, struct gplan **gps, size_t n,
    const struct opts *o)
{
	struct pvek *s = pvek_of(p->w, gps[0]->guest->kind);

	if (!s->planned)
		plan_live(p, s, gps, n, o);
	cg_write_all(s->writes, s->nwrites, 1);
	return finish(s);
}

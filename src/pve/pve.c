/*
 * pve.c -- the two Proxmox VE kinds (SPEC 6.4): what a node has, its
 * guests' configs read and checked, their shares for -i, what -s shows.
 *
 * This node's guests are /etc/pve/qemu-server/VMID.conf and
 * /etc/pve/lxc/VMID.conf (links into /etc/pve/nodes/NODE/, made by
 * pmxcfs); each file is VMID.conf, as the parsers insist
 * (parse_vm_config: m|/qemu-server/(\d+)\.conf$|, parse_pct_config:
 * m|/lxc/(\d+).conf$|).  A node without /etc/pve has neither kind.
 *
 * Facts, with their sources: research/balloons.md section C.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "json.h"
#include "pve/pvek.h"

#define QM_PREFIX	"qm:"
#define PCT_PREFIX	"pct:"
#define VMID_MIN	100		/* pve-vmid: 100 .. 999999999 */
#define VMID_MAX	999999999UL
#define SHARES_MAX	50000		/* QemuServer.pm 325-335 */

/* -s: what figures() reads of a guest's cgroup. */
#define FIG_ITEMS	(1u << CG_CURRENT | 1u << CG_PEAK | \
			 1u << CG_SWAP_CURRENT | 1u << CG_EV_HIGH | \
			 1u << CG_EV_MAX | 1u << CG_OOM_KILL | \
			 1u << CG_PSI_SOME10)
/* -a: what plan() compares of a container's. */
#define LIVE_ITEMS	(1u << CG_MAX | 1u << CG_HIGH | 1u << CG_SWAP_MAX | \
			 1u << CG_LOW)

static int	 vmid_check(const char *, size_t, struct buf *);
static int	 vmid_of(const char *, size_t, unsigned long *);
static int	 qm_open(struct world *, const struct opts *);
static int	 pct_open(struct world *, const struct opts *);
static int	 k_open(struct world *, const struct kind *, const char *,
		    const char *);
static int	 k_list(struct world *, const struct kind *);
static int	 qm_list(struct world *);
static int	 pct_list(struct world *);
static int	 cmp_vmid(const void *, const void *);
static int	 read_values(const struct pvek *, struct pveg *);
static int	 value_err(const struct pveg *, const char *, size_t,
		    const char *, size_t, const char *, const char *);
static int	 hotplug_memory(const char *, size_t);
static int	 qm_running(const struct pvek *, const struct pveg *);
static int	 k_live(struct world *, const struct kind *);
static int	 qm_live(struct world *);
static int	 pct_live(struct world *);
static void	 k_close(struct world *, const struct kind *);
static void	 qm_close(struct world *);
static void	 pct_close(struct world *);
static void	 k_no_guest(const struct world *, const char *, struct buf *);
static const char *k_plus_is(const struct world *, const struct kind *);
static char	*k_name_of(const struct guest *);
static int	 k_share(const struct world *, const struct guest *, int,
		    struct share *);
static const char *k_variant_name(const struct plan *,
		    const struct gplan *);
static void	 k_command(const struct plan *, const struct gplan *,
		    const struct setting *, size_t, struct buf *);
static int	 k_has_temps(const struct world *, const struct kind *);
static size_t	 k_sweep(const struct world *, const struct kind *);
static int	 qm_has_temps(const struct world *);
static int	 pct_has_temps(const struct world *);
static size_t	 qm_sweep(const struct world *);
static size_t	 pct_sweep(const struct world *);
static int	 k_figures(const struct world *, const struct guest *,
		    struct figures *);
static void	 qm_json_row(const struct world *, const struct guest *,
		    struct json *);
static void	 pct_json_row(const struct world *, const struct guest *,
		    struct json *);
static void	 count(const struct world *, const struct kind *, size_t *,
		    size_t *);
static void	 k_describe(const struct world *, const struct kind *,
		    struct buf *);
static void	 qm_describe(const struct world *, struct buf *);
static void	 pct_describe(const struct world *, struct buf *);
static void	 k_json_host(const struct world *, const struct kind *,
		    struct json *);
static void	 qm_json_host(const struct world *, struct json *);
static void	 pct_json_host(const struct world *, struct json *);
static void	 k_looked(const struct world *, const struct kind *,
		    struct buf *);
static void	 qm_looked(const struct world *, struct buf *);
static void	 pct_looked(const struct world *, struct buf *);

const struct kind qm_kind = {
	.name = "Proxmox VM",
	.prefix = QM_PREFIX,
	.persisted_in = "VM conf",
	.noun = "VM",
	.runs = NULL,
	.id_check = vmid_check,
	.open = qm_open,
	.list = qm_list,
	.live = qm_live,
	.close = qm_close,
	.no_guest = k_no_guest,
	.plus_is = k_plus_is,
	.name_of = k_name_of,
	.share = k_share,
	.plan = pve_plan,
	.settings = pve_settings,
	.variant_name = k_variant_name,
	.command = k_command,
	.rules = pve_rules,
	.risks = pve_risks,
	.lower = pve_lower,
	.apply = pve_apply,
	.has_temps = qm_has_temps,
	.sweep = qm_sweep,
	.figures = k_figures,
	.json_row = qm_json_row,
	.describe = qm_describe,
	.json_host = qm_json_host,
	.looked = qm_looked,
	.fails_note = "its scope's memory cgroup hit a limit (memory.events)",
};

const struct kind pct_kind = {
	.name = "Proxmox CT",
	.prefix = PCT_PREFIX,
	.persisted_in = "CT conf",
	.noun = "container",
	.runs = NULL,
	.id_check = vmid_check,
	.open = pct_open,
	.list = pct_list,
	.live = pct_live,
	.close = pct_close,
	.no_guest = k_no_guest,
	.plus_is = k_plus_is,
	.name_of = k_name_of,
	.share = k_share,
	.plan = pve_plan,
	.settings = pve_settings,
	.variant_name = k_variant_name,
	.command = k_command,
	.rules = pve_rules,
	.risks = pve_risks,
	.lower = pve_lower,
	.apply = pve_apply,
	.has_temps = pct_has_temps,
	.sweep = pct_sweep,
	.figures = k_figures,
	.json_row = pct_json_row,
	.describe = pct_describe,
	.json_host = pct_json_host,
	.looked = pct_looked,
	.fails_note = "its memory cgroup hit memory.max (memory.events)",
};

struct pvek *
pvek_of(const struct world *w, const struct kind *k)
{
	return world_kind(w, k);
}

struct pveg *
pveg_of(const struct guest *g)
{
	return g->k;
}

int
pve_is_qm(const struct guest *g)
{
	return g->kind == &qm_kind;
}

/* A VMID as Proxmox writes it: digits, no leading 0, 100..999999999. */
static int
vmid_of(const char *s, size_t len, unsigned long *v)
{
	uint64_t n;

	if (len == 0 || len > 9 || s[0] == '0' ||
	    parse_u64(s, len, VMID_MAX, &n) == -1 || n < VMID_MIN)
		return -1;
	*v = (unsigned long)n;
	return 0;
}

static int
vmid_check(const char *s, size_t len, struct buf *why)
{
	unsigned long v;

	if (vmid_of(s, len, &v) == 0)
		return 0;
	buf_printf(why, "bad Proxmox VMID '%.*s': a number from 100 to "
	    "999999999, no leading 0", len > 60 ? 60 : (int)len, s);
	return -1;
}

static int
k_open(struct world *w, const struct kind *k, const char *dir,
    const char *lockdir)
{
	struct pvek *s = xcalloc(1, sizeof(*s));
	struct stat st;

	s->kind = k;
	s->dir = host_path(&w->host, dir);
	s->lockdir = host_path(&w->host, lockdir);
	s->rundir = host_path(&w->host, "/var/run/qemu-server");
	s->procdir = host_path(&w->host, "/proc");
	s->page_bytes = w->host.page_bytes;
	s->present = stat(s->dir, &st) == 0 && S_ISDIR(st.st_mode);
	if (s->present) {
		cgfs_open(&s->fs, w->host.root, w->host.page_bytes);
		ksm_read(w->host.root, &s->ksm);
	}
	world_set_kind(w, k, s);
	return VZ_OK;
}

static int
qm_open(struct world *w, const struct opts *o)
{
	(void)o;
	/* QemuConfig.pm 33, 61-65: lock-VMID.conf in /var/lock/qemu-server. */
	return k_open(w, &qm_kind, "/etc/pve/qemu-server",
	    "/var/lock/qemu-server");
}

static int
pct_open(struct world *w, const struct opts *o)
{
	(void)o;
	/* LXC/Config.pm 34, 53-57: pve-config-VMID.lock in /run/lock/lxc. */
	return k_open(w, &pct_kind, "/etc/pve/lxc", "/run/lock/lxc");
}

static int
cmp_vmid(const void *a, const void *b)
{
	const struct pveg *x = *(struct pveg *const *)a;
	const struct pveg *y = *(struct pveg *const *)b;

	return x->vmid < y->vmid ? -1 : x->vmid > y->vmid;
}

/* A bad value: "FILE:LINE:COL: error: KEY: "V": WHY (HINT)"; returns
 * -1. */
static int
value_err(const struct pveg *r, const char *key, size_t line, const char *v,
    size_t len, const char *why, const char *hint)
{
	const struct pve_line *l = &r->conf.lines[line - 1];
	struct buf q = { NULL, 0, 0 };

	cg_quote(&q, v, len);
	vz_err(r->path, line, l->vof - l->off + 1, "%s: \"%s\": %s%s%s%s",
	    key, q.data, why, hint != NULL ? " (" : "", hint != NULL ? hint :
	    "", hint != NULL ? ")" : "");
	buf_free(&q);
	return -1;
}

/* "hotplug:" names memory (QemuServer.pm parse_hotplug_features
 * 1136-1153: "0" none, "1" the default network,disk,usb). */
static int
hotplug_memory(const char *v, size_t len)
{
	const char *p, *e;

	for (p = v; p < v + len; p = e + 1) {
		for (e = p; e < v + len && *e != ',' && *e != ';' &&
		    *e != ' '; e++)
			continue;
		if (e - p == 6 && memcmp(p, "memory", 6) == 0)
			return 1;
	}
	return 0;
}

/*
 * The memory keys of a conf, each checked as qm set or pct set checks
 * it; the first error of each key reported at its place.  0, or -1.
 */
static int
read_values(const struct pvek *s, struct pveg *r)
{
	const struct pve_conf *c = &r->conf;
	const char *v, *why;
	size_t len, line, bline = 0;
	int bad = 0, qm = s->kind == &qm_kind;

	/* What a container starts with when the key is missing
	 * (LXC.pm update_lxc_config 822-823: memory 512, swap 0). */
	r->memory = PVE_MEM_DEFAULT;
	r->swap = 0;
	r->shares = 1000;
	if ((v = pveconf_get(c, "memory", &len, &line)) != NULL) {
		r->has_memory = 1;
		if (qm ? pve_memory_parse(v, len, &r->memory, &r->form,
		    &why) == -1 : pve_int_parse(v, len, PVE_MEM_MIN,
		    PVE_INT_MAX, &r->memory, &why) == -1)
			bad |= value_err(r, "memory", line, v, len, why, qm ?
			    "qm takes MiB: 'memory: 4096' or 'memory: "
			    "current=4096'" : "pct takes MiB, at least 16") ==
			    -1;
	}
	if (qm && (v = pveconf_get(c, "balloon", &len, &bline)) != NULL) {
		r->has_balloon = 1;
		if (pve_int_parse(v, len, 0, PVE_INT_MAX, &r->balloon,
		    &why) == -1) {
			bad |= value_err(r, "balloon", bline, v, len, why,
			    "qm takes MiB; 0: no balloon device") == -1;
			r->has_balloon = 0;
		}
	}
	if (qm && (v = pveconf_get(c, "shares", &len, &line)) != NULL) {
		r->has_shares = 1;
		if (pve_int_parse(v, len, 0, SHARES_MAX, &r->shares,
		    &why) == -1)
			bad |= value_err(r, "shares", line, v, len, why,
			    "qm takes 0 to 50000") == -1;
	}
	if (qm && (v = pveconf_get(c, "hotplug", &len, &line)) != NULL)
		r->hotplug_memory = hotplug_memory(v, len);
	/* API2/Qemu.pm 2239-2249: qm set refuses it. */
	if (qm && !bad && r->has_balloon && r->balloon > r->memory) {
		v = pveconf_get(c, "balloon", &len, &bline);
		bad |= value_err(r, "balloon", bline, v, len, "above memory:",
		    "qm set refuses it: \"balloon value too large (must be "
		    "smaller than assigned memory)\"") == -1;
	}
	if (!qm && (v = pveconf_get(c, "swap", &len, &line)) != NULL &&
	    pve_int_parse(v, len, 0, PVE_INT_MAX, &r->swap, &why) == -1)
		bad |= value_err(r, "swap", line, v, len, why,
		    "pct takes MiB") == -1;
	if (!qm && (v = pveconf_get(c, PCT_LOW_KEY, &len, &line)) != NULL) {
		r->has_low = 1;
		if (pve_bytes_parse(v, len, &r->low, &why) == -1)
			bad |= value_err(r, PCT_LOW_KEY, line, v, len, why,
			    NULL) == -1;
	}
	return bad ? -1 : 0;
}

/* qemu-server's check_running: the pid file <root>/var/run/qemu-server/
 * VMID.pid (Helpers.pm 86, 219-224) names a process that is there. */
static int
qm_running(const struct pvek *s, const struct pveg *r)
{
	struct buf b = { NULL, 0, 0 };
	char *p = xasprintf("%s/%lu.pid", s->rundir, r->vmid);
	struct stat st;
	uint64_t pid;
	size_t len;
	int up = 0;

	if (file_read(p, &b) == 0) {
		for (len = b.len; len > 0 && (is_blank(b.data[len - 1]) ||
		    b.data[len - 1] == '\n'); len--)
			continue;
		if (parse_u64(b.data, len, UINT32_MAX, &pid) == 0) {
			free(p);
			p = xasprintf("%s/%llu", s->procdir,
			    (unsigned long long)pid);
			up = stat(p, &st) == 0;
		}
	}
	free(p);
	buf_free(&b);
	return up;
}

static int
k_list(struct world *w, const struct kind *k)
{
	struct pvek *s = pvek_of(w, k);
	struct buf text = { NULL, 0, 0 }, id = { NULL, 0, 0 };
	struct dirent *de;
	unsigned long vmid;
	char *why = NULL;
	size_t i, nlen;
	int dfd, r = VZ_OK;
	DIR *d;

	if (!s->present)
		return VZ_OK;
	/* Through pmxcfs's links (root's), never a user's. */
	if ((dfd = dir_open(s->dir, &why)) == -1 ||
	    (d = fdopendir(dfd)) == NULL) {
		if (why != NULL)
			vz_err(s->dir, 0, 0, "refused: %s", why);
		else
			vz_syserr(s->dir, "cannot read");
		if (dfd != -1)
			close(dfd);
		free(why);
		return VZ_FAIL;
	}
	for (errno = 0; (de = readdir(d)) != NULL; errno = 0) {
		struct pveg *g;

		nlen = strlen(de->d_name);
		if (nlen < 6 || strcmp(de->d_name + nlen - 5, ".conf") != 0 ||
		    vmid_of(de->d_name, nlen - 5, &vmid) == -1)
			continue;
		g = xcalloc(1, sizeof(*g));
		g->vmid = vmid;
		g->path = xasprintf("%s/%s", s->dir, de->d_name);
		text.len = 0;
		if (file_read_at(dirfd(d), de->d_name, &text) == -1) {
			vz_syserr(g->path, "cannot read");
			r = VZ_FAIL;
		}
		pveconf_parse(&g->conf, k == &qm_kind ? PVE_QM : PVE_CT,
		    text.data != NULL ? text.data : "", text.len);
		if (s->n == s->room) {
			s->room = s->room ? 2 * s->room : 16;
			s->recs = xreallocarray(s->recs, s->room,
			    sizeof(*s->recs));
		}
		s->recs[s->n++] = g;
	}
	if (errno != 0) {
		vz_syserr(s->dir, "cannot read");
		r = VZ_FAIL;
	}
	closedir(d);
	if (s->n > 1)
		qsort(s->recs, s->n, sizeof(*s->recs), cmp_vmid);
	world_reserve(w, s->n);
	for (i = 0; i < s->n; i++) {
		struct pveg *g = s->recs[i];
		struct guest *gu;

		if (g->conf.err_line != 0) {
			vz_err(g->path, g->conf.err_line, 0, "%s; qm and pct "
			    "would not take it as it is: fix it (or restore "
			    "it from /etc/pve's database), then run vzmem "
			    "again", g->conf.err_why);
			g->bad = 1;
		} else if (read_values(s, g) == -1)
			g->bad = 1;
		if (g->bad) {
			w->guests_invalid = 1;
			r = r == VZ_OK ? VZ_INVALID : r;
		}
		g->cgpath = k == &qm_kind ?
		    xasprintf("qemu.slice/%lu.scope", g->vmid) :
		    xasprintf("lxc/%lu", g->vmid);
		g->cgdir = xasprintf("%s/%s", s->fs.mount != NULL ?
		    s->fs.mount : "/sys/fs/cgroup", g->cgpath);
		id.len = 0;
		buf_printf(&id, "%s%lu", k->prefix, g->vmid);
		gu = world_add_guest(w, k, id.data, id.len, g);
		gu->shown = g->path;
	}
	buf_free(&text);
	buf_free(&id);
	return r;
}

static int
qm_list(struct world *w)
{
	return k_list(w, &qm_kind);
}

static int
pct_list(struct world *w)
{
	return k_list(w, &pct_kind);
}

/*
 * Running: a VM by its pid file, a container by its cgroup
 * (lxc/VMID, where pve-common's change_memory_limit writes: a CT that
 * has none is "not running", CGroup.pm 412-414).
 */
static int
k_live(struct world *w, const struct kind *k)
{
	struct pvek *s = pvek_of(w, k);
	size_t i;

	if (s == NULL || !s->present)
		return VZ_OK;
	for (i = 0; i < w->nguests; i++) {
		struct guest *g = &w->guests[i];
		struct pveg *r;

		if (g->kind != k)
			continue;
		r = pveg_of(g);
		if (k == &qm_kind)
			r->running = qm_running(s, r);
		else if (s->fs.version != CG_NONE)
			r->running = cg_read_items(&s->fs, r->cgpath,
			    LIVE_ITEMS, &r->st);
		g->running = (unsigned char)r->running;
	}
	return VZ_OK;
}

static int
qm_live(struct world *w)
{
	return k_live(w, &qm_kind);
}

static int
pct_live(struct world *w)
{
	return k_live(w, &pct_kind);
}

static void
k_close(struct world *w, const struct kind *k)
{
	struct pvek *s = pvek_of(w, k);
	size_t i;

	if (s == NULL)
		return;
	for (i = 0; i < s->n; i++) {
		pveconf_free(&s->recs[i]->conf);
		free(s->recs[i]->path);
		free(s->recs[i]->cgpath);
		free(s->recs[i]->cgdir);
		free(s->recs[i]);
	}
	free(s->recs);
	free(s->writes);
	free(s->gps);
	free(s->dir);
	free(s->lockdir);
	free(s->rundir);
	free(s->procdir);
	if (s->present)
		cgfs_close(&s->fs);
	free(s);
	world_set_kind(w, k, NULL);
}

static void
qm_close(struct world *w)
{
	k_close(w, &qm_kind);
}

static void
pct_close(struct world *w)
{
	k_close(w, &pct_kind);
}

static void
k_no_guest(const struct world *w, const char *id, struct buf *why)
{
	const struct kind *k = kind_of(id, strlen(id));
	const struct pvek *s = pvek_of(w, k);

	buf_printf(why, "has no conf (%s/%s.conf)", s->dir,
	    id + strlen(k->prefix));
}

/* A VM's '+' is what AutoBalloon lends it above its balloon: minimum;
 * a container's is swap (and as much RAM beyond its guarantee). */
static const char *
k_plus_is(const struct world *w, const struct kind *k)
{
	(void)w;
	return k == &qm_kind ? "RAM that AutoBalloon lends" : NULL;
}

/* "name:" (VM) or "hostname:" (CT), else the VMID. */
static char *
k_name_of(const struct guest *g)
{
	const struct pveg *r = pveg_of(g);
	const char *v;
	size_t len;

	v = pveconf_get(&r->conf, pve_is_qm(g) ? "name" : "hostname", &len,
	    NULL);
	return v != NULL ? xstrndup(v, len) : xasprintf("%lu", r->vmid);
}

/* -i: a VM's G from balloon:, a container's from memory: less swap:
 * (pvemap.h); in pages, capped at what the host has. */
static int
k_share(const struct world *w, const struct guest *g, int quiet,
    struct share *sh)
{
	const struct host *h = &w->host;
	const struct pveg *r = pveg_of(g);
	uint64_t gm, xm, tm, per = PVE_MIB / h->page_bytes, ram, all;

	if (r->bad) {
		sh->g = sh->x = 0;
		return -1;
	}
	if (pve_is_qm(g)) {
		pve_qm_share(r->memory, r->has_balloon, r->balloon, &gm, &tm);
		xm = tm - gm;
	} else {
		pve_ct_share(r->memory, r->swap, &gm, &xm);
		if (!quiet && r->swap > r->memory) {
			size_t len, line = 0;

			pveconf_get(&r->conf, "swap", &len, &line);
			vz_warn(r->path, line, 0, "%s: swap: %llu MiB is above "
			    "memory: %llu MiB; its row's '+' is both its swap "
			    "and RAM beyond its '=', so at most memory: (-a "
			    "writes swap: %llu)", g->id,
			    (unsigned long long)r->swap,
			    (unsigned long long)r->memory,
			    (unsigned long long)xm);
		}
	}
	ram = h->mem_kb / h->page_kb;
	all = (h->mem_kb + h->swap_kb) / h->page_kb;
	sh->g = gm * per > ram ? ram : gm * per;
	sh->x = xm * per > all - sh->g ? all - sh->g : xm * per;
	return 0;
}

static const char *
k_variant_name(const struct plan *p, const struct gplan *gp)
{
	const struct pvek *s = pvek_of(p->w, gp->guest->kind);

	if (pve_is_qm(gp->guest))
		return "Proxmox VM";
	return s->fs.version == CG_V2 ? "Proxmox CT, cgroup v2" :
	    s->fs.version == CG_V1 ? "Proxmox CT, cgroup v1" :
	    "Proxmox CT, no memory cgroup";
}

/* No command: -a edits the conf and writes the cgroup itself, as
 * qm set and pct set would. */
static void
k_command(const struct plan *p, const struct gplan *gp,
    const struct setting *set, size_t n, struct buf *b)
{
	(void)p;
	(void)gp;
	(void)set;
	(void)n;
	(void)b;
}

/* A kill's temp files beside the confs (file_save's names). */
static int
k_has_temps(const struct world *w, const struct kind *k)
{
	const struct pvek *s = pvek_of(w, k);

	return s != NULL && s->present && tmp_exists(s->dir);
}

static size_t
k_sweep(const struct world *w, const struct kind *k)
{
	return k_has_temps(w, k) ? tmp_sweep(pvek_of(w, k)->dir) : 0;
}

static int
qm_has_temps(const struct world *w)
{
	return k_has_temps(w, &qm_kind);
}

static int
pct_has_temps(const struct world *w)
{
	return k_has_temps(w, &pct_kind);
}

static size_t
qm_sweep(const struct world *w)
{
	return k_sweep(w, &qm_kind);
}

static size_t
pct_sweep(const struct world *w)
{
	return k_sweep(w, &pct_kind);
}

/* -s: a VM's scope (qemu.slice/VMID.scope) and a container's cgroup,
 * as the kernel counts them. */
static int
k_figures(const struct world *w, const struct guest *g, struct figures *f)
{
	const struct pvek *s = pvek_of(w, g->kind);
	struct pveg *r = pveg_of(g);
	struct cg_live l;
	size_t i;

	memset(f, 0, sizeof(*f));
	f->known = 1u << FIG_HELD | 1u << FIG_PEAK | 1u << FIG_SWAP |
	    1u << FIG_OOM | 1u << FIG_HIGH | 1u << FIG_MAX;
	for (i = 0; i < FIG_N; i++)
		f->v[i] = FIG_NONE;
	if (s->fs.version != CG_V2 ||
	    !cg_read_items(&s->fs, r->cgpath, FIG_ITEMS, &r->st))
		return pve_is_qm(g) && r->running ? -1 : 0;
	cg_live_of(&r->st, &l);
	if (l.have & CGL_CURRENT)
		f->v[FIG_HELD] = l.current / 1024;
	if (l.have & CGL_PEAK)
		f->v[FIG_PEAK] = l.peak / 1024;
	if (l.have & CGL_SWAP)
		f->v[FIG_SWAP] = l.swap / 1024;
	if (l.have & CGL_OOM_KILL)
		f->v[FIG_OOM] = l.oom_kill;
	if (l.have & CGL_HIGH)
		f->v[FIG_HIGH] = l.high;
	if (l.have & CGL_MAX)
		f->v[FIG_MAX] = l.max;
	if (l.have & CGL_PSI)
		snprintf(f->psi, sizeof(f->psi), "%u.%02u",
		    l.psi_some10 / 100, l.psi_some10 % 100);
	return 1;
}

/* "qm_conf", "qm_memory_mib", "qm_balloon_mib"; "pct_conf",
 * "pct_memory_mib", "pct_swap_mib": the conf's values, null for a row
 * of another kind and for a key not set. */
static void
qm_json_row(const struct world *w, const struct guest *g, struct json *j)
{
	const struct pveg *r = g != NULL ? pveg_of(g) : NULL;

	(void)w;
	json_str(j, "qm_conf", r != NULL ? r->path : NULL);
	if (r != NULL)
		json_u64(j, "qm_memory_mib", r->memory);
	else
		json_null(j, "qm_memory_mib");
	if (r != NULL && r->has_balloon)
		json_u64(j, "qm_balloon_mib", r->balloon);
	else
		json_null(j, "qm_balloon_mib");
}

static void
pct_json_row(const struct world *w, const struct guest *g, struct json *j)
{
	const struct pveg *r = g != NULL ? pveg_of(g) : NULL;

	(void)w;
	json_str(j, "pct_conf", r != NULL ? r->path : NULL);
	if (r != NULL) {
		json_u64(j, "pct_memory_mib", r->memory);
		json_u64(j, "pct_swap_mib", r->swap);
	} else {
		json_null(j, "pct_memory_mib");
		json_null(j, "pct_swap_mib");
	}
}

static void
count(const struct world *w, const struct kind *k, size_t *n,
    size_t *running)
{
	size_t i;

	*n = *running = 0;
	for (i = 0; i < w->nguests; i++)
		if (w->guests[i].kind == k) {
			(*n)++;
			*running += pveg_of(&w->guests[i])->running != 0;
		}
}

/* "Proxmox VE: 3 VMs (2 running) in /etc/pve/qemu-server",
 * "Proxmox VE on cgroup v2: 2 containers (1 running) in /etc/pve/lxc". */
static void
k_describe(const struct world *w, const struct kind *k, struct buf *b)
{
	const struct pvek *s = pvek_of(w, k);
	size_t n, running;

	count(w, k, &n, &running);
	if (n == 0)
		return;
	buf_addstr(b, "Proxmox VE");
	if (k == &pct_kind)
		buf_addstr(b, s->fs.version == CG_V2 ? " on cgroup v2" :
		    s->fs.version == CG_V1 ? " on cgroup v1" :
		    " without a memory cgroup");
	buf_printf(b, ": %zu %s%s (%zu running) in ", n, k->noun,
	    n == 1 ? "" : "s", running);
	screen_str(b, s->dir);
}

static void
qm_describe(const struct world *w, struct buf *b)
{
	k_describe(w, &qm_kind, b);
}

static void
pct_describe(const struct world *w, struct buf *b)
{
	k_describe(w, &pct_kind, b);
}

/* "qm": {"dir", "vms", "running"}, "pct": {"dir", "containers",
 * "running"}; null when the node has none. */
static void
k_json_host(const struct world *w, const struct kind *k, struct json *j)
{
	const struct pvek *s = pvek_of(w, k);
	const char *key = k == &qm_kind ? "qm" : "pct";
	size_t n, running;

	count(w, k, &n, &running);
	if (n == 0) {
		json_null(j, key);
		return;
	}
	json_obj(j, key);
	json_str(j, "dir", s->dir);
	json_u64(j, k == &qm_kind ? "vms" : "containers", n);
	json_u64(j, "running", running);
	json_end_obj(j);
}

static void
qm_json_host(const struct world *w, struct json *j)
{
	k_json_host(w, &qm_kind, j);
}

static void
pct_json_host(const struct world *w, struct json *j)
{
	k_json_host(w, &pct_kind, j);
}

/* Said only on a node (/etc/pve/... is there): elsewhere Proxmox is
 * simply absent. */
static void
k_looked(const struct world *w, const struct kind *k, struct buf *b)
{
	const struct pvek *s = pvek_of(w, k);

	if (s != NULL && s->present)
		buf_printf(b, "no Proxmox %s (VMID.conf) in %s", k->noun,
		    s->dir);
}

static void
qm_looked(const struct world *w, struct buf *b)
{
	k_looked(w, &qm_kind, b);
}

static void
pct_looked(const struct world *w, struct buf *b)
{
	k_looked(w, &pct_kind, b);
}

/*
 * cgapply.c -- -a for the cgroup guest kinds, in the order that frees
 * RAM before it grants it (SPEC 6.2):
 *
 *	lower()	 every LXC config that differs, replaced atomically; then
 *		 every decrease of a live cgroup file (phase 0);
 *	apply()	 once every kind has lowered: every increase (phase 1).
 *
 * The writes are plain writes of the cgroup files, planned by cg_plan
 * (a file that holds its value already is not written) and ordered by
 * cg_order (v1: memsw before the limit when raising, after it when
 * lowering).  A refused write fails its guest: its later writes are not
 * tried, the other guests go on.  A container whose config could not be
 * written gets no live writes either: the next run finds both to do.
 *
 * A run killed half-way left configs that match the map and cgroup
 * files that hold either value; the next run plans what still differs.
 *
 * While it writes configs, a run keeps a marker in the lxcpath, an empty
 * temp file ".lxc.vzmem-tmp-XXXXXX": a run killed outright (SIGKILL, a
 * crash; the signals vzmem catches remove its temp files) leaves it, and
 * the next run then sweeps every container's directory.  So the check
 * of a converged run looks at one directory, not 10,000.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cgroup/cgroup.h"
#include "world.h"

struct marker;
static int	 marker_make(const struct cgk *, struct marker *);
static void	 marker_done(struct marker *);
static void	 conf_olds(const struct cgk *, const struct cgg *,
		    const struct cg_want *, char **);
static void	 say_config(const struct cgk *, const struct cgg *,
		    const struct cg_want *, char **);
static size_t	 write_configs(const struct plan *, struct cgk *);
static int	 no_memory(const struct plan *, const struct cgk *,
		    const struct gplan *);
static void	 plan_writes(const struct plan *, struct cgk *,
		    struct gplan **, size_t);
static void	 say_held(const struct guest *, const struct cgg *,
		    const struct cg_want *);
static void	 not_applied(const struct cgk *);

/* The marker: its name in the lxcpath, opened once (dir_open). */
struct marker {
	int	 dfd;
	char	*name;
};

/* The marker, made and durable before the first config's temp file; or
 * -1 after a message (the configs are not written then). */
static int
marker_make(const struct cgk *s, struct marker *m)
{
	int fd;

	m->name = NULL;
	if ((m->dfd = dir_open(s->lxcpath, NULL)) == -1 ||
	    (fd = file_temp(m->dfd, "lxc", &m->name)) == -1) {
		vz_syserr(s->lxcpath, "cannot make a temp file");
		if (m->dfd != -1)
			close(m->dfd);
		m->dfd = -1;
		return -1;
	}
	close(fd);
	if (fsync_fd_dir(m->dfd) == -1) {
		vz_syserr(s->lxcpath, "cannot sync");
		marker_done(m);
		return -1;
	}
	return 0;
}

static void
marker_done(struct marker *m)
{
	if (m->dfd == -1)
		return;
	unlinkat(m->dfd, m->name, 0);
	temp_unregister(m->name);
	free(m->name);
	close(m->dfd);
	m->dfd = -1;
	m->name = NULL;
}

/* The values the config's keys of want have now (NULL: none), for -v,
 * before they are set. */
static void
conf_olds(const struct cgk *s, const struct cgg *r, const struct cg_want *want,
    char **old)
{
	const char *key, *v;
	size_t k, len;

	for (k = 0; k < CG_NSET; k++) {
		old[k] = NULL;
		if (verbosity <= 0 || k >= want->n ||
		    (key = lxc_key(s->fs.version, want->set[k].item)) == NULL ||
		    (v = lxc_conf_get(&r->conf, key, &len, NULL)) == NULL)
			continue;
		old[k] = xstrndup(v, len);
	}
}

/* -v: "CONFIG: written", then each key that changed, old -> new. */
static void
say_config(const struct cgk *s, const struct cgg *r, const struct cg_want *want,
    char **old)
{
	const char *key, *v;
	size_t k, len;

	vz_info("%s: written", r->conf.shown);
	for (k = 0; k < want->n && k < CG_NSET; k++) {
		if ((key = lxc_key(s->fs.version, want->set[k].item)) == NULL ||
		    (v = lxc_conf_get(&r->conf, key, &len, NULL)) == NULL ||
		    (old[k] != NULL && strlen(old[k]) == len &&
		    memcmp(old[k], v, len) == 0))
			continue;
		vz_info("%s: %s: %s -> %.*s", r->conf.shown, key,
		    old[k] != NULL ? old[k] : "(none)", (int)len, v);
	}
}

/* The configs of the containers that differ: 0, or how many failed. */
static size_t
write_configs(const struct plan *p, struct cgk *s)
{
	size_t i, k, failed = 0;
	struct cg_want want;
	struct marker marker = { -1, NULL };
	char *old[CG_NSET];

	for (i = 0; i < s->ngps && marker.dfd == -1; i++)
		if (cgg_is_lxc(s->gps[i]->guest) && s->gps[i]->pdirty &&
		    marker_make(s, &marker) == -1) {
			for (i = 0; i < s->ngps; i++)
				if (cgg_is_lxc(s->gps[i]->guest) &&
				    s->gps[i]->pdirty) {
					s->gps[i]->failed = 1;
					failed++;
				}
			return failed;
		}
	for (i = 0; i < s->ngps; i++) {
		struct gplan *gp = s->gps[i];
		struct cgg *r = cgg_of(gp->guest);

		if (!cgg_is_lxc(gp->guest) || !gp->pdirty)
			continue;
		cgg_want_set(p, gp, &want);
		conf_olds(s, r, &want, old);
		lxc_conf_want(&r->conf, &s->fs, &want);
		if (lxc_conf_write(&r->conf) == -1) {
			gp->failed = 1;
			failed++;
		} else {
			s->nconfs++;
			r->conf_written = 1;
			if (verbosity > 0)
				say_config(s, r, &want, old);
		}
		for (k = 0; k < CG_NSET; k++)
			free(old[k]);
	}
	marker_done(&marker);
	return failed;
}

/*
 * A running guest whose cgroup lacks a file vzmem sets (not the swap
 * file, skipped without swap accounting): the memory controller is not
 * enabled for it, and nothing can be written.  1 after the message.
 */
static int
no_memory(const struct plan *p, const struct cgk *s, const struct gplan *gp)
{
	const struct cgg *r = cgg_of(gp->guest);
	struct cg_want want;
	size_t i;

	(void)s;
	cgg_want_set(p, gp, &want);
	for (i = 0; i < want.n; i++) {
		enum cg_item it = want.set[i].item;

		if (CG_HAS(&r->st, it) || (r->st.bad & 1u << it))
			continue;
		vz_err(gp->guest->id, 0, 0, "%s/%s: no such file: the memory "
		    "controller is not enabled for its cgroup (see the "
		    "parent's cgroup.subtree_control); not applied live",
		    r->dir, cg_item_file(it));
		return 1;
	}
	return 0;
}

/* -vv: the files that hold their value already (not written). */
static void
say_held(const struct guest *g, const struct cgg *r,
    const struct cg_want *want)
{
	size_t k;

	for (k = 0; k < want->n; k++) {
		enum cg_item it = want->set[k].item;

		if (CG_HAS(&r->st, it) && r->st.val[it] == want->set[k].bytes)
			vz_info("%s: %s/%s: %llu already", g->id, r->dir,
			    cg_item_file(it),
			    (unsigned long long)want->set[k].bytes);
	}
}

/* The live writes of the guests, ordered in their two phases. */
static void
plan_writes(const struct plan *p, struct cgk *s, struct gplan **gps,
    size_t n)
{
	struct cg_want want;
	uint32_t absent;
	size_t i, k, nw;

	s->gps = xreallocarray(NULL, n + 1, sizeof(*s->gps));
	memcpy(s->gps, gps, n * sizeof(*gps));
	s->ngps = n;
	s->writes = xreallocarray(NULL, n * CG_NSET + 1, sizeof(*s->writes));
	s->nwrites = 0;
	s->planned = 1;
	s->nconf_failed = write_configs(p, s);
	for (i = 0; i < n; i++) {
		struct gplan *gp = gps[i];
		struct cgg *r = cgg_of(gp->guest);

		if (!gp->ldirty || gp->failed)
			continue;
		if (cgg_refused(r)) {
			cgg_say_refused(p->w, gp->guest, "not applied live");
			gp->failed = 1;
			continue;
		}
		if (!r->st.exists)
			continue;
		if (no_memory(p, s, gp)) {
			gp->failed = 1;
			continue;
		}
		cgg_want_set(p, gp, &want);
		nw = cg_plan(&r->st, &want, i, gp->guest->id, r->dir,
		    s->writes + s->nwrites, &absent);
		/* Each write walks the path again from the mount. */
		for (k = s->nwrites; k < s->nwrites + nw; k++) {
			s->writes[k].mfd = s->fs.mfd;
			s->writes[k].path = r->path;
		}
		s->nwrites += nw;
		if (verbosity > 1)
			say_held(gp->guest, r, &want);
	}
	cg_order(s->writes, s->nwrites);
}

/* "vzmem: not applied: lxc:web cg:x" of the guests that failed. */
static void
not_applied(const struct cgk *s)
{
	struct buf b = { NULL, 0, 0 };
	size_t i;

	for (i = 0; i < s->ngps; i++)
		if (s->gps[i]->failed) {
			buf_addc(&b, ' ');
			buf_addstr(&b, s->gps[i]->guest->id);
			/* Its live cgroup is as it was; its config is not. */
			if (cgg_is_lxc(s->gps[i]->guest) &&
			    cgg_of(s->gps[i]->guest)->conf_written)
				vz_info("%s: its config %s holds the map's "
				    "values: LXC sets them when it next "
				    "starts; -a writes them live once the "
				    "kernel takes them",
				    s->gps[i]->guest->id,
				    cgg_of(s->gps[i]->guest)->conf.shown);
		}
	if (b.len > 0)
		vz_err(NULL, 0, 0, "not applied:%s", b.data);
	buf_free(&b);
}

int
cgk_lower(const struct plan *p, struct gplan **gps, size_t n,
    const struct opts *o)
{
	struct cgk *s = cgk_of(p->w, gps[0]->guest->kind);
	size_t failed;

	(void)o;
	plan_writes(p, s, gps, n);
	failed = cg_write_all(s->writes, s->nwrites, 0);
	return failed > 0 || s->nconf_failed > 0 ? VZ_FAIL : VZ_OK;
}

int
cgk_apply(const struct plan *p, struct gplan **gps, size_t n,
    const struct opts *o)
{
	struct cgk *s = cgk_of(p->w, gps[0]->guest->kind);
	struct buf back = { NULL, 0, 0 };
	size_t i, nwritten = 0, nfailed = 0, nback = 0;

	(void)o;
	if (!s->planned)
		plan_writes(p, s, gps, n);
	cg_write_all(s->writes, s->nwrites, 1);
	for (i = 0; i < s->nwrites; i++) {
		const struct cg_write *w = &s->writes[i];

		nwritten += w->done && !w->undone;
		nback += w->undone;
		if (w->err != 0) {
			s->gps[w->guest]->failed = 1;
			nfailed += w->err != ECANCELED;
		}
	}
	not_applied(s);
	if (nback > 0)
		buf_printf(&back, ", %zu put back", nback);
	if (s->kind->persisted_in != NULL)
		vz_info("%s: %zu config%s rewritten%s, %zu cgroup file%s "
		    "written, %zu refused%s", s->kind->name, s->nconfs,
		    s->nconfs == 1 ? "" : "s", s->nconf_failed > 0 ?
		    " (some could not be)" : "", nwritten,
		    nwritten == 1 ? "" : "s", nfailed,
		    back.len > 0 ? back.data : "");
	else
		vz_info("%s: %zu cgroup file%s written, %zu refused%s",
		    s->kind->name, nwritten, nwritten == 1 ? "" : "s",
		    nfailed, back.len > 0 ? back.data : "");
	buf_free(&back);
	for (i = 0; i < s->ngps; i++)
		if (s->gps[i]->failed)
			return VZ_FAIL;
	/* The renames durable: lxc_conf_write synced each directory. */
	return VZ_OK;
}

/* Temp files of a killed run beside the LXC configs: its marker. */
int
cgk_has_temps(const struct world *w)
{
	return tmp_exists(cgk_of(w, &lxc_kind)->lxcpath);
}

/* With a marker left, every container's directory; then the marker (not
 * counted: it is no file of the user's). */
size_t
cgk_sweep(const struct world *w)
{
	const struct cgk *s = cgk_of(w, &lxc_kind);
	size_t i, n = 0;

	if (!tmp_exists(s->lxcpath))
		return 0;
	for (i = 0; i < w->nguests; i++) {
		const struct guest *g = &w->guests[i];

		if (cgg_is_lxc(g))
			n += tmp_sweep(cgg_of(g)->ctdir);
	}
	tmp_sweep(s->lxcpath);
	return n;
}

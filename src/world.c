/*
 * world.c -- read everything a command decides on: the host, the map,
 * every container conf, the live beancounters; and check the map against
 * them.  Nothing here writes.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "world.h"

static int	 read_confs(struct world *);
static int	 read_map(struct world *, int);
static int	 ct_cmp_key(const void *, const void *);
static void	 link_rows(struct world *, size_t *);
static void	 warn_unmapped(const struct world *);
static void	 warn_swap(const struct world *);

/* What vzmem reads of a conf; -a reads one whole only to write it. */
static const char *const lean_names[] = {
	"VMGUARPAGES", "PRIVVMPAGES", "OOMGUARPAGES", "SHMPAGES",
	"PHYSPAGES", "SWAPPAGES", "HOSTNAME", "NAME", NULL
};

static int
read_confs(struct world *w)
{
	struct buf scratch = { NULL, 0, 0 }, shown = { NULL, 0, 0 };
	char **ids;
	size_t n, i;
	int r, dfd = -1;

	if ((r = host_ctids(&w->host, &w->ctids, &ids, &n)) != VZ_OK)
		return r;
	w->cts = xcalloc(n + 1, sizeof(*w->cts));
	/* Confs are read relative to the conf dir, whose path is then
	 * walked once, not 100,000 times. */
	if (n > 0 && (dfd = open(w->host.confdir, O_RDONLY | O_DIRECTORY |
	    O_CLOEXEC)) == -1) {
		vz_syserr(w->host.confdir, "cannot read conf dir");
		r = VZ_FAIL;
	}
	for (i = 0; i < n && r == VZ_OK; i++) {
		struct ct *ct = &w->cts[w->ncts];
		char *path;

		/* "101.conf": its name in the conf dir and in messages. */
		shown.len = 0;
		buf_addstr(&shown, ids[i]);
		buf_addstr(&shown, ".conf");
		if (conf_load_lean(&ct->conf, dfd, shown.data, shown.data,
		    lean_names, &scratch) == -1) {
			path = host_conf_path(&w->host, ids[i]);
			vz_syserr(path, "cannot read");
			free(path);
			r = VZ_FAIL;
		} else {
			ct->ctid = ids[i];
			w->ncts++;
		}
	}
	if (dfd != -1)
		close(dfd);
	buf_free(&shown);
	buf_free(&scratch);
	free(ids);
	return r;
}

static int
read_map(struct world *w, int flags)
{
	const struct host *h = &w->host;
	size_t errors;
	int need = flags & W_NEED_MAP;

	w->mapshown = world_map_shown(&w->host);
	if (file_read(w->host.map, &w->maptext) == -1) {
		if (errno == ENOENT && !need)
			return VZ_OK;
		if (errno == ENOENT)
			vz_err(w->mapshown, 0, 0, "no such file; "
			    "'vzmem -i' builds it from the confs");
		else
			vz_syserr(w->mapshown, "cannot read");
		return VZ_FAIL;
	}
	w->have_map = 1;
	errors = map_parse(&w->map, w->maptext.data, w->maptext.len,
	    w->mapshown);
	w->map_stale = 1;
	if ((flags & W_MAPSTALE) && errors == 0 && w->map.n >= 1 &&
	    w->map.n <= h->mem_kb / h->page_kb)
		w->map_stale = map_differs(&w->map, h->mem_kb / w->map.n,
		    h->page_kb, w->maptext.data, w->maptext.len);
	/* The map keeps its own strings: the bytes can go (8 MB at
	 * 100,000 rows) unless they are backed up. */
	if (!(flags & W_MAPTEXT))
		buf_free(&w->maptext);
	return errors > 0 ? VZ_INVALID : VZ_OK;
}

int
world_read(struct world *w, const struct opts *o, int flags)
{
	size_t i;
	int r, rr;

	memset(w, 0, sizeof(*w));
	if ((r = host_open(&w->host, o->root, o->map, o->confdir)) != VZ_OK)
		return r;
	if ((r = read_confs(w)) != VZ_OK)
		return r;
	/*
	 * The map before the beancounters: its bytes are dropped once it is
	 * parsed, so that they and the beancounters (8 and 15 MB at
	 * 100,000) are never in memory at once.
	 */
	if ((flags & (W_MAP | W_NEED_MAP)) &&
	    (r = read_map(w, flags)) == VZ_FAIL)
		return r;
	if (flags & W_UBC) {
		if ((rr = ubc_read(&w->host, w->ncts, &w->ubc)) != VZ_OK)
			return rr;
		for (i = 0; i < w->ncts; i++)
			w->cts[i].live = ubc_find(&w->ubc, w->cts[i].ctid);
	}
	return r;
}

static int
ct_cmp_key(const void *key, const void *elem)
{
	return ctid_cmp(key, ((const struct ct *)elem)->ctid);
}

struct ct *
world_ct(const struct world *w, const char *ctid)
{
	return bsearch(ctid, w->cts, w->ncts, sizeof(*w->cts), ct_cmp_key);
}

char *
ct_name(const struct ct *ct)
{
	char *s;

	if ((s = conf_string(&ct->conf, "HOSTNAME")) != NULL ||
	    (s = conf_string(&ct->conf, "NAME")) != NULL)
		return s;
	return xstrdup("-");
}

/* Each container row to its conf: a row without one is an error. */
static void
link_rows(struct world *w, size_t *errors)
{
	size_t i;

	for (i = 0; i < w->ncts; i++)
		w->cts[i].row = NULL;
	for (i = 0; i < w->map.nrows; i++) {
		struct map_row *r = &w->map.rows[i];
		struct ct *ct;
		char *name;

		if (r->ctid == NULL)
			continue;
		if ((ct = world_ct(w, r->ctid)) == NULL) {
			vz_err(w->mapshown, r->line, 1, "container %s has no "
			    "conf (%s/%s.conf)", r->ctid, w->host.confdir,
			    r->ctid);
			(*errors)++;
			continue;
		}
		if (ct->row != NULL)
			continue;	/* a duplicate, reported by map_check */
		ct->row = r;
		name = ct_name(ct);
		if (strcmp(name, r->name) != 0 && strcmp(r->name, "-") != 0)
			vz_warn(w->mapshown, r->line, 0, "container %s is "
			    "named '%s' in the map but '%s' in %s", r->ctid,
			    r->name, name, ct->conf.shown);
		free(name);
	}
}

static void
warn_unmapped(const struct world *w)
{
	size_t i;

	for (i = 0; i < w->ncts; i++)
		if (w->cts[i].row == NULL)
			vz_warn(w->cts[i].conf.shown, 0, 0, "container %s "
			    "has no row in %s; left untouched",
			    w->cts[i].ctid, w->mapshown);
}

static void
warn_swap(const struct world *w)
{
	uint64_t blk = w->host.mem_kb / w->map.n;
	uint64_t plus = map_plus_total(&w->map) * blk;

	if (plus > w->host.swap_kb)
		vz_warn(w->mapshown, 0, 0, "the '+' blocks (%lluK) exceed "
		    "the host's swap (%lluK) by %lluK: RAM+swap is oversold",
		    (unsigned long long)plus,
		    (unsigned long long)w->host.swap_kb,
		    (unsigned long long)(plus - w->host.swap_kb));
}

size_t
world_validate(struct world *w)
{
	uint64_t max_n = w->host.mem_kb / w->host.page_kb;
	size_t errors;

	errors = map_check(&w->map, max_n, w->mapshown);
	link_rows(w, &errors);
	warn_unmapped(w);
	if (w->map.n >= 1 && w->map.n <= max_n)
		warn_swap(w);
	return errors;
}

char *
world_map_shown(const struct host *h)
{
	char *dflt = xasprintf("%s/MEM-MAP", h->confdir);
	char *shown;

	shown = xstrdup(strcmp(dflt, h->map) == 0 ? "MEM-MAP" : h->map);
	free(dflt);
	return shown;
}

size_t
world_set_map(struct world *w, const char *text, size_t len)
{
	size_t i;

	if (w->mapshown == NULL)
		w->mapshown = world_map_shown(&w->host);
	/* The containers point into the old rows. */
	for (i = 0; i < w->ncts; i++)
		w->cts[i].row = NULL;
	map_free(&w->map);
	w->maptext.len = 0;
	buf_add(&w->maptext, text, len);
	w->have_map = 1;
	return map_parse(&w->map, w->maptext.data, w->maptext.len,
	    w->mapshown);
}

void
world_free(struct world *w)
{
	size_t i;

	/*
	 * The big blocks first (beancounters, CTIDs, the map): freeing a
	 * 64 kB block after the many small chunks of the confs made glibc
	 * sweep all of those (malloc_consolidate), some 50 ms at 100,000
	 * containers.  Nothing reads them again.
	 */
	ubc_free(&w->ubc);
	map_free(&w->map);
	buf_free(&w->maptext);
	strpool_free(&w->ctids);
	for (i = 0; i < w->ncts; i++)
		conf_free(&w->cts[i].conf);
	free(w->cts);
	free(w->mapshown);
	host_close(&w->host);
	memset(w, 0, sizeof(*w));
}

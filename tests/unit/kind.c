/*
 * Unit tests of the kind interface, and how to add a kind: "stub:", a
 * kind of two live-only guests, lives beside OpenVZ in this file's own
 * table (the Makefile links this test without src/kinds.o).  A real kind
 * is the same struct kind in a folder of its own and one line in
 * src/kinds.c.  Then the generic code runs through it: ids, the map,
 * world_read and world_validate, plan_build, the report tap, -a.
 */
#define _XOPEN_SOURCE	700	/* nftw */

#include <sys/stat.h>

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "openvz/openvz.h"
#include "plan.h"
#include "report.h"
#include "vzmem.h"
#include "world.h"
#include "unit.h"

static int
rm_one(const char *path, const struct stat *st, int flag, struct FTW *f)
{
	(void)st;
	(void)f;
	return flag == FTW_DP ? rmdir(path) : unlink(path);
}

/* ---- the stub kind ---- */

static const char *const stub_ids[] = { "stub:a", "stub:b" };

/* What the generic code asked of the stub: plan() and apply() calls
 * (the first CALLS of each; the ids copied, the worlds go). */
#define CALLS	8
struct call {
	char		 id[16];
	struct share	 share;
};
static struct call planned[CALLS], applied[CALLS];
static size_t nplanned, napplied;

static int	 stub_id_check(const char *, size_t, struct buf *);
static int	 stub_list(struct world *);
static char	*stub_name_of(const struct guest *);
static int	 stub_share(const struct world *, const struct guest *, int,
		    struct share *);
static size_t	 stub_plan(const struct plan *, struct gplan *);
static size_t	 stub_settings(const struct plan *, const struct gplan *,
		    struct setting **);
static const char *stub_variant_name(const struct plan *,
		    const struct gplan *);
static void	 stub_command(const struct plan *, const struct gplan *,
		    const struct setting *, size_t, struct buf *);
static int	 stub_apply(const struct plan *, struct gplan **, size_t,
		    const struct opts *);
static int	 stub_figures(const struct world *, const struct guest *,
		    struct figures *);
static void	 stub_rules(const struct world *, const struct guest *,
		    const struct gplan *);

static const struct kind stub_kind = {
	.name = "stub",
	.prefix = "stub:",
	.persisted_in = NULL,		/* live only, like cg: */
	.id_check = stub_id_check,
	.list = stub_list,
	.name_of = stub_name_of,
	.share = stub_share,
	.plan = stub_plan,
	.settings = stub_settings,
	.variant_name = stub_variant_name,
	.command = stub_command,
	.rules = stub_rules,
	.apply = stub_apply,
	.figures = stub_figures,
};

const struct kind *const vz_kinds[] = { &openvz_kind, &stub_kind, NULL };

static int
stub_id_check(const char *s, size_t len, struct buf *why)
{
	if (len == 0 || memchr(s, '/', len) != NULL) {
		buf_printf(why, "bad stub name '%.*s'", (int)len, s);
		return -1;
	}
	return 0;
}

static int
stub_list(struct world *w)
{
	size_t i;

	for (i = 0; i < 2; i++)
		world_add_guest(w, &stub_kind, stub_ids[i],
		    strlen(stub_ids[i]), NULL);
	return VZ_OK;
}

static char *
stub_name_of(const struct guest *g)
{
	return xstrdup(g->id + strlen("stub:"));
}

static int
stub_share(const struct world *w, const struct guest *g, int quiet,
    struct share *s)
{
	(void)w;
	(void)g;
	(void)quiet;
	s->g = s->x = 0;
	return 0;
}

/* One setting, never set yet: it differs live. */
static size_t
stub_plan(const struct plan *p, struct gplan *gp)
{
	(void)p;
	if (nplanned < CALLS) {
		snprintf(planned[nplanned].id, sizeof(planned[0].id), "%s",
		    gp->guest->id);
		planned[nplanned].share = gp->share;
	}
	nplanned++;
	gp->set = gp->ldirty = 1;
	return 0;
}

static size_t
stub_settings(const struct plan *p, const struct gplan *gp,
    struct setting **out)
{
	struct setting *s = xcalloc(1, sizeof(*s));

	(void)p;
	s->name = "stub.mem";
	s->want = xasprintf("%llu",
	    (unsigned long long)(gp->share.g + gp->share.x));
	s->live = xstrdup("0");
	s->live_differs = 1;
	*out = s;
	return 1;
}

static const char *
stub_variant_name(const struct plan *p, const struct gplan *gp)
{
	(void)p;
	(void)gp;
	return "stub";
}

static void
stub_command(const struct plan *p, const struct gplan *gp,
    const struct setting *s, size_t n, struct buf *b)
{
	(void)p;
	(void)n;
	buf_printf(b, "stub set %s %s=%s", gp->guest->id, s[0].name,
	    s[0].want);
}

static int
stub_apply(const struct plan *p, struct gplan **gps, size_t n,
    const struct opts *o)
{
	size_t i;

	(void)p;
	(void)o;
	for (i = 0; i < n; i++, napplied++)
		if (napplied < CALLS) {
			snprintf(applied[napplied].id, sizeof(applied[0].id),
			    "%s", gps[i]->guest->id);
			applied[napplied].share = gps[i]->share;
		}
	return VZ_OK;
}

static int
stub_figures(const struct world *w, const struct guest *g,
    struct figures *f)
{
	(void)w;
	(void)g;
	memset(f, 0, sizeof(*f));
	f->known = 1u << FIG_HELD;
	f->v[FIG_HELD] = 0;
	return 1;
}

static void
stub_rules(const struct world *w, const struct guest *g,
    const struct gplan *gp)
{
	struct where at = { w->mapshown, 0, 0, g->id, "stub.mem" };

	(void)gp;
	vz_report(&at, VZ_LWARN, "%s: a stub holds no memory", g->id);
}

/* ---- the generic code through it ---- */

static void
put(const char *dir, const char *rel, const char *text)
{
	char *p = xasprintf("%s/%s", dir, rel);
	FILE *f;

	if ((f = fopen(p, "w")) == NULL) {
		perror(p);
		exit(1);
	}
	fputs(text, f);
	fclose(f);
	free(p);
}

static void
test_ids(void)
{
	struct buf why = { NULL, 0, 0 };

	CHECK("kind_of: stub: is the stub", kind_of("stub:a", 6) ==
	    &stub_kind);
	CHECK("kind_of: a bare id is OpenVZ", kind_of("101", 3) ==
	    &openvz_kind);
	CHECK("id_check: stub:a", id_check("stub:a", 6, &why) == 0);
	CHECK("id_check: the stub's own reason",
	    id_check("stub:a/b", 8, &why) == -1 &&
	    strcmp(why.data, "bad stub name 'a/b'") == 0);
	CHECK("id_check: zz:a names the known prefixes",
	    kind_of("zz:a", 4) == NULL && id_check("zz:a", 4, &why) == -1 &&
	    strstr(why.data, "unknown guest kind 'zz:'") != NULL &&
	    strstr(why.data, "known are 'stub:'") != NULL);
	CHECK("id_cmp: stub ids after OpenVZ ones",
	    id_cmp("101", "stub:a") < 0 && id_cmp("web", "stub:a") < 0 &&
	    id_cmp("stub:a", "stub:b") < 0 && id_cmp("stub:b", "999") > 0);
	buf_free(&why);
}

/* On a host of 4,096,000 kB in 10 blocks; 101's conf as the map wants. */
static void
test_world(const char *d)
{
	struct opts o = { .root = d, .gap = 10, .vzctl = "false" };
	struct world w;
	struct plan p;
	struct report r;
	struct setting *s;
	struct buf b = { NULL, 0, 0 };
	unsigned long long pk, blk;
	size_t i, n, found = 0;
	char *conf;

	put(d, "proc/meminfo", "MemTotal: 4096000 kB\nSwapTotal: 0 kB\n");
	put(d, "etc/vz/conf/MEM-MAP", "10\n"
	    "stub:b b  ==\n101 web ====+\nstub:a a ===++\nFREE =\n");
	pk = (unsigned long long)sysconf(_SC_PAGESIZE) / 1024;
	blk = 409600 / pk;	/* a block (409600 kB) in pages */
	conf = xasprintf("HOSTNAME=\"web\"\nVMGUARPAGES=\"%llu:unlimited\"\n"
	    "PRIVVMPAGES=\"%llu:%llu\"\nOOMGUARPAGES=\"%llu:unlimited\"\n"
	    "SHMPAGES=\"%llu:%llu\"\n", 4 * blk, 5 * blk, 5 * blk * 110 / 100,
	    5 * blk, 4 * blk, 4 * blk);
	put(d, "etc/vz/conf/101.conf", conf);
	free(conf);

	CHECK("world_read: both kinds", world_read(&w, &o, W_NEED_MAP) ==
	    VZ_OK && w.nguests == 3 && w.map.nrows == 4);
	CHECK("map_parse: both kinds' rows",
	    strcmp(w.map.rows[0].ctid, "stub:b") == 0 &&
	    strcmp(w.map.rows[1].ctid, "101") == 0 &&
	    w.map.rows[3].ctid == NULL);
	CHECK("world_read: guests in map order",
	    strcmp(w.guests[0].id, "101") == 0 &&
	    strcmp(w.guests[1].id, "stub:a") == 0 &&
	    w.guests[1].kind == &stub_kind);
	CHECK("world_validate: rows linked", world_validate(&w) == 0 &&
	    w.guests[0].row == &w.map.rows[1] &&
	    w.guests[1].row == &w.map.rows[2] &&
	    w.guests[2].row == &w.map.rows[0]);

	CHECK("plan_build: no errors", plan_build(&w, &o, &p) == 0 &&
	    p.n == 3 && p.gps[0].pdirty == 0 && p.gps[1].ldirty == 1);
	CHECK("plan_build: the stub's plan with its shares", nplanned == 2 &&
	    strcmp(planned[0].id, "stub:a") == 0 &&
	    planned[0].share.g == 3 * blk && planned[0].share.x == 2 * blk &&
	    strcmp(planned[1].id, "stub:b") == 0 &&
	    planned[1].share.g == 2 * blk && planned[1].share.x == 0);
	n = p.gps[1].guest->kind->settings(&p, &p.gps[1], &s);
	p.gps[1].guest->kind->command(&p, &p.gps[1], s, n, &b);
	conf = xasprintf("stub set stub:a stub.mem=%llu", 5 * blk);
	CHECK("settings and command", n == 1 && strcmp(b.data, conf) == 0);
	free(conf);
	settings_free(s, n);
	buf_free(&b);

	/* -c's loop: every guest against its kind's rules, tapped. */
	report_start(&r);
	for (i = 0; i < w.nguests; i++)
		w.guests[i].kind->rules(&w, &w.guests[i], NULL);
	for (i = 0; i < r.n; i++)
		found += r.f[i].warning && r.f[i].guest != NULL &&
		    strcmp(r.f[i].guest, "stub:a") == 0 &&
		    r.f[i].param != NULL &&
		    strcmp(r.f[i].param, "stub.mem") == 0 &&
		    strstr(r.f[i].msg, "a stub holds no memory") != NULL;
	CHECK("vz_tap: the stub's finding with guest and param", found == 1);
	report_stop(&r);
	plan_free(&p);
	world_free(&w);

	/* -a: only the stub differs; OpenVZ runs no vzctl ("false"). */
	CHECK("-a: done", cmd_apply(&o) == VZ_OK);
	CHECK("-a: the stub's apply, its guests in map order", napplied == 2 &&
	    strcmp(applied[0].id, "stub:a") == 0 &&
	    applied[0].share.g == 3 * blk &&
	    strcmp(applied[1].id, "stub:b") == 0);
}

int
main(void)
{
	static const char *const dirs[] = {
		"proc", "etc", "etc/vz", "etc/vz/conf", NULL
	};
	char tmpl[] = "/tmp/vzmem-kind-XXXXXX";
	char *d, *p;
	size_t i;

	verbosity = -1;		/* the tap still sees every warning */
	test_ids();
	if ((d = mkdtemp(tmpl)) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	for (i = 0; dirs[i] != NULL; i++) {
		p = xasprintf("%s/%s", d, dirs[i]);
		if (mkdir(p, 0755) == -1) {
			perror(p);
			return 1;
		}
		free(p);
	}
	test_world(d);
	nftw(d, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	return unit_result();
}

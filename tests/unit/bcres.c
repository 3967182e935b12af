/*
 * Unit tests of openvz/bcres.c: /proc/bc/<CTID>/resources of the OpenVZ 7
 * kernel (its real layout, then garbage) and the /proc/bc listing, on a
 * fake tree under /tmp.  Warnings are caught with vz_tap().
 */
#include <sys/stat.h>

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "openvz/openvz.h"
#include "util.h"
#include "openvz/value.h"
#include "openvz/bcres.h"
#include "unit.h"

#define HAS(c, res)	(((c)->present & (1u << (res))) != 0)

/* What the warnings said, one "FILE:LINE: message" a line. */
struct caught {
	struct buf	 b;
	size_t		 n;
};

static void	 tap(void *, const struct finding *);
static void	 catch_begin(struct caught *);
static void	 catch_end(void);
static void	 put(const char *, const char *, const char *);
static void	 mkdirs(const char *, const char *);
static void	 rm_tree(const char *);
static void	 test_layout(void);
static void	 test_kernel(void);
static void	 test_fill(void);
static void	 test_garbage(void);
static void	 test_many_bad(void);
static void	 test_numbers(void);
static void	 test_read(void);
static void	 test_list(void);

/*
 * A running VSwap container on the vz7 kernel: res_fmt with an empty uid
 * (12 blanks), no dummy rows, swappages last.  RAM limit 262144 pages,
 * swap 131072; oomguarpages is the memcg oom_guarantee (MEMGUARANTEE 100).
 */
static const char RES[] =
"            kmemsize                 20836352             25034752  9223372036854775807  9223372036854775807                    0\n"
"            lockedpages                     0                    0  9223372036854775807  9223372036854775807                    0\n"
"            privvmpages                 61712                79433  9223372036854775807  9223372036854775807                    0\n"
"            shmpages                      647                  663  9223372036854775807  9223372036854775807                    0\n"
"            numproc                        31                   48                 4096                 4096                    0\n"
"            physpages                   39174                52115               262144               262144                    7\n"
"            vmguarpages                     0                    0                    0  9223372036854775807                    0\n"
"            oomguarpages                39174                52115               262144               262144                    0\n"
"            numtcpsock                      0                    0  9223372036854775807  9223372036854775807                    0\n"
"            numflock                        3                    6  9223372036854775807  9223372036854775807                    0\n"
"            numpty                          0                    2  9223372036854775807  9223372036854775807                    0\n"
"            numsiginfo                      0                    9  9223372036854775807  9223372036854775807                    0\n"
"            tcpsndbuf                       0                    0  9223372036854775807  9223372036854775807                    0\n"
"            tcprcvbuf                       0                    0  9223372036854775807  9223372036854775807                    0\n"
"            othersockbuf                    0                    0  9223372036854775807  9223372036854775807                    0\n"
"            dgramrcvbuf                     0                    0  9223372036854775807  9223372036854775807                    0\n"
"            numothersock                    0                    0  9223372036854775807  9223372036854775807                    0\n"
"            dcachesize                6594560              9969664  9223372036854775807  9223372036854775807                    0\n"
"            numfile                       512                  748  9223372036854775807  9223372036854775807                    0\n"
"            numiptent                      20                   20                 2000                 2000                    1\n"
"            swappages                      12                   40               131072               131072                    0\n";

static void
tap(void *arg, const struct finding *f)
{
	struct caught *c = arg;

	if (f->level != VZ_LWARN)
		buf_addstr(&c->b, "ERROR ");
	buf_printf(&c->b, "%s:%zu: %s\n", f->file != NULL ? f->file : "-",
	    f->line, f->msg);
	c->n++;
}

static void
catch_begin(struct caught *c)
{
	memset(c, 0, sizeof(*c));
	buf_addstr(&c->b, "");
	vz_tap(tap, c);
	verbosity = -1;		/* the tap still sees every warning */
}

static void
catch_end(void)
{
	vz_tap(NULL, NULL);
	verbosity = 0;
}

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
mkdirs(const char *dir, const char *rel)
{
	char *argv[] = { "mkdir", "-p", NULL, NULL };

	argv[2] = xasprintf("%s/%s", dir, rel);
	if (run_argv(argv) != 0)
		exit(1);
	free(argv[2]);
}

static void
rm_tree(const char *dir)
{
	char *argv[] = { "rm", "-rf", NULL, NULL };

	argv[2] = (char *)dir;
	run_argv(argv);
}

/* The lead may copy struct bc_val into struct ubc_val as it is. */
static void
test_layout(void)
{
	CHECK("layout: bc_val is ubc_val",
	    sizeof(struct bc_val) == sizeof(struct ubc_val) &&
	    offsetof(struct bc_val, held) == offsetof(struct ubc_val, held) &&
	    offsetof(struct bc_val, maxheld) ==
	    offsetof(struct ubc_val, maxheld) &&
	    offsetof(struct bc_val, barrier) ==
	    offsetof(struct ubc_val, barrier) &&
	    offsetof(struct bc_val, limit) == offsetof(struct ubc_val, limit));
	CHECK("layout: BC_UNLIMITED is VAL_UNLIMITED",
	    BC_UNLIMITED == VAL_UNLIMITED);
}

static void
test_kernel(void)
{
	struct caught c;
	struct bcres r;
	const struct bc_res *p, *s, *k;

	catch_begin(&c);
	bcres_parse(RES, sizeof(RES) - 1, "resources", &r);
	catch_end();
	CHECK("kernel: no warning", c.n == 0);
	buf_free(&c.b);
	CHECK("kernel: every row", r.n == 21);
	CHECK("kernel: file order", r.n == 21 &&
	    strcmp(r.res[0].name, "kmemsize") == 0 &&
	    strcmp(r.res[20].name, "swappages") == 0);
	p = bcres_find(&r, "physpages");
	CHECK("kernel: physpages", p != NULL && p->v.held == 39174 &&
	    p->v.maxheld == 52115 && p->v.barrier == 262144 &&
	    p->v.limit == 262144 && p->failcnt == 7);
	s = bcres_find(&r, "swappages");
	CHECK("kernel: swappages limit", s != NULL &&
	    s->v.barrier == 131072 && s->v.limit == 131072 &&
	    s->v.held == 12);
	k = bcres_find(&r, "kmemsize");
	CHECK("kernel: LONG_MAX is unlimited", k != NULL &&
	    k->v.barrier == BC_UNLIMITED && k->v.limit == BC_UNLIMITED &&
	    k->v.held == 20836352);
	CHECK("kernel: no dummy", bcres_find(&r, "dummy") == NULL);
	CHECK("kernel: absent name", bcres_find(&r, "phys") == NULL);
	bcres_free(&r);
	CHECK("kernel: freed", r.n == 0 && r.res == NULL);
}

static void
test_fill(void)
{
	struct ubc_ct ct;
	struct bcres r;

	bcres_parse(RES, sizeof(RES) - 1, "resources", &r);
	memset(&ct, 0xff, sizeof(ct));
	ct.ctid = "101";
	bcres_fill(&r, &ct);
	CHECK("fill: ctid kept", strcmp(ct.ctid, "101") == 0);
	CHECK("fill: all six present",
	    ct.present == (1u << UBC_NRES) - 1);
	CHECK("fill: physpages", ct.res[UBC_PHYSPAGES].limit == 262144 &&
	    ct.res[UBC_PHYSPAGES].held == 39174);
	CHECK("fill: swappages", ct.res[UBC_SWAPPAGES].limit == 131072);
	CHECK("fill: privvmpages unlimited",
	    ct.res[UBC_PRIVVMPAGES].limit == VAL_UNLIMITED &&
	    ct.res[UBC_PRIVVMPAGES].held == 61712);
	CHECK("fill: vmguarpages",
	    ct.res[UBC_VMGUARPAGES].barrier == 0 &&
	    ct.res[UBC_VMGUARPAGES].limit == VAL_UNLIMITED);
	CHECK("fill: oomguarpages", ct.res[UBC_OOMGUARPAGES].barrier ==
	    262144);
	CHECK("fill: failcnt over every row", ct.failcnt == 8);
	bcres_free(&r);

	/* A stopped container, or an empty file: nothing present. */
	bcres_parse("", 0, "resources", &r);
	memset(&ct, 0xff, sizeof(ct));
	bcres_fill(&r, &ct);
	CHECK("fill: empty", ct.present == 0 && ct.failcnt == 0 &&
	    ct.res[UBC_PHYSPAGES].limit == 0);
	bcres_free(&r);
}

static void
test_garbage(void)
{
	static const char text[] =
	    "\n"
	    "   \t  \r\n"
	    "            physpages  1 2 3 4 5\r\n"
	    "101:        kmemsize   1 2 3 4 5\n"
	    "            -dash      1 2 3 4 5\n"
	    "            shmpages   1 2 3 4\n"
	    "            numfile    1 2 x 4 5\n"
	    "            numproc    1 2 -3 4 5\n"
	    "            swappages  6 7 8 9 10 11 12\n"
	    "            lockedpages 1 2 3 4 5";	/* no final newline */
	struct caught c;
	struct bcres r;
	const struct bc_res *x;

	catch_begin(&c);
	bcres_parse(text, sizeof(text) - 1, "ROOT/proc/bc/101/resources", &r);
	catch_end();
	CHECK("garbage: kept what could be read", r.n == 3);
	x = bcres_find(&r, "physpages");
	CHECK("garbage: CR line", x != NULL && x->v.limit == 4 &&
	    x->failcnt == 5);
	x = bcres_find(&r, "swappages");
	CHECK("garbage: fields after failcnt ignored", x != NULL &&
	    x->v.held == 6 && x->failcnt == 10);
	CHECK("garbage: last line without newline",
	    bcres_find(&r, "lockedpages") != NULL);
	CHECK("garbage: five warnings", c.n == 5);
	CHECK("garbage: uid column named",
	    strstr(c.b.data, "ROOT/proc/bc/101/resources:4: a uid column "
	    "(user_beancounters?); line ignored\n") != NULL);
	CHECK("garbage: bad name",
	    strstr(c.b.data, "resources:5: bad resource name; line ignored")
	    != NULL);
	CHECK("garbage: too few",
	    strstr(c.b.data, "resources:6: too few numbers; line ignored")
	    != NULL);
	CHECK("garbage: bad number",
	    strstr(c.b.data, "resources:7: bad number; line ignored") != NULL &&
	    strstr(c.b.data, "resources:8: bad number; line ignored") != NULL);
	CHECK("garbage: warnings only", strstr(c.b.data, "ERROR") == NULL);
	buf_free(&c.b);
	bcres_free(&r);

	/* NUL bytes inside a line: that line is bad, the rest is read. */
	{
		static const char nul[] = "phys\0pages 1 2 3 4 5\n"
		    "physpages 1 2 3 4 5\n";

		catch_begin(&c);
		bcres_parse(nul, sizeof(nul) - 1, "f", &r);
		catch_end();
		CHECK("garbage: NUL", r.n == 1 && c.n == 1);
		buf_free(&c.b);
		bcres_free(&r);
	}
}

static void
test_many_bad(void)
{
	struct buf t = { NULL, 0, 0 };
	struct caught c;
	struct bcres r;
	int i;

	for (i = 0; i < 9; i++)
		buf_addstr(&t, "junk\n");
	buf_addstr(&t, "physpages 1 2 3 4 5\n");
	catch_begin(&c);
	bcres_parse(t.data, t.len, "f", &r);
	catch_end();
	CHECK("many bad: 5 + 1 warnings", c.n == 6);
	CHECK("many bad: the rest summed up",
	    strstr(c.b.data, "f:0: 4 further bad lines ignored") != NULL);
	CHECK("many bad: good line kept", r.n == 1);
	buf_free(&c.b);
	buf_free(&t);
	bcres_free(&r);
}

static void
test_numbers(void)
{
	static const char text[] =
	    "a 0 0 2147483647 2147483646 0\n"
	    "b 18446744073709551615 0 18446744073709551615 "
	    "9223372036854775808 18446744073709551615\n"
	    "c 18446744073709551616 0 0 0 0\n"
	    "d 00000000000000000000000001 0 9223372036854775806 0 0\n";
	struct caught c;
	struct bcres r;
	const struct bc_res *x;

	catch_begin(&c);
	bcres_parse(text, sizeof(text) - 1, "f", &r);
	catch_end();
	x = bcres_find(&r, "a");
	CHECK("numbers: 32-bit LONG_MAX is unlimited", x != NULL &&
	    x->v.barrier == BC_UNLIMITED && x->v.limit == 2147483646);
	x = bcres_find(&r, "b");
	CHECK("numbers: above LONG_MAX is unlimited, held kept", x != NULL &&
	    x->v.barrier == BC_UNLIMITED && x->v.limit == BC_UNLIMITED &&
	    x->v.held == UINT64_MAX && x->failcnt == UINT64_MAX);
	CHECK("numbers: over 2^64 is bad", bcres_find(&r, "c") == NULL &&
	    c.n == 1 && strstr(c.b.data, "f:3: bad number") != NULL);
	x = bcres_find(&r, "d");
	CHECK("numbers: leading zeros, LONG_MAX - 1 is a number",
	    x != NULL && x->v.held == 1 &&
	    x->v.barrier == 9223372036854775806ULL);
	buf_free(&c.b);
	bcres_free(&r);

	/* Listed twice: the later one is found. */
	bcres_parse("x 1 1 1 1 1\nx 2 2 2 2 2\n", 24, "f", &r);
	x = bcres_find(&r, "x");
	CHECK("numbers: later of two wins", r.n == 2 && x != NULL &&
	    x->v.held == 2);
	bcres_free(&r);
}

static void
test_read(void)
{
	char dir[] = "/tmp/vzmem-unit-bcres-XXXXXX";
	struct caught c;
	struct bcres r;
	char *bc, *e;

	if (mkdtemp(dir) == NULL) {
		perror("mkdtemp");
		exit(1);
	}
	bc = bc_dir(dir);
	CHECK("read: bc_dir", strcmp(bc + strlen(dir), "/proc/bc") == 0);
	mkdirs(dir, "proc/bc/101");
	put(dir, "proc/bc/101/resources", RES);
	CHECK("read: running", bcres_read(bc, "101", &r) == VZ_OK &&
	    r.n == 21);
	bcres_free(&r);

	catch_begin(&c);
	CHECK("read: stopped", bcres_read(bc, "102", &r) == VZ_OK &&
	    r.n == 0 && r.res == NULL);
	catch_end();
	CHECK("read: stopped says nothing", c.n == 0);
	buf_free(&c.b);

	/* A resources that is a directory cannot be read: an error. */
	mkdirs(dir, "proc/bc/103/resources");
	err_begin();
	CHECK("read: unreadable", bcres_read(bc, "103", &r) == VZ_FAIL &&
	    r.n == 0);
	e = err_end();
	CHECK("read: unreadable named", e != NULL &&
	    strstr(e, "/proc/bc/103/resources: error: cannot read: ") != NULL);
	free(e);

	/* Garbage is named by its path and line. */
	mkdirs(dir, "proc/bc/104");
	put(dir, "proc/bc/104/resources", "physpages 1 2 3 4 5\nbad\n");
	catch_begin(&c);
	CHECK("read: garbage kept", bcres_read(bc, "104", &r) == VZ_OK &&
	    r.n == 1);
	catch_end();
	CHECK("read: garbage named",
	    strstr(c.b.data, "/proc/bc/104/resources:2: too few numbers")
	    != NULL);
	buf_free(&c.b);
	bcres_free(&r);
	free(bc);
	rm_tree(dir);
}

static void
test_list(void)
{
	char dir[] = "/tmp/vzmem-unit-bclist-XXXXXX";
	struct strpool pool = { NULL };
	char **v, *bc, *p;
	size_t n;
	int have = -1;

	if (mkdtemp(dir) == NULL) {
		perror("mkdtemp");
		exit(1);
	}
	bc = bc_dir(dir);
	CHECK("list: no /proc/bc", bc_list(bc, &pool, &v, &n, &have) ==
	    VZ_OK && have == 0 && n == 0 && v == NULL);

	mkdirs(dir, "proc");
	put(dir, "proc/bc", "not a directory\n");
	have = -1;
	CHECK("list: /proc/bc a file", bc_list(bc, &pool, &v, &n, &have) ==
	    VZ_OK && have == 0 && n == 0);
	p = xasprintf("%s/proc/bc", dir);
	unlink(p);
	free(p);

	mkdirs(dir, "proc/bc/0");
	mkdirs(dir, "proc/bc/101");
	mkdirs(dir, "proc/bc/9");
	mkdirs(dir, "proc/bc/26bc47f6-353f-444b-bc35-b634a88dbbcc");
	mkdirs(dir, "proc/bc/.hidden");
	mkdirs(dir, "proc/bc/a b");
	put(dir, "proc/bc/resources", "");
	put(dir, "proc/bc/102", "a file named like a container\n");
	p = xasprintf("%s/proc/bc/103", dir);
	if (symlink("101", p) == -1) {
		perror(p);
		exit(1);
	}
	free(p);
	CHECK("list: listed", bc_list(bc, &pool, &v, &n, &have) == VZ_OK &&
	    have == 1);
	CHECK("list: containers only, sorted", n == 4 &&
	    strcmp(v[0], "9") == 0 && strcmp(v[1], "101") == 0 &&
	    strcmp(v[2], "103") == 0 &&
	    strcmp(v[3], "26bc47f6-353f-444b-bc35-b634a88dbbcc") == 0);
	free(v);

	mkdirs(dir, "proc/bc2");
	p = xasprintf("%s/proc/bc2", dir);
	CHECK("list: empty", bc_list(p, &pool, &v, &n, &have) == VZ_OK &&
	    have == 1 && n == 0 && v == NULL);
	free(p);
	strpool_free(&pool);
	free(bc);
	rm_tree(dir);
}

int
main(void)
{
	test_layout();
	test_kernel();
	test_fill();
	test_garbage();
	test_many_bad();
	test_numbers();
	test_read();
	test_list();
	return unit_result();
}

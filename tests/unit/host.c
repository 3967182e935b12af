/*
 * Unit tests of host.c: meminfo, CTIDs, paths under --root, the conf
 * list and the beancounters parser, on fake host trees under /tmp.
 */
#define _XOPEN_SOURCE	700	/* nftw */

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "host.h"
#include "openvz/openvz.h"
#include "util.h"
#include "world.h"
#include "unit.h"

/* meminfo_parse() of a string literal or array, messages swallowed. */
#define MI(s)	mi((s), sizeof(s) - 1, &m, &w)
/* A resource line was read for the container. */
#define HAS(c, res)	(((c)->present & (1u << (res))) != 0)

static size_t	 count(const char *, const char *);
static void	 put(const char *, const char *, const char *);
static int	 rm_one(const char *, const struct stat *, int,
		    struct FTW *);
static void	 rm_tree(const char *);
static int	 mi(const char *, size_t, uint64_t *, uint64_t *);
static void	 test_meminfo(void);
static void	 test_ctid(void);
static void	 test_open(void);
static void	 test_ctids(void);
static void	 test_ubc(void);
static void	 test_ubc_bad(void);
static void	 test_ubc_big(void);
static void	 test_ubc_shuffled(void);
static void	 test_ubc_long(void);
static void	 test_ubc_read(void);


static const char MEMINFO[] =
    "MemTotal:        2048000 kB\n"
    "MemFree:          100000 kB\n"
    "HugePages_Total:       0\n"
    "SwapTotal:       1024000 kB\n"
    "SwapFree:        1024000 kB\n";

static const char UBC[] =
    "Version: 2.5\n"
    "       uid  resource                     held              maxheld"
    "              barrier                limit              failcnt\n"
    "      101:  kmemsize                  2531142              2807216"
    "             14372700             14790164                    3\n"
    "            lockedpages                     0                    0"
    "                  256                  256                    0\n"
    "            privvmpages                 12345                23456"
    "                65536                69632                    2\n"
    "            shmpages                      670                  686"
    "                21504                21504                    0\n"
    "            dummy                           0                    0"
    "                    0                    0                    0\n"
    "            physpages                    5000                 6000"
    "                    0  9223372036854775807                    0\n"
    "            vmguarpages                     0                    0"
    "                33792           2147483647                    0\n"
    "            oomguarpages                 5000                 6000"
    "                26112  9223372036854775807                    0\n"
    "            swappages                       0                    0"
    "                    0                 1000                    0  7  8\n"
    "       vps7:  privvmpages                  1                    2"
    "                    3                    4                    0\n"
    "        0:  kmemsize                  9999999              9999999"
    "  9223372036854775807  9223372036854775807                    0\n"
    "            privvmpages                     1                    1"
    "                    1                    1                    0\n";

static size_t
count(const char *hay, const char *needle)
{
	size_t n = 0;

	for (; (hay = strstr(hay, needle)) != NULL; hay++)
		n++;
	return n;
}

/* Write text to dir/rel. */
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

static int
rm_one(const char *path, const struct stat *st, int flag, struct FTW *f)
{
	(void)st;
	(void)flag;
	(void)f;
	remove(path);
	return 0;
}

/* rm -rf dir: the fake host tree of a test. */
static void
rm_tree(const char *dir)
{
	nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static int
mi(const char *s, size_t len, uint64_t *m, uint64_t *w)
{
	int r;

	err_begin();
	r = meminfo_parse(s, len, "meminfo", m, w);
	free(err_end());
	return r;
}

static void
test_meminfo(void)
{
	static const char nul[] =
	    "Junk\0Line: \0\0\nMemTotal: 100 kB\n\0\0\0\nSwapTotal: 0 kB";
	uint64_t m = 1, w = 1;
	char *e;
	int r;

	CHECK("meminfo normal", MI(MEMINFO) == 0 && m == 2048000 &&
	    w == 1024000);

	err_begin();
	r = meminfo_parse("MemTotal: 5 kB\n", 15, "mi", &m, &w);
	e = err_end();
	CHECK("meminfo missing SwapTotal", r == -1 &&
	    strcmp(e, "vzmem: mi: error: no SwapTotal\n") == 0);
	free(e);

	err_begin();
	r = meminfo_parse("SwapTotal: 5 kB\n", 16, "mi", &m, &w);
	e = err_end();
	CHECK("meminfo missing MemTotal", r == -1 &&
	    strcmp(e, "vzmem: mi: error: no MemTotal\n") == 0);
	free(e);

	err_begin();
	r = meminfo_parse("a\nMemTotal: 12x kB\nSwapTotal: 1\n", 32, "mi",
	    &m, &w);
	e = err_end();
	CHECK("meminfo bad value names the line", r == -1 &&
	    strcmp(e, "vzmem: mi:2: error: bad MemTotal value\n") == 0);
	free(e);

	CHECK("meminfo garbage", MI("\x01\x02 zz:\n::::\n\xff") == -1);
	CHECK("meminfo empty", MI("") == -1);
	CHECK("meminfo overflow", MI("MemTotal: 99999999999999999999999 kB\n"
	    "SwapTotal: 0 kB\n") == -1);
	CHECK("meminfo beyond int64 bytes", MI("MemTotal: "
	    "9007199254740992 kB\nSwapTotal: 0 kB\n") == -1);
	CHECK("meminfo largest allowed", MI("MemTotal: 9007199254740991 kB\n"
	    "SwapTotal: 0 kB\n") == 0 && m == 9007199254740991ULL);
	CHECK("meminfo no final newline",
	    MI("SwapTotal: 7 kB\nMemTotal: 9 kB") == 0 && m == 9 && w == 7);
	CHECK("meminfo unit missing",
	    MI("MemTotal: 9\nSwapTotal:\t7  \n") == 0 && m == 9 && w == 7);
	CHECK("meminfo other unit", MI("MemTotal: 9 MB\nSwapTotal: 7\n") == -1);
	CHECK("meminfo trailing junk",
	    MI("MemTotal: 9 kB x\nSwapTotal: 7\n") == -1);
	CHECK("meminfo negative", MI("MemTotal: -9 kB\nSwapTotal: 7\n") == -1);
	CHECK("meminfo empty value", MI("MemTotal:\nSwapTotal: 7\n") == -1);
	CHECK("meminfo MemTotal 0", MI("MemTotal: 0 kB\nSwapTotal: 7\n") == -1);
	CHECK("meminfo swap 0 fine",
	    MI("MemTotal: 1 kB\nSwapTotal: 0\n") == 0 && m == 1 && w == 0);
	CHECK("meminfo prefix names ignored", MI("MemTotalX: 1 kB\n"
	    "MemTotal: 3\nSwapTotals: q\nSwapTotal: 4\n") == 0 &&
	    m == 3 && w == 4);
	CHECK("meminfo NUL bytes", MI(nul) == 0 && m == 100 && w == 0);
	CHECK("meminfo CRLF", MI("MemTotal: 8 kB\r\nSwapTotal: 2 kB\r\n") ==
	    0 && m == 8 && w == 2);
}

static void
test_ctid(void)
{
	char longid[300];

	memset(longid, '7', sizeof(longid));
	CHECK("ctid 101", ctid_valid("101", 3));
	CHECK("ctid name chars", ctid_valid("a.B-c_9", 7));
	CHECK("ctid uuid", ctid_valid("26bc47f6-353f-444b-bc35-b634a88dbbcc",
	    36));
	CHECK("ctid empty", !ctid_valid("", 0));
	CHECK("ctid leading dot", !ctid_valid(".101", 4));
	CHECK("ctid leading dash", !ctid_valid("-101", 4));
	CHECK("ctid slash", !ctid_valid("a/b", 3));
	CHECK("ctid dotdot", !ctid_valid("..", 2));
	CHECK("ctid blank", !ctid_valid("1 2", 3));
	CHECK("ctid NUL", !ctid_valid("1\0002", 3));
	CHECK("ctid high byte", !ctid_valid("\xc3\xa9", 2));
	CHECK("ctid 255 chars", ctid_valid(longid, 255));
	CHECK("ctid 256 chars", !ctid_valid(longid, 256));
	CHECK("ctid len is used", ctid_valid("101/x", 3));

	CHECK("cmp 9 < 10", ctid_cmp("9", "10") < 0 &&
	    ctid_cmp("10", "9") > 0);
	CHECK("cmp equal", ctid_cmp("101", "101") == 0 &&
	    ctid_cmp("abc", "abc") == 0);
	CHECK("cmp number < name", ctid_cmp("99999", "a") < 0 &&
	    ctid_cmp("a", "1") > 0);
	CHECK("cmp number < digit-led name", ctid_cmp("200", "1a") < 0);
	CHECK("cmp leading zeros by value", ctid_cmp("0010", "9") > 0 &&
	    ctid_cmp("007", "8") < 0);
	CHECK("cmp leading zeros tie stable", ctid_cmp("007", "7") != 0 &&
	    (ctid_cmp("007", "7") > 0) == (ctid_cmp("7", "007") < 0));
	CHECK("cmp 0 vs 00", ctid_cmp("0", "00") != 0 &&
	    ctid_cmp("00", "1") < 0);
	CHECK("cmp huge numbers", ctid_cmp("123456789012345678901234567890",
	    "123456789012345678901234567891") < 0 &&
	    ctid_cmp("99999999999999999999999", "18446744073709551616") > 0);
	CHECK("cmp names byte order", ctid_cmp("B", "a") < 0 &&
	    ctid_cmp("vps10", "vps9") < 0);
	CHECK("cmp uuids", ctid_cmp("26bc47f6-353f-444b-bc35-b634a88dbbcc",
	    "9f0e1a2b-0000-4000-8000-000000000000") < 0);
}

/* world_locate() on root d with --map and --conf-dir (NULL: none). */
static int
locate(struct world *w, struct opts *o, const char *d, const char *map,
    const char *confdir)
{
	memset(o, 0, sizeof(*o));
	o->root = d;
	o->map = map;
	o->confdir = confdir;
	return world_locate(w, o);
}

static void
test_open(void)
{
	char tmpl[] = "/tmp/vzmem-unit-XXXXXX";
	struct world w;
	struct opts o;
	struct host h;
	char *d, *p, *e;
	int r;

	if ((d = mkdtemp(tmpl)) == NULL) {
		perror("mkdtemp");
		exit(1);
	}
	p = xasprintf("%s/proc", d);
	must(mkdir(p, 0755), p);
	free(p);

	err_begin();
	r = host_open(&h, d);
	e = err_end();
	CHECK("open without meminfo fails", r == VZ_FAIL && h.root == NULL &&
	    strstr(e, "/proc/meminfo: error: cannot read: No such file") != NULL);
	free(e);
	host_close(&h);

	put(d, "proc/meminfo", "MemTotal: 100 kB\n");
	err_begin();
	r = host_open(&h, d);
	free(err_end());
	CHECK("open with bad meminfo fails", r == VZ_FAIL);

	put(d, "proc/meminfo", MEMINFO);
	r = locate(&w, &o, d, NULL, NULL);
	p = xasprintf("%s/etc/vzmem/MEM-MAP", d);
	CHECK("open with root, no OpenVZ: the map in /etc/vzmem",
	    r == VZ_OK && strcmp(w.host.root, d) == 0 &&
	    strcmp(w.host.map, p) == 0 && w.host.mem_kb == 2048000 &&
	    w.host.swap_kb == 1024000 && !ovz_of(&w)->have_dir);
	free(p);
	p = xasprintf("%s/run/vzmem/lock", d);
	CHECK("open one lock per host", strcmp(w.host.lock, p) == 0);
	free(p);
	p = xasprintf("%s/proc/user_beancounters", d);
	CHECK("open ubc path", strcmp(ovz_of(&w)->ubcpath, p) == 0);
	free(p);
	CHECK("open page size", w.host.page_bytes ==
	    (uint64_t)sysconf(_SC_PAGESIZE) && w.host.page_kb * 1024 ==
	    w.host.page_bytes);
	world_free(&w);

	p = xasprintf("%s/etc", d);
	must(mkdir(p, 0755), p);
	free(p);
	p = xasprintf("%s/etc/sysconfig", d);
	must(mkdir(p, 0755), p);
	free(p);
	p = xasprintf("%s/etc/sysconfig/vz-scripts", d);
	must(mkdir(p, 0755), p);
	free(p);
	e = xasprintf("%s///", d);
	r = locate(&w, &o, e, NULL, NULL);
	free(e);
	p = xasprintf("%s/etc/sysconfig/vz-scripts", d);
	CHECK("open falls back to vz-scripts, trailing slashes",
	    r == VZ_OK && strcmp(ovz_of(&w)->confdir, p) == 0 &&
	    strcmp(w.host.root, d) == 0);
	free(p);
	p = xasprintf("%s/etc/sysconfig/vz-scripts/MEM-MAP", d);
	CHECK("open map in vz-scripts", strcmp(w.host.map, p) == 0 &&
	    strcmp(w.mapshown, "MEM-MAP") == 0);
	free(p);
	world_free(&w);

	p = xasprintf("%s/etc/vz", d);
	must(mkdir(p, 0755), p);
	free(p);
	p = xasprintf("%s/etc/vz/conf", d);
	must(mkdir(p, 0755), p);
	r = locate(&w, &o, d, NULL, NULL);
	CHECK("open prefers etc/vz/conf", r == VZ_OK &&
	    strcmp(ovz_of(&w)->confdir, p) == 0);
	free(p);
	world_free(&w);

	r = locate(&w, &o, d, "/x/map", "/y/conf");
	e = xasprintf("%s/run/vzmem/lock", d);
	CHECK("open overrides not prefixed, the lock stays", r == VZ_OK &&
	    strcmp(w.host.map, "/x/map") == 0 &&
	    strcmp(w.host.lock, e) == 0 &&
	    strcmp(ovz_of(&w)->confdir, "/y/conf") == 0 &&
	    strcmp(w.mapshown, "/x/map") == 0);
	free(e);
	p = ovz_conf_path(ovz_of(&w), "101");
	CHECK("conf path", strcmp(p, "/y/conf/101.conf") == 0);
	free(p);
	world_free(&w);

	r = locate(&w, &o, d, NULL, "/y/conf");
	CHECK("open conf dir override moves the map", r == VZ_OK &&
	    strcmp(w.host.map, "/y/conf/MEM-MAP") == 0);
	world_free(&w);

	/* No root, "" and "/" all mean the real system paths. */
	if (access("/proc/meminfo", R_OK) == 0) {
		const char *roots[] = { NULL, "", "/", "//" };
		size_t i;

		for (i = 0; i < 4; i++) {
			r = locate(&w, &o, roots[i], NULL, NULL);
			CHECK("open without root", r == VZ_OK &&
			    strcmp(w.host.root, "") == 0 &&
			    strcmp(w.host.meminfo, "/proc/meminfo") == 0 &&
			    strcmp(ovz_of(&w)->ubcpath,
			    "/proc/user_beancounters") == 0 &&
			    w.host.map[0] == '/' && w.host.mem_kb > 0);
			world_free(&w);
		}
	}
	rm_tree(d);
}

static void
test_ctids(void)
{
	static const char *const names[] = {
		"101.conf", "9.conf", "abc.conf", "0.conf", "1000.conf",
		"ve-basic.conf-sample", "101.conf.bak", "101.conf~",
		".101.conf.vzmem-tmp-Ab12Cd", "-x.conf", ".conf", "conf",
		"a b.conf", "MEM-MAP", "MEM-MAP.lock", "26bc47f6-353f.conf"
	};
	char tmpl[] = "/tmp/vzmem-unit-XXXXXX";
	struct strpool pool = { NULL };
	char **v;
	size_t n, i;
	char *d, *p, *e;
	int r;

	if ((d = mkdtemp(tmpl)) == NULL) {
		perror("mkdtemp");
		exit(1);
	}
	r = ovz_ctids(d, &pool, &v, &n);
	CHECK("ctids empty dir", r == VZ_OK && n == 0);
	free(v);

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		put(d, names[i], "X=1\n");
	/*
	 * Not regular files: a directory, a fifo, a link to a directory.
	 * 103.conf links to a file of its own and counts.
	 */
	p = xasprintf("%s/102.conf", d);
	must(mkdir(p, 0755), p);
	free(p);
	put(d, "private-103", "X=1\n");
	p = xasprintf("%s/103.conf", d);
	must(symlink("private-103", p), p);
	free(p);
	p = xasprintf("%s/105.conf", d);
	must(mkfifo(p, 0600), p);
	free(p);
	p = xasprintf("%s/106.conf", d);
	must(symlink("102.conf", p), p);
	free(p);

	r = ovz_ctids(d, &pool, &v, &n);
	CHECK("ctids count", r == VZ_OK && n == 6);
	CHECK("ctids order", n == 6 && strcmp(v[0], "9") == 0 &&
	    strcmp(v[1], "101") == 0 && strcmp(v[2], "103") == 0 &&
	    strcmp(v[3], "1000") == 0 && strcmp(v[4], "26bc47f6-353f") == 0 &&
	    strcmp(v[5], "abc") == 0);
	free(v);

	/* A dangling link is an error naming it, never a dropped conf. */
	p = xasprintf("%s/104.conf", d);
	must(symlink("nowhere.conf", p), p);
	err_begin();
	r = ovz_ctids(d, &pool, &v, &n);
	e = err_end();
	CHECK("ctids dangling link", r == VZ_INVALID && strstr(e,
	    "vzmem: 104.conf: error: a symlink to nowhere.conf, which does not "
	    "exist") != NULL);
	free(e);
	free(v);
	must(unlink(p), p);
	free(p);

	/* Two CTIDs of one file, by symlink or hard link. */
	p = xasprintf("%s/107.conf", d);
	must(symlink("101.conf", p), p);
	free(p);
	p = xasprintf("%s/101.conf", d);
	e = xasprintf("%s/108.conf", d);
	must(link(p, e), e);
	free(e);
	free(p);
	err_begin();
	r = ovz_ctids(d, &pool, &v, &n);
	e = err_end();
	CHECK("ctids one file, two CTIDs", r == VZ_INVALID && strstr(e,
	    "vzmem: 107.conf: error: 101.conf and 107.conf are one file (107.conf "
	    "is a symlink to 101.conf): containers 101 and 107 cannot share "
	    "one conf") != NULL && strstr(e, "vzmem: 108.conf: error: 101.conf and "
	    "108.conf are one file (hard links)") != NULL);
	if (r != VZ_INVALID || strstr(e, "108.conf") == NULL)
		printf("# %s", e);
	free(e);
	free(v);

	p = xasprintf("%s/missing", d);
	err_begin();
	r = ovz_ctids(p, &pool, &v, &n);
	e = err_end();
	CHECK("ctids missing dir", r == VZ_FAIL && n == 0 && v == NULL &&
	    strstr(e, "error: cannot read conf dir: No such file") != NULL);
	free(e);
	free(p);
	strpool_free(&pool);
	rm_tree(d);
}

static void
test_ubc(void)
{
	static const char hostonly[] =
	    "Version: 2.5\n 0: kmemsize 1 2 3 4 5\n";
	const struct ubc_ct *c;
	const struct ubc_val *r;
	struct ubc u;
	char *e;

	err_begin();
	ubc_parse(UBC, strlen(UBC), "ubc", &u);
	e = err_end();
	CHECK("ubc realistic: no warnings", *e == '\0');
	free(e);
	CHECK("ubc two containers, no host", u.n == 2 &&
	    strcmp(u.cts[0].ctid, "101") == 0 &&
	    strcmp(u.cts[1].ctid, "vps7") == 0);
	c = ubc_find(&u, "101");
	CHECK("ubc find 101", c == &u.cts[0]);
	CHECK("ubc find host 0", ubc_find(&u, "0") == NULL);
	CHECK("ubc find absent", ubc_find(&u, "102") == NULL);
	if (c == NULL)
		return;
	r = &c->res[UBC_PRIVVMPAGES];
	CHECK("ubc privvmpages", HAS(c, UBC_PRIVVMPAGES) &&
	    r->held == 12345 && r->maxheld == 23456 && r->barrier == 65536 &&
	    r->limit == 69632);
	r = &c->res[UBC_PHYSPAGES];
	CHECK("ubc 64-bit unlimited", HAS(c, UBC_PHYSPAGES) &&
	    r->held == 5000 && r->barrier == 0 && r->limit == VAL_UNLIMITED);
	r = &c->res[UBC_VMGUARPAGES];
	CHECK("ubc 32-bit unlimited", HAS(c, UBC_VMGUARPAGES) &&
	    r->barrier == 33792 && r->limit == VAL_UNLIMITED);
	r = &c->res[UBC_SWAPPAGES];
	CHECK("ubc extra columns ignored", HAS(c, UBC_SWAPPAGES) &&
	    r->limit == 1000);
	CHECK("ubc shm and oomguar", HAS(c, UBC_SHMPAGES) &&
	    c->res[UBC_SHMPAGES].limit == 21504 &&
	    c->res[UBC_OOMGUARPAGES].barrier == 26112);
	CHECK("ubc failcnt summed over unknown", c->failcnt == 5);
	c = ubc_find(&u, "vps7");
	CHECK("ubc non-numeric ctid", c != NULL &&
	    c->res[UBC_PRIVVMPAGES].limit == 4 &&
	    !HAS(c, UBC_PHYSPAGES));
	ubc_free(&u);
	CHECK("ubc free", u.n == 0 && u.cts == NULL);

	err_begin();
	ubc_parse("", 0, "ubc", &u);
	e = err_end();
	CHECK("ubc empty text", u.n == 0 && *e == '\0');
	free(e);
	ubc_free(&u);

	err_begin();
	ubc_parse(hostonly, sizeof(hostonly) - 1, "ubc", &u);
	e = err_end();
	CHECK("ubc host only", u.n == 0 && *e == '\0');
	free(e);
	ubc_free(&u);
}

static void
test_ubc_bad(void)
{
	static const char garbage[] =
	    "\x7f" "ELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x03\0>\0\x01\0\0\0"
	    "\n\n\xff\xfe:\0: 1 2 3 4 5\nhello world\n";
	static const char trunc[] =
	    "Version: 2.5\n"
	    "  uid resource held maxheld barrier limit failcnt\n"
	    "  200: privvmpages 10 20 30 40 1\n"
	    "       shmpages 1 2 3 4 0\n"
	    "  10: privvmpages 10 20 3";
	static const char bad[] =
	    "Version: 2.5\n"
	    "       privvmpages 1 2 3 4 5\n"		/* 2: no container */
	    "  300: privvmpages 1 2 3 4\n"		/* 3: four numbers */
	    "       shmpages 1 2 x 4 5\n"		/* 4: not a number */
	    "       physpages 1 2 3 4 99999999999999999999\n"	/* 5: big */
	    "       swappages 5 6 7 8 9\n"
	    "  ../x: privvmpages 1 2 3 4 5\n"		/* 7: bad id */
	    "       privvmpages 1 2 3 4 5\n"		/* skipped */
	    "  \0\0\0\0 1 2\n"				/* 9 */
	    "  301: oomguarpages 1 2 3 4 5\n"
	    "  = = = = = =\n"				/* 11 */
	    "\n"
	    "  300: vmguarpages 7 7 7 7 0\n";		/* later wins */
	struct ubc u;
	char *e, *big;
	size_t i, n;

	err_begin();
	ubc_parse(trunc, sizeof(trunc) - 1, "ubc", &u);
	e = err_end();
	CHECK("ubc truncated: keeps what it read", u.n == 2 &&
	    strcmp(u.cts[0].ctid, "10") == 0 &&
	    strcmp(u.cts[1].ctid, "200") == 0 &&
	    HAS(&u.cts[1], UBC_SHMPAGES) &&
	    !HAS(&u.cts[0], UBC_PRIVVMPAGES));
	CHECK("ubc truncated: one warning", count(e, "warning") == 1 &&
	    strstr(e, "ubc:5: warning: too few numbers") != NULL);
	free(e);
	ubc_free(&u);

	err_begin();
	ubc_parse(bad, sizeof(bad) - 1, "ubc", &u);
	e = err_end();
	CHECK("ubc bad lines: kept the good", u.n == 2 &&
	    strcmp(u.cts[0].ctid, "300") == 0 &&
	    strcmp(u.cts[1].ctid, "301") == 0 &&
	    HAS(&u.cts[1], UBC_OOMGUARPAGES));
	CHECK("ubc duplicate: later wins", u.n == 2 &&
	    HAS(&u.cts[0], UBC_VMGUARPAGES) &&
	    !HAS(&u.cts[0], UBC_SWAPPAGES));
	CHECK("ubc bad lines: five named", count(e, "warning") == 6 &&
	    strstr(e, "ubc:2: warning: resource before any container") &&
	    strstr(e, "ubc:3: warning: too few numbers") &&
	    strstr(e, "ubc:4: warning: bad number") &&
	    strstr(e, "ubc:5: warning: bad number") &&
	    strstr(e, "ubc:7: warning: bad container id") &&
	    strstr(e, "ubc: warning: 2 further bad lines ignored"));
	free(e);
	ubc_free(&u);

	err_begin();
	ubc_parse(garbage, sizeof(garbage) - 1, "ubc", &u);
	e = err_end();
	CHECK("ubc binary garbage", u.n == 0 && count(e, "warning") == 1 &&
	    strstr(e, "not a beancounters file") != NULL);
	free(e);
	ubc_free(&u);

	/* A 1 MB line of junk, no newline at the end. */
	n = 1 << 20;
	big = xmalloc(n + 64);
	memcpy(big, "Version: 2.5\n 5: physpages 1 2 3 4 0\n", 38);
	for (i = 38; i < n; i++)
		big[i] = (char)(i * 7 + 1);
	err_begin();
	ubc_parse(big, n, "ubc", &u);
	e = err_end();
	CHECK("ubc megabyte of junk", u.n == 1 &&
	    HAS(&u.cts[0], UBC_PHYSPAGES));
	free(e);
	ubc_free(&u);
	memset(big, 'a', n);
	err_begin();
	ubc_parse(big, n, "ubc", &u);
	e = err_end();
	CHECK("ubc one long word", u.n == 0 && count(e, "warning") == 1);
	free(e);
	ubc_free(&u);
	free(big);
}

/* 100,000 containers in reverse order: one pass and one sort. */
static void
test_ubc_big(void)
{
	struct buf b = { NULL, 0, 0 };
	struct ubc u;
	clock_t t;
	size_t i, ok = 1;
	char id[32];

	buf_addstr(&b, "Version: 2.5\n");
	for (i = 100000; i > 0; i--) {
		buf_printf(&b, "%zu: kmemsize 1 2 3 4 1\n", i);
		buf_printf(&b, " privvmpages %zu 2 3 4 1\n", i);
		buf_printf(&b, " physpages 1 2 0 9223372036854775807 0\n");
	}
	t = clock();
	ubc_parse(b.data, b.len, "ubc", &u);
	for (i = 1; i <= 100000 && ok; i++) {
		const struct ubc_ct *c;

		snprintf(id, sizeof(id), "%zu", i);
		c = ubc_find(&u, id);
		ok = c != NULL && c->res[UBC_PRIVVMPAGES].held == i &&
		    c->failcnt == 2;
	}
	t = clock() - t;
	CHECK("ubc 100000 containers", u.n == 100000 && ok);
	/* A quadratic step would take minutes; valgrind is slow anyway. */
	if (getenv("UNIT_NO_TIMING") == NULL)
		CHECK("ubc 100000 containers fast", t < 5 * CLOCKS_PER_SEC);
	ubc_free(&u);
	buf_free(&b);
}

/*
 * Blocks in a scrambled order, some containers listed two or three times:
 * qsort is not stable, the block's rank breaks the ties, and of the
 * copies of one the last listed must win.
 */
static void
test_ubc_shuffled(void)
{
	struct buf b = { NULL, 0, 0 };
	size_t last[1000], i, id, ok = 1, dup = 0;
	struct ubc u;

	buf_addstr(&b, "Version: 2.5\n");
	for (i = 0; i < 1000; i++)
		last[i] = SIZE_MAX;
	for (i = 0; i < 1500; i++) {
		id = (i * 7919) % 1000;
		/* Listed again: an earlier block of the same id is dropped. */
		if (i % 3 == 2)
			id = (i * 31) % 1000;
		dup += last[id] != SIZE_MAX;
		last[id] = i;
		buf_printf(&b, "%zu: privvmpages %zu 2 3 4 1\n", id + 1, i);
		if (i % 2 == 0)
			buf_printf(&b, " physpages 1 2 0 5 0\n");
	}
	ubc_parse(b.data, b.len, "ubc", &u);
	CHECK("ubc shuffled: some listed twice", dup > 100);
	for (i = 0, id = 0; id < 1000 && ok; id++) {
		if (last[id] == SIZE_MAX)
			continue;
		ok = i < u.n && strtoul(u.cts[i].ctid, NULL, 10) == id + 1 &&
		    u.cts[i].res[UBC_PRIVVMPAGES].held == last[id] &&
		    HAS(&u.cts[i], UBC_PHYSPAGES) == (last[id] % 2 == 0) &&
		    u.cts[i].failcnt == 1;
		i++;
	}
	CHECK("ubc shuffled: sorted, the last block wins", ok && i == u.n);
	ubc_free(&u);
	buf_free(&b);
}

/* CTIDs of 255 bytes, the longest, fill the blocks of strings unevenly. */
static void
test_ubc_long(void)
{
	struct buf b = { NULL, 0, 0 };
	char id[256];
	size_t i, ok = 1;
	struct ubc u;

	memset(id, 'x', 251);
	buf_addstr(&b, "Version: 2.5\n");
	for (i = 0; i < 1000; i++) {
		snprintf(id + 251, 5, "%04zu", i);
		buf_printf(&b, "%s: privvmpages %zu 2 3 4 0\n", id, i);
	}
	ubc_parse(b.data, b.len, "ubc", &u);
	for (i = 0; i < 1000 && ok; i++) {
		const struct ubc_ct *c;

		snprintf(id + 251, 5, "%04zu", i);
		c = ubc_find(&u, id);
		ok = c != NULL && strlen(c->ctid) == 255 &&
		    c->res[UBC_PRIVVMPAGES].held == i;
	}
	CHECK("ubc 1000 CTIDs of 255 bytes", u.n == 1000 && ok);
	ubc_free(&u);
	buf_free(&b);
}

static void
test_ubc_read(void)
{
	char tmpl[] = "/tmp/vzmem-unit-XXXXXX";
	struct ubc u;
	char *d, *e, *path;
	int r;

	if ((d = mkdtemp(tmpl)) == NULL) {
		perror("mkdtemp");
		exit(1);
	}
	path = xasprintf("%s/user_beancounters", d);
	r = ubc_read(path, 4, &u);
	CHECK("ubc_read missing file", r == VZ_OK && u.n == 0);
	ubc_free(&u);

	put(d, "user_beancounters", UBC);
	r = ubc_read(path, 4, &u);
	CHECK("ubc_read file", r == VZ_OK && u.n == 2);
	ubc_free(&u);

	free(path);
	err_begin();
	r = ubc_read(d, 4, &u);			/* a directory: EISDIR */
	e = err_end();
	CHECK("ubc_read unreadable", r == VZ_FAIL && u.n == 0 &&
	    strstr(e, "error: cannot read") != NULL);
	free(e);
	rm_tree(d);
}

int
main(void)
{
	test_meminfo();
	test_ctid();
	test_open();
	test_ctids();
	test_ubc();
	test_ubc_bad();
	test_ubc_big();
	test_ubc_shuffled();
	test_ubc_long();
	test_ubc_read();
	return unit_result();
}

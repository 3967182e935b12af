/*
 * lxc.c -- unit tests of src/cgroup/lxc.c: container names and the list,
 * the config read as LXC reads it and written back byte for byte (CRLF,
 * no final newline, blanks around '=', duplicate keys), the keys a share
 * sets, where a container's cgroup is, and -i's read-back, on the
 * fixture hosts tests/hosts/cg-* and on trees under /tmp.
 */
#include <sys/stat.h>

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cgroup/cgfs.h"
#include "cgroup/lxc.h"
#include "util.h"
#include "unit.h"

#define PG	4096ULL
#define MB	(1024ULL * 1024)
#define HOSTS	"tests/hosts"

/* Parse a string literal as a config named "t/config". */
#define PARSE(c, s)	lxc_conf_parse((c), (s), sizeof(s) - 1, "t/config")

static void	 put(const char *, const char *, const char *);
static char	*slurp(const char *);
static void	 rm_tree(const char *);
static const struct cgfs *fake_fs(enum cg_version, int);
static int	 owned(const char *, size_t, const char *);
static void	 test_foreign(void);
static int	 name_ok(const char *);
static int	 get_is(const struct lxc_conf *, const char *, const char *);
static int	 render_is(const struct lxc_conf *, const char *);
static int	 identity(const char *, size_t);
static int	 found_at(const struct cgfs *, const char *, const char *,
		    const char *);
static int	 share_is(const char *, const char *, uint64_t, uint64_t);
static void	 test_names(void);
static void	 test_list(void);
static void	 test_syntax(void);
static void	 test_identity(void);
static void	 test_set(void);
static void	 test_append(void);
static void	 test_want(void);
static void	 test_knobs(void);
static void	 test_roundtrip(void);
static void	 test_load(void);
static void	 test_write(void);
static void	 test_find(void);
static void	 test_find_tmp(void);
static void	 test_share(void);


static void
put(const char *dir, const char *rel, const char *text)
{
	char *p = xasprintf("%s/%s", dir, rel), *s;
	FILE *f;

	for (s = p + strlen(dir) + 1; (s = strchr(s, '/')) != NULL; s++) {
		*s = '\0';
		if (mkdir(p, 0755) == -1 && errno != EEXIST)
			must(-1, p);
		*s = '/';
	}
	if ((f = fopen(p, "w")) == NULL)
		must(-1, p);
	fputs(text, f);
	fclose(f);
	free(p);
}

static char *
slurp(const char *path)
{
	struct buf b = { NULL, 0, 0 };

	if (file_read(path, &b) == -1)
		buf_free(&b);
	return b.data;
}

static void
rm_tree(const char *dir)
{
	char *argv[] = { "rm", "-rf", NULL, NULL };

	argv[2] = (char *)dir;
	run_argv(argv);
}

/* A host of version v with or without swap accounting, 4 kB pages. */
static const struct cgfs *
fake_fs(enum cg_version v, int swap)
{
	static struct cgfs fs;

	memset(&fs, 0, sizeof(fs));
	fs.version = v;
	fs.swap = swap;
	fs.page_bytes = PG;
	return &fs;
}

static int
name_ok(const char *s)
{
	return lxc_name_valid(s, strlen(s));
}

/* key's value is exactly want (NULL: not assigned). */
static int
get_is(const struct lxc_conf *c, const char *key, const char *want)
{
	const char *v;
	size_t len;

	v = lxc_conf_get(c, key, &len, NULL);
	if (v == NULL || want == NULL)
		return v == NULL && want == NULL;
	if (len != strlen(want) || memcmp(v, want, len) != 0) {
		printf("# %s: got '%.*s', want '%s'\n", key, (int)len, v,
		    want);
		return 0;
	}
	return 1;
}

static int
render_is(const struct lxc_conf *c, const char *want)
{
	struct buf b = { NULL, 0, 0 };
	int ok;

	lxc_conf_render(c, &b);
	ok = b.len == strlen(want) && memcmp(b.data, want, b.len) == 0;
	if (!ok)
		printf("# rendered '%s'\n", b.data);
	buf_free(&b);
	return ok;
}

static int
identity(const char *text, size_t len)
{
	struct buf b = { NULL, 0, 0 };
	struct lxc_conf c;
	int ok;

	lxc_conf_parse(&c, text, len, "t/config");
	lxc_conf_render(&c, &b);
	ok = b.len == len && memcmp(b.data, text, len) == 0 && !c.dirty;
	buf_free(&b);
	lxc_conf_free(&c);
	return ok;
}

/* Container name of host (a cg-* fixture) is at path (NULL: stopped). */
static int
found_at(const struct cgfs *fs, const char *host, const char *name,
    const char *path)
{
	struct lxc_conf c;
	char *cfg, *got = NULL;
	int r, ok;

	cfg = xasprintf("%s/%s/var/lib/lxc/%s/config", HOSTS, host, name);
	must(lxc_conf_load(&c, cfg, NULL), cfg);
	r = lxc_cgroup_find(fs, &c, name, &got);
	ok = path == NULL ? r == 0 && got == NULL :
	    r == 1 && got != NULL && strcmp(got, path) == 0;
	if (!ok)
		printf("# %s: found '%s'\n", name, got ? got : "(none)");
	free(got);
	free(cfg);
	lxc_conf_free(&c);
	return ok;
}

/* -i of container name on host: G and X pages. */
static int
share_is(const char *host, const char *name, uint64_t g, uint64_t x)
{
	struct lxc_conf c;
	struct cgfs fs;
	uint64_t gg, xx;
	char *root, *cfg;

	root = xasprintf("%s/%s", HOSTS, host);
	cfg = xasprintf("%s/var/lib/lxc/%s/config", root, name);
	cgfs_open(&fs, root, PG);
	must(lxc_conf_load(&c, cfg, NULL), cfg);
	lxc_share(&fs, &c, name, CG_GUAR_LOW, &gg, &xx);
	if (gg != g || xx != x)
		printf("# %s %s: G %llu X %llu\n", host, name,
		    (unsigned long long)gg, (unsigned long long)xx);
	lxc_conf_free(&c);
	cgfs_close(&fs);
	free(cfg);
	free(root);
	return gg == g && xx == x;
}

static void
test_names(void)
{
	char big[300];

	CHECK("name: usual", name_ok("web") && name_ok("db-1.example_2") &&
	    name_ok("101") && name_ok("a"));
	CHECK("name: leading . or -", !name_ok(".web") && !name_ok("-web"));
	CHECK("name: what LXC allows more", !name_ok("bad@name") &&
	    !name_ok("a b") && !name_ok("a/b") && !name_ok("a:b") &&
	    !name_ok("caf\xc3\xa9"));
	CHECK("name: empty", !name_ok(""));
	memset(big, 'a', sizeof(big));
	CHECK("name: 255 and 256 bytes", lxc_name_valid(big, 255) &&
	    !lxc_name_valid(big, 256));
}

static void
test_list(void)
{
	char tmpl[] = "/tmp/vzmem-lxc-XXXXXX", *dir, *p, *err, **names;
	struct strpool pool = { NULL };
	size_t n, nbad;

	CHECK("list: cg-v2", lxc_list(HOSTS "/cg-v2/var/lib/lxc", &pool,
	    &names, &n, &nbad) == VZ_OK && n == 6 && nbad == 0 &&
	    strcmp(names[0], "app") == 0 && strcmp(names[1], "ctr") == 0 &&
	    strcmp(names[2], "db") == 0 && strcmp(names[3], "old") == 0 &&
	    strcmp(names[4], "rel") == 0 && strcmp(names[5], "web") == 0);
	free(names);
	err_begin();
	CHECK("list: cg-badname", lxc_list(HOSTS "/cg-badname/var/lib/lxc",
	    &pool, &names, &n, &nbad) == VZ_OK && n == 1 &&
	    strcmp(names[0], "ok") == 0 && nbad == 2);
	err = err_end();
	/* Warnings, for -i too (issue 20): one name must not cost every
	 * other container its row. */
	CHECK("list: bad names are warnings saying how to map them",
	    strstr(err, "vzmem: " HOSTS "/cg-badname/var/lib/lxc: "
	    "warning: container \"bad@name\": not a name vzmem can use") !=
	    NULL && strstr(err, "rename it (stopped: 'lxc-copy -R -n OLD "
	    "-N NEW')") != NULL &&
	    strstr(err, "container \"-dash\"") != NULL &&
	    strstr(err, "error") == NULL && strstr(err, "hidden") == NULL &&
	    strstr(err, "dirconf") == NULL && strstr(err, "noconf") == NULL &&
	    strstr(err, "README") == NULL);
	free(err);
	free(names);
	CHECK("list: no lxcpath, no containers", lxc_list(HOSTS
	    "/cg-v2/var/lib/none", &pool, &names, &n, &nbad) == VZ_OK &&
	    n == 0 && nbad == 0 && names == NULL);

	dir = mkdtemp(tmpl);
	must(dir == NULL ? -1 : 0, "mkdtemp");
	put(dir, "b/config", "");
	put(dir, "a/config.real", "");
	p = xasprintf("%s/a/config", dir);
	must(symlink("config.real", p), p);
	free(p);
	put(dir, "ctl\x01x/config", "");
	put(dir, "gone/x", "");
	p = xasprintf("%s/gone/config", dir);
	must(symlink("/nonexistent/config", p), p);
	free(p);
	err_begin();
	CHECK("list: a symlinked config counts, sorted",
	    lxc_list(dir, &pool, &names, &n, &nbad) == VZ_OK && n == 2 &&
	    strcmp(names[0], "a") == 0 && strcmp(names[1], "b") == 0 &&
	    nbad == 2);
	err = err_end();
	CHECK("list: a name shown escaped, a dangling config said",
	    strstr(err, "container \"ctl\\x01x\"") != NULL &&
	    strstr(err, "container \"gone\": its config is a dangling "
	    "symlink") != NULL);
	free(err);
	free(names);
	p = xasprintf("%s/b", dir);
	must(chmod(dir, 0), dir);
	if (access(p, F_OK) == -1) {	/* not root: the dir is unreadable */
		err_begin();
		CHECK("list: unreadable", lxc_list(dir, &pool, &names,
		    &n, &nbad) == VZ_FAIL);
		free(err_end());
	}
	must(chmod(dir, 0755), dir);
	free(p);
	rm_tree(dir);
	strpool_free(&pool);
}

static void
test_syntax(void)
{
	static const char t[] =
	    "# lxc.cgroup2.memory.max = 1M\n"
	    "   # lxc.a = 9\n"
	    "lxc.a=1\n"
	    "lxc.b   =   two words  \t\n"
	    "\tlxc.c\t=\t3\n"
	    "lxc.d = \"quoted\"\n"
	    "lxc.e = 'single'\n"
	    "lxc.f = \"unmatched'\n"
	    "lxc.g = \"\n"
	    "lxc.h =\n"
	    "lxc.noequals\n"
	    "foo.x = 1\n"
	    "lxc.a = 11\n"
	    "lxc.cr = 5\r\n"
	    " \t\f\r\n"
	    "lxc.include = /usr/share/lxc/config/common.conf\n"
	    "lxc.include = /etc/lxc/more.conf\n"
	    "lxc.a = last";
	struct lxc_conf c;
	size_t len, line;

	PARSE(&c, t);
	CHECK("syntax: # comments", get_is(&c, "lxc.cgroup2.memory.max",
	    NULL) && get_is(&c, "# lxc.a", NULL));
	CHECK("syntax: the last assignment wins", get_is(&c, "lxc.a",
	    "last") && lxc_conf_get(&c, "lxc.a", &len, &line) != NULL &&
	    line == 18);
	CHECK("syntax: blanks around = and the value trimmed",
	    get_is(&c, "lxc.b", "two words") && get_is(&c, "lxc.c", "3"));
	CHECK("syntax: matching quotes", get_is(&c, "lxc.d", "quoted") &&
	    get_is(&c, "lxc.e", "single") && c.lines[5].quote == '"' &&
	    c.lines[6].quote == '\'');
	CHECK("syntax: unmatched quotes stay",
	    get_is(&c, "lxc.f", "\"unmatched'") && get_is(&c, "lxc.g",
	    "\""));
	CHECK("syntax: empty value", get_is(&c, "lxc.h", ""));
	CHECK("syntax: no '=', not lxc.", get_is(&c, "lxc.noequals", NULL) &&
	    get_is(&c, "foo.x", NULL) && c.lines[10].key_len == 0);
	CHECK("syntax: a CR is no part of the value", get_is(&c, "lxc.cr",
	    "5"));
	CHECK("syntax: the first include noted", c.include_line == 16 &&
	    get_is(&c, "lxc.include", "/etc/lxc/more.conf"));
	CHECK("syntax: lines counted", c.nlines == 18 && !c.dirty &&
	    strcmp(c.eol, "\n") == 0);
	lxc_conf_free(&c);
}

static void
test_identity(void)
{
	static const char *const texts[] = {
		"",
		"\n",
		"lxc.a = 1",
		"lxc.a = 1\n",
		"lxc.a = 1\r\nlxc.b=2\r\n",
		"lxc.a = 1\r\nlxc.b=2",
		"\r\n\r\n# c\r\n",
		"  lxc.x\t=\t'q'  \n\n\nnot a line\n\xff\xfe\x01\n",
		"lxc.a = 1\n\n"
	};
	size_t i, ok = 0;

	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
		ok += identity(texts[i], strlen(texts[i]));
	CHECK("identity: unchanged configs render as they were",
	    ok == sizeof(texts) / sizeof(texts[0]));
	CHECK("identity: a NUL byte", identity("lxc.a = 1\0x\n", 12));
}

static void
test_set(void)
{
	struct lxc_conf c;

	PARSE(&c, "lxc.cgroup2.memory.max   =   256M  \t# not a comment\n"
	    "lxc.cgroup2.memory.max = 1G\n");
	lxc_conf_set(&c, "lxc.cgroup2.memory.max", "1G", NULL);
	CHECK("set: the same text changes nothing", !c.dirty);
	lxc_conf_set(&c, "lxc.cgroup2.memory.max", "536870912", NULL);
	CHECK("set: duplicate keys: the last one changed", c.dirty &&
	    render_is(&c, "lxc.cgroup2.memory.max   =   256M  \t"
	    "# not a comment\nlxc.cgroup2.memory.max = 536870912\n"));
	lxc_conf_set(&c, "lxc.cgroup2.memory.max", "1G", NULL);
	CHECK("set: back to the text: clean again", !c.dirty);
	lxc_conf_free(&c);

	PARSE(&c, "lxc.a\t =  \"1\"  \r\nlxc.b='x'\r\nlxc.c = 3");
	lxc_conf_set(&c, "lxc.a", "22", NULL);
	lxc_conf_set(&c, "lxc.b", "yy", NULL);
	lxc_conf_set(&c, "lxc.c", "333", NULL);
	CHECK("set: blanks, quotes, CRLF and no final newline kept",
	    render_is(&c, "lxc.a\t =  \"22\"  \r\nlxc.b='yy'\r\n"
	    "lxc.c = 333") && get_is(&c, "lxc.a", "22"));
	lxc_conf_free(&c);

	PARSE(&c, "lxc.a =\nlxc.b = \t\n");
	lxc_conf_set(&c, "lxc.a", "1", NULL);
	lxc_conf_set(&c, "lxc.b", "2", NULL);
	CHECK("set: an empty value filled in", render_is(&c,
	    "lxc.a =1\nlxc.b = \t2\n"));
	lxc_conf_free(&c);
}

static void
test_append(void)
{
	struct lxc_conf c;
	size_t len, line;

	PARSE(&c, "lxc.uts.name = web\n");
	lxc_conf_set(&c, "lxc.cgroup2.memory.max", "4096", NULL);
	lxc_conf_set(&c, "lxc.cgroup2.memory.low", "0", NULL);
	lxc_conf_set(&c, "lxc.cgroup2.memory.max", "8192", NULL);
	CHECK("append: missing keys, in order, set twice", render_is(&c,
	    "lxc.uts.name = web\nlxc.cgroup2.memory.max = 8192\n"
	    "lxc.cgroup2.memory.low = 0\n") &&
	    get_is(&c, "lxc.cgroup2.memory.max", "8192") &&
	    lxc_conf_get(&c, "lxc.cgroup2.memory.low", &len, &line) !=
	    NULL && line == 3);
	lxc_conf_free(&c);

	PARSE(&c, "lxc.uts.name = web");
	lxc_conf_set(&c, "lxc.x", "1", NULL);
	CHECK("append: after a last line without newline",
	    render_is(&c, "lxc.uts.name = web\nlxc.x = 1\n"));
	lxc_conf_free(&c);

	PARSE(&c, "# windows\r\nlxc.uts.name = web");
	lxc_conf_set(&c, "lxc.x", "1", NULL);
	CHECK("append: the file's own line end", render_is(&c,
	    "# windows\r\nlxc.uts.name = web\r\nlxc.x = 1\r\n"));
	lxc_conf_free(&c);

	PARSE(&c, "");
	lxc_conf_set(&c, "lxc.x", "1", NULL);
	CHECK("append: to an empty file", render_is(&c, "lxc.x = 1\n"));
	lxc_conf_free(&c);

	PARSE(&c, "lxc.a = 1\nlxc.cgroup.memory.memsw.limit_in_bytes = 1G\n"
	    "lxc.z = 2\n");
	lxc_conf_set(&c, "lxc.cgroup.memory.limit_in_bytes", "4096",
	    "lxc.cgroup.memory.memsw.limit_in_bytes");
	lxc_conf_set(&c, "lxc.y", "3", "lxc.nothing");
	CHECK("append: before a given key, else at the end", render_is(&c,
	    "lxc.a = 1\nlxc.cgroup.memory.limit_in_bytes = 4096\n"
	    "lxc.cgroup.memory.memsw.limit_in_bytes = 1G\nlxc.z = 2\n"
	    "lxc.y = 3\n"));
	lxc_conf_free(&c);
}

static void
test_want(void)
{
	struct cg_want w;
	struct lxc_conf c;
	const char *why;

	PARSE(&c, "lxc.uts.name = web\n"
	    "lxc.cgroup2.memory.low = 256M\n"
	    "lxc.cgroup2.memory.max = 0x20000000\n");
	cg_want(CG_V2, CG_GUAR_LOW, PG, 65536, 65536, &w, &why);
	lxc_conf_want(&c, fake_fs(CG_V2, 1), &w);
	CHECK("want v2: values that mean it keep their spelling; swap "
	    "appended", render_is(&c, "lxc.uts.name = web\n"
	    "lxc.cgroup2.memory.low = 256M\n"
	    "lxc.cgroup2.memory.max = 0x20000000\n"
	    "lxc.cgroup2.memory.swap.max = 268435456\n"));
	cg_want(CG_V2, CG_GUAR_MIN, PG, 1, 2, &w, &why);
	lxc_conf_want(&c, fake_fs(CG_V2, 1), &w);
	CHECK("want v2 min: plain bytes", render_is(&c,
	    "lxc.uts.name = web\n"
	    "lxc.cgroup2.memory.low = 256M\n"
	    "lxc.cgroup2.memory.max = 12288\n"
	    "lxc.cgroup2.memory.swap.max = 8192\n"
	    "lxc.cgroup2.memory.min = 4096\n"));
	lxc_conf_free(&c);

	PARSE(&c, "lxc.cgroup.memory.limit_in_bytes = 512M\n"
	    "lxc.cgroup.memory.soft_limit_in_bytes = -1\n"
	    "lxc.rootfs.path = dir:/x\n");
	cg_want(CG_V1, CG_GUAR_LOW, PG, 65536, 65536, &w, &why);
	lxc_conf_want(&c, fake_fs(CG_V1, 1), &w);
	CHECK("want v1: memsw appended after the limit", render_is(&c,
	    "lxc.cgroup.memory.limit_in_bytes = 512M\n"
	    "lxc.cgroup.memory.soft_limit_in_bytes = 268435456\n"
	    "lxc.rootfs.path = dir:/x\n"
	    "lxc.cgroup.memory.memsw.limit_in_bytes = 536870912\n"));
	lxc_conf_free(&c);

	PARSE(&c, "lxc.cgroup.memory.memsw.limit_in_bytes = 1G\n"
	    "lxc.net.0.type = empty\n");
	lxc_conf_want(&c, fake_fs(CG_V1, 1), &w);
	CHECK("want v1: a missing limit goes before memsw", render_is(&c,
	    "lxc.cgroup.memory.limit_in_bytes = 536870912\n"
	    "lxc.cgroup.memory.memsw.limit_in_bytes = 536870912\n"
	    "lxc.net.0.type = empty\n"
	    "lxc.cgroup.memory.soft_limit_in_bytes = 268435456\n"));
	lxc_conf_free(&c);

	PARSE(&c, "lxc.cgroup.memory.memsw.limit_in_bytes = 1G\n");
	cg_want(CG_V1, CG_GUAR_LOW, PG, 1, 1, &w, &why);
	CHECK("want v1 without swap accounting: memsw left alone",
	    lxc_conf_want(&c, fake_fs(CG_V1, 0), &w) == 1u << CG_MEMSW &&
	    render_is(&c, "lxc.cgroup.memory.limit_in_bytes = 8192\n"
	    "lxc.cgroup.memory.memsw.limit_in_bytes = 1G\n"
	    "lxc.cgroup.memory.soft_limit_in_bytes = 4096\n"));
	lxc_conf_free(&c);
	PARSE(&c, "");
	cg_want(CG_V2, CG_GUAR_LOW, PG, 1, 1, &w, &why);
	CHECK("want v2 without swap accounting: no swap.max",
	    lxc_conf_want(&c, fake_fs(CG_V2, 0), &w) == 1u << CG_SWAP_MAX &&
	    render_is(&c, "lxc.cgroup2.memory.low = 4096\n"
	    "lxc.cgroup2.memory.max = 8192\n"));
	lxc_conf_free(&c);
	PARSE(&c, "lxc.a = 1\n");
	CHECK("want: no cgroup, no keys", lxc_conf_want(&c,
	    fake_fs(CG_NONE, 1), &w) == 0 && !c.dirty);
	lxc_conf_free(&c);

	PARSE(&c, "lxc.cgroup2.memory.max = garbage\n");
	cg_want(CG_V2, CG_GUAR_LOW, PG, 1, 0, &w, &why);
	lxc_conf_want(&c, fake_fs(CG_V2, 1), &w);
	CHECK("want: garbage is written over", get_is(&c,
	    "lxc.cgroup2.memory.max", "4096"));
	lxc_conf_free(&c);
}

static void
test_knobs(void)
{
	struct cg_knobs k;
	struct lxc_conf c;
	char *err;
	size_t bad;

	PARSE(&c, "lxc.cgroup2.memory.low = 256M\n"
	    "lxc.cgroup2.memory.max = max\n"
	    "lxc.cgroup.memory.soft_limit_in_bytes = 1G\n"
	    "lxc.cgroup.memory.limit_in_bytes = -1\n");
	CHECK("knobs v2", lxc_conf_knobs(&c, CG_V2, CG_GUAR_LOW, PG, &k) ==
	    0 && k.have == (CGK_GUAR | CGK_LIMIT) && k.guar == 256 * MB &&
	    k.limit == CG_UNLIMITED);
	CHECK("knobs v1 keys on a v1 host", lxc_conf_knobs(&c, CG_V1,
	    CG_GUAR_LOW, PG, &k) == 0 && k.guar == 1024 * MB &&
	    k.limit == CG_UNLIMITED);
	CHECK("knobs: no cgroup", lxc_conf_knobs(&c, CG_NONE, CG_GUAR_LOW,
	    PG, &k) == 0 && k.have == 0);
	lxc_conf_free(&c);

	PARSE(&c, "lxc.cgroup2.memory.low = 0\n"
	    "lxc.cgroup2.memory.min = 64m\n"
	    "lxc.cgroup2.memory.max = 2G\n"
	    "lxc.cgroup2.memory.max =\n");
	CHECK("knobs: low 0 falls to min; an empty value unsets",
	    lxc_conf_knobs(&c, CG_V2, CG_GUAR_LOW, PG, &k) == 0 &&
	    k.have == CGK_GUAR && k.guar == 64 * MB);
	lxc_conf_free(&c);

	PARSE(&c, "lxc.cgroup2.memory.low = 12 MB\n"
	    "lxc.cgroup2.memory.max = -1\n"
	    "lxc.cgroup2.memory.min = 1M\n");
	err_begin();
	bad = lxc_conf_knobs(&c, CG_V2, CG_GUAR_LOW, PG, &k);
	err = err_end();
	CHECK("knobs: values that do not parse are not set", bad == 2 &&
	    k.have == CGK_GUAR && k.guar == 1 * MB);
	CHECK("knobs: the warning names file, line and key",
	    strstr(err, "vzmem: t/config:1: warning: lxc.cgroup2.memory.low: "
	    "invalid value \"12 MB\": bad suffix") != NULL &&
	    strstr(err, "t/config:2: warning: lxc.cgroup2.memory.max: "
	    "invalid value \"-1\"") != NULL);
	free(err);
	lxc_conf_free(&c);
}

/* A config vzmem wrote reads back to the same G and X. */
static void
test_roundtrip(void)
{
	static const struct {
		enum cg_version	 v;
		enum cg_guar	 m;
		uint64_t	 g, x;
		const char	*text;
	} cases[] = {
		{ CG_V2, CG_GUAR_LOW, 65536, 65536, "" },
		{ CG_V2, CG_GUAR_MIN, 1, 0, "lxc.cgroup2.memory.low = 1G\n" },
		{ CG_V2, CG_GUAR_LOW, 12345, 999, "lxc.cgroup2.memory.max = "
		    "'max'\r\nlxc.cgroup2.memory.low = \"4k\"" },
		{ CG_V1, CG_GUAR_LOW, 262144, 1, "lxc.cgroup.memory."
		    "soft_limit_in_bytes = -1\n" },
		{ CG_V1, CG_GUAR_LOW, 3, 7, "lxc.cgroup.memory.memsw."
		    "limit_in_bytes = 5G\nlxc.cgroup.memory.limit_in_bytes "
		    "= 2G\n" }
	};
	struct buf b = { NULL, 0, 0 };
	struct cg_knobs k;
	struct cg_want w;
	struct lxc_conf c, again;
	const char *why;
	uint64_t g, x;
	size_t i, ok = 0;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		lxc_conf_parse(&c, cases[i].text, strlen(cases[i].text),
		    "t/config");
		cg_want(cases[i].v, cases[i].m, PG, cases[i].g, cases[i].x,
		    &w, &why);
		lxc_conf_want(&c, fake_fs(cases[i].v, 1), &w);
		b.len = 0;
		lxc_conf_render(&c, &b);
		lxc_conf_parse(&again, b.data, b.len, "t/config");
		lxc_conf_knobs(&again, cases[i].v, cases[i].m, PG, &k);
		cg_share(&k, NULL, 0, PG, &g, &x);
		if (g == cases[i].g && x == cases[i].x)
			ok++;
		else
			printf("# case %zu: G %llu X %llu\n", i,
			    (unsigned long long)g, (unsigned long long)x);
		/* Written once, the same share changes nothing more. */
		lxc_conf_want(&again, fake_fs(cases[i].v, 1), &w);
		if (again.dirty)
			printf("# case %zu: not converged\n", i);
		else
			ok++;
		lxc_conf_free(&c);
		lxc_conf_free(&again);
	}
	buf_free(&b);
	CHECK("roundtrip: a written config reads back, converged",
	    ok == 2 * sizeof(cases) / sizeof(cases[0]));
}

static void
test_load(void)
{
	struct lxc_conf c;
	char *err;

	err_begin();
	CHECK("load: cg-v2 app (CRLF)", lxc_conf_load(&c, HOSTS
	    "/cg-v2/var/lib/lxc/app/config", "app/config") == 0 &&
	    strcmp(c.eol, "\r\n") == 0 && strcmp(c.shown, "app/config") == 0);
	err = err_end();
	CHECK("load: include warned once, at its line",
	    strcmp(err, "vzmem: app/config:3: warning: lxc.include: "
	    "included files are not read\n") == 0);
	free(err);
	CHECK("load: last wins, blanks, tabs", get_is(&c,
	    "lxc.cgroup2.memory.max", "384M") && get_is(&c,
	    "lxc.cgroup2.memory.low", "128M") && get_is(&c,
	    "lxc.cgroup.dir", "lxc-apps") && get_is(&c, "lxc.uts.name",
	    "app"));
	lxc_conf_free(&c);
	errno = 0;
	CHECK("load: a missing file", lxc_conf_load(&c, HOSTS
	    "/cg-v2/var/lib/lxc/none/config", NULL) == -1 &&
	    errno == ENOENT);
	err_begin();
	CHECK("load: no include, no warning", lxc_conf_load(&c, HOSTS
	    "/cg-v2/var/lib/lxc/old/config", NULL) == 0 &&
	    c.include_line == 0 && strcmp(c.shown, HOSTS
	    "/cg-v2/var/lib/lxc/old/config") == 0);
	err = err_end();
	CHECK("load: quiet", err[0] == '\0');
	free(err);
	lxc_conf_free(&c);
}

static void
test_write(void)
{
	char tmpl[] = "/tmp/vzmem-lxc-XXXXXX", *dir, *cfg, *real, *t, *err;
	struct lxc_conf c;
	struct cg_want w;
	struct stat st;
	const char *why;

	dir = mkdtemp(tmpl);
	must(dir == NULL ? -1 : 0, "mkdtemp");
	put(dir, "config", "# kept\r\nlxc.uts.name = web\r\n"
	    "lxc.cgroup2.memory.max = 1G\r\n");
	cfg = xasprintf("%s/config", dir);
	must(chmod(cfg, 0600), cfg);
	must(lxc_conf_load(&c, cfg, "config"), cfg);
	CHECK("write: clean: nothing to do", lxc_conf_write(&c) == 0);
	cg_want(CG_V2, CG_GUAR_LOW, PG, 65536, 0, &w, &why);
	lxc_conf_want(&c, fake_fs(CG_V2, 1), &w);
	CHECK("write: written", c.dirty && lxc_conf_write(&c) == 0);
	t = slurp(cfg);
	CHECK("write: bytes kept, CRLF appended",
	    t != NULL && strcmp(t, "# kept\r\nlxc.uts.name = web\r\n"
	    "lxc.cgroup2.memory.max = 268435456\r\n"
	    "lxc.cgroup2.memory.low = 268435456\r\n"
	    "lxc.cgroup2.memory.swap.max = 0\r\n") == 0);
	free(t);
	CHECK("write: the mode kept", lstat(cfg, &st) == 0 &&
	    S_ISREG(st.st_mode) && (st.st_mode & 07777) == 0600);
	CHECK("write: no temp file left", !tmp_exists(dir));

	/* A config that changed since it was read is not written. */
	put(dir, "config", "lxc.uts.name = web\n");
	err_begin();
	CHECK("write: changed meanwhile: refused", lxc_conf_write(&c) == -1);
	err = err_end();
	CHECK("write: changed meanwhile: said", strstr(err,
	    "config: error: changed while vzmem ran") != NULL);
	free(err);
	lxc_conf_free(&c);

	/* A link is never written through: its target stays. */
	put(dir, "rootfs/ve.config", "lxc.uts.name = web\n");
	real = xasprintf("%s/rootfs/ve.config", dir);
	must(unlink(cfg), cfg);
	must(symlink("rootfs/ve.config", cfg), cfg);
	must(lxc_conf_load(&c, cfg, "config"), cfg);
	lxc_conf_want(&c, fake_fs(CG_V2, 1), &w);
	err_begin();
	CHECK("write: a symlink: refused", lxc_conf_write(&c) == -1);
	err = err_end();
	CHECK("write: a symlink: said", strcmp(err, "vzmem: config: error: "
	    "cannot write: a symbolic link, which vzmem does not follow\n")
	    == 0);
	free(err);
	t = slurp(real);
	CHECK("write: a symlink: its target unchanged, the link kept",
	    t != NULL && strcmp(t, "lxc.uts.name = web\n") == 0 &&
	    lstat(cfg, &st) == 0 && S_ISLNK(st.st_mode));
	free(t);

	/* A FIFO or a directory swapped in after the read: refused at
	 * once (O_NONBLOCK: no hang), nothing written anywhere. */
	must(unlink(cfg), cfg);
	must(mkfifo(cfg, 0644), cfg);
	err_begin();
	CHECK("write: a FIFO: refused", lxc_conf_write(&c) == -1);
	err = err_end();
	CHECK("write: a FIFO: said", strcmp(err, "vzmem: config: error: "
	    "cannot write: a FIFO, not a regular file: not written\n") == 0);
	free(err);
	CHECK("write: a FIFO: still one", lstat(cfg, &st) == 0 &&
	    S_ISFIFO(st.st_mode) && !tmp_exists(dir));
	must(unlink(cfg), cfg);
	must(mkdir(cfg, 0755), cfg);
	err_begin();
	CHECK("write: a directory: refused", lxc_conf_write(&c) == -1);
	err = err_end();
	CHECK("write: a directory: said", strcmp(err, "vzmem: config: error: "
	    "cannot write: a directory, not a regular file: not written\n")
	    == 0);
	free(err);
	CHECK("write: a directory: still one", lstat(cfg, &st) == 0 &&
	    S_ISDIR(st.st_mode) && !tmp_exists(dir));
	lxc_conf_free(&c);
	lxc_conf_parse(&c, "", 0, NULL);
	lxc_conf_set(&c, "lxc.a", "1", NULL);
	errno = 0;
	CHECK("write: a parsed config has no file",
	    lxc_conf_write(&c) == -1 && errno == EINVAL);
	lxc_conf_free(&c);
	free(cfg);
	free(real);
	rm_tree(dir);
}

static void
test_find(void)
{
	struct cgfs fs;
	char *err;

	cgfs_open(&fs, HOSTS "/cg-v2", PG);
	err_begin();
	CHECK("find: lxc.payload.NAME", found_at(&fs, "cg-v2", "web",
	    "lxc.payload.web"));
	CHECK("find: stopped", found_at(&fs, "cg-v2", "db", NULL));
	CHECK("find: lxc.cgroup.dir/lxc.payload.NAME", found_at(&fs,
	    "cg-v2", "app", "lxc-apps/lxc.payload.app"));
	CHECK("find: relative, three levels down", found_at(&fs, "cg-v2",
	    "rel", "user.slice/user-0.slice/session-3.scope/"
	    "lxc.payload.rel"));
	CHECK("find: LXC 3's lxc/NAME", found_at(&fs, "cg-v2", "old",
	    "lxc/old"));
	CHECK("find: lxc.cgroup.dir.container", found_at(&fs, "cg-v2",
	    "ctr", "machine.slice/ctr"));
	err = err_end();
	CHECK("find: nothing to say but the includes",
	    strstr(err, "relative") == NULL && strstr(err, "cgroup path") ==
	    NULL);
	free(err);
	cgfs_close(&fs);
	cgfs_open(&fs, HOSTS "/cg-v1", PG);
	err_begin();
	CHECK("find: v1", found_at(&fs, "cg-v1", "web", "lxc.payload.web") &&
	    found_at(&fs, "cg-v1", "nosw", "lxc.payload.nosw") &&
	    found_at(&fs, "cg-v1", "db", NULL));
	free(err_end());
	cgfs_close(&fs);
}

static void
test_find_tmp(void)
{
	char tmpl[] = "/tmp/vzmem-lxc-XXXXXX", *dir, *err, *got;
	struct lxc_conf c;
	struct cgfs fs;

	dir = mkdtemp(tmpl);
	must(dir == NULL ? -1 : 0, "mkdtemp");
	put(dir, "sys/fs/cgroup/cgroup.controllers", "memory\n");
	put(dir, "sys/fs/cgroup/a.scope/lxc.payload.twice/memory.max", "");
	put(dir, "sys/fs/cgroup/b/c/lxc.payload.twice/memory.max", "");
	put(dir, "sys/fs/cgroup/u/v/w/x/lxc.payload.deep/memory.max", "");
	put(dir, "sys/fs/cgroup/lxc.payload.moved/memory.max", "");
	put(dir, "sys/fs/cgroup/s/lxc.payload.down/memory.max", "");
	cgfs_open(&fs, dir, PG);

	PARSE(&c, "lxc.cgroup.relative = 1\n");
	err_begin();
	CHECK("find tmp: relative, found twice: stopped",
	    lxc_cgroup_find(&fs, &c, "twice", &got) == 0 && got == NULL);
	err = err_end();
	CHECK("find tmp: ... with a warning", strstr(err, "t/config: "
	    "warning: lxc.cgroup.relative: 2 cgroups named "
	    "lxc.payload.twice; the container is taken as stopped (its "
	    "config is still written)") != NULL);
	free(err);
	CHECK("find tmp: relative, four levels down is too deep",
	    lxc_cgroup_find(&fs, &c, "deep", &got) == 0);
	CHECK("find tmp: relative, one level down",
	    lxc_cgroup_find(&fs, &c, "down", &got) == 1 &&
	    strcmp(got, "s/lxc.payload.down") == 0);
	free(got);
	lxc_conf_free(&c);

	PARSE(&c, "lxc.cgroup.relative = 0\n");
	CHECK("find tmp: not relative: the root only",
	    lxc_cgroup_find(&fs, &c, "down", &got) == 0);
	lxc_conf_free(&c);
	PARSE(&c, "lxc.cgroup.relative = 1\nlxc.cgroup.relative =\n");
	CHECK("find tmp: relative unset again",
	    lxc_cgroup_find(&fs, &c, "down", &got) == 0);
	lxc_conf_free(&c);

	PARSE(&c, "lxc.cgroup.dir = elsewhere\n");
	CHECK("find tmp: started before lxc.cgroup.dir was set",
	    lxc_cgroup_find(&fs, &c, "moved", &got) == 1 &&
	    strcmp(got, "lxc.payload.moved") == 0);
	free(got);
	lxc_conf_free(&c);

	PARSE(&c, "lxc.cgroup.dir = ../up\nlxc.cgroup.dir.container = "
	    "/abs\n");
	err_begin();
	CHECK("find tmp: a bad dir is skipped",
	    lxc_cgroup_find(&fs, &c, "moved", &got) == 1 &&
	    strcmp(got, "lxc.payload.moved") == 0);
	err = err_end();
	CHECK("find tmp: ... with a warning", strstr(err, "t/config: "
	    "warning: lxc.cgroup.dir.container: \"/abs\" is no cgroup path "
	    "vzmem uses; not looked for") != NULL);
	free(err);
	free(got);
	lxc_conf_free(&c);
	cgfs_close(&fs);

	memset(&fs, 0, sizeof(fs));
	PARSE(&c, "");
	CHECK("find tmp: no cgroup on the host",
	    lxc_cgroup_find(&fs, &c, "moved", &got) == 0);
	lxc_conf_free(&c);
	rm_tree(dir);
}

/* dir (a config line) is container name's: 1, or 0 (refused). */
static int
owned(const char *conf, size_t len, const char *name)
{
	struct lxc_conf c;
	const char *key, *why;
	size_t line;
	char *v;
	int r;

	lxc_conf_parse(&c, conf, len, "t/config");
	r = !lxc_cgroup_foreign(&c, name, &key, &v, &line, &why);
	if (!r)
		free(v);
	lxc_conf_free(&c);
	return r;
}

#define OWNED(s, name)	owned((s), sizeof(s) - 1, (name))

static void
test_foreign(void)
{
	struct lxc_conf c;
	const char *key, *why;
	char *v, *claims[4];
	size_t line, n, i;

	CHECK("foreign: Proxmox's lxc/VMID", OWNED(
	    "lxc.cgroup.dir.container = lxc/100\n"
	    "lxc.cgroup.dir.monitor = lxc.monitor/100\n"
	    "lxc.cgroup.dir.container.inner = ns\n", "100"));
	CHECK("foreign: machine.slice/NAME and lxc.payload.NAME",
	    OWNED("lxc.cgroup.dir.container = machine.slice/web\n", "web") &&
	    OWNED("lxc.cgroup.dir.container = a/lxc.payload.web\n", "web"));
	CHECK("foreign: lxc.cgroup.dir, NAME appended", OWNED(
	    "lxc.cgroup.dir = lxc-apps\n", "web") && OWNED(
	    "lxc.cgroup.dir = machine.slice\n", "web"));
	CHECK("foreign: unset, or no cgroup path (warned elsewhere)",
	    OWNED("lxc.uts.name = x\n", "web") &&
	    OWNED("lxc.cgroup.dir.container = /abs\n", "web"));
	CHECK("foreign: the host's slices", !OWNED(
	    "lxc.cgroup.dir.container = system.slice\n", "web") && !OWNED(
	    "lxc.cgroup.dir.container = user.slice/web\n", "web") && !OWNED(
	    "lxc.cgroup.dir = system.slice\n", "web"));
	CHECK("foreign: a systemd unit, even named for the container",
	    !OWNED("lxc.cgroup.dir.container = machine.slice/ssh.service\n",
	    "ssh.service") && !OWNED("lxc.cgroup.dir.container = "
	    "init.scope\n", "init.scope") && !OWNED("lxc.cgroup.dir = "
	    "x/cron.service\n", "web"));
	CHECK("foreign: another's name", !OWNED(
	    "lxc.cgroup.dir.container = lxc.payload.app\n", "web") && !OWNED(
	    "lxc.cgroup.dir.container = web/limits\n", "web"));
	PARSE(&c, "lxc.cgroup.dir = grp\nlxc.cgroup.dir.container = "
	    "lxc.payload.app\n");
	CHECK("foreign: dir.container wins over dir, key and line said",
	    lxc_cgroup_foreign(&c, "web", &key, &v, &line, &why) == 1 &&
	    strcmp(key, "lxc.cgroup.dir.container") == 0 && line == 2 &&
	    strcmp(v, "lxc.payload.app") == 0 && strstr(why, "last "
	    "component") != NULL);
	free(v);
	CHECK("foreign: no claims then", lxc_cgroup_claims(&c, "web",
	    claims) == 0);
	lxc_conf_free(&c);
	PARSE(&c, "lxc.cgroup.dir = grp\n");
	n = lxc_cgroup_claims(&c, "web", claims);
	CHECK("foreign: the claims of lxc.cgroup.dir", n == 4 &&
	    strcmp(claims[0], "grp/lxc.payload.web") == 0 &&
	    strcmp(claims[1], "grp/web") == 0 &&
	    strcmp(claims[2], "lxc.payload.web") == 0 &&
	    strcmp(claims[3], "lxc/web") == 0);
	for (i = 0; i < n; i++)
		free(claims[i]);
	lxc_conf_free(&c);
}

static void
test_share(void)
{
	char *err;

	err_begin();	/* the includes of the fixtures' configs */
	CHECK("share: config's guarantee and limit",
	    share_is("cg-v2", "web", 65536, 65536));
	CHECK("share: stopped, limit alone", share_is("cg-v2", "db",
	    262144, 0));
	CHECK("share: CRLF config, last max", share_is("cg-v2", "app",
	    32768, 65536));
	CHECK("share: nothing set: current use", share_is("cg-v2", "rel",
	    7680, 0));
	CHECK("share: quoted value", share_is("cg-v2", "old", 65536, 0));
	CHECK("share: live guarantee 0 is not set", share_is("cg-v2", "ctr",
	    262144, 0));
	CHECK("share: v1", share_is("cg-v1", "web", 65536, 65536) &&
	    share_is("cg-v1", "nosw", 65536, 0));
	CHECK("share: v1 -1 is unlimited, 128m the soft limit",
	    share_is("cg-v1", "db", 32768, 0));
	CHECK("share: cg-mixed", share_is("cg-mixed", "web", 65536, 65536));
	err = err_end();
	CHECK("share: only include warnings", strstr(err, "invalid") ==
	    NULL);
	free(err);
}

int
main(void)
{
	test_names();
	test_list();
	test_syntax();
	test_identity();
	test_set();
	test_append();
	test_want();
	test_knobs();
	test_roundtrip();
	test_load();
	test_write();
	test_find();
	test_find_tmp();
	test_foreign();
	test_share();
	return unit_result();
}

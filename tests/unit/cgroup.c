/*
 * cgroup.c -- unit tests of the reading half of cgfs.h (src/cgroup/
 * cgmount.c, cgpath.c, cgread.c, cgevents.c, cgvalue.c) and src/ksm.c:
 * path rules, version detection on the fixture hosts tests/hosts/cg-*,
 * the files' formats and their garbage, values as the kernel parses
 * them, the values a share wants, -i's read-back, KSM.
 */
#include <sys/stat.h>

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cgroup/cgfs.h"
#include "ksm.h"
#include "util.h"
#include "unit.h"

#define PG	4096ULL
#define MB	(1024ULL * 1024)
#define V1MAX	9223372036854771712ULL
#define HOSTS	"tests/hosts"

/* cg_parse of a string literal into st. */
#define PARSE(name, s)	cg_parse(&st, (name), (s), sizeof(s) - 1, \
			    "t/" name, PG)

static void	 put(const char *, const char *, const char *);
static void	 rm_tree(const char *);
static int	 valid(const char *);
static int	 val_is(const char *, enum cg_version, uint64_t);
static int	 val_bad(const char *, enum cg_version);
static void	 test_paths(void);
static void	 test_words(void);
static void	 test_mountinfo(void);
static void	 test_detect(void);
static void	 test_parse_single(void);
static void	 test_parse_keyed(void);
static void	 test_parse_psi(void);
static void	 test_read_v2(void);
static void	 test_read_v1(void);
static void	 test_read_missing(void);
static void	 test_read_items(void);
static void	 test_value_parse(void);
static void	 test_want(void);
static void	 test_share(void);
static void	 test_ksm(void);


/* dir/rel holding text, its directories made. */
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

static void
rm_tree(const char *dir)
{
	char *argv[] = { "rm", "-rf", NULL, NULL };

	argv[2] = (char *)dir;
	run_argv(argv);
}

static int
valid(const char *s)
{
	return cg_path_valid(s, strlen(s));
}

static int
val_is(const char *s, enum cg_version v, uint64_t want)
{
	const char *why = NULL;
	uint64_t got = 0;

	if (cg_value_parse(s, strlen(s), v, PG, &got, &why) == -1) {
		printf("# '%s': %s\n", s, why);
		return 0;
	}
	if (got != want)
		printf("# '%s': got %llu\n", s, (unsigned long long)got);
	return got == want;
}

static int
val_bad(const char *s, enum cg_version v)
{
	const char *why = NULL;
	uint64_t got;

	return cg_value_parse(s, strlen(s), v, PG, &got, &why) == -1 &&
	    why != NULL;
}

static void
test_paths(void)
{
	char big[300], *p, *q, *r;

	CHECK("path: service", valid("system.slice/nginx.service"));
	CHECK("path: one component", valid("lxc.payload.web"));
	CHECK("path: @ and :", valid("system.slice/getty@tty1.service") &&
	    valid("machine.slice/libpod-x:y.scope"));
	CHECK("path: systemd's \\x2d", valid("dev-disk-by\\x2duuid.swap"));
	CHECK("path: dots in a name", valid("..a/b..") && valid(".hidden"));
	CHECK("path: empty", !valid(""));
	CHECK("path: leading /", !valid("/system.slice"));
	CHECK("path: trailing /", !valid("system.slice/"));
	CHECK("path: doubled /", !valid("system.slice//x"));
	CHECK("path: . and ..", !valid(".") && !valid("..") &&
	    !valid("a/./b") && !valid("a/..") && !valid("../a"));
	CHECK("path: blank, control, non-ASCII", !valid("a b") &&
	    !valid("a\tb") && !valid("a\nb") && !valid("caf\xc3\xa9"));
	CHECK("path: other punctuation", !valid("a*b") && !valid("a$b") &&
	    !valid("a\"b") && !valid("a,b"));
	CHECK("path: NUL inside", !cg_path_valid("a\0b", 3));
	memset(big, 'a', sizeof(big));
	CHECK("path: a component of 255", cg_path_valid(big, 255));
	CHECK("path: a component of 256", !cg_path_valid(big, 256));
	p = cg_parent_path("system.slice/nginx.service");
	q = cg_parent_path("lxc.payload.web");
	r = cg_parent_path("a/b/c");
	CHECK("path: parents", strcmp(p, "system.slice") == 0 &&
	    strcmp(q, "") == 0 && strcmp(r, "a/b") == 0);
	free(p);
	free(q);
	free(r);
}

static void
test_words(void)
{
	CHECK("words: memory listed",
	    cg_words_have("cpu memory pids\n", 16, "memory"));
	CHECK("words: first and last", cg_words_have("memory", 6,
	    "memory") && cg_words_have("cpu\tmemory\n", 11, "memory"));
	CHECK("words: hugetlb alone", !cg_words_have("hugetlb\n", 8,
	    "memory"));
	CHECK("words: not a prefix", !cg_words_have("memoryx cpu", 11,
	    "memory") && !cg_words_have("xmemory", 7, "memory"));
	CHECK("words: empty", !cg_words_have("", 0, "memory") &&
	    !cg_words_have("\n", 1, "memory"));
}

static void
test_mountinfo(void)
{
	static const char v2[] =
	    "22 28 0:21 / /sys rw,nosuid - sysfs sysfs rw\n"
	    "26 22 0:24 / /sys/fs/cgroup rw,nosuid,nodev shared:9 - "
	    "cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot\n";
	static const char tags[] =
	    "26 22 0:24 / /sys/fs/cgroup rw shared:9 master:2 - "
	    "cgroup2 cgroup2 rw,memory_recursiveprot,nsdelegate\n";
	static const char none[] =
	    "26 22 0:24 / /sys/fs/cgroup rw,nosuid shared:9 - "
	    "cgroup2 cgroup2 rw,nsdelegate\n";
	static const char unified[] =
	    "41 31 0:38 / /sys/fs/cgroup/unified rw - cgroup2 cgroup2 "
	    "rw,memory_recursiveprot\n";
	static const char mountopt[] =
	    "26 22 0:24 / /sys/fs/cgroup rw,memory_recursiveprot - "
	    "cgroup2 cgroup2 rw\n";
	static const char over[] =
	    "26 22 0:24 / /sys/fs/cgroup rw - cgroup2 cgroup2 "
	    "rw,memory_recursiveprot\n"
	    "27 26 0:25 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n";
	static const char broken[] =
	    "26 22 0:24 / /sys/fs/cgroup\n- cgroup2\n\n";
	static const char mounts[] =
	    "proc /proc proc rw 0 0\n"
	    "cgroup2 /sys/fs/cgroup cgroup2 rw,nosuid,nsdelegate,"
	    "memory_recursiveprot 0 0\n";
	static const char mounts_no[] =
	    "cgroup2 /sys/fs/cgroup cgroup2 rw,nosuid,nsdelegate 0 0\n"
	    "cgroup2 /sys/fs/cgroup/unified cgroup2 rw,memory_recursiveprot"
	    " 0 0\n";

	CHECK("mountinfo: recursiveprot",
	    cg_mountinfo_recursiveprot(v2, sizeof(v2) - 1));
	CHECK("mountinfo: after optional tags",
	    cg_mountinfo_recursiveprot(tags, sizeof(tags) - 1));
	CHECK("mountinfo: without it",
	    !cg_mountinfo_recursiveprot(none, sizeof(none) - 1));
	CHECK("mountinfo: hybrid's unified does not count",
	    !cg_mountinfo_recursiveprot(unified, sizeof(unified) - 1));
	CHECK("mountinfo: a mount option is no super option",
	    !cg_mountinfo_recursiveprot(mountopt, sizeof(mountopt) - 1));
	CHECK("mountinfo: the last mount counts",
	    !cg_mountinfo_recursiveprot(over, sizeof(over) - 1));
	CHECK("mountinfo: short lines",
	    !cg_mountinfo_recursiveprot(broken, sizeof(broken) - 1) &&
	    !cg_mountinfo_recursiveprot("", 0));
	CHECK("mounts: recursiveprot",
	    cg_mounts_recursiveprot(mounts, sizeof(mounts) - 1));
	CHECK("mounts: other mounts do not count",
	    !cg_mounts_recursiveprot(mounts_no, sizeof(mounts_no) - 1));
}

static void
test_detect(void)
{
	char tmpl[] = "/tmp/vzmem-cg-XXXXXX", *dir, *p;
	struct cgfs fs;

	cgfs_open(&fs, HOSTS "/cg-v2", PG);
	CHECK("detect: cg-v2 is v2", fs.version == CG_V2 &&
	    strcmp(fs.mount, HOSTS "/cg-v2/sys/fs/cgroup") == 0 &&
	    !fs.recursiveprot && fs.page_bytes == PG && fs.swap);
	cgfs_close(&fs);
	cgfs_open(&fs, HOSTS "/cg-mixed", PG);
	CHECK("detect: cg-mixed has memory_recursiveprot",
	    fs.version == CG_V2 && fs.recursiveprot);
	cgfs_close(&fs);
	cgfs_open(&fs, HOSTS "/cg-v1", PG);
	CHECK("detect: cg-v1 (hybrid, hugetlb on v2) is v1",
	    fs.version == CG_V1 &&
	    strcmp(fs.mount, HOSTS "/cg-v1/sys/fs/cgroup/memory") == 0 &&
	    !fs.recursiveprot && fs.swap);
	cgfs_close(&fs);
	cgfs_open(&fs, HOSTS "/no-such-host", PG);
	CHECK("detect: no cgroup at all", fs.version == CG_NONE &&
	    fs.mount == NULL);
	cgfs_close(&fs);

	dir = mkdtemp(tmpl);
	must(dir == NULL ? -1 : 0, "mkdtemp");
	/* v2 without the memory controller, and no v1 memory: none. */
	put(dir, "sys/fs/cgroup/cgroup.controllers", "cpu io pids\n");
	cgfs_open(&fs, dir, PG);
	CHECK("detect: v2 without memory is none", fs.version == CG_NONE);
	cgfs_close(&fs);
	/* A v2 that lists memory wins over a leftover memory/ dir. */
	put(dir, "sys/fs/cgroup/memory/x", "");
	put(dir, "sys/fs/cgroup/cgroup.controllers", "cpu memory\n");
	put(dir, "proc/mounts", "cgroup2 /sys/fs/cgroup cgroup2 "
	    "rw,memory_recursiveprot 0 0\n");
	cgfs_open(&fs, dir, PG);
	CHECK("detect: v2 first; /proc/mounts without mountinfo",
	    fs.version == CG_V2 && fs.recursiveprot);
	CHECK("detect: v2 without memory children: swap taken as on",
	    fs.swap);
	cgfs_close(&fs);
	put(dir, "sys/fs/cgroup/init.scope/memory.max", "max\n");
	cgfs_open(&fs, dir, PG);
	CHECK("detect: v2 without memory.swap.max: no swap accounting",
	    !fs.swap);
	cgfs_close(&fs);
	put(dir, "sys/fs/cgroup/init.scope/memory.swap.max", "max\n");
	cgfs_open(&fs, dir, PG);
	CHECK("detect: v2 with memory.swap.max", fs.swap);
	cgfs_close(&fs);
	put(dir, "proc/self/mountinfo", "26 22 0:24 / /sys/fs/cgroup rw "
	    "- cgroup2 cgroup2 rw\n");
	cgfs_open(&fs, dir, PG);
	CHECK("detect: mountinfo before /proc/mounts", !fs.recursiveprot);
	cgfs_close(&fs);
	p = xasprintf("%s/sys/fs/cgroup/cgroup.controllers", dir);
	must(unlink(p), p);
	free(p);
	cgfs_open(&fs, dir, PG);
	CHECK("detect: memory/ alone is v1; no memsw: no swap accounting",
	    fs.version == CG_V1 && !fs.swap);
	cgfs_close(&fs);
	put(dir, "sys/fs/cgroup/memory/memory.memsw.limit_in_bytes",
	    "9223372036854771712\n");
	cgfs_open(&fs, dir, PG);
	CHECK("detect: v1 with memsw", fs.version == CG_V1 && fs.swap);
	cgfs_close(&fs);
	rm_tree(dir);
}

static void
test_parse_single(void)
{
	struct cg_state st;
	char *err;

	memset(&st, 0, sizeof(st));
	PARSE("memory.max", "max\n");
	CHECK("parse: max is unlimited", CG_HAS(&st, CG_MAX) &&
	    st.val[CG_MAX] == CG_UNLIMITED);
	PARSE("memory.max", "536870912\n");
	CHECK("parse: a limit", st.val[CG_MAX] == 512 * MB);
	PARSE("memory.low", "0");
	CHECK("parse: no final newline", CG_HAS(&st, CG_LOW) &&
	    st.val[CG_LOW] == 0);
	PARSE("memory.limit_in_bytes", "9223372036854771712\n");
	CHECK("parse: v1's unlimited", st.val[CG_LIMIT] == CG_UNLIMITED);
	PARSE("memory.memsw.limit_in_bytes", "9223372036854775807\n");
	CHECK("parse: above it too", st.val[CG_MEMSW] == CG_UNLIMITED);
	PARSE("memory.soft_limit_in_bytes", "9223372036854771711\n");
	CHECK("parse: just below is a number",
	    st.val[CG_SOFT] == V1MAX - 1);
	PARSE("memory.failcnt", "18446744073709551615\n");
	CHECK("parse: a count is never unlimited",
	    st.val[CG_FAILCNT] == UINT64_MAX);

	err_begin();
	PARSE("memory.max", "lots\n");
	err = err_end();
	CHECK("parse: garbage warns naming file and line",
	    strstr(err, "t/memory.max:1: warning: not a byte count or "
	    "\"max\": \"lots\"") != NULL);
	CHECK("parse: garbage is absent and bad", !CG_HAS(&st, CG_MAX) &&
	    (st.bad & (1u << CG_MAX)) && st.val[CG_MAX] == 0);
	free(err);
	err_begin();
	PARSE("memory.current", "max\n");
	PARSE("memory.limit_in_bytes", "max\n");
	err = err_end();
	CHECK("parse: max only in a v2 limit", !CG_HAS(&st, CG_CURRENT) &&
	    !CG_HAS(&st, CG_LIMIT) && strstr(err, "t/memory.current:1: "
	    "warning: not a byte count: \"max\"") != NULL);
	free(err);
	err_begin();
	PARSE("memory.low", "1\n2\n");
	PARSE("memory.min", "-1\n");
	PARSE("memory.high", "18446744073709551616\n");
	PARSE("memory.swap.max", "");
	PARSE("memory.failcnt", "\x1b[31m\n");
	err = err_end();
	CHECK("parse: a second line", !CG_HAS(&st, CG_LOW) &&
	    strstr(err, "t/memory.low:2: warning: more than one value: "
	    "\"2\"") != NULL);
	CHECK("parse: negative, too large, empty",
	    !CG_HAS(&st, CG_MIN) && !CG_HAS(&st, CG_HIGH) &&
	    !CG_HAS(&st, CG_SWAP_MAX) &&
	    strstr(err, "t/memory.swap.max:1: warning: not a byte count or "
	    "\"max\": \"\"") != NULL);
	CHECK("parse: control bytes shown escaped",
	    strstr(err, "not a count: \"\\x1b[31m\"") != NULL);
	free(err);
	PARSE("memory.low", "4096\n");
	CHECK("parse: good again clears bad", CG_HAS(&st, CG_LOW) &&
	    !(st.bad & (1u << CG_LOW)));
	CHECK("parse: unknown file", PARSE("memory.stat", "anon 1\n") ==
	    -1);
}

static void
test_parse_keyed(void)
{
	struct cg_state st;
	char *err;

	memset(&st, 0, sizeof(st));
	PARSE("memory.events", "low 0\nhigh 17\nmax 3\noom 1\noom_kill 1\n"
	    "oom_group_kill 0\n");
	CHECK("events: high, max, oom_kill", CG_HAS(&st, CG_EV_HIGH) &&
	    st.val[CG_EV_HIGH] == 17 && st.val[CG_EV_MAX] == 3 &&
	    st.val[CG_OOM_KILL] == 1);
	memset(&st, 0, sizeof(st));
	PARSE("memory.events", "sock_throttled 4\nmax 9");
	CHECK("events: unknown keys, no final newline",
	    st.val[CG_EV_MAX] == 9 && !CG_HAS(&st, CG_EV_HIGH) &&
	    !CG_HAS(&st, CG_OOM_KILL));
	memset(&st, 0, sizeof(st));
	err_begin();
	PARSE("memory.events", "high 1\nmax\noom_kill x\n\nhigh 2 3\n"
	    "max 5\n");
	err = err_end();
	CHECK("events: bad lines warn with their number",
	    strstr(err, "t/memory.events:2: warning: not \"key count\": "
	    "\"max\"") != NULL &&
	    strstr(err, "t/memory.events:3:") != NULL &&
	    strstr(err, "t/memory.events:5:") != NULL &&
	    strstr(err, ":4:") == NULL);
	CHECK("events: the good lines count", st.val[CG_EV_HIGH] == 1 &&
	    st.val[CG_EV_MAX] == 5 && !CG_HAS(&st, CG_OOM_KILL));
	free(err);

	memset(&st, 0, sizeof(st));
	PARSE("memory.oom_control", "oom_kill_disable 0\nunder_oom 0\n"
	    "oom_kill 2\n");
	CHECK("oom_control: oom_kill", CG_HAS(&st, CG_OOM_KILL) &&
	    st.val[CG_OOM_KILL] == 2 && !CG_HAS(&st, CG_EV_MAX));
	memset(&st, 0, sizeof(st));
	PARSE("memory.oom_control", "oom_kill_disable 0\nunder_oom 0\n");
	CHECK("oom_control: before 4.13 no oom_kill",
	    !CG_HAS(&st, CG_OOM_KILL));
	memset(&st, 0, sizeof(st));
	PARSE("memory.oom_control", "max 4\nhigh 1\n");
	CHECK("oom_control: v2's keys are not its",
	    !CG_HAS(&st, CG_EV_MAX) && !CG_HAS(&st, CG_EV_HIGH));
}

static void
test_parse_psi(void)
{
	struct cg_state st;
	char *err;

	memset(&st, 0, sizeof(st));
	PARSE("memory.pressure", "some avg10=1.25 avg60=0.41 avg300=0.12 "
	    "total=1830416\nfull avg10=0.50 avg60=0.08 avg300=0.02 "
	    "total=402117\n");
	CHECK("psi: some avg10 in hundredths",
	    CG_HAS(&st, CG_PSI_SOME10) && st.val[CG_PSI_SOME10] == 125);
	PARSE("memory.pressure", "full avg10=9.00 avg60=0 avg300=0 "
	    "total=0\nsome avg10=100.00 avg60=1 total=9\n");
	CHECK("psi: the some line wherever it is",
	    st.val[CG_PSI_SOME10] == 10000);
	PARSE("memory.pressure", "some avg60=1.00 avg10=0.5\n");
	CHECK("psi: one decimal, any position",
	    st.val[CG_PSI_SOME10] == 50);
	err_begin();
	PARSE("memory.pressure", "full avg10=0.00\nsome avg10=abc\n");
	err = err_end();
	CHECK("psi: garbage warns with the line",
	    !CG_HAS(&st, CG_PSI_SOME10) &&
	    strstr(err, "t/memory.pressure:2: warning:") != NULL);
	free(err);
	err_begin();
	PARSE("memory.pressure", "some avg10=100.01\n");
	PARSE("memory.pressure", "some avg10=1.234\n");
	PARSE("memory.pressure", "some avg10=\n");
	PARSE("memory.pressure", "some\n");
	err = err_end();
	CHECK("psi: out of range, three decimals, empty",
	    !CG_HAS(&st, CG_PSI_SOME10) &&
	    strstr(err, ":1: warning") != NULL);
	free(err);
	memset(&st, 0, sizeof(st));
	PARSE("memory.pressure", "full avg10=0.00\n");
	CHECK("psi: no some line", !CG_HAS(&st, CG_PSI_SOME10) &&
	    st.bad == 0);
}

static void
test_read_v2(void)
{
	struct cg_state st;
	struct cg_live l;
	struct cgfs fs;
	char *err;

	cgfs_open(&fs, HOSTS "/cg-v2", PG);
	err_begin();
	CHECK("read v2: lxc.payload.web exists",
	    cg_read(&fs, "lxc.payload.web", &st) == 1 && st.exists);
	CHECK("read v2: limits", st.val[CG_LOW] == 256 * MB &&
	    st.val[CG_MIN] == 0 && st.val[CG_MAX] == 512 * MB &&
	    st.val[CG_HIGH] == CG_UNLIMITED &&
	    st.val[CG_SWAP_MAX] == 256 * MB);
	CHECK("read v2: only v2 files", !CG_HAS(&st, CG_LIMIT) &&
	    !CG_HAS(&st, CG_SOFT) && !CG_HAS(&st, CG_FAILCNT));
	CHECK("read v2: parent is the root, memory enabled",
	    st.parent_root && st.parent_memory == 1 &&
	    !CG_HAS(&st, CG_PARENT_LOW));
	cg_live_of(&st, &l);
	CHECK("read v2: live figures", l.current == 201326592 &&
	    l.peak == 530644992 && l.swap == 12288000 && l.high == 17 &&
	    l.max == 3 && l.oom_kill == 1 && l.psi_some10 == 125 &&
	    l.have == (CGL_CURRENT | CGL_PEAK | CGL_SWAP | CGL_HIGH |
	    CGL_MAX | CGL_OOM_KILL | CGL_PSI));

	cg_read(&fs, "system.slice/nginx.service", &st);
	CHECK("read v2: a service", st.exists &&
	    st.val[CG_MAX] == CG_UNLIMITED && st.val[CG_LOW] == 0 &&
	    st.val[CG_CURRENT] == 52559872);
	CHECK("read v2: a slice as parent", !st.parent_root &&
	    st.parent_memory == 1 && CG_HAS(&st, CG_PARENT_LOW) &&
	    st.val[CG_PARENT_LOW] == 0 && CG_HAS(&st, CG_PARENT_MIN));
	cg_read(&fs, "machine.slice/ctr", &st);
	CHECK("read v2: the parent's protection",
	    st.val[CG_PARENT_LOW] == 512 * MB);
	cg_read(&fs, "lxc.monitor.web", &st);
	CHECK("read v2: a parent without memory for its children",
	    st.exists && st.parent_memory == 1);
	cg_read(&fs, "lxc.monitor.web/none", &st);
	CHECK("read v2: no such child", !st.exists);
	err = err_end();
	CHECK("read v2: the fixture is clean", err[0] == '\0');
	free(err);
	cgfs_close(&fs);
}

static void
test_read_v1(void)
{
	struct cg_state st;
	struct cg_live l;
	struct cgfs fs;
	char *err;

	cgfs_open(&fs, HOSTS "/cg-v1", PG);
	err_begin();
	cg_read(&fs, "lxc.payload.web", &st);
	CHECK("read v1: limits", st.exists && st.val[CG_SOFT] == 256 * MB &&
	    st.val[CG_LIMIT] == 512 * MB && st.val[CG_MEMSW] == 768 * MB);
	CHECK("read v1: parent", st.parent_root && st.parent_memory == 1);
	cg_live_of(&st, &l);
	CHECK("read v1: live figures", l.current == 201326592 &&
	    l.peak == 530644992 && l.memsw == 226492416 &&
	    l.failcnt == 0 && l.oom_kill == 2 &&
	    l.have == (CGL_CURRENT | CGL_PEAK | CGL_MEMSW | CGL_FAILCNT |
	    CGL_OOM_KILL));
	cg_read(&fs, "lxc.payload.nosw", &st);
	CHECK("read v1: swap accounting off", st.exists &&
	    !CG_HAS(&st, CG_MEMSW) && !CG_HAS(&st, CG_MEMSW_USAGE) &&
	    st.bad == 0 && st.val[CG_SOFT] == CG_UNLIMITED &&
	    st.val[CG_LIMIT] == 256 * MB);
	cg_read(&fs, "system.slice/nginx.service", &st);
	CHECK("read v1: defaults are unlimited",
	    st.val[CG_LIMIT] == CG_UNLIMITED &&
	    st.val[CG_MEMSW] == CG_UNLIMITED &&
	    st.val[CG_SOFT] == CG_UNLIMITED && !st.parent_root &&
	    st.parent_memory == 1 && !CG_HAS(&st, CG_PARENT_LOW));
	err = err_end();
	CHECK("read v1: the fixture is clean", err[0] == '\0');
	free(err);
	cgfs_close(&fs);
}

static void
test_read_missing(void)
{
	char tmpl[] = "/tmp/vzmem-cg-XXXXXX", *dir, *err;
	struct cg_state st;
	struct cgfs fs;

	cgfs_open(&fs, HOSTS "/cg-v2", PG);
	CHECK("read: a stopped container", cg_read(&fs, "lxc.payload.db",
	    &st) == 0 && !st.exists && st.have == 0 &&
	    st.parent_memory == -1);
	cgfs_close(&fs);
	memset(&fs, 0, sizeof(fs));
	CHECK("read: no cgroup on the host", cg_read(&fs, "x", &st) == 0);

	dir = mkdtemp(tmpl);
	must(dir == NULL ? -1 : 0, "mkdtemp");
	put(dir, "sys/fs/cgroup/cgroup.controllers", "memory\n");
	put(dir, "sys/fs/cgroup/cgroup.subtree_control", "pids\n");
	put(dir, "sys/fs/cgroup/a/cgroup.procs", "");
	put(dir, "sys/fs/cgroup/b/memory.max", "12x\n");
	put(dir, "sys/fs/cgroup/b/memory.low", "4096\n");
	cgfs_open(&fs, dir, PG);
	cg_read(&fs, "a", &st);
	CHECK("read: memory not enabled by the parent", st.exists &&
	    st.have == 0 && st.parent_memory == 0);
	err_begin();
	cg_read(&fs, "b", &st);
	err = err_end();
	CHECK("read: garbage in a real file names its path",
	    strstr(err, "/sys/fs/cgroup/b/memory.max:1: warning: not a "
	    "byte count or \"max\": \"12x\"; ignored") != NULL &&
	    CG_HAS(&st, CG_LOW) && (st.bad & (1u << CG_MAX)));
	free(err);
	cgfs_close(&fs);
	rm_tree(dir);
}

static void
test_value_parse(void)
{
	CHECK("value: bytes", val_is("268435456", CG_V2, 256 * MB));
	CHECK("value: suffixes either case", val_is("256M", CG_V2,
	    256 * MB) && val_is("256m", CG_V1, 256 * MB) &&
	    val_is("1G", CG_V2, 1024 * MB) && val_is("1g", CG_V2,
	    1024 * MB) && val_is("8k", CG_V2, 8192) && val_is("8K", CG_V1,
	    8192));
	CHECK("value: t, p, e", val_is("2T", CG_V2, 2ULL << 40) &&
	    val_is("1p", CG_V2, 1ULL << 50) && val_is("1E", CG_V2,
	    1ULL << 60));
	CHECK("value: 8E is the kernel's unlimited",
	    val_is("8E", CG_V2, CG_UNLIMITED) &&
	    val_is("9223372036854771712", CG_V1, CG_UNLIMITED));
	CHECK("value: rounded down to a page", val_is("4097", CG_V2,
	    4096) && val_is("1K", CG_V2, 0) && val_is("4095", CG_V1, 0));
	CHECK("value: base 0 as memparse", val_is("0x1000", CG_V2, 4096) &&
	    val_is("0X8k", CG_V2, 8192) && val_is("010000", CG_V2, 4096) &&
	    val_is("0x1E000", CG_V2, 122880) &&
	    val_is("0", CG_V2, 0));
	CHECK("value: blanks trimmed", val_is(" 1G\t", CG_V2, 1024 * MB) &&
	    val_is("1G\r", CG_V1, 1024 * MB));
	CHECK("value: max on v2, -1 on v1",
	    val_is("max", CG_V2, CG_UNLIMITED) &&
	    val_is("-1", CG_V1, CG_UNLIMITED) && val_bad("max", CG_V1) &&
	    val_bad("-1", CG_V2));
	CHECK("value: bad", val_bad("", CG_V2) && val_bad("  ", CG_V1) &&
	    val_bad("M", CG_V2) && val_bad("1GB", CG_V2) &&
	    val_bad("1 G", CG_V2) && val_bad("1.5G", CG_V2) &&
	    val_bad("-2", CG_V1) && val_bad("08", CG_V2) &&
	    val_bad("0x", CG_V2) && val_bad("1x", CG_V2) &&
	    val_bad("unlimited", CG_V1) && val_bad("Max", CG_V2));
	CHECK("value: overflow", val_bad("18446744073709551616", CG_V2) &&
	    val_bad("16E", CG_V2) && val_bad("17179869184G", CG_V1));
	CHECK("value: below overflow is unlimited",
	    val_is("18446744073709551615", CG_V2, CG_UNLIMITED) &&
	    val_is("15E", CG_V1, CG_UNLIMITED));
}

static void
test_want(void)
{
	struct cg_want w;
	const char *why = NULL;
	uint64_t big;

	CHECK("want: v2", cg_want(CG_V2, CG_GUAR_LOW, PG, 100, 50, &w,
	    &why) == 0 && w.n == 3 && w.set[0].item == CG_LOW &&
	    w.set[0].bytes == 100 * PG && w.set[1].item == CG_MAX &&
	    w.set[1].bytes == 150 * PG && w.set[2].item == CG_SWAP_MAX &&
	    w.set[2].bytes == 50 * PG);
	CHECK("want: v2 memory.min", cg_want(CG_V2, CG_GUAR_MIN, PG, 1, 0,
	    &w, &why) == 0 && w.set[0].item == CG_MIN &&
	    w.set[0].bytes == PG && w.set[2].bytes == 0);
	CHECK("want: v1", cg_want(CG_V1, CG_GUAR_MIN, PG, 65536, 32768,
	    &w, &why) == 0 && w.n == 3 && w.set[0].item == CG_SOFT &&
	    w.set[0].bytes == 256 * MB && w.set[1].item == CG_LIMIT &&
	    w.set[1].bytes == 384 * MB && w.set[2].item == CG_MEMSW &&
	    w.set[2].bytes == 384 * MB);
	CHECK("want: 64 kB pages", cg_want(CG_V2, CG_GUAR_LOW, 65536, 2, 1,
	    &w, &why) == 0 && w.set[1].bytes == 3 * 65536);
	CHECK("want: pages overflow", cg_want(CG_V2, CG_GUAR_LOW, PG,
	    UINT64_MAX, 1, &w, &why) == -1 &&
	    strstr(why, "pages overflows") != NULL && w.n == 0);
	CHECK("want: bytes overflow", cg_want(CG_V1, CG_GUAR_LOW, PG,
	    UINT64_MAX / PG + 1, 0, &w, &why) == -1 &&
	    strstr(why, "bytes overflows") != NULL);
	big = (uint64_t)LONG_MAX / PG;
	CHECK("want: the kernel's unlimited is too large",
	    cg_want(CG_V2, CG_GUAR_LOW, PG, big, 0, &w, &why) == -1 &&
	    strstr(why, "largest limit") != NULL);
	CHECK("want: T too large though G and X are not",
	    cg_want(CG_V1, CG_GUAR_LOW, PG, big / 2 + 1, big / 2, &w,
	    &why) == -1);
	CHECK("want: the largest that is kept", cg_want(CG_V2, CG_GUAR_LOW,
	    PG, big - 1, 0, &w, &why) == 0 &&
	    w.set[1].bytes == V1MAX - PG);
	CHECK("want: no cgroup", cg_want(CG_NONE, CG_GUAR_LOW, PG, 1, 1,
	    &w, &why) == -1);
	CHECK("want: bytes max", cg_bytes_max(PG) == V1MAX &&
	    cg_bytes_max(65536) == 9223372036854710272ULL &&
	    cg_bytes_max(0) == V1MAX);
}

static void
test_share(void)
{
	struct cg_knobs cfg, live;
	struct cg_state st;
	struct cg_want w;
	const char *why;
	uint64_t g, x;
	size_t i;

	memset(&cfg, 0, sizeof(cfg));
	cfg.have = CGK_GUAR | CGK_LIMIT;
	cfg.guar = 256 * MB;
	cfg.limit = 512 * MB;
	cg_share(&cfg, NULL, 0, PG, &g, &x);
	CHECK("share: guarantee and limit", g == 65536 && x == 65536);
	cfg.guar = 0;
	cg_share(&cfg, NULL, 0, PG, &g, &x);
	CHECK("share: a guarantee of 0 is not set", g == 131072 && x == 0);
	cfg.limit = CG_UNLIMITED;
	cg_share(&cfg, NULL, 10 * MB + 1, PG, &g, &x);
	CHECK("share: nothing set: use, rounded up", g == 2561 && x == 0);
	cg_share(&cfg, NULL, 0, PG, &g, &x);
	CHECK("share: stopped", g == 0 && x == 0);
	cfg.guar = 256 * MB;
	cg_share(&cfg, NULL, 999 * MB, PG, &g, &x);
	CHECK("share: unlimited limit: no X", g == 65536 && x == 0);
	cfg.guar = CG_UNLIMITED;
	cfg.limit = 128 * MB;
	cg_share(&cfg, NULL, 0, PG, &g, &x);
	CHECK("share: v1's unset soft limit is not set", g == 32768 &&
	    x == 0);
	cfg.guar = 256 * MB;
	cg_share(&cfg, NULL, 0, PG, &g, &x);
	CHECK("share: limit below guarantee: X is 0", g == 65536 && x == 0);

	memset(&cfg, 0, sizeof(cfg));
	memset(&live, 0, sizeof(live));
	cfg.have = CGK_LIMIT;
	cfg.limit = 512 * MB;
	live.have = CGK_GUAR | CGK_LIMIT;
	live.guar = 128 * MB;
	live.limit = 1024 * MB;
	cg_share(&cfg, &live, 0, PG, &g, &x);
	CHECK("share: the config first, key by key", g == 32768 &&
	    x == 131072 - 32768);
	cg_share(NULL, &live, 0, PG, &g, &x);
	CHECK("share: live alone (cg:)", g == 32768 && x == 262144 - 32768);
	cfg.have = CGK_GUAR | CGK_LIMIT;
	cfg.guar = 0;
	cfg.limit = CG_UNLIMITED;
	cg_share(&cfg, &live, 0, PG, &g, &x);
	CHECK("share: unset config keys fall to live", g == 32768 &&
	    x == 262144 - 32768);

	/* What vzmem writes reads back as the same share. */
	for (i = 0; i < 4; i++) {
		static const uint64_t gs[] = { 1, 65536, 12345, 3 };
		static const uint64_t xs[] = { 0, 65536, 1, 999999 };
		enum cg_version v = i % 2 ? CG_V1 : CG_V2;
		enum cg_guar m = i == 2 ? CG_GUAR_MIN : CG_GUAR_LOW;
		size_t k;

		memset(&st, 0, sizeof(st));
		st.exists = 1;
		cg_want(v, m, PG, gs[i], xs[i], &w, &why);
		for (k = 0; k < w.n; k++) {
			st.val[w.set[k].item] = w.set[k].bytes;
			st.have |= 1u << w.set[k].item;
		}
		cg_knobs_live(&st, m, &live);
		cg_share(NULL, &live, 0, PG, &g, &x);
		CHECK("share: a written cgroup reads back", g == gs[i] &&
		    x == xs[i]);
	}
	memset(&st, 0, sizeof(st));
	st.val[CG_MIN] = 64 * MB;
	st.have = 1u << CG_MIN | 1u << CG_LOW;
	cg_knobs_live(&st, CG_GUAR_LOW, &live);
	CHECK("share: memory.min when low is 0", live.have == CGK_GUAR &&
	    live.guar == 64 * MB);
	st.val[CG_LOW] = 32 * MB;
	cg_knobs_live(&st, CG_GUAR_MIN, &live);
	CHECK("share: the mode's file first", live.guar == 64 * MB);
	cg_knobs_live(&st, CG_GUAR_LOW, &live);
	CHECK("share: low in low mode", live.guar == 32 * MB);
}

static void
test_ksm(void)
{
	char tmpl[] = "/tmp/vzmem-cg-XXXXXX", *dir, *err;
	struct ksm k;

	ksm_read(HOSTS "/cg-v2", &k);
	CHECK("ksm: cg-v2", k.present && k.pages_shared == 2048 &&
	    k.pages_sharing == 15360 && k.zero_pages == 512 &&
	    k.full_scans == 12 && ksm_has_run(&k));
	CHECK("ksm: saved", ksm_saved(&k, PG) == (15360 + 512) * PG);
	ksm_read(HOSTS "/cg-v1", &k);
	CHECK("ksm: an older kernel, never run", k.present &&
	    k.zero_pages == 0 && !ksm_has_run(&k) &&
	    ksm_saved(&k, PG) == 0);
	ksm_read(HOSTS "/cg-mixed", &k);
	CHECK("ksm: running, no scan done yet", !ksm_has_run(&k));
	ksm_read(HOSTS "/no-such-host", &k);
	CHECK("ksm: no KSM", !k.present && !ksm_has_run(&k));
	k.present = 1;
	k.full_scans = 0;
	k.pages_sharing = 3;
	CHECK("ksm: sharing counts as run", ksm_has_run(&k));
	k.pages_sharing = UINT64_MAX;
	k.zero_pages = 2;
	CHECK("ksm: saved saturates", ksm_saved(&k, PG) == UINT64_MAX);
	k.pages_sharing = UINT64_MAX / 2;
	k.zero_pages = 0;
	CHECK("ksm: saved saturates on the product",
	    ksm_saved(&k, PG) == UINT64_MAX);

	dir = mkdtemp(tmpl);
	must(dir == NULL ? -1 : 0, "mkdtemp");
	put(dir, "sys/kernel/mm/ksm/pages_sharing", "12 pages\n");
	put(dir, "sys/kernel/mm/ksm/full_scans", "3");
	put(dir, "sys/kernel/mm/ksm/pages_shared", "-1\n");
	err_begin();
	ksm_read(dir, &k);
	err = err_end();
	CHECK("ksm: garbage warns, reads 0", k.present &&
	    k.pages_sharing == 0 && k.pages_shared == 0 &&
	    k.full_scans == 3 && strstr(err, "ksm/pages_sharing:1: "
	    "warning: not a count") != NULL &&
	    strstr(err, "ksm/pages_shared:1:") != NULL);
	free(err);
	rm_tree(dir);
}

/* cg_read_items: only the files asked for, each once, adding up. */
static void
test_read_items(void)
{
	struct cg_state st, all;
	struct cgfs fs;
	char *err;

	cgfs_open(&fs, HOSTS "/cg-v2", PG);
	err_begin();
	memset(&st, 0, sizeof(st));
	CHECK("items: the limits only", cg_read_items(&fs,
	    "system.slice/nginx.service", 1u << CG_LOW | 1u << CG_MAX, &st) ==
	    1 && st.exists && st.looked && CG_HAS(&st, CG_LOW) &&
	    CG_HAS(&st, CG_MAX) && !CG_HAS(&st, CG_CURRENT) &&
	    !CG_HAS(&st, CG_SWAP_MAX) && st.parent_memory == -1 &&
	    st.read == (1u << CG_LOW | 1u << CG_MAX));
	cg_read_items(&fs, "system.slice/nginx.service", 1u << CG_EV_MAX |
	    1u << CG_PARENT_LOW, &st);
	CHECK("items: more, added: one file, every event", CG_HAS(&st,
	    CG_LOW) && CG_HAS(&st, CG_EV_MAX) && CG_HAS(&st, CG_EV_HIGH) &&
	    CG_HAS(&st, CG_OOM_KILL) && (st.read & 1u << CG_OOM_KILL) &&
	    st.parent_memory == 1 && CG_HAS(&st, CG_PARENT_LOW) &&
	    CG_HAS(&st, CG_PARENT_MIN));
	cg_read(&fs, "system.slice/nginx.service", &all);
	cg_read_items(&fs, "system.slice/nginx.service", UINT32_MAX, &st);
	CHECK("items: all of them as cg_read", st.have == all.have &&
	    memcmp(st.val, all.val, sizeof(st.val)) == 0 &&
	    st.parent_memory == all.parent_memory);
	/* A directory the caller found: not looked at again. */
	memset(&st, 0, sizeof(st));
	st.looked = st.exists = 1;
	CHECK("items: looked already", cg_read_items(&fs, "gone",
	    1u << CG_MAX, &st) == 1 && !CG_HAS(&st, CG_MAX) &&
	    (st.read & 1u << CG_MAX));
	memset(&st, 0, sizeof(st));
	CHECK("items: no such cgroup", cg_read_items(&fs, "gone",
	    1u << CG_MAX, &st) == 0 && st.looked && !st.exists &&
	    st.read == 0);
	err = err_end();
	CHECK("items: nothing to say", err[0] == '\0');
	free(err);
	cgfs_close(&fs);
}

int
main(void)
{
	test_paths();
	test_words();
	test_mountinfo();
	test_detect();
	test_parse_single();
	test_parse_keyed();
	test_parse_psi();
	test_read_v2();
	test_read_v1();
	test_read_missing();
	test_read_items();
	test_value_parse();
	test_want();
	test_share();
	test_ksm();
	return unit_result();
}

/*
 * genlxc.c -- make a fake LXC host tree (cgroup v2) for the benchmark.
 *
 *	genlxc DIR COUNT	a host of COUNT LXC containers under DIR
 *
 * The tree: proc/meminfo (500,000 kB of RAM and 256 MB of swap per
 * container: a block of N = 4 x COUNT is then 125,000 kB, so every share
 * comes out in bytes no config spells yet), proc/self/mountinfo,
 * sys/fs/cgroup with memory enabled, var/lib/lxc/NAME/config for each
 * container.  Configs look like lxc-create's (template comments, an
 * lxc.include, rootfs, network) and mix their memory keys: low, max and
 * swap.max with M or G suffixes, a quoted max alone, bare bytes, or none;
 * one in ten sets lxc.cgroup.dir.  Two of every three containers run: a
 * cgroup lxc.payload.NAME (under the lxc.cgroup.dir when set) with the
 * memory files of a v2 kernel holding what the config says, as LXC
 * writes them at start.  Deterministic: the same COUNT gives the same
 * bytes.
 */
#include <sys/stat.h>

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RAM_KB_PER_CT	500000
#define SWAP_KB_PER_CT	(256 * 1024)
#define MB		(1024ULL * 1024)

static void	 die(const char *, ...);
static void	 mkdirs(const char *);
static void	 put(const char *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));
static void	 pathf(char *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));
static uint64_t	 rnd(uint64_t *);
static void	 name_of(unsigned long, char *, size_t);
static void	 cgroup(const char *, const char *, uint64_t, uint64_t,
		    uint64_t, uint64_t);
static void	 container(const char *, unsigned long);

static void
die(const char *fmt, ...)
{
	va_list ap;

	fputs("genlxc: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

/* mkdir -p. */
static void
mkdirs(const char *path)
{
	char buf[4096], *p;

	snprintf(buf, sizeof(buf), "%s", path);
	for (p = buf + 1; *p; p++)
		if (*p == '/') {
			*p = '\0';
			if (mkdir(buf, 0755) == -1 && errno != EEXIST)
				die("%s: %s", buf, strerror(errno));
			*p = '/';
		}
	if (mkdir(buf, 0755) == -1 && errno != EEXIST)
		die("%s: %s", buf, strerror(errno));
}

/* The file path (made) holding the text of fmt. */
static void
put(const char *path, const char *fmt, ...)
{
	va_list ap;
	FILE *f;

	if ((f = fopen(path, "w")) == NULL)
		die("%s: %s", path, strerror(errno));
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	if (fclose(f) == EOF)
		die("%s: %s", path, strerror(errno));
}

/* A path of at most PATH_LEN - 1 bytes into out (PATH_LEN). */
#define PATH_LEN	4096
static void
pathf(char *out, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(out, PATH_LEN, fmt, ap);
	va_end(ap);
	if (n < 0 || n >= PATH_LEN)
		die("path too long");
}

/* xorshift64*: the same every run. */
static uint64_t
rnd(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 2685821657736338717ULL;
}

static void
name_of(unsigned long i, char *out, size_t len)
{
	static const char *const kinds[] = { "web", "db", "ci.runner",
	    "app_", "ct" };

	snprintf(out, len, "%s%05lu", kinds[i % 5], i);
}

/* A running container's cgroup, as a v2 kernel shows it. */
static void
cgroup(const char *dir, const char *low, uint64_t max, uint64_t swapmax,
    uint64_t cur, uint64_t seed)
{
	char p[PATH_LEN];

	mkdirs(dir);
#define F(name, ...) do {						\
	pathf(p, "%s/%s", dir, name);			\
	put(p, __VA_ARGS__);						\
} while (0)
	F("cgroup.procs", "%llu\n", (unsigned long long)(1000 + seed % 30000));
	F("cgroup.controllers", "cpu memory pids\n");
	F("cgroup.subtree_control", "%s", "");
	F("memory.low", "%s\n", low);
	F("memory.min", "0\n");
	if (max == 0)
		F("memory.max", "max\n");
	else
		F("memory.max", "%llu\n", (unsigned long long)max);
	F("memory.high", "max\n");
	if (swapmax == 0)
		F("memory.swap.max", "max\n");
	else
		F("memory.swap.max", "%llu\n", (unsigned long long)swapmax);
	F("memory.current", "%llu\n", (unsigned long long)cur);
	F("memory.peak", "%llu\n", (unsigned long long)(cur + cur / 3));
	F("memory.swap.current", "0\n");
	F("memory.events", "low 0\nhigh 0\nmax %llu\noom 0\noom_kill %llu\n"
	    "oom_group_kill 0\n", (unsigned long long)(seed % 7),
	    (unsigned long long)(seed % 13 == 0));
	F("memory.pressure", "some avg10=0.%02llu avg60=0.00 avg300=0.00 "
	    "total=%llu\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=0\n",
	    (unsigned long long)(seed % 100), (unsigned long long)seed % 99999);
#undef F
}

static void
container(const char *root, unsigned long i)
{
	uint64_t s = i * 0x9e3779b97f4a7c15ULL + 7, r = rnd(&s);
	uint64_t mb = 256 << (r % 3), low = 0, max = 0, swapmax = 0;
	char name[64], p[PATH_LEN], mem[512], grp[64], cglow[32];
	int running = i % 3 != 2, style = (int)(r >> 8) % 4;

	name_of(i, name, sizeof(name));
	grp[0] = '\0';
	if (i % 10 == 3)
		snprintf(grp, sizeof(grp), "lxc-grp%lu", i % 4);
	switch (style) {
	case 0:		/* low, max, swap.max with suffixes */
		low = mb / 2 * MB;
		max = mb * MB;
		swapmax = 256 * MB;
		snprintf(mem, sizeof(mem), "\n# Memory\n"
		    "lxc.cgroup2.memory.low = %lluM\n"
		    "lxc.cgroup2.memory.max = %s\n"
		    "lxc.cgroup2.memory.swap.max = 256M\n",
		    (unsigned long long)mb / 2, mb == 1024 ? "1G" :
		    mb == 512 ? "512M" : "256M");
		break;
	case 1:		/* a quoted limit alone */
		max = mb * MB;
		snprintf(mem, sizeof(mem), "lxc.cgroup2.memory.max = "
		    "\"%lluM\"\n", (unsigned long long)mb);
		break;
	case 2:		/* bare bytes, blanks around '=' */
		low = mb / 4 * MB;
		max = mb * MB;
		snprintf(mem, sizeof(mem), "lxc.cgroup2.memory.low\t=\t%llu\n"
		    "lxc.cgroup2.memory.max=%llu\n",
		    (unsigned long long)low, (unsigned long long)max);
		break;
	default:	/* none: the use counts */
		mem[0] = '\0';
		break;
	}
	pathf(p, "%s/var/lib/lxc/%s", root, name);
	mkdirs(p);
	pathf(p, "%s/var/lib/lxc/%s/config", root, name);
	put(p, "# Template used to create this container: "
	    "/usr/share/lxc/templates/lxc-download\n"
	    "# Parameters passed to the template: -d debian -r bookworm "
	    "-a amd64\n"
	    "# For additional config options, please look at "
	    "lxc.container.conf(5)\n\n"
	    "# Distribution configuration\n"
	    "lxc.include = /usr/share/lxc/config/common.conf\n"
	    "lxc.arch = linux64\n\n"
	    "# Container specific configuration\n"
	    "lxc.rootfs.path = dir:/var/lib/lxc/%s/rootfs\n"
	    "lxc.uts.name = %s%s\n%s%s%s\n"
	    "# Network configuration\n"
	    "lxc.net.0.type = veth\n"
	    "lxc.net.0.link = lxcbr0\n"
	    "lxc.net.0.flags = up\n"
	    "lxc.net.0.hwaddr = 00:16:3e:%02x:%02x:%02x\n"
	    "lxc.start.auto = %d\n%s",
	    name, name, i % 2 ? ".example.com" : "",
	    grp[0] ? "lxc.cgroup.dir = " : "", grp, grp[0] ? "\n" : "",
	    (unsigned)(r >> 16) & 0xff, (unsigned)(r >> 24) & 0xff,
	    (unsigned)(r >> 32) & 0xff, (int)(i % 2), mem);
	if (!running)
		return;
	snprintf(cglow, sizeof(cglow), "%llu", (unsigned long long)low);
	if (grp[0])
		pathf(p, "%s/sys/fs/cgroup/%s/lxc.payload.%s",
		    root, grp, name);
	else
		pathf(p, "%s/sys/fs/cgroup/lxc.payload.%s",
		    root, name);
	cgroup(p, cglow, max, swapmax, (32 + r % 200) * MB, r);
}

int
main(int argc, char *argv[])
{
	char p[PATH_LEN], *end;
	unsigned long n, i;
	const char *root;

	if (argc != 3 || (n = strtoul(argv[2], &end, 10)) == 0 ||
	    *end != '\0')
		die("usage: genlxc DIR COUNT");
	root = argv[1];
	pathf(p, "%s/proc/self", root);
	mkdirs(p);
	pathf(p, "%s/proc/meminfo", root);
	put(p, "MemTotal:       %llu kB\nMemFree:        %llu kB\n"
	    "SwapTotal:      %llu kB\nSwapFree:       %llu kB\n",
	    (unsigned long long)n * RAM_KB_PER_CT,
	    (unsigned long long)n * RAM_KB_PER_CT / 2,
	    (unsigned long long)n * SWAP_KB_PER_CT,
	    (unsigned long long)n * SWAP_KB_PER_CT);
	pathf(p, "%s/proc/self/mountinfo", root);
	put(p, "26 22 0:24 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime "
	    "shared:9 - cgroup2 cgroup2 rw,nsdelegate\n");
	pathf(p, "%s/sys/fs/cgroup", root);
	mkdirs(p);
	pathf(p, "%s/sys/fs/cgroup/cgroup.controllers", root);
	put(p, "cpuset cpu io memory hugetlb pids rdma misc\n");
	pathf(p, "%s/sys/fs/cgroup/cgroup.subtree_control",
	    root);
	put(p, "cpu memory pids\n");
	for (i = 0; i < 4; i++) {
		pathf(p, "%s/sys/fs/cgroup/lxc-grp%lu", root, i);
		mkdirs(p);
		pathf(p, "%s/sys/fs/cgroup/lxc-grp%lu/"
		    "cgroup.subtree_control", root, i);
		put(p, "memory pids\n");
		pathf(p, "%s/sys/fs/cgroup/lxc-grp%lu/memory.low",
		    root, i);
		put(p, "0\n");
	}
	pathf(p, "%s/var/lib/lxc", root);
	mkdirs(p);
	for (i = 0; i < n; i++)
		container(root, i);
	return 0;
}

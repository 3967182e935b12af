/*
 * genhost.c -- make a fake OpenVZ host tree for the benchmark.
 *
 *	genhost DIR COUNT	a host of COUNT containers under DIR
 *	genhost -u DIR		rewrite DIR/proc/user_beancounters so that
 *				the running containers' live values are
 *				their confs' (what vzctl set does live)
 *
 * The tree: proc/meminfo (512 MB of RAM and 256 MB of swap per
 * container), proc/user_beancounters (2 of every 3 containers running,
 * every resource the kernel lists), etc/vz/conf/<CTID>.conf, plus 0.conf,
 * a sample and a .bak that vzmem must skip.  Confs mix legacy UBC and
 * VSwap, quoted and bare values, K/M/G/P suffixes and fractions, the
 * three spellings of unlimited, comments, HOSTNAME or NAME or neither,
 * numeric CTIDs and one in ten named by a UUID.  Deterministic: the same
 * COUNT gives the same bytes.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PAGE_KB		4
#define RAM_MB_PER_CT	512
#define SWAP_MB_PER_CT	256

static void	 die(const char *, ...);
static void	 mkdirs(const char *);
static uint64_t	 rnd(uint64_t *);
static void	 ctid_of(unsigned long, char *, size_t);
static const char *unlim(uint64_t);
static void	 pages(char *, size_t, uint64_t, uint64_t);
static void	 put(FILE *, int, const char *, const char *);
static void	 write_conf(const char *, unsigned long);
static void	 ubc_block(FILE *, const char *, const uint64_t [6][2]);
static void	 gen(const char *, unsigned long);
static int	 side(const char **, uint64_t *);
static int	 conf_val(const char *, const char *, uint64_t [2]);
static void	 regen_ubc(const char *);

static const char *const ubc_names[6] = {
	"vmguarpages", "privvmpages", "oomguarpages", "shmpages",
	"physpages", "swappages"
};
static const char *const conf_names[6] = {
	"VMGUARPAGES", "PRIVVMPAGES", "OOMGUARPAGES", "SHMPAGES",
	"PHYSPAGES", "SWAPPAGES"
};

static void
die(const char *fmt, ...)
{
	va_list ap;

	fputs("genhost: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

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

/* xorshift64*: enough randomness, and the same every run. */
static uint64_t
rnd(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 2685821657736338717ULL;
}

/* One in ten containers is named by a UUID (OpenVZ 7). */
static void
ctid_of(unsigned long i, char *out, size_t len)
{
	uint64_t s = i * 0x9e3779b97f4a7c15ULL + 1, a, b;

	if (i % 10 == 7) {
		a = rnd(&s);
		b = rnd(&s);
		snprintf(out, len, "%08x-%04x-4%03x-%04x-%012llx",
		    (unsigned)(a >> 32), (unsigned)(a >> 16) & 0xffff,
		    (unsigned)a & 0xfff, (unsigned)(b >> 48) & 0xffff,
		    (unsigned long long)(b & 0xffffffffffffULL));
	} else
		snprintf(out, len, "%lu", 100 + i);
}

static const char *
unlim(uint64_t r)
{
	static const char *const u[3] = {
		"unlimited", "9223372036854775807", "2147483647"
	};

	return u[r % 3];
}

/* A number of pages in one of the spellings vzctl takes. */
static void
pages(char *out, size_t len, uint64_t pg, uint64_t style)
{
	switch (style % 5) {
	case 0:
	case 1:
		snprintf(out, len, "%llu", (unsigned long long)pg);
		break;
	case 2:
		snprintf(out, len, "%lluK", (unsigned long long)pg * PAGE_KB);
		break;
	case 3:
		if (pg % 256 == 0)
			snprintf(out, len, "%lluM",
			    (unsigned long long)pg / 256);
		else
			snprintf(out, len, "%lluP", (unsigned long long)pg);
		break;
	default:
		if (pg % (256 * 1024) == 0)
			snprintf(out, len, "%lluG",
			    (unsigned long long)pg / (256 * 1024));
		else if (pg % (128 * 1024) == 0)
			snprintf(out, len, "%llu.5G",
			    (unsigned long long)pg / (256 * 1024));
		else
			snprintf(out, len, "%llup", (unsigned long long)pg);
		break;
	}
}

/* NAME=value, quoted or bare. */
static void
put(FILE *f, int quoted, const char *name, const char *val)
{
	if (quoted)
		fprintf(f, "%s=\"%s\"\n", name, val);
	else
		fprintf(f, "%s=%s\n", name, val);
}

static void
write_conf(const char *path, unsigned long i)
{
	uint64_t s = i * 0x2545f4914f6cdd1dULL + 7, r = rnd(&s);
	/* Guarantee 64 MB .. 448 MB in 16 MB steps, beyond 0 .. 512 MB. */
	uint64_t g = (4 + rnd(&s) % 25) * 4096, x = (rnd(&s) % 33) * 4096;
	int q = (r >> 8) % 4 != 0, vswap = i % 2 == 1;
	char a[64], b[64], v[160];
	FILE *f;

	if ((f = fopen(path, "w")) == NULL)
		die("%s: %s", path, strerror(errno));
	fprintf(f, "#  Container %lu, made by genhost for the vzmem "
	    "benchmark.\n\nONBOOT=\"yes\"\n\n", i);
	if (vswap) {
		fputs("# RAM\n", f);
		pages(a, sizeof(a), g, r >> 12);
		snprintf(v, sizeof(v), "0:%s", a);
		put(f, q, "PHYSPAGES", v);
		fputs("\n# Swap\n", f);
		pages(a, sizeof(a), x, r >> 16);
		snprintf(v, sizeof(v), "0:%s", a);
		put(f, q, "SWAPPAGES", v);
		if ((r >> 20) % 3 == 0) {
			fputs("# Kept from the container's UBC days\n", f);
			pages(a, sizeof(a), g + x, r >> 24);
			snprintf(v, sizeof(v), "%s:%s", a, unlim(r >> 28));
			put(f, q, "VMGUARPAGES", v);
			pages(a, sizeof(a), g, r >> 32);
			snprintf(v, sizeof(v), "%s:%s", a, unlim(r >> 36));
			put(f, q, "OOMGUARPAGES", v);
		}
		put(f, q, "KMEMSIZE", "unlimited");
		put(f, q, "LOCKEDPAGES", "2048:2048");
		put(f, q, "NUMPROC", "unlimited");
	} else {
		fputs("# UBC parameters (in form of barrier:limit)\n", f);
		put(f, q, "KMEMSIZE", "14372700:14790164");
		put(f, q, "LOCKEDPAGES", "256:256");
		pages(a, sizeof(a), g + x, r >> 12);
		pages(b, sizeof(b), (g + x) * 11 / 10, r >> 16);
		snprintf(v, sizeof(v), "%s:%s", a, b);
		put(f, q, "PRIVVMPAGES", v);
		pages(a, sizeof(a), g, r >> 20);
		snprintf(v, sizeof(v), "%s:%s", a, a);
		put(f, q, "SHMPAGES", v);
		put(f, q, "NUMPROC", "240:240");
		if ((r >> 24) % 2 == 0) {
			snprintf(v, sizeof(v), "0:%s", unlim(r >> 28));
			put(f, q, "PHYSPAGES", v);
		}
		if ((r >> 32) % 7 == 0)
			fputs("# guarantee raised for a customer; "
			    "ticket OPS-1234\n", f);
		pages(a, sizeof(a), g, r >> 36);
		snprintf(v, sizeof(v), "%s:%s", a, unlim(r >> 40));
		put(f, q, "VMGUARPAGES", v);
		pages(a, sizeof(a), g + x, r >> 44);
		snprintf(v, sizeof(v), "%s:%s", a, unlim(r >> 48));
		put(f, q, "OOMGUARPAGES", v);
		put(f, q, "NUMTCPSOCK", "360:360");
		put(f, q, "NUMFLOCK", "188:206");
		put(f, q, "NUMPTY", "16:16");
		put(f, q, "NUMSIGINFO", "256:256");
		put(f, q, "TCPSNDBUF", "1720320:2703360");
		put(f, q, "TCPRCVBUF", "1720320:2703360");
		put(f, q, "OTHERSOCKBUF", "1126080:2097152");
		put(f, q, "DGRAMRCVBUF", "262144:262144");
		put(f, q, "NUMOTHERSOCK", "360:360");
		put(f, q, "DCACHESIZE", "3409920:3624960");
		put(f, q, "NUMFILE", "9312:9312");
		put(f, q, "AVNUMPROC", "180:180");
		put(f, q, "NUMIPTENT", "128:128");
	}
	fputs("\n# Disk quota parameters (in form of softlimit:hardlimit)\n"
	    "DISKSPACE=\"10G:11G\"\nDISKINODES=\"655360:720896\"\n"
	    "QUOTATIME=\"0\"\n\n# CPU fair scheduler parameter\n"
	    "CPUUNITS=\"1000\"\n\n", f);
	fputs("VE_ROOT=\"/vz/root/$VEID\"\nVE_PRIVATE=\"/vz/private/$VEID\"\n"
	    "OSTEMPLATE=\"debian-11.0-x86_64\"\nORIGIN_SAMPLE=\"basic\"\n",
	    f);
	if (i % 5 == 0) {
		snprintf(v, sizeof(v), "ct%lu", i);
		put(f, q, "NAME", v);
	} else if (i % 17 != 3) {
		snprintf(v, sizeof(v), "vps%lu.example.com", i);
		put(f, q, "HOSTNAME", v);
	}
	fprintf(f, "IP_ADDRESS=\"10.%lu.%lu.%lu\"\nNAMESERVER=\"192.0.2.1\"\n",
	    (i >> 16) & 255, (i >> 8) & 255, i & 255);
	if (fclose(f) == EOF)
		die("%s: %s", path, strerror(errno));
}

/* The resource lines of one container, in the kernel's layout. */
static void
ubc_block(FILE *f, const char *ctid, const uint64_t v[6][2])
{
	static const char *const other[] = {
		"kmemsize", "lockedpages", "numproc", "numtcpsock",
		"numflock", "numpty", "numsiginfo", "tcpsndbuf", "tcprcvbuf",
		"othersockbuf", "dgramrcvbuf", "numothersock", "dcachesize",
		"numfile", "dummy", "dummy", "dummy", "numiptent"
	};
	char id[300];
	size_t k;
	int i;

	snprintf(id, sizeof(id), "%s:", ctid);
	for (k = 0; k < sizeof(other) / sizeof(other[0]); k++) {
		fprintf(f, "%*s %-12s %20u %20u %20u %20u %20u\n", 10,
		    k == 0 ? id : "", other[k], 1000u + (unsigned)k,
		    2000u + (unsigned)k, 100000u, 120000u, 0u);
		if (k == 2)
			for (i = 0; i < 6; i++)
				fprintf(f, "%*s %-12s %20u %20u %20llu "
				    "%20llu %20u\n", 10, "", ubc_names[i],
				    4096u, 8192u, (unsigned long long)v[i][0],
				    (unsigned long long)v[i][1], 0u);
	}
}

static void
gen(const char *dir, unsigned long count)
{
	char path[4096], ctid[64];
	uint64_t v[6][2];
	unsigned long i;
	FILE *f;
	int k;

	snprintf(path, sizeof(path), "%s/etc/vz/conf", dir);
	mkdirs(path);
	snprintf(path, sizeof(path), "%s/proc", dir);
	mkdirs(path);

	snprintf(path, sizeof(path), "%s/proc/meminfo", dir);
	if ((f = fopen(path, "w")) == NULL)
		die("%s: %s", path, strerror(errno));
	fprintf(f, "MemTotal:       %llu kB\nMemFree:        %llu kB\n"
	    "Buffers:          214532 kB\nCached:          3181024 kB\n"
	    "SwapTotal:      %llu kB\nSwapFree:       %llu kB\n",
	    (unsigned long long)count * RAM_MB_PER_CT * 1024,
	    (unsigned long long)count * RAM_MB_PER_CT * 512,
	    (unsigned long long)count * SWAP_MB_PER_CT * 1024,
	    (unsigned long long)count * SWAP_MB_PER_CT * 1024);
	fclose(f);

	snprintf(path, sizeof(path), "%s/etc/vz/conf/0.conf", dir);
	if ((f = fopen(path, "w")) == NULL)
		die("%s: %s", path, strerror(errno));
	fputs("# the host itself\nKMEMSIZE=\"unlimited\"\n", f);
	fclose(f);
	snprintf(path, sizeof(path), "%s/etc/vz/conf/ve-basic.conf-sample",
	    dir);
	if ((f = fopen(path, "w")) == NULL)
		die("%s: %s", path, strerror(errno));
	fputs("VMGUARPAGES=\"65536:unlimited\"\n", f);
	fclose(f);

	for (i = 0; i < count; i++) {
		ctid_of(i, ctid, sizeof(ctid));
		snprintf(path, sizeof(path), "%s/etc/vz/conf/%s.conf", dir,
		    ctid);
		write_conf(path, i);
		if (i == 1) {
			snprintf(path, sizeof(path),
			    "%s/etc/vz/conf/%s.conf.bak", dir, ctid);
			write_conf(path, i);
		}
	}

	/* Live values that do not match yet: vzctl set has not run. */
	snprintf(path, sizeof(path), "%s/proc/user_beancounters", dir);
	if ((f = fopen(path, "w")) == NULL)
		die("%s: %s", path, strerror(errno));
	fprintf(f, "Version: 2.5\n       uid  resource %20s %20s %20s %20s "
	    "%20s\n", "held", "maxheld", "barrier", "limit", "failcnt");
	memset(v, 0, sizeof(v));
	for (k = 0; k < 6; k++)
		v[k][0] = v[k][1] = 65536;
	v[4][1] = 9223372036854775807ULL;
	for (i = 0; i < count; i++) {
		if (i % 3 == 2)
			continue;
		ctid_of(i, ctid, sizeof(ctid));
		ubc_block(f, ctid, (const uint64_t (*)[2])v);
	}
	/* The host's own block last, as vzmem must skip it. */
	ubc_block(f, "0", (const uint64_t (*)[2])v);
	if (fclose(f) == EOF)
		die("%s: %s", path, strerror(errno));
}

/* One side of a value in pages: a number, a fraction, a suffix. */
static int
side(const char **sp, uint64_t *v)
{
	const char *s = *sp;
	char *e;
	double d;

	if (strncmp(s, "unlimited", 9) == 0) {
		*v = 9223372036854775807ULL;
		*sp = s + 9;
		return 1;
	}
	d = strtod(s, &e);
	if (e == s)
		return 0;
	switch (*e) {
	case 'K': case 'k': d /= PAGE_KB; e++; break;
	case 'M': case 'm': d *= 1024 / PAGE_KB; e++; break;
	case 'G': case 'g': d *= 1024.0 * 1024 / PAGE_KB; e++; break;
	case 'T': case 't': d *= 1024.0 * 1024 * 1024 / PAGE_KB; e++; break;
	case 'P': case 'p': e++; break;
	case 'B': case 'b': d /= PAGE_KB * 1024; e++; break;
	}
	*v = d >= 9.2e18 ? 9223372036854775807ULL : (uint64_t)d;
	*sp = e;
	return 1;
}

/*
 * The value of name in a conf (its last assignment), "B[:L]" in any
 * spelling vzctl takes, as pages.  Returns 0 when absent or unreadable.
 */
static int
conf_val(const char *text, const char *name, uint64_t v[2])
{
	size_t n = strlen(name);
	const char *p, *best = NULL;

	for (p = text; (p = strstr(p, name)) != NULL; p += n)
		if ((p == text || p[-1] == '\n') && p[n] == '=')
			best = p + n + 1;
	if (best == NULL)
		return 0;
	if (*best == '"')
		best++;
	if (!side(&best, &v[0]))
		return 0;
	if (*best != ':') {
		v[1] = v[0];
		return 1;
	}
	best++;
	return side(&best, &v[1]);
}

/* Live values = conf values, for the containers listed as running. */
static void
regen_ubc(const char *dir)
{
	char path[4096], tmp[4200], *line = NULL, *text;
	size_t cap = 0, len;
	uint64_t v[6][2];
	FILE *in, *out, *cf;
	int k;

	snprintf(path, sizeof(path), "%s/proc/user_beancounters", dir);
	snprintf(tmp, sizeof(tmp), "%s.new", path);
	if ((in = fopen(path, "r")) == NULL)
		die("%s: %s", path, strerror(errno));
	if ((out = fopen(tmp, "w")) == NULL)
		die("%s: %s", tmp, strerror(errno));
	text = malloc(1 << 20);
	while (getline(&line, &cap, in) != -1) {
		char id[300];

		if (sscanf(line, " %299[^: ]:", id) != 1 ||
		    strchr(line, ':') == NULL ||
		    strncmp(line, "Version:", 8) == 0)
			continue;
		memset(v, 0, sizeof(v));
		snprintf(path, sizeof(path), "%s/etc/vz/conf/%s.conf", dir, id);
		text[0] = '\0';
		if (strcmp(id, "0") != 0 &&
		    (cf = fopen(path, "r")) != NULL) {
			len = fread(text, 1, (1 << 20) - 1, cf);
			text[len] = '\0';
			fclose(cf);
		}
		for (k = 0; k < 6; k++)
			if (!conf_val(text, conf_names[k], v[k]))
				v[k][0] = v[k][1] = 1;
		ubc_block(out, id, (const uint64_t (*)[2])v);
	}
	free(line);
	free(text);
	fclose(in);
	if (fclose(out) == EOF)
		die("%s: %s", tmp, strerror(errno));
	snprintf(path, sizeof(path), "%s/proc/user_beancounters", dir);
	if (rename(tmp, path) == -1)
		die("%s: %s", path, strerror(errno));
}

int
main(int argc, char *argv[])
{
	char *end;
	unsigned long n;

	if (argc == 3 && strcmp(argv[1], "-u") == 0) {
		regen_ubc(argv[2]);
		return 0;
	}
	if (argc != 3)
		die("usage: genhost DIR COUNT | genhost -u DIR");
	n = strtoul(argv[2], &end, 10);
	if (*end != '\0' || n == 0 || n > 10000000)
		die("bad count '%s'", argv[2]);
	gen(argv[1], n);
	return 0;
}

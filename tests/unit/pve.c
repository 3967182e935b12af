/*
 * Unit tests of the Proxmox conf editor and the mapping functions
 * (src/pve/pveconf.c, pvemap.c): sections as qm and pct read them, the
 * last line of a key wins, edits of the main section only, where a
 * missing key goes, property strings, pct's memory.high.
 */
#include <string.h>

#include "pve/pveconf.h"
#include "pve/pvemap.h"
#include "unit.h"

/* conf text with key set to value: the rendered text equals want. */
static int
set_gives(enum pve_dialect d, const char *text, const char *key,
    const char *value, const char *want)
{
	struct pve_conf c;
	struct buf b = { NULL, 0, 0 };
	int ok;

	pveconf_parse(&c, d, text, strlen(text));
	pveconf_set(&c, key, value);
	pveconf_render(&c, &b);
	ok = c.err_line == 0 && b.len == strlen(want) &&
	    memcmp(b.data, want, b.len) == 0;
	if (!ok)
		printf("# got:\n%s# want:\n%s", b.data != NULL ? b.data : "",
		    want);
	buf_free(&b);
	pveconf_free(&c);
	return ok;
}

static size_t
err_line(enum pve_dialect d, const char *text)
{
	struct pve_conf c;
	size_t n;

	pveconf_parse(&c, d, text, strlen(text));
	n = c.err_line;
	pveconf_free(&c);
	return n;
}

static void
sections(void)
{
	static const char vm[] = "#descr\nmemory: 1024\nballoon: 512\n"
	    "memory: 4096  \n\n[PENDING]\nmemory: 8192\ndelete: balloon,"
	    "!shares\n\n[special:cloudinit]\nname: x\n[snap]\nmemory: 2\n";
	struct pve_conf c;
	const char *v;
	size_t len, line = 0;

	pveconf_parse(&c, PVE_QM, vm, strlen(vm));
	CHECK("vm: no error", c.err_line == 0);
	v = pveconf_get(&c, "memory", &len, &line);
	CHECK("vm: the last memory: of the main section, blanks trimmed",
	    v != NULL && len == 4 && memcmp(v, "4096", 4) == 0 && line == 4);
	v = pveconf_pending(&c, "memory", &len, &line);
	CHECK("vm: [PENDING] memory:", v != NULL && len == 4 &&
	    memcmp(v, "8192", 4) == 0 && line == 7);
	CHECK("vm: [PENDING] delete: balloon", pveconf_pending_delete(&c,
	    "balloon") == 8);
	CHECK("vm: [PENDING] delete: !shares (forced)",
	    pveconf_pending_delete(&c, "shares") == 8);
	CHECK("vm: not deleted", pveconf_pending_delete(&c, "memory") == 0);
	CHECK("vm: sections from line 6", pveconf_sections_line(&c) == 6);
	CHECK("vm: a snapshot's key is not the main one",
	    pveconf_get(&c, "name", &len, NULL) == NULL);
	pveconf_free(&c);
	CHECK("ct: [pve:pending] is the pending section", err_line(PVE_CT,
	    "memory: 1\n[pve:pending]\ndelete: swap\n") == 0);
	CHECK("ct: [PENDING] is no CT section", err_line(PVE_CT,
	    "memory: 1\n[x:y]\n") == 2);
	CHECK("vm: delete: in the main section", err_line(PVE_QM,
	    "delete: memory\n") == 1);
	CHECK("vm: a key with a '-' (VM only)", err_line(PVE_QM,
	    "allow-ksm: 1\n") == 0 && err_line(PVE_CT, "allow-ksm: 1\n") == 1);
	CHECK("truncated", err_line(PVE_QM, "memory: 1\nname") == 2);
	CHECK("empty", err_line(PVE_CT, "") == 1);
	CHECK("a key with no value", err_line(PVE_QM, "memory:   \n") == 1);
	CHECK("CRLF and blank lines", err_line(PVE_QM,
	    "memory: 1\r\n \t\n") == 0);
}

static void
edits(void)
{
	CHECK("replace keeps the key, the blanks and the rest",
	    set_gives(PVE_QM, "memory:  4096 \nname: a\n", "memory",
	    "current=8192", "memory:  current=8192 \nname: a\n"));
	CHECK("the last line of the key is the one replaced",
	    set_gives(PVE_QM, "memory: 1\nmemory: 2\n", "memory", "3",
	    "memory: 1\nmemory: 3\n"));
	CHECK("a missing key among the sorted ones",
	    set_gives(PVE_QM, "#d\nboot: x\nmemory: 1\n\n[PENDING]\n"
	    "balloon: 7\n", "balloon", "2", "#d\nballoon: 2\nboot: x\n"
	    "memory: 1\n\n[PENDING]\nballoon: 7\n"));
	CHECK("a key that sorts last, before the blank line",
	    set_gives(PVE_QM, "memory: 1\n\n[snap]\nmemory: 1\n", "shares",
	    "0", "memory: 1\nshares: 0\n\n[snap]\nmemory: 1\n"));
	CHECK("a raw lxc. line after the last line of the main section",
	    set_gives(PVE_CT, "memory: 1\nswap: 0\nlxc.a: b\n\n[tt]\n",
	    "lxc.cgroup2.memory.low", "5", "memory: 1\nswap: 0\nlxc.a: b\n"
	    "lxc.cgroup2.memory.low: 5\n\n[tt]\n"));
	CHECK("a raw lxc. line with '=' keeps it",
	    set_gives(PVE_CT, "lxc.cgroup2.memory.low = 1\n",
	    "lxc.cgroup2.memory.low", "2", "lxc.cgroup2.memory.low = 2\n"));
	CHECK("no key yet: after the description",
	    set_gives(PVE_CT, "#a\n#b\n", "memory", "16",
	    "#a\n#b\nmemory: 16\n"));
}

static void
values(void)
{
	enum pve_memform f;
	const char *why;
	uint64_t v;
	struct buf b = { NULL, 0, 0 };

	CHECK("memory: 4096", pve_memory_parse("4096", 4, &v, &f, &why) == 0 &&
	    v == 4096 && f == PVE_MEM_PLAIN);
	CHECK("memory: current=4096", pve_memory_parse("current=4096", 12, &v,
	    &f, &why) == 0 && v == 4096 && f == PVE_MEM_CURRENT);
	CHECK("memory: ,current=64, (blank parts)", pve_memory_parse(
	    ",current=64,", 12, &v, &f, &why) == 0 && v == 64);
	CHECK("memory: 15 is below 16", pve_memory_parse("15", 2, &v, &f,
	    &why) == -1);
	CHECK("memory: 4G", pve_memory_parse("4G", 2, &v, &f, &why) == -1);
	CHECK("memory: two values", pve_memory_parse("current=1024,2048", 17,
	    &v, &f, &why) == -1);
	CHECK("memory: max=", pve_memory_parse("max=1024", 8, &v, &f,
	    &why) == -1);
	pve_memory_format(&b, PVE_MEM_CURRENT, 10240);
	CHECK("written as found", strcmp(b.data, "current=10240") == 0);
	buf_free(&b);
	CHECK("+5 is an integer", pve_int_parse("+5", 2, 0, 9, &v, &why) == 0 &&
	    v == 5);
	CHECK("-1 is below 0", pve_int_parse("-1", 2, 0, 9, &v, &why) == -1);
	CHECK("pct's memory.high below 16 GiB: 1016/1024",
	    pve_ct_high(4096) == 4096ULL * 1024 * 1016);
	CHECK("pct's memory.high from 16 GiB: 128 MiB less",
	    pve_ct_high(16384) == 16256ULL * 1024 * 1024);
	CHECK("MiB rounded down", pve_mib(257, 4096) == 1);
}

int
main(void)
{
	sections();
	edits();
	values();
	return unit_result();
}

/*
 * main.c -- vzmem: options, dispatch to one command, exit status.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/fatal.h"
#include "util.h"
#include "vzmem.h"

enum cmd { C_NONE, C_INIT, C_APPLY, C_EDIT, C_CHECK, C_STATUS };

enum {
	O_JSON = 256, O_WAIT, O_GAP, O_VZCTL, O_ROOT, O_MAP, O_CONFDIR,
	O_OPENVZ,
	O_TIMEOUT,
	O_LXCPATH, O_GUARANTEE
};

static const char usage_line[] =
    "usage: vzmem -i [N] | -a [-n] | -e [-a] | -c [--json] | -s [--json] "
    "[options]\n";

static const char help_text[] =
    "Distribute a host's RAM among its guests (OpenVZ and LXC containers,\n"
    "cgroups, Proxmox VE VMs and containers) through MEM-MAP.\n"
    "\n"
    "Commands:\n"
    "  -i, --init [N]      build MEM-MAP from the guests' settings, RAM cut\n"
    "                      into N blocks (default: the old map's N, else 200)\n"
    "  -a, --apply         apply MEM-MAP: rewrite the confs and LXC configs,\n"
    "                      run vzctl set, write the cgroups' memory files\n"
    "  -e, --edit          edit MEM-MAP safely; with -a, apply a good edit\n"
    "  -c, --check         check MEM-MAP, the confs and what -a would change;\n"
    "                      oversell summary; change nothing\n"
    "  -s, --status        the map with live use (beancounters, cgroups);\n"
    "                      oversell summary, KSM\n"
    "Options:\n"
    "  -n, --dry-run       show what -a or -i would do; change nothing\n"
    "      --json          machine-readable output of -c and -s\n"
    "      --wait          wait for the lock instead of failing\n"
    "  -j, --jobs N        run up to N vzctl at once (default: the number\n"
    "                      of CPUs, at most 8)\n"
    "      --timeout SECONDS\n"
    "                      stop a vzctl that runs longer: SIGTERM, SIGKILL\n"
    "                      5 s later, to its process group (default 300;\n"
    "                      0: no limit); vzctl --version gets 10 s at most\n"
    "      --gap PERCENT   PRIVVMPAGES limit over its barrier (default 10)\n"
    "      --vzctl PATH    the vzctl to run (default: vzctl on PATH; none\n"
    "                      under --root unless this names one)\n"
    "      --openvz 4|7    the OpenVZ version (default: vzctl --version)\n"
    "      --root DIR      prefix every system path with DIR\n"
    "      --map FILE      the map (default: CONFDIR/MEM-MAP, without OpenVZ\n"
    "                      /etc/vzmem/MEM-MAP)\n"
    "      --conf-dir DIR  the container confs (default: /etc/vz/conf)\n"
    "      --lxcpath DIR   the LXC containers (default: /var/lib/lxc)\n"
    "      --guarantee low|min\n"
    "                      cgroup v2 file of the '=' blocks (default: low)\n"
    "  -q, --quiet         print errors only\n"
    "  -v, --verbose       print more detail\n"
    "  -h, --help          print this help\n"
    "  -V, --version       print the version\n"
    "\n"
    "Exit status: 0 success, 1 a failure while working, 2 invalid input.\n"
    "See vzmem(8) and MEM-MAP(5).\n";

static const struct option longopts[] = {
	{ "init",	no_argument,		NULL, 'i' },
	{ "apply",	no_argument,		NULL, 'a' },
	{ "edit",	no_argument,		NULL, 'e' },
	{ "check",	no_argument,		NULL, 'c' },
	{ "status",	no_argument,		NULL, 's' },
	{ "dry-run",	no_argument,		NULL, 'n' },
	{ "jobs",	required_argument,	NULL, 'j' },
	{ "quiet",	no_argument,		NULL, 'q' },
	{ "verbose",	no_argument,		NULL, 'v' },
	{ "help",	no_argument,		NULL, 'h' },
	{ "version",	no_argument,		NULL, 'V' },
	{ "json",	no_argument,		NULL, O_JSON },
	{ "wait",	no_argument,		NULL, O_WAIT },
	{ "gap",	required_argument,	NULL, O_GAP },
	{ "vzctl",	required_argument,	NULL, O_VZCTL },
	{ "root",	required_argument,	NULL, O_ROOT },
	{ "map",	required_argument,	NULL, O_MAP },
	{ "conf-dir",	required_argument,	NULL, O_CONFDIR },
	{ "openvz",	required_argument,	NULL, O_OPENVZ },
	{ "timeout",	required_argument,	NULL, O_TIMEOUT },
	{ "lxcpath",	required_argument,	NULL, O_LXCPATH },
	{ "guarantee",	required_argument,	NULL, O_GUARANTEE },
	{ NULL,		0,			NULL, 0 }
};

static int	 usage(const char *, const char *);
static int	 number(const char *, const char *, uint64_t, uint64_t,
		    uint64_t *);
static int	 set_cmd(enum cmd *, enum cmd, int *);
static int	 flush_stdout(void);

/* A command-line error: the message, the usage line, exit 2. */
static int
usage(const char *fmt, const char *arg)
{
	vz_err(NULL, 0, 0, fmt, arg);
	fputs(usage_line, stderr);
	fputs("Try 'vzmem --help' for more.\n", stderr);
	return VZ_INVALID;
}

static int
number(const char *what, const char *s, uint64_t min, uint64_t max,
    uint64_t *out)
{
	if (parse_u64(s, strlen(s), max, out) == -1 || *out < min) {
		vz_err(NULL, 0, 0, "bad %s '%s': a whole number from %llu "
		    "to %llu", what, s, (unsigned long long)min,
		    (unsigned long long)max);
		fputs(usage_line, stderr);
		return -1;
	}
	return 0;
}

static int
set_cmd(enum cmd *cmd, enum cmd c, int *apply_too)
{
	/* -e -a: edit, then apply. */
	if ((*cmd == C_EDIT && c == C_APPLY) ||
	    (*cmd == C_APPLY && c == C_EDIT)) {
		*cmd = C_EDIT;
		*apply_too = 1;
		return 0;
	}
	if (*cmd != C_NONE && *cmd != c)
		return -1;
	*cmd = c;
	return 0;
}

static int
flush_stdout(void)
{
	if (fflush(stdout) == EOF || ferror(stdout)) {
		vz_syserr("stdout", "cannot write");
		return VZ_FAIL;
	}
	return VZ_OK;
}

int
main(int argc, char *argv[])
{
	struct opts o;
	enum cmd cmd = C_NONE;
	uint64_t v;
	int ch, r;

	memset(&o, 0, sizeof(o));
	o.gap = 10;
	o.timeout = 300;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":iaecsnj:qvhV", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'i':
		case 'a':
		case 'e':
		case 'c':
		case 's':
			if (set_cmd(&cmd, ch == 'i' ? C_INIT : ch == 'a' ?
			    C_APPLY : ch == 'e' ? C_EDIT : ch == 'c' ? C_CHECK :
			    C_STATUS, &o.apply) == -1)
				return usage("%s", "give one command: -i, -a, "
				    "-e (with -a), -c or -s");
			break;
		case 'n':
			o.dry_run = 1;
			break;
		case 'j':
			if (number("number of jobs", optarg, 1, 64, &v) == -1)
				return VZ_INVALID;
			o.jobs = (unsigned)v;
			break;
		case 'q':
			verbosity = -1;
			break;
		case 'v':
			if (verbosity >= 0)
				verbosity++;
			break;
		case 'h':
			fputs(usage_line, stdout);
			fputs(help_text, stdout);
			return flush_stdout();
		case 'V':
			printf("vzmem %s\n", VZMEM_VERSION);
			return flush_stdout();
		case O_JSON:
			o.json = 1;
			break;
		case O_WAIT:
			o.wait = 1;
			break;
		case O_GAP:
			if (number("gap", optarg, 0, 1000, &v) == -1)
				return VZ_INVALID;
			o.gap = (unsigned)v;
			break;
		case O_TIMEOUT:
			if (number("timeout", optarg, 0, 86400, &v) == -1)
				return VZ_INVALID;
			o.timeout = (unsigned)v;
			break;
		case O_VZCTL:
			/* Not "the one on PATH": a program named by
			 * nothing is never run. */
			if (optarg[0] == '\0')
				return usage("%s", "--vzctl needs a program, "
				    "not ''");
			o.vzctl = optarg;
			break;
		case O_OPENVZ:
			if (strcmp(optarg, "4") != 0 && strcmp(optarg, "7") != 0)
				return usage("bad OpenVZ version '%s': 4 or 7",
				    optarg);
			o.openvz = optarg[0] == '4' ? 4 : 7;
			break;
		case O_ROOT:
		case O_MAP:
		case O_CONFDIR:
			/*
			 * An empty path is never meant: "--root $ROOT" with
			 * ROOT unset would otherwise work on the real host.
			 */
			if (optarg[0] == '\0')
				return usage("option '%s' needs a path, not "
				    "an empty word", ch == O_ROOT ? "--root" :
				    ch == O_MAP ? "--map" : "--conf-dir");
			if (ch == O_ROOT)
				o.root = optarg;
			else if (ch == O_MAP)
				o.map = optarg;
			else
				o.confdir = optarg;
			break;
		case O_LXCPATH:
			if (optarg[0] == '\0')
				return usage("%s", "--lxcpath needs a "
				    "directory, not ''");
			o.lxcpath = optarg;
			break;
		case O_GUARANTEE:
			if (strcmp(optarg, "low") == 0)
				o.guarantee_min = 0;
			else if (strcmp(optarg, "min") == 0)
				o.guarantee_min = 1;
			else
				return usage("--guarantee takes low or min, "
				    "not '%s'", optarg);
			break;
		case ':':
			return usage("option '%s' needs a value",
			    argv[optind - 1]);
		default:
			if (optopt != 0 && optopt < 256) {
				char opt[3] = { '-', (char)optopt, '\0' };

				return usage("unknown option '%s'", opt);
			}
			return usage("unknown option '%s'", argv[optind - 1]);
		}
	}
	argc -= optind;
	argv += optind;
	if (cmd == C_NONE)
		return usage("%s", "no command: give -i, -a, -e, -c or -s");
	if (cmd == C_INIT && argc >= 1) {
		/* The real maximum is the RAM in pages: -i checks it once it
		 * has read /proc/meminfo; here only what no host allows. */
		if (parse_u64(argv[0], strlen(argv[0]), INT64_MAX,
		    &o.blocks) == -1 || o.blocks < 1) {
			vz_err(NULL, 0, 0, "bad number of blocks '%s': a "
			    "whole number from 1 to MemTotal / page size (the "
			    "RAM in pages)", argv[0]);
			fputs(usage_line, stderr);
			return VZ_INVALID;
		}
		argc--;
		argv++;
	}
	if (argc > 0)
		return usage("unexpected argument '%s'", argv[0]);
	if (o.dry_run && cmd != C_APPLY && cmd != C_INIT)
		return usage("%s", "-n goes with -a or -i");
	if (o.json && cmd != C_CHECK && cmd != C_STATUS)
		return usage("%s", "--json goes with -c or -s");

	o.strict = cmd == C_INIT;
	/* Before any child or temp file: a signal then ends every child's
	 * group, removes the temps and frees the lock (SPEC 5b). */
	if (fatal_catch() == -1) {
		vz_syserr(NULL, "cannot catch signals");
		return VZ_FAIL;
	}
	switch (cmd) {
	case C_INIT:
		r = cmd_init(&o);
		break;
	case C_APPLY:
		r = cmd_apply(&o);
		break;
	case C_EDIT:
		r = cmd_edit(&o);
		break;
	case C_CHECK:
		r = cmd_check(&o);
		break;
	default:
		r = cmd_status(&o);
		break;
	}
	if (flush_stdout() != VZ_OK && r == VZ_OK)
		r = VZ_FAIL;
	return r;
}

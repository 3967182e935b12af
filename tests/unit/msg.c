/*
 * Unit tests of the reporter (lib/msg.c): the prefix and level of every
 * kind of message, what -q silences, what the tap receives, and
 * screen_str() on controls and UTF-8.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/buf.h"
#include "lib/msg.h"
#include "unit.h"


static int	 screens(const char *, size_t, const char *);
static void	 on_finding(void *, const struct finding *);
static void	 test_screen(void);
static void	 test_prefix(void);
static void	 test_quiet_and_tap(void);
static void	 test_record(void);

/* The last finding the tap received, its strings copied. */
static struct {
	int		 n;
	enum vz_level	 level;
	char		 file[64], guest[16], param[16], msg[128];
	size_t		 line, col;
} got;

/* Collect what goes to fd 2 until err_end(). */
/* screen_strn of in[0..n) gives want exactly. */
static int
screens(const char *in, size_t n, const char *want)
{
	struct buf b = { NULL, 0, 0 };
	int ok;

	screen_strn(&b, in, n);
	ok = b.data != NULL && strcmp(b.data, want) == 0;
	if (!ok)
		printf("  got '%s', wanted '%s'\n", b.data ? b.data : "(null)",
		    want);
	buf_free(&b);
	return ok;
}

static void
test_screen(void)
{
	struct buf b = { NULL, 0, 0 };

#define S(name, in, want)	CHECK(name, screens(in, sizeof(in) - 1, want))
	S("screen: plain ASCII as it is", "101.conf web-1", "101.conf web-1");
	S("screen: empty", "", "");
	S("screen: C0 controls as ?", "a\001b\033[31mc\rd", "a?b?[31mc?d");
	S("screen: tab and newline as ?", "a\tb\nc", "a?b?c");
	S("screen: DEL as ?", "a\177b", "a?b");
	S("screen: NUL among n bytes as ?", "a\0b", "a?b");
	S("screen: C1 as UTF-8 (U+009B CSI) as ?", "a\302\233[2Jb",
	    "a?[2Jb");
	S("screen: C1 U+0080 and U+009F as ?", "\302\200\302\237", "??");
	S("screen: U+00A0 is no control", "\302\240", "\302\240");
	S("screen: lone 0x9b as \\x9b", "a\233[2J", "a\\x9b[2J");
	S("screen: Latin-1 e-acute as \\xe9", "caf\351", "caf\\xe9");
	S("screen: 0xff 0xfe", "\377\376", "\\xff\\xfe");
	S("screen: valid UTF-8 as it is (e-acute, nihon)",
	    "caf\303\251 \346\227\245\346\234\254",
	    "caf\303\251 \346\227\245\346\234\254");
	S("screen: 4-byte UTF-8 as it is", "\360\237\230\200",
	    "\360\237\230\200");
	S("screen: truncated sequence", "a\346\227", "a\\xe6\\x97");
	S("screen: overlong '/'", "\300\257", "\\xc0\\xaf");
	S("screen: overlong 3 bytes", "\340\200\257", "\\xe0\\x80\\xaf");
	S("screen: surrogate", "\355\240\200", "\\xed\\xa0\\x80");
	S("screen: above U+10FFFF", "\364\220\200\200",
	    "\\xf4\\x90\\x80\\x80");
	S("screen: stray continuation, then valid", "\251\303\251",
	    "\\xa9\303\251");
	S("screen: bidi overrides U+202A..U+202E as ?",
	    "a\342\200\252\342\200\256b", "a??b");
	S("screen: bidi isolates U+2066..U+2069 as ?",
	    "\342\201\246x\342\201\251", "?x?");
	S("screen: U+2029 and U+206A are shown",
	    "\342\200\251\342\201\252", "\342\200\251\342\201\252");
#undef S
	CHECK("screen_cols: one a code point",
	    screen_cols("caf\303\251 \346\227\245", 9) == 6);
	CHECK("screen_cols: \\xff is four", screen_cols("\\xff", 4) == 4);
	screen_str(&b, "x\033y");
	CHECK("screen_str: to the NUL", b.len == 3 &&
	    strcmp(b.data, "x?y") == 0);
	buf_free(&b);
}

static void
test_prefix(void)
{
	char *e;

	err_begin();
	vz_err("MEM-MAP", 3, 7, "'=' after '+'");
	e = err_end();
	CHECK("error with file:line:col", strcmp(e,
	    "vzmem: MEM-MAP:3:7: error: '=' after '+'\n") == 0);
	free(e);

	err_begin();
	vz_warn("101.conf", 4, 0, "odd %s", "value");
	e = err_end();
	CHECK("warning with file:line", strcmp(e,
	    "vzmem: 101.conf:4: warning: odd value\n") == 0);
	free(e);

	err_begin();
	vz_err("MEM-MAP", 0, 5, "no number");
	e = err_end();
	CHECK("a column without a line is left out", strcmp(e,
	    "vzmem: MEM-MAP: error: no number\n") == 0);
	free(e);

	err_begin();
	vz_err(NULL, 0, 0, "%s: vzctl failed (exit status %d)", "102", 3);
	e = err_end();
	CHECK("error without file", strcmp(e,
	    "vzmem: error: 102: vzctl failed (exit status 3)\n") == 0);
	free(e);

	err_begin();
	errno = ENOENT;
	vz_syserr("/x/meminfo", "cannot read");
	CHECK("vz_syserr keeps errno", errno == ENOENT);
	vz_syserr(NULL, "pipe");
	e = err_end();
	CHECK("vz_syserr: an error, strerror appended", strcmp(e,
	    "vzmem: /x/meminfo: error: cannot read: No such file or "
	    "directory\nvzmem: error: pipe: No such file or directory\n") ==
	    0);
	free(e);

	err_begin();
	vz_info("%zu confs rewritten", (size_t)3);
	e = err_end();
	CHECK("info: no level", strcmp(e,
	    "vzmem: 3 confs rewritten\n") == 0);
	free(e);

	err_begin();
	vz_report(&(struct where){ .file = "a\033]0;x\007.conf", .line = 2,
	    .guest = "101" }, VZ_LERROR, "name '%s'", "w\302\233eb\t\377");
	e = err_end();
	CHECK("file and message screened", strcmp(e,
	    "vzmem: a?]0;x?.conf:2: error: name 'w?eb?\\xff'\n") == 0);
	free(e);

	err_begin();
	vz_report(NULL, VZ_LWARN, "no where");
	e = err_end();
	CHECK("vz_report with no where", strcmp(e,
	    "vzmem: warning: no where\n") == 0);
	free(e);
}

static void
on_finding(void *arg, const struct finding *f)
{
	(void)arg;
	got.n++;
	got.level = f->level;
	snprintf(got.file, sizeof(got.file), "%s", f->file ? f->file : "-");
	snprintf(got.guest, sizeof(got.guest), "%s",
	    f->guest ? f->guest : "-");
	snprintf(got.param, sizeof(got.param), "%s",
	    f->param ? f->param : "-");
	snprintf(got.msg, sizeof(got.msg), "%s", f->msg);
	got.line = f->line;
	got.col = f->col;
}

static void
test_quiet_and_tap(void)
{
	char *e;

	vz_tap(on_finding, NULL);
	verbosity = -1;
	err_begin();
	vz_warn("ubc", 5, 0, "too few numbers");
	vz_info("a note");
	e = err_end();
	CHECK("-q: warnings and info not printed", e[0] == '\0');
	free(e);
	CHECK("-q: the tap still gets the warning", got.n == 1 &&
	    got.level == VZ_LWARN && strcmp(got.file, "ubc") == 0 &&
	    got.line == 5 && strcmp(got.msg, "too few numbers") == 0);

	err_begin();
	vz_err("MEM-MAP", 2, 1, "bad CTID");
	e = err_end();
	CHECK("-q: errors printed", strcmp(e,
	    "vzmem: MEM-MAP:2:1: error: bad CTID\n") == 0);
	free(e);
	CHECK("tap: the error", got.n == 2 && got.level == VZ_LERROR &&
	    got.col == 1 && strcmp(got.msg, "bad CTID") == 0);
	verbosity = 0;

	err_begin();
	vz_report(&(struct where){ "101.conf", 7, 0, "101", "PRIVVMPAGES" },
	    VZ_LERROR, "barrier > limit \033");
	errno = EACCES;
	vz_syserr("f", "cannot write");
	vz_info("not a finding");
	e = err_end();
	free(e);
	CHECK("tap: vz_report and vz_syserr recorded, vz_info not",
	    got.n == 4);
	CHECK("tap: vz_syserr is an error record with strerror",
	    got.level == VZ_LERROR && strcmp(got.file, "f") == 0 &&
	    strcmp(got.msg, "cannot write: Permission denied") == 0 &&
	    strcmp(got.guest, "-") == 0);
	vz_tap(NULL, NULL);
}

/* The record of vz_report() with guest and param, alone. */
static void
test_record(void)
{
	char *e;

	got.n = 0;
	vz_tap(on_finding, NULL);
	err_begin();
	vz_report(&(struct where){ "101.conf", 7, 0, "101", "PRIVVMPAGES" },
	    VZ_LERROR, "barrier > limit \033");
	e = err_end();
	CHECK("record: printed screened", strcmp(e,
	    "vzmem: 101.conf:7: error: barrier > limit ?\n") == 0);
	free(e);
	CHECK("record: every field", got.n == 1 &&
	    got.level == VZ_LERROR && strcmp(got.file, "101.conf") == 0 &&
	    got.line == 7 && got.col == 0 && strcmp(got.guest, "101") == 0 &&
	    strcmp(got.param, "PRIVVMPAGES") == 0 &&
	    strcmp(got.msg, "barrier > limit \033") == 0);
	vz_tap(NULL, NULL);
}

int
main(void)
{
	test_screen();
	test_prefix();
	test_quiet_and_tap();
	test_record();
	return unit_result();
}

/*
 * conf.c -- unit tests of the conf reader and writer: vzctl's syntax,
 * values and their errors, byte-exact rendering, setting values.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "unit.h"
#include "openvz/conf.h"

#define PG	4096

static int	 get_is(const struct conf *, const char *, const char *);
static int	 render_is(const struct conf *, const char *, size_t);
static int	 identity(const char *, size_t);
static void	 test_syntax(void);
static void	 test_quotes(void);
static void	 test_values(void);
static void	 test_errors(void);
static void	 test_identity(void);
static void	 test_set(void);
static void	 test_append(void);
static void	 test_load(void);
static void	 test_lean(void);


/* name's value is exactly want (NULL: absent). */
static int
get_is(const struct conf *c, const char *name, const char *want)
{
	const char *v;
	size_t len;

	v = conf_get(c, name, &len);
	if (v == NULL || want == NULL)
		return v == NULL && want == NULL;
	if (len != strlen(want) || memcmp(v, want, len) != 0) {
		printf("# %s: got '%.*s', want '%s'\n", name, (int)len, v,
		    want);
		return 0;
	}
	return 1;
}

static int
render_is(const struct conf *c, const char *want, size_t len)
{
	struct buf b = { NULL, 0, 0 };
	int ok;

	conf_render(c, &b);
	ok = b.data != NULL && b.len == len && memcmp(b.data, want, len) == 0;
	if (!ok)
		printf("# rendered '%.*s'\n", (int)b.len, b.data);
	buf_free(&b);
	return ok;
}

/* Parsed and rendered again without a change, text comes out as is. */
static int
identity(const char *text, size_t len)
{
	struct conf c;
	int ok;

	conf_parse(&c, text, len, "t.conf");
	ok = render_is(&c, text, len) && !c.dirty;
	conf_free(&c);
	return ok;
}

static void
test_syntax(void)
{
	static const char t[] =
	    "# comment A=9\n"
	    "   #B=9\n"
	    "A=1\n"
	    "  B=2  \t\n"
	    "NAME = 1\n"
	    "no assignment here\n"
	    "=7\n"
	    "\n"
	    "C=1 # c\n"
	    "\tD=x y\n"
	    "E=\n"
	    "F=a=b\n";
	struct conf c;

	conf_parse(&c, t, sizeof(t) - 1, "101.conf");
	CHECK("conf: line count", c.nlines == 12);
	CHECK("conf: comment is no assignment", c.lines[0].name_len == 0);
	CHECK("conf: indented comment", c.lines[1].name_len == 0);
	CHECK("conf: bare value", get_is(&c, "A", "1"));
	CHECK("conf: blanks around line ignored", get_is(&c, "B", "2"));
	CHECK("conf: 'NAME = 1' is not NAME", get_is(&c, "NAME", NULL));
	CHECK("conf: 'NAME = 1' names 'NAME '", get_is(&c, "NAME ", " 1"));
	CHECK("conf: line without '='", c.lines[5].name_len == 0);
	CHECK("conf: empty name", c.lines[6].name_len == 0 &&
	    conf_find(&c, "") == -1);
	CHECK("conf: blank line", c.lines[7].name_len == 0);
	CHECK("conf: comment after value is value", get_is(&c, "C", "1 # c"));
	CHECK("conf: blank inside bare value", get_is(&c, "D", "x y"));
	CHECK("conf: empty bare value", get_is(&c, "E", ""));
	CHECK("conf: value up to end after first '='",
	    get_is(&c, "F", "a=b"));
	CHECK("conf: absent", get_is(&c, "G", NULL) &&
	    conf_find(&c, "G") == -1);
	CHECK("conf: find gives line index", conf_find(&c, "A") == 2);
	CHECK("conf: names are case-sensitive", get_is(&c, "a", NULL));
	CHECK("conf: offsets are into text", c.lines[2].name_off == 22 &&
	    c.lines[2].name_len == 1 && c.lines[2].val_off == 24 &&
	    c.lines[2].val_len == 1 && !c.lines[2].quoted);
	CHECK("conf: not dirty", !c.dirty && c.nadded == 0);
	conf_free(&c);
}

static void
test_quotes(void)
{
	static const char t[] =
	    "A=\"1:2\"\n"
	    "B=\"\"\n"
	    "C=\"a\"b\"\n"
	    "D=\"1:2\" # c\n"
	    "E=\"1:2\n"
	    "F='1:2'\n"
	    "G=\"  x  \"  \n"
	    "H=\"\n"
	    "I=x\"y\"\n";
	struct conf c;

	conf_parse(&c, t, sizeof(t) - 1, "101.conf");
	CHECK("conf: quoted", get_is(&c, "A", "1:2") && c.lines[0].quoted);
	CHECK("conf: empty quoted", get_is(&c, "B", "") && c.lines[1].quoted);
	CHECK("conf: value ends at last quote", get_is(&c, "C", "a\"b"));
	CHECK("conf: text after closing quote", get_is(&c, "D", "1:2"));
	CHECK("conf: unterminated quote kept in value",
	    get_is(&c, "E", "\"1:2") && !c.lines[4].quoted);
	CHECK("conf: single quotes are no quotes",
	    get_is(&c, "F", "'1:2'") && !c.lines[5].quoted);
	CHECK("conf: blanks inside quotes kept", get_is(&c, "G", "  x  "));
	CHECK("conf: lone quote", get_is(&c, "H", "\"") &&
	    !c.lines[7].quoted);
	CHECK("conf: quote not first is no quote", get_is(&c, "I", "x\"y\""));
	conf_free(&c);
}

static void
test_values(void)
{
	static const char t[] =
	    "PHYSPAGES=\"0:262144\"\n"
	    "SWAPPAGES=0:1G\n"
	    "HOSTNAME=\"vps1.example.com\"\n"
	    "NAME=\"\"\n"
	    "PRIVVMPAGES=1:1\n"
	    "PRIVVMPAGES=\"2:3\"\r\n"
	    "OOMGUARPAGES=\"unlimited\"\r\n";
	struct conf c;
	struct value v;
	char *s;

	conf_parse(&c, t, sizeof(t) - 1, "101.conf");
	CHECK("conf: value quoted", conf_value(&c, "PHYSPAGES", PG, &v) == 1 &&
	    v.barrier == 0 && v.limit == 262144);
	CHECK("conf: value bare with suffix",
	    conf_value(&c, "SWAPPAGES", PG, &v) == 1 && v.limit == 262144);
	CHECK("conf: value absent", conf_value(&c, "SHMPAGES", PG, &v) == 0);
	CHECK("conf: last assignment wins",
	    conf_value(&c, "PRIVVMPAGES", PG, &v) == 1 && v.barrier == 2 &&
	    v.limit == 3 && conf_find(&c, "PRIVVMPAGES") == 5);
	CHECK("conf: CRLF value", conf_value(&c, "OOMGUARPAGES", PG, &v) ==
	    1 && v.barrier == VAL_UNLIMITED && v.ltext != NULL &&
	    memcmp(v.ltext, "unlimited", 9) == 0);
	s = conf_string(&c, "HOSTNAME");
	CHECK("conf: string", s != NULL && strcmp(s, "vps1.example.com") == 0);
	free(s);
	CHECK("conf: empty string is absent", conf_string(&c, "NAME") == NULL);
	CHECK("conf: absent string", conf_string(&c, "NOPE") == NULL);
	conf_free(&c);
}

static void
test_errors(void)
{
	static const char t[] =
	    "A=1\n"
	    "B=2\n"
	    "VMGUARPAGES='1:2'\n"
	    "X=\"\"\n"
	    "Y=1 # c\n"
	    "Z=\"1:2\n"
	    "W=1\001\n"
	    "N=-1:unlimited\n"
	    "T=\" 100:9223372036854775808\"\n";
	struct conf c;
	struct value v = { 5, 6, NULL, 0, NULL, 0, 0 };
	char *e;

	conf_parse(&c, t, sizeof(t) - 1, "101.conf");
	err_begin();
	CHECK("conf: single quotes: vzctl skips it, absent",
	    conf_value(&c, "VMGUARPAGES", PG, &v) == 0);
	e = err_end();
	CHECK("conf: warning names file, line, parameter, value",
	    strcmp(e, "vzmem: 101.conf:3: warning: VMGUARPAGES: invalid "
	    "value \"'1:2'\": bad number; vzctl skips it, and so does "
	    "vzmem\n") == 0);
	if (strstr(e, "101.conf:3") == NULL)
		printf("# %s", e);
	free(e);
	CHECK("conf: value untouched when skipped", v.barrier == 5);
	CHECK("conf: conf_peek tells skipped from absent",
	    conf_peek(&c, "VMGUARPAGES", PG, &v, NULL, NULL) == VAL_SKIP &&
	    conf_peek(&c, "NOPE", PG, &v, NULL, NULL) == 0);

	err_begin();
	CHECK("conf: empty value is 0:0, as vzctl reads it",
	    conf_value(&c, "X", PG, &v) == 1 && v.barrier == 0 &&
	    v.limit == 0);
	CHECK("conf: comment after value skipped",
	    conf_value(&c, "Y", PG, &v) == 0);
	CHECK("conf: unterminated quote skipped",
	    conf_value(&c, "Z", PG, &v) == 0);
	CHECK("conf: control byte skipped",
	    conf_value(&c, "W", PG, &v) == 0);
	e = err_end();
	CHECK("conf: comment message",
	    strstr(e, "101.conf:5: warning: Y: invalid value \"1 # c\"") !=
	    NULL);
	CHECK("conf: unterminated quote message", strstr(e,
	    "101.conf:6: warning: Z: invalid value \"\\\"1:2\"") != NULL);
	CHECK("conf: control byte escaped",
	    strstr(e, "101.conf:7: warning: W: invalid value \"1\\x01\"") !=
	    NULL);
	free(e);

	err_begin();
	CHECK("conf: a negative number vzmem cannot read",
	    conf_value(&c, "N", PG, &v) == -1);
	CHECK("conf: blanks in quotes, above LONG_MAX: unlimited",
	    conf_value(&c, "T", PG, &v) == 1 && v.barrier == 100 &&
	    v.limit == VAL_UNLIMITED);
	e = err_end();
	CHECK("conf: negative is an error", strstr(e, "vzmem: 101.conf:8: "
	    "error: N: invalid value \"-1:unlimited\": negative number") != NULL);
	CHECK("conf: truncation is said", strstr(e, "vzmem: 101.conf:9: "
	    "warning: T: \" 100:9223372036854775808\" is above LONG_MAX "
	    "pages: vzctl truncates it to unlimited, and so does vzmem\n") !=
	    NULL);
	if (strstr(e, "101.conf:9") == NULL)
		printf("# %s", e);
	free(e);
	conf_free(&c);
}

static void
test_identity(void)
{
	static const struct {
		const char	*name;
		const char	*text;
		size_t		 len;
	} t[] = {
#define T(n, s)	{ n, s, sizeof(s) - 1 }
		T("empty", ""),
		T("one newline", "\n"),
		T("blank lines", "\n\n  \n\t\n"),
		T("no final newline", "A=1\nB=\"2\""),
		T("only text, no newline", "A"),
		T("CRLF", "A=1\r\nB=\"2\"\r\n# x\r\n"),
		T("CR alone", "A=1\rB=2\n"),
		T("tabs", "\tA\t=\t1\t\n"),
		T("NUL bytes", "A=1\0x\nB\0=2\n\0\n"),
		T("trailing blanks", "A=1   \nB=\"2\"  \t\n"),
		T("junk", "\"\"\"=\n==\n'\n#\n"),
		T("high bytes", "HOSTNAME=\"h\xc3\xa9\xff\"\n"),
#undef T
	};
	char name[128];
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		snprintf(name, sizeof(name), "conf: render identity, %s",
		    t[i].name);
		CHECK(name, identity(t[i].text, t[i].len));
	}
}

static void
test_set(void)
{
	static const char t[] =
	    "A=\"1:2\"\n"
	    "B=1:2\n"
	    "C=1\n"
	    "# C=0\n"
	    "C=\"2\" # keep\n"
	    "D=\"9223372036854775807\"\r\n"
	    "E=\"\"\n"
	    "  F = 1\n";
	static const char want[] =
	    "A=\"5:6\"\n"
	    "B=7:8\n"
	    "C=1\n"
	    "# C=0\n"
	    "C=\"9\" # keep\n"
	    "D=\"1:unlimited\"\r\n"
	    "E=\"3:3\"\n"
	    "  F = 1\n"
	    "F=\"4\"\n";
	struct conf c;
	struct value v;

	conf_parse(&c, t, sizeof(t) - 1, "101.conf");
	conf_set(&c, "A", "1:2");
	CHECK("conf: same value is no change", !c.dirty &&
	    c.lines[0].newval == NULL && render_is(&c, t, sizeof(t) - 1));
	conf_set(&c, "A", "5:6");
	CHECK("conf: set makes dirty", c.dirty);
	conf_set(&c, "A", "1:2");
	CHECK("conf: set back is clean again", !c.dirty);
	conf_set(&c, "A", "5:6");
	conf_set(&c, "B", "7:8");
	conf_set(&c, "C", "9");
	conf_set(&c, "D", "1:unlimited");
	conf_set(&c, "E", "3:3");
	conf_set(&c, "F", "4");
	CHECK("conf: set quoted, bare, last, CRLF, empty, absent",
	    render_is(&c, want, sizeof(want) - 1));
	CHECK("conf: only the last of two changes",
	    c.lines[2].newval == NULL && c.lines[4].newval != NULL);
	CHECK("conf: get reads what was set", get_is(&c, "C", "9") &&
	    get_is(&c, "F", "4"));
	CHECK("conf: value reads what was set",
	    conf_value(&c, "B", PG, &v) == 1 && v.barrier == 7 &&
	    v.limit == 8);
	CHECK("conf: value of an appended line",
	    conf_value(&c, "F", PG, &v) == 1 && v.barrier == 4);
	CHECK("conf: appended once", c.nadded == 1);
	CHECK("conf: original text untouched",
	    memcmp(c.text.data, t, sizeof(t) - 1) == 0);
	conf_free(&c);
}

static void
test_append(void)
{
	struct conf c;

	conf_parse(&c, "A=1", 3, "101.conf");
	conf_set(&c, "B", "2:2");
	CHECK("conf: append after missing final newline",
	    render_is(&c, "A=1\nB=\"2:2\"\n", 12));
	conf_set(&c, "B", "3:3");
	conf_set(&c, "C", "4:4");
	CHECK("conf: append twice keeps the last, in order",
	    render_is(&c, "A=1\nB=\"3:3\"\nC=\"4:4\"\n", 20) &&
	    c.nadded == 2 && c.dirty);
	conf_free(&c);

	conf_parse(&c, "A=1", 3, "101.conf");
	conf_set(&c, "A", "2");
	CHECK("conf: set on last line without newline",
	    render_is(&c, "A=2", 3));
	conf_free(&c);

	conf_parse(&c, "", 0, "101.conf");
	CHECK("conf: empty text", c.nlines == 0 && c.text.data != NULL &&
	    render_is(&c, "", 0));
	conf_set(&c, "A", "1");
	CHECK("conf: append to empty", render_is(&c, "A=\"1\"\n", 6));
	conf_free(&c);

	conf_parse(&c, "A=1\n", 4, "101.conf");
	conf_set(&c, "B", "2");
	CHECK("conf: append after final newline",
	    render_is(&c, "A=1\nB=\"2\"\n", 10));
	conf_free(&c);

	conf_parse(&c, "A=1\r\nC=3\r\n", 10, "101.conf");
	conf_set(&c, "B", "2");
	CHECK("conf: appended lines end in CRLF in a CRLF conf",
	    render_is(&c, "A=1\r\nC=3\r\nB=\"2\"\r\n", 17));
	conf_free(&c);

	conf_parse(&c, "A=1\r\nC=3", 8, "101.conf");
	conf_set(&c, "B", "2");
	CHECK("conf: CRLF conf without a final line end",
	    render_is(&c, "A=1\r\nC=3\r\nB=\"2\"\r\n", 17));
	conf_free(&c);
}

static void
test_load(void)
{
	static const char t[] = "A=1\nB=\"2:3\"";
	char path[] = "/tmp/vzmem-unit-conf-XXXXXX";
	struct conf c;
	struct value v;
	FILE *f;
	int fd;

	if ((fd = mkstemp(path)) == -1 || (f = fdopen(fd, "w")) == NULL) {
		CHECK("conf: temp file", 0);
		return;
	}
	fwrite(t, 1, sizeof(t) - 1, f);
	fclose(f);
	CHECK("conf: load", conf_load(&c, path, "101.conf") == 0);
	CHECK("conf: load path and shown", strcmp(c.path, path) == 0 &&
	    strcmp(c.shown, "101.conf") == 0);
	CHECK("conf: loaded value", conf_value(&c, "B", PG, &v) == 1 &&
	    v.barrier == 2 && v.limit == 3);
	CHECK("conf: loaded render", render_is(&c, t, sizeof(t) - 1));
	conf_free(&c);
	unlink(path);
	errno = 0;
	CHECK("conf: load missing", conf_load(&c, path, "101.conf") == -1 &&
	    errno == ENOENT && c.lines == NULL && c.path == NULL);
}

/* A lean conf reads as the whole one for the names it keeps. */
static void
test_lean(void)
{
	static const char *const names[] = { "A", "B", "C", "D", NULL };
	static const char t[] =
	    "# head\n"
	    "B=\"2:3\" # note\n"
	    "A=1\n"
	    "  A = x\n"
	    "E=5\n"
	    "A=\"7\"\n"
	    "D=\"\"\n"
	    "C=bad:\n"
	    "B=\"4\"";
	char path[] = "/tmp/vzmem-unit-lean-XXXXXX";
	struct buf scratch = { NULL, 0, 0 };
	struct conf whole, c;
	struct value v;
	size_t line;
	const char *why;
	char *e;
	FILE *f;
	int fd;

	conf_parse(&whole, t, sizeof(t) - 1, "101.conf");
	conf_parse(&c, t, sizeof(t) - 1, "101.conf");
	conf_lean(&c, names);
	CHECK("lean: is lean, shown kept", c.lean && c.lines == NULL &&
	    strcmp(c.shown, "101.conf") == 0);
	CHECK("lean: last assignment wins", get_is(&c, "A", "7") &&
	    get_is(&c, "B", "4") && get_is(&whole, "A", "7"));
	CHECK("lean: \"A \" is another name", conf_find(&c, "A ") == -1);
	CHECK("lean: empty value kept", get_is(&c, "D", ""));
	CHECK("lean: names not kept read as absent", get_is(&c, "E", NULL) &&
	    conf_find(&c, "E") == -1 && get_is(&c, "Z", NULL));
	CHECK("lean: find gives the line index, as whole",
	    conf_find(&c, "A") == 5 && conf_find(&whole, "A") == 5 &&
	    conf_find(&c, "D") == 6 && conf_find(&c, "C") == 7 &&
	    conf_find(&c, "B") == 8 && conf_find(&whole, "B") == 8);
	CHECK("lean: line numbers", conf_peek(&c, "A", PG, &v, &line,
	    NULL) == 1 && line == 6 && v.barrier == 7 &&
	    conf_peek(&c, "B", PG, &v, &line, NULL) == 1 && line == 9);
	CHECK("lean: invalid as whole", conf_peek(&c, "C", PG, &v, &line,
	    &why) == VAL_SKIP && line == 8 && conf_peek(&whole, "C", PG, &v,
	    NULL, NULL) == VAL_SKIP);
	err_begin();
	conf_value(&c, "C", PG, &v);
	e = err_end();
	CHECK("lean: warning names the line", strncmp(e,
	    "vzmem: 101.conf:8: warning: C: invalid value \"bad:\"", 51) ==
	    0);
	free(e);
	conf_free(&c);

	if ((fd = mkstemp(path)) == -1 || (f = fdopen(fd, "w")) == NULL) {
		CHECK("lean: temp file", 0);
		conf_free(&whole);
		return;
	}
	fwrite(t, 1, sizeof(t) - 1, f);
	fclose(f);
	CHECK("lean: load", conf_load_lean(&c, AT_FDCWD, path, "101.conf", names,
	    &scratch) == 0 && c.lean && c.path == NULL);
	CHECK("lean: loaded values", get_is(&c, "A", "7") &&
	    get_is(&c, "B", "4") && get_is(&c, "E", NULL));
	conf_free(&c);
	/* The scratch buffer is reused: a shorter file reads alone. */
	f = fopen(path, "w");
	if (f != NULL) {
		fputs("A=9", f);
		fclose(f);
	}
	CHECK("lean: reload with scratch", conf_load_lean(&c, AT_FDCWD, path,
	    "102.conf", names, &scratch) == 0 && get_is(&c, "A", "9") &&
	    get_is(&c, "B", NULL) && c.nlines == 1 &&
	    strcmp(c.shown, "102.conf") == 0);
	conf_free(&c);
	unlink(path);
	errno = 0;
	CHECK("lean: load missing", conf_load_lean(&c, AT_FDCWD, path, "101.conf",
	    names, &scratch) == -1 && errno == ENOENT);
	buf_free(&scratch);
	conf_free(&whole);
}

int
main(void)
{
	test_syntax();
	test_quotes();
	test_values();
	test_errors();
	test_identity();
	test_set();
	test_append();
	test_load();
	test_lean();
	return unit_result();
}

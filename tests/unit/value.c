/*
 * value.c -- unit tests of value_parse(), value_eq() and value_format().
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "util.h"
#include "openvz/value.h"

#define PG	4096
#define U	VAL_UNLIMITED
/* vzctl skips it (a warning), or reads what vzmem does not (an error). */
#define fails(s, why)	rejected((s), VAL_SKIP, (why))
#define unread(s, why)	rejected((s), VAL_UNREAD, (why))

static int	 parses(const char *, uint64_t, uint64_t);
static int	 truncs(const char *, uint64_t, uint64_t, unsigned);
static int	 rejected(const char *, int, const char *);
static int	 formats(const struct value *, const struct value *,
		    const char *);
static void	 test_suffixes(void);
static void	 test_fractions(void);
static void	 test_unlimited(void);
static void	 test_errors(void);
static void	 test_vzctl(void);
static void	 test_ltext(void);
static void	 test_eq_format(void);
static void	 test_u64(void);

/* s parses to barrier b and limit l. */
static int
parses(const char *s, uint64_t b, uint64_t l)
{
	struct value v;
	const char *why = NULL;

	if (value_parse(s, strlen(s), PG, &v, &why) != VAL_OK) {
		printf("# '%s': %s\n", s, why);
		return 0;
	}
	if (v.trunc != 0)
		printf("# '%s': truncated\n", s);
	return v.barrier == b && v.limit == l && v.trunc == 0;
}

/* s parses to b:l, truncated as trunc says (VAL_TRUNC_B, VAL_TRUNC_L). */
static int
truncs(const char *s, uint64_t b, uint64_t l, unsigned trunc)
{
	struct value v;
	const char *why = NULL;

	if (value_parse(s, strlen(s), PG, &v, &why) != VAL_OK) {
		printf("# '%s': %s\n", s, why);
		return 0;
	}
	return v.barrier == b && v.limit == l && v.trunc == trunc;
}

/* s is rejected as code says, with a reason starting with prefix. */
static int
rejected(const char *s, int code, const char *prefix)
{
	struct value v;
	const char *why = NULL;

	if (value_parse(s, strlen(s), PG, &v, &why) != code)
		return 0;
	if (why == NULL || strncmp(why, prefix, strlen(prefix)) != 0) {
		printf("# '%s': %s\n", s, why ? why : "(null)");
		return 0;
	}
	return 1;
}

static int
formats(const struct value *v, const struct value *old, const char *want)
{
	char *s;
	int ok;

	s = value_format(v, old);
	ok = strcmp(s, want) == 0;
	if (!ok)
		printf("# got '%s', want '%s'\n", s, want);
	free(s);
	return ok;
}

static void
test_suffixes(void)
{
	CHECK("value: bare number is pages", parses("100", 100, 100));
	CHECK("value: zero", parses("0", 0, 0));
	CHECK("value: barrier:limit", parses("100:200", 100, 200));
	CHECK("value: p", parses("7p", 7, 7));
	CHECK("value: P", parses("7P", 7, 7));
	CHECK("value: b", parses("8192b", 2, 2));
	CHECK("value: B rounds down", parses("8191B", 1, 1));
	CHECK("value: k", parses("8k", 2, 2));
	CHECK("value: K", parses("8K", 2, 2));
	CHECK("value: K rounds down", parses("7K", 1, 1));
	CHECK("value: m", parses("1m", 256, 256));
	CHECK("value: M", parses("1M", 256, 256));
	CHECK("value: g", parses("1g", 262144, 262144));
	CHECK("value: G", parses("1G", 262144, 262144));
	CHECK("value: t", parses("1t", 268435456, 268435456));
	CHECK("value: T", parses("1T", 268435456, 268435456));
	CHECK("value: mixed sides", parses("1G:2048M", 262144, 524288));
	CHECK("value: leading zeros", parses("007", 7, 7));
}

static void
test_fractions(void)
{
	struct value v;
	const char *why;

	CHECK("value: 2.5G", parses("2.5G", 655360, 655360));
	CHECK("value: 0.5K is no page", parses("0.5K", 0, 0));
	CHECK("value: 1.5K rounds down", parses("1.5K", 0, 0));
	CHECK("value: 4.5K rounds down", parses("4.5K", 1, 1));
	CHECK("value: 0.25M", parses("0.25M", 64, 64));
	CHECK("value: 1.999P", parses("1.999P", 1, 1));
	CHECK("value: 1.9 pages", parses("1.9", 1, 1));
	CHECK("value: 0.0000001T", parses("0.0000001T", 26, 26));
	CHECK("value: long fraction",
	    parses("0.99999999999999999999999999G", 262143, 262143));
	CHECK("value: fraction on both sides", parses("1.5M:2.5M", 384, 640));
	/* With 1-byte pages the exact byte count shows. */
	CHECK("value: 1.5K in bytes",
	    value_parse("1.5K", 4, 1, &v, &why) == 0 && v.barrier == 1536);
	CHECK("value: 0.1K in bytes",
	    value_parse("0.1K", 4, 1, &v, &why) == 0 && v.barrier == 102);
}

static void
test_unlimited(void)
{
	CHECK("value: unlimited", parses("unlimited", U, U));
	CHECK("value: LONG_MAX", parses("9223372036854775807", U, U));
	CHECK("value: 32-bit LONG_MAX", parses("2147483647", U, U));
	/* vzctl multiplies first: LONG_MAX K is a finite count of pages. */
	CHECK("value: LONG_MAX K is a number of pages",
	    parses("9223372036854775807K", 2305843009213693951ULL,
	    2305843009213693951ULL));
	CHECK("value: 2147483647G is a number of pages",
	    parses("2147483647G", 562949953159168ULL, 562949953159168ULL));
	CHECK("value: a fraction landing on 2147483647 pages",
	    parses("2147483647.5", U, U));
	CHECK("value: bytes landing on 2147483647 pages",
	    parses("8796093018112B", U, U));
	CHECK("value: one page short of it stays finite",
	    parses("2147483646.9", 2147483646, 2147483646));
	CHECK("value: n:unlimited", parses("100:unlimited", 100, U));
	CHECK("value: n:LONG_MAX", parses("100:9223372036854775807", 100, U));
	CHECK("value: LONG_MAX-1 is a number",
	    parses("9223372036854775806", 9223372036854775806ULL,
	    9223372036854775806ULL));
	CHECK("value: 2147483646 is a number",
	    parses("2147483646", 2147483646, 2147483646));
	CHECK("value: 2147483647.0 is unlimited as well",
	    parses("2147483647.0", U, U));
	/* vzctl's strncmp(str, "unlimited", 9): lower case, at the start. */
	CHECK("value: UNLIMITED is junk to vzctl",
	    fails("UNLIMITED", "bad number"));
	CHECK("value: Unlimited is junk to vzctl",
	    fails("1:Unlimited", "bad number"));
	CHECK("value: unlimitedK", fails("unlimitedK", "bad number"));
	CHECK("value: blank before unlimited", fails(" unlimited",
	    "bad number"));
}

/* What vzctl 4.11 accepts that vzmem once refused, and the reverse. */
static void
test_vzctl(void)
{
	CHECK("vzctl: blanks before a number", parses(" 100:200", 100, 200));
	CHECK("vzctl: blanks after the colon", parses("100:\t 200", 100,
	    200));
	CHECK("vzctl: a plus sign", parses("+100:+200", 100, 200));
	CHECK("vzctl: empty value is 0:0", parses("", 0, 0));
	CHECK("vzctl: empty barrier is 0", parses(":5", 0, 5));
	CHECK("vzctl: empty limit is 0", parses("5:", 5, 0));
	CHECK("vzctl: ':' alone is 0:0", parses(":", 0, 0));
	CHECK("vzctl: 1. is 1", parses("1.", 1, 1));
	CHECK("vzctl: .5G", parses(".5G", 131072, 131072));
	CHECK("vzctl: 5.G", parses("5.G", 1310720, 1310720));
	CHECK("vzctl: K alone is 0", parses("K", 0, 0));
	CHECK("vzctl: 99999999999G fits in pages",
	    parses("1:99999999999G", 1, 26214399999737856ULL));
	CHECK("vzctl: 9223372036854775806K fits in pages",
	    parses("9223372036854775806K", 2305843009213693951ULL,
	    2305843009213693951ULL));
	CHECK("vzctl: 16777216T fits in pages",
	    parses("16777216T", 1ULL << 52, 1ULL << 52));
	/* Above LONG_MAX pages: truncated to unlimited, with a warning. */
	CHECK("vzctl: LONG_MAX + 1 is truncated",
	    truncs("9223372036854775808", U, U, VAL_TRUNC_B | VAL_TRUNC_L));
	CHECK("vzctl: 2^64 - 1 is truncated",
	    truncs("100:18446744073709551615", 100, U, VAL_TRUNC_L));
	CHECK("vzctl: a barrier truncated, the limit not",
	    truncs("18446744073709551615:unlimited", U, U, VAL_TRUNC_B));
	CHECK("vzctl: bytes above LONG_MAX pages are truncated",
	    truncs("1:40000000000T", 1, U, VAL_TRUNC_L));
	/* What vzctl skips. */
	CHECK("vzctl: a blank after a number", fails("100 :200",
	    "bad number"));
	CHECK("vzctl: a blank at the end", fails("100:200 ", "bad number"));
	CHECK("vzctl: blanks alone", fails("   ", "bad number"));
	CHECK("vzctl: blank before '.'", fails(" .5", "bad number"));
	CHECK("vzctl: '.' alone", fails(".", "bad number"));
	CHECK("vzctl: sign alone", fails("+", "bad number"));
	CHECK("vzctl: 2^64 is beyond strtoull", fails("18446744073709551616",
	    "number too large"));
	CHECK("vzctl: exponent without a '.'", fails("1e3", "bad number"));
	CHECK("vzctl: an 'e' that is no exponent", fails("1.5e",
	    "bad suffix"));
	/* What vzctl reads and vzmem does not. */
	CHECK("vzctl: -1 wraps in strtoull", unread("-1:unlimited",
	    "negative number"));
	CHECK("vzctl: an exponent after a '.'", unread("1.5e3",
	    "exponent"));
	CHECK("vzctl: an exponent with a sign", unread("1:2.0E+3",
	    "exponent"));
	CHECK("vzctl: a backslash", unread("1\\0:2", "a backslash"));
}

static void
test_errors(void)
{
	struct value v = { 1, 2, NULL, 0, NULL, 0, 0 };
	const char *why = NULL;

	CHECK("value: quotes", fails("''", "bad number"));
	CHECK("value: 1::2", fails("1::2", "more than one ':'"));
	CHECK("value: 1:2:3", fails("1:2:3", "more than one ':'"));
	CHECK("value: 12X", fails("12X", "bad suffix"));
	CHECK("value: 1KK", fails("1KK", "bad suffix"));
	CHECK("value: 1KB", fails("1KB", "bad suffix"));
	CHECK("value: trailing blank", fails("1 ", "bad number"));
	CHECK("value: 0x10", fails("0x10", "bad number"));
	CHECK("value: 1.2.3", fails("1.2.3", "bad number"));
	CHECK("value: '1:2'", fails("'1:2'", "bad number"));
	CHECK("value: \"1\"", fails("\"1\"", "bad number"));
	CHECK("value: 2^64 digits", fails("99999999999999999999",
	    "number too large"));
	CHECK("value: 2^64 digits with a suffix", fails("99999999999999999999K",
	    "number too large"));
	CHECK("value: bad limit", fails("1:x", "bad number"));
	CHECK("value: NUL inside", value_parse("1\0", 2, PG, &v, &why) ==
	    VAL_UNREAD);
	CHECK("value: untouched on error", v.barrier == 1 && v.limit == 2);
	CHECK("value: page size 0", value_parse("1", 1, 0, &v, &why) ==
	    VAL_UNREAD);
}

static void
test_ltext(void)
{
	const char *s = "100:9223372036854775807";
	struct value v;
	const char *why;

	CHECK("value: ltext of limit", value_parse(s, strlen(s), PG, &v,
	    &why) == 0 && v.ltext == s + 4 && v.llen == 19);
	CHECK("value: ltext without limit", value_parse("5G", 2, PG, &v,
	    &why) == 0 && v.ltext != NULL && memcmp(v.ltext, "5G", 2) == 0 &&
	    v.llen == 2);
	/* Only len bytes are read: the rest of the buffer does not count. */
	CHECK("value: len bounds the text", value_parse("12:34", 2, PG, &v,
	    &why) == 0 && v.barrier == 12 && v.limit == 12);
}

static void
test_eq_format(void)
{
	struct value a = { 1, 2, NULL, 0, NULL, 0, 0 };
	struct value b = { 1, 2, "x", 1, NULL, 0, 0 };
	struct value c = { 1, 3, NULL, 0, NULL, 0, 0 };
	struct value d = { 2, 2, NULL, 0, NULL, 0, 0 };
	struct value u = { 5, U, NULL, 0, NULL, 0, 0 };
	struct value uu = { U, U, NULL, 0, NULL, 0, 0 };
	struct value zero = { 0, 0, NULL, 0, NULL, 0, 0 };
	struct value old;
	const char *s = "7:9223372036854775807", *why;

	CHECK("value: eq", value_eq(&a, &b));
	CHECK("value: ne limit", !value_eq(&a, &c));
	CHECK("value: ne barrier", !value_eq(&a, &d));
	CHECK("value: format", formats(&a, NULL, "1:2"));
	CHECK("value: format unlimited", formats(&u, NULL, "5:unlimited"));
	CHECK("value: format both unlimited",
	    formats(&uu, NULL, "unlimited:unlimited"));
	CHECK("value: format zero", formats(&zero, NULL, "0:0"));
	value_parse(s, strlen(s), PG, &old, &why);
	CHECK("value: format keeps old spelling",
	    formats(&u, &old, "5:9223372036854775807"));
	CHECK("value: both sides spelled alike",
	    formats(&uu, &old, "9223372036854775807:9223372036854775807"));
	CHECK("value: an unlimited barrier lends its spelling",
	    value_parse("2147483647:5", 12, PG, &old, &why) == VAL_OK &&
	    formats(&u, &old, "5:2147483647") &&
	    formats(&uu, &old, "2147483647:2147483647"));
	CHECK("value: a truncated spelling is not kept",
	    value_parse("1:9223372036854775808", 21, PG, &old, &why) ==
	    VAL_OK && formats(&u, &old, "5:unlimited"));
	CHECK("value: old finite: no spelling kept", value_parse("1:2", 3, PG,
	    &old, &why) == 0 && formats(&u, &old, "5:unlimited"));
	CHECK("value: new finite ignores old", value_parse("1:unlimited", 11,
	    PG, &old, &why) == 0 && formats(&a, &old, "1:2"));
	old.ltext = NULL;
	old.btext = NULL;
	old.limit = U;
	CHECK("value: old without text", formats(&u, &old, "5:unlimited"));
	CHECK("value: format parses back", value_parse("1:2", 3, PG, &old,
	    &why) == 0 && value_eq(&old, &a));
}

/* parse_u64 (util.c): every digit string up to max, whatever its length. */
static int
u64_is(const char *s, uint64_t max, int ok, uint64_t want)
{
	uint64_t v = 7;
	int r = parse_u64(s, strlen(s), max, &v);

	return ok ? r == 0 && v == want : r == -1 && v == 7;
}

static void
test_u64(void)
{
	CHECK("u64: UINT64_MAX", u64_is("18446744073709551615", UINT64_MAX,
	    1, UINT64_MAX));
	CHECK("u64: UINT64_MAX + 1", u64_is("18446744073709551616",
	    UINT64_MAX, 0, 0));
	CHECK("u64: 19 digits over INT64_MAX", u64_is("9999999999999999999",
	    INT64_MAX, 0, 0));
	CHECK("u64: INT64_MAX", u64_is("9223372036854775807", INT64_MAX, 1,
	    INT64_MAX));
	CHECK("u64: INT64_MAX + 1", u64_is("9223372036854775808", INT64_MAX,
	    0, 0));
	CHECK("u64: leading zeros", u64_is("0000000000000000000000042",
	    UINT64_MAX, 1, 42));
	CHECK("u64: max 10", u64_is("10", 10, 1, 10) && u64_is("11", 10, 0,
	    0));
	CHECK("u64: empty, sign, letter", u64_is("", 9, 0, 0) &&
	    u64_is("+1", 9, 0, 0) && u64_is("1a", 99, 0, 0));
}

int
main(void)
{
	test_suffixes();
	test_fractions();
	test_unlimited();
	test_errors();
	test_vzctl();
	test_ltext();
	test_eq_format();
	test_u64();
	return unit_result();
}

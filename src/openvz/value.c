/*
 * value.c -- "barrier[:limit]" resource values of vzctl confs, in pages,
 * read as vzctl 4.11 reads them (src/lib/config.c, parse_twoul_sfx):
 * what it accepts is accepted, what it skips is VAL_SKIP, and the few
 * things it reads that vzmem does not are VAL_UNREAD.
 *
 * Exact integer arithmetic, every step checked: a value is exact
 * (rounded down to whole pages, as vzctl's cast does), or above
 * LONG_MAX pages and then unlimited as vzctl truncates it; never
 * wrapped.
 */
#include <string.h>

#include "util.h"
#include "value.h"

/* LONG_MAX of a 64- and of a 32-bit vzctl: both are its "unlimited". */
#define UNLIM64		UINT64_C(9223372036854775807)
#define UNLIM32		UINT64_C(2147483647)

__extension__ typedef unsigned __int128 u128;

/* A side counted in pages (P or no suffix) rather than in bytes. */
#define IN_PAGES	(-1)

/*
 * Fraction digits beyond these are dropped: even for T they are worth
 * far less than a byte, and 10^18 still fits in 63 bits.
 */
#define FRAC_DIGITS	18

static int	 side_parse(const char *, size_t, uint64_t, uint64_t *,
		    int *, const char **);
static int	 suffix_parse(const char *, size_t, int *, const char **);
static int	 is_digit(int);
static int	 is_letter(int);
static int	 is_space(int);
static uint64_t	 frac_bytes(const char *, size_t, int);
static void	 side_format(struct buf *, uint64_t, const char *, size_t);
static int	 spelling(const char *, size_t, uint64_t, int);

static int
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int
is_letter(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* isspace() in the C locale: what strtoull() skips. */
static int
is_space(int c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

/*
 * The suffix letter after the number (len 1 or more bytes) as a shift of
 * a byte count, or IN_PAGES.  Junk that does not start with a suffix
 * letter is called a bad number ("1e3", "0x10", "1 "): that is what the
 * writer got wrong; a wrong letter, or more after the letter, is a bad
 * suffix.  vzctl skips both.
 */
static int
suffix_parse(const char *s, size_t len, int *shift, const char **why)
{
	static const char bad[] = "bad suffix (K, M, G, T, P or B expected)";

	switch (s[0]) {
	case 'k': case 'K':
		*shift = 10;
		break;
	case 'm': case 'M':
		*shift = 20;
		break;
	case 'g': case 'G':
		*shift = 30;
		break;
	case 't': case 'T':
		*shift = 40;
		break;
	case 'p': case 'P':
		*shift = IN_PAGES;
		break;
	case 'b': case 'B':
		*shift = 0;
		break;
	default:
		*why = len == 1 && is_letter(s[0]) ? bad : "bad number";
		return VAL_SKIP;
	}
	if (len > 1) {
		*why = bad;
		return VAL_SKIP;
	}
	return VAL_OK;
}

/*
 * floor(0.DIGITS * 2^shift): binary long division of the fraction, one
 * bit at a time, so nothing overflows (the remainder stays below 10^18).
 */
static uint64_t
frac_bytes(const char *digits, size_t n, int shift)
{
	uint64_t num = 0, den = 1, q = 0;
	size_t i;
	int bit;

	for (i = 0; i < n && i < FRAC_DIGITS; i++) {
		num = num * 10 + (uint64_t)(digits[i] - '0');
		den *= 10;
	}
	for (bit = 0; bit < shift; bit++) {
		num <<= 1;
		q <<= 1;
		if (num >= den) {
			num -= den;
			q |= 1;
		}
	}
	return q;
}

/*
 * One side as vzctl's parse_ul_sfx() reads it: "unlimited" at its very
 * start; else strtoull()'s number (blanks and a sign first); if a '.'
 * follows it, strtold()'s (from the start again: a digit on either side
 * of the '.', maybe an exponent); then at most one suffix letter, and
 * nothing more.  As pages; *trunc set above LONG_MAX of them.
 */
static int
side_parse(const char *s, size_t len, uint64_t page_bytes, uint64_t *pages,
    int *trunc, const char **why)
{
	size_t i = 0, d0, nint, f0 = 0, nfrac = 0;
	uint64_t n = 0;
	int shift = IN_PAGES, r;
	char sign = 0;
	u128 bytes, pg;

	*trunc = 0;
	if (len >= 9 && memcmp(s, "unlimited", 9) == 0) {
		if (len > 9) {
			*why = "bad number";
			return VAL_SKIP;
		}
		*pages = VAL_UNLIMITED;
		return VAL_OK;
	}
	while (i < len && is_space((unsigned char)s[i]))
		i++;
	if (i < len && (s[i] == '+' || s[i] == '-'))
		sign = s[i++];
	for (d0 = i; i < len && is_digit(s[i]); i++)
		;
	if ((nint = i - d0) == 0)
		i = 0;		/* nothing converted: its end is the start */
	else if (sign == '-') {
		*why = "negative number (vzctl reads -N as 2^64 - N)";
		return VAL_UNREAD;
	} else if (parse_u64(s + d0, nint, UINT64_MAX, &n) == -1) {
		*why = "number too large";
		return VAL_SKIP;
	}
	if (i < len && s[i] == '.') {
		for (f0 = i + 1, i = f0; i < len && is_digit(s[i]); i++)
			;
		nfrac = i - f0;
		if (nint == 0 && nfrac == 0) {
			i = 0;	/* strtold() converted nothing either */
			nfrac = 0;
		} else if (i < len && (s[i] == 'e' || s[i] == 'E') &&
		    ((i + 1 < len && is_digit(s[i + 1])) ||
		    (i + 2 < len && (s[i + 1] == '+' || s[i + 1] == '-') &&
		    is_digit(s[i + 2])))) {
			*why = "exponent (vzmem reads no exponents; write the "
			    "number out)";
			return VAL_UNREAD;
		}
	}
	if (i < len && (r = suffix_parse(s + i, len - i, &shift, why)) != 0) {
		if (nint + nfrac == 0)
			*why = "bad number";	/* "x": no number at all */
		return r;
	}
	if (shift == IN_PAGES) {
		/* A fraction of a page rounds down to nothing. */
		pg = n;
	} else {
		bytes = (u128)n << shift | frac_bytes(s + f0, nfrac, shift);
		pg = bytes / page_bytes;
	}
	/* Above LONG_MAX vzctl truncates to LONG_MAX: unlimited. */
	if (pg > VAL_MAX) {
		*trunc = 1;
		pg = VAL_UNLIMITED;
	}
	*pages = (uint64_t)pg;
	/* Either magic count of pages is unlimited (a fraction or bytes
	 * that land on it too): only then does every value print as text
	 * that reads back equal. */
	if (*pages == UNLIM64 || *pages == UNLIM32)
		*pages = VAL_UNLIMITED;
	return VAL_OK;
}

int
value_parse(const char *s, size_t len, uint64_t page_bytes,
    struct value *v, const char **why)
{
	const char *colon, *lim;
	uint64_t b, l;
	size_t blen, llen;
	int tb = 0, tl = 0, r;

	if (page_bytes == 0) {
		*why = "unknown page size";
		return VAL_UNREAD;
	}
	/* vzctl drops every backslash of a line and stops at a NUL. */
	if (memchr(s, '\\', len) != NULL) {
		*why = "a backslash (vzctl drops it; vzmem does not guess)";
		return VAL_UNREAD;
	}
	if (memchr(s, '\0', len) != NULL) {
		*why = "a NUL byte";
		return VAL_UNREAD;
	}
	if ((colon = memchr(s, ':', len)) == NULL) {
		blen = llen = len;
		lim = s;
	} else {
		blen = (size_t)(colon - s);
		lim = colon + 1;
		llen = len - blen - 1;
		if (memchr(lim, ':', llen) != NULL) {
			*why = "more than one ':'";
			return VAL_SKIP;
		}
	}
	if ((r = side_parse(s, blen, page_bytes, &b, &tb, why)) != 0)
		return r;
	if (colon == NULL) {
		l = b;
		tl = tb;
	} else if ((r = side_parse(lim, llen, page_bytes, &l, &tl,
	    why)) != 0)
		return r;
	v->barrier = b;
	v->limit = l;
	v->btext = s;
	v->blen = blen;
	v->ltext = lim;
	v->llen = llen;
	v->trunc = (tb ? VAL_TRUNC_B : 0) | (tl ? VAL_TRUNC_L : 0);
	return VAL_OK;
}

int
value_eq(const struct value *a, const struct value *b)
{
	return a->barrier == b->barrier && a->limit == b->limit;
}

static void
side_format(struct buf *b, uint64_t pages, const char *spell, size_t n)
{
	if (pages != VAL_UNLIMITED)
		buf_addu64(b, pages);
	else if (spell != NULL)
		buf_add(b, spell, n);
	else
		buf_addstr(b, "unlimited");
}

/* A side's text fit to spell unlimited again: it read as unlimited, not
 * by truncation, and starts with no blank or sign. */
static int
spelling(const char *t, size_t n, uint64_t pages, int trunc)
{
	return t != NULL && n > 0 && pages == VAL_UNLIMITED && !trunc &&
	    !is_space((unsigned char)t[0]) && t[0] != '+';
}

char *
value_format(const struct value *v, const struct value *old)
{
	struct buf b = { NULL, 0, 0 };
	const char *spell = NULL;
	size_t n = 0;

	/* Rewriting "9223372036854775807" as "unlimited" would be a diff
	 * that changes nothing; and both sides are spelled alike. */
	if (old != NULL && spelling(old->ltext, old->llen, old->limit,
	    old->trunc & VAL_TRUNC_L)) {
		spell = old->ltext;
		n = old->llen;
	} else if (old != NULL && spelling(old->btext, old->blen,
	    old->barrier, old->trunc & VAL_TRUNC_B)) {
		spell = old->btext;
		n = old->blen;
	}
	side_format(&b, v->barrier, spell, n);
	buf_addc(&b, ':');
	side_format(&b, v->limit, spell, n);
	return b.data;
}

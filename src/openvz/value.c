/*
 * value.c -- "barrier[:limit]" resource values of vzctl confs, in pages.
 *
 * Only uint64_t arithmetic, every step checked: a value is either exact
 * (rounded down to whole pages) or rejected, never wrapped or clamped.
 */
#include <string.h>
#include <strings.h>

#include "util.h"
#include "value.h"

/* LONG_MAX of a 64- and of a 32-bit vzctl: both are its "unlimited". */
#define UNLIM64		UINT64_C(9223372036854775807)
#define UNLIM32		UINT64_C(2147483647)

/* A side counted in pages (P or no suffix) rather than in bytes. */
#define IN_PAGES	(-1)

/*
 * Fraction digits beyond these are dropped: even for T they are worth
 * far less than a byte, and 10^18 still fits in 63 bits.
 */
#define FRAC_DIGITS	18

static int	 side_parse(const char *, size_t, uint64_t, uint64_t *,
		    const char **);
static int	 suffix_parse(const char *, size_t, int *, const char **);
static int	 is_digit(int);
static int	 is_letter(int);
static uint64_t	 frac_bytes(const char *, size_t, int);
static void	 side_format(struct buf *, uint64_t);

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

/*
 * The suffix after the number (len 0, 1 or more bytes) as a shift of a
 * byte count, or IN_PAGES.  Junk that does not start with a suffix
 * letter is called a bad number ("1e3", "0x10", "1 "): that is what the
 * writer got wrong; a single wrong letter is a bad suffix.
 */
static int
suffix_parse(const char *s, size_t len, int *shift, const char **why)
{
	static const char bad[] = "bad suffix (K, M, G, T, P or B expected)";

	if (len == 0) {
		*shift = IN_PAGES;
		return 0;
	}
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
		return -1;
	}
	if (len > 1) {
		*why = bad;
		return -1;
	}
	return 0;
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

/* One side: "unlimited" or DIGITS[.DIGITS][SUFFIX], as pages. */
static int
side_parse(const char *s, size_t len, uint64_t page_bytes, uint64_t *pages,
    const char **why)
{
	size_t nint, nfrac = 0, i;
	uint64_t n, bytes;
	int shift, dot = 0;

	if (len == 9 && strncasecmp(s, "unlimited", 9) == 0) {
		*pages = VAL_UNLIMITED;
		return 0;
	}
	for (nint = 0; nint < len && is_digit(s[nint]); nint++)
		;
	i = nint;
	if (i < len && s[i] == '.') {
		dot = 1;
		for (i++; i < len && is_digit(s[i]); i++)
			nfrac++;
	}
	if (nint == 0 || (dot && nfrac == 0)) {
		*why = "bad number";
		return -1;
	}
	if (suffix_parse(s + i, len - i, &shift, why) == -1)
		return -1;
	if (parse_u64(s, nint, UINT64_MAX, &n) == -1) {
		*why = "number too large";
		return -1;
	}
	/* vzctl's LONG_MAX means unlimited whatever unit it is given in. */
	if (!dot && (n == UNLIM64 || n == UNLIM32)) {
		*pages = VAL_UNLIMITED;
		return 0;
	}
	if (shift == IN_PAGES) {
		/* A fraction of a page rounds down to nothing. */
		bytes = n;
		page_bytes = 1;
	} else if (n > UINT64_MAX >> shift) {
		*why = "number too large";
		return -1;
	} else
		bytes = n << shift | frac_bytes(s + nint + 1, nfrac, shift);
	if (bytes / page_bytes > VAL_MAX) {
		*why = "number too large";
		return -1;
	}
	*pages = bytes / page_bytes;
	/* A count that lands on either magic number (2147483647.5, bytes
	 * that round to it) is unlimited too: the kernel reads it so, and
	 * only then does every value print as text that reads back equal. */
	if (*pages == UNLIM64 || *pages == UNLIM32)
		*pages = VAL_UNLIMITED;
	return 0;
}

int
value_parse(const char *s, size_t len, uint64_t page_bytes,
    struct value *v, const char **why)
{
	const char *colon, *lim;
	uint64_t b, l;
	size_t blen, llen;

	if (len == 0) {
		*why = "empty value";
		return -1;
	}
	if (page_bytes == 0) {
		*why = "unknown page size";
		return -1;
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
			return -1;
		}
		if (blen == 0) {
			*why = "empty barrier";
			return -1;
		}
		if (llen == 0) {
			*why = "empty limit";
			return -1;
		}
	}
	if (side_parse(s, blen, page_bytes, &b, why) == -1)
		return -1;
	if (colon == NULL)
		l = b;
	else if (side_parse(lim, llen, page_bytes, &l, why) == -1)
		return -1;
	v->barrier = b;
	v->limit = l;
	v->ltext = lim;
	v->llen = llen;
	return 0;
}

int
value_eq(const struct value *a, const struct value *b)
{
	return a->barrier == b->barrier && a->limit == b->limit;
}

static void
side_format(struct buf *b, uint64_t pages)
{
	if (pages == VAL_UNLIMITED)
		buf_addstr(b, "unlimited");
	else
		buf_addu64(b, pages);
}

char *
value_format(const struct value *v, const struct value *old)
{
	struct buf b = { NULL, 0, 0 };

	side_format(&b, v->barrier);
	buf_addc(&b, ':');
	/* Rewriting "9223372036854775807" as "unlimited" would be a diff
	 * that changes nothing. */
	if (v->limit == VAL_UNLIMITED && old != NULL &&
	    old->limit == VAL_UNLIMITED && old->ltext != NULL)
		buf_add(&b, old->ltext, old->llen);
	else
		side_format(&b, v->limit);
	return b.data;
}

/*
 * value.h -- a resource value "barrier[:limit]" of a vzctl conf, as pages.
 */
#ifndef VZMEM_VALUE_H
#define VZMEM_VALUE_H

#include <stddef.h>
#include <stdint.h>

#define VAL_UNLIMITED	UINT64_MAX	/* "unlimited" on either side */
#define VAL_MAX		INT64_MAX	/* largest finite side, in pages */

/* What value_parse() makes of a text, as vzctl 4.11 would. */
#define VAL_OK		0	/* read */
#define VAL_UNREAD	(-1)	/* vzctl reads it, vzmem cannot: an error
				   where vzmem needs it */
#define VAL_SKIP	(-2)	/* vzctl skips it (with a warning): the
				   parameter counts as absent */

/* trunc: a side above LONG_MAX pages, which vzctl truncates (with a
 * warning) to LONG_MAX, unlimited. */
#define VAL_TRUNC_B	1
#define VAL_TRUNC_L	2

struct value {
	uint64_t	 barrier;	/* pages, or VAL_UNLIMITED */
	uint64_t	 limit;		/* pages, or VAL_UNLIMITED */
	const char	*ltext;		/* the limit as spelled in the text */
	size_t		 llen;		/* parsed from (NULL, 0 if none) */
	const char	*btext;		/* the barrier likewise */
	size_t		 blen;
	unsigned	 trunc;		/* VAL_TRUNC_B, VAL_TRUNC_L */
};

/*
 * Parse len bytes of s as barrier[:limit], exactly as vzctl 4.11's
 * parse_twoul_sfx() reads a memory parameter.  Each side is "unlimited"
 * (lower case, at its very start) or a number: blanks and a '+' before
 * it, an optional fraction ("2.5G", "1.", ".5"), and one suffix K, M, G,
 * T (binary multiples of a byte), P (pages) or B (bytes), either case;
 * a bare number is pages, bytes are rounded down to whole pages, and an
 * empty side is 0 (vzctl's strtoull of nothing).  9223372036854775807
 * and 2147483647 pages mean unlimited; more than LONG_MAX pages is
 * unlimited too, with trunc set.  A missing limit equals the barrier.
 *
 * VAL_OK; VAL_SKIP for what vzctl skips (junk, a second ':', a bad
 * suffix, blanks after a number, a number beyond 2^64); VAL_UNREAD for
 * what vzctl reads but vzmem does not (a negative number, an exponent,
 * a backslash or NUL byte).  Both set *why to a short static reason.
 */
int	 value_parse(const char *, size_t, uint64_t, struct value *,
	    const char **);

/* Equal as numbers (spelling does not matter). */
int	 value_eq(const struct value *, const struct value *);

/*
 * "barrier:limit" with "unlimited" for an unlimited side; when old (may
 * be NULL) spelled an unlimited side as 9223372036854775807 or
 * 2147483647 (its limit, else its barrier), every unlimited side is
 * spelled so, so that one value never mixes spellings and rewriting
 * "9223372036854775807" as "unlimited" is no diff.  Allocated.
 */
char	*value_format(const struct value *, const struct value *);

#endif

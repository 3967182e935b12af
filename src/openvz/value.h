/*
 * value.h -- a resource value "barrier[:limit]" of a vzctl conf, as pages.
 */
#ifndef VZMEM_VALUE_H
#define VZMEM_VALUE_H

#include <stddef.h>
#include <stdint.h>

#define VAL_UNLIMITED	UINT64_MAX	/* "unlimited" on either side */
#define VAL_MAX		INT64_MAX	/* largest finite side, in pages */

struct value {
	uint64_t	 barrier;	/* pages, or VAL_UNLIMITED */
	uint64_t	 limit;		/* pages, or VAL_UNLIMITED */
	const char	*ltext;		/* the limit as spelled in the text */
	size_t		 llen;		/* parsed from (NULL, 0 if none) */
};

/*
 * Parse len bytes of s as barrier[:limit] (no quotes, no blanks).  Each
 * side is "unlimited" or a number, optionally with a fraction ("2.5G") and
 * one case-insensitive suffix: K, M, G, T (binary multiples of a byte),
 * P (pages), B (bytes); a bare number is pages.  Bytes are rounded down to
 * whole pages.  9223372036854775807 and 2147483647 mean unlimited.  A
 * missing limit equals the barrier.  Returns 0, or -1 with *why set to a
 * short static reason ("bad suffix 'X'", "number too large", ...).
 */
int	 value_parse(const char *, size_t, uint64_t, struct value *,
	    const char **);

/* Equal as numbers (spelling does not matter). */
int	 value_eq(const struct value *, const struct value *);

/*
 * "barrier:limit" with "unlimited" for an unlimited side; when the new
 * limit is unlimited and old (may be NULL) already had an unlimited limit,
 * old's spelling of it is kept.  The result is allocated.
 */
char	*value_format(const struct value *, const struct value *);

#endif

/*
 * json.h -- a small JSON writer into a struct buf: objects, arrays,
 * strings, unsigned integers, booleans and null, indented two spaces a
 * level so that the output diffs well.
 *
 * Strings are escaped completely: '"' and '\' with a backslash, control
 * characters (0x00-0x1f, 0x7f) as \u00XX, the C1 and bidi controls
 * (U+0080-U+009F, U+202A-U+202E, U+2066-U+2069) as \uXXXX, other valid
 * UTF-8 passed through as is, and every byte that is not part of valid
 * UTF-8 as \udcXX, XX the byte (so 0xff becomes \udcff), as Python's
 * surrogateescape: a lone surrogate stands for no character, so it
 * always means a raw byte, and the original bytes can be recovered
 * (bytes.decode("utf-8", "surrogateescape") gives the same string).
 */
#ifndef VZMEM_JSON_H
#define VZMEM_JSON_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

struct json {
	struct buf	*b;
	FILE		*out;		/* spill b here as it grows, or NULL */
	int		 depth;
	int		 comma;		/* a value came before at this depth */
};

void	 json_init(struct json *, struct buf *);

/* key is the member name inside an object, NULL inside an array or at
 * the top. */
void	 json_obj(struct json *, const char *);
void	 json_arr(struct json *, const char *);
void	 json_end_obj(struct json *);
void	 json_end_arr(struct json *);
void	 json_str(struct json *, const char *, const char *);	/* NULL: null */
void	 json_strn(struct json *, const char *, const char *, size_t);
void	 json_u64(struct json *, const char *, uint64_t);
void	 json_bool(struct json *, const char *, int);
void	 json_null(struct json *, const char *);

/* Append s as a quoted, escaped JSON string (for tests and keys). */
void	 json_quote(struct buf *, const char *, size_t);

/* The end: a final newline. */
void	 json_finish(struct json *);

#endif

/*
 * buf.h -- growable byte buffers, the one number writer, and a pool of
 * strings freed all at once.
 */
#ifndef VZMEM_LIB_BUF_H
#define VZMEM_LIB_BUF_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "lib/cdefs.h"

/* A growable byte buffer; data is always NUL-terminated (not in len).
 * { NULL, 0, 0 } is an empty one. */
struct buf {
	char	*data;
	size_t	 len;
	size_t	 cap;
};

void	 buf_add(struct buf *, const void *, size_t);
void	 buf_addc(struct buf *, int);
void	 buf_addstr(struct buf *, const char *);
void	 buf_printf(struct buf *, const char *, ...) PRINTFLIKE(2, 3);
void	 buf_vprintf(struct buf *, const char *, va_list);
void	 buf_pad(struct buf *, int, size_t);	/* append n copies of c */
void	 buf_free(struct buf *);

/* v in decimal: what "%" PRIu64 gives, without printf's cost (the dry
 * run and the map format some 100,000 numbers). */
void	 buf_addu64(struct buf *, uint64_t);

/*
 * Room for n more bytes (and the NUL) with no realloc on the way, and no
 * more than that: for a text whose size is known, or closely estimated,
 * before it is written (doubling could leave it in twice the memory).
 */
void	 buf_reserve(struct buf *, size_t);

/* Room for at least n more bytes (and the NUL), doubling: for a reader
 * that fills data + len itself. */
void	 buf_grow(struct buf *, size_t);

/* Write b to f and empty it once it holds at least min bytes (0: now),
 * so that long output (100,000 rows) is never held whole. */
void	 buf_spill(struct buf *, FILE *, size_t);
#define SPILL_MIN	65536

/*
 * Strings packed one after another in chunks of 64 kB, freed all at once:
 * for the 100,000 CTIDs and names a command keeps, where one malloc
 * each would cost more than the strings.  They never move.  A string
 * longer than a sixteenth of a chunk gets a chunk of its own, so that a
 * chunk never ends more than that short of full.
 */
struct strchunk;
struct strpool {
	struct strchunk	*head;		/* the open chunk first */
};

/* A copy of s[0..len) and a NUL in the pool. */
char	*strpool_add(struct strpool *, const char *, size_t);
void	 strpool_free(struct strpool *);

#endif

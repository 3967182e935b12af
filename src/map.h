/*
 * map.h -- the memory map (MEM-MAP): parse with positions, check, sort,
 * render.  See MEM-MAP(5).
 */
#ifndef VZMEM_MAP_H
#define VZMEM_MAP_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

/*
 * Every string of a map (of its rows too) lives in the map's own string
 * store, freed all at once by map_free(): one malloc per 64 kB, not one
 * per string (at 100,000 rows, 200,000 mallocs of 32 bytes or more).
 * Rows and maps only point at them; a string to set in a row comes from
 * map_strdup() on that map.
 */
struct map_row {
	char	*ctid;		/* NULL for a pool (FREE, HOST, ...) */
	char	*name;		/* container name, or the pool's label */
	size_t	 eq;		/* '=' blocks: guaranteed RAM */
	size_t	 plus;		/* '+' blocks: beyond the guarantee */
	char	*before;	/* comment and blank lines above, or NULL */
	char	*comment;	/* trailing "# ..." of the row, or NULL */
	/* 32 bits: map_parse() takes no text of 4 GiB or more. */
	uint32_t line;		/* where it was read; 0 if made up */
	uint32_t bar_col;	/* column of the bar (or of the line end) */
	size_t	 seq;		/* its index before map_sort's qsort,
				   which is not stable */
	const char *plus_is;	/* what a '+' is to its guest, in the
				   note ("RAM or swap"); NULL: "swap" */
};


struct map {
	uint64_t	 n;		/* blocks the RAM is cut into */
	size_t		 n_line, n_col;
	char		*head;		/* lines above N, or NULL */
	char		*n_comment;	/* trailing comment of the N line */
	char		*tail;		/* comment lines below the last row */
	struct map_row	*rows;
	size_t		 nrows;
	size_t		 rows_room;	/* rows allocated (map.c's business) */
	struct strpool	 strs;		/* every string of the rows */
};

/*
 * Parse text; shown names the file in messages.  Every syntax error is
 * reported ("vzmem: MEM-MAP:12:7: '=' after '+'") and counted; parsing
 * goes on to the end.  A text of 4 GiB (less a byte) or more is one
 * error, unread: lines and columns must fit the rows' 32 bits.
 * The rows array is just big enough.  Returns the number of errors.
 */
size_t	 map_parse(struct map *, const char *, size_t, const char *);

/*
 * The rules that need the host: 1 <= N <= max_n, the '=' total equals N,
 * no CTID twice, no container with neither '=' nor '+'.  Returns the
 * number of errors reported.
 */
size_t	 map_check(const struct map *, uint64_t, const char *);

/*
 * Rows as numeric CTIDs, other CTIDs, then pools with FREE last.  The
 * rows move within the array: a pointer to a row then points at another.
 */
void	 map_sort(struct map *);

/* Room for n more rows: map_add() then neither moves nor overallocates. */
void	 map_reserve(struct map *, size_t);

/* Append a row (copies the strings); returns it.  Moves the rows. */
struct map_row *map_add(struct map *, const char *, const char *, size_t,
	    size_t);

/*
 * A name as a row can hold it, allocated: one field, no comment, not
 * taken for a bar.  Blanks, controls, DEL and '#' become '_', and so
 * does a leading '=' or '+'; an empty name is "-".  -i writes names so,
 * and a row's name that matches this form of the conf's name matches.
 */
char	*map_name_clean(const char *);

/* A copy of s in the map's string store (NULL gives NULL). */
char	*map_strdup(struct map *, const char *);

/* Blocks of '=' and '+' over all rows. */
uint64_t map_eq_total(const struct map *);
uint64_t map_plus_total(const struct map *);

/*
 * The file text: N, then the rows with all bars in one column and fresh
 * notes ("<kB>K", and " + <kB>K swap" with '+' blocks), comments kept.
 * blk_kb is one block, page_kb one page: a note shows what the row gets,
 * whole pages of it.
 */
void	 map_render(const struct map *, uint64_t, uint64_t, struct buf *);

/* Whether map_sort and map_render would give other bytes than text,
 * without changing the map or making the whole text (a second copy of a
 * large map). */
int	 map_differs(const struct map *, uint64_t, uint64_t, const char *,
	    size_t);

void	 map_free(struct map *);

#endif

/*
 * cgfile.h -- what the files of cgfs.h (cgtext.c, cgmount.c, cgpath.c,
 * cgread.c, cgevents.c, cgvalue.c, cgwrite.c) share among themselves;
 * not for the kinds, which use cgfs.h.
 */
#ifndef VZMEM_CGFILE_H
#define VZMEM_CGFILE_H

#include <stddef.h>
#include <stdint.h>

#include "cgroup/cgfs.h"

struct buf;

/* How a file is read. */
enum fkind {
	F_BYTES,		/* one byte count; "max" where max_ok */
	F_COUNT,		/* one count */
	F_EVENTS,		/* "key N" lines: high, max, oom_kill */
	F_OOMCTL,		/* "key N" lines: oom_kill */
	F_PSI			/* "some avg10=N.NN ..." */
};

struct cgfile {
	const char	*name;
	enum cg_version	 version;
	enum fkind	 kind;
	enum cg_item	 item;		/* F_BYTES, F_COUNT, F_PSI */
	int		 max_ok;	/* a limit: v2 prints "max" */
};

/* A line of a file: its bytes without the '\n', and its number. */
struct cg_line {
	const char	*s;
	size_t		 len;
	size_t		 no;
};

/* cgtext.c */
/* isspace() in the C locale: what the kernel's strstrip() removes. */
int	 cg_is_space(int);
/* The line at *off, advancing past it; 0 at the end of the text. */
int	 cg_next_line(const char *, size_t, size_t *, struct cg_line *);
/* The n-th blank-separated token of s[0..len) (0-based). */
int	 cg_token(const char *, size_t, size_t, const char **, size_t *);
int	 cg_tok_is(const char *, size_t, const char *);
/* Digits of base (at most 16): 0, or -1 on overflow; *used counts them. */
int	 cg_digits(const char *, size_t, unsigned, uint64_t *, size_t *);
/* A whole file: 1 read, 0 missing, -1 unreadable (a warning). */
int	 cg_read_text(const char *, struct buf *);
/* A memory file in a directory fd, in one read where it can: 1, 0, -1. */
int	 cg_read_small(int, const char *, const char *, struct buf *);

/* cgread.c */
void	 cg_set_item(struct cg_state *, enum cg_item, uint64_t);
void	 cg_bad_item(struct cg_state *, enum cg_item);
/* A warning on a file's bad line, the bytes quoted. */
void	 cg_garbage(const char *, size_t, const char *, const char *,
	    size_t);

/* cgvalue.c: memory.max or memory.limit_in_bytes, the RAM limit. */
int	 cg_is_limit(enum cg_item);

/* cgevents.c */
void	 cg_parse_keyed(struct cg_state *, const struct cgfile *,
	    const char *, size_t, const char *);
void	 cg_parse_psi(struct cg_state *, const char *, size_t,
	    const char *);

#endif

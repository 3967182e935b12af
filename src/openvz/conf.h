/*
 * conf.h -- a container conf file (<confdir>/<CTID>.conf) as lines, read
 * the way vzctl reads it, changed value by value, written back with every
 * other byte kept.
 */
#ifndef VZMEM_CONF_H
#define VZMEM_CONF_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"
#include "value.h"

struct conf_line {
	size_t	 off, len;	/* the line in text, without its '\n' */
	size_t	 name_off;	/* NAME: from the first non-blank ... */
	size_t	 name_len;	/* ... to the first '='; 0: no assignment */
	size_t	 val_off;	/* the value, quotes excluded */
	size_t	 val_len;
	int	 quoted;	/* the value was in double quotes */
	char	*newval;	/* set by conf_set(), or NULL */
	size_t	 lineno;	/* 1-based line in the file */
};

struct conf {
	char		 *path;		/* the file read; NULL when lean */
	char		 *shown;	/* its name in messages, "101.conf" */
	const char	 *guest;	/* its guest's id in findings, or
					   NULL (not owned) */
	struct buf	  text;		/* the bytes read (lean: records) */
	struct conf_line *lines;	/* NULL when lean */
	size_t		  nlines;	/* lean: the names assigned */
	char		**added;	/* NAME="value" lines to append */
	size_t		  nadded;
	const char *const *names;	/* lean: the names kept */
	int		  dirty;	/* some conf_set() changed a value */
	int		  lean;		/* only names' values were kept */
};

/* Read path; shown names it in messages.  -1 with errno on I/O error. */
int	 conf_load(struct conf *, const char *, const char *);

/* Parse text already in memory (conf_load's second half; for tests and
 * fuzzing).  Takes ownership of nothing: text is copied. */
void	 conf_parse(struct conf *, const char *, size_t, const char *);

/*
 * The last assignment of name (vzctl reads top to bottom, so it wins):
 * its line index, or -1 when name is not assigned.
 */
long	 conf_find(const struct conf *, const char *);

/* The value text of name (not NUL-terminated), or NULL when absent. */
const char *conf_get(const struct conf *, const char *, size_t *);

/* HOSTNAME-like string values, allocated, or NULL when absent. */
char	*conf_string(const struct conf *, const char *);

/*
 * Parse name as a resource value, as vzctl does (value_parse).  Returns
 * 1 when present and valid; 0 when absent, or when vzctl skips the value
 * too (a warning: "101.conf:LINE: warning: NAME: invalid value '...':
 * reason; vzctl skips it, and so does vzmem"); -1 when vzctl reads it
 * but vzmem cannot (an error).  A side above LONG_MAX is unlimited, with
 * a warning that vzctl truncates it.
 */
int	 conf_value(const struct conf *, const char *, uint64_t,
	    struct value *);

/*
 * The same without a message: 1, 0, -1 (VAL_UNREAD) or -2 (VAL_SKIP:
 * vzctl skips it), and the line of the value and the reason it is
 * invalid (line and why may be NULL).
 */
int	 conf_peek(const struct conf *, const char *, uint64_t,
	    struct value *, size_t *, const char **);

/*
 * Set name to val: the last assignment's value is replaced (a quoted value
 * stays quoted, a bare one bare); a missing name is appended as
 * NAME="val".  Setting the same text again changes nothing.
 */
void	 conf_set(struct conf *, const char *, const char *);

/* The file as it would be written now.  Never of a lean conf (abort). */
void	 conf_render(const struct conf *, struct buf *);

/*
 * A lean conf keeps only the last assignment of each name of names
 * (NULL-terminated, at most CONF_LEAN_MAX, kept by the caller as long as
 * the conf): every command reads the confs so (-a reads one whole only
 * to write it).  A conf of 1 kB shrinks to one allocation of about 150
 * bytes (an 8-byte record per name, its name shown, the values kept):
 * 15 MB for 100,000 containers, besides their struct conf.  Reading
 * (conf_find, conf_get, conf_value, line numbers in messages) is
 * unchanged for the names kept; other names read as absent; conf_set
 * and conf_render abort.
 */
#define CONF_LEAN_MAX	32

/* Read path (relative to the directory dirfd, or AT_FDCWD) into scratch
 * (reused from conf to conf, so that reading allocates only what is
 * kept) and keep it lean.  -1 with errno on I/O error. */
int	 conf_load_lean(struct conf *, int, const char *, const char *,
	    const char *const *, struct buf *);

/* Make a whole conf lean (conf_load_lean's second half, for tests and
 * fuzzing, as conf_parse is conf_load's). */
void	 conf_lean(struct conf *, const char *const *);

void	 conf_free(struct conf *);

#endif

/*
 * lxc.h -- LXC containers: which there are (<lxcpath>/NAME/config),
 * their config read as LXC 5 reads it and rewritten with every other
 * byte kept, where a running one's memory cgroup is, and the share its
 * config and cgroup say (-i).  Plain structs and functions.
 */
#ifndef VZMEM_LXC_H
#define VZMEM_LXC_H

#include <stddef.h>
#include <stdint.h>

#include "cgroup/cgfs.h"
#include "util.h"

#define LXC_PATH	"/var/lib/lxc"	/* lxcpath, under --root */

/* A NAME of lxc:NAME: [A-Za-z0-9._-], not starting with '.' or '-', at
 * most 255 bytes.  (LXC allows more; vzmem makes paths and argv words
 * of it.) */
int	 lxc_name_valid(const char *, size_t);

/*
 * The containers of lxcpath: every NAME whose NAME/config is a regular
 * file (or a symlink to one), sorted in byte order, the strings in pool
 * and the array allocated.  Names starting with '.' are skipped, as the
 * shell's "*" skips them.  A name that is not valid, or whose config is
 * a dangling symlink, is a warning saying how to map it, and left out;
 * *nbad counts them.  A missing lxcpath has no containers.  VZ_OK, or
 * VZ_FAIL when lxcpath cannot be read.
 */
int	 lxc_list(const char *, struct strpool *, char ***, size_t *,
	    size_t *);

/* A line of a config, as LXC's parse_line() sees it. */
struct lxc_line {
	size_t	 off, len;	/* the line in text, without its '\n' (a
				   '\r' before it is in len) */
	size_t	 key_off;	/* the key: after leading blanks, up to */
	size_t	 key_len;	/* the '=' less blanks; 0: no assignment */
	size_t	 val_off;	/* the value, blanks and quotes excluded */
	size_t	 val_len;
	char	 quote;		/* '"' or '\'' around the value, or 0 */
	char	*newval;	/* set by lxc_conf_set(), or NULL */
	size_t	 lineno;	/* 1-based */
};

/* A key the config did not have, and where it goes. */
struct lxc_added {
	char	*key, *val;
	size_t	 before;	/* the line it goes before; nlines: the end */
};

struct lxc_conf {
	char		 *path;		/* the file read, or NULL */
	char		 *shown;	/* its name in messages */
	struct buf	  text;		/* the bytes read */
	struct lxc_line	 *lines;
	size_t		  nlines;
	struct lxc_added *added;
	size_t		  nadded;
	const char	 *eol;		/* the file's own line end: the
					   first line's, "\r\n" or "\n" */
	size_t		  include_line;	/* the first lxc.include, or 0 */
	int		  dirty;	/* the rendering differs */
};

/*
 * Read a config: "key = value" (blanks around '=' allowed, a value in
 * matching single or double quotes unquoted), '#' comments, blank
 * lines; a line without '=' or not starting with "lxc." is kept and
 * means nothing here (LXC ignores or rejects it).  The last assignment
 * of a key counts; an empty value unsets it (LXC clears the key).  An
 * lxc.include is left alone, and lxc_conf_load warns once, at the
 * first one, that included files are not read.  -1 with errno on I/O
 * error.
 */
int	 lxc_conf_load(struct lxc_conf *, const char *, const char *);

/* The same from memory (text copied), without the warning. */
void	 lxc_conf_parse(struct lxc_conf *, const char *, size_t,
	    const char *);

/* The value of key now (as it would be written; not NUL-terminated), or
 * NULL when it is not assigned; *lineno (may be NULL) its line. */
const char *lxc_conf_get(const struct lxc_conf *, const char *, size_t *,
	    size_t *);

/*
 * Set key to val: the last assignment's value is replaced (quotes kept,
 * and every byte around it); a missing key is added as "key = val" with
 * the file's line end, before the last assignment of the key before
 * (may be NULL) if there is one, else at the end.  Setting the text a
 * key has changes nothing.
 */
void	 lxc_conf_set(struct lxc_conf *, const char *, const char *,
	    const char *);

/* The file as it would be written now. */
void	 lxc_conf_render(const struct lxc_conf *, struct buf *);

/* Replace the file atomically (mode and owner kept) when dirty, opened
 * once with file_open(): a symbolic link, anything but a regular file,
 * or a file that changed since it was read is not written.  0, or -1
 * after a message naming the file (-1 and EINVAL, no message, for a
 * config that was parsed, not read). */
int	 lxc_conf_write(const struct lxc_conf *);

void	 lxc_conf_free(struct lxc_conf *);

/* The config key of a memory file for the host's version:
 * "lxc.cgroup2.memory.max", "lxc.cgroup.memory.limit_in_bytes"; NULL
 * for a file vzmem does not set. */
const char *lxc_key(enum cg_version, enum cg_item);

/*
 * The guarantee and RAM limit the config sets for the host's version
 * (v2: the mode's lxc.cgroup2.memory.low or .min, else the other one,
 * and .max; v1: lxc.cgroup.memory.soft_limit_in_bytes and
 * .limit_in_bytes), parsed as the kernel parses them.  A value that
 * does not parse is a warning naming the file, line and key, and
 * counts as not set.  Returns the number of such values.
 */
size_t	 lxc_conf_knobs(const struct lxc_conf *, enum cg_version,
	    enum cg_guar, uint64_t, struct cg_knobs *);

/*
 * Set the config's keys to want for the host fs, in plain bytes; a key
 * whose value already means those bytes keeps its spelling ("256M"
 * stays).  A missing v1 limit goes before an existing memsw, a missing
 * memsw after the limit: the order the kernel needs them in on a start.
 * (LXC sorts them so itself since 2.0; 1.x wrote them in the config's
 * order.)  Without swap accounting the memsw or swap.max key is not
 * added or changed (LXC would fail to start the container on the
 * missing file) and its bit (1 << enum cg_item) is returned.
 */
uint32_t lxc_conf_want(struct lxc_conf *, const struct cgfs *,
	    const struct cg_want *);

/*
 * The memory cgroup of running container name, relative to the mount:
 * the first that exists of lxc.cgroup.dir.container, or
 * lxc.cgroup.dir/lxc.payload.NAME and lxc.cgroup.dir/NAME (LXC 4 and
 * later, LXC 3), then lxc.payload.NAME and lxc/NAME (LXC's defaults
 * since 4.0 and before).  With lxc.cgroup.relative = 1 the cgroup lies
 * under the starter's own cgroup, which only the container's init pid
 * could tell: each candidate is looked for also one, two and three
 * levels down (a systemd session scope is three), and taken when it is
 * there exactly once; found more than once it is a warning, and the
 * container counts as stopped (its config is still written).  A
 * configured dir that is no valid cgroup path is a warning and skipped.
 * Returns 1 with *path allocated, or 0: stopped.
 */
int	 lxc_cgroup_find(const struct cgfs *, const struct lxc_conf *,
	    const char *, char **);

/*
 * The lxc.cgroup.dir.container (else lxc.cgroup.dir) of c when it names
 * a cgroup that is not container name's: one in the host's system.slice
 * or user.slice, one with a component named like a systemd unit (.service,
 * .scope, .socket, .mount, .swap), or a dir.container whose last component
 * is neither NAME nor lxc.payload.NAME.  1 with the key, its value
 * (allocated), its line and why; 0 when it is the container's or unset
 * (or no cgroup path at all: lxc_cgroup_find warns of that).
 * lxc_cgroup_find looks at no cgroup of such a container.
 */
int	 lxc_cgroup_foreign(const struct lxc_conf *, const char *,
	    const char **, char **, size_t *, const char **);

/*
 * Every cgroup vzmem may take for container name (lxc_cgroup_find's
 * candidates, valid ones only; none when lxc_cgroup_foreign), into out
 * (room for 4, allocated): two rows claiming one are refused.
 */
size_t	 lxc_cgroup_claims(const struct lxc_conf *, const char *, char **);

/*
 * -i: the share of container name in pages (cg_share): its config's
 * keys first, then its live cgroup's, then its use (0 when stopped).
 */
void	 lxc_share(const struct cgfs *, const struct lxc_conf *,
	    const char *, enum cg_guar, uint64_t *, uint64_t *);

#endif

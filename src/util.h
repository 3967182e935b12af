/*
 * util.h -- the pieces every module shares: one error reporter, memory
 * allocation that cannot fail, growable buffers, atomic file replacement,
 * the lock, and running a child from an argv.
 */
#ifndef VZMEM_UTIL_H
#define VZMEM_UTIL_H

#include <sys/types.h>

#include <stdarg.h>
#include <stdio.h>
#include <stddef.h>
#include <stdint.h>

/* Exit status, shared by the code and the EXIT STATUS of vzmem(8). */
enum {
	VZ_OK = 0,		/* success */
	VZ_FAIL = 1,		/* a failure while working: I/O, lock, vzctl */
	VZ_INVALID = 2		/* invalid input: map, conf, command line */
};

/* -q gives -1, -v gives 1 or more.  Set once by main(), read elsewhere. */
extern int verbosity;

#define PRINTFLIKE(f, a) __attribute__((format(printf, f, a)))

/*
 * Messages on stderr, "vzmem: FILE:LINE:COL: message".  A NULL file, a
 * zero line or a zero column leaves that part out.  vz_warn() adds
 * "warning: " and is silenced by -q; vz_info() is silenced by -q too.
 * vz_syserr() appends ": strerror(errno)".
 */
void	 vz_err(const char *, size_t, size_t, const char *, ...)
	    PRINTFLIKE(4, 5);
void	 vz_warn(const char *, size_t, size_t, const char *, ...)
	    PRINTFLIKE(4, 5);
void	 vz_info(const char *, ...) PRINTFLIKE(1, 2);
void	 vz_syserr(const char *, const char *, ...) PRINTFLIKE(2, 3);

/*
 * The same with what a message is about, for the tap: one record per
 * finding.  (Interim: lib/msg.h replaces this.)
 */
enum vz_level { VZ_LINFO, VZ_LWARN, VZ_LERROR };
struct where {
	const char	*file;
	size_t		 line, col;
	const char	*guest;
	const char	*param;
};
void	 vz_report(const struct where *, enum vz_level, const char *, ...)
	    PRINTFLIKE(3, 4);
struct finding {
	enum vz_level	 level;
	const char	*file;
	size_t		 line, col;
	const char	*guest, *param;
	const char	*msg;
};
/* Every error and warning (also those -q silences) as a record, for -c
 * and -s; NULL: none. */
typedef void	 vz_tap_fn(void *, const struct finding *);
void	 vz_tap(vz_tap_fn *, void *);

/* Allocation: on failure print "out of memory" and exit 1 (temp files
 * registered below are removed on the way out). */
void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xreallocarray(void *, size_t, size_t);
char	*xstrdup(const char *);
char	*xstrndup(const char *, size_t);
char	*xasprintf(const char *, ...) PRINTFLIKE(1, 2);

/* A growable byte buffer; data is always NUL-terminated (not in len). */
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

/* A string from a file, safe for a terminal: controls and DEL as '?'. */
void	 screen_str(struct buf *, const char *);

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

/* v in decimal: what "%" PRIu64 gives, without printf's cost (the dry
 * run and the map format some 100,000 numbers). */
void	 buf_addu64(struct buf *, uint64_t);

/* Write b to f and empty it once it holds at least min bytes (0: now),
 * so that long output (100,000 rows) is never held whole. */
void	 buf_spill(struct buf *, FILE *, size_t);
#define SPILL_MIN	65536

/*
 * Room for n more bytes (and the NUL) with no realloc on the way, and no
 * more than that: for a text whose size is known, or closely estimated,
 * before it is written (doubling could leave it in twice the memory).
 */
void	 buf_reserve(struct buf *, size_t);

/* Decimal digits only, no sign, no blanks; 0 if the value is <= max. */
int	 parse_u64(const char *, size_t, uint64_t, uint64_t *);

/*
 * Read a whole file into buf (appending).  A regular file's buffer is
 * just its size.  -1 with errno on failure.
 */
int	 file_read(const char *, struct buf *);
/* The same for path relative to the directory dirfd (or AT_FDCWD):
 * reading 100,000 confs, the conf dir's path is walked once. */
int	 file_read_at(int, const char *, struct buf *);

/*
 * Replace a file atomically: a temp file in the same directory named
 * ".NAME.vzmem-tmp-XXXXXX" (never "*.conf"), write all, fsync, rename over
 * the target, fsync the directory.  An existing target keeps its mode and
 * owner, a missing one gets newmode.  A symlink is followed and its target
 * replaced.  Returns 0, or -1 with errno (temp file removed).
 */
int	 file_replace(const char *, const void *, size_t, mode_t);

/*
 * Register a temp file of one's own (path is kept, not copied) to be
 * removed at exit and on SIGINT, SIGTERM, SIGHUP, SIGQUIT, like the temp
 * files of file_replace(); unregister it once it is gone or kept.
 * temp_register() returns -1 when the table is full.
 */
int	 temp_register(char *);
void	 temp_unregister(const char *);

/*
 * Install new as path (shown names it in messages), keeping old (when
 * not NULL) as "path.bak" first: a hand-edited file must never vanish.
 * VZ_OK, or VZ_FAIL after a message (path untouched if .bak failed).
 */
int	 file_install(const char *, const char *, const struct buf *,
	    const struct buf *);

/* Whether a temp file of ours is in dir. */
int	 tmp_exists(const char *);

/*
 * The same, but when the target lies in the directory synced, that
 * directory is not fsynced: the caller replaces many files there and
 * calls fsync_dir(synced) once after the last.  (Each rename is atomic
 * either way; the one fsync makes them all durable.)
 */
int	 file_replace_in(const char *, const void *, size_t, mode_t,
	    const char *);

/* fsync a directory (file systems that cannot: no error). */
int	 fsync_dir(const char *);

/* Remove temp files a killed run left in dir; returns how many. */
size_t	 tmp_sweep(const char *);

/*
 * The lock beside the map: flock(2) on path, our PID written into it.
 * Returns an fd >= 0; when busy and !wait, prints who holds it and
 * returns -1.  Released by lock_release() or at exit.
 */
int	 lock_take(const char *, int);
void	 lock_release(int);

/*
 * Run argv[0] (looked up on PATH when it has no '/') with fork and execvp,
 * never a shell.  Returns its exit status, 128+N for a signal N, 126 or
 * 127 when it could not be executed, -1 when fork failed.
 */
int	 run_argv(char *const []);

/* Free a NULL-terminated argv of allocated words. */
void	 argv_free(char **);

#endif

/*
 * msg.h -- the one reporter: every error, warning and note vzmem prints
 * on stderr, the record of each for -c and -s, safe display of bytes
 * that come from files, and the exit status they amount to.
 */
#ifndef VZMEM_LIB_MSG_H
#define VZMEM_LIB_MSG_H

#include <stddef.h>

#include "lib/buf.h"
#include "lib/cdefs.h"

/* Exit status, shared by the code and the EXIT STATUS of vzmem(8). */
enum {
	VZ_OK = 0,		/* success */
	VZ_FAIL = 1,		/* a failure while working: I/O, lock, vzctl */
	VZ_INVALID = 2		/* invalid input: map, conf, command line */
};

/* -q gives -1, -v gives 1 or more.  Set once by main(), read elsewhere. */
extern int verbosity;
/* While above 0 no message is printed nor recorded: around a read
 * whose findings are not the user's business (-e's old map). */
extern int vz_muted;

enum vz_level { VZ_LINFO, VZ_LWARN, VZ_LERROR };

struct where {			/* what a message is about; any may be 0 */
	const char	*file;	/* "MEM-MAP", "101.conf", a path */
	size_t		 line, col;
	const char	*guest;	/* the guest's map id: "101", "lxc:web" */
	const char	*param;	/* the setting: "memory.max", a vzctl one */
};

struct finding {		/* what the tap receives: one record */
	enum vz_level	 level;
	const char	*file;
	size_t		 line, col;
	const char	*guest, *param;
	const char	*msg;	/* formatted, without prefix and level,
				   raw bytes */
};

/*
 * One message on stderr, as one write:
 *	vzmem: FILE:LINE:COL: error: message
 *	vzmem: FILE:LINE: warning: message
 *	vzmem: error: message			(no file)
 * A NULL file, a zero line or a zero column leaves that part out (a
 * column only with a line).  The level is always printed for errors and
 * warnings.  File and message pass through screen_str().  -q silences
 * warnings, never errors.  VZ_LINFO prints no level.
 */
void	 vz_report(const struct where *, enum vz_level, const char *, ...)
	    PRINTFLIKE(3, 4);
/* vz_report() of an error or a warning at file:line:col. */
void	 vz_err(const char *, size_t, size_t, const char *, ...)
	    PRINTFLIKE(4, 5);
void	 vz_warn(const char *, size_t, size_t, const char *, ...)
	    PRINTFLIKE(4, 5);
/* An error about file (or NULL), ": strerror(errno)" appended; errno is
 * kept. */
void	 vz_syserr(const char *, const char *, ...) PRINTFLIKE(2, 3);
/* A note: no level, not a finding, silenced by -q. */
void	 vz_info(const char *, ...) PRINTFLIKE(1, 2);

/*
 * A recorder of every error and warning (also the warnings -q
 * silences), for -c and -s: they count them and list them in --json.
 * The record lives for the call only.  NULL: none (the default).  Set by
 * a command before it reads anything.
 */
typedef void	 vz_tap_fn(void *, const struct finding *);
void	 vz_tap(vz_tap_fn *, void *);

/*
 * A string from a file, safe for a terminal (SPEC 7): C0 controls, tab
 * and DEL as '?', C1 controls (U+0080..U+009F) and the bidi controls
 * (U+202A..U+202E, U+2066..U+2069) as '?', bytes that are not UTF-8 as
 * "\xNN"; other valid UTF-8 as it is.  screen_strn() takes n bytes (a
 * NUL among them is a '?').
 */
void	 screen_str(struct buf *, const char *);
void	 screen_strn(struct buf *, const char *, size_t);
/*
 * The columns n bytes of screened text fill: one a code point.  Not
 * wcwidth(): its table is the locale's, and vzmem's output must not
 * depend on it; a wide (CJK) character counts one.
 */
size_t	 screen_cols(const char *, size_t);
/*
 * A child's output (vzctl's) on stdout, n bytes: "LABEL: line" for each
 * line, the line screened as above, so that what a child prints cannot
 * drive the terminal and a NUL in it does not cut the line.
 */
void	 vz_child_lines(const char *, const char *, size_t);

#endif

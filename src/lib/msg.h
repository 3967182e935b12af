/*
 * msg.h -- the one reporter: every error, warning and note vzmem prints
 * on stderr, and the exit status they amount to.
 */
#ifndef VZMEM_LIB_MSG_H
#define VZMEM_LIB_MSG_H

#include <stddef.h>

#include "lib/cdefs.h"

/* Exit status, shared by the code and the EXIT STATUS of vzmem(8). */
enum {
	VZ_OK = 0,		/* success */
	VZ_FAIL = 1,		/* a failure while working: I/O, lock, vzctl */
	VZ_INVALID = 2		/* invalid input: map, conf, command line */
};

/* -q gives -1, -v gives 1 or more.  Set once by main(), read elsewhere. */
extern int verbosity;

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
 * A recorder of every error and warning that vz_err() and vz_warn()
 * report (also warnings that -q silences), for -c and -s: they count
 * them and list them in --json.  The message is passed without the
 * "vzmem: FILE:LINE:COL: " prefix and "warning: ".  NULL: none (the
 * default).  Set by a command before it reads anything.
 */
typedef void	 vz_tap_fn(void *, int, const char *, size_t, size_t,
		    const char *);
void	 vz_tap(vz_tap_fn *, void *);

#endif

/*
 * tmpfile.h -- the temp files vzmem is writing, removed if it dies on the
 * way (exit, out of memory, SIGINT, SIGTERM, SIGHUP, SIGQUIT), and the
 * ones a killed run left behind.  Every temp file of vzmem is named
 * ".NAME.vzmem-tmp-XXXXXX" in the directory of NAME, never "*.conf".
 */
#ifndef VZMEM_LIB_TMPFILE_H
#define VZMEM_LIB_TMPFILE_H

#include <stddef.h>

/*
 * Register a temp file (path is kept, not copied) to be removed at exit
 * and on those signals (fatal.h); unregister it once it is gone or kept.
 * temp_register() returns -1 when the table is full.
 */
int	 temp_register(char *);
/* The same for name in the directory dirfd (kept open meanwhile). */
int	 temp_register_at(int, char *);
void	 temp_unregister(const char *);
/* Remove every registered temp file now; async-signal-safe. */
void	 temp_remove_all(void);

/* Whether a temp file of ours is in dir. */
int	 tmp_exists(const char *);

/* Remove temp files a killed run left in dir; returns how many.  Only
 * the lock holder may: another run could be writing them. */
size_t	 tmp_sweep(const char *);
/* Those of the file name only, in the directory dirfd (an OpenVZ 7
 * ve.conf's: VE_PRIVATE holds no other file of vzmem's). */
size_t	 tmp_sweep_of(int, const char *);

#endif

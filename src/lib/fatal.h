/*
 * fatal.h -- what SIGHUP, SIGINT, SIGQUIT and SIGTERM do to vzmem
 * (SPEC 5b): every child's process group ended (SIGTERM, a grace,
 * SIGKILL, reaped), the temp files removed, the lock file emptied, and
 * then vzmem dies of that signal, so its parent sees 128+N.
 */
#ifndef VZMEM_LIB_FATAL_H
#define VZMEM_LIB_FATAL_H

/*
 * Install the handlers, once, before any child or temp file exists.
 * Signals that were ignored (nohup) stay ignored.  0, or -1 with errno.
 */
int	 fatal_catch(void);

#endif

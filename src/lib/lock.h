/*
 * lock.h -- the one lock per host that serialises every run that writes
 * (-i, -a, -e): DIR/lock, DIR being /run/vzmem (SPEC 5b).
 */
#ifndef VZMEM_LIB_LOCK_H
#define VZMEM_LIB_LOCK_H

/*
 * flock(2) on dir/name, our PID written into it while it is held.  dir
 * is made (mode 0700) when missing; its parent must exist.  dir and the
 * file are refused, with a message naming the one at fault, when they
 * are a symbolic link, not of their kind (a directory; a regular file:
 * not a FIFO, never opened so that it could block), owned by another
 * user than the effective one, or writable by group or others.  Returns
 * an fd >= 0; when busy and !wait, prints who holds it and returns -1.
 * Released by lock_release(), or at exit (the fd closes on exec: no
 * child holds it).
 */
int	 lock_take(const char *, const char *, int);
void	 lock_release(int);

/* Empty the lock file held, so that it names no dead process: for the
 * handler of a signal that ends vzmem (async-signal-safe). */
void	 lock_drop(void);

#endif

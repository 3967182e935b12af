/*
 * lock.h -- the one lock per host that serialises every run that writes
 * (-i, -a, -e).
 */
#ifndef VZMEM_LIB_LOCK_H
#define VZMEM_LIB_LOCK_H

/*
 * flock(2) on path, our PID written into it.  Returns an fd >= 0; when
 * busy and !wait, prints who holds it and returns -1.  Released by
 * lock_release() or at exit (the fd closes on exec: no child holds it).
 */
int	 lock_take(const char *, int);
void	 lock_release(int);

#endif

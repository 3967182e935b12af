/*
 * alloc.h -- memory allocation that cannot fail.  Out of memory is
 * handled here, once, not at every call: "vzmem: error: out of memory"
 * and exit 1 (temp files registered with tmpfile.h are removed on the
 * way out, by their atexit handler).
 */
#ifndef VZMEM_LIB_ALLOC_H
#define VZMEM_LIB_ALLOC_H

#include <stddef.h>

#include "lib/cdefs.h"

void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xreallocarray(void *, size_t, size_t);
char	*xstrdup(const char *);
char	*xstrndup(const char *, size_t);
/* Allocated to the exact size: the planner keeps six per container. */
char	*xasprintf(const char *, ...) PRINTFLIKE(1, 2);

/* The message and exit 1: for sizes that would overflow, too. */
void	 nomem(void) NORETURN;

#endif

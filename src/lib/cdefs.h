/*
 * cdefs.h -- the compiler attributes the lib headers share, as in BSD's
 * <sys/cdefs.h>: one spelling, so that gcc and clang check every format.
 */
#ifndef VZMEM_LIB_CDEFS_H
#define VZMEM_LIB_CDEFS_H

#define PRINTFLIKE(f, a)	__attribute__((format(printf, f, a)))
#define NORETURN		__attribute__((noreturn))

#endif

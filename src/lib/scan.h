/*
 * scan.h -- reading the text of a file: decimal numbers, as every
 * parser here (confs, meminfo, beancounters, the command line) reads
 * them.
 */
#ifndef VZMEM_LIB_SCAN_H
#define VZMEM_LIB_SCAN_H

#include <stddef.h>
#include <stdint.h>

/* Decimal digits only, no sign, no blanks; 0 if the value is <= max,
 * else -1 (*out untouched). */
int	 parse_u64(const char *, size_t, uint64_t, uint64_t *);

#endif

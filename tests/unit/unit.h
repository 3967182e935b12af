/*
 * unit.h -- the smallest test harness: CHECK prints "ok unit: NAME" or
 * "FAIL unit: NAME (file:line)"; main returns unit_result().
 */
#ifndef VZMEM_UNIT_H
#define VZMEM_UNIT_H

#include <stdio.h>

static int unit_failed;

#define CHECK(name, cond) do {						\
	if (cond)							\
		printf("ok unit: %s\n", (name));			\
	else {								\
		printf("FAIL unit: %s (%s:%d)\n", (name), __FILE__,	\
		    __LINE__);						\
		unit_failed++;						\
	}								\
} while (0)

static inline int
unit_result(void)
{
	return unit_failed ? 1 : 0;
}

#endif

/*
 * unit.h -- the smallest test harness: CHECK prints "ok unit: NAME" or
 * "FAIL unit: NAME (file:line)"; main returns unit_result().
 */
#ifndef VZMEM_UNIT_H
#define VZMEM_UNIT_H

#include <stdio.h>

#include "lib/spawn.h"

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

/* Run argv (cp -a, rm -rf of a test's tree) and wait: its exit status,
 * -1 when it could not be run. */
static inline int
run_argv(char *const argv[])
{
	struct spawn_opts so = { 0, -1, NULL };
	pid_t pid;
	int st;

	if (spawn(argv, &so, &pid) != 0 || spawn_wait(pid, 0, &st) == -1)
		return -1;
	return st;
}

static inline int
unit_result(void)
{
	return unit_failed ? 1 : 0;
}

#endif

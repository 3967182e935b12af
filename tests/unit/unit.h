/*
 * unit.h -- the smallest test harness: CHECK prints "ok unit: NAME" or
 * "FAIL unit: NAME (file:line)"; main returns unit_result().
 */
#ifndef VZMEM_UNIT_H
#define VZMEM_UNIT_H

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "lib/buf.h"
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
	struct spawn_opts so = { 0, -1, NULL, 0 };
	pid_t pid;
	int st;

	if (spawn(argv, &so, &pid) != 0 || spawn_wait(pid, 0, &st) == -1)
		return -1;
	return st;
}

/* Exit at once when a set-up step (mkdir, symlink, ...) failed. */
static inline void
must(int r, const char *what)
{
	if (r == -1) {
		perror(what);
		exit(1);
	}
}

/*
 * What goes to stderr from err_begin() until err_end(), which returns
 * it (allocated): messages are part of what a unit test checks.
 */
struct err_capture {
	FILE	*file;
	int	 saved;
};

static inline struct err_capture *
err_capture(void)
{
	static struct err_capture c = { NULL, -1 };

	return &c;
}

static inline void
err_begin(void)
{
	struct err_capture *c = err_capture();

	fflush(stderr);
	c->file = tmpfile();
	c->saved = dup(2);
	dup2(fileno(c->file), 2);
}

static inline char *
err_end(void)
{
	struct err_capture *c = err_capture();
	struct buf b = { NULL, 0, 0 };
	char chunk[512];
	size_t n;

	fflush(stderr);
	dup2(c->saved, 2);
	close(c->saved);
	rewind(c->file);
	buf_add(&b, "", 0);
	while ((n = fread(chunk, 1, sizeof(chunk), c->file)) > 0)
		buf_add(&b, chunk, n);
	fclose(c->file);
	return b.data;
}

static inline int
unit_result(void)
{
	return unit_failed ? 1 : 0;
}

#endif

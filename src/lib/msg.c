/*
 * msg.c -- the reporter (msg.h).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "lib/buf.h"
#include "lib/msg.h"

int verbosity;

/* vz_tap(): set once by a command, like verbosity. */
static vz_tap_fn *tap;
static void	*tap_arg;

static void	 vmsg(const char *, const char *, size_t, size_t,
		    const char *, va_list);
static void	 tap_msg(int, const char *, size_t, size_t, const char *,
		    va_list);

static void
vmsg(const char *kind, const char *file, size_t line, size_t col,
    const char *fmt, va_list ap)
{
	fflush(stdout);
	fputs("vzmem: ", stderr);
	if (file != NULL) {
		fputs(file, stderr);
		if (line > 0)
			fprintf(stderr, ":%zu", line);
		if (line > 0 && col > 0)
			fprintf(stderr, ":%zu", col);
		fputs(": ", stderr);
	}
	if (kind != NULL)
		fputs(kind, stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void
vz_tap(vz_tap_fn *fn, void *arg)
{
	tap = fn;
	tap_arg = arg;
}

static void
tap_msg(int warning, const char *file, size_t line, size_t col,
    const char *fmt, va_list ap)
{
	struct buf b = { NULL, 0, 0 };

	buf_vprintf(&b, fmt, ap);
	tap(tap_arg, warning, file, line, col, b.data);
	buf_free(&b);
}

void
vz_err(const char *file, size_t line, size_t col, const char *fmt, ...)
{
	va_list ap;

	if (tap != NULL) {
		va_start(ap, fmt);
		tap_msg(0, file, line, col, fmt, ap);
		va_end(ap);
	}
	va_start(ap, fmt);
	vmsg(NULL, file, line, col, fmt, ap);
	va_end(ap);
}

void
vz_warn(const char *file, size_t line, size_t col, const char *fmt, ...)
{
	va_list ap;

	if (tap != NULL) {
		va_start(ap, fmt);
		tap_msg(1, file, line, col, fmt, ap);
		va_end(ap);
	}
	if (verbosity < 0)
		return;
	va_start(ap, fmt);
	vmsg("warning: ", file, line, col, fmt, ap);
	va_end(ap);
}

void
vz_info(const char *fmt, ...)
{
	va_list ap;

	if (verbosity < 0)
		return;
	va_start(ap, fmt);
	vmsg(NULL, NULL, 0, 0, fmt, ap);
	va_end(ap);
}

void
vz_syserr(const char *file, const char *fmt, ...)
{
	va_list ap;
	int e = errno;

	fflush(stdout);
	fputs("vzmem: ", stderr);
	if (file != NULL)
		fprintf(stderr, "%s: ", file);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, ": %s\n", strerror(e));
	errno = e;
}

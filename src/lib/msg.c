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
int vz_muted;

/* vz_tap(): set once by a command, like verbosity. */
static vz_tap_fn *tap;
static void	*tap_arg;

static void	 vreport(const struct where *, enum vz_level, const char *,
		    const char *, va_list);
static size_t	 utf8_len(const unsigned char *, size_t, unsigned *);
static int	 hidden(unsigned);

void
vz_tap(vz_tap_fn *fn, void *arg)
{
	tap = fn;
	tap_arg = arg;
}

/*
 * The one path of every message: formatted once, recorded, then
 * printed as one line with one write, so that the lines of vzmem and of
 * the children it runs never interleave within a line.  tail (or NULL)
 * is appended to the message: vz_syserr's strerror.
 */
static void
vreport(const struct where *w, enum vz_level lv, const char *tail,
    const char *fmt, va_list ap)
{
	static const struct where none;
	struct buf m = { NULL, 0, 0 }, out = { NULL, 0, 0 };
	struct finding f;

	if (vz_muted > 0)
		return;
	if (w == NULL)
		w = &none;
	buf_vprintf(&m, fmt, ap);
	if (tail != NULL)
		buf_printf(&m, ": %s", tail);
	if (tap != NULL && lv != VZ_LINFO) {
		f.level = lv;
		f.file = w->file;
		f.line = w->line;
		f.col = w->col;
		f.guest = w->guest;
		f.param = w->param;
		f.msg = m.data;
		tap(tap_arg, &f);
	}
	if (verbosity < 0 && lv != VZ_LERROR) {
		buf_free(&m);
		return;
	}
	buf_addstr(&out, "vzmem: ");
	if (w->file != NULL) {
		screen_str(&out, w->file);
		if (w->line > 0) {
			buf_addc(&out, ':');
			buf_addu64(&out, w->line);
		}
		if (w->line > 0 && w->col > 0) {
			buf_addc(&out, ':');
			buf_addu64(&out, w->col);
		}
		buf_addstr(&out, ": ");
	}
	if (lv == VZ_LERROR)
		buf_addstr(&out, "error: ");
	else if (lv == VZ_LWARN)
		buf_addstr(&out, "warning: ");
	screen_strn(&out, m.data, m.len);
	buf_addc(&out, '\n');
	fflush(stdout);
	fwrite(out.data, 1, out.len, stderr);
	buf_free(&out);
	buf_free(&m);
}

void
vz_report(const struct where *w, enum vz_level lv, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(w, lv, NULL, fmt, ap);
	va_end(ap);
}

void
vz_err(const char *file, size_t line, size_t col, const char *fmt, ...)
{
	struct where w = { file, line, col, NULL, NULL };
	va_list ap;

	va_start(ap, fmt);
	vreport(&w, VZ_LERROR, NULL, fmt, ap);
	va_end(ap);
}

void
vz_warn(const char *file, size_t line, size_t col, const char *fmt, ...)
{
	struct where w = { file, line, col, NULL, NULL };
	va_list ap;

	va_start(ap, fmt);
	vreport(&w, VZ_LWARN, NULL, fmt, ap);
	va_end(ap);
}

void
vz_syserr(const char *file, const char *fmt, ...)
{
	struct where w = { file, 0, 0, NULL, NULL };
	va_list ap;
	int e = errno;

	va_start(ap, fmt);
	vreport(&w, VZ_LERROR, strerror(e), fmt, ap);
	va_end(ap);
	errno = e;
}

void
vz_info(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(NULL, VZ_LINFO, NULL, fmt, ap);
	va_end(ap);
}

/*
 * The length of the UTF-8 sequence at s (n bytes left) and its code
 * point in *cp, or 0 when it is not one: a stray continuation byte, a
 * truncated sequence, an overlong form, a surrogate, above U+10FFFF.
 */
static size_t
utf8_len(const unsigned char *s, size_t n, unsigned *cp)
{
	size_t len, i;
	unsigned c, min;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		c = s[0] & 0x1f;
		min = 0x80;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		c = s[0] & 0x0f;
		min = 0x800;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		c = s[0] & 0x07;
		min = 0x10000;
	} else
		return 0;
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

/*
 * What a terminal would act on, or hide, rather than show: C0, DEL, C1,
 * and the bidi embeddings, overrides and isolates (U+202A..U+202E,
 * U+2066..U+2069), which reorder the text after them ("Trojan
 * Source").
 */
static int
hidden(unsigned cp)
{
	return cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f) ||
	    (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
}

void
screen_strn(struct buf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, len;
	unsigned cp;

	while (i < n) {
		/* A run of printable ASCII at once: the common case. */
		len = 0;
		while (i + len < n && p[i + len] >= 0x20 && p[i + len] < 0x7f)
			len++;
		if (len > 0) {
			buf_add(b, p + i, len);
			i += len;
			continue;
		}
		if ((len = utf8_len(p + i, n - i, &cp)) == 0) {
			buf_addstr(b, "\\x");
			buf_addc(b, hex[p[i] >> 4]);
			buf_addc(b, hex[p[i] & 0x0f]);
			i++;
		} else if (hidden(cp)) {
			buf_addc(b, '?');
			i += len;
		} else {
			buf_add(b, p + i, len);
			i += len;
		}
	}
	if (b->data == NULL)
		buf_add(b, "", 0);
}

void
screen_str(struct buf *b, const char *s)
{
	screen_strn(b, s, strlen(s));
}

size_t
screen_cols(const char *s, size_t n)
{
	size_t i, cols = 0;

	/* One a code point: a byte that is no UTF-8 continuation. */
	for (i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			cols++;
	return cols;
}

void
vz_child_lines(const char *label, const char *s, size_t n)
{
	struct buf out = { NULL, 0, 0 };
	const char *e, *end = s + n;

	for (; s != NULL && s < end; s = e + 1) {
		if ((e = memchr(s, '\n', (size_t)(end - s))) == NULL)
			e = end;
		out.len = 0;
		screen_str(&out, label);
		buf_addstr(&out, ": ");
		screen_strn(&out, s, (size_t)(e - s));
		buf_addc(&out, '\n');
		fwrite(out.data, 1, out.len, stdout);
	}
	buf_free(&out);
}

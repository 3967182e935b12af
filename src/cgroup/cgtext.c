/*
 * cgtext.c -- the text of cgroup and /proc files: lines, blank-separated
 * tokens, digits, a small file read in as few calls as the kernel allows,
 * and garbage quoted for a message.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "cgroup/cgfs.h"
#include "cgroup/cgfile.h"

#define QUOTE_MAX	40		/* bytes of garbage shown */

/* isspace() in the C locale: what the kernel's strstrip() removes. */
int
cg_is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
	    c == '\v' || c == '\f';
}

/* The line at *off, advancing past it; 0 at the end of the text. */
int
cg_next_line(const char *text, size_t len, size_t *off, struct cg_line *l)
{
	const char *nl;

	if (*off >= len)
		return 0;
	l->s = text + *off;
	if ((nl = memchr(l->s, '\n', len - *off)) == NULL)
		nl = text + len;
	l->len = (size_t)(nl - l->s);
	l->no++;
	*off += l->len + 1;
	return 1;
}

/* The n-th blank-separated cg_token of s[0..len) (0-based). */
int
cg_token(const char *s, size_t len, size_t n, const char **t, size_t *tlen)
{
	size_t i = 0, b;

	for (;;) {
		while (i < len && cg_is_space((unsigned char)s[i]))
			i++;
		if (i == len)
			return 0;
		for (b = i; i < len && !cg_is_space((unsigned char)s[i]); i++)
			;
		if (n-- == 0) {
			*t = s + b;
			*tlen = i - b;
			return 1;
		}
	}
}

int
cg_tok_is(const char *t, size_t len, const char *word)
{
	return strlen(word) == len && memcmp(t, word, len) == 0;
}

int
cg_words_have(const char *s, size_t len, const char *word)
{
	const char *t;
	size_t n, tlen;

	for (n = 0; cg_token(s, len, n, &t, &tlen); n++)
		if (cg_tok_is(t, tlen, word))
			return 1;
	return 0;
}

/* 1 read, 0 missing, -1 unreadable (a warning). */
int
cg_read_text(const char *path, struct buf *b)
{
	b->len = 0;
	if (file_read(path, b) == 0)
		return 1;
	if (errno == ENOENT || errno == ENOTDIR)
		return 0;
	vz_warn(path, 0, 0, "cannot read: %s", strerror(errno));
	return -1;
}

/*
 * A memory file, name in the directory dfd (path names it in messages),
 * in as few calls as the kernel allows: open, read, close.
 * A cgroup file comes whole in one read(2) (seq_file fills what it is
 * given), so a short read that ends a line ends the file; anything else
 * is read on to the end.  No fstat: cgroup files have no size.  10,000
 * guests of three files each: 60,000 calls fewer than file_read.  1, 0
 * missing, -1 unreadable (a warning).
 */
int
cg_read_small(int dfd, const char *name, const char *path, struct buf *b)
{
	char chunk[512];
	ssize_t n;
	int fd, e;

	b->len = 0;
	buf_add(b, "", 0);
	if ((fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) ==
	    -1) {
		if (errno == ENOENT || errno == ENOTDIR)
			return 0;
		vz_warn(path, 0, 0, "cannot read: %s", strerror(errno));
		return -1;
	}
	for (;;) {
		n = read(fd, chunk, sizeof(chunk));
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		buf_add(b, chunk, (size_t)n);
		if ((size_t)n < sizeof(chunk) && chunk[n - 1] == '\n')
			break;
	}
	e = errno;
	close(fd);
	if (n == -1) {
		vz_warn(path, 0, 0, "cannot read: %s", strerror(e));
		return -1;
	}
	return 1;
}

void
cg_quote(struct buf *b, const char *s, size_t len)
{
	size_t i;

	buf_add(b, "", 0);
	for (i = 0; i < len && i < QUOTE_MAX; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"' || c == '\\')
			buf_printf(b, "\\%c", c);
		else if (c < 0x20 || c > 0x7e)
			buf_printf(b, "\\x%02x", c);
		else
			buf_addc(b, c);
	}
	if (len > QUOTE_MAX)
		buf_addstr(b, "...");
}

/* Digits of base (at most 16) into *v: 0, or -1 on overflow; *used
 * counts the cg_digits. */
int
cg_digits(const char *s, size_t len, unsigned base, uint64_t *v, size_t *used)
{
	uint64_t x = 0;
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		unsigned d;

		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else
			break;
		if (d >= base)
			break;
		if (x > (UINT64_MAX - d) / base)
			return -1;
		x = x * base + d;
	}
	*v = x;
	*used = i;
	return 0;
}

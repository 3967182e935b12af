/*
 * json.c -- write JSON into a buffer; see json.h for the escaping.
 */
#include <string.h>

#include "json.h"

static void	 member(struct json *, const char *);
static void	 close_with(struct json *, int);
static size_t	 utf8_len(const unsigned char *, size_t);
static int	 hidden(const unsigned char *, size_t);

void
json_init(struct json *j, struct buf *b)
{
	j->b = b;
	j->out = NULL;
	j->depth = 0;
	j->comma = 0;
}

/*
 * The length of the valid UTF-8 sequence at s (at most n bytes), or 0.
 * Overlong forms, surrogates and code points beyond U+10FFFF are not
 * valid (RFC 3629).
 */
static size_t
utf8_len(const unsigned char *s, size_t n)
{
	size_t len, i;
	unsigned char lo = 0x80, hi = 0xbf;

	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		if (s[0] == 0xe0)
			lo = 0xa0;
		else if (s[0] == 0xed)
			hi = 0x9f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		if (s[0] == 0xf0)
			lo = 0x90;
		else if (s[0] == 0xf4)
			hi = 0x8f;
	} else
		return 0;
	if (n < len || s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < len; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return len;
}

/*
 * Whether the valid sequence at s (k bytes) is a C1 control (U+0080..
 * U+009F) or a bidi control (U+202A..U+202E, U+2066..U+2069): escaped,
 * so that a reader printing the raw document is not driven by them.
 */
static int
hidden(const unsigned char *s, size_t k)
{
	if (k == 2)
		return s[0] == 0xc2 && s[1] <= 0x9f;
	return k == 3 && s[0] == 0xe2 &&
	    ((s[1] == 0x80 && s[2] >= 0xaa && s[2] <= 0xae) ||
	    (s[1] == 0x81 && s[2] >= 0xa6 && s[2] <= 0xa9));
}

void
json_quote(struct buf *b, const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i, k;

	buf_addc(b, '"');
	for (i = 0; i < n; i++) {
		if (s[i] == '"' || s[i] == '\\') {
			buf_addc(b, '\\');
			buf_addc(b, s[i]);
		} else if (s[i] < 0x20 || s[i] == 0x7f)
			buf_printf(b, "\\u%04x", s[i]);
		else if (s[i] < 0x80)
			buf_addc(b, s[i]);
		else if ((k = utf8_len(s + i, n - i)) > 0) {
			if (hidden(s + i, k))
				buf_printf(b, "\\u%04x", k == 2 ?
				    (s[i] & 0x1fu) << 6 | (s[i + 1] & 0x3fu) :
				    0x2000u | (s[i + 1] & 0x3fu) << 6 |
				    (s[i + 2] & 0x3fu));
			else
				buf_add(b, s + i, k);
			i += k - 1;
		} else	/* surrogateescape: 0x80..0xff as U+DC80..U+DCFF */
			buf_printf(b, "\\udc%02x", s[i]);
	}
	buf_addc(b, '"');
}

/* The separator, the indentation and the key of the next value. */
static void
member(struct json *j, const char *key)
{
	if (j->out != NULL)
		buf_spill(j->b, j->out, SPILL_MIN);
	if (j->comma)
		buf_addc(j->b, ',');
	if (j->depth > 0) {
		buf_addc(j->b, '\n');
		buf_pad(j->b, ' ', (size_t)j->depth * 2);
	}
	if (key != NULL) {
		json_quote(j->b, key, strlen(key));
		buf_addstr(j->b, ": ");
	}
	j->comma = 1;
}

void
json_obj(struct json *j, const char *key)
{
	member(j, key);
	buf_addc(j->b, '{');
	j->depth++;
	j->comma = 0;
}

void
json_arr(struct json *j, const char *key)
{
	member(j, key);
	buf_addc(j->b, '[');
	j->depth++;
	j->comma = 0;
}

/* An empty container closes on its own line: "[]" and "{}" stay short. */
static void
close_with(struct json *j, int c)
{
	j->depth--;
	if (j->comma) {
		buf_addc(j->b, '\n');
		buf_pad(j->b, ' ', (size_t)j->depth * 2);
	}
	buf_addc(j->b, c);
	j->comma = 1;
}

void
json_end_obj(struct json *j)
{
	close_with(j, '}');
}

void
json_end_arr(struct json *j)
{
	close_with(j, ']');
}

void
json_str(struct json *j, const char *key, const char *s)
{
	if (s == NULL)
		json_null(j, key);
	else
		json_strn(j, key, s, strlen(s));
}

void
json_strn(struct json *j, const char *key, const char *s, size_t n)
{
	member(j, key);
	json_quote(j->b, s, n);
}

void
json_u64(struct json *j, const char *key, uint64_t v)
{
	member(j, key);
	buf_addu64(j->b, v);
}

void
json_bool(struct json *j, const char *key, int v)
{
	member(j, key);
	buf_addstr(j->b, v ? "true" : "false");
}

void
json_null(struct json *j, const char *key)
{
	member(j, key);
	buf_addstr(j->b, "null");
}

void
json_finish(struct json *j)
{
	buf_addc(j->b, '\n');
}

/*
 * fuzz_json.c -- the JSON string writer.  Properties: the output is one
 * quoted string of printable ASCII and valid UTF-8 only (no control
 * byte, no stray '"'), and decoding its escapes gives the input bytes
 * back, as json.h promises: \" \\, \u00XX for a control byte, \udcXX
 * for a byte that is not UTF-8 (surrogateescape), \uXXXX for a C1 or
 * bidi control (encoded back to its UTF-8), and no other escape.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "json.h"

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/*
 * Bytes of the valid UTF-8 sequence at s (n left), its code point in
 * *cpp, or 0.  Written from RFC 3629's definition (decode, then reject
 * overlong forms, surrogates and code points beyond U+10FFFF), not
 * from json.c's byte ranges, so that the two check each other.
 */
static size_t
utf8_ok(const unsigned char *s, size_t n, uint32_t *cpp)
{
	static const uint32_t least[5] = { 0, 0, 0x80, 0x800, 0x10000 };
	uint32_t cp;
	size_t len, i;

	if (s[0] >= 0xf0 && s[0] < 0xf8) {
		len = 4;
		cp = s[0] & 0x07;
	} else if (s[0] >= 0xe0 && s[0] < 0xf0) {
		len = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xc0 && s[0] < 0xe0) {
		len = 2;
		cp = s[0] & 0x1f;
	} else
		return 0;
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if (cp < least[len] || cp > 0x10ffff ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	*cpp = cp;
	return len;
}

/*
 * Whether code point cp is one json.c escapes: a control byte, a byte
 * that is not UTF-8 (U+DC80..U+DCFF), a C1 or a bidi control.
 */
static int
escaped(uint32_t cp)
{
	return cp < 0x20 || cp == 0x7f || (cp >= 0xdc80 && cp <= 0xdcff) ||
	    (cp >= 0x80 && cp <= 0x9f) || (cp >= 0x202a && cp <= 0x202e) ||
	    (cp >= 0x2066 && cp <= 0x2069);
}

/* The bytes an escaped code point stands for. */
static void
add_escaped(struct buf *d, uint32_t cp)
{
	if (cp < 0x80)
		buf_addc(d, (char)cp);
	else if (cp >= 0xdc80 && cp <= 0xdcff)
		buf_addc(d, (char)(cp & 0xff));
	else if (cp < 0x800) {
		buf_addc(d, (char)(0xc0 | cp >> 6));
		buf_addc(d, (char)(0x80 | (cp & 0x3f)));
	} else {
		buf_addc(d, (char)(0xe0 | cp >> 12));
		buf_addc(d, (char)(0x80 | (cp >> 6 & 0x3f)));
		buf_addc(d, (char)(0x80 | (cp & 0x3f)));
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct buf b = { NULL, 0, 0 }, d = { NULL, 0, 0 };
	const unsigned char *s;
	uint32_t cp;
	size_t i, n, k;

	json_quote(&b, (const char *)data, len);
	s = (const unsigned char *)b.data;
	n = b.len;
	PROPERTY(n >= 2 && s[0] == '"' && s[n - 1] == '"');
	for (i = 1; i + 1 < n; ) {
		if (s[i] == '\\') {
			PROPERTY(i + 2 < n);
			if (s[i + 1] == '"' || s[i + 1] == '\\') {
				buf_addc(&d, s[i + 1]);
				i += 2;
				continue;
			}
			PROPERTY(s[i + 1] == 'u' && i + 6 < n);
			cp = 0;
			for (k = 2; k < 6; k++) {
				PROPERTY(hexval(s[i + k]) >= 0);
				cp = cp << 4 | (uint32_t)hexval(s[i + k]);
			}
			PROPERTY(escaped(cp));
			add_escaped(&d, cp);
			i += 6;
		} else if (s[i] >= 0x20 && s[i] < 0x7f) {
			PROPERTY(s[i] != '"');
			buf_addc(&d, s[i]);
			i++;
		} else {
			k = utf8_ok(s + i, n - 1 - i, &cp);
			PROPERTY(k > 0 && !escaped(cp));
			buf_add(&d, s + i, k);
			i += k;
		}
	}
	PROPERTY(d.len == len && (len == 0 || memcmp(d.data, data, len) == 0));
	buf_free(&b);
	buf_free(&d);
	return 0;
}

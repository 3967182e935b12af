/*
 * fuzz_json.c -- the JSON string writer.  Properties: the output is one
 * quoted string of printable ASCII and valid UTF-8 only (no control
 * byte, no stray '"'), and decoding its escapes (\" \\ \u00XX) gives
 * the input bytes back, as json.h promises.
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
 * Bytes of the valid UTF-8 sequence at s (n left), or 0.  Written from
 * RFC 3629's definition (decode, then reject overlong forms, surrogates
 * and code points beyond U+10FFFF), not from json.c's byte ranges, so
 * that the two check each other.
 */
static size_t
utf8_ok(const unsigned char *s, size_t n)
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
	return len;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct buf b = { NULL, 0, 0 }, d = { NULL, 0, 0 };
	const unsigned char *s;
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
			PROPERTY(s[i + 1] == 'u' && i + 6 < n &&
			    s[i + 2] == '0' && s[i + 3] == '0' &&
			    hexval(s[i + 4]) >= 0 && hexval(s[i + 5]) >= 0);
			buf_addc(&d, hexval(s[i + 4]) * 16 + hexval(s[i + 5]));
			i += 6;
		} else if (s[i] >= 0x20 && s[i] < 0x7f) {
			PROPERTY(s[i] != '"');
			buf_addc(&d, s[i]);
			i++;
		} else {
			k = utf8_ok(s + i, n - 1 - i);
			PROPERTY(k > 0);
			buf_add(&d, s + i, k);
			i += k;
		}
	}
	PROPERTY(d.len == len && (len == 0 || memcmp(d.data, data, len) == 0));
	buf_free(&b);
	buf_free(&d);
	return 0;
}

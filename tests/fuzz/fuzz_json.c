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

/* Bytes of the valid UTF-8 sequence at s (n left), or 0 (RFC 3629). */
static size_t
utf8_ok(const unsigned char *s, size_t n)
{
	size_t len, i;
	unsigned char lo = 0x80, hi = 0xbf;

	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		lo = s[0] == 0xe0 ? 0xa0 : 0x80;
		hi = s[0] == 0xed ? 0x9f : 0xbf;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		lo = s[0] == 0xf0 ? 0x90 : 0x80;
		hi = s[0] == 0xf4 ? 0x8f : 0xbf;
	} else
		return 0;
	if (n < len || s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < len; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
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

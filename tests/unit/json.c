/*
 * Unit tests of json.c: escaping of every kind of byte, and structure.
 */
#include <string.h>

#include "json.h"
#include "unit.h"

static int
quoted(const char *in, size_t n, const char *want)
{
	struct buf b = { NULL, 0, 0 };
	int ok;

	json_quote(&b, in, n);
	ok = strcmp(b.data, want) == 0;
	if (!ok)
		printf("# got %s, want %s\n", b.data, want);
	buf_free(&b);
	return ok;
}

int
main(void)
{
	struct buf b = { NULL, 0, 0 };
	struct json j;

	CHECK("json: plain", quoted("abc", 3, "\"abc\""));
	CHECK("json: quote and backslash",
	    quoted("a\"b\\c", 5, "\"a\\\"b\\\\c\""));
	CHECK("json: controls and DEL",
	    quoted("\n\t\x01\x1b\x7f", 5, "\"\\u000a\\u0009\\u0001\\u001b\\u007f\""));
	CHECK("json: NUL inside", quoted("a\0b", 3, "\"a\\u0000b\""));
	CHECK("json: valid UTF-8 as is",
	    quoted("\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80", 9,
	    "\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\""));
	CHECK("json: stray bytes as \\udcXX (surrogateescape)",
	    quoted("\xff\xc3(", 3, "\"\\udcff\\udcc3(\""));
	CHECK("json: 0xff and a real U+00FF differ",
	    quoted("\xff\xc3\xbf", 3, "\"\\udcff\xc3\xbf\""));
	CHECK("json: overlong, surrogate, beyond U+10FFFF",
	    quoted("\xc0\xaf\xed\xa0\x80\xf4\x90\x80\x80", 9,
	    "\"\\udcc0\\udcaf\\udced\\udca0\\udc80\\udcf4\\udc90\\udc80"
	    "\\udc80\""));
	CHECK("json: cut sequence", quoted("\xe2\x82", 2,
	    "\"\\udce2\\udc82\""));
	CHECK("json: C1 as \\u0080..\\u009f, U+00A0 as is",
	    quoted("\xc2\x80\xc2\x9b\xc2\xa0", 6,
	    "\"\\u0080\\u009b\xc2\xa0\""));
	CHECK("json: bidi controls as \\u202a..\\u202e, \\u2066..\\u2069",
	    quoted("\xe2\x80\xaa\xe2\x80\xae\xe2\x81\xa6\xe2\x81\xa9"
	    "\xe2\x80\xa9\xe2\x81\xaa", 18,
	    "\"\\u202a\\u202e\\u2066\\u2069\xe2\x80\xa9\xe2\x81\xaa\""));

	json_init(&j, &b);
	json_obj(&j, NULL);
	json_u64(&j, "n", UINT64_MAX);
	json_arr(&j, "e");
	json_end_arr(&j);
	json_arr(&j, "a");
	json_str(&j, NULL, NULL);
	json_bool(&j, NULL, 1);
	json_end_arr(&j);
	json_end_obj(&j);
	json_finish(&j);
	CHECK("json: document", strcmp(b.data, "{\n  \"n\": "
	    "18446744073709551615,\n  \"e\": [],\n  \"a\": [\n    null,\n"
	    "    true\n  ]\n}\n") == 0);
	buf_free(&b);
	return unit_result();
}

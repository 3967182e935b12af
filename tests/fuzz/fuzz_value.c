/*
 * fuzz_value.c -- barrier[:limit] values.  Properties: a parsed value is
 * at most VAL_MAX or unlimited on each side; it formats to a text that
 * parses to an equal value; the format of that is the same text.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "openvz/value.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	static const uint64_t pages[4] = { 4096, 65536, 8192, 16384 };
	struct value v, v2, v3;
	const char *why = NULL;
	uint64_t pb;
	char *s, *s2;

	/* The first byte picks a page size, the rest is the value. */
	if (len == 0)
		return 0;
	pb = pages[data[0] & 3];
	if (value_parse((const char *)data + 1, len - 1, pb, &v, &why) !=
	    VAL_OK) {
		PROPERTY(why != NULL);
		return 0;
	}
	PROPERTY(v.barrier <= VAL_MAX || v.barrier == VAL_UNLIMITED);
	PROPERTY(v.limit <= VAL_MAX || v.limit == VAL_UNLIMITED);
	s = value_format(&v, &v);
	PROPERTY(value_parse(s, strlen(s), pb, &v2, &why) == 0);
	PROPERTY(v.barrier == v2.barrier);
	PROPERTY(v.limit == v2.limit);
	/* What vzmem writes never makes vzctl truncate. */
	PROPERTY(v2.trunc == 0);
	s2 = value_format(&v2, NULL);
	PROPERTY(value_parse(s2, strlen(s2), pb, &v3, &why) == 0);
	PROPERTY(value_eq(&v2, &v3));
	free(s);
	free(s2);
	return 0;
}

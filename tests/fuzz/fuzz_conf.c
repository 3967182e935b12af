/*
 * fuzz_conf.c -- container conf reader.  Properties: rendering a conf
 * nobody changed gives its bytes back; after conf_set the rendered file
 * parses again and reads the value back, and every other assignment
 * still reads as before.  A lean conf reads as the whole one: the same
 * value, line and line index (conf_find) for each name it keeps, nothing
 * for the others.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "openvz/conf.h"
#include "fuzz.h"

static const char *const names[] = {
	"VMGUARPAGES", "PRIVVMPAGES", "PHYSPAGES", "HOSTNAME", "NAME"
};

/* What lean keeps: names but the last, and a name with a blank. */
static const char *const kept[] = {
	"VMGUARPAGES", "PRIVVMPAGES", "PHYSPAGES", "HOSTNAME", "A B", NULL
};

static void
lean_same(const uint8_t *data, size_t len)
{
	struct conf whole, lean;
	struct value v, v2;
	const char *s, *s2, *why, *why2;
	size_t i, l, l2, line, line2;
	int r, r2;

	conf_parse(&whole, (const char *)data, len, "101.conf");
	conf_parse(&lean, (const char *)data, len, "101.conf");
	conf_lean(&lean, kept);
	for (i = 0; kept[i] != NULL; i++) {
		s = conf_get(&whole, kept[i], &l);
		s2 = conf_get(&lean, kept[i], &l2);
		PROPERTY((s == NULL) == (s2 == NULL));
		PROPERTY(s == NULL || (l == l2 && memcmp(s, s2, l) == 0));
		PROPERTY(conf_find(&whole, kept[i]) ==
		    conf_find(&lean, kept[i]));
		line = line2 = 0;
		r = conf_peek(&whole, kept[i], 4096, &v, &line, &why);
		r2 = conf_peek(&lean, kept[i], 4096, &v2, &line2, &why2);
		PROPERTY(r == r2 && line == line2);
		PROPERTY(r != 1 || value_eq(&v, &v2));
	}
	PROPERTY(conf_get(&lean, "NAME", &l) == NULL);
	conf_free(&lean);
	conf_free(&whole);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct conf c, c2;
	struct buf b = { NULL, 0, 0 };
	struct value v;
	const char *s, *s2;
	const char *want = "65536:unlimited";
	size_t i, l, l2;
	char *str;

	lean_same(data, len);
	conf_parse(&c, (const char *)data, len, "101.conf");
	conf_render(&c, &b);
	PROPERTY(b.len == len && (len == 0 || memcmp(b.data, data, len) == 0));
	buf_free(&b);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		(void)conf_value(&c, names[i], 4096, &v);
		free(conf_string(&c, names[i]));
	}

	/* The first input byte picks the parameter to set. */
	i = len > 0 ? data[0] % 3 : 0;
	conf_set(&c, names[i], want);
	conf_set(&c, "SWAPPAGES", "0:1024");
	conf_render(&c, &b);
	conf_parse(&c2, b.data, b.len, "101.conf");
	s = conf_get(&c2, names[i], &l);
	PROPERTY(s != NULL && l == strlen(want) && memcmp(s, want, l) == 0);
	s = conf_get(&c2, "SWAPPAGES", &l);
	PROPERTY(s != NULL && l == 6 && memcmp(s, "0:1024", 6) == 0);
	/* Nothing else moved. */
	for (i = 3; i < sizeof(names) / sizeof(names[0]); i++) {
		s = conf_get(&c, names[i], &l);
		s2 = conf_get(&c2, names[i], &l2);
		PROPERTY((s == NULL) == (s2 == NULL));
		PROPERTY(s == NULL || (l == l2 && memcmp(s, s2, l) == 0));
	}
	str = conf_string(&c2, "HOSTNAME");
	free(str);
	buf_free(&b);
	conf_free(&c2);
	conf_free(&c);
	return 0;
}

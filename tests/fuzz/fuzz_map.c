/*
 * fuzz_map.c -- MEM-MAP parser.  Properties: a map that parses without
 * errors renders to a text that parses without errors again, into the
 * same rows, and renders to the same bytes (the rewrite is a fixpoint).
 * map_differs() says the input differs exactly when map_sort() and
 * map_render() give other bytes.
 */
#include <stdint.h>
#include <string.h>

#include "map.h"
#include "fuzz.h"

static void
same_rows(const struct map *a, const struct map *b)
{
	size_t i;

	PROPERTY(a->n == b->n);
	PROPERTY(a->nrows == b->nrows);
	for (i = 0; i < a->nrows; i++) {
		const struct map_row *x = &a->rows[i], *y = &b->rows[i];

		PROPERTY((x->ctid == NULL) == (y->ctid == NULL));
		PROPERTY(x->ctid == NULL || strcmp(x->ctid, y->ctid) == 0);
		PROPERTY(strcmp(x->name, y->name) == 0);
		PROPERTY(x->eq == y->eq && x->plus == y->plus);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct map m, m2, m3;
	struct buf b = { NULL, 0, 0 }, b2 = { NULL, 0, 0 };
	size_t errs;

	errs = map_parse(&m, (const char *)data, len, "MEM-MAP");
	if (errs == 0) {
		/* map_check's rules need the host; exercise them anyway. */
		(void)map_check(&m, 1000000, "MEM-MAP");
		map_render(&m, 1024, 4, &b);
		PROPERTY(map_parse(&m2, b.data, b.len, "rendered") == 0);
		same_rows(&m, &m2);
		map_render(&m2, 1024, 4, &b2);
		PROPERTY(b.len == b2.len && memcmp(b.data, b2.data, b.len) == 0);
		map_sort(&m2);
		buf_free(&b);
		map_render(&m2, 1024, 4, &b);
		/* m2 renders as m: the sorted text is m's too. */
		PROPERTY(map_differs(&m, 1024, 4, (const char *)data, len) ==
		    (b.len != len || memcmp(b.data, data, len) != 0));
		PROPERTY(!map_differs(&m2, 1024, 4, b.data, b.len));
		PROPERTY(map_parse(&m3, b.data, b.len, "sorted") == 0);
		map_free(&m3);
		map_free(&m2);
	}
	buf_free(&b);
	buf_free(&b2);
	map_free(&m);
	return 0;
}

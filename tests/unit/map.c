/*
 * Unit tests of the map: every error of MEM-MAP(5) with its line and
 * column, the seed README's map, render, sort.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "map.h"
#include "unit.h"

static char errtext[8192];

/* Parse text with stderr caught in errtext; returns the error count. */
static size_t
parse_caught(struct map *m, const char *text, size_t len, uint64_t max_n,
    int check)
{
	FILE *f = tmpfile();
	int saved = dup(2);
	size_t n, got;

	fflush(stderr);
	dup2(fileno(f), 2);
	n = map_parse(m, text, len, "MEM-MAP");
	if (n == 0 && check)
		n = map_check(m, max_n, "MEM-MAP");
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	rewind(f);
	got = fread(errtext, 1, sizeof(errtext) - 1, f);
	errtext[got] = '\0';
	fclose(f);
	return n;
}

/* text must fail with a message containing want. */
static void
bad_len(const char *name, const char *text, size_t len, const char *want)
{
	struct map m;
	size_t n = parse_caught(&m, text, len, 1000, 1);

	CHECK(name, n > 0 && strstr(errtext, want) != NULL);
	if (n == 0 || strstr(errtext, want) == NULL)
		printf("  got: %s  wanted: %s\n", errtext, want);
	map_free(&m);
}

static void
bad(const char *name, const char *text, const char *want)
{
	bad_len(name, text, strlen(text), want);
}

static const char seed[] =
    "300\n"
    "10003 vps1.example.com      ========== 109552K\n"
    "10004 vps2.example.com      ============================== 335503K\n"
    "20004 vps3.example.com      ==========+++++++++++++++ 109552K + 221324K swap\n"
    "FREE                        ====================== 513525K\n";

static void
test_seed(void)
{
	struct map m;
	struct buf b = { NULL, 0, 0 };
	size_t n = parse_caught(&m, seed, strlen(seed), 1000, 0);

	CHECK("seed parses", n == 0 && m.n == 300 && m.nrows == 4);
	CHECK("seed row 1", strcmp(m.rows[0].ctid, "10003") == 0 &&
	    strcmp(m.rows[0].name, "vps1.example.com") == 0 &&
	    m.rows[0].eq == 10 && m.rows[0].plus == 0);
	CHECK("seed row 3", m.rows[2].eq == 10 && m.rows[2].plus == 15);
	CHECK("seed FREE is a pool", m.rows[3].ctid == NULL &&
	    strcmp(m.rows[3].name, "FREE") == 0 && m.rows[3].eq == 22);
	/* Its '=' total is 72, not 300: the seed map fails the check. */
	map_free(&m);
	n = parse_caught(&m, seed, strlen(seed), 1000, 1);
	CHECK("seed '=' total 72 != 300", n == 1 &&
	    strstr(errtext, "MEM-MAP:1:1: error: the rows have 72 '=' but N is "
	    "300: "
	    "228 too few") != NULL);
	map_render(&m, 4, 4, &b);
	CHECK("seed layout kept", strstr(b.data, "\n10003 vps1.example.com"
	    "      ========== 40K\n") != NULL && strstr(b.data, "\nFREE"
	    "                        ====================== 88K\n") != NULL);
	buf_free(&b);
	map_free(&m);
}

static void
test_errors(void)
{
	bad("missing N", "# only a comment\n\n", "MEM-MAP: error: no number of blocks");
	bad("bad N abc", "abc\nFREE =\n", "MEM-MAP:1:1: error: bad number of blocks 'abc'");
	bad("bad N 1e3", "  1e3\nFREE =\n", "MEM-MAP:1:3: error: bad number of blocks '1e3'");
	bad("bad N -5", "-5\n", "MEM-MAP:1:1: error: bad number of blocks");
	bad("N with words", "10 blocks\n", "MEM-MAP:1:1: error: bad number of blocks '10 blocks'");
	bad("N 0", "0\nFREE\n", "MEM-MAP:1:1: error: number of blocks 0 out of range: 1 to 1000");
	bad("N huge", "1001\nFREE =\n", "error: number of blocks 1001 out of range");
	bad("no bar", "2\n101 a b c\n", "MEM-MAP:2:7: error: no bar");
	bad("no label", "2\n==\n", "MEM-MAP:2:1: error: no name before the bar");
	bad("too many fields", "2\n101 my host ==\n", "MEM-MAP:2:8: error: too many fields before the bar");
	bad("char in bar", "2\n101 a =x=\n", "MEM-MAP:2:8: error: 'x' in the bar");
	bad("= after +", "4\n101 web ==+=\n", "MEM-MAP:2:12: error: '=' after '+'");
	bad("blank inside bar", "4\n101 web == ==\n", "MEM-MAP:2:12: error: blank inside the bar");
	bad("duplicate", "4\n101 a ==\n101 b ==\n", "MEM-MAP:3:1: error: CTID 101 twice (first on line 2)");
	bad("total short", "5\n101 a ==\nFREE ==\n", "MEM-MAP:1:1: error: the rows have 4 '=' but N is 5: 1 too few");
	bad("total over", "3\n101 a ==\nFREE ==\n", "1 too many");
	bad("zero memory", "2\n101 a\nFREE ==\n", "MEM-MAP:2:6: error: container 101 would get no memory");
	bad("zero memory with note", "2\n101 a 0K\nFREE ==\n", "error: container 101 would get no memory");
	bad("slash in CTID", "2\n../etc x ==\n", "MEM-MAP:2:1: error: bad CTID '../etc'");
	bad("CTID a/b", "2\na/b x ==\n", "error: bad CTID 'a/b'");
	bad("CTID -x", "2\n-x y ==\n", "error: bad CTID '-x'");
	bad("CTID 0", "2\n0 host ==\n", "MEM-MAP:2:1: error: CTID 0 is the host itself");
	bad_len("NUL byte", "2\n101 a =\0=\n", 12, "MEM-MAP:2:8: error: NUL byte");
	bad("control char", "2\n101 a\001 ==\n", "MEM-MAP:2:6: error: control character 0x01");
}

static void
test_ok(void)
{
	const char *t = "# head\n4  # N\n\n# about b\nb-2 bee ==+  # note\n"
	    "101 a = 999K\nHOST =\nFREE 0K\n# tail\n";
	struct map m;
	struct buf b = { NULL, 0, 0 };
	size_t n = parse_caught(&m, t, strlen(t), 1000, 1);

	CHECK("comments and empty pool parse", n == 0 && m.nrows == 4);
	CHECK("rows trimmed to their number", m.rows_room == 4);
	CHECK("empty FREE with note", m.rows[3].eq == 0 &&
	    strcmp(m.rows[3].name, "FREE") == 0);
	map_sort(&m);
	CHECK("sort: numeric, other CTIDs, pools, FREE",
	    strcmp(m.rows[0].ctid, "101") == 0 &&
	    strcmp(m.rows[1].ctid, "b-2") == 0 &&
	    strcmp(m.rows[2].name, "HOST") == 0 &&
	    strcmp(m.rows[3].name, "FREE") == 0);
	map_render(&m, 8, 4, &b);
	CHECK("render keeps comments", strcmp(b.data, "# head\n4  # N\n"
	    "101 a                       = 8K\n"
	    "\n# about b\nb-2 bee                     ==+ 16K + 8K swap  # note\n"
	    "HOST                        = 8K\n"
	    "FREE                         0K\n# tail\n") == 0);
	CHECK("differs: not from its own rendering",
	    !map_differs(&m, 8, 4, b.data, b.len));
	CHECK("differs: other notes", map_differs(&m, 4, 4, b.data, b.len));
	CHECK("differs: one byte", (b.data[30] = 'x', 1) &&
	    map_differs(&m, 8, 4, b.data, b.len));
	CHECK("differs: shorter or longer text",
	    map_differs(&m, 8, 4, b.data, b.len - 1) &&
	    (b.data[b.len] = '\n', map_differs(&m, 8, 4, b.data,
	    b.len + 1)) && map_differs(&m, 8, 4, "", 0));
	buf_free(&b);
	map_free(&m);
	t = "2\r\n101 a =\r\nFREE =\r\n";
	n = parse_caught(&m, t, strlen(t), 1000, 1);
	CHECK("CRLF is read as blanks", n == 0 && m.nrows == 2);
	map_free(&m);
	t = "\xef\xbb\xbf" "300\n101 a =\nFREE =\n";
	n = parse_caught(&m, t, strlen(t), 1000, 0);
	CHECK("a UTF-8 BOM before N is skipped", n == 0 && m.n == 300 &&
	    m.n_col == 1 && m.nrows == 2);
	map_free(&m);
	t = "300\n\xef\xbb\xbf" "101 a =\n";
	n = parse_caught(&m, t, strlen(t), 1000, 0);
	CHECK("a BOM only counts first", n == 1 &&
	    strstr(errtext, "MEM-MAP:2:1: error: bad CTID") != NULL);
	map_free(&m);
}

/*
 * Many rows by map_add, in no order, with comments from map_strdup (one
 * longer than a chunk's share, between short ones): map_sort moves them,
 * each row keeping its strings, pools (equal keys) in their order.
 */
static void
test_many(void)
{
	struct map m;
	char id[32], note[64], *big;
	size_t i, npool = 0, nbad = 0;
	const size_t n = 1000;

	memset(&m, 0, sizeof(m));
	map_reserve(&m, 10);
	for (i = 0; i < n; i++) {
		struct map_row *r;

		snprintf(id, sizeof(id), "%zu", i * 7919 % n + 1);
		r = map_add(&m, id, "ct", i, 0);
		snprintf(note, sizeof(note), "  # ct %s", id);
		r->comment = map_strdup(&m, note);
		if (i % 10 == 0) {
			snprintf(id, sizeof(id), "P%zu", i);
			map_add(&m, NULL, i == 500 ? "FREE" : id, i, 0);
		}
	}
	big = calloc(10000, 1);
	memset(big, '#', 9999);
	m.rows[3].before = map_strdup(&m, big);
	map_add(&m, "x-1", "last", 7, 0)->comment = map_strdup(&m, "  # x");
	CHECK("map_add grows", m.nrows == n + n / 10 + 1 &&
	    m.rows_room >= m.nrows);
	map_sort(&m);
	for (i = 0; i < n; i++) {
		snprintf(id, sizeof(id), "%zu", i + 1);
		snprintf(note, sizeof(note), "  # ct %s", id);
		if (m.rows[i].ctid == NULL || strcmp(m.rows[i].ctid, id) != 0 ||
		    strcmp(m.rows[i].comment, note) != 0 ||
		    m.rows[i].eq * 7919 % n + 1 != i + 1)
			nbad++;
		if (m.rows[i].before != NULL &&
		    strcmp(m.rows[i].before, big) != 0)
			nbad++;
	}
	CHECK("sort: 1000 CTIDs in order, with their strings", nbad == 0);
	CHECK("sort: other CTID after the numeric ones",
	    strcmp(m.rows[n].ctid, "x-1") == 0 &&
	    strcmp(m.rows[n].comment, "  # x") == 0);
	for (i = n + 1; i + 1 < m.nrows; i++)
		if (m.rows[i].ctid == NULL && m.rows[i].name[0] == 'P' &&
		    m.rows[i].eq == (i - n - 1) * 10 + (i - n - 1 >= 50) * 10)
			npool++;
	CHECK("sort: pools in their order, FREE last", npool == n / 10 - 1 &&
	    strcmp(m.rows[m.nrows - 1].name, "FREE") == 0);
	free(big);
	map_free(&m);
}

int
main(void)
{
	struct map m;

	test_seed();
	test_errors();
	test_ok();
	test_many();
	/* Refused before a byte is read: the text need not be there. */
	CHECK("4 GiB map refused", parse_caught(&m, "1\n", UINT32_MAX, 1000,
	    1) == 1 && strstr(errtext, "too big for a map") != NULL &&
	    m.nrows == 0);
	map_free(&m);
	return unit_result();
}

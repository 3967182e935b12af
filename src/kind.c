/*
 * kind.c -- what is the same for every guest kind: which kind an id
 * belongs to, whether it is valid, the order of ids in the map.
 */
#include <stdlib.h>
#include <string.h>

#include "kind.h"
#include "util.h"

static int	 is_numeric(const char *);
static size_t	 prefix_len(const struct kind *);

const char *const fig_keys[FIG_N] = {
	"ram_held_kb", "ram_peak_kb", "ram_swap_held_kb", "alloc_held_kb",
	"swap_held_kb", "failcnt", "oom_kill", "events_high",
	"events_max"
};

static size_t
prefix_len(const struct kind *k)
{
	return strlen(k->prefix);
}

const struct kind *
kind_of(const char *id, size_t len)
{
	size_t i, n;

	for (i = 0; vz_kinds[i] != NULL; i++) {
		n = prefix_len(vz_kinds[i]);
		if (n > 0 && len >= n && memcmp(id, vz_kinds[i]->prefix,
		    n) == 0)
			return vz_kinds[i];
	}
	/* "x:y" with an unknown x is no bare id of the first kind. */
	if (memchr(id, ':', len) != NULL)
		return NULL;
	return vz_kinds[0];
}

size_t
kind_rank(const struct kind *k)
{
	size_t i;

	for (i = 0; vz_kinds[i] != NULL && vz_kinds[i] != k; i++)
		continue;
	return i;
}

int
id_check(const char *id, size_t len, struct buf *why)
{
	const struct kind *k = kind_of(id, len);
	size_t n, i;

	why->len = 0;
	buf_addstr(why, "");
	if (k == NULL) {
		buf_printf(why, "unknown guest kind '%.*s:' in '%.*s': "
		    "known are", (int)(strchr(id, ':') - id), id,
		    len > 60 ? 60 : (int)len, id);
		for (i = 0; vz_kinds[i] != NULL; i++)
			if (vz_kinds[i]->prefix[0] != '\0')
				buf_printf(why, " '%s'", vz_kinds[i]->prefix);
		return -1;
	}
	n = prefix_len(k);
	return k->id_check(id + n, len - n, why);
}

static int
is_numeric(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s != '\0'; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

int
ctid_cmp(const char *a, const char *b)
{
	int na, nb, c;
	size_t la, lb;
	const char *da, *db;

	na = is_numeric(a);
	nb = is_numeric(b);
	if (na != nb)
		return na ? -1 : 1;
	if (!na)
		return strcmp(a, b);
	for (da = a; da[0] == '0' && da[1] != '\0'; da++)
		continue;
	for (db = b; db[0] == '0' && db[1] != '\0'; db++)
		continue;
	la = strlen(da);
	lb = strlen(db);
	if (la != lb)
		return la < lb ? -1 : 1;
	if ((c = memcmp(da, db, la)) != 0)
		return c;
	/* "010" and "10": equal values, still a fixed order. */
	return strcmp(a, b);
}

int
id_cmp(const char *a, const char *b)
{
	const struct kind *ka, *kb;
	size_t ra, rb;

	/*
	 * Two bare ids (no ':') are the first kind's (its prefix is ""):
	 * the common case, 2 million times in a sort of 100,000, without
	 * looking for a prefix.
	 */
	if (vz_kinds[0]->prefix[0] == '\0' && strchr(a, ':') == NULL &&
	    strchr(b, ':') == NULL)
		return ctid_cmp(a, b);
	ka = kind_of(a, strlen(a));
	kb = kind_of(b, strlen(b));
	ra = ka != NULL ? kind_rank(ka) : SIZE_MAX;
	rb = kb != NULL ? kind_rank(kb) : SIZE_MAX;

	if (ra != rb)
		return ra < rb ? -1 : 1;
	if (ka == NULL || kb == NULL)
		return strcmp(a, b);
	return ctid_cmp(a + prefix_len(ka), b + prefix_len(kb));
}

void
settings_free(struct setting *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(s[i].old);
		free(s[i].want);
		free(s[i].live);
	}
	free(s);
}

const char *
kinds_noun(const size_t *n)
{
	const char *noun = NULL;
	size_t i;

	for (i = 0; vz_kinds[i] != NULL; i++) {
		if (n[i] == 0)
			continue;
		if (noun != NULL && strcmp(noun, vz_kinds[i]->noun) != 0)
			return "guest";
		noun = vz_kinds[i]->noun;
	}
	return noun != NULL ? noun : "guest";
}

void
count_noun(struct buf *b, size_t n, const char *noun)
{
	buf_printf(b, "%zu %s%s", n, noun, n == 1 ? "" : "s");
}

void
kinds_count(struct buf *b, const size_t *n)
{
	const char *nouns[KINDS_MAX];
	size_t counts[KINDS_MAX], i, k, m = 0;

	/* The kinds' nouns in table order, each once, with its sum. */
	for (i = 0; vz_kinds[i] != NULL && m < KINDS_MAX; i++) {
		if (n[i] == 0)
			continue;
		for (k = 0; k < m && strcmp(nouns[k], vz_kinds[i]->noun) != 0;
		    k++)
			continue;
		if (k == m) {
			nouns[m] = vz_kinds[i]->noun;
			counts[m++] = 0;
		}
		counts[k] += n[i];
	}
	if (m == 0)
		count_noun(b, 0, "guest");
	for (k = 0; k < m; k++) {
		if (k > 0)
			buf_addstr(b, k + 1 == m ? " and " : ", ");
		count_noun(b, counts[k], nouns[k]);
	}
}

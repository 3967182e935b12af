/*
 * pvemap.c -- the values of a Proxmox guest's memory keys (pvemap.h).
 *
 * Integers as pve-common's JSONSchema takes them (is_integer,
 * src/PVE/JSONSchema.pm 1170-1174: /^[+-]?\d+$/); the property string
 * as parse_property_string splits it (1068-1148: parts by ',', blank
 * parts skipped, "k=v" or a bare value for the default key, a key given
 * twice an error).
 */
#include <string.h>

#include "pve/pvemap.h"
#include "util.h"

static int	 digits(const char *, size_t, uint64_t *);

/* [+-]?\d+ without overflow; a '-' only for 0. */
static int
digits(const char *s, size_t len, uint64_t *v)
{
	int neg = 0;

	if (len > 0 && (s[0] == '+' || s[0] == '-')) {
		neg = s[0] == '-';
		s++;
		len--;
	}
	if (len == 0 || parse_u64(s, len, UINT64_MAX, v) == -1)
		return -1;
	return neg && *v != 0 ? -2 : 0;
}

int
pve_int_parse(const char *s, size_t len, uint64_t min, uint64_t max,
    uint64_t *v, const char **why)
{
	int r = digits(s, len, v);

	if (r == -1) {
		*why = "not an integer";
		return -1;
	}
	if (r == -2 || *v < min) {
		*why = min == 0 ? "below 0" : "below the minimum";
		return -1;
	}
	if (*v > max) {
		*why = "too large";
		return -1;
	}
	return 0;
}

int
pve_memory_parse(const char *s, size_t len, uint64_t *mib,
    enum pve_memform *form, const char **why)
{
	const char *p = s, *e, *val = NULL;
	size_t vlen = 0;

	for (; p <= s + len; p = e + 1) {
		const char *q;

		if ((e = memchr(p, ',', (size_t)(s + len - p))) == NULL)
			e = s + len;
		for (q = p; q < e && is_blank(*q); q++)
			continue;
		if (q == e)
			continue;
		if (val != NULL) {
			*why = "more than one value (its only property is "
			    "current=MiB)";
			return -1;
		}
		if ((q = memchr(p, '=', (size_t)(e - p))) != NULL) {
			if ((size_t)(q - p) != 7 || memcmp(p, "current", 7) != 0) {
				*why = "an unknown property (its only one is "
				    "current=MiB)";
				return -1;
			}
			*form = PVE_MEM_CURRENT;
			val = q + 1;
		} else {
			*form = PVE_MEM_PLAIN;
			val = p;
		}
		vlen = (size_t)(e - val);
	}
	if (val == NULL) {
		*why = "empty";
		return -1;
	}
	if (pve_int_parse(val, vlen, PVE_MEM_MIN, PVE_INT_MAX, mib, why) == -1) {
		if (strcmp(*why, "below the minimum") == 0)
			*why = "below qm's minimum of 16 MiB";
		return -1;
	}
	return 0;
}

void
pve_memory_format(struct buf *b, enum pve_memform form, uint64_t mib)
{
	if (form == PVE_MEM_CURRENT)
		buf_addstr(b, "current=");
	buf_addu64(b, mib);
}

int
pve_bytes_parse(const char *s, size_t len, uint64_t *v, const char **why)
{
	if (digits(s, len, v) != 0) {
		*why = "not a byte count (vzmem writes whole bytes here)";
		return -1;
	}
	return 0;
}

uint64_t
pve_mib(uint64_t pages, uint64_t page_bytes)
{
	return pages / (PVE_MIB / page_bytes);
}

uint64_t
pve_ct_high(uint64_t mib)
{
	return mib >= 16 * 1024 ? (mib - 128) * PVE_MIB : mib * 1024 * 1016;
}

void
pve_qm_share(uint64_t memory, int have_balloon, uint64_t balloon,
    uint64_t *g, uint64_t *t)
{
	*t = memory;
	*g = have_balloon && balloon != 0 && balloon <= memory ? balloon :
	    memory;
}

void
pve_ct_share(uint64_t memory, uint64_t swap, uint64_t *g, uint64_t *x)
{
	*x = swap < memory ? swap : memory;
	*g = memory - *x;
}

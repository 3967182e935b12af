/*
 * fuzz_bcres.c -- /proc/bc/<CTID>/resources of the OpenVZ 7 kernel.
 * Properties: every row kept has an identifier for a name, a barrier or
 * limit is either BC_UNLIMITED or below the kernel's LONG_MAX and not the
 * 32-bit one, bcres_find finds a row of that name and no later one, and
 * bcres_fill sets present bits only for rows that exist.
 */
#include <stdint.h>
#include <string.h>

#include "openvz/openvz.h"
#include "openvz/bcres.h"
#include "fuzz.h"

static int
lim_ok(uint64_t v)
{
	return v == BC_UNLIMITED ||
	    (v < 9223372036854775807ULL && v != 2147483647ULL);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct ubc_ct ct;
	struct bcres r;
	const struct bc_res *x;
	size_t i, k;

	(void)bcres_parse((const char *)data, len, "resources", &r);
	PROPERTY(r.n == 0 || r.res != NULL);
	for (i = 0; i < r.n; i++) {
		const char *nm = r.res[i].name;

		PROPERTY(nm != NULL && nm[0] != '\0');
		for (k = 0; nm[k] != '\0'; k++)
			PROPERTY(nm[k] != ' ' && nm[k] != '\t' &&
			    nm[k] != '\n' && nm[k] != ':');
		PROPERTY(lim_ok(r.res[i].v.barrier));
		PROPERTY(lim_ok(r.res[i].v.limit));
		x = bcres_find(&r, nm);
		PROPERTY(x != NULL && x >= &r.res[i]);
		PROPERTY(strcmp(x->name, nm) == 0);
	}
	memset(&ct, 0, sizeof(ct));
	bcres_fill(&r, &ct);
	PROPERTY(ct.present == 0 || r.n > 0);
	bcres_free(&r);
	return 0;
}

/*
 * fuzz_host.c -- /proc/user_beancounters and /proc/meminfo readers, and
 * CTIDs.  Properties: the containers come out sorted and unique by
 * ctid_cmp, none is "0", every CTID is valid, ubc_find finds each; held
 * sums do not matter, only that nothing reads out of bounds.
 */
#include <stdint.h>
#include <string.h>

#include "host.h"
#include "openvz/openvz.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	const char *t = (const char *)data;
	struct ubc u;
	uint64_t mem, swap;
	size_t i;

	if (meminfo_parse(t, len, "meminfo", &mem, &swap) == 0)
		PROPERTY(mem > 0);
	(void)ctid_valid(t, len);
	memset(&u, 0, sizeof(u));
	(void)ubc_parse(t, len, "user_beancounters", &u);
	for (i = 0; i < u.n; i++) {
		PROPERTY(u.cts[i].ctid != NULL);
		PROPERTY(strcmp(u.cts[i].ctid, "0") != 0);
		PROPERTY(ctid_valid(u.cts[i].ctid, strlen(u.cts[i].ctid)));
		PROPERTY(ubc_find(&u, u.cts[i].ctid) == &u.cts[i]);
		if (i > 0)
			PROPERTY(ctid_cmp(u.cts[i - 1].ctid,
			    u.cts[i].ctid) < 0);
	}
	ubc_free(&u);
	return 0;
}

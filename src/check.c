/*
 * check.c -- vzmem --check (not built yet).
 */
#include "util.h"
#include "vzmem.h"

int
cmd_check(const struct opts *o)
{
	(void)o;
	vz_err(NULL, 0, 0, "--check is not implemented yet");
	return VZ_FAIL;
}

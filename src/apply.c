/*
 * apply.c -- vzmem --apply (not built yet).
 */
#include "util.h"
#include "vzmem.h"

int
cmd_apply(const struct opts *o)
{
	(void)o;
	vz_err(NULL, 0, 0, "--apply is not implemented yet");
	return VZ_FAIL;
}

int
apply_locked(const struct opts *o)
{
	return cmd_apply(o);
}

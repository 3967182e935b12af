/*
 * edit.c -- vzmem --edit (not built yet).
 */
#include "util.h"
#include "vzmem.h"

int
cmd_edit(const struct opts *o)
{
	(void)o;
	vz_err(NULL, 0, 0, "--edit is not implemented yet");
	return VZ_FAIL;
}

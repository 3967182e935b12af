/*
 * status.c -- vzmem --status (not built yet).
 */
#include "util.h"
#include "vzmem.h"

int
cmd_status(const struct opts *o)
{
	(void)o;
	vz_err(NULL, 0, 0, "--status is not implemented yet");
	return VZ_FAIL;
}

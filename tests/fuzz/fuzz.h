/*
 * fuzz.h -- shared by the libFuzzer targets: silence the parsers'
 * messages (vz_err writes through stdio's stderr; the sanitizers write to
 * fd 2 directly, so their reports still show), and abort on a broken
 * property so libFuzzer saves the input.
 */
#ifndef VZMEM_FUZZ_H
#define VZMEM_FUZZ_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "util.h"

int	 LLVMFuzzerInitialize(int *, char ***);
int	 LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	FILE *f;

	(void)argc;
	(void)argv;
	verbosity = -1;
	if (getenv("FUZZ_VERBOSE") == NULL &&
	    (f = fopen("/dev/null", "w")) != NULL)
		stderr = f;
	return 0;
}

#define PROPERTY(cond) do {						\
	if (!(cond)) {							\
		fprintf(stdout, "property broken: %s (%s:%d)\n", #cond,	\
		    __FILE__, __LINE__);				\
		fflush(stdout);						\
		abort();						\
	}								\
} while (0)

#endif

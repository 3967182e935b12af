/*
 * util.h -- every header of src/lib/ at once, so that the modules
 * written before the split (those in src/) keep compiling with
 * #include "util.h".  New code includes only the lib/ headers it uses:
 * "lib/msg.h", "lib/alloc.h", "lib/buf.h", ...
 */
#ifndef VZMEM_UTIL_H
#define VZMEM_UTIL_H

#include <sys/types.h>

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "lib/alloc.h"
#include "lib/buf.h"
#include "lib/cdefs.h"
#include "lib/file.h"
#include "lib/jobs.h"
#include "lib/lock.h"
#include "lib/msg.h"
#include "lib/scan.h"
#include "lib/spawn.h"
#include "lib/tmpfile.h"

#endif

/*
 * ksm.c -- the KSM counters of /sys/kernel/mm/ksm/.
 */
#include <sys/stat.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ksm.h"
#include "util.h"

#define KSM_DIR		"/sys/kernel/mm/ksm"

static void	 read_count(const char *, const char *, uint64_t *);

/*
 * One counter: a decimal number and a newline, as sysfs prints it.  A
 * missing file leaves 0 (ksm_zero_pages came with 6.6).
 */
static void
read_count(const char *dir, const char *name, uint64_t *v)
{
	struct buf b = { NULL, 0, 0 };
	char *path;
	size_t len;

	*v = 0;
	path = xasprintf("%s/%s", dir, name);
	if (file_read(path, &b) == -1) {
		if (errno != ENOENT)
			vz_syserr(path, "cannot read");
		goto out;
	}
	len = b.len;
	if (len > 0 && b.data[len - 1] == '\n')
		len--;
	if (parse_u64(b.data, len, UINT64_MAX, v) == -1) {
		*v = 0;
		vz_warn(path, 1, 0, "not a count; taken as 0");
	}
out:
	buf_free(&b);
	free(path);
}

void
ksm_read(const char *root, struct ksm *k)
{
	struct stat st;
	char *dir;

	memset(k, 0, sizeof(*k));
	dir = xasprintf("%s%s", root, KSM_DIR);
	if (stat(dir, &st) == 0 && S_ISDIR(st.st_mode)) {
		k->present = 1;
		read_count(dir, "pages_shared", &k->pages_shared);
		read_count(dir, "pages_sharing", &k->pages_sharing);
		read_count(dir, "ksm_zero_pages", &k->zero_pages);
		read_count(dir, "full_scans", &k->full_scans);
	}
	free(dir);
}

int
ksm_has_run(const struct ksm *k)
{
	return k->present && (k->full_scans > 0 || k->pages_sharing > 0);
}

uint64_t
ksm_saved(const struct ksm *k, uint64_t page_bytes)
{
	uint64_t pages = k->pages_sharing + k->zero_pages;

	if (pages < k->pages_sharing ||
	    (page_bytes != 0 && pages > UINT64_MAX / page_bytes))
		return UINT64_MAX;
	return pages * page_bytes;
}

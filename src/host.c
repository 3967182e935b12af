/*
 * host.c -- facts about the host that every guest kind shares: paths
 * under --root, MemTotal and SwapTotal, the page size.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "host.h"
#include "util.h"

/*
 * kB values are bounded so that the size in bytes still fits an int64:
 * every module may then multiply by 1024 without checking.
 */
#define KB_MAX		((uint64_t)INT64_MAX / 1024)

static size_t	 line_end(const char *, size_t, size_t);
static int	 mi_field(const char *, size_t, const char *, size_t, int *,
		    uint64_t *);

char *
host_path(const struct host *h, const char *abs)
{
	return xasprintf("%s%s", h->root, abs);
}

int
host_open(struct host *h, const char *root)
{
	struct buf b = { NULL, 0, 0 };
	size_t n;
	long ps;

	memset(h, 0, sizeof(*h));
	if (root == NULL)
		root = "";
	n = strlen(root);
	while (n > 0 && root[n - 1] == '/')
		n--;
	h->root = xstrndup(root, n);
	h->meminfo = host_path(h, "/proc/meminfo");

	/* POSIX allows -1 here; no Linux does it, but never divide by 0. */
	ps = sysconf(_SC_PAGESIZE);
	h->page_bytes = ps >= 1024 ? (uint64_t)ps : 4096;
	h->page_kb = h->page_bytes / 1024;

	if (file_read(h->meminfo, &b) == -1) {
		vz_syserr(h->meminfo, "cannot read");
		buf_free(&b);
		host_close(h);
		return VZ_FAIL;
	}
	if (meminfo_parse(b.data, b.len, h->meminfo, &h->mem_kb,
	    &h->swap_kb) == -1) {
		buf_free(&b);
		host_close(h);
		return VZ_FAIL;
	}
	buf_free(&b);
	return VZ_OK;
}

/* Safe on a closed or failed host: host_open() zeroes first. */
void
host_close(struct host *h)
{
	free(h->root);
	free(h->map);
	free(h->lock);
	free(h->meminfo);
	memset(h, 0, sizeof(*h));
}

/* Offset of the '\n' ending the line that starts at off, or len. */
static size_t
line_end(const char *s, size_t len, size_t off)
{
	const char *nl;

	nl = memchr(s + off, '\n', len - off);
	return nl != NULL ? (size_t)(nl - s) : len;
}

/*
 * The value of a meminfo line "Name:  <digits> [kB]" if the line is the
 * field name.  Returns 0 if it is another field, 1 with *v set, or -1
 * with *why set.
 */
static int
mi_field(const char *s, size_t len, const char *name, size_t nlen,
    int *why, uint64_t *v)
{
	size_t i, d;

	if (len <= nlen || memcmp(s, name, nlen) != 0 || s[nlen] != ':')
		return 0;
	for (i = nlen + 1; i < len && is_blank((unsigned char)s[i]); i++)
		continue;
	for (d = i; i < len && s[i] >= '0' && s[i] <= '9'; i++)
		continue;
	*why = 1;
	if (i < len && !is_blank((unsigned char)s[i]))
		return -1;
	if (parse_u64(s + d, i - d, UINT64_MAX, v) == -1) {
		/* Digits that overflow are "too large", not "bad". */
		*why = i > d ? 2 : 1;
		return -1;
	}
	while (i < len && is_blank((unsigned char)s[i]))
		i++;
	if (i + 1 < len && (s[i] == 'k' || s[i] == 'K') &&
	    (s[i + 1] == 'B' || s[i + 1] == 'b'))
		i += 2;
	else if (i < len) {
		*why = 3;
		return -1;
	}
	while (i < len && is_blank((unsigned char)s[i]))
		i++;
	if (i < len) {
		*why = 1;
		return -1;
	}
	if (*v > KB_MAX) {
		*why = 2;
		return -1;
	}
	return 1;
}

int
meminfo_parse(const char *text, size_t len, const char *shown,
    uint64_t *mem, uint64_t *swap)
{
	static const char *const names[2] = { "MemTotal", "SwapTotal" };
	static const char *const whys[4] = {
		"", "bad %s value", "%s value too large",
		"bad %s unit (want kB)"
	};
	uint64_t val[2] = { 0, 0 };
	int seen[2] = { 0, 0 };
	size_t off, end, line, i;
	int errs = 0, r, why;

	for (off = 0, line = 1; off < len; off = end + 1, line++) {
		end = line_end(text, len, off);
		for (i = off; i < end && is_blank((unsigned char)text[i]); i++)
			continue;
		for (r = 0; r < 2; r++) {
			switch (mi_field(text + i, end - i, names[r],
			    strlen(names[r]), &why, &val[r])) {
			case 1:
				seen[r] = 1;
				break;
			case -1:
				seen[r] = -1;
				vz_err(shown, line, 0, whys[why], names[r]);
				errs++;
				break;
			}
		}
	}
	for (r = 0; r < 2; r++)
		if (seen[r] == 0) {
			vz_err(shown, 0, 0, "no %s", names[r]);
			errs++;
		}
	if (seen[0] == 1 && val[0] == 0) {
		vz_err(shown, 0, 0, "MemTotal is 0");
		errs++;
	}
	if (errs > 0)
		return -1;
	*mem = val[0];
	*swap = val[1];
	return 0;
}

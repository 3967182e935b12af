/*
 * ubc.c -- the live beancounters of /proc/user_beancounters: one record
 * per running container, only what the OpenVZ kind reads.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kind.h"
#include "openvz.h"
#include "ubc.h"
#include "util.h"
#include "value.h"

/* The kernel prints "unlimited" as LONG_MAX of a 32- or 64-bit kernel. */
#define UBC_UNLIM32	2147483647ULL
#define UBC_UNLIM64	9223372036854775807ULL

#define UBC_NWARN	5	/* bad lines reported one by one */
#define UBC_NTOK	7	/* "CTID:" resource held maxheld barrier
				   limit failcnt */

/* A bad line of user_beancounters, reported once parsing is over. */
struct badline {
	size_t		 line;
	const char	*why;
};

/* State of one pass over user_beancounters. */
struct ubcparse {
	struct ubc_ct	*cts;		/* in order of appearance */
	size_t		 n, cap;
	struct strpool	 ctids;		/* the CTIDs of cts */
	/* Lines belong to: nothing yet, the host or a bad id, cts[n - 1]. */
	enum { IN_NONE, IN_SKIP, IN_CT } in;
	size_t		 heads;		/* good container headers */
	size_t		 nbad;
	struct badline	 bad[UBC_NWARN];
	size_t		 line;		/* lines fed so far */
	size_t		 bytes;		/* bytes fed so far */
	int		 version;	/* the text began with "Version:" */
	int		 nonblank;	/* some byte other than a blank */
};

static size_t	 line_end(const char *, size_t, size_t);
static int	 tok_is(const struct ubc_tok *, const char *);
static int	 res_index(const struct ubc_tok *);
static const char *ubc_line(struct ubcparse *, const char *, size_t);
static const char *ubc_res(struct ubcparse *, const struct ubc_tok *, size_t);
static void	 ubc_bad(struct ubcparse *, size_t, const char *);
static void	 ubc_sort(struct ubcparse *, struct ubc *);
static void	 ubc_feed(struct ubcparse *, const char *, size_t);
static void	 ubc_finish(struct ubcparse *, const char *, struct ubc *);
static int	 cmp_ct(const void *, const void *);
static int	 cmp_find(const void *, const void *);

static const char *const res_names[UBC_NRES] = {
	"vmguarpages", "privvmpages", "oomguarpages", "shmpages",
	"physpages", "swappages"
};

/* Offset of the '\n' ending the line that starts at off, or len. */
static size_t
line_end(const char *s, size_t len, size_t off)
{
	const char *nl;

	nl = memchr(s + off, '\n', len - off);
	return nl != NULL ? (size_t)(nl - s) : len;
}

size_t
ubc_tokens(const char *s, size_t len, struct ubc_tok *t, size_t max)
{
	size_t i = 0, n = 0, st;

	while (n < max) {
		/* The kernel pads its columns with runs of spaces (200 MB
		 * at 100,000 containers): eight at a time first. */
		while (len - i >= 8) {
			uint64_t w;

			memcpy(&w, s + i, sizeof(w));
			if (w != 0x2020202020202020ULL)
				break;
			i += 8;
		}
		while (i < len && is_blank((unsigned char)s[i]))
			i++;
		if (i == len)
			break;
		for (st = i; i < len && !is_blank((unsigned char)s[i]); i++)
			continue;
		t[n].s = s + st;
		t[n].len = i - st;
		n++;
	}
	return n;
}

static int
tok_is(const struct ubc_tok *t, const char *w)
{
	size_t n = strlen(w);

	return t->len == n && memcmp(t->s, w, n) == 0;
}

static int
res_index(const struct ubc_tok *t)
{
	int i;

	for (i = 0; i < UBC_NRES; i++)
		if (tok_is(t, res_names[i]))
			return i;
	return -1;
}

/* Kernel resource names are identifiers; anything else is garbage. */
int
ubc_name_ok(const struct ubc_tok *t)
{
	size_t i;

	for (i = 0; i < t->len; i++) {
		unsigned char c = (unsigned char)t->s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    c == '_' || (i > 0 && c >= '0' && c <= '9')))
			return 0;
	}
	return t->len > 0;
}

uint64_t
ubc_limit(uint64_t v)
{
	return v == UBC_UNLIM32 || v >= UBC_UNLIM64 ? VAL_UNLIMITED : v;
}

static void
ubc_bad(struct ubcparse *p, size_t line, const char *why)
{
	if (p->nbad < UBC_NWARN) {
		p->bad[p->nbad].line = line;
		p->bad[p->nbad].why = why;
	}
	p->nbad++;
}

/* "resource held maxheld barrier limit failcnt [more...]" */
static const char *
ubc_res(struct ubcparse *p, const struct ubc_tok *t, size_t nt)
{
	uint64_t v[5];
	struct ubc_ct *ct;
	struct ubc_val *r;
	size_t i;
	int ri;

	if (!ubc_name_ok(&t[0]))
		return "bad resource name";
	if (nt < 6)
		return "too few numbers";
	for (i = 0; i < 5; i++)
		if (parse_u64(t[i + 1].s, t[i + 1].len, UINT64_MAX,
		    &v[i]) == -1)
			return "bad number";
	if (p->in == IN_NONE)
		return "resource before any container";
	if (p->in == IN_SKIP)
		return NULL;
	ct = &p->cts[p->n - 1];
	ct->failcnt = ct->failcnt > UINT64_MAX - v[4] ? UINT64_MAX :
	    ct->failcnt + v[4];
	if ((ri = res_index(&t[0])) == -1)
		return NULL;
	ct->present |= 1u << ri;
	r = &ct->res[ri];
	r->held = v[0];
	r->maxheld = v[1];
	r->barrier = ubc_limit(v[2]);
	r->limit = ubc_limit(v[3]);
	return NULL;
}

/* One line; NULL when understood, else why not. */
static const char *
ubc_line(struct ubcparse *p, const char *s, size_t len)
{
	struct ubc_tok t[UBC_NTOK];
	struct ubc_ct *ct;
	size_t nt;

	if ((nt = ubc_tokens(s, len, t, UBC_NTOK)) == 0)
		return NULL;
	if (tok_is(&t[0], "Version:") ||
	    (nt >= 2 && tok_is(&t[0], "uid") && tok_is(&t[1], "resource")))
		return NULL;
	if (t[0].len > 0 && t[0].s[t[0].len - 1] == ':') {
		/* Its resource lines are skipped with it, silently. */
		if (!ctid_valid(t[0].s, t[0].len - 1)) {
			p->in = IN_SKIP;
			return "bad container id";
		}
		p->heads++;
		if (t[0].len == 2 && t[0].s[0] == '0')
			p->in = IN_SKIP;
		else if (p->n == UINT32_MAX) {
			/* seq is 32 bits (and the records 900 GB). */
			p->in = IN_SKIP;
			return "too many containers";
		} else {
			if (p->n == p->cap) {
				p->cap = p->cap ? p->cap * 2 : 64;
				p->cts = xreallocarray(p->cts, p->cap,
				    sizeof(*p->cts));
			}
			ct = &p->cts[p->n];
			memset(ct, 0, sizeof(*ct));
			ct->ctid = strpool_add(&p->ctids, t[0].s, t[0].len - 1);
			ct->seq = (uint32_t)p->n++;
			p->in = IN_CT;
		}
		/* "101:" alone: a file cut short, the container still runs. */
		if (nt == 1)
			return NULL;
		return ubc_res(p, t + 1, nt - 1);
	}
	return ubc_res(p, t, nt);
}

/* By CTID; of two blocks of one container, the earlier first. */
static int
cmp_ct(const void *a, const void *b)
{
	const struct ubc_ct *x = a, *y = b;
	int c;

	if ((c = ctid_cmp(x->ctid, y->ctid)) != 0)
		return c;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Sort once; of a container listed twice the later block wins. */
static void
ubc_sort(struct ubcparse *p, struct ubc *u)
{
	size_t i, k;

	u->cts = NULL;
	u->n = 0;
	u->ctids = p->ctids;
	p->ctids.head = NULL;
	if (p->n == 0) {
		free(p->cts);	/* the room reserved */
		p->cts = NULL;
		return;
	}
	qsort(p->cts, p->n, sizeof(*p->cts), cmp_ct);
	/* Equal CTIDs are now adjacent, the later block last.  The string
	 * of a dropped one stays in its block. */
	for (i = 0, k = 0; i < p->n; i++) {
		if (i + 1 < p->n &&
		    strcmp(p->cts[i].ctid, p->cts[i + 1].ctid) == 0)
			continue;
		p->cts[k++] = p->cts[i];
	}
	u->cts = xreallocarray(p->cts, k, sizeof(*u->cts));
	u->n = k;
	p->cts = NULL;
}

/*
 * One line (without its '\n'), whole.  The file is fed line by line, so
 * that a 200 MB user_beancounters (100,000 containers) is never held in
 * memory at once.
 */
static void
ubc_feed(struct ubcparse *p, const char *s, size_t len)
{
	const char *why;
	size_t i;

	if (p->bytes == 0)
		p->version = len >= 8 && memcmp(s, "Version:", 8) == 0;
	p->bytes += len + 1;
	p->line++;
	for (i = 0; i < len && !p->nonblank; i++)
		if (!is_blank((unsigned char)s[i]))
			p->nonblank = 1;
	if ((why = ubc_line(p, s, len)) != NULL)
		ubc_bad(p, p->line, why);
}

static void
ubc_finish(struct ubcparse *p, const char *shown, struct ubc *u)
{
	size_t i;

	/*
	 * Blank: nothing runs, nothing to say.  No version and no container
	 * header: not the kernel's file.  Either way p->n is 0 and no CTID
	 * was kept; only the room reserved for records goes.
	 */
	u->nbad = p->nbad;
	if (!p->nonblank || (!p->version && p->heads == 0)) {
		if (p->nonblank) {
			vz_warn(shown, 0, 0, "not a beancounters file; "
			    "no live data");
			u->nbad++;
		}
		free(p->cts);
		p->cts = NULL;
		u->cts = NULL;
		u->n = 0;
		u->ctids.head = NULL;
		return;
	}
	for (i = 0; i < p->nbad && i < UBC_NWARN; i++)
		vz_warn(shown, p->bad[i].line, 0, "%s; line ignored",
		    p->bad[i].why);
	if (p->nbad > UBC_NWARN)
		vz_warn(shown, 0, 0, "%zu further bad lines ignored",
		    p->nbad - UBC_NWARN);
	ubc_sort(p, u);
}

int
ubc_parse(const char *text, size_t len, const char *shown, struct ubc *u)
{
	struct ubcparse p;
	size_t off, end;

	memset(&p, 0, sizeof(p));
	for (off = 0; off < len; off = end + 1) {
		end = line_end(text, len, off);
		ubc_feed(&p, text + off, end - off);
	}
	ubc_finish(&p, shown, u);
	return 0;
}

/* Read in chunks; a line cut by a chunk waits for its end in carry. */
int
ubc_read(const char *path, size_t hint, struct ubc *u)
{
	struct buf carry = { NULL, 0, 0 };
	struct ubcparse p;
	char chunk[65536];
	const char *nl, *s;
	ssize_t n;
	size_t len;
	int fd, e;

	u->cts = NULL;
	u->n = 0;
	u->nbad = 0;
	u->ctids.head = NULL;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		/* Not an OpenVZ kernel, or no container started yet. */
		if (errno == ENOENT)
			return VZ_OK;
		vz_syserr(path, "cannot read");
		return VZ_FAIL;
	}
	memset(&p, 0, sizeof(p));
	/* Room for hint records at once: grown by doubling, the array
	 * would leave its smaller copies behind in the heap. */
	if (hint > 0) {
		p.cap = hint;
		p.cts = xreallocarray(NULL, hint, sizeof(*p.cts));
	}
	for (;;) {
		n = read(fd, chunk, sizeof(chunk));
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		s = chunk;
		len = (size_t)n;
		while ((nl = memchr(s, '\n', len)) != NULL) {
			size_t k = (size_t)(nl - s);

			if (carry.len > 0) {
				buf_add(&carry, s, k);
				ubc_feed(&p, carry.data, carry.len);
				carry.len = 0;
			} else
				ubc_feed(&p, s, k);
			len -= k + 1;
			s = nl + 1;
		}
		buf_add(&carry, s, len);
	}
	e = errno;
	close(fd);
	if (n == -1) {
		buf_free(&carry);
		strpool_free(&p.ctids);
		free(p.cts);
		errno = e;
		vz_syserr(path, "cannot read");
		return VZ_FAIL;
	}
	if (carry.len > 0)
		ubc_feed(&p, carry.data, carry.len);
	buf_free(&carry);
	ubc_finish(&p, path, u);
	return VZ_OK;
}

static int
cmp_find(const void *key, const void *elem)
{
	return ctid_cmp(key, ((const struct ubc_ct *)elem)->ctid);
}

const struct ubc_ct *
ubc_find(const struct ubc *u, const char *ctid)
{
	if (u->n == 0)
		return NULL;
	return bsearch(ctid, u->cts, u->n, sizeof(*u->cts), cmp_find);
}

void
ubc_free(struct ubc *u)
{
	strpool_free(&u->ctids);
	free(u->cts);
	u->cts = NULL;
	u->n = 0;
}

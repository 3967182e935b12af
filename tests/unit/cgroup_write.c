/*
 * cgroup_write.c -- unit tests of the writing half of src/cgroup/cgwrite.c:
 * which writes a share needs (none when converged), their order across
 * guests (decreases first, v1's limit/memsw pair valid both ways, checked
 * against a model of the kernel's rule), and the plain writes themselves
 * on a copy of a fixture cgroup.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cgroup/cgfs.h"
#include "util.h"
#include "unit.h"

#define PG	4096ULL
#define MB	(1024ULL * 1024)
#define HOSTS	"tests/hosts"
#define NRAND	64		/* guests in a random round */
#define NROUND	200

/* One v1 guest of the model: what the kernel holds. */
struct model {
	uint64_t	 limit, memsw;
};

static void	 put(const char *, const char *, const char *);
static char	*slurp(const char *, const char *);
static void	 rm_tree(const char *);
static uint64_t	 rnd(void);
static void	 state_set(struct cg_state *, enum cg_item, uint64_t);
static void	 v1_state(struct cg_state *, uint64_t, uint64_t, uint64_t);
static int	 model_write(struct model *, const struct cg_write *);
static void	 test_plan(void);
static void	 test_order_fixed(void);
static void	 test_order_random(void);
static void	 test_write_value(void);
static void	 test_write_all(void);
static void	 test_write_link(void);
static void	 test_put_back(void);
static void	 one_write(struct cg_write *, const char *, int, enum cg_item,
		    int, uint64_t, uint64_t);
static void	 test_converged(void);

static uint64_t	 seed = 88172645463325252ULL;

static void
put(const char *dir, const char *rel, const char *text)
{
	char *p = xasprintf("%s/%s", dir, rel), *s;
	FILE *f;

	for (s = p + strlen(dir) + 1; (s = strchr(s, '/')) != NULL; s++) {
		*s = '\0';
		if (mkdir(p, 0755) == -1 && errno != EEXIST)
			must(-1, p);
		*s = '/';
	}
	if ((f = fopen(p, "w")) == NULL)
		must(-1, p);
	fputs(text, f);
	fclose(f);
	free(p);
}

/* dir/rel's text (allocated), or NULL. */
static char *
slurp(const char *dir, const char *rel)
{
	struct buf b = { NULL, 0, 0 };
	char *p = xasprintf("%s/%s", dir, rel);

	if (file_read(p, &b) == -1)
		buf_free(&b);
	free(p);
	return b.data;
}

static void
rm_tree(const char *dir)
{
	char *argv[] = { "rm", "-rf", NULL, NULL };

	argv[2] = (char *)dir;
	run_argv(argv);
}

/* xorshift64: the same rounds on every run. */
static uint64_t
rnd(void)
{
	seed ^= seed << 13;
	seed ^= seed >> 7;
	seed ^= seed << 17;
	return seed;
}

static void
state_set(struct cg_state *st, enum cg_item item, uint64_t v)
{
	st->val[item] = v;
	st->have |= 1u << item;
}

static void
v1_state(struct cg_state *st, uint64_t soft, uint64_t limit, uint64_t memsw)
{
	memset(st, 0, sizeof(*st));
	st->exists = 1;
	state_set(st, CG_SOFT, soft);
	state_set(st, CG_LIMIT, limit);
	state_set(st, CG_MEMSW, memsw);
}

/*
 * The v1 kernel's rule (mem_cgroup_resize_max): memsw must stay >= the
 * limit, or the write is EINVAL.  0, or -1 for a write it refuses.
 */
static int
model_write(struct model *m, const struct cg_write *w)
{
	if (w->item == CG_LIMIT) {
		if (w->want > m->memsw)
			return -1;
		m->limit = w->want;
	} else if (w->item == CG_MEMSW) {
		if (w->want < m->limit)
			return -1;
		m->memsw = w->want;
	}
	return 0;
}

static void
test_plan(void)
{
	struct cg_write w[CG_NSET];
	struct cg_state st;
	struct cg_want want;
	const char *why;
	uint32_t absent;
	size_t n;

	cg_want(CG_V1, CG_GUAR_LOW, PG, 65536, 65536, &want, &why);
	v1_state(&st, 256 * MB, 512 * MB, 512 * MB);
	n = cg_plan(&st, &want, 0, "lxc:web", "/d", w, &absent);
	CHECK("plan: converged: nothing", n == 0 && absent == 0);
	st.val[CG_MEMSW] = CG_UNLIMITED;
	n = cg_plan(&st, &want, 7, "lxc:web", "/d", w, &absent);
	CHECK("plan: only what differs", n == 1 && w[0].item == CG_MEMSW &&
	    w[0].known && w[0].old == CG_UNLIMITED &&
	    w[0].want == 512 * MB && w[0].guest == 7 && w[0].err == 0 &&
	    strcmp(w[0].name, "lxc:web") == 0 && strcmp(w[0].dir, "/d") == 0);
	st.have &= ~(1u << CG_MEMSW);
	st.val[CG_SOFT] = CG_UNLIMITED;
	n = cg_plan(&st, &want, 0, "x", "/d", w, &absent);
	CHECK("plan: memsw absent (no swap accounting) is skipped", n == 1 &&
	    w[0].item == CG_SOFT && absent == 1u << CG_MEMSW);
	st.bad |= 1u << CG_LIMIT;
	st.have &= ~(1u << CG_LIMIT);
	n = cg_plan(&st, &want, 0, "x", "/d", w, &absent);
	CHECK("plan: garbage is written over, old unknown", n == 2 &&
	    w[1].item == CG_LIMIT && !w[1].known && w[1].phase == 1 &&
	    absent == 1u << CG_MEMSW);
	state_set(&st, CG_MEMSW, 1024 * MB);
	n = cg_plan(&st, &want, 0, "x", "/d", w, &absent);
	CHECK("plan: an unknown limit goes before its memsw going down",
	    n == 3 && w[1].item == CG_LIMIT && w[1].phase == 0 &&
	    w[2].item == CG_MEMSW && w[2].phase == 0);
	st.val[CG_MEMSW] = 256 * MB;
	n = cg_plan(&st, &want, 0, "x", "/d", w, &absent);
	CHECK("plan: ... and after its memsw going up", n == 3 &&
	    w[1].phase == 1 && w[2].phase == 1);
	st.have &= ~(1u << CG_MEMSW);
	st.exists = 0;
	CHECK("plan: a stopped guest", cg_plan(&st, &want, 0, "x", "/d", w,
	    &absent) == 0 && absent == 0);

	memset(&st, 0, sizeof(st));
	st.exists = 1;
	cg_want(CG_V2, CG_GUAR_MIN, PG, 1, 2, &want, &why);
	n = cg_plan(&st, &want, 0, "cg:a", "/d", w, &absent);
	CHECK("plan: memory not enabled: every file absent", n == 0 &&
	    absent == (1u << CG_MIN | 1u << CG_MAX | 1u << CG_SWAP_MAX));
	state_set(&st, CG_MIN, 0);
	state_set(&st, CG_MAX, CG_UNLIMITED);
	state_set(&st, CG_SWAP_MAX, 2 * PG);
	n = cg_plan(&st, &want, 0, "cg:a", "/d", w, &absent);
	CHECK("plan: v2, max-aware", n == 2 && w[0].item == CG_MIN &&
	    w[0].want == PG && w[1].item == CG_MAX && w[1].want == 3 * PG &&
	    w[1].old == CG_UNLIMITED);
}

static void
test_order_fixed(void)
{
	struct cg_write w[16];
	struct cg_state st;
	struct cg_want want;
	const char *why;
	uint32_t absent;
	size_t n = 0, i, first_inc;
	int ok;

	/*
	 * 0: v1 raising both; 1: v1 lowering both; 2: v2, one up and two
	 * down; 3: v1 lowering both from an unlimited memsw; 4: v1 limit
	 * up and memsw down (the only mixed case: memsw >= limit before and
	 * after).
	 */
	cg_want(CG_V1, CG_GUAR_LOW, PG, 100, 100, &want, &why);
	v1_state(&st, 50 * PG, 100 * PG, 100 * PG);
	n += cg_plan(&st, &want, 0, "lxc:up", "/up", w + n, &absent);
	v1_state(&st, 200 * PG, 400 * PG, 400 * PG);
	n += cg_plan(&st, &want, 1, "lxc:down", "/down", w + n, &absent);
	cg_want(CG_V2, CG_GUAR_LOW, PG, 10, 0, &want, &why);
	memset(&st, 0, sizeof(st));
	st.exists = 1;
	state_set(&st, CG_LOW, 5 * PG);
	state_set(&st, CG_MAX, CG_UNLIMITED);
	state_set(&st, CG_SWAP_MAX, CG_UNLIMITED);
	n += cg_plan(&st, &want, 2, "cg:v2", "/v2", w + n, &absent);
	cg_want(CG_V1, CG_GUAR_LOW, PG, 100, 100, &want, &why);
	v1_state(&st, 100 * PG, 300 * PG, CG_UNLIMITED);
	n += cg_plan(&st, &want, 3, "lxc:unl", "/unl", w + n, &absent);
	v1_state(&st, 100 * PG, 150 * PG, 250 * PG);
	n += cg_plan(&st, &want, 4, "lxc:mix", "/mix", w + n, &absent);
	CHECK("order: planned", n == 13);
	cg_order(w, n);

	for (first_inc = 0; first_inc < n; first_inc++)
		if (w[first_inc].phase != 0)
			break;
	ok = 1;
	for (i = 0; i < n; i++)
		if (w[i].phase != (w[i].known && w[i].want < w[i].old ?
		    0 : 1) || (i >= first_inc && w[i].phase == 0))
			ok = 0;
	CHECK("order: every decrease before any increase", ok &&
	    first_inc == 8);
	CHECK("order: lowering v1: limit before memsw",
	    w[0].guest == 1 && w[0].item == CG_LIMIT &&
	    w[1].guest == 1 && w[1].item == CG_MEMSW &&
	    w[2].guest == 1 && w[2].item == CG_SOFT &&
	    w[5].guest == 3 && w[5].item == CG_LIMIT &&
	    w[6].guest == 3 && w[6].item == CG_MEMSW);
	CHECK("order: v2 decreases by guest",
	    w[3].guest == 2 && w[3].item == CG_MAX &&
	    w[4].guest == 2 && w[4].item == CG_SWAP_MAX);
	CHECK("order: limit up, memsw down: memsw in the first phase",
	    w[7].guest == 4 && w[7].item == CG_MEMSW &&
	    w[12].guest == 4 && w[12].item == CG_LIMIT);
	CHECK("order: raising v1: memsw before limit",
	    w[8].guest == 0 && w[8].item == CG_MEMSW &&
	    w[9].guest == 0 && w[9].item == CG_LIMIT &&
	    w[10].guest == 0 && w[10].item == CG_SOFT);
	CHECK("order: the v2 increase", w[11].guest == 2 &&
	    w[11].item == CG_LOW);
	cg_order(w, 0);
	cg_order(w, 1);
	CHECK("order: one write stays", w[0].guest == 1 &&
	    w[0].item == CG_LIMIT);
}

/*
 * Random v1 guests (memsw >= limit, as the kernel keeps them; some with
 * unknown values) and random shares: the ordered writes never break the
 * kernel's rule, never raise before every decrease is done, and leave
 * each guest holding its share.
 */
static void
test_order_random(void)
{
	struct cg_write w[NRAND * CG_NSET];
	struct model m[NRAND];
	struct cg_state st;
	struct cg_want want[NRAND];
	const char *why;
	uint32_t absent;
	size_t n, i, g, round, refused = 0, early = 0, wrong = 0;
	int raised;

	for (round = 0; round < NROUND; round++) {
		n = 0;
		for (g = 0; g < NRAND; g++) {
			uint64_t lim = rnd() % 1000 + 1, gg, xx;

			m[g].limit = lim * PG;
			m[g].memsw = (rnd() % 4 == 0 ? CG_UNLIMITED :
			    (lim + rnd() % 500) * PG);
			if (rnd() % 8 == 0)
				m[g].limit = CG_UNLIMITED, m[g].memsw =
				    CG_UNLIMITED;
			v1_state(&st, rnd() % 500 * PG, m[g].limit,
			    m[g].memsw);
			/* Garbage in a file: its old value unknown. */
			if (rnd() % 10 == 0) {
				st.have &= ~(1u << CG_LIMIT);
				st.bad |= 1u << CG_LIMIT;
			}
			gg = rnd() % 800 + 1;
			xx = rnd() % 3 == 0 ? 0 : rnd() % 800;
			cg_want(CG_V1, CG_GUAR_LOW, PG, gg, xx, &want[g],
			    &why);
			n += cg_plan(&st, &want[g], g, "g", "/g", w + n,
			    &absent);
		}
		cg_order(w, n);
		raised = 0;
		for (i = 0; i < n; i++) {
			if (model_write(&m[w[i].guest], &w[i]) == -1)
				refused++;
			if (w[i].known && w[i].want < w[i].old && raised)
				early++;
			if (w[i].phase == 1)
				raised = 1;
		}
		for (g = 0; g < NRAND; g++)
			if (m[g].limit != want[g].set[1].bytes ||
			    m[g].memsw != want[g].set[2].bytes)
				wrong++;
	}
	CHECK("order: random v1 rounds: the kernel refuses nothing",
	    refused == 0);
	CHECK("order: random rounds: no decrease after an increase",
	    early == 0);
	CHECK("order: random rounds: every guest holds its share",
	    wrong == 0);
}

static void
test_write_value(void)
{
	char tmpl[] = "/tmp/vzmem-cgw-XXXXXX", *dir, *t = NULL, *p;
	int dfd;

	dir = mkdtemp(tmpl);
	must(dir == NULL ? -1 : 0, "mkdtemp");
	put(dir, "memory.max", "9223372036854771712\n");
	must(dfd = open(dir, O_RDONLY | O_DIRECTORY), dir);
	CHECK("write: a value in place", cg_write_value(dfd, CG_MAX,
	    512 * MB) == 0 && (t = slurp(dir, "memory.max")) != NULL &&
	    strcmp(t, "536870912\n") == 0);
	free(t);
	errno = 0;
	CHECK("write: a missing file is not created",
	    cg_write_value(dfd, CG_LOW, 4096) == -1 && errno == ENOENT &&
	    (t = slurp(dir, "memory.low")) == NULL);
	p = xasprintf("%s/memory.high", dir);
	must(mkdir(p, 0755), p);
	errno = 0;
	CHECK("write: a directory is refused",
	    cg_write_value(dfd, CG_HIGH, 4096) == -1 && errno == EISDIR);
	free(p);
	p = xasprintf("%s/memory.swap.max", dir);
	must(symlink("memory.max", p), p);
	errno = 0;
	CHECK("write: a symlink is not followed",
	    cg_write_value(dfd, CG_SWAP_MAX, 4096) == -1 && errno == ELOOP &&
	    (t = slurp(dir, "memory.max")) != NULL &&
	    strcmp(t, "536870912\n") == 0);
	free(t);
	free(p);
	close(dfd);
	rm_tree(dir);
}

static void
test_write_all(void)
{
	char tmpl[] = "/tmp/vzmem-cgw-XXXXXX", *dir, *a, *b, *err, *t = NULL;
	struct cg_write w[5];
	size_t failed, i;
	int dfd;

	dir = mkdtemp(tmpl);
	must(dir == NULL ? -1 : 0, "mkdtemp");
	must(dfd = open(dir, O_RDONLY | O_DIRECTORY), dir);
	a = xasprintf("%s/a", dir);
	b = xasprintf("%s/b", dir);
	/* Guest a lacks memory.limit_in_bytes: its first write fails. */
	put(dir, "a/memory.memsw.limit_in_bytes", "1\n");
	put(dir, "a/memory.soft_limit_in_bytes", "1\n");
	put(dir, "b/memory.limit_in_bytes", "1\n");
	put(dir, "b/memory.soft_limit_in_bytes", "1\n");
	memset(w, 0, sizeof(w));
	w[0].guest = 0, w[0].name = "lxc:a", w[0].dir = a;
	w[0].item = CG_LIMIT, w[0].want = 4096;
	w[1].guest = 1, w[1].name = "lxc:b", w[1].dir = b;
	w[1].item = CG_LIMIT, w[1].want = 8192;
	w[2].guest = 0, w[2].name = "lxc:a", w[2].dir = a;
	w[2].item = CG_MEMSW, w[2].want = 4096;
	w[3].guest = 1, w[3].name = "lxc:b", w[3].dir = b;
	w[3].item = CG_SOFT, w[3].want = 12288, w[3].phase = 1;
	w[4].guest = 0, w[4].name = "lxc:a", w[4].dir = a;
	w[4].item = CG_SOFT, w[4].want = 4096, w[4].phase = 1;
	for (i = 0; i < 5; i++) {
		w[i].mfd = dfd;
		w[i].path = w[i].guest == 0 ? "a" : "b";
	}
	err_begin();
	failed = cg_write_all(w, 5, 0);
	err = err_end();
	CHECK("write all: one refused", failed == 1 && w[0].err == ENOENT);
	CHECK("write all: the message names guest, file and strerror",
	    strstr(err, "vzmem: lxc:a: error: cannot write 4096 to ") != NULL &&
	    strstr(err, "/a/memory.limit_in_bytes: No such file or "
	    "directory") != NULL && strstr(err, "lxc:b") == NULL);
	CHECK("write all: the guest's later writes not tried",
	    w[2].err == ECANCELED && w[4].err == ECANCELED &&
	    (t = slurp(a, "memory.memsw.limit_in_bytes")) != NULL &&
	    strcmp(t, "1\n") == 0);
	free(t);
	CHECK("write all: the other guest goes on", w[1].err == 0 &&
	    w[3].err == 0 && (t = slurp(b, "memory.limit_in_bytes")) !=
	    NULL && strcmp(t, "8192\n") == 0);
	free(t);
	CHECK("write all: phase 0 alone", (t = slurp(b,
	    "memory.soft_limit_in_bytes")) != NULL && strcmp(t, "1\n") == 0);
	free(t);
	free(err);
	err_begin();
	failed = cg_write_all(w, 5, 1);
	err = err_end();
	CHECK("write all: then phase 1; the failed guest stays cancelled",
	    failed == 0 && err[0] == '\0' && w[3].err == 0 &&
	    w[4].err == ECANCELED && (t = slurp(b,
	    "memory.soft_limit_in_bytes")) != NULL &&
	    strcmp(t, "12288\n") == 0);
	free(t);
	free(err);
	free(a);
	free(b);
	close(dfd);
	rm_tree(dir);
}

/*
 * A cgroup, or a directory above it, swapped for a link to another one
 * (the victim): the write is refused, the victim keeps its bytes; a
 * regular file where a cgroup should be is no directory either.
 */
static void
test_write_link(void)
{
	char tmpl[] = "/tmp/vzmem-cgw-XXXXXX", *dir, *p, *err, *t = NULL;
	struct cg_write w[2];
	struct cg_walk wk;
	int dfd, fd;

	dir = mkdtemp(tmpl);
	must(dir == NULL ? -1 : 0, "mkdtemp");
	put(dir, "victim/memory.max", "1\n");
	put(dir, "q/x/memory.max", "1\n");
	put(dir, "file", "");
	p = xasprintf("%s/c", dir);
	must(symlink("victim", p), p);
	free(p);
	p = xasprintf("%s/p", dir);
	must(symlink("q", p), p);
	free(p);
	must(dfd = open(dir, O_RDONLY | O_DIRECTORY), dir);
	memset(w, 0, sizeof(w));
	w[0].guest = 0, w[0].name = "cg:c", w[0].dir = "/m/c";
	w[0].item = CG_MAX, w[0].want = 4096, w[0].mfd = dfd;
	w[0].path = "c";
	w[1].guest = 1, w[1].name = "cg:p/x", w[1].dir = "/m/p/x";
	w[1].item = CG_MAX, w[1].want = 4096, w[1].mfd = dfd;
	w[1].path = "p/x";
	err_begin();
	CHECK("link: both writes refused", cg_write_all(w, 2, -1) == 2);
	err = err_end();
	CHECK("link: the message names the link",
	    strstr(err, "vzmem: cg:c: error: cannot write memory.max: /m/c "
	    "is not a cgroup: a symbolic link (never followed)") != NULL &&
	    strstr(err, "vzmem: cg:p/x: error: cannot write memory.max: "
	    "/m/p is not a cgroup: a symbolic link") != NULL);
	CHECK("link: the victims untouched",
	    (t = slurp(dir, "victim/memory.max")) != NULL &&
	    strcmp(t, "1\n") == 0 && (free(t), t = slurp(dir,
	    "q/x/memory.max")) != NULL && strcmp(t, "1\n") == 0);
	free(t);
	free(err);
	CHECK("link: walk says which component", cg_dir_open(dfd, "p/x",
	    &wk) == -1 && wk.refused == CG_REF_LINK && wk.len == 1);
	CHECK("link: a regular file", cg_dir_open(dfd, "file", &wk) == -1 &&
	    wk.refused == CG_REF_FILE && strcmp(cg_refused_what(&wk),
	    "a regular file") == 0);
	CHECK("link: nothing there", cg_dir_open(dfd, "none/x", &wk) == -1 &&
	    errno == ENOENT && wk.refused == CG_REF_NONE);
	CHECK("link: a directory", (fd = cg_dir_open(dfd, "q/x", &wk)) != -1);
	if (fd != -1)
		close(fd);
	CHECK("link: no mount", cg_dir_open(-1, "q", &wk) == -1 &&
	    errno == EBADF);
	close(dfd);
	rm_tree(dir);
}

/* w as a write of guest 0 ("lxc:a", dir) in phase 0. */
static void
one_write(struct cg_write *w, const char *dir, int dirfd, enum cg_item item,
    int known, uint64_t old, uint64_t want)
{
	memset(w, 0, sizeof(*w));
	w->name = "lxc:a";
	w->dir = dir;
	w->mfd = dirfd;
	w->path = "";	/* the cgroup is dirfd itself */
	w->item = item;
	w->known = known;
	w->old = old;
	w->want = want;
}

/*
 * A refused write puts the guest's earlier ones back, the last first:
 * its cgroup is as it was (an unlimited old value as "-1" or "max");
 * an old value that was unreadable cannot be, and the error says what
 * was written and what not.
 */
static void
test_put_back(void)
{
	char tmpl[] = "/tmp/vzmem-cgw-XXXXXX", *dir, *err, *t = NULL, *u = NULL;
	struct cg_write w[3];
	size_t failed;
	int dfd;

	dir = mkdtemp(tmpl);
	must(dir == NULL ? -1 : 0, "mkdtemp");
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	must(dfd, "open");
	/* No memsw file: its write is refused (ENOENT). */
	put(dir, "memory.limit_in_bytes", "8192\n");
	put(dir, "memory.soft_limit_in_bytes", "4096\n");
	one_write(&w[0], dir, dfd, CG_LIMIT, 1, 8192, 4096);
	one_write(&w[1], dir, dfd, CG_MEMSW, 1, 8192, 4096);
	one_write(&w[2], dir, dfd, CG_SOFT, 1, 4096, 4096 * 3);
	err_begin();
	failed = cg_write_all(w, 3, 0);
	err = err_end();
	CHECK("put back: the limit written, memsw refused, the limit put back",
	    failed == 1 && w[0].done && w[0].undone && w[1].err == ENOENT &&
	    w[2].err == ECANCELED && (t = slurp(dir,
	    "memory.limit_in_bytes")) != NULL && strcmp(t, "8192\n") == 0 &&
	    (u = slurp(dir, "memory.soft_limit_in_bytes")) != NULL &&
	    strcmp(u, "4096\n") == 0);
	CHECK("put back: said", strstr(err, "vzmem: lxc:a: "
	    "memory.limit_in_bytes put back: its cgroup is as it was\n") !=
	    NULL);
	free(t);
	free(u);
	free(err);

	one_write(&w[0], dir, dfd, CG_LIMIT, 1, CG_UNLIMITED, 4096);
	one_write(&w[1], dir, dfd, CG_MEMSW, 1, CG_UNLIMITED, 4096);
	err_begin();
	cg_write_all(w, 2, -1);
	free(err_end());
	CHECK("put back: v1 unlimited as -1", (t = slurp(dir,
	    "memory.limit_in_bytes")) != NULL && strcmp(t, "-1\n") == 0);
	free(t);
	put(dir, "memory.max", "4096\n");
	one_write(&w[0], dir, dfd, CG_MAX, 1, CG_UNLIMITED, 4096);
	one_write(&w[1], dir, dfd, CG_SWAP_MAX, 1, 0, 4096);
	err_begin();
	cg_write_all(w, 2, -1);
	free(err_end());
	CHECK("put back: v2 unlimited as max", (t = slurp(dir,
	    "memory.max")) != NULL && strcmp(t, "max\n") == 0);
	free(t);

	one_write(&w[0], dir, dfd, CG_LIMIT, 0, 0, 4096);
	one_write(&w[1], dir, dfd, CG_MEMSW, 1, 8192, 4096);
	one_write(&w[2], dir, dfd, CG_SOFT, 1, 4096, 4096 * 3);
	err_begin();
	failed = cg_write_all(w, 3, 0);
	err = err_end();
	CHECK("put back: an unreadable old value stays written",
	    failed == 1 && w[0].done && !w[0].undone && (t = slurp(dir,
	    "memory.limit_in_bytes")) != NULL && strcmp(t, "4096\n") == 0);
	CHECK("put back: the error names what was written and what not",
	    strstr(err, "/memory.limit_in_bytes: not put back: its old "
	    "value was unreadable\n") != NULL && strstr(err, " is "
	    "half-applied: written memory.limit_in_bytes (4096); not "
	    "written memory.memsw.limit_in_bytes, "
	    "memory.soft_limit_in_bytes\n") != NULL &&
	    strstr(err, "as it was") == NULL);
	free(t);
	free(err);
	close(dfd);
	rm_tree(dir);
}

/*
 * A copy of cg-v2's lxc.payload.web: planned, written, read back and
 * planned again, the second plan is empty; and a converged cgroup is
 * not even opened for writing (its files keep their mtime).
 */
static void
test_converged(void)
{
	char tmpl[] = "/tmp/vzmem-cgw-XXXXXX", *dir, *src, *t;
	char *argv[] = { "cp", "-R", NULL, NULL, NULL };
	struct cg_write w[CG_NSET];
	struct cg_state st;
	struct cg_want want;
	struct cgfs fs;
	struct stat before, after;
	const char *why;
	uint32_t absent;
	size_t n;

	dir = mkdtemp(tmpl);
	must(dir == NULL ? -1 : 0, "mkdtemp");
	src = xasprintf("%s/cg-v2/sys", HOSTS);
	argv[2] = src;
	argv[3] = dir;
	CHECK("converged: fixture copied", run_argv(argv) == 0);
	put(dir, "sys/fs/cgroup/cgroup.controllers", "memory\n");
	cgfs_open(&fs, dir, PG);
	cg_read(&fs, "lxc.payload.web", &st);
	cg_want(CG_V2, CG_GUAR_LOW, PG, 65536, 65536, &want, &why);
	n = cg_plan(&st, &want, 0, "lxc:web", "d", w, &absent);
	CHECK("converged: the fixture already holds 256M + 256M", n == 0);
	cg_want(CG_V2, CG_GUAR_LOW, PG, 32768, 98304, &want, &why);
	t = xasprintf("%s/lxc.payload.web", fs.mount);
	n = cg_plan(&st, &want, 0, "lxc:web", t, w, &absent);
	CHECK("converged: 128M + 384M changes low and swap.max", n == 2 &&
	    w[0].item == CG_LOW && w[1].item == CG_SWAP_MAX);
	w[0].mfd = w[1].mfd = fs.mfd;
	w[0].path = w[1].path = "lxc.payload.web";
	cg_order(w, n);
	CHECK("converged: written", cg_write_all(w, n, -1) == 0);
	cg_read(&fs, "lxc.payload.web", &st);
	CHECK("converged: read back", st.val[CG_LOW] == 128 * MB &&
	    st.val[CG_SWAP_MAX] == 384 * MB && st.val[CG_MAX] == 512 * MB);
	free(src);
	src = xasprintf("%s/memory.low", t);
	must(stat(src, &before), "stat");
	n = cg_plan(&st, &want, 0, "lxc:web", t, w, &absent);
	CHECK("converged: the second plan writes nothing", n == 0 &&
	    cg_write_all(w, n, -1) == 0);
	must(stat(src, &after), "stat");
	CHECK("converged: untouched", before.st_mtim.tv_sec ==
	    after.st_mtim.tv_sec && before.st_mtim.tv_nsec ==
	    after.st_mtim.tv_nsec);
	free(t);
	free(src);
	cgfs_close(&fs);
	rm_tree(dir);
}

int
main(void)
{
	test_plan();
	test_order_fixed();
	test_order_random();
	test_write_value();
	test_write_all();
	test_write_link();
	test_put_back();
	test_converged();
	return unit_result();
}

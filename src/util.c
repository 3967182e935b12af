/*
 * util.c -- error reporter, allocation, buffers, atomic file replacement,
 * the lock and running children.
 */
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "util.h"

int verbosity;

/*
 * Temp files being written, removed if we die on the way (out of memory,
 * a signal).  A fixed table: at most a few exist at once, and the signal
 * handler must not allocate.
 */
#define NTEMPS	16
static char	*temps[NTEMPS];

/* vz_tap(): set once by a command, like verbosity. */
static vz_tap_fn *tap;
static void	*tap_arg;

static void	 vmsg(const char *, const char *, size_t, size_t,
		    const char *, va_list);
static void	 temps_unlink(void);
static void	 on_signal(int);
static void	 temps_init(void);
static int	 temp_add(char *);
static void	 temp_del(const char *);
static int	 write_all(int, const void *, size_t);
static char	*resolve_target(const char *);
static int	 same_dir(const char *, const char *);
static int	 is_temp_name(const char *);

static void
vmsg(const char *kind, const char *file, size_t line, size_t col,
    const char *fmt, va_list ap)
{
	fflush(stdout);
	fputs("vzmem: ", stderr);
	if (file != NULL) {
		fputs(file, stderr);
		if (line > 0)
			fprintf(stderr, ":%zu", line);
		if (line > 0 && col > 0)
			fprintf(stderr, ":%zu", col);
		fputs(": ", stderr);
	}
	if (kind != NULL)
		fputs(kind, stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void
vz_tap(vz_tap_fn *fn, void *arg)
{
	tap = fn;
	tap_arg = arg;
}

static void
vreport(const struct where *at, enum vz_level lv, const char *fmt,
    va_list ap)
{
	struct buf b = { NULL, 0, 0 };
	struct finding f;

	buf_vprintf(&b, fmt, ap);
	if (tap != NULL) {
		f.level = lv;
		f.file = at->file;
		f.line = at->line;
		f.col = at->col;
		f.guest = at->guest;
		f.param = at->param;
		f.msg = b.data;
		tap(tap_arg, &f);
	}
	if (lv != VZ_LERROR && verbosity < 0) {
		buf_free(&b);
		return;
	}
	fflush(stdout);
	fputs("vzmem: ", stderr);
	if (at->file != NULL) {
		fputs(at->file, stderr);
		if (at->line > 0)
			fprintf(stderr, ":%zu", at->line);
		if (at->line > 0 && at->col > 0)
			fprintf(stderr, ":%zu", at->col);
		fputs(": ", stderr);
	}
	if (lv == VZ_LWARN)
		fputs("warning: ", stderr);
	fputs(b.data, stderr);
	fputc('\n', stderr);
	buf_free(&b);
}

void
vz_report(const struct where *at, enum vz_level lv, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(at, lv, fmt, ap);
	va_end(ap);
}

void
vz_err(const char *file, size_t line, size_t col, const char *fmt, ...)
{
	struct where at = { file, line, col, NULL, NULL };
	va_list ap;

	va_start(ap, fmt);
	vreport(&at, VZ_LERROR, fmt, ap);
	va_end(ap);
}

void
vz_warn(const char *file, size_t line, size_t col, const char *fmt, ...)
{
	struct where at = { file, line, col, NULL, NULL };
	va_list ap;

	va_start(ap, fmt);
	vreport(&at, VZ_LWARN, fmt, ap);
	va_end(ap);
}

void
vz_info(const char *fmt, ...)
{
	va_list ap;

	if (verbosity < 0)
		return;
	va_start(ap, fmt);
	vmsg(NULL, NULL, 0, 0, fmt, ap);
	va_end(ap);
}

void
vz_syserr(const char *file, const char *fmt, ...)
{
	va_list ap;
	int e = errno;

	fflush(stdout);
	fputs("vzmem: ", stderr);
	if (file != NULL)
		fprintf(stderr, "%s: ", file);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, ": %s\n", strerror(e));
	errno = e;
}

static void
nomem(void)
{
	fputs("vzmem: out of memory\n", stderr);
	exit(VZ_FAIL);
}

void *
xmalloc(size_t n)
{
	void *p;

	if ((p = malloc(n == 0 ? 1 : n)) == NULL)
		nomem();
	return p;
}

void *
xcalloc(size_t n, size_t size)
{
	void *p;

	if ((p = calloc(n == 0 ? 1 : n, size == 0 ? 1 : size)) == NULL)
		nomem();
	return p;
}

void *
xreallocarray(void *old, size_t n, size_t size)
{
	void *p;

	if (size != 0 && n > SIZE_MAX / size)
		nomem();
	if ((p = realloc(old, n * size == 0 ? 1 : n * size)) == NULL)
		nomem();
	return p;
}

char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *
xstrndup(const char *s, size_t n)
{
	char *p;

	p = xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
xasprintf(const char *fmt, ...)
{
	struct buf b = { NULL, 0, 0 };
	va_list ap;

	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	/* Exact size: the planner keeps six of these per container. */
	return xreallocarray(b.data, b.len + 1, 1);
}

static void
buf_grow(struct buf *b, size_t more)
{
	size_t cap;

	if (more < b->cap - b->len && b->data != NULL)
		return;
	if (more > SIZE_MAX / 2 - b->len)
		nomem();
	cap = b->cap ? b->cap : 64;
	while (cap - b->len <= more)
		cap *= 2;
	b->data = xreallocarray(b->data, cap, 1);
	b->cap = cap;
}

void
buf_reserve(struct buf *b, size_t more)
{
	if (b->data != NULL && more < b->cap - b->len)
		return;
	if (more > SIZE_MAX - 1 - b->len)
		nomem();
	b->data = xreallocarray(b->data, b->len + more + 1, 1);
	b->cap = b->len + more + 1;
	b->data[b->len] = '\0';
}

void
buf_add(struct buf *b, const void *p, size_t n)
{
	buf_grow(b, n);
	if (n > 0)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void
buf_addc(struct buf *b, int c)
{
	char ch = (char)c;

	buf_add(b, &ch, 1);
}

void
buf_addstr(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

void
buf_pad(struct buf *b, int c, size_t n)
{
	buf_grow(b, n);
	memset(b->data + b->len, c, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void
buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
	va_list again;
	int n;

	va_copy(again, ap);
	n = vsnprintf(NULL, 0, fmt, ap);
	if (n < 0)
		nomem();
	buf_grow(b, (size_t)n);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, again);
	va_end(again);
	b->len += (size_t)n;
}

void
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	buf_vprintf(b, fmt, ap);
	va_end(ap);
}

void
buf_free(struct buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

#define CHUNK_SIZE	(64 * 1024 - sizeof(struct strchunk))
#define CHUNK_BIG	(CHUNK_SIZE / 16)

struct strchunk {
	struct strchunk	*next;
	size_t		 used;
	size_t		 size;
	char		 s[];
};

char *
strpool_add(struct strpool *p, const char *s, size_t len)
{
	struct strchunk *c = p->head;
	char *t;

	if (c == NULL || c->size - c->used <= len) {
		size_t size = len >= CHUNK_BIG ? len + 1 : CHUNK_SIZE;

		/* s is in memory already: len + 1 + a header cannot wrap. */
		c = xmalloc(sizeof(*c) + size);
		c->used = 0;
		c->size = size;
		if (len >= CHUNK_BIG && p->head != NULL) {
			/* The open chunk stays first, for the strings
			 * to come. */
			c->next = p->head->next;
			p->head->next = c;
		} else {
			c->next = p->head;
			p->head = c;
		}
	}
	t = c->s + c->used;
	memcpy(t, s, len);
	t[len] = '\0';
	c->used += len + 1;
	return t;
}

void
strpool_free(struct strpool *p)
{
	struct strchunk *c, *next;

	for (c = p->head; c != NULL; c = next) {
		next = c->next;
		free(c);
	}
	p->head = NULL;
}

void
buf_addu64(struct buf *b, uint64_t v)
{
	char d[20];
	size_t n = 0;

	do {
		d[sizeof(d) - ++n] = (char)('0' + v % 10);
		v /= 10;
	} while (v > 0);
	buf_add(b, d + sizeof(d) - n, n);
}

void
buf_spill(struct buf *b, FILE *f, size_t min)
{
	if (b->len == 0 || b->len < min)
		return;
	fwrite(b->data, 1, b->len, f);
	b->len = 0;
	b->data[0] = '\0';
}

int
parse_u64(const char *s, size_t len, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;
	size_t i;

	if (len == 0)
		return -1;
	if (len <= 19) {
		/* Below 10^19: no overflow, one check at the end (the
		 * live figures alone are 3 million numbers at 100,000). */
		for (i = 0; i < len; i++) {
			unsigned d = (unsigned char)s[i] - '0';

			if (d > 9)
				return -1;
			v = v * 10 + d;
		}
		if (v > max)
			return -1;
		*out = v;
		return 0;
	}
	for (i = 0; i < len; i++) {
		unsigned d = (unsigned char)s[i] - '0';

		if (d > 9)
			return -1;
		if (v > (max - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

/*
 * A regular file is read into a buffer of the size fstat gives (a map of
 * 100,000 rows is 9 MB: doubling would leave it in 16 MB).  The size is
 * only a hint, as the file may change meanwhile: read() may also fill the
 * byte kept for the NUL, so a file of the size it claims ends with a
 * read of 0 there, and one that grew goes on with doubling.  /proc files
 * (st_size 0) and pipes grow by doubling from the first READ_STEP, and
 * their buffer is trimmed to within a page of the text afterwards.
 */
#define READ_STEP	4096

int
file_read(const char *path, struct buf *b)
{
	return file_read_at(AT_FDCWD, path, b);
}

int
file_read_at(int dirfd, const char *path, struct buf *b)
{
	struct stat st;
	ssize_t n;
	int fd, e;

	if ((fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
	    (uintmax_t)st.st_size < SIZE_MAX / 2)
		buf_reserve(b, (size_t)st.st_size);
	for (;;) {
		if (b->data == NULL || b->len == b->cap)
			buf_grow(b, READ_STEP);
		n = read(fd, b->data + b->len, b->cap - b->len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		b->len += (size_t)n;
	}
	e = errno;
	close(fd);
	/* Every read had room left before it: the NUL fits. */
	b->data[b->len] = '\0';
	if (n == -1) {
		errno = e;
		return -1;
	}
	if (b->cap - b->len > READ_STEP) {
		b->data = xreallocarray(b->data, b->len + 1, 1);
		b->cap = b->len + 1;
	}
	return 0;
}

static void
temps_unlink(void)
{
	size_t i;

	for (i = 0; i < NTEMPS; i++)
		if (temps[i] != NULL)
			unlink(temps[i]);
}

static void
on_signal(int sig)
{
	temps_unlink();
	signal(sig, SIG_DFL);
	raise(sig);
}

static void
temps_init(void)
{
	static int done;
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };
	struct sigaction sa;
	size_t i;

	if (done)
		return;
	done = 1;
	atexit(temps_unlink);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		struct sigaction old;

		/* Leave ignored signals ignored (nohup). */
		if (sigaction(sigs[i], NULL, &old) == 0 &&
		    old.sa_handler == SIG_IGN)
			continue;
		sigaction(sigs[i], &sa, NULL);
	}
}

static int
temp_add(char *path)
{
	size_t i;

	temps_init();
	for (i = 0; i < NTEMPS; i++)
		if (temps[i] == NULL) {
			temps[i] = path;
			return 0;
		}
	return -1;
}

static void
temp_del(const char *path)
{
	size_t i;

	for (i = 0; i < NTEMPS; i++)
		if (temps[i] == path)
			temps[i] = NULL;
}

int
temp_register(char *path)
{
	return temp_add(path);
}

void
temp_unregister(const char *path)
{
	temp_del(path);
}

static int
write_all(int fd, const void *p, size_t n)
{
	const char *s = p;
	ssize_t w;

	while (n > 0) {
		w = write(fd, s, n);
		if (w == -1 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		s += w;
		n -= (size_t)w;
	}
	return 0;
}

/* dir ("path/", as file_replace cuts it) names the directory d? */
static int
same_dir(const char *dir, const char *d)
{
	size_t n = strlen(d);

	while (n > 1 && d[n - 1] == '/')
		n--;
	return strncmp(dir, d, n) == 0 && strcmp(dir + n, "/") == 0;
}

int
fsync_dir(const char *dir)
{
	int fd, r;

	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		return -1;
	r = fsync(fd);
	/* Some file systems cannot fsync a directory; that is no error. */
	if (r == -1 && (errno == EINVAL || errno == EROFS))
		r = 0;
	close(fd);
	return r;
}

/* The file a path names: symlinks followed to their final target. */
static char *
resolve_target(const char *path)
{
	char *cur = xstrdup(path);
	struct stat st;
	int hops;

	for (hops = 0; hops < 40; hops++) {
		struct buf b = { NULL, 0, 0 };
		char link[PATH_MAX];
		ssize_t n;
		char *slash;

		if (lstat(cur, &st) == -1 || !S_ISLNK(st.st_mode))
			return cur;
		if ((n = readlink(cur, link, sizeof(link) - 1)) == -1)
			return cur;
		link[n] = '\0';
		if (link[0] != '/' && (slash = strrchr(cur, '/')) != NULL)
			buf_add(&b, cur, (size_t)(slash - cur + 1));
		buf_addstr(&b, link);
		free(cur);
		cur = b.data;
	}
	return cur;
}

int
file_replace(const char *path, const void *data, size_t len, mode_t newmode)
{
	return file_replace_in(path, data, len, newmode, NULL);
}

int
file_replace_in(const char *path, const void *data, size_t len,
    mode_t newmode, const char *synced)
{
	char *target, *tmp, *dir, *slash;
	const char *base;
	struct stat st;
	int fd, e, have_old;

	target = resolve_target(path);
	if ((slash = strrchr(target, '/')) != NULL) {
		dir = xstrndup(target, (size_t)(slash - target + 1));
		base = slash + 1;
	} else {
		dir = xstrdup("./");
		base = target;
	}
	tmp = xasprintf("%s.%s.vzmem-tmp-XXXXXX", dir, base);
	have_old = stat(target, &st) == 0;

	if ((fd = mkstemp(tmp)) == -1) {
		e = errno;
		goto fail_early;
	}
	if (temp_add(tmp) == -1) {
		e = EMFILE;
		close(fd);
		unlink(tmp);
		goto fail_early;
	}
	if (have_old) {
		/* Keep mode and owner; fchown fails harmlessly as non-root
		 * when the owner is already ours. */
		if (fchown(fd, st.st_uid, st.st_gid) == -1 && geteuid() == 0)
			goto fail;
		if (fchmod(fd, st.st_mode & 07777) == -1)
			goto fail;
	} else if (fchmod(fd, newmode) == -1)
		goto fail;
	if (write_all(fd, data, len) == -1 || fsync(fd) == -1)
		goto fail;
	if (close(fd) == -1) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (rename(tmp, target) == -1)
		goto fail;
	temp_del(tmp);
	if ((synced == NULL || !same_dir(dir, synced)) &&
	    fsync_dir(dir) == -1) {
		e = errno;
		free(tmp);
		free(dir);
		free(target);
		errno = e;
		return -1;
	}
	free(tmp);
	free(dir);
	free(target);
	return 0;
fail:
	e = errno;
	if (fd != -1)
		close(fd);
	unlink(tmp);
	temp_del(tmp);
fail_early:
	free(tmp);
	free(dir);
	free(target);
	errno = e;
	return -1;
}

static int
is_temp_name(const char *name)
{
	return name[0] == '.' && strstr(name, ".vzmem-tmp-") != NULL;
}

int
file_install(const char *path, const char *shown, const struct buf *old,
    const struct buf *new)
{
	char *bak;
	int r = VZ_OK;

	if (old != NULL) {
		bak = xasprintf("%s.bak", path);
		if (file_replace(bak, old->data, old->len, 0644) == -1) {
			vz_syserr(bak, "cannot write");
			r = VZ_FAIL;
		}
		free(bak);
	}
	if (r == VZ_OK && file_replace(path, new->data, new->len, 0644) == -1) {
		vz_syserr(shown, "cannot write");
		r = VZ_FAIL;
	}
	return r;
}

int
tmp_exists(const char *dir)
{
	struct dirent *de;
	int found = 0;
	DIR *d;

	if ((d = opendir(dir)) == NULL)
		return 0;
	while (!found && (de = readdir(d)) != NULL)
		found = is_temp_name(de->d_name);
	closedir(d);
	return found;
}

size_t
tmp_sweep(const char *dir)
{
	struct dirent *de;
	size_t n = 0;
	DIR *d;

	if ((d = opendir(dir)) == NULL)
		return 0;
	while ((de = readdir(d)) != NULL) {
		char *p;

		if (!is_temp_name(de->d_name))
			continue;
		p = xasprintf("%s/%s", dir, de->d_name);
		if (unlink(p) == 0)
			n++;
		free(p);
	}
	closedir(d);
	return n;
}

int
lock_take(const char *path, int wait)
{
	static const struct timespec pause = { 0, 10000000 };	/* 10 ms */
	char pid[32], held[32] = "";
	ssize_t n;
	int fd, r, tries;

	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd == -1) {
		vz_syserr(path, "cannot open lock file");
		return -1;
	}
	while ((r = flock(fd, LOCK_EX | LOCK_NB)) == -1 && errno == EINTR)
		;
	/*
	 * The holder writes its PID just after it locks, and empties the
	 * file just before it unlocks: while the file is empty, look again
	 * for a moment (or take the lock when it has gone meanwhile).
	 */
	for (tries = 0; r == -1 && errno == EWOULDBLOCK; tries++) {
		n = pread(fd, held, sizeof(held) - 1, 0);
		held[n > 0 ? n : 0] = '\0';
		held[strcspn(held, "\n")] = '\0';
		if (held[0] != '\0' || tries == 50)
			break;
		nanosleep(&pause, NULL);
		while ((r = flock(fd, LOCK_EX | LOCK_NB)) == -1 &&
		    errno == EINTR)
			;
	}
	if (r == -1 && errno == EWOULDBLOCK) {
		if (!wait) {
			vz_err(path, 0, 0, "locked by process %s; try again "
			    "later or use --wait", held[0] ? held : "?");
			close(fd);
			return -1;
		}
		vz_info("waiting for the lock held by process %s",
		    held[0] ? held : "?");
		while ((r = flock(fd, LOCK_EX)) == -1 && errno == EINTR)
			;
	}
	if (r == -1) {
		vz_syserr(path, "cannot lock");
		close(fd);
		return -1;
	}
	snprintf(pid, sizeof(pid), "%ld\n", (long)getpid());
	if (ftruncate(fd, 0) == -1 ||
	    pwrite(fd, pid, strlen(pid), 0) != (ssize_t)strlen(pid)) {
		vz_syserr(path, "cannot write lock file");
		close(fd);
		return -1;
	}
	return fd;
}

void
lock_release(int fd)
{
	if (fd >= 0) {
		/* Empty it first, so nobody reads a stale PID. */
		if (ftruncate(fd, 0) == -1) {
			/* nothing to do: the flock goes with close */
		}
		close(fd);
	}
}

int
run_argv(char *const argv[])
{
	pid_t pid;
	int st;

	fflush(stdout);
	fflush(stderr);
	if ((pid = fork()) == -1)
		return -1;
	if (pid == 0) {
		execvp(argv[0], argv);
		_exit(errno == ENOENT ? 127 : 126);
	}
	while (waitpid(pid, &st, 0) == -1)
		if (errno != EINTR)
			return -1;
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	if (WIFSIGNALED(st))
		return 128 + WTERMSIG(st);
	return -1;
}

void
screen_str(struct buf *b, const char *s)
{
	for (; *s != '\0'; s++)
		buf_addc(b, (unsigned char)*s < 0x20 || *s == 0x7f ? '?' :
		    *s);
}

void
argv_free(char **argv)
{
	size_t i;

	if (argv == NULL)
		return;
	for (i = 0; argv[i] != NULL; i++)
		free(argv[i]);
	free(argv);
}

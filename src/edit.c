/*
 * edit.c -- vzmem -e: edit the map like visudo(8).
 *
 * Under the lock that -a takes too, the map is copied to a temp file
 * beside it (".MEM-MAP.vzmem-tmp-XXXXXX", mode 0600, so that a run killed
 * with SIGKILL leaves a name tmp_sweep() knows), the editor runs on the
 * copy, and the result is checked exactly as -a would check it: syntax,
 * the rules that need the host and the confs, the conf values the plan
 * reads.  Only a valid map is installed, re-rendered, with the old one
 * kept as MEM-MAP.bak.  On errors the admin edits again or discards.
 */
#include <sys/wait.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/spawn.h"
#include "plan.h"
#include "world.h"

#define DEFAULT_EDITOR	"vi"

static char	**editor_argv(const char *);
static int	 our_terminal(void);
static void	 give_terminal(int, pid_t);
static int	 edit_run(char *const [], int *);
static int	 run_editor(const char *, const char *);
static char	*temp_create(const char *, const struct buf *);
static void	 temp_remove(char *);
static int	 ask(const char *, char **);
static int	 offer_init(const struct opts *, const char *);
static size_t	 validate(struct world *, const struct opts *,
		    const struct buf *);
static void	 say_dropped(const struct world *, const struct buf *);
static int	 install(struct world *, const struct buf *, const char *);
static int	 what_now(void);
static int	 edit_loop(struct world *, const struct opts *, const char *,
		    const struct buf *, const char *);

/*
 * $VISUAL, else $EDITOR, else vi; empty or blank counts as unset.  The
 * value is split on blanks (spaces and tabs) into words, so "emacs -nw"
 * works; there is no quoting, as no shell is involved.  The file name is
 * appended.
 */
static char **
editor_argv(const char *file)
{
	static const char *const vars[] = { "VISUAL", "EDITOR" };
	const char *s = NULL;
	char **argv, *copy, *p;
	size_t i, n = 0;

	for (i = 0; i < sizeof(vars) / sizeof(vars[0]) && s == NULL; i++)
		if ((s = getenv(vars[i])) != NULL &&
		    s[strspn(s, " \t")] == '\0')
			s = NULL;
	copy = xstrdup(s != NULL ? s : DEFAULT_EDITOR);
	argv = xcalloc(strlen(copy) / 2 + 3, sizeof(*argv));
	for (p = strtok(copy, " \t"); p != NULL; p = strtok(NULL, " \t"))
		argv[n++] = xstrdup(p);
	argv[n++] = xstrdup(file);
	argv[n] = NULL;
	free(copy);
	return argv;
}

/*
 * The terminal the editor is to have: one of our stdin, stdout, stderr
 * whose foreground process group is ours (we run in the foreground),
 * or -1.
 */
static int
our_terminal(void)
{
	int fd;

	for (fd = 0; fd <= 2; fd++)
		if (isatty(fd) && tcgetpgrp(fd) == getpgrp())
			return fd;
	return -1;
}

/*
 * The terminal's foreground to the process group pgrp.  SIGTTOU is
 * blocked meanwhile: taking the terminal back, vzmem is in the
 * background, where tcsetpgrp would otherwise stop it.
 */
static void
give_terminal(int tty, pid_t pgrp)
{
	sigset_t ttou, old;

	if (sigemptyset(&ttou) == -1 || sigaddset(&ttou, SIGTTOU) == -1 ||
	    sigprocmask(SIG_BLOCK, &ttou, &old) == -1) {
		vz_syserr(NULL, "sigprocmask");
		return;
	}
	if (tcsetpgrp(tty, pgrp) == -1)
		vz_syserr(NULL, "cannot hand the terminal over");
	if (sigprocmask(SIG_SETMASK, &old, NULL) == -1)
		vz_syserr(NULL, "sigprocmask");
}

/*
 * Run the editor and wait for it, with no time limit: the admin takes
 * the time an edit takes.  Returns its exit status, 128+N when killed by
 * signal N, or -1: *err is then the errno of an editor that could not be
 * started (0: waiting failed).
 *
 * It runs in its own process group (SPEC 5b), given the terminal when
 * vzmem has it: ^C and ^\ are then the editor's alone, and a SIGTERM,
 * SIGHUP or SIGINT sent to vzmem ends the editor's whole group before
 * vzmem removes the copy and dies of it (fatal.h).  When the editor
 * stops (^Z, or it read the terminal while vzmem was in the
 * background), vzmem stops too, so that the shell sees its job stop, and
 * hands the terminal back once continued.
 */
static int
edit_run(char *const argv[], int *err)
{
	struct spawn_opts so = { 0, -1, NULL, 0 };
	int st = -1, tty = our_terminal();
	pid_t pid;

	if ((*err = spawn(argv, &so, &pid)) != 0)
		return -1;
	if (tty != -1) {
		give_terminal(tty, pid);
		/* It may have stopped on the terminal before it got it. */
		spawn_kill(pid, SIGCONT);
	}
	for (;;) {
		if (spawn_waitpid(pid, &st, WUNTRACED) == -1) {
			if (errno == EINTR)
				continue;
			st = -1;
			break;
		}
		if (!WIFSTOPPED(st))
			break;
		if (tty != -1)
			give_terminal(tty, getpgrp());
		raise(SIGTSTP);
		if ((tty = our_terminal()) != -1)
			give_terminal(tty, pid);
		spawn_kill(pid, SIGCONT);
	}
	if (tty != -1)
		give_terminal(tty, getpgrp());
	return st == -1 ? -1 : spawn_status(st);
}

/*
 * The editor on file; VZ_OK when it exited 0, else VZ_FAIL and why, and
 * what is left ("MEM-MAP unchanged").
 */
static int
run_editor(const char *file, const char *left)
{
	char **argv = editor_argv(file);
	int st, e, r = VZ_FAIL;

	/* Looked up first: posix_spawnp's report of a failed exec needs
	 * vfork semantics, which valgrind (and some emulators) lack. */
	if (!prog_found(argv[0])) {
		st = 0;
		e = ENOENT;
	} else
		st = edit_run(argv, &e);
	if (e != 0)
		vz_err(NULL, 0, 0, "cannot run the editor '%s': %s; %s",
		    argv[0], strerror(e), left);
	else if (st == -1)
		vz_syserr(NULL, "cannot wait for the editor '%s'", argv[0]);
	else if (st > 128)
		vz_err(NULL, 0, 0, "the editor '%s' was killed by signal %d "
		    "(%s); %s", argv[0], st - 128, strsignal(st - 128),
		    left);
	else if (st != 0)
		vz_err(NULL, 0, 0, "the editor '%s' exited with status %d; "
		    "%s", argv[0], st, left);
	else
		r = VZ_OK;
	argv_free(argv);
	return r;
}

/*
 * The copy to edit, beside the map (as visudo does): mode 0600, created
 * with O_EXCL by mkstemp, registered to be removed on exit and signals.
 */
static char *
temp_create(const char *map, const struct buf *text)
{
	const char *slash = strrchr(map, '/');
	char *path;
	int fd;

	if (slash != NULL)
		path = xasprintf("%.*s/.%s.vzmem-tmp-XXXXXX",
		    (int)(slash - map), map, slash + 1);
	else
		path = xasprintf(".%s.vzmem-tmp-XXXXXX", map);
	if ((fd = mkstemp(path)) == -1) {
		vz_syserr(path, "cannot create a temp file");
		free(path);
		return NULL;
	}
	if (temp_register(path) == -1) {
		close(fd);
		unlink(path);
		vz_err(path, 0, 0, "too many temp files");
		free(path);
		return NULL;
	}
	if (write_all(fd, text->data, text->len) == -1) {
		vz_syserr(path, "cannot write");
		close(fd);
		temp_remove(path);
		return NULL;
	}
	if (close(fd) == -1) {
		vz_syserr(path, "cannot write");
		temp_remove(path);
		return NULL;
	}
	return path;
}

static void
temp_remove(char *path)
{
	unlink(path);
	temp_unregister(path);
	free(path);
}

/*
 * Ask on stderr, read one line of stdin; blanks around it are dropped.
 * Returns 0, or -1 at end of input.  When stdin is no terminal, the
 * answer is echoed, so that a log reads as a dialogue.
 */
static int
ask(const char *question, char **answer)
{
	size_t cap = 0, b, e;
	ssize_t n;

	*answer = NULL;
	fflush(stdout);
	fputs(question, stderr);
	fflush(stderr);
	if ((n = getline(answer, &cap, stdin)) == -1) {
		fputc('\n', stderr);
		free(*answer);
		*answer = NULL;
		return -1;
	}
	if (!isatty(STDIN_FILENO))
		fprintf(stderr, "%s%s", *answer,
		    (*answer)[n - 1] == '\n' ? "" : "\n");
	b = strspn(*answer, " \t");
	for (e = (size_t)n; e > b && strchr(" \t\r\n", (*answer)[e - 1]);)
		e--;
	memmove(*answer, *answer + b, e - b);
	(*answer)[e - b] = '\0';
	return 0;
}

/*
 * No map yet: build one as -i does, if the admin wants it.  cmd_init()
 * takes and releases the lock itself; the caller takes it only after,
 * and reads the map again under it.
 */
static int
offer_init(const struct opts *o, const char *shown)
{
	char *q, *a;
	int yes;

	q = xasprintf("%s does not exist; create it from the confs? [y/N] ",
	    shown);
	yes = ask(q, &a) == 0 && (strcmp(a, "y") == 0 ||
	    strcmp(a, "Y") == 0 || strcmp(a, "yes") == 0);
	free(q);
	free(a);
	if (!yes) {
		vz_err(shown, 0, 0, "no such file; nothing created");
		return VZ_FAIL;
	}
	return cmd_init(o);
}

/*
 * The edited map as -a would judge it: syntax, then the host and the
 * confs, then the conf values the plan must read.  Returns the number
 * of errors (each reported with its position).
 */
static size_t
validate(struct world *w, const struct opts *o, const struct buf *text)
{
	struct plan p;
	size_t errors;

	if ((errors = world_set_map(w, text->data, text->len)) > 0)
		return errors;
	if ((errors = world_validate(w)) > 0)
		return errors;
	errors = plan_build(w, o, &p);
	plan_free(&p);
	return errors;
}

/*
 * The rows of the old map that the edit removed, of kinds that say what
 * their guest keeps (a cgroup its limits).  The old map is parsed
 * quietly: its errors, if any, were the reason for the edit.
 */
static void
say_dropped(const struct world *w, const struct buf *old)
{
	struct map om;
	size_t i;

	vz_muted++;
	map_parse(&om, old->data, old->len, w->mapshown);
	vz_muted--;
	for (i = 0; i < om.nrows; i++) {
		const struct map_row *r = &om.rows[i];
		const struct kind *k;

		if (r->ctid != NULL &&
		    (k = kind_of(r->ctid, strlen(r->ctid))) != NULL &&
		    k->dropped != NULL && world_guest(w, r->ctid) == NULL)
			k->dropped(w, r->ctid);
	}
	map_free(&om);
}

/* The valid edited map, sorted with fresh notes; the old one as .bak. */
static int
install(struct world *w, const struct buf *old, const char *left)
{
	struct buf b = { NULL, 0, 0 };
	struct ofile of;
	int r;

	map_sort(&w->map);
	map_render(&w->map, w->host.mem_kb / w->map.n, w->host.page_kb, &b);
	if (b.len == old->len && memcmp(b.data, old->data, b.len) == 0) {
		vz_info("%s", left);
		buf_free(&b);
		return VZ_OK;
	}
	if ((r = world_map_open(w, &of, OF_MISSING_OK)) == VZ_FAIL)
		vz_syserr(w->mapshown, "cannot write");
	if (r == VZ_OK && (r = world_map_save(w, &of, old, &b)) == VZ_OK) {
		vz_info("%s installed; the old one is %s.bak", w->mapshown,
		    w->mapshown);
		say_dropped(w, old);
	}
	file_close(&of);
	buf_free(&b);
	return r;
}

/* After errors: 'e' to edit again, 'x' (or end of input) to discard. */
static int
what_now(void)
{
	char *a;
	int c = 0;

	while (c == 0) {
		if (ask("What now? (e)dit again, e(x)it without saving: ",
		    &a) == -1)
			return 'x';
		if (strcmp(a, "e") == 0 || strcmp(a, "x") == 0)
			c = (unsigned char)a[0];
		free(a);
	}
	return c;
}

static int
edit_loop(struct world *w, const struct opts *o, const char *tmp,
    const struct buf *old, const char *left)
{
	struct buf b = { NULL, 0, 0 };
	size_t errors;
	int r;

	for (;;) {
		if ((r = run_editor(tmp, left)) != VZ_OK)
			break;
		b.len = 0;
		if (file_read(tmp, &b) == -1) {
			vz_syserr(tmp, "cannot read the edited map");
			r = VZ_FAIL;
			break;
		}
		if (b.len == old->len &&
		    memcmp(b.data, old->data, b.len) == 0) {
			vz_info("%s", left);
			break;
		}
		if ((errors = validate(w, o, &b)) == 0) {
			r = install(w, old, left);
			break;
		}
		vz_err(NULL, 0, 0, "%zu error%s; the edited %s is not "
		    "installed", errors, errors == 1 ? "" : "s", w->mapshown);
		if (what_now() == 'x') {
			vz_info("edit discarded; %s", left);
			r = VZ_INVALID;
			break;
		}
	}
	buf_free(&b);
	return r;
}

int
cmd_edit(const struct opts *o)
{
	struct world w;
	struct buf old = { NULL, 0, 0 };
	char *tmp, *left = NULL;
	int lock = -1, r, created = 0;

	if ((r = world_locate(&w, o)) == VZ_OK &&
	    access(w.host.map, F_OK) == -1 && errno == ENOENT) {
		r = offer_init(o, w.mapshown);
		created = r == VZ_OK;
	}
	if (r == VZ_OK && (lock = world_lock(&w, o->wait)) == -1)
		r = VZ_FAIL;
	world_free(&w);
	if (r != VZ_OK)
		return r;
	/* Everything is read under the lock: -a may have run meanwhile. */
	if ((r = world_read(&w, o, 0)) == VZ_OK) {
		/* A map just built is not "unchanged" when left alone. */
		left = xasprintf(created ? "%s kept as -i built it" :
		    "%s unchanged", w.mapshown);
		if ((r = world_map_read(&w, &old)) != VZ_OK) {
			if (r == VZ_FAIL)
				vz_syserr(w.mapshown, "cannot read");
		} else if ((tmp = temp_create(w.host.map, &old)) == NULL)
			r = VZ_FAIL;
		else {
			r = edit_loop(&w, o, tmp, &old, left);
			temp_remove(tmp);
		}
	}
	world_free(&w);
	buf_free(&old);
	free(left);
	if (r == VZ_OK && o->apply)
		r = apply_locked(o);
	lock_release(lock);
	return r;
}

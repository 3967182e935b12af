/*
 * fatal.c -- the signals that end vzmem (fatal.h).
 *
 * The handler does the cleanup itself and never returns: every wait of
 * vzmem (poll for vzctl, the editor, flock with --wait, the version
 * probe) is then covered without each looking at a flag.  It calls only
 * async-signal-safe functions (kill, waitid, waitpid, nanosleep,
 * unlink, ftruncate, write, sigaction, raise).
 */
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "lib/fatal.h"
#include "lib/lock.h"
#include "lib/spawn.h"
#include "lib/tmpfile.h"

static const int fatal_sigs[] = { SIGHUP, SIGINT, SIGQUIT, SIGTERM };

static void	 on_fatal(int);
static void	 say_signal(int);

/* "vzmem: error: got signal N; ..." with no stdio. */
static void
say_signal(int sig)
{
	static const char head[] = "vzmem: error: got signal ";
	static const char tail[] = "; its children ended, its temp "
	    "files removed\n";
	char line[sizeof(head) + sizeof(tail) + 8], *p = line;
	char num[8], *n = num + sizeof(num);
	ssize_t w;

	do
		*--n = (char)('0' + sig % 10);
	while ((sig /= 10) > 0 && n > num);
	memcpy(p, head, sizeof(head) - 1);
	p += sizeof(head) - 1;
	memcpy(p, n, (size_t)(num + sizeof(num) - n));
	p += num + sizeof(num) - n;
	memcpy(p, tail, sizeof(tail) - 1);
	p += sizeof(tail) - 1;
	w = write(STDERR_FILENO, line, (size_t)(p - line));
	(void)w;
}

static void
on_fatal(int sig)
{
	struct sigaction dfl;
	sigset_t set;

	say_signal(sig);
	/* The children first: none may write after the lock is gone. */
	spawn_end_all();
	temp_remove_all();
	lock_drop();
	memset(&dfl, 0, sizeof(dfl));
	dfl.sa_handler = SIG_DFL;
	sigemptyset(&dfl.sa_mask);
	sigaction(sig, &dfl, NULL);
	/* Blocked while it is handled: pending once raised, delivered at
	 * its default action as soon as it is unblocked. */
	raise(sig);
	sigemptyset(&set);
	sigaddset(&set, sig);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	_exit(128 + sig);	/* not reached */
}

int
fatal_catch(void)
{
	static int done;
	struct sigaction sa, old;
	size_t i;

	if (done)
		return 0;
	done = 1;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_fatal;
	/* One at a time: a second signal waits for the first's cleanup. */
	if (sigemptyset(&sa.sa_mask) == -1)
		return -1;
	for (i = 0; i < sizeof(fatal_sigs) / sizeof(fatal_sigs[0]); i++)
		if (sigaddset(&sa.sa_mask, fatal_sigs[i]) == -1)
			return -1;
	for (i = 0; i < sizeof(fatal_sigs) / sizeof(fatal_sigs[0]); i++) {
		if (sigaction(fatal_sigs[i], NULL, &old) == -1)
			return -1;
		/* Leave ignored signals ignored (nohup). */
		if (old.sa_handler == SIG_IGN)
			continue;
		if (sigaction(fatal_sigs[i], &sa, NULL) == -1)
			return -1;
	}
	return 0;
}

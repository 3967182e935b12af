/*
 * jobs.h -- run one command per guest, up to N at once (-j), each one's
 * output kept and shown as "LABEL: line" in the order of the jobs, each
 * under a time limit.  What -a runs vzctl with; any guest kind can run
 * its commands with it.
 */
#ifndef VZMEM_LIB_JOBS_H
#define VZMEM_LIB_JOBS_H

#include <stddef.h>

#include "lib/buf.h"

enum job_state {
	JOB_WAIT,		/* not started yet */
	JOB_RUN,		/* running */
	JOB_DONE,		/* it ran: status, timed_out */
	JOB_NOTRUN,		/* its argv callback said no: status */
	JOB_SKIP		/* not run: the program is missing, or could
				   not be started (exec_errno) */
};

/* One command: 40 bytes, one for each guest to change. */
struct job {
	const char	*label;		/* its lines' prefix: the guest's id */
	void		*arg;		/* the caller's */
	struct buf	*out;		/* stdout and stderr together, once it
					   wrote something (the engine's) */
	int		 status;	/* exit status, 128+N for signal N,
					   -1 when it has none */
	int		 exec_errno;	/* why it could not be started */
	unsigned char	 state;		/* enum job_state */
	unsigned char	 timed_out;	/* out of time: 1 sent SIGTERM,
					   2 SIGKILL as well */
};

/*
 * The argv of a job, called for each in order just before it starts,
 * and also when the program is missing (the work due before a run, such
 * as writing a conf, is still done; the argv is then not run).
 * Allocated, and freed by the engine; or NULL when it must not run,
 * after a message and setting its status (JOB_NOTRUN: no process).
 */
typedef char	**job_argv_fn(void *, struct job *);

struct jobs {
	struct job	*job;		/* in the order they are shown */
	size_t		 n;
	size_t		 max;		/* at once; 0: the CPUs, at most 8 */
	size_t		 barrier;	/* the jobs before this one all end
					   before it starts; 0: none */
	unsigned	 timeout;	/* seconds each may run; 0: no limit */
	const char	*what;		/* the program in messages: "vzctl" */
	const char	*verb;		/* of the progress line: "applying" */
	int		 missing;	/* the program is missing: run none;
					   set too when one cannot start */
	job_argv_fn	*argv;
	void		*arg;		/* for argv */
};

/*
 * Run every job, with "VERB i/n" on a terminal's stderr when there are
 * more than 20.  Each job's output is shown once it and every job
 * before it are done, with an error for a run that failed, was killed
 * or ran out of time; -q leaves out the output of the runs that
 * succeeded.  A program that cannot be started is named once ("X:
 * cannot run: ...") and none is started after it.  Returns 0, or -1
 * when waiting for the children failed (they are still reaped).
 */
int	 jobs_run(struct jobs *);

/* Whether a job ran and failed: exit status not 0, or out of time. */
int	 job_failed(const struct job *);

#endif

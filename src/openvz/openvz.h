/*
 * openvz.h -- the OpenVZ guest kind: containers with a vzctl conf
 * (<confdir>/<CTID>.conf), live beancounters, changed by `vzctl set`.
 * Legacy UBC containers and VSwap ones are two variants of it.  What the
 * files of src/openvz/ share; the rest of vzmem sees only openvz_kind.
 */
#ifndef VZMEM_OPENVZ_H
#define VZMEM_OPENVZ_H

#include <stddef.h>
#include <stdint.h>

#include "conf.h"
#include "lib/file.h"
#include "kind.h"
#include "plan.h"
#include "ubc.h"
#include "value.h"

extern const struct kind openvz_kind;

enum param {
	P_VMGUARPAGES, P_PRIVVMPAGES, P_OOMGUARPAGES, P_SHMPAGES,
	P_PHYSPAGES, P_SWAPPAGES, P_MEMGUARANTEE, P_N
};

/* OpenVZ 7's guarantee: a whole percent of the RAM limit, applied by
 * vcmmd; vzmem asks for all of it (the '=' are the RAM limit there). */
#define MEMGUARANTEE_ALL	"100"

/* "VMGUARPAGES", ...; the vzctl option is "--" and the name in lower
 * case (param_opts). */
extern const char *const param_names[P_N];
extern const char *const param_opts[P_N];
/* The names a conf is read for (lean), NULL-terminated. */
extern const char *const ovz_lean_names[];

enum variant { V_UBC, V_VSWAP };

/* A container: its conf (read lean) and its beancounters if running. */
struct ovz_ct {
	struct conf		 conf;
	const struct ubc_ct	*live;
};

/* The kind's state on this host. */
struct ovz {
	const struct opts *o;
	char		*confdir;	/* root included */
	char		*ubcpath;	/* /proc/user_beancounters */
	char		*bcdir;		/* /proc/bc (OpenVZ 7) */
	unsigned	 version;	/* 4 or 7; 0: not known yet */
	char		*vzctl_said;	/* the first line of vzctl --version,
					   or NULL (not recognised) */
	const char	*version_note;	/* else why 4 is assumed, or NULL */
	int		 have_dir;	/* the conf dir exists */
	struct ovz_ct	*cts;		/* one per conf; they never move */
	size_t		 ncts;
	struct ubc	 ubc;
};

/* One parameter of a container's plan, as ovz_change() works it out. */
struct change {
	enum param	 param;
	int		 had;		/* the conf had a value */
	struct value	 old;		/* that value (when had) */
	struct value	 want;		/* what the map asks for */
	char		*text;		/* want as written: "65536:unlimited" */
	int		 conf_differs;	/* !had or old != want */
	int		 live_differs;	/* running, and live != want */
	int		 has_live;	/* live holds the beancounter */
	struct value	 live;		/* its barrier and limit */
};

/* ctdir.c: where the confs are, and which there are. */
char	*ovz_conf_dir(const char *, int *);
int	 ctid_valid(const char *, size_t);
char	*ovz_conf_path(const struct ovz *, const char *);
int	 ovz_ctids(const char *, struct strpool *, char ***, size_t *);

/*
 * confopen.c: the conf of ctid in the conf dir (confdfd) opened for
 * writing (file_open_at): 0; on OpenVZ 7, a CTID.conf that links to
 * VE_PRIVATE/ve.conf of that container: that file opened in VE_PRIVATE,
 * its old temp files swept, and 1; any other link, on any version, or a
 * refused file: -1 after a message naming the conf.
 */
int	 ovz_conf_open(struct ovz *, int, const char *, struct ofile *);

/* openvz.c: a container's parameters worked out. */
struct ovz	*ovz_of(const struct world *);
/* 7 on OpenVZ 7 (vzctl 7 and its kernel), else 4: --openvz, else the
 * first line of `vzctl --version`, asked once (version.c). */
unsigned	 ovz_version(struct ovz *);
/* The version in "vzctl v.7.0.254" or "vzctl version 4.11.1": its
 * major number, 0 when the line is neither. */
unsigned	 vzctl_major(const char *);
struct ovz_ct	*ovz_ct(const struct guest *);
int	 conf_is_vswap(const struct conf *, uint64_t);
/* Parameter p of gp (c->text allocated: change_free()), and 1; 0 when
 * vzmem does not set p for this container. */
int	 ovz_change(const struct plan *, const struct gplan *, enum param,
	    struct change *);
void	 change_free(struct change *);
void	 ovz_changes(const struct plan *, const struct gplan *,
	    struct change [P_N]);
void	 changes_free(struct change [P_N]);
/* "vzctl set CTID --vmguarpages 65536:unlimited ... --save" from the
 * changes of gp, allocated, NULL-terminated (argv_free). */
char	**ovz_argv(const struct gplan *, const struct change [P_N],
	    const char *);
/* Every parameter whose conf differs set in c, the conf read whole. */
void	 ovz_set_conf(const struct plan *, const struct gplan *,
	    struct conf *);
/* "vzctl" unless --vzctl says otherwise. */
const char *vzctl_name(const struct opts *);
/* The vzctl to run: vzctl_name(), or NULL under --root without --vzctl
 * (none is run). */
const char *vzctl_to_run(const struct opts *);

/* rules.c: vzcfgvalidate's memory rules, for -c. */
void	 ovz_rules(const struct world *, const struct guest *,
	    const struct gplan *);

/* vzctl.c: -a, the confs written and vzctl run. */
int	 ovz_apply(const struct plan *, struct gplan **, size_t,
	    const struct opts *);

#endif

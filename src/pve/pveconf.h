/*
 * pveconf.h -- a Proxmox VE guest config (/etc/pve/qemu-server/VMID.conf,
 * /etc/pve/lxc/VMID.conf) read the way qemu-server's parse_vm_config and
 * pve-container's parse_pct_config read it, and edited in its main
 * section only: every other byte (descriptions, [PENDING] or
 * [pve:pending], [special:...] and snapshot sections, key order) stays.
 *
 * Until src/lib/ has the one key=value editor with dialects, this is
 * the Proxmox dialect of it: "key: value" lines, "[...]" sections, "#"
 * description lines.  Pure: no I/O.
 */
#ifndef VZMEM_PVE_PVECONF_H
#define VZMEM_PVE_PVECONF_H

#include <stddef.h>

#include "lib/buf.h"

enum pve_dialect { PVE_QM, PVE_CT };

enum pve_ltype { PL_BLANK, PL_DESCR, PL_SECTION, PL_KEY, PL_RAW, PL_BAD };

struct pve_line {
	size_t		 off, len;	/* in text, the newline not counted */
	size_t		 kof, klen;	/* the key (PL_KEY, PL_RAW) */
	size_t		 vof, vlen;	/* its value, blanks trimmed */
	unsigned char	 type;
	unsigned char	 pending;	/* in [PENDING] / [pve:pending] */
};

/* One change of the main section: a value replaced, or a line added. */
struct pve_edit {
	size_t		 at;		/* byte offset in text */
	size_t		 cut;		/* bytes replaced there */
	char		*put;		/* what goes there (allocated) */
};

struct pve_conf {
	enum pve_dialect dialect;
	struct buf	 text;		/* the bytes as read */
	struct pve_line	*lines;
	size_t		 nlines;
	size_t		 main_end;	/* the first section's line, or nlines */
	size_t		 err_line;	/* 1-based: the first bad line; 0 none */
	const char	*err_why;	/* its reason (static) */
	struct pve_edit	*edits;
	size_t		 nedits;
};

/* Parse text (copied) as dialect d.  Never fails: err_line and err_why
 * say what qm or pct would not take (a truncated file, a line of no
 * form, "delete:" outside the pending section). */
void	 pveconf_parse(struct pve_conf *, enum pve_dialect, const char *,
	    size_t);

/* The value of key in the main section (its last line, as Proxmox's
 * parser keeps the last), or NULL; *len its bytes, *line (when not NULL)
 * its 1-based line. */
const char *pveconf_get(const struct pve_conf *, const char *, size_t *,
	    size_t *);

/* The same in the pending section, and whether its "delete:" lists key
 * (1-based line, or 0). */
const char *pveconf_pending(const struct pve_conf *, const char *, size_t *,
	    size_t *);
size_t	 pveconf_pending_delete(const struct pve_conf *, const char *);

/* The line of the first section header (1-based), or 0 for none. */
size_t	 pveconf_sections_line(const struct pve_conf *);

/*
 * Set key to value in the main section: its last line's value replaced
 * (the key, the separator and what follows the value kept), or a line
 * "key: value" added where Proxmox's writer would have it (among the
 * sorted keys before the first that sorts after it; a raw "lxc." line
 * after the main section's last line).  Edits of one conf are on
 * different keys.
 */
void	 pveconf_set(struct pve_conf *, const char *, const char *);

/* The text with the edits made. */
void	 pveconf_render(const struct pve_conf *, struct buf *);

/* Whether any edit was made. */
int	 pveconf_dirty(const struct pve_conf *);

/* Forget the edits (after they were written, or refused). */
void	 pveconf_reset(struct pve_conf *);

void	 pveconf_free(struct pve_conf *);

#endif

/*
 * report.h -- what vzmem -c and -s share: the messages they collect
 * (counted, and listed in --json), the oversell summary, human units,
 * and the JSON of the host and of the map's rows.
 */
#ifndef VZMEM_REPORT_H
#define VZMEM_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "json.h"
#include "util.h"
#include "world.h"

/* A finding kept: the reporter's record, its strings copied. */
struct kept {
	int	 warning;
	char	*file;		/* NULL when none */
	size_t	 line;		/* 0 when none */
	char	*guest;		/* the guest it is about, or NULL */
	char	*param;		/* the setting, or NULL */
	char	*msg;
};

struct report {
	struct kept	*f;
	size_t		 n, cap;
	size_t		 errors, warnings;
};

/* Collect every error and warning from now on (vz_tap). */
void	 report_start(struct report *);
void	 report_stop(struct report *);

/* A read failed: unless an error is already counted, one that says so,
 * for the JSON document. */
void	 report_failed(struct report *);

/* "2 errors, 1 warning" */
void	 report_counts(const struct report *, struct buf *);


struct amount {
	uint64_t	 avail;		/* kB in /proc/meminfo */
	uint64_t	 map;		/* kB the map gives containers */
	uint64_t	 confs;		/* kB their settings give them now */
};

struct oversell {
	int		 have_map;	/* the map's part is known */
	struct amount	 ram, swap, all;
};

/* map_ok: the map's N is usable (1 to the RAM in pages). */
void	 oversell_compute(const struct world *, int, struct oversell *);
void	 oversell_print(const struct oversell *, struct buf *);

/* Each kind this host has, a line ("OpenVZ 7 (vzctl v.7.0.254), 3
 * containers"), and a blank line after them when there are any. */
void	 report_kinds(const struct world *, struct buf *);

/* kB as "512.0K", "1.5M", "7.8G": one decimal, below 1000 of the unit. */
void	 human(struct buf *, uint64_t);

/* kB a row of the map gives: n blocks in whole pages, as its note. */
uint64_t row_kb(const struct world *, size_t);

/*
 * The JSON document of -c and -s, around what only -c adds: begin
 * writes "version", "command", "host", "rows" (empty unless map_ok) and
 * "oversell"; end writes "findings", "errors", "warnings", closes the
 * document and prints it on stdout.
 */
void	 report_json_begin(struct json *, struct buf *, const char *,
	    const struct world *, int, const struct oversell *);
void	 report_json_end(struct json *, struct buf *,
	    const struct report *);

#endif

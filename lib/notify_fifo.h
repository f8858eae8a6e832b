/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A notify FIFO, as keepalived writes them: global_defs' notify_fifo
 * (VRRP and checker lines), vrrp_notify_fifo, lvs_notify_fifo. Made if
 * missing (and then given to its user and group, and unlinked when
 * closed), opened read-write and non-blocking, so that a FIFO nobody
 * reads drops lines rather than block. Its script, if any, is started
 * with the FIFO's name appended, once however many processes write to
 * it: by the one that takes the FIFO's lock (flock) first. One line is
 * one write(2) (shorter than PIPE_BUF: never interleaved with another
 * writer's).
 */
#ifndef VIGIL_NOTIFY_FIFO_H
#define VIGIL_NOTIFY_FIFO_H

#include <stddef.h>

/* Start cmd as user/group (NULL: the defaults) with path appended and no
 * timeout. 0, or -1 (logged by the callee). */
typedef int notify_fifo_run_fn(void *arg, const char *what, const char *cmd,
    const char *user, const char *group, const char *path);

struct notify_fifo {
	const char *what;	/* the keyword: "lvs_notify_fifo" */
	char *path, *user, *group;
	char *script, *suser, *sgroup;
	int fd;			/* -1: not open */
	int created;		/* made by us: unlinked on close */
};

void notify_fifo_init(struct notify_fifo *f, const char *what);
/*
 * Follow the settings (path NULL: none): kept open when unchanged, else
 * closed and opened again with the new ones (the script started again).
 * Problems with the FIFO are logged and leave it unused. 0, or -1 when
 * out of memory.
 */
int notify_fifo_apply(struct notify_fifo *f, const char *path,
    const char *user, const char *group, const char *script,
    const char *suser, const char *sgroup, notify_fifo_run_fn *run,
    void *arg);
/* One line (with its newline); dropped if nobody reads the FIFO. */
void notify_fifo_write(struct notify_fifo *f, const char *line, size_t len);
int notify_fifo_open(const struct notify_fifo *f);
void notify_fifo_close(struct notify_fifo *f);
/* Whether two FIFO paths name the same file (the same text). */
int notify_fifo_same(const char *a, const char *b);

/*
 * A child's two FIFOs: [0] global_defs' notify_fifo, [1] its own
 * (vrrp_notify_fifo, lvs_notify_fifo). The settings of one, as the
 * configuration gives them (any NULL: unset).
 */
struct notify_fifo_conf {
	const char *path, *user, *group;
	const char *script, *suser, *sgroup;
};

struct global_conf;
/* global_defs' notify_fifo and notify_fifo_script (g NULL: none). */
void notify_fifo_conf_global(struct notify_fifo_conf *c,
    const struct global_conf *g);

/*
 * Apply both. The same path for both would get each line twice: the own
 * one is then ignored (logged once), as keepalived does. 0, or -1 when
 * out of memory (logged).
 */
int notify_fifo_pair_apply(struct notify_fifo f[2],
    const struct notify_fifo_conf *global, const struct notify_fifo_conf *own,
    notify_fifo_run_fn *run, void *arg);
/* Whether either is open: a line is worth formatting. */
int notify_fifo_pair_open(const struct notify_fifo f[2]);
/* One line to both (len <= 0 or too long for one write: dropped). */
void notify_fifo_pair_write(struct notify_fifo f[2], const char *line,
    int len, size_t max);
void notify_fifo_pair_close(struct notify_fifo f[2]);

#endif

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the scripts vigil runs (vrrp_script, notify_*, the fifo scripts,
 * MISC_CHECK, notify_up/down, quorum_up/down)
 * share before they run: the command line as an argv, the user and group
 * they run as (the line's, else global_defs' script_user, else the
 * default script user when the host has it, else root), and whether
 * enable_script_security lets them run.
 */
#ifndef VIGIL_RUNAS_H
#define VIGIL_RUNAS_H

#include <stddef.h>
#include <sys/types.h>

struct global_conf;

/* global_defs' script settings, copied (they outlive a generation). */
struct runas_defaults {
	char *user;		/* script_user, or NULL */
	char *group;
	int security;		/* enable_script_security */
};

/* Copy g's settings into d (g may be NULL: none). 0, or -1. */
int runas_defaults_set(struct runas_defaults *d,
    const struct global_conf *g);
void runas_defaults_clear(struct runas_defaults *d);
int runas_defaults_equal(const struct runas_defaults *a,
    const struct runas_defaults *b);

/* A script line split into words (lib/script.h script_split), in one
 * malloc()ed block freed with free(). NULL if empty or unbalanced. */
char **runas_argv_new(const char *line);
/* argv plus extra words appended (pointers to them, not copies);
 * malloc()ed array freed with free(). */
char **runas_argv_append(char *const *argv, const char *const *extra,
    size_t n);

/*
 * Resolve who runs argv (user/group: the line's, may be NULL) and whether
 * it may run. Fills uid/gid ((uid_t)-1 when vigild is not root: it runs as
 * itself). Returns 0, or -1 with why filled in: unknown user, or with
 * enable_script_security a script run as root whose path is unsafe.
 */
int runas_resolve(const struct runas_defaults *d, char *const *argv,
    const char *user, const char *group, uid_t *uid, gid_t *gid,
    char *why, size_t len);

#endif

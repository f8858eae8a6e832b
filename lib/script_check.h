/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Host checks of a script line (vigild -t, start and reload): what
 * keepalived checks before it agrees to run a script. Shared by VRRP
 * (vrrp_script, notify_*) and the checkers (MISC_CHECK, notify_up/down,
 * quorum_up/down) and global_defs (notify_fifo_script, startup_script...).
 */
#ifndef VIGIL_SCRIPT_CHECK_H
#define VIGIL_SCRIPT_CHECK_H

#include <stddef.h>

struct conf_diag;
struct conf_loc;
struct global_conf;

/* The user keepalived runs a script as when neither the script nor
 * global_defs names one: this one when the host has it, else root. */
#define SCRIPT_DEFAULT_USER "keepalived_script"

/*
 * Check the script line cmd ("what" names it in messages) that runs as
 * user/group (NULL: global_defs' script_user, then the default user):
 *  - its program exists (a bare name is looked up in PATH) and is an
 *    executable regular file;
 *  - the user and group exist;
 *  - with enable_script_security: the program and every directory above
 *    it are owned by root and writable by no one else (a sticky directory
 *    owned by root is safe), and some user other than root can be found
 *    to run it when none is named;
 *  - without it: a script that would run as root is a security violation.
 * Each finding is an error at loc. Returns the number of errors.
 */
unsigned script_check_host(const struct global_conf *g, const char *what,
    const char *cmd, const char *user, const char *group,
    const struct conf_loc *loc, struct conf_diag *d);

/*
 * The program's path is safe to run as root: owned by root, writable by
 * no one else, and so is every directory above it. 0, or -1 with why
 * filled in ("/tmp/x is writable by its group").
 */
int script_path_safe(const char *path, char *why, size_t len);

#endif

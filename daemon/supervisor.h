/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The parent: forks the children the configuration needs, respawns a child
 * that dies (with back-off) or stops answering (watchdog), reloads on
 * SIGHUP (validate first; an invalid file leaves everything running on the
 * old configuration), stops cleanly on SIGTERM/SIGINT, dumps state on
 * SIGUSR1 and statistics on SIGUSR2.
 */
#ifndef VIGIL_SUPERVISOR_H
#define VIGIL_SUPERVISOR_H

#include "conf.h"

struct options;
struct pidfiles;
struct vigil_config;

#define VIGIL_DATA_FILE "/tmp/vigil.data"
#define VIGIL_CHECK_DATA_FILE "/tmp/vigil_check.data"
#define VIGIL_STATS_FILE "/tmp/vigil.stats"

/*
 * Takes ownership of cfg. pf holds the locked pid files (the children's
 * are written as children start and stop; closed in the children).
 * Returns the exit status of vigild.
 */
int supervisor_run(const struct options *o, const struct conf_load_opts *lo,
    struct vigil_config *cfg, struct pidfiles *pf);

/* Diagnostics of the configuration to the log, with file:line. */
void supervisor_log_diag(void *arg, enum conf_sev sev,
    const struct conf_loc *loc, const char *msg);

#endif

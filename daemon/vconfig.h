/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vigild's subsystems, in one table (daemon/subsystems.c), and the
 * configuration generations the parent builds from every one of them.
 */
#ifndef VIGIL_VCONFIG_H
#define VIGIL_VCONFIG_H

#include <stdio.h>

#include "conf.h"
#include "subsys.h"

/* global_defs first, then every subsystem; NULL-terminated. */
extern const struct subsys *const vigil_subsystems[];

/* Every subsystem's keyword tables; built on first use, freed at exit. */
struct conf_registry *vconfig_registry(void);
void vconfig_registry_release(void);

/* Load a file and build every owner's config. */
int vconfig_load(const char *path, const struct conf_load_opts *lo,
    struct conf_diag *d, struct vigil_config **out);
/*
 * vigild -t: the same, each statement built as soon as it is read; the
 * checkers' statements are not kept in the tree (vconfig_load_stream), so
 * the result can be checked and dumped, not sent to a child.
 */
int vconfig_load_test(const char *path, const struct conf_load_opts *lo,
    struct conf_diag *d, struct vigil_config **out);
/*
 * The parent's start and reload: the same, each child's part encoded as
 * the file is read (vigil_config's part[], sent as it is at the reload
 * and to a child restarted later), and the checkers' statements not kept
 * in the tree: the checker child alone builds from them. Under
 * config_save_dir the text read is saved there (config_save.c).
 */
int vconfig_load_run(const char *path, const struct conf_load_opts *lo,
    struct conf_diag *d, struct vigil_config **out);

/*
 * Every subsystem's host checks of c (interfaces, scripts, users). -t
 * counts them as errors; start and reload log them through d and run the
 * configuration anyway (vconfig_host_log).
 */
unsigned vconfig_check_host(const struct vigil_config *c,
    struct conf_diag *d);
/* Start and reload: the host checks, logged; never refuses. */
void vconfig_host_log(const struct vigil_config *c, struct conf_diag *d);

/* vigild -t's last line: "PATH: configuration is valid (N error(s), N
 * warning(s))", or "is NOT valid". */
void vconfig_verdict(FILE *out, const char *path, int valid,
    const struct conf_diag *d);

/* Human-readable summary of what was built (vigild -d, SIGUSR1). */
void vconfig_dump(const struct vigil_config *c, FILE *fp);
/* The same, of the parts of the owners given (CONF_OWNER_BIT()s) only. */
void vconfig_dump_owners(const struct vigil_config *c, unsigned owners,
    FILE *fp);

/* config_save.c: a copy of the text a load reads, in memory (NULL when
 * none can be made), for conf_load_opts.copy; then, once the load built
 * c (NULL: it failed), saved under c's config_save_dir, and closed. */
FILE *config_save_begin(void);
void config_save_end(FILE *copy, const struct vigil_config *c);

#endif

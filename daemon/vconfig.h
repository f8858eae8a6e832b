/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * One configuration generation: the parsed tree and the typed configs the
 * subsystems built from it, all freed together. The parent builds every
 * owner's config (to validate); a child rebuilds only its own owner's from
 * the tree the parent sends on reload.
 */
#ifndef VIGIL_VCONFIG_H
#define VIGIL_VCONFIG_H

#include <stdio.h>

#include "conf.h"

struct global_conf;
struct vrrp_conf;
struct chk_conf;

struct vigil_config {
	struct conf_tree *tree;	/* owns its own arena */
	struct arena *arena;	/* typed structs below */
	unsigned owners;	/* CONF_OWNER_BIT()s that were built */
	unsigned generation;	/* 1 for the first load, +1 per reload */
	char *path;		/* the file it came from (arena) */
	struct global_conf *global;
	struct vrrp_conf *vrrp;	/* NULL unless built */
	struct chk_conf *chk;	/* NULL unless built */
};

/* Every subsystem's keyword tables; built on first use, freed at exit. */
struct conf_registry *vconfig_registry(void);
void vconfig_registry_release(void);

/*
 * Build a generation from a tree (taking ownership of the tree, freed on
 * failure too). Returns 0 when no error was reported.
 */
int vconfig_from_tree(struct conf_tree *tree, unsigned owners,
    const char *path, struct conf_diag *d, struct vigil_config **out);
/* Load a file and build every owner's config. */
int vconfig_load(const char *path, const struct conf_load_opts *lo,
    struct conf_diag *d, struct vigil_config **out);
void vconfig_free(struct vigil_config *c);

/*
 * Encode the part of the tree a child needs: the top-level statements of
 * the owners in owner_mask (global ones always). malloc()ed; 0 or -1.
 */
int vconfig_encode(const struct vigil_config *c, unsigned owner_mask,
    void **buf, size_t *len);

/* Does the config give the VRRP / checker child anything to do? */
int vconfig_wants_vrrp(const struct vigil_config *c);
int vconfig_wants_check(const struct vigil_config *c);

/* Human-readable summary of what was built (vigild -d, SIGUSR1). */
void vconfig_dump(const struct vigil_config *c, FILE *fp);

#endif

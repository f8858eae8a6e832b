/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the checker child tells its scripts and FILE_CHECK before the
 * first probe: settings that live outside the checker configuration
 * (global_defs' script_user and enable_script_security, in env->runas;
 * the top-level track_file blocks, in env->kinds[CHK_FILE], freed by its
 * kind_free). env->runas is cleared by chk_proto_clear().
 */
#ifndef VIGIL_CHECK_PROTO_H
#define VIGIL_CHECK_PROTO_H

#include "healthcheck/probe.h"

/* A top-level "track_file NAME { file PATH; weight W [reverse] }". */
struct chk_track_file {
	const char *path;
	int weight;		/* default 1 */
	int reverse;
};

/* Finds the track_file block called name; 0, or -1 if there is none. */
typedef int chk_track_file_lookup_fn(void *arg, const char *name,
    struct chk_track_file *out);

/*
 * FILE_CHECK's track_file names a top-level track_file block, found
 * through fn. A name that is not found but is an absolute path is read as
 * the file itself (weight 1).
 */
int chk_file_set_lookup(struct chk_env *env, chk_track_file_lookup_fn *fn,
    void *arg);

/*
 * BFD_CHECK: BFD session name is in state ("Up", "Down"...), as the BFD
 * child reported it through the parent; a session never told is down.
 * 0, or -1 if out of memory.
 */
int chk_bfd_set(struct chk_env *env, const char *name, const char *state);

/*
 * Both of the above from a generation (healthcheck/check_setup.c): the
 * script user from global_defs, the track_file blocks from the VRRP
 * configuration when the generation holds it (the checker child needs
 * the top-level track_file blocks for FILE_CHECK). Call it before the
 * first probe and again after each reload, before the old generation is
 * freed. 0, or -1 if out of memory.
 */
struct vigil_config;
int chk_proto_setup(struct chk_env *env, const struct vigil_config *cfg);
/* Free what chk_proto_setup() keeps outside the kinds. */
void chk_proto_clear(struct chk_env *env);

#endif

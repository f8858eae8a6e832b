/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the checker child tells MISC_CHECK and FILE_CHECK before their
 * first probe: settings that live outside the checker configuration
 * (global_defs' script_user; the top-level track_file blocks). Both keep
 * them in env->kinds[] and free them in their kind_free.
 */
#ifndef VIGIL_CHECK_PROTO_H
#define VIGIL_CHECK_PROTO_H

#include "healthcheck/probe.h"

/*
 * MISC_CHECK scripts without a "user" run as user/group (global_defs'
 * script_user, script_group; NULL group: the user's). Without this call,
 * or with user NULL: keepalived's default, the user keepalived_script
 * when the host has it, else root. 0, or -1 if the user is unknown
 * (the default then applies).
 */
int chk_misc_set_script_user(struct chk_env *env, const char *user,
    const char *group);

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
 * Both of the above from a generation (healthcheck/check_setup.c): the
 * script user from global_defs, the track_file blocks from the VRRP
 * configuration when the generation holds it (the checker child needs
 * the top-level track_file blocks for FILE_CHECK). Call it before the
 * first probe and again after each reload, before the old generation is
 * freed. 0, or -1 if script_user is unknown.
 */
struct vigil_config;
int chk_proto_setup(struct chk_env *env, const struct vigil_config *cfg);

#endif

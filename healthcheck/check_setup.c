/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The checker child's settings from outside the checker configuration:
 * who scripts run as (global_defs' script_user, enable_script_security),
 * the top-level track_file blocks (parsed by the VRRP configuration).
 */
#include "autoconfig.h"

#include <string.h>

#include "global_conf.h"
#include "healthcheck/check_proto.h"
#include "subsys.h"
#include "vrrp/config.h"

/* chk_track_file_lookup_fn over the VRRP configuration's track_file
 * blocks (arg: a struct vrrp_conf) */
static int
track_file_lookup(void *arg, const char *name, struct chk_track_file *out)
{
	const struct vrrp_conf *vc = arg;
	const struct vrrp_track_file_conf *tf;

	for (tf = vc != NULL ? vc->track_files.first : NULL; tf != NULL;
	    tf = tf->next)
		if (strcmp(tf->name, name) == 0 && tf->file != NULL) {
			out->path = tf->file;
			out->weight = tf->weight;
			out->reverse = tf->weight_reverse;
			return 0;
		}
	return -1;
}

int
chk_proto_setup(struct chk_env *env, const struct vigil_config *cfg)
{
	const struct global_conf *g = cfg->conf[CONF_OWNER_GLOBAL];
	int r = 0;

	if (runas_defaults_set(&env->runas, g) < 0)
		r = -1;
	env->rs_init_notifies = g->rs_init_notifies;
	if (chk_file_set_lookup(env, track_file_lookup,
	    cfg->conf[CONF_OWNER_VRRP]) < 0)
		r = -1;
	return r;
}

void
chk_proto_clear(struct chk_env *env)
{
	runas_defaults_clear(&env->runas);
}

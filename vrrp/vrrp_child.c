/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The VRRP child: holds the VRRP configuration and, on reload, matches
 * instances by identity so that unchanged ones keep their runtime state.
 * The protocol engine (adverts, elections, addresses) attaches here.
 */
#include "autoconfig.h"

#include <stdio.h>
#include <stdlib.h>

#include "daemon/child.h"
#include "daemon/vconfig.h"
#include "log.h"
#include "vrrp/config.h"

struct vrrp_child {
	const struct child_env *env;
	unsigned reloads;
};

unsigned
vrrp_conf_object_count(const struct vrrp_conf *c)
{
	return c->instances.n + c->sync_groups.n + c->static_addrs.n +
	    c->static_routes.n + c->static_rules.n;
}

static void *
vrrp_child_start(const struct child_env *env, const struct vigil_config *cfg)
{
	struct vrrp_child *v = calloc(1, sizeof(*v));

	if (v == NULL)
		return NULL;
	v->env = env;
	log_info("VRRP configuration loaded: %u instance(s), %u sync "
	    "group(s), %u script(s)", cfg->vrrp->instances.n,
	    cfg->vrrp->sync_groups.n, cfg->vrrp->scripts.n);
	return v;
}

static void
vrrp_child_log_diff(void *arg, const struct vrrp_conf_diff_ev *ev)
{
	const struct vrrp_instance_conf *i = ev->new != NULL ? ev->new :
	    ev->old;

	if (ev->kind != CONF_DIFF_UNCHANGED)
		log_info("reload: instance %s: %s", i->name,
		    conf_diff_kind_name(ev->kind));
}

static int
vrrp_child_reload(void *state, const struct vigil_config *old,
    const struct vigil_config *new, char *msg, size_t msglen)
{
	struct vrrp_child *v = state;
	struct vrrp_conf_diff d;

	if (vrrp_conf_diff(old->vrrp, new->vrrp, &d, vrrp_child_log_diff,
	    v) < 0) {
		snprintf(msg, msglen, "out of memory while comparing "
		    "configurations");
		return -1;
	}
	v->reloads++;
	snprintf(msg, msglen, "VRRP instances: %u unchanged, %u changed, "
	    "%u added, %u removed", d.instances.unchanged, d.instances.changed,
	    d.instances.added, d.instances.removed);
	return 0;
}

static void
vrrp_child_dump(void *state, const struct vigil_config *cfg, FILE *fp)
{
	struct vrrp_child *v = state;

	fprintf(fp, " Configuration generation = %u\n", cfg->generation);
	fprintf(fp, " Reloads = %u\n", v->reloads);
	vrrp_conf_dump(cfg->vrrp, fp);
}

static void
vrrp_child_stop(void *state)
{
	free(state);
}

const struct child_ops vrrp_child_ops = {
	.name = "vrrp",
	.owner = CONF_OWNER_VRRP,
	.start = vrrp_child_start,
	.reload = vrrp_child_reload,
	.dump = vrrp_child_dump,
	.stop = vrrp_child_stop,
};

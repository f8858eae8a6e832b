/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The health-check child: holds the virtual/real server configuration and,
 * on reload, matches virtual servers and real servers by identity so that
 * unchanged ones keep their state. Checkers and the data-plane backend
 * attach here.
 */
#include "autoconfig.h"

#include <stdio.h>
#include <stdlib.h>

#include "daemon/child.h"
#include "daemon/vconfig.h"
#include "healthcheck/config.h"
#include "log.h"

struct chk_child {
	const struct child_env *env;
	unsigned reloads;
};

unsigned
chk_conf_object_count(const struct chk_conf *c)
{
	return c->nvs;
}

static unsigned
chk_count_rs(const struct chk_conf *c)
{
	unsigned n = 0;

	for (const struct chk_vs_conf *vs = c->vs; vs != NULL; vs = vs->next)
		n += vs->nrs;
	return n;
}

static void *
chk_child_start(const struct child_env *env, const struct vigil_config *cfg)
{
	struct chk_child *h = calloc(1, sizeof(*h));

	if (h == NULL)
		return NULL;
	h->env = env;
	log_info("LVS configuration loaded: %u virtual server(s), %u real "
	    "server(s), %u group(s)", cfg->chk->nvs, chk_count_rs(cfg->chk),
	    cfg->chk->ngroups);
	return h;
}

static void
chk_child_log_diff(void *arg, const struct chk_conf_diff_ev *ev)
{
	const struct chk_vs_conf *vs = ev->vs_new != NULL ? ev->vs_new :
	    ev->vs_old;
	char name[128];

	if (ev->kind == CONF_DIFF_UNCHANGED || vs == NULL)
		return;
	chk_conf_vs_name(vs, name, sizeof(name));
	if (!ev->is_rs) {
		log_info("reload: virtual server %s: %s", name,
		    conf_diff_kind_name(ev->kind));
		return;
	}
	if (ev->kind == CONF_DIFF_CHANGED)
		log_info("reload: virtual server %s: a real server changed",
		    name);
}

static int
chk_child_reload(void *state, const struct vigil_config *old,
    const struct vigil_config *new, char *msg, size_t msglen)
{
	struct chk_child *h = state;
	struct chk_conf_diff d;

	if (chk_conf_diff(old->chk, new->chk, &d, chk_child_log_diff, h) < 0) {
		snprintf(msg, msglen, "out of memory while comparing "
		    "configurations");
		return -1;
	}
	h->reloads++;
	snprintf(msg, msglen, "virtual servers: %u unchanged, %u changed, "
	    "%u added, %u removed; real servers: %u unchanged, %u changed, "
	    "%u added, %u removed", d.vs.unchanged, d.vs.changed, d.vs.added,
	    d.vs.removed, d.rs.unchanged, d.rs.changed, d.rs.added,
	    d.rs.removed);
	return 0;
}

static void
chk_child_dump(void *state, const struct vigil_config *cfg, FILE *fp)
{
	struct chk_child *h = state;

	fprintf(fp, " Configuration generation = %u\n", cfg->generation);
	fprintf(fp, " Reloads = %u\n", h->reloads);
	chk_conf_dump(cfg->chk, fp);
}

static void
chk_child_stop(void *state)
{
	free(state);
}

const struct child_ops chk_child_ops = {
	.name = "checker",
	.owner = CONF_OWNER_CHECK,
	.start = chk_child_start,
	.reload = chk_child_reload,
	.dump = chk_child_dump,
	.stop = chk_child_stop,
};

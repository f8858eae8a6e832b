/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The health-check subsystem: its entry in vigild's table of subsystems
 * and its child. The child holds the virtual/real server configuration
 * and, on reload, matches virtual servers and real servers by identity so
 * that unchanged ones keep their state. Checkers and the data-plane
 * backend attach here.
 */
#include "autoconfig.h"

#include <stdio.h>
#include <stdlib.h>

#include "addr.h"
#include "healthcheck/check.h"
#include "healthcheck/config.h"
#include "log.h"
#include "proc.h"

struct chk_child {
	const struct proc_env *env;
	unsigned reloads;
};

static const struct chk_conf *
chk_part(const struct vigil_config *cfg)
{
	return cfg->conf[CONF_OWNER_CHECK];
}

static unsigned
chk_count_rs(const struct chk_conf *c)
{
	unsigned n = 0;

	for (const struct chk_vs_conf *vs = c->vs; vs != NULL; vs = vs->next)
		n += vs->nrs;
	return n;
}

/* "<virtual server> / [address]:port", the name of a real server. */
static void
chk_rs_name(const struct chk_vs_conf *vs, const struct chk_rs_conf *rs,
    char *buf, size_t len)
{
	char v[128], a[ADDR_STRLEN];

	snprintf(buf, len, "%s / [%s]:%u", chk_conf_vs_name(vs, v, sizeof(v)),
	    addr_ntop(&rs->addr, a, sizeof(a)), rs->port);
}

static unsigned
chk_objects(const void *conf, subsys_obj_fn *fn, void *arg)
{
	const struct chk_conf *c = conf;
	char name[256];

	if (fn != NULL) {
		for (const struct chk_vs_conf *vs = c->vs; vs != NULL;
		    vs = vs->next) {
			fn(arg, "virtual_server", chk_conf_vs_name(vs, name,
			    sizeof(name)));
			for (const struct chk_rs_conf *rs = vs->rs; rs != NULL;
			    rs = rs->next) {
				chk_rs_name(vs, rs, name, sizeof(name));
				fn(arg, "real_server", name);
			}
		}
	}
	return c->nvs;
}

static void *
chk_child_start(const struct proc_env *env, const struct vigil_config *cfg,
    const struct proc_handover *h)
{
	struct chk_child *ch = calloc(1, sizeof(*ch));
	const struct chk_conf *c = chk_part(cfg);

	if (ch == NULL)
		return NULL;
	ch->env = env;
	log_info("LVS configuration loaded: %u virtual server(s), %u real "
	    "server(s), %u group(s); %u object(s) handed over", c->nvs,
	    chk_count_rs(c), c->ngroups, h->count);
	return ch;
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
	struct chk_child *ch = state;
	struct chk_conf_diff d;

	if (chk_conf_diff(chk_part(old), chk_part(new), &d, chk_child_log_diff,
	    ch) < 0) {
		snprintf(msg, msglen, "out of memory while comparing "
		    "configurations");
		return -1;
	}
	ch->reloads++;
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
	struct chk_child *ch = state;

	fprintf(fp, " Configuration generation = %u\n", cfg->generation);
	fprintf(fp, " Reloads = %u\n", ch->reloads);
	chk_conf_dump(chk_part(cfg), fp);
}

static void
chk_child_stop(void *state)
{
	free(state);
}

static const struct proc_ops chk_proc_ops = {
	.start = chk_child_start,
	.reload = chk_child_reload,
	.dump = chk_child_dump,
	.stop = chk_child_stop,
};

static void *
chk_new(struct arena *a)
{
	return chk_conf_new(a);
}

static int
chk_finalize(void *conf, struct conf_diag *d)
{
	return chk_conf_finalize(conf, d) != 0 ? -1 : 0;
}

static void
chk_dump(const void *conf, FILE *fp)
{
	chk_conf_dump(conf, fp);
}

const struct subsys chk_subsys = {
	.name = "checker",
	.owner = CONF_OWNER_CHECK,
	.only_opt = 'C',
	.pid_file = "/run/vigild-checkers.pid",
	.conf_register = chk_conf_register,
	.conf_new = chk_new,
	.conf_finalize = chk_finalize,
	.conf_dump = chk_dump,
	.conf_objects = chk_objects,
	.conf_host_check = chk_conf_host_check,
	.proc = &chk_proc_ops,
};

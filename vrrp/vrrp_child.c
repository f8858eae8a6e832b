/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The VRRP subsystem: its entry in vigild's table of subsystems and its
 * child. The child runs the VRRP engine (vrrp/engine.c) on the VRRP
 * configuration and, on reload, matches instances by identity so that
 * unchanged ones keep their runtime state, timers and VIPs.
 */
#include "autoconfig.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "proc.h"
#include "subsys.h"
#include "vrrp/config.h"
#include "vrrp/engine.h"
#include "vrrp/vrrp.h"

struct vrrp_child {
	const struct proc_env *env;
	struct vrrp_engine *engine;
	unsigned reloads;
	struct vrrp_engine_dump_cursor dump;	/* a dump in parts */
};

static const struct vrrp_conf *
vrrp_part(const struct vigil_config *cfg)
{
	return cfg->conf[CONF_OWNER_VRRP];
}

static unsigned
vrrp_objects(const void *conf, subsys_obj_fn *fn, void *arg)
{
	const struct vrrp_conf *c = conf;

	if (fn != NULL) {
		for (const struct vrrp_instance_conf *i = c->instances.first;
		    i != NULL; i = i->next)
			fn(arg, "vrrp_instance", i->name);
		for (const struct vrrp_sync_group_conf *g = c->sync_groups.first;
		    g != NULL; g = g->next)
			fn(arg, "vrrp_sync_group", g->name);
		/* the tracked objects it runs (a tracking line names them) */
		for (const struct vrrp_script_conf *s = c->scripts.first;
		    s != NULL; s = s->next)
			if (vrrp_conf_tracked(c, VRRP_IX_SCRIPT, s->name))
				fn(arg, "vrrp_script", s->name);
		for (const struct vrrp_track_file_conf *f = c->track_files.first;
		    f != NULL; f = f->next)
			if (vrrp_conf_tracked(c, VRRP_IX_TRACK_FILE, f->name))
				fn(arg, "vrrp_track_file", f->name);
		for (const struct vrrp_track_process_conf *p =
		    c->track_processes.first; p != NULL; p = p->next)
			if (vrrp_conf_tracked(c, VRRP_IX_TRACK_PROCESS,
			    p->name))
				fn(arg, "vrrp_track_process", p->name);
	}
	/* static addresses, routes and rules need the child too */
	return c->instances.n + c->sync_groups.n + c->static_addrs.n +
	    c->static_routes.n + c->static_rules.n;
}

static void *
vrrp_child_start(const struct proc_env *env, const struct vigil_config *cfg,
    const struct proc_handover *h)
{
	struct vrrp_child *v = calloc(1, sizeof(*v));
	const struct vrrp_conf *c = vrrp_part(cfg);

	if (v == NULL)
		return NULL;
	v->env = env;
	/* the instances are added in parts (vrrp_child_start_part) */
	if ((v->engine = vrrp_engine_start_begin(env, cfg, h)) == NULL) {
		free(v);
		return NULL;
	}
	log_info("VRRP configuration loaded: %u instance(s), %u sync "
	    "group(s), %u script(s); %u object(s) handed over",
	    c->instances.n, c->sync_groups.n, c->scripts.n, h->count);
	return v;
}

static int
vrrp_child_start_part(void *state, void **cursor)
{
	struct vrrp_child *v = state;

	(void)cursor;
	return vrrp_engine_start_part(v->engine, VRRP_ENGINE_PART_USEC);
}

static int
vrrp_child_reload_part(void *state, const struct vigil_config *old,
    const struct vigil_config *new, char *msg, size_t msglen, void **cursor)
{
	struct vrrp_child *v = state;
	int rc;

	/* the parent logged each change (vrrp_conf_diff_text) */
	rc = vrrp_engine_reload_part(v->engine, old, new, msg, msglen, cursor,
	    VRRP_ENGINE_PART_USEC);
	if (rc == 0)
		v->reloads++;
	return rc;
}

static int
vrrp_child_reload(void *state, const struct vigil_config *old,
    const struct vigil_config *new, char *msg, size_t msglen)
{
	void *cursor = NULL;
	int rc;

	while ((rc = vrrp_child_reload_part(state, old, new, msg, msglen,
	    &cursor)) > 0)
		;
	return rc;
}

/* The dump from *cursor (NULL: the start) on, about
 * VRRP_ENGINE_PART_USEC of it (UINT64_MAX: all of it). */
static int
vrrp_child_dump_from(struct vrrp_child *v, const struct vigil_config *cfg,
    FILE *fp, void **cursor, uint64_t budget)
{
	if (*cursor == NULL) {
		fprintf(fp, " Configuration generation = %u\n",
		    cfg->generation);
		fprintf(fp, " Reloads = %u\n", v->reloads);
		v->dump = (struct vrrp_engine_dump_cursor){ 0 };
		*cursor = &v->dump;
	}
	if (vrrp_engine_dump_part(v->engine, vrrp_part(cfg), fp, &v->dump,
	    budget))
		return 1;
	*cursor = NULL;
	return 0;
}

static void
vrrp_child_dump(void *state, const struct vigil_config *cfg, FILE *fp)
{
	void *cursor = NULL;

	while (vrrp_child_dump_from(state, cfg, fp, &cursor, UINT64_MAX))
		;
}

static int
vrrp_child_dump_part(void *state, const struct vigil_config *cfg, FILE *fp,
    void **cursor)
{
	return vrrp_child_dump_from(state, cfg, fp, cursor,
	    VRRP_ENGINE_PART_USEC);
}

static int
vrrp_child_snapshot_part(void *state, const struct vigil_config *cfg,
    struct proc *p, void **cursor)
{
	struct vrrp_child *v = state;

	(void)cfg;
	(void)p;
	return vrrp_engine_snapshot_part(v->engine, cursor);
}

static uint64_t
vrrp_child_gap(void *state, uint64_t cost)
{
	struct vrrp_child *v = state;

	return vrrp_engine_gap(v->engine, cost);
}

static uint64_t
vrrp_child_pause(void *state, uint64_t cost)
{
	struct vrrp_child *v = state;

	return vrrp_engine_pause(v->engine, cost);
}

static int
vrrp_child_command(void *state, int argc, const char *const argv[], FILE *out)
{
	struct vrrp_child *v = state;

	return vrrp_engine_command(v->engine, argc, argv, out);
}

static void
vrrp_child_peer_state(void *state, const struct ipc_obj *o)
{
	struct vrrp_child *v = state;
	char on[8], st[16];

	/* a session whose block says checker only is not VRRP's */
	if (strcmp(o->kind, "bfd_instance") != 0 ||
	    (ipc_attrs_get(o->attrs, "to_vrrp", on, sizeof(on)) &&
	    strcmp(on, "0") == 0))
		return;
	/* what the session means to its clients: a Down the peer's
	 * AdminDown caused is no path failure (RFC 5882 3.2) */
	if (!ipc_attrs_get(o->attrs, "client_state", st, sizeof(st)))
		snprintf(st, sizeof(st), "%s", o->state);
	vrrp_engine_bfd(v->engine, o->name, st);
}

static void
vrrp_child_stop(void *state)
{
	struct vrrp_child *v = state;

	vrrp_engine_stop(v->engine);
	free(v);
}

static const struct proc_ops vrrp_proc_ops = {
	.start = vrrp_child_start,
	.reload = vrrp_child_reload,
	.reload_part = vrrp_child_reload_part,
	.start_part = vrrp_child_start_part,
	.dump = vrrp_child_dump,
	.dump_part = vrrp_child_dump_part,
	.snapshot_part = vrrp_child_snapshot_part,
	.command = vrrp_child_command,
	.gap = vrrp_child_gap,
	.pause = vrrp_child_pause,
	.peer_state = vrrp_child_peer_state,
	.stop = vrrp_child_stop,
};

static void *
vrrp_new(struct arena *a)
{
	return vrrp_conf_new(a);
}

static int
vrrp_finalize(void *conf, struct conf_diag *d)
{
	return vrrp_conf_check(conf, d) != 0 ? -1 : 0;
}

static void
vrrp_dump(const void *conf, FILE *fp)
{
	vrrp_conf_dump(conf, fp);
}

/* track_bfd names bfd_instance blocks, whose sessions' states it
 * follows */
static const char *const vrrp_borrows[] = { "bfd_instance", NULL };
static const char *const vrrp_follows[] = { "bfd_instance", NULL };

const struct subsys vrrp_subsys = {
	.name = "vrrp",
	.owner = CONF_OWNER_VRRP,
	.only_opt = 'P',
	.pid_file = "/run/vigild-vrrp.pid",
	.conf_register = vrrp_conf_register,
	.conf_new = vrrp_new,
	.conf_finalize = vrrp_finalize,
	.conf_dump = vrrp_dump,
	.conf_objects = vrrp_objects,
	.conf_host_check = vrrp_conf_host_check,
	.conf_diff_text = vrrp_conf_diff_text,
	.proc = &vrrp_proc_ops,
	.borrows = vrrp_borrows,
	.follows = vrrp_follows,
};

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The BFD subsystem: its entry in vigild's table of subsystems and its
 * child, which runs a BFD session per bfd_instance (bfd/engine.c) and
 * reports each session's state to the parent, which passes it on to the
 * children that track it (VRRP's track_bfd, the checker's BFD_CHECK).
 */
#include "autoconfig.h"

#include <stdio.h>
#include <stdlib.h>

#include "bfd/bfd.h"
#include "bfd/config.h"
#include "bfd/engine.h"
#include "log.h"
#include "proc.h"
#include "proc_rt.h"
#include "subsys.h"

struct bfd_child {
	struct bfd_engine *engine;
	unsigned reloads;
};

static const struct bfd_conf *
bfd_part(const struct vigil_config *cfg)
{
	return cfg->conf[CONF_OWNER_BFD];
}

static unsigned
bfd_objects(const void *conf, subsys_obj_fn *fn, void *arg)
{
	const struct bfd_conf *c = conf;

	if (fn != NULL)
		for (const struct bfd_instance_conf *b = c->first; b != NULL;
		    b = b->next)
			fn(arg, "bfd_instance", b->name);
	return c->n;
}

static void *
bfd_child_start(const struct proc_env *env, const struct vigil_config *cfg,
    const struct proc_handover *h)
{
	struct bfd_child *b = calloc(1, sizeof(*b));
	const struct bfd_conf *c = bfd_part(cfg);

	(void)h;	/* a session starts Down whatever it was: its peer
			 * saw it go */
	if (b == NULL)
		return NULL;
	proc_sched_apply("bfd", c->g.priority, c->g.no_swap, 0, NULL);
	if (c->g.rt_priority > 0)
		proc_rt_apply(env->base, "bfd", "BFD", c->g.rt_priority,
		    c->g.rlimit_rttime);
	proc_sched_apply("bfd", 0, 0, c->g.cpu_mask, c->g.cpu_affinity);
	if ((b->engine = bfd_engine_new(env, c)) == NULL) {
		free(b);
		return NULL;
	}
	log_info("BFD configuration loaded: %u session(s)", c->n);
	return b;
}

static int
bfd_child_reload(void *state, const struct vigil_config *old,
    const struct vigil_config *new, char *msg, size_t msglen)
{
	struct bfd_child *b = state;

	(void)old;
	bfd_engine_reload(b->engine, bfd_part(new), msg, msglen);
	b->reloads++;
	return 0;
}

static void
bfd_child_dump(void *state, const struct vigil_config *cfg, FILE *fp)
{
	struct bfd_child *b = state;

	fprintf(fp, " Configuration generation = %u\n", cfg->generation);
	fprintf(fp, " Reloads = %u\n", b->reloads);
	bfd_engine_dump(b->engine, fp);
}

static void
bfd_child_snapshot(void *state, const struct vigil_config *cfg,
    struct proc *p)
{
	struct bfd_child *b = state;

	(void)cfg;
	(void)p;
	bfd_engine_snapshot(b->engine);
}

static void
bfd_child_stop(void *state)
{
	struct bfd_child *b = state;

	bfd_engine_free(b->engine);
	proc_rt_stop();
	free(b);
}

static const struct proc_ops bfd_proc_ops = {
	.start = bfd_child_start,
	.reload = bfd_child_reload,
	.dump = bfd_child_dump,
	.snapshot = bfd_child_snapshot,
	.stop = bfd_child_stop,
};

static void
bfd_dump(const void *conf, FILE *fp)
{
	bfd_conf_dump(conf, fp);
}

static int
bfd_diff_text(const void *old, const void *new, subsys_line_fn *fn,
    void *arg)
{
	return bfd_conf_diff_text(old, new, fn, arg);
}

const struct subsys bfd_subsys = {
	.name = "bfd",
	.owner = CONF_OWNER_BFD,
	.skip_opt = 'B',
	.pid_file = "/run/vigild-bfd.pid",
	.conf_register = bfd_conf_register,
	.conf_new = bfd_conf_new,
	.conf_finalize = bfd_conf_finalize,
	.conf_dump = bfd_dump,
	.conf_objects = bfd_objects,
	.conf_diff_text = bfd_diff_text,
	.proc = &bfd_proc_ops,
};

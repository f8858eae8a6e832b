/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The VRRP engine's reload: instances matched by identity keep their
 * state, timers and VIPs and follow their new configuration (a new VIP
 * list, priority or interval without a transition where the RFC allows);
 * removed ones hand over (priority 0) and release their VIPs; new ones
 * start once the sync groups are rebuilt.
 */
#include "autoconfig.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log.h"
#include "loop.h"
#include "proc.h"
#include "subsys.h"
#include "vrrp/config.h"
#include "vrrp/engine_priv.h"
#include "vrrp/linkbeat.h"
#include "vrrp/fw.h"
#include "vrrp/notify.h"
#include "vrrp/socket.h"
#include "vrrp/static.h"
#include "vrrp/track.h"
#include "vrrp/vip.h"
#include "vrrp/work.h"

static const struct vrrp_conf *
conf_of(const struct vigil_config *cfg)
{
	return cfg->conf[CONF_OWNER_VRRP];
}

/* The running instances by their configuration, sorted by its address:
 * the diff names each old instance once, and a walk of the engine's list
 * for each made a reload of 1,000 instances cost milliseconds. */
struct inst_ref {
	const struct vrrp_instance_conf *conf;
	struct vrrp_inst *vi;
};

struct reload_ctx {
	struct vrrp_engine *e;
	unsigned failed;
	struct inst_ref *ix;
	size_t n;
};

static int
ref_cmp(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t)((const struct inst_ref *)a)->conf;
	uintptr_t y = (uintptr_t)((const struct inst_ref *)b)->conf;

	return x < y ? -1 : x > y;
}

static int
index_build(struct reload_ctx *r)
{
	size_t n = 0;

	for (struct vrrp_inst *vi = r->e->insts; vi != NULL; vi = vi->next)
		n++;
	if (n == 0)
		return 0;
	if ((r->ix = calloc(n, sizeof(*r->ix))) == NULL)
		return -1;
	for (struct vrrp_inst *vi = r->e->insts; vi != NULL; vi = vi->next) {
		r->ix[r->n].conf = vi->conf;
		r->ix[r->n++].vi = vi;
	}
	qsort(r->ix, r->n, sizeof(*r->ix), ref_cmp);
	return 0;
}

/* The instance running c (an instance of the old configuration), or NULL. */
static struct vrrp_inst *
inst_by_conf(const struct reload_ctx *r, const struct vrrp_instance_conf *c)
{
	struct inst_ref key = { c, NULL }, *f;

	if (r->n == 0)
		return NULL;
	f = bsearch(&key, r->ix, r->n, sizeof(*r->ix), ref_cmp);
	return f != NULL ? f->vi : NULL;
}

/* VIPs of a that b does not have, removed (MASTER only). */
static void
vips_gone(struct vrrp_engine *e, struct vrrp_inst *vi,
    const struct vrrp_conf_list *a, const struct vrrp_conf_list *b)
{
	for (const struct vrrp_conf_ipaddr *x = a->first; x != NULL;
	    x = x->next) {
		const struct vrrp_conf_ipaddr *y;

		for (y = b->first; y != NULL; y = y->next)
			if (memcmp(&x->p, &y->p, sizeof(x->p)) == 0 &&
			    conf_str_eq(x->dev, y->dev))
				break;
		if (y == NULL) {
			vrrp_vip_del(e->kernel, x,
			    vrrp_action_addr_ifindex(e, vi, x));
			vrrp_action_block_addr(e, vi, x, 0);
		}
	}
}

static void
reload_changed(struct vrrp_engine *e, struct vrrp_inst *vi,
    const struct vrrp_instance_conf *o, const struct vrrp_instance_conf *n)
{
	unsigned old_int = vi->adver_int, old_base = vi->base_prio;

	if (vrrp_inst_rebind(vi, n, e->conf) < 0) {
		log_err("%s: out of memory following the new configuration",
		    vi->name);
		return;
	}
	/* its VMAC or ipvlan as the new configuration asks */
	vrrp_engine_link_follow(e, vi, o);
	/* the links it tracks through its VIPs, routes and rules as they
	 * are now; without an interface, its socket too (another
	 * unicast_src_ip or vrf) */
	vrrp_engine_inst_resolve(e, vi);
	/* now IPSEC-AH: its socket too (the error is logged) */
	(void)vrrp_sock_follow(vi);
	if (vi->state == VRRP_STATE_MASTER && vi->vips_held) {
		/* the new set in, the ones that went out */
		vips_gone(e, vi, &o->vips, &n->vips);
		vips_gone(e, vi, &o->evips, &n->evips);
		/* accept mode may have changed: the new one decides */
		vrrp_action_block(e, vi, o, 0);
		/* the old routes and rules out in batches (each answer
		 * taken, and logged, on its own), the new ones in with the
		 * VIPs */
		{
			struct vrrp_nl_batch b;

			memset(&b, 0, sizeof(b));
			for (const struct vrrp_conf_route *r = o->routes.first;
			    r != NULL; r = r->next)
				(void)vrrp_route_batch_add(e->kernel, &b, r,
				    vi->ifindex, 0);
			for (const struct vrrp_conf_rule *r = o->rules.first;
			    r != NULL; r = r->next)
				(void)vrrp_rule_batch_add(e->kernel, &b, r, 0);
			(void)vrrp_nl_batch_send(e->kernel, &b);
		}
		vrrp_action_vips_queue(e, vi, 1);
	}
	/* runtime set-priority / set-preempt give way to the new
	 * configuration (the parent forgets them too) */
	vrrp_command_settings_dropped(e, vi);
	if (old_base != vi->base_prio)
		log_info("%s: configured priority %u -> %u", vi->name,
		    old_base, vi->base_prio);
	if (old_int != vi->adver_int)
		vrrp_fsm_retime(&e->fsm, vi);
	vrrp_announce_extra_retime(e, vi);
}

static void
reload_ev(void *arg, const struct vrrp_conf_diff_ev *ev)
{
	struct reload_ctx *r = arg;
	struct vrrp_engine *e = r->e;
	struct vrrp_inst *vi;

	switch (ev->kind) {
	case CONF_DIFF_REMOVED:
		if ((vi = inst_by_conf(r, ev->old)) == NULL)
			return;
		vrrp_fsm_stop(&e->fsm, vi, 0, "removed from the configuration");
		if (e->notify != NULL && ev->old->has_notify_deleted)
			vrrp_notify_instance(e->notify, ev->old,
			    VRRP_STATE_DELETED, vi->prio);
		vrrp_engine_inst_remove(e, vi, 0);
		return;
	case CONF_DIFF_UNCHANGED:
		if ((vi = inst_by_conf(r, ev->old)) == NULL)
			return;
		if (vrrp_inst_rebind(vi, ev->new, e->conf) < 0) {
			r->failed++;
			return;
		}
		/* vmac_prefix may have renamed its link */
		vrrp_engine_link_follow(e, vi, ev->old);
		return;
	case CONF_DIFF_CHANGED:
		if ((vi = inst_by_conf(r, ev->old)) == NULL)
			return;
		/* what it queued under its old configuration since an
		 * earlier part of this reload goes first */
		vrrp_work_run_owner(e->work, vi);
		reload_changed(e, vi, ev->old, ev->new);
		return;
	case CONF_DIFF_ADDED:
		if ((vi = vrrp_engine_inst_add(e, ev->new)) == NULL) {
			r->failed++;
			return;
		}
		/* started once the sync groups are built */
		return;
	}
}

/*
 * A reload under way in parts (vrrp_engine_reload_part's cursor): the
 * diff's events, taken whole in the first part (the comparison is cheap;
 * following it is not), followed a bounded number at a time, then what
 * concerns them all.
 */
struct vrrp_reload {
	struct reload_ctx r;
	struct vrrp_conf_diff d;
	struct vrrp_conf_diff_ev *ev;
	size_t nev, cap, at;
	const struct vigil_config *old;
	int ended;		/* what concerns them all: done */
	struct vrrp_inst *start;	/* the next to start, then */
	double ms;		/* the parts' time */
};

static void
reload_collect(void *arg, const struct vrrp_conf_diff_ev *ev)
{
	struct vrrp_reload *rl = arg;
	struct vrrp_conf_diff_ev *v;

	if (rl->nev == rl->cap) {
		size_t cap = rl->cap > 0 ? 2 * rl->cap : 64;

		if ((v = realloc(rl->ev, cap * sizeof(*v))) == NULL) {
			rl->cap = SIZE_MAX;	/* failed: noted at the end */
			return;
		}
		rl->ev = v;
		rl->cap = cap;
	}
	rl->ev[rl->nev++] = *ev;
}

void
vrrp_engine_reload_free(struct vrrp_reload *rl)
{
	if (rl == NULL)
		return;
	free(rl->r.ix);
	free(rl->ev);
	free(rl);
}

/* The first part: the comparison, before anything changes. 0, or -1 out
 * of memory (nothing changed). */
static int
reload_begin(struct vrrp_engine *e, const struct vigil_config *old,
    const struct vigil_config *cfg, struct vrrp_reload **out)
{
	struct vrrp_reload *rl = calloc(1, sizeof(*rl));

	*out = NULL;
	if (rl == NULL)
		return -1;
	rl->r.e = e;
	rl->old = old;
	if (index_build(&rl->r) < 0 ||
	    vrrp_conf_diff(conf_of(old), conf_of(cfg), &rl->d, reload_collect,
	    rl) < 0 || rl->cap == SIZE_MAX) {
		vrrp_engine_reload_free(rl);
		return -1;
	}
	/* queued work follows the configuration it was queued under */
	vrrp_work_flush(e->work);
	e->cfg = cfg;
	e->conf = conf_of(cfg);
	vrrp_socks_configure(e->socks, &e->conf->g);
	/* until the last part: tracking changes wait for it, and no
	 * instance starts (the sync groups are not built yet) */
	e->reloading = rl;
	*out = rl;
	return 0;
}

/* fifo_write_vrrp_states_on_reload: every sync group's and instance's
 * state on the notify fifos, as if each had just entered it (those added
 * by the reload have not started yet: their own lines follow). */
static void
reload_fifo_states(struct vrrp_engine *e)
{
	if (!e->conf->g.fifo_write_states_on_reload || e->notify == NULL)
		return;
	for (struct vrrp_sync *g = e->syncs; g != NULL; g = g->next)
		if (g->state != VRRP_STATE_INIT)
			vrrp_notify_fifo_state(e->notify, "GROUP",
			    g->conf->name, g->state, 0);
	for (struct vrrp_inst *vi = e->insts; vi != NULL; vi = vi->next)
		if (vi->state != VRRP_STATE_INIT)
			vrrp_notify_fifo_state(e->notify, "INSTANCE",
			    vi->conf->name, vi->state, vi->prio);
}

/* What concerns every instance, once each followed its configuration;
 * the instances added start next. */
static void
reload_end(struct vrrp_engine *e, struct vrrp_reload *rl)
{
	const struct vigil_config *cfg = e->cfg;

	vrrp_process_warn_globals(e->conf);
	vrrp_process_local_igmp(e->conf);
	vrrp_process_auto_set(e->env->base, e->conf,
	    cfg->conf[CONF_OWNER_GLOBAL]);
	if (e->notify != NULL)
		vrrp_notify_apply(e->notify, cfg);
	if (e->track != NULL) {
		vrrp_track_set_global(e->track, cfg->conf[CONF_OWNER_GLOBAL]);
		vrrp_track_apply(e->track, e->conf);
	}
	vrrp_engine_link_delays(e);
	vrrp_engine_linkbeat(e);
	vrrp_engine_track_links(e);
	vrrp_static_apply(e->kernel, e->ifaces, conf_of(rl->old), e->conf);
	vrrp_engine_syncs_build(e);
	vrrp_command_sync_groups(e);
	vrrp_action_fw_sync(e);
	for (struct vrrp_inst *vi = e->insts; vi != NULL; vi = vi->next)
		vrrp_engine_inst_track(e, vi);
	for (struct vrrp_sync *g = e->syncs; g != NULL; g = g->next)
		vrrp_sync_faults(g, &e->fsm, "reload");
	reload_fifo_states(e);
	rl->ended = 1;
	rl->start = e->starting ? NULL : e->insts;
}

int
vrrp_engine_reload_part(struct vrrp_engine *e, const struct vigil_config *old,
    const struct vigil_config *cfg, char *msg, size_t msglen, void **cursor,
    uint64_t budget)
{
	struct vrrp_reload *rl = *cursor;
	uint64_t t0 = loop_now_usec();
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	/* the work each part queues is the reload's (the dump's bursts) */
	vrrp_work_cause(e->work, "reload");
	if (rl == NULL) {
		/* its parts' work is one burst, whatever slices run
		 * between them */
		vrrp_work_hold(e->work, 1);
		if (reload_begin(e, old, cfg, &rl) < 0) {
			vrrp_work_hold(e->work, 0);
			snprintf(msg, msglen, "out of memory while comparing "
			    "configurations");
			return -1;
		}
		*cursor = rl;
	}
	/* the instances, a bounded time's worth (at least one) a part, then
	 * what concerns them all in a part of its own, then those added
	 * start, a bounded time's worth a part */
	if (rl->at < rl->nev) {
		do
			reload_ev(&rl->r, &rl->ev[rl->at++]);
		while (rl->at < rl->nev && loop_now_usec() - t0 < budget);
		if (budget != UINT64_MAX)
			goto more;
	}
	if (!rl->ended) {
		uint64_t t1 = loop_now_usec();

		reload_end(e, rl);
		log_debug("reload: what concerns every instance in %.1f ms",
		    (double)(loop_now_usec() - t1) / 1e3);
		if (budget != UINT64_MAX && rl->start != NULL)
			goto more;
	}
	if (rl->start != NULL) {
		rl->start = vrrp_engine_start_from(e, rl->start, budget);
		if (e->env->proc != NULL)
			proc_state_flush(e->env->proc);
		if (rl->start != NULL)
			goto more;
	}
	e->reloading = NULL;
	vrrp_engine_update(e, "reload");
	vrrp_engine_syncd_apply(e);
	rl->ms += subsys_ms_since(&ts);
	log_debug("applied the reload's changes in %.1f ms", rl->ms);
	snprintf(msg, msglen, "VRRP instances: %u unchanged, %u changed, "
	    "%u added, %u removed%s", rl->d.instances.unchanged,
	    rl->d.instances.changed, rl->d.instances.added,
	    rl->d.instances.removed, rl->r.failed > 0 ?
	    " (some could not follow: out of memory)" : "");
	vrrp_engine_reload_free(rl);
	*cursor = NULL;
	vrrp_work_hold(e->work, 0);
	return 0;
more:
	rl->ms += subsys_ms_since(&ts);
	return 1;
}

int
vrrp_engine_reload(struct vrrp_engine *e, const struct vigil_config *old,
    const struct vigil_config *cfg, char *msg, size_t msglen)
{
	void *cursor = NULL;
	int rc;

	while ((rc = vrrp_engine_reload_part(e, old, cfg, msg, msglen,
	    &cursor, UINT64_MAX)) > 0)
		;
	return rc;
}

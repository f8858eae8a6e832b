/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Announcing a MASTER's VIPs: gratuitous ARPs / unsolicited NAs in rounds
 * (garp_master_delay, garp_master_repeat, garp_master_refresh(_repeat)),
 * again when a lower priority master is heard (garp_lower_prio_repeat
 * at once, and once more after garp_lower_prio_delay), each packet paced
 * per interface (vrrp_garp_interval / vrrp_gna_interval, garp_group);
 * and garp_extra_if: while MASTER, every so many seconds one GARP / NA on
 * each other interface its VIPs and eVIPs live on, so that switches keep
 * those MACs (they send no adverts).
 */
#include "autoconfig.h"

#include <string.h>

#include "loop.h"
#include "vrrp/arp.h"
#include "vrrp/config.h"
#include "vrrp/engine_priv.h"
#include "vrrp/garp_pace.h"
#include "vrrp/iface.h"

#define USEC_PER_SEC 1000000ULL

static int
param(int v, int global)
{
	return v == VRRP_UNSET ? global : v;
}

/* The pacing interval of ifc for family: its garp_group's, else the
 * global one. */
static uint64_t
interval_of(const struct vrrp_engine *e, const struct vrrp_iface *ifc,
    int family)
{
	const struct vrrp_conf *c = e->conf;

	for (const struct vrrp_garp_group_conf *g = c->garp_groups.first;
	    g != NULL; g = g->next)
		for (const struct vrrp_conf_track *t = g->interfaces.first;
		    t != NULL; t = t->next) {
			if (t->name == NULL || strcmp(t->name, ifc->name) != 0)
				continue;
			if (family == AF_INET && g->have_garp_interval)
				return g->garp_interval;
			if (family == AF_INET6 && g->have_gna_interval)
				return g->gna_interval;
		}
	return family == AF_INET ? c->g.garp_interval : c->g.gna_interval;
}

void
vrrp_announce_addr(struct vrrp_engine *e, const struct vrrp_iface *ifc,
    const struct vg_addr *a)
{
	if (e->pace != NULL)
		vrrp_pace_send(e->pace, ifc->index, ifc->mac, a,
		    interval_of(e, ifc, a->family));
	else if (e->arp != NULL)
		vrrp_arp_send(e->arp, ifc->index, ifc->mac, a);
}

static void
send_all(struct vrrp_engine *e, struct vrrp_inst *vi, int repeat)
{
	if (e->arp == NULL || e->ifaces == NULL)
		return;
	for (int r = 0; r < repeat; r++)
		for (const struct vrrp_conf_ipaddr *a = vi->conf->vips.first;
		    a != NULL; a = a->next) {
			int idx = vrrp_action_addr_ifindex(e, vi, a);
			const struct vrrp_iface *ifc =
			    vrrp_iface_by_index(e->ifaces, idx);

			if (ifc != NULL)
				vrrp_announce_addr(e, ifc, &a->p.addr);
		}
}

/* Round 0 at once, round 1 after garp_master_delay, then every
 * garp_master_refresh. */
void
vrrp_announce_round(struct vrrp_timers *tm)
{
	struct vrrp_engine *e = tm->e;
	struct vrrp_inst *vi = tm->vi;
	const struct vrrp_conf_garp_params *g = &vi->conf->p.garp,
	    *gg = &e->conf->g.garp;
	int delay = param(g->master_delay, gg->master_delay);
	int repeat = param(g->master_repeat, gg->master_repeat);
	int refresh = param(g->master_refresh, gg->master_refresh);
	int rrepeat = param(g->master_refresh_repeat,
	    gg->master_refresh_repeat);

	if (vi->state != VRRP_STATE_MASTER)
		return;
	if (tm->garp_round < 2) {
		send_all(e, vi, repeat > 0 ? repeat : 1);
		tm->garp_round++;
		if (tm->garp_round == 1 && delay > 0) {
			loop_timer_start(tm->garp, (uint64_t)delay *
			    USEC_PER_SEC, 0);
			return;
		}
		tm->garp_round = 2;
	} else
		send_all(e, vi, rrepeat > 0 ? rrepeat : 1);
	if (refresh > 0)
		loop_timer_start(tm->garp, (uint64_t)refresh * USEC_PER_SEC, 0);
}

/* garp_extra_if's seconds (0: off) and its "all": the instance's, else
 * vrrp_garp_extra_if's */
static int
extra_if(const struct vrrp_engine *e, const struct vrrp_inst *vi, int *all)
{
	const struct vrrp_conf_garp_params *g = &vi->conf->p.garp,
	    *gg = &e->conf->g.garp;

	if (g->extra_if != VRRP_UNSET) {
		*all = g->extra_if_all;
		return g->extra_if;
	}
	*all = gg->extra_if_all;
	return gg->extra_if;
}

#define EXTRA_IF_MAX 32		/* interfaces remembered per round */

/*
 * One round of garp_extra_if, as keepalived decides where: without "all"
 * only on vigil's own VMAC interfaces, with "all" on every interface of a
 * VIP or eVIP; never on the interface the adverts leave by (they refresh
 * it), unless vmac_xmit_base sends them by the base interface; one
 * announcement per interface, of its first address.
 */
void
vrrp_announce_extra(struct vrrp_timers *tm)
{
	struct vrrp_engine *e = tm->e;
	struct vrrp_inst *vi = tm->vi;
	const struct vrrp_conf_list *lists[2] = { &vi->conf->vips,
	    &vi->conf->evips };
	int all, secs = extra_if(e, vi, &all);
	int own = vi->ifindex, done[EXTRA_IF_MAX];
	unsigned ndone = 0, k;

	if (vi->state != VRRP_STATE_MASTER || secs <= 0 || e->ifaces == NULL)
		return;
	for (unsigned l = 0; l < 2; l++)
		for (const struct vrrp_conf_ipaddr *a = lists[l]->first;
		    a != NULL; a = a->next) {
			int idx = vrrp_action_addr_ifindex(e, vi, a);
			int ours = idx > 0 && (idx == vi->vmac_ifindex ||
			    (vi->nalinks > 0 && vrrp_conf_addr_vmac(vi->conf,
			    a)));
			const struct vrrp_iface *ifc;

			if ((!ours && !all) || (idx == own &&
			    !vi->conf->p.vmac_xmit_base))
				continue;
			for (k = 0; k < ndone && done[k] != idx; k++)
				;
			if (k < ndone || (ifc = vrrp_iface_by_index(e->ifaces,
			    idx)) == NULL)
				continue;
			vrrp_announce_addr(e, ifc, &a->p.addr);
			if (ndone < EXTRA_IF_MAX)
				done[ndone++] = idx;
		}
	loop_timer_start(tm->extra, (uint64_t)secs * USEC_PER_SEC, 0);
}

void
vrrp_announce_extra_retime(struct vrrp_engine *e, struct vrrp_inst *vi)
{
	struct vrrp_timers *tm = vi->timers;
	int all, secs = extra_if(e, vi, &all);

	if (tm == NULL || vi->state != VRRP_STATE_MASTER)
		return;
	if (secs <= 0)
		loop_timer_stop(tm->extra);
	else
		loop_timer_start(tm->extra, (uint64_t)secs * USEC_PER_SEC, 0);
}

void
vrrp_announce(struct vrrp_engine *e, struct vrrp_inst *vi)
{
	struct vrrp_timers *tm = vi->timers;
	int all, secs;

	if (tm == NULL)
		return;
	tm->garp_round = 0;
	vrrp_announce_round(tm);
	/* the first extra round one period after taking over, as
	 * keepalived's */
	if ((secs = extra_if(e, vi, &all)) > 0)
		loop_timer_start(tm->extra, (uint64_t)secs * USEC_PER_SEC, 0);
}

static int
lower_repeat(const struct vrrp_engine *e, const struct vrrp_inst *vi)
{
	return param(vi->conf->p.garp.lower_prio_repeat,
	    e->conf->g.garp.lower_prio_repeat);
}

void
vrrp_announce_lower(struct vrrp_engine *e, struct vrrp_inst *vi)
{
	struct vrrp_timers *tm = vi->timers;
	int repeat = lower_repeat(e, vi);
	int delay = param(vi->conf->p.garp.lower_prio_delay,
	    e->conf->g.garp.lower_prio_delay);

	if (repeat <= 0 || vi->state != VRRP_STATE_MASTER)
		return;
	send_all(e, vi, repeat);
	/* and a second set after garp_lower_prio_delay (once, however
	 * many lower adverts come meanwhile) */
	if (delay > 0 && tm != NULL && !loop_timer_pending(tm->lower))
		loop_timer_start(tm->lower, (uint64_t)delay * USEC_PER_SEC, 0);
}

void
vrrp_announce_lower_again(struct vrrp_timers *tm)
{
	int repeat = lower_repeat(tm->e, tm->vi);

	if (tm->vi->state == VRRP_STATE_MASTER && repeat > 0)
		send_all(tm->e, tm->vi, repeat);
}

void
vrrp_announce_stop(struct vrrp_engine *e, struct vrrp_inst *vi)
{
	struct vrrp_timers *tm = vi->timers;

	if (tm != NULL) {
		loop_timer_stop(tm->garp);
		loop_timer_stop(tm->lower);
		loop_timer_stop(tm->extra);
	}
	if (e->pace == NULL)
		return;
	for (const struct vrrp_conf_ipaddr *a = vi->conf->vips.first;
	    a != NULL; a = a->next)
		vrrp_pace_forget(e->pace, &a->p.addr);
}

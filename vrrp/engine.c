/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The VRRP engine's life cycle: start (adopting VIPs found in place),
 * reload (instances matched by identity keep their state, timers and
 * VIPs), stop (priority 0, VIPs released unless -V), and the events of
 * the kernel view and of tracking.
 */
#include "autoconfig.h"

#include <errno.h>
#include <net/if.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "htab.h"
#include "log.h"
#include "loop.h"
#include "proc.h"
#include "subsys.h"
#include "vrrp/arp.h"
#include "vrrp/config.h"
#include "vrrp/gap.h"
#include "vrrp/garp_pace.h"
#include "vrrp/engine_priv.h"
#include "vrrp/linkbeat.h"
#include "vrrp/iface.h"
#include "vrrp/fw.h"
#include "vrrp/notify.h"
#include "vrrp/socket.h"
#include "vrrp/static.h"
#include "vrrp/syncd.h"
#include "vrrp/track.h"
#include "vrrp/vip.h"
#include "vrrp/work.h"

/* One slice of queued work per turn of the loop: this many items (two
 * of an instance's VIPs, its GARPs of a round, a notify) or this long,
 * whichever first: an advert falling due waits at most about that. */
#define WORK_SLICE_ITEMS 16
#define WORK_SLICE_USEC 1000

static const struct vrrp_conf *
conf_of(const struct vigil_config *cfg)
{
	return cfg->conf[CONF_OWNER_VRRP];
}

/* ---- the links an instance tracks through its VIPs, routes and rules ---- */

/*
 * keepalived 2.2.7 (vrrp_complete_instance) tracks with weight 0 the
 * interface of each VIP and eVIP, the dev of each virtual_route and the
 * iif and oif of each virtual_rule: one missing or down puts the instance
 * in FAULT (it could not put the entry back there), unless the entry has
 * no_track. A VIP on the instance's own interface or its VMAC adds
 * nothing to the tracking of that interface, and none with
 * dont_track_primary (nor one on the lower link of the macvlan or ipvlan
 * it is configured on); a route's or rule's interface counts even then,
 * as keepalived's weight 0 overrides dont_track_primary's. A VIP without
 * a dev is on the instance's interface (one without an interface has
 * none to track); one on a VMAC of its own (use_vmac on the address,
 * use_vmac_addr) is tracked through that VMAC (engine_link.c).
 */
enum link_of { LINK_VIP, LINK_EVIP, LINK_ROUTE, LINK_RULE };

/* Called for each link tracked so; nonzero stops the walk. */
typedef int (*link_visit)(const struct vrrp_engine *e, const char *dev,
    enum link_of kind, const void *entry, void *arg);

/* The link an instance's adverts share a wire with: the lower link of a
 * macvlan or ipvlan it is configured on (one it did not make, whose
 * lower link can change: *changeable), else its interface; 0: none yet. */
static int
inst_wire(const struct vrrp_engine *e, const struct vrrp_inst *vi,
    int *changeable)
{
	const struct vrrp_iface *ifc;

	*changeable = 0;
	if (vi->base_ifindex <= 0 || e->ifaces == NULL ||
	    (ifc = vrrp_iface_by_index(e->ifaces, vi->base_ifindex)) == NULL)
		return 0;
	if (ifc->is_mac_child && ifc->link_index > 0) {
		*changeable = 1;
		return ifc->link_index;
	}
	return ifc->index;
}

/* Whether VIP dev is the instance's own interface as it tracks it. */
static int
vip_own_link(const struct vrrp_engine *e, const struct vrrp_inst *vi,
    const char *dev)
{
	const struct vrrp_instance_conf *c = vi->conf;
	const struct vrrp_iface *ifc;
	int wire, lower;

	if (conf_str_eq(dev, c->interface) || (vi->vmac_ifindex > 0 &&
	    strcmp(dev, vi->vmac_name) == 0))
		return 1;
	if (c->interface == NULL || !c->p.dont_track_primary)
		return 0;
	/* the lower link of the macvlan or ipvlan it is on */
	wire = inst_wire(e, vi, &lower);
	return lower && (ifc = vrrp_iface_by_name(e->ifaces, dev)) != NULL &&
	    ifc->index == wire;
}

static int
inst_links_each(const struct vrrp_engine *e, const struct vrrp_inst *vi,
    link_visit fn, void *arg)
{
	const struct vrrp_instance_conf *c = vi->conf;
	const struct vrrp_conf_list *lists[2] = { &c->vips, &c->evips };

	for (int l = 0; l < 2; l++)
		for (const struct vrrp_conf_ipaddr *a = lists[l]->first;
		    a != NULL; a = a->next)
			if (a->dev != NULL &&
			    !(a->p.flags & VRRP_IPA_NO_TRACK) &&
			    !vrrp_conf_addr_vmac(c, a) &&
			    !vip_own_link(e, vi, a->dev) &&
			    fn(e, a->dev, l == 0 ? LINK_VIP : LINK_EVIP, a,
			    arg))
				return 1;
	for (const struct vrrp_conf_route *r = c->routes.first; r != NULL;
	    r = r->next)
		if (r->dev != NULL && !(r->p.flags & VRRP_RT_NO_TRACK) &&
		    fn(e, r->dev, LINK_ROUTE, r, arg))
			return 1;
	for (const struct vrrp_conf_rule *r = c->rules.first; r != NULL;
	    r = r->next) {
		if (r->p.flags & VRRP_RU_NO_TRACK)
			continue;
		if ((r->iif != NULL && fn(e, r->iif, LINK_RULE, r, arg)) ||
		    (r->oif != NULL && fn(e, r->oif, LINK_RULE, r, arg)))
			return 1;
	}
	return 0;
}

static int
link_named(const struct vrrp_engine *e, const char *dev, enum link_of kind,
    const void *entry, void *arg)
{
	(void)e;
	(void)kind;
	(void)entry;
	return strcmp(dev, arg) == 0;
}

/* Whether vi tracks link name so. */
static int
inst_tracks_link(const struct vrrp_engine *e, const struct vrrp_inst *vi,
    const char *name)
{
	return inst_links_each(e, vi, link_named, (void *)(uintptr_t)name);
}

/* The entry, as the fault reason names it. */
static void
link_entry_name(enum link_of kind, const void *entry, char *buf,
    size_t len)
{
	char a[ADDR_STRLEN];

	switch (kind) {
	case LINK_VIP:
	case LINK_EVIP:
		snprintf(buf, len, "%s %s", kind == LINK_VIP ? "VIP" : "eVIP",
		    addr_ntop(&((const struct vrrp_conf_ipaddr *)entry)->p.addr,
		    a, sizeof(a)));
		break;
	case LINK_ROUTE: {
		const struct vrrp_conf_route *r = entry;

		if (r->p.dst_len == 0 && addr_is_unset(&r->p.dst))
			snprintf(buf, len, "virtual_route default");
		else
			snprintf(buf, len, "virtual_route %s/%u",
			    addr_ntop(&r->p.dst, a, sizeof(a)), r->p.dst_len);
		break;
	}
	case LINK_RULE:
		snprintf(buf, len, "the virtual_rule of line %u",
		    ((const struct vrrp_conf_rule *)entry)->loc.line);
		break;
	}
}

/* link_down's answer: the first tracked link missing or down. */
struct link_down {
	char why[VRRP_WHY_LEN];
};

static int
link_down(const struct vrrp_engine *e, const char *dev, enum link_of kind,
    const void *entry, void *arg)
{
	struct link_down *d = arg;
	const struct vrrp_iface *ifc = e->ifaces != NULL ?
	    vrrp_iface_by_name(e->ifaces, dev) : NULL;
	char what[96];

	if (ifc != NULL && ifc->up)
		return 0;
	link_entry_name(kind, entry, what, sizeof(what));
	snprintf(d->why, sizeof(d->why), "interface %s of %s is %s", dev,
	    what, ifc == NULL ? "not found" : "down");
	return 1;
}

/* FAULT (with its reason) while a link vi tracks so is missing or down. */
static void
inst_links_check(const struct vrrp_engine *e, struct vrrp_inst *vi)
{
	struct link_down d;

	if (!inst_links_each(e, vi, link_down, &d))
		return;
	vi->if_fault = 1;
	memcpy(vi->fault_why, d.why, sizeof(vi->fault_why));
}

/* ---- the instance's interface and source ---------------------------------- */

/*
 * The socket of an instance without an interface: bound to its source in
 * its VRF (vi->sock_ifindex, 0: none), opened again when either changed
 * (a reload, a VRF made again); FAULT when it cannot be opened, or the
 * address is not on this host yet (not tried then: tried again on an
 * address event once the kernel view has it).
 */
static void
attach_routed(struct vrrp_engine *e, struct vrrp_inst *vi)
{
	const struct vrrp_instance_conf *c = vi->conf;
	char a[ADDR_STRLEN];
	const char *why;
	int here = 1;

	if (vi->sock != NULL && vrrp_sock_bound_to(vi, vi->sock_ifindex,
	    &vi->src))
		return;
	vrrp_sock_detach(e->socks, vi);
	if (e->ifaces != NULL && !vrrp_iface_has_addr(e->ifaces, 0, &vi->src)) {
		here = 0;
		errno = EADDRNOTAVAIL;
	} else if (vrrp_sock_attach_bound(e->socks, vi, vi->sock_ifindex,
	    c->vrf, &vi->src) == 0)
		return;
	/* on the host but not bindable there: in another VRF than the
	 * instance's (or in one, for an instance in none) */
	if (errno != EADDRNOTAVAIL)
		why = strerror(errno);
	else if (!here)
		why = "the address is not on this host";
	else if (c->vrf != NULL)
		why = "the address is not in that VRF";
	else
		why = "the address is in a VRF (give the instance its vrf)";
	vi->if_fault = 1;
	snprintf(vi->fault_why, sizeof(vi->fault_why),
	    "no VRRP socket bound to unicast_src_ip %s%s%s: %s",
	    addr_ntop(&vi->src, a, sizeof(a)), c->vrf != NULL ? " in VRF " :
	    "", c->vrf != NULL ? c->vrf : "", why);
}

/*
 * A unicast instance without an interface, as keepalived 2.2.8 runs it
 * (2.2.7 refuses it):
 * its adverts go from unicast_src_ip where the kernel's routing takes
 * them; in FAULT while its VRF is missing, a link it tracks through its
 * VIPs, routes and rules is missing or down (inst_links_each) or, with
 * track_src_ip, its source address is not on the host; its socket
 * (attach_routed) follows.
 */
static void
resolve_routed(struct vrrp_engine *e, struct vrrp_inst *vi)
{
	const struct vrrp_instance_conf *c = vi->conf;
	const struct vrrp_iface *vrf = NULL;
	char a[ADDR_STRLEN];

	vi->ifindex = vi->base_ifindex = 0;
	vi->src = c->p.src_ip;
	vi->if_fault = 0;
	if (c->vrf != NULL && e->ifaces != NULL)
		vrf = vrrp_iface_by_name(e->ifaces, c->vrf);
	vi->sock_ifindex = vrf != NULL ? vrf->index : 0;
	if (c->vrf != NULL && vrf == NULL) {
		vrrp_sock_detach(e->socks, vi);
		vi->if_fault = 1;
		snprintf(vi->fault_why, sizeof(vi->fault_why),
		    "vrf %s not found", c->vrf);
		return;
	}
	inst_links_check(e, vi);
	if (!vi->if_fault && c->p.track_src_ip > 0 && e->ifaces != NULL &&
	    !vrrp_iface_has_addr(e->ifaces, 0, &vi->src)) {
		vi->if_fault = 1;
		snprintf(vi->fault_why, sizeof(vi->fault_why),
		    "track_src_ip: source address %s is gone",
		    addr_ntop(&vi->src, a, sizeof(a)));
	}
	if (e->socks != NULL)
		attach_routed(e, vi);
}

void
vrrp_engine_inst_resolve(struct vrrp_engine *e, struct vrrp_inst *vi)
{
	const struct vrrp_instance_conf *c = vi->conf;
	const struct vrrp_iface *ifc = NULL;
	struct vg_addr src;

	if (c->interface == NULL) {
		resolve_routed(e, vi);
		return;
	}

	if (c->interface != NULL && e->ifaces != NULL)
		ifc = vrrp_iface_by_name(e->ifaces, c->interface);
	vi->base_ifindex = ifc != NULL ? ifc->index : 0;
	if (ifc == NULL)
		snprintf(vi->fault_why, sizeof(vi->fault_why),
		    "interface %s not found", c->interface != NULL ?
		    c->interface : "(none)");
	else if (!ifc->up)
		snprintf(vi->fault_why, sizeof(vi->fault_why),
		    "interface %s is down", ifc->name);
	vi->if_fault = ifc == NULL || (!ifc->up && !c->p.dont_track_primary);
	if (c->p.unicast_fault_no_peer > 0 && c->unicast_peers.n == 0) {
		/* unicast with nobody to talk to: not a lone MASTER */
		vi->if_fault = 1;
		snprintf(vi->fault_why, sizeof(vi->fault_why),
		    "unicast_fault_no_peer: no unicast peer configured");
	}
	vrrp_engine_link_make(e, vi);
	vi->ifindex = vi->vmac_ifindex > 0 ? vi->vmac_ifindex :
	    vi->base_ifindex;
	/* adverts leave from the VMAC unless vmac_xmit_base */
	vi->sock_ifindex = vi->vmac_ifindex > 0 && !c->p.vmac_xmit_base ?
	    vi->vmac_ifindex : vi->base_ifindex;
	memset(&src, 0, sizeof(src));
	if (!addr_is_unset(&c->p.src_ip))
		src = c->p.src_ip;
	else if (ifc != NULL && (vi->sock_ifindex == vi->base_ifindex ||
	    c->p.family == AF_INET || vrrp_iface_primary(e->ifaces,
	    vi->sock_ifindex, c->p.family, &src) != 0))
		(void)vrrp_iface_primary(e->ifaces, ifc->index, c->p.family,
		    &src);
	vi->src = src;
	/* track_src_ip: no source address, no adverts: FAULT */
	if (c->p.track_src_ip > 0 && ifc != NULL && (addr_is_unset(&src) ||
	    !vrrp_iface_has_addr(e->ifaces, 0, &src))) {
		char s[ADDR_STRLEN];

		vi->if_fault = 1;
		if (addr_is_unset(&src))
			snprintf(vi->fault_why, sizeof(vi->fault_why),
			    "track_src_ip: %s has no address to send from",
			    ifc->name);
		else
			snprintf(vi->fault_why, sizeof(vi->fault_why),
			    "track_src_ip: source address %s is gone",
			    addr_ntop(&src, s, sizeof(s)));
	}
	if (!vi->if_fault)
		inst_links_check(e, vi);
}

void
vrrp_engine_inst_attach(struct vrrp_engine *e, struct vrrp_inst *vi)
{
	const struct vrrp_iface *ifc;

	/* one without an interface has its socket from resolve_routed */
	if (vi->sock != NULL || vi->sock_ifindex <= 0 ||
	    vi->conf->interface == NULL)
		return;
	/* a VMAC just made is in the view once its link event came */
	if ((ifc = vrrp_iface_by_index(e->ifaces, vi->sock_ifindex)) == NULL)
		return;
	if (vrrp_sock_attach(e->socks, vi, vi->sock_ifindex, ifc->name,
	    vi->conf->p.family, vrrp_action_group(e, vi)) < 0) {
		vi->if_fault = 1;
		snprintf(vi->fault_why, sizeof(vi->fault_why),
		    "no VRRP socket on %s", vi->conf->interface);
	}
}

/* Any of its VIPs already in the kernel. */
static int
inst_vips_present(const struct vrrp_engine *e, const struct vrrp_inst *vi)
{
	if (e->ifaces == NULL)
		return 0;
	for (const struct vrrp_conf_ipaddr *a = vi->conf->vips.first;
	    a != NULL; a = a->next)
		if (vrrp_iface_has_addr(e->ifaces, 0, &a->p.addr))
			return 1;
	return 0;
}

/* ---- tracking ----------------------------------------------------------- */

/* A member and the engine, for member_zero_link. */
struct member_of {
	const struct vrrp_engine *e;
	const struct vrrp_inst *vi;
};

/* Whether the member tracks link name with weight 0 itself: its
 * interface (unless dont_track_primary), the link of a VIP, eVIP,
 * virtual_route or virtual_rule of its (inst_links_each). */
static int
member_zero_link(const char *name, void *arg)
{
	const struct member_of *m = arg;
	const struct vrrp_instance_conf *c = m->vi->conf;

	if (c->interface != NULL && strcmp(c->interface, name) == 0 &&
	    !c->p.dont_track_primary)
		return 1;
	return inst_tracks_link(m->e, m->vi, name);
}

/*
 * The tracking lines of vi's sync group count as lines of each member, as
 * keepalived 2.2.7 adds them to every member (sync_group_tracking_init):
 * one down with weight 0 puts the member, and so the whole group, in
 * FAULT; a weighted one moves each member's priority. A weighted
 * track_interface on a link the member tracks with weight 0 itself
 * counts as weight 0 for that member (keepalived keeps one entry per
 * link and instance, and weight 0 wins): FAULT while down, its priority
 * unmoved; the other members' priorities move.
 */
static void
track_group(const struct vrrp_engine *e, const struct vrrp_inst *vi,
    struct vrrp_track_eval *ev)
{
	const struct vrrp_sync_group_conf *g;
	struct vrrp_track_eval gev;
	struct member_of m = { e, vi };

	if (vi->sync == NULL || (g = vi->sync->conf) == NULL)
		return;
	vrrp_track_eval_zero(e->track, &g->track_if, member_zero_link, &m,
	    &g->track_script, &g->track_file, &g->track_process, &gev);
	vrrp_track_eval_bfd(e->track, &g->track_bfd, &gev);
	if (gev.fault && !ev->fault) {
		ev->fault = 1;
		snprintf(ev->why, sizeof(ev->why), "sync group %.40s: %.100s",
		    g->name, gev.why);
	}
	ev->delta += gev.delta;
	ev->pending |= gev.pending;
}

int
vrrp_engine_inst_track(struct vrrp_engine *e, struct vrrp_inst *vi)
{
	const struct vrrp_instance_conf *c = vi->conf;
	struct vrrp_track_eval ev;
	unsigned old = vi->prio;
	int changed;

	memset(&ev, 0, sizeof(ev));
	if (e->track != NULL) {
		vrrp_track_eval(e->track, &c->track_if, &c->track_script,
		    &c->track_file, &c->track_process, &ev);
		vrrp_track_eval_bfd(e->track, &c->track_bfd, &ev);
		track_group(e, vi, &ev);
	}
	changed = vrrp_inst_set_tracking(vi, ev.fault, ev.delta, ev.why);
	if (vi->track_pending && !ev.pending)
		changed = 1;
	vi->track_pending = ev.pending;
	if (vi->prio != old) {
		log_info("%s: priority %u -> %u (tracking %+d)", vi->name, old,
		    vi->prio, vi->track_delta);
		if (e->notify != NULL && c->p.notify_priority_changes > 0)
			vrrp_notify_priority(e->notify, c, vi->state,
			    vi->prio);
		vrrp_action_report(e, vi);
	}
	return changed;
}

/* Start what waits: new instances, and those whose weight-0 scripts had
 * not reported yet (keepalived keeps them in INIT until they do). */
struct vrrp_inst *
vrrp_engine_start_from(struct vrrp_engine *e, struct vrrp_inst *vi,
    uint64_t budget)
{
	uint64_t t0 = loop_now_usec();

	while (vi != NULL) {
		if (vi->state == VRRP_STATE_INIT && !vi->track_pending)
			vrrp_fsm_start(&e->fsm, vi, inst_vips_present(e, vi));
		vi = vi->next;
		if (vi != NULL && budget != UINT64_MAX &&
		    loop_now_usec() - t0 >= budget)
			break;
	}
	return vi;
}

static void
engine_start_waiting(struct vrrp_engine *e)
{
	if (e->starting || e->reloading != NULL || e->adding != NULL)
		return;
	(void)vrrp_engine_start_from(e, e->insts, UINT64_MAX);
}

/* ---- one VRID twice on one wire --------------------------------------------- */

/* An instance's place in the check: its key, then its place in the
 * configuration. */
struct clash_ent {
	struct vrrp_inst *vi;
	int wire, changeable;
	unsigned order;
};

static int
clash_key_cmp(const struct clash_ent *a, const struct clash_ent *b,
    const struct vrrp_engine *e)
{
	const struct vrrp_instance_conf *x = a->vi->conf, *y = b->vi->conf;

	if (x->p.vrid != y->p.vrid)
		return x->p.vrid < y->p.vrid ? -1 : 1;
	if (x->p.family != y->p.family)
		return x->p.family < y->p.family ? -1 : 1;
	if (a->wire != b->wire)
		return a->wire < b->wire ? -1 : 1;
	return addr_cmp(vrrp_action_group(e, a->vi),
	    vrrp_action_group(e, b->vi));
}

static int
clash_cmp(const void *pa, const void *pb, void *arg)
{
	const struct clash_ent *a = pa, *b = pb;
	int r = clash_key_cmp(a, b, arg);

	if (r != 0)
		return r;
	return a->order < b->order ? -1 : a->order > b->order;
}

/* a and b (a first in the configuration) clash: the one that gives way
 * is, as keepalived 2.2.7's with allow_if_changes, the one on a macvlan
 * or ipvlan (a when both are). */
static void
clash_mark(const struct vrrp_engine *e, const struct clash_ent *a,
    const struct clash_ent *b)
{
	const struct clash_ent *loser = a->changeable ? a : b;
	const struct clash_ent *other = a->changeable ? b : a;
	const struct vrrp_iface *w = vrrp_iface_by_index(e->ifaces, a->wire);
	struct vrrp_inst *vi = loser->vi;

	if (vi->clash_fault)
		return;
	vi->clash_fault = 1;
	snprintf(vi->clash_why, sizeof(vi->clash_why),
	    "VRID %u for IPv%d is currently duplicated on %s (%s)",
	    vi->conf->p.vrid, vi->conf->p.family == AF_INET ? 4 : 6,
	    other->vi->name, w != NULL ? w->name : "?");
	/* the reason shown, unless another fault's is */
	if (!vi->clash_was && !vi->if_fault && !vi->track_fault &&
	    !vi->group_fault)
		memcpy(vi->fault_why, vi->clash_why, sizeof(vi->fault_why));
}

void
vrrp_engine_clash_check(struct vrrp_engine *e)
{
	struct clash_ent *v = e->clash, *x;
	struct vrrp_inst *vi;
	size_t n = 0, i, j, k;
	unsigned order = 0;

	if (e->clash_cap < e->ninsts) {
		if ((x = realloc(e->clash, e->ninsts * sizeof(*x))) == NULL)
			return;		/* checked again at the next update */
		e->clash = v = x;
		e->clash_cap = e->ninsts;
	}
	/* the multicast instances with an interface (unicast ones are told
	 * apart by their peers) */
	for (vi = e->insts; vi != NULL; vi = vi->next, order++) {
		vi->clash_was = vi->clash_fault;
		vi->clash_fault = 0;
		if (vi->conf->unicast_peers.n > 0 || n == e->clash_cap)
			continue;
		v[n].vi = vi;
		v[n].order = order;
		if ((v[n].wire = inst_wire(e, vi, &v[n].changeable)) != 0)
			n++;
	}
	qsort_r(v, n, sizeof(*v), clash_cmp, e);
	for (i = 0; i < n; i = j) {
		for (j = i + 1; j < n && clash_key_cmp(&v[i], &v[j], e) == 0;
		    j++)
			;
		for (k = i; k + 1 < j; k++)
			for (size_t l = k + 1; l < j; l++)
				clash_mark(e, &v[k], &v[l]);
	}
	for (vi = e->insts; vi != NULL; vi = vi->next) {
		if (vi->clash_fault && !vi->clash_was)
			log_warn("%s: %s: FAULT until that changes", vi->name,
			    vi->clash_why);
		else if (!vi->clash_fault && vi->clash_was &&
		    vi->base_ifindex > 0)
			log_info("%s: VRID %u is no longer duplicated on its "
			    "link", vi->name, vi->conf->p.vrid);
	}
}

void
vrrp_engine_update(struct vrrp_engine *e, const char *why)
{
	vrrp_engine_clash_check(e);
	engine_start_waiting(e);
	for (struct vrrp_inst *vi = e->insts; vi != NULL; vi = vi->next)
		if (vi->sync == NULL)
			vrrp_fsm_update(&e->fsm, vi, why);
	for (struct vrrp_sync *g = e->syncs; g != NULL; g = g->next)
		vrrp_sync_faults(g, &e->fsm, why);
	if (e->env->proc != NULL)
		proc_state_flush(e->env->proc);
}

static void
on_track_changed(void *arg)
{
	struct vrrp_engine *e = arg;

	/* a start or reload in parts tracks every instance at its end */
	if (e->stopping || e->reloading != NULL || e->adding != NULL)
		return;
	for (struct vrrp_inst *vi = e->insts; vi != NULL; vi = vi->next)
		vrrp_engine_inst_track(e, vi);
	vrrp_track_report(e->track, e->env->proc, 0);
	vrrp_engine_update(e, "tracking changed");
}

static int
tracks_bfd(const struct vrrp_conf_list *l, const char *name)
{
	for (const struct vrrp_conf_track *ln = l->first; ln != NULL;
	    ln = ln->next)
		if (strcmp(ln->name, name) == 0)
			return 1;
	return 0;
}

void
vrrp_engine_bfd(struct vrrp_engine *e, const char *name, const char *state)
{
	int up;

	if (e->track == NULL)
		return;
	if (vrrp_track_bfd(e->track, name, state) != 1) {
		/* first told, or told again (a start or reload): its
		 * record anyway */
		vrrp_track_report_bfd(e->track, e->env->proc, name);
		return;
	}
	up = vrrp_track_bfd_up(e->track, name);
	for (struct vrrp_inst *vi = e->insts; vi != NULL; vi = vi->next)
		if (tracks_bfd(&vi->conf->track_bfd, name) ||
		    (vi->sync != NULL && vi->sync->conf != NULL &&
		    tracks_bfd(&vi->sync->conf->track_bfd, name)))
			log_info("(%s) Tracked BFD instance %s is %s (%s)",
			    vi->name, name, up ? "UP" : "DOWN", state);
}

static void
seed_links(struct vrrp_engine *e, const struct vrrp_conf_list *l)
{
	for (const struct vrrp_conf_track *ln = l->first; ln != NULL;
	    ln = ln->next) {
		const struct vrrp_iface *ifc = vrrp_iface_by_name(e->ifaces,
		    ln->name);

		vrrp_track_link(e->track, ln->name, ifc != NULL && ifc->up);
	}
}

void
vrrp_engine_track_links(struct vrrp_engine *e)
{
	if (e->track == NULL || e->ifaces == NULL)
		return;
	for (const struct vrrp_instance_conf *i = e->conf->instances.first;
	    i != NULL; i = i->next)
		seed_links(e, &i->track_if);
	for (const struct vrrp_sync_group_conf *g = e->conf->sync_groups.first;
	    g != NULL; g = g->next)
		seed_links(e, &g->track_if);
}

/* ---- the kernel view ------------------------------------------------------ */

/*
 * Which instances a link event concerns, without walking every list of
 * every instance: each keeps the hashes of the link names its
 * configuration names (its interface, its vrf, its VIPs' and eVIPs' dev or
 * the interface their VMAC is on, its routes' dev, its rules' iif and
 * oif), built once per configuration; an event looks at an instance whose
 * hashes hold its name's, or one of whose VMACs has its index. At 1,000
 * instances of 10 VIPs each, an event on a link none of them names costs
 * a pass over 1,000 short arrays instead of 10,000 string compares, and no
 * state machine update.
 */
static void
lnames_add(struct vrrp_inst *vi, const char *name)
{
	size_t h;

	if (name == NULL || vi->lnames_many)
		return;
	h = htab_hash_str(name);
	for (unsigned k = 0; k < vi->nlnames; k++)
		if (vi->lnames[k] == h)
			return;
	if (vi->nlnames == VRRP_LNAMES_MAX) {
		vi->lnames_many = 1;	/* looked at for every event */
		return;
	}
	vi->lnames[vi->nlnames++] = h;
}

static void
lnames_build(struct vrrp_inst *vi)
{
	const struct vrrp_instance_conf *c = vi->conf;
	const struct vrrp_conf_list *lists[] = { &c->vips, &c->evips };

	vi->nlnames = 0;
	vi->lnames_many = 0;
	lnames_add(vi, c->interface);
	lnames_add(vi, c->vrf);
	for (unsigned l = 0; l < 2; l++)
		for (const struct vrrp_conf_ipaddr *a = lists[l]->first;
		    a != NULL; a = a->next) {
			lnames_add(vi, a->dev);
			if (vrrp_conf_addr_vmac(c, a))
				lnames_add(vi, vrrp_conf_addr_base(c, a));
		}
	for (const struct vrrp_conf_route *r = c->routes.first; r != NULL;
	    r = r->next)
		lnames_add(vi, r->dev);
	for (const struct vrrp_conf_rule *r = c->rules.first; r != NULL;
	    r = r->next) {
		lnames_add(vi, r->iif);
		lnames_add(vi, r->oif);
	}
	vi->lnames_ok = 1;
}

/* Whether the event for ifc (its name hashed: h) may concern vi. */
static int
link_concerns(struct vrrp_inst *vi, const struct vrrp_iface *ifc, size_t h)
{
	if (!vi->lnames_ok)
		lnames_build(vi);
	if (vi->lnames_many)
		return 1;
	for (unsigned k = 0; k < vi->nlnames; k++)
		if (vi->lnames[k] == h)
			return 1;
	if (vi->vmac_ifindex > 0 && vi->vmac_ifindex == ifc->index)
		return 1;
	for (unsigned k = 0; k < vi->nalinks; k++)
		if (vi->alinks[k].ifindex > 0 &&
		    vi->alinks[k].ifindex == ifc->index)
			return 1;
	return 0;
}

/* ifc, which vi's VIPs or its interface are on, is renamed while vi
 * holds them: vi goes to FAULT and they leave it now, while the old name
 * still finds the link (keepalived removes them from the renamed link
 * too). Its other links' and VMACs' wait for its FAULT. */
static void
rename_release(struct vrrp_engine *e, struct vrrp_inst *vi,
    const struct vrrp_iface *ifc)
{
	if (vi->state != VRRP_STATE_MASTER || !vi->vips_held ||
	    (!conf_str_eq(vi->conf->interface, ifc->name) &&
	    !inst_tracks_link(e, vi, ifc->name)))
		return;
	log_info("%s: interface %s renamed: its VIPs leave it", vi->name,
	    ifc->name);
	vrrp_action_vips_conf(e, vi, vi->conf, 0);
	vi->vips_held = 0;
}

static void
on_link(void *arg, const struct vrrp_iface *ifc, int gone)
{
	struct vrrp_engine *e = arg;
	int renamed = gone == VRRP_IFACE_RENAMED;
	size_t h = htab_hash_str(ifc->name);
	unsigned touched = 0;

	if (e->track != NULL)
		vrrp_track_link(e->track, ifc->name, !gone && ifc->up);
	for (struct vrrp_inst *vi = e->insts; vi != NULL; vi = vi->next) {
		int was = vi->if_fault;

		if (!link_concerns(vi, ifc, h))
			continue;
		touched++;
		if (renamed && !e->stopping)
			rename_release(e, vi, ifc);
		if (vi->vmac_ifindex > 0 && ifc->index == vi->vmac_ifindex) {
			if (gone) {
				vrrp_engine_link_gone(e, vi, ifc, gone);
				continue;
			}
			vrrp_engine_inst_resolve(e, vi);
			vrrp_engine_inst_attach(e, vi);
			if (vi->vmac_announce && ifc->up &&
			    vi->state == VRRP_STATE_MASTER) {
				vi->vmac_announce = 0;
				vrrp_action_announce_queue(e, vi);
			}
			continue;
		}
		if (vi->nalinks > 0 &&
		    vrrp_engine_link_addr_event(e, vi, ifc, gone)) {
			if (was != vi->if_fault)
				log_info("%s: %s", vi->name, vi->if_fault ?
				    vi->fault_why : "its VIPs' VMACs are up");
			continue;
		}
		/* a link it tracks (or the VRF of one without an
		 * interface) */
		if (!conf_str_eq(vi->conf->interface, ifc->name)) {
			if (conf_str_eq(vi->conf->vrf, ifc->name) ||
			    inst_tracks_link(e, vi, ifc->name)) {
				vrrp_engine_inst_resolve(e, vi);
				vrrp_engine_inst_attach(e, vi);
				if (was != vi->if_fault)
					log_info("%s: %s", vi->name,
					    vi->if_fault ? vi->fault_why :
					    vi->conf->vrf != NULL ? "its VRF "
					    "and the links it tracks are up" :
					    "the links it tracks are up");
			}
			continue;
		}
		if (gone) {
			vrrp_sock_detach(e->socks, vi);
			/* a VMAC goes with its interface; one on an
			 * interface renamed is deleted */
			vi->ifindex = vi->base_ifindex = vi->sock_ifindex = 0;
			if (renamed)
				vrrp_engine_link_own_drop(e, vi);
			else
				vrrp_engine_link_forget(e, vi);
			vi->if_fault = 1;
			snprintf(vi->fault_why, sizeof(vi->fault_why),
			    "interface %s is %s", ifc->name, renamed ?
			    "renamed" : "gone");
		} else {
			vrrp_engine_inst_resolve(e, vi);
			vrrp_engine_inst_attach(e, vi);
			vrrp_engine_link_vrf(e, vi);
		}
		if (was != vi->if_fault)
			log_info("%s: interface %s is %s", vi->name, ifc->name,
			    vi->if_fault ? "down" : "up");
	}
	/* a link no instance names: no state to move (a track_interface
	 * line's change updates them on its own, on_track_changed) */
	if (!e->stopping && touched > 0)
		vrrp_engine_update(e, renamed ? "interface renamed" :
		    gone ? "interface gone" : ifc->up ?
		    "interface up" : "interface down");
}

static int
addr_dirty(const struct vrrp_engine *e, int ifindex)
{
	if (e->addr_dirty_all)
		return 1;
	for (unsigned i = 0; i < e->addr_ndirty; i++)
		if (e->addr_dirty[i] == ifindex)
			return 1;
	return 0;
}

/*
 * The source addresses of the instances on the interfaces whose addresses
 * changed, once for every event read in a turn of the loop: a thousand
 * instances taking over add ten thousand VIPs, each an event, and an
 * instance's source address is the same after the last of them as after
 * each.
 */
static void
on_addr_settle(struct loop_timer *t, void *arg)
{
	struct vrrp_engine *e = arg;
	int faults = 0, deleted = e->addr_deleted;

	(void)t;
	if (e->stopping)
		return;
	for (struct vrrp_inst *vi = e->insts; vi != NULL; vi = vi->next) {
		int was = vi->if_fault;

		/* the primary (or, tracked, the configured) source address
		 * may have changed; one without an interface may now have
		 * the address its socket is bound to */
		if (vi->conf->interface == NULL)
			vrrp_engine_inst_resolve(e, vi);
		else if ((addr_dirty(e, vi->ifindex) ||
		    addr_dirty(e, vi->base_ifindex)) &&
		    (addr_is_unset(&vi->conf->p.src_ip) ||
		    vi->conf->p.track_src_ip > 0))
			vrrp_engine_inst_resolve(e, vi);
		faults += was != vi->if_fault;
	}
	e->addr_ndirty = 0;
	e->addr_dirty_all = 0;
	e->addr_deleted = 0;
	if (faults > 0)
		vrrp_engine_update(e, deleted ? "source address removed" :
		    "source address back");
}

static void
on_addr(void *arg, int ifindex, const struct vg_addr *a, unsigned prefix,
    int deleted)
{
	struct vrrp_engine *e = arg;

	(void)prefix;
	if (e->stopping)
		return;
	/* a VIP removed by hand goes back at once */
	for (struct vrrp_inst *vi = e->insts; deleted && vi != NULL;
	    vi = vi->next)
		if (vi->state == VRRP_STATE_MASTER && vi->vips_held &&
		    !vrrp_engine_link_going(e, vi, ifindex) &&
		    vrrp_action_vip_restore(e, vi, a, ifindex))
			break;
	if (!addr_dirty(e, ifindex)) {
		if (e->addr_ndirty < ADDR_DIRTY_MAX)
			e->addr_dirty[e->addr_ndirty++] = ifindex;
		else
			e->addr_dirty_all = 1;
	}
	e->addr_deleted |= deleted;
	if (e->addr_settle == NULL) {
		on_addr_settle(NULL, e);
		return;
	}
	if (!loop_timer_pending(e->addr_settle))
		loop_timer_start(e->addr_settle, 0, 0);
}

static void
on_resync(void *arg)
{
	struct vrrp_engine *e = arg;

	log_warn("kernel view re-read after an overrun: checking VIPs and "
	    "interfaces");
	for (struct vrrp_inst *vi = e->insts; vi != NULL; vi = vi->next) {
		vrrp_engine_inst_resolve(e, vi);
		vrrp_engine_inst_attach(e, vi);
		if (vi->state == VRRP_STATE_MASTER && vi->vips_held)
			vrrp_action_vips_queue(e, vi, 1);
	}
	vrrp_engine_update(e, "kernel view re-read");
}

static const struct vrrp_iface_cbs iface_cbs = {
	.link = on_link,
	.addr = on_addr,
	.resync = on_resync,
};

/* ---- adverts in ----------------------------------------------------------- */

static void
on_advert(void *arg, struct vrrp_inst *vi, const struct vrrp_pkt *p,
    int addrs_differ)
{
	struct vrrp_engine *e = arg;
	struct vrrp_fsm_adv adv;
	unsigned old_int;

	if (addrs_differ && (p->priority != vi->master_prio ||
	    addr_cmp(&p->ip.src, &vi->master_addr) != 0)) {
		char s[ADDR_STRLEN];

		log_warn("%s: advert from %s lists other addresses than ours",
		    vi->name, addr_ntop(&p->ip.src, s, sizeof(s)));
	}
	adv.priority = p->priority;
	adv.adver_int = p->adver_int;
	adv.src = p->ip.src;
	old_int = vi->master_adver_int;
	vrrp_fsm_recv(&e->fsm, vi, &adv);
	/* a shorter interval learned (VRRPv3): the delays of its interface
	 * fitted to it, as keepalived's update_master_adver_int */
	if (vi->master_adver_int < old_int && e->ifaces != NULL &&
	    vi->conf->interface != NULL)
		(void)vrrp_ifaces_fit_delays(e->ifaces, vi->conf->interface,
		    vi->name, vi->down_adverts,
		    (unsigned long long)vi->master_adver_int * 10000);
}

/* ---- instances and groups ------------------------------------------------- */

struct vrrp_inst *
vrrp_engine_inst_add(struct vrrp_engine *e, const struct vrrp_instance_conf *c)
{
	struct vrrp_inst *vi = vrrp_inst_new(c, e->conf), **pp;

	if (vi == NULL)
		return NULL;
	vi->owner = e;
	if (vrrp_action_timers_new(e, vi) < 0) {
		vrrp_inst_free(vi);
		return NULL;
	}
	for (pp = &e->insts; *pp != NULL; pp = &(*pp)->next)
		;
	*pp = vi;
	e->ninsts++;
	vrrp_engine_inst_resolve(e, vi);
	vrrp_engine_inst_attach(e, vi);
	vrrp_engine_inst_track(e, vi);
	return vi;
}

void
vrrp_engine_inst_remove(struct vrrp_engine *e, struct vrrp_inst *vi, int keep)
{
	struct vrrp_inst **pp;

	if (vi->sync != NULL)
		vrrp_sync_remove(vi->sync, vi);

	for (pp = &e->insts; *pp != NULL; pp = &(*pp)->next)
		if (*pp == vi) {
			*pp = vi->next;
			break;
		}
	e->ninsts--;
	/* what it queued (its VIPs' release) happens before it goes, and
	 * before its links: one another instance shares stays, with the
	 * other's VIPs only */
	vrrp_work_run_owner(e->work, vi);
	if (!keep)
		vrrp_engine_link_drop(e, vi);
	vrrp_engine_link_free(vi);
	vrrp_sock_detach(e->socks, vi);
	vrrp_action_timers_free(vi);
	vrrp_inst_free(vi);
}

struct vrrp_inst *
vrrp_engine_inst(const struct vrrp_engine *e, const char *name)
{
	for (struct vrrp_inst *vi = e->insts; vi != NULL; vi = vi->next)
		if (strcmp(vi->name, name) == 0)
			return vi;
	return NULL;
}

/* (Re)build the sync groups of the configuration, keeping the state of
 * those whose name stays. */
int
vrrp_engine_syncs_build(struct vrrp_engine *e)
{
	struct vrrp_sync *old = e->syncs, *g, **tail = &e->syncs;

	e->syncs = NULL;
	for (struct vrrp_inst *vi = e->insts; vi != NULL; vi = vi->next)
		vi->sync = NULL;
	for (const struct vrrp_sync_group_conf *c = e->conf->sync_groups.first;
	    c != NULL; c = c->next) {
		if ((g = vrrp_sync_new(c)) == NULL)
			return -1;
		for (struct vrrp_sync *o = old; o != NULL; o = o->next)
			if (strcmp(o->name, c->name) == 0) {
				g->state = o->state;
				memcpy(g->why, o->why, sizeof(g->why));
			}
		for (const struct vrrp_conf_track *m = c->members.first;
		    m != NULL; m = m->next) {
			struct vrrp_inst *vi = vrrp_engine_inst(e, m->name);

			if (vi != NULL)
				vrrp_sync_add(g, vi);
		}
		*tail = g;
		tail = &g->next;
	}
	while (old != NULL) {
		g = old->next;
		old->n = 0;
		vrrp_sync_free(old);
		old = g;
	}
	return 0;
}

static void
on_startup(struct loop_timer *t, void *arg)
{
	struct vrrp_engine *e = arg;

	(void)t;
	e->starting = 0;
	log_info("vrrp_startup_delay over: starting the instances");
	vrrp_engine_update(e, "startup delay over");
}

int
vrrp_engine_rt_defer(struct vrrp_engine *e, struct loop_timer *t)
{
	uint64_t now;

	if (e->conf->g.rt_priority <= 0)
		return 0;
	/* others waited a moment ago, in this turn of the loop: this one
	 * waits with them, without asking again (a thousand timers due at
	 * once: the asking would keep the child running) */
	now = loop_now_usec();
	if (e->down_deferred_at != 0 &&
	    now - e->down_deferred_at < VRRP_RT_PAUSE_USEC) {
		if (loop_timer_start(t, VRRP_RT_PAUSE_USEC, 0) == 0)
			return 1;
		return 0;
	}
	switch (vrrp_process_rt_need(e->down_cost)) {
	case VRRP_RT_RUN:
		return 0;
	case VRRP_RT_HERE:
		/* the loop did not sleep (events kept it busy): here, at
		 * once, even with an advert due (vrrp_engine_pause would
		 * wait for a gap, and the timers waiting here are deadlines
		 * of their own: there would be none) */
		vrrp_process_rt_sleep();
		return 0;
	default:
		if (loop_timer_start(t, VRRP_RT_PAUSE_USEC, 0) != 0)
			return 0;
		e->down_deferred_at = now;
		return 1;
	}
}

void
vrrp_engine_rt_took(struct vrrp_engine *e, uint64_t usec)
{
	if (usec > e->down_cost)
		e->down_cost = usec;
}

/* ---- lvs_sync_daemon ----------------------------------------------------- */

void
vrrp_engine_syncd_apply(struct vrrp_engine *e)
{
	const struct vrrp_conf_syncd *c = &e->conf->g.lvs_syncd;
	struct vrrp_inst *vi = NULL;

	if (c->set && c->instance != NULL)
		vi = vrrp_engine_inst(e, c->instance);
	if (e->syncd == NULL &&
	    (vi == NULL || (e->syncd = vrrp_syncd_new_kernel()) == NULL))
		return;
	vrrp_syncd_configure(e->syncd, vi != NULL ? c : NULL,
	    vi != NULL ? vi->state : VRRP_STATE_INIT);
	if (vi != NULL)
		vrrp_action_report(e, vi);
}

void
vrrp_engine_syncd_follow(struct vrrp_engine *e, struct vrrp_inst *vi)
{
	const char *name;

	if (e->syncd == NULL || e->stopping ||
	    (name = vrrp_syncd_instance(e->syncd)) == NULL ||
	    strcmp(name, vi->name) != 0)
		return;
	vrrp_syncd_follow(e->syncd, vi->state);
}

/* A start under way in parts: the next instance to add, then the next
 * to start (once all were added), and a copy of the hand-over (the
 * runtime's is valid during the start call only). */
struct vrrp_start {
	const struct vrrp_instance_conf *next;
	int added;
	struct vrrp_inst *start;
	struct proc_handover h;
	char data[];
};

static void
engine_free(struct vrrp_engine *e)
{
	vrrp_engine_link_names_free(e);
	free(e->clash);
	e->clash = NULL;
	vrrp_engine_reload_free(e->reloading);
	e->reloading = NULL;
	free(e->adding);
	e->adding = NULL;
	if (e->startup != NULL)
		loop_timer_free(e->startup);
	if (e->addr_settle != NULL)
		loop_timer_free(e->addr_settle);
	while (e->insts != NULL)
		vrrp_engine_inst_remove(e, e->insts, e->keep_on_stop);
	while (e->syncs != NULL) {
		struct vrrp_sync *g = e->syncs;

		e->syncs = g->next;
		g->n = 0;
		vrrp_sync_free(g);
	}
	vrrp_work_free(e->work);
	vrrp_socks_free(e->socks);
	vrrp_fw_free(e->fw, e->keep_on_stop);
	if (e->track != NULL)
		vrrp_track_free(e->track);
	if (e->notify != NULL)
		vrrp_notify_free(e->notify);
	vrrp_pace_free(e->pace);
	if (e->arp != NULL)
		vrrp_arp_free(e->arp);
	if (e->ifaces != NULL)
		vrrp_ifaces_free(e->ifaces);
	if (e->kernel != NULL)
		vrrp_kernel_free(e->kernel);
	vrrp_syncd_free(e->syncd);
	vrrp_process_stop();
	free(e);
}

/* The work queue's slices ask the same (vrrp_work_set_pause). */
static uint64_t
engine_work_pause(void *arg, uint64_t cost)
{
	return vrrp_engine_pause(arg, cost);
}

/* ... and end before an item that would run the child too long
 * (vrrp_work_set_rt). */
static int
engine_work_rt(void *arg, uint64_t *used, uint64_t *limit)
{
	(void)arg;
	return vrrp_process_rt_used(used, limit);
}

struct vrrp_engine *
vrrp_engine_start_begin(const struct proc_env *env,
    const struct vigil_config *cfg, const struct proc_handover *h)
{
	struct vrrp_engine *e = calloc(1, sizeof(*e));
	const struct vrrp_conf *c = conf_of(cfg);
	size_t hlen = h != NULL ? h->len : 0;

	if (e == NULL)
		return NULL;
	e->env = env;
	e->cfg = cfg;
	e->conf = c;
	e->fsm.ops = &vrrp_engine_ops;
	e->fsm.arg = e;
	e->keep_on_stop = (env->flags & PROC_F_DONT_RELEASE_VRRP) != 0;
	e->fsm.release_vips = (env->flags & PROC_F_RELEASE_VIPS) != 0;
	e->socks = vrrp_socks_new(env->base, on_advert, e);
	if (e->socks != NULL)
		vrrp_socks_configure(e->socks, &c->g);
	/* without it, each address event settles at once */
	e->addr_settle = loop_timer_new(env->base, on_addr_settle, e);
	e->work = vrrp_work_new(env->base, vrrp_action_work, e,
	    WORK_SLICE_ITEMS, WORK_SLICE_USEC);
	vrrp_action_work_names(e->work);
	e->kernel = vrrp_kernel_new(c->g.netlink_cmd_rcv_bufs,
	    c->g.netlink_cmd_rcv_bufs_force);
	e->ifaces = vrrp_ifaces_new(env->base, &iface_cbs, e,
	    c->g.netlink_monitor_rcv_bufs, c->g.netlink_monitor_rcv_bufs_force);
	e->arp = vrrp_arp_new();
	if (e->arp != NULL)
		e->pace = vrrp_pace_new(env->base, e->arp);
	e->notify = vrrp_notify_new(env);
	e->track = vrrp_track_new(env, on_track_changed, e);
	/* until the last instance is added: tracking changes wait and no
	 * instance starts */
	e->adding = malloc(sizeof(*e->adding) + hlen);
	if (e->socks == NULL || e->kernel == NULL || e->ifaces == NULL ||
	    e->work == NULL || e->adding == NULL) {
		log_err("VRRP: cannot reach the kernel; no instance started");
		engine_free(e);
		return NULL;
	}
	vrrp_engine_link_delays(e);
	vrrp_engine_linkbeat(e);
	*e->adding = (struct vrrp_start){ .next = c->instances.first };
	e->adding->h = (struct proc_handover){ e->adding->data, hlen,
	    h != NULL ? h->count : 0 };
	if (hlen > 0)
		memcpy(e->adding->data, h->data, hlen);
	vrrp_process_apply(env->base, c);
	/* realtime (vrrp_rt_priority, or max_auto_priority at any time):
	 * the queue sleeps before a slice that would run the child too long
	 * without blocking (RLIMIT_RTTIME), and a slice ends before an item
	 * that would; both answer at once while the child is not realtime */
	vrrp_process_auto_set(env->base, c, cfg->conf[CONF_OWNER_GLOBAL]);
	vrrp_work_set_pause(e->work, engine_work_pause);
	vrrp_work_set_rt(e->work, engine_work_rt);
	vrrp_process_warn_globals(c);
	if (e->notify != NULL)
		vrrp_notify_apply(e->notify, cfg);
	if (e->track != NULL) {
		vrrp_track_set_global(e->track, cfg->conf[CONF_OWNER_GLOBAL]);
		vrrp_track_apply(e->track, c);
	}
	/* the interface view tells of changes only: the links tracked are
	 * as they are now */
	vrrp_engine_track_links(e);
	vrrp_static_apply(e->kernel, e->ifaces, NULL, c);
	/* the firewall before any instance: a VMAC made in a part of the
	 * start is in its vmacs set before it joins the VRRP group, and no
	 * IGMP / MLD report leaves it with the virtual MAC */
	vrrp_action_fw_sync(e);
	return e;
}

/* Every instance added: the sync groups, the hand-over's overrides. 0,
 * or -1 out of memory (logged). */
static int
engine_start_groups(struct vrrp_engine *e, struct vrrp_start *st)
{
	const struct vrrp_conf *c = e->conf;

	if (vrrp_engine_syncs_build(e) < 0) {
		log_err("VRRP sync groups: out of memory");
		return -1;
	}
	/* their groups' tracking lines too, now that they are in them */
	for (struct vrrp_inst *vi = e->insts; vi != NULL; vi = vi->next)
		if (vi->sync != NULL)
			vrrp_engine_inst_track(e, vi);
	vrrp_command_handover(e, &st->h);
	for (struct vrrp_sync *g = e->syncs; g != NULL; g = g->next)
		vrrp_sync_faults(g, &e->fsm, "start");
	for (struct vrrp_inst *vi = e->insts; vi != NULL; vi = vi->next)
		if (vi->track_pending)
			log_info("%s: waiting for its tracking scripts' first "
			    "result", vi->name);
	if (c->g.startup_delay > 0 && (e->startup =
	    loop_timer_new(e->env->base, on_startup, e)) != NULL) {
		e->starting = 1;
		loop_timer_start(e->startup, c->g.startup_delay, 0);
		log_info("vrrp_startup_delay: instances start in %.2f s",
		    (double)c->g.startup_delay / 1e6);
	}
	/* keepalived starts the backup daemon as the instances start */
	vrrp_engine_syncd_apply(e);
	return 0;
}

int
vrrp_engine_start_part(struct vrrp_engine *e, uint64_t budget)
{
	struct vrrp_start *st = e->adding;
	uint64_t t0 = loop_now_usec();

	if (st == NULL)
		return 0;
	/* the work each part queues is the start's (the dump's bursts) */
	vrrp_work_cause(e->work, "start");
	/* the instances, a bounded time's worth (at least one) a part,
	 * then their groups, then they start, a bounded time's worth a
	 * part */
	if (st->next != NULL) {
		do {
			const struct vrrp_instance_conf *ic = st->next;

			st->next = ic->next;
			if (vrrp_engine_inst_add(e, ic) == NULL)
				log_err("%s: out of memory; not started",
				    ic->name);
		} while (st->next != NULL && loop_now_usec() - t0 < budget);
		if (budget != UINT64_MAX)
			return 1;
	}
	if (!st->added) {
		st->added = 1;
		if (engine_start_groups(e, st) < 0) {
			e->adding = NULL;
			free(st);
			return -1;
		}
		st->start = e->insts;
		vrrp_engine_clash_check(e);
		if (budget != UINT64_MAX && st->start != NULL)
			return 1;
	}
	if (!e->starting && st->start != NULL) {
		st->start = vrrp_engine_start_from(e, st->start, budget);
		if (e->env->proc != NULL)
			proc_state_flush(e->env->proc);
		if (st->start != NULL)
			return 1;
	}
	e->adding = NULL;
	free(st);
	vrrp_action_fw_sync(e);
	if (e->env->proc != NULL)
		proc_state_flush(e->env->proc);
	return 0;
}

struct vrrp_engine *
vrrp_engine_start(const struct proc_env *env, const struct vigil_config *cfg,
    const struct proc_handover *h)
{
	struct vrrp_engine *e = vrrp_engine_start_begin(env, cfg, h);

	if (e != NULL && vrrp_engine_start_part(e, UINT64_MAX) < 0) {
		engine_free(e);
		return NULL;
	}
	return e;
}

/* ---- stop, dump, snapshot --------------------------------------------------- */

void
vrrp_engine_stop(struct vrrp_engine *e)
{
	if (e == NULL)
		return;
	/* -V, or a restart by the parent (lib/proc.h): the next child
	 * adopts the VIPs, and no priority 0 hands the peer the master */
	if (e->env->flags & PROC_F_DONT_RELEASE_VRRP)
		e->keep_on_stop = 1;
	e->stopping = 1;
	for (struct vrrp_inst *vi = e->insts; vi != NULL; vi = vi->next)
		vrrp_fsm_stop(&e->fsm, vi, e->keep_on_stop, e->keep_on_stop ?
		    "stopping (-V: VIPs left in place)" : "stopping");
	/* every priority 0 advert is out; now the VIPs go */
	vrrp_work_flush(e->work);
	/* then each sync group stops, after its members (keepalived's
	 * order: the instances' STOP notifies, then the groups') */
	for (struct vrrp_sync *g = e->syncs; g != NULL; g = g->next) {
		g->state = VRRP_STATE_STOP;
		snprintf(g->why, sizeof(g->why), "stopping");
		if (e->notify != NULL)
			vrrp_notify_group(e->notify, g->conf, g->state);
		vrrp_action_report_group(e, g);
	}
	if (e->syncd != NULL)
		vrrp_syncd_stop(e->syncd);
	if (!e->keep_on_stop)
		vrrp_static_release(e->kernel, e->ifaces, e->conf);
	if (e->env->proc != NULL)
		proc_state_flush(e->env->proc);
	engine_free(e);
}

/* What follows the instances in the dump. */
static void
engine_dump_tail(const struct vrrp_engine *e, FILE *fp)
{
	for (const struct vrrp_sync *g = e->syncs; g != NULL; g = g->next)
		fprintf(fp, " VRRP Sync Group = %s, %s (%s)\n", g->name,
		    vrrp_state_name(g->state), g->why);
	vrrp_socks_dump(e->socks, fp);
	fprintf(fp, " VIPs restored after a removal by hand = %llu\n",
	    (unsigned long long)e->restored);
	fprintf(fp, " Adverts on schedule = %llu, latest %.3f ms, over 1 ms "
	    "late = %llu\n", (unsigned long long)e->adv_timed,
	    (double)e->adv_late_max / 1e3,
	    (unsigned long long)e->adv_late_1ms);
	vrrp_work_dump(e->work, fp);
	vrrp_process_rt_dump(fp);
	if (e->ifaces != NULL)
		fprintf(fp, " Kernel view overruns = %u\n",
		    vrrp_ifaces_overruns(e->ifaces));
	if (e->arp != NULL)
		fprintf(fp, " Gratuitous ARP / NA not sent = %u\n",
		    vrrp_arp_dropped(e->arp));
	if (e->pace != NULL)
		fprintf(fp, " Gratuitous ARP / NA waiting (pacing) = %u, "
		    "dropped (queue full) = %u\n", vrrp_pace_queued(e->pace),
		    vrrp_pace_dropped(e->pace));
	if (e->track != NULL)
		vrrp_track_dump(e->track, fp);
	if (e->syncd != NULL && vrrp_syncd_instance(e->syncd) != NULL) {
		char d[256];

		fprintf(fp, " LVS sync daemon = %s (follows %s)\n",
		    vrrp_syncd_describe(e->syncd, d, sizeof(d)),
		    vrrp_syncd_instance(e->syncd));
	}
}

enum { DUMP_ENGINE_INSTS, DUMP_ENGINE_TAIL, DUMP_CONF };

int
vrrp_engine_dump_part(const struct vrrp_engine *e, const struct vrrp_conf *c,
    FILE *fp, struct vrrp_engine_dump_cursor *cur, uint64_t budget)
{
	uint64_t t0 = loop_now_usec();
	const struct vrrp_inst *vi;

	switch (cur->phase) {
	case DUMP_ENGINE_INSTS:
		for (vi = cur->at != NULL ? cur->at : e->insts; vi != NULL; ) {
			vrrp_inst_dump(vi, fp);
			vi = vi->next;
			if (vi != NULL && loop_now_usec() - t0 >= budget) {
				cur->at = vi;
				return 1;
			}
		}
		cur->phase = DUMP_ENGINE_TAIL;
		cur->at = NULL;
		/* FALLTHROUGH */
	case DUMP_ENGINE_TAIL:
		engine_dump_tail(e, fp);
		cur->phase = DUMP_CONF;
		if (loop_now_usec() - t0 >= budget)
			return 1;
		/* FALLTHROUGH */
	default:
		return vrrp_conf_dump_part(c, fp, &cur->conf, budget);
	}
}

int
vrrp_engine_snapshot_part(struct vrrp_engine *e, void **cursor)
{
	uint64_t t0 = loop_now_usec();
	struct vrrp_inst *vi = *cursor != NULL ? *cursor : e->insts;

	for (; vi != NULL; vi = vi->next) {
		vrrp_action_report(e, vi);
		if (vi->next != NULL &&
		    loop_now_usec() - t0 >= VRRP_ENGINE_PART_USEC) {
			*cursor = vi->next;
			return 1;
		}
	}
	for (struct vrrp_sync *g = e->syncs; g != NULL; g = g->next)
		vrrp_action_report_group(e, g);
	vrrp_track_report(e->track, e->env->proc, 1);
	*cursor = NULL;
	return 0;
}

/*
 * How long work of cost usec that cannot be cut (the runtime's reload, a
 * snapshot) should wait to fall between adverts and master down timers,
 * with room to spare (a quarter of the cost and 1 ms; realtime: and the
 * sleeps vrrp_engine_pause may put before it): at most
 * VRRP_ENGINE_GAP_HORIZON_USEC.
 */
uint64_t
vrrp_engine_gap(const struct vrrp_engine *e, uint64_t cost)
{
	struct vrrp_gap_due *d;
	size_t n = 0;
	uint64_t wait;

	for (const struct vrrp_inst *vi = e->insts; vi != NULL; vi = vi->next)
		n += 2;
	if (n == 0 || (d = malloc(n * sizeof(*d))) == NULL)
		return 0;
	n = 0;
	for (const struct vrrp_inst *vi = e->insts; vi != NULL; vi = vi->next) {
		const struct vrrp_timers *tm = vi->timers;

		if (tm == NULL)
			continue;
		if (loop_timer_pending(tm->adver))
			d[n++] = (struct vrrp_gap_due){
			    loop_timer_due(tm->adver),
			    vi->adver_int * 10000ULL };
		if (loop_timer_pending(tm->down))
			d[n++] = (struct vrrp_gap_due){
			    loop_timer_due(tm->down), 0 };
	}
	wait = vrrp_gap_wait(d, n, loop_now_usec(), cost + cost / 4 + 1000 +
	    (e->conf->g.rt_priority > 0 ? 2 * VRRP_RT_PAUSE_USEC : 0),
	    VRRP_ENGINE_GAP_HORIZON_USEC);
	free(d);
	return wait;
}

uint64_t
vrrp_engine_pause(const struct vrrp_engine *e, uint64_t cost)
{
	/* VRRP_RT_RUN at once unless the child runs at a realtime priority
	 * (vrrp_rt_priority, or one max_auto_priority gave it) */
	switch (vrrp_process_rt_need(cost)) {
	case VRRP_RT_RUN:
		return 0;
	case VRRP_RT_HERE:
		/* the loop did not sleep: here, unless a deadline is too
		 * near for it (then the loop is asked again) */
		if (vrrp_engine_gap(e, VRRP_RT_PAUSE_USEC) == 0) {
			vrrp_process_rt_sleep();
			return 0;
		}
		/* FALLTHROUGH */
	default:
		return VRRP_RT_PAUSE_USEC;
	}
}


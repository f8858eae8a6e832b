/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the state machine does to the world, for the VRRP child: adverts
 * out of the instance's socket, libevent timers on the precise monotonic
 * clock, VIPs, routes and rules through rtnetlink, gratuitous ARP / NA,
 * state records to the parent, notify scripts and sync groups.
 */
#include "autoconfig.h"

#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log.h"
#include "loop.h"
#include "proc.h"
#include "vrrp/arp.h"
#include "vrrp/config.h"
#include "vrrp/engine_priv.h"
#include "vrrp/iface.h"
#include "vrrp/fw.h"
#include "vrrp/notify.h"
#include "vrrp/socket.h"
#include "vrrp/vip.h"
#include "vrrp/work.h"

#define USEC_PER_SEC 1000000ULL
/* Kernel operations (an address, a route, a rule through rtnetlink) done
 * together: a few tens of microseconds each, now and then a millisecond
 * (the kernel resizing its FIB trie), more while other processes hold
 * the kernel's routing lock. Those of a part go in one request
 * (vrrp/nl_batch.h), each answer taken on its own: an IPv4 address add
 * has the kernel walk every address of the namespace afterwards
 * (check_lifetime, in a worker that takes the CPU from the child), once
 * per request. A work item runs such parts until its slice has had its
 * time, and continues the rest as the queue's next item. */
#define VIPS_OPS_PER_PART 8

/* What the work queue holds (vrrp_action_work). */
enum {
	WORK_VIPS_ADD,		/* b: the first operation */
	WORK_VIPS_DEL,		/* b: the first operation */
	WORK_ANNOUNCE,		/* GARP / NA rounds, from the first */
	WORK_NOTIFY,		/* a: state, b: priority */
	WORK_ROUND,		/* the next GARP / NA round (garp timer) */
	WORK_LOWER,		/* a lower priority master was heard */
	WORK_LOWER_AGAIN,	/* garp_lower_prio_delay's second set */
	WORK_EXTRA		/* a garp_extra_if round */
};

/* Their names in the data dump. */
static const char *const work_kinds[] = {
	[WORK_VIPS_ADD] = "vip-add",
	[WORK_VIPS_DEL] = "vip-del",
	[WORK_ANNOUNCE] = "garp-first",
	[WORK_NOTIFY] = "notify",
	[WORK_ROUND] = "garp-round",
	[WORK_LOWER] = "garp-lower-prio",
	[WORK_LOWER_AGAIN] = "garp-lower-prio-again",
	[WORK_EXTRA] = "garp-extra-if",
};

static int
vips_kind(int add)
{
	return add ? WORK_VIPS_ADD : WORK_VIPS_DEL;
}

/* Queue kind for vi; if the queue cannot take it, run it now. */
static void
work_push(struct vrrp_engine *e, struct vrrp_inst *vi, int kind)
{
	if (vrrp_work_push(e->work, vi, kind, 0, 0) < 0)
		vrrp_action_work(e, vi, kind, 0, 0);
}

static struct vrrp_timers *
timers_of(struct vrrp_inst *vi)
{
	return vi->timers;
}

/* ---- timers ----------------------------------------------------------- */

/* How late the advert timer ran against its schedule (the first advert
 * of a MASTER is sent by the transition, not by this timer). */
static void
adver_lateness(struct vrrp_engine *e, struct loop_timer *t)
{
	uint64_t due = loop_timer_fired(t), now, late;

	if (due == 0)
		return;
	now = loop_now_usec();
	late = now > due ? now - due : 0;
	e->adv_timed++;
	if (late > e->adv_late_max)
		e->adv_late_max = late;
	if (late > 1000)
		e->adv_late_1ms++;
	vrrp_process_late(late);
}

static void
on_adver(struct loop_timer *t, void *arg)
{
	struct vrrp_timers *tm = arg;

	adver_lateness(tm->e, t);
	vrrp_fsm_adver_timer(&tm->e->fsm, tm->vi);
}

static void
on_down(struct loop_timer *t, void *arg)
{
	struct vrrp_timers *tm = arg;
	uint64_t t0;

	/* a mass takeover: a thousand of them due at once */
	if (vrrp_engine_rt_defer(tm->e, t))
		return;
	t0 = loop_now_usec();
	vrrp_fsm_down_timer(&tm->e->fsm, tm->vi);
	vrrp_engine_rt_took(tm->e, loop_now_usec() - t0);
}

/* The GARP / NA timers send nothing themselves: a round of a thousand
 * instances' VIPs is queued work, sent in slices between adverts. */
static void
on_garp(struct loop_timer *t, void *arg)
{
	struct vrrp_timers *tm = arg;

	(void)t;
	work_push(tm->e, tm->vi, WORK_ROUND);
}

static void
on_lower(struct loop_timer *t, void *arg)
{
	struct vrrp_timers *tm = arg;

	(void)t;
	work_push(tm->e, tm->vi, WORK_LOWER_AGAIN);
}

static void
on_extra(struct loop_timer *t, void *arg)
{
	struct vrrp_timers *tm = arg;

	(void)t;
	work_push(tm->e, tm->vi, WORK_EXTRA);
}

int
vrrp_action_timers_new(struct vrrp_engine *e, struct vrrp_inst *vi)
{
	struct vrrp_timers *tm = calloc(1, sizeof(*tm));
	struct event_base *b = e->env->base;

	if (tm == NULL)
		return -1;
	tm->e = e;
	tm->vi = vi;
	tm->adver = loop_timer_new(b, on_adver, tm);
	tm->down = loop_timer_new(b, on_down, tm);
	tm->garp = loop_timer_new(b, on_garp, tm);
	tm->lower = loop_timer_new(b, on_lower, tm);
	tm->extra = loop_timer_new(b, on_extra, tm);
	vi->timers = tm;
	/* adverts owed and down timers go before queued work; an advert
	 * owed goes before down timers too (a thousand of them due at a
	 * mass takeover, each making its instance MASTER) */
	if (tm->adver == NULL || tm->down == NULL || tm->garp == NULL ||
	    tm->lower == NULL || tm->extra == NULL ||
	    loop_timer_set_priority(tm->adver, LOOP_PRIO_URGENT) != 0 ||
	    loop_timer_set_priority(tm->down, LOOP_PRIO_HIGH) != 0) {
		vrrp_action_timers_free(vi);
		return -1;
	}
	return 0;
}

void
vrrp_action_timers_free(struct vrrp_inst *vi)
{
	struct vrrp_timers *tm = timers_of(vi);

	if (tm == NULL)
		return;
	if (tm->adver != NULL)
		loop_timer_free(tm->adver);
	if (tm->down != NULL)
		loop_timer_free(tm->down);
	if (tm->garp != NULL)
		loop_timer_free(tm->garp);
	if (tm->lower != NULL)
		loop_timer_free(tm->lower);
	if (tm->extra != NULL)
		loop_timer_free(tm->extra);
	free(tm);
	vi->timers = NULL;
}

static uint64_t
op_now(void *arg)
{
	(void)arg;
	return loop_now_usec();
}

static void
op_adver_timer(void *arg, struct vrrp_inst *vi, uint64_t usec)
{
	struct vrrp_timers *tm = timers_of(vi);

	(void)arg;
	if (tm == NULL)
		return;
	if (usec == 0)
		loop_timer_stop(tm->adver);
	else
		loop_timer_start(tm->adver, usec, 1);
}

static void
op_down_timer(void *arg, struct vrrp_inst *vi, uint64_t usec)
{
	struct vrrp_timers *tm = timers_of(vi);

	(void)arg;
	if (tm == NULL)
		return;
	if (usec == 0)
		loop_timer_stop(tm->down);
	else
		loop_timer_start(tm->down, usec, 0);
}

/* ---- adverts ------------------------------------------------------------ */

static int
send_to(struct vrrp_engine *e, struct vrrp_inst *vi, unsigned prio,
    const struct vg_addr *dst)
{
	const struct vrrp_instance_conf *c = vi->conf;
	unsigned char buf[VRRP_PKT_MAX];
	struct vrrp_pkt_out o;
	static uint16_t ip_id;
	size_t len;

	memset(&o, 0, sizeof(o));
	o.version = c->p.version;
	o.vrid = c->p.vrid;
	o.priority = prio;
	o.adver_int = vi->adver_int;
	o.ip.family = c->p.family;
	o.ip.src = vi->src;
	o.ip.dst = *dst;
	o.ip.ttl = vrrp_sock_unicast_ttl(c) >= 0 ? vrrp_sock_unicast_ttl(c) :
	    VRRP_TTL;
	o.vips = vi->vaddrs;
	o.nvips = vi->nvaddrs;
	o.auth_type = (enum vrrp_auth)c->p.auth_type;
	o.auth_pass = (const unsigned char *)c->p.auth_pass;
	o.ah_key = (const unsigned char *)c->p.auth_pass;
	o.ah_key_len = strnlen(c->p.auth_pass, VRRP_AUTH_PASS_LEN);
	if (o.auth_type == VRRP_PKT_AUTH_AH)
		o.ah_seq = vrrp_pkt_ah_next_seq(&vi->ah_seq);
	o.ip_id = ++ip_id;
	o.old_checksum = c->p.old_unicast_checksum == 1;
	o.mcast_group = c->p.family == AF_INET ? &e->conf->g.mcast_group4 :
	    &e->conf->g.mcast_group6;
	len = vrrp_pkt_build(buf, sizeof(buf), &o);
	if (len == 0) {
		vi->tx_dropped++;
		return -1;
	}
	return vrrp_sock_send(vi, buf, len, &vi->src, dst);
}

const struct vg_addr *
vrrp_action_group(const struct vrrp_engine *e, const struct vrrp_inst *vi)
{
	const struct vrrp_instance_conf *c = vi->conf;

	if (!addr_is_unset(&c->p.mcast_dst))
		return &c->p.mcast_dst;
	return c->p.family == AF_INET ? &e->conf->g.mcast_group4 :
	    &e->conf->g.mcast_group6;
}

static void
op_send_advert(void *arg, struct vrrp_inst *vi, unsigned prio)
{
	struct vrrp_engine *e = arg;
	const struct vrrp_conf_peer *p;

	if (addr_is_unset(&vi->src)) {
		vi->tx_dropped++;
		return;
	}
	if (vi->conf->unicast_peers.n == 0) {
		send_to(e, vi, prio, vrrp_action_group(e, vi));
		return;
	}
	for (p = vi->conf->unicast_peers.first; p != NULL; p = p->next)
		send_to(e, vi, prio, &p->addr);
}

/* ---- addresses ---------------------------------------------------------- */

int
vrrp_action_ifindex(const struct vrrp_engine *e, const struct vrrp_inst *vi,
    const char *dev)
{
	const struct vrrp_iface *ifc;

	if (dev == NULL)
		return vi->ifindex;
	ifc = e->ifaces != NULL ? vrrp_iface_by_name(e->ifaces, dev) : NULL;
	return ifc != NULL ? ifc->index : 0;
}

int
vrrp_action_addr_ifindex(const struct vrrp_engine *e,
    const struct vrrp_inst *vi, const struct vrrp_conf_ipaddr *a)
{
	const struct vrrp_instance_conf *c = vi->conf;

	if (vi->nalinks > 0 && vrrp_conf_addr_vmac(c, a))
		return vrrp_engine_link_addr_ifindex(e, vi, a);
	/* keepalived: on the instance's interface (dev naming it or no
	 * dev), its VMAC, which carries its family only */
	if (c->p.use_vmac && !c->p.use_ipvlan &&
	    (a->dev == NULL || conf_str_eq(a->dev, c->interface)))
		return a->p.addr.family == c->p.family ? vi->ifindex :
		    vi->base_ifindex;
	return vrrp_action_ifindex(e, vi, a->dev);
}

/* ---- firewalling (accept mode off) ------------------------------------------- */

/* The families of c's VIPs and eVIPs: all (vmac 0), or those on VMACs of
 * their own (vmac 1). */
static unsigned
fams_of(const struct vrrp_instance_conf *c, int vmac)
{
	const struct vrrp_conf_list *lists[] = { &c->vips, &c->evips };
	unsigned fams = 0;

	for (unsigned l = 0; l < 2; l++)
		for (const struct vrrp_conf_ipaddr *a = lists[l]->first;
		    a != NULL; a = a->next)
			if (!vmac || vrrp_conf_addr_vmac(c, a))
				fams |= a->p.addr.family == AF_INET6 ?
				    VRRP_IPT_V6 : VRRP_IPT_V4;
	return fams;
}

unsigned
vrrp_action_fams(const struct vrrp_instance_conf *c)
{
	return fams_of(c, 0);
}

int
vrrp_action_blocks(const struct vrrp_engine *e,
    const struct vrrp_instance_conf *c)
{
	int strict = c->p.strict_mode != VRRP_UNSET ? c->p.strict_mode :
	    e->conf->g.strict;
	int accept = c->p.accept != VRRP_UNSET ? c->p.accept : !strict;

	return !accept && c->p.priority != VRRP_PRIO_OWNER;
}

void
vrrp_action_block_addr(struct vrrp_engine *e, const struct vrrp_inst *vi,
    const struct vrrp_conf_ipaddr *a, int add)
{
	int idx = vrrp_action_addr_ifindex(e, vi, a);
	const struct vrrp_iface *ifc = idx > 0 && e->ifaces != NULL ?
	    vrrp_iface_by_index(e->ifaces, idx) : NULL;

	if (e->fw != NULL)
		vrrp_fw_addr(e->fw, &a->p.addr, idx, ifc != NULL ?
		    ifc->name : a->dev, add);
}

void
vrrp_action_block(struct vrrp_engine *e, const struct vrrp_inst *vi,
    const struct vrrp_instance_conf *c, int add)
{
	const struct vrrp_conf_list *lists[] = { &c->vips, &c->evips };

	/* taking out what is not there is harmless: whatever decided it
	 * when they went in (a reload may have changed it) */
	if (e->fw == NULL || (add && !vrrp_action_blocks(e, c)))
		return;
	for (unsigned l = 0; l < 2; l++)
		for (const struct vrrp_conf_ipaddr *a = lists[l]->first;
		    a != NULL; a = a->next)
			vrrp_action_block_addr(e, vi, a, add);
}

/* The firewall's parameters from the configuration: which backend, and
 * for iptables the families of the VIPs blocked and whether VMACs may
 * exist (their IGMP / MLD drop). Whether any instance blocks. */
static int
fw_params(const struct vrrp_engine *e, struct vrrp_fw_params *p)
{
	const struct vrrp_conf_globals *g = &e->conf->g;
	int wanted = 0;

	memset(p, 0, sizeof(*p));
	p->nft.table = g->nft_table;
	p->nft.priority = g->nft_priority;
	p->nft.counters = g->nft_counters;
	p->nft.ifindex_keys = g->nft_ifindex;
	/* nftables wins over vrrp_iptables (vrrp_process_warn_globals) */
	p->use_ipt = g->iptables_loc.file != NULL && !g->use_nftables;
	p->ipt_loc = g->iptables_loc;
	p->ipt.in = g->iptables_in;
	p->ipt.out = g->iptables_out;
	p->ipt.no_sets = g->ipsets_loc.file != NULL && g->ipsets[0] == NULL;
	for (unsigned k = 0; k < 5; k++)
		p->ipt.sets[k] = g->ipsets[k];
	p->ipt.base = e->env->base;
	p->ipt.reaper = e->env->reaper;
	/* from the configuration, not the instances made so far: at the
	 * start the firewall (and its IGMP / MLD drop for the VMACs) comes
	 * before the first VMAC joins a group (the start goes in parts) */
	for (const struct vrrp_instance_conf *ic = e->conf->instances.first;
	    ic != NULL; ic = ic->next) {
		int blocks = vrrp_action_blocks(e, ic);
		unsigned fams = vrrp_action_fams(ic);

		wanted |= blocks;
		if (blocks)
			p->ipt.fams |= fams;
		/* every VMAC goes in the IGMP / MLD drop (engine_link.c) */
		if (ic->p.use_vmac && !ic->p.use_ipvlan)
			p->ipt.vmac_fams |= fams;
		p->ipt.vmac_fams |= fams_of(ic, 1);
	}
	return wanted;
}

void
vrrp_action_fw_sync(struct vrrp_engine *e)
{
	struct vrrp_fw_params p;
	int wanted = fw_params(e, &p);

	if (e->fw != NULL && (!wanted || !vrrp_fw_same(e->fw, &p))) {
		vrrp_fw_free(e->fw, 0);
		e->fw = NULL;
	}
	if (!wanted || e->fw != NULL)
		return;
	if ((e->fw = vrrp_fw_new(&p)) == NULL)
		return;
	for (struct vrrp_inst *vi = e->insts; vi != NULL; vi = vi->next) {
		if (vi->vips_held)
			vrrp_action_block(e, vi, vi->conf, 1);
		vrrp_engine_link_fw(e, vi);
	}
}

/*
 * The kernel operations that add (or remove) c's VIPs, routes and rules,
 * numbered so that a long list can be done a few at a time: adding, the
 * firewall's block (all of them, blocked before they answer), the VIPs,
 * the eVIPs, the routes, the rules; removing, the lists the other way
 * round (each in its own order), the unblock last (once they are gone).
 */
static unsigned
vips_ops(const struct vrrp_instance_conf *c)
{
	return 1 + c->vips.n + c->evips.n + c->routes.n + c->rules.n;
}

static void
addr_op(struct vrrp_engine *e, struct vrrp_inst *vi,
    const struct vrrp_conf_list *l, unsigned k, int add,
    struct vrrp_nl_batch *b)
{
	const struct vrrp_conf_ipaddr *a = l->first;
	int idx;

	while (a != NULL && k-- > 0)
		a = a->next;
	if (a == NULL || (idx = vrrp_action_addr_ifindex(e, vi, a)) <= 0)
		return;
	vrrp_vip_batch_add(e->kernel, b, a, idx, add);
}

static void
route_op(struct vrrp_engine *e, struct vrrp_inst *vi,
    const struct vrrp_conf_list *l, unsigned k, int add,
    struct vrrp_nl_batch *b)
{
	const struct vrrp_conf_route *r = l->first;

	while (r != NULL && k-- > 0)
		r = r->next;
	if (r != NULL)
		vrrp_route_batch_add(e->kernel, b, r, vi->ifindex, add);
}

static void
rule_op(struct vrrp_engine *e, const struct vrrp_conf_list *l, unsigned k,
    int add, struct vrrp_nl_batch *b)
{
	const struct vrrp_conf_rule *r = l->first;

	while (r != NULL && k-- > 0)
		r = r->next;
	if (r != NULL)
		vrrp_rule_batch_add(e->kernel, b, r, add);
}

/* Operation k of vips_ops(c); an address, a route or a rule is queued in
 * b (the kernel runs a batch's requests in order), sent before the
 * firewall's block is done. */
static void
vips_op(struct vrrp_engine *e, struct vrrp_inst *vi,
    const struct vrrp_instance_conf *c, int add, unsigned k,
    struct vrrp_nl_batch *b)
{
	unsigned n = vips_ops(c);

	if (k >= n)
		return;
	if (!add)
		k = n - 1 - k;		/* lists backwards, items forwards */
	if (k >= 1 && k - 1 < c->vips.n + c->evips.n) {
		k--;
		if (k < c->vips.n)
			addr_op(e, vi, &c->vips, add ? k : c->vips.n - 1 - k,
			    add, b);
		else {
			k -= c->vips.n;
			addr_op(e, vi, &c->evips, add ? k : c->evips.n - 1 -
			    k, add, b);
		}
		return;
	}
	if (k == 0) {
		vrrp_nl_batch_send(e->kernel, b);
		vrrp_action_block(e, vi, c, add);
		return;
	}
	k -= 1 + c->vips.n + c->evips.n;
	if (k < c->routes.n) {
		route_op(e, vi, &c->routes, add ? k : c->routes.n - 1 - k,
		    add, b);
		return;
	}
	k -= c->routes.n;
	rule_op(e, &c->rules, add ? k : c->rules.n - 1 - k, add, b);
}

/* Operations from..to of vips_ops(c), in order. */
static void
vips_ops_run(struct vrrp_engine *e, struct vrrp_inst *vi,
    const struct vrrp_instance_conf *c, int add, unsigned from, unsigned to)
{
	struct vrrp_nl_batch b;

	memset(&b, 0, sizeof(b));
	for (unsigned k = from; k < to; k++)
		vips_op(e, vi, c, add, k, &b);
	vrrp_nl_batch_send(e->kernel, &b);
}

void
vrrp_action_vips_conf(struct vrrp_engine *e, struct vrrp_inst *vi,
    const struct vrrp_instance_conf *c, int add)
{
	if (e->kernel != NULL)
		vips_ops_run(e, vi, c, add, 0, vips_ops(c));
}

/* A work item of the VIPs: operations from on, VIPS_OPS_PER_PART at a
 * time while the slice has time, the rest continued as the queue's next
 * item. */
static void
vips_work(struct vrrp_engine *e, struct vrrp_inst *vi, int add,
    unsigned from)
{
	const struct vrrp_instance_conf *c = vi->conf;
	unsigned n = vips_ops(c), to;

	if (e->kernel == NULL)
		return;
	for (; from < n; from = to) {
		to = from + VIPS_OPS_PER_PART < n ? from + VIPS_OPS_PER_PART :
		    n;
		vips_ops_run(e, vi, c, add, from, to);
		if (to < n && vrrp_work_slice_over(e->work)) {
			if (vrrp_work_push_front(e->work, vi, vips_kind(add),
			    0, (int)to) == 0)
				return;
		}
	}
}

static void
op_vips(void *arg, struct vrrp_inst *vi, int add)
{
	struct vrrp_engine *e = arg;
	struct vrrp_timers *tm = timers_of(vi);

	log_info("%s: %s %u VIP(s), %u route(s), %u rule(s)", vi->name,
	    add ? "adding" : "removing", vi->conf->vips.n + vi->conf->evips.n,
	    vi->conf->routes.n, vi->conf->rules.n);
	if (!add && tm != NULL)
		vrrp_announce_stop(e, vi);
	vrrp_work_cause(e->work, add ? "takeover" : "release");
	vrrp_action_vips_queue(e, vi, add);
}

void
vrrp_action_vips_queue(struct vrrp_engine *e, struct vrrp_inst *vi, int add)
{
	if (vrrp_work_push(e->work, vi, vips_kind(add), 0, 0) < 0)
		vrrp_action_vips_conf(e, vi, vi->conf, add);
}

int
vrrp_action_vip_restore(struct vrrp_engine *e, struct vrrp_inst *vi,
    const struct vg_addr *a, int ifindex)
{
	const struct vrrp_conf_list *lists[] = { &vi->conf->vips,
		&vi->conf->evips };

	for (unsigned l = 0; l < 2; l++)
		for (const struct vrrp_conf_ipaddr *v = lists[l]->first;
		    v != NULL; v = v->next) {
			char s[ADDR_STRLEN];
			int idx = vrrp_action_addr_ifindex(e, vi, v);

			if (idx != ifindex || addr_cmp(&v->p.addr, a) != 0 ||
			    (v->p.flags & VRRP_IPA_NO_TRACK))
				continue;
			log_warn("%s: VIP %s was removed from its interface "
			    "while MASTER: putting it back", vi->name,
			    addr_ntop(a, s, sizeof(s)));
			e->restored++;
			if (vrrp_vip_add(e->kernel, v, idx) == 0 &&
			    e->ifaces != NULL && e->arp != NULL) {
				const struct vrrp_iface *ifc =
				    vrrp_iface_by_index(e->ifaces, idx);

				if (ifc != NULL)
					vrrp_announce_addr(e, ifc, a);
			}
			return 1;
		}
	return 0;
}

void
vrrp_action_announce_queue(struct vrrp_engine *e, struct vrrp_inst *vi)
{
	work_push(e, vi, WORK_ANNOUNCE);
}

static void
op_announce(void *arg, struct vrrp_inst *vi)
{
	vrrp_action_announce_queue(arg, vi);
}

static void
op_lower_prio(void *arg, struct vrrp_inst *vi)
{
	struct vrrp_engine *e = arg;

	/* our advert answered it already; the GARPs follow as work */
	work_push(e, vi, WORK_LOWER);
	if (e->notify != NULL)
		vrrp_notify_rx_lower_pri(e->notify, vi->conf, vi->prio);
}

/* ---- state changes ------------------------------------------------------ */

static void
group_changed(void *arg, struct vrrp_sync *g, enum vrrp_state old)
{
	struct vrrp_engine *e = arg;

	(void)old;
	if (e->notify != NULL)
		vrrp_notify_group(e->notify, g->conf, g->state);
	vrrp_action_report_group(e, g);
}

static void
op_changed(void *arg, struct vrrp_inst *vi, enum vrrp_state old)
{
	struct vrrp_engine *e = arg;

	vrrp_engine_syncd_follow(e, vi);
	vrrp_action_report(e, vi);
	if (e->notify != NULL && vrrp_work_push(e->work, vi, WORK_NOTIFY,
	    (int)vi->state, (int)vi->prio) < 0)
		vrrp_notify_instance(e->notify, vi->conf, vi->state, vi->prio);
	if (vi->sync != NULL && !e->stopping)
		vrrp_sync_member_changed(vi->sync, &e->fsm, vi, old,
		    group_changed, e);
	if (e->env->proc != NULL)
		proc_state_flush(e->env->proc);
}

/* ---- the work queue --------------------------------------------------------- */

void
vrrp_action_work(void *arg, void *owner, int kind, int a, int b)
{
	struct vrrp_engine *e = arg;
	struct vrrp_inst *vi = owner;

	switch (kind) {
	case WORK_VIPS_ADD:
	case WORK_VIPS_DEL:
		vips_work(e, vi, kind == WORK_VIPS_ADD, (unsigned)b);
		return;
	case WORK_ANNOUNCE:
		vrrp_announce(e, vi);
		return;
	case WORK_ROUND:
		if (vi->timers != NULL)
			vrrp_announce_round(vi->timers);
		return;
	case WORK_LOWER:
		vrrp_announce_lower(e, vi);
		return;
	case WORK_LOWER_AGAIN:
		if (vi->timers != NULL)
			vrrp_announce_lower_again(vi->timers);
		return;
	case WORK_EXTRA:
		if (vi->timers != NULL)
			vrrp_announce_extra(vi->timers);
		return;
	case WORK_NOTIFY:
		if (e->notify != NULL)
			vrrp_notify_instance(e->notify, vi->conf,
			    (enum vrrp_state)a, (unsigned)b);
		return;
	default:
		return;
	}
}

void
vrrp_action_work_names(struct vrrp_work *w)
{
	vrrp_work_set_kinds(w, work_kinds, sizeof(work_kinds) /
	    sizeof(work_kinds[0]));
}

const struct vrrp_fsm_ops vrrp_engine_ops = {
	.now = op_now,
	.send_advert = op_send_advert,
	.adver_timer = op_adver_timer,
	.down_timer = op_down_timer,
	.vips = op_vips,
	.announce = op_announce,
	.lower_prio = op_lower_prio,
	.changed = op_changed,
};

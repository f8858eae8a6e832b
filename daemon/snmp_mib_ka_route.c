/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * KEEPALIVED-MIB's vrrpRouteTable and vrrpRuleTable as keepalived 2.2.7
 * serves them, and the static addresses of vrrpAddressTable: rows
 * indexed (0, n) for static_routes / static_rules / static_ipaddress and
 * (instance position, n) for an instance's virtual_routes /
 * virtual_rules. A row's Status (set) is true for the static ones once
 * the VRRP child runs, for an instance's while it is MASTER.
 *
 * Served: the columns keepalived fills for what vigil's configuration
 * holds (destination, gateway, "or" gateway, source, metric, scope,
 * type, interface, table, from, tos, protocol, mtu; a rule's addresses,
 * table, invert, tos, fwmark, interfaces, goto target, action,
 * preference), a route's metrics and locks, features (ECN), quick ack,
 * expires, congestion control, pref, realms and fastopen_no_cookie, and
 * vrrpRouteNextHopTable: a route's nexthop clauses, or
 * the two gateways of a deprecated "via A or B" route, which keepalived
 * keeps as two nexthops (and then serves no gateway of the route's own).
 * Not served: the encapsulation columns (keepalived 2.2.7 serves none of
 * them either; vigil takes no encap).
 */
#include "autoconfig.h"

#include <net/if.h>
#include <string.h>

#include <linux/fib_rules.h>
#include <linux/rtnetlink.h>

#include "snmp_int.h"
#include "vrrp/config.h"

#define KA 1, 3, 6, 1, 4, 1, 9586, 100, 5

static const oid oid_addr_entry[] = { KA, 2, 6, 1 };
static const oid oid_route_entry[] = { KA, 2, 7, 1 };
static const oid oid_rule_entry[] = { KA, 2, 8, 1 };
static const oid oid_nh_entry[] = { KA, 2, 11, 1 };

int
snmp_scope(int scope)
{
	switch (scope) {
	case RT_SCOPE_UNIVERSE:
		return 14;
	case RT_SCOPE_HOST:
		return 1;
	case RT_SCOPE_LINK:
		return 2;
	case RT_SCOPE_SITE:
		return 5;
	default:
		return 0;
	}
}

static int
is_set(const struct snmp_ctx *ctx, const struct vrrp_instance_conf *i)
{
	const struct state_obj *o;

	if (i == NULL)		/* static: once the child runs */
		return ctx->vrrp_st != NULL && ctx->vrrp_st->generation != 0;
	o = snmp_obj(ctx->vrrp_st, "vrrp_instance", i->name);
	return snmp_vrrp_state(o != NULL ? o->state : NULL) == 2;
}

/* ---- static addresses ---------------------------------------------------- */

static void
static_addrs(struct snmp_view *w, const struct snmp_ctx *ctx)
{
	const size_t el = OID_LENGTH(oid_addr_entry);
	const struct vrrp_conf *c = ctx->vrrp;
	int set = is_set(ctx, NULL);
	oid idx[2] = { 0, 0 };

	for (const struct vrrp_conf_ipaddr *a = c->static_addrs.first;
	    a != NULL; a = a->next) {
		const char *dev = a->dev != NULL ? a->dev :
		    c->g.default_interface;
		struct vg_addr zero = { .family = AF_INET };
		unsigned ifindex = dev != NULL ? if_nametoindex(dev) : 0;

		idx[1]++;
		snmp_put_int(w, oid_addr_entry, el, 2, idx, 2, ASN_INTEGER,
		    a->p.addr.family == AF_INET6 ? 2 : 1);
		snmp_put_addr(w, oid_addr_entry, el, 3, idx, 2, &a->p.addr);
		if (a->p.addr.family == AF_INET)
			snmp_put_addr(w, oid_addr_entry, el, 4, idx, 2,
			    a->p.brd.family == AF_INET ? &a->p.brd : &zero);
		snmp_put_int(w, oid_addr_entry, el, 5, idx, 2, ASN_GAUGE,
		    a->p.prefix);
		snmp_put_int(w, oid_addr_entry, el, 6, idx, 2, ASN_INTEGER,
		    snmp_scope(a->p.scope));
		if (ifindex != 0)
			snmp_put_int(w, oid_addr_entry, el, 7, idx, 2,
			    ASN_INTEGER, ifindex);
		snmp_put_str(w, oid_addr_entry, el, 8, idx, 2, dev);
		snmp_put_str(w, oid_addr_entry, el, 9, idx, 2, a->label);
		snmp_put_int(w, oid_addr_entry, el, 10, idx, 2, ASN_INTEGER,
		    SNMP_TV(set));
		snmp_put_int(w, oid_addr_entry, el, 11, idx, 2, ASN_INTEGER,
		    SNMP_TV(0));
		if (a->p.peer.family != 0)
			snmp_put_addr(w, oid_addr_entry, el, 12, idx, 2,
			    &a->p.peer);
	}
}

/* ---- routes -------------------------------------------------------------- */

static int
route_type(const struct vrrp_conf_route_params *p)
{
	if (p->nexthops > 0 || p->or_via.family != 0)
		return 2;
	switch (p->type) {
	case RTN_BLACKHOLE:
		return 3;
	case RTN_ANYCAST:
		return 4;
	case RTN_MULTICAST:
		return 5;
	case RTN_BROADCAST:
		return 6;
	case RTN_UNREACHABLE:
		return 7;
	case RTN_PROHIBIT:
		return 8;
	case RTN_THROW:
		return 9;
	case RTN_NAT:
		return 10;
	case RTN_XRESOLVE:
		return 11;
	default:
		return 1;
	}
}

/* The columns keepalived fills from a route's metrics and the options
 * only its words hold (19-45 and 55): a metric's column (and its lock's)
 * when it is given (advmss too: keepalived 2.2.7 serves it only beside a
 * hoplimit); ECN and quick ack always. The encapsulation columns
 * (46-54) keepalived 2.2.7 does not fill either: vigil takes no encap. */
static void
route_opts(struct snmp_view *w, const struct vrrp_conf_route *r,
    const oid *idx)
{
	static const struct {
		int rtax;
		oid col, lock_col;	/* 0: none */
		unsigned div;		/* kernel units per served unit */
	} cols[] = {
		{ RTAX_MTU, 22, 23, 1 }, { RTAX_HOPLIMIT, 24, 0, 1 },
		{ RTAX_ADVMSS, 25, 26, 1 }, { RTAX_RTT, 27, 28, 8 },
		{ RTAX_RTTVAR, 29, 30, 4 }, { RTAX_REORDERING, 31, 32, 1 },
		{ RTAX_WINDOW, 33, 0, 1 }, { RTAX_CWND, 34, 35, 1 },
		{ RTAX_SSTHRESH, 36, 37, 1 }, { RTAX_RTO_MIN, 38, 39, 1 },
		{ RTAX_INITCWND, 40, 0, 1 }, { RTAX_INITRWND, 41, 0, 1 },
	};
	const size_t el = OID_LENGTH(oid_route_entry);
	struct vrrp_route_opts o;
	const char *word, *value;

	if (vrrp_conf_route_opts(r->argc, r->argv, &o, &word, &value) == -1)
		return;		/* such a route was refused when read */
	snmp_put_int(w, oid_route_entry, el, 19, idx, 2, ASN_INTEGER,
	    SNMP_TV(o.metric[RTAX_FEATURES] & RTAX_FEATURE_ECN));
	snmp_put_int(w, oid_route_entry, el, 20, idx, 2, ASN_INTEGER,
	    SNMP_TV(o.metric[RTAX_QUICKACK] != 0));
	if (o.has_expires)
		snmp_put_int(w, oid_route_entry, el, 21, idx, 2, ASN_INTEGER,
		    o.expires);
	for (size_t k = 0; k < sizeof(cols) / sizeof(cols[0]); k++) {
		unsigned bit = 1u << cols[k].rtax;

		if (!(o.set & bit))
			continue;
		snmp_put_int(w, oid_route_entry, el, cols[k].col, idx, 2,
		    ASN_GAUGE, o.metric[cols[k].rtax] / cols[k].div);
		if (cols[k].lock_col != 0)
			snmp_put_int(w, oid_route_entry, el, cols[k].lock_col,
			    idx, 2, ASN_INTEGER, SNMP_TV(o.lock & bit));
	}
	if (o.congctl != NULL)
		snmp_put_str(w, oid_route_entry, el, 42, idx, 2, o.congctl);
	if (o.pref >= 0)	/* ICMPV6_ROUTER_PREF_*: low 3, medium 0,
				 * high 1 */
		snmp_put_int(w, oid_route_entry, el, 43, idx, 2, ASN_INTEGER,
		    o.pref == 3 ? 1 : o.pref == 0 ? 2 : o.pref == 1 ? 3 : 0);
	if (o.has_realms && o.realms != 0)
		snmp_put_int(w, oid_route_entry, el, 44, idx, 2, ASN_GAUGE,
		    o.realms & 0xffff);
	if (o.has_realms && (o.realms & 0xffff0000) != 0)
		snmp_put_int(w, oid_route_entry, el, 45, idx, 2, ASN_GAUGE,
		    o.realms >> 16);
	if (o.set & 1u << RTAX_FASTOPEN_NO_COOKIE)
		snmp_put_int(w, oid_route_entry, el, 55, idx, 2, ASN_INTEGER,
		    SNMP_TV(o.metric[RTAX_FASTOPEN_NO_COOKIE] != 0));
}

static void
routes(struct snmp_view *w, const struct vrrp_conf_list *l, oid owner,
    int set)
{
	const size_t el = OID_LENGTH(oid_route_entry);
	oid idx[2] = { owner, 0 };

	for (const struct vrrp_conf_route *r = l->first; r != NULL;
	    r = r->next) {
		const struct vrrp_conf_route_params *p = &r->p;
		unsigned ifindex = r->dev != NULL ? if_nametoindex(r->dev) : 0;

		idx[1]++;
		snmp_put_int(w, oid_route_entry, el, 2, idx, 2, ASN_INTEGER,
		    p->family == AF_INET6 ? 2 : 1);
		if (p->dst.family != 0) {
			snmp_put_addr(w, oid_route_entry, el, 3, idx, 2,
			    &p->dst);
			snmp_put_int(w, oid_route_entry, el, 4, idx, 2,
			    ASN_GAUGE, p->dst_len);
		}
		/* "via A or B": two nexthops, as keepalived keeps them */
		if (p->via.family != 0 && p->or_via.family == 0)
			snmp_put_addr(w, oid_route_entry, el, 5, idx, 2,
			    &p->via);
		if (p->src.family != 0)
			snmp_put_addr(w, oid_route_entry, el, 7, idx, 2,
			    &p->src);
		snmp_put_int(w, oid_route_entry, el, 8, idx, 2, ASN_GAUGE,
		    p->metric);
		snmp_put_int(w, oid_route_entry, el, 9, idx, 2, ASN_INTEGER,
		    snmp_scope(p->scope));
		snmp_put_int(w, oid_route_entry, el, 10, idx, 2, ASN_INTEGER,
		    route_type(p));
		if (r->dev != NULL) {
			if (ifindex != 0)
				snmp_put_int(w, oid_route_entry, el, 11, idx,
				    2, ASN_INTEGER, ifindex);
			snmp_put_str(w, oid_route_entry, el, 12, idx, 2,
			    r->dev);
		}
		snmp_put_int(w, oid_route_entry, el, 13, idx, 2, ASN_GAUGE,
		    (p->flags & VRRP_RT_TABLE) ? p->table : RT_TABLE_MAIN);
		snmp_put_int(w, oid_route_entry, el, 14, idx, 2, ASN_INTEGER,
		    SNMP_TV(set));
		if (p->from.family != 0) {
			snmp_put_addr(w, oid_route_entry, el, 15, idx, 2,
			    &p->from);
			snmp_put_int(w, oid_route_entry, el, 16, idx, 2,
			    ASN_GAUGE, p->from_len);
		}
		if (p->flags & VRRP_RT_TOS)
			snmp_put_int(w, oid_route_entry, el, 17, idx, 2,
			    ASN_GAUGE, p->tos);
		/* keepalived's numbering (+1); both install routes as
		 * protocol 18 ("keepalived") unless told otherwise */
		snmp_put_int(w, oid_route_entry, el, 18, idx, 2, ASN_INTEGER,
		    (int64_t)((p->flags & VRRP_RT_PROTO) ? p->protocol : 18) +
		    1);
		route_opts(w, r, idx);
	}
}

/* One vrrpRouteNextHopTable row (owner, route, n). */
static void
nexthop_row(struct snmp_view *w, const oid idx[3],
    const struct vrrp_conf_nexthop *nh)
{
	const size_t el = OID_LENGTH(oid_nh_entry);
	unsigned ifindex = nh->dev != NULL ? if_nametoindex(nh->dev) : 0;

	if (nh->via.family != 0) {
		snmp_put_int(w, oid_nh_entry, el, 2, idx, 3, ASN_INTEGER,
		    nh->via.family == AF_INET6 ? 2 : 1);
		snmp_put_addr(w, oid_nh_entry, el, 3, idx, 3, &nh->via);
	}
	if (ifindex != 0) {
		snmp_put_int(w, oid_nh_entry, el, 4, idx, 3, ASN_INTEGER,
		    ifindex);
		snmp_put_str(w, oid_nh_entry, el, 5, idx, 3, nh->dev);
	}
	if (nh->weight > 0)
		snmp_put_int(w, oid_nh_entry, el, 6, idx, 3, ASN_GAUGE,
		    nh->weight);
	snmp_put_int(w, oid_nh_entry, el, 7, idx, 3, ASN_INTEGER,
	    SNMP_TV(nh->onlink));
}

static void
nexthops(struct snmp_view *w, const struct vrrp_conf_list *l, oid owner)
{
	oid idx[3] = { owner, 0, 0 };

	for (const struct vrrp_conf_route *r = l->first; r != NULL;
	    r = r->next) {
		struct vrrp_conf_nexthop nh;
		unsigned pos = 0;

		idx[1]++;
		idx[2] = 0;
		if (r->p.or_via.family != 0) {
			memset(&nh, 0, sizeof(nh));
			nh.via = r->p.via;
			idx[2] = 1;
			nexthop_row(w, idx, &nh);
			nh.via = r->p.or_via;
			idx[2] = 2;
			nexthop_row(w, idx, &nh);
			continue;
		}
		while (vrrp_conf_route_nexthop(r, &pos, &nh) > 0) {
			idx[2]++;
			nexthop_row(w, idx, &nh);
		}
	}
}

/* ---- rules --------------------------------------------------------------- */

static void
rules(struct snmp_view *w, const struct vrrp_conf_list *l, oid owner,
    int set)
{
	const size_t el = OID_LENGTH(oid_rule_entry);
	oid idx[2] = { owner, 0 };

	for (const struct vrrp_conf_rule *r = l->first; r != NULL;
	    r = r->next) {
		const struct vrrp_conf_rule_params *p = &r->p;
		int to = p->to.family != 0, from = p->from.family != 0;
		const struct vg_addr *a = to ? &p->to : from ? &p->from : NULL;
		int table = p->action == FR_ACT_TO_TBL;

		idx[1]++;
		snmp_put_str(w, oid_rule_entry, el, 2, idx, 2, to ? from ?
		    "both" : "to" : from ? "from" : "");
		if (a != NULL) {
			snmp_put_int(w, oid_rule_entry, el, 3, idx, 2,
			    ASN_INTEGER, a->family == AF_INET6 ? 2 : 1);
			snmp_put_addr(w, oid_rule_entry, el, 4, idx, 2, a);
			snmp_put_int(w, oid_rule_entry, el, 5, idx, 2,
			    ASN_GAUGE, to ? p->to_len : p->from_len);
		}
		if (table)
			snmp_put_int(w, oid_rule_entry, el, 6, idx, 2,
			    ASN_GAUGE, p->table);
		snmp_put_int(w, oid_rule_entry, el, 7, idx, 2, ASN_INTEGER,
		    SNMP_TV(set));
		snmp_put_int(w, oid_rule_entry, el, 8, idx, 2, ASN_INTEGER,
		    SNMP_TV(p->flags & VRRP_RU_NOT));
		if (to) {
			snmp_put_int(w, oid_rule_entry, el, 9, idx, 2,
			    ASN_INTEGER, p->to.family == AF_INET6 ? 2 : 1);
			snmp_put_addr(w, oid_rule_entry, el, 10, idx, 2,
			    &p->to);
			snmp_put_int(w, oid_rule_entry, el, 11, idx, 2,
			    ASN_GAUGE, p->to_len);
		}
		if (from) {
			snmp_put_int(w, oid_rule_entry, el, 12, idx, 2,
			    ASN_INTEGER, p->from.family == AF_INET6 ? 2 : 1);
			snmp_put_addr(w, oid_rule_entry, el, 13, idx, 2,
			    &p->from);
			snmp_put_int(w, oid_rule_entry, el, 14, idx, 2,
			    ASN_GAUGE, p->from_len);
		}
		snmp_put_int(w, oid_rule_entry, el, 15, idx, 2, ASN_GAUGE,
		    p->tos);
		if (p->flags & VRRP_RU_FWMARK) {
			snmp_put_int(w, oid_rule_entry, el, 16, idx, 2,
			    ASN_GAUGE, p->fwmark);
			if (p->fwmask != 0)
				snmp_put_int(w, oid_rule_entry, el, 17, idx,
				    2, ASN_GAUGE, p->fwmask);
		}
		snmp_put_str(w, oid_rule_entry, el, 20, idx, 2, r->iif);
		snmp_put_str(w, oid_rule_entry, el, 21, idx, 2, r->oif);
		if (p->action == FR_ACT_GOTO)
			snmp_put_int(w, oid_rule_entry, el, 22, idx, 2,
			    ASN_GAUGE, p->goto_target);
		snmp_put_int(w, oid_rule_entry, el, 23, idx, 2, ASN_INTEGER,
		    p->action);
		if (table)
			snmp_put_int(w, oid_rule_entry, el, 24, idx, 2,
			    ASN_GAUGE, p->table);
		if (p->priority != 0)
			snmp_put_int(w, oid_rule_entry, el, 25, idx, 2,
			    ASN_GAUGE, p->priority);
		if (p->flags & VRRP_RU_L3MDEV)
			snmp_put_int(w, oid_rule_entry, el, 32, idx, 2,
			    ASN_INTEGER, 1);
	}
}

void
snmp_mib_ka_route(struct snmp_view *w, const struct snmp_ctx *ctx)
{
	const struct vrrp_conf *c = ctx->vrrp;
	int set;
	oid n = 0;

	if (c == NULL)
		return;
	static_addrs(w, ctx);
	set = is_set(ctx, NULL);
	routes(w, &c->static_routes, 0, set);
	nexthops(w, &c->static_routes, 0);
	rules(w, &c->static_rules, 0, set);
	for (const struct vrrp_instance_conf *i = c->instances.first;
	    i != NULL; i = i->next) {
		n++;
		set = is_set(ctx, i);
		routes(w, &i->routes, n, set);
		nexthops(w, &i->routes, n);
		rules(w, &i->rules, n, set);
	}
}

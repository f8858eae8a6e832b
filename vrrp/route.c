/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * virtual_routes / static_routes items into the kernel and out again:
 * RTM_NEWROUTE / RTM_DELROUTE. The parsed params carry the key fields;
 * what only the item's words hold (metrics, nexthop clauses) is read from
 * argv here, through the configuration's own parsers.
 */
#include <errno.h>
#include <limits.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <arpa/inet.h>
#include <endian.h>
#include <linux/lwtunnel.h>
#include <linux/mpls_iptunnel.h>
#include <linux/rtnetlink.h>
#include <netlink/attr.h>
#include <netlink/msg.h>
#include <netlink/route/link.h>
#include <netlink/route/link/vrf.h>

#include "log.h"
#include "vrrp/config.h"
#include "vrrp/nl.h"
#include "vrrp/vip.h"

#define RTPROT_VIGIL 18	/* "keepalived" in rt_protos, as keepalived's */

/* Route words parse_route accepts and this file does not put into the
 * request: told once per item, never silently dropped. */
static const char *const unsupported[] = {
	"ttl-propagate", "or", NULL,
};

/* RTA_ENCAP_TYPE and RTA_ENCAP (mpls, ip, ip6), as ip-route(8) sends
 * them. 0 or -1 (out of room). */
static int
put_encap(struct nl_msg *m, const struct vrrp_route_opts *o)
{
	struct nlattr *nest;
	int v6 = o->encap == LWTUNNEL_ENCAP_IP6;

	if ((nest = nla_nest_start(m, RTA_ENCAP)) == NULL)
		return -1;
	if (o->encap == LWTUNNEL_ENCAP_MPLS) {
		uint32_t st[VRRP_MPLS_MAX];

		/* label << 12, the bottom of stack bit on the last */
		for (unsigned k = 0; k < o->nlabels; k++)
			st[k] = htonl(o->labels[k] << 12 |
			    (k + 1 == o->nlabels ? 1u << 8 : 0));
		if (nla_put(m, MPLS_IPTUNNEL_DST, (int)(o->nlabels *
		    sizeof(st[0])), st) < 0)
			return -1;
	} else {
		if (o->has_id && nla_put_u64(m, v6 ? LWTUNNEL_IP6_ID :
		    LWTUNNEL_IP_ID, htobe64(o->encap_id)) < 0)
			return -1;
		if (o->encap_dst.family != 0 && vrrp_nl_put_addr(m, v6 ?
		    LWTUNNEL_IP6_DST : LWTUNNEL_IP_DST, &o->encap_dst) == -1)
			return -1;
		if (o->encap_src.family != 0 && vrrp_nl_put_addr(m, v6 ?
		    LWTUNNEL_IP6_SRC : LWTUNNEL_IP_SRC, &o->encap_src) == -1)
			return -1;
		if (o->encap_tos >= 0 && nla_put_u8(m, v6 ? LWTUNNEL_IP6_TC :
		    LWTUNNEL_IP_TOS, (uint8_t)o->encap_tos) < 0)
			return -1;
		if (o->encap_ttl >= 0 && nla_put_u8(m, v6 ?
		    LWTUNNEL_IP6_HOPLIMIT : LWTUNNEL_IP_TTL,
		    (uint8_t)o->encap_ttl) < 0)
			return -1;
		if (o->encap_flags >= 0 && nla_put_u16(m, v6 ?
		    LWTUNNEL_IP6_FLAGS : LWTUNNEL_IP_FLAGS,
		    (uint16_t)o->encap_flags) < 0)
			return -1;
	}
	nla_nest_end(m, nest);
	return nla_put_u16(m, RTA_ENCAP_TYPE, (uint16_t)o->encap) < 0 ? -1 : 0;
}

/* RTA_METRICS, RTA_PREF, RTA_EXPIRES and RTA_FLOW from what only the
 * item's words hold (checked when the configuration was read). 0, -1 out
 * of room, -EINVAL (logged). */
static int
put_route_opts(struct nl_msg *m, const struct vrrp_conf_route *r)
{
	struct vrrp_route_opts o;
	struct nlattr *nest;
	const char *w, *v;

	if (vrrp_conf_route_opts(r->argc, r->argv, &o, &w, &v) == -1) {
		log_err("%s:%u: route %s: invalid value %s", r->loc.file,
		    r->loc.line, w, v != NULL ? v : "(none)");
		return -EINVAL;
	}
	if (o.set != 0) {
		if ((nest = nla_nest_start(m, RTA_METRICS)) == NULL)
			return -1;
		for (int k = 1; k < VRRP_RTAX_N; k++) {
			if (!(o.set & 1u << k))
				continue;
			if (k == RTAX_CC_ALGO ? nla_put_string(m, k,
			    o.congctl) < 0 : nla_put_u32(m, k,
			    o.metric[k]) < 0)
				return -1;
		}
		if (o.lock != 0 && nla_put_u32(m, RTAX_LOCK, o.lock) < 0)
			return -1;
		nla_nest_end(m, nest);
	}
	if (o.pref >= 0 && nla_put_u8(m, RTA_PREF, (uint8_t)o.pref) < 0)
		return -1;
	if (o.has_expires && nla_put_u32(m, RTA_EXPIRES, o.expires) < 0)
		return -1;
	if (o.has_realms && nla_put_u32(m, RTA_FLOW, o.realms) < 0)
		return -1;
	if (o.encap != 0 && put_encap(m, &o) < 0)
		return -1;
	return 0;
}

/* The nexthop clauses as RTA_MULTIPATH. */
static int
put_multipath(struct nl_msg *m, const struct vrrp_conf_route *r)
{
	struct vrrp_conf_nexthop c;
	struct nlattr *nest;
	unsigned pos = 0;

	if ((nest = nla_nest_start(m, RTA_MULTIPATH)) == NULL)
		return -1;
	while (vrrp_conf_route_nexthop(r, &pos, &c) > 0) {
		size_t off = nlmsg_hdr(m)->nlmsg_len;
		struct rtnexthop *nh;

		if ((nh = nlmsg_reserve(m, sizeof(*nh), NLMSG_ALIGNTO)) ==
		    NULL)
			return -1;
		memset(nh, 0, sizeof(*nh));
		if (c.onlink)
			nh->rtnh_flags |= RTNH_F_ONLINK;
		if (c.weight > 0)
			nh->rtnh_hops = (unsigned char)(c.weight - 1);
		if (c.dev != NULL &&
		    (nh->rtnh_ifindex = (int)if_nametoindex(c.dev)) == 0)
			return -ENODEV;
		if (c.via.family != 0 &&
		    vrrp_nl_put_addr(m, RTA_GATEWAY, &c.via) == -1)
			return -1;
		if (c.has_realms && nla_put_u32(m, RTA_FLOW, c.realms) < 0)
			return -1;
		nh = (struct rtnexthop *)(void *)((char *)nlmsg_hdr(m) + off);
		nh->rtnh_len = (unsigned short)(nlmsg_hdr(m)->nlmsg_len - off);
	}
	nla_nest_end(m, nest);
	return 0;
}

static int
route_scope(const struct vrrp_conf_route_params *p, int add)
{
	if (p->flags & VRRP_RT_SCOPE)
		return p->scope;
	if (!add)
		return RT_SCOPE_NOWHERE;	/* any scope */
	switch (p->type) {
	case RTN_LOCAL:
	case RTN_NAT:
		return RT_SCOPE_HOST;
	case RTN_BROADCAST:
	case RTN_MULTICAST:
	case RTN_ANYCAST:
		return RT_SCOPE_LINK;
	case RTN_UNICAST:
		return p->via.family == 0 && p->nexthops == 0 ?
		    RT_SCOPE_LINK : RT_SCOPE_UNIVERSE;
	default:
		return RT_SCOPE_UNIVERSE;
	}
}

/* Whether a route of this type goes out of an interface. */
static int
has_oif(int type)
{
	return type != RTN_BLACKHOLE && type != RTN_UNREACHABLE &&
	    type != RTN_PROHIBIT && type != RTN_THROW;
}

/* The VRF a route names ("vrf NAME"), when it decides the table: the
 * later of "table" and "vrf" wins, as keepalived reads them in order. */
const char *
vrrp_route_vrf(const struct vrrp_conf_route *r)
{
	const char *vrf = NULL;
	unsigned i;

	for (i = 0; i + 1 < r->argc && strcmp(r->argv[i], "nexthop") != 0;
	    i++)
		if (strcmp(r->argv[i], "vrf") == 0)
			vrf = r->argv[++i];
		else if (strcmp(r->argv[i], "table") == 0)
			vrf = NULL;
	return vrf;
}

/* The table of VRF device name. 0 or -errno. */
static int
vrf_table(struct vrrp_kernel *k, const char *name, unsigned *table)
{
	struct rtnl_link *l = NULL;
	uint32_t id = 0;
	int rc;

	if ((rc = rtnl_link_get_kernel(k->sk, 0, name, &l)) < 0)
		return -ENODEV;
	rc = rtnl_link_is_vrf(l) && rtnl_link_vrf_get_tableid(l, &id) == 0 ?
	    0 : -EINVAL;
	rtnl_link_put(l);
	*table = id;
	return rc;
}

static int
route_table(struct vrrp_kernel *k, const struct vrrp_conf_route *r,
    unsigned *table)
{
	const char *vrf = vrrp_route_vrf(r);
	int rc;

	if (vrf != NULL) {
		if ((rc = vrf_table(k, vrf, table)) == 0)
			return 0;
		log_err("%s:%u: route vrf %s: %s", r->loc.file, r->loc.line,
		    vrf, rc == -ENODEV ? "no such interface" :
		    "not a VRF device");
		return rc;
	}
	if (r->table_name == NULL) {
		*table = (r->p.flags & VRRP_RT_TABLE) ? r->p.table :
		    RT_TABLE_MAIN;
		return 0;
	}
	if (vrrp_nl_table(r->table_name, table) == 0)
		return 0;
	log_err("%s:%u: route table '%s' is not in rt_tables", r->loc.file,
	    r->loc.line, r->table_name);
	return -ENOENT;
}

static int
route_msg(struct vrrp_kernel *k, const struct vrrp_conf_route *r,
    int ifindex, int add, struct nl_msg **out)
{
	const struct vrrp_conf_route_params *p = &r->p;
	struct rtmsg rtm;
	struct nl_msg *m;
	unsigned table;
	int oif = 0, rc;

	if ((rc = route_table(k, r, &table)) != 0)
		return rc;
	if (r->dev != NULL && p->nexthops == 0 &&
	    (oif = (int)if_nametoindex(r->dev)) == 0) {
		log_err("%s:%u: route dev %s: no such interface", r->loc.file,
		    r->loc.line, r->dev);
		return -ENODEV;
	}
	if (oif == 0 && p->nexthops == 0 && has_oif(p->type))
		oif = ifindex;
	m = nlmsg_alloc_simple(add ? RTM_NEWROUTE : RTM_DELROUTE, !add ? 0 :
	    NLM_F_CREATE | ((p->flags & VRRP_RT_APPEND) ? NLM_F_APPEND :
	    NLM_F_EXCL));
	if (m == NULL)
		return -ENOMEM;
	memset(&rtm, 0, sizeof(rtm));
	rtm.rtm_family = (unsigned char)p->family;
	rtm.rtm_dst_len = (unsigned char)p->dst_len;
	rtm.rtm_src_len = (unsigned char)p->from_len;
	rtm.rtm_tos = (unsigned char)p->tos;
	rtm.rtm_table = table < 256 ? (unsigned char)table : RT_TABLE_UNSPEC;
	rtm.rtm_protocol = (p->flags & VRRP_RT_PROTO) ?
	    (unsigned char)p->protocol : RTPROT_VIGIL;
	rtm.rtm_scope = (unsigned char)route_scope(p, add);
	rtm.rtm_type = (unsigned char)p->type;
	if ((p->flags & VRRP_RT_ONLINK) && p->nexthops == 0)
		rtm.rtm_flags |= RTNH_F_ONLINK;
	rc = -ENOMEM;
	if (nlmsg_append(m, &rtm, sizeof(rtm), NLMSG_ALIGNTO) < 0 ||
	    nla_put_u32(m, RTA_TABLE, table) < 0)
		goto fail;
	if (p->dst_len > 0 && vrrp_nl_put_addr(m, RTA_DST, &p->dst) == -1)
		goto fail;
	if (p->from_len > 0 && vrrp_nl_put_addr(m, RTA_SRC, &p->from) == -1)
		goto fail;
	if (p->src.family != 0 && vrrp_nl_put_addr(m, RTA_PREFSRC, &p->src)
	    == -1)
		goto fail;
	if (p->nexthops == 0 && p->via.family != 0 &&
	    vrrp_nl_put_addr(m, RTA_GATEWAY, &p->via) == -1)
		goto fail;
	if (oif > 0 && nla_put_u32(m, RTA_OIF, (unsigned)oif) < 0)
		goto fail;
	if ((p->flags & VRRP_RT_METRIC) &&
	    nla_put_u32(m, RTA_PRIORITY, p->metric) < 0)
		goto fail;
	if (add && (rc = put_route_opts(m, r)) != 0)
		goto fail;
	if (p->nexthops > 0 && (rc = put_multipath(m, r)) != 0) {
		log_err("%s:%u: route: a nexthop clause names %s",
		    r->loc.file, r->loc.line, rc == -ENODEV ?
		    "an unknown interface" : "an invalid value");
		rc = rc == -ENODEV ? rc : -EINVAL;
		goto fail;
	}
	*out = m;
	return 0;
fail:
	nlmsg_free(m);
	return rc == -EINVAL || rc == -ENODEV ? rc : -ENOMEM;
}

static void
route_warn_unsupported(const struct vrrp_conf_route *r)
{
	unsigned i;

	for (i = 0; i < r->argc; i++)
		if (vrrp_nl_word_in(unsupported, r->argv[i]))
			log_warn("%s:%u: route option %s not supported yet, "
			    "ignored", r->loc.file, r->loc.line, r->argv[i]);
}

/* What the kernel answered for adding (removing) a route: adding what
 * is there and removing what is not succeed; anything else logged. */
static int
route_done(const struct vrrp_nl_op *op, int rc)
{
	const struct vrrp_conf_route *r = op->item;
	char buf[ADDR_STRLEN + 8];

	if (op->add && rc == -EEXIST)
		rc = 0;
	if (!op->add && (rc == -ESRCH || rc == -ENOENT || rc == -ENODEV))
		rc = 0;
	if (rc < 0)
		log_err("%s:%u: %s route %s: %s", r->loc.file, r->loc.line,
		    op->add ? "adding" : "removing", vrrp_nl_prefix(&r->p.dst,
		    r->p.dst_len, buf, sizeof(buf)), strerror(-rc));
	return rc;
}

/* The request adding (removing) r, and its op; NULL with *rc set if
 * there is none to send (logged). */
static struct nl_msg *
route_req(struct vrrp_kernel *k, const struct vrrp_conf_route *r,
    int ifindex, int add, struct vrrp_nl_op *op, int *rc)
{
	struct nl_msg *m = NULL;

	*op = (struct vrrp_nl_op){ route_done, r, ifindex, add };
	if (add)
		route_warn_unsupported(r);
	if ((*rc = route_msg(k, r, ifindex, add, &m)) != 0)
		*rc = route_done(op, *rc);
	return *rc == 0 ? m : NULL;
}

/* r added (removed) alone (b NULL) or queued in b. */
static int
route_cmd(struct vrrp_kernel *k, struct vrrp_nl_batch *b,
    const struct vrrp_conf_route *r, int ifindex, int add)
{
	struct vrrp_nl_op op;
	struct nl_msg *m;
	int rc;

	m = route_req(k, r, ifindex, add, &op, &rc);
	return vrrp_nl_request(k, b, m, &op, rc);
}

int
vrrp_route_add(struct vrrp_kernel *k, const struct vrrp_conf_route *r,
    int ifindex)
{
	return route_cmd(k, NULL, r, ifindex, 1);
}

int
vrrp_route_del(struct vrrp_kernel *k, const struct vrrp_conf_route *r,
    int ifindex)
{
	return route_cmd(k, NULL, r, ifindex, 0);
}

int
vrrp_route_batch_add(struct vrrp_kernel *k, struct vrrp_nl_batch *b,
    const struct vrrp_conf_route *r, int ifindex, int add)
{
	return route_cmd(k, b, r, ifindex, add);
}

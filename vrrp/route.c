/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * virtual_routes / static_routes and virtual_rules / static_rules items
 * into the kernel and out again: RTM_NEWROUTE / RTM_DELROUTE and
 * RTM_NEWRULE / RTM_DELRULE. The parsed params carry the key fields; what
 * only the item's words hold (route metrics, nexthop clauses) is read
 * from argv here.
 */
#include <errno.h>
#include <limits.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/fib_rules.h>
#include <linux/rtnetlink.h>
#include <netlink/attr.h>
#include <netlink/msg.h>

#include "log.h"
#include "vrrp/config.h"
#include "vrrp/nl.h"
#include "vrrp/vip.h"

#define RTPROT_VIGIL 18		/* "keepalived" in rt_protos, as keepalived */

static const struct {
	const char *name;
	int rtax;
} metrics[] = {
	{ "window", RTAX_WINDOW }, { "ssthresh", RTAX_SSTHRESH },
	{ "cwnd", RTAX_CWND }, { "advmss", RTAX_ADVMSS },
	{ "reordering", RTAX_REORDERING }, { "hoplimit", RTAX_HOPLIMIT },
	{ "initcwnd", RTAX_INITCWND }, { "features", RTAX_FEATURES },
	{ "initrwnd", RTAX_INITRWND }, { "quickack", RTAX_QUICKACK },
	{ "fastopen_no_cookie", RTAX_FASTOPEN_NO_COOKIE },
};

/* Route words parse_route accepts and this file does not put into the
 * request: told once per item, never silently dropped. */
static const char *const unsupported[] = {
	"rtt", "rttvar", "rto_min", "congctl", "realms", "pref", "expires",
	"vrf", "ttl-propagate", "or", NULL,
};

static int
word_in(const char *const *l, const char *s)
{
	for (; *l != NULL; l++)
		if (strcmp(*l, s) == 0)
			return 1;
	return 0;
}

static int
parse_u32(const char *s, unsigned *out)
{
	unsigned long v;
	char *end;

	if (s == NULL || *s == '\0' || *s == '-')
		return -1;
	v = strtoul(s, &end, 0);
	if (*end != '\0' || v > UINT_MAX)
		return -1;
	*out = (unsigned)v;
	return 0;
}

/* RTA_METRICS from mtu and the metric words of argv. */
static int
put_metrics(struct nl_msg *m, const struct vrrp_conf_route *r)
{
	struct nlattr *nest = NULL;
	unsigned i, v, lock = 0;
	size_t k;

	if (r->p.flags & VRRP_RT_MTU) {
		if ((nest = nla_nest_start(m, RTA_METRICS)) == NULL ||
		    nla_put_u32(m, RTAX_MTU, r->p.mtu) < 0)
			return -1;
	}
	for (i = 0; i + 1 < r->argc; i++) {
		const char *arg = r->argv[i + 1];
		int locked = 0;

		for (k = 0; k < sizeof(metrics) / sizeof(metrics[0]); k++)
			if (strcmp(r->argv[i], metrics[k].name) == 0)
				break;
		if (k == sizeof(metrics) / sizeof(metrics[0]))
			continue;
		if (strcmp(arg, "lock") == 0 && i + 2 < r->argc) {
			arg = r->argv[++i + 1];
			locked = 1;
		}
		if (parse_u32(arg, &v) == -1) {
			log_warn("%s:%u: route %s %s: not a number, ignored",
			    r->loc.file, r->loc.line, metrics[k].name, arg);
			continue;
		}
		if (nest == NULL && (nest = nla_nest_start(m,
		    RTA_METRICS)) == NULL)
			return -1;
		if (nla_put_u32(m, metrics[k].rtax, v) < 0)
			return -1;
		if (locked)
			lock |= 1u << metrics[k].rtax;
		i++;
	}
	if (nest == NULL)
		return 0;
	if (lock != 0 && nla_put_u32(m, RTAX_LOCK, lock) < 0)
		return -1;
	nla_nest_end(m, nest);
	return 0;
}

/* One "nexthop via A dev D weight W onlink" clause from argv[*i] on. */
static int
put_nexthop(struct nl_msg *m, const struct vrrp_conf_route *r, unsigned *i)
{
	struct rtnexthop *nh;
	struct vg_addr via;
	size_t off = nlmsg_hdr(m)->nlmsg_len;
	unsigned w;

	if ((nh = nlmsg_reserve(m, sizeof(*nh), NLMSG_ALIGNTO)) == NULL)
		return -1;
	memset(nh, 0, sizeof(*nh));
	for (; *i < r->argc && strcmp(r->argv[*i], "nexthop") != 0; (*i)++) {
		const char *o = r->argv[*i];
		const char *arg = *i + 1 < r->argc ? r->argv[*i + 1] : NULL;

		nh = (struct rtnexthop *)(void *)((char *)nlmsg_hdr(m) + off);
		if (strcmp(o, "onlink") == 0) {
			nh->rtnh_flags |= RTNH_F_ONLINK;
			continue;
		}
		if (arg == NULL)
			break;
		if (strcmp(o, "via") == 0 || strcmp(o, "gw") == 0) {
			if (strcmp(arg, "inet") == 0 || strcmp(arg, "inet6") == 0)
				arg = ++*i + 1 < r->argc ? r->argv[*i + 1] : "";
			if (addr_parse(arg, &via) == -1 ||
			    vrrp_nl_put_addr(m, RTA_GATEWAY, &via) == -1)
				return -1;
		} else if (strcmp(o, "dev") == 0) {
			if ((nh->rtnh_ifindex = (int)if_nametoindex(arg)) == 0)
				return -ENODEV;
		} else if (strcmp(o, "weight") == 0) {
			if (parse_u32(arg, &w) == -1 || w < 1 || w > 256)
				return -1;
			nh->rtnh_hops = (unsigned char)(w - 1);
		} else
			break;
		(*i)++;
	}
	nh = (struct rtnexthop *)(void *)((char *)nlmsg_hdr(m) + off);
	nh->rtnh_len = (unsigned short)(nlmsg_hdr(m)->nlmsg_len - off);
	return 0;
}

static int
put_multipath(struct nl_msg *m, const struct vrrp_conf_route *r)
{
	struct nlattr *nest;
	unsigned i = 0;
	int rc;

	if ((nest = nla_nest_start(m, RTA_MULTIPATH)) == NULL)
		return -1;
	while (i < r->argc && strcmp(r->argv[i], "nexthop") != 0)
		i++;
	while (i < r->argc) {
		i++;		/* "nexthop" */
		if ((rc = put_nexthop(m, r, &i)) != 0)
			return rc;
		while (i < r->argc && strcmp(r->argv[i], "nexthop") != 0)
			i++;
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

static int
route_table(const struct vrrp_conf_route *r, unsigned *table)
{
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
route_msg(const struct vrrp_conf_route *r, int ifindex, int add,
    struct nl_msg **out)
{
	const struct vrrp_conf_route_params *p = &r->p;
	struct rtmsg rtm;
	struct nl_msg *m;
	unsigned table;
	int oif = 0, rc;

	if ((rc = route_table(r, &table)) != 0)
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
	if (add && put_metrics(m, r) == -1)
		goto fail;
	if (p->nexthops > 0 && (rc = put_multipath(m, r)) != 0) {
		log_err("%s:%u: route: a nexthop clause names %s",
		    r->loc.file, r->loc.line, rc == -ENODEV ?
		    "an unknown interface" : "an invalid value");
		goto fail;
	}
	*out = m;
	return 0;
fail:
	nlmsg_free(m);
	return rc == 0 ? -ENOMEM : rc;
}

static void
route_warn_unsupported(const struct vrrp_conf_route *r)
{
	unsigned i;

	for (i = 0; i < r->argc; i++)
		if (word_in(unsupported, r->argv[i]))
			log_warn("%s:%u: route option %s not supported yet, "
			    "ignored", r->loc.file, r->loc.line, r->argv[i]);
}

static int
route_cmd(struct vrrp_kernel *k, const struct vrrp_conf_route *r,
    int ifindex, int add)
{
	char buf[ADDR_STRLEN + 8];
	struct nl_msg *m;
	int rc;

	if (add)
		route_warn_unsupported(r);
	if ((rc = route_msg(r, ifindex, add, &m)) == 0)
		rc = vrrp_nl_talk(k, m);
	if (add && rc == -EEXIST)
		rc = 0;
	if (!add && (rc == -ESRCH || rc == -ENOENT || rc == -ENODEV))
		rc = 0;
	if (rc < 0)
		log_err("%s:%u: %s route %s: %s", r->loc.file, r->loc.line,
		    add ? "adding" : "removing", vrrp_nl_prefix(&r->p.dst,
		    r->p.dst_len, buf, sizeof(buf)), strerror(-rc));
	return rc;
}

int
vrrp_route_add(struct vrrp_kernel *k, const struct vrrp_conf_route *r,
    int ifindex)
{
	return route_cmd(k, r, ifindex, 1);
}

int
vrrp_route_del(struct vrrp_kernel *k, const struct vrrp_conf_route *r,
    int ifindex)
{
	return route_cmd(k, r, ifindex, 0);
}

/* ---- rules ---------------------------------------------------------------- */

static int
rule_msg(const struct vrrp_conf_rule *r, int add, struct nl_msg **out)
{
	const struct vrrp_conf_rule_params *p = &r->p;
	struct fib_rule_hdr frh;
	struct nl_msg *m;
	unsigned table = 0;

	if (r->table_name != NULL && vrrp_nl_table(r->table_name,
	    &table) == -1) {
		log_err("%s:%u: rule table '%s' is not in rt_tables",
		    r->loc.file, r->loc.line, r->table_name);
		return -ENOENT;
	}
	if (r->table_name == NULL && (p->flags & VRRP_RU_TABLE))
		table = p->table;
	if (table == 0 && add && p->action == FR_ACT_TO_TBL &&
	    !(p->flags & VRRP_RU_L3MDEV))
		table = RT_TABLE_MAIN;
	m = nlmsg_alloc_simple(add ? RTM_NEWRULE : RTM_DELRULE, add ?
	    NLM_F_CREATE | NLM_F_EXCL : 0);
	if (m == NULL)
		return -ENOMEM;
	memset(&frh, 0, sizeof(frh));
	frh.family = (unsigned char)p->family;
	frh.src_len = (unsigned char)p->from_len;
	frh.dst_len = (unsigned char)p->to_len;
	frh.tos = (unsigned char)p->tos;
	frh.table = table < 256 ? (unsigned char)table : RT_TABLE_UNSPEC;
	frh.action = (unsigned char)p->action;
	if (p->flags & VRRP_RU_NOT)
		frh.flags |= FIB_RULE_INVERT;
	if (nlmsg_append(m, &frh, sizeof(frh), NLMSG_ALIGNTO) < 0)
		goto fail;
	if (p->from_len > 0 && vrrp_nl_put_addr(m, FRA_SRC, &p->from) == -1)
		goto fail;
	if (p->to_len > 0 && vrrp_nl_put_addr(m, FRA_DST, &p->to) == -1)
		goto fail;
	if ((p->flags & VRRP_RU_PRIORITY) &&
	    nla_put_u32(m, FRA_PRIORITY, p->priority) < 0)
		goto fail;
	if ((p->flags & VRRP_RU_FWMARK) &&
	    (nla_put_u32(m, FRA_FWMARK, p->fwmark) < 0 ||
	    nla_put_u32(m, FRA_FWMASK, p->fwmask) < 0))
		goto fail;
	if (r->iif != NULL && nla_put_string(m, FRA_IIFNAME, r->iif) < 0)
		goto fail;
	if (r->oif != NULL && nla_put_string(m, FRA_OIFNAME, r->oif) < 0)
		goto fail;
	if (table != 0 && nla_put_u32(m, FRA_TABLE, table) < 0)
		goto fail;
	if ((p->flags & VRRP_RU_GOTO) &&
	    nla_put_u32(m, FRA_GOTO, p->goto_target) < 0)
		goto fail;
	if ((p->flags & VRRP_RU_L3MDEV) && nla_put_u8(m, FRA_L3MDEV, 1) < 0)
		goto fail;
	*out = m;
	return 0;
fail:
	nlmsg_free(m);
	return -ENOMEM;
}

static void
rule_warn_unsupported(const struct vrrp_conf_rule *r)
{
	static const char *const words[] = {
		"realms", "suppress_prefixlength", "suppress_ifgroup",
		"uidrange", "ip_proto", "ipproto", "sport", "dport",
		"protocol", NULL,
	};
	unsigned i;

	for (i = 0; i < r->argc; i++)
		if (word_in(words, r->argv[i]))
			log_warn("%s:%u: rule option %s not supported yet, "
			    "ignored", r->loc.file, r->loc.line, r->argv[i]);
}

static int
rule_cmd(struct vrrp_kernel *k, const struct vrrp_conf_rule *r, int add)
{
	struct nl_msg *m;
	int rc;

	if (add)
		rule_warn_unsupported(r);
	if ((rc = rule_msg(r, add, &m)) == 0)
		rc = vrrp_nl_talk(k, m);
	if (add && rc == -EEXIST)
		rc = 0;
	if (!add && (rc == -ENOENT || rc == -ESRCH))
		rc = 0;
	if (rc < 0)
		log_err("%s:%u: %s rule: %s", r->loc.file, r->loc.line,
		    add ? "adding" : "removing", strerror(-rc));
	return rc;
}

int
vrrp_rule_add(struct vrrp_kernel *k, const struct vrrp_conf_rule *r)
{
	return rule_cmd(k, r, 1);
}

int
vrrp_rule_del(struct vrrp_kernel *k, const struct vrrp_conf_rule *r)
{
	return rule_cmd(k, r, 0);
}

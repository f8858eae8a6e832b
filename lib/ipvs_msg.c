/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * IPVS generic netlink messages: services, destinations, timeouts and the
 * sync daemon written as attributes (libnl-genl) and read back from the
 * kernel's replies. Replies are validated against a policy before use: a
 * short or missing attribute is an error, never a read past the end.
 */
#include "autoconfig.h"

#include <errno.h>
#include <string.h>
#include <stdio.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include <linux/ip_vs.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>
#include <netlink/attr.h>

#include "ipvs.h"
#include "ipvs_int.h"

static size_t
af_len(int af)
{
	return af == AF_INET6 ? 16 : 4;
}

static int
put_addr(struct nl_msg *m, int type, const struct vg_addr *a, int af)
{
	if (af != AF_INET && af != AF_INET6)
		return -EAFNOSUPPORT;
	if (a->family != af)
		return -EINVAL;
	return nla_put(m, type, (int)af_len(af), &a->u) < 0 ? -EMSGSIZE : 0;
}

static int
get_addr(struct nlattr *na, int af, struct vg_addr *a)
{
	memset(a, 0, sizeof(*a));
	if (na == NULL || (af != AF_INET && af != AF_INET6) ||
	    (size_t)nla_len(na) < af_len(af))
		return -EPROTO;
	a->family = af;
	memcpy(&a->u, nla_data(na), af_len(af));
	return 0;
}

uint32_t
ipvs_svc_netmask(const struct ipvs_svc *s)
{
	if (s->netmask != 0)
		return s->netmask;
	return s->af == AF_INET6 ? 128 : 0xffffffffu;
}

/* The service's identity, and with full its settings. */
int
ipvs_put_svc(struct nl_msg *m, const struct ipvs_svc *s, int full)
{
	struct nlattr *nest = nla_nest_start(m, IPVS_CMD_ATTR_SERVICE);
	int r = 0;

	if (nest == NULL)
		return -EMSGSIZE;
	if (s->af != AF_INET && s->af != AF_INET6)
		return -EAFNOSUPPORT;
	if (nla_put_u16(m, IPVS_SVC_ATTR_AF, (uint16_t)s->af) < 0)
		return -EMSGSIZE;
	if (s->fwmark != 0) {
		if (nla_put_u32(m, IPVS_SVC_ATTR_FWMARK, s->fwmark) < 0)
			return -EMSGSIZE;
	} else {
		if (s->port > 65535)
			return -EINVAL;
		if (nla_put_u16(m, IPVS_SVC_ATTR_PROTOCOL,
		    (uint16_t)s->protocol) < 0 ||
		    (r = put_addr(m, IPVS_SVC_ATTR_ADDR, &s->addr, s->af)) < 0 ||
		    nla_put_u16(m, IPVS_SVC_ATTR_PORT,
		    htons((uint16_t)s->port)) < 0)
			return r < 0 ? r : -EMSGSIZE;
	}
	if (full) {
		struct ip_vs_flags fl = { s->flags & ~IPVS_SVC_HASHED,
		    ~(uint32_t)IPVS_SVC_HASHED };

		if (s->timeout != 0)
			fl.flags |= IPVS_SVC_PERSISTENT;
		else
			fl.flags &= ~(uint32_t)IPVS_SVC_PERSISTENT;
		if (nla_put_string(m, IPVS_SVC_ATTR_SCHED_NAME,
		    s->sched[0] != '\0' ? s->sched : "wlc") < 0 ||
		    nla_put(m, IPVS_SVC_ATTR_FLAGS, sizeof(fl), &fl) < 0 ||
		    nla_put_u32(m, IPVS_SVC_ATTR_TIMEOUT, s->timeout) < 0 ||
		    nla_put_u32(m, IPVS_SVC_ATTR_NETMASK,
		    ipvs_svc_netmask(s)) < 0)
			return -EMSGSIZE;
		if (s->pe[0] != '\0' &&
		    nla_put_string(m, IPVS_SVC_ATTR_PE_NAME, s->pe) < 0)
			return -EMSGSIZE;
	}
	nla_nest_end(m, nest);
	return 0;
}

int
ipvs_put_dest(struct nl_msg *m, const struct ipvs_svc *s,
    const struct ipvs_dest *d, int full)
{
	struct nlattr *nest = nla_nest_start(m, IPVS_CMD_ATTR_DEST);
	int af = d->addr.family, r;

	if (nest == NULL)
		return -EMSGSIZE;
	if (d->port > 65535 || d->weight < 0 || d->tun_port > 65535)
		return -EINVAL;
	if ((r = put_addr(m, IPVS_DEST_ATTR_ADDR, &d->addr, af)) < 0)
		return r;
	if (nla_put_u16(m, IPVS_DEST_ATTR_PORT, htons((uint16_t)d->port)) < 0)
		return -EMSGSIZE;
	if (af != s->af &&
	    nla_put_u16(m, IPVS_DEST_ATTR_ADDR_FAMILY, (uint16_t)af) < 0)
		return -EMSGSIZE;
	if (full) {
		if (nla_put_u32(m, IPVS_DEST_ATTR_FWD_METHOD,
		    (uint32_t)d->fwd & IP_VS_CONN_F_FWD_MASK) < 0 ||
		    nla_put_u32(m, IPVS_DEST_ATTR_WEIGHT, (uint32_t)d->weight) < 0 ||
		    nla_put_u32(m, IPVS_DEST_ATTR_U_THRESH, d->u_thresh) < 0 ||
		    nla_put_u32(m, IPVS_DEST_ATTR_L_THRESH, d->l_thresh) < 0)
			return -EMSGSIZE;
		if (d->fwd == IPVS_FWD_TUN &&
		    (nla_put_u8(m, IPVS_DEST_ATTR_TUN_TYPE,
		    (uint8_t)d->tun_type) < 0 ||
		    nla_put_u16(m, IPVS_DEST_ATTR_TUN_PORT,
		    htons((uint16_t)d->tun_port)) < 0 ||
		    nla_put_u16(m, IPVS_DEST_ATTR_TUN_FLAGS,
		    (uint16_t)d->tun_flags) < 0))
			return -EMSGSIZE;
	}
	nla_nest_end(m, nest);
	return 0;
}

int
ipvs_put_timeouts(struct nl_msg *m, const struct ipvs_timeouts *t)
{
	if ((t->tcp && nla_put_u32(m, IPVS_CMD_ATTR_TIMEOUT_TCP, t->tcp) < 0) ||
	    (t->tcp_fin && nla_put_u32(m, IPVS_CMD_ATTR_TIMEOUT_TCP_FIN,
	    t->tcp_fin) < 0) ||
	    (t->udp && nla_put_u32(m, IPVS_CMD_ATTR_TIMEOUT_UDP, t->udp) < 0))
		return -EMSGSIZE;
	return 0;
}

int
ipvs_put_daemon(struct nl_msg *m, const struct ipvs_daemon *d, int full)
{
	struct nlattr *nest = nla_nest_start(m, IPVS_CMD_ATTR_DAEMON);

	if (nest == NULL)
		return -EMSGSIZE;
	if (nla_put_u32(m, IPVS_DAEMON_ATTR_STATE, (uint32_t)d->state) < 0)
		return -EMSGSIZE;
	if (full) {
		if (d->ifname[0] == '\0' || d->syncid > 255 ||
		    d->maxlen > 65535 || d->port > 65535 || d->ttl > 255)
			return -EINVAL;
		if (nla_put_string(m, IPVS_DAEMON_ATTR_MCAST_IFN, d->ifname) < 0 ||
		    nla_put_u32(m, IPVS_DAEMON_ATTR_SYNC_ID, d->syncid) < 0)
			return -EMSGSIZE;
		if (d->maxlen && nla_put_u16(m, IPVS_DAEMON_ATTR_SYNC_MAXLEN,
		    (uint16_t)d->maxlen) < 0)
			return -EMSGSIZE;
		if (d->group.family == AF_INET && nla_put(m,
		    IPVS_DAEMON_ATTR_MCAST_GROUP, 4, &d->group.u.v4) < 0)
			return -EMSGSIZE;
		if (d->group.family == AF_INET6 && nla_put(m,
		    IPVS_DAEMON_ATTR_MCAST_GROUP6, 16, &d->group.u.v6) < 0)
			return -EMSGSIZE;
		if (d->port && nla_put_u16(m, IPVS_DAEMON_ATTR_MCAST_PORT,
		    (uint16_t)d->port) < 0)
			return -EMSGSIZE;
		if (d->ttl && nla_put_u8(m, IPVS_DAEMON_ATTR_MCAST_TTL,
		    (uint8_t)d->ttl) < 0)
			return -EMSGSIZE;
	}
	nla_nest_end(m, nest);
	return 0;
}

/* ---- replies ------------------------------------------------------------ */

static struct nla_policy cmd_policy[IPVS_CMD_ATTR_MAX + 1] = {
	[IPVS_CMD_ATTR_SERVICE] = { .type = NLA_NESTED },
	[IPVS_CMD_ATTR_DEST] = { .type = NLA_NESTED },
	[IPVS_CMD_ATTR_DAEMON] = { .type = NLA_NESTED },
	[IPVS_CMD_ATTR_TIMEOUT_TCP] = { .type = NLA_U32 },
	[IPVS_CMD_ATTR_TIMEOUT_TCP_FIN] = { .type = NLA_U32 },
	[IPVS_CMD_ATTR_TIMEOUT_UDP] = { .type = NLA_U32 },
};

static struct nla_policy svc_policy[IPVS_SVC_ATTR_MAX + 1] = {
	[IPVS_SVC_ATTR_AF] = { .type = NLA_U16 },
	[IPVS_SVC_ATTR_PROTOCOL] = { .type = NLA_U16 },
	[IPVS_SVC_ATTR_ADDR] = { .type = NLA_UNSPEC, .minlen = 4 },
	[IPVS_SVC_ATTR_PORT] = { .type = NLA_U16 },
	[IPVS_SVC_ATTR_FWMARK] = { .type = NLA_U32 },
	[IPVS_SVC_ATTR_SCHED_NAME] = { .type = NLA_STRING },
	[IPVS_SVC_ATTR_FLAGS] = { .type = NLA_UNSPEC,
	    .minlen = sizeof(struct ip_vs_flags) },
	[IPVS_SVC_ATTR_TIMEOUT] = { .type = NLA_U32 },
	[IPVS_SVC_ATTR_NETMASK] = { .type = NLA_U32 },
	[IPVS_SVC_ATTR_STATS] = { .type = NLA_NESTED },
	[IPVS_SVC_ATTR_PE_NAME] = { .type = NLA_STRING },
	[IPVS_SVC_ATTR_STATS64] = { .type = NLA_NESTED },
};

static struct nla_policy dest_policy[IPVS_DEST_ATTR_MAX + 1] = {
	[IPVS_DEST_ATTR_ADDR] = { .type = NLA_UNSPEC, .minlen = 4 },
	[IPVS_DEST_ATTR_PORT] = { .type = NLA_U16 },
	[IPVS_DEST_ATTR_FWD_METHOD] = { .type = NLA_U32 },
	[IPVS_DEST_ATTR_WEIGHT] = { .type = NLA_U32 },
	[IPVS_DEST_ATTR_U_THRESH] = { .type = NLA_U32 },
	[IPVS_DEST_ATTR_L_THRESH] = { .type = NLA_U32 },
	[IPVS_DEST_ATTR_ACTIVE_CONNS] = { .type = NLA_U32 },
	[IPVS_DEST_ATTR_INACT_CONNS] = { .type = NLA_U32 },
	[IPVS_DEST_ATTR_PERSIST_CONNS] = { .type = NLA_U32 },
	[IPVS_DEST_ATTR_STATS] = { .type = NLA_NESTED },
	[IPVS_DEST_ATTR_ADDR_FAMILY] = { .type = NLA_U16 },
	[IPVS_DEST_ATTR_STATS64] = { .type = NLA_NESTED },
	[IPVS_DEST_ATTR_TUN_TYPE] = { .type = NLA_U8 },
	[IPVS_DEST_ATTR_TUN_PORT] = { .type = NLA_U16 },
	[IPVS_DEST_ATTR_TUN_FLAGS] = { .type = NLA_U16 },
};

static struct nla_policy stats_policy[IPVS_STATS_ATTR_MAX + 1] = {
	[IPVS_STATS_ATTR_CONNS] = { .type = NLA_U32 },
	[IPVS_STATS_ATTR_INPKTS] = { .type = NLA_U32 },
	[IPVS_STATS_ATTR_OUTPKTS] = { .type = NLA_U32 },
	[IPVS_STATS_ATTR_INBYTES] = { .type = NLA_U64 },
	[IPVS_STATS_ATTR_OUTBYTES] = { .type = NLA_U64 },
	[IPVS_STATS_ATTR_CPS] = { .type = NLA_U32 },
	[IPVS_STATS_ATTR_INPPS] = { .type = NLA_U32 },
	[IPVS_STATS_ATTR_OUTPPS] = { .type = NLA_U32 },
	[IPVS_STATS_ATTR_INBPS] = { .type = NLA_U32 },
	[IPVS_STATS_ATTR_OUTBPS] = { .type = NLA_U32 },
};

static struct nla_policy stats64_policy[IPVS_STATS_ATTR_MAX + 1] = {
	[IPVS_STATS_ATTR_CONNS] = { .type = NLA_U64 },
	[IPVS_STATS_ATTR_INPKTS] = { .type = NLA_U64 },
	[IPVS_STATS_ATTR_OUTPKTS] = { .type = NLA_U64 },
	[IPVS_STATS_ATTR_INBYTES] = { .type = NLA_U64 },
	[IPVS_STATS_ATTR_OUTBYTES] = { .type = NLA_U64 },
	[IPVS_STATS_ATTR_CPS] = { .type = NLA_U64 },
	[IPVS_STATS_ATTR_INPPS] = { .type = NLA_U64 },
	[IPVS_STATS_ATTR_OUTPPS] = { .type = NLA_U64 },
	[IPVS_STATS_ATTR_INBPS] = { .type = NLA_U64 },
	[IPVS_STATS_ATTR_OUTBPS] = { .type = NLA_U64 },
};

static struct nla_policy daemon_policy[IPVS_DAEMON_ATTR_MAX + 1] = {
	[IPVS_DAEMON_ATTR_STATE] = { .type = NLA_U32 },
	[IPVS_DAEMON_ATTR_MCAST_IFN] = { .type = NLA_STRING },
	[IPVS_DAEMON_ATTR_SYNC_ID] = { .type = NLA_U32 },
	[IPVS_DAEMON_ATTR_SYNC_MAXLEN] = { .type = NLA_U16 },
	[IPVS_DAEMON_ATTR_MCAST_GROUP] = { .type = NLA_U32 },
	[IPVS_DAEMON_ATTR_MCAST_GROUP6] = { .type = NLA_UNSPEC, .minlen = 16 },
	[IPVS_DAEMON_ATTR_MCAST_PORT] = { .type = NLA_U16 },
	[IPVS_DAEMON_ATTR_MCAST_TTL] = { .type = NLA_U8 },
};

int
ipvs_parse_cmd(struct nlmsghdr *h, struct nlattr **tb)
{
	if (genlmsg_parse(h, 0, tb, IPVS_CMD_ATTR_MAX, cmd_policy) < 0)
		return -EPROTO;
	return 0;
}

static void
get_stats(struct nlattr *s32, struct nlattr *s64, struct ipvs_stats *st)
{
	struct nlattr *tb[IPVS_STATS_ATTR_MAX + 1];
	int wide = s64 != NULL;

	memset(st, 0, sizeof(*st));
	if (wide ? nla_parse_nested(tb, IPVS_STATS_ATTR_MAX, s64,
	    stats64_policy) < 0 : s32 == NULL || nla_parse_nested(tb,
	    IPVS_STATS_ATTR_MAX, s32, stats_policy) < 0)
		return;
#define G(a) (tb[a] == NULL ? 0 : wide ? nla_get_u64(tb[a]) : \
	    (uint64_t)nla_get_u32(tb[a]))
	st->conns = G(IPVS_STATS_ATTR_CONNS);
	st->inpkts = G(IPVS_STATS_ATTR_INPKTS);
	st->outpkts = G(IPVS_STATS_ATTR_OUTPKTS);
	st->cps = G(IPVS_STATS_ATTR_CPS);
	st->inpps = G(IPVS_STATS_ATTR_INPPS);
	st->outpps = G(IPVS_STATS_ATTR_OUTPPS);
	st->inbps = G(IPVS_STATS_ATTR_INBPS);
	st->outbps = G(IPVS_STATS_ATTR_OUTBPS);
#undef G
	if (tb[IPVS_STATS_ATTR_INBYTES] != NULL)
		st->inbytes = nla_get_u64(tb[IPVS_STATS_ATTR_INBYTES]);
	if (tb[IPVS_STATS_ATTR_OUTBYTES] != NULL)
		st->outbytes = nla_get_u64(tb[IPVS_STATS_ATTR_OUTBYTES]);
}

int
ipvs_get_svc(struct nlattr *na, struct ipvs_svc *s)
{
	struct nlattr *tb[IPVS_SVC_ATTR_MAX + 1];

	memset(s, 0, sizeof(*s));
	if (na == NULL || nla_parse_nested(tb, IPVS_SVC_ATTR_MAX, na,
	    svc_policy) < 0 || tb[IPVS_SVC_ATTR_AF] == NULL)
		return -EPROTO;
	s->af = nla_get_u16(tb[IPVS_SVC_ATTR_AF]);
	if (tb[IPVS_SVC_ATTR_FWMARK] != NULL &&
	    nla_get_u32(tb[IPVS_SVC_ATTR_FWMARK]) != 0) {
		s->fwmark = nla_get_u32(tb[IPVS_SVC_ATTR_FWMARK]);
	} else {
		if (tb[IPVS_SVC_ATTR_PROTOCOL] == NULL ||
		    tb[IPVS_SVC_ATTR_PORT] == NULL ||
		    get_addr(tb[IPVS_SVC_ATTR_ADDR], s->af, &s->addr) < 0)
			return -EPROTO;
		s->protocol = nla_get_u16(tb[IPVS_SVC_ATTR_PROTOCOL]);
		s->port = ntohs(nla_get_u16(tb[IPVS_SVC_ATTR_PORT]));
	}
	if (tb[IPVS_SVC_ATTR_SCHED_NAME] != NULL)
		snprintf(s->sched, sizeof(s->sched), "%s",
		    nla_get_string(tb[IPVS_SVC_ATTR_SCHED_NAME]));
	if (tb[IPVS_SVC_ATTR_PE_NAME] != NULL)
		snprintf(s->pe, sizeof(s->pe), "%s",
		    nla_get_string(tb[IPVS_SVC_ATTR_PE_NAME]));
	if (tb[IPVS_SVC_ATTR_FLAGS] != NULL) {
		struct ip_vs_flags fl;

		memcpy(&fl, nla_data(tb[IPVS_SVC_ATTR_FLAGS]), sizeof(fl));
		s->flags = fl.flags;
	}
	if (tb[IPVS_SVC_ATTR_TIMEOUT] != NULL)
		s->timeout = nla_get_u32(tb[IPVS_SVC_ATTR_TIMEOUT]);
	if (tb[IPVS_SVC_ATTR_NETMASK] != NULL)
		s->netmask = nla_get_u32(tb[IPVS_SVC_ATTR_NETMASK]);
	get_stats(tb[IPVS_SVC_ATTR_STATS], tb[IPVS_SVC_ATTR_STATS64],
	    &s->stats);
	return 0;
}

int
ipvs_get_dest(struct nlattr *na, int svc_af, struct ipvs_dest *d,
    struct ipvs_dest_stats *st)
{
	struct nlattr *tb[IPVS_DEST_ATTR_MAX + 1];
	int af = svc_af;

	memset(d, 0, sizeof(*d));
	memset(st, 0, sizeof(*st));
	if (na == NULL || nla_parse_nested(tb, IPVS_DEST_ATTR_MAX, na,
	    dest_policy) < 0 || tb[IPVS_DEST_ATTR_PORT] == NULL)
		return -EPROTO;
	if (tb[IPVS_DEST_ATTR_ADDR_FAMILY] != NULL)
		af = nla_get_u16(tb[IPVS_DEST_ATTR_ADDR_FAMILY]);
	if (get_addr(tb[IPVS_DEST_ATTR_ADDR], af, &d->addr) < 0)
		return -EPROTO;
	d->port = ntohs(nla_get_u16(tb[IPVS_DEST_ATTR_PORT]));
#define U32(a) (tb[a] != NULL ? nla_get_u32(tb[a]) : 0)
	d->fwd = (enum ipvs_fwd)(U32(IPVS_DEST_ATTR_FWD_METHOD) &
	    IP_VS_CONN_F_FWD_MASK);
	d->weight = (int)U32(IPVS_DEST_ATTR_WEIGHT);
	d->u_thresh = U32(IPVS_DEST_ATTR_U_THRESH);
	d->l_thresh = U32(IPVS_DEST_ATTR_L_THRESH);
	st->active = U32(IPVS_DEST_ATTR_ACTIVE_CONNS);
	st->inactive = U32(IPVS_DEST_ATTR_INACT_CONNS);
	st->persist = U32(IPVS_DEST_ATTR_PERSIST_CONNS);
#undef U32
	if (tb[IPVS_DEST_ATTR_TUN_TYPE] != NULL)
		d->tun_type = nla_get_u8(tb[IPVS_DEST_ATTR_TUN_TYPE]);
	if (tb[IPVS_DEST_ATTR_TUN_PORT] != NULL)
		d->tun_port = ntohs(nla_get_u16(tb[IPVS_DEST_ATTR_TUN_PORT]));
	if (tb[IPVS_DEST_ATTR_TUN_FLAGS] != NULL)
		d->tun_flags = nla_get_u16(tb[IPVS_DEST_ATTR_TUN_FLAGS]);
	get_stats(tb[IPVS_DEST_ATTR_STATS], tb[IPVS_DEST_ATTR_STATS64],
	    &st->stats);
	return 0;
}

int
ipvs_get_daemon(struct nlattr *na, struct ipvs_daemon *d)
{
	struct nlattr *tb[IPVS_DAEMON_ATTR_MAX + 1];

	memset(d, 0, sizeof(*d));
	if (na == NULL || nla_parse_nested(tb, IPVS_DAEMON_ATTR_MAX, na,
	    daemon_policy) < 0 || tb[IPVS_DAEMON_ATTR_STATE] == NULL)
		return -EPROTO;
	d->state = (enum ipvs_sync_state)nla_get_u32(tb[IPVS_DAEMON_ATTR_STATE]);
	if (tb[IPVS_DAEMON_ATTR_MCAST_IFN] != NULL)
		snprintf(d->ifname, sizeof(d->ifname), "%s",
		    nla_get_string(tb[IPVS_DAEMON_ATTR_MCAST_IFN]));
	if (tb[IPVS_DAEMON_ATTR_SYNC_ID] != NULL)
		d->syncid = nla_get_u32(tb[IPVS_DAEMON_ATTR_SYNC_ID]);
	if (tb[IPVS_DAEMON_ATTR_SYNC_MAXLEN] != NULL)
		d->maxlen = nla_get_u16(tb[IPVS_DAEMON_ATTR_SYNC_MAXLEN]);
	if (tb[IPVS_DAEMON_ATTR_MCAST_PORT] != NULL)
		d->port = nla_get_u16(tb[IPVS_DAEMON_ATTR_MCAST_PORT]);
	if (tb[IPVS_DAEMON_ATTR_MCAST_TTL] != NULL)
		d->ttl = nla_get_u8(tb[IPVS_DAEMON_ATTR_MCAST_TTL]);
	if (tb[IPVS_DAEMON_ATTR_MCAST_GROUP] != NULL) {
		d->group.family = AF_INET;
		memcpy(&d->group.u.v4, nla_data(tb[IPVS_DAEMON_ATTR_MCAST_GROUP]),
		    4);
	} else if (tb[IPVS_DAEMON_ATTR_MCAST_GROUP6] != NULL) {
		d->group.family = AF_INET6;
		memcpy(&d->group.u.v6,
		    nla_data(tb[IPVS_DAEMON_ATTR_MCAST_GROUP6]), 16);
	}
	return 0;
}

int
ipvs_svc_same_id(const struct ipvs_svc *a, const struct ipvs_svc *b)
{
	if (a->af != b->af || a->fwmark != b->fwmark)
		return 0;
	if (a->fwmark != 0)
		return 1;
	return a->protocol == b->protocol && a->port == b->port &&
	    addr_cmp(&a->addr, &b->addr) == 0;
}

const char *
ipvs_svc_name(const struct ipvs_svc *s, char *buf, size_t len)
{
	char a[ADDR_STRLEN];
	const char *p = s->protocol == IPPROTO_UDP ? "UDP" :
	    s->protocol == IPPROTO_SCTP ? "SCTP" : "TCP";

	if (s->fwmark != 0)
		snprintf(buf, len, "FWM %u%s", s->fwmark,
		    s->af == AF_INET6 ? " (IPv6)" : "");
	else
		snprintf(buf, len, "%s [%s]:%u", p, addr_ntop(&s->addr, a,
		    sizeof(a)), s->port);
	return buf;
}

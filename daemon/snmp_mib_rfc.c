/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * VRRP-MIB (RFC 2787, mib-2.68) and VRRPv3-MIB (RFC 6527, mib-2.207) as
 * keepalived 2.2.7 serves them: rows indexed by (ifIndex, VRID) for
 * VRRP-MIB (VRRPv2 IPv4 instances only) and (ifIndex, VRID, address type)
 * for VRRPv3-MIB (every instance). The interface's index and MAC address
 * are looked up in the system (the child runs in vigild's namespace);
 * states and counters come from the store (docs/state.md attrs; 0 when
 * the VRRP child does not send them).
 */
#include "autoconfig.h"

#include <ifaddrs.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <net/if.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "addr.h"
#include "global_conf.h"
#include "ipc_msg.h"
#include "snmp_int.h"
#include "vrrp/config.h"

#define V2 1, 3, 6, 1, 2, 1, 68
#define V3 1, 3, 6, 1, 2, 1, 207
const oid snmp_oid_vrrp_mib[] = { V2 };
const size_t snmp_oid_vrrp_mib_len = OID_LENGTH(snmp_oid_vrrp_mib);
const oid snmp_oid_vrrpv3_mib[] = { V3 };
const size_t snmp_oid_vrrpv3_mib_len = OID_LENGTH(snmp_oid_vrrpv3_mib);

static const oid oid_v2_ops[] = { V2, 1 };
static const oid oid_v2_oper_entry[] = { V2, 1, 3, 1 };
static const oid oid_v2_assoc_entry[] = { V2, 1, 4, 1 };
static const oid oid_v2_stats[] = { V2, 2 };
static const oid oid_v2_stats_entry[] = { V2, 2, 4, 1 };
static const oid oid_v3_oper_entry[] = { V3, 1, 1, 1, 1 };
static const oid oid_v3_assoc_entry[] = { V3, 1, 1, 2, 1 };
static const oid oid_v3_stats[] = { V3, 1, 2 };
static const oid oid_v3_stats_entry[] = { V3, 1, 2, 5, 1 };

#define TV(x) ((x) ? 1 : 2)

/* What a row needs of an instance, looked up once. */
struct rfc_inst {
	const struct vrrp_instance_conf *c;
	const struct state_obj *o;
	unsigned ifindex;
	unsigned char mac[6];
	struct vg_addr primary;	/* family 0: unknown */
	struct vg_addr heard;	/* the last advert's source taken as
				 * BACKUP; family 0: none yet */
	int state;		/* VrrpState (snmp_vrrp_state) */
	long long eff;
	long long prio;		/* base priority, as set at run time */
	int preempt;		/* TruthValue, as set at run time */
	int reason;		/* newMasterReason, kept out of MASTER */
	unsigned long ticks;	/* in this state, hundredths of a second */
};

static void
if_mac(const char *ifname, unsigned char mac[6])
{
	struct ifreq r;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	memset(mac, 0, 6);
	if (fd < 0)
		return;
	memset(&r, 0, sizeof(r));
	snprintf(r.ifr_name, sizeof(r.ifr_name), "%s", ifname);
	if (ioctl(fd, SIOCGIFHWADDR, &r) == 0)
		memcpy(mac, r.ifr_hwaddr.sa_data, 6);
	close(fd);
}

/* The interface's first address of the family (link-local for IPv6). */
static void
if_primary(const struct ifaddrs *all, const char *ifname, int family,
    struct vg_addr *out)
{
	for (const struct ifaddrs *a = all; a != NULL; a = a->ifa_next) {
		if (a->ifa_addr == NULL || a->ifa_addr->sa_family != family ||
		    strcmp(a->ifa_name, ifname) != 0)
			continue;
		out->family = family;
		if (family == AF_INET)
			out->u.v4 = ((const struct sockaddr_in *)(const void *)
			    a->ifa_addr)->sin_addr;
		else {
			const struct in6_addr *v6 = &((const struct sockaddr_in6 *)
			    (const void *)a->ifa_addr)->sin6_addr;

			if (!IN6_IS_ADDR_LINKLOCAL(v6))
				continue;
			out->u.v6 = *v6;
		}
		return;
	}
}

static void
rfc_inst_fill(struct rfc_inst *r, const struct snmp_ctx *ctx,
    const struct vrrp_instance_conf *c, const struct ifaddrs *ifs)
{
	char m[ADDR_STRLEN];
	time_t now = time(NULL);

	memset(r, 0, sizeof(*r));
	r->c = c;
	r->o = snmp_obj(ctx->vrrp_st, "vrrp_instance", c->name);
	r->state = snmp_vrrp_state(r->o != NULL ? r->o->state : NULL);
	r->eff = r->o != NULL && r->o->weight != IPC_OBJ_NO_WEIGHT ?
	    r->o->weight : (long long)c->p.priority;
	/* keepalived's RFC tables show the base priority and preemption
	 * as vrrpInstanceBasePriority and vrrpInstancePreempt set them */
	r->prio = snmp_attr_num(r->o, "priority", c->p.priority);
	r->preempt = TV(snmp_attr_num(r->o, "preempt", !c->p.nopreempt));
	r->reason = (int)snmp_attr_num(r->o, "new_master_reason", 0);
	r->ifindex = if_nametoindex(c->interface);
	if (c->p.use_vmac) {
		unsigned char v[6] = { 0, 0, 0x5e, 0, 1, (unsigned char)c->p.vrid };

		if (c->p.family == AF_INET6)
			v[4] = 2;
		memcpy(r->mac, v, 6);
	} else
		if_mac(c->interface, r->mac);
	if (c->p.src_ip.family != 0)
		r->primary = c->p.src_ip;
	else
		if_primary(ifs, c->interface, c->p.family, &r->primary);
	if (r->o != NULL && r->o->attrs != NULL &&
	    ipc_attrs_get(r->o->attrs, "master_heard", m, sizeof(m)))
		(void)addr_parse(m, &r->heard);
	if (r->o != NULL && (uint64_t)now >= r->o->since)
		r->ticks = (unsigned long)(now - (time_t)r->o->since) * 100;
}

static void
addr_bytes(const struct vg_addr *a, int family, const void **p, size_t *len)
{
	static const unsigned char zero[16];

	if (a->family == AF_INET6) {
		*p = &a->u.v6;
		*len = 16;
	} else if (a->family == AF_INET) {
		*p = &a->u.v4;
		*len = 4;
	} else {
		*p = zero;
		*len = family == AF_INET6 ? 16 : 4;
	}
}

/* RFC state: initialize(1), backup(2), master(3). */
static int
rfc_state(int vrrp_state)
{
	return vrrp_state == 2 ? 3 : vrrp_state == 1 ? 2 : 1;
}

/* ---- VRRP-MIB --------------------------------------------------------- */

static void
v2_row(struct snmp_view *w, const struct rfc_inst *r)
{
	const struct vrrp_instance_conf *c = r->c;
	const size_t el = OID_LENGTH(oid_v2_oper_entry);
	const size_t sl = OID_LENGTH(oid_v2_stats_entry);
	oid idx[2 + 4] = { r->ifindex, c->p.vrid };
	/* vrrpStatsTable's columns in order, as docs/state.md names the
	 * counters (a key the VRRP child does not send counts 0): an advert
	 * of an auth type no VRRPv2 router uses is keepalived's
	 * InvalidAuthType (10), one of another instance's type its
	 * AuthTypeMismatch (11) */
	static const char *const stats[] = { "became_master",
	    "adverts_received", "drops_interval", "drops_auth",
	    "drops_ttl", "priority_zero_received", "priority_zero_sent",
	    "drops_type", "drops_addrs", "drops_invalid_auth_type",
	    "drops_auth_type", "drops_short" };
	const void *p;
	size_t len;

	snmp_vb_bytes(w, snmp_view_cell(w, oid_v2_oper_entry, el, 2, idx, 2),
	    ASN_OCTET_STR, r->mac, 6);
	snmp_vb_int(snmp_view_cell(w, oid_v2_oper_entry, el, 3, idx, 2),
	    ASN_INTEGER, rfc_state(r->state));
	snmp_vb_int(snmp_view_cell(w, oid_v2_oper_entry, el, 4, idx, 2),
	    ASN_INTEGER, 1);
	snmp_vb_int(snmp_view_cell(w, oid_v2_oper_entry, el, 5, idx, 2),
	    ASN_INTEGER, r->prio);
	snmp_vb_int(snmp_view_cell(w, oid_v2_oper_entry, el, 6, idx, 2),
	    ASN_INTEGER, c->vips.n);
	/* keepalived shows the source of the last advert it took as
	 * BACKUP, in every state (0.0.0.0 before any) */
	addr_bytes(&r->heard, AF_INET, &p, &len);
	snmp_vb_bytes(w, snmp_view_cell(w, oid_v2_oper_entry, el, 7, idx, 2),
	    ASN_IPADDRESS, p, 4);
	addr_bytes(&r->primary, AF_INET, &p, &len);
	snmp_vb_bytes(w, snmp_view_cell(w, oid_v2_oper_entry, el, 8, idx, 2),
	    ASN_IPADDRESS, p, 4);
	snmp_vb_int(snmp_view_cell(w, oid_v2_oper_entry, el, 9, idx, 2),
	    ASN_INTEGER, (int)c->p.auth_type + 1);
	snmp_vb_int(snmp_view_cell(w, oid_v2_oper_entry, el, 11, idx, 2),
	    ASN_INTEGER, (long)(c->p.advert_int / 1000000));
	snmp_vb_int(snmp_view_cell(w, oid_v2_oper_entry, el, 12, idx, 2),
	    ASN_INTEGER, r->preempt);
	snmp_vb_int(snmp_view_cell(w, oid_v2_oper_entry, el, 13, idx, 2),
	    ASN_TIMETICKS, (long)r->ticks);
	snmp_vb_int(snmp_view_cell(w, oid_v2_oper_entry, el, 14, idx, 2),
	    ASN_INTEGER, 1);
	snmp_vb_int(snmp_view_cell(w, oid_v2_oper_entry, el, 15, idx, 2),
	    ASN_INTEGER, 1);
	for (const struct vrrp_conf_ipaddr *a = c->vips.first; a != NULL;
	    a = a->next) {
		const unsigned char *b = (const unsigned char *)&a->p.addr.u.v4;

		if (a->p.addr.family != AF_INET)
			continue;
		for (int i = 0; i < 4; i++)
			idx[2 + i] = b[i];
		snmp_vb_int(snmp_view_cell(w, oid_v2_assoc_entry,
		    OID_LENGTH(oid_v2_assoc_entry), 2, idx, 6), ASN_INTEGER, 1);
	}
	for (unsigned i = 0; i < sizeof(stats) / sizeof(stats[0]); i++)
		snmp_vb_int(snmp_view_cell(w, oid_v2_stats_entry, sl, i + 1,
		    idx, 2), ASN_COUNTER, snmp_attr_num(r->o, stats[i], 0) & 0xffffffff);
}

static void
v2_mib(struct snmp_view *w, const struct snmp_ctx *ctx,
    const struct rfc_inst *v, size_t n)
{
	oid sub[2];

	sub[0] = 1;
	snmp_vb_int(snmp_view_scalar(w, oid_v2_ops, OID_LENGTH(oid_v2_ops),
	    sub, 1), ASN_INTEGER, 2);
	sub[0] = 2;
	snmp_vb_int(snmp_view_scalar(w, oid_v2_ops, OID_LENGTH(oid_v2_ops),
	    sub, 1), ASN_INTEGER, TV(ctx->set->traps));
	for (int i = 1; i <= 3; i++) {
		sub[0] = (oid)i;
		snmp_vb_int(snmp_view_scalar(w, oid_v2_stats,
		    OID_LENGTH(oid_v2_stats), sub, 1), ASN_COUNTER, 0);
	}
	for (size_t i = 0; i < n; i++)
		if (v[i].c->p.version == 2 && v[i].c->p.family == AF_INET &&
		    v[i].ifindex != 0)
			v2_row(w, &v[i]);
}

/* ---- VRRPv3-MIB ------------------------------------------------------- */

static void
put_c64(struct snmp_view *w, const oid *e, size_t el, unsigned col,
    const oid *idx, size_t il, long long v)
{
	snmp_vb_int(snmp_view_cell(w, e, el, col, idx, il), ASN_COUNTER64, v);
}

static void
v3_row(struct snmp_view *w, const struct rfc_inst *r)
{
	const struct vrrp_instance_conf *c = r->c;
	const size_t el = OID_LENGTH(oid_v3_oper_entry);
	const size_t sl = OID_LENGTH(oid_v3_stats_entry);
	int af = c->p.family;
	oid idx[3 + 16] = { r->ifindex, c->p.vrid, af == AF_INET6 ? 2 : 1 };
	const void *p;
	size_t len;
	static const char *const c64[] = { "adverts_received",
	    "drops_interval", "drops_ttl", NULL, "priority_zero_received",
	    "priority_zero_sent", "drops_type", "drops_addrs", "drops_short" };

	/* keepalived: MASTER, its own primary address; else the source
	 * of the last advert it took as BACKUP */
	addr_bytes(r->state == 2 ? &r->primary : &r->heard, af, &p, &len);
	snmp_vb_bytes(w, snmp_view_cell(w, oid_v3_oper_entry, el, 3, idx, 3),
	    ASN_OCTET_STR, p, len);
	addr_bytes(&r->primary, af, &p, &len);
	snmp_vb_bytes(w, snmp_view_cell(w, oid_v3_oper_entry, el, 4, idx, 3),
	    ASN_OCTET_STR, p, len);
	snmp_vb_bytes(w, snmp_view_cell(w, oid_v3_oper_entry, el, 5, idx, 3),
	    ASN_OCTET_STR, r->mac, 6);
	snmp_vb_int(snmp_view_cell(w, oid_v3_oper_entry, el, 6, idx, 3),
	    ASN_INTEGER, rfc_state(r->state));
	snmp_vb_int(snmp_view_cell(w, oid_v3_oper_entry, el, 7, idx, 3),
	    ASN_GAUGE, r->prio);
	snmp_vb_int(snmp_view_cell(w, oid_v3_oper_entry, el, 8, idx, 3),
	    ASN_INTEGER, c->vips.n);
	snmp_vb_int(snmp_view_cell(w, oid_v3_oper_entry, el, 9, idx, 3),
	    ASN_INTEGER, (long)(c->p.advert_int / 10000));
	snmp_vb_int(snmp_view_cell(w, oid_v3_oper_entry, el, 10, idx, 3),
	    ASN_INTEGER, r->preempt);
	snmp_vb_int(snmp_view_cell(w, oid_v3_oper_entry, el, 11, idx, 3),
	    ASN_INTEGER, TV(c->p.accept != 0));
	snmp_vb_int(snmp_view_cell(w, oid_v3_oper_entry, el, 12, idx, 3),
	    ASN_TIMETICKS, (long)r->ticks);
	snmp_vb_int(snmp_view_cell(w, oid_v3_oper_entry, el, 13, idx, 3),
	    ASN_INTEGER, 1);
	for (const struct vrrp_conf_ipaddr *a = c->vips.first; a != NULL;
	    a = a->next) {
		const unsigned char *b;
		size_t n;

		if (a->p.addr.family != af)
			continue;
		addr_bytes(&a->p.addr, af, &p, &n);
		b = p;
		for (size_t i = 0; i < n; i++)
			idx[3 + i] = b[i];
		snmp_vb_int(snmp_view_cell(w, oid_v3_assoc_entry,
		    OID_LENGTH(oid_v3_assoc_entry), 2, idx, 3 + n),
		    ASN_INTEGER, 1);
	}
	snmp_vb_int(snmp_view_cell(w, oid_v3_stats_entry, sl, 1, idx, 3),
	    ASN_COUNTER, snmp_attr_num(r->o, "became_master", 0) & 0xffffffff);
	snmp_vb_int(snmp_view_cell(w, oid_v3_stats_entry, sl, 2, idx, 3),
	    ASN_INTEGER, r->reason);
	for (unsigned i = 0; i < sizeof(c64) / sizeof(c64[0]); i++) {
		if (c64[i] == NULL) {	/* protoErrReason */
			snmp_vb_int(snmp_view_cell(w, oid_v3_stats_entry, sl,
			    i + 3, idx, 3), ASN_INTEGER, 0);
			continue;
		}
		put_c64(w, oid_v3_stats_entry, sl, i + 3, idx, 3,
		    snmp_attr_num(r->o, c64[i], 0));
	}
	snmp_vb_int(snmp_view_cell(w, oid_v3_stats_entry, sl, 12, idx, 3),
	    ASN_TIMETICKS, 0);
	/* keepalived's refresh rate column (milliseconds) */
	snmp_vb_int(snmp_view_cell(w, oid_v3_stats_entry, sl, 13, idx, 3),
	    ASN_GAUGE, 1000);
}

static void
v3_mib(struct snmp_view *w, const struct rfc_inst *v, size_t n)
{
	oid sub[1];

	for (int i = 1; i <= 3; i++) {
		sub[0] = (oid)i;
		snmp_vb_int(snmp_view_scalar(w, oid_v3_stats,
		    OID_LENGTH(oid_v3_stats), sub, 1), ASN_COUNTER64, 0);
	}
	sub[0] = 4;
	snmp_vb_int(snmp_view_scalar(w, oid_v3_stats, OID_LENGTH(oid_v3_stats),
	    sub, 1), ASN_TIMETICKS, 0);
	for (size_t i = 0; i < n; i++)
		if (v[i].ifindex != 0)
			v3_row(w, &v[i]);
}

void
snmp_mib_rfc(struct snmp_view *w, const struct snmp_ctx *ctx)
{
	struct ifaddrs *ifs = NULL;
	struct rfc_inst *v;
	size_t n = 0;

	if (!(ctx->set->mibs & (SNMP_MIB_RFCV2 | SNMP_MIB_RFCV3)) ||
	    ctx->vrrp == NULL)
		return;
	if ((v = calloc(ctx->vrrp->instances.n + 1, sizeof(*v))) == NULL)
		return;
	if (getifaddrs(&ifs) < 0)
		ifs = NULL;
	for (const struct vrrp_instance_conf *c = ctx->vrrp->instances.first;
	    c != NULL; c = c->next)
		if (c->interface != NULL)
			rfc_inst_fill(&v[n++], ctx, c, ifs);
	if (ctx->set->mibs & SNMP_MIB_RFCV2)
		v2_mib(w, ctx, v, n);
	if (ctx->set->mibs & SNMP_MIB_RFCV3)
		v3_mib(w, v, n);
	if (ifs != NULL)
		freeifaddrs(ifs);
	free(v);
}

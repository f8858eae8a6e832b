/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * KEEPALIVED-MIB's checker scalars and virtual server groups as
 * keepalived 2.2.7 serves them: virtualServerGroupTable (by position),
 * virtualServerGroupMemberTable (group position, member position: a
 * group's fwmarks first, then its addresses and ranges, as keepalived
 * keeps them), lvsSyncDaemon (lvs_sync_daemon) and lvsTimeouts
 * (lvs_timeouts). lvsSyncDaemonSyncId is the id the sync daemon runs
 * with: the one configured, else the VRID of its instance.
 */
#include "autoconfig.h"

#include <string.h>

#include "healthcheck/config.h"
#include "snmp_int.h"
#include "vrrp/config.h"

#define KA 1, 3, 6, 1, 4, 1, 9586, 100, 5

static const oid oid_vsg_entry[] = { KA, 3, 1, 1 };
static const oid oid_vsgm_entry[] = { KA, 3, 2, 1 };
static const oid oid_syncd[] = { KA, 3, 6 };
static const oid oid_timeouts[] = { KA, 3, 7 };

static int
same_addr(const struct vg_addr *a, const struct vg_addr *b)
{
	return a->family == b->family && (a->family == AF_INET6 ?
	    memcmp(&a->u.v6, &b->u.v6, 16) == 0 :
	    memcmp(&a->u.v4, &b->u.v4, 4) == 0);
}

static void
vsg_member(struct snmp_view *w, const struct chk_conf_vsg_entry *m,
    const oid *idx)
{
	const size_t el = OID_LENGTH(oid_vsgm_entry);
	int range = !m->is_fwmark && !same_addr(&m->lo, &m->hi);

	snmp_put_int(w, oid_vsgm_entry, el, 2, idx, 2, ASN_INTEGER,
	    m->is_fwmark ? 1 : range ? 3 : 2);
	if (m->is_fwmark) {
		snmp_put_int(w, oid_vsgm_entry, el, 3, idx, 2, ASN_GAUGE,
		    m->fwmark);
		return;
	}
	snmp_put_int(w, oid_vsgm_entry, el, 4, idx, 2, ASN_INTEGER,
	    m->lo.family == AF_INET6 ? 2 : 1);
	if (range) {
		snmp_put_addr(w, oid_vsgm_entry, el, 6, idx, 2, &m->lo);
		snmp_put_addr(w, oid_vsgm_entry, el, 7, idx, 2, &m->hi);
	} else {
		snmp_put_addr(w, oid_vsgm_entry, el, 5, idx, 2, &m->lo);
	}
	snmp_put_int(w, oid_vsgm_entry, el, 8, idx, 2, ASN_GAUGE, m->port);
}

static void
groups(struct snmp_view *w, const struct chk_conf *k)
{
	oid idx[2] = { 0, 0 };

	for (const struct chk_vsg_conf *g = k->groups; g != NULL;
	    g = g->next) {
		idx[0]++;
		idx[1] = 0;
		snmp_put_str(w, oid_vsg_entry, OID_LENGTH(oid_vsg_entry), 2,
		    idx, 1, g->name);
		for (int fw = 1; fw >= 0; fw--)
			for (const struct chk_conf_vsg_entry *m = g->entries;
			    m != NULL; m = m->next) {
				if (m->is_fwmark != fw)
					continue;
				idx[1]++;
				vsg_member(w, m, idx);
			}
	}
}

static void
scalar_int(struct snmp_view *w, const oid *base, size_t blen, oid sub,
    u_char type, int64_t v)
{
	snmp_vb_int(snmp_view_scalar(w, base, blen, &sub, 1), type, v);
}

static void
sync_daemon(struct snmp_view *w, const struct snmp_ctx *ctx)
{
	const struct vrrp_conf_syncd *s;
	const size_t bl = OID_LENGTH(oid_syncd);
	unsigned syncid;
	oid sub;

	if (ctx->vrrp == NULL)	/* the VRRP part runs it */
		return;
	s = &ctx->vrrp->g.lvs_syncd;
	syncid = s->syncid;

	scalar_int(w, oid_syncd, bl, 1, ASN_INTEGER,
	    SNMP_TV(s->set && s->ifname != NULL));
	if (!s->set || s->ifname == NULL)
		return;
	sub = 2;
	snmp_vb_str(w, snmp_view_scalar(w, oid_syncd, bl, &sub, 1),
	    s->ifname);
	if (s->instance != NULL) {
		sub = 3;
		snmp_vb_str(w, snmp_view_scalar(w, oid_syncd, bl, &sub, 1),
		    s->instance);
	}
	if (!s->syncid_set && s->instance != NULL) {
		const struct vrrp_instance_conf *i =
		    vrrp_conf_find_instance(ctx->vrrp, s->instance);

		if (i != NULL)
			syncid = i->p.vrid;
	}
	scalar_int(w, oid_syncd, bl, 4, ASN_GAUGE, syncid);
	scalar_int(w, oid_syncd, bl, 5, ASN_GAUGE, s->maxlen);
	scalar_int(w, oid_syncd, bl, 6, ASN_GAUGE, s->port);
	scalar_int(w, oid_syncd, bl, 7, ASN_GAUGE, s->ttl);
	if (s->group.family != 0) {
		struct snmp_vb *b;

		scalar_int(w, oid_syncd, bl, 8, ASN_INTEGER,
		    s->group.family == AF_INET6 ? 2 : 1);
		sub = 9;
		b = snmp_view_scalar(w, oid_syncd, bl, &sub, 1);
		if (s->group.family == AF_INET6)
			snmp_vb_bytes(w, b, ASN_OCTET_STR, &s->group.u.v6, 16);
		else
			snmp_vb_bytes(w, b, ASN_OCTET_STR, &s->group.u.v4, 4);
	}
}

static void
timeouts(struct snmp_view *w, const struct chk_global_conf *g)
{
	const size_t bl = OID_LENGTH(oid_timeouts);

	if (g->lvs_timeout_tcp)
		scalar_int(w, oid_timeouts, bl, 1, ASN_INTEGER,
		    g->lvs_timeout_tcp);
	if (g->lvs_timeout_tcpfin)
		scalar_int(w, oid_timeouts, bl, 2, ASN_INTEGER,
		    g->lvs_timeout_tcpfin);
	if (g->lvs_timeout_udp)
		scalar_int(w, oid_timeouts, bl, 3, ASN_INTEGER,
		    g->lvs_timeout_udp);
}

void
snmp_mib_ka_lvs(struct snmp_view *w, const struct snmp_ctx *ctx)
{
	if (ctx->chk == NULL)
		return;
	groups(w, ctx->chk);
	sync_daemon(w, ctx);
	timeouts(w, &ctx->chk->g);
}

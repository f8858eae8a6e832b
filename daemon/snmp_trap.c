/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Notifications, as keepalived sends them (only with enable_traps):
 *
 *   KEEPALIVED-MIB  vrrpInstanceStateChange, vrrpSyncGroupStateChange,
 *                   realServerStateChange, virtualServerQuorumStateChange
 *   VRRP-MIB        vrrpTrapNewMaster (a VRRPv2 IPv4 instance becomes
 *                   MASTER), vrrpTrapAuthFailure (its auth_failures
 *                   counter grew; the source its auth_failure_src)
 *   VRRPv3-MIB      vrrpv3NewMaster, vrrpv3ProtoError (a drops_ttl,
 *                   drops_version, drops_checksum or drops_vrid counter
 *                   grew)
 *
 * The varbinds' values are read from the view, so they are encoded as a
 * GET would show them.
 */
#include "autoconfig.h"

#include <net/if.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "healthcheck/config.h"
#include "ipc_msg.h"
#include "log.h"
#include "snmp_int.h"
#include "vrrp/config.h"

#define KA 1, 3, 6, 1, 4, 1, 9586, 100, 5
static const oid oid_trap[] = { 1, 3, 6, 1, 6, 3, 1, 1, 4, 1, 0 };
static const oid oid_router_id[] = { KA, 1, 2, 0 };
static const oid oid_sync_trap[] = { KA, 2, 10, 0, 1 };
static const oid oid_inst_trap[] = { KA, 2, 10, 0, 2 };
static const oid oid_rs_trap[] = { KA, 3, 5, 0, 1 };
static const oid oid_quorum_trap[] = { KA, 3, 5, 0, 2 };
static const oid oid_sync_entry[] = { KA, 2, 1, 1 };
static const oid oid_inst_entry[] = { KA, 2, 3, 1 };
static const oid oid_vs_entry[] = { KA, 3, 3, 1 };
static const oid oid_rs_entry[] = { KA, 3, 4, 1 };
static const oid oid_v2_new_master[] = { 1, 3, 6, 1, 2, 1, 68, 0, 1 };
static const oid oid_v2_auth_failure[] = { 1, 3, 6, 1, 2, 1, 68, 0, 2 };
static const oid oid_v2_oper_entry[] = { 1, 3, 6, 1, 2, 1, 68, 1, 3, 1 };
/* keepalived indexes vrrpTrapPacketSrc and vrrpTrapAuthErrorType by the
 * instance's (ifIndex, VRID), as vrrpOperTable */
static const oid oid_v2_packet_src[] = { 1, 3, 6, 1, 2, 1, 68, 1, 5 };
static const oid oid_v2_auth_err[] = { 1, 3, 6, 1, 2, 1, 68, 1, 6 };
static const oid oid_v3_new_master[] = { 1, 3, 6, 1, 2, 1, 207, 0, 1 };
static const oid oid_v3_proto_error[] = { 1, 3, 6, 1, 2, 1, 207, 0, 2 };
static const oid oid_v3_oper_entry[] = { 1, 3, 6, 1, 2, 1, 207, 1, 1, 1, 1 };
static const oid oid_v3_stats_entry[] = { 1, 3, 6, 1, 2, 1, 207, 1, 2, 5, 1 };

struct trap {
	netsnmp_variable_list *vars;
	const struct snmp_view *w;
	int ok;
};

/* The view, built only when a notification is sent. */
struct lazy_view {
	snmp_view_fn *fn;
	void *arg;
};

static void
trap_begin(struct trap *t, const struct lazy_view *lv, const oid *o,
    size_t len)
{
	t->vars = NULL;
	t->w = lv->fn(lv->arg);
	t->ok = snmp_varlist_add_variable(&t->vars, oid_trap,
	    OID_LENGTH(oid_trap), ASN_OBJECT_ID, o, len * sizeof(oid)) != NULL;
}

/* The view's value at entry.from.idx, named entry.col.idx (nothing if
 * it has none). */
static void
trap_cell_as(struct trap *t, const oid *entry, size_t elen, unsigned col,
    unsigned from, const oid *idx, size_t ilen)
{
	oid name[SNMP_VIEW_OID_MAX];
	const struct snmp_vb *b;
	netsnmp_variable_list *v;

	if (elen + 1 + ilen > SNMP_VIEW_OID_MAX)
		return;
	memcpy(name, entry, elen * sizeof(oid));
	name[elen] = from;
	memcpy(name + elen + 1, idx, ilen * sizeof(oid));
	if (t->w == NULL ||
	    (b = snmp_view_get(t->w, name, elen + 1 + ilen)) == NULL)
		return;
	name[elen] = col;
	v = snmp_varlist_add_variable(&t->vars, name, elen + 1 + ilen,
	    b->type, NULL, 0);
	if (v == NULL) {
		t->ok = 0;
		return;
	}
	if (b->type == ASN_OCTET_STR || b->type == ASN_IPADDRESS)
		snmp_set_var_typed_value(v, b->type, b->s, b->slen);
	else if (b->type == ASN_COUNTER64) {
		struct counter64 c = { (u_long)((uint64_t)b->i >> 32),
		    (u_long)((uint64_t)b->i & 0xffffffff) };

		snmp_set_var_typed_value(v, b->type, &c, sizeof(c));
	} else
		snmp_set_var_typed_integer(v, b->type, (long)b->i);
}

/* base.idx = value (type: ASN_IPADDRESS, 4 bytes, or ASN_INTEGER). */
static void
trap_add(struct trap *t, const oid *base, size_t blen, const oid *idx,
    size_t ilen, u_char type, const void *val, size_t vlen)
{
	oid name[SNMP_VIEW_OID_MAX];

	if (blen + ilen > SNMP_VIEW_OID_MAX) {
		t->ok = 0;
		return;
	}
	memcpy(name, base, blen * sizeof(oid));
	memcpy(name + blen, idx, ilen * sizeof(oid));
	if (snmp_varlist_add_variable(&t->vars, name, blen + ilen, type,
	    val, vlen) == NULL)
		t->ok = 0;
}

/* The view's value at entry.col.idx (nothing if it has none). */
static void
trap_cell(struct trap *t, const oid *entry, size_t elen, unsigned col,
    const oid *idx, size_t ilen)
{
	trap_cell_as(t, entry, elen, col, col, idx, ilen);
}

static void
trap_router_id(struct trap *t)
{
	trap_cell(t, oid_router_id, OID_LENGTH(oid_router_id) - 1, 0, NULL, 0);
}

static void
trap_send(struct trap *t, struct snmp_agent *a, const char *what,
    const char *name)
{
	if (!t->ok) {
		snmp_free_varbind(t->vars);
		log_warn("snmp: out of memory building the %s notification "
		    "for %s", what, name);
		return;
	}
	log_debug("snmp: %s notification for %s%s", what, name,
	    snmp_agent_connected(a) ? "" : " (no master agent: dropped)");
	snmp_agent_notify(a, t->vars);
}

#define E(x) (x), OID_LENGTH(x)

/* ---- VRRP --------------------------------------------------------------- */

static const struct vrrp_instance_conf *
find_instance(const struct snmp_ctx *ctx, const char *name, oid *n)
{
	*n = 0;
	if (ctx->vrrp == NULL)
		return NULL;
	for (const struct vrrp_instance_conf *i = ctx->vrrp->instances.first;
	    i != NULL; i = i->next) {
		++*n;
		if (strcmp(i->name, name) == 0)
			return i;
	}
	return NULL;
}

static long long
attr_ll(const char *attrs, const char *key)
{
	char v[32];

	if (attrs == NULL || !ipc_attrs_get(attrs, key, v, sizeof(v)))
		return 0;
	return strtoll(v, NULL, 10);
}

unsigned
snmp_trap_err_ifindex(const char *attrs, unsigned base)
{
	long long link = attr_ll(attrs, "link_ifindex");

	return link > 0 && link <= (long long)UINT32_MAX ? (unsigned)link :
	    base;
}

static void
trap_instance(struct snmp_agent *a, const struct lazy_view *w,
    const struct snmp_ctx *ctx, const char *name, const char *old_state,
    const char *old_attrs, const struct state_obj *now)
{
	const struct vrrp_instance_conf *i;
	struct trap t;
	oid n, idx[3], eidx[3];
	int changed = strcmp(old_state, now->state) != 0;
	int master = strcmp(now->state, "MASTER") == 0;
	unsigned mibs = ctx->set->mibs;
	static const char *const proto[] = { "drops_ttl", "drops_version",
	    "drops_checksum", "drops_vrid" };

	if ((i = find_instance(ctx, name, &n)) == NULL)
		return;
	if (changed && (mibs & SNMP_MIB_VRRP)) {
		trap_begin(&t, w, E(oid_inst_trap));
		trap_cell(&t, E(oid_inst_entry), 2, &n, 1);
		trap_cell(&t, E(oid_inst_entry), 4, &n, 1);
		trap_cell(&t, E(oid_inst_entry), 5, &n, 1);
		trap_router_id(&t);
		trap_send(&t, a, "vrrpInstanceStateChange", name);
	}
	if (i->interface == NULL)
		return;
	idx[0] = if_nametoindex(i->interface);
	idx[1] = i->p.vrid;
	idx[2] = i->p.family == AF_INET6 ? 2 : 1;
	if (idx[0] == 0)
		return;
	memcpy(eidx, idx, sizeof(eidx));
	eidx[0] = snmp_trap_err_ifindex(now->attrs, (unsigned)idx[0]);
	if (i->p.version == 2 && i->p.family == AF_INET &&
	    (mibs & SNMP_MIB_RFCV2)) {
		if (changed && master) {
			/* keepalived names vrrpOperMasterIpAddr but sends
			 * its own source address: vrrpOperPrimaryIpAddr's */
			trap_begin(&t, w, E(oid_v2_new_master));
			trap_cell_as(&t, E(oid_v2_oper_entry), 7, 8, idx, 2);
			trap_send(&t, a, "vrrpTrapNewMaster", name);
		}
		if (attr_ll(now->attrs, "auth_failures") >
		    attr_ll(old_attrs, "auth_failures")) {
			struct vg_addr from;
			char s[ADDR_STRLEN];
			u_char src[4] = { 0, 0, 0, 0 };

			/* as keepalived: invalidAuthType(1) for an auth type
			 * no VRRPv2 router uses, authTypeMismatch(2) for
			 * another one, authFailure(3) for a wrong password
			 * or AH digest; the last such packet's source */
			long err = attr_ll(now->attrs,
			    "drops_invalid_auth_type") > attr_ll(old_attrs,
			    "drops_invalid_auth_type") ? 1 :
			    attr_ll(now->attrs, "drops_auth_type") >
			    attr_ll(old_attrs, "drops_auth_type") ? 2 : 3;

			if (ipc_attrs_get(now->attrs, "auth_failure_src", s,
			    sizeof(s)) && addr_parse(s, &from) == 0 &&
			    from.family == AF_INET)
				memcpy(src, &from.u.v4, 4);
			trap_begin(&t, w, E(oid_v2_auth_failure));
			trap_add(&t, E(oid_v2_packet_src), eidx, 2,
			    ASN_IPADDRESS, src, 4);
			trap_add(&t, E(oid_v2_auth_err), eidx, 2, ASN_INTEGER,
			    &err, sizeof(err));
			trap_send(&t, a, "vrrpTrapAuthFailure", name);
		}
	}
	if (!(mibs & SNMP_MIB_RFCV3))
		return;
	if (changed && master) {
		trap_begin(&t, w, E(oid_v3_new_master));
		trap_cell(&t, E(oid_v3_oper_entry), 3, idx, 3);
		trap_cell(&t, E(oid_v3_stats_entry), 2, idx, 3);
		trap_send(&t, a, "vrrpv3NewMaster", name);
	}
	for (unsigned k = 0; k < 4; k++)
		if (attr_ll(now->attrs, proto[k]) >
		    attr_ll(old_attrs, proto[k])) {
			long reason = (long)k + 1;
			oid col[SNMP_VIEW_OID_MAX];
			size_t el = OID_LENGTH(oid_v3_stats_entry);

			/* vrrpv3StatisticsProtoErrReason */
			memcpy(col, oid_v3_stats_entry, el * sizeof(oid));
			col[el] = 6;
			trap_begin(&t, w, E(oid_v3_proto_error));
			trap_add(&t, col, el + 1, eidx, 3, ASN_INTEGER, &reason,
			    sizeof(reason));
			trap_send(&t, a, "vrrpv3ProtoError", name);
			break;
		}
}

static void
trap_sync_group(struct snmp_agent *a, const struct lazy_view *w,
    const struct snmp_ctx *ctx, const char *name)
{
	struct trap t;
	oid n = 0;

	if (ctx->vrrp == NULL || !(ctx->set->mibs & SNMP_MIB_VRRP))
		return;
	for (const struct vrrp_sync_group_conf *g = ctx->vrrp->sync_groups.first;
	    g != NULL; g = g->next) {
		n++;
		if (strcmp(g->name, name) != 0)
			continue;
		trap_begin(&t, w, E(oid_sync_trap));
		trap_cell(&t, E(oid_sync_entry), 2, &n, 1);
		trap_cell(&t, E(oid_sync_entry), 3, &n, 1);
		trap_router_id(&t);
		trap_send(&t, a, "vrrpSyncGroupStateChange", name);
		return;
	}
}

/* ---- checker ------------------------------------------------------------ */

/* The virtual server's identifying varbinds, by its type. */
static void
trap_vs_id(struct trap *t, const struct chk_vs_conf *vs, oid *n)
{
	trap_cell(t, E(oid_vs_entry), 2, n, 1);
	switch (vs->kind) {
	case CHK_VS_GROUP:
		trap_cell(t, E(oid_vs_entry), 3, n, 1);
		break;
	case CHK_VS_FWMARK:
		trap_cell(t, E(oid_vs_entry), 4, n, 1);
		break;
	case CHK_VS_ADDR:
		trap_cell(t, E(oid_vs_entry), 5, n, 1);
		trap_cell(t, E(oid_vs_entry), 6, n, 1);
		trap_cell(t, E(oid_vs_entry), 7, n, 1);
		break;
	}
	trap_cell(t, E(oid_vs_entry), 8, n, 1);
}

static void
trap_checker(struct snmp_agent *a, const struct lazy_view *w,
    const struct snmp_ctx *ctx, const char *kind, const char *name)
{
	char buf[512];
	struct trap t;
	oid idx[2] = { 0, 0 };
	int rs_kind = strcmp(kind, "real_server") == 0;

	if (ctx->chk == NULL || !(ctx->set->mibs & SNMP_MIB_CHECKER))
		return;
	for (const struct chk_vs_conf *vs = ctx->chk->vs; vs != NULL;
	    vs = vs->next) {
		idx[0]++;
		if (!rs_kind) {
			if (strcmp(snmp_vs_name(vs, buf, sizeof(buf)), name) != 0)
				continue;
			trap_begin(&t, w, E(oid_quorum_trap));
			trap_vs_id(&t, vs, idx);
			trap_cell(&t, E(oid_vs_entry), 23, idx, 1);
			trap_cell(&t, E(oid_vs_entry), 22, idx, 1);
			trap_cell(&t, E(oid_vs_entry), 21, idx, 1);
			trap_cell(&t, E(oid_vs_entry), 20, idx, 1);
			trap_router_id(&t);
			trap_send(&t, a, "virtualServerQuorumStateChange", name);
			return;
		}
		idx[1] = vs->sorry.set ? 1 : 0;
		for (const struct chk_rs_conf *rs = vs->rs; rs != NULL;
		    rs = rs->next) {
			idx[1]++;
			if (strcmp(snmp_rs_name(vs, rs, buf, sizeof(buf)),
			    name) != 0)
				continue;
			trap_begin(&t, w, E(oid_rs_trap));
			trap_cell(&t, E(oid_rs_entry), 3, idx, 2);
			trap_cell(&t, E(oid_rs_entry), 4, idx, 2);
			trap_cell(&t, E(oid_rs_entry), 5, idx, 2);
			trap_cell(&t, E(oid_rs_entry), 6, idx, 2);
			trap_vs_id(&t, vs, idx);
			trap_cell(&t, E(oid_vs_entry), 21, idx, 1);
			trap_cell(&t, E(oid_vs_entry), 20, idx, 1);
			trap_router_id(&t);
			trap_send(&t, a, "realServerStateChange", name);
			return;
		}
	}
}

void
snmp_trap_change(struct snmp_agent *a, snmp_view_fn *view, void *view_arg,
    const struct snmp_ctx *ctx, const char *kind, const char *name,
    const char *old_state, const char *old_attrs)
{
	const struct state_obj *now;
	const struct lazy_view lv = { view, view_arg }, *w = &lv;

	if (!ctx->set->traps || a == NULL)
		return;
	if (strcmp(kind, "vrrp_instance") == 0) {
		if ((now = snmp_obj(ctx->vrrp_st, kind, name)) != NULL)
			trap_instance(a, w, ctx, name, old_state, old_attrs,
			    now);
		return;
	}
	if (strcmp(kind, "vrrp_sync_group") == 0) {
		if ((now = snmp_obj(ctx->vrrp_st, kind, name)) != NULL &&
		    strcmp(old_state, now->state) != 0)
			trap_sync_group(a, w, ctx, name);
		return;
	}
	if (strcmp(kind, "real_server") == 0 ||
	    strcmp(kind, "virtual_server") == 0) {
		if ((now = snmp_obj(ctx->chk_st, kind, name)) == NULL ||
		    strcmp(old_state, now->state) == 0)
			return;
		/* keepalived tells alive/dead changes only */
		if (strcmp(now->state, "up") != 0 &&
		    strcmp(now->state, "down") != 0)
			return;
		if (strcmp(old_state, "up") != 0 &&
		    strcmp(old_state, "down") != 0 &&
		    strcmp(now->state, "down") != 0)
			return;
		trap_checker(a, w, ctx, kind, name);
	}
}

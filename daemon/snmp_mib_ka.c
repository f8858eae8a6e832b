/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * KEEPALIVED-MIB (enterprises.9586.100.5) as keepalived 2.2.7 serves it:
 * the same OIDs, indexes and encodings (VrrpState numbers, TruthValue-like
 * 1/2 integers, addresses as raw bytes). Indexes are positions in the
 * configuration, from 1, as keepalived counts them: instances and sync
 * groups in file order, a real server after its virtual server's sorry
 * server. Configured values come from the configuration the child
 * borrows; live ones (states, effective priority, real servers up, live
 * weight) from the parent's store.
 *
 * Served here: the global scalars, vrrpSyncGroupTable,
 * vrrpSyncGroupMemberTable, vrrpInstanceTable, vrrpAddressTable (the
 * instances' addresses), virtualServerTable and realServerTable (their
 * configuration and state columns, and the IPVS counters when the
 * checker child sends them). The tracking tables are in
 * snmp_mib_ka_track.c, static addresses, routes and rules in
 * snmp_mib_ka_route.c, virtual server groups and the LVS scalars in
 * snmp_mib_ka_lvs.c.
 */
#include "autoconfig.h"

#include <arpa/inet.h>
#include <limits.h>
#include <stdlib.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "addr.h"
#include "arena.h"
#include "global_conf.h"
#include "healthcheck/config.h"
#include "ipc_msg.h"
#include "script.h"
#include "snmp_int.h"
#include "vrrp/config.h"

#define KA 1, 3, 6, 1, 4, 1, 9586, 100, 5
const oid snmp_oid_keepalived[] = { KA };
const size_t snmp_oid_keepalived_len = OID_LENGTH(snmp_oid_keepalived);

static const oid oid_global[] = { KA, 1 };
static const oid oid_sync_entry[] = { KA, 2, 1, 1 };
static const oid oid_member_entry[] = { KA, 2, 2, 1 };
static const oid oid_inst_entry[] = { KA, 2, 3, 1 };
static const oid oid_addr_entry[] = { KA, 2, 6, 1 };
static const oid oid_vs_entry[] = { KA, 3, 3, 1 };
static const oid oid_rs_entry[] = { KA, 3, 4, 1 };

#define TV(x) ((x) ? 1 : 2)	/* keepalived's SNMP_TruthValue */

const char *
snmp_router_id(const struct snmp_ctx *ctx, char *buf, size_t len)
{
	if (ctx->g != NULL && ctx->g->router_id != NULL)
		return ctx->g->router_id;
	if (gethostname(buf, len) < 0)
		buf[0] = '\0';
	buf[len - 1] = '\0';
	return buf;
}

int
snmp_vrrp_state(const char *state)
{
	static const char *const names[] = { "INIT", "BACKUP", "MASTER",
	    "FAULT" };

	if (state == NULL)
		return 4;
	for (int i = 0; i < 4; i++)
		if (strcmp(state, names[i]) == 0)
			return i;
	if (strcmp(state, "not started") == 0)
		return 0;
	return 4;
}

const struct state_obj *
snmp_obj(const struct state_store *st, const char *kind, const char *name)
{
	return st != NULL ? state_find(st, kind, name) : NULL;
}

const char *
snmp_vs_name(const struct chk_vs_conf *vs, char *buf, size_t len)
{
	return chk_conf_vs_name(vs, buf, len);
}

const char *
snmp_rs_name(const struct chk_vs_conf *vs, const struct chk_rs_conf *rs,
    char *buf, size_t len)
{
	char v[256], a[ADDR_STRLEN];

	snprintf(buf, len, "%s / [%s]:%u", chk_conf_vs_name(vs, v, sizeof(v)),
	    addr_ntop(&rs->addr, a, sizeof(a)), rs->port);
	return buf;
}

long long
snmp_attr_num(const struct state_obj *o, const char *key, long long def)
{
	char v[32], *end;
	long long n;

	if (o == NULL || o->attrs == NULL || !ipc_attrs_get(o->attrs, key, v,
	    sizeof(v)))
		return def;
	n = strtoll(v, &end, 10);
	return end != v ? n : def;
}

void
snmp_put_int(struct snmp_view *w, const oid *e, size_t el, unsigned col,
    const oid *idx, size_t il, u_char type, int64_t v)
{
	snmp_vb_int(snmp_view_cell(w, e, el, col, idx, il), type, v);
}

void
snmp_put_str(struct snmp_view *w, const oid *e, size_t el, unsigned col,
    const oid *idx, size_t il, const char *s)
{
	if (s != NULL)
		snmp_vb_str(w, snmp_view_cell(w, e, el, col, idx, il), s);
}

void
snmp_put_addr(struct snmp_view *w, const oid *e, size_t el, unsigned col,
    const oid *idx, size_t il, const struct vg_addr *a)
{
	if (a->family == AF_INET6)
		snmp_vb_bytes(w, snmp_view_cell(w, e, el, col, idx, il),
		    ASN_OCTET_STR, &a->u.v6, 16);
	else
		snmp_vb_bytes(w, snmp_view_cell(w, e, el, col, idx, il),
		    ASN_OCTET_STR, &a->u.v4, 4);
}

/*
 * The program's path as keepalived shows it: resolved (/bin/true is
 * /usr/bin/true where /bin is a link), but where the resolved file has
 * another name, its directory with the name given, if that is the same
 * file (/bin/sh is /usr/bin/sh, not /usr/bin/dash: a program may act on
 * the name it is called by). real holds PATH_MAX bytes. 0 or -1.
 */
static int
snmp_prog_path(const char *prog, char *real)
{
	const char *name = strrchr(prog, '/') + 1;
	char *slash, alt[PATH_MAX];
	struct stat a, b;

	if (realpath(prog, real) == NULL)
		return -1;
	slash = strrchr(real, '/');
	if (slash == NULL || strcmp(slash + 1, name) == 0 ||
	    (size_t)snprintf(alt, sizeof(alt), "%.*s/%s", (int)(slash - real),
	    real, name) >= sizeof(alt))
		return 0;
	if (stat(real, &a) == 0 && stat(alt, &b) == 0 &&
	    a.st_dev == b.st_dev && a.st_ino == b.st_ino)
		memcpy(real, alt, strlen(alt) + 1);
	return 0;
}

const char *
snmp_cmd_str(struct snmp_view *w, const char *cmd)
{
	char **argv, *buf, real[PATH_MAX];
	size_t len = 1, at = 0;

	if (cmd == NULL || (argv = script_split(w->arena, cmd)) == NULL)
		return NULL;
	if (argv[0] != NULL && argv[0][0] == '/' &&
	    snmp_prog_path(argv[0], real) == 0 &&
	    (argv[0] = arena_strdup(w->arena, real)) == NULL)
		return NULL;
	for (size_t i = 0; argv[i] != NULL; i++)
		len += strlen(argv[i]) + 3;
	if ((buf = arena_alloc(w->arena, len)) == NULL)
		return NULL;
	for (size_t i = 0; argv[i] != NULL; i++) {
		/* a first word that is only a redirection stays bare */
		int q = i > 0 || (argv[i][0] != '<' && argv[i][0] != '>');

		at += (size_t)snprintf(buf + at, len - at, "%s%s%s%s",
		    i > 0 ? " " : "", q ? "\'" : "", argv[i], q ? "\'" : "");
	}
	buf[at] = '\0';
	return buf;
}

/* ---- global ----------------------------------------------------------- */

/* A global scalar: global.sub[.sub2].0 (sub2 0: none). */
static struct snmp_vb *
g_cell(struct snmp_view *w, oid sub, oid sub2)
{
	oid s[2] = { sub, sub2 };

	return snmp_view_scalar(w, oid_global, OID_LENGTH(oid_global), s,
	    sub2 != 0 ? 2 : 1);
}

/* keepalived's smtp_alert* values: unset 3, on 1, off 2 */
static int
alert3(int v)
{
	return v < 0 ? 3 : v ? 1 : 2;
}

static void
ka_mail(struct snmp_view *w, const struct snmp_ctx *ctx)
{
	const struct global_conf *g = ctx->g;
	const struct vg_addr *a = g != NULL ? &g->smtp_addr : NULL;
	static const uint8_t zero[16];
	oid idx[1] = { 0 };

	/* keepalived: type 1 for IPv4 only (an unset server shows 2 and
	 * four zero bytes) */
	snmp_vb_int(g_cell(w, 3, 1), ASN_INTEGER,
	    a != NULL && a->family == AF_INET ? 1 : 2);
	if (a != NULL && a->family == AF_INET6)
		snmp_vb_bytes(w, g_cell(w, 3, 2), ASN_OCTET_STR, &a->u.v6, 16);
	else
		snmp_vb_bytes(w, g_cell(w, 3, 2), ASN_OCTET_STR,
		    a != NULL && a->family == AF_INET ? (const void *)&a->u.v4 :
		    zero, 4);
	/* keepalived: timeout and port 0 without an smtp_server */
	snmp_vb_int(g_cell(w, 3, 3), ASN_GAUGE, g != NULL &&
	    g->smtp_server != NULL ? g->smtp_connect_timeout : 0);
	if (g != NULL && g->email_from != NULL)
		snmp_vb_str(w, g_cell(w, 3, 4), g->email_from);
	for (const struct global_email *e = g != NULL ? g->emails : NULL;
	    e != NULL; e = e->next) {
		static const oid entry[] = { KA, 1, 3, 5, 1 };

		idx[0]++;
		snmp_put_str(w, entry, OID_LENGTH(entry), 2, idx, 1, e->addr);
	}
	snmp_vb_int(g_cell(w, 3, 6), ASN_GAUGE, g != NULL &&
	    g->smtp_server != NULL ? g->smtp_port : 0);
	if (ctx->vrrp != NULL)
		snmp_vb_int(g_cell(w, 3, 7), ASN_INTEGER,
		    TV(!ctx->vrrp->g.no_email_faults));
	snmp_vb_int(g_cell(w, 3, 8), ASN_INTEGER,
	    alert3(g != NULL ? g->smtp_alert : -1));
	if (ctx->vrrp != NULL)
		snmp_vb_int(g_cell(w, 3, 9), ASN_INTEGER,
		    alert3(ctx->vrrp->g.smtp_alert_vrrp));
	if (ctx->chk != NULL)
		snmp_vb_int(g_cell(w, 3, 10), ASN_INTEGER,
		    alert3(ctx->chk->g.smtp_alert_checker));
}

static void
ka_global(struct snmp_view *w, const struct snmp_ctx *ctx)
{
	const struct chk_conf *k = ctx->chk;
	char host[256];

	snmp_vb_str(w, g_cell(w, 1, 0), "vigil " PACKAGE_VERSION);
	snmp_vb_str(w, g_cell(w, 2, 0), snmp_router_id(ctx, host,
	    sizeof(host)));
	ka_mail(w, ctx);
	snmp_vb_int(g_cell(w, 4, 0), ASN_INTEGER, TV(ctx->set->traps));
	/* linkBeat: 1 (vigil follows links by netlink events, never by
	 * polling: keepalived's 2) */
	snmp_vb_int(g_cell(w, 5, 0), ASN_INTEGER, 1);
	if (k != NULL)
		snmp_vb_int(g_cell(w, 6, 0), ASN_INTEGER, TV(k->g.lvs_flush));
	/* ipvs64BitStats: the IPVS backend reads 64-bit counters */
	snmp_vb_int(g_cell(w, 7, 0), ASN_INTEGER, 1);
	/* netNamespace: vigil runs in the namespace it is started in */
	snmp_vb_str(w, g_cell(w, 8, 0), "");
	/* dbus: vigil has no DBus interface */
	snmp_vb_int(g_cell(w, 9, 0), ASN_INTEGER, 2);
	if (ctx->vrrp != NULL)
		snmp_vb_int(g_cell(w, 10, 0), ASN_INTEGER,
		    TV(ctx->vrrp->g.dynamic_interfaces));
	/* lvsFlushOnStop: full 1, virtual servers only 3, off 2 */
	if (k != NULL)
		snmp_vb_int(g_cell(w, 11, 0), ASN_INTEGER,
		    k->g.lvs_flush_on_stop == 1 ? 1 :
		    k->g.lvs_flush_on_stop == 2 ? 3 : 2);
}

/* ---- vrrp ------------------------------------------------------------- */

static void
ka_sync_groups(struct snmp_view *w, const struct snmp_ctx *ctx)
{
	const size_t el = OID_LENGTH(oid_sync_entry);
	oid idx[2] = { 0, 0 };

	for (const struct vrrp_sync_group_conf *g = ctx->vrrp->sync_groups.first;
	    g != NULL; g = g->next) {
		const struct state_obj *o = snmp_obj(ctx->vrrp_st,
		    "vrrp_sync_group", g->name);
		int notify = g->notify.cmd != NULL ||
		    g->notify_master.cmd != NULL ||
		    g->notify_backup.cmd != NULL || g->notify_fault.cmd != NULL;

		idx[0]++;
		snmp_put_str(w, oid_sync_entry, el, 2, idx, 1, g->name);
		snmp_put_int(w, oid_sync_entry, el, 3, idx, 1, ASN_INTEGER,
		    snmp_vrrp_state(o != NULL ? o->state : NULL));
		snmp_put_int(w, oid_sync_entry, el, 4, idx, 1, ASN_INTEGER,
		    TV(g->smtp_alert > 0));
		snmp_put_int(w, oid_sync_entry, el, 5, idx, 1, ASN_INTEGER,
		    TV(notify));
		snmp_put_str(w, oid_sync_entry, el, 6, idx, 1, snmp_cmd_str(w,
		    g->notify_master.cmd));
		snmp_put_str(w, oid_sync_entry, el, 7, idx, 1, snmp_cmd_str(w,
		    g->notify_backup.cmd));
		snmp_put_str(w, oid_sync_entry, el, 8, idx, 1, snmp_cmd_str(w,
		    g->notify_fault.cmd));
		snmp_put_str(w, oid_sync_entry, el, 9, idx, 1, snmp_cmd_str(w,
		    g->notify.cmd));
		snmp_put_int(w, oid_sync_entry, el, 10, idx, 1, ASN_INTEGER,
		    TV(g->tracking_weight));
		snmp_put_str(w, oid_sync_entry, el, 11, idx, 1, snmp_cmd_str(w,
		    g->notify_stop.cmd));
		idx[1] = 0;
		for (const struct vrrp_conf_track *m = g->members.first;
		    m != NULL; m = m->next) {
			idx[1]++;
			snmp_put_str(w, oid_member_entry,
			    OID_LENGTH(oid_member_entry), 2, idx, 2, m->name);
		}
	}
}

static void
ka_addresses(struct snmp_view *w, const struct vrrp_instance_conf *i,
    oid inst, int master, int first_list_adv)
{
	const size_t el = OID_LENGTH(oid_addr_entry);
	const struct vrrp_conf_list *lists[2] = { &i->vips, &i->evips };
	oid idx[2] = { inst, 0 };

	for (int l = 0; l < 2; l++)
		for (const struct vrrp_conf_ipaddr *a = lists[l]->first;
		    a != NULL; a = a->next) {
			const char *dev = a->dev != NULL ? a->dev : i->interface;
			struct vg_addr zero = { .family = AF_INET };
			unsigned ifindex = dev != NULL ? if_nametoindex(dev) : 0;

			idx[1]++;
			snmp_put_int(w, oid_addr_entry, el, 2, idx, 2,
			    ASN_INTEGER, a->p.addr.family == AF_INET6 ? 2 : 1);
			snmp_put_addr(w, oid_addr_entry, el, 3, idx, 2,
			    &a->p.addr);
			if (a->p.addr.family == AF_INET)
				snmp_put_addr(w, oid_addr_entry, el, 4, idx, 2,
				    a->p.brd.family == AF_INET ? &a->p.brd :
				    &zero);
			snmp_put_int(w, oid_addr_entry, el, 5, idx, 2,
			    ASN_GAUGE, a->p.prefix);
			snmp_put_int(w, oid_addr_entry, el, 6, idx, 2,
			    ASN_INTEGER, snmp_scope(a->p.scope));
			if (ifindex != 0)
				snmp_put_int(w, oid_addr_entry, el, 7, idx, 2,
				    ASN_INTEGER, ifindex);
			snmp_put_str(w, oid_addr_entry, el, 8, idx, 2, dev);
			snmp_put_str(w, oid_addr_entry, el, 9, idx, 2,
			    a->label);
			snmp_put_int(w, oid_addr_entry, el, 10, idx, 2,
			    ASN_INTEGER, TV(master));
			snmp_put_int(w, oid_addr_entry, el, 11, idx, 2,
			    ASN_INTEGER, TV(l == 0 && first_list_adv));
			if (a->p.peer.family != 0)
				snmp_put_addr(w, oid_addr_entry, el, 12, idx, 2,
				    &a->p.peer);
		}
}

static void
ka_instance(struct snmp_view *w, const struct snmp_ctx *ctx,
    const struct vrrp_instance_conf *i, oid n)
{
	const size_t el = OID_LENGTH(oid_inst_entry);
	const struct vrrp_conf_instance_params *p = &i->p;
	const struct state_obj *o = snmp_obj(ctx->vrrp_st, "vrrp_instance",
	    i->name);
	int state = snmp_vrrp_state(o != NULL ? o->state : NULL);
	long long eff = o != NULL && o->weight != IPC_OBJ_NO_WEIGHT ?
	    o->weight : snmp_attr_num(o, "effective_priority", p->priority);
	int notify = i->notify.cmd != NULL || i->notify_master.cmd != NULL ||
	    i->notify_backup.cmd != NULL || i->notify_fault.cmd != NULL ||
	    i->notify_stop.cmd != NULL;
	int garp = p->garp.master_delay >= 0 ? p->garp.master_delay :
	    ctx->vrrp->g.garp.master_delay;
	const struct vrrp_conf_syncd *y = &ctx->vrrp->g.lvs_syncd;
	int syncd = y->set && y->instance != NULL &&
	    strcmp(y->instance, i->name) == 0;
	struct snmp_vb *b;
	oid idx[1] = { n };

	snmp_put_str(w, oid_inst_entry, el, 2, idx, 1, i->name);
	snmp_put_int(w, oid_inst_entry, el, 3, idx, 1, ASN_GAUGE, p->vrid);
	snmp_put_int(w, oid_inst_entry, el, 4, idx, 1, ASN_INTEGER, state);
	snmp_put_int(w, oid_inst_entry, el, 5, idx, 1, ASN_INTEGER,
	    p->state == VRRP_INIT_MASTER ? 2 : 1);
	snmp_put_int(w, oid_inst_entry, el, 6, idx, 1, ASN_INTEGER, state);
	if ((b = snmp_view_cell(w, oid_inst_entry, el, 7, idx, 1)) != NULL) {
		snmp_vb_int(b, ASN_INTEGER, snmp_attr_num(o, "priority",
		    p->priority));
		b->write = SNMP_VB_INST_PRIORITY;
		b->w1 = arena_strdup(w->arena, i->name);
	}
	snmp_put_int(w, oid_inst_entry, el, 8, idx, 1, ASN_INTEGER, eff);
	/* keepalived: set while MASTER (vips_present may be older than
	 * the state: it is sent with state changes) */
	snmp_put_int(w, oid_inst_entry, el, 9, idx, 1, ASN_INTEGER,
	    TV(state == 2));
	snmp_put_str(w, oid_inst_entry, el, 10, idx, 1, i->interface);
	snmp_put_int(w, oid_inst_entry, el, 11, idx, 1, ASN_INTEGER,
	    TV(i->track_if.n > 0));
	snmp_put_int(w, oid_inst_entry, el, 12, idx, 1, ASN_GAUGE,
	    p->version == 2 ? p->advert_int / 1000000 : p->advert_int / 10000);
	if ((b = snmp_view_cell(w, oid_inst_entry, el, 13, idx, 1)) != NULL) {
		snmp_vb_int(b, ASN_INTEGER, TV(snmp_attr_num(o, "preempt",
		    !p->nopreempt)));
		b->write = SNMP_VB_INST_PREEMPT;
		b->w1 = arena_strdup(w->arena, i->name);
	}
	snmp_put_int(w, oid_inst_entry, el, 14, idx, 1, ASN_GAUGE,
	    p->preempt_delay / 1000000);
	snmp_put_int(w, oid_inst_entry, el, 15, idx, 1, ASN_INTEGER,
	    p->version == 2 ? (int)p->auth_type : 0);
	/* the instance lvs_sync_daemon follows (global_defs, or its own
	 * lvs_sync_daemon_interface: vrrp_conf_check resolves both) */
	snmp_put_int(w, oid_inst_entry, el, 16, idx, 1, ASN_INTEGER, TV(syncd));
	snmp_put_str(w, oid_inst_entry, el, 17, idx, 1,
	    syncd ? ctx->vrrp->g.lvs_syncd.ifname : NULL);
	snmp_put_str(w, oid_inst_entry, el, 18, idx, 1, i->sync_group);
	snmp_put_int(w, oid_inst_entry, el, 19, idx, 1, ASN_GAUGE,
	    garp >= 0 ? garp : 5);
	snmp_put_int(w, oid_inst_entry, el, 20, idx, 1, ASN_INTEGER,
	    TV(p->smtp_alert > 0));
	snmp_put_int(w, oid_inst_entry, el, 21, idx, 1, ASN_INTEGER,
	    TV(notify));
	snmp_put_str(w, oid_inst_entry, el, 22, idx, 1, snmp_cmd_str(w,
	    i->notify_master.cmd));
	snmp_put_str(w, oid_inst_entry, el, 23, idx, 1, snmp_cmd_str(w,
	    i->notify_backup.cmd));
	snmp_put_str(w, oid_inst_entry, el, 24, idx, 1, snmp_cmd_str(w,
	    i->notify_fault.cmd));
	snmp_put_str(w, oid_inst_entry, el, 25, idx, 1, snmp_cmd_str(w,
	    i->notify_stop.cmd));
	snmp_put_str(w, oid_inst_entry, el, 26, idx, 1, snmp_cmd_str(w,
	    i->notify.cmd));
	/* keepalived: a VRRPv3 instance's accept mode, offered for writing
	 * but refused (noAccess); 0 and not writable for VRRPv2 */
	if ((b = snmp_view_cell(w, oid_inst_entry, el, 27, idx, 1)) != NULL) {
		snmp_vb_int(b, ASN_INTEGER, p->version == 3 ?
		    TV(p->accept > 0 || p->accept == VRRP_UNSET) : 0);
		if (p->version == 3)
			b->write = SNMP_VB_NOACCESS;
	}
	snmp_put_int(w, oid_inst_entry, el, 28, idx, 1, ASN_INTEGER,
	    TV(p->promote_secondaries > 0));
	snmp_put_int(w, oid_inst_entry, el, 29, idx, 1, ASN_INTEGER, 2);
	snmp_put_int(w, oid_inst_entry, el, 30, idx, 1, ASN_INTEGER,
	    p->version);
	snmp_put_str(w, oid_inst_entry, el, 31, idx, 1,
	    snmp_cmd_str(w, i->notify_master_rx_lower_pri.cmd));
	snmp_put_str(w, oid_inst_entry, el, 32, idx, 1, snmp_cmd_str(w,
	    i->notify_deleted.cmd));
	snmp_put_int(w, oid_inst_entry, el, 33, idx, 1, ASN_INTEGER,
	    TV(i->has_notify_deleted));
	if (i->unicast_peers.n == 0) {
		const struct vg_addr *m = p->mcast_dst.family != 0 ?
		    &p->mcast_dst : p->family == AF_INET6 ?
		    &ctx->vrrp->g.mcast_group6 : &ctx->vrrp->g.mcast_group4;

		snmp_put_int(w, oid_inst_entry, el, 34, idx, 1, ASN_INTEGER,
		    m->family == AF_INET6 ? 2 : 1);
		snmp_put_addr(w, oid_inst_entry, el, 35, idx, 1, m);
	}
	ka_addresses(w, i, n, state == 2, n == 1);
}

static void
ka_vrrp(struct snmp_view *w, const struct snmp_ctx *ctx)
{
	oid n = 0;

	if (ctx->vrrp == NULL)
		return;
	ka_sync_groups(w, ctx);
	for (const struct vrrp_instance_conf *i = ctx->vrrp->instances.first;
	    i != NULL; i = i->next)
		ka_instance(w, ctx, i, ++n);
	snmp_mib_ka_track(w, ctx);
	snmp_mib_ka_route(w, ctx);
}

/* ---- IPVS counters (attrs the checker child sends with the IPVS backend) */

/*
 * keepalived's encodings: a 32-bit column (Gauge32, Counter32) carries
 * the low 32 bits of the 64-bit counter; the rates' Low/High Unsigned32
 * pairs split it; the *64 columns carry it whole.
 */
enum { W_FULL, W_LOW, W_HIGH };

struct stat_col {
	unsigned col;
	u_char type;
	const char *key;
	int part;		/* W_* */
};

#define RATES(c32, cpair, c64) \
	{ c32, ASN_GAUGE, "ipvs_rate_connections", W_FULL }, \
	{ c32 + 1, ASN_GAUGE, "ipvs_rate_packets_in", W_FULL }, \
	{ c32 + 2, ASN_GAUGE, "ipvs_rate_packets_out", W_FULL }, \
	{ c32 + 3, ASN_GAUGE, "ipvs_rate_bytes_in", W_FULL }, \
	{ c32 + 4, ASN_GAUGE, "ipvs_rate_bytes_out", W_FULL }, \
	{ cpair, ASN_UNSIGNED, "ipvs_rate_connections", W_LOW }, \
	{ cpair + 1, ASN_UNSIGNED, "ipvs_rate_connections", W_HIGH }, \
	{ cpair + 2, ASN_UNSIGNED, "ipvs_rate_packets_in", W_LOW }, \
	{ cpair + 3, ASN_UNSIGNED, "ipvs_rate_packets_in", W_HIGH }, \
	{ cpair + 4, ASN_UNSIGNED, "ipvs_rate_packets_out", W_LOW }, \
	{ cpair + 5, ASN_UNSIGNED, "ipvs_rate_packets_out", W_HIGH }, \
	{ cpair + 6, ASN_UNSIGNED, "ipvs_rate_bytes_in", W_LOW }, \
	{ cpair + 7, ASN_UNSIGNED, "ipvs_rate_bytes_in", W_HIGH }, \
	{ cpair + 8, ASN_UNSIGNED, "ipvs_rate_bytes_out", W_LOW }, \
	{ cpair + 9, ASN_UNSIGNED, "ipvs_rate_bytes_out", W_HIGH }, \
	{ c64, ASN_COUNTER64, "ipvs_rate_connections", W_FULL }, \
	{ c64 + 1, ASN_COUNTER64, "ipvs_rate_packets_in", W_FULL }, \
	{ c64 + 2, ASN_COUNTER64, "ipvs_rate_packets_out", W_FULL }, \
	{ c64 + 3, ASN_COUNTER64, "ipvs_rate_bytes_in", W_FULL }, \
	{ c64 + 4, ASN_COUNTER64, "ipvs_rate_bytes_out", W_FULL }

/* virtualServerStats* and virtualServerRate* */
static const struct stat_col vs_stats[] = {
	{ 27, ASN_GAUGE, "ipvs_connections", W_FULL },
	{ 28, ASN_COUNTER, "ipvs_packets_in", W_FULL },
	{ 29, ASN_COUNTER, "ipvs_packets_out", W_FULL },
	{ 30, ASN_COUNTER64, "ipvs_bytes_in", W_FULL },
	{ 31, ASN_COUNTER64, "ipvs_bytes_out", W_FULL },
	{ 38, ASN_COUNTER64, "ipvs_connections", W_FULL },
	{ 39, ASN_COUNTER64, "ipvs_packets_in", W_FULL },
	{ 40, ASN_COUNTER64, "ipvs_packets_out", W_FULL },
	RATES(32, 41, 74),
	{ 0, 0, NULL, 0 }
};

/* realServerStats* and realServerRate* */
static const struct stat_col rs_stats[] = {
	{ 14, ASN_GAUGE, "ipvs_connections", W_FULL },
	{ 15, ASN_GAUGE, "ipvs_active_connections", W_FULL },
	{ 16, ASN_GAUGE, "ipvs_inactive_connections", W_FULL },
	{ 17, ASN_GAUGE, "ipvs_persistent_connections", W_FULL },
	{ 18, ASN_COUNTER, "ipvs_packets_in", W_FULL },
	{ 19, ASN_COUNTER, "ipvs_packets_out", W_FULL },
	{ 20, ASN_COUNTER64, "ipvs_bytes_in", W_FULL },
	{ 21, ASN_COUNTER64, "ipvs_bytes_out", W_FULL },
	{ 27, ASN_COUNTER64, "ipvs_connections", W_FULL },
	{ 28, ASN_COUNTER64, "ipvs_packets_in", W_FULL },
	{ 29, ASN_COUNTER64, "ipvs_packets_out", W_FULL },
	RATES(22, 30, 58),
	{ 0, 0, NULL, 0 }
};

/* The columns whose attr the object carries (none without IPVS, none
 * before the checker child read the kernel's counters); with dflt 0,
 * every column, 0 where the object has no attr: a real server or sorry
 * server the kernel does not hold once its virtual server's counters
 * were read, as keepalived zeroes them before each read. */
static void
put_stats(struct snmp_view *w, const oid *e, size_t el, const oid *idx,
    size_t il, const struct state_obj *o, const struct stat_col *cols,
    const char *prefix, long long dflt)
{
	for (const struct stat_col *c = cols; c->key != NULL; c++) {
		char key[64];
		long long v;

		snprintf(key, sizeof(key), "%s%s", prefix, c->key);
		v = snmp_attr_num(o, key, dflt);

		if (v < 0)
			continue;
		if (c->part == W_HIGH)
			v = (long long)((unsigned long long)v >> 32);
		else if (c->type != ASN_COUNTER64)
			v &= 0xffffffffLL;
		snmp_put_int(w, e, el, c->col, idx, il, c->type, v);
	}
}

/* ---- check ------------------------------------------------------------ */

static int
sched_num(const char *s)
{
	static const char *const names[] = { "rr", "wrr", "lc", "wlc", "lblc",
	    "lblcr", "dh", "sh", "sed", "nq", "fo", "ovf", "mh", "twos" };

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(s, names[i]) == 0)
			return (int)i + 1;
	return 99;
}

static int
fwd_num(enum chk_fwd f)
{
	return f == CHK_FWD_DR ? 2 : f == CHK_FWD_TUN ? 3 : 1;
}

/* A tunnel's type, GUE port and checksum (virtualServerTunnel*,
 * realServerTunnel* from column col): only with TUN forwarding, the port
 * only for GUE, the checksum not for IPIP, as keepalived shows them. */
static void
put_tunnel(struct snmp_view *w, const oid *e, size_t el, unsigned col,
    const oid *idx, size_t il, const struct chk_conf_fwd_method *f)
{
	if (f->method != CHK_FWD_TUN)
		return;
	snmp_put_int(w, e, el, col, idx, il, ASN_INTEGER,
	    f->tun_type == CHK_TUN_GUE ? 2 : f->tun_type == CHK_TUN_GRE ? 3 :
	    1);
	if (f->tun_type == CHK_TUN_GUE)
		snmp_put_int(w, e, el, col + 1, idx, il, ASN_UNSIGNED,
		    f->tun_port);
	if (f->tun_type != CHK_TUN_IPIP)
		snmp_put_int(w, e, el, col + 2, idx, il, ASN_INTEGER,
		    f->tun_csum == CHK_CSUM ? 2 : f->tun_csum ==
		    CHK_CSUM_REMOTE ? 3 : 1);
}

/* A checker timer (usec), dflt where unset. */
static unsigned long long
timer_or(unsigned long long t, unsigned long long dflt)
{
	return t == CHK_TIMER_UNSET ? dflt : t;
}

/*
 * The checker defaults of a virtual server's or real server's own
 * (keepalived's retry .. connection_to columns, unset ones as it shows
 * them: 0, but the delay loop's 60 s and the connect timeout's 5 s).
 */
static void
put_timers(struct snmp_view *w, const oid *e, size_t el, const oid *idx,
    size_t il, int retry, unsigned long long dbr, unsigned long long warmup,
    unsigned long long loop, unsigned long long conn, const oid col[8])
{
	dbr = timer_or(dbr, 0);
	warmup = timer_or(warmup, 0);
	loop = timer_or(loop, CHK_DEF_DELAY_LOOP);
	conn = timer_or(conn, CHK_DEF_CONNECT_TIMEOUT);
	snmp_put_int(w, e, el, col[0], idx, il, ASN_UNSIGNED,
	    retry == CHK_INT_UNSET ? 0 : retry);
	snmp_put_int(w, e, el, col[1], idx, il, ASN_UNSIGNED, dbr / 1000000);
	snmp_put_int(w, e, el, col[2], idx, il, ASN_UNSIGNED,
	    warmup / 1000000);
	if (col[3] != 0)
		snmp_put_int(w, e, el, col[3], idx, il, ASN_UNSIGNED,
		    loop / 1000000);
	snmp_put_int(w, e, el, col[4], idx, il, ASN_UNSIGNED,
	    dbr & 0xffffffffULL);
	snmp_put_int(w, e, el, col[5], idx, il, ASN_UNSIGNED,
	    warmup & 0xffffffffULL);
	snmp_put_int(w, e, el, col[6], idx, il, ASN_UNSIGNED,
	    loop & 0xffffffffULL);
	snmp_put_int(w, e, el, col[7], idx, il, ASN_UNSIGNED,
	    conn & 0xffffffffULL);
}

static int
smtp_on(const struct snmp_ctx *ctx, int own, int dflt)
{
	return chk_conf_smtp_alert(own, ctx->chk->g.smtp_alert_checker,
	    ctx->g != NULL ? ctx->g->smtp_alert : CHK_INT_UNSET, dflt);
}

static int
proto_num(int p)
{
	return p == IPPROTO_TCP ? 1 : p == IPPROTO_UDP ? 2 :
	    p == IPPROTO_SCTP ? 3 : 4;
}

static void
ka_rs(struct snmp_view *w, const struct snmp_ctx *ctx,
    const struct chk_vs_conf *vs, const struct chk_rs_conf *rs, oid *idx,
    long long stats_dflt)
{
	const size_t el = OID_LENGTH(oid_rs_entry);
	char name[512];
	const struct state_obj *o = snmp_obj(ctx->chk_st, "real_server",
	    snmp_rs_name(vs, rs, name, sizeof(name)));
	int up = o != NULL && strcmp(o->state, "up") == 0;
	long long weight = rs->weight;
	const struct chk_conf_fwd_method *fwd = rs->fwd.method !=
	    CHK_FWD_UNSET ? &rs->fwd : &vs->fwd;
	struct snmp_vb *b;

	if (o != NULL && o->weight != IPC_OBJ_NO_WEIGHT && up)
		weight = o->weight;
	snmp_put_int(w, oid_rs_entry, el, 2, idx, 2, ASN_INTEGER, 1);
	snmp_put_int(w, oid_rs_entry, el, 3, idx, 2, ASN_INTEGER,
	    rs->addr.family == AF_INET6 ? 2 : 1);
	snmp_put_addr(w, oid_rs_entry, el, 4, idx, 2, &rs->addr);
	/* the port of its IPVS destination, as keepalived's row after it
	 * reset the port (DR / TUN: the virtual server's, a fwmark's 0) */
	snmp_put_int(w, oid_rs_entry, el, 5, idx, 2, ASN_UNSIGNED,
	    chk_conf_ipvs_port(vs, fwd, rs->port));
	snmp_put_int(w, oid_rs_entry, el, 6, idx, 2, ASN_INTEGER, TV(up));
	if ((b = snmp_view_cell(w, oid_rs_entry, el, 7, idx, 2)) != NULL) {
		char a[ADDR_STRLEN + 16], v[256], ab[ADDR_STRLEN];

		snmp_vb_int(b, ASN_INTEGER, weight);
		b->write = SNMP_VB_RS_WEIGHT;
		snprintf(a, sizeof(a), rs->addr.family == AF_INET6 ?
		    "[%s]:%u" : "%s:%u", addr_ntop(&rs->addr, ab, sizeof(ab)),
		    rs->port);
		b->w1 = arena_strdup(w->arena, snmp_vs_name(vs, v, sizeof(v)));
		b->w2 = arena_strdup(w->arena, a);
	}
	if (rs->uthreshold)
		snmp_put_int(w, oid_rs_entry, el, 8, idx, 2, ASN_GAUGE,
		    rs->uthreshold);
	if (rs->lthreshold)
		snmp_put_int(w, oid_rs_entry, el, 9, idx, 2, ASN_GAUGE,
		    rs->lthreshold);
	snmp_put_int(w, oid_rs_entry, el, 10, idx, 2, ASN_INTEGER,
	    TV(!rs->inhibit_on_failure));
	snmp_put_str(w, oid_rs_entry, el, 11, idx, 2, snmp_cmd_str(w,
	    rs->notify_up != NULL ? rs->notify_up->cmd : NULL));
	snmp_put_str(w, oid_rs_entry, el, 12, idx, 2, snmp_cmd_str(w,
	    rs->notify_down != NULL ? rs->notify_down->cmd : NULL));
	snmp_put_int(w, oid_rs_entry, el, 13, idx, 2, ASN_GAUGE,
	    up ? 0 : o != NULL && strcmp(o->state, "down") == 0 ?
	    (rs->checks->n > 0 ? rs->checks->n : 1) : 0);
	snmp_put_int(w, oid_rs_entry, el, 40, idx, 2, ASN_INTEGER,
	    fwd_num(fwd->method));
	snmp_put_str(w, oid_rs_entry, el, 41, idx, 2,
	    rs->checks->virtualhost);
	snmp_put_int(w, oid_rs_entry, el, 42, idx, 2, ASN_INTEGER,
	    TV(rs->checks->alpha > 0));
	{
		/* realServerRetry .. ConnTimeoutUsec, inherited from the
		 * virtual server where unset */
		static const oid cols[8] = { 43, 44, 45, 46, 48, 49, 50, 51 };

		const struct chk_rs_checks *k = rs->checks;

		put_timers(w, oid_rs_entry, el, idx, 2, k->retry,
		    k->delay_before_retry, k->warmup, k->delay_loop,
		    k->connect_timeout, cols);
	}
	snmp_put_int(w, oid_rs_entry, el, 47, idx, 2, ASN_INTEGER,
	    TV(smtp_on(ctx, rs->smtp_alert, 1)));
	put_tunnel(w, oid_rs_entry, el, 52, idx, 2, fwd);
	snmp_put_str(w, oid_rs_entry, el, 55, idx, 2, rs->snmp_name);
	put_stats(w, oid_rs_entry, el, idx, 2, o, rs_stats, "", stats_dflt);
}

static void
ka_vs(struct snmp_view *w, const struct snmp_ctx *ctx,
    const struct chk_vs_conf *vs, oid n)
{
	const size_t el = OID_LENGTH(oid_vs_entry);
	char name[256];
	const struct state_obj *o = snmp_obj(ctx->chk_st, "virtual_server",
	    snmp_vs_name(vs, name, sizeof(name)));
	unsigned total = vs->nrs, up = 0;
	oid idx[2] = { n, 0 };
	int type = vs->kind == CHK_VS_FWMARK ? 1 : vs->kind == CHK_VS_GROUP ?
	    3 : 2;
	/* its counters read: its servers' too, 0 for one out of the
	 * kernel's table */
	long long stats_dflt = snmp_attr_num(o, "ipvs_connections", -1) >= 0 ?
	    0 : -1;

	for (const struct chk_rs_conf *rs = vs->rs; rs != NULL; rs = rs->next) {
		char rn[512];
		const struct state_obj *r = snmp_obj(ctx->chk_st,
		    "real_server", snmp_rs_name(vs, rs, rn, sizeof(rn)));

		up += r != NULL && strcmp(r->state, "up") == 0;
	}
	snmp_put_int(w, oid_vs_entry, el, 2, idx, 1, ASN_INTEGER, type);
	if (type == 3)
		snmp_put_str(w, oid_vs_entry, el, 3, idx, 1, vs->group_name);
	if (type == 1)
		snmp_put_int(w, oid_vs_entry, el, 4, idx, 1, ASN_GAUGE,
		    vs->fwmark);
	if (type == 2) {
		snmp_put_int(w, oid_vs_entry, el, 5, idx, 1, ASN_INTEGER,
		    vs->addr.family == AF_INET6 ? 2 : 1);
		snmp_put_addr(w, oid_vs_entry, el, 6, idx, 1, &vs->addr);
		snmp_put_int(w, oid_vs_entry, el, 7, idx, 1, ASN_UNSIGNED,
		    vs->port);
	}
	snmp_put_int(w, oid_vs_entry, el, 8, idx, 1, ASN_INTEGER,
	    type == 1 ? 4 : proto_num(vs->protocol));
	snmp_put_int(w, oid_vs_entry, el, 9, idx, 1, ASN_INTEGER,
	    sched_num(vs->sched));
	snmp_put_int(w, oid_vs_entry, el, 10, idx, 1, ASN_INTEGER,
	    fwd_num(vs->fwd.method));
	snmp_put_int(w, oid_vs_entry, el, 11, idx, 1, ASN_INTEGER,
	    TV(o == NULL || strcmp(o->state, "down") != 0 || up > 0));
	snmp_put_str(w, oid_vs_entry, el, 12, idx, 1, vs->virtualhost);
	snmp_put_int(w, oid_vs_entry, el, 13, idx, 1, ASN_INTEGER,
	    TV(vs->persistence_timeout > 0));
	if (vs->persistence_timeout > 0)
		snmp_put_int(w, oid_vs_entry, el, 14, idx, 1, ASN_GAUGE,
		    vs->persistence_timeout);
	/* persistence_granularity, as keepalived keeps it: one 32-bit word,
	 * all ones unless given; 15 as an IPv4 netmask, 51 as a number
	 * (its word as stored); a fwmark or group service shows both */
	{
		struct vg_addr m = { .family = AF_INET };
		uint32_t word = 0xffffffffu;

		if (vs->persistence_mask.family == AF_INET)
			word = vs->persistence_mask.u.v4.s_addr;
		else if (vs->persistence_prefix != 0)
			word = vs->persistence_prefix;
		m.u.v4.s_addr = word;
		if (type != 2 || vs->addr.family != AF_INET6)
			snmp_put_addr(w, oid_vs_entry, el, 15, idx, 1, &m);
		if (type != 2 || vs->addr.family != AF_INET)
			snmp_put_int(w, oid_vs_entry, el, 51, idx, 1,
			    ASN_UNSIGNED, word);
	}
	snmp_put_int(w, oid_vs_entry, el, 16, idx, 1, ASN_GAUGE,
	    timer_or(vs->delay_loop, CHK_DEF_DELAY_LOOP) / 1000000);
	snmp_put_int(w, oid_vs_entry, el, 17, idx, 1, ASN_INTEGER,
	    TV(vs->ha_suspend));
	snmp_put_int(w, oid_vs_entry, el, 18, idx, 1, ASN_INTEGER,
	    TV(vs->alpha > 0));
	snmp_put_int(w, oid_vs_entry, el, 19, idx, 1, ASN_INTEGER,
	    TV(vs->omega > 0));
	snmp_put_int(w, oid_vs_entry, el, 20, idx, 1, ASN_GAUGE, total);
	snmp_put_int(w, oid_vs_entry, el, 21, idx, 1, ASN_GAUGE, up);
	snmp_put_int(w, oid_vs_entry, el, 22, idx, 1, ASN_GAUGE, vs->quorum);
	snmp_put_int(w, oid_vs_entry, el, 23, idx, 1, ASN_INTEGER,
	    TV(o != NULL && strcmp(o->state, "up") == 0));
	snmp_put_str(w, oid_vs_entry, el, 24, idx, 1, snmp_cmd_str(w,
	    vs->quorum_up.cmd));
	snmp_put_str(w, oid_vs_entry, el, 25, idx, 1, snmp_cmd_str(w,
	    vs->quorum_down.cmd));
	snmp_put_int(w, oid_vs_entry, el, 26, idx, 1, ASN_GAUGE,
	    vs->hysteresis);
	/* virtualServerOPS: one-packet scheduling */
	snmp_put_int(w, oid_vs_entry, el, 37, idx, 1, ASN_INTEGER,
	    TV(vs->flags & CHK_VS_F_ONEPACKET));
	snmp_put_int(w, oid_vs_entry, el, 52, idx, 1, ASN_INTEGER,
	    TV(vs->flags & CHK_VS_F_HASHED));
	/* sh-fallback and mh-fallback are IPVS's scheduler flag 1, sh-port
	 * and mh-port its flag 2: keepalived shows the bits */
	snmp_put_int(w, oid_vs_entry, el, 53, idx, 1, ASN_INTEGER,
	    TV(vs->flags & CHK_VS_F_FLAG1));
	snmp_put_int(w, oid_vs_entry, el, 54, idx, 1, ASN_INTEGER,
	    TV(vs->flags & CHK_VS_F_FLAG2));
	snmp_put_int(w, oid_vs_entry, el, 55, idx, 1, ASN_INTEGER,
	    TV(vs->flags & CHK_VS_F_FLAG3));
	snmp_put_int(w, oid_vs_entry, el, 56, idx, 1, ASN_INTEGER,
	    vs->inhibit_on_failure > 0 ? 2 : 1);
	{
		static const oid cols[8] = { 57, 58, 59, 0, 65, 66, 64, 67 };

		put_timers(w, oid_vs_entry, el, idx, 1, vs->retry,
		    vs->delay_before_retry, vs->warmup, vs->delay_loop,
		    vs->connect_timeout, cols);
	}
	snmp_put_int(w, oid_vs_entry, el, 60, idx, 1, ASN_INTEGER,
	    vs->weight == CHK_INT_UNSET ? 1 : vs->weight);
	snmp_put_int(w, oid_vs_entry, el, 61, idx, 1, ASN_INTEGER,
	    TV(smtp_on(ctx, vs->smtp_alert, 0)));
	snmp_put_int(w, oid_vs_entry, el, 62, idx, 1, ASN_INTEGER,
	    TV(vs->flags & CHK_VS_F_FLAG1));
	snmp_put_int(w, oid_vs_entry, el, 63, idx, 1, ASN_INTEGER,
	    TV(vs->flags & CHK_VS_F_FLAG2));
	put_tunnel(w, oid_vs_entry, el, 68, idx, 1, &vs->fwd);
	snmp_put_str(w, oid_vs_entry, el, 71, idx, 1, vs->snmp_name);
	put_stats(w, oid_vs_entry, el, idx, 1, o, vs_stats, "", -1);
	if (vs->sorry.set) {
		const size_t rl = OID_LENGTH(oid_rs_entry);
		/* keepalived's sorry server: its forwarding, alpha off,
		 * no checker timers (0), no smtp_alert */
		static const oid cols[8] = { 43, 44, 45, 46, 48, 49, 50, 51 };
		const struct chk_conf_fwd_method *fwd = vs->sorry.fwd.method !=
		    CHK_FWD_UNSET ? &vs->sorry.fwd : &vs->fwd;

		idx[1]++;
		snmp_put_int(w, oid_rs_entry, rl, 2, idx, 2, ASN_INTEGER, 2);
		snmp_put_int(w, oid_rs_entry, rl, 3, idx, 2, ASN_INTEGER,
		    vs->sorry.addr.family == AF_INET6 ? 2 : 1);
		snmp_put_addr(w, oid_rs_entry, rl, 4, idx, 2, &vs->sorry.addr);
		/* its IPVS destination's, as a real server's */
		snmp_put_int(w, oid_rs_entry, rl, 5, idx, 2, ASN_UNSIGNED,
		    chk_conf_ipvs_port(vs, fwd, vs->sorry.port));
		snmp_put_int(w, oid_rs_entry, rl, 40, idx, 2, ASN_INTEGER,
		    fwd_num(fwd->method));
		snmp_put_int(w, oid_rs_entry, rl, 42, idx, 2, ASN_INTEGER,
		    TV(0));
		put_timers(w, oid_rs_entry, rl, idx, 2, 0, 0, 0, 0, 0, cols);
		snmp_put_int(w, oid_rs_entry, rl, 47, idx, 2, ASN_INTEGER,
		    TV(0));
		put_tunnel(w, oid_rs_entry, rl, 52, idx, 2, fwd);
		/* its counters: the virtual server's sorry_ipvs_* attrs */
		put_stats(w, oid_rs_entry, rl, idx, 2, o, rs_stats, "sorry_",
		    stats_dflt);
	}
	for (const struct chk_rs_conf *rs = vs->rs; rs != NULL; rs = rs->next) {
		idx[1]++;
		ka_rs(w, ctx, vs, rs, idx, stats_dflt);
	}
}

static void
ka_check(struct snmp_view *w, const struct snmp_ctx *ctx)
{
	oid n = 0;

	if (ctx->chk == NULL)
		return;
	for (const struct chk_vs_conf *vs = ctx->chk->vs; vs != NULL;
	    vs = vs->next)
		ka_vs(w, ctx, vs, ++n);
	snmp_mib_ka_lvs(w, ctx);
}

void
snmp_mib_keepalived(struct snmp_view *w, const struct snmp_ctx *ctx)
{
	unsigned mibs = ctx->set->mibs;

	if (!(mibs & (SNMP_MIB_VRRP | SNMP_MIB_CHECKER)))
		return;
	ka_global(w, ctx);
	if (mibs & SNMP_MIB_VRRP)
		ka_vrrp(w, ctx);
	if (mibs & SNMP_MIB_CHECKER)
		ka_check(w, ctx);
}

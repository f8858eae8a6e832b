/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the VRRP child reports to the parent of its instances and sync
 * groups: state records with the attrs docs/state.md lists (priority,
 * master, VIPs, counters), sent on every change and, with fresh counters,
 * in every snapshot.
 */
#include "autoconfig.h"

#include <net/if.h>
#include <string.h>
#include <time.h>

#include "proc.h"
#include "vrrp/config.h"
#include "vrrp/config_priv.h"
#include "vrrp/engine_priv.h"
#include "vrrp/iface.h"
#include "vrrp/syncd.h"

/* Every address of l as addr/len, space-separated; how many of them are
 * on an interface now added to *present. */
static size_t
vips_put(const struct vrrp_engine *e, const struct vrrp_conf_list *l,
    char *buf, size_t len, size_t at, unsigned *present)
{
	for (const struct vrrp_conf_ipaddr *a = l->first; a != NULL;
	    a = a->next) {
		char s[ADDR_STRLEN];
		int n;

		if (e->ifaces != NULL && vrrp_iface_has_addr(e->ifaces, 0,
		    &a->p.addr))
			(*present)++;
		if (at >= len)
			continue;
		n = snprintf(buf + at, len - at, "%s%s/%u", at > 0 ? " " : "",
		    addr_ntop(&a->p.addr, s, sizeof(s)), a->p.prefix);
		if (n < 0 || (size_t)n >= len - at) {
			/* never half an address */
			buf[at] = '\0';
			at = len;
			continue;
		}
		at += (size_t)n;
	}
	return at;
}

/* One address as keepalived 2.2.7's format_ipaddress() writes it in its
 * data dump ("10.0.0.1 dev eth0 scope global set"): the prefix length
 * only when not the whole address, then what was configured, "set" when
 * it is on an interface now. */
/* The link a's address goes on as keepalived names it: a macvlan or
 * ipvlan (a VMAC) as NAME@LOWER, else its dev (or the instance's
 * interface). */
static const char *
vip_dev(const struct vrrp_engine *e, const struct vrrp_inst *vi,
    const struct vrrp_conf_ipaddr *a, char *buf, size_t len)
{
	const struct vrrp_instance_conf *c = vi->conf;
	const struct vrrp_iface *ifc, *lower;
	int idx;

	if (e->ifaces != NULL &&
	    (idx = vrrp_action_addr_ifindex(e, vi, a)) > 0 &&
	    (ifc = vrrp_iface_by_index(e->ifaces, idx)) != NULL &&
	    ifc->is_mac_child && ifc->link_index > 0 &&
	    (lower = vrrp_iface_by_index(e->ifaces, ifc->link_index)) !=
	    NULL) {
		snprintf(buf, len, "%s@%s", ifc->name, lower->name);
		return buf;
	}
	return a->dev != NULL ? a->dev : c->interface;
}

static int
vip_line(const struct vrrp_engine *e, const struct vrrp_inst *vi,
    const struct vrrp_conf_ipaddr *a, char *buf, size_t len)
{
	const struct vrrp_conf_ipaddr_params *p = &a->p;
	char s[ADDR_STRLEN], sc[16], db[2 * IF_NAMESIZE + 2];
	unsigned full = p->addr.family == AF_INET6 ? 128 : 32;
	const char *dev = vip_dev(e, vi, a, db, sizeof(db));
	size_t at = 0;
	int n;

#define VIP_PUT(...) do {						\
	n = snprintf(buf + at, len - at, __VA_ARGS__);			\
	if (n < 0 || (size_t)n >= len - at)				\
		return -1;						\
	at += (size_t)n;						\
} while (0)
	VIP_PUT("%s", addr_ntop(&p->addr, s, sizeof(s)));
	if (p->prefix != full)
		VIP_PUT("/%u", p->prefix);
	if (p->addr.family == AF_INET && p->brd_mode == VRRP_BRD_ADDR)
		VIP_PUT(" brd %s", addr_ntop(&p->brd, s, sizeof(s)));
	VIP_PUT(" dev %s", dev != NULL ? dev : "(null)");
	if (p->flags & VRRP_IPA_USE_VMAC)
		VIP_PUT(" use_vmac");
	VIP_PUT(" scope %s", vrrp_conf_scope_name(p->scope, sc, sizeof(sc)));
	if (a->label != NULL)
		VIP_PUT(" label %s", a->label);
	if (p->peer.family != 0)
		VIP_PUT(" peer %s/%u", addr_ntop(&p->peer, s, sizeof(s)),
		    p->peer_prefix);
	if (p->flags & VRRP_IPA_HOME)
		VIP_PUT(" home");
	if (p->flags & VRRP_IPA_DAD)
		VIP_PUT(" -nodad");
	if (p->flags & VRRP_IPA_MNGTMPADDR)
		VIP_PUT(" mngtmpaddr");
	if (p->flags & VRRP_IPA_NOPREFIXROUTE)
		VIP_PUT(" noprefixroute");
	if (p->flags & VRRP_IPA_AUTOJOIN)
		VIP_PUT(" autojoin");
	if (p->flags & VRRP_IPA_NO_TRACK)
		VIP_PUT(" no_track");
	if (a->track_group != NULL)
		VIP_PUT(" track_group %s", a->track_group);
	/* vigil adds an IPv6 VIP without a lifetime unless one is given */
	if (p->addr.family == AF_INET6) {
		if (!(p->flags & VRRP_IPA_PREFERRED_LFT) ||
		    p->preferred_lft == 0xffffffffu)
			VIP_PUT(" preferred_lft forever");
		else if (p->preferred_lft == 0)
			VIP_PUT(" deprecated");
		else
			VIP_PUT(" preferred_lft %u", p->preferred_lft);
	}
	if (e->ifaces != NULL && vrrp_iface_has_addr(e->ifaces, 0, &p->addr))
		VIP_PUT(" set");
#undef VIP_PUT
	return (int)at;
}

/* The lines of l, tab-separated, as "key"; left out if they do not fit
 * (the dump then writes "vips"). */
static void
vip_lines(const struct vrrp_engine *e, const struct vrrp_inst *vi,
    const struct vrrp_conf_list *l, const char *key, struct ipc_attrs *a)
{
	char buf[3072];
	size_t at = 0;

	if (l->first == NULL)
		return;
	for (const struct vrrp_conf_ipaddr *v = l->first; v != NULL;
	    v = v->next) {
		int n;

		if (at > 0) {
			if (at + 1 >= sizeof(buf))
				return;
			buf[at++] = '\t';
		}
		n = vip_line(e, vi, v, buf + at, sizeof(buf) - at);
		if (n < 0)
			return;
		at += (size_t)n;
	}
	buf[at] = '\0';
	ipc_attrs_add(a, key, "%s", buf);
}

/* The VRF vi is in: its interface's, as the kernel has it now, or (no
 * interface) the one its vrf keyword names; NULL if none. */
static const char *
inst_vrf(const struct vrrp_engine *e, const struct vrrp_inst *vi)
{
	const struct vrrp_iface *m;

	if (vi->conf->interface == NULL)
		return vi->conf->vrf;
	if (e->ifaces == NULL || (m = vrrp_iface_vrf_of(e->ifaces,
	    vrrp_iface_by_name(e->ifaces, vi->conf->interface))) == NULL)
		return NULL;
	return m->name;
}

void
vrrp_report_attrs(const struct vrrp_engine *e, const struct vrrp_inst *vi,
    struct ipc_attrs *a)
{
	const struct vrrp_instance_conf *c = vi->conf;
	char s[ADDR_STRLEN], vips[4096];
	const char *vrf;
	unsigned present = 0;
	size_t at;

	vips[0] = '\0';
	if (c->interface != NULL)
		ipc_attrs_add(a, "interface", "%s", c->interface);
	if ((vrf = inst_vrf(e, vi)) != NULL)
		ipc_attrs_add(a, "vrf", "%s", vrf);
	ipc_attrs_add(a, "vrid", "%u", c->p.vrid);
	ipc_attrs_add(a, "version", "%u", c->p.version);
	ipc_attrs_add(a, "family", "%s", c->p.family == AF_INET6 ? "inet6" :
	    "inet");
	ipc_attrs_add(a, "priority", "%u", vi->base_prio);
	ipc_attrs_add(a, "effective_priority", "%u", vi->prio);
	ipc_attrs_add(a, "advert_int_ms", "%llu",
	    (unsigned long long)(c->p.advert_int / 1000));
	if (!addr_is_unset(&vi->master_addr)) {
		ipc_attrs_add(a, "master", "%s", addr_ntop(&vi->master_addr,
		    s, sizeof(s)));
		ipc_attrs_add(a, "master_priority", "%u", vi->master_prio);
		ipc_attrs_add(a, "master_advert_int_ms", "%u",
		    vi->master_adver_int * 10);
	}
	if (!addr_is_unset(&vi->heard_addr))
		ipc_attrs_add(a, "master_heard", "%s",
		    addr_ntop(&vi->heard_addr, s, sizeof(s)));
	ipc_attrs_add(a, "new_master_reason", "%u",
	    (unsigned)vi->master_reason);
	at = vips_put(e, &c->vips, vips, sizeof(vips), 0, &present);
	(void)vips_put(e, &c->evips, vips, sizeof(vips), at, &present);
	if (vips[0] != '\0')
		ipc_attrs_add(a, "vips", "%s", vips);
	ipc_attrs_add(a, "vips_present", "%u", present);
	if (vi->sync != NULL)
		ipc_attrs_add(a, "sync_group", "%s", vi->sync->name);
	ipc_attrs_add(a, "preempt", "%d", vrrp_inst_preempt(vi));
	ipc_attrs_add(a, "forced_backup", "%d", vi->forced_backup != 0);
	if (vrrp_inst_faulty(vi) && vi->fault_why[0] != '\0')
		ipc_attrs_add(a, "fault", "%s", vi->fault_why);
	ipc_attrs_add(a, "transitions", "%llu",
	    (unsigned long long)vi->transitions);
	ipc_attrs_add(a, "became_master", "%llu",
	    (unsigned long long)vi->became_master);
	ipc_attrs_add(a, "released_master", "%llu",
	    (unsigned long long)vi->released_master);
	if (vi->since != 0)
		ipc_attrs_add(a, "last_transition", "%llu.%06u",
		    (unsigned long long)vi->since, (unsigned)vi->since_usec);
	ipc_attrs_add(a, "adverts_sent", "%llu", (unsigned long long)vi->tx);
	ipc_attrs_add(a, "adverts_send_failed", "%llu",
	    (unsigned long long)vi->tx_dropped);
	ipc_attrs_add(a, "adverts_received", "%llu",
	    (unsigned long long)vi->rx);
	ipc_attrs_add(a, "priority_zero_sent", "%llu",
	    (unsigned long long)vi->prio0_tx);
	ipc_attrs_add(a, "priority_zero_received", "%llu",
	    (unsigned long long)vi->prio0_rx);
	for (int d = VRRP_OK + 1; d < VRRP_DROP_MAX; d++) {
		char key[32];

		snprintf(key, sizeof(key), "drops_%s",
		    vrrp_drop_name((enum vrrp_drop)d));
		ipc_attrs_add(a, key, "%llu",
		    (unsigned long long)vi->drops[d]);
	}
	if (e->syncd != NULL && vrrp_syncd_instance(e->syncd) != NULL &&
	    strcmp(vrrp_syncd_instance(e->syncd), vi->name) == 0) {
		char d[256];

		ipc_attrs_add(a, "lvs_sync_daemon", "%s",
		    vrrp_syncd_describe(e->syncd, d, sizeof(d)));
	}
	ipc_attrs_add(a, "auth_failures", "%llu", (unsigned long long)
	    (vi->drops[VRRP_DROP_AUTH] + vi->drops[VRRP_DROP_AUTH_TYPE] +
	    vi->drops[VRRP_DROP_INVALID_AUTH_TYPE]));
	if (!addr_is_unset(&vi->auth_err_src))
		ipc_attrs_add(a, "auth_failure_src", "%s",
		    addr_ntop(&vi->auth_err_src, s, sizeof(s)));
	if (vi->vmac_ifindex > 0)
		ipc_attrs_add(a, "link_ifindex", "%d", vi->vmac_ifindex);
	/* last: what does not fit goes first */
	vip_lines(e, vi, &c->vips, "vip_lines", a);
	vip_lines(e, vi, &c->evips, "evip_lines", a);
}

void
vrrp_action_report(struct vrrp_engine *e, struct vrrp_inst *vi)
{
	struct proc *p = e->env->proc;
	static struct ipc_attrs a;	/* 8 KiB: off the stack */
	struct ipc_obj o = {
		.kind = "vrrp_instance",
		.name = vi->name,
		.state = vrrp_state_name(vi->state),
		.detail = vi->why,
		.weight = (int32_t)vi->prio,
		.since = vi->since,
	};

	if (p == NULL)
		return;
	ipc_attrs_init(&a);
	vrrp_report_attrs(e, vi, &a);
	o.attrs = a.buf;
	o.generation = proc_generation(p);
	proc_state_add(p, &o);
}

void
vrrp_action_report_group(struct vrrp_engine *e, struct vrrp_sync *g)
{
	struct proc *p = e->env->proc;
	static struct ipc_attrs a;
	char members[4096];
	size_t at = 0;
	struct ipc_obj o = {
		.kind = "vrrp_sync_group",
		.name = g->name,
		.state = g->state == VRRP_STATE_INIT ? "not started" :
		    vrrp_state_name(g->state),
		.detail = g->why,
		.weight = IPC_OBJ_NO_WEIGHT,
		.since = (uint64_t)time(NULL),
	};

	if (p == NULL)
		return;
	members[0] = '\0';
	for (unsigned i = 0; i < g->n; i++) {
		int n = snprintf(members + at, sizeof(members) - at, "%s%s",
		    at > 0 ? " " : "", g->members[i]->name);

		if (n < 0 || (size_t)n >= sizeof(members) - at) {
			members[at] = '\0';
			break;
		}
		at += (size_t)n;
	}
	ipc_attrs_init(&a);
	if (members[0] != '\0')
		ipc_attrs_add(&a, "members", "%s", members);
	o.attrs = a.buf;
	o.generation = proc_generation(p);
	proc_state_add(p, &o);
}

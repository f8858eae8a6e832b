/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * An instance's own child link on its interface, as the engine keeps it:
 * use_vmac's VMAC or use_ipvlan's ipvlan (vrrp/vmac.c makes them), one
 * path for both. Made when the instance resolves its interface, in the
 * VRF that interface is in, and moved with the interface; made again when
 * deleted by hand (keepalived does the same), a MASTER's VIPs put back on
 * it; deleted when the instance stops or leaves the configuration,
 * forgotten when it goes with its interface; made anew when a reload asks
 * for another (kind, name, MAC, flags or address).
 */
#include "autoconfig.h"

#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "vrrp/config.h"
#include "vrrp/engine_priv.h"
#include "vrrp/iface.h"
#include "vrrp/fw.h"
#include "vrrp/socket.h"
#include "vrrp/vip.h"
#include "vrrp/vmac.h"

/* The name an instance's VMAC or ipvlan gives itself (use_vmac NAME,
 * use_ipvlan NAME), or NULL. */
static const char *
link_given(const struct vrrp_instance_conf *c)
{
	if (c->p.use_ipvlan)
		return c->ipvlan_ifname;
	return c->p.use_vmac ? c->vmac_ifname : NULL;
}

/* Whether name is taken: by a default name given before (names, n) or
 * by a name an instance gives its link. */
static int
name_used(char (*names)[IF_NAMESIZE], unsigned n,
    const struct vrrp_conf_list *all, const char *name)
{
	for (unsigned i = 0; i < n; i++)
		if (strcmp(names[i], name) == 0)
			return 1;
	for (const struct vrrp_instance_conf *o = all->first; o != NULL;
	    o = o->next)
		if (link_given(o) != NULL && strcmp(link_given(o), name) == 0)
			return 1;
	return 0;
}

/* PREFIX[N].VRID, the prefix cut (not the VRID) to fit, as keepalived */
static void
link_name_format(char name[IF_NAMESIZE], const char *prefix, unsigned num,
    unsigned vrid)
{
	char tail[24];
	size_t tl, pl = strlen(prefix);

	if (num > 0)
		snprintf(tail, sizeof(tail), "%u.%u", num, vrid);
	else
		snprintf(tail, sizeof(tail), ".%u", vrid);
	tl = strlen(tail);
	if (tl > IF_NAMESIZE - 1)
		tl = IF_NAMESIZE - 1;
	if (pl > IF_NAMESIZE - 1 - tl)
		pl = IF_NAMESIZE - 1 - tl;
	memcpy(name, prefix, pl);
	memcpy(name + pl, tail, tl);
	name[pl + tl] = '\0';
}

void
vrrp_engine_link_names_free(struct vrrp_engine *e)
{
	free(e->link_names_ic);
	free(e->link_names);
	e->link_names_ic = NULL;
	e->link_names = NULL;
	e->nlink_names = 0;
	e->link_names_of = NULL;
}

/*
 * keepalived 2.2.7's default names for the VMACs and ipvlans of e->conf,
 * once a configuration: PREFIX.VRID, unless a name given in the
 * configuration or the default of an instance before has it; then
 * PREFIXN.VRID for N = 1, 2... (an IPv6 instance tries 6 first, then 1,
 * 2..., skipping 6). PREFIX is vmac_prefix or "vrrp". 0, or -1 (out of
 * memory).
 */
static int
link_names_build(struct vrrp_engine *e)
{
	const struct vrrp_conf *conf = e->conf;
	const char *prefix = conf->g.vmac_prefix != NULL ?
	    conf->g.vmac_prefix : "vrrp";
	const struct vrrp_instance_conf *o;
	unsigned n = 0;

	vrrp_engine_link_names_free(e);
	for (o = conf->instances.first; o != NULL; o = o->next)
		if ((o->p.use_vmac || o->p.use_ipvlan) && link_given(o) == NULL)
			n++;
	if (n > 0 && ((e->link_names_ic = calloc(n,
	    sizeof(*e->link_names_ic))) == NULL ||
	    (e->link_names = calloc(n, sizeof(*e->link_names))) == NULL)) {
		vrrp_engine_link_names_free(e);
		return -1;
	}
	for (o = conf->instances.first; o != NULL; o = o->next) {
		unsigned num = 0, k = e->nlink_names;

		if ((!o->p.use_vmac && !o->p.use_ipvlan) || link_given(o) != NULL)
			continue;
		link_name_format(e->link_names[k], prefix, 0, o->p.vrid);
		while (name_used(e->link_names, k, &conf->instances,
		    e->link_names[k]) && num < 1000) {
			if (o->p.family == AF_INET6)
				num = num == 0 ? 6 : num == 6 ? 1 :
				    num + 1 == 6 ? 7 : num + 1;
			else
				num++;
			link_name_format(e->link_names[k], prefix, num,
			    o->p.vrid);
		}
		e->link_names_ic[k] = o;
		e->nlink_names++;
	}
	e->link_names_of = conf;
	return 0;
}

/* c's default link name into name (link_names_build) */
static void
link_default_name(struct vrrp_engine *e, const struct vrrp_instance_conf *c,
    char name[IF_NAMESIZE])
{
	if (e->link_names_of != e->conf && link_names_build(e) < 0)
		log_err("VMAC names: out of memory");
	for (unsigned k = 0; k < e->nlink_names; k++)
		if (e->link_names_ic[k] == c) {
			memcpy(name, e->link_names[k], IF_NAMESIZE);
			return;
		}
	/* out of memory: keepalived's first choice */
	link_name_format(name, e->conf->g.vmac_prefix != NULL ?
	    e->conf->g.vmac_prefix : "vrrp", 0, c->p.vrid);
}

/* The key of the link s names name (what a reload compares). */
static void
link_key(const struct vrrp_link_spec *s, const struct vrrp_instance_conf *c,
    const char *name, char *key, size_t keylen)
{
	char a[ADDR_STRLEN];

	if (s->kind == VRRP_LINK_IPVLAN)
		snprintf(key, keylen, "ipvlan %s %u %s/%u", name,
		    s->ipvlan_flags, c->p.ipvlan_addr.family != 0 ?
		    addr_ntop(&c->p.ipvlan_addr, a, sizeof(a)) : "-",
		    s->prefix);
	else
		snprintf(key, keylen, "vmac %s %02x%02x%02x%02x%02x%02x %d",
		    name, s->mac[0], s->mac[1], s->mac[2], s->mac[3],
		    s->mac[4], s->mac[5], s->v6);
}

/* The link vi's configuration asks for into s (its name in name, its key
 * in key): 0, or -1 if none. The name is keepalived's default unless
 * given (link_default_name). */
static int
link_wanted(struct vrrp_engine *e, const struct vrrp_inst *vi,
    struct vrrp_link_spec *s, char name[IF_NAMESIZE], char *key,
    size_t keylen)
{
	const struct vrrp_instance_conf *c = vi->conf;
	int ipvlan = c->p.use_ipvlan;
	const char *given = link_given(c);
	char kept[sizeof(vi->vmac_key)];

	if (!c->p.use_vmac && !ipvlan)
		return -1;
	memset(s, 0, sizeof(*s));
	if (given != NULL)
		snprintf(name, IF_NAMESIZE, "%s", given);
	else
		link_default_name(e, c, name);
	vrrp_vmac_mac(c->p.vrid, c->p.family, s->mac);
	if (c->p.vmac_mac_len == 6)
		memcpy(s->mac, c->p.vmac_mac, 6);
	else if (c->p.vmac_mac_len == 5) {
		memcpy(s->mac, c->p.vmac_mac, 5);
		s->mac[5] = (unsigned char)c->p.vrid;
	}
	s->kind = ipvlan ? VRRP_LINK_IPVLAN : VRRP_LINK_VMAC;
	s->name = name;
	s->base = vi->base_ifindex;
	s->v6 = c->p.family == AF_INET6;
	/* the configuration's 0 bridge, 1 private, 2 vepa are the
	 * kernel's IPVLAN_F_* values */
	s->ipvlan_flags = (unsigned)c->p.ipvlan_mode;
	s->addr = &c->p.ipvlan_addr;
	s->prefix = c->p.ipvlan_prefix;
	s->src = &c->p.src_ip;
	link_key(s, c, name, key, keylen);
	/* a default name moved by a reload (an instance before it gone or
	 * added): the link it has, the same but for its name, stays, unless
	 * a name given in the configuration is now that one */
	if (given == NULL && vi->vmac_ifindex > 0 &&
	    strcmp(name, vi->vmac_name) != 0 &&
	    !name_used(NULL, 0, &e->conf->instances, vi->vmac_name)) {
		link_key(s, c, vi->vmac_name, kept, sizeof(kept));
		if (strcmp(kept, vi->vmac_key) == 0) {
			memcpy(name, vi->vmac_name, IF_NAMESIZE);
			snprintf(key, keylen, "%s", kept);
		}
	}
	return 0;
}

/* The VRF vi's interface is in: its index, or 0. */
static int
base_vrf(const struct vrrp_engine *e, const struct vrrp_inst *vi)
{
	const struct vrrp_iface *m = vrrp_iface_vrf_of(e->ifaces,
	    vrrp_iface_by_index(e->ifaces, vi->base_ifindex));

	return m != NULL ? m->index : 0;
}

static const char *
kind_name(const struct vrrp_inst *vi)
{
	return vi->vmac_ipvlan ? "ipvlan" : "VMAC";
}

void
vrrp_engine_link_make(struct vrrp_engine *e, struct vrrp_inst *vi)
{
	const struct vrrp_instance_conf *c = vi->conf;
	struct vrrp_link_spec s;
	char name[IF_NAMESIZE], key[sizeof(vi->vmac_key)];
	int idx = 0;

	if (vi->vmac_ifindex > 0 || vi->base_ifindex <= 0 || e->stopping ||
	    link_wanted(e, vi, &s, name, key, sizeof(key)) == -1)
		return;
	s.master = base_vrf(e, vi);
	if (vrrp_vmac_create(e->kernel, &s, &idx) < 0 || idx <= 0) {
		vi->if_fault = 1;
		snprintf(vi->fault_why, sizeof(vi->fault_why),
		    "cannot create its %s %s", s.kind == VRRP_LINK_IPVLAN ?
		    "ipvlan" : "VMAC", name);
		return;
	}
	vi->vmac_ifindex = idx;
	vi->vmac_master = s.master;
	vi->vmac_ipvlan = s.kind == VRRP_LINK_IPVLAN;
	snprintf(vi->vmac_name, sizeof(vi->vmac_name), "%s", name);
	snprintf(vi->vmac_key, sizeof(vi->vmac_key), "%s", key);
	log_info("%s: %s %s on %s", vi->name, kind_name(vi), name,
	    c->interface);
	if (vi->vmac_ipvlan)
		return;
	if (e->fw != NULL)
		vrrp_fw_vmac(e->fw, name, vrrp_action_fams(c), 1);
}

void
vrrp_engine_link_vrf(struct vrrp_engine *e, struct vrrp_inst *vi)
{
	int m;

	if (vi->vmac_ifindex <= 0 || (m = base_vrf(e, vi)) == vi->vmac_master)
		return;
	if (vrrp_vmac_set_master(e->kernel, vi->vmac_ifindex, m) == 0)
		log_info("%s: its %s follows %s %s", vi->name, kind_name(vi),
		    vi->conf->interface, m > 0 ? "into its VRF" :
		    "out of its VRF");
	vi->vmac_master = m;
}

/* Forget the link (gone, or about to be deleted): socket, firewall set, the
 * kernel side's bookkeeping. */
static void
link_clear(struct vrrp_engine *e, struct vrrp_inst *vi)
{
	vrrp_sock_detach(e->socks, vi);
	if (e->fw != NULL && !vi->vmac_ipvlan)
		vrrp_fw_vmac(e->fw, vi->vmac_name,
		    VRRP_IPT_V4 | VRRP_IPT_V6, 0);
	vi->vmac_ifindex = vi->vmac_master = 0;
	vi->vmac_key[0] = '\0';
}

void
vrrp_engine_link_forget(struct vrrp_engine *e, struct vrrp_inst *vi)
{
	if (vi->vmac_ifindex <= 0)
		return;
	vrrp_vmac_gone(e->kernel, vi->vmac_ifindex);
	link_clear(e, vi);
}

void
vrrp_engine_link_drop(struct vrrp_engine *e, struct vrrp_inst *vi)
{
	int idx = vi->vmac_ifindex;

	if (idx <= 0)
		return;
	/* cleared first: its going is no removal by hand to undo */
	link_clear(e, vi);
	vrrp_vmac_delete(e->kernel, idx);
}

void
vrrp_engine_link_gone(struct vrrp_engine *e, struct vrrp_inst *vi,
    const struct vrrp_iface *ifc)
{
	vrrp_engine_link_forget(e, vi);
	if (e->stopping)
		return;
	log_warn("%s: its %s %s was removed: making it again", vi->name,
	    kind_name(vi), ifc->name);
	vrrp_engine_inst_resolve(e, vi);
	vrrp_engine_inst_attach(e, vi);
	if (vi->vmac_ifindex > 0 && vi->state == VRRP_STATE_MASTER &&
	    vi->vips_held) {
		vrrp_action_vips_queue(e, vi, 1);
		vi->vmac_announce = 1;
	}
}

int
vrrp_engine_link_going(const struct vrrp_engine *e,
    const struct vrrp_inst *vi, int ifindex)
{
	const struct vrrp_iface *ifc;

	if (vi->vmac_ifindex <= 0 || ifindex != vi->vmac_ifindex)
		return 0;
	ifc = vrrp_iface_by_index(e->ifaces, ifindex);
	return ifc == NULL || !(ifc->flags & IFF_UP);
}

/* vi's addresses (old's) off the link they are on, and its routes through
 * it, before the link changes: a deleted link takes them along, the base
 * interface would keep them. */
static void
vips_leave(struct vrrp_engine *e, struct vrrp_inst *vi,
    const struct vrrp_instance_conf *old)
{
	const struct vrrp_conf_list *lists[] = { &old->vips, &old->evips };
	struct vrrp_nl_batch b;

	memset(&b, 0, sizeof(b));
	for (const struct vrrp_conf_route *r = old->routes.first; r != NULL;
	    r = r->next)
		vrrp_route_batch_add(e->kernel, &b, r, vi->ifindex, 0);
	for (unsigned l = 0; l < 2; l++)
		for (const struct vrrp_conf_ipaddr *a = lists[l]->first;
		    a != NULL; a = a->next)
			vrrp_vip_batch_add(e->kernel, &b, a,
			    vrrp_action_ifindex(e, vi, a->dev), 0);
	vrrp_nl_batch_send(e->kernel, &b);
}

void
vrrp_engine_link_follow(struct vrrp_engine *e, struct vrrp_inst *vi,
    const struct vrrp_instance_conf *old)
{
	struct vrrp_link_spec s;
	char name[IF_NAMESIZE], key[sizeof(vi->vmac_key)];
	int want = link_wanted(e, vi, &s, name, key, sizeof(key)) == 0;
	int held = vi->state == VRRP_STATE_MASTER && vi->vips_held;

	if ((vi->vmac_ifindex <= 0 && !want) || (vi->vmac_ifindex > 0 &&
	    want && strcmp(key, vi->vmac_key) == 0)) {
		/* the same link; the adverts may move to or from it */
		if (old->p.vmac_xmit_base != vi->conf->p.vmac_xmit_base)
			goto resolve;
		return;
	}
	/* a MASTER's VIPs and routes leave the old place; the reload puts
	 * the new ones on the new */
	if (held)
		vips_leave(e, vi, old);
	if (vi->vmac_ifindex > 0) {
		log_info("%s: its %s %s goes: the configuration asks for %s",
		    vi->name, kind_name(vi), vi->vmac_name, want ? key :
		    "none");
		vrrp_engine_link_drop(e, vi);
	}
resolve:
	vrrp_sock_detach(e->socks, vi);
	vrrp_engine_inst_resolve(e, vi);
	vrrp_engine_inst_attach(e, vi);
	if (held && vi->vmac_ifindex > 0)
		vi->vmac_announce = 1;
}

/* interface_up_down_delays into the interface view (at start and at each
 * reload) */
void
vrrp_engine_link_delays(struct vrrp_engine *e)
{
	const struct vrrp_conf_if_delay *cd;
	struct vrrp_iface_delay *d;
	unsigned n = 0;

	if (e->ifaces == NULL)
		return;
	for (cd = e->conf->if_delays.first; cd != NULL; cd = cd->next)
		n++;
	if (n == 0) {
		(void)vrrp_ifaces_set_delays(e->ifaces, NULL, 0);
		return;
	}
	if ((d = calloc(n, sizeof(*d))) == NULL) {
		log_err("interface_up_down_delays: out of memory; not applied");
		return;
	}
	n = 0;
	for (cd = e->conf->if_delays.first; cd != NULL; cd = cd->next, n++) {
		snprintf(d[n].name, sizeof(d[n].name), "%s", cd->ifname);
		d[n].down_usec = cd->down_delay;
		d[n].up_usec = cd->up_delay;
	}
	(void)vrrp_ifaces_set_delays(e->ifaces, d, n);
	free(d);
}

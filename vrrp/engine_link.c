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

/* Whether name is taken: by a name given before (names, n) or by a name
 * an instance gives its link. */
static int
name_used(const struct vrrp_link_name *names, unsigned n,
    const struct vrrp_conf_list *all, const char *name)
{
	for (unsigned i = 0; i < n; i++)
		if (strcmp(names[i].name, name) == 0)
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

static const char *
names_prefix(const struct vrrp_conf *conf, int addr)
{
	if (addr && conf->g.vmac_addr_prefix != NULL)
		return conf->g.vmac_addr_prefix;
	return conf->g.vmac_prefix != NULL ? conf->g.vmac_prefix : "vrrp";
}

void
vrrp_engine_link_names_free(struct vrrp_engine *e)
{
	free(e->link_names);
	e->link_names = NULL;
	e->nlink_names = 0;
	e->link_names_of = NULL;
}

/* The name given before to a VMAC on base carrying mac: an address's, or
 * an instance's own (only: ic), or NULL. */
static const struct vrrp_link_name *
names_find(const struct vrrp_engine *e, const struct vrrp_instance_conf *ic,
    const char *base, const unsigned char mac[6])
{
	unsigned char own[6];

	for (unsigned k = 0; k < e->nlink_names; k++) {
		const struct vrrp_link_name *l = &e->link_names[k];

		if (ic != NULL && l->ic != ic)
			continue;
		if (l->base != NULL) {
			if (strcmp(l->base, base) == 0 &&
			    memcmp(l->mac, mac, 6) == 0)
				return l;
			continue;
		}
		if (ic != NULL || !l->ic->p.use_vmac || l->ic->p.use_ipvlan ||
		    !conf_str_eq(l->ic->interface, base))
			continue;
		vrrp_conf_vmac_mac(l->ic, l->ic->p.family, own);
		if (memcmp(own, mac, 6) == 0)
			return l;
	}
	return NULL;
}

/* A new name into l: PREFIX.VRID, unless a name given in the
 * configuration or before has it; then PREFIXN.VRID for N = 1, 2... (for
 * IPv6, 6 first, then 1, 2..., skipping 6). */
static void
name_pick(const struct vrrp_engine *e, struct vrrp_link_name *l,
    const char *prefix, int family, unsigned vrid)
{
	unsigned num = 0;

	link_name_format(l->name, prefix, 0, vrid);
	while (name_used(e->link_names, e->nlink_names,
	    &e->conf->instances, l->name) && num < 1000) {
		if (family == AF_INET6)
			num = num == 0 ? 6 : num == 6 ? 1 :
			    num + 1 == 6 ? 7 : num + 1;
		else
			num++;
		link_name_format(l->name, prefix, num, vrid);
	}
}

/*
 * keepalived 2.2.7's names for the VMACs and ipvlans of e->conf, once a
 * configuration, instance after instance: its own link's (given, else
 * vmac_prefix or "vrrp" with name_pick), then those of its VIPs' VMACs,
 * one for each interface and MAC: the name of a VMAC on that interface
 * with that MAC named before (another instance's VIPs', or an instance's
 * own), else a new one from vmac_addr_prefix, else vmac_prefix, else
 * "vrrp". 0, or -1 (out of memory).
 */
static int
link_names_build(struct vrrp_engine *e)
{
	const struct vrrp_conf *conf = e->conf;
	const struct vrrp_instance_conf *o;
	unsigned n = 0;

	vrrp_engine_link_names_free(e);
	for (o = conf->instances.first; o != NULL; o = o->next) {
		const struct vrrp_conf_list *lists[] = { &o->vips, &o->evips };

		n += o->p.use_vmac || o->p.use_ipvlan;
		for (unsigned l = 0; l < 2; l++)
			for (const struct vrrp_conf_ipaddr *a = lists[l]->first;
			    a != NULL; a = a->next)
				n += vrrp_conf_addr_vmac(o, a);
	}
	if (n > 0 && (e->link_names = calloc(n, sizeof(*e->link_names))) ==
	    NULL)
		return -1;
	for (o = conf->instances.first; o != NULL; o = o->next) {
		const struct vrrp_conf_list *lists[] = { &o->vips, &o->evips };
		struct vrrp_link_name *l = &e->link_names[e->nlink_names];

		if (o->p.use_vmac || o->p.use_ipvlan) {
			l->ic = o;
			if (link_given(o) != NULL)
				snprintf(l->name, sizeof(l->name), "%s",
				    link_given(o));
			else
				name_pick(e, l, names_prefix(conf, 0),
				    o->p.family, o->p.vrid);
			e->nlink_names++;
		}
		for (unsigned k = 0; k < 2; k++)
			for (const struct vrrp_conf_ipaddr *a = lists[k]->first;
			    a != NULL; a = a->next) {
				const struct vrrp_link_name *f;

				if (!vrrp_conf_addr_vmac(o, a))
					continue;
				l = &e->link_names[e->nlink_names];
				l->ic = o;
				l->base = vrrp_conf_addr_base(o, a);
				vrrp_conf_vmac_mac(o, a->p.addr.family, l->mac);
				if (names_find(e, o, l->base, l->mac) != NULL)
					continue;
				if ((f = names_find(e, NULL, l->base,
				    l->mac)) != NULL)
					memcpy(l->name, f->name,
					    sizeof(l->name));
				else
					name_pick(e, l, names_prefix(conf, 1),
					    a->p.addr.family, o->p.vrid);
				e->nlink_names++;
			}
	}
	e->link_names_of = conf;
	return 0;
}

/* The name of c's own link (base NULL) or of its VIPs' VMAC on base
 * carrying mac (link_names_build). */
static void
link_name(struct vrrp_engine *e, const struct vrrp_instance_conf *c,
    const char *base, const unsigned char mac[6], char name[IF_NAMESIZE])
{
	if (e->link_names_of != e->conf && link_names_build(e) < 0)
		log_err("VMAC names: out of memory");
	for (unsigned k = 0; k < e->nlink_names; k++) {
		const struct vrrp_link_name *l = &e->link_names[k];

		if (l->ic == c && (base == NULL ? l->base == NULL :
		    l->base != NULL && strcmp(l->base, base) == 0 &&
		    memcmp(l->mac, mac, 6) == 0)) {
			memcpy(name, l->name, IF_NAMESIZE);
			return;
		}
	}
	/* out of memory: keepalived's first choice */
	link_name_format(name, names_prefix(e->conf, base != NULL), 0,
	    c->p.vrid);
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
 * given (link_name). */
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
		link_name(e, c, NULL, NULL, name);
	vrrp_conf_vmac_mac(c, c->p.family, s->mac);
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

/* The VRF the interface of index ifindex is in: its index, or 0. */
static int
vrf_of(const struct vrrp_engine *e, int ifindex)
{
	const struct vrrp_iface *m = vrrp_iface_vrf_of(e->ifaces,
	    vrrp_iface_by_index(e->ifaces, ifindex));

	return m != NULL ? m->index : 0;
}

static const char *
kind_name(const struct vrrp_inst *vi)
{
	return vi->vmac_ipvlan ? "ipvlan" : "VMAC";
}

/* Make (or adopt) the link s describes in the VRF of its base, a VMAC in
 * the firewall's set for fams: its index, or 0 (logged). */
static int
link_create(struct vrrp_engine *e, struct vrrp_link_spec *s, unsigned fams)
{
	int idx = 0;

	s->master = vrf_of(e, s->base);
	if (vrrp_vmac_create(e->kernel, s, &idx) < 0 || idx <= 0)
		return 0;
	if (s->kind == VRRP_LINK_VMAC && e->fw != NULL)
		vrrp_fw_vmac(e->fw, s->name, fams, 1);
	return idx;
}

/* Whether an instance's link, or a VMAC of its VIPs, is idx (the one
 * given up cleared first): a VMAC shared (the same interface and MAC)
 * stays while one holds it. */
static int
link_held(const struct vrrp_engine *e, int idx)
{
	for (const struct vrrp_inst *o = e->insts; o != NULL; o = o->next) {
		if (o->vmac_ifindex == idx)
			return 1;
		for (unsigned k = 0; k < o->nalinks; k++)
			if (o->alinks[k].ifindex == idx)
				return 1;
	}
	return 0;
}

/* A link given up (index idx, named name): out of the firewall's set
 * and deleted, unless another holds it (link_held). */
static void
link_release(struct vrrp_engine *e, int idx, const char *name, int vmac)
{
	if (vmac && e->fw != NULL)
		vrrp_fw_vmac(e->fw, name, VRRP_IPT_V4 | VRRP_IPT_V6, 0);
	vrrp_vmac_delete(e->kernel, idx);
}

/* Move the link idx into the VRF its base is in now (*master: where it
 * is). */
static void
link_vrf_follow(struct vrrp_engine *e, const char *who, const char *what,
    const char *base, int idx, int base_ifindex, int *master)
{
	int m;

	if (idx <= 0 || (m = vrf_of(e, base_ifindex)) == *master)
		return;
	if (vrrp_vmac_set_master(e->kernel, idx, m) == 0)
		log_info("%s: its %s follows %s %s", who, what, base,
		    m > 0 ? "into its VRF" : "out of its VRF");
	*master = m;
}

/* ---- the VMACs of an instance's VIPs -------------------------------------- */

/* The VMACs vi's configuration asks for its VIPs, one for each interface
 * and MAC, into *out (*n of them, not made). 0, or -1 (out of memory). */
static int
alinks_wanted(struct vrrp_engine *e, const struct vrrp_inst *vi,
    struct vrrp_alink **out, unsigned *n)
{
	const struct vrrp_instance_conf *c = vi->conf;
	const struct vrrp_conf_list *lists[] = { &c->vips, &c->evips };
	struct vrrp_alink *v = NULL, *x;
	unsigned cap = 0, k;

	*n = 0;
	for (unsigned l = 0; l < 2; l++)
		for (const struct vrrp_conf_ipaddr *a = lists[l]->first;
		    a != NULL; a = a->next) {
			const char *base = vrrp_conf_addr_base(c, a);
			struct vrrp_link_spec s;
			unsigned char mac[6];

			if (!vrrp_conf_addr_vmac(c, a))
				continue;
			vrrp_conf_vmac_mac(c, a->p.addr.family, mac);
			for (k = 0; k < *n && (strcmp(v[k].base, base) != 0 ||
			    memcmp(v[k].mac, mac, 6) != 0); k++)
				;
			if (k < *n) {
				v[k].track |= !(a->p.flags & VRRP_IPA_NO_TRACK);
				continue;
			}
			if (*n == cap) {
				cap = cap > 0 ? 2 * cap : 2;
				if ((x = realloc(v, cap * sizeof(*v))) == NULL) {
					free(v);
					*n = 0;
					return -1;
				}
				v = x;
			}
			x = &v[(*n)++];
			memset(x, 0, sizeof(*x));
			snprintf(x->base, sizeof(x->base), "%s", base);
			memcpy(x->mac, mac, 6);
			x->v6 = a->p.addr.family == AF_INET6;
			x->track = !(a->p.flags & VRRP_IPA_NO_TRACK);
			link_name(e, c, base, mac, x->name);
			memset(&s, 0, sizeof(s));
			s.kind = VRRP_LINK_VMAC;
			memcpy(s.mac, mac, 6);
			s.v6 = x->v6;
			link_key(&s, c, x->name, x->key, sizeof(x->key));
			/* the same MAC on another interface is another link */
			snprintf(x->key + strlen(x->key), sizeof(x->key) -
			    strlen(x->key), " on %s", base);
		}
	*out = v;
	return 0;
}

/* Make those of vi's VIPs' VMACs not there whose interface is; the
 * instance at fault for one tracked that cannot be made or is down. */
static void
alinks_make(struct vrrp_engine *e, struct vrrp_inst *vi)
{
	if (e->ifaces == NULL)
		return;
	for (unsigned k = 0; k < vi->nalinks; k++) {
		struct vrrp_alink *x = &vi->alinks[k];
		const struct vrrp_iface *b = vrrp_iface_by_name(e->ifaces,
		    x->base), *ifc;
		struct vrrp_link_spec s;

		if (x->ifindex <= 0 && b != NULL && !e->stopping) {
			memset(&s, 0, sizeof(s));
			s.kind = VRRP_LINK_VMAC;
			s.name = x->name;
			s.base = b->index;
			s.v6 = x->v6;
			memcpy(s.mac, x->mac, 6);
			if ((x->ifindex = link_create(e, &s, x->v6 ?
			    VRRP_IPT_V6 : VRRP_IPT_V4)) > 0) {
				x->master = s.master;
				log_info("%s: VMAC %s on %s for its VIPs there",
				    vi->name, x->name, x->base);
			}
		}
		if (!x->track || vi->if_fault)
			continue;
		ifc = x->ifindex > 0 ? vrrp_iface_by_index(e->ifaces,
		    x->ifindex) : NULL;
		if (b == NULL || x->ifindex <= 0 || (ifc != NULL && !ifc->up)) {
			vi->if_fault = 1;
			snprintf(vi->fault_why, sizeof(vi->fault_why),
			    b == NULL ? "interface %s of its VIPs not found" :
			    x->ifindex <= 0 ? "cannot create its VMAC on %s" :
			    "its VMAC on %s is down", x->base);
		}
	}
}

/* One of vi's VIPs' VMACs dropped (deleted unless another holds it) or
 * forgotten (gone). */
static void
alink_drop(struct vrrp_engine *e, struct vrrp_alink *x)
{
	int idx = x->ifindex;

	if (idx <= 0)
		return;
	x->ifindex = x->master = 0;
	if (!link_held(e, idx))
		link_release(e, idx, x->name, 1);
}

static void
alink_forget(struct vrrp_engine *e, struct vrrp_alink *x)
{
	if (x->ifindex <= 0)
		return;
	vrrp_vmac_gone(e->kernel, x->ifindex);
	if (e->fw != NULL)
		vrrp_fw_vmac(e->fw, x->name, VRRP_IPT_V4 | VRRP_IPT_V6, 0);
	x->ifindex = x->master = 0;
}

/* Whether the link old[j] serves the VMAC w[k] asks for: its key, or
 * (same) all but its name, which stays unless a name given in the
 * configuration, or another of w, is that one. */
static int
alink_serves(const struct vrrp_engine *e, const struct vrrp_alink *old,
    const struct vrrp_alink *w, unsigned n, unsigned k, int same)
{
	if (old->ifindex <= 0)
		return 0;
	if (!same)
		return strcmp(old->key, w[k].key) == 0;
	if (strcmp(old->base, w[k].base) != 0 ||
	    memcmp(old->mac, w[k].mac, 6) != 0 || old->v6 != w[k].v6 ||
	    name_used(NULL, 0, &e->conf->instances, old->name))
		return 0;
	for (unsigned m = 0; m < n; m++)
		if (m != k && strcmp(w[m].name, old->name) == 0)
			return 0;
	return 1;
}

/* vi's VIPs' VMACs as its configuration asks (a reload): those asked as
 * before kept (one a reload would only rename too, as an instance's own
 * link), the others dropped, the new ones listed (made by resolving vi).
 * 1 if any went or comes. */
static int
alinks_follow(struct vrrp_engine *e, struct vrrp_inst *vi)
{
	struct vrrp_alink *old = vi->alinks, *w;
	unsigned nold = vi->nalinks, n, j, k;
	int moved = 0, same;

	if (alinks_wanted(e, vi, &w, &n) < 0) {
		log_err("%s: its VIPs' VMACs: out of memory; kept as they are",
		    vi->name);
		return 0;
	}
	for (same = 0; same < 2; same++)
		for (k = 0; k < n; k++) {
			if (w[k].ifindex > 0)
				continue;
			for (j = 0; j < nold && !alink_serves(e, &old[j], w, n,
			    k, same); j++)
				;
			if (j == nold)
				continue;
			if (same) {
				memcpy(w[k].name, old[j].name,
				    sizeof(w[k].name));
				memcpy(w[k].key, old[j].key, sizeof(w[k].key));
			}
			w[k].ifindex = old[j].ifindex;
			w[k].master = old[j].master;
			w[k].announce = old[j].announce;
			old[j].ifindex = 0;
		}
	for (k = 0; k < n; k++)
		moved |= w[k].ifindex <= 0;
	vi->alinks = w;
	vi->nalinks = n;
	for (j = 0; j < nold; j++)
		if (old[j].ifindex > 0) {
			log_info("%s: its VMAC %s on %s goes: the configuration "
			    "no longer asks for it", vi->name, old[j].name,
			    old[j].base);
			alink_drop(e, &old[j]);
			moved = 1;
		}
	free(old);
	return moved;
}

int
vrrp_engine_link_addr_ifindex(const struct vrrp_engine *e,
    const struct vrrp_inst *vi, const struct vrrp_conf_ipaddr *a)
{
	const char *base = vrrp_conf_addr_base(vi->conf, a);
	unsigned char mac[6];

	(void)e;
	vrrp_conf_vmac_mac(vi->conf, a->p.addr.family, mac);
	for (unsigned k = 0; k < vi->nalinks; k++)
		if (strcmp(vi->alinks[k].base, base) == 0 &&
		    memcmp(vi->alinks[k].mac, mac, 6) == 0)
			return vi->alinks[k].ifindex;
	return 0;
}

int
vrrp_engine_link_addr_event(struct vrrp_engine *e, struct vrrp_inst *vi,
    const struct vrrp_iface *ifc, int gone)
{
	int hit = 0, base = 0, made = 0, held = vi->state ==
	    VRRP_STATE_MASTER && vi->vips_held;
	unsigned k;

	for (k = 0; k < vi->nalinks; k++) {
		struct vrrp_alink *x = &vi->alinks[k];

		if (x->ifindex > 0 && x->ifindex == ifc->index) {
			hit = 1;
			if (gone) {
				if (gone == VRRP_IFACE_RENAMED)
					alink_drop(e, x);
				else
					alink_forget(e, x);
				if (!e->stopping)
					log_warn("%s: its VMAC %s on %s was "
					    "%s: making it again", vi->name,
					    x->name, x->base,
					    gone == VRRP_IFACE_RENAMED ?
					    "renamed" : "removed");
			} else if (ifc->up && x->announce) {
				x->announce = 0;
				if (held)
					vrrp_action_announce_queue(e, vi);
			}
		} else if (strcmp(x->base, ifc->name) == 0) {
			base = 1;
			/* its interface renamed: the VMAC on it goes, made
			 * again on the link that takes the name */
			if (gone == VRRP_IFACE_RENAMED)
				alink_drop(e, x);
			else if (!gone)
				link_vrf_follow(e, vi->name, "VMAC", x->base,
				    x->ifindex, ifc->index, &x->master);
		}
	}
	/* the instance's own interface: resolved on its own */
	if (!hit && (!base || conf_str_eq(vi->conf->interface, ifc->name)))
		return 0;
	if (e->stopping)
		return 1;
	for (k = 0; k < vi->nalinks; k++)
		made -= vi->alinks[k].ifindex > 0;
	vrrp_engine_inst_resolve(e, vi);
	vrrp_engine_inst_attach(e, vi);
	for (k = 0; k < vi->nalinks; k++)
		made += vi->alinks[k].ifindex > 0;
	if (made > 0 && held) {
		/* made again: its VIPs back on it, announced once it is up */
		for (k = 0; k < vi->nalinks; k++)
			vi->alinks[k].announce = 1;
		vrrp_action_vips_queue(e, vi, 1);
	}
	return 1;
}

void
vrrp_engine_link_free(struct vrrp_inst *vi)
{
	free(vi->alinks);
	vi->alinks = NULL;
	vi->nalinks = 0;
}

void
vrrp_engine_link_fw(struct vrrp_engine *e, const struct vrrp_inst *vi)
{
	if (e->fw == NULL)
		return;
	if (vi->vmac_ifindex > 0 && !vi->vmac_ipvlan)
		vrrp_fw_vmac(e->fw, vi->vmac_name, vrrp_action_fams(vi->conf),
		    1);
	for (unsigned k = 0; k < vi->nalinks; k++)
		if (vi->alinks[k].ifindex > 0)
			vrrp_fw_vmac(e->fw, vi->alinks[k].name,
			    vi->alinks[k].v6 ? VRRP_IPT_V6 : VRRP_IPT_V4, 1);
}

/* ---- the instance's own link ---------------------------------------------- */

void
vrrp_engine_link_make(struct vrrp_engine *e, struct vrrp_inst *vi)
{
	const struct vrrp_instance_conf *c = vi->conf;
	struct vrrp_link_spec s;
	char name[IF_NAMESIZE], key[sizeof(vi->vmac_key)];
	int idx;

	if (vi->alinks == NULL && alinks_wanted(e, vi, &vi->alinks,
	    &vi->nalinks) < 0)
		log_err("%s: its VIPs' VMACs: out of memory", vi->name);
	if (vi->vmac_ifindex > 0 || vi->base_ifindex <= 0 || e->stopping ||
	    link_wanted(e, vi, &s, name, key, sizeof(key)) == -1)
		goto addrs;
	if ((idx = link_create(e, &s, vrrp_action_fams(c))) <= 0) {
		vi->if_fault = 1;
		snprintf(vi->fault_why, sizeof(vi->fault_why),
		    "cannot create its %s %s", s.kind == VRRP_LINK_IPVLAN ?
		    "ipvlan" : "VMAC", name);
		goto addrs;
	}
	vi->vmac_ifindex = idx;
	vi->vmac_master = s.master;
	vi->vmac_ipvlan = s.kind == VRRP_LINK_IPVLAN;
	snprintf(vi->vmac_name, sizeof(vi->vmac_name), "%s", name);
	snprintf(vi->vmac_key, sizeof(vi->vmac_key), "%s", key);
	log_info("%s: %s %s on %s", vi->name, kind_name(vi), name,
	    c->interface);
addrs:
	alinks_make(e, vi);
}

void
vrrp_engine_link_vrf(struct vrrp_engine *e, struct vrrp_inst *vi)
{
	link_vrf_follow(e, vi->name, kind_name(vi), vi->conf->interface,
	    vi->vmac_ifindex, vi->base_ifindex, &vi->vmac_master);
}

/* Forget the link (gone, or about to be deleted): socket, firewall set, the
 * kernel side's bookkeeping. */
static void
link_clear(struct vrrp_engine *e, struct vrrp_inst *vi, int fw)
{
	vrrp_sock_detach(e->socks, vi);
	if (fw && e->fw != NULL && !vi->vmac_ipvlan)
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
	link_clear(e, vi, 1);
}

/* The instance's own link dropped (deleted unless shared). */
static void
own_drop(struct vrrp_engine *e, struct vrrp_inst *vi)
{
	int idx = vi->vmac_ifindex, ipvlan = vi->vmac_ipvlan;
	char name[sizeof(vi->vmac_name)];

	if (idx <= 0)
		return;
	memcpy(name, vi->vmac_name, sizeof(name));
	/* cleared first: its going is no removal by hand to undo */
	link_clear(e, vi, 0);
	if (!link_held(e, idx))
		link_release(e, idx, name, !ipvlan);
}

void
vrrp_engine_link_drop(struct vrrp_engine *e, struct vrrp_inst *vi)
{
	for (unsigned k = 0; k < vi->nalinks; k++)
		alink_drop(e, &vi->alinks[k]);
	own_drop(e, vi);
}

void
vrrp_engine_link_own_drop(struct vrrp_engine *e, struct vrrp_inst *vi)
{
	own_drop(e, vi);
}

void
vrrp_engine_link_gone(struct vrrp_engine *e, struct vrrp_inst *vi,
    const struct vrrp_iface *ifc, int gone)
{
	const char *kind = kind_name(vi);

	if (gone == VRRP_IFACE_RENAMED)
		own_drop(e, vi);
	else
		vrrp_engine_link_forget(e, vi);
	if (e->stopping)
		return;
	log_warn("%s: its %s %s was %s: making it again", vi->name, kind,
	    ifc->name, gone == VRRP_IFACE_RENAMED ? "renamed" : "removed");
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
	unsigned k;

	for (k = 0; k < vi->nalinks && vi->alinks[k].ifindex != ifindex; k++)
		;
	if (ifindex <= 0 || (ifindex != vi->vmac_ifindex && k == vi->nalinks))
		return 0;
	ifc = vrrp_iface_by_index(e->ifaces, ifindex);
	return ifc == NULL || !(ifc->flags & IFF_UP);
}

/* vi's addresses (old's) off the link they are on, and its routes through
 * it, before the link changes: a deleted link takes them along, the base
 * interface would keep them. Those on VMACs of their own stay there. */
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
			if (!vrrp_conf_addr_vmac(old, a))
				vrrp_vip_batch_add(e->kernel, &b, a,
				    vrrp_action_addr_ifindex(e, vi, a), 0);
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
	int moved = alinks_follow(e, vi);

	if ((vi->vmac_ifindex <= 0 && !want) || (vi->vmac_ifindex > 0 &&
	    want && strcmp(key, vi->vmac_key) == 0)) {
		/* the same link; the adverts may move to or from it */
		if (old->p.vmac_xmit_base != vi->conf->p.vmac_xmit_base)
			goto resolve;
		if (moved) {
			vrrp_engine_inst_resolve(e, vi);
			vrrp_engine_inst_attach(e, vi);
			goto vips;
		}
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
		own_drop(e, vi);
	}
resolve:
	vrrp_sock_detach(e->socks, vi);
	vrrp_engine_inst_resolve(e, vi);
	vrrp_engine_inst_attach(e, vi);
	if (held && vi->vmac_ifindex > 0)
		vi->vmac_announce = 1;
vips:
	/* the VIPs' VMACs asked for made: a MASTER's VIPs on them,
	 * announced once they are up */
	if (held && moved) {
		for (unsigned k = 0; k < vi->nalinks; k++)
			vi->alinks[k].announce = 1;
		vrrp_action_vips_queue(e, vi, 1);
	}
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

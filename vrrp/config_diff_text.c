/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A reload of the VRRP configuration in words: one line per instance
 * added, removed or changed (naming what changed) and per VIP that comes
 * or goes; sync groups added or removed; static addresses, routes and
 * rules added or removed. The parent logs these on reload and vigilctl diff shows them
 * before one (struct subsys' conf_diff_text): one function, one wording.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "config_priv.h"
#include "subsys.h"

#define LINE_MAX_LEN 1024

struct text {
	subsys_line_fn *fn;
	void *arg;
};

static void
say(struct text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
say(struct text *t, const char *fmt, ...)
{
	char line[LINE_MAX_LEN];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	t->fn(t->arg, 0, line);
}

static const char *
state_name(enum vrrp_init_state s)
{
	return s == VRRP_INIT_MASTER ? "MASTER" : "BACKUP";
}

static const char *
auth_name(enum vrrp_auth_type t)
{
	return t == VRRP_AUTH_PASS ? "PASS" : t == VRRP_AUTH_AH ? "AH" :
	    "none";
}

static const char *
vip_text(const struct vrrp_conf_ipaddr *v, char *buf, size_t len)
{
	char a[ADDR_STRLEN];

	addr_ntop(&v->p.addr, a, sizeof(a));
	if (v->dev != NULL)
		snprintf(buf, len, "%s/%u dev %s", a, v->p.prefix, v->dev);
	else
		snprintf(buf, len, "%s/%u", a, v->p.prefix);
	return buf;
}

/* The same address as the engine sees it (vrrp/engine.c: vips_gone). */
static int
vip_in(const struct vrrp_conf_ipaddr *x, const struct vrrp_conf_list *l)
{
	for (const struct vrrp_conf_ipaddr *y = l->first; y != NULL;
	    y = y->next)
		if (memcmp(&x->p, &y->p, sizeof(x->p)) == 0 &&
		    conf_str_eq(x->dev, y->dev))
			return 1;
	return 0;
}

/* VIPs of from missing in to, said as "VIP X <verb>". */
static void
vips_gone(struct text *t, const char *name, const struct vrrp_conf_list *from,
    const struct vrrp_conf_list *to, const char *what, const char *verb)
{
	char v[ADDR_STRLEN + 64];

	for (const struct vrrp_conf_ipaddr *x = from->first; x != NULL;
	    x = x->next)
		if (to == NULL || !vip_in(x, to))
			say(t, "instance %s: %s %s %s", name, what,
			    vip_text(x, v, sizeof(v)), verb);
}

/* Does replacing field F of o by n's change the instance? */
#define DIFFERS(F) differs(o, n, offsetof(struct vrrp_instance_conf, F), \
	sizeof(o->F))

static int
differs(const struct vrrp_instance_conf *o, const struct vrrp_instance_conf *n,
    size_t off, size_t size)
{
	struct vrrp_instance_conf x = *o;

	memcpy((char *)&x + off, (const char *)n + off, size);
	return !vrrp_conf_instance_equal(o, &x);
}

/* The instance's own link (use_vmac / use_ipvlan) is asked otherwise. */
static int
link_differs(const struct vrrp_instance_conf *o,
    const struct vrrp_instance_conf *n)
{
	const struct vrrp_conf_instance_params *a = &o->p, *b = &n->p;

	return a->use_vmac != b->use_vmac || a->use_ipvlan != b->use_ipvlan ||
	    !conf_str_eq(o->vmac_ifname, n->vmac_ifname) ||
	    !conf_str_eq(o->ipvlan_ifname, n->ipvlan_ifname) ||
	    a->vmac_mac_len != b->vmac_mac_len ||
	    memcmp(a->vmac_mac, b->vmac_mac, sizeof(a->vmac_mac)) != 0 ||
	    addr_cmp(&a->ipvlan_addr, &b->ipvlan_addr) != 0 ||
	    a->ipvlan_prefix != b->ipvlan_prefix ||
	    a->ipvlan_mode != b->ipvlan_mode;
}

static void
say_changed(struct text *t, const struct vrrp_instance_conf *o,
    const struct vrrp_instance_conf *n)
{
	const struct vrrp_conf_instance_params *po = &o->p, *pn = &n->p;
	struct vrrp_conf_instance_params pm;
	struct vrrp_instance_conf rest;
	struct subsys_what w = { .at = 0 };

	w.buf[0] = '\0';
	if (!conf_str_eq(o->name, n->name))
		subsys_what_add(&w, "renamed from %s", o->name);
	if (po->priority != pn->priority)
		subsys_what_add(&w, "priority %u -> %u", po->priority, pn->priority);
	if (po->advert_int != pn->advert_int)
		subsys_what_add(&w, "advert_int %g -> %g s", (double)po->advert_int / 1e6,
		    (double)pn->advert_int / 1e6);
	if (po->state != pn->state)
		subsys_what_add(&w, "state %s -> %s", state_name(po->state),
		    state_name(pn->state));
	if (po->nopreempt != pn->nopreempt)
		subsys_what_add(&w, "%s", pn->nopreempt ? "nopreempt set" :
		    "nopreempt cleared");
	if (po->preempt_delay != pn->preempt_delay)
		subsys_what_add(&w, "preempt_delay %g -> %g s",
		    (double)po->preempt_delay / 1e6,
		    (double)pn->preempt_delay / 1e6);
	if (po->version != pn->version)
		subsys_what_add(&w, "version %u -> %u", po->version, pn->version);
	if (po->auth_type != pn->auth_type)
		subsys_what_add(&w, "auth_type %s -> %s", auth_name(po->auth_type),
		    auth_name(pn->auth_type));
	else if (strcmp(po->auth_pass, pn->auth_pass) != 0)
		subsys_what_add(&w, "auth_pass changed");
	if (addr_cmp(&po->src_ip, &pn->src_ip) != 0)
		subsys_what_add(&w, "source address changed");
	if (!conf_str_eq(o->vrf, n->vrf))
		subsys_what_add(&w, "vrf %s -> %s", o->vrf != NULL ? o->vrf :
		    "none", n->vrf != NULL ? n->vrf : "none");
	if (DIFFERS(unicast_peers))
		subsys_what_add(&w, "unicast peers changed");
	if (DIFFERS(track_if) || DIFFERS(track_script) ||
	    DIFFERS(track_file) || DIFFERS(track_process) ||
	    DIFFERS(track_bfd))
		subsys_what_add(&w, "tracking changed");
	if (DIFFERS(routes) || DIFFERS(rules))
		subsys_what_add(&w, "virtual routes or rules changed");
	if (link_differs(o, n))
		subsys_what_add(&w, "its VMAC or ipvlan changed (made anew)");
	if (DIFFERS(sync_group))
		subsys_what_add(&w, "sync group %s -> %s", o->sync_group != NULL ?
		    o->sync_group : "none", n->sync_group != NULL ?
		    n->sync_group : "none");
	if (DIFFERS(notify_master) || DIFFERS(notify_backup) ||
	    DIFFERS(notify_fault) || DIFFERS(notify_stop) ||
	    DIFFERS(notify) || DIFFERS(notify_master_rx_lower_pri) ||
	    DIFFERS(notify_deleted) || DIFFERS(has_notify_deleted))
		subsys_what_add(&w, "notify scripts changed");
	/* anything not named above */
	rest = *n;
	rest.name = o->name;
	rest.sync_group = o->sync_group;
	rest.vrf = o->vrf;
	rest.vips = o->vips;
	rest.evips = o->evips;
	rest.unicast_peers = o->unicast_peers;
	rest.track_if = o->track_if;
	rest.track_script = o->track_script;
	rest.track_file = o->track_file;
	rest.track_process = o->track_process;
	rest.track_bfd = o->track_bfd;
	rest.routes = o->routes;
	rest.rules = o->rules;
	rest.notify_master = o->notify_master;
	rest.notify_backup = o->notify_backup;
	rest.notify_fault = o->notify_fault;
	rest.notify_stop = o->notify_stop;
	rest.notify = o->notify;
	rest.notify_master_rx_lower_pri = o->notify_master_rx_lower_pri;
	rest.notify_deleted = o->notify_deleted;
	rest.has_notify_deleted = o->has_notify_deleted;
	/* the params named above take the old values */
	pm = *pn;
	pm.priority = po->priority;
	pm.advert_int = po->advert_int;
	pm.state = po->state;
	pm.nopreempt = po->nopreempt;
	pm.preempt_delay = po->preempt_delay;
	pm.version = po->version;
	pm.version_cfg = po->version_cfg;
	pm.auth_type = po->auth_type;
	memcpy(pm.auth_pass, po->auth_pass, sizeof(pm.auth_pass));
	pm.src_ip = po->src_ip;
	pm.use_vmac = po->use_vmac;
	memcpy(pm.vmac_mac, po->vmac_mac, sizeof(pm.vmac_mac));
	pm.vmac_mac_len = po->vmac_mac_len;
	pm.use_ipvlan = po->use_ipvlan;
	pm.ipvlan_addr = po->ipvlan_addr;
	pm.ipvlan_prefix = po->ipvlan_prefix;
	pm.ipvlan_mode = po->ipvlan_mode;
	rest.vmac_ifname = o->vmac_ifname;
	rest.ipvlan_ifname = o->ipvlan_ifname;
	rest.p = pm;
	if (!vrrp_conf_instance_equal(o, &rest))
		subsys_what_add(&w, "other settings changed");
	if (w.at == 0)
		subsys_what_add(&w, "VIPs");
	say(t, "instance %s: changed: %s", n->name, w.buf);
	vips_gone(t, n->name, &o->vips, &n->vips, "VIP", "removed");
	vips_gone(t, n->name, &n->vips, &o->vips, "VIP", "added");
	vips_gone(t, n->name, &o->evips, &n->evips, "excluded VIP",
	    "removed");
	vips_gone(t, n->name, &n->evips, &o->evips, "excluded VIP", "added");
}

static const char *
ifname(const struct vrrp_instance_conf *i)
{
	return i->interface != NULL ? i->interface : "none";
}

static void
text_ev(void *arg, const struct vrrp_conf_diff_ev *ev)
{
	struct text *t = arg;
	const struct vrrp_instance_conf *o = ev->old, *n = ev->new;

	switch (ev->kind) {
	case CONF_DIFF_ADDED:
		say(t, "instance %s: added (interface %s, VRID %u, priority "
		    "%u, state %s)", n->name, ifname(n), n->p.vrid,
		    n->p.priority, state_name(n->p.state));
		vips_gone(t, n->name, &n->vips, NULL, "VIP", "added");
		vips_gone(t, n->name, &n->evips, NULL, "excluded VIP",
		    "added");
		return;
	case CONF_DIFF_REMOVED:
		say(t, "instance %s: removed (interface %s, VRID %u): a "
		    "master sends priority 0 and releases its VIPs", o->name,
		    ifname(o), o->p.vrid);
		vips_gone(t, o->name, &o->vips, NULL, "VIP", "removed");
		vips_gone(t, o->name, &o->evips, NULL, "excluded VIP",
		    "removed");
		return;
	case CONF_DIFF_CHANGED:
		say_changed(t, o, n);
		return;
	case CONF_DIFF_UNCHANGED:
		return;
	}
}

/* ---- what is not an instance: static addresses, routes, rules; sync
 * groups ------------------------------------------------------------------ */

static int
words_eq(const struct vrrp_conf_argv_item *a,
    const struct vrrp_conf_argv_item *b)
{
	if (a->argc != b->argc)
		return 0;
	for (unsigned i = 0; i < a->argc; i++)
		if (strcmp(a->argv[i], b->argv[i]) != 0)
			return 0;
	return 1;
}

static int
item_in(const struct vrrp_conf_argv_item *x, const struct vrrp_conf_list *l)
{
	for (const struct vrrp_conf_argv_item *y = l != NULL ? l->first :
	    NULL; y != NULL; y = y->next)
		if (words_eq(x, y))
			return 1;
	return 0;
}

/* Route and rule lines of from missing in to, as written. */
static void
items_gone(struct text *t, const struct vrrp_conf_list *from,
    const struct vrrp_conf_list *to, const char *what, const char *verb)
{
	char w[LINE_MAX_LEN / 2];

	for (const struct vrrp_conf_argv_item *x = from != NULL ?
	    from->first : NULL; x != NULL; x = x->next) {
		size_t at = 0;

		if (item_in(x, to))
			continue;
		w[0] = '\0';
		for (unsigned i = 0; i < x->argc && at < sizeof(w) - 1; i++)
			at += (size_t)snprintf(w + at, sizeof(w) - at, "%s%s",
			    i > 0 ? " " : "", x->argv[i]);
		say(t, "%s '%s' %s", what, w, verb);
	}
}

static void
statics(struct text *t, const struct vrrp_conf *o, const struct vrrp_conf *n)
{
	static const struct vrrp_conf_list none = { NULL, NULL, 0 };
	const struct vrrp_conf_list *oa = o != NULL ? &o->static_addrs : &none,
	    *na = n != NULL ? &n->static_addrs : &none;
	char v[ADDR_STRLEN + 64];

	for (const struct vrrp_conf_ipaddr *x = oa->first; x != NULL;
	    x = x->next)
		if (!vip_in(x, na))
			say(t, "static address %s removed",
			    vip_text(x, v, sizeof(v)));
	for (const struct vrrp_conf_ipaddr *x = na->first; x != NULL;
	    x = x->next)
		if (!vip_in(x, oa))
			say(t, "static address %s added",
			    vip_text(x, v, sizeof(v)));
	items_gone(t, o != NULL ? &o->static_routes : NULL,
	    n != NULL ? &n->static_routes : NULL, "static route", "removed");
	items_gone(t, n != NULL ? &n->static_routes : NULL,
	    o != NULL ? &o->static_routes : NULL, "static route", "added");
	items_gone(t, o != NULL ? &o->static_rules : NULL,
	    n != NULL ? &n->static_rules : NULL, "static rule", "removed");
	items_gone(t, n != NULL ? &n->static_rules : NULL,
	    o != NULL ? &o->static_rules : NULL, "static rule", "added");
}

static int
group_in(const struct vrrp_sync_group_conf *g, const struct vrrp_conf *c)
{
	for (const struct vrrp_sync_group_conf *x = c != NULL ?
	    c->sync_groups.first : NULL; x != NULL; x = x->next)
		if (conf_str_eq(x->name, g->name))
			return 1;
	return 0;
}

static void
groups(struct text *t, const struct vrrp_conf *o, const struct vrrp_conf *n)
{
	for (const struct vrrp_sync_group_conf *g = o != NULL ?
	    o->sync_groups.first : NULL; g != NULL; g = g->next)
		if (!group_in(g, n))
			say(t, "sync group %s: removed", g->name);
	for (const struct vrrp_sync_group_conf *g = n != NULL ?
	    n->sync_groups.first : NULL; g != NULL; g = g->next)
		if (!group_in(g, o))
			say(t, "sync group %s: added (%u instance(s))",
			    g->name, g->members.n);
}

/* lvs_sync_daemon: restarted when its settings change, else it only
 * follows another instance */
static void
syncd(struct text *t, const struct vrrp_conf *o, const struct vrrp_conf *n)
{
	static const struct vrrp_conf_syncd none;
	const struct vrrp_conf_syncd *a = o != NULL ? &o->g.lvs_syncd : &none,
	    *b = n != NULL ? &n->g.lvs_syncd : &none;
	int ua = a->set && a->instance != NULL,
	    ub = b->set && b->instance != NULL;

	if (!ua && !ub)
		return;
	if (!ub)
		say(t, "lvs_sync_daemon: removed: the sync daemon stops");
	else if (!ua)
		say(t, "lvs_sync_daemon: added (%s, syncid %u, follows %s)",
		    b->ifname, b->syncid, b->instance);
	else if (!vrrp_conf_syncd_same(a, b))
		say(t, "lvs_sync_daemon: changed (%s, syncid %u -> %s, syncid "
		    "%u): the sync daemon restarts", a->ifname, a->syncid,
		    b->ifname, b->syncid);
	else if (strcmp(a->instance, b->instance) != 0)
		say(t, "lvs_sync_daemon: follows %s instead of %s",
		    b->instance, a->instance);
}

/* vmac_prefix and vmac_addr_prefix (global_defs): the names of the VMACs
 * made from then on; those in place keep theirs (a reload that would
 * only rename a link keeps it) */
static void
vmac_names(struct text *t, const struct vrrp_conf *o,
    const struct vrrp_conf *n)
{
	const char *a, *b;

	if (o == NULL || n == NULL)
		return;
	a = o->g.vmac_prefix;
	b = n->g.vmac_prefix;
	if (!conf_str_eq(a, b))
		say(t, "vmac_prefix %s -> %s: VMACs made from now on are "
		    "named from it; those in place keep their names",
		    a != NULL ? a : "vrrp (default)", b != NULL ? b :
		    "vrrp (default)");
	a = o->g.vmac_addr_prefix;
	b = n->g.vmac_addr_prefix;
	if (!conf_str_eq(a, b))
		say(t, "vmac_addr_prefix %s -> %s: VMACs of VIPs made from now "
		    "on are named from it; those in place keep their names",
		    a != NULL ? a : "none (vmac_prefix)", b != NULL ? b :
		    "none (vmac_prefix)");
}

int
vrrp_conf_diff_text(const void *old, const void *new, subsys_line_fn *fn,
    void *arg)
{
	struct text t = { fn, arg };

	if (vrrp_conf_diff(old, new, NULL, text_ev, &t) < 0)
		return -1;
	/* an instance's group shows on the instance ("sync group A ->
	 * B"); groups themselves and the static objects here */
	groups(&t, old, new);
	statics(&t, old, new);
	syncd(&t, old, new);
	vmac_names(&t, old, new);
	return 0;
}

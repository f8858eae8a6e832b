/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Host checks of the VRRP configuration (vigild -t, start, reload): the
 * interfaces instances, addresses, routes and tracking name exist; the
 * track and notify scripts can be run (lib/script_check.c). At run time an
 * instance whose interface is missing waits in FAULT until it appears;
 * only -t refuses the configuration.
 */
#include "config.h"

#include <net/if.h>

#include "conf.h"
#include "global_conf.h"
#include "script_check.h"
#include "subsys.h"
#include "vrrp/vip.h"

struct host_ctx {
	const struct vigil_config *c;
	const struct global_conf *g;
	struct conf_diag *d;
	unsigned nerr;
};

/* A script named by keyword kw of the block at loc: checked quietly
 * first, reported at kw's own line when something is wrong. */
static void
check_script(struct host_ctx *h, const char *what, const char *cmd,
    const char *user, const char *group, const struct conf_loc *loc,
    const char *kw)
{
	struct conf_diag probe = { 0 };

	if (cmd == NULL || script_check_host(h->g, what, cmd, user, group,
	    loc, &probe) == 0)
		return;
	h->nerr += script_check_host(h->g, what, cmd, user, group,
	    vconfig_loc_in(h->c, loc, kw), h->d);
}

static void
check_if(struct host_ctx *h, const char *ifname, const struct conf_loc *loc,
    const char *fmt_what, const char *who)
{
	if (ifname == NULL || if_nametoindex(ifname) != 0)
		return;
	conf_diag_report(h->d, CONF_ERR, loc, "interface %s for %s %s does not "
	    "exist", ifname, fmt_what, who);
	h->nerr++;
}

static void
check_addrs(struct host_ctx *h, const struct vrrp_conf_list *l,
    const char *what)
{
	const struct vrrp_conf_ipaddr *a;
	char buf[ADDR_STRLEN];

	for (a = l->first; a != NULL; a = a->next)
		check_if(h, a->dev, &a->loc, what,
		    addr_ntop(&a->p.addr, buf, sizeof(buf)));
}

static void
check_routes(struct host_ctx *h, const struct vrrp_conf_list *l,
    const char *what)
{
	const struct vrrp_conf_route *r;

	for (r = l->first; r != NULL; r = r->next) {
		check_if(h, r->dev, &r->loc, what, "entry");
		check_if(h, vrrp_route_vrf(r), &r->loc, what, "entry (vrf)");
	}
}

static void
check_track_if(struct host_ctx *h, const struct vrrp_conf_list *l,
    const char *who)
{
	const struct vrrp_conf_track *t;

	for (t = l->first; t != NULL; t = t->next)
		check_if(h, t->name, &t->loc, "track_interface of", who);
}

static void
check_notify(struct host_ctx *h, const char *kw,
    const struct vrrp_conf_notify *n, const struct conf_loc *loc)
{
	check_script(h, kw, n->cmd, n->user, n->group, loc, kw);
}

static void
check_instance(struct host_ctx *h, const struct vrrp_instance_conf *vi)
{
	if (vi->interface != NULL && if_nametoindex(vi->interface) == 0)
		check_if(h, vi->interface, vconfig_loc_in(h->c, &vi->loc,
		    "interface"), "vrrp_instance", vi->name);
	check_if(h, vi->vrf, &vi->vrf_loc, "the vrf of vrrp_instance",
	    vi->name);
	check_addrs(h, &vi->vips, "virtual_ipaddress");
	check_addrs(h, &vi->evips, "virtual_ipaddress_excluded");
	check_routes(h, &vi->routes, "virtual_routes");
	check_track_if(h, &vi->track_if, vi->name);
	check_notify(h, "notify_master", &vi->notify_master, &vi->loc);
	check_notify(h, "notify_backup", &vi->notify_backup, &vi->loc);
	check_notify(h, "notify_fault", &vi->notify_fault, &vi->loc);
	check_notify(h, "notify_stop", &vi->notify_stop, &vi->loc);
	check_notify(h, "notify", &vi->notify, &vi->loc);
	check_notify(h, "notify_master_rx_lower_pri",
	    &vi->notify_master_rx_lower_pri, &vi->loc);
	check_notify(h, "notify_deleted", &vi->notify_deleted, &vi->loc);
}

static void
check_sync_group(struct host_ctx *h, const struct vrrp_sync_group_conf *sg)
{
	check_track_if(h, &sg->track_if, sg->name);
	check_notify(h, "notify_master", &sg->notify_master, &sg->loc);
	check_notify(h, "notify_backup", &sg->notify_backup, &sg->loc);
	check_notify(h, "notify_fault", &sg->notify_fault, &sg->loc);
	check_notify(h, "notify_stop", &sg->notify_stop, &sg->loc);
	check_notify(h, "notify", &sg->notify, &sg->loc);
	check_notify(h, "notify_deleted", &sg->notify_deleted, &sg->loc);
}

unsigned
vrrp_conf_host_check(const void *conf, const struct vigil_config *c,
    struct conf_diag *d)
{
	const struct vrrp_conf *vc = conf;
	struct host_ctx h = { .g = c != NULL ?
	    c->conf[CONF_OWNER_GLOBAL] : NULL, .d = d, .c = c };
	const struct vrrp_instance_conf *vi;
	const struct vrrp_sync_group_conf *sg;
	const struct vrrp_script_conf *s;
	const struct vrrp_garp_group_conf *gg;
	const struct vrrp_conf_track *t;

	for (vi = vc->instances.first; vi != NULL; vi = vi->next)
		check_instance(&h, vi);
	for (sg = vc->sync_groups.first; sg != NULL; sg = sg->next)
		check_sync_group(&h, sg);
	for (s = vc->scripts.first; s != NULL; s = s->next)
		check_script(&h, s->name, s->script, s->user, s->group,
		    &s->loc, "script");
	check_addrs(&h, &vc->static_addrs, "static_ipaddress");
	check_routes(&h, &vc->static_routes, "static_routes");
	for (gg = vc->garp_groups.first; gg != NULL; gg = gg->next)
		for (t = gg->interfaces.first; t != NULL; t = t->next)
			check_if(&h, t->name, &t->loc, "garp_group", "");
	if (vc->g.lvs_syncd.set) {
		const struct vrrp_conf_syncd *y = &vc->g.lvs_syncd;

		if (if_nametoindex(y->ifname) == 0) {
			conf_diag_report(d, CONF_ERR, &y->loc, "interface %s "
			    "for lvs_sync_daemon does not exist", y->ifname);
			h.nerr++;
		}
		/* with instances, vrrp_conf_check refuses an unknown one */
		if (y->instance != NULL && vc->instances.n == 0) {
			conf_diag_report(d, CONF_ERR, &y->loc, "lvs_sync_daemon: "
			    "unknown vrrp_instance '%s' (there is none): not "
			    "started", y->instance);
			h.nerr++;
		}
	}
	if (vc->g.notify_fifo_script.cmd != NULL) {
		const struct conf_node *n = c != NULL ? vconfig_find(c,
		    "global_defs", "vrrp_notify_fifo_script") : NULL;

		h.nerr += script_check_host(h.g, "vrrp_notify_fifo_script",
		    vc->g.notify_fifo_script.cmd, vc->g.notify_fifo_script.user,
		    vc->g.notify_fifo_script.group, n != NULL ? &n->loc : NULL,
		    d);
	}
	return h.nerr;
}

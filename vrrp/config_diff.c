/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Reload: match the instances of the old and the new configuration by
 * identity key (interface, VRID, family) and classify each, so the engine
 * keeps the runtime state of what did not change (no VIP flap).
 */
#include <stdlib.h>
#include <string.h>

#include "config.h"

static int
str_eq(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

static int
notify_eq(const struct vrrp_notify *a, const struct vrrp_notify *b)
{
	return str_eq(a->cmd, b->cmd) && str_eq(a->user, b->user) &&
	    str_eq(a->group, b->group);
}

static int
argv_eq(unsigned ac, char **av, unsigned bc, char **bv)
{
	unsigned i;

	if (ac != bc)
		return 0;
	for (i = 0; i < ac; i++)
		if (strcmp(av[i], bv[i]) != 0)
			return 0;
	return 1;
}

static int
ipaddrs_eq(const struct vrrp_list *la, const struct vrrp_list *lb)
{
	const struct vrrp_ipaddr *a, *b;

	if (la->n != lb->n)
		return 0;
	for (a = la->first, b = lb->first; a && b; a = a->next, b = b->next)
		if (memcmp(&a->p, &b->p, sizeof(a->p)) != 0 ||
		    !str_eq(a->dev, b->dev) || !str_eq(a->label, b->label) ||
		    !str_eq(a->track_group, b->track_group))
			return 0;
	return 1;
}

static int
routes_eq(const struct vrrp_list *la, const struct vrrp_list *lb)
{
	const struct vrrp_route *a, *b;

	if (la->n != lb->n)
		return 0;
	for (a = la->first, b = lb->first; a && b; a = a->next, b = b->next)
		if (!argv_eq(a->argc, a->argv, b->argc, b->argv))
			return 0;
	return 1;
}

static int
rules_eq(const struct vrrp_list *la, const struct vrrp_list *lb)
{
	const struct vrrp_rule *a, *b;

	if (la->n != lb->n)
		return 0;
	for (a = la->first, b = lb->first; a && b; a = a->next, b = b->next)
		if (!argv_eq(a->argc, a->argv, b->argc, b->argv))
			return 0;
	return 1;
}

static int
peers_eq(const struct vrrp_list *la, const struct vrrp_list *lb)
{
	const struct vrrp_peer *a, *b;

	if (la->n != lb->n)
		return 0;
	for (a = la->first, b = lb->first; a && b; a = a->next, b = b->next)
		if (addr_cmp(&a->addr, &b->addr) != 0 ||
		    a->min_ttl != b->min_ttl || a->max_ttl != b->max_ttl)
			return 0;
	return 1;
}

static int
tracks_eq(const struct vrrp_list *la, const struct vrrp_list *lb)
{
	const struct vrrp_track *a, *b;

	if (la->n != lb->n)
		return 0;
	for (a = la->first, b = lb->first; a && b; a = a->next, b = b->next)
		if (strcmp(a->name, b->name) != 0 || a->weight != b->weight ||
		    a->weight_set != b->weight_set ||
		    a->reverse != b->reverse || a->noreverse != b->noreverse)
			return 0;
	return 1;
}

int
vrrp_instance_conf_equal(const struct vrrp_instance_conf *a,
    const struct vrrp_instance_conf *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return str_eq(a->name, b->name) &&
	    str_eq(a->interface, b->interface) && str_eq(a->vrf, b->vrf) &&
	    str_eq(a->vmac_ifname, b->vmac_ifname) &&
	    str_eq(a->ipvlan_ifname, b->ipvlan_ifname) &&
	    str_eq(a->lvs_sync_daemon_interface,
	    b->lvs_sync_daemon_interface) &&
	    str_eq(a->sync_group, b->sync_group) &&
	    memcmp(&a->p, &b->p, sizeof(a->p)) == 0 &&
	    ipaddrs_eq(&a->vips, &b->vips) &&
	    ipaddrs_eq(&a->evips, &b->evips) &&
	    routes_eq(&a->routes, &b->routes) &&
	    rules_eq(&a->rules, &b->rules) &&
	    peers_eq(&a->unicast_peers, &b->unicast_peers) &&
	    tracks_eq(&a->track_if, &b->track_if) &&
	    tracks_eq(&a->track_script, &b->track_script) &&
	    tracks_eq(&a->track_file, &b->track_file) &&
	    tracks_eq(&a->track_process, &b->track_process) &&
	    notify_eq(&a->notify_master, &b->notify_master) &&
	    notify_eq(&a->notify_backup, &b->notify_backup) &&
	    notify_eq(&a->notify_fault, &b->notify_fault) &&
	    notify_eq(&a->notify_stop, &b->notify_stop) &&
	    notify_eq(&a->notify, &b->notify) &&
	    notify_eq(&a->notify_master_rx_lower_pri,
	    &b->notify_master_rx_lower_pri) &&
	    notify_eq(&a->notify_deleted, &b->notify_deleted) &&
	    a->has_notify_deleted == b->has_notify_deleted;
}

static int
same_key(const struct vrrp_instance_conf *a,
    const struct vrrp_instance_conf *b)
{
	return a->p.vrid == b->p.vrid && a->p.family == b->p.family &&
	    str_eq(a->interface, b->interface);
}

const char *
vrrp_diff_kind_name(enum vrrp_diff_kind k)
{
	switch (k) {
	case VRRP_DIFF_UNCHANGED:
		return "unchanged";
	case VRRP_DIFF_CHANGED:
		return "changed";
	case VRRP_DIFF_ADDED:
		return "added";
	case VRRP_DIFF_REMOVED:
		return "removed";
	}
	return "?";
}

int
vrrp_conf_diff(const struct vrrp_conf *old, const struct vrrp_conf *new,
    vrrp_diff_fn *cb, void *arg, struct vrrp_conf_diff *out)
{
	const struct vrrp_instance_conf *o, *n;
	struct vrrp_conf_diff r = { 0, 0, 0, 0 };
	unsigned nold = old != NULL ? old->instances.n : 0, i;
	unsigned char *matched = NULL;
	enum vrrp_diff_kind kind;

	if (nold > 0 && (matched = calloc(nold, 1)) == NULL)
		return -1;
	/* mark old instances that have a successor */
	if (new != NULL)
		for (n = new->instances.first; n != NULL; n = n->next)
			for (o = nold ? old->instances.first : NULL, i = 0;
			    o != NULL; o = o->next, i++)
				if (!matched[i] && same_key(o, n)) {
					matched[i] = 1;
					break;
				}
	for (o = nold ? old->instances.first : NULL, i = 0; o != NULL;
	    o = o->next, i++) {
		if (matched[i])
			continue;
		r.removed++;
		if (cb != NULL)
			cb(arg, o, NULL, VRRP_DIFF_REMOVED);
	}
	if (nold > 0)
		memset(matched, 0, nold);
	if (new != NULL)
		for (n = new->instances.first; n != NULL; n = n->next) {
			for (o = nold ? old->instances.first : NULL, i = 0;
			    o != NULL; o = o->next, i++)
				if (!matched[i] && same_key(o, n))
					break;
			if (o == NULL) {
				kind = VRRP_DIFF_ADDED;
				r.added++;
			} else {
				matched[i] = 1;
				if (vrrp_instance_conf_equal(o, n)) {
					kind = VRRP_DIFF_UNCHANGED;
					r.unchanged++;
				} else {
					kind = VRRP_DIFF_CHANGED;
					r.changed++;
				}
			}
			if (cb != NULL)
				cb(arg, o, n, kind);
		}
	free(matched);
	if (out != NULL)
		*out = r;
	return 0;
}

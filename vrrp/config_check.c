/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Checks that need the whole VRRP configuration, run once conf_apply has
 * built it (objects may be referenced before they are defined): sync group
 * members, tracked scripts/files/processes, static track groups.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "config_priv.h"

/* Drop the tracking entries naming an undefined object, with a warning
 * (as keepalived does). */
static void
prune_tracks(const struct vrrp_conf *c, struct conf_diag *d,
    struct vrrp_conf_list *tracks, enum vrrp_ix defs, const char *what,
    const char *owner)
{
	struct vrrp_conf_track *t, *prev = NULL, *next;

	for (t = tracks->first; t != NULL; t = next) {
		next = t->next;
		if (vrrp_conf_lookup(c, defs, t->name) != NULL) {
			prev = t;
			continue;
		}
		conf_diag_report(d, CONF_WARN, &t->loc, "%s: %s '%s' is not "
		    "defined; ignored", owner, what, t->name);
		if (prev != NULL)
			prev->next = next;
		else
			tracks->first = next;
		if (tracks->last == t)
			tracks->last = prev;
		tracks->n--;
	}
}

static void
prune_all(struct vrrp_conf *c, struct conf_diag *d, struct vrrp_conf_list *ts,
    struct vrrp_conf_list *tf, struct vrrp_conf_list *tp, const char *owner)
{
	prune_tracks(c, d, ts, VRRP_IX_SCRIPT, "track_script", owner);
	prune_tracks(c, d, tf, VRRP_IX_TRACK_FILE, "track_file", owner);
	prune_tracks(c, d, tp, VRRP_IX_TRACK_PROCESS, "track_process", owner);
}

/* The weight a tracking line has: its own, else its object's (an
 * interface's is 0). */
static int
line_weight(const struct vrrp_conf *c, const struct vrrp_conf_track *t,
    enum vrrp_ix ix)
{
	const void *o;

	if (t->weight_set)
		return t->weight;
	if (ix == VRRP_IX_SCRIPT &&
	    (o = vrrp_conf_lookup(c, ix, t->name)) != NULL)
		return ((const struct vrrp_script_conf *)o)->weight;
	if (ix == VRRP_IX_TRACK_FILE &&
	    (o = vrrp_conf_lookup(c, ix, t->name)) != NULL)
		return ((const struct vrrp_track_file_conf *)o)->weight;
	if (ix == VRRP_IX_TRACK_PROCESS &&
	    (o = vrrp_conf_lookup(c, ix, t->name)) != NULL)
		return ((const struct vrrp_track_process_conf *)o)->weight;
	return 0;
}

/* A sync group's tracking lines move every member's priority, which an
 * address owner's cannot: with one among the members, keepalived clears
 * the lines' weights (FAULT while down instead) and says so. */
static void
unweight(const struct vrrp_conf *c, struct conf_diag *d,
    const struct vrrp_sync_group_conf *g, struct vrrp_conf_list *l,
    enum vrrp_ix ix, const char *what, const char *owner)
{
	int w;

	for (struct vrrp_conf_track *t = l->first; t != NULL; t = t->next) {
		if ((w = line_weight(c, t, ix)) == 0)
			continue;
		conf_diag_report(d, CONF_WARN, &t->loc, "vrrp_sync_group %s: "
		    "%s %s: weight %d cleared (FAULT while down): member %s "
		    "has priority 255", g->name, what, t->name, w, owner);
		t->weight = 0;
		t->weight_set = 1;
	}
}

static void
group_owner_weights(struct vrrp_conf *c, struct conf_diag *d,
    struct vrrp_sync_group_conf *g)
{
	const struct vrrp_instance_conf *vi;
	const struct vrrp_conf_track *m;

	for (m = g->members.first; m != NULL; m = m->next)
		if ((vi = vrrp_conf_find_instance(c, m->name)) != NULL &&
		    vi->p.priority == 255)
			break;
	if (m == NULL)
		return;
	unweight(c, d, g, &g->track_if, VRRP_IX_MAX, "track_interface",
	    vi->name);
	unweight(c, d, g, &g->track_script, VRRP_IX_SCRIPT, "track_script",
	    vi->name);
	unweight(c, d, g, &g->track_file, VRRP_IX_TRACK_FILE, "track_file",
	    vi->name);
	unweight(c, d, g, &g->track_process, VRRP_IX_TRACK_PROCESS,
	    "track_process", vi->name);
	unweight(c, d, g, &g->track_bfd, VRRP_IX_MAX, "track_bfd", vi->name);
}

static void
drop_line(struct vrrp_conf_list *l, struct vrrp_conf_track *prev,
    struct vrrp_conf_track *t)
{
	if (prev != NULL)
		prev->next = t->next;
	else
		l->first = t->next;
	if (l->last == t)
		l->last = prev;
	l->n--;
}

/*
 * keepalived's rule for an instance whose priority cannot move: a member
 * of a sync group without sync_group_tracking_weight, or an address owner
 * (priority 255). Its weighted track_interface lines lose their weight
 * (an owner's are dropped), weighted track_script lines are dropped,
 * track_file lines of weight 1 (the default) become weight 0 and other
 * weighted ones are dropped; track_process lines are kept as they are.
 * Each said at its line.
 */
static void
fixed_prio_lines(const struct vrrp_conf *c, struct conf_diag *d,
    struct vrrp_instance_conf *vi, int owner, const char *why)
{
	struct vrrp_conf_track *t, *prev, *next;
	int w;

	for (prev = NULL, t = vi->track_if.first; t != NULL; t = next) {
		next = t->next;
		if ((w = line_weight(c, t, VRRP_IX_MAX)) == 0) {
			prev = t;
			continue;
		}
		conf_diag_report(d, CONF_WARN, &t->loc, "%s: track_interface "
		    "%s: weight %d %s: %s", vi->name, t->name, w,
		    owner ? "ignored, and the interface not tracked" :
		    "ignored (FAULT while down)", why);
		if (owner) {
			drop_line(&vi->track_if, prev, t);
			continue;
		}
		t->weight = 0;
		t->weight_set = 1;
		prev = t;
	}
	for (prev = NULL, t = vi->track_script.first; t != NULL; t = next) {
		next = t->next;
		if ((w = line_weight(c, t, VRRP_IX_SCRIPT)) == 0) {
			prev = t;
			continue;
		}
		conf_diag_report(d, CONF_WARN, &t->loc, "%s: track_script %s "
		    "with weight %d not tracked: %s", vi->name, t->name, w,
		    why);
		drop_line(&vi->track_script, prev, t);
	}
	for (prev = NULL, t = vi->track_file.first; t != NULL; t = next) {
		next = t->next;
		if ((w = line_weight(c, t, VRRP_IX_TRACK_FILE)) == 0) {
			prev = t;
			continue;
		}
		if (w == 1) {
			conf_diag_report(d, CONF_WARN, &t->loc, "%s: "
			    "track_file %s: weight 1 ignored (FAULT on a "
			    "non-zero value; say weight 0): %s", vi->name,
			    t->name, why);
			t->weight = 0;
			t->weight_set = 1;
			prev = t;
			continue;
		}
		conf_diag_report(d, CONF_WARN, &t->loc, "%s: track_file %s "
		    "with weight %d not tracked: %s", vi->name, t->name, w,
		    why);
		drop_line(&vi->track_file, prev, t);
	}
	/* keepalived drops weighted track_bfd lines alike */
	for (prev = NULL, t = vi->track_bfd.first; t != NULL; t = next) {
		next = t->next;
		if (t->weight == 0) {
			prev = t;
			continue;
		}
		conf_diag_report(d, CONF_WARN, &t->loc, "%s: track_bfd %s "
		    "with weight %d not tracked: %s", vi->name, t->name,
		    t->weight, why);
		drop_line(&vi->track_bfd, prev, t);
	}
}

static void
check_fixed_prio(struct vrrp_conf *c, struct conf_diag *d)
{
	const struct vrrp_sync_group_conf *g;
	char why[160];

	for (struct vrrp_instance_conf *vi = c->instances.first; vi != NULL;
	    vi = vi->next) {
		g = vi->sync_group == NULL ? NULL :
		    vrrp_conf_lookup(c, VRRP_IX_SYNC_GROUP, vi->sync_group);
		if (g != NULL && g->tracking_weight <= 0) {
			snprintf(why, sizeof(why), "a member of sync group %s "
			    "(no sync_group_tracking_weight)", g->name);
			fixed_prio_lines(c, d, vi, 0, why);
		} else if (vi->p.priority == 255) {
			fixed_prio_lines(c, d, vi, 1,
			    "the address owner (priority 255)");
		}
	}
}

static unsigned
check_sync_groups(struct vrrp_conf *c, struct conf_diag *d)
{
	struct vrrp_sync_group_conf *g;
	struct vrrp_instance_conf *vi;
	const struct vrrp_conf_track *m;
	unsigned nerr = 0;

	for (g = c->sync_groups.first; g != NULL; g = g->next) {
		for (m = g->members.first; m != NULL; m = m->next) {
			vi = (struct vrrp_instance_conf *)
			    vrrp_conf_find_instance(c, m->name);
			if (vi == NULL) {
				conf_diag_report(d, CONF_ERR, &m->loc,
				    "vrrp_sync_group %s: unknown vrrp_instance "
				    "'%s'", g->name, m->name);
				nerr++;
			} else if (vi->sync_group != NULL &&
			    strcmp(vi->sync_group, g->name) != 0) {
				conf_diag_report(d, CONF_ERR, &m->loc,
				    "vrrp_sync_group %s: vrrp_instance '%s' "
				    "is already in sync group %s", g->name,
				    m->name, vi->sync_group);
				nerr++;
			} else
				vi->sync_group = g->name;
		}
		prune_all(c, d, &g->track_script, &g->track_file,
		    &g->track_process, g->name);
		group_owner_weights(c, d, g);
	}
	return nerr;
}

/*
 * A static address, route or rule with track_group G, as keepalived 2.2.7
 * takes it: each instance of G tracks the entry's interface (the
 * address's dev, the route's dev, the rule's iif) with weight 0, so that
 * the interface going down puts them in FAULT (a track_interface line of
 * theirs on that interface takes weight 0 too). An entry with no_track,
 * or without an interface, is not tracked (warned). Returns the entries'
 * tracking added to the instances' track_interface lists (once a name).
 */
static unsigned
track_group_ref(struct vrrp_conf *c, struct conf_diag *d, const char *tg,
    const char *ifname, int no_track, const struct conf_loc *loc)
{
	const struct vrrp_track_group_conf *g;
	const struct vrrp_conf_track *m;
	struct vrrp_instance_conf *vi;
	struct vrrp_conf_track *add, *t;
	unsigned nadd = 0;

	if (tg == NULL)
		return 0;
	if ((g = vrrp_conf_lookup(c, VRRP_IX_TRACK_GROUP, tg)) == NULL) {
		conf_diag_report(d, CONF_WARN, loc, "track_group '%s' is not "
		    "defined; ignored", tg);
		return 0;
	}
	if (no_track) {
		conf_diag_report(d, CONF_WARN, loc, "track_group %s with "
		    "no_track: not tracked", tg);
		return 0;
	}
	if (ifname == NULL) {
		conf_diag_report(d, CONF_WARN, loc, "track_group %s needs an "
		    "interface (dev, or iif for a rule): not tracked", tg);
		return 0;
	}
	for (m = g->members.first; m != NULL; m = m->next) {
		/* the configuration is being finished: c is ours */
		if ((vi = (struct vrrp_instance_conf *)(uintptr_t)
		    vrrp_conf_find_instance(c, m->name)) == NULL)
			continue;
		for (t = vi->track_if.first; t != NULL; t = t->next)
			if (strcmp(t->name, ifname) == 0)
				break;
		if (t != NULL) {
			/* keepalived's tracking by the group wins: weight 0 */
			t->weight = 0;
			t->weight_set = 1;
			t->reverse = 0;
			continue;
		}
		if ((add = arena_calloc(c->arena, 1, sizeof(*add))) == NULL ||
		    (add->name = arena_alloc(c->arena,
		    strlen(ifname) + 1)) == NULL) {
			conf_diag_report(d, CONF_ERR, loc, "out of memory");
			return nadd;
		}
		memcpy(add->name, ifname, strlen(ifname) + 1);
		add->loc = *loc;
		add->weight = 0;
		add->weight_set = 1;
		vrrp_conf_list_append(&vi->track_if, add);
		nadd++;
	}
	return nadd;
}

/* What else of vi tracks link name with weight 0 (keepalived 2.2.7's
 * add_vrrp_to_interface): its interface (unless dont_track_primary), a
 * VIP's or eVIP's dev (not no_track, not on a VMAC of its own), a
 * virtual_route's dev, a virtual_rule's iif or oif (not no_track). Into
 * why; 0 if nothing. */
static int
link_zero_weight(const struct vrrp_instance_conf *vi, const char *name,
    char *why, size_t len)
{
	const struct vrrp_conf_list *lists[] = { &vi->vips, &vi->evips };
	char a[ADDR_STRLEN];

	if (vi->interface != NULL && strcmp(vi->interface, name) == 0 &&
	    !vi->p.dont_track_primary) {
		snprintf(why, len, "it is the instance's interface");
		return 1;
	}
	/* VIPs on its interface count with it (not with dont_track_primary);
	 * a route's or rule's interface counts even then */
	for (unsigned l = 0; l < 2; l++)
		for (const struct vrrp_conf_ipaddr *x = lists[l]->first;
		    x != NULL; x = x->next)
			if (x->dev != NULL && strcmp(x->dev, name) == 0 &&
			    (vi->interface == NULL ||
			    strcmp(x->dev, vi->interface) != 0) &&
			    !(x->p.flags & VRRP_IPA_NO_TRACK) &&
			    !vrrp_conf_addr_vmac(vi, x)) {
				snprintf(why, len, "%s %s is on it", l == 0 ?
				    "VIP" : "eVIP", addr_ntop(&x->p.addr, a,
				    sizeof(a)));
				return 1;
			}
	for (const struct vrrp_conf_route *r = vi->routes.first; r != NULL;
	    r = r->next)
		if (r->dev != NULL && strcmp(r->dev, name) == 0 &&
		    !(r->p.flags & VRRP_RT_NO_TRACK)) {
			snprintf(why, len, "the virtual_route of line %u goes "
			    "out of it", r->loc.line);
			return 1;
		}
	for (const struct vrrp_conf_rule *r = vi->rules.first; r != NULL;
	    r = r->next)
		if (!(r->p.flags & VRRP_RU_NO_TRACK) &&
		    ((r->iif != NULL && strcmp(r->iif, name) == 0) ||
		    (r->oif != NULL && strcmp(r->oif, name) == 0))) {
			snprintf(why, len, "the virtual_rule of line %u names "
			    "it", r->loc.line);
			return 1;
		}
	return 0;
}

/*
 * A weighted track_interface line on a link the instance also tracks
 * with weight 0 (link_zero_weight): keepalived 2.2.7 keeps one tracking
 * entry for the pair and weight 0 wins, so the link down puts the
 * instance in FAULT and moves no priority. Said at the line.
 */
static void
zero_weight_links(const struct vrrp_conf *c, struct conf_diag *d,
    struct vrrp_instance_conf *vi)
{
	char why[128];
	int w;

	for (struct vrrp_conf_track *t = vi->track_if.first; t != NULL;
	    t = t->next) {
		if ((w = line_weight(c, t, VRRP_IX_MAX)) == 0 ||
		    !link_zero_weight(vi, t->name, why, sizeof(why)))
			continue;
		conf_diag_report(d, CONF_WARN, &t->loc, "%s: track_interface "
		    "%s: weight %d ignored (FAULT while down): %s, tracked "
		    "with weight 0", vi->name, t->name, w, why);
		t->weight = 0;
		t->weight_set = 1;
		t->reverse = 0;
	}
}

/*
 * A sync group's weighted track_interface line on a link a member tracks
 * with weight 0 (link_zero_weight) counts as weight 0 for that member
 * (keepalived 2.2.7 keeps one entry per link and instance, and weight 0
 * wins; the engine's track_group does it): the member goes to FAULT while
 * the link is down, its priority unmoved; the other members' priorities
 * move. Said at the group's line, member by member.
 */
static void
group_zero_weight_links(const struct vrrp_conf *c, struct conf_diag *d,
    const struct vrrp_sync_group_conf *g)
{
	const struct vrrp_instance_conf *vi;
	char why[128];
	int w;

	for (const struct vrrp_conf_track *t = g->track_if.first; t != NULL;
	    t = t->next) {
		if ((w = line_weight(c, t, VRRP_IX_MAX)) == 0)
			continue;
		for (const struct vrrp_conf_track *m = g->members.first;
		    m != NULL; m = m->next)
			if ((vi = vrrp_conf_find_instance(c, m->name)) != NULL &&
			    link_zero_weight(vi, t->name, why, sizeof(why)))
				conf_diag_report(d, CONF_WARN, &t->loc,
				    "vrrp_sync_group %s: track_interface %s: "
				    "weight %d counts as 0 for member %s (FAULT "
				    "while down, its priority unmoved): %s, "
				    "tracked with weight 0", g->name, t->name, w,
				    vi->name, why);
	}
}

/* Each instance's interface's interface_up_down_delays fitted to its
 * advert interval (vrrp_conf_delay_fit), instance after instance; said at
 * the delay's line. */
static void
fit_if_delays(struct vrrp_conf *c, struct conf_diag *d)
{
	for (const struct vrrp_instance_conf *vi = c->instances.first;
	    vi != NULL; vi = vi->next) {
		struct vrrp_conf_if_delay *dl;
		unsigned long long down, up;
		unsigned adv;

		if (vi->interface == NULL)
			continue;
		for (dl = c->if_delays.first; dl != NULL &&
		    strcmp(dl->ifname, vi->interface) != 0; dl = dl->next)
			;
		if (dl == NULL || (dl->down_delay == 0 && dl->up_delay == 0))
			continue;
		adv = (unsigned)(vi->p.down_timer_adverts != VRRP_UNSET ?
		    vi->p.down_timer_adverts : c->g.down_timer_adverts);
		down = vrrp_conf_delay_fit(dl->down_delay, adv,
		    vi->p.advert_int);
		up = vrrp_conf_delay_fit(dl->up_delay, adv, vi->p.advert_int);
		if (down == dl->down_delay && up == dl->up_delay)
			continue;
		if (adv <= 1)
			conf_diag_report(d, CONF_WARN, &dl->loc, "%s: cannot use "
			    "debounce timers with down_timer_adverts = 1 - "
			    "resetting (interface %s: no delays)", vi->name,
			    dl->ifname);
		else
			conf_diag_report(d, CONF_WARN, &dl->loc, "%s: interface "
			    "%s debounce timer(s) not less that %u * advert_int "
			    "- resetting (down delay %.3f s, up delay %.3f s)",
			    vi->name, dl->ifname, adv - 1, (double)down / 1e6,
			    (double)up / 1e6);
		dl->down_delay = down;
		dl->up_delay = up;
	}
}

unsigned
vrrp_conf_check(struct vrrp_conf *c, struct conf_diag *d)
{
	struct vrrp_instance_conf *vi;
	const struct vrrp_track_group_conf *tg;
	const struct vrrp_sync_group_conf *sg;
	const struct vrrp_conf_ipaddr *a;
	const struct vrrp_conf_route *r;
	const struct vrrp_conf_rule *ru;
	const struct vrrp_conf_track *m;
	unsigned nerr;

	if (c == NULL || d == NULL)
		return 1;
	nerr = check_sync_groups(c, d);
	nerr += vrrp_conf_check_syncd(c, d);
	nerr += vrrp_conf_check_vmac_shared(c, d);
	/* global_defs vrrp_check_unicast_src: every instance checks its
	 * unicast sources (and their TTL ranges), as keepalived's */
	if (c->g.check_unicast_src > 0)
		for (vi = c->instances.first; vi != NULL; vi = vi->next)
			vi->p.check_unicast_src = 1;
	for (vi = c->instances.first; vi != NULL; vi = vi->next)
		prune_all(c, d, &vi->track_script, &vi->track_file,
		    &vi->track_process, vi->name);
	check_fixed_prio(c, d);
	for (vi = c->instances.first; vi != NULL; vi = vi->next)
		zero_weight_links(c, d, vi);
	for (sg = c->sync_groups.first; sg != NULL; sg = sg->next)
		group_zero_weight_links(c, d, sg);
	fit_if_delays(c, d);
	for (tg = c->track_groups.first; tg != NULL; tg = tg->next)
		for (m = tg->members.first; m != NULL; m = m->next)
			if (vrrp_conf_find_instance(c, m->name) == NULL)
				conf_diag_report(d, CONF_WARN, &m->loc,
				    "track_group %s: unknown vrrp_instance "
				    "'%s'", tg->name, m->name);
	for (a = c->static_addrs.first; a != NULL; a = a->next)
		(void)track_group_ref(c, d, a->track_group, a->dev,
		    (a->p.flags & VRRP_IPA_NO_TRACK) != 0, &a->loc);
	for (r = c->static_routes.first; r != NULL; r = r->next)
		(void)track_group_ref(c, d, r->track_group, r->dev,
		    (r->p.flags & VRRP_RT_NO_TRACK) != 0, &r->loc);
	for (ru = c->static_rules.first; ru != NULL; ru = ru->next)
		(void)track_group_ref(c, d, ru->track_group, ru->iif,
		    (ru->p.flags & VRRP_RU_NO_TRACK) != 0, &ru->loc);
	return nerr;
}

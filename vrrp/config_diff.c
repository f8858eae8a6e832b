/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Reload: match the instances of the old and the new configuration by
 * identity key (interface, VRID, family) and classify each, so the engine
 * keeps the runtime state of what did not change (no VIP flap).
 */
#include <string.h>

#include "config_priv.h"

static int
notify_eq(const struct vrrp_conf_notify *a, const struct vrrp_conf_notify *b)
{
	return conf_str_eq(a->cmd, b->cmd) && conf_str_eq(a->user, b->user) &&
	    conf_str_eq(a->group, b->group);
}

/* Two lists of the same length whose items are pairwise equal. */
static int
list_eq(const struct vrrp_conf_list *la, const struct vrrp_conf_list *lb,
    int (*eq)(const void *, const void *))
{
	const struct link { const struct link *next; } *a, *b;

	if (la->n != lb->n)
		return 0;
	for (a = la->first, b = lb->first; a && b; a = a->next, b = b->next)
		if (!eq(a, b))
			return 0;
	return 1;
}

static int
ipaddr_eq(const void *pa, const void *pb)
{
	const struct vrrp_conf_ipaddr *a = pa, *b = pb;

	return memcmp(&a->p, &b->p, sizeof(a->p)) == 0 &&
	    conf_str_eq(a->dev, b->dev) && conf_str_eq(a->label, b->label) &&
	    conf_str_eq(a->track_group, b->track_group);
}

/* Routes and rules: the item words as written. */
static int
argv_item_eq(const void *pa, const void *pb)
{
	const struct vrrp_conf_argv_item *a = pa, *b = pb;
	unsigned i;

	if (a->argc != b->argc)
		return 0;
	for (i = 0; i < a->argc; i++)
		if (strcmp(a->argv[i], b->argv[i]) != 0)
			return 0;
	return 1;
}

static int
peer_eq(const void *pa, const void *pb)
{
	const struct vrrp_conf_peer *a = pa, *b = pb;

	return addr_cmp(&a->addr, &b->addr) == 0 &&
	    a->min_ttl == b->min_ttl && a->max_ttl == b->max_ttl;
}

static int
track_eq(const void *pa, const void *pb)
{
	const struct vrrp_conf_track *a = pa, *b = pb;

	return strcmp(a->name, b->name) == 0 && a->weight == b->weight &&
	    a->weight_set == b->weight_set && a->reverse == b->reverse &&
	    a->noreverse == b->noreverse;
}

int
vrrp_conf_instance_equal(const struct vrrp_instance_conf *a,
    const struct vrrp_instance_conf *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return conf_str_eq(a->name, b->name) &&
	    conf_str_eq(a->interface, b->interface) && conf_str_eq(a->vrf, b->vrf) &&
	    conf_str_eq(a->vmac_ifname, b->vmac_ifname) &&
	    conf_str_eq(a->ipvlan_ifname, b->ipvlan_ifname) &&
	    conf_str_eq(a->lvs_sync_daemon_interface,
	    b->lvs_sync_daemon_interface) &&
	    conf_str_eq(a->sync_group, b->sync_group) &&
	    memcmp(&a->p, &b->p, sizeof(a->p)) == 0 &&
	    list_eq(&a->vips, &b->vips, ipaddr_eq) &&
	    list_eq(&a->evips, &b->evips, ipaddr_eq) &&
	    list_eq(&a->routes, &b->routes, argv_item_eq) &&
	    list_eq(&a->rules, &b->rules, argv_item_eq) &&
	    list_eq(&a->unicast_peers, &b->unicast_peers, peer_eq) &&
	    list_eq(&a->track_if, &b->track_if, track_eq) &&
	    list_eq(&a->track_script, &b->track_script, track_eq) &&
	    list_eq(&a->track_file, &b->track_file, track_eq) &&
	    list_eq(&a->track_process, &b->track_process, track_eq) &&
	    list_eq(&a->track_bfd, &b->track_bfd, track_eq) &&
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

/*
 * The old instances by identity key. Nodes under one key are found newest
 * first, so they are added last to first: a lookup finds them in list order.
 */
struct old_ent {
	struct htab_node node;
	const struct vrrp_instance_conf *inst;
	int matched;
};

struct old_index {
	struct arena *arena;
	struct htab ix;
	struct old_ent *v;	/* the old list as an array */
	unsigned n;
};

#define OLD(n) HTAB_ENTRY(n, struct old_ent, node)

static size_t
old_hash(const struct htab_node *n)
{
	return vrrp_conf_instance_key_hash(OLD(n)->inst);
}

static int
unmatched_same_key(const struct htab_node *n, const void *key)
{
	return !OLD(n)->matched && vrrp_conf_instance_same_key(OLD(n)->inst,
	    key);
}

/* Unicast instances may share an identity key: the same name wins. */
static int
unmatched_same_key_name(const struct htab_node *n, const void *key)
{
	const struct vrrp_instance_conf *k = key;

	return unmatched_same_key(n, key) &&
	    conf_str_eq(OLD(n)->inst->name, k->name);
}

static int
old_index_init(struct old_index *oi, const struct vrrp_conf *old)
{
	const struct vrrp_instance_conf *o;
	unsigned i;

	memset(oi, 0, sizeof(*oi));
	if (old == NULL || old->instances.n == 0)
		return 0;
	if ((oi->arena = arena_new()) == NULL || (oi->v = arena_calloc(
	    oi->arena, old->instances.n, sizeof(*oi->v))) == NULL)
		return -1;
	htab_init(&oi->ix, old_hash, oi->arena);
	for (o = old->instances.first, i = 0; o != NULL &&
	    i < old->instances.n; o = o->next, i++)
		oi->v[i].inst = o;
	oi->n = i;
	while (i-- > 0)
		if (htab_add(&oi->ix, &oi->v[i].node) == -1)
			return -1;
	return 0;
}

/*
 * The old instance not yet matched with n's key, preferring the one of the
 * same name, else the first in list order; NULL if none.
 */
static struct old_ent *
old_match(const struct old_index *oi, const struct vrrp_instance_conf *n)
{
	struct htab_node *e;
	size_t hash = vrrp_conf_instance_key_hash(n);

	e = htab_find(&oi->ix, hash, unmatched_same_key_name, n);
	if (e == NULL)
		e = htab_find(&oi->ix, hash, unmatched_same_key, n);
	return e != NULL ? OLD(e) : NULL;
}

static void
emit(struct vrrp_conf_diff *r, vrrp_conf_diff_fn *cb, void *arg,
    enum conf_diff_kind kind, const struct vrrp_instance_conf *o,
    const struct vrrp_instance_conf *n)
{
	struct vrrp_conf_diff_ev ev = { kind, o, n };

	conf_diff_count_add(&r->instances, kind);
	if (cb != NULL)
		cb(arg, &ev);
}

int
vrrp_conf_diff(const struct vrrp_conf *old, const struct vrrp_conf *new,
    struct vrrp_conf_diff *out, vrrp_conf_diff_fn *cb, void *arg)
{
	const struct vrrp_instance_conf *n;
	struct vrrp_conf_diff r;
	struct old_index oi;
	struct old_ent *m;
	unsigned i;

	memset(&r, 0, sizeof(r));
	if (old_index_init(&oi, old) == -1) {
		arena_free(oi.arena);
		return -1;
	}
	/* mark old instances that have a successor */
	if (new != NULL)
		for (n = new->instances.first; n != NULL; n = n->next)
			if ((m = old_match(&oi, n)) != NULL)
				m->matched = 1;
	for (i = 0; i < oi.n; i++) {
		if (oi.v[i].matched)
			oi.v[i].matched = 0;
		else
			emit(&r, cb, arg, CONF_DIFF_REMOVED, oi.v[i].inst,
			    NULL);
	}
	for (n = new != NULL ? new->instances.first : NULL; n != NULL;
	    n = n->next) {
		if ((m = old_match(&oi, n)) == NULL) {
			emit(&r, cb, arg, CONF_DIFF_ADDED, NULL, n);
			continue;
		}
		m->matched = 1;
		emit(&r, cb, arg, vrrp_conf_instance_equal(m->inst, n) ?
		    CONF_DIFF_UNCHANGED : CONF_DIFF_CHANGED, m->inst, n);
	}
	arena_free(oi.arena);
	if (out != NULL)
		*out = r;
	return 0;
}

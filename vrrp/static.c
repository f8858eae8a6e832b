/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * static_ipaddress / static_routes / static_rules: the whole lists put in
 * at start, the difference applied on reload, everything taken out on
 * stop. Old and new items are matched through a hash table of the new
 * ones, so a reload of thousands of items stays linear.
 */
#include <stdlib.h>
#include <string.h>

#include "htab.h"
#include "log.h"
#include "str.h"
#include "vrrp/config.h"
#include "vrrp/iface.h"
#include "vrrp/static.h"
#include "vrrp/vip.h"

enum kind { K_ADDR, K_ROUTE, K_RULE };

struct key {
	struct htab_node node;
	enum kind kind;
	const void *item;
	size_t hash;
};

static size_t
hash_s(size_t h, const char *s)
{
	return s == NULL ? htab_hash_bytes(h, "", 1) :
	    htab_hash_bytes(h, s, strlen(s) + 1);
}

static size_t
item_hash(enum kind kind, const void *item)
{
	const struct vrrp_conf_ipaddr *a = item;
	const struct vrrp_conf_route *r = item;
	const struct vrrp_conf_rule *u = item;
	size_t h = HTAB_HASH_INIT;
	unsigned i, argc = kind == K_ROUTE ? r->argc : u->argc;
	char **argv = kind == K_ROUTE ? r->argv : u->argv;

	if (kind == K_ADDR) {
		h = htab_hash_bytes(h, &a->p, sizeof(a->p));
		return hash_s(hash_s(h, a->dev), a->label);
	}
	for (i = 0; i < argc; i++)
		h = hash_s(h, argv[i]);
	return h;
}

static int
item_eq(enum kind kind, const void *x, const void *y)
{
	const struct vrrp_conf_ipaddr *a = x, *b = y;
	const struct vrrp_conf_route *r = x, *s = y;
	const struct vrrp_conf_rule *u = x, *w = y;
	unsigned i, argc;
	char **av, **bv;

	if (kind == K_ADDR)
		return memcmp(&a->p, &b->p, sizeof(a->p)) == 0 &&
		    str_eq(a->dev, b->dev) && str_eq(a->label, b->label);
	if (kind == K_ROUTE) {
		if (r->argc != s->argc)
			return 0;
		argc = r->argc, av = r->argv, bv = s->argv;
	} else {
		if (u->argc != w->argc)
			return 0;
		argc = u->argc, av = u->argv, bv = w->argv;
	}
	for (i = 0; i < argc; i++)
		if (strcmp(av[i], bv[i]) != 0)
			return 0;
	return 1;
}

static size_t
key_hash(const struct htab_node *n)
{
	return HTAB_ENTRY(n, struct key, node)->hash;
}

static int
key_is(const struct htab_node *n, const void *k)
{
	const struct key *a = HTAB_ENTRY(n, struct key, node);
	const struct key *b = k;

	return a->kind == b->kind && item_eq(a->kind, a->item, b->item);
}

/* The interface an address goes on. 0 if unknown (logged). */
static int
addr_ifindex(const struct vrrp_ifaces *ifs, const struct vrrp_conf *c,
    const struct vrrp_conf_ipaddr *a, int quiet)
{
	const char *dev = a->dev != NULL ? a->dev : c->g.default_interface;
	const struct vrrp_iface *ifc;
	char buf[ADDR_STRLEN];

	if (dev != NULL && (ifc = vrrp_iface_by_name(ifs, dev)) != NULL)
		return ifc->index;
	if (!quiet)
		log_err("%s:%u: static address %s: no interface %s",
		    a->loc.file, a->loc.line, addr_ntop(&a->p.addr, buf,
		    sizeof(buf)), dev != NULL ? dev : "(none)");
	return 0;
}

/* item added (removed), queued in b. -1 (logged) if it has no request. */
static int
do_item(struct vrrp_kernel *k, struct vrrp_nl_batch *b,
    const struct vrrp_ifaces *ifs, const struct vrrp_conf *c, enum kind kind,
    const void *item, int add)
{
	int ifindex;

	switch (kind) {
	case K_ADDR:
		if ((ifindex = addr_ifindex(ifs, c, item, !add)) == 0)
			return add ? -1 : 0;	/* went with its link */
		return vrrp_vip_batch_add(k, b, item, ifindex, add);
	case K_ROUTE:
		return vrrp_route_batch_add(k, b, item, 0, add);
	case K_RULE:
		return vrrp_rule_batch_add(k, b, item, add);
	}
	return -1;
}

/* The item after it in its list. */
static const void *
next_of(enum kind kind, const void *it)
{
	switch (kind) {
	case K_ADDR:
		return ((const struct vrrp_conf_ipaddr *)it)->next;
	case K_ROUTE:
		return ((const struct vrrp_conf_route *)it)->next;
	case K_RULE:
		return ((const struct vrrp_conf_rule *)it)->next;
	}
	return NULL;
}

static const struct vrrp_conf_list *
list_of(const struct vrrp_conf *c, enum kind kind)
{
	return kind == K_ADDR ? &c->static_addrs : kind == K_ROUTE ?
	    &c->static_routes : &c->static_rules;
}

/* The items of one kind in old and not in new, removed. */
static int
remove_gone(struct vrrp_kernel *k, struct vrrp_nl_batch *b,
    const struct vrrp_ifaces *ifs,
    const struct vrrp_conf *old, const struct vrrp_conf *new,
    enum kind kind)
{
	const struct vrrp_conf_list *ol = list_of(old, kind);
	const struct vrrp_conf_list *nl = list_of(new, kind);
	struct htab h;
	struct key *keys, probe;
	const void *it;
	unsigned i = 0;
	int nfail = 0;

	if (ol->n == 0)
		return 0;
	if ((keys = calloc(nl->n + 1, sizeof(*keys))) == NULL) {
		log_err("static items: out of memory");
		return 1;
	}
	htab_init(&h, key_hash, NULL);
	for (it = nl->first; it != NULL && i < nl->n;
	    it = next_of(kind, it), i++) {
		keys[i].kind = kind;
		keys[i].item = it;
		keys[i].hash = item_hash(kind, it);
		htab_add(&h, &keys[i].node);
	}
	for (it = ol->first; it != NULL; it = next_of(kind, it)) {
		probe.kind = kind;
		probe.item = it;
		if (htab_find(&h, item_hash(kind, it), key_is, &probe) != NULL)
			continue;
		if (do_item(k, b, ifs, old, kind, it, 0) < 0)
			nfail++;
	}
	htab_free(&h);
	free(keys);
	return nfail;
}

static int
add_all(struct vrrp_kernel *k, struct vrrp_nl_batch *b,
    const struct vrrp_ifaces *ifs, const struct vrrp_conf *c, enum kind kind)
{
	const void *it;
	int nfail = 0;

	for (it = list_of(c, kind)->first; it != NULL; it = next_of(kind, it))
		if (do_item(k, b, ifs, c, kind, it, 1) < 0)
			nfail++;
	return nfail;
}

int
vrrp_static_apply(struct vrrp_kernel *k, const struct vrrp_ifaces *ifs,
    const struct vrrp_conf *old, const struct vrrp_conf *new)
{
	struct vrrp_nl_batch b;
	int nfail = 0;

	/* in batches, in this order: the kernel runs a batch's requests in
	 * the order they were queued */
	memset(&b, 0, sizeof(b));
	if (old != NULL) {
		nfail += remove_gone(k, &b, ifs, old, new, K_RULE);
		nfail += remove_gone(k, &b, ifs, old, new, K_ROUTE);
		nfail += remove_gone(k, &b, ifs, old, new, K_ADDR);
	}
	nfail += add_all(k, &b, ifs, new, K_ADDR);
	nfail += add_all(k, &b, ifs, new, K_ROUTE);
	nfail += add_all(k, &b, ifs, new, K_RULE);
	nfail += vrrp_nl_batch_send(k, &b);
	if (new->static_addrs.n + new->static_routes.n + new->static_rules.n
	    > 0)
		log_info("static addresses, routes, rules: %u, %u, %u in "
		    "place%s", new->static_addrs.n, new->static_routes.n,
		    new->static_rules.n, nfail > 0 ? " (some failed)" : "");
	return nfail;
}

void
vrrp_static_release(struct vrrp_kernel *k, const struct vrrp_ifaces *ifs,
    const struct vrrp_conf *conf)
{
	static const enum kind order[] = { K_RULE, K_ROUTE, K_ADDR };
	struct vrrp_nl_batch b;
	const void *it;
	size_t i;

	if (conf == NULL)
		return;
	memset(&b, 0, sizeof(b));
	for (i = 0; i < sizeof(order) / sizeof(order[0]); i++)
		for (it = list_of(conf, order[i])->first; it != NULL;
		    it = next_of(order[i], it))
			do_item(k, &b, ifs, conf, order[i], it, 0);
	vrrp_nl_batch_send(k, &b);
}

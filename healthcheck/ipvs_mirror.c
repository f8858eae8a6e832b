/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The IPVS backend's mirror of the kernel table (healthcheck/ipvs_mirror.h)
 * and the translation of desired services and destinations into kernel
 * ones (a virtual_server_group expands to one kernel service per address
 * of its ranges and per fwmark).
 */
#include "autoconfig.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "healthcheck/ipvs_mirror.h"

static size_t
svc_hash_of(const struct ipvs_svc *s)
{
	size_t h = HTAB_HASH_INIT;
	unsigned k[4] = { (unsigned)s->af, s->fwmark, 0, 0 };

	if (s->fwmark == 0) {
		k[2] = (unsigned)s->protocol;
		k[3] = s->port;
		h = addr_hash(h, &s->addr);
	}
	return htab_hash_bytes(h, k, sizeof(k));
}

static size_t
svc_hash(const struct htab_node *n)
{
	return svc_hash_of(&HTAB_ENTRY(n, struct km_svc, hnode)->have);
}

static int
svc_eq(const struct htab_node *n, const void *key)
{
	return ipvs_svc_same_id(&HTAB_ENTRY(n, struct km_svc, hnode)->have,
	    key);
}

struct dkey {
	const struct vg_addr *a;
	unsigned port;
};

static size_t
dest_hash(const struct htab_node *n)
{
	const struct km_dest *d = HTAB_ENTRY(n, struct km_dest, hnode);

	return dp_dest_hash(&d->have.addr, d->have.port);
}

static int
dest_eq(const struct htab_node *n, const void *key)
{
	const struct km_dest *d = HTAB_ENTRY(n, struct km_dest, hnode);
	const struct dkey *k = key;

	return d->have.port == k->port && addr_cmp(&d->have.addr, k->a) == 0;
}

void
km_init(struct km *m)
{
	memset(m, 0, sizeof(*m));
	htab_init(&m->svcs, svc_hash, NULL);
	TAILQ_INIT(&m->all);
	TAILQ_INIT(&m->dirty);
}

void
km_free(struct km *m)
{
	struct km_svc *s;

	while ((s = TAILQ_FIRST(&m->all)) != NULL)
		km_svc_free(m, s);
	htab_free(&m->svcs);
}

struct km_svc *
km_svc_find(struct km *m, const struct ipvs_svc *id)
{
	struct htab_node *n = htab_find(&m->svcs, svc_hash_of(id), svc_eq, id);

	return n != NULL ? HTAB_ENTRY(n, struct km_svc, hnode) : NULL;
}

struct km_svc *
km_svc_get(struct km *m, const struct ipvs_svc *id)
{
	struct km_svc *s = km_svc_find(m, id);

	if (s != NULL)
		return s;
	if ((s = calloc(1, sizeof(*s))) == NULL)
		return NULL;
	/* identity only: the key of the hash */
	s->have.af = id->af;
	s->have.fwmark = id->fwmark;
	if (id->fwmark == 0) {
		s->have.protocol = id->protocol;
		s->have.addr = id->addr;
		s->have.port = id->port;
	}
	s->want = s->have;
	htab_init(&s->dests, dest_hash, NULL);
	TAILQ_INIT(&s->dirty_dests);
	if (htab_add(&m->svcs, &s->hnode) < 0) {
		free(s);
		return NULL;
	}
	TAILQ_INSERT_TAIL(&m->all, s, link);
	m->nsvcs++;
	return s;
}

void
km_svc_free(struct km *m, struct km_svc *s)
{
	struct htab_iter it;
	struct htab_node *n, *next;

	for (n = htab_first(&s->dests, &it); n != NULL; n = next) {
		struct km_dest *d = HTAB_ENTRY(n, struct km_dest, hnode);

		next = htab_next(&s->dests, &it);
		free(d->st);
		free(d);
	}
	m->ndests -= s->ndests;
	htab_free(&s->dests);
	if (s->dirty)
		TAILQ_REMOVE(&m->dirty, s, dlink);
	TAILQ_REMOVE(&m->all, s, link);
	htab_del(&m->svcs, &s->hnode);
	m->nsvcs--;
	free(s);
}

void
km_svc_dirty(struct km *m, struct km_svc *s)
{
	if (s->dirty)
		return;
	s->dirty = 1;
	TAILQ_INSERT_TAIL(&m->dirty, s, dlink);
}

struct km_dest *
km_dest_find(struct km_svc *s, const struct vg_addr *a, unsigned port)
{
	struct dkey k = { a, port };
	struct htab_node *n = htab_find(&s->dests, dp_dest_hash(a, port),
	    dest_eq, &k);

	return n != NULL ? HTAB_ENTRY(n, struct km_dest, hnode) : NULL;
}

struct km_dest *
km_dest_get(struct km *m, struct km_svc *s, const struct vg_addr *a,
    unsigned port)
{
	struct km_dest *d = km_dest_find(s, a, port);

	if (d != NULL)
		return d;
	if ((d = calloc(1, sizeof(*d))) == NULL)
		return NULL;
	d->have.addr = *a;
	d->have.port = port;
	d->want = d->have;
	if (htab_add(&s->dests, &d->hnode) < 0) {
		free(d);
		return NULL;
	}
	s->ndests++;
	m->ndests++;
	return d;
}

void
km_dest_free(struct km *m, struct km_svc *s, struct km_dest *d)
{
	if (d->dirty)
		TAILQ_REMOVE(&s->dirty_dests, d, dlink);
	htab_del(&s->dests, &d->hnode);
	s->ndests--;
	m->ndests--;
	free(d->st);
	free(d);
}

void
km_dest_dirty(struct km *m, struct km_svc *s, struct km_dest *d)
{
	if (!d->dirty) {
		d->dirty = 1;
		TAILQ_INSERT_TAIL(&s->dirty_dests, d, dlink);
	}
	km_svc_dirty(m, s);
}

int
km_svc_same(const struct ipvs_svc *a, const struct ipvs_svc *b)
{
	unsigned mask = ~(unsigned)(IPVS_SVC_HASHED | IPVS_SVC_PERSISTENT);

	return strcmp(a->sched, b->sched) == 0 && strcmp(a->pe, b->pe) == 0 &&
	    (a->flags & mask) == (b->flags & mask) &&
	    a->timeout == b->timeout &&
	    (a->timeout == 0 || ipvs_svc_netmask(a) == ipvs_svc_netmask(b));
}

int
km_dest_same(const struct ipvs_dest *a, const struct ipvs_dest *b)
{
	if (a->fwd != b->fwd || a->weight != b->weight ||
	    a->u_thresh != b->u_thresh || a->l_thresh != b->l_thresh)
		return 0;
	return a->fwd != IPVS_FWD_TUN || (a->tun_type == b->tun_type &&
	    a->tun_port == b->tun_port && a->tun_flags == b->tun_flags);
}

/* ---- desired -> kernel ---------------------------------------------------- */

static void
svc_settings(struct ipvs_svc *k, const struct dp_service *ds, int af)
{
	snprintf(k->sched, sizeof(k->sched), "%s",
	    ds->sched[0] != '\0' ? ds->sched : "wlc");
	snprintf(k->pe, sizeof(k->pe), "%s", ds->pe);
	if (ds->flags & CHK_VS_F_ONEPACKET)
		k->flags |= IPVS_SVC_ONEPACKET;
	if (ds->flags & CHK_VS_F_FLAG1)
		k->flags |= IPVS_SVC_SCHED1;
	if (ds->flags & CHK_VS_F_FLAG2)
		k->flags |= IPVS_SVC_SCHED2;
	if (ds->flags & CHK_VS_F_FLAG3)
		k->flags |= IPVS_SVC_SCHED3;
	k->timeout = ds->persistence_timeout;
	if (k->timeout != 0)
		k->flags |= IPVS_SVC_PERSISTENT;
	if (af == AF_INET6)
		k->netmask = ds->persistence_prefix ? ds->persistence_prefix :
		    128;
	else
		k->netmask = ds->persistence_mask.family == AF_INET ?
		    ds->persistence_mask.u.v4.s_addr : 0xffffffffu;
}

/* a + 1; 0 when it wrapped */
static int
addr_next(struct vg_addr *a)
{
	if (a->family == AF_INET) {
		uint32_t v = ntohl(a->u.v4.s_addr) + 1;

		a->u.v4.s_addr = htonl(v);
		return v != 0;
	}
	for (int i = 15; i >= 0; i--)
		if (++a->u.v6.s6_addr[i] != 0)
			return 1;
	return 0;
}

int
km_expand(const struct dp_service *ds,
    int (*fn)(void *arg, const struct ipvs_svc *s), void *arg)
{
	struct ipvs_svc k;
	int n = 0;

	if (ds->kind != CHK_VS_GROUP) {
		memset(&k, 0, sizeof(k));
		k.af = ds->family ? ds->family : AF_INET;
		if (ds->kind == CHK_VS_FWMARK) {
			k.fwmark = ds->fwmark;
		} else {
			k.protocol = ds->protocol;
			k.addr = ds->addr;
			k.port = ds->port;
		}
		svc_settings(&k, ds, k.af);
		return fn(arg, &k) < 0 ? -1 : 1;
	}
	if (ds->group == NULL)
		return 0;
	for (const struct chk_conf_vsg_entry *e = ds->group->entries; e != NULL;
	    e = e->next) {
		memset(&k, 0, sizeof(k));
		if (e->is_fwmark) {
			k.af = e->family ? e->family : ds->family ? ds->family :
			    AF_INET;
			k.fwmark = e->fwmark;
			svc_settings(&k, ds, k.af);
			if (fn(arg, &k) < 0)
				return -1;
			n++;
			continue;
		}
		k.af = e->lo.family;
		k.protocol = ds->protocol;
		k.port = e->port;
		k.addr = e->lo;
		svc_settings(&k, ds, k.af);
		for (int more = 1; more && n < KM_EXPAND_MAX; n++) {
			struct ipvs_svc one = k;

			if (fn(arg, &one) < 0)
				return -1;
			more = addr_cmp(&k.addr, &e->hi) < 0 && addr_next(&k.addr);
		}
	}
	return n;
}

void
km_dest_from(struct ipvs_dest *d, const struct dp_dest *dd)
{
	memset(d, 0, sizeof(*d));
	d->addr = dd->addr;
	d->port = dd->port;
	d->weight = dd->weight;
	d->u_thresh = dd->uthreshold;
	d->l_thresh = dd->lthreshold;
	switch (dd->fwd.method) {
	case CHK_FWD_DR:
		d->fwd = IPVS_FWD_DR;
		break;
	case CHK_FWD_TUN:
		d->fwd = IPVS_FWD_TUN;
		d->tun_type = dd->fwd.tun_type == CHK_TUN_GUE ? IPVS_TUN_GUE :
		    dd->fwd.tun_type == CHK_TUN_GRE ? IPVS_TUN_GRE :
		    IPVS_TUN_IPIP;
		d->tun_port = dd->fwd.tun_port;
		d->tun_flags = dd->fwd.tun_csum == CHK_CSUM ? IPVS_TUN_CSUM :
		    dd->fwd.tun_csum == CHK_CSUM_REMOTE ? IPVS_TUN_REMCSUM : 0;
		break;
	default:
		d->fwd = IPVS_FWD_NAT;
		break;
	}
}

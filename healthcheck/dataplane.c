/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The desired data-plane table (healthcheck/dataplane.h): services by
 * identity, their destinations by (address, port), and the changes not
 * yet handed to the backend. A call that leaves the table as it was makes
 * no change.
 */
#include "autoconfig.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>

#include "healthcheck/dataplane.h"
#include "htab.h"
#include "log.h"

/* Pending changes kept allocated between commits, at most. */
#define DP_KEEP_PENDING 1024

/* 56 bytes, a 64-byte heap chunk (one per real server in the table):
 * only in its service's index, which the dump sorts */
struct dp_destent {
	struct htab_node hnode;
	struct dp_dest d;
};

struct dp_svc {
	struct htab_node hnode;
	TAILQ_ENTRY(dp_svc) link;
	struct dp_service s;
	struct htab dests;
	size_t ndests;
	int deleted;		/* freed at the next commit */
};
TAILQ_HEAD(dp_svclist, dp_svc);

struct dp_table {
	const struct dp_backend_ops *ops;
	void *backend;
	struct htab svcs;		/* by name */
	struct dp_svclist list;
	size_t nsvcs, ndests;
	/* the changes since the last commit, as the backend takes them
	 * (chg), and the destination each names, copied (pdest: chg[i]'s
	 * dest is &pdest[i] once the commit fixes the array) */
	struct dp_change *chg;
	struct dp_dest *pdest;
	size_t npend, cap;
	int hold;			/* dp_table_hold() */
};

static size_t
svc_hash(const struct htab_node *n)
{
	return htab_hash_str(HTAB_ENTRY(n, struct dp_svc, hnode)->s.name);
}

static int
svc_eq(const struct htab_node *n, const void *key)
{
	const struct dp_svc *s = HTAB_ENTRY(n, struct dp_svc, hnode);

	return !s->deleted && strcmp(s->s.name, key) == 0;
}

struct dest_key {
	const struct vg_addr *addr;
	unsigned port;
};

size_t
dp_dest_hash(const struct vg_addr *a, unsigned port)
{
	return htab_hash_bytes(addr_hash(HTAB_HASH_INIT, a), &port,
	    sizeof(port));
}

static size_t
dest_hash(const struct htab_node *n)
{
	const struct dp_destent *e = HTAB_ENTRY(n, struct dp_destent, hnode);

	return dp_dest_hash(&e->d.addr, e->d.port);
}

static int
dest_eq(const struct htab_node *n, const void *key)
{
	const struct dp_destent *e = HTAB_ENTRY(n, struct dp_destent, hnode);
	const struct dest_key *k = key;

	return e->d.port == k->port && addr_cmp(&e->d.addr, k->addr) == 0;
}

struct dp_table *
dp_table_new(const struct dp_backend_ops *ops, struct event_base *base)
{
	struct dp_table *t = calloc(1, sizeof(*t));

	if (t == NULL)
		return NULL;
	t->ops = ops;
	htab_init(&t->svcs, svc_hash, NULL);
	TAILQ_INIT(&t->list);
	if (ops->open != NULL && (t->backend = ops->open(base)) == NULL) {
		free(t);
		return NULL;
	}
	return t;
}

static void
svc_free(struct dp_svc *s)
{
	struct htab_iter it;
	struct htab_node *n;

	/* the node last returned may go before the next call */
	for (n = htab_first(&s->dests, &it); n != NULL;
	    n = htab_next(&s->dests, &it))
		free(HTAB_ENTRY(n, struct dp_destent, hnode));
	htab_free(&s->dests);
	free(s);
}

void
dp_table_free(struct dp_table *t, int flush)
{
	struct dp_svc *s;

	if (t == NULL)
		return;
	if (t->ops->close != NULL)
		t->ops->close(t->backend, flush);
	while ((s = TAILQ_FIRST(&t->list)) != NULL) {
		TAILQ_REMOVE(&t->list, s, link);
		svc_free(s);
	}
	htab_free(&t->svcs);
	free(t->chg);
	free(t->pdest);
	free(t);
}

static void
pend(struct dp_table *t, enum dp_op op, struct dp_svc *svc,
    const struct dp_dest *d, int old_weight)
{
	struct dp_change *c;

	if (t->npend == t->cap) {
		size_t cap = t->cap == 0 ? 64 : t->cap * 2;
		void *n = realloc(t->chg, cap * sizeof(*t->chg));

		if (n != NULL) {
			t->chg = n;
			n = realloc(t->pdest, cap * sizeof(*t->pdest));
		}
		if (n == NULL) {
			log_err("desired table: out of memory; a change is "
			    "lost until the next resync");
			return;
		}
		t->pdest = n;
		t->cap = cap;
	}
	c = &t->chg[t->npend];
	c->op = op;
	c->svc = &svc->s;
	c->dest = NULL;		/* the commit points it at pdest */
	c->old_weight = old_weight;
	if (d != NULL)
		t->pdest[t->npend] = *d;
	else
		memset(&t->pdest[t->npend], 0, sizeof(*t->pdest));
	t->npend++;
}

static int
service_same(const struct dp_service *a, const struct dp_service *b)
{
	return strcmp(a->sched, b->sched) == 0 && a->flags == b->flags &&
	    a->persistence_timeout == b->persistence_timeout &&
	    a->persistence_prefix == b->persistence_prefix &&
	    addr_cmp(&a->persistence_mask, &b->persistence_mask) == 0 &&
	    strcmp(a->pe, b->pe) == 0 &&
	    (a->group == NULL) == (b->group == NULL);
}

struct dp_svc *
dp_svc_set(struct dp_table *t, const struct dp_service *s)
{
	struct htab_node *n = htab_find(&t->svcs, htab_hash_str(s->name),
	    svc_eq, s->name);
	struct dp_svc *svc;

	if (n != NULL) {
		svc = HTAB_ENTRY(n, struct dp_svc, hnode);
		if (!service_same(&svc->s, s)) {
			svc->s = *s;
			pend(t, DP_SVC_EDIT, svc, NULL, 0);
		}
		svc->s.group = s->group;
		return svc;
	}
	if ((svc = calloc(1, sizeof(*svc))) == NULL)
		return NULL;
	svc->s = *s;
	htab_init(&svc->dests, dest_hash, NULL);
	if (htab_add(&t->svcs, &svc->hnode) < 0) {
		free(svc);
		return NULL;
	}
	TAILQ_INSERT_TAIL(&t->list, svc, link);
	t->nsvcs++;
	pend(t, DP_SVC_ADD, svc, NULL, 0);
	return svc;
}

void
dp_svc_del(struct dp_table *t, struct dp_svc *svc)
{
	if (svc == NULL || svc->deleted)
		return;
	htab_del(&t->svcs, &svc->hnode);
	svc->deleted = 1;
	t->nsvcs--;
	t->ndests -= svc->ndests;
	pend(t, DP_SVC_DEL, svc, NULL, 0);
}

static struct dp_destent *
dest_find(const struct dp_svc *svc, const struct vg_addr *addr,
    unsigned port)
{
	struct dest_key k = { addr, port };
	struct htab_node *n = htab_find(&svc->dests, dp_dest_hash(addr, port),
	    dest_eq, &k);

	return n != NULL ? HTAB_ENTRY(n, struct dp_destent, hnode) : NULL;
}

const struct dp_dest *
dp_dest_get(const struct dp_table *t, const struct dp_svc *svc,
    const struct vg_addr *addr, unsigned port)
{
	const struct dp_destent *e;

	(void)t;
	e = svc != NULL ? dest_find(svc, addr, port) : NULL;
	return e != NULL ? &e->d : NULL;
}

static int
dest_same(const struct dp_dest *a, const struct dp_dest *b)
{
	return a->weight == b->weight && a->fwd.method == b->fwd.method &&
	    a->fwd.tun_type == b->fwd.tun_type &&
	    a->fwd.tun_port == b->fwd.tun_port &&
	    a->fwd.tun_csum == b->fwd.tun_csum &&
	    a->uthreshold == b->uthreshold &&
	    a->lthreshold == b->lthreshold && a->sorry == b->sorry;
}

int
dp_dest_set(struct dp_table *t, struct dp_svc *svc, const struct dp_dest *d)
{
	struct dp_destent *e;
	int old;

	if (svc == NULL || svc->deleted)
		return -1;
	if ((e = dest_find(svc, &d->addr, d->port)) != NULL) {
		if (dest_same(&e->d, d))
			return 0;
		old = e->d.weight;
		e->d = *d;
		pend(t, DP_DEST_EDIT, svc, d, old);
		return 0;
	}
	if ((e = calloc(1, sizeof(*e))) == NULL)
		return -1;
	e->d = *d;
	if (htab_add(&svc->dests, &e->hnode) < 0) {
		free(e);
		return -1;
	}
	svc->ndests++;
	t->ndests++;
	pend(t, DP_DEST_ADD, svc, d, 0);
	return 0;
}

void
dp_dest_del(struct dp_table *t, struct dp_svc *svc,
    const struct vg_addr *addr, unsigned port)
{
	struct dp_destent *e;

	if (svc == NULL || svc->deleted ||
	    (e = dest_find(svc, addr, port)) == NULL)
		return;
	htab_del(&svc->dests, &e->hnode);
	svc->ndests--;
	t->ndests--;
	pend(t, DP_DEST_DEL, svc, &e->d, 0);
	free(e);
}

void
dp_table_config(struct dp_table *t, const struct chk_conf *c)
{
	if (t->ops->config != NULL && !t->hold)
		t->ops->config(t->backend, c);
}

int
dp_stats_available(const struct dp_table *t)
{
	return t->backend != NULL && t->ops->stats_begin != NULL &&
	    t->ops->stats_read != NULL && t->ops->counters != NULL;
}

int
dp_stats_begin(struct dp_table *t)
{
	return dp_stats_available(t) ? t->ops->stats_begin(t->backend) : -1;
}

int
dp_stats_read(struct dp_table *t, const struct dp_svc *svc)
{
	if (!dp_stats_available(t) || svc == NULL || svc->deleted)
		return 0;
	return t->ops->stats_read(t->backend, &svc->s);
}

int
dp_counters_get(const struct dp_table *t, const struct dp_svc *svc,
    const struct vg_addr *addr, unsigned port, struct dp_counters *c)
{
	memset(c, 0, sizeof(*c));
	if (!dp_stats_available(t) || svc == NULL || svc->deleted)
		return 0;
	return t->ops->counters(t->backend, &svc->s, addr, port, c);
}

void
dp_table_hold(struct dp_table *t)
{
	t->hold = 1;
}

size_t
dp_commit(struct dp_table *t)
{
	size_t n = t->npend, i;
	struct dp_svc *s, *next;

	if (n == 0)
		return 0;
	/* the changes were queued as the backend takes them: no copy of
	 * 110,000 of them at a start */
	for (i = 0; i < n; i++)
		t->chg[i].dest = &t->pdest[i];
	if (t->ops->apply != NULL && !t->hold)
		(void)t->ops->apply(t->backend, t->chg, n);
	t->npend = 0;
	/* a start or reload of many destinations grew them: give that
	 * back (steady state commits a few changes at a time) */
	if (t->cap > DP_KEEP_PENDING) {
		free(t->chg);
		free(t->pdest);
		t->chg = NULL;
		t->pdest = NULL;
		t->cap = 0;
	}
	/* services deleted since the last commit go now */
	for (s = TAILQ_FIRST(&t->list); s != NULL; s = next) {
		next = TAILQ_NEXT(s, link);
		if (s->deleted) {
			TAILQ_REMOVE(&t->list, s, link);
			svc_free(s);
		}
	}
	return n;
}

static void
dest_print(FILE *fp, const struct dp_dest *d)
{
	char a[ADDR_STRLEN];

	fprintf(fp, "   -> [%s]:%u weight %d%s%s\n", addr_ntop(&d->addr, a,
	    sizeof(a)), d->port, d->weight, d->sorry ? " (sorry server)" : "",
	    d->weight == 0 ? " (inhibited)" : "");
}

static int
dest_order(const void *a, const void *b)
{
	const struct dp_dest *x = *(const struct dp_dest *const *)a;
	const struct dp_dest *y = *(const struct dp_dest *const *)b;
	int r = addr_cmp(&x->addr, &y->addr);

	if (r != 0)
		return r;
	return x->port < y->port ? -1 : x->port > y->port;
}

/* s's destinations by address and port (in the index's order when out
 * of memory) */
static void
svc_dump(const struct dp_svc *s, FILE *fp)
{
	const struct dp_dest **v = s->ndests > 0 ?
	    malloc(s->ndests * sizeof(*v)) : NULL;
	struct htab_iter it;
	struct htab_node *n;
	size_t i = 0;

	for (n = htab_first(&s->dests, &it); n != NULL;
	    n = htab_next(&s->dests, &it)) {
		const struct dp_dest *d = &HTAB_ENTRY(n, struct dp_destent,
		    hnode)->d;

		if (v == NULL)
			dest_print(fp, d);
		else if (i < s->ndests)
			v[i++] = d;
	}
	if (v == NULL)
		return;
	qsort(v, i, sizeof(*v), dest_order);
	for (size_t k = 0; k < i; k++)
		dest_print(fp, v[k]);
	free(v);
}

void
dp_table_dump(const struct dp_table *t, FILE *fp)
{
	const struct dp_svc *s;

	fprintf(fp, " Desired table (backend %s): %zu service(s), %zu "
	    "destination(s)\n", t->ops->name, t->nsvcs, t->ndests);
	TAILQ_FOREACH(s, &t->list, link) {
		if (s->deleted)
			continue;
		fprintf(fp, "  %s %s\n", s->s.name, s->s.sched);
		svc_dump(s, fp);
	}
	if (t->ops->dump != NULL)
		t->ops->dump(t->backend, fp);
}

void
dp_table_count(const struct dp_table *t, size_t *svcs, size_t *dests)
{
	*svcs = t->nsvcs;
	*dests = t->ndests;
}

void
dp_service_from_conf(struct dp_service *s, const struct chk_vs_conf *vs)
{
	memset(s, 0, sizeof(*s));
	s->kind = vs->kind;
	s->protocol = vs->protocol;
	s->family = vs->family;
	s->addr = vs->addr;
	s->port = vs->port;
	s->fwmark = vs->fwmark;
	s->group = vs->group;
	memcpy(s->sched, vs->sched, sizeof(s->sched));
	s->flags = vs->flags;
	s->persistence_timeout = vs->persistence_timeout;
	s->persistence_mask = vs->persistence_mask;
	s->persistence_prefix = vs->persistence_prefix;
	if (vs->persistence_engine != NULL)
		snprintf(s->pe, sizeof(s->pe), "%s", vs->persistence_engine);
	chk_conf_vs_name(vs, s->name, sizeof(s->name));
}

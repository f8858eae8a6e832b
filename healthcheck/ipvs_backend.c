/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The IPVS data-plane backend: makes the kernel's IPVS table match the
 * desired one through lib/ipvs, by difference.
 *
 * open reads the kernel table. The services the configuration names are
 * vigil's: one already in the kernel is adopted (its settings edited if
 * they differ, its destinations kept when desired and removed when not),
 * a missing one added; nothing is flushed or deleted and re-added. The
 * others are left alone (logged once) unless lvs_flush. Each change set
 * updates what is wanted and marks it dirty; a sync sends the dirty
 * entries as one batch. A request the kernel refuses is logged with its
 * service and the kernel's error and stays dirty: it is tried again with
 * the next change set, never in a loop; a service the kernel no longer
 * holds (ESRCH: removed by hand) is added back then with every desired
 * destination. close removes vigil's services
 * when told to (vigild stopping without -I); lvs_flush_on_stop empties
 * the whole table. lvs_timeouts are set as keepalived 2.2.7 sets them:
 * the kernel's are read before the first, and a timeout a configuration
 * leaves out (all of them once lvs_timeouts is gone) is set back to its
 * value from then.
 */
#include "autoconfig.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "healthcheck/ipvs_backend.h"
#include "healthcheck/ipvs_mirror.h"
#include "healthcheck/lograte.h"
#include "log.h"

#define IPVS_LOG_SVC_MAX 32	/* services of a batch logged at info */
#define IPVS_LOG_SVC_MAX_S "32"

struct req {
	struct km_svc *s;
	struct km_dest *d;		/* NULL: a service request */
	enum ipvs_op op;
	int err;
};

struct dp_ipvs {
	struct ipvs *v;
	struct km km;
	struct req *reqs;
	size_t nreqs, reqcap;
	int flush_on_stop;		/* lvs_flush_on_stop: 1 whole table */
	int configured;
	struct ipvs_timeouts timeouts;	/* last set */
	/* the kernel's before the first lvs_timeouts, read then: a timeout
	 * the configuration leaves out goes back to it, as keepalived's */
	struct ipvs_timeouts orig;
	int have_orig;
	unsigned long long sent, failed, syncs, adopted;
	size_t svc_logged;		/* services logged at info this batch */
	size_t done[2][3];		/* this batch: [service, dest][op] */
	unsigned long st_round;		/* counters: the round being read */
	int st_err;			/* its last error, logged once */
	unsigned long long st_rounds, st_requests;
};

int
dp_ipvs_available(void)
{
	int err;
	struct ipvs *v = ipvs_open(&err);

	ipvs_close(v);
	return v != NULL ? 0 : err;
}

/* ---- reading the kernel at open ------------------------------------------ */

static int
load_dest(void *arg, const struct ipvs_svc *ks, const struct ipvs_dest *kd,
    const struct ipvs_dest_stats *st)
{
	struct dp_ipvs *b = arg;
	struct km_svc *s = km_svc_find(&b->km, ks);
	struct km_dest *d;

	if (s == NULL || (d = km_dest_get(&b->km, s, &kd->addr,
	    kd->port)) == NULL)
		return -ENOMEM;
	(void)st;
	d->have = d->want = *kd;
	d->in_kernel = 1;
	return 0;
}

static int
load_svc(void *arg, const struct ipvs_svc *ks)
{
	struct dp_ipvs *b = arg;
	struct km_svc *s = km_svc_get(&b->km, ks);

	if (s == NULL)
		return -ENOMEM;
	s->have = s->want = *ks;
	s->in_kernel = 1;
	return 0;
}

static int
load(struct dp_ipvs *b)
{
	struct km_svc *s;
	int r;

	if ((r = ipvs_dump_svcs(b->v, load_svc, b)) < 0)
		return r;
	TAILQ_FOREACH(s, &b->km.all, link)
		if ((r = ipvs_dump_dests(b->v, &s->have, load_dest, b)) < 0)
			return r;
	return 0;
}

static void dp_ipvs_close(void *p, int flush);

static void *
dp_ipvs_open(struct event_base *base)
{
	struct dp_ipvs *b = calloc(1, sizeof(*b));
	int err;

	(void)base;
	if (b == NULL)
		return NULL;
	km_init(&b->km);
	if ((b->v = ipvs_open(&err)) == NULL) {
		log_err("IPVS: cannot open the kernel's IPVS netlink family: %s",
		    strerror(-err));
		dp_ipvs_close(b, 0);
		return NULL;
	}
	if ((err = load(b)) < 0) {
		log_err("IPVS: cannot read the kernel table: %s",
		    strerror(-err));
		dp_ipvs_close(b, 0);
		return NULL;
	}
	log_info("IPVS: the kernel holds %zu service(s), %zu destination(s)",
	    b->km.nsvcs, b->km.ndests);
	return b;
}

/* ---- applying changes ----------------------------------------------------- */

struct svc_ctx {
	struct dp_ipvs *b;
	const struct dp_change *c;
	struct ipvs_dest kd;
};

/* A desired service names this kernel service (DP_SVC_ADD / EDIT). */
static int
want_svc(void *arg, const struct ipvs_svc *ks)
{
	struct svc_ctx *x = arg;
	struct km *m = &x->b->km;
	struct km_svc *s = km_svc_get(m, ks);
	struct htab_iter it;
	struct htab_node *n;

	if (s == NULL)
		return -1;
	if (!s->ours && s->in_kernel) {
		/* adopt: its destinations stay only if they are desired */
		char name[IPVS_SVC_NAME_LEN];

		log_info("IPVS: %s: adopting %s with %zu destination(s) from "
		    "the kernel", x->c->svc->name, ipvs_svc_name(ks, name,
		    sizeof(name)), s->ndests);
		x->b->adopted++;
		for (n = htab_first(&s->dests, &it); n != NULL;
		    n = htab_next(&s->dests, &it)) {
			struct km_dest *d = HTAB_ENTRY(n, struct km_dest, hnode);

			d->want_present = 0;
			km_dest_dirty(m, s, d);
		}
	}
	s->ours = 1;
	s->named = 1;
	snprintf(s->owner, sizeof(s->owner), "%s", x->c->svc->name);
	s->want = *ks;
	s->want_present = 1;
	km_svc_dirty(m, s);
	return 0;
}

/* A destination change on this kernel service. */
static int
want_dest(void *arg, const struct ipvs_svc *ks)
{
	struct svc_ctx *x = arg;
	struct km *m = &x->b->km;
	struct km_svc *s = km_svc_find(m, ks);
	struct km_dest *d;
	struct ipvs_dest kd = x->kd;

	if (s == NULL || !s->ours)
		return 0;	/* its service is not ours: leave it */
	/* a group's DR / TUN destination takes each entry's port, none on
	 * its fwmarks, as keepalived 2.2.7's ipvs_group_cmd sends it (the
	 * kernel keeps any port it is given); elsewhere the desired table
	 * has the port already (chk_conf_ipvs_port(): a fwmark service's
	 * NAT one keeps the port written) */
	if (x->c->svc->group != NULL && kd.fwd != IPVS_FWD_NAT)
		kd.port = ks->port;
	if (x->c->op == DP_DEST_DEL) {
		if ((d = km_dest_find(s, &kd.addr, kd.port)) != NULL) {
			d->want_present = 0;
			km_dest_dirty(m, s, d);
		}
		return 0;
	}
	if ((d = km_dest_get(m, s, &kd.addr, kd.port)) == NULL)
		return -1;
	d->want = kd;
	d->want_present = 1;
	km_dest_dirty(m, s, d);
	return 0;
}

/* A service the desired one named is no longer wanted. */
static int
drop_one(void *arg, const struct ipvs_svc *ks)
{
	struct svc_ctx *x = arg;
	struct km_svc *s = km_svc_find(&x->b->km, ks);

	if (s != NULL && s->ours && strcmp(s->owner, x->c->svc->name) == 0) {
		s->want_present = 0;
		km_svc_dirty(&x->b->km, s);
	}
	return 0;
}

/* Every kernel service a group named (edited or removed: its old
 * entries are no longer at hand). */
static void
drop_owned(struct dp_ipvs *b, const char *owner)
{
	struct km_svc *s;

	TAILQ_FOREACH(s, &b->km.all, link) {
		if (!s->ours || strcmp(s->owner, owner) != 0)
			continue;
		s->want_present = 0;
		km_svc_dirty(&b->km, s);
	}
}

static void
one_change(struct dp_ipvs *b, const struct dp_change *c)
{
	struct svc_ctx x = { b, c, { .port = 0 } };
	int r = 0;

	switch (c->op) {
	case DP_SVC_ADD:
	case DP_SVC_EDIT:
		if (c->svc->kind == CHK_VS_GROUP)
			drop_owned(b, c->svc->name);
		r = km_expand(c->svc, want_svc, &x);
		break;
	case DP_SVC_DEL:
		if (c->svc->kind == CHK_VS_GROUP)
			drop_owned(b, c->svc->name);
		else
			(void)km_expand(c->svc, drop_one, &x);
		break;
	case DP_DEST_ADD:
	case DP_DEST_EDIT:
	case DP_DEST_DEL:
		km_dest_from(&x.kd, c->dest);
		r = km_expand(c->svc, want_dest, &x);
		break;
	}
	if (r < 0)
		log_err("IPVS: %s: out of memory; the change waits for the next "
		    "one", c->svc->name);
}

/* ---- sync: dirty entries to the kernel in one batch ------------------------- */

static int
req_add(struct dp_ipvs *b, struct km_svc *s, struct km_dest *d,
    enum ipvs_op op)
{
	int r;

	if (b->nreqs == b->reqcap) {
		size_t cap = b->reqcap ? b->reqcap * 2 : 256;
		struct req *n = realloc(b->reqs, cap * sizeof(*n));

		if (n == NULL)
			return -ENOMEM;
		b->reqs = n;
		b->reqcap = cap;
	}
	r = d == NULL ? ipvs_q_svc(b->v, op, &s->want) :
	    ipvs_q_dest(b->v, op, &s->want, op == IPVS_DEL ? &d->have :
	    &d->want);
	if (r < 0)
		return r;
	b->reqs[b->nreqs++] = (struct req){ s, d, op, 0 };
	return 0;
}

static void
on_err(void *arg, size_t idx, int err)
{
	struct dp_ipvs *b = arg;

	if (idx < b->nreqs)
		b->reqs[idx].err = err;
}

static void
queue_svc(struct dp_ipvs *b, struct km_svc *s)
{
	struct km_dest *d, *next;
	int r = 0;

	if (!s->want_present) {
		if (s->in_kernel)
			r = req_add(b, s, NULL, IPVS_DEL);
		goto out;
	}
	if (!s->in_kernel)
		r = req_add(b, s, NULL, IPVS_ADD);
	else if (!km_svc_same(&s->want, &s->have))
		r = req_add(b, s, NULL, IPVS_EDIT);
	for (d = TAILQ_FIRST(&s->dirty_dests); d != NULL && r == 0; d = next) {
		next = TAILQ_NEXT(d, dlink);
		if (d->want_present && !d->in_kernel)
			r = req_add(b, s, d, IPVS_ADD);
		else if (d->want_present && !km_dest_same(&d->want, &d->have))
			r = req_add(b, s, d, IPVS_EDIT);
		else if (!d->want_present && d->in_kernel)
			r = req_add(b, s, d, IPVS_DEL);
		else if (!d->want_present)
			km_dest_free(&b->km, s, d);
		else {
			TAILQ_REMOVE(&s->dirty_dests, d, dlink);
			d->dirty = 0;
		}
	}
out:
	if (r < 0)
		log_err("IPVS: %s: cannot queue a request: %s", s->owner,
		    strerror(-r));
}

static void
log_fail(const struct req *q, int svc_failed)
{
	static const char *const verb[] = { "add", "edit", "remove" };
	char name[IPVS_SVC_NAME_LEN], a[ADDR_STRLEN];
	const struct km_svc *s = q->s;

	ipvs_svc_name(&s->want, name, sizeof(name));
	if (q->d == NULL) {
		log_err("IPVS: %s (%s): %s service (scheduler %s): %s; retried "
		    "with the next change", s->owner[0] ? s->owner : name, name,
		    verb[q->op], s->want.sched, strerror(-q->err));
	} else if (!svc_failed && chk_log_allow(CHK_LOG_DESIRED)) {
		log_err("IPVS: %s (%s): %s [%s]:%u weight %d: %s; retried with "
		    "the next change", s->owner[0] ? s->owner : name, name,
		    verb[q->op], addr_ntop(&q->d->want.addr, a, sizeof(a)),
		    q->d->want.port, q->d->want.weight, strerror(-q->err));
	}
}

/*
 * A request done: counted for the batch's line; the first
 * IPVS_LOG_SVC_MAX services of a batch are logged at info, the others and
 * every destination at debug (a start of 10,000 services wrote 10,000
 * lines, each a write the kernel part waited for).
 */
static void
log_ok(struct dp_ipvs *b, const struct req *q)
{
	static const char *const done[] = { "added", "edited", "removed" };
	char name[IPVS_SVC_NAME_LEN], a[ADDR_STRLEN];
	const struct km_svc *s = q->s;
	int prio = LOG_DEBUG;

	b->done[q->d != NULL][q->op]++;
	if (q->d == NULL && b->svc_logged < IPVS_LOG_SVC_MAX) {
		b->svc_logged++;
		prio = LOG_INFO;
	}
	if (prio == LOG_DEBUG && log_detail() < 1)
		return;
	ipvs_svc_name(&s->want, name, sizeof(name));
	if (q->d == NULL)
		log_msg(prio, "IPVS: %s (%s): service %s (scheduler %s)",
		    s->owner[0] ? s->owner : name, name, done[q->op],
		    s->want.sched);
	else
		log_debug("IPVS: %s (%s): [%s]:%u weight %d %s", s->owner[0] ?
		    s->owner : name, name, addr_ntop(&q->d->want.addr, a,
		    sizeof(a)), q->d->want.port, q->d->want.weight,
		    done[q->op]);
}

/* The batch's line: its requests, and what was done when more than one. */
static void
log_batch(struct dp_ipvs *b)
{
	static const char *const verb[] = { "added", "edited", "removed" };
	char what[160] = "";
	size_t n = 0, svc_ok = 0;

	for (int k = 0; k < 2; k++)
		for (int op = 0; op < 3; op++) {
			if (b->done[k][op] == 0)
				continue;
			if (k == 0)
				svc_ok += b->done[k][op];
			n += (size_t)snprintf(what + n, sizeof(what) - n,
			    "%s%zu %s %s", n ? ", " : ": ", b->done[k][op],
			    k ? "destination(s)" : "service(s)", verb[op]);
			if (n >= sizeof(what))
				n = sizeof(what) - 1;
		}
	/* what a start or reload cost the kernel (bench/ipvs-sync counts
	 * them); a health change's single request: debug */
	log_msg(b->nreqs > 1 ? LOG_INFO : LOG_DEBUG,
	    "IPVS: a batch of %zu request(s) sent%s%s", b->nreqs, what,
	    svc_ok > b->svc_logged ? " (the services past the first "
	    IPVS_LOG_SVC_MAX_S " at debug)" : "");
}

/* The kernel no longer holds s (ESRCH: removed behind vigil's back), nor
 * any of its destinations: all go back on the dirty lists, and the next
 * sync adds the service with every destination still desired (not only
 * the ones that changed since). */
static void
svc_gone(struct dp_ipvs *b, struct km_svc *s)
{
	struct htab_iter it;
	struct htab_node *n;

	s->in_kernel = 0;
	km_svc_dirty(&b->km, s);
	for (n = htab_first(&s->dests, &it); n != NULL;
	    n = htab_next(&s->dests, &it)) {
		struct km_dest *d = HTAB_ENTRY(n, struct km_dest, hnode);

		d->in_kernel = 0;
		km_dest_dirty(&b->km, s, d);
	}
}

/* The kernel's answer to request q. */
static void
settle(struct dp_ipvs *b, struct req *q, int svc_failed)
{
	struct km_svc *s = q->s;
	struct km_dest *d = q->d;
	int err = q->err;
	int *last = d != NULL ? &d->last_err : &s->last_err;

	if (err < 0) {
		b->failed++;
		if (*last != err)
			log_fail(q, svc_failed);
		*last = err;
	} else
		*last = 0;
	if (err == 0)
		log_ok(b, q);
	if (d == NULL) {
		if (err == 0 || (q->op == IPVS_DEL && err == -ESRCH)) {
			if (q->op == IPVS_DEL)
				s->in_kernel = 0;	/* freed in finish() */
			else {
				s->have = s->want;
				s->in_kernel = 1;
			}
		} else if (q->op == IPVS_ADD && err == -EEXIST)
			s->in_kernel = 1;	/* edit it next time */
		else if (q->op == IPVS_EDIT && err == -ESRCH)
			svc_gone(b, s);
		return;
	}
	if (err == -ESRCH) {
		svc_gone(b, s);	/* a destination's service is missing */
		return;
	}
	if (err == 0 || (q->op == IPVS_DEL && err == -ENOENT)) {
		if (q->op == IPVS_DEL)
			d->in_kernel = 0;
		else {
			d->have = d->want;
			d->in_kernel = 1;
		}
		if (d->dirty) {
			TAILQ_REMOVE(&s->dirty_dests, d, dlink);
			d->dirty = 0;
		}
	} else if (q->op == IPVS_ADD && err == -EEXIST) {
		d->in_kernel = 1;
		d->have.weight = -1;	/* unknown: edit it next time */
	} else if (q->op == IPVS_EDIT && err == -ENOENT)
		d->in_kernel = 0;
}

static int
svc_settled(const struct km_svc *s)
{
	if (!TAILQ_EMPTY(&s->dirty_dests))
		return 0;
	if (s->want_present)
		return s->in_kernel && km_svc_same(&s->want, &s->have);
	return !s->in_kernel;
}

/* After the answers: what is clean leaves the dirty list, what is gone
 * is freed. */
static void
finish(struct dp_ipvs *b)
{
	struct km_svc *s, *next;
	struct km_dest *d, *dn;

	for (s = TAILQ_FIRST(&b->km.dirty); s != NULL; s = next) {
		next = TAILQ_NEXT(s, dlink);
		if (!s->want_present && !s->in_kernel) {
			km_svc_free(&b->km, s);
			continue;
		}
		for (d = TAILQ_FIRST(&s->dirty_dests); d != NULL; d = dn) {
			dn = TAILQ_NEXT(d, dlink);
			if (!d->want_present && !d->in_kernel)
				km_dest_free(&b->km, s, d);
		}
		if (svc_settled(s)) {
			TAILQ_REMOVE(&b->km.dirty, s, dlink);
			s->dirty = 0;
		}
	}
}

static int
sync_kernel(struct dp_ipvs *b)
{
	struct km_svc *s;
	int r;

	b->nreqs = 0;
	TAILQ_FOREACH(s, &b->km.dirty, dlink)
		queue_svc(b, s);
	if (b->nreqs == 0) {
		finish(b);
		return 0;
	}
	b->syncs++;
	b->sent += b->nreqs;
	r = ipvs_commit(b->v, on_err, b);
	if (r < 0)
		log_err("IPVS: the netlink socket failed: %s; %zu request(s) "
		    "wait for the next change", strerror(-r), b->nreqs);
	b->svc_logged = 0;
	memset(b->done, 0, sizeof(b->done));
	for (size_t i = 0; i < b->nreqs; i++) {
		struct req *q = &b->reqs[i];
		int svc_failed = q->d != NULL && q->s->last_err < 0;

		settle(b, q, svc_failed);
	}
	log_batch(b);
	finish(b);
	b->nreqs = 0;
	return r < 0 ? -1 : 0;
}

static int
dp_ipvs_apply(void *p, const struct dp_change *c, size_t n)
{
	struct dp_ipvs *b = p;

	for (size_t i = 0; i < n; i++)
		one_change(b, &c[i]);
	return sync_kernel(b);
}

/* ---- the kernel's counters ------------------------------------------------ */

static void
stats_fail(struct dp_ipvs *b, const char *what, int err)
{
	if (b->st_err != err)
		log_warn("IPVS: cannot read the counters (%s): %s; tried again "
		    "next round", what, strerror(-err));
	b->st_err = err;
}

static int
stats_svc(void *arg, const struct ipvs_svc *ks)
{
	struct dp_ipvs *b = arg;
	struct km_svc *s = km_svc_find(&b->km, ks);

	if (s != NULL && s->ours && s->in_kernel) {
		s->st = ks->stats;
		s->st_round = b->st_round;
	}
	return 0;
}

/* A round: the services' own counters, one dump of the whole table. */
static int
dp_ipvs_stats_begin(void *p)
{
	struct dp_ipvs *b = p;
	int r;

	b->st_round++;
	b->st_rounds++;
	b->st_requests++;
	if ((r = ipvs_dump_svcs(b->v, stats_svc, b)) < 0) {
		stats_fail(b, "services", r);
		return -1;
	}
	return 0;
}

struct stats_ctx {
	struct dp_ipvs *b;
	int n, failed;
};

static int
stats_dest(void *arg, const struct ipvs_svc *ks, const struct ipvs_dest *kd,
    const struct ipvs_dest_stats *st)
{
	struct dp_ipvs *b = arg;
	struct km_svc *s = km_svc_find(&b->km, ks);
	struct km_dest *d;

	if (s == NULL || (d = km_dest_find(s, &kd->addr, kd->port)) == NULL)
		return 0;
	if (d->st == NULL && (d->st = malloc(sizeof(*d->st))) == NULL)
		return 0;	/* not read this round: no counters shown */
	d->st->st = st->stats;
	d->st->active = st->active;
	d->st->inactive = st->inactive;
	d->st->persist = st->persist;
	d->st->st_round = b->st_round;
	return 0;
}

static int
stats_read_one(void *arg, const struct ipvs_svc *ks)
{
	struct stats_ctx *x = arg;
	struct km_svc *s = km_svc_find(&x->b->km, ks);
	int r;

	/* one the round's first dump did not find is not in the kernel */
	if (s == NULL || !s->ours || s->st_round != x->b->st_round)
		return 0;
	x->n++;
	x->b->st_requests++;
	r = ipvs_dump_dests(x->b->v, &s->have, stats_dest, x->b);
	if (r < 0 && r != -ESRCH && r != -ENOENT) {
		stats_fail(x->b, s->owner, r);
		x->failed = 1;
	}
	return 0;
}

static int
dp_ipvs_stats_read(void *p, const struct dp_service *ds)
{
	struct stats_ctx x = { p, 0, 0 };

	(void)km_expand(ds, stats_read_one, &x);
	if (!x.failed)
		x.b->st_err = 0;
	return x.failed ? -1 : x.n;
}

static void
stats_add(struct dp_counters *c, const struct ipvs_stats *st)
{
	c->conns += st->conns;
	c->inpkts += st->inpkts;
	c->outpkts += st->outpkts;
	c->inbytes += st->inbytes;
	c->outbytes += st->outbytes;
	c->cps += st->cps;
	c->inpps += st->inpps;
	c->outpps += st->outpps;
	c->inbps += st->inbps;
	c->outbps += st->outbps;
}

struct counters_ctx {
	struct dp_ipvs *b;
	const struct dp_service *ds;
	const struct vg_addr *addr;
	unsigned port;
	struct dp_counters *c;
	int found;
};

static int
counters_one(void *arg, const struct ipvs_svc *ks)
{
	struct counters_ctx *x = arg;
	struct km_svc *s = km_svc_find(&x->b->km, ks);
	struct km_dest *d;
	unsigned port = x->port;

	if (s == NULL || !s->ours || s->st_round != x->b->st_round)
		return 0;
	if (x->addr == NULL) {
		stats_add(x->c, &s->st);
		x->found = 1;
		return 0;
	}
	/* a group's DR / TUN one: at the entry's port (want_dest()) */
	if (x->ds->group != NULL && km_dest_find(s, x->addr, port) == NULL &&
	    (d = km_dest_find(s, x->addr, ks->port)) != NULL &&
	    d->want.fwd != IPVS_FWD_NAT)
		port = ks->port;
	if ((d = km_dest_find(s, x->addr, port)) == NULL || d->st == NULL ||
	    d->st->st_round != x->b->st_round)
		return 0;
	stats_add(x->c, &d->st->st);
	x->c->active += d->st->active;
	x->c->inactive += d->st->inactive;
	x->c->persist += d->st->persist;
	x->found = 1;
	return 0;
}

static int
dp_ipvs_counters(void *p, const struct dp_service *ds,
    const struct vg_addr *addr, unsigned port, struct dp_counters *c)
{
	struct counters_ctx x = { p, ds, addr, port, c, 0 };

	memset(c, 0, sizeof(*c));
	(void)km_expand(ds, counters_one, &x);
	return x.found;
}

/* ---- configuration, dump, close -------------------------------------------- */

static void
first_err(void *arg, size_t idx, int err)
{
	int *e = arg;

	(void)idx;
	if (*e == 0)
		*e = err;
}

static int
mark_named(void *arg, const struct ipvs_svc *ks)
{
	struct km_svc *s = km_svc_find(arg, ks);

	if (s != NULL)
		s->named = 1;
	return 0;
}

static void
dp_ipvs_config(void *p, const struct chk_conf *c)
{
	struct dp_ipvs *b = p;
	const struct chk_global_conf *g = &c->g;
	struct ipvs_timeouts t = { g->lvs_timeout_tcp, g->lvs_timeout_tcpfin,
	    g->lvs_timeout_udp };
	struct km_svc *s;
	char name[IPVS_SVC_NAME_LEN];
	int r;

	b->flush_on_stop = g->lvs_flush_on_stop;
	/* keepalived's command socket: the one requests and their answers
	 * (dumps of the whole table) go through */
	if ((r = ipvs_set_rcvbuf(b->v, g->lvs_netlink_cmd_rcv_bufs,
	    g->lvs_netlink_cmd_rcv_bufs_force)) < 0)
		log_warn("lvs_netlink_cmd_rcv_bufs %u%s: %s",
		    g->lvs_netlink_cmd_rcv_bufs,
		    g->lvs_netlink_cmd_rcv_bufs_force ? " (force)" : "",
		    strerror(-r));
	TAILQ_FOREACH(s, &b->km.all, link)
		s->named = s->ours;
	for (const struct chk_vs_conf *vs = c->vs; vs != NULL; vs = vs->next) {
		struct dp_service ds;

		dp_service_from_conf(&ds, vs);
		(void)km_expand(&ds, mark_named, &b->km);
	}
	TAILQ_FOREACH(s, &b->km.all, link) {
		if (s->named || !s->in_kernel)
			continue;
		ipvs_svc_name(&s->have, name, sizeof(name));
		/* at the child's start only, as keepalived's (not at a
		 * reload: a service added by hand since stays) */
		if (g->lvs_flush && !b->configured) {
			log_info("IPVS: %s is not in the configuration: removed "
			    "(lvs_flush)", name);
			s->ours = 1;
			snprintf(s->owner, sizeof(s->owner), "lvs_flush");
			s->want_present = 0;
			km_svc_dirty(&b->km, s);
		} else if (!s->logged_foreign) {
			log_info("IPVS: %s is not in the configuration: left "
			    "alone", name);
			s->logged_foreign = 1;
		}
	}
	if (t.tcp || t.tcp_fin || t.udp) {
		if (!b->have_orig) {
			if ((r = ipvs_get_timeouts(b->v, &b->orig)) < 0)
				log_err("IPVS: reading the kernel's timeouts: %s",
				    strerror(-r));
			else
				b->have_orig = 1;
		}
		if (b->have_orig) {
			t.tcp = t.tcp ? t.tcp : b->orig.tcp;
			t.tcp_fin = t.tcp_fin ? t.tcp_fin : b->orig.tcp_fin;
			t.udp = t.udp ? t.udp : b->orig.udp;
		}
	} else if (b->have_orig) {
		/* lvs_timeouts gone at a reload: the kernel's from before */
		t = b->orig;
	}
	if ((t.tcp || t.tcp_fin || t.udp) &&
	    memcmp(&t, &b->timeouts, sizeof(t)) != 0) {
		int e = 0;

		if ((r = ipvs_q_timeouts(b->v, &t)) < 0 ||
		    (r = ipvs_commit(b->v, first_err, &e)) != 0)
			log_err("IPVS: lvs_timeouts tcp %u tcpfin %u udp %u: %s",
			    t.tcp, t.tcp_fin, t.udp, strerror(r < 0 ? -r : -e));
		else
			b->timeouts = t;
	}
	b->configured = 1;
	(void)sync_kernel(b);
}

static void
dp_ipvs_dump(void *p, FILE *fp)
{
	struct dp_ipvs *b = p;
	const struct km_svc *s;
	size_t ours = 0, foreign = 0, failing = 0;
	char name[IPVS_SVC_NAME_LEN];

	TAILQ_FOREACH(s, &b->km.all, link) {
		if (s->ours)
			ours++;
		else if (s->in_kernel)
			foreign++;
		if (s->dirty)
			failing++;
	}
	fprintf(fp, " Backend IPVS: %zu kernel service(s) (%zu vigil's, %zu "
	    "left alone), %zu destination(s); %llu request(s) in %llu "
	    "batch(es), %llu refused, %llu service(s) adopted\n",
	    b->km.nsvcs, ours, foreign, b->km.ndests, b->sent, b->syncs,
	    b->failed, b->adopted);
	fprintf(fp, " Counters: %llu round(s) read, %llu request(s)\n",
	    b->st_rounds, b->st_requests);
	TAILQ_FOREACH(s, &b->km.dirty, dlink)
		fprintf(fp, "  not yet as desired: %s (%s): %s\n", s->owner,
		    ipvs_svc_name(&s->want, name, sizeof(name)),
		    s->last_err ? strerror(-s->last_err) : "a destination");
	(void)failing;
}

static void
dp_ipvs_close(void *p, int flush)
{
	struct dp_ipvs *b = p;
	struct km_svc *s;
	int r;

	if (b == NULL)
		return;
	if (flush && b->v != NULL && b->flush_on_stop == 1) {
		log_info("IPVS: emptying the kernel table (lvs_flush_on_stop)");
		int e = 0;

		if ((r = ipvs_q_flush(b->v)) < 0 ||
		    (r = ipvs_commit(b->v, first_err, &e)) != 0)
			log_err("IPVS: flush: %s", strerror(r < 0 ? -r : -e));
	} else if (flush && b->v != NULL) {
		TAILQ_FOREACH(s, &b->km.all, link)
			if (s->ours && s->in_kernel) {
				s->want_present = 0;
				km_svc_dirty(&b->km, s);
			}
		(void)sync_kernel(b);
	}
	km_free(&b->km);
	ipvs_close(b->v);
	free(b->reqs);
	free(b);
}

const struct dp_backend_ops dp_ipvs_backend = {
	.name = "ipvs",
	.open = dp_ipvs_open,
	.apply = dp_ipvs_apply,
	.dump = dp_ipvs_dump,
	.close = dp_ipvs_close,
	.config = dp_ipvs_config,
	.stats_begin = dp_ipvs_stats_begin,
	.stats_read = dp_ipvs_stats_read,
	.counters = dp_ipvs_counters,
};

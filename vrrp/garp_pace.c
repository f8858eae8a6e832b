/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Pacing of gratuitous ARPs and NAs (vrrp/garp_pace.h): one queue per
 * interface and family, each with a timer that lets the next packet out
 * once the interval since the last one has passed.
 */
#include "autoconfig.h"

#include <stdlib.h>
#include <string.h>

#include "loop.h"
#include "vrrp/arp.h"
#include "vrrp/garp_pace.h"

struct item {
	unsigned char mac[6];
	struct vg_addr ip;
};

struct queue {
	struct queue *next;
	struct vrrp_pace *p;
	int ifindex;
	int family;
	uint64_t interval;	/* as last asked */
	uint64_t last;		/* monotonic usec of the last packet; 0 none */
	struct item *v;		/* ring */
	unsigned head, n, cap;
	struct loop_timer *timer;
};

struct vrrp_pace {
	struct event_base *base;
	struct vrrp_arp *arp;
	struct queue *queues;
	unsigned queued, dropped;
};

struct vrrp_pace *
vrrp_pace_new(struct event_base *base, struct vrrp_arp *arp)
{
	struct vrrp_pace *p = calloc(1, sizeof(*p));

	if (p == NULL)
		return NULL;
	p->base = base;
	p->arp = arp;
	return p;
}

void
vrrp_pace_free(struct vrrp_pace *p)
{
	if (p == NULL)
		return;
	while (p->queues != NULL) {
		struct queue *q = p->queues;

		p->queues = q->next;
		loop_timer_free(q->timer);
		free(q->v);
		free(q);
	}
	free(p);
}

static void
q_send(struct queue *q, const struct item *it)
{
	q->last = loop_now_usec();
	vrrp_arp_send(q->p->arp, q->ifindex, it->mac, &it->ip);
}

static void
q_arm(struct queue *q)
{
	uint64_t now = loop_now_usec(), due = q->last + q->interval;

	loop_timer_start(q->timer, due > now ? due - now : 0, 0);
}

static void
on_turn(struct loop_timer *t, void *arg)
{
	struct queue *q = arg;
	struct item it;

	(void)t;
	if (q->n == 0)
		return;
	it = q->v[q->head];
	q->head = (q->head + 1) % q->cap;
	q->n--;
	q->p->queued--;
	q_send(q, &it);
	if (q->n > 0)
		q_arm(q);
}

static struct queue *
q_get(struct vrrp_pace *p, int ifindex, int family)
{
	struct queue *q;

	for (q = p->queues; q != NULL; q = q->next)
		if (q->ifindex == ifindex && q->family == family)
			return q;
	if ((q = calloc(1, sizeof(*q))) == NULL)
		return NULL;
	if ((q->timer = loop_timer_new(p->base, on_turn, q)) == NULL) {
		free(q);
		return NULL;
	}
	q->p = p;
	q->ifindex = ifindex;
	q->family = family;
	q->next = p->queues;
	p->queues = q;
	return q;
}

static int
q_push(struct queue *q, const struct item *it)
{
	if (q->n == q->cap) {
		unsigned cap = q->cap == 0 ? 16 : q->cap * 2;
		struct item *v;

		if (q->cap >= VRRP_PACE_MAX ||
		    (v = calloc(cap, sizeof(*v))) == NULL)
			return -1;
		for (unsigned i = 0; i < q->n; i++)
			v[i] = q->v[(q->head + i) % q->cap];
		free(q->v);
		q->v = v;
		q->head = 0;
		q->cap = cap;
	}
	q->v[(q->head + q->n) % q->cap] = *it;
	q->n++;
	q->p->queued++;
	return 0;
}

void
vrrp_pace_send(struct vrrp_pace *p, int ifindex, const unsigned char mac[6],
    const struct vg_addr *ip, uint64_t interval)
{
	struct item it;
	struct queue *q;

	memcpy(it.mac, mac, sizeof(it.mac));
	it.ip = *ip;
	if (interval == 0) {
		vrrp_arp_send(p->arp, ifindex, mac, ip);
		return;
	}
	if ((q = q_get(p, ifindex, ip->family)) == NULL) {
		p->dropped++;
		return;
	}
	q->interval = interval;
	if (q->n == 0 && (q->last == 0 ||
	    loop_now_usec() >= q->last + interval)) {
		q_send(q, &it);
		return;
	}
	if (q_push(q, &it) < 0) {
		p->dropped++;
		return;
	}
	if (!loop_timer_pending(q->timer))
		q_arm(q);
}

void
vrrp_pace_forget(struct vrrp_pace *p, const struct vg_addr *ip)
{
	for (struct queue *q = p->queues; q != NULL; q = q->next) {
		unsigned kept = 0;

		if (q->family != ip->family)
			continue;
		for (unsigned i = 0; i < q->n; i++) {
			struct item it = q->v[(q->head + i) % q->cap];

			if (addr_cmp(&it.ip, ip) != 0)
				q->v[(q->head + kept++) % q->cap] = it;
		}
		p->queued -= q->n - kept;
		q->n = kept;
		if (q->n == 0)
			loop_timer_stop(q->timer);
	}
}

unsigned
vrrp_pace_queued(const struct vrrp_pace *p)
{
	return p->queued;
}

unsigned
vrrp_pace_dropped(const struct vrrp_pace *p)
{
	return p->dropped;
}

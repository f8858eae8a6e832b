/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The checks' schedule (healthcheck/chk_sched.h): a binary min-heap of
 * (due time, node) and one timer at its top. An entry is 16 bytes: the
 * key is the due time in microseconds shifted left by 12 bits with a
 * sequence number below, so that nodes due at the same microsecond (a few
 * dozen can be scheduled within one) come out in the order they went in.
 */
#include "autoconfig.h"

#include <stdlib.h>

#include <event2/event.h>

#include "healthcheck/chk_sched.h"
#include "loop.h"

#define SEQ_BITS 12
#define CAP_MIN 16

struct sched_ent {
	uint64_t key;
	struct chk_sched_node *n;
};

struct chk_sched {
	struct sched_ent *h;	/* h[0] unused: 1-based */
	uint32_t len, cap;	/* entries in use; room (h[1..cap]) */
	uint32_t nres;		/* places reserved */
	uint32_t seq;
	struct event *ev;
	uint64_t armed;		/* due time the timer is set for; 0: none */
	chk_sched_fn *fn;
	void *arg;
};

static void
put(struct chk_sched *s, uint32_t i, struct sched_ent e)
{
	s->h[i] = e;
	e.n->idx = i;
}

static void
sift_up(struct chk_sched *s, uint32_t i)
{
	struct sched_ent e = s->h[i];

	while (i > 1 && s->h[i / 2].key > e.key) {
		put(s, i, s->h[i / 2]);
		i /= 2;
	}
	put(s, i, e);
}

static void
sift_down(struct chk_sched *s, uint32_t i)
{
	struct sched_ent e = s->h[i];
	uint32_t c;

	while ((c = 2 * i) <= s->len) {
		if (c < s->len && s->h[c + 1].key < s->h[c].key)
			c++;
		if (s->h[c].key >= e.key)
			break;
		put(s, i, s->h[c]);
		i = c;
	}
	put(s, i, e);
}

static void
arm(struct chk_sched *s, uint64_t now)
{
	uint64_t due;
	struct timeval tv;

	if (s->len == 0)
		return;
	due = s->h[1].key >> SEQ_BITS;
	if (s->armed != 0 && s->armed <= due)
		return;
	tv = loop_tv(due > now ? due - now : 0);
	if (event_add(s->ev, &tv) == 0)
		s->armed = due;
}

static void
sched_cb(evutil_socket_t fd, short what, void *arg)
{
	struct chk_sched *s = arg;
	struct chk_sched_node *n;
	uint64_t now = loop_now_usec();
	unsigned count = 0;

	(void)fd;
	(void)what;
	s->armed = 0;
	while (s->len > 0 && (s->h[1].key >> SEQ_BITS) <= now &&
	    count++ < CHK_SCHED_BATCH) {
		n = s->h[1].n;
		chk_sched_del(s, n);
		s->fn(n, s->arg);
	}
	arm(s, loop_now_usec());
}

struct chk_sched *
chk_sched_new(struct event_base *base, chk_sched_fn *fn, void *arg)
{
	struct chk_sched *s = calloc(1, sizeof(*s));

	if (s == NULL)
		return NULL;
	s->fn = fn;
	s->arg = arg;
	if ((s->ev = evtimer_new(base, sched_cb, s)) == NULL) {
		free(s);
		return NULL;
	}
	return s;
}

void
chk_sched_free(struct chk_sched *s)
{
	if (s == NULL)
		return;
	for (uint32_t i = 1; i <= s->len; i++)
		s->h[i].n->idx = 0;
	event_free(s->ev);
	free(s->h);
	free(s);
}

static int
resize(struct chk_sched *s, uint32_t cap)
{
	struct sched_ent *h = realloc(s->h, ((size_t)cap + 1) * sizeof(*h));

	if (h == NULL)
		return -1;
	s->h = h;
	s->cap = cap;
	return 0;
}

int
chk_sched_reserve(struct chk_sched *s)
{
	if (s->nres == UINT32_MAX - 1)
		return -1;
	if (s->nres + 1 > s->cap && resize(s, s->cap < CAP_MIN ? CAP_MIN :
	    s->cap > UINT32_MAX / 2 - 1 ? UINT32_MAX - 1 : s->cap * 2) < 0)
		return -1;
	s->nres++;
	return 0;
}

void
chk_sched_unreserve(struct chk_sched *s, struct chk_sched_node *n)
{
	chk_sched_del(s, n);
	s->nres--;
	/* give back what a shrinking configuration left (a failed
	 * realloc keeps the bigger array) */
	if (s->cap > 4 * CAP_MIN && s->nres < s->cap / 4)
		(void)resize(s, s->cap / 2);
}

void
chk_sched_add(struct chk_sched *s, struct chk_sched_node *n, uint64_t usec)
{
	uint64_t now = loop_now_usec();
	struct sched_ent e;

	if (n->idx != 0)
		chk_sched_del(s, n);
	/* due times fit 52 bits: 142 years of monotonic clock */
	if (usec > (UINT64_MAX >> SEQ_BITS) - now)
		usec = (UINT64_MAX >> SEQ_BITS) - now;
	e.key = (now + usec) << SEQ_BITS | (s->seq++ & ((1u << SEQ_BITS) - 1));
	e.n = n;
	/* reserved: len < nres <= cap */
	s->h[++s->len] = e;
	sift_up(s, s->len);
	arm(s, now);
}

void
chk_sched_del(struct chk_sched *s, struct chk_sched_node *n)
{
	uint32_t i = n->idx;

	if (i == 0)
		return;
	n->idx = 0;
	if (i == s->len) {
		s->len--;
		return;
	}
	s->h[i] = s->h[s->len--];
	if (i > 1 && s->h[i / 2].key > s->h[i].key)
		sift_up(s, i);
	else
		sift_down(s, i);
}

size_t
chk_sched_count(const struct chk_sched *s)
{
	return s->len;
}

size_t
chk_sched_bytes(const struct chk_sched *s)
{
	return sizeof(*s) + ((size_t)s->cap + 1) * sizeof(*s->h);
}

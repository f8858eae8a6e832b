/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The VRRP child's work queue on a real event loop: queued work runs in
 * the order it was queued, a slice at a time, and an advert timer that is
 * due runs before any more queued work (so a mass takeover cannot starve
 * the adverts of the instances already MASTER).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/event.h>

#include "log.h"
#include "loop.h"
#include "vrrp/work.h"
#include "check_run.h"

#define SLICE 4
#define NITEMS 200

struct rec {
	struct vrrp_work *w;
	struct loop_timer *adver;
	int order[NITEMS + 8];
	int owner_of[NITEMS + 8];
	unsigned n;
	int arm_at;			/* item that makes the advert due */
	int done_at_fire;		/* items run when the advert ran */
	unsigned fired;
};

static void
on_item(void *arg, void *owner, int kind, int a, int b)
{
	struct rec *r = arg;

	ck_assert(kind == 7 || kind == 8);
	if (r->n < NITEMS + 8) {
		/* kind 8: a long item in b more parts, each continued with
		 * push_front: recorded as a * 10 + b */
		r->order[r->n] = kind == 8 ? a * 10 + b : a;
		r->owner_of[r->n] = (int)(intptr_t)owner;
	}
	r->n++;
	if (kind == 8 && b > 0)
		ck_assert_int_eq(vrrp_work_push_front(r->w, owner, 8, a,
		    b - 1), 0);
	if (a == r->arm_at)
		ck_assert_int_eq(loop_timer_start(r->adver, 0, 0), 0);
}

static void
on_adver(struct loop_timer *t, void *arg)
{
	struct rec *r = arg;

	(void)t;
	r->fired++;
	r->done_at_fire = (int)r->n;
}

static struct event_base *
setup(struct rec *r, unsigned max_items)
{
	struct event_base *b = loop_new();

	ck_assert_ptr_nonnull(b);
	r->arm_at = -1;
	r->done_at_fire = -1;
	r->w = vrrp_work_new(b, on_item, r, max_items, 0);
	ck_assert_ptr_nonnull(r->w);
	r->adver = loop_timer_new(b, on_adver, r);
	ck_assert_ptr_nonnull(r->adver);
	ck_assert_int_eq(loop_timer_set_priority(r->adver, LOOP_PRIO_URGENT), 0);
	return b;
}

static void
teardown(struct rec *r, struct event_base *b)
{
	vrrp_work_free(r->w);
	loop_timer_free(r->adver);
	event_base_free(b);
}

/* Turns of the loop until the queue is empty, each one at most SLICE
 * items; the number of turns. */
static unsigned
drain(struct rec *r, struct event_base *b)
{
	unsigned turns = 0;

	while (vrrp_work_pending(r->w) > 0 && turns < 10 * NITEMS) {
		unsigned before = r->n;

		event_base_loop(b, EVLOOP_ONCE | EVLOOP_NONBLOCK);
		ck_assert_uint_le(r->n - before, SLICE);
		turns++;
	}
	ck_assert_uint_eq(vrrp_work_pending(r->w), 0);
	return turns;
}

START_TEST(runs_in_order_a_slice_per_turn)
{
	struct rec r = { 0 };
	struct event_base *b = setup(&r, SLICE);

	for (int i = 0; i < NITEMS; i++)
		ck_assert_int_eq(vrrp_work_push(r.w, (void *)(intptr_t)(i % 3),
		    7, i, 0), 0);
	ck_assert_uint_eq(vrrp_work_pending(r.w), NITEMS);
	ck_assert_uint_ge(drain(&r, b), NITEMS / SLICE);
	ck_assert_uint_eq(r.n, NITEMS);
	for (int i = 0; i < NITEMS; i++)
		ck_assert_int_eq(r.order[i], i);
	ck_assert_uint_eq(vrrp_work_done(r.w), NITEMS);
	teardown(&r, b);
}
END_TEST

/* An advert due at the same turn as queued work goes first. */
START_TEST(due_advert_before_queued_work)
{
	struct rec r = { 0 };
	struct event_base *b = setup(&r, SLICE);

	for (int i = 0; i < NITEMS; i++)
		vrrp_work_push(r.w, NULL, 7, i, 0);
	ck_assert_int_eq(loop_timer_start(r.adver, 0, 0), 0);
	event_base_loop(b, EVLOOP_ONCE | EVLOOP_NONBLOCK);
	ck_assert_uint_eq(r.fired, 1);
	ck_assert_int_eq(r.done_at_fire, 0);
	drain(&r, b);
	teardown(&r, b);
}
END_TEST

/* An advert that falls due while work is being applied runs within one
 * slice, not after the whole queue. */
START_TEST(advert_due_midway_not_starved)
{
	struct rec r = { 0 };
	struct event_base *b = setup(&r, SLICE);

	r.arm_at = 10;
	for (int i = 0; i < NITEMS; i++)
		vrrp_work_push(r.w, NULL, 7, i, 0);
	drain(&r, b);
	ck_assert_uint_eq(r.fired, 1);
	ck_assert_int_ge(r.done_at_fire, 11);
	ck_assert_int_le(r.done_at_fire, 11 + SLICE);
	teardown(&r, b);
}
END_TEST

/* An instance going away runs its own items at once, in order; the
 * others stay queued. */
START_TEST(run_owner_before_free)
{
	struct rec r = { 0 };
	struct event_base *b = setup(&r, SLICE);

	for (int i = 0; i < 30; i++)
		vrrp_work_push(r.w, (void *)(intptr_t)(i % 3), 7, i, 0);
	vrrp_work_run_owner(r.w, (void *)(intptr_t)1);
	ck_assert_uint_eq(r.n, 10);
	for (int i = 0; i < 10; i++) {
		ck_assert_int_eq(r.owner_of[i], 1);
		ck_assert_int_eq(r.order[i], 3 * i + 1);
	}
	ck_assert_uint_eq(vrrp_work_pending(r.w), 20);
	vrrp_work_push(r.w, (void *)(intptr_t)2, 7, 100, 0);
	vrrp_work_flush(r.w);
	ck_assert_uint_eq(r.n, 31);
	ck_assert_int_eq(r.order[10], 0);
	ck_assert_int_eq(r.order[30], 100);
	ck_assert_uint_eq(vrrp_work_pending(r.w), 0);
	teardown(&r, b);
}
END_TEST

/* A long item continued part by part (push_front) runs before what was
 * queued after it, a slice at a time; an owner going away runs all its
 * parts before run_owner returns. */
START_TEST(continued_item_keeps_its_place)
{
	struct rec r = { 0 };
	struct event_base *b = setup(&r, SLICE);
	static const int want[] = { 0, 13, 12, 11, 10, 2, 3 };

	vrrp_work_push(r.w, NULL, 7, 0, 0);
	vrrp_work_push(r.w, NULL, 8, 1, 3);
	vrrp_work_push(r.w, NULL, 7, 2, 0);
	vrrp_work_push(r.w, NULL, 7, 3, 0);
	drain(&r, b);
	ck_assert_uint_eq(r.n, 7);
	for (unsigned i = 0; i < 7; i++)
		ck_assert_int_eq(r.order[i], want[i]);

	r.n = 0;
	vrrp_work_push(r.w, (void *)(intptr_t)1, 8, 4, 2);
	vrrp_work_push(r.w, (void *)(intptr_t)2, 7, 5, 0);
	vrrp_work_push(r.w, (void *)(intptr_t)1, 7, 6, 0);
	vrrp_work_run_owner(r.w, (void *)(intptr_t)1);
	ck_assert_uint_eq(r.n, 4);
	ck_assert_int_eq(r.order[0], 42);
	ck_assert_int_eq(r.order[1], 41);
	ck_assert_int_eq(r.order[2], 40);
	ck_assert_int_eq(r.order[3], 6);
	ck_assert_uint_eq(vrrp_work_pending(r.w), 1);
	drain(&r, b);
	ck_assert_int_eq(r.order[4], 5);
	teardown(&r, b);
}
END_TEST

/* ---- accounting, on a clock the items move ---------------------------- */

/*
 * The clocks the queue reads: an item of the accounting tests moves them
 * by what it says it cost (a: wall usec, b: CPU usec; kind 3 also waits
 * a * 2 / 3 for a CPU and is preempted once, kind 4 sleeps once).
 */
struct fake {
	struct vrrp_work *w;
	struct vrrp_work_sample now;
	unsigned full, light;		/* readings taken */
	int ran[16];
	unsigned n;
	/* realtime (fake_rt): on, the time run since the last block when
	 * asked, the limit; how many times asked */
	int rt_on;
	uint64_t rt_used, rt_limit;
	unsigned rt_asked;
	/* the costs the pause was asked with (fake_pause) */
	uint64_t paused[8];
	unsigned npause;
};

static void
fake_clock(void *arg, struct vrrp_work_sample *s, int full)
{
	struct fake *f = arg;

	*s = f->now;
	if (full)
		f->full++;
	else {
		f->light++;
		s->wait = s->sleeps = s->preempts = 0;
	}
}

static void
on_costly(void *arg, void *owner, int kind, int a, int b)
{
	struct fake *f = arg;

	(void)owner;
	if (f->n < 16)
		f->ran[f->n] = a;
	f->n++;
	f->now.wall += (uint64_t)a;
	f->now.cpu += (uint64_t)b;
	if (kind == 3) {
		f->now.wait += (uint64_t)a * 2 / 3;
		f->now.preempts++;
	}
	if (kind == 4)
		f->now.sleeps++;
	/* kind 9: parts of a us each, b of them left, while the slice has
	 * time; the rest continued */
	while (kind == 9 && b-- > 1) {
		if (vrrp_work_slice_over(f->w)) {
			ck_assert_int_eq(vrrp_work_push_front(f->w, owner, 9,
			    a, b), 0);
			return;
		}
		if (f->n < 16)
			f->ran[f->n] = a;
		f->n++;
		f->now.wall += (uint64_t)a;
		f->now.cpu += (uint64_t)a;
	}
}

static const char *const kind_names[] = { "small", "big", NULL,
	"preempted", "asleep" };

static struct event_base *
fake_setup(struct fake *f, unsigned max_items, uint64_t max_usec)
{
	struct event_base *b = loop_new();

	ck_assert_ptr_nonnull(b);
	memset(f, 0, sizeof(*f));
	f->now.wall = 5000000;
	f->now.cpu = 700000;
	f->w = vrrp_work_new(b, on_costly, f, max_items, max_usec);
	ck_assert_ptr_nonnull(f->w);
	vrrp_work_set_clock(f->w, fake_clock, f);
	vrrp_work_set_kinds(f->w, kind_names, 5);
	return b;
}

/* s is a slice of items costing c whose longest item, of kind, took
 * item_wall (item_cpu of CPU). */
static void
slice_is(const struct vrrp_work_slice_stat *s, unsigned items,
    const struct vrrp_work_cost *c, int kind, uint64_t item_wall,
    uint64_t item_cpu)
{
	ck_assert_uint_eq(s->items, items);
	ck_assert_uint_eq(s->cost.wall, c->wall);
	ck_assert_uint_eq(s->cost.cpu, c->cpu);
	ck_assert_uint_eq(s->cost.wait, c->wait);
	ck_assert_uint_eq(s->cost.sleeps, c->sleeps);
	ck_assert_uint_eq(s->cost.preempts, c->preempts);
	ck_assert_int_eq(s->kind, kind);
	ck_assert_uint_eq(s->item.wall, item_wall);
	ck_assert_uint_eq(s->item.cpu, item_cpu);
}

/* A slice ends once max_usec has passed on the clock, after the item
 * that crossed it, whatever max_items allows; an empty queue reads no
 * clock. */
START_TEST(slice_ends_on_the_clock)
{
	struct fake f;
	struct event_base *b = fake_setup(&f, 16, 1000);

	ck_assert_uint_eq(vrrp_work_slice(f.w), 0);
	ck_assert_uint_eq(f.full + f.light, 0);
	for (int i = 0; i < 10; i++)
		ck_assert_int_eq(vrrp_work_push(f.w, NULL, 0, 300, 10), 0);
	ck_assert_uint_eq(vrrp_work_slice(f.w), 4);	/* 300..1200 us */
	ck_assert_uint_eq(vrrp_work_slice(f.w), 4);
	ck_assert_uint_eq(vrrp_work_slice(f.w), 2);
	ck_assert_uint_eq(vrrp_work_pending(f.w), 0);
	/* each slice: a full reading either side, a light one per item;
	 * one more as the first item opened the burst */
	ck_assert_uint_eq(f.full, 6);
	ck_assert_uint_eq(f.light, 11);
	/* one item past the bound is a slice of one */
	vrrp_work_push(f.w, NULL, 1, 5000, 4000);
	vrrp_work_push(f.w, NULL, 0, 10, 10);
	ck_assert_uint_eq(vrrp_work_slice(f.w), 1);
	ck_assert_uint_eq(vrrp_work_slice(f.w), 1);
	vrrp_work_free(f.w);
	event_base_free(b);
}
END_TEST

/* An item in parts runs them while its slice has time and continues the
 * rest in the next slice, before what was queued after it; outside a
 * slice it runs them all. */
START_TEST(item_in_parts_ends_with_its_slice)
{
	struct fake f;
	struct event_base *b = fake_setup(&f, 16, 1000);

	ck_assert_int_eq(vrrp_work_slice_over(f.w), 0);
	/* 10 parts of 300 us: 4 a slice (the 4th crosses 1 ms) */
	vrrp_work_push(f.w, NULL, 9, 300, 10);
	vrrp_work_push(f.w, NULL, 0, 7, 7);
	ck_assert_uint_eq(vrrp_work_slice(f.w), 1);
	ck_assert_uint_eq(f.n, 4);
	ck_assert_uint_eq(vrrp_work_pending(f.w), 2);
	ck_assert_uint_eq(vrrp_work_slice(f.w), 1);
	ck_assert_uint_eq(f.n, 8);
	ck_assert_uint_eq(vrrp_work_slice(f.w), 2);	/* the last 2, then 7 */
	ck_assert_uint_eq(f.n, 11);
	ck_assert_int_eq(f.ran[10], 7);
	ck_assert_int_eq(vrrp_work_slice_over(f.w), 0);
	/* flush: no slice, every part at once */
	f.n = 0;
	vrrp_work_push(f.w, NULL, 9, 300, 10);
	vrrp_work_flush(f.w);
	ck_assert_uint_eq(f.n, 10);
	ck_assert_uint_eq(vrrp_work_pending(f.w), 0);
	vrrp_work_free(f.w);
	event_base_free(b);
}
END_TEST

/*
 * Per kind: items, sums, the longest item with its CPU, the most CPU of
 * one item; the longest slice with its CPU, wait for a CPU, sleeps and
 * preemptions, its item count and the kind and cost of its longest item;
 * items run by run_owner and flush count for their kind but make no
 * slice; a kind out of range shares the last slot.
 */
START_TEST(accounts_kinds_and_the_longest_slice)
{
	struct fake f;
	struct event_base *b = fake_setup(&f, 16, 1000);
	const struct vrrp_work_kind_stat *k;
	const struct vrrp_work_slice_stat *s;

	s = vrrp_work_longest_slice(f.w);
	ck_assert_int_eq(s->kind, -1);
	ck_assert_uint_eq(vrrp_work_longest(f.w), 0);

	/* slice 1: 100 + 200 + 900 us wall, the "big" one mostly CPU */
	vrrp_work_push(f.w, NULL, 0, 100, 90);
	vrrp_work_push(f.w, NULL, 0, 200, 150);
	vrrp_work_push(f.w, NULL, 1, 900, 800);
	ck_assert_uint_eq(vrrp_work_slice(f.w), 3);
	slice_is(s, 3, &(struct vrrp_work_cost){ .wall = 1200, .cpu = 1040 },
	    1, 900, 800);

	/* slice 2: one item preempted for most of its 6 ms: the longest */
	vrrp_work_push(f.w, NULL, 3, 6000, 300);
	vrrp_work_push(f.w, NULL, 0, 50, 50);
	ck_assert_uint_eq(vrrp_work_slice(f.w), 1);
	slice_is(s, 1, &(struct vrrp_work_cost){ .wall = 6000, .cpu = 300,
	    .wait = 4000, .preempts = 1 }, 3, 6000, 300);
	ck_assert_uint_eq(vrrp_work_longest(f.w), 6000);

	/* slice 3: shorter, so the longest stays */
	vrrp_work_push(f.w, NULL, 4, 700, 20);
	ck_assert_uint_eq(vrrp_work_slice(f.w), 2);
	ck_assert_int_eq(s->kind, 3);

	/* outside slices: run_owner and flush; a kind out of range */
	vrrp_work_push(f.w, (void *)(intptr_t)1, 1, 2000, 1900);
	vrrp_work_push(f.w, NULL, 40, 30, 30);
	vrrp_work_run_owner(f.w, (void *)(intptr_t)1);
	vrrp_work_flush(f.w);
	ck_assert_uint_eq(vrrp_work_longest(f.w), 6000);
	ck_assert_uint_eq(vrrp_work_done(f.w), 8);

	k = vrrp_work_kind(f.w, 0);
	ck_assert_uint_eq(k->n, 3);
	ck_assert_uint_eq(k->wall_sum, 350);
	ck_assert_uint_eq(k->cpu_sum, 290);
	ck_assert_uint_eq(k->longest.wall, 200);
	ck_assert_uint_eq(k->longest.cpu, 150);
	ck_assert_uint_eq(k->cpu_max, 150);
	k = vrrp_work_kind(f.w, 1);
	ck_assert_uint_eq(k->n, 2);
	ck_assert_uint_eq(k->longest.wall, 2000);
	ck_assert_uint_eq(k->longest.cpu, 1900);
	k = vrrp_work_kind(f.w, 3);
	ck_assert_uint_eq(k->n, 1);
	ck_assert_uint_eq(k->longest.wall, 6000);
	ck_assert_uint_eq(k->longest.cpu, 300);
	ck_assert_uint_eq(k->cpu_max, 300);
	k = vrrp_work_kind(f.w, VRRP_WORK_KINDS - 1);
	ck_assert_uint_eq(k->n, 1);
	ck_assert_uint_eq(k->wall_sum, 30);
	ck_assert_ptr_null(vrrp_work_kind(f.w, 40));
	ck_assert_ptr_null(vrrp_work_kind(f.w, -1));
	vrrp_work_free(f.w);
	event_base_free(b);
}
END_TEST

static int
fake_rt(void *arg, uint64_t *used, uint64_t *limit)
{
	struct fake *f = arg;

	f->rt_asked++;
	if (!f->rt_on)
		return -1;
	*used = f->rt_used;
	*limit = f->rt_limit;
	return 0;
}

static uint64_t
fake_pause(void *arg, uint64_t cost)
{
	struct fake *f = arg;

	if (f->npause < 8)
		f->paused[f->npause] = cost;
	f->npause++;
	return 0;
}

/* Items of kind at a us of wall and b of CPU, n of them. */
static void
push_n(struct fake *f, int kind, int a, int b, unsigned n)
{
	while (n-- > 0)
		ck_assert_int_eq(vrrp_work_push(f->w, NULL, kind, a, b), 0);
}

/*
 * A kind's expected cost: max_usec before any ran, then its dearest item
 * of late, a cheaper item taking an eighth of the difference off; items
 * run by flush count too.
 */
START_TEST(expects_each_kind_its_recent_worst)
{
	struct fake f;
	struct event_base *b = fake_setup(&f, 16, 1000);

	ck_assert_uint_eq(vrrp_work_expect(f.w, 1), 1000);
	push_n(&f, 1, 1300, 1200, 1);
	ck_assert_uint_eq(vrrp_work_slice(f.w), 1);
	ck_assert_uint_eq(vrrp_work_expect(f.w, 1), 1200);
	push_n(&f, 1, 400, 400, 1);
	vrrp_work_flush(f.w);
	ck_assert_uint_eq(vrrp_work_expect(f.w, 1), 1200 - 800 / 8);
	push_n(&f, 1, 1500, 1500, 1);
	vrrp_work_flush(f.w);
	ck_assert_uint_eq(vrrp_work_expect(f.w, 1), 1500);
	/* other kinds untouched */
	ck_assert_uint_eq(vrrp_work_expect(f.w, 0), 1000);
	vrrp_work_free(f.w);
	event_base_free(b);
}
END_TEST

/*
 * Realtime: a slice ends before an item whose kind's expected cost, with
 * the time run since the child last blocked and the slice's own, would
 * pass what vrrp_gap_rt_block allows (half the limit, the cost counted a
 * quarter more): the dear item waits for the next slice, which it opens.
 * Not realtime now (the budget says -1): the slice runs to max_usec.
 */
START_TEST(realtime_slice_ends_before_a_dear_item)
{
	struct fake f;
	struct event_base *b = fake_setup(&f, 16, 1000);

	/* kind 1 is known dear: 1200 us of CPU */
	push_n(&f, 1, 1200, 1200, 1);
	ck_assert_uint_eq(vrrp_work_slice(f.w), 1);
	vrrp_work_set_rt(f.w, fake_rt);
	f.rt_on = 1;
	f.rt_used = 500;
	f.rt_limit = 4000;
	f.n = 0;
	/* 500 + 3 x 100 run, then 800 + 1200 * 1.25 >= 2000: the slice
	 * ends before the dear one; without the bound it would run it (the
	 * wall had not reached 1000 us) */
	push_n(&f, 0, 100, 100, 3);
	push_n(&f, 1, 1200, 1200, 1);
	push_n(&f, 0, 100, 100, 1);
	ck_assert_uint_eq(vrrp_work_slice(f.w), 3);
	ck_assert_uint_eq(f.rt_asked, 1);
	ck_assert_int_eq(f.ran[2], 100);
	ck_assert_uint_eq(vrrp_work_pending(f.w), 2);
	/* the next slice (after the child slept) opens with it */
	f.rt_used = 0;
	ck_assert_uint_eq(vrrp_work_slice(f.w), 1);
	ck_assert_int_eq(f.ran[3], 1200);
	ck_assert_uint_eq(vrrp_work_slice(f.w), 1);
	ck_assert_uint_eq(vrrp_work_pending(f.w), 0);

	/* preempted, the slice's wall counts: 300 us of CPU in 900 us,
	 * 1000 + 900 + 125 >= 2000 */
	f.rt_used = 1000;
	push_n(&f, 3, 900, 300, 1);
	push_n(&f, 0, 100, 100, 3);
	ck_assert_uint_eq(vrrp_work_slice(f.w), 1);
	ck_assert_uint_eq(vrrp_work_slice(f.w), 3);

	/* not realtime now: bounded by max_usec alone */
	f.rt_on = 0;
	f.n = 0;
	f.rt_used = 1900;
	push_n(&f, 0, 100, 100, 3);
	push_n(&f, 1, 1200, 1200, 1);
	ck_assert_uint_eq(vrrp_work_slice(f.w), 4);
	vrrp_work_free(f.w);
	event_base_free(b);
}
END_TEST

/* An item in parts: under the realtime bound, vrrp_work_slice_over says
 * so once another part of its kind would pass it. */
START_TEST(realtime_bound_ends_an_item_in_parts)
{
	struct fake f;
	struct event_base *b = fake_setup(&f, 16, 10000);

	vrrp_work_set_rt(f.w, fake_rt);
	f.rt_on = 1;
	f.rt_limit = 4000;
	/* kind 9 known at 102 us an item (a part of 2 us, one of 100) */
	push_n(&f, 9, 100, 2, 1);
	vrrp_work_flush(f.w);
	ck_assert_uint_eq(vrrp_work_expect(f.w, 9), 102);
	/* 20 parts of 100 us (the first 20 us of CPU) from 1500 us run:
	 * before the fifth, 1500 + 400 + 127 >= 2000; max_usec alone would
	 * have run them all */
	f.n = 0;
	f.rt_used = 1500;
	push_n(&f, 9, 100, 20, 1);
	ck_assert_uint_eq(vrrp_work_slice(f.w), 1);
	ck_assert_uint_eq(f.n, 4);
	ck_assert_uint_eq(vrrp_work_pending(f.w), 1);
	vrrp_work_free(f.w);
	event_base_free(b);
}
END_TEST

/*
 * The pause before a slice is asked with what the items the slice would
 * run are expected to cost: a kind not seen yet a whole slice (max_usec),
 * else the sum of its items' expected costs, up to max_items of them or
 * until max_usec is reached.
 */
START_TEST(pause_asked_with_the_expected_cost)
{
	struct fake f;
	struct event_base *b = fake_setup(&f, 8, 1000);

	vrrp_work_set_pause(f.w, fake_pause);
	/* the start's turn, with nothing queued, asks nothing */
	event_base_loop(b, EVLOOP_ONCE | EVLOOP_NONBLOCK);
	ck_assert_uint_eq(f.npause, 0);
	push_n(&f, 0, 120, 100, 2);
	event_base_loop(b, EVLOOP_ONCE | EVLOOP_NONBLOCK);
	ck_assert_uint_eq(f.npause, 1);
	ck_assert_uint_eq(f.paused[0], 1000);
	ck_assert_uint_eq(vrrp_work_pending(f.w), 0);
	/* 3 of 100 us */
	push_n(&f, 0, 120, 100, 3);
	event_base_loop(b, EVLOOP_ONCE | EVLOOP_NONBLOCK);
	ck_assert_uint_eq(f.paused[1], 300);
	/* 12 of 100 us: max_items (8) of them */
	push_n(&f, 0, 100, 100, 12);
	event_base_loop(b, EVLOOP_ONCE | EVLOOP_NONBLOCK);
	ck_assert_uint_eq(f.paused[2], 800);
	vrrp_work_flush(f.w);
	/* a dear one first: its own cost; then up to max_usec */
	push_n(&f, 1, 1300, 1250, 1);
	vrrp_work_flush(f.w);
	push_n(&f, 1, 1300, 1250, 1);
	push_n(&f, 0, 100, 100, 2);
	event_base_loop(b, EVLOOP_ONCE | EVLOOP_NONBLOCK);
	ck_assert_uint_eq(f.paused[3], 1250);
	vrrp_work_flush(f.w);
	/* 400 us each: the third reaches max_usec */
	push_n(&f, 2, 500, 400, 1);
	vrrp_work_flush(f.w);
	push_n(&f, 2, 500, 400, 5);
	event_base_loop(b, EVLOOP_ONCE | EVLOOP_NONBLOCK);
	ck_assert_uint_eq(f.paused[4], 1200);
	ck_assert_uint_eq(f.npause, 5);
	vrrp_work_free(f.w);
	event_base_free(b);
}
END_TEST

/* The dump as text. */
static char *
dump_text(const struct vrrp_work *w)
{
	char *text = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&text, &len);

	ck_assert_ptr_nonnull(fp);
	vrrp_work_dump(w, fp);
	fclose(fp);
	return text;
}

/* The data dump's lines: the longest slice with how it was spent and the
 * kind of its longest item, then one line per kind that ran, by name,
 * "kind K" for one without. */
START_TEST(dump_names_the_kind_of_the_longest_slice)
{
	struct fake f;
	struct event_base *b = fake_setup(&f, 16, 1000);
	char *text = dump_text(f.w);

	ck_assert_str_eq(text, " VRRP work items done = 0, longest slice "
	    "0.000 ms\n");
	free(text);

	vrrp_work_push(f.w, NULL, 0, 100, 100);
	vrrp_work_push(f.w, NULL, 3, 12300, 800);
	vrrp_work_push(f.w, NULL, 2, 40, 40);
	vrrp_work_flush(f.w);		/* no slice */
	vrrp_work_push(f.w, NULL, 0, 100, 100);
	vrrp_work_push(f.w, NULL, 3, 12300, 800);
	vrrp_work_slice(f.w);
	text = dump_text(f.w);
	ck_assert_str_eq(text,
	    " VRRP work items done = 5, longest slice 12.400 ms (cpu 0.900 "
	    "ms, waiting for a CPU 8.200 ms, 0 sleep(s), 1 preemption(s), "
	    "2 item(s)), item kind preempted (12.300 ms, cpu 0.800 ms)\n"
	    " VRRP work items of kind small = 2, longest 0.100 ms (cpu "
	    "0.100 ms), most cpu 0.100 ms, mean 0.100 ms (cpu 0.100 ms)\n"
	    " VRRP work items of kind kind 2 = 1, longest 0.040 ms (cpu "
	    "0.040 ms), most cpu 0.040 ms, mean 0.040 ms (cpu 0.040 ms)\n"
	    " VRRP work items of kind preempted = 2, longest 12.300 ms (cpu "
	    "0.800 ms), most cpu 0.800 ms, mean 12.300 ms (cpu 0.800 ms)\n"
	    /* the flush and the slice in one burst: no turn of the loop
	     * between them ended the start */
	    " VRRP work burst 1 (start): started 0.025 s before this dump, "
	    "over in 12.440 ms, 0 slice(s), busy 12.440 ms (cpu 0.940 ms)\n"
	    " VRRP work burst 1 items done = 3, longest slice 0.000 ms\n"
	    " VRRP work burst 1 items of kind small = 1, longest 0.100 ms "
	    "(cpu 0.100 ms), most cpu 0.100 ms, mean 0.100 ms (cpu 0.100 "
	    "ms)\n"
	    " VRRP work burst 1 items of kind kind 2 = 1, longest 0.040 ms "
	    "(cpu 0.040 ms), most cpu 0.040 ms, mean 0.040 ms (cpu 0.040 "
	    "ms)\n"
	    " VRRP work burst 1 items of kind preempted = 1, longest 12.300 "
	    "ms (cpu 0.800 ms), most cpu 0.800 ms, mean 12.300 ms (cpu "
	    "0.800 ms)\n"
	    " VRRP work burst 2 (start): started 0.012 s before this dump, "
	    "over in 12.400 ms, 1 slice(s), busy 12.400 ms (cpu 0.900 ms)\n"
	    " VRRP work burst 2 items done = 2, longest slice 12.400 ms (cpu "
	    "0.900 ms, waiting for a CPU 8.200 ms, 0 sleep(s), 1 "
	    "preemption(s), 2 item(s)), item kind preempted (12.300 ms, cpu "
	    "0.800 ms)\n"
	    " VRRP work burst 2 items of kind small = 1, longest 0.100 ms "
	    "(cpu 0.100 ms), most cpu 0.100 ms, mean 0.100 ms (cpu 0.100 "
	    "ms)\n"
	    " VRRP work burst 2 items of kind preempted = 1, longest 12.300 "
	    "ms (cpu 0.800 ms), most cpu 0.800 ms, mean 12.300 ms (cpu "
	    "0.800 ms)\n");
	free(text);
	vrrp_work_free(f.w);
	event_base_free(b);
}
END_TEST

/* ---- bursts: the figures of each phase --------------------------------- */

/* How many lines of text start with pre. */
static unsigned
lines_starting(const char *text, const char *pre)
{
	unsigned n = 0;

	for (const char *l = text; l != NULL && *l != '\0';) {
		if (strncmp(l, pre, strlen(pre)) == 0)
			n++;
		l = strchr(l, '\n');
		if (l != NULL)
			l++;
	}
	return n;
}

/* How many times s occurs in text. */
static unsigned
count_of(const char *text, const char *s)
{
	unsigned n = 0;

	for (const char *at = text; (at = strstr(at, s)) != NULL; at++)
		n++;
	return n;
}

static void
labels_are(const struct vrrp_work_burst *p, unsigned n, const char *l0,
    const char *l1)
{
	ck_assert_uint_eq(p->nlabels, n);
	ck_assert_str_eq(p->labels[0], l0);
	if (n > 1)
		ck_assert_str_eq(p->labels[1], l1);
}

/*
 * A burst held (a reload applied in parts) is not over when a slice
 * between two parts empties the queue: the parts' items are one burst,
 * over when the hold ends with the queue empty.
 */
START_TEST(burst_held_across_parts)
{
	struct fake f;
	struct event_base *b = fake_setup(&f, 16, 1000);
	const struct vrrp_work_burst *p;

	vrrp_work_cause(f.w, "reload");
	vrrp_work_hold(f.w, 1);
	vrrp_work_push(f.w, NULL, 0, 100, 100);
	ck_assert_uint_eq(vrrp_work_slice(f.w), 1);
	p = vrrp_work_burst_last(f.w);
	ck_assert_int_eq(p->running, 1);
	/* the next part's items join it */
	vrrp_work_push(f.w, NULL, 0, 100, 100);
	vrrp_work_push(f.w, NULL, 0, 100, 100);
	ck_assert_uint_eq(vrrp_work_slice(f.w), 2);
	p = vrrp_work_burst_last(f.w);
	ck_assert_int_eq(p->running, 1);
	ck_assert_uint_eq(p->seq, 1);
	vrrp_work_hold(f.w, 0);
	p = vrrp_work_burst_of(f.w, "reload");
	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(p->running, 0);
	ck_assert_uint_eq(p->seq, 1);
	ck_assert_uint_eq(p->st.done, 3);
	ck_assert_uint_eq(p->slices, 2);
	/* not held: the same two parts are two bursts */
	vrrp_work_push(f.w, NULL, 0, 100, 100);
	ck_assert_uint_eq(vrrp_work_slice(f.w), 1);
	ck_assert_int_eq(vrrp_work_burst_last(f.w)->running, 0);
	vrrp_work_push(f.w, NULL, 0, 100, 100);
	ck_assert_uint_eq(vrrp_work_slice(f.w), 1);
	ck_assert_uint_eq(vrrp_work_burst_last(f.w)->seq, 3);
	vrrp_work_free(f.w);
	event_base_free(b);
}
END_TEST

/*
 * A burst runs from the work queued into an empty queue until the queue
 * is empty again: the start, a takeover, a reload joined by a takeover,
 * then work queued with no cause (named for its kind). Each keeps its own
 * figures (when, how long, slices, busy, items, the longest slice and
 * each kind's items) beside the whole life's; the last burst of a label
 * replaces the one before, the first is kept.
 */
START_TEST(bursts_keep_each_phase)
{
	struct fake f;
	struct event_base *b = fake_setup(&f, 16, 1000);
	const struct vrrp_work_burst *p;
	const struct vrrp_work_kind_stat *k;
	char *text;

	ck_assert_ptr_null(vrrp_work_burst_first(f.w));
	ck_assert_ptr_null(vrrp_work_burst_last(f.w));
	/* the start: 3 items in 2 slices (1.2 ms, then 0.3 ms), 2 ms apart */
	vrrp_work_push(f.w, NULL, 0, 500, 400);
	vrrp_work_push(f.w, NULL, 0, 700, 600);
	vrrp_work_push(f.w, NULL, 1, 300, 300);
	f.now.wall += 50;
	ck_assert_uint_eq(vrrp_work_slice(f.w), 2);
	p = vrrp_work_burst_last(f.w);
	ck_assert_uint_eq(p->seq, 1);
	ck_assert_int_eq(p->running, 1);
	ck_assert_ptr_eq(vrrp_work_burst_first(f.w), p);
	f.now.wall += 2000;
	ck_assert_uint_eq(vrrp_work_slice(f.w), 1);
	p = vrrp_work_burst_first(f.w);
	ck_assert_uint_eq(p->seq, 1);
	ck_assert_int_eq(p->running, 0);
	labels_are(p, 1, "start", NULL);
	ck_assert_uint_eq(p->start, 5000000);
	ck_assert_uint_eq(p->end, 5000000 + 50 + 1200 + 2000 + 300);
	ck_assert_uint_eq(p->slices, 2);
	ck_assert_uint_eq(p->busy, 1500);
	ck_assert_uint_eq(p->busy_cpu, 1300);
	ck_assert_uint_eq(p->st.done, 3);
	ck_assert_uint_eq(p->st.slice.cost.wall, 1200);
	ck_assert_uint_eq(p->st.slice.items, 2);
	ck_assert_int_eq(p->st.slice.kind, 0);
	ck_assert_uint_eq(p->st.kinds[0].n, 2);
	ck_assert_uint_eq(p->st.kinds[1].n, 1);

	/* a takeover 10 s later: one item preempted for 6 ms */
	f.now.wall += 10000000;
	vrrp_work_cause(f.w, "takeover");
	vrrp_work_push(f.w, NULL, 3, 6000, 300);
	vrrp_work_push(f.w, NULL, 4, 100, 20);
	ck_assert_uint_eq(vrrp_work_slice(f.w), 1);
	ck_assert_uint_eq(vrrp_work_slice(f.w), 1);
	p = vrrp_work_burst_of(f.w, "takeover");
	ck_assert_ptr_nonnull(p);
	ck_assert_uint_eq(p->seq, 2);
	labels_are(p, 1, "takeover", NULL);
	ck_assert_uint_eq(p->end - p->start, 6100);
	ck_assert_uint_eq(p->st.done, 2);
	ck_assert_uint_eq(p->st.slice.cost.wall, 6000);
	ck_assert_uint_eq(p->st.slice.cost.wait, 4000);
	ck_assert_int_eq(p->st.slice.kind, 3);
	ck_assert_uint_eq(p->st.kinds[0].n, 0);
	/* the start's figures are its own; the whole life's hold both */
	p = vrrp_work_burst_of(f.w, "start");
	ck_assert_uint_eq(p->seq, 1);
	ck_assert_uint_eq(p->st.slice.cost.wall, 1200);
	ck_assert_uint_eq(vrrp_work_longest(f.w), 6000);
	ck_assert_uint_eq(vrrp_work_done(f.w), 5);

	/* a reload: a slice of its work, then a takeover in a later turn
	 * joins its burst; the second slice is its longest */
	f.now.wall += 1000000;
	vrrp_work_cause(f.w, "reload");
	for (int i = 0; i < 4; i++)
		vrrp_work_push(f.w, NULL, 0, 400, 400);
	ck_assert_uint_eq(vrrp_work_slice(f.w), 3);
	p = vrrp_work_burst_last(f.w);
	ck_assert_int_eq(p->running, 1);
	labels_are(p, 1, "reload", NULL);
	/* while it runs, the last takeover is still the one before */
	ck_assert_uint_eq(vrrp_work_burst_of(f.w, "takeover")->seq, 2);
	vrrp_work_cause(f.w, "takeover");
	vrrp_work_push(f.w, NULL, 1, 900, 700);
	vrrp_work_push(f.w, NULL, 0, 10, 10);
	ck_assert_uint_eq(vrrp_work_slice(f.w), 2);	/* 400 + 900 */
	ck_assert_uint_eq(vrrp_work_slice(f.w), 1);
	p = vrrp_work_burst_last(f.w);
	ck_assert_int_eq(p->running, 0);
	ck_assert_uint_eq(p->seq, 3);
	labels_are(p, 2, "reload", "takeover");
	ck_assert_uint_eq(vrrp_work_burst_of(f.w, "reload")->seq, 3);
	ck_assert_uint_eq(vrrp_work_burst_of(f.w, "takeover")->seq, 3);
	ck_assert_uint_eq(p->slices, 3);
	ck_assert_uint_eq(p->st.done, 6);
	ck_assert_uint_eq(p->st.slice.cost.wall, 1300);
	ck_assert_uint_eq(p->st.slice.items, 2);
	ck_assert_int_eq(p->st.slice.kind, 1);
	ck_assert_uint_eq(p->st.slice.item.wall, 900);
	k = &p->st.kinds[0];
	ck_assert_uint_eq(k->n, 5);
	ck_assert_uint_eq(k->wall_sum, 1610);
	ck_assert_uint_eq(k->longest.wall, 400);

	/* no cause (the slice ended the last): the kind's name */
	vrrp_work_push(f.w, NULL, 4, 30, 30);
	ck_assert_uint_eq(vrrp_work_slice(f.w), 1);
	p = vrrp_work_burst_of(f.w, "asleep");
	ck_assert_uint_eq(p->seq, 4);
	labels_are(p, 1, "asleep", NULL);
	ck_assert_uint_eq(vrrp_work_burst_first(f.w)->seq, 1);
	ck_assert_uint_eq(vrrp_work_done(f.w), 12);

	/* the dump: the whole life, then bursts 1, 3 and 4 (the takeover of
	 * burst 2 is no longer the last), oldest first */
	text = dump_text(f.w);
	ck_assert_msg(strstr(text, " VRRP work items done = 12, longest "
	    "slice 6.000 ms") == text, "%s", text);
	ck_assert_uint_eq(lines_starting(text, " VRRP work burst 1 (start): "),
	    1);
	ck_assert_uint_eq(lines_starting(text, " VRRP work burst 2 "), 0);
	ck_assert_uint_eq(lines_starting(text,
	    " VRRP work burst 3 (reload, takeover): "), 1);
	ck_assert_uint_eq(lines_starting(text, " VRRP work burst 4 (asleep): "),
	    1);
	ck_assert(strstr(text, " VRRP work burst 1 (") <
	    strstr(text, " VRRP work burst 3 ("));
	ck_assert(strstr(text, " VRRP work burst 3 (") <
	    strstr(text, " VRRP work burst 4 ("));
	ck_assert_msg(strstr(text, " VRRP work burst 3 items done = 6, "
	    "longest slice 1.300 ms (cpu 1.100 ms, waiting for a CPU 0.000 "
	    "ms, 0 sleep(s), 0 preemption(s), 2 item(s)), item kind big "
	    "(0.900 ms, cpu 0.700 ms)\n") != NULL, "%s", text);
	ck_assert_msg(strstr(text, " VRRP work burst 1 items done = 3, "
	    "longest slice 1.200 ms") != NULL, "%s", text);
	free(text);
	vrrp_work_free(f.w);
	event_base_free(b);
}
END_TEST

/*
 * Memory stays bounded: the last burst of VRRP_WORK_LABELS labels is kept
 * (the label whose last burst is the oldest goes first), and the first;
 * a burst keeps VRRP_WORK_BURST_LABELS labels and counts the rest.
 */
START_TEST(bursts_kept_are_bounded)
{
	static const char *const causes[] = { "c0", "c1", "c2", "c3", "c4",
		"c5", "c6", "c7", "c8", "c9", "c10", "c11" };
	struct fake f;
	struct event_base *b = fake_setup(&f, 16, 1000);
	const struct vrrp_work_burst *p;
	char *text;
	unsigned i;

	ck_assert_uint_ge(sizeof(causes) / sizeof(causes[0]),
	    VRRP_WORK_LABELS + 2);
	for (i = 0; i < VRRP_WORK_LABELS + 2; i++) {
		vrrp_work_cause(f.w, causes[i]);
		vrrp_work_push(f.w, NULL, 0, 10 * (int)(i + 1), 5);
		ck_assert_uint_eq(vrrp_work_slice(f.w), 1);
	}
	/* c0 is the first; c1 went first once the slots were full */
	ck_assert_uint_eq(vrrp_work_burst_of(f.w, "c0")->seq, 1);
	ck_assert_ptr_null(vrrp_work_burst_of(f.w, "c1"));
	for (i = 2; i < VRRP_WORK_LABELS + 2; i++) {
		p = vrrp_work_burst_of(f.w, causes[i]);
		ck_assert_ptr_nonnull(p);
		ck_assert_uint_eq(p->seq, i + 1);
		ck_assert_uint_eq(p->st.kinds[0].longest.wall, 10 * (i + 1));
	}
	/* one burst that six causes queue work into */
	vrrp_work_cause(f.w, "x0");
	vrrp_work_push(f.w, NULL, 0, 2000, 5);
	vrrp_work_push(f.w, NULL, 0, 10, 5);
	ck_assert_uint_eq(vrrp_work_slice(f.w), 1);
	vrrp_work_cause(f.w, "x1");
	vrrp_work_push(f.w, NULL, 0, 10, 5);
	vrrp_work_cause(f.w, "x2");
	vrrp_work_push(f.w, NULL, 0, 10, 5);
	vrrp_work_cause(f.w, "x3");
	vrrp_work_push(f.w, NULL, 0, 10, 5);
	vrrp_work_cause(f.w, "x4");
	vrrp_work_push(f.w, NULL, 0, 10, 5);
	vrrp_work_cause(f.w, "x5");
	vrrp_work_push(f.w, NULL, 0, 10, 5);
	ck_assert_uint_eq(vrrp_work_slice(f.w), 6);
	p = vrrp_work_burst_last(f.w);
	ck_assert_uint_eq(p->nlabels, VRRP_WORK_BURST_LABELS);
	ck_assert_uint_eq(p->more, 2);
	ck_assert_str_eq(p->labels[3], "x3");
	ck_assert_uint_eq(vrrp_work_burst_of(f.w, "x3")->seq, p->seq);
	ck_assert_ptr_null(vrrp_work_burst_of(f.w, "x4"));
	text = dump_text(f.w);
	ck_assert_uint_eq(lines_starting(text, " VRRP work burst 11 (x0, x1, "
	    "x2, x3 and 2 more): "), 1);
	/* each burst kept once: the first (c0), the last of c6..c9 and
	 * burst 11 (x0..x3 took the slots of c2..c5) */
	ck_assert_uint_eq(count_of(text, "): started "), 6);
	for (i = 7; i <= 11; i++) {
		char head[32];

		snprintf(head, sizeof(head), " VRRP work burst %u (", i);
		ck_assert_uint_eq(lines_starting(text, head), 1);
	}
	ck_assert_uint_eq(lines_starting(text, " VRRP work burst 1 (c0): "),
	    1);
	free(text);
	vrrp_work_free(f.w);
	event_base_free(b);
}
END_TEST

/* Work of kind queued into an empty queue: the burst it opens, seq, with
 * label alone. */
static const struct vrrp_work_burst *
push_opens(struct rec *r, int kind, int a, uint64_t seq, const char *label)
{
	const struct vrrp_work_burst *p;

	ck_assert_uint_eq(vrrp_work_pending(r->w), 0);
	ck_assert_int_eq(vrrp_work_push(r->w, NULL, kind, a, 0), 0);
	p = vrrp_work_burst_last(r->w);
	ck_assert_uint_eq(p->seq, seq);
	ck_assert_int_eq(p->running, 1);
	labels_are(p, 1, label, NULL);
	return p;
}

/* The real loop tests' kinds, by name. */
static const char *const loop_kinds[] = { [7] = "seven", [8] = "eight" };

/* cause, then (after a flush if flush) a turn of the loop: work of kind
 * queued then bears its kind's name, not the cause. */
static void
cause_for_a_turn(struct rec *r, struct event_base *b, const char *cause,
    int flush, int kind)
{

	vrrp_work_cause(r->w, cause);
	if (flush)
		vrrp_work_flush(r->w);
	event_base_loop(b, EVLOOP_ONCE | EVLOOP_NONBLOCK);
	vrrp_work_push(r->w, NULL, kind, 1, 0);
	labels_are(vrrp_work_burst_last(r->w), 1, loop_kinds[kind], NULL);
}

/*
 * On the real loop: a cause holds for the rest of the turn of the loop
 * (a new queue's "start" too, with nothing queued), also across a flush
 * (a reload flushes what was queued before it, which ends that burst,
 * then queues its own); work an item queues (the rest of a long one)
 * adds no label; run_owner and flush end a burst that empties the queue.
 */
START_TEST(cause_holds_for_the_turn)
{
	struct rec r = { 0 };
	struct event_base *b = setup(&r, SLICE);
	const struct vrrp_work_burst *p;

	vrrp_work_set_kinds(r.w, loop_kinds, 9);
	/* nothing queued at the start: its turn ends the cause anyway */
	event_base_loop(b, EVLOOP_ONCE | EVLOOP_NONBLOCK);
	p = push_opens(&r, 7, 0, 1, "seven");
	drain(&r, b);
	ck_assert_int_eq(p->running, 0);

	/* a cause and an empty queue: the turn ends it */
	cause_for_a_turn(&r, b, "reload", 0, 7);
	ck_assert_uint_eq(vrrp_work_burst_last(r.w)->seq, 2);

	/* a reload: flushes burst 2 (over), queues burst 3 under its cause,
	 * which the next turn ends */
	vrrp_work_cause(r.w, "reload");
	vrrp_work_flush(r.w);
	ck_assert_int_eq(vrrp_work_burst_of(r.w, "seven")->running, 0);
	ck_assert_uint_eq(vrrp_work_burst_of(r.w, "seven")->seq, 2);
	p = push_opens(&r, 7, 2, 3, "reload");
	vrrp_work_push(r.w, NULL, 8, 3, 0);
	labels_are(p, 1, "reload", NULL);
	drain(&r, b);
	ck_assert_int_eq(p->running, 0);
	ck_assert_uint_eq(p->st.done, 2);
	vrrp_work_push(r.w, NULL, 8, 4, 0);
	labels_are(vrrp_work_burst_last(r.w), 1, "eight", NULL);
	/* a reload that queues nothing after its flush: the turn still
	 * ends its cause */
	cause_for_a_turn(&r, b, "reload", 1, 8);
	drain(&r, b);

	/* a long item's rest, queued by the item: no label of its own */
	vrrp_work_cause(r.w, "takeover");
	vrrp_work_push(r.w, NULL, 8, 5, 2);
	drain(&r, b);
	p = vrrp_work_burst_last(r.w);
	ck_assert_uint_eq(p->seq, 6);
	ck_assert_int_eq(p->running, 0);
	labels_are(p, 1, "takeover", NULL);
	ck_assert_uint_eq(p->st.kinds[8].n, 3);

	/* run_owner empties the queue: the burst is over */
	vrrp_work_push(r.w, (void *)(intptr_t)1, 7, 6, 0);
	vrrp_work_push(r.w, (void *)(intptr_t)1, 7, 7, 0);
	ck_assert_int_eq(vrrp_work_burst_last(r.w)->running, 1);
	vrrp_work_run_owner(r.w, (void *)(intptr_t)1);
	p = vrrp_work_burst_last(r.w);
	ck_assert_uint_eq(p->seq, 7);
	ck_assert_int_eq(p->running, 0);
	ck_assert_uint_eq(p->st.done, 2);
	ck_assert_uint_eq(p->slices, 0);
	/* the first is the first */
	ck_assert_uint_eq(vrrp_work_burst_first(r.w)->seq, 1);
	ck_assert_uint_eq(vrrp_work_burst_first(r.w)->st.done, 1);
	teardown(&r, b);
}
END_TEST

/* A burst's line says when it started on the realtime clock (as
 * keepalived's dump writes a time), how long before the dump, and how
 * long it ran, or runs so far. */
START_TEST(dump_says_when_a_burst_ran)
{
	struct fake f;
	struct event_base *b = fake_setup(&f, 16, 1000);
	char *text;

	setenv("TZ", "UTC", 1);
	tzset();
	vrrp_work_cause(f.w, "takeover");
	vrrp_work_push(f.w, NULL, 1, 800, 500);
	vrrp_work_push(f.w, NULL, 0, 300, 100);
	vrrp_work_push(f.w, NULL, 0, 200, 100);
	ck_assert_uint_eq(vrrp_work_slice(f.w), 2);
	/* 2.5 s after it started, 1796306983.054104 on the realtime clock */
	f.now.wall = 5000000 + 2500000;
	f.now.real = 1796306983054104ULL;
	text = dump_text(f.w);
	ck_assert_msg(strstr(text, " VRRP work burst 1 (takeover): started "
	    "1796306980.554104 (Thu Dec  3 14:09:40.554104 2026), 2.500 s "
	    "before this dump, running for 2500.000 ms, 1 slice(s), busy "
	    "1.100 ms (cpu 0.600 ms)\n VRRP work burst 1 items done = 2, "
	    "longest slice 1.100 ms (cpu 0.600 ms, waiting for a CPU 0.000 "
	    "ms, 0 sleep(s), 0 preemption(s), 2 item(s)), item kind big "
	    "(0.800 ms, cpu 0.500 ms)\n") != NULL, "%s", text);
	free(text);
	ck_assert_uint_eq(vrrp_work_slice(f.w), 1);	/* 0.2 ms */
	f.now.wall += 1000000;
	f.now.real += 1000200;
	text = dump_text(f.w);
	ck_assert_msg(strstr(text, " VRRP work burst 1 (takeover): started "
	    "1796306980.554104 (Thu Dec  3 14:09:40.554104 2026), 3.500 s "
	    "before this dump, over in 2500.200 ms, 2 slice(s), busy 1.300 ms "
	    "(cpu 0.700 ms)\n") != NULL, "%s", text);
	free(text);
	vrrp_work_free(f.w);
	event_base_free(b);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("vrrp_work");
	TCase *tc = tcase_create("queue");

	tcase_add_test(tc, runs_in_order_a_slice_per_turn);
	tcase_add_test(tc, due_advert_before_queued_work);
	tcase_add_test(tc, advert_due_midway_not_starved);
	tcase_add_test(tc, run_owner_before_free);
	tcase_add_test(tc, continued_item_keeps_its_place);
	tcase_add_test(tc, cause_holds_for_the_turn);
	suite_add_tcase(s, tc);
	tc = tcase_create("accounting");
	tcase_add_test(tc, slice_ends_on_the_clock);
	tcase_add_test(tc, item_in_parts_ends_with_its_slice);
	tcase_add_test(tc, accounts_kinds_and_the_longest_slice);
	tcase_add_test(tc, dump_names_the_kind_of_the_longest_slice);
	tcase_add_test(tc, bursts_keep_each_phase);
	tcase_add_test(tc, burst_held_across_parts);
	tcase_add_test(tc, bursts_kept_are_bounded);
	tcase_add_test(tc, dump_says_when_a_burst_ran);
	suite_add_tcase(s, tc);
	tc = tcase_create("realtime");
	tcase_add_test(tc, expects_each_kind_its_recent_worst);
	tcase_add_test(tc, realtime_slice_ends_before_a_dear_item);
	tcase_add_test(tc, realtime_bound_ends_an_item_in_parts);
	tcase_add_test(tc, pause_asked_with_the_expected_cost);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	log_init("test_vrrp_work", LOG_F_STDERR, LOG_DAEMON, 0);
	return check_run(suite());
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The VRRP child's work queue on a real event loop: queued work runs in
 * the order it was queued, a slice at a time, and an advert timer that is
 * due runs before any more queued work (so a mass takeover cannot starve
 * the adverts of the instances already MASTER).
 */
#include <check.h>
#include <stdlib.h>

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
	ck_assert_int_eq(loop_timer_set_priority(r->adver, LOOP_PRIO_HIGH), 0);
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
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	log_init("test_vrrp_work", LOG_F_STDERR, LOG_DAEMON, 0);
	return check_run(suite());
}

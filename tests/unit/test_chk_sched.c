/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The checks' schedule (healthcheck/chk_sched.c): nodes come out in the
 * order of their due times, those scheduled with the same delay in the
 * order they went in; a node unscheduled or scheduled again runs once, at
 * its last time; a callback may schedule nodes (itself included); a burst
 * larger than one turn's batch all runs, in order; reserved room shrinks
 * back when nodes go.
 */
#include "autoconfig.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include <event2/event.h>

#include "check_run.h"
#include "healthcheck/chk_sched.h"
#include "loop.h"

#define NMAX 4000

struct item {
	struct chk_sched_node n;
	unsigned id;
	unsigned again;		/* times to schedule itself again */
};

static struct event_base *base;
static struct chk_sched *sched;
static struct item items[NMAX];
static unsigned order[4 * NMAX], nrun;

static void
fire(struct chk_sched_node *n, void *arg)
{
	struct item *it = (struct item *)(void *)n;

	(void)arg;
	ck_assert_uint_lt(nrun, sizeof(order) / sizeof(order[0]));
	order[nrun++] = it->id;
	if (it->again > 0) {
		it->again--;
		chk_sched_add(sched, n, 0);
	}
}

static void
setup(void)
{
	ck_assert_ptr_nonnull(base = loop_new());
	ck_assert_ptr_nonnull(sched = chk_sched_new(base, fire, NULL));
	memset(items, 0, sizeof(items));
	for (unsigned i = 0; i < NMAX; i++)
		items[i].id = i;
	nrun = 0;
}

static void
teardown(void)
{
	chk_sched_free(sched);
	event_base_free(base);
}

/* Turn the loop until want nodes ran or 5 s passed (bounded). */
static void
run_until(unsigned want)
{
	uint64_t end = loop_now_usec() + 5000000;

	while (nrun < want && loop_now_usec() < end)
		event_base_loop(base, EVLOOP_ONCE);
}

START_TEST(due_order)
{
	/* scheduled in reverse: 400 ms, 360 ms, ... 40 ms (steps far
	 * longer than scheduling takes, also under valgrind) */
	for (unsigned i = 0; i < 10; i++) {
		ck_assert_int_eq(chk_sched_reserve(sched), 0);
		chk_sched_add(sched, &items[i].n, (10 - i) * 40000);
	}
	ck_assert_uint_eq(chk_sched_count(sched), 10);
	run_until(10);
	ck_assert_uint_eq(nrun, 10);
	for (unsigned i = 0; i < 10; i++)
		ck_assert_uint_eq(order[i], 9 - i);
	ck_assert_uint_eq(chk_sched_count(sched), 0);
	ck_assert(!chk_sched_pending(&items[0].n));
}
END_TEST

START_TEST(same_delay_first_in_first_out)
{
	for (unsigned i = 0; i < 500; i++) {
		ck_assert_int_eq(chk_sched_reserve(sched), 0);
		chk_sched_add(sched, &items[i].n, 2000);
	}
	run_until(500);
	ck_assert_uint_eq(nrun, 500);
	for (unsigned i = 0; i < 500; i++)
		ck_assert_uint_eq(order[i], i);
}
END_TEST

START_TEST(del_and_reschedule)
{
	for (unsigned i = 0; i < 10; i++) {
		ck_assert_int_eq(chk_sched_reserve(sched), 0);
		chk_sched_add(sched, &items[i].n, 40000 + i * 40000);
	}
	/* 3 and 7 go; 0 moves after everything; 9 is scheduled twice */
	chk_sched_del(sched, &items[3].n);
	chk_sched_del(sched, &items[7].n);
	chk_sched_del(sched, &items[7].n);	/* twice: nothing */
	chk_sched_add(sched, &items[0].n, 800000);
	chk_sched_add(sched, &items[9].n, 600000);
	ck_assert_uint_eq(chk_sched_count(sched), 8);
	run_until(8);
	ck_assert_uint_eq(nrun, 8);
	{
		const unsigned want[] = { 1, 2, 4, 5, 6, 8, 9, 0 };

		for (unsigned i = 0; i < 8; i++)
			ck_assert_uint_eq(order[i], want[i]);
	}
	/* nothing more comes */
	event_base_loop(base, EVLOOP_NONBLOCK);
	ck_assert_uint_eq(nrun, 8);
}
END_TEST

START_TEST(callback_schedules_again)
{
	for (unsigned i = 0; i < 3; i++) {
		ck_assert_int_eq(chk_sched_reserve(sched), 0);
		items[i].again = 2;
		chk_sched_add(sched, &items[i].n, 0);
	}
	run_until(9);
	ck_assert_uint_eq(nrun, 9);
	/* each one three times, in turn */
	for (unsigned i = 0; i < 9; i++)
		ck_assert_uint_eq(order[i], i % 3);
}
END_TEST

START_TEST(burst_past_one_batch)
{
	unsigned turns = 0;
	uint64_t end = loop_now_usec() + 5000000;

	for (unsigned i = 0; i < NMAX; i++) {
		ck_assert_int_eq(chk_sched_reserve(sched), 0);
		chk_sched_add(sched, &items[i].n, 0);
	}
	while (nrun < NMAX && loop_now_usec() < end) {
		event_base_loop(base, EVLOOP_ONCE);
		turns++;
		/* one turn runs at most one batch */
		ck_assert_uint_le(nrun, turns * CHK_SCHED_BATCH);
	}
	ck_assert_uint_eq(nrun, NMAX);
	for (unsigned i = 0; i < NMAX; i++)
		ck_assert_uint_eq(order[i], i);
}
END_TEST

START_TEST(room_follows_the_nodes)
{
	size_t small = chk_sched_bytes(sched), big;

	for (unsigned i = 0; i < NMAX; i++) {
		ck_assert_int_eq(chk_sched_reserve(sched), 0);
		chk_sched_add(sched, &items[i].n, 60000000);
	}
	big = chk_sched_bytes(sched);
	ck_assert_uint_ge(big, NMAX * 16);
	/* at most twice what the nodes need */
	ck_assert_uint_le(big, 2 * NMAX * 16 + small + 64);
	for (unsigned i = 0; i < NMAX; i++)
		chk_sched_unreserve(sched, &items[i].n);
	ck_assert_uint_eq(chk_sched_count(sched), 0);
	ck_assert_uint_lt(chk_sched_bytes(sched), big / 8);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("chk_sched");
	TCase *tc = tcase_create("schedule");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, due_order);
	tcase_add_test(tc, same_delay_first_in_first_out);
	tcase_add_test(tc, del_and_reschedule);
	tcase_add_test(tc, callback_schedules_again);
	tcase_add_test(tc, burst_past_one_batch);
	tcase_add_test(tc, room_follows_the_nodes);
	tcase_set_timeout(tc, 30);
	suite_add_tcase(s, tc);
	return check_run(s);
}

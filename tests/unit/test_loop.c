/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Event loop glue: timer accuracy, drift, one-shots, stop/free in callbacks. */
#include <check.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#include <event2/event.h>

#include "loop.h"
#include "check_run.h"

#define MAX_FIRES 256

struct tick {
	struct event_base *base;
	uint64_t start;
	uint64_t period;
	uint64_t at[MAX_FIRES];
	int n;
	int stop_after;		/* loopbreak after this many firings */
	uint64_t stall_usec;	/* busy-wait this long on the first firing */
};

static void
tick_cb(struct loop_timer *t, void *arg)
{
	struct tick *k = arg;
	uint64_t now = loop_now_usec();

	(void)t;
	if (k->n < MAX_FIRES)
		k->at[k->n] = now;
	k->n++;
	if (k->n == 1 && k->stall_usec > 0)
		while (loop_now_usec() - now < k->stall_usec)
			;
	if (k->stop_after > 0 && k->n >= k->stop_after)
		event_base_loopbreak(k->base);
}

/*
 * Run the timer paths once before measuring, so that first-use costs
 * (lazy symbol binding, page faults, valgrind's translation) are not
 * counted as timer lateness.
 */
static void
warm_up(struct event_base *base)
{
	struct tick k = { 0 };
	struct loop_timer *t = loop_timer_new(base, tick_cb, &k);

	k.base = base;
	k.stop_after = 3;
	loop_timer_start(t, 1000, 1);
	event_base_dispatch(base);
	loop_timer_free(t);
}

START_TEST(test_repeat_10ms_accuracy)
{
	struct event_base *base = loop_new();
	struct loop_timer *t;
	struct tick k = { 0 };
	struct timeval stop = loop_tv(1005000);
	uint64_t sum = 0, worst = 0;
	int i, outliers = 0;

	ck_assert_ptr_nonnull(base);
	k.base = base;
	k.period = 10000;
	warm_up(base);
	t = loop_timer_new(base, tick_cb, &k);
	ck_assert_ptr_nonnull(t);
	k.start = loop_now_usec();
	ck_assert_int_eq(loop_timer_start(t, k.period, 1), 0);
	event_base_loopexit(base, &stop);
	event_base_dispatch(base);

	/* Over 1 s (+5 ms slack for the last one) a 10 ms timer fires 100
	 * times, each on its own slot of the schedule: no drift, never
	 * early. A shared test machine may deschedule us now and then, so
	 * a few firings may be late by more than 5 ms (never by 50 ms). */
	ck_assert_int_ge(k.n, 99);
	ck_assert_int_le(k.n, 101);
	for (i = 0; i < k.n && i < MAX_FIRES; i++) {
		uint64_t due = k.start + (uint64_t)(i + 1) * k.period;
		int64_t lag = (int64_t)(k.at[i] - due);

		ck_assert_msg(lag > -500, "firing %d was %lld us early", i,
		    (long long)-lag);
		ck_assert_msg(lag < 50000, "firing %d was %lld us late", i,
		    (long long)lag);
		if (lag >= 5000)
			outliers++;
		if (lag > 0) {
			sum += (uint64_t)lag;
			if ((uint64_t)lag > worst)
				worst = (uint64_t)lag;
		}
	}
	ck_assert_msg(outliers <= 10, "%d firings over 5 ms late", outliers);
	ck_assert_msg(sum / (uint64_t)k.n < 2000,
	    "mean lateness %llu us (worst %llu us)",
	    (unsigned long long)(sum / (uint64_t)k.n),
	    (unsigned long long)worst);
	ck_assert(loop_timer_pending(t));
	loop_timer_free(t);
	event_base_free(base);
}
END_TEST

START_TEST(test_repeat_skips_missed_slots)
{
	struct event_base *base = loop_new();
	struct loop_timer *t;
	struct tick k = { 0 };
	int i, on_grid;

	k.base = base;
	k.period = 10000;
	k.stall_usec = 35000;	/* first callback overruns 3.5 periods */
	k.stop_after = 5;
	warm_up(base);
	t = loop_timer_new(base, tick_cb, &k);
	k.start = loop_now_usec();
	ck_assert_int_eq(loop_timer_start(t, k.period, 1), 0);
	event_base_dispatch(base);

	ck_assert_int_eq(k.n, 5);
	/* The slot missed during the stall fires once, when the stall ends
	 * (45 ms), then 50, 60, 70 ms: nominally 25 ms from catch-up to the
	 * fifth firing;
	 * the timer then stays on the original 10 ms grid rather than
	 * bursting through the missed slots (three firings within a few
	 * hundred us) or drifting to 45, 55, ... A loaded machine may make
	 * one firing late, so the grid is checked on the majority. */
	ck_assert_msg(k.at[1] >= k.at[0] + 35000,
	    "catch-up firing at %llu us",
	    (unsigned long long)(k.at[1] - k.start));
	ck_assert_msg(k.at[4] - k.at[1] >= 20000,
	    "burst: 4 firings within %llu us after the stall",
	    (unsigned long long)(k.at[4] - k.at[1]));
	on_grid = 0;
	for (i = 2; i < 5; i++) {
		uint64_t rel = k.at[i] - k.start;

		if (rel % k.period < 3000)
			on_grid++;
	}
	ck_assert_msg(on_grid >= 2, "only %d of 3 firings after the stall "
	    "are on the 10 ms grid (%llu, %llu, %llu us)", on_grid,
	    (unsigned long long)(k.at[2] - k.start),
	    (unsigned long long)(k.at[3] - k.start),
	    (unsigned long long)(k.at[4] - k.start));
	loop_timer_free(t);
	event_base_free(base);
}
END_TEST

static void
once_cb(struct loop_timer *t, void *arg)
{
	struct tick *k = arg;

	(void)t;
	k->at[k->n++] = loop_now_usec();
}

START_TEST(test_oneshot_10ms)
{
	struct event_base *base = loop_new();
	struct loop_timer *t;
	struct tick k = { 0 };
	int64_t el;

	warm_up(base);
	t = loop_timer_new(base, once_cb, &k);
	ck_assert(!loop_timer_pending(t));
	k.start = loop_now_usec();
	ck_assert_int_eq(loop_timer_start(t, 10000, 0), 0);
	ck_assert(loop_timer_pending(t));
	event_base_dispatch(base);	/* returns when nothing is pending */

	ck_assert_int_eq(k.n, 1);
	el = (int64_t)(k.at[0] - k.start);
	ck_assert_msg(el >= 10000 && el <= 15000, "fired after %lld us",
	    (long long)el);
	ck_assert(!loop_timer_pending(t));
	loop_timer_free(t);
	event_base_free(base);
}
END_TEST

START_TEST(test_restart_replaces_deadline)
{
	struct event_base *base = loop_new();
	struct loop_timer *t;
	struct tick k = { 0 };
	int64_t el;

	t = loop_timer_new(base, once_cb, &k);
	ck_assert_int_eq(loop_timer_start(t, 5000, 0), 0);
	k.start = loop_now_usec();
	ck_assert_int_eq(loop_timer_start(t, 20000, 0), 0);
	event_base_dispatch(base);
	ck_assert_int_eq(k.n, 1);
	el = (int64_t)(k.at[0] - k.start);
	ck_assert_msg(el >= 20000, "fired after %lld us", (long long)el);
	loop_timer_free(t);
	event_base_free(base);
}
END_TEST

static int free_count;

static void
free_self_cb(struct loop_timer *t, void *arg)
{
	(void)arg;
	free_count++;
	loop_timer_free(t);
}

static void
stop_self_cb(struct loop_timer *t, void *arg)
{
	int *n = arg;

	if (++*n == 3)
		loop_timer_stop(t);
}

START_TEST(test_stop_and_free_inside_callback)
{
	struct event_base *base = loop_new();
	struct loop_timer *a, *b;
	int n = 0;

	a = loop_timer_new(base, free_self_cb, NULL);
	ck_assert_int_eq(loop_timer_start(a, 1000, 1), 0);
	b = loop_timer_new(base, stop_self_cb, &n);
	ck_assert_int_eq(loop_timer_start(b, 1000, 1), 0);
	free_count = 0;
	/* Returns only once no timer is pending: both got rid of
	 * themselves. */
	event_base_dispatch(base);
	ck_assert_int_eq(free_count, 1);
	ck_assert_int_eq(n, 3);
	ck_assert(!loop_timer_pending(b));
	loop_timer_free(b);
	event_base_free(base);
}
END_TEST

START_TEST(test_bad_arguments)
{
	struct event_base *base = loop_new();
	struct loop_timer *t = loop_timer_new(base, once_cb, NULL);

	errno = 0;
	ck_assert_int_eq(loop_timer_start(t, 0, 1), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_ptr_null(loop_timer_new(base, NULL, NULL));
	loop_timer_stop(NULL);
	loop_timer_free(NULL);
	ck_assert(!loop_timer_pending(NULL));
	loop_timer_free(t);
	event_base_free(base);
}
END_TEST

START_TEST(test_time_helpers)
{
	struct timeval tv = loop_tv(3250001);
	uint64_t a, b;

	ck_assert_int_eq(tv.tv_sec, 3);
	ck_assert_int_eq(tv.tv_usec, 250001);
	tv = loop_tv(999999);
	ck_assert_int_eq(tv.tv_sec, 0);
	ck_assert_int_eq(tv.tv_usec, 999999);
	a = loop_now_usec();
	b = loop_now_usec();
	ck_assert(b >= a);
	ck_assert(a > 0);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("loop");
	TCase *tc = tcase_create("timers");

	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, test_repeat_10ms_accuracy);
	tcase_add_test(tc, test_repeat_skips_missed_slots);
	tcase_add_test(tc, test_oneshot_10ms);
	tcase_add_test(tc, test_restart_replaces_deadline);
	tcase_add_test(tc, test_stop_and_free_inside_callback);
	tcase_add_test(tc, test_bad_arguments);
	tcase_add_test(tc, test_time_helpers);
	suite_add_tcase(s, tc);
	return check_run(s);
}

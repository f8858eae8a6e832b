/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Event loop glue: timers keep their schedule (never early, no drift,
 * missed slots skipped), one-shots, stop/free in callbacks. Nothing here
 * asserts how late a timer may be: bench/timer-precision measures that.
 */
#include <check.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#include <event2/event.h>

#include "loop.h"
#include "check_run.h"

#define MAX_FIRES 256
/* loop_now_usec() truncates to whole microseconds */
#define CLOCK_SLACK 1

struct tick {
	struct event_base *base;
	struct loop_timer *t;
	uint64_t start;
	uint64_t period;
	uint64_t at[MAX_FIRES];		/* when the callback ran */
	uint64_t next[MAX_FIRES];	/* the firing scheduled after it */
	uint64_t fired[MAX_FIRES];	/* the due time it ran for */
	int n;
	int stop_after;		/* loopbreak after this many firings */
	uint64_t stall_usec;	/* busy-wait this long on the first firing */
};

static void
tick_cb(struct loop_timer *t, void *arg)
{
	struct tick *k = arg;
	uint64_t now = loop_now_usec();

	if (k->n < MAX_FIRES) {
		k->at[k->n] = now;
		k->next[k->n] = loop_timer_due(t);
		k->fired[k->n] = loop_timer_fired(t);
	}
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

/*
 * What a repeating timer promises whatever the load: firing i never runs
 * before its scheduled time; every scheduled time lies on the grid
 * start + m * period (lateness never shifts the schedule: no drift); the
 * firing after i is scheduled one period after firing i's slot, or, when
 * firing i ran so late that slots were missed, at the first slot after
 * it ran: never later than its run time plus one period, so the lateness
 * of one firing is not added to the next.
 */
static void
check_schedule(const struct tick *k)
{
	uint64_t due = k->start + k->period;
	int i;

	for (i = 0; i < k->n && i < MAX_FIRES; i++) {
		uint64_t next = k->next[i];

		ck_assert_msg(k->at[i] + CLOCK_SLACK >= due, "firing %d ran "
		    "%llu us before its scheduled time", i,
		    (unsigned long long)(due - k->at[i]));
		if (next == 0)	/* stopped from its own callback */
			break;
		ck_assert_msg((next - k->start) % k->period == 0,
		    "firing %d: next one scheduled off the grid, %llu us "
		    "after start (drift)", i,
		    (unsigned long long)(next - k->start));
		ck_assert_msg(next >= due + k->period, "firing %d: next one "
		    "scheduled %llu us after start, before the following slot "
		    "(%llu us)", i, (unsigned long long)(next - k->start),
		    (unsigned long long)(due + k->period - k->start));
		ck_assert_msg(next <= due + k->period ||
		    next <= k->at[i] + k->period, "firing %d ran at %llu us; "
		    "next one scheduled at %llu us, more than a period later "
		    "(lateness added up)", i,
		    (unsigned long long)(k->at[i] - k->start),
		    (unsigned long long)(next - k->start));
		due = next;
	}
}

START_TEST(test_repeat_on_schedule)
{
	struct event_base *base = loop_new();
	struct loop_timer *t;
	struct tick k = { 0 };
	struct timeval stop = loop_tv(1000000);
	uint64_t elapsed;

	ck_assert_ptr_nonnull(base);
	k.base = base;
	k.period = 10000;
	warm_up(base);
	t = loop_timer_new(base, tick_cb, &k);
	ck_assert_ptr_nonnull(t);
	ck_assert_uint_eq(loop_timer_due(t), 0);
	ck_assert_int_eq(loop_timer_start(t, k.period, 1), 0);
	k.start = loop_timer_due(t) - k.period;	/* the grid's origin */
	event_base_loopexit(base, &stop);
	event_base_dispatch(base);
	elapsed = loop_now_usec() - k.start;

	check_schedule(&k);
	/* Never early: at most one firing per elapsed period. A loaded
	 * machine may skip slots, but a second holds a few firings. */
	ck_assert_msg((uint64_t)k.n <= elapsed / k.period, "%d firings in "
	    "%llu us", k.n, (unsigned long long)elapsed);
	ck_assert_int_ge(k.n, 3);
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

	k.base = base;
	k.period = 10000;
	k.stall_usec = 35000;	/* first callback overruns 3.5 periods */
	k.stop_after = 5;
	warm_up(base);
	t = loop_timer_new(base, tick_cb, &k);
	ck_assert_int_eq(loop_timer_start(t, k.period, 1), 0);
	k.start = loop_timer_due(t) - k.period;
	event_base_dispatch(base);

	ck_assert_int_eq(k.n, 5);
	check_schedule(&k);
	/* The slot due during the stall (20 ms) fires once when the stall
	 * ends; the one after it is the first slot after that moment, not a
	 * burst through the missed slots (30, 40 ms) nor a new grid counted
	 * from the late firing. */
	ck_assert_msg(k.at[1] >= k.at[0] + k.stall_usec,
	    "catch-up firing at %llu us", (unsigned long long)(k.at[1] - k.start));
	ck_assert_msg(k.next[1] > k.at[0] + k.stall_usec, "after the stall "
	    "(ended after %llu us) the next firing is scheduled at %llu us",
	    (unsigned long long)(k.at[0] + k.stall_usec - k.start),
	    (unsigned long long)(k.next[1] - k.start));
	/* each firing knows the slot it ran for: the first, and the one
	 * scheduled after it (due during the stall), however far behind it
	 * ran */
	ck_assert_uint_eq(k.fired[0], k.start + k.period);
	ck_assert_uint_eq(k.fired[1], k.next[0]);
	ck_assert_msg(k.at[1] - k.fired[1] >= k.stall_usec - k.period,
	    "the catch-up firing ran %llu us after its slot",
	    (unsigned long long)(k.at[1] - k.fired[1]));
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
	ck_assert_int_eq(loop_timer_start(t, 10000, 0), 0);
	ck_assert(loop_timer_pending(t));
	k.start = loop_timer_due(t) - 10000;
	event_base_dispatch(base);	/* returns when nothing is pending */

	/* once, never early; how late is the benchmark's business */
	ck_assert_int_eq(k.n, 1);
	el = (int64_t)(k.at[0] - k.start);
	ck_assert_msg(el + CLOCK_SLACK >= 10000, "fired after %lld us",
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
	ck_assert_int_eq(loop_timer_start(t, 20000, 0), 0);
	k.start = loop_timer_due(t) - 20000;
	event_base_dispatch(base);
	ck_assert_int_eq(k.n, 1);
	el = (int64_t)(k.at[0] - k.start);
	ck_assert_msg(el + CLOCK_SLACK >= 20000, "fired after %lld us",
	    (long long)el);
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

/* A burst of HIGH callbacks, each a while long, and an URGENT timer
 * falling due in the middle of it: the URGENT one runs before the burst
 * ends, not after all of it (a VRRP advert owed while a thousand master
 * down timers fire). Order only: how soon is bench/vrrp-scale's figure. */
#define BURST 40
#define BURST_SPIN_USEC 300

struct burst {
	struct event_base *base;
	int order[BURST + 1];	/* who ran n-th: 0..BURST-1 HIGH, BURST URGENT */
	int n;
};

struct burst_arg {
	struct burst *b;
	int id;
};

static void
burst_cb(struct loop_timer *t, void *arg)
{
	struct burst_arg *a = arg;
	uint64_t t0 = loop_now_usec();

	(void)t;
	if (a->b->n <= BURST)
		a->b->order[a->b->n] = a->id;
	a->b->n++;
	if (a->id < BURST)
		while (loop_now_usec() - t0 < BURST_SPIN_USEC)
			;
	if (a->b->n == BURST + 1)
		event_base_loopbreak(a->b->base);
}

START_TEST(test_urgent_before_burst)
{
	struct burst b = { .base = loop_new() };
	struct burst_arg args[BURST + 1];
	struct loop_timer *t[BURST + 1];
	int i, urgent_at = -1;
	uint64_t t0;

	ck_assert_ptr_nonnull(b.base);
	for (i = 0; i <= BURST; i++) {
		args[i].b = &b;
		args[i].id = i;
		t[i] = loop_timer_new(b.base, burst_cb, &args[i]);
		ck_assert_ptr_nonnull(t[i]);
		ck_assert_int_eq(loop_timer_set_priority(t[i],
		    i < BURST ? LOOP_PRIO_HIGH : LOOP_PRIO_URGENT), 0);
	}
	/* the burst due at 1 ms takes 12 ms or more; the URGENT one is due
	 * 3 ms after the burst's; the loop starts once the whole burst is
	 * due, so that one turn finds all of it */
	t0 = loop_now_usec();
	for (i = 0; i < BURST; i++)
		ck_assert_int_eq(loop_timer_start(t[i], 1000, 0), 0);
	ck_assert_int_eq(loop_timer_start(t[BURST], 4000, 0), 0);
	while (loop_now_usec() - t0 < 2000)
		;
	ck_assert_int_eq(event_base_dispatch(b.base), 0);
	ck_assert_int_eq(b.n, BURST + 1);
	for (i = 0; i <= BURST; i++)
		if (b.order[i] == BURST)
			urgent_at = i;
	ck_assert_int_ge(urgent_at, 0);
	ck_assert_msg(urgent_at < BURST,
	    "the URGENT timer ran after the whole burst");
	for (i = 0; i <= BURST; i++)
		loop_timer_free(t[i]);
	event_base_free(b.base);
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
	tcase_add_test(tc, test_repeat_on_schedule);
	tcase_add_test(tc, test_repeat_skips_missed_slots);
	tcase_add_test(tc, test_oneshot_10ms);
	tcase_add_test(tc, test_restart_replaces_deadline);
	tcase_add_test(tc, test_stop_and_free_inside_callback);
	tcase_add_test(tc, test_urgent_before_burst);
	tcase_add_test(tc, test_bad_arguments);
	tcase_add_test(tc, test_time_helpers);
	suite_add_tcase(s, tc);
	return check_run(s);
}

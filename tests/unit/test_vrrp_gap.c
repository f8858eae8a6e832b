/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Where work that cannot be cut (a reload, a snapshot) goes between the
 * VRRP child's deadlines (vrrp/gap.c): now when it fits before the first,
 * else just after the deadline that opens a gap long enough, never across
 * one; the longest gap when none is long enough; and within the horizon.
 * Times are made up (usec), nothing waits on a clock.
 */
#include <check.h>
#include <stdlib.h>

#include "log.h"
#include "vrrp/gap.h"
#include "check_run.h"

#define MS 1000ULL
#define NOW (1000 * MS)
#define HORIZON (1000 * MS)
#define AFTER VRRP_GAP_AFTER_USEC

/* 1: work of need usec started wait usec from NOW crosses no firing */
static int
clear_of(const struct vrrp_gap_due *d, size_t n, uint64_t wait,
    uint64_t need)
{
	uint64_t s = NOW + wait, e = s + need;

	for (size_t i = 0; i < n; i++)
		for (uint64_t at = d[i].at; at < e; at += d[i].every) {
			if (at >= s)
				return 0;
			if (d[i].every == 0)
				break;
		}
	return 1;
}

START_TEST(fits_now)
{
	/* the 0.05 s instance's next advert in 30 ms; 10 ms of work */
	struct vrrp_gap_due d[] = { { NOW + 30 * MS, 50 * MS } };

	ck_assert_uint_eq(vrrp_gap_wait(d, 1, NOW, 10 * MS, HORIZON), 0);
	ck_assert_uint_eq(vrrp_gap_wait(NULL, 0, NOW, 10 * MS, HORIZON), 0);
}
END_TEST

START_TEST(after_the_next_advert)
{
	/* advert in 5 ms: 20 ms of work would make it 15 ms late */
	struct vrrp_gap_due d[] = { { NOW + 5 * MS, 50 * MS } };
	uint64_t w = vrrp_gap_wait(d, 1, NOW, 20 * MS, HORIZON);

	ck_assert_uint_eq(w, 5 * MS + AFTER);
	ck_assert(clear_of(d, 1, w, 20 * MS));
}
END_TEST

START_TEST(overdue_runs_first)
{
	/* a timer already due (the loop has not run it yet) goes first:
	 * the work waits a turn of the loop */
	struct vrrp_gap_due d[] = { { NOW - 1 * MS, 0 },
		{ NOW + 40 * MS, 0 } };
	uint64_t w = vrrp_gap_wait(d, 2, NOW, 10 * MS, HORIZON);

	ck_assert_uint_eq(w, AFTER);
}
END_TEST

START_TEST(past_a_burst)
{
	/* a thousand 1 s instances due within 2 ms, the 0.05 s one due in
	 * 3 ms: 30 ms of work starts after the last of the burst and the
	 * fast one, and ends before the fast one's next advert */
	struct vrrp_gap_due d[1001];
	uint64_t w;

	for (unsigned i = 0; i < 1000; i++)
		d[i] = (struct vrrp_gap_due){ NOW + 1 * MS + i * 2, 1000 * MS };
	d[1000] = (struct vrrp_gap_due){ NOW + 3 * MS, 50 * MS };
	w = vrrp_gap_wait(d, 1001, NOW, 30 * MS, HORIZON);
	ck_assert_uint_eq(w, 3 * MS + AFTER);
	ck_assert(clear_of(d, 1001, w, 30 * MS));
}
END_TEST

START_TEST(skips_a_short_gap)
{
	/* gaps of 10 ms then 45 ms: 30 ms of work takes the second */
	struct vrrp_gap_due d[] = { { NOW + 2 * MS, 0 },
		{ NOW + 12 * MS, 0 }, { NOW + 57 * MS, 0 } };
	uint64_t w = vrrp_gap_wait(d, 3, NOW, 30 * MS, HORIZON);

	ck_assert_uint_eq(w, 12 * MS + AFTER);
	ck_assert(clear_of(d, 3, w, 30 * MS));
}
END_TEST

START_TEST(longest_when_none_fits)
{
	/* adverts every 10 ms, one of them 5 ms after another: 60 ms of
	 * work fits nowhere; it starts where the least is crossed, the
	 * first longest gap */
	struct vrrp_gap_due d[] = { { NOW + 4 * MS, 10 * MS },
		{ NOW + 9 * MS, 20 * MS } };
	uint64_t w = vrrp_gap_wait(d, 2, NOW, 60 * MS, HORIZON);

	ck_assert_uint_le(w, HORIZON);
	/* after a firing: 4, 9, 14, 24... the first 10 ms gap - AFTER
	 * opens at 14 ms */
	ck_assert_uint_eq(w, 14 * MS + AFTER);
}
END_TEST

START_TEST(within_the_horizon)
{
	/* more firings than are looked at: the wait stays bounded */
	struct vrrp_gap_due d[] = { { NOW + 1 * MS, 1 * MS } };
	uint64_t w = vrrp_gap_wait(d, 1, NOW, 5 * MS, 30 * MS);

	ck_assert_uint_le(w, 30 * MS);
}
END_TEST

/*
 * Under vrrp_rt_priority (RLIMIT_RTTIME of limit usec, counting the time
 * run since the child last blocked): a piece runs now while what ran and
 * the piece (with a quarter to spare) stay under half the limit, else the
 * child blocks first; one that has only just blocked runs, even a piece
 * longer than the limit (blocking again would not shorten it).
 */
START_TEST(rt_blocks_near_the_limit)
{
	const uint64_t limit = 10 * MS;

	/* 1 ms run, 2 ms piece: 3.5 ms of 5 */
	ck_assert_int_eq(vrrp_gap_rt_block(1 * MS, 2 * MS, limit), 0);
	/* 3 ms run, 2 ms piece: 5.5 ms */
	ck_assert_int_eq(vrrp_gap_rt_block(3 * MS, 2 * MS, limit), 1);
	/* the run alone past half the limit: block before any piece */
	ck_assert_int_eq(vrrp_gap_rt_block(6 * MS, 0, limit), 1);
	/* just blocked: run, whatever the piece and the limit */
	ck_assert_int_eq(vrrp_gap_rt_block(VRRP_RT_FRESH_USEC, 20 * MS,
	    limit), 0);
	ck_assert_int_eq(vrrp_gap_rt_block(0, 20 * MS, 2), 0);
	/* a limit of 2 us (vrrp_rlimit_rttime's least): block before each
	 * piece unless just blocked */
	ck_assert_int_eq(vrrp_gap_rt_block(VRRP_RT_FRESH_USEC + 1, 0, 2), 1);
	/* the edge: 2 ms + 2.5 ms = 4.5 ms under 5, 0.5 ms more is at it */
	ck_assert_int_eq(vrrp_gap_rt_block(2 * MS, 2 * MS, limit), 0);
	ck_assert_int_eq(vrrp_gap_rt_block(2 * MS + 500, 2 * MS, limit), 1);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("vrrp_gap");
	TCase *tc = tcase_create("gap");

	tcase_add_test(tc, fits_now);
	tcase_add_test(tc, after_the_next_advert);
	tcase_add_test(tc, overdue_runs_first);
	tcase_add_test(tc, past_a_burst);
	tcase_add_test(tc, skips_a_short_gap);
	tcase_add_test(tc, longest_when_none_fits);
	tcase_add_test(tc, within_the_horizon);
	tcase_add_test(tc, rt_blocks_near_the_limit);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	log_init("test_vrrp_gap", LOG_F_STDERR, LOG_DAEMON, 0);
	return check_run(suite());
}

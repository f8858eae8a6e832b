/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fresh counters (daemon/refresh.c): a refresh asks the child for one
 * snapshot and answers once it has arrived whole, never from inside the
 * call; refreshes asked meanwhile share that request; a child that does
 * not answer is waited for only up to the bound, one that holds the
 * snapshot up to the hold's bound within the caller's hard one, one that
 * goes away not at all; a cancelled caller is not called.
 */
#include <check.h>
#include <event2/event.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "daemon/refresh.h"
#include "daemon/state.h"
#include "daemon/supervisor_int.h"
#include "ipc.h"
#include "ipc_msg.h"
#include "loop.h"
#include "subsys.h"
#include "check_run.h"

static const struct subsys sub = { .name = "checker" };
static struct supervisor sv;
static struct slot *s;
static int peer;		/* the child's end */
static int calls, last_timed_out;

static void
nomsg(struct ipc *c, uint32_t type, const void *d, size_t l, void *a)
{
	(void)c, (void)type, (void)d, (void)l, (void)a;
}

static void
noclose(struct ipc *c, const char *why, void *a)
{
	(void)c, (void)why, (void)a;
}

static void
setup(void)
{
	int fds[2];

	memset(&sv, 0, sizeof(sv));
	sv.base = loop_new();
	sv.nslots = 1;
	s = &sv.slots[0];
	s->sv = &sv;
	s->sub = &sub;
	s->wanted = 1;
	s->pid = 4242;
	s->gen_acked = 1;
	s->started = 1;
	state_init(&s->st);
	ck_assert_int_eq(ipc_pair(fds), 0);
	s->ipc = ipc_new(sv.base, fds[0], nomsg, noclose, NULL);
	peer = fds[1];
	calls = 0;
}

static void
teardown(void)
{
	refresh_fini(&sv);
	ipc_free(s->ipc);
	close(peer);
	state_fini(&s->st);
	event_base_free(sv.base);
}

static void
done(void *arg, int timed_out)
{
	(void)arg;
	calls++;
	last_timed_out = timed_out;
}

static void
spin(int n)
{
	for (int i = 0; i < n; i++)
		event_base_loop(sv.base, EVLOOP_ONCE | EVLOOP_NONBLOCK);
}

/* Snapshot requests the child got so far. */
static int
requests(void)
{
	struct ipc_hdr h;
	int n = 0;

	spin(5);	/* the queue drains to the socket */
	while (read(peer, &h, sizeof(h)) == (ssize_t)sizeof(h)) {
		ck_assert_uint_eq(h.type, IPC_SNAPSHOT_REQ);
		ck_assert_uint_eq(h.len, 0);
		n++;
	}
	return n;
}

/* The child's whole snapshot, as slot.c takes it. */
static void
snapshot(void)
{
	struct ipc_objbuf b = { 0 };
	struct ipc_obj o = { "real_server", "vs / [10.0.0.2]:80", "up", "", 1,
	    0, 1, 1, "checks=7" };
	struct ipc_state h = { IPC_STATE_BEGIN | IPC_STATE_END, 1 };
	char msg[1024];

	ck_assert_int_eq(ipc_obj_put(&b, &o), 0);
	memcpy(msg, &h, sizeof(h));
	memcpy(msg + sizeof(h), b.data, b.len);
	ck_assert_int_eq(state_ipc(&s->st, msg, sizeof(h) + b.len), 0);
	ipc_objbuf_free(&b);
	refresh_update(&sv);
}

START_TEST(one_request_shared)
{
	fcntl(peer, F_SETFL, O_NONBLOCK);
	ck_assert_int_eq(refresh_request(&sv, 0, 0, done, NULL), 0);
	ck_assert_int_eq(refresh_request(&sv, 0, 0, done, NULL), 0);
	ck_assert_int_eq(calls, 0);
	ck_assert_int_eq(requests(), 1);
	spin(5);
	ck_assert_int_eq(calls, 0);	/* waiting for the snapshot */
	snapshot();
	ck_assert_int_eq(calls, 2);
	ck_assert_int_eq(last_timed_out, 0);
	/* the next one asks again */
	ck_assert_int_eq(refresh_request(&sv, 0, 0, done, NULL), 0);
	ck_assert_int_eq(requests(), 1);
	snapshot();
	ck_assert_int_eq(calls, 3);
}
END_TEST

START_TEST(bounded_wait)
{
	ck_assert_int_eq(refresh_request(&sv, 20000, 40000, done, NULL), 0);
	for (int i = 0; i < 2000 && calls == 0; i++) {
		usleep(1000);
		spin(1);
	}
	ck_assert_int_eq(calls, 1);
	ck_assert_int_eq(last_timed_out, 1);
}
END_TEST

/* Spin the loop for about ms milliseconds. */
static void
spin_ms(int ms)
{
	for (int i = 0; i < ms; i++) {
		usleep(1000);
		spin(1);
	}
}

/* A child that holds the snapshot (its counters round) is waited for past
 * the wait, up to the hold's bound: the answer is the fresh snapshot. */
START_TEST(held_snapshot_waited_for)
{
	ck_assert_int_eq(refresh_request(&sv, 20000, 20000000, done, NULL),
	    0);
	slot_snapshot_hold(s, 10000);
	ck_assert(slot_snapshot_held(s));
	spin_ms(300);		/* well past the wait */
	ck_assert_int_eq(calls, 0);
	snapshot();
	ck_assert_int_eq(calls, 1);
	ck_assert_int_eq(last_timed_out, 0);
	ck_assert(!slot_snapshot_held(s));	/* that one came */
}
END_TEST

/* The hold's bound passes: answered from what the child said before. */
START_TEST(held_snapshot_bounded)
{
	ck_assert_int_eq(refresh_request(&sv, 20000, 20000000, done, NULL),
	    0);
	slot_snapshot_hold(s, 50);
	for (int i = 0; i < 4000 && calls == 0; i++) {
		usleep(1000);
		spin(1);
	}
	ck_assert_int_eq(calls, 1);
	ck_assert_int_eq(last_timed_out, 1);
	ck_assert(!slot_snapshot_held(s));
}
END_TEST

/* ... and never past the caller's hard bound (a metrics scrape's). */
START_TEST(held_snapshot_within_hard_bound)
{
	ck_assert_int_eq(refresh_request(&sv, 20000, 60000, done, NULL), 0);
	slot_snapshot_hold(s, 60000);
	for (int i = 0; i < 4000 && calls == 0; i++) {
		usleep(1000);
		spin(1);
	}
	ck_assert_int_eq(calls, 1);
	ck_assert_int_eq(last_timed_out, 1);
	ck_assert(slot_snapshot_held(s));	/* still held: not waited */
}
END_TEST

static void
never(struct loop_timer *t, void *arg)
{
	(void)t, (void)arg;
	ck_abort_msg("the dump's bound passed in a test that writes none");
}

/* A data dump waits DUMP_WAIT_USEC for a child's part; one that holds
 * the snapshot before it moves the bound to the hold's end plus that (a
 * hold is at most IPC_HELD_MAX_MSEC); a hold told when no dump
 * waits moves nothing. */
START_TEST(dump_waits_for_held_snapshot)
{
	uint64_t first;

	slot_snapshot_hold(s, 5000);
	ck_assert(!dump_busy(&sv));
	s->held_until = 0;
	sv.dump_timer = loop_timer_new(sv.base, never, NULL);
	ck_assert_ptr_nonnull(sv.dump_timer);
	dump_request(&sv);
	ck_assert(dump_busy(&sv));
	ck_assert_int_eq(s->dump_pending, 1);
	first = sv.dump_until - sv.dump_asked;
	ck_assert_uint_eq(first, DUMP_WAIT_USEC);
	slot_snapshot_hold(s, 10000);
	ck_assert_uint_ge(sv.dump_until - sv.dump_asked,
	    10000000ULL + DUMP_WAIT_USEC);
	ck_assert_uint_le(sv.dump_until - sv.dump_asked,
	    DUMP_WAIT_MAX_USEC);
	slot_snapshot_hold(s, IPC_HELD_MAX_MSEC * 10);	/* capped */
	ck_assert_uint_ge(sv.dump_until - sv.dump_asked,
	    IPC_HELD_MAX_MSEC * 1000ULL + DUMP_WAIT_USEC);
	ck_assert_uint_le(sv.dump_until - sv.dump_asked,
	    IPC_HELD_MAX_MSEC * 1000ULL + DUMP_WAIT_USEC + 1000000);
	/* the child goes away: no longer held (the timer stopped first:
	 * this test writes no dump) */
	loop_timer_stop(sv.dump_timer);
	dump_slot_gone(s);
	ck_assert_int_eq(s->dump_pending, 0);
	ck_assert(!slot_snapshot_held(s));
	loop_timer_free(sv.dump_timer);
	sv.dump_timer = NULL;
}
END_TEST

START_TEST(child_gone_or_not_running)
{
	ck_assert_int_eq(refresh_request(&sv, 0, 0, done, NULL), 0);
	ipc_free(s->ipc);
	s->ipc = NULL;
	refresh_update(&sv);
	ck_assert_int_eq(calls, 1);
	ck_assert_int_eq(last_timed_out, 0);
	/* nothing to ask: still answered, from the loop */
	ck_assert_int_eq(refresh_request(&sv, 0, 0, done, NULL), 0);
	ck_assert_int_eq(calls, 1);
	spin(5);
	ck_assert_int_eq(calls, 2);
}
END_TEST

START_TEST(cancelled)
{
	int token;

	ck_assert_int_eq(refresh_request(&sv, 0, 0, done, &token), 0);
	refresh_cancel(&sv, &token);
	snapshot();
	spin(5);
	ck_assert_int_eq(calls, 0);
}
END_TEST

int
main(void)
{
	Suite *su = suite_create("refresh");
	TCase *tc = tcase_create("refresh");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, one_request_shared);
	tcase_add_test(tc, bounded_wait);
	tcase_add_test(tc, held_snapshot_waited_for);
	tcase_add_test(tc, held_snapshot_bounded);
	tcase_add_test(tc, held_snapshot_within_hard_bound);
	tcase_add_test(tc, dump_waits_for_held_snapshot);
	tcase_add_test(tc, child_gone_or_not_running);
	tcase_add_test(tc, cancelled);
	suite_add_tcase(su, tc);
	return check_run(su);
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fresh counters (daemon/refresh.c): a refresh asks the child for one
 * snapshot and answers once the snapshot answering that request has
 * arrived whole, never from inside the call (one the child sends of its
 * own accord, after a reload, does not answer it, before or during a
 * hold); refreshes asked meanwhile share that request; a child that does
 * not answer is waited for only up to the bound, one that holds the
 * snapshot up to the hold's bound within the caller's hard one, one that
 * goes away or restarts not at all; a cancelled caller is not called.
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
static char seen[64];		/* the real server's attrs when called */

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
	const struct state_obj *o = state_find(&s->st, "real_server",
	    "vs / [10.0.0.2]:80");

	(void)arg;
	calls++;
	last_timed_out = timed_out;
	snprintf(seen, sizeof(seen), "%s", o != NULL ? o->attrs : "-");
}

static void
spin(int n)
{
	for (int i = 0; i < n; i++)
		event_base_loop(sv.base, EVLOOP_ONCE | EVLOOP_NONBLOCK);
}

/* Snapshot requests the child got so far; *last: the last one's number. */
static int
requests_seq(uint32_t *last)
{
	struct ipc_hdr h;
	struct ipc_snap_req req;
	int n = 0;

	fcntl(peer, F_SETFL, O_NONBLOCK);
	spin(5);	/* the queue drains to the socket */
	while (read(peer, &h, sizeof(h)) == (ssize_t)sizeof(h)) {
		ck_assert_uint_eq(h.type, IPC_SNAPSHOT_REQ);
		ck_assert_uint_eq(h.len, sizeof(req));
		ck_assert_int_eq(read(peer, &req, sizeof(req)),
		    (int)sizeof(req));
		ck_assert_uint_ne(req.seq, 0);
		if (last != NULL)
			*last = req.seq;
		n++;
	}
	return n;
}

static int
requests(void)
{
	return requests_seq(NULL);
}

/* The child's whole snapshot answering request answers (0: one the child
 * sends of its own accord), as slot.c takes it. */
static void
snapshot_answering(uint32_t answers)
{
	struct ipc_objbuf b = { 0 };
	char attrs[32];
	struct ipc_obj o = { "real_server", "vs / [10.0.0.2]:80", "up", "", 1,
	    0, 1, 1, attrs };
	struct ipc_state h = { IPC_STATE_BEGIN | IPC_STATE_END, 1, answers };
	char msg[1024];

	/* what the snapshot answers, where the callback reads it */
	snprintf(attrs, sizeof(attrs), "answers=%u", (unsigned)answers);
	ck_assert_int_eq(ipc_obj_put(&b, &o), 0);
	memcpy(msg, &h, sizeof(h));
	memcpy(msg + sizeof(h), b.data, b.len);
	ck_assert_int_eq(state_ipc(&s->st, msg, sizeof(h) + b.len), 0);
	ipc_objbuf_free(&b);
	refresh_update(&sv);
}

/* The snapshot answering the last request sent. */
static void
snapshot(void)
{
	snapshot_answering(s->snap_seq);
}

/* A refresh asks once and is answered by the snapshot answering it: the
 * callbacks made so far are then calls_then. */
static void
asked_and_answered(int calls_then)
{
	ck_assert_int_eq(refresh_request(&sv, 0, 0, done, NULL), 0);
	ck_assert_int_eq(requests(), 1);
	snapshot();
	ck_assert_int_eq(calls, calls_then);
	ck_assert_int_eq(last_timed_out, 0);
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
	asked_and_answered(3);
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
	slot_snapshot_hold(s, 10000, s->snap_seq);
	ck_assert(slot_snapshot_held(s));
	spin_ms(300);		/* well past the wait */
	ck_assert_int_eq(calls, 0);
	snapshot();
	ck_assert_int_eq(calls, 1);
	ck_assert_int_eq(last_timed_out, 0);
	ck_assert(!slot_snapshot_held(s));	/* that one came */
}
END_TEST

/*
 * The child holds the snapshot (its counters round); the snapshot it sends
 * of its own accord after a reload (from a timer, after the backend's
 * commit) lands after the hold notice: that one does not answer the
 * request, the held one does, and the caller reads the held one's state.
 */
START_TEST(held_snapshot_not_taken_for_unsolicited)
{
	uint32_t seq = 0;

	ck_assert_int_eq(refresh_request(&sv, 20000, 20000000, done, NULL),
	    0);
	ck_assert_int_eq(requests_seq(&seq), 1);
	slot_snapshot_hold(s, 10000, seq);
	snapshot_answering(0);		/* the post-reload one */
	ck_assert_int_eq(calls, 0);
	ck_assert(slot_snapshot_held(s));
	spin_ms(100);			/* past the wait: still held */
	ck_assert_int_eq(calls, 0);
	snapshot_answering(seq);	/* the counters round ended */
	ck_assert_int_eq(calls, 1);
	ck_assert_int_eq(last_timed_out, 0);
	ck_assert_str_eq(seen, "answers=1");
	ck_assert(!slot_snapshot_held(s));
}
END_TEST

/* Not held: a snapshot the child sent after a reload, before it read the
 * request, is not the answer either. */
START_TEST(unsolicited_snapshot_answers_nothing)
{
	uint32_t seq = 0;

	ck_assert_int_eq(refresh_request(&sv, 0, 0, done, NULL), 0);
	ck_assert_int_eq(requests_seq(&seq), 1);
	snapshot_answering(0);
	ck_assert_int_eq(calls, 0);
	/* a second caller still shares the request on its way */
	ck_assert_int_eq(refresh_request(&sv, 0, 0, done, NULL), 0);
	ck_assert_int_eq(requests(), 0);
	snapshot_answering(seq);
	ck_assert_int_eq(calls, 2);
	ck_assert_int_eq(last_timed_out, 0);
	ck_assert_str_eq(seen, "answers=1");
}
END_TEST

/* Requests joined to a held one get one snapshot, naming the last: it
 * answers them all, the earlier ones too. */
START_TEST(later_answer_answers_earlier_requests)
{
	uint32_t first = 0, second;

	ck_assert_int_eq(refresh_request(&sv, 20000, 20000000, done, NULL),
	    0);
	ck_assert_int_eq(requests_seq(&first), 1);
	slot_snapshot_hold(s, 10000, first);
	second = slot_snapshot_ask(s);	/* a data dump's */
	ck_assert(ipc_seq_ge(second, first) && second != first);
	ck_assert_int_eq(requests(), 1);
	snapshot_answering(second);
	ck_assert_int_eq(calls, 1);
	ck_assert_int_eq(last_timed_out, 0);
	ck_assert(!slot_snapshot_held(s));
}
END_TEST

/* Request numbers wrap past 0 (never a request) and still compare. */
START_TEST(request_numbers_wrap)
{
	uint32_t seq = 0;

	s->snap_seq = UINT32_MAX - 1;
	s->st.answered = UINT32_MAX - 1;
	ck_assert_int_eq(refresh_request(&sv, 0, 0, done, NULL), 0);
	ck_assert_int_eq(requests_seq(&seq), 1);
	ck_assert_uint_eq(seq, UINT32_MAX);
	ck_assert_uint_eq(slot_snapshot_ask(s), 1);	/* 0 skipped */
	ck_assert_int_eq(requests(), 1);
	snapshot_answering(UINT32_MAX - 1);		/* an older one */
	ck_assert_int_eq(calls, 0);
	snapshot_answering(1);
	ck_assert_int_eq(calls, 1);
	ck_assert_int_eq(last_timed_out, 0);
}
END_TEST

/* The child asked was restarted: its successor never answers that
 * request, and it is not waited for. */
START_TEST(restarted_child_not_waited)
{
	ck_assert_int_eq(refresh_request(&sv, 0, 0, done, NULL), 0);
	ck_assert_int_eq(requests(), 1);
	s->started = 2;
	refresh_update(&sv);
	ck_assert_int_eq(calls, 1);
	ck_assert_int_eq(last_timed_out, 0);
	/* the next refresh asks the new child */
	asked_and_answered(2);
}
END_TEST

/* The hold's bound passes: answered from what the child said before. */
START_TEST(held_snapshot_bounded)
{
	ck_assert_int_eq(refresh_request(&sv, 20000, 20000000, done, NULL),
	    0);
	slot_snapshot_hold(s, 50, s->snap_seq);
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
	slot_snapshot_hold(s, 60000, s->snap_seq);
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

	slot_snapshot_hold(s, 5000, 1);
	ck_assert(!dump_busy(&sv));
	s->held_until = 0;
	sv.dump_timer = loop_timer_new(sv.base, never, NULL);
	ck_assert_ptr_nonnull(sv.dump_timer);
	dump_request(&sv);
	ck_assert(dump_busy(&sv));
	ck_assert_int_eq(s->dump_pending, 1);
	first = sv.dump_until - sv.dump_asked;
	ck_assert_uint_eq(first, DUMP_WAIT_USEC);
	slot_snapshot_hold(s, 10000, s->snap_seq);
	ck_assert_uint_ge(sv.dump_until - sv.dump_asked,
	    10000000ULL + DUMP_WAIT_USEC);
	ck_assert_uint_le(sv.dump_until - sv.dump_asked,
	    DUMP_WAIT_MAX_USEC);
	slot_snapshot_hold(s, IPC_HELD_MAX_MSEC * 10, s->snap_seq); /* capped */
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
	tcase_add_test(tc, held_snapshot_not_taken_for_unsolicited);
	tcase_add_test(tc, unsolicited_snapshot_answers_nothing);
	tcase_add_test(tc, later_answer_answers_earlier_requests);
	tcase_add_test(tc, request_numbers_wrap);
	tcase_add_test(tc, restarted_child_not_waited);
	tcase_add_test(tc, held_snapshot_bounded);
	tcase_add_test(tc, held_snapshot_within_hard_bound);
	tcase_add_test(tc, dump_waits_for_held_snapshot);
	tcase_add_test(tc, child_gone_or_not_running);
	tcase_add_test(tc, cancelled);
	suite_add_tcase(su, tc);
	return check_run(su);
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ipc: framing, ordering, large frames, hostile streams, close, flush. */
#include <check.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <event2/event.h>

#include "ipc.h"
#include "ipc_msg.h"
#include "loop.h"
#include "check_run.h"

/* The large message sent, to compare with what arrives. */
static unsigned char *big;
static size_t big_len;

struct side {
	struct event_base *base;
	struct ipc *c;
	struct ipc *peer;	/* for replies */
	int msgs;
	uint32_t last_type;
	size_t last_len;
	uint32_t next_seq;
	int order_ok;
	int content_ok;
	int closes;
	char reason[256];
	int stop_after;		/* loopbreak after this many messages */
	int free_on_msg;	/* ipc_free() from inside on_msg */
	int reply;		/* answer PING with PONG */
};

static void
on_msg(struct ipc *c, uint32_t type, const void *data, size_t len, void *arg)
{
	struct side *s = arg;

	s->msgs++;
	s->last_type = type;
	s->last_len = len;
	if (type == IPC_DUMP && len == sizeof(uint32_t)) {
		uint32_t seq;

		memcpy(&seq, data, sizeof(seq));
		if (seq != s->next_seq)
			s->order_ok = 0;
		s->next_seq = seq + 1;
	}
	if (type == IPC_RELOAD)
		s->content_ok = len == big_len && memcmp(data, big, len) == 0;
	if (s->reply && type == IPC_PING)
		ck_assert_int_eq(ipc_send(c, IPC_PONG, "pong", 4), 0);
	if (s->free_on_msg) {
		ipc_free(c);
		s->c = NULL;
		event_base_loopbreak(s->base);
		return;
	}
	if (s->stop_after > 0 && s->msgs >= s->stop_after)
		event_base_loopbreak(s->base);
}

static void
on_close(struct ipc *c, const char *reason, void *arg)
{
	struct side *s = arg;

	(void)c;
	s->closes++;
	snprintf(s->reason, sizeof(s->reason), "%s", reason);
	event_base_loopbreak(s->base);
}

struct fixture {
	struct event_base *base;
	struct side a, b;
};

static void
setup_pair(struct fixture *f)
{
	int fds[2];

	memset(f, 0, sizeof(*f));
	f->base = loop_new();
	ck_assert_ptr_nonnull(f->base);
	ck_assert_int_eq(ipc_pair(fds), 0);
	f->a.base = f->b.base = f->base;
	f->a.order_ok = f->b.order_ok = 1;
	f->a.c = ipc_new(f->base, fds[0], on_msg, on_close, &f->a);
	f->b.c = ipc_new(f->base, fds[1], on_msg, on_close, &f->b);
	ck_assert_ptr_nonnull(f->a.c);
	ck_assert_ptr_nonnull(f->b.c);
}

/* One side is an ipc channel, the other a raw fd the test writes into. */
static int
setup_raw(struct fixture *f)
{
	int fds[2];

	memset(f, 0, sizeof(*f));
	f->base = loop_new();
	ck_assert_int_eq(ipc_pair(fds), 0);
	f->a.base = f->base;
	f->a.order_ok = 1;
	f->a.c = ipc_new(f->base, fds[0], on_msg, on_close, &f->a);
	ck_assert_ptr_nonnull(f->a.c);
	return fds[1];
}

static void
run_for(struct event_base *base, uint64_t usec)
{
	struct timeval tv = loop_tv(usec);

	event_base_loopexit(base, &tv);
	event_base_dispatch(base);
}

static void
teardown(struct fixture *f)
{
	ipc_free(f->a.c);
	ipc_free(f->b.c);
	event_base_free(f->base);
}

START_TEST(test_round_trip_both_ways)
{
	struct fixture f;

	setup_pair(&f);
	f.b.reply = 1;
	f.a.reply = 1;
	f.a.stop_after = 1;
	ck_assert_int_eq(ipc_send(f.a.c, IPC_PING, NULL, 0), 0);
	ck_assert_uint_eq(ipc_pending(f.a.c), sizeof(struct ipc_hdr));
	run_for(f.base, 2000000);
	ck_assert_int_eq(f.b.msgs, 1);
	ck_assert_uint_eq(f.b.last_type, IPC_PING);
	ck_assert_uint_eq(f.b.last_len, 0);
	ck_assert_int_eq(f.a.msgs, 1);
	ck_assert_uint_eq(f.a.last_type, IPC_PONG);
	ck_assert_uint_eq(f.a.last_len, 4);

	/* And the other direction. */
	f.a.stop_after = 0;
	f.b.stop_after = 2;
	ck_assert_int_eq(ipc_send(f.b.c, IPC_PING, NULL, 0), 0);
	run_for(f.base, 2000000);
	ck_assert_int_eq(f.a.msgs, 2);
	ck_assert_int_eq(f.b.msgs, 2);
	ck_assert_uint_eq(f.b.last_type, IPC_PONG);
	ck_assert_uint_eq(ipc_pending(f.a.c), 0);
	ck_assert_int_eq(f.a.closes + f.b.closes, 0);
	teardown(&f);
}
END_TEST

START_TEST(test_10000_in_order)
{
	struct fixture f;
	uint32_t i;

	setup_pair(&f);
	for (i = 0; i < 10000; i++)
		ck_assert_int_eq(ipc_send(f.a.c, IPC_DUMP, &i, sizeof(i)), 0);
	f.b.stop_after = 10000;
	run_for(f.base, 5000000);
	ck_assert_int_eq(f.b.msgs, 10000);
	ck_assert(f.b.order_ok);
	ck_assert_uint_eq(f.b.next_seq, 10000);
	ck_assert_uint_eq(ipc_pending(f.a.c), 0);
	teardown(&f);
}
END_TEST

START_TEST(test_32mib_message)
{
	struct fixture f;
	size_t len = 32u * 1024 * 1024, i;
	uint32_t *w;

	big = malloc(len);
	big_len = len;
	ck_assert_ptr_nonnull(big);
	w = (uint32_t *)big;
	for (i = 0; i < len / 4; i++)
		w[i] = (uint32_t)(i * 2654435761u);
	setup_pair(&f);
	/* Also a small one behind it: the big frame must not eat it. */
	ck_assert_int_eq(ipc_send(f.a.c, IPC_RELOAD, big, len), 0);
	ck_assert_int_eq(ipc_send(f.a.c, IPC_PING, NULL, 0), 0);
	f.b.stop_after = 2;
	run_for(f.base, 20000000);
	free(big);
	big = NULL;
	ck_assert_int_eq(f.b.msgs, 2);
	ck_assert(f.b.content_ok);
	ck_assert_uint_eq(f.b.last_type, IPC_PING);
	teardown(&f);
}
END_TEST

START_TEST(test_partial_frames_reassembled)
{
	struct fixture f;
	unsigned char frame[sizeof(struct ipc_hdr) + 4];
	struct ipc_hdr h = { IPC_DUMP, 4 };
	uint32_t seq = 0;
	size_t i;
	int raw = setup_raw(&f);

	memcpy(frame, &h, sizeof(h));
	memcpy(frame + sizeof(h), &seq, 4);
	/* Byte by byte, the loop running between bytes. */
	for (i = 0; i < sizeof(frame); i++) {
		ck_assert_int_eq(write(raw, frame + i, 1), 1);
		run_for(f.base, 2000);
		ck_assert_int_eq(f.a.msgs, i + 1 == sizeof(frame) ? 1 : 0);
	}
	/* Two and a half frames in one write, then the rest. */
	{
		unsigned char many[3 * sizeof(frame)];

		for (i = 0; i < 3; i++) {
			seq = (uint32_t)i + 1;
			memcpy(many + i * sizeof(frame), &h, sizeof(h));
			memcpy(many + i * sizeof(frame) + sizeof(h), &seq, 4);
		}
		ck_assert_int_eq(write(raw, many, sizeof(many) - 5),
		    (ssize_t)sizeof(many) - 5);
		run_for(f.base, 5000);
		ck_assert_int_eq(f.a.msgs, 3);
		ck_assert_int_eq(write(raw, many + sizeof(many) - 5, 5), 5);
		run_for(f.base, 5000);
		ck_assert_int_eq(f.a.msgs, 4);
	}
	ck_assert(f.a.order_ok);
	ck_assert_int_eq(f.a.closes, 0);
	close(raw);
	teardown(&f);
}
END_TEST

/*
 * A large frame already in the socket is read and delivered in one turn
 * of the loop, not one turn per read chunk (a busy child's loop turns a
 * few times a second: a reload's megabytes took seconds).
 */
START_TEST(test_large_frame_one_turn)
{
	struct fixture f;
	size_t len = 3u * 1024 * 1024, off = 0;
	int sndbuf = 16 * 1024 * 1024;
	struct ipc_hdr h = { IPC_DUMP, (uint32_t)len };
	unsigned char *frame = calloc(1, sizeof(h) + len);
	int raw = setup_raw(&f);

	ck_assert_ptr_nonnull(frame);
	memcpy(frame, &h, sizeof(h));
	/* the whole frame must fit in the socket (root may raise it) */
	if (setsockopt(raw, SOL_SOCKET, SO_SNDBUFFORCE, &sndbuf,
	    sizeof(sndbuf)) < 0) {
		fprintf(stderr, "test_large_frame_one_turn: SO_SNDBUFFORCE: %s "
		    "(not root?): not checked\n", strerror(errno));
		goto out;
	}
	while (off < sizeof(h) + len) {
		ssize_t n = write(raw, frame + off, sizeof(h) + len - off);

		ck_assert_msg(n > 0, "write: %s", strerror(errno));
		off += (size_t)n;
	}
	ck_assert_int_eq(event_base_loop(f.base, EVLOOP_ONCE), 0);
	ck_assert_int_eq(f.a.msgs, 1);
	ck_assert_uint_eq(f.a.last_len, len);
	ck_assert_int_eq(f.a.closes, 0);
out:
	free(frame);
	close(raw);
	teardown(&f);
}
END_TEST

/* A DUMP frame carrying seq, into p; its size. */
static size_t
seq_frame(unsigned char *p, uint32_t seq)
{
	struct ipc_hdr h = { IPC_DUMP, 4 };

	memcpy(p, &h, sizeof(h));
	memcpy(p + sizeof(h), &seq, 4);
	return sizeof(h) + 4;
}

/* big, big_len: a patterned message of len bytes */
static void
big_make(size_t len)
{
	big = malloc(len);
	big_len = len;
	ck_assert_ptr_nonnull(big);
	for (size_t i = 0; i < len; i++)
		big[i] = (unsigned char)(i * 131 + (i >> 12));
}

/*
 * A large frame (read into a block of its own) arriving in pieces, the
 * loop running between them: a small frame before it in its first piece,
 * one after it in its last, all three delivered whole and in order.
 */
START_TEST(test_big_frame_in_pieces)
{
	struct fixture f;
	struct ipc_hdr h = { IPC_RELOAD, 0 };
	size_t len = 1u * 1024 * 1024 + 17, total, off = 0;
	static const size_t cut[] = { 100, 70000, 1, 300000, 4096, 500000 };
	unsigned char *s;
	int raw = setup_raw(&f);
	int sndbuf = 4 * 1024 * 1024;

	big_make(len);
	h.len = (uint32_t)len;
	s = malloc(2 * 16 + sizeof(h) + len);
	ck_assert_ptr_nonnull(s);
	total = seq_frame(s, 0);
	memcpy(s + total, &h, sizeof(h));
	memcpy(s + total + sizeof(h), big, len);
	total += sizeof(h) + len;
	total += seq_frame(s + total, 1);
	(void)setsockopt(raw, SOL_SOCKET, SO_SNDBUFFORCE, &sndbuf,
	    sizeof(sndbuf));
	for (unsigned i = 0; off < total; i++) {
		size_t n = i < sizeof(cut) / sizeof(cut[0]) ? cut[i] :
		    total - off;

		ck_assert_int_eq(write(raw, s + off, n), (ssize_t)n);
		off += n;
		run_for(f.base, 3000);
		/* the first frame at once; the large one only whole */
		ck_assert_int_eq(f.a.msgs, off < total ? 1 : 3);
	}
	ck_assert(f.a.content_ok);
	ck_assert(f.a.order_ok);
	ck_assert_uint_eq(f.a.last_type, IPC_DUMP);
	ck_assert_uint_eq(f.a.next_seq, 2);
	ck_assert_int_eq(f.a.closes, 0);
	free(s);
	free(big);
	big = NULL;
	close(raw);
	teardown(&f);
}
END_TEST

/* The peer closing in the middle of a large frame is said as for any. */
START_TEST(test_big_frame_peer_close)
{
	struct fixture f;
	struct ipc_hdr h = { IPC_RELOAD, 2u * 1024 * 1024 };
	size_t part = 300000;
	unsigned char *s = calloc(1, part);
	char want[64];
	int raw = setup_raw(&f);

	ck_assert_ptr_nonnull(s);
	ck_assert_int_eq(write(raw, &h, sizeof(h)), (ssize_t)sizeof(h));
	ck_assert_int_eq(write(raw, s, 1000), 1000);
	run_for(f.base, 3000);
	for (size_t off = 0; off < part;) {
		ssize_t n = write(raw, s + off, part - off);

		if (n < 0) {
			ck_assert_int_eq(errno, EAGAIN);
			run_for(f.base, 1000);
			continue;
		}
		off += (size_t)n;
	}
	close(raw);
	run_for(f.base, 1000000);
	ck_assert_int_eq(f.a.closes, 1);
	ck_assert_int_eq(f.a.msgs, 0);
	ck_assert_ptr_nonnull(strstr(f.a.reason, "mid-frame"));
	/* the bytes of the frame that came, its header's too */
	snprintf(want, sizeof(want), "(%zu bytes", sizeof(h) + 1000 + part);
	ck_assert_msg(strstr(f.a.reason, want) != NULL, "%s", f.a.reason);
	free(s);
	teardown(&f);
}
END_TEST

/*
 * ipc_send2: a header and a body from two places make one frame. A large
 * frame behind nothing goes into the socket at once (less is queued than
 * its size); behind a queued frame it waits its turn. Both arrive whole,
 * in order.
 */
START_TEST(test_send2_large)
{
	struct fixture f;
	size_t len = 1u * 1024 * 1024;
	unsigned char seq[4];
	uint32_t zero = 0;

	big_make(len);
	setup_pair(&f);
	ck_assert_int_eq(ipc_send2(f.a.c, IPC_RELOAD, big, 1000, big + 1000,
	    len - 1000), 0);
	ck_assert_uint_lt(ipc_pending(f.a.c), len);
	f.b.stop_after = 1;
	run_for(f.base, 5000000);
	ck_assert_int_eq(f.b.msgs, 1);
	ck_assert(f.b.content_ok);

	/* behind a small one: queued whole after it */
	memcpy(seq, &zero, 4);
	f.b.content_ok = 0;
	f.b.next_seq = 0;
	ck_assert_int_eq(ipc_send(f.a.c, IPC_DUMP, seq, 4), 0);
	ck_assert_int_eq(ipc_send2(f.a.c, IPC_RELOAD, NULL, 0, big, len), 0);
	ck_assert_uint_eq(ipc_pending(f.a.c), 2 * sizeof(struct ipc_hdr) +
	    4 + len);
	f.b.stop_after = 3;
	run_for(f.base, 5000000);
	ck_assert_int_eq(f.b.msgs, 3);
	ck_assert(f.b.order_ok);
	ck_assert(f.b.content_ok);
	ck_assert_uint_eq(f.b.last_type, IPC_RELOAD);
	free(big);
	big = NULL;
	teardown(&f);
}
END_TEST

START_TEST(test_oversize_header_closes)
{
	struct fixture f;
	struct ipc_hdr h = { IPC_RELOAD, IPC_MAX_FRAME + 1 };
	int raw = setup_raw(&f);

	ck_assert_int_eq(write(raw, &h, sizeof(h)), (ssize_t)sizeof(h));
	run_for(f.base, 1000000);
	ck_assert_int_eq(f.a.closes, 1);
	ck_assert_int_eq(f.a.msgs, 0);
	ck_assert_ptr_nonnull(strstr(f.a.reason, "exceeds"));
	/* Dead channel: sends are refused. */
	ck_assert_int_eq(ipc_send(f.a.c, IPC_PING, NULL, 0), -1);
	close(raw);
	teardown(&f);
}
END_TEST

START_TEST(test_garbage_closes)
{
	struct fixture f;
	const char junk[] = "GET / HTTP/1.0\r\nHost: x\r\n\r\n";
	int raw = setup_raw(&f);

	ck_assert_int_eq(write(raw, junk, sizeof(junk)), (ssize_t)sizeof(junk));
	run_for(f.base, 1000000);
	ck_assert_int_eq(f.a.closes, 1);
	ck_assert_int_eq(f.a.msgs, 0);
	ck_assert(f.a.reason[0] != '\0');
	close(raw);
	teardown(&f);
}
END_TEST

START_TEST(test_unknown_type_closes)
{
	struct fixture f;
	struct ipc_hdr h = { 0, 0 };
	int raw = setup_raw(&f);

	ck_assert_int_eq(write(raw, &h, sizeof(h)), (ssize_t)sizeof(h));
	run_for(f.base, 1000000);
	ck_assert_int_eq(f.a.closes, 1);
	ck_assert_ptr_nonnull(strstr(f.a.reason, "unknown message type 0"));
	close(raw);
	teardown(&f);
}
END_TEST

START_TEST(test_peer_close_detected)
{
	struct fixture f;

	setup_pair(&f);
	ipc_free(f.b.c);
	f.b.c = NULL;
	run_for(f.base, 1000000);
	ck_assert_int_eq(f.a.closes, 1);
	ck_assert_ptr_nonnull(strstr(f.a.reason, "peer closed"));
	teardown(&f);
}
END_TEST

START_TEST(test_peer_close_mid_frame)
{
	struct fixture f;
	struct ipc_hdr h = { IPC_DUMP, 100 };
	int raw = setup_raw(&f);

	ck_assert_int_eq(write(raw, &h, sizeof(h)), (ssize_t)sizeof(h));
	ck_assert_int_eq(write(raw, "abc", 3), 3);
	close(raw);
	run_for(f.base, 1000000);
	ck_assert_int_eq(f.a.closes, 1);
	ck_assert_int_eq(f.a.msgs, 0);
	ck_assert_ptr_nonnull(strstr(f.a.reason, "mid-frame"));
	teardown(&f);
}
END_TEST

START_TEST(test_free_inside_callback)
{
	struct fixture f;
	uint32_t i;

	setup_pair(&f);
	/* Many frames arrive in one read; the owner frees the channel on
	 * the first. The rest must not be delivered to freed memory. */
	for (i = 0; i < 100; i++)
		ck_assert_int_eq(ipc_send(f.a.c, IPC_DUMP, &i, sizeof(i)), 0);
	ck_assert_int_eq(ipc_flush(f.a.c, 1000), 0);
	f.b.free_on_msg = 1;
	run_for(f.base, 1000000);
	ck_assert_int_eq(f.b.msgs, 1);
	ck_assert_ptr_null(f.b.c);
	/* The writer sees the close. */
	run_for(f.base, 1000000);
	ck_assert_int_eq(f.a.closes, 1);
	teardown(&f);
}
END_TEST

START_TEST(test_send_limits)
{
	struct fixture f;
	char c = 0;

	setup_pair(&f);
	errno = 0;
	ck_assert_int_eq(ipc_send(f.a.c, IPC_RELOAD, &c,
	    (size_t)IPC_MAX_FRAME + 1), -1);
	ck_assert_int_eq(errno, EMSGSIZE);
	ck_assert_uint_eq(ipc_pending(f.a.c), 0);
	teardown(&f);
}
END_TEST

START_TEST(test_flush)
{
	struct fixture f;
	size_t len = 8u * 1024 * 1024;
	char *buf = calloc(1, len);
	char rd[64];
	int raw = setup_raw(&f);
	int sz = 4096;

	/* Small: written at once without running the loop. */
	ck_assert_int_eq(ipc_send(f.a.c, IPC_PING, NULL, 0), 0);
	ck_assert_int_eq(ipc_flush(f.a.c, 500), 0);
	ck_assert_uint_eq(ipc_pending(f.a.c), 0);
	ck_assert_int_eq(read(raw, rd, sizeof(rd)),
	    (ssize_t)sizeof(struct ipc_hdr));

	/* Nobody reads: flush gives up after its timeout, never hangs. */
	setsockopt(raw, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
	ck_assert_int_eq(ipc_send(f.a.c, IPC_RELOAD, buf, len), 0);
	{
		uint64_t t0 = loop_now_usec();

		ck_assert_int_eq(ipc_flush(f.a.c, 100), -1);
		ck_assert_int_eq(errno, ETIMEDOUT);
		ck_assert(loop_now_usec() - t0 < 1000000);
	}
	ck_assert(ipc_pending(f.a.c) > 0);
	free(buf);
	close(raw);
	teardown(&f);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("ipc");
	TCase *tc = tcase_create("ipc");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_round_trip_both_ways);
	tcase_add_test(tc, test_10000_in_order);
	tcase_add_test(tc, test_32mib_message);
	tcase_add_test(tc, test_partial_frames_reassembled);
	tcase_add_test(tc, test_large_frame_one_turn);
	tcase_add_test(tc, test_big_frame_in_pieces);
	tcase_add_test(tc, test_big_frame_peer_close);
	tcase_add_test(tc, test_send2_large);
	tcase_add_test(tc, test_oversize_header_closes);
	tcase_add_test(tc, test_garbage_closes);
	tcase_add_test(tc, test_unknown_type_closes);
	tcase_add_test(tc, test_peer_close_detected);
	tcase_add_test(tc, test_peer_close_mid_frame);
	tcase_add_test(tc, test_free_inside_callback);
	tcase_add_test(tc, test_send_limits);
	tcase_add_test(tc, test_flush);
	suite_add_tcase(s, tc);
	return check_run(s);
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * bfd/packet and bfd/session: the codec's round trip and every malformed
 * packet dropped for its reason (random bytes never misread); the state
 * machine's three-way handshake, the peer going down or silent, timer
 * negotiation, Poll / Final, passive, jitter bounds.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "bfd/packet.h"
#include "bfd/session.h"
#include "check_run.h"

static struct bfd_pkt
pkt(uint8_t state, uint32_t my, uint32_t your)
{
	struct bfd_pkt p = {
		.version = 1, .state = state, .detect_mult = 3,
		.length = 24, .my_discr = my, .your_discr = your,
		.min_tx = 100000, .min_rx = 100000,
	};

	return p;
}

START_TEST(round_trip)
{
	struct bfd_pkt p = pkt(BFD_UP, 0x11223344, 0xdeadbeef), q;
	uint8_t buf[BFD_PKT_LEN];

	p.diag = BFD_DIAG_EXPIRED;
	p.poll = 1;
	p.min_echo_rx = 7;
	ck_assert_uint_eq(bfd_pkt_encode(&p, buf), 24);
	/* the wire: version 1, diag 1; Up with P; mult 3; length 24 */
	ck_assert_uint_eq(buf[0], 0x21);
	ck_assert_uint_eq(buf[1], 0xe0);
	ck_assert_uint_eq(buf[2], 3);
	ck_assert_uint_eq(buf[3], 24);
	ck_assert_uint_eq(buf[4], 0x11);
	ck_assert_uint_eq(buf[11], 0xef);
	ck_assert_int_eq(bfd_pkt_decode(buf, sizeof(buf), &q), BFD_PKT_OK);
	ck_assert_uint_eq(q.state, BFD_UP);
	ck_assert_uint_eq(q.diag, BFD_DIAG_EXPIRED);
	ck_assert_uint_eq(q.poll, 1);
	ck_assert_uint_eq(q.final, 0);
	ck_assert_uint_eq(q.my_discr, 0x11223344);
	ck_assert_uint_eq(q.your_discr, 0xdeadbeef);
	ck_assert_uint_eq(q.min_tx, 100000);
	ck_assert_uint_eq(q.min_rx, 100000);
	ck_assert_uint_eq(q.min_echo_rx, 7);
}
END_TEST

/* one bad field at a time, each dropped for its own reason */
START_TEST(drops)
{
	struct bfd_pkt p = pkt(BFD_UP, 1, 2), q;
	uint8_t buf[BFD_PKT_LEN + 8], b[sizeof(buf)];

	memset(buf, 0, sizeof(buf));
	bfd_pkt_encode(&p, buf);
	for (size_t n = 0; n < BFD_PKT_LEN; n++)
		ck_assert_int_eq(bfd_pkt_decode(buf, n, &q), BFD_PKT_SHORT);
	/* trailing bytes past the length field are padding */
	ck_assert_int_eq(bfd_pkt_decode(buf, sizeof(buf), &q), BFD_PKT_OK);

	memcpy(b, buf, sizeof(b));
	b[0] = (uint8_t)(2 << 5);
	ck_assert_int_eq(bfd_pkt_decode(b, 24, &q), BFD_PKT_VERSION);
	memcpy(b, buf, sizeof(b));
	b[3] = 23;
	ck_assert_int_eq(bfd_pkt_decode(b, 24, &q), BFD_PKT_LENGTH);
	memcpy(b, buf, sizeof(b));
	b[3] = 30;
	ck_assert_int_eq(bfd_pkt_decode(b, 24, &q), BFD_PKT_SHORT);
	memcpy(b, buf, sizeof(b));
	b[2] = 0;
	ck_assert_int_eq(bfd_pkt_decode(b, 24, &q), BFD_PKT_MULT);
	memcpy(b, buf, sizeof(b));
	b[1] |= 1;
	ck_assert_int_eq(bfd_pkt_decode(b, 24, &q), BFD_PKT_MULTIPOINT);
	memcpy(b, buf, sizeof(b));
	memset(b + 4, 0, 4);
	ck_assert_int_eq(bfd_pkt_decode(b, 24, &q), BFD_PKT_DISCR);
	memcpy(b, buf, sizeof(b));
	memset(b + 8, 0, 4);
	ck_assert_int_eq(bfd_pkt_decode(b, 24, &q), BFD_PKT_YOUR_DISCR);
	/* your discriminator 0 is fine while Down */
	b[1] = (uint8_t)(BFD_DOWN << 6);
	ck_assert_int_eq(bfd_pkt_decode(b, 24, &q), BFD_PKT_OK);
	memcpy(b, buf, sizeof(b));
	b[1] |= 1 << 2;
	ck_assert_int_eq(bfd_pkt_decode(b, 24, &q), BFD_PKT_LENGTH);
	b[3] = 28;
	ck_assert_int_eq(bfd_pkt_decode(b, 28, &q), BFD_PKT_AUTH);
	for (int e = 0; e < BFD_PKT_ERR_MAX; e++)
		ck_assert_str_ne(bfd_pkt_err_name(e), "unknown");
}
END_TEST

/* random bytes: decoded or refused, never read past their length */
START_TEST(garbage)
{
	unsigned seed = 1;

	for (int i = 0; i < 100000; i++) {
		size_t n = (size_t)rand_r(&seed) % 40;
		uint8_t *b = malloc(n ? n : 1);
		struct bfd_pkt q;
		enum bfd_pkt_err e;

		for (size_t k = 0; k < n; k++)
			b[k] = (uint8_t)rand_r(&seed);
		if (n >= 1 && i % 2)
			b[0] = 0x20;	/* version 1 half the time */
		e = bfd_pkt_decode(b, n, &q);
		ck_assert_int_lt(e, BFD_PKT_ERR_MAX);
		if (e == BFD_PKT_OK) {
			ck_assert_uint_ge(n, 24);
			ck_assert_uint_le(q.length, n);
			ck_assert_uint_ne(q.my_discr, 0);
		}
		free(b);
	}
}
END_TEST

static const struct bfd_sess_conf conf = {
	.min_tx = 100000, .min_rx = 200000, .idle_tx = 1000000, .mult = 3,
};

/* Down -> Init -> Up by the three-way handshake, then the peer's Down
 * and its silence each bring it Down, with the diagnostic saying why */
START_TEST(handshake)
{
	struct bfd_sess s;
	struct bfd_pkt p, out;

	bfd_sess_init(&s, &conf, 0x1234);
	ck_assert_uint_eq(s.state, BFD_DOWN);
	ck_assert(bfd_sess_sends(&s));
	/* the idle rate until Up */
	ck_assert_uint_eq(bfd_sess_tx_interval(&s), 1000000);
	bfd_sess_build(&s, &out);
	ck_assert_uint_eq(out.state, BFD_DOWN);
	ck_assert_uint_eq(out.your_discr, 0);
	ck_assert_uint_eq(out.min_tx, 1000000);
	ck_assert_uint_eq(out.min_rx, 200000);

	p = pkt(BFD_DOWN, 0x99, 0);
	ck_assert_int_eq(bfd_sess_rx(&s, &p, 1000), 1);
	ck_assert_uint_eq(s.state, BFD_INIT);
	ck_assert_uint_eq(s.remote_discr, 0x99);
	/* detection: the peer's multiplier x max(our RX, its TX) */
	ck_assert_uint_eq(s.detect, 3 * 200000);
	ck_assert_uint_eq(bfd_sess_expiry(&s), 1000 + 600000);
	p = pkt(BFD_UP, 0x99, 0x1234);
	ck_assert_int_eq(bfd_sess_rx(&s, &p, 2000), 1);
	ck_assert_uint_eq(s.state, BFD_UP);
	/* Up: the configured rate, told the peer by a Poll Sequence */
	ck_assert_uint_eq(bfd_sess_tx_interval(&s), 100000);
	bfd_sess_build(&s, &out);
	ck_assert_uint_eq(out.poll, 1);
	ck_assert_uint_eq(out.min_tx, 100000);
	ck_assert_uint_eq(out.your_discr, 0x99);
	p.final = 1;
	ck_assert_int_eq(bfd_sess_rx(&s, &p, 3000), 0);
	bfd_sess_build(&s, &out);
	ck_assert_uint_eq(out.poll, 0);
	/* the peer polls: the next packet carries Final, once */
	p.final = 0;
	p.poll = 1;
	bfd_sess_rx(&s, &p, 4000);
	bfd_sess_build(&s, &out);
	ck_assert_uint_eq(out.final, 1);
	ck_assert_uint_eq(out.poll, 0);
	bfd_sess_build(&s, &out);
	ck_assert_uint_eq(out.final, 0);

	/* not expired just before the detection time, expired at it */
	ck_assert_int_eq(bfd_sess_expire(&s, 4000 + 600000 - 1), 0);
	ck_assert_uint_eq(s.state, BFD_UP);
	ck_assert_int_eq(bfd_sess_expire(&s, 4000 + 600000), 1);
	ck_assert_uint_eq(s.state, BFD_DOWN);
	ck_assert_uint_eq(s.diag, BFD_DIAG_EXPIRED);
	ck_assert_uint_eq(s.remote_discr, 0);
	ck_assert_uint_eq(bfd_sess_expiry(&s), 0);
	bfd_sess_build(&s, &out);
	ck_assert_uint_eq(out.diag, BFD_DIAG_EXPIRED);
	ck_assert_uint_eq(out.your_discr, 0);

	/* up again from Down by the peer's Init, then its Down */
	p = pkt(BFD_INIT, 0x77, 0x1234);
	ck_assert_int_eq(bfd_sess_rx(&s, &p, 700000), 1);
	ck_assert_uint_eq(s.state, BFD_UP);
	p = pkt(BFD_DOWN, 0x77, 0x1234);
	ck_assert_int_eq(bfd_sess_rx(&s, &p, 800000), 1);
	ck_assert_uint_eq(s.state, BFD_DOWN);
	ck_assert_uint_eq(s.diag, BFD_DIAG_NBR_DOWN);
	/* Down, the peer still Down: Init, not Up */
	ck_assert_int_eq(bfd_sess_rx(&s, &p, 800001), 1);
	ck_assert_uint_eq(s.state, BFD_INIT);
	/* the peer's AdminDown takes it Down */
	p = pkt(BFD_ADMIN_DOWN, 0x77, 0x1234);
	ck_assert_int_eq(bfd_sess_rx(&s, &p, 800002), 1);
	ck_assert_uint_eq(s.state, BFD_DOWN);
	ck_assert_int_eq(bfd_sess_rx(&s, &p, 800003), 0);
}
END_TEST

/* an Up peer seen from Down is not enough: Up only through Init */
START_TEST(no_shortcut)
{
	struct bfd_sess s;
	struct bfd_pkt p = pkt(BFD_UP, 5, 0x1234);

	bfd_sess_init(&s, &conf, 0x1234);
	ck_assert_int_eq(bfd_sess_rx(&s, &p, 1), 0);
	ck_assert_uint_eq(s.state, BFD_DOWN);
}
END_TEST

/* timers: the slower of ours and the peer's; a peer asking for no
 * packets gets none; passive waits to be spoken to */
START_TEST(timers)
{
	struct bfd_sess s;
	struct bfd_sess_conf pc = conf;
	struct bfd_pkt p = pkt(BFD_DOWN, 5, 0);

	bfd_sess_init(&s, &conf, 1);
	p.min_rx = 3000000;
	bfd_sess_rx(&s, &p, 1);
	ck_assert_uint_eq(bfd_sess_tx_interval(&s), 3000000);
	p.min_rx = 0;
	bfd_sess_rx(&s, &p, 2);
	ck_assert(!bfd_sess_sends(&s));
	p.min_tx = 500000;	/* the peer's TX slower than our RX */
	p.min_rx = 1;
	bfd_sess_rx(&s, &p, 3);
	ck_assert_uint_eq(s.detect, 3 * 500000);

	pc.passive = 1;
	bfd_sess_init(&s, &pc, 1);
	ck_assert(!bfd_sess_sends(&s));
	p = pkt(BFD_DOWN, 5, 0);
	bfd_sess_rx(&s, &p, 10);
	ck_assert(bfd_sess_sends(&s));
	/* silent again: passive stops sending */
	bfd_sess_expire(&s, 10 + s.detect);
	ck_assert(!bfd_sess_sends(&s));
}
END_TEST

/* jitter: 0-25% less, 10-25% less with a multiplier of 1 */
START_TEST(jitter)
{
	struct bfd_sess s;
	struct bfd_sess_conf one = conf;
	uint32_t lo = UINT32_MAX, hi = 0;

	bfd_sess_init(&s, &conf, 1);
	for (uint32_t r = 0; r < 1000; r++) {
		uint32_t t = bfd_sess_tx_jittered(&s, r * 2654435761u);

		lo = t < lo ? t : lo;
		hi = t > hi ? t : hi;
	}
	ck_assert_uint_ge(lo, 750000);
	ck_assert_uint_le(hi, 1000000);
	ck_assert_uint_lt(lo, hi);
	one.mult = 1;
	bfd_sess_init(&s, &one, 1);
	for (uint32_t r = 0; r < 1000; r++) {
		uint32_t t = bfd_sess_tx_jittered(&s, r * 2654435761u);

		ck_assert_uint_ge(t, 750000);
		ck_assert_uint_le(t, 900000);
	}
}
END_TEST

/* a reload's new timers on an Up session: a Poll Sequence, state kept */
START_TEST(new_conf)
{
	struct bfd_sess s;
	struct bfd_sess_conf c2 = conf;
	struct bfd_pkt p = pkt(BFD_INIT, 5, 1), out;

	bfd_sess_init(&s, &conf, 1);
	bfd_sess_rx(&s, &p, 1);
	ck_assert_uint_eq(s.state, BFD_UP);
	p.final = 1;
	bfd_sess_rx(&s, &p, 2);
	c2.min_tx = 50000;
	bfd_sess_set_conf(&s, &c2);
	ck_assert_uint_eq(s.state, BFD_UP);
	bfd_sess_build(&s, &out);
	ck_assert_uint_eq(out.poll, 1);
	ck_assert_uint_eq(out.min_tx, 50000);
}
END_TEST

/* Up on c1 with a peer wanting 100 ms both ways, then reloaded to cc:
 * the Poll goes out with the new values */
static void
up_then(struct bfd_sess *s, const struct bfd_sess_conf *c1,
    const struct bfd_sess_conf *cc, uint64_t now)
{
	struct bfd_pkt p = pkt(BFD_INIT, 5, 1), out;

	bfd_sess_init(s, c1, 1);
	bfd_sess_rx(s, &p, now - 2);
	ck_assert_uint_eq(s->state, BFD_UP);
	p = pkt(BFD_UP, 5, 1);
	p.final = 1;
	bfd_sess_rx(s, &p, now - 1);
	bfd_sess_set_conf(s, cc);
	ck_assert_uint_eq(s->state, BFD_UP);
	bfd_sess_build(s, &out);
	ck_assert_uint_eq(out.poll, 1);
	ck_assert_uint_eq(out.min_tx, cc->min_tx);
	ck_assert_uint_eq(out.min_rx, cc->min_rx);
}

/* A reload lowering min RX 1000 -> 100 ms: until the peer's Final the
 * detection time stays that of the old interval (the peer goes on at
 * its old rate until it saw the Poll, RFC 5880 6.8.3), then shrinks */
START_TEST(reload_lower_rx)
{
	struct bfd_sess s;
	struct bfd_sess_conf c1 = conf, c2 = conf;
	struct bfd_pkt p = pkt(BFD_UP, 5, 1);

	c1.min_rx = 1000000;
	c2.min_rx = 100000;
	up_then(&s, &c1, &c2, 10000000);
	ck_assert_uint_eq(s.detect, 3 * 1000000);
	/* the peer's next periodic packet (it wants 100 ms but sends at
	 * our old 1 s), no Final yet */
	bfd_sess_rx(&s, &p, 10900000);
	ck_assert_uint_eq(s.detect, 3 * 1000000);
	ck_assert_int_eq(bfd_sess_expire(&s, 10900000 + 2000000), 0);
	ck_assert_uint_eq(s.state, BFD_UP);
	/* the Final, the peer now at 100 ms: the new detection time */
	p.final = 1;
	bfd_sess_rx(&s, &p, 11000000);
	ck_assert_uint_eq(s.detect, 3 * 100000);
	ck_assert_uint_eq(bfd_sess_expiry(&s), 11000000 + 300000);
}
END_TEST

/* A reload raising min TX 10 -> 2000 ms: until the Final we go on at
 * 10 ms (the peer's detection time counts on it), then at 2 s; lowering
 * it takes effect at once */
START_TEST(reload_raise_tx)
{
	struct bfd_sess s;
	struct bfd_sess_conf c1 = conf, c2 = conf, c3;
	struct bfd_pkt p = pkt(BFD_UP, 5, 1);

	c1.min_tx = 10000;
	c1.min_rx = 10000;
	c2.min_tx = 2000000;
	c2.min_rx = 10000;
	up_then(&s, &c1, &c2, 10000000);
	p.min_rx = 10000;
	p.min_tx = 10000;
	bfd_sess_rx(&s, &p, 10000010);
	ck_assert_uint_eq(bfd_sess_tx_interval(&s), 10000);
	p.final = 1;
	bfd_sess_rx(&s, &p, 10000020);
	ck_assert_uint_eq(bfd_sess_tx_interval(&s), 2000000);
	ck_assert_uint_eq(s.pending, 0);
	/* and back down to 10 ms: at once, Poll or not */
	c3 = c1;
	bfd_sess_set_conf(&s, &c3);
	ck_assert_uint_eq(s.poll, 1);
	ck_assert_uint_eq(bfd_sess_tx_interval(&s), 10000);
	/* a session going Down ends the wait: the new timers apply */
	bfd_sess_set_conf(&s, &c2);
	ck_assert_uint_eq(bfd_sess_tx_interval(&s), 10000);
	p = pkt(BFD_DOWN, 5, 1);
	bfd_sess_rx(&s, &p, 10000030);
	ck_assert_uint_eq(s.state, BFD_DOWN);
	ck_assert_uint_eq(s.pending, 0);
	ck_assert_uint_eq(bfd_sess_tx_interval(&s), 2000000);
}
END_TEST

static Suite *
bfd_suite(void)
{
	Suite *s = suite_create("bfd");
	TCase *tc = tcase_create("codec");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, round_trip);
	tcase_add_test(tc, drops);
	tcase_add_test(tc, garbage);
	suite_add_tcase(s, tc);
	tc = tcase_create("session");
	tcase_add_test(tc, handshake);
	tcase_add_test(tc, no_shortcut);
	tcase_add_test(tc, timers);
	tcase_add_test(tc, jitter);
	tcase_add_test(tc, new_conf);
	tcase_add_test(tc, reload_lower_rx);
	tcase_add_test(tc, reload_raise_tx);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return check_run(bfd_suite());
}

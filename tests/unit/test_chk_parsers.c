/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The protocol checkers' parsers: SMTP replies (multi-line, split reads,
 * bounds), DNS queries and replies (ID, question, rcode, answer type,
 * truncation, compression pointers and loops), UDP_CHECK's masked match.
 */
#include <check.h>
#include <stdint.h>
#include <string.h>

#include "check_run.h"
#include "healthcheck/dns_msg.h"
#include "smtp_reply.h"
#include "healthcheck/udp_reply.h"

/* ---- SMTP ---------------------------------------------------------------- */

/* Feed s in pieces of step bytes; the status at the end, *used the bytes
 * of s consumed in all. */
static enum smtp_reply_status
smtp_feed(struct smtp_reply *r, const char *s, size_t step, size_t *total)
{
	size_t len = strlen(s), off = 0, used;
	enum smtp_reply_status st = SMTP_REPLY_MORE;

	smtp_reply_init(r);
	while (off < len && st == SMTP_REPLY_MORE) {
		size_t n = len - off < step ? len - off : step;

		st = smtp_reply_feed(r, s + off, n, &used);
		ck_assert_uint_le(used, n);
		off += used;
	}
	*total = off;
	return st;
}

START_TEST(smtp_single_line)
{
	struct smtp_reply r;
	size_t used;

	ck_assert_int_eq(smtp_feed(&r, "220 mx.example ESMTP\r\n", 100,
	    &used), SMTP_REPLY_DONE);
	ck_assert_uint_eq(r.code, 220);
	ck_assert_str_eq(r.text, "mx.example ESMTP");
	ck_assert_int_eq(smtp_feed(&r, "250\n", 100, &used), SMTP_REPLY_DONE);
	ck_assert_uint_eq(r.code, 250);
	ck_assert_int_eq(smtp_feed(&r, "250\r\n", 100, &used),
	    SMTP_REPLY_DONE);
	ck_assert_uint_eq(r.code, 250);
}
END_TEST

START_TEST(smtp_multi_line_split)
{
	static const char rep[] = "250-mx.example\r\n250-PIPELINING\r\n"
	    "250-SIZE 1000\r\n250 HELP\r\n221 next\r\n";
	struct smtp_reply r;
	size_t step, used;

	/* however the reply is cut into reads, it ends at the right byte */
	for (step = 1; step <= sizeof(rep); step++) {
		ck_assert_int_eq(smtp_feed(&r, rep, step, &used),
		    SMTP_REPLY_DONE);
		ck_assert_uint_eq(r.code, 250);
		ck_assert_uint_eq(r.nlines, 4);
		ck_assert_uint_eq(used, strlen(rep) - strlen("221 next\r\n"));
		ck_assert_str_eq(r.text, "mx.example");
	}
	/* incomplete: more is needed, nothing is decided */
	ck_assert_int_eq(smtp_feed(&r, "250-a\r\n250-b\r\n", 3, &used),
	    SMTP_REPLY_MORE);
	ck_assert_int_eq(smtp_feed(&r, "220 no end", 3, &used),
	    SMTP_REPLY_MORE);
}
END_TEST

START_TEST(smtp_bad_replies)
{
	static const char *const bad[] = {
		"2x0 hello\r\n", "\r\n", "22\r\n", "220_hello\r\n",
		"250-a\r\n251 b\r\n", "099 low\r\n", "600 high\r\n",
		"220\rX\r\n", "abc\r\n",
	};
	struct smtp_reply r;
	char big[2000];
	size_t i, used;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_msg(smtp_feed(&r, bad[i], 1, &used) ==
		    SMTP_REPLY_ERROR, "accepted %s", bad[i]);
		ck_assert_str_ne(smtp_reply_error(&r), "");
	}
	/* a line that never ends is refused at the bound */
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	memcpy(big, "220 ", 4);
	ck_assert_int_eq(smtp_feed(&r, big, 7, &used), SMTP_REPLY_ERROR);
	ck_assert_uint_le(used, SMTP_REPLY_LINE_MAX);
	ck_assert_str_eq(smtp_reply_error(&r), "reply line too long");
}
END_TEST

START_TEST(smtp_too_many_lines)
{
	struct smtp_reply r;
	enum smtp_reply_status st = SMTP_REPLY_MORE;
	unsigned i;
	size_t used;

	smtp_reply_init(&r);
	for (i = 0; i < 10000 && st == SMTP_REPLY_MORE; i++)
		st = smtp_reply_feed(&r, "250-x\r\n", 7, &used);
	ck_assert_int_eq(st, SMTP_REPLY_ERROR);
	ck_assert_uint_eq(i, SMTP_REPLY_LINES_MAX);
	ck_assert_str_eq(smtp_reply_error(&r), "too many reply lines");
}
END_TEST

/* ---- DNS ------------------------------------------------------------------ */

static uint8_t q[DNS_QUERY_MAX];
static int qlen;

/* A reply to q built by hand. */
static uint8_t rb[1024];
static size_t rl;

static void
put(const void *p, size_t n)
{
	ck_assert_uint_le(rl + n, sizeof(rb));
	memcpy(rb + rl, p, n);
	rl += n;
}

static void
put16(unsigned v)
{
	uint8_t b[2] = { (uint8_t)(v >> 8), (uint8_t)v };

	put(b, 2);
}

/* Header with id, flags and counts, then q's question as is. */
static void
reply_start(unsigned id, unsigned flags, unsigned an)
{
	rl = 0;
	put16(id);
	put16(flags);
	put16(1);
	put16(an);
	put16(0);
	put16(0);
	put(q + DNS_HDR_LEN, (size_t)qlen - DNS_HDR_LEN);
}

/* An answer: name as a pointer to the question, type, IN, ttl, rdata. */
static void
answer(unsigned type, const void *rdata, unsigned rdlen)
{
	put16(0xc000 | DNS_HDR_LEN);
	put16(type);
	put16(1);
	put16(0);
	put16(60);
	put16(rdlen);
	put(rdata, rdlen);
}

static void
dns_setup(void)
{
	qlen = dns_msg_query(q, sizeof(q), 0x1234, "www.Example.org", 1);
	ck_assert_int_gt(qlen, 0);
}

START_TEST(dns_query_wire)
{
	static const uint8_t want[] = {
		0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0,
		3, 'w', 'w', 'w', 7, 'E', 'x', 'a', 'm', 'p', 'l', 'e',
		3, 'o', 'r', 'g', 0, 0, 1, 0, 1,
	};
	uint8_t b[DNS_QUERY_MAX];
	char name[300];

	ck_assert_int_eq(qlen, (int)sizeof(want));
	ck_assert_mem_eq(q, want, sizeof(want));
	/* the root: "." and "" alike; a trailing dot is the same name */
	ck_assert_int_eq(dns_msg_query(b, sizeof(b), 1, ".", 6),
	    DNS_HDR_LEN + 5);
	ck_assert_int_eq(dns_msg_query(b, sizeof(b), 1, "", 6),
	    DNS_HDR_LEN + 5);
	ck_assert_int_eq(dns_msg_query(b, sizeof(b), 1, "www.Example.org.",
	    1), qlen);
	ck_assert_int_eq(dns_msg_query(b, sizeof(b), 1, "a..b", 1), -1);
	ck_assert_int_eq(dns_msg_query(b, sizeof(b), 1, ".a", 1), -1);
	memset(name, 'a', 64);
	name[64] = '\0';
	ck_assert_int_eq(dns_msg_query(b, sizeof(b), 1, name, 1), -1);
	for (int i = 0; i < 299; i++)
		name[i] = i % 2 ? '.' : 'a';
	name[299] = '\0';
	ck_assert_int_eq(dns_msg_query(b, sizeof(b), 1, name, 1), -1);
	ck_assert_uint_eq(dns_type_from_name("aaaa"), 28);
	ck_assert_uint_eq(dns_type_from_name("PTR"), 0);
}
END_TEST

START_TEST(dns_good_reply)
{
	static const uint8_t a[4] = { 10, 0, 0, 1 };
	struct dns_reply_info in;

	reply_start(0x1234, 0x8180, 2);
	answer(5, "\3www\0", 5);	/* a CNAME first */
	answer(1, a, 4);
	ck_assert_int_eq(dns_msg_check(q, (size_t)qlen, rb, rl, &in),
	    DNS_V_OK);
	ck_assert_uint_eq(in.answers, 1);
	ck_assert_uint_eq(in.ancount, 2);
	/* the question's case does not matter (0x20 randomisation) */
	rb[DNS_HDR_LEN + 5] = 'E';
	rb[DNS_HDR_LEN + 6] = 'X';
	ck_assert_int_eq(dns_msg_check(q, (size_t)qlen, rb, rl, &in),
	    DNS_V_OK);
}
END_TEST

START_TEST(dns_not_ours)
{
	struct dns_reply_info in;

	reply_start(0x1235, 0x8180, 0);
	ck_assert_int_eq(dns_msg_check(q, (size_t)qlen, rb, rl, &in),
	    DNS_V_NOTOURS);
	ck_assert_str_eq(in.why, "other ID");
	reply_start(0x1234, 0x0100, 0);		/* QR clear: a query */
	ck_assert_int_eq(dns_msg_check(q, (size_t)qlen, rb, rl, &in),
	    DNS_V_NOTOURS);
	reply_start(0x1234, 0x8180, 0);
	rb[DNS_HDR_LEN + 1] = 'x';		/* xww.example.org */
	ck_assert_int_eq(dns_msg_check(q, (size_t)qlen, rb, rl, &in),
	    DNS_V_NOTOURS);
	ck_assert_str_eq(in.why, "other question");
	reply_start(0x1234, 0x8180, 0);
	rb[qlen - 3] = 28;			/* AAAA, not A */
	ck_assert_int_eq(dns_msg_check(q, (size_t)qlen, rb, rl, &in),
	    DNS_V_NOTOURS);
	ck_assert_int_eq(dns_msg_check(q, (size_t)qlen, rb, 11, &in),
	    DNS_V_NOTOURS);
	ck_assert_str_eq(in.why, "short message");
}
END_TEST

START_TEST(dns_rcode_and_noanswer)
{
	static const uint8_t aaaa[16] = { 0xfd };
	struct dns_reply_info in;

	reply_start(0x1234, 0x8183, 0);		/* NXDOMAIN */
	ck_assert_int_eq(dns_msg_check(q, (size_t)qlen, rb, rl, &in),
	    DNS_V_RCODE);
	ck_assert_uint_eq(in.rcode, 3);
	/* FORMERR without the question */
	rl = 0;
	put16(0x1234);
	put16(0x8181);
	put16(0);
	put16(0);
	put16(0);
	put16(0);
	ck_assert_int_eq(dns_msg_check(q, (size_t)qlen, rb, rl, &in),
	    DNS_V_RCODE);
	ck_assert_uint_eq(in.rcode, 1);
	/* NOERROR with an answer of another type only */
	reply_start(0x1234, 0x8180, 1);
	answer(28, aaaa, 16);
	ck_assert_int_eq(dns_msg_check(q, (size_t)qlen, rb, rl, &in),
	    DNS_V_NOANSWER);
	ck_assert_uint_eq(in.answers, 0);
	reply_start(0x1234, 0x8180, 0);
	ck_assert_int_eq(dns_msg_check(q, (size_t)qlen, rb, rl, &in),
	    DNS_V_NOANSWER);
}
END_TEST

START_TEST(dns_truncated)
{
	static const uint8_t a[4] = { 10, 0, 0, 1 };
	struct dns_reply_info in;
	size_t cut;

	reply_start(0x1234, 0x8180, 1);
	answer(1, a, 4);
	/* cut anywhere after the header: never OK, never a crash */
	for (cut = DNS_HDR_LEN; cut < rl; cut++) {
		enum dns_verdict v = dns_msg_check(q, (size_t)qlen, rb, cut,
		    &in);

		ck_assert_int_ne(v, DNS_V_OK);
		ck_assert(v == DNS_V_MALFORMED || v == DNS_V_NOTOURS);
	}
	/* with TC set, a cut answer section is no answer, not garbage */
	rb[2] |= 0x02;
	ck_assert_int_eq(dns_msg_check(q, (size_t)qlen, rb, rl - 2, &in),
	    DNS_V_NOANSWER);
	ck_assert_int_eq(in.truncated, 1);
	ck_assert_int_eq(dns_msg_check(q, (size_t)qlen, rb, rl, &in),
	    DNS_V_OK);
}
END_TEST

START_TEST(dns_compression)
{
	static const uint8_t a[4] = { 10, 0, 0, 1 };
	struct dns_reply_info in;
	size_t at;

	/* answer owner "www" + pointer to "example.org" in the question */
	reply_start(0x1234, 0x8180, 1);
	put("\3www", 4);
	put16(0xc000 | (DNS_HDR_LEN + 4));
	put16(1);
	put16(1);
	put16(0);
	put16(0);
	put16(4);
	put(a, 4);
	ck_assert_int_eq(dns_msg_check(q, (size_t)qlen, rb, rl, &in),
	    DNS_V_OK);

	/* a pointer to itself */
	reply_start(0x1234, 0x8180, 1);
	at = rl;
	put16(0xc000 | (unsigned)at);
	put16(1);
	put16(1);
	put16(0);
	put16(0);
	put16(4);
	put(a, 4);
	ck_assert_int_eq(dns_msg_check(q, (size_t)qlen, rb, rl, &in),
	    DNS_V_MALFORMED);

	/* two pointers to each other, and one past the end */
	reply_start(0x1234, 0x8180, 1);
	at = rl;
	put16(0xc000 | (unsigned)(at + 2));
	put16(0xc000 | (unsigned)at);
	ck_assert_int_eq(dns_msg_check(q, (size_t)qlen, rb, rl, &in),
	    DNS_V_MALFORMED);
	reply_start(0x1234, 0x8180, 1);
	put16(0xc000 | 0x3fff);
	ck_assert_int_eq(dns_msg_check(q, (size_t)qlen, rb, rl, &in),
	    DNS_V_MALFORMED);

	/* a compressed question still matches */
	rl = 0;
	put16(0x1234);
	put16(0x8180);
	put16(1);
	put16(0);
	put16(0);
	put16(0);
	put("\3www", 4);
	put16(0xc000 | (unsigned)(rl + 6));
	put16(1);
	put16(1);
	put("\7example\3org\0", 13);
	ck_assert_int_eq(dns_msg_check(q, (size_t)qlen, rb, rl, &in),
	    DNS_V_NOANSWER);
}
END_TEST

START_TEST(dns_garbage)
{
	struct dns_reply_info in;
	uint8_t g[600];
	unsigned seed = 12345, i, n;

	/* random bytes under our ID and QR: no crash, no OK but by luck of
	 * a well-formed question (never with this seed) */
	for (n = 0; n < 2000; n++) {
		for (i = 0; i < sizeof(g); i++) {
			seed = seed * 1103515245u + 12345u;
			g[i] = (uint8_t)(seed >> 16);
		}
		g[0] = 0x12;
		g[1] = 0x34;
		g[2] |= 0x80;
		ck_assert_int_ne(dns_msg_check(q, (size_t)qlen, g,
		    12 + n % (sizeof(g) - 12), &in), DNS_V_OK);
	}
}
END_TEST

/* ---- UDP -------------------------------------------------------------------- */

START_TEST(udp_masked_match)
{
	static unsigned char want[] = { 0xab, 0x12, 0x30 };
	static unsigned char mask[] = { 0xff, 0xf0, 0x0f };
	struct chk_checker_conf ck;
	char why[128];

	memset(&ck, 0, sizeof(ck));
	ck.kind = CHK_UDP;
	ck.u.udp.require_reply = 1;
	ck.u.udp.max_reply_length = 255;
	/* any data */
	ck_assert_int_eq(udp_reply_match(&ck, (const unsigned char *)"zz", 2,
	    why, sizeof(why)), 1);
	ck.u.udp.reply = want;
	ck.u.udp.reply_mask = mask;
	ck.u.udp.reply_len = 3;
	/* "AB 1X X0": the X nibbles match anything */
	ck_assert_int_eq(udp_reply_match(&ck,
	    (const unsigned char *)"\xab\x1f\xe0", 3, why, sizeof(why)), 1);
	ck_assert_int_eq(udp_reply_match(&ck,
	    (const unsigned char *)"\xab\x22\x30", 3, why, sizeof(why)), 0);
	ck_assert_str_eq(why, "reply byte 1 is 22, expected 12 (mask f0)");
	ck_assert_int_eq(udp_reply_match(&ck,
	    (const unsigned char *)"\xab\x12\x31", 3, why, sizeof(why)), 0);
	/* only the shorter of the two is compared, as keepalived does */
	ck_assert_int_eq(udp_reply_match(&ck,
	    (const unsigned char *)"\xab", 1, why, sizeof(why)), 1);
	ck_assert_int_eq(udp_reply_match(&ck,
	    (const unsigned char *)"\xab\x12\x30zzzz", 7, why, sizeof(why)),
	    1);
	/* length bounds */
	ck.u.udp.min_reply_length = 2;
	ck.u.udp.max_reply_length = 4;
	ck_assert_int_eq(udp_reply_match(&ck,
	    (const unsigned char *)"\xab", 1, why, sizeof(why)), 0);
	ck_assert_str_eq(why, "reply of 1 bytes, expected 2..4");
	ck_assert_int_eq(udp_reply_match(&ck,
	    (const unsigned char *)"\xab\x12\x30zz", 5, why, sizeof(why)), 0);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("chk_parsers");
	TCase *t = tcase_create("smtp");

	tcase_add_test(t, smtp_single_line);
	tcase_add_test(t, smtp_multi_line_split);
	tcase_add_test(t, smtp_bad_replies);
	tcase_add_test(t, smtp_too_many_lines);
	suite_add_tcase(s, t);
	t = tcase_create("dns");
	tcase_add_checked_fixture(t, dns_setup, NULL);
	tcase_add_test(t, dns_query_wire);
	tcase_add_test(t, dns_good_reply);
	tcase_add_test(t, dns_not_ours);
	tcase_add_test(t, dns_rcode_and_noanswer);
	tcase_add_test(t, dns_truncated);
	tcase_add_test(t, dns_compression);
	tcase_add_test(t, dns_garbage);
	suite_add_tcase(s, t);
	t = tcase_create("udp");
	tcase_add_test(t, udp_masked_match);
	suite_add_tcase(s, t);
	return s;
}

int
main(void)
{
	return check_run(suite());
}

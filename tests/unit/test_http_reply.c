/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The HTTP reply parser: sample replies cut at every point, bad replies. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "healthcheck/http_reply.h"
#include "check_run.h"

struct body {
	char buf[4096];
	size_t len;
	unsigned calls;
};

static void
on_body(void *arg, const unsigned char *data, size_t len)
{
	struct body *b = arg;

	ck_assert_uint_le(b->len + len, sizeof(b->buf));
	memcpy(b->buf + b->len, data, len);
	b->len += len;
	b->calls++;
}

#define X64 "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
#define X1K X64 X64 X64 X64 X64 X64 X64 X64 X64 X64 X64 X64 X64 X64 X64 X64

struct sample {
	const char *name;
	const char *wire;
	int status;
	const char *body;
	enum http_reply_framing framing;
	int needs_eof;		/* done only once the stream ends */
};

static const struct sample samples[] = {
	{ "content-length",
	  "HTTP/1.1 200 OK\r\nServer: nginx\r\nContent-Length: 11\r\n"
	  "Content-Type: text/plain\r\n\r\nhello world",
	  200, "hello world", HTTP_FRAME_LENGTH, 0 },
	{ "chunked",
	  "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
	  "5\r\nhello\r\n1;ext=1\r\n \r\n5\r\nworld\r\n0\r\nX-T: 1\r\n\r\n",
	  200, "hello world", HTTP_FRAME_CHUNKED, 0 },
	{ "chunked wins over length",
	  "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n"
	  "Transfer-Encoding: gzip, Chunked\r\n\r\nA\r\n0123456789\r\n0\r\n\r\n",
	  200, "0123456789", HTTP_FRAME_CHUNKED, 0 },
	{ "until close",
	  "HTTP/1.0 503 Service Unavailable\r\nServer: x\r\n\r\ndown\nfor now",
	  503, "down\nfor now", HTTP_FRAME_CLOSE, 1 },
	{ "bare LF and no reason",
	  "HTTP/1.0 301\nLocation: /x\n  folded\nContent-Length: 2\n\nok",
	  301, "ok", HTTP_FRAME_LENGTH, 0 },
	{ "interim 100 first",
	  "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 404 Not Found\r\n"
	  "Content-Length: 0\r\n\r\n",
	  404, "", HTTP_FRAME_LENGTH, 0 },
	{ "204 has no body",
	  "HTTP/1.1 204 No Content\r\nContent-Length: 10\r\n\r\n",
	  204, "", HTTP_FRAME_EMPTY, 0 },
	{ "long headers, kept in part",
	  "HTTP/1.1 200 OK\r\nSet-Cookie: a=" X1K X1K X1K "\r\n"
	  "X-Long-Name-" X1K ": v\r\nContent-Length: 3\r\n\r\nabc",
	  200, "abc", HTTP_FRAME_LENGTH, 0 },
	{ "empty line before the status",
	  "\r\nHTTP/1.1 200 OK\r\ncontent-length:  1 \r\n\r\nx",
	  200, "x", HTTP_FRAME_LENGTH, 0 },
};

static void
check_result(const struct sample *s, struct http_reply *r, struct body *b,
    enum http_reply_result res, size_t cut)
{
	if (s->needs_eof) {
		ck_assert_msg(res == HTTP_REPLY_MORE, "%s cut %zu: %d %s",
		    s->name, cut, res, r->error);
		res = http_reply_eof(r);
	}
	ck_assert_msg(res == HTTP_REPLY_DONE, "%s cut %zu: %d %s", s->name,
	    cut, res, r->error);
	ck_assert_int_eq(r->status, s->status);
	ck_assert_int_eq(r->framing, s->framing);
	ck_assert_uint_eq(b->len, strlen(s->body));
	ck_assert_msg(memcmp(b->buf, s->body, b->len) == 0, "%s cut %zu",
	    s->name, cut);
	ck_assert_uint_eq(r->body_bytes, strlen(s->body));
	ck_assert_int_eq(r->truncated, 0);
}

/* Every sample cut in two at every point gives the same reply. */
START_TEST(every_split)
{
	const struct sample *s = &samples[_i];
	size_t len = strlen(s->wire), cut;

	for (cut = 0; cut <= len; cut++) {
		struct http_reply r;
		struct body b = { .len = 0 };
		enum http_reply_result res;

		http_reply_init(&r, on_body, &b);
		res = http_reply_feed(&r, s->wire, cut);
		ck_assert_msg(res != HTTP_REPLY_ERROR, "%s cut %zu: %s",
		    s->name, cut, r.error);
		if (res == HTTP_REPLY_MORE)
			res = http_reply_feed(&r, s->wire + cut, len - cut);
		check_result(s, &r, &b, res, cut);
	}
}
END_TEST

/* ... and byte by byte, with junk after the end ignored. */
START_TEST(byte_by_byte)
{
	const struct sample *s = &samples[_i];
	size_t len = strlen(s->wire), i;
	struct http_reply r;
	struct body b = { .len = 0 };
	enum http_reply_result res = HTTP_REPLY_MORE;

	http_reply_init(&r, on_body, &b);
	for (i = 0; i < len; i++) {
		ck_assert_int_eq(res, HTTP_REPLY_MORE);
		res = http_reply_feed(&r, s->wire + i, 1);
		ck_assert_msg(res != HTTP_REPLY_ERROR, "%s at %zu: %s",
		    s->name, i, r.error);
	}
	if (!s->needs_eof) {
		ck_assert_int_eq(http_reply_feed(&r, "JUNK", 4),
		    HTTP_REPLY_DONE);
	}
	check_result(s, &r, &b, res, len);
}
END_TEST

struct bad {
	const char *wire;
	const char *error;	/* start of the reason */
	int at_eof;		/* fails only at the end of the stream */
};

static const struct bad bads[] = {
	{ "\x16\x03\x01\x02", "not an HTTP/1.x status line: \"????\"", 0 },
	{ "<html>", "not an HTTP/1.x status line: \"<html>\"", 0 },
	{ "SSH-2.0-OpenSSH_9.2\r\n", "not an HTTP/1.x status line: \"SSH-2.0", 0 },
	{ "HTTP/2 200\r\n", "not an HTTP/1.x status line", 0 },
	{ "HTTP/1.1 20 OK\r\n", "not an HTTP/1.x status line", 0 },
	{ "HTTP/1.1 2000 OK\r\n", "not an HTTP/1.x status line", 0 },
	{ "HTTP/1.1 099 OK\r\n", "status 99 out of range", 0 },
	{ "HTTP/1.1 101 Switching\r\n\r\n", "unexpected 101", 0 },
	{ "HTTP/1.1 200 OK\r\nno colon here\r\n", "bad header line", 0 },
	{ "HTTP/1.1 200 OK\r\n: empty name\r\n", "bad header line", 0 },
	{ "HTTP/1.1 200 OK\r\nBad Name: x\r\n", "bad header name", 0 },
	{ "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n", "bad Content-Length", 0 },
	{ "HTTP/1.1 200 OK\r\nContent-Length: 1x\r\n", "bad Content-Length", 0 },
	{ "HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999\r\n",
	  "bad Content-Length", 0 },
	{ "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n",
	  "conflicting Content-Length", 0 },
	{ "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
	  "bad chunk size line", 0 },
	{ "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
	  "ffffffffffffffffff\r\n", "chunk size too large", 0 },
	{ "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
	  "2\r\nabc\r\n", "chunk data longer than its size", 0 },
	{ "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip," X1K ", chunked\r\n",
	  "Transfer-Encoding header over 512 bytes", 0 },
	{ "HTTP/1.1 200 OK\r\nContent-Length: 1" X1K "\r\n",
	  "Content-Length header over 512 bytes", 0 },
	{ "", "connection closed without a reply", 1 },
	{ "HTTP/1.1 200 OK\r\nServer: x\r\n", "connection closed inside the "
	  "headers", 1 },
	{ "HTTP/1.1 20", "connection closed inside the headers", 1 },
};

START_TEST(bad_replies)
{
	const struct bad *t = &bads[_i];
	struct http_reply r;
	enum http_reply_result res;

	http_reply_init(&r, NULL, NULL);
	res = http_reply_feed(&r, t->wire, strlen(t->wire));
	if (t->at_eof) {
		ck_assert_int_eq(res, HTTP_REPLY_MORE);
		res = http_reply_eof(&r);
	}
	ck_assert_int_eq(res, HTTP_REPLY_ERROR);
	ck_assert_msg(strncmp(r.error, t->error, strlen(t->error)) == 0,
	    "case %d: got \"%s\", expected \"%s\"", _i, r.error, t->error);
	/* an error stays */
	ck_assert_int_eq(http_reply_feed(&r, "HTTP/1.1 200 OK\r\n", 17),
	    HTTP_REPLY_ERROR);
	ck_assert_int_eq(http_reply_eof(&r), HTTP_REPLY_ERROR);
}
END_TEST

static enum http_reply_result
feed_repeat(struct http_reply *r, const char *s, unsigned n)
{
	enum http_reply_result res = HTTP_REPLY_MORE;
	unsigned i;

	for (i = 0; i < n && res == HTTP_REPLY_MORE; i++)
		res = http_reply_feed(r, s, strlen(s));
	return res;
}

/* A peer sending headers forever is stopped at the bounds. */
START_TEST(endless_headers)
{
	struct http_reply r;
	char line[200];

	http_reply_init(&r, NULL, NULL);
	ck_assert_int_eq(http_reply_feed(&r, "HTTP/1.1 200 OK\r\n", 17),
	    HTTP_REPLY_MORE);
	ck_assert_int_eq(feed_repeat(&r, "X-A: b\r\n", 1000),
	    HTTP_REPLY_ERROR);
	ck_assert_str_eq(r.error, "more than 100 header lines");

	/* few long headers: the byte bound */
	memset(line, 'a', sizeof(line));
	http_reply_init(&r, NULL, NULL);
	ck_assert_int_eq(http_reply_feed(&r, "HTTP/1.1 200 OK\r\n", 17),
	    HTTP_REPLY_MORE);
	{
		static char big[8000];
		memset(big, 'a', sizeof(big) - 3);
		memcpy(big, "X:", 2);
		big[sizeof(big) - 3] = '\r';
		big[sizeof(big) - 2] = '\n';
		ck_assert_int_eq(feed_repeat(&r, big, 100), HTTP_REPLY_ERROR);
		ck_assert_str_eq(r.error, "headers over 65536 bytes");
	}

	/* one line without end */
	http_reply_init(&r, NULL, NULL);
	ck_assert_int_eq(feed_repeat(&r, "HTTP/1.1 200 OK\r\nX: ", 1),
	    HTTP_REPLY_MORE);
	ck_assert_int_eq(feed_repeat(&r, "aaaaaaaaaaaaaaaaaaaaaaaa", 10000),
	    HTTP_REPLY_ERROR);
	ck_assert_str_eq(r.error, "header line over 8192 bytes");

	/* an endless chunk-size line */
	http_reply_init(&r, NULL, NULL);
	ck_assert_int_eq(feed_repeat(&r, "HTTP/1.1 200 OK\r\n"
	    "Transfer-Encoding: chunked\r\n\r\n1;", 1), HTTP_REPLY_MORE);
	ck_assert_int_eq(feed_repeat(&r, "xxxxxxxx", 10000), HTTP_REPLY_ERROR);
	ck_assert_str_eq(r.error, "chunk size line over 8192 bytes");
}
END_TEST

/* A huge body streams through at no memory cost; body_max bounds it. */
START_TEST(huge_body)
{
	struct http_reply r;
	static char chunk[65536];
	unsigned i;
	enum http_reply_result res = HTTP_REPLY_MORE;

	memset(chunk, 'z', sizeof(chunk));
	http_reply_init(&r, NULL, NULL);
	ck_assert_int_eq(http_reply_feed(&r, "HTTP/1.0 200 OK\r\n\r\n", 19),
	    HTTP_REPLY_MORE);
	for (i = 0; i < 2048 && res == HTTP_REPLY_MORE; i++)
		res = http_reply_feed(&r, chunk, sizeof(chunk));
	ck_assert_int_eq(res, HTTP_REPLY_MORE);
	ck_assert_uint_eq(r.body_bytes, 2048ull * sizeof(chunk));
	ck_assert_int_eq(http_reply_eof(&r), HTTP_REPLY_DONE);

	http_reply_init(&r, NULL, NULL);
	r.body_max = 100000;
	ck_assert_int_eq(http_reply_feed(&r, "HTTP/1.1 200 OK\r\n"
	    "Content-Length: 200000\r\n\r\n", 43), HTTP_REPLY_MORE);
	ck_assert_int_eq(http_reply_feed(&r, chunk, sizeof(chunk)),
	    HTTP_REPLY_MORE);
	ck_assert_int_eq(http_reply_feed(&r, chunk, sizeof(chunk)),
	    HTTP_REPLY_ERROR);
	ck_assert_str_eq(r.error, "body over 100000 bytes");
}
END_TEST

/* A framed body cut short is read as far as it went (keepalived's way:
 * the digest decides), and said to be truncated. */
START_TEST(truncated)
{
	struct http_reply r;
	struct body b = { .len = 0 };
	const char *w = "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc";

	http_reply_init(&r, on_body, &b);
	ck_assert_int_eq(http_reply_feed(&r, w, strlen(w)), HTTP_REPLY_MORE);
	ck_assert_int_eq(http_reply_eof(&r), HTTP_REPLY_DONE);
	ck_assert_int_eq(r.truncated, 1);
	ck_assert_uint_eq(b.len, 3);
	ck_assert_int_eq(r.status, 200);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("http_reply");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, every_split, 0,
	    (int)(sizeof(samples) / sizeof(samples[0])));
	tcase_add_loop_test(tc, byte_by_byte, 0,
	    (int)(sizeof(samples) / sizeof(samples[0])));
	tcase_add_loop_test(tc, bad_replies, 0,
	    (int)(sizeof(bads) / sizeof(bads[0])));
	tcase_add_test(tc, endless_headers);
	tcase_add_test(tc, huge_body);
	tcase_add_test(tc, truncated);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return check_run(suite());
}

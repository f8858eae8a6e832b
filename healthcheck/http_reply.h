/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * An incremental HTTP/1.0 and 1.1 response parser: bytes are fed as they
 * arrive, in pieces of any size. It reads the status line and headers
 * (bounded: line length, header count, total header bytes), then the body
 * framed by Content-Length, chunked transfer coding or the end of the
 * connection, handing each piece of decoded body to a consumer (an MD5
 * digest, a regex window). It keeps nothing of the body itself, so a
 * reply of any length costs the same fixed memory; the caller bounds time.
 *
 *	http_reply_init(&r, on_body, arg);
 *	while (reading)
 *		switch (http_reply_feed(&r, buf, n)) { ... }
 *	at end of stream: http_reply_eof(&r);
 */
#ifndef VIGIL_HTTP_REPLY_H
#define VIGIL_HTTP_REPLY_H

#include <stddef.h>
#include <stdint.h>

#define HTTP_REPLY_LINE_MAX	8192	/* one header or chunk-size line */
#define HTTP_REPLY_LINE_KEEP	512	/* of which kept: status, header
					 * name, framing values, chunk size */
#define HTTP_REPLY_HEADERS_MAX	100	/* header lines, trailers included */
#define HTTP_REPLY_HEAD_MAX	(64u * 1024)	/* bytes of status line,
						 * headers and trailers */
#define HTTP_REPLY_ERR_LEN	96

enum http_reply_result {
	HTTP_REPLY_ERROR = -1,		/* r->error says why */
	HTTP_REPLY_MORE = 0,		/* give it more bytes */
	HTTP_REPLY_DONE = 1,		/* the whole reply was read */
};

enum http_reply_framing {
	HTTP_FRAME_NONE = 0,		/* headers not read yet */
	HTTP_FRAME_EMPTY,		/* 204, 304: no body */
	HTTP_FRAME_LENGTH,		/* Content-Length */
	HTTP_FRAME_CHUNKED,
	HTTP_FRAME_CLOSE,		/* until the connection ends */
};

/* A piece of decoded body. */
typedef void http_reply_body_fn(void *arg, const unsigned char *data,
    size_t len);

struct http_reply {
	/* results */
	int status;			/* 0 until the status line is read */
	int version_minor;		/* HTTP/1.x */
	int headers_done;		/* the final headers were read */
	enum http_reply_framing framing;
	uint64_t content_length;	/* HTTP_FRAME_LENGTH */
	uint64_t body_bytes;		/* decoded body bytes so far */
	int truncated;			/* the stream ended inside a framed
					 * body (accepted, as keepalived
					 * does: the digest decides) */
	uint64_t body_max;		/* 0: no limit; else longer fails */
	char error[HTTP_REPLY_ERR_LEN];

	/* internal */
	int state;
	unsigned nheaders;
	size_t head_bytes;
	uint64_t chunk_left;
	int saw_length, saw_chunked;
	http_reply_body_fn *body;
	void *arg;
	size_t line_len;		/* the line so far (kept or not) */
	char line_last;			/* its last byte */
	char line[HTTP_REPLY_LINE_KEEP];
};

void http_reply_init(struct http_reply *r, http_reply_body_fn *body,
    void *arg);

/* Parse len more bytes. Bytes after the end of the reply are ignored. */
enum http_reply_result http_reply_feed(struct http_reply *r,
    const void *data, size_t len);

/* The peer closed the stream: DONE if that ends the reply (a body read
 * until close, or a framed one cut short: r->truncated), else ERROR. */
enum http_reply_result http_reply_eof(struct http_reply *r);

/* "content-length", "chunked", ... for logs. */
const char *http_reply_framing_name(enum http_reply_framing f);

#endif

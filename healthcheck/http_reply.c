/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Incremental HTTP/1.x response parser (see http_reply.h). A line is
 * gathered in r->line (bounded) and handled when its '\n' arrives; body
 * bytes go straight from the caller's buffer to the consumer.
 */
#include "healthcheck/http_reply.h"

#include <ctype.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

enum {
	ST_STATUS = 0,
	ST_HEADER,
	ST_BODY_LEN,
	ST_BODY_CLOSE,
	ST_CHUNK_SIZE,
	ST_CHUNK_DATA,
	ST_CHUNK_END,
	ST_TRAILER,
	ST_DONE,
	ST_ERROR,
};

static enum http_reply_result
fail(struct http_reply *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static enum http_reply_result
fail(struct http_reply *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->error, sizeof(r->error), fmt, ap);
	va_end(ap);
	r->state = ST_ERROR;
	return HTTP_REPLY_ERROR;
}

/* A short printable rendering of what the peer sent, for reasons. */
static const char *
quote(const char *s, size_t len, char *buf, size_t size)
{
	size_t i, o = 0;

	for (i = 0; i < len && o + 2 < size; i++)
		buf[o++] = isprint((unsigned char)s[i]) ? s[i] : '?';
	if (i < len && o >= 3)
		memcpy(buf + o - 3, "...", 3);
	buf[o] = '\0';
	return buf;
}

void
http_reply_init(struct http_reply *r, http_reply_body_fn *body, void *arg)
{
	memset(r, 0, offsetof(struct http_reply, line));
	r->body = body;
	r->arg = arg;
	r->state = ST_STATUS;
}

const char *
http_reply_framing_name(enum http_reply_framing f)
{
	switch (f) {
	case HTTP_FRAME_NONE:
		return "none";
	case HTTP_FRAME_EMPTY:
		return "no body";
	case HTTP_FRAME_LENGTH:
		return "content-length";
	case HTTP_FRAME_CHUNKED:
		return "chunked";
	case HTTP_FRAME_CLOSE:
		return "until close";
	}
	return "?";
}

static int
parse_status(struct http_reply *r, const char *s, size_t len)
{
	char q[40];

	if (len < 12 || memcmp(s, "HTTP/1.", 7) != 0 ||
	    !isdigit((unsigned char)s[7]) || s[8] != ' ' ||
	    !isdigit((unsigned char)s[9]) || !isdigit((unsigned char)s[10]) ||
	    !isdigit((unsigned char)s[11]) || (len > 12 && s[12] != ' ')) {
		fail(r, "not an HTTP/1.x status line: \"%s\"",
		    quote(s, len, q, sizeof(q)));
		return -1;
	}
	r->version_minor = s[7] - '0';
	r->status = (s[9] - '0') * 100 + (s[10] - '0') * 10 + (s[11] - '0');
	if (r->status < 100 || r->status > 599) {
		fail(r, "status %d out of range", r->status);
		return -1;
	}
	return 0;
}

static int
is_tchar(int c)
{
	return isalnum(c) || (c != 0 && strchr("!#$%&'*+-.^_`|~", c) != NULL);
}

/* Does the comma-separated coding list end with "chunked"? */
static int
last_coding_chunked(const char *v, size_t len)
{
	const char *last = v;
	size_t i, n;

	for (i = 0; i < len; i++)
		if (v[i] == ',')
			last = v + i + 1;
	n = len - (size_t)(last - v);
	while (n > 0 && (*last == ' ' || *last == '\t')) {
		last++;
		n--;
	}
	while (n > 0 && (last[n - 1] == ' ' || last[n - 1] == '\t'))
		n--;
	return n == 7 && strncasecmp(last, "chunked", 7) == 0;
}

static int
parse_header(struct http_reply *r, const char *s, size_t len, size_t total)
{
	const char *colon, *v;
	size_t nlen, vlen, i;
	uint64_t cl = 0;
	char q[40];

	if (s[0] == ' ' || s[0] == '\t')
		return 0;		/* obsolete line folding: ignored */
	colon = memchr(s, ':', len);
	if (colon == NULL && len < total) {
		/* a name longer than what is kept: not one that matters */
		for (i = 0; i < len && is_tchar((unsigned char)s[i]); i++)
			;
		if (i == len)
			return 0;
	}
	if (colon == NULL || colon == s) {
		fail(r, "bad header line: \"%s\"", quote(s, len, q, sizeof(q)));
		return -1;
	}
	nlen = (size_t)(colon - s);
	for (i = 0; i < nlen; i++)
		if (!is_tchar((unsigned char)s[i])) {
			fail(r, "bad header name: \"%s\"",
			    quote(s, nlen, q, sizeof(q)));
			return -1;
		}
	v = colon + 1;
	vlen = len - nlen - 1;
	while (vlen > 0 && (*v == ' ' || *v == '\t')) {
		v++;
		vlen--;
	}
	while (vlen > 0 && (v[vlen - 1] == ' ' || v[vlen - 1] == '\t'))
		vlen--;

	if (len < total && ((nlen == 14 &&
	    strncasecmp(s, "Content-Length", 14) == 0) || (nlen == 17 &&
	    strncasecmp(s, "Transfer-Encoding", 17) == 0))) {
		fail(r, "%.*s header over %d bytes", (int)nlen, s,
		    HTTP_REPLY_LINE_KEEP);
		return -1;
	}
	if (nlen == 14 && strncasecmp(s, "Content-Length", 14) == 0) {
		if (vlen == 0 || vlen > 18)
			goto bad_cl;
		for (i = 0; i < vlen; i++) {
			if (!isdigit((unsigned char)v[i]))
				goto bad_cl;
			cl = cl * 10 + (uint64_t)(v[i] - '0');
		}
		if (r->saw_length && cl != r->content_length) {
			fail(r, "conflicting Content-Length headers");
			return -1;
		}
		r->saw_length = 1;
		r->content_length = cl;
	} else if (nlen == 17 &&
	    strncasecmp(s, "Transfer-Encoding", 17) == 0) {
		r->saw_chunked = last_coding_chunked(v, vlen) ? 1 : -1;
	}
	return 0;
bad_cl:
	fail(r, "bad Content-Length: \"%s\"", quote(v, vlen, q, sizeof(q)));
	return -1;
}

/* The empty line after the headers: choose the framing. */
static int
end_of_headers(struct http_reply *r)
{
	if (r->status >= 100 && r->status < 200) {
		if (r->status == 101) {
			fail(r, "unexpected 101 Switching Protocols");
			return -1;
		}
		/* an interim reply: the real one follows */
		r->status = 0;
		r->saw_length = r->saw_chunked = 0;
		r->content_length = 0;
		r->state = ST_STATUS;
		return 0;
	}
	r->headers_done = 1;
	if (r->status == 204 || r->status == 304) {
		r->framing = HTTP_FRAME_EMPTY;
		r->state = ST_DONE;
	} else if (r->saw_chunked == 1) {
		r->framing = HTTP_FRAME_CHUNKED;
		r->state = ST_CHUNK_SIZE;
	} else if (r->saw_chunked == 0 && r->saw_length) {
		r->framing = HTTP_FRAME_LENGTH;
		r->state = r->content_length == 0 ? ST_DONE : ST_BODY_LEN;
	} else {
		r->framing = HTTP_FRAME_CLOSE;
		r->state = ST_BODY_CLOSE;
	}
	if (r->framing != HTTP_FRAME_LENGTH)
		r->content_length = 0;
	return 0;
}

static int
parse_chunk_size(struct http_reply *r, const char *s, size_t len)
{
	uint64_t n = 0;
	size_t i;
	char q[40];

	for (i = 0; i < len && isxdigit((unsigned char)s[i]); i++) {
		if (i >= 15) {
			fail(r, "chunk size too large");
			return -1;
		}
		n = n * 16 + (uint64_t)(isdigit((unsigned char)s[i]) ?
		    s[i] - '0' : tolower((unsigned char)s[i]) - 'a' + 10);
	}
	if (i == 0 || (i < len && s[i] != ';' && s[i] != ' ' &&
	    s[i] != '\t')) {
		fail(r, "bad chunk size line: \"%s\"",
		    quote(s, len, q, sizeof(q)));
		return -1;
	}
	r->chunk_left = n;
	r->state = n == 0 ? ST_TRAILER : ST_CHUNK_DATA;
	return 0;
}

/* A whole line (without its line end) in the current state: its first
 * len bytes, of total. */
static int
handle_line(struct http_reply *r, const char *s, size_t len, size_t total)
{
	switch (r->state) {
	case ST_STATUS:
		if (total == 0)
			return 0;	/* empty lines before it are allowed */
		if (parse_status(r, s, len) == -1)
			return -1;
		r->state = ST_HEADER;
		return 0;
	case ST_HEADER:
	case ST_TRAILER:
		if (total == 0) {
			if (r->state == ST_TRAILER) {
				r->state = ST_DONE;
				return 0;
			}
			return end_of_headers(r);
		}
		if (++r->nheaders > HTTP_REPLY_HEADERS_MAX) {
			fail(r, "more than %d header lines",
			    HTTP_REPLY_HEADERS_MAX);
			return -1;
		}
		return r->state == ST_HEADER ? parse_header(r, s, len, total) :
		    0;
	case ST_CHUNK_SIZE:
		return parse_chunk_size(r, s, len);
	case ST_CHUNK_END:
		if (total != 0) {
			fail(r, "chunk data longer than its size");
			return -1;
		}
		r->state = ST_CHUNK_SIZE;
		return 0;
	}
	return 0;
}

static int
is_head_state(int st)
{
	return st == ST_STATUS || st == ST_HEADER || st == ST_TRAILER;
}

/* Garbage is refused as soon as it differs from "HTTP/1.", not at the
 * end of a line that may never come. */
static int
status_garbage(struct http_reply *r)
{
	size_t k = r->line_len < 7 ? r->line_len : 7;
	size_t stored = r->line_len < sizeof(r->line) ? r->line_len :
	    sizeof(r->line);
	char q[40];

	if (r->line_len == 1 && r->line[0] == '\r')
		return 0;
	if (memcmp(r->line, "HTTP/1.", k) == 0)
		return 0;
	fail(r, "not an HTTP/1.x status line: \"%s\"",
	    quote(r->line, stored, q, sizeof(q)));
	return 1;
}

/* Gather a line; returns bytes used, or -1. Only its first
 * HTTP_REPLY_LINE_KEEP bytes are kept: all a line's meaning is there (a
 * status, a header's name and a framing header's value, a chunk size). */
static long
take_line(struct http_reply *r, const unsigned char *p, size_t len)
{
	const unsigned char *nl = memchr(p, '\n', len);
	size_t n = nl != NULL ? (size_t)(nl - p) + 1 : len;
	size_t keep = nl != NULL ? n - 1 : n;
	size_t stored = r->line_len < sizeof(r->line) ? r->line_len :
	    sizeof(r->line);
	size_t room = sizeof(r->line) - stored, total;

	if (is_head_state(r->state)) {
		r->head_bytes += n;
		if (r->head_bytes > HTTP_REPLY_HEAD_MAX) {
			fail(r, "headers over %u bytes", HTTP_REPLY_HEAD_MAX);
			return -1;
		}
	}
	if (r->line_len + keep > HTTP_REPLY_LINE_MAX) {
		fail(r, "%s line over %d bytes", is_head_state(r->state) ?
		    "header" : "chunk size", HTTP_REPLY_LINE_MAX);
		return -1;
	}
	memcpy(r->line + stored, p, keep < room ? keep : room);
	r->line_len += keep;
	if (keep > 0)
		r->line_last = (char)p[keep - 1];
	if (r->state == ST_STATUS && status_garbage(r))
		return -1;
	if (nl == NULL)
		return (long)n;
	total = r->line_len;
	if (total > 0 && r->line_last == '\r')
		total--;
	stored = total < sizeof(r->line) ? total : sizeof(r->line);
	r->line_len = 0;
	r->line_last = 0;
	if (handle_line(r, r->line, stored, total) == -1)
		return -1;
	return (long)n;
}

static int
deliver(struct http_reply *r, const unsigned char *p, size_t n)
{
	r->body_bytes += n;
	if (r->body_max != 0 && r->body_bytes > r->body_max) {
		fail(r, "body over %llu bytes",
		    (unsigned long long)r->body_max);
		return -1;
	}
	if (r->body != NULL && n > 0)
		r->body(r->arg, p, n);
	return 0;
}

enum http_reply_result
http_reply_feed(struct http_reply *r, const void *data, size_t len)
{
	const unsigned char *p = data;
	size_t n;
	long used;

	while (len > 0) {
		switch (r->state) {
		case ST_DONE:
			return HTTP_REPLY_DONE;
		case ST_ERROR:
			return HTTP_REPLY_ERROR;
		case ST_BODY_CLOSE:
			if (deliver(r, p, len) == -1)
				return HTTP_REPLY_ERROR;
			return HTTP_REPLY_MORE;
		case ST_BODY_LEN:
		case ST_CHUNK_DATA:
			if (r->state == ST_BODY_LEN)
				n = r->content_length - r->body_bytes < len ?
				    (size_t)(r->content_length - r->body_bytes) :
				    len;
			else
				n = r->chunk_left < len ? (size_t)r->chunk_left :
				    len;
			if (deliver(r, p, n) == -1)
				return HTTP_REPLY_ERROR;
			p += n;
			len -= n;
			if (r->state == ST_BODY_LEN) {
				if (r->body_bytes == r->content_length)
					r->state = ST_DONE;
			} else if ((r->chunk_left -= n) == 0)
				r->state = ST_CHUNK_END;
			break;
		default:
			used = take_line(r, p, len);
			if (used == -1)
				return HTTP_REPLY_ERROR;
			p += used;
			len -= (size_t)used;
			break;
		}
	}
	if (r->state == ST_DONE)
		return HTTP_REPLY_DONE;
	return r->state == ST_ERROR ? HTTP_REPLY_ERROR : HTTP_REPLY_MORE;
}

enum http_reply_result
http_reply_eof(struct http_reply *r)
{
	switch (r->state) {
	case ST_DONE:
	case ST_BODY_CLOSE:
		r->state = ST_DONE;
		return HTTP_REPLY_DONE;
	case ST_ERROR:
		return HTTP_REPLY_ERROR;
	case ST_STATUS:
		if (r->head_bytes == 0)
			return fail(r, "connection closed without a reply");
		/* FALLTHROUGH */
	case ST_HEADER:
		return fail(r, "connection closed inside the headers");
	case ST_TRAILER:
		r->state = ST_DONE;
		return HTTP_REPLY_DONE;
	default:
		r->truncated = 1;
		r->state = ST_DONE;
		return HTTP_REPLY_DONE;
	}
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Incremental SMTP reply parser (RFC 5321 4.2): one reply is one or more
 * lines "NNN-text" ending with "NNN text" (or a bare "NNN"), every line
 * of it with the same code. Lines end in CRLF or a bare LF. A line longer
 * than SMTP_REPLY_LINE_MAX or a reply of more than SMTP_REPLY_LINES_MAX
 * lines is an error: nothing grows with what the server sends.
 *
 * Use:
 *	smtp_reply_init(&r);
 *	while (st = smtp_reply_feed(&r, buf, n, &used)) == SMTP_REPLY_MORE)
 *		read more;
 *	SMTP_REPLY_DONE: r.code; bytes past "used" belong to the next reply.
 *	SMTP_REPLY_ERROR: smtp_reply_error(&r) says why.
 */
#ifndef VIGIL_SMTP_REPLY_H
#define VIGIL_SMTP_REPLY_H

#include <stddef.h>

#define SMTP_REPLY_LINE_MAX	512	/* RFC 5321 4.5.3.1.5, CRLF included */
#define SMTP_REPLY_LINES_MAX	100
#define SMTP_REPLY_TEXT_MAX	64	/* kept of the first line, for logs */

enum smtp_reply_status {
	SMTP_REPLY_ERROR = -1,
	SMTP_REPLY_MORE = 0,
	SMTP_REPLY_DONE = 1,
};

struct smtp_reply {
	unsigned code;			/* the reply's code, 100..599 */
	unsigned nlines;		/* complete lines so far */
	size_t linelen;			/* bytes of the current line */
	int done;			/* 1 done, -1 error */
	char head[4];			/* the current line's first 4 bytes */
	char text[SMTP_REPLY_TEXT_MAX];	/* first line's text, printable */
	size_t textlen;
	const char *error;		/* static string */
};

void smtp_reply_init(struct smtp_reply *r);
/* Feed len bytes of buf. *used: how many were consumed (all of them
 * unless the reply completed before the end). */
enum smtp_reply_status smtp_reply_feed(struct smtp_reply *r,
    const char *buf, size_t len, size_t *used);
/* smtp_reply_feed() over a read-ahead buffer: what it consumed leaves
 * buf (the rest moves to its front, *len shrinks). */
enum smtp_reply_status smtp_reply_take(struct smtp_reply *r, char *buf,
    size_t *len);
/* Why the reply was refused ("" if it was not). */
const char *smtp_reply_error(const struct smtp_reply *r);

#endif

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Incremental SMTP reply parser: a byte at a time, no allocation, bounded
 * line length and count.
 */
#include "smtp_reply.h"

#include <string.h>

void
smtp_reply_init(struct smtp_reply *r)
{
	memset(r, 0, sizeof(*r));
	r->error = "";
}

static enum smtp_reply_status
fail(struct smtp_reply *r, const char *why)
{
	r->done = -1;
	r->error = why;
	return SMTP_REPLY_ERROR;
}

/* The head of a line ("NNN" and the separator) once 4 bytes are in, or
 * the line ended after 3. Returns 1 if it was the last line, 0 if more
 * follow, -1 on error. */
static int
line_head(struct smtp_reply *r, size_t n)
{
	unsigned code;
	int i;

	if (n < 3)
		return fail(r, "malformed reply line"), -1;
	for (i = 0; i < 3; i++)
		if (r->head[i] < '0' || r->head[i] > '9')
			return fail(r, "malformed reply line"), -1;
	code = (unsigned)(r->head[0] - '0') * 100 +
	    (unsigned)(r->head[1] - '0') * 10 + (unsigned)(r->head[2] - '0');
	if (code < 100 || code > 599)
		return fail(r, "reply code out of range"), -1;
	if (r->nlines == 0)
		r->code = code;
	else if (code != r->code)
		return fail(r, "reply code changes within a reply"), -1;
	if (n == 3 || r->head[3] == ' ')
		return 1;
	if (r->head[3] == '-')
		return 0;
	return fail(r, "malformed reply line"), -1;
}

/* Keep a printable copy of the first line's text for the logs. */
static void
keep_text(struct smtp_reply *r, char c)
{
	if (r->nlines != 0 || r->linelen < 4 || c == '\r' ||
	    r->textlen + 1 >= sizeof(r->text))
		return;
	r->text[r->textlen++] = c >= 0x20 && c < 0x7f ? c : '?';
	r->text[r->textlen] = '\0';
}

enum smtp_reply_status
smtp_reply_feed(struct smtp_reply *r, const char *buf, size_t len,
    size_t *used)
{
	size_t i;
	int last;

	*used = 0;
	if (r->done > 0)
		return SMTP_REPLY_DONE;
	if (r->done < 0)
		return SMTP_REPLY_ERROR;
	for (i = 0; i < len; i++) {
		char c = buf[i];

		if (c != '\n') {
			if (r->linelen < sizeof(r->head))
				r->head[r->linelen] = c;
			keep_text(r, c);
			if (++r->linelen >= SMTP_REPLY_LINE_MAX) {
				*used = i + 1;
				return fail(r, "reply line too long");
			}
			/* "NNNx" with x neither ' ' nor '-' fails early */
			if (r->linelen == 4 && r->head[3] != '\r' &&
			    line_head(r, 4) == -1) {
				*used = i + 1;
				return SMTP_REPLY_ERROR;
			}
			continue;
		}
		/* end of a line: a CR before the LF is not part of it */
		if (r->linelen > 0 && r->linelen <= sizeof(r->head) &&
		    r->head[r->linelen - 1] == '\r')
			r->linelen--;
		last = line_head(r, r->linelen < 4 ? r->linelen : 4);
		*used = i + 1;
		if (last == -1)
			return SMTP_REPLY_ERROR;
		r->nlines++;
		r->linelen = 0;
		if (last) {
			r->done = 1;
			return SMTP_REPLY_DONE;
		}
		if (r->nlines >= SMTP_REPLY_LINES_MAX)
			return fail(r, "too many reply lines");
	}
	*used = len;
	return SMTP_REPLY_MORE;
}

const char *
smtp_reply_error(const struct smtp_reply *r)
{
	return r->error != NULL ? r->error : "";
}

enum smtp_reply_status
smtp_reply_take(struct smtp_reply *r, char *buf, size_t *len)
{
	size_t used;
	enum smtp_reply_status st = smtp_reply_feed(r, buf, *len, &used);

	memmove(buf, buf + used, *len - used);
	*len -= used;
	return st;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libFuzzer target for the SMTP reply parser: the input is a server's
 * byte stream, cut into reads whose sizes come from its first byte. The
 * parser must consume within each read, stop at a reply's end, keep its
 * bounds and never read past what it was given (ASan).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "smtp_reply.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct smtp_reply r;
	size_t step, off = 1, used, replies = 0;
	enum smtp_reply_status st;

	if (size < 1)
		return 0;
	step = (size_t)data[0] % 64 + 1;
	smtp_reply_init(&r);
	while (off < size) {
		size_t n = size - off < step ? size - off : step;
		/* a copy of exactly n bytes: ASan sees any overread */
		char *chunk = malloc(n);

		if (chunk == NULL)
			return 0;
		memcpy(chunk, data + off, n);
		st = smtp_reply_feed(&r, chunk, n, &used);
		free(chunk);
		if (used > n)
			abort();
		if (r.linelen > SMTP_REPLY_LINE_MAX ||
		    r.nlines > SMTP_REPLY_LINES_MAX ||
		    strlen(r.text) >= SMTP_REPLY_TEXT_MAX)
			abort();
		if (st == SMTP_REPLY_ERROR) {
			if (smtp_reply_error(&r)[0] == '\0')
				abort();
			break;
		}
		if (st == SMTP_REPLY_DONE) {
			if (r.code < 100 || r.code > 599 || r.nlines == 0 ||
			    used == 0)
				abort();
			replies++;
			smtp_reply_init(&r);	/* the next reply */
		} else if (used != n) {
			abort();
		}
		off += used;
	}
	(void)replies;
	return 0;
}

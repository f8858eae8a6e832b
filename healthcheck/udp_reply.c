/* SPDX-License-Identifier: GPL-2.0-or-later */
/* UDP_CHECK reply judgement: length bounds and the masked byte match. */
#include "healthcheck/udp_reply.h"

#include <stdio.h>

int
udp_reply_match(const struct chk_checker_conf *ck, const unsigned char *buf,
    size_t len, char *why, size_t whylen)
{
	size_t i, n;

	if (len < ck->u.udp.min_reply_length ||
	    len > ck->u.udp.max_reply_length) {
		snprintf(why, whylen, "reply of %zu bytes, expected %u..%u",
		    len, ck->u.udp.min_reply_length,
		    ck->u.udp.max_reply_length);
		return 0;
	}
	if (ck->u.udp.reply == NULL)
		return 1;
	n = len < ck->u.udp.reply_len ? len : ck->u.udp.reply_len;
	for (i = 0; i < n; i++) {
		unsigned m = ck->u.udp.reply_mask != NULL ?
		    ck->u.udp.reply_mask[i] : 0xffu;

		if (((buf[i] ^ ck->u.udp.reply[i]) & m) != 0) {
			snprintf(why, whylen, "reply byte %zu is %02x, "
			    "expected %02x (mask %02x)", i, buf[i],
			    ck->u.udp.reply[i], m);
			return 0;
		}
	}
	return 1;
}

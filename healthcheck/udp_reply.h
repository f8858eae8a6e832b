/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * UDP_CHECK's judgement of a reply datagram, as keepalived makes it: its
 * length within min_reply_length..max_reply_length, and, when
 * require_reply names bytes, the reply matching them over the shorter of
 * the two, nibble by nibble where the mask is 0xf (X in the hex string
 * matches anything).
 */
#ifndef VIGIL_UDP_REPLY_H
#define VIGIL_UDP_REPLY_H

#include <stddef.h>

#include "healthcheck/config.h"

/* 1 if buf (len bytes) is a good reply for ck (a UDP_CHECK), else 0 with
 * why filled in ("reply of 3 bytes, expected 4..255"). */
int udp_reply_match(const struct chk_checker_conf *ck,
    const unsigned char *buf, size_t len, char *why, size_t whylen);

#endif

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * BFD control packets (RFC 5880 section 4.1): encode, decode and the
 * reception checks of section 6.8.6 that need no session. Pure: no
 * sockets, no clock; every malformed packet is refused with a reason
 * and counted by the caller, never read past its length.
 */
#ifndef VIGIL_BFD_PACKET_H
#define VIGIL_BFD_PACKET_H

#include <stddef.h>
#include <stdint.h>

#define BFD_VERSION 1
#define BFD_PKT_LEN 24		/* the mandatory section */
#define BFD_PORT_SINGLE 3784	/* RFC 5881 */
#define BFD_PORT_MULTI 4784	/* RFC 5883 */
#define BFD_SRC_PORT_MIN 49152
#define BFD_SRC_PORT_MAX 65535

enum bfd_state {
	BFD_ADMIN_DOWN = 0,
	BFD_DOWN = 1,
	BFD_INIT = 2,
	BFD_UP = 3,
};

enum bfd_diag {
	BFD_DIAG_NONE = 0,
	BFD_DIAG_EXPIRED = 1,
	BFD_DIAG_ECHO_FAILED = 2,
	BFD_DIAG_NBR_DOWN = 3,
	BFD_DIAG_FWD_RESET = 4,
	BFD_DIAG_PATH_DOWN = 5,
	BFD_DIAG_CAT_PATH_DOWN = 6,
	BFD_DIAG_ADMIN_DOWN = 7,
	BFD_DIAG_RCAT_PATH_DOWN = 8,
};

struct bfd_pkt {
	uint8_t version;
	uint8_t diag;		/* enum bfd_diag */
	uint8_t state;		/* enum bfd_state */
	unsigned poll : 1, final : 1, cpi : 1, auth : 1, demand : 1,
	    multipoint : 1;
	uint8_t detect_mult;
	uint8_t length;
	uint32_t my_discr;
	uint32_t your_discr;
	uint32_t min_tx;	/* usec */
	uint32_t min_rx;	/* usec */
	uint32_t min_echo_rx;	/* usec */
};

/* Why a packet was refused (bfd_pkt_decode); BFD_PKT_OK: accepted. */
enum bfd_pkt_err {
	BFD_PKT_OK = 0,
	BFD_PKT_SHORT,		/* fewer bytes than 24 or than its length */
	BFD_PKT_VERSION,	/* not version 1 */
	BFD_PKT_LENGTH,		/* length field below the minimum */
	BFD_PKT_MULT,		/* detect multiplier 0 */
	BFD_PKT_MULTIPOINT,	/* M bit set */
	BFD_PKT_DISCR,		/* my discriminator 0 */
	BFD_PKT_YOUR_DISCR,	/* your discriminator 0 outside Down and
				 * AdminDown */
	BFD_PKT_AUTH,		/* authentication section: not supported */
	BFD_PKT_ERR_MAX
};

/*
 * Decode and check buf (len bytes as received). Returns BFD_PKT_OK with
 * *p filled, or the reason it must be dropped.
 */
enum bfd_pkt_err bfd_pkt_decode(const void *buf, size_t len,
    struct bfd_pkt *p);
/* Encode p (its length field ignored: 24) into buf; returns 24. */
size_t bfd_pkt_encode(const struct bfd_pkt *p, uint8_t buf[BFD_PKT_LEN]);

const char *bfd_pkt_err_name(enum bfd_pkt_err e);
/* "AdminDown", "Down", "Init", "Up" (keepalived's and RFC 5880's) */
const char *bfd_state_name(unsigned s);
const char *bfd_diag_name(unsigned d);

#endif

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * VRRP packet codec: pure functions over buffers, no sockets, no state.
 * VRRPv2 (RFC 3768) and VRRPv3 (RFC 5798), IPv4 and IPv6; v2
 * authentication none, simple password and IPSEC-AH (HMAC-MD5-96 as
 * keepalived implements it).
 *
 * Receive: the socket layer hands vrrp_pkt_parse() what it read (IPv4:
 * the whole datagram, IP header included; IPv6: the VRRP payload, with the
 * hop limit and addresses from ancillary data). Parsing applies every
 * check that needs no instance (length, version, type, checksum, address
 * count against length); vrrp_pkt_check() applies the ones that need the
 * receiving instance (VRID demultiplexing is the socket layer's): TTL /
 * hop limit, authentication, advert interval (v2) and the address
 * list. Every drop has a reason, counted by the caller.
 *
 * Send: vrrp_pkt_build() writes a whole IPv4 datagram (IP header, AH when
 * configured, VRRP) for a socket with IP_HDRINCL, or the IPv6 VRRP payload
 * with its checksum (the kernel adds the IPv6 header).
 */
#ifndef VIGIL_VRRP_PACKET_H
#define VIGIL_VRRP_PACKET_H

#include <stddef.h>
#include <stdint.h>

#include "addr.h"

#define VRRP_PROTO 112
#define VRRP_TTL 255
#define VRRP_TYPE_ADVERT 1
#define VRRP_MAX_ADDRS 255
#define VRRP_PKT_MAX 2048		/* biggest datagram built or accepted */
#define VRRP_AUTH_DATA_LEN 8
#define VRRP_AH_LEN 24			/* AH header with HMAC-MD5-96 */

/* Why a received packet was dropped (one counter each). */
enum vrrp_drop {
	VRRP_OK = 0,
	VRRP_DROP_SHORT,		/* shorter than its headers */
	VRRP_DROP_IP,			/* bad IPv4 header (length, version) */
	VRRP_DROP_TTL,			/* TTL / hop limit not 255, or out
					 * of a unicast peer's range */
	VRRP_DROP_VERSION,		/* not 2 or 3, or not the instance's */
	VRRP_DROP_TYPE,			/* not an advertisement */
	VRRP_DROP_CHECKSUM,
	VRRP_DROP_COUNT,		/* address count against length */
	VRRP_DROP_VRID,			/* no instance has this VRID */
	VRRP_DROP_AUTH_TYPE,		/* auth type not the instance's */
	VRRP_DROP_INVALID_AUTH_TYPE,	/* v2: auth type none of 0, 1, 2
					 * (keepalived's invalid_authtype) */
	VRRP_DROP_AUTH,			/* wrong password / AH digest / seq */
	VRRP_DROP_INTERVAL,		/* v2: advert interval not ours */
	VRRP_DROP_ADDRS,		/* address list differs (only when
					 * the instance drops on it) */
	VRRP_DROP_SRC,			/* unicast source not a peer, our own */
	VRRP_DROP_MAX
};
/* "ttl", "checksum", ...: a short name for logs and counters. */
const char *vrrp_drop_name(enum vrrp_drop d);

enum vrrp_auth { VRRP_PKT_AUTH_NONE = 0, VRRP_PKT_AUTH_PASS = 1,
	VRRP_PKT_AUTH_AH = 2 };

/* Where a packet came from / goes to. */
struct vrrp_pkt_addrs {
	int family;			/* AF_INET, AF_INET6 */
	struct vg_addr src, dst;
	int ttl;			/* IPv6: hop limit from ancillary data */
};

/* A decoded advertisement. addrs points into the parsed buffer. */
struct vrrp_pkt {
	unsigned version;		/* 2 or 3 */
	unsigned type;
	unsigned vrid;
	unsigned priority;
	unsigned naddrs;
	unsigned adver_int;		/* centiseconds (v2: seconds x 100) */
	enum vrrp_auth auth_type;	/* v2 only */
	unsigned char auth_data[VRRP_AUTH_DATA_LEN];	/* v2 PASS */
	uint32_t ah_seq;		/* v2 AH: sequence number */
	struct vrrp_pkt_addrs ip;
	const unsigned char *addrs;	/* naddrs x 4 or 16 bytes */
	const unsigned char *vrrp;	/* the VRRP header in the buffer */
	size_t vrrp_len;
	const unsigned char *ah;	/* v2 AH header, NULL if none */
};

/*
 * Decode buf (see above). For IPv6, ip holds the addresses and the hop
 * limit the socket reported; for IPv4 they are read from the IP header
 * (ip may be NULL). out->ip.ttl: the IPv4 TTL, or the IPv6 hop limit
 * given in ip (< 0: unknown), checked by vrrp_pkt_check(). VRRPv2 is IPv4 only (RFC 3768): v2 over
 * IPv6 is dropped (version) and not built.
 * old_checksum: also accept a v3 IPv4 checksum computed over the
 * multicast group (224.0.0.18) instead of the unicast destination
 * (keepalived's old_unicast_checksum). Returns VRRP_OK or why it was
 * dropped.
 */
enum vrrp_drop vrrp_pkt_parse(const unsigned char *buf, size_t len,
    const struct vrrp_pkt_addrs *ip, int old_checksum, struct vrrp_pkt *out);

/* What the receiving instance expects. */
struct vrrp_pkt_expect {
	unsigned version;
	unsigned adver_int;		/* centiseconds; checked for v2 only */
	enum vrrp_auth auth_type;
	const unsigned char *auth_pass;	/* PASS: 8 bytes, NUL padded */
	const unsigned char *ah_key;	/* AH: the password as the key
					 * (keepalived: 8 bytes, NUL padded) */
	size_t ah_key_len;
	uint32_t *ah_last_seq;		/* AH: replay check; updated. The
					 * counter vrrp_pkt_ah_next_seq()
					 * numbers sent adverts from */
	const struct vg_addr *vips;	/* our addresses, in config order */
	unsigned nvips;
	int ttl_range;			/* 0: TTL / hop limit 255 only (RFC,
					 * multicast); 1: ttl_min..ttl_max
					 * (unicast, as keepalived) */
	int ttl_min, ttl_max;
};

/*
 * Instance checks on a parsed packet (a TTL / hop limit below 0 is not
 * checked: the socket did not report it). Sets *addrs_differ when the address
 * list differs from ours (RFC 3768 7.1 / RFC 5798 7.1: log, do not drop;
 * the caller decides). Returns VRRP_OK or the reason to drop.
 */
enum vrrp_drop vrrp_pkt_check(const struct vrrp_pkt *p,
    const struct vrrp_pkt_expect *e, int *addrs_differ);

/* What to send. */
struct vrrp_pkt_out {
	unsigned version;
	unsigned vrid;
	unsigned priority;		/* 0 on stop */
	unsigned adver_int;		/* centiseconds */
	struct vrrp_pkt_addrs ip;	/* src, dst; ttl 255 */
	const struct vg_addr *vips;
	unsigned nvips;
	enum vrrp_auth auth_type;
	const unsigned char *auth_pass;	/* PASS: 8 bytes */
	const unsigned char *ah_key;
	size_t ah_key_len;
	uint32_t ah_seq;		/* AH: the caller's counter */
	uint16_t ip_id;			/* IPv4 identification */
	int old_checksum;		/* v3 IPv4 unicast: keepalived's old */
	const struct vg_addr *mcast_group; /* for old_checksum */
};

/*
 * The sequence number of the next AH advert from counter, which holds the
 * highest number sent or accepted (vrrp_pkt_check() raises it), one
 * counter for both directions as keepalived keeps it: a router that
 * starts again from 0, or whose peer was master for a while, numbers its
 * adverts on from the peer's and they are not dropped as replays. Stops
 * at 0xfffffffe instead of wrapping (136 years of 1 s adverts).
 */
uint32_t vrrp_pkt_ah_next_seq(uint32_t *counter);

/*
 * Build into buf (len bytes); returns the length written, or 0 if it does
 * not fit or o is invalid (too many addresses, family mismatch).
 */
size_t vrrp_pkt_build(unsigned char *buf, size_t len,
    const struct vrrp_pkt_out *o);

/*
 * One line describing p for debug logs ("VRRPv3 vrid 42 prio 150 int 100cs
 * 10.0.0.1 > 224.0.0.18 ttl 255 addrs 1: 10.0.0.10"; never a password).
 * Always NUL-terminated, cut with "..." when len is short; returns the
 * length written.
 */
size_t vrrp_pkt_format(const struct vrrp_pkt *p, char *buf, size_t len);

/* The Internet checksum of buf, continuing from sum (0 to start). */
uint16_t vrrp_csum(const void *buf, size_t len, uint32_t sum);

#endif

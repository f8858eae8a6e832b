/* SPDX-License-Identifier: GPL-2.0-or-later */
/* IPv4/IPv6 address parsing and printing. */
#ifndef VIGIL_ADDR_H
#define VIGIL_ADDR_H

#include <netinet/in.h>
#include <stddef.h>

struct vg_addr {
	int family;		/* AF_INET or AF_INET6; 0 = unset */
	union {
		struct in_addr v4;
		struct in6_addr v6;
	} u;
};

#define ADDR_STRLEN 64		/* enough for an IPv6 address with /prefix */

/* "10.0.0.1" or "fe80::1" (a "%scope" suffix is rejected). 0 or -1. */
int addr_parse(const char *s, struct vg_addr *out);
/* The first len characters of s, as addr_parse(). 0 or -1. */
int addr_parse_len(const char *s, size_t len, struct vg_addr *out);
/* "10.0.0.1/24" or "10.0.0.1" (prefix = 32/128). 0 or -1. */
int addr_parse_prefix(const char *s, struct vg_addr *out, unsigned *prefix);
/* Port 0-65535 (decimal). 0 or -1. */
int addr_parse_port(const char *s, unsigned *port);
const char *addr_ntop(const struct vg_addr *a, char *buf, size_t len);
int addr_cmp(const struct vg_addr *a, const struct vg_addr *b);
int addr_is_unset(const struct vg_addr *a);
/* a mixed into the hash h (see htab_hash_bytes): equal under addr_cmp,
 * equal hashes. */
size_t addr_hash(size_t h, const struct vg_addr *a);

#endif

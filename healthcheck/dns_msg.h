/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DNS messages for DNS_CHECK (RFC 1035): build the one-question query and
 * judge a reply to it. Replies are untrusted: every length and pointer is
 * bounds checked, name compression is followed at most DNS_PTR_MAX times.
 */
#ifndef VIGIL_DNS_MSG_H
#define VIGIL_DNS_MSG_H

#include <stddef.h>
#include <stdint.h>

#define DNS_HDR_LEN	12
#define DNS_NAME_MAX	255	/* wire form, RFC 1035 3.1 */
#define DNS_QUERY_MAX	(DNS_HDR_LEN + DNS_NAME_MAX + 4)
#define DNS_REPLY_MAX	65535
#define DNS_PTR_MAX	32	/* compression pointers followed per name */

/* The types keepalived's DNS_CHECK accepts, by name; 0 if unknown. */
unsigned dns_type_from_name(const char *name);
/* "A", "SOA"...; "TYPEnnn" for others into buf. */
const char *dns_type_name(unsigned type, char *buf, size_t len);

/*
 * The query for name (dotted, "." or "" for the root; a trailing dot is
 * allowed) and type, class IN, recursion desired, with this id, into buf
 * (at least DNS_QUERY_MAX bytes). Returns its length, or -1 if the name
 * is not a valid domain name (empty label, label over 63, over 255).
 */
int dns_msg_query(uint8_t *buf, size_t len, uint16_t id, const char *name,
    unsigned type);

enum dns_verdict {
	DNS_V_OK,		/* no error code, an answer of the type */
	DNS_V_NOANSWER,		/* no error code, no answer of the type */
	DNS_V_RCODE,		/* an error code (info.rcode) */
	DNS_V_MALFORMED,	/* ours, but does not parse */
	DNS_V_NOTOURS,		/* short, not a response, other ID or
				 * question: not the reply to this query */
};

struct dns_reply_info {
	unsigned rcode;
	int truncated;		/* TC */
	unsigned ancount;
	unsigned answers;	/* answer records of the asked type */
	const char *why;	/* for NOTOURS / MALFORMED: what */
};

/* Judge reply (rlen bytes) as an answer to query (qlen bytes, as made by
 * dns_msg_query). */
enum dns_verdict dns_msg_check(const uint8_t *query, size_t qlen,
    const uint8_t *reply, size_t rlen, struct dns_reply_info *info);

#endif

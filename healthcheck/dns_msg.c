/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DNS query building and reply checking for DNS_CHECK. No allocation.
 */
#include "healthcheck/dns_msg.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#define DNS_F_QR	0x8000u
#define DNS_F_TC	0x0200u
#define DNS_F_RD	0x0100u
#define DNS_CLASS_IN	1

static const struct {
	unsigned type;
	const char *name;
} dns_types[] = {
	{ 1, "A" }, { 2, "NS" }, { 5, "CNAME" }, { 6, "SOA" }, { 15, "MX" },
	{ 16, "TXT" }, { 28, "AAAA" }, { 46, "RRSIG" }, { 48, "DNSKEY" },
};
#define NTYPES (sizeof(dns_types) / sizeof(dns_types[0]))

unsigned
dns_type_from_name(const char *name)
{
	size_t i;

	for (i = 0; i < NTYPES; i++)
		if (strcasecmp(name, dns_types[i].name) == 0)
			return dns_types[i].type;
	return 0;
}

const char *
dns_type_name(unsigned type, char *buf, size_t len)
{
	size_t i;

	for (i = 0; i < NTYPES; i++)
		if (dns_types[i].type == type)
			return dns_types[i].name;
	snprintf(buf, len, "TYPE%u", type);
	return buf;
}

static void
put16(uint8_t *p, unsigned v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static unsigned
get16(const uint8_t *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

int
dns_msg_query(uint8_t *buf, size_t len, uint16_t id, const char *name,
    unsigned type)
{
	size_t off = DNS_HDR_LEN, nlen = 0;
	const char *s = name, *e;

	if (len < DNS_QUERY_MAX || type > 0xffff)
		return -1;
	memset(buf, 0, DNS_HDR_LEN);
	put16(buf, id);
	put16(buf + 2, DNS_F_RD);
	put16(buf + 4, 1);
	if (strcmp(name, ".") == 0)
		s = "";
	while (*s != '\0') {
		size_t l;

		e = strchr(s, '.');
		l = e != NULL ? (size_t)(e - s) : strlen(s);
		if (l == 0 || l > 63)
			return -1;
		nlen += l + 1;
		if (nlen + 1 > DNS_NAME_MAX)
			return -1;
		buf[off++] = (uint8_t)l;
		memcpy(buf + off, s, l);
		off += l;
		if (e == NULL)
			break;
		s = e + 1;
	}
	buf[off++] = 0;
	put16(buf + off, type);
	put16(buf + off + 2, DNS_CLASS_IN);
	return (int)(off + 4);
}

/*
 * Read the name at *off in msg (mlen bytes) into out (wire form,
 * uncompressed, lower case; at most DNS_NAME_MAX bytes); *off moves past
 * it in the record. 0, or -1 if it is malformed: out of bounds, too long,
 * a reserved label type, or more than DNS_PTR_MAX pointers (loops).
 */
static int
read_name(const uint8_t *msg, size_t mlen, size_t *off, uint8_t *out,
    size_t *outlen)
{
	size_t p = *off, n = 0, end = 0;
	unsigned ptrs = 0;

	for (;;) {
		unsigned l;

		if (p >= mlen)
			return -1;
		l = msg[p];
		if ((l & 0xc0) == 0xc0) {
			if (p + 1 >= mlen || ++ptrs > DNS_PTR_MAX)
				return -1;
			if (end == 0)
				end = p + 2;
			p = (l & 0x3fu) << 8 | msg[p + 1];
			continue;
		}
		if ((l & 0xc0) != 0)
			return -1;
		if (p + 1 + l > mlen || n + 1 + l > DNS_NAME_MAX)
			return -1;
		out[n++] = (uint8_t)l;
		for (unsigned i = 0; i < l; i++) {
			uint8_t c = msg[p + 1 + i];

			out[n++] = c >= 'A' && c <= 'Z' ? (uint8_t)(c | 0x20) : c;
		}
		p += 1 + l;
		if (l == 0)
			break;
	}
	*off = end != 0 ? end : p;
	*outlen = n;
	return 0;
}

static enum dns_verdict
verdict(struct dns_reply_info *info, enum dns_verdict v, const char *why)
{
	info->why = why;
	return v;
}

enum dns_verdict
dns_msg_check(const uint8_t *query, size_t qlen, const uint8_t *reply,
    size_t rlen, struct dns_reply_info *info)
{
	uint8_t qname[DNS_NAME_MAX], rname[DNS_NAME_MAX];
	size_t qnlen, rnlen, off = DNS_HDR_LEN, qoff = DNS_HDR_LEN;
	unsigned flags, qd, qtype, i;

	memset(info, 0, sizeof(*info));
	info->why = "";
	if (rlen < DNS_HDR_LEN)
		return verdict(info, DNS_V_NOTOURS, "short message");
	if (qlen < DNS_HDR_LEN || get16(reply) != get16(query))
		return verdict(info, DNS_V_NOTOURS, "other ID");
	flags = get16(reply + 2);
	if (!(flags & DNS_F_QR))
		return verdict(info, DNS_V_NOTOURS, "not a response");
	info->rcode = flags & 0xfu;
	info->truncated = (flags & DNS_F_TC) != 0;
	qd = get16(reply + 4);
	info->ancount = get16(reply + 6);
	/* A server may leave the question out of an error reply. */
	if (qd == 0 && info->rcode != 0)
		return verdict(info, DNS_V_RCODE, "");
	if (qd != 1)
		return verdict(info, DNS_V_NOTOURS, "other question");
	if (read_name(query, qlen, &qoff, qname, &qnlen) == -1 ||
	    qoff + 4 > qlen)
		return verdict(info, DNS_V_MALFORMED, "bad query");
	qtype = get16(query + qoff);
	if (read_name(reply, rlen, &off, rname, &rnlen) == -1 ||
	    off + 4 > rlen) {
		/* a truncated reply may stop anywhere */
		return verdict(info, info->rcode != 0 ? DNS_V_RCODE :
		    DNS_V_MALFORMED, "malformed question");
	}
	if (rnlen != qnlen || memcmp(rname, qname, qnlen) != 0 ||
	    get16(reply + off) != qtype ||
	    get16(reply + off + 2) != get16(query + qoff + 2))
		return verdict(info, DNS_V_NOTOURS, "other question");
	off += 4;
	if (info->rcode != 0)
		return verdict(info, DNS_V_RCODE, "");
	for (i = 0; i < info->ancount; i++) {
		unsigned rtype, rdlen;

		if (read_name(reply, rlen, &off, rname, &rnlen) == -1 ||
		    off + 10 > rlen)
			break;
		rtype = get16(reply + off);
		rdlen = get16(reply + off + 8);
		off += 10;
		if (off + rdlen > rlen)
			break;
		off += rdlen;
		if (rtype == qtype)
			info->answers++;
	}
	if (i < info->ancount && !info->truncated)
		return verdict(info, DNS_V_MALFORMED, "malformed answer");
	if (info->answers == 0)
		return verdict(info, DNS_V_NOANSWER, "no answer of the type");
	return verdict(info, DNS_V_OK, "");
}

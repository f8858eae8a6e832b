/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * VRRP packet codec: VRRPv2 (RFC 3768) and VRRPv3 (RFC 5798) over IPv4
 * and IPv6. Receive checks follow RFC 3768 7.1 / RFC 5798 7.1; v2
 * IPSEC-AH is HMAC-MD5-96 as keepalived lays it out (see ah_icv()).
 *
 * Wire layouts (all big-endian):
 *   VRRP:  ver<<4|type, vrid, priority, count,
 *          v2: auth type, adver int (s) | v3: rsvd:4 adver int:12 (cs),
 *          checksum, count x address, v2 IPv4: 8 bytes auth data.
 *   AH:    next header (112), payload len (4), reserved, SPI (= the IPv4
 *          source), sequence number, 12 bytes ICV.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include "md5.h"
#include "vrrp/packet.h"

#define IP4_HLEN	20
#define VRRP_HLEN	8
#define AH_ICV_OFF	12
#define AH_ICV_LEN	12
#define AH_PLEN		4	/* AH length in 32-bit words, minus 2 */
#define ETH_MIN_PAYLOAD	46	/* a shorter IPv4 datagram gets padded */
#define VRRP_GROUP4	0xe0000012u	/* 224.0.0.18 */

static const char *const drop_names[VRRP_DROP_MAX] = {
	[VRRP_OK] = "ok",
	[VRRP_DROP_SHORT] = "short",
	[VRRP_DROP_IP] = "ip",
	[VRRP_DROP_TTL] = "ttl",
	[VRRP_DROP_VERSION] = "version",
	[VRRP_DROP_TYPE] = "type",
	[VRRP_DROP_CHECKSUM] = "checksum",
	[VRRP_DROP_COUNT] = "count",
	[VRRP_DROP_VRID] = "vrid",
	[VRRP_DROP_AUTH_TYPE] = "auth_type",
	[VRRP_DROP_INVALID_AUTH_TYPE] = "invalid_auth_type",
	[VRRP_DROP_AUTH] = "auth",
	[VRRP_DROP_INTERVAL] = "interval",
	[VRRP_DROP_ADDRS] = "addrs",
	[VRRP_DROP_SRC] = "src",
};

const char *
vrrp_drop_name(enum vrrp_drop d)
{
	if ((unsigned)d >= VRRP_DROP_MAX)
		return "unknown";
	return drop_names[d];
}

static unsigned
get16(const unsigned char *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

static uint32_t
get32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

static void
put16(unsigned char *p, unsigned v)
{
	p[0] = (unsigned char)(v >> 8);
	p[1] = (unsigned char)v;
}

static void
put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

/* The ones' complement sum of buf as big-endian 16-bit words, added to
 * sum, not folded nor complemented. */
static uint32_t
csum_add(const unsigned char *p, size_t len, uint32_t sum)
{
	for (; len > 1; p += 2, len -= 2) {
		sum += (uint32_t)p[0] << 8 | p[1];
		if (sum & 0x80000000u)
			sum = (sum & 0xffff) + (sum >> 16);
	}
	if (len > 0)
		sum += (uint32_t)p[0] << 8;
	return sum;
}

/* The checksum (host order; write it big-endian). A buffer holding a
 * correct checksum sums to 0. */
uint16_t
vrrp_csum(const void *buf, size_t len, uint32_t sum)
{
	sum = csum_add(buf, len, sum);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* RFC 5798 5.2.8: the IPv4 and IPv6 pseudo-headers. */
static uint32_t
phdr4(const struct in_addr *src, const struct in_addr *dst, size_t len)
{
	unsigned char ph[12];

	memcpy(ph, src, 4);
	memcpy(ph + 4, dst, 4);
	ph[8] = 0;
	ph[9] = VRRP_PROTO;
	put16(ph + 10, (unsigned)len);
	return csum_add(ph, sizeof(ph), 0);
}

static uint32_t
phdr6(const struct in6_addr *src, const struct in6_addr *dst, size_t len)
{
	unsigned char ph[40];

	memcpy(ph, src, 16);
	memcpy(ph + 16, dst, 16);
	put32(ph + 32, (uint32_t)len);
	ph[36] = ph[37] = ph[38] = 0;
	ph[39] = VRRP_PROTO;
	return csum_add(ph, sizeof(ph), 0);
}

static int
is_mcast4(const struct in_addr *a)
{
	return (ntohl(a->s_addr) & 0xf0000000u) == 0xe0000000u;
}

/* Equal in constant time (passwords, digests). */
static int
ct_equal(const unsigned char *a, const unsigned char *b, size_t n)
{
	unsigned char d = 0;
	size_t i;

	for (i = 0; i < n; i++)
		d |= a[i] ^ b[i];
	return d == 0;
}

/*
 * keepalived's ICV: HMAC-MD5 over the IPv4 header with the mutable
 * fields zeroed (TOS, fragment field, header checksum; and TTL when the
 * packet is unicast, which a router may decrement), then the AH header
 * with its ICV zeroed, then the VRRP message; truncated to 96 bits.
 * iph: the 20-byte IPv4 header, AH right after it.
 */
static void
ah_icv(const unsigned char *iph, const unsigned char *vrrp, size_t vrrp_len,
    const unsigned char *key, size_t keylen, unsigned char icv[MD5_DIGEST_LEN])
{
	unsigned char hdr[IP4_HLEN + VRRP_AH_LEN];
	struct in_addr dst;
	const void *parts[2] = { hdr, vrrp };
	size_t lens[2] = { sizeof(hdr), vrrp_len };

	memcpy(hdr, iph, sizeof(hdr));
	memcpy(&dst, iph + 16, 4);
	hdr[1] = 0;
	hdr[6] = hdr[7] = 0;
	hdr[10] = hdr[11] = 0;
	if (!is_mcast4(&dst))
		hdr[8] = 0;
	memset(hdr + IP4_HLEN + AH_ICV_OFF, 0, AH_ICV_LEN);
	hmac_md5(key, keylen, parts, lens, 2, icv);
}

/* The VRRP message: version, type, count against length, checksum. */
static enum vrrp_drop
parse_vrrp(const unsigned char *v, size_t n, int old_checksum,
    struct vrrp_pkt *out)
{
	int v4 = out->ip.family == AF_INET;
	unsigned version, count;
	size_t want;
	uint32_t sum;

	if (n < VRRP_HLEN)
		return VRRP_DROP_SHORT;
	version = v[0] >> 4;
	if (version != 2 && version != 3)
		return VRRP_DROP_VERSION;
	if (version == 2 && !v4)
		return VRRP_DROP_VERSION;	/* RFC 3768 is IPv4 only */
	if ((v[0] & 0x0f) != VRRP_TYPE_ADVERT)
		return VRRP_DROP_TYPE;
	count = v[3];
	want = VRRP_HLEN + (size_t)count * (v4 ? 4 : 16) +
	    (version == 2 ? VRRP_AUTH_DATA_LEN : 0);
	if (n != want)
		return VRRP_DROP_COUNT;

	if (version == 2) {
		sum = 0;			/* RFC 3768 5.3.8 */
	} else if (v4) {
		sum = phdr4(&out->ip.src.u.v4, &out->ip.dst.u.v4, n);
	} else {
		sum = phdr6(&out->ip.src.u.v6, &out->ip.dst.u.v6, n);
	}
	if (vrrp_csum(v, n, sum) != 0) {
		struct in_addr group = { htonl(VRRP_GROUP4) };

		if (!(old_checksum && v4 && version == 3))
			return VRRP_DROP_CHECKSUM;
		sum = phdr4(&out->ip.src.u.v4, &group, n);
		if (vrrp_csum(v, n, sum) != 0)
			return VRRP_DROP_CHECKSUM;
	}

	out->version = version;
	out->type = v[0] & 0x0f;
	out->vrid = v[1];
	out->priority = v[2];
	out->naddrs = count;
	out->addrs = v + VRRP_HLEN;
	out->vrrp = v;
	out->vrrp_len = n;
	if (version == 2) {
		out->auth_type = (enum vrrp_auth)v[4];
		out->adver_int = v[5] * 100u;
		memcpy(out->auth_data, v + n - VRRP_AUTH_DATA_LEN,
		    VRRP_AUTH_DATA_LEN);
	} else {
		out->auth_type = VRRP_PKT_AUTH_NONE;
		out->adver_int = get16(v + 4) & 0x0fff;
	}
	return VRRP_OK;
}

static enum vrrp_drop
parse4(const unsigned char *buf, size_t len, const struct vrrp_pkt_addrs *ip,
    int old_checksum, struct vrrp_pkt *out)
{
	size_t ihl, tot, off;

	if (len < IP4_HLEN)
		return VRRP_DROP_SHORT;
	if (buf[0] >> 4 != 4)
		return VRRP_DROP_IP;
	ihl = (size_t)(buf[0] & 0x0f) * 4;
	if (ihl < IP4_HLEN)
		return VRRP_DROP_IP;
	if (len < ihl)
		return VRRP_DROP_SHORT;
	tot = get16(buf + 2);
	if (tot < ihl || tot > len)
		return VRRP_DROP_IP;
	/* Longer than it says only by Ethernet padding of a short frame. */
	if (tot < len && len > ETH_MIN_PAYLOAD)
		return VRRP_DROP_IP;
	if (get16(buf + 6) & 0x3fff)
		return VRRP_DROP_IP;		/* a fragment */

	out->ip.family = AF_INET;
	out->ip.src.family = out->ip.dst.family = AF_INET;
	memcpy(&out->ip.src.u.v4, buf + 12, 4);
	memcpy(&out->ip.dst.u.v4, buf + 16, 4);
	out->ip.ttl = buf[8];

	off = ihl;
	if (buf[9] == IPPROTO_AH) {
		/* keepalived sends no IP options; the ICV assumes none */
		if (ihl != IP4_HLEN)
			return VRRP_DROP_IP;
		if (tot < off + VRRP_AH_LEN)
			return VRRP_DROP_SHORT;
		if (buf[off] != VRRP_PROTO || buf[off + 1] != AH_PLEN)
			return VRRP_DROP_IP;
		out->ah = buf + off;
		out->ah_seq = get32(buf + off + 8);
		off += VRRP_AH_LEN;
	} else if (buf[9] != VRRP_PROTO) {
		return VRRP_DROP_IP;
	}
	return parse_vrrp(buf + off, tot - off, old_checksum, out);
}

enum vrrp_drop
vrrp_pkt_parse(const unsigned char *buf, size_t len,
    const struct vrrp_pkt_addrs *ip, int old_checksum, struct vrrp_pkt *out)
{
	enum vrrp_drop r;

	memset(out, 0, sizeof(*out));
	if (ip == NULL || ip->family != AF_INET6) {
		r = parse4(buf, len, ip, old_checksum, out);
	} else {
		if (ip->src.family != AF_INET6 || ip->dst.family != AF_INET6)
			return VRRP_DROP_IP;
		out->ip = *ip;
		r = parse_vrrp(buf, len, old_checksum, out);
	}
	if (r != VRRP_OK) {
		struct vrrp_pkt_addrs keep = out->ip;

		memset(out, 0, sizeof(*out));
		out->ip = keep;		/* who sent it, for the log */
	}
	return r;
}

static int
has_addr(const unsigned char *list, unsigned n, size_t alen,
    const struct vg_addr *a)
{
	const void *want = a->family == AF_INET ? (const void *)&a->u.v4 :
	    (const void *)&a->u.v6;
	unsigned i;

	for (i = 0; i < n; i++)
		if (memcmp(list + i * alen, want, alen) == 0)
			return 1;
	return 0;
}

/* The same set of addresses (order aside), as keepalived compares. */
static int
addrs_equal(const struct vrrp_pkt *p, const struct vg_addr *vips,
    unsigned nvips)
{
	int family = p->ip.family;
	size_t alen = family == AF_INET ? 4 : 16;
	unsigned i, j;

	if (vips == NULL)
		nvips = 0;
	if (p->naddrs != nvips)
		return 0;
	for (i = 0; i < nvips; i++)
		if (vips[i].family != family ||
		    !has_addr(p->addrs, p->naddrs, alen, &vips[i]))
			return 0;
	for (i = 0; i < p->naddrs; i++) {
		for (j = 0; j < nvips; j++)
			if (memcmp(p->addrs + i * alen, family == AF_INET ?
			    (const void *)&vips[j].u.v4 :
			    (const void *)&vips[j].u.v6, alen) == 0)
				break;
		if (j == nvips)
			return 0;
	}
	return 1;
}

/* IPSEC-AH as keepalived checks it: the ICV, the SPI (the sender's
 * address), then the sequence number against replay. */
static enum vrrp_drop
check_ah(const struct vrrp_pkt *p, const struct vrrp_pkt_expect *e)
{
	const unsigned char *iph = p->ah - IP4_HLEN;
	unsigned char icv[MD5_DIGEST_LEN];

	if (e->ah_key == NULL && e->ah_key_len > 0)
		return VRRP_DROP_AUTH;
	ah_icv(iph, p->vrrp, p->vrrp_len, e->ah_key, e->ah_key_len, icv);
	if (!ct_equal(icv, p->ah + AH_ICV_OFF, AH_ICV_LEN))
		return VRRP_DROP_AUTH;
	if (memcmp(p->ah + 4, iph + 12, 4) != 0)
		return VRRP_DROP_AUTH;
	if (e->ah_last_seq != NULL) {
		if (p->ah_seq <= *e->ah_last_seq)
			return VRRP_DROP_AUTH;
		*e->ah_last_seq = p->ah_seq;
	}
	return VRRP_OK;
}

uint32_t
vrrp_pkt_ah_next_seq(uint32_t *counter)
{
	if (*counter < 0xfffffffeu)
		(*counter)++;
	return *counter;
}

enum vrrp_drop
vrrp_pkt_check(const struct vrrp_pkt *p, const struct vrrp_pkt_expect *e,
    int *addrs_differ)
{
	enum vrrp_drop r;

	if (addrs_differ != NULL)
		*addrs_differ = 0;
	if (p->vrrp == NULL)
		return VRRP_DROP_SHORT;		/* not a parsed packet */
	/* keepalived: 255 unless unicast; a unicast peer's range when the
	 * instance checks unicast sources; no hop limit reported: no check */
	if (p->ip.ttl >= 0 && (e->ttl_range ?
	    p->ip.ttl < e->ttl_min || p->ip.ttl > e->ttl_max :
	    p->ip.ttl != VRRP_TTL))
		return VRRP_DROP_TTL;
	if (p->version != e->version)
		return VRRP_DROP_VERSION;
	if (p->version == 2) {
		/* RFC 3768 7.1: the auth type, then the authentication;
		 * as keepalived, an AH header present or missing against
		 * ours is a mismatch before a type no VRRPv2 router uses
		 * is invalid */
		if ((p->ah != NULL) != (e->auth_type == VRRP_PKT_AUTH_AH))
			return VRRP_DROP_AUTH_TYPE;
		if ((unsigned)p->auth_type > VRRP_PKT_AUTH_AH)
			return VRRP_DROP_INVALID_AUTH_TYPE;
		if (p->auth_type != e->auth_type)
			return VRRP_DROP_AUTH_TYPE;
		if (e->auth_type == VRRP_PKT_AUTH_PASS &&
		    (e->auth_pass == NULL || !ct_equal(p->auth_data,
		    e->auth_pass, VRRP_AUTH_DATA_LEN)))
			return VRRP_DROP_AUTH;
		if (e->auth_type == VRRP_PKT_AUTH_AH &&
		    (r = check_ah(p, e)) != VRRP_OK)
			return r;
		if (p->adver_int != e->adver_int)
			return VRRP_DROP_INTERVAL;
	} else if (p->ah != NULL || e->auth_type != VRRP_PKT_AUTH_NONE) {
		return VRRP_DROP_AUTH_TYPE;	/* v3 has no authentication */
	}
	if (addrs_differ != NULL && !addrs_equal(p, e->vips, e->nvips))
		*addrs_differ = 1;
	return VRRP_OK;
}

static int
out_valid(const struct vrrp_pkt_out *o)
{
	int fam = o->ip.family;
	unsigned i;

	if (fam != AF_INET && fam != AF_INET6)
		return 0;
	if (o->ip.src.family != fam || o->ip.dst.family != fam)
		return 0;
	if (o->version == 2) {
		if (fam != AF_INET || o->adver_int % 100 != 0 ||
		    o->adver_int == 0 || o->adver_int > 255 * 100)
			return 0;
	} else if (o->version == 3) {
		if (o->adver_int == 0 || o->adver_int > 0x0fff)
			return 0;
	} else {
		return 0;
	}
	if (o->vrid < 1 || o->vrid > 255 || o->priority > 255)
		return 0;
	if (o->nvips > VRRP_MAX_ADDRS || (o->nvips > 0 && o->vips == NULL))
		return 0;
	for (i = 0; i < o->nvips; i++)
		if (o->vips[i].family != fam)
			return 0;
	switch (o->auth_type) {
	case VRRP_PKT_AUTH_NONE:
		return 1;
	case VRRP_PKT_AUTH_PASS:
		return o->version == 2 && o->auth_pass != NULL;
	case VRRP_PKT_AUTH_AH:
		return o->version == 2 &&
		    (o->ah_key != NULL || o->ah_key_len == 0);
	}
	return 0;
}

/* The VRRP message at v (vlen bytes, zeroed), checksum included. */
static void
build_vrrp(unsigned char *v, size_t vlen, const struct vrrp_pkt_out *o)
{
	int v4 = o->ip.family == AF_INET;
	size_t alen = v4 ? 4 : 16;
	unsigned i;
	uint32_t sum = 0;

	v[0] = (unsigned char)(o->version << 4 | VRRP_TYPE_ADVERT);
	v[1] = (unsigned char)o->vrid;
	v[2] = (unsigned char)o->priority;
	v[3] = (unsigned char)o->nvips;
	if (o->version == 2) {
		v[4] = (unsigned char)o->auth_type;
		v[5] = (unsigned char)(o->adver_int / 100);
	} else {
		put16(v + 4, o->adver_int & 0x0fff);
	}
	for (i = 0; i < o->nvips; i++)
		memcpy(v + VRRP_HLEN + i * alen, v4 ?
		    (const void *)&o->vips[i].u.v4 :
		    (const void *)&o->vips[i].u.v6, alen);
	if (o->auth_type == VRRP_PKT_AUTH_PASS)
		memcpy(v + vlen - VRRP_AUTH_DATA_LEN, o->auth_pass,
		    VRRP_AUTH_DATA_LEN);

	if (o->version == 3 && v4) {
		struct in_addr group = { htonl(VRRP_GROUP4) };
		const struct in_addr *dst = &o->ip.dst.u.v4;

		if (o->old_checksum)
			dst = o->mcast_group != NULL &&
			    o->mcast_group->family == AF_INET ?
			    &o->mcast_group->u.v4 : &group;
		sum = phdr4(&o->ip.src.u.v4, dst, vlen);
	} else if (!v4) {
		sum = phdr6(&o->ip.src.u.v6, &o->ip.dst.u.v6, vlen);
	}
	put16(v + 6, vrrp_csum(v, vlen, sum));
}

size_t
vrrp_pkt_build(unsigned char *buf, size_t len, const struct vrrp_pkt_out *o)
{
	int v4, ah;
	size_t hlen, vlen, total;
	unsigned char *v;

	if (buf == NULL || o == NULL || !out_valid(o))
		return 0;
	v4 = o->ip.family == AF_INET;
	ah = o->auth_type == VRRP_PKT_AUTH_AH;
	hlen = v4 ? IP4_HLEN + (ah ? VRRP_AH_LEN : 0) : 0;
	vlen = VRRP_HLEN + (size_t)o->nvips * (v4 ? 4 : 16) +
	    (o->version == 2 ? VRRP_AUTH_DATA_LEN : 0);
	total = hlen + vlen;
	if (total > len || total > VRRP_PKT_MAX)
		return 0;
	memset(buf, 0, total);
	v = buf + hlen;
	build_vrrp(v, vlen, o);
	if (!v4)
		return total;

	buf[0] = 0x45;
	buf[1] = 0xc0;			/* internetwork control */
	put16(buf + 2, (unsigned)total);
	/* With IP_HDRINCL the kernel replaces an ID of 0, which would
	 * break the AH digest; 0 goes out as 1. */
	put16(buf + 4, o->ip_id != 0 ? o->ip_id : 1);
	buf[8] = (unsigned char)(o->ip.ttl > 0 && o->ip.ttl <= 255 ?
	    o->ip.ttl : VRRP_TTL);
	buf[9] = ah ? IPPROTO_AH : VRRP_PROTO;
	memcpy(buf + 12, &o->ip.src.u.v4, 4);
	memcpy(buf + 16, &o->ip.dst.u.v4, 4);
	if (ah) {
		unsigned char *a = buf + IP4_HLEN, icv[MD5_DIGEST_LEN];

		a[0] = VRRP_PROTO;
		a[1] = AH_PLEN;
		memcpy(a + 4, &o->ip.src.u.v4, 4);	/* SPI */
		put32(a + 8, o->ah_seq);
		ah_icv(buf, v, vlen, o->ah_key, o->ah_key_len, icv);
		memcpy(a + AH_ICV_OFF, icv, AH_ICV_LEN);
	}
	put16(buf + 10, vrrp_csum(buf, IP4_HLEN, 0));
	return total;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libFuzzer target for the VRRP packet codec. The first input byte picks
 * the mode (bit 0: fix the VRRP checksum and the AH ICV first, so that
 * the deeper checks run; bit 1: accept keepalived's old unicast checksum;
 * bit 2: the caller does not check the TTL); the rest is parsed as an
 * IPv4 datagram and as an IPv6 payload, checked against fixed instances
 * (v2 none, password, AH; v3), and what parses is rebuilt and parsed
 * again. Nothing a peer sends may crash, read out of bounds or be
 * misread.
 */
#include <arpa/inet.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "md5.h"
#include "vrrp/packet.h"

static const unsigned char pass8[8] = "secret1";
static const unsigned char key8[8] = "ahkey42";

static void
put16(unsigned char *p, unsigned v)
{
	p[0] = (unsigned char)(v >> 8);
	p[1] = (unsigned char)v;
}

static uint32_t
sum_words(const unsigned char *p, size_t n)
{
	uint32_t s = 0;

	for (; n > 1; p += 2, n -= 2)
		s += (uint32_t)p[0] << 8 | p[1];
	if (n)
		s += (uint32_t)p[0] << 8;
	return s;
}

/* Make the checksum (and an AH ICV) right for whatever the bytes say. */
static void
fix4(unsigned char *b, size_t n)
{
	size_t ihl, tot, off;
	unsigned char ph[12];

	if (n < 20)
		return;
	ihl = (size_t)(b[0] & 15) * 4;
	tot = (size_t)b[2] << 8 | b[3];
	if (ihl < 20 || tot > n || tot < ihl)
		return;
	off = ihl;
	if (b[9] == 51)
		off += VRRP_AH_LEN;
	if (tot < off + 8)
		return;
	b[off + 6] = b[off + 7] = 0;
	if (b[off] >> 4 == 3) {
		memcpy(ph, b + 12, 8);
		ph[8] = 0;
		ph[9] = VRRP_PROTO;
		put16(ph + 10, (unsigned)(tot - off));
		put16(b + off + 6, vrrp_csum(b + off, tot - off,
		    sum_words(ph, 12)));
	} else {
		put16(b + off + 6, vrrp_csum(b + off, tot - off, 0));
	}
	if (b[9] == 51 && ihl == 20) {
		unsigned char h[44], d[MD5_DIGEST_LEN];
		const void *parts[2] = { h, b + off };
		size_t lens[2] = { 44, tot - off };

		memcpy(h, b, 44);
		h[1] = h[6] = h[7] = h[10] = h[11] = 0;
		if ((h[16] & 0xf0) != 0xe0)
			h[8] = 0;
		memset(h + 32, 0, 12);
		hmac_md5(key8, 8, parts, lens, 2, d);
		memcpy(b + 32, d, 12);
	}
}

static void
fix6(unsigned char *b, size_t n, const struct vrrp_pkt_addrs *ip)
{
	unsigned char ph[40];

	if (n < 8)
		return;
	memcpy(ph, &ip->src.u.v6, 16);
	memcpy(ph + 16, &ip->dst.u.v6, 16);
	memset(ph + 32, 0, 8);
	put16(ph + 34, (unsigned)n);
	ph[39] = VRRP_PROTO;
	b[6] = b[7] = 0;
	put16(b + 6, vrrp_csum(b, n, sum_words(ph, 40)));
}

static void
check_all(const struct vrrp_pkt *p)
{
	static struct vg_addr vips[2];
	struct vrrp_pkt_expect e;
	uint32_t last = 0;
	unsigned i;
	int differ;

	vips[0].family = vips[1].family = p->ip.family;
	for (i = 0; i < 4; i++) {
		memset(&e, 0, sizeof(e));
		e.version = i < 3 ? 2 : 3;
		e.adver_int = 100;
		e.auth_type = i < 3 ? (enum vrrp_auth)i : VRRP_PKT_AUTH_NONE;
		e.auth_pass = pass8;
		e.ah_key = key8;
		e.ah_key_len = 8;
		e.ah_last_seq = &last;
		e.vips = vips;
		e.nvips = 2;
		differ = -1;
		if (vrrp_pkt_check(p, &e, &differ) >= VRRP_DROP_MAX)
			abort();
		if (differ != 0 && differ != 1)
			abort();
	}
}

/* Rebuilt from what was read, it reads back the same. */
static void
rebuild(const struct vrrp_pkt *p, const unsigned char *orig)
{
	static unsigned char out[VRRP_PKT_MAX];
	struct vg_addr vips[VRRP_MAX_ADDRS];
	size_t alen = p->ip.family == AF_INET ? 4 : 16, len;
	struct vrrp_pkt_out o;
	struct vrrp_pkt q;
	struct vrrp_pkt_addrs ip = p->ip;
	unsigned i;

	memset(&o, 0, sizeof(o));
	o.version = p->version;
	o.vrid = p->vrid;
	o.priority = p->priority;
	o.adver_int = p->adver_int;
	o.ip = p->ip;
	o.ip.ttl = 255;
	for (i = 0; i < p->naddrs; i++) {
		memset(&vips[i], 0, sizeof(vips[i]));
		vips[i].family = p->ip.family;
		memcpy(&vips[i].u, p->addrs + i * alen, alen);
	}
	o.vips = vips;
	o.nvips = p->naddrs;
	o.auth_type = p->auth_type;
	o.auth_pass = p->auth_data;
	o.ah_key = key8;
	o.ah_key_len = 8;
	o.ah_seq = p->ah_seq;
	o.ip_id = 7;
	len = vrrp_pkt_build(out, sizeof(out), &o);
	if (len == 0)
		return;		/* vrid 0, interval 0, an unknown auth type */
	ip.ttl = 255;
	if (vrrp_pkt_parse(out, len, &ip, 0, &q) != VRRP_OK)
		abort();
	if (q.version != p->version || q.vrid != p->vrid ||
	    q.priority != p->priority || q.naddrs != p->naddrs ||
	    q.adver_int != p->adver_int || q.auth_type != p->auth_type ||
	    q.vrrp_len != p->vrrp_len ||
	    memcmp(q.addrs, p->addrs, p->naddrs * alen) != 0)
		abort();
	if (p->auth_type == VRRP_PKT_AUTH_PASS &&
	    memcmp(q.auth_data, p->auth_data, 8) != 0)
		abort();
	(void)orig;
}

/* The log line fits whatever buffer it is given, NUL-terminated. */
static void
fmt(const struct vrrp_pkt *p)
{
	static char line[16384], small[40];
	size_t n;

	n = vrrp_pkt_format(p, line, sizeof(line));
	if (n >= sizeof(line) || line[n] != '\0' || strlen(line) != n)
		abort();
	memset(small, 'x', sizeof(small));
	n = vrrp_pkt_format(p, small, 20);
	if (n >= 20 || small[n] != '\0' || small[20] != 'x')
		abort();
}

static void
run(const unsigned char *b, size_t n, const struct vrrp_pkt_addrs *ip,
    int old)
{
	struct vrrp_pkt p;
	enum vrrp_drop r = vrrp_pkt_parse(b, n, ip, old, &p);
	size_t alen;

	if (r >= VRRP_DROP_MAX || vrrp_drop_name(r) == NULL)
		abort();
	if (r != VRRP_OK)
		return;
	alen = p.ip.family == AF_INET ? 4 : 16;
	if (p.vrrp < b || p.vrrp + p.vrrp_len > b + n ||
	    p.addrs + (size_t)p.naddrs * alen > p.vrrp + p.vrrp_len ||
	    (p.version != 2 && p.version != 3) || p.type != VRRP_TYPE_ADVERT)
		abort();
	if (p.ah != NULL && (p.ah < b || p.ah + VRRP_AH_LEN > p.vrrp))
		abort();
	check_all(&p);
	rebuild(&p, b);
	fmt(&p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static unsigned char buf[VRRP_PKT_MAX + 64];
	struct vrrp_pkt_addrs ip4, ip6;
	unsigned mode;
	size_t n;

	if (size < 1 || size - 1 > sizeof(buf))
		return 0;
	mode = data[0];
	n = size - 1;

	memset(&ip4, 0, sizeof(ip4));
	ip4.family = AF_INET;
	ip4.ttl = (mode & 4) ? -1 : 0;
	memcpy(buf, data + 1, n);
	if (mode & 1)
		fix4(buf, n);
	run(buf, n, &ip4, mode & 2);

	memset(&ip6, 0, sizeof(ip6));
	ip6.family = AF_INET6;
	ip6.src.family = ip6.dst.family = AF_INET6;
	inet_pton(AF_INET6, "fe80::1", &ip6.src.u.v6);
	inet_pton(AF_INET6, "ff02::12", &ip6.dst.u.v6);
	ip6.ttl = (mode & 4) ? -1 : 255;
	memcpy(buf, data + 1, n);
	if (mode & 1)
		fix6(buf, n, &ip6);
	run(buf, n, &ip6, mode & 2);
	return 0;
}

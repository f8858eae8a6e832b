/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What the VRRP packet tests share: a sender and a receiver configured
 * alike, and ways to change a packet on purpose. */
#ifndef VIGIL_TEST_VRRP_PKT_TEST_H
#define VIGIL_TEST_VRRP_PKT_TEST_H

#include <arpa/inet.h>
#include <check.h>
#include <string.h>
#include <sys/socket.h>

#include "addr.h"
#include "vrrp/packet.h"

static inline struct vg_addr
A(const char *s)
{
	struct vg_addr a;

	ck_assert_int_eq(addr_parse(s, &a), 0);
	return a;
}

static const unsigned char pass8[8] = "secret1";	/* NUL padded */
static const unsigned char key8[8] = "ahkey42";

static struct vg_addr vips4[3], vips6[2];

static inline void
setup(void)
{
	vips4[0] = A("10.0.0.10");
	vips4[1] = A("10.0.0.11");
	vips4[2] = A("192.168.7.1");
	vips6[0] = A("fd00::10");
	vips6[1] = A("2001:db8::1");
}

/* An advert as an instance would send it. */
static inline struct vrrp_pkt_out
out_for(unsigned version, int family, enum vrrp_auth auth)
{
	struct vrrp_pkt_out o;

	memset(&o, 0, sizeof(o));
	o.version = version;
	o.vrid = 42;
	o.priority = 150;
	o.adver_int = 100;
	o.ip.family = family;
	o.ip.ttl = 255;
	if (family == AF_INET) {
		o.ip.src = A("10.0.0.1");
		o.ip.dst = A("224.0.0.18");
		o.vips = vips4;
		o.nvips = 3;
	} else {
		o.ip.src = A("fe80::1");
		o.ip.dst = A("ff02::12");
		o.vips = vips6;
		o.nvips = 2;
	}
	o.auth_type = auth;
	o.auth_pass = pass8;
	o.ah_key = key8;
	o.ah_key_len = sizeof(key8);
	o.ah_seq = 7;
	o.ip_id = 0x1234;
	return o;
}

/* What the receiving instance (configured like the sender) expects. */
static inline struct vrrp_pkt_expect
expect_for(const struct vrrp_pkt_out *o, uint32_t *last_seq)
{
	struct vrrp_pkt_expect e;

	memset(&e, 0, sizeof(e));
	e.version = o->version;
	e.adver_int = o->adver_int;
	e.auth_type = o->auth_type;
	e.auth_pass = pass8;
	e.ah_key = key8;
	e.ah_key_len = sizeof(key8);
	e.ah_last_seq = last_seq;
	e.vips = o->vips;
	e.nvips = o->nvips;
	return e;
}

/* The receive side's view of where an IPv6 packet came from. */
static inline struct vrrp_pkt_addrs
rx6(const struct vrrp_pkt_out *o, int hlim)
{
	struct vrrp_pkt_addrs ip = o->ip;

	ip.ttl = hlim;
	return ip;
}

static inline enum vrrp_drop
parse(const unsigned char *buf, size_t len, const struct vrrp_pkt_out *o,
    struct vrrp_pkt *p)
{
	struct vrrp_pkt_addrs ip;

	if (o->ip.family == AF_INET)
		return vrrp_pkt_parse(buf, len, NULL, 0, p);
	ip = rx6(o, 255);
	return vrrp_pkt_parse(buf, len, &ip, 0, p);
}

/* Offset of the VRRP message in a built packet. */
static inline size_t
vrrp_off(const struct vrrp_pkt_out *o)
{
	if (o->ip.family != AF_INET)
		return 0;
	return 20 + (o->auth_type == VRRP_PKT_AUTH_AH ? VRRP_AH_LEN : 0);
}

/* Recompute the VRRP checksum after a field was changed on purpose, so
 * that the packet is dropped for the change, not the checksum. */
static inline void
refix(unsigned char *buf, size_t len, const struct vrrp_pkt_out *o)
{
	size_t off = vrrp_off(o), n = len - off;
	unsigned char *v = buf + off;
	unsigned char ph[40];
	uint32_t sum = 0;
	uint16_t c;
	unsigned i;

	v[6] = v[7] = 0;
	if (o->ip.family == AF_INET6) {
		memcpy(ph, &o->ip.src.u.v6, 16);
		memcpy(ph + 16, &o->ip.dst.u.v6, 16);
		memset(ph + 32, 0, 8);
		ph[34] = (unsigned char)(n >> 8);
		ph[35] = (unsigned char)n;
		ph[39] = VRRP_PROTO;
		for (i = 0; i < 40; i += 2)
			sum += (uint32_t)ph[i] << 8 | ph[i + 1];
	} else if (o->version == 3) {
		memcpy(ph, buf + 12, 8);
		ph[8] = 0;
		ph[9] = VRRP_PROTO;
		ph[10] = (unsigned char)(n >> 8);
		ph[11] = (unsigned char)n;
		for (i = 0; i < 12; i += 2)
			sum += (uint32_t)ph[i] << 8 | ph[i + 1];
	}
	c = vrrp_csum(v, n, sum);
	v[6] = (unsigned char)(c >> 8);
	v[7] = (unsigned char)c;
}

static inline void
set_tot_len(unsigned char *buf, size_t len)
{
	buf[2] = (unsigned char)(len >> 8);
	buf[3] = (unsigned char)len;
}

static const struct {
	unsigned version;
	int family;
	enum vrrp_auth auth;
} combos[] = {
	{ 2, AF_INET, VRRP_PKT_AUTH_NONE },
	{ 2, AF_INET, VRRP_PKT_AUTH_PASS },
	{ 2, AF_INET, VRRP_PKT_AUTH_AH },
	{ 3, AF_INET, VRRP_PKT_AUTH_NONE },
	{ 3, AF_INET6, VRRP_PKT_AUTH_NONE },
};

static inline size_t
mk(unsigned version, int family, enum vrrp_auth auth, unsigned char *buf,
    struct vrrp_pkt_out *o)
{
	size_t len;

	*o = out_for(version, family, auth);
	len = vrrp_pkt_build(buf, VRRP_PKT_MAX, o);
	ck_assert_uint_gt(len, 0);
	return len;
}

static inline void
ka_expect(struct vrrp_pkt_expect *e, unsigned version, unsigned adver_int,
    struct vg_addr *vips, unsigned nvips)
{
	memset(e, 0, sizeof(*e));
	e->version = version;
	e->adver_int = adver_int;
	e->vips = vips;
	e->nvips = nvips;
}

#endif

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vrrp/packet: build -> parse -> check round trips (v2/v3, IPv4/IPv6,
 * authentication none, password, AH), every malformed packet dropped for
 * the right reason, and adverts keepalived and FRR sent (vrrp_interop.h).
 */
#include <arpa/inet.h>
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "check_run.h"
#include "md5.h"
#include "vrrp/packet.h"
#include "vrrp_interop.h"

static struct vg_addr
A(const char *s)
{
	struct vg_addr a;

	ck_assert_int_eq(addr_parse(s, &a), 0);
	return a;
}

static const unsigned char pass8[8] = "secret1";	/* NUL padded */
static const unsigned char key8[8] = "ahkey42";

static struct vg_addr vips4[3], vips6[2];

static void
setup(void)
{
	vips4[0] = A("10.0.0.10");
	vips4[1] = A("10.0.0.11");
	vips4[2] = A("192.168.7.1");
	vips6[0] = A("fd00::10");
	vips6[1] = A("2001:db8::1");
}

/* An advert as an instance would send it. */
static struct vrrp_pkt_out
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
static struct vrrp_pkt_expect
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
static struct vrrp_pkt_addrs
rx6(const struct vrrp_pkt_out *o, int hlim)
{
	struct vrrp_pkt_addrs ip = o->ip;

	ip.ttl = hlim;
	return ip;
}

static enum vrrp_drop
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
static size_t
vrrp_off(const struct vrrp_pkt_out *o)
{
	if (o->ip.family != AF_INET)
		return 0;
	return 20 + (o->auth_type == VRRP_PKT_AUTH_AH ? VRRP_AH_LEN : 0);
}

/* Recompute the VRRP checksum after a field was changed on purpose, so
 * that the packet is dropped for the change, not the checksum. */
static void
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

static void
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

/* What was sent is what is read, and the instance accepts it. */
START_TEST(round_trip)
{
	struct vrrp_pkt_out o = out_for(combos[_i].version, combos[_i].family,
	    combos[_i].auth);
	unsigned char buf[VRRP_PKT_MAX];
	struct vrrp_pkt p;
	struct vrrp_pkt_expect e;
	uint32_t last = 0;
	size_t len, alen = o.ip.family == AF_INET ? 4 : 16;
	int differ = -1;
	unsigned i;

	len = vrrp_pkt_build(buf, sizeof(buf), &o);
	ck_assert_uint_gt(len, 0);
	ck_assert_uint_eq(len, vrrp_off(&o) + 8 + o.nvips * alen +
	    (o.version == 2 ? 8 : 0));
	ck_assert_int_eq(parse(buf, len, &o, &p), VRRP_OK);
	ck_assert_uint_eq(p.version, o.version);
	ck_assert_uint_eq(p.type, VRRP_TYPE_ADVERT);
	ck_assert_uint_eq(p.vrid, 42);
	ck_assert_uint_eq(p.priority, 150);
	ck_assert_uint_eq(p.adver_int, 100);
	ck_assert_uint_eq(p.naddrs, o.nvips);
	ck_assert_int_eq(p.ip.family, o.ip.family);
	ck_assert_int_eq(addr_cmp(&p.ip.src, &o.ip.src), 0);
	ck_assert_int_eq(addr_cmp(&p.ip.dst, &o.ip.dst), 0);
	ck_assert_int_eq(p.ip.ttl, 255);
	ck_assert_int_eq(p.auth_type, o.auth_type);
	for (i = 0; i < o.nvips; i++)
		ck_assert_mem_eq(p.addrs + i * alen, o.ip.family == AF_INET ?
		    (const void *)&vips4[i].u.v4 : (const void *)&vips6[i].u.v6,
		    alen);
	ck_assert_ptr_eq(p.vrrp, buf + vrrp_off(&o));
	ck_assert_uint_eq(p.vrrp_len, len - vrrp_off(&o));
	if (o.auth_type == VRRP_PKT_AUTH_PASS)
		ck_assert_mem_eq(p.auth_data, pass8, 8);
	if (o.auth_type == VRRP_PKT_AUTH_AH) {
		ck_assert_ptr_eq(p.ah, buf + 20);
		ck_assert_uint_eq(p.ah_seq, 7);
	} else {
		ck_assert_ptr_null(p.ah);
	}
	if (o.ip.family == AF_INET) {
		/* the IPv4 header: checksum, length, TTL, protocol, ID */
		ck_assert_uint_eq(vrrp_csum(buf, 20, 0), 0);
		ck_assert_uint_eq((unsigned)buf[2] << 8 | buf[3], len);
		ck_assert_uint_eq(buf[8], 255);
		ck_assert_uint_eq(buf[9], o.auth_type == VRRP_PKT_AUTH_AH ?
		    IPPROTO_AH : VRRP_PROTO);
		ck_assert_uint_eq((unsigned)buf[4] << 8 | buf[5], 0x1234);
	}

	e = expect_for(&o, &last);
	ck_assert_int_eq(vrrp_pkt_check(&p, &e, &differ), VRRP_OK);
	ck_assert_int_eq(differ, 0);
	if (o.auth_type == VRRP_PKT_AUTH_AH)
		ck_assert_uint_eq(last, 7);
}
END_TEST

/* What the RFCs do not define is not built: v2 over IPv6, authentication
 * with v3, too many addresses, mixed families, no room. */
START_TEST(build_refuses)
{
	unsigned char buf[VRRP_PKT_MAX];
	struct vg_addr many[256];
	struct vrrp_pkt_out o;
	unsigned i;

	o = out_for(2, AF_INET6, VRRP_PKT_AUTH_NONE);
	ck_assert_uint_eq(vrrp_pkt_build(buf, sizeof(buf), &o), 0);
	o = out_for(3, AF_INET, VRRP_PKT_AUTH_PASS);
	ck_assert_uint_eq(vrrp_pkt_build(buf, sizeof(buf), &o), 0);
	o = out_for(3, AF_INET, VRRP_PKT_AUTH_AH);
	ck_assert_uint_eq(vrrp_pkt_build(buf, sizeof(buf), &o), 0);
	o = out_for(4, AF_INET, VRRP_PKT_AUTH_NONE);
	ck_assert_uint_eq(vrrp_pkt_build(buf, sizeof(buf), &o), 0);

	for (i = 0; i < 256; i++)
		many[i] = vips4[0];
	o = out_for(3, AF_INET, VRRP_PKT_AUTH_NONE);
	o.vips = many;
	o.nvips = 256;
	ck_assert_uint_eq(vrrp_pkt_build(buf, sizeof(buf), &o), 0);
	o.nvips = 255;			/* the most there is room to count */
	ck_assert_uint_eq(vrrp_pkt_build(buf, sizeof(buf), &o), 20 + 8 + 1020);

	o = out_for(3, AF_INET, VRRP_PKT_AUTH_NONE);
	o.vips = vips6;			/* IPv6 VIPs in an IPv4 advert */
	ck_assert_uint_eq(vrrp_pkt_build(buf, sizeof(buf), &o), 0);
	o = out_for(3, AF_INET, VRRP_PKT_AUTH_NONE);
	o.ip.dst = A("ff02::12");
	ck_assert_uint_eq(vrrp_pkt_build(buf, sizeof(buf), &o), 0);

	o = out_for(2, AF_INET, VRRP_PKT_AUTH_NONE);
	o.adver_int = 150;		/* v2 counts whole seconds */
	ck_assert_uint_eq(vrrp_pkt_build(buf, sizeof(buf), &o), 0);
	o = out_for(3, AF_INET, VRRP_PKT_AUTH_NONE);
	o.adver_int = 4096;		/* 12 bits of centiseconds */
	ck_assert_uint_eq(vrrp_pkt_build(buf, sizeof(buf), &o), 0);
	o.adver_int = 4095;
	ck_assert_uint_gt(vrrp_pkt_build(buf, sizeof(buf), &o), 0);
	o.vrid = 0;
	ck_assert_uint_eq(vrrp_pkt_build(buf, sizeof(buf), &o), 0);

	o = out_for(3, AF_INET, VRRP_PKT_AUTH_NONE);
	ck_assert_uint_eq(vrrp_pkt_build(buf, 20 + 8 + 11, &o), 0);
	ck_assert_uint_eq(vrrp_pkt_build(buf, 20 + 8 + 12, &o), 20 + 8 + 12);
}
END_TEST

/* A priority-0 advert (the master stepping down) and one with no VIPs
 * round-trip too; v3 carries 12 bits of interval. */
START_TEST(edges_round_trip)
{
	unsigned char buf[VRRP_PKT_MAX];
	struct vrrp_pkt_out o = out_for(3, AF_INET6, VRRP_PKT_AUTH_NONE);
	struct vrrp_pkt p;

	o.priority = 0;
	o.nvips = 0;
	o.adver_int = 4095;
	ck_assert_uint_eq(vrrp_pkt_build(buf, sizeof(buf), &o), 8);
	ck_assert_int_eq(parse(buf, 8, &o, &p), VRRP_OK);
	ck_assert_uint_eq(p.priority, 0);
	ck_assert_uint_eq(p.naddrs, 0);
	ck_assert_uint_eq(p.adver_int, 4095);

	o = out_for(2, AF_INET, VRRP_PKT_AUTH_NONE);
	o.adver_int = 25500;
	o.ip_id = 0;			/* the kernel would overwrite a 0 */
	ck_assert_uint_gt(vrrp_pkt_build(buf, sizeof(buf), &o), 0);
	ck_assert_uint_eq((unsigned)buf[4] << 8 | buf[5], 1);
	ck_assert_int_eq(vrrp_pkt_parse(buf, 20 + 8 + 12 + 8, NULL, 0, &p),
	    VRRP_OK);
	ck_assert_uint_eq(p.adver_int, 25500);
}
END_TEST

static size_t
mk(unsigned version, int family, enum vrrp_auth auth, unsigned char *buf,
    struct vrrp_pkt_out *o)
{
	size_t len;

	*o = out_for(version, family, auth);
	len = vrrp_pkt_build(buf, VRRP_PKT_MAX, o);
	ck_assert_uint_gt(len, 0);
	return len;
}

START_TEST(drop_short)
{
	unsigned char buf[VRRP_PKT_MAX];
	struct vrrp_pkt_out o;
	struct vrrp_pkt p;
	struct vrrp_pkt_addrs ip;
	size_t len = mk(2, AF_INET, VRRP_PKT_AUTH_NONE, buf, &o), n;

	for (n = 0; n < 20; n++)
		ck_assert_int_eq(vrrp_pkt_parse(buf, n, NULL, 0, &p),
		    VRRP_DROP_SHORT);
	/* an IP header and no VRRP header, consistently */
	set_tot_len(buf, 24);
	ck_assert_int_eq(vrrp_pkt_parse(buf, 24, NULL, 0, &p), VRRP_DROP_SHORT);
	/* an IP header that says it is longer than what arrived */
	buf[0] = 0x4f;
	ck_assert_int_eq(vrrp_pkt_parse(buf, 40, NULL, 0, &p), VRRP_DROP_SHORT);
	(void)len;

	/* IPv6: the payload under a VRRP header */
	len = mk(3, AF_INET6, VRRP_PKT_AUTH_NONE, buf, &o);
	ip = rx6(&o, 255);
	for (n = 0; n < 8; n++)
		ck_assert_int_eq(vrrp_pkt_parse(buf, n, &ip, 0, &p),
		    VRRP_DROP_SHORT);
	(void)len;

	/* AH cut short */
	len = mk(2, AF_INET, VRRP_PKT_AUTH_AH, buf, &o);
	set_tot_len(buf, 40);
	ck_assert_int_eq(vrrp_pkt_parse(buf, 40, NULL, 0, &p), VRRP_DROP_SHORT);
}
END_TEST

START_TEST(drop_ip_header)
{
	unsigned char buf[VRRP_PKT_MAX], save[VRRP_PKT_MAX];
	struct vrrp_pkt_out o;
	struct vrrp_pkt p;
	size_t len = mk(2, AF_INET, VRRP_PKT_AUTH_NONE, buf, &o);

	memcpy(save, buf, len);
	set_tot_len(buf, len + 4);		/* more than arrived */
	ck_assert_int_eq(vrrp_pkt_parse(buf, len, NULL, 0, &p), VRRP_DROP_IP);
	set_tot_len(buf, len - 4);		/* less, and no padding */
	ck_assert_int_eq(vrrp_pkt_parse(buf, len, NULL, 0, &p), VRRP_DROP_IP);
	set_tot_len(buf, 12);			/* less than its header */
	ck_assert_int_eq(vrrp_pkt_parse(buf, len, NULL, 0, &p), VRRP_DROP_IP);

	memcpy(buf, save, len);
	buf[0] = 0x65;				/* IP version 6 */
	ck_assert_int_eq(vrrp_pkt_parse(buf, len, NULL, 0, &p), VRRP_DROP_IP);
	buf[0] = 0x44;				/* IHL 16 bytes */
	ck_assert_int_eq(vrrp_pkt_parse(buf, len, NULL, 0, &p), VRRP_DROP_IP);

	memcpy(buf, save, len);
	buf[9] = 17;				/* UDP */
	ck_assert_int_eq(vrrp_pkt_parse(buf, len, NULL, 0, &p), VRRP_DROP_IP);

	memcpy(buf, save, len);
	buf[6] = 0x20;				/* more fragments */
	ck_assert_int_eq(vrrp_pkt_parse(buf, len, NULL, 0, &p), VRRP_DROP_IP);

	/* IP options are skipped */
	memcpy(buf, save, 20);
	memset(buf + 20, 1, 4);			/* four NOPs */
	memcpy(buf + 24, save + 20, len - 20);
	buf[0] = 0x46;
	set_tot_len(buf, len + 4);
	ck_assert_int_eq(vrrp_pkt_parse(buf, len + 4, NULL, 0, &p), VRRP_OK);
	ck_assert_ptr_eq(p.vrrp, buf + 24);
}
END_TEST

/* A short frame padded to Ethernet's minimum still parses; only that. */
START_TEST(ethernet_padding)
{
	unsigned char buf[VRRP_PKT_MAX];
	struct vrrp_pkt_out o = out_for(3, AF_INET, VRRP_PKT_AUTH_NONE);
	struct vrrp_pkt p;
	size_t len;

	o.nvips = 1;
	len = vrrp_pkt_build(buf, sizeof(buf), &o);
	ck_assert_uint_eq(len, 32);
	memset(buf + len, 0, 20);
	ck_assert_int_eq(vrrp_pkt_parse(buf, 46, NULL, 0, &p), VRRP_OK);
	ck_assert_uint_eq(p.vrrp_len, 12);
	ck_assert_int_eq(vrrp_pkt_parse(buf, 47, NULL, 0, &p), VRRP_DROP_IP);
}
END_TEST

START_TEST(drop_ttl)
{
	unsigned char buf[VRRP_PKT_MAX];
	struct vrrp_pkt_out o;
	struct vrrp_pkt p;
	struct vrrp_pkt_addrs ip;
	size_t len = mk(3, AF_INET, VRRP_PKT_AUTH_NONE, buf, &o);

	buf[8] = 254;			/* a router forwarded it */
	ck_assert_int_eq(vrrp_pkt_parse(buf, len, NULL, 0, &p), VRRP_DROP_TTL);
	ck_assert_int_eq(p.ip.ttl, 254);	/* kept for the log */
	buf[8] = 1;
	ck_assert_int_eq(vrrp_pkt_parse(buf, len, NULL, 0, &p), VRRP_DROP_TTL);
	/* a caller that does not check it (unicast peers, as keepalived) */
	memset(&ip, 0, sizeof(ip));
	ip.family = AF_INET;
	ip.ttl = -1;
	ck_assert_int_eq(vrrp_pkt_parse(buf, len, &ip, 0, &p), VRRP_OK);

	len = mk(3, AF_INET6, VRRP_PKT_AUTH_NONE, buf, &o);
	ip = rx6(&o, 64);
	ck_assert_int_eq(vrrp_pkt_parse(buf, len, &ip, 0, &p), VRRP_DROP_TTL);
	ip = rx6(&o, -1);
	ck_assert_int_eq(vrrp_pkt_parse(buf, len, &ip, 0, &p), VRRP_OK);
}
END_TEST

START_TEST(drop_version_type)
{
	static const unsigned char bad_versions[] = { 0, 1, 4, 15 };
	unsigned char buf[VRRP_PKT_MAX];
	struct vrrp_pkt_out o;
	struct vrrp_pkt p;
	size_t len, off;
	unsigned f, i;

	for (f = 0; f < 2; f++) {
		int family = f ? AF_INET6 : AF_INET;

		for (i = 0; i < sizeof(bad_versions); i++) {
			len = mk(3, family, VRRP_PKT_AUTH_NONE, buf, &o);
			off = vrrp_off(&o);
			buf[off] = (unsigned char)(bad_versions[i] << 4 | 1);
			refix(buf, len, &o);
			ck_assert_int_eq(parse(buf, len, &o, &p),
			    VRRP_DROP_VERSION);
		}
		len = mk(3, family, VRRP_PKT_AUTH_NONE, buf, &o);
		off = vrrp_off(&o);
		buf[off] = 3 << 4 | 2;		/* type 2: not an advert */
		refix(buf, len, &o);
		ck_assert_int_eq(parse(buf, len, &o, &p), VRRP_DROP_TYPE);
		buf[off] = 3 << 4 | 0;
		refix(buf, len, &o);
		ck_assert_int_eq(parse(buf, len, &o, &p), VRRP_DROP_TYPE);
	}

	/* version 2 over IPv6 (RFC 3768 is IPv4 only) */
	len = mk(3, AF_INET6, VRRP_PKT_AUTH_NONE, buf, &o);
	buf[0] = 2 << 4 | 1;
	refix(buf, len, &o);
	ck_assert_int_eq(parse(buf, len, &o, &p), VRRP_DROP_VERSION);
}
END_TEST

START_TEST(drop_checksum)
{
	unsigned char buf[VRRP_PKT_MAX];
	struct vrrp_pkt_out o;
	struct vrrp_pkt p;
	struct vrrp_pkt_addrs ip;
	size_t len;
	unsigned i;

	for (i = 0; i < sizeof(combos) / sizeof(combos[0]); i++) {
		len = mk(combos[i].version, combos[i].family, combos[i].auth,
		    buf, &o);
		buf[len - 1] ^= 0x40;	/* a flipped bit in the last field */
		ck_assert_int_eq(parse(buf, len, &o, &p), VRRP_DROP_CHECKSUM);
		buf[len - 1] ^= 0x40;
		buf[vrrp_off(&o) + 2] ^= 1;	/* the priority */
		ck_assert_int_eq(parse(buf, len, &o, &p), VRRP_DROP_CHECKSUM);
	}

	/* v3 covers the pseudo-header: another source or destination */
	len = mk(3, AF_INET, VRRP_PKT_AUTH_NONE, buf, &o);
	buf[15] ^= 1;
	buf[10] = buf[11] = 0;		/* (the IP checksum is not ours) */
	ck_assert_int_eq(parse(buf, len, &o, &p), VRRP_DROP_CHECKSUM);
	len = mk(3, AF_INET6, VRRP_PKT_AUTH_NONE, buf, &o);
	ip = rx6(&o, 255);
	ip.dst = A("ff02::1");
	ck_assert_int_eq(vrrp_pkt_parse(buf, len, &ip, 0, &p),
	    VRRP_DROP_CHECKSUM);
	ip = rx6(&o, 255);
	ip.src = A("fe80::2");
	ck_assert_int_eq(vrrp_pkt_parse(buf, len, &ip, 0, &p),
	    VRRP_DROP_CHECKSUM);

	/* v2 does not: its source may change without a new checksum */
	len = mk(2, AF_INET, VRRP_PKT_AUTH_NONE, buf, &o);
	buf[15] ^= 1;
	ck_assert_int_eq(parse(buf, len, &o, &p), VRRP_OK);
}
END_TEST

/* RFC 1071's example: the sum of 0001 f203 f4f5 f6f7 is ddf2. */
START_TEST(csum_vector)
{
	static const unsigned char b[] = { 0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5,
	    0xf6, 0xf7 };

	ck_assert_uint_eq(vrrp_csum(b, sizeof(b), 0), 0x220d);
	ck_assert_uint_eq(vrrp_csum(b + 4, 4, 0x0001 + 0xf203), 0x220d);
	ck_assert_uint_eq(vrrp_csum(b, 7, 0), (uint16_t)~(0xddf2 - 0xf7));
}
END_TEST

START_TEST(drop_count)
{
	unsigned char buf[VRRP_PKT_MAX];
	struct vrrp_pkt_out o;
	struct vrrp_pkt p;
	struct vrrp_pkt_addrs ip;
	size_t len, off;
	unsigned c;

	for (c = 0; c < sizeof(combos) / sizeof(combos[0]); c++) {
		len = mk(combos[c].version, combos[c].family, combos[c].auth,
		    buf, &o);
		off = vrrp_off(&o);
		buf[off + 3] = (unsigned char)(o.nvips + 1);	/* larger */
		refix(buf, len, &o);
		ck_assert_int_eq(parse(buf, len, &o, &p), VRRP_DROP_COUNT);
		buf[off + 3] = (unsigned char)(o.nvips - 1);	/* smaller */
		refix(buf, len, &o);
		ck_assert_int_eq(parse(buf, len, &o, &p), VRRP_DROP_COUNT);
		buf[off + 3] = 255;
		refix(buf, len, &o);
		ck_assert_int_eq(parse(buf, len, &o, &p), VRRP_DROP_COUNT);
	}

	/* the address list cut short, the IP length telling the truth */
	len = mk(3, AF_INET, VRRP_PKT_AUTH_NONE, buf, &o);
	set_tot_len(buf, len - 4);
	ck_assert_int_eq(vrrp_pkt_parse(buf, len - 4, NULL, 0, &p),
	    VRRP_DROP_COUNT);
	len = mk(2, AF_INET, VRRP_PKT_AUTH_PASS, buf, &o);
	set_tot_len(buf, len - 8);	/* no authentication data */
	ck_assert_int_eq(vrrp_pkt_parse(buf, len - 8, NULL, 0, &p),
	    VRRP_DROP_COUNT);
	len = mk(3, AF_INET6, VRRP_PKT_AUTH_NONE, buf, &o);
	ip = rx6(&o, 255);
	ck_assert_int_eq(vrrp_pkt_parse(buf, len - 1, &ip, 0, &p),
	    VRRP_DROP_COUNT);
	ck_assert_int_eq(vrrp_pkt_parse(buf, len - 16, &ip, 0, &p),
	    VRRP_DROP_COUNT);
}
END_TEST

/* Random bytes, and a valid packet with random bytes flipped, are
 * dropped (or, rarely for flips, accepted whole), never misread. */
START_TEST(garbage)
{
	unsigned char buf[VRRP_PKT_MAX], save[VRRP_PKT_MAX];
	struct vrrp_pkt_out o4, o6;
	struct vrrp_pkt_addrs ip;
	struct vrrp_pkt p;
	struct vrrp_pkt_expect e;
	unsigned seed = 12345, i, j;
	size_t len, n;
	enum vrrp_drop r;
	int differ;

	o4 = out_for(2, AF_INET, VRRP_PKT_AUTH_AH);
	o6 = out_for(3, AF_INET6, VRRP_PKT_AUTH_NONE);
	ip = rx6(&o6, 255);
	for (i = 0; i < 20000; i++) {
		n = (size_t)(rand_r(&seed) % 200);
		for (j = 0; j < n; j++)
			buf[j] = (unsigned char)rand_r(&seed);
		if (i % 2 == 0) {
			buf[0] = 0x45;		/* get past the first check */
			if (n >= 4)
				set_tot_len(buf, n);
		}
		r = vrrp_pkt_parse(buf, n, NULL, 0, &p);
		ck_assert_int_ne(r, VRRP_OK);
		ck_assert_int_lt(r, VRRP_DROP_MAX);
		r = vrrp_pkt_parse(buf, n, &ip, 0, &p);
		ck_assert_int_ne(r, VRRP_OK);
	}

	len = mk(2, AF_INET, VRRP_PKT_AUTH_AH, buf, &o4);
	memcpy(save, buf, len);
	for (i = 0; i < 20000; i++) {
		uint32_t last = 0;

		memcpy(buf, save, len);
		j = (unsigned)rand_r(&seed) % (unsigned)len;
		buf[j] ^= (unsigned char)(1 + rand_r(&seed) % 255);
		r = vrrp_pkt_parse(buf, len, NULL, 0, &p);
		ck_assert_int_lt(r, VRRP_DROP_MAX);
		if (r != VRRP_OK)
			continue;
		e = expect_for(&o4, &last);
		r = vrrp_pkt_check(&p, &e, &differ);
		/* what the ICV covers cannot change unnoticed; TOS, the
		 * flags (DF), the IP checksum are mutable */
		if (j != 1 && j != 6 && j != 10 && j != 11)
			ck_assert_msg(r != VRRP_OK, "byte %u changed", j);
	}
}
END_TEST

START_TEST(auth_type_mismatch)
{
	unsigned char buf[VRRP_PKT_MAX];
	struct vrrp_pkt_out o, want;
	struct vrrp_pkt p;
	struct vrrp_pkt_expect e;
	uint32_t last = 0;
	size_t len;
	int differ;
	unsigned i, j;

	/* every pairing of sent and expected type that differs */
	for (i = 0; i < 3; i++) {
		for (j = 0; j < 3; j++) {
			if (i == j)
				continue;
			len = mk(2, AF_INET, (enum vrrp_auth)i, buf, &o);
			ck_assert_int_eq(parse(buf, len, &o, &p), VRRP_OK);
			want = out_for(2, AF_INET, (enum vrrp_auth)j);
			e = expect_for(&want, &last);
			ck_assert_int_eq(vrrp_pkt_check(&p, &e, &differ),
			    VRRP_DROP_AUTH_TYPE);
		}
	}

	/* an auth type no RFC defines */
	len = mk(2, AF_INET, VRRP_PKT_AUTH_NONE, buf, &o);
	buf[20 + 4] = 3;
	refix(buf, len, &o);
	ck_assert_int_eq(parse(buf, len, &o, &p), VRRP_OK);
	e = expect_for(&o, &last);
	ck_assert_int_eq(vrrp_pkt_check(&p, &e, &differ), VRRP_DROP_AUTH_TYPE);

	/* type AH in the VRRP header without the AH header */
	buf[20 + 4] = VRRP_PKT_AUTH_AH;
	refix(buf, len, &o);
	ck_assert_int_eq(parse(buf, len, &o, &p), VRRP_OK);
	want = out_for(2, AF_INET, VRRP_PKT_AUTH_AH);
	e = expect_for(&want, &last);
	ck_assert_int_eq(vrrp_pkt_check(&p, &e, &differ), VRRP_DROP_AUTH_TYPE);

	/* v3 has no authentication */
	len = mk(3, AF_INET, VRRP_PKT_AUTH_NONE, buf, &o);
	ck_assert_int_eq(parse(buf, len, &o, &p), VRRP_OK);
	e = expect_for(&o, &last);
	e.auth_type = VRRP_PKT_AUTH_PASS;
	ck_assert_int_eq(vrrp_pkt_check(&p, &e, &differ), VRRP_DROP_AUTH_TYPE);
}
END_TEST

START_TEST(wrong_password)
{
	static const unsigned char other[8] = "secret2";
	static const unsigned char longer[8] = "secret12";
	unsigned char buf[VRRP_PKT_MAX];
	struct vrrp_pkt_out o;
	struct vrrp_pkt p;
	struct vrrp_pkt_expect e;
	size_t len = mk(2, AF_INET, VRRP_PKT_AUTH_PASS, buf, &o);
	int differ;

	ck_assert_int_eq(parse(buf, len, &o, &p), VRRP_OK);
	e = expect_for(&o, NULL);
	ck_assert_int_eq(vrrp_pkt_check(&p, &e, &differ), VRRP_OK);
	e.auth_pass = other;
	ck_assert_int_eq(vrrp_pkt_check(&p, &e, &differ), VRRP_DROP_AUTH);
	e.auth_pass = longer;
	ck_assert_int_eq(vrrp_pkt_check(&p, &e, &differ), VRRP_DROP_AUTH);
}
END_TEST

START_TEST(ah_wrong_digest)
{
	static const unsigned char other[8] = "ahkey43";
	unsigned char buf[VRRP_PKT_MAX], save[VRRP_PKT_MAX];
	struct vrrp_pkt_out o;
	struct vrrp_pkt p;
	struct vrrp_pkt_expect e;
	uint32_t last = 0;
	size_t len = mk(2, AF_INET, VRRP_PKT_AUTH_AH, buf, &o);
	int differ;

	memcpy(save, buf, len);
	ck_assert_int_eq(parse(buf, len, &o, &p), VRRP_OK);
	e = expect_for(&o, &last);
	e.ah_key = other;		/* another password */
	ck_assert_int_eq(vrrp_pkt_check(&p, &e, &differ), VRRP_DROP_AUTH);
	ck_assert_uint_eq(last, 0);	/* a failed packet moves nothing */

	buf[20 + 12] ^= 1;		/* the ICV itself */
	ck_assert_int_eq(parse(buf, len, &o, &p), VRRP_OK);
	e = expect_for(&o, &last);
	ck_assert_int_eq(vrrp_pkt_check(&p, &e, &differ), VRRP_DROP_AUTH);

	memcpy(buf, save, len);		/* a higher priority, checksum fixed */
	buf[44 + 2] = 254;
	refix(buf, len, &o);
	ck_assert_int_eq(parse(buf, len, &o, &p), VRRP_OK);
	ck_assert_int_eq(vrrp_pkt_check(&p, &e, &differ), VRRP_DROP_AUTH);

	memcpy(buf, save, len);		/* the IP identification */
	buf[5] ^= 1;
	ck_assert_int_eq(parse(buf, len, &o, &p), VRRP_OK);
	ck_assert_int_eq(vrrp_pkt_check(&p, &e, &differ), VRRP_DROP_AUTH);

	/* the mutable fields are not covered: TOS, the IP checksum */
	memcpy(buf, save, len);
	buf[1] = 0;
	buf[10] = buf[11] = 0;
	ck_assert_int_eq(parse(buf, len, &o, &p), VRRP_OK);
	ck_assert_int_eq(vrrp_pkt_check(&p, &e, &differ), VRRP_OK);
	ck_assert_uint_eq(last, 7);
}
END_TEST

/* The SPI must be the sender's address (with an ICV that covers it). */
START_TEST(ah_spi)
{
	unsigned char buf[VRRP_PKT_MAX];
	struct vrrp_pkt_out o;
	struct vrrp_pkt p;
	struct vrrp_pkt_expect e;
	uint32_t last = 0;
	size_t len = mk(2, AF_INET, VRRP_PKT_AUTH_AH, buf, &o);
	unsigned char ip[20], digest[MD5_DIGEST_LEN];
	const void *parts[2] = { ip, buf + 20 };
	size_t lens[2] = { 20, len - 20 };
	int differ;

	buf[20 + 7] ^= 1;		/* SPI 10.0.0.0 */
	memcpy(ip, buf, 20);
	ip[1] = ip[10] = ip[11] = 0;
	memset(buf + 20 + 12, 0, 12);
	hmac_md5(key8, 8, parts, lens, 2, digest);
	memcpy(buf + 20 + 12, digest, 12);
	ck_assert_int_eq(parse(buf, len, &o, &p), VRRP_OK);
	e = expect_for(&o, &last);
	ck_assert_int_eq(vrrp_pkt_check(&p, &e, &differ), VRRP_DROP_AUTH);
	buf[20 + 7] ^= 1;		/* the same way, with the right SPI */
	memcpy(ip, buf, 20);
	ip[1] = ip[10] = ip[11] = 0;
	memset(buf + 20 + 12, 0, 12);
	hmac_md5(key8, 8, parts, lens, 2, digest);
	memcpy(buf + 20 + 12, digest, 12);
	ck_assert_int_eq(parse(buf, len, &o, &p), VRRP_OK);
	ck_assert_int_eq(vrrp_pkt_check(&p, &e, &differ), VRRP_OK);
}
END_TEST

START_TEST(ah_replay)
{
	unsigned char buf[VRRP_PKT_MAX];
	struct vrrp_pkt_out o;
	struct vrrp_pkt p;
	struct vrrp_pkt_expect e;
	uint32_t last = 0;
	size_t len = mk(2, AF_INET, VRRP_PKT_AUTH_AH, buf, &o);
	int differ;

	ck_assert_int_eq(parse(buf, len, &o, &p), VRRP_OK);
	e = expect_for(&o, &last);
	ck_assert_int_eq(vrrp_pkt_check(&p, &e, &differ), VRRP_OK);
	ck_assert_uint_eq(last, 7);
	/* the same packet again: a replay */
	ck_assert_int_eq(vrrp_pkt_check(&p, &e, &differ), VRRP_DROP_AUTH);
	/* an older one */
	o.ah_seq = 6;
	len = vrrp_pkt_build(buf, sizeof(buf), &o);
	ck_assert_int_eq(parse(buf, len, &o, &p), VRRP_OK);
	ck_assert_int_eq(vrrp_pkt_check(&p, &e, &differ), VRRP_DROP_AUTH);
	ck_assert_uint_eq(last, 7);
	/* the next one */
	o.ah_seq = 8;
	len = vrrp_pkt_build(buf, sizeof(buf), &o);
	ck_assert_int_eq(parse(buf, len, &o, &p), VRRP_OK);
	ck_assert_int_eq(vrrp_pkt_check(&p, &e, &differ), VRRP_OK);
	ck_assert_uint_eq(last, 8);
	/* without a counter, no replay check */
	e.ah_last_seq = NULL;
	ck_assert_int_eq(vrrp_pkt_check(&p, &e, &differ), VRRP_OK);
}
END_TEST

/* Unicast AH: the TTL is left out of the ICV (a router may lower it). */
START_TEST(ah_unicast_ttl)
{
	unsigned char buf[VRRP_PKT_MAX];
	struct vrrp_pkt_out o = out_for(2, AF_INET, VRRP_PKT_AUTH_AH);
	struct vrrp_pkt_addrs nottl;
	struct vrrp_pkt p;
	struct vrrp_pkt_expect e;
	uint32_t last = 0;
	size_t len;
	int differ;

	o.ip.dst = A("10.0.0.2");
	len = vrrp_pkt_build(buf, sizeof(buf), &o);
	buf[8] = 250;
	memset(&nottl, 0, sizeof(nottl));
	nottl.family = AF_INET;
	nottl.ttl = -1;
	ck_assert_int_eq(vrrp_pkt_parse(buf, len, &nottl, 0, &p), VRRP_OK);
	e = expect_for(&o, &last);
	ck_assert_int_eq(vrrp_pkt_check(&p, &e, &differ), VRRP_OK);

	/* multicast: the TTL is covered */
	o = out_for(2, AF_INET, VRRP_PKT_AUTH_AH);
	len = vrrp_pkt_build(buf, sizeof(buf), &o);
	buf[8] = 250;
	ck_assert_int_eq(vrrp_pkt_parse(buf, len, &nottl, 0, &p), VRRP_OK);
	last = 0;
	ck_assert_int_eq(vrrp_pkt_check(&p, &e, &differ), VRRP_DROP_AUTH);
}
END_TEST

START_TEST(v2_interval)
{
	unsigned char buf[VRRP_PKT_MAX];
	struct vrrp_pkt_out o;
	struct vrrp_pkt p;
	struct vrrp_pkt_expect e;
	size_t len = mk(2, AF_INET, VRRP_PKT_AUTH_NONE, buf, &o);
	int differ;

	ck_assert_int_eq(parse(buf, len, &o, &p), VRRP_OK);
	e = expect_for(&o, NULL);
	e.adver_int = 200;
	ck_assert_int_eq(vrrp_pkt_check(&p, &e, &differ), VRRP_DROP_INTERVAL);

	/* v3: the backup learns the master's interval; no drop */
	len = mk(3, AF_INET, VRRP_PKT_AUTH_NONE, buf, &o);
	ck_assert_int_eq(parse(buf, len, &o, &p), VRRP_OK);
	e = expect_for(&o, NULL);
	e.adver_int = 200;
	ck_assert_int_eq(vrrp_pkt_check(&p, &e, &differ), VRRP_OK);

	/* the version is the instance's */
	e.version = 2;
	ck_assert_int_eq(vrrp_pkt_check(&p, &e, &differ), VRRP_DROP_VERSION);
}
END_TEST

START_TEST(addrs_differ)
{
	unsigned char buf[VRRP_PKT_MAX];
	struct vrrp_pkt_out o;
	struct vrrp_pkt p;
	struct vrrp_pkt_expect e;
	struct vg_addr ours[3];
	size_t len;
	unsigned f;
	int differ;

	for (f = 0; f < 2; f++) {
		len = mk(3, f ? AF_INET6 : AF_INET, VRRP_PKT_AUTH_NONE, buf, &o);
		ck_assert_int_eq(parse(buf, len, &o, &p), VRRP_OK);
		e = expect_for(&o, NULL);
		memcpy(ours, o.vips, o.nvips * sizeof(ours[0]));
		e.vips = ours;

		/* the same set in another order is the same */
		ours[0] = o.vips[1];
		ours[1] = o.vips[0];
		differ = -1;
		ck_assert_int_eq(vrrp_pkt_check(&p, &e, &differ), VRRP_OK);
		ck_assert_int_eq(differ, 0);

		/* one address of ours is not in the advert */
		ours[1] = A(f ? "fd00::99" : "10.0.0.99");
		ck_assert_int_eq(vrrp_pkt_check(&p, &e, &differ), VRRP_OK);
		ck_assert_int_eq(differ, 1);

		/* the advert has one more than we do */
		memcpy(ours, o.vips, o.nvips * sizeof(ours[0]));
		e.nvips = o.nvips - 1;
		ck_assert_int_eq(vrrp_pkt_check(&p, &e, &differ), VRRP_OK);
		ck_assert_int_eq(differ, 1);

		/* a duplicate on our side does not hide a missing one */
		e.nvips = o.nvips;
		ours[o.nvips - 1] = ours[0];
		ck_assert_int_eq(vrrp_pkt_check(&p, &e, &differ), VRRP_OK);
		ck_assert_int_eq(differ, 1);

		/* a NULL flag: the caller does not want to know */
		ck_assert_int_eq(vrrp_pkt_check(&p, &e, NULL), VRRP_OK);
		/* no list of ours: every advert with addresses differs */
		e.vips = NULL;
		ck_assert_int_eq(vrrp_pkt_check(&p, &e, &differ), VRRP_OK);
		ck_assert_int_eq(differ, 1);
	}
}
END_TEST

/* keepalived's old_unicast_checksum: v3 unicast summed over the group. */
START_TEST(old_unicast_checksum)
{
	unsigned char buf[VRRP_PKT_MAX];
	struct vrrp_pkt_out o = out_for(3, AF_INET, VRRP_PKT_AUTH_NONE);
	struct vg_addr group = A("224.0.0.18");
	struct vrrp_pkt p;
	size_t len;

	o.ip.dst = A("10.0.0.2");
	len = vrrp_pkt_build(buf, sizeof(buf), &o);
	ck_assert_int_eq(vrrp_pkt_parse(buf, len, NULL, 0, &p), VRRP_OK);
	ck_assert_int_eq(vrrp_pkt_parse(buf, len, NULL, 1, &p), VRRP_OK);

	o.old_checksum = 1;
	o.mcast_group = &group;
	len = vrrp_pkt_build(buf, sizeof(buf), &o);
	ck_assert_int_eq(vrrp_pkt_parse(buf, len, NULL, 0, &p),
	    VRRP_DROP_CHECKSUM);
	ck_assert_int_eq(vrrp_pkt_parse(buf, len, NULL, 1, &p), VRRP_OK);
	o.mcast_group = NULL;		/* the default group */
	ck_assert_uint_eq(vrrp_pkt_build(buf, sizeof(buf), &o), len);
	ck_assert_int_eq(vrrp_pkt_parse(buf, len, NULL, 1, &p), VRRP_OK);
}
END_TEST

START_TEST(drop_names)
{
	unsigned i, j;

	ck_assert_str_eq(vrrp_drop_name(VRRP_DROP_TTL), "ttl");
	ck_assert_str_eq(vrrp_drop_name(VRRP_DROP_CHECKSUM), "checksum");
	ck_assert_str_eq(vrrp_drop_name(VRRP_DROP_MAX), "unknown");
	for (i = 0; i < VRRP_DROP_MAX; i++) {
		ck_assert_ptr_nonnull(vrrp_drop_name((enum vrrp_drop)i));
		for (j = 0; j < i; j++)
			ck_assert_str_ne(vrrp_drop_name((enum vrrp_drop)i),
			    vrrp_drop_name((enum vrrp_drop)j));
	}
}
END_TEST

START_TEST(format_line)
{
	unsigned char buf[VRRP_PKT_MAX];
	char line[512], small[32];
	struct vrrp_pkt_out o;
	struct vrrp_pkt p;
	size_t len, n, i;

	len = mk(3, AF_INET, VRRP_PKT_AUTH_NONE, buf, &o);
	ck_assert_int_eq(parse(buf, len, &o, &p), VRRP_OK);
	n = vrrp_pkt_format(&p, line, sizeof(line));
	ck_assert_str_eq(line, "VRRPv3 vrid 42 prio 150 int 100cs 10.0.0.1 > "
	    "224.0.0.18 ttl 255 addrs 3: 10.0.0.10 10.0.0.11 192.168.7.1");
	ck_assert_uint_eq(n, strlen(line));

	len = mk(2, AF_INET, VRRP_PKT_AUTH_AH, buf, &o);
	ck_assert_int_eq(parse(buf, len, &o, &p), VRRP_OK);
	vrrp_pkt_format(&p, line, sizeof(line));
	ck_assert_ptr_nonnull(strstr(line, "VRRPv2 vrid 42 prio 150 int 1s "));
	ck_assert_ptr_nonnull(strstr(line, " auth ah seq 7 addrs 3:"));

	len = mk(2, AF_INET, VRRP_PKT_AUTH_PASS, buf, &o);
	ck_assert_int_eq(parse(buf, len, &o, &p), VRRP_OK);
	vrrp_pkt_format(&p, line, sizeof(line));
	ck_assert_ptr_nonnull(strstr(line, " auth pass addrs"));
	ck_assert_ptr_null(strstr(line, "secret"));	/* never logged */

	len = mk(3, AF_INET6, VRRP_PKT_AUTH_NONE, buf, &o);
	ck_assert_int_eq(parse(buf, len, &o, &p), VRRP_OK);
	vrrp_pkt_format(&p, line, sizeof(line));
	ck_assert_str_eq(line, "VRRPv3 vrid 42 prio 150 int 100cs fe80::1 > "
	    "ff02::12 ttl 255 addrs 2: fd00::10 2001:db8::1");

	/* every short buffer: cut, terminated, nothing written past it */
	for (i = 1; i < sizeof(small) - 1; i++) {
		memset(small, 'x', sizeof(small));
		n = vrrp_pkt_format(&p, small, i);
		ck_assert_uint_eq(n, i - 1);
		ck_assert_uint_eq(strlen(small), i - 1);
		ck_assert_int_eq(small[i], 'x');
		if (i > 3)
			ck_assert_str_eq(small + i - 4, "...");
	}
	memset(small, 'x', sizeof(small));
	ck_assert_uint_eq(vrrp_pkt_format(&p, small, 0), 0);
	ck_assert_int_eq(small[0], 'x');
}
END_TEST

/* ---- adverts a real keepalived sent (vrrp_interop.h) ---------------- */

static void
ka_expect(struct vrrp_pkt_expect *e, unsigned version, unsigned adver_int,
    struct vg_addr *vips, unsigned nvips)
{
	memset(e, 0, sizeof(*e));
	e->version = version;
	e->adver_int = adver_int;
	e->vips = vips;
	e->nvips = nvips;
}

START_TEST(keepalived_v2)
{
	struct vg_addr v[2] = { A("10.9.0.50"), A("10.9.0.150") };
	struct vrrp_pkt p;
	struct vrrp_pkt_expect e;
	int differ = -1;

	ck_assert_int_eq(vrrp_pkt_parse(ka_v2none, sizeof(ka_v2none), NULL, 0,
	    &p), VRRP_OK);
	ck_assert_uint_eq(p.version, 2);
	ck_assert_uint_eq(p.vrid, 50);
	ck_assert_uint_eq(p.priority, 100);
	ck_assert_uint_eq(p.adver_int, 100);
	ck_assert_uint_eq(p.naddrs, 2);
	ck_assert_int_eq(addr_cmp(&p.ip.src, &(struct vg_addr){ 0 }) != 0, 1);
	ck_assert_int_eq(addr_cmp(&p.ip.dst, &(struct vg_addr){ 0 }) != 0, 1);
	ka_expect(&e, 2, 100, v, 2);
	ck_assert_int_eq(vrrp_pkt_check(&p, &e, &differ), VRRP_OK);
	ck_assert_int_eq(differ, 0);
}
END_TEST

START_TEST(keepalived_v2_pass)
{
	static const unsigned char pw[8] = "secret1";
	static const unsigned char bad[8] = "secret2";
	struct vg_addr v[1] = { A("10.9.0.51") };
	struct vrrp_pkt p;
	struct vrrp_pkt_expect e;
	int differ = -1;

	ck_assert_int_eq(vrrp_pkt_parse(ka_v2pass, sizeof(ka_v2pass), NULL, 0,
	    &p), VRRP_OK);
	ck_assert_uint_eq(p.vrid, 51);
	ck_assert_uint_eq(p.priority, 150);
	ck_assert_uint_eq(p.adver_int, 200);
	ck_assert_int_eq(p.auth_type, VRRP_PKT_AUTH_PASS);
	ka_expect(&e, 2, 200, v, 1);
	e.auth_type = VRRP_PKT_AUTH_PASS;
	e.auth_pass = pw;
	ck_assert_int_eq(vrrp_pkt_check(&p, &e, &differ), VRRP_OK);
	ck_assert_int_eq(differ, 0);
	e.auth_pass = bad;
	ck_assert_int_eq(vrrp_pkt_check(&p, &e, &differ), VRRP_DROP_AUTH);
}
END_TEST

/* keepalived's AH digest verified by ours, and ours by the same rule:
 * built from the same fields, our packet is keepalived's byte for byte. */
START_TEST(keepalived_v2_ah)
{
	static const unsigned char key[8] = "ahkey42";
	static const unsigned char bad[8] = "ahkey43";
	struct vg_addr v[2] = { A("10.9.0.52"), A("10.9.0.152") };
	unsigned char buf[VRRP_PKT_MAX];
	struct vrrp_pkt p;
	struct vrrp_pkt_expect e;
	struct vrrp_pkt_out o;
	uint32_t last = 0;
	int differ = -1;

	ck_assert_int_eq(vrrp_pkt_parse(ka_v2ah, sizeof(ka_v2ah), NULL, 0, &p),
	    VRRP_OK);
	ck_assert_uint_eq(p.vrid, 52);
	ck_assert_uint_eq(p.priority, 200);
	ck_assert_int_eq(p.auth_type, VRRP_PKT_AUTH_AH);
	ck_assert_ptr_nonnull(p.ah);
	ka_expect(&e, 2, 100, v, 2);
	e.auth_type = VRRP_PKT_AUTH_AH;
	e.ah_key = bad;
	e.ah_key_len = 8;
	e.ah_last_seq = &last;
	ck_assert_int_eq(vrrp_pkt_check(&p, &e, &differ), VRRP_DROP_AUTH);
	e.ah_key = key;
	ck_assert_int_eq(vrrp_pkt_check(&p, &e, &differ), VRRP_OK);
	ck_assert_uint_eq(last, p.ah_seq);
	ck_assert_int_eq(differ, 0);
	ck_assert_int_eq(vrrp_pkt_check(&p, &e, &differ), VRRP_DROP_AUTH);

	memset(&o, 0, sizeof(o));
	o.version = 2;
	o.vrid = p.vrid;
	o.priority = p.priority;
	o.adver_int = p.adver_int;
	o.ip = p.ip;
	o.vips = v;
	o.nvips = 2;
	o.auth_type = VRRP_PKT_AUTH_AH;
	o.ah_key = key;
	o.ah_key_len = 8;
	o.ah_seq = p.ah_seq;
	o.ip_id = (uint16_t)(ka_v2ah[4] << 8 | ka_v2ah[5]);
	ck_assert_uint_eq(vrrp_pkt_build(buf, sizeof(buf), &o),
	    sizeof(ka_v2ah));
	ck_assert_mem_eq(buf, ka_v2ah, sizeof(ka_v2ah));
}
END_TEST

START_TEST(keepalived_v3_ipv4)
{
	struct vg_addr v[1] = { A("10.9.0.53") };
	unsigned char buf[VRRP_PKT_MAX];
	struct vrrp_pkt p;
	struct vrrp_pkt_expect e;
	struct vrrp_pkt_out o;
	int differ = -1;

	ck_assert_int_eq(vrrp_pkt_parse(ka_v3ipv4, sizeof(ka_v3ipv4), NULL, 0,
	    &p), VRRP_OK);
	ck_assert_uint_eq(p.version, 3);
	ck_assert_uint_eq(p.vrid, 53);
	ck_assert_uint_eq(p.priority, 120);
	ck_assert_uint_eq(p.adver_int, 50);
	ka_expect(&e, 3, 50, v, 1);
	ck_assert_int_eq(vrrp_pkt_check(&p, &e, &differ), VRRP_OK);
	ck_assert_int_eq(differ, 0);

	/* ours, from the same fields, is keepalived's byte for byte */
	memset(&o, 0, sizeof(o));
	o.version = 3;
	o.vrid = 53;
	o.priority = 120;
	o.adver_int = 50;
	o.ip = p.ip;
	o.vips = v;
	o.nvips = 1;
	o.ip_id = (uint16_t)(ka_v3ipv4[4] << 8 | ka_v3ipv4[5]);
	ck_assert_uint_eq(vrrp_pkt_build(buf, sizeof(buf), &o),
	    sizeof(ka_v3ipv4));
	ck_assert_mem_eq(buf, ka_v3ipv4, sizeof(ka_v3ipv4));
}
END_TEST

START_TEST(keepalived_v3_ipv6)
{
	struct vg_addr v[2] = { A("fd00:9::54"), A("fd00:9::154") };
	unsigned char buf[VRRP_PKT_MAX];
	struct vrrp_pkt_addrs ip;
	struct vrrp_pkt p;
	struct vrrp_pkt_expect e;
	struct vrrp_pkt_out o;
	int differ = -1;

	memset(&ip, 0, sizeof(ip));
	ip.family = AF_INET6;
	ip.src.family = ip.dst.family = AF_INET6;
	memcpy(&ip.src.u.v6, ka_v3ipv6_src, 16);
	memcpy(&ip.dst.u.v6, ka_v3ipv6_dst, 16);
	ip.ttl = ka_v3ipv6_hlim;
	ck_assert_int_eq(vrrp_pkt_parse(ka_v3ipv6, sizeof(ka_v3ipv6), &ip, 0,
	    &p), VRRP_OK);
	ck_assert_uint_eq(p.version, 3);
	ck_assert_uint_eq(p.vrid, 54);
	ck_assert_uint_eq(p.priority, 130);
	ck_assert_uint_eq(p.adver_int, 100);
	ka_expect(&e, 3, 100, v, 2);
	ck_assert_int_eq(vrrp_pkt_check(&p, &e, &differ), VRRP_OK);
	ck_assert_int_eq(differ, 0);

	memset(&o, 0, sizeof(o));
	o.version = 3;
	o.vrid = 54;
	o.priority = 130;
	o.adver_int = 100;
	o.ip = ip;
	o.vips = v;
	o.nvips = 2;
	ck_assert_uint_eq(vrrp_pkt_build(buf, sizeof(buf), &o),
	    sizeof(ka_v3ipv6));
	ck_assert_mem_eq(buf, ka_v3ipv6, sizeof(ka_v3ipv6));
}
END_TEST

/* Unicast from keepalived: AH leaves the TTL out of the ICV; v3 with and
 * without old_unicast_checksum. Ours rebuilds each byte for byte. */
START_TEST(keepalived_unicast)
{
	static const unsigned char key[8] = "ahkey42";
	struct vg_addr v55 = A("10.9.0.55"), v56 = A("10.9.0.56"),
	    v57 = A("10.9.0.57"), group = A("224.0.0.18");
	unsigned char buf[VRRP_PKT_MAX], copy[sizeof(ka_v2ahuc)];
	struct vrrp_pkt_addrs uc;
	struct vrrp_pkt p;
	struct vrrp_pkt_expect e;
	struct vrrp_pkt_out o;
	uint32_t last = 0;
	int differ = -1;

	memset(&uc, 0, sizeof(uc));
	uc.family = AF_INET;
	uc.ttl = -1;

	/* AH, with the TTL lowered on the way: still authentic */
	memcpy(copy, ka_v2ahuc, sizeof(copy));
	copy[8] = 200;
	ck_assert_int_eq(vrrp_pkt_parse(copy, sizeof(copy), &uc, 0, &p),
	    VRRP_OK);
	ka_expect(&e, 2, 100, &v55, 1);
	e.auth_type = VRRP_PKT_AUTH_AH;
	e.ah_key = key;
	e.ah_key_len = 8;
	e.ah_last_seq = &last;
	ck_assert_int_eq(vrrp_pkt_check(&p, &e, &differ), VRRP_OK);
	ck_assert_int_eq(differ, 0);
	ck_assert_int_eq(vrrp_pkt_parse(ka_v2ahuc, sizeof(ka_v2ahuc), NULL, 0,
	    &p), VRRP_OK);
	memset(&o, 0, sizeof(o));
	o.version = 2;
	o.vrid = 55;
	o.priority = 100;
	o.adver_int = 100;
	o.ip = p.ip;
	o.vips = &v55;
	o.nvips = 1;
	o.auth_type = VRRP_PKT_AUTH_AH;
	o.ah_key = key;
	o.ah_key_len = 8;
	o.ah_seq = p.ah_seq;
	o.ip_id = 1;
	ck_assert_uint_eq(vrrp_pkt_build(buf, sizeof(buf), &o),
	    sizeof(ka_v2ahuc));
	ck_assert_mem_eq(buf, ka_v2ahuc, sizeof(ka_v2ahuc));

	/* v3 unicast, old checksum: only accepted when asked for */
	ck_assert_int_eq(vrrp_pkt_parse(ka_v3ucold, sizeof(ka_v3ucold), &uc, 0,
	    &p), VRRP_DROP_CHECKSUM);
	ck_assert_int_eq(vrrp_pkt_parse(ka_v3ucold, sizeof(ka_v3ucold), &uc, 1,
	    &p), VRRP_OK);
	ka_expect(&e, 3, 100, &v56, 1);
	ck_assert_int_eq(vrrp_pkt_check(&p, &e, &differ), VRRP_OK);
	memset(&o, 0, sizeof(o));
	o.version = 3;
	o.vrid = 56;
	o.priority = 100;
	o.adver_int = 100;
	o.ip = p.ip;
	o.vips = &v56;
	o.nvips = 1;
	o.ip_id = 1;
	o.old_checksum = 1;
	o.mcast_group = &group;
	ck_assert_uint_eq(vrrp_pkt_build(buf, sizeof(buf), &o),
	    sizeof(ka_v3ucold));
	ck_assert_mem_eq(buf, ka_v3ucold, sizeof(ka_v3ucold));

	/* v3 unicast, RFC checksum */
	ck_assert_int_eq(vrrp_pkt_parse(ka_v3uc, sizeof(ka_v3uc), &uc, 0, &p),
	    VRRP_OK);
	ka_expect(&e, 3, 100, &v57, 1);
	ck_assert_int_eq(vrrp_pkt_check(&p, &e, &differ), VRRP_OK);
	o.vrid = 57;
	o.vips = &v57;
	o.old_checksum = 0;
	ck_assert_uint_eq(vrrp_pkt_build(buf, sizeof(buf), &o),
	    sizeof(ka_v3uc));
	ck_assert_mem_eq(buf, ka_v3uc, sizeof(ka_v3uc));
}
END_TEST

/* FRR's vrrpd: another implementation's v2 and v3 adverts (DF set, its
 * own IP IDs) parse and check, and ours match its VRRP bytes. */
START_TEST(frr_adverts)
{
	struct vg_addr v7 = A("10.9.0.7"), v6 = A("fd00:9::7"),
	    v8[2] = { A("10.9.0.8"), A("10.9.0.108") };
	unsigned char buf[VRRP_PKT_MAX];
	struct vrrp_pkt_addrs ip;
	struct vrrp_pkt p;
	struct vrrp_pkt_expect e;
	struct vrrp_pkt_out o;
	int differ = -1;

	ck_assert_int_eq(vrrp_pkt_parse(frr_v3ipv4, sizeof(frr_v3ipv4), NULL,
	    0, &p), VRRP_OK);
	ck_assert_uint_eq(p.version, 3);
	ck_assert_uint_eq(p.vrid, 7);
	ck_assert_uint_eq(p.priority, 200);
	ck_assert_uint_eq(p.adver_int, 100);
	ka_expect(&e, 3, 100, &v7, 1);
	ck_assert_int_eq(vrrp_pkt_check(&p, &e, &differ), VRRP_OK);
	ck_assert_int_eq(differ, 0);
	memset(&o, 0, sizeof(o));
	o.version = 3;
	o.vrid = 7;
	o.priority = 200;
	o.adver_int = 100;
	o.ip = p.ip;
	o.vips = &v7;
	o.nvips = 1;
	ck_assert_uint_eq(vrrp_pkt_build(buf, sizeof(buf), &o),
	    sizeof(frr_v3ipv4));
	ck_assert_mem_eq(buf + 20, frr_v3ipv4 + 20, sizeof(frr_v3ipv4) - 20);

	ck_assert_int_eq(vrrp_pkt_parse(frr_v2, sizeof(frr_v2), NULL, 0, &p),
	    VRRP_OK);
	ck_assert_uint_eq(p.version, 2);
	ck_assert_uint_eq(p.vrid, 8);
	ck_assert_uint_eq(p.priority, 150);
	ck_assert_uint_eq(p.naddrs, 2);
	ka_expect(&e, 2, 100, v8, 2);
	ck_assert_int_eq(vrrp_pkt_check(&p, &e, &differ), VRRP_OK);
	ck_assert_int_eq(differ, 0);

	memset(&ip, 0, sizeof(ip));
	ip.family = AF_INET6;
	ip.src.family = ip.dst.family = AF_INET6;
	memcpy(&ip.src.u.v6, frr_v3ipv6_src, 16);
	memcpy(&ip.dst.u.v6, frr_v3ipv6_dst, 16);
	ip.ttl = frr_v3ipv6_hlim;
	ck_assert_int_eq(vrrp_pkt_parse(frr_v3ipv6, sizeof(frr_v3ipv6), &ip, 0,
	    &p), VRRP_OK);
	ck_assert_uint_eq(p.vrid, 7);
	ka_expect(&e, 3, 100, &v6, 1);
	ck_assert_int_eq(vrrp_pkt_check(&p, &e, &differ), VRRP_OK);
	ck_assert_int_eq(differ, 0);
	o.ip = ip;
	o.vips = &v6;
	ck_assert_uint_eq(vrrp_pkt_build(buf, sizeof(buf), &o),
	    sizeof(frr_v3ipv6));
	ck_assert_mem_eq(buf, frr_v3ipv6, sizeof(frr_v3ipv6));
}
END_TEST

static Suite *
packet_suite(void)
{
	Suite *s = suite_create("vrrp_packet");
	TCase *tc = tcase_create("codec");
	TCase *ka = tcase_create("keepalived");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, round_trip, 0,
	    sizeof(combos) / sizeof(combos[0]));
	tcase_add_test(tc, build_refuses);
	tcase_add_test(tc, edges_round_trip);
	tcase_add_test(tc, drop_short);
	tcase_add_test(tc, drop_ip_header);
	tcase_add_test(tc, ethernet_padding);
	tcase_add_test(tc, drop_ttl);
	tcase_add_test(tc, drop_version_type);
	tcase_add_test(tc, drop_checksum);
	tcase_add_test(tc, csum_vector);
	tcase_add_test(tc, drop_count);
	tcase_add_test(tc, garbage);
	tcase_add_test(tc, auth_type_mismatch);
	tcase_add_test(tc, wrong_password);
	tcase_add_test(tc, ah_wrong_digest);
	tcase_add_test(tc, ah_spi);
	tcase_add_test(tc, ah_replay);
	tcase_add_test(tc, ah_unicast_ttl);
	tcase_add_test(tc, v2_interval);
	tcase_add_test(tc, addrs_differ);
	tcase_add_test(tc, old_unicast_checksum);
	tcase_add_test(tc, drop_names);
	tcase_add_test(tc, format_line);
	suite_add_tcase(s, tc);

	tcase_add_test(ka, keepalived_v2);
	tcase_add_test(ka, keepalived_v2_pass);
	tcase_add_test(ka, keepalived_v2_ah);
	tcase_add_test(ka, keepalived_v3_ipv4);
	tcase_add_test(ka, keepalived_v3_ipv6);
	tcase_add_test(ka, keepalived_unicast);
	tcase_add_test(ka, frr_adverts);
	suite_add_tcase(s, ka);
	return s;
}

int
main(void)
{
	return check_run(packet_suite());
}

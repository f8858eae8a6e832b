/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vrrp/packet: build -> parse -> check round trips (v2/v3, IPv4/IPv6,
 * authentication none, password, AH), every malformed packet dropped for
 * the right reason, random bytes never misread; the log line.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "check_run.h"
#include "vrrp_pkt_test.h"

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

/* An IPv4 advert sent with TTL ttl (ip: what the socket says, or NULL):
 * parsed, then what the instance expecting e says. */
static enum vrrp_drop
ttl_verdict(unsigned char *buf, size_t len, int ttl,
    const struct vrrp_pkt_addrs *ip, const struct vrrp_pkt_expect *e)
{
	struct vrrp_pkt p;
	int differ;

	buf[8] = (unsigned char)ttl;
	ck_assert_int_eq(vrrp_pkt_parse(buf, len, ip, 0, &p), VRRP_OK);
	ck_assert_int_eq(p.ip.ttl, ttl);	/* kept for the check, log */
	return vrrp_pkt_check(&p, e, &differ);
}

START_TEST(drop_ttl)
{
	unsigned char buf[VRRP_PKT_MAX];
	struct vrrp_pkt_out o;
	struct vrrp_pkt p;
	struct vrrp_pkt_addrs ip;
	struct vrrp_pkt_expect e;
	uint32_t last = 0;
	size_t len = mk(3, AF_INET, VRRP_PKT_AUTH_NONE, buf, &o);
	int differ;

	/* multicast (the RFC): 255 only, checked by the instance */
	e = expect_for(&o, &last);
	ck_assert_int_eq(ttl_verdict(buf, len, 255, NULL, &e), VRRP_OK);
	/* a router forwarded it */
	ck_assert_int_eq(ttl_verdict(buf, len, 254, NULL, &e), VRRP_DROP_TTL);
	ck_assert_int_eq(ttl_verdict(buf, len, 1, NULL, &e), VRRP_DROP_TTL);
	/* the IPv4 TTL is the header's, whatever the caller says */
	memset(&ip, 0, sizeof(ip));
	ip.family = AF_INET;
	ip.ttl = -1;
	ck_assert_int_eq(ttl_verdict(buf, len, 1, &ip, &e), VRRP_DROP_TTL);

	/* unicast (keepalived): a range, bounds included */
	e.ttl_range = 1;
	e.ttl_min = 1;
	e.ttl_max = 64;
	ck_assert_int_eq(ttl_verdict(buf, len, 1, NULL, &e), VRRP_OK);
	ck_assert_int_eq(ttl_verdict(buf, len, 64, NULL, &e), VRRP_OK);
	ck_assert_int_eq(ttl_verdict(buf, len, 65, NULL, &e), VRRP_DROP_TTL);
	ck_assert_int_eq(ttl_verdict(buf, len, 0, NULL, &e), VRRP_DROP_TTL);
	e.ttl_min = 0;
	ck_assert_int_eq(ttl_verdict(buf, len, 0, NULL, &e), VRRP_OK);

	/* IPv6: the hop limit the socket reports */
	len = mk(3, AF_INET6, VRRP_PKT_AUTH_NONE, buf, &o);
	e = expect_for(&o, &last);
	ip = rx6(&o, 64);
	ck_assert_int_eq(vrrp_pkt_parse(buf, len, &ip, 0, &p), VRRP_OK);
	ck_assert_int_eq(vrrp_pkt_check(&p, &e, &differ), VRRP_DROP_TTL);
	e.ttl_range = 1;
	e.ttl_min = 64;
	e.ttl_max = 64;
	ck_assert_int_eq(vrrp_pkt_check(&p, &e, &differ), VRRP_OK);
	e.ttl_range = 0;
	/* no hop limit reported: not checked */
	ip = rx6(&o, -1);
	ck_assert_int_eq(vrrp_pkt_parse(buf, len, &ip, 0, &p), VRRP_OK);
	ck_assert_int_eq(vrrp_pkt_check(&p, &e, &differ), VRRP_OK);
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

static Suite *
vrrp_packet_suite(void)
{
	Suite *s = suite_create("vrrp_packet");
	TCase *tc = tcase_create("codec");

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
	tcase_add_test(tc, drop_names);
	tcase_add_test(tc, format_line);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return check_run(vrrp_packet_suite());
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vrrp/packet against real peers: adverts keepalived 2.2.7 and FRR vrrpd
 * sent (vrrp_interop.h, captured by vrrp_interop_capture.sh) parse, pass
 * the instance checks (keepalived's AH digest included), and what we
 * build from the same fields is theirs byte for byte.
 */
#include <check.h>
#include <string.h>

#include "check_run.h"
#include "vrrp_interop.h"
#include "vrrp_pkt_test.h"

START_TEST(keepalived_v2)
{
	struct vg_addr v[2] = { A("10.9.0.50"), A("10.9.0.150") }, src, dst;
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
	src = A("10.9.0.1");
	dst = A("224.0.0.18");
	ck_assert_int_eq(addr_cmp(&p.ip.src, &src), 0);
	ck_assert_int_eq(addr_cmp(&p.ip.dst, &dst), 0);
	ck_assert_int_eq(p.ip.ttl, 255);
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
	/* a unicast instance: no TTL check without check_unicast_src */
	e.ttl_range = 1;
	e.ttl_min = 0;
	e.ttl_max = 255;
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
vrrp_interop_suite(void)
{
	Suite *s = suite_create("vrrp_interop");
	TCase *tc = tcase_create("peers");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, keepalived_v2);
	tcase_add_test(tc, keepalived_v2_pass);
	tcase_add_test(tc, keepalived_v2_ah);
	tcase_add_test(tc, keepalived_v3_ipv4);
	tcase_add_test(tc, keepalived_v3_ipv6);
	tcase_add_test(tc, keepalived_unicast);
	tcase_add_test(tc, frr_adverts);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return check_run(vrrp_interop_suite());
}

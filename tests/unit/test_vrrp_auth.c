/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vrrp/packet, the receiving instance's checks: auth type (a mismatch,
 * or a type no VRRPv2 router uses), password,
 * IPSEC-AH (digest, SPI, replay, unicast TTL), v2 advert interval, the
 * address list, keepalived's old unicast checksum.
 */
#include <check.h>
#include <string.h>

#include "check_run.h"
#include "md5.h"
#include "vrrp_pkt_test.h"

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

	/* an auth type no RFC defines: invalid, not a mismatch (keepalived's
	 * invalid_authtype, VRRP-MIB's vrrpStatsInvalidAuthType), whatever
	 * the instance uses... */
	for (i = 0; i < 2; i++) {
		len = mk(2, AF_INET, VRRP_PKT_AUTH_NONE, buf, &o);
		buf[20 + 4] = i == 0 ? 3 : 255;
		refix(buf, len, &o);
		ck_assert_int_eq(parse(buf, len, &o, &p), VRRP_OK);
		e = expect_for(&o, &last);
		ck_assert_int_eq(vrrp_pkt_check(&p, &e, &differ),
		    VRRP_DROP_INVALID_AUTH_TYPE);
		want = out_for(2, AF_INET, VRRP_PKT_AUTH_PASS);
		e = expect_for(&want, &last);
		ck_assert_int_eq(vrrp_pkt_check(&p, &e, &differ),
		    VRRP_DROP_INVALID_AUTH_TYPE);
	}
	/* ...but for an AH instance, where the missing AH header is
	 * checked first (a mismatch, as keepalived) */
	want = out_for(2, AF_INET, VRRP_PKT_AUTH_AH);
	e = expect_for(&want, &last);
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

/* One AH advert from a router whose counter is *seq (the next number),
 * source src, to a router whose counter is *peer: VRRP_OK or the drop. */
static enum vrrp_drop
ah_hop(uint32_t *seq, const char *src, uint32_t *peer)
{
	unsigned char buf[VRRP_PKT_MAX];
	struct vrrp_pkt_out o = out_for(2, AF_INET, VRRP_PKT_AUTH_AH);
	struct vrrp_pkt p;
	struct vrrp_pkt_expect e;
	size_t len;
	int differ;

	o.ip.src = A(src);
	o.ah_seq = vrrp_pkt_ah_next_seq(seq);
	len = vrrp_pkt_build(buf, sizeof(buf), &o);
	ck_assert_uint_gt(len, 0);
	ck_assert_int_eq(parse(buf, len, &o, &p), VRRP_OK);
	e = expect_for(&o, peer);
	return vrrp_pkt_check(&p, &e, &differ);
}

/*
 * The AH sequence number as keepalived keeps it: one counter for what a
 * router sends and what it accepts. A router that starts again from 0
 * (or stayed quiet while its peer was master) hears the master first and
 * numbers its own adverts on from the master's, which the master then
 * takes; with a counter of its own for sending, a returning router's
 * adverts are replays to the master (two masters).
 */
START_TEST(ah_seq_shared)
{
	uint32_t a = 0, b = 0, fresh = 0;
	int i;

	/* b master for a while: a (backup) follows its numbers */
	for (i = 0; i < 76; i++)
		ck_assert_int_eq(ah_hop(&b, "10.0.0.3", &a), VRRP_OK);
	ck_assert_uint_eq(a, 76);
	ck_assert_uint_eq(b, 76);
	/* a preempts: its adverts go on from b's, and b takes them */
	ck_assert_int_eq(ah_hop(&a, "10.0.0.1", &b), VRRP_OK);
	ck_assert_uint_eq(b, 77);
	/* b restarts from 0, hears a, then preempts a in turn */
	b = 0;
	ck_assert_int_eq(ah_hop(&a, "10.0.0.1", &b), VRRP_OK);
	ck_assert_int_eq(ah_hop(&b, "10.0.0.3", &a), VRRP_OK);
	ck_assert_uint_eq(a, 79);
	/* a router that heard nothing (counter 0) replays to a */
	ck_assert_int_eq(ah_hop(&fresh, "10.0.0.5", &a), VRRP_DROP_AUTH);
	ck_assert_uint_eq(a, 79);
	/* the counter stops short of wrapping to 0 */
	a = 0xfffffffdu;
	ck_assert_uint_eq(vrrp_pkt_ah_next_seq(&a), 0xfffffffeu);
	ck_assert_uint_eq(vrrp_pkt_ah_next_seq(&a), 0xfffffffeu);
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
	/* a unicast instance that checks no TTL range (keepalived) */
	e.ttl_range = 1;
	e.ttl_min = 0;
	e.ttl_max = 255;
	ck_assert_int_eq(vrrp_pkt_check(&p, &e, &differ), VRRP_OK);

	/* multicast: the TTL is covered (the range above lets the
	 * digest be what drops it) */
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

static Suite *
vrrp_auth_suite(void)
{
	Suite *s = suite_create("vrrp_auth");
	TCase *tc = tcase_create("check");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, auth_type_mismatch);
	tcase_add_test(tc, wrong_password);
	tcase_add_test(tc, ah_wrong_digest);
	tcase_add_test(tc, ah_spi);
	tcase_add_test(tc, ah_replay);
	tcase_add_test(tc, ah_seq_shared);
	tcase_add_test(tc, ah_unicast_ttl);
	tcase_add_test(tc, v2_interval);
	tcase_add_test(tc, addrs_differ);
	tcase_add_test(tc, old_unicast_checksum);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return check_run(vrrp_auth_suite());
}

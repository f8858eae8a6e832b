/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The IPVS backend's translation of desired services and destinations
 * into kernel ones (no kernel needed): a group expands to one service
 * per address of its ranges and per fwmark, scheduler flags, persistence
 * and tunnel settings map to the kernel's, and the mirror's dirty lists. */
#include "autoconfig.h"

#include <arpa/inet.h>
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "healthcheck/ipvs_mirror.h"
#include "check_run.h"

static struct ipvs_svc got[8];
static int ngot;

static int
collect(void *arg, const struct ipvs_svc *s)
{
	(void)arg;
	if (ngot < 8)
		got[ngot++] = *s;
	return 0;
}

START_TEST(a_group_expands_per_address_and_fwmark)
{
	struct chk_conf_vsg_entry fw = { .is_fwmark = 1, .fwmark = 9 };
	struct chk_conf_vsg_entry r = { .next = &fw, .port = 8080 };
	struct chk_vsg_conf g = { .name = "G1", .entries = &r, .nentries = 2 };
	struct dp_service ds = { .kind = CHK_VS_GROUP, .protocol = IPPROTO_TCP,
	    .family = AF_INET, .group = &g, .sched = "sh",
	    .flags = CHK_VS_F_FLAG2 | CHK_VS_F_ONEPACKET,
	    .persistence_timeout = 60 };
	char n[IPVS_SVC_NAME_LEN];

	addr_parse("10.9.2.254", &r.lo);
	addr_parse("10.9.3.1", &r.hi);
	ngot = 0;
	ck_assert_int_eq(km_expand(&ds, collect, NULL), 5);
	ck_assert_str_eq(ipvs_svc_name(&got[0], n, sizeof(n)), "TCP [10.9.2.254]:8080");
	ck_assert_str_eq(ipvs_svc_name(&got[1], n, sizeof(n)), "TCP [10.9.2.255]:8080");
	ck_assert_str_eq(ipvs_svc_name(&got[3], n, sizeof(n)), "TCP [10.9.3.1]:8080");
	ck_assert_str_eq(ipvs_svc_name(&got[4], n, sizeof(n)), "FWM 9");
	ck_assert_str_eq(got[4].sched, "sh");
	ck_assert_uint_eq(got[4].flags, IPVS_SVC_SCHED2 | IPVS_SVC_ONEPACKET |
	    IPVS_SVC_PERSISTENT);
	ck_assert_uint_eq(got[0].timeout, 60);
	ck_assert_uint_eq(got[0].netmask, 0xffffffffu);
}
END_TEST

START_TEST(destinations_map_to_the_kernel)
{
	struct dp_dest dd = { .port = 80, .weight = 3, .uthreshold = 9,
	    .lthreshold = 2, .fwd = { CHK_FWD_TUN, CHK_TUN_GUE, 6080,
	    CHK_CSUM_REMOTE } };
	struct ipvs_dest d, e;

	addr_parse("10.0.0.2", &dd.addr);
	km_dest_from(&d, &dd);
	ck_assert_int_eq(d.fwd, IPVS_FWD_TUN);
	ck_assert_int_eq(d.tun_type, IPVS_TUN_GUE);
	ck_assert_uint_eq(d.tun_port, 6080);
	ck_assert_uint_eq(d.tun_flags, IPVS_TUN_REMCSUM);
	ck_assert_uint_eq(d.u_thresh, 9);
	e = d;
	ck_assert(km_dest_same(&d, &e));
	e.weight = 4;
	ck_assert(!km_dest_same(&d, &e));
	dd.fwd.method = CHK_FWD_UNSET;
	km_dest_from(&d, &dd);
	ck_assert_int_eq(d.fwd, IPVS_FWD_NAT);
}
END_TEST

START_TEST(the_mirror_keeps_dirty_entries_once)
{
	struct km m;
	struct ipvs_svc id = { .af = AF_INET, .protocol = IPPROTO_TCP, .port = 80 };
	struct km_svc *s;
	struct km_dest *d;
	struct vg_addr a;

	addr_parse("10.0.0.1", &id.addr);
	addr_parse("10.0.0.2", &a);
	km_init(&m);
	s = km_svc_get(&m, &id);
	ck_assert_ptr_eq(km_svc_get(&m, &id), s);
	d = km_dest_get(&m, s, &a, 80);
	km_dest_dirty(&m, s, d);
	km_dest_dirty(&m, s, d);
	ck_assert_ptr_eq(TAILQ_FIRST(&m.dirty), s);
	ck_assert_ptr_null(TAILQ_NEXT(s, dlink));
	ck_assert_ptr_eq(TAILQ_FIRST(&s->dirty_dests), d);
	ck_assert_ptr_null(TAILQ_NEXT(d, dlink));
	ck_assert_uint_eq(m.ndests, 1);
	/* one per kernel destination (100,000 at 10,000 x 10): its wanted
	 * and known settings without the dumps' counters, within a 256-byte
	 * heap chunk */
	ck_assert_uint_le(sizeof(*d) + 8, 256);
	km_dest_free(&m, s, d);
	ck_assert_uint_eq(m.ndests, 0);
	km_free(&m);
	ck_assert_uint_eq(m.nsvcs, 0);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("ipvs_mirror");
	TCase *tc = tcase_create("mirror");

	tcase_add_test(tc, a_group_expands_per_address_and_fwmark);
	tcase_add_test(tc, destinations_map_to_the_kernel);
	tcase_add_test(tc, the_mirror_keeps_dirty_entries_once);
	suite_add_tcase(s, tc);
	return check_run(s);
}

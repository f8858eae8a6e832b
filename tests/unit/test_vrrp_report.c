/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the VRRP child tells the parent of an instance: the attrs
 * docs/state.md lists, with the values an operator reads in vigilctl,
 * the JSON dumps and the metrics.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipc_msg.h"
#include "log.h"
#include "vrrp/config.h"
#include "vrrp/engine_priv.h"
#include "check_run.h"

static struct vrrp_instance_conf C;
static struct vrrp_conf_ipaddr V1, V2, E1;

static struct vrrp_inst *
mk(void)
{
	struct vrrp_inst *vi;

	memset(&C, 0, sizeof(C));
	C.name = (char *)"VI_1";
	C.interface = (char *)"eth0";
	C.p.vrid = 51;
	C.p.family = AF_INET;
	C.p.version = 3;
	C.p.priority = 150;
	C.p.advert_int = 50000;		/* 0.05 s */
	C.p.state = VRRP_INIT_BACKUP;
	C.p.down_timer_adverts = VRRP_UNSET;
	C.p.lower_prio_no_advert = VRRP_UNSET;
	C.p.higher_prio_send_advert = VRRP_UNSET;
	memset(&V1, 0, sizeof(V1));
	memset(&V2, 0, sizeof(V2));
	addr_parse("10.0.0.100", &V1.p.addr);
	V1.p.prefix = 24;
	addr_parse("10.0.0.101", &V2.p.addr);
	V2.p.prefix = 32;
	V1.next = &V2;
	C.vips.first = &V1;
	C.vips.n = 2;
	vi = vrrp_inst_new(&C, NULL);
	ck_assert_ptr_nonnull(vi);
	return vi;
}

static void
has(const char *attrs, const char *key, const char *want)
{
	char v[1024];

	ck_assert_msg(ipc_attrs_get(attrs, key, v, sizeof(v)) == 1,
	    "no %s in:\n%s", key, attrs);
	ck_assert_str_eq(v, want);
}

static void
lacks(const char *attrs, const char *key)
{
	char v[64];

	ck_assert_msg(ipc_attrs_get(attrs, key, v, sizeof(v)) == 0,
	    "%s=%s is there", key, v);
}

START_TEST(instance_attrs)
{
	struct vrrp_engine e;
	struct vrrp_inst *vi = mk();
	struct ipc_attrs a;

	memset(&e, 0, sizeof(e));
	vi->state = VRRP_STATE_BACKUP;
	vi->track_delta = -20;
	vi->prio = 130;
	vi->rx = 7;
	vi->tx = 3;
	vi->prio0_tx = 1;
	vi->prio0_rx = 2;
	vi->transitions = 4;
	vi->became_master = 2;
	vi->released_master = 1;
	vi->since = 1700000000;
	vi->since_usec = 4200;
	vi->drops[VRRP_DROP_TTL] = 5;
	vi->drops[VRRP_DROP_AUTH] = 1;
	vi->drops[VRRP_DROP_AUTH_TYPE] = 2;
	vi->drops[VRRP_DROP_INVALID_AUTH_TYPE] = 4;
	ipc_attrs_init(&a);
	vrrp_report_attrs(&e, vi, &a);
	ck_assert_uint_eq(a.dropped, 0);
	has(a.buf, "interface", "eth0");
	has(a.buf, "vrid", "51");
	has(a.buf, "version", "3");
	has(a.buf, "family", "inet");
	has(a.buf, "priority", "150");
	has(a.buf, "effective_priority", "130");
	has(a.buf, "advert_int_ms", "50");
	has(a.buf, "vips", "10.0.0.100/24 10.0.0.101/32");
	/* keepalived's format_ipaddress(): the prefix only when not the
	 * whole address, "set" only when on an interface (none here) */
	has(a.buf, "vip_lines", "10.0.0.100/24 dev eth0 scope global\t"
	    "10.0.0.101 dev eth0 scope global");
	lacks(a.buf, "evip_lines");
	has(a.buf, "vips_present", "0");
	has(a.buf, "preempt", "1");
	has(a.buf, "forced_backup", "0");
	has(a.buf, "adverts_received", "7");
	has(a.buf, "adverts_sent", "3");
	has(a.buf, "priority_zero_sent", "1");
	has(a.buf, "priority_zero_received", "2");
	has(a.buf, "transitions", "4");
	has(a.buf, "became_master", "2");
	has(a.buf, "released_master", "1");
	has(a.buf, "last_transition", "1700000000.004200");
	has(a.buf, "drops_ttl", "5");
	has(a.buf, "drops_checksum", "0");
	/* keepalived's auth errors: invalid type, type mismatch, failure */
	has(a.buf, "drops_invalid_auth_type", "4");
	has(a.buf, "drops_auth_type", "2");
	has(a.buf, "drops_auth", "1");
	has(a.buf, "auth_failures", "7");
	/* never MASTER yet: notMaster(0) */
	has(a.buf, "new_master_reason", "0");
	/* unknown: left out, never empty */
	lacks(a.buf, "master");
	lacks(a.buf, "master_priority");
	lacks(a.buf, "master_heard");
	lacks(a.buf, "auth_failure_src");
	lacks(a.buf, "link_ifindex");
	lacks(a.buf, "sync_group");

	/* a master heard, forced, nopreempt */
	addr_parse("10.0.0.9", &vi->master_addr);
	vi->master_prio = 200;
	vi->forced_backup = 1;
	C.p.nopreempt = 1;
	ipc_attrs_init(&a);
	vrrp_report_attrs(&e, vi, &a);
	has(a.buf, "master", "10.0.0.9");
	has(a.buf, "master_priority", "200");
	has(a.buf, "forced_backup", "1");
	has(a.buf, "preempt", "0");

	/* MASTER after the master stopped, the last advert taken from
	 * 10.0.0.9, the last bad one from 10.0.0.66 */
	addr_parse("10.0.0.9", &vi->heard_addr);
	addr_parse("10.0.0.66", &vi->auth_err_src);
	vi->master_reason = VRRP_REASON_PRIORITY;
	ipc_attrs_init(&a);
	vrrp_report_attrs(&e, vi, &a);
	has(a.buf, "master_heard", "10.0.0.9");
	has(a.buf, "auth_failure_src", "10.0.0.66");
	has(a.buf, "new_master_reason", "1");

	/* its own link (VMAC or ipvlan) made: its ifindex */
	vi->vmac_ifindex = 42;
	ipc_attrs_init(&a);
	vrrp_report_attrs(&e, vi, &a);
	has(a.buf, "link_ifindex", "42");
	vi->vmac_ifindex = 0;

	/* an address of its own: its dev, scope, label, flags; excluded
	 * addresses on a line of their own */
	V2.dev = (char *)"eth1";
	V2.label = (char *)"eth1:vip";
	V2.p.scope = 253;
	V2.p.flags = VRRP_IPA_NO_TRACK;
	V2.track_group = (char *)"TG";
	memset(&E1, 0, sizeof(E1));
	addr_parse("fd00::1", &E1.p.addr);
	E1.p.prefix = 64;
	C.evips.first = &E1;
	C.evips.n = 1;
	ipc_attrs_init(&a);
	vrrp_report_attrs(&e, vi, &a);
	has(a.buf, "vip_lines", "10.0.0.100/24 dev eth0 scope global\t"
	    "10.0.0.101 dev eth1 scope link label eth1:vip no_track "
	    "track_group TG");
	has(a.buf, "evip_lines", "fd00::1/64 dev eth0 scope global "
	    "preferred_lft forever");
	vrrp_inst_free(vi);
}
END_TEST

START_TEST(attrs_keys_are_clean)
{
	struct vrrp_engine e;
	struct vrrp_inst *vi = mk();
	struct ipc_attrs a;
	const char *p, *k, *v;
	size_t kl, vl;
	unsigned n = 0;

	memset(&e, 0, sizeof(e));
	ipc_attrs_init(&a);
	vrrp_report_attrs(&e, vi, &a);
	p = a.buf;
	while (ipc_attrs_next(&p, &k, &kl, &v, &vl)) {
		ck_assert_uint_gt(kl, 0);
		ck_assert_uint_gt(vl, 0);
		for (size_t i = 0; i < kl; i++)
			ck_assert(strchr("abcdefghijklmnopqrstuvwxyz"
			    "0123456789_", k[i]) != NULL);
		n++;
	}
	ck_assert_uint_ge(n, 20);
	vrrp_inst_free(vi);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("vrrp_report");
	TCase *tc = tcase_create("attrs");

	tcase_add_test(tc, instance_attrs);
	tcase_add_test(tc, attrs_keys_are_clean);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	log_init("test_vrrp_report", LOG_F_STDERR, LOG_DAEMON, 0);
	return check_run(suite());
}

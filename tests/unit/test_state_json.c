/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The state store as JSON (daemon/state_json.c) and the object names an
 * operator types (daemon/objname.c): attrs come out typed as docs/json.md
 * says, real servers sit in their virtual server, runtime overrides show
 * on the object they act on, filters pick what was named, and a child's
 * bad values come out as null instead of breaking the document.
 */
#define _GNU_SOURCE
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "daemon/objname.h"
#include "daemon/state.h"
#include "daemon/state_json.h"
#include "ipc_msg.h"
#include "check_run.h"
#include "state_feed.h"

#define VS1 "[10.0.0.1]:TCP:80"
#define VS2 "fwmark 7"

static void
feed(struct state_store *st, const struct ipc_obj *objs, size_t n)
{
	state_feed(st, 3, objs, n);
}

static const struct ipc_obj lab[] = {
	{ "vrrp_instance", "VI_1", "MASTER", "higher priority", 3, 0, 150, 100,
	    "interface=eth0\nvrid=51\npriority=150\nvips=10.0.0.100/24 "
	    "10.0.0.101/24\npreempt=1\nadverts_sent=42\ndrops_bad_ttl=2\n"
	    "advert_int_ms=1000\nsync_group=G1\nmaster=10.0.0.5\n"
	    "new_master_reason=3\nmaster_heard=10.0.0.7" },
	{ "vrrp_instance", "VI_2", "BACKUP", "", 3, 0, 100, 100,
	    "vrid=oops\nforced_backup=0" },
	{ "vrrp_sync_group", "G1", "MASTER", "", 3, 0, IPC_OBJ_NO_WEIGHT, 100,
	    "members=VI_1" },
	{ "virtual_server", VS1, "up", "", 3, 0, 4, 100,
	    "protocol=TCP\naddress=10.0.0.1\nport=80\nquorum_up=1\n"
	    "check_latency_buckets=0.001:1 0.01:3 +Inf:4\n"
	    "check_latency_sum_seconds=0.0125\ncheck_latency_count=4" },
	{ "real_server", VS1 " / [10.0.0.2]:80", "up", "", 3, 0, 3, 100,
	    "weight=3\nchecker=TCP_CHECK,HTTP_GET\nlast_latency_us=812\n"
	    "failures_timeout=5\nlast_result=ok" },
	{ "real_server", VS1 " / [10.0.0.3]:80", "down", "connect refused",
	    3, 0, IPC_OBJ_NO_WEIGHT, 100, "weight=1" },
	{ "virtual_server", VS2, "down", "", 3, 0, 0, 0, "fwmark=7" },
	{ "real_server", VS2 " / [10.0.0.2]:80", "up", "", 3, 0, 1, 100, "" },
};

START_TEST(json_typed_and_nested)
{
	struct state_store st;
	json_t *d, *vi, *vs, *rs, *h;

	state_init(&st);
	feed(&st, lab, sizeof(lab) / sizeof(lab[0]));
	ck_assert_int_eq(state_override_set(&st, "real_server",
	    VS1 " / [10.0.0.2]:80", 9, IPC_OBJ_DRAIN), 0);
	d = state_json_doc(3, STATE_JSON_ALL);
	ck_assert_int_eq(state_json_add_store(d, &st, STATE_JSON_ALL, NULL), 0);
	ck_assert_int_eq(json_integer_value(json_object_get(d, "version")),
	    STATE_JSON_VERSION);
	ck_assert_int_eq(json_integer_value(json_object_get(d, "generation")),
	    3);

	ck_assert_uint_eq(json_array_size(json_object_get(d,
	    "vrrp_instances")), 2);
	vi = json_array_get(json_object_get(d, "vrrp_instances"), 0);
	ck_assert_str_eq(json_string_value(json_object_get(vi, "name")),
	    "VI_1");
	ck_assert_str_eq(json_string_value(json_object_get(vi, "state")),
	    "MASTER");
	ck_assert(json_is_integer(json_object_get(vi, "vrid")));
	ck_assert_int_eq(json_integer_value(json_object_get(vi, "vrid")), 51);
	ck_assert_int_eq(json_integer_value(json_object_get(vi,
	    "effective_priority")), 150);
	ck_assert_int_eq(json_integer_value(json_object_get(vi,
	    "drops_bad_ttl")), 2);
	ck_assert_int_eq(json_integer_value(json_object_get(vi,
	    "advert_int_ms")), 1000);
	ck_assert(json_is_true(json_object_get(vi, "preempt")));
	ck_assert_uint_eq(json_array_size(json_object_get(vi, "vips")), 2);
	ck_assert_str_eq(json_string_value(json_array_get(json_object_get(vi,
	    "vips"), 1)), "10.0.0.101/24");
	ck_assert_str_eq(json_string_value(json_object_get(vi, "master")),
	    "10.0.0.5");
	ck_assert_int_eq(json_integer_value(json_object_get(vi,
	    "new_master_reason")), 3);
	ck_assert_str_eq(json_string_value(json_object_get(vi,
	    "master_heard")), "10.0.0.7");
	ck_assert(json_is_null(json_object_get(vi, "override")));
	/* a child's bad number: null, the rest intact */
	vi = json_array_get(json_object_get(d, "vrrp_instances"), 1);
	ck_assert(json_is_null(json_object_get(vi, "vrid")));
	ck_assert(json_is_false(json_object_get(vi, "forced_backup")));
	ck_assert_str_eq(json_string_value(json_array_get(json_object_get(
	    json_array_get(json_object_get(d, "vrrp_sync_groups"), 0),
	    "members"), 0)), "VI_1");

	ck_assert_uint_eq(json_array_size(json_object_get(d,
	    "virtual_servers")), 2);
	vs = json_array_get(json_object_get(d, "virtual_servers"), 0);
	ck_assert_str_eq(json_string_value(json_object_get(vs, "name")), VS1);
	ck_assert(json_is_true(json_object_get(vs, "quorum_up")));
	ck_assert_int_eq(json_integer_value(json_object_get(vs, "port")), 80);
	ck_assert_int_eq(json_integer_value(json_object_get(vs,
	    "weight_sum")), 4);
	ck_assert(json_is_real(json_object_get(vs,
	    "check_latency_sum_seconds")));
	h = json_object_get(vs, "check_latency_buckets");
	ck_assert_uint_eq(json_array_size(h), 3);
	ck_assert_int_eq(json_integer_value(json_object_get(json_array_get(h,
	    1), "count")), 3);
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(h,
	    2), "le")), "+Inf");
	ck_assert_uint_eq(json_array_size(json_object_get(vs,
	    "real_servers")), 2);
	rs = json_array_get(json_object_get(vs, "real_servers"), 0);
	ck_assert_str_eq(json_string_value(json_object_get(rs, "real")),
	    "[10.0.0.2]:80");
	ck_assert_int_eq(json_integer_value(json_object_get(rs, "weight")), 3);
	ck_assert_int_eq(json_integer_value(json_object_get(rs,
	    "configured_weight")), 3);
	ck_assert_int_eq(json_integer_value(json_object_get(rs,
	    "last_latency_us")), 812);
	ck_assert_int_eq(json_integer_value(json_object_get(rs,
	    "failures_timeout")), 5);
	ck_assert_str_eq(json_string_value(json_array_get(json_object_get(rs,
	    "checker"), 1)), "HTTP_GET");
	ck_assert(json_is_true(json_object_get(json_object_get(rs,
	    "override"), "drained")));
	ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(
	    rs, "override"), "weight")), 9);
	rs = json_array_get(json_object_get(vs, "real_servers"), 1);
	ck_assert(json_is_null(json_object_get(rs, "weight")));
	ck_assert(json_is_false(json_object_get(rs, "in_table")));
	ck_assert_str_eq(json_string_value(json_object_get(rs, "detail")),
	    "connect refused");
	json_decref(d);
	state_fini(&st);
}
END_TEST

START_TEST(json_filters)
{
	struct state_store st;
	json_t *d;

	state_init(&st);
	feed(&st, lab, sizeof(lab) / sizeof(lab[0]));
	/* an instance by name; a sync group names its members */
	d = state_json_doc(3, STATE_JSON_VRRP);
	ck_assert_int_eq(state_json_add_store(d, &st, STATE_JSON_VRRP,
	    "VI_2"), 0);
	ck_assert_uint_eq(json_array_size(json_object_get(d,
	    "vrrp_instances")), 1);
	ck_assert_ptr_null(json_object_get(d, "virtual_servers"));
	json_decref(d);
	d = state_json_doc(3, STATE_JSON_VRRP);
	state_json_add_store(d, &st, STATE_JSON_VRRP, "G1");
	ck_assert_uint_eq(json_array_size(json_object_get(d,
	    "vrrp_instances")), 1);
	ck_assert_uint_eq(json_array_size(json_object_get(d,
	    "vrrp_sync_groups")), 1);
	json_decref(d);
	/* a virtual server as typed */
	d = state_json_doc(3, STATE_JSON_CHECKS);
	state_json_add_store(d, &st, STATE_JSON_CHECKS, "10.0.0.1:80");
	ck_assert_uint_eq(json_array_size(json_object_get(d,
	    "virtual_servers")), 1);
	json_decref(d);
	/* a real server: in each virtual server holding it */
	d = state_json_doc(3, STATE_JSON_CHECKS);
	state_json_add_store(d, &st, STATE_JSON_CHECKS, "10.0.0.2:80");
	ck_assert_uint_eq(json_array_size(json_object_get(d,
	    "virtual_servers")), 2);
	ck_assert_uint_eq(json_array_size(json_object_get(json_array_get(
	    json_object_get(d, "virtual_servers"), 0), "real_servers")), 1);
	json_decref(d);
	/* nothing by that name: empty, not an error */
	d = state_json_doc(3, STATE_JSON_ALL);
	state_json_add_store(d, &st, STATE_JSON_ALL, "nope");
	ck_assert_uint_eq(json_array_size(json_object_get(d,
	    "virtual_servers")), 0);
	ck_assert_uint_eq(json_array_size(json_object_get(d,
	    "vrrp_instances")), 0);
	json_decref(d);
	state_fini(&st);
}
END_TEST

START_TEST(json_runtime_added)
{
	struct state_store st;
	json_t *d, *rs;

	state_init(&st);
	feed(&st, lab, sizeof(lab) / sizeof(lab[0]));
	ck_assert_int_eq(state_override_set_attrs(&st, "real_server",
	    VS1 " / [10.0.0.9]:80", 5, IPC_OBJ_ADDED,
	    "virtual_server=" VS1 "\narg=weight\narg=5"), 0);
	d = state_json_doc(3, STATE_JSON_CHECKS);
	state_json_add_store(d, &st, STATE_JSON_CHECKS, NULL);
	rs = json_array_get(json_object_get(json_array_get(json_object_get(d,
	    "virtual_servers"), 0), "real_servers"), 2);
	ck_assert_ptr_nonnull(rs);
	ck_assert_str_eq(json_string_value(json_object_get(rs, "real")),
	    "[10.0.0.9]:80");
	ck_assert(json_is_true(json_object_get(json_object_get(rs,
	    "override"), "added")));
	json_decref(d);
	state_fini(&st);
}
END_TEST

START_TEST(json_hostile_attrs)
{
	json_t *j;

	j = state_json_attrs("vrid=\nvips=\nchecker=,,\n"
	    "check_latency_buckets=x 1: :2 0.1:y\nnoequals\n=v\n"
	    "priority=99999999999999999999999\nlast_latency_us=-");
	ck_assert_ptr_nonnull(j);
	ck_assert(json_is_null(json_object_get(j, "vrid")));
	ck_assert(json_is_null(json_object_get(j, "priority")));
	ck_assert_uint_eq(json_array_size(json_object_get(j, "vips")), 0);
	ck_assert_uint_eq(json_array_size(json_object_get(j, "checker")), 0);
	ck_assert(json_is_array(json_object_get(j, "check_latency_buckets")));
	json_decref(j);
}
END_TEST

START_TEST(names)
{
	char b[OBJNAME_REAL_MAX], vs[256], real[64];

	ck_assert_int_eq(objname_real("10.0.0.2:80", b, sizeof(b)), 0);
	ck_assert_str_eq(b, "[10.0.0.2]:80");
	ck_assert_int_eq(objname_real("[2001:db8:0::1]:443", b, sizeof(b)), 0);
	ck_assert_str_eq(b, "[2001:db8::1]:443");
	ck_assert_int_eq(objname_real("2001:db8::1:443", b, sizeof(b)), -1);
	ck_assert_int_eq(objname_real("10.0.0.2", b, sizeof(b)), -1);
	ck_assert_int_eq(objname_real("10.0.0.2:", b, sizeof(b)), -1);
	ck_assert_int_eq(objname_real("10.0.0.2:99999", b, sizeof(b)), -1);
	ck_assert_int_eq(objname_real("host:80", b, sizeof(b)), -1);
	ck_assert_int_eq(objname_real("", b, sizeof(b)), -1);

	ck_assert_int_eq(objname_rs_split("group a / b:TCP / [10.0.0.2]:80",
	    vs, sizeof(vs), real, sizeof(real)), 0);
	ck_assert_str_eq(vs, "group a / b:TCP");
	ck_assert_str_eq(real, "[10.0.0.2]:80");
	ck_assert_int_eq(objname_rs_split("nosep", vs, sizeof(vs), real,
	    sizeof(real)), -1);

	ck_assert(objname_vs_match(VS1, VS1));
	ck_assert(objname_vs_match(VS1, "10.0.0.1:80"));
	ck_assert(objname_vs_match(VS1, "10.0.0.1:80/tcp"));
	ck_assert(!objname_vs_match(VS1, "10.0.0.1:80/udp"));
	ck_assert(!objname_vs_match(VS1, "10.0.0.1:81"));
	ck_assert(objname_vs_match("[2001:db8::1]:UDP:53",
	    "[2001:db8::1]:53"));
	ck_assert(objname_vs_match("fwmark 7 (inet6)", "fwmark 7"));
	ck_assert(!objname_vs_match("fwmark 77", "fwmark 7"));
	ck_assert(objname_vs_match("group web:TCP", "group web"));
	ck_assert(!objname_vs_match("group webx:TCP", "group web"));
	ck_assert(!objname_vs_match(VS1, ""));
	ck_assert(!objname_vs_match(VS1, "[10.0.0.1"));
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("state_json");
	TCase *tc = tcase_create("state_json");

	tcase_add_test(tc, json_typed_and_nested);
	tcase_add_test(tc, json_filters);
	tcase_add_test(tc, json_runtime_added);
	tcase_add_test(tc, json_hostile_attrs);
	tcase_add_test(tc, names);
	suite_add_tcase(s, tc);
	return check_run(s);
}

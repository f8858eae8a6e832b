/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * keepalived's dump shapes from the state store (daemon/dump_ka.c): the
 * lines and keys scripts written for /tmp/keepalived.data,
 * keepalived_check.data, .stats and .json look for, with the values the
 * children reported, and vigil's drop reasons summed into keepalived's
 * error counters.
 */
#include "autoconfig.h"

#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "daemon/dump_ka.h"
#include "daemon/state.h"
#include "daemon/supervisor_int.h"
#include "global_conf.h"
#include "subsys.h"
#include "check_run.h"
#include "state_feed.h"

static void
feed(struct state_store *st, const struct ipc_obj *objs, size_t n)
{
	state_feed(st, 3, objs, n);
}

static const struct ipc_obj lab[] = {
	{ "vrrp_instance", "VI_1", "MASTER", "higher priority", 3, 0, 150,
	    1700000000, "interface=eth0\nvrf=blue\nvrid=51\nversion=3\n"
	    "priority=150\n"
	    "vips=10.0.0.100/24 10.0.0.101/24\npreempt=1\nadverts_sent=42\n"
	    "adverts_received=7\nbecame_master=1\ndrops_ttl=2\n"
	    "drops_short=1\ndrops_count=3\nadvert_int_ms=1000\n"
	    "released_master=2\nlast_transition=1700000000.004200\n"
	    "drops_invalid_auth_type=5\ndrops_auth_type=6\ndrops_auth=8\n"
	    "auth_failures=19" },
	{ "vrrp_instance", "VI_2", "BACKUP", "", 3, 0, 100, 1700000001,
	    "master=10.0.0.5\nmaster_priority=150\npreempt=0\nversion=2\n"
	    "advert_int_ms=3000\nmaster_advert_int_ms=3000" },
	{ "vrrp_instance", "VI6", "BACKUP", "", 3, 0, 100, 0,
	    "version=3\nfamily=inet6\nmaster=fe80::2\nmaster_priority=200\n"
	    "advert_int_ms=500\nmaster_advert_int_ms=1000\n"
	    "vips=fe80::1/64 fd00::1/128\n"
	    "vip_lines=fe80::1/64 dev eth0 scope global set\t"
	    "fd00::1 dev eth1 scope global preferred_lft forever set\n"
	    "evip_lines=10.0.0.9 dev eth0 scope global" },
	{ "vrrp_sync_group", "G1", "MASTER", "", 3, 0, IPC_OBJ_NO_WEIGHT, 0,
	    "members=VI_1 VI_2" },
	{ "vrrp_sync_group", "G2", "not started", "", 3, 0,
	    IPC_OBJ_NO_WEIGHT, 0, "" },
	{ "virtual_server", "[10.0.0.1]:tcp:80", "up", "", 3, 0, 3, 0,
	    "protocol=TCP\naddress=10.0.0.1\nport=80\nscheduler=wlc\n"
	    "forwarding=DR\nquorum=1\nhysteresis=0\n"
	    "sorry_server=10.0.0.13:80" },
	{ "real_server", "[10.0.0.1]:tcp:80 / [10.0.0.2]:80", "up", "", 3, 0,
	    3, 0, "address=10.0.0.2\nport=80\nweight=3" },
	{ "real_server", "[10.0.0.1]:tcp:80 / [10.0.0.3]:80", "down",
	    "connection refused", 3, 0, IPC_OBJ_NO_WEIGHT, 0, "" },
	{ "virtual_server", "fwmark 7", "down", "", 3, 0, 0, 0,
	    "protocol=fwmark\nfwmark=7\nquorum=1\nhysteresis=0\n"
	    "sorry_server=[fd00::13]:8080" },
	{ "virtual_server", "group web", "up", "", 3, 0, 0, 0,
	    "protocol=UDP\ngroup=web" },
};

/* keepalived's dump_global_data() head of both files, the lines vigil
 * knows, in keepalived's order */
static const char global_head[] =
    "------< Global definitions >------\n"
    " Network namespace = (default)\n"
    " Network namespace ipvs = (main namespace)\n"
    " Instance name = blue\n"
    " Router ID = dir1\n"
    " Use instance name in data dumps\n";

static struct supervisor sv;
static struct vigil_config cfg;
static struct global_conf global;

static void
setup(void)
{
	setenv("TZ", "UTC", 1);
	tzset();
	memset(&sv, 0, sizeof(sv));
	memset(&cfg, 0, sizeof(cfg));
	memset(&global, 0, sizeof(global));
	global.router_id = (char *)"dir1";
	global.instance = (char *)"blue";
	global.data_use_instance = 1;
	cfg.conf[CONF_OWNER_GLOBAL] = &global;
	sv.cfg = &cfg;
	sv.nslots = 1;
	state_init(&sv.slots[0].st);
	feed(&sv.slots[0].st, lab, sizeof(lab) / sizeof(lab[0]));
}

static void
teardown(void)
{
	state_fini(&sv.slots[0].st);
}

static char *
out(void (*fn)(FILE *, const struct supervisor *))
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);

	fn(fp, &sv);
	fclose(fp);
	return buf;
}

#define HAS(t, s) ck_assert_msg(strstr(t, s) != NULL, "missing: %s\n%s", s, t)

/* keepalived.data: the global definitions, then the VRRP part alone */
START_TEST(data_shape)
{
	char *t = out(dump_ka_data);

	ck_assert_msg(strncmp(t, global_head, strlen(global_head)) == 0,
	    "head:\n%s", t);
	HAS(t, "------< VRRP Topology >------\n VRRP Instance = VI_1\n"
	    "   VRRP Version = 3\n   State = MASTER\n"
	    "   Wantstate = MASTER\n");
	/* keepalived's ctime_us_r(): the microseconds, twice */
	HAS(t, "   Last transition = 1700000000.004200 "
	    "(Tue Nov 14 22:13:20.004200 2023)\n"
	    "   Last transition reason = higher priority\n");
	/* no microseconds reported: whole seconds */
	HAS(t, "   Last transition = 1700000001.000000 "
	    "(Tue Nov 14 22:13:21.000000 2023)\n");
	HAS(t, "   Interface = eth0\n   VRF = blue\n   Virtual Router ID = 51\n"
	    "   Priority = 150\n   Effective priority = 150\n"
	    "   Advert interval = 1000 milli-sec\n   Preempt = enabled\n"
	    "   Virtual IP (2):\n     10.0.0.100/24 dev eth0\n"
	    "     10.0.0.101/24 dev eth0\n");
	HAS(t, " VRRP Instance = VI_2\n   VRRP Version = 2\n"
	    "   State = BACKUP\n"
	    "   Master router = 10.0.0.5\n   Master priority = 150\n"
	    "   Wantstate = BACKUP\n");
	/* VRRPv2: whole seconds, no master's interval */
	HAS(t, "   Advert interval = 3 sec\n   Preempt = disabled\n");
	/* IPv6, VRRPv3 backup: the master's interval both ways */
	HAS(t, " VRRP Instance = VI6\n   VRRP Version = 3\n"
	    "   Using Native IPv6\n   State = BACKUP\n"
	    "   Master router = fe80::2\n   Master priority = 200\n"
	    "   Master advert int = 1.00 sec\n   Wantstate = BACKUP\n");
	HAS(t, "   Advert interval = 500 milli-sec\n"
	    "   Master advert interval = 1000 milli-sec\n");
	/* the child's keepalived-shaped lines; excluded ones apart */
	HAS(t, "   Virtual IP (2):\n     fe80::1/64 dev eth0 scope global set\n"
	    "     fd00::1 dev eth1 scope global preferred_lft forever set\n"
	    "   Virtual IP Excluded :\n     10.0.0.9 dev eth0 scope global\n");
	ck_assert_ptr_null(strstr(t, "VS alive"));
	ck_assert_ptr_null(strstr(t, "Master advert interval = 3000"));
	HAS(t, "------< VRRP Sync groups >------\n VRRP Sync Group = G1, MASTER\n"
	    "   VRRP member instances :\n     VI_1\n     VI_2\n");
	/* keepalived's name of the state before the first transition */
	HAS(t, " VRRP Sync Group = G2, INIT\n");
	/* the virtual servers are the checker's file's */
	ck_assert_ptr_null(strstr(t, "LVS Topology"));
	ck_assert_ptr_null(strstr(t, "VS VIP"));
	free(t);
}
END_TEST

/* keepalived_check.data: the same global definitions, then the virtual
 * and real servers alone */
START_TEST(check_data_shape)
{
	char *t = out(dump_ka_check_data);

	ck_assert_msg(strncmp(t, global_head, strlen(global_head)) == 0,
	    "head:\n%s", t);
	HAS(t, "Use instance name in data dumps\n------< LVS Topology >------\n"
	    " System is compiled with LVS v1.2.1\n");
	ck_assert_ptr_null(strstr(t, "VRRP"));
	/* keepalived's dump_vs(): its heads, sorry server as a trio */
	HAS(t, " VS VIP = 10.0.0.1, VPORT = 80\n"
	    "   Address family = inet\n   lvs_sched = wlc\n"
	    "   protocol = TCP\n   quorum = 1, hysteresis = 0\n"
	    "   default forwarding method = DR\n"
	    "   sorry server = [10.0.0.13]:tcp:80\n"
	    "   alive = 1\n   quorum_state_up = 1\n");
	HAS(t, "   ------< Real server >------\n"
	    "   RIP = 10.0.0.2, RPORT = 80, WEIGHT = 3 EFF WEIGHT = 3\n"
	    "   initial weight = 3\n   effective weight = 3\n"
	    "   alive = 1\n");
	HAS(t, "   RS = [10.0.0.3]:80, WEIGHT = 0 EFF WEIGHT = 0\n"
	    "   effective weight = 0\n   alive = 0\n"
	    "   last failure = connection refused\n");
	HAS(t, " VS FWMARK = 7\n   protocol = none\n"
	    "   quorum = 1, hysteresis = 0\n"
	    "   sorry server = [fd00::13]:none:8080\n   alive = 0\n");
	HAS(t, " VS GROUP = [web]:0\n   protocol = UDP\n   alive = 1\n");
	free(t);
}
END_TEST

static const char *
path_of(int which)
{
	static char buf[DUMP_PATH_MAX];

	dump_data_path(&sv, which, buf, sizeof(buf));
	return buf;
}

/* Where the files go: keepalived's names with vigil's, the instance
 * name before the extension with data_use_instance only */
START_TEST(data_paths)
{
	ck_assert_str_eq(path_of(DUMP_MAIN), "/tmp/vigil.blue.data");
	ck_assert_str_eq(path_of(DUMP_CHECK), "/tmp/vigil_check.blue.data");
	global.instance = (char *)"../a/b";	/* stays in /tmp */
	ck_assert_str_eq(path_of(DUMP_CHECK), "/tmp/vigil_check..._a_b.data");
	global.data_use_instance = 0;
	ck_assert_str_eq(path_of(DUMP_MAIN), "/tmp/vigil.data");
	ck_assert_str_eq(path_of(DUMP_CHECK), "/tmp/vigil_check.data");
	global.data_use_instance = 1;
	global.instance = NULL;
	ck_assert_str_eq(path_of(DUMP_MAIN), "/tmp/vigil.data");
	cfg.conf[CONF_OWNER_GLOBAL] = NULL;
	ck_assert_str_eq(path_of(DUMP_CHECK), "/tmp/vigil_check.data");
}
END_TEST

START_TEST(stats_shape)
{
	char *t = out(dump_ka_stats);

	HAS(t, "VRRP Instance: VI_1\n  Advertisements:\n    Received: 7\n"
	    "    Sent: 42\n  Became master: 1\n");
	HAS(t, "  Became master: 1\n  Released master: 2\n"
	    "  Packet Errors:\n    Length: 4\n    TTL: 2\n");
	/* keepalived's three: an unknown type, another type, a failure */
	HAS(t, "  Authentication Errors:\n    Invalid Type: 5\n"
	    "    Type Mismatch: 6\n    Failure: 8\n");
	HAS(t, "VRRP Instance: VI_2\n  Advertisements:\n    Received: 0\n"
	    "    Sent: 0\n  Became master: 0\n  Released master: 0\n");
	HAS(t, "VRRP Instance: VI_2\n");
	free(t);
}
END_TEST

static json_t *
json_out(unsigned version)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);
	json_error_t err;
	json_t *j;

	ck_assert_int_eq(dump_ka_json(fp, &sv, version), 0);
	fclose(fp);
	j = json_loads(buf, 0, &err);
	ck_assert_msg(j != NULL, "bad JSON: %s\n%s", err.text, buf);
	free(buf);
	return j;
}

START_TEST(json_shape)
{
	json_t *j = json_out(0), *d, *s;
	double lt;

	ck_assert(json_is_array(j));
	ck_assert_uint_eq(json_array_size(j), 3);
	d = json_object_get(json_array_get(j, 0), "data");
	s = json_object_get(json_array_get(j, 0), "stats");
	ck_assert_str_eq(json_string_value(json_object_get(d, "iname")), "VI_1");
	ck_assert_str_eq(json_string_value(json_object_get(d, "ifp_ifname")),
	    "eth0");
	ck_assert_int_eq(json_integer_value(json_object_get(d, "state")), 2);
	ck_assert_int_eq(json_integer_value(json_object_get(d, "vrid")), 51);
	ck_assert_int_eq(json_integer_value(json_object_get(d,
	    "base_priority")), 150);
	ck_assert(json_real_value(json_object_get(d, "adver_int")) == 1.0);
	ck_assert(json_is_false(json_object_get(d, "nopreempt")));
	ck_assert_str_eq(json_string_value(json_array_get(json_object_get(d,
	    "vips"), 1)), "10.0.0.101/24 dev eth0");
	ck_assert_int_eq(json_integer_value(json_object_get(s, "advert_sent")),
	    42);
	ck_assert_int_eq(json_integer_value(json_object_get(s, "ip_ttl_err")),
	    2);
	ck_assert_int_eq(json_integer_value(json_object_get(s,
	    "invalid_authtype")), 5);
	ck_assert_int_eq(json_integer_value(json_object_get(s,
	    "authtype_mismatch")), 6);
	ck_assert_int_eq(json_integer_value(json_object_get(s,
	    "auth_failure")), 8);
	ck_assert_int_eq(json_integer_value(json_object_get(s,
	    "release_master")), 2);
	/* the microseconds kept: within a microsecond of ...000.004200 */
	lt = json_real_value(json_object_get(d, "last_transition")) -
	    1700000000.0;
	ck_assert_msg(lt > 0.0041995 && lt < 0.0042005, "last_transition "
	    "%.7f past the second", lt);
	d = json_object_get(json_array_get(j, 1), "data");
	ck_assert_int_eq(json_integer_value(json_object_get(d, "state")), 1);
	ck_assert(json_is_true(json_object_get(d, "nopreempt")));
	d = json_object_get(json_array_get(j, 2), "data");
	ck_assert_str_eq(json_string_value(json_array_get(json_object_get(d,
	    "vips"), 1)), "fd00::1 dev eth1 scope global preferred_lft "
	    "forever set");
	ck_assert_uint_eq(json_array_size(json_object_get(d, "evips")), 1);
	ck_assert_str_eq(json_string_value(json_array_get(json_object_get(d,
	    "evips"), 0)), "10.0.0.9 dev eth0 scope global");
	json_decref(j);

	j = json_out(2);
	ck_assert(json_is_object(j));
	ck_assert_uint_eq(json_array_size(json_object_get(j, "vrrp")), 3);
	json_decref(j);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("dump_ka");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, data_shape);
	tcase_add_test(tc, check_data_shape);
	tcase_add_test(tc, data_paths);
	tcase_add_test(tc, stats_shape);
	tcase_add_test(tc, json_shape);
	suite_add_tcase(s, tc);
	return check_run(s);
}

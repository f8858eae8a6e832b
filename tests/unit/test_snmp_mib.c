/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The SNMP child's view (daemon/snmp_view.c) and MIBs (snmp_mib_ka.c,
 * snmp_mib_rfc.c), without a master agent: GET finds exact OIDs only,
 * GETNEXT walks in OID order and stops at its subtree; a configuration and
 * a store of reported states give the KEEPALIVED-MIB and RFC values
 * keepalived shows (indexes by position, VrrpState numbers, live weights,
 * real servers up, the v3 table's address type index), and a state
 * report changes what is shown.
 */
#include "autoconfig.h"
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conf.h"
#include "daemon/snmp_int.h"
#include "daemon/state.h"
#include "daemon/vconfig.h"
#include "ipc_msg.h"
#include "subsys.h"
#include "vrrp/config.h"
#include "healthcheck/config.h"
#include "bfd/config.h"

#include "check_run.h"

#define KA 1, 3, 6, 1, 4, 1, 9586, 100, 5

/* ---- the view ----------------------------------------------------------- */

START_TEST(cmd_str_program_path)
{
	struct snmp_view w;
	char dir[] = "/tmp/vigil-cmdstr.XXXXXX", real[4096], cmd[4200];
	char want[4300], file[4200], link[4200], other[4200], olink[4200];
	FILE *f;

	/* keepalived's rule: the resolved path, but with the name given
	 * where that names the same file in the resolved directory */
	ck_assert_ptr_nonnull(mkdtemp(dir));
	ck_assert_ptr_nonnull(realpath(dir, real));
	snprintf(file, sizeof(file), "%s/prog", real);
	snprintf(link, sizeof(link), "%s/alias", real);
	snprintf(other, sizeof(other), "%s/sub", real);
	snprintf(olink, sizeof(olink), "%s/sub/elsewhere", real);
	ck_assert_ptr_nonnull(f = fopen(file, "w"));
	fclose(f);
	ck_assert_int_eq(symlink(file, link), 0);
	ck_assert_int_eq(mkdir(other, 0700), 0);
	ck_assert_int_eq(symlink(file, olink), 0);
	ck_assert_int_eq(snmp_view_init(&w), 0);

	snprintf(cmd, sizeof(cmd), "%s/alias arg", dir);
	snprintf(want, sizeof(want), "'%s/alias' 'arg'", real);
	ck_assert_str_eq(snmp_cmd_str(&w, cmd), want);
	/* no such name beside the file: the file's own */
	snprintf(cmd, sizeof(cmd), "%s/sub/elsewhere", dir);
	snprintf(want, sizeof(want), "'%s/prog'", real);
	ck_assert_str_eq(snmp_cmd_str(&w, cmd), want);

	snmp_view_fini(&w);
	unlink(olink);
	rmdir(other);
	unlink(link);
	unlink(file);
	rmdir(dir);
}
END_TEST

START_TEST(view_get_next)
{
	struct snmp_view w;
	const oid entry[] = { 1, 3, 6, 1, 9, 1 };
	const oid root[] = { 1, 3, 6, 1, 9 };
	const oid before[] = { 1, 3, 6 };
	const oid after[] = { 1, 3, 6, 1, 10 };
	oid idx[2] = { 2, 0 };
	const struct snmp_vb *b;

	ck_assert_int_eq(snmp_view_init(&w), 0);
	/* added out of order: column 3 row 2, column 2 rows 2 and 1 */
	snmp_vb_int(snmp_view_cell(&w, entry, 6, 3, idx, 1), ASN_INTEGER, 32);
	snmp_vb_str(&w, snmp_view_cell(&w, entry, 6, 2, idx, 1), "two");
	idx[0] = 1;
	snmp_vb_str(&w, snmp_view_cell(&w, entry, 6, 2, idx, 1), "one");
	snmp_view_sort(&w);

	b = snmp_view_next(&w, before, 3, root, 5);
	ck_assert_ptr_nonnull(b);
	ck_assert_str_eq(b->s, "one");
	b = snmp_view_next(&w, b->name, b->len, root, 5);
	ck_assert_str_eq(b->s, "two");
	b = snmp_view_next(&w, b->name, b->len, root, 5);
	ck_assert_int_eq(b->i, 32);
	ck_assert_ptr_null(snmp_view_next(&w, b->name, b->len, root, 5));
	ck_assert_ptr_null(snmp_view_next(&w, after, 5, root, 5));
	/* GET: exact only */
	ck_assert_ptr_null(snmp_view_get(&w, root, 5));
	ck_assert_ptr_nonnull(snmp_view_get(&w, b->name, b->len));
	/* a subtree that holds nothing: no next inside it */
	ck_assert_ptr_null(snmp_view_next(&w, before, 3, after, 5));
	snmp_view_reset(&w);
	ck_assert_ptr_null(snmp_view_next(&w, before, 3, root, 5));
	snmp_view_fini(&w);
}
END_TEST

/* ---- the MIBs from a configuration and a store --------------------------- */

static const char conf_text[] =
	"global_defs {\n"
	"  router_id lab\n"
	"  enable_traps\n"
	"}\n"
	"vrrp_sync_group G1 {\n"
	"  group {\n"
	"    VI_1\n"
	"    VI_2\n"
	"  }\n"
	"}\n"
	"vrrp_instance VI_1 {\n"
	"  interface lo\n"
	"  virtual_router_id 51\n"
	"  priority 150\n"
	"  advert_int 1\n"
	"  virtual_ipaddress {\n"
	"    10.9.9.1/24\n"
	"    10.9.9.2/24\n"
	"  }\n"
	"}\n"
	"vrrp_instance VI_2 {\n"
	"  interface lo\n"
	"  virtual_router_id 52\n"
	"  version 3\n"
	"  priority 100\n"
	"  advert_int 1\n"
	"  virtual_ipaddress {\n"
	"    10.9.8.1/24\n"
	"  }\n"
	"}\n"
	"virtual_server 10.9.9.1 80 {\n"
	"  lb_algo wlc\n"
	"  lb_kind NAT\n"
	"  protocol TCP\n"
	"  sorry_server 10.9.0.9 80\n"
	"  real_server 10.9.0.1 8081 {\n"
	"    weight 3\n"
	"    TCP_CHECK {\n"
	"    }\n"
	"  }\n"
	"  real_server 10.9.0.2 8082 {\n"
	"    weight 5\n"
	"    TCP_CHECK {\n"
	"    }\n"
	"  }\n"
	"}\n";

/* What instances and sync groups track, static and virtual routes and
 * rules, a virtual server group, the sync daemon. */
static const char track_text[] =
	"global_defs {\n"
	"  lvs_sync_daemon eth7 VI_B\n"
	"  lvs_timeouts tcp 900 udp 60\n"
	"}\n"
	"vrrp_script s_used {\n"
	"  script \"/bin/true arg\"\n"
	"  interval 2\n"
	"  weight 5\n"
	"  rise 3\n"
	"}\n"
	"vrrp_script s_unused {\n"
	"  script /bin/true\n"
	"}\n"
	"vrrp_script s_group {\n"
	"  script /bin/false\n"
	"  weight -3\n"
	"}\n"
	"vrrp_track_file f1 {\n"
	"  file /tmp/none\n"
	"  weight 2\n"
	"}\n"
	"vrrp_track_process p1 {\n"
	"  process sleep 100\n"
	"  weight 4\n"
	"  quorum 2\n"
	"}\n"
	"static_ipaddress {\n"
	"  10.8.0.5/24 dev lo\n"
	"}\n"
	"static_routes {\n"
	"  10.7.0.0/16 via 10.8.0.254 dev lo\n"
	"  2001:db8:7::/64 via 2001:db8:8::1 dev lo pref high expires 300\n"
	"}\n"
	"static_rules {\n"
	"  from 10.8.0.5 table 101 priority 300\n"
	"}\n"
	"vrrp_sync_group G {\n"
	"  group {\n"
	"    VI_A\n"
	"  }\n"
	"  track_script {\n"
	"    s_group\n"
	"  }\n"
	"}\n"
	"vrrp_instance VI_A {\n"
	"  interface lo\n"
	"  virtual_router_id 1\n"
	"  virtual_ipaddress {\n"
	"    10.8.0.1/24\n"
	"  }\n"
	"}\n"
	"vrrp_instance VI_B {\n"
	"  interface lo\n"
	"  virtual_router_id 2\n"
	"  virtual_ipaddress {\n"
	"    10.8.0.2/24\n"
	"  }\n"
	"  track_interface {\n"
	"    lo\n"
	"    eth9 weight -10 reverse\n"
	"  }\n"
	"  track_script {\n"
	"    s_used\n"
	"    s_group weight 7\n"
	"  }\n"
	"  track_file {\n"
	"    f1 weight 9\n"
	"  }\n"
	"  track_process {\n"
	"    p1\n"
	"  }\n"
	"  virtual_routes {\n"
	"    10.6.0.0/24 via 10.8.0.254 dev lo metric 7\n"
	"    blackhole 10.5.0.0/24\n"
	"    10.4.0.0/24 via 10.8.0.254 dev lo mtu lock 1400 rtt 30ms "
	"rttvar lock 12ms advmss 1300 quickack 1 features ecn congctl lock "
	"cubic realms 3/4 hoplimit 64 fastopen_no_cookie 1\n"
	"  }\n"
	"  virtual_rules {\n"
	"    to 10.6.0.0/24 table 100 priority 200\n"
	"  }\n"
	"}\n"
	"virtual_server_group VSG {\n"
	"  10.8.0.10 80\n"
	"  fwmark 7\n"
	"  10.8.0.11-13 443\n"
	"}\n";

static struct vigil_config *cfg;
static struct state_store vst, cst;
static struct snmp_settings set;
static struct snmp_view view;

/* an object's record into a store, as a child sends it */
static void
store_obj(struct state_store *st, const struct ipc_obj *o, uint32_t flags)
{
	struct ipc_objbuf b = { 0 };
	struct ipc_state h = { .flags = flags, .generation = 1 };
	char *msg;

	ck_assert_int_eq(ipc_obj_put(&b, o), 0);
	msg = malloc(sizeof(h) + b.len);
	memcpy(msg, &h, sizeof(h));
	memcpy(msg + sizeof(h), b.data, b.len);
	ck_assert_int_eq(state_ipc(st, msg, sizeof(h) + b.len), 0);
	free(msg);
	ipc_objbuf_free(&b);
}

static void
report_attrs(struct state_store *st, const char *kind, const char *name,
    const char *state, int32_t weight, uint32_t flags, const char *attrs)
{
	struct ipc_obj o = { kind, name, state, "", 1, 0, weight, 1, attrs };

	store_obj(st, &o, flags);
}

/* a counters record: only those attrs of an object the store holds */
static void
report_counters(struct state_store *st, const char *kind, const char *name,
    const char *attrs)
{
	struct ipc_obj o = { kind, name, "", "", 1, IPC_OBJ_COUNTERS,
	    IPC_OBJ_NO_WEIGHT, 0, attrs };

	store_obj(st, &o, 0);
}

static void
report(struct state_store *st, const char *kind, const char *name,
    const char *state, int32_t weight, uint32_t flags)
{
	report_attrs(st, kind, name, state, weight, flags, "");
}

static void
build(void)
{
	struct snmp_ctx x = {
		.g = cfg->conf[CONF_OWNER_GLOBAL],
		.vrrp = cfg->conf[CONF_OWNER_VRRP],
		.chk = cfg->conf[CONF_OWNER_CHECK],
		.bfd = cfg->conf[CONF_OWNER_BFD],
		.vrrp_st = &vst,
		.chk_st = &cst,
		.set = &set,
	};

	snmp_view_reset(&view);
	snmp_mib_keepalived(&view, &x);
	snmp_mib_rfc(&view, &x);
	snmp_view_sort(&view);
}

static const struct snmp_vb *
at(const oid *o, size_t len)
{
	const struct snmp_vb *b = snmp_view_get(&view, o, len);

	ck_assert_msg(b != NULL, "no value at the OID asked");
	return b;
}
#define AT(...) at((const oid[]){ __VA_ARGS__ }, \
    sizeof((const oid[]){ __VA_ARGS__ }) / sizeof(oid))
#define NONE(...) ck_assert_ptr_null(snmp_view_get(&view, \
    (const oid[]){ __VA_ARGS__ }, \
    sizeof((const oid[]){ __VA_ARGS__ }) / sizeof(oid)))

static void
load(const char *text)
{
	struct conf_load_opts lo = { 0 };
	struct conf_diag d = { 0 };
	struct conf_tree *t;

	ck_assert_int_eq(conf_load_buffer("test.conf", text,
	    strlen(text), &lo, &d, &t), 0);
	ck_assert_int_eq(vconfig_from_tree(vigil_subsystems, vconfig_registry(),
	    t, CONF_OWNERS_ALL, "test.conf", &d, &cfg), 0);
	state_init(&vst);
	state_init(&cst);
	memset(&set, 0, sizeof(set));
	set.mibs = SNMP_MIB_VRRP | SNMP_MIB_CHECKER | SNMP_MIB_RFCV2 |
	    SNMP_MIB_RFCV3;
	set.traps = 1;
	ck_assert_int_eq(snmp_view_init(&view), 0);
}

static void
setup(void)
{
	load(conf_text);
}

static void
setup_track(void)
{
	load(track_text);
}

/* BFD sessions: two VRRP follows (one tracked by an instance with a
 * weight of its line's, one by a sync group), one the checker's only. */
static const char bfd_text[] =
	"bfd_instance b_up {\n"
	"  neighbor_ip 10.9.0.1\n"
	"  weight 10\n"
	"}\n"
	"bfd_instance b_chk {\n"
	"  neighbor_ip 10.9.0.3\n"
	"  checker\n"
	"}\n"
	"bfd_instance b_down {\n"
	"  neighbor_ip 10.9.0.2\n"
	"  weight -20 reverse\n"
	"}\n"
	"vrrp_sync_group G {\n"
	"  group {\n"
	"    VI_A\n"
	"    VI_B\n"
	"  }\n"
	"  track_bfd {\n"
	"    b_up\n"
	"  }\n"
	"}\n"
	"vrrp_instance VI_A {\n"
	"  interface lo\n"
	"  virtual_router_id 1\n"
	"  priority 100\n"
	"  virtual_ipaddress {\n"
	"    10.9.0.100\n"
	"  }\n"
	"}\n"
	"vrrp_instance VI_B {\n"
	"  interface lo\n"
	"  virtual_router_id 2\n"
	"  priority 100\n"
	"  virtual_ipaddress {\n"
	"    10.9.0.101\n"
	"  }\n"
	"}\n"
	"vrrp_instance VI_C {\n"
	"  interface lo\n"
	"  virtual_router_id 3\n"
	"  priority 100\n"
	"  virtual_ipaddress {\n"
	"    10.9.0.102\n"
	"  }\n"
	"  track_bfd {\n"
	"    b_down weight -5\n"
	"    b_up\n"
	"  }\n"
	"}\n";

static void
setup_bfd(void)
{
	load(bfd_text);
}

static void
teardown(void)
{
	snmp_view_fini(&view);
	state_fini(&vst);
	state_fini(&cst);
	vconfig_free(cfg);
	vconfig_registry_release();
}

START_TEST(mib_from_config_and_store)
{
	const struct snmp_vb *b;

	report(&vst, "vrrp_instance", "VI_1", "MASTER", 150, IPC_STATE_BEGIN);
	report(&vst, "vrrp_instance", "VI_2", "BACKUP", 100, 0);
	report(&vst, "vrrp_sync_group", "G1", "BACKUP", IPC_OBJ_NO_WEIGHT,
	    IPC_STATE_END);
	report(&cst, "real_server", "[10.9.9.1]:tcp:80 / [10.9.0.1]:8081", "up",
	    3, 0);
	report(&cst, "real_server", "[10.9.9.1]:tcp:80 / [10.9.0.2]:8082",
	    "down", IPC_OBJ_NO_WEIGHT, 0);
	report(&cst, "virtual_server", "[10.9.9.1]:tcp:80", "up", 3, 0);
	build();

	ck_assert_str_eq(AT(KA, 1, 2, 0)->s, "lab");
	ck_assert_int_eq(AT(KA, 1, 4, 0)->i, 1);	/* traps enabled */
	/* sync group 1, its members */
	ck_assert_str_eq(AT(KA, 2, 1, 1, 2, 1)->s, "G1");
	ck_assert_int_eq(AT(KA, 2, 1, 1, 3, 1)->i, 1);	/* backup */
	ck_assert_str_eq(AT(KA, 2, 2, 1, 2, 1, 2)->s, "VI_2");
	/* instances by position: name, VRID, state, priorities, version */
	ck_assert_str_eq(AT(KA, 2, 3, 1, 2, 2)->s, "VI_2");
	b = AT(KA, 2, 3, 1, 3, 1);
	ck_assert_int_eq(b->type, ASN_GAUGE);
	ck_assert_int_eq(b->i, 51);
	ck_assert_int_eq(AT(KA, 2, 3, 1, 4, 1)->i, 2);	/* master */
	ck_assert_int_eq(AT(KA, 2, 3, 1, 4, 2)->i, 1);	/* backup */
	b = AT(KA, 2, 3, 1, 7, 1);
	ck_assert_int_eq(b->i, 150);
	/* writable as keepalived's: base priority and preempt, by name */
	ck_assert_int_eq(b->write, SNMP_VB_INST_PRIORITY);
	ck_assert_str_eq(b->w1, "VI_1");
	b = AT(KA, 2, 3, 1, 13, 2);
	ck_assert_int_eq(b->i, 1);
	ck_assert_int_eq(b->write, SNMP_VB_INST_PREEMPT);
	ck_assert_str_eq(b->w1, "VI_2");
	ck_assert_int_eq(AT(KA, 2, 3, 1, 2, 1)->write, SNMP_VB_RO);
	/* vrrpInstanceAccept: keepalived 2.2.7 offers a VRRPv3 instance's
	 * for writing and refuses every value (noAccess); a VRRPv2
	 * instance's is 0 and read-only */
	b = AT(KA, 2, 3, 1, 27, 2);
	ck_assert_int_eq(b->i, 1);
	ck_assert_int_eq(b->write, SNMP_VB_NOACCESS);
	b = AT(KA, 2, 3, 1, 27, 1);
	ck_assert_int_eq(b->i, 0);
	ck_assert_int_eq(b->write, SNMP_VB_RO);
	ck_assert_int_eq(AT(KA, 2, 3, 1, 30, 2)->i, 3);
	ck_assert_int_eq(AT(KA, 2, 3, 1, 12, 2)->i, 100); /* v3: centiseconds */
	ck_assert_str_eq(AT(KA, 2, 3, 1, 18, 1)->s, "G1");
	/* addresses (instance, n): raw bytes, set only on the master */
	b = AT(KA, 2, 6, 1, 3, 1, 2);
	ck_assert_int_eq(b->slen, 4);
	ck_assert_mem_eq(b->s, "\x0a\x09\x09\x02", 4);
	ck_assert_int_eq(AT(KA, 2, 6, 1, 10, 1, 1)->i, 1);
	ck_assert_int_eq(AT(KA, 2, 6, 1, 10, 2, 1)->i, 2);
	/* virtual server 1: wlc (4), NAT (1), 1 of 2 up, quorum met */
	ck_assert_int_eq(AT(KA, 3, 3, 1, 9, 1)->i, 4);
	ck_assert_int_eq(AT(KA, 3, 3, 1, 20, 1)->i, 2);
	ck_assert_int_eq(AT(KA, 3, 3, 1, 21, 1)->i, 1);
	ck_assert_int_eq(AT(KA, 3, 3, 1, 23, 1)->i, 1);
	/* real servers: the sorry server first (type 2), then by position */
	ck_assert_int_eq(AT(KA, 3, 4, 1, 2, 1, 1)->i, 2);
	NONE(KA, 3, 4, 1, 7, 1, 1);	/* a sorry server has no weight */
	ck_assert_int_eq(AT(KA, 3, 4, 1, 5, 1, 2)->i, 8081);
	ck_assert_int_eq(AT(KA, 3, 4, 1, 6, 1, 2)->i, 1);	/* alive */
	ck_assert_int_eq(AT(KA, 3, 4, 1, 6, 1, 3)->i, 2);	/* dead */
	b = AT(KA, 3, 4, 1, 7, 1, 3);
	ck_assert_int_eq(b->i, 5);
	ck_assert_int_eq(b->write, SNMP_VB_RS_WEIGHT);
	ck_assert_str_eq(b->w1, "[10.9.9.1]:tcp:80");
	ck_assert_str_eq(b->w2, "10.9.0.2:8082");
	/* VRRP-MIB: (ifIndex of lo, VRID), v2 only; master is 3 there */
	ck_assert_int_eq(AT(1, 3, 6, 1, 2, 1, 68, 1, 3, 1, 3, 1, 51)->i, 3);
	NONE(1, 3, 6, 1, 2, 1, 68, 1, 3, 1, 3, 1, 52);
	ck_assert_int_eq(AT(1, 3, 6, 1, 2, 1, 68, 1, 4, 1, 2, 1, 51, 10, 9, 9,
	    2)->i, 1);
	/* VRRPv3-MIB: (ifIndex, VRID, address type), every version */
	ck_assert_int_eq(AT(1, 3, 6, 1, 2, 1, 207, 1, 1, 1, 1, 6, 1, 52, 1)->i,
	    2);
	ck_assert_int_eq(AT(1, 3, 6, 1, 2, 1, 207, 1, 1, 1, 1, 7, 1, 51, 1)->i,
	    150);

	/* a report changes what is shown */
	report(&cst, "real_server", "[10.9.9.1]:tcp:80 / [10.9.0.2]:8082", "up",
	    9, 0);
	report_attrs(&vst, "vrrp_instance", "VI_1", "FAULT", 150, 0,
	    "priority=120\npreempt=0");
	build();
	/* the runtime base priority and preemption the child reports */
	ck_assert_int_eq(AT(KA, 2, 3, 1, 7, 1)->i, 120);
	ck_assert_int_eq(AT(KA, 2, 3, 1, 13, 1)->i, 2);
	/* vrrpStatsAuthTypeMismatch counts the adverts of another auth
	 * type, vrrpStatsInvalidAuthType those of a type no VRRPv2 router
	 * uses, as keepalived's */
	report_counters(&vst, "vrrp_instance", "VI_1", "drops_auth_type=3\n"
	    "drops_invalid_auth_type=4");
	build();
	b = AT(1, 3, 6, 1, 2, 1, 68, 2, 4, 1, 11, 1, 51);
	ck_assert_int_eq(b->type, ASN_COUNTER);
	ck_assert_int_eq(b->i, 3);
	b = AT(1, 3, 6, 1, 2, 1, 68, 2, 4, 1, 10, 1, 51);
	ck_assert_int_eq(b->type, ASN_COUNTER);
	ck_assert_int_eq(b->i, 4);
	/* and so do the RFC tables' priority and preempt mode, as
	 * keepalived's (vrrpOperPriority, vrrpOperPreemptMode,
	 * vrrpv3OperationsPriority, vrrpv3OperationsPreemptMode) */
	ck_assert_int_eq(AT(1, 3, 6, 1, 2, 1, 68, 1, 3, 1, 5, 1, 51)->i, 120);
	ck_assert_int_eq(AT(1, 3, 6, 1, 2, 1, 68, 1, 3, 1, 12, 1, 51)->i, 2);
	ck_assert_int_eq(AT(1, 3, 6, 1, 2, 1, 207, 1, 1, 1, 1, 7, 1, 51, 1)->i,
	    120);
	ck_assert_int_eq(AT(1, 3, 6, 1, 2, 1, 207, 1, 1, 1, 1, 10, 1, 51, 1)->i,
	    2);
	ck_assert_int_eq(AT(KA, 3, 4, 1, 6, 1, 3)->i, 1);
	ck_assert_int_eq(AT(KA, 3, 4, 1, 7, 1, 3)->i, 9);	/* live weight */
	ck_assert_int_eq(AT(KA, 3, 3, 1, 21, 1)->i, 2);
	ck_assert_int_eq(AT(KA, 2, 3, 1, 4, 1)->i, 3);	/* fault */
	ck_assert_int_eq(AT(1, 3, 6, 1, 2, 1, 68, 1, 3, 1, 3, 1, 51)->i, 1);
	/* no IPVS counters without the IPVS backend's attrs ... */
	NONE(KA, 3, 4, 1, 14, 1, 2);
	/* ... and keepalived's types with them */
	report_attrs(&cst, "real_server", "[10.9.9.1]:tcp:80 / [10.9.0.1]:8081",
	    "up", 3, 0, "ipvs_connections=4\nipvs_bytes_in=5000000000");
	build();
	b = AT(KA, 3, 4, 1, 14, 1, 2);
	ck_assert_int_eq(b->type, ASN_GAUGE);
	ck_assert_int_eq(b->i, 4);
	b = AT(KA, 3, 4, 1, 20, 1, 2);
	ck_assert_int_eq(b->type, ASN_COUNTER64);
	ck_assert_int_eq(b->i, 5000000000LL);
	NONE(KA, 3, 4, 1, 18, 1, 2);
	/* a counters record (IPC_OBJ_COUNTERS) updates only its keys: 32-bit
	 * columns carry the low half, Low/High pairs split the rates, the
	 * *64 columns the whole value */
	report_counters(&cst, "real_server",
	    "[10.9.9.1]:tcp:80 / [10.9.0.1]:8081",
	    "ipvs_connections=4294967301\nipvs_packets_in=4294967303\n"
	    "ipvs_persistent_connections=2\n"
	    "ipvs_rate_connections=12884901893\nipvs_rate_bytes_out=9");
	report_attrs(&cst, "virtual_server", "[10.9.9.1]:tcp:80", "up", 3, 0,
	    "ipvs_connections=1");
	report_counters(&cst, "virtual_server", "[10.9.9.1]:tcp:80",
	    "ipvs_connections=7\nipvs_rate_packets_in=8589934593\n"
	    "ipvs_bytes_out=11");
	build();
	b = AT(KA, 3, 4, 1, 14, 1, 2);		/* realServerStatsConns */
	ck_assert_int_eq(b->type, ASN_GAUGE);
	ck_assert_int_eq(b->i, 5);
	b = AT(KA, 3, 4, 1, 27, 1, 2);		/* realServerStatsConns64 */
	ck_assert_int_eq(b->type, ASN_COUNTER64);
	ck_assert_int_eq(b->i, 4294967301LL);
	b = AT(KA, 3, 4, 1, 18, 1, 2);		/* realServerStatsInPkts */
	ck_assert_int_eq(b->type, ASN_COUNTER);
	ck_assert_int_eq(b->i, 7);
	ck_assert_int_eq(AT(KA, 3, 4, 1, 28, 1, 2)->i, 4294967303LL);
	ck_assert_int_eq(AT(KA, 3, 4, 1, 17, 1, 2)->i, 2);	/* persistent */
	ck_assert_int_eq(AT(KA, 3, 4, 1, 20, 1, 2)->i, 5000000000LL); /* kept */
	b = AT(KA, 3, 4, 1, 22, 1, 2);		/* realServerRateCps */
	ck_assert_int_eq(b->type, ASN_GAUGE);
	ck_assert_int_eq(b->i, 5);
	b = AT(KA, 3, 4, 1, 30, 1, 2);		/* realServerRateCpsLow */
	ck_assert_int_eq(b->type, ASN_UNSIGNED);
	ck_assert_int_eq(b->i, 5);
	ck_assert_int_eq(AT(KA, 3, 4, 1, 31, 1, 2)->i, 3);	/* ...High */
	b = AT(KA, 3, 4, 1, 58, 1, 2);		/* realServerRateCps64 */
	ck_assert_int_eq(b->type, ASN_COUNTER64);
	ck_assert_int_eq(b->i, 12884901893LL);
	ck_assert_int_eq(AT(KA, 3, 4, 1, 26, 1, 2)->i, 9);	/* OutBPS */
	ck_assert_int_eq(AT(KA, 3, 4, 1, 38, 1, 2)->i, 9);	/* ...Low */
	ck_assert_int_eq(AT(KA, 3, 4, 1, 39, 1, 2)->i, 0);	/* ...High */
	ck_assert_int_eq(AT(KA, 3, 4, 1, 62, 1, 2)->i, 9);
	/* InPPS not sent: 0 once the virtual server's counters are read,
	 * as keepalived zeroes them before each read */
	b = AT(KA, 3, 4, 1, 23, 1, 2);
	ck_assert_int_eq(b->type, ASN_GAUGE);
	ck_assert_int_eq(b->i, 0);
	/* virtualServerStats* / virtualServerRate* */
	ck_assert_int_eq(AT(KA, 3, 3, 1, 27, 1)->i, 7);
	ck_assert_int_eq(AT(KA, 3, 3, 1, 38, 1)->i, 7);
	ck_assert_int_eq(AT(KA, 3, 3, 1, 31, 1)->i, 11);
	b = AT(KA, 3, 3, 1, 33, 1);		/* virtualServerRateInPPS */
	ck_assert_int_eq(b->type, ASN_GAUGE);
	ck_assert_int_eq(b->i, 1);
	ck_assert_int_eq(AT(KA, 3, 3, 1, 43, 1)->i, 1);	/* InPPSLow */
	ck_assert_int_eq(AT(KA, 3, 3, 1, 44, 1)->i, 2);	/* InPPSHigh */
	ck_assert_int_eq(AT(KA, 3, 3, 1, 75, 1)->i, 8589934593LL);
	NONE(KA, 3, 3, 1, 28, 1);		/* InPkts: not sent */
	/* the sorry server's row (1.1): its counters from the virtual
	 * server's sorry_ipvs_* keys, 0 before (not in the kernel's table),
	 * as the other real servers' once their virtual server's are read */
	ck_assert_int_eq(AT(KA, 3, 4, 1, 14, 1, 1)->i, 0);
	ck_assert_int_eq(AT(KA, 3, 4, 1, 20, 1, 1)->type, ASN_COUNTER64);
	ck_assert_int_eq(AT(KA, 3, 4, 1, 14, 1, 3)->i, 0);
	report_counters(&cst, "virtual_server", "[10.9.9.1]:tcp:80",
	    "sorry_ipvs_connections=3\nsorry_ipvs_inactive_connections=2\n"
	    "sorry_ipvs_bytes_in=77");
	build();
	b = AT(KA, 3, 4, 1, 14, 1, 1);		/* realServerStatsConns */
	ck_assert_int_eq(b->type, ASN_GAUGE);
	ck_assert_int_eq(b->i, 3);
	ck_assert_int_eq(AT(KA, 3, 4, 1, 16, 1, 1)->i, 2);	/* inactive */
	ck_assert_int_eq(AT(KA, 3, 4, 1, 20, 1, 1)->i, 77);	/* InBytes */
	ck_assert_int_eq(AT(KA, 3, 4, 1, 27, 1, 1)->i, 3);	/* Conns64 */
	ck_assert_int_eq(AT(KA, 3, 3, 1, 27, 1)->i, 7);	/* the VS's own */
	ck_assert_int_eq(AT(KA, 3, 4, 1, 14, 1, 2)->i, 5);	/* others' */
}
END_TEST

/* VI_1 reported in state with attrs, the view rebuilt: its
 * newMasterReason and vrrpOperMasterIpAddr's last byte (10.9.9.x) are
 * checked */
static void
vi1_shows(const char *state, const char *attrs, long reason, int heard)
{
	const struct snmp_vb *b;
	const char want[4] = { heard != 0 ? 10 : 0, heard != 0 ? 9 : 0,
	    heard != 0 ? 9 : 0, (char)heard };

	report_attrs(&vst, "vrrp_instance", "VI_1", state, 150, 0, attrs);
	build();
	ck_assert_int_eq(AT(1, 3, 6, 1, 2, 1, 207, 1, 2, 5, 1, 2, 1, 51,
	    1)->i, reason);
	b = AT(1, 3, 6, 1, 2, 1, 68, 1, 3, 1, 7, 1, 51);
	ck_assert_int_eq(b->type, ASN_IPADDRESS);
	ck_assert_mem_eq(b->s, want, 4);
}

/*
 * vrrpv3StatisticsNewMasterReason as the VRRP child reports it, kept
 * after the instance leaves MASTER as keepalived keeps it; the master's
 * address as keepalived shows it: VRRP-MIB's vrrpOperMasterIpAddr the
 * source of the last advert taken as BACKUP in every state (0.0.0.0
 * before any), VRRPv3-MIB's vrrpv3OperationsMasterIpAddr the same but
 * for a MASTER, which shows its own primary address.
 */
START_TEST(mib_new_master_reason_and_master_addr)
{
#define V3MIP(vrid) AT(1, 3, 6, 1, 2, 1, 207, 1, 1, 1, 1, 3, 1, vrid, 1)
	const struct snmp_vb *b;

	vi1_shows("BACKUP", "", 0, 0);
	vi1_shows("MASTER", "new_master_reason=2\nmaster_heard=10.9.9.7\n"
	    "master=127.0.0.1", 2, 7);
	/* VRRPv3-MIB: a MASTER shows its own primary address (lo's, as
	 * vrrpOperPrimaryIpAddr), not the last one heard */
	b = V3MIP(51);
	ck_assert_int_eq(b->slen, 4);
	ck_assert_mem_eq(b->s, AT(1, 3, 6, 1, 2, 1, 68, 1, 3, 1, 8, 1, 51)->s,
	    4);
	ck_assert_mem_ne(b->s, "\x0a\x09\x09\x07", 4);
	/* back to BACKUP under another master: the reason stays */
	vi1_shows("BACKUP", "new_master_reason=2\nmaster_heard=10.9.9.8\n"
	    "master=10.9.9.8", 2, 8);
	ck_assert_mem_eq(V3MIP(51)->s, "\x0a\x09\x09\x08", 4);
#undef V3MIP
}
END_TEST

START_TEST(mib_switched_off)
{
	set.mibs = SNMP_MIB_RFCV3;
	build();
	NONE(KA, 1, 2, 0);
	NONE(1, 3, 6, 1, 2, 1, 68, 1, 1, 0);
	/* not reported yet: init (1) in the RFC's numbering */
	ck_assert_int_eq(AT(1, 3, 6, 1, 2, 1, 207, 1, 1, 1, 1, 6, 1, 51, 1)->i,
	    1);
}
END_TEST

/* The checker defaults of virtualServerTable (51-67) and realServerTable
 * (43-51) as keepalived 2.2.7 shows them: given, inherited by the real
 * servers, or its defaults (60 s delay loop, 5 s connect timeout, 0 for
 * the rest; granularity all ones; a real server mails, a virtual server
 * not). */
static const char defaults_text[] =
	"global_defs {\n"
	"  router_id lab\n"
	"}\n"
	"virtual_server 10.9.9.1 80 {\n"
	"  lb_algo sh\n"
	"  sh-port\n"
	"  hashed\n"
	"  lb_kind NAT\n"
	"  protocol TCP\n"
	"  persistence_granularity 255.255.255.0\n"
	"  retry 2\n"
	"  delay_before_retry 3\n"
	"  warmup 4\n"
	"  delay_loop 7\n"
	"  connect_timeout 2.5\n"
	"  inhibit_on_failure\n"
	"  weight 4\n"
	"  smtp_alert\n"
	"  real_server 10.9.0.1 8081 {\n"
	"    retry 5\n"
	"    delay_loop 2\n"
	"    smtp_alert off\n"
	"    TCP_CHECK {\n"
	"    }\n"
	"  }\n"
	"  real_server 10.9.0.2 8082 {\n"
	"    TCP_CHECK {\n"
	"    }\n"
	"  }\n"
	"}\n"
	"virtual_server fwmark 5 {\n"
	"  lb_kind DR\n"
	"  real_server 10.9.0.3 80 {\n"
	"    TCP_CHECK {\n"
	"    }\n"
	"  }\n"
	"}\n"
	"virtual_server 10.9.9.3 80 {\n"
	"  lb_kind TUN type gue port 6080 csum\n"
	"  protocol UDP\n"
	"  ops\n"
	"  sorry_server 10.9.0.8 80\n"
	"  real_server 10.9.0.4 80 {\n"
	"    TCP_CHECK {\n"
	"    }\n"
	"  }\n"
	"  real_server 10.9.0.5 80 {\n"
	"    lvs_method TUN type gre\n"
	"    TCP_CHECK {\n"
	"    }\n"
	"  }\n"
	"}\n";

static void
setup_defaults(void)
{
	load(defaults_text);
}

START_TEST(mib_checker_defaults)
{
	/* virtualServerTable column, virtual server n */
#define VS(col, n) AT(KA, 3, 3, 1, col, n)->i
	/* realServerTable column, virtual server n, its real server r */
#define RS(col, n, r) AT(KA, 3, 4, 1, col, n, r)->i
	const struct snmp_vb *b;

	build();
	/* given on the first */
	ck_assert_int_eq(VS(52, 1), 1);		/* hashed */
	ck_assert_int_eq(VS(53, 1), 2);		/* flag 1: no sh-fallback */
	ck_assert_int_eq(VS(54, 1), 1);		/* flag 2: sh-port */
	ck_assert_int_eq(VS(63, 1), 1);		/* MHPort: the same bit */
	ck_assert_int_eq(VS(56, 1), 2);		/* inhibit */
	ck_assert_int_eq(VS(57, 1), 2);
	ck_assert_int_eq(VS(58, 1), 3);
	ck_assert_int_eq(VS(59, 1), 4);
	ck_assert_int_eq(VS(60, 1), 4);
	ck_assert_int_eq(VS(61, 1), 1);
	ck_assert_int_eq(VS(16, 1), 7);
	ck_assert_int_eq(VS(64, 1), 7000000);
	ck_assert_int_eq(VS(65, 1), 3000000);
	ck_assert_int_eq(VS(66, 1), 4000000);
	ck_assert_int_eq(VS(67, 1), 2500000);
	b = AT(KA, 3, 3, 1, 15, 1);		/* granularity: the netmask */
	ck_assert_int_eq(b->slen, 4);
	ck_assert_mem_eq(b->s, "\xff\xff\xff\x00", 4);
	NONE(KA, 3, 3, 1, 51, 1);		/* IPv4: not the v6 column */
	/* the real servers: their own, else the virtual server's */
	ck_assert_int_eq(RS(43, 1, 1), 5);
	ck_assert_int_eq(RS(46, 1, 1), 2);
	ck_assert_int_eq(RS(50, 1, 1), 2000000);
	ck_assert_int_eq(RS(47, 1, 1), 2);	/* smtp_alert off */
	ck_assert_int_eq(RS(43, 1, 2), 2);
	ck_assert_int_eq(RS(44, 1, 2), 3);
	ck_assert_int_eq(RS(45, 1, 2), 4);
	ck_assert_int_eq(RS(46, 1, 2), 7);
	ck_assert_int_eq(RS(48, 1, 2), 3000000);
	ck_assert_int_eq(RS(49, 1, 2), 4000000);
	ck_assert_int_eq(RS(51, 1, 2), 2500000);
	ck_assert_int_eq(RS(47, 1, 2), 1);	/* a real server mails */
	/* nothing given: keepalived's defaults */
	ck_assert_int_eq(VS(52, 2), 2);
	ck_assert_int_eq(VS(56, 2), 1);		/* remove */
	ck_assert_int_eq(VS(57, 2), 0);
	ck_assert_int_eq(VS(58, 2), 0);
	ck_assert_int_eq(VS(60, 2), 1);
	ck_assert_int_eq(VS(61, 2), 2);		/* a virtual server does not */
	ck_assert_int_eq(VS(16, 2), 60);
	ck_assert_int_eq(VS(64, 2), 60000000);
	ck_assert_int_eq(VS(67, 2), 5000000);
	b = AT(KA, 3, 3, 1, 15, 2);		/* a fwmark: both columns */
	ck_assert_mem_eq(b->s, "\xff\xff\xff\xff", 4);
	ck_assert_int_eq(VS(51, 2), 0xffffffffLL);
	ck_assert_int_eq(RS(43, 2, 1), 0);
	ck_assert_int_eq(RS(46, 2, 1), 60);
	ck_assert_int_eq(RS(51, 2, 1), 5000000);
	/* the sorry server: its forwarding (the virtual server's), alpha
	 * and smtp_alert off, no checker timers, as keepalived's */
	ck_assert_int_eq(RS(2, 3, 1), 2);	/* sorry */
	ck_assert_int_eq(RS(40, 3, 1), 3);	/* TUN */
	ck_assert_int_eq(RS(42, 3, 1), 2);
	ck_assert_int_eq(RS(47, 3, 1), 2);
	for (unsigned col = 43; col <= 51; col++)
		if (col != 47)
			ck_assert_int_eq(RS(col, 3, 1), 0);
	/* tunnels: type (ipip 1, gue 2, gre 3), the GUE port, the
	 * checksum (nocsum 1, csum 2, remcsum 3) but for IPIP; none
	 * without TUN */
	ck_assert_int_eq(VS(37, 3), 1);		/* ops */
	ck_assert_int_eq(VS(37, 1), 2);
	ck_assert_int_eq(VS(68, 3), 2);
	ck_assert_int_eq(VS(69, 3), 6080);
	ck_assert_int_eq(VS(70, 3), 2);
	NONE(KA, 3, 3, 1, 68, 1);
	NONE(KA, 3, 4, 1, 52, 1, 1);
	ck_assert_int_eq(RS(52, 3, 1), 2);	/* the sorry server too */
	ck_assert_int_eq(RS(53, 3, 1), 6080);
	ck_assert_int_eq(RS(54, 3, 1), 2);
	ck_assert_int_eq(RS(52, 3, 2), 2);	/* inherited */
	ck_assert_int_eq(RS(53, 3, 2), 6080);
	ck_assert_int_eq(RS(54, 3, 2), 2);
	ck_assert_int_eq(RS(40, 3, 3), 3);	/* its own: GRE */
	ck_assert_int_eq(RS(52, 3, 3), 3);
	NONE(KA, 3, 4, 1, 53, 3, 3);
	ck_assert_int_eq(RS(54, 3, 3), 1);
#undef VS
#undef RS
}
END_TEST

/* an OctetString cell holding exactly str */
#define STR_IS(b, str) do { \
	const struct snmp_vb *b_ = (b); \
	ck_assert_int_eq(b_->slen, strlen(str)); \
	ck_assert_mem_eq(b_->s, str, strlen(str)); \
} while (0)

START_TEST(mib_bfd)
{
	const struct snmp_vb *b;

	/* the VRRP child told of b_up Up, b_down Down; b_chk never */
	report_attrs(&vst, "vrrp_track_bfd", "b_up", "up", IPC_OBJ_NO_WEIGHT,
	    IPC_STATE_BEGIN, "session=Up");
	report_attrs(&vst, "vrrp_track_bfd", "b_down", "down",
	    IPC_OBJ_NO_WEIGHT, IPC_STATE_END, "session=Down");
	build();

	/* vrrpBfdTable: the sessions VRRP follows, in order, not b_chk */
	STR_IS(AT(KA, 2, 18, 1, 2, 1), "b_up");
	STR_IS(AT(KA, 2, 18, 1, 2, 2), "b_down");
	NONE(KA, 2, 18, 1, 2, 3);
	ck_assert_int_eq(AT(KA, 2, 18, 1, 3, 1)->i, 1);
	ck_assert_int_eq(AT(KA, 2, 18, 1, 3, 2)->i, 0);
	ck_assert_int_eq(AT(KA, 2, 18, 1, 4, 1)->i, 10);
	ck_assert_int_eq(AT(KA, 2, 18, 1, 4, 2)->i, -20);
	ck_assert_int_eq(AT(KA, 2, 18, 1, 5, 1)->i, 2);
	ck_assert_int_eq(AT(KA, 2, 18, 1, 5, 2)->i, 1);

	/* vrrpTrackedBfdTable (instance 3, line n): the bfd_instance's
	 * weight and reverse, not the line's; none for VI_A, VI_B */
	NONE(KA, 2, 17, 1, 2, 1, 1);
	NONE(KA, 2, 17, 1, 2, 2, 1);
	STR_IS(AT(KA, 2, 17, 1, 2, 3, 1), "b_down");
	b = AT(KA, 2, 17, 1, 3, 3, 1);
	ck_assert_int_eq(b->i, -20);
	ck_assert_int_eq(AT(KA, 2, 17, 1, 4, 3, 1)->i, 1);
	STR_IS(AT(KA, 2, 17, 1, 2, 3, 2), "b_up");
	ck_assert_int_eq(AT(KA, 2, 17, 1, 3, 3, 2)->i, 10);
	ck_assert_int_eq(AT(KA, 2, 17, 1, 4, 3, 2)->i, 2);

	/* vrrpSyncTrackedBfdTable (group 1, line 1) */
	STR_IS(AT(KA, 2, 19, 1, 2, 1, 1), "b_up");
	ck_assert_int_eq(AT(KA, 2, 19, 1, 3, 1, 1)->i, 10);
	ck_assert_int_eq(AT(KA, 2, 19, 1, 4, 1, 1)->i, 2);
	NONE(KA, 2, 19, 1, 2, 1, 2);

	/* the session goes down: vrrpBfdResult follows */
	report_attrs(&vst, "vrrp_track_bfd", "b_up", "down", IPC_OBJ_NO_WEIGHT,
	    0, "session=Down");
	build();
	ck_assert_int_eq(AT(KA, 2, 18, 1, 3, 1)->i, 0);
}
END_TEST

START_TEST(mib_tracking)
{
	const struct snmp_vb *b;

	report_attrs(&vst, "vrrp_instance", "VI_B", "MASTER", 100,
	    IPC_STATE_BEGIN, "");
	report_attrs(&vst, "vrrp_script", "s_used", "good", IPC_OBJ_NO_WEIGHT,
	    0, "weight=5");
	report_attrs(&vst, "vrrp_script", "s_group", "bad", IPC_OBJ_NO_WEIGHT,
	    0, "");
	report_attrs(&vst, "vrrp_track_file", "f1", "up", IPC_OBJ_NO_WEIGHT,
	    0, "value=6");
	report_attrs(&vst, "vrrp_track_process", "p1", "up",
	    IPC_OBJ_NO_WEIGHT, IPC_STATE_END, "count=3\nquorum=2");
	build();

	/* vrrpTrackedInterfaceTable (instance 2, line n): columns from 1;
	 * a line without weight shows 0 */
	STR_IS(AT(KA, 2, 4, 1, 1, 2, 1), "lo");
	ck_assert_int_eq(AT(KA, 2, 4, 1, 2, 2, 1)->i, 0);
	STR_IS(AT(KA, 2, 4, 1, 1, 2, 2), "eth9");
	ck_assert_int_eq(AT(KA, 2, 4, 1, 2, 2, 2)->i, -10);
	ck_assert_int_eq(AT(KA, 2, 4, 1, 3, 2, 2)->i, 1);	/* reverse */
	NONE(KA, 2, 4, 1, 1, 1, 1);		/* VI_A tracks nothing */
	/* vrrpTrackedScriptTable: the line's weight, else the script's */
	STR_IS(AT(KA, 2, 5, 1, 2, 2, 1), "s_used");
	ck_assert_int_eq(AT(KA, 2, 5, 1, 3, 2, 1)->i, 5);
	ck_assert_int_eq(AT(KA, 2, 5, 1, 3, 2, 2)->i, 7);
	ck_assert_int_eq(AT(KA, 2, 5, 1, 4, 2, 2)->i, 2);
	/* vrrpScriptTable: only the scripts a line tracks, by position
	 * among them; keepalived's quoting; the state reported */
	STR_IS(AT(KA, 2, 9, 1, 2, 1), "s_used");
	STR_IS(AT(KA, 2, 9, 1, 2, 2), "s_group");
	NONE(KA, 2, 9, 1, 2, 3);
	b = AT(KA, 2, 9, 1, 3, 1);
	ck_assert_int_ge(b->slen, 8);
	ck_assert_mem_eq(b->s + b->slen - 7, "' 'arg'", 7);
	ck_assert_int_eq(b->s[0], '\'');
	ck_assert_int_eq(AT(KA, 2, 9, 1, 4, 1)->i, 2);	/* interval, s */
	ck_assert_int_eq(AT(KA, 2, 9, 1, 6, 1)->i, 3);	/* good */
	ck_assert_int_eq(AT(KA, 2, 9, 1, 6, 2)->i, 2);	/* bad */
	b = AT(KA, 2, 9, 1, 7, 1);
	ck_assert_int_eq(b->type, ASN_GAUGE);
	ck_assert_int_eq(b->i, 3);			/* rise */
	/* vrrpSyncTrackedScriptTable (group 1, line 1) */
	STR_IS(AT(KA, 2, 15, 1, 2, 1, 1), "s_group");
	ck_assert_int_eq(AT(KA, 2, 15, 1, 3, 1, 1)->i, -3);
	/* files: the file's own weight in the tracked table, its value */
	ck_assert_int_eq(AT(KA, 2, 12, 1, 3, 2, 1)->i, 2);
	STR_IS(AT(KA, 2, 13, 1, 3, 1), "/tmp/none");
	ck_assert_int_eq(AT(KA, 2, 13, 1, 4, 1)->i, 6);
	/* processes: parameters, keepalived's param_match number, count
	 * and quorum met */
	STR_IS(AT(KA, 2, 20, 1, 2, 2, 1), "p1");
	STR_IS(AT(KA, 2, 21, 1, 3, 1), "sleep");
	STR_IS(AT(KA, 2, 21, 1, 4, 1), "100");
	ck_assert_int_eq(AT(KA, 2, 21, 1, 5, 1)->i, 1);	/* exact */
	ck_assert_int_eq(AT(KA, 2, 21, 1, 8, 1)->i, 2);	/* quorum */
	ck_assert_int_eq(AT(KA, 2, 21, 1, 12, 1)->i, 1);	/* full */
	ck_assert_int_eq(AT(KA, 2, 21, 1, 13, 1)->i, 3);
	ck_assert_int_eq(AT(KA, 2, 21, 1, 14, 1)->i, 1);

	/* static addresses are instance 0 of vrrpAddressTable */
	b = AT(KA, 2, 6, 1, 3, 0, 1);
	ck_assert_mem_eq(b->s, "\x0a\x08\x00\x05", 4);
	ck_assert_int_eq(AT(KA, 2, 6, 1, 11, 0, 1)->i, 2);
	ck_assert_mem_eq(AT(KA, 2, 6, 1, 3, 2, 1)->s, "\x0a\x08\x00\x02", 4);
	/* routes: static (0, 1), VI_B's (2, n); set while MASTER */
	ck_assert_mem_eq(AT(KA, 2, 7, 1, 3, 0, 1)->s, "\x0a\x07\x00\x00", 4);
	ck_assert_int_eq(AT(KA, 2, 7, 1, 4, 0, 1)->i, 16);
	ck_assert_mem_eq(AT(KA, 2, 7, 1, 5, 2, 1)->s, "\x0a\x08\x00\xfe", 4);
	ck_assert_int_eq(AT(KA, 2, 7, 1, 8, 2, 1)->i, 7);
	ck_assert_int_eq(AT(KA, 2, 7, 1, 13, 2, 1)->i, 254);	/* main */
	ck_assert_int_eq(AT(KA, 2, 7, 1, 14, 2, 1)->i, 1);
	ck_assert_int_eq(AT(KA, 2, 7, 1, 18, 2, 1)->i, 19);	/* proto 18 */
	ck_assert_int_eq(AT(KA, 2, 7, 1, 10, 2, 2)->i, 3);	/* blackhole */
	NONE(KA, 2, 7, 1, 5, 2, 2);
	/* metrics and the options only the words hold: ECN and quick ack
	 * always, the others when given, with their locks; rtt and rttvar
	 * in ms (the kernel's 1/8 and 1/4 ms) */
	ck_assert_int_eq(AT(KA, 2, 7, 1, 19, 2, 1)->i, 2);
	ck_assert_int_eq(AT(KA, 2, 7, 1, 20, 2, 1)->i, 2);
	NONE(KA, 2, 7, 1, 22, 2, 1);
	NONE(KA, 2, 7, 1, 27, 2, 1);
	ck_assert_int_eq(AT(KA, 2, 7, 1, 19, 2, 3)->i, 1);
	ck_assert_int_eq(AT(KA, 2, 7, 1, 20, 2, 3)->i, 1);
	NONE(KA, 2, 7, 1, 21, 2, 3);
	ck_assert_int_eq(AT(KA, 2, 7, 1, 22, 2, 3)->i, 1400);
	ck_assert_int_eq(AT(KA, 2, 7, 1, 23, 2, 3)->i, 1);
	ck_assert_int_eq(AT(KA, 2, 7, 1, 24, 2, 3)->i, 64);
	ck_assert_int_eq(AT(KA, 2, 7, 1, 25, 2, 3)->i, 1300);
	ck_assert_int_eq(AT(KA, 2, 7, 1, 26, 2, 3)->i, 2);
	ck_assert_int_eq(AT(KA, 2, 7, 1, 27, 2, 3)->i, 30);
	ck_assert_int_eq(AT(KA, 2, 7, 1, 28, 2, 3)->i, 2);
	ck_assert_int_eq(AT(KA, 2, 7, 1, 29, 2, 3)->i, 12);
	ck_assert_int_eq(AT(KA, 2, 7, 1, 30, 2, 3)->i, 1);
	NONE(KA, 2, 7, 1, 33, 2, 3);	/* window */
	STR_IS(AT(KA, 2, 7, 1, 42, 2, 3), "cubic");
	NONE(KA, 2, 7, 1, 43, 2, 3);
	ck_assert_int_eq(AT(KA, 2, 7, 1, 44, 2, 3)->i, 4);
	ck_assert_int_eq(AT(KA, 2, 7, 1, 45, 2, 3)->i, 3);
	NONE(KA, 2, 7, 1, 46, 2, 3);	/* no encap */
	ck_assert_int_eq(AT(KA, 2, 7, 1, 55, 2, 3)->i, 1);
	/* an IPv6 static route: pref high (3), expires */
	ck_assert_int_eq(AT(KA, 2, 7, 1, 2, 0, 2)->i, 2);
	ck_assert_int_eq(AT(KA, 2, 7, 1, 43, 0, 2)->i, 3);
	ck_assert_int_eq(AT(KA, 2, 7, 1, 21, 0, 2)->i, 300);
	NONE(KA, 2, 7, 1, 44, 0, 2);
	/* rules */
	STR_IS(AT(KA, 2, 8, 1, 2, 0, 1), "from");
	ck_assert_int_eq(AT(KA, 2, 8, 1, 25, 0, 1)->i, 300);
	STR_IS(AT(KA, 2, 8, 1, 2, 2, 1), "to");
	ck_assert_mem_eq(AT(KA, 2, 8, 1, 10, 2, 1)->s, "\x0a\x06\x00\x00", 4);
	ck_assert_int_eq(AT(KA, 2, 8, 1, 11, 2, 1)->i, 24);
	ck_assert_int_eq(AT(KA, 2, 8, 1, 6, 2, 1)->i, 100);
	ck_assert_int_eq(AT(KA, 2, 8, 1, 23, 2, 1)->i, 1);	/* to table */

	/* virtualServerGroupMemberTable: fwmarks first, then addresses and
	 * ranges, in order */
	STR_IS(AT(KA, 3, 1, 1, 2, 1), "VSG");
	ck_assert_int_eq(AT(KA, 3, 2, 1, 2, 1, 1)->i, 1);
	ck_assert_int_eq(AT(KA, 3, 2, 1, 3, 1, 1)->i, 7);
	ck_assert_int_eq(AT(KA, 3, 2, 1, 2, 1, 2)->i, 2);
	ck_assert_mem_eq(AT(KA, 3, 2, 1, 5, 1, 2)->s, "\x0a\x08\x00\x0a", 4);
	ck_assert_int_eq(AT(KA, 3, 2, 1, 2, 1, 3)->i, 3);
	ck_assert_mem_eq(AT(KA, 3, 2, 1, 7, 1, 3)->s, "\x0a\x08\x00\x0d", 4);
	ck_assert_int_eq(AT(KA, 3, 2, 1, 8, 1, 3)->i, 443);
	NONE(KA, 3, 2, 1, 5, 1, 3);
	/* lvsSyncDaemon: on eth7 for VI_B, its VRID as the sync id; the
	 * instance says it */
	ck_assert_int_eq(AT(KA, 3, 6, 1, 0)->i, 1);
	STR_IS(AT(KA, 3, 6, 2, 0), "eth7");
	STR_IS(AT(KA, 3, 6, 3, 0), "VI_B");
	ck_assert_int_eq(AT(KA, 3, 6, 4, 0)->i, 2);
	ck_assert_int_eq(AT(KA, 2, 3, 1, 16, 2)->i, 1);
	ck_assert_int_eq(AT(KA, 2, 3, 1, 16, 1)->i, 2);
	/* lvsTimeouts: those given */
	ck_assert_int_eq(AT(KA, 3, 7, 1, 0)->i, 900);
	NONE(KA, 3, 7, 2, 0);
	ck_assert_int_eq(AT(KA, 3, 7, 3, 0)->i, 60);

	/* a report moves the state shown */
	report_attrs(&vst, "vrrp_track_file", "f1", "up", IPC_OBJ_NO_WEIGHT,
	    0, "value=0");
	report_attrs(&vst, "vrrp_track_process", "p1", "down",
	    IPC_OBJ_NO_WEIGHT, 0, "count=1");
	report_attrs(&vst, "vrrp_instance", "VI_B", "BACKUP", 100, 0, "");
	build();
	ck_assert_int_eq(AT(KA, 2, 13, 1, 4, 1)->i, 0);
	ck_assert_int_eq(AT(KA, 2, 21, 1, 13, 1)->i, 1);
	ck_assert_int_eq(AT(KA, 2, 21, 1, 14, 1)->i, 2);
	ck_assert_int_eq(AT(KA, 2, 7, 1, 14, 2, 1)->i, 2);	/* not set */
}
END_TEST

/* keepalived's error notifications name the instance's own link (VMAC,
 * ipvlan) where it has one, the interface otherwise */
START_TEST(trap_err_ifindex)
{
	ck_assert_uint_eq(snmp_trap_err_ifindex("link_ifindex=17\n", 3), 17);
	ck_assert_uint_eq(snmp_trap_err_ifindex("vrid=1\n", 3), 3);
	ck_assert_uint_eq(snmp_trap_err_ifindex("link_ifindex=0\n", 3), 3);
	ck_assert_uint_eq(snmp_trap_err_ifindex("link_ifindex=-5\n", 3), 3);
	ck_assert_uint_eq(snmp_trap_err_ifindex(NULL, 3), 3);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("snmp_mib");
	TCase *tc = tcase_create("view");

	tcase_add_test(tc, view_get_next);
	tcase_add_test(tc, cmd_str_program_path);
	tcase_add_test(tc, trap_err_ifindex);
	suite_add_tcase(s, tc);
	tc = tcase_create("mib");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, mib_from_config_and_store);
	tcase_add_test(tc, mib_new_master_reason_and_master_addr);
	tcase_add_test(tc, mib_switched_off);
	suite_add_tcase(s, tc);
	tc = tcase_create("defaults");
	tcase_add_checked_fixture(tc, setup_defaults, teardown);
	tcase_add_test(tc, mib_checker_defaults);
	suite_add_tcase(s, tc);
	tc = tcase_create("tracking");
	tcase_add_checked_fixture(tc, setup_track, teardown);
	tcase_add_test(tc, mib_tracking);
	suite_add_tcase(s, tc);
	tc = tcase_create("bfd");
	tcase_add_checked_fixture(tc, setup_bfd, teardown);
	tcase_add_test(tc, mib_bfd);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return check_run(suite());
}

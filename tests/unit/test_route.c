/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Runtime commands routed by the parent (daemon/route.c), with the owning
 * children down (restarting): the change is recorded at once, as the
 * hand-over will give it back. Objects are found as operators type them;
 * unknown objects, malformed arguments and unknown commands are refused
 * without recording anything; the answer never comes from inside the call.
 */
#include <check.h>
#include <event2/event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/route.h"
#include "daemon/state.h"
#include "daemon/supervisor_int.h"
#include "ipc_msg.h"
#include "loop.h"
#include "subsys.h"
#include "check_run.h"
#include "state_feed.h"

#define VS1 "[10.0.0.1]:tcp:80"
#define VS2 "fwmark 7"
#define VS3 "[10.0.0.1]:tcp:443"
#define VS4 "[10.0.0.8]:tcp:443"

static const struct subsys chk_sub = { .name = "checker" };
static const struct subsys vrrp_sub = { .name = "vrrp" };

static struct supervisor sv;
static struct slot *chk, *vrrp;
static int called, got_status;
static char got_text[512];

static void
feed(struct state_store *st, const struct ipc_obj *objs, size_t n)
{
	state_feed(st, 1, objs, n);
}

static const struct ipc_obj chk_objs[] = {
	{ "virtual_server", VS1, "up", "", 1, 0, 3, 1, "" },
	{ "real_server", VS1 " / [10.0.0.2]:80", "up", "", 1, 0, 1, 1, "" },
	{ "real_server", VS1 " / [10.0.0.3]:80", "up", "", 1, 0, 1, 1, "" },
	{ "virtual_server", VS2, "up", "", 1, 0, 1, 1, "" },
	{ "real_server", VS2 " / [10.0.0.2]:80", "up", "", 1, 0, 1, 1, "" },
	/* DR, written 8443: [10.0.0.4]:443 in the table */
	{ "virtual_server", VS3, "up", "", 1, 0, 1, 1, "" },
	{ "real_server", VS3 " / [10.0.0.4]:8443", "up", "", 1, 0, 1, 1,
	    "dest_port=443" },
	/* [10.0.0.6]:443 written in VS1 (NAT), VS3's table port elsewhere */
	{ "real_server", VS1 " / [10.0.0.6]:443", "up", "", 1, 0, 1, 1, "" },
	{ "real_server", VS3 " / [10.0.0.6]:8443", "up", "", 1, 0, 1, 1,
	    "dest_port=443" },
	/* [10.0.0.7]:443: two of VS3 on it, one of VS4 (DR) */
	{ "real_server", VS3 " / [10.0.0.7]:8443", "up", "", 1, 0, 1, 1,
	    "dest_port=443" },
	{ "real_server", VS3 " / [10.0.0.7]:9443", "up", "", 1, 0, 1, 1,
	    "dest_port=443" },
	{ "virtual_server", VS4, "up", "", 1, 0, 1, 1, "" },
	{ "real_server", VS4 " / [10.0.0.7]:7443", "up", "", 1, 0, 1, 1,
	    "dest_port=443" },
};
static const struct ipc_obj vrrp_objs[] = {
	{ "vrrp_instance", "VI_1", "MASTER", "", 1, 0, 100, 1,
	    "sync_group=G1" },
	{ "vrrp_instance", "VI_2", "MASTER", "", 1, 0, 100, 1,
	    "sync_group=G1" },
	{ "vrrp_instance", "VI_3", "BACKUP", "", 1, 0, 100, 1, "" },
	{ "vrrp_sync_group", "G1", "MASTER", "", 1, 0, IPC_OBJ_NO_WEIGHT, 1,
	    "members=VI_1 VI_2" },
};

static void
setup(void)
{
	memset(&sv, 0, sizeof(sv));
	sv.base = loop_new();
	ck_assert_ptr_nonnull(sv.base);
	sv.nslots = 2;
	chk = &sv.slots[0];
	vrrp = &sv.slots[1];
	chk->sv = vrrp->sv = &sv;
	chk->sub = &chk_sub;
	vrrp->sub = &vrrp_sub;
	chk->wanted = vrrp->wanted = 1;	/* pid 0: restarting */
	state_init(&chk->st);
	state_init(&vrrp->st);
	feed(&chk->st, chk_objs, sizeof(chk_objs) / sizeof(chk_objs[0]));
	feed(&vrrp->st, vrrp_objs, sizeof(vrrp_objs) / sizeof(vrrp_objs[0]));
}

static void
teardown(void)
{
	route_fini(&sv);
	state_fini(&chk->st);
	state_fini(&vrrp->st);
	event_base_free(sv.base);
}

static void
answered(void *arg, int status, const char *text, size_t len)
{
	(void)arg;
	called++;
	got_status = status;
	snprintf(got_text, sizeof(got_text), "%.*s", (int)len, text);
}

/* Run words (space-separated) and wait for the answer; returns its
 * status. */
static int
run(const char *words)
{
	char buf[512], *argv[IPC_CMD_MAX_ARGS + 1], *save = NULL, *w;
	int argc = 0;

	snprintf(buf, sizeof(buf), "%s", words);
	for (w = strtok_r(buf, " ", &save); w != NULL;
	    w = strtok_r(NULL, " ", &save)) {
		argv[argc++] = w;
	}
	argv[argc] = NULL;
	called = 0;
	ck_assert_int_eq(route_command(&sv, argc, argv, answered, NULL), 0);
	ck_assert_int_eq(called, 0);	/* never from inside the call */
	for (int i = 0; i < 100 && called == 0; i++)
		event_base_loop(sv.base, EVLOOP_ONCE | EVLOOP_NONBLOCK);
	ck_assert_int_eq(called, 1);
	return got_status;
}

static const struct state_obj *
ov(struct slot *s, const char *kind, const char *name)
{
	return state_override_find(&s->st, kind, name);
}

START_TEST(drain_everywhere_or_narrowed)
{
	ck_assert_int_eq(run("drain 10.0.0.2:80"), IPC_CMD_OK);
	ck_assert_msg(strstr(got_text, "restarting") != NULL, "%s", got_text);
	ck_assert_uint_eq(ov(chk, "real_server", VS1 " / [10.0.0.2]:80")->flags,
	    IPC_OBJ_DRAIN);
	ck_assert_uint_eq(ov(chk, "real_server", VS2 " / [10.0.0.2]:80")->flags,
	    IPC_OBJ_DRAIN);
	ck_assert_ptr_null(ov(chk, "real_server", VS1 " / [10.0.0.3]:80"));
	ck_assert_int_eq(run("undrain 10.0.0.2:80 fwmark 7"), IPC_CMD_OK);
	ck_assert_ptr_null(ov(chk, "real_server", VS2 " / [10.0.0.2]:80"));
	ck_assert_ptr_nonnull(ov(chk, "real_server", VS1 " / [10.0.0.2]:80"));
	ck_assert_int_eq(run("undrain 10.0.0.2:80 10.0.0.1:80/tcp"),
	    IPC_CMD_OK);
	ck_assert_uint_eq(chk->st.overrides.n, 0);
}
END_TEST

/* A real server found by the port of its IPVS destination too (as
 * ipvsadm, the fifo lines and SNMP name it), recorded under its name. */
START_TEST(real_server_by_its_table_port)
{
	ck_assert_int_eq(run("drain 10.0.0.4:443"), IPC_CMD_OK);
	ck_assert_uint_eq(ov(chk, "real_server", VS3 " / [10.0.0.4]:8443")->flags,
	    IPC_OBJ_DRAIN);
	ck_assert_int_eq(run("undrain 10.0.0.4:8443 " VS3), IPC_CMD_OK);
	ck_assert_uint_eq(chk->st.overrides.n, 0);
	ck_assert_int_eq(run("set-weight 10.0.0.1:443 10.0.0.4:443 5"),
	    IPC_CMD_OK);
	ck_assert_int_eq(ov(chk, "real_server", VS3 " / [10.0.0.4]:8443")->weight,
	    5);
	/* only the address and port of its destination */
	ck_assert_int_eq(run("drain 10.0.0.5:443"), IPC_CMD_ENOENT);
	ck_assert_int_eq(run("drain 10.0.0.4:80"), IPC_CMD_ENOENT);
}
END_TEST

/* Virtual server by virtual server, as the checker child finds them
 * (chk_cmd.c's cmd_rs_find): one written with the port in one and one on
 * that IPVS destination in another are both recorded; two of one virtual
 * server on it are neither, refused when nothing else is named. */
START_TEST(real_server_by_its_table_port_per_virtual_server)
{
	ck_assert_int_eq(run("drain 10.0.0.6:443"), IPC_CMD_OK);
	ck_assert_uint_eq(ov(chk, "real_server", VS1 " / [10.0.0.6]:443")->flags,
	    IPC_OBJ_DRAIN);
	ck_assert_ptr_nonnull(ov(chk, "real_server", VS3 " / [10.0.0.6]:8443"));
	ck_assert_uint_eq(ov(chk, "real_server", VS3 " / [10.0.0.6]:8443")->flags,
	    IPC_OBJ_DRAIN);
	ck_assert_int_eq(run("drain 10.0.0.7:443"), IPC_CMD_OK);
	ck_assert_uint_eq(ov(chk, "real_server", VS4 " / [10.0.0.7]:7443")->flags,
	    IPC_OBJ_DRAIN);
	ck_assert_ptr_null(ov(chk, "real_server", VS3 " / [10.0.0.7]:8443"));
	ck_assert_ptr_null(ov(chk, "real_server", VS3 " / [10.0.0.7]:9443"));
	ck_assert_uint_eq(chk->st.overrides.n, 3);
	ck_assert_int_eq(run("set-weight " VS3 " 10.0.0.7:443 5"),
	    IPC_CMD_EUSAGE);
	ck_assert_msg(strstr(got_text, "[10.0.0.7]:8443 and " VS3
	    " / [10.0.0.7]:9443 are both") != NULL, "%s", got_text);
	ck_assert_int_eq(run("drain 10.0.0.7:443 " VS3), IPC_CMD_EUSAGE);
	ck_assert_uint_eq(chk->st.overrides.n, 3);
	ck_assert_int_eq(run("set-weight " VS3 " 10.0.0.7:9443 5"),
	    IPC_CMD_OK);
	ck_assert_int_eq(ov(chk, "real_server", VS3 " / [10.0.0.7]:9443")->weight,
	    5);
}
END_TEST

START_TEST(weight_and_drain_together)
{
	const struct state_obj *o;

	ck_assert_int_eq(run("set-weight 10.0.0.1:80 10.0.0.2:80 7"),
	    IPC_CMD_OK);
	ck_assert_int_eq(run("drain 10.0.0.2:80 " VS1), IPC_CMD_OK);
	o = ov(chk, "real_server", VS1 " / [10.0.0.2]:80");
	ck_assert_int_eq(o->weight, 7);
	ck_assert_uint_eq(o->flags, IPC_OBJ_DRAIN);
	ck_assert_int_eq(run("undrain 10.0.0.2:80"), IPC_CMD_OK);
	o = ov(chk, "real_server", VS1 " / [10.0.0.2]:80");
	ck_assert_int_eq(o->weight, 7);
	ck_assert_uint_eq(o->flags, 0);
	/* two-word VS */
	ck_assert_int_eq(run("set-weight fwmark 7 10.0.0.2:80 0"), IPC_CMD_OK);
	ck_assert_int_eq(ov(chk, "real_server", VS2 " / [10.0.0.2]:80")->weight,
	    0);
}
END_TEST

START_TEST(pool_changes)
{
	const struct state_obj *o;
	char v[256];

	ck_assert_int_eq(run("add-real 10.0.0.1:80 10.0.0.9:80 weight 2 check "
	    "TCP_CHECK { }"), IPC_CMD_OK);
	o = ov(chk, "real_server", VS1 " / [10.0.0.9]:80");
	ck_assert_ptr_nonnull(o);
	ck_assert_uint_eq(o->flags, IPC_OBJ_ADDED);
	ck_assert_int_eq(o->weight, 2);
	ck_assert(ipc_attrs_get(o->attrs, "virtual_server", v, sizeof(v)));
	ck_assert_str_eq(v, VS1);
	ck_assert_str_eq(o->attrs, "virtual_server=" VS1 "\narg=weight\n"
	    "arg=2\narg=check\narg=TCP_CHECK\narg={\narg=}");
	/* already there (a runtime one counts) */
	ck_assert_int_eq(run("add-real 10.0.0.1:80 10.0.0.9:80"), IPC_CMD_EFAIL);
	ck_assert_int_eq(run("add-real 10.0.0.1:80 10.0.0.3:80"), IPC_CMD_EFAIL);
	ck_assert_int_eq(run("remove-real 10.0.0.1:80 10.0.0.9:80"), IPC_CMD_OK);
	ck_assert_ptr_null(ov(chk, "real_server", VS1 " / [10.0.0.9]:80"));
	/* a configured one: removed, then back */
	ck_assert_int_eq(run("remove-real " VS1 " 10.0.0.3:80"), IPC_CMD_OK);
	ck_assert_uint_eq(ov(chk, "real_server", VS1 " / [10.0.0.3]:80")->flags,
	    IPC_OBJ_REMOVED);
	ck_assert_int_eq(run("add-real " VS1 " 10.0.0.3:80"), IPC_CMD_OK);
	ck_assert_ptr_null(ov(chk, "real_server", VS1 " / [10.0.0.3]:80"));
}
END_TEST

START_TEST(refused)
{
	ck_assert_int_eq(run("drain 10.0.0.99:80"), IPC_CMD_ENOENT);
	ck_assert_int_eq(run("drain 10.0.0.2:80 10.0.0.1:81"), IPC_CMD_ENOENT);
	ck_assert_int_eq(run("drain nonsense"), IPC_CMD_EUSAGE);
	ck_assert_int_eq(run("drain"), IPC_CMD_EUSAGE);
	ck_assert_int_eq(run("set-weight 10.0.0.1:80 10.0.0.2:80 -1"),
	    IPC_CMD_EUSAGE);
	ck_assert_int_eq(run("set-weight 10.0.0.1:80 10.0.0.2:80 65536"),
	    IPC_CMD_EUSAGE);
	ck_assert_int_eq(run("add-real 10.0.0.1:80 10.0.0.9:80 weight"),
	    IPC_CMD_EUSAGE);
	ck_assert_int_eq(run("frobnicate x"), IPC_CMD_EUNKNOWN);
	ck_assert_int_eq(run("force-backup VI_9"), IPC_CMD_ENOENT);
	ck_assert_uint_eq(chk->st.overrides.n, 0);
	ck_assert_uint_eq(vrrp->st.overrides.n, 0);
	/* no child for it */
	chk->wanted = 0;
	ck_assert_int_eq(run("drain 10.0.0.2:80"), IPC_CMD_ENOENT);
	ck_assert_uint_eq(chk->st.overrides.n, 0);
}
END_TEST

START_TEST(force_backup_group)
{
	ck_assert_msg(run("force-backup VI_1") == IPC_CMD_OK, "%s", got_text);
	ck_assert_uint_eq(ov(vrrp, "vrrp_instance", "VI_1")->flags,
	    IPC_OBJ_FORCED_BACKUP);
	ck_assert_ptr_nonnull(ov(vrrp, "vrrp_instance", "VI_2"));
	ck_assert_ptr_null(ov(vrrp, "vrrp_instance", "VI_3"));
	ck_assert_int_eq(run("release VI_2"), IPC_CMD_OK);
	ck_assert_uint_eq(vrrp->st.overrides.n, 0);
}
END_TEST

/* set-priority and set-preempt (the SNMP agent's VRRP writes): recorded
 * for the instance alone (not its sync group), beside a force-backup */
START_TEST(vrrp_settings_recorded)
{
	const struct state_obj *o;

	ck_assert_msg(run("set-priority VI_1 90") == IPC_CMD_OK, "%s",
	    got_text);
	ck_assert_msg(run("set-preempt VI_1 off") == IPC_CMD_OK, "%s",
	    got_text);
	ck_assert_ptr_nonnull(o = ov(vrrp, "vrrp_instance", "VI_1"));
	ck_assert_uint_eq(o->flags, IPC_OBJ_PRIORITY | IPC_OBJ_PREEMPT_OFF);
	ck_assert_int_eq(o->weight, 90);
	ck_assert_ptr_null(ov(vrrp, "vrrp_instance", "VI_2"));
	ck_assert_msg(run("set-preempt VI_1 on") == IPC_CMD_OK, "%s",
	    got_text);
	ck_assert_msg(run("force-backup VI_1") == IPC_CMD_OK, "%s", got_text);
	ck_assert_uint_eq(ov(vrrp, "vrrp_instance", "VI_1")->flags,
	    IPC_OBJ_PRIORITY | IPC_OBJ_PREEMPT_ON | IPC_OBJ_FORCED_BACKUP);
	ck_assert_int_eq(ov(vrrp, "vrrp_instance", "VI_1")->weight, 90);
	/* release keeps the settings; the group member's goes */
	ck_assert_int_eq(run("release VI_1"), IPC_CMD_OK);
	ck_assert_uint_eq(ov(vrrp, "vrrp_instance", "VI_1")->flags,
	    IPC_OBJ_PRIORITY | IPC_OBJ_PREEMPT_ON);
	ck_assert_ptr_null(ov(vrrp, "vrrp_instance", "VI_2"));
	/* a child that dropped them on a reload: the parent forgets them,
	 * a force-backup stays */
	ck_assert_int_eq(run("force-backup VI_1"), IPC_CMD_OK);
	state_override_drop(&vrrp->st, "vrrp_instance", "VI_1",
	    IPC_OBJ_VRRP_SETTINGS);
	ck_assert_uint_eq(ov(vrrp, "vrrp_instance", "VI_1")->flags,
	    IPC_OBJ_FORCED_BACKUP);
	ck_assert_int_eq(ov(vrrp, "vrrp_instance", "VI_1")->weight,
	    IPC_OBJ_NO_WEIGHT);
	ck_assert_int_eq(run("set-priority VI_1 80"), IPC_CMD_OK);
	ck_assert_int_eq(run("release VI_1"), IPC_CMD_OK);
	ck_assert_int_eq(run("release VI_2"), IPC_CMD_OK);
	state_override_drop(&vrrp->st, "vrrp_instance", "VI_1",
	    IPC_OBJ_VRRP_SETTINGS);
	ck_assert_uint_eq(vrrp->st.overrides.n, 0);
	ck_assert_int_eq(run("set-priority VI_9 90"), IPC_CMD_ENOENT);
	ck_assert_int_eq(run("set-priority VI_1"), IPC_CMD_EUSAGE);
	ck_assert_int_eq(run("set-preempt VI_1 on off"), IPC_CMD_EUSAGE);
	ck_assert_uint_eq(vrrp->st.overrides.n, 0);
}
END_TEST

START_TEST(cancelled_caller)
{
	char *argv[] = { "drain", "10.0.0.2:80", NULL };
	int token;

	called = 0;
	ck_assert_int_eq(route_command(&sv, 2, argv, answered, &token), 0);
	route_cancel(&sv, &token);
	for (int i = 0; i < 20; i++)
		event_base_loop(sv.base, EVLOOP_ONCE | EVLOOP_NONBLOCK);
	ck_assert_int_eq(called, 0);
	/* the change itself stands */
	ck_assert_uint_eq(chk->st.overrides.n, 2);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("route");
	TCase *tc = tcase_create("route");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, drain_everywhere_or_narrowed);
	tcase_add_test(tc, real_server_by_its_table_port);
	tcase_add_test(tc, real_server_by_its_table_port_per_virtual_server);
	tcase_add_test(tc, weight_and_drain_together);
	tcase_add_test(tc, pool_changes);
	tcase_add_test(tc, refused);
	tcase_add_test(tc, force_backup_group);
	tcase_add_test(tc, vrrp_settings_recorded);
	tcase_add_test(tc, cancelled_caller);
	suite_add_tcase(s, tc);
	return check_run(s);
}

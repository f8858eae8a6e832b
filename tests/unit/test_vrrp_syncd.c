/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * lvs_sync_daemon: the configuration (keepalived's forms, the instance it
 * names, the deprecated lvs_sync_daemon_interface, errors at file:line,
 * the reload wording) and the daemon following the instance against a
 * stand-in kernel that records every request in order: backup from the
 * start, master while MASTER, backup again on leaving it, restarted only
 * when a reload changes its settings, adopted when it already runs,
 * stopped at the end; no IPVS or a missing interface is reported, never
 * fatal.
 */
#include <check.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "log.h"
#include "vrrp/syncd.h"
#include "vrrp_conf_test.h"
#include "check_run.h"

/* ---- a stand-in kernel -------------------------------------------------- */

struct fake {
	char log[2048];
	struct ipvs_daemon run[2];	/* by state - 1; state 0: none */
	int start_err;			/* returned by start when set */
	int dump_err;
};

static void
__attribute__((format(printf, 2, 3)))
rec(struct fake *f, const char *fmt, ...)
{
	size_t at = strlen(f->log);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(f->log + at, sizeof(f->log) - at, fmt, ap);
	va_end(ap);
}

static int
f_start(void *arg, const struct ipvs_daemon *d)
{
	struct fake *f = arg;

	rec(f, "start %s %s %u%s;", vrrp_syncd_role_name(d->state), d->ifname,
	    d->syncid, d->maxlen ? " maxlen" : "");
	if (f->start_err != 0)
		return f->start_err;
	if (f->run[d->state - 1].state != 0)
		return -EEXIST;
	f->run[d->state - 1] = *d;
	return 0;
}

static int
f_stop(void *arg, enum ipvs_sync_state st)
{
	struct fake *f = arg;

	rec(f, "stop %s;", vrrp_syncd_role_name(st));
	if (f->run[st - 1].state == 0)
		return -ESRCH;
	memset(&f->run[st - 1], 0, sizeof(f->run[0]));
	return 0;
}

static int
f_dump(void *arg, struct ipvs_daemon out[2])
{
	struct fake *f = arg;
	int n = 0;

	if (f->dump_err != 0)
		return f->dump_err;
	for (int i = 0; i < 2; i++)
		if (f->run[i].state != 0)
			out[n++] = f->run[i];
	return n;
}

static const struct vrrp_syncd_ops fake_ops = { f_start, f_stop, f_dump };

static struct vrrp_conf_syncd
conf(const char *ifname, const char *inst, unsigned syncid)
{
	struct vrrp_conf_syncd c;

	memset(&c, 0, sizeof(c));
	c.set = 1;
	c.ifname = (char *)ifname;
	c.instance = (char *)inst;
	c.syncid = syncid;
	return c;
}

/* what the kernel was asked since the last call, then forgotten */
static const char *
asked(struct fake *f)
{
	static char buf[sizeof(f->log)];

	memcpy(buf, f->log, sizeof(buf));
	f->log[0] = '\0';
	return buf;
}

START_TEST(role_of_each_state)
{
	ck_assert_int_eq(vrrp_syncd_role(VRRP_STATE_MASTER), IPVS_SYNC_MASTER);
	ck_assert_int_eq(vrrp_syncd_role(VRRP_STATE_BACKUP), IPVS_SYNC_BACKUP);
	ck_assert_int_eq(vrrp_syncd_role(VRRP_STATE_FAULT), IPVS_SYNC_BACKUP);
	ck_assert_int_eq(vrrp_syncd_role(VRRP_STATE_INIT), IPVS_SYNC_BACKUP);
}
END_TEST

START_TEST(follows_the_instance)
{
	struct fake f = { 0 };
	struct vrrp_syncd *s = vrrp_syncd_new(&fake_ops, &f);
	struct vrrp_conf_syncd c = conf("eth1", "VI_1", 51);
	char d[256];

	vrrp_syncd_configure(s, &c, VRRP_STATE_INIT);
	ck_assert_str_eq(asked(&f), "start backup eth1 51;");
	ck_assert_str_eq(vrrp_syncd_describe(s, d, sizeof(d)),
	    "backup on eth1, syncid 51");
	vrrp_syncd_follow(s, VRRP_STATE_BACKUP);
	ck_assert_str_eq(asked(&f), "");
	vrrp_syncd_follow(s, VRRP_STATE_MASTER);
	ck_assert_str_eq(asked(&f), "stop backup;start master eth1 51;");
	ck_assert_int_eq(vrrp_syncd_running(s), IPVS_SYNC_MASTER);
	vrrp_syncd_follow(s, VRRP_STATE_MASTER);
	ck_assert_str_eq(asked(&f), "");
	vrrp_syncd_follow(s, VRRP_STATE_FAULT);
	ck_assert_str_eq(asked(&f), "stop master;start backup eth1 51;");
	vrrp_syncd_follow(s, VRRP_STATE_BACKUP);
	ck_assert_str_eq(asked(&f), "");
	vrrp_syncd_follow(s, VRRP_STATE_MASTER);
	ck_assert_str_eq(asked(&f), "stop backup;start master eth1 51;");
	vrrp_syncd_stop(s);
	ck_assert_str_eq(asked(&f), "stop master;");
	ck_assert_int_eq(f.run[0].state + f.run[1].state, 0);
	ck_assert_str_eq(vrrp_syncd_describe(s, d, sizeof(d)), "stopped");
	vrrp_syncd_free(s);
}
END_TEST

START_TEST(reload_restarts_only_on_change)
{
	struct fake f = { 0 };
	struct vrrp_syncd *s = vrrp_syncd_new(&fake_ops, &f);
	struct vrrp_conf_syncd c = conf("eth1", "VI_1", 51), c2;

	vrrp_syncd_configure(s, &c, VRRP_STATE_INIT);
	vrrp_syncd_follow(s, VRRP_STATE_MASTER);
	(void)asked(&f);
	/* the same settings (a new copy): nothing */
	c2 = conf("eth1", "VI_1", 51);
	vrrp_syncd_configure(s, &c2, VRRP_STATE_MASTER);
	ck_assert_str_eq(asked(&f), "");
	/* maxlen changed: restarted with it */
	c2.maxlen = 1400;
	vrrp_syncd_configure(s, &c2, VRRP_STATE_MASTER);
	ck_assert_str_eq(asked(&f), "stop master;start master eth1 51 maxlen;");
	/* another instance, same settings, BACKUP there: switches */
	c2.instance = "VI_2";
	vrrp_syncd_configure(s, &c2, VRRP_STATE_BACKUP);
	ck_assert_str_eq(asked(&f), "stop master;start backup eth1 51 maxlen;");
	ck_assert_str_eq(vrrp_syncd_instance(s), "VI_2");
	/* the interface changed */
	c2.ifname = "eth2";
	vrrp_syncd_configure(s, &c2, VRRP_STATE_BACKUP);
	ck_assert_str_eq(asked(&f), "stop backup;start backup eth2 51 maxlen;");
	/* removed from the configuration: stopped, and no more following */
	vrrp_syncd_configure(s, NULL, VRRP_STATE_INIT);
	ck_assert_str_eq(asked(&f), "stop backup;");
	ck_assert_ptr_null(vrrp_syncd_instance(s));
	vrrp_syncd_follow(s, VRRP_STATE_MASTER);
	ck_assert_str_eq(asked(&f), "");
	/* back again */
	vrrp_syncd_configure(s, &c, VRRP_STATE_MASTER);
	ck_assert_str_eq(asked(&f), "start master eth1 51;");
	vrrp_syncd_free(s);
}
END_TEST

START_TEST(adopts_what_runs)
{
	struct fake f = { 0 };
	struct vrrp_syncd *s = vrrp_syncd_new(&fake_ops, &f);
	struct vrrp_conf_syncd c = conf("eth1", "VI_1", 51);

	/* a respawned child: the backup it wants runs (with the kernel's
	 * defaults filled in) */
	f.run[1].state = IPVS_SYNC_BACKUP;
	strcpy(f.run[1].ifname, "eth1");
	f.run[1].syncid = 51;
	f.run[1].maxlen = 1472;
	f.run[1].port = 8848;
	vrrp_syncd_configure(s, &c, VRRP_STATE_INIT);
	ck_assert_str_eq(asked(&f), "");
	ck_assert_int_eq(vrrp_syncd_running(s), IPVS_SYNC_BACKUP);
	vrrp_syncd_free(s);

	/* a master left running and a backup with another syncid: both
	 * stopped, the wanted backup started */
	memset(&f, 0, sizeof(f));
	f.run[0].state = IPVS_SYNC_MASTER;
	strcpy(f.run[0].ifname, "eth1");
	f.run[0].syncid = 51;
	f.run[1].state = IPVS_SYNC_BACKUP;
	strcpy(f.run[1].ifname, "eth1");
	f.run[1].syncid = 9;
	s = vrrp_syncd_new(&fake_ops, &f);
	vrrp_syncd_configure(s, &c, VRRP_STATE_BACKUP);
	ck_assert_str_eq(asked(&f), "stop master;stop backup;"
	    "start backup eth1 51;");
	vrrp_syncd_free(s);
}
END_TEST

/* No instance to follow (the checker child's case): master and backup
 * both run, whatever the VRRP states; a running one is adopted; naming
 * an instance later leaves only the one its state wants. */
START_TEST(both_without_instance)
{
	struct fake f = { 0 };
	struct vrrp_syncd *s = vrrp_syncd_new(&fake_ops, &f);
	struct vrrp_conf_syncd c = conf("eth1", NULL, 0), ci;
	char d[256];

	vrrp_syncd_configure(s, &c, VRRP_STATE_INIT);
	ck_assert_str_eq(asked(&f), "start master eth1 0;start backup eth1 0;");
	ck_assert_uint_eq(vrrp_syncd_running(s),
	    IPVS_SYNC_MASTER | IPVS_SYNC_BACKUP);
	ck_assert_ptr_null(vrrp_syncd_instance(s));
	ck_assert_str_eq(vrrp_syncd_describe(s, d, sizeof(d)),
	    "master+backup on eth1, syncid 0");
	vrrp_syncd_follow(s, VRRP_STATE_MASTER);	/* follows nothing */
	vrrp_syncd_configure(s, &c, VRRP_STATE_INIT);	/* reload, same */
	ck_assert_str_eq(asked(&f), "");
	ci = conf("eth1", "VI_1", 0);
	vrrp_syncd_configure(s, &ci, VRRP_STATE_BACKUP);
	ck_assert_str_eq(asked(&f), "stop master;stop backup;"
	    "start backup eth1 0;");
	vrrp_syncd_configure(s, &c, VRRP_STATE_INIT);
	ck_assert_str_eq(asked(&f), "stop backup;start master eth1 0;"
	    "start backup eth1 0;");
	vrrp_syncd_stop(s);
	ck_assert_str_eq(asked(&f), "stop master;stop backup;");
	ck_assert_int_eq(f.run[0].state + f.run[1].state, 0);
	vrrp_syncd_free(s);

	/* a respawned checker: the master it wants runs */
	memset(&f, 0, sizeof(f));
	f.run[0].state = IPVS_SYNC_MASTER;
	strcpy(f.run[0].ifname, "eth1");
	s = vrrp_syncd_new(&fake_ops, &f);
	vrrp_syncd_configure(s, &c, VRRP_STATE_INIT);
	ck_assert_str_eq(asked(&f), "start backup eth1 0;");
	ck_assert_uint_eq(vrrp_syncd_running(s),
	    IPVS_SYNC_MASTER | IPVS_SYNC_BACKUP);
	vrrp_syncd_free(s);
}
END_TEST

START_TEST(kernel_errors_are_reported_and_retried)
{
	struct fake f = { 0 };
	struct vrrp_syncd *s = vrrp_syncd_new(&fake_ops, &f);
	struct vrrp_conf_syncd c = conf("eth9", "VI_1", 1);
	char d[256];

	/* no IPVS: nothing runs, it says so, and the next change tries
	 * again */
	f.dump_err = -ENOENT;
	f.start_err = -ENOENT;
	vrrp_syncd_configure(s, &c, VRRP_STATE_INIT);
	ck_assert_str_eq(asked(&f), "start backup eth9 1;");
	ck_assert_int_eq(vrrp_syncd_running(s), 0);
	ck_assert_str_eq(vrrp_syncd_describe(s, d, sizeof(d)),
	    "failed: no IPVS in the kernel");
	/* the interface does not exist */
	f.dump_err = 0;
	f.start_err = -ENODEV;
	vrrp_syncd_follow(s, VRRP_STATE_MASTER);
	ck_assert_str_eq(asked(&f), "start master eth9 1;");
	ck_assert_str_eq(vrrp_syncd_describe(s, d, sizeof(d)),
	    "failed: start master: No such device (no such interface)");
	/* it appears: the next transition starts the daemon */
	f.start_err = 0;
	vrrp_syncd_follow(s, VRRP_STATE_BACKUP);
	ck_assert_str_eq(asked(&f), "start backup eth9 1;");
	ck_assert_int_eq(vrrp_syncd_running(s), IPVS_SYNC_BACKUP);
	vrrp_syncd_stop(s);
	ck_assert_str_eq(asked(&f), "stop backup;");
	vrrp_syncd_free(s);
}
END_TEST

/* ---- the configuration -------------------------------------------------- */

#define INST(n, id) "vrrp_instance " n " {\n interface eth0\n" \
	" virtual_router_id " id "\n priority 100\n" \
	" virtual_ipaddress {\n 10.0.0.1\n }\n}\n"

static const struct vrrp_conf_syncd *
syncd_of(struct loaded *l)
{
	return &l->vc->g.lvs_syncd;
}

START_TEST(conf_forms)
{
	struct loaded l;

	/* keepalived's usual form: the syncid is the instance's VRID */
	load_str(&l, "global_defs {\n lvs_sync_daemon eth1 VI_1\n}\n"
	    INST("VI_1", "51"));
	ck_assert_msg(l.nerr == 0, "%s", l.msgs);
	ck_assert_str_eq(syncd_of(&l)->ifname, "eth1");
	ck_assert_str_eq(syncd_of(&l)->instance, "VI_1");
	ck_assert_uint_eq(syncd_of(&l)->syncid, 51);
	unload(&l);

	load_str(&l, "global_defs {\n lvs_sync_daemon eth1 inst VI_1 id 0 "
	    "maxlen 1400 port 8849 ttl 2 group 224.0.0.82\n}\n"
	    INST("VI_1", "51"));
	ck_assert_msg(l.nerr == 0, "%s", l.msgs);
	ck_assert_uint_eq(syncd_of(&l)->syncid, 0);
	ck_assert_uint_eq(syncd_of(&l)->maxlen, 1400);
	ck_assert_uint_eq(syncd_of(&l)->port, 8849);
	ck_assert_uint_eq(syncd_of(&l)->ttl, 2);
	ck_assert_int_eq(syncd_of(&l)->group.family, AF_INET);
	unload(&l);

	/* no instance: loaded without a word (the checker child runs
	 * master and backup), syncid 0 unless given */
	load_str(&l, "global_defs {\n lvs_sync_daemon eth1\n}\n"
	    INST("VI_1", "51"));
	ck_assert_msg(l.nerr == 0 && strstr(l.msgs, "lvs_sync_daemon") ==
	    NULL, "%s", l.msgs);
	ck_assert_ptr_null(syncd_of(&l)->instance);
	ck_assert_uint_eq(syncd_of(&l)->syncid, 0);
	unload(&l);
	load_str(&l, "global_defs {\n lvs_sync_daemon eth1 id 7\n}\n");
	ck_assert_msg(l.nerr == 0, "%s", l.msgs);
	ck_assert_uint_eq(syncd_of(&l)->syncid, 7);
	unload(&l);

	/* the old form IFNAME INSTANCE SYNCID: accepted with a warning */
	load_str(&l, "global_defs {\n lvs_sync_daemon eth1 VI_1 9\n}\n"
	    INST("VI_1", "51"));
	ck_assert_msg(l.nerr == 0, "%s", l.msgs);
	ck_assert_uint_eq(syncd_of(&l)->syncid, 9);
	ck_assert_msg(has_msg(&l, "test.conf:2: warning: lvs_sync_daemon: "
	    "write 'id 9' for the sync id"), "%s", l.msgs);
	unload(&l);

	/* the deprecated instance keyword, when global_defs has none */
	load_str(&l, "vrrp_instance VI_7 {\n interface eth0\n"
	    " virtual_router_id 7\n lvs_sync_daemon_interface eth3\n"
	    " virtual_ipaddress {\n 10.0.0.1\n }\n}\n");
	ck_assert_msg(l.nerr == 0, "%s", l.msgs);
	ck_assert_str_eq(syncd_of(&l)->ifname, "eth3");
	ck_assert_str_eq(syncd_of(&l)->instance, "VI_7");
	ck_assert_uint_eq(syncd_of(&l)->syncid, 7);
	unload(&l);

	/* both: global_defs wins, the instance's is ignored with a warning */
	load_str(&l, "global_defs {\n lvs_sync_daemon eth1 VI_1\n}\n"
	    INST("VI_1", "51")
	    "vrrp_instance VI_2 {\n interface eth0\n virtual_router_id 2\n"
	    " lvs_sync_daemon_interface eth3\n}\n");
	ck_assert_msg(l.nerr == 0, "%s", l.msgs);
	ck_assert_str_eq(syncd_of(&l)->ifname, "eth1");
	ck_assert_msg(has_msg(&l, "test.conf:12: warning: vrrp_instance VI_2: "
	    "lvs_sync_daemon_interface: the sync daemon is already given at "
	    "test.conf:2 (eth1); ignored"), "%s", l.msgs);
	unload(&l);
}
END_TEST

START_TEST(conf_errors)
{
	static const struct {
		const char *line, *msg;
		int error;
	} cases[] = {
		{ "lvs_sync_daemon eth1 VI_9",
		  "test.conf:2: error: lvs_sync_daemon: unknown vrrp_instance "
		  "'VI_9'", 1 },
		{ "lvs_sync_daemon eth1 VI_1 group 10.1.1.1",
		  "test.conf:2: error: lvs_sync_daemon: group: 10.1.1.1 is not "
		  "a multicast address", 1 },
		{ "lvs_sync_daemon eth1 VI_1 id 256",
		  "test.conf:2: error: lvs_sync_daemon: id: expected 0-255, "
		  "got 256", 1 },
		{ "lvs_sync_daemon eth1 VI_1 maxlen 65508",
		  "test.conf:2: error: lvs_sync_daemon: maxlen: expected "
		  "1-65507, got 65508", 1 },
		{ "lvs_sync_daemon eth1 VI_1 port",
		  "test.conf:2: error: lvs_sync_daemon: port: expected "
		  "1-65535", 1 },
		{ "lvs_sync_daemon eth1 VI_1 color blue",
		  "test.conf:2: error: lvs_sync_daemon: unexpected 'color'", 1 },
		{ "lvs_sync_daemon averyveryverylongname VI_1",
		  "test.conf:2: error: lvs_sync_daemon: invalid interface "
		  "name 'averyveryverylongname'", 1 },
		{ "lvs_sync_daemon eth1 VI_1\n lvs_sync_daemon eth2 VI_1",
		  "test.conf:3: warning: lvs_sync_daemon: already given at "
		  "test.conf:2 (eth1); ignored", 0 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct loaded l;
		char text[512];

		snprintf(text, sizeof(text), "global_defs {\n %s\n}\n%s",
		    cases[i].line, INST("VI_1", "51"));
		load_str(&l, text);
		ck_assert_msg((l.nerr != 0) == cases[i].error,
		    "%s: %u errors: %s", cases[i].line, l.nerr, l.msgs);
		ck_assert_msg(has_msg(&l, cases[i].msg), "%s: got %s",
		    cases[i].line, l.msgs);
		unload(&l);
	}
}
END_TEST

static void
line_to(void *arg, unsigned flags, const char *line)
{
	char *buf = arg;

	(void)flags;
	strcat(buf, line);
	strcat(buf, "\n");
}

static void
diff_text(const char *a, const char *b, char *out)
{
	struct loaded la, lb;

	load_str(&la, a);
	load_str(&lb, b);
	ck_assert_msg(la.nerr == 0 && lb.nerr == 0, "%s %s", la.msgs, lb.msgs);
	out[0] = '\0';
	ck_assert_int_eq(vrrp_conf_diff_text(la.vc, lb.vc, line_to, out), 0);
	ck_assert_int_eq(vrrp_conf_syncd_same(syncd_of(&la), syncd_of(&lb)),
	    strstr(out, "restarts") == NULL && strstr(out, "added") == NULL &&
	    strstr(out, "removed") == NULL);
	unload(&la);
	unload(&lb);
}

START_TEST(conf_reload_text)
{
	char out[2048];
	const char *insts = INST("VI_1", "51") INST("VI_2", "52");

	char a[1024], b[1024];

	snprintf(a, sizeof(a), "global_defs {\n lvs_sync_daemon eth1 VI_1 "
	    "id 5\n}\n%s", insts);
	/* the same: no line */
	diff_text(a, a, out);
	ck_assert_str_eq(out, "");
	/* maxlen given: restarts */
	snprintf(b, sizeof(b), "global_defs {\n lvs_sync_daemon eth1 VI_1 "
	    "id 5 maxlen 1400\n}\n%s", insts);
	diff_text(a, b, out);
	ck_assert_str_eq(out, "lvs_sync_daemon: changed (eth1, syncid 5 -> "
	    "eth1, syncid 5): the sync daemon restarts\n");
	/* another instance, same settings */
	snprintf(b, sizeof(b), "global_defs {\n lvs_sync_daemon eth1 VI_2 "
	    "id 5\n}\n%s", insts);
	diff_text(a, b, out);
	ck_assert_str_eq(out, "lvs_sync_daemon: follows VI_2 instead of "
	    "VI_1\n");
	/* the default syncid follows the VRID: VI_2's is 52 */
	snprintf(b, sizeof(b), "global_defs {\n lvs_sync_daemon eth1 VI_2\n"
	    "}\n%s", insts);
	diff_text(a, b, out);
	ck_assert_str_eq(out, "lvs_sync_daemon: changed (eth1, syncid 5 -> "
	    "eth1, syncid 52): the sync daemon restarts\n");
	/* removed, added */
	diff_text(a, insts, out);
	ck_assert_str_eq(out, "lvs_sync_daemon: removed: the sync daemon "
	    "stops\n");
	diff_text(insts, a, out);
	ck_assert_str_eq(out, "lvs_sync_daemon: added (eth1, syncid 5, "
	    "follows VI_1)\n");
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("vrrp_syncd");
	TCase *tc = tcase_create("daemon");
	TCase *tcc = tcase_create("conf");

	tcase_add_test(tc, role_of_each_state);
	tcase_add_test(tc, follows_the_instance);
	tcase_add_test(tc, reload_restarts_only_on_change);
	tcase_add_test(tc, adopts_what_runs);
	tcase_add_test(tc, both_without_instance);
	tcase_add_test(tc, kernel_errors_are_reported_and_retried);
	suite_add_tcase(s, tc);
	tcase_add_test(tcc, conf_forms);
	tcase_add_test(tcc, conf_errors);
	tcase_add_test(tcc, conf_reload_text);
	suite_add_tcase(s, tcc);
	return s;
}

int
main(void)
{
	log_init("test_vrrp_syncd", LOG_F_STDERR, LOG_DAEMON, 0);
	return check_run(suite());
}

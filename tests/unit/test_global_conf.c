/* SPDX-License-Identifier: GPL-2.0-or-later */
/* global_defs into struct global_conf. */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "conf.h"

/* two owners besides global_defs, as subsystems number themselves */
#define OWNER_A 1
#define OWNER_B 2
#include "conf_testtree.h"
#include "global_conf.h"
#include "check_run.h"

static struct conf_registry *reg;
static struct tt_diag td;
static struct conf_tree *tree;
static struct arena *cfg;
static struct global_conf *g;

static void
setup(void)
{
	reg = conf_registry_new();
	ck_assert_int_eq(global_conf_register(reg), 0);
	tt_diag_init(&td);
	cfg = arena_new();
	g = global_conf_new(cfg);
	ck_assert_ptr_nonnull(g);
	tree = NULL;
}

static void
teardown(void)
{
	tt_diag_clear(&td);
	tt_tree_free(tree);
	arena_free(cfg);
	conf_registry_free(reg);
}

static unsigned
apply(const char *text)
{
	void *roots[CONF_OWNER_MAX] = { g, NULL, NULL };
	unsigned e;

	tree = tt_tree("vigil.conf", text);
	e = conf_apply(reg, tree, CONF_OWNERS_ALL, roots, cfg, &td.d);
	if (getenv("TT_DUMP") != NULL)
		tt_dump(&td);
	return e;
}

START_TEST(test_defaults)
{
	ck_assert_uint_eq(g->smtp_port, 25);
	ck_assert_uint_eq(g->smtp_connect_timeout, 30);
	ck_assert_int_eq(g->smtp_alert, -1);
	ck_assert_int_eq(g->umask, 022);
	ck_assert_uint_eq(g->startup_script_timeout, 10);
	ck_assert_uint_eq(g->child_wait_time, 5);
	ck_assert_int_eq(g->max_auto_priority, 0);
	ck_assert_ptr_null(g->router_id);
	ck_assert_ptr_null(g->metrics_listen);
	ck_assert_uint_eq(g->nemails, 0);
}
END_TEST

START_TEST(test_realistic)
{
	unsigned e = apply(
	    "instance lb1\n"
	    "use_pid_dir\n"
	    "global_defs {\n"
	    "    router_id LVS_DEVEL\n"
	    "    notification_email {\n"
	    "        acassen@firewall.loc\n"
	    "        failover@firewall.loc sysadmin@firewall.loc\n"
	    "    }\n"
	    "    notification_email_from Alexandre.Cassen@firewall.loc\n"
	    "    smtp_server 192.168.200.1 2525\n"
	    "    smtp_helo_name lb1.example.com\n"
	    "    smtp_connect_timeout 30\n"
	    "    smtp_alert\n"
	    "    script_user keepalived_script nogroup\n"
	    "    enable_script_security\n"
	    "    notify_fifo /run/vigil.fifo root\n"
	    "    notify_fifo_script /usr/local/bin/fifo.sh\n"
	    "    startup_script /etc/vigil/up.sh root root\n"
	    "    startup_script_timeout 20\n"
	    "    shutdown_script /etc/vigil/down.sh\n"
	    "    max_auto_priority\n"
	    "    enable_snmp_vrrp\n"
	    "    enable_snmp_rfc\n"
	    "    enable_traps\n"
	    "    snmp_socket udp:1.2.3.4:705\n"
	    "    umask IWGRP | IWOTH|IXOTH\n"
	    "    random_seed 4294967295\n"
	    "    reload_check_config /var/log/vigil-check.log\n"
	    "    include_check match wildcard_match -wildcard_match\n"
	    "    reload_time_file /run/vigil.reload_at\n"
	    "    reload_repeat\n"
	    "    reload_file\n"
	    "    data_use_instance on\n"
	    "    process_monitor_rcv_bufs 500000\n"
	    "}\n");

	ck_assert_uint_eq(e, 0);
	/* vigil acts on every keyword here: no warning */
	ck_assert_uint_eq(td.n, 0);
	ck_assert_str_eq(g->instance, "lb1");
	ck_assert_int_eq(g->use_pid_dir, 1);
	ck_assert_str_eq(g->router_id, "LVS_DEVEL");
	ck_assert_uint_eq(g->nemails, 3);
	ck_assert_str_eq(g->emails->addr, "acassen@firewall.loc");
	ck_assert_str_eq(g->emails->next->addr, "failover@firewall.loc");
	ck_assert_str_eq(g->emails->next->next->addr, "sysadmin@firewall.loc");
	ck_assert_ptr_null(g->emails->next->next->next);
	ck_assert_str_eq(g->email_from, "Alexandre.Cassen@firewall.loc");
	ck_assert_str_eq(g->smtp_server, "192.168.200.1");
	ck_assert_int_eq(g->smtp_addr.family, AF_INET);
	ck_assert_uint_eq(g->smtp_port, 2525);
	ck_assert_str_eq(g->smtp_helo_name, "lb1.example.com");
	ck_assert_int_eq(g->smtp_alert, 1);
	ck_assert_str_eq(g->script_user, "keepalived_script");
	ck_assert_str_eq(g->script_group, "nogroup");
	ck_assert_int_eq(g->enable_script_security, 1);
	ck_assert_str_eq(g->notify_fifo.path, "/run/vigil.fifo");
	ck_assert_str_eq(g->notify_fifo.user, "root");
	ck_assert_ptr_null(g->notify_fifo.group);
	ck_assert_str_eq(g->notify_fifo_script.path, "/usr/local/bin/fifo.sh");
	ck_assert_str_eq(g->startup_script.path, "/etc/vigil/up.sh");
	ck_assert_str_eq(g->startup_script.group, "root");
	ck_assert_uint_eq(g->startup_script_timeout, 20);
	ck_assert_str_eq(g->shutdown_script.path, "/etc/vigil/down.sh");
	ck_assert_uint_eq(g->shutdown_script_timeout, 10);
	ck_assert_int_eq(g->max_auto_priority, 99);
	ck_assert_uint_eq(g->process_monitor_rcv_bufs, 500000);
	ck_assert_int_eq(g->process_monitor_rcv_bufs_force, 0);
	ck_assert_int_eq(g->enable_snmp_vrrp, 1);
	ck_assert_int_eq(g->enable_snmp_rfcv2, 1);
	ck_assert_int_eq(g->enable_snmp_rfcv3, 1);
	ck_assert_int_eq(g->enable_traps, 1);
	ck_assert_str_eq(g->snmp_socket, "udp:1.2.3.4:705");
	ck_assert_int_eq(g->umask, 023);
	ck_assert(g->random_seed_set && g->random_seed == 4294967295UL);
	ck_assert_int_eq(g->reload_check_config, 1);
	ck_assert_str_eq(g->reload_check_log, "/var/log/vigil-check.log");
	ck_assert_uint_eq(g->include_check,
	    GLOBAL_INC_MATCH | GLOBAL_INC_READABLE);
	ck_assert_str_eq(g->reload_time_file, "/run/vigil.reload_at");
	ck_assert_int_eq(g->reload_repeat, 1);
	ck_assert(g->reload_file_set && g->reload_file == NULL);
	ck_assert_int_eq(g->data_use_instance, 1);
}
END_TEST

START_TEST(test_smtp_host_name_and_umask_number)
{
	unsigned e = apply("global_defs {\n  smtp_server mail.example.com\n"
	    "  umask 0x1f\n  include_check\n  smtp_alert off\n}\n");

	ck_assert_uint_eq(e, 0);
	ck_assert_str_eq(g->smtp_server, "mail.example.com");
	ck_assert(addr_is_unset(&g->smtp_addr));
	ck_assert_uint_eq(g->smtp_port, 25);
	ck_assert_int_eq(g->umask, 037);
	ck_assert_uint_eq(g->include_check, GLOBAL_INC_ALL);
	ck_assert_int_eq(g->smtp_alert, 0);
}
END_TEST

/* keepalived enables script security whatever the argument */
START_TEST(test_script_security_argument)
{
	ck_assert_uint_eq(apply("global_defs {\n  enable_script_security 1\n"
	    "}\n"), 0);
	ck_assert_int_eq(g->enable_script_security, 1);
	ck_assert(tt_has(&td, CONF_WARN, "vigil.conf:2: enable_script_security: "
	    "'1' is not on or off; script security enabled, as keepalived "
	    "does"));
	ck_assert_uint_eq(apply("global_defs {\n  enable_script_security off\n"
	    "}\n"), 0);
	ck_assert_int_eq(g->enable_script_security, 0);
}
END_TEST

START_TEST(test_bad_values)
{
	unsigned e = apply(
	    "global_defs {\n"
	    "    smtp_server 10.0.0.1 99999\n"
	    "    smtp_server bad/host\n"
	    "    smtp_connect_timeout 0\n"
	    "    smtp_alert maybe\n"
	    "    startup_script_timeout 1001\n"
	    "    max_auto_priority 100\n"
	    "    umask 0999\n"
	    "    umask IWGRP|IWHAT\n"
	    "    random_seed -1\n"
	    "    include_check readable sometimes\n"
	    "    reload_time_file relative/file\n"
	    "    script_user bad:user\n"
	    "    router_id\n"
	    "    enable_traps 1 2\n"
	    "    process_monitor_rcv_bufs lots\n"
	    "    notification_email\n"
	    "}\n");

	ck_assert_uint_eq(e, 16);
	ck_assert(tt_has(&td, CONF_ERR,
	    "vigil.conf:2: smtp_server: expected a port 1-65535, got 99999"));
	ck_assert(tt_has(&td, CONF_ERR, "vigil.conf:3: smtp_server: expected "
	    "an IP address or host name, got bad/host"));
	ck_assert(tt_has(&td, CONF_ERR,
	    "vigil.conf:4: smtp_connect_timeout: expected 1-86400, got 0"));
	ck_assert(tt_has(&td, CONF_ERR, "vigil.conf:5: smtp_alert: expected "
	    "on|off|true|false|yes|no, got maybe"));
	ck_assert(tt_has(&td, CONF_ERR,
	    "vigil.conf:6: startup_script_timeout: expected 1-1000, got 1001"));
	ck_assert(tt_has(&td, CONF_ERR,
	    "vigil.conf:7: max_auto_priority: expected -1-99, got 100"));
	ck_assert(tt_has(&td, CONF_ERR, "vigil.conf:8: umask: expected a mode "
	    "0-0777 or bits like IWGRP|IWOTH, got 0999"));
	ck_assert(tt_has(&td, CONF_ERR, "vigil.conf:9: umask: expected a mode "
	    "0-0777 or bits like IWGRP|IWOTH, got IWGRP|IWHAT"));
	ck_assert(tt_has(&td, CONF_ERR,
	    "vigil.conf:10: random_seed: expected 0-4294967295, got -1"));
	ck_assert(tt_has(&td, CONF_ERR, "vigil.conf:11: include_check: "
	    "expected readable, match, wildcard_match or brace_match, "
	    "got sometimes"));
	ck_assert(tt_has(&td, CONF_ERR, "vigil.conf:12: reload_time_file: "
	    "expected an absolute path name, got relative/file"));
	ck_assert(tt_has(&td, CONF_ERR,
	    "vigil.conf:13: script_user: expected a user name, got bad:user"));
	ck_assert(tt_has(&td, CONF_ERR,
	    "vigil.conf:14: router_id: expected 1 argument, got 0"));
	ck_assert(tt_has(&td, CONF_WARN, "vigil.conf:15: enable_traps: "
	    "expected at most 1 argument, got 2; ignoring '2'"));
	ck_assert(tt_has(&td, CONF_ERR, "vigil.conf:15: enable_traps: "
	    "expected on|off|true|false|yes|no, got 1"));
	ck_assert(tt_has(&td, CONF_ERR, "vigil.conf:16: "
	    "process_monitor_rcv_bufs: expected 0-4294967295, got lots"));
	ck_assert(tt_has(&td, CONF_ERR,
	    "vigil.conf:17: notification_email: expected a { } block"));
	/* defaults survive bad lines */
	ck_assert_ptr_null(g->smtp_server);
	ck_assert_uint_eq(g->smtp_connect_timeout, 30);
	ck_assert_int_eq(g->umask, 022);
	ck_assert_int_eq(g->max_auto_priority, 0);
}
END_TEST

START_TEST(test_metrics_listen)
{
	unsigned e = apply(
	    "global_defs {\n"
	    "    metrics_listen 127.0.0.1\n"
	    "    metrics_listen ::1:9650\n"
	    "    metrics_listen [::1]9650\n"
	    "    metrics_listen 10.0.0.1:0\n"
	    "    metrics_listen host.example:9650\n"
	    "    metrics_listen [fe80::1]:9651\n"
	    "}\n");

	ck_assert_uint_eq(e, 5);
	ck_assert(tt_has(&td, CONF_ERR, "vigil.conf:2: metrics_listen: "
	    "expected ADDRESS:PORT (port 1-65535, an IPv6 address in "
	    "brackets), got 127.0.0.1"));
	ck_assert(tt_has(&td, CONF_ERR, "vigil.conf:3: metrics_listen: an "
	    "IPv6 address goes in brackets, as in [::1]:9650; got ::1:9650"));
	ck_assert(tt_has(&td, CONF_ERR, "vigil.conf:4: metrics_listen: "
	    "expected ADDRESS:PORT (port 1-65535, an IPv6 address in "
	    "brackets), got [::1]9650"));
	ck_assert(tt_has(&td, CONF_ERR, "vigil.conf:5: metrics_listen: "
	    "expected ADDRESS:PORT (port 1-65535, an IPv6 address in "
	    "brackets), got 10.0.0.1:0"));
	ck_assert(tt_has(&td, CONF_ERR, "vigil.conf:6: metrics_listen: "
	    "expected ADDRESS:PORT (port 1-65535, an IPv6 address in "
	    "brackets), got host.example:9650"));
	ck_assert_str_eq(g->metrics_listen, "[fe80::1]:9651");
	ck_assert_int_eq(g->metrics_addr.family, AF_INET6);
	ck_assert_uint_eq(g->metrics_port, 9651);
}
END_TEST

/* net_namespace: a name in /run/netns; the first of two counts, as in
 * keepalived, the second warned at its line */
START_TEST(test_net_namespace)
{
	unsigned e = apply(
	    "net_namespace blue\n"
	    "net_namespace red\n"
	    "namespace_with_ipsets\n");

	ck_assert_uint_eq(e, 0);
	ck_assert_str_eq(g->net_namespace, "blue");
	ck_assert_int_eq(g->namespace_with_ipsets, 1);
	ck_assert(tt_has(&td, CONF_WARN, "vigil.conf:2: net_namespace: a "
	    "second net_namespace (red): ignored, the first (blue) counts"));
	e = apply("net_namespace ../x\n");
	ck_assert_uint_eq(e, 1);
	ck_assert(tt_has(&td, CONF_ERR, "vigil.conf:1: net_namespace: "
	    "expected a name in /run/netns, got ../x"));
}
END_TEST

START_TEST(test_unsupported_and_unknown)
{
	unsigned e = apply(
	    "\n"
	    "\n\n\n"
	    "\n\n\n"
	    "global_defs {\n"
	    "    enable_dbus\n"
	    "    no_such_setting 1\n"
	    "}\n");

	ck_assert_uint_eq(e, 0);
	ck_assert(tt_has(&td, CONF_WARN,
	    "vigil.conf:9: 'enable_dbus' is not supported yet; ignored"));
	ck_assert(tt_has(&td, CONF_WARN, "vigil.conf:10: unknown keyword "
	    "'no_such_setting' in global_defs; ignored"));
	ck_assert_uint_eq(td.n, 2);
}
END_TEST

START_TEST(test_deprecated_snmp)
{
	unsigned e = apply("global_defs {\n  enable_snmp_keepalived\n}\n");

	ck_assert_uint_eq(e, 0);
	ck_assert(tt_has(&td, CONF_WARN,
	    "vigil.conf:2: 'enable_snmp_keepalived' is deprecated"));
	ck_assert_int_eq(g->enable_snmp_vrrp, 1);
}
END_TEST

/* Another owner's global_defs keywords sit beside ours. */
static const struct conf_kw other_kw[] = {
	{ .name = "smtp_alert" },	/* taken first by another owner */
	{ .name = "vrrp_strict" },
	{ .name = NULL }
};

START_TEST(test_shared_context)
{
	struct conf_registry *r = conf_registry_new();
	enum conf_owner o;

	ck_assert_int_eq(conf_registry_add(r, OWNER_A, "global_defs",
	    other_kw), 0);
	ck_assert_int_eq(global_conf_register(r), 0);
	ck_assert_ptr_nonnull(conf_registry_find(r, "global_defs", "smtp_alert",
	    &o));
	ck_assert_int_eq(o, OWNER_A);
	ck_assert_ptr_nonnull(conf_registry_find(r, "global_defs", "router_id",
	    &o));
	ck_assert_int_eq(o, CONF_OWNER_GLOBAL);
	/* registering twice is refused */
	ck_assert_int_eq(global_conf_register(r), -1);
	conf_registry_free(r);
}
END_TEST

START_TEST(test_dump)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp;

	ck_assert_uint_eq(apply("global_defs {\n  router_id r1\n"
	    "  notification_email {\n    a@b\n  }\n  smtp_server ::1 25\n}\n"),
	    0);
	fp = open_memstream(&buf, &len);
	global_conf_dump(g, fp);
	fclose(fp);
	ck_assert_ptr_nonnull(strstr(buf, "    router_id r1\n"));
	ck_assert_ptr_nonnull(strstr(buf, "        a@b\n"));
	ck_assert_ptr_nonnull(strstr(buf, "    smtp_server ::1 25\n"));
	ck_assert_ptr_nonnull(strstr(buf, "    umask 0022\n"));
	free(buf);

	/* a value with blanks or a comment character is quoted so that the
	 * dump reads back as the same value */
	g->router_id = "lb 1 #a";
	fp = open_memstream(&buf, &len);
	global_conf_dump(g, fp);
	fclose(fp);
	ck_assert_ptr_nonnull(strstr(buf, "    router_id \"lb 1 #a\"\n"));
	free(buf);
}
END_TEST

/* Load text with the real reader into a fresh global_conf (in *a). */
static struct global_conf *
load_real(const char *text, struct arena **a, struct conf_tree **t)
{
	struct conf_load_opts o;
	void *roots[CONF_OWNER_MAX] = { NULL };
	struct global_conf *gl;

	memset(&o, 0, sizeof(o));
	o.config_id = "test";
	ck_assert_int_eq(conf_load_buffer("rt.conf", text, strlen(text), &o,
	    &td.d, t), 0);
	*a = arena_new();
	gl = global_conf_new(*a);
	roots[CONF_OWNER_GLOBAL] = gl;
	if (conf_apply(reg, *t, CONF_OWNERS_ALL, roots, *a, &td.d) != 0) {
		tt_dump(&td);
		ck_abort_msg("%s: does not apply", text);
	}
	return gl;
}

static char *
dump_text(const struct global_conf *gl)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);

	global_conf_dump(gl, fp);
	fclose(fp);
	return buf;
}

/*
 * Values with blanks, quotes, comment characters, braces, what starts a
 * preprocessor line, and empty values: the dump loads back to the same
 * values, and dumping that gives the same text.
 */
static const char *const roundtrip_text[] = {
	"global_defs {\n"
	"  notification_email {\n"
	"    \"ops team@example.com\"\n"
	"    \"a#b@c\" \"x!y@z\"\n"
	"    \"{brace}@c\" \"q'uote@c\"\n"
	"    \"@first\" \"~SEQ\" \"include\" \"$x=y\"\n"
	"    plain@example.com\n"
	"  }\n"
	"  notification_email_from \"vigil <lb 1>\"\n"
	"  router_id \"\"\n"
	"  smtp_helo_name \"h '#' !\"\n"
	"}\n",
	"global_defs {\n"
	"  router_id \"lb 1 # not a comment ! {x} 'q'\"\n"
	"  notification_email_from \"\"\n"
	"  process_name \"my vigil\"\n"
	"  snmp_socket \"unix:/run/a b#c\"\n"
	"  tmp_config_directory \"/tmp/{x}\"\n"
	"  config_save_dir \"/var/a!b\"\n"
	"  reload_time_file \"/run/r t\"\n"
	"  reload_check_config \"/var/log/check log\"\n"
	"  reload_file \"/run/reload#1\"\n"
	"  notify_fifo \"/run/fi fo#1\" root\n"
	"  notify_fifo_script \"/bin/echo \\\"a b\\\" 'c#d' \\\\x \\${X}\" root "
	    "root\n"
	"  startup_script \"/bin/sh -c 'exit 0' # !\"\n"
	"  shutdown_script \"\"\\\"\"\"\n"
	"}\n"
	"instance \"inst 1\"\n",
};

START_TEST(test_dump_roundtrip)
{
	const char *text = roundtrip_text[_i];
	struct arena *a1, *a2;
	struct conf_tree *t1, *t2;
	struct global_conf *g1, *g2;
	char *d1, *d2;

	g1 = load_real(text, &a1, &t1);
	d1 = dump_text(g1);
	g2 = load_real(d1, &a2, &t2);
	d2 = dump_text(g2);
	ck_assert_str_eq(d1, d2);
	/* the values themselves, not only a stable text */
	if (_i == 0) {
		const struct global_email *e1, *e2;

		ck_assert_uint_eq(g2->nemails, 10);
		for (e1 = g1->emails, e2 = g2->emails; e1 != NULL;
		    e1 = e1->next, e2 = e2->next) {
			ck_assert_ptr_nonnull(e2);
			ck_assert_str_eq(e1->addr, e2->addr);
		}
		ck_assert_str_eq(g2->emails->addr, "ops team@example.com");
		ck_assert_str_eq(g2->email_from, "vigil <lb 1>");
		ck_assert_str_eq(g2->router_id, "");
		ck_assert_str_eq(g2->smtp_helo_name, "h '#' !");
	} else {
		ck_assert_str_eq(g2->router_id,
		    "lb 1 # not a comment ! {x} 'q'");
		ck_assert_str_eq(g2->email_from, "");
		ck_assert_str_eq(g2->snmp_socket, "unix:/run/a b#c");
		ck_assert_str_eq(g2->tmp_config_directory, "/tmp/{x}");
		ck_assert_str_eq(g2->config_save_dir, "/var/a!b");
		ck_assert_str_eq(g2->reload_time_file, "/run/r t");
		ck_assert_str_eq(g2->reload_check_log, "/var/log/check log");
		ck_assert_str_eq(g2->reload_file, "/run/reload#1");
		ck_assert_str_eq(g2->notify_fifo.path, "/run/fi fo#1");
		ck_assert_str_eq(g2->notify_fifo_script.path,
		    "/bin/echo \"a b\" 'c#d' \\x ${X}");
		ck_assert_str_eq(g2->notify_fifo_script.group, "root");
		ck_assert_str_eq(g2->startup_script.path,
		    "/bin/sh -c 'exit 0' # !");
		ck_assert_str_eq(g2->shutdown_script.path, "\"");
		ck_assert_str_eq(g2->instance, "inst 1");
	}
	free(d1);
	free(d2);
	conf_tree_free(t1);
	conf_tree_free(t2);
	arena_free(a1);
	arena_free(a2);
}
END_TEST

static Suite *
global_suite(void)
{
	Suite *s = suite_create("global_conf");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_defaults);
	tcase_add_test(tc, test_realistic);
	tcase_add_test(tc, test_smtp_host_name_and_umask_number);
	tcase_add_test(tc, test_bad_values);
	tcase_add_test(tc, test_metrics_listen);
	tcase_add_test(tc, test_script_security_argument);
	tcase_add_test(tc, test_net_namespace);
	tcase_add_test(tc, test_unsupported_and_unknown);
	tcase_add_test(tc, test_deprecated_snmp);
	tcase_add_test(tc, test_shared_context);
	tcase_add_test(tc, test_dump);
	tcase_add_loop_test(tc, test_dump_roundtrip, 0,
	    sizeof(roundtrip_text) / sizeof(roundtrip_text[0]));
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return check_run(global_suite());
}

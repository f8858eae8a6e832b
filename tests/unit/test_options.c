/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vigild's command line: keepalived's options parse to the same meaning. */
#include "autoconfig.h"

#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "daemon/options.h"
#include "check_run.h"

#define ARGV(...) ((char *[]){ "vigild", __VA_ARGS__, NULL })

static int
parse(struct options *o, char **argv, char **errtext)
{
	static char buf[4096];
	int argc = 0;
	FILE *out = fopen("/dev/null", "w");
	FILE *err = fmemopen(buf, sizeof(buf), "w");
	int rc;

	while (argv[argc] != NULL)
		argc++;
	rc = options_parse(o, argc, argv, out, err);
	fclose(out);
	fclose(err);
	if (errtext != NULL)
		*errtext = buf;
	return rc;
}

START_TEST(test_long_and_short_forms)
{
	struct options o;
	char **a = ARGV("-f", "/x/k.conf", "-P", "-l", "-D", "-D", "-n", "-d",
	    "-p", "/run/a.pid", "-r", "/run/v.pid", "-c", "/run/c.pid",
	    "-i", "main", "-x", "-R", "-e", "-S", "3", "-u", "027");

	ck_assert_int_eq(parse(&o, a, NULL), 0);
	ck_assert_str_eq(o.conf_file, "/x/k.conf");
	ck_assert_uint_eq(o.only, OPT_RUN_VRRP);
	ck_assert_int_eq(o.log_console, 1);
	ck_assert_int_eq(o.log_detail, 2);
	ck_assert_int_eq(o.dont_fork, 1);
	ck_assert_int_eq(o.dump_conf, 1);
	ck_assert_str_eq(o.pid_file, "/run/a.pid");
	ck_assert_str_eq(o.vrrp_pid_file, "/run/v.pid");
	ck_assert_str_eq(o.checkers_pid_file, "/run/c.pid");
	ck_assert_str_eq(o.config_id, "main");
	ck_assert_int_eq(o.snmp, 1);
	ck_assert_int_eq(o.dont_respawn, 1);
	ck_assert_int_eq(o.all_config, 1);
	ck_assert_int_eq(o.log_facility, LOG_LOCAL3);
	ck_assert_int_eq(o.umask_set, 1);
	ck_assert_uint_eq(o.umask, 027);
}
END_TEST

START_TEST(test_long_names)
{
	struct options o;
	char **a = ARGV("--use-file=/k.conf", "--check", "--log-console",
	    "--dont-fork", "--config-id", "backup", "--log-facility=local7",
	    "--all", "--no-syslog", "--dont-release-vrrp",
	    "--dont-release-ipvs", "--release-vips", "--core-dump");

	ck_assert_int_eq(parse(&o, a, NULL), 0);
	ck_assert_str_eq(o.conf_file, "/k.conf");
	ck_assert_uint_eq(o.only, OPT_RUN_CHECK);
	ck_assert_str_eq(o.config_id, "backup");
	ck_assert_int_eq(o.log_facility, LOG_LOCAL7);
	ck_assert_int_eq(o.all_children, 1);
	ck_assert_int_eq(o.no_syslog, 1);
	ck_assert_int_eq(o.dont_release_vrrp, 1);
	ck_assert_int_eq(o.dont_release_ipvs, 1);
	ck_assert_int_eq(o.release_vips, 1);
	ck_assert_int_eq(o.core_dump, 1);
}
END_TEST

/* -x / --snmp and -A / --snmp-agent-socket, as keepalived takes them */
START_TEST(test_snmp_options)
{
	struct options o;

	ck_assert_int_eq(parse(&o, ARGV("-A", "unix:/run/agentx.sock"),
	    NULL), 0);
	ck_assert_str_eq(o.snmp_socket, "unix:/run/agentx.sock");
	ck_assert_int_eq(o.snmp, 0);
	ck_assert_int_eq(parse(&o, ARGV("--snmp",
	    "--snmp-agent-socket=tcp:127.0.0.1:705"), NULL), 0);
	ck_assert_int_eq(o.snmp, 1);
	ck_assert_str_eq(o.snmp_socket, "tcp:127.0.0.1:705");
}
END_TEST

START_TEST(test_config_test_optional_file)
{
	struct options o;

	ck_assert_int_eq(parse(&o, ARGV("-t"), NULL), 0);
	ck_assert_int_eq(o.config_test, 1);
	ck_assert_ptr_null(o.config_test_log);
	ck_assert_int_eq(parse(&o, ARGV("--config-test=/tmp/t.log"), NULL), 0);
	ck_assert_int_eq(o.config_test, 1);
	ck_assert_str_eq(o.config_test_log, "/tmp/t.log");
}
END_TEST

START_TEST(test_bad_options)
{
	struct options o;
	char *err;

	ck_assert_int_eq(parse(&o, ARGV("--nope"), &err), -1);
	ck_assert_ptr_nonnull(strstr(err, "invalid option '--nope'"));
	ck_assert_int_eq(parse(&o, ARGV("-f"), &err), -1);
	ck_assert_ptr_nonnull(strstr(err, "'-f'"));
	ck_assert_int_eq(parse(&o, ARGV("-S", "local8"), &err), -1);
	ck_assert_ptr_nonnull(strstr(err, "--log-facility: expected"));
	ck_assert_int_eq(parse(&o, ARGV("-u", "999"), &err), -1);
	ck_assert_ptr_nonnull(strstr(err, "--umask"));
	ck_assert_int_eq(parse(&o, ARGV("-s", "ns1"), &err), -1);
	ck_assert_ptr_nonnull(strstr(err, "not supported"));
	ck_assert_int_eq(parse(&o, ARGV("stray"), &err), -1);
	ck_assert_ptr_nonnull(strstr(err, "unexpected argument 'stray'"));
}
END_TEST

START_TEST(test_child_watchdog)
{
	struct options o;
	char *err;

	ck_assert_int_eq(parse(&o, ARGV("-n"), NULL), 0);
	ck_assert_uint_eq(o.watchdog_ms, VIGIL_WATCHDOG_MS_DEFAULT);
	ck_assert_int_eq(parse(&o, ARGV("--child-watchdog=2.5"), NULL), 0);
	ck_assert_uint_eq(o.watchdog_ms, 2500);
	ck_assert_int_eq(parse(&o, ARGV("--child-watchdog", "0"), NULL), 0);
	ck_assert_uint_eq(o.watchdog_ms, 0);
	ck_assert_int_eq(parse(&o, ARGV("--child-watchdog=0.1"), &err), -1);
	ck_assert_ptr_nonnull(strstr(err, "--child-watchdog: expected"));
	ck_assert_int_eq(parse(&o, ARGV("--child-watchdog=5s"), &err), -1);
	ck_assert_int_eq(parse(&o, ARGV("--child-watchdog=4000"), &err), -1);
}
END_TEST

START_TEST(test_signum)
{
	ck_assert_int_eq(options_signum("STOP"), SIGTERM);
	ck_assert_int_eq(options_signum("RELOAD"), SIGHUP);
	ck_assert_int_eq(options_signum("DATA"), SIGUSR1);
	ck_assert_int_eq(options_signum("STATS"), SIGUSR2);
	ck_assert_int_eq(options_signum("JSON"), SIGRTMIN + 2);
	ck_assert_int_eq(options_signum("bogus"), -1);
}
END_TEST

START_TEST(test_default_conf_file)
{
	struct options o;

	ck_assert_int_eq(parse(&o, ARGV("-n"), NULL), 0);
	/* /etc/vigil/vigil.conf when present, else keepalived's path */
	ck_assert(strcmp(options_conf_file(&o), VIGIL_CONF_DEFAULT) == 0 ||
	    strcmp(options_conf_file(&o), VIGIL_CONF_KEEPALIVED) == 0);
	o.conf_file = "/x.conf";
	ck_assert_str_eq(options_conf_file(&o), "/x.conf");
}
END_TEST

static int
check_pids(const char *p, const char *r, const char *c, char *buf,
    size_t len)
{
	struct options o;
	FILE *err = fmemopen(buf, len, "w");
	int rc;

	memset(&o, 0, sizeof(o));
	o.pid_file = p;
	o.vrrp_pid_file = r;
	o.checkers_pid_file = c;
	rc = options_check_pid_files(&o, err);
	fclose(err);
	return rc;
}

START_TEST(test_pid_files_distinct)
{
	char buf[512];

	memset(buf, 0, sizeof(buf));
	ck_assert_int_eq(check_pids("/run/a", "/run/b", "/run/c", buf,
	    sizeof(buf)), 0);
	ck_assert_str_eq(buf, "");
	ck_assert_int_eq(check_pids("/run/a", "/run/a", "/run/c", buf,
	    sizeof(buf)), -1);
	ck_assert_str_eq(buf, "vigild: the parent (-p) and VRRP child (-r) "
	    "pid files are the same file /run/a: give each its own\n");
	ck_assert_int_eq(check_pids("/run/a", "/run/b", "/run/a", buf,
	    sizeof(buf)), -1);
	ck_assert_ptr_nonnull(strstr(buf, "parent (-p) and checker child "
	    "(-c)"));
	ck_assert_int_eq(check_pids("/run/a", "/run/b", "/run/b", buf,
	    sizeof(buf)), -1);
	ck_assert_ptr_nonnull(strstr(buf, "VRRP child (-r) and checker child "
	    "(-c)"));
	/* a child ruled out by -P/-C has no pid file to compare */
	ck_assert_int_eq(check_pids("/run/a", NULL, NULL, buf, sizeof(buf)),
	    0);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("options");
	TCase *tc = tcase_create("parse");

	tcase_add_test(tc, test_long_and_short_forms);
	tcase_add_test(tc, test_long_names);
	tcase_add_test(tc, test_snmp_options);
	tcase_add_test(tc, test_config_test_optional_file);
	tcase_add_test(tc, test_bad_options);
	tcase_add_test(tc, test_child_watchdog);
	tcase_add_test(tc, test_signum);
	tcase_add_test(tc, test_default_conf_file);
	tcase_add_test(tc, test_pid_files_distinct);
	suite_add_tcase(s, tc);
	return check_run(s);
}

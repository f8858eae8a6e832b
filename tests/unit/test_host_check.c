/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Host checks (vigild -t, start, reload): scripts that are missing, not
 * executable, writable by others, owned by someone else or under a
 * directory others may write; users that do not exist; interfaces the host
 * does not have. Runs as root: it makes files in a temporary directory and
 * gives one to nobody.
 */
#include <sys/stat.h>

#include <check.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_run.h"
#include "conf.h"
#include "script_check.h"
#include "daemon/vconfig.h"

static char dir[64];
static char msgs[16384];
static size_t msglen;

static void
collect(void *arg, enum conf_sev sev, const struct conf_loc *loc,
    const char *msg)
{
	int n;

	(void)arg;
	n = snprintf(msgs + msglen, sizeof(msgs) - msglen, "%s:%u: %s: %s\n",
	    loc != NULL && loc->file != NULL ? strrchr(loc->file, '/') + 1 :
	    "-", loc != NULL ? loc->line : 0,
	    sev == CONF_ERR ? "error" : "warning", msg);
	if (n > 0 && (size_t)n < sizeof(msgs) - msglen)
		msglen += (size_t)n;
}

static int
has(const char *s)
{
	return strstr(msgs, s) != NULL;
}

static void
make_file(const char *name, mode_t mode, uid_t uid)
{
	char path[256];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, "#!/bin/sh\nexit 0\n", 17), 17);
	close(fd);
	ck_assert_int_eq(chown(path, uid, 0), 0);
	ck_assert_int_eq(chmod(path, mode), 0);
}

/* vigild -t's loading of path (vconfig_load_test) says what msgs holds
 * and finds nerr host errors, or fails as vconfig_load did (nerr -1). */
static void
same_as_test(const char *path, int nerr)
{
	static char before[sizeof(msgs)];
	struct conf_load_opts lo = { 0 };
	struct conf_diag d = { .emit = collect };
	struct vigil_config *c;
	int rc, n = -1;

	memcpy(before, msgs, sizeof(before));
	msglen = 0;
	msgs[0] = '\0';
	rc = vconfig_load_test(path, &lo, &d, &c);
	if (rc == 0) {
		n = (int)vconfig_check_host(c, &d);
		vconfig_free(c);
	}
	ck_assert_int_eq(rc, nerr < 0 ? -1 : 0);
	ck_assert_int_eq(n, nerr);
	/* (the messages can be longer than a Check message) */
	if (strcmp(msgs, before) != 0)
		fprintf(stderr, "start:\n%s-t:\n%s", before, msgs);
	ck_assert(strcmp(msgs, before) == 0);
}

/* Write text (with every "D/" made the test directory) to NAME, load it
 * and run the host checks; the messages land in msgs. Returns the number
 * of host errors. */
static unsigned
host_check(const char *name, const char *text)
{
	struct conf_load_opts lo = { 0 };
	struct conf_diag d = { .emit = collect };
	struct vigil_config *c;
	char path[256];
	unsigned nerr;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	ck_assert_ptr_nonnull(f = fopen(path, "we"));
	for (const char *p = text; *p != '\0'; p++) {
		if (p[0] == 'D' && p[1] == '/') {
			fputs(dir, f);
			continue;
		}
		fputc(*p, f);
	}
	fclose(f);
	msglen = 0;
	msgs[0] = '\0';
	ck_assert_msg(vconfig_load(path, &lo, &d, &c) == 0, "%s", msgs);
	nerr = vconfig_check_host(c, &d);
	vconfig_free(c);
	/* vigild -t builds while reading and keeps less of the tree: the
	 * same findings at the same lines */
	same_as_test(path, nerr);
	return nerr;
}

static void
setup(void)
{
	char sub[128];

	snprintf(dir, sizeof(dir), "/tmp/vigil-hc.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	ck_assert_int_eq(chmod(dir, 0755), 0);
	make_file("ok.sh", 0755, 0);
	make_file("noexec.sh", 0644, 0);
	make_file("gw.sh", 0775, 0);
	make_file("nobody.sh", 0755, 65534);
	snprintf(sub, sizeof(sub), "%s/open", dir);
	ck_assert_int_eq(mkdir(sub, 0700), 0);
	ck_assert_int_eq(chmod(sub, 0777), 0);
	make_file("open/ok.sh", 0755, 0);
}

static void
teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

static const char secure_conf[] =
    "global_defs {\n"				/* 1 */
    "  enable_script_security\n"
    "  script_user root\n"
    "}\n"
    "vrrp_script s_missing {\n"			/* 5 */
    "  script \"D/nope.sh\"\n"
    "}\n"
    "vrrp_script s_noexec {\n"			/* 8 */
    "  script \"D/noexec.sh\"\n"
    "}\n"
    "vrrp_script s_gw {\n"			/* 11 */
    "  script \"D/gw.sh\"\n"
    "}\n"
    "vrrp_script s_nobody {\n"			/* 14 */
    "  script \"D/nobody.sh\"\n"
    "}\n"
    "vrrp_script s_opendir {\n"			/* 17 */
    "  script \"D/open/ok.sh\"\n"
    "}\n"
    "vrrp_script s_ok {\n"			/* 20 */
    "  script \"D/ok.sh arg\"\n"
    "}\n"
    "vrrp_script s_user {\n"			/* 23 */
    "  script \"D/ok.sh\"\n"
    "  user nosuchuser_vigil\n"
    "}\n"
    "vrrp_instance VI_1 {\n"			/* 27 */
    "  interface vigil_nosuch0\n"
    "  virtual_router_id 1\n"
    "  track_interface {\n"
    "    lo\n"
    "    vigil_nosuch1\n"
    "  }\n"
    "  virtual_ipaddress {\n"
    "    10.0.0.1 dev vigil_nosuch2\n"		/* 35 */
    "    10.0.0.2 dev lo\n"
    "  }\n"
    "  notify_master \"D/nope.sh\"\n"		/* 38 */
    "}\n"
    "virtual_server 10.0.0.1 80 {\n"		/* 40 */
    "  real_server 10.0.0.2 80 {\n"
    "    MISC_CHECK {\n"
    "      misc_path \"D/nope.sh\"\n"		/* 43 */
    "    }\n"
    "  }\n"
    "  real_server 10.0.0.3 80 {\n"		/* 46 */
    "    MISC_CHECK {\n"
    "      misc_path \"D/nope.sh\"\n"		/* 48: 43's, shared */
    "    }\n"
    "  }\n"
    "}\n";

START_TEST(test_scripts_secure)
{
	char want[512];
	unsigned nerr = host_check("a.conf", secure_conf);

	snprintf(want, sizeof(want), "a.conf:6: error: host: s_missing: "
	    "%s/nope.sh: No such file or directory", dir);
	ck_assert_msg(has(want), "missing script: %s", msgs);
	snprintf(want, sizeof(want), "a.conf:9: error: host: s_noexec: "
	    "%s/noexec.sh is not an executable file", dir);
	ck_assert_msg(has(want), "not executable: %s", msgs);
	snprintf(want, sizeof(want), "a.conf:12: error: host: s_gw: unsafe to "
	    "run with enable_script_security: %s/gw.sh is writable by its "
	    "group", dir);
	ck_assert_msg(has(want), "group-writable: %s", msgs);
	snprintf(want, sizeof(want), "a.conf:15: error: host: s_nobody: unsafe "
	    "to run with enable_script_security: %s/nobody.sh is owned by uid "
	    "65534, not root", dir);
	ck_assert_msg(has(want), "owned by nobody: %s", msgs);
	snprintf(want, sizeof(want), "a.conf:18: error: host: s_opendir: unsafe "
	    "to run with enable_script_security: %s/open is writable by "
	    "others", dir);
	ck_assert_msg(has(want), "directory writable by others: %s\n%s", want, msgs);
	ck_assert_msg(!has("a.conf:21:"), "a safe script reported: %s", msgs);
	ck_assert_msg(has("a.conf:24: error: host: s_user: user "
	    "'nosuchuser_vigil' does not exist"), "missing user: %s", msgs);
	ck_assert_msg(has("a.conf:28: error: host: interface vigil_nosuch0 for "
	    "vrrp_instance VI_1 does not exist"), "missing interface: %s",
	    msgs);
	ck_assert_msg(has("a.conf:32: error: host: interface vigil_nosuch1 for "
	    "track_interface of VI_1 does not exist"), "track_interface: %s",
	    msgs);
	ck_assert_msg(has("a.conf:35: error: host: interface vigil_nosuch2 for "
	    "virtual_ipaddress 10.0.0.1 does not exist"), "VIP dev: %s", msgs);
	ck_assert_msg(!has("a.conf:31:") && !has("a.conf:36:"),
	    "lo reported missing: %s", msgs);
	snprintf(want, sizeof(want), "a.conf:38: error: host: notify_master: "
	    "%s/nope.sh: No such file or directory", dir);
	ck_assert_msg(has(want), "notify script: %s", msgs);
	snprintf(want, sizeof(want), "a.conf:43: error: host: misc_path: "
	    "%s/nope.sh: No such file or directory", dir);
	ck_assert_msg(has(want), "MISC_CHECK script: %s", msgs);
	/* the second real server shares the first one's checker: its
	 * script is checked, and reported, once */
	ck_assert_msg(!has("a.conf:48:"), "a shared checker reported twice: "
	    "%s", msgs);
	ck_assert_uint_eq(nerr, 11);
}
END_TEST

/* Without enable_script_security, a script that runs as root is a
 * security violation (keepalived refuses to start: exit 6). */
START_TEST(test_root_without_security)
{
	char want[512];

	ck_assert_uint_eq(host_check("b.conf",
	    "global_defs {\n  script_user root\n}\n"
	    "vrrp_script s {\n  script \"D/ok.sh\"\n}\n"), 1);
	snprintf(want, sizeof(want), "b.conf:5: error: host: s: security "
	    "violation: %s/ok.sh would run as root and enable_script_security "
	    "is off", dir);
	ck_assert_msg(has(want), "%s", msgs);
	/* as nobody it is fine; a bare name is found in PATH */
	ck_assert_uint_eq(host_check("c.conf",
	    "global_defs {\n  script_user nobody\n}\n"
	    "vrrp_script s {\n  script \"sh -c true\"\n}\n"), 0);
}
END_TEST

/* An instance without an interface: its vrf and its VIPs' devs exist. */
START_TEST(test_no_interface_vrf)
{
	ck_assert_uint_eq(host_check("v.conf",
	    "vrrp_instance U {\n  virtual_router_id 9\n"
	    "  unicast_src_ip 10.1.1.1\n  unicast_peer {\n    10.1.1.2\n"
	    "  }\n  vrf vigil_novrf0\n  virtual_ipaddress {\n"
	    "    10.1.9.1 dev vigil_nosuch3\n    10.1.9.2 dev lo\n  }\n}\n"),
	    2);
	ck_assert_msg(has("v.conf:7: error: host: interface vigil_novrf0 for "
	    "the vrf of vrrp_instance U does not exist"), "%s", msgs);
	ck_assert_msg(has("v.conf:9: error: host: interface vigil_nosuch3 for "
	    "virtual_ipaddress 10.1.9.1 does not exist"), "%s", msgs);
}
END_TEST

START_TEST(test_script_user_missing)
{
	ck_assert_uint_eq(host_check("d.conf",
	    "global_defs {\n  enable_script_security\n"
	    "  script_user nosuchuser_vigil\n}\n"), 1);
	ck_assert_msg(has("d.conf:3: error: host: script_user: user "
	    "'nosuchuser_vigil' does not exist"), "%s", msgs);
}
END_TEST

/* With script security and neither a user nor script_user, the script
 * needs the default user keepalived_script. */
START_TEST(test_default_user)
{
	if (getpwnam(SCRIPT_DEFAULT_USER) != NULL)
		return;		/* this host has it */
	ck_assert_uint_eq(host_check("e.conf",
	    "global_defs {\n  enable_script_security\n}\n"
	    "vrrp_script s {\n  script \"D/ok.sh\"\n}\n"), 1);
	ck_assert_msg(has("e.conf:5: error: host: s: no user to run it as: "
	    "the default user keepalived_script does not exist"), "%s", msgs);
}
END_TEST

START_TEST(test_path_safe)
{
	char why[512];

	ck_assert_int_eq(script_path_safe("/bin/sh", why, sizeof(why)), 0);
	ck_assert_int_eq(script_path_safe("/nonexistent/x", why, sizeof(why)),
	    -1);
	ck_assert_str_eq(why, "/nonexistent/x: No such file or directory");
}
END_TEST

/* Load path as vigild does on start (the whole tree, then the typed
 * configuration) and as vigild -t does; both say the same. */
static void
both_loaders(const char *path)
{
	struct conf_load_opts lo = { 0 };
	struct conf_diag d = { .emit = collect };
	struct vigil_config *c;
	int nerr = -1;

	msglen = 0;
	msgs[0] = '\0';
	if (vconfig_load(path, &lo, &d, &c) == 0) {
		nerr = (int)vconfig_check_host(c, &d);
		vconfig_free(c);
	}
	same_as_test(path, nerr);
}

static void
write_conf(const char *path, unsigned nvs, const char *tail)
{
	FILE *f = fopen(path, "we");

	ck_assert_ptr_nonnull(f);
	for (unsigned v = 0; v < nvs; v++) {
		fprintf(f, "virtual_server 10.1.%u.%u 80\n{\n  delay_loop 3\n"
		    "  protocol TCP\n",
		    v / 250, v % 250 + 1);
		for (unsigned r = 0; r < 3; r++)
			fprintf(f, "  real_server 10.%u.%u.%u 80 {\n"
			    "    weight %u\n%s    TCP_CHECK {\n"
			    "      connect_timeout 2\n    }\n  }\n",
			    2 + v / 250, v % 250, r + 1, r + 1,
			    v == nvs / 2 && r == 1 ?
			    "    notify_up /nonexistent/vigil-up.sh\n" : "");
		fputs("}\n", f);
	}
	fputs(tail, f);
	fclose(f);
}

/*
 * vigild -t builds each statement as soon as it is read and drops the
 * checkers' ones: what it reports is what a start reports, in the same
 * order and at the same lines, whether the text has errors, the building
 * has errors, or only the host lacks something (a script named in the
 * middle of many virtual servers).
 */
START_TEST(test_config_test_same)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/many.conf", dir);
	write_conf(path, 300, "");
	both_loaders(path);
	ck_assert_msg(has("many.conf:3463: error: host: notify_up: "
	    "/nonexistent/vigil-up.sh: No such file or directory"), "%.200s",
	    msgs);
	/* building errors and warnings, then a text error after them: only
	 * the text's is reported */
	write_conf(path, 20, "virtual_server 10.9.9.9 80 {\n  delay_loop x\n"
	    "  bogus 1\n}\nvrrp_instance V {\n  virtual_router_id 300\n}\n"
	    "}\n");
	both_loaders(path);
	ck_assert_msg(has("many.conf:469: error: unexpected '}'"), "%.300s",
	    msgs);
	ck_assert(!has("delay_loop"));
	/* building errors only */
	write_conf(path, 20, "virtual_server 10.9.9.9 80 {\n  delay_loop x\n"
	    "  bogus 1\n}\nvrrp_instance V {\n  interface lo\n"
	    "  virtual_router_id 300\n}\n");
	both_loaders(path);
	ck_assert(has("many.conf:463: error: delay_loop"));
	ck_assert(has("many.conf:464: warning: unknown keyword 'bogus'"));
	ck_assert(has("many.conf:468: error: virtual_router_id"));
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("host_check");
	TCase *tc = tcase_create("host");

	if (geteuid() != 0) {
		fprintf(stderr, "test_host_check: needs root (chown)\n");
		return 77;
	}
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_scripts_secure);
	tcase_add_test(tc, test_root_without_security);
	tcase_add_test(tc, test_script_user_missing);
	tcase_add_test(tc, test_no_interface_vrf);
	tcase_add_test(tc, test_default_user);
	tcase_add_test(tc, test_path_safe);
	tcase_add_test(tc, test_config_test_same);
	suite_add_tcase(s, tc);
	return check_run(s);
}

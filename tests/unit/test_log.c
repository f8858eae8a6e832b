/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Logging: stderr line format, debug gating, hostile text, facilities. */
#include <check.h>
#include <errno.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "check_run.h"

static char out[16384];

/* Run fn with stderr captured into out. */
static void
capture(void (*fn)(void))
{
	char path[] = "/tmp/vigil-log-XXXXXX";
	int fd = mkstemp(path), saved;
	ssize_t n;

	ck_assert_int_ge(fd, 0);
	unlink(path);
	saved = dup(STDERR_FILENO);
	dup2(fd, STDERR_FILENO);
	fn();
	dup2(saved, STDERR_FILENO);
	close(saved);
	lseek(fd, 0, SEEK_SET);
	n = read(fd, out, sizeof(out) - 1);
	ck_assert_int_ge(n, 0);
	out[n] = '\0';
	close(fd);
}

static int
lines(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

static void
emit_plain(void)
{
	log_init("vigil-test", LOG_F_STDERR, LOG_DAEMON, 0);
	log_set_role("vrrp");
	log_debug("hidden %d", 1);
	log_info("VI_1: BACKUP -> MASTER: %s", "master down timer expired");
}

START_TEST(test_stderr_format_and_debug_gate)
{
	regex_t re;
	char want[256];

	capture(emit_plain);
	ck_assert_int_eq(lines(out), 1);
	ck_assert_ptr_null(strstr(out, "hidden"));
	snprintf(want, sizeof(want),
	    "^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3} "
	    "vigil-test\\[%ld\\]: vrrp: VI_1: BACKUP -> MASTER: "
	    "master down timer expired\n$", (long)getpid());
	ck_assert_int_eq(regcomp(&re, want, REG_EXTENDED | REG_NOSUB), 0);
	ck_assert_msg(regexec(&re, out, 0, NULL, 0) == 0, "got <%s>", out);
	regfree(&re);
	ck_assert_int_eq(log_detail(), 0);
}
END_TEST

static void
emit_detail(void)
{
	log_init("vigil-test", LOG_F_STDERR, LOG_DAEMON, 1);
	log_set_role(NULL);
	log_debug("shown %d", 2);
	errno = EBUSY;
	log_err("keeps errno");
	ck_assert_int_eq(errno, EBUSY);
}

START_TEST(test_debug_with_detail)
{
	capture(emit_detail);
	ck_assert_int_eq(lines(out), 2);
	ck_assert_ptr_nonnull(strstr(out, "]: shown 2\n"));
	ck_assert_int_eq(log_detail(), 1);
}
END_TEST

static void
emit_hostile(void)
{
	static char big[10000];

	log_init("vigil-test", LOG_F_STDERR, LOG_DAEMON, 0);
	/* A newline in peer-supplied text must not forge a second line. */
	log_warn("reply: %s", "200 OK\nvigil[1]: fake line\r");
	memset(big, 'x', sizeof(big) - 1);
	log_warn("%s", big);
}

START_TEST(test_hostile_text_stays_one_line)
{
	char *second;

	capture(emit_hostile);
	ck_assert_int_eq(lines(out), 2);
	ck_assert_ptr_nonnull(strstr(out, "200 OK?vigil[1]: fake line?\n"));
	second = strchr(out, '\n') + 1;
	ck_assert(strlen(second) < 4096);
	ck_assert_ptr_nonnull(strstr(second, "xxx...\n"));
}
END_TEST

static void
emit_quiet(void)
{
	log_init("vigil-test", 0, LOG_DAEMON, 5);
	log_err("nowhere");
}

START_TEST(test_no_stderr_without_flag)
{
	capture(emit_quiet);
	ck_assert_str_eq(out, "");
}
END_TEST

START_TEST(test_parse_facility)
{
	ck_assert_int_eq(log_parse_facility("0"), LOG_LOCAL0);
	ck_assert_int_eq(log_parse_facility("7"), LOG_LOCAL7);
	ck_assert_int_eq(log_parse_facility("local3"), LOG_LOCAL3);
	ck_assert_int_eq(log_parse_facility("LOCAL5"), LOG_LOCAL5);
	ck_assert_int_eq(log_parse_facility("daemon"), LOG_DAEMON);
	ck_assert_int_eq(log_parse_facility("LOG_USER"), LOG_USER);
	ck_assert_int_eq(log_parse_facility("8"), -1);
	ck_assert_int_eq(log_parse_facility("-1"), -1);
	ck_assert_int_eq(log_parse_facility("07"), -1);
	ck_assert_int_eq(log_parse_facility(""), -1);
	ck_assert_int_eq(log_parse_facility("local8"), -1);
	ck_assert_int_eq(log_parse_facility(NULL), -1);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("log");
	TCase *tc = tcase_create("log");

	tcase_add_test(tc, test_stderr_format_and_debug_gate);
	tcase_add_test(tc, test_debug_with_detail);
	tcase_add_test(tc, test_hostile_text_stays_one_line);
	tcase_add_test(tc, test_no_stderr_without_flag);
	tcase_add_test(tc, test_parse_facility);
	suite_add_tcase(s, tc);
	return check_run(s);
}

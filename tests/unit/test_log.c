/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Logging: stderr line format, debug gating, hostile text, facilities. */
#include <check.h>
#include <errno.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
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

/* A datagram socket standing in for /dev/log, in a fresh directory. */
struct fake_syslog {
	char dir[32];
	char path[64];
	int fd;
};

static void
fake_syslog_open(struct fake_syslog *f, int rcvbuf)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };

	strcpy(f->dir, "/tmp/vigil-slog-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(f->dir));
	snprintf(f->path, sizeof(f->path), "%s/log", f->dir);
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", f->path);
	f->fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0);
	ck_assert_int_ge(f->fd, 0);
	if (rcvbuf > 0)
		setsockopt(f->fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf,
		    sizeof(rcvbuf));
	ck_assert_int_eq(bind(f->fd, (struct sockaddr *)&sun, sizeof(sun)), 0);
}

static void
fake_syslog_close(struct fake_syslog *f)
{
	log_init("vigil-test", 0, LOG_DAEMON, 0);
	close(f->fd);
	unlink(f->path);
	rmdir(f->dir);
}

/* Next datagram, or "" when none is waiting. */
static const char *
fake_syslog_recv(struct fake_syslog *f)
{
	static char buf[4096];
	ssize_t n = recv(f->fd, buf, sizeof(buf) - 1, 0);

	buf[n > 0 ? n : 0] = '\0';
	return buf;
}

START_TEST(test_syslog_format)
{
	struct fake_syslog f;
	char want[128];
	const char *got;

	fake_syslog_open(&f, 0);
	log_set_syslog_path(f.path);
	log_init("vigil-test", LOG_F_SYSLOG, LOG_LOCAL3, 0);
	log_set_role("checker");
	log_warn("real server %s down", "10.0.0.7:80");
	got = fake_syslog_recv(&f);
	/* <PRI> = local3 (19 << 3) | warning (4) = 156 */
	ck_assert_msg(strncmp(got, "<156>", 5) == 0, "got '%s'", got);
	snprintf(want, sizeof(want), " vigil-test[%ld]: checker: real server "
	    "10.0.0.7:80 down", (long)getpid());
	ck_assert_msg(strstr(got, want) != NULL, "got '%s'", got);
	log_set_role("");
	fake_syslog_close(&f);
}
END_TEST

START_TEST(test_syslog_never_blocks)
{
	struct fake_syslog f;
	struct timespec t0, t1;
	const char *got;
	int i, found = 0;

	/* nobody reads: the socket fills after a few messages */
	fake_syslog_open(&f, 4096);
	log_set_syslog_path(f.path);
	log_init("vigil-test", LOG_F_SYSLOG, LOG_DAEMON, 0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < 20000; i++)
		log_info("message %d", i);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ck_assert_msg(t1.tv_sec - t0.tv_sec < 5, "logging blocked for %ld s",
	    (long)(t1.tv_sec - t0.tv_sec));
	/* drain; the next message is preceded by the count of dropped ones */
	while (fake_syslog_recv(&f)[0] != '\0')
		;
	log_info("after the stall");
	for (i = 0; i < 2; i++) {
		got = fake_syslog_recv(&f);
		if (strstr(got, "log message(s) dropped: syslog was not "
		    "taking them") != NULL)
			found |= 1;
		if (strstr(got, "after the stall") != NULL)
			found |= 2;
	}
	ck_assert_msg(found == 3, "dropped-count note or message missing");
	fake_syslog_close(&f);
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
	tcase_add_test(tc, test_syslog_format);
	tcase_add_test(tc, test_syslog_never_blocks);
	suite_add_tcase(s, tc);
	return check_run(s);
}

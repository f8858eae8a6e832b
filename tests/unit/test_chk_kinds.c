/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The protocol checker kinds through the probe core on the loopback: a
 * result comes exactly once; cancel stops a run with no result and
 * leaves no descriptor or script behind; a probe runs again on what its
 * first run kept; DNS_CHECK waits past replies under another ID and reads
 * the rcode of its own; a cancelled MISC_CHECK script is killed and its
 * state freed when it is reaped (valgrind / ASan find leaks); TCP_CHECK
 * drops a completion left over from a socket it gave up, even when the
 * next connect has the same descriptor number.
 */
#include <arpa/inet.h>
#include <check.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <event2/event.h>

#include "check_run.h"
#include "healthcheck/probe.h"
#include "loop.h"
#include "reap.h"
#include "script.h"

static struct chk_env env;
static struct reaper *reaper;
static struct chk_vs_conf vs;
static struct chk_rs_conf rs;
static struct chk_checker_conf ck;
static struct chk_probe p;
static unsigned ndone;

static void
on_done(struct chk_probe *pr, void *arg)
{
	(void)pr;
	(void)arg;
	ndone++;
}

static void
setup(void)
{
	signal(SIGPIPE, SIG_IGN);
	memset(&env, 0, sizeof(env));
	ck_assert_ptr_nonnull(env.base = loop_new());
	ck_assert_ptr_nonnull(reaper = reaper_new(env.base));
	ck_assert_ptr_nonnull(env.scripts = script_runner_new(env.base,
	    reaper));
	memset(&vs, 0, sizeof(vs));
	memset(&rs, 0, sizeof(rs));
	memset(&ck, 0, sizeof(ck));
	rs.addr.family = AF_INET;
	rs.addr.u.v4.s_addr = htonl(INADDR_LOOPBACK);
	rs.weight = 1;
	ck.conn.connect_timeout = 2000000;
	ck.delay_loop = 5000000;
	ndone = 0;
}

static void
teardown(void)
{
	chk_probe_release(&p);
	for (unsigned k = 0; k < CHK_KIND_MAX; k++) {
		const struct chk_kind *kd = chk_kind_find(k);

		if (kd != NULL && kd->kind_free != NULL)
			kd->kind_free(&env);
	}
	script_runner_free(env.scripts);
	reaper_free(reaper);
	event_base_free(env.base);
}

/* Run the loop until done was called n times in all, at most ~5 s. */
static void
run_until(unsigned n)
{
	for (int i = 0; i < 500 && ndone < n; i++) {
		event_base_loop(env.base, EVLOOP_ONCE | EVLOOP_NONBLOCK);
		if (ndone < n)
			usleep(10000);
	}
	ck_assert_uint_eq(ndone, n);
}

/* A few turns of the loop, nothing expected. */
static void
spin(void)
{
	for (int i = 0; i < 10; i++) {
		event_base_loop(env.base, EVLOOP_ONCE | EVLOOP_NONBLOCK);
		usleep(5000);
	}
}

/* A loopback socket of type bound to an ephemeral port; its port. */
static int
local_socket(int type, unsigned *port)
{
	struct sockaddr_in sin;
	socklen_t sl = sizeof(sin);
	int fd = socket(AF_INET, type, 0);

	ck_assert_int_ge(fd, 0);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&sin, &sl), 0);
	*port = ntohs(sin.sin_port);
	return fd;
}

static void
init_probe(enum chk_checker_kind kind, unsigned port)
{
	ck.kind = kind;
	ck.conn.connect_port = port;
	ck.conn.has_port = 1;
	rs.port = port;
	chk_probe_release(&p);	/* what an earlier run kept */
	chk_probe_init(&p, &env, &vs, &rs, &ck);
}

/* Descriptors open in this process. */
static int
open_fds(void)
{
	int n = 0;

	for (int fd = 0; fd < 1024; fd++)
		if (fcntl(fd, F_GETFD) != -1)
			n++;
	return n;
}

START_TEST(tcp_drops_stale_completions)
{
	unsigned port;
	int lfd = local_socket(SOCK_STREAM, &port), fdnum, keep;
	struct pollfd pfd;

	ck_assert_int_eq(listen(lfd, 4), 0);
	init_probe(CHK_TCP, port);
	ck_assert_int_eq(chk_probe_start(&p, on_done, NULL), 0);
	run_until(1);
	ck_assert_int_eq(p.ok, 1);
	close(lfd);
	ck_assert_int_eq(chk_probe_start(&p, on_done, NULL), 0);
	run_until(2);
	ck_assert_int_eq(p.ok, 0);
	ck_assert_str_eq(p.reason, "connection refused");

	/* a connect made, its socket still open elsewhere (as in a script's
	 * child before exec) when the probe gives it up: its completion
	 * stays in the set */
	lfd = local_socket(SOCK_STREAM, &port);
	ck_assert_int_eq(listen(lfd, 0), 0);
	init_probe(CHK_TCP, port);
	ck_assert_int_eq(chk_probe_start(&p, on_done, NULL), 0);
	fdnum = p.fd;
	keep = dup(p.fd);
	ck_assert_int_ge(keep, 0);
	pfd.fd = keep;
	pfd.events = POLLOUT;
	ck_assert_int_eq(poll(&pfd, 1, 2000), 1);
	chk_probe_cancel(&p);
	/* the listener's queue is full (backlog 0): the next connect, on
	 * the same descriptor number, waits */
	ck_assert_int_eq(chk_probe_start(&p, on_done, NULL), 0);
	ck_assert_int_eq(p.fd, fdnum);
	spin();
	ck_assert_uint_eq(ndone, 2);
	chk_probe_cancel(&p);
	close(keep);
	close(lfd);
	spin();
	ck_assert_uint_eq(ndone, 2);
}
END_TEST

START_TEST(smtp_cancel_and_refused)
{
	unsigned port;
	int lfd = local_socket(SOCK_STREAM, &port), before;

	ck_assert_int_eq(listen(lfd, 4), 0);
	before = open_fds();
	/* a server that never greets: cancel mid-conversation */
	init_probe(CHK_SMTP, port);
	ck_assert_int_eq(chk_probe_start(&p, on_done, NULL), 0);
	spin();
	ck_assert_uint_eq(ndone, 0);
	chk_probe_cancel(&p);
	ck_assert_int_eq(p.fd, -1);
	ck_assert_int_eq(open_fds(), before);
	spin();
	ck_assert_uint_eq(ndone, 0);
	close(lfd);
	/* the same probe again, now refused: one result */
	ck_assert_int_eq(chk_probe_start(&p, on_done, NULL), 0);
	run_until(1);
	ck_assert_int_eq(p.ok, 0);
	ck_assert_str_eq(p.reason, "connection refused");
	spin();
	ck_assert_uint_eq(ndone, 1);
}
END_TEST

START_TEST(smtp_greeting_refused)
{
	unsigned port;
	int lfd = local_socket(SOCK_STREAM, &port), cfd;

	ck_assert_int_eq(listen(lfd, 4), 0);
	init_probe(CHK_SMTP, port);
	ck_assert_int_eq(chk_probe_start(&p, on_done, NULL), 0);
	spin();
	cfd = accept(lfd, NULL, NULL);
	ck_assert_int_ge(cfd, 0);
	ck_assert_int_eq(write(cfd, "421-busy\r\n421 try later\r\n", 25), 25);
	run_until(1);
	ck_assert_int_eq(p.ok, 0);
	ck_assert_str_eq(p.reason, "greeting 421, expected 220: busy");
	close(cfd);
	close(lfd);
}
END_TEST

START_TEST(dns_ignores_other_ids)
{
	uint8_t q[512], r[512];
	struct sockaddr_in from;
	socklen_t fl = sizeof(from);
	struct pollfd pfd;
	unsigned port;
	ssize_t n;
	int sfd = local_socket(SOCK_DGRAM, &port);

	init_probe(CHK_DNS, port);
	ck.u.dns.type = 1;
	ck.u.dns.name = (char *)"www.example.org";
	ck_assert_int_eq(chk_probe_start(&p, on_done, NULL), 0);
	pfd.fd = sfd;
	pfd.events = POLLIN;
	ck_assert_int_eq(poll(&pfd, 1, 2000), 1);
	n = recvfrom(sfd, q, sizeof(q), 0, (struct sockaddr *)&from, &fl);
	ck_assert_int_gt(n, 12);
	/* NXDOMAIN under another ID: ignored */
	memcpy(r, q, (size_t)n);
	r[0] ^= 0x55;
	r[2] |= 0x80;
	r[3] = 0x83;
	ck_assert_int_eq(sendto(sfd, r, (size_t)n, 0,
	    (struct sockaddr *)&from, fl), n);
	spin();
	ck_assert_uint_eq(ndone, 0);
	/* and under ours: down */
	r[0] ^= 0x55;
	ck_assert_int_eq(sendto(sfd, r, (size_t)n, 0,
	    (struct sockaddr *)&from, fl), n);
	run_until(1);
	ck_assert_int_eq(p.ok, 0);
	ck_assert_str_eq(p.reason, "rcode 3 (NXDOMAIN)");
	close(sfd);
}
END_TEST

START_TEST(udp_runs_again_and_cancels)
{
	unsigned port;
	int sfd = local_socket(SOCK_DGRAM, &port), before;

	close(sfd);	/* the port is closed now: port unreachable */
	init_probe(CHK_UDP, port);
	ck.u.udp.max_reply_length = 255;
	for (unsigned i = 1; i <= 3; i++) {
		ck_assert_int_eq(chk_probe_start(&p, on_done, NULL), 0);
		run_until(i);
		ck_assert_int_eq(p.ok, 0);
		ck_assert_str_eq(p.reason, "connection refused");
	}
	/* a silent port: cancelled before its timer, no result */
	sfd = local_socket(SOCK_DGRAM, &port);
	init_probe(CHK_UDP, port);
	before = open_fds();
	ck_assert_int_eq(chk_probe_start(&p, on_done, NULL), 0);
	spin();
	chk_probe_cancel(&p);
	ck_assert_int_eq(open_fds(), before);
	ndone = 0;
	spin();
	ck_assert_uint_eq(ndone, 0);
	close(sfd);
}
END_TEST

START_TEST(misc_cancel_kills_the_script)
{
	init_probe(CHK_MISC, 0);
	ck.u.misc.script.cmd = (char *)"/bin/sleep 30";
	ck.u.misc.timeout = 20000000;
	ck_assert_int_eq(chk_probe_start(&p, on_done, NULL), 0);
	spin();
	ck_assert_uint_eq(script_running(env.scripts), 1);
	chk_probe_cancel(&p);
	chk_probe_release(&p);
	/* the script is killed and reaped; its state goes with it */
	for (int i = 0; i < 300 && script_running(env.scripts) > 0; i++) {
		event_base_loop(env.base, EVLOOP_ONCE | EVLOOP_NONBLOCK);
		usleep(10000);
	}
	ck_assert_uint_eq(script_running(env.scripts), 0);
	ck_assert_uint_eq(ndone, 0);
	/* a new run of the released probe */
	ck.u.misc.script.cmd = (char *)"/bin/sh -c 'exit 7'";
	ck.u.misc.dynamic = 1;
	init_probe(CHK_MISC, 0);
	ck_assert_int_eq(chk_probe_start(&p, on_done, NULL), 0);
	run_until(1);
	ck_assert_int_eq(p.ok, 1);
	ck_assert_int_eq(p.weight, 5);
}
END_TEST

START_TEST(file_result_from_the_loop)
{
	char path[] = "/tmp/vigil-file-XXXXXX";
	int fd = mkstemp(path);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, "-2\n", 3), 3);
	close(fd);
	init_probe(CHK_FILE, 0);
	ck.u.file.track_file = path;
	ck.u.file.weight = 3;
	/* not from inside start(), and not at all once cancelled */
	ck_assert_int_eq(chk_probe_start(&p, on_done, NULL), 0);
	ck_assert_uint_eq(ndone, 0);
	chk_probe_cancel(&p);
	spin();
	ck_assert_uint_eq(ndone, 0);
	ck_assert_int_eq(chk_probe_start(&p, on_done, NULL), 0);
	run_until(1);
	ck_assert_int_eq(p.ok, 1);
	ck_assert_int_eq(p.weight, 1 - 6);
	unlink(path);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("chk_kinds");
	TCase *t = tcase_create("kinds");

	tcase_add_checked_fixture(t, setup, teardown);
	tcase_set_timeout(t, 30);
	tcase_add_test(t, tcp_drops_stale_completions);
	tcase_add_test(t, smtp_cancel_and_refused);
	tcase_add_test(t, smtp_greeting_refused);
	tcase_add_test(t, dns_ignores_other_ids);
	tcase_add_test(t, udp_runs_again_and_cancels);
	tcase_add_test(t, misc_cancel_kills_the_script);
	tcase_add_test(t, file_result_from_the_loop);
	suite_add_tcase(s, t);
	return s;
}

int
main(void)
{
	return check_run(suite());
}

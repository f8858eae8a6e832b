/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * lib/smtp_alert: the dialogue against a scripted SMTP peer (a forked
 * process on a loopback listener that records every byte it gets), the
 * message's headers and dot-stuffing, a refused recipient, a server that
 * never greets, nothing listening, and the bound on alerts in flight.
 */
#include "autoconfig.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "arena.h"
#include "check_run.h"
#include "global_conf.h"
#include "log.h"
#include "loop.h"
#include "smtp_alert.h"
#include "smtp_peer.h"

/* ---- the client ----------------------------------------------------------- */

struct fx {
	struct event_base *base;
	struct arena *a;
	struct global_conf *g;
	struct global_email e[2];
	struct smtp_alert *sa;
	int done, sent;
	char why[400];
};

static void
on_done(void *arg, int sent, const char *why)
{
	struct fx *f = arg;

	f->done++;
	f->sent = sent;
	snprintf(f->why, sizeof(f->why), "%s", why);
}

static void
fx_init(struct fx *f, unsigned port)
{
	memset(f, 0, sizeof(*f));
	f->base = loop_new();
	ck_assert_ptr_nonnull(f->base);
	f->a = arena_new();
	f->g = global_conf_new(f->a);
	f->g->smtp_server = "127.0.0.1";
	ck_assert_int_eq(addr_parse("127.0.0.1", &f->g->smtp_addr), 0);
	f->g->smtp_port = port;
	f->g->smtp_helo_name = "director1.test";
	f->g->email_from = "vigil@director1.test";
	f->g->router_id = "lvs1";
	f->g->smtp_connect_timeout = 1;
	f->e[0].addr = "ops@example.com";
	f->e[0].next = &f->e[1];
	f->e[1].addr = "oncall@example.com";
	f->g->emails = &f->e[0];
	f->sa = smtp_alert_new(f->base);
	ck_assert_ptr_nonnull(f->sa);
	smtp_alert_on_done(f->sa, on_done, f);
}

static void
fx_apply(struct fx *f)
{
	ck_assert_int_eq(smtp_alert_apply(f->sa, f->g), 0);
	ck_assert(smtp_alert_ready(f->sa));
}

static void
fx_fini(struct fx *f)
{
	smtp_alert_free(f->sa);
	arena_free(f->a);
	event_base_free(f->base);
}

static void
on_bound(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	event_base_loopbreak(arg);
}

/* Run the loop until n alerts ended, at most 15 s. */
static void
fx_run(struct fx *f, int n)
{
	struct timeval tv = { 15, 0 }, tick = { 0, 20000 };
	struct event *bound = evtimer_new(f->base, on_bound, f->base);
	uint64_t until = loop_now_usec() + 15000000u;

	evtimer_add(bound, &tv);
	while (f->done < n && loop_now_usec() < until) {
		event_base_loopexit(f->base, &tick);
		event_base_dispatch(f->base);
	}
	event_free(bound);
	ck_assert_int_eq(f->done, n);
}

/* ---- tests ---------------------------------------------------------------- */

START_TEST(dialogue_in_order)
{
	struct peer p;
	struct fx f;
	char *t, *d;

	peer_start(&p, PEER_OK);
	fx_init(&f, p.port);
	fx_apply(&f);
	ck_assert_int_eq(smtp_alert_send(f.sa, "VRRP Instance VI_1 - "
	    "Entering MASTER state", "=> VRRP Instance is now owning VRRP "
	    "VIPs <="), 0);
	fx_run(&f, 1);
	ck_assert_int_eq(f.sent, 1);
	t = peer_end(&p);
	/* the commands in order, the message between DATA and QUIT */
	d = strstr(t, "Date: ");
	ck_assert_msg(d != NULL, "no Date header in: %s", t);
	ck_assert_msg(strncmp(t, "HELO director1.test\r\n"
	    "MAIL FROM:<vigil@director1.test>\r\n"
	    "RCPT TO:<ops@example.com>\r\n"
	    "RCPT TO:<oncall@example.com>\r\n"
	    "DATA\r\n", (size_t)(d - t)) == 0 &&
	    d - t == (long)strlen("HELO director1.test\r\n"
	    "MAIL FROM:<vigil@director1.test>\r\n"
	    "RCPT TO:<ops@example.com>\r\n"
	    "RCPT TO:<oncall@example.com>\r\n"
	    "DATA\r\n"), "commands: %s", t);
	d = strchr(d, '\n') + 1;
	ck_assert_str_eq(d, "From: vigil@director1.test\r\n"
	    "Subject: [lvs1] VRRP Instance VI_1 - Entering MASTER state\r\n"
	    "X-Mailer: vigil\r\n"
	    "To: ops@example.com, oncall@example.com\r\n"
	    "\r\n"
	    "=> VRRP Instance is now owning VRRP VIPs <=\r\n"
	    "\r\n"
	    ".\r\n"
	    "QUIT\r\n");
	free(t);
	fx_fini(&f);
}
END_TEST

START_TEST(multiline_replies)
{
	struct peer p;
	struct fx f;
	char *t;

	peer_start(&p, PEER_MULTILINE);
	fx_init(&f, p.port);
	fx_apply(&f);
	smtp_alert_send(f.sa, "x", "y");
	fx_run(&f, 1);
	ck_assert_int_eq(f.sent, 1);
	t = peer_end(&p);
	ck_assert_ptr_nonnull(strstr(t, "\r\nQUIT\r\n"));
	free(t);
	fx_fini(&f);
}
END_TEST

START_TEST(dot_stuffing)
{
	size_t len;
	char *m = smtp_alert_message("D", "f@x", "t@x", "S",
	    ".starts with a dot\nbare LF\r\n..two dots\rbare CR\n.", &len);

	ck_assert_ptr_nonnull(m);
	ck_assert_uint_eq(len, strlen(m));
	ck_assert_str_eq(m, "Date: D\r\nFrom: f@x\r\nSubject: S\r\n"
	    "X-Mailer: vigil\r\nTo: t@x\r\n\r\n"
	    "..starts with a dot\r\nbare LF\r\n...two dots\r\nbare CR\r\n"
	    "..\r\n\r\n.\r\n");
	free(m);
}
END_TEST

START_TEST(header_injection)
{
	struct peer p;
	struct fx f;
	char *t;

	peer_start(&p, PEER_OK);
	fx_init(&f, p.port);
	f.g->router_id = "r\r\nBcc: evil@example.com";
	fx_apply(&f);
	smtp_alert_send(f.sa, "a\nSubject: b", "body");
	fx_run(&f, 1);
	t = peer_end(&p);
	ck_assert_ptr_nonnull(strstr(t,
	    "Subject: [r  Bcc: evil@example.com] a Subject: b\r\n"));
	ck_assert_ptr_null(strstr(t, "\nBcc:"));
	free(t);
	fx_fini(&f);
}
END_TEST

START_TEST(recipient_refused)
{
	char errs[128], buf[4096], want[256];
	struct peer p;
	struct fx f;
	char *t;
	int fd, saved;
	ssize_t n;

	peer_start(&p, PEER_RCPT_550);
	fx_init(&f, p.port);
	fx_apply(&f);
	snprintf(errs, sizeof(errs), "/tmp/test_smtp_alert_err.%d",
	    (int)getpid());
	fd = open(errs, O_RDWR | O_CREAT | O_TRUNC, 0600);
	ck_assert_int_ge(fd, 0);
	saved = dup(2);
	dup2(fd, 2);
	/* the log keeps a descriptor of its own when stderr is a pipe */
	log_init("test", LOG_F_STDERR, LOG_DAEMON, 0);
	smtp_alert_send(f.sa, "Realserver [10.0.0.7]:tcp:80 of virtual "
	    "server [10.0.0.100]:tcp:80 - DOWN", "=> TCP CHECK failed on "
	    "service <=");
	fx_run(&f, 1);
	dup2(saved, 2);
	close(saved);
	log_init("test", LOG_F_STDERR, LOG_DAEMON, 0);
	ck_assert_int_eq(f.sent, 0);
	ck_assert_str_eq(f.why, "550 5.1.1 no such user");
	t = peer_end(&p);
	/* no DATA after the refusal: QUIT */
	ck_assert_str_eq(t, "HELO director1.test\r\n"
	    "MAIL FROM:<vigil@director1.test>\r\n"
	    "RCPT TO:<ops@example.com>\r\nQUIT\r\n");
	free(t);
	n = pread(fd, buf, sizeof(buf) - 1, 0);
	buf[n > 0 ? n : 0] = '\0';
	close(fd);
	unlink(errs);
	snprintf(want, sizeof(want), "smtp_alert: 127.0.0.1:%u: RCPT "
	    "TO:<ops@example.com>: 550 5.1.1 no such user; alert \"[lvs1] "
	    "Realserver", p.port);
	ck_assert_msg(strstr(buf, want) != NULL, "log: %s", buf);
	/* once */
	ck_assert_ptr_null(strstr(strstr(buf, want) + 1, "smtp_alert:"));
	fx_fini(&f);
}
END_TEST

START_TEST(no_greeting_times_out)
{
	struct peer p;
	struct fx f;
	struct smtp_alert_stats st;

	peer_start(&p, PEER_SILENT);
	fx_init(&f, p.port);
	fx_apply(&f);
	smtp_alert_send(f.sa, "x", "y");
	fx_run(&f, 1);
	ck_assert_int_eq(f.sent, 0);
	ck_assert_str_eq(f.why, "timeout after 1.0 s");
	smtp_alert_stats(f.sa, &st);
	ck_assert_uint_eq(st.failed, 1);
	ck_assert_uint_eq(st.inflight, 0);
	free(peer_end(&p));
	fx_fini(&f);
}
END_TEST

START_TEST(nothing_listening)
{
	unsigned port;
	int lfd = listen_any(&port);
	struct fx f;

	close(lfd);		/* the port is free now: refused */
	fx_init(&f, port);
	fx_apply(&f);
	smtp_alert_send(f.sa, "x", "y");
	fx_run(&f, 1);
	ck_assert_int_eq(f.sent, 0);
	ck_assert_str_eq(f.why, "Connection refused");
	fx_fini(&f);
}
END_TEST

/* A server that takes connections and never answers: at most
 * SMTP_ALERT_INFLIGHT sockets, SMTP_ALERT_QUEUE_MAX waiting, the rest
 * dropped; freeing with all of that pending leaks nothing. */
START_TEST(bounded_when_dead)
{
	struct smtp_alert_stats st;
	unsigned port, i;
	int lfd = listen_any(&port);
	struct fx f;

	fx_init(&f, port);
	fx_apply(&f);
	for (i = 0; i < 100; i++)
		smtp_alert_send(f.sa, "x", "y");
	smtp_alert_stats(f.sa, &st);
	ck_assert_uint_eq(st.inflight, SMTP_ALERT_INFLIGHT);
	ck_assert_uint_eq(st.queued, SMTP_ALERT_QUEUE_MAX);
	ck_assert_uint_eq(st.dropped, 100 - SMTP_ALERT_INFLIGHT -
	    SMTP_ALERT_QUEUE_MAX);
	/* the first ones time out one by one; the queue moves */
	fx_run(&f, SMTP_ALERT_INFLIGHT);
	smtp_alert_stats(f.sa, &st);
	ck_assert_uint_le(st.inflight, SMTP_ALERT_INFLIGHT);
	ck_assert_uint_eq(st.failed, SMTP_ALERT_INFLIGHT);
	fx_fini(&f);
	close(lfd);
}
END_TEST

/* At stop, once the child's loop ended: what is in flight and what waits
 * is still sent, on a loop of its own; a dead server is given up at the
 * bound. */
START_TEST(finish_sends_what_waits)
{
	struct smtp_alert_stats st;
	unsigned port, n = 0;
	struct peer p;
	struct fx f;
	char *t, *at;
	int lfd;

	peer_start(&p, PEER_OK);
	fx_init(&f, p.port);
	fx_apply(&f);
	for (int i = 0; i < SMTP_ALERT_INFLIGHT + 2; i++)
		ck_assert_int_eq(smtp_alert_send(f.sa, "Stopping", "bye"), 0);
	smtp_alert_stats(f.sa, &st);
	ck_assert_uint_eq(st.inflight + st.queued, SMTP_ALERT_INFLIGHT + 2);
	/* the loop those started on never runs again */
	smtp_alert_finish(f.sa, 10 * 1000000ULL);
	f.sa = NULL;
	ck_assert_int_eq(f.done, SMTP_ALERT_INFLIGHT + 2);
	ck_assert_int_eq(f.sent, 1);
	t = peer_end(&p);
	for (at = t; (at = strstr(at, "Subject: [lvs1] Stopping\r\n")) !=
	    NULL; at++)
		n++;
	ck_assert_uint_eq(n, SMTP_ALERT_INFLIGHT + 2);
	free(t);
	fx_fini(&f);

	/* a server that never greets: given up at the bound, nothing
	 * left behind (valgrind) */
	lfd = listen_any(&port);
	fx_init(&f, port);
	fx_apply(&f);
	smtp_alert_send(f.sa, "Stopping", "bye");
	smtp_alert_finish(f.sa, 100000);
	f.sa = NULL;
	ck_assert_int_eq(f.done, 0);
	fx_fini(&f);
	close(lfd);
}
END_TEST

START_TEST(not_configured)
{
	struct fx f;

	fx_init(&f, 25);
	f.g->emails = NULL;
	ck_assert_int_eq(smtp_alert_apply(f.sa, f.g), 0);
	ck_assert(!smtp_alert_ready(f.sa));
	ck_assert_int_eq(smtp_alert_send(f.sa, "x", "y"), -1);
	f.g->emails = &f.e[0];
	f.g->smtp_server = NULL;
	ck_assert_int_eq(smtp_alert_apply(f.sa, f.g), 0);
	ck_assert(!smtp_alert_ready(f.sa));
	fx_fini(&f);
}
END_TEST

/* A server named, not numbered: resolved without blocking. */
START_TEST(server_by_name)
{
	struct peer p;
	struct fx f;
	char *t;

	peer_start(&p, PEER_OK);
	fx_init(&f, p.port);
	f.g->smtp_server = "localhost";
	memset(&f.g->smtp_addr, 0, sizeof(f.g->smtp_addr));
	fx_apply(&f);
	smtp_alert_send(f.sa, "x", "y");
	fx_run(&f, 1);
	t = peer_end(&p);
	/* localhost may be ::1 first: then nothing listens there */
	if (f.sent)
		ck_assert_ptr_nonnull(strstr(t, "HELO director1.test\r\n"));
	else
		ck_assert_msg(strstr(f.why, "refused") != NULL, "%s", f.why);
	free(t);
	fx_fini(&f);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("smtp_alert");
	TCase *tc = tcase_create("smtp_alert");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, dialogue_in_order);
	tcase_add_test(tc, multiline_replies);
	tcase_add_test(tc, dot_stuffing);
	tcase_add_test(tc, header_injection);
	tcase_add_test(tc, recipient_refused);
	tcase_add_test(tc, no_greeting_times_out);
	tcase_add_test(tc, nothing_listening);
	tcase_add_test(tc, bounded_when_dead);
	tcase_add_test(tc, finish_sends_what_waits);
	tcase_add_test(tc, not_configured);
	tcase_add_test(tc, server_by_name);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	signal(SIGPIPE, SIG_IGN);
	log_init("test", LOG_F_STDERR, LOG_DAEMON, 0);
	return check_run(suite());
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * SMTP_CHECK: connect, read the 220 greeting, send "HELO helo_name", read
 * a 250, send QUIT and read its reply (any code: the server answered). A
 * greeting or HELO reply with another code, a malformed or oversized
 * reply, or the server closing the connection fails the check.
 *
 * Several targets per checker, as keepalived 2.2.7 turns the (deprecated)
 * host { } blocks into checkers of their own: the checker's own
 * connection when any of its connection keywords is set or there is no
 * host block, then each host in order. All must pass. They are checked one
 * after the other over one descriptor, each bounded by its own
 * connect_timeout; the probe's bound is their sum.
 */
#include "autoconfig.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <event2/event.h>

#include "healthcheck/probe.h"
#include "smtp_reply.h"

#define SMTP_DEFAULT_HELO	"smtpchecker.keepalived.org"
#define SMTP_OUT_MAX		(SMTP_REPLY_LINE_MAX + 16)

enum smtp_step {
	SMTP_CONNECT,		/* waiting for the connection */
	SMTP_GREETING,		/* reading the 220 */
	SMTP_HELO,		/* writing HELO, then reading the 250 */
	SMTP_QUIT,		/* writing QUIT, then reading its reply */
};

/* kstate: kept from one run to the next, so that a run allocates nothing */
struct smtp_state {
	struct chk_probe *p;
	struct event *io;	/* read or write on p->fd */
	struct event *tmo;	/* this target's connect_timeout */
	const struct chk_conf_conn *target;	/* the one being checked */
	const struct chk_conf_smtp_host *next;	/* hosts still to check */
	enum smtp_step step;
	int writing;		/* the step's line is being sent */
	struct smtp_reply reply;
	char in[SMTP_REPLY_LINE_MAX];
	size_t inlen;		/* unparsed bytes read ahead in in[] */
	char out[SMTP_OUT_MAX];
	size_t outlen, outoff;
	char name[96];		/* "[10.0.0.2]:25" of the target */
};

static void smtp_io_cb(evutil_socket_t fd, short what, void *arg);
static int smtp_begin(struct smtp_state *s);

/* The probe's own target again (smtp_begin moved it to a host's). */
static void
smtp_restore(struct smtp_state *s)
{
	struct chk_probe *p = s->p;
	const struct chk_conf_conn *c = &p->conf->conn;

	p->conn = c;
	p->addr = *chk_conf_conn_addr(c, p->rs);
	p->port = chk_conf_conn_port(c, CHK_SMTP, p->rs);
}

static void
smtp_stop(struct smtp_state *s)
{
	if (s->io != NULL)
		event_del(s->io);
	if (s->tmo != NULL)
		event_del(s->tmo);
	if (s->p->fd >= 0) {
		close(s->p->fd);
		s->p->fd = -1;
	}
}

static void smtp_fail(struct smtp_state *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
smtp_fail(struct smtp_state *s, const char *fmt, ...)
{
	char why[CHK_REASON_LEN];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	smtp_stop(s);
	smtp_restore(s);
	/* name the target when it is not the one the probe is named by */
	if (strcmp(s->name, s->p->name) != 0)
		chk_probe_done(s->p, 0, "%s: %s", s->name, why);
	else
		chk_probe_done(s->p, 0, "%s", why);
}

/* Wait for the socket: readable, or writable while a line goes out. */
static int
smtp_wait(struct smtp_state *s, short what)
{
	event_del(s->io);
	if (event_assign(s->io, s->p->env->base, s->p->fd, what, smtp_io_cb,
	    s) < 0 || event_add(s->io, NULL) < 0)
		return -1;
	return 0;
}

static void
smtp_send(struct smtp_state *s, const char *verb, const char *arg)
{
	int n = snprintf(s->out, sizeof(s->out), "%s%s%s\r\n", verb,
	    arg != NULL ? " " : "", arg != NULL ? arg : "");

	s->outlen = n > 0 && (size_t)n < sizeof(s->out) ? (size_t)n :
	    sizeof(s->out) - 1;
	s->outoff = 0;
	s->writing = 1;
	smtp_reply_init(&s->reply);
	if (smtp_wait(s, EV_WRITE) < 0)
		smtp_fail(s, "cannot watch the socket");
}

/* This target passed: the next one, or the probe's result. */
static void
smtp_target_done(struct smtp_state *s)
{
	smtp_stop(s);
	if (s->next == NULL) {
		smtp_restore(s);
		chk_probe_done(s->p, 1, NULL);
		return;
	}
	s->target = &s->next->conn;
	s->next = s->next->next;
	if (smtp_begin(s) < 0)
		smtp_fail(s, "%s", s->p->reason);
}

/* A complete reply arrived at this step. */
static void
smtp_reply_in(struct smtp_state *s)
{
	const struct chk_checker_conf *ck = s->p->conf;
	unsigned code = s->reply.code;

	switch (s->step) {
	case SMTP_GREETING:
		if (code != 220) {
			smtp_fail(s, "greeting %u, expected 220: %s", code,
			    s->reply.text);
			return;
		}
		s->step = SMTP_HELO;
		smtp_send(s, "HELO", ck->u.smtp.helo_name != NULL ?
		    ck->u.smtp.helo_name : SMTP_DEFAULT_HELO);
		return;
	case SMTP_HELO:
		if (code != 250) {
			smtp_fail(s, "HELO reply %u, expected 250: %s", code,
			    s->reply.text);
			return;
		}
		s->step = SMTP_QUIT;
		smtp_send(s, "QUIT", NULL);
		return;
	case SMTP_QUIT:
		smtp_target_done(s);
		return;
	case SMTP_CONNECT:
		break;
	}
	smtp_fail(s, "reply out of turn");
}

/* Parse what was read; 1 if the step moved on. */
static int
smtp_parse(struct smtp_state *s)
{
	enum smtp_reply_status st;

	if (s->inlen == 0)
		return 0;
	st = smtp_reply_take(&s->reply, s->in, &s->inlen);
	if (st == SMTP_REPLY_ERROR) {
		smtp_fail(s, "bad reply: %s", smtp_reply_error(&s->reply));
		return 1;
	}
	if (st == SMTP_REPLY_DONE) {
		smtp_reply_in(s);
		return 1;
	}
	return 0;
}

static void
smtp_readable(struct smtp_state *s)
{
	char eb[96];
	ssize_t n;

	n = read(s->p->fd, s->in + s->inlen, sizeof(s->in) - s->inlen);
	if (n < 0) {
		if (errno == EAGAIN || errno == EINTR)
			return;
		smtp_fail(s, "read: %s", chk_probe_strerror(errno, eb,
		    sizeof(eb)));
		return;
	}
	if (n == 0) {
		smtp_fail(s, "connection closed by the server");
		return;
	}
	s->inlen += (size_t)n;
	(void)smtp_parse(s);
}

static void
smtp_writable(struct smtp_state *s)
{
	char eb[96];
	ssize_t n;

	n = send(s->p->fd, s->out + s->outoff, s->outlen - s->outoff,
	    MSG_NOSIGNAL);
	if (n < 0) {
		if (errno == EAGAIN || errno == EINTR)
			return;
		smtp_fail(s, "write: %s", chk_probe_strerror(errno, eb,
		    sizeof(eb)));
		return;
	}
	s->outoff += (size_t)n;
	if (s->outoff < s->outlen)
		return;
	s->writing = 0;
	/* a reply read ahead (pipelining servers) is parsed first */
	if (smtp_parse(s))
		return;
	if (smtp_wait(s, EV_READ | EV_PERSIST) < 0)
		smtp_fail(s, "cannot watch the socket");
}

static void
smtp_connected(struct smtp_state *s)
{
	socklen_t len = sizeof(int);
	char eb[96];
	int err = 0;

	if (getsockopt(s->p->fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
		err = errno;
	if (err != 0) {
		smtp_fail(s, "%s", chk_probe_strerror(err, eb, sizeof(eb)));
		return;
	}
	s->step = SMTP_GREETING;
	smtp_reply_init(&s->reply);
	if (smtp_wait(s, EV_READ | EV_PERSIST) < 0)
		smtp_fail(s, "cannot watch the socket");
}

static void
smtp_io_cb(evutil_socket_t fd, short what, void *arg)
{
	struct smtp_state *s = arg;

	(void)fd;
	(void)what;
	if (s->step == SMTP_CONNECT)
		smtp_connected(s);
	else if (s->writing)
		smtp_writable(s);
	else
		smtp_readable(s);
}

static void
smtp_timeout_cb(evutil_socket_t fd, short what, void *arg)
{
	struct smtp_state *s = arg;
	static const char *const at[] = {
		[SMTP_CONNECT] = "connecting",
		[SMTP_GREETING] = "waiting for the greeting",
		[SMTP_HELO] = "waiting for the HELO reply",
		[SMTP_QUIT] = "waiting for the QUIT reply",
	};

	(void)fd;
	(void)what;
	smtp_fail(s, "timeout %s", at[s->step]);
}

/* Connect to s->target; 0, or -1 with p->reason set. */
static int
smtp_begin(struct smtp_state *s)
{
	struct chk_probe *p = s->p;
	const struct chk_conf_conn *c = s->target;
	struct timeval tv;
	char a[ADDR_STRLEN];

	p->conn = c;
	p->addr = *chk_conf_conn_addr(c, p->rs);
	p->port = chk_conf_conn_port(c, CHK_SMTP, p->rs);
	snprintf(s->name, sizeof(s->name), "[%s]:%u", addr_ntop(&p->addr, a,
	    sizeof(a)), p->port);
	s->step = SMTP_CONNECT;
	s->writing = 0;
	s->inlen = 0;
	if (chk_probe_socket(p, SOCK_STREAM, IPPROTO_TCP) < 0)
		return -1;
	if (smtp_wait(s, EV_WRITE) < 0) {
		chk_probe_fail(p, "cannot watch the socket");
		return -1;
	}
	tv.tv_sec = (time_t)(c->connect_timeout / 1000000);
	tv.tv_usec = (suseconds_t)(c->connect_timeout % 1000000);
	event_del(s->tmo);
	event_assign(s->tmo, p->env->base, -1, 0, smtp_timeout_cb, s);
	event_add(s->tmo, &tv);
	return 0;
}

/* The checker's own connection is a target when any of its connection
 * keywords was given or no host { } block exists, as in keepalived. */
static int
smtp_own_target(const struct chk_probe *p)
{
	const struct chk_checker_conf *ck = p->conf;
	const struct chk_conf_conn *c = &ck->conn;

	return ck->u.smtp.hosts == NULL || c->has_port ||
	    !addr_is_unset(&c->bindto) || c->bind_port != 0 ||
	    c->bind_if != NULL || c->fwmark != 0 ||
	    (!addr_is_unset(&c->connect_ip) &&
	    addr_cmp(&c->connect_ip, &p->rs->addr) != 0);
}

static struct smtp_state *
smtp_state(struct chk_probe *p)
{
	struct smtp_state *s = p->kstate;

	if (s != NULL)
		return s;
	if ((s = calloc(1, sizeof(*s))) == NULL)
		return NULL;
	s->io = event_new(p->env->base, -1, 0, smtp_io_cb, s);
	s->tmo = event_new(p->env->base, -1, 0, smtp_timeout_cb, s);
	if (s->io == NULL || s->tmo == NULL) {
		if (s->io != NULL)
			event_free(s->io);
		if (s->tmo != NULL)
			event_free(s->tmo);
		free(s);
		return NULL;
	}
	p->kstate = s;
	return s;
}

static int
smtp_start(struct chk_probe *p)
{
	const struct chk_conf_smtp_host *h;
	struct smtp_state *s;
	uint64_t bound = 0;

	if ((s = smtp_state(p)) == NULL) {
		chk_probe_fail(p, "out of memory");
		return -1;
	}
	s->p = p;
	s->next = p->conf->u.smtp.hosts;
	if (smtp_own_target(p)) {
		s->target = &p->conf->conn;
		bound += p->conf->conn.connect_timeout;
	} else {
		s->target = &s->next->conn;
		s->next = s->next->next;
	}
	for (h = p->conf->u.smtp.hosts; h != NULL; h = h->next)
		bound += h->conn.connect_timeout;
	/* each target has its own timer; the engine's is a backstop */
	p->timeout = bound + 1000000;
	if (smtp_begin(s) < 0) {
		smtp_restore(s);
		return -1;
	}
	return 0;
}

static void
smtp_cancel(struct chk_probe *p)
{
	struct smtp_state *s = p->kstate;

	if (s == NULL)
		return;
	smtp_stop(s);
	smtp_restore(s);
}

static void
smtp_release(struct chk_probe *p)
{
	struct smtp_state *s = p->kstate;

	if (s == NULL)
		return;
	event_free(s->io);
	event_free(s->tmo);
	free(s);
	p->kstate = NULL;
}

const struct chk_kind chk_kind_smtp = {
	.kind = CHK_SMTP,
	.name = "SMTP_CHECK",
	.start = smtp_start,
	.cancel = smtp_cancel,
	.release = smtp_release,
	.fds = 1,
};

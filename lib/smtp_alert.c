/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The e-mail alert client (lib/smtp_alert.h). Each alert carries its
 * whole dialogue, built when it is queued: a list of steps, each a line
 * to send (none for the greeting) and the reply code that lets it go on.
 * Replies are read with the SMTP_CHECK's reply parser (lib/smtp_reply.c).
 */
#include "autoconfig.h"

#include <sys/socket.h>
#include <sys/queue.h>

#include <errno.h>
#include <netdb.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/dns.h>
#include <event2/event.h>
#include <event2/util.h>

#include "addr.h"
#include "global_conf.h"
#include "log.h"
#include "loop.h"
#include "smtp_alert.h"
#include "smtp_reply.h"

#define SA_NAME_MAX	300	/* "host:port" as logged */

struct sa_step {
	char *line;		/* NULL: the greeting */
	size_t len;
	unsigned expect, expect2;	/* accepted codes (expect2 0: none) */
	char what[96];		/* as logged: "RCPT TO:<a@b>" */
};

/* What alerts are sent with: a copy of global_defs' mail settings. */
struct sa_conf {
	char server[SA_NAME_MAX];	/* as logged */
	char *host;		/* NULL: addr */
	struct vg_addr addr;
	unsigned port;
	char *helo, *from, *to, *router_id;
	char **rcpt;
	unsigned nrcpt;
	uint64_t timeout;	/* usec, per step */
	unsigned refs;
};

struct sa_msg {
	TAILQ_ENTRY(sa_msg) link;
	struct smtp_alert *sa;
	struct sa_conf *conf;
	char *subject;		/* as sent, for the logs */
	struct sa_step *steps;
	unsigned nsteps, cur;
	int fd;
	int connecting, writing;
	size_t outoff;
	struct event *io, *tmo;
	struct evdns_getaddrinfo_request *dns;
	struct smtp_reply reply;
	char in[SMTP_REPLY_LINE_MAX];
	size_t inlen;
};
TAILQ_HEAD(sa_list, sa_msg);

struct smtp_alert {
	struct event_base *base;
	struct evdns_base *dns;		/* made on first use */
	struct sa_conf *conf;		/* NULL: not configured */
	struct sa_list queue, inflight;
	unsigned nqueued, ninflight;
	unsigned long long sent, failed, dropped, dropped_logged;
	smtp_alert_done_fn *done_fn;
	void *done_arg;
	int freeing;
};

static void sa_io_cb(evutil_socket_t fd, short what, void *arg);
static void sa_tmo_cb(evutil_socket_t fd, short what, void *arg);
static void sa_pump(struct smtp_alert *sa);

/* ---- settings ------------------------------------------------------------ */

static void
conf_unref(struct sa_conf *c)
{
	if (c == NULL || --c->refs > 0)
		return;
	for (unsigned i = 0; i < c->nrcpt; i++)
		free(c->rcpt[i]);
	free(c->rcpt);
	free(c->host);
	free(c->helo);
	free(c->from);
	free(c->to);
	free(c->router_id);
	free(c);
}

/* The local name keepalived defaults router_id, the HELO name and the
 * sender's domain to (it asks DNS for the canonical name, which can
 * block; the host name is what that usually is). */
static void
local_name(char *buf, size_t len)
{
	if (gethostname(buf, len) < 0 || buf[0] == '\0')
		snprintf(buf, len, "localhost");
	buf[len - 1] = '\0';
}

/* A header value without line breaks (no header injection). */
static void
header_clean(char *s)
{
	for (; *s != '\0'; s++)
		if (*s == '\r' || *s == '\n')
			*s = ' ';
}

static struct sa_conf *
conf_new(const struct global_conf *g)
{
	const struct global_email *e;
	struct sa_conf *c;
	char host[256], abuf[ADDR_STRLEN], *p;
	size_t tolen = 1;
	unsigned i;

	if (g == NULL || g->smtp_server == NULL || g->emails == NULL)
		return NULL;
	if ((c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	c->refs = 1;
	local_name(host, sizeof(host));
	c->port = g->smtp_port;
	c->timeout = (uint64_t)g->smtp_connect_timeout * 1000000u;
	if (addr_is_unset(&g->smtp_addr)) {
		if ((c->host = strdup(g->smtp_server)) == NULL)
			goto fail;
		snprintf(c->server, sizeof(c->server), "%s:%u", c->host,
		    c->port);
	} else {
		c->addr = g->smtp_addr;
		addr_ntop(&c->addr, abuf, sizeof(abuf));
		snprintf(c->server, sizeof(c->server),
		    c->addr.family == AF_INET6 ? "[%s]:%u" : "%s:%u", abuf,
		    c->port);
	}
	c->helo = strdup(g->smtp_helo_name != NULL ? g->smtp_helo_name :
	    host);
	c->router_id = strdup(g->router_id != NULL ? g->router_id : host);
	if (g->email_from != NULL)
		c->from = strdup(g->email_from);
	else {
		/* keepalived: the user's name at the local name */
		struct passwd *pw = getpwuid(getuid());
		char buf[600];

		snprintf(buf, sizeof(buf), "%s@%s", pw != NULL ?
		    pw->pw_name : "root", host);
		c->from = strdup(buf);
	}
	for (e = g->emails; e != NULL; e = e->next) {
		c->nrcpt++;
		tolen += strlen(e->addr) + 2;
	}
	c->rcpt = calloc(c->nrcpt, sizeof(*c->rcpt));
	c->to = malloc(tolen);
	if (c->helo == NULL || c->router_id == NULL || c->from == NULL ||
	    c->rcpt == NULL || c->to == NULL)
		goto fail;
	/* the To header: every address, ", " between them */
	p = c->to;
	*p = '\0';
	for (e = g->emails, i = 0; e != NULL; e = e->next, i++) {
		if ((c->rcpt[i] = strdup(e->addr)) == NULL)
			goto fail;
		p += sprintf(p, "%s%s", i > 0 ? ", " : "", e->addr);
	}
	header_clean(c->from);
	header_clean(c->to);
	header_clean(c->helo);
	header_clean(c->router_id);
	return c;
fail:
	conf_unref(c);
	return NULL;
}

/* ---- the message --------------------------------------------------------- */

char *
smtp_alert_message(const char *date, const char *from, const char *to,
    const char *subject, const char *body, size_t *len)
{
	size_t blen = strlen(body), cap, n;
	const char *s;
	char *m, *p;
	int hl;

	/* each body byte may become two (a dot, or a CR before a LF) */
	cap = strlen(date) + strlen(from) + strlen(to) + strlen(subject) +
	    128 + 2 * blen;
	if ((m = malloc(cap)) == NULL)
		return NULL;
	hl = snprintf(m, cap, "Date: %s\r\nFrom: %s\r\nSubject: %s\r\n"
	    "X-Mailer: vigil\r\nTo: %s\r\n\r\n", date, from, subject, to);
	if (hl < 0 || (size_t)hl >= cap) {
		free(m);
		return NULL;
	}
	p = m + hl;
	/* a line beginning with "." gets another (RFC 5321 4.5.2); a bare
	 * LF or CR becomes CRLF */
	for (s = body; *s != '\0'; ) {
		if (*s == '.')
			*p++ = '.';
		n = strcspn(s, "\r\n");
		memcpy(p, s, n);
		p += n;
		s += n;
		if (*s == '\0')
			break;
		if (s[0] == '\r' && s[1] == '\n')
			s++;
		s++;
		*p++ = '\r';
		*p++ = '\n';
	}
	/* keepalived ends the body with CRLF, then a blank line and "." */
	memcpy(p, "\r\n\r\n.\r\n", 8);	/* with its NUL */
	p += 7;
	*len = (size_t)(p - m);
	return m;
}

/* ---- one alert ----------------------------------------------------------- */

static int
step_set(struct sa_step *st, unsigned expect, unsigned expect2,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static int
step_set(struct sa_step *st, unsigned expect, unsigned expect2,
    const char *fmt, ...)
{
	va_list ap;
	int n;

	st->expect = expect;
	st->expect2 = expect2;
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || (st->line = malloc((size_t)n + 3)) == NULL)
		return -1;
	va_start(ap, fmt);
	vsnprintf(st->line, (size_t)n + 1, fmt, ap);
	va_end(ap);
	memcpy(st->line + n, "\r\n", 3);
	st->len = (size_t)n + 2;
	/* the logs name the step by its command, cut if long */
	snprintf(st->what, sizeof(st->what), "%.*s", n, st->line);
	if ((size_t)n >= sizeof(st->what))
		memcpy(st->what + sizeof(st->what) - 4, "...", 4);
	return 0;
}

static void
msg_close(struct sa_msg *m)
{
	if (m->dns != NULL) {
		evdns_getaddrinfo_cancel(m->dns);
		m->dns = NULL;
	}
	if (m->io != NULL)
		event_free(m->io);
	if (m->tmo != NULL)
		event_free(m->tmo);
	m->io = m->tmo = NULL;
	if (m->fd >= 0) {
		close(m->fd);
		m->fd = -1;
	}
}

static void
msg_free(struct sa_msg *m)
{
	msg_close(m);
	for (unsigned i = 0; i < m->nsteps; i++)
		free(m->steps[i].line);
	free(m->steps);
	free(m->subject);
	conf_unref(m->conf);
	free(m);
}

static struct sa_msg *
msg_new(struct smtp_alert *sa, const char *subject, const char *body)
{
	struct sa_conf *c = sa->conf;
	struct sa_msg *m;
	char date[80], subj[SMTP_ALERT_SUBJECT_MAX], bodyb[SMTP_ALERT_BODY_MAX];
	struct tm tm;
	time_t now = time(NULL);
	unsigned n = 0;
	size_t len;

	if ((m = calloc(1, sizeof(*m))) == NULL)
		return NULL;
	m->sa = sa;
	m->fd = -1;
	m->conf = c;
	c->refs++;
	/* keepalived's bounds: a subject of 256, a body of 512 bytes */
	snprintf(subj, sizeof(subj), "[%s] %s", c->router_id, subject);
	header_clean(subj);
	snprintf(bodyb, sizeof(bodyb), "%s", body);
	localtime_r(&now, &tm);
	strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S %z", &tm);
	if ((m->subject = strdup(subj)) == NULL ||
	    (m->steps = calloc(6 + c->nrcpt, sizeof(*m->steps))) == NULL)
		goto fail;
	m->nsteps = 6 + c->nrcpt;
	m->steps[n].expect = 220;
	snprintf(m->steps[n++].what, sizeof(m->steps[0].what), "greeting");
	if (step_set(&m->steps[n++], 250, 0, "HELO %s", c->helo) < 0 ||
	    step_set(&m->steps[n++], 250, 0, "MAIL FROM:<%s>", c->from) < 0)
		goto fail;
	for (unsigned i = 0; i < c->nrcpt; i++)
		if (step_set(&m->steps[n++], 250, 251, "RCPT TO:<%s>",
		    c->rcpt[i]) < 0)
			goto fail;
	if (step_set(&m->steps[n++], 354, 0, "DATA") < 0)
		goto fail;
	m->steps[n].expect = 250;
	snprintf(m->steps[n].what, sizeof(m->steps[0].what), "end of data");
	if ((m->steps[n].line = smtp_alert_message(date, c->from, c->to, subj,
	    bodyb, &len)) == NULL)
		goto fail;
	m->steps[n++].len = len;
	if (step_set(&m->steps[n++], 221, 0, "QUIT") < 0)
		goto fail;
	return m;
fail:
	msg_free(m);
	return NULL;
}

/* At QUIT the mail went: what happens then is a courtesy. */
static int
msg_quitting(const struct sa_msg *m)
{
	return !m->connecting && m->steps[m->cur].expect == 221;
}

static const char *
msg_step(const struct sa_msg *m)
{
	return m->connecting ? "connect" : m->steps[m->cur].what;
}

/* The alert ends: sent, or why not. */
static void msg_end(struct sa_msg *m, int sent, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
msg_end(struct sa_msg *m, int sent, const char *fmt, ...)
{
	struct smtp_alert *sa = m->sa;
	char why[400];
	va_list ap;

	why[0] = '\0';
	if (fmt != NULL) {
		va_start(ap, fmt);
		vsnprintf(why, sizeof(why), fmt, ap);
		va_end(ap);
	}
	if (sent) {
		sa->sent++;
		log_info("smtp_alert: %s: sent \"%s\"", m->conf->server,
		    m->subject);
	} else {
		sa->failed++;
		log_warn("smtp_alert: %s: %s: %s; alert \"%s\" not sent",
		    m->conf->server, msg_step(m), why, m->subject);
	}
	/* a QUIT is owed on a connection that is still good */
	if (!sent && m->fd >= 0 && !m->connecting)
		(void)send(m->fd, "QUIT\r\n", 6, MSG_NOSIGNAL | MSG_DONTWAIT);
	TAILQ_REMOVE(&sa->inflight, m, link);
	sa->ninflight--;
	if (sa->done_fn != NULL)
		sa->done_fn(sa->done_arg, sent, why);
	msg_free(m);
	if (!sa->freeing)
		sa_pump(sa);
}

static int
msg_wait(struct sa_msg *m, short what)
{
	struct timeval tv;

	event_del(m->io);
	if (event_assign(m->io, m->sa->base, m->fd, what, sa_io_cb, m) < 0 ||
	    event_add(m->io, NULL) < 0)
		return -1;
	tv.tv_sec = (time_t)(m->conf->timeout / 1000000u);
	tv.tv_usec = (suseconds_t)(m->conf->timeout % 1000000u);
	return event_add(m->tmo, &tv);
}

/* Send the current step's line (the greeting has none: read). */
static void
msg_next(struct sa_msg *m)
{
	smtp_reply_init(&m->reply);
	m->outoff = 0;
	m->writing = m->steps[m->cur].line != NULL;
	if (msg_wait(m, m->writing ? EV_WRITE | EV_PERSIST :
	    EV_READ | EV_PERSIST) < 0)
		msg_end(m, 0, "cannot watch the socket");
}

static void
msg_reply(struct sa_msg *m)
{
	const struct sa_step *st = &m->steps[m->cur];
	unsigned code = m->reply.code;

	if (msg_quitting(m)) {
		msg_end(m, 1, NULL);
		return;
	}
	if (code != st->expect && (st->expect2 == 0 || code != st->expect2)) {
		msg_end(m, 0, "%u %s", code, m->reply.text);
		return;
	}
	m->cur++;
	msg_next(m);
}

/* Parse what was read; 1 if the alert moved on or ended. */
static int
msg_parse(struct sa_msg *m)
{
	enum smtp_reply_status st;

	if (m->inlen == 0)
		return 0;
	st = smtp_reply_take(&m->reply, m->in, &m->inlen);
	if (st == SMTP_REPLY_ERROR) {
		msg_end(m, 0, "bad reply: %s", smtp_reply_error(&m->reply));
		return 1;
	}
	if (st == SMTP_REPLY_DONE) {
		msg_reply(m);
		return 1;
	}
	return 0;
}

static void
msg_readable(struct sa_msg *m)
{
	ssize_t n;

	n = read(m->fd, m->in + m->inlen, sizeof(m->in) - m->inlen);
	if (n < 0) {
		if (errno == EAGAIN || errno == EINTR)
			return;
		msg_end(m, msg_quitting(m), "read: %s", strerror(errno));
		return;
	}
	if (n == 0) {
		msg_end(m, msg_quitting(m), "connection closed by the "
		    "server");
		return;
	}
	m->inlen += (size_t)n;
	/* one reply at a time: each step waits for its own (bytes read
	 * ahead stay in m->in for the next) */
	(void)msg_parse(m);
}

static void
msg_writable(struct sa_msg *m)
{
	const struct sa_step *st = &m->steps[m->cur];
	ssize_t n;

	n = send(m->fd, st->line + m->outoff, st->len - m->outoff,
	    MSG_NOSIGNAL);
	if (n < 0) {
		if (errno == EAGAIN || errno == EINTR)
			return;
		msg_end(m, 0, "write: %s", strerror(errno));
		return;
	}
	m->outoff += (size_t)n;
	if (m->outoff < st->len)
		return;
	m->writing = 0;
	/* a reply read ahead is parsed first */
	if (msg_parse(m))
		return;
	if (msg_wait(m, EV_READ | EV_PERSIST) < 0)
		msg_end(m, 0, "cannot watch the socket");
}

static void
msg_connected(struct sa_msg *m)
{
	socklen_t len = sizeof(int);
	int err = 0;

	if (getsockopt(m->fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
		err = errno;
	if (err != 0) {
		msg_end(m, 0, "%s", strerror(err));
		return;
	}
	m->connecting = 0;
	m->cur = 0;
	msg_next(m);
}

static void
sa_io_cb(evutil_socket_t fd, short what, void *arg)
{
	struct sa_msg *m = arg;

	(void)fd;
	(void)what;
	if (m->connecting)
		msg_connected(m);
	else if (m->writing)
		msg_writable(m);
	else
		msg_readable(m);
}

static void
sa_tmo_cb(evutil_socket_t fd, short what, void *arg)
{
	struct sa_msg *m = arg;
	uint64_t t = m->conf->timeout;

	(void)fd;
	(void)what;
	if (m->dns != NULL) {
		/* the request is freed by evdns once cancelled */
		evdns_getaddrinfo_cancel(m->dns);
		m->dns = NULL;
		msg_end(m, 0, "cannot resolve %s: no answer after "
		    "%llu.%llu s", m->conf->host,
		    (unsigned long long)(t / 1000000u),
		    (unsigned long long)(t % 1000000u / 100000u));
		return;
	}
	if (msg_quitting(m)) {
		msg_end(m, 1, NULL);
		return;
	}
	msg_end(m, 0, "timeout after %llu.%llu s%s",
	    (unsigned long long)(t / 1000000u),
	    (unsigned long long)(t % 1000000u / 100000u),
	    m->connecting || m->steps[m->cur].line == NULL ? "" :
	    m->writing ? " sending it" : " waiting for the reply");
}

static void
msg_connect(struct sa_msg *m, const struct sockaddr *sa, socklen_t sl)
{
	m->fd = socket(sa->sa_family, SOCK_STREAM | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0);
	if (m->fd < 0) {
		msg_end(m, 0, "socket: %s", strerror(errno));
		return;
	}
	if (connect(m->fd, sa, sl) < 0 && errno != EINPROGRESS) {
		msg_end(m, 0, "%s", strerror(errno));
		return;
	}
	m->connecting = 1;
	if (msg_wait(m, EV_WRITE) < 0)
		msg_end(m, 0, "cannot watch the socket");
}

static void
msg_resolved(int err, struct evutil_addrinfo *res, void *arg)
{
	struct sa_msg *m = arg;

	if (err == EVUTIL_EAI_CANCEL)
		return;		/* msg_close cancelled it: m is gone */
	m->dns = NULL;
	if (err != 0 || res == NULL) {
		if (res != NULL)
			evutil_freeaddrinfo(res);
		msg_end(m, 0, "cannot resolve %s: %s", m->conf->host,
		    evutil_gai_strerror(err));
		return;
	}
	event_del(m->tmo);
	msg_connect(m, res->ai_addr, (socklen_t)res->ai_addrlen);
	evutil_freeaddrinfo(res);
}

static void
msg_start(struct sa_msg *m)
{
	struct smtp_alert *sa = m->sa;
	const struct sa_conf *c = m->conf;
	struct sockaddr_storage ss;
	socklen_t sl;

	m->io = event_new(sa->base, -1, 0, sa_io_cb, m);
	m->tmo = event_new(sa->base, -1, 0, sa_tmo_cb, m);
	if (m->io == NULL || m->tmo == NULL) {
		msg_end(m, 0, "out of memory");
		return;
	}
	m->connecting = 1;
	if (c->host != NULL) {
		struct evdns_getaddrinfo_request *req;
		struct evutil_addrinfo hints;
		struct timeval tv;
		char port[8];

		if (sa->dns == NULL && (sa->dns = evdns_base_new(sa->base,
		    EVDNS_BASE_INITIALIZE_NAMESERVERS |
		    EVDNS_BASE_DISABLE_WHEN_INACTIVE)) == NULL) {
			msg_end(m, 0, "cannot resolve %s: no resolver",
			    c->host);
			return;
		}
		memset(&hints, 0, sizeof(hints));
		hints.ai_family = AF_UNSPEC;
		hints.ai_socktype = SOCK_STREAM;
		hints.ai_protocol = IPPROTO_TCP;
		snprintf(port, sizeof(port), "%u", c->port);
		tv.tv_sec = (time_t)(c->timeout / 1000000u);
		tv.tv_usec = (suseconds_t)(c->timeout % 1000000u);
		event_add(m->tmo, &tv);
		/* the callback may run before this returns (a name in
		 * /etc/hosts, an error), and may end m: then NULL comes
		 * back and m is not touched again */
		req = evdns_getaddrinfo(sa->dns, c->host, port, &hints,
		    msg_resolved, m);
		if (req != NULL)
			m->dns = req;
		return;
	}
	memset(&ss, 0, sizeof(ss));
	if (c->addr.family == AF_INET6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;

		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((uint16_t)c->port);
		s6->sin6_addr = c->addr.u.v6;
		sl = sizeof(*s6);
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;

		s4->sin_family = AF_INET;
		s4->sin_port = htons((uint16_t)c->port);
		s4->sin_addr = c->addr.u.v4;
		sl = sizeof(*s4);
	}
	msg_connect(m, (struct sockaddr *)&ss, sl);
}

/* Start what waits while connections are free. */
static void
sa_pump(struct smtp_alert *sa)
{
	struct sa_msg *m;

	while (sa->ninflight < SMTP_ALERT_INFLIGHT &&
	    (m = TAILQ_FIRST(&sa->queue)) != NULL) {
		TAILQ_REMOVE(&sa->queue, m, link);
		sa->nqueued--;
		TAILQ_INSERT_TAIL(&sa->inflight, m, link);
		sa->ninflight++;
		msg_start(m);
	}
	if (sa->dropped > sa->dropped_logged && sa->nqueued == 0) {
		log_warn("smtp_alert: %llu alert(s) dropped while %u were "
		    "waiting", sa->dropped - sa->dropped_logged,
		    SMTP_ALERT_QUEUE_MAX);
		sa->dropped_logged = sa->dropped;
	}
}

/* ---- the interface ------------------------------------------------------- */

struct smtp_alert *
smtp_alert_new(struct event_base *base)
{
	struct smtp_alert *sa;

	if (base == NULL || (sa = calloc(1, sizeof(*sa))) == NULL)
		return NULL;
	sa->base = base;
	TAILQ_INIT(&sa->queue);
	TAILQ_INIT(&sa->inflight);
	return sa;
}

void
smtp_alert_free(struct smtp_alert *sa)
{
	struct sa_msg *m;

	if (sa == NULL)
		return;
	sa->freeing = 1;
	sa->done_fn = NULL;
	while ((m = TAILQ_FIRST(&sa->queue)) != NULL) {
		TAILQ_REMOVE(&sa->queue, m, link);
		msg_free(m);
	}
	while ((m = TAILQ_FIRST(&sa->inflight)) != NULL) {
		TAILQ_REMOVE(&sa->inflight, m, link);
		msg_free(m);
	}
	if (sa->dns != NULL)
		evdns_base_free(sa->dns, 0);
	conf_unref(sa->conf);
	free(sa);
}

/* Move m's pending events to base pb (a step's timeout starts again). */
static int
msg_move(struct sa_msg *m, struct event_base *pb)
{
	short what = event_get_events(m->io);
	int io = event_pending(m->io, EV_READ | EV_WRITE, NULL) != 0;
	int tmo = event_pending(m->tmo, EV_TIMEOUT, NULL) != 0;
	struct timeval tv;

	event_del(m->io);
	event_del(m->tmo);
	if (event_assign(m->io, pb, m->fd, what, sa_io_cb, m) < 0 ||
	    event_assign(m->tmo, pb, -1, 0, sa_tmo_cb, m) < 0)
		return -1;
	tv.tv_sec = (time_t)(m->conf->timeout / 1000000u);
	tv.tv_usec = (suseconds_t)(m->conf->timeout % 1000000u);
	if ((io && event_add(m->io, NULL) < 0) ||
	    (tmo && event_add(m->tmo, &tv) < 0))
		return -1;
	return 0;
}

void
smtp_alert_finish(struct smtp_alert *sa, uint64_t usec)
{
	struct event_base *pb = NULL;
	struct sa_msg *m, *next;
	uint64_t end;
	unsigned left;

	if (sa == NULL)
		return;
	if (sa->nqueued + sa->ninflight == 0 ||
	    (pb = event_base_new()) == NULL) {
		smtp_alert_free(sa);
		return;
	}
	/* the loop they were started on runs no more: what is in flight
	 * goes on on a loop of its own, but for a name still being
	 * resolved (the resolver belongs to the old loop) */
	sa->freeing = 1;
	for (m = TAILQ_FIRST(&sa->inflight); m != NULL; m = next) {
		next = TAILQ_NEXT(m, link);
		if (m->dns != NULL || m->io == NULL || m->tmo == NULL ||
		    msg_move(m, pb) < 0)
			msg_end(m, 0, "vigild stops");
	}
	if (sa->dns != NULL)
		evdns_base_free(sa->dns, 0);
	sa->dns = NULL;
	sa->base = pb;
	sa->freeing = 0;
	sa_pump(sa);
	end = loop_now_usec() + usec;
	/* bounded in time and, should the clock stall, in rounds */
	for (unsigned i = 0; sa->nqueued + sa->ninflight > 0 &&
	    loop_now_usec() < end && i <= usec / 10000 + 1; i++) {
		struct timeval tick = { 0, 10000 };

		event_base_loopexit(pb, &tick);
		event_base_loop(pb, EVLOOP_ONCE);
	}
	if ((left = sa->nqueued + sa->ninflight) > 0)
		log_warn("smtp_alert: %u alert(s) not sent within %llu ms of "
		    "stopping", left, (unsigned long long)(usec / 1000));
	smtp_alert_free(sa);
	event_base_free(pb);
}

int
smtp_alert_apply(struct smtp_alert *sa, const struct global_conf *g)
{
	struct sa_conf *c;

	if (sa == NULL)
		return -1;
	c = conf_new(g);
	if (c == NULL && g != NULL && g->smtp_server != NULL &&
	    g->emails != NULL) {
		log_err("smtp_alert: out of memory applying the "
		    "configuration");
		return -1;
	}
	conf_unref(sa->conf);
	sa->conf = c;
	return 0;
}

int
smtp_alert_ready(const struct smtp_alert *sa)
{
	return sa != NULL && sa->conf != NULL;
}

int
smtp_alert_send(struct smtp_alert *sa, const char *subject,
    const char *body)
{
	struct sa_msg *m;

	if (sa == NULL || sa->conf == NULL || subject == NULL)
		return -1;
	if (sa->nqueued >= SMTP_ALERT_QUEUE_MAX) {
		if (sa->dropped++ == sa->dropped_logged)
			log_warn("smtp_alert: %s: %u alerts wait already; "
			    "\"[%s] %s\" dropped", sa->conf->server,
			    sa->nqueued, sa->conf->router_id, subject);
		return -1;
	}
	if ((m = msg_new(sa, subject, body != NULL ? body : "")) == NULL) {
		log_err("smtp_alert: out of memory; \"%s\" dropped", subject);
		sa->dropped++;
		sa->dropped_logged++;
		return -1;
	}
	TAILQ_INSERT_TAIL(&sa->queue, m, link);
	sa->nqueued++;
	sa_pump(sa);
	return 0;
}

void
smtp_alert_stats(const struct smtp_alert *sa, struct smtp_alert_stats *st)
{
	memset(st, 0, sizeof(*st));
	if (sa == NULL)
		return;
	st->sent = sa->sent;
	st->failed = sa->failed;
	st->dropped = sa->dropped;
	st->inflight = sa->ninflight;
	st->queued = sa->nqueued;
}

void
smtp_alert_on_done(struct smtp_alert *sa, smtp_alert_done_fn *fn, void *arg)
{
	if (sa == NULL)
		return;
	sa->done_fn = fn;
	sa->done_arg = arg;
}

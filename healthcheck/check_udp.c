/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * UDP_CHECK, as keepalived 2.2.7 runs it: one datagram (payload, or 32
 * bytes of "keepalived check - " repeated) over a connected UDP socket
 * with IP_RECVERR, then wait connect_timeout:
 *  - an ICMP error (port, host or network unreachable) fails the check;
 *  - with require_reply, a reply must come and match (udp_reply.h), and
 *    silence fails;
 *  - without it, any reply, or silence, passes.
 * The kind keeps its own timer at connect_timeout (silence is a result
 * here, not a failure); the engine's bound is a second later.
 */
#include "autoconfig.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <event2/event.h>

#include "healthcheck/probe.h"
#include "healthcheck/udp_reply.h"

#define UDP_DEFAULT_PAYLOAD_LEN	32
#define UDP_DEFAULT_PAYLOAD	"keepalived check - "

/* kstate: kept from one run to the next */
struct udp_state {
	struct event *ev;	/* readable */
	struct event *tmo;	/* connect_timeout */
	size_t bufsize;
	unsigned char buf[];	/* max_reply_length + 1 */
};

static void
udp_finish(struct chk_probe *p, int ok, const char *why)
{
	struct udp_state *s = p->kstate;

	event_del(s->ev);
	event_del(s->tmo);
	chk_probe_done(p, ok, "%s", why);
}

static void
udp_readable(evutil_socket_t fd, short what, void *arg)
{
	struct chk_probe *p = arg;
	struct udp_state *s = p->kstate;
	char why[CHK_REASON_LEN], eb[96];
	ssize_t n;

	(void)what;
	n = recv(fd, s->buf, s->bufsize, 0);
	if (n < 0) {
		if (errno == EAGAIN || errno == EINTR)
			return;
		/* an ICMP error reported on the connected socket */
		udp_finish(p, 0, chk_probe_strerror(errno, eb, sizeof(eb)));
		return;
	}
	if (!p->conf->u.udp.require_reply) {
		udp_finish(p, 1, "");
		return;
	}
	if (!udp_reply_match(p->conf, s->buf, (size_t)n, why, sizeof(why))) {
		udp_finish(p, 0, why);
		return;
	}
	udp_finish(p, 1, "");
}

static void
udp_timeout(evutil_socket_t fd, short what, void *arg)
{
	struct chk_probe *p = arg;
	char why[64];

	(void)fd;
	(void)what;
	if (!p->conf->u.udp.require_reply) {
		udp_finish(p, 1, "");
		return;
	}
	snprintf(why, sizeof(why), "no reply within %.1f s",
	    (double)p->conf->conn.connect_timeout / 1e6);
	udp_finish(p, 0, why);
}

static struct udp_state *
udp_state(struct chk_probe *p)
{
	size_t size = (size_t)p->conf->u.udp.max_reply_length + 1;
	struct udp_state *s = p->kstate;

	if (s != NULL && s->bufsize == size)
		return s;
	if (s != NULL) {
		event_free(s->ev);
		event_free(s->tmo);
		free(s);
		p->kstate = NULL;
	}
	if ((s = calloc(1, sizeof(*s) + size)) == NULL)
		return NULL;
	s->bufsize = size;
	s->ev = event_new(p->env->base, -1, 0, udp_readable, p);
	s->tmo = event_new(p->env->base, -1, 0, udp_timeout, p);
	if (s->ev == NULL || s->tmo == NULL) {
		if (s->ev != NULL)
			event_free(s->ev);
		if (s->tmo != NULL)
			event_free(s->tmo);
		free(s);
		return NULL;
	}
	p->kstate = s;
	return s;
}

static int
udp_start(struct chk_probe *p)
{
	const struct chk_checker_conf *ck = p->conf;
	unsigned char def[UDP_DEFAULT_PAYLOAD_LEN];
	const unsigned char *payload = ck->u.udp.payload;
	size_t len = ck->u.udp.payload_len, i;
	struct udp_state *s;
	struct timeval tv;
	char eb[96];
	int one = 1;

	if ((s = udp_state(p)) == NULL) {
		chk_probe_fail(p, "out of memory");
		return -1;
	}
	if (payload == NULL || len == 0) {
		for (i = 0; i < sizeof(def); i++)
			def[i] = (unsigned char)UDP_DEFAULT_PAYLOAD[i %
			    (sizeof(UDP_DEFAULT_PAYLOAD) - 1)];
		payload = def;
		len = sizeof(def);
	}
	if (chk_probe_socket(p, SOCK_DGRAM, IPPROTO_UDP) < 0)
		return -1;
	/* every ICMP error, not only port unreachable, fails the check */
	if (p->addr.family == AF_INET6)
		(void)setsockopt(p->fd, SOL_IPV6, IPV6_RECVERR, &one,
		    sizeof(one));
	else
		(void)setsockopt(p->fd, SOL_IP, IP_RECVERR, &one, sizeof(one));
	if (send(p->fd, payload, len, 0) != (ssize_t)len) {
		chk_probe_fail(p, "send: %s", chk_probe_strerror(errno, eb,
		    sizeof(eb)));
		return -1;
	}
	event_del(s->ev);
	event_del(s->tmo);
	tv.tv_sec = (time_t)(ck->conn.connect_timeout / 1000000);
	tv.tv_usec = (suseconds_t)(ck->conn.connect_timeout % 1000000);
	/* both events name this run's probe: the engine gives each run one
	 * of its pool */
	if (event_assign(s->ev, p->env->base, p->fd, EV_READ | EV_PERSIST,
	    udp_readable, p) < 0 || event_assign(s->tmo, p->env->base, -1, 0,
	    udp_timeout, p) < 0 || event_add(s->ev, NULL) < 0 ||
	    event_add(s->tmo, &tv) < 0) {
		event_del(s->ev);
		chk_probe_fail(p, "cannot watch the socket");
		return -1;
	}
	p->timeout = ck->conn.connect_timeout + 1000000;
	return 0;
}

static void
udp_cancel(struct chk_probe *p)
{
	struct udp_state *s = p->kstate;

	if (s == NULL)
		return;
	event_del(s->ev);
	event_del(s->tmo);
}

static void
udp_release(struct chk_probe *p)
{
	struct udp_state *s = p->kstate;

	if (s == NULL)
		return;
	event_free(s->ev);
	event_free(s->tmo);
	free(s);
	p->kstate = NULL;
}

const struct chk_kind chk_kind_udp = {
	.kind = CHK_UDP,
	.name = "UDP_CHECK",
	.start = udp_start,
	.cancel = udp_cancel,
	.release = udp_release,
	.fds = 1,
};

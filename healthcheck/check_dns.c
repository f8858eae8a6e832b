/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DNS_CHECK: one query (type and name from the configuration, class IN,
 * recursion desired, a random ID) over a connected UDP socket. The reply
 * decides as in keepalived 2.2.7: datagrams that are not the reply to
 * this query (other ID, not a response, and here also another question)
 * are ignored and the wait goes on; an error code fails the check; any
 * other reply passes, with or without an answer of the asked type (a
 * NODATA reply: the server works). A malformed reply fails; so does an
 * ICMP port unreachable (ECONNREFUSED on the connected socket).
 */
#include "autoconfig.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>

#include <event2/event.h>

#include "healthcheck/dns_msg.h"
#include "healthcheck/probe.h"

#define DNS_RECV_MAX	4096	/* larger datagrams arrive truncated */
#define DNS_RECV_BURST	16	/* datagrams read per wake-up */

/* kstate: kept from one run to the next */
struct dns_state {
	struct event *ev;
	uint8_t query[DNS_QUERY_MAX];
	size_t qlen;
};

static const char *const rcode_names[] = {
	"NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED",
	"YXDOMAIN", "YXRRSET", "NXRRSET", "NOTAUTH", "NOTZONE",
};

static uint16_t
dns_random_id(void)
{
	uint16_t id;

	if (getrandom(&id, sizeof(id), GRND_NONBLOCK) != sizeof(id))
		id = (uint16_t)random();
	return id;
}

static void
dns_readable(evutil_socket_t fd, short what, void *arg)
{
	struct chk_probe *p = arg;
	struct dns_state *s = p->kstate;
	struct dns_reply_info info;
	uint8_t buf[DNS_RECV_MAX];
	char eb[96];
	ssize_t n;

	(void)what;
	for (int i = 0; i < DNS_RECV_BURST; i++) {
		n = recv(fd, buf, sizeof(buf), 0);
		if (n < 0) {
			if (errno == EAGAIN || errno == EINTR)
				return;
			event_del(s->ev);
			chk_probe_done(p, 0, "%s", chk_probe_strerror(errno,
			    eb, sizeof(eb)));
			return;
		}
		switch (dns_msg_check(s->query, s->qlen, buf, (size_t)n,
		    &info)) {
		case DNS_V_NOTOURS:
			continue;
		case DNS_V_RCODE:
			event_del(s->ev);
			chk_probe_done(p, 0, "rcode %u (%s)", info.rcode,
			    info.rcode < sizeof(rcode_names) /
			    sizeof(rcode_names[0]) ? rcode_names[info.rcode] :
			    "?");
			return;
		case DNS_V_MALFORMED:
			event_del(s->ev);
			chk_probe_done(p, 0, "malformed reply: %s", info.why);
			return;
		case DNS_V_NOANSWER:
		case DNS_V_OK:
			event_del(s->ev);
			chk_probe_done(p, 1, NULL);
			return;
		}
	}
}

static int
dns_start(struct chk_probe *p)
{
	const struct chk_checker_conf *ck = p->conf;
	struct dns_state *s = p->kstate;
	char eb[96];
	int len;

	if (s == NULL) {
		if ((s = calloc(1, sizeof(*s))) == NULL ||
		    (s->ev = event_new(p->env->base, -1, 0, dns_readable,
		    p)) == NULL) {
			free(s);
			chk_probe_fail(p, "out of memory");
			return -1;
		}
		p->kstate = s;
	}
	len = dns_msg_query(s->query, sizeof(s->query), dns_random_id(),
	    ck->u.dns.name != NULL ? ck->u.dns.name : ".", ck->u.dns.type);
	if (len < 0) {
		chk_probe_fail(p, "name %s is not a domain name",
		    ck->u.dns.name);
		return -1;
	}
	s->qlen = (size_t)len;
	if (chk_probe_socket(p, SOCK_DGRAM, IPPROTO_UDP) < 0)
		return -1;
	if (send(p->fd, s->query, s->qlen, 0) != (ssize_t)s->qlen) {
		chk_probe_fail(p, "send: %s", chk_probe_strerror(errno, eb,
		    sizeof(eb)));
		return -1;
	}
	event_del(s->ev);
	if (event_assign(s->ev, p->env->base, p->fd, EV_READ | EV_PERSIST,
	    dns_readable, p) < 0 || event_add(s->ev, NULL) < 0) {
		chk_probe_fail(p, "cannot watch the socket");
		return -1;
	}
	return 0;
}

static void
dns_cancel(struct chk_probe *p)
{
	struct dns_state *s = p->kstate;

	if (s != NULL)
		event_del(s->ev);
}

static void
dns_release(struct chk_probe *p)
{
	struct dns_state *s = p->kstate;

	if (s == NULL)
		return;
	event_free(s->ev);
	free(s);
	p->kstate = NULL;
}

const struct chk_kind chk_kind_dns = {
	.kind = CHK_DNS,
	.name = "DNS_CHECK",
	.start = dns_start,
	.cancel = dns_cancel,
	.release = dns_release,
	.fds = 1,
};

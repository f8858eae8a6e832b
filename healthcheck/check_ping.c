/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * PING_CHECK: an ICMP (ICMPv6) echo request; up when the echo reply comes
 * back from the target within connect_timeout. As keepalived 2.2.7: one
 * echo, 128 bytes of data, no retransmission; a destination unreachable
 * for it fails the check at once where the socket type reports it.
 *
 * All probes of the child share one socket per family, kept in
 * env->kinds[CHK_PING] and made on first use: a raw socket (the checker
 * runs with CAP_NET_RAW), else a ping socket (SOCK_DGRAM, IPPROTO_ICMP:
 * net.ipv4.ping_group_range must include our group). A probe holds no
 * descriptor; bindto, bind_if and fwmark go with each packet. Requests
 * carry our identifier and a sequence number that is
 * the probe's slot in a table of 65,536: a reply finds its probe in O(1)
 * and is taken only from the address the request went to.
 */
#include "autoconfig.h"

#include <errno.h>
#include <net/if.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/ip_icmp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

#include <event2/event.h>

#include "healthcheck/probe.h"
#include "log.h"

#define PING_DATA_LEN	128	/* as keepalived sends */
#define PING_PKT_MAX	(60 + 8 + 60 + 8 + PING_DATA_LEN)	/* v4 error */
#define PING_SLOTS	65536
#define PING_RECV_BURST	64	/* datagrams read per wake-up */
#define PING_DATA	"vigil check - "
#define PING_ICMP_FILTER 1	/* linux/icmp.h ICMP_FILTER */

struct ping_sock {
	int family;
	int fd;			/* -1: not open (yet) */
	int raw;		/* SOCK_RAW: IP header in, checksum ours */
	uint16_t ident;		/* raw only: ping sockets get the kernel's */
	uint16_t next_seq;
	unsigned inflight;
	struct event *ev;
	struct chk_probe **slot;	/* by sequence number */
};

struct ping_shared {
	struct ping_sock v4, v6;
};

/* per probe (kstate): where its request is */
struct ping_probe {
	struct ping_sock *ps;
	uint16_t seq;
	int inflight;
};

static uint16_t
ping_cksum(const uint8_t *b, size_t len)
{
	uint32_t sum = 0;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)b[i] << 8 | b[i + 1];
	if (i < len)
		sum += (uint32_t)b[i] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static int
ping_same_addr(const struct vg_addr *a, const struct sockaddr_storage *ss)
{
	if (ss->ss_family == AF_INET && a->family == AF_INET)
		return memcmp(&((const struct sockaddr_in *)ss)->sin_addr,
		    &a->u.v4, sizeof(a->u.v4)) == 0;
	if (ss->ss_family == AF_INET6 && a->family == AF_INET6)
		return memcmp(&((const struct sockaddr_in6 *)ss)->sin6_addr,
		    &a->u.v6, sizeof(a->u.v6)) == 0;
	return 0;
}

/* The probe waiting on seq, unhooked from its slot. */
static struct chk_probe *
ping_take(struct ping_sock *ps, unsigned seq)
{
	struct chk_probe *p = ps->slot[seq & 0xffff];
	struct ping_probe *pp;

	if (p == NULL)
		return NULL;
	pp = p->kstate;
	ps->slot[seq & 0xffff] = NULL;
	pp->inflight = 0;
	ps->inflight--;
	return p;
}

/*
 * An ICMP message (after the IP header for raw IPv4): an echo reply to
 * one of our requests, or an error quoting one. Ignored otherwise.
 */
static void
ping_icmp(struct ping_sock *ps, const uint8_t *m, size_t len,
    const struct sockaddr_storage *from)
{
	unsigned type, id, seq;
	struct chk_probe *p;
	const char *why;
	int v6 = ps->family == AF_INET6;

	if (len < 8)
		return;
	type = m[0];
	if (type == (v6 ? ICMP6_ECHO_REPLY : ICMP_ECHOREPLY)) {
		id = (unsigned)m[4] << 8 | m[5];
		seq = (unsigned)m[6] << 8 | m[7];
		if (ps->raw && id != ps->ident)
			return;
		p = ps->slot[seq];
		if (p == NULL || !ping_same_addr(&p->addr, from))
			return;
		(void)ping_take(ps, seq);
		chk_probe_done(p, 1, NULL);
		return;
	}
	if (!ps->raw)
		return;
	if (v6 && type == ICMP6_DST_UNREACH)
		why = "destination unreachable";
	else if (v6 && type == ICMP6_TIME_EXCEEDED)
		why = "time exceeded";
	else if (!v6 && type == ICMP_DEST_UNREACH)
		why = m[1] == ICMP_HOST_UNREACH ? "host unreachable" :
		    m[1] == ICMP_NET_UNREACH ? "network unreachable" :
		    "destination unreachable";
	else if (!v6 && type == ICMP_TIME_EXCEEDED)
		why = "time exceeded";
	else
		return;
	/* the quoted request: its IP header, then our echo header */
	m += 8;
	len -= 8;
	if (v6) {
		if (len < 40 + 8 || m[6] != IPPROTO_ICMPV6)
			return;
		m += 40;
		len -= 40;
	} else {
		size_t hl;

		if (len < 20 || (hl = (size_t)(m[0] & 0x0f) * 4) < 20 ||
		    len < hl + 8 || m[9] != IPPROTO_ICMP)
			return;
		m += hl;
		len -= hl;
	}
	if (m[0] != (v6 ? ICMP6_ECHO_REQUEST : ICMP_ECHO))
		return;
	id = (unsigned)m[4] << 8 | m[5];
	seq = (unsigned)m[6] << 8 | m[7];
	if (id != ps->ident || (p = ps->slot[seq]) == NULL)
		return;
	(void)ping_take(ps, seq);
	chk_probe_done(p, 0, "%s", why);
}

static void
ping_readable(evutil_socket_t fd, short what, void *arg)
{
	struct ping_sock *ps = arg;
	uint8_t buf[PING_PKT_MAX];
	struct sockaddr_storage from;
	socklen_t fl;
	ssize_t n;

	(void)what;
	for (int i = 0; i < PING_RECV_BURST; i++) {
		fl = sizeof(from);
		n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from,
		    &fl);
		if (n < 0)
			return;		/* EAGAIN, or an error: the timer */
		if (ps->raw && ps->family == AF_INET) {
			size_t hl = (size_t)(buf[0] & 0x0f) * 4;

			if ((size_t)n < 20 || hl < 20 || (size_t)n < hl)
				continue;
			ping_icmp(ps, buf + hl, (size_t)n - hl, &from);
		} else {
			ping_icmp(ps, buf, (size_t)n, &from);
		}
	}
}

/* Only what the checks need reaches the raw sockets. */
static void
ping_filter(struct ping_sock *ps)
{
	if (ps->family == AF_INET6) {
		struct icmp6_filter f;

		ICMP6_FILTER_SETBLOCKALL(&f);
		ICMP6_FILTER_SETPASS(ICMP6_ECHO_REPLY, &f);
		ICMP6_FILTER_SETPASS(ICMP6_DST_UNREACH, &f);
		ICMP6_FILTER_SETPASS(ICMP6_TIME_EXCEEDED, &f);
		(void)setsockopt(ps->fd, IPPROTO_ICMPV6, ICMP6_FILTER, &f,
		    sizeof(f));
	} else {
		/* linux/icmp.h's struct icmp_filter: a bit per type blocks */
		uint32_t f = ~((1u << ICMP_ECHOREPLY) |
		    (1u << ICMP_DEST_UNREACH) | (1u << ICMP_TIME_EXCEEDED));

		(void)setsockopt(ps->fd, SOL_RAW, PING_ICMP_FILTER, &f,
		    sizeof(f));
	}
}

static int
ping_open(struct chk_env *env, struct ping_sock *ps, int family)
{
	int proto = family == AF_INET6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP;
	/* every reply of every probe lands here: room for a burst of
	 * thousands (root may go past rmem_max) */
	int size = 4 * 1024 * 1024;

	ps->family = family;
	ps->raw = 1;
	ps->fd = socket(family, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, proto);
	if (ps->fd < 0) {
		ps->raw = 0;
		ps->fd = socket(family, SOCK_DGRAM | SOCK_NONBLOCK |
		    SOCK_CLOEXEC, proto);
	}
	if (ps->fd < 0)
		return -1;
	if (ps->raw)
		ping_filter(ps);
	if (setsockopt(ps->fd, SOL_SOCKET, SO_RCVBUFFORCE, &size,
	    sizeof(size)) < 0)
		(void)setsockopt(ps->fd, SOL_SOCKET, SO_RCVBUF, &size,
		    sizeof(size));
	if (getrandom(&ps->ident, sizeof(ps->ident), GRND_NONBLOCK) !=
	    sizeof(ps->ident))
		ps->ident = (uint16_t)getpid();
	ps->slot = calloc(PING_SLOTS, sizeof(*ps->slot));
	ps->ev = event_new(env->base, ps->fd, EV_READ | EV_PERSIST,
	    ping_readable, ps);
	if (ps->slot == NULL || ps->ev == NULL || event_add(ps->ev, NULL) < 0) {
		free(ps->slot);
		ps->slot = NULL;
		if (ps->ev != NULL)
			event_free(ps->ev);
		ps->ev = NULL;
		close(ps->fd);
		ps->fd = -1;
		errno = ENOMEM;
		return -1;
	}
	log_info("PING_CHECK: %s %s socket for all ping checks",
	    ps->raw ? "raw" : "ping", family == AF_INET6 ? "ICMPv6" : "ICMP");
	return 0;
}

static struct ping_sock *
ping_sock(struct chk_probe *p)
{
	struct ping_shared *sh = p->env->kinds[CHK_PING];
	struct ping_sock *ps;
	char eb[96];

	if (sh == NULL) {
		if ((sh = calloc(1, sizeof(*sh))) == NULL) {
			chk_probe_fail(p, "out of memory");
			return NULL;
		}
		sh->v4.fd = sh->v6.fd = -1;
		p->env->kinds[CHK_PING] = sh;
	}
	ps = p->addr.family == AF_INET6 ? &sh->v6 : &sh->v4;
	if (ps->fd < 0 && ping_open(p->env, ps, p->addr.family == AF_INET6 ?
	    AF_INET6 : AF_INET) < 0) {
		chk_probe_fail(p, "ICMP socket: %s", chk_probe_strerror(errno,
		    eb, sizeof(eb)));
		return NULL;
	}
	return ps;
}

/*
 * Send the echo to p's target. The socket is shared, so the checker's
 * bindto (source address) and bind_if go with the packet (IP_PKTINFO /
 * IPV6_PKTINFO) and so does its fwmark (SO_MARK). 0, or -1 with errno.
 */
static int
ping_send(struct chk_probe *p, struct ping_sock *ps, const uint8_t *pkt,
    size_t len)
{
	const struct chk_conf_conn *c = &p->conf->conn;
	union {
		struct cmsghdr align;
		char buf[CMSG_SPACE(sizeof(struct in6_pktinfo)) +
		    CMSG_SPACE(sizeof(uint32_t))];
	} ctl;
	struct sockaddr_storage ss;
	struct iovec iov = { .iov_base = (void *)pkt, .iov_len = len };
	struct msghdr msg;
	struct cmsghdr *cm;
	unsigned ifindex = 0;
	size_t clen = 0;

	memset(&ss, 0, sizeof(ss));
	memset(&msg, 0, sizeof(msg));
	memset(&ctl, 0, sizeof(ctl));
	if (c->bind_if != NULL && (ifindex = if_nametoindex(c->bind_if)) == 0)
		return -1;
	msg.msg_name = &ss;
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = ctl.buf;
	msg.msg_controllen = sizeof(ctl.buf);
	cm = CMSG_FIRSTHDR(&msg);
	if (p->addr.family == AF_INET6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
		struct in6_pktinfo pi;

		s6->sin6_family = AF_INET6;
		s6->sin6_addr = p->addr.u.v6;
		if (IN6_IS_ADDR_LINKLOCAL(&p->addr.u.v6))
			s6->sin6_scope_id = ifindex;
		msg.msg_namelen = sizeof(*s6);
		if (ifindex != 0 || c->bindto.family == AF_INET6) {
			memset(&pi, 0, sizeof(pi));
			if (c->bindto.family == AF_INET6)
				pi.ipi6_addr = c->bindto.u.v6;
			pi.ipi6_ifindex = ifindex;
			cm->cmsg_level = IPPROTO_IPV6;
			cm->cmsg_type = IPV6_PKTINFO;
			cm->cmsg_len = CMSG_LEN(sizeof(pi));
			memcpy(CMSG_DATA(cm), &pi, sizeof(pi));
			clen += CMSG_SPACE(sizeof(pi));
			cm = CMSG_NXTHDR(&msg, cm);
		}
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
		struct in_pktinfo pi;

		s4->sin_family = AF_INET;
		s4->sin_addr = p->addr.u.v4;
		msg.msg_namelen = sizeof(*s4);
		if (ifindex != 0 || c->bindto.family == AF_INET) {
			memset(&pi, 0, sizeof(pi));
			if (c->bindto.family == AF_INET)
				pi.ipi_spec_dst = c->bindto.u.v4;
			pi.ipi_ifindex = (int)ifindex;
			cm->cmsg_level = IPPROTO_IP;
			cm->cmsg_type = IP_PKTINFO;
			cm->cmsg_len = CMSG_LEN(sizeof(pi));
			memcpy(CMSG_DATA(cm), &pi, sizeof(pi));
			clen += CMSG_SPACE(sizeof(pi));
			cm = CMSG_NXTHDR(&msg, cm);
		}
	}
	if (c->fwmark != 0 && cm != NULL) {
		uint32_t mark = c->fwmark;

		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SO_MARK;
		cm->cmsg_len = CMSG_LEN(sizeof(mark));
		memcpy(CMSG_DATA(cm), &mark, sizeof(mark));
		clen += CMSG_SPACE(sizeof(mark));
	}
	msg.msg_controllen = clen;
	if (clen == 0)
		msg.msg_control = NULL;
	return sendmsg(ps->fd, &msg, 0) < 0 ? -1 : 0;
}

static int
ping_start(struct chk_probe *p)
{
	uint8_t pkt[8 + PING_DATA_LEN];
	struct ping_probe *pp = p->kstate;
	struct ping_sock *ps;
	unsigned seq, i;
	char eb[96];

	if ((ps = ping_sock(p)) == NULL)
		return -1;
	if (pp == NULL) {
		if ((pp = calloc(1, sizeof(*pp))) == NULL) {
			chk_probe_fail(p, "out of memory");
			return -1;
		}
		p->kstate = pp;
	}
	if (ps->inflight >= PING_SLOTS) {
		chk_probe_fail(p, "too many pings in flight");
		return -1;
	}
	for (i = 0; i < PING_SLOTS; i++) {
		seq = ps->next_seq++;
		if (ps->slot[seq] == NULL)
			break;
	}
	memset(pkt, 0, 8);
	pkt[0] = p->addr.family == AF_INET6 ? ICMP6_ECHO_REQUEST : ICMP_ECHO;
	pkt[4] = (uint8_t)(ps->ident >> 8);
	pkt[5] = (uint8_t)ps->ident;
	pkt[6] = (uint8_t)(seq >> 8);
	pkt[7] = (uint8_t)seq;
	for (i = 0; i < PING_DATA_LEN; i++)
		pkt[8 + i] = (uint8_t)PING_DATA[i % (sizeof(PING_DATA) - 1)];
	if (ps->raw && p->addr.family == AF_INET) {
		uint16_t c = ping_cksum(pkt, sizeof(pkt));

		pkt[2] = (uint8_t)(c >> 8);
		pkt[3] = (uint8_t)c;
	}
	if (ping_send(p, ps, pkt, sizeof(pkt)) < 0) {
		chk_probe_fail(p, "%s", chk_probe_strerror(errno, eb,
		    sizeof(eb)));
		return -1;
	}
	pp->ps = ps;
	pp->seq = (uint16_t)seq;
	pp->inflight = 1;
	ps->slot[seq] = p;
	ps->inflight++;
	return 0;
}

static void
ping_cancel(struct chk_probe *p)
{
	struct ping_probe *pp = p->kstate;

	if (pp != NULL && pp->inflight && pp->ps->slot[pp->seq] == p)
		(void)ping_take(pp->ps, pp->seq);
}

static void
ping_release(struct chk_probe *p)
{
	ping_cancel(p);
	free(p->kstate);
	p->kstate = NULL;
}

static void
ping_sock_free(struct ping_sock *ps)
{
	if (ps->ev != NULL)
		event_free(ps->ev);
	if (ps->fd >= 0)
		close(ps->fd);
	free(ps->slot);
}

static void
ping_kind_free(struct chk_env *env)
{
	struct ping_shared *sh = env->kinds[CHK_PING];

	if (sh == NULL)
		return;
	ping_sock_free(&sh->v4);
	ping_sock_free(&sh->v6);
	free(sh);
	env->kinds[CHK_PING] = NULL;
}

const struct chk_kind chk_kind_ping = {
	.kind = CHK_PING,
	.name = "PING_CHECK",
	.start = ping_start,
	.cancel = ping_cancel,
	.release = ping_release,
	.kind_free = ping_kind_free,
	.fds = 0,
};

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * VRRP sockets (vrrp/socket.h): open, join, receive, demultiplex, send.
 * An IPv4 socket of an interface where some instance uses IPSEC-AH has a
 * second raw socket for protocol 51 (AH): a raw socket of protocol 112
 * never sees AH datagrams. Both feed the same demultiplexing, so an
 * advert with the other authentication is counted on its instance
 * (auth_type).
 *
 * An instance without an interface (unicast; the kernel's routing takes
 * its adverts to its peers) has a socket of its own kind, as keepalived
 * opens it: one per family, VRF and unicast_src_ip, bound to that address
 * (it receives only what is sent to it) and, for an instance in a VRF, to
 * the VRF device; it joins no group. Such a socket and an interface's may
 * both get a datagram (one sent to the bound address arriving on that
 * interface): the one without an instance of its VRID, or whose instance
 * does not have the source as a peer when the other's has, leaves it to
 * the other, uncounted.
 */
#include "autoconfig.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <event2/event.h>

#include "log.h"
#include "loop.h"
#include "vrrp/config.h"
#include "vrrp/instance.h"
#include "vrrp/socket.h"

#define SOCK_RX_BURST 64	/* datagrams read per wake-up */
#define SOCK_RCVBUF (256 * 1024)

struct vrrp_sock {
	struct vrrp_sock *next;
	struct vrrp_socks *set;
	int fd;
	int family;
	int ifindex;			/* 0: no interface */
	char ifname[IF_NAMESIZE];	/* the interface, or the VRF ("") */
	struct vg_addr group;		/* joined (interface) */
	struct vg_addr bound;		/* bound to (no interface) */
	int vrf_ifindex;		/* bound to that VRF (no interface) */
	struct event *ev;
	int fd_ah;			/* IPv4 AH adverts; -1: none */
	struct event *ev_ah;
	unsigned users;
	int old_checksum;		/* some instance wants it */
	struct vrrp_inst *byvrid[256];
	unsigned char unknown_logged[256 / 8];	/* log_unknown_vrids */
};

struct vrrp_socks {
	struct event_base *base;
	vrrp_sock_rx_fn *rx;
	void *arg;
	struct vrrp_sock *list;
	unsigned nbound;		/* sockets without an interface */
	uint64_t drops[VRRP_DROP_MAX];	/* not counted on an instance */
	uint64_t rx_errors;
	int log_unknown_vrids;
	int rx_bufs_policy;		/* vrrp_conf_globals' */
	unsigned rx_bufs_size, rx_bufs_multiplier;
};

struct vrrp_socks *
vrrp_socks_new(struct event_base *base, vrrp_sock_rx_fn *rx, void *arg)
{
	struct vrrp_socks *ss = calloc(1, sizeof(*ss));

	if (ss == NULL)
		return NULL;
	ss->base = base;
	ss->rx = rx;
	ss->arg = arg;
	return ss;
}

static void
sock_close(struct vrrp_sock *s)
{
	if (s->ev != NULL)
		event_free(s->ev);
	if (s->fd >= 0)
		close(s->fd);
	if (s->ev_ah != NULL)
		event_free(s->ev_ah);
	if (s->fd_ah >= 0)
		close(s->fd_ah);
	free(s);
}

void
vrrp_socks_free(struct vrrp_socks *ss)
{
	struct vrrp_sock *s, *n;

	if (ss == NULL)
		return;
	for (s = ss->list; s != NULL; s = n) {
		n = s->next;
		sock_close(s);
	}
	free(ss);
}

/* For the log: the interface, or the address (and VRF) bound to. */
static const char *
sock_where(const struct vrrp_sock *s, char *buf, size_t len)
{
	char a[ADDR_STRLEN];

	if (s->ifindex > 0)
		snprintf(buf, len, "%s", s->ifname);
	else
		snprintf(buf, len, "%s%s%s", addr_ntop(&s->bound, a, sizeof(a)),
		    s->vrf_ifindex > 0 ? " in VRF " : "",
		    s->vrf_ifindex > 0 ? s->ifname : "");
	return buf;
}

/* ---- receive ------------------------------------------------------------ */

static const struct vrrp_conf_peer *
sock_peer(const struct vrrp_instance_conf *c, const struct vg_addr *src)
{
	for (const struct vrrp_conf_peer *p = c->unicast_peers.first;
	    p != NULL; p = p->next)
		if (addr_cmp(&p->addr, src) == 0)
			return p;
	return NULL;
}

void
vrrp_sock_ttl_range(const struct vrrp_instance_conf *c,
    const struct vg_addr *src, struct vrrp_pkt_expect *e)
{
	const struct vrrp_conf_peer *peer;

	e->ttl_range = 0;
	if (c->unicast_peers.n == 0)
		return;
	e->ttl_range = 1;
	e->ttl_min = 0;
	e->ttl_max = 255;
	peer = sock_peer(c, src);
	if (peer == NULL || c->p.check_unicast_src <= 0)
		return;
	if (peer->min_ttl != VRRP_UNSET)
		e->ttl_min = peer->min_ttl;
	if (peer->max_ttl != VRRP_UNSET)
		e->ttl_max = peer->max_ttl;
}

/* The instance for a packet of vrid from src; *why when none. */
static struct vrrp_inst *
sock_demux(struct vrrp_sock *s, const struct vrrp_pkt *p, enum vrrp_drop *why)
{
	struct vrrp_inst *vi = s->byvrid[p->vrid & 0xff], *first = vi;

	*why = VRRP_DROP_VRID;
	if (vi == NULL)
		return NULL;
	if (vi->sock_next == NULL)
		return vi;
	/* unicast instances sharing the VRID: told apart by source */
	for (; vi != NULL; vi = vi->sock_next)
		if (sock_peer(vi->conf, &p->ip.src) != NULL)
			return vi;
	/* a multicast one among them takes the rest */
	for (vi = first; vi != NULL; vi = vi->sock_next)
		if (vi->conf->unicast_peers.n == 0)
			return vi;
	*why = VRRP_DROP_SRC;
	return NULL;
}

/*
 * log_unknown_vrids: keepalived 2.2.7's line for an advert no instance
 * takes (its VRID, or unicast instances of it none of which has the
 * source as a peer). keepalived logs every such advert; vigil logs the
 * first of each VRID on each socket, so that a neighbouring cluster's
 * adverts do not fill the log (the drops are counted: vrid, src).
 */
static void
sock_log_unknown(struct vrrp_sock *s, const struct vrrp_pkt *p,
    enum vrrp_drop why)
{
	unsigned v = p->vrid & 0xff;
	char a[ADDR_STRLEN], w[ADDR_STRLEN + IF_NAMESIZE + 8];

	if (!s->set->log_unknown_vrids ||
	    (s->unknown_logged[v / 8] & (1u << (v % 8))) != 0)
		return;
	s->unknown_logged[v / 8] |= (unsigned char)(1u << (v % 8));
	if (why == VRRP_DROP_SRC)
		log_info("Unknown VRID(%u) received on interface(%s) from %s. "
		    "ignoring... (logged once per VRID and interface)", v,
		    sock_where(s, w, sizeof(w)),
		    addr_ntop(&p->ip.src, a, sizeof(a)));
	else
		log_info("Unknown VRID(%u) received on interface(%s). "
		    "ignoring... (logged once per VRID and interface)", v,
		    sock_where(s, w, sizeof(w)));
}


/*
 * A datagram s has no instance for (of its VRID; with peer, of its VRID
 * and with its source as a peer) that another socket got too and has
 * one for: an interface's socket and one bound to an address both get
 * what is sent to that address on that interface (keepalived tells such
 * instances sharing a VRID and address apart by peer, as on one socket).
 */
static int
sock_elsewhere(const struct vrrp_sock *s, const struct vrrp_pkt *p, int peer)
{
	if (s->ifindex > 0 && s->set->nbound == 0)
		return 0;
	/* a socket bound to an address takes no multicast */
	if (p->ip.dst.family == AF_INET ?
	    IN_MULTICAST(ntohl(p->ip.dst.u.v4.s_addr)) :
	    IN6_IS_ADDR_MULTICAST(&p->ip.dst.u.v6))
		return 0;
	for (const struct vrrp_sock *t = s->set->list; t != NULL; t = t->next) {
		if (t == s || t->family != s->family ||
		    (s->ifindex > 0 && t->ifindex > 0) ||
		    (t->ifindex == 0 && addr_cmp(&t->bound, &p->ip.dst) != 0))
			continue;
		for (const struct vrrp_inst *vi = t->byvrid[p->vrid & 0xff];
		    vi != NULL; vi = vi->sock_next)
			if (!peer || sock_peer(vi->conf, &p->ip.src) != NULL)
				return 1;
	}
	return 0;
}

static void
sock_count(struct vrrp_socks *ss, struct vrrp_inst *vi, enum vrrp_drop d)
{
	if (d <= VRRP_OK || d >= VRRP_DROP_MAX)
		return;
	ss->drops[d]++;
	if (vi != NULL)
		vi->drops[d]++;
}

static void
sock_handle(struct vrrp_sock *s, const unsigned char *buf, size_t len,
    const struct vrrp_pkt_addrs *ip)
{
	struct vrrp_socks *ss = s->set;
	struct vrrp_pkt p;
	struct vrrp_pkt_expect e;
	struct vrrp_inst *vi;
	enum vrrp_drop d;
	int differ = 0;

	d = vrrp_pkt_parse(buf, len, ip, s->old_checksum, &p);
	if (d != VRRP_OK) {
		sock_count(ss, NULL, d);
		return;
	}
	if ((vi = sock_demux(s, &p, &d)) == NULL) {
		if (sock_elsewhere(s, &p, d == VRRP_DROP_SRC))
			return;
		sock_count(ss, NULL, d);
		sock_log_unknown(s, &p, d);
		return;
	}
	/* not its peer but, on another socket, the peer of an instance of
	 * the same VRID: that one's advert */
	if ((vi->conf->unicast_peers.n == 0 ||
	    sock_peer(vi->conf, &p.ip.src) == NULL) &&
	    sock_elsewhere(s, &p, 1))
		return;
	/* our own advert (a looped multicast, a misconfigured peer) */
	if (addr_cmp(&p.ip.src, &vi->src) == 0) {
		sock_count(ss, vi, VRRP_DROP_SRC);
		return;
	}
	if (vi->conf->unicast_peers.n > 0 && vi->conf->p.check_unicast_src > 0
	    && sock_peer(vi->conf, &p.ip.src) == NULL) {
		sock_count(ss, vi, VRRP_DROP_SRC);
		return;
	}
	memset(&e, 0, sizeof(e));
	vrrp_sock_ttl_range(vi->conf, &p.ip.src, &e);
	e.version = vi->conf->p.version;
	e.adver_int = vi->adver_int;
	e.auth_type = (enum vrrp_auth)vi->conf->p.auth_type;
	e.auth_pass = (const unsigned char *)vi->conf->p.auth_pass;
	e.ah_key = (const unsigned char *)vi->conf->p.auth_pass;
	e.ah_key_len = strnlen(vi->conf->p.auth_pass, VRRP_AUTH_PASS_LEN);
	e.ah_last_seq = &vi->ah_seq;
	e.vips = vi->vaddrs;
	e.nvips = vi->nvaddrs;
	d = vrrp_pkt_check(&p, &e, &differ);
	if (d != VRRP_OK) {
		sock_count(ss, vi, d);
		/* for vrrpTrapAuthFailure's vrrpTrapPacketSrc */
		if (d == VRRP_DROP_AUTH || d == VRRP_DROP_AUTH_TYPE ||
		    d == VRRP_DROP_INVALID_AUTH_TYPE)
			vi->auth_err_src = p.ip.src;
		return;
	}
	if (differ && vi->conf->p.skip_check_adv_addr <= 0)
		differ = 1;
	else
		differ = 0;
	ss->rx(ss->arg, vi, &p, differ);
}

static void
sock_read4(struct vrrp_sock *s, int fd, unsigned char *buf, size_t cap)
{
	struct vrrp_pkt_addrs ip;
	ssize_t n;

	n = recv(fd, buf, cap, 0);
	if (n < 0)
		return;
	memset(&ip, 0, sizeof(ip));
	ip.family = AF_INET;
	sock_handle(s, buf, (size_t)n, &ip);
}

static void
sock_read6(struct vrrp_sock *s, unsigned char *buf, size_t cap)
{
	struct sockaddr_in6 from;
	struct iovec iov = { buf, cap };
	union {
		char b[CMSG_SPACE(sizeof(int)) +
		    CMSG_SPACE(sizeof(struct in6_pktinfo))];
		struct cmsghdr align;
	} cb;
	struct msghdr m = { &from, sizeof(from), &iov, 1, cb.b, sizeof(cb.b),
		0 };
	struct vrrp_pkt_addrs ip;
	struct cmsghdr *c;
	ssize_t n;

	n = recvmsg(s->fd, &m, 0);
	if (n < 0)
		return;
	memset(&ip, 0, sizeof(ip));
	ip.family = AF_INET6;
	ip.src.family = AF_INET6;
	ip.src.u.v6 = from.sin6_addr;
	ip.ttl = -1;
	for (c = CMSG_FIRSTHDR(&m); c != NULL; c = CMSG_NXTHDR(&m, c)) {
		if (c->cmsg_level != IPPROTO_IPV6)
			continue;
		if (c->cmsg_type == IPV6_HOPLIMIT &&
		    c->cmsg_len >= CMSG_LEN(sizeof(int)))
			memcpy(&ip.ttl, CMSG_DATA(c), sizeof(int));
		else if (c->cmsg_type == IPV6_PKTINFO &&
		    c->cmsg_len >= CMSG_LEN(sizeof(struct in6_pktinfo))) {
			struct in6_pktinfo pi;

			memcpy(&pi, CMSG_DATA(c), sizeof(pi));
			ip.dst.family = AF_INET6;
			ip.dst.u.v6 = pi.ipi6_addr;
		}
	}
	sock_handle(s, buf, (size_t)n, &ip);
}

static void
sock_on_read(evutil_socket_t fd, short what, void *arg)
{
	struct vrrp_sock *s = arg;
	unsigned char buf[VRRP_PKT_MAX];

	(void)what;
	/* a bounded burst, so that timers keep their schedule */
	for (int i = 0; i < SOCK_RX_BURST; i++) {
		errno = 0;
		if (s->family == AF_INET)
			sock_read4(s, fd, buf, sizeof(buf));
		else
			sock_read6(s, buf, sizeof(buf));
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			break;
		if (errno != 0 && errno != EINTR) {
			s->set->rx_errors++;
			break;
		}
	}
}

/* ---- open ----------------------------------------------------------------- */

static int
sock_setup4(struct vrrp_sock *s, int fd)
{
	struct ip_mreqn mr;
	int on = 1, off = 0, ttl = VRRP_TTL;

	if (setsockopt(fd, IPPROTO_IP, IP_HDRINCL, &on, sizeof(on)) < 0)
		return -1;
	if (s->ifindex == 0)
		return 0;
	if (setsockopt(fd, IPPROTO_IP, IP_MULTICAST_LOOP, &off,
	    sizeof(off)) < 0 ||
	    setsockopt(fd, IPPROTO_IP, IP_MULTICAST_TTL, &ttl,
	    sizeof(ttl)) < 0)
		return -1;
	memset(&mr, 0, sizeof(mr));
	mr.imr_multiaddr = s->group.u.v4;
	mr.imr_ifindex = s->ifindex;
	if (setsockopt(fd, IPPROTO_IP, IP_MULTICAST_IF, &mr,
	    sizeof(mr)) < 0)
		return -1;
	return setsockopt(fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mr,
	    sizeof(mr));
}

/* SO_BINDTODEVICE: the interface, or the VRF of a socket without one. */
static int
sock_bind_dev(const struct vrrp_sock *s, int fd)
{
	if (s->ifindex == 0 && s->vrf_ifindex == 0)
		return 0;
	return setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, s->ifname,
	    (socklen_t)strlen(s->ifname) + 1);
}

/* A socket without an interface takes only what is sent to its address
 * (bound once in its VRF, for the address to be found there). */
static int
sock_bind_addr(const struct vrrp_sock *s, int fd)
{
	struct sockaddr_in a4 = { .sin_family = AF_INET };
	struct sockaddr_in6 a6 = { .sin6_family = AF_INET6 };

	if (s->ifindex > 0)
		return 0;
	if (s->family == AF_INET) {
		a4.sin_addr = s->bound.u.v4;
		return bind(fd, (struct sockaddr *)&a4, sizeof(a4));
	}
	a6.sin6_addr = s->bound.u.v6;
	return bind(fd, (struct sockaddr *)&a6, sizeof(a6));
}

/* The AH socket beside s (IPv4), when an instance first wants it. */
static int
sock_open_ah(struct vrrp_sock *s)
{
	char g[ADDR_STRLEN], w[ADDR_STRLEN + IF_NAMESIZE + 8];

	if (s->fd_ah >= 0 || s->family != AF_INET)
		return 0;
	s->fd_ah = socket(AF_INET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    IPPROTO_AH);
	if (s->fd_ah < 0 || sock_bind_dev(s, s->fd_ah) < 0 ||
	    sock_setup4(s, s->fd_ah) < 0 || sock_bind_addr(s, s->fd_ah) < 0) {
		log_err("VRRP IPSEC-AH socket %s %s: %s", s->ifindex > 0 ?
		    "on" : "bound to", sock_where(s, w, sizeof(w)),
		    strerror(errno));
		goto fail;
	}
	s->ev_ah = event_new(s->set->base, s->fd_ah, EV_READ | EV_PERSIST,
	    sock_on_read, s);
	if (s->ev_ah == NULL || event_priority_set(s->ev_ah,
	    LOOP_PRIO_HIGH) < 0 || event_add(s->ev_ah, NULL) < 0) {
		log_err("VRRP IPSEC-AH socket %s: cannot watch it",
		    sock_where(s, w, sizeof(w)));
		goto fail;
	}
	if (s->ifindex > 0)
		log_info("VRRP IPSEC-AH socket on %s joined %s", s->ifname,
		    addr_ntop(&s->group, g, sizeof(g)));
	else
		log_info("VRRP IPSEC-AH socket bound to %s",
		    sock_where(s, w, sizeof(w)));
	return 0;
fail:
	if (s->ev_ah != NULL)
		event_free(s->ev_ah);
	s->ev_ah = NULL;
	if (s->fd_ah >= 0)
		close(s->fd_ah);
	s->fd_ah = -1;
	return -1;
}

static int
sock_setup6(struct vrrp_sock *s)
{
	struct ipv6_mreq mr;
	int on = 1, off = 0, hops = VRRP_TTL, idx = s->ifindex;

	if (setsockopt(s->fd, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, &on,
	    sizeof(on)) < 0 ||
	    setsockopt(s->fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, &on,
	    sizeof(on)) < 0)
		return -1;
	if (s->ifindex == 0)
		return 0;
	if (setsockopt(s->fd, IPPROTO_IPV6, IPV6_MULTICAST_LOOP, &off,
	    sizeof(off)) < 0 ||
	    setsockopt(s->fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, &hops,
	    sizeof(hops)) < 0 ||
	    setsockopt(s->fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, &idx,
	    sizeof(idx)) < 0)
		return -1;
	memset(&mr, 0, sizeof(mr));
	mr.ipv6mr_multiaddr = s->group.u.v6;
	mr.ipv6mr_interface = (unsigned)s->ifindex;
	return setsockopt(s->fd, IPPROTO_IPV6, IPV6_ADD_MEMBERSHIP, &mr,
	    sizeof(mr));
}

/* keepalived's vrrp_adv_len: the datagram an instance sends */
static unsigned long long
sock_adv_len(const struct vrrp_inst *vi)
{
	const struct vrrp_instance_conf *c = vi->conf;
	unsigned long long len = 8 + (unsigned long long)vi->nvaddrs *
	    (c->p.family == AF_INET ? 4 : 16);

	if (c->p.version == 2)
		len += VRRP_AUTH_DATA_LEN;
	if (c->p.family == AF_INET)
		len += 20 + (c->p.auth_type == VRRP_AUTH_AH ? VRRP_AH_LEN : 0);
	return len;
}

/*
 * SO_RCVBUF as keepalived 2.2.7 sizes it (vrrp_scheduler.c, vrrp_if.c):
 * the sum over the socket's instances of kernel_rx_buf_size, else
 * vrrp_rx_bufs_policy's size, else vrrp_rx_bufs_multiplier times the
 * advert length (ADVERT) or the interface's MTU (MTU). A sum of 0 (no
 * keyword) keeps vigil's SOCK_RCVBUF, where keepalived leaves the
 * kernel's default. Capped at INT_MAX; the kernel caps it at rmem_max.
 */
static int
sock_rcvbuf_want(const struct vrrp_sock *s)
{
	const struct vrrp_socks *ss = s->set;
	unsigned long long sum = 0, mtu = 0;
	struct ifreq ifr;

	if (ss->rx_bufs_policy == 1 && s->ifindex > 0) {
		memset(&ifr, 0, sizeof(ifr));
		snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", s->ifname);
		if (ioctl(s->fd, SIOCGIFMTU, &ifr) == 0 && ifr.ifr_mtu > 0)
			mtu = (unsigned)ifr.ifr_mtu;
	}
	for (unsigned v = 0; v < 256; v++)
		for (const struct vrrp_inst *vi = s->byvrid[v]; vi != NULL;
		    vi = vi->sock_next) {
			if (vi->conf->p.kernel_rx_buf_size > 0)
				sum += vi->conf->p.kernel_rx_buf_size;
			else if (ss->rx_bufs_policy == 3)
				sum += ss->rx_bufs_size;
			else if (ss->rx_bufs_policy == 2)
				sum += ss->rx_bufs_multiplier *
				    sock_adv_len(vi);
			else if (ss->rx_bufs_policy == 1)
				sum += ss->rx_bufs_multiplier * mtu;
		}
	if (sum == 0)
		return SOCK_RCVBUF;
	return sum > INT_MAX ? INT_MAX : (int)sum;
}

static void
sock_set_rcvbuf(struct vrrp_sock *s)
{
	int rcv = sock_rcvbuf_want(s);
	char w[ADDR_STRLEN + IF_NAMESIZE + 8];

	if (setsockopt(s->fd, SOL_SOCKET, SO_RCVBUF, &rcv, sizeof(rcv)) < 0)
		log_warn("VRRP socket on %s: SO_RCVBUF %d: %s",
		    sock_where(s, w, sizeof(w)), rcv, strerror(errno));
}

void
vrrp_socks_configure(struct vrrp_socks *ss, const struct vrrp_conf_globals *g)
{
	ss->log_unknown_vrids = g->log_unknown_vrids;
	ss->rx_bufs_policy = g->rx_bufs_policy;
	ss->rx_bufs_size = g->rx_bufs_size;
	ss->rx_bufs_multiplier = g->rx_bufs_multiplier > 0 ?
	    (unsigned)g->rx_bufs_multiplier : 3;
	for (struct vrrp_sock *s = ss->list; s != NULL; s = s->next)
		sock_set_rcvbuf(s);
}

int
vrrp_sock_rcvbuf(const struct vrrp_inst *vi)
{
	int v = 0;
	socklen_t l = sizeof(v);

	if (vi->sock == NULL ||
	    getsockopt(vi->sock->fd, SOL_SOCKET, SO_RCVBUF, &v, &l) < 0)
		return -1;
	return v;
}

/* Where a socket is: an interface, joined to a group; or, without one,
 * an address (and a VRF) it is bound to. */
struct sock_at {
	int family;
	int ifindex;			/* 0: no interface */
	const char *ifname;		/* or the VRF's name, NULL */
	struct vg_addr group;
	int vrf_ifindex;
	struct vg_addr bound;
};

static int
sock_is(const struct vrrp_sock *s, const struct sock_at *at)
{
	if (s->family != at->family || s->ifindex != at->ifindex)
		return 0;
	return at->ifindex > 0 || (s->vrf_ifindex == at->vrf_ifindex &&
	    addr_cmp(&s->bound, &at->bound) == 0);
}

static struct vrrp_sock *
sock_open(struct vrrp_socks *ss, const struct sock_at *at)
{
	struct vrrp_sock *s = calloc(1, sizeof(*s));
	char g[ADDR_STRLEN], w[ADDR_STRLEN + IF_NAMESIZE + 8];
	const char *fam = at->family == AF_INET ? "IPv4" : "IPv6";
	int err;

	if (s == NULL)
		return NULL;
	s->set = ss;
	s->fd_ah = -1;
	s->family = at->family;
	s->ifindex = at->ifindex;
	snprintf(s->ifname, sizeof(s->ifname), "%s",
	    at->ifname != NULL ? at->ifname : "");
	s->group = at->group;
	s->vrf_ifindex = at->vrf_ifindex;
	s->bound = at->bound;
	s->fd = socket(s->family, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    VRRP_PROTO);
	if (s->fd < 0 || sock_bind_dev(s, s->fd) < 0 ||
	    (s->family == AF_INET ? sock_setup4(s, s->fd) :
	    sock_setup6(s)) < 0 || sock_bind_addr(s, s->fd) < 0) {
		err = errno;
		if (s->ifindex > 0)
			log_err("VRRP socket on %s (%s, group %s): %s",
			    s->ifname, fam, addr_ntop(&s->group, g, sizeof(g)),
			    strerror(err));
		else if (err == EADDRNOTAVAIL)
			/* tried again at each address change while the
			 * instance's FAULT says why: no error each time */
			log_debug("VRRP socket bound to %s (%s): %s",
			    sock_where(s, w, sizeof(w)), fam, strerror(err));
		else
			log_err("VRRP socket bound to %s (%s): %s",
			    sock_where(s, w, sizeof(w)), fam, strerror(err));
		sock_close(s);
		errno = err;
		return NULL;
	}
	s->ev = event_new(ss->base, s->fd, EV_READ | EV_PERSIST, sock_on_read,
	    s);
	/* adverts in go before queued work (vrrp/work.h) */
	if (s->ev == NULL || event_priority_set(s->ev, LOOP_PRIO_HIGH) < 0 ||
	    event_add(s->ev, NULL) < 0) {
		log_err("VRRP socket %s: cannot watch it",
		    sock_where(s, w, sizeof(w)));
		sock_close(s);
		errno = ENOMEM;
		return NULL;
	}
	if (s->ifindex > 0)
		log_info("VRRP socket on %s (%s) joined %s", s->ifname, fam,
		    addr_ntop(&s->group, g, sizeof(g)));
	else
		log_info("VRRP socket (%s) bound to %s, no interface", fam,
		    sock_where(s, w, sizeof(w)));
	s->next = ss->list;
	ss->list = s;
	ss->nbound += s->ifindex == 0;
	return s;
}

static void
sock_unlink_close(struct vrrp_socks *ss, struct vrrp_sock *s)
{
	struct vrrp_sock **sp;

	for (sp = &ss->list; *sp != NULL; sp = &(*sp)->next)
		if (*sp == s) {
			*sp = s->next;
			ss->nbound -= s->ifindex == 0;
			break;
		}
	sock_close(s);
}

static int
sock_attach(struct vrrp_socks *ss, struct vrrp_inst *vi,
    const struct sock_at *at)
{
	struct vrrp_sock *s;
	struct vrrp_inst **pp;

	for (s = ss->list; s != NULL; s = s->next)
		if (sock_is(s, at))
			break;
	if (s == NULL && (s = sock_open(ss, at)) == NULL)
		return -1;
	if (vi->conf->p.auth_type == VRRP_AUTH_AH &&
	    sock_open_ah(s) < 0) {
		if (s->users == 0)
			sock_unlink_close(ss, s);
		return -1;
	}
	/* append: the first configured instance of a VRID answers first */
	for (pp = &s->byvrid[vi->conf->p.vrid & 0xff]; *pp != NULL;
	    pp = &(*pp)->sock_next)
		;
	*pp = vi;
	vi->sock_next = NULL;
	vi->sock = s;
	s->users++;
	if (vi->conf->p.old_unicast_checksum == 1)
		s->old_checksum = 1;
	sock_set_rcvbuf(s);
	return 0;
}

int
vrrp_sock_attach(struct vrrp_socks *ss, struct vrrp_inst *vi, int ifindex,
    const char *ifname, int family, const struct vg_addr *group)
{
	struct sock_at at = { .family = family, .ifindex = ifindex,
		.ifname = ifname, .group = *group };

	return sock_attach(ss, vi, &at);
}

int
vrrp_sock_attach_bound(struct vrrp_socks *ss, struct vrrp_inst *vi,
    int vrf_ifindex, const char *vrf, const struct vg_addr *src)
{
	struct sock_at at = { .family = src->family,
		.ifname = vrf_ifindex > 0 ? vrf : NULL,
		.vrf_ifindex = vrf_ifindex, .bound = *src };

	return sock_attach(ss, vi, &at);
}

int
vrrp_sock_bound_to(const struct vrrp_inst *vi, int vrf_ifindex,
    const struct vg_addr *src)
{
	struct sock_at at = { .family = src->family,
		.vrf_ifindex = vrf_ifindex, .bound = *src };

	return vi->sock != NULL && sock_is(vi->sock, &at);
}

int
vrrp_sock_follow(struct vrrp_inst *vi)
{
	if (vi->sock == NULL || vi->conf->p.auth_type != VRRP_AUTH_AH)
		return 0;
	return sock_open_ah(vi->sock);
}

void
vrrp_sock_detach(struct vrrp_socks *ss, struct vrrp_inst *vi)
{
	struct vrrp_sock *s = vi->sock;
	struct vrrp_inst **pp;

	if (s == NULL)
		return;
	for (pp = &s->byvrid[vi->conf->p.vrid & 0xff]; *pp != NULL;
	    pp = &(*pp)->sock_next)
		if (*pp == vi) {
			*pp = vi->sock_next;
			break;
		}
	vi->sock = NULL;
	vi->sock_next = NULL;
	if (--s->users > 0) {
		sock_set_rcvbuf(s);
		return;
	}
	sock_unlink_close(ss, s);
}

/* ---- send ----------------------------------------------------------------- */

int
vrrp_sock_unicast_ttl(const struct vrrp_instance_conf *c)
{
	if (c->unicast_peers.n == 0 || c->p.unicast_ttl == VRRP_UNSET)
		return -1;
	return c->p.unicast_ttl;
}

int
vrrp_sock_send(struct vrrp_inst *vi, const unsigned char *buf, size_t len,
    const struct vg_addr *src, const struct vg_addr *dst)
{
	struct vrrp_sock *s = vi->sock;
	ssize_t n;

	if (s == NULL) {
		vi->tx_dropped++;
		return -1;
	}
	if (s->family == AF_INET) {
		struct sockaddr_in to = { .sin_family = AF_INET };

		to.sin_addr = dst->u.v4;
		n = sendto(s->fd, buf, len, MSG_DONTWAIT,
		    (struct sockaddr *)&to, sizeof(to));
	} else {
		struct sockaddr_in6 to = { .sin6_family = AF_INET6 };
		struct iovec iov = { (void *)(uintptr_t)buf, len };
		union {
			char b[CMSG_SPACE(sizeof(struct in6_pktinfo)) +
			    CMSG_SPACE(sizeof(int))];
			struct cmsghdr align;
		} cb;
		struct msghdr m = { &to, sizeof(to), &iov, 1, cb.b,
			CMSG_SPACE(sizeof(struct in6_pktinfo)), 0 };
		struct cmsghdr *c;
		struct in6_pktinfo pi;
		int hlim = vrrp_sock_unicast_ttl(vi->conf);

		to.sin6_addr = dst->u.v6;
		if (IN6_IS_ADDR_LINKLOCAL(&dst->u.v6) ||
		    IN6_IS_ADDR_MULTICAST(&dst->u.v6))
			to.sin6_scope_id = (uint32_t)s->ifindex;
		memset(&cb, 0, sizeof(cb));
		memset(&pi, 0, sizeof(pi));
		pi.ipi6_addr = src->u.v6;
		pi.ipi6_ifindex = (unsigned)s->ifindex;
		c = CMSG_FIRSTHDR(&m);
		c->cmsg_level = IPPROTO_IPV6;
		c->cmsg_type = IPV6_PKTINFO;
		c->cmsg_len = CMSG_LEN(sizeof(pi));
		memcpy(CMSG_DATA(c), &pi, sizeof(pi));
		/* unicast_ttl: keepalived's hop limit; otherwise multicast
		 * 255 (the socket's), unicast the kernel's default */
		if (hlim >= 0) {
			m.msg_controllen = sizeof(cb.b);
			c = CMSG_NXTHDR(&m, c);
			c->cmsg_level = IPPROTO_IPV6;
			c->cmsg_type = IPV6_HOPLIMIT;
			c->cmsg_len = CMSG_LEN(sizeof(hlim));
			memcpy(CMSG_DATA(c), &hlim, sizeof(hlim));
		}
		n = sendmsg(s->fd, &m, MSG_DONTWAIT);
	}
	if (n < 0 || (size_t)n != len) {
		vi->tx_dropped++;
		return -1;
	}
	vi->tx++;
	return 0;
}

/* ---- counters ------------------------------------------------------------- */

uint64_t
vrrp_socks_drops(const struct vrrp_socks *ss, enum vrrp_drop d)
{
	return d > VRRP_OK && d < VRRP_DROP_MAX ? ss->drops[d] : 0;
}

void
vrrp_socks_dump(const struct vrrp_socks *ss, FILE *fp)
{
	char w[ADDR_STRLEN + IF_NAMESIZE + 8];

	fprintf(fp, " VRRP sockets:\n");
	for (const struct vrrp_sock *s = ss->list; s != NULL; s = s->next)
		fprintf(fp, "   %s%s %s: %u instance(s)\n", s->ifindex > 0 ?
		    "" : "bound to ", sock_where(s, w, sizeof(w)),
		    s->family == AF_INET ? "IPv4" : "IPv6", s->users);
	fprintf(fp, "   Receive errors = %llu\n",
	    (unsigned long long)ss->rx_errors);
	for (int d = 1; d < VRRP_DROP_MAX; d++)
		if (ss->drops[d] > 0)
			fprintf(fp, "   Dropped (%s) = %llu\n",
			    vrrp_drop_name((enum vrrp_drop)d),
			    (unsigned long long)ss->drops[d]);
}

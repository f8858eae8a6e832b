/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The BFD sessions on the child's loop. Each session sends from a socket
 * of its own (source port 49152-65535, RFC 5881 4) with the configured
 * TTL / hop limit; one socket per address family receives on port 3784
 * and hands a packet to its session by discriminator, or by addresses
 * while the peer does not know ours yet. Nothing blocks: sockets are
 * non-blocking and every wait is a timer.
 */
#include "autoconfig.h"

#include <errno.h>
#include <event2/event.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "addr.h"
#include "bfd/config.h"
#include "bfd/engine.h"
#include "bfd/packet.h"
#include "bfd/session.h"
#include "ipc_msg.h"
#include "log.h"
#include "loop.h"
#include "proc.h"

struct bfd_rt {
	struct bfd_rt *next;
	struct bfd_engine *e;
	char name[BFD_NAME_MAX + 1];
	struct bfd_instance_conf conf;	/* a copy: the generation goes */
	struct bfd_sess s;
	int fd;			/* sends; -1 until it opens */
	unsigned port;		/* its source port */
	int tx_err;		/* errno of the last failed open, logged once */
	struct loop_timer *tx, *detect, *reopen;
	uint64_t since;		/* wall clock of the last state change */
	/* the state VRRP and the checker follow: Up from Up until a
	 * Down that is a path failure, not one the neighbor's AdminDown
	 * caused (RFC 5882 3.2), as keepalived tells its clients */
	int client_up;
	uint64_t tx_pkts, rx_pkts, rx_ttl;
};

struct bfd_engine {
	const struct proc_env *env;
	struct bfd_rt *first;
	int fd4, fd6;
	struct event *ev4, *ev6;
	/* packets dropped, by reason (bfd_pkt_err), and those no session
	 * claimed */
	uint64_t bad[BFD_PKT_ERR_MAX];
	uint64_t no_session;
};

static int tx_open(struct bfd_rt *r);

static uint32_t
rnd32(void)
{
	uint32_t r;

	if (getrandom(&r, sizeof(r), GRND_NONBLOCK) != sizeof(r))
		r = (uint32_t)random();
	return r;
}

static void
sa_of(const struct vg_addr *a, unsigned port, struct sockaddr_storage *ss,
    socklen_t *len)
{
	memset(ss, 0, sizeof(*ss));
	if (a->family == AF_INET6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;

		s6->sin6_family = AF_INET6;
		s6->sin6_addr = a->u.v6;
		s6->sin6_port = htons(port);
		*len = sizeof(*s6);
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)ss;

		s4->sin_family = AF_INET;
		if (a->family == AF_INET)
			s4->sin_addr = a->u.v4;
		s4->sin_port = htons(port);
		*len = sizeof(*s4);
	}
}

static uint32_t
new_discr(const struct bfd_engine *e)
{
	for (;;) {
		uint32_t d = rnd32();
		const struct bfd_rt *r;

		if (d == 0)
			continue;
		for (r = e->first; r != NULL && r->s.local_discr != d;
		    r = r->next)
			;
		if (r == NULL)
			return d;
	}
}

static void
report(struct bfd_rt *r)
{
	struct ipc_attrs at;
	struct ipc_obj o = { 0 };
	char a[ADDR_STRLEN];

	ipc_attrs_init(&at);
	ipc_attrs_add(&at, "neighbor", "%s",
	    addr_ntop(&r->conf.nbr, a, sizeof(a)));
	if (r->conf.src.family != 0)
		ipc_attrs_add(&at, "source", "%s",
		    addr_ntop(&r->conf.src, a, sizeof(a)));
	ipc_attrs_add(&at, "remote_state", "%s",
	    bfd_state_name(r->s.remote_state));
	ipc_attrs_add(&at, "client_state", "%s", r->client_up ? "Up" :
	    "Down");
	ipc_attrs_add(&at, "local_diag", "%s", bfd_diag_name(r->s.diag));
	ipc_attrs_add(&at, "remote_diag", "%s",
	    bfd_diag_name(r->s.remote_diag));
	ipc_attrs_add(&at, "local_discr", "0x%08x", r->s.local_discr);
	ipc_attrs_add(&at, "remote_discr", "0x%08x", r->s.remote_discr);
	ipc_attrs_add(&at, "detect_usec", "%llu",
	    (unsigned long long)r->s.detect);
	ipc_attrs_add(&at, "tx_usec", "%u", bfd_sess_tx_interval(&r->s));
	ipc_attrs_add(&at, "to_vrrp", "%d", r->conf.vrrp);
	ipc_attrs_add(&at, "to_checker", "%d", r->conf.checker);
	o.kind = "bfd_instance";
	o.name = r->name;
	o.state = bfd_state_name(r->s.state);
	o.detail = r->s.why != NULL ? r->s.why : "";
	o.generation = proc_generation(r->e->env->proc);
	o.weight = IPC_OBJ_NO_WEIGHT;
	o.since = r->since;
	o.attrs = at.buf;
	proc_state_add(r->e->env->proc, &o);
}

static void
changed(struct bfd_rt *r, uint8_t old)
{
	r->since = (uint64_t)time(NULL);
	if (r->s.state == BFD_UP)
		r->client_up = 1;
	else if (r->s.state == BFD_DOWN &&
	    r->s.remote_state == BFD_ADMIN_DOWN) {
		if (r->client_up)
			log_info("(%s) neighbor is administratively down: "
			    "no path failure, VRRP and the checker keep "
			    "the session Up", r->name);
	} else if (r->s.state != BFD_INIT)
		r->client_up = 0;
	if (r->s.state == BFD_DOWN || r->s.state == BFD_ADMIN_DOWN)
		log_warn("(%s) Entering %s state (Local diagnostic - %s, "
		    "Remote diagnostic - %s): %s -> %s: %s", r->name,
		    bfd_state_name(r->s.state), bfd_diag_name(r->s.diag),
		    bfd_diag_name(r->s.remote_diag), bfd_state_name(old),
		    bfd_state_name(r->s.state), r->s.why);
	else
		log_info("(%s) Entering %s state: %s -> %s: %s", r->name,
		    bfd_state_name(r->s.state), bfd_state_name(old),
		    bfd_state_name(r->s.state), r->s.why);
	report(r);
	proc_state_flush(r->e->env->proc);
}

static void
send_now(struct bfd_rt *r)
{
	struct bfd_pkt p;
	uint8_t buf[BFD_PKT_LEN];
	struct sockaddr_storage ss;
	socklen_t sl;

	if (r->fd < 0)
		return;
	bfd_sess_build(&r->s, &p);
	bfd_pkt_encode(&p, buf);
	sa_of(&r->conf.nbr, BFD_PORT_SINGLE, &ss, &sl);
	if (sendto(r->fd, buf, sizeof(buf), MSG_DONTWAIT,
	    (struct sockaddr *)&ss, sl) < 0) {
		if (errno != EAGAIN && errno != ENETUNREACH &&
		    errno != EHOSTUNREACH)
			log_debug("(%s) sending: %s", r->name,
			    strerror(errno));
		return;
	}
	r->tx_pkts++;
}

static void
tx_arm(struct bfd_rt *r)
{
	if (!bfd_sess_sends(&r->s)) {
		loop_timer_stop(r->tx);
		return;
	}
	loop_timer_start(r->tx, bfd_sess_tx_jittered(&r->s, rnd32()), 0);
}

static void
on_tx(struct loop_timer *t, void *arg)
{
	struct bfd_rt *r = arg;

	(void)t;
	send_now(r);
	tx_arm(r);
}

static void
detect_arm(struct bfd_rt *r)
{
	uint64_t at = bfd_sess_expiry(&r->s), now = loop_now_usec();

	if (at == 0) {
		loop_timer_stop(r->detect);
		return;
	}
	loop_timer_start(r->detect, at > now ? at - now : 0, 0);
}

static void
on_detect(struct loop_timer *t, void *arg)
{
	struct bfd_rt *r = arg;
	uint8_t old = r->s.state;
	uint64_t now = loop_now_usec();
	uint64_t heard = r->s.last_rx;

	(void)t;
	if (bfd_sess_expire(&r->s, now)) {
		log_warn("(%s) Expired after %llu ms", r->name,
		    (unsigned long long)(now - heard) / 1000);
		changed(r, old);
	}
	detect_arm(r);
	tx_arm(r);
}

/* ---- receiving ----------------------------------------------------------- */

static struct bfd_rt *
find_session(struct bfd_engine *e, const struct bfd_pkt *p,
    const struct vg_addr *from, const struct vg_addr *to)
{
	for (struct bfd_rt *r = e->first; r != NULL; r = r->next) {
		if (p->your_discr != 0) {
			if (r->s.local_discr == p->your_discr)
				return r;
			continue;
		}
		if (addr_cmp(&r->conf.nbr, from) == 0 &&
		    (r->conf.src.family == 0 || to->family == 0 ||
		    addr_cmp(&r->conf.src, to) == 0))
			return r;
	}
	return NULL;
}

static void
handle(struct bfd_engine *e, const uint8_t *buf, size_t len,
    const struct vg_addr *from, const struct vg_addr *to, int ttl)
{
	struct bfd_pkt p;
	enum bfd_pkt_err err;
	struct bfd_rt *r;
	char a[ADDR_STRLEN];
	uint8_t old;
	uint32_t old_tx;

	if ((err = bfd_pkt_decode(buf, len, &p)) != BFD_PKT_OK) {
		e->bad[err]++;
		log_debug("discarding packet from %s: %s",
		    addr_ntop(from, a, sizeof(a)), bfd_pkt_err_name(err));
		return;
	}
	if ((r = find_session(e, &p, from, to)) == NULL ||
	    addr_cmp(&r->conf.nbr, from) != 0) {
		e->no_session++;
		log_debug("discarding packet from %s: no session (your "
		    "discriminator 0x%08x)", addr_ntop(from, a, sizeof(a)),
		    p.your_discr);
		return;
	}
	/* RFC 5881 5 / keepalived's max_hops: the packet crossed no more
	 * routers than allowed */
	if (r->conf.max_hops >= 0 && ttl >= 0 &&
	    ttl + r->conf.max_hops < r->conf.ttl) {
		r->rx_ttl++;
		log_debug("(%s) discarding packet from %s: ttl %d below %d",
		    r->name, addr_ntop(from, a, sizeof(a)), ttl,
		    r->conf.ttl - r->conf.max_hops);
		return;
	}
	r->rx_pkts++;
	/* the peer reaches us: our source address may be there by now */
	tx_open(r);
	old = r->s.state;
	old_tx = bfd_sess_tx_interval(&r->s);
	if (bfd_sess_rx(&r->s, &p, loop_now_usec()))
		changed(r, old);
	if (r->s.send_final)
		send_now(r);
	detect_arm(r);
	if (!loop_timer_pending(r->tx) || bfd_sess_tx_interval(&r->s) <
	    old_tx || old != r->s.state)
		tx_arm(r);
}

static void
on_read(evutil_socket_t fd, short what, void *arg)
{
	struct bfd_engine *e = arg;

	(void)what;
	/* a bounded batch per turn of the loop */
	for (int i = 0; i < 64; i++) {
		uint8_t buf[128];
		union {
			struct cmsghdr h;
			char b[256];
		} cb;
		struct sockaddr_storage ss;
		struct iovec iov = { buf, sizeof(buf) };
		struct msghdr m = {
			.msg_name = &ss, .msg_namelen = sizeof(ss),
			.msg_iov = &iov, .msg_iovlen = 1,
			.msg_control = cb.b, .msg_controllen = sizeof(cb.b),
		};
		struct vg_addr from = { 0 }, to = { 0 };
		ssize_t n;
		int ttl = -1;

		if ((n = recvmsg(fd, &m, MSG_DONTWAIT)) < 0)
			return;
		if (m.msg_flags & MSG_TRUNC) {
			e->bad[BFD_PKT_SHORT]++;	/* oversized: not ours */
			continue;
		}
		for (struct cmsghdr *c = CMSG_FIRSTHDR(&m); c != NULL;
		    c = CMSG_NXTHDR(&m, c)) {
			if (c->cmsg_level == IPPROTO_IP &&
			    c->cmsg_type == IP_TTL)
				memcpy(&ttl, CMSG_DATA(c), sizeof(ttl));
			else if (c->cmsg_level == IPPROTO_IP &&
			    c->cmsg_type == IP_PKTINFO) {
				struct in_pktinfo pi;

				memcpy(&pi, CMSG_DATA(c), sizeof(pi));
				to.family = AF_INET;
				to.u.v4 = pi.ipi_addr;
			} else if (c->cmsg_level == IPPROTO_IPV6 &&
			    c->cmsg_type == IPV6_HOPLIMIT)
				memcpy(&ttl, CMSG_DATA(c), sizeof(ttl));
			else if (c->cmsg_level == IPPROTO_IPV6 &&
			    c->cmsg_type == IPV6_PKTINFO) {
				struct in6_pktinfo pi;

				memcpy(&pi, CMSG_DATA(c), sizeof(pi));
				to.family = AF_INET6;
				to.u.v6 = pi.ipi6_addr;
			}
		}
		if (ss.ss_family == AF_INET) {
			from.family = AF_INET;
			from.u.v4 = ((struct sockaddr_in *)&ss)->sin_addr;
		} else if (ss.ss_family == AF_INET6) {
			from.family = AF_INET6;
			from.u.v6 = ((struct sockaddr_in6 *)&ss)->sin6_addr;
		} else
			continue;
		handle(e, buf, (size_t)n, &from, &to, ttl);
	}
}

/* The socket every single-hop session of family receives on (port
 * 3784, the TTL or hop limit of each packet and its destination asked
 * for); -1, logged, if it cannot be had. */
static int
open_rx(int family)
{
	int fd, on = 1;
	struct sockaddr_storage ss;
	socklen_t sl;
	struct vg_addr any = { .family = family };

	if ((fd = socket(family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0)) < 0)
		goto fail;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
	if (family == AF_INET) {
		if (setsockopt(fd, IPPROTO_IP, IP_RECVTTL, &on,
		    sizeof(on)) < 0 || setsockopt(fd, IPPROTO_IP,
		    IP_PKTINFO, &on, sizeof(on)) < 0)
			goto fail;
	} else if (setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on,
	    sizeof(on)) < 0 || setsockopt(fd, IPPROTO_IPV6,
	    IPV6_RECVHOPLIMIT, &on, sizeof(on)) < 0 ||
	    setsockopt(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, &on,
	    sizeof(on)) < 0)
		goto fail;
	sa_of(&any, BFD_PORT_SINGLE, &ss, &sl);
	if (bind(fd, (struct sockaddr *)&ss, sl) < 0)
		goto fail;
	return fd;
fail:
	log_err("BFD: cannot listen on %s port %u: %s",
	    family == AF_INET ? "IPv4" : "IPv6", BFD_PORT_SINGLE,
	    strerror(errno));
	if (fd >= 0)
		close(fd);
	return -1;
}

static void
rx_need(struct bfd_engine *e, int family)
{
	int *fd = family == AF_INET ? &e->fd4 : &e->fd6;
	struct event **ev = family == AF_INET ? &e->ev4 : &e->ev6;

	if (*fd >= 0 || (*fd = open_rx(family)) < 0)
		return;
	*ev = event_new(e->env->base, *fd, EV_READ | EV_PERSIST, on_read, e);
	if (*ev == NULL || event_add(*ev, NULL) < 0)
		log_err("BFD: cannot watch the %s socket",
		    family == AF_INET ? "IPv4" : "IPv6");
}

/* ---- sessions ------------------------------------------------------------ */

/* How often a session whose sending socket would not open tries again
 * (its source address not on the host yet, an IPv6 one in DAD); a
 * packet from the peer or a reload tries at once. */
#define BFD_REOPEN_USEC 5000000

static int
open_tx(struct bfd_rt *r)
{
	int fd, ttl = r->conf.ttl, err;
	struct sockaddr_storage ss;
	socklen_t sl;
	int family = r->conf.nbr.family;
	char a[ADDR_STRLEN];

	if ((fd = socket(family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0)) < 0)
		goto fail;
	if ((family == AF_INET ? setsockopt(fd, IPPROTO_IP, IP_TTL, &ttl,
	    sizeof(ttl)) : setsockopt(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS,
	    &ttl, sizeof(ttl))) < 0)
		goto fail;
	/* a source port of the range, tried from a random one on */
	for (unsigned i = 0, p0 = rnd32(); i < 256; i++) {
		struct vg_addr src = r->conf.src;
		unsigned port = BFD_SRC_PORT_MIN + (p0 + i) %
		    (BFD_SRC_PORT_MAX - BFD_SRC_PORT_MIN + 1);

		if (src.family == 0)
			src.family = family;
		sa_of(&src, port, &ss, &sl);
		if (bind(fd, (struct sockaddr *)&ss, sl) == 0) {
			r->port = port;
			if (r->tx_err != 0)
				log_info("(%s) sending socket open (from "
				    "port %u)", r->name, port);
			r->tx_err = 0;
			return fd;
		}
		if (errno != EADDRINUSE)
			break;
	}
fail:
	err = errno;
	/* once per cause, not at every retry */
	if (err != r->tx_err)
		log_err("(%s) cannot open its sending socket%s%s: %s; "
		    "trying again every %d s", r->name,
		    r->conf.src.family != 0 ? " from " : "",
		    r->conf.src.family != 0 ?
		    addr_ntop(&r->conf.src, a, sizeof(a)) : "",
		    strerror(err), BFD_REOPEN_USEC / 1000000);
	r->tx_err = err;
	if (fd >= 0)
		close(fd);
	return -1;
}

/* The sending socket, if not open yet: tried now, and again on a timer
 * while it fails. Returns whether it is open. */
static int
tx_open(struct bfd_rt *r)
{
	if (r->fd >= 0)
		return 1;
	if ((r->fd = open_tx(r)) >= 0) {
		loop_timer_stop(r->reopen);
		return 1;
	}
	if (!loop_timer_pending(r->reopen))
		loop_timer_start(r->reopen, BFD_REOPEN_USEC, 0);
	return 0;
}

static void
on_reopen(struct loop_timer *t, void *arg)
{
	struct bfd_rt *r = arg;

	(void)t;
	/* open now: the first packet goes at once, not an interval on */
	if (tx_open(r) && bfd_sess_sends(&r->s)) {
		send_now(r);
		tx_arm(r);
	}
}

static struct bfd_sess_conf
sess_conf(const struct bfd_instance_conf *c)
{
	struct bfd_sess_conf sc = {
		.min_tx = c->min_tx, .min_rx = c->min_rx,
		.idle_tx = c->idle_tx, .mult = c->mult,
		.passive = c->passive,
	};

	return sc;
}

static struct bfd_rt *
rt_new(struct bfd_engine *e, const struct bfd_instance_conf *c)
{
	struct bfd_rt *r = calloc(1, sizeof(*r));
	struct bfd_sess_conf sc = sess_conf(c);

	if (r == NULL)
		return NULL;
	r->e = e;
	snprintf(r->name, sizeof(r->name), "%s", c->name);
	r->conf = *c;
	r->conf.name = r->name;
	r->conf.next = NULL;
	bfd_sess_init(&r->s, &sc, new_discr(e));
	r->since = (uint64_t)time(NULL);
	r->tx = loop_timer_new(e->env->base, on_tx, r);
	r->detect = loop_timer_new(e->env->base, on_detect, r);
	r->reopen = loop_timer_new(e->env->base, on_reopen, r);
	r->fd = -1;
	rx_need(e, c->nbr.family);
	if (r->tx == NULL || r->detect == NULL || r->reopen == NULL) {
		loop_timer_free(r->tx);
		loop_timer_free(r->detect);
		loop_timer_free(r->reopen);
		if (r->fd >= 0)
			close(r->fd);
		free(r);
		return NULL;
	}
	log_info("(%s) session to neighbor started, %s", r->name,
	    c->passive ? "passive: waits for the neighbor" :
	    "sending in Down state");
	tx_open(r);
	tx_arm(r);
	return r;
}

static void
rt_free(struct bfd_rt *r, int tell)
{
	if (tell && r->s.state != BFD_ADMIN_DOWN) {
		/* the peer goes Down at once, not after its detection time */
		bfd_sess_admin_down(&r->s);
		send_now(r);
	}
	loop_timer_free(r->tx);
	loop_timer_free(r->detect);
	loop_timer_free(r->reopen);
	if (r->fd >= 0)
		close(r->fd);
	free(r);
}

struct bfd_engine *
bfd_engine_new(const struct proc_env *env, const struct bfd_conf *c)
{
	struct bfd_engine *e = calloc(1, sizeof(*e));
	struct bfd_rt **tail;

	if (e == NULL)
		return NULL;
	e->env = env;
	e->fd4 = e->fd6 = -1;
	tail = &e->first;
	for (const struct bfd_instance_conf *b = c->first; b != NULL;
	    b = b->next) {
		struct bfd_rt *r = rt_new(e, b);

		if (r == NULL)
			continue;
		*tail = r;
		tail = &r->next;
	}
	return e;
}

static int
same_identity(const struct bfd_instance_conf *a,
    const struct bfd_instance_conf *b)
{
	return addr_cmp(&a->nbr, &b->nbr) == 0 &&
	    addr_cmp(&a->src, &b->src) == 0 && a->ttl == b->ttl;
}

void
bfd_engine_reload(struct bfd_engine *e, const struct bfd_conf *c,
    char *msg, size_t msglen)
{
	struct bfd_rt *old = e->first, **tail = &e->first;
	unsigned kept = 0, added = 0, removed = 0;

	e->first = NULL;
	for (const struct bfd_instance_conf *b = c->first; b != NULL;
	    b = b->next) {
		struct bfd_rt **pp, *r = NULL;

		for (pp = &old; *pp != NULL; pp = &(*pp)->next)
			if (strcmp((*pp)->name, b->name) == 0 &&
			    same_identity(&(*pp)->conf, b)) {
				r = *pp;
				*pp = r->next;
				break;
			}
		if (r != NULL) {
			struct bfd_sess_conf sc = sess_conf(b);

			r->conf = *b;
			r->conf.name = r->name;
			r->conf.next = NULL;
			r->next = NULL;
			bfd_sess_set_conf(&r->s, &sc);
			tx_open(r);
			/* the Poll goes now, not after a periodic interval
			 * (the old timers stay in force until its Final) */
			if (r->s.poll)
				send_now(r);
			detect_arm(r);
			tx_arm(r);
			kept++;
		} else if ((r = rt_new(e, b)) != NULL)
			added++;
		else
			continue;
		*tail = r;
		tail = &r->next;
	}
	while (old != NULL) {
		struct bfd_rt *n = old->next;

		log_info("(%s) session removed", old->name);
		rt_free(old, 1);
		old = n;
		removed++;
	}
	snprintf(msg, msglen, "%u BFD session(s) kept, %u started, %u "
	    "stopped", kept, added, removed);
}

void
bfd_engine_snapshot(struct bfd_engine *e)
{
	for (struct bfd_rt *r = e->first; r != NULL; r = r->next)
		report(r);
}

void
bfd_engine_dump(struct bfd_engine *e, FILE *fp)
{
	char a[ADDR_STRLEN];

	fprintf(fp, "------< BFD Topology >------\n");
	for (struct bfd_rt *r = e->first; r != NULL; r = r->next) {
		fprintf(fp, " Session = %s\n", r->name);
		fprintf(fp, "   Neighbor IP = %s\n",
		    addr_ntop(&r->conf.nbr, a, sizeof(a)));
		if (r->conf.src.family != 0)
			fprintf(fp, "   Source IP = %s\n",
			    addr_ntop(&r->conf.src, a, sizeof(a)));
		fprintf(fp, "   Source port = %u\n", r->port);
		fprintf(fp, "   Local state = %s\n",
		    bfd_state_name(r->s.state));
		fprintf(fp, "   Remote state = %s\n",
		    bfd_state_name(r->s.remote_state));
		fprintf(fp, "   Local diag = %s\n", bfd_diag_name(r->s.diag));
		fprintf(fp, "   Remote diag = %s\n",
		    bfd_diag_name(r->s.remote_diag));
		fprintf(fp, "   Local discriminator = 0x%08x\n",
		    r->s.local_discr);
		fprintf(fp, "   Remote discriminator = 0x%08x\n",
		    r->s.remote_discr);
		fprintf(fp, "   Desired min TX = %u us, required min RX = %u "
		    "us, multiplier = %u%s\n", r->s.c.min_tx, r->s.c.min_rx,
		    r->s.c.mult, r->s.c.passive ? ", passive" : "");
		fprintf(fp, "   Remote min TX = %u us, remote min RX = %u us, "
		    "remote multiplier = %u\n", r->s.remote_min_tx,
		    r->s.remote_min_rx, r->s.remote_mult);
		fprintf(fp, "   TX interval = %u us, detection time = %llu "
		    "us\n", bfd_sess_tx_interval(&r->s),
		    (unsigned long long)r->s.detect);
		fprintf(fp, "   Packets sent = %llu, received = %llu, dropped "
		    "for TTL = %llu\n", (unsigned long long)r->tx_pkts,
		    (unsigned long long)r->rx_pkts,
		    (unsigned long long)r->rx_ttl);
	}
	fprintf(fp, " Packets dropped: no session = %llu",
	    (unsigned long long)e->no_session);
	for (int i = 1; i < BFD_PKT_ERR_MAX; i++)
		fprintf(fp, ", %s = %llu", bfd_pkt_err_name(i),
		    (unsigned long long)e->bad[i]);
	fprintf(fp, "\n");
}

void
bfd_engine_free(struct bfd_engine *e)
{
	if (e == NULL)
		return;
	while (e->first != NULL) {
		struct bfd_rt *n = e->first->next;

		rt_free(e->first, 1);
		e->first = n;
	}
	if (e->ev4 != NULL)
		event_free(e->ev4);
	if (e->ev6 != NULL)
		event_free(e->ev6);
	if (e->fd4 >= 0)
		close(e->fd4);
	if (e->fd6 >= 0)
		close(e->fd6);
	free(e);
}

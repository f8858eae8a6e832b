/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The addresses of this host, kept from rtnetlink (a dump, then address
 * events), for ha_suspend: a virtual server whose address is not here is
 * not checked (keepalived decides it the same way). On a lost event
 * (ENOBUFS) the set is dumped again.
 */
#include "autoconfig.h"

#include <errno.h>
#include <limits.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <event2/event.h>

#include "healthcheck/addrwatch.h"
#include "log.h"

struct chk_addrwatch {
	int fd;
	struct event *ev;
	chk_addrwatch_fn *fn;
	void *arg;
	struct vg_addr *addrs;
	size_t n, cap;
	int dumping;
	unsigned seq;
	int rcvbuf0;			/* SO_RCVBUF as opened (doubled) */
};

static int
aw_find(const struct chk_addrwatch *w, const struct vg_addr *a)
{
	for (size_t i = 0; i < w->n; i++)
		if (addr_cmp(&w->addrs[i], a) == 0)
			return (int)i;
	return -1;
}

int
chk_addrwatch_has(const struct chk_addrwatch *w, const struct vg_addr *a)
{
	return w != NULL && aw_find(w, a) >= 0;
}

static int
aw_add(struct chk_addrwatch *w, const struct vg_addr *a)
{
	if (aw_find(w, a) >= 0)
		return 0;
	if (w->n == w->cap) {
		size_t cap = w->cap == 0 ? 16 : w->cap * 2;
		void *p = realloc(w->addrs, cap * sizeof(*w->addrs));

		if (p == NULL)
			return 0;
		w->addrs = p;
		w->cap = cap;
	}
	w->addrs[w->n++] = *a;
	return 1;
}

static int
aw_del(struct chk_addrwatch *w, const struct vg_addr *a)
{
	int i = aw_find(w, a);

	if (i < 0)
		return 0;
	w->addrs[i] = w->addrs[--w->n];
	return 1;
}

static int
aw_dump(struct chk_addrwatch *w)
{
	struct {
		struct nlmsghdr nh;
		struct ifaddrmsg ifa;
	} req;

	memset(&req, 0, sizeof(req));
	req.nh.nlmsg_len = sizeof(req);
	req.nh.nlmsg_type = RTM_GETADDR;
	req.nh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	req.nh.nlmsg_seq = ++w->seq;
	req.ifa.ifa_family = AF_UNSPEC;
	w->n = 0;
	w->dumping = 1;
	return send(w->fd, &req, sizeof(req), 0) < 0 ? -1 : 0;
}

/* One RTM_NEWADDR / RTM_DELADDR; 1 if the set changed. */
static int
aw_msg(struct chk_addrwatch *w, const struct nlmsghdr *nh)
{
	const struct ifaddrmsg *ifa = NLMSG_DATA(nh);
	const struct rtattr *rta;
	struct vg_addr a, local;
	int len = (int)nh->nlmsg_len - (int)NLMSG_LENGTH(sizeof(*ifa));
	int have = 0, have_local = 0;

	if (len < 0 || (ifa->ifa_family != AF_INET &&
	    ifa->ifa_family != AF_INET6))
		return 0;
	memset(&a, 0, sizeof(a));
	memset(&local, 0, sizeof(local));
	for (rta = IFA_RTA(ifa); RTA_OK(rta, len); rta = RTA_NEXT(rta, len)) {
		size_t alen = RTA_PAYLOAD(rta);
		struct vg_addr *dst = rta->rta_type == IFA_LOCAL ? &local :
		    rta->rta_type == IFA_ADDRESS ? &a : NULL;

		if (dst == NULL)
			continue;
		if (ifa->ifa_family == AF_INET && alen == sizeof(dst->u.v4))
			memcpy(&dst->u.v4, RTA_DATA(rta), alen);
		else if (ifa->ifa_family == AF_INET6 &&
		    alen == sizeof(dst->u.v6))
			memcpy(&dst->u.v6, RTA_DATA(rta), alen);
		else
			continue;
		dst->family = ifa->ifa_family;
		if (dst == &local)
			have_local = 1;
		else
			have = 1;
	}
	if (have_local)
		a = local;	/* IPv4 point-to-point: IFA_LOCAL is ours */
	else if (!have)
		return 0;
	return nh->nlmsg_type == RTM_NEWADDR ? aw_add(w, &a) : aw_del(w, &a);
}

static void
aw_read(evutil_socket_t fd, short what, void *arg)
{
	struct chk_addrwatch *w = arg;
	char buf[16384] __attribute__((aligned(4)));
	int changed = 0;
	unsigned rounds = 0;
	ssize_t n;

	(void)what;
	while (rounds++ < 64 && (n = recv(fd, buf, sizeof(buf), 0)) != 0) {
		const struct nlmsghdr *nh;
		size_t left;

		if (n < 0) {
			if (errno == ENOBUFS) {
				log_warn("ha_suspend: address events lost; "
				    "reading every address again");
				if (aw_dump(w) < 0)
					log_err("ha_suspend: cannot ask for "
					    "the addresses: %s",
					    strerror(errno));
				changed = 1;
				continue;
			}
			break;	/* EAGAIN: all read */
		}
		left = (size_t)n;
		for (nh = (const struct nlmsghdr *)buf; NLMSG_OK(nh, left);
		    nh = NLMSG_NEXT(nh, left)) {
			if (nh->nlmsg_type == NLMSG_DONE ||
			    nh->nlmsg_type == NLMSG_ERROR) {
				w->dumping = 0;
				changed = 1;
				continue;
			}
			if (nh->nlmsg_type == RTM_NEWADDR ||
			    nh->nlmsg_type == RTM_DELADDR)
				changed |= aw_msg(w, nh);
		}
	}
	if (changed && !w->dumping && w->fn != NULL)
		w->fn(w->arg);
}

struct chk_addrwatch *
chk_addrwatch_new(struct event_base *base, chk_addrwatch_fn *fn, void *arg)
{
	struct chk_addrwatch *w = calloc(1, sizeof(*w));
	struct sockaddr_nl sa;
	socklen_t len;

	if (w == NULL)
		return NULL;
	w->fn = fn;
	w->arg = arg;
	w->fd = -1;
	w->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    NETLINK_ROUTE);
	if (w->fd < 0)
		goto fail;
	memset(&sa, 0, sizeof(sa));
	sa.nl_family = AF_NETLINK;
	sa.nl_groups = RTMGRP_IPV4_IFADDR | RTMGRP_IPV6_IFADDR;
	if (bind(w->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		goto fail;
	len = sizeof(w->rcvbuf0);
	if (getsockopt(w->fd, SOL_SOCKET, SO_RCVBUF, &w->rcvbuf0, &len) < 0)
		w->rcvbuf0 = 0;
	w->ev = event_new(base, w->fd, EV_READ | EV_PERSIST, aw_read, w);
	if (w->ev == NULL || event_add(w->ev, NULL) < 0 || aw_dump(w) < 0)
		goto fail;
	return w;
fail:
	log_err("ha_suspend: cannot watch this host's addresses: %s",
	    strerror(errno));
	chk_addrwatch_free(w);
	return NULL;
}

void
chk_addrwatch_rcvbuf(struct chk_addrwatch *w, unsigned size, int force)
{
	int sz = size > INT_MAX / 2 ? INT_MAX / 2 : (int)size;

	if (w == NULL || w->fd < 0)
		return;
	if (size == 0) {
		if ((sz = w->rcvbuf0 / 2) <= 0)
			return;
		force = 1;
	}
	if (setsockopt(w->fd, SOL_SOCKET, force ? SO_RCVBUFFORCE : SO_RCVBUF,
	    &sz, sizeof(sz)) < 0 && size != 0)
		log_warn("lvs_netlink_monitor_rcv_bufs %u%s: %s", size,
		    force ? " (force)" : "", strerror(errno));
}

void
chk_addrwatch_free(struct chk_addrwatch *w)
{
	if (w == NULL)
		return;
	if (w->ev != NULL)
		event_free(w->ev);
	if (w->fd >= 0)
		close(w->fd);
	free(w->addrs);
	free(w);
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The VRRP child's view of links and addresses, from rtnetlink.
 *
 * The monitor socket joins the link and address groups first, then the
 * links and addresses are dumped on a second socket; the events queued
 * meanwhile are applied after the dump (each event sets the view to what
 * it says, so replaying one already seen changes nothing). The monitor is
 * read from the event loop. When the kernel dropped events for lack of
 * room in the monitor's receive buffer (ENOBUFS), or a message did not fit
 * ours, the queue is drained, everything is dumped again and the view
 * reconciled against the dump: links and addresses the dump no longer
 * shows are reported gone, new ones reported, and the owner told (resync)
 * that events were lost. Lookups by index, by name and by address are
 * hash tables, so thousands of interfaces cost the same per lookup.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>
#include <sys/socket.h>
#include <unistd.h>

#include <event2/event.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <netlink/attr.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/route/rtnl.h>
#include <netlink/socket.h>

#include "htab.h"
#include "log.h"
#include "vrrp/config.h"
#include "vrrp/iface.h"
#include "vrrp/linkbeat.h"

#define MON_RCVBUF_DEFAULT (4u << 20)
#define MON_BUFLEN (64u << 10)	/* a datagram; a longer one: resync */
#define MON_READS_PER_TURN 64	/* datagrams read before the loop turns */
#define DUMP_TRIES 5		/* dumps interrupted by changes, retried */

#ifndef SO_RCVBUFFORCE
#define SO_RCVBUFFORCE 33
#endif

struct addr_ent {
	struct htab_node node;		/* in v->addrs, by address */
	TAILQ_ENTRY(addr_ent) entry;	/* on its link, in kernel order */
	int ifindex;
	struct vg_addr a;
	unsigned prefix;
	unsigned ifa_flags;
	unsigned gen;
};
TAILQ_HEAD(addr_list, addr_ent);

struct link_ent {
	struct htab_node by_index, by_name;
	struct vrrp_iface ifc;
	struct addr_list addrs;
	unsigned gen;
	int raw_up;			/* the kernel's; ifc.up follows it
					 * after a delay */
	int seen_up;			/* it has been up: delays apply */
	/* linkbeat: polled (else the kernel's flags say), what the last
	 * poll said, the probe that works (VRRP_LB_*; 0: not found yet) */
	int polled, poll_up, lb_type;
	struct event *delay;		/* pending: ifc.up takes raw_up */
	struct vrrp_ifaces *v;
};

struct vrrp_ifaces {
	struct event_base *base;
	struct event *ev;
	struct nl_sock *mon, *dump;
	struct vrrp_iface_cbs cbs;
	void *arg;
	struct htab by_index, by_name, addrs;
	unsigned overruns;
	unsigned gen;			/* of the dump being applied */
	int ready;			/* callbacks: the first dump is in */
	unsigned char *buf;
	struct vrrp_iface_delay *delays;	/* interface_up_down_delays */
	unsigned ndelays;
	struct vrrp_iface_poll *polls;	/* linkbeat */
	unsigned npolls;
	struct event *poll_ev;		/* every second while any */
	int poll_fd;			/* the probes' socket, or -1 */
};

/* ---- tables ---------------------------------------------------------- */

static size_t
hash_index(int index)
{
	return htab_hash_bytes(HTAB_HASH_INIT, &index, sizeof(index));
}

static size_t
link_index_hash(const struct htab_node *n)
{
	return hash_index(HTAB_ENTRY(n, struct link_ent, by_index)->ifc.index);
}

static size_t
link_name_hash(const struct htab_node *n)
{
	return htab_hash_str(HTAB_ENTRY(n, struct link_ent, by_name)->ifc.name);
}

static size_t
addr_ent_hash(const struct htab_node *n)
{
	return addr_hash(HTAB_HASH_INIT, &HTAB_ENTRY(n, struct addr_ent,
	    node)->a);
}

static int
link_has_index(const struct htab_node *n, const void *key)
{
	return HTAB_ENTRY(n, struct link_ent, by_index)->ifc.index ==
	    *(const int *)key;
}

static int
link_has_name(const struct htab_node *n, const void *key)
{
	return strcmp(HTAB_ENTRY(n, struct link_ent, by_name)->ifc.name,
	    key) == 0;
}

static int
addr_is(const struct htab_node *n, const void *key)
{
	return addr_cmp(&HTAB_ENTRY(n, struct addr_ent, node)->a, key) == 0;
}

static struct link_ent *
link_find(const struct vrrp_ifaces *v, int index)
{
	struct htab_node *n;

	n = htab_find(&v->by_index, hash_index(index), link_has_index, &index);
	return n != NULL ? HTAB_ENTRY(n, struct link_ent, by_index) : NULL;
}

static struct addr_ent *
addr_find(const struct vrrp_ifaces *v, int ifindex, const struct vg_addr *a,
    int prefix)
{
	struct htab_node *n;
	struct addr_ent *e;

	for (n = htab_find(&v->addrs, addr_hash(HTAB_HASH_INIT, a), addr_is,
	    a); n != NULL; n = htab_find_next(n, addr_is, a)) {
		e = HTAB_ENTRY(n, struct addr_ent, node);
		if ((ifindex == 0 || e->ifindex == ifindex) &&
		    (prefix < 0 || e->prefix == (unsigned)prefix))
			return e;
	}
	return NULL;
}

/* ---- applying what the kernel says ----------------------------------- */

static void
addr_remove(struct vrrp_ifaces *v, struct link_ent *l, struct addr_ent *e)
{
	struct vg_addr a = e->a;
	unsigned prefix = e->prefix;
	int ifindex = e->ifindex;

	TAILQ_REMOVE(&l->addrs, e, entry);
	htab_del(&v->addrs, &e->node);
	free(e);
	if (v->ready && v->cbs.addr != NULL)
		v->cbs.addr(v->arg, ifindex, &a, prefix, 1);
}

static void
link_remove(struct vrrp_ifaces *v, struct link_ent *l)
{
	struct addr_ent *e;

	while ((e = TAILQ_FIRST(&l->addrs)) != NULL)
		addr_remove(v, l, e);
	htab_del(&v->by_index, &l->by_index);
	htab_del(&v->by_name, &l->by_name);
	if (l->delay != NULL)
		event_free(l->delay);
	log_debug("interface %s (index %d) gone", l->ifc.name, l->ifc.index);
	if (v->ready && v->cbs.link != NULL)
		v->cbs.link(v->arg, &l->ifc, VRRP_IFACE_DELETED);
	free(l);
}

/* ---- linkbeat ----------------------------------------------------------- */

static const struct vrrp_iface_poll *
poll_by_name(const struct vrrp_ifaces *v, const char *name)
{
	for (unsigned i = 0; i < v->npolls; i++)
		if (strcmp(v->polls[i].name, name) == 0)
			return &v->polls[i];
	return NULL;
}

/* Whether l is polled now: named, and not a VMAC (netlink works there,
 * as keepalived says) */
static void
poll_mark(struct vrrp_ifaces *v, struct link_ent *l)
{
	const struct vrrp_iface_poll *p = poll_by_name(v, l->ifc.name);
	int was = l->polled;

	l->polled = p != NULL && !l->ifc.is_mac_child;
	if (p != NULL && l->ifc.is_mac_child && !was)
		log_info("linkbeat: %s is a macvlan or ipvlan: its netlink "
		    "events are followed, not polled", l->ifc.name);
	if (l->polled && !was) {
		l->lb_type = p->type;
		l->poll_up = l->raw_up;
	}
}

static void delay_fire(evutil_socket_t fd, short what, void *arg);
static int delay_follow(struct vrrp_ifaces *v, struct link_ent *l,
    const struct vrrp_iface *ifc, int raw);

/* Poll each polled link; a change goes the kernel's way (delays, the
 * link callback). */
static void
poll_fire(evutil_socket_t fd, short what, void *arg)
{
	struct vrrp_ifaces *v = arg;
	struct htab_iter it;
	struct htab_node *n;

	(void)fd;
	(void)what;
	for (n = htab_first(&v->by_index, &it); n != NULL;
	    n = htab_next(&v->by_index, &it)) {
		struct link_ent *l = HTAB_ENTRY(n, struct link_ent, by_index);
		int type = l->lb_type, up, was;

		if (!l->polled)
			continue;
		up = vrrp_linkbeat_probe(v->poll_fd, l->ifc.name, &type);
		if (type != l->lb_type && l->lb_type != 0)
			log_info("linkbeat: %s: %s does not work there, using "
			    "%s", l->ifc.name, vrrp_linkbeat_type(l->lb_type),
			    vrrp_linkbeat_type(type));
		l->lb_type = type;
		if (up == l->poll_up)
			continue;
		l->poll_up = up;
		log_info("linkbeat: %s %s (%s)", l->ifc.name, up ? "up" :
		    "down", vrrp_linkbeat_type(type));
		was = l->ifc.up;
		l->ifc.up = delay_follow(v, l, &l->ifc, up);
		if (l->ifc.up != was && v->ready && v->cbs.link != NULL)
			v->cbs.link(v->arg, &l->ifc, 0);
	}
}

int
vrrp_ifaces_set_polled(struct vrrp_ifaces *v,
    const struct vrrp_iface_poll *p, unsigned n)
{
	struct vrrp_iface_poll *copy = NULL;
	struct htab_iter it;
	struct htab_node *h;
	struct timeval sec = { 1, 0 };

	if (n > 0) {
		if ((copy = calloc(n, sizeof(*copy))) == NULL) {
			log_err("linkbeat: out of memory");
			return -1;
		}
		memcpy(copy, p, n * sizeof(*copy));
	}
	free(v->polls);
	v->polls = copy;
	v->npolls = n;
	for (h = htab_first(&v->by_index, &it); h != NULL;
	    h = htab_next(&v->by_index, &it)) {
		struct link_ent *l = HTAB_ENTRY(h, struct link_ent, by_index);

		if (l->polled && poll_by_name(v, l->ifc.name) == NULL) {
			/* back to the kernel's word at its next event */
			l->polled = 0;
			l->raw_up = l->poll_up;
		}
		poll_mark(v, l);
	}
	if (n == 0) {
		if (v->poll_ev != NULL)
			event_del(v->poll_ev);
		return 0;
	}
	if (v->poll_fd < 0 && (v->poll_fd = socket(AF_INET, SOCK_DGRAM |
	    SOCK_CLOEXEC | SOCK_NONBLOCK, 0)) < 0) {
		log_err("linkbeat: no socket for the probes: %s",
		    strerror(errno));
		return -1;
	}
	if (v->poll_ev == NULL && (v->poll_ev = event_new(v->base, -1,
	    EV_PERSIST, poll_fire, v)) == NULL) {
		log_err("linkbeat: out of memory");
		return -1;
	}
	if (!event_pending(v->poll_ev, EV_TIMEOUT, NULL)) {
		log_info("linkbeat: polling %u interface(s) every second "
		    "(MII, ETHTOOL_GLINK or the interface flags)", n);
		event_add(v->poll_ev, &sec);
	}
	poll_fire(-1, 0, v);
	return 0;
}

/* ---- interface_up_down_delays ---------------------------------------- */

static const struct vrrp_iface_delay *
delay_by_name(const struct vrrp_ifaces *v, const char *name)
{
	for (unsigned i = 0; i < v->ndelays; i++)
		if (strcmp(v->delays[i].name, name) == 0)
			return &v->delays[i];
	return NULL;
}

/* ifc's delay for going up (up) or down; 0: none */
static unsigned long long
delay_of(const struct vrrp_ifaces *v, const struct vrrp_iface *ifc, int up)
{
	const struct vrrp_iface_delay *d = delay_by_name(v, ifc->name);
	const struct link_ent *lower;

	if (d == NULL && ifc->is_mac_child && ifc->link_index > 0 &&
	    (lower = link_find(v, ifc->link_index)) != NULL)
		d = delay_by_name(v, lower->ifc.name);
	return d == NULL ? 0 : up ? d->up_usec : d->down_usec;
}

static void
delay_fire(evutil_socket_t fd, short what, void *arg)
{
	struct link_ent *l = arg;
	struct vrrp_ifaces *v = l->v;

	(void)fd;
	(void)what;
	if (l->ifc.up == l->raw_up)
		return;
	l->ifc.up = l->raw_up;
	log_info("interface %s: %s past its %s delay: acting on it",
	    l->ifc.name, l->raw_up ? "up" : "down", l->raw_up ? "up" : "down");
	if (v->ready && v->cbs.link != NULL)
		v->cbs.link(v->arg, &l->ifc, 0);
}

/* The kernel says raw for l (ifc the rest of its news): what up to report
 * now, a delay started or cancelled as interface_up_down_delays say. */
static int
delay_follow(struct vrrp_ifaces *v, struct link_ent *l,
    const struct vrrp_iface *ifc, int raw)
{
	/* as keepalived's: a link never seen up comes up at once */
	unsigned long long usec = v->ready && l->seen_up ?
	    delay_of(v, ifc, raw) : 0;
	int pending = l->delay != NULL && evtimer_pending(l->delay, NULL);

	l->raw_up = raw;
	if (raw)
		l->seen_up = 1;
	if (raw == l->ifc.up) {
		if (pending) {
			evtimer_del(l->delay);
			log_info("interface %s: %s again within its %s delay: "
			    "nothing done", ifc->name, raw ? "up" : "down",
			    raw ? "down" : "up");
		}
		return raw;
	}
	if (usec == 0) {
		if (pending)
			evtimer_del(l->delay);
		return raw;
	}
	if (!pending) {
		struct timeval tv = { (time_t)(usec / 1000000),
		    (suseconds_t)(usec % 1000000) };

		if (l->delay == NULL)
			l->delay = evtimer_new(v->base, delay_fire, l);
		if (l->delay == NULL || evtimer_add(l->delay, &tv) < 0) {
			log_err("interface %s: cannot delay its change; acting "
			    "on it now", ifc->name);
			return raw;
		}
		log_info("interface %s: acting on it if it stays %s for %.3f s "
		    "(interface_up_down_delays)", ifc->name, raw ? "up" :
		    "down", (double)usec / 1e6);
	}
	return l->ifc.up;
}

int
vrrp_ifaces_set_delays(struct vrrp_ifaces *v,
    const struct vrrp_iface_delay *d, unsigned n)
{
	struct vrrp_iface_delay *copy = NULL;

	if (n > 0) {
		if ((copy = calloc(n, sizeof(*copy))) == NULL) {
			log_err("interface_up_down_delays: out of memory");
			return -1;
		}
		memcpy(copy, d, n * sizeof(*copy));
	}
	free(v->delays);
	v->delays = copy;
	v->ndelays = n;
	return 0;
}

int
vrrp_ifaces_fit_delays(struct vrrp_ifaces *v, const char *name,
    const char *who, unsigned adverts, unsigned long long advert_usec)
{
	struct vrrp_iface_delay *d = (struct vrrp_iface_delay *)(uintptr_t)
	    delay_by_name(v, name);
	unsigned long long down, up;

	if (d == NULL)
		return 0;
	down = vrrp_conf_delay_fit(d->down_usec, adverts, advert_usec);
	up = vrrp_conf_delay_fit(d->up_usec, adverts, advert_usec);
	if (down == d->down_usec && up == d->up_usec)
		return 0;
	log_info("%s: lower advert_int reducing interface %s debounce "
	    "timer(s) (down delay %.3f s, up delay %.3f s)", who, name,
	    (double)down / 1e6, (double)up / 1e6);
	d->down_usec = down;
	d->up_usec = up;
	return 1;
}

static void
link_update(struct vrrp_ifaces *v, const struct vrrp_iface *news)
{
	struct link_ent *l;
	struct vrrp_iface cur = *news;
	const struct vrrp_iface *ifc = &cur;
	int changed = 1;

	if ((l = link_find(v, ifc->index)) == NULL) {
		if ((l = calloc(1, sizeof(*l))) == NULL) {
			log_err("interface view: out of memory");
			return;
		}
		l->ifc = *ifc;
		l->raw_up = ifc->up;
		l->seen_up = ifc->up;
		l->v = v;
		poll_mark(v, l);
		TAILQ_INIT(&l->addrs);
		if (htab_add(&v->by_index, &l->by_index) == -1) {
			log_err("interface view: out of memory");
			free(l);
			return;
		}
		if (htab_add(&v->by_name, &l->by_name) == -1) {
			log_err("interface view: out of memory");
			htab_del(&v->by_index, &l->by_index);
			free(l);
			return;
		}
	} else {
		if (!l->polled && l->raw_up != news->up)
			log_info("interface %s: %s", news->name, news->up ?
			    "up" : !(news->flags & IFF_UP) ? "down (set down)" :
			    "down (no carrier)");
		if (strcmp(l->ifc.name, ifc->name) != 0) {
			log_info("interface %s (index %d) renamed %s",
			    l->ifc.name, ifc->index, ifc->name);
			/* gone under its old name, a new link under the new:
			 * no delay pending or applying (keepalived's seen_up
			 * starts again) */
			if (l->delay != NULL)
				evtimer_del(l->delay);
			if (v->ready && v->cbs.link != NULL)
				v->cbs.link(v->arg, &l->ifc, VRRP_IFACE_RENAMED);
			l->raw_up = l->seen_up = news->up;
			htab_del(&v->by_name, &l->by_name);
			l->ifc = *ifc;
			htab_add(&v->by_name, &l->by_name);
			/* polled or not, as the new name says */
			poll_mark(v, l);
		} else {
			if (l->polled)
				/* the poll says, not the kernel's event */
				cur.up = l->ifc.up;
			else
				cur.up = delay_follow(v, l, news, news->up);
			changed = memcmp(&l->ifc, ifc, sizeof(*ifc)) != 0;
			l->ifc = *ifc;
		}
	}
	l->gen = v->gen;
	if (changed && v->ready && v->cbs.link != NULL)
		v->cbs.link(v->arg, &l->ifc, 0);
}

static void
addr_update(struct vrrp_ifaces *v, int ifindex, const struct vg_addr *a,
    unsigned prefix, unsigned flags)
{
	struct link_ent *l;
	struct addr_ent *e;

	if ((l = link_find(v, ifindex)) == NULL)
		return;		/* its link went already */
	if ((e = addr_find(v, ifindex, a, (int)prefix)) != NULL) {
		e->ifa_flags = flags;
		e->gen = v->gen;
		return;
	}
	if ((e = calloc(1, sizeof(*e))) == NULL) {
		log_err("interface view: out of memory");
		return;
	}
	e->ifindex = ifindex;
	e->a = *a;
	e->prefix = prefix;
	e->ifa_flags = flags;
	e->gen = v->gen;
	if (htab_add(&v->addrs, &e->node) == -1) {
		log_err("interface view: out of memory");
		free(e);
		return;
	}
	TAILQ_INSERT_TAIL(&l->addrs, e, entry);
	if (v->ready && v->cbs.addr != NULL)
		v->cbs.addr(v->arg, ifindex, a, prefix, 0);
}

/* A VRF device and its table, or a macvlan / ipvlan, from IFLA_LINKINFO. */
static void
link_kind(struct nlattr *linkinfo, struct vrrp_iface *ifc)
{
	struct nlattr *li[IFLA_INFO_MAX + 1], *vrf[IFLA_VRF_MAX + 1];

	if (linkinfo == NULL || nla_parse_nested(li, IFLA_INFO_MAX, linkinfo,
	    NULL) < 0 || li[IFLA_INFO_KIND] == NULL)
		return;
	if (nla_strcmp(li[IFLA_INFO_KIND], "macvlan") == 0 ||
	    nla_strcmp(li[IFLA_INFO_KIND], "ipvlan") == 0)
		ifc->is_mac_child = 1;
	if (nla_strcmp(li[IFLA_INFO_KIND], "vrf") != 0)
		return;
	ifc->is_vrf = 1;
	if (li[IFLA_INFO_DATA] != NULL && nla_parse_nested(vrf, IFLA_VRF_MAX,
	    li[IFLA_INFO_DATA], NULL) >= 0 && vrf[IFLA_VRF_TABLE] != NULL &&
	    nla_len(vrf[IFLA_VRF_TABLE]) >= 4)
		ifc->vrf_table = nla_get_u32(vrf[IFLA_VRF_TABLE]);
}

static void
on_link_msg(struct vrrp_ifaces *v, struct nlmsghdr *h)
{
	struct nlattr *tb[IFLA_MAX + 1];
	struct ifinfomsg *ifi;
	struct vrrp_iface ifc;
	struct link_ent *l;

	if (nlmsg_parse(h, sizeof(*ifi), tb, IFLA_MAX, NULL) < 0)
		return;
	ifi = nlmsg_data(h);
	if (ifi->ifi_family == AF_BRIDGE || ifi->ifi_index <= 0)
		return;		/* bridge port events, not the link */
	if (h->nlmsg_type == RTM_DELLINK) {
		if ((l = link_find(v, ifi->ifi_index)) != NULL)
			link_remove(v, l);
		return;
	}
	if (tb[IFLA_IFNAME] == NULL)
		return;
	memset(&ifc, 0, sizeof(ifc));
	ifc.index = ifi->ifi_index;
	nla_strlcpy(ifc.name, tb[IFLA_IFNAME], sizeof(ifc.name));
	ifc.flags = ifi->ifi_flags;
	ifc.up = (ifi->ifi_flags & IFF_UP) && (ifi->ifi_flags & IFF_RUNNING);
	if (tb[IFLA_ADDRESS] != NULL && nla_len(tb[IFLA_ADDRESS]) == 6)
		memcpy(ifc.mac, nla_data(tb[IFLA_ADDRESS]), 6);
	if (tb[IFLA_MTU] != NULL && nla_len(tb[IFLA_MTU]) >= 4)
		ifc.mtu = nla_get_u32(tb[IFLA_MTU]);
	if (tb[IFLA_LINK] != NULL && nla_len(tb[IFLA_LINK]) >= 4)
		ifc.link_index = (int)nla_get_u32(tb[IFLA_LINK]);
	if (tb[IFLA_MASTER] != NULL && nla_len(tb[IFLA_MASTER]) >= 4)
		ifc.master_index = (int)nla_get_u32(tb[IFLA_MASTER]);
	link_kind(tb[IFLA_LINKINFO], &ifc);
	link_update(v, &ifc);
}

static void
on_addr_msg(struct vrrp_ifaces *v, struct nlmsghdr *h)
{
	struct nlattr *tb[IFA_MAX + 1], *at;
	struct ifaddrmsg *ifa;
	struct link_ent *l;
	struct addr_ent *e;
	struct vg_addr a;
	unsigned flags;

	if (nlmsg_parse(h, sizeof(*ifa), tb, IFA_MAX, NULL) < 0)
		return;
	ifa = nlmsg_data(h);
	at = tb[IFA_LOCAL] != NULL ? tb[IFA_LOCAL] : tb[IFA_ADDRESS];
	if (at == NULL)
		return;
	memset(&a, 0, sizeof(a));
	if (ifa->ifa_family == AF_INET && nla_len(at) == 4)
		memcpy(&a.u.v4, nla_data(at), 4);
	else if (ifa->ifa_family == AF_INET6 && nla_len(at) == 16)
		memcpy(&a.u.v6, nla_data(at), 16);
	else
		return;
	a.family = ifa->ifa_family;
	flags = ifa->ifa_flags;
	if (tb[IFA_FLAGS] != NULL && nla_len(tb[IFA_FLAGS]) >= 4)
		flags = nla_get_u32(tb[IFA_FLAGS]);
	if (h->nlmsg_type == RTM_NEWADDR) {
		addr_update(v, (int)ifa->ifa_index, &a, ifa->ifa_prefixlen,
		    flags);
		return;
	}
	if ((e = addr_find(v, (int)ifa->ifa_index, &a, ifa->ifa_prefixlen))
	    != NULL && (l = link_find(v, e->ifindex)) != NULL)
		addr_remove(v, l, e);
}

static void
on_msg(struct vrrp_ifaces *v, struct nlmsghdr *h)
{
	switch (h->nlmsg_type) {
	case RTM_NEWLINK:
	case RTM_DELLINK:
		on_link_msg(v, h);
		break;
	case RTM_NEWADDR:
	case RTM_DELADDR:
		on_addr_msg(v, h);
		break;
	default:
		break;
	}
}

/* ---- dumps ----------------------------------------------------------- */

/* A copy of the socket's callbacks (nl_socket_get_cb takes a reference). */
static struct nl_cb *
clone_cb(struct nl_sock *sk)
{
	struct nl_cb *s = nl_socket_get_cb(sk), *cb;

	cb = nl_cb_clone(s);
	nl_cb_put(s);
	return cb;
}

static int
on_dump_valid(struct nl_msg *m, void *arg)
{
	on_msg(arg, nlmsg_hdr(m));
	return NL_OK;
}

/* One dump of type (RTM_GETLINK, RTM_GETADDR) applied to the view. */
static int
dump_one(struct vrrp_ifaces *v, int type)
{
	struct nl_cb *cb;
	int rc = -NLE_DUMP_INTR, tries;

	if ((cb = clone_cb(v->dump)) == NULL)
		return -1;
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, on_dump_valid, v);
	for (tries = 0; rc == -NLE_DUMP_INTR && tries < DUMP_TRIES; tries++) {
		if ((rc = nl_rtgen_request(v->dump, type, AF_UNSPEC,
		    NLM_F_DUMP)) < 0)
			break;
		rc = nl_recvmsgs(v->dump, cb);
	}
	nl_cb_put(cb);
	if (rc < 0) {
		log_err("interface view: %s dump: %s", type == RTM_GETLINK ?
		    "link" : "address", nl_geterror(rc));
		return -1;
	}
	return 0;
}

/* Dump links and addresses; what the dump did not show is gone. */
static int
dump_all(struct vrrp_ifaces *v)
{
	struct htab_iter it;
	struct htab_node *n, *next;
	struct link_ent *l;
	struct addr_ent *e, *enext;

	v->gen++;
	if (dump_one(v, RTM_GETLINK) == -1)
		return -1;
	for (n = htab_first(&v->by_index, &it); n != NULL; n = next) {
		next = htab_next(&v->by_index, &it);
		l = HTAB_ENTRY(n, struct link_ent, by_index);
		if (l->gen != v->gen)
			link_remove(v, l);
	}
	if (dump_one(v, RTM_GETADDR) == -1)
		return -1;
	for (n = htab_first(&v->by_index, &it); n != NULL;
	    n = htab_next(&v->by_index, &it)) {
		l = HTAB_ENTRY(n, struct link_ent, by_index);
		for (e = TAILQ_FIRST(&l->addrs); e != NULL; e = enext) {
			enext = TAILQ_NEXT(e, entry);
			if (e->gen != v->gen)
				addr_remove(v, l, e);
		}
	}
	return 0;
}

/* ---- the monitor ----------------------------------------------------- */

static void
resync(struct vrrp_ifaces *v, const char *why)
{
	int fd = nl_socket_get_fd(v->mon), n;

	v->overruns++;
	log_warn("interface view: %s; reading links and addresses again "
	    "(%u times so far)", why, v->overruns);
	/* what is queued is older than the dump about to be made */
	for (n = 0; n < 100000; n++)
		if (recv(fd, v->buf, MON_BUFLEN, MSG_DONTWAIT) < 0 &&
		    errno != ENOBUFS && errno != EINTR)
			break;
	if (dump_all(v) == -1)
		log_err("interface view: the dump failed; the view may be "
		    "out of date until the next event");
	if (v->cbs.resync != NULL)
		v->cbs.resync(v->arg);
}

/* One datagram. 1 read, 0 nothing left, -1 overrun handled. */
static int
mon_read(struct vrrp_ifaces *v)
{
	struct sockaddr_nl sa;
	struct iovec iov = { v->buf, MON_BUFLEN };
	struct msghdr mh;
	struct nlmsghdr *h;
	ssize_t len;
	int left;

	memset(&mh, 0, sizeof(mh));
	mh.msg_name = &sa;
	mh.msg_namelen = sizeof(sa);
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	if ((len = recvmsg(nl_socket_get_fd(v->mon), &mh, MSG_DONTWAIT)) < 0) {
		if (errno == ENOBUFS) {
			resync(v, "the monitor overran, events were lost");
			return -1;
		}
		if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
			log_warn("interface view: monitor: %s",
			    strerror(errno));
		return 0;
	}
	if (mh.msg_flags & MSG_TRUNC) {
		resync(v, "a link or address message was too long");
		return -1;
	}
	if (sa.nl_pid != 0 || len == 0)
		return 1;		/* not from the kernel */
	left = (int)len;
	for (h = (struct nlmsghdr *)(void *)v->buf; nlmsg_ok(h, left);
	    h = nlmsg_next(h, &left))
		on_msg(v, h);
	return 1;
}

static void
on_readable(evutil_socket_t fd, short what, void *arg)
{
	struct vrrp_ifaces *v = arg;
	int n;

	(void)fd;
	(void)what;
	for (n = 0; n < MON_READS_PER_TURN; n++)
		if (mon_read(v) != 1)
			break;
}

static int
mon_open(struct vrrp_ifaces *v, unsigned rcvbuf, int force)
{
	int fd, sz, rc;

	if ((v->mon = nl_socket_alloc()) == NULL ||
	    (v->dump = nl_socket_alloc()) == NULL)
		return -1;
	nl_socket_disable_seq_check(v->mon);
	nl_socket_disable_auto_ack(v->mon);
	if ((rc = nl_connect(v->mon, NETLINK_ROUTE)) < 0 ||
	    (rc = nl_connect(v->dump, NETLINK_ROUTE)) < 0) {
		log_err("interface view: rtnetlink: %s", nl_geterror(rc));
		return -1;
	}
	fd = nl_socket_get_fd(v->mon);
	sz = (int)(rcvbuf != 0 && rcvbuf <= (1u << 30) ? rcvbuf :
	    MON_RCVBUF_DEFAULT);
	/* the default size is ours to choose: past net.core.rmem_max too */
	if (rcvbuf == 0)
		force = 1;
	if (!force || setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &sz,
	    sizeof(sz)) == -1) {
		if (setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &sz,
		    sizeof(sz)) == -1)
			log_warn("interface view: monitor receive buffer %d: "
			    "%s", sz, strerror(errno));
	}
	if ((rc = nl_socket_add_memberships(v->mon, RTNLGRP_LINK,
	    RTNLGRP_IPV4_IFADDR, RTNLGRP_IPV6_IFADDR, 0)) < 0) {
		log_err("interface view: joining the link and address groups: "
		    "%s", nl_geterror(rc));
		return -1;
	}
	if (nl_socket_set_nonblocking(v->mon) < 0)
		return -1;
	v->ev = event_new(v->base, fd, EV_READ | EV_PERSIST, on_readable, v);
	if (v->ev == NULL || event_add(v->ev, NULL) == -1)
		return -1;
	return 0;
}

/* ---- the interface --------------------------------------------------- */

struct vrrp_ifaces *
vrrp_ifaces_new(struct event_base *base, const struct vrrp_iface_cbs *cbs,
    void *arg, unsigned rcvbuf, int rcvbuf_force)
{
	struct vrrp_ifaces *v;

	if ((v = calloc(1, sizeof(*v))) == NULL ||
	    (v->buf = malloc(MON_BUFLEN)) == NULL) {
		log_err("interface view: out of memory");
		free(v);
		return NULL;
	}
	v->base = base;
	v->poll_fd = -1;
	if (cbs != NULL)
		v->cbs = *cbs;
	v->arg = arg;
	htab_init(&v->by_index, link_index_hash, NULL);
	htab_init(&v->by_name, link_name_hash, NULL);
	htab_init(&v->addrs, addr_ent_hash, NULL);
	if (mon_open(v, rcvbuf, rcvbuf_force) == -1 || dump_all(v) == -1) {
		log_err("interface view: cannot read links and addresses");
		vrrp_ifaces_free(v);
		return NULL;
	}
	v->ready = 1;
	log_debug("interface view: %zu links, %zu addresses", v->by_index.n,
	    v->addrs.n);
	return v;
}

void
vrrp_ifaces_free(struct vrrp_ifaces *v)
{
	struct htab_iter it;
	struct htab_node *n, *next;

	if (v == NULL)
		return;
	v->ready = 0;
	for (n = htab_first(&v->by_index, &it); n != NULL; n = next) {
		next = htab_next(&v->by_index, &it);
		link_remove(v, HTAB_ENTRY(n, struct link_ent, by_index));
	}
	htab_free(&v->by_index);
	htab_free(&v->by_name);
	htab_free(&v->addrs);
	if (v->ev != NULL)
		event_free(v->ev);
	nl_socket_free(v->mon);
	nl_socket_free(v->dump);
	free(v->buf);
	free(v->delays);
	if (v->poll_ev != NULL)
		event_free(v->poll_ev);
	if (v->poll_fd >= 0)
		close(v->poll_fd);
	free(v->polls);
	free(v);
}

const struct vrrp_iface *
vrrp_iface_by_name(const struct vrrp_ifaces *v, const char *name)
{
	struct htab_node *n;

	n = htab_find(&v->by_name, htab_hash_str(name), link_has_name, name);
	return n != NULL ? &HTAB_ENTRY(n, struct link_ent, by_name)->ifc :
	    NULL;
}

const struct vrrp_iface *
vrrp_iface_by_index(const struct vrrp_ifaces *v, int index)
{
	struct link_ent *l = link_find(v, index);

	return l != NULL ? &l->ifc : NULL;
}

const struct vrrp_iface *
vrrp_iface_vrf_of(const struct vrrp_ifaces *v, const struct vrrp_iface *ifc)
{
	const struct vrrp_iface *m;

	if (v == NULL || ifc == NULL || ifc->master_index <= 0)
		return NULL;
	m = vrrp_iface_by_index(v, ifc->master_index);
	return m != NULL && m->is_vrf ? m : NULL;
}

static int
is_link_local6(const struct vg_addr *a)
{
	return a->u.v6.s6_addr[0] == 0xfe && (a->u.v6.s6_addr[1] & 0xc0) ==
	    0x80;
}

int
vrrp_iface_primary(const struct vrrp_ifaces *v, int ifindex, int family,
    struct vg_addr *out)
{
	struct link_ent *l;
	struct addr_ent *e;

	if ((l = link_find(v, ifindex)) == NULL)
		return -1;
	TAILQ_FOREACH(e, &l->addrs, entry) {
		if (e->a.family != family)
			continue;
		if (family == AF_INET && (e->ifa_flags & IFA_F_SECONDARY))
			continue;
		if (family == AF_INET6 && !is_link_local6(&e->a))
			continue;
		*out = e->a;
		return 0;
	}
	return -1;
}

int
vrrp_iface_has_addr(const struct vrrp_ifaces *v, int ifindex,
    const struct vg_addr *a)
{
	return addr_find(v, ifindex, a, -1) != NULL;
}

unsigned
vrrp_ifaces_overruns(const struct vrrp_ifaces *v)
{
	return v->overruns;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * An instance's own child link (vmac.h): use_vmac's macvlan or
 * use_ipvlan's ipvlan, one code path for both (create or adopt, the VRF
 * of the base, set up, delete, forget when gone).
 *
 * use_vmac: a macvlan in private mode on the instance's interface,
 * carrying the virtual router MAC. What VRRP needs of it, as keepalived
 * sets it:
 *  - no IPv6 address generated from the MAC (addr_gen_mode none; RFC 5798
 *    7.4: the link-local address is the engine's to add);
 *  - on the VMAC arp_ignore 1, and for IPv4 accept_local 1, rp_filter 0,
 *    promote_secondaries 1: it answers ARP only for its own addresses and
 *    takes adverts and traffic sourced from this host's addresses;
 *  - for IPv4, on the base interface arp_ignore 1 and arp_filter 1, so the
 *    base does not answer ARP for the VIPs with its own MAC; the values
 *    found are put back when the last VMAC on that base goes.
 * A VMAC is taken for IPv6 when it has the RFC's IPv6 MAC
 * (00-00-5E-00-02-XX); one with a configured MAC gets the IPv4 settings,
 * which do IPv6 no harm.
 *
 * use_ipvlan: an ipvlan in mode l2 with the configured flags (bridge,
 * private, vepa) sharing the interface's MAC, as keepalived makes it:
 * its own address added, and for an IPv4 instance no IPv6 address of its
 * own (keepalived disables IPv6 there; addr_gen_mode none here, which
 * still lets IPv6 eVIPs on). Nothing changes on the base.
 *
 * A base enslaved to a VRF has its child link made in the same VRF
 * (IFLA_MASTER), and moved with it (vrrp_vmac_set_master).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/if.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/ip.h>
#include <linux/rtnetlink.h>
#include <netlink/attr.h>
#include <netlink/msg.h>
#include <netlink/route/link.h>
#include <netlink/route/link/inet.h>
#include <netlink/route/link/ipvlan.h>
#include <netlink/route/link/macvlan.h>
#include <netlink/route/rtnl.h>
#include <netlink/socket.h>

#include "log.h"
#include "vrrp/nl.h"
#include "vrrp/vmac.h"

#ifndef IN6_ADDR_GEN_MODE_NONE
#define IN6_ADDR_GEN_MODE_NONE 1
#endif

struct devconf {
	int id;			/* IPV4_DEVCONF_* */
	unsigned value;
};

void
vrrp_vmac_mac(unsigned vrid, int family, unsigned char mac[6])
{
	mac[0] = 0x00;
	mac[1] = 0x00;
	mac[2] = 0x5e;
	mac[3] = 0x00;
	mac[4] = family == AF_INET6 ? 0x02 : 0x01;
	mac[5] = (unsigned char)vrid;
}

static struct nl_msg *
link_msg(int type, int flags, int ifindex, unsigned ifi_flags,
    unsigned change)
{
	struct ifinfomsg ifi;
	struct nl_msg *m;

	if ((m = nlmsg_alloc_simple(type, flags)) == NULL)
		return NULL;
	memset(&ifi, 0, sizeof(ifi));
	ifi.ifi_family = AF_UNSPEC;
	ifi.ifi_index = ifindex;
	ifi.ifi_flags = ifi_flags;
	ifi.ifi_change = change;
	if (nlmsg_append(m, &ifi, sizeof(ifi), NLMSG_ALIGNTO) < 0) {
		nlmsg_free(m);
		return NULL;
	}
	return m;
}

/* What a link's requests are for, as the answers to them name it. */
struct link_req {
	const char *what;		/* "vmac", "ipvlan" */
	const char *name;		/* NULL: named by its ifindex */
	int master;			/* the VRF it goes into */
	struct vg_addr addr;		/* the address it gets */
	unsigned prefix;
	unsigned char scope;
};

/* "vmac NAME" or "vmac ifindex N" into buf. */
static const char *
req_label(const struct vrrp_nl_op *op, char *buf, size_t size)
{
	const struct link_req *q = op->item;

	if (q->name != NULL)
		snprintf(buf, size, "%s %s", q->what, q->name);
	else
		snprintf(buf, size, "%s ifindex %d", q->what, op->ifindex);
	return buf;
}

/* m for op queued in b: its index, or -1 when there is none (out of
 * memory, told to op). */
static int
req_queue(struct vrrp_kernel *k, struct vrrp_nl_batch *b, struct nl_msg *m,
    vrrp_nl_done_fn *done, const struct link_req *q, int ifindex)
{
	const struct vrrp_nl_op op = { done, q, ifindex, 0 };

	if (m == NULL) {
		(void)done(&op, -ENOMEM);
		return -1;
	}
	return vrrp_nl_batch_add(k, b, m, &op);
}

/* The outcome of request i of b after its send. */
static int
req_rc(const struct vrrp_nl_batch *b, int i)
{
	return i < 0 ? -ENOMEM : b->rc[i];
}

/* IPv4 devconf values of ifindex (net.ipv4.conf.IF.*), by netlink: it
 * works for every kind of link, bridges included. */
static struct nl_msg *
devconf_msg(int ifindex, const struct devconf *dc, size_t n)
{
	struct nlattr *spec, *inet, *conf;
	struct nl_msg *m;
	size_t i;

	if ((m = link_msg(RTM_NEWLINK, 0, ifindex, 0, 0)) == NULL)
		return NULL;
	if ((spec = nla_nest_start(m, IFLA_AF_SPEC)) == NULL ||
	    (inet = nla_nest_start(m, AF_INET)) == NULL ||
	    (conf = nla_nest_start(m, IFLA_INET_CONF)) == NULL)
		goto fail;
	for (i = 0; i < n; i++)
		if (nla_put_u32(m, dc[i].id, dc[i].value) < 0)
			goto fail;
	nla_nest_end(m, conf);
	nla_nest_end(m, inet);
	nla_nest_end(m, spec);
	return m;
fail:
	nlmsg_free(m);
	return NULL;
}

static int
set_devconf(struct vrrp_kernel *k, int ifindex, const struct devconf *dc,
    size_t n)
{
	struct nl_msg *m = devconf_msg(ifindex, dc, n);

	return m != NULL ? vrrp_nl_talk(k, m) : -ENOMEM;
}

static int
done_devconf(const struct vrrp_nl_op *op, int rc)
{
	char buf[64];

	if (rc < 0)
		log_warn("%s: arp_ignore, accept_local, rp_filter, "
		    "promote_secondaries: %s", req_label(op, buf, sizeof(buf)),
		    strerror(-rc));
	return 0;
}

static struct nl_msg *
addr_gen_none_msg(int ifindex)
{
	struct nlattr *spec, *inet6;
	struct nl_msg *m;

	if ((m = link_msg(RTM_NEWLINK, 0, ifindex, 0, 0)) == NULL)
		return NULL;
	if ((spec = nla_nest_start(m, IFLA_AF_SPEC)) == NULL ||
	    (inet6 = nla_nest_start(m, AF_INET6)) == NULL ||
	    nla_put_u8(m, IFLA_INET6_ADDR_GEN_MODE,
	    IN6_ADDR_GEN_MODE_NONE) < 0) {
		nlmsg_free(m);
		return NULL;
	}
	nla_nest_end(m, inet6);
	nla_nest_end(m, spec);
	return m;
}

static int
done_addr_gen(const struct vrrp_nl_op *op, int rc)
{
	char buf[64];

	if (rc < 0 && rc != -EAFNOSUPPORT)
		log_warn("%s: addr_gen_mode none: %s", req_label(op, buf,
		    sizeof(buf)), strerror(-rc));
	return 0;
}

/* Setting it up: what failed is said by vrrp_vmac_create. */
static int
done_up(const struct vrrp_nl_op *op, int rc)
{
	(void)op;
	return rc;
}

static struct nl_msg *
master_msg(int ifindex, int master)
{
	struct nl_msg *m;

	if ((m = link_msg(RTM_NEWLINK, 0, ifindex, 0, 0)) == NULL)
		return NULL;
	if (nla_put_u32(m, IFLA_MASTER, (unsigned)(master > 0 ? master : 0))
	    < 0) {
		nlmsg_free(m);
		return NULL;
	}
	return m;
}

static int
done_master(const struct vrrp_nl_op *op, int rc)
{
	const struct link_req *q = op->item;

	if (rc < 0)
		log_err("link ifindex %d: %s VRF ifindex %d: %s", op->ifindex,
		    q->master > 0 ? "into" : "out of", q->master,
		    strerror(-rc));
	return rc;
}

static int
new_link(struct vrrp_kernel *k, const struct vrrp_link_spec *s)
{
	struct nlattr *info, *data;
	struct nl_msg *m;
	int ipvlan = s->kind == VRRP_LINK_IPVLAN;

	if ((m = link_msg(RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, 0, 0,
	    0)) == NULL)
		return -ENOMEM;
	if (nla_put_string(m, IFLA_IFNAME, s->name) < 0 ||
	    nla_put_u32(m, IFLA_LINK, (unsigned)s->base) < 0 ||
	    (!ipvlan && nla_put(m, IFLA_ADDRESS, 6, s->mac) < 0) ||
	    (s->master > 0 && nla_put_u32(m, IFLA_MASTER,
	    (unsigned)s->master) < 0) ||
	    (info = nla_nest_start(m, IFLA_LINKINFO)) == NULL ||
	    nla_put_string(m, IFLA_INFO_KIND, ipvlan ? "ipvlan" :
	    "macvlan") < 0 ||
	    (data = nla_nest_start(m, IFLA_INFO_DATA)) == NULL)
		goto fail;
	if (ipvlan ? nla_put_u16(m, IFLA_IPVLAN_MODE, IPVLAN_MODE_L2) < 0 ||
	    nla_put_u16(m, IFLA_IPVLAN_FLAGS, (uint16_t)s->ipvlan_flags) < 0 :
	    nla_put_u32(m, IFLA_MACVLAN_MODE, MACVLAN_MODE_PRIVATE) < 0)
		goto fail;
	nla_nest_end(m, data);
	nla_nest_end(m, info);
	return vrrp_nl_talk(k, m);
fail:
	nlmsg_free(m);
	return -ENOMEM;
}

/* The link named name (or of ifindex): its index, lower link, master,
 * MAC and whether it is a private macvlan or an l2 ipvlan. 0 or -errno. */
struct link_info {
	int ifindex, lower, master, private_macvlan, l2_ipvlan;
	unsigned char mac[6];
};

static int
get_link(struct vrrp_kernel *k, int ifindex, const char *name,
    struct link_info *li)
{
	struct rtnl_link *l = NULL;
	struct nl_addr *a;
	const char *type;
	int rc;

	if ((rc = rtnl_link_get_kernel(k->sk, ifindex, name, &l)) < 0)
		return rc == -NLE_OBJ_NOTFOUND || rc == -NLE_NODEV ?
		    -ENODEV : -EIO;
	memset(li, 0, sizeof(*li));
	li->ifindex = rtnl_link_get_ifindex(l);
	li->lower = rtnl_link_get_link(l);
	type = rtnl_link_get_type(l);
	li->master = rtnl_link_get_master(l);
	li->private_macvlan = type != NULL && strcmp(type, "macvlan") == 0 &&
	    rtnl_link_macvlan_get_mode(l) == MACVLAN_MODE_PRIVATE;
	if (type != NULL && strcmp(type, "ipvlan") == 0) {
		uint16_t mode = 0xffff;

		li->l2_ipvlan = rtnl_link_ipvlan_get_mode(l, &mode) == 0 &&
		    mode == IPVLAN_MODE_L2;
	}
	if ((a = rtnl_link_get_addr(l)) != NULL && nl_addr_get_len(a) == 6)
		memcpy(li->mac, nl_addr_get_binary_addr(a), 6);
	rtnl_link_put(l);
	return 0;
}

static int
get_arp_conf(struct vrrp_kernel *k, int ifindex, int *ignore, int *filter)
{
	struct rtnl_link *l = NULL;
	uint32_t v;

	*ignore = *filter = -1;
	if (rtnl_link_get_kernel(k->sk, ifindex, NULL, &l) < 0)
		return -1;
	if (rtnl_link_inet_get_conf(l, IPV4_DEVCONF_ARP_IGNORE, &v) == 0)
		*ignore = (int)v;
	if (rtnl_link_inet_get_conf(l, IPV4_DEVCONF_ARPFILTER, &v) == 0)
		*filter = (int)v;
	rtnl_link_put(l);
	return 0;
}

static struct vrrp_vmac_base *
base_find(struct vrrp_kernel *k, int ifindex)
{
	struct vrrp_vmac_base *b;

	for (b = k->bases; b != NULL; b = b->next)
		if (b->ifindex == ifindex)
			return b;
	return NULL;
}

/* One more VMAC on base: arp_ignore/arp_filter 1 there, the old values
 * kept for when the last one goes. */
static void
base_hold(struct vrrp_kernel *k, int base)
{
	static const struct devconf dc[] = {
		{ IPV4_DEVCONF_ARP_IGNORE, 1 }, { IPV4_DEVCONF_ARPFILTER, 1 },
	};
	struct vrrp_vmac_base *b;
	int rc;

	if ((b = base_find(k, base)) != NULL) {
		b->refs++;
		return;
	}
	if ((b = calloc(1, sizeof(*b))) == NULL) {
		log_err("vmac: out of memory");
		return;
	}
	b->ifindex = base;
	b->refs = 1;
	get_arp_conf(k, base, &b->arp_ignore, &b->arp_filter);
	b->next = k->bases;
	k->bases = b;
	if (b->arp_ignore == 1 && b->arp_filter == 1)
		return;
	if ((rc = set_devconf(k, base, dc, 2)) < 0)
		log_warn("vmac: setting arp_ignore and arp_filter on ifindex "
		    "%d: %s", base, strerror(-rc));
}

static void
base_release(struct vrrp_kernel *k, int base)
{
	struct vrrp_vmac_base **pp, *b;
	struct devconf dc[2];
	size_t n = 0;
	int rc;

	for (pp = &k->bases; (b = *pp) != NULL; pp = &b->next)
		if (b->ifindex == base)
			break;
	if (b == NULL || --b->refs > 0)
		return;
	*pp = b->next;
	if (b->arp_ignore >= 0 && b->arp_ignore != 1)
		dc[n++] = (struct devconf){ IPV4_DEVCONF_ARP_IGNORE,
		    (unsigned)b->arp_ignore };
	if (b->arp_filter >= 0 && b->arp_filter != 1)
		dc[n++] = (struct devconf){ IPV4_DEVCONF_ARPFILTER,
		    (unsigned)b->arp_filter };
	if (n > 0 && (rc = set_devconf(k, base, dc, n)) < 0 && rc != -ENODEV)
		log_warn("vmac: restoring arp_ignore and arp_filter on "
		    "ifindex %d: %s", base, strerror(-rc));
	free(b);
}

static struct vrrp_vmac_ent *
vmac_find(struct vrrp_kernel *k, int ifindex)
{
	struct vrrp_vmac_ent *e;

	for (e = k->vmacs; e != NULL; e = e->next)
		if (e->ifindex == ifindex)
			return e;
	return NULL;
}

/* The request giving ifindex q's address (IPv6 without duplicate
 * detection, as a VIP goes on). */
static struct nl_msg *
ifaddr_msg(int ifindex, const struct link_req *q)
{
	struct ifaddrmsg ifa;
	struct nl_msg *m;

	if ((m = nlmsg_alloc_simple(RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL))
	    == NULL)
		return NULL;
	memset(&ifa, 0, sizeof(ifa));
	ifa.ifa_family = (unsigned char)q->addr.family;
	ifa.ifa_prefixlen = (unsigned char)q->prefix;
	ifa.ifa_flags = q->addr.family == AF_INET6 ? IFA_F_NODAD : 0;
	ifa.ifa_scope = q->scope;
	ifa.ifa_index = (unsigned)ifindex;
	if (nlmsg_append(m, &ifa, sizeof(ifa), NLMSG_ALIGNTO) < 0 ||
	    vrrp_nl_put_addr(m, IFA_LOCAL, &q->addr) == -1 ||
	    vrrp_nl_put_addr(m, IFA_ADDRESS, &q->addr) == -1) {
		nlmsg_free(m);
		return NULL;
	}
	return m;
}

/* Adding what is there succeeds. */
static int
done_addr(const struct vrrp_nl_op *op, int rc)
{
	const struct link_req *q = op->item;
	char buf[64], a[ADDR_STRLEN + 8];

	if (rc == -EEXIST)
		rc = 0;
	if (rc < 0)
		log_err("%s: %s %s: %s", req_label(op, buf, sizeof(buf)),
		    q->scope == RT_SCOPE_LINK ? "link-local address" :
		    "address", q->scope == RT_SCOPE_LINK ? addr_ntop(&q->addr,
		    a, sizeof(a)) : vrrp_nl_prefix(&q->addr, q->prefix, a,
		    sizeof(a)), strerror(-rc));
	return rc;
}

static int link_local(struct vrrp_kernel *k, int ifindex, int base_ifindex,
    const struct vg_addr *src, struct vg_addr *out);

/* Delete link ifindex: 0 (gone already too) or -errno. */
static int
link_del(struct vrrp_kernel *k, int ifindex)
{
	struct nl_msg *m = link_msg(RTM_DELLINK, 0, ifindex, 0, 0);
	int rc;

	if (m == NULL)
		return -ENOMEM;
	rc = vrrp_nl_talk(k, m);
	return rc == -ENODEV ? 0 : rc;
}

/* The settings of a VMAC, made or adopted (q: the master it moves to
 * queued in b already); then up; an IPv6 instance's VMAC then its
 * link-local address: one request. An IPv6 one (v6) only needs
 * arp_ignore, as keepalived sets it. The outcome of setting it up. */
static int
vmac_setup(struct vrrp_kernel *k, struct vrrp_nl_batch *b,
    struct link_req *q, const struct vrrp_link_spec *s, int ifindex, int v6)
{
	static const struct devconf dc[] = {
		{ IPV4_DEVCONF_ARP_IGNORE, 1 },
		{ IPV4_DEVCONF_ACCEPT_LOCAL, 1 },
		{ IPV4_DEVCONF_RP_FILTER, 0 },
		{ IPV4_DEVCONF_PROMOTE_SECONDARIES, 1 },
	};
	int up;

	req_queue(k, b, addr_gen_none_msg(ifindex), done_addr_gen, q,
	    ifindex);
	req_queue(k, b, devconf_msg(ifindex, dc, v6 ? 1 :
	    sizeof(dc) / sizeof(dc[0])), done_devconf, q, ifindex);
	up = req_queue(k, b, link_msg(RTM_NEWLINK, 0, ifindex, IFF_UP,
	    IFF_UP), done_up, q, ifindex);
	if (s->v6 && link_local(k, ifindex, s->base, s->src, &q->addr) == 0) {
		q->prefix = 64;
		q->scope = RT_SCOPE_LINK;
		req_queue(k, b, ifaddr_msg(ifindex, q), done_addr, q, ifindex);
	}
	vrrp_nl_batch_send(k, b);
	return req_rc(b, up);
}

/* The settings of an ipvlan, made or adopted; then up, then its address:
 * one request (the address given even when setting it up fails: the
 * instance is at fault then, the link kept as it is). The outcome of
 * setting it up, else of its address. */
static int
ipvlan_setup(struct vrrp_kernel *k, struct vrrp_nl_batch *b,
    struct link_req *q, const struct vrrp_link_spec *s, int ifindex)
{
	int up, addr = -1, want = s->addr != NULL && s->addr->family != 0;

	if (!s->v6)
		req_queue(k, b, addr_gen_none_msg(ifindex), done_addr_gen, q,
		    ifindex);
	up = req_queue(k, b, link_msg(RTM_NEWLINK, 0, ifindex, IFF_UP,
	    IFF_UP), done_up, q, ifindex);
	if (want) {
		q->addr = *s->addr;
		q->prefix = s->prefix;
		q->scope = RT_SCOPE_UNIVERSE;
		addr = req_queue(k, b, ifaddr_msg(ifindex, q), done_addr, q,
		    ifindex);
	}
	vrrp_nl_batch_send(k, b);
	return req_rc(b, up) < 0 || !want ? req_rc(b, up) : req_rc(b, addr);
}

int
vrrp_vmac_set_master(struct vrrp_kernel *k, int ifindex, int master)
{
	const struct link_req q = { "link", NULL, master, { 0 }, 0, 0 };
	const struct vrrp_nl_op op = { done_master, &q, ifindex, 0 };
	struct nl_msg *m = master_msg(ifindex, master);

	return vrrp_nl_request(k, NULL, m, &op, m == NULL ?
	    done_master(&op, -ENOMEM) : 0);
}

int
vrrp_vmac_create(struct vrrp_kernel *k, const struct vrrp_link_spec *s,
    int *ifindex)
{
	struct vrrp_vmac_ent *e;
	struct vrrp_nl_batch b;
	struct link_req q;
	struct link_info li;
	int rc, adopted = 0, ipvlan = s->kind == VRRP_LINK_IPVLAN;
	const char *what = ipvlan ? "ipvlan" : "vmac";
	/* a VMAC with the RFC's IPv6 MAC: what only IPv4 needs is left
	 * alone */
	int v6 = ipvlan ? s->v6 : memcmp(s->mac, "\x00\x00\x5e\x00\x02",
	    5) == 0;

	rc = new_link(k, s);
	if (rc < 0 && rc != -EEXIST) {
		log_err("%s %s on ifindex %d: %s", what, s->name, s->base,
		    strerror(-rc));
		return rc;
	}
	adopted = rc == -EEXIST;
	if ((rc = get_link(k, 0, s->name, &li)) < 0) {
		log_err("%s %s: cannot read it back: %s", what, s->name,
		    strerror(-rc));
		return rc;
	}
	if (adopted && ipvlan && (!li.l2_ipvlan || li.lower != s->base)) {
		log_err("ipvlan %s: an interface of that name is there and is "
		    "not an l2 ipvlan on ifindex %d", s->name, s->base);
		return -EEXIST;
	}
	if (adopted && !ipvlan && (!li.private_macvlan ||
	    li.lower != s->base || memcmp(li.mac, s->mac, 6) != 0)) {
		log_err("vmac %s: an interface of that name is there and is "
		    "not a private macvlan on ifindex %d with "
		    "%02x:%02x:%02x:%02x:%02x:%02x", s->name, s->base,
		    s->mac[0], s->mac[1], s->mac[2], s->mac[3], s->mac[4],
		    s->mac[5]);
		return -EEXIST;
	}
	/* what follows in one request, each answer taken on its own */
	memset(&b, 0, sizeof(b));
	memset(&q, 0, sizeof(q));
	q.what = what;
	q.name = s->name;
	q.master = s->master;
	if (adopted && li.master != s->master)
		req_queue(k, &b, master_msg(li.ifindex, s->master),
		    done_master, &q, li.ifindex);
	rc = ipvlan ? ipvlan_setup(k, &b, &q, s, li.ifindex) :
	    vmac_setup(k, &b, &q, s, li.ifindex, v6);
	if (rc < 0) {
		log_err("%s %s: setting it up: %s%s", what, s->name,
		    strerror(-rc), adopted ? "" : " (deleted again)");
		if (!adopted)
			(void)link_del(k, li.ifindex);
		return rc;
	}
	if (vmac_find(k, li.ifindex) == NULL &&
	    (e = calloc(1, sizeof(*e))) != NULL) {
		e->ifindex = li.ifindex;
		e->base = v6 || ipvlan ? 0 : s->base;
		e->next = k->vmacs;
		k->vmacs = e;
		if (e->base > 0)
			base_hold(k, s->base);
	}
	log_info("%s %s (ifindex %d) on ifindex %d%s: %s", what, s->name,
	    li.ifindex, s->base, s->master > 0 ? " in its VRF" : "",
	    adopted ? "adopted" : "created");
	*ifindex = li.ifindex;
	return 0;
}

/* Take ifindex off the list; its base's settings are released. */
static void
vmac_forget(struct vrrp_kernel *k, int ifindex)
{
	struct vrrp_vmac_ent **pp, *e;
	int base = 0;

	for (pp = &k->vmacs; (e = *pp) != NULL; pp = &e->next)
		if (e->ifindex == ifindex)
			break;
	if (e == NULL)
		return;
	*pp = e->next;
	base = e->base;
	free(e);
	if (base > 0)
		base_release(k, base);
}

void
vrrp_vmac_gone(struct vrrp_kernel *k, int ifindex)
{
	vmac_forget(k, ifindex);
}

int
vrrp_vmac_delete(struct vrrp_kernel *k, int ifindex)
{
	struct vrrp_vmac_ent *e;
	int rc;

	/* only a VMAC this child holds releases its base's settings:
	 * after the link goes */
	for (e = k->vmacs; e != NULL && e->ifindex != ifindex; e = e->next)
		;
	rc = link_del(k, ifindex);
	if (rc < 0)
		log_err("vmac ifindex %d: deleting: %s", ifindex,
		    strerror(-rc));
	if (e != NULL)
		vmac_forget(k, ifindex);
	return rc;
}

/* ---- IPv6 link-local address ------------------------------------------- */

struct ll_find {
	int ifindex;
	int found;
	struct in6_addr addr;
};

static int
on_addr(struct nl_msg *m, void *arg)
{
	struct ll_find *f = arg;
	struct nlmsghdr *h = nlmsg_hdr(m);
	struct nlattr *tb[IFA_MAX + 1], *at;
	struct ifaddrmsg *ifa;

	if (f->found || h->nlmsg_type != RTM_NEWADDR ||
	    nlmsg_parse(h, sizeof(*ifa), tb, IFA_MAX, NULL) < 0)
		return NL_OK;
	ifa = nlmsg_data(h);
	at = tb[IFA_LOCAL] != NULL ? tb[IFA_LOCAL] : tb[IFA_ADDRESS];
	if (ifa->ifa_family != AF_INET6 || (int)ifa->ifa_index != f->ifindex ||
	    at == NULL || nla_len(at) != 16)
		return NL_OK;
	memcpy(&f->addr, nla_data(at), 16);
	if (f->addr.s6_addr[0] == 0xfe && (f->addr.s6_addr[1] & 0xc0) == 0x80)
		f->found = 1;
	return NL_OK;
}

/* The first link-local address of ifindex. 0 or -1. */
static int
base_link_local(struct vrrp_kernel *k, int ifindex, struct in6_addr *out)
{
	struct ll_find f = { ifindex, 0, IN6ADDR_ANY_INIT };
	struct nl_cb *s, *cb;
	int rc;

	s = nl_socket_get_cb(k->sk);
	cb = nl_cb_clone(s);
	nl_cb_put(s);
	if (cb == NULL)
		return -1;
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, on_addr, &f);
	rc = nl_rtgen_request(k->sk, RTM_GETADDR, AF_INET6, NLM_F_DUMP);
	if (rc >= 0)
		rc = nl_recvmsgs(k->sk, cb);
	nl_cb_put(cb);
	if (rc < 0 || !f.found)
		return -1;
	*out = f.addr;
	return 0;
}

/* The link-local address ifindex gets: src if it is an IPv6 address,
 * else base_ifindex's link-local address, else one made from its MAC. 0
 * or -errno (logged). */
static int
link_local(struct vrrp_kernel *k, int ifindex, int base_ifindex,
    const struct vg_addr *src, struct vg_addr *out)
{
	struct link_info li;
	struct vg_addr a;
	int rc;

	memset(&a, 0, sizeof(a));
	a.family = AF_INET6;
	if (src != NULL && src->family == AF_INET6)
		a = *src;
	else if (base_link_local(k, base_ifindex, &a.u.v6) == -1) {
		/* EUI-64 from the base's MAC, as the kernel would make it */
		if ((rc = get_link(k, base_ifindex, NULL, &li)) < 0) {
			log_err("vmac ifindex %d: base ifindex %d: %s",
			    ifindex, base_ifindex, strerror(-rc));
			return rc;
		}
		a.u.v6.s6_addr[0] = 0xfe;
		a.u.v6.s6_addr[1] = 0x80;
		a.u.v6.s6_addr[8] = li.mac[0] ^ 0x02;
		a.u.v6.s6_addr[9] = li.mac[1];
		a.u.v6.s6_addr[10] = li.mac[2];
		a.u.v6.s6_addr[11] = 0xff;
		a.u.v6.s6_addr[12] = 0xfe;
		a.u.v6.s6_addr[13] = li.mac[3];
		a.u.v6.s6_addr[14] = li.mac[4];
		a.u.v6.s6_addr[15] = li.mac[5];
	}
	*out = a;
	return 0;
}

int
vrrp_vmac_link_local(struct vrrp_kernel *k, int ifindex, int base_ifindex,
    const struct vg_addr *src)
{
	struct link_req q = { "vmac", NULL, 0, { 0 }, 64, RT_SCOPE_LINK };
	const struct vrrp_nl_op op = { done_addr, &q, ifindex, 1 };
	struct nl_msg *m;
	int rc;

	if ((rc = link_local(k, ifindex, base_ifindex, src, &q.addr)) < 0)
		return rc;
	m = ifaddr_msg(ifindex, &q);
	return vrrp_nl_request(k, NULL, m, &op, m == NULL ?
	    done_addr(&op, -ENOMEM) : 0);
}

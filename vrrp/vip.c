/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * virtual_ipaddress / static_ipaddress items into the kernel and out
 * again: RTM_NEWADDR / RTM_DELADDR, with every option the item carries
 * (peer, broadcast, scope, label, flags, preferred lifetime).
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include <netlink/msg.h>

#include "log.h"
#include "vrrp/config.h"
#include "vrrp/nl.h"
#include "vrrp/vip.h"

#ifndef IFA_F_MANAGETEMPADDR
#define IFA_F_MANAGETEMPADDR 0x100
#endif
#ifndef IFA_F_NOPREFIXROUTE
#define IFA_F_NOPREFIXROUTE 0x200
#endif
#ifndef IFA_F_MCAUTOJOIN
#define IFA_F_MCAUTOJOIN 0x400
#endif

#define RTPROT_VIGIL 18		/* "keepalived": whose address it is */

/* IFA_F_* of an item. IPv6 addresses skip duplicate address detection
 * unless told -nodad, as keepalived's: VRRP is the detection, and an
 * address that failed DAD during a split brain would stay unusable. */
static unsigned
ifa_flags(int family, unsigned f)
{
	unsigned r = 0;

	if (f & VRRP_IPA_HOME)
		r |= IFA_F_HOMEADDRESS;
	if ((f & VRRP_IPA_NODAD) || (family == AF_INET6 &&
	    !(f & VRRP_IPA_DAD)))
		r |= IFA_F_NODAD;
	if (f & VRRP_IPA_MNGTMPADDR)
		r |= IFA_F_MANAGETEMPADDR;
	if (f & VRRP_IPA_NOPREFIXROUTE)
		r |= IFA_F_NOPREFIXROUTE;
	if (f & VRRP_IPA_AUTOJOIN)
		r |= IFA_F_MCAUTOJOIN;
	return r;
}

/* The broadcast address of brd + / brd - / brd ADDR; 0 if none. */
static int
broadcast(const struct vrrp_conf_ipaddr_params *p, struct vg_addr *out)
{
	uint32_t a, mask;

	if (p->addr.family != AF_INET || p->brd_mode == VRRP_BRD_NONE)
		return 0;
	if (p->brd_mode == VRRP_BRD_ADDR) {
		*out = p->brd;
		return 1;
	}
	a = ntohl(p->addr.u.v4.s_addr);
	mask = p->prefix == 0 ? 0 : p->prefix >= 32 ? 0xffffffffu :
	    ~((1u << (32 - p->prefix)) - 1);
	memset(out, 0, sizeof(*out));
	out->family = AF_INET;
	out->u.v4.s_addr = htonl(p->brd_mode == VRRP_BRD_SET ? a | ~mask :
	    a & mask);
	return 1;
}

static struct nl_msg *
addr_msg(const struct vrrp_conf_ipaddr *a, int ifindex, int type, int flags)
{
	const struct vrrp_conf_ipaddr_params *p = &a->p;
	struct ifaddrmsg ifa;
	struct ifa_cacheinfo ci;
	struct vg_addr brd;
	struct nl_msg *m;
	unsigned fl = ifa_flags(p->addr.family, p->flags);

	if ((m = nlmsg_alloc_simple(type, flags)) == NULL)
		return NULL;
	memset(&ifa, 0, sizeof(ifa));
	ifa.ifa_family = (unsigned char)p->addr.family;
	ifa.ifa_prefixlen = (unsigned char)p->prefix;
	ifa.ifa_scope = (unsigned char)p->scope;
	ifa.ifa_index = (unsigned)ifindex;
	ifa.ifa_flags = (unsigned char)(fl & 0xff);
	if (nlmsg_append(m, &ifa, sizeof(ifa), NLMSG_ALIGNTO) < 0)
		goto fail;
	if (vrrp_nl_put_addr(m, IFA_LOCAL, &p->addr) == -1)
		goto fail;
	if (p->peer.family != 0) {
		if (vrrp_nl_put_addr(m, IFA_ADDRESS, &p->peer) == -1)
			goto fail;
	} else if (vrrp_nl_put_addr(m, IFA_ADDRESS, &p->addr) == -1)
		goto fail;
	if (type == RTM_DELADDR)
		return m;
	if (broadcast(p, &brd) && vrrp_nl_put_addr(m, IFA_BROADCAST, &brd)
	    == -1)
		goto fail;
	if (a->label != NULL && p->addr.family == AF_INET &&
	    nla_put_string(m, IFA_LABEL, a->label) < 0)
		goto fail;
	if (fl > 0xff && nla_put_u32(m, IFA_FLAGS, fl) < 0)
		goto fail;
	/* the kernel keeps it from 5.18 on and ignores it before */
	if (nla_put_u8(m, IFA_PROTO, RTPROT_VIGIL) < 0)
		goto fail;
	if (p->flags & VRRP_IPA_PREFERRED_LFT) {
		memset(&ci, 0, sizeof(ci));
		ci.ifa_prefered = p->preferred_lft;
		ci.ifa_valid = 0xffffffffu;
		if (nla_put(m, IFA_CACHEINFO, sizeof(ci), &ci) < 0)
			goto fail;
	}
	return m;
fail:
	nlmsg_free(m);
	return NULL;
}

/* What the kernel answered for adding (removing) an address at ifindex:
 * adding what is there and removing what is not succeed; anything else
 * logged. */
static int
vip_done(const struct vrrp_nl_op *op, int rc)
{
	const struct vrrp_conf_ipaddr *a = op->item;
	char buf[ADDR_STRLEN + 8];

	if (op->add && rc == -EEXIST)
		rc = 0;
	if (!op->add && (rc == -EADDRNOTAVAIL || rc == -ENOENT ||
	    rc == -ENODEV))
		rc = 0;
	if (rc < 0)
		log_err("%s:%u: %s address %s on ifindex %d: %s", a->loc.file,
		    a->loc.line, op->add ? "adding" : "removing",
		    vrrp_nl_prefix(&a->p.addr, a->p.prefix, buf, sizeof(buf)),
		    op->ifindex, strerror(-rc));
	return rc;
}

/* The request adding (removing) a at ifindex, and its op; NULL with *rc
 * set if there is none to send (logged). */
static struct nl_msg *
vip_msg(const struct vrrp_conf_ipaddr *a, int ifindex, int add,
    struct vrrp_nl_op *op, int *rc)
{
	struct nl_msg *m;
	char buf[ADDR_STRLEN + 8];

	if (ifindex <= 0) {
		log_err("%s:%u: address %s: no interface", a->loc.file,
		    a->loc.line, vrrp_nl_prefix(&a->p.addr, a->p.prefix, buf,
		    sizeof(buf)));
		*rc = -ENODEV;
		return NULL;
	}
	*op = (struct vrrp_nl_op){ vip_done, a, ifindex, add };
	m = addr_msg(a, ifindex, add ? RTM_NEWADDR : RTM_DELADDR,
	    add ? NLM_F_CREATE | NLM_F_EXCL : 0);
	*rc = m == NULL ? vip_done(op, -ENOMEM) : 0;
	return m;
}

/* a added (removed) alone (b NULL) or queued in b. */
static int
vip_cmd(struct vrrp_kernel *k, struct vrrp_nl_batch *b,
    const struct vrrp_conf_ipaddr *a, int ifindex, int add)
{
	struct vrrp_nl_op op;
	struct nl_msg *m;
	int rc;

	m = vip_msg(a, ifindex, add, &op, &rc);
	return vrrp_nl_request(k, b, m, &op, rc);
}

int
vrrp_vip_add(struct vrrp_kernel *k, const struct vrrp_conf_ipaddr *a,
    int ifindex)
{
	return vip_cmd(k, NULL, a, ifindex, 1);
}

int
vrrp_vip_del(struct vrrp_kernel *k, const struct vrrp_conf_ipaddr *a,
    int ifindex)
{
	return vip_cmd(k, NULL, a, ifindex, 0);
}

int
vrrp_vip_batch_add(struct vrrp_kernel *k, struct vrrp_nl_batch *b,
    const struct vrrp_conf_ipaddr *a, int ifindex, int add)
{
	return vip_cmd(k, b, a, ifindex, add);
}

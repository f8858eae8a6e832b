/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * VIP firewalling with iptables and ipsets (global_defs vrrp_iptables /
 * vrrp_ipsets), as keepalived 2.2.7 does it; vrrp/fw.h chooses between it
 * and nftables (vrrp/nft.h).
 *
 * With ipsets (the default; vrrp_ipsets NAME... names them, keepalived's
 * "keepalived", "keepalived6", "keepalived_if6", "keepalived_igmp",
 * "keepalived_mld" otherwise) the sets are made (hash:ip for IPv4 and
 * IPv6 VIPs, hash:net,iface for IPv6 link-local VIPs with their interface
 * and for the VMACs of the IGMP / MLD drop) and the rules matching them
 * appended to the chains once, at the start; a VIP then only goes in or
 * out of its set (libipset, a netlink request). The in chain (INPUT by
 * default) drops what is addressed to a VIP, the out chain (OUTPUT by
 * default; none when vrrp_iptables names the in chain alone) what a VIP
 * sends, IPv6 neighbour solicitations and advertisements excepted, and
 * IGMP / MLD reports leaving through a VMAC.
 *
 * Without ipsets (vrrp_ipsets with no name) each VIP has rules of its own,
 * inserted at the head of the chains while it is held.
 */
#ifndef VIGIL_VRRP_IPT_H
#define VIGIL_VRRP_IPT_H

#include "addr.h"

struct event_base;
struct reaper;
struct vrrp_ipt;

#define VRRP_IPT_V4 1u
#define VRRP_IPT_V6 2u

struct vrrp_ipt_params {
	const char *in, *out;	/* chains; both NULL: INPUT and OUTPUT; out
				 * NULL with in given: no out chain */
	int no_sets;		/* vrrp_ipsets without a name: rule per VIP */
	const char *sets[5];	/* the names given (NULL: keepalived's
				 * derived from the first, or the default) */
	unsigned fams;		/* VRRP_IPT_V4 | VRRP_IPT_V6: the families of
				 * the VIPs blocked */
	unsigned vmac_fams;	/* those of the instances with a VMAC: their
				 * IGMP (IPv4) / MLD (IPv6) drop */
	struct event_base *base;
	struct reaper *reaper;
};

/* Make the sets and add the rules (those left by an earlier run are kept,
 * not doubled; the sets are emptied). NULL when iptables, a chain or
 * ipset cannot be used (logged). */
struct vrrp_ipt *vrrp_ipt_new(const struct vrrp_ipt_params *p);
/* Whether i was made with p. */
int vrrp_ipt_same(const struct vrrp_ipt *i, const struct vrrp_ipt_params *p);
/* Remove the rules and the sets (unless keep: -V) and free. */
void vrrp_ipt_free(struct vrrp_ipt *i, int keep);
/* Block a (add) or unblock it; an IPv6 link-local a with its interface
 * ifname. 0 or -1 (logged). */
int vrrp_ipt_addr(struct vrrp_ipt *i, const struct vg_addr *a,
    const char *ifname, int add);
/* Drop (add) or let through IGMP (fams VRRP_IPT_V4) / MLD (VRRP_IPT_V6)
 * reports leaving by VMAC ifname. */
int vrrp_ipt_vmac(struct vrrp_ipt *i, const char *ifname, unsigned fams,
    int add);

#endif

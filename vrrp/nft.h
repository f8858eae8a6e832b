/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * VIP firewalling with nftables (RFC 5798 Accept_Mode off: vrrp_strict's
 * default, or no_accept): a MASTER that is not the address owner drops
 * packets addressed to its VIPs. One table of the inet family (the
 * `nftables` keyword's name, "keepalived" by default) holds the sets of
 * addresses vips and vips6, and a chain `in` on the input hook
 * (nftables_priority, -1 by default) dropping what is addressed to them,
 * IPv6 neighbour solicitations and advertisements excepted (the VIP's
 * neighbour entry must stay reachable); IPv6 link-local VIPs, unique
 * only with their interface, are kept in vips6_ll as address . interface
 * name (nftables_ifindex: index). A chain `out` on the output hook
 * drops IGMP and MLD leaving through the VMACs of set vmacs (a BACKUP's
 * VMAC must not send from the virtual MAC). nftables_counters adds a
 * counter to each rule. A VIP is in its set while its instance holds it;
 * a VMAC while it exists.
 */
#ifndef VIGIL_VRRP_NFT_H
#define VIGIL_VRRP_NFT_H

#include "addr.h"

struct vrrp_nft;

struct vrrp_nft_params {
	const char *table;	/* NULL: "keepalived" */
	int priority;
	int counters;
	int ifindex_keys;	/* nftables_ifindex: link-local VIPs keyed by
				 * interface index, not name */
};

/* Make the table afresh (one left by an earlier run goes first). NULL
 * when nftables cannot be reached or the build has no libnftnl (logged). */
struct vrrp_nft *vrrp_nft_new(const struct vrrp_nft_params *p);
/* Whether n was made with p. */
int vrrp_nft_same(const struct vrrp_nft *n, const struct vrrp_nft_params *p);
/* Remove the table (unless keep: -V leaves the VIPs and their blocking)
 * and free. */
void vrrp_nft_free(struct vrrp_nft *n, int keep);
/* Put a in its set (add) or take it out; an IPv6 link-local a goes in
 * vips6_ll with the interface it lives on (ifindex, ifname). 0, or -1
 * (logged). */
int vrrp_nft_addr(struct vrrp_nft *n, const struct vg_addr *a, int ifindex,
    const char *ifname, int add);
/* Put the VMAC ifname in the vmacs set (add) or take it out. 0 or -1. */
int vrrp_nft_vmac(struct vrrp_nft *n, const char *ifname, int add);

#endif

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * VIP firewalling with nftables (RFC 5798 Accept_Mode off: vrrp_strict's
 * default, or no_accept): a MASTER that is not the address owner drops
 * packets addressed to its VIPs. One table of the inet family (the
 * `nftables` keyword's name, "keepalived" by default) holds two sets of
 * addresses, vips and vips6, and a chain `in` on the input hook
 * (nftables_priority, -1 by default) dropping what is addressed to them,
 * IPv6 neighbour solicitations and advertisements excepted (the VIP's
 * neighbour entry must stay reachable). nftables_counters adds a counter
 * to each rule. A VIP is in its set while its instance holds it.
 */
#ifndef VIGIL_VRRP_NFT_H
#define VIGIL_VRRP_NFT_H

#include "addr.h"

struct vrrp_nft;

struct vrrp_nft_params {
	const char *table;	/* NULL: "keepalived" */
	int priority;
	int counters;
};

/* Make the table afresh (one left by an earlier run goes first). NULL
 * when nftables cannot be reached or the build has no libnftnl (logged). */
struct vrrp_nft *vrrp_nft_new(const struct vrrp_nft_params *p);
/* Whether n was made with p. */
int vrrp_nft_same(const struct vrrp_nft *n, const struct vrrp_nft_params *p);
/* Remove the table (unless keep: -V leaves the VIPs and their blocking)
 * and free. */
void vrrp_nft_free(struct vrrp_nft *n, int keep);
/* Put a in its set (add) or take it out. 0, or -1 (logged). */
int vrrp_nft_addr(struct vrrp_nft *n, const struct vg_addr *a, int add);

#endif

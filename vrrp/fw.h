/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * VIP firewalling (RFC 5798 Accept_Mode off): the one interface the
 * engine calls, over two backends, nftables (vrrp/nft.h, the default) and
 * iptables with ipsets (vrrp/ipt.h, global_defs vrrp_iptables). As
 * keepalived 2.2.7: nftables wins when both are configured; vrrp_ipsets
 * without vrrp_iptables is ignored. When iptables cannot be used (no
 * binary, no chain, a build without libipset for the sets) nftables is
 * used instead, with a warning at vrrp_iptables' file:line.
 */
#ifndef VIGIL_VRRP_FW_H
#define VIGIL_VRRP_FW_H

#include "addr.h"
#include "conf.h"
#include "vrrp/ipt.h"
#include "vrrp/nft.h"

struct vrrp_fw;

struct vrrp_fw_params {
	struct vrrp_nft_params nft;
	int use_ipt;			/* vrrp_iptables, nftables not given */
	struct conf_loc ipt_loc;	/* where vrrp_iptables is */
	struct vrrp_ipt_params ipt;
};

/* Make the firewall p wants (NULL when none can be reached: logged). */
struct vrrp_fw *vrrp_fw_new(const struct vrrp_fw_params *p);
/* Whether fw was made with p. */
int vrrp_fw_same(const struct vrrp_fw *fw, const struct vrrp_fw_params *p);
/* Remove what fw put in the kernel (unless keep: -V) and free. */
void vrrp_fw_free(struct vrrp_fw *fw, int keep);
/* Block a (add) or unblock it; ifindex / ifname the interface it lives
 * on (IPv6 link-local VIPs). 0 or -1 (logged). */
int vrrp_fw_addr(struct vrrp_fw *fw, const struct vg_addr *a, int ifindex,
    const char *ifname, int add);
/* Drop IGMP / MLD reports leaving by VMAC ifname (add), or stop; fams
 * (VRRP_IPT_V4 | VRRP_IPT_V6) the families of its instance's addresses
 * (nftables drops both whatever they are). */
int vrrp_fw_vmac(struct vrrp_fw *fw, const char *ifname, unsigned fams,
    int add);

#endif

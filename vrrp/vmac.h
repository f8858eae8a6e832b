/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * use_vmac: a macvlan (mode private) on the instance's interface carrying
 * the virtual router MAC 00-00-5E-00-01-VRID (IPv4) or 00-00-5E-00-02-VRID
 * (IPv6), or the configured one. Created when the instance starts (or
 * adopted when one of that name with that MAC is already there), deleted
 * when it stops (unless the child is told to leave it).
 */
#ifndef VIGIL_VRRP_VMAC_H
#define VIGIL_VRRP_VMAC_H

struct vrrp_kernel;

/* The RFC MAC for vrid and family into mac. */
void vrrp_vmac_mac(unsigned vrid, int family, unsigned char mac[6]);
/* Create (or adopt) name on base_ifindex with mac, set it up; its index
 * into *ifindex. 0 or -errno (logged). */
int vrrp_vmac_create(struct vrrp_kernel *k, const char *name,
    int base_ifindex, const unsigned char mac[6], int *ifindex);
int vrrp_vmac_delete(struct vrrp_kernel *k, int ifindex);
/* IPv6 instances sending from the VMAC: give it (ifindex) a link-local
 * address, as keepalived does, so adverts leave from it and not from a
 * VIP: src if it is an IPv6 address (mcast_src_ip/unicast_src_ip), else
 * the base's link-local address, else one made from the base's MAC. The
 * VMAC gets none by itself (addr_gen_mode none, RFC 5798 7.4). 0 or
 * -errno (logged). */
struct vg_addr;
int vrrp_vmac_link_local(struct vrrp_kernel *k, int ifindex,
    int base_ifindex, const struct vg_addr *src);

#endif

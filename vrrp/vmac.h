/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * An instance's own child link on its interface, where its VIPs live and
 * its adverts go: use_vmac's macvlan (mode private) carrying the virtual
 * router MAC 00-00-5E-00-01-VRID (IPv4) or 00-00-5E-00-02-VRID (IPv6), or
 * the configured one; or use_ipvlan's ipvlan (mode l2, flags bridge,
 * private or vepa) carrying its own address. Created when the instance
 * starts (or adopted when one of that name and kind is already there),
 * in the VRF of the interface when it has one, made again when removed by
 * hand, deleted when the instance stops (unless the child is told to
 * leave it).
 */
#ifndef VIGIL_VRRP_VMAC_H
#define VIGIL_VRRP_VMAC_H

struct vrrp_kernel;
struct vg_addr;

enum vrrp_link_kind { VRRP_LINK_VMAC, VRRP_LINK_IPVLAN };

struct vrrp_link_spec {
	enum vrrp_link_kind kind;
	const char *name;
	int base;			/* the instance's interface */
	int master;			/* the VRF the base is in; 0: none */
	int v6;				/* an IPv6 instance */
	unsigned char mac[6];		/* VMAC: its MAC */
	unsigned ipvlan_flags;		/* ipvlan: 0 (bridge), IPVLAN_F_* */
	const struct vg_addr *addr;	/* ipvlan: its address, or NULL */
	unsigned prefix;
	/* VMAC of an IPv6 instance (v6): the source of its link-local
	 * address (vrrp_vmac_link_local), or NULL */
	const struct vg_addr *src;
};

/* The RFC MAC for vrid and family into mac. */
void vrrp_vmac_mac(unsigned vrid, int family, unsigned char mac[6]);
/* Create (or adopt) the link s describes, set it up (a VMAC of an IPv6
 * instance with its link-local address); its index into *ifindex. The
 * link made, its settings in one request, each answer taken on its own.
 * 0 or -errno (logged). */
int vrrp_vmac_create(struct vrrp_kernel *k, const struct vrrp_link_spec *s,
    int *ifindex);
/* Delete a link this child made or adopted. 0 or -errno (logged). */
int vrrp_vmac_delete(struct vrrp_kernel *k, int ifindex);
/* The link went without us (removed by hand, or with its base): forget
 * it, as vrrp_vmac_delete would, without asking the kernel. */
void vrrp_vmac_gone(struct vrrp_kernel *k, int ifindex);
/* Enslave the link to VRF master (0: take it out of its VRF), as its
 * base moved. 0 or -errno (logged). */
int vrrp_vmac_set_master(struct vrrp_kernel *k, int ifindex, int master);
/* IPv6 instances sending from the VMAC: give it (ifindex) a link-local
 * address, as keepalived does, so adverts leave from it and not from a
 * VIP: src if it is an IPv6 address (mcast_src_ip/unicast_src_ip), else
 * the base's link-local address, else one made from the base's MAC. The
 * VMAC gets none by itself (addr_gen_mode none, RFC 5798 7.4). 0 or
 * -errno (logged). */
int vrrp_vmac_link_local(struct vrrp_kernel *k, int ifindex,
    int base_ifindex, const struct vg_addr *src);

#endif

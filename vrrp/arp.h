/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Gratuitous ARP (IPv4) and unsolicited neighbour advertisements (IPv6)
 * announcing a VIP from an interface's (or VMAC's) MAC address, on one
 * packet socket per family that the child shares. Sends never block: a
 * full socket buffer drops the packet and counts it. Pacing (delay,
 * repeat, refresh, garp_interval / gna_interval) is the caller's.
 */
#ifndef VIGIL_VRRP_ARP_H
#define VIGIL_VRRP_ARP_H

#include "addr.h"

struct vrrp_arp;

struct vrrp_arp *vrrp_arp_new(void);
void vrrp_arp_free(struct vrrp_arp *a);
/* One gratuitous ARP (IPv4) or unsolicited NA with the override flag
 * (IPv6, router flag unset) for ip, from mac, out of ifindex. 0 or -1. */
int vrrp_arp_send(struct vrrp_arp *a, int ifindex,
    const unsigned char mac[6], const struct vg_addr *ip);
/* Packets that could not be sent. */
unsigned vrrp_arp_dropped(const struct vrrp_arp *a);

#endif

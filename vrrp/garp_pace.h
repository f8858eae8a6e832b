/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Pacing of gratuitous ARPs and unsolicited neighbour advertisements per
 * interface (vrrp_garp_interval / vrrp_gna_interval, and garp_group's
 * garp_interval / gna_interval for the interfaces it names): on an
 * interface with an interval, one packet of a family goes out at most
 * every interval and the others wait their turn, in order; without one
 * they go at once. A queue holds at most VRRP_PACE_MAX packets per
 * interface and family: beyond that they are dropped and counted.
 */
#ifndef VIGIL_VRRP_GARP_PACE_H
#define VIGIL_VRRP_GARP_PACE_H

#include <stdint.h>

#include "addr.h"

#define VRRP_PACE_MAX 65536

struct event_base;
struct vrrp_arp;
struct vrrp_pace;

struct vrrp_pace *vrrp_pace_new(struct event_base *base, struct vrrp_arp *arp);
void vrrp_pace_free(struct vrrp_pace *p);
/* Send (or queue) one announcement of ip from mac out of ifindex, at
 * most one every interval usec on that interface for ip's family (0: at
 * once). */
void vrrp_pace_send(struct vrrp_pace *p, int ifindex,
    const unsigned char mac[6], const struct vg_addr *ip,
    uint64_t interval);
/* Drop what waits to announce ip (its instance let it go). */
void vrrp_pace_forget(struct vrrp_pace *p, const struct vg_addr *ip);
/* Packets waiting now; dropped because a queue was full. */
unsigned vrrp_pace_queued(const struct vrrp_pace *p);
unsigned vrrp_pace_dropped(const struct vrrp_pace *p);

#endif

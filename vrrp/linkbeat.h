/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * linkbeat_use_polling / linkbeat_interfaces: a link's state read by
 * ioctl, as keepalived's linkbeat reads it: the MII status register
 * (SIOCGMIIPHY, SIOCGMIIREG: BMSR's link bit), else ETHTOOL_GLINK, else
 * the interface flags alone; with a link, the flags must say up and
 * running too. The interface view (vrrp/iface.c) polls each named link
 * every second with it.
 */
#ifndef VIGIL_VRRP_LINKBEAT_H
#define VIGIL_VRRP_LINKBEAT_H

struct vrrp_engine;

/* Whether link name is up, by probe *type (VRRP_LB_*; 0: the first that
 * works, MII, ETHTOOL, IOCTL); *type is set to the probe used (a given
 * one that fails falls back as keepalived's). fd: an AF_INET datagram
 * socket. */
int vrrp_linkbeat_probe(int fd, const char *name, int *type);
/* "MII", "ETHTOOL", "IOCTL" */
const char *vrrp_linkbeat_type(int type);
/* The configuration's polled links into the interface view (at start and
 * at each reload). */
void vrrp_engine_linkbeat(struct vrrp_engine *e);

#endif

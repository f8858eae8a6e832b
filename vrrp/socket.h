/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * VRRP sockets: one raw socket per (interface, family), bound to the
 * interface, joined to the VRRP group (224.0.0.18 / ff02::12 or
 * vrrp_mcast_group4/6), which every instance on that interface and family
 * both receives and sends on. IPv4 sends whole datagrams (IP_HDRINCL:
 * vrrp_pkt_build writes the IP header); IPv6 sends the VRRP payload with
 * hop limit 255 and the source in IPV6_PKTINFO, and reads the hop limit
 * and destination from ancillary data. Sends never block: a full buffer
 * drops the packet and counts it. A unicast instance without an
 * interface has a socket bound to its unicast_src_ip instead (and to its
 * VRF's device, if any), joined to no group, one per family, VRF and
 * address; the kernel's routing takes its adverts to its peers.
 *
 * Received datagrams are parsed, demultiplexed by VRID (and by source
 * address among unicast instances sharing a VRID), checked against the
 * instance, and handed over valid; every drop is counted by reason, per
 * instance and for the whole child.
 */
#ifndef VIGIL_VRRP_SOCKET_H
#define VIGIL_VRRP_SOCKET_H

#include <stdint.h>
#include <stdio.h>

#include "vrrp/packet.h"

struct event_base;
struct vrrp_inst;
struct vrrp_sock;
struct vrrp_socks;

/* A valid advert p for instance vi (addrs_differ: its address list is
 * not ours, RFC 5798 7.1: logged by the receiver). */
typedef void vrrp_sock_rx_fn(void *arg, struct vrrp_inst *vi,
    const struct vrrp_pkt *p, int addrs_differ);

struct vrrp_socks *vrrp_socks_new(struct event_base *base,
    vrrp_sock_rx_fn *rx, void *arg);
/* Closes every socket (instances must have been detached). */
void vrrp_socks_free(struct vrrp_socks *ss);
/*
 * The global_defs the sockets follow: log_unknown_vrids (log the first
 * advert of each VRID no instance takes, on each socket; keepalived logs
 * every one), vrrp_rx_bufs_policy and vrrp_rx_bufs_multiplier (SO_RCVBUF,
 * with each instance's kernel_rx_buf_size, as keepalived sizes it; set
 * again on the open sockets and on each attach and detach).
 */
struct vrrp_conf_globals;
void vrrp_socks_configure(struct vrrp_socks *ss,
    const struct vrrp_conf_globals *g);
/* SO_RCVBUF of vi's socket as the kernel reports it, -1 if none. */
int vrrp_sock_rcvbuf(const struct vrrp_inst *vi);

/*
 * Attach vi to the socket of (ifindex, family) on interface ifname,
 * opening it (and joining group) if it is the first; vi->sock is set.
 * 0, or -1 (logged) when the socket cannot be opened.
 */
int vrrp_sock_attach(struct vrrp_socks *ss, struct vrrp_inst *vi,
    int ifindex, const char *ifname, int family, const struct vg_addr *group);
/*
 * Attach vi, an instance without an interface, to the socket of its
 * family bound to src (its unicast_src_ip) and, with vrf_ifindex > 0, to
 * the VRF device vrf; opening it if it is the first. 0, or -1 (logged;
 * errno says why: EADDRNOTAVAIL, src is not on this host or not in the
 * VRF).
 */
int vrrp_sock_attach_bound(struct vrrp_socks *ss, struct vrrp_inst *vi,
    int vrf_ifindex, const char *vrf, const struct vg_addr *src);
/* Whether vi's socket is the one bound to src in vrf_ifindex (0: none). */
int vrrp_sock_bound_to(const struct vrrp_inst *vi, int vrf_ifindex,
    const struct vg_addr *src);
/* Detach vi; the last instance closes the socket. */
void vrrp_sock_detach(struct vrrp_socks *ss, struct vrrp_inst *vi);
/* vi's configuration changed (reload): open what its socket now needs
 * (IPSEC-AH's). 0, or -1 (logged). */
int vrrp_sock_follow(struct vrrp_inst *vi);

/*
 * The TTL / hop limit c's unicast adverts go with (unicast_ttl), or -1:
 * IPv4 255, IPv6 the kernel's default (keepalived 2.2.7). Multicast
 * adverts always go with 255.
 */
int vrrp_sock_unicast_ttl(const struct vrrp_instance_conf *c);

/*
 * The TTL / hop limit c accepts from src into e (keepalived 2.2.7,
 * vrrp_check_packet): 255 for a multicast instance (RFC 3768 / 5798);
 * anything for a unicast one, unless it checks unicast sources
 * (check_unicast_src, or a min_ttl / max_ttl on any peer), then src's
 * min_ttl..max_ttl (0..255 when not given). vrrp_strict allows no
 * unicast peers: 255 only.
 */
void vrrp_sock_ttl_range(const struct vrrp_instance_conf *c,
    const struct vg_addr *src, struct vrrp_pkt_expect *e);

/* Send len bytes to dst through vi's socket (IPv6: from src). 0, or -1
 * if dropped (counted). */

int vrrp_sock_send(struct vrrp_inst *vi, const unsigned char *buf,
    size_t len, const struct vg_addr *src, const struct vg_addr *dst);

/* Whole-child drop counters (no instance to count them on). */
void vrrp_socks_dump(const struct vrrp_socks *ss, FILE *fp);
uint64_t vrrp_socks_drops(const struct vrrp_socks *ss, enum vrrp_drop d);

#endif

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The VRRP child's view of the kernel's interfaces and addresses, kept
 * from rtnetlink (libnl-route-3): a dump at start, then the link and
 * address events of a monitor socket. When the monitor overruns (ENOBUFS)
 * the view is dumped again and reconciled, and the owner is told with
 * resync: events may have been lost. The monitor's receive buffer is sized
 * for many instances (vrrp_netlink_monitor_rcv_bufs).
 */
#ifndef VIGIL_VRRP_IFACE_H
#define VIGIL_VRRP_IFACE_H

#include <net/if.h>

#include "addr.h"

struct event_base;
struct vrrp_ifaces;

struct vrrp_iface {
	int index;
	char name[IF_NAMESIZE];
	unsigned flags;			/* IFF_* */
	int up;				/* IFF_UP and IFF_RUNNING (carrier),
					 * after interface_up_down_delays */
	unsigned char mac[6];
	unsigned mtu;
	int link_index;			/* macvlan/vlan: the lower device */
	int master_index;		/* its master (bridge, bond, VRF) */
	int is_vrf;			/* a VRF device (kind vrf) */
	int is_mac_child;		/* kind macvlan or ipvlan (a VMAC) */
	unsigned vrf_table;		/* is_vrf: its routing table */
};

/* The VRF device ifc is enslaved to, or NULL (none, or a master that is
 * not a VRF). */
const struct vrrp_iface *vrrp_iface_vrf_of(const struct vrrp_ifaces *v,
    const struct vrrp_iface *ifc);

#define VRRP_IFACE_DELETED 1
#define VRRP_IFACE_RENAMED 2

/* What changed; any of them may be NULL. */
struct vrrp_iface_cbs {
	/* a link appeared, changed (up/down, mac) or went (gone
	 * VRRP_IFACE_DELETED). A link renamed is, as keepalived tracks links
	 * by name, gone under its old name (gone VRRP_IFACE_RENAMED, ifc
	 * the link as it was, still found by index and old name during the
	 * call), then reported anew under the new one (gone 0). */
	void (*link)(void *arg, const struct vrrp_iface *ifc, int gone);
	/* an address was added or deleted on ifindex */
	void (*addr)(void *arg, int ifindex, const struct vg_addr *a,
	    unsigned prefix, int deleted);
	/* the monitor overran; the view was dumped again */
	void (*resync)(void *arg);
};

/* Dump links and addresses, open the monitor. rcvbuf: 0 for the default.
 * NULL on failure (logged). */
struct vrrp_ifaces *vrrp_ifaces_new(struct event_base *base,
    const struct vrrp_iface_cbs *cbs, void *arg, unsigned rcvbuf,
    int rcvbuf_force);
void vrrp_ifaces_free(struct vrrp_ifaces *v);

const struct vrrp_iface *vrrp_iface_by_name(const struct vrrp_ifaces *v,
    const char *name);
const struct vrrp_iface *vrrp_iface_by_index(const struct vrrp_ifaces *v,
    int index);
/* The first (primary) address of family on ifindex: IPv4 primary, IPv6
 * link-local. 0, or -1 if it has none. */
int vrrp_iface_primary(const struct vrrp_ifaces *v, int ifindex, int family,
    struct vg_addr *out);
/* Whether address a is on ifindex (any interface if ifindex is 0). */
int vrrp_iface_has_addr(const struct vrrp_ifaces *v, int ifindex,
    const struct vg_addr *a);
/*
 * interface_up_down_delays: a link's going down (up) reaches up and the
 * link callback only once it has stayed so for its down (up) delay; back
 * within it, nothing is reported; a link never seen up comes up at once
 * (keepalived's seen_up). A macvlan or ipvlan link (a VMAC) not
 * named itself has its lower link's delays. Copied; replaces the last
 * set (a pending change keeps its timer). 0, or -1 (out of memory).
 */
struct vrrp_iface_delay {
	char name[IF_NAMESIZE];
	unsigned long long down_usec, up_usec;
};
int vrrp_ifaces_set_delays(struct vrrp_ifaces *v,
    const struct vrrp_iface_delay *d, unsigned n);
/* A VRRPv3 master advertises a shorter interval than an instance on link
 * name had: its delays fitted to it (vrrp_conf_delay_fit: adverts, the
 * instance's down_timer_adverts, and advert_usec), as keepalived 2.2.7
 * does at run time. 1 if one was shortened (logged). */
int vrrp_ifaces_fit_delays(struct vrrp_ifaces *v, const char *name,
    const char *who, unsigned adverts, unsigned long long advert_usec);

/*
 * linkbeat_use_polling / linkbeat_interfaces: a named link's up and down
 * come from polling it (vrrp/linkbeat.c: MII, ETHTOOL_GLINK or the
 * interface flags, every second) instead of from its netlink events,
 * as keepalived's; a change goes the same way as the kernel's (its
 * delays, the link callback). Copied; replaces the last set. 0, or -1
 * (out of memory).
 */
struct vrrp_iface_poll {
	char name[IF_NAMESIZE];
	int type;		/* VRRP_LB_* (vrrp/config.h): 0 any */
};
int vrrp_ifaces_set_polled(struct vrrp_ifaces *v,
    const struct vrrp_iface_poll *p, unsigned n);

/* Times the monitor overran and was re-dumped. */
unsigned vrrp_ifaces_overruns(const struct vrrp_ifaces *v);

#endif

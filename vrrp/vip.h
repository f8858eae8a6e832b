/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Addresses, routes and rules the VRRP child puts into the kernel and
 * takes out again, through rtnetlink (libnl-route-3) on one command
 * socket: virtual_ipaddress(_excluded), virtual_routes, virtual_rules and
 * their static_* forms. Adding what is already there succeeds (a
 * respawned child adopts its VIPs); deleting what is not there succeeds.
 * Errors are returned as -errno and logged with the item's file:line.
 */
#ifndef VIGIL_VRRP_VIP_H
#define VIGIL_VRRP_VIP_H

#include "vrrp/nl_batch.h"

struct vrrp_kernel;
struct vrrp_conf_ipaddr;
struct vrrp_conf_route;
struct vrrp_conf_rule;

/* The command socket; NULL on failure (logged). */
struct vrrp_kernel *vrrp_kernel_new(unsigned rcvbuf, int rcvbuf_force);
void vrrp_kernel_free(struct vrrp_kernel *k);

/* ifindex: the interface the item names (dev) or the instance's. */
int vrrp_vip_add(struct vrrp_kernel *k, const struct vrrp_conf_ipaddr *a,
    int ifindex);
int vrrp_vip_del(struct vrrp_kernel *k, const struct vrrp_conf_ipaddr *a,
    int ifindex);
/* The VRF device whose table route r goes in ("vrf NAME"), or NULL. */
const char *vrrp_route_vrf(const struct vrrp_conf_route *r);
/* ifindex: the instance's interface, used when the route names no dev. */
int vrrp_route_add(struct vrrp_kernel *k, const struct vrrp_conf_route *r,
    int ifindex);
int vrrp_route_del(struct vrrp_kernel *k, const struct vrrp_conf_route *r,
    int ifindex);
int vrrp_rule_add(struct vrrp_kernel *k, const struct vrrp_conf_rule *r);
int vrrp_rule_del(struct vrrp_kernel *k, const struct vrrp_conf_rule *r);

/*
 * Addresses, routes and rules added and removed in batches (nl_batch.h):
 * each queued, the batch sent in one request when it is full or sent
 * (vrrp_nl_batch_send), each answer taken (and logged) as the functions
 * above take theirs; one failing leaves the others done. 0, or -errno
 * for an item that has no request (no interface, a table or value the
 * kernel cannot be given: logged, not counted by the send).
 */
int vrrp_vip_batch_add(struct vrrp_kernel *k, struct vrrp_nl_batch *b,
    const struct vrrp_conf_ipaddr *a, int ifindex, int add);
int vrrp_route_batch_add(struct vrrp_kernel *k, struct vrrp_nl_batch *b,
    const struct vrrp_conf_route *r, int ifindex, int add);
int vrrp_rule_batch_add(struct vrrp_kernel *k, struct vrrp_nl_batch *b,
    const struct vrrp_conf_rule *r, int add);

#endif

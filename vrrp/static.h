/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * static_ipaddress, static_routes and static_rules: put into the kernel
 * when the VRRP child starts, kept while it runs whatever the instances
 * do, brought in line on reload, removed when it stops (as keepalived
 * does). Addresses go in first and out last (routes and rules may need
 * them).
 */
#ifndef VIGIL_VRRP_STATIC_H
#define VIGIL_VRRP_STATIC_H

struct vrrp_kernel;
struct vrrp_ifaces;
struct vrrp_conf;

/*
 * Remove what old configured and new does not (rules, routes, then
 * addresses), then add everything new configures (addresses, routes,
 * rules; what is there already is adopted). old is NULL at start. Items
 * are matched by what they say (an address by its parsed fields, dev and
 * label; a route or rule by its words), not by position. An address
 * without dev goes on global_defs' default_interface; a route without dev
 * names no interface. 0, or the number of items that failed (each logged
 * with its file:line).
 */
int vrrp_static_apply(struct vrrp_kernel *k, const struct vrrp_ifaces *ifs,
    const struct vrrp_conf *old, const struct vrrp_conf *new);
/* Remove every static item conf configured (rules, routes, addresses). */
void vrrp_static_release(struct vrrp_kernel *k, const struct vrrp_ifaces *ifs,
    const struct vrrp_conf *conf);

#endif

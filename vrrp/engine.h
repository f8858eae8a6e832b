/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The VRRP engine the child runs: instances, sync groups, sockets, the
 * kernel view, VIPs, GARPs, tracking and notify, wired to the state
 * machine. vrrp/vrrp_child.c drives it from the child runtime's ops.
 */
#ifndef VIGIL_VRRP_ENGINE_H
#define VIGIL_VRRP_ENGINE_H

#include <stddef.h>
#include <stdio.h>

struct proc;
struct proc_env;
struct vigil_config;
struct vrrp_engine;

/* Start every instance of cfg (adopting VIPs found in place). NULL on
 * failure (logged). */
struct vrrp_engine *vrrp_engine_start(const struct proc_env *env,
    const struct vigil_config *cfg);
/* Move to cfg (the old one is still valid during the call). 0, or -1
 * with msg saying why (the old one keeps running). */
int vrrp_engine_reload(struct vrrp_engine *e, const struct vigil_config *old,
    const struct vigil_config *cfg, char *msg, size_t msglen);
/* Stop: priority 0 adverts, VIPs released (unless -V); frees e. */
void vrrp_engine_stop(struct vrrp_engine *e);
void vrrp_engine_dump(const struct vrrp_engine *e, FILE *fp);
/* Report every instance and sync group. */
void vrrp_engine_snapshot(struct vrrp_engine *e, struct proc *p);

#endif

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the VRRP child tells the outside of state changes, as keepalived
 * does: notify_master / notify_backup / notify_fault / notify_stop /
 * notify_deleted / notify_master_rx_lower_pri scripts, the generic
 * "notify" script with its arguments (INSTANCE|GROUP NAME STATE PRIORITY),
 * the notify fifo (vrrp_notify_fifo and notify_fifo: one line per change,
 * 'INSTANCE "VI_1" MASTER 100', with the fifo script started to read it),
 * priority-change notifications, and smtp alerts. Scripts run as
 * script_user (or the line's user) through lib's script runner, never
 * blocking; enable_script_security is honoured.
 */
#ifndef VIGIL_VRRP_NOTIFY_H
#define VIGIL_VRRP_NOTIFY_H

#include "vrrp/state.h"

struct proc_env;
struct vigil_config;
struct vrrp_instance_conf;
struct vrrp_sync_group_conf;
struct vrrp_notify;

struct vrrp_notify *vrrp_notify_new(const struct proc_env *env);
/* Closes the fifos, lets running scripts finish. */
void vrrp_notify_free(struct vrrp_notify *n);
/* Follow a configuration (fifos opened, closed or kept, script users
 * resolved). 0, or -1 (logged). */
int vrrp_notify_apply(struct vrrp_notify *n, const struct vigil_config *cfg);

void vrrp_notify_instance(struct vrrp_notify *n,
    const struct vrrp_instance_conf *ic, enum vrrp_state s,
    unsigned priority);
void vrrp_notify_group(struct vrrp_notify *n,
    const struct vrrp_sync_group_conf *g, enum vrrp_state s);
/* fifo_write_vrrp_states_on_reload: a state line on the fifos alone (no
 * script, no mail); type "INSTANCE" or "GROUP". */
void vrrp_notify_fifo_state(struct vrrp_notify *n, const char *type,
    const char *name, enum vrrp_state s, unsigned priority);
/* notify_master_rx_lower_pri: a master received an advert of a lower
 * priority (the script runs as written; the fifos get
 * MASTER_RX_LOWER_PRI). */
void vrrp_notify_rx_lower_pri(struct vrrp_notify *n,
    const struct vrrp_instance_conf *ic, unsigned priority);
/* notify_priority_changes: the instance's effective priority moved. */
void vrrp_notify_priority(struct vrrp_notify *n,
    const struct vrrp_instance_conf *ic, enum vrrp_state s,
    unsigned priority);

#endif

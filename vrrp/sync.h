/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vrrp_sync_group: members move together. One member becoming MASTER
 * takes the others to MASTER, one going back to BACKUP takes them back,
 * one in FAULT holds them all in FAULT until every member is clear. The
 * group's own state (FAULT if any member is, MASTER if all are, else
 * BACKUP) is reported and notified when it changes.
 */
#ifndef VIGIL_VRRP_SYNC_H
#define VIGIL_VRRP_SYNC_H

#include "vrrp/fsm.h"
#include "vrrp/state.h"

struct vrrp_sync_group_conf;

struct vrrp_sync {
	struct vrrp_sync *next;
	const struct vrrp_sync_group_conf *conf;
	const char *name;
	struct vrrp_inst **members;
	unsigned n;
	enum vrrp_state state;
	int moving;			/* inside a group move */
	char why[VRRP_WHY_LEN];
};

/* The group's state changed (old -> g->state, g->why). */
typedef void vrrp_sync_changed_fn(void *arg, struct vrrp_sync *g,
    enum vrrp_state old);

/* A group for c with room for its members; NULL if out of memory. */
struct vrrp_sync *vrrp_sync_new(const struct vrrp_sync_group_conf *c);
void vrrp_sync_free(struct vrrp_sync *g);
/* Add vi (sets vi->sync). */
void vrrp_sync_add(struct vrrp_sync *g, struct vrrp_inst *vi);
/* Take vi out (it is going away). */
void vrrp_sync_remove(struct vrrp_sync *g, struct vrrp_inst *vi);

/* Member vi moved from old: move the others, update the group's state. */
void vrrp_sync_member_changed(struct vrrp_sync *g, const struct vrrp_fsm *f,
    struct vrrp_inst *vi, enum vrrp_state old, vrrp_sync_changed_fn *cb,
    void *arg);
/* A member's own fault (tracking, interface) may have changed: hold or
 * free the others (group_fault) and let each follow. */
void vrrp_sync_faults(struct vrrp_sync *g, const struct vrrp_fsm *f,
    const char *why);

#endif

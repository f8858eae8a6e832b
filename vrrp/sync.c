/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Sync groups (vrrp/sync.h).
 */
#include "autoconfig.h"

#include <stdio.h>
#include <stdlib.h>

#include "log.h"
#include "vrrp/config.h"
#include "vrrp/sync.h"

struct vrrp_sync *
vrrp_sync_new(const struct vrrp_sync_group_conf *c)
{
	struct vrrp_sync *g = calloc(1, sizeof(*g));

	if (g == NULL)
		return NULL;
	g->members = calloc(c->members.n > 0 ? c->members.n : 1,
	    sizeof(*g->members));
	if (g->members == NULL) {
		free(g);
		return NULL;
	}
	g->conf = c;
	g->name = c->name;
	g->state = VRRP_STATE_INIT;
	return g;
}

void
vrrp_sync_free(struct vrrp_sync *g)
{
	if (g == NULL)
		return;
	for (unsigned i = 0; i < g->n; i++)
		if (g->members[i]->sync == g)
			g->members[i]->sync = NULL;
	free(g->members);
	free(g);
}

void
vrrp_sync_add(struct vrrp_sync *g, struct vrrp_inst *vi)
{
	if (g->n >= g->conf->members.n)
		return;
	g->members[g->n++] = vi;
	vi->sync = g;
}

void
vrrp_sync_remove(struct vrrp_sync *g, struct vrrp_inst *vi)
{
	for (unsigned i = 0; i < g->n; i++)
		if (g->members[i] == vi) {
			g->members[i] = g->members[--g->n];
			break;
		}
	if (vi->sync == g)
		vi->sync = NULL;
}

static int
own_fault(const struct vrrp_inst *vi)
{
	return vi->track_fault || vi->if_fault;
}

static enum vrrp_state
group_state(const struct vrrp_sync *g)
{
	unsigned masters = 0, started = 0;

	for (unsigned i = 0; i < g->n; i++) {
		enum vrrp_state s = g->members[i]->state;

		if (s == VRRP_STATE_FAULT)
			return VRRP_STATE_FAULT;
		if (s == VRRP_STATE_MASTER)
			masters++;
		if (s == VRRP_STATE_MASTER || s == VRRP_STATE_BACKUP)
			started++;
	}
	if (started == 0)
		return g->state;
	return masters == g->n ? VRRP_STATE_MASTER : VRRP_STATE_BACKUP;
}

static void
group_update(struct vrrp_sync *g, const char *why, vrrp_sync_changed_fn *cb,
    void *arg)
{
	enum vrrp_state old = g->state, now = group_state(g);

	if (now == old)
		return;
	g->state = now;
	snprintf(g->why, sizeof(g->why), "%s", why);
	log_info("sync group %s: %s -> %s: %s", g->name,
	    vrrp_state_name(old), vrrp_state_name(now), g->why);
	log_info("(%s) Syncing instances to %s state", g->name,
	    vrrp_state_name(now));
	if (cb != NULL)
		cb(arg, g, old);
}

void
vrrp_sync_member_changed(struct vrrp_sync *g, const struct vrrp_fsm *f,
    struct vrrp_inst *vi, enum vrrp_state old, vrrp_sync_changed_fn *cb,
    void *arg)
{
	char why[VRRP_WHY_LEN];

	if (g->moving) {
		return;
	}
	g->moving = 1;
	snprintf(why, sizeof(why), "sync group %s: %s is %s", g->name,
	    vi->name, vrrp_state_name(vi->state));
	if (vi->state == VRRP_STATE_MASTER) {
		for (unsigned i = 0; i < g->n; i++)
			if (g->members[i] != vi)
				vrrp_fsm_force(f, g->members[i],
				    VRRP_STATE_MASTER, why,
				    vi->master_reason);
	} else if (vi->state == VRRP_STATE_BACKUP &&
	    old == VRRP_STATE_MASTER) {
		for (unsigned i = 0; i < g->n; i++)
			if (g->members[i] != vi)
				vrrp_fsm_force(f, g->members[i],
				    VRRP_STATE_BACKUP, why,
				    VRRP_REASON_NOT_MASTER);
	}
	g->moving = 0;
	group_update(g, why, cb, arg);
}

void
vrrp_sync_faults(struct vrrp_sync *g, const struct vrrp_fsm *f,
    const char *why)
{
	(void)why;
	for (unsigned i = 0; i < g->n; i++) {
		struct vrrp_inst *m = g->members[i];
		const struct vrrp_inst *cause = NULL;

		for (unsigned j = 0; j < g->n && cause == NULL; j++)
			if (j != i && own_fault(g->members[j]))
				cause = g->members[j];
		m->group_fault = cause != NULL;
		if (cause != NULL && !own_fault(m))
			snprintf(m->fault_why, sizeof(m->fault_why),
			    "sync group %s: %s is in FAULT", g->name,
			    cause->name);
	}
	for (unsigned i = 0; i < g->n; i++)
		vrrp_fsm_update(f, g->members[i], why);
}

/* vi alone, or every member of its group. */
static unsigned
with_group(struct vrrp_inst *vi, struct vrrp_inst ***v)
{
	if (vi->sync != NULL && vi->sync->n > 0) {
		*v = vi->sync->members;
		return vi->sync->n;
	}
	*v = NULL;
	return 1;
}

void
vrrp_sync_force_backup(const struct vrrp_fsm *f, struct vrrp_inst *vi,
    const char *why)
{
	struct vrrp_inst **v;
	unsigned n = with_group(vi, &v);

	/* all held first, so that a group move cannot take one to MASTER,
	 * and every MASTER sends its priority 0 advert */
	for (unsigned i = 0; i < n; i++)
		(v != NULL ? v[i] : vi)->forced_backup = 1;
	vrrp_fsm_force_backup(f, vi, why);
	for (unsigned i = 0; i < n; i++)
		vrrp_fsm_force_backup(f, v != NULL ? v[i] : vi, why);
}

void
vrrp_sync_release(const struct vrrp_fsm *f, struct vrrp_inst *vi,
    const char *why)
{
	struct vrrp_inst **v;
	unsigned n = with_group(vi, &v);

	/* all free first, so that a group move to MASTER is followed */
	for (unsigned i = 0; i < n; i++)
		(v != NULL ? v[i] : vi)->forced_backup = 0;
	for (unsigned i = 0; i < n; i++)
		vrrp_fsm_release(f, v != NULL ? v[i] : vi, why);
}

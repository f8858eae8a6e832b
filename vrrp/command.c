/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The VRRP child's runtime commands (vigilctl vrrp ...), and the
 * overrides the parent hands a respawned child:
 *
 *   force-backup INSTANCE   a MASTER sends a priority 0 advert (its peer
 *                           takes over after Skew_Time) and the instance
 *                           stays BACKUP until released; a sync group
 *                           member takes its whole group with it
 *   release INSTANCE        undo it (the group too)
 *   set-priority INSTANCE P the base priority, 1-254 (SNMP's
 *                           vrrpInstanceBasePriority), tracking on top
 *   set-preempt INSTANCE on|off
 *                           preempt a lower priority master or not
 *                           (vrrpInstancePreempt)
 *
 * The parent records them as an IPC_OBJ_OVERRIDE record of kind
 * vrrp_instance (IPC_OBJ_FORCED_BACKUP, IPC_OBJ_PRIORITY with the priority
 * in weight, IPC_OBJ_PREEMPT_ON / _OFF; docs/state.md) and hands it back
 * to a respawned child. A reload that changes the instance drops its
 * priority and preemption (the new configuration decides; the parent is
 * told) but keeps a force-backup until released.
 */
#include "autoconfig.h"

#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "loop.h"
#include "proc.h"
#include "vrrp/config.h"
#include "vrrp/engine_priv.h"

/* A MASTER hears its backups only while they are master or starting:
 * an advert from another router within this long counts as a peer seen
 * recently. */
#define PEER_RECENT_USEC (600ULL * 1000000)

#define WHY_FORCED "forced to backup by vigilctl"

/* vi alone, or the members of its sync group. */
static unsigned
members_of(struct vrrp_inst *vi, struct vrrp_inst ***v)
{
	if (vi->sync != NULL && vi->sync->n > 0) {
		*v = vi->sync->members;
		return vi->sync->n;
	}
	*v = NULL;
	return 1;
}

static struct vrrp_inst *
member(struct vrrp_inst *vi, struct vrrp_inst **v, unsigned i)
{
	return v != NULL ? v[i] : vi;
}

static void
report(struct vrrp_engine *e, struct vrrp_inst *vi)
{
	struct vrrp_inst **v;
	unsigned n = members_of(vi, &v);

	for (unsigned i = 0; i < n; i++)
		vrrp_action_report(e, member(vi, v, i));
	if (e->env->proc != NULL)
		proc_state_flush(e->env->proc);
}

static void
tell_forced(const struct vrrp_inst *m, enum vrrp_state was, FILE *out)
{
	uint64_t now = loop_now_usec();

	if (was == VRRP_STATE_MASTER)
		fprintf(out, "%s: MASTER -> BACKUP: priority 0 advert sent, a "
		    "backup takes over within %.2f s\n", m->name,
		    (double)vrrp_inst_skew(m) / 1e6);
	else if (was == VRRP_STATE_BACKUP)
		fprintf(out, "%s: BACKUP, held there\n", m->name);
	else
		fprintf(out, "%s: %s now; it comes up as BACKUP\n", m->name,
		    vrrp_state_name(m->state));
	if (was == VRRP_STATE_MASTER && (m->peer_heard == 0 ||
	    now - m->peer_heard > PEER_RECENT_USEC))
		fprintf(out, "warning: %s has heard no other VRRP router in "
		    "the last %llu s: if no backup is listening, no master "
		    "will remain\n", m->name,
		    (unsigned long long)(PEER_RECENT_USEC / 1000000));
	else if (was == VRRP_STATE_BACKUP && m->forced_alone)
		fprintf(out, "warning: %s hears no master now: none will "
		    "remain on this side until released\n", m->name);
}

static int
cmd_force(struct vrrp_engine *e, struct vrrp_inst *vi, FILE *out)
{
	struct vrrp_inst **v;
	unsigned n = members_of(vi, &v), held = 0;
	enum vrrp_state *was;

	for (unsigned i = 0; i < n; i++)
		held += member(vi, v, i)->forced_backup != 0;
	if (held == n) {
		fprintf(out, "%s is already forced to backup\n", vi->name);
		return IPC_CMD_OK;
	}
	if ((was = calloc(n, sizeof(*was))) == NULL) {
		fprintf(out, "out of memory\n");
		return IPC_CMD_EFAIL;
	}
	for (unsigned i = 0; i < n; i++)
		was[i] = member(vi, v, i)->state;
	if (vi->sync != NULL)
		fprintf(out, "sync group %s moves with %s\n", vi->sync->name,
		    vi->name);
	vrrp_sync_force_backup(&e->fsm, vi, WHY_FORCED);
	for (unsigned i = 0; i < n; i++)
		tell_forced(member(vi, v, i), was[i], out);
	free(was);
	report(e, vi);
	return IPC_CMD_OK;
}

static int
cmd_release(struct vrrp_engine *e, struct vrrp_inst *vi, FILE *out)
{
	struct vrrp_inst **v;
	unsigned n = members_of(vi, &v), held = 0;

	for (unsigned i = 0; i < n; i++)
		held += member(vi, v, i)->forced_backup != 0;
	if (held == 0) {
		fprintf(out, "%s was not forced to backup\n", vi->name);
		return IPC_CMD_OK;
	}
	vrrp_sync_release(&e->fsm, vi, "released by vigilctl");
	for (unsigned i = 0; i < n; i++) {
		struct vrrp_inst *m = member(vi, v, i);

		fprintf(out, "%s: released, %s%s\n", m->name,
		    vrrp_state_name(m->state), m->state == VRRP_STATE_BACKUP &&
		    vrrp_inst_preempt(m) && m->master_prio > 0 &&
		    m->master_prio < m->prio ? " (preempting the lower "
		    "priority master when its down timer expires)" : "");
	}
	report(e, vi);
	return IPC_CMD_OK;
}

/*
 * The runtime base priority p (1-254) of vi, not the address owner, and
 * preemption: the fields only (the hand-over sets them before the
 * instances start); a command then reports and updates.
 */
static void
set_priority(struct vrrp_inst *vi, unsigned p, const char *why)
{
	unsigned old = vi->base_prio;

	vi->base_prio = p;
	vi->prio_set = 1;
	vrrp_inst_set_tracking(vi, vi->track_fault, vi->track_delta, NULL);
	log_info("%s: base priority %u -> %u (%s); effective %u", vi->name,
	    old, p, why, vi->prio);
}

static void
set_preempt(struct vrrp_inst *vi, int on, const char *why)
{
	vi->preempt_set = on ? 1 : 2;
	log_info("%s: preemption %s (%s)", vi->name, on ? "on" : "off", why);
}

static int
cmd_priority(struct vrrp_engine *e, struct vrrp_inst *vi, const char *arg,
    FILE *out)
{
	char *end;
	long p = strtol(arg, &end, 10);
	unsigned old = vi->base_prio;

	if (end == arg || *end != '\0' || p < 1 || p > VRRP_PRIO_OWNER - 1) {
		fprintf(out, "set-priority: priority '%s' is not a number "
		    "from 1 to %d\n", arg, VRRP_PRIO_OWNER - 1);
		return IPC_CMD_EUSAGE;
	}
	if (old == VRRP_PRIO_OWNER) {
		fprintf(out, "set-priority: %s is the address owner "
		    "(priority 255); its priority stays\n", vi->name);
		return IPC_CMD_EFAIL;
	}
	set_priority(vi, (unsigned)p, "runtime command");
	vrrp_action_report(e, vi);
	vrrp_engine_update(e, "priority set");
	fprintf(out, "%s: base priority %u -> %ld, effective %u\n", vi->name,
	    old, p, vi->prio);
	return IPC_CMD_OK;
}

static int
cmd_preempt(struct vrrp_engine *e, struct vrrp_inst *vi, const char *arg,
    FILE *out)
{
	int on;

	if (strcmp(arg, "on") == 0)
		on = 1;
	else if (strcmp(arg, "off") == 0)
		on = 0;
	else {
		fprintf(out, "set-preempt: expected on or off, got '%s'\n",
		    arg);
		return IPC_CMD_EUSAGE;
	}
	set_preempt(vi, on, "runtime command");
	vrrp_action_report(e, vi);
	vrrp_engine_update(e, "preemption set");
	fprintf(out, "%s: preemption %s\n", vi->name, on ? "on" : "off");
	return IPC_CMD_OK;
}

/* keepalived's STATS_CLEAR: every instance's counters back to 0 (the
 * parent wrote the statistics file before asking), reported at once. */
static int
cmd_stats_clear(struct vrrp_engine *e, FILE *out)
{
	unsigned n = 0;

	for (struct vrrp_inst *vi = e->insts; vi != NULL; vi = vi->next) {
		vi->rx = vi->tx = vi->tx_dropped = vi->became_master = 0;
		vi->released_master = 0;
		vi->transitions = vi->prio0_tx = vi->prio0_rx = 0;
		memset(vi->drops, 0, sizeof(vi->drops));
		vrrp_action_report(e, vi);
		n++;
	}
	fprintf(out, "statistics of %u instance(s) cleared\n", n);
	return IPC_CMD_OK;
}

int
vrrp_engine_command(struct vrrp_engine *e, int argc,
    const char *const argv[], FILE *out)
{
	int force_cmd = 0, nargs = 2;
	struct vrrp_inst *vi;

	if (argc < 1)
		return IPC_CMD_EUSAGE;
	if (strcmp(argv[0], "stats-clear") == 0) {
		if (argc != 1) {
			fprintf(out, "usage: stats-clear\n");
			return IPC_CMD_EUSAGE;
		}
		return cmd_stats_clear(e, out);
	}
	if (strcmp(argv[0], "force-backup") == 0)
		force_cmd = 1;
	else if (strcmp(argv[0], "release") == 0)
		force_cmd = 0;
	else if (strcmp(argv[0], "set-priority") == 0 ||
	    strcmp(argv[0], "set-preempt") == 0)
		nargs = 3;
	else {
		fprintf(out, "the VRRP child has no command %s\n", argv[0]);
		return IPC_CMD_EUNKNOWN;
	}
	if (argc != nargs) {
		fprintf(out, "usage: %s INSTANCE%s\n", argv[0],
		    nargs == 2 ? "" : strcmp(argv[0], "set-priority") == 0 ?
		    " PRIORITY" : " on|off");
		return IPC_CMD_EUSAGE;
	}
	if ((vi = vrrp_engine_inst(e, argv[1])) == NULL) {
		fprintf(out, "no VRRP instance named %s\n", argv[1]);
		return IPC_CMD_ENOENT;
	}
	if (e->stopping) {
		fprintf(out, "the VRRP child is stopping\n");
		return IPC_CMD_EFAIL;
	}
	if (nargs == 3)
		return strcmp(argv[0], "set-priority") == 0 ?
		    cmd_priority(e, vi, argv[2], out) :
		    cmd_preempt(e, vi, argv[2], out);
	return force_cmd ? cmd_force(e, vi, out) : cmd_release(e, vi, out);
}

#define WHY_KEPT "runtime command, kept by vigild across the restart"

void
vrrp_command_handover(struct vrrp_engine *e, const struct proc_handover *h)
{
	const char *p;
	size_t left;
	struct ipc_obj o;

	if (h == NULL || h->data == NULL)
		return;
	p = h->data;
	left = h->len;
	while (ipc_obj_next(&p, &left, &o) > 0) {
		struct vrrp_inst *vi;

		if (!(o.flags & IPC_OBJ_OVERRIDE) ||
		    !(o.flags & (IPC_OBJ_FORCED_BACKUP |
		    IPC_OBJ_VRRP_SETTINGS)) ||
		    strcmp(o.kind, "vrrp_instance") != 0)
			continue;
		if ((vi = vrrp_engine_inst(e, o.name)) == NULL) {
			log_warn("%s: changed by vigilctl, but no such "
			    "instance now: override ignored", o.name);
			continue;
		}
		if ((o.flags & IPC_OBJ_PRIORITY) && o.weight >= 1 &&
		    o.weight < VRRP_PRIO_OWNER &&
		    vi->base_prio != VRRP_PRIO_OWNER)
			set_priority(vi, (unsigned)o.weight, WHY_KEPT);
		if (o.flags & (IPC_OBJ_PREEMPT_ON | IPC_OBJ_PREEMPT_OFF))
			set_preempt(vi, (o.flags & IPC_OBJ_PREEMPT_ON) != 0,
			    WHY_KEPT);
		if (!(o.flags & IPC_OBJ_FORCED_BACKUP))
			continue;
		log_info("%s: forced to backup by vigilctl (kept by vigild "
		    "across the restart)", vi->name);
		vrrp_sync_force_backup(&e->fsm, vi, WHY_FORCED);
	}
}

void
vrrp_command_settings_dropped(struct vrrp_engine *e, struct vrrp_inst *vi)
{
	struct proc *p = e->env->proc;
	struct ipc_obj o;

	if (!vi->prio_set && vi->preempt_set == 0)
		return;
	log_info("%s: the new configuration replaces the runtime %s%s%s",
	    vi->name, vi->prio_set ? "priority" : "",
	    vi->prio_set && vi->preempt_set != 0 ? " and " : "",
	    vi->preempt_set != 0 ? "preemption" : "");
	if (vi->prio_set) {
		vi->prio_set = 0;
		vi->base_prio = vi->conf->p.priority;
		vrrp_inst_set_tracking(vi, vi->track_fault, vi->track_delta,
		    NULL);
	}
	vi->preempt_set = 0;
	if (p == NULL)
		return;
	memset(&o, 0, sizeof(o));
	o.kind = "vrrp_instance";
	o.name = vi->name;
	o.state = o.detail = o.attrs = "";
	o.flags = IPC_OBJ_OVERRIDE | IPC_OBJ_VRRP_SETTINGS;
	o.weight = IPC_OBJ_NO_WEIGHT;
	o.generation = proc_generation(p);
	proc_state_add(p, &o);
}

void
vrrp_command_sync_groups(struct vrrp_engine *e)
{
	for (struct vrrp_sync *g = e->syncs; g != NULL; g = g->next)
		for (unsigned i = 0; i < g->n; i++)
			if (g->members[i]->forced_backup) {
				vrrp_sync_force_backup(&e->fsm,
				    g->members[i], WHY_FORCED
				    " (with its sync group)");
				break;
			}
}

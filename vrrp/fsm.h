/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The VRRP state machine (RFC 5798 6.4, RFC 3768 6.4, with keepalived's
 * FAULT state): one function per event. It touches nothing itself: what
 * it does to the world (send an advert, arm a timer, add or remove the
 * VIPs, report a transition) goes through struct vrrp_fsm_ops, so that it
 * can be driven without sockets or a kernel (tests/unit/test_vrrp_fsm.c).
 *
 * Every transition is logged with vigil's reason and keepalived's phrase:
 *   VI_1: BACKUP -> MASTER: master down timer expired (3.61 s)
 *   (VI_1) Entering MASTER STATE
 */
#ifndef VIGIL_VRRP_FSM_H
#define VIGIL_VRRP_FSM_H

#include <stdint.h>

#include "vrrp/instance.h"

struct vrrp_fsm_ops {
	/* monotonic usec now */
	uint64_t (*now)(void *arg);
	/* send one advertisement with prio (0 on stop) */
	void (*send_advert)(void *arg, struct vrrp_inst *vi, unsigned prio);
	/* (re)arm the advert timer to fire every usec; 0 stops it */
	void (*adver_timer)(void *arg, struct vrrp_inst *vi, uint64_t usec);
	/* (re)arm the master down timer once after usec; 0 stops it */
	void (*down_timer)(void *arg, struct vrrp_inst *vi, uint64_t usec);
	/* add (1) or remove (0) the VIPs, routes and rules */
	void (*vips)(void *arg, struct vrrp_inst *vi, int add);
	/* announce the VIPs (GARP / NA with delay, repeat, refresh) */
	void (*announce)(void *arg, struct vrrp_inst *vi);
	/* a lower priority master was heard while we are MASTER
	 * (garp_lower_prio_*, notify_master_rx_lower_pri) */
	void (*lower_prio)(void *arg, struct vrrp_inst *vi);
	/* vi moved from old to vi->state, vi->why says why */
	void (*changed)(void *arg, struct vrrp_inst *vi, enum vrrp_state old);
};

/* What a valid advertisement told an instance. */
struct vrrp_fsm_adv {
	unsigned priority;
	unsigned adver_int;		/* centiseconds */
	struct vg_addr src;
};

/* Context of the events: the ops and their argument. */
struct vrrp_fsm {
	const struct vrrp_fsm_ops *ops;
	void *arg;
	/*
	 * vigild -X (--release-vips): an instance that goes to BACKUP or
	 * FAULT without keeping its VIPs, stops (unless keep, -V) or is
	 * removed asks ops->vips to remove them whether it holds them or not:
	 * no address of a non-MASTER instance stays, one added by hand or
	 * left from an earlier run included. Without it only the VIPs it
	 * holds (vips_held) are removed.
	 */
	int release_vips;
};

/*
 * Initialize (RFC 5798 6.4.1): FAULT if something says so; MASTER if the
 * configuration says state MASTER and we own the addresses (priority
 * 255); else BACKUP with the master down timer running. adopt: our VIPs
 * are already in the kernel (a respawned child, vigild restarted after
 * -V): keep them while the down timer runs.
 */
void vrrp_fsm_start(const struct vrrp_fsm *f, struct vrrp_inst *vi,
    int adopt);
/* Master_Down_Timer fired (BACKUP). */
void vrrp_fsm_down_timer(const struct vrrp_fsm *f, struct vrrp_inst *vi);
/* Adver_Timer fired (MASTER): send an advert. */
void vrrp_fsm_adver_timer(const struct vrrp_fsm *f, struct vrrp_inst *vi);
/* A valid advertisement arrived. */
void vrrp_fsm_recv(const struct vrrp_fsm *f, struct vrrp_inst *vi,
    const struct vrrp_fsm_adv *adv);
/*
 * The instance's priority or fault changed (tracking, interface, sync
 * group): enter or leave FAULT; a new priority takes effect at the next
 * advert (MASTER) or election (BACKUP). why: the cause, for the log.
 */
void vrrp_fsm_update(const struct vrrp_fsm *f, struct vrrp_inst *vi,
    const char *why);
/* The sync group moves its members: to MASTER or BACKUP (FAULT goes
 * through group_fault and vrrp_fsm_update). A member moved to MASTER
 * takes reason, the mover's (keepalived: its newMasterReason). */
void vrrp_fsm_force(const struct vrrp_fsm *f, struct vrrp_inst *vi,
    enum vrrp_state to, const char *why, enum vrrp_master_reason reason);
/*
 * vigilctl vrrp force-backup: a MASTER sends a priority 0 advert (the
 * backup takes over after Skew_Time) and goes to BACKUP. Until released
 * the instance stays BACKUP: it never preempts, never takes over when
 * the master goes, and a sync group cannot move it to MASTER; in FAULT or
 * INIT it comes up as BACKUP. why is logged ("forced to backup by
 * vigilctl").
 */
void vrrp_fsm_force_backup(const struct vrrp_fsm *f, struct vrrp_inst *vi,
    const char *why);
/*
 * Undo it (clears forced_backup, which a sync group's mover may have
 * cleared for every member first): a BACKUP that found no master (its down timer ran out while
 * forced) becomes MASTER at once; else the election runs as the RFC says
 * (a lower priority master is preempted when the down timer expires,
 * unless nopreempt).
 */
void vrrp_fsm_release(const struct vrrp_fsm *f, struct vrrp_inst *vi,
    const char *why);
/*
 * Stop: a MASTER sends a priority 0 advert (unless keep) and removes its
 * VIPs (unless keep; with release_vips whatever the state, unless keep);
 * timers stop; the state becomes STOP.
 */
void vrrp_fsm_stop(const struct vrrp_fsm *f, struct vrrp_inst *vi, int keep,
    const char *why);
/* The advert interval changed (reload): re-arm what runs. */
void vrrp_fsm_retime(const struct vrrp_fsm *f, struct vrrp_inst *vi);

#endif

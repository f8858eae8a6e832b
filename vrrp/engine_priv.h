/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Inside the VRRP engine: its context, shared by engine.c (life cycle,
 * events from the kernel and tracking) and action.c (what the state
 * machine does to the world). */
#ifndef VIGIL_VRRP_ENGINE_PRIV_H
#define VIGIL_VRRP_ENGINE_PRIV_H

#include "vrrp/engine.h"
#include "vrrp/fsm.h"
#include "vrrp/instance.h"
#include "vrrp/sync.h"

struct loop_timer;
struct vrrp_arp;
struct vrrp_conf;
struct vrrp_ifaces;
struct vrrp_kernel;
struct vrrp_notify;
struct vrrp_socks;
struct vrrp_track;
struct vrrp_work;

struct vrrp_engine {
	const struct proc_env *env;
	const struct vigil_config *cfg;
	const struct vrrp_conf *conf;
	struct vrrp_fsm fsm;
	struct vrrp_inst *insts;
	unsigned ninsts;
	struct vrrp_sync *syncs;
	struct vrrp_socks *socks;
	struct vrrp_ifaces *ifaces;
	struct vrrp_kernel *kernel;
	struct vrrp_arp *arp;
	struct vrrp_track *track;
	struct vrrp_notify *notify;
	struct vrrp_work *work;		/* slow work, in slices */
	struct loop_timer *startup;	/* vrrp_startup_delay */
	int starting;			/* instances wait for it */
	int keep_on_stop;		/* -V */
	int stopping;
	uint64_t restored;		/* VIPs put back after a hand removal */
};

/* The child's timers of one instance (vi->timers). */
struct vrrp_timers {
	struct vrrp_engine *e;
	struct vrrp_inst *vi;
	struct loop_timer *adver, *down, *garp;
	unsigned garp_round;
};

extern const struct vrrp_fsm_ops vrrp_engine_ops;

/* action.c */
int vrrp_action_timers_new(struct vrrp_engine *e, struct vrrp_inst *vi);
void vrrp_action_timers_free(struct vrrp_inst *vi);
/* Report vi's state to the parent (ipc state record). */
void vrrp_action_report(struct vrrp_engine *e, struct vrrp_inst *vi);
void vrrp_action_report_group(struct vrrp_engine *e, struct vrrp_sync *g);
/* Put back VIP a of vi (removed by hand while MASTER). */
int vrrp_action_vip_restore(struct vrrp_engine *e, struct vrrp_inst *vi,
    const struct vg_addr *a, int ifindex);
/* The group vi's adverts go to and its socket joins: mcast_dst, else
 * vrrp_mcast_group4/6. */
const struct vg_addr *vrrp_action_group(const struct vrrp_engine *e,
    const struct vrrp_inst *vi);
/* The interface index an address item lives on. */
int vrrp_action_ifindex(const struct vrrp_engine *e,
    const struct vrrp_inst *vi, const char *dev);
/* Add or remove vi's VIPs, routes and rules (of vi->conf when it runs)
 * through the work queue, after what vi has queued already. */
void vrrp_action_vips_queue(struct vrrp_engine *e, struct vrrp_inst *vi,
    int add);
/* Run one item of the work queue (vrrp/work.h). */
void vrrp_action_work(void *arg, void *owner, int kind, int a, int b);
/* Add or remove the VIPs, routes and rules of c (MASTER in a reload). */
void vrrp_action_vips_conf(struct vrrp_engine *e, struct vrrp_inst *vi,
    const struct vrrp_instance_conf *c, int add);

/* process.c: global_defs for the child's process; warnings for what the
 * engine does not do yet */
void vrrp_process_apply(const struct vrrp_conf *c);
void vrrp_process_warn(const struct vrrp_instance_conf *i);
void vrrp_process_warn_globals(const struct vrrp_conf *c);

#endif

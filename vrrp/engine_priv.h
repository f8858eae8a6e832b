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
struct vrrp_fw;
struct vrrp_pace;
struct vrrp_iface;
struct vrrp_notify;
struct vrrp_socks;
struct vrrp_track;
struct vrrp_work;
struct vrrp_syncd;

/* A name of a VMAC or ipvlan of the configuration (engine_link.c): an
 * instance's own link (base NULL), or a VMAC of its VIPs on base carrying
 * mac. */
struct vrrp_link_name {
	const struct vrrp_instance_conf *ic;
	const char *base;
	unsigned char mac[6];
	char name[16];
};

struct vrrp_engine {
	const struct proc_env *env;
	const struct vigil_config *cfg;
	const struct vrrp_conf *conf;
	struct vrrp_fsm fsm;
	struct vrrp_inst *insts;
	unsigned ninsts;
	struct clash_ent *clash;	/* vrrp_engine_clash_check's */
	size_t clash_cap;
	struct vrrp_sync *syncs;
	struct vrrp_socks *socks;
	struct vrrp_ifaces *ifaces;
	struct vrrp_kernel *kernel;
	struct vrrp_arp *arp;
	struct vrrp_pace *pace;		/* GARP / NA pacing */
	struct vrrp_track *track;
	/* the names of conf's VMACs and ipvlans (engine_link.c), in the
	 * order of its instances and their VIPs that take one */
	const struct vrrp_conf *link_names_of;
	struct vrrp_link_name *link_names;
	unsigned nlink_names;
	struct vrrp_notify *notify;
	struct vrrp_work *work;		/* slow work, in slices */
	struct vrrp_fw *fw;		/* VIP firewalling, when wanted */
	struct vrrp_syncd *syncd;	/* lvs_sync_daemon, once configured */
	struct loop_timer *startup;	/* vrrp_startup_delay */
	/* interfaces whose addresses changed since the instances' source
	 * addresses were last looked at (engine.c, on_addr_settle) */
	struct loop_timer *addr_settle;
#define ADDR_DIRTY_MAX 16
	int addr_dirty[ADDR_DIRTY_MAX];
	unsigned addr_ndirty;
	int addr_dirty_all, addr_deleted;
	int starting;			/* instances wait for it */
	/* a reload under way in parts (engine_reload.c), or a start
	 * (engine.c): until its last part, tracking changes wait for it and
	 * no instance starts */
	struct vrrp_reload *reloading;
	struct vrrp_start *adding;
	int keep_on_stop;		/* -V */
	int stopping;
	uint64_t restored;		/* VIPs put back after a hand removal */
	/* adverts sent by the advert timer: how many, the latest against
	 * their schedule (usec), how many over 1 ms late */
	uint64_t adv_timed, adv_late_max, adv_late_1ms;
	/* the longest master down timer's run (usec), and when (monotonic
	 * usec) one last waited for the child to block first
	 * (vrrp_engine_rt_defer) */
	uint64_t down_cost, down_deferred_at;
};

/* The child's timers of one instance (vi->timers). */
struct vrrp_timers {
	struct vrrp_engine *e;
	struct vrrp_inst *vi;
	struct loop_timer *adver, *down, *garp;
	struct loop_timer *lower;	/* garp_lower_prio_delay */
	struct loop_timer *extra;	/* garp_extra_if */
	unsigned garp_round;
};

extern const struct vrrp_fsm_ops vrrp_engine_ops;

/* action.c */
int vrrp_action_timers_new(struct vrrp_engine *e, struct vrrp_inst *vi);
void vrrp_action_timers_free(struct vrrp_inst *vi);
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
/* The interface index a VIP or eVIP a of vi goes on: its VMAC
 * (vrrp_conf_addr_vmac); on a use_vmac instance's interface (no dev, or
 * dev naming it), the instance's VMAC for its family, the interface for
 * the other; else its dev, else the instance's link. */
struct vrrp_conf_ipaddr;
int vrrp_action_addr_ifindex(const struct vrrp_engine *e,
    const struct vrrp_inst *vi, const struct vrrp_conf_ipaddr *a);
/* Add or remove vi's VIPs, routes and rules (of vi->conf when it runs)
 * through the work queue, after what vi has queued already. */
void vrrp_action_vips_queue(struct vrrp_engine *e, struct vrrp_inst *vi,
    int add);
/* Whether c's VIPs are firewalled while held: accept mode off (no_accept,
 * or vrrp_strict / strict_mode's default) and not the address owner. */
/* The families of c's VIPs and eVIPs (VRRP_IPT_V4 | VRRP_IPT_V6). */
unsigned vrrp_action_fams(const struct vrrp_instance_conf *c);
int vrrp_action_blocks(const struct vrrp_engine *e,
    const struct vrrp_instance_conf *c);
/* Put the VIPs of c (run by vi) in the firewall's sets if c blocks them
 * (add), or take them out; one VIP a of vi. */
struct vrrp_conf_ipaddr;
void vrrp_action_block(struct vrrp_engine *e, const struct vrrp_inst *vi,
    const struct vrrp_instance_conf *c, int add);
void vrrp_action_block_addr(struct vrrp_engine *e, const struct vrrp_inst *vi,
    const struct vrrp_conf_ipaddr *a, int add);
/* Make, remake or remove the firewall (vrrp/fw.h) as the configuration wants
 * it; a new one gets the VIPs held now. */
void vrrp_action_fw_sync(struct vrrp_engine *e);
/* Announce vi's VIPs (GARP / NA rounds from the first) as queued work. */
void vrrp_action_announce_queue(struct vrrp_engine *e, struct vrrp_inst *vi);
/* Run one item of the work queue (vrrp/work.h). */
void vrrp_action_work(void *arg, void *owner, int kind, int a, int b);
/* Name the queue's item kinds for the data dump. */
void vrrp_action_work_names(struct vrrp_work *w);
/* Add or remove the VIPs, routes and rules of c (MASTER in a reload). */
void vrrp_action_vips_conf(struct vrrp_engine *e, struct vrrp_inst *vi,
    const struct vrrp_instance_conf *c, int add);

/* report.c: vi's state to the parent (ipc state record with the attrs
 * of docs/state.md; vrrp_report_attrs builds them) */
struct ipc_attrs;
void vrrp_action_report(struct vrrp_engine *e, struct vrrp_inst *vi);
void vrrp_action_report_group(struct vrrp_engine *e, struct vrrp_sync *g);
void vrrp_report_attrs(const struct vrrp_engine *e,
    const struct vrrp_inst *vi, struct ipc_attrs *a);

/* engine.c, for engine_reload.c: an instance for c (resolved, attached,
 * tracked; not started), one taken out (keep: its VMAC stays), found by
 * its configuration; the sync groups rebuilt; tracking re-read (1 if the
 * priority or the fault changed); the state machines following what
 * changed (why: for the log) */
struct vrrp_instance_conf;
struct vrrp_inst *vrrp_engine_inst_add(struct vrrp_engine *e,
    const struct vrrp_instance_conf *c);
void vrrp_engine_inst_remove(struct vrrp_engine *e, struct vrrp_inst *vi,
    int keep);
int vrrp_engine_syncs_build(struct vrrp_engine *e);
/* A reload in parts given up (the engine stops). */
struct vrrp_reload;
void vrrp_engine_reload_free(struct vrrp_reload *rl);
int vrrp_engine_inst_track(struct vrrp_engine *e, struct vrrp_inst *vi);
/* Tell the trackers the state of every link a track_interface line names
 * (the interface view reports changes only), at start and reload. */
void vrrp_engine_track_links(struct vrrp_engine *e);
void vrrp_engine_link_delays(struct vrrp_engine *e);
/* The default link names' memory (the engine stops). */
void vrrp_engine_link_names_free(struct vrrp_engine *e);
void vrrp_engine_update(struct vrrp_engine *e, const char *why);
/* Multicast instances of one family, VRID and group on one wire (an
 * interface, and macvlans or ipvlans over it it did not make) would take
 * each other's adverts for a peer's: one gives way in FAULT (clash_fault)
 * until the links change, as keepalived 2.2.7 with allow_if_changes. The
 * configuration check catches one interface named twice; what shares a
 * lower link is known only from the kernel's view, and moves with it. */
void vrrp_engine_clash_check(struct vrrp_engine *e);
/* Start what waits (new instances, and those whose weight-0 scripts had
 * not reported yet: keepalived keeps them in INIT until they do) from vi
 * on, for about budget usec (at least one instance looked at; UINT64_MAX:
 * all): the next instance to look at, or NULL once all were (a start or
 * a reload in parts). */
struct vrrp_inst *vrrp_engine_start_from(struct vrrp_engine *e,
    struct vrrp_inst *vi, uint64_t budget);
/* Under vrrp_rt_priority, before a master down timer t runs its
 * transition: 1 if it waits (t armed again, VRRP_RT_PAUSE_USEC) because
 * the child would run too long without blocking (vrrp_engine_pause: a
 * mass takeover, every instance's timer due at once), 0 to run it now;
 * then how long it took (usec). */
struct loop_timer;
int vrrp_engine_rt_defer(struct vrrp_engine *e, struct loop_timer *t);
void vrrp_engine_rt_took(struct vrrp_engine *e, uint64_t usec);
/* engine.c: lvs_sync_daemon follows the configuration (start, reload);
 * vi changed state (the daemon follows it if vi is the one named) */
void vrrp_engine_syncd_apply(struct vrrp_engine *e);
void vrrp_engine_syncd_follow(struct vrrp_engine *e, struct vrrp_inst *vi);
/* engine.c: vi's interface, source address and socket's interface from
 * the kernel view (its child link made if it wants one); its socket */
void vrrp_engine_inst_resolve(struct vrrp_engine *e, struct vrrp_inst *vi);
void vrrp_engine_inst_attach(struct vrrp_engine *e, struct vrrp_inst *vi);

/* engine_link.c: the instance's own child link, VMAC (use_vmac) or ipvlan
 * (use_ipvlan), one path for both: made (or adopted) in its interface's
 * VRF; moved with the interface to another VRF; made again when deleted
 * by hand; dropped (deleted) or forgotten (gone with its interface);
 * made again when a reload asks for another one */
void vrrp_engine_link_make(struct vrrp_engine *e, struct vrrp_inst *vi);
void vrrp_engine_link_vrf(struct vrrp_engine *e, struct vrrp_inst *vi);
/* (gone: VRRP_IFACE_DELETED, or VRRP_IFACE_RENAMED: the renamed link
 * deleted, as it is no longer where vi looks for it) */
void vrrp_engine_link_gone(struct vrrp_engine *e, struct vrrp_inst *vi,
    const struct vrrp_iface *ifc, int gone);
void vrrp_engine_link_drop(struct vrrp_engine *e, struct vrrp_inst *vi);
void vrrp_engine_link_forget(struct vrrp_engine *e, struct vrrp_inst *vi);
/* vi's own link dropped (deleted unless another holds it): its interface
 * was renamed, the link stays on it otherwise */
void vrrp_engine_link_own_drop(struct vrrp_engine *e, struct vrrp_inst *vi);
/* Whether an address event on ifindex is vi's link going away (it is
 * down by then): its VIPs come back with it, not one by one. */
int vrrp_engine_link_going(const struct vrrp_engine *e,
    const struct vrrp_inst *vi, int ifindex);
/* A reload: the link vi's new configuration (old: the one before) asks
 * for is made in place of the one there, a MASTER's VIPs moved to it;
 * so are its VIPs' VMACs. */
void vrrp_engine_link_follow(struct vrrp_engine *e, struct vrrp_inst *vi,
    const struct vrrp_instance_conf *old);
/* The VMACs of vi's VIPs (use_vmac on an address, use_vmac_addr), made
 * and dropped with its own link by the calls above: the interface a VIP
 * a of vi goes on (0: not there); a link event ifc for one of them or
 * for the interface one is made on (1 if it was, vi resolved again);
 * their memory (vi goes; after vrrp_engine_link_drop unless kept);
 * vi's VMACs, its own and its VIPs', into the firewall's set. */
int vrrp_engine_link_addr_ifindex(const struct vrrp_engine *e,
    const struct vrrp_inst *vi, const struct vrrp_conf_ipaddr *a);
int vrrp_engine_link_addr_event(struct vrrp_engine *e, struct vrrp_inst *vi,
    const struct vrrp_iface *ifc, int gone);
void vrrp_engine_link_free(struct vrrp_inst *vi);
void vrrp_engine_link_fw(struct vrrp_engine *e, const struct vrrp_inst *vi);
/* engine.c: the instance named name, or NULL */
struct vrrp_inst *vrrp_engine_inst(const struct vrrp_engine *e,
    const char *name);

/* command.c: the overrides of the hand-over (force-backup, priority,
 * preemption), applied
 * before the instances start; after a reload, a sync group with a forced
 * member is forced whole */
struct proc_handover;
void vrrp_command_handover(struct vrrp_engine *e,
    const struct proc_handover *h);
/* A reload changed vi: its runtime priority and preemption (if any) go,
 * and the parent is told to forget them. */
void vrrp_command_settings_dropped(struct vrrp_engine *e,
    struct vrrp_inst *vi);
void vrrp_command_sync_groups(struct vrrp_engine *e);

/* announce.c: gratuitous ARPs / NAs (rounds, lower priority master,
 * pacing) */
void vrrp_announce(struct vrrp_engine *e, struct vrrp_inst *vi);
void vrrp_announce_round(struct vrrp_timers *tm);
void vrrp_announce_lower(struct vrrp_engine *e, struct vrrp_inst *vi);
void vrrp_announce_lower_again(struct vrrp_timers *tm);
void vrrp_announce_extra(struct vrrp_timers *tm);
/* A reload changed vi: garp_extra_if's period starts again (or stops). */
void vrrp_announce_extra_retime(struct vrrp_engine *e, struct vrrp_inst *vi);
/* Timers stopped, what waits to go out dropped (the VIPs go). */
void vrrp_announce_stop(struct vrrp_engine *e, struct vrrp_inst *vi);
/* One announcement of a from ifc, paced. */
void vrrp_announce_addr(struct vrrp_engine *e, const struct vrrp_iface *ifc,
    const struct vg_addr *a);

/* process.c: global_defs for the child's process; warnings for what the
 * engine does not do yet */
struct event_base;
void vrrp_process_apply(struct event_base *base, const struct vrrp_conf *c);
/* The timer vrrp_rt_priority keeps, freed, and the IGMP setting put back
 * (the engine stops). */
void vrrp_process_stop(void);
/* max_auto_priority (from g, global_defs) and min_auto_priority_delay
 * as they are (at start and at each reload); an advert that ran late
 * usec. */
struct global_conf;
void vrrp_process_auto_set(struct event_base *base, const struct vrrp_conf *c,
    const struct global_conf *g);
void vrrp_process_late(uint64_t late);
/* disable_local_igmp as c says (at start and at each reload). */
void vrrp_process_local_igmp(const struct vrrp_conf *c);
/* Under vrrp_rt_priority, before a piece of work of cost usec: run it
 * now, have the loop sleep first, or sleep here first (RLIMIT_RTTIME). */
enum { VRRP_RT_RUN, VRRP_RT_LOOP, VRRP_RT_HERE };
int vrrp_process_rt_need(uint64_t cost);
/* Sleep VRRP_RT_PAUSE_USEC here (VRRP_RT_HERE). */
void vrrp_process_rt_sleep(void);
/* Under vrrp_rt_priority, at its priority now: the CPU time (usec) the
 * child has run since it last blocked (at most) and vrrp_rlimit_rttime,
 * 0; -1 otherwise (no limit counts). */
int vrrp_process_rt_used(uint64_t *used, uint64_t *limit);
/* The data dump's line on it (nothing without vrrp_rt_priority). */
void vrrp_process_rt_dump(FILE *fp);
void vrrp_process_warn_globals(const struct vrrp_conf *c);

#endif

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Runtime VRRP instances: what the VRRP child keeps of each instance of
 * the configuration it runs (state, effective priority, what it learnt
 * of the master, timers' bookkeeping, counters). The state machine
 * (vrrp/fsm.c) moves them; the child (vrrp/vrrp_child.c) gives them
 * sockets, timers and the kernel through struct vrrp_fsm_ops.
 *
 * Instances are made from struct vrrp_instance_conf and matched across
 * reloads by identity (vrrp_conf_diff): an unchanged or changed instance
 * keeps its runtime state and only follows its new configuration.
 */
#ifndef VIGIL_VRRP_INSTANCE_H
#define VIGIL_VRRP_INSTANCE_H

#include <stdint.h>
#include <stdio.h>

#include "addr.h"
#include "vrrp/packet.h"
#include "vrrp/state.h"

struct vrrp_instance_conf;
struct vrrp_conf;
struct vrrp_sync;
struct vrrp_sock;

#define VRRP_PRIO_OWNER 255
#define VRRP_PRIO_STOP 0
#define VRRP_WHY_LEN 160

/* Why an instance became MASTER: RFC 6527's newMasterReason, as
 * keepalived sets it. */
enum vrrp_master_reason {
	VRRP_REASON_NOT_MASTER = 0,	/* never MASTER yet */
	VRRP_REASON_PRIORITY = 1,	/* the master sent priority 0 */
	VRRP_REASON_PREEMPTED = 2,	/* over a lower priority master, or
					 * the address owner at start */
	VRRP_REASON_NO_RESPONSE = 3,	/* the down timer ran out unheard */
};

/* A VMAC of an instance's VIPs: a private macvlan on base carrying mac,
 * made as the instance's own (vrrp/engine_link.c). */
struct vrrp_alink {
	char base[16];			/* the interface it is made on */
	unsigned char mac[6];
	int v6;				/* for IPv6 addresses */
	int track;			/* an address on it is tracked */
	char name[16];
	char key[96];			/* what it was made as */
	int ifindex;			/* 0: not there */
	int master;			/* the VRF it was put in */
	int announce;			/* made again while MASTER */
};

struct vrrp_inst {
	struct vrrp_inst *next;
	const struct vrrp_instance_conf *conf;
	/* the hashes of the link names its configuration names (engine.c,
	 * link_concerns): a link event looks at it only when its name's
	 * hash is here, or its index is one of its VMACs' (vmac_ifindex,
	 * alinks); rebuilt when its configuration changes (lnames_ok
	 * cleared). Here, beside next, with the VMACs' indexes, for a
	 * pass over every instance to read as few cache lines as it can. */
#define VRRP_LNAMES_MAX 6
	unsigned nlnames;
	int lnames_ok, lnames_many;
	size_t lnames[VRRP_LNAMES_MAX];
	/* use_vmac / use_ipvlan: its own child link (VMAC or ipvlan,
	 * vrrp/engine_link.c), 0 if none; the rest below */
	int vmac_ifindex;
	/* the VMACs of its VIPs (use_vmac on an address, use_vmac_addr;
	 * vrrp/engine_link.c), one for each interface and MAC */
	unsigned nalinks;
	struct vrrp_alink *alinks;
	const char *name;		/* conf->name (follows reloads) */
	void *owner;			/* the child's context */
	struct vrrp_sync *sync;		/* its sync group, or NULL */
	struct vrrp_sock *sock;		/* where it sends and receives */
	struct vrrp_inst *sock_next;	/* same socket and VRID */
	void *timers;			/* the child's timers for it */

	/* the addresses its adverts carry (virtual_ipaddress of its
	 * family, in configuration order) */
	struct vg_addr *vaddrs;
	unsigned nvaddrs;

	enum vrrp_state state;
	uint64_t since;			/* wall-clock seconds of the last
					 * transition */
	uint32_t since_usec;		/* and its microseconds */
	char why[VRRP_WHY_LEN];		/* the last transition's reason */

	/* priority */
	unsigned base_prio;		/* configured */
	int track_delta;		/* from tracking */
	unsigned prio;			/* effective: base + delta, 1..254 */
	int track_fault;		/* tracking says FAULT */
	int track_pending;		/* a weight-0 script has not reported:
					 * stays in INIT (keepalived does) */
	int if_fault;			/* the interface is down */
	int group_fault;		/* the sync group forced FAULT */
	int clash_fault;		/* its VRID is another's on its wire
					 * (vrrp_engine_clash_check) */
	int clash_was;			/* before that check */
	char clash_why[VRRP_WHY_LEN];
	char fault_why[VRRP_WHY_LEN];

	/* timers (centiseconds as adverts carry them) */
	unsigned adver_int;		/* ours */
	unsigned master_adver_int;	/* learnt (v3) or ours (v2) */
	unsigned down_adverts;		/* 3: Master_Down_Interval factor */
	int lower_prio_no_advert;	/* resolved against global_defs */
	int higher_prio_send_advert;
	uint64_t preempt_at;		/* monotonic usec: no preemption
					 * before (preempt_delay) */
	uint64_t down_armed;		/* usec the down timer was set to */
	int down_skew;			/* set to Skew_Time: priority 0 */

	/* the master as last heard */
	struct vg_addr master_addr;
	unsigned master_prio;
	/* the source of the last advert taken as BACKUP (a master heard,
	 * or a lower priority one being preempted), kept through MASTER
	 * and FAULT: keepalived's master_saddr, VRRP-MIB's
	 * vrrpOperMasterIpAddr; unset before any */
	struct vg_addr heard_addr;
	/* why it last became MASTER, RFC 6527's newMasterReason, kept
	 * after it leaves MASTER */
	enum vrrp_master_reason master_reason;

	/* our primary address (IPv4 primary, IPv6 link-local), or the
	 * configured source */
	struct vg_addr src;
	int ifindex;			/* where its VIPs go: the interface,
					 * or its VMAC / ipvlan */
	int base_ifindex;		/* the interface itself */
	/* use_vmac / use_ipvlan: its own child link (VMAC or ipvlan,
	 * vrrp/engine_link.c) */
	int vmac_master;		/* the VRF it was put in, 0: none */
	int vmac_announce;		/* made again while MASTER: announce
					 * its VIPs once it is up */
	int vmac_ipvlan;		/* it is an ipvlan (else a VMAC) */
	char vmac_name[16];		/* its name */
	char vmac_key[96];		/* what it was made as (kind, name,
					 * MAC, flags, address): a reload
					 * asking otherwise makes it again */
	int sock_ifindex;		/* where its socket is bound */

	int vips_held;			/* our VIPs are in the kernel */
	int adopting;			/* held since start, peer unknown */
	int stopping;

	/* vigilctl vrrp force-backup: BACKUP until released, never
	 * preempting nor taking over when the master goes */
	int forced_backup;
	int forced_alone;		/* the master down timer ran out while
					 * forced (logged once) */
	uint64_t peer_heard;		/* monotonic usec of the last advert
					 * from another router; 0: never */
	/* set-preempt (SNMP vrrpInstancePreempt): 0 as configured, 1 on,
	 * 2 off; set-priority replaces base_prio (and sets prio_set) */
	int preempt_set;
	int prio_set;

	/* counters */
	uint64_t rx, tx, tx_dropped, became_master;
	uint64_t released_master;	/* left MASTER for BACKUP or FAULT
					 * (keepalived's release_master) */
	uint64_t transitions, prio0_tx, prio0_rx;
	uint64_t drops[VRRP_DROP_MAX];
	/* the source of the last advert dropped for its authentication
	 * (auth_type, invalid_auth_type, auth): vrrpTrapPacketSrc */
	struct vg_addr auth_err_src;
	/* IPSEC-AH sequence number, one counter for both directions as
	 * keepalived keeps it: the highest sent or accepted */
	uint32_t ah_seq;
};

/* A new instance for c in state INIT (nothing armed). NULL if out of
 * memory. */
struct vrrp_inst *vrrp_inst_new(const struct vrrp_instance_conf *c,
    const struct vrrp_conf *all);
void vrrp_inst_free(struct vrrp_inst *vi);
/* Follow a new configuration of the same identity (reload); keeps the
 * runtime state but the last master heard (heard_addr, as keepalived's
 * reload). 0, or -1 if out of memory (the old one is kept). */
int vrrp_inst_rebind(struct vrrp_inst *vi, const struct vrrp_instance_conf *c,
    const struct vrrp_conf *all);

/*
 * The effective priority from the configured one and a tracking delta:
 * the address owner (255) stays 255; others are clamped to 1..254.
 */
unsigned vrrp_inst_eff_prio(unsigned base, int delta);
/* Set the tracking verdict; returns 1 if the effective priority or the
 * fault changed. */
int vrrp_inst_set_tracking(struct vrrp_inst *vi, int fault, int delta,
    const char *why);
/* Any reason for FAULT (tracking, interface, sync group). */
int vrrp_inst_faulty(const struct vrrp_inst *vi);
/* Does it preempt a lower priority master (nopreempt, or set-preempt)? */
int vrrp_inst_preempt(const struct vrrp_inst *vi);

/* Skew_Time and Master_Down_Interval in usec (RFC 5798 6.1; v2 from our
 * own interval, v3 from the master's). */
uint64_t vrrp_inst_skew(const struct vrrp_inst *vi);
uint64_t vrrp_inst_down_interval(const struct vrrp_inst *vi);

/* SIGUSR1 dump of one instance. */
void vrrp_inst_dump(const struct vrrp_inst *vi, FILE *fp);

#endif

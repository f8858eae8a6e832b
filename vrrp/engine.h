/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The VRRP engine the child runs: instances, sync groups, sockets, the
 * kernel view, VIPs, GARPs, tracking and notify, wired to the state
 * machine. vrrp/vrrp_child.c drives it from the child runtime's ops.
 */
#ifndef VIGIL_VRRP_ENGINE_H
#define VIGIL_VRRP_ENGINE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "vrrp/config.h"

struct proc;
struct proc_env;
struct proc_handover;
struct vigil_config;
struct vrrp_engine;

/* Start every instance of cfg (adopting VIPs found in place, following
 * the overrides of the hand-over h, which may be NULL). NULL on failure
 * (logged). */
struct vrrp_engine *vrrp_engine_start(const struct proc_env *env,
    const struct vigil_config *cfg, const struct proc_handover *h);
/* The same in parts (proc_ops.start_part): begin sets the engine up and
 * applies the process settings (vrrp_rt_priority); each part then adds
 * the instances of about budget usec (0: one; UINT64_MAX: all), the last
 * part builds the sync groups, follows the hand-over (copied by begin)
 * and starts them: 1 while parts remain, 0 once started, -1 when the
 * sync groups could not be built (out of memory, logged). An instance
 * that cannot be added (out of memory) is logged and left out. Until
 * the last part, tracking changes wait and no instance starts. */
struct vrrp_engine *vrrp_engine_start_begin(const struct proc_env *env,
    const struct vigil_config *cfg, const struct proc_handover *h);
int vrrp_engine_start_part(struct vrrp_engine *e, uint64_t budget);
/* Move to cfg (the old one is still valid during the call). 0, or -1
 * with msg saying why (the old one keeps running). */
int vrrp_engine_reload(struct vrrp_engine *e, const struct vigil_config *old,
    const struct vigil_config *cfg, char *msg, size_t msglen);
/* The same in parts (proc_ops.reload_part): the instances that follow
 * the new configuration for about budget usec a part (0: one; UINT64_MAX:
 * all at once), then what concerns them all in a part of its own; from
 * *cursor (NULL: the first part, which alone may fail, before anything
 * changed) on. 1 with *cursor where the next part starts, 0 once done, -1.
 * Between parts, tracking changes wait and no instance starts; old and
 * cfg stay valid. The parts end as vrrp_engine_reload does. */
int vrrp_engine_reload_part(struct vrrp_engine *e,
    const struct vigil_config *old, const struct vigil_config *cfg,
    char *msg, size_t msglen, void **cursor, uint64_t budget);
/* Stop: priority 0 adverts, VIPs released (unless -V); frees e. */
void vrrp_engine_stop(struct vrrp_engine *e);
/* The data dump (SIGUSR1): the instances' runtime state, the engine's
 * counters, then the configuration c (vrrp_conf_dump); in parts, each of
 * about budget usec (0: an item; UINT64_MAX: the whole dump), from cur on
 * (zeroed: the start): 1 with cur where the next part starts, 0 once
 * written whole. Nothing the cursor points to may go away between parts
 * (instances change only on a reload, which waits behind the dump). */
struct vrrp_engine_dump_cursor {
	int phase;
	const void *at;
	struct vrrp_dump_cursor conf;
};
int vrrp_engine_dump_part(const struct vrrp_engine *e,
    const struct vrrp_conf *c, FILE *fp, struct vrrp_engine_dump_cursor *cur,
    uint64_t budget);
/* A runtime command (proc_ops.command): force-backup INSTANCE, release
 * INSTANCE. Returns an enum ipc_cmd_status; out says what was done. */
int vrrp_engine_command(struct vrrp_engine *e, int argc,
    const char *const argv[], FILE *out);
/* Report the instances from *cursor (NULL: the first) on, for about
 * VRRP_ENGINE_PART_USEC; 1 with *cursor where the next part starts, or 0
 * once the sync groups and tracking were reported too. */
#define VRRP_ENGINE_PART_USEC 1000
int vrrp_engine_snapshot_part(struct vrrp_engine *e, void **cursor);
/* The longest a piece of work waits for a gap between adverts. */
#define VRRP_ENGINE_GAP_HORIZON_USEC 1000000ULL
/* How long (usec) work of cost usec that cannot be cut should wait to run
 * between the adverts and master down timers (vrrp/gap.h); 0: now. */
uint64_t vrrp_engine_gap(const struct vrrp_engine *e, uint64_t cost);
/* Under vrrp_rt_priority, before work of cost usec that cannot be cut:
 * how long (usec) the loop sleeps first, so that the child blocks before
 * it runs too long without (RLIMIT_RTTIME); 0: now. */
uint64_t vrrp_engine_pause(const struct vrrp_engine *e, uint64_t cost);

/* BFD session name is in state (the BFD child's report, passed on by
 * the parent): the instances that track it follow. */
void vrrp_engine_bfd(struct vrrp_engine *e, const char *name,
    const char *state);

#endif

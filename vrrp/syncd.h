/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The kernel's IPVS connection sync daemon following one VRRP instance
 * (lvs_sync_daemon), as keepalived's VRRP process runs it: the master
 * daemon while the instance is MASTER, the backup daemon otherwise
 * (INIT, BACKUP, FAULT), none once vigild stops. A reload that changes
 * the daemon's settings (interface, syncid, maxlen, group, port, ttl)
 * restarts it with the new ones; one that does not leaves it running.
 * A respawned child adopts the daemon it finds running when it is the
 * one it wants.
 *
 * The kernel is reached through ops (lib/ipvs by default), so that the
 * decisions can be tested without IPVS.
 */
#ifndef VIGIL_VRRP_SYNCD_H
#define VIGIL_VRRP_SYNCD_H

#include <stddef.h>

#include "ipvs.h"
#include "vrrp/state.h"

struct vrrp_conf_syncd;

struct vrrp_syncd_ops {
	/* 0 or -errno (-ENOENT: no IPVS in the kernel) */
	int (*start)(void *arg, const struct ipvs_daemon *d);
	int (*stop)(void *arg, enum ipvs_sync_state state);
	/* the daemons running now, at most 2; their count or -errno */
	int (*dump)(void *arg, struct ipvs_daemon out[2]);
};

/* lib/ipvs on a socket of its own, opened when first needed */
extern const struct vrrp_syncd_ops vrrp_syncd_kernel_ops;
void *vrrp_syncd_kernel_new(void);
void vrrp_syncd_kernel_free(void *arg);

/* Which daemon an instance in state st wants. */
enum ipvs_sync_state vrrp_syncd_role(enum vrrp_state st);
/* "master", "backup" */
const char *vrrp_syncd_role_name(enum ipvs_sync_state role);

struct vrrp_syncd;

struct vrrp_syncd *vrrp_syncd_new(const struct vrrp_syncd_ops *ops,
    void *arg);
/* One on the kernel (lib/ipvs), its socket its own; NULL: out of memory
 * (logged). */
struct vrrp_syncd *vrrp_syncd_new_kernel(void);
/* Stops nothing (vrrp_syncd_stop does); frees s (and its kernel socket
 * when vrrp_syncd_new_kernel made it). */
void vrrp_syncd_free(struct vrrp_syncd *s);

/*
 * Take the configuration c (start or reload; NULL or unset: no daemon)
 * with the state of the instance it names: a daemon with other settings
 * is stopped first, then the one the state wants is started unless it
 * runs. Without an instance (c->instance NULL: the checker child runs
 * it then) both the master and the backup daemon run. The first call
 * adopts a running daemon that matches and stops one that does not.
 */
void vrrp_syncd_configure(struct vrrp_syncd *s,
    const struct vrrp_conf_syncd *c, enum vrrp_state st);
/* The instance c->instance changed to st. */
void vrrp_syncd_follow(struct vrrp_syncd *s, enum vrrp_state st);
/* vigild stops: the daemon running stops. */
void vrrp_syncd_stop(struct vrrp_syncd *s);

/* The instance it follows (NULL: none), the daemons running (IPVS_SYNC_*
 * bits; 0: none), and for the state report "master on eth1, syncid 51"
 * / "master+backup on eth1, syncid 0" / "stopped" / "failed: ..." */
const char *vrrp_syncd_instance(const struct vrrp_syncd *s);
unsigned vrrp_syncd_running(const struct vrrp_syncd *s);
const char *vrrp_syncd_describe(const struct vrrp_syncd *s, char *buf,
    size_t len);

#endif

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The data-plane interface: the desired table the health checks decide
 * (services and their destinations with weights) and the backend that
 * makes the kernel match it.
 *
 * The engine says what it wants (dp_svc_set, dp_dest_set, dp_dest_del,
 * dp_svc_del); the table keeps the desired state, turns each call that
 * changes it into a dp_change and hands the changes to the backend in
 * sets (dp_commit), in order. A backend (IPVS through generic netlink, an
 * nftables backend, the logging one below) only applies changes and
 * dumps what it holds; it never decides. A service of a
 * virtual_server_group is one service here: the backend expands the
 * group's address ranges and fwmarks.
 */
#ifndef VIGIL_CHK_DATAPLANE_H
#define VIGIL_CHK_DATAPLANE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "addr.h"
#include "healthcheck/config.h"

struct event_base;

/* A service: the identity of a virtual server and its settings. */
struct dp_service {
	enum chk_vs_kind kind;		/* address+port, fwmark or group */
	int protocol;			/* IPPROTO_TCP/UDP/SCTP */
	int family;
	struct vg_addr addr;		/* CHK_VS_ADDR */
	unsigned port;
	unsigned fwmark;		/* CHK_VS_FWMARK */
	const struct chk_vsg_conf *group;	/* CHK_VS_GROUP: entries */
	char sched[CHK_SCHED_LEN];
	unsigned flags;			/* CHK_VS_F_* */
	unsigned persistence_timeout;	/* seconds; 0: not persistent */
	struct vg_addr persistence_mask;
	unsigned persistence_prefix;
	char pe[16];			/* persistence_engine; "" none */
	char name[128];			/* "[10.0.0.1]:tcp:80", for logs */
};

/* A destination's forwarding method: struct chk_conf_fwd_method's
 * fields, packed (the table holds one per real server: with it a
 * destination fits an 80-byte heap chunk). */
struct dp_fwd {
	unsigned char method;		/* enum chk_fwd */
	unsigned char tun_type;		/* enum chk_tun_type */
	uint16_t tun_port;
	unsigned char tun_csum;		/* enum chk_tun_csum */
};

static inline struct dp_fwd
dp_fwd_of(const struct chk_conf_fwd_method *f)
{
	struct dp_fwd d = { (unsigned char)f->method,
	    (unsigned char)f->tun_type, (uint16_t)f->tun_port,
	    (unsigned char)f->tun_csum };

	return d;
}

/* A destination of a service: a real server or the sorry server. */
struct dp_dest {
	struct vg_addr addr;
	unsigned port;
	int weight;			/* 0: in the table, given no traffic
					 * (inhibit_on_failure) */
	struct dp_fwd fwd;
	unsigned uthreshold, lthreshold;
	int sorry;			/* the sorry server */
};

enum dp_op {
	DP_SVC_ADD,
	DP_SVC_EDIT,
	DP_SVC_DEL,	/* its destinations go with it */
	DP_DEST_ADD,
	DP_DEST_EDIT,	/* weight, method or thresholds */
	DP_DEST_DEL,
};

struct dp_change {
	enum dp_op op;
	const struct dp_service *svc;
	const struct dp_dest *dest;	/* DP_DEST_*: the new one (DEL: the
					 * one removed) */
	int old_weight;			/* DP_DEST_EDIT */
};

/* The kernel's counters of a service (summed over the kernel services a
 * group expands to) or of one destination (summed likewise); the rates
 * are per second. active, inactive and persist: destinations only. */
struct dp_counters {
	uint64_t conns, inpkts, outpkts, inbytes, outbytes;
	uint64_t cps, inpps, outpps, inbps, outbps;
	uint64_t active, inactive, persist;
};

struct dp_backend_ops {
	const char *name;
	/* NULL on failure */
	void *(*open)(struct event_base *base);
	/* Apply n changes in order. 0, or -1 (the backend logs why; the
	 * table stays as desired and a later resync repairs the kernel). */
	int (*apply)(void *b, const struct dp_change *c, size_t n);
	/* What the backend holds (the state dump). */
	void (*dump)(void *b, FILE *fp);
	/* Release; flush: remove what it installed (vigild stopping without
	 * -I/-V / lvs_flush_on_stop). */
	void (*close)(void *b, int flush);
	/* Optional (NULL: none). The configuration, before the first
	 * change and after every reload: global settings (lvs_flush,
	 * lvs_flush_on_stop, lvs_timeouts) and which services it names. */
	void (*config)(void *b, const struct chk_conf *c);
	/*
	 * Optional (NULL: the backend has no counters). Reading the
	 * kernel's counters, a round at a time: stats_begin reads the
	 * services' own (one dump); stats_read the destinations of the
	 * kernel services s stands for and returns how many requests that
	 * took; counters gives what the round read of s (addr NULL) or of
	 * its destination (addr, port): 1, or 0 when the kernel does not
	 * hold it. 0 / -1 (logged) for the others.
	 */
	int (*stats_begin)(void *b);
	int (*stats_read)(void *b, const struct dp_service *s);
	int (*counters)(void *b, const struct dp_service *s,
	    const struct vg_addr *addr, unsigned port, struct dp_counters *c);
};

/* The backend that logs every change ("desired: [10.0.0.1]:tcp:80: add
 * [10.0.0.2]:80 weight 1") and installs nothing; until the IPVS backend
 * lands it is the only one. */
extern const struct dp_backend_ops dp_log_backend;

struct dp_table;
struct dp_svc;

struct dp_table *dp_table_new(const struct dp_backend_ops *ops,
    struct event_base *base);
/* Close the backend (flush as dp_backend_ops.close) and free. */
void dp_table_free(struct dp_table *t, int flush);

/* Add or update a service (matched by identity: kind, protocol, family,
 * addr, port, fwmark, group name). Returns its handle, NULL when out of
 * memory. */
struct dp_svc *dp_svc_set(struct dp_table *t, const struct dp_service *s);
void dp_svc_del(struct dp_table *t, struct dp_svc *svc);
/* Add or update a destination (matched by addr, port). 0 or -1. */
int dp_dest_set(struct dp_table *t, struct dp_svc *svc,
    const struct dp_dest *d);
/* Remove a destination if present. */
void dp_dest_del(struct dp_table *t, struct dp_svc *svc,
    const struct vg_addr *addr, unsigned port);
/* The destination's current desired entry, or NULL. */
const struct dp_dest *dp_dest_get(const struct dp_table *t,
    const struct dp_svc *svc, const struct vg_addr *addr, unsigned port);

/* The hash of a destination key (address, port): the desired table's
 * index and the backends' mirrors of the kernel use the same. */
size_t dp_dest_hash(const struct vg_addr *a, unsigned port);

/* Hand the configuration to the backend (dp_backend_ops.config). */
void dp_table_config(struct dp_table *t, const struct chk_conf *c);
/* From now on no change reaches the backend: vigild stops with -I and
 * what the backend installed stays as it is. */
void dp_table_hold(struct dp_table *t);

/* Hand the changes made since the last commit to the backend. Returns
 * how many there were. */
size_t dp_commit(struct dp_table *t);

/* The kernel's counters through the backend (dp_backend_ops.stats_*):
 * whether it has them; begin a round; read svc's destinations (the
 * number of kernel requests made, -1 on failure); what the round read of
 * svc (addr NULL) or of its destination (1, or 0 when unknown). */
int dp_stats_available(const struct dp_table *t);
int dp_stats_begin(struct dp_table *t);
int dp_stats_read(struct dp_table *t, const struct dp_svc *svc);
int dp_counters_get(const struct dp_table *t, const struct dp_svc *svc,
    const struct vg_addr *addr, unsigned port, struct dp_counters *c);

/* The desired table, one service and its destinations a line each. */
void dp_table_dump(const struct dp_table *t, FILE *fp);
/* Services and destinations in the table. */
void dp_table_count(const struct dp_table *t, size_t *svcs, size_t *dests);

/* "[10.0.0.1]:tcp:80", "fwmark 5", "group VSG_1:tcp" from a virtual
 * server's configuration into s (every field). */
void dp_service_from_conf(struct dp_service *s, const struct chk_vs_conf *vs);

#endif

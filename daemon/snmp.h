/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The SNMP subsystem: a net-snmp AgentX subagent in a child of its own
 * (net-snmp's AgentX calls block; a stalled master agent stalls only this
 * child). It serves VRRP-MIB (RFC 2787), VRRPv3-MIB (RFC 6527) and
 * KEEPALIVED-MIB under keepalived's OIDs and encodings, and sends their
 * notifications.
 *
 * What it shows comes from two places: the configuration (the child
 * borrows every VRRP and checker statement and builds their typed
 * configuration, as keepalived shows configured values) and the parent's
 * state store, which the parent feeds it: the whole store once the child
 * runs a configuration, then every IPC_STATE message the VRRP and checker
 * children send. A write (a real server's weight) goes back to the parent
 * as a runtime command, routed like vigilctl's.
 *
 * The parent side lives in daemon/snmp_feed.c, the child side in
 * daemon/snmp_child.c (ops, mirror of the store), snmp_agent.c (net-snmp),
 * snmp_mib*.c (the MIBs as a sorted view) and snmp_trap.c.
 */
#ifndef VIGIL_SNMP_H
#define VIGIL_SNMP_H

#include <stdint.h>

#include "ipc_msg.h"

struct options;
struct slot;
struct supervisor;
struct vigil_config;

#define CONF_OWNER_SNMP 3

/* The subsystem's own messages (lib/ipc_msg.h: from IPC_SUBSYS_BASE). */
enum snmp_msg {
	/*
	 * parent->child: struct snmp_feed, then an IPC_STATE payload
	 * (struct ipc_state and ipc_obj records) of the child whose
	 * configuration owner is snmp_feed.owner, as the parent received it
	 * (or the parent's whole store for it, IPC_STATE_BEGIN to _END).
	 */
	SNMP_MSG_FEED = IPC_SUBSYS_BASE + 100,
	/* child->parent: an IPC_CMD payload (ipc_cmd_encode(); id chosen by
	 * the child) for the parent to route like vigilctl's commands */
	SNMP_MSG_CMD,
	/* parent->child: struct ipc_cmd_reply, then the text */
	SNMP_MSG_CMD_REPLY,
	/* child->parent: struct snmp_refresh; the parent asks the children
	 * of those owners for a snapshot (fresh counters, which the VRRP-MIB
	 * and VRRPv3-MIB notifications of errors are read from) */
	SNMP_MSG_REFRESH,
};

struct snmp_refresh {
	uint32_t owners;	/* CONF_OWNER_BIT()s */
};

struct snmp_feed {
	uint32_t owner;		/* enum conf_owner of the reporting child */
};

extern const struct subsys snmp_subsys;

/* Child side: what vigild's command line says (-x, -A), before
 * proc_main(). */
void snmp_child_options(int snmp, const char *socket);

/* ---- parent side (snmp_feed.c) --------------------------------------- */

/* Does the configuration or the command line (-x) ask for the agent? */
int snmp_feed_wanted(const struct options *o, const struct vigil_config *c);
/* The SNMP child runs configuration generation gen: hand it the store. */
void snmp_feed_ready(struct supervisor *sv, struct slot *snmp);
/* An IPC_STATE message from child s: forward it to the SNMP child. */
void snmp_feed_state(struct supervisor *sv, const struct slot *s,
    const void *data, size_t len);
/* One of the SNMP child's own messages. 0, or -1 if it is not one. */
int snmp_feed_msg(struct slot *s, uint32_t type, const void *data,
    size_t len);
/* Is this the SNMP child's slot? */
int snmp_feed_is(const struct slot *s);

#endif

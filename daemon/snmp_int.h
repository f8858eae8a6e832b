/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Inside the SNMP child: what snmp_child.c (ops and the mirror of the
 * parent's store), snmp_agent.c (net-snmp), snmp_mib_*.c (the MIBs) and
 * snmp_trap.c (notifications) share. Nothing here is the parent's.
 */
#ifndef VIGIL_SNMP_INT_H
#define VIGIL_SNMP_INT_H

#include <stdint.h>
#include <time.h>

#include "snmp_view.h"
#include "state.h"

struct event_base;
struct global_conf;
struct vrrp_conf;
struct vrrp_instance_conf;
struct bfd_conf;
struct chk_conf;
struct chk_vs_conf;
struct chk_rs_conf;
struct vigil_config;
struct proc;

/* Which MIBs are served. */
enum {
	SNMP_MIB_VRRP = 1u << 0,	/* KEEPALIVED-MIB global and vrrp */
	SNMP_MIB_CHECKER = 1u << 1,	/* KEEPALIVED-MIB global and check */
	SNMP_MIB_RFCV2 = 1u << 2,	/* VRRP-MIB */
	SNMP_MIB_RFCV3 = 1u << 3,	/* VRRPv3-MIB */
};

struct snmp_settings {
	unsigned mibs;		/* SNMP_MIB_* */
	int traps;		/* enable_traps */
	char socket[256];	/* "" : net-snmp's default */
};

/* What the MIB code reads. */
struct snmp_ctx {
	const struct global_conf *g;
	const struct vrrp_conf *vrrp;	/* NULL: none */
	const struct chk_conf *chk;	/* NULL: none */
	const struct bfd_conf *bfd;	/* NULL: none */
	const struct state_store *vrrp_st, *chk_st;
	const struct snmp_settings *set;
	time_t started;		/* the child's start (TimeStamp columns) */
};

/* ---- snmp_mib_ka.c, snmp_mib_rfc.c ------------------------------------- */

extern const oid snmp_oid_keepalived[];
extern const size_t snmp_oid_keepalived_len;
extern const oid snmp_oid_vrrp_mib[];
extern const size_t snmp_oid_vrrp_mib_len;
extern const oid snmp_oid_vrrpv3_mib[];
extern const size_t snmp_oid_vrrpv3_mib_len;

/* Fill w with every object of the MIBs ctx->set->mibs names. */
void snmp_mib_keepalived(struct snmp_view *w, const struct snmp_ctx *ctx);
void snmp_mib_rfc(struct snmp_view *w, const struct snmp_ctx *ctx);

/* KEEPALIVED-MIB's tracking tables (snmp_mib_ka_track.c), routes and
 * rules (snmp_mib_ka_route.c), virtual server groups and the LVS scalars
 * (snmp_mib_ka_lvs.c): called by snmp_mib_keepalived(). */
void snmp_mib_ka_track(struct snmp_view *w, const struct snmp_ctx *ctx);
void snmp_mib_ka_route(struct snmp_view *w, const struct snmp_ctx *ctx);
void snmp_mib_ka_lvs(struct snmp_view *w, const struct snmp_ctx *ctx);
/* InetScopeType of an RT_SCOPE_* (keepalived's snmp_scope) */
int snmp_scope(int scope);

/* Helpers shared by the MIB files (snmp_mib_ka.c). */
const char *snmp_router_id(const struct snmp_ctx *ctx, char *buf,
    size_t len);
/* VrrpState of a state name: init 0, backup 1, master 2, fault 3,
 * unknown 4. */
int snmp_vrrp_state(const char *state);
/* The store's object, or NULL. */
const struct state_obj *snmp_obj(const struct state_store *st,
    const char *kind, const char *name);
/* An integer attr of o (NULL: none), or def. */
long long snmp_attr_num(const struct state_obj *o, const char *key,
    long long def);
/* A cell of the row idx (ilen sub-identifiers) of the table whose entry
 * OID is e: an integer of type, a string (NULL: no cell), an address as
 * its raw bytes (4 or 16). */
void snmp_put_int(struct snmp_view *w, const oid *e, size_t el, unsigned col,
    const oid *idx, size_t il, u_char type, int64_t v);
void snmp_put_str(struct snmp_view *w, const oid *e, size_t el, unsigned col,
    const oid *idx, size_t il, const char *s);
struct vg_addr;
void snmp_put_addr(struct snmp_view *w, const oid *e, size_t el,
    unsigned col, const oid *idx, size_t il, const struct vg_addr *a);
/* A script line as keepalived shows it: each word in single quotes
 * ('/usr/bin/x' 'arg', the program's path resolved), in w's arena; NULL
 * for NULL. */
const char *snmp_cmd_str(struct snmp_view *w, const char *cmd);
/* keepalived's SNMP_TruthValue */
#define SNMP_TV(x) ((x) ? 1 : 2)

/* The store names of a virtual server and of one of its real servers. */
const char *snmp_vs_name(const struct chk_vs_conf *vs, char *buf,
    size_t len);
const char *snmp_rs_name(const struct chk_vs_conf *vs,
    const struct chk_rs_conf *rs, char *buf, size_t len);

/* ---- snmp_agent.c ------------------------------------------------------ */

struct snmp_agent;
/* The view to answer from: rebuilt by the child when stale. */
typedef struct snmp_view *snmp_view_fn(void *arg);
/* A write: returns an SNMP_ERR_* code (checked, then committed). */
typedef int snmp_write_fn(void *arg, const struct snmp_vb *b, long value,
    int commit);

struct snmp_agent *snmp_agent_start(struct event_base *base,
    const struct snmp_settings *set, snmp_view_fn *view,
    snmp_write_fn *write, void *arg);
void snmp_agent_stop(struct snmp_agent *a);
/* Send a notification (SNMPv2 trap) with its varbinds; takes vars. */
void snmp_agent_notify(struct snmp_agent *a, netsnmp_variable_list *vars);
/* Is the master agent connected? */
int snmp_agent_connected(const struct snmp_agent *a);

/* ---- snmp_trap.c ------------------------------------------------------- */

/* A change of kind/name seen in the feed: old_state and old_attrs as they
 * were before ("" if the object was not known); view(view_arg) gives the
 * view as it is now, asked only when a notification is sent.
 * Sends what keepalived would, if traps are on. */
void snmp_trap_change(struct snmp_agent *a, snmp_view_fn *view,
    void *view_arg, const struct snmp_ctx *ctx, const char *kind,
    const char *name, const char *old_state, const char *old_attrs);
/* The ifIndex keepalived gives vrrpTrapPacketSrc, vrrpTrapAuthErrorType
 * and vrrpv3StatisticsProtoErrReason in its notifications: the
 * instance's own link (VMAC or ipvlan, the report's link_ifindex) where it
 * has one, else base, its interface's (the tables' rows stay under the
 * interface's, so those varbinds then name no row, as keepalived's do). */
unsigned snmp_trap_err_ifindex(const char *attrs, unsigned base);

#endif

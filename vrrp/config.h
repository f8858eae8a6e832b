/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * VRRP configuration: the keywords the VRRP subsystem owns (vrrp_instance,
 * vrrp_sync_group, vrrp_script, track_file, track_process, static
 * addresses/routes/rules, garp_group, the vrrp_* global_defs) and the typed,
 * immutable structs they build.
 *
 *   config.c           registration, root object, global_defs keywords,
 *                      shared helpers (tracking lines, notify scripts)
 *   config_instance.c  vrrp_instance and its authentication block
 *   config_addr.c      VIP / route / rule item grammar
 *   config_track.c     vrrp_script, track_file, track_process,
 *                      vrrp_sync_group, garp_group, track_group, delays
 *   config_check.c     cross-object checks once everything is read
 *   config_dump.c      human-readable dump (vigild -d, SIGUSR1)
 *   config_diff.c      old/new generation matching on reload
 *
 * Use:
 *   c = vrrp_conf_new(arena);
 *   roots[CONF_OWNER_VRRP] = c;
 *   nerr = conf_apply(reg, tree, mask, roots, arena, diag);
 *   nerr += vrrp_conf_check(c, diag);	(forward references)
 *
 * Build the config in the tree's arena (conf_apply(..., tree->arena, ...)):
 * every conf_loc.file points at the tree's interned file names, so the
 * typed config must not outlive the tree.
 *
 * Objects are allocated zeroed from the arena and every "params" sub-struct
 * holds plain values only (no pointers), so the diff compares them bytewise.
 */
#ifndef VIGIL_VRRP_CONFIG_H
#define VIGIL_VRRP_CONFIG_H

#include <stdio.h>

#include "addr.h"
#include "arena.h"
#include "conf.h"
#include "htab.h"
#include "subsys.h"

/* The VRRP subsystem's configuration owner (lib/conf.h). */
#define CONF_OWNER_VRRP 1

/* A singly linked list of arena objects; each begins with its 'next'. */
struct vrrp_conf_list {
	void *first;
	void *last;
	unsigned n;
};

#define VRRP_UNSET (-1)		/* int fields: "not configured, inherit" */
#define VRRP_GARP_DELAY 5		/* vrrp_garp_master_delay's default */
#define VRRP_GARP_REPEAT 5		/* vrrp_garp_master_repeat's default */

/* The named top-level lists of struct vrrp_conf that have an index (by
 * name, through the name_node of their objects). */
enum vrrp_ix {
	VRRP_IX_INSTANCE,
	VRRP_IX_SYNC_GROUP,
	VRRP_IX_SCRIPT,
	VRRP_IX_TRACK_FILE,
	VRRP_IX_TRACK_PROCESS,
	VRRP_IX_TRACK_GROUP,
	VRRP_IX_MAX
};

/* A script with optional user/group (notify_*, vrrp_notify_fifo...). */
struct vrrp_conf_notify {
	char *cmd;		/* NULL: none */
	char *user;		/* NULL: global script_user */
	char *group;
};

/* One tracked object: track_interface/script/file/process lines. */
struct vrrp_conf_track {
	struct vrrp_conf_track *next;
	struct conf_loc loc;
	char *name;		/* interface, vrrp_script, track_file... */
	int weight;		/* valid if weight_set */
	unsigned weight_set : 1;	/* else the tracked object's weight */
	unsigned reverse : 1;
	unsigned noreverse : 1;	/* explicit noreverse */
};

/* ---- addresses, routes, rules ------------------------------------------ */

enum vrrp_brd {
	VRRP_BRD_NONE = 0,
	VRRP_BRD_ADDR,		/* brd ADDR */
	VRRP_BRD_SET,		/* brd + : host bits set */
	VRRP_BRD_CLEAR,		/* brd - : host bits cleared */
};

enum {
	VRRP_IPA_HOME = 1u << 0,
	VRRP_IPA_NODAD = 1u << 1,
	VRRP_IPA_MNGTMPADDR = 1u << 2,
	VRRP_IPA_NOPREFIXROUTE = 1u << 3,
	VRRP_IPA_AUTOJOIN = 1u << 4,
	VRRP_IPA_NO_TRACK = 1u << 5,
	VRRP_IPA_USE_VMAC = 1u << 6,
	VRRP_IPA_PREFERRED_LFT = 1u << 7,	/* preferred_lft given */
	/* "-nodad": IPv6 duplicate address detection done (keepalived sets
	 * nodad on IPv6 VIPs unless told -nodad) */
	VRRP_IPA_DAD = 1u << 8,
};

struct vrrp_conf_ipaddr_params {
	struct vg_addr addr;
	unsigned prefix;
	struct vg_addr peer;		/* family 0: none */
	unsigned peer_prefix;
	enum vrrp_brd brd_mode;
	struct vg_addr brd;
	int scope;			/* RT_SCOPE_*; default global (0) */
	unsigned flags;			/* VRRP_IPA_* */
	unsigned preferred_lft;		/* 0xffffffff: forever */
};

/* virtual_ipaddress, virtual_ipaddress_excluded, static_ipaddress item */
struct vrrp_conf_ipaddr {
	struct vrrp_conf_ipaddr *next;
	struct conf_loc loc;
	struct vrrp_conf_ipaddr_params p;
	char *dev;		/* NULL: the instance's interface */
	char *label;
	char *track_group;	/* static addresses only */
};

enum {
	VRRP_RT_NO_TRACK = 1u << 0,
	VRRP_RT_APPEND = 1u << 1,
	VRRP_RT_ONLINK = 1u << 2,
	VRRP_RT_INET6 = 1u << 3,	/* "inet6" forced the family */
	VRRP_RT_TABLE = 1u << 4,	/* table given */
	VRRP_RT_METRIC = 1u << 5,
	VRRP_RT_PROTO = 1u << 6,
	VRRP_RT_SCOPE = 1u << 7,
	VRRP_RT_TOS = 1u << 8,
	VRRP_RT_MTU = 1u << 9,
};

struct vrrp_conf_route_params {
	int family;
	int type;			/* RTN_UNICAST, RTN_BLACKHOLE, ... */
	struct vg_addr dst;
	unsigned dst_len;
	struct vg_addr src;		/* "src": preferred source */
	struct vg_addr from;		/* "from": source prefix (IPv6) */
	unsigned from_len;
	struct vg_addr via;		/* via/gw; family 0: none */
	struct vg_addr or_via;		/* "or" gateway */
	unsigned table;
	unsigned metric;		/* metric/priority/preference */
	unsigned protocol;
	int scope;
	unsigned tos;
	unsigned mtu;
	unsigned nexthops;		/* nexthop clauses */
	unsigned flags;			/* VRRP_RT_* */
};

/* virtual_routes / static_routes item: the line plus the key fields. */
struct vrrp_conf_route {
	struct vrrp_conf_route *next;
	struct conf_loc loc;
	unsigned argc;
	char **argv;			/* the item words, for the engine */
	struct vrrp_conf_route_params p;
	char *dev;
	char *table_name;		/* table NAME (p.table is 0) */
	char *track_group;
};

/* A route's options that only its words hold: ip-route(8)'s metrics
 * (RTAX_*, "lock" allowed before the value of those that take one),
 * features, pref, expires and realms, parsed as the kernel takes them. */
#define VRRP_MPLS_MAX 8		/* labels of an mpls encap */
#define VRRP_RTAX_N 18		/* RTAX_UNSPEC .. RTAX_FASTOPEN_NO_COOKIE */
struct vrrp_route_opts {
	unsigned set;			/* 1u << RTAX_*: given */
	unsigned lock;			/* 1u << RTAX_*: locked */
	uint32_t metric[VRRP_RTAX_N];	/* kernel units (rtt in 1/8 ms,
					 * rttvar 1/4 ms, rto_min ms) */
	const char *congctl;		/* RTAX_CC_ALGO's value */
	int pref;			/* -1: not given; else RTA_PREF's */
	int has_expires, has_realms;
	uint32_t expires;
	uint32_t realms;		/* from << 16 | to */
	/* encap mpls LABEL[/LABEL...] | ip|ip6 [id N] [dst A] [src A]
	 * [tos|tc N] [ttl|hoplimit N] [flags N] (lightweight tunnels) */
	int encap;			/* LWTUNNEL_ENCAP_*; 0: none */
	uint32_t labels[VRRP_MPLS_MAX];
	unsigned nlabels;
	uint64_t encap_id;
	int has_id;
	struct vg_addr encap_dst, encap_src;	/* family 0: none */
	int encap_tos, encap_ttl, encap_flags;	/* -1: not given */
};
/* realms [FROM/]TO: FROM << 16 | TO. 0 or -1. */
int vrrp_conf_realms(const char *arg, uint32_t *out);
/* The encap whose keyword is argv[*pos] into o; *pos moves to its last
 * word. 0, or -1 with *word / *value what is not right. */
int vrrp_conf_encap(unsigned argc, char *const *argv, unsigned *pos,
    struct vrrp_route_opts *o, const char **word, const char **value);
/* A number as ip-route(8) takes it (decimal, 0x hex, 0 octal), at most
 * max. 0 or -1. */
int vrrp_conf_u32(const char *s, uint32_t max, uint32_t *out);
/*
 * Parse them from a route's words (up to its nexthop clauses). 0, or -1
 * with *word the option whose value (*value, NULL when missing) is not
 * one.
 */
int vrrp_conf_route_opts(unsigned argc, char *const *argv,
    struct vrrp_route_opts *o, const char **word, const char **value);

/* One "nexthop [via [inet|inet6] A] [dev D] [weight W] [onlink]" clause
 * of a route's words. */
struct vrrp_conf_nexthop {
	struct vg_addr via;		/* family 0: none */
	const char *dev;		/* NULL: none */
	unsigned weight;		/* 1-256; 0: not given */
	int onlink;
	int has_realms;
	uint32_t realms;		/* realms [FROM/]TO */
	const char *unknown;		/* the first word not taken (the
					 * rest of the clause is skipped) */
	const char *bad_value;		/* or the value of via / weight
					 * that is not one */
};
/*
 * The route's nexthop clauses in order: 1 and *nh filled while *pos
 * (0 at first) finds another, 0 at the end.
 */
int vrrp_conf_route_nexthop(const struct vrrp_conf_route *r, unsigned *pos,
    struct vrrp_conf_nexthop *nh);

enum {
	VRRP_RU_NOT = 1u << 0,
	VRRP_RU_NO_TRACK = 1u << 1,
	VRRP_RU_INET6 = 1u << 2,
	VRRP_RU_TABLE = 1u << 3,
	VRRP_RU_PRIORITY = 1u << 4,
	VRRP_RU_FWMARK = 1u << 5,
	VRRP_RU_GOTO = 1u << 6,
	VRRP_RU_L3MDEV = 1u << 7,
	VRRP_RU_TOS = 1u << 8,
};

struct vrrp_conf_rule_params {
	int family;
	int action;			/* FR_ACT_TO_TBL, FR_ACT_BLACKHOLE... */
	struct vg_addr from;
	unsigned from_len;
	struct vg_addr to;
	unsigned to_len;
	unsigned table;
	unsigned priority;		/* preference/priority/prio */
	unsigned fwmark, fwmask;
	unsigned tos;
	unsigned goto_target;
	unsigned flags;			/* VRRP_RU_* */
};

struct vrrp_conf_rule {
	struct vrrp_conf_rule *next;
	struct conf_loc loc;
	unsigned argc;
	char **argv;
	struct vrrp_conf_rule_params p;
	char *iif, *oif;
	char *table_name;		/* table NAME (p.table is 0) */
	char *track_group;
};

/* unicast_peer item */
struct vrrp_conf_peer {
	struct vrrp_conf_peer *next;
	struct conf_loc loc;
	struct vg_addr addr;
	int min_ttl, max_ttl;		/* VRRP_UNSET: no check */
};

/* ---- vrrp_instance ------------------------------------------------------ */

enum vrrp_init_state { VRRP_INIT_BACKUP = 0, VRRP_INIT_MASTER };
enum vrrp_auth_type { VRRP_AUTH_NONE = 0, VRRP_AUTH_PASS, VRRP_AUTH_AH };

#define VRRP_AUTH_PASS_LEN 8

struct vrrp_conf_garp_params {
	int master_delay;		/* seconds; VRRP_UNSET: global */
	int master_repeat;
	int lower_prio_delay;
	int lower_prio_repeat;
	int master_refresh;
	int master_refresh_repeat;
	int extra_if;			/* seconds; VRRP_UNSET: global */
	int extra_if_all;
};

/* Plain values of an instance (compared bytewise by the diff). */
struct vrrp_conf_instance_params {
	unsigned vrid;			/* 1-255, 0: unset (error) */
	int family;			/* AF_INET / AF_INET6, derived */
	unsigned version;		/* 2 or 3 (resolved at close) */
	int version_cfg;		/* as configured, VRRP_UNSET */
	unsigned priority;		/* 1-255, 255 = address owner */
	unsigned long long advert_int;	/* usec, after rounding */
	enum vrrp_init_state state;
	int nopreempt;
	unsigned long long preempt_delay;	/* usec */
	int accept;			/* VRRP_UNSET: default */
	struct vg_addr src_ip;		/* mcast_src_ip / unicast_src_ip */
	struct vg_addr mcast_dst;
	int unicast_ttl;
	int check_unicast_src;
	int unicast_fault_no_peer;
	int track_src_ip;
	int dont_track_primary;
	int native_ipv6;
	int promote_secondaries;
	int use_vmac;
	unsigned char vmac_mac[6];
	unsigned vmac_mac_len;		/* 0, 5 (vrid appended) or 6 */
	int vmac_xmit_base;
	/* use_vmac_addr: a VIP on another interface, or of the other
	 * family, goes on a VMAC of its own there (vrrp_conf_addr_vmac) */
	int use_vmac_addr;
	int use_ipvlan;
	struct vg_addr ipvlan_addr;	/* unset: none (IPv6 only) */
	unsigned ipvlan_prefix;		/* default /32 or /128 */
	int ipvlan_mode;		/* 0 bridge, 1 private, 2 vepa: the
					 * kernel's IPVLAN_F_* flags */
	enum vrrp_auth_type auth_type;
	char auth_pass[VRRP_AUTH_PASS_LEN + 1];
	struct vrrp_conf_garp_params garp;
	int down_timer_adverts;		/* VRRP_UNSET: global */
	int lower_prio_no_advert;	/* VRRP_UNSET: global */
	int higher_prio_send_advert;
	int skip_check_adv_addr;
	int strict_mode;
	int smtp_alert;
	int notify_priority_changes;
	int debug;
	unsigned kernel_rx_buf_size;
	int old_unicast_checksum;	/* 0, 1, 2 = never */
};

struct vrrp_instance_conf {
	struct vrrp_instance_conf *next;
	struct conf_loc loc;
	char *name;
	struct htab_node name_node;	/* in vrrp_conf.names[] */
	char *interface;		/* NULL: unicast without interface */
	char *vrf;			/* vrf NAME (unicast, no interface) */
	struct conf_loc vrf_loc;
	char *vmac_ifname;		/* use_vmac NAME */
	char *ipvlan_ifname;		/* use_ipvlan NAME */
	struct conf_loc ipvlan_loc;	/* where use_ipvlan is */
	char *lvs_sync_daemon_interface;
	char *sync_group;		/* set by vrrp_conf_check */
	struct htab_node id_node;	/* in vrrp_conf.identity */
	struct vrrp_conf_instance_params p;
	struct vrrp_conf_list vips;		/* struct vrrp_conf_ipaddr */
	struct vrrp_conf_list evips;		/* excluded */
	struct vrrp_conf_list routes;	/* struct vrrp_conf_route */
	struct vrrp_conf_list rules;		/* struct vrrp_conf_rule */
	struct vrrp_conf_list unicast_peers;	/* struct vrrp_conf_peer */
	struct vrrp_conf_list track_if;	/* struct vrrp_conf_track */
	struct vrrp_conf_list track_script;
	struct vrrp_conf_list track_file;
	struct vrrp_conf_list track_process;
	struct vrrp_conf_list track_bfd;	/* weight always set */
	struct vrrp_conf_notify notify_master, notify_backup, notify_fault,
	    notify_stop, notify, notify_master_rx_lower_pri, notify_deleted;
	int has_notify_deleted;
	int linkbeat_use_polling;	/* its interface polled (deprecated) */
};

/* ---- other top-level objects ------------------------------------------- */

struct vrrp_sync_group_conf {
	struct vrrp_sync_group_conf *next;
	struct conf_loc loc;
	char *name;
	struct htab_node name_node;	/* in vrrp_conf.names[] */
	struct vrrp_conf_list members;	/* struct vrrp_conf_track (name only) */
	struct vrrp_conf_list track_if, track_script, track_file, track_process;
	struct vrrp_conf_list track_bfd;
	struct vrrp_conf_notify notify_master, notify_backup, notify_fault,
	    notify_stop, notify, notify_deleted;
	int has_notify_deleted;
	int smtp_alert;			/* VRRP_UNSET: global */
	int notify_priority_changes;
	int global_tracking;
	int tracking_weight;		/* sync_group_tracking_weight */
};

struct vrrp_script_conf {
	struct vrrp_script_conf *next;
	struct conf_loc loc;
	char *name;
	struct htab_node name_node;	/* in vrrp_conf.names[] */
	char *script;
	char *user, *group;
	unsigned long long interval;	/* usec, default 1 s */
	unsigned long long timeout;	/* usec, 0: interval */
	int weight;
	int weight_reverse;
	int rise, fall;			/* default 1 */
	int init_fail;
};

struct vrrp_track_file_conf {
	struct vrrp_track_file_conf *next;
	struct conf_loc loc;
	char *name;
	struct htab_node name_node;	/* in vrrp_conf.names[] */
	char *file;
	int weight;			/* default 1 */
	int weight_reverse;
	int init_file;			/* init_file given */
	long long init_value;
	int init_overwrite;
};

enum vrrp_param_match { VRRP_PMATCH_NONE = 0, VRRP_PMATCH_EXACT,
	VRRP_PMATCH_PARTIAL, VRRP_PMATCH_INITIAL };

struct vrrp_track_process_conf {
	struct vrrp_track_process_conf *next;
	struct conf_loc loc;
	char *name;
	struct htab_node name_node;	/* in vrrp_conf.names[] */
	char *process;			/* command name */
	unsigned nparams;
	char **params;
	enum vrrp_param_match param_match;
	int weight;			/* default 1 */
	int weight_reverse;
	unsigned quorum;		/* default 1 */
	unsigned quorum_max;		/* default UINT_MAX */
	unsigned long long fork_delay, terminate_delay;	/* usec */
	int full_command;
};

struct vrrp_garp_group_conf {
	struct vrrp_garp_group_conf *next;
	struct conf_loc loc;
	unsigned long long garp_interval, gna_interval;	/* usec */
	int have_garp_interval, have_gna_interval;
	struct vrrp_conf_list interfaces; /* struct vrrp_conf_track (names) */
};

struct vrrp_track_group_conf {
	struct vrrp_track_group_conf *next;
	struct conf_loc loc;
	char *name;
	struct htab_node name_node;	/* in vrrp_conf.names[] */
	struct vrrp_conf_list members;	/* struct vrrp_conf_track (names) */
};

/* linkbeat_interfaces item: IFNAME [MII|ETHTOOL|IOCTL] */
enum { VRRP_LB_ANY, VRRP_LB_MII, VRRP_LB_ETHTOOL, VRRP_LB_IOCTL };
struct vrrp_conf_linkbeat {
	struct vrrp_conf_linkbeat *next;
	struct conf_loc loc;
	char *ifname;
	int type;			/* VRRP_LB_* */
};

struct vrrp_conf_if_delay {
	struct vrrp_conf_if_delay *next;
	struct conf_loc loc;
	char *ifname;
	unsigned long long down_delay, up_delay;	/* usec */
};

/*
 * The IPVS connection sync daemon (lvs_sync_daemon in global_defs, or an
 * instance's deprecated lvs_sync_daemon_interface): the VRRP child runs
 * it as master while the instance is MASTER, as backup otherwise.
 * vrrp_conf_check resolves it: instance named, syncid defaulted to the
 * instance's VRID.
 */
struct vrrp_conf_syncd {
	int set;
	char *ifname;
	char *instance;		/* NULL: none named (not supported yet) */
	unsigned syncid;	/* 0-255 */
	int syncid_set;		/* given (else the instance's VRID) */
	unsigned maxlen, port, ttl;	/* 0: kernel default */
	struct vg_addr group;	/* family 0: kernel default */
	struct conf_loc loc;
};

/* global_defs keywords owned by VRRP */
struct vrrp_conf_globals {
	struct vg_addr mcast_group4;	/* default 224.0.0.18 */
	struct vg_addr mcast_group6;	/* default ff02::12 */
	int version;			/* default 2 */
	struct vrrp_conf_garp_params garp; /* defaults 5, 5, -1, -1, 0, 1 */
	unsigned long long garp_interval, gna_interval;	/* usec */
	int min_garp;
	int down_timer_adverts;		/* default 3 */
	int lower_prio_no_advert;	/* default 0 (1 with strict) */
	int higher_prio_send_advert;
	int check_unicast_src;
	int skip_check_adv_addr;
	int strict;
	int notify_priority_changes;
	struct conf_loc iptables_loc;	/* where vrrp_iptables is (file NULL: not) */
	char *iptables_in, *iptables_out;
	struct conf_loc ipsets_loc;	/* where vrrp_ipsets is */
	char *ipsets[5];
	int use_nftables;
	char *nft_table;		/* default "keepalived" */
	int nft_priority;		/* default -1 */
	int nft_counters;
	int nft_ifindex;
	int process_priority;		/* vrrp_priority, nice -20..19 */
	int no_swap;
	int rt_priority;		/* 0: none */
	unsigned rlimit_rttime;		/* usec, 0: default */
	char *cpu_affinity;		/* the CPU list as written */
	unsigned long long cpu_mask;	/* CPUs 0-63 */
	struct vrrp_conf_notify notify_fifo;
	struct vrrp_conf_notify notify_fifo_script;
	unsigned netlink_cmd_rcv_bufs;
	int netlink_cmd_rcv_bufs_force;
	unsigned netlink_monitor_rcv_bufs;
	int netlink_monitor_rcv_bufs_force;
	int rx_bufs_policy;		/* 0 default, 1 MTU, 2 ADVERT, 3 size */
	unsigned rx_bufs_size;
	int rx_bufs_multiplier;		/* default 3 */
	unsigned long long startup_delay;	/* usec */
	char *vmac_prefix;		/* default "vrrp" */
	char *vmac_addr_prefix;		/* a VIP's VMAC; default vmac_prefix */
	char *default_interface;	/* default "eth0" */
	int dynamic_interfaces;
	int log_unknown_vrids;
	int fifo_write_states_on_reload;	/* fifo_write_vrrp_states_on_reload */
	int disable_local_igmp;
	int smtp_alert_vrrp;		/* VRRP_UNSET */
	int no_email_faults;		/* no alerts for FAULT states */
	struct vrrp_conf_syncd lvs_syncd;
	/* linkbeat_use_polling (top level): every instance's interface is
	 * polled (vrrp/linkbeat.c) */
	int linkbeat_use_polling;
};

struct vrrp_conf {
	struct arena *arena;
	struct vrrp_conf_globals g;
	struct vrrp_conf_list instances;	/* struct vrrp_instance_conf */
	struct vrrp_conf_list sync_groups; /* struct vrrp_sync_group_conf */
	struct vrrp_conf_list scripts;	/* struct vrrp_script_conf */
	struct vrrp_conf_list track_files; /* struct vrrp_track_file_conf */
	/* struct vrrp_track_process_conf */
	struct vrrp_conf_list track_processes;
	struct vrrp_conf_list garp_groups; /* struct vrrp_garp_group_conf */
	struct vrrp_conf_list track_groups; /* struct vrrp_track_group_conf */
	struct vrrp_conf_list static_addrs;	/* struct vrrp_conf_ipaddr */
	struct vrrp_conf_list static_routes;	/* struct vrrp_conf_route */
	struct vrrp_conf_list static_rules;	/* struct vrrp_conf_rule */
	struct vrrp_conf_list if_delays;	/* struct vrrp_conf_if_delay */
	struct vrrp_conf_list linkbeat_ifs; /* struct vrrp_conf_linkbeat */
	/* kept by the keyword handlers as objects are linked */
	struct htab names[VRRP_IX_MAX];	/* by name */
	struct htab identity;	/* instances by (interface, VRID, family) */
};

/* Register every VRRP keyword with owner CONF_OWNER_VRRP. 0 or -1. */
int vrrp_conf_register(struct conf_registry *r);
/* A root object with keepalived's defaults; NULL if out of memory. */
struct vrrp_conf *vrrp_conf_new(struct arena *a);
/*
 * Checks that need the whole configuration (sync group members, tracked
 * scripts/files/processes, track groups). Run after conf_apply. Returns the
 * number of errors reported.
 */
unsigned vrrp_conf_check(struct vrrp_conf *c, struct conf_diag *d);
/*
 * An interface_up_down_delays delay (usec) as keepalived 2.2.7 fits it to
 * an instance on that interface (vrrp.c's check_debounce_timers): a
 * delay not less than (adverts - 1) advert intervals, adverts the
 * instance's down_timer_adverts, becomes that less advert_usec / 256, so
 * that the link's change reaches the instance before its peer's master
 * down timer would; with adverts 1 there is no room and it becomes 0.
 * vrrp_conf_check applies it to each instance's interface in the order of
 * the configuration, and warns with keepalived's words; the engine again
 * when a VRRPv3 master advertises a shorter interval
 * (vrrp_ifaces_fit_delays).
 */
static inline unsigned long long
vrrp_conf_delay_fit(unsigned long long delay, unsigned adverts,
    unsigned long long advert_usec)
{
	unsigned long long limit;

	if (adverts <= 1)
		return 0;
	limit = (adverts - 1) * advert_usec;
	return delay >= limit ? limit - advert_usec / 256 : delay;
}
/* vrrp/config_syncd.c: lvs_sync_daemon (global_defs), and its checks in
 * vrrp_conf_check: the instance it names exists, an instance's
 * lvs_sync_daemon_interface when none is given; the number of errors */
int vrrp_conf_register_syncd(struct conf_registry *r);
unsigned vrrp_conf_check_syncd(struct vrrp_conf *c, struct conf_diag *d);
/* Whether a and b run the same kernel daemon (interface, syncid, maxlen,
 * group, port, ttl; not the instance it follows): a reload that changes
 * any of them restarts it. */
int vrrp_conf_syncd_same(const struct vrrp_conf_syncd *a,
    const struct vrrp_conf_syncd *b);
void vrrp_conf_dump(const struct vrrp_conf *c, FILE *fp);
/*
 * The same dump in parts (the VRRP child's SIGUSR1 dump, a part in each
 * gap between its adverts): from cur on (zeroed: the start), items
 * (the globals and what precedes the instances, each instance, what
 * follows them) until budget usec have passed (0: one item); 1 with cur
 * where the next part starts, 0 once the dump was written whole. The
 * parts together write what vrrp_conf_dump writes.
 */
struct vrrp_dump_cursor {
	int phase;
	const void *at;
};
int vrrp_conf_dump_part(const struct vrrp_conf *c, FILE *fp,
    struct vrrp_dump_cursor *cur, uint64_t budget);
/*
 * Host checks (vrrp/config_host.c): interfaces named by instances, VIPs,
 * routes, track_interface and garp groups exist; track and notify scripts
 * can be run. c is the generation (global_defs, tree; may be NULL: no
 * global settings). The number of errors reported (struct subsys'
 * conf_host_check).
 */
struct vigil_config;
unsigned vrrp_conf_host_check(const void *conf, const struct vigil_config *c,
    struct conf_diag *d);

/*
 * Does a tracking line of an instance or sync group name the vrrp_script
 * (ix VRRP_IX_SCRIPT), track_file (VRRP_IX_TRACK_FILE) or track_process
 * (VRRP_IX_TRACK_PROCESS) called name? The child runs only those, as
 * keepalived does.
 */
int vrrp_conf_tracked(const struct vrrp_conf *c, enum vrrp_ix ix,
    const char *name);

/*
 * Whether a VIP or eVIP a of c goes on a VMAC of its own (keepalived
 * 2.2.7's use_vmac on the address, use_vmac_addr on the instance), made
 * on vrrp_conf_addr_base(c, a): use_vmac on it, unless it is on the
 * interface and of the family of the instance's own VMAC; use_vmac_addr,
 * when it is on another interface or of the other family.
 */
int vrrp_conf_addr_vmac(const struct vrrp_instance_conf *c,
    const struct vrrp_conf_ipaddr *a);
/* The interface a VIP or eVIP a of c is on (its dev, else c's), or NULL. */
const char *vrrp_conf_addr_base(const struct vrrp_instance_conf *c,
    const struct vrrp_conf_ipaddr *a);
/* The MAC a VMAC of c carries for family: 00:00:5e:00:01:VRID (IPv4) or
 * 00:00:5e:00:02:VRID (IPv6), else use_vmac's MAC (5 octets: VRID
 * appended). */
void vrrp_conf_vmac_mac(const struct vrrp_instance_conf *c, int family,
    unsigned char mac[6]);

/* The instance named name, or NULL. Constant time. */
const struct vrrp_instance_conf *vrrp_conf_find_instance(
    const struct vrrp_conf *c, const char *name);

/* ---- reload --------------------------------------------------------------- */

/* Per object type, how many of each enum conf_diff_kind. */
struct vrrp_conf_diff {
	struct conf_diff_count instances;
};

/* One instance compared: old is NULL when ADDED, new when REMOVED. */
struct vrrp_conf_diff_ev {
	enum conf_diff_kind kind;
	const struct vrrp_instance_conf *old, *new;
};

typedef void vrrp_conf_diff_fn(void *arg, const struct vrrp_conf_diff_ev *ev);

/*
 * Match the instances of two generations by identity key and classify
 * each (CHANGED: same (interface, VRID, family), fields differ). cb
 * (optional) is called once per instance: removed ones first, then the new
 * generation in order. Either config may be NULL (empty); out may be NULL.
 * 0, or -1 if out of memory.
 */
int vrrp_conf_diff(const struct vrrp_conf *old, const struct vrrp_conf *new,
    struct vrrp_conf_diff *out, vrrp_conf_diff_fn *cb, void *arg);
/*
 * The same comparison in words, one line per change (instances added,
 * removed, changed with what changed; VIPs added and removed; then sync
 * groups, static addresses, routes and rules added and removed), through fn
 * (struct subsys' conf_diff_text: old, new are struct vrrp_conf). 0 or -1.
 */
int vrrp_conf_diff_text(const void *old, const void *new, subsys_line_fn *fn,
    void *arg);
/* Every field equal (locations ignored). */
int vrrp_conf_instance_equal(const struct vrrp_instance_conf *a,
    const struct vrrp_instance_conf *b);

#endif

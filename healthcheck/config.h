/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Typed configuration of the health-check / LVS subsystem, built from the
 * keyword tables registered by chk_conf_register().
 *
 * Use:
 *	c = chk_conf_new(arena);
 *	roots[CONF_OWNER_CHECK] = c;
 *	nerr = conf_apply(reg, tree, mask, roots, arena, diag);	(same arena)
 *	nerr += chk_conf_finalize(c, diag);
 *
 * chk_conf_finalize() resolves what can only be known once the whole file
 * has been read, as keepalived does: virtual_server group references,
 * address families, inheritance of timers and options (virtual server ->
 * real server -> checker) and the per-kind defaults. After it, every
 * field below holds its effective value (no "unset" markers remain except
 * where documented). All timers are in microseconds.
 */
#ifndef VIGIL_CHK_CONFIG_H
#define VIGIL_CHK_CONFIG_H

#include <stdint.h>
#include <stdio.h>

/* The health-check subsystem's configuration owner (lib/conf.h). */
#define CONF_OWNER_CHECK 2

#include "addr.h"
#include "arena.h"
#include "conf.h"
#include "htab.h"
#include "subsys.h"

#define CHK_TIMER_UNSET (~0ULL)
#define CHK_INT_UNSET (-1)

/* Defaults, as keepalived 2.2 uses them. */
#define CHK_DEF_DELAY_LOOP	(60ULL * 1000000)
/* BFD_CHECK reads its session's state this often (check_bfd.c) */
#define CHK_BFD_POLL_USEC	(100ULL * 1000)
#define CHK_DEF_CONNECT_TIMEOUT	(5ULL * 1000000)
#define CHK_DEF_PERSISTENCE	360	/* seconds, "persistence_timeout" alone */
#define CHK_SCHED_LEN		16
/* Real servers of a virtual server whose checker lists the next one's is
 * compared with, to share one (config_rs.c). */
#define CHK_SHARE_RECENT	4

/* A script with optional user/group ("notify_up /bin/x arg" user group). */
struct chk_conf_script {
	char *cmd;		/* NULL: none */
	char *user;
	char *group;
};

enum chk_fwd {
	CHK_FWD_UNSET = 0,
	CHK_FWD_NAT,
	CHK_FWD_DR,
	CHK_FWD_TUN,
};

enum chk_tun_type { CHK_TUN_IPIP = 0, CHK_TUN_GUE, CHK_TUN_GRE };
enum chk_tun_csum { CHK_CSUM_DEFAULT = 0, CHK_CSUM_NONE, CHK_CSUM, CHK_CSUM_REMOTE };

/* lvs_method / lb_kind / sorry_server_lvs_method. */
struct chk_conf_fwd_method {
	enum chk_fwd method;
	enum chk_tun_type tun_type;
	unsigned tun_port;		/* gue only */
	enum chk_tun_csum tun_csum;
};

/* Scheduler flags (ipvsadm -b, -o). */
enum {
	CHK_VS_F_HASHED = 1u << 0,
	CHK_VS_F_ONEPACKET = 1u << 1,
	CHK_VS_F_FLAG1 = 1u << 2,	/* also sh-fallback / mh-fallback */
	CHK_VS_F_FLAG2 = 1u << 3,	/* also sh-port / mh-port */
	CHK_VS_F_FLAG3 = 1u << 4,
};

/* ---- virtual_server_group -------------------------------------------- */

struct chk_conf_vsg_entry {
	struct chk_conf_vsg_entry *next;
	struct conf_loc loc;
	int is_fwmark;
	/* address range (lo == hi for a single address) */
	struct vg_addr lo, hi;
	unsigned port;			/* 0: none given */
	/* fwmark */
	unsigned fwmark;
	int family;			/* AF_INET/AF_INET6, 0 unless given */
};

struct chk_vsg_conf {
	struct chk_vsg_conf *next;
	struct conf_loc loc;
	char *name;
	struct chk_conf_vsg_entry *entries, *entries_tail;
	unsigned nentries;
};

/* ---- checkers --------------------------------------------------------- */

enum chk_checker_kind {
	CHK_TCP = 0,
	CHK_HTTP,
	CHK_SSL,
	CHK_SMTP,
	CHK_DNS,
	CHK_UDP,
	CHK_PING,
	CHK_MISC,
	CHK_FILE,
	CHK_BFD,
	CHK_KIND_MAX
};

/* Where a check connects to (checker, or one SMTP_CHECK host). Finalize
 * leaves the real server's address and port out (a checker is shared by
 * real servers that differ only there): chk_conf_conn_addr() and
 * chk_conf_conn_port() give the target for one real server. */
struct chk_conf_conn {
	struct vg_addr connect_ip;	/* unset: the real server address */
	unsigned connect_port;		/* when has_port */
	int has_port;			/* connect_port given (0 is a port);
					 * 0: the real server's port */
	struct vg_addr bindto;		/* unset: any */
	unsigned bind_port;		/* 0: any */
	char *bind_if;
	unsigned fwmark;		/* 0: none */
	unsigned long long connect_timeout;
};

enum chk_http_proto { CHK_HTTP_10 = 0, CHK_HTTP_10C, CHK_HTTP_11 };

#define CHK_STATUS_MIN 100
#define CHK_STATUS_MAX 599

struct chk_url_conf {
	struct chk_url_conf *next;
	struct conf_loc loc;
	char *path;
	int has_digest;
	unsigned char digest[16];	/* MD5 of the body */
	int has_status;			/* else the default 200-299 is set */
	unsigned char status[(CHK_STATUS_MAX + 1 + 7) / 8];	/* bitmap */
	char *virtualhost;		/* effective: url > checker > rs > vs */
	char *regex;
	int regex_no_match;
	char *regex_options;		/* space separated option names */
	unsigned regex_stack_start, regex_stack_max;
	unsigned regex_min_offset, regex_max_offset;	/* 0: none */
};

/* conn comes first in both structs below: the connection keywords are
 * one table for both. */
struct chk_conf_smtp_host {
	struct chk_conf_conn conn;	/* unset fields: the checker's */
	struct chk_conf_smtp_host *next;
	struct conf_loc loc;
	/* while parsing: the SMTP_CHECK whose timing keywords (retry,
	 * delay_loop, ...) a host block sets, as keepalived does */
	struct chk_checker_conf *checker;
};

struct chk_checker_conf {
	struct chk_conf_conn conn;
	struct chk_checker_conf *next;
	struct conf_loc loc;
	enum chk_checker_kind kind;

	int retry;
	unsigned long long delay_before_retry;
	unsigned long long warmup;
	unsigned long long delay_loop;
	int alpha;
	int log_all_failures;

	union {
		struct {		/* CHK_HTTP, CHK_SSL */
			struct chk_url_conf *urls;
			unsigned nurls;
			enum chk_http_proto proto;
			int fast_recovery;
			int enable_sni;
			int tls_compliant;
			char *virtualhost;
		} http;
		struct {		/* CHK_SMTP */
			char *helo_name;
			struct chk_conf_smtp_host *hosts; /* extra hosts */
			unsigned nhosts;
		} smtp;
		struct {		/* CHK_DNS */
			unsigned type;	/* RR type number; default SOA */
			char *name;	/* default "." */
		} dns;
		struct {		/* CHK_UDP */
			unsigned char *payload;
			size_t payload_len;
			int require_reply;
			unsigned char *reply;	/* NULL: any data */
			unsigned char *reply_mask;	/* 0xf nibble: compare */
			size_t reply_len;
			unsigned min_reply_length, max_reply_length;
		} udp;
		struct {		/* CHK_MISC */
			struct chk_conf_script script;	/* misc_path + user */
			unsigned long long timeout;	/* default delay_loop */
			int dynamic;
		} misc;
		struct {		/* CHK_FILE */
			char *track_file;
			int dynamic;
			int weight;
			int reverse;
		} file;
		struct {		/* CHK_BFD */
			char *name;
		} bfd;
	} u;
};

/* ---- real and virtual servers -------------------------------------- */

/*
 * What a real server hands its checkers: their list and the settings they
 * inherit (alpha, retry, the timers, virtualhost). Real servers of one
 * virtual server whose checkers and settings are equal share one
 * (config_rs.c): 100,000 real servers that differ only in their address
 * and port hold one. Immutable once finalized; never write through it.
 */
struct chk_rs_checks {
	struct chk_checker_conf *list;
	unsigned n;			/* checkers in list */
	int alpha;
	int retry;
	char *virtualhost;
	unsigned long long delay_before_retry, warmup, delay_loop,
	    connect_timeout;
	struct chk_rs_checks *spare;	/* while parsing: given back */
};

struct chk_rs_conf {
	struct chk_rs_conf *next;
	struct htab_node hnode;		/* in its virtual server's rs_index */
	struct conf_loc loc;
	struct vg_addr addr;
	unsigned port;			/* 0 for fwmark services */
	int weight;
	int inhibit_on_failure;
	struct chk_conf_fwd_method fwd;	/* default: the virtual server's */
	/* NULL: none (most real servers have none: a pointer each) */
	const struct chk_conf_script *notify_up, *notify_down;
	unsigned uthreshold, lthreshold;
	int smtp_alert;			/* -1: smtp_alert_checker, else global
					 * smtp_alert, else on (chk_mail.c) */
	/* CHK_DEST_*, set by finalize on real servers of one virtual server
	 * that end up as one IPVS destination (DR and TUN take the virtual
	 * server's port: 10.0.0.1 80 and 10.0.0.1 8080 are both
	 * [10.0.0.1]:80): the entry is in while every one of them is up,
	 * with the weight and settings of the first in the file (rs.c) */
	unsigned char dest_share;
	char *snmp_name;
	/* its checkers and what they inherit, shared (never NULL once
	 * parsed): 128 bytes a real server */
	struct chk_rs_checks *checks;
};
/* chk_rs_conf.dest_share: alone on its IPVS destination, the first in
 * the file of those on it, a later one */
enum { CHK_DEST_OWN = 0, CHK_DEST_FIRST, CHK_DEST_LATER };
enum chk_vs_kind { CHK_VS_ADDR = 0, CHK_VS_FWMARK, CHK_VS_GROUP };

struct chk_sorry_conf {
	int set;
	struct conf_loc loc;
	struct vg_addr addr;
	unsigned port;
	int inhibit;
	struct chk_conf_fwd_method fwd;	/* default: the virtual server's */
};

struct chk_vs_conf {
	struct chk_vs_conf *next;
	struct conf_loc loc;
	struct htab_node key_node;	/* in chk_conf.vs_index */

	/* identity */
	enum chk_vs_kind kind;
	int protocol;			/* IPPROTO_TCP/UDP/SCTP */
	struct vg_addr addr;		/* CHK_VS_ADDR */
	unsigned port;
	unsigned fwmark;		/* CHK_VS_FWMARK */
	char *group_name;		/* CHK_VS_GROUP */
	const struct chk_vsg_conf *group;	/* resolved by finalize */
	int family;			/* AF_INET/AF_INET6 */

	char sched[CHK_SCHED_LEN];	/* default "wlc"?: see finalize */
	unsigned flags;			/* CHK_VS_F_* */
	struct chk_conf_fwd_method fwd;
	unsigned persistence_timeout;	/* seconds, 0: not persistent */
	int persistence_set;
	struct vg_addr persistence_mask;	/* IPv4 netmask */
	unsigned persistence_prefix;	/* IPv6 granularity; 0: none */
	char *persistence_engine;
	int ha_suspend;
	int smtp_alert;			/* -1: smtp_alert_checker, else global
					 * smtp_alert, else off (chk_mail.c) */
	char *virtualhost;
	char *snmp_name;
	int alpha, omega;
	unsigned quorum;
	unsigned hysteresis;
	int weight;			/* real servers' default weight (1) */
	struct chk_conf_script quorum_up, quorum_down;
	struct chk_sorry_conf sorry;
	int inhibit_on_failure;

	int retry;
	unsigned long long delay_before_retry, warmup, delay_loop,
	    connect_timeout;

	struct chk_rs_conf *rs, *rs_tail;
	unsigned nrs;
	struct htab rs_index;		/* by (address, port) */
};

/* ---- the root ------------------------------------------------------- */

struct chk_ssl_conf {
	int set;
	char *password, *ca, *certificate, *key;
};

struct chk_global_conf {
	unsigned lvs_timeout_tcp, lvs_timeout_tcpfin, lvs_timeout_udp; /* 0: keep */
	int lvs_flush;
	int lvs_flush_on_stop;	/* 0 no, 1 yes, 2 VS only */
	struct chk_conf_script lvs_notify_fifo;
	struct chk_conf_script lvs_notify_fifo_script;
	int smtp_alert_checker;		/* -1: unset */
	int checker_log_all_failures;
	int checker_priority;
	int checker_no_swap;
	char *checker_cpu_affinity;
	unsigned long long checker_cpu_mask;	/* CPUs 0-63 */
	int checker_rt_priority;	/* 0: unset */
	unsigned checker_rlimit_rttime;	/* usec; 0: unset */
	unsigned lvs_netlink_cmd_rcv_bufs, lvs_netlink_monitor_rcv_bufs;
	int lvs_netlink_cmd_rcv_bufs_force, lvs_netlink_monitor_rcv_bufs_force;
	int enable_snmp_checker;
	char *net_namespace_ipvs;
	char *nftables_ipvs;		/* table name; NULL: not used */
	int nftables_ipvs_priority;
	unsigned nftables_ipvs_start_fwmark;
	/* vigil's own: seconds between reads of the kernel's IPVS counters
	 * (healthcheck/chk_stats.h); 0: never; CHK_INT_UNSET: 5 */
	int ipvs_stats_interval;
};

struct chk_conf {
	struct arena *arena;
	struct chk_vs_conf *vs, *vs_tail;
	unsigned nvs;
	struct chk_vsg_conf *groups, *groups_tail;
	unsigned ngroups;
	struct chk_ssl_conf ssl;
	struct chk_global_conf g;
	int finalized;
	struct htab vs_index;		/* by identity, built by finalize */
	/* internal: last interned file name */
	const char *loc_src, *loc_copy;
	/* internal, while parsing: checkers given back by real servers
	 * that share another one's list (reused by the next checker
	 * block), and the real servers of the virtual server being read
	 * whose lists the next real server may share */
	struct chk_checker_conf *ck_spare;
	struct chk_rs_checks *rsck_spare;
	const struct chk_vs_conf *share_vs;
	const struct chk_rs_conf *share_rs[CHK_SHARE_RECENT];
	unsigned share_at;
};

/* Register every LVS/checker keyword (owner CONF_OWNER_CHECK). 0 or -1.
 * global_defs keywords another owner already registered are left to it. */
int chk_conf_register(struct conf_registry *r);

struct chk_conf *chk_conf_new(struct arena *a);

/* Inheritance, defaults, cross references. Returns the number of errors
 * reported (warnings for what keepalived ignores with a message). */
unsigned chk_conf_finalize(struct chk_conf *c, struct conf_diag *d);

/* Human-readable summary (vigild -d, SIGUSR1). */
void chk_conf_dump(const struct chk_conf *c, FILE *fp);
/* Host checks (healthcheck/config_host.c): MISC_CHECK, notify and quorum
 * scripts can be run. c: the generation (NULL: no global settings). The
 * number of errors reported (struct subsys' conf_host_check). */
struct vigil_config;
unsigned chk_conf_host_check(const void *conf, const struct vigil_config *c,
    struct conf_diag *d);

/* Real server of vs with this address and port, or NULL. O(1). */
struct chk_rs_conf *chk_conf_vs_find_rs(const struct chk_vs_conf *vs,
    const struct vg_addr *addr, unsigned port);

/* "tcp", "udp", "sctp" ("?" for anything else) */
const char *chk_conf_proto_name(int proto);

/* Whether a virtual or real server mails, as keepalived 2.2.7 decides
 * it: its own smtp_alert, else global_defs' smtp_alert_checker, else
 * smtp_alert, else dflt (a real server 1, a virtual server 0). Unset:
 * CHK_INT_UNSET (-1, global_defs' "not set" too). */
int chk_conf_smtp_alert(int own, int checker, int global, int dflt);

/* "[10.0.0.1]:tcp:80", "fwmark 5", "group VSG_1:tcp" into buf. */
const char *chk_conf_vs_name(const struct chk_vs_conf *vs, char *buf,
    size_t len);

const char *chk_conf_checker_kind_name(enum chk_checker_kind k);

/* The port in the kernel's table of a real or sorry server of vs
 * forwarded by fwd and written with port, as keepalived 2.2.7 programs
 * it: not NAT, the virtual server's port (0 for a fwmark); NAT, its own
 * (the virtual server's when 0). A group's are written as they are. Its
 * checks still go to the port written. */
unsigned chk_conf_ipvs_port(const struct chk_vs_conf *vs,
    const struct chk_conf_fwd_method *fwd, unsigned port);
/* The port that tells a real or sorry server's IPVS destination from
 * the others of vs (the desired table's): chk_conf_ipvs_port(), save
 * that a group's DR / TUN destination is at each entry's port (none on
 * its fwmark entries, ipvs_backend.c), whatever port was written, so
 * that all of one address are one destination there: 0 for those. */
unsigned chk_conf_dest_port(const struct chk_vs_conf *vs,
    const struct chk_conf_fwd_method *fwd, unsigned port);

/* Where a connection of a check of real server rs goes: connect_ip, else
 * rs's address; connect_port, else rs's port (25 for SMTP_CHECK, 53 for
 * DNS_CHECK on a real server without one: fwmark services). */
const struct vg_addr *chk_conf_conn_addr(const struct chk_conf_conn *c,
    const struct chk_rs_conf *rs);
unsigned chk_conf_conn_port(const struct chk_conf_conn *c,
    enum chk_checker_kind kind, const struct chk_rs_conf *rs);

/* 1 if two checkers have the same effective settings (the connection,
 * timers, retry, alpha and everything of their kind; not where they were
 * written): one probe can serve both. */
int chk_conf_checker_eq(const struct chk_checker_conf *a,
    const struct chk_checker_conf *b);

/* ---- reload diff ------------------------------------------------------ */

/* Per object type, how many of each enum conf_diff_kind. */
struct chk_conf_diff {
	struct conf_diff_count vs, rs;
};

/*
 * One object compared. For a virtual server event rs_old/rs_new are NULL.
 * For a real server event vs_old/vs_new are its virtual servers (one is
 * NULL when the virtual server itself was added or removed). "old" is
 * NULL for ADDED, "new" is NULL for REMOVED.
 */
struct chk_conf_diff_ev {
	enum conf_diff_kind kind;
	int is_rs;
	const struct chk_vs_conf *vs_old, *vs_new;
	const struct chk_rs_conf *rs_old, *rs_new;
};

typedef void chk_conf_diff_fn(void *arg, const struct chk_conf_diff_ev *ev);

/*
 * Match virtual servers by identity ((protocol, VIP, port) | (fwmark,
 * family) | (group name, protocol)) and real servers by (address, port)
 * within a matched virtual server. A virtual server is "changed" when its
 * own settings differ (its real servers are reported separately); a real
 * server is "changed" when any of its settings or checkers differ. Both
 * configs must be finalized (the diff uses the index finalize builds and
 * allocates nothing); either may be NULL (empty). out and cb may be NULL. Returns 0 (the shape of
 * every subsystem's diff: -1 would be out of memory).
 */
int chk_conf_diff(const struct chk_conf *old, const struct chk_conf *new,
    struct chk_conf_diff *out, chk_conf_diff_fn *cb, void *arg);
/*
 * The same comparison in words, one line per change (virtual servers
 * added, removed, changed with what changed and what happens to their
 * IPVS service; real servers likewise; all flagged SUBSYS_LINE_BULK:
 * there may be 100,000 of them), through
 * fn (struct subsys' conf_diff_text: old, new are struct chk_conf). 0.
 */
int chk_conf_diff_text(const void *old, const void *new, subsys_line_fn *fn,
    void *arg);

#endif

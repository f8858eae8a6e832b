/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The LVS and checker keywords of global_defs (lvs_*, checker_*, ...).
 * They write into struct chk_global_conf.
 */
#include "config_priv.h"

#include <limits.h>
#include <stddef.h>
#include <string.h>

#define G(f) (offsetof(struct chk_conf, g) + offsetof(struct chk_global_conf, f))

static int
set_lvs_timeouts(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *obj)
{
	struct chk_global_conf *g = &((struct chk_conf *)obj)->g;
	unsigned i, *dst;
	long long v;

	(void)kw;
	for (i = 1; i < n->argc; i += 2) {
		const char *k = n->argv[i];

		if (strcmp(k, "tcp") == 0)
			dst = &g->lvs_timeout_tcp;
		else if (strcmp(k, "tcpfin") == 0)
			dst = &g->lvs_timeout_tcpfin;
		else if (strcmp(k, "udp") == 0)
			dst = &g->lvs_timeout_udp;
		else {
			conf_error(cx, n, "expected tcp|tcpfin|udp, got %s", k);
			return -1;
		}
		if (i + 1 >= n->argc) {
			conf_error(cx, n, "%s: expected a number of seconds", k);
			return -1;
		}
		if (conf_parse_ll(n->argv[i + 1], 1, 86400 * 31, &v) == -1) {
			conf_error(cx, n, "%s: expected seconds 1-2678400, "
			    "got %s", k, n->argv[i + 1]);
			return -1;
		}
		*dst = (unsigned)v;
	}
	return 0;
}

static int
set_flush_on_stop(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *obj)
{
	struct chk_global_conf *g = &((struct chk_conf *)obj)->g;
	int v;

	(void)kw;
	if (n->argc == 1) {
		g->lvs_flush_on_stop = 1;
		return 0;
	}
	if (strcmp(n->argv[1], "VS") == 0) {
		g->lvs_flush_on_stop = 2;
		return 0;
	}
	if (conf_parse_bool(n->argv[1], &v) == 0) {
		g->lvs_flush_on_stop = v;
		return 0;
	}
	conf_error(cx, n, "expected VS or nothing, got %s", n->argv[1]);
	return -1;
}

/* lvs_notify_fifo FIFO [USER [GROUP]], lvs_notify_fifo_script SCRIPT
 * [USER [GROUP]] (written and run by healthcheck/chk_fifo.c) */
static int
set_fifo(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *obj)
{
	return chk_conf_parse_script(cx, n, 1,
	    (struct chk_conf_script *)((char *)obj + kw->off));
}

static int
set_nft_ipvs(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *obj)
{
	struct chk_global_conf *g = &((struct chk_conf *)obj)->g;

	(void)kw;
	g->nftables_ipvs = arena_strdup(conf_arena(cx),
	    n->argc > 1 ? n->argv[1] : "keepalived_ipvs");
	return g->nftables_ipvs == NULL ? -1 : 0;
}

/* a keyword and its old spelling, which warns, then does the same */
/* a netlink socket's receive buffer size, and name_force */

/* One table per keyword, so that a keyword another owner registered in
 * global_defs is left to it without losing the others. */
static const struct conf_kw global_kw[][2] = {
	CONF_KW_ONE(CONF_KW("lvs_timeouts", 2, 6, set_lvs_timeouts, 0)),
	CONF_KW_ONE(CONF_KW_FLAG("lvs_flush", G(lvs_flush))),
	CONF_KW_ONE(CONF_KW("lvs_flush_on_stop", 0, 1, set_flush_on_stop, 0)),
	CONF_KW_ONE(CONF_KW_DEPRECATED("lvs_flush_onstop", 0, 1,
	    set_flush_on_stop, 0, 0, 0)),
	CONF_KW_ONE(CONF_KW("lvs_notify_fifo", 1, 3, set_fifo,
	    G(lvs_notify_fifo))),
	CONF_KW_ONE(CONF_KW("lvs_notify_fifo_script", 1, 3, set_fifo,
	    G(lvs_notify_fifo_script))),
	CONF_KW_ONE(CONF_KW_FLAG("smtp_alert_checker", G(smtp_alert_checker))),
	CONF_KW_ONE(CONF_KW_FLAG("checker_log_all_failures",
	    G(checker_log_all_failures))),
	/* the checker child's scheduling (chk_child_start) */
	CONF_KW_ONE(CONF_KW_INT("checker_priority", G(checker_priority), -20,
	    19)),
	CONF_KW_ONE(CONF_KW_FLAG("checker_no_swap", G(checker_no_swap))),
	CONF_KW_ONE(CONF_KW_CPUS("checker_cpu_affinity",
	    G(checker_cpu_affinity), G(checker_cpu_mask))),
	/* lib/proc_rt.c, as vrrp_rt_priority / vrrp_rlimit_rttime */
	CONF_KW_ONE(CONF_KW_INT("checker_rt_priority", G(checker_rt_priority),
	    1, 99)),
	CONF_KW_ONE(CONF_KW_UINT("checker_rlimit_rttime",
	    G(checker_rlimit_rttime), 2, UINT_MAX)),
	CONF_KW_ONE(CONF_KW_DEPRECATED("checker_rlimit_rtime", 1, 1,
	    conf_set_uint, G(checker_rlimit_rttime), 2, UINT_MAX)),
	/* the receive buffers of the IPVS socket (keepalived's command
	 * socket, ipvs_backend.c) and of the address events' (its monitor
	 * socket, addrwatch.c) */
	CONF_KW_ONE(CONF_KW_UINT("lvs_netlink_cmd_rcv_bufs",
	    G(lvs_netlink_cmd_rcv_bufs), 0, UINT_MAX)),
	CONF_KW_ONE(CONF_KW_FLAG("lvs_netlink_cmd_rcv_bufs_force",
	    G(lvs_netlink_cmd_rcv_bufs_force))),
	CONF_KW_ONE(CONF_KW_UINT("lvs_netlink_monitor_rcv_bufs",
	    G(lvs_netlink_monitor_rcv_bufs), 0, UINT_MAX)),
	CONF_KW_ONE(CONF_KW_FLAG("lvs_netlink_monitor_rcv_bufs_force",
	    G(lvs_netlink_monitor_rcv_bufs_force))),
	CONF_KW_ONE(CONF_KW_FLAG("enable_snmp_checker",
	    G(enable_snmp_checker))),
	/* the IPVS sockets' namespace (ipvs_set_netns, chk_child.c) */
	CONF_KW_ONE(CONF_KW("net_namespace_ipvs", 1, 1, conf_set_str,
	    G(net_namespace_ipvs))),
	/* kept for the dump; IPVS is programmed without nftables marks yet
	 * (they warn) */
	CONF_KW_ONE(CONF_KW_NOT_YET_KEPT("nftables_ipvs", 0, 1, set_nft_ipvs,
	    0, 0, 0)),
	CONF_KW_ONE(CONF_KW_NOT_YET_KEPT("nftables_ipvs_priority", 1, 1,
	    conf_set_int, G(nftables_ipvs_priority), -2147483647LL,
	    2147483647LL)),
	CONF_KW_ONE(CONF_KW_NOT_YET_KEPT("nftables_ipvs_start_fwmark", 1, 1,
	    conf_set_uint, G(nftables_ipvs_start_fwmark), 1, 4294967295LL)),
	/* vigil's own: how often the kernel's IPVS counters are read */
	CONF_KW_ONE(CONF_KW_INT("ipvs_stats_interval",
	    G(ipvs_stats_interval), 0, 3600)),
};

/* net_namespace_ipvs [NAME] at the top level: the namespace IPVS lives
 * in; without a name, the initial one (pid 1's), as keepalived's. (Also
 * accepted inside global_defs.) */
static int
set_netns_ipvs(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *obj)
{
	struct chk_global_conf *g = &((struct chk_conf *)obj)->g;

	(void)kw;
	if (n->argc == 1) {
		g->net_namespace_ipvs = arena_strdup(conf_arena(cx), "");
		return g->net_namespace_ipvs == NULL ? -1 : 0;
	}
	g->net_namespace_ipvs = arena_strdup(conf_arena(cx), n->argv[1]);
	return g->net_namespace_ipvs == NULL ? -1 : 0;
}

static const struct conf_kw top_kw[][2] = {
	CONF_KW_ONE(CONF_KW("net_namespace_ipvs", 0, 1, set_netns_ipvs, 0)),
};

int
chk_conf_register_global(struct conf_registry *r)
{
	if (conf_registry_add_each(r, CONF_OWNER_CHECK, "", top_kw,
	    sizeof(top_kw) / sizeof(top_kw[0])) == -1)
		return -1;
	return conf_registry_add_each(r, CONF_OWNER_CHECK, "global_defs",
	    global_kw, sizeof(global_kw) / sizeof(global_kw[0]));
}

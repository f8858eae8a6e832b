/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Hand-written layouts of the typed configuration structs, for
 * test_kwfields: every field with its name and how to print it, so that a
 * whole configuration can be flattened to "path=value" lines and two
 * configurations compared field by field. Written from the struct
 * declarations, independently of the keyword tables under test; a test
 * checks that each layout accounts for every byte of its struct.
 */
#ifndef VIGIL_TEST_KWFIELDS_LAYOUT_H
#define VIGIL_TEST_KWFIELDS_LAYOUT_H

#include <stddef.h>

#include "bfd/config.h"
#include "global_conf.h"
#include "healthcheck/config.h"
#include "vrrp/config.h"

enum fk {
	FK_SKIP,	/* not a setting: links, locations, indexes */
	FK_INT, FK_UINT, FK_UL, FK_LL, FK_ULL, FK_SIZE,
	FK_STR,		/* char * */
	FK_CHARS,	/* char array holding a string */
	FK_BYTES,	/* anything else, printed in hex */
	FK_BITS,	/* bitmap, printed as the numbers of the bits set */
	FK_ADDR,	/* struct vg_addr */
	FK_SUB,		/* embedded struct laid out by sub */
	FK_VLIST,	/* struct vrrp_conf_list of objects laid out by sub */
	FK_CHAIN,	/* pointer to the first of a chain linked at sub->next */
	FK_STRV,	/* char ** with as many strings as the unsigned at aux */
	FK_BUF,		/* unsigned char * with as many bytes as the size_t at aux */
	FK_VARIANT,	/* union: var[the int at aux], NULL: nothing */
	FK_FN,		/* printed by fn (bit-fields) */
	FK_PTR,		/* pointer to one struct laid out by sub, printed as
			 * FK_SUB (NULL: as a zeroed one) */
};

struct out;
struct layout;

struct fld {
	const char *name;
	size_t off, size, align;
	enum fk k;
	const struct layout *sub;
	size_t aux;		/* offset in the struct holding the field */
	const struct layout *const *var;
	void (*fn)(struct out *o, const char *path, const void *obj);
};

struct layout {
	const char *name;
	size_t size, align;
	const struct fld *f;
	size_t nf;
	size_t next;		/* FK_CHAIN: offset of the link */
};

#define FA(f) _Alignof(__typeof__(((T *)0)->f))
#define FF(f, kind, s, a, v) \
	{ #f, offsetof(T, f), sizeof(((T *)0)->f), FA(f), kind, s, a, v, NULL }
#define SKIP(f)		FF(f, FK_SKIP, NULL, 0, NULL)
#define INT(f)		FF(f, FK_INT, NULL, 0, NULL)
#define UINT(f)		FF(f, FK_UINT, NULL, 0, NULL)
#define LL(f)		FF(f, FK_LL, NULL, 0, NULL)
#define UL(f)		FF(f, FK_UL, NULL, 0, NULL)
#define ULL(f)		FF(f, FK_ULL, NULL, 0, NULL)
#define SIZE(f)		FF(f, FK_SIZE, NULL, 0, NULL)
#define STR(f)		FF(f, FK_STR, NULL, 0, NULL)
#define CHARS(f)	FF(f, FK_CHARS, NULL, 0, NULL)
#define BYTES(f)	FF(f, FK_BYTES, NULL, 0, NULL)
#define BITS(f)		FF(f, FK_BITS, NULL, 0, NULL)
#define ADDR(f)		FF(f, FK_ADDR, NULL, 0, NULL)
#define SUB(f, l)	FF(f, FK_SUB, &(l), 0, NULL)
#define PTR(f, l)	FF(f, FK_PTR, &(l), 0, NULL)
#define VLIST(f, l)	FF(f, FK_VLIST, &(l), 0, NULL)
#define CHAIN(f, l)	FF(f, FK_CHAIN, &(l), 0, NULL)
#define STRV(f, n)	FF(f, FK_STRV, NULL, offsetof(T, n), NULL)
#define BUF(f, n)	FF(f, FK_BUF, NULL, offsetof(T, n), NULL)
#define VARIANT(f, sel, v) FF(f, FK_VARIANT, NULL, offsetof(T, sel), v)
#define LAYOUT(id, nextf) \
	static const struct layout id = { #id, sizeof(T), _Alignof(T), \
	    id##_f, sizeof(id##_f) / sizeof(id##_f[0]), nextf }

static void kw_print_track_bits(struct out *o, const char *path,
    const void *obj);

/* ---- global_conf (lib/global_conf.h) ------------------------------------- */

#define T struct global_script
static const struct fld gscript_f[] = { STR(path), STR(user), STR(group) };
LAYOUT(gscript, 0);
#undef T

#define T struct global_email
static const struct fld gemail_f[] = { SKIP(next), STR(addr) };
LAYOUT(gemail, offsetof(T, next));
#undef T

#define T struct global_conf
static const struct fld global_f[] = {
	STR(instance), STR(net_namespace), INT(namespace_with_ipsets),
	INT(use_pid_dir), UINT(child_wait_time),
	STR(router_id), CHAIN(emails, gemail), SKIP(emails_tail),
	UINT(nemails), STR(email_from), STR(smtp_server), ADDR(smtp_addr),
	UINT(smtp_port), STR(smtp_helo_name), UINT(smtp_connect_timeout),
	INT(smtp_alert), INT(no_checker_emails), INT(rs_init_notifies),
	STR(script_user), STR(script_group), INT(enable_script_security),
	SUB(notify_fifo, gscript), SUB(notify_fifo_script, gscript),
	SUB(startup_script, gscript), UINT(startup_script_timeout),
	SUB(shutdown_script, gscript), UINT(shutdown_script_timeout),
	INT(max_auto_priority), UINT(min_auto_priority_delay),
	UINT(process_monitor_rcv_bufs), INT(process_monitor_rcv_bufs_force),
	STR(snmp_socket), INT(enable_snmp_vrrp), INT(enable_snmp_rfcv2),
	INT(enable_snmp_rfcv3), INT(enable_traps),
	STR(process_name), STR(vrrp_process_name), STR(checker_process_name),
	STR(bfd_process_name),
	INT(umask), INT(umask_set),
	STR(tmp_config_directory), STR(config_save_dir),
	INT(data_use_instance), UINT(json_version), STR(metrics_listen),
	ADDR(metrics_addr), UINT(metrics_port), UL(random_seed),
	INT(random_seed_set), UINT(include_check),
	INT(include_check_set), INT(reload_check_config),
	STR(reload_check_log), STR(reload_time_file), INT(reload_repeat),
	INT(reload_file_set), STR(reload_file),
	STR(control_socket), UINT(control_socket_mode),
	STR(control_socket_group),
};
LAYOUT(global, 0);
#undef T

/* ---- VRRP (vrrp/config.h) ------------------------------------------------ */

#define T struct vrrp_conf_notify
static const struct fld vnotify_f[] = { STR(cmd), STR(user), STR(group) };
LAYOUT(vnotify, 0);
#undef T

#define T struct vrrp_conf_track
static const struct fld vtrack_f[] = {
	SKIP(next), SKIP(loc), STR(name), INT(weight),
	/* weight_set, reverse, noreverse: bit-fields after weight */
	{ "bits", offsetof(T, weight) + sizeof(int), sizeof(unsigned),
	    _Alignof(unsigned), FK_FN, NULL, 0, NULL, kw_print_track_bits },
};
LAYOUT(vtrack, offsetof(T, next));
#undef T

#define T struct vrrp_conf_ipaddr_params
static const struct fld vipap_f[] = {
	ADDR(addr), UINT(prefix), ADDR(peer), UINT(peer_prefix),
	INT(brd_mode), ADDR(brd), INT(scope), UINT(flags),
	UINT(preferred_lft),
};
LAYOUT(vipap, 0);
#undef T

#define T struct vrrp_conf_ipaddr
static const struct fld vipa_f[] = {
	SKIP(next), SKIP(loc), SUB(p, vipap), STR(dev), STR(label),
	STR(track_group),
};
LAYOUT(vipa, offsetof(T, next));
#undef T

#define T struct vrrp_conf_route_params
static const struct fld vroutep_f[] = {
	INT(family), INT(type), ADDR(dst), UINT(dst_len), ADDR(src),
	ADDR(from), UINT(from_len), ADDR(via), ADDR(or_via), UINT(table),
	UINT(metric), UINT(protocol), INT(scope), UINT(tos), UINT(mtu),
	UINT(nexthops), UINT(flags),
};
LAYOUT(vroutep, 0);
#undef T

#define T struct vrrp_conf_route
static const struct fld vroute_f[] = {
	SKIP(next), SKIP(loc), UINT(argc), STRV(argv, argc),
	SUB(p, vroutep), STR(dev), STR(table_name), STR(track_group),
};
LAYOUT(vroute, offsetof(T, next));
#undef T

#define T struct vrrp_conf_rule_params
static const struct fld vrulep_f[] = {
	INT(family), INT(action), ADDR(from), UINT(from_len), ADDR(to),
	UINT(to_len), UINT(table), UINT(priority), UINT(fwmark),
	UINT(fwmask), UINT(tos), UINT(goto_target), UINT(flags),
};
LAYOUT(vrulep, 0);
#undef T

#define T struct vrrp_conf_rule
static const struct fld vrule_f[] = {
	SKIP(next), SKIP(loc), UINT(argc), STRV(argv, argc),
	SUB(p, vrulep), STR(iif), STR(oif), STR(table_name),
	STR(track_group),
};
LAYOUT(vrule, offsetof(T, next));
#undef T

#define T struct vrrp_conf_peer
static const struct fld vpeer_f[] = {
	SKIP(next), SKIP(loc), ADDR(addr), INT(min_ttl), INT(max_ttl),
};
LAYOUT(vpeer, offsetof(T, next));
#undef T

#define T struct vrrp_conf_garp_params
static const struct fld vgarp_f[] = {
	INT(master_delay), INT(master_repeat), INT(lower_prio_delay),
	INT(lower_prio_repeat), INT(master_refresh),
	INT(master_refresh_repeat), INT(extra_if), INT(extra_if_all),
};
LAYOUT(vgarp, 0);
#undef T

#define T struct vrrp_conf_instance_params
static const struct fld viparams_f[] = {
	UINT(vrid), INT(family), UINT(version), INT(version_cfg),
	UINT(priority), ULL(advert_int), INT(state), INT(nopreempt),
	ULL(preempt_delay), INT(accept), ADDR(src_ip), ADDR(mcast_dst),
	INT(unicast_ttl), INT(check_unicast_src), INT(unicast_fault_no_peer),
	INT(track_src_ip), INT(dont_track_primary), INT(native_ipv6),
	INT(promote_secondaries), INT(use_vmac), BYTES(vmac_mac),
	UINT(vmac_mac_len), INT(vmac_xmit_base), INT(use_vmac_addr),
	INT(use_ipvlan), ADDR(ipvlan_addr), UINT(ipvlan_prefix),
	INT(ipvlan_mode), INT(auth_type), CHARS(auth_pass),
	SUB(garp, vgarp), INT(down_timer_adverts), INT(lower_prio_no_advert),
	INT(higher_prio_send_advert), INT(skip_check_adv_addr),
	INT(strict_mode), INT(smtp_alert), INT(notify_priority_changes),
	INT(debug), UINT(kernel_rx_buf_size), INT(old_unicast_checksum),
};
LAYOUT(viparams, 0);
#undef T

#define T struct vrrp_instance_conf
static const struct fld vinst_f[] = {
	SKIP(next), SKIP(loc), STR(name), SKIP(name_node), STR(interface), STR(vrf),
	SKIP(vrf_loc), STR(vmac_ifname), STR(ipvlan_ifname), SKIP(ipvlan_loc),
	STR(lvs_sync_daemon_interface),
	STR(sync_group), SKIP(id_node), SUB(p, viparams), VLIST(vips, vipa),
	VLIST(evips, vipa), VLIST(routes, vroute), VLIST(rules, vrule),
	VLIST(unicast_peers, vpeer), VLIST(track_if, vtrack),
	VLIST(track_script, vtrack), VLIST(track_file, vtrack),
	VLIST(track_process, vtrack), VLIST(track_bfd, vtrack),
	SUB(notify_master, vnotify),
	SUB(notify_backup, vnotify), SUB(notify_fault, vnotify),
	SUB(notify_stop, vnotify), SUB(notify, vnotify),
	SUB(notify_master_rx_lower_pri, vnotify),
	SUB(notify_deleted, vnotify), INT(has_notify_deleted),
	INT(linkbeat_use_polling),
};
LAYOUT(vinst, offsetof(T, next));
#undef T

#define T struct vrrp_sync_group_conf
static const struct fld vsgroup_f[] = {
	SKIP(next), SKIP(loc), STR(name), SKIP(name_node), VLIST(members, vtrack),
	VLIST(track_if, vtrack), VLIST(track_script, vtrack),
	VLIST(track_file, vtrack), VLIST(track_process, vtrack),
	VLIST(track_bfd, vtrack),
	SUB(notify_master, vnotify), SUB(notify_backup, vnotify),
	SUB(notify_fault, vnotify), SUB(notify_stop, vnotify),
	SUB(notify, vnotify), SUB(notify_deleted, vnotify),
	INT(has_notify_deleted), INT(smtp_alert),
	INT(notify_priority_changes), INT(global_tracking),
	INT(tracking_weight),
};
LAYOUT(vsgroup, offsetof(T, next));
#undef T

#define T struct vrrp_script_conf
static const struct fld vscript_f[] = {
	SKIP(next), SKIP(loc), STR(name), SKIP(name_node), STR(script), STR(user),
	STR(group), ULL(interval), ULL(timeout), INT(weight),
	INT(weight_reverse), INT(rise), INT(fall), INT(init_fail),
};
LAYOUT(vscript, offsetof(T, next));
#undef T

#define T struct vrrp_track_file_conf
static const struct fld vtfile_f[] = {
	SKIP(next), SKIP(loc), STR(name), SKIP(name_node), STR(file), INT(weight),
	INT(weight_reverse), INT(init_file), LL(init_value),
	INT(init_overwrite),
};
LAYOUT(vtfile, offsetof(T, next));
#undef T

#define T struct vrrp_track_process_conf
static const struct fld vtproc_f[] = {
	SKIP(next), SKIP(loc), STR(name), SKIP(name_node), STR(process), UINT(nparams),
	STRV(params, nparams), INT(param_match), INT(weight),
	INT(weight_reverse), UINT(quorum), UINT(quorum_max),
	ULL(fork_delay), ULL(terminate_delay), INT(full_command),
};
LAYOUT(vtproc, offsetof(T, next));
#undef T

#define T struct vrrp_garp_group_conf
static const struct fld vggroup_f[] = {
	SKIP(next), SKIP(loc), ULL(garp_interval), ULL(gna_interval),
	INT(have_garp_interval), INT(have_gna_interval),
	VLIST(interfaces, vtrack),
};
LAYOUT(vggroup, offsetof(T, next));
#undef T

#define T struct vrrp_track_group_conf
static const struct fld vtgroup_f[] = {
	SKIP(next), SKIP(loc), STR(name), SKIP(name_node), VLIST(members, vtrack),
};
LAYOUT(vtgroup, offsetof(T, next));
#undef T

#define T struct vrrp_conf_linkbeat
static const struct fld vlinkbeat_f[] = {
	SKIP(next), SKIP(loc), STR(ifname), INT(type),
};
LAYOUT(vlinkbeat, offsetof(T, next));
#undef T

#define T struct vrrp_conf_if_delay
static const struct fld vifdelay_f[] = {
	SKIP(next), SKIP(loc), STR(ifname), ULL(down_delay), ULL(up_delay),
};
LAYOUT(vifdelay, offsetof(T, next));
#undef T

#define T struct vrrp_conf_syncd
static const struct fld vsyncd_f[] = {
	INT(set), STR(ifname), STR(instance), UINT(syncid), INT(syncid_set),
	UINT(maxlen), UINT(port), UINT(ttl), ADDR(group), SKIP(loc),
};
LAYOUT(vsyncd, 0);
#undef T

#define T struct vrrp_conf_globals
static const struct fld vglobals_f[] = {
	ADDR(mcast_group4), ADDR(mcast_group6), INT(version),
	SUB(garp, vgarp), ULL(garp_interval), ULL(gna_interval),
	INT(min_garp), INT(down_timer_adverts), INT(lower_prio_no_advert),
	INT(higher_prio_send_advert), INT(check_unicast_src),
	INT(skip_check_adv_addr), INT(strict), INT(notify_priority_changes),
	SKIP(iptables_loc), STR(iptables_in), STR(iptables_out),
	SKIP(ipsets_loc), STR(ipsets[0]), STR(ipsets[1]), STR(ipsets[2]),
	STR(ipsets[3]), STR(ipsets[4]), INT(use_nftables), STR(nft_table),
	INT(nft_priority), INT(nft_counters), INT(nft_ifindex),
	INT(process_priority), INT(no_swap), INT(rt_priority),
	UINT(rlimit_rttime), STR(cpu_affinity), ULL(cpu_mask),
	SUB(notify_fifo, vnotify), SUB(notify_fifo_script, vnotify),
	UINT(netlink_cmd_rcv_bufs), INT(netlink_cmd_rcv_bufs_force),
	UINT(netlink_monitor_rcv_bufs), INT(netlink_monitor_rcv_bufs_force),
	INT(rx_bufs_policy), UINT(rx_bufs_size), INT(rx_bufs_multiplier),
	ULL(startup_delay), STR(vmac_prefix), STR(vmac_addr_prefix),
	STR(default_interface),
	INT(dynamic_interfaces), INT(log_unknown_vrids),
	INT(fifo_write_states_on_reload), INT(disable_local_igmp),
	INT(smtp_alert_vrrp),
	INT(no_email_faults), SUB(lvs_syncd, vsyncd),
	INT(linkbeat_use_polling),
};
LAYOUT(vglobals, 0);
#undef T

#define T struct vrrp_conf
static const struct fld vconf_f[] = {
	SKIP(arena), SUB(g, vglobals), VLIST(instances, vinst),
	VLIST(sync_groups, vsgroup), VLIST(scripts, vscript),
	VLIST(track_files, vtfile), VLIST(track_processes, vtproc),
	VLIST(garp_groups, vggroup), VLIST(track_groups, vtgroup),
	VLIST(static_addrs, vipa), VLIST(static_routes, vroute),
	VLIST(static_rules, vrule), VLIST(if_delays, vifdelay),
	VLIST(linkbeat_ifs, vlinkbeat),
	SKIP(names), SKIP(identity),	/* indexes over the lists above */
};
LAYOUT(vconf, 0);
#undef T

/* ---- BFD (bfd/config.h) ---------------------------------------------------- */

#define T struct bfd_instance_conf
static const struct fld binst_f[] = {
	SKIP(next), SKIP(loc), STR(name), ADDR(nbr), ADDR(src),
	UINT(min_rx), UINT(min_tx), UINT(idle_tx), BYTES(mult), BYTES(ttl),
	INT(max_hops), INT(passive), INT(weight), INT(weight_reverse),
	INT(vrrp), INT(checker), INT(said_vrrp), INT(said_checker),
};
LAYOUT(binst, offsetof(T, next));
#undef T

#define T struct bfd_conf_globals
static const struct fld bglobals_f[] = {
	INT(priority), INT(no_swap), STR(cpu_affinity), ULL(cpu_mask),
	INT(rt_priority), UINT(rlimit_rttime),
};
LAYOUT(bglobals, 0);
#undef T

#define T struct bfd_conf
static const struct fld bconf_f[] = {
	CHAIN(first, binst), SKIP(last), UINT(n), SUB(g, bglobals),
};
LAYOUT(bconf, 0);
#undef T

/* ---- health checks (healthcheck/config.h) -------------------------------- */

#define T struct chk_conf_script
static const struct fld cscript_f[] = { STR(cmd), STR(user), STR(group) };
LAYOUT(cscript, 0);
#undef T

#define T struct chk_conf_fwd_method
static const struct fld cfwd_f[] = {
	INT(method), INT(tun_type), UINT(tun_port), INT(tun_csum),
};
LAYOUT(cfwd, 0);
#undef T

#define T struct chk_conf_vsg_entry
static const struct fld cvsge_f[] = {
	SKIP(next), SKIP(loc), INT(is_fwmark), ADDR(lo), ADDR(hi),
	UINT(port), UINT(fwmark), INT(family),
};
LAYOUT(cvsge, offsetof(T, next));
#undef T

#define T struct chk_vsg_conf
static const struct fld cvsg_f[] = {
	SKIP(next), SKIP(loc), STR(name), CHAIN(entries, cvsge),
	SKIP(entries_tail), UINT(nentries),
};
LAYOUT(cvsg, offsetof(T, next));
#undef T

#define T struct chk_conf_conn
static const struct fld cconn_f[] = {
	ADDR(connect_ip), UINT(connect_port), INT(has_port), ADDR(bindto),
	UINT(bind_port), STR(bind_if), UINT(fwmark), ULL(connect_timeout),
};
LAYOUT(cconn, 0);
#undef T

#define T struct chk_url_conf
static const struct fld curl_f[] = {
	SKIP(next), SKIP(loc), STR(path), INT(has_digest), BYTES(digest),
	INT(has_status), BITS(status), STR(virtualhost), STR(regex),
	INT(regex_no_match), STR(regex_options), UINT(regex_stack_start),
	UINT(regex_stack_max), UINT(regex_min_offset),
	UINT(regex_max_offset),
};
LAYOUT(curl, offsetof(T, next));
#undef T

#define T struct chk_conf_smtp_host
static const struct fld chost_f[] = {
	SUB(conn, cconn), SKIP(next), SKIP(loc),
	SKIP(checker),	/* back link to the enclosing checker */
};
LAYOUT(chost, offsetof(T, next));
#undef T

/* The checker's union, one layout per kind (offsets in the checker). */
#define T struct chk_checker_conf
static const struct fld cu_none_f[] = { SKIP(u) };
LAYOUT(cu_none, 0);
static const struct fld cu_http_f[] = {
	CHAIN(u.http.urls, curl), UINT(u.http.nurls), INT(u.http.proto),
	INT(u.http.fast_recovery), INT(u.http.enable_sni),
	INT(u.http.tls_compliant), STR(u.http.virtualhost),
};
LAYOUT(cu_http, 0);
static const struct fld cu_smtp_f[] = {
	STR(u.smtp.helo_name), CHAIN(u.smtp.hosts, chost), UINT(u.smtp.nhosts),
};
LAYOUT(cu_smtp, 0);
static const struct fld cu_dns_f[] = { UINT(u.dns.type), STR(u.dns.name) };
LAYOUT(cu_dns, 0);
static const struct fld cu_udp_f[] = {
	BUF(u.udp.payload, u.udp.payload_len), SIZE(u.udp.payload_len),
	INT(u.udp.require_reply), BUF(u.udp.reply, u.udp.reply_len),
	BUF(u.udp.reply_mask, u.udp.reply_len), SIZE(u.udp.reply_len),
	UINT(u.udp.min_reply_length), UINT(u.udp.max_reply_length),
};
LAYOUT(cu_udp, 0);
static const struct fld cu_misc_f[] = {
	SUB(u.misc.script, cscript), ULL(u.misc.timeout), INT(u.misc.dynamic),
};
LAYOUT(cu_misc, 0);
static const struct fld cu_file_f[] = {
	STR(u.file.track_file), INT(u.file.dynamic), INT(u.file.weight),
	INT(u.file.reverse),
};
LAYOUT(cu_file, 0);
static const struct fld cu_bfd_f[] = { STR(u.bfd.name) };
LAYOUT(cu_bfd, 0);
static const struct layout *const cu_var[CHK_KIND_MAX] = {
	[CHK_TCP] = &cu_none, [CHK_HTTP] = &cu_http, [CHK_SSL] = &cu_http,
	[CHK_SMTP] = &cu_smtp, [CHK_DNS] = &cu_dns, [CHK_UDP] = &cu_udp,
	[CHK_PING] = &cu_none, [CHK_MISC] = &cu_misc, [CHK_FILE] = &cu_file,
	[CHK_BFD] = &cu_bfd,
};
static const struct fld cchecker_f[] = {
	SUB(conn, cconn), SKIP(next), SKIP(loc), INT(kind), INT(retry),
	ULL(delay_before_retry), ULL(warmup), ULL(delay_loop), INT(alpha),
	INT(log_all_failures), VARIANT(u, kind, cu_var),
};
LAYOUT(cchecker, offsetof(T, next));
#undef T

#define T struct chk_rs_checks
static const struct fld crschecks_f[] = {
	CHAIN(list, cchecker), UINT(n), INT(alpha), INT(retry),
	STR(virtualhost), ULL(delay_before_retry), ULL(warmup),
	ULL(delay_loop), ULL(connect_timeout), SKIP(spare),
};
LAYOUT(crschecks, 0);
#undef T

#define T struct chk_rs_conf
static const struct fld crs_f[] = {
	SKIP(next), SKIP(hnode), SKIP(loc), ADDR(addr), UINT(port),
	INT(weight), INT(inhibit_on_failure), SUB(fwd, cfwd),
	PTR(notify_up, cscript), PTR(notify_down, cscript), UINT(uthreshold),
	UINT(lthreshold), INT(smtp_alert), STR(snmp_name),
	PTR(checks, crschecks),
};
LAYOUT(crs, offsetof(T, next));
#undef T

#define T struct chk_sorry_conf
static const struct fld csorry_f[] = {
	INT(set), SKIP(loc), ADDR(addr), UINT(port), INT(inhibit),
	SUB(fwd, cfwd),
};
LAYOUT(csorry, 0);
#undef T

#define T struct chk_vs_conf
static const struct fld cvs_f[] = {
	SKIP(next), SKIP(loc), SKIP(key_node), INT(kind), INT(protocol), ADDR(addr),
	UINT(port), UINT(fwmark), STR(group_name),
	SKIP(group),	/* resolved by chk_conf_finalize */
	INT(family), CHARS(sched), UINT(flags), SUB(fwd, cfwd),
	UINT(persistence_timeout), INT(persistence_set),
	ADDR(persistence_mask), UINT(persistence_prefix),
	STR(persistence_engine), INT(ha_suspend), INT(smtp_alert),
	STR(virtualhost), STR(snmp_name), INT(alpha), INT(omega),
	UINT(quorum), UINT(hysteresis), INT(weight), SUB(quorum_up, cscript),
	SUB(quorum_down, cscript), SUB(sorry, csorry),
	INT(inhibit_on_failure), INT(retry), ULL(delay_before_retry),
	ULL(warmup), ULL(delay_loop), ULL(connect_timeout), CHAIN(rs, crs),
	SKIP(rs_tail), UINT(nrs), SKIP(rs_index),
};
LAYOUT(cvs, offsetof(T, next));
#undef T

#define T struct chk_ssl_conf
static const struct fld cssl_f[] = {
	INT(set), STR(password), STR(ca), STR(certificate), STR(key),
};
LAYOUT(cssl, 0);
#undef T

#define T struct chk_global_conf
static const struct fld cglobal_f[] = {
	UINT(lvs_timeout_tcp), UINT(lvs_timeout_tcpfin),
	UINT(lvs_timeout_udp), INT(lvs_flush), INT(lvs_flush_on_stop),
	SUB(lvs_notify_fifo, cscript),
	SUB(lvs_notify_fifo_script, cscript), INT(smtp_alert_checker),
	INT(checker_log_all_failures), INT(checker_priority),
	INT(checker_no_swap), STR(checker_cpu_affinity), ULL(checker_cpu_mask),
	INT(checker_rt_priority), UINT(checker_rlimit_rttime),
	UINT(lvs_netlink_cmd_rcv_bufs),
	UINT(lvs_netlink_monitor_rcv_bufs), INT(lvs_netlink_cmd_rcv_bufs_force),
	INT(lvs_netlink_monitor_rcv_bufs_force), INT(enable_snmp_checker),
	STR(net_namespace_ipvs), STR(nftables_ipvs),
	INT(nftables_ipvs_priority), UINT(nftables_ipvs_start_fwmark),
	INT(ipvs_stats_interval),
};
LAYOUT(cglobal, 0);
#undef T

#define T struct chk_conf
static const struct fld cconf_f[] = {
	SKIP(arena), CHAIN(vs, cvs), SKIP(vs_tail), UINT(nvs),
	CHAIN(groups, cvsg), SKIP(groups_tail), UINT(ngroups),
	SUB(ssl, cssl), SUB(g, cglobal), INT(finalized), SKIP(vs_index),
	SKIP(loc_src), SKIP(loc_copy),	/* file name interning */
	/* sharing checker lists while parsing */
	SKIP(ck_spare), SKIP(rsck_spare), SKIP(share_vs), SKIP(share_rs), SKIP(share_at),
};
LAYOUT(cconf, 0);
#undef T

/* Every layout, for the completeness check. */
static const struct layout *const all_layouts[] = {
	&gscript, &gemail, &global, &vnotify, &vtrack, &vipap, &vipa,
	&vroutep, &vroute, &vrulep, &vrule, &vpeer, &vgarp, &viparams,
	&vinst, &vsgroup, &vscript, &vtfile, &vtproc, &vggroup, &vtgroup,
	&vifdelay, &vlinkbeat, &vsyncd, &vglobals, &vconf, &cscript, &cfwd, &cvsge, &cvsg,
	&cconn, &curl, &chost, &cchecker, &crs, &csorry, &cvs, &cssl,
	&cglobal, &cconf,
};

#endif

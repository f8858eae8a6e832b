/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Every keyword lands in its own field, and in no other.
 *
 * For each keyword of every keyword table (global_defs, VRRP, health
 * checks), a small configuration is loaded twice: a skeleton of the block
 * the keyword lives in, and the same skeleton with the keyword set to a
 * distinct value. Both typed configurations (global, VRRP and check roots)
 * are flattened to "path=value" lines over every field (kwfields_layout.h)
 * and compared: the fields the hand-written list below names must hold the
 * values it gives, and no other field may differ. A keyword registered but
 * missing from the list fails the coverage test: a new keyword must be
 * added here by hand, with the field it is meant to set.
 *
 * Expectations are "path=value" (the path relative to the block's object,
 * or absolute when it starts with '/'), or "path*" for fields that may
 * change without a given value (the defaults of an object a block
 * keyword creates). A case without expectations changes nothing (keywords
 * vigil accepts and does not support).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "daemon/vconfig.h"
#include "global_conf.h"
#include "healthcheck/config.h"
#include "vrrp/config.h"

#include "kwfields_render.h"
#include "check_run.h"

/* ---- skeletons: one per block, the keyword goes at @@ -------------------- */

struct skel {
	const char *name;	/* what cases name */
	const char *context;	/* registry context of the block's keywords */
	const char *prefix;	/* path of the block's object */
	const char *text;
};

#define VI(n, id) "vrrp_instance " n " {\n interface eth0\n" \
	" virtual_router_id " id "\n"
#define VS "virtual_server 10.0.0.1 80 {\n"
#define RS VS " real_server 10.0.0.2 80 {\n"
#define CK "chk.vs[0].rs[0].checks.list[0]"
#define URL "HTTP_GET {\n url {\n path /\n }\n"

static const struct skel skels[] = {
	{ "top", "", "", "@@\n" },
	{ "global_defs", "global_defs", "", "global_defs {\n@@\n}\n" },
	{ "vrrp_instance", "vrrp_instance", "vrrp.instances[0]",
	    VI("VI_1", "1") "@@\n}\n" },
	/* a unicast instance without an interface (vrf) */
	{ "vrrp_instance_unicast", "vrrp_instance", "vrrp.instances[0]",
	    "vrrp_instance VI_1 {\n virtual_router_id 1\n"
	    " unicast_src_ip 10.0.0.6\n unicast_peer {\n"
	    " 10.0.0.7\n }\n@@\n}\n" },
	{ "vrrp_authentication", "vrrp_authentication", "vrrp.instances[0]",
	    VI("VI_1", "1") " authentication {\n auth_type PASS\n"
	    " auth_pass base\n@@\n }\n}\n" },
	{ "bfd_instance", "bfd_instance", "bfd.first[0]",
	    "bfd_instance B1 {\n neighbor_ip 10.0.0.9\n@@\n}\n" },
	/* a VRRP instance and a sync group after the bfd_instance b1 their
	 * track_bfd names */
	{ "vrrp_instance_bfd", "vrrp_instance", "vrrp.instances[0]",
	    "bfd_instance b1 {\n neighbor_ip 10.0.0.9\n weight 7\n}\n"
	    VI("VI_1", "1") "@@\n}\n" },
	{ "vrrp_sync_group_bfd", "vrrp_sync_group", "vrrp.sync_groups[0]",
	    "bfd_instance b1 {\n neighbor_ip 10.0.0.9\n}\n"
	    "vrrp_sync_group G {\n group {\n VI_1\n }\n@@\n}\n" },
	{ "vrrp_sync_group", "vrrp_sync_group", "vrrp.sync_groups[0]",
	    VI("VI_1", "1") "}\n" VI("VI_2", "2") "}\n"
	    "vrrp_sync_group G1 {\n group {\n VI_1\n VI_2\n }\n@@\n}\n" },
	{ "vrrp_script", "vrrp_script", "vrrp.scripts[0]",
	    "vrrp_script S1 {\n script /bin/true\n@@\n}\n" },
	{ "vrrp_track_file", "vrrp_track_file", "vrrp.track_files[0]",
	    "vrrp_track_file TF1 {\n file /run/tf\n@@\n}\n" },
	{ "vrrp_track_process", "vrrp_track_process",
	    "vrrp.track_processes[0]",
	    "vrrp_track_process TP1 {\n process haproxy\n@@\n}\n" },
	{ "vrrp_garp_group", "vrrp_garp_group", "vrrp.garp_groups[0]",
	    "garp_group {\n interface eth0\n@@\n}\n" },
	{ "vrrp_track_group", "vrrp_track_group", "vrrp.track_groups[0]",
	    "track_group TG1 {\n@@\n}\n" },
	{ "SSL", "SSL", "chk.ssl", "SSL {\n@@\n}\n" },
	{ "virtual_server", "virtual_server", "chk.vs[0]", VS "@@\n}\n" },
	{ "virtual_server_sh", "virtual_server", "chk.vs[0]",
	    VS " lvs_sched sh\n@@\n}\n" },
	{ "virtual_server_mh", "virtual_server", "chk.vs[0]",
	    VS " lvs_sched mh\n@@\n}\n" },
	{ "virtual_server_fwmark", "virtual_server", "chk.vs[0]",
	    "virtual_server fwmark 1 {\n@@\n}\n" },
	{ "real_server", "real_server", "chk.vs[0].rs[0]",
	    RS "@@\n }\n}\n" },
	{ "TCP_CHECK", "TCP_CHECK", CK, RS "TCP_CHECK {\n@@\n}\n }\n}\n" },
	{ "HTTP_GET", "HTTP_GET", CK, RS URL "@@\n}\n }\n}\n" },
	{ "SSL_GET", "SSL_GET", CK,
	    RS "SSL_GET {\n url {\n path /\n }\n@@\n}\n }\n}\n" },
	{ "SMTP_CHECK", "SMTP_CHECK", CK, RS "SMTP_CHECK {\n@@\n}\n }\n}\n" },
	{ "DNS_CHECK", "DNS_CHECK", CK, RS "DNS_CHECK {\n@@\n}\n }\n}\n" },
	{ "UDP_CHECK", "UDP_CHECK", CK, RS "UDP_CHECK {\n@@\n}\n }\n}\n" },
	{ "PING_CHECK", "PING_CHECK", CK, RS "PING_CHECK {\n@@\n}\n }\n}\n" },
	{ "MISC_CHECK", "MISC_CHECK", CK,
	    RS "MISC_CHECK {\n misc_path /bin/true\n@@\n}\n }\n}\n" },
	{ "FILE_CHECK", "FILE_CHECK", CK,
	    RS "FILE_CHECK {\n track_file /run/f\n@@\n}\n }\n}\n" },
	{ "BFD_CHECK", "BFD_CHECK", CK,
	    "bfd_instance b1 {\n neighbor_ip 10.0.0.9\n}\n"
	    RS "BFD_CHECK {\n name b1\n@@\n}\n }\n}\n" },
	/* without its name a BFD_CHECK is no checker */
	{ "BFD_CHECK_unnamed", "BFD_CHECK", "chk.vs[0].rs[0]",
	    "bfd_instance b1 {\n neighbor_ip 10.0.0.9\n}\n"
	    RS "BFD_CHECK {\n@@\n}\n }\n}\n" },
	{ "url", "url", CK ".u.http.urls[0]",
	    RS "HTTP_GET {\n url {\n path /\n@@\n }\n}\n }\n}\n" },
	{ "SMTP_CHECK host", "SMTP_CHECK host", CK ".u.smtp.hosts[0]",
	    RS "SMTP_CHECK {\n host {\n@@\n }\n}\n }\n}\n" },
};

/* ---- the hand-written list: keyword -> field = value --------------------- */

#define KW_EXPECT_MAX 12

struct kwcase {
	const char *skel;	/* space-separated skeleton names */
	const char *pre;	/* lines put in both configurations first */
	const char *line;	/* the keyword (first word) and its value */
	const char *expect[KW_EXPECT_MAX];
};

#define R(s, l, ...) { s, NULL, l, { __VA_ARGS__ } }
#define RP(s, p, l, ...) { s, p, l, { __VA_ARGS__ } }
#define NOTHING NULL	/* accepted, changes nothing */

/* contexts sharing the connection and timing keywords of a checker */
#define CHECKERS "TCP_CHECK HTTP_GET SSL_GET SMTP_CHECK DNS_CHECK " \
	"UDP_CHECK PING_CHECK"
#define UNSET_TIMER "18446744073709551615"

static const struct kwcase cases[] = {
	/* ---- top level ---- */
	R("top", "global_defs {\n router_id top7\n}",
	    "/global.router_id=top7"),
	R("top", "instance inst7", "/global.instance=inst7"),
	R("top", "use_pid_dir", "/global.use_pid_dir=1"),
	R("top", "child_wait_time 9", "/global.child_wait_time=9"),
	R("top", "linkbeat_use_polling", "/vrrp.g.linkbeat_use_polling=1"),
	R("top", "net_namespace ns1", "global.net_namespace=ns1"),
	R("top", "namespace_with_ipsets", "global.namespace_with_ipsets=1"),
	R("top", "linkbeat_interfaces {\n eth0 ETHTOOL\n}",
	    "/vrrp.linkbeat_ifs.n=1", "/vrrp.linkbeat_ifs[0].ifname=eth0",
	    "/vrrp.linkbeat_ifs[0].type=2"),
	R("top", "bfd_instance b1 {\n neighbor_ip 10.0.0.5\n}",
	    "/bfd.n=1", "/bfd.first[0].name=b1",
	    "/bfd.first[0].nbr=10.0.0.5", "/bfd.first[0]*"),
	R("top", VI("VI_9", "9") "}", "/vrrp.instances.n=1",
	    "/vrrp.instances[0].name=VI_9",
	    "/vrrp.instances[0].interface=eth0",
	    "/vrrp.instances[0].p.vrid=9", "/vrrp.instances[0]*"),
	R("top", "vrrp_sync_group G9 {\n group {\n A\n B\n }\n}",
	    "/vrrp.sync_groups.n=1", "/vrrp.sync_groups[0].name=G9",
	    "/vrrp.sync_groups[0].members.n=2",
	    "/vrrp.sync_groups[0].members[1].name=B", "/vrrp.sync_groups[0]*"),
	R("top", "vrrp_script S9 {\n script /bin/s9\n}", "/vrrp.scripts.n=1",
	    "/vrrp.scripts[0].name=S9", "/vrrp.scripts[0].script=/bin/s9",
	    "/vrrp.scripts[0]*"),
	R("top", "vrrp_track_file TF9 {\n file /run/tf9\n}",
	    "/vrrp.track_files.n=1", "/vrrp.track_files[0].name=TF9",
	    "/vrrp.track_files[0].file=/run/tf9", "/vrrp.track_files[0]*"),
	R("top", "track_file TF8 {\n file /run/tf8\n}",
	    "/vrrp.track_files.n=1", "/vrrp.track_files[0].name=TF8",
	    "/vrrp.track_files[0].file=/run/tf8", "/vrrp.track_files[0]*"),
	R("top", "vrrp_track_process TP9 {\n process p9\n}",
	    "/vrrp.track_processes.n=1", "/vrrp.track_processes[0].name=TP9",
	    "/vrrp.track_processes[0].process=p9",
	    "/vrrp.track_processes[0]*"),
	R("top", "track_process TP8 {\n process p8\n}",
	    "/vrrp.track_processes.n=1", "/vrrp.track_processes[0].name=TP8",
	    "/vrrp.track_processes[0].process=p8",
	    "/vrrp.track_processes[0]*"),
	R("top", "garp_group {\n interface eth4\n}", "/vrrp.garp_groups.n=1",
	    "/vrrp.garp_groups[0].interfaces.n=1",
	    "/vrrp.garp_groups[0].interfaces[0].name=eth4",
	    "/vrrp.garp_groups[0]*"),
	R("top", "track_group TG9 {\n group {\n VI_1\n }\n}",
	    "/vrrp.track_groups.n=1", "/vrrp.track_groups[0].name=TG9",
	    "/vrrp.track_groups[0].members.n=1", "/vrrp.track_groups[0]*"),
	R("top", "static_ipaddress {\n 10.8.8.8/32 dev eth0\n}",
	    "/vrrp.static_addrs.n=1", "/vrrp.static_addrs[0].p.addr=10.8.8.8",
	    "/vrrp.static_addrs[0].dev=eth0", "/vrrp.static_addrs[0]*"),
	R("top", "static_routes {\n 10.7.0.0/16 via 10.0.0.1 dev eth0\n}",
	    "/vrrp.static_routes.n=1",
	    "/vrrp.static_routes[0].p.dst=10.7.0.0",
	    "/vrrp.static_routes[0].p.dst_len=16",
	    "/vrrp.static_routes[0].p.via=10.0.0.1",
	    "/vrrp.static_routes[0].dev=eth0", "/vrrp.static_routes[0]*"),
	R("top", "static_rules {\n from 10.6.0.0/16 table 7\n}",
	    "/vrrp.static_rules.n=1",
	    "/vrrp.static_rules[0].p.from=10.6.0.0",
	    "/vrrp.static_rules[0].p.from_len=16",
	    "/vrrp.static_rules[0].p.table=7", "/vrrp.static_rules[0]*"),
	R("top", "interface_up_down_delays {\n eth0 2 3\n}",
	    "/vrrp.if_delays.n=1", "/vrrp.if_delays[0].ifname=eth0",
	    "/vrrp.if_delays[0].down_delay=2000000",
	    "/vrrp.if_delays[0].up_delay=3000000"),
	R("top", "SSL {\n ca /etc/ca\n}", "/chk.ssl.set=1",
	    "/chk.ssl.ca=/etc/ca"),
	R("top", "ssl {\n key /etc/key\n}", "/chk.ssl.set=1",
	    "/chk.ssl.key=/etc/key"),
	R("top", "virtual_server 10.1.1.1 443 {\n}", "/chk.nvs=1",
	    "/chk.vs[0].addr=10.1.1.1", "/chk.vs[0].port=443", "/chk.vs[0]*"),
	R("top", "virtual_server_group VG1 {\n 10.2.2.1-5 80\n fwmark 7\n}",
	    "/chk.ngroups=1", "/chk.groups[0].name=VG1",
	    "/chk.groups[0].nentries=2", "/chk.groups[0].entries[0].hi=10.2.2.5",
	    "/chk.groups[0].entries[1].fwmark=7", "/chk.groups[0]*"),
	R("top", "net_namespace_ipvs ns2", "/chk.g.net_namespace_ipvs=ns2"),

	/* ---- global_defs: global settings ---- */
	R("global_defs", "router_id lb7", "global.router_id=lb7"),
	R("global_defs", "notification_email {\n a@b.c\n d@e.f\n}",
	    "global.nemails=2", "global.emails[0].addr=a@b.c",
	    "global.emails[1].addr=d@e.f"),
	R("global_defs", "notification_email_from x@y.z",
	    "global.email_from=x@y.z"),
	R("global_defs", "smtp_server 10.0.0.25 2525",
	    "global.smtp_server=10.0.0.25", "global.smtp_addr=10.0.0.25",
	    "global.smtp_port=2525"),
	R("global_defs", "smtp_helo_name helo.example",
	    "global.smtp_helo_name=helo.example"),
	R("global_defs", "smtp_connect_timeout 44",
	    "global.smtp_connect_timeout=44"),
	R("global_defs", "smtp_alert", "global.smtp_alert=1"),
	R("global_defs", "no_checker_emails", "global.no_checker_emails=1"),
	R("global_defs", "rs_init_notifies", "global.rs_init_notifies=1"),
	R("global_defs", "script_user nobody nogroup",
	    "global.script_user=nobody", "global.script_group=nogroup"),
	R("global_defs", "enable_script_security",
	    "global.enable_script_security=1"),
	R("global_defs", "notify_fifo /run/f1 u1 g1",
	    "global.notify_fifo.path=/run/f1", "global.notify_fifo.user=u1",
	    "global.notify_fifo.group=g1"),
	R("global_defs", "notify_fifo_script /bin/nfs",
	    "global.notify_fifo_script.path=/bin/nfs"),
	R("global_defs", "startup_script /bin/up",
	    "global.startup_script.path=/bin/up"),
	R("global_defs", "startup_script_timeout 33",
	    "global.startup_script_timeout=33"),
	R("global_defs", "shutdown_script /bin/down",
	    "global.shutdown_script.path=/bin/down"),
	R("global_defs", "shutdown_script_timeout 34",
	    "global.shutdown_script_timeout=34"),
	R("global_defs", "max_auto_priority 42", "global.max_auto_priority=42"),
	R("global_defs", "min_auto_priority_delay 5000",
	    "global.min_auto_priority_delay=5000"),
	R("global_defs", "snmp_socket tcp:localhost:705",
	    "global.snmp_socket=tcp:localhost:705"),
	R("global_defs", "enable_snmp_vrrp", "global.enable_snmp_vrrp=1"),
	R("global_defs", "enable_snmp_keepalived", "global.enable_snmp_vrrp=1"),
	R("global_defs", "enable_snmp_rfc", "global.enable_snmp_rfcv2=1",
	    "global.enable_snmp_rfcv3=1"),
	R("global_defs", "enable_snmp_rfcv2", "global.enable_snmp_rfcv2=1"),
	R("global_defs", "enable_snmp_rfcv3", "global.enable_snmp_rfcv3=1"),
	R("global_defs", "enable_traps", "global.enable_traps=1"),
	R("global_defs", "process_names",
	    "global.vrrp_process_name=keepalived_vrrp",
	    "global.checker_process_name=keepalived_lvs",
	    "global.bfd_process_name=keepalived_bfd"),
	R("global_defs", "process_name vigil7", "global.process_name=vigil7"),
	R("global_defs", "umask 0027", "global.umask=23", "global.umask_set=1"),
	R("global_defs", "tmp_config_directory /tmp/x",
	    "global.tmp_config_directory=/tmp/x"),
	R("global_defs", "config_save_dir /var/x",
	    "global.config_save_dir=/var/x"),
	R("global_defs", "data_use_instance", "global.data_use_instance=1"),
	R("global_defs", "json_version 2", "global.json_version=2"),
	R("global_defs", "metrics_listen 127.0.0.1:9650",
	    "global.metrics_listen=127.0.0.1:9650",
	    "global.metrics_addr=127.0.0.1", "global.metrics_port=9650"),
	R("global_defs", "metrics_listen [::1]:9651",
	    "global.metrics_listen=[::1]:9651", "global.metrics_addr=::1",
	    "global.metrics_port=9651"),
	R("global_defs", "control_socket /run/x.ctl",
	    "global.control_socket=/run/x.ctl"),
	R("global_defs", "control_socket_mode 0666",
	    "global.control_socket_mode=438"),
	R("global_defs", "control_socket_group adm",
	    "global.control_socket_group=adm"),
	R("global_defs", "process_monitor_rcv_bufs 1000",
	    "global.process_monitor_rcv_bufs=1000"),
	R("global_defs", "process_monitor_rcv_bufs_force",
	    "global.process_monitor_rcv_bufs_force=1"),
	R("global_defs", "random_seed 12345", "global.random_seed=12345",
	    "global.random_seed_set=1"),
	R("global_defs", "include_check readable", "global.include_check=1",
	    "global.include_check_set=1"),
	R("global_defs", "reload_check_config /var/log/rc.log",
	    "global.reload_check_config=1",
	    "global.reload_check_log=/var/log/rc.log"),
	R("global_defs", "reload_time_file /run/rt",
	    "global.reload_time_file=/run/rt"),
	R("global_defs", "reload_repeat", "global.reload_repeat=1"),
	R("global_defs", "reload_file /run/reload",
	    "global.reload_file=/run/reload", "global.reload_file_set=1"),
	R("global_defs", "enable_dbus", NOTHING),
	R("global_defs", "dbus_service_name x", NOTHING),
	R("global_defs", "bfd_process_name bfd7",
	    "global.bfd_process_name=bfd7"),
	R("global_defs", "bfd_priority -4", "bfd.g.priority=-4"),
	R("global_defs", "bfd_no_swap", "bfd.g.no_swap=1"),
	R("global_defs", "bfd_cpu_affinity 0 2", "bfd.g.cpu_affinity=0 2",
	    "bfd.g.cpu_mask=5"),
	R("global_defs", "bfd_rt_priority 41", "bfd.g.rt_priority=41"),
	R("global_defs", "bfd_rlimit_rttime 3002", "bfd.g.rlimit_rttime=3002"),
	R("global_defs", "bfd_rlimit_rtime 3003", "bfd.g.rlimit_rttime=3003"),

	/* ---- global_defs: VRRP ---- */
	R("global_defs", "vrrp_mcast_group4 224.0.0.19",
	    "vrrp.g.mcast_group4=224.0.0.19"),
	R("global_defs", "vrrp_mcast_group6 ff02::13",
	    "vrrp.g.mcast_group6=ff02::13"),
	R("global_defs", "vrrp_version 3", "vrrp.g.version=3"),
	R("global_defs", "vrrp_garp_master_delay 21",
	    "vrrp.g.garp.master_delay=21"),
	R("global_defs", "vrrp_garp_master_repeat 22",
	    "vrrp.g.garp.master_repeat=22"),
	R("global_defs", "vrrp_garp_lower_prio_delay 23",
	    "vrrp.g.garp.lower_prio_delay=23"),
	R("global_defs", "vrrp_garp_lower_prio_repeat 24",
	    "vrrp.g.garp.lower_prio_repeat=24"),
	R("global_defs", "vrrp_garp_master_refresh 25",
	    "vrrp.g.garp.master_refresh=25"),
	R("global_defs", "vrrp_garp_master_refresh_repeat 26",
	    "vrrp.g.garp.master_refresh_repeat=26"),
	R("global_defs", "vrrp_garp_extra_if all 27",
	    "vrrp.g.garp.extra_if=27", "vrrp.g.garp.extra_if_all=1"),
	R("global_defs", "vrrp_vmac_garp_intvl 28", "vrrp.g.garp.extra_if=28"),
	R("global_defs", "vrrp_garp_interval 0.5",
	    "vrrp.g.garp_interval=500000"),
	R("global_defs", "vrrp_gna_interval 0.25",
	    "vrrp.g.gna_interval=250000"),
	R("global_defs", "vrrp_min_garp", "vrrp.g.min_garp=1",
	    "vrrp.g.garp.master_delay=0", "vrrp.g.garp.master_repeat=1",
	    "vrrp.g.garp.master_refresh_repeat=0"),
	R("global_defs", "vrrp_down_timer_adverts 9",
	    "vrrp.g.down_timer_adverts=9"),
	R("global_defs", "vrrp_lower_prio_no_advert",
	    "vrrp.g.lower_prio_no_advert=1"),
	R("global_defs", "vrrp_higher_prio_send_advert",
	    "vrrp.g.higher_prio_send_advert=1"),
	R("global_defs", "vrrp_check_unicast_src",
	    "vrrp.g.check_unicast_src=1"),
	R("global_defs", "vrrp_skip_check_adv_addr",
	    "vrrp.g.skip_check_adv_addr=1"),
	R("global_defs", "vrrp_strict", "vrrp.g.strict=1"),
	R("global_defs", "vrrp_notify_priority_changes",
	    "vrrp.g.notify_priority_changes=1"),
	R("global_defs", "vrrp_iptables IN_CH OUT_CH",
	    "vrrp.g.iptables_in=IN_CH", "vrrp.g.iptables_out=OUT_CH"),
	R("global_defs", "vrrp_ipsets s1 s2 s3 s4 s5",
	    "vrrp.g.ipsets[0]=s1", "vrrp.g.ipsets[1]=s2", "vrrp.g.ipsets[2]=s3",
	    "vrrp.g.ipsets[3]=s4", "vrrp.g.ipsets[4]=s5"),
	R("global_defs", "nftables tbl", "vrrp.g.use_nftables=1",
	    "vrrp.g.nft_table=tbl"),
	R("global_defs", "nftables_priority -5", "vrrp.g.nft_priority=-5"),
	R("global_defs", "nftables_counters", "vrrp.g.nft_counters=1"),
	R("global_defs", "nftables_ifindex", "vrrp.g.nft_ifindex=1"),
	R("global_defs", "vrrp_priority -10", "vrrp.g.process_priority=-10"),
	R("global_defs", "vrrp_no_swap", "vrrp.g.no_swap=1"),
	R("global_defs", "vrrp_rt_priority 50", "vrrp.g.rt_priority=50"),
	R("global_defs", "vrrp_rlimit_rttime 1000",
	    "vrrp.g.rlimit_rttime=1000"),
	R("global_defs", "vrrp_rlimit_rtime 2000", "vrrp.g.rlimit_rttime=2000"),
	R("global_defs", "vrrp_cpu_affinity 0 2", "vrrp.g.cpu_affinity=0 2",
	    "vrrp.g.cpu_mask=5"),
	R("global_defs", "vrrp_notify_fifo /run/vf vu",
	    "vrrp.g.notify_fifo.cmd=/run/vf", "vrrp.g.notify_fifo.user=vu"),
	R("global_defs", "vrrp_notify_fifo_script /bin/vfs",
	    "vrrp.g.notify_fifo_script.cmd=/bin/vfs"),
	R("global_defs", "vrrp_netlink_cmd_rcv_bufs 1111",
	    "vrrp.g.netlink_cmd_rcv_bufs=1111"),
	R("global_defs", "vrrp_netlink_cmd_rcv_bufs_force",
	    "vrrp.g.netlink_cmd_rcv_bufs_force=1"),
	R("global_defs", "vrrp_netlink_monitor_rcv_bufs 2222",
	    "vrrp.g.netlink_monitor_rcv_bufs=2222"),
	R("global_defs", "vrrp_netlink_monitor_rcv_bufs_force",
	    "vrrp.g.netlink_monitor_rcv_bufs_force=1"),
	R("global_defs", "vrrp_rx_bufs_policy 4096", "vrrp.g.rx_bufs_policy=3",
	    "vrrp.g.rx_bufs_size=4096"),
	R("global_defs", "vrrp_rx_bufs_multiplier 5",
	    "vrrp.g.rx_bufs_multiplier=5"),
	R("global_defs", "vrrp_startup_delay 2.5",
	    "vrrp.g.startup_delay=2500000"),
	R("global_defs", "vrrp_process_name vr7",
	    "global.vrrp_process_name=vr7"),
	R("global_defs", "vmac_prefix vm", "vrrp.g.vmac_prefix=vm"),
	R("global_defs", "vmac_addr_prefix va", "vrrp.g.vmac_addr_prefix=va"),
	R("global_defs", "default_interface eth9",
	    "vrrp.g.default_interface=eth9"),
	R("global_defs", "dynamic_interfaces allow_if_changes",
	    "vrrp.g.dynamic_interfaces=1"),
	R("global_defs", "disable_local_igmp", "vrrp.g.disable_local_igmp=1"),
	R("global_defs", "log_unknown_vrids", "vrrp.g.log_unknown_vrids=1"),
	R("global_defs", "fifo_write_vrrp_states_on_reload",
	    "vrrp.g.fifo_write_states_on_reload=1"),
	R("global_defs", "smtp_alert_vrrp", "vrrp.g.smtp_alert_vrrp=1"),
	R("global_defs", "no_email_faults", "vrrp.g.no_email_faults=1"),

	/* ---- global_defs: LVS and checkers ---- */
	R("global_defs", "lvs_timeouts tcp 100 tcpfin 101 udp 102",
	    "chk.g.lvs_timeout_tcp=100", "chk.g.lvs_timeout_tcpfin=101",
	    "chk.g.lvs_timeout_udp=102"),
	R("global_defs", "lvs_sync_daemon eth1 VI_1 id 5 maxlen 1400 "
	    "port 8848 ttl 3 group 224.0.0.81", "vrrp.g.lvs_syncd.set=1",
	    "vrrp.g.lvs_syncd.ifname=eth1", "vrrp.g.lvs_syncd.instance=VI_1",
	    "vrrp.g.lvs_syncd.syncid=5", "vrrp.g.lvs_syncd.syncid_set=1",
	    "vrrp.g.lvs_syncd.maxlen=1400", "vrrp.g.lvs_syncd.port=8848",
	    "vrrp.g.lvs_syncd.ttl=3", "vrrp.g.lvs_syncd.group=224.0.0.81"),
	R("global_defs", "lvs_flush", "chk.g.lvs_flush=1"),
	R("global_defs", "lvs_flush_on_stop VS", "chk.g.lvs_flush_on_stop=2"),
	R("global_defs", "lvs_flush_onstop", "chk.g.lvs_flush_on_stop=1"),
	R("global_defs", "lvs_notify_fifo /run/lf lu lg",
	    "chk.g.lvs_notify_fifo.cmd=/run/lf",
	    "chk.g.lvs_notify_fifo.user=lu", "chk.g.lvs_notify_fifo.group=lg"),
	R("global_defs", "lvs_notify_fifo_script /bin/lfs",
	    "chk.g.lvs_notify_fifo_script.cmd=/bin/lfs"),
	R("global_defs", "smtp_alert_checker", "chk.g.smtp_alert_checker=1"),
	R("global_defs", "checker_log_all_failures",
	    "chk.g.checker_log_all_failures=1"),
	R("global_defs", "checker_priority -3", "chk.g.checker_priority=-3"),
	R("global_defs", "checker_no_swap", "chk.g.checker_no_swap=1"),
	R("global_defs", "checker_cpu_affinity 1 3",
	    "chk.g.checker_cpu_affinity=1 3", "chk.g.checker_cpu_mask=10"),
	R("global_defs", "checker_rt_priority 40",
	    "chk.g.checker_rt_priority=40"),
	R("global_defs", "checker_rlimit_rttime 3000",
	    "chk.g.checker_rlimit_rttime=3000"),
	R("global_defs", "checker_rlimit_rtime 3001",
	    "chk.g.checker_rlimit_rttime=3001"),
	R("global_defs", "checker_process_name ck7",
	    "global.checker_process_name=ck7"),
	R("global_defs", "lvs_process_name ck8",
	    "global.checker_process_name=ck8"),
	R("global_defs", "lvs_netlink_cmd_rcv_bufs 3333",
	    "chk.g.lvs_netlink_cmd_rcv_bufs=3333"),
	R("global_defs", "lvs_netlink_cmd_rcv_bufs_force",
	    "chk.g.lvs_netlink_cmd_rcv_bufs_force=1"),
	R("global_defs", "lvs_netlink_monitor_rcv_bufs 4444",
	    "chk.g.lvs_netlink_monitor_rcv_bufs=4444"),
	R("global_defs", "lvs_netlink_monitor_rcv_bufs_force",
	    "chk.g.lvs_netlink_monitor_rcv_bufs_force=1"),
	R("global_defs", "enable_snmp_checker", "chk.g.enable_snmp_checker=1"),
	R("global_defs", "net_namespace_ipvs ns1",
	    "chk.g.net_namespace_ipvs=ns1"),
	R("global_defs", "nftables_ipvs tb", "chk.g.nftables_ipvs=tb"),
	R("global_defs", "nftables_ipvs_priority -7",
	    "chk.g.nftables_ipvs_priority=-7"),
	R("global_defs", "nftables_ipvs_start_fwmark 100",
	    "chk.g.nftables_ipvs_start_fwmark=100"),
	R("global_defs", "ipvs_stats_interval 0",
	    "chk.g.ipvs_stats_interval=0"),
	R("global_defs", "ipvs_stats_interval 30",
	    "chk.g.ipvs_stats_interval=30"),

	/* ---- vrrp_instance ---- */
	R("vrrp_instance", "state MASTER", "p.state=1"),
	R("vrrp_instance", "interface eth7", "interface=eth7"),
	R("vrrp_instance_unicast", "vrf vrf1", "vrf=vrf1"),
	R("vrrp_instance", "use_vmac vmac7 00:00:5e:00:01:07", "p.use_vmac=1",
	    "vmac_ifname=vmac7", "p.vmac_mac=00005e000107",
	    "p.vmac_mac_len=6"),
	R("vrrp_instance", "use_vmac_addr", "p.use_vmac_addr=1"),
	R("vrrp_instance", "vmac_xmit_base", "p.vmac_xmit_base=1"),
	R("vrrp_instance", "use_ipvlan ipv7 10.1.2.3/24 private",
	    "p.use_ipvlan=1", "ipvlan_ifname=ipv7", "p.ipvlan_addr=10.1.2.3",
	    "p.ipvlan_prefix=24", "p.ipvlan_mode=1", "p.src_ip=10.1.2.3"),
	R("vrrp_instance", "native_ipv6", "p.native_ipv6=1", "p.family=10",
	    "p.version=3"),
	R("vrrp_instance", "dont_track_primary", "p.dont_track_primary=1"),
	R("vrrp_instance", "track_interface {\n eth3 weight 7\n}",
	    "track_if.n=1", "track_if[0].name=eth3", "track_if[0].weight=7",
	    "track_if[0].bits=weight_set "),
	R("vrrp_instance", "track_script {\n chk1 weight -5 reverse\n}",
	    "track_script.n=1", "track_script[0].name=chk1",
	    "track_script[0].weight=-5",
	    "track_script[0].bits=weight_set reverse "),
	R("vrrp_instance", "track_file {\n tf1 weight 2 noreverse\n}",
	    "track_file.n=1", "track_file[0].name=tf1",
	    "track_file[0].weight=2", "track_file[0].bits=weight_set noreverse "),
	R("vrrp_instance", "track_process {\n tp1\n}", "track_process.n=1",
	    "track_process[0].name=tp1", "track_process[0].weight=0",
	    "track_process[0].bits=-"),
	R("vrrp_instance_bfd", "track_bfd {\n b1\n}", "track_bfd.n=1",
	    "track_bfd[0].name=b1", "track_bfd[0].weight=7",
	    "track_bfd[0].bits=weight_set "),
	R("vrrp_instance", "mcast_src_ip 10.0.0.9", "p.src_ip=10.0.0.9"),
	R("vrrp_instance", "unicast_src_ip 10.0.0.8", "p.src_ip=10.0.0.8"),
	R("vrrp_instance", "mcast_dst_ip 224.0.0.33", "p.mcast_dst=224.0.0.33"),
	R("vrrp_instance", "track_src_ip", "p.track_src_ip=1"),
	R("vrrp_instance", "version 3", "p.version_cfg=3", "p.version=3"),
	R("vrrp_instance", "check_unicast_src", "p.check_unicast_src=1"),
	R("vrrp_instance", "unicast_peer {\n 10.0.0.7 min_ttl 3 max_ttl 9\n}",
	    "unicast_peers.n=1", "unicast_peers[0].addr=10.0.0.7",
	    "unicast_peers[0].min_ttl=3", "unicast_peers[0].max_ttl=9",
	    "p.check_unicast_src=1"),
	R("vrrp_instance", "unicast_fault_no_peer", "p.unicast_fault_no_peer=1"),
	R("vrrp_instance", "unicast_ttl 77", "p.unicast_ttl=77"),
	R("vrrp_instance", "old_unicast_checksum never",
	    "p.old_unicast_checksum=2"),
	R("vrrp_instance", "garp_master_delay 11", "p.garp.master_delay=11"),
	R("vrrp_instance", "garp_master_repeat 12", "p.garp.master_repeat=12"),
	R("vrrp_instance", "garp_lower_prio_delay 13",
	    "p.garp.lower_prio_delay=13"),
	R("vrrp_instance", "garp_lower_prio_repeat 14",
	    "p.garp.lower_prio_repeat=14"),
	R("vrrp_instance", "garp_master_refresh 15",
	    "p.garp.master_refresh=15"),
	R("vrrp_instance", "garp_master_refresh_repeat 16",
	    "p.garp.master_refresh_repeat=16"),
	R("vrrp_instance", "garp_extra_if all 17", "p.garp.extra_if=17",
	    "p.garp.extra_if_all=1"),
	R("vrrp_instance", "vmac_garp_intvl 18", "p.garp.extra_if=18"),
	R("vrrp_instance", "down_timer_adverts 7", "p.down_timer_adverts=7"),
	R("vrrp_instance", "lower_prio_no_advert", "p.lower_prio_no_advert=1"),
	R("vrrp_instance", "higher_prio_send_advert",
	    "p.higher_prio_send_advert=1"),
	R("vrrp_instance", "virtual_router_id 42", "p.vrid=42"),
	R("vrrp_instance", "priority 150", "p.priority=150"),
	R("vrrp_instance", "advert_int 3", "p.advert_int=3000000"),
	R("vrrp_instance", "authentication {\n auth_type PASS\n"
	    " auth_pass secret\n}", "p.auth_type=1", "p.auth_pass=secret"),
	R("vrrp_instance", "virtual_ipaddress {\n 10.9.9.9/24 dev eth2 "
	    "label eth2:1\n}", "vips.n=1", "vips[0].p.addr=10.9.9.9",
	    "vips[0].p.prefix=24", "vips[0].dev=eth2", "vips[0].label=eth2:1",
	    "vips[0]*"),
	R("vrrp_instance", "virtual_ipaddress_excluded {\n 10.9.9.8\n}",
	    "evips.n=1", "evips[0].p.addr=10.9.9.8", "evips[0]*"),
	R("vrrp_instance", "promote_secondaries", "p.promote_secondaries=1"),
	R("vrrp_instance", "virtual_routes {\n 10.5.0.0/16 via 10.0.0.1\n}",
	    "routes.n=1", "routes[0].p.dst=10.5.0.0", "routes[0].p.dst_len=16",
	    "routes[0].p.via=10.0.0.1", "routes[0]*"),
	R("vrrp_instance", "virtual_rules {\n from 10.6.0.0/16 table 100\n}",
	    "rules.n=1", "rules[0].p.from=10.6.0.0", "rules[0].p.from_len=16",
	    "rules[0].p.table=100", "rules[0]*"),
	R("vrrp_instance", "accept", "p.accept=1"),
	R("vrrp_instance", "no_accept", "p.accept=0"),
	R("vrrp_instance", "skip_check_adv_addr", "p.skip_check_adv_addr=1"),
	R("vrrp_instance", "strict_mode off", "p.strict_mode=0"),
	RP("vrrp_instance", "nopreempt", "preempt", "p.nopreempt=0"),
	R("vrrp_instance", "nopreempt", "p.nopreempt=1"),
	R("vrrp_instance", "preempt_delay 4", "p.preempt_delay=4000000"),
	R("vrrp_instance", "debug 3", "p.debug=3"),
	R("vrrp_instance", "notify_master /bin/m u1 g1",
	    "notify_master.cmd=/bin/m", "notify_master.user=u1",
	    "notify_master.group=g1"),
	R("vrrp_instance", "notify_backup /bin/b", "notify_backup.cmd=/bin/b"),
	R("vrrp_instance", "notify_fault /bin/f", "notify_fault.cmd=/bin/f"),
	R("vrrp_instance", "notify_stop /bin/s", "notify_stop.cmd=/bin/s"),
	R("vrrp_instance", "notify /bin/n", "notify.cmd=/bin/n"),
	R("vrrp_instance", "notify_master_rx_lower_pri /bin/l",
	    "notify_master_rx_lower_pri.cmd=/bin/l"),
	R("vrrp_instance", "notify_deleted /bin/d",
	    "notify_deleted.cmd=/bin/d", "has_notify_deleted=1"),
	R("vrrp_instance", "notify_priority_changes",
	    "p.notify_priority_changes=1"),
	R("vrrp_instance", "smtp_alert", "p.smtp_alert=1"),
	R("vrrp_instance", "kernel_rx_buf_size 65536",
	    "p.kernel_rx_buf_size=65536"),
	R("vrrp_instance", "linkbeat_use_polling",
	    "linkbeat_use_polling=1"),
	R("vrrp_instance", "lvs_sync_daemon_interface eth5",
	    "lvs_sync_daemon_interface=eth5"),
	R("vrrp_authentication", "auth_type AH", "p.auth_type=2"),
	R("vrrp_authentication", "auth_pass newpw", "p.auth_pass=newpw"),

	/* ---- other VRRP blocks ---- */
	R("vrrp_sync_group", "group {\n VI_3\n}", "members.n=3",
	    "members[2].name=VI_3", "members[2]*"),
	R("vrrp_sync_group", "track_interface {\n eth6 weight 4\n}",
	    "track_if.n=1", "track_if[0].name=eth6", "track_if[0].weight=4",
	    "track_if[0].bits=weight_set "),
	R("vrrp_sync_group", "track_script {\n s1\n}", "track_script.n=1",
	    "track_script[0].name=s1", "track_script[0]*"),
	R("vrrp_sync_group", "track_file {\n f1\n}", "track_file.n=1",
	    "track_file[0].name=f1", "track_file[0]*"),
	R("vrrp_sync_group", "track_process {\n p1\n}", "track_process.n=1",
	    "track_process[0].name=p1", "track_process[0]*"),
	R("vrrp_sync_group_bfd", "track_bfd {\n b1 weight -3 reverse\n}",
	    "track_bfd.n=1", "track_bfd[0].name=b1",
	    "track_bfd[0].weight=-3", "track_bfd[0].bits=weight_set reverse "),
	R("bfd_instance", "neighbour_ip 10.0.0.8", "nbr=10.0.0.8"),
	R("bfd_instance", "source_ip 10.0.0.7", "src=10.0.0.7"),
	R("bfd_instance", "min_rx 20.5", "min_rx=20500"),
	R("bfd_instance", "min_tx 30", "min_tx=30000"),
	R("bfd_instance", "idle_tx 2000", "idle_tx=2000000"),
	R("bfd_instance", "multiplier 7", "mult=07"),
	R("bfd_instance", "passive", "passive=1"),
	R("bfd_instance", "ttl 64", "ttl=40"),
	R("bfd_instance", "hoplimit 63", "ttl=3f"),
	R("bfd_instance", "max_hops 2", "max_hops=2"),
	R("bfd_instance", "weight -20 reverse", "weight=-20",
	    "weight_reverse=1"),
	R("bfd_instance", "vrrp", "said_vrrp=1", "checker=0"),
	R("bfd_instance", "checker", "said_checker=1", "vrrp=0"),
	R("bfd_instance", "neighbor_ip 10.0.0.6", "nbr=10.0.0.6"),
	R("vrrp_sync_group", "notify_master /bin/gm gu gg",
	    "notify_master.cmd=/bin/gm", "notify_master.user=gu",
	    "notify_master.group=gg"),
	R("vrrp_sync_group", "notify_backup /bin/gb",
	    "notify_backup.cmd=/bin/gb"),
	R("vrrp_sync_group", "notify_fault /bin/gf", "notify_fault.cmd=/bin/gf"),
	R("vrrp_sync_group", "notify_stop /bin/gs", "notify_stop.cmd=/bin/gs"),
	R("vrrp_sync_group", "notify /bin/gn", "notify.cmd=/bin/gn"),
	R("vrrp_sync_group", "notify_deleted /bin/gd",
	    "notify_deleted.cmd=/bin/gd", "has_notify_deleted=1"),
	R("vrrp_sync_group", "notify_priority_changes",
	    "notify_priority_changes=1"),
	R("vrrp_sync_group", "smtp_alert", "smtp_alert=1"),
	R("vrrp_sync_group", "global_tracking", "global_tracking=1"),
	R("vrrp_sync_group", "sync_group_tracking_weight", "tracking_weight=1"),

	R("vrrp_script", "script /bin/s2", "script=/bin/s2"),
	R("vrrp_script", "interval 3", "interval=3000000"),
	R("vrrp_script", "timeout 4", "timeout=4000000"),
	R("vrrp_script", "weight -7 reverse", "weight=-7", "weight_reverse=1"),
	R("vrrp_script", "rise 5", "rise=5"),
	R("vrrp_script", "fall 6", "fall=6"),
	R("vrrp_script", "user u1 g1", "user=u1", "group=g1"),
	R("vrrp_script", "init_fail", "init_fail=1"),

	R("vrrp_track_file", "file /run/x2", "file=/run/x2"),
	R("vrrp_track_file", "weight 9 reverse", "weight=9", "weight_reverse=1"),
	R("vrrp_track_file", "init_file 5 overwrite", "init_file=1",
	    "init_value=5", "init_overwrite=1"),

	R("vrrp_track_process", "process nginx -g x", "process=nginx",
	    "nparams=2", "params[0]=-g", "params[1]=x", "param_match=1"),
	R("vrrp_track_process", "param_match partial", "param_match=2"),
	R("vrrp_track_process", "weight -3 reverse", "weight=-3",
	    "weight_reverse=1"),
	R("vrrp_track_process", "quorum 3", "quorum=3"),
	R("vrrp_track_process", "quorum_max 9", "quorum_max=9"),
	R("vrrp_track_process", "fork_delay 1.5", "fork_delay=1500000"),
	R("vrrp_track_process", "terminate_delay 2.5",
	    "terminate_delay=2500000"),
	R("vrrp_track_process", "delay 0.5", "fork_delay=500000",
	    "terminate_delay=500000"),
	R("vrrp_track_process", "full_command", "full_command=1"),

	R("vrrp_garp_group", "garp_interval 0.1", "garp_interval=100000",
	    "have_garp_interval=1"),
	R("vrrp_garp_group", "gna_interval 0.2", "gna_interval=200000",
	    "have_gna_interval=1"),
	R("vrrp_garp_group", "interface eth3", "interfaces.n=2",
	    "interfaces[1].name=eth3", "interfaces[1]*"),
	R("vrrp_garp_group", "interfaces {\n eth4\n eth5\n}", "interfaces.n=3",
	    "interfaces[1].name=eth4", "interfaces[2].name=eth5",
	    "interfaces[1]*", "interfaces[2]*"),
	R("vrrp_track_group", "group {\n VI_5\n}", "members.n=1",
	    "members[0].name=VI_5", "members[0]*"),

	/* ---- SSL ---- */
	R("SSL", "password pw", "password=pw"),
	R("SSL", "ca /ca", "ca=/ca"),
	R("SSL", "certificate /cert", "certificate=/cert"),
	R("SSL", "key /key", "key=/key"),

	/* ---- virtual_server ---- */
	R("virtual_server", "lb_algo rr", "sched=rr"),
	R("virtual_server", "lvs_sched sh", "sched=sh"),
	R("virtual_server", "hashed", "flags=1"),
	R("virtual_server", "ops", "flags=2"),
	R("virtual_server", "flag-1", "flags=4"),
	R("virtual_server", "flag-2", "flags=8"),
	R("virtual_server", "flag-3", "flags=16"),
	/* decided at the line from the scheduler so far (keepalived) */
	R("virtual_server_sh", "sh-fallback", "flags=4"),
	R("virtual_server_sh", "sh-port", "flags=8"),
	R("virtual_server_mh", "mh-fallback", "flags=4"),
	R("virtual_server_mh", "mh-port", "flags=8"),
	R("virtual_server", "lb_kind DR", "fwd.method=2"),
	R("virtual_server", "lvs_method TUN type gue port 6080 csum",
	    "fwd.method=3", "fwd.tun_type=1", "fwd.tun_port=6080",
	    "fwd.tun_csum=2"),
	R("virtual_server", "persistence_timeout 600",
	    "persistence_timeout=600", "persistence_set=1"),
	R("virtual_server", "persistence_granularity 255.255.255.0",
	    "persistence_mask=255.255.255.0", "persistence_timeout=360",
	    "persistence_set=1"),
	R("virtual_server", "persistence_engine sip", "persistence_engine=sip"),
	R("virtual_server", "protocol UDP", "protocol=17"),
	R("virtual_server", "ha_suspend", "ha_suspend=1"),
	R("virtual_server", "smtp_alert", "smtp_alert=1"),
	R("virtual_server", "virtualhost www.x", "virtualhost=www.x"),
	R("virtual_server", "snmp_name vs7", "snmp_name=vs7"),
	R("virtual_server", "alpha", "alpha=1"),
	R("virtual_server", "omega", "omega=1"),
	R("virtual_server", "quorum 3", "quorum=3"),
	R("virtual_server", "hysteresis 2", "hysteresis=2"),
	R("virtual_server", "weight 5", "weight=5"),
	R("virtual_server", "quorum_up /bin/qu qu", "quorum_up.cmd=/bin/qu",
	    "quorum_up.user=qu"),
	R("virtual_server", "quorum_down /bin/qd", "quorum_down.cmd=/bin/qd"),
	R("virtual_server_fwmark", "ip_family inet6", "family=10"),
	R("virtual_server", "sorry_server 10.0.0.9 8080", "sorry.set=1",
	    "sorry.addr=10.0.0.9", "sorry.port=8080"),
	R("virtual_server", "sorry_server_inhibit", "sorry.inhibit=1"),
	R("virtual_server", "sorry_server_lvs_method DR", "sorry.fwd.method=2"),
	R("virtual_server", "connect_timeout 7", "connect_timeout=7000000"),
	R("virtual_server", "retry 4", "retry=4"),
	R("virtual_server", "delay_before_retry 2",
	    "delay_before_retry=2000000"),
	R("virtual_server", "warmup 3", "warmup=3000000"),
	R("virtual_server", "delay_loop 6", "delay_loop=6000000"),
	R("virtual_server", "inhibit_on_failure", "inhibit_on_failure=1"),
	R("virtual_server", "real_server 10.0.0.3 81 {\n}", "nrs=1",
	    "rs[0].addr=10.0.0.3", "rs[0].port=81", "rs[0]*"),

	/* ---- real_server ---- */
	R("real_server", "weight 3", "weight=3"),
	R("real_server", "lvs_method DR", "fwd.method=2"),
	R("real_server", "notify_up /bin/nu", "notify_up.cmd=/bin/nu"),
	R("real_server", "notify_down /bin/nd nu ng", "notify_down.cmd=/bin/nd",
	    "notify_down.user=nu", "notify_down.group=ng"),
	R("real_server", "uthreshold 100", "uthreshold=100"),
	R("real_server", "lthreshold 10", "lthreshold=10"),
	R("real_server", "inhibit_on_failure", "inhibit_on_failure=1"),
	R("real_server", "alpha", "checks.alpha=1"),
	R("real_server", "smtp_alert", "smtp_alert=1"),
	R("real_server", "virtualhost rs.x", "checks.virtualhost=rs.x"),
	R("real_server", "snmp_name rs7", "snmp_name=rs7"),
	R("real_server", "retry 5", "checks.retry=5"),
	R("real_server", "delay_before_retry 1.5", "checks.delay_before_retry=1500000"),
	R("real_server", "warmup 2.5", "checks.warmup=2500000"),
	R("real_server", "delay_loop 3.5", "checks.delay_loop=3500000"),
	R("real_server", "connect_timeout 4.5", "checks.connect_timeout=4500000"),
	R("real_server", "TCP_CHECK {\n}", "checks.n=1", "checks.list[0].kind=0",
	    "checks.list[0]*"),
	R("real_server", "HTTP_GET {\n url {\n path /h\n }\n}", "checks.n=1",
	    "checks.list[0].kind=1", "checks.list[0].u.http.urls[0].path=/h",
	    "checks.list[0]*"),
	R("real_server", "SSL_GET {\n url {\n path /s\n }\n}", "checks.n=1",
	    "checks.list[0].kind=2", "checks.list[0].u.http.urls[0].path=/s",
	    "checks.list[0]*"),
	R("real_server", "SMTP_CHECK {\n}", "checks.n=1", "checks.list[0].kind=3",
	    "checks.list[0]*"),
	R("real_server", "DNS_CHECK {\n}", "checks.n=1", "checks.list[0].kind=4",
	    "checks.list[0]*"),
	R("real_server", "UDP_CHECK {\n}", "checks.n=1", "checks.list[0].kind=5",
	    "checks.list[0]*"),
	R("real_server", "PING_CHECK {\n}", "checks.n=1", "checks.list[0].kind=6",
	    "checks.list[0]*"),
	R("real_server", "MISC_CHECK {\n misc_path /bin/m\n}", "checks.n=1",
	    "checks.list[0].kind=7", "checks.list[0].u.misc.script.cmd=/bin/m",
	    "checks.list[0]*"),
	R("real_server", "FILE_CHECK {\n track_file /run/f\n}", "checks.n=1",
	    "checks.list[0].kind=8", "checks.list[0].u.file.track_file=/run/f",
	    "checks.list[0]*"),
	R("real_server", "BFD_CHECK {\n}", NOTHING),

	/* ---- checkers: connection and timing ---- */
	R(CHECKERS " SMTP_CHECK\thost", "connect_ip 10.3.3.3",
	    "conn.connect_ip=10.3.3.3"),
	R(CHECKERS " SMTP_CHECK\thost", "connect_port 8081",
	    "conn.connect_port=8081", "conn.has_port=1"),
	R(CHECKERS " SMTP_CHECK\thost", "bindto 10.4.4.4",
	    "conn.bindto=10.4.4.4"),
	R(CHECKERS " SMTP_CHECK\thost", "bind_port 5555",
	    "conn.bind_port=5555"),
	R(CHECKERS " SMTP_CHECK\thost", "bind_if eth8", "conn.bind_if=eth8"),
	R(CHECKERS " SMTP_CHECK\thost", "fwmark 77", "conn.fwmark=77"),
	R(CHECKERS " MISC_CHECK SMTP_CHECK\thost", "connect_timeout 9",
	    "conn.connect_timeout=9000000"),
	R(CHECKERS " MISC_CHECK", "alpha", "alpha=1"),
	R(CHECKERS " MISC_CHECK", "retry 6", "retry=6"),
	R(CHECKERS " MISC_CHECK", "nb_get_retry 8", "retry=8"),
	R(CHECKERS " MISC_CHECK", "delay_before_retry 1.25",
	    "delay_before_retry=1250000"),
	R(CHECKERS " MISC_CHECK", "warmup 0.75", "warmup=750000"),
	R(CHECKERS " MISC_CHECK", "delay_loop 12", "delay_loop=12000000"),
	R(CHECKERS " MISC_CHECK", "log_all_failures", "log_all_failures=1"),
	/* inside host { } they set the enclosing SMTP_CHECK's */
	R("SMTP_CHECK\thost", "alpha", "/" CK ".alpha=1"),
	R("SMTP_CHECK\thost", "retry 6", "/" CK ".retry=6"),
	R("SMTP_CHECK\thost", "delay_before_retry 1.25",
	    "/" CK ".delay_before_retry=1250000"),
	R("SMTP_CHECK\thost", "warmup 0.75", "/" CK ".warmup=750000"),
	R("SMTP_CHECK\thost", "delay_loop 12", "/" CK ".delay_loop=12000000"),
	R("SMTP_CHECK\thost", "log_all_failures", "/" CK ".log_all_failures=1"),

	/* ---- checkers: their own keywords ---- */
	R("HTTP_GET SSL_GET", "url {\n path /u2\n}", "u.http.nurls=2",
	    "u.http.urls[1].path=/u2", "u.http.urls[1]*"),
	R("HTTP_GET SSL_GET", "http_protocol 1.1", "u.http.proto=2"),
	R("HTTP_GET SSL_GET", "fast_recovery", "u.http.fast_recovery=1"),
	R("HTTP_GET SSL_GET", "enable_sni", "u.http.enable_sni=1"),
	R("HTTP_GET SSL_GET", "tls_compliant", "u.http.tls_compliant=1"),
	R("HTTP_GET SSL_GET", "virtualhost ck.x", "u.http.virtualhost=ck.x"),
	R("SMTP_CHECK", "helo_name h.x", "u.smtp.helo_name=h.x"),
	R("SMTP_CHECK", "host {\n connect_ip 10.5.5.5\n}", "u.smtp.nhosts=1",
	    "u.smtp.hosts[0].conn.connect_ip=10.5.5.5", "u.smtp.hosts[0]*"),
	R("DNS_CHECK", "type A", "u.dns.type=1"),
	R("DNS_CHECK", "name example.com", "u.dns.name=example.com"),
	R("UDP_CHECK", "payload 0a0b", "u.udp.payload=0a0b",
	    "u.udp.payload_len=2"),
	R("UDP_CHECK", "require_reply 0a0X", "u.udp.require_reply=1",
	    "u.udp.reply=0a00", "u.udp.reply_mask=fff0", "u.udp.reply_len=2"),
	R("UDP_CHECK", "min_reply_length 4", "u.udp.min_reply_length=4"),
	R("UDP_CHECK", "max_reply_length 100", "u.udp.max_reply_length=100"),
	R("MISC_CHECK", "misc_path /bin/m2", "u.misc.script.cmd=/bin/m2"),
	R("MISC_CHECK", "misc_timeout 8", "u.misc.timeout=8000000"),
	R("MISC_CHECK", "misc_dynamic", "u.misc.dynamic=1"),
	R("MISC_CHECK", "user nobody nogroup", "u.misc.script.user=nobody",
	    "u.misc.script.group=nogroup"),
	R("FILE_CHECK", "track_file /run/f2", "u.file.track_file=/run/f2"),
	R("FILE_CHECK", "file /run/f3", "u.file.track_file=/run/f3"),
	R("FILE_CHECK", "dynamic", "u.file.dynamic=1"),
	R("BFD_CHECK", "alpha", "alpha=1"),
	R("BFD_CHECK_unnamed", "name b1", "checks.n=1",
	    "checks.list[0].u.bfd.name=b1", "checks.list[0]*"),
	R("FILE_CHECK", "weight -4 reverse", "u.file.weight=-4",
	    "u.file.reverse=1"),

	/* ---- url ---- */
	R("url", "path /p2", "path=/p2"),
	R("url", "digest 0123456789abcdef0123456789ABCDEF", "has_digest=1",
	    "digest=0123456789abcdef0123456789abcdef"),
	R("url", "status_code 200 301-302", "has_status=1",
	    "status=200,301,302"),
	R("url", "virtualhost u.x", "virtualhost=u.x"),
	R("url", "regex ^ok$", "regex=^ok$"),
	R("url", "regex_no_match", "regex_no_match=1"),
	R("url", "regex_options caseless", "regex_options=caseless"),
	R("url", "regex_stack 100 200", "regex_stack_start=100",
	    "regex_stack_max=200"),
	R("url", "regex_min_offset 5", "regex_min_offset=5"),
	R("url", "regex_max_offset 50", "regex_max_offset=50"),
};

#define NCASES (sizeof(cases) / sizeof(cases[0]))

/* ---- expansion of cases over their skeletons ----------------------------- */

struct run {
	const struct kwcase *c;
	const struct skel *s;
};

static struct run runs[NCASES * 12];
static unsigned nruns;

static const struct skel *
skel_find(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(skels) / sizeof(skels[0]); i++)
		if (strcmp(skels[i].name, name) == 0)
			return &skels[i];
	return NULL;
}

/* Skeleton names are separated by blanks; a tab stands for a blank inside
 * a name ("SMTP_CHECK\thost"). 0, or -1 naming the unknown skeleton. */
static int
expand_cases(char *bad, size_t badlen)
{
	size_t i;

	for (i = 0; i < NCASES; i++) {
		char names[512], *save = NULL, *tok, *t;

		snprintf(names, sizeof(names), "%s", cases[i].skel);
		for (tok = strtok_r(names, " ", &save); tok != NULL;
		    tok = strtok_r(NULL, " ", &save)) {
			const struct skel *s;

			for (t = tok; *t != '\0'; t++)
				if (*t == '\t')
					*t = ' ';
			if ((s = skel_find(tok)) == NULL) {
				snprintf(bad, badlen, "case '%s': no skeleton "
				    "'%s'", cases[i].line, tok);
				return -1;
			}
			if (nruns >= sizeof(runs) / sizeof(runs[0])) {
				snprintf(bad, badlen, "too many runs");
				return -1;
			}
			runs[nruns].c = &cases[i];
			runs[nruns].s = s;
			nruns++;
		}
	}
	return 0;
}

/* The keyword of a case: the first word of its line. */
static void
case_keyword(const struct kwcase *c, char *buf, size_t len)
{
	size_t n = strcspn(c->line, " \n");

	snprintf(buf, len, "%.*s", (int)(n < len ? n : len - 1), c->line);
}

/* ---- loading and comparing ----------------------------------------------- */

struct loaded {
	struct conf_tree *tree;
	char *msgs;
	size_t msgs_len;
	unsigned nerr;
	struct flat flat;
};

static char *
skel_text(const struct skel *s, const char *pre, const char *line)
{
	const char *at = strstr(s->text, "@@");
	char *out = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&out, &len);

	ck_assert_ptr_nonnull(at);
	ck_assert_ptr_nonnull(fp);
	fprintf(fp, "%.*s", (int)(at - s->text), s->text);
	if (pre != NULL)
		fprintf(fp, "%s\n", pre);
	if (line != NULL)
		fprintf(fp, "%s", line);
	fprintf(fp, "%s", at + 2);
	fclose(fp);
	return out;
}

/* Load text through every keyword table and flatten the three roots. */
static void
load(struct loaded *l, const char *text)
{
	struct conf_load_opts o;
	struct conf_diag d;
	void *roots[CONF_OWNER_MAX] = { 0 };
	struct out ro;
	FILE *mf;

	memset(l, 0, sizeof(*l));
	memset(&o, 0, sizeof(o));
	memset(&d, 0, sizeof(d));
	o.config_id = "test";
	mf = open_memstream(&l->msgs, &l->msgs_len);
	ck_assert_ptr_nonnull(mf);
	d.emit = conf_diag_print;
	d.arg = mf;
	if (conf_load_buffer("kw.conf", text, strlen(text), &o, &d,
	    &l->tree) == 0) {
		roots[CONF_OWNER_GLOBAL] = global_conf_new(l->tree->arena);
		roots[CONF_OWNER_VRRP] = vrrp_conf_new(l->tree->arena);
		roots[CONF_OWNER_CHECK] = chk_conf_new(l->tree->arena);
		roots[CONF_OWNER_BFD] = bfd_conf_new(l->tree->arena);
		ck_assert(roots[CONF_OWNER_BFD] != NULL &&
		    roots[CONF_OWNER_GLOBAL] != NULL &&
		    roots[CONF_OWNER_VRRP] != NULL &&
		    roots[CONF_OWNER_CHECK] != NULL);
		conf_apply(vconfig_registry(), l->tree, CONF_OWNERS_ALL, roots,
		    l->tree->arena, &d);
	}
	fclose(mf);
	l->nerr = d.nerr;
	if (l->tree == NULL)
		return;
	ro.fp = open_memstream(&l->flat.buf, &l->flat.len);
	ck_assert_ptr_nonnull(ro.fp);
	kw_render(&ro, "global", &global, roots[CONF_OWNER_GLOBAL]);
	kw_render(&ro, "vrrp", &vconf, roots[CONF_OWNER_VRRP]);
	kw_render(&ro, "chk", &cconf, roots[CONF_OWNER_CHECK]);
	kw_render(&ro, "bfd", &bconf, roots[CONF_OWNER_BFD]);
	fclose(ro.fp);
	ck_assert_int_eq(kw_flat_index(&l->flat), 0);
}

static void
unload(struct loaded *l)
{
	free(l->msgs);
	kw_flat_free(&l->flat);
	conf_tree_free(l->tree);
}

struct expect {
	char path[KW_PATH_MAX];
	const char *val;	/* NULL: a pattern, path is a prefix */
};

static void
parse_expect(const char *prefix, const char *e, struct expect *x)
{
	const char *eq = strchr(e, '=');
	size_t plen = eq != NULL ? (size_t)(eq - e) : strlen(e);

	if (*e == '/') {
		e++;
		plen--;
		prefix = "";
	}
	if (eq == NULL && plen > 0 && e[plen - 1] == '*')
		plen--;
	snprintf(x->path, sizeof(x->path), "%s%s%.*s", prefix,
	    *prefix != '\0' ? "." : "", (int)plen, e);
	x->val = eq != NULL ? eq + 1 : NULL;
}

static int
allowed(const struct expect *x, size_t nx, const char *path)
{
	size_t i;

	for (i = 0; i < nx; i++) {
		if (x[i].val != NULL && strcmp(x[i].path, path) == 0)
			return 1;
		if (x[i].val == NULL &&
		    strncmp(x[i].path, path, strlen(x[i].path)) == 0)
			return 1;
	}
	return 0;
}

START_TEST(test_keyword_sets_its_field)
{
	const struct run *r = &runs[_i];
	const struct kwcase *c = r->c;
	struct expect x[KW_EXPECT_MAX];
	struct loaded base, with;
	char *text, *msg = NULL, kw[64];
	size_t msglen = 0, nx = 0, i, j;
	FILE *mf;
	unsigned nfail = 0;

	case_keyword(c, kw, sizeof(kw));
	text = skel_text(r->s, c->pre, NULL);
	load(&base, text);
	ck_assert_msg(base.nerr == 0, "%s: skeleton rejected:\n%s%s",
	    r->s->name, text, base.msgs);
	free(text);
	text = skel_text(r->s, c->pre, c->line);
	load(&with, text);
	ck_assert_msg(with.nerr == 0, "%s %s: rejected:\n%s%s", r->s->name,
	    kw, text, with.msgs);
	free(text);

	for (i = 0; i < KW_EXPECT_MAX && c->expect[i] != NULL; i++)
		parse_expect(r->s->prefix, c->expect[i], &x[nx++]);

	mf = open_memstream(&msg, &msglen);
	ck_assert_ptr_nonnull(mf);
	/* the named fields hold the values given, and the keyword set them */
	for (i = 0; i < nx; i++) {
		const char *got, *was;

		if (x[i].val == NULL)
			continue;
		got = kw_flat_get(&with.flat, x[i].path);
		was = kw_flat_get(&base.flat, x[i].path);
		if (got == NULL || strcmp(got, x[i].val) != 0) {
			fprintf(mf, "\n  expected %s=%s, got %s", x[i].path,
			    x[i].val, got != NULL ? got : "(no such field)");
			nfail++;
		} else if (was != NULL && strcmp(was, x[i].val) == 0) {
			fprintf(mf, "\n  %s is %s without the keyword too: "
			    "give the keyword a value that changes it",
			    x[i].path, was);
			nfail++;
		}
	}
	/* and nothing else changed */
	for (i = 0, j = 0; i < base.flat.n || j < with.flat.n;) {
		const struct kv *b = i < base.flat.n ? &base.flat.kv[i] : NULL;
		const struct kv *w = j < with.flat.n ? &with.flat.kv[j] : NULL;
		int cmp = b == NULL ? 1 : w == NULL ? -1 :
		    strcmp(b->path, w->path);
		const char *path = cmp <= 0 ? b->path : w->path;

		if (cmp == 0 && strcmp(b->val, w->val) == 0) {
			i++, j++;
			continue;
		}
		if (!allowed(x, nx, path)) {
			fprintf(mf, "\n  unexpected change of %s: %s -> %s",
			    path, cmp <= 0 ? b->val : "(none)",
			    cmp >= 0 ? w->val : "(none)");
			nfail++;
		}
		if (cmp <= 0)
			i++;
		if (cmp >= 0)
			j++;
	}
	fclose(mf);
	if (getenv("KW_DUMP") != NULL)	/* every field, for writing cases */
		for (i = 0; i < with.flat.n; i++)
			fprintf(stderr, "%u %s=%s\n", _i, with.flat.kv[i].path,
			    with.flat.kv[i].val);
	ck_assert_msg(nfail == 0, "%s: keyword %s (\"%s\"):%s", r->s->name, kw,
	    c->line, msg);
	free(msg);
	unload(&base);
	unload(&with);
}
END_TEST

/* ---- coverage: every registered keyword has a case, no case is stale ---- */

struct cover {
	FILE *fp;
	unsigned total, missing;
};

static int
covered(const char *context, const char *name)
{
	unsigned i;
	char kw[64];

	for (i = 0; i < nruns; i++) {
		if (strcmp(runs[i].s->context, context) != 0)
			continue;
		case_keyword(runs[i].c, kw, sizeof(kw));
		if (strcmp(kw, name) == 0)
			return 1;
	}
	return 0;
}

static void
cover_one(void *arg, const char *context, const struct conf_kw *kw,
    enum conf_owner owner)
{
	struct cover *cv = arg;

	(void)owner;
	cv->total++;
	if (covered(context, kw->name))
		return;
	cv->missing++;
	fprintf(cv->fp, "\n  %s %s", *context != '\0' ? context : "(top)",
	    kw->name);
}

START_TEST(test_every_keyword_has_a_case)
{
	struct cover cv = { NULL, 0, 0 };
	char *msg = NULL, kw[64];
	size_t len = 0;
	unsigned i, stale = 0;

	cv.fp = open_memstream(&msg, &len);
	ck_assert_ptr_nonnull(cv.fp);
	conf_registry_walk(vconfig_registry(), cover_one, &cv);
	for (i = 0; i < nruns; i++) {
		case_keyword(runs[i].c, kw, sizeof(kw));
		if (conf_registry_find(vconfig_registry(), runs[i].s->context,
		    kw, NULL) != NULL)
			continue;
		stale++;
		fprintf(cv.fp, "\n  case '%s' in %s: no such keyword there",
		    runs[i].c->line, runs[i].s->name);
	}
	fclose(cv.fp);
	ck_assert_uint_gt(cv.total, 400);
	ck_assert_msg(cv.missing == 0 && stale == 0, "%u of %u registered "
	    "keywords have no case in test_kwfields.c (add one naming the "
	    "field each must set), %u cases are stale:%s", cv.missing,
	    cv.total, stale, msg);
	free(msg);
}
END_TEST

/* ---- the layouts account for every byte of their structs ----------------- */

START_TEST(test_layouts_complete)
{
	const struct layout *l = all_layouts[_i];
	size_t i, end = 0, pad;

	for (i = 0; i < l->nf; i++) {
		const struct fld *f = &l->f[i];
		size_t want = f->k == FK_INT ? sizeof(int) :
		    f->k == FK_UINT ? sizeof(unsigned) :
		    f->k == FK_UL ? sizeof(unsigned long) :
		    f->k == FK_LL ? sizeof(long long) :
		    f->k == FK_ULL ? sizeof(unsigned long long) :
		    f->k == FK_SIZE ? sizeof(size_t) :
		    f->k == FK_STR ? sizeof(char *) :
		    f->k == FK_ADDR ? sizeof(struct vg_addr) :
		    f->k == FK_VLIST ? sizeof(struct vrrp_conf_list) :
		    f->k == FK_SUB ? f->sub->size : f->size;

		ck_assert_msg(f->size == want, "%s.%s: %zu bytes, its kind "
		    "prints %zu", l->name, f->name, f->size, want);
		ck_assert_msg(f->off >= end, "%s.%s: out of order or "
		    "overlapping", l->name, f->name);
		/* only the padding the field's alignment needs may precede it */
		pad = (f->align - end % f->align) % f->align;
		ck_assert_msg(f->off == end + pad, "%s: %zu bytes before %s "
		    "that no field of the layout covers (a field missing "
		    "from kwfields_layout.h?)", l->name, f->off - end, f->name);
		end = f->off + f->size;
	}
	pad = (l->align - end % l->align) % l->align;
	ck_assert_msg(l->size == end + pad, "%s: %zu bytes after %s that no "
	    "field of the layout covers", l->name, l->size - end,
	    l->nf > 0 ? l->f[l->nf - 1].name : "the start");
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("kwfields");
	TCase *tc = tcase_create("kw");
	char bad[256];

	if (expand_cases(bad, sizeof(bad)) == -1) {
		fprintf(stderr, "test_kwfields: %s\n", bad);
		return EXIT_FAILURE;
	}
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_layouts_complete, 0,
	    (int)(sizeof(all_layouts) / sizeof(all_layouts[0])));
	tcase_add_test(tc, test_every_keyword_has_a_case);
	tcase_add_loop_test(tc, test_keyword_sets_its_field, 0, (int)nruns);
	suite_add_tcase(s, tc);
	return check_run(s);
}

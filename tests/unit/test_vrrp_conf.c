/* SPDX-License-Identifier: GPL-2.0-or-later */
/* VRRP configuration: keywords, typed values, validation, diff, dump. */
#include <arpa/inet.h>
#include <check.h>
#include <linux/lwtunnel.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>

#include "conf.h"
#include "global_conf.h"
#include "log.h"
#include "loop.h"
#include "vrrp/config.h"
#include "vrrp/engine_priv.h"
#include "vrrp/socket.h"
#include "vrrp/work.h"

#include "vrrp_conf_test.h"
#include "dump_readback.h"
#include "check_run.h"

static const char *samples[] = {
	"keepalived.conf.vrrp", "keepalived.conf.vrrp.localcheck",
	"keepalived.conf.vrrp.lvs_syncd", "keepalived.conf.vrrp.routes",
	"keepalived.conf.vrrp.rules", "keepalived.conf.vrrp.scripts",
	"keepalived.conf.vrrp.static_ipaddress", "keepalived.conf.vrrp.sync",
	"keepalived.conf.sample", "keepalived.conf.track_interface",
	"keepalived.conf.IPv6", "keepalived.conf.conditional_conf",
	"keepalived.conf.SSL_GET",
};

START_TEST(test_samples)
{
	struct loaded l;
	char path[256];

	snprintf(path, sizeof(path), SAMPLES "%s", samples[_i]);
	ck_assert_msg(access(path, R_OK) == 0, "%s: sample missing", path);
	ck_assert_int_eq(load_file(&l, path, "test"), 0);
	if (l.nerr != 0)
		fprintf(stderr, "%s", l.msgs);
	ck_assert_msg(l.nerr == 0, "%s: %u errors", samples[_i], l.nerr);
	unload(&l);
}
END_TEST

START_TEST(test_sample_counts)
{
	struct loaded l;
	const struct vrrp_instance_conf *vi;
	const struct vrrp_sync_group_conf *g;

	ck_assert_int_eq(load_file(&l, SAMPLES "keepalived.conf.vrrp.sync",
	    "x"), 0);
	ck_assert_uint_eq(l.vc->instances.n, 9);
	ck_assert_uint_eq(l.vc->sync_groups.n, 2);
	g = l.vc->sync_groups.first;
	ck_assert_str_eq(g->name, "G1");
	ck_assert_uint_eq(g->members.n, 7);
	ck_assert_str_eq(g->notify_master.cmd,
	    "/usr/local/bin/vrrp.mast arg1 arg2");
	vi = vrrp_conf_find_instance(l.vc, "VI_3");
	ck_assert_ptr_nonnull(vi);
	ck_assert_str_eq(vi->sync_group, "G2");
	unload(&l);

	/* @high selects the high priority and script */
	ck_assert_int_eq(load_file(&l, SAMPLES
	    "keepalived.conf.conditional_conf", "high"), 0);
	ck_assert_uint_eq(l.nerr, 0);
	vi = vrrp_conf_find_instance(l.vc, "VI_0");
	ck_assert_uint_eq(vi->p.priority, 170);
	ck_assert_uint_eq(vi->p.version, 3);
	ck_assert_uint_eq(vi->p.advert_int, 12000000);
	ck_assert_int_eq(vi->p.use_vmac, 1);
	ck_assert_uint_eq(vi->track_script.n, 1);
	ck_assert_str_eq(((struct vrrp_script_conf *)l.vc->scripts.first)
	    ->script, "/etc/keepalived/scripts/check_high_VI_0.sh");
	unload(&l);
}
END_TEST

/* ---- typed values -------------------------------------------------------- */

static const char realistic[] =
	"global_defs {\n"
	"  router_id LB1\n"
	"  vrrp_garp_master_delay 2\n"
	"  vrrp_mcast_group4 224.0.0.19\n"
	"  vrrp_notify_fifo /run/vrrp.fifo root\n"
	"  vrrp_startup_delay 5.5\n"
	"}\n"
	"vrrp_script chk_haproxy {\n"
	"  script \"/usr/bin/pgrep haproxy\"\n"
	"  interval 2\n"
	"  weight -20 reverse\n"
	"  fall 3\n"
	"}\n"
	"track_file tf1 {\n"
	"  file /run/prio\n"
	"  weight 5\n"
	"}\n"
	"vrrp_track_process haproxy {\n"
	"  process haproxy -f /etc/haproxy.cfg\n"
	"  quorum 2\n"
	"  delay 1.5\n"
	"}\n"
	"vrrp_instance VI_1 {\n"				/* 23 */
	"  state MASTER\n"
	"  interface eth0\n"
	"  virtual_router_id 51\n"
	"  priority 150\n"
	"  advert_int 2\n"
	"  nopreempt\n"
	"  preempt_delay 10\n"
	"  unicast_src_ip 10.0.0.1\n"
	"  unicast_peer {\n"
	"    10.0.0.2\n"
	"    10.0.0.3 min_ttl 250 max_ttl 255\n"
	"  }\n"
	"  authentication {\n"
	"    auth_type PASS\n"
	"    auth_pass s3cret\n"
	"  }\n"
	"  virtual_ipaddress {\n"
	"    192.168.1.10/24 dev eth1 label eth1:vip brd 192.168.1.255\n"
	"    192.168.1.11 scope link\n"
	"  }\n"
	"  virtual_ipaddress_excluded {\n"
	"    2001:db8::10/64 dev eth1 no_track\n"
	"  }\n"
	"  virtual_routes {\n"
	"    10.10.0.0/16 via 192.168.1.1 dev eth1 table 100 metric 5\n"
	"    blackhole 10.20.0.0/16\n"
	"  }\n"
	"  virtual_rules {\n"
	"    from 192.168.1.0/24 table 100 priority 200\n"
	"  }\n"
	"  track_interface {\n"
	"    eth3 weight -10\n"
	"    eth2\n"
	"  }\n"
	"  track_script {\n"
	"    chk_haproxy weight 30 reverse\n"
	"  }\n"
	"  track_file {\n"
	"    tf1\n"
	"  }\n"
	"  track_process {\n"
	"    haproxy weight 10\n"
	"  }\n"
	"  notify_master \"/usr/local/bin/notify.sh master\" vrrp\n"
	"}\n"
	"vrrp_instance VI_6 {\n"
	"  interface eth0\n"
	"  virtual_router_id 51\n"
	"  advert_int 0.5\n"
	"  virtual_ipaddress {\n"
	"    fe80::1\n"
	"    2001:db8::1/64\n"
	"  }\n"
	"}\n";

START_TEST(test_typed_values)
{
	struct loaded l;
	const struct vrrp_instance_conf *vi;
	const struct vrrp_conf_ipaddr *a;
	const struct vrrp_conf_peer *p;
	const struct vrrp_conf_track *t;
	const struct vrrp_conf_route *r;
	const struct vrrp_conf_rule *ru;
	const struct vrrp_script_conf *s;
	const struct vrrp_track_process_conf *tp;
	char buf[ADDR_STRLEN];

	load_str(&l, realistic);
	if (l.nerr)
		fprintf(stderr, "%s", l.msgs);
	ck_assert_uint_eq(l.nerr, 0);
	ck_assert_int_eq(l.vc->g.garp.master_delay, 2);
	ck_assert_str_eq(addr_ntop(&l.vc->g.mcast_group4, buf, sizeof(buf)),
	    "224.0.0.19");
	ck_assert_str_eq(l.vc->g.notify_fifo.cmd, "/run/vrrp.fifo");
	ck_assert_str_eq(l.vc->g.notify_fifo.user, "root");
	ck_assert_uint_eq(l.vc->g.startup_delay, 5500000);

	s = l.vc->scripts.first;
	ck_assert_str_eq(s->script, "/usr/bin/pgrep haproxy");
	ck_assert_uint_eq(s->interval, 2000000);
	ck_assert_int_eq(s->weight, -20);
	ck_assert_int_eq(s->weight_reverse, 1);
	ck_assert_int_eq(s->fall, 3);
	ck_assert_int_eq(s->rise, 1);
	tp = l.vc->track_processes.first;
	ck_assert_str_eq(tp->process, "haproxy");
	ck_assert_uint_eq(tp->nparams, 2);
	ck_assert_str_eq(tp->params[1], "/etc/haproxy.cfg");
	ck_assert_uint_eq(tp->quorum, 2);
	ck_assert_uint_eq(tp->fork_delay, 1500000);
	ck_assert_uint_eq(tp->terminate_delay, 1500000);

	vi = vrrp_conf_find_instance(l.vc, "VI_1");
	ck_assert_ptr_nonnull(vi);
	ck_assert_int_eq(vi->loc.line, 23);
	ck_assert_str_eq(vi->interface, "eth0");
	ck_assert_uint_eq(vi->p.vrid, 51);
	ck_assert_uint_eq(vi->p.priority, 150);
	ck_assert_uint_eq(vi->p.advert_int, 2000000);
	ck_assert_uint_eq(vi->p.version, 2);
	ck_assert_int_eq(vi->p.family, AF_INET);
	ck_assert_int_eq(vi->p.state, VRRP_INIT_MASTER);
	/* nopreempt with state MASTER: warned about and cleared */
	ck_assert_int_eq(vi->p.nopreempt, 0);
	ck_assert_uint_eq(vi->p.preempt_delay, 10000000);
	ck_assert_int_eq(vi->p.auth_type, VRRP_AUTH_PASS);
	ck_assert_str_eq(vi->p.auth_pass, "s3cret");
	ck_assert_str_eq(addr_ntop(&vi->p.src_ip, buf, sizeof(buf)),
	    "10.0.0.1");

	ck_assert_uint_eq(vi->unicast_peers.n, 2);
	p = vi->unicast_peers.first;
	ck_assert_int_eq(p->min_ttl, VRRP_UNSET);
	p = p->next;
	ck_assert_str_eq(addr_ntop(&p->addr, buf, sizeof(buf)), "10.0.0.3");
	ck_assert_int_eq(p->min_ttl, 250);
	ck_assert_int_eq(p->max_ttl, 255);
	ck_assert_int_eq(vi->p.check_unicast_src, 1);

	ck_assert_uint_eq(vi->vips.n, 2);
	a = vi->vips.first;
	ck_assert_str_eq(addr_ntop(&a->p.addr, buf, sizeof(buf)),
	    "192.168.1.10");
	ck_assert_uint_eq(a->p.prefix, 24);
	ck_assert_str_eq(a->dev, "eth1");
	ck_assert_str_eq(a->label, "eth1:vip");
	ck_assert_int_eq(a->p.brd_mode, VRRP_BRD_ADDR);
	ck_assert_str_eq(addr_ntop(&a->p.brd, buf, sizeof(buf)),
	    "192.168.1.255");
	a = a->next;
	ck_assert_uint_eq(a->p.prefix, 32);
	ck_assert_ptr_null(a->dev);
	ck_assert_int_eq(a->p.scope, 253);
	a = vi->evips.first;
	ck_assert_int_eq(a->p.addr.family, AF_INET6);
	ck_assert(a->p.flags & VRRP_IPA_NO_TRACK);

	ck_assert_uint_eq(vi->routes.n, 2);
	r = vi->routes.first;
	ck_assert_uint_eq(r->p.dst_len, 16);
	ck_assert_str_eq(addr_ntop(&r->p.via, buf, sizeof(buf)),
	    "192.168.1.1");
	ck_assert_str_eq(r->dev, "eth1");
	ck_assert_uint_eq(r->p.table, 100);
	ck_assert_uint_eq(r->p.metric, 5);
	ck_assert_uint_eq(r->argc, 9);
	ck_assert_int_eq(((struct vrrp_conf_route *)r->next)->p.type, 6);
	ru = vi->rules.first;
	ck_assert_uint_eq(ru->p.from_len, 24);
	ck_assert_uint_eq(ru->p.table, 100);
	ck_assert_uint_eq(ru->p.priority, 200);

	t = vi->track_if.first;
	ck_assert_str_eq(t->name, "eth3");
	ck_assert_int_eq(t->weight, -10);
	ck_assert(t->weight_set);
	t = t->next;
	ck_assert(!t->weight_set);
	t = vi->track_script.first;
	ck_assert_str_eq(t->name, "chk_haproxy");
	ck_assert_int_eq(t->weight, 30);
	ck_assert(t->reverse);
	ck_assert_uint_eq(vi->track_file.n, 1);
	ck_assert_uint_eq(vi->track_process.n, 1);
	ck_assert_str_eq(vi->notify_master.cmd,
	    "/usr/local/bin/notify.sh master");
	ck_assert_str_eq(vi->notify_master.user, "vrrp");

	/* IPv6 instance: family from VIPs, version 3, centisecond advert */
	vi = vrrp_conf_find_instance(l.vc, "VI_6");
	ck_assert_int_eq(vi->p.family, AF_INET6);
	ck_assert_uint_eq(vi->p.version, 3);
	ck_assert_uint_eq(vi->p.advert_int, 500000);
	unload(&l);
}
END_TEST

START_TEST(test_advert_rounding_and_warnings)
{
	struct loaded l;
	const struct vrrp_instance_conf *vi;

	load_str(&l,
	    "vrrp_instance A {\n"
	    "  interface eth0\n"
	    "  virtual_router_id 1\n"
	    "  advert_int 1.6\n"
	    "  authentication {\n"
	    "    auth_type PASS\n"
	    "    auth_pass 0123456789\n"
	    "  }\n"
	    "  track_script {\n"
	    "    nosuch\n"
	    "  }\n"
	    "  virtual_ipaddress {\n"
	    "    10.0.0.9/24 dev eth0 use_vmac\n"
	    "  }\n"
	    "}\n");
	ck_assert_uint_eq(l.nerr, 0);
	vi = l.vc->instances.first;
	ck_assert_uint_eq(vi->p.advert_int, 2000000);
	/* on the instance's interface without its own VMAC: one of its own */
	ck_assert(!has_msg(&l, "use_vmac"));
	ck_assert_int_eq(vrrp_conf_addr_vmac(vi, vi->vips.first), 1);
	ck_assert_str_eq(vi->p.auth_pass, "01234567");
	ck_assert(has_msg(&l, "test.conf:7: warning: auth_pass: password "
	    "longer than 8"));
	ck_assert(has_msg(&l, "test.conf:1: warning: vrrp_instance: A: VRRPv2 "
	    "advert_int must be whole seconds"));
	ck_assert(has_msg(&l, "test.conf:10: warning: A: track_script "
	    "'nosuch' is not defined"));
	ck_assert_uint_eq(vi->track_script.n, 0);
	unload(&l);
}
END_TEST

/* What keepalived 2.2.7 reports and accepts (the wild-configs corpus). */
START_TEST(test_keepalived_leniency)
{
	struct loaded l;
	const struct vrrp_instance_conf *vi;
	const struct vrrp_conf_peer *peer;
	char buf[ADDR_STRLEN];

	load_str(&l,
	    "vrrp_instance A {\n"
	    "  interface eth0\n"
	    "  state MASTER\n"
	    "  nopreempt\n"
	    "  virtual_router_id 1\n"
	    "  unicast_src_ip 10.0.0.1/24\n"
	    "  unicast_peer {\n"
	    "    10.0.0.2/24\n"
	    "  }\n"
	    "}\n");
	ck_assert_uint_eq(l.nerr, 0);
	vi = l.vc->instances.first;
	ck_assert_int_eq(vi->p.nopreempt, 0);
	ck_assert_str_eq(addr_ntop(&vi->p.src_ip, buf, sizeof(buf)),
	    "10.0.0.1");
	peer = vi->unicast_peers.first;
	ck_assert_str_eq(addr_ntop(&peer->addr, buf, sizeof(buf)), "10.0.0.2");
	ck_assert(has_msg(&l, "test.conf:1: warning: vrrp_instance: A: no "
	    "virtual_ipaddress; at least one is sensible"));
	ck_assert(has_msg(&l, "test.conf:1: warning: vrrp_instance: A: "
	    "nopreempt is incompatible with state MASTER; nopreempt cleared"));
	ck_assert(has_msg(&l, "test.conf:6: warning: unicast_src_ip: "
	    "10.0.0.1/24: the prefix length /24 is ignored"));
	ck_assert(has_msg(&l, "test.conf:8: warning: 10.0.0.2/24: 10.0.0.2/24: the prefix "
	    "length /24 is ignored"));
	unload(&l);
}
END_TEST

/*
 * keepalived 2.2.7 (vrrp_complete_instance): a multicast IPv6 instance
 * whose first VIP is not link-local gets a warning, and is refused in
 * strict mode; a link-local first VIP or a unicast instance is quiet.
 */
#define V6_FIRST "the first IPv6 VIP address"

START_TEST(test_ipv6_first_vip)
{
	struct loaded l;

	load_str(&l,
	    "vrrp_instance VI6 {\n"
	    "  interface eth0\n"
	    "  virtual_router_id 53\n"
	    "  virtual_ipaddress {\n"
	    "    fd00::1/64\n"
	    "    fe80::53\n"
	    "  }\n"
	    "}\n"
	    "vrrp_instance LL {\n"
	    "  interface eth0\n"
	    "  virtual_router_id 54\n"
	    "  virtual_ipaddress {\n"
	    "    fe80::54\n"
	    "    fd00::2\n"
	    "  }\n"
	    "}\n"
	    "vrrp_instance UC {\n"
	    "  interface eth0\n"
	    "  virtual_router_id 55\n"
	    "  unicast_peer {\n"
	    "    fd00::9\n"
	    "  }\n"
	    "  virtual_ipaddress {\n"
	    "    fd00::3\n"
	    "  }\n"
	    "}\n");
	ck_assert_uint_eq(l.nerr, 0);
	ck_assert_ptr_nonnull(vrrp_conf_find_instance(l.vc, "VI6"));
	ck_assert(has_msg(&l, "test.conf:5: warning: VI6: " V6_FIRST
	    " should be link local"));
	ck_assert(!has_msg(&l, "LL: " V6_FIRST));
	ck_assert(!has_msg(&l, "UC: " V6_FIRST));
	unload(&l);

	/* strict mode: warned of too (keepalived's daemon runs it) */
	load_str(&l,
	    "global_defs {\n"
	    "  vrrp_strict\n"
	    "}\n"
	    "vrrp_instance VI6 {\n"
	    "  interface eth0\n"
	    "  virtual_router_id 53\n"
	    "  virtual_ipaddress {\n"
	    "    fd00::1\n"
	    "  }\n"
	    "}\n");
	ck_assert_uint_eq(l.nerr, 0);
	ck_assert_ptr_nonnull(vrrp_conf_find_instance(l.vc, "VI6"));
	ck_assert(has_msg(&l, "test.conf:8: warning: VI6: " V6_FIRST
	    " should be link local (vrrp_strict: keepalived -t refuses"));
	unload(&l);
}
END_TEST

/*
 * The command stored for a script keyword is the one keepalived 2.2.7
 * runs (checked with its -d dump): the line of a script keyword is read
 * with quotes and escapes, the command is the first word after the
 * keyword, and for "script" the words after it are ignored.
 */
START_TEST(test_script_words)
{
	struct loaded l;
	const struct vrrp_instance_conf *vi;
	const struct vrrp_script_conf *s;

	load_str(&l,
	    "vrrp_script s1 {\n"
	    "  script \"/usr/bin/test 'a b' = 'a b'\"\n"
	    "}\n"
	    "vrrp_script s2 {\n"
	    "  script /usr/bin/test a = a\n"
	    "}\n"
	    "vrrp_instance A {\n"
	    "  interface eth0\n"
	    "  virtual_router_id 1\n"
	    "  notify_master \"/bin/echo 'a b' c\"\n"
	    "  notify_backup /bin/echo root root\n"
	    "  notify_fault \"/bin/echo \\\"q\\\" x\\ y\"\n"
	    "  notify_stop /bin/echo\\ z\n"
	    "  notify /bin/n\\x41\n"
	    "  track_script {\n"
	    "    s1\n"
	    "    s2\n"
	    "  }\n"
	    "}\n");
	ck_assert_uint_eq(l.nerr, 0);
	s = l.vc->scripts.first;
	ck_assert_str_eq(s->script, "/usr/bin/test 'a b' = 'a b'");
	s = s->next;
	ck_assert_str_eq(s->script, "/usr/bin/test");
	ck_assert(has_msg(&l, "test.conf:5: warning: script: 'a' and what "
	    "follows are ignored"));
	vi = l.vc->instances.first;
	ck_assert_str_eq(vi->notify_master.cmd, "/bin/echo 'a b' c");
	ck_assert_ptr_null(vi->notify_master.user);
	ck_assert_str_eq(vi->notify_backup.cmd, "/bin/echo");
	ck_assert_str_eq(vi->notify_backup.user, "root");
	ck_assert_str_eq(vi->notify_backup.group, "root");
	ck_assert_str_eq(vi->notify_fault.cmd, "/bin/echo \"q\" x y");
	ck_assert_ptr_null(vi->notify_fault.user);
	ck_assert_str_eq(vi->notify_stop.cmd, "/bin/echo z");
	ck_assert_str_eq(vi->notify.cmd, "/bin/nA");
	unload(&l);
}
END_TEST

static char fw_log[1024];

static void
fw_log_sink(void *arg, int prio, const char *msg)
{
	size_t n = strlen(fw_log);

	(void)arg, (void)prio;
	snprintf(fw_log + n, sizeof(fw_log) - n, "%s\n", msg);
}

/* Keywords that write several names, or a constant, through one handler. */
START_TEST(test_names_and_constants)
{
	struct loaded l;
	const struct vrrp_instance_conf *vi;
	const struct vrrp_script_conf *s;

	load_str(&l,
	    "global_defs {\n"
	    "  vrrp_iptables IN_CHAIN OUT_CHAIN\n"
	    "  vrrp_ipsets s1 s2 s3 s4 s5\n"
	    "  nftables vigil_tbl\n"
	    "}\n"
	    "vrrp_script chk {\n  script /bin/true\n  user nobody nogroup\n}\n"
	    "vrrp_instance A {\n  interface eth0\n  virtual_router_id 1\n"
	    "  nopreempt\n  preempt\n  accept\n}\n"
	    "vrrp_instance B {\n  interface eth0\n  virtual_router_id 2\n"
	    "  nopreempt\n  no_accept\n}\n");
	ck_assert_uint_eq(l.nerr, 0);
	ck_assert_uint_eq(l.vc->g.iptables_loc.line, 2);
	ck_assert_str_eq(l.vc->g.iptables_in, "IN_CHAIN");
	ck_assert_str_eq(l.vc->g.iptables_out, "OUT_CHAIN");
	ck_assert_uint_eq(l.vc->g.ipsets_loc.line, 3);
	ck_assert_str_eq(l.vc->g.ipsets[0], "s1");
	ck_assert_str_eq(l.vc->g.ipsets[4], "s5");
	ck_assert_int_eq(l.vc->g.use_nftables, 1);
	ck_assert_str_eq(l.vc->g.nft_table, "vigil_tbl");
	/* the child's warning names where each keyword is */
	fw_log[0] = '\0';
	log_capture(fw_log_sink, NULL);
	vrrp_process_warn_globals(l.vc);
	log_capture(NULL, NULL);
	ck_assert_str_eq(fw_log, "test.conf:2: vrrp_iptables ignored: "
	    "nftables is configured too and wins (table inet vigil_tbl)\n"
	    "test.conf:3: vrrp_ipsets ignored: vrrp_iptables is not used\n");
	s = l.vc->scripts.first;
	ck_assert_str_eq(s->user, "nobody");
	ck_assert_str_eq(s->group, "nogroup");
	vi = vrrp_conf_find_instance(l.vc, "A");
	ck_assert_int_eq(vi->p.nopreempt, 0);
	ck_assert_int_eq(vi->p.accept, 1);
	vi = vrrp_conf_find_instance(l.vc, "B");
	ck_assert_int_eq(vi->p.nopreempt, 1);
	ck_assert_int_eq(vi->p.accept, 0);
	ck_assert_ptr_null(vrrp_conf_find_instance(l.vc, "C"));
	unload(&l);

	/* one ipset name too many is ignored with a warning, nothing written
	 * past the five */
	load_str(&l, "global_defs {\n  vrrp_ipsets a b c d e f\n}\n");
	ck_assert_uint_eq(l.nerr, 0);
	ck_assert(has_msg(&l, "vrrp_ipsets: expected at most 5 arguments, "
	    "got 6; ignoring 'f'"));
	ck_assert_str_eq(l.vc->g.ipsets[4], "e");
	/* vrrp_ipsets alone is ignored (keepalived: only with vrrp_iptables) */
	fw_log[0] = '\0';
	log_capture(fw_log_sink, NULL);
	vrrp_process_warn_globals(l.vc);
	log_capture(NULL, NULL);
	ck_assert_str_eq(fw_log, "test.conf:2: vrrp_ipsets ignored: no "
	    "vrrp_iptables\n");
	unload(&l);

	/* vrrp_iptables with vrrp_ipsets and without nftables: no warning,
	 * and vrrp_iptables with no chain leaves them to the firewall (INPUT
	 * and OUTPUT), vrrp_ipsets with no name no set (a rule per VIP) */
	load_str(&l, "global_defs {\n  vrrp_iptables\n  vrrp_ipsets\n}\n");
	ck_assert_uint_eq(l.nerr, 0);
	ck_assert_uint_eq(l.vc->g.iptables_loc.line, 2);
	ck_assert_ptr_null(l.vc->g.iptables_in);
	ck_assert_uint_eq(l.vc->g.ipsets_loc.line, 3);
	ck_assert_ptr_null(l.vc->g.ipsets[0]);
	fw_log[0] = '\0';
	log_capture(fw_log_sink, NULL);
	vrrp_process_warn_globals(l.vc);
	log_capture(NULL, NULL);
	ck_assert_str_eq(fw_log, "");
	unload(&l);
}
END_TEST

/* ---- validation errors --------------------------------------------------- */

static const struct {
	const char *text;
	const char *expect;
} bad[] = {
	{ "vrrp_instance A {\n  virtual_router_id 1\n}\n",
	  "test.conf:1: error: vrrp_instance: A: no interface" },
	{ "vrrp_instance A {\n  interface eth0\n}\n",
	  "test.conf:1: error: vrrp_instance: A: virtual_router_id not set" },
	{ "vrrp_instance A {\n  interface eth0\n  virtual_router_id 300\n}\n",
	  "test.conf:3: error: virtual_router_id: expected 1-255, got 300" },
	{ "vrrp_instance A {\n  interface eth0\n  virtual_router_id 0\n}\n",
	  "test.conf:3: error: virtual_router_id: expected 1-255, got 0" },
	{ "vrrp_instance A {\n  interface eth0\n  virtual_router_id 1\n"
	  "  priority 256\n}\n",
	  "test.conf:4: error: priority: expected 1-255, got 256" },
	{ "vrrp_instance A {\n  interface eth0\n  virtual_router_id 1\n"
	  "  priority 0\n}\n",
	  "test.conf:4: error: priority: expected 1-255, got 0" },
	{ "vrrp_instance A {\n  interface eth0\n  virtual_router_id 1\n}\n"
	  "vrrp_instance A {\n  interface eth1\n  virtual_router_id 2\n}\n",
	  "test.conf:5: error: vrrp_instance: duplicate vrrp_instance 'A' "
	  "(first defined at test.conf:1)" },
	{ "vrrp_instance A {\n  interface eth0\n  virtual_router_id 7\n}\n"
	  "vrrp_instance B {\n  interface eth0\n  virtual_router_id 7\n}\n",
	  "test.conf:5: error: vrrp_instance: B: virtual_router_id 7 on eth0 "
	  "(IPv4) is already used by A at test.conf:1" },
	{ "vrrp_instance A {\n  interface eth0\n  virtual_router_id 7\n"
	  "  mcast_dst_ip 224.0.0.19\n}\n"
	  "vrrp_instance B {\n  interface eth0\n  virtual_router_id 7\n"
	  "  mcast_dst_ip 224.0.0.19\n}\n",
	  "test.conf:6: error: vrrp_instance: B: virtual_router_id 7 on eth0 "
	  "(IPv4) is already used by A at test.conf:1" },
	{ "vrrp_sync_group G {\n  group {\n    A\n    NOPE\n  }\n}\n"
	  "vrrp_instance A {\n  interface eth0\n  virtual_router_id 7\n}\n",
	  "test.conf:4: error: vrrp_sync_group G: unknown vrrp_instance "
	  "'NOPE'" },
	{ "vrrp_instance A {\n  interface eth0\n  virtual_router_id 7\n"
	  "  virtual_ipaddress {\n    10.0.0.1\n    2001:db8::1\n  }\n}\n",
	  "test.conf:6: error: virtual_ipaddress: IPv6 address in an IPv4 "
	  "instance (A)" },
	{ "vrrp_instance A {\n  interface eth0\n  virtual_router_id 7\n"
	  "  virtual_ipaddress {\n    10.0.0.300\n  }\n}\n",
	  "test.conf:5: error: 10.0.0.300: expected ADDRESS[/PREFIX]" },
	{ "vrrp_instance A {\n  interface eth0\n  virtual_router_id 7\n"
	  "  virtual_ipaddress {\n    10.0.0.3 dev\n  }\n}\n",
	  "test.conf:5: error: 10.0.0.3: 10.0.0.3: 'dev' needs a value" },
	{ "vrrp_instance A {\n  interface eth0\n  virtual_router_id 7\n"
	  "  state LEADER\n}\n",
	  "test.conf:4: error: state: expected MASTER or BACKUP, got LEADER" },
	{ "vrrp_instance A {\n  interface eth0\n  virtual_router_id 7\n"
	  "  authentication {\n    auth_type FOO\n  }\n}\n",
	  "test.conf:5: error: auth_type: expected PASS or AH, got FOO" },
	{ "vrrp_instance A {\n  interface eth0\n  virtual_router_id 7\n"
	  "  track_interface {\n    eth1 weight 300\n  }\n}\n",
	  "test.conf:5: error: eth1: weight: expected -253..253, got 300" },
	{ "vrrp_instance A {\n  interface eth0\n  virtual_router_id 7\n"
	  "  unicast_peer {\n    fe80::2\n  }\n  unicast_src_ip 10.0.0.1\n}\n",
	  "test.conf:5: error: unicast_peer: IPv6 peer in an IPv4 instance" },
	{ "global_defs {\n  vrrp_strict\n}\n"
	  "vrrp_instance A {\n  interface eth0\n  virtual_router_id 7\n}\n",
	  "test.conf:4: error: vrrp_instance: A: strict mode: an instance "
	  "needs at least one virtual_ipaddress" },
	{ "vrrp_track_process P {\n  process foo\n  quorum 3\n"
	  "  quorum_max 2\n}\n",
	  "test.conf:1: error: vrrp_track_process: P: quorum_max 2 is below "
	  "quorum 3" },
	{ "vrrp_instance A {\n  interface eth0\n  virtual_router_id 7\n"
	  "  advert_int 0\n}\n",
	  "test.conf:4: error: advert_int: expected seconds" },
	/* keepalived's minimum is 1 us: 0 is refused */
	{ "global_defs {\n  vrrp_garp_interval 0\n}\n",
	  "test.conf:2: error: vrrp_garp_interval: expected seconds" },
	{ "global_defs {\n  vrrp_gna_interval 0\n}\n",
	  "test.conf:2: error: vrrp_gna_interval: expected seconds" },
};

START_TEST(test_validation_errors)
{
	struct loaded l;

	load_str(&l, bad[_i].text);
	if (!has_msg(&l, bad[_i].expect))
		fprintf(stderr, "case %d: got:\n%s", _i, l.msgs);
	ck_assert_uint_ge(l.nerr, 1);
	ck_assert_msg(has_msg(&l, bad[_i].expect), "case %d: missing '%s'",
	    _i, bad[_i].expect);
	unload(&l);
}
END_TEST

/* keepalived lets instances share interface, VRID and family unless both
 * send multicast to the same group */
START_TEST(test_vrid_sharing)
{
	static const char *const ok[] = {
		/* both unicast, even to the same peer */
		"vrrp_instance A {\n interface eth0\n virtual_router_id 5\n"
		" unicast_peer {\n  10.0.0.1\n }\n}\n"
		"vrrp_instance B {\n interface eth0\n virtual_router_id 5\n"
		" unicast_peer {\n  10.0.0.1\n }\n}\n",
		/* one unicast, one multicast */
		"vrrp_instance A {\n interface eth0\n virtual_router_id 5\n"
		" unicast_peer {\n  10.0.0.1\n }\n}\n"
		"vrrp_instance B {\n interface eth0\n virtual_router_id 5\n}\n",
		/* multicast to different groups */
		"vrrp_instance A {\n interface eth0\n virtual_router_id 5\n}\n"
		"vrrp_instance B {\n interface eth0\n virtual_router_id 5\n"
		" mcast_dst_ip 224.0.0.19\n}\n",
	};
	struct loaded l;

	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		load_str(&l, ok[i]);
		ck_assert_msg(l.nerr == 0, "case %zu: %s", i, l.msgs);
		ck_assert_uint_eq(l.vc->instances.n, 2);
		unload(&l);
	}
}
END_TEST

/* use_ipvlan [NAME] [ADDR[/PREFIX]] [bridge|private|vepa], as keepalived
 * 2.2.7 reads it: the words in any order, each at most once */
#define IPV(lines) "vrrp_instance A {\n  interface eth0\n" \
	"  virtual_router_id 7\n" lines "}\n"

START_TEST(test_use_ipvlan)
{
	static const struct {
		const char *text;
		const char *name, *addr;	/* NULL: none */
		unsigned prefix;
		int mode;
	} ok[] = {
		{ IPV("  use_ipvlan ipv7 10.1.2.3/24 private\n"), "ipv7",
		  "10.1.2.3", 24, 1 },
		/* any order; the prefix defaults to the host's */
		{ IPV("  use_ipvlan vepa 10.1.2.3 ipv7\n"), "ipv7",
		  "10.1.2.3", 32, 2 },
		/* no name: made at run time (vrrp.7); bridge by default */
		{ IPV("  use_ipvlan 10.1.2.3/16\n"), NULL, "10.1.2.3", 16, 0 },
		{ IPV("  use_ipvlan bridge 10.1.2.3\n"), NULL, "10.1.2.3", 32,
		  0 },
		/* IPv6: the address may be left out (its link-local serves) */
		{ IPV("  use_ipvlan ipv6\n  virtual_ipaddress {\n"
		  "    fe80::1\n  }\n"), "ipv6", NULL, 0, 0 },
		{ IPV("  use_ipvlan 2001:db8::5/64\n  virtual_ipaddress {\n"
		  "    fe80::1\n  }\n"), NULL, "2001:db8::5", 64, 0 },
	};
	static const struct {
		const char *text, *expect;
	} refused[] = {
		{ IPV("  use_ipvlan ipv7 10.1.2.3\n  use_ipvlan\n"),
		  "test.conf:5: error: use_ipvlan: given twice in A" },
		{ IPV("  use_ipvlan 10.1.2.3 10.1.2.4\n"),
		  "test.conf:4: error: use_ipvlan: address given twice "
		  "('10.1.2.4')" },
		{ IPV("  use_ipvlan bridge vepa 10.1.2.3\n"),
		  "test.conf:4: error: use_ipvlan: mode given twice ('vepa')" },
		{ IPV("  use_ipvlan a b 10.1.2.3\n"),
		  "test.conf:4: error: use_ipvlan: interface name given twice "
		  "('b')" },
		{ IPV("  use_ipvlan abcdefghijklmnopq 10.1.2.3\n"),
		  "test.conf:4: error: use_ipvlan: invalid interface name "
		  "'abcdefghijklmnopq' (1-15 characters)" },
		{ IPV("  use_ipvlan 10.1.2.3/33\n"),
		  "test.conf:4: error: use_ipvlan: invalid address "
		  "'10.1.2.3/33' (expected ADDR[/PREFIX])" },
		/* checked at the closing brace, reported at the keyword */
		{ IPV("  use_ipvlan ipv7 private\n"),
		  "test.conf:4: error: use_ipvlan: A is an IPv4 instance: the "
		  "ipvlan needs an address (use_ipvlan [NAME] ADDR[/PREFIX])" },
		{ IPV("  virtual_ipaddress {\n    10.0.0.1\n  }\n"
		  "  use_ipvlan 2001:db8::1\n"),
		  "test.conf:7: error: use_ipvlan: IPv6 address in an IPv4 "
		  "instance (A)" },
		{ IPV("  use_ipvlan ipv7 10.1.2.3\n")
		  "vrrp_instance B {\n  interface eth1\n"
		  "  virtual_router_id 8\n  use_ipvlan ipv7 10.1.2.4\n}\n",
		  "test.conf:9: error: use_ipvlan: B: ipv7 is already the "
		  "interface of A at test.conf:1" },
		{ "vrrp_instance U {\n  virtual_router_id 9\n"
		  "  unicast_peer {\n    10.1.1.2\n  }\n"
		  "  use_ipvlan 10.1.1.3\n}\n",
		  "test.conf:6: error: use_ipvlan: U has no interface to make "
		  "the ipvlan on" },
	};
	const struct vrrp_instance_conf *vi;
	struct vg_addr a;
	struct loaded l;
	size_t i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		load_str(&l, ok[i].text);
		ck_assert_msg(l.nerr == 0, "case %zu: %s", i, l.msgs);
		vi = l.vc->instances.first;
		ck_assert_int_eq(vi->p.use_ipvlan, 1);
		if (ok[i].name == NULL)
			ck_assert_ptr_null(vi->ipvlan_ifname);
		else
			ck_assert_str_eq(vi->ipvlan_ifname, ok[i].name);
		if (ok[i].addr == NULL)
			ck_assert_int_eq(vi->p.ipvlan_addr.family, 0);
		else {
			ck_assert_int_eq(addr_parse(ok[i].addr, &a), 0);
			ck_assert_int_eq(addr_cmp(&vi->p.ipvlan_addr, &a), 0);
			ck_assert_uint_eq(vi->p.ipvlan_prefix, ok[i].prefix);
			/* the adverts' source, as keepalived takes it */
			ck_assert_int_eq(addr_cmp(&vi->p.src_ip, &a), 0);
		}
		ck_assert_int_eq(vi->p.ipvlan_mode, ok[i].mode);
		unload(&l);
	}
	for (i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		load_str(&l, refused[i].text);
		ck_assert_msg(l.nerr >= 1 && has_msg(&l, refused[i].expect),
		    "case %zu: missing '%s' in:\n%s", i, refused[i].expect,
		    l.msgs);
		unload(&l);
	}

	/* a configured source stays; use_vmac gives way, with a warning */
	load_str(&l, IPV("  mcast_src_ip 10.1.2.9\n  use_vmac\n"
	    "  use_ipvlan 10.1.2.3/24\n"));
	ck_assert_msg(l.nerr == 0, "%s", l.msgs);
	vi = l.vc->instances.first;
	ck_assert_int_eq(addr_parse("10.1.2.9", &a), 0);
	ck_assert_int_eq(addr_cmp(&vi->p.src_ip, &a), 0);
	ck_assert_int_eq(vi->p.use_vmac, 0);
	ck_assert_msg(has_msg(&l, "test.conf:1: warning: vrrp_instance: A: "
	    "use_vmac and use_ipvlan: the ipvlan is made, not the VMAC (as "
	    "keepalived does)"), "%s", l.msgs);
	unload(&l);
}
END_TEST

/* An instance without an interface: U(lines) is a valid one */
#define U(lines) "vrrp_instance U {\n  virtual_router_id 9\n" \
	"  unicast_src_ip 10.1.1.1\n" \
	"  unicast_peer {\n    10.1.1.2\n  }\n" lines "}\n"

/* use_vmac on a VIP, use_vmac_addr: which VIPs get a VMAC of their own,
 * and the combinations keepalived 2.2.7 refuses, at the address's line */
#define VMI(opts, lines) "vrrp_instance A {\n  interface eth0\n" \
	"  virtual_router_id 7\n" opts "  virtual_ipaddress {\n" lines \
	"  }\n}\n"

START_TEST(test_addr_vmac)
{
	static const struct {
		const char *text;
		int want[3];	/* vrrp_conf_addr_vmac of each VIP, eVIPs last */
	} ok[] = {
		{ VMI("", "    10.0.0.1/24\n    10.0.1.1/24 dev eth1 use_vmac\n"
		  "    10.0.2.1/24 dev eth2\n"), { 0, 1, 0 } },
		{ VMI("  use_vmac\n", "    10.0.0.1/24\n"
		  "    10.0.1.1/24 dev eth1 use_vmac\n"
		  "    10.0.0.2/24 dev eth0\n"), { 0, 1, 0 } },
		{ VMI("  use_vmac_addr\n", "    10.0.0.1/24\n"
		  "    10.0.1.1/24 dev eth1\n    10.0.0.2/24 dev eth0\n"),
		  { 0, 1, 0 } },
		{ VMI("", "    10.0.0.1/24 use_vmac\n"
		  "    10.0.1.1/24 dev eth1 no_track use_vmac\n"), { 1, 1 } },
		/* the other family on the instance's interface */
		{ VMI("  use_vmac\n  virtual_ipaddress_excluded {\n"
		  "    2001:db8::1/64 use_vmac\n  }\n", "    10.0.0.1/24\n"),
		  { 0, 1 } },
		{ VMI("  use_vmac_addr\n  virtual_ipaddress_excluded {\n"
		  "    2001:db8::1/64\n  }\n", "    10.0.0.1/24\n"),
		  { 0, 1 } },
	};
	static const struct {
		const char *text, *expect;
	} refused[] = {
		{ VMI("  use_vmac\n", "    10.0.0.1/24\n"
		  "    10.0.0.2/24 use_vmac\n"), "test.conf:7: error: A: "
		  "use_vmac on 10.0.0.2 and on the instance: the address goes "
		  "on the instance's VMAC already" },
		{ VMI("  use_vmac vm7\n", "    10.0.0.1/24\n"
		  "    10.0.0.2/24 dev eth0 use_vmac\n"), "test.conf:7: error: "
		  "A: use_vmac on 10.0.0.2 and on the instance: the address "
		  "goes on the instance's VMAC already" },
		{ VMI("  use_vmac_addr\n", "    10.0.0.1/24\n"
		  "    10.0.1.1/24 dev eth1 use_vmac\n"), "test.conf:7: error: "
		  "A: use_vmac on 10.0.1.1 and use_vmac_addr on the instance: "
		  "give one or the other" },
		{ VMI("  use_vmac_addr\n  virtual_ipaddress_excluded {\n"
		  "    2001:db8::1/64 use_vmac\n  }\n", "    10.0.0.1/24\n"),
		  "test.conf:6: error: A: use_vmac on 2001:db8::1 and "
		  "use_vmac_addr on the instance: give one or the other" },
		{ U("  virtual_ipaddress {\n    10.0.0.1/24 use_vmac\n  }\n"),
		  "test.conf:8: error: virtual_ipaddress: 10.0.0.1 names no "
		  "dev and U has no interface to put it on" },
	};
	struct loaded l;
	size_t i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		const struct vrrp_instance_conf *vi;
		const struct vrrp_conf_ipaddr *a;
		unsigned k = 0;

		load_str(&l, ok[i].text);
		ck_assert_msg(l.nerr == 0 && !has_msg(&l, "warning"),
		    "case %zu:\n%s", i, l.msgs);
		vi = l.vc->instances.first;
		for (a = vi->vips.first; a != NULL; a = a->next, k++)
			ck_assert_msg(vrrp_conf_addr_vmac(vi, a) == ok[i].want[k],
			    "case %zu: VIP %u", i, k);
		for (a = vi->evips.first; a != NULL; a = a->next, k++)
			ck_assert_msg(vrrp_conf_addr_vmac(vi, a) == ok[i].want[k],
			    "case %zu: eVIP %u", i, k);
		unload(&l);
	}
	for (i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		load_str(&l, refused[i].text);
		ck_assert_msg(l.nerr == 1 && has_msg(&l, refused[i].expect),
		    "case %zu: missing '%s' in:\n%s", i, refused[i].expect,
		    l.msgs);
		unload(&l);
	}
}
END_TEST

/* Two instances with the same VRID on one VMAC: only in one sync group
 * (keepalived 2.2.7 disables the later one otherwise) */
#define VMB(name, ifc, vrid, opts, vip) "vrrp_instance " name " {\n" \
	"  interface " ifc "\n  virtual_router_id " vrid "\n" opts \
	"  virtual_ipaddress {\n    " vip "\n  }\n}\n"

START_TEST(test_addr_vmac_shared)
{
	static const struct {
		const char *text, *expect;	/* NULL: accepted */
	} cases[] = {
		/* an address of each */
		{ VMB("A", "eth0", "7", "", "10.0.1.1/24 dev eth1 use_vmac")
		  VMB("C", "eth2", "7", "", "10.0.1.2/24 dev eth1 use_vmac"),
		  "test.conf:12: error: C: 10.0.1.2 goes on the VMAC on eth1 "
		  "that A (test.conf:1) uses (VRID 7): instances share a VMAC "
		  "only in one sync group" },
		/* an earlier instance's own VMAC */
		{ VMB("B", "eth1", "7", "  use_vmac\n", "10.0.1.1/24")
		  VMB("C", "eth2", "7", "", "10.0.1.2/24 dev eth1 use_vmac"),
		  "test.conf:13: error: C: 10.0.1.2 goes on the VMAC on eth1 "
		  "that B (test.conf:1) uses (VRID 7)" },
		/* a later instance's own VMAC, and its VIP on it */
		{ VMB("C", "eth2", "7", "", "10.0.1.2/24 dev eth1 use_vmac")
		  VMB("B", "eth1", "7", "  use_vmac\n", "10.0.1.1/24"),
		  "test.conf:8: error: B: its own VMAC on eth1 is the one C "
		  "(test.conf:1) puts 10.0.1.2 on (VRID 7): instances share a "
		  "VMAC only in one sync group" },
		/* another VRID, another MAC: no conflict */
		{ VMB("A", "eth0", "7", "", "10.0.1.1/24 dev eth1 use_vmac")
		  VMB("C", "eth2", "8", "", "10.0.1.2/24 dev eth1 use_vmac"),
		  NULL },
		/* one sync group: shared */
		{ VMB("A", "eth0", "7", "", "10.0.1.1/24 dev eth1 use_vmac")
		  VMB("C", "eth2", "7", "", "10.0.1.2/24 dev eth1 use_vmac")
		  "vrrp_sync_group G {\n  group {\n    A\n    C\n  }\n}\n",
		  NULL },
	};
	struct loaded l;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		load_str(&l, cases[i].text);
		if (cases[i].expect == NULL)
			ck_assert_msg(l.nerr == 0, "case %zu:\n%s", i, l.msgs);
		else
			ck_assert_msg(l.nerr == 1 && has_msg(&l,
			    cases[i].expect), "case %zu: missing '%s' in:\n%s",
			    i, cases[i].expect, l.msgs);
		unload(&l);
	}
}
END_TEST

/* vrf NAME: a unicast instance without an interface only */
START_TEST(test_vrf)
{
	struct loaded l;

	load_str(&l, U("  vrf blue\n"));
	ck_assert_msg(l.nerr == 0, "%s", l.msgs);
	ck_assert_str_eq(((struct vrrp_instance_conf *)
	    l.vc->instances.first)->vrf, "blue");
	unload(&l);
	load_str(&l, IPV("  vrf blue\n"));
	ck_assert_msg(has_msg(&l, "test.conf:4: error: vrf: A has an "
	    "interface: its VRF is the interface's (vrf is for a unicast "
	    "instance without an interface)"), "%s", l.msgs);
	unload(&l);
	load_str(&l, U("  vrf blue\n  vrf red\n"));
	ck_assert_msg(has_msg(&l, "test.conf:8: error: vrf: given twice in U "
	    "(first blue)"), "%s", l.msgs);
	unload(&l);
}
END_TEST

/*
 * keepalived's unicast instance without an interface (2.2.7 refuses it,
 * a bug fixed in 2.2.8: warned): it needs
 * unicast_peer and unicast_src_ip (not link-local), no use_vmac nor
 * use_ipvlan, and a dev on each VIP and eVIP; strict mode allows its
 * peers; its track_interface lines are tracked, with a warning
 * (keepalived does not track them there).
 */
START_TEST(test_unicast_without_interface)
{
	static const struct {
		const char *text, *msg;
	} refused[] = {
		{ "vrrp_instance U {\n  virtual_router_id 9\n}\n",
		  "test.conf:1: error: vrrp_instance: U: no interface (only a "
		  "unicast instance may omit it)" },
		{ "vrrp_instance U {\n  virtual_router_id 9\n"
		  "  unicast_peer {\n    10.1.1.2\n  }\n}\n",
		  "test.conf:1: error: vrrp_instance: U: no interface: "
		  "unicast_src_ip is needed (the adverts' source, and the "
		  "address their socket is bound to)" },
		{ "vrrp_instance U {\n  virtual_router_id 9\n"
		  "  unicast_src_ip fe80::1\n"
		  "  unicast_peer {\n    fd00::2\n  }\n}\n",
		  "test.conf:1: error: vrrp_instance: U: no interface: a "
		  "link-local unicast_src_ip needs one" },
		{ "vrrp_instance U {\n  virtual_router_id 9\n"
		  "  unicast_src_ip fd00::1\n"
		  "  unicast_peer {\n    fe80::2\n  }\n}\n",
		  "test.conf:1: error: vrrp_instance: U: a link-local unicast "
		  "peer needs an interface" },
		{ U("  use_vmac\n"),
		  "test.conf:1: error: vrrp_instance: U: use_vmac needs an "
		  "interface to make the VMAC on" },
		{ U("  use_ipvlan ipv9 10.1.1.9/24\n"),
		  "test.conf:7: error: use_ipvlan: U has no interface to make "
		  "the ipvlan on" },
		{ U("  virtual_ipaddress {\n    10.1.1.100/24 dev eth1\n"
		    "    10.1.1.101/24\n  }\n"),
		  "test.conf:9: error: virtual_ipaddress: 10.1.1.101 names no "
		  "dev and U has no interface to put it on" },
		{ U("  virtual_ipaddress {\n    10.1.1.100/24 dev eth1\n  }\n"
		    "  virtual_ipaddress_excluded {\n    fd00::100/64\n  }\n"),
		  "test.conf:11: error: virtual_ipaddress_excluded: fd00::100 "
		  "names no dev and U has no interface to put it on" },
	};
	struct loaded l;
	const struct vrrp_instance_conf *vi;

	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		load_str(&l, refused[i].text);
		ck_assert_msg(l.nerr > 0 && has_msg(&l, refused[i].msg),
		    "case %zu: %s", i, l.msgs != NULL ? l.msgs : "(none)");
		unload(&l);
	}

	load_str(&l, "global_defs {\n  vrrp_strict\n}\n"
	    U("  virtual_ipaddress {\n    10.1.1.100/24 dev eth1\n  }\n"
	    "  track_interface {\n    eth2 weight -20\n  }\n"
	    "  dont_track_primary\n"));
	ck_assert_msg(l.nerr == 0, "%s", l.msgs);
	vi = l.vc->instances.first;
	ck_assert_ptr_null(vi->interface);
	ck_assert_uint_eq(vi->unicast_peers.n, 1);
	ck_assert_str_eq(((const struct vrrp_conf_ipaddr *)
	    vi->vips.first)->dev, "eth1");
	ck_assert_msg(has_msg(&l, "test.conf:14: warning: track_interface: U "
	    "has no interface; eth2 is tracked (keepalived 2.2.7 does not "
	    "track it there)"), "%s", l.msgs);
	ck_assert_msg(has_msg(&l, "test.conf:4: warning: vrrp_instance: U: "
	    "dont_track_primary without an interface: nothing to do"), "%s",
	    l.msgs);
	ck_assert_msg(has_msg(&l, "test.conf:4: warning: vrrp_instance: U: "
	    "no interface: keepalived 2.2.7 refuses this (\"Unknown "
	    "interface!\", fixed in 2.2.8); vigild runs it as keepalived "
	    "2.2.8 does"), "%s", l.msgs);
	/* strict mode refuses peers only on an interface */
	ck_assert_msg(!has_msg(&l, "strict mode"), "%s", l.msgs);
	unload(&l);
	load_str(&l, "global_defs {\n  vrrp_strict\n}\n"
	    "vrrp_instance A {\n  interface eth0\n  virtual_router_id 9\n"
	    "  unicast_peer {\n    10.1.1.2\n  }\n"
	    "  virtual_ipaddress {\n    10.1.1.100/24\n  }\n}\n");
	ck_assert_msg(has_msg(&l, "A: strict mode: unicast_peer is not "
	    "allowed"), "%s", l.msgs);
	unload(&l);
}
END_TEST


/* What only a route's words hold (metrics, features, pref, expires,
 * realms) is checked when the configuration is read, as keepalived
 * checks it: a bad value, or an option of the other family, drops the
 * route with a warning naming it; the kernel's units come out. */
/* keepalived's IPv6 default: a /128 (no prefix given is /128) is added
 * deprecated unless preferred_lft says otherwise; a shorter prefix and
 * IPv4 are left as they are. */
START_TEST(test_v6_deprecated_default)
{
	struct loaded l;
	const struct vrrp_conf_ipaddr *a;

	load_str(&l,
	    "static_ipaddress {\n"
	    "  2001:db8::1 dev eth0\n"
	    "  2001:db8::2/128 dev eth0 preferred_lft forever\n"
	    "  2001:db8::3/64 dev eth0\n"
	    "  2001:db8::4/128 dev eth0 preferred_lft 30\n"
	    "  10.0.0.1/32 dev eth0\n"
	    "}\n");
	ck_assert_uint_eq(l.nerr, 0);
	a = l.vc->static_addrs.first;
	ck_assert(a->p.flags & VRRP_IPA_PREFERRED_LFT);
	ck_assert_uint_eq(a->p.preferred_lft, 0);
	a = a->next;
	ck_assert_uint_eq(a->p.preferred_lft, 0xffffffffu);
	a = a->next;
	ck_assert(!(a->p.flags & VRRP_IPA_PREFERRED_LFT));
	a = a->next;
	ck_assert_uint_eq(a->p.preferred_lft, 30);
	a = a->next;
	ck_assert(!(a->p.flags & VRRP_IPA_PREFERRED_LFT));
	unload(&l);
}
END_TEST

START_TEST(test_route_opts)
{
	struct loaded l;
	const struct vrrp_conf_route *r;
	struct vrrp_route_opts o;
	const char *w, *v;

	load_str(&l,
	    "static_routes {\n"
	    "  10.1.0.0/16 dev eth0 mtu lock 1400 rtt 30ms rttvar 2s "
	    "rto_min lock 200ms features ecn quickack 1 congctl lock cubic "
	    "realms 3/4 hoplimit 64 window 0x100 fastopen_no_cookie 1\n"
	    "  2001:db8::/64 dev eth0 pref low expires 300 rtt 5\n"
	    "  10.2.0.0/16 dev eth0 rtt abc\n"
	    "  10.3.0.0/16 dev eth0 quickack 2\n"
	    "  10.4.0.0/16 dev eth0 hoplimit 256\n"
	    "  10.5.0.0/16 dev eth0 pref high\n"
	    "  2001:db8:1::/64 dev eth0 realms 5\n"
	    "  10.6.0.0/16 dev eth0 features frob\n"
	    "  10.7.0.0/16 dev eth0 realms 70000\n"
	    "  2001:db8:2::/64 dev eth0 pref 300\n"
	    "  10.8.0.0/16 dev eth0 encap mpls 1048576\n"
	    "  10.9.0.0/16 dev eth0 encap ip ttl 3\n"
	    "}\n");
	ck_assert_uint_eq(l.nerr, 0);
	ck_assert(has_msg(&l, "test.conf:4: warning: 10.2.0.0/16: route "
	    "ignored: invalid rtt abc"));
	ck_assert(has_msg(&l, "test.conf:5: warning: 10.3.0.0/16: route "
	    "ignored: invalid quickack 2"));
	ck_assert(has_msg(&l, "test.conf:6: warning: 10.4.0.0/16: route "
	    "ignored: invalid hoplimit 256"));
	ck_assert(has_msg(&l, "test.conf:7: warning: 10.5.0.0/16: route "
	    "ignored: pref is only valid for IPv6 routes"));
	ck_assert(has_msg(&l, "test.conf:8: warning: 2001:db8:1::/64: route "
	    "ignored: realms are only valid for IPv4 routes"));
	ck_assert(has_msg(&l, "test.conf:9: warning: 10.6.0.0/16: route "
	    "ignored: invalid features frob"));
	ck_assert(has_msg(&l, "test.conf:10: warning: 10.7.0.0/16: route "
	    "ignored: invalid realms 70000"));
	ck_assert(has_msg(&l, "test.conf:11: warning: 2001:db8:2::/64: route "
	    "ignored: invalid pref 300"));
	ck_assert(has_msg(&l, "test.conf:12: warning: 10.8.0.0/16: route "
	    "ignored: invalid encap mpls 1048576 (expected encap mpls "
	    "LABEL[/LABEL...], or ip|ip6 with id or dst)"));
	ck_assert(has_msg(&l, "test.conf:13: warning: 10.9.0.0/16: route "
	    "ignored: invalid encap ip (expected"));
	ck_assert_uint_eq(l.vc->static_routes.n, 2);
	r = l.vc->static_routes.first;
	ck_assert_int_eq(vrrp_conf_route_opts(r->argc, r->argv, &o, &w, &v),
	    0);
	ck_assert_uint_eq(o.set, 1u << RTAX_MTU | 1u << RTAX_RTT |
	    1u << RTAX_RTTVAR | 1u << RTAX_RTO_MIN | 1u << RTAX_FEATURES |
	    1u << RTAX_QUICKACK | 1u << RTAX_CC_ALGO | 1u << RTAX_HOPLIMIT |
	    1u << RTAX_WINDOW | 1u << RTAX_FASTOPEN_NO_COOKIE);
	ck_assert_uint_eq(o.lock, 1u << RTAX_MTU | 1u << RTAX_RTO_MIN |
	    1u << RTAX_CC_ALGO);
	ck_assert_uint_eq(o.metric[RTAX_MTU], 1400);
	ck_assert_uint_eq(o.metric[RTAX_RTT], 30 * 8);
	ck_assert_uint_eq(o.metric[RTAX_RTTVAR], 2000 * 4);
	ck_assert_uint_eq(o.metric[RTAX_RTO_MIN], 200);
	ck_assert_uint_eq(o.metric[RTAX_FEATURES], RTAX_FEATURE_ECN);
	ck_assert_uint_eq(o.metric[RTAX_WINDOW], 256);
	ck_assert_str_eq(o.congctl, "cubic");
	ck_assert_uint_eq(o.realms, 3u << 16 | 4);
	ck_assert_int_eq(o.pref, -1);
	ck_assert(!o.has_expires);
	r = r->next;
	ck_assert_int_eq(vrrp_conf_route_opts(r->argc, r->argv, &o, &w, &v),
	    0);
	ck_assert_int_eq(o.pref, 3);	/* ICMPV6_ROUTER_PREF_LOW */
	ck_assert(o.has_expires);
	ck_assert_uint_eq(o.expires, 300);
	ck_assert_uint_eq(o.metric[RTAX_RTT], 5);	/* raw: as it is */
	ck_assert(!o.has_realms);
	unload(&l);
}
END_TEST

/* encap mpls / ip / ip6 as keepalived 2.2.7 reads them: the words it
 * takes, the values, what is refused */
START_TEST(test_route_encap)
{
	char *mpls[] = { "10.8.0.0/16", "encap", "mpls", "100/200", "via",
	    "10.0.0.2" };
	char *ip[] = { "10.9.0.0/16", "encap", "ip", "id", "5", "dst",
	    "10.0.0.2", "src", "10.0.0.1", "ttl", "7", "tos", "4", "flags",
	    "1", "dev", "eth0" };
	char *ip6[] = { "2001:db8::/64", "hoplimit", "10", "encap", "ip6",
	    "dst", "2001:db8::2", "hoplimit", "9", "tc", "8" };
	char *mixed[] = { "10.9.0.0/16", "encap", "ip6", "dst", "10.0.0.2" };
	char *ila[] = { "10.9.0.0/16", "encap", "ila", "1:2:3:4" };
	struct vrrp_route_opts o;
	const char *w, *v;
	unsigned pos;

	memset(&o, 0, sizeof(o));
	pos = 1;
	ck_assert_int_eq(vrrp_conf_encap(6, mpls, &pos, &o, &w, &v), 0);
	ck_assert_uint_eq(pos, 3);
	ck_assert_int_eq(o.encap, LWTUNNEL_ENCAP_MPLS);
	ck_assert_uint_eq(o.nlabels, 2);
	ck_assert_uint_eq(o.labels[0], 100);
	ck_assert_uint_eq(o.labels[1], 200);
	ck_assert_int_eq(vrrp_conf_route_opts(6, mpls, &o, &w, &v), 0);
	ck_assert_int_eq(o.encap, LWTUNNEL_ENCAP_MPLS);

	ck_assert_int_eq(vrrp_conf_route_opts(17, ip, &o, &w, &v), 0);
	ck_assert_int_eq(o.encap, LWTUNNEL_ENCAP_IP);
	ck_assert(o.has_id);
	ck_assert_uint_eq(o.encap_id, 5);
	ck_assert_int_eq(o.encap_dst.family, AF_INET);
	ck_assert_int_eq(o.encap_src.family, AF_INET);
	ck_assert_int_eq(o.encap_ttl, 7);
	ck_assert_int_eq(o.encap_tos, 4);
	ck_assert_int_eq(o.encap_flags, 1);
	ck_assert_uint_eq(o.set, 0);	/* none of its words a metric */

	/* a hoplimit after "encap ip6" is the tunnel's, the one before
	 * the route's metric */
	ck_assert_int_eq(vrrp_conf_route_opts(11, ip6, &o, &w, &v), 0);
	ck_assert_int_eq(o.encap, LWTUNNEL_ENCAP_IP6);
	ck_assert(!o.has_id);
	ck_assert_int_eq(o.encap_ttl, 9);
	ck_assert_int_eq(o.encap_tos, 8);
	ck_assert_uint_eq(o.set, 1u << RTAX_HOPLIMIT);
	ck_assert_uint_eq(o.metric[RTAX_HOPLIMIT], 10);

	ck_assert_int_eq(vrrp_conf_route_opts(5, mixed, &o, &w, &v), -1);
	ck_assert_int_eq(vrrp_conf_route_opts(4, ila, &o, &w, &v), -1);
	ck_assert_str_eq(w, "encap");
	ck_assert_str_eq(v, "ila");
}
END_TEST

START_TEST(test_routes_rules)
{
	struct loaded l;
	const struct vrrp_instance_conf *vi;
	const struct vrrp_conf_route *r;
	const struct vrrp_conf_rule *ru;
	const struct vrrp_conf_ipaddr *a;

	load_str(&l,
	    "static_rules {\n"
	    "  from 192.168.28.0/24 to 192.168.29.0/26 table small iif p33p1 "
	    "fwmark 24/12 preference 39 goto 40\n"
	    "  to 10.0.0./24 table 1\n"
	    "}\n"
	    "static_ipaddress {\n"
	    "  10.9.9.9/8 brd + dev eth0 peer 10.9.9.10 -nodad "
	    "preferred_lft forever\n"
	    "}\n"
	    "vrrp_instance A {\n"
	    "  interface eth0\n"
	    "  virtual_router_id 3\n"
	    "  garp_extra_if all 100\n"
	    "  virtual_routes {\n"
	    "    default via inet6 fe80::1 dev eth0 inet6\n"
	    "    192.168.5.0/24 via 10.0.0.1 frobnicate 3\n"
	    "    blackhole 192.168.114.0/24 no_track\n"
	    "  }\n"
	    "}\n"
	    "vrrp_sync_group G1 {\n  group {\n    A\n  }\n}\n"
	    "vrrp_sync_group G2 {\n  group {\n    A\n  }\n}\n"
	    "static_routes {\n"
	    "  10.41.0.0/24 nexthop via 10.0.0.2 dev eth1 weight 2 "
	    "nexthop via inet 10.0.0.3 onlink realms 4 encap ip id 1 "
	    "nexthop dev eth2\n"
	    "  10.42.0.0/24 nexthop via 10.0.0.2 weight 300\n"
	    "}\n");
	ck_assert(has_msg(&l, "test.conf:3: warning: to: rule ignored: "
	    "invalid to address 10.0.0./24"));
	ck_assert(has_msg(&l, "test.conf:14: warning: 192.168.5.0/24: route "
	    "ignored: unknown option 'frobnicate'"));
	ck_assert(has_msg(&l, "test.conf:25: error: vrrp_sync_group G2: "
	    "vrrp_instance 'A' is already in sync group G1"));
	/* nexthop clauses: theirs are the words after "nexthop", an option
	 * they do not take warns, a bad value drops the route */
	ck_assert(has_msg(&l, "test.conf:29: warning: 10.41.0.0/24: nexthop: "
	    "'encap' is not supported yet"));
	ck_assert(has_msg(&l, "test.conf:30: warning: 10.42.0.0/24: route "
	    "ignored: nexthop: weight 300: expected 1-256"));
	ck_assert_uint_eq(l.vc->static_routes.n, 1);
	{
		const struct vrrp_conf_route *mr = l.vc->static_routes.first;
		struct vrrp_conf_nexthop nh;
		unsigned pos = 0;
		char as[64];

		ck_assert_uint_eq(mr->p.nexthops, 3);
		ck_assert_ptr_null(mr->dev);	/* the hops' devs are theirs */
		ck_assert_int_eq(mr->p.via.family, 0);
		ck_assert_int_eq(vrrp_conf_route_nexthop(mr, &pos, &nh), 1);
		ck_assert_str_eq(addr_ntop(&nh.via, as, sizeof(as)),
		    "10.0.0.2");
		ck_assert_str_eq(nh.dev, "eth1");
		ck_assert_uint_eq(nh.weight, 2);
		ck_assert(!nh.onlink);
		ck_assert_ptr_null(nh.unknown);
		ck_assert_int_eq(vrrp_conf_route_nexthop(mr, &pos, &nh), 1);
		ck_assert_str_eq(addr_ntop(&nh.via, as, sizeof(as)),
		    "10.0.0.3");
		ck_assert(nh.onlink);
		ck_assert_int_eq(nh.has_realms, 1);
		ck_assert_uint_eq(nh.realms, 4);
		ck_assert_str_eq(nh.unknown, "encap");
		ck_assert_int_eq(vrrp_conf_route_nexthop(mr, &pos, &nh), 1);
		ck_assert_int_eq(nh.via.family, 0);
		ck_assert_str_eq(nh.dev, "eth2");
		ck_assert_int_eq(vrrp_conf_route_nexthop(mr, &pos, &nh), 0);
	}
	ck_assert_uint_eq(l.vc->static_rules.n, 1);
	ru = l.vc->static_rules.first;
	ck_assert_str_eq(ru->table_name, "small");
	ck_assert_str_eq(ru->iif, "p33p1");
	ck_assert_uint_eq(ru->p.fwmark, 24);
	ck_assert_uint_eq(ru->p.fwmask, 12);
	ck_assert_uint_eq(ru->p.priority, 39);
	ck_assert_uint_eq(ru->p.goto_target, 40);
	a = l.vc->static_addrs.first;
	ck_assert_int_eq(a->p.brd_mode, VRRP_BRD_SET);
	ck_assert_uint_eq(a->p.peer_prefix, 32);
	ck_assert(a->p.flags & VRRP_IPA_DAD);
	ck_assert(!(a->p.flags & VRRP_IPA_NODAD));
	ck_assert_uint_eq(a->p.preferred_lft, 0xffffffffu);
	vi = l.vc->instances.first;
	ck_assert_int_eq(vi->p.garp.extra_if, 100);
	ck_assert_int_eq(vi->p.garp.extra_if_all, 1);
	ck_assert_uint_eq(vi->routes.n, 2);
	r = vi->routes.first;
	ck_assert_int_eq(r->p.family, AF_INET6);
	ck_assert_int_eq(r->p.dst.family, AF_INET6);
	ck_assert_uint_eq(r->p.dst_len, 0);
	r = r->next;
	ck_assert(r->p.flags & VRRP_RT_NO_TRACK);
	unload(&l);
}
END_TEST

/* ---- diff ----------------------------------------------------------------- */

static const char base[] =
	"vrrp_instance A {\n  interface eth0\n  virtual_router_id 1\n"
	"  priority 100\n  virtual_ipaddress {\n    10.0.0.1\n  }\n}\n"
	"vrrp_instance B {\n  interface eth1\n  virtual_router_id 2\n"
	"  virtual_ipaddress {\n    10.0.1.1\n  }\n}\n";

struct seen {
	char log[512];
};

static void
diff_cb(void *arg, const struct vrrp_conf_diff_ev *ev)
{
	struct seen *s = arg;
	size_t len = strlen(s->log);

	snprintf(s->log + len, sizeof(s->log) - len, "%s:%s ",
	    ev->new != NULL ? ev->new->name : ev->old->name,
	    conf_diff_kind_name(ev->kind));
}

static void
diff_of(const char *a, const char *b, struct vrrp_conf_diff *out,
    struct seen *s)
{
	struct loaded la, lb;

	load_str(&la, a);
	load_str(&lb, b);
	ck_assert_uint_eq(la.nerr + lb.nerr, 0);
	memset(s, 0, sizeof(*s));
	ck_assert_int_eq(vrrp_conf_diff(la.vc, lb.vc, out, diff_cb, s), 0);
	unload(&la);
	unload(&lb);
}

START_TEST(test_diff)
{
	struct vrrp_conf_diff d;
	struct seen s;
	/* same content, different layout and comments */
	const char *moved =
	    "# reordered\nvrrp_instance B {\n  virtual_router_id 2\n"
	    "  interface eth1\n  virtual_ipaddress {\n    10.0.1.1\n  }\n}\n\n"
	    "vrrp_instance A {\n  interface eth0\n  virtual_router_id 1\n"
	    "  virtual_ipaddress {\n    10.0.0.1\n  }\n}\n";
	char buf[1024];

	diff_of(base, moved, &d, &s);
	ck_assert_uint_eq(d.instances.unchanged, 2);
	ck_assert_uint_eq(d.instances.changed + d.instances.added + d.instances.removed, 0);

	snprintf(buf, sizeof(buf), "%s", base);
	memcpy(strstr(buf, "priority 100"), "priority 150", 12);
	diff_of(base, buf, &d, &s);
	ck_assert_uint_eq(d.instances.changed, 1);
	ck_assert_uint_eq(d.instances.unchanged, 1);
	ck_assert_str_eq(s.log, "A:changed B:unchanged ");

	snprintf(buf, sizeof(buf), "%svrrp_instance C {\n  interface eth0\n"
	    "  virtual_router_id 3\n}\n", base);
	diff_of(base, buf, &d, &s);
	ck_assert_uint_eq(d.instances.added, 1);
	ck_assert_uint_eq(d.instances.unchanged, 2);
	ck_assert_str_eq(s.log, "A:unchanged B:unchanged C:added ");

	/* interface change: a different identity */
	snprintf(buf, sizeof(buf), "%s", base);
	memcpy(strstr(buf, "interface eth1"), "interface eth2", 14);
	diff_of(base, buf, &d, &s);
	ck_assert_uint_eq(d.instances.removed, 1);
	ck_assert_uint_eq(d.instances.added, 1);
	ck_assert_uint_eq(d.instances.unchanged, 1);
	ck_assert_str_eq(s.log, "B:removed A:unchanged B:added ");

	/* VIP list change */
	snprintf(buf, sizeof(buf), "%s", base);
	memcpy(strstr(buf, "10.0.0.1"), "10.0.0.2", 8);
	diff_of(base, buf, &d, &s);
	ck_assert_uint_eq(d.instances.changed, 1);

	/* unicast instances may share interface and VRID (as keepalived
	 * allows); reordered, each is still matched by name */
	{
		const char *u1 = "vrrp_instance U1 {\n  interface eth0\n"
		    "  virtual_router_id 9\n  priority 100\n"
		    "  unicast_peer {\n    10.0.0.1\n  }\n}\n"
		    "vrrp_instance U2 {\n  interface eth0\n"
		    "  virtual_router_id 9\n  priority 200\n"
		    "  unicast_peer {\n    10.0.0.2\n  }\n}\n";
		const char *u2 = "vrrp_instance U2 {\n  interface eth0\n"
		    "  virtual_router_id 9\n  priority 200\n"
		    "  unicast_peer {\n    10.0.0.2\n  }\n}\n"
		    "vrrp_instance U1 {\n  interface eth0\n"
		    "  virtual_router_id 9\n  priority 100\n"
		    "  unicast_peer {\n    10.0.0.1\n  }\n}\n";

		diff_of(u1, u2, &d, &s);
		ck_assert_uint_eq(d.instances.unchanged, 2);
		ck_assert_uint_eq(d.instances.changed + d.instances.added + d.instances.removed, 0);
	}

	/* empty old config: everything added */
	ck_assert_int_eq(vrrp_conf_diff(NULL, NULL, &d, NULL, NULL), 0);
	ck_assert_uint_eq(d.instances.added + d.instances.removed + d.instances.changed + d.instances.unchanged, 0);
}
END_TEST

/*
 * Configurations built by hand (not through the keyword handlers) may hold
 * instances without an index and with one identity key several times: they
 * are found by name, and the diff pairs equal keys in list order.
 */
static void
hand_add(struct vrrp_conf *c, struct vrrp_instance_conf *vi, const char *name)
{
	memset(vi, 0, sizeof(*vi));
	vi->name = (char *)name;
	vi->interface = (char *)"eth0";
	vi->p.vrid = 7;
	vi->p.family = AF_INET;
	if (c->instances.last != NULL)
		((struct vrrp_instance_conf *)c->instances.last)->next = vi;
	else
		c->instances.first = vi;
	c->instances.last = vi;
	c->instances.n++;
}

struct pairs {
	unsigned n, in_order, added, removed;
};

static void
pair_cb(void *arg, const struct vrrp_conf_diff_ev *ev)
{
	struct pairs *p = arg;

	if (ev->kind == CONF_DIFF_ADDED)
		p->added++;
	else if (ev->kind == CONF_DIFF_REMOVED)
		p->removed++;
	else if (strcmp(ev->old->name + 1, ev->new->name + 1) == 0)
		p->in_order++;	/* oN with nN */
	p->n++;
}

START_TEST(test_hand_built)
{
	struct arena *a = arena_new();
	struct vrrp_conf *oc = vrrp_conf_new(a), *nc = vrrp_conf_new(a);
	static struct vrrp_instance_conf ov[40], nv[41];
	static char names[81][8];
	struct vrrp_conf_diff d;
	struct pairs p = { 0, 0, 0, 0 };
	unsigned i;

	for (i = 0; i < 40; i++) {
		snprintf(names[i], sizeof(names[i]), "o%u", i);
		hand_add(oc, &ov[i], names[i]);
	}
	for (i = 0; i < 41; i++) {
		snprintf(names[40 + i], sizeof(names[40 + i]), "n%u", i);
		hand_add(nc, &nv[i], names[40 + i]);
	}
	ck_assert_ptr_eq(vrrp_conf_find_instance(oc, "o39"), &ov[39]);
	ck_assert_ptr_null(vrrp_conf_find_instance(oc, "n0"));
	ck_assert_int_eq(vrrp_conf_diff(oc, nc, &d, pair_cb, &p), 0);
	ck_assert_uint_eq(d.instances.changed, 40);	/* the names differ */
	ck_assert_uint_eq(d.instances.added, 1);
	ck_assert_uint_eq(d.instances.removed, 0);
	ck_assert_uint_eq(p.in_order, 40);
	ck_assert_uint_eq(p.added, 1);
	/* the other way round: the last old one has no successor */
	memset(&p, 0, sizeof(p));
	ck_assert_int_eq(vrrp_conf_diff(nc, oc, &d, pair_cb, &p), 0);
	ck_assert_uint_eq(d.instances.removed, 1);
	ck_assert_uint_eq(p.in_order, 40);
	arena_free(a);
}
END_TEST

START_TEST(test_dump)
{
	struct loaded l;
	char *out = NULL;
	size_t len = 0;
	FILE *fp;

	load_str(&l, realistic);
	fp = open_memstream(&out, &len);
	vrrp_conf_dump(l.vc, fp);
	fclose(fp);
	ck_assert_ptr_nonnull(strstr(out, "VRRP instance VI_1"));
	ck_assert_ptr_nonnull(strstr(out, "virtual_router_id: 51"));
	ck_assert_ptr_nonnull(strstr(out, "vip: 192.168.1.10/24 brd "
	    "192.168.1.255 dev eth1 label eth1:vip"));
	ck_assert_ptr_nonnull(strstr(out, "advert_int: 2.000000 s"));
	ck_assert_ptr_nonnull(strstr(out, "unicast_peer: 10.0.0.3"));
	free(out);
	unload(&l);

	load_str(&l, IPV("  use_ipvlan ipv7 10.1.2.3/24 vepa\n")
	    "vrrp_instance B {\n  interface eth0\n  virtual_router_id 8\n"
	    "  use_ipvlan 10.1.2.4\n}\n");
	fp = open_memstream(&out, &len);
	vrrp_conf_dump(l.vc, fp);
	fclose(fp);
	ck_assert_msg(strstr(out, "  use_ipvlan: ipv7 10.1.2.3/24 vepa\n") !=
	    NULL, "%s", out);
	ck_assert_msg(strstr(out, "  use_ipvlan: (generated) 10.1.2.4/32 "
	    "bridge\n") != NULL, "%s", out);
	free(out);
	unload(&l);
}
END_TEST

/* The dump in parts (the VRRP child's SIGUSR1 dump, a part a gap) writes
 * what the whole dump writes, one item a part at the least budget: the
 * globals and sync groups, each instance, the static addresses. */
START_TEST(test_dump_parts)
{
	struct vrrp_dump_cursor cur = { 0, NULL };
	struct loaded l;
	char *whole = NULL, *parts = NULL;
	size_t wlen = 0, plen = 0;
	unsigned n = 1;
	FILE *fp;

	load_str(&l, "vrrp_sync_group G {\n  group {\n    A\n    C\n  }\n}\n"
	    "static_ipaddress {\n  10.9.9.9/32 dev eth0\n}\n"
	    "vrrp_instance A {\n  interface eth0\n  virtual_router_id 1\n}\n"
	    "vrrp_instance B {\n  interface eth0\n  virtual_router_id 2\n}\n"
	    "vrrp_instance C {\n  interface eth0\n  virtual_router_id 3\n}\n");
	ck_assert_ptr_nonnull(fp = open_memstream(&whole, &wlen));
	vrrp_conf_dump(l.vc, fp);
	fclose(fp);
	ck_assert_ptr_nonnull(fp = open_memstream(&parts, &plen));
	while (vrrp_conf_dump_part(l.vc, fp, &cur, 0))
		n++;
	fclose(fp);
	/* the head, three instances, the tail */
	ck_assert_uint_eq(n, 5);
	ck_assert_str_eq(parts, whole);
	ck_assert_ptr_nonnull(strstr(whole, "VRRP sync group G: A C\n"));
	ck_assert_ptr_nonnull(strstr(whole, "Static\n"));
	ck_assert(strstr(whole, "VRRP instance A") <
	    strstr(whole, "VRRP instance B"));
	ck_assert(strstr(whole, "VRRP instance C") <
	    strstr(whole, "Static\n"));
	free(whole);
	free(parts);
	unload(&l);
}
END_TEST

/* ---- the VRRP child's dump in parts: the runtime state section ---------- */

/* The work queue's clocks, frozen: both dumps read the same figures. */
static void
frozen_clock(void *arg, struct vrrp_work_sample *s, int full)
{
	(void)arg;
	memset(s, 0, sizeof(*s));
	s->wall = 7000000;
	s->cpu = 300000;
	if (full)
		s->real = 1796306983054104ULL;
}

static void
no_work(void *arg, void *owner, int kind, int a, int b)
{
	(void)arg;
	(void)owner;
	(void)kind;
	(void)a;
	(void)b;
}

/* The engine's dump from cur on: budget per part; each part's end
 * offset in ends (at most max); the number of parts. */
static unsigned
engine_dump_parts(const struct vrrp_engine *e, const struct vrrp_conf *c,
    struct vrrp_engine_dump_cursor *cur, FILE *fp, uint64_t budget,
    unsigned stop_after, long *ends, unsigned max)
{
	unsigned n = 0;
	int more;

	do {
		more = vrrp_engine_dump_part(e, c, fp, cur, budget);
		fflush(fp);
		if (n < max)
			ends[n] = ftell(fp);
		n++;
	} while (more && n != stop_after);
	return n;
}

/*
 * The VRRP child's dump (SIGUSR1) in parts, each of about 1 ms in a gap
 * between adverts: a part may end anywhere the budget runs out, also
 * between two instances of the runtime state section. Cut at every item
 * (budget 0), the state section ends a part after each instance but the
 * last, and the whole is byte for byte the one-part dump; so is a dump
 * cut at any one of those places and written whole from there.
 */
START_TEST(test_engine_dump_parts)
{
	static const char *const names[] = { "A", "B", "C", "D", "E" };
	enum { N = 5, PARTS = 2 * N + 2 };
	struct vrrp_engine e;
	struct vrrp_engine_dump_cursor cur;
	struct vrrp_inst **tail = &e.insts, *vi;
	struct event_base *evb;
	struct loaded l;
	char *whole = NULL, *parts = NULL, *one = NULL;
	size_t wlen = 0, plen = 0, olen = 0;
	long ends[PARTS + 1];
	unsigned n, k;
	FILE *fp;

	load_str(&l, "vrrp_sync_group G {\n  group {\n    A\n    C\n  }\n}\n"
	    "vrrp_instance A {\n  interface eth0\n  virtual_router_id 1\n"
	    "  virtual_ipaddress {\n    10.0.0.1/24\n  }\n}\n"
	    "vrrp_instance B {\n  interface eth0\n  virtual_router_id 2\n}\n"
	    "vrrp_instance C {\n  interface eth0\n  virtual_router_id 3\n}\n"
	    "vrrp_instance D {\n  interface eth1\n  virtual_router_id 4\n}\n"
	    "vrrp_instance E {\n  interface eth1\n  virtual_router_id 5\n}\n");
	ck_assert_int_eq(l.nerr, 0);
	memset(&e, 0, sizeof(e));
	n = 0;
	for (const struct vrrp_instance_conf *ic = l.vc->instances.first;
	    ic != NULL; ic = ic->next, n++) {
		ck_assert_ptr_nonnull(vi = vrrp_inst_new(ic, l.vc));
		vi->state = n % 2 ? VRRP_STATE_BACKUP : VRRP_STATE_MASTER;
		snprintf(vi->why, sizeof(vi->why), "reason %u", n);
		vi->rx = 100 + n;
		vi->tx = 200 + n;
		*tail = vi;
		tail = &vi->next;
	}
	ck_assert_uint_eq(n, N);
	ck_assert_ptr_nonnull(e.syncs =
	    vrrp_sync_new(l.vc->sync_groups.first));
	e.syncs->state = VRRP_STATE_MASTER;
	ck_assert_ptr_nonnull(e.socks = vrrp_socks_new(NULL, NULL, NULL));
	ck_assert_ptr_nonnull(evb = loop_new());
	ck_assert_ptr_nonnull(e.work = vrrp_work_new(evb, no_work, NULL, 16,
	    1000));
	vrrp_work_set_clock(e.work, frozen_clock, NULL);
	vrrp_work_push(e.work, NULL, 0, 0, 0);
	vrrp_work_slice(e.work);
	e.adv_timed = 42;

	/* one part */
	ck_assert_ptr_nonnull(fp = open_memstream(&whole, &wlen));
	memset(&cur, 0, sizeof(cur));
	ck_assert_int_eq(vrrp_engine_dump_part(&e, l.vc, fp, &cur,
	    UINT64_MAX), 0);
	fclose(fp);
	/* a part per item */
	ck_assert_ptr_nonnull(fp = open_memstream(&parts, &plen));
	memset(&cur, 0, sizeof(cur));
	n = engine_dump_parts(&e, l.vc, &cur, fp, 0, 0, ends, PARTS + 1);
	fclose(fp);
	/* N - 1 parts inside the state section, the last instance with the
	 * engine's counters, the configuration's head, N instances, tail */
	ck_assert_uint_eq(n, PARTS);
	ck_assert_str_eq(parts, whole);
	for (k = 0; k < N; k++) {
		char head[32];

		snprintf(head, sizeof(head), " VRRP Instance = %s\n",
		    names[k]);
		ck_assert_msg(strncmp(whole + (k == 0 ? 0 : ends[k - 1]), head,
		    strlen(head)) == 0, "part %u does not start with %s", k,
		    head);
	}
	ck_assert_ptr_nonnull(strstr(whole, " VRRP Sync Group = G, MASTER"));
	ck_assert_ptr_nonnull(strstr(whole, " VRRP work burst 1 (start): "));
	/* the last instance's part holds the engine's counters too */
	ck_assert_int_eq(strncmp(whole + ends[N - 1], "VRRP globals\n", 13),
	    0);
	/* cut at each place alone, the rest written whole */
	for (k = 1; k < PARTS; k++) {
		ck_assert_ptr_nonnull(fp = open_memstream(&one, &olen));
		memset(&cur, 0, sizeof(cur));
		ck_assert_uint_eq(engine_dump_parts(&e, l.vc, &cur, fp, 0, k,
		    ends, PARTS + 1), k);
		ck_assert_int_eq(vrrp_engine_dump_part(&e, l.vc, fp, &cur,
		    UINT64_MAX), 0);
		fclose(fp);
		ck_assert_msg(strcmp(one, whole) == 0, "cut after part %u "
		    "differs", k);
		free(one);
		one = NULL;
	}
	free(whole);
	free(parts);
	vrrp_work_free(e.work);
	event_base_free(evb);
	vrrp_socks_free(e.socks);
	vrrp_sync_free(e.syncs);
	while ((vi = e.insts) != NULL) {
		e.insts = vi->next;
		vrrp_inst_free(vi);
	}
	unload(&l);
}
END_TEST

/* Names, commands and devices with blanks, quotes, comment characters
 * and braces are dumped as words that read back as themselves. */
START_TEST(test_dump_quoting)
{
	struct loaded l;
	char *out = NULL;
	size_t len = 0;
	FILE *fp;

	load_str(&l,
	    "vrrp_script \"chk #1\" {\n"
	    "    script \"/bin/echo \\\"a b\\\" 'c d' \\\\x !\"\n"
	    "}\n"
	    "vrrp_track_file \"tf {1}\" {\n"
	    "    file \"/run/a b!c\"\n"
	    "}\n"
	    "vrrp_sync_group \"SG 1\" {\n"
	    "    group {\n"
	    "        \"VI {1}\"\n"
	    "    }\n"
	    "}\n"
	    "vrrp_instance \"VI {1}\" {\n"
	    "    interface eth0\n"
	    "    virtual_router_id 5\n"
	    "    priority 100\n"
	    "    track_script {\n"
	    "        \"chk #1\"\n"
	    "    }\n"
	    "    track_file {\n"
	    "        \"tf {1}\" weight 0\n"
	    "    }\n"
	    "    notify_master \"/bin/echo 'x y' \\\"#q\\\" \\$HOME\"\n"
	    "    virtual_ipaddress {\n"
	    "        10.0.0.1/24 dev eth0 label \"eth0:a\"\n"
	    "    }\n"
	    "}\n");
	ck_assert_uint_eq(l.nerr, 0);
	fp = open_memstream(&out, &len);
	vrrp_conf_dump(l.vc, fp);
	fclose(fp);
	ck_assert(dump_reads_back(out, "VRRP script ", "x", "chk #1"));
	ck_assert(dump_reads_back(out, "VRRP script \"chk #1\": ", "script",
	    "/bin/echo \"a b\" 'c d' \\x !"));
	ck_assert(dump_reads_back(out, "Track file ", "x", "tf {1}"));
	ck_assert(dump_reads_back(out, "Track file \"tf {1}\": ", "x",
	    "/run/a b!c"));
	ck_assert(dump_reads_back(out, "VRRP sync group ", "x", "SG 1"));
	ck_assert(dump_reads_back(out, "VRRP instance ", "x", "VI {1}"));
	ck_assert(dump_reads_back(out, "sync group: ", "x", "SG 1"));
	ck_assert(dump_reads_back(out, "track_script: ", "x", "chk #1"));
	ck_assert(dump_reads_back(out, "track_file: ", "x", "tf {1}"));
	ck_assert(dump_reads_back(out, "notify_master: ", "notify_master",
	    "/bin/echo 'x y' \"#q\" $HOME"));
	free(out);
	unload(&l);
}
END_TEST

/* keepalived's rule for instances whose priority cannot move (a sync
 * group member without sync_group_tracking_weight, an address owner):
 * weighted interfaces lose the weight (an owner's go), weighted scripts
 * go, weight-1 files become weight 0 and other weighted ones go,
 * processes stay; the group's own lines lose their weights beside an
 * owner. Each said at its line. */
static const struct vrrp_conf_track *
track_line(const struct vrrp_conf_list *l, const char *name)
{
	for (const struct vrrp_conf_track *t = l->first; t != NULL;
	    t = t->next)
		if (strcmp(t->name, name) == 0)
			return t;
	return NULL;
}

START_TEST(test_fixed_prio_tracking)
{
	static const char *const tail =
	    "    track_interface {\n"
	    "        eth0\n"
	    "        eth1 weight 10\n"
	    "    }\n"
	    "    track_script {\n"
	    "        s0 weight 0\n"
	    "        s5\n"
	    "    }\n"
	    "    track_file {\n"
	    "        f1\n"
	    "        f4 weight 4\n"
	    "    }\n"
	    "    track_process {\n"
	    "        p2\n"
	    "    }\n"
	    "}\n";
	char text[4096];
	struct loaded l;
	const struct vrrp_instance_conf *vi[3];
	const struct vrrp_conf_track *t;
	const struct vrrp_sync_group_conf *g;

	snprintf(text, sizeof(text),
	    "vrrp_script s0 {\n script /bin/true\n}\n"
	    "vrrp_script s5 {\n script /bin/true\n weight 5\n}\n"
	    "vrrp_track_file f1 {\n file /run/f1\n}\n"
	    "vrrp_track_file f4 {\n file /run/f4\n}\n"
	    "vrrp_track_process p2 {\n process x\n weight 2\n}\n"
	    "vrrp_sync_group G {\n group {\n  M\n  W\n }\n"
	    " track_script {\n  s5\n }\n}\n"
	    "vrrp_sync_group H {\n group {\n  T\n }\n"
	    " sync_group_tracking_weight\n}\n"
	    "vrrp_instance M {\n interface eth0\n virtual_router_id 1\n"
	    " priority 100\n%s"
	    "vrrp_instance W {\n interface eth0\n virtual_router_id 2\n"
	    " priority 255\n virtual_ipaddress {\n  10.0.0.2\n }\n}\n"
	    "vrrp_instance T {\n interface eth0\n virtual_router_id 3\n"
	    " priority 100\n%s"
	    "vrrp_instance O {\n interface eth0\n virtual_router_id 4\n"
	    " priority 255\n%s", tail, tail, tail);
	load_str(&l, text);
	ck_assert_uint_eq(l.nerr, 0);
	vi[0] = vrrp_conf_find_instance(l.vc, "M");
	vi[1] = vrrp_conf_find_instance(l.vc, "T");
	vi[2] = vrrp_conf_find_instance(l.vc, "O");
	ck_assert(vi[0] != NULL && vi[1] != NULL && vi[2] != NULL);

	/* M: in G, no sync_group_tracking_weight */
	t = track_line(&vi[0]->track_if, "eth1");
	ck_assert(t != NULL && t->weight_set && t->weight == 0);
	ck_assert_ptr_nonnull(track_line(&vi[0]->track_script, "s0"));
	ck_assert_ptr_null(track_line(&vi[0]->track_script, "s5"));
	t = track_line(&vi[0]->track_file, "f1");
	ck_assert(t != NULL && t->weight_set && t->weight == 0);
	ck_assert_ptr_null(track_line(&vi[0]->track_file, "f4"));
	t = track_line(&vi[0]->track_process, "p2");
	ck_assert(t != NULL && !t->weight_set);
	ck_assert(has_msg(&l, "test.conf:43: warning: M: track_script s5 "
	    "with weight 5 not tracked: a member of sync group G (no "
	    "sync_group_tracking_weight)"));
	/* T: in H, which allows weights: untouched */
	ck_assert_uint_eq(vi[1]->track_if.n, 2);
	ck_assert_uint_eq(vi[1]->track_script.n, 2);
	ck_assert_uint_eq(vi[1]->track_file.n, 2);
	t = track_line(&vi[1]->track_file, "f1");
	ck_assert(t != NULL && !t->weight_set);
	/* O: the address owner: its weighted interface is not tracked */
	ck_assert_ptr_null(track_line(&vi[2]->track_if, "eth1"));
	ck_assert_ptr_nonnull(track_line(&vi[2]->track_if, "eth0"));
	ck_assert_ptr_null(track_line(&vi[2]->track_script, "s5"));
	t = track_line(&vi[2]->track_file, "f1");
	ck_assert(t != NULL && t->weight_set && t->weight == 0);
	ck_assert_uint_eq(vi[2]->track_process.n, 1);
	ck_assert(has_msg(&l, "O: track_interface eth1: weight 10 ignored, "
	    "and the interface not tracked: the address owner (priority "
	    "255)"));
	/* G has an owner (W): its weighted script line is cleared */
	for (g = l.vc->sync_groups.first; g != NULL; g = g->next)
		if (strcmp(g->name, "G") == 0)
			break;
	ck_assert_ptr_nonnull(g);
	t = track_line(&g->track_script, "s5");
	ck_assert(t != NULL && t->weight_set && t->weight == 0);
	ck_assert(has_msg(&l, "vrrp_sync_group G: track_script s5: weight 5 "
	    "cleared (FAULT while down): member W has priority 255"));
	unload(&l);
}
END_TEST

/* A weighted track_interface on a link the instance tracks with weight 0
 * (its interface, a VIP's, route's or rule's): weight 0, said at the
 * line; not on a no_track VIP's, nor on its interface with
 * dont_track_primary, unless a route goes out of it. */
START_TEST(test_zero_weight_links)
{
	struct loaded l;
	const struct vrrp_instance_conf *a, *b;
	const struct vrrp_conf_track *t;

	load_str(&l,
	    "vrrp_instance A {\n interface eth0\n virtual_router_id 1\n"
	    " priority 100\n"
	    " track_interface {\n  eth0 weight -5\n  eth1 weight -10\n"
	    "  eth2 weight 10\n  eth3 weight -10\n  eth4 weight -10\n"
	    "  eth5 weight -10\n }\n"
	    " virtual_ipaddress {\n  10.0.0.1/24\n  10.0.1.1/24 dev eth1\n"
	    "  10.0.5.1/24 dev eth5 no_track\n }\n"
	    " virtual_routes {\n  10.9.0.0/24 via 10.0.2.9 dev eth2\n }\n"
	    " virtual_rules {\n  from 10.8.0.0/24 iif eth3 table 100\n }\n"
	    "}\n"
	    "vrrp_instance B {\n interface eth0\n virtual_router_id 2\n"
	    " priority 100\n dont_track_primary\n"
	    " track_interface {\n  eth0 weight -5\n }\n"
	    " virtual_ipaddress {\n  10.0.0.2/24 dev eth0\n }\n"
	    "}\n");
	ck_assert_uint_eq(l.nerr, 0);
	a = vrrp_conf_find_instance(l.vc, "A");
	b = vrrp_conf_find_instance(l.vc, "B");
	ck_assert(a != NULL && b != NULL);
	t = track_line(&a->track_if, "eth0");
	ck_assert(t != NULL && t->weight_set && t->weight == 0);
	t = track_line(&a->track_if, "eth1");
	ck_assert(t != NULL && t->weight == 0);
	t = track_line(&a->track_if, "eth2");
	ck_assert(t != NULL && t->weight == 0);
	t = track_line(&a->track_if, "eth3");
	ck_assert(t != NULL && t->weight == 0);
	/* no entry on eth4; eth5's VIP is no_track */
	t = track_line(&a->track_if, "eth4");
	ck_assert(t != NULL && t->weight == -10);
	t = track_line(&a->track_if, "eth5");
	ck_assert(t != NULL && t->weight == -10);
	ck_assert(has_msg(&l, "test.conf:6: warning: A: track_interface eth0: "
	    "weight -5 ignored (FAULT while down): it is the instance's "
	    "interface, tracked with weight 0"));
	ck_assert(has_msg(&l, "test.conf:7: warning: A: track_interface eth1: "
	    "weight -10 ignored (FAULT while down): VIP 10.0.1.1 is on it, "
	    "tracked with weight 0"));
	ck_assert(has_msg(&l, "A: track_interface eth2: weight 10 ignored "
	    "(FAULT while down): the virtual_route of line 19 goes out of "
	    "it, tracked with weight 0"));
	ck_assert(has_msg(&l, "A: track_interface eth3: weight -10 ignored "
	    "(FAULT while down): the virtual_rule of line 22 names it, "
	    "tracked with weight 0"));
	ck_assert(!has_msg(&l, "track_interface eth4"));
	ck_assert(!has_msg(&l, "track_interface eth5"));
	/* dont_track_primary: its interface and the VIPs there untracked */
	t = track_line(&b->track_if, "eth0");
	ck_assert(t != NULL && t->weight == -5);
	ck_assert(!has_msg(&l, "B: track_interface"));
	unload(&l);
}
END_TEST

/* keepalived's fit of interface_up_down_delays to the advert interval */
START_TEST(test_delay_fit)
{
	struct loaded l;
	const struct vrrp_conf_if_delay *dl;

	/* 3 adverts of 1 s: room for 2 s less 1/256 of a second */
	ck_assert_uint_eq(vrrp_conf_delay_fit(5000000, 3, 1000000), 1996094);
	ck_assert_uint_eq(vrrp_conf_delay_fit(2000000, 3, 1000000), 1996094);
	ck_assert_uint_eq(vrrp_conf_delay_fit(1999999, 3, 1000000), 1999999);
	ck_assert_uint_eq(vrrp_conf_delay_fit(0, 3, 1000000), 0);
	/* v3 at 0.05 s with 5 adverts: 0.2 s less 195 us */
	ck_assert_uint_eq(vrrp_conf_delay_fit(1000000, 5, 50000), 199805);
	/* one advert: no room */
	ck_assert_uint_eq(vrrp_conf_delay_fit(1000000, 1, 1000000), 0);

	/* the second instance's shorter interval shortens it again */
	load_str(&l,
	    "interface_up_down_delays {\n eth1 5 1\n eth2 1\n}\n"
	    "vrrp_instance A {\n interface eth1\n virtual_router_id 1\n"
	    " advert_int 2\n}\n"
	    "vrrp_instance B {\n interface eth1\n virtual_router_id 2\n"
	    " advert_int 1\n}\n"
	    "vrrp_instance C {\n interface eth2\n virtual_router_id 3\n"
	    " down_timer_adverts 1\n}\n");
	ck_assert_uint_eq(l.nerr, 0);
	dl = l.vc->if_delays.first;
	ck_assert_str_eq(dl->ifname, "eth1");
	ck_assert_uint_eq(dl->down_delay, 1996094);
	ck_assert_uint_eq(dl->up_delay, 1000000);
	ck_assert(has_msg(&l, "test.conf:2: warning: A: interface eth1 debounce "
	    "timer(s) not less that 2 * advert_int - resetting (down delay "
	    "3.992 s, up delay 1.000 s)"));
	ck_assert(has_msg(&l, "test.conf:2: warning: B: interface eth1 debounce "
	    "timer(s) not less that 2 * advert_int - resetting (down delay "
	    "1.996 s, up delay 1.000 s)"));
	dl = dl->next;
	ck_assert_uint_eq(dl->down_delay, 0);
	ck_assert_uint_eq(dl->up_delay, 0);
	ck_assert(has_msg(&l, "test.conf:3: warning: C: cannot use debounce "
	    "timers with down_timer_adverts = 1 - resetting"));
	unload(&l);
}
END_TEST

/* A sync group's weighted track_interface on a link a member tracks with
 * weight 0: weight 0 for that member, said at the group's line; the
 * group's line keeps its weight for the others. */
START_TEST(test_group_zero_weight_links)
{
	struct loaded l;
	const struct vrrp_sync_group_conf *g;
	const struct vrrp_conf_track *t;

	load_str(&l,
	    "vrrp_instance A {\n interface eth0\n virtual_router_id 1\n"
	    " priority 100\n"
	    " virtual_ipaddress {\n  10.0.1.1/24 dev eth1\n }\n"
	    "}\n"
	    "vrrp_instance B {\n interface eth0\n virtual_router_id 2\n"
	    " priority 100\n dont_track_primary\n"
	    " virtual_routes {\n  10.9.0.0/24 via 10.0.2.9 dev eth2\n }\n"
	    "}\n"
	    "vrrp_sync_group G {\n group {\n  A\n  B\n }\n"
	    " track_interface {\n  eth0 weight -5\n  eth1 weight -10\n"
	    "  eth2 weight 10\n  eth3 weight -10\n }\n"
	    "}\n");
	ck_assert_uint_eq(l.nerr, 0);
	g = l.vc->sync_groups.first;
	ck_assert(g != NULL);
	t = track_line(&g->track_if, "eth1");
	ck_assert(t != NULL && t->weight == -10);
	ck_assert(has_msg(&l, "test.conf:24: warning: vrrp_sync_group G: "
	    "track_interface eth0: weight -5 counts as 0 for member A (FAULT "
	    "while down, its priority unmoved): it is the instance's "
	    "interface, tracked with weight 0"));
	ck_assert(has_msg(&l, "test.conf:25: warning: vrrp_sync_group G: "
	    "track_interface eth1: weight -10 counts as 0 for member A "
	    "(FAULT while down, its priority unmoved): VIP 10.0.1.1 is on "
	    "it, tracked with weight 0"));
	ck_assert(has_msg(&l, "test.conf:26: warning: vrrp_sync_group G: "
	    "track_interface eth2: weight 10 counts as 0 for member B"));
	/* B's interface with dont_track_primary, nobody's eth3 */
	ck_assert(!has_msg(&l, "track_interface eth0: weight -5 counts as 0 "
	    "for member B"));
	ck_assert(!has_msg(&l, "eth1: weight -10 counts as 0 for member B"));
	ck_assert(!has_msg(&l, "track_interface eth3"));
	unload(&l);
}
END_TEST

START_TEST(test_registry_lookup)
{
	struct conf_registry *r = conf_registry_new();
	enum conf_owner o;
	const struct conf_kw *kw;

	ck_assert_int_eq(vrrp_conf_register(r), 0);
	kw = conf_registry_find(r, "vrrp_instance", "track_bfd", &o);
	ck_assert_ptr_nonnull(kw);
	ck_assert(kw->flags & CONF_F_LIST);
	ck_assert(!(kw->flags & CONF_F_UNSUPPORTED));
	ck_assert_int_eq(o, CONF_OWNER_VRRP);
	ck_assert_ptr_nonnull(conf_registry_find(r, "global_defs",
	    "vrrp_garp_interval", &o));
	ck_assert_ptr_nonnull(conf_registry_find(r, "", "static_routes", &o));
	ck_assert_ptr_nonnull(conf_registry_find(r, "", "track_file", &o));
	/* registering twice is refused */
	ck_assert_int_eq(vrrp_conf_register(r), -1);
	conf_registry_free(r);
}
END_TEST

/* The TTL range instance name of l accepts from src: "mcast" (255 only)
 * or "LO-HI"; its unicast TTL in *sent. */
static const char *
ttl_accepted(const struct loaded *l, const char *name, const char *src,
    int *sent)
{
	static char buf[16];
	const struct vrrp_instance_conf *vi =
	    vrrp_conf_find_instance(l->vc, name);
	struct vrrp_pkt_expect e;
	struct vg_addr a;

	ck_assert_ptr_nonnull(vi);
	ck_assert_int_eq(addr_parse(src, &a), 0);
	memset(&e, 0xff, sizeof(e));
	vrrp_sock_ttl_range(vi, &a, &e);
	*sent = vrrp_sock_unicast_ttl(vi);
	if (e.ttl_range == 0)
		return "mcast";
	ck_assert_int_eq(e.ttl_range, 1);
	snprintf(buf, sizeof(buf), "%d-%d", e.ttl_min, e.ttl_max);
	return buf;
}

/* unicast_ttl and unicast_peer min_ttl / max_ttl reach the sockets as
 * keepalived 2.2.7 uses them: the TTL sent, the TTL accepted. */
START_TEST(test_unicast_ttl)
{
	struct loaded l;
	int sent;

	load_str(&l,
	    "vrrp_instance U {\n interface eth0\n virtual_router_id 1\n"
	    " priority 100\n unicast_ttl 10\n"
	    " unicast_peer {\n  10.0.0.2\n  10.0.0.3 min_ttl 5 max_ttl 20\n"
	    " }\n virtual_ipaddress {\n  10.0.1.1\n }\n}\n"
	    "vrrp_instance N {\n interface eth0\n virtual_router_id 2\n"
	    " priority 100\n unicast_peer {\n  10.0.0.2\n }\n"
	    " virtual_ipaddress {\n  10.0.1.2\n }\n}\n"
	    "vrrp_instance M {\n interface eth0\n virtual_router_id 3\n"
	    " priority 100\n virtual_ipaddress {\n  10.0.1.3\n }\n}\n");
	ck_assert_uint_eq(l.nerr, 0);

	ck_assert_str_eq(ttl_accepted(&l, "U", "10.0.0.3", &sent), "5-20");
	ck_assert_int_eq(sent, 10);
	/* a peer without a range: keepalived's 0..255 */
	ck_assert_str_eq(ttl_accepted(&l, "U", "10.0.0.2", &sent), "0-255");
	/* unicast, no keyword: 255 sent (IPv4), any TTL accepted */
	ck_assert_str_eq(ttl_accepted(&l, "N", "10.0.0.2", &sent), "0-255");
	ck_assert_int_eq(sent, -1);
	/* multicast: 255 only (RFC) */
	ck_assert_str_eq(ttl_accepted(&l, "M", "10.0.0.2", &sent), "mcast");
	ck_assert_int_eq(sent, -1);
	unload(&l);

	/* without peers: warned about (keepalived too), not used */
	load_str(&l, "vrrp_instance M {\n interface eth0\n"
	    " virtual_router_id 3\n priority 100\n unicast_ttl 10\n"
	    " virtual_ipaddress {\n  10.0.1.3\n }\n}\n");
	ck_assert_uint_eq(l.nerr, 0);
	ck_assert(has_msg(&l, "M: unicast_ttl without unicast_peer; ignored"));
	ck_assert_str_eq(ttl_accepted(&l, "M", "10.0.0.2", &sent), "mcast");
	ck_assert_int_eq(sent, -1);
	unload(&l);
}
END_TEST

/* The GARP globals of global_defs text: "repeat delay refresh
 * refresh_repeat". */
static const char *
garp_globals(const char *text)
{
	static char buf[64];
	struct loaded l;
	const struct vrrp_conf_garp_params *g;

	load_str(&l, text);
	ck_assert_uint_eq(l.nerr, 0);
	g = &l.vc->g.garp;
	snprintf(buf, sizeof(buf), "%d %d %d %d", g->master_repeat,
	    g->master_delay, g->master_refresh, g->master_refresh_repeat);
	unload(&l);
	return buf;
}

/* vrrp_min_garp: the GARP globals still at their default become one GARP,
 * no delay, no refresh (keepalived 2.2.7); one set before or after keeps
 * its value, in file order as keepalived. */
START_TEST(test_min_garp)
{
	ck_assert_str_eq(garp_globals("global_defs {\n}\n"), "5 5 0 1");
	ck_assert_str_eq(garp_globals("global_defs {\n vrrp_min_garp\n}\n"),
	    "1 0 0 0");
	ck_assert_str_eq(garp_globals("global_defs {\n"
	    " vrrp_garp_master_repeat 3\n vrrp_min_garp true\n"
	    " vrrp_garp_master_delay 2\n}\n"), "3 2 0 0");
	ck_assert_str_eq(garp_globals("global_defs {\n vrrp_min_garp false\n"
	    "}\n"), "5 5 0 1");
}
END_TEST

/*
 * global_defs vrrp_check_unicast_src turns on every instance's own
 * check_unicast_src, wherever it stands in the file (keepalived checks
 * either); without it an instance keeps its own.
 */
START_TEST(test_global_check_unicast_src)
{
	static const char inst[] =
	    "vrrp_instance A {\n interface eth0\n virtual_router_id 1\n"
	    " unicast_peer {\n  10.0.0.2\n }\n"
	    " virtual_ipaddress {\n  10.0.0.100\n }\n}\n"
	    "vrrp_instance B {\n interface eth0\n virtual_router_id 2\n"
	    " check_unicast_src\n unicast_peer {\n  10.0.0.2\n }\n"
	    " virtual_ipaddress {\n  10.0.0.101\n }\n}\n";
	char text[1024];
	struct loaded l;

	/* after the instances */
	snprintf(text, sizeof(text), "%sglobal_defs {\n "
	    "vrrp_check_unicast_src\n}\n", inst);
	load_str(&l, text);
	ck_assert_uint_eq(l.nerr, 0);
	ck_assert_int_eq(vrrp_conf_find_instance(l.vc, "A")->p.check_unicast_src,
	    1);
	ck_assert_int_eq(vrrp_conf_find_instance(l.vc, "B")->p.check_unicast_src,
	    1);
	unload(&l);
	/* none: only B's own */
	load_str(&l, inst);
	ck_assert_uint_eq(l.nerr, 0);
	ck_assert_int_le(vrrp_conf_find_instance(l.vc, "A")->p.check_unicast_src,
	    0);
	ck_assert_int_eq(vrrp_conf_find_instance(l.vc, "B")->p.check_unicast_src,
	    1);
	unload(&l);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("vrrp_conf");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, test_samples, 0,
	    sizeof(samples) / sizeof(samples[0]));
	tcase_add_test(tc, test_sample_counts);
	tcase_add_test(tc, test_addr_vmac);
	tcase_add_test(tc, test_addr_vmac_shared);
	tcase_add_test(tc, test_typed_values);
	tcase_add_test(tc, test_advert_rounding_and_warnings);
	tcase_add_test(tc, test_keepalived_leniency);
	tcase_add_test(tc, test_ipv6_first_vip);
	tcase_add_test(tc, test_script_words);
	tcase_add_test(tc, test_names_and_constants);
	tcase_add_loop_test(tc, test_validation_errors, 0,
	    sizeof(bad) / sizeof(bad[0]));
	tcase_add_test(tc, test_vrid_sharing);
	tcase_add_test(tc, test_unicast_without_interface);
	tcase_add_test(tc, test_use_ipvlan);
	tcase_add_test(tc, test_vrf);
	tcase_add_test(tc, test_route_encap);
	tcase_add_test(tc, test_routes_rules);
	tcase_add_test(tc, test_route_opts);
	tcase_add_test(tc, test_v6_deprecated_default);
	tcase_add_test(tc, test_diff);
	tcase_add_test(tc, test_hand_built);
	tcase_add_test(tc, test_dump);
	tcase_add_test(tc, test_dump_quoting);
	tcase_add_test(tc, test_dump_parts);
	tcase_add_test(tc, test_engine_dump_parts);
	tcase_add_test(tc, test_registry_lookup);
	tcase_add_test(tc, test_fixed_prio_tracking);
	tcase_add_test(tc, test_zero_weight_links);
	tcase_add_test(tc, test_group_zero_weight_links);
	tcase_add_test(tc, test_delay_fit);
	tcase_add_test(tc, test_unicast_ttl);
	tcase_add_test(tc, test_global_check_unicast_src);
	tcase_add_test(tc, test_min_garp);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return check_run(suite());
}

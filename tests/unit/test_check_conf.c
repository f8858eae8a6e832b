/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Health-check configuration: keyword tables, typed structs, finalize, diff. */
#include <check.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "arena.h"
#include "conf.h"
#include "global_conf.h"
#include "healthcheck/config.h"
#include "healthcheck/config_priv.h"
#include "healthcheck/engine.h"
#include "check_run.h"
#include "dump_readback.h"

#define SAMPLES TEST_SRCDIR "/tests/samples/keepalived/"

struct loaded {
	struct arena *arena;
	struct conf_registry *reg;
	struct chk_conf *chk;
	struct conf_diag diag;
	char msgs[16384];
	size_t len;
	unsigned nerr;
};

static void
collect(void *arg, enum conf_sev sev, const struct conf_loc *loc,
    const char *msg)
{
	struct loaded *l = arg;
	int n;

	(void)sev;
	if (l->len >= sizeof(l->msgs) - 1)
		return;
	if (loc != NULL)
		n = snprintf(l->msgs + l->len, sizeof(l->msgs) - l->len,
		    "%s:%u: %s\n", loc->file, loc->line, msg);
	else
		n = snprintf(l->msgs + l->len, sizeof(l->msgs) - l->len,
		    "%s\n", msg);
	if (n > 0)
		l->len += (size_t)n;
	if (l->len >= sizeof(l->msgs))
		l->len = sizeof(l->msgs) - 1;
}

static void
apply_tree(struct loaded *l, struct conf_tree *t)
{
	void *roots[CONF_OWNER_MAX] = { 0 };

	roots[CONF_OWNER_GLOBAL] = global_conf_new(l->arena);
	roots[CONF_OWNER_CHECK] = l->chk;
	l->nerr += conf_apply(l->reg, t, CONF_OWNER_BIT(CONF_OWNER_GLOBAL) |
	    CONF_OWNER_BIT(CONF_OWNER_CHECK), roots, l->arena, &l->diag);
	l->nerr += chk_conf_finalize(l->chk, &l->diag);
}

static void
setup(struct loaded *l)
{
	memset(l, 0, sizeof(*l));
	l->arena = arena_new();
	l->reg = conf_registry_new();
	ck_assert_ptr_nonnull(l->arena);
	ck_assert_int_eq(global_conf_register(l->reg), 0);
	ck_assert_int_eq(chk_conf_register(l->reg), 0);
	l->chk = chk_conf_new(l->arena);
	ck_assert_ptr_nonnull(l->chk);
	l->diag.emit = collect;
	l->diag.arg = l;
}

/* Load text as file "t.conf"; returns the number of errors. */
static unsigned
load_text(struct loaded *l, const char *text)
{
	struct conf_tree *t = NULL;

	setup(l);
	if (conf_load_buffer("t.conf", text, strlen(text), NULL, &l->diag,
	    &t) != 0)
		return l->nerr = l->diag.nerr;
	apply_tree(l, t);
	conf_tree_free(t);
	return l->nerr;
}

static unsigned
load_file(struct loaded *l, const char *path)
{
	struct conf_tree *t = NULL;

	setup(l);
	if (conf_load_file(path, NULL, &l->diag, &t) != 0)
		return l->nerr = l->diag.nerr;
	apply_tree(l, t);
	conf_tree_free(t);
	return l->nerr;
}

static void
teardown(struct loaded *l)
{
	conf_registry_free(l->reg);
	arena_free(l->arena);
}

static struct chk_vs_conf *
nth_vs(struct chk_conf *c, unsigned i)
{
	struct chk_vs_conf *vs = c->vs;

	while (vs != NULL && i-- > 0)
		vs = vs->next;
	return vs;
}

static struct chk_rs_conf *
find_rs(struct chk_vs_conf *vs, const char *ip, unsigned port)
{
	struct vg_addr a;

	ck_assert_int_eq(addr_parse(ip, &a), 0);
	return chk_conf_vs_find_rs(vs, &a, port);
}

static int
status_has(const struct chk_url_conf *u, int code)
{
	return (u->status[code / 8] >> (code % 8)) & 1;
}

/* ---- samples ------------------------------------------------------------ */

static const char *const samples[] = {
	"keepalived.conf.HTTP_GET.port", "keepalived.conf.SSL_GET",
	"keepalived.conf.SMTP_CHECK", "keepalived.conf.UDP_CHECK",
	"keepalived.conf.PING_CHECK", "keepalived.conf.misc_check",
	"keepalived.conf.misc_check_arg", "keepalived.conf.fwmark",
	"keepalived.conf.inhibit", "keepalived.conf.quorum",
	"keepalived.conf.status_code", "keepalived.conf.virtual_server_group",
	"keepalived.conf.virtualhost", "keepalived.conf.sample",
	"keepalived.conf.IPv6",
};

START_TEST(test_samples)
{
	struct loaded l;
	char path[256];
	const char *p;

	snprintf(path, sizeof(path), SAMPLES "%s", samples[_i]);
	ck_assert_uint_eq(load_file(&l, path), 0);
	ck_assert_uint_gt(l.chk->nvs, 0);
	/* every keyword inside the LVS blocks is known */
	for (p = l.msgs; (p = strstr(p, "unknown keyword")) != NULL; p++)
		ck_assert_msg(strncmp(strstr(p, " in ") + 4, "top level", 9) == 0,
		    "%s: %s", samples[_i], l.msgs);
	teardown(&l);
}
END_TEST

START_TEST(test_sample_values)
{
	struct loaded l;
	struct chk_vs_conf *vs;
	struct chk_rs_conf *rs;
	struct chk_checker_conf *ck;

	ck_assert_uint_eq(load_file(&l, SAMPLES
	    "keepalived.conf.virtual_server_group"), 0);
	ck_assert_uint_eq(l.chk->ngroups, 1);
	ck_assert_uint_eq(l.chk->groups->nentries, 6);
	vs = l.chk->vs;
	ck_assert_int_eq(vs->kind, CHK_VS_GROUP);
	ck_assert_ptr_eq(vs->group, l.chk->groups);
	ck_assert_uint_eq(vs->nrs, 2);
	teardown(&l);

	ck_assert_uint_eq(load_file(&l, SAMPLES "keepalived.conf.SMTP_CHECK"),
	    0);
	vs = l.chk->vs;
	rs = find_rs(vs, "172.16.1.12", 25);
	ck_assert_ptr_nonnull(rs);
	ck = rs->checks->list;
	ck_assert_int_eq(ck->kind, CHK_SMTP);
	ck_assert_str_eq(ck->u.smtp.helo_name, "foo.bar.com");
	ck_assert_uint_eq(ck->u.smtp.nhosts, 3);
	ck_assert_uint_eq(ck->u.smtp.hosts->next->next->conn.connect_port, 587);
	ck_assert_uint_eq(ck->conn.connect_timeout, 10000000);
	teardown(&l);

	ck_assert_uint_eq(load_file(&l, SAMPLES "keepalived.conf.IPv6"), 0);
	ck_assert_int_eq(l.chk->vs->family, AF_INET6);
	ck_assert_uint_eq(l.chk->groups->nentries, 2);
	teardown(&l);

	ck_assert_uint_eq(load_file(&l, SAMPLES "keepalived.conf.fwmark"), 0);
	vs = l.chk->vs;
	ck_assert_int_eq(vs->kind, CHK_VS_FWMARK);
	ck_assert_uint_eq(vs->fwmark, 1);
	ck_assert_int_eq(vs->family, AF_INET);
	ck_assert_uint_eq(vs->persistence_timeout, 900);
	ck_assert_uint_eq(vs->rs->checks->list->conn.connect_port, 80);
	teardown(&l);
}
END_TEST

/* ---- typed values on a realistic config ------------------------------- */

static const char realistic[] =
	"global_defs {\n"
	"  router_id LB1\n"
	"  lvs_timeouts tcp 900 tcpfin 30 udp 300\n"
	"  lvs_sync_daemon eth1 VI_1 id 7 maxlen 1400\n"
	"  lvs_flush\n"
	"  lvs_flush_on_stop VS\n"
	"  checker_log_all_failures\n"
	"  lvs_notify_fifo /run/lvs.fifo nobody\n"
	"}\n"
	"SSL {\n  ca /etc/ca.pem\n  certificate /etc/c.pem\n  key /etc/k.pem\n}\n"
	"virtual_server_group WEB {\n"
	"  192.168.200.1-10 80\n"
	"  10.1.0.0/30 443\n"
	"  fwmark 5 inet\n"
	"}\n"
	"virtual_server 10.0.0.1 80 {\n"				/* 20 */
	"  delay_loop 10\n"
	"  lvs_sched wrr\n"
	"  lvs_method DR\n"
	"  persistence_timeout\n"
	"  persistence_granularity 255.255.255.0\n"
	"  protocol TCP\n"
	"  quorum 3\n"
	"  hysteresis 1\n"
	"  quorum_up \"/bin/q up\" root\n"
	"  sorry_server 10.0.0.99 8080\n"
	"  sorry_server_inhibit\n"
	"  virtualhost www.example.com\n"
	"  retry 4\n"
	"  delay_before_retry 2.5\n"
	"  connect_timeout 7\n"
	"  inhibit_on_failure\n"
	"  real_server 10.0.1.1 8080 {\n"				/* 37 */
	"    weight 5\n"
	"    notify_down /bin/down\n"
	"    uthreshold 100\n"
	"    lthreshold 10\n"
	"    HTTP_GET {\n"
	"      url {\n"
	"        path /health\n"
	"        digest 9b3a0c85a887a256d6939da88aabd8cd\n"
	"        status_code 200-204 301 503\n"
	"      }\n"
	"      url {\n        path /\n        virtualhost other.example\n"
	"        regex \"ok|fine\"\n        regex_no_match\n      }\n"
	"      connect_port 8081\n"
	"      retry 2\n"
	"      http_protocol 1.1\n"
	"    }\n"
	"    TCP_CHECK {\n      connect_timeout 1.5\n    }\n"
	"  }\n"
	"  real_server 10.0.1.2 8080 {\n"
	"    lvs_method TUN type gue port 6080 csum\n"
	"    delay_loop 20\n"
	"    DNS_CHECK {\n      type A\n      name example.com\n    }\n"
	"    UDP_CHECK {\n      payload Ab12f 3 456\n"
	"      require_reply 0a xX\n      max_reply_length 100\n    }\n"
	"    MISC_CHECK {\n      misc_path \"/bin/check arg\"\n"
	"      misc_dynamic\n      user nobody nogroup\n    }\n"
	"    FILE_CHECK {\n      track_file tf1\n      weight -5 reverse\n    }\n"
	"  }\n"
	"}\n"
	"virtual_server group WEB {\n"
	"  protocol UDP\n"
	"  lb_algo sh\n"
	"  sh-port\n"
	"  real_server 192.168.201.1 80 {\n    PING_CHECK {\n    }\n  }\n"
	"}\n";

START_TEST(test_typed_values)
{
	struct loaded l;
	struct chk_vs_conf *vs;
	struct chk_rs_conf *rs;
	struct chk_checker_conf *ck;
	const struct chk_url_conf *u;
	const struct chk_conf_vsg_entry *e;
	char buf[64];
	static const unsigned char pl[] = { 0xab, 0x12, 0x0f, 0x03, 0x45, 0x06 };
	FILE *fp;
	char *dump = NULL;
	size_t dlen = 0;

	ck_assert_msg(load_text(&l, realistic) == 0, "%s", l.msgs);
	/* globals */
	ck_assert_uint_eq(l.chk->g.lvs_timeout_tcp, 900);
	ck_assert_uint_eq(l.chk->g.lvs_timeout_tcpfin, 30);
	ck_assert_uint_eq(l.chk->g.lvs_timeout_udp, 300);
	ck_assert_int_eq(l.chk->g.lvs_flush, 1);
	ck_assert_int_eq(l.chk->g.lvs_flush_on_stop, 2);
	ck_assert_str_eq(l.chk->g.lvs_notify_fifo.cmd, "/run/lvs.fifo");
	ck_assert_str_eq(l.chk->g.lvs_notify_fifo.user, "nobody");
	ck_assert_str_eq(l.chk->ssl.key, "/etc/k.pem");
	/* group */
	e = l.chk->groups->entries;
	ck_assert_str_eq(addr_ntop(&e->hi, buf, sizeof(buf)), "192.168.200.10");
	ck_assert_uint_eq(e->port, 80);
	e = e->next;
	ck_assert_str_eq(addr_ntop(&e->lo, buf, sizeof(buf)), "10.1.0.0");
	ck_assert_str_eq(addr_ntop(&e->hi, buf, sizeof(buf)), "10.1.0.3");
	ck_assert_int_eq(e->next->is_fwmark, 1);
	ck_assert_int_eq(e->next->family, AF_INET);

	ck_assert_uint_eq(l.chk->nvs, 2);
	vs = nth_vs(l.chk, 0);
	ck_assert_uint_eq(vs->loc.line, 20);
	ck_assert_str_eq(vs->loc.file, "t.conf");
	ck_assert_str_eq(vs->sched, "wrr");
	ck_assert_int_eq(vs->fwd.method, CHK_FWD_DR);
	ck_assert_uint_eq(vs->persistence_timeout, CHK_DEF_PERSISTENCE);
	ck_assert_str_eq(addr_ntop(&vs->persistence_mask, buf, sizeof(buf)),
	    "255.255.255.0");
	ck_assert_uint_eq(vs->quorum, 3);
	ck_assert_uint_eq(vs->hysteresis, 1);
	ck_assert_str_eq(vs->quorum_up.cmd, "/bin/q up");
	ck_assert_str_eq(vs->quorum_up.user, "root");
	ck_assert_int_eq(vs->sorry.set, 1);
	ck_assert_int_eq(vs->sorry.inhibit, 1);
	ck_assert_uint_eq(vs->sorry.port, 8080);
	ck_assert_int_eq(vs->sorry.fwd.method, CHK_FWD_DR);
	ck_assert_uint_eq(vs->nrs, 2);

	rs = find_rs(vs, "10.0.1.1", 8080);
	ck_assert_ptr_nonnull(rs);
	ck_assert_uint_eq(rs->loc.line, 37);
	ck_assert_int_eq(rs->weight, 5);
	ck_assert_int_eq(rs->inhibit_on_failure, 1);	/* from the VS */
	ck_assert_int_eq(rs->fwd.method, CHK_FWD_DR);	/* from the VS */
	ck_assert_str_eq(rs->notify_down->cmd, "/bin/down");
	ck_assert_uint_eq(rs->uthreshold, 100);
	ck_assert_uint_eq(rs->lthreshold, 10);
	ck_assert_uint_eq(rs->checks->n, 2);
	ck = rs->checks->list;
	ck_assert_int_eq(ck->kind, CHK_HTTP);
	ck_assert_uint_eq(chk_conf_conn_port(&ck->conn, ck->kind, rs), 8081);
	/* no connect_ip: the real server's, left to the one asking */
	ck_assert(addr_is_unset(&ck->conn.connect_ip));
	ck_assert_str_eq(addr_ntop(chk_conf_conn_addr(&ck->conn, rs), buf,
	    sizeof(buf)), "10.0.1.1");
	ck_assert_int_eq(ck->retry, 2);
	ck_assert_uint_eq(ck->delay_before_retry, 2500000);	/* VS */
	ck_assert_uint_eq(ck->delay_loop, 10000000);		/* VS */
	ck_assert_uint_eq(ck->warmup, 10000000);		/* = delay_loop */
	ck_assert_uint_eq(ck->conn.connect_timeout, 7000000);	/* VS */
	ck_assert_int_eq(ck->log_all_failures, 1);		/* global */
	ck_assert_int_eq(ck->u.http.proto, CHK_HTTP_11);
	ck_assert_uint_eq(ck->u.http.nurls, 2);
	u = ck->u.http.urls;
	ck_assert_str_eq(u->path, "/health");
	ck_assert_int_eq(u->has_digest, 1);
	ck_assert_uint_eq(u->digest[0], 0x9b);
	ck_assert_uint_eq(u->digest[15], 0xcd);
	ck_assert(status_has(u, 200) && status_has(u, 204));
	ck_assert(!status_has(u, 205) && status_has(u, 301));
	ck_assert(status_has(u, 503) && !status_has(u, 500));
	ck_assert_str_eq(u->virtualhost, "www.example.com");	/* VS */
	u = u->next;
	ck_assert_str_eq(u->virtualhost, "other.example");
	ck_assert_str_eq(u->regex, "ok|fine");
	ck_assert_int_eq(u->regex_no_match, 1);
	ck_assert(status_has(u, 200) && status_has(u, 299));	/* default */
	ck_assert(!status_has(u, 300));
	ck = ck->next;
	ck_assert_int_eq(ck->kind, CHK_TCP);
	ck_assert_uint_eq(ck->conn.connect_timeout, 1500000);
	ck_assert_int_eq(ck->retry, 4);				/* VS */

	rs = find_rs(vs, "10.0.1.2", 8080);
	ck_assert_ptr_nonnull(rs);
	ck_assert_int_eq(rs->fwd.method, CHK_FWD_TUN);
	ck_assert_int_eq(rs->fwd.tun_type, CHK_TUN_GUE);
	ck_assert_uint_eq(rs->fwd.tun_port, 6080);
	ck_assert_int_eq(rs->fwd.tun_csum, CHK_CSUM);
	ck = rs->checks->list;
	ck_assert_int_eq(ck->kind, CHK_DNS);
	ck_assert_uint_eq(ck->u.dns.type, 1);
	ck_assert_str_eq(ck->u.dns.name, "example.com");
	ck_assert_uint_eq(ck->delay_loop, 20000000);	/* RS over VS */
	ck_assert_int_eq(ck->retry, 4);
	ck = ck->next;
	ck_assert_int_eq(ck->kind, CHK_UDP);
	ck_assert_uint_eq(ck->u.udp.payload_len, sizeof(pl));
	ck_assert_mem_eq(ck->u.udp.payload, pl, sizeof(pl));
	ck_assert_int_eq(ck->u.udp.require_reply, 1);
	ck_assert_uint_eq(ck->u.udp.reply_len, 2);
	ck_assert_uint_eq(ck->u.udp.reply[0], 0x0a);
	ck_assert_uint_eq(ck->u.udp.reply_mask[0], 0xff);
	ck_assert_uint_eq(ck->u.udp.reply_mask[1], 0x00);
	ck_assert_uint_eq(ck->u.udp.max_reply_length, 100);
	ck = ck->next;
	ck_assert_int_eq(ck->kind, CHK_MISC);
	ck_assert_str_eq(ck->u.misc.script.cmd, "/bin/check arg");
	ck_assert_str_eq(ck->u.misc.script.group, "nogroup");
	ck_assert_int_eq(ck->u.misc.dynamic, 1);
	ck_assert_uint_eq(ck->u.misc.timeout, 20000000);	/* delay_loop */
	ck = ck->next;
	ck_assert_int_eq(ck->kind, CHK_FILE);
	ck_assert_str_eq(ck->u.file.track_file, "tf1");
	ck_assert_int_eq(ck->u.file.weight, -5);
	ck_assert_int_eq(ck->u.file.reverse, 1);

	vs = nth_vs(l.chk, 1);
	ck_assert_int_eq(vs->kind, CHK_VS_GROUP);
	ck_assert_int_eq(vs->protocol, IPPROTO_UDP);
	ck_assert_uint_eq(vs->flags, CHK_VS_F_FLAG2);		/* sh-port */
	ck_assert_int_eq(vs->fwd.method, CHK_FWD_NAT);		/* default */
	ck_assert_uint_eq(vs->rs->checks->list->delay_loop, CHK_DEF_DELAY_LOOP);
	ck_assert_uint_eq(vs->rs->checks->list->conn.connect_timeout,
	    CHK_DEF_CONNECT_TIMEOUT);

	/* the dump names the services and real servers */
	fp = open_memstream(&dump, &dlen);
	ck_assert_ptr_nonnull(fp);
	chk_conf_dump(l.chk, fp);
	fclose(fp);
	ck_assert_ptr_nonnull(strstr(dump, "[10.0.0.1]:tcp:80"));
	ck_assert_ptr_nonnull(strstr(dump, "real_server [10.0.1.2]:8080"));
	ck_assert_ptr_nonnull(strstr(dump, "group WEB:udp"));
	ck_assert_ptr_nonnull(strstr(dump, "status_code 200-204 301 503"));
	free(dump);
	teardown(&l);
}
END_TEST

/* ---- validation ------------------------------------------------------------- */

struct bad_case {
	const char *text;
	const char *expect;	/* substring of the report */
	int is_error;		/* else a warning */
};

#define VS_HEAD "virtual_server 10.0.0.1 80 {\n"
#define RS_HEAD "  real_server 10.0.1.1 80 {\n"

static const struct bad_case bad[] = {
	{ VS_HEAD "  lb_algo foo\n}\n",
	    "t.conf:2: lb_algo: unknown scheduler 'foo'", 1 },
	{ VS_HEAD "  lb_kind NATT\n}\n",
	    "t.conf:2: lb_kind: expected NAT|DR|TUN, got NATT", 1 },
	{ VS_HEAD "  lvs_method TUN type gre remcsum\n}\n",
	    "t.conf:2: lvs_method: remcsum is not available with gre", 1 },
	{ "virtual_server 10.0.0.300 80 {\n}\n",
	    "t.conf:1: virtual_server: expected an IPv4 or IPv6 address, "
	    "got 10.0.0.300", 1 },
	{ VS_HEAD "  real_server 10.0.1.1 70000 {\n  }\n}\n",
	    "t.conf:2: real_server: expected a port 0-65535, got 70000", 1 },
	{ VS_HEAD RS_HEAD "    weight 2\n  }\n" RS_HEAD "  }\n}\n",
	    "t.conf:5: real_server: real server 10.0.1.1 port 80 already "
	    "configured at line 2", 0 },
	{ "virtual_server group NOPE {\n  protocol TCP\n}\n",
	    "t.conf:1: virtual_server: group NOPE is not defined", 0 },
	{ VS_HEAD RS_HEAD "    HTTP_GET {\n      url {\n        path /\n"
	    "        digest 1234\n      }\n    }\n  }\n}\n",
	    "t.conf:6: digest: expected an MD5 digest of 32 hex digits, "
	    "got 1234", 1 },
	{ VS_HEAD RS_HEAD "    HTTP_GET {\n      url {\n        path /\n"
	    "        digest 9b3a0c85a887a256d6939da88aabd8cz\n      }\n"
	    "    }\n  }\n}\n", "t.conf:6: digest: expected an MD5", 1 },
	{ VS_HEAD RS_HEAD "    SSL_GET {\n      url {\n        path /\n"
	    "        status_code 200 600\n      }\n    }\n  }\n}\n",
	    "t.conf:6: status_code: expected status codes or ranges within "
	    "100-599, got 600", 1 },
	{ VS_HEAD RS_HEAD "    SSL_GET {\n      url {\n        path /\n"
	    "        status_code 299-200\n      }\n    }\n  }\n}\n",
	    "t.conf:6: status_code: expected status codes", 1 },
	{ VS_HEAD "  protocol ICMP\n}\n",
	    "t.conf:2: protocol: expected TCP|UDP|SCTP, got ICMP", 1 },
	{ VS_HEAD RS_HEAD "    weight 70000\n  }\n}\n",
	    "t.conf:3: weight: expected 0-65535, got 70000", 1 },
	{ VS_HEAD RS_HEAD "    TCP_CHECK {\n      connect_port 99999\n"
	    "    }\n  }\n}\n",
	    "t.conf:4: connect_port: expected a port 0-65535, got 99999", 1 },
	{ VS_HEAD "  persistence_granularity 255.0.255.0\n}\n",
	    "t.conf:2: persistence_granularity: netmask 255.0.255.0 is not "
	    "contiguous", 1 },
	{ "virtual_server_group G {\n  10.0.0.9-3 80\n}\n",
	    "t.conf:2: 10.0.0.9-3: expected an address or address range", 1 },
	{ VS_HEAD RS_HEAD "    DNS_CHECK {\n      type PTR\n    }\n  }\n}\n",
	    "t.conf:4: type: expected A|NS|CNAME|SOA|MX|TXT|AAAA, got PTR", 1 },
	{ VS_HEAD RS_HEAD "    UDP_CHECK {\n      payload 12zz\n    }\n"
	    "  }\n}\n", "t.conf:4: payload: expected hex digits", 1 },
	{ VS_HEAD "  delay_loop soon\n}\n", "t.conf:2: delay_loop: expected "
	    "seconds", 1 },
	{ VS_HEAD RS_HEAD "    TCP_CHECK {\n      nb_get_retry 3\n    }\n"
	    "  }\n}\n", "t.conf:4: 'nb_get_retry' is deprecated", 0 },
	{ VS_HEAD RS_HEAD "    BFD_CHECK {\n      alpha\n    }\n  }\n}\n",
	    "no name has been specified - ignoring the checker", 0 },
	{ VS_HEAD RS_HEAD "    BFD_CHECK {\n      name x\n      name y\n"
	    "    }\n  }\n}\n", "BFD y already specified as x", 1 },
	{ "virtual_server 10.0.0.1 {\n}\n", "t.conf:1: virtual_server: "
	    "[10.0.0.1]:udp:0: a port is required", 0 },
	{ VS_HEAD "}\n" VS_HEAD "}\n", "t.conf:3: virtual_server: "
	    "[10.0.0.1]:udp:80 is already defined at line 1", 0 },
	{ "virtual_server fe80::1 80 {\n  real_server 10.0.1.1 80 {\n  }\n}\n",
	    "t.conf:2: real_server: address family of 10.0.1.1 does not "
	    "match", 0 },
	/* keepalived 2.2.7's validation: no protocol is UDP, ops needs UDP,
	 * a DR / TUN real server takes its virtual server's port (none on a
	 * fwmark), a sorry server too */
	{ VS_HEAD "}\n", "t.conf:1: virtual_server: [10.0.0.1]:udp:80: no "
	    "protocol set - defaulting to UDP", 0 },
	{ VS_HEAD "  protocol TCP\n  ops\n}\n", "t.conf:1: virtual_server: "
	    "[10.0.0.1]:tcp:80: one packet scheduling (ops) requires UDP - "
	    "resetting", 0 },
	{ VS_HEAD "  protocol TCP\n  lb_kind DR\n  real_server 10.0.1.1 8080 "
	    "{\n  }\n}\n", "t.conf:4: real_server: [10.0.0.1]:tcp:80 "
	    "and real server [10.0.1.1]:8080 ports don't match (DR and TUN) - "
	    "resetting: [10.0.1.1]:80 in the IPVS table, the fifo lines, SNMP "
	    "and the logs; checks default to port 8080 as written", 0 },
	{ "virtual_server_group G {\n  10.0.0.1 80\n  fwmark 6\n}\n"
	    "virtual_server group G {\n  lb_kind DR\n  real_server "
	    "10.0.1.1 8080 {\n  }\n}\n", "t.conf:7: real_server: group G "
	    "and real server [10.0.1.1]:8080 ports don't match (DR and TUN) "
	    "- [10.0.1.1]:80 in the IPVS table, each entry's port", 0 },
	{ "virtual_server_group G {\n  10.0.0.1 80\n  fwmark 6\n}\n"
	    "virtual_server group G {\n  lb_kind DR\n  real_server "
	    "10.0.1.1 8080 {\n  }\n}\n", "t.conf:7: real_server: group G, "
	    "real server [10.0.1.1]:8080 has a port: fwmark entries take "
	    "none for DR and TUN - port will be ignored there", 0 },
	{ "virtual_server fwmark 3 {\n  protocol UDP\n}\n", "t.conf:1: "
	    "virtual_server: fwmark 3: protocol specified for fwmark - "
	    "protocol will be ignored", 0 },
	{ "virtual_server fwmark 3 {\n  lb_kind DR\n  real_server 10.0.1.1 "
	    "443 {\n  }\n}\n", "t.conf:3: real_server: fwmark 3, real "
	    "server [10.0.1.1]:443 has a port: fwmark services take none for "
	    "DR and TUN - clearing: [10.0.1.1]:0 in the IPVS table, the fifo "
	    "lines, SNMP and the logs; checks default to port 443 as "
	    "written", 0 },
	{ "virtual_server fwmark 3 {\n  lb_kind TUN\n  sorry_server 10.0.1.9 "
	    "80\n}\n", "t.conf:3: sorry_server: fwmark 3, sorry "
	    "server [10.0.1.9]:80 has a port: fwmark services take none for "
	    "DR and TUN - clearing: [10.0.1.9]:0 in the IPVS table and "
	    "SNMP", 0 },
	/* keepalived 2.2.7: 1-2678400 */
	{ VS_HEAD "  persistence_timeout 0\n}\n",
	    "t.conf:2: persistence_timeout: expected seconds 1-2678400", 1 },
	{ VS_HEAD "  persistence_timeout 2678401\n}\n",
	    "t.conf:2: persistence_timeout: expected seconds 1-2678400", 1 },
	/* vigil's own */
	{ "global_defs {\n  ipvs_stats_interval 3601\n}\n",
	    "t.conf:2: ipvs_stats_interval: expected 0-3600, got 3601", 1 },
	{ "global_defs {\n  ipvs_stats_interval -1\n}\n",
	    "t.conf:2: ipvs_stats_interval: expected 0-3600, got -1", 1 },
	{ "global_defs {\n  ipvs_stats_interval often\n}\n",
	    "t.conf:2: ipvs_stats_interval: expected", 1 },
};

START_TEST(test_validation)
{
	struct loaded l;
	unsigned nerr = load_text(&l, bad[_i].text);

	ck_assert_msg(strstr(l.msgs, bad[_i].expect) != NULL,
	    "case %d: expected \"%s\" in:\n%s", _i, bad[_i].expect, l.msgs);
	if (bad[_i].is_error)
		ck_assert_uint_gt(nerr, 0);
	else
		ck_assert_msg(nerr == 0, "case %d: %s", _i, l.msgs);
	teardown(&l);
}
END_TEST

START_TEST(test_validation_effects)
{
	struct loaded l;

	/* the duplicate real server is ignored, the first one kept */
	ck_assert_uint_eq(load_text(&l, bad[5].text), 0);
	ck_assert_uint_eq(l.chk->vs->nrs, 1);
	ck_assert_int_eq(l.chk->vs->rs->weight, 2);
	teardown(&l);
	/* a virtual server naming an unknown group is dropped */
	ck_assert_uint_eq(load_text(&l, bad[6].text), 0);
	ck_assert_uint_eq(l.chk->nvs, 0);
	ck_assert_ptr_null(l.chk->vs);
	teardown(&l);
}
END_TEST

/* keepalived 2.2.7's validation, what it changes: the protocol, ops, the
 * port in the IPVS table (not the one the checks use) */
START_TEST(test_validation_ipvs_effects)
{
	struct loaded l;
	const struct chk_vs_conf *vs;
	const struct chk_rs_conf *rs;
	char text[128];

	ck_assert_uint_eq(load_text(&l, "virtual_server 10.0.0.1 80 {\n"
	    "  ops\n  lb_kind DR\n  real_server 10.0.1.1 8080 {\n"
	    "    TCP_CHECK {\n    }\n  }\n  real_server 10.0.1.2 80 {\n"
	    "    lvs_method NAT\n  }\n}\n"
	    "virtual_server 10.0.0.2 80 {\n  protocol SCTP\n  ops\n"
	    "  real_server 10.0.1.1 0 {\n  }\n}\n"
	    "virtual_server fwmark 3 {\n  lb_kind TUN\n"
	    "  real_server 10.0.1.3 80 {\n    TCP_CHECK {\n    }\n  }\n"
	    "  real_server 10.0.1.4 80 {\n    lvs_method NAT\n  }\n}\n"), 0);
	vs = l.chk->vs;
	/* no protocol: UDP, so ops stays */
	ck_assert_int_eq(vs->protocol, IPPROTO_UDP);
	ck_assert_uint_ne(vs->flags & CHK_VS_F_ONEPACKET, 0);
	rs = vs->rs;
	ck_assert_uint_eq(rs->port, 8080);	/* its check's */
	ck_assert_uint_eq(chk_conf_conn_port(&rs->checks->list->conn,
	    CHK_TCP, rs), 8080);
	ck_assert_uint_eq(chk_conf_ipvs_port(vs, &rs->fwd, rs->port), 80);
	/* the fifo lines and e-mail alerts name it by the table's port, as
	 * keepalived does once it has reset it */
	chk_rs_text(vs, rs, text, sizeof(text));
	ck_assert_str_eq(text, "[10.0.1.1]:udp:80");
	rs = rs->next;				/* NAT: its own */
	ck_assert_uint_eq(chk_conf_ipvs_port(vs, &rs->fwd, rs->port), 80);
	vs = vs->next;				/* SCTP: ops left out */
	ck_assert_int_eq(vs->protocol, IPPROTO_SCTP);
	ck_assert_uint_eq(vs->flags & CHK_VS_F_ONEPACKET, 0);
	/* NAT without a port: the virtual server's */
	ck_assert_uint_eq(chk_conf_ipvs_port(vs, &vs->rs->fwd, vs->rs->port),
	    80);
	chk_rs_text(vs, vs->rs, text, sizeof(text));
	ck_assert_str_eq(text, "[10.0.1.1]:sctp:80");
	vs = vs->next;				/* fwmark: TCP, as before */
	ck_assert_int_eq(vs->protocol, IPPROTO_TCP);
	ck_assert_uint_eq(chk_conf_ipvs_port(vs, &vs->rs->fwd, vs->rs->port),
	    0);
	chk_rs_text(vs, vs->rs, text, sizeof(text));
	ck_assert_str_eq(text, "[10.0.1.3]:none:0");	/* keepalived's */
	/* its check: the port written */
	ck_assert_uint_eq(chk_conf_conn_port(&vs->rs->checks->list->conn,
	    CHK_TCP, vs->rs), 80);
	ck_assert_uint_eq(chk_conf_ipvs_port(vs, &vs->rs->next->fwd,
	    vs->rs->next->port), 80);
	chk_rs_text(vs, vs->rs->next, text, sizeof(text));
	ck_assert_str_eq(text, "[10.0.1.4]:none:80");
	teardown(&l);
}
END_TEST

/* sh-port, sh-fallback, mh-port, mh-fallback are decided at their line
 * from the scheduler written so far, as keepalived 2.2.7's lbflags_handler
 * decides them: before lvs_sched, or under another scheduler, they are
 * ignored (warned here at file:line); once set, a later lvs_sched keeps
 * the kernel's bit. */
START_TEST(test_sched_flags_in_order)
{
	struct loaded l;
	const struct chk_vs_conf *vs;

	ck_assert_uint_eq(load_text(&l, "virtual_server 10.0.0.1 80 {\n"
	    "  sh-port\n  lb_algo sh\n  sh-fallback\n"		/* 2-4 */
	    "  real_server 10.0.1.1 80 {\n  }\n}\n"
	    "virtual_server 10.0.0.1 81 {\n"
	    "  lvs_sched sh\n  mh-port\n  sh-port\n"		/* 9-11 */
	    "  real_server 10.0.1.1 80 {\n  }\n}\n"
	    "virtual_server 10.0.0.1 82 {\n"
	    "  lvs_sched mh\n  mh-port\n  lvs_sched wrr\n"	/* 16-18 */
	    "  real_server 10.0.1.1 80 {\n  }\n}\n"), 0);
	ck_assert_msg(strstr(l.msgs, "t.conf:2: sh-port: only applies to the "
	    "sh scheduler, and lvs_sched is not set before this line - "
	    "ignoring (as keepalived 2.2.7 does: write lvs_sched sh first)")
	    != NULL, "%s", l.msgs);
	ck_assert_msg(strstr(l.msgs, "t.conf:10: mh-port: only applies to "
	    "the mh scheduler, and lvs_sched is sh at this line - ignoring")
	    != NULL, "%s", l.msgs);
	ck_assert_ptr_null(strstr(l.msgs, "t.conf:4:"));
	ck_assert_ptr_null(strstr(l.msgs, "t.conf:11:"));
	ck_assert_ptr_null(strstr(l.msgs, "t.conf:17:"));
	vs = l.chk->vs;
	ck_assert_str_eq(vs->sched, "sh");
	ck_assert_uint_eq(vs->flags, CHK_VS_F_FLAG1);	/* sh-fallback */
	vs = vs->next;
	ck_assert_uint_eq(vs->flags, CHK_VS_F_FLAG2);	/* sh-port */
	vs = vs->next;
	ck_assert_str_eq(vs->sched, "wrr");
	ck_assert_uint_eq(vs->flags, CHK_VS_F_FLAG2);	/* kept, as there */
	teardown(&l);
}
END_TEST

/* Real servers of one virtual server that end up as one IPVS destination
 * (DR and TUN take the virtual server's port, a fwmark's none; NAT
 * without a port the virtual server's): each after the first is warned
 * about at its line, naming the first at its own, and all of them are
 * marked, the first in the file named by the others. keepalived 2.2.7
 * resets the ports quietly and lets both change the one entry. */
START_TEST(test_shared_destination)
{
	struct loaded l;
	const struct chk_vs_conf *vs;
	const struct chk_rs_conf *a, *b, *c, *other, *nat;

	ck_assert_uint_eq(load_text(&l, "virtual_server 10.0.0.1 80 {\n"
	    "  protocol TCP\n  lb_kind DR\n"
	    "  real_server 10.0.1.1 8080 {\n  }\n"		/* 4 */
	    "  real_server 10.0.1.2 8080 {\n  }\n"		/* 6 */
	    "  real_server 10.0.1.1 80 {\n  }\n"			/* 8 */
	    "  real_server 10.0.1.1 0 {\n  }\n"			/* 10 */
	    "  real_server 10.0.1.3 81 {\n    lvs_method NAT\n  }\n"
	    "  real_server 10.0.1.3 82 {\n    lvs_method NAT\n  }\n"
	    "}\n"
	    "virtual_server fwmark 3 {\n  lb_kind TUN\n"
	    "  real_server 10.0.2.1 80 {\n  }\n"			/* 20 */
	    "  real_server 10.0.2.1 443 {\n  }\n"		/* 22 */
	    "}\n"), 0);
	ck_assert_msg(strstr(l.msgs, "t.conf:8: real_server: "
	    "[10.0.0.1]:tcp:80: real server [10.0.1.1]:80 is the IPVS "
	    "destination [10.0.1.1]:80 of real server [10.0.1.1]:8080 at "
	    "t.conf:4 too (DR and TUN take the virtual server's port) - the "
	    "entry is in the table while every real server on it is up, "
	    "with the weight and settings of the one at t.conf:4") != NULL,
	    "%s", l.msgs);
	ck_assert_msg(strstr(l.msgs, "t.conf:10: real_server: "
	    "[10.0.0.1]:tcp:80: real server [10.0.1.1]:0 is the IPVS "
	    "destination [10.0.1.1]:80 of real server [10.0.1.1]:8080 at "
	    "t.conf:4 too") != NULL, "%s", l.msgs);
	ck_assert_msg(strstr(l.msgs, "t.conf:23: real_server: fwmark 3: "
	    "real server [10.0.2.1]:443 is the IPVS destination "
	    "[10.0.2.1]:0 of real server [10.0.2.1]:80 at t.conf:21 too "
	    "(fwmark services take no port for DR and TUN)") != NULL, "%s",
	    l.msgs);
	/* once each: the first is not warned about, nor a real server
	 * alone on its entry (10.0.1.2; NAT ones keep their ports) */
	ck_assert_ptr_null(strstr(l.msgs, "t.conf:4: real_server: "
	    "[10.0.0.1]:tcp:80: real server"));
	ck_assert_ptr_null(strstr(l.msgs, "[10.0.1.2]:8080 is the IPVS"));
	ck_assert_ptr_null(strstr(l.msgs, "[10.0.1.3]:82 is the IPVS"));
	vs = l.chk->vs;
	a = vs->rs;
	other = a->next;
	b = other->next;
	c = b->next;
	nat = c->next;
	ck_assert_int_eq(a->dest_share, CHK_DEST_FIRST);
	ck_assert_int_eq(b->dest_share, CHK_DEST_LATER);
	ck_assert_int_eq(c->dest_share, CHK_DEST_LATER);
	ck_assert_int_eq(other->dest_share, CHK_DEST_OWN);
	ck_assert_int_eq(nat->dest_share, CHK_DEST_OWN);
	ck_assert_int_eq(nat->next->dest_share, CHK_DEST_OWN);
	a = vs->next->rs;
	ck_assert_int_eq(a->dest_share, CHK_DEST_FIRST);
	ck_assert_int_eq(a->next->dest_share, CHK_DEST_LATER);
	teardown(&l);
}
END_TEST

/* ---- diff ------------------------------------------------------------------- */

struct ev_log {
	unsigned n;
	enum conf_diff_kind kind[16];
	int is_rs[16];
};

static void
on_ev(void *arg, const struct chk_conf_diff_ev *ev)
{
	struct ev_log *log = arg;

	if (log->n < 16) {
		log->kind[log->n] = ev->kind;
		log->is_rs[log->n] = ev->is_rs;
	}
	log->n++;
	if (ev->kind == CONF_DIFF_ADDED)
		ck_assert_ptr_null(ev->is_rs ? (const void *)ev->rs_old :
		    (const void *)ev->vs_old);
	if (ev->kind == CONF_DIFF_REMOVED)
		ck_assert_ptr_null(ev->is_rs ? (const void *)ev->rs_new :
		    (const void *)ev->vs_new);
}

#define DIFF_BASE(port, w) \
	"virtual_server 10.0.0.1 " port " {\n  lb_algo rr\n" \
	"  real_server 10.0.1.1 80 {\n    weight " w "\n" \
	"    TCP_CHECK {\n    }\n  }\n" \
	"  real_server 10.0.1.2 80 {\n  }\n}\n" \
	"virtual_server fwmark 7 {\n  real_server 10.0.2.1 80 {\n  }\n}\n"

static void
diff_texts(const char *a, const char *b, struct chk_conf_diff *d,
    struct ev_log *log)
{
	struct loaded la, lb;

	ck_assert_msg(load_text(&la, a) == 0, "%s", la.msgs);
	ck_assert_msg(load_text(&lb, b) == 0, "%s", lb.msgs);
	memset(log, 0, sizeof(*log));
	ck_assert_int_eq(chk_conf_diff(la.chk, lb.chk, d, on_ev, log), 0);
	teardown(&la);
	teardown(&lb);
}

START_TEST(test_diff)
{
	struct chk_conf_diff d;
	struct ev_log log;

	/* identical */
	diff_texts(DIFF_BASE("80", "1"), DIFF_BASE("80", "1"), &d, &log);
	ck_assert_uint_eq(d.vs.unchanged, 2);
	ck_assert_uint_eq(d.rs.unchanged, 3);
	ck_assert_uint_eq(d.vs.changed + d.vs.added + d.vs.removed, 0);
	ck_assert_uint_eq(d.rs.changed + d.rs.added + d.rs.removed, 0);
	ck_assert_uint_eq(log.n, 5);

	/* weight change */
	diff_texts(DIFF_BASE("80", "1"), DIFF_BASE("80", "3"), &d, &log);
	ck_assert_uint_eq(d.vs.unchanged, 2);
	ck_assert_uint_eq(d.rs.changed, 1);
	ck_assert_uint_eq(d.rs.unchanged, 2);

	/* a real server added, another removed */
	diff_texts(DIFF_BASE("80", "1"),
	    "virtual_server 10.0.0.1 80 {\n  lb_algo rr\n"
	    "  real_server 10.0.1.1 80 {\n    weight 1\n"
	    "    TCP_CHECK {\n    }\n  }\n"
	    "  real_server 10.0.1.3 80 {\n  }\n}\n"
	    "virtual_server fwmark 7 {\n  real_server 10.0.2.1 80 {\n  }\n}\n",
	    &d, &log);
	ck_assert_uint_eq(d.vs.unchanged, 2);
	ck_assert_uint_eq(d.rs.added, 1);
	ck_assert_uint_eq(d.rs.removed, 1);
	ck_assert_uint_eq(d.rs.unchanged, 2);

	/* VS port change: removed + added, with its real servers */
	diff_texts(DIFF_BASE("80", "1"), DIFF_BASE("81", "1"), &d, &log);
	ck_assert_uint_eq(d.vs.added, 1);
	ck_assert_uint_eq(d.vs.removed, 1);
	ck_assert_uint_eq(d.vs.unchanged, 1);
	ck_assert_uint_eq(d.rs.added, 2);
	ck_assert_uint_eq(d.rs.removed, 2);
	ck_assert_uint_eq(d.rs.unchanged, 1);

	/* VS setting change: the VS changed, its real servers untouched */
	diff_texts(DIFF_BASE("80", "1"), "virtual_server 10.0.0.1 80 {\n"
	    "  lb_algo wrr\n"
	    "  real_server 10.0.1.1 80 {\n    weight 1\n"
	    "    TCP_CHECK {\n    }\n  }\n"
	    "  real_server 10.0.1.2 80 {\n  }\n}\n"
	    "virtual_server fwmark 7 {\n  real_server 10.0.2.1 80 {\n  }\n}\n",
	    &d, &log);
	ck_assert_uint_eq(d.vs.changed, 1);
	ck_assert_uint_eq(d.vs.unchanged, 1);
	ck_assert_uint_eq(d.rs.unchanged, 3);

	/* checker setting change -> rs changed; timer inherited from VS */
	diff_texts(DIFF_BASE("80", "1"), "virtual_server 10.0.0.1 80 {\n"
	    "  lb_algo rr\n"
	    "  real_server 10.0.1.1 80 {\n    weight 1\n"
	    "    TCP_CHECK {\n      connect_timeout 2\n    }\n  }\n"
	    "  real_server 10.0.1.2 80 {\n  }\n}\n"
	    "virtual_server fwmark 7 {\n  real_server 10.0.2.1 80 {\n  }\n}\n",
	    &d, &log);
	ck_assert_uint_eq(d.rs.changed, 1);
	ck_assert_uint_eq(d.rs.unchanged, 2);
	ck_assert_uint_eq(d.vs.unchanged, 2);
}
END_TEST

/*
 * The comparison tables of a reload name every field of every struct they
 * describe, in order: a field added to a struct and not to its table
 * (which would make a reload keep the old setting) leaves a gap here.
 */
static void
check_layout(const struct chk_conf_layout *l, unsigned depth)
{
	size_t i, end = 0, k;
	const struct chk_conf_field *f;

	ck_assert_uint_lt(depth, 8);
	for (i = 0; i < l->nfields; i++) {
		f = &l->fields[i];
		ck_assert_msg(f->off == (end + f->align - 1) / f->align *
		    f->align, "%s: a field before %s is missing from its "
		    "comparison table", l->name, f->name);
		end = f->off + f->size;
		if (f->sub != NULL)
			check_layout(f->sub, depth + 1);
		if (f->how == CHK_CMP_UNION)
			for (k = 0; k < CHK_KIND_MAX; k++)
				if (f->variant[k] != NULL) {
					ck_assert_uint_le(f->variant[k]->size,
					    f->size);
					check_layout(f->variant[k], depth + 1);
				}
	}
	ck_assert_msg((end + l->align - 1) / l->align * l->align == l->size,
	    "%s: a field after %s is missing from its comparison table",
	    l->name, l->nfields > 0 ? l->fields[l->nfields - 1].name : "-");
}

/* Two objects differing in one compared field are unequal; in a skipped
 * one (identity, links, locations), equal. */
static void
check_fields_compared(const struct chk_conf_layout *l)
{
	char *a = calloc(1, l->size), *b = calloc(1, l->size);
	static char other[] = "x";
	const struct chk_conf_field *f;
	char *p = other;
	size_t i;

	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_nonnull(b);
	ck_assert(chk_conf_layout_eq(l, a, b));
	for (i = 0; i < l->nfields; i++) {
		f = &l->fields[i];
		memset(b, 0, l->size);
		switch (f->how) {
		case CHK_CMP_MEM:
		case CHK_CMP_CSTR:
			b[f->off] = 'x';
			break;
		case CHK_CMP_STR:
			memcpy(b + f->off, &p, sizeof(p));
			break;
		case CHK_CMP_ADDR:
			((struct vg_addr *)(void *)(b + f->off))->family =
			    AF_INET;
			break;
		case CHK_CMP_SKIP:
			memset(b + f->off, 0x5a, f->size);
			ck_assert_msg(chk_conf_layout_eq(l, a, b), "%s.%s is "
			    "compared", l->name, f->name);
			continue;
		default:
			continue;
		}
		ck_assert_msg(!chk_conf_layout_eq(l, a, b),
		    "%s.%s is not compared", l->name, f->name);
	}
	free(a);
	free(b);
}

/*
 * Real servers of a virtual server whose checkers would be equal once
 * finalized share one list: those differing only in their address and
 * port (the checkers' target), also after one that differs; not one whose
 * own settings the checker inherits differ (retry), nor one whose
 * checker names its own port, nor one in another virtual server.
 */
START_TEST(test_shared_checkers)
{
	struct loaded l;
	struct chk_rs_conf *a, *b, *c, *d, *e, *f;
	const struct chk_checker_conf *ck;
	char buf[ADDR_STRLEN];
	const char *text =
	    "virtual_server 10.0.0.1 80 {\n"
	    " delay_loop 7\n"
	    " real_server 10.1.0.1 80 {\n  TCP_CHECK {\n   connect_timeout 3\n"
	    "  }\n }\n"
	    " real_server 10.1.0.2 81 {\n  TCP_CHECK {\n   connect_timeout 3\n"
	    "  }\n }\n"
	    " real_server 10.1.0.3 80 {\n  retry 4\n  TCP_CHECK {\n"
	    "   connect_timeout 3\n  }\n }\n"
	    " real_server 10.1.0.4 80 {\n  TCP_CHECK {\n   connect_timeout 3\n"
	    "   connect_port 8080\n  }\n }\n"
	    " real_server 10.1.0.5 80 {\n  TCP_CHECK {\n   connect_timeout 3\n"
	    "  }\n }\n"
	    "}\n"
	    "virtual_server 10.0.0.1 443 {\n"
	    " real_server 10.1.0.1 80 {\n  TCP_CHECK {\n   connect_timeout 3\n"
	    "  }\n }\n"
	    "}\n"
	    "virtual_server 10.0.0.1 8080 {\n"
	    " real_server 10.2.0.1 80 {\n  virtualhost a.example\n"
	    "  HTTP_GET {\n   url {\n    path /\n   }\n  }\n }\n"
	    " real_server 10.2.0.2 80 {\n  virtualhost b.example\n"
	    "  HTTP_GET {\n   url {\n    path /\n   }\n  }\n }\n"
	    " real_server 10.2.0.3 80 {\n  virtualhost a.example\n"
	    "  HTTP_GET {\n   url {\n    path /\n   }\n  }\n }\n"
	    "}\n";

	ck_assert_uint_eq(load_text(&l, text), 0);
	a = find_rs(l.chk->vs, "10.1.0.1", 80);
	b = find_rs(l.chk->vs, "10.1.0.2", 81);
	c = find_rs(l.chk->vs, "10.1.0.3", 80);
	d = find_rs(l.chk->vs, "10.1.0.4", 80);
	e = find_rs(l.chk->vs, "10.1.0.5", 80);
	f = find_rs(l.chk->vs->next, "10.1.0.1", 80);
	ck_assert(a != NULL && b != NULL && c != NULL && d != NULL &&
	    e != NULL && f != NULL);
	ck_assert_ptr_eq(a->checks->list, b->checks->list);
	ck_assert_ptr_eq(a->checks->list, e->checks->list);	/* after c and d */
	/* with the settings they inherit: one struct, resolved once */
	ck_assert_ptr_eq(a->checks, b->checks);
	ck_assert_ptr_eq(a->checks, e->checks);
	ck_assert_ptr_ne(a->checks, c->checks);
	ck_assert_uint_eq(a->checks->n, 1);
	ck_assert_uint_eq(a->checks->delay_loop, 7000000);	/* the VS's */
	ck_assert_int_eq(c->checks->retry, 4);
	/* a real server's own configuration: 128 bytes on LP64 */
	if (sizeof(void *) == 8)
		ck_assert_uint_le(sizeof(struct chk_rs_conf), 128);
	ck_assert_ptr_ne(a->checks->list, c->checks->list);
	ck_assert_ptr_ne(a->checks->list, d->checks->list);
	ck_assert_ptr_ne(a->checks->list, f->checks->list);
	/* the shared one holds the effective settings... */
	ck = a->checks->list;
	ck_assert_uint_eq(ck->conn.connect_timeout, 3000000);
	ck_assert_uint_eq(ck->delay_loop, 7000000);	/* the VS's */
	ck_assert_int_eq(ck->retry, 1);
	ck_assert_int_eq(c->checks->list->retry, 4);	/* its RS's */
	ck_assert_uint_eq(f->checks->list->delay_loop, CHK_DEF_DELAY_LOOP);
	/* ...and each real server's target is its own */
	ck_assert_str_eq(addr_ntop(chk_conf_conn_addr(&ck->conn, b), buf,
	    sizeof(buf)), "10.1.0.2");
	ck_assert_uint_eq(chk_conf_conn_port(&ck->conn, ck->kind, b), 81);
	ck_assert_uint_eq(chk_conf_conn_port(&ck->conn, ck->kind, e), 80);
	ck_assert_uint_eq(chk_conf_conn_port(&d->checks->list->conn,
	    d->checks->list->kind, d), 8080);
	/* a setting the checker inherits from its real server (the
	 * URLs' virtualhost) tells lists apart */
	a = find_rs(l.chk->vs->next->next, "10.2.0.1", 80);
	b = find_rs(l.chk->vs->next->next, "10.2.0.2", 80);
	c = find_rs(l.chk->vs->next->next, "10.2.0.3", 80);
	ck_assert(a != NULL && b != NULL && c != NULL);
	ck_assert_ptr_eq(a->checks->list, c->checks->list);
	ck_assert_ptr_ne(a->checks->list, b->checks->list);
	ck_assert_str_eq(a->checks->list->u.http.urls->virtualhost, "a.example");
	ck_assert_str_eq(b->checks->list->u.http.urls->virtualhost, "b.example");
	teardown(&l);
}
END_TEST

/* A built configuration's arena gives back its chunks' unused pages
 * (the checker child does once its configuration is built): what was
 * handed out stays, and what comes after is zeroed as ever. */
START_TEST(test_arena_trim)
{
	struct arena *a = arena_new();
	unsigned char *p[64], *q;

	ck_assert_ptr_nonnull(a);
	arena_trim(a);			/* empty: nothing to do */
	for (unsigned i = 0; i < 64; i++) {
		ck_assert_ptr_nonnull(p[i] = arena_alloc(a, 3000 + i));
		memset(p[i], (int)i + 1, 3000 + i);
	}
	arena_trim(a);
	for (unsigned i = 0; i < 64; i++)
		for (unsigned k = 0; k < 3000 + i; k += 997)
			ck_assert_uint_eq(p[i][k], i + 1);
	for (unsigned i = 0; i < 8; i++) {
		ck_assert_ptr_nonnull(q = arena_alloc(a, 100000));
		for (unsigned k = 0; k < 100000; k += 4096)
			ck_assert_uint_eq(q[k], 0);
		memset(q, 0xff, 100000);
		arena_trim(a);
	}
	arena_free(a);
}
END_TEST

START_TEST(test_diff_tables)
{
	check_layout(&chk_conf_vs_layout, 0);
	check_layout(&chk_conf_rs_layout, 0);
	check_fields_compared(&chk_conf_vs_layout);
	check_fields_compared(&chk_conf_rs_layout);
	check_layout(&chk_conf_rs_checks_layout, 0);
	check_fields_compared(&chk_conf_rs_checks_layout);
}
END_TEST

/* ---- scale ----------------------------------------------------------------- */

START_TEST(test_many_real_servers)
{
	const unsigned n = 10000;
	size_t cap = (size_t)n * 96 + 256, len = 0;
	char *text = malloc(cap);
	struct loaded l;
	struct timespec t0, t1;
	double ms;
	unsigned i, nerr;
	struct chk_conf_diff d;

	ck_assert_ptr_nonnull(text);
	len += (size_t)snprintf(text + len, cap - len,
	    "virtual_server 10.0.0.1 80 {\n  lb_algo wlc\n");
	for (i = 0; i < n; i++)
		len += (size_t)snprintf(text + len, cap - len,
		    "  real_server 10.%u.%u.%u 8080 {\n    weight 1\n"
		    "    TCP_CHECK {\n    }\n  }\n", 1 + i / 65536,
		    (i / 256) % 256, i % 256);
	/* one duplicate at the very end */
	len += (size_t)snprintf(text + len, cap - len,
	    "  real_server 10.1.0.0 8080 {\n  }\n}\n");
	clock_gettime(CLOCK_MONOTONIC, &t0);
	nerr = load_text(&l, text);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
	printf("test_check_conf: %u real servers loaded in %.1f ms\n", n, ms);
	ck_assert_uint_eq(nerr, 0);
	ck_assert_uint_eq(l.chk->vs->nrs, n);
	ck_assert_ptr_nonnull(strstr(l.msgs, "already configured"));
	ck_assert_ptr_nonnull(find_rs(l.chk->vs, "10.1.39.15", 8080));
	/* the diff against itself is linear too */
	ck_assert_int_eq(chk_conf_diff(l.chk, l.chk, &d, NULL, NULL), 0);
	ck_assert_uint_eq(d.rs.unchanged, n);
	teardown(&l);
	free(text);
}
END_TEST

/* Names, paths and commands with blanks, quotes, comment characters and
 * braces are dumped as words that read back as themselves. */
START_TEST(test_dump_quoting)
{
	struct loaded l;
	char *dump = NULL;
	size_t dlen = 0;
	FILE *fp;

	ck_assert_uint_eq(load_text(&l,
	    "virtual_server_group \"G {1}\" {\n"
	    "    10.0.0.1 80\n"
	    "}\n"
	    "virtual_server group \"G {1}\" {\n"
	    "    protocol TCP\n"
	    "    quorum_up \"/bin/echo \\\"up #1\\\" 'a b'\"\n"
	    "    real_server 10.0.1.1 80 {\n"
	    "        notify_down \"/bin/logger \\\"rs !down\\\"\"\n"
	    "        HTTP_GET {\n"
	    "            url {\n"
	    "                path \"/a b#c\"\n"
	    "                virtualhost \"h {x}\"\n"
	    "            }\n"
	    "        }\n"
	    "        MISC_CHECK {\n"
	    "            misc_path \"/bin/sh -c \\\"exit 0\\\"\"\n"
	    "        }\n"
	    "    }\n"
	    "}\n"), 0);
	fp = open_memstream(&dump, &dlen);
	chk_conf_dump(l.chk, fp);
	fclose(fp);
	ck_assert(dump_reads_back(dump, "virtual_server_group ", "x",
	    "G {1}"));
	ck_assert(dump_reads_back(dump, "virtual_server group ", "x",
	    "G {1}"));
	ck_assert(dump_reads_back(dump, "quorum_up ", "quorum_up",
	    "/bin/echo \"up #1\" 'a b'"));
	ck_assert(dump_reads_back(dump, "notify_down ", "notify_down",
	    "/bin/logger \"rs !down\""));
	ck_assert(dump_reads_back(dump, "url ", "x", "/a b#c"));
	ck_assert(dump_reads_back(dump, "url \"/a b#c\" host ", "x", "h {x}"));
	ck_assert(dump_reads_back(dump, "misc_path ", "misc_path",
	    "/bin/sh -c \"exit 0\""));
	free(dump);
	teardown(&l);
}
END_TEST

static Suite *
check_conf_suite(void)
{
	Suite *s = suite_create("check_conf");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_samples, 0,
	    (int)(sizeof(samples) / sizeof(samples[0])));
	tcase_add_test(tc, test_sample_values);
	tcase_add_test(tc, test_typed_values);
	tcase_add_loop_test(tc, test_validation, 0,
	    (int)(sizeof(bad) / sizeof(bad[0])));
	tcase_add_test(tc, test_validation_effects);
	tcase_add_test(tc, test_validation_ipvs_effects);
	tcase_add_test(tc, test_sched_flags_in_order);
	tcase_add_test(tc, test_shared_destination);
	tcase_add_test(tc, test_diff);
	tcase_add_test(tc, test_diff_tables);
	tcase_add_test(tc, test_arena_trim);
	tcase_add_test(tc, test_shared_checkers);
	tcase_add_test(tc, test_many_real_servers);
	tcase_add_test(tc, test_dump_quoting);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return check_run(check_conf_suite());
}

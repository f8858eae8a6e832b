/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The VRRP child's kernel side against the kernel: addresses, routes,
 * rules, static items, VMACs. Items come from configuration text, parsed
 * as vigild parses it; what the kernel holds is read back with ip(8).
 * Runs as root in a network namespace of its own (netns_test.h).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <stdarg.h>
#include <event2/event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "loop.h"
#include "vrrp/iface.h"
#include "vrrp/instance.h"
#include "vrrp/socket.h"
#include "vrrp/static.h"
#include "vrrp/vip.h"
#include "vrrp/vmac.h"

#include "vrrp_conf_test.h"
#include "netns_test.h"
#include "check_run.h"

/* Whether text holds none of the strings (NULL-terminated); the first
 * it holds is told. */
static int
none_of(const char *text, ...)
{
	const char *w;
	va_list ap;
	int ok = 1;

	va_start(ap, text);
	while (ok && (w = va_arg(ap, const char *)) != NULL)
		if (strstr(text, w) != NULL) {
			fprintf(stderr, "'%s' in: %s\n", w, text);
			ok = 0;
		}
	va_end(ap);
	return ok;
}

/* ---- addresses ------------------------------------------------------- */

static const char addr_conf[] =
    "static_ipaddress {\n"
    "  10.9.0.1/24 dev veth0 brd + scope host label veth0:one\n"
    "  10.9.1.1/24 dev veth0 brd - noprefixroute\n"
    "  10.9.2.1/24 dev veth0 brd 10.9.2.77\n"
    "  10.9.3.1 dev veth0 peer 10.9.3.2/32\n"
    "  2001:db8::1/64 dev veth0 nodad preferred_lft 0\n"
    "  2001:db8:1::1/64 dev veth0 nodad noprefixroute preferred_lft 100\n"
    "  2001:db8:2::1/64 dev veth0 home nodad mngtmpaddr\n"
    "  239.1.1.1/32 dev veth0 autojoin\n"
    "  2001:db8:3::1/64 dev veth0\n"
    "  2001:db8:4::1/64 dev veth0 -nodad\n"
    "  2001:db8:5::1 dev veth0\n"
    "}\n";

START_TEST(test_addr_options)
{
	struct vrrp_kernel *k = kernel();
	const struct vrrp_conf_ipaddr *a;
	struct loaded l;
	char *out, *rt;
	int round;

	load_str(&l, addr_conf);
	ck_assert_uint_eq(l.nerr, 0);
	ck_assert_uint_eq(l.vc->static_addrs.n, 11);
	for (round = 0; round < 2; round++)	/* the second adopts */
		for (a = l.vc->static_addrs.first; a != NULL; a = a->next)
			ck_assert_int_eq(vrrp_vip_add(k, a, idx("veth0")), 0);
	out = sh_out("ip -d addr show dev veth0");
	ck_assert(line_has(out, "inet 10.9.0.1/24", "brd 10.9.0.255",
	    "scope host", "veth0:one", NULL));
	ck_assert(line_has(out, "inet 10.9.1.1/24", "brd 10.9.1.0",
	    "scope global", "noprefixroute", NULL));
	ck_assert(line_has(out, "inet 10.9.2.1/24", "brd 10.9.2.77", NULL));
	ck_assert(line_has(out, "inet 10.9.3.1 peer 10.9.3.2/32", NULL));
	ck_assert(line_has(out, "inet6 2001:db8::1/64", "nodad", "deprecated",
	    NULL));
	ck_assert(line_has(out, "inet6 2001:db8:1::1/64", "nodad",
	    "noprefixroute", NULL));
	ck_assert(line_has(out, "inet6 2001:db8:2::1/64", "home",
	    "mngtmpaddr", NULL));
	ck_assert(line_has(out, "inet 239.1.1.1/32", "autojoin", NULL));
	/* IPv6 skips DAD unless told -nodad, as keepalived's */
	ck_assert(line_has(out, "inet6 2001:db8:3::1/64", "nodad", NULL));
	ck_assert(line_has(out, "inet6 2001:db8:4::1/64", NULL));
	ck_assert(!line_has_word(out, "inet6 2001:db8:4::1/64", "nodad"));
	ck_assert(!line_has_word(out, "inet6 2001:db8:4::1/64",
	    "deprecated"));
	/* an IPv6 /128 is deprecated unless told otherwise, as keepalived's:
	 * never the source of the director's own connections */
	ck_assert(line_has(out, "inet6 2001:db8:5::1/128", "deprecated",
	    NULL));
	ck_assert_msg(strstr(out, "preferred_lft 0sec") != NULL, "%s", out);
	ck_assert_msg(strstr(out, "preferred_lft 100sec") != NULL ||
	    strstr(out, "preferred_lft 99sec") != NULL, "%s", out);
	ck_assert_uint_eq(count(out, "inet 10.9.0.1/"), 1);
	free(out);
	/* noprefixroute: no connected route for that one */
	rt = sh_out("ip route show; ip -6 route show");
	ck_assert_ptr_null(strstr(rt, "10.9.1.0/24"));
	ck_assert_ptr_nonnull(strstr(rt, "10.9.2.0/24"));
	ck_assert_ptr_null(strstr(rt, "2001:db8:1::/64"));
	ck_assert_ptr_nonnull(strstr(rt, "2001:db8::/64"));
	free(rt);

	for (round = 0; round < 2; round++)	/* the second finds none */
		for (a = l.vc->static_addrs.first; a != NULL; a = a->next)
			ck_assert_int_eq(vrrp_vip_del(k, a, idx("veth0")), 0);
	out = sh_out("ip addr show dev veth0");
	ck_assert_ptr_null(strstr(out, "10.9."));
	ck_assert_ptr_null(strstr(out, "2001:db8:"));
	ck_assert_ptr_null(strstr(out, "239.1.1.1"));
	free(out);

	/* an error comes back as -errno */
	a = l.vc->static_addrs.first;
	ck_assert_int_lt(vrrp_vip_add(k, a, 99999), 0);
	vrrp_kernel_free(k);
	unload(&l);
}
END_TEST


/* ---- addresses in batches ---------------------------------------------- */

/* 20 addresses: more than one batch holds */
static const char batch_conf[] =
    "static_ipaddress {\n"
    "  10.8.0.1/24 dev veth0\n  10.8.0.2/24 dev veth0\n"
    "  10.8.0.3/24 dev veth0\n  10.8.0.4/24 dev veth0\n"
    "  10.8.0.5/24 dev veth0\n  10.8.0.6/24 dev veth0\n"
    "  10.8.0.7/24 dev veth0\n  10.8.0.8/24 dev veth0\n"
    "  10.8.0.9/24 dev veth0\n  10.8.0.10/24 dev veth0\n"
    "  10.8.0.11/24 dev veth0\n  10.8.0.12/24 dev veth0\n"
    "  10.8.0.13/24 dev veth0\n  10.8.0.14/24 dev veth0\n"
    "  10.8.0.15/24 dev veth0\n  10.8.0.16/24 dev veth0\n"
    "  2001:db8:8::17/64 dev veth0\n  10.8.0.18/24 dev veth0\n"
    "  10.8.0.19/24 dev veth0\n  10.8.0.20/24 dev veth0\n"
    "}\n";

/*
 * A batch adds what a request at a time adds, each answer taken on its
 * own: one request failing (no such interface) fails alone, the others
 * go in; adding again adopts, removing twice finds none; a request after
 * a batch still gets its own answer.
 */
START_TEST(test_addr_batch)
{
	struct vrrp_kernel *k = kernel();
	const struct vrrp_conf_ipaddr *a;
	struct vrrp_nl_batch b;
	struct loaded l;
	char *out;
	int round;

	load_str(&l, batch_conf);
	ck_assert_uint_eq(l.nerr, 0);
	ck_assert_uint_eq(l.vc->static_addrs.n, 20);
	memset(&b, 0, sizeof(b));
	for (a = l.vc->static_addrs.first; a != NULL; a = a->next) {
		ck_assert_int_eq(vrrp_vip_batch_add(k, &b, a, idx("veth0"),
		    1), 0);
		if (a->next != NULL && a->next->next == NULL)
			/* one the kernel refuses, among the others */
			ck_assert_int_eq(vrrp_vip_batch_add(k, &b, a, 99999, 1),
			    0);
	}
	/* the first 16 went when the 17th came, and the failure is counted
	 * with those of the rest */
	ck_assert_uint_eq(b.n, 5);
	ck_assert_int_eq(vrrp_nl_batch_send(k, &b), 1);
	for (a = l.vc->static_addrs.first; a != NULL; a = a->next)
		vrrp_vip_batch_add(k, &b, a, a->next == NULL ? 99999 :
		    idx("veth0"), 1);
	ck_assert_uint_eq(b.n, 4);
	ck_assert_int_eq(vrrp_nl_batch_send(k, &b), 1);
	ck_assert_uint_eq(b.n, 0);
	/* no interface: no request, an error at once */
	ck_assert_int_eq(vrrp_vip_batch_add(k, &b, a = l.vc->static_addrs.first,
	    0, 1), -ENODEV);
	ck_assert_int_eq(vrrp_nl_batch_send(k, &b), 0);
	out = sh_out("ip addr show dev veth0");
	ck_assert_uint_eq(count(out, "inet 10.8.0."), 19);
	ck_assert_ptr_nonnull(strstr(out, "inet 10.8.0.20/24"));
	ck_assert_ptr_nonnull(strstr(out, "inet6 2001:db8:8::17/64"));
	free(out);

	/* adding again adopts */
	for (a = l.vc->static_addrs.first; a != NULL; a = a->next)
		vrrp_vip_batch_add(k, &b, a, idx("veth0"), 1);
	ck_assert_int_eq(vrrp_nl_batch_send(k, &b), 0);
	/* one request at a time still works beside batches */
	ck_assert_int_eq(vrrp_vip_del(k, l.vc->static_addrs.first,
	    idx("veth0")), 0);
	ck_assert_int_eq(vrrp_vip_add(k, l.vc->static_addrs.first,
	    idx("veth0")), 0);

	for (round = 0; round < 2; round++) {	/* the second finds none */
		for (a = l.vc->static_addrs.first; a != NULL; a = a->next)
			vrrp_vip_batch_add(k, &b, a, idx("veth0"), 0);
		ck_assert_int_eq(vrrp_nl_batch_send(k, &b), 0);
	}
	out = sh_out("ip addr show dev veth0");
	ck_assert_ptr_null(strstr(out, "10.8.0."));
	ck_assert_ptr_null(strstr(out, "2001:db8:8::"));
	free(out);
	/* nothing queued: nothing sent */
	ck_assert_int_eq(vrrp_nl_batch_send(k, &b), 0);
	vrrp_kernel_free(k);
	unload(&l);
}
END_TEST

/* ---- routes and rules ------------------------------------------------ */

static const char route_conf[] =
    "static_routes {\n"
    "  10.20.0.0/16 via 10.9.0.254 dev veth0 table 100 metric 5\n"
    "  blackhole 10.30.0.0/16\n"
    "  unreachable 10.50.0.0/16 table 101\n"
    "  10.40.0.0/16 dev veth0 mtu 1400 proto static\n"
    "  10.60.0.0/16 via 10.99.0.1 dev veth0 onlink\n"
    "  2001:db8:5::/48 via 2001:db8::fe dev veth0 metric 7\n"
    "  10.70.0.0/16 src 10.9.0.1 nexthop via 10.9.0.253 dev veth0 "
    "weight 2 nexthop via 10.9.0.252 dev veth0\n"
    "  10.80.0.0/16 dev veth0 rtt 100ms congctl lock reno realms 1/2 "
    "advmss 1300 rttvar lock 20ms features ecn quickack 1 hoplimit 32\n"
    "  2001:db8:6::/48 dev veth0 pref high expires 300\n"
    "}\n"
    "static_rules {\n"
    "  from 10.9.0.0/24 table 100 priority 1000\n"
    "  to 10.20.0.0/16 table 101 priority 1001\n"
    "  fwmark 0x10/0xff table 102 priority 1002\n"
    "  from 2001:db8::/64 table 103 priority 1003\n"
    "  not from 10.8.0.0/16 iif veth0 goto 1010 priority 1004\n"
    "  ipproto tcp dport 80 sport 1000-2000 uidrange 100-200 "
    "suppress_prefixlength 0 protocol static table 104 priority 1005\n"
    "}\n";

static void
check_routes_present(void)
{
	char *out = sh_out("ip route show table all; ip -6 route show "
	    "table all");

	ck_assert(line_has(out, "10.20.0.0/16", "via 10.9.0.254",
	    "dev veth0", "table 100", "proto keepalived", "metric 5", NULL));
	ck_assert(line_has(out, "blackhole 10.30.0.0/16", NULL));
	ck_assert(line_has(out, "unreachable 10.50.0.0/16", "table 101",
	    NULL));
	ck_assert(line_has(out, "10.40.0.0/16", "dev veth0", "proto static",
	    "scope link", "mtu 1400", NULL));
	ck_assert(line_has(out, "10.60.0.0/16", "via 10.99.0.1", "onlink",
	    NULL));
	ck_assert(line_has(out, "2001:db8:5::/48", "via 2001:db8::fe",
	    "metric 7", NULL));
	ck_assert(line_has(out, "10.70.0.0/16", "src 10.9.0.1", NULL));
	ck_assert_ptr_nonnull(strstr(out, "nexthop via 10.9.0.253 dev veth0 "
	    "weight 2"));
	ck_assert_ptr_nonnull(strstr(out, "nexthop via 10.9.0.252 dev veth0 "
	    "weight 1"));
	ck_assert(line_has(out, "10.80.0.0/16", "rtt 100ms",
	    "congctl lock reno", "realms 1/2", "advmss 1300",
	    "rttvar lock 20ms", "features ecn", "quickack 1", "hoplimit 32",
	    NULL));
	ck_assert(line_has(out, "2001:db8:6::/48", "pref high", "expires",
	    NULL));
	ck_assert_uint_eq(count(out, "10.20.0.0/16"), 1);
	free(out);
	out = sh_out("ip rule show; ip -6 rule show");
	ck_assert(line_has(out, "1000:", "from 10.9.0.0/24 lookup 100", NULL));
	ck_assert(line_has(out, "1001:", "from all to 10.20.0.0/16 lookup 101",
	    NULL));
	ck_assert(line_has(out, "1002:", "fwmark 0x10/0xff lookup 102", NULL));
	ck_assert(line_has(out, "1003:", "from 2001:db8::/64 lookup 103",
	    NULL));
	ck_assert(line_has(out, "1004:", "not from 10.8.0.0/16", "iif veth0",
	    "goto 1010", NULL));
	ck_assert(line_has(out, "1005:", "ipproto tcp", "dport 80",
	    "sport 1000-2000", "uidrange 100-200", "lookup 104",
	    "suppress_prefixlength 0", "proto static", NULL));
	ck_assert_uint_eq(count(out, "lookup 100"), 1);
	free(out);
}

START_TEST(test_routes_rules)
{
	struct vrrp_kernel *k = kernel();
	const struct vrrp_conf_route *r;
	const struct vrrp_conf_rule *u;
	struct loaded l;
	char *out;
	int round;

	ck_assert_int_eq(sh("ip addr add 10.9.0.1/24 dev veth0 && "
	    "ip addr add 2001:db8::1/64 dev veth0 nodad"), 0);
	load_str(&l, route_conf);
	ck_assert_uint_eq(l.nerr, 0);
	ck_assert_uint_eq(l.vc->static_routes.n, 9);
	ck_assert_uint_eq(l.vc->static_rules.n, 6);
	for (round = 0; round < 2; round++) {
		for (r = l.vc->static_routes.first; r != NULL; r = r->next)
			ck_assert_int_eq(vrrp_route_add(k, r, 0), 0);
		for (u = l.vc->static_rules.first; u != NULL; u = u->next)
			ck_assert_int_eq(vrrp_rule_add(k, u), 0);
	}
	check_routes_present();
	for (round = 0; round < 2; round++) {
		for (u = l.vc->static_rules.first; u != NULL; u = u->next)
			ck_assert_int_eq(vrrp_rule_del(k, u), 0);
		for (r = l.vc->static_routes.first; r != NULL; r = r->next)
			ck_assert_int_eq(vrrp_route_del(k, r, 0), 0);
	}
	out = sh_out("ip route show table all; ip -6 route show table all; "
	    "ip rule show; ip -6 rule show");
	ck_assert(none_of(out, "10.20.0.0", "10.30.0.0", "10.40.0.0",
	    "10.50.0.0", "10.60.0.0", "10.70.0.0", "2001:db8:5::", "lookup 10",
	    "goto", "10.80.0.0", "2001:db8:6::", NULL));
	free(out);
	unload(&l);

	/* a value the kernel cannot be given fails the item: left out, the
	 * rule or route would match more than it says; a route's metric
	 * that is not one is refused when the configuration is read */
	load_str(&l, "static_rules {\n dport 70000 table 105\n}\n"
	    "static_routes {\n 10.90.0.0/16 dev veth0 rtt soon\n}\n");
	ck_assert_uint_eq(l.nerr, 0);
	ck_assert_uint_eq(l.vc->static_routes.n, 0);
	ck_assert_ptr_nonnull(strstr(l.msgs, "invalid rtt soon"));
	ck_assert_int_eq(vrrp_rule_add(k, l.vc->static_rules.first), -EINVAL);
	out = sh_out("ip rule show; ip route show");
	ck_assert_ptr_null(strstr(out, "lookup 105"));
	ck_assert_ptr_null(strstr(out, "10.90.0.0"));
	free(out);
	vrrp_kernel_free(k);
	unload(&l);
}
END_TEST

/* ---- routes and rules in batches ------------------------------------- */

/* The error lines logged while captured. */
static char log_lines[8192];

static void
log_sink(void *arg, int prio, const char *msg)
{
	size_t n = strlen(log_lines);

	(void)arg;
	if (prio <= LOG_ERR)
		snprintf(log_lines + n, sizeof(log_lines) - n, "%s\n", msg);
}

/*
 * Addresses, routes and rules in one request: the kernel runs them in
 * the order queued (a route whose source is an address queued before it
 * goes in); a route and a rule the kernel refuses fail alone, each logged
 * naming its item and the kernel's error, and what comes after them is
 * done; removing them all in a batch finds the failed ones not there.
 */
static const char route_batch_conf[] =
    "static_ipaddress {\n"
    "  10.7.0.1/24 dev veth0\n"
    "}\n"
    "static_routes {\n"
    "  10.71.0.0/16 via 10.7.0.254 src 10.7.0.1\n"
    "  10.72.0.0/16 via 10.99.0.1 dev veth0\n"
    "  10.73.0.0/16 via 10.7.0.253 dev veth0 metric 9\n"
    "}\n"
    "static_rules {\n"
    "  from 10.7.0.0/24 table 120 priority 3000\n"
    "  from 10.7.1.0/24 goto 2000 priority 3001\n"
    "  to 10.71.0.0/16 table 121 priority 3002\n"
    "}\n";

START_TEST(test_route_rule_batch)
{
	struct vrrp_kernel *k = kernel();
	const struct vrrp_conf_route *r;
	const struct vrrp_conf_rule *u;
	struct vrrp_nl_batch b;
	struct loaded l;
	char *out;
	int round;

	load_str(&l, route_batch_conf);
	ck_assert_uint_eq(l.nerr, 0);
	ck_assert_uint_eq(l.vc->static_routes.n, 3);
	ck_assert_uint_eq(l.vc->static_rules.n, 3);
	memset(&b, 0, sizeof(b));
	log_lines[0] = '\0';
	log_capture(log_sink, NULL);
	ck_assert_int_eq(vrrp_vip_batch_add(k, &b, l.vc->static_addrs.first,
	    idx("veth0"), 1), 0);
	for (r = l.vc->static_routes.first; r != NULL; r = r->next)
		ck_assert_int_eq(vrrp_route_batch_add(k, &b, r, idx("veth0"),
		    1), 0);
	for (u = l.vc->static_rules.first; u != NULL; u = u->next)
		ck_assert_int_eq(vrrp_rule_batch_add(k, &b, u, 1), 0);
	ck_assert_uint_eq(b.n, 7);
	ck_assert_uint_eq(b.sends, 0);
	/* one sendmsg, two refused: each answer taken alone */
	ck_assert_int_eq(vrrp_nl_batch_send(k, &b), 2);
	log_capture(NULL, NULL);
	ck_assert_uint_eq(b.sends, 1);
	ck_assert_uint_eq(b.n, 0);
	ck_assert_int_eq(b.rc[0], 0);
	ck_assert_int_eq(b.rc[1], 0);
	ck_assert_int_eq(b.rc[2], -ENETUNREACH);
	ck_assert_int_eq(b.rc[3], 0);
	ck_assert_int_eq(b.rc[4], 0);
	ck_assert_int_eq(b.rc[5], -EINVAL);
	ck_assert_int_eq(b.rc[6], 0);
	ck_assert_str_eq(log_lines,
	    "test.conf:6: adding route 10.72.0.0/16: Network is unreachable\n"
	    "test.conf:11: adding rule: Invalid argument\n");
	out = sh_out("ip route show table all; ip rule show");
	ck_assert(line_has(out, "10.71.0.0/16", "via 10.7.0.254",
	    "src 10.7.0.1", NULL));
	ck_assert(line_has(out, "10.73.0.0/16", "via 10.7.0.253",
	    "metric 9", NULL));
	ck_assert_ptr_null(strstr(out, "10.72.0.0"));
	ck_assert(line_has(out, "3000:", "from 10.7.0.0/24 lookup 120", NULL));
	ck_assert(line_has(out, "3002:", "to 10.71.0.0/16 lookup 121", NULL));
	ck_assert_ptr_null(strstr(out, "3001:"));
	free(out);

	/* removed the other way round, twice: the second finds none, and
	 * neither minds the route that never went in; the backward goto is
	 * refused on removal too (as alone), the rest still removed */
	for (round = 0; round < 2; round++) {
		for (u = l.vc->static_rules.first; u != NULL; u = u->next)
			vrrp_rule_batch_add(k, &b, u, 0);
		for (r = l.vc->static_routes.first; r != NULL; r = r->next)
			vrrp_route_batch_add(k, &b, r, idx("veth0"), 0);
		vrrp_vip_batch_add(k, &b, l.vc->static_addrs.first,
		    idx("veth0"), 0);
		ck_assert_int_eq(vrrp_nl_batch_send(k, &b), 1);
		ck_assert_int_eq(b.rc[1], -EINVAL);
	}
	out = sh_out("ip addr show dev veth0; ip route show table all; "
	    "ip rule show");
	ck_assert(none_of(out, "10.7.0.1/", "10.71.0.0", "10.73.0.0",
	    "lookup 12", NULL));
	free(out);

	/* a rule with no request (a value the kernel cannot be given) fails
	 * at once, logged, and the batch goes on without it */
	unload(&l);
	load_str(&l, "static_rules {\n dport 70000 table 105\n"
	    " from 10.7.2.0/24 table 122 priority 3003\n}\n");
	ck_assert_uint_eq(l.nerr, 0);
	u = l.vc->static_rules.first;
	ck_assert_int_eq(vrrp_rule_batch_add(k, &b, u, 1), -EINVAL);
	ck_assert_int_eq(vrrp_rule_batch_add(k, &b, u->next, 1), 0);
	ck_assert_int_eq(vrrp_nl_batch_send(k, &b), 0);
	out = sh_out("ip rule show");
	ck_assert(line_has(out, "3003:", "lookup 122", NULL));
	ck_assert_ptr_null(strstr(out, "lookup 105"));
	free(out);
	ck_assert_int_eq(vrrp_rule_del(k, u->next), 0);
	vrrp_kernel_free(k);
	unload(&l);
}
END_TEST

/* static_*: installed, a reload adds and removes the difference, stop
 * removes them all. */
START_TEST(test_static_reload)
{
	struct vrrp_kernel *k = kernel();
	struct event_base *base = loop_new();
	struct vrrp_ifaces *ifs;
	struct loaded a, b;
	char *out;

	ck_assert_int_eq(sh("ip addr add 10.9.0.1/24 dev veth0"), 0);
	ifs = vrrp_ifaces_new(base, NULL, NULL, 0, 0);
	ck_assert_ptr_nonnull(ifs);
	load_str(&a, "global_defs {\n default_interface veth1\n}\n"
	    "static_ipaddress {\n 10.11.0.1/24 dev veth0\n"
	    " 10.11.0.2/24\n}\n"
	    "static_routes {\n 10.21.0.0/16 via 10.9.0.254\n"
	    " 10.22.0.0/16 via 10.9.0.254\n}\n"
	    "static_rules {\n from 10.11.0.0/24 table 110 priority 2000\n}\n");
	load_str(&b, "global_defs {\n default_interface veth1\n}\n"
	    "static_ipaddress {\n 10.11.0.3/24 dev veth0\n"
	    " 10.11.0.2/24\n}\n"
	    "static_routes {\n 10.22.0.0/16 via 10.9.0.254\n}\n"
	    "static_rules {\n from 10.12.0.0/24 table 111 priority 2001\n}\n");
	ck_assert_uint_eq(a.nerr + b.nerr, 0);
	ck_assert_int_eq(vrrp_static_apply(k, ifs, NULL, a.vc), 0);
	out = sh_out("ip addr; ip route; ip rule");
	ck_assert(line_has(out, "10.11.0.1/24", "veth0", NULL));
	ck_assert(line_has(out, "10.11.0.2/24", "veth1", NULL));
	ck_assert(line_has(out, "10.21.0.0/16", "via 10.9.0.254", NULL));
	ck_assert(line_has(out, "2000:", "lookup 110", NULL));
	free(out);

	ck_assert_int_eq(vrrp_static_apply(k, ifs, a.vc, b.vc), 0);
	out = sh_out("ip addr; ip route; ip rule");
	ck_assert_ptr_null(strstr(out, "10.11.0.1/"));
	ck_assert(line_has(out, "10.11.0.2/24", "veth1", NULL));
	ck_assert(line_has(out, "10.11.0.3/24", "veth0", NULL));
	ck_assert_ptr_null(strstr(out, "10.21.0.0"));
	ck_assert_ptr_nonnull(strstr(out, "10.22.0.0/16"));
	ck_assert_ptr_null(strstr(out, "lookup 110"));
	ck_assert(line_has(out, "2001:", "lookup 111", NULL));
	free(out);

	vrrp_static_release(k, ifs, b.vc);
	out = sh_out("ip addr; ip route; ip rule");
	ck_assert_msg(strstr(out, "10.11.0.") == NULL && strstr(out,
	    "10.22.0.0") == NULL && strstr(out, "lookup 111") == NULL, "%s",
	    out);
	ck_assert_ptr_nonnull(strstr(out, "10.9.0.1/24"));
	free(out);
	vrrp_ifaces_free(ifs);
	event_base_free(base);
	vrrp_kernel_free(k);
	unload(&a);
	unload(&b);
}
END_TEST

/* ---- VMAC ------------------------------------------------------------ */

/* vrrp_vmac_create for a VMAC named name on base with mac */
static int
vmac_create(struct vrrp_kernel *k, const char *name, int base,
    const unsigned char mac[6], int *ifindex)
{
	struct vrrp_link_spec s;

	memset(&s, 0, sizeof(s));
	s.kind = VRRP_LINK_VMAC;
	s.name = name;
	s.base = base;
	memcpy(s.mac, mac, 6);
	return vrrp_vmac_create(k, &s, ifindex);
}

START_TEST(test_vmac)
{
	struct vrrp_kernel *k = kernel();
	unsigned char mac[6], other[6];
	int ifindex = 0, again = 0, bad = 0;
	char *out;

	vrrp_vmac_mac(7, AF_INET, mac);
	ck_assert_mem_eq(mac, "\x00\x00\x5e\x00\x01\x07", 6);
	vrrp_vmac_mac(200, AF_INET6, other);
	ck_assert_mem_eq(other, "\x00\x00\x5e\x00\x02\xc8", 6);
	ck_assert_uint_eq(sysctl_get("veth0", "arp_ignore"), 0);

	ck_assert_int_eq(vmac_create(k, "vrrp.7", idx("veth0"), mac,
	    &ifindex), 0);
	ck_assert_int_eq(ifindex, idx("vrrp.7"));
	out = sh_out("ip -d link show vrrp.7");
	ck_assert_msg(strstr(out, "vrrp.7@veth0") != NULL, "%s", out);
	ck_assert_msg(strstr(out, "link/ether 00:00:5e:00:01:07") != NULL,
	    "%s", out);
	ck_assert_msg(strstr(out, "macvlan mode private") != NULL, "%s", out);
	ck_assert_msg(strstr(out, ",UP") != NULL, "%s", out);
	ck_assert_msg(strstr(out, "addrgenmode none") != NULL, "%s", out);
	free(out);
	ck_assert_uint_eq(sysctl_get("vrrp.7", "arp_ignore"), 1);
	ck_assert_uint_eq(sysctl_get("vrrp.7", "accept_local"), 1);
	ck_assert_uint_eq(sysctl_get("vrrp.7", "rp_filter"), 0);
	ck_assert_uint_eq(sysctl_get("veth0", "arp_ignore"), 1);
	ck_assert_uint_eq(sysctl_get("veth0", "arp_filter"), 1);

	/* a respawned child adopts it; a different MAC is not ours */
	ck_assert_int_eq(vmac_create(k, "vrrp.7", idx("veth0"), mac,
	    &again), 0);
	ck_assert_int_eq(again, ifindex);
	ck_assert_int_lt(vmac_create(k, "vrrp.7", idx("veth0"), other,
	    &bad), 0);
	ck_assert_int_eq(idx("vrrp.7"), ifindex);
	/* the same MAC under another name: made, but the kernel will not
	 * set it up beside the first; deleted again, nothing left */
	ck_assert_int_lt(vmac_create(k, "vrrp1.7", idx("veth0"), mac,
	    &bad), 0);
	ck_assert_int_eq(idx("vrrp1.7"), 0);
	ck_assert_uint_eq(sysctl_get("veth0", "arp_ignore"), 1);

	ck_assert_int_eq(vrrp_vmac_delete(k, ifindex), 0);
	ck_assert_int_eq(idx("vrrp.7"), 0);
	ck_assert_uint_eq(sysctl_get("veth0", "arp_ignore"), 0);
	ck_assert_uint_eq(sysctl_get("veth0", "arp_filter"), 0);
	ck_assert_int_eq(vrrp_vmac_delete(k, ifindex), 0);
	vrrp_kernel_free(k);
}
END_TEST

/* IPv6 over a VMAC: no address of its own making, the base's link-local
 * one given (or a configured source) */
START_TEST(test_vmac6)
{
	struct vrrp_kernel *k = kernel();
	struct vrrp_link_spec s;
	unsigned char mac[6];
	struct vg_addr src;
	int ifindex = 0, other = 0;
	char *out;

	ck_assert_int_eq(sh("ip link set veth0 addr 02:11:22:33:44:55 && "
	    "ip link set veth0 addrgenmode none && "
	    "ip -6 addr flush dev veth0 scope link"), 0);
	vrrp_vmac_mac(9, AF_INET6, mac);
	ck_assert_int_eq(vmac_create(k, "vrrp6.9", idx("veth0"), mac,
	    &ifindex), 0);
	ck_assert_int_eq(vrrp_vmac_link_local(k, ifindex, idx("veth0"), NULL),
	    0);
	out = sh_out("ip -6 addr show dev vrrp6.9");
	/* veth0 has none: made from its MAC */
	ck_assert_msg(strstr(out, "inet6 fe80::11:22ff:fe33:4455/64 scope "
	    "link") != NULL, "%s", out);
	ck_assert_uint_eq(count(out, "inet6 "), 1);
	free(out);
	/* IPv4's ARP settings are not needed: the base keeps its own */
	ck_assert_uint_eq(sysctl_get("vrrp6.9", "arp_ignore"), 1);
	ck_assert_uint_eq(sysctl_get("veth0", "arp_ignore"), 0);
	ck_assert_uint_eq(sysctl_get("veth0", "arp_filter"), 0);

	ck_assert_int_eq(sh("ip addr add fe80::abcd/64 dev veth0 nodad"), 0);
	ck_assert_int_eq(vrrp_vmac_link_local(k, ifindex, idx("veth0"), NULL),
	    0);
	ck_assert_int_eq(addr_parse("fe80::5", &src), 0);
	ck_assert_int_eq(vrrp_vmac_link_local(k, ifindex, idx("veth0"), &src),
	    0);
	out = sh_out("ip -6 addr show dev vrrp6.9");
	ck_assert_msg(strstr(out, "inet6 fe80::abcd/64") != NULL, "%s", out);
	ck_assert_msg(strstr(out, "inet6 fe80::5/64") != NULL, "%s", out);
	free(out);
	ck_assert_int_eq(vrrp_vmac_delete(k, ifindex), 0);

	/* an IPv6 instance's VMAC gets it with its settings, in the same
	 * request: the source given, else the base's */
	memset(&s, 0, sizeof(s));
	s.kind = VRRP_LINK_VMAC;
	s.name = "vrrp6.9";
	s.base = idx("veth0");
	s.v6 = 1;
	s.src = &src;
	memcpy(s.mac, mac, 6);
	ck_assert_int_eq(vrrp_vmac_create(k, &s, &ifindex), 0);
	s.name = "vrrp6.10";
	s.src = NULL;
	vrrp_vmac_mac(10, AF_INET6, s.mac);
	ck_assert_int_eq(vrrp_vmac_create(k, &s, &other), 0);
	out = sh_out("ip -6 addr show dev vrrp6.9; echo --; "
	    "ip -6 addr show dev vrrp6.10; ip -d link show vrrp6.10");
	ck_assert_msg(line_has(out, "inet6 fe80::5/64", "scope link", NULL),
	    "%s", out);
	ck_assert_msg(line_has(out, "inet6 fe80::abcd/64", "scope link",
	    NULL), "%s", out);
	ck_assert_uint_eq(count(out, "inet6 "), 2);
	ck_assert_msg(strstr(out, ",UP") != NULL, "%s", out);
	ck_assert_msg(strstr(out, "addrgenmode none") != NULL, "%s", out);
	ck_assert(strstr(out, "fe80::5/64") < strstr(out, "--"));
	free(out);
	ck_assert_int_eq(vrrp_vmac_delete(k, ifindex), 0);
	ck_assert_int_eq(vrrp_vmac_delete(k, other), 0);
	vrrp_kernel_free(k);
}
END_TEST

/*
 * The master the link is made under (a VRF in use; any master device
 * takes the same attribute, a bridge here: this kernel may lack vrf),
 * moved with vrrp_vmac_set_master; a link removed by hand is forgotten
 * (its base's ARP settings put back) and can be made again.
 */
START_TEST(test_vmac_master_gone)
{
	struct vrrp_kernel *k = kernel();
	struct vrrp_link_spec s;
	int ifindex = 0, again = 0;
	char *out;

	ck_assert_int_eq(sh("ip link add vgbr0 type bridge"), 0);
	memset(&s, 0, sizeof(s));
	s.kind = VRRP_LINK_VMAC;
	s.name = "vrrp.8";
	s.base = idx("veth0");
	s.master = idx("vgbr0");
	vrrp_vmac_mac(8, AF_INET, s.mac);
	ck_assert_int_eq(vrrp_vmac_create(k, &s, &ifindex), 0);
	out = sh_out("ip -d link show vrrp.8");
	ck_assert_msg(strstr(out, "master vgbr0") != NULL, "%s", out);
	free(out);
	ck_assert_int_eq(vrrp_vmac_set_master(k, ifindex, 0), 0);
	out = sh_out("ip -d link show vrrp.8");
	ck_assert_msg(strstr(out, "master") == NULL, "%s", out);
	free(out);
	/* adopted under another master: moved there */
	ck_assert_int_eq(vrrp_vmac_create(k, &s, &again), 0);
	ck_assert_int_eq(again, ifindex);
	out = sh_out("ip -d link show vrrp.8");
	ck_assert_msg(strstr(out, "master vgbr0") != NULL, "%s", out);
	free(out);

	ck_assert_uint_eq(sysctl_get("veth0", "arp_ignore"), 1);
	ck_assert_int_eq(sh("ip link del vrrp.8"), 0);
	vrrp_vmac_gone(k, ifindex);
	ck_assert_uint_eq(sysctl_get("veth0", "arp_ignore"), 0);
	ck_assert_uint_eq(sysctl_get("veth0", "arp_filter"), 0);
	ck_assert_int_eq(vrrp_vmac_create(k, &s, &ifindex), 0);
	ck_assert_int_eq(ifindex, idx("vrrp.8"));
	ck_assert_uint_eq(sysctl_get("veth0", "arp_ignore"), 1);
	ck_assert_int_eq(vrrp_vmac_delete(k, ifindex), 0);
	ck_assert_uint_eq(sysctl_get("veth0", "arp_ignore"), 0);
	ck_assert_int_eq(sh("ip link del vgbr0"), 0);
	vrrp_kernel_free(k);
}
END_TEST

/* What SO_RCVBUF reads back for a request of want (the kernel doubles
 * it, capped at rmem_max). */
static int
rcvbuf_read_back(int want)
{
	FILE *f = fopen("/proc/sys/net/core/rmem_max", "r");
	int max = 0;

	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(fscanf(f, "%d", &max), 1);
	fclose(f);
	return 2 * (want < max ? want : max);
}

/* The SO_RCVBUF of the socket instances of conf share on veth0. */
static int
rcvbuf_of(const char *conf, unsigned nvaddrs)
{
	struct loaded l;
	struct event_base *base = loop_new();
	struct vrrp_socks *ss;
	struct vrrp_inst vi[2];
	const struct vrrp_instance_conf *c;
	unsigned n = 0;
	int v;

	load_str(&l, conf);
	ck_assert_uint_eq(l.nerr, 0);
	ck_assert_ptr_nonnull(base);
	ck_assert_ptr_nonnull(ss = vrrp_socks_new(base, NULL, NULL));
	vrrp_socks_configure(ss, &l.vc->g);
	memset(vi, 0, sizeof(vi));
	for (c = l.vc->instances.first; c != NULL && n < 2; c = c->next, n++) {
		vi[n].conf = c;
		vi[n].nvaddrs = nvaddrs;
		ck_assert_int_eq(vrrp_sock_attach(ss, &vi[n],
		    (int)if_nametoindex("veth0"), "veth0", AF_INET,
		    &l.vc->g.mcast_group4), 0);
	}
	v = vrrp_sock_rcvbuf(&vi[0]);
	for (unsigned i = 0; i < n; i++)
		vrrp_sock_detach(ss, &vi[i]);
	vrrp_socks_free(ss);
	event_base_free(base);
	unload(&l);
	return v;
}

#define RX_INST(name, vrid, extra) "vrrp_instance " name " {\n" \
	" interface veth0\n virtual_router_id " vrid "\n priority 100\n" \
	extra " virtual_ipaddress {\n  10.9.0." vrid "\n }\n}\n"

/* vrrp_rx_bufs_policy, vrrp_rx_bufs_multiplier, kernel_rx_buf_size size
 * the VRRP socket's receive buffer as keepalived 2.2.7's. */
START_TEST(test_rx_bufs)
{
	/* no keyword: vigil's 256 KiB */
	ck_assert_int_eq(rcvbuf_of(RX_INST("A", "1", "") RX_INST("B", "2", ""),
	    1), rcvbuf_read_back(256 * 1024));
	/* a size: per instance on the socket */
	ck_assert_int_eq(rcvbuf_of("global_defs {\n vrrp_rx_bufs_policy 30000\n"
	    "}\n" RX_INST("A", "1", "") RX_INST("B", "2", ""), 1),
	    rcvbuf_read_back(60000));
	/* kernel_rx_buf_size wins over the policy for its instance */
	ck_assert_int_eq(rcvbuf_of("global_defs {\n vrrp_rx_bufs_policy 30000\n"
	    "}\n" RX_INST("A", "1", " kernel_rx_buf_size 50000\n")
	    RX_INST("B", "2", ""), 1), rcvbuf_read_back(80000));
	/* ADVERT: multiplier x the advert (v2 IPv4, 3 addresses: 20 + 8 +
	 * 12 + 8 = 48 bytes) */
	ck_assert_int_eq(rcvbuf_of("global_defs {\n vrrp_rx_bufs_policy ADVERT\n"
	    " vrrp_rx_bufs_multiplier 100\n}\n" RX_INST("A", "1", "")
	    RX_INST("B", "2", ""), 3), rcvbuf_read_back(2 * 100 * 48));
	/* MTU: multiplier x the interface's MTU */
	sh("ip link set veth0 mtu 1400");
	ck_assert_int_eq(rcvbuf_of("global_defs {\n vrrp_rx_bufs_policy MTU\n"
	    " vrrp_rx_bufs_multiplier 5\n}\n" RX_INST("A", "1", ""), 1),
	    rcvbuf_read_back(5 * 1400));
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("vrrp_kernel");
	TCase *tc = tcase_create("kernel");
	int rc;

	if ((rc = netns_enter("test_vrrp_kernel")) != 0)
		return rc;
	tcase_set_timeout(tc, 120);
	tcase_add_checked_fixture(tc, net_setup, net_teardown);
	tcase_add_test(tc, test_addr_options);
	tcase_add_test(tc, test_addr_batch);
	tcase_add_test(tc, test_routes_rules);
	tcase_add_test(tc, test_route_rule_batch);
	tcase_add_test(tc, test_static_reload);
	tcase_add_test(tc, test_vmac);
	tcase_add_test(tc, test_vmac6);
	tcase_add_test(tc, test_vmac_master_gone);
	tcase_add_test(tc, test_rx_bufs);
	suite_add_tcase(s, tc);
	return check_run(s);
}

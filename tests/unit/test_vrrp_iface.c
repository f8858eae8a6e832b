/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The VRRP child's view of interfaces and addresses against the kernel:
 * lookups, the events of the monitor read from the event loop (carrier,
 * addresses, renames, removals) and its overruns (resync, and a view
 * that ends as the kernel's). Runs as root in a network namespace of its
 * own (netns_test.h).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <check.h>
#include <event2/event.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "loop.h"
#include "vrrp/iface.h"
#include "vrrp/static.h"
#include "vrrp/vip.h"

#include "vrrp_conf_test.h"
#include "netns_test.h"
#include "check_run.h"

struct events {
	int veth0_up, veth0_down, gone, renamed, renamed_from;
	int added, deleted, resyncs;
	struct vg_addr want;		/* events of this address: */
	int want_added, want_deleted;
	struct vg_addr last;
	unsigned last_prefix;
	int last_ifindex;
};

static void
ev_link(void *arg, const struct vrrp_iface *ifc, int gone)
{
	struct events *e = arg;

	if (gone == VRRP_IFACE_RENAMED) {
		/* gone under its old name first */
		ck_assert_str_eq(ifc->name, "veth1");
		ck_assert_int_eq(e->renamed, 0);
		e->renamed_from++;
	} else if (gone)
		e->gone++;
	else if (strcmp(ifc->name, "veth0") == 0)
		*(ifc->up ? &e->veth0_up : &e->veth0_down) += 1;
	else if (strcmp(ifc->name, "vethx") == 0)
		e->renamed++;
}

static void
ev_addr(void *arg, int ifindex, const struct vg_addr *a, unsigned prefix,
    int deleted)
{
	struct events *e = arg;

	*(deleted ? &e->deleted : &e->added) += 1;
	if (addr_cmp(a, &e->want) == 0)
		*(deleted ? &e->want_deleted : &e->want_added) += 1;
	e->last = *a;
	e->last_prefix = prefix;
	e->last_ifindex = ifindex;
}

static void
ev_resync(void *arg)
{
	((struct events *)arg)->resyncs++;
}

static const struct vrrp_iface_cbs cbs = { ev_link, ev_addr, ev_resync };

/* Turn the loop until *flag is at least want: at most 100 turns of 50 ms. */
static int
run_until(struct event_base *base, const int *flag, int want)
{
	struct timeval tv = { 0, 50000 };
	int i;

	for (i = 0; i < 100 && *flag < want; i++) {
		event_base_loopexit(base, &tv);
		event_base_dispatch(base);
	}
	return *flag >= want;
}

/* n turns of the loop, 50 ms each at most */
static void
run_turns(struct event_base *base, int n)
{
	struct timeval tv = { 0, 50000 };

	while (n-- > 0) {
		event_base_loopexit(base, &tv);
		event_base_dispatch(base);
	}
}

START_TEST(test_iface_events)
{
	struct event_base *base = loop_new();
	struct events e;
	struct vrrp_ifaces *v;
	const struct vrrp_iface *ifc;
	struct vg_addr a, p;
	int i;

	memset(&e, 0, sizeof(e));
	ck_assert_int_eq(sh("ip addr add 10.9.9.1/24 dev veth0 && "
	    "ip addr add 10.9.9.2/24 dev veth0"), 0);
	v = vrrp_ifaces_new(base, &cbs, &e, 0, 0);
	ck_assert_ptr_nonnull(v);
	ifc = vrrp_iface_by_name(v, "veth0");
	ck_assert_ptr_nonnull(ifc);
	ck_assert_int_eq(ifc->index, idx("veth0"));
	ck_assert_ptr_eq(vrrp_iface_by_index(v, ifc->index), ifc);
	ck_assert_ptr_nonnull(vrrp_iface_by_name(v, "lo"));
	ck_assert_ptr_null(vrrp_iface_by_name(v, "nosuch0"));
	ck_assert_int_eq(addr_parse("10.9.9.1", &a), 0);
	ck_assert_int_eq(vrrp_iface_primary(v, idx("veth0"), AF_INET, &p), 0);
	ck_assert_int_eq(addr_cmp(&a, &p), 0);
	ck_assert(vrrp_iface_has_addr(v, idx("veth0"), &a));
	ck_assert(vrrp_iface_has_addr(v, 0, &a));
	/* IPv6: the link-local one (the kernel adds it once the carrier is
	 * seen, which may be after the dump) */
	for (i = 0; i < 4 && vrrp_iface_primary(v, idx("veth0"), AF_INET6,
	    &p) != 0; i++)
		run_until(base, &e.added, e.added + 1);
	ck_assert_int_eq(vrrp_iface_primary(v, idx("veth0"), AF_INET6, &p),
	    0);
	ck_assert_uint_eq(p.u.v6.s6_addr[0], 0xfe);
	ck_assert_uint_eq(p.u.v6.s6_addr[1] & 0xc0, 0x80);
	ck_assert_int_eq(vrrp_iface_primary(v, idx("veth0"), AF_INET6 + 99,
	    &p), -1);
	ck_assert(!vrrp_iface_has_addr(v, idx("veth1"), &a));

	/* carrier: veth0 is down when its peer is */
	ck_assert_int_eq(sh("ip link set veth1 down"), 0);
	ck_assert(run_until(base, &e.veth0_down, 1));
	ck_assert(!vrrp_iface_by_name(v, "veth0")->up);
	ck_assert_int_eq(sh("ip link set veth1 up"), 0);
	ck_assert(run_until(base, &e.veth0_up, 1));
	ck_assert(vrrp_iface_by_name(v, "veth0")->up);

	/* addresses */
	ck_assert_int_eq(addr_parse("10.9.8.7", &e.want), 0);
	ck_assert_int_eq(sh("ip addr add 10.9.8.7/25 dev veth1"), 0);
	ck_assert(run_until(base, &e.want_added, 1));
	ck_assert_int_eq(addr_cmp(&e.last, &e.want), 0);
	ck_assert_uint_eq(e.last_prefix, 25);
	ck_assert_int_eq(e.last_ifindex, idx("veth1"));
	ck_assert(vrrp_iface_has_addr(v, idx("veth1"), &e.want));
	ck_assert_int_eq(sh("ip addr del 10.9.8.7/25 dev veth1"), 0);
	ck_assert(run_until(base, &e.want_deleted, 1));
	ck_assert(!vrrp_iface_has_addr(v, 0, &e.want));
	ck_assert_int_eq(addr_parse("2001:db8::9", &e.want), 0);
	e.want_added = 0;
	ck_assert_int_eq(sh("ip addr add 2001:db8::9/64 dev veth1 nodad"), 0);
	ck_assert(run_until(base, &e.want_added, 1));
	ck_assert(vrrp_iface_has_addr(v, idx("veth1"), &e.want));
	a = e.want;

	/* renamed, then gone */
	ck_assert_int_eq(sh("ip link set veth1 down && "
	    "ip link set veth1 name vethx"), 0);
	ck_assert(run_until(base, &e.renamed, 1));
	ck_assert_int_eq(e.renamed_from, 1);
	ck_assert_int_eq(e.gone, 0);
	ck_assert_ptr_null(vrrp_iface_by_name(v, "veth1"));
	ck_assert_ptr_nonnull(vrrp_iface_by_name(v, "vethx"));
	ck_assert_int_eq(sh("ip link del vethx"), 0);
	/* both ends of the pair */
	ck_assert(run_until(base, &e.gone, 2));
	ck_assert_ptr_null(vrrp_iface_by_name(v, "vethx"));
	ck_assert_ptr_null(vrrp_iface_by_name(v, "veth0"));
	ck_assert(!vrrp_iface_has_addr(v, 0, &a));
	ck_assert_int_eq(e.resyncs, 0);
	ck_assert_uint_eq(vrrp_ifaces_overruns(v), 0);
	vrrp_ifaces_free(v);
	event_base_free(base);
}
END_TEST

/* 2,000 addresses added while the loop does not turn, on a monitor with the
 * smallest receive buffer: it overruns, says so, and the view it ends with
 * is the kernel's. Then a reload removes most of them, the same way. */
START_TEST(test_overrun)
{
	struct event_base *base = loop_new();
	struct vrrp_kernel *k = kernel();
	const struct vrrp_conf_ipaddr *it;
	struct vrrp_ifaces *v;
	struct loaded a, b;
	struct events e;
	char *text, *out;
	size_t len = 0, size = 2000 * 48 + 64;
	unsigned i, present;

	memset(&e, 0, sizeof(e));
	text = malloc(size);
	ck_assert_ptr_nonnull(text);
	len += (size_t)snprintf(text + len, size - len, "static_ipaddress {\n");
	for (i = 0; i < 2000; i++)
		len += (size_t)snprintf(text + len, size - len,
		    " 10.100.%u.%u/32 dev veth0\n", i / 250, i % 250 + 1);
	snprintf(text + len, size - len, "}\n");
	load_str(&a, text);
	load_str(&b, "static_ipaddress {\n 10.100.0.1/32 dev veth0\n"
	    " 10.100.7.250/32 dev veth0\n}\n");
	free(text);
	ck_assert_uint_eq(a.nerr + b.nerr, 0);
	ck_assert_uint_eq(a.vc->static_addrs.n, 2000);

	v = vrrp_ifaces_new(base, &cbs, &e, 1, 0);
	ck_assert_ptr_nonnull(v);
	ck_assert_int_eq(vrrp_static_apply(k, v, NULL, a.vc), 0);
	ck_assert(run_until(base, &e.resyncs, 1));
	ck_assert_uint_ge(vrrp_ifaces_overruns(v), 1);
	/* bounded: events after the resync may still be queued */
	run_until(base, &e.added, 2000);
	for (present = 0, it = a.vc->static_addrs.first; it != NULL;
	    it = it->next)
		present += vrrp_iface_has_addr(v, idx("veth0"), &it->p.addr);
	ck_assert_uint_eq(present, 2000);
	out = sh_out("ip -4 addr show dev veth0");
	ck_assert_uint_eq(count(out, "inet 10.100."), 2000);
	free(out);

	/* reload to two: 1,998 go, again faster than the monitor reads */
	e.resyncs = 0;
	ck_assert_int_eq(vrrp_static_apply(k, v, a.vc, b.vc), 0);
	ck_assert(run_until(base, &e.resyncs, 1));
	run_until(base, &e.deleted, 1998);
	for (present = 0, it = a.vc->static_addrs.first; it != NULL;
	    it = it->next)
		present += vrrp_iface_has_addr(v, 0, &it->p.addr);
	ck_assert_uint_eq(present, 2);
	out = sh_out("ip -4 addr show dev veth0");
	ck_assert_uint_eq(count(out, "inet 10.100."), 2);
	free(out);

	vrrp_static_release(k, v, b.vc);
	vrrp_ifaces_free(v);
	event_base_free(base);
	vrrp_kernel_free(k);
	unload(&a);
	unload(&b);
}
END_TEST

/* Lookups stay cheap with many links: 1,000 of them, each found by name
 * and by index. Removed at once while the loop does not turn, on a monitor
 * with the smallest buffer: each is reported gone exactly once. */
START_TEST(test_many_links)
{
	struct event_base *base = loop_new();
	struct vrrp_ifaces *v;
	const struct vrrp_iface *ifc;
	char name[IF_NAMESIZE];
	struct events e;
	FILE *fp;
	unsigned i;

	memset(&e, 0, sizeof(e));
	fp = popen("ip -batch -", "w");
	ck_assert_ptr_nonnull(fp);
	for (i = 0; i < 1000; i++)
		fprintf(fp, "link add vm%u link veth0 type macvlan mode "
		    "private\n", i);
	ck_assert_int_eq(pclose(fp), 0);
	v = vrrp_ifaces_new(base, &cbs, &e, 1, 0);
	ck_assert_ptr_nonnull(v);
	for (i = 0; i < 1000; i++) {
		snprintf(name, sizeof(name), "vm%u", i);
		ifc = vrrp_iface_by_name(v, name);
		ck_assert_ptr_nonnull(ifc);
		ck_assert_int_eq(ifc->link_index, idx("veth0"));
		ck_assert_ptr_eq(vrrp_iface_by_index(v, ifc->index), ifc);
	}

	/* the pair goes, and its macvlans with it */
	ck_assert_int_eq(sh("ip link del veth0"), 0);
	ck_assert(run_until(base, &e.resyncs, 1));
	ck_assert(run_until(base, &e.gone, 1002));
	run_turns(base, 20);		/* what may still be queued */
	ck_assert_int_eq(e.gone, 1002);
	for (i = 0; i < 1000; i++) {
		snprintf(name, sizeof(name), "vm%u", i);
		ck_assert_ptr_null(vrrp_iface_by_name(v, name));
	}
	ck_assert_ptr_null(vrrp_iface_by_name(v, "veth0"));
	ck_assert_ptr_nonnull(vrrp_iface_by_name(v, "lo"));
	vrrp_ifaces_free(v);
	event_base_free(base);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("vrrp_iface");
	TCase *tc = tcase_create("iface");
	int rc;

	if ((rc = netns_enter("test_vrrp_iface")) != 0)
		return rc;
	tcase_set_timeout(tc, 120);
	tcase_add_checked_fixture(tc, net_setup, net_teardown);
	tcase_add_test(tc, test_iface_events);
	tcase_add_test(tc, test_overrun);
	tcase_add_test(tc, test_many_links);
	suite_add_tcase(s, tc);
	return check_run(s);
}

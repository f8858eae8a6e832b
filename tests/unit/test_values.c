/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Typed value parsers, generic setters and address parsing. */
#include <arpa/inet.h>
#include <check.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "conf.h"
#include "conf_testtree.h"
#include "check_run.h"

START_TEST(test_bool)
{
	int v = -1;

	ck_assert_int_eq(conf_parse_bool("on", &v), 0);
	ck_assert_int_eq(v, 1);
	ck_assert_int_eq(conf_parse_bool("true", &v), 0);
	ck_assert_int_eq(v, 1);
	ck_assert_int_eq(conf_parse_bool("yes", &v), 0);
	ck_assert_int_eq(v, 1);
	ck_assert_int_eq(conf_parse_bool("off", &v), 0);
	ck_assert_int_eq(v, 0);
	ck_assert_int_eq(conf_parse_bool("false", &v), 0);
	ck_assert_int_eq(v, 0);
	ck_assert_int_eq(conf_parse_bool("no", &v), 0);
	ck_assert_int_eq(v, 0);
	ck_assert_int_eq(conf_parse_bool("YES", &v), 0);
	ck_assert_int_eq(v, 1);
	v = 7;
	ck_assert_int_eq(conf_parse_bool("", &v), -1);
	ck_assert_int_eq(conf_parse_bool("1", &v), -1);
	ck_assert_int_eq(conf_parse_bool("onn", &v), -1);
	ck_assert_int_eq(conf_parse_bool("o", &v), -1);
	ck_assert_int_eq(conf_parse_bool(" on", &v), -1);
	ck_assert_int_eq(conf_parse_bool(NULL, &v), -1);
	ck_assert_int_eq(v, 7);	/* untouched on failure */
}
END_TEST

START_TEST(test_ll)
{
	long long v = 42;

	ck_assert_int_eq(conf_parse_ll("1", 1, 255, &v), 0);
	ck_assert_int_eq(v, 1);
	ck_assert_int_eq(conf_parse_ll("255", 1, 255, &v), 0);
	ck_assert_int_eq(v, 255);
	ck_assert_int_eq(conf_parse_ll("-20", -20, 19, &v), 0);
	ck_assert_int_eq(v, -20);
	ck_assert_int_eq(conf_parse_ll("+7", 0, 10, &v), 0);
	ck_assert_int_eq(v, 7);
	ck_assert_int_eq(conf_parse_ll("9223372036854775807", LLONG_MIN,
	    LLONG_MAX, &v), 0);
	ck_assert(v == LLONG_MAX);
	ck_assert_int_eq(conf_parse_ll("-9223372036854775808", LLONG_MIN,
	    LLONG_MAX, &v), 0);
	ck_assert(v == LLONG_MIN);
	v = 42;
	ck_assert_int_eq(conf_parse_ll("0", 1, 255, &v), -1);
	ck_assert_int_eq(conf_parse_ll("256", 1, 255, &v), -1);
	ck_assert_int_eq(conf_parse_ll("-21", -20, 19, &v), -1);
	ck_assert_int_eq(conf_parse_ll("9223372036854775808", LLONG_MIN,
	    LLONG_MAX, &v), -1);
	ck_assert_int_eq(conf_parse_ll("99999999999999999999999", 0,
	    LLONG_MAX, &v), -1);
	ck_assert_int_eq(conf_parse_ll("", 0, 10, &v), -1);
	ck_assert_int_eq(conf_parse_ll("-", 0, 10, &v), -1);
	ck_assert_int_eq(conf_parse_ll(" 5", 0, 10, &v), -1);
	ck_assert_int_eq(conf_parse_ll("5 ", 0, 10, &v), -1);
	ck_assert_int_eq(conf_parse_ll("5x", 0, 10, &v), -1);
	ck_assert_int_eq(conf_parse_ll("0x5", 0, 10, &v), -1);
	ck_assert_int_eq(conf_parse_ll("1.5", 0, 10, &v), -1);
	ck_assert_int_eq(conf_parse_ll("--5", -10, 10, &v), -1);
	ck_assert_int_eq(v, 42);
}
END_TEST

START_TEST(test_timer)
{
	unsigned long long u = 99;

	ck_assert_int_eq(conf_parse_timer("1", &u), 0);
	ck_assert(u == 1000000ULL);
	ck_assert_int_eq(conf_parse_timer("0", &u), 0);
	ck_assert(u == 0);
	ck_assert_int_eq(conf_parse_timer("0.000001", &u), 0);
	ck_assert(u == 1);
	ck_assert_int_eq(conf_parse_timer("1.5", &u), 0);
	ck_assert(u == 1500000ULL);
	ck_assert_int_eq(conf_parse_timer("2.", &u), 0);
	ck_assert(u == 2000000ULL);
	ck_assert_int_eq(conf_parse_timer(".25", &u), 0);
	ck_assert(u == 250000ULL);
	ck_assert_int_eq(conf_parse_timer("86400.123456", &u), 0);
	ck_assert(u == 86400123456ULL);
	/* the largest value that fits */
	ck_assert_int_eq(conf_parse_timer("18446744073709.551615", &u), 0);
	ck_assert(u == ULLONG_MAX);
	u = 99;
	ck_assert_int_eq(conf_parse_timer("18446744073709.551616", &u), -1);
	ck_assert_int_eq(conf_parse_timer("18446744073710", &u), -1);
	ck_assert_int_eq(conf_parse_timer("99999999999999999999999", &u), -1);
	ck_assert_int_eq(conf_parse_timer("1.0000001", &u), -1);
	ck_assert_int_eq(conf_parse_timer("-1", &u), -1);
	ck_assert_int_eq(conf_parse_timer("+1", &u), -1);
	ck_assert_int_eq(conf_parse_timer("", &u), -1);
	ck_assert_int_eq(conf_parse_timer(".", &u), -1);
	ck_assert_int_eq(conf_parse_timer("1s", &u), -1);
	ck_assert_int_eq(conf_parse_timer("1.2.3", &u), -1);
	ck_assert_int_eq(conf_parse_timer("1e3", &u), -1);
	ck_assert_int_eq(conf_parse_timer(" 1", &u), -1);
	ck_assert(u == 99);
}
END_TEST

/* An IPv4 address reads as inet_ntop writes it: every value of each
 * byte, in each place; a buffer too short gets what it got before. */
START_TEST(test_addr_ntop_v4)
{
	struct vg_addr a = { .family = AF_INET };
	char buf[ADDR_STRLEN], want[INET_ADDRSTRLEN];

	for (unsigned place = 0; place < 4; place++)
		for (unsigned v = 0; v < 256; v++) {
			unsigned char b[4] = { 10, 0, 255, 7 };

			b[place] = (unsigned char)v;
			memcpy(&a.u.v4, b, sizeof(b));
			ck_assert_ptr_nonnull(inet_ntop(AF_INET, &a.u.v4, want,
			    sizeof(want)));
			ck_assert_str_eq(addr_ntop(&a, buf, sizeof(buf)), want);
		}
	ck_assert_int_eq(addr_parse("255.255.255.255", &a), 0);
	ck_assert_str_eq(addr_ntop(&a, buf, 16), "255.255.255.255");
	/* one byte short: what inet_ntop's failure gave, cut to fit */
	ck_assert_str_eq(addr_ntop(&a, buf, 15), "(invalid)");
	ck_assert_str_eq(addr_ntop(&a, buf, 5), "(inv");
	ck_assert_int_eq(addr_parse("0.0.0.0", &a), 0);
	ck_assert_str_eq(addr_ntop(&a, buf, 8), "0.0.0.0");
	ck_assert_str_eq(addr_ntop(&a, buf, 7), "(inval");
}
END_TEST

START_TEST(test_addr)
{
	struct vg_addr a, b;
	char buf[ADDR_STRLEN];
	unsigned p;

	ck_assert_int_eq(addr_parse("10.0.0.1", &a), 0);
	ck_assert_int_eq(a.family, AF_INET);
	ck_assert_str_eq(addr_ntop(&a, buf, sizeof(buf)), "10.0.0.1");
	ck_assert_int_eq(addr_parse("fe80::1", &b), 0);
	ck_assert_int_eq(b.family, AF_INET6);
	ck_assert_str_eq(addr_ntop(&b, buf, sizeof(buf)), "fe80::1");
	ck_assert_int_eq(addr_parse("255.255.255.255", &a), 0);
	ck_assert_int_eq(addr_parse("::", &a), 0);
	ck_assert_int_eq(addr_parse("::ffff:1.2.3.4", &a), 0);
	ck_assert_int_eq(a.family, AF_INET6);

	memset(&a, 0, sizeof(a));
	ck_assert_int_eq(addr_parse("fe80::1%eth0", &a), -1);
	ck_assert_int_eq(addr_parse("256.0.0.1", &a), -1);
	ck_assert_int_eq(addr_parse("10.0.0", &a), -1);
	ck_assert_int_eq(addr_parse("10.0.0.1 ", &a), -1);
	ck_assert_int_eq(addr_parse("", &a), -1);
	ck_assert_int_eq(addr_parse("host.example", &a), -1);
	ck_assert_int_eq(addr_parse("1:2:3:4:5:6:7:8:9", &a), -1);
	ck_assert_int_eq(addr_parse("10.0.0.1/24", &a), -1);
	ck_assert(addr_is_unset(&a));

	ck_assert_int_eq(addr_parse_prefix("10.1.2.3/24", &a, &p), 0);
	ck_assert_uint_eq(p, 24);
	ck_assert_str_eq(addr_ntop(&a, buf, sizeof(buf)), "10.1.2.3");
	ck_assert_int_eq(addr_parse_prefix("10.1.2.3", &a, &p), 0);
	ck_assert_uint_eq(p, 32);
	ck_assert_int_eq(addr_parse_prefix("2001:db8::1/64", &a, &p), 0);
	ck_assert_uint_eq(p, 64);
	ck_assert_int_eq(addr_parse_prefix("2001:db8::1", &a, &p), 0);
	ck_assert_uint_eq(p, 128);
	ck_assert_int_eq(addr_parse_prefix("0.0.0.0/0", &a, &p), 0);
	ck_assert_uint_eq(p, 0);
	ck_assert_int_eq(addr_parse_prefix("::/128", &a, &p), 0);
	ck_assert_uint_eq(p, 128);
	p = 7;
	ck_assert_int_eq(addr_parse_prefix("10.0.0.1/33", &a, &p), -1);
	ck_assert_int_eq(addr_parse_prefix("::1/129", &a, &p), -1);
	ck_assert_int_eq(addr_parse_prefix("10.0.0.1/", &a, &p), -1);
	ck_assert_int_eq(addr_parse_prefix("10.0.0.1/-1", &a, &p), -1);
	ck_assert_int_eq(addr_parse_prefix("10.0.0.1/2x", &a, &p), -1);
	ck_assert_int_eq(addr_parse_prefix("/24", &a, &p), -1);
	ck_assert_int_eq(addr_parse_prefix("10.0.0.1/99999999999999999999",
	    &a, &p), -1);
	ck_assert_uint_eq(p, 7);

	ck_assert_int_eq(addr_parse_port("0", &p), 0);
	ck_assert_uint_eq(p, 0);
	ck_assert_int_eq(addr_parse_port("65535", &p), 0);
	ck_assert_uint_eq(p, 65535);
	ck_assert_int_eq(addr_parse_port("65536", &p), -1);
	ck_assert_int_eq(addr_parse_port("-1", &p), -1);
	ck_assert_int_eq(addr_parse_port("http", &p), -1);
	ck_assert_int_eq(addr_parse_port("", &p), -1);

	/* ordering: family first, then numerically */
	addr_parse("10.0.0.2", &a);
	addr_parse("10.0.0.10", &b);
	ck_assert_int_lt(addr_cmp(&a, &b), 0);
	ck_assert_int_gt(addr_cmp(&b, &a), 0);
	addr_parse("10.0.0.10", &a);
	ck_assert_int_eq(addr_cmp(&a, &b), 0);
	addr_parse("::1", &b);
	ck_assert_int_ne(addr_cmp(&a, &b), 0);
	memset(&a, 0, sizeof(a));
	ck_assert(addr_is_unset(&a));
	ck_assert(!addr_is_unset(&b));
	ck_assert_str_eq(addr_ntop(&a, buf, sizeof(buf)), "(unset)");
}
END_TEST

/* ---- generic setters through the registry ------------------------------ */

struct obj {
	int flag;
	int i;
	unsigned u;
	unsigned long long t;
	char *s;
	char *sv;
};

static const struct conf_kw top[] = {
	{ .name = "flag", .max_args = 1, .set = conf_set_flag,
	  .off = offsetof(struct obj, flag) },
	{ .name = "vrid", .min_args = 1, .max_args = 1, .set = conf_set_int,
	  .off = offsetof(struct obj, i), .lo = 1, .hi = 255 },
	{ .name = "nice", .min_args = 1, .max_args = 1, .set = conf_set_int,
	  .off = offsetof(struct obj, i), .lo = -20, .hi = 19 },
	{ .name = "umaskish", .min_args = 1, .max_args = 1,
	  .set = conf_set_int, .off = offsetof(struct obj, i),
	  .lo = 0, .hi = 10, .expect = "a small number" },
	{ .name = "count", .min_args = 1, .max_args = 1, .set = conf_set_uint,
	  .off = offsetof(struct obj, u) },
	{ .name = "delay", .min_args = 1, .max_args = 1, .set = conf_set_timer,
	  .off = offsetof(struct obj, t), .lo = 1000, .hi = 10000000 },
	{ .name = "wait", .min_args = 1, .max_args = 1, .set = conf_set_timer,
	  .off = offsetof(struct obj, t) },
	{ .name = "name", .min_args = 1, .max_args = 1, .set = conf_set_str,
	  .off = offsetof(struct obj, s) },
	{ .name = "cmd", .min_args = 1, .max_args = CONF_ARGS_ANY,
	  .set = conf_set_strv, .off = offsetof(struct obj, sv) },
	{ .name = "later", .max_args = CONF_ARGS_ANY,
	  .set = conf_set_unsupported },
	{ .name = NULL }
};

static unsigned
run(const char *text, struct obj *o, struct tt_diag *td)
{
	struct conf_registry *r = conf_registry_new();
	struct conf_tree *t = tt_tree("v.conf", text);
	void *roots[CONF_OWNER_MAX] = { o, NULL, NULL };
	struct arena *a = arena_new();
	unsigned e;

	ck_assert_int_eq(conf_registry_add(r, CONF_OWNER_GLOBAL, "", top), 0);
	tt_diag_init(td);
	e = conf_apply(r, t, CONF_OWNERS_ALL, roots, a, &td->d);
	/* strings live in the apply arena: copy what the test looks at */
	if (o->s != NULL)
		o->s = strdup(o->s);
	if (o->sv != NULL)
		o->sv = strdup(o->sv);
	arena_free(a);
	tt_tree_free(t);
	conf_registry_free(r);
	return e;
}

START_TEST(test_setters_ok)
{
	struct obj o = { 0 };
	struct tt_diag td;

	ck_assert_uint_eq(run("flag\nvrid 255\ncount 4294967295\n"
	    "delay 0.001\nname vigil-1\ncmd /bin/echo a  b\n", &o, &td), 0);
	ck_assert_int_eq(o.flag, 1);
	ck_assert_int_eq(o.i, 255);
	ck_assert_uint_eq(o.u, 4294967295u);
	ck_assert(o.t == 1000);
	ck_assert_str_eq(o.s, "vigil-1");
	ck_assert_str_eq(o.sv, "/bin/echo a b");
	free(o.s);
	free(o.sv);
	tt_diag_clear(&td);

	memset(&o, 0, sizeof(o));
	o.flag = 1;
	ck_assert_uint_eq(run("flag off\nnice -20\nwait 3.5\nlater x\n", &o,
	    &td), 0);
	ck_assert_int_eq(o.flag, 0);
	ck_assert_int_eq(o.i, -20);
	ck_assert(o.t == 3500000);
	ck_assert(tt_has(&td, CONF_WARN, "v.conf:4: later: not supported yet; "
	    "ignored"));
	tt_diag_clear(&td);
}
END_TEST

START_TEST(test_setters_errors)
{
	struct obj o = { 0 };
	struct tt_diag td;

	ck_assert_uint_eq(run("flag maybe\nvrid 300\nvrid 0\nvrid -1\n"
	    "nice 20\numaskish 11\ncount -1\ncount 4294967296\ndelay 0.0001\n"
	    "delay 11\ndelay -1\nwait 1.1234567\nwait abc\n", &o, &td), 13);
	ck_assert(tt_has(&td, CONF_ERR,
	    "v.conf:1: flag: expected on|off|true|false|yes|no, got maybe"));
	ck_assert(tt_has(&td, CONF_ERR,
	    "v.conf:2: vrid: expected 1-255, got 300"));
	ck_assert(tt_has(&td, CONF_ERR, "v.conf:3: vrid: expected 1-255, got 0"));
	ck_assert(tt_has(&td, CONF_ERR,
	    "v.conf:4: vrid: expected 1-255, got -1"));
	ck_assert(tt_has(&td, CONF_ERR,
	    "v.conf:5: nice: expected an integer from -20 to 19, got 20"));
	ck_assert(tt_has(&td, CONF_ERR,
	    "v.conf:6: umaskish: expected a small number, got 11"));
	ck_assert(tt_has(&td, CONF_ERR,
	    "v.conf:7: count: expected 0-4294967295, got -1"));
	ck_assert(tt_has(&td, CONF_ERR,
	    "v.conf:8: count: expected 0-4294967295, got 4294967296"));
	ck_assert(tt_has(&td, CONF_ERR, "v.conf:9: delay: expected seconds "
	    "0.001-10 (up to 6 decimals), got 0.0001"));
	ck_assert(tt_has(&td, CONF_ERR, "v.conf:10: delay: expected seconds "
	    "0.001-10 (up to 6 decimals), got 11"));
	ck_assert(tt_has(&td, CONF_ERR, "v.conf:12: wait: expected seconds "
	    "(at least 0, up to 6 decimals), got 1.1234567"));
	/* nothing was stored by a bad line */
	ck_assert_int_eq(o.flag, 0);
	ck_assert_int_eq(o.i, 0);
	ck_assert_uint_eq(o.u, 0);
	ck_assert(o.t == 0);
	tt_diag_clear(&td);
}
END_TEST

static Suite *
values_suite(void)
{
	Suite *s = suite_create("values");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_bool);
	tcase_add_test(tc, test_ll);
	tcase_add_test(tc, test_timer);
	tcase_add_test(tc, test_addr_ntop_v4);
	tcase_add_test(tc, test_addr);
	tcase_add_test(tc, test_setters_ok);
	tcase_add_test(tc, test_setters_errors);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return check_run(values_suite());
}

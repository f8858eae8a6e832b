/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The desired table: only real changes reach the backend, in order, in
 * sets; a deleted service takes its destinations with it. */
#include "autoconfig.h"

#include <check.h>
#include <stdio.h>
#include <string.h>

#include "healthcheck/dataplane.h"
#include "check_run.h"

static char seen[4096];
static unsigned sets;

static void *
rec_open(struct event_base *base)
{
	(void)base;
	seen[0] = '\0';
	sets = 0;
	return seen;
}

static int
rec_apply(void *b, const struct dp_change *c, size_t n)
{
	static const char *const ops[] = { "svc+", "svc~", "svc-", "dst+",
	    "dst~", "dst-" };
	char a[ADDR_STRLEN], line[320];

	(void)b;
	sets++;
	for (size_t i = 0; i < n; i++) {
		if (c[i].op <= DP_SVC_DEL)
			snprintf(line, sizeof(line), "%s %s;", ops[c[i].op],
			    c[i].svc->name);
		else
			snprintf(line, sizeof(line), "%s %s %s:%u w%d;",
			    ops[c[i].op], c[i].svc->name, addr_ntop(
			    &c[i].dest->addr, a, sizeof(a)), c[i].dest->port,
			    c[i].dest->weight);
		strncat(seen, line, sizeof(seen) - strlen(seen) - 1);
	}
	return 0;
}

static void
rec_close(void *b, int flush)
{
	(void)b;
	(void)flush;
}

static const struct dp_backend_ops rec = {
	.name = "record", .open = rec_open, .apply = rec_apply,
	.close = rec_close,
};

static struct dp_service
svc(const char *name)
{
	struct dp_service s;

	memset(&s, 0, sizeof(s));
	snprintf(s.name, sizeof(s.name), "%s", name);
	strcpy(s.sched, "rr");
	return s;
}

static struct dp_dest
dest(const char *addr, unsigned port, int weight)
{
	struct dp_dest d;

	memset(&d, 0, sizeof(d));
	ck_assert_int_eq(addr_parse(addr, &d.addr), 0);
	d.port = port;
	d.weight = weight;
	return d;
}

START_TEST(only_changes_reach_the_backend)
{
	struct dp_table *t = dp_table_new(&rec, NULL);
	struct dp_service s = svc("A");
	struct dp_svc *h;
	struct dp_dest d = dest("10.0.0.2", 80, 1);
	size_t ns, nd;

	ck_assert_ptr_nonnull(t);
	h = dp_svc_set(t, &s);
	ck_assert_int_eq(dp_dest_set(t, h, &d), 0);
	ck_assert_int_eq(dp_dest_set(t, h, &d), 0);	/* the same: nothing */
	ck_assert_ptr_eq(dp_svc_set(t, &s), h);		/* the same: nothing */
	ck_assert_uint_eq(dp_commit(t), 2);
	ck_assert_str_eq(seen, "svc+ A;dst+ A 10.0.0.2:80 w1;");
	ck_assert_uint_eq(dp_commit(t), 0);
	ck_assert_uint_eq(sets, 1);

	seen[0] = '\0';
	d.weight = 0;
	dp_dest_set(t, h, &d);
	dp_dest_del(t, h, &d.addr, 81);			/* absent: nothing */
	dp_dest_del(t, h, &d.addr, 80);
	ck_assert_ptr_null(dp_dest_get(t, h, &d.addr, 80));
	ck_assert_uint_eq(dp_commit(t), 2);
	ck_assert_str_eq(seen, "dst~ A 10.0.0.2:80 w0;dst- A 10.0.0.2:80 w0;");
	dp_table_count(t, &ns, &nd);
	ck_assert_uint_eq(ns, 1);
	ck_assert_uint_eq(nd, 0);
	dp_table_free(t, 0);
}
END_TEST

START_TEST(a_deleted_service_takes_its_destinations)
{
	struct dp_table *t = dp_table_new(&rec, NULL);
	struct dp_service s = svc("A");
	struct dp_svc *h = dp_svc_set(t, &s), *h2;
	struct dp_dest d1 = dest("10.0.0.2", 80, 1), d2 = dest("10.0.0.3", 80, 2);
	size_t ns, nd;
	char buf[512];
	FILE *fp;

	dp_dest_set(t, h, &d1);
	dp_dest_set(t, h, &d2);
	dp_svc_del(t, h);
	/* the same identity again before the commit: a new service */
	h2 = dp_svc_set(t, &s);
	ck_assert_ptr_ne(h, h2);
	ck_assert_ptr_null(dp_dest_get(t, h2, &d1.addr, 80));
	dp_table_count(t, &ns, &nd);
	ck_assert_uint_eq(ns, 1);
	ck_assert_uint_eq(nd, 0);
	ck_assert_uint_eq(dp_commit(t), 5);
	ck_assert_str_eq(seen, "svc+ A;dst+ A 10.0.0.2:80 w1;"
	    "dst+ A 10.0.0.3:80 w2;svc- A;svc+ A;");
	dp_dest_set(t, h2, &d2);
	fp = fmemopen(buf, sizeof(buf), "w");
	dp_table_dump(t, fp);
	fclose(fp);
	ck_assert_ptr_nonnull(strstr(buf, "1 service(s), 1 destination(s)"));
	ck_assert_ptr_nonnull(strstr(buf, "-> [10.0.0.3]:80 weight 2"));
	dp_table_free(t, 0);
}
END_TEST

/* The dump lists a service's destinations by address and port, whatever
 * the order they came in. */
START_TEST(the_dump_sorts_destinations)
{
	struct dp_table *t = dp_table_new(&rec, NULL);
	struct dp_service s = svc("A");
	struct dp_svc *h = dp_svc_set(t, &s);
	static const char *const in[] = { "10.0.0.30", "10.0.0.4",
	    "10.0.0.200", "10.0.0.4" };
	static const unsigned port[] = { 80, 81, 80, 80 };
	const char *a, *b, *c, *d;
	char buf[1024];
	FILE *fp;

	for (unsigned i = 0; i < 4; i++) {
		struct dp_dest x = dest(in[i], port[i], (int)i + 1);

		ck_assert_int_eq(dp_dest_set(t, h, &x), 0);
	}
	fp = fmemopen(buf, sizeof(buf), "w");
	dp_table_dump(t, fp);
	fclose(fp);
	a = strstr(buf, "-> [10.0.0.4]:80 weight 4");
	b = strstr(buf, "-> [10.0.0.4]:81 weight 2");
	c = strstr(buf, "-> [10.0.0.30]:80 weight 1");
	d = strstr(buf, "-> [10.0.0.200]:80 weight 3");
	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_nonnull(b);
	ck_assert_ptr_nonnull(c);
	ck_assert_ptr_nonnull(d);
	ck_assert(a < b && b < c && c < d);
	dp_table_free(t, 0);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("dataplane");
	TCase *tc = tcase_create("table");

	tcase_add_test(tc, only_changes_reach_the_backend);
	tcase_add_test(tc, a_deleted_service_takes_its_destinations);
	tcase_add_test(tc, the_dump_sorts_destinations);
	suite_add_tcase(s, tc);
	return check_run(s);
}

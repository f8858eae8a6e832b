/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Keyword registry: lookup, dispatch, diagnostics, owners. */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "conf.h"

/* two owners besides global_defs, as subsystems number themselves */
#define OWNER_A 1
#define OWNER_B 2
#include "conf_testtree.h"
#include "check_run.h"

/* Typed objects the test tables build. */
struct g_root {
	int id;
	char *name;
	int nitems;
	char *items[8];
	int flag;
};

struct inst {
	struct inst *next;
	char *name;
	int prio;
	int closed;
};

struct v_root {
	struct inst *insts;
	int ninst;
	int vflag;	/* set from global_defs by a VRRP keyword */
};

static int
set_item(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *obj)
{
	struct g_root *g = obj;

	(void)kw;
	if (strcmp(n->argv[0], "bad") == 0) {
		conf_error(cx, n, "bad item");
		return -1;
	}
	if (g->nitems < 8)
		g->items[g->nitems++] = arena_strdup(conf_arena(cx), n->argv[0]);
	return 0;
}

static int
set_silent_fail(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *obj)
{
	(void)cx, (void)n, (void)kw, (void)obj;
	return -1;	/* forgets to report: the registry must count it */
}

static void *
open_inst(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *parent)
{
	struct inst *i;

	(void)kw, (void)parent;
	if (strcmp(n->argv[1], "REFUSE") == 0) {
		conf_error(cx, n, "refused");
		return NULL;
	}
	i = arena_alloc(conf_arena(cx), sizeof(*i));
	i->name = arena_strdup(conf_arena(cx), n->argv[1]);
	return i;
}

static int
close_inst(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *parent, void *obj)
{
	struct v_root *v = parent;
	struct inst *i = obj;

	(void)kw;
	if (i->prio == 0) {
		conf_error(cx, n, "%s: priority missing", i->name);
		return -1;
	}
	i->closed = 1;
	i->next = v->insts;
	v->insts = i;
	v->ninst++;
	return 0;
}

static const struct conf_kw g_top[] = {
	{ .name = "global_defs", .flags = CONF_F_BLOCK },
	{ .name = "old_thing", .flags = CONF_F_UNSUPPORTED, .max_args = 1 },
	{ .name = "noop", .flags = CONF_F_IGNORED, .max_args = CONF_ARGS_ANY },
	{ .name = "quiet", .flags = CONF_F_IGNORED, .max_args = 1 },
	{ .name = NULL }
};

static const struct conf_kw g_defs[] = {
	{ .name = "router_id", .min_args = 1, .max_args = 1,
	  .set = conf_set_str, .off = offsetof(struct g_root, name) },
	{ .name = "some_id", .min_args = 1, .max_args = 1,
	  .set = conf_set_int, .off = offsetof(struct g_root, id),
	  .lo = 1, .hi = 255 },
	{ .name = "span", .min_args = 1, .max_args = 3 },
	{ .name = "any", .min_args = 1, .max_args = CONF_ARGS_ANY },
	{ .name = "emails", .flags = CONF_F_LIST, .set = set_item },
	{ .name = "opt_list", .flags = CONF_F_LIST | CONF_F_BLOCK_OPT,
	  .set = set_item },
	{ .name = "old_flag", .flags = CONF_F_DEPRECATED,
	  .set = conf_set_flag, .off = offsetof(struct g_root, flag) },
	{ .name = "silent_fail", .max_args = CONF_ARGS_ANY,
	  .set = set_silent_fail },
	{ .name = "nested", .flags = CONF_F_BLOCK, .block = "nest_ctx" },
	{ .name = NULL }
};

static const struct conf_kw g_nest[] = {
	{ .name = "some_id", .min_args = 1, .max_args = 1,
	  .set = conf_set_int, .off = offsetof(struct g_root, id),
	  .lo = 1, .hi = 255 },
	{ .name = NULL }
};

static const struct conf_kw v_defs[] = {
	{ .name = "vrrp_thing", .max_args = 1, .set = conf_set_flag,
	  .off = offsetof(struct v_root, vflag) },
	{ .name = NULL }
};

static const struct conf_kw v_top[] = {
	{ .name = "vrrp_instance", .flags = CONF_F_BLOCK, .min_args = 1,
	  .max_args = 1, .block = "vrrp_instance", .open = open_inst,
	  .close = close_inst },
	{ .name = NULL }
};

static const struct conf_kw v_inst[] = {
	{ .name = "priority", .min_args = 1, .max_args = 1,
	  .set = conf_set_int, .off = offsetof(struct inst, prio),
	  .lo = 1, .hi = 254 },
	{ .name = NULL }
};

static struct conf_registry *reg;
static struct tt_diag td;
static struct g_root groot;
static struct v_root vroot;
static void *roots[CONF_OWNER_MAX];
static struct conf_tree *tree;

static void
setup(void)
{
	reg = conf_registry_new();
	ck_assert_ptr_nonnull(reg);
	ck_assert_int_eq(conf_registry_add(reg, CONF_OWNER_GLOBAL, "", g_top), 0);
	ck_assert_int_eq(conf_registry_add(reg, CONF_OWNER_GLOBAL,
	    "global_defs", g_defs), 0);
	ck_assert_int_eq(conf_registry_add(reg, CONF_OWNER_GLOBAL,
	    "nest_ctx", g_nest), 0);
	ck_assert_int_eq(conf_registry_add(reg, OWNER_A,
	    "global_defs", v_defs), 0);
	ck_assert_int_eq(conf_registry_add(reg, OWNER_A, "", v_top), 0);
	ck_assert_int_eq(conf_registry_add(reg, OWNER_A,
	    "vrrp_instance", v_inst), 0);
	tt_diag_init(&td);
	memset(&groot, 0, sizeof(groot));
	memset(&vroot, 0, sizeof(vroot));
	roots[CONF_OWNER_GLOBAL] = &groot;
	roots[OWNER_A] = &vroot;
	roots[OWNER_B] = NULL;
	tree = NULL;
}

static void
teardown(void)
{
	tt_diag_clear(&td);
	tt_tree_free(tree);
	conf_registry_free(reg);
}

static unsigned
apply(const char *text, unsigned mask)
{
	unsigned n;

	tt_tree_free(tree);
	tree = tt_tree("t.conf", text);
	n = conf_apply(reg, tree, mask, roots, tree->arena, &td.d);
	if (getenv("TT_DUMP") != NULL)
		tt_dump(&td);
	return n;
}

START_TEST(test_find)
{
	enum conf_owner o = CONF_OWNER_MAX;
	const struct conf_kw *kw;

	kw = conf_registry_find(reg, "global_defs", "vrrp_thing", &o);
	ck_assert_ptr_eq(kw, &v_defs[0]);
	ck_assert_int_eq(o, OWNER_A);
	kw = conf_registry_find(reg, "global_defs", "router_id", &o);
	ck_assert_ptr_eq(kw, &g_defs[0]);
	ck_assert_int_eq(o, CONF_OWNER_GLOBAL);
	ck_assert_ptr_null(conf_registry_find(reg, "", "router_id", NULL));
	ck_assert_ptr_null(conf_registry_find(reg, "nope", "router_id", NULL));
}
END_TEST

START_TEST(test_duplicate_refused)
{
	static const struct conf_kw dup[] = {
		{ .name = "brand_new" },
		{ .name = "router_id" },	/* already there */
		{ .name = NULL }
	};
	static const struct conf_kw self_dup[] = {
		{ .name = "x1" }, { .name = "x1" }, { .name = NULL }
	};
	static const struct conf_kw bad_args[] = {
		{ .name = "x2", .min_args = 3, .max_args = 1 }, { .name = NULL }
	};

	ck_assert_int_eq(conf_registry_add(reg, OWNER_B,
	    "global_defs", dup), -1);
	/* nothing of a refused table is added */
	ck_assert_ptr_null(conf_registry_find(reg, "global_defs", "brand_new",
	    NULL));
	ck_assert_int_eq(conf_registry_add(reg, OWNER_B, "x",
	    self_dup), -1);
	ck_assert_int_eq(conf_registry_add(reg, OWNER_B, "x",
	    bad_args), -1);
	/* the same name in another context is fine */
	ck_assert_int_eq(conf_registry_add(reg, OWNER_B, "other",
	    dup), 0);
}
END_TEST

START_TEST(test_unknown_keywords)
{
	unsigned e = apply("bogus 1 2 {\n  inner\n}\nglobal_defs {\n"
	    "  router_id r1\n  what_is_this\n}\n", CONF_OWNERS_ALL);

	ck_assert_uint_eq(e, 0);
	ck_assert(tt_has(&td, CONF_WARN,
	    "t.conf:1: unknown keyword 'bogus' in top level; ignored"));
	ck_assert(tt_has(&td, CONF_WARN,
	    "t.conf:6: unknown keyword 'what_is_this' in global_defs; ignored"));
	/* the unknown block is skipped: its child is not reported */
	ck_assert_uint_eq(td.n, 2);
	ck_assert_str_eq(groot.name, "r1");
}
END_TEST

START_TEST(test_owner_mask)
{
	unsigned e = apply("global_defs {\n  vrrp_thing\n  router_id r\n}\n"
	    "vrrp_instance VI_1 {\n  priority 100\n  junk\n}\n",
	    CONF_OWNER_BIT(CONF_OWNER_GLOBAL) | CONF_OWNER_BIT(OWNER_B));

	ck_assert_uint_eq(e, 0);
	ck_assert_uint_eq(td.n, 0);	/* skipped silently, block included */
	ck_assert_int_eq(vroot.vflag, 0);
	ck_assert_int_eq(vroot.ninst, 0);
	ck_assert_str_eq(groot.name, "r");
}
END_TEST

START_TEST(test_foreign_owner_writes_own_root)
{
	unsigned e = apply("global_defs {\n  vrrp_thing on\n}\n"
	    "vrrp_instance VI_1 {\n  priority 100\n}\n"
	    "vrrp_instance VI_2 {\n  priority 50\n}\n", CONF_OWNERS_ALL);

	ck_assert_uint_eq(e, 0);
	ck_assert_int_eq(vroot.vflag, 1);	/* into roots[VRRP], not groot */
	ck_assert_int_eq(vroot.ninst, 2);
	ck_assert_str_eq(vroot.insts->name, "VI_2");
	ck_assert_int_eq(vroot.insts->prio, 50);
	ck_assert_int_eq(vroot.insts->closed, 1);
	ck_assert_str_eq(vroot.insts->next->name, "VI_1");
	ck_assert_int_eq(vroot.insts->next->prio, 100);
}
END_TEST

START_TEST(test_open_close_errors)
{
	unsigned e = apply("vrrp_instance REFUSE {\n  priority 100\n}\n"
	    "vrrp_instance NOPRIO {\n}\n"
	    "vrrp_instance OK {\n  priority 300\n  priority 3\n}\n",
	    CONF_OWNERS_ALL);

	ck_assert_uint_eq(e, 3);
	ck_assert(tt_has(&td, CONF_ERR, "t.conf:1: vrrp_instance: refused"));
	ck_assert(tt_has(&td, CONF_ERR,
	    "t.conf:4: vrrp_instance: NOPRIO: priority missing"));
	ck_assert(tt_has(&td, CONF_ERR,
	    "t.conf:7: priority: expected 1-254, got 300"));
	ck_assert_int_eq(vroot.ninst, 1);
	ck_assert_int_eq(vroot.insts->prio, 3);
}
END_TEST

START_TEST(test_flags)
{
	unsigned e = apply("old_thing 1 {\n  x\n}\nnoop a b c\n"
	    "global_defs {\n  old_flag\n}\n", CONF_OWNERS_ALL);

	ck_assert_uint_eq(e, 0);
	ck_assert(tt_has(&td, CONF_WARN,
	    "t.conf:1: 'old_thing' is not supported yet; ignored"));
	ck_assert(tt_has(&td, CONF_WARN, "t.conf:6: 'old_flag' is deprecated"));
	ck_assert_uint_eq(td.n, 2);	/* noop: silent */
	ck_assert_int_eq(groot.flag, 1);	/* deprecated is still handled */
}
END_TEST

START_TEST(test_ignored_still_checks_args)
{
	unsigned e = apply("quiet\nquiet on\nquiet a b\n", CONF_OWNERS_ALL);

	/* a word too many is a warning (keepalived ignores it); the value
	 * left is still checked */
	ck_assert_uint_eq(e, 0);
	ck_assert(tt_has(&td, CONF_WARN, "t.conf:3: quiet: expected at most "
	    "1 argument, got 2; ignoring 'b'"));
	ck_assert_uint_eq(td.n, 1);
}
END_TEST

START_TEST(test_arg_counts)
{
	unsigned e = apply("global_defs {\n  router_id\n  router_id a b\n"
	    "  span\n  span 1 2 3 4\n  any\n  span 1 2\n  any 1 2 3 4 5 6\n}\n",
	    CONF_OWNERS_ALL);

	/* too few: an error, nothing stored; too many: a warning, and the
	 * handler sees only the words it takes (keepalived ignores extra
	 * words, so such files must load) */
	ck_assert_uint_eq(e, 3);
	ck_assert(tt_has(&td, CONF_ERR,
	    "t.conf:2: router_id: expected 1 argument, got 0"));
	ck_assert(tt_has(&td, CONF_WARN,
	    "t.conf:3: router_id: expected 1 argument, got 2; ignoring 'b'"));
	ck_assert(tt_has(&td, CONF_ERR,
	    "t.conf:4: span: expected 1..3 arguments, got 0"));
	ck_assert(tt_has(&td, CONF_WARN, "t.conf:5: span: expected at most 3 "
	    "arguments, got 4; ignoring '4'"));
	ck_assert(tt_has(&td, CONF_ERR,
	    "t.conf:6: any: expected at least 1 argument, got 0"));
	ck_assert_str_eq(groot.name, "a");
}
END_TEST

START_TEST(test_block_shape)
{
	unsigned e = apply("global_defs {\n  router_id r {\n    x\n  }\n"
	    "  emails\n  opt_list\n  nested {\n    some_id 7\n  }\n}\n"
	    "global_defs\n", CONF_OWNERS_ALL);

	ck_assert_uint_eq(e, 3);
	ck_assert(tt_has(&td, CONF_ERR,
	    "t.conf:2: router_id: takes no { } block"));
	ck_assert(tt_has(&td, CONF_ERR,
	    "t.conf:5: emails: expected a { } block"));
	ck_assert(tt_has(&td, CONF_ERR,
	    "t.conf:11: global_defs: expected a { } block"));
	ck_assert_ptr_null(groot.name);
	ck_assert_int_eq(groot.id, 7);	/* nested context "nest_ctx" */
}
END_TEST

START_TEST(test_list)
{
	unsigned e = apply("global_defs {\n  emails {\n    a@x\n    b@x c d\n"
	    "    sub {\n      zz\n    }\n    bad\n    c@x\n  }\n}\n",
	    CONF_OWNERS_ALL);

	ck_assert_uint_eq(e, 2);
	ck_assert(tt_has(&td, CONF_ERR,
	    "t.conf:5: emails: item 'sub' cannot open a { } block"));
	ck_assert(tt_has(&td, CONF_ERR, "t.conf:8: bad: bad item"));
	ck_assert_int_eq(groot.nitems, 3);
	ck_assert_str_eq(groot.items[0], "a@x");
	ck_assert_str_eq(groot.items[1], "b@x");
	ck_assert_str_eq(groot.items[2], "c@x");
}
END_TEST

START_TEST(test_silent_handler_failure_counted)
{
	unsigned e = apply("global_defs {\n  silent_fail x\n}\n",
	    CONF_OWNERS_ALL);

	ck_assert_uint_eq(e, 1);
	ck_assert(tt_has(&td, CONF_ERR, "t.conf:2: silent_fail: invalid value"));
}
END_TEST

START_TEST(test_conf_error_format)
{
	/* every error is counted and reported, apply does not stop early */
	unsigned e = apply("global_defs {\n  some_id 0\n  some_id abc\n"
	    "  some_id 256\n  some_id 255\n}\n", CONF_OWNERS_ALL);

	ck_assert_uint_eq(e, 3);
	ck_assert_uint_eq(td.d.nerr, 3);
	ck_assert(tt_has(&td, CONF_ERR,
	    "t.conf:2: some_id: expected 1-255, got 0"));
	ck_assert(tt_has(&td, CONF_ERR,
	    "t.conf:3: some_id: expected 1-255, got abc"));
	ck_assert(tt_has(&td, CONF_ERR,
	    "t.conf:4: some_id: expected 1-255, got 256"));
	ck_assert_int_eq(groot.id, 255);
}
END_TEST

START_TEST(test_long_message_whole)
{
	/* a message longer than any fixed buffer reaches the emitter whole */
	char conf[2200], want[2200];
	char big[1501];

	memset(big, 'x', 1500);
	big[1500] = '\0';
	snprintf(conf, sizeof(conf), "global_defs {\n  some_id %s\n}\n", big);
	snprintf(want, sizeof(want), "t.conf:2: some_id: expected 1-255, got %s",
	    big);
	ck_assert_uint_eq(apply(conf, CONF_OWNERS_ALL), 1);
	ck_assert(tt_has(&td, CONF_ERR, want));
}
END_TEST

START_TEST(test_large_tree_fast)
{
	enum { N = 100000 };
	struct arena *a = arena_new();
	struct conf_tree *t = arena_alloc(a, sizeof(*t));
	struct conf_node *gd, **tail;
	static const char *const kws[] = { "router_id", "some_id", "span",
		"vrrp_thing" };
	clock_t c0;
	unsigned i, e;
	double secs;

	t->arena = a;
	gd = tt_node(a, "big.conf", 1, "global_defs", 11);
	gd->block = 1;
	t->first = gd;
	tail = &gd->child;
	for (i = 0; i < N; i++) {
		char buf[64];
		int len;
		struct conf_node *n;

		len = snprintf(buf, sizeof(buf), "%s %u", kws[i % 4], i % 200 + 1);
		n = tt_node(a, "big.conf", i + 2, buf, (size_t)len);
		*tail = n;
		tail = &n->next;
	}
	t->nnodes = N + 1;
	c0 = clock();
	e = conf_apply(reg, t, CONF_OWNERS_ALL, roots, a, &td.d);
	secs = (double)(clock() - c0) / CLOCKS_PER_SEC;
	/* vrrp_thing takes a <BOOL>; "1".."200" are not booleans */
	ck_assert_uint_eq(e, N / 4);
	ck_assert_int_eq(groot.id, (N - 3) % 200 + 1);
	ck_assert_msg(secs < 2.0, "100k statements took %.2f s", secs);
	arena_free(a);
}
END_TEST

static Suite *
registry_suite(void)
{
	Suite *s = suite_create("registry");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, test_find);
	tcase_add_test(tc, test_duplicate_refused);
	tcase_add_test(tc, test_unknown_keywords);
	tcase_add_test(tc, test_owner_mask);
	tcase_add_test(tc, test_foreign_owner_writes_own_root);
	tcase_add_test(tc, test_open_close_errors);
	tcase_add_test(tc, test_flags);
	tcase_add_test(tc, test_ignored_still_checks_args);
	tcase_add_test(tc, test_arg_counts);
	tcase_add_test(tc, test_block_shape);
	tcase_add_test(tc, test_list);
	tcase_add_test(tc, test_silent_handler_failure_counted);
	tcase_add_test(tc, test_conf_error_format);
	tcase_add_test(tc, test_long_message_whole);
	tcase_add_test(tc, test_large_tree_fast);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return check_run(registry_suite());
}

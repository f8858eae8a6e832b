/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Object records on the wire (lib/ipc_msg.c) and the parent's state store
 * (daemon/state.c): hostile records are refused, snapshots arrive in
 * chunks and replace, events update, the store follows the configuration,
 * overrides survive reloads but not the removal of their object, and the
 * hand-over a restarted child gets carries everything in bounded chunks.
 */
#define _GNU_SOURCE
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/state.h"
#include "ipc_msg.h"
#include "subsys.h"

/* two owners besides global_defs, as subsystems number themselves */
#define OWNER_A 1
#define OWNER_B 2
#include "check_run.h"

/* ---- records -------------------------------------------------------------- */

static struct ipc_obj
mkobj(const char *kind, const char *name, const char *state)
{
	struct ipc_obj o = { kind, name, state, "", 7, 0, IPC_OBJ_NO_WEIGHT,
	    1234, "" };

	return o;
}

START_TEST(records_round_trip)
{
	struct ipc_objbuf b = { 0 };
	struct ipc_obj o = mkobj("real_server", "vs / [10.0.0.1]:80", "up");
	struct ipc_obj r;
	const char *p;
	size_t left;

	o.detail = "connect ok";
	o.attrs = "latency_us=812\nlast_result=connect ok";
	o.weight = -3;
	o.flags = IPC_OBJ_DRAIN;
	ck_assert_int_eq(ipc_obj_put(&b, &o), 0);
	ck_assert_int_eq(ipc_obj_put(&b, &o), 0);
	ck_assert_uint_eq(b.count, 2);
	p = b.data;
	left = b.len;
	for (int i = 0; i < 2; i++) {
		ck_assert_int_eq(ipc_obj_next(&p, &left, &r), 1);
		ck_assert_str_eq(r.kind, "real_server");
		ck_assert_str_eq(r.name, "vs / [10.0.0.1]:80");
		ck_assert_str_eq(r.state, "up");
		ck_assert_str_eq(r.detail, "connect ok");
		ck_assert_str_eq(r.attrs, "latency_us=812\nlast_result=connect ok");
		ck_assert_int_eq(r.weight, -3);
		ck_assert_uint_eq(r.flags, IPC_OBJ_DRAIN);
		ck_assert_uint_eq(r.generation, 7);
		ck_assert_uint_eq(r.since, 1234);
	}
	ck_assert_int_eq(ipc_obj_next(&p, &left, &r), 0);
	ipc_objbuf_free(&b);
}
END_TEST

START_TEST(records_hostile)
{
	struct ipc_objbuf b = { 0 };
	struct ipc_obj o = mkobj("k", "name", "s"), r;
	const char *p;
	size_t left;
	char *copy;

	ck_assert_int_eq(ipc_obj_put(&b, &o), 0);
	/* every truncation is refused, never read past */
	for (size_t cut = 1; cut < b.len; cut++) {
		copy = malloc(cut);
		memcpy(copy, b.data, cut);
		p = copy;
		left = cut;
		ck_assert_int_eq(ipc_obj_next(&p, &left, &r), -1);
		free(copy);
	}
	/* a string without its NUL, or with one inside */
	copy = malloc(b.len);
	memcpy(copy, b.data, b.len);
	copy[b.len - 1] = 'x';
	p = copy;
	left = b.len;
	ck_assert_int_eq(ipc_obj_next(&p, &left, &r), -1);
	memcpy(copy, b.data, b.len);
	/* "name" is the second string: make it "na\0e" */
	{
		char *n = memmem(copy, b.len, "name", 5);

		ck_assert_ptr_nonnull(n);
		n[2] = '\0';
	}
	p = copy;
	left = b.len;
	ck_assert_int_eq(ipc_obj_next(&p, &left, &r), -1);
	free(copy);
	ipc_objbuf_free(&b);
}
END_TEST

START_TEST(records_long_strings_cut)
{
	struct ipc_objbuf b = { 0 };
	char *longname = malloc(5000);
	struct ipc_obj o, r;
	const char *p;
	size_t left;

	memset(longname, 'a', 4999);
	longname[4999] = '\0';
	o = mkobj("k", longname, "s");
	ck_assert_int_eq(ipc_obj_put(&b, &o), 0);
	p = b.data;
	left = b.len;
	ck_assert_int_eq(ipc_obj_next(&p, &left, &r), 1);
	ck_assert_uint_eq(strlen(r.name), IPC_OBJ_MAX_STR);
	free(longname);
	ipc_objbuf_free(&b);
}
END_TEST

START_TEST(attrs_build_and_read)
{
	struct ipc_attrs a;
	const char *p, *k, *v;
	size_t kl, vl;
	char val[64];
	unsigned n = 0;

	ipc_attrs_init(&a);
	ck_assert_str_eq(a.buf, "");
	ipc_attrs_add(&a, "priority", "%d", 100);
	ipc_attrs_add(&a, "vips", "%s", "10.0.0.1 10.0.0.2");
	ipc_attrs_add(&a, "reason", "%s", "two\nlines");	/* one line */
	ck_assert_str_eq(a.buf, "priority=100\nvips=10.0.0.1 10.0.0.2\n"
	    "reason=two lines");
	ck_assert_int_eq(ipc_attrs_get(a.buf, "vips", val, sizeof(val)), 1);
	ck_assert_str_eq(val, "10.0.0.1 10.0.0.2");
	ck_assert_int_eq(ipc_attrs_get(a.buf, "prio", val, sizeof(val)), 0);
	ck_assert_int_eq(ipc_attrs_get(a.buf, "priority", val, 3), 1);
	ck_assert_str_eq(val, "10");	/* cut to the buffer */
	/* a line that is not key=value (from a hostile child) is skipped */
	p = "junk\n=x\nok=1\n";
	while (ipc_attrs_next(&p, &k, &kl, &v, &vl)) {
		ck_assert_uint_eq(kl, 2);
		ck_assert_int_eq(memcmp(k, "ok", 2), 0);
		ck_assert_uint_eq(vl, 1);
		n++;
	}
	ck_assert_uint_eq(n, 1);
	/* what does not fit is dropped whole and counted */
	ipc_attrs_init(&a);
	for (int i = 0; i < 2000; i++)
		ipc_attrs_add(&a, "counter", "%d", i);
	ck_assert_uint_gt(a.dropped, 0);
	ck_assert_uint_lt(a.len, sizeof(a.buf));
	ck_assert_uint_eq(strlen(a.buf), a.len);
	ck_assert_int_eq(a.buf[a.len - 1] != '\n', 1);
	n = 0;
	p = a.buf;
	while (ipc_attrs_next(&p, &k, &kl, &v, &vl))
		n++;
	ck_assert_uint_eq(n + a.dropped, 2000);
}
END_TEST

/* ---- a subsystem whose configuration is a list of names ------------------- */

struct fake_conf {
	const char *const *names;
};

static unsigned
fake_objects(const void *conf, subsys_obj_fn *fn, void *arg)
{
	const struct fake_conf *c = conf;
	unsigned n = 0;

	for (; c->names[n] != NULL; n++)
		if (fn != NULL)
			fn(arg, "thing", c->names[n]);
	return n;
}

static const struct subsys fake = {
	.name = "fake",
	.owner = OWNER_A,
	.conf_objects = fake_objects,
};

/* 1: names made ahead (a reload's worker), else state_conf_sync */
static int by_names;

static void
sync_to(struct state_store *st, const char *const *names, unsigned gen)
{
	struct fake_conf fc = { names };
	struct vigil_config cfg = { .generation = gen };
	struct state_names *nm;

	cfg.conf[OWNER_A] = &fc;
	if (!by_names) {
		ck_assert_int_eq(state_conf_sync(st, &fake, &cfg), 0);
		return;
	}
	ck_assert_ptr_nonnull(nm = state_names_new(&fake, &cfg));
	ck_assert_int_eq(state_names_sync(st, nm, gen), 0);
	state_names_free(nm);
}

/* An IPC_STATE message of the records given. */
static void
feed(struct state_store *st, uint32_t flags, uint32_t gen,
    const struct ipc_obj *objs, int n, int expect)
{
	struct ipc_objbuf b = { 0 };
	struct ipc_state h = { .flags = flags, .generation = gen };
	char *msg;

	for (int i = 0; i < n; i++)
		ck_assert_int_eq(ipc_obj_put(&b, &objs[i]), 0);
	msg = malloc(sizeof(h) + b.len + 1);
	memcpy(msg, &h, sizeof(h));
	if (b.len > 0)
		memcpy(msg + sizeof(h), b.data, b.len);
	ck_assert_int_eq(state_ipc(st, msg, sizeof(h) + b.len), expect);
	free(msg);
	ipc_objbuf_free(&b);
}

START_TEST(store_follows_configuration)
{
	static const char *const g1[] = { "b", "a", "c", NULL };
	static const char *const g1b[] = { "c", "b", "a", NULL };
	static const char *const g2[] = { "a", "d", NULL };
	struct state_store st;
	struct ipc_obj up = mkobj("thing", "a", "MASTER");
	const struct state_obj *a;

	by_names = _i;
	state_init(&st);
	sync_to(&st, g1, 1);
	ck_assert_str_eq(state_find(&st, "thing", "b")->state, "not started");
	ck_assert_uint_eq(state_find(&st, "thing", "c")->generation, 1);
	feed(&st, 0, 1, &up, 1, 0);	/* an event */
	ck_assert_str_eq(state_find(&st, "thing", "a")->state, "MASTER");
	ck_assert_int_eq(state_override_set(&st, "thing", "a", 5, 0), 0);
	ck_assert_int_eq(state_override_set(&st, "thing", "b", IPC_OBJ_NO_WEIGHT,
	    IPC_OBJ_DRAIN), 0);

	/* the same objects (in another order): every one kept as it was */
	a = state_find(&st, "thing", "a");
	sync_to(&st, g1b, 2);
	ck_assert_uint_eq(st.objs.n, 3);
	ck_assert_ptr_nonnull(state_find(&st, "thing", "c"));
	ck_assert_str_eq(state_find(&st, "thing", "a")->state, "MASTER");
	if (by_names)	/* nothing moved at all */
		ck_assert_ptr_eq(state_find(&st, "thing", "a"), a);
	ck_assert_ptr_nonnull(state_override_find(&st, "thing", "b"));

	sync_to(&st, g2, 2);
	/* kept its state, the new one appears, the removed ones go */
	ck_assert_str_eq(state_find(&st, "thing", "a")->state, "MASTER");
	ck_assert_str_eq(state_find(&st, "thing", "d")->state, "not started");
	ck_assert_uint_eq(state_find(&st, "thing", "d")->generation, 2);
	ck_assert_ptr_null(state_find(&st, "thing", "b"));
	ck_assert_ptr_null(state_find(&st, "thing", "c"));
	ck_assert_uint_eq(st.objs.n, 2);
	/* the override of a kept object stays, of a removed one goes */
	ck_assert_int_eq(state_override_find(&st, "thing", "a")->weight, 5);
	ck_assert_ptr_null(state_override_find(&st, "thing", "b"));
	state_override_clear(&st, "thing", "a");
	ck_assert_ptr_null(state_override_find(&st, "thing", "a"));
	state_fini(&st);
}
END_TEST

START_TEST(store_snapshot_in_chunks)
{
	static const char *const g1[] = { "old", NULL };
	struct state_store st;
	struct ipc_obj a = mkobj("thing", "x", "up"),
	    b = mkobj("thing", "y", "down"), c = mkobj("thing", "z", "up");

	state_init(&st);
	sync_to(&st, g1, 1);
	feed(&st, IPC_STATE_BEGIN, 3, &a, 1, 0);
	/* until the end, the old objects are what the store shows */
	ck_assert_ptr_nonnull(state_find(&st, "thing", "old"));
	ck_assert_ptr_null(state_find(&st, "thing", "x"));
	feed(&st, 0, 3, &b, 1, 0);
	feed(&st, IPC_STATE_END, 3, &c, 1, 0);
	ck_assert_ptr_null(state_find(&st, "thing", "old"));
	ck_assert_str_eq(state_find(&st, "thing", "y")->state, "down");
	ck_assert_uint_eq(st.objs.n, 3);
	ck_assert_uint_eq(st.generation, 3);
	ck_assert_uint_eq(st.snapshots, 1);

	/* a child dying in the middle of a snapshot leaves the last one */
	feed(&st, IPC_STATE_BEGIN, 4, &a, 1, 0);
	state_child_gone(&st);
	ck_assert_uint_eq(st.objs.n, 3);
	/* an end without a beginning, a truncated message, an override set
	 * by a child: refused */
	feed(&st, IPC_STATE_END, 4, &a, 1, -1);
	ck_assert_int_eq(state_ipc(&st, "abc", 3), -1);
	a.flags = IPC_OBJ_OVERRIDE | IPC_OBJ_DRAIN;
	feed(&st, 0, 4, &a, 1, -1);
	a.flags = IPC_OBJ_OVERRIDE;
	a.weight = 3;
	feed(&st, 0, 4, &a, 1, -1);
	ck_assert_uint_eq(st.objs.n, 3);
	ck_assert_ptr_null(state_override_find(&st, "thing", "x"));

	/* a child saying a reload changed an object: its override goes, the
	 * object's state stays */
	ck_assert_int_eq(state_override_set(&st, "thing", "y", IPC_OBJ_NO_WEIGHT,
	    IPC_OBJ_DRAIN), 0);
	ck_assert_int_eq(state_override_set(&st, "thing", "z", 4, 0), 0);
	b.flags = IPC_OBJ_OVERRIDE;
	b.state = "";
	feed(&st, 0, 4, &b, 1, 0);
	ck_assert_ptr_null(state_override_find(&st, "thing", "y"));
	ck_assert_int_eq(state_override_find(&st, "thing", "z")->weight, 4);
	ck_assert_str_eq(state_find(&st, "thing", "y")->state, "down");
	ck_assert_uint_eq(st.objs.n, 3);
	state_fini(&st);
}
END_TEST

struct collect {
	unsigned msgs, objs, overrides, ends, max;
	int end_last;
};

static int
collect_send(void *arg, const void *buf, size_t len)
{
	struct collect *c = arg;
	struct ipc_state h;
	const char *p;
	size_t left;
	struct ipc_obj o;
	int r;

	ck_assert_uint_le(len, IPC_MAX_MSG);
	ck_assert_uint_ge(len, sizeof(h));
	memcpy(&h, buf, sizeof(h));
	c->msgs++;
	if (len > c->max)
		c->max = (unsigned)len;
	c->end_last = (h.flags & IPC_STATE_END) != 0;
	c->ends += c->end_last;
	p = (const char *)buf + sizeof(h);
	left = len - sizeof(h);
	while ((r = ipc_obj_next(&p, &left, &o)) > 0) {
		if (o.flags & IPC_OBJ_OVERRIDE)
			c->overrides++;
		else
			c->objs++;
	}
	ck_assert_int_eq(r, 0);
	return 0;
}

START_TEST(store_handover_chunks)
{
	enum { N = 5000 };
	char **names = calloc(N + 1, sizeof(*names));
	struct state_store st;
	struct collect c = { 0 };

	for (int i = 0; i < N; i++) {
		names[i] = malloc(64);
		snprintf(names[i], 64, "[10.0.%d.%d]:80 / real server", i / 250,
		    i % 250);
	}
	state_init(&st);
	sync_to(&st, (const char *const *)names, 1);
	ck_assert_uint_eq(st.objs.n, N);
	ck_assert_int_eq(state_override_set(&st, "thing", names[17], 0,
	    IPC_OBJ_DRAIN), 0);
	ck_assert_int_eq(state_handover(&st, 1, collect_send, &c), 0);
	ck_assert_uint_eq(c.objs, N);
	ck_assert_uint_eq(c.overrides, 1);
	ck_assert_uint_gt(c.msgs, 2);	/* it did not fit in one */
	ck_assert_uint_eq(c.ends, 1);
	ck_assert_int_eq(c.end_last, 1);

	/* an empty store hands over one empty message that ends it */
	state_fini(&st);
	state_init(&st);
	memset(&c, 0, sizeof(c));
	ck_assert_int_eq(state_handover(&st, 1, collect_send, &c), 0);
	ck_assert_uint_eq(c.msgs, 1);
	ck_assert_int_eq(c.end_last, 1);
	state_fini(&st);
	for (int i = 0; i < N; i++)
		free(names[i]);
	free(names);
}
END_TEST

/* Two subsystems numbering themselves the same are refused. */
START_TEST(table_owner_clash)
{
	static const struct subsys a = { .name = "a", .owner = OWNER_A,
	    .conf_register = NULL };
	const struct subsys *const clash[] = { &global_subsys, &a, &a, NULL };
	const struct subsys *const global_twice[] = { &global_subsys,
	    &global_subsys, NULL };

	ck_assert_ptr_null(subsys_registry_new(clash));
	ck_assert_ptr_null(subsys_registry_new(global_twice));
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("state");
	TCase *tc = tcase_create("state");

	tcase_add_test(tc, records_round_trip);
	tcase_add_test(tc, records_hostile);
	tcase_add_test(tc, records_long_strings_cut);
	tcase_add_test(tc, attrs_build_and_read);
	/* 0: state_conf_sync; 1: names made ahead, state_names_sync */
	tcase_add_loop_test(tc, store_follows_configuration, 0, 2);
	tcase_add_test(tc, store_snapshot_in_chunks);
	tcase_add_test(tc, store_handover_chunks);
	tcase_add_test(tc, table_owner_clash);
	suite_add_tcase(s, tc);
	return check_run(s);
}

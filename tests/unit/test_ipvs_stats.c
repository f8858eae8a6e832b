/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The kernel's IPVS counters from the checker child to the readers.
 *
 * The child's side (healthcheck/chk_stats.c) runs on the engine with a
 * scripted checker kind (its probes never end: the servers stay as they
 * are) and a data-plane backend whose counters the test sets: a round
 * over many virtual servers is spread over turns of the loop, at most
 * CHK_STATS_BUDGET kernel services each, every service read once; the
 * first round sends whole records, a later one only the keys that
 * changed, a destination the kernel dropped a whole record again.
 *
 * The parent's side: counters records (IPC_OBJ_COUNTERS) merge into the
 * store, and JSON, vigilctl show ipvs and Prometheus show the result.
 */
#define _GNU_SOURCE
#include "autoconfig.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <event2/event.h>
#include <jansson.h>

#include "check_run.h"
#include "daemon/prom.h"
#include "daemon/state.h"
#include "daemon/state_json.h"
#include "daemon/supervisor_int.h"
#include "daemon/vconfig.h"
#include "daemon/vigilctl.h"
#include "healthcheck/chk_attrs.h"
#include "healthcheck/chk_stats.h"
#include "healthcheck/engine.h"
#include "ipc_msg.h"
#include "loop.h"
#include "state_feed.h"

/* ---- the child's side ---------------------------------------------------- */

/* probes that never end: the servers keep their state */
static int
fake_start(struct chk_probe *p)
{
	(void)p;
	return 0;
}

static void
fake_cancel(struct chk_probe *p)
{
	(void)p;
}

static const struct chk_kind fake = {
	.kind = CHK_TCP, .name = "TCP_CHECK", .start = fake_start,
	.cancel = fake_cancel, .fds = 0,
};

const struct chk_kind *
chk_kind_find(enum chk_checker_kind k)
{
	return k == CHK_TCP ? &fake : NULL;
}

/* the kernel as the fake backend shows it */
static uint64_t epoch;			/* conns: VS 2 * epoch, RS epoch */
static struct in_addr gone;		/* a destination it no longer holds */
static unsigned begins, reads, turn_reads;

static int fb_token;

static void *
fb_open(struct event_base *b)
{
	(void)b;
	return &fb_token;
}

static int
fb_apply(void *b, const struct dp_change *c, size_t n)
{
	(void)b;
	(void)c;
	(void)n;
	return 0;
}

static void
fb_dump(void *b, FILE *fp)
{
	(void)b;
	(void)fp;
}

static void
fb_close(void *b, int flush)
{
	(void)b;
	(void)flush;
}

static int
fb_begin(void *b)
{
	(void)b;
	begins++;
	return 0;
}

static int
fb_read(void *b, const struct dp_service *s)
{
	(void)b;
	(void)s;
	reads++;
	turn_reads++;
	return 1;
}

static int
fb_counters(void *b, const struct dp_service *s, const struct vg_addr *a,
    unsigned port, struct dp_counters *c)
{
	(void)b;
	(void)s;
	(void)port;
	if (a != NULL && a->u.v4.s_addr == gone.s_addr)
		return 0;
	if (a != NULL && a->u.v4.s_addr == htonl(0x0a020009)) {
		c->conns = 5 * epoch;	/* the sorry server 10.2.0.9:8080 */
		c->inpkts = 11;
		return port == 8080;
	}
	c->conns = a != NULL ? epoch : 2 * epoch;
	c->inpkts = c->outpkts = 100;
	c->inbytes = c->outbytes = 5000;
	if (a != NULL)
		c->active = 3;
	return 1;
}

static const struct dp_backend_ops fake_backend = {
	.name = "fake", .open = fb_open, .apply = fb_apply, .dump = fb_dump,
	.close = fb_close, .stats_begin = fb_begin, .stats_read = fb_read,
	.counters = fb_counters,
};

/* what reached the parent */
static unsigned whole_vs, whole_rs, records;
static char last_attrs[IPC_OBJ_MAX_ATTRS];
static char sorry_attrs[IPC_OBJ_MAX_ATTRS + 256];

static void
on_rs(void *arg, const struct chk_rsrun *rs)
{
	(void)arg;
	(void)rs;
	whole_rs++;
}

static void
on_vs(void *arg, const struct chk_vsrun *vs)
{
	(void)arg;
	(void)vs;
	whole_vs++;
}

static void
on_counters(void *arg, const char *kind, const char *name, const char *attrs)
{
	(void)arg;
	ck_assert(strcmp(kind, "virtual_server") == 0 ||
	    strcmp(kind, "real_server") == 0);
	ck_assert_ptr_nonnull(strstr(name, "10.0."));
	snprintf(last_attrs, sizeof(last_attrs), "%s", attrs);
	if (strncmp(attrs, "sorry_", 6) == 0)
		snprintf(sorry_attrs, sizeof(sorry_attrs), "%s %s", name,
		    attrs);
	records++;
}

static void
counts_reset(void)
{
	whole_vs = whole_rs = records = 0;
	begins = reads = 0;
}

static struct event_base *base;
static struct vigil_config *cfg;
static struct chk_engine *eng;
static int with_sorry;		/* the first virtual server has one */

/* nvs virtual servers of two real servers (10.1.0.1, 10.1.0.2) each */
static void
engine_up(unsigned nvs)
{
	struct conf_load_opts lo = { 0 };
	struct conf_diag d = { .emit = conf_diag_print, .arg = stderr };
	struct chk_engine_hooks hooks = { on_rs, on_vs, NULL, NULL, NULL,
	    NULL };
	char path[] = "/tmp/vigil-ipvs-stats.XXXXXX";
	int fd = mkstemp(path);
	FILE *f;

	ck_assert_int_ge(fd, 0);
	ck_assert_ptr_nonnull(f = fdopen(fd, "w"));
	for (unsigned i = 0; i < nvs; i++)
		fprintf(f, "virtual_server 10.0.%u.%u 80 {\n delay_loop 600\n"
		    " protocol TCP\n lb_kind NAT\n"
		    " real_server 10.1.0.1 80 {\n  TCP_CHECK {\n  }\n }\n"
		    " real_server 10.1.0.2 80 {\n  TCP_CHECK {\n  }\n }\n%s}\n",
		    i / 250, i % 250 + 1, i == 0 && with_sorry ?
		    " sorry_server 10.2.0.9 8080\n" : "");
	fclose(f);
	ck_assert_int_eq(vconfig_load(path, &lo, &d, &cfg), 0);
	unlink(path);
	ck_assert_ptr_nonnull(base = loop_new());
	ck_assert_ptr_nonnull(eng = chk_engine_new(base, NULL, &fake_backend,
	    &hooks));
	ck_assert_int_eq(chk_engine_start(eng, cfg->conf[CONF_OWNER_CHECK],
	    NULL, NULL), 0);
	/* the checks are attached in slices: bounded */
	for (unsigned i = 0; i < 10000 && eng->npending > 0; i++)
		event_base_loop(base, EVLOOP_ONCE | EVLOOP_NONBLOCK);
	ck_assert_uint_eq(eng->npending, 0);
	ck_assert_uint_eq(eng->nvs, nvs);
	epoch = 1;
	gone.s_addr = 0;
	counts_reset();
}

static void
engine_down(struct chk_stats *s)
{
	chk_stats_free(s);
	chk_engine_free(eng, 0);
	event_base_free(base);
	vconfig_free(cfg);
}

/* Turn the loop until a round has read every one of nvs services;
 * returns the most kernel services one turn read. */
static unsigned
round_turns(unsigned nvs, unsigned *turns)
{
	unsigned most = 0;

	*turns = 0;
	for (unsigned i = 0; i < 1000 && reads < nvs; i++) {
		turn_reads = 0;
		event_base_loop(base, EVLOOP_ONCE | EVLOOP_NONBLOCK);
		if (turn_reads > most)
			most = turn_reads;
		*turns += turn_reads > 0;
	}
	return most;
}

START_TEST(round_spread_and_changes_only)
{
	const unsigned nvs = 300;
	struct chk_stats *s;
	struct chk_vsrun *vs;
	struct chk_rsrun *rs;
	struct ipc_attrs a;
	unsigned turns, most;

	engine_up(nvs);
	ck_assert_ptr_nonnull(s = chk_stats_new(base, eng, on_counters, NULL));

	/* nobody asked: no round */
	for (unsigned i = 0; i < 20; i++)
		event_base_loop(base, EVLOOP_ONCE | EVLOOP_NONBLOCK);
	ck_assert_uint_eq(begins, 0);

	/* asked: the services' dump now, their destinations later */
	chk_stats_asked(s);
	ck_assert_uint_eq(begins, 1);
	ck_assert_uint_eq(reads, 0);
	most = round_turns(nvs, &turns);
	ck_assert_uint_eq(reads, nvs);		/* each once */
	ck_assert_uint_le(most, CHK_STATS_BUDGET);
	ck_assert_uint_ge(turns, (nvs + CHK_STATS_BUDGET - 1) /
	    CHK_STATS_BUDGET);
	/* the state dump tells the round's figures (never timed here) */
	{
		char *t = NULL;
		size_t tl = 0;
		FILE *fp = open_memstream(&t, &tl);

		ck_assert_ptr_nonnull(fp);
		chk_stats_dump(s, fp);
		fclose(fp);
		ck_assert_msg(strstr(t, "last round: 300 service(s) in ") !=
		    NULL && strstr(t, " 301 request(s) in ") != NULL, "%s", t);
		free(t);
	}
	/* first known: whole records, no counters record */
	ck_assert_uint_eq(whole_vs, nvs);
	ck_assert_uint_eq(whole_rs, 2 * nvs);
	ck_assert_uint_eq(records, 0);
	vs = TAILQ_FIRST(&eng->vslist);
	rs = TAILQ_FIRST(&vs->rs);
	ipc_attrs_init(&a);
	chk_rs_attrs(rs, &a);
	ck_assert_ptr_nonnull(strstr(a.buf, "\nipvs_connections=1\n"
	    "ipvs_active_connections=3\nipvs_inactive_connections=0\n"
	    "ipvs_persistent_connections=0\nipvs_packets_in=100\n"));
	ipc_attrs_init(&a);
	chk_vs_attrs(vs, &a);
	ck_assert_ptr_nonnull(strstr(a.buf, "\nipvs_connections=2\n"
	    "ipvs_packets_in=100\n"));
	ck_assert_ptr_null(strstr(a.buf, "ipvs_active_connections"));

	/* the next round (the interval: one second; asked within the idle
	 * bound, so the tick starts it): only the changed key */
	chk_stats_interval(s, 1);
	epoch = 7;
	counts_reset();
	for (unsigned i = 0; i < 100 && begins == 0; i++)
		event_base_loop(base, EVLOOP_ONCE);
	ck_assert_uint_eq(begins, 1);
	(void)round_turns(nvs, &turns);
	ck_assert_uint_eq(reads, nvs);
	ck_assert_uint_eq(whole_vs + whole_rs, 0);
	ck_assert_uint_eq(records, 3 * nvs);
	ck_assert_str_eq(last_attrs, "ipvs_connections=7");

	/* a destination the kernel no longer holds: a whole record without
	 * its counters; unchanged ones send nothing */
	inet_pton(AF_INET, "10.1.0.2", &gone);
	counts_reset();
	for (unsigned i = 0; i < 100 && begins == 0; i++)
		event_base_loop(base, EVLOOP_ONCE);
	(void)round_turns(nvs, &turns);
	ck_assert_uint_eq(whole_rs, nvs);
	ck_assert_uint_eq(whole_vs + records, 0);
	rs = TAILQ_NEXT(TAILQ_FIRST(&vs->rs), link);
	ipc_attrs_init(&a);
	chk_rs_attrs(rs, &a);
	ck_assert_ptr_null(strstr(a.buf, "ipvs_"));

	/* 0: never read */
	chk_stats_interval(s, 0);
	counts_reset();
	chk_stats_asked(s);
	for (unsigned i = 0; i < 20; i++)
		event_base_loop(base, EVLOOP_ONCE | EVLOOP_NONBLOCK);
	ck_assert_uint_eq(begins + reads, 0);
	engine_down(s);
}
END_TEST

START_TEST(small_table_read_before_the_snapshot)
{
	struct chk_stats *s;

	engine_up(3);
	ck_assert_ptr_nonnull(s = chk_stats_new(base, eng, on_counters, NULL));
	chk_stats_asked(s);
	/* within the budget: read before asked() returns, so the snapshot
	 * that follows carries them */
	ck_assert_uint_eq(begins, 1);
	ck_assert_uint_eq(reads, 3);
	ck_assert_uint_eq(whole_vs + whole_rs, 9);
	/* asked again at once: fresh enough, no new round */
	chk_stats_asked(s);
	ck_assert_uint_eq(begins, 1);
	engine_down(s);
}
END_TEST

/* the snapshot a reader asked for, held for a round (proc_ops.asked) */
static unsigned readied;

static void
on_ready(void *arg)
{
	(void)arg;
	readied++;
}

START_TEST(large_table_holds_the_snapshot)
{
	const unsigned nvs = 300;
	struct chk_stats *s;
	unsigned at_ready = 0;

	engine_up(nvs);
	ck_assert_ptr_nonnull(s = chk_stats_new(base, eng, on_counters, NULL));
	/* without a ready function nothing is held */
	ck_assert_int_eq(chk_stats_asked(s), 0);
	engine_down(s);

	engine_up(nvs);
	ck_assert_ptr_nonnull(s = chk_stats_new(base, eng, on_counters, NULL));
	chk_stats_on_ready(s, on_ready, NULL);
	readied = 0;
	/* more than a turn's budget: the round starts, the snapshot waits */
	ck_assert_int_eq(chk_stats_asked(s), 1);
	ck_assert_uint_eq(begins, 1);
	ck_assert_uint_lt(reads, nvs);
	ck_assert_uint_eq(readied, 0);
	/* another reader meanwhile joins the same wait, no second round */
	ck_assert_int_eq(chk_stats_asked(s), 1);
	ck_assert_uint_eq(begins, 1);
	for (unsigned i = 0; i < 1000 && readied == 0; i++) {
		event_base_loop(base, EVLOOP_ONCE | EVLOOP_NONBLOCK);
		if (readied == 0)
			at_ready = reads;
	}
	/* released once, after every service was read (and only then) */
	ck_assert_uint_eq(readied, 1);
	ck_assert_uint_eq(reads, nvs);
	ck_assert_uint_eq(at_ready, nvs);
	ck_assert_uint_eq(whole_vs, nvs);
	ck_assert_uint_eq(whole_rs, 2 * nvs);
	/* asked again at once: fresh, nothing held */
	ck_assert_int_eq(chk_stats_asked(s), 0);
	ck_assert_uint_eq(begins, 1);
	for (unsigned i = 0; i < 20; i++)
		event_base_loop(base, EVLOOP_ONCE | EVLOOP_NONBLOCK);
	ck_assert_uint_eq(readied, 1);

	/* a round the interval's tick started (readers keep asking): a
	 * request does not wait for it */
	epoch = 2;
	chk_stats_interval(s, 1);
	counts_reset();
	for (unsigned i = 0; i < 100 && begins == 0; i++)
		event_base_loop(base, EVLOOP_ONCE);
	ck_assert_uint_eq(begins, 1);
	ck_assert_uint_lt(reads, nvs);
	ck_assert_int_eq(chk_stats_asked(s), 0);
	(void)round_turns(nvs, &at_ready);
	ck_assert_uint_eq(readied, 1);

	/* a round stopped (ipvs_stats_interval 0 by a reload) releases */
	chk_stats_interval(s, 0);
	chk_stats_interval(s, 1);
	usleep(1100 * 1000);	/* the counters older than the interval */
	counts_reset();
	ck_assert_int_eq(chk_stats_asked(s), 1);
	ck_assert_uint_eq(begins, 1);
	chk_stats_interval(s, 0);
	ck_assert_uint_eq(readied, 1);		/* from the loop, not here */
	for (unsigned i = 0; i < 20 && readied == 1; i++)
		event_base_loop(base, EVLOOP_ONCE | EVLOOP_NONBLOCK);
	ck_assert_uint_eq(readied, 2);
	engine_down(s);
}
END_TEST

START_TEST(sorry_server_counted)
{
	struct chk_stats *s;
	struct chk_vsrun *vs;
	struct ipc_attrs a;
	unsigned turns;

	with_sorry = 1;
	engine_up(3);
	with_sorry = 0;
	ck_assert_ptr_nonnull(s = chk_stats_new(base, eng, on_counters, NULL));
	ck_assert_int_eq(chk_stats_asked(s), 0);
	vs = TAILQ_FIRST(&eng->vslist);
	ck_assert_int_eq(vs->sorry_ipvs_known, 1);
	ck_assert_int_eq(TAILQ_NEXT(vs, link)->sorry_ipvs_known, 0);
	/* the virtual server's whole record carries them */
	ipc_attrs_init(&a);
	chk_vs_attrs(vs, &a);
	ck_assert_msg(strstr(a.buf, "\nsorry_ipvs_connections=5\n"
	    "sorry_ipvs_active_connections=0\nsorry_ipvs_inactive_connections=0"
	    "\nsorry_ipvs_persistent_connections=0\nsorry_ipvs_packets_in=11\n")
	    != NULL, "%s", a.buf);
	/* a later round: the changed key on the virtual server's record */
	epoch = 3;
	counts_reset();
	chk_stats_interval(s, 1);
	for (unsigned i = 0; i < 100 && begins == 0; i++)
		event_base_loop(base, EVLOOP_ONCE);
	ck_assert_uint_eq(begins, 1);
	(void)round_turns(3, &turns);
	ck_assert_uint_eq(reads, 3);
	/* 3 services and 6 destinations, then the sorry server last */
	ck_assert_uint_eq(records, 3 + 6 + 1);
	ck_assert_str_eq(sorry_attrs, "[10.0.0.1]:tcp:80 "
	    "sorry_ipvs_connections=15");
	engine_down(s);
}
END_TEST

START_TEST(changed_keys_only)
{
	struct dp_counters a = { .conns = 5, .inpkts = 6, .active = 2 }, b = a;
	struct ipc_attrs x;

	ipc_attrs_init(&x);
	ck_assert_uint_eq(chk_ipvs_attrs(&a, NULL, 0, &x), 10);
	ck_assert_ptr_null(strstr(x.buf, "active"));
	ipc_attrs_init(&x);
	ck_assert_uint_eq(chk_ipvs_attrs(&a, NULL, 1, &x), 13);
	ipc_attrs_init(&x);
	ck_assert_uint_eq(chk_ipvs_attrs(&a, &b, 1, &x), 0);
	ck_assert_str_eq(x.buf, "");
	b.active = 1;
	b.outbps = 9;
	ipc_attrs_init(&x);
	ck_assert_uint_eq(chk_ipvs_attrs(&a, &b, 1, &x), 2);
	ck_assert_str_eq(x.buf, "ipvs_active_connections=2\n"
	    "ipvs_rate_bytes_out=0");
}
END_TEST

/* ---- the parent's side --------------------------------------------------- */

#define VS1 "[10.0.0.1]:tcp:80"
#define RS1 VS1 " / [10.0.0.2]:80"
#define RS2 VS1 " / [10.0.0.3]:80"

static const struct ipc_obj lab[] = {
	{ "virtual_server", VS1, "up", "", 3, 0, 4, 100,
	    "protocol=TCP\naddress=10.0.0.1\nport=80\nipvs_connections=10\n"
	    "ipvs_packets_in=70\nipvs_packets_out=60\nipvs_bytes_in=7000\n"
	    "ipvs_bytes_out=6000" },
	{ "real_server", RS1, "up", "", 3, 0, 3, 100,
	    "address=10.0.0.2\nport=80\nweight=3\nipvs_connections=4\n"
	    "checks=40\nipvs_packets_in=30" },
	{ "real_server", RS2, "down", "connect refused", 3, 0,
	    IPC_OBJ_NO_WEIGHT, 100, "address=10.0.0.3\nport=80\nweight=1" },
};

/* One IPC_STATE message of records, as a child sends them. */
static int
send_records(struct state_store *st, uint32_t flags, const struct ipc_obj *o,
    size_t n)
{
	struct ipc_objbuf b = { 0 };
	struct ipc_state h = { .flags = flags, .generation = 3 };
	char *msg;
	int rc;

	for (size_t i = 0; i < n; i++)
		ck_assert_int_eq(ipc_obj_put(&b, &o[i]), 0);
	ck_assert_ptr_nonnull(msg = malloc(sizeof(h) + b.len));
	memcpy(msg, &h, sizeof(h));
	memcpy(msg + sizeof(h), b.data, b.len);
	rc = state_ipc(st, msg, sizeof(h) + b.len);
	free(msg);
	ipc_objbuf_free(&b);
	return rc;
}

#define COUNTERS(kind, name, attrs) \
	{ kind, name, "", "", 3, IPC_OBJ_COUNTERS, IPC_OBJ_NO_WEIGHT, 0, attrs }

START_TEST(store_merges_counters)
{
	struct state_store st;
	const struct state_obj *o;
	const struct ipc_obj upd[] = {
		COUNTERS("real_server", RS1,
		    "ipvs_connections=9\nipvs_rate_connections=2"),
		COUNTERS("real_server", RS2, "ipvs_connections=1"),
		COUNTERS("real_server", VS1 " / [10.0.0.9]:80",
		    "ipvs_connections=1"),	/* gone: dropped */
	};
	const struct ipc_obj bad[] = { { "real_server", RS1, "", "", 3,
	    IPC_OBJ_COUNTERS | IPC_OBJ_DRAIN, IPC_OBJ_NO_WEIGHT, 0,
	    "ipvs_connections=1" } };

	state_init(&st);
	state_feed(&st, 3, lab, sizeof(lab) / sizeof(lab[0]));
	ck_assert_int_eq(send_records(&st, 0, upd, 3), 0);
	ck_assert_uint_eq(st.objs.n, 3);
	ck_assert_uint_eq(st.counters, 2);
	ck_assert_uint_eq(st.events, 0);
	o = state_find(&st, "real_server", RS1);
	/* its keys in place, a new one at the end, the rest as it was */
	ck_assert_str_eq(o->attrs, "address=10.0.0.2\nport=80\nweight=3\n"
	    "ipvs_connections=9\nchecks=40\nipvs_packets_in=30\n"
	    "ipvs_rate_connections=2");
	ck_assert_str_eq(o->state, "up");
	ck_assert_int_eq(o->weight, 3);
	ck_assert_uint_eq(o->since, 100);
	ck_assert_uint_eq(o->generation, 3);
	o = state_find(&st, "real_server", RS2);
	ck_assert_str_eq(o->state, "down");
	ck_assert_str_eq(o->detail, "connect refused");
	ck_assert_str_eq(o->attrs, "address=10.0.0.3\nport=80\nweight=1\n"
	    "ipvs_connections=1");
	ck_assert_ptr_null(state_find(&st, "real_server",
	    VS1 " / [10.0.0.9]:80"));
	/* a counters record is nothing else */
	ck_assert_int_eq(send_records(&st, 0, bad, 1), -1);

	/* inside a snapshot: merged into what the snapshot brings */
	{
		const struct ipc_obj snap[] = {
			{ "real_server", RS1, "up", "", 4, 0, 3, 200,
			    "weight=3\nipvs_connections=20" },
			COUNTERS("real_server", RS1, "ipvs_connections=21"),
		};

		ck_assert_int_eq(send_records(&st, IPC_STATE_BEGIN |
		    IPC_STATE_END, snap, 2), 0);
		ck_assert_uint_eq(st.objs.n, 1);
		ck_assert_str_eq(state_find(&st, "real_server", RS1)->attrs,
		    "weight=3\nipvs_connections=21");
	}
	state_fini(&st);
}
END_TEST

START_TEST(merge_stays_bounded)
{
	struct state_store st;
	static char big[IPC_OBJ_MAX_ATTRS];
	struct ipc_obj o = { "real_server", RS1, "up", "", 3, 0, 3, 100, big };
	const struct ipc_obj upd[] = { COUNTERS("real_server", RS1,
	    "ipvs_connections=12345\nx=1") };
	const char *a;
	size_t n;

	/* attrs at the bound: a longer value makes the long line no longer
	 * fit; it goes whole, never cut */
	memset(big, 'v', sizeof(big) - 1);
	memcpy(big, "ipvs_connections=1\nk=", 21);
	big[sizeof(big) - 1] = '\0';
	state_init(&st);
	state_feed(&st, 3, &o, 1);
	ck_assert_uint_eq(strlen(state_find(&st, "real_server", RS1)->attrs),
	    IPC_OBJ_MAX_ATTRS - 1);
	ck_assert_int_eq(send_records(&st, 0, upd, 1), 0);
	a = state_find(&st, "real_server", RS1)->attrs;
	n = strlen(a);
	ck_assert_uint_le(n, IPC_OBJ_MAX_ATTRS - 1);
	ck_assert_str_eq(a, "ipvs_connections=12345\nx=1");
	state_fini(&st);
}
END_TEST

START_TEST(readers_show_them)
{
	struct state_store st;
	const struct ipc_obj upd[] = { COUNTERS("real_server", RS1,
	    "ipvs_connections=9\nipvs_active_connections=2\n"
	    "ipvs_inactive_connections=7\nipvs_persistent_connections=1\n"
	    "ipvs_packets_out=25\nipvs_bytes_in=1500\nipvs_bytes_out=2500") };
	struct prom_child kid = { "checker", &st, 1, 0, 3 };
	struct prom_view view = { .children = &kid, .nchildren = 1,
	    .version = "test" };
	json_t *d, *vs, *rs;
	char *buf = NULL;
	size_t len = 0;
	FILE *fp;

	state_init(&st);
	state_feed(&st, 3, lab, sizeof(lab) / sizeof(lab[0]));
	ck_assert_int_eq(send_records(&st, 0, upd, 1), 0);

	/* JSON: integers */
	d = state_json_doc(3, STATE_JSON_ALL);
	ck_assert_int_eq(state_json_add_store(d, &st, STATE_JSON_ALL, NULL), 0);
	vs = json_array_get(json_object_get(d, "virtual_servers"), 0);
	rs = json_array_get(json_object_get(vs, "real_servers"), 0);
	ck_assert_int_eq(json_integer_value(json_object_get(vs,
	    "ipvs_connections")), 10);
	ck_assert_int_eq(json_integer_value(json_object_get(rs,
	    "ipvs_connections")), 9);
	ck_assert_int_eq(json_integer_value(json_object_get(rs,
	    "ipvs_persistent_connections")), 1);
	ck_assert_ptr_null(json_object_get(json_array_get(json_object_get(vs,
	    "real_servers"), 1), "ipvs_connections"));

	/* vigilctl show ipvs: aligned, "-" where the kernel said nothing */
	ck_assert_ptr_nonnull(fp = open_memstream(&buf, &len));
	vigilctl_show_ipvs(fp, d);
	fclose(fp);
	ck_assert_str_eq(buf,
	    "SERVICE            DESTINATION    WEIGHT  CONNS  ACTIVE  INACTIVE"
	    "  PKTS IN  PKTS OUT  BYTES IN  BYTES OUT\n"
	    "[10.0.0.1]:tcp:80  -              4       10     -       -       "
	    "  70       60        7000      6000\n"
	    "-                  [10.0.0.2]:80  3       9      2       7       "
	    "  30       25        1500      2500\n"
	    "-                  [10.0.0.3]:80  -       -      -       -       "
	    "  -        -         -         -\n"
	    "(counters come from the kernel's IPVS table; \"-\" until the "
	    "checker child has read them)\n");
	free(buf);
	json_decref(d);

	/* Prometheus */
	buf = NULL;
	ck_assert_ptr_nonnull(fp = open_memstream(&buf, &len));
	ck_assert_int_eq(prom_render(fp, &view, 0), 0);
	fclose(fp);
	ck_assert_ptr_nonnull(strstr(buf, "\nvigil_real_server_ipvs_connections"
	    "_total{virtual_server=\"" VS1 "\",real_server=\"[10.0.0.2]:80\"}"
	    " 9\n"));
	ck_assert_ptr_nonnull(strstr(buf, "\nvigil_real_server_ipvs_persistent"
	    "_connections{virtual_server=\"" VS1 "\",real_server=\""
	    "[10.0.0.2]:80\"} 1\n"));
	ck_assert_ptr_nonnull(strstr(buf, "\nvigil_real_server_ipvs_bytes_total"
	    "{virtual_server=\"" VS1 "\",real_server=\"[10.0.0.2]:80\","
	    "direction=\"out\"} 2500\n"));
	ck_assert_ptr_nonnull(strstr(buf, "\nvigil_virtual_server_ipvs_packets"
	    "_total{virtual_server=\"" VS1 "\",direction=\"in\"} 70\n"));
	ck_assert_ptr_null(strstr(buf, "real_server=\"[10.0.0.3]:80\"} 0\n"
	    "# HELP vigil_real_server_ipvs"));
	ck_assert_ptr_null(strstr(buf, "vigil_sorry_server"));
	free(buf);

	/* the sorry server: its row and families, from the virtual
	 * server's sorry_ipvs_* keys */
	{
		const struct ipc_obj sorry[] = { COUNTERS("virtual_server",
		    VS1, "sorry_server=10.0.0.9:8080\nsorry_active=1\n"
		    "sorry_ipvs_connections=5\nsorry_ipvs_active_connections=1"
		    "\nsorry_ipvs_inactive_connections=4\n"
		    "sorry_ipvs_persistent_connections=0\n"
		    "sorry_ipvs_packets_in=50\nsorry_ipvs_packets_out=40\n"
		    "sorry_ipvs_bytes_in=500\nsorry_ipvs_bytes_out=400") };

		ck_assert_int_eq(send_records(&st, 0, sorry, 1), 0);
	}
	d = state_json_doc(3, STATE_JSON_ALL);
	ck_assert_int_eq(state_json_add_store(d, &st, STATE_JSON_ALL, NULL), 0);
	vs = json_array_get(json_object_get(d, "virtual_servers"), 0);
	ck_assert_int_eq(json_integer_value(json_object_get(vs,
	    "sorry_ipvs_connections")), 5);
	buf = NULL;
	ck_assert_ptr_nonnull(fp = open_memstream(&buf, &len));
	vigilctl_show_ipvs(fp, d);
	fclose(fp);
	ck_assert_msg(strstr(buf, "\n-                  sorry:10.0.0.9:8080  1 "
	    "      5      1       4         50       40        500       400\n"
	    "(counters") != NULL, "%s", buf);
	free(buf);
	json_decref(d);
	buf = NULL;
	ck_assert_ptr_nonnull(fp = open_memstream(&buf, &len));
	ck_assert_int_eq(prom_render(fp, &view, 0), 0);
	fclose(fp);
	ck_assert_ptr_nonnull(strstr(buf, "\nvigil_sorry_server_ipvs_connections"
	    "_total{virtual_server=\"" VS1 "\",sorry_server=\"10.0.0.9:8080\"}"
	    " 5\n"));
	ck_assert_ptr_nonnull(strstr(buf, "\nvigil_sorry_server_ipvs_inactive"
	    "_connections{virtual_server=\"" VS1 "\",sorry_server=\""
	    "10.0.0.9:8080\"} 4\n"));
	ck_assert_ptr_nonnull(strstr(buf, "\nvigil_sorry_server_ipvs_bytes_total"
	    "{virtual_server=\"" VS1 "\",sorry_server=\"10.0.0.9:8080\","
	    "direction=\"out\"} 400\n"));
	free(buf);
	state_fini(&st);
}
END_TEST

/* show ipvs as vigild writes it from the store (state_json_ipvs.c):
 * the table is vigilctl's drawn from the JSON document, the JSON the
 * document's fields */
START_TEST(server_side_show_ipvs)
{
	static struct supervisor sv;
	struct vigil_config vc = { .generation = 3 };
	const struct ipc_obj more[] = {
		COUNTERS("real_server", RS1, "ipvs_connections=9\n"
		    "ipvs_active_connections=2\nipvs_bytes_out=2500"),
		COUNTERS("virtual_server", VS1, "sorry_server=10.0.0.9:8080\n"
		    "sorry_active=1\nsorry_ipvs_connections=5\n"
		    "sorry_ipvs_packets_in=50"),
		{ "virtual_server", "[10.0.0.5]:udp:53", "down", "", 3, 0, 0,
		    100, "protocol=UDP\naddress=10.0.0.5\nport=53\n"
		    "sorry_server=10.0.0.9:53\nsorry_active=0\n"
		    "check_latency_count=4" },
		{ "real_server", "[10.0.0.5]:udp:53 / [10.0.0.2]:53", "down",
		    "timeout", 3, 0, IPC_OBJ_NO_WEIGHT, 100,
		    "address=10.0.0.2\nport=53\nweight=1\nchecks=4" },
	};
	char *want = NULL, *got = NULL;
	size_t wl = 0, gl = 0;
	unsigned nvs = 0;
	json_t *d, *j, *vs, *rs;
	json_error_t je;
	FILE *fp;

	memset(&sv, 0, sizeof(sv));
	sv.cfg = &vc;
	sv.nslots = 1;
	state_init(&sv.slots[0].st);
	{
		struct ipc_obj all[sizeof(lab) / sizeof(lab[0]) + 2];

		memcpy(all, lab, sizeof(lab));
		memcpy(all + sizeof(lab) / sizeof(lab[0]), more + 2,
		    2 * sizeof(more[0]));
		state_feed(&sv.slots[0].st, 3, all, sizeof(all) /
		    sizeof(all[0]));
	}
	ck_assert_int_eq(send_records(&sv.slots[0].st, 0, more, 2), 0);

	/* the table: vigilctl's, byte for byte */
	d = state_json(&sv, STATE_JSON_CHECKS, NULL);
	ck_assert_ptr_nonnull(d);
	ck_assert_ptr_nonnull(fp = open_memstream(&want, &wl));
	vigilctl_show_ipvs(fp, d);
	fclose(fp);
	ck_assert_ptr_nonnull(fp = open_memstream(&got, &gl));
	ck_assert_int_eq(state_ipvs_table_write(fp, &sv, NULL, &nvs), 0);
	fclose(fp);
	ck_assert_uint_eq(nvs, 2);
	ck_assert_str_eq(got, want);
	ck_assert_ptr_nonnull(strstr(got, "sorry:10.0.0.9:8080  1 "));
	ck_assert_ptr_nonnull(strstr(got, "sorry:10.0.0.9:53    -  "));
	free(got);
	free(want);
	got = want = NULL;

	/* the JSON: the fields show ipvs reads, typed as the document's */
	ck_assert_ptr_nonnull(fp = open_memstream(&got, &gl));
	ck_assert_int_eq(state_json_ipvs_write(fp, &sv, NULL, &nvs), 0);
	fclose(fp);
	ck_assert_ptr_nonnull(j = json_loads(got, 0, &je));
	ck_assert_int_eq(json_integer_value(json_object_get(j, "generation")),
	    3);
	vs = json_array_get(json_object_get(j, "virtual_servers"), 0);
	ck_assert_str_eq(json_string_value(json_object_get(vs, "name")), VS1);
	ck_assert_int_eq(json_integer_value(json_object_get(vs,
	    "ipvs_connections")), 10);
	ck_assert_int_eq(json_integer_value(json_object_get(vs,
	    "weight_sum")), 4);
	ck_assert_int_eq(json_integer_value(json_object_get(vs,
	    "sorry_ipvs_connections")), 5);
	ck_assert(json_is_true(json_object_get(vs, "sorry_active")));
	ck_assert_ptr_null(json_object_get(vs, "detail"));
	rs = json_array_get(json_object_get(vs, "real_servers"), 0);
	ck_assert_str_eq(json_string_value(json_object_get(rs, "real")),
	    "[10.0.0.2]:80");
	ck_assert_int_eq(json_integer_value(json_object_get(rs, "weight")), 3);
	ck_assert_int_eq(json_integer_value(json_object_get(rs,
	    "configured_weight")), 3);
	ck_assert_int_eq(json_integer_value(json_object_get(rs,
	    "ipvs_connections")), 9);
	ck_assert_ptr_null(json_object_get(rs, "checks"));
	rs = json_array_get(json_object_get(vs, "real_servers"), 1);
	ck_assert(json_is_null(json_object_get(rs, "weight")));
	ck_assert(json_is_false(json_object_get(rs, "in_table")));
	ck_assert_ptr_null(json_object_get(rs, "ipvs_connections"));
	vs = json_array_get(json_object_get(j, "virtual_servers"), 1);
	ck_assert_str_eq(json_string_value(json_object_get(vs, "protocol")),
	    "UDP");
	ck_assert_ptr_null(json_object_get(vs, "check_latency_count"));
	json_decref(j);
	free(got);
	got = NULL;

	/* a name: only its virtual server; one that names none: nothing */
	ck_assert_ptr_nonnull(fp = open_memstream(&got, &gl));
	ck_assert_int_eq(state_ipvs_table_write(fp, &sv, "10.0.0.5:53/udp",
	    &nvs), 0);
	fclose(fp);
	ck_assert_uint_eq(nvs, 1);
	ck_assert_ptr_null(strstr(got, VS1));
	free(got);
	got = NULL;
	ck_assert_ptr_nonnull(fp = open_memstream(&got, &gl));
	ck_assert_int_eq(state_json_ipvs_write(fp, &sv, "10.9.9.9:1", &nvs),
	    0);
	fclose(fp);
	ck_assert_uint_eq(nvs, 0);
	ck_assert_str_eq(got, "{\"version\":1,\"generation\":3,"
	    "\"virtual_servers\":[]}");
	free(got);
	json_decref(d);
	state_fini(&sv.slots[0].st);
}
END_TEST

/* vigilctl's columns count characters: a group named in UTF-8 keeps the
 * next column where the header puts it. */
START_TEST(show_ipvs_columns_utf8)
{
	json_t *d = json_pack("{s:[{s:s,s:i,s:[{s:s,s:i}]}]}",
	    "virtual_servers", "name", "group Z\xc3\xbcrich:tcp", "weight_sum",
	    1, "real_servers", "real", "[10.0.0.2]:80", "weight", 1);
	char *buf = NULL;
	size_t len = 0;
	FILE *fp;

	ck_assert_ptr_nonnull(d);
	ck_assert_ptr_nonnull(fp = open_memstream(&buf, &len));
	vigilctl_show_ipvs(fp, d);
	fclose(fp);
	ck_assert_ptr_nonnull(strstr(buf,
	    "SERVICE           DESTINATION    WEIGHT  CONNS"));
	ck_assert_ptr_nonnull(strstr(buf,
	    "\ngroup Z\xc3\xbcrich:tcp  -              1       -"));
	ck_assert_ptr_nonnull(strstr(buf,
	    "\n-                 [10.0.0.2]:80  1       -"));
	free(buf);
	json_decref(d);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("ipvs_stats");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, round_spread_and_changes_only);
	tcase_add_test(tc, small_table_read_before_the_snapshot);
	tcase_add_test(tc, large_table_holds_the_snapshot);
	tcase_add_test(tc, sorry_server_counted);
	tcase_add_test(tc, changed_keys_only);
	tcase_add_test(tc, store_merges_counters);
	tcase_add_test(tc, merge_stays_bounded);
	tcase_add_test(tc, readers_show_them);
	tcase_add_test(tc, server_side_show_ipvs);
	tcase_add_test(tc, show_ipvs_columns_utf8);
	suite_add_tcase(s, tc);
	return check_run(s);
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Rendering in a forked copy (daemon/offload.c): the bytes come back
 * whole, large or empty; a failed or stalled copy is reported with its
 * reason (the stalled one killed at its deadline); a cancelled one is
 * never reported and is collected; at most OFFLOAD_MAX run at once; the
 * store's size decides whether a page is worth a fork.
 */
#include <check.h>
#include <errno.h>
#include <event2/event.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "daemon/offload.h"
#include "daemon/state.h"
#include "daemon/supervisor_int.h"
#include "ipc_msg.h"
#include "loop.h"
#include "reap.h"
#include "subsys.h"
#include "check_run.h"
#include "state_feed.h"

static struct event_base *base;
static struct reaper *rp;

struct got {
	int calls;
	char *buf;
	size_t len;
	const char *why;
};

static void
done(void *arg, const char *buf, size_t len, const char *why)
{
	struct got *g = arg;

	g->calls++;
	g->why = why;
	g->len = len;
	free(g->buf);
	g->buf = NULL;
	if (buf != NULL) {
		g->buf = malloc(len + 1);
		ck_assert_ptr_nonnull(g->buf);
		memcpy(g->buf, buf, len);
		g->buf[len] = '\0';
	}
}

/* Run the loop until n reports or 10 s. */
static void
run_until(struct got *g, int n)
{
	for (int i = 0; i < 1000 && g->calls < n; i++) {
		reaper_poll(rp);
		event_base_loop(base, EVLOOP_ONCE | EVLOOP_NONBLOCK);
		if (g->calls < n)
			usleep(10000);
	}
}

static int
write_hello(FILE *out, void *arg)
{
	(void)arg;
	return fprintf(out, "hello world") < 0 ? -1 : 0;
}

/* 3 MB of numbered lines: more than any stdio or pipe buffer */
static int
write_big(FILE *out, void *arg)
{
	(void)arg;
	for (int i = 0; i < 300000; i++)
		if (fprintf(out, "line %06d\n", i) < 0)
			return -1;
	return 0;
}

static int
write_nothing(FILE *out, void *arg)
{
	(void)out, (void)arg;
	return 0;
}

static int
fail_render(FILE *out, void *arg)
{
	(void)arg;
	fputs("half a page", out);
	return -1;
}

static int
stall(FILE *out, void *arg)
{
	(void)out, (void)arg;
	for (;;)
		pause();
	return 0;
}

static void
setup(void)
{
	base = event_base_new();
	ck_assert_ptr_nonnull(base);
	rp = reaper_new(base);
	ck_assert_ptr_nonnull(rp);
}

static void
teardown(void)
{
	reaper_free(rp);
	event_base_free(base);
}

START_TEST(bytes_back)
{
	struct got g = { 0 };

	ck_assert_ptr_nonnull(offload_start(base, rp, write_hello, done,
	    &g, 0));
	ck_assert_int_eq(g.calls, 0);	/* never from inside the call */
	ck_assert_uint_eq(offload_running(), 1);
	run_until(&g, 1);
	ck_assert_int_eq(g.calls, 1);
	ck_assert_ptr_null(g.why);
	ck_assert_str_eq(g.buf, "hello world");
	ck_assert_uint_eq(offload_running(), 0);
	free(g.buf);
}
END_TEST

START_TEST(large_and_empty)
{
	struct got g = { 0 }, e = { 0 };
	char last[32];

	ck_assert_ptr_nonnull(offload_start(base, rp, write_big, done, &g,
	    0));
	ck_assert_ptr_nonnull(offload_start(base, rp, write_nothing, done,
	    &e, 0));
	run_until(&g, 1);
	run_until(&e, 1);
	ck_assert_ptr_null(g.why);
	ck_assert_uint_eq(g.len, 300000 * 12);
	ck_assert(strncmp(g.buf, "line 000000\n", 12) == 0);
	snprintf(last, sizeof(last), "line %06d\n", 299999);
	ck_assert_str_eq(g.buf + g.len - 12, last);
	ck_assert_ptr_null(e.why);
	ck_assert_uint_eq(e.len, 0);
	ck_assert_str_eq(e.buf, "");
	free(g.buf);
	free(e.buf);
}
END_TEST

START_TEST(failure_and_deadline)
{
	struct got f = { 0 }, s = { 0 };

	ck_assert_ptr_nonnull(offload_start(base, rp, fail_render, done, &f,
	    0));
	ck_assert_ptr_nonnull(offload_start(base, rp, stall, done, &s,
	    200000));
	run_until(&f, 1);
	run_until(&s, 1);
	ck_assert_int_eq(f.calls, 1);
	ck_assert_ptr_null(f.buf);
	ck_assert_str_eq(f.why, "failed (out of memory?)");
	ck_assert_int_eq(s.calls, 1);
	ck_assert_ptr_null(s.buf);
	ck_assert_str_eq(s.why, "killed at its deadline");
	ck_assert_uint_eq(offload_running(), 0);
}
END_TEST

START_TEST(cancel_and_bound)
{
	struct got g[OFFLOAD_MAX + 1];
	struct offload *o[OFFLOAD_MAX];
	pid_t pid;
	int status;

	memset(g, 0, sizeof(g));
	for (int i = 0; i < OFFLOAD_MAX; i++)
		ck_assert_ptr_nonnull(o[i] = offload_start(base, rp, stall,
		    done, &g[i], 0));
	errno = 0;
	ck_assert_ptr_null(offload_start(base, rp, write_hello, done,
	    &g[OFFLOAD_MAX], 0));
	ck_assert_int_eq(errno, EBUSY);
	for (int i = 0; i < OFFLOAD_MAX; i++)
		offload_cancel(o[i]);
	ck_assert_uint_eq(offload_running(), 0);
	/* every copy is gone and collected, none reported */
	for (int i = 0; i < 100; i++) {
		reaper_poll(rp);
		event_base_loop(base, EVLOOP_ONCE | EVLOOP_NONBLOCK);
		usleep(10000);
	}
	pid = waitpid(-1, &status, WNOHANG);
	ck_assert_int_eq(pid, -1);
	ck_assert_int_eq(errno, ECHILD);
	for (int i = 0; i <= OFFLOAD_MAX; i++)
		ck_assert_int_eq(g[i].calls, 0);
	/* and there is room again */
	ck_assert_ptr_nonnull(offload_start(base, rp, write_hello, done,
	    &g[0], 0));
	run_until(&g[0], 1);
	ck_assert_int_eq(g[0].calls, 1);
	free(g[0].buf);
}
END_TEST

/* n real servers in one snapshot of the checker's store */
static void
fill(struct state_store *st, int n)
{
	struct ipc_obj *objs = calloc((size_t)n, sizeof(*objs));
	char (*names)[32] = calloc((size_t)n, 32);

	ck_assert_ptr_nonnull(objs);
	ck_assert_ptr_nonnull(names);
	for (int i = 0; i < n; i++) {
		snprintf(names[i], 32, "rs%d", i);
		objs[i] = (struct ipc_obj){ .kind = "real_server",
		    .name = names[i], .state = "up", .detail = "",
		    .attrs = "", .weight = 1 };
	}
	state_feed(st, 1, objs, (size_t)n);
	free(objs);
	free(names);
}

START_TEST(worth_by_size)
{
	static struct supervisor sv;
	static const struct subsys sub = { .name = "checker" };

	unsetenv("VIGIL_OFFLOAD_OBJECTS");
	sv.nslots = 1;
	sv.slots[0].sub = &sub;
	state_init(&sv.slots[0].st);
	ck_assert(!offload_worth(&sv));
	fill(&sv.slots[0].st, OFFLOAD_OBJECTS - 1);
	ck_assert(!offload_worth(&sv));
	fill(&sv.slots[0].st, OFFLOAD_OBJECTS);
	ck_assert(offload_worth(&sv));
	state_fini(&sv.slots[0].st);
}
END_TEST

int
main(void)
{
	Suite *su = suite_create("offload");
	TCase *tc = tcase_create("core");

	/* a loaded machine: forks and the deadline test need room */
	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, bytes_back);
	tcase_add_test(tc, large_and_empty);
	tcase_add_test(tc, failure_and_deadline);
	tcase_add_test(tc, cancel_and_bound);
	tcase_add_test(tc, worth_by_size);
	suite_add_tcase(su, tc);
	return check_run(su);
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The engine's decisions, with a scripted checker kind in place of the
 * real ones (this program defines chk_kind_find, so healthcheck/kinds.c
 * is not linked): each real server's port names a string of results ('O'
 * success, 'F' failure, 'W' success with weight 5) its probes return in
 * turn. The real server transitions are recorded in order; timings are
 * never asserted.
 */
#include "autoconfig.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "check_run.h"
#include "daemon/vconfig.h"
#include "healthcheck/engine.h"
#include "loop.h"

#define NPORTS 8

static const char *script[NPORTS];
static unsigned pos[NPORTS];
static char trace[1024];
static int last[NPORTS];
static struct event_base *base;

static void
fake_reply(evutil_socket_t fd, short what, void *arg)
{
	struct chk_probe *p = arg;
	unsigned port = p->port % NPORTS;
	char r = script[port] != NULL ? script[port][pos[port]] : 'F';

	(void)fd;
	(void)what;
	if (r == '\0') {		/* script over: stop the loop */
		event_base_loopbreak(base);
		r = 'O';
	} else {
		pos[port]++;
	}
	if (r == 'W')
		p->weight = 5;
	chk_probe_done(p, r != 'F', "scripted failure");
}

static int
fake_start(struct chk_probe *p)
{
	struct timeval tv = { 0, 0 };

	return event_base_once(p->env->base, -1, EV_TIMEOUT, fake_reply, p,
	    &tv);
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

static void
on_rs(void *arg, const struct chk_rsrun *rs)
{
	unsigned port = rs->conf->port % NPORTS;
	char item[32];
	int state = rs->up * 1000 + rs->weight;

	(void)arg;
	if (rs->up < 0 || last[port] == state)
		return;
	last[port] = state;
	snprintf(item, sizeof(item), "%u:%s", port, rs->up ? "up" : "down");
	if (rs->up && rs->weight != 1)
		snprintf(item + strlen(item), sizeof(item) - strlen(item),
		    "/%d", rs->weight);
	strcat(item, ";");
	strncat(trace, item, sizeof(trace) - strlen(trace) - 1);
}

static void
on_vs(void *arg, const struct chk_vsrun *vs)
{
	(void)arg;
	(void)vs;
}

/* Run conf (a virtual_server block's body) until a script is over. */
static void
run(const char *body)
{
	struct conf_load_opts lo = { 0 };
	struct conf_diag d = { .emit = conf_diag_print, .arg = stderr };
	struct chk_engine_hooks hooks = { on_rs, on_vs, NULL, NULL, NULL };
	struct vigil_config *cfg;
	struct chk_engine *e;
	char path[] = "/tmp/vigil-engine.XXXXXX";
	int fd = mkstemp(path);
	FILE *f;

	ck_assert_int_ge(fd, 0);
	ck_assert_ptr_nonnull(f = fdopen(fd, "w"));
	fprintf(f, "virtual_server 10.0.0.1 80 {\n delay_loop 0.01\n"
	    " protocol TCP\n lb_kind DR\n%s\n}\n", body);
	fclose(f);
	ck_assert_int_eq(vconfig_load(path, &lo, &d, &cfg), 0);
	unlink(path);
	memset(trace, 0, sizeof(trace));
	memset(pos, 0, sizeof(pos));
	for (unsigned i = 0; i < NPORTS; i++)
		last[i] = -1;
	ck_assert_ptr_nonnull(base = loop_new());
	e = chk_engine_new(base, NULL, &dp_log_backend, &hooks);
	ck_assert_ptr_nonnull(e);
	ck_assert_int_eq(chk_engine_start(e, cfg->conf[CONF_OWNER_CHECK],
	    NULL, NULL), 0);
	/* bounded: every script is a few results at 10 ms intervals */
	for (unsigned i = 0; i < 2000 && event_base_got_break(base) == 0;
	    i++)
		event_base_loop(base, EVLOOP_ONCE);
	ck_assert_msg(event_base_got_break(base), "a script never ended");
	chk_engine_free(e, 0);
	event_base_free(base);
	vconfig_free(cfg);
}

START_TEST(retry_counts_failures_in_a_row)
{
	/* retry 2: down on the third failure in a row; a success between
	 * failures starts the count again */
	script[1] = "OFFOFFFO";
	run(" real_server 10.0.0.2 1 {\n  TCP_CHECK {\n   retry 2\n"
	    "   delay_before_retry 0.01\n   warmup 0\n  }\n }\n");
	ck_assert_str_eq(trace, "1:up;1:down;1:up;");
}
END_TEST

START_TEST(alpha_starts_down)
{
	script[2] = "FFO";
	run(" alpha\n real_server 10.0.0.2 2 {\n  TCP_CHECK {\n   retry 0\n"
	    "   warmup 0\n  }\n }\n");
	ck_assert_str_eq(trace, "2:down;2:up;");
}
END_TEST

START_TEST(every_check_must_pass)
{
	/* two real servers: port 3 has checks on ports 3 and 4 */
	script[3] = "OOOOOOO";
	script[4] = "OFFOOO";
	run(" real_server 10.0.0.2 3 {\n  TCP_CHECK {\n   retry 0\n"
	    "   warmup 0\n  }\n  TCP_CHECK {\n   connect_port 4\n   retry 0\n"
	    "   warmup 0\n  }\n }\n");
	ck_assert_str_eq(trace, "3:up;3:down;3:up;");
}
END_TEST

START_TEST(dynamic_weight)
{
	script[5] = "OWWF";
	run(" real_server 10.0.0.2 5 {\n  TCP_CHECK {\n   retry 0\n"
	    "   warmup 0\n  }\n }\n");
	ck_assert_str_eq(trace, "5:up;5:up/5;5:down;");
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("engine");
	TCase *tc = tcase_create("decisions");

	tcase_add_test(tc, retry_counts_failures_in_a_row);
	tcase_add_test(tc, alpha_starts_down);
	tcase_add_test(tc, every_check_must_pass);
	tcase_add_test(tc, dynamic_weight);
	tcase_set_timeout(tc, 30);
	suite_add_tcase(s, tc);
	return check_run(s);
}

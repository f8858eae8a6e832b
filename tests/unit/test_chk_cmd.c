/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The checker child's runtime commands (drain, undrain, set-weight,
 * add-real, remove-real) against the desired table, the overrides a
 * respawned child is handed back, their life across reloads, and the
 * attrs of virtual and real server records. A scripted checker kind
 * stands in for the real ones (this program defines chk_kind_find): a
 * probe of a port listed in fail_ports fails with "timeout after 1.0 s",
 * any other succeeds. A backend of the test's own records every change
 * the table hands on, so the tests see what would reach the kernel.
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
#include "healthcheck/chk_attrs.h"
#include "healthcheck/engine.h"
#include "log.h"
#include "loop.h"

static struct event_base *base;
static unsigned fail_port;
static char changes[4096];	/* what the backend was handed */
static unsigned gone;

/* ---- a scripted checker kind ------------------------------------------------ */

static void
fake_reply(evutil_socket_t fd, short what, void *arg)
{
	struct chk_probe *p = arg;

	(void)fd;
	(void)what;
	chk_probe_done(p, p->port != fail_port, "timeout after 1.0 s");
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

static const struct chk_kind fake_tcp = {
	.kind = CHK_TCP, .name = "TCP_CHECK", .start = fake_start,
	.cancel = fake_cancel, .fds = 0,
};
static const struct chk_kind fake_http = {
	.kind = CHK_HTTP, .name = "HTTP_GET", .start = fake_start,
	.cancel = fake_cancel, .fds = 0,
};

const struct chk_kind *
chk_kind_find(enum chk_checker_kind k)
{
	return k == CHK_TCP ? &fake_tcp : k == CHK_HTTP ? &fake_http : NULL;
}

/* ---- a backend that records ----------------------------------------------- */

static void *
rec_open(struct event_base *b)
{
	(void)b;
	return &changes;
}

/* the changes handed over before the engine under test (rec_engine, when
 * set) attached any check, and after */
static struct chk_engine *rec_engine;
static unsigned rec_before, rec_after;
static unsigned rec_batches;	/* the backend's applies before */
/* the changes handed over when the first report came, and the reports */
static unsigned rec_at_report, rec_reports;

static int
rec_apply(void *b, const struct dp_change *c, size_t n)
{
	static const char *const ops[] = { "svc-add", "svc-edit", "svc-del",
	    "add", "edit", "del" };
	char a[ADDR_STRLEN], item[256];

	(void)b;
	if (rec_engine != NULL && rec_engine->nchecks == 0) {
		rec_before += (unsigned)n;
		rec_batches++;
	}
	else if (rec_engine != NULL)
		rec_after += (unsigned)n;
	for (size_t i = 0; i < n; i++) {
		if (c[i].op <= DP_SVC_DEL)
			snprintf(item, sizeof(item), "%s %s;", ops[c[i].op],
			    c[i].svc->name);
		else
			snprintf(item, sizeof(item), "%s %s %s:%u w%d;",
			    ops[c[i].op], c[i].svc->name, addr_ntop(
			    &c[i].dest->addr, a, sizeof(a)), c[i].dest->port,
			    c[i].dest->weight);
		strncat(changes, item, sizeof(changes) - strlen(changes) - 1);
	}
	return 0;
}

static void
rec_close(void *b, int flush)
{
	(void)b;
	(void)flush;
}

static const struct dp_backend_ops rec_backend = {
	.name = "test", .open = rec_open, .apply = rec_apply,
	.close = rec_close,
};

/* ---- harness ------------------------------------------------------------------ */

static void
on_rs(void *arg, const struct chk_rsrun *rs)
{
	(void)arg;
	(void)rs;
	if (rec_reports++ == 0)
		rec_at_report = rec_before;
}

static void
on_vs(void *arg, const struct chk_vsrun *vs)
{
	(void)arg;
	(void)vs;
	if (rec_reports++ == 0)
		rec_at_report = rec_before;
}

static void
on_gone(void *arg, const struct chk_rsrun *rs)
{
	(void)arg;
	(void)rs;
	gone++;
}

/* the real servers whose override a reload dropped, "VS RS;" each */
static char dropped[512];

static void
on_dropped(void *arg, const struct chk_vsrun *vs, const struct vg_addr *addr,
    unsigned port)
{
	char a[ADDR_STRLEN];
	size_t n = strlen(dropped);

	(void)arg;
	snprintf(dropped + n, sizeof(dropped) - n, "%s %s:%u;", vs->name,
	    addr_ntop(addr, a, sizeof(a)), port);
}

/* Two virtual servers share 10.0.0.2:80; checks never run (warmup is
 * long): every real server is up from the start. */
static const char conf_a[] =
    "virtual_server 10.0.0.1 80 {\n protocol TCP\n lb_kind DR\n"
    " delay_loop 60\n warmup 100\n"
    " real_server 10.0.0.2 80 {\n  TCP_CHECK {\n   connect_timeout 2\n"
    "  }\n }\n"
    " real_server 10.0.0.3 80 {\n  TCP_CHECK {\n   connect_timeout 2\n"
    "  }\n }\n}\n"
    "virtual_server 10.0.0.1 8080 {\n protocol TCP\n lb_kind DR\n"
    " delay_loop 60\n warmup 100\n"
    " real_server 10.0.0.2 80 {\n  weight 2\n  TCP_CHECK {\n  }\n }\n}\n"
    "virtual_server 10.0.0.1 9090 {\n protocol TCP\n lb_kind DR\n"
    " delay_loop 60\n warmup 100\n}\n";

static struct vigil_config *
load(const char *text)
{
	struct conf_load_opts lo = { 0 };
	struct conf_diag d = { .emit = conf_diag_print, .arg = stderr };
	struct vigil_config *cfg;
	char path[] = "/tmp/vigil-chkcmd.XXXXXX";
	int fd = mkstemp(path);
	FILE *f;

	ck_assert_int_ge(fd, 0);
	ck_assert_ptr_nonnull(f = fdopen(fd, "w"));
	fputs(text, f);
	fclose(f);
	ck_assert_int_eq(vconfig_load(path, &lo, &d, &cfg), 0);
	unlink(path);
	return cfg;
}

/* A few turns of the loop: slices attach, the table is committed. */
static void
spin(void)
{
	for (unsigned i = 0; i < 20; i++)
		event_base_loop(base, EVLOOP_NONBLOCK);
}

static struct chk_engine *
start(const struct vigil_config *cfg, const struct proc_handover *h)
{
	struct chk_engine_hooks hooks = { on_rs, on_vs, NULL, on_gone,
	    on_dropped, NULL };
	struct chk_engine *e;

	memset(changes, 0, sizeof(changes));
	dropped[0] = '\0';
	gone = 0;
	fail_port = 0;
	ck_assert_ptr_nonnull(base = loop_new());
	e = chk_engine_new(base, NULL, &rec_backend, &hooks);
	ck_assert_ptr_nonnull(e);
	rec_engine = e;
	ck_assert_int_eq(chk_engine_start(e, cfg->conf[CONF_OWNER_CHECK],
	    NULL, NULL), 0);
	if (h != NULL)
		chk_cmd_handover(e, h, NULL, NULL);
	spin();
	return e;
}

static void
stop(struct chk_engine *e)
{
	rec_engine = NULL;
	(void)chk_engine_free(e, 0);
	event_base_free(base);
}

static char answer[2048];

/* Run a command given as one string (words split at spaces, except that
 * a '|' joins the rest into the last word). */
static int
cmd(struct chk_engine *e, const char *line)
{
	char buf[512], *argv[IPC_CMD_MAX_ARGS], *p, *bar;
	int argc = 0, rc;
	FILE *out = fmemopen(answer, sizeof(answer) - 1, "w");

	ck_assert_ptr_nonnull(out);
	memset(answer, 0, sizeof(answer));
	snprintf(buf, sizeof(buf), "%s", line);
	bar = strchr(buf, '|');
	if (bar != NULL)
		*bar++ = '\0';
	for (p = strtok(buf, " "); p != NULL && argc < IPC_CMD_MAX_ARGS - 1;
	    p = strtok(NULL, " "))
		argv[argc++] = p;
	if (bar != NULL)
		argv[argc++] = bar;
	rc = chk_cmd_run(e, argc, (const char *const *)argv, out);
	fclose(out);
	spin();
	return rc;
}

static struct chk_vsrun *
vs_of(struct chk_engine *e, unsigned port)
{
	struct chk_vsrun *vs;

	TAILQ_FOREACH(vs, &e->vslist, link)
		if (vs->conf->kind == CHK_VS_ADDR && vs->conf->port == port)
			return vs;
	ck_abort_msg("no virtual server on port %u", port);
	return NULL;
}

/* The weight of addr:80 in the table of the virtual server on vport; -1:
 * not in the table. */
static int
weight(struct chk_engine *e, unsigned vport, const char *addr)
{
	struct vg_addr a;
	const struct dp_dest *d;

	ck_assert_int_eq(addr_parse(addr, &a), 0);
	/* DR: in the table the real server has the virtual server's port,
	 * as keepalived programs it (its checks still go to port 80) */
	d = dp_dest_get(e->dp, vs_of(e, vport)->svc, &a, vport);
	return d != NULL ? d->weight : -1;
}

static struct chk_rsrun *
rs_of(struct chk_engine *e, unsigned vport, const char *addr)
{
	struct vg_addr a;

	ck_assert_int_eq(addr_parse(addr, &a), 0);
	return chk_rs_find(vs_of(e, vport), &a, 80);
}

/* ---- commands ------------------------------------------------------------------ */

START_TEST(drain_in_every_virtual_server_and_back)
{
	struct vigil_config *cfg = load(conf_a);
	struct chk_engine *e = start(cfg, NULL);

	ck_assert_int_eq(weight(e, 80, "10.0.0.2"), 1);
	ck_assert_int_eq(weight(e, 8080, "10.0.0.2"), 2);
	memset(changes, 0, sizeof(changes));
	ck_assert_int_eq(cmd(e, "drain 10.0.0.2:80"), IPC_CMD_OK);
	ck_assert_int_eq(weight(e, 80, "10.0.0.2"), 0);
	ck_assert_int_eq(weight(e, 8080, "10.0.0.2"), 0);
	/* only the difference reaches the backend */
	ck_assert_str_eq(changes, "edit [10.0.0.1]:tcp:80 10.0.0.2:80 w0;"
	    "edit [10.0.0.1]:tcp:8080 10.0.0.2:8080 w0;");
	ck_assert_ptr_nonnull(strstr(answer, "[10.0.0.1]:tcp:8080"));
	/* draining again changes nothing */
	memset(changes, 0, sizeof(changes));
	ck_assert_int_eq(cmd(e, "drain 10.0.0.2:80"), IPC_CMD_OK);
	ck_assert_str_eq(changes, "");
	ck_assert_int_eq(cmd(e, "undrain 10.0.0.2:80"), IPC_CMD_OK);
	ck_assert_int_eq(weight(e, 80, "10.0.0.2"), 1);
	ck_assert_int_eq(weight(e, 8080, "10.0.0.2"), 2);
	/* a virtual server narrows it, in any of its spellings */
	ck_assert_int_eq(cmd(e, "drain 10.0.0.2:80 10.0.0.1:8080"),
	    IPC_CMD_OK);
	ck_assert_int_eq(weight(e, 80, "10.0.0.2"), 1);
	ck_assert_int_eq(weight(e, 8080, "10.0.0.2"), 0);
	ck_assert_int_eq(cmd(e, "undrain [10.0.0.2]:80 [10.0.0.1]:tcp:8080"),
	    IPC_CMD_OK);
	ck_assert_int_eq(weight(e, 8080, "10.0.0.2"), 2);
	/* drained, the real server stays up and counts no weight */
	ck_assert_int_eq(cmd(e, "drain 10.0.0.3:80 10.0.0.1:80/tcp"),
	    IPC_CMD_OK);
	ck_assert_int_eq(rs_of(e, 80, "10.0.0.3")->up, 1);
	ck_assert_int_eq(vs_of(e, 80)->weight_sum, 1);
	stop(e);
	vconfig_free(cfg);
}
END_TEST

START_TEST(drain_errors)
{
	struct vigil_config *cfg = load(conf_a);
	struct chk_engine *e = start(cfg, NULL);

	ck_assert_int_eq(cmd(e, "drain 10.0.0.9:80"), IPC_CMD_ENOENT);
	ck_assert_ptr_nonnull(strstr(answer, "[10.0.0.9]:80"));
	ck_assert_int_eq(cmd(e, "drain 10.0.0.2:80 10.0.0.7:80"),
	    IPC_CMD_ENOENT);
	ck_assert_ptr_nonnull(strstr(answer, "no virtual server 10.0.0.7:80"));
	ck_assert_int_eq(cmd(e, "drain 10.0.0.3:80 10.0.0.1:8080"),
	    IPC_CMD_ENOENT);
	ck_assert_ptr_nonnull(strstr(answer, "no real server [10.0.0.3]:80 in "
	    "10.0.0.1:8080"));
	ck_assert_int_eq(cmd(e, "drain 10.0.0.2:99999"), IPC_CMD_EUSAGE);
	ck_assert_int_eq(cmd(e, "drain 10.0.0.x:80"), IPC_CMD_EUSAGE);
	ck_assert_int_eq(cmd(e, "drain"), IPC_CMD_EUSAGE);
	ck_assert_int_eq(cmd(e, "undrain 10.0.0.2:80 a b c"), IPC_CMD_EUSAGE);
	ck_assert_int_eq(cmd(e, "frobnicate 10.0.0.2:80"), IPC_CMD_EUNKNOWN);
	/* nothing of it touched the table */
	ck_assert_int_eq(weight(e, 80, "10.0.0.2"), 1);
	stop(e);
	vconfig_free(cfg);
}
END_TEST

START_TEST(set_weight_and_precedence)
{
	struct vigil_config *cfg = load(conf_a);
	struct chk_engine *e = start(cfg, NULL);

	ck_assert_int_eq(cmd(e, "set-weight 10.0.0.1:80 10.0.0.2:80 7"),
	    IPC_CMD_OK);
	ck_assert_int_eq(weight(e, 80, "10.0.0.2"), 7);
	ck_assert_int_eq(weight(e, 8080, "10.0.0.2"), 2);
	ck_assert_int_eq(vs_of(e, 80)->weight_sum, 8);
	/* drain beats set-weight; undrain brings the set weight back */
	ck_assert_int_eq(cmd(e, "drain 10.0.0.2:80"), IPC_CMD_OK);
	ck_assert_int_eq(weight(e, 80, "10.0.0.2"), 0);
	ck_assert_int_eq(cmd(e, "set-weight 10.0.0.1:80 10.0.0.2:80 9"),
	    IPC_CMD_OK);
	ck_assert_int_eq(weight(e, 80, "10.0.0.2"), 0);
	ck_assert_ptr_nonnull(strstr(answer, "drained"));
	ck_assert_int_eq(cmd(e, "undrain 10.0.0.2:80"), IPC_CMD_OK);
	ck_assert_int_eq(weight(e, 80, "10.0.0.2"), 9);
	ck_assert_int_eq(cmd(e, "set-weight 10.0.0.1:80 10.0.0.2:80 default"),
	    IPC_CMD_OK);
	ck_assert_int_eq(weight(e, 80, "10.0.0.2"), 1);
	ck_assert_ptr_null(rs_of(e, 80, "10.0.0.2")->ovr);
	/* bad numbers, unknown objects */
	ck_assert_int_eq(cmd(e, "set-weight 10.0.0.1:80 10.0.0.2:80 abc"),
	    IPC_CMD_EUSAGE);
	ck_assert_int_eq(cmd(e, "set-weight 10.0.0.1:80 10.0.0.2:80 -3"),
	    IPC_CMD_EUSAGE);
	ck_assert_int_eq(cmd(e, "set-weight 10.0.0.1:80 10.0.0.2:80 70000"),
	    IPC_CMD_EUSAGE);
	ck_assert_int_eq(cmd(e, "set-weight 10.0.0.1:80 10.0.0.2:80"),
	    IPC_CMD_EUSAGE);
	ck_assert_int_eq(cmd(e, "set-weight 10.0.0.1:80 10.0.0.8:80 3"),
	    IPC_CMD_ENOENT);
	ck_assert_ptr_nonnull(strstr(answer, "[10.0.0.8]:80"));
	ck_assert_int_eq(cmd(e, "set-weight 10.9.9.9:80 10.0.0.2:80 3"),
	    IPC_CMD_ENOENT);
	ck_assert_ptr_nonnull(strstr(answer, "10.9.9.9:80"));
	ck_assert_int_eq(weight(e, 80, "10.0.0.2"), 1);
	stop(e);
	vconfig_free(cfg);
}
END_TEST

START_TEST(set_weight_under_dynamic_weight)
{
	/* a FILE_CHECK-like dynamic weight is modelled by the check's
	 * weight: it acts on top of set-weight */
	struct vigil_config *cfg = load(conf_a);
	struct chk_engine *e = start(cfg, NULL);
	struct chk_rsrun *rs = rs_of(e, 80, "10.0.0.2");

	chk_rs_subs(rs)[0].check->weight = 5;
	ck_assert_int_eq(cmd(e, "set-weight 10.0.0.1:80 10.0.0.2:80 7"),
	    IPC_CMD_OK);
	ck_assert_int_eq(weight(e, 80, "10.0.0.2"), 5);
	ck_assert_int_eq(cmd(e, "drain 10.0.0.2:80 10.0.0.1:80"), IPC_CMD_OK);
	ck_assert_int_eq(weight(e, 80, "10.0.0.2"), 0);
	stop(e);
	vconfig_free(cfg);
}
END_TEST

START_TEST(add_and_remove_real)
{
	struct vigil_config *cfg = load(conf_a);
	struct chk_engine *e = start(cfg, NULL);
	struct chk_rsrun *rs;
	char t[CHK_TARGET_LEN];

	/* a copy of the first real server's check, aimed at the new one */
	ck_assert_int_eq(cmd(e, "add-real 10.0.0.1:80 10.0.0.9:80 weight 3"),
	    IPC_CMD_OK);
	ck_assert_int_eq(weight(e, 80, "10.0.0.9"), 3);
	ck_assert_ptr_nonnull(rs = rs_of(e, 80, "10.0.0.9"));
	ck_assert_int_eq(rs->nsubs, 1);
	ck_assert_int_eq(rs->conf->checks->list->kind, CHK_TCP);
	ck_assert_uint_eq(rs->conf->checks->list->conn.connect_timeout, 2000000);
	/* its probes go to the real server */
	ck_assert_ptr_nonnull(strstr(chk_check_target(chk_rs_subs(rs)[0].check, t,
	    sizeof(t)), "[10.0.0.9]:"));
	ck_assert_int_eq(rs->ovr->runtime, 1);
	ck_assert_int_eq(vs_of(e, 80)->nrs, 3);
	/* already there */
	ck_assert_int_eq(cmd(e, "add-real 10.0.0.1:80 10.0.0.9:80"),
	    IPC_CMD_EFAIL);
	/* DR: port 8080 would be [10.0.0.9]:80 too, that real server's
	 * IPVS destination: refused, named, nothing added */
	ck_assert_int_eq(cmd(e, "add-real 10.0.0.1:80 10.0.0.9:8080"),
	    IPC_CMD_EFAIL);
	ck_assert_str_eq(answer, "[10.0.0.1]:tcp:80: real server "
	    "[10.0.0.9]:8080 would be the IPVS destination of real server "
	    "[10.0.0.9]:80 (port 80: DR and TUN take the virtual server's)\n");
	ck_assert_int_eq(vs_of(e, 80)->nrs, 3);
	ck_assert_int_eq(weight(e, 80, "10.0.0.9"), 3);
	/* its own check, in the configuration's words */
	ck_assert_int_eq(cmd(e, "add-real 10.0.0.1:80 10.0.0.10:80 check "
	    "|HTTP_GET { url { path /health status_code 200 } }"), IPC_CMD_OK);
	ck_assert_ptr_nonnull(rs = rs_of(e, 80, "10.0.0.10"));
	ck_assert_int_eq(rs->conf->checks->list->kind, CHK_HTTP);
	ck_assert_str_eq(rs->conf->checks->list->u.http.urls->path, "/health");
	ck_assert_int_eq(weight(e, 80, "10.0.0.10"), 1);
	/* a check that does not parse: refused, nothing added */
	ck_assert_int_eq(cmd(e, "add-real 10.0.0.1:80 10.0.0.11:80 check "
	    "|HTTP_GET { url { path /x }"), IPC_CMD_EUSAGE);
	ck_assert_ptr_null(rs_of(e, 80, "10.0.0.11"));
	ck_assert_int_eq(cmd(e, "add-real 10.0.0.1:80 10.0.0.11:80 weight x"),
	    IPC_CMD_EUSAGE);
	ck_assert_int_eq(cmd(e, "add-real 10.0.0.1:80 10.0.0.11:80 check"),
	    IPC_CMD_EUSAGE);
	ck_assert_int_eq(cmd(e, "add-real 10.0.0.5:80 10.0.0.11:80"),
	    IPC_CMD_ENOENT);
	/* a virtual server without real servers: a TCP_CHECK on its port */
	ck_assert_int_eq(cmd(e, "add-real 10.0.0.1:9090 10.0.0.12:80"),
	    IPC_CMD_OK);
	ck_assert_ptr_nonnull(rs = rs_of(e, 9090, "10.0.0.12"));
	ck_assert_int_eq(rs->conf->checks->list->kind, CHK_TCP);
	ck_assert_str_eq(chk_check_target(chk_rs_subs(rs)[0].check, t, sizeof(t)),
	    "[10.0.0.12]:80");
	ck_assert_int_eq(weight(e, 9090, "10.0.0.12"), 1);
	/* remove a runtime one, then a configured one, and bring it back */
	ck_assert_int_eq(cmd(e, "remove-real 10.0.0.1:80 10.0.0.9:80"),
	    IPC_CMD_OK);
	ck_assert_int_eq(weight(e, 80, "10.0.0.9"), -1);
	ck_assert_ptr_null(rs_of(e, 80, "10.0.0.9"));
	ck_assert_uint_eq(gone, 1);
	ck_assert_int_eq(cmd(e, "remove-real 10.0.0.1:80 10.0.0.3:80"),
	    IPC_CMD_OK);
	ck_assert_int_eq(weight(e, 80, "10.0.0.3"), -1);
	ck_assert_int_eq(vs_of(e, 80)->nrs, 2);
	ck_assert_int_eq(cmd(e, "remove-real 10.0.0.1:80 10.0.0.3:80"),
	    IPC_CMD_ENOENT);
	ck_assert_int_eq(cmd(e, "add-real 10.0.0.1:80 10.0.0.3:80"),
	    IPC_CMD_OK);
	ck_assert_int_eq(weight(e, 80, "10.0.0.3"), 1);
	ck_assert_ptr_null(rs_of(e, 80, "10.0.0.3")->ovr);
	ck_assert_int_eq(cmd(e, "remove-real 10.0.0.1:80"), IPC_CMD_EUSAGE);
	stop(e);
	vconfig_free(cfg);
}
END_TEST

/* ---- the hand-over ------------------------------------------------------------ */

static void
put(struct ipc_objbuf *b, const char *name, uint32_t flags, int32_t w,
    const char *attrs)
{
	struct ipc_obj o = { "real_server", name, "", "", 1,
	    flags | IPC_OBJ_OVERRIDE, w, 0, attrs };

	ck_assert_int_eq(ipc_obj_put(b, &o), 0);
}

START_TEST(overrides_handed_over_apply_at_start)
{
	struct vigil_config *cfg = load(conf_a);
	struct ipc_objbuf b = { 0 };
	struct proc_handover h;
	struct chk_engine *e;
	char t[CHK_TARGET_LEN];
	struct ipc_obj plain = { "real_server", "[10.0.0.1]:tcp:80 / "
	    "[10.0.0.3]:80", "up", "", 1, 0, 1, 0, "" };

	ck_assert_int_eq(ipc_obj_put(&b, &plain), 0);	/* not an override */
	put(&b, "[10.0.0.1]:tcp:80 / [10.0.0.2]:80", IPC_OBJ_DRAIN,
	    IPC_OBJ_NO_WEIGHT, "drained=1");
	put(&b, "[10.0.0.1]:tcp:8080 / [10.0.0.2]:80", 0, 6, "");
	/* the form daemon/route.c records */
	put(&b, "[10.0.0.1]:tcp:80 / [10.0.0.9]:80", IPC_OBJ_ADDED, 4,
	    "virtual_server=[10.0.0.1]:tcp:80\narg=weight\narg=4");
	put(&b, "[10.0.0.1]:tcp:9090 / [10.0.0.12]:80", IPC_OBJ_ADDED |
	    IPC_OBJ_DRAIN, IPC_OBJ_NO_WEIGHT, "virtual_server=[10.0.0.1]:tcp:"
	    "9090\narg=check\narg=TCP_CHECK\narg={\narg=connect_port\n"
	    "arg=81\narg=}");
	put(&b, "[10.0.0.1]:tcp:8080 / [10.0.0.13]:80", IPC_OBJ_ADDED, 7,
	    "virtual_server=[10.0.0.1]:tcp:8080\narg=weight\narg=2");
	put(&b, "[10.0.0.1]:tcp:80 / [10.0.0.3]:80", IPC_OBJ_REMOVED,
	    IPC_OBJ_NO_WEIGHT, "");
	put(&b, "[10.0.0.7]:tcp:80 / [10.0.0.3]:80", IPC_OBJ_DRAIN,
	    IPC_OBJ_NO_WEIGHT, "");	/* gone from the configuration */
	put(&b, "nonsense", IPC_OBJ_DRAIN, IPC_OBJ_NO_WEIGHT, "");
	h.data = b.data;
	h.len = b.len;
	h.count = b.count;
	e = start(cfg, &h);
	ck_assert_int_eq(weight(e, 80, "10.0.0.2"), 0);
	ck_assert_int_eq(weight(e, 8080, "10.0.0.2"), 6);
	ck_assert_int_eq(weight(e, 80, "10.0.0.9"), 4);
	ck_assert_int_eq(weight(e, 80, "10.0.0.3"), -1);
	ck_assert_int_eq(weight(e, 9090, "10.0.0.12"), 0);
	ck_assert_str_eq(chk_check_target(chk_rs_subs(
	    rs_of(e, 9090, "10.0.0.12"))[0].check, t, sizeof(t)), "[10.0.0.12]:81");
	/* added with weight 2, set to 7 since */
	ck_assert_int_eq(weight(e, 8080, "10.0.0.13"), 7);
	ck_assert_int_eq(rs_of(e, 8080, "10.0.0.13")->conf->weight, 2);
	/* the table was built with them: no weight 1 first, then 0 */
	ck_assert_ptr_null(strstr(changes, "edit"));
	ck_assert_ptr_null(strstr(changes, "del"));
	stop(e);
	ipc_objbuf_free(&b);
	vconfig_free(cfg);
}
END_TEST

/* ---- a start's quorum lines ------------------------------------------------------ */

static unsigned first_lines;
static char first_summary[256];

static void
first_sink(void *arg, int prio, const char *msg)
{
	(void)arg;
	if (strstr(msg, "more virtual server(s) starting") != NULL)
		snprintf(first_summary, sizeof(first_summary), "%s", msg);
	else if (strstr(msg, "starting with quorum up") != NULL ||
	    strstr(msg, "quorum lost") != NULL) {
		ck_assert_int_eq(prio, LOG_NOTICE);
		first_lines++;
	}
}

/* 40 virtual servers start, 30 with quorum, 10 without (quorum 2 over
 * one real server): the first CHK_FIRST_LOG decisions are logged one by
 * one, the others counted in one line; every one is decided. */
START_TEST(start_logs_the_first_quorum_decisions)
{
	char *text = malloc(40 * 160 + 1), *p = text;
	struct vigil_config *cfg;
	struct chk_engine *e;
	struct chk_vsrun *vs;
	unsigned nup = 0, ndown = 0;

	ck_assert_ptr_nonnull(text);
	for (unsigned i = 0; i < 40; i++)
		p += sprintf(p, "virtual_server 10.1.0.%u 80 {\n protocol TCP\n"
		    " quorum %u\n delay_loop 60\n real_server 10.2.0.%u 80 {\n"
		    "  TCP_CHECK {\n   warmup 100\n  }\n }\n}\n", i + 1,
		    i < 30 ? 1 : 2, i + 1);
	cfg = load(text);
	free(text);
	first_lines = 0;
	first_summary[0] = '\0';
	log_capture(first_sink, NULL);
	e = start(cfg, NULL);
	log_capture(NULL, NULL);
	ck_assert_uint_eq(first_lines, CHK_FIRST_LOG);
	/* in the configuration's order: the 30 up, 2 down, then 8 down */
	ck_assert_str_eq(first_summary, "checks: 0 more virtual server(s) "
	    "starting with quorum up, 8 with quorum lost (the first 32 "
	    "logged; the others at debug, each in the state dump)");
	TAILQ_FOREACH(vs, &e->vslist, link) {
		if (vs->quorum_up == 1)
			nup++;
		else if (vs->quorum_up == 0)
			ndown++;
	}
	ck_assert_uint_eq(nup, 30);
	ck_assert_uint_eq(ndown, 10);
	stop(e);
	vconfig_free(cfg);
}
END_TEST

/* ---- reloads --------------------------------------------------------------------- */

/* Two DR real servers on one IPVS destination ([10.0.0.2]:80): the entry
 * is in while both are up, with the first's weight; remove-real and
 * reloads taking one away leave it to the other, added back, changed or
 * removed as that one alone wants it, never deleted and added again. */
static const char conf_twins[] =
    "virtual_server 10.0.0.1 80 {\n protocol TCP\n lb_kind DR\n"
    " delay_loop 60\n warmup 100\n"
    " real_server 10.0.0.2 80 {\n  weight 3\n  TCP_CHECK {\n  }\n }\n"
    " real_server 10.0.0.2 8080 {\n  alpha\n  TCP_CHECK {\n  }\n }\n"
    " real_server 10.0.0.3 80 {\n  TCP_CHECK {\n  }\n }\n}\n";

START_TEST(shared_destination_follows_every_real_server_on_it)
{
	struct vigil_config *c1 = load(conf_twins), *c2, *c3;
	struct chk_engine *e = start(c1, NULL);
	char text[sizeof(conf_twins) + 64];

	/* 8080 starts down (alpha): the shared entry stays out */
	ck_assert_str_eq(changes, "svc-add [10.0.0.1]:tcp:80;"
	    "add [10.0.0.1]:tcp:80 10.0.0.3:80 w1;");
	ck_assert_int_eq(weight(e, 80, "10.0.0.2"), -1);
	/* a weight set on the first one waits for the other */
	memset(changes, 0, sizeof(changes));
	ck_assert_int_eq(cmd(e, "set-weight 10.0.0.1:80 10.0.0.2:80 4"),
	    IPC_CMD_OK);
	spin();
	ck_assert_str_eq(changes, "");
	/* the reload drops 8080: the entry is the first one's alone */
	snprintf(text, sizeof(text), "%s", conf_twins);
	memcpy(strstr(text, "8080"), "8081", 4);
	memcpy(strstr(text, "10.0.0.2 8081"), "10.0.0.4 8081", 13);
	c2 = load(text);
	ck_assert_int_eq(chk_engine_reload(e, c1->conf[CONF_OWNER_CHECK],
	    c2->conf[CONF_OWNER_CHECK]), 0);
	vconfig_free(c1);
	spin();
	ck_assert_int_eq(weight(e, 80, "10.0.0.2"), 4);
	ck_assert_ptr_null(strstr(changes, "del [10.0.0.1]:tcp:80 10.0.0.2"));
	/* a reload bringing a second one back, up this time (no alpha):
	 * the entry is still in (both up), with the first's weight */
	memset(changes, 0, sizeof(changes));
	snprintf(text, sizeof(text), "%s", conf_twins);
	memcpy(strstr(text, "alpha"), "     ", 5);
	c3 = load(text);
	ck_assert_int_eq(chk_engine_reload(e, c2->conf[CONF_OWNER_CHECK],
	    c3->conf[CONF_OWNER_CHECK]), 0);
	vconfig_free(c2);
	spin();
	ck_assert_int_eq(weight(e, 80, "10.0.0.2"), 4);
	ck_assert_ptr_null(strstr(changes, "10.0.0.2"));
	/* removing the first at runtime leaves the entry to the second,
	 * with its own weight: one edit, no delete */
	ck_assert_int_eq(cmd(e, "remove-real 10.0.0.1:80 10.0.0.2:80"),
	    IPC_CMD_OK);
	spin();
	ck_assert_str_eq(changes, "edit [10.0.0.1]:tcp:80 10.0.0.2:80 w1;");
	ck_assert_int_eq(weight(e, 80, "10.0.0.2"), 1);
	stop(e);
	vconfig_free(c3);
}
END_TEST

/* the warning of a reload whose configured real server is the IPVS
 * destination of one added at runtime */
static char shared_warn[512];

static void
shared_sink(void *arg, int prio, const char *msg)
{
	(void)arg;
	if (prio == LOG_WARNING && strstr(msg, "added at runtime") != NULL)
		snprintf(shared_warn, sizeof(shared_warn), "%s", msg);
}

/* A group's DR / TUN destination is at each entry's port whatever port
 * was written (ipvs_backend.c): two real servers of one address are one
 * destination there, decided together as on a virtual server by address
 * (the entry in while both are up, a reload dropping one no delete). */
static const char conf_group_twins[] =
    "virtual_server_group G {\n 10.0.0.1 80\n fwmark 6\n}\n"
    "virtual_server group G {\n protocol TCP\n lb_kind DR\n"
    " delay_loop 60\n warmup 100\n"
    " real_server 10.0.0.2 80 {\n  weight 3\n  TCP_CHECK {\n  }\n }\n"
    " real_server 10.0.0.2 8080 {\n  alpha\n  TCP_CHECK {\n  }\n }\n"
    " real_server 10.0.0.3 80 {\n  TCP_CHECK {\n  }\n }\n}\n";

START_TEST(group_destination_shared_by_address)
{
	struct vigil_config *c1 = load(conf_group_twins), *c2;
	struct chk_engine *e = start(c1, NULL);
	char text[sizeof(conf_group_twins) + 128];

	/* 8080 starts down (alpha): the shared entry stays out */
	ck_assert_ptr_null(strstr(changes, "10.0.0.2"));
	ck_assert_ptr_nonnull(strstr(changes, "add group G:tcp 10.0.0.3:0 w1;"));
	/* a reload drops 8080: the entry is the first one's alone, added
	 * with its weight, never removed */
	memset(changes, 0, sizeof(changes));
	snprintf(text, sizeof(text), "%s", conf_group_twins);
	memcpy(strstr(text, "10.0.0.2 8080"), "10.0.0.4 8080", 13);
	c2 = load(text);
	ck_assert_int_eq(chk_engine_reload(e, c1->conf[CONF_OWNER_CHECK],
	    c2->conf[CONF_OWNER_CHECK]), 0);
	vconfig_free(c1);
	spin();
	ck_assert_ptr_null(strstr(changes, "del group G:tcp 10.0.0.2"));
	ck_assert_ptr_nonnull(strstr(changes, "add group G:tcp 10.0.0.2:0 w3;"));
	/* add-real onto another's destination is refused there too */
	ck_assert_int_eq(cmd(e, "add-real group G 10.0.0.3:8080"),
	    IPC_CMD_EFAIL);
	ck_assert_ptr_nonnull(strstr(answer, "would be the IPVS destination "
	    "of real server [10.0.0.3]:80 (a group's DR and TUN take each "
	    "entry's port)"));
	/* one added at runtime, then configured at another port: the
	 * configured one takes the entries, and the warning says why */
	ck_assert_int_eq(cmd(e, "add-real group G 10.0.0.5:9090"), IPC_CMD_OK);
	snprintf(text, sizeof(text), "%.*s real_server 10.0.0.5 7070 {\n"
	    "  TCP_CHECK {\n  }\n }\n}\n", (int)strlen(conf_group_twins) - 2,
	    conf_group_twins);
	memcpy(strstr(text, "10.0.0.2 8080"), "10.0.0.4 8080", 13);
	c1 = load(text);
	shared_warn[0] = '\0';
	log_capture(shared_sink, NULL);
	ck_assert_int_eq(chk_engine_reload(e, c2->conf[CONF_OWNER_CHECK],
	    c1->conf[CONF_OWNER_CHECK]), 0);
	log_capture(NULL, NULL);
	ck_assert_msg(strstr(shared_warn, "is the IPVS destination [10.0.0.5] "
	    "(each entry's port) of real server [10.0.0.5]:9090 added at "
	    "runtime (a group's DR and TUN real servers take each entry's "
	    "port)") != NULL, "%s", shared_warn);
	vconfig_free(c2);
	spin();
	stop(e);
	vconfig_free(c1);
}
END_TEST

/* A command names a real server by its port as written, or by the port
 * of its IPVS destination (DR: the virtual server's; the one the fifo
 * lines, SNMP and ipvsadm show) where it is alone there; two there: the
 * written port is asked for. */
START_TEST(commands_take_the_ipvs_port)
{
	struct vigil_config *cfg = load(conf_a), *c2;
	struct chk_engine *e = start(cfg, NULL);

	/* 10.0.0.2 80 of the virtual server on 8080 is [10.0.0.2]:8080 */
	ck_assert_int_eq(cmd(e, "set-weight 10.0.0.1:8080 10.0.0.2:8080 5"),
	    IPC_CMD_OK);
	ck_assert_int_eq(weight(e, 8080, "10.0.0.2"), 5);
	ck_assert_int_eq(cmd(e, "drain 10.0.0.2:8080"), IPC_CMD_OK);
	ck_assert_str_eq(answer, "drained [10.0.0.2]:8080 in "
	    "[10.0.0.1]:tcp:8080\n");
	ck_assert_int_eq(weight(e, 8080, "10.0.0.2"), 0);
	ck_assert_int_eq(weight(e, 80, "10.0.0.2"), 1);
	stop(e);
	vconfig_free(cfg);
	c2 = load("virtual_server 10.0.0.1 80 {\n protocol TCP\n lb_kind DR\n"
	    " delay_loop 60\n warmup 100\n"
	    " real_server 10.0.0.2 8080 {\n  TCP_CHECK {\n  }\n }\n"
	    " real_server 10.0.0.2 8081 {\n  TCP_CHECK {\n  }\n }\n}\n");
	e = start(c2, NULL);
	ck_assert_int_eq(cmd(e, "set-weight 10.0.0.1:80 10.0.0.2:80 4"),
	    IPC_CMD_EUSAGE);
	ck_assert_ptr_nonnull(strstr(answer, "[10.0.0.1]:tcp:80 / "
	    "[10.0.0.2]:8080 and [10.0.0.1]:tcp:80 / [10.0.0.2]:8081 are both "
	    "on that IPVS destination"));
	ck_assert_int_eq(cmd(e, "drain 10.0.0.2:80"), IPC_CMD_EUSAGE);
	ck_assert_int_eq(cmd(e, "set-weight 10.0.0.1:80 10.0.0.2:8080 4"),
	    IPC_CMD_OK);
	ck_assert_int_eq(weight(e, 80, "10.0.0.2"), 4);
	stop(e);
	vconfig_free(c2);
}
END_TEST

START_TEST(overrides_survive_reload_until_the_config_changes_them)
{
	struct vigil_config *c1 = load(conf_a), *c2, *c3;
	struct chk_engine *e = start(c1, NULL);
	char text[sizeof(conf_a) + 256];

	ck_assert_int_eq(cmd(e, "drain 10.0.0.2:80"), IPC_CMD_OK);
	ck_assert_int_eq(cmd(e, "set-weight 10.0.0.1:80 10.0.0.3:80 5"),
	    IPC_CMD_OK);
	ck_assert_int_eq(cmd(e, "add-real 10.0.0.1:80 10.0.0.9:80 weight 3"),
	    IPC_CMD_OK);
	ck_assert_int_eq(cmd(e, "add-real 10.0.0.1:9090 10.0.0.12:80 check "
	    "|TCP_CHECK { connect_port 81 }"), IPC_CMD_OK);
	/* reload: the 8080 virtual server's real server changes (weight);
	 * the others are as they were */
	snprintf(text, sizeof(text), "%s", conf_a);
	memcpy(strstr(text, "weight 2"), "weight 4", 8);
	c2 = load(text);
	memset(changes, 0, sizeof(changes));
	ck_assert_int_eq(chk_engine_reload(e, c1->conf[CONF_OWNER_CHECK],
	    c2->conf[CONF_OWNER_CHECK]), 0);
	vconfig_free(c1);
	spin();
	ck_assert_int_eq(weight(e, 80, "10.0.0.2"), 0);
	ck_assert_int_eq(weight(e, 80, "10.0.0.3"), 5);
	ck_assert_int_eq(weight(e, 80, "10.0.0.9"), 3);
	ck_assert_int_eq(weight(e, 9090, "10.0.0.12"), 1);
	/* the configuration changed that one: its drain is dropped */
	ck_assert_int_eq(weight(e, 8080, "10.0.0.2"), 4);
	ck_assert_str_eq(changes, "edit [10.0.0.1]:tcp:8080 10.0.0.2:8080 w4;");
	/* and the owner is told, so the parent forgets it too */
	ck_assert_str_eq(dropped, "[10.0.0.1]:tcp:8080 10.0.0.2:80;");
	dropped[0] = '\0';
	/* the runtime copy follows the new generation's first real server */
	ck_assert_uint_eq(rs_of(e, 80, "10.0.0.9")->conf->checks->list->
	    conn.connect_timeout, 2000000);
	/* the configuration now names 10.0.0.9 itself and drops 10.0.0.3:
	 * the configured 10.0.0.9 replaces the runtime one */
	snprintf(text, sizeof(text), "%s", conf_a);
	memcpy(strstr(text, "10.0.0.3 80"), "10.0.0.9 80", 11);
	c3 = load(text);
	ck_assert_int_eq(chk_engine_reload(e, c2->conf[CONF_OWNER_CHECK],
	    c3->conf[CONF_OWNER_CHECK]), 0);
	vconfig_free(c2);
	spin();
	ck_assert_int_eq(weight(e, 80, "10.0.0.9"), 1);
	ck_assert_ptr_null(rs_of(e, 80, "10.0.0.9")->ovr);
	ck_assert_str_eq(dropped, "[10.0.0.1]:tcp:80 10.0.0.9:80;"
	    "[10.0.0.1]:tcp:80 10.0.0.3:80;");
	ck_assert_int_eq(weight(e, 80, "10.0.0.3"), -1);
	ck_assert_int_eq(weight(e, 80, "10.0.0.2"), 0);	/* still drained */
	ck_assert_uint_eq(e->novrs, 2);	/* the drain, 10.0.0.12 */
	stop(e);
	vconfig_free(c3);
}
END_TEST

/* A reload naming a real server on the IPVS destination of one added at
 * runtime (DR: 10.0.0.9 8080 is [10.0.0.9]:80, the runtime 10.0.0.9:80's
 * entry): the configured one takes the entry, as add-real onto a
 * configured one's is refused; the runtime one goes (its owner told),
 * the entry is edited to the configured weight, never deleted. */
START_TEST(reload_onto_a_runtime_real_servers_destination)
{
	struct vigil_config *c1 = load(conf_a), *c2;
	struct chk_engine *e = start(c1, NULL);
	char text[sizeof(conf_a) + 256];
	const char *at;
	struct vg_addr a;

	ck_assert_int_eq(cmd(e, "add-real 10.0.0.1:80 10.0.0.9:80 weight 3"),
	    IPC_CMD_OK);
	ck_assert_int_eq(weight(e, 80, "10.0.0.9"), 3);
	/* 10.0.0.3 80 becomes 10.0.0.9 8080, weight 5 */
	at = strstr(conf_a, "10.0.0.3 80 {\n");
	ck_assert_ptr_nonnull(at);
	snprintf(text, sizeof(text), "%.*s10.0.0.9 8080 {\n  weight 5\n%s",
	    (int)(at - conf_a), conf_a, at + strlen("10.0.0.3 80 {\n"));
	c2 = load(text);
	memset(changes, 0, sizeof(changes));
	gone = 0;
	shared_warn[0] = '\0';
	log_capture(shared_sink, NULL);
	ck_assert_int_eq(chk_engine_reload(e, c1->conf[CONF_OWNER_CHECK],
	    c2->conf[CONF_OWNER_CHECK]), 0);
	log_capture(NULL, NULL);
	/* the warning names the destination both are, and why */
	ck_assert_msg(strstr(shared_warn, "is the IPVS destination "
	    "[10.0.0.9]:80 of real server [10.0.0.9]:80 added at runtime (DR "
	    "and TUN take the virtual server's port)") != NULL, "%s",
	    shared_warn);
	vconfig_free(c1);
	spin();
	ck_assert_int_eq(addr_parse("10.0.0.9", &a), 0);
	ck_assert_ptr_null(rs_of(e, 80, "10.0.0.9"));
	ck_assert_ptr_nonnull(chk_rs_find(vs_of(e, 80), &a, 8080));
	ck_assert_ptr_null(chk_rs_find(vs_of(e, 80), &a, 8080)->ovr);
	ck_assert_int_eq(weight(e, 80, "10.0.0.9"), 5);
	ck_assert_ptr_null(strstr(changes, "del [10.0.0.1]:tcp:80 10.0.0.9"));
	ck_assert_ptr_nonnull(strstr(changes,
	    "edit [10.0.0.1]:tcp:80 10.0.0.9:80 w5;"));
	ck_assert_str_eq(dropped, "[10.0.0.1]:tcp:80 10.0.0.9:80;");
	ck_assert_uint_eq(gone, 1);
	ck_assert_uint_eq(e->novrs, 0);
	ck_assert_int_eq(vs_of(e, 80)->nrs, 2);
	stop(e);
	vconfig_free(c2);
}
END_TEST

static size_t
ndests(struct chk_engine *e)
{
	size_t s, d;

	dp_table_count(e->dp, &s, &d);
	return d;
}

/* A reload changing lb_kind NAT -> DR moves a real server's IPVS
 * destination to the virtual server's port (as keepalived programs it):
 * the old entry ([10.0.0.2]:8080) goes, the new one is added, in one
 * batch; the same for one added at runtime; and back. */
START_TEST(reload_moving_a_destination_removes_the_old_entry)
{
	static const char nat[] =
	    "virtual_server 10.0.0.1 80 {\n protocol TCP\n lb_kind NAT\n"
	    " delay_loop 60\n warmup 100\n"
	    " real_server 10.0.0.2 8080 {\n  TCP_CHECK {\n  }\n }\n}\n";
	char text[sizeof(nat) + 16];
	struct vigil_config *c1 = load(nat), *c2, *c3;
	struct chk_engine *e = start(c1, NULL);

	ck_assert_int_eq(cmd(e, "add-real 10.0.0.1:80 10.0.0.3:8081"),
	    IPC_CMD_OK);
	ck_assert_ptr_nonnull(strstr(changes,
	    "add [10.0.0.1]:tcp:80 10.0.0.3:8081 w1;"));
	snprintf(text, sizeof(text), "%s", nat);
	memcpy(strstr(text, "NAT"), "DR ", 3);
	c2 = load(text);
	memset(changes, 0, sizeof(changes));
	ck_assert_int_eq(chk_engine_reload(e, c1->conf[CONF_OWNER_CHECK],
	    c2->conf[CONF_OWNER_CHECK]), 0);
	spin();
	ck_assert_ptr_nonnull(strstr(changes,
	    "del [10.0.0.1]:tcp:80 10.0.0.2:8080 w1;"));
	ck_assert_ptr_nonnull(strstr(changes,
	    "add [10.0.0.1]:tcp:80 10.0.0.2:80 w1;"));
	ck_assert_ptr_nonnull(strstr(changes,
	    "del [10.0.0.1]:tcp:80 10.0.0.3:8081 w1;"));
	ck_assert_ptr_nonnull(strstr(changes,
	    "add [10.0.0.1]:tcp:80 10.0.0.3:80 w1;"));
	ck_assert_int_eq(weight(e, 80, "10.0.0.2"), 1);
	ck_assert_uint_eq(ndests(e), 2);
	/* back to NAT: the real servers' own ports again */
	c3 = load(nat);
	memset(changes, 0, sizeof(changes));
	ck_assert_int_eq(chk_engine_reload(e, c2->conf[CONF_OWNER_CHECK],
	    c3->conf[CONF_OWNER_CHECK]), 0);
	spin();
	ck_assert_ptr_nonnull(strstr(changes,
	    "del [10.0.0.1]:tcp:80 10.0.0.2:80 w1;"));
	ck_assert_ptr_nonnull(strstr(changes,
	    "add [10.0.0.1]:tcp:80 10.0.0.2:8080 w1;"));
	ck_assert_uint_eq(ndests(e), 2);
	stop(e);
	vconfig_free(c1);
	vconfig_free(c2);
	vconfig_free(c3);
}
END_TEST

/* Three real servers with one TCP_CHECK setting share its configuration
 * (each checked at its own address); a reload changing one's
 * connect_timeout un-shares it, and only its check starts over. */
static const char conf_shared[] =
    "virtual_server 10.0.0.1 80 {\n protocol TCP\n lb_kind DR\n"
    " delay_loop 60\n warmup 100\n"
    " real_server 10.0.0.2 80 {\n  TCP_CHECK {\n   connect_timeout 2\n"
    "  }\n }\n"
    " real_server 10.0.0.3 80 {\n  TCP_CHECK {\n   connect_timeout 2\n"
    "  }\n }\n"
    " real_server 10.0.0.4 80 {\n  TCP_CHECK {\n   connect_timeout 2\n"
    "  }\n }\n}\n";

START_TEST(shared_checkers_reload_one)
{
	struct vigil_config *c1 = load(conf_shared), *c2;
	struct chk_engine *e = start(c1, NULL);
	static const char *const rs[] = { "10.0.0.2", "10.0.0.3",
	    "10.0.0.4" };
	struct chk_conf_diff d;
	char text[sizeof(conf_shared) + 16], t[CHK_TARGET_LEN], want[32];
	const struct chk_checker_conf *shared;
	const struct chk_vs_conf *v2;
	unsigned i;

	shared = rs_of(e, 80, rs[0])->conf->checks->list;
	for (i = 0; i < 3; i++) {
		struct chk_rsrun *r = rs_of(e, 80, rs[i]);

		ck_assert_ptr_eq(r->conf->checks->list, shared);
		/* one check each, at its own address */
		ck_assert_ptr_nonnull(chk_rs_subs(r)[0].check);
		snprintf(want, sizeof(want), "[%s]:80", rs[i]);
		ck_assert_str_eq(chk_check_target(chk_rs_subs(r)[0].check, t,
		    sizeof(t)), want);
		/* marks what a restart would lose */
		chk_rs_subs(r)[0].check->runs = 7;
	}
	ck_assert_uint_eq(e->nchecks, 3);
	snprintf(text, sizeof(text), "%s", conf_shared);
	memcpy(strstr(strstr(text, "10.0.0.3 80"), "timeout 2"),
	    "timeout 5", 9);
	c2 = load(text);
	v2 = ((const struct chk_conf *)c2->conf[CONF_OWNER_CHECK])->vs;
	ck_assert_ptr_eq(v2->rs->checks->list, v2->rs_tail->checks->list);
	ck_assert_ptr_ne(v2->rs->checks->list, v2->rs->next->checks->list);
	memset(&d, 0, sizeof(d));
	memset(changes, 0, sizeof(changes));
	ck_assert_int_eq(chk_engine_reload_diff(e, c1->conf[CONF_OWNER_CHECK],
	    c2->conf[CONF_OWNER_CHECK], &d), 0);
	vconfig_free(c1);
	spin();
	ck_assert_uint_eq(d.rs.changed, 1);
	ck_assert_uint_eq(d.rs.unchanged, 2);
	ck_assert_uint_eq(e->nchecks, 3);
	/* the two unchanged keep their checks, reading the new generation's
	 * shared configuration; the changed one has a new check */
	for (i = 0; i < 3; i++) {
		struct chk_rsrun *r = rs_of(e, 80, rs[i]);
		const struct chk_check *c = chk_rs_subs(r)[0].check;

		ck_assert_ptr_nonnull(c);
		ck_assert_ptr_eq(c->conf, r->conf->checks->list);
		ck_assert_uint_eq(c->runs, i == 1 ? 0 : 7);
		ck_assert_uint_eq(c->conf->conn.connect_timeout, i == 1 ?
		    5000000 : 2000000);
		snprintf(want, sizeof(want), "[%s]:80", rs[i]);
		ck_assert_str_eq(chk_check_target(c, t, sizeof(t)), want);
	}
	ck_assert_str_eq(changes, "");	/* nobody left the table */
	stop(e);
	vconfig_free(c2);
}
END_TEST

/* The same real server under two virtual servers shares one check (one
 * probe serves both); a reload that removes one virtual server leaves the
 * other its check as it was (not restarted), no longer shared; one that
 * brings it back shares it again. */
static const char conf_two_vs[] =
    "virtual_server 10.0.0.1 80 {\n protocol TCP\n lb_kind DR\n"
    " delay_loop 60\n warmup 100\n"
    " real_server 10.0.0.2 80 {\n  TCP_CHECK {\n   connect_timeout 2\n"
    "  }\n }\n}\n"
    "virtual_server 10.0.0.1 8080 {\n protocol TCP\n lb_kind DR\n"
    " delay_loop 60\n warmup 100\n"
    " real_server 10.0.0.2 80 {\n  TCP_CHECK {\n   connect_timeout 2\n"
    "  }\n }\n}\n";

START_TEST(shared_check_across_virtual_servers)
{
	struct vigil_config *c1 = load(conf_two_vs), *c2, *c3;
	struct chk_engine *e = start(c1, NULL);
	struct chk_check *c = chk_rs_subs(rs_of(e, 80, "10.0.0.2"))[0].check;
	char text[sizeof(conf_two_vs)];

	ck_assert_ptr_nonnull(c);
	ck_assert_ptr_eq(chk_rs_subs(rs_of(e, 8080, "10.0.0.2"))[0].check, c);
	ck_assert(chk_check_shared(c));
	ck_assert_uint_eq(e->nchecks, 1);
	c->runs = 7;			/* what a restart would lose */
	/* the second virtual server goes */
	snprintf(text, sizeof(text), "%s", conf_two_vs);
	*strstr(text, "virtual_server 10.0.0.1 8080") = '\0';
	c2 = load(text);
	ck_assert_int_eq(chk_engine_reload(e, c1->conf[CONF_OWNER_CHECK],
	    c2->conf[CONF_OWNER_CHECK]), 0);
	vconfig_free(c1);
	spin();
	ck_assert_uint_eq(e->nchecks, 1);
	ck_assert_ptr_eq(chk_rs_subs(rs_of(e, 80, "10.0.0.2"))[0].check, c);
	ck_assert(!chk_check_shared(c));
	ck_assert_uint_eq(c->runs, 7);
	ck_assert_ptr_eq(c->conf, rs_of(e, 80, "10.0.0.2")->conf->checks->list);
	/* and comes back: it joins the running check */
	c3 = load(conf_two_vs);
	ck_assert_int_eq(chk_engine_reload(e, c2->conf[CONF_OWNER_CHECK],
	    c3->conf[CONF_OWNER_CHECK]), 0);
	vconfig_free(c2);
	spin();
	ck_assert_uint_eq(e->nchecks, 1);
	ck_assert_ptr_eq(chk_rs_subs(rs_of(e, 8080, "10.0.0.2"))[0].check, c);
	ck_assert(chk_check_shared(c));
	ck_assert_uint_eq(c->runs, 7);
	stop(e);
	vconfig_free(c3);
}
END_TEST

/* A reload before the start's slices attached every real server: one
 * leaves the queue of those waiting (removed), one changes while waiting;
 * the others are attached in order and the queue goes once empty. */
START_TEST(reload_while_attaching)
{
	struct vigil_config *c1 = load(conf_shared), *c2;
	struct chk_engine_hooks hooks = { on_rs, on_vs, NULL, on_gone,
	    on_dropped, NULL };
	struct chk_engine *e;
	char text[sizeof(conf_shared) + 16], *p;

	memset(changes, 0, sizeof(changes));
	ck_assert_ptr_nonnull(base = loop_new());
	ck_assert_ptr_nonnull(e = chk_engine_new(base, NULL, &rec_backend,
	    &hooks));
	ck_assert_int_eq(chk_engine_start(e, c1->conf[CONF_OWNER_CHECK],
	    NULL, NULL), 0);
	ck_assert_uint_eq(e->npending, 3);
	ck_assert_ptr_nonnull(e->pendq);
	/* 10.0.0.3 goes, 10.0.0.4's connect_timeout changes */
	snprintf(text, sizeof(text), "%s", conf_shared);
	p = strstr(text, " real_server 10.0.0.3");
	memmove(p, strstr(p + 1, " real_server"), strlen(strstr(p + 1,
	    " real_server")) + 1);
	memcpy(strstr(strstr(text, "10.0.0.4 80"), "timeout 2"), "timeout 5",
	    9);
	c2 = load(text);
	ck_assert_int_eq(chk_engine_reload(e, c1->conf[CONF_OWNER_CHECK],
	    c2->conf[CONF_OWNER_CHECK]), 0);
	vconfig_free(c1);
	ck_assert_uint_eq(e->npending, 2);
	spin();
	ck_assert_uint_eq(e->npending, 0);
	ck_assert_ptr_null(e->pendq);
	ck_assert_ptr_null(rs_of(e, 80, "10.0.0.3"));
	ck_assert_ptr_nonnull(chk_rs_subs(rs_of(e, 80, "10.0.0.2"))[0].check);
	ck_assert_ptr_nonnull(chk_rs_subs(rs_of(e, 80, "10.0.0.4"))[0].check);
	ck_assert_uint_eq(chk_rs_subs(rs_of(e, 80, "10.0.0.4"))[0].check->conf->
	    conn.connect_timeout, 5000000);
	ck_assert_uint_eq(e->nchecks, 2);
	stop(e);
	vconfig_free(c2);
}
END_TEST

/* A start hands the whole desired table to the backend before any check
 * is attached (the slices attach 2,000 real servers a turn) and before
 * the reports of its decisions, each real server as keepalived starts it: up unless alpha, an
 * alpha one with inhibit_on_failure in the table at weight 0, a virtual
 * server without quorum replaced by its sorry server. The checks' first
 * attaching changes nothing in it. */
START_TEST(start_table_before_checks)
{
	static const char head[] =
	    "virtual_server 10.0.0.1 80 {\n protocol TCP\n lb_kind DR\n"
	    " delay_loop 60\n warmup 100\n"
	    " real_server 10.0.1.1 80 {\n  alpha\n  TCP_CHECK {\n  }\n }\n"
	    " real_server 10.0.1.2 80 {\n  alpha\n  inhibit_on_failure\n"
	    "  TCP_CHECK {\n  }\n }\n"
	    " real_server 10.0.1.3 80 {\n  weight 3\n  TCP_CHECK {\n  }\n"
	    " }\n}\n"
	    "virtual_server 10.0.0.1 81 {\n protocol TCP\n quorum 2\n"
	    " sorry_server 10.0.2.9 81\n delay_loop 60\n warmup 100\n"
	    " real_server 10.0.2.1 81 {\n  alpha\n  TCP_CHECK {\n  }\n }\n"
	    " real_server 10.0.2.2 81 {\n  TCP_CHECK {\n  }\n }\n}\n";
	enum { NVS = 30, NRS = 100 };	/* 3,000: two slices */
	size_t len = sizeof(head) + NVS * (96 + NRS * 64);
	char *text = malloc(len), *p;
	struct vigil_config *cfg;
	struct chk_engine *e;

	ck_assert_ptr_nonnull(text);
	p = text + snprintf(text, len, "%s", head);
	for (unsigned v = 0; v < NVS; v++) {
		p += snprintf(p, len - (size_t)(p - text), "virtual_server "
		    "10.1.%u.1 80 {\n protocol TCP\n delay_loop 60\n"
		    " warmup 100\n", v);
		for (unsigned r = 0; r < NRS; r++)
			p += snprintf(p, len - (size_t)(p - text),
			    " real_server 10.2.%u.%u 80 {\n  TCP_CHECK {\n"
			    "  }\n }\n", v, r + 1);
		p += snprintf(p, len - (size_t)(p - text), "}\n");
	}
	cfg = load(text);
	free(text);
	rec_before = rec_after = rec_reports = rec_batches = 0;
	rec_at_report = 1000000;
	e = start(cfg, NULL);
	rec_engine = NULL;
	/* 32 services, 3,002 real servers, the sorry server: one batch */
	ck_assert_uint_eq(rec_before, 32 + 3002 + 1);
	ck_assert_uint_eq(rec_batches, 1);
	/* the reports of those first decisions, to the parent, after it:
	 * every real server and virtual server once */
	ck_assert_uint_eq(rec_at_report, 32 + 3002 + 1);
	ck_assert_uint_eq(rec_reports, 3005 + 32);
	ck_assert_ptr_nonnull(strstr(changes, "svc-add [10.0.0.1]:tcp:80;"
	    "svc-add [10.0.0.1]:tcp:81;"));
	ck_assert_ptr_nonnull(strstr(changes, "add [10.0.0.1]:tcp:80 "
	    "10.0.1.2:80 w0;add [10.0.0.1]:tcp:80 10.0.1.3:80 w3;"));
	ck_assert_ptr_null(strstr(changes, "10.0.1.1:80"));
	ck_assert_ptr_nonnull(strstr(changes, "add [10.0.0.1]:tcp:81 "
	    "10.0.2.9:81 w1;"));
	ck_assert_ptr_null(strstr(changes, "10.0.2.1:81"));
	ck_assert_ptr_null(strstr(changes, "10.0.2.2:81"));
	/* every check attached since, the table as it was */
	ck_assert_uint_eq(e->npending, 0);
	ck_assert_uint_eq(e->nchecks, 3005);
	ck_assert_uint_eq(rec_after, 0);
	ck_assert_int_eq(rs_of(e, 80, "10.0.1.1")->up, 0);
	ck_assert_int_eq(rs_of(e, 80, "10.0.1.3")->up, 1);
	stop(e);
	vconfig_free(cfg);
}
END_TEST

/* ---- attrs ----------------------------------------------------------------------- */

START_TEST(attrs_of_records)
{
	struct vigil_config *cfg = load(
	    "virtual_server 10.0.0.1 80 {\n protocol TCP\n lb_kind DR\n"
	    " delay_loop 0.01\n warmup 0\n quorum 1\n"
	    " sorry_server 10.0.0.99 80\n"
	    " real_server 10.0.0.2 80 {\n  TCP_CHECK {\n  retry 0\n }\n }\n"
	    " real_server 10.0.0.3 81 {\n  TCP_CHECK {\n  retry 0\n }\n }\n"
	    "}\n");
	struct chk_engine *e = start(cfg, NULL);
	struct ipc_attrs a;
	struct chk_vsrun *vs = vs_of(e, 80);
	struct chk_rsrun *rs;
	struct vg_addr ad;
	char v[256];

	fail_port = 81;
	for (unsigned i = 0; i < 5000 && e->probes < 8; i++)
		event_base_loop(base, EVLOOP_ONCE);
	ck_assert_uint_ge(e->probes, 8);
	ck_assert_int_eq(cmd(e, "drain 10.0.0.2:80"), IPC_CMD_OK);
	ck_assert_int_eq(cmd(e, "add-real 10.0.0.1:80 10.0.0.4:80"),
	    IPC_CMD_OK);
	rs = rs_of(e, 80, "10.0.0.2");
	ipc_attrs_init(&a);
	chk_rs_attrs(rs, &a);
	ck_assert(ipc_attrs_get(a.buf, "drained", v, sizeof(v)));
	ck_assert_str_eq(v, "1");
	ck_assert(ipc_attrs_get(a.buf, "virtual_server", v, sizeof(v)));
	ck_assert_str_eq(v, "[10.0.0.1]:tcp:80");
	ck_assert(ipc_attrs_get(a.buf, "checker", v, sizeof(v)));
	ck_assert_str_eq(v, "TCP_CHECK");
	ck_assert(ipc_attrs_get(a.buf, "last_result", v, sizeof(v)));
	ck_assert_str_eq(v, "ok");
	ck_assert(ipc_attrs_get(a.buf, "last_latency_us", v, sizeof(v)));
	ck_assert(ipc_attrs_get(a.buf, "checks", v, sizeof(v)));
	ck_assert_int_gt(atoi(v), 0);
	ck_assert(!ipc_attrs_get(a.buf, "runtime", v, sizeof(v)));
	/* the failing one: its failures by reason */
	ck_assert_int_eq(addr_parse("10.0.0.3", &ad), 0);
	rs = chk_rs_find(vs, &ad, 81);
	ipc_attrs_init(&a);
	chk_rs_attrs(rs, &a);
	ck_assert(ipc_attrs_get(a.buf, "last_result", v, sizeof(v)));
	ck_assert_str_eq(v, "timeout");
	ck_assert(ipc_attrs_get(a.buf, "failures_timeout", v, sizeof(v)));
	ck_assert_int_gt(atoi(v), 0);
	ck_assert(!ipc_attrs_get(a.buf, "drained", v, sizeof(v)));
	ipc_attrs_init(&a);
	chk_rs_attrs(rs_of(e, 80, "10.0.0.4"), &a);
	ck_assert(ipc_attrs_get(a.buf, "runtime", v, sizeof(v)));
	ck_assert_str_eq(v, "1");
	/* the virtual server */
	ipc_attrs_init(&a);
	chk_vs_attrs(vs, &a);
	ck_assert(ipc_attrs_get(a.buf, "protocol", v, sizeof(v)));
	ck_assert_str_eq(v, "TCP");
	ck_assert(ipc_attrs_get(a.buf, "real_servers", v, sizeof(v)));
	ck_assert_str_eq(v, "3");
	ck_assert(ipc_attrs_get(a.buf, "quorum_up", v, sizeof(v)));
	ck_assert_str_eq(v, "1");
	ck_assert(ipc_attrs_get(a.buf, "sorry_server", v, sizeof(v)));
	ck_assert_str_eq(v, "10.0.0.99:80");
	ck_assert(ipc_attrs_get(a.buf, "sorry_active", v, sizeof(v)));
	ck_assert_str_eq(v, "0");
	ck_assert(ipc_attrs_get(a.buf, "forwarding", v, sizeof(v)));
	ck_assert_str_eq(v, "DR");
	ck_assert(ipc_attrs_get(a.buf, "check_latency_count", v, sizeof(v)));
	ck_assert_uint_ge(strtoull(v, NULL, 10), 8);
	ck_assert(ipc_attrs_get(a.buf, "check_latency_buckets", v,
	    sizeof(v)));
	ck_assert_ptr_nonnull(strstr(v, "+Inf:"));
	ck_assert_ptr_nonnull(strstr(v, "0.0005:"));
	ck_assert(ipc_attrs_get(a.buf, "check_latency_sum_seconds", v,
	    sizeof(v)));
	stop(e);
	vconfig_free(cfg);
}
END_TEST

START_TEST(failure_classes)
{
	ck_assert_int_eq(chk_fail_class(CHK_TCP, "timeout after 5.0 s"),
	    CHK_FAIL_TIMEOUT);
	ck_assert_int_eq(chk_fail_class(CHK_TCP, "connection refused"),
	    CHK_FAIL_CONNECT);
	ck_assert_int_eq(chk_fail_class(CHK_HTTP, "/: read: connection reset "
	    "by peer"), CHK_FAIL_RESET);
	ck_assert_int_eq(chk_fail_class(CHK_HTTP, "/health: status 503, "
	    "expected 200-299"), CHK_FAIL_STATUS);
	ck_assert_int_eq(chk_fail_class(CHK_HTTP, "/: digest mismatch (body "
	    "x)"), CHK_FAIL_DIGEST);
	ck_assert_int_eq(chk_fail_class(CHK_SSL, "TLS handshake failed: x"),
	    CHK_FAIL_TLS);
	ck_assert_int_eq(chk_fail_class(CHK_MISC, "/bin/x exited with status "
	    "1"), CHK_FAIL_SCRIPT);
	ck_assert_int_eq(chk_fail_class(CHK_DNS, "rcode 2 (SERVFAIL)"),
	    CHK_FAIL_REPLY);
	ck_assert_str_eq(chk_fail_name(CHK_FAIL_CONNECT), "connect");
}
END_TEST

/* A real server's name is "%s / [%s]:%u" whatever the buffer, as the
 * state store and the logs knew it, the text cut as snprintf cuts it. */
START_TEST(rs_name_as_printf)
{
	static const char *const addrs[] = { "10.0.0.3", "0.0.0.0",
	    "255.255.255.255", "2001:db8::1", "fe80::1:2:3:4" };
	static const unsigned ports[] = { 0, 7, 80, 65535, 4294967295u };
	static const size_t lens[] = { 1, 2, 5, 12, 20, 33, 64, 256 };

	for (size_t i = 0; i < sizeof(addrs) / sizeof(*addrs); i++)
		for (size_t j = 0; j < sizeof(ports) / sizeof(*ports); j++)
			for (size_t k = 0; k < sizeof(lens) / sizeof(*lens);
			    k++) {
				struct vg_addr a;
				char got[256], want[256];
				const char *vs = j % 2 ? "[10.1.1.1]:TCP:80" :
				    "group web-servers:TCP";

				ck_assert_int_eq(addr_parse(addrs[i], &a), 0);
				memset(got, 'x', sizeof(got));
				chk_rs_name_of(vs, &a, ports[j], got, lens[k]);
				snprintf(want, lens[k], "%s / [%s]:%u", vs,
				    addrs[i], ports[j]);
				ck_assert_str_eq(got, want);
				/* nothing written past the buffer */
				if (lens[k] < sizeof(got))
					ck_assert_int_eq(got[lens[k]], 'x');
			}
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("chk_cmd");
	TCase *tc = tcase_create("commands");

	tcase_add_test(tc, drain_in_every_virtual_server_and_back);
	tcase_add_test(tc, drain_errors);
	tcase_add_test(tc, set_weight_and_precedence);
	tcase_add_test(tc, set_weight_under_dynamic_weight);
	tcase_add_test(tc, add_and_remove_real);
	tcase_add_test(tc, shared_destination_follows_every_real_server_on_it);
	tcase_add_test(tc, start_logs_the_first_quorum_decisions);
	tcase_add_test(tc, rs_name_as_printf);
	tcase_add_test(tc, commands_take_the_ipvs_port);
	tcase_add_test(tc, group_destination_shared_by_address);
	tcase_add_test(tc, overrides_handed_over_apply_at_start);
	tcase_add_test(tc, overrides_survive_reload_until_the_config_changes_them);
	tcase_add_test(tc, reload_onto_a_runtime_real_servers_destination);
	tcase_add_test(tc, reload_moving_a_destination_removes_the_old_entry);
	tcase_add_test(tc, shared_checkers_reload_one);
	tcase_add_test(tc, shared_check_across_virtual_servers);
	tcase_add_test(tc, reload_while_attaching);
	tcase_add_test(tc, start_table_before_checks);
	tcase_add_test(tc, attrs_of_records);
	tcase_add_test(tc, failure_classes);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	return check_run(s);
}

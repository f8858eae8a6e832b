/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The engine's decisions, with a scripted checker kind in place of the
 * real ones (this program defines chk_kind_find, so healthcheck/kinds.c
 * is not linked): each real server's port names a string of results ('O'
 * success, 'F' failure, 'W' success with weight 5) its probes return in
 * turn. The real server transitions are recorded in order; timings are
 * never asserted. The e-mail alerts of those transitions go to a scripted
 * SMTP peer (smtp_peer.h).
 */
#include "autoconfig.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "check_run.h"
#include "smtp_peer.h"
#include "daemon/vconfig.h"
#include "healthcheck/check_proto.h"
#include "healthcheck/engine.h"
#include "loop.h"
#include "reap.h"
#include "script.h"

#define NPORTS 8

static const char *script[NPORTS];
static unsigned pos[NPORTS];
static char trace[1024];
static int last[NPORTS];
static struct event_base *base;
/* with_scripts: notify scripts run (and get time to end at stop);
 * global: text before the virtual server (global_defs) */
static int with_scripts;
static const char *global = "";
static char ndir[64];

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

/* What the kind keeps from one run of a check to the next (kstate) must
 * come back to that check's next run, whichever of the engine's pooled
 * probes it runs on: the fake kind keeps its port there. */
static unsigned kstate_mixed;

static int
fake_start(struct chk_probe *p)
{
	struct timeval tv = { 0, 0 };
	unsigned *ks = p->kstate;

	if (ks == NULL) {
		if ((ks = malloc(sizeof(*ks))) == NULL)
			return -1;
		*ks = p->port;
		p->kstate = ks;
	} else if (*ks != p->port) {
		kstate_mixed++;
	}
	return event_base_once(p->env->base, -1, EV_TIMEOUT, fake_reply, p,
	    &tv);
}

static void
fake_cancel(struct chk_probe *p)
{
	(void)p;
}

static void
fake_release(struct chk_probe *p)
{
	free(p->kstate);
	p->kstate = NULL;
}

static const struct chk_kind fake = {
	.kind = CHK_TCP, .name = "TCP_CHECK", .start = fake_start,
	.cancel = fake_cancel, .release = fake_release, .fds = 0,
};

const struct chk_kind *
chk_kind_find(enum chk_checker_kind k)
{
	return k == CHK_TCP ? &fake : NULL;
}

/* shared_dest_*: the IPVS destination [10.0.0.2]:80 in the desired table
 * after each real server's report, a change at a time ("in/W;", "out;") */
static int dtrace_on;
static char dtrace[256], dlast[32];

static void
dest_sample(const struct chk_rsrun *rs)
{
	const struct dp_dest *d = rs->vs->svc != NULL ?
	    dp_dest_get(rs->vs->eng->dp, rs->vs->svc, &rs->conf->addr, 80) :
	    NULL;
	char item[32];

	if (d != NULL)
		snprintf(item, sizeof(item), "in/%d;", d->weight);
	else
		snprintf(item, sizeof(item), "out;");
	if (strcmp(item, dlast) == 0)
		return;
	strcpy(dlast, item);
	strncat(dtrace, item, sizeof(dtrace) - strlen(dtrace) - 1);
}

/* failures_are_kept: what the failed check says at each transition */
static int ftrace_on;
static char ftrace[512];

static void
on_rs(void *arg, const struct chk_rsrun *rs)
{
	unsigned port = rs->conf->port % NPORTS;
	char item[32];
	int state = rs->up * 1000 + rs->weight;

	(void)arg;
	if (dtrace_on && rs->up >= 0)
		dest_sample(rs);
	if (rs->up < 0 || last[port] == state)
		return;
	last[port] = state;
	if (ftrace_on) {
		/* the check's failure record: reason while failing, counts
		 * kept */
		const struct chk_check *c = rs->nsubs > 0 ?
		    chk_rs_subs(rs)[0].check : NULL;
		char f[96];

		if (c == NULL) {
			/* its first decision, before its checks are
			 * attached: as they start */
			ck_assert(rs->early);
			ck_assert_ptr_null(chk_rs_failed(rs));
			snprintf(f, sizeof(f), "%s:-:0;", rs->up ? "up" :
			    "down");
		} else {
			ck_assert((chk_rs_failed(rs) == c) == !rs->up);
			snprintf(f, sizeof(f), "%s:%s:%llu;", rs->up ? "up" :
			    "down", chk_check_reason(c) != NULL ?
			    chk_check_reason(c) : "-", chk_check_failures(c));
		}
		strncat(ftrace, f, sizeof(ftrace) - strlen(ftrace) - 1);
	}
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

/* the engine settled: how many results each port had by then */
static unsigned nsettled, settled_pos[NPORTS];

static void
on_settled(void *arg)
{
	(void)arg;
	nsettled++;
	memcpy(settled_pos, pos, sizeof(pos));
}

struct nquits {
	const char *file;
	unsigned n;
};

static int
has_quits(const struct nquits *q)
{
	char buf[65536], *p;
	unsigned n = 0;
	ssize_t len;
	int fd = open(q->file, O_RDONLY);

	if (fd < 0)
		return 0;
	len = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[len > 0 ? len : 0] = '\0';
	for (p = buf; (p = strstr(p, "QUIT\r\n")) != NULL; p++)
		n++;
	return n >= q->n;
}

/*
 * Run globals (global_defs' body) and body (a virtual_server block's)
 * until a script is over; with a peer, then until it got nmails mails
 * (and a moment more).
 */
static void
run_mail(const char *globals, const char *body, struct peer *peer,
    unsigned nmails)
{
	struct conf_load_opts lo = { 0 };
	struct conf_diag d = { .emit = conf_diag_print, .arg = stderr };
	struct chk_engine_hooks hooks = { on_rs, on_vs, NULL, NULL, NULL,
	    on_settled };
	struct vigil_config *cfg;
	struct chk_engine *e;
	struct reaper *rp = NULL;
	struct script_runner *sr = NULL;
	unsigned started;
	char path[] = "/tmp/vigil-engine.XXXXXX";
	int fd = mkstemp(path);
	FILE *f;

	ck_assert_int_ge(fd, 0);
	ck_assert_ptr_nonnull(f = fdopen(fd, "w"));
	if (peer != NULL)
		fprintf(f, "global_defs {\n router_id r1\n notification_email "
		    "{\n  ops@example.com\n }\n smtp_server 127.0.0.1 %u\n"
		    "%s}\n", peer->port, globals);
	fprintf(f, "%svirtual_server 10.0.0.1 80 {\n delay_loop 0.01\n"
	    " protocol TCP\n lb_kind DR\n%s\n}\n", global, body);
	fclose(f);
	ck_assert_int_eq(vconfig_load(path, &lo, &d, &cfg), 0);
	unlink(path);
	memset(trace, 0, sizeof(trace));
	memset(pos, 0, sizeof(pos));
	nsettled = 0;
	kstate_mixed = 0;
	for (unsigned i = 0; i < NPORTS; i++)
		last[i] = -1;
	ck_assert_ptr_nonnull(base = loop_new());
	if (with_scripts) {
		ck_assert_ptr_nonnull(rp = reaper_new(base));
		ck_assert_ptr_nonnull(sr = script_runner_new(base, rp));
	}
	e = chk_engine_new(base, sr, &dp_log_backend, &hooks);
	ck_assert_ptr_nonnull(e);
	ck_assert_int_eq(chk_mail_apply(e, cfg), 0);
	(void)chk_proto_setup(chk_engine_env(e), cfg);
	ck_assert_int_eq(chk_engine_start(e, cfg->conf[CONF_OWNER_CHECK],
	    NULL, NULL), 0);
	/* bounded: every script is a few results at 10 ms intervals */
	for (unsigned i = 0; i < 2000 && event_base_got_break(base) == 0;
	    i++)
		event_base_loop(base, EVLOOP_ONCE);
	ck_assert_msg(event_base_got_break(base), "a script never ended");
	if (peer != NULL) {
		struct nquits q = { peer->file, nmails };
		uint64_t until = loop_now_usec() + 10000000u, more = 0;
		struct timeval tick = { 0, 20000 };

		/* until nmails came, then 300 ms for any more */
		while (loop_now_usec() < until && (more == 0 ||
		    loop_now_usec() < more)) {
			if (more == 0 && has_quits(&q))
				more = loop_now_usec() + 300000u;
			event_base_loopexit(base, &tick);
			event_base_dispatch(base);
		}
	}
	/* FILE_CHECK's lookup (chk_proto_setup): this program's
	 * chk_kind_find has no FILE kind whose kind_free would take it */
	free(chk_engine_env(e)->kinds[CHK_FILE]);
	chk_engine_env(e)->kinds[CHK_FILE] = NULL;
	started = chk_engine_free(e, 0);
	if (sr != NULL) {
		/* what the checker child does: scripts the stop started
		 * (omega) get time to end; here every script does */
		(void)started;
		script_runner_finish(sr, 10 * 1000000ULL);
		reaper_free(rp);
	}
	event_base_free(base);
	vconfig_free(cfg);
}

/* Run conf (a virtual_server block's body) until a script is over. */
static void
run(const char *body)
{
	run_mail(NULL, body, NULL, 0);
}

/* The mails' subjects and bodies, sorted: "SUBJECT | BODY" lines. */
static char *
mails(char *t)
{
	char *out = calloc(1, 8192), *lines[32], *p, *subj = NULL;
	unsigned n = 0;
	size_t len = 0;

	ck_assert_ptr_nonnull(out);
	for (p = strtok(t, "\n"); p != NULL; p = strtok(NULL, "\n")) {
		p[strcspn(p, "\r")] = '\0';
		if (strncmp(p, "Subject: [r1] ", 14) == 0)
			subj = p + 14;
		else if (strncmp(p, "=> ", 3) == 0 && subj != NULL && n < 32) {
			lines[n] = malloc(strlen(subj) + strlen(p) + 4);
			sprintf(lines[n++], "%s | %s", subj, p);
			subj = NULL;
		}
	}
	for (unsigned i = 0; i < n; i++)	/* sort: a few lines */
		for (unsigned j = i + 1; j < n; j++)
			if (strcmp(lines[j], lines[i]) < 0) {
				p = lines[i];
				lines[i] = lines[j];
				lines[j] = p;
			}
	for (unsigned i = 0; i < n; i++) {
		len += (size_t)snprintf(out + len, 8192 - len, "%s\n",
		    lines[i]);
		free(lines[i]);
	}
	return out;
}

/* DR: the subject names the real server by the port of its IPVS
 * destination, the virtual server's, as keepalived 2.2.7's does once it
 * has reset it; its checks still go to the port written (3) */
#define RS3 "Realserver [10.0.0.2]:tcp:80 of virtual server [10.0.0.1]:tcp:80"
#define TWO_CHECKS \
	" real_server 10.0.0.2 3 {\n  TCP_CHECK {\n   retry 0\n" \
	"   warmup 0\n  }\n  TCP_CHECK {\n   connect_port 4\n   retry 0\n" \
	"   warmup 0\n  }\n }\n"

/* A real server's two checks fail and recover: each check's change is
 * mailed (keepalived mails from each checker), the subject saying what
 * the real server is then; no quorum mail unless asked for. */
START_TEST(mail_each_check_change)
{
	struct peer p;
	char *t, *m;

	script[3] = "OFFFOO";
	script[4] = "OOFFOO";
	peer_start(&p, PEER_OK);
	run_mail("", TWO_CHECKS, &p, 4);
	t = peer_end(&p);
	m = mails(t);
	ck_assert_str_eq(trace, "3:up;3:down;3:up;");
	ck_assert_str_eq(m,
	    RS3 " - DOWN | => TCP CHECK failed on service <=\n"
	    RS3 " - DOWN | => TCP CHECK failed on service <=\n"
	    RS3 " - DOWN | => TCP CHECK succeed on service <=\n"
	    RS3 " - UP | => TCP CHECK succeed on service <=\n");
	free(m);
	free(t);
}
END_TEST

/* no_checker_emails: only the changes that move the real server; the
 * virtual server's smtp_alert mails its quorum. */
START_TEST(mail_no_checker_emails_and_quorum)
{
	struct peer p;
	char *t, *m;

	script[3] = "OFFFOO";
	script[4] = "OOFFOO";
	peer_start(&p, PEER_OK);
	run_mail(" no_checker_emails\n", " smtp_alert\n" TWO_CHECKS, &p, 5);
	t = peer_end(&p);
	m = mails(t);
	/* keepalived mails the start with quorum too */
	ck_assert_str_eq(m,
	    RS3 " - DOWN | => TCP CHECK failed on service <=\n"
	    RS3 " - UP | => TCP CHECK succeed on service <=\n"
	    "Virtualserver [10.0.0.1]:tcp:80 - DOWN | => Lost quorum "
	    "1+0=1 <= 0 <=\n"
	    "Virtualserver [10.0.0.1]:tcp:80 - UP | => Gained quorum "
	    "1+0=1 <= 1 <=\n"
	    "Virtualserver [10.0.0.1]:tcp:80 - UP | => Starting with "
	    "quorum up 1+0=1 <= 1 <=\n");
	free(m);
	free(t);
}
END_TEST

#define ALPHA7(sorry) \
	" smtp_alert\n" sorry " real_server 10.0.0.2 7 {\n  alpha\n" \
	"  TCP_CHECK {\n   retry 0\n   warmup 0\n  }\n }\n"
#define RS7 "Realserver [10.0.0.2]:tcp:80 of virtual server [10.0.0.1]:tcp:80"

/* First decided down (alpha): mailed only where a sorry server takes
 * over, "Starting with quorum down" against quorum + hysteresis, as
 * keepalived does at start. */
START_TEST(mail_starting_with_quorum_down)
{
	struct peer p;
	char *t, *m;

	script[7] = "OO";
	peer_start(&p, PEER_OK);
	run_mail(" no_checker_emails\n",
	    ALPHA7(" sorry_server 10.0.0.9 80\n"), &p, 3);
	t = peer_end(&p);
	m = mails(t);
	ck_assert_str_eq(m,
	    RS7 " - UP | => TCP CHECK succeed on service <=\n"
	    "Virtualserver [10.0.0.1]:tcp:80 - DOWN | => Starting with "
	    "quorum down 1+0=1 <= 0 <=\n"
	    "Virtualserver [10.0.0.1]:tcp:80 - UP | => Gained quorum "
	    "1+0=1 <= 1 <=\n");
	free(m);
	free(t);
	/* no sorry server: nothing when first decided */
	peer_start(&p, PEER_OK);
	run_mail(" no_checker_emails\n", ALPHA7(""), &p, 2);
	t = peer_end(&p);
	m = mails(t);
	ck_assert_str_eq(m,
	    RS7 " - UP | => TCP CHECK succeed on service <=\n"
	    "Virtualserver [10.0.0.1]:tcp:80 - UP | => Gained quorum "
	    "1+0=1 <= 1 <=\n");
	free(m);
	free(t);
}
END_TEST

/* A real server's own smtp_alert, else smtp_alert_checker, else the
 * global smtp_alert; the virtual server's is not its default. */
START_TEST(mail_precedence)
{
	struct peer p;
	char *t, *m;

	script[5] = "OFO";
	script[6] = "OFO";
	peer_start(&p, PEER_OK);
	run_mail(" smtp_alert\n smtp_alert_checker off\n",
	    " smtp_alert on\n"
	    " real_server 10.0.0.2 5 {\n  TCP_CHECK {\n   retry 0\n"
	    "   warmup 0\n  }\n }\n"
	    " real_server 10.0.0.2 6 {\n  smtp_alert\n  TCP_CHECK {\n"
	    "   retry 0\n   warmup 0\n  }\n }\n", &p, 5);
	t = peer_end(&p);
	m = mails(t);
	/* port 5 takes nothing from its virtual server's smtp_alert on */
	ck_assert_str_eq(m,
	    "Realserver [10.0.0.2]:tcp:80 of virtual server [10.0.0.1]:tcp:80"
	    " - DOWN | => TCP CHECK failed on service <=\n"
	    "Realserver [10.0.0.2]:tcp:80 of virtual server [10.0.0.1]:tcp:80"
	    " - UP | => TCP CHECK succeed on service <=\n"
	    "Virtualserver [10.0.0.1]:tcp:80 - DOWN | => Lost quorum "
	    "1+0=1 <= 0 <=\n"
	    "Virtualserver [10.0.0.1]:tcp:80 - UP | => Gained quorum "
	    "1+0=1 <= 1 <=\n"
	    "Virtualserver [10.0.0.1]:tcp:80 - UP | => Starting with "
	    "quorum up 1+0=1 <= 2 <=\n");
	free(m);
	free(t);
}
END_TEST

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

/* A check holds its failures by class and its last reason in one record
 * made on its first failure: the reason goes when it succeeds, the count
 * stays. A check and a real server's run state keep their sizes (80- and
 * 128-byte heap chunks on LP64: 100,000 real servers take them). */
START_TEST(failures_are_kept)
{
	if (sizeof(void *) == 8) {
		ck_assert_uint_le(sizeof(struct chk_check), 72);
		ck_assert_uint_le(sizeof(struct chk_rsrun), 120);
	}
	script[5] = "OFOFFO";
	ftrace_on = 1;
	ftrace[0] = '\0';
	run(" real_server 10.0.0.2 5 {\n  TCP_CHECK {\n   retry 0\n"
	    "   warmup 0\n  }\n }\n");
	ftrace_on = 0;
	ck_assert_str_eq(trace, "5:up;5:down;5:up;5:down;5:up;");
	ck_assert_str_eq(ftrace, "up:-:0;down:scripted failure:1;up:-:1;"
	    "down:scripted failure:2;up:-:3;");
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
	/* each check got back what the kind kept, though their runs
	 * took each other's probes from the pool */
	ck_assert_uint_eq(kstate_mixed, 0);
	/* settled once, when both checks had their first result */
	ck_assert_uint_eq(nsettled, 1);
	ck_assert_uint_ge(settled_pos[3], 1);
	ck_assert_uint_ge(settled_pos[4], 1);
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

/* Two DR real servers of one virtual server on one address, ports 2
 * (weight 3, and first: settings) and 3, run on scripts s2 and s3: both
 * are the IPVS destination [10.0.0.2]:80. */
static void
run_shared_dest(const char *s2, const char *s3, const char *first)
{
	char body[512];

	script[2] = s2;
	script[3] = s3;
	dtrace_on = 1;
	dtrace[0] = dlast[0] = '\0';
	snprintf(body, sizeof(body), " real_server 10.0.0.2 2 {\n  weight 3\n"
	    "%s  TCP_CHECK {\n   retry 0\n   warmup 0\n  }\n }\n"
	    " real_server 10.0.0.2 3 {\n  TCP_CHECK {\n   retry 0\n"
	    "   warmup 0\n  }\n }\n", first);
	run(body);
	dtrace_on = 0;
}

/* The entry is in while both are up, with the first's weight (3): port
 * 3's weight change (5) while port 2 is down does not bring it back, nor
 * does it take the first's place once port 2 recovers (keepalived 2.2.7
 * would re-add it with 5: the last change of either wins). */
START_TEST(shared_dest_in_while_all_up)
{
	run_shared_dest("OOFFFFFFFOOOOOOOOOOO", "OOOOOWWWWWWWWWWWWFFF", "");
	ck_assert_str_eq(trace, "2:up/3;3:up;2:down;3:up/5;2:up/3;3:down;");
	ck_assert_str_eq(dtrace, "in/3;out;in/3;out;");
}
END_TEST

/* With inhibit_on_failure on the first: weight 0 while one is down,
 * never out. */
START_TEST(shared_dest_inhibited)
{
	run_shared_dest("OOOOOFFFFFFOOOO", "OOFFFFOOOOOOOOO",
	    "  inhibit_on_failure\n");
	ck_assert_str_eq(trace, "2:up/3;3:up;3:down;2:down;3:up;2:up/3;");
	ck_assert_str_eq(dtrace, "in/3;in/0;in/3;");
}
END_TEST

/* notify_up / notify_down of a real server on port N append "up" or
 * "down" to ndir/N (run with with_scripts) */
static char conf_rs[2048];
static const char *
rs_notify(unsigned port, const char *extra, const char *check)
{
	snprintf(conf_rs, sizeof(conf_rs), " real_server 10.0.0.2 %u {\n"
	    "  %s\n  notify_up \"/bin/sh -c 'echo up >>%s/%u'\"\n"
	    "  notify_down \"/bin/sh -c 'echo down >>%s/%u'\"\n"
	    "  TCP_CHECK {\n   warmup 0\n   delay_before_retry 0.01\n   %s\n"
	    "  }\n }\n", port, extra, ndir, port, ndir, port, check);
	return conf_rs;
}

/* what the notify scripts of port wrote, lines joined by ' ' */
static char notes_buf[256];
static const char *
notes(unsigned port)
{
	char path[96], line[32];
	FILE *f;

	notes_buf[0] = '\0';
	snprintf(path, sizeof(path), "%s/%u", ndir, port);
	if ((f = fopen(path, "r")) == NULL)
		return notes_buf;
	while (fgets(line, sizeof(line), f) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		if (notes_buf[0] != '\0')
			strcat(notes_buf, " ");
		strncat(notes_buf, line, sizeof(notes_buf) -
		    strlen(notes_buf) - 1);
	}
	fclose(f);
	unlink(path);
	return notes_buf;
}

static void
scripts_setup(void)
{
	strcpy(ndir, "/tmp/vigil-engine-notify.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(ndir));
	with_scripts = 1;
}

static void
scripts_teardown(void)
{
	rmdir(ndir);
	with_scripts = 0;
	global = "";
}

START_TEST(alpha_first_failure_notifies_down)
{
	char body[4096];

	/* keepalived: an alpha check counts its retries before its first
	 * result too, and a first result that fails says notify_down; a
	 * check without alpha starts up and says nothing at start */
	script[1] = "FFFFF";		/* down after its retries: down */
	script[2] = "FFOOOOOO";	/* retries absorb two failures: up */
	script[3] = "OOOOOOOO";
	snprintf(body, sizeof(body), "%s", rs_notify(1, "alpha",
	    "retry 2"));
	strcat(body, rs_notify(2, "alpha", "retry 2"));
	strcat(body, rs_notify(3, "", "retry 2"));
	run(body);
	ck_assert_str_eq(notes(1), "down");
	ck_assert_str_eq(notes(2), "up");
	ck_assert_str_eq(notes(3), "");
}
END_TEST

START_TEST(rs_init_notifies_says_up_at_start)
{
	char body[4096];

	script[4] = "OOOO";
	script[5] = "OOOOOO";	/* alpha: up on its first success */
	global = "global_defs {\n rs_init_notifies\n}\n";
	snprintf(body, sizeof(body), "%s", rs_notify(4, "", "retry 0"));
	strcat(body, rs_notify(5, "alpha", "retry 0"));
	run(body);
	ck_assert_str_eq(notes(4), "up");
	ck_assert_str_eq(notes(5), "up");
	global = "";
	script[4] = "OOOO";
	run(rs_notify(4, "", "retry 0"));
	ck_assert_str_eq(notes(4), "");
}
END_TEST

START_TEST(omega_notify_down_runs_at_stop)
{
	char body[4096];

	script[6] = "OOOO";
	snprintf(body, sizeof(body), " omega\n%s", rs_notify(6, "",
	    "retry 0"));
	run(body);
	ck_assert_str_eq(notes(6), "down");
}
END_TEST

int
main(void)
{
	Suite *s;
	TCase *tc;

	signal(SIGPIPE, SIG_IGN);
	s = suite_create("engine");
	tc = tcase_create("decisions");

	tcase_add_test(tc, retry_counts_failures_in_a_row);
	tcase_add_test(tc, failures_are_kept);
	tcase_add_test(tc, alpha_starts_down);
	tcase_add_test(tc, every_check_must_pass);
	tcase_add_test(tc, dynamic_weight);
	tcase_add_test(tc, shared_dest_in_while_all_up);
	tcase_add_test(tc, shared_dest_inhibited);
	tcase_add_test(tc, mail_each_check_change);
	tcase_add_test(tc, mail_no_checker_emails_and_quorum);
	tcase_add_test(tc, mail_starting_with_quorum_down);
	tcase_add_test(tc, mail_precedence);
	tcase_set_timeout(tc, 30);
	suite_add_tcase(s, tc);
	tc = tcase_create("notify scripts");
	tcase_add_checked_fixture(tc, scripts_setup, scripts_teardown);
	tcase_add_test(tc, alpha_first_failure_notifies_down);
	tcase_add_test(tc, rs_init_notifies_says_up_at_start);
	tcase_add_test(tc, omega_notify_down_runs_at_stop);
	tcase_set_timeout(tc, 30);
	suite_add_tcase(s, tc);
	return check_run(s);
}

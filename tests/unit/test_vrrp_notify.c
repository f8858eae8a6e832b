/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * VRRP notifications on a real event loop: the state scripts run as
 * written, the generic notify script gets keepalived's TYPE NAME STATE
 * PRIORITY, instances removed without notify_deleted are reported FAULT,
 * the fifo lines are keepalived's ('INSTANCE "VI_1" MASTER 100'), the
 * fifo script starts with the fifo's name, script_user / a line's
 * user / enable_script_security decide who runs what, and e-mail alerts
 * go where keepalived's precedence of the smtp_alert switches says.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vrrp/notify.h"
#include "check_run.h"
#include "smtp_peer.h"
#include "vrrp_track_test.h"

struct fx {
	struct tloop l;
	struct vrrp_notify *n;
	struct gen g;
	char *dir;
	char calls[300];
};

static void fx_load(struct fx *f, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* A script that appends "name|arg1|arg2..." to DIR/calls. */
static void
put_script(struct fx *f, const char *name, mode_t mode)
{
	char p[300];

	snprintf(p, sizeof(p), "%s/%s", f->dir, name);
	put_file(p, mode, "#!/bin/sh\nline=$(basename \"$0\")\n"
	    "for a in \"$@\"; do line=\"$line|$a\"; done\n"
	    "echo \"$line\" >> %s\n", f->calls);
}

static void
fx_init(struct fx *f)
{
	memset(f, 0, sizeof(*f));
	tloop_init(&f->l);
	f->dir = tmp_dir();
	snprintf(f->calls, sizeof(f->calls), "%s/calls", f->dir);
	put_file(f->calls, 0666, "%s", "");
	put_script(f, "own.sh", 0755);
	put_script(f, "gen.sh", 0755);
	f->n = vrrp_notify_new(&f->l.env);
	ck_assert_ptr_nonnull(f->n);
}

static void
fx_load(struct fx *f, const char *fmt, ...)
{
	char text[8192];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	gen_load(&f->g, text);
	ck_assert_int_eq(vrrp_notify_apply(f->n, &f->g.vc), 0);
}

static void
fx_fini(struct fx *f)
{
	vrrp_notify_free(f->n);
	if (f->g.tree != NULL)
		gen_free(&f->g);
	/* give what was let finish a moment */
	tloop_run(&f->l, 50);
	tloop_fini(&f->l);
	rm_rf(f->dir);
	free(f->dir);
}

struct ncalls {
	struct fx *f;
	unsigned n;
};

static int
has_calls(void *arg)
{
	struct ncalls *c = arg;
	char *s = get_file(c->f->calls), *p;
	unsigned n = 0;

	for (p = s; (p = strchr(p, '\n')) != NULL; p++)
		n++;
	free(s);
	return n >= c->n;
}

/* Wait for n lines in DIR/calls; they are returned sorted, joined by
 * newlines (scripts run side by side). */
static char *
wait_calls(struct fx *f, unsigned n)
{
	struct ncalls c = { f, n };
	char cmd[700], *s;

	ck_assert_msg(tloop_until(&f->l, has_calls, &c, 10000),
	    "fewer than %u script runs", n);
	tloop_run(&f->l, 100);	/* and no more */
	snprintf(cmd, sizeof(cmd), "sort -o %s %s", f->calls, f->calls);
	ck_assert_int_eq(system(cmd), 0);
	s = get_file(f->calls);
	put_file(f->calls, 0666, "%s", "");
	return s;
}

#define INSTANCE(name, id, extra) \
	"vrrp_instance " name " {\n interface lo\n virtual_router_id " #id \
	"\n priority 100\n" extra "}\n"

START_TEST(scripts_get_keepalived_arguments)
{
	struct fx f;
	char *s;

	fx_init(&f);
	fx_load(&f, INSTANCE("VI_1", 1,
	    " notify_master \"%s/own.sh master 'two words'\"\n"
	    " notify_backup %s/own.sh\n"
	    " notify_stop \"%s/own.sh stop\"\n"
	    " notify %s/gen.sh\n")
	    INSTANCE("VI_2", 2, " notify_fault \"%s/own.sh fault\"\n"
	    " notify \"%s/gen.sh first\"\n")
	    INSTANCE("VI_3", 3, " notify_deleted \"%s/own.sh deleted\"\n"
	    " notify %s/gen.sh\n"),
	    f.dir, f.dir, f.dir, f.dir, f.dir, f.dir, f.dir, f.dir);

	vrrp_notify_instance(f.n, gen_instance(&f.g, "VI_1"),
	    VRRP_STATE_MASTER, 100);
	s = wait_calls(&f, 2);
	ck_assert_str_eq(s, "gen.sh|INSTANCE|VI_1|MASTER|100\n"
	    "own.sh|master|two words\n");
	free(s);

	vrrp_notify_instance(f.n, gen_instance(&f.g, "VI_1"),
	    VRRP_STATE_BACKUP, 90);
	s = wait_calls(&f, 2);
	ck_assert_str_eq(s, "gen.sh|INSTANCE|VI_1|BACKUP|90\nown.sh\n");
	free(s);

	vrrp_notify_instance(f.n, gen_instance(&f.g, "VI_1"),
	    VRRP_STATE_STOP, 100);
	s = wait_calls(&f, 2);
	ck_assert_str_eq(s, "gen.sh|INSTANCE|VI_1|STOP|100\nown.sh|stop\n");
	free(s);

	/* the generic script's own words come first */
	vrrp_notify_instance(f.n, gen_instance(&f.g, "VI_2"),
	    VRRP_STATE_FAULT, 50);
	s = wait_calls(&f, 2);
	ck_assert_str_eq(s, "gen.sh|first|INSTANCE|VI_2|FAULT|50\n"
	    "own.sh|fault\n");
	free(s);

	/* removed without notify_deleted: FAULT, as keepalived */
	vrrp_notify_instance(f.n, gen_instance(&f.g, "VI_2"),
	    VRRP_STATE_DELETED, 50);
	s = wait_calls(&f, 2);
	ck_assert_str_eq(s, "gen.sh|first|INSTANCE|VI_2|FAULT|50\n"
	    "own.sh|fault\n");
	free(s);

	/* with it: DELETED */
	vrrp_notify_instance(f.n, gen_instance(&f.g, "VI_3"),
	    VRRP_STATE_DELETED, 100);
	s = wait_calls(&f, 2);
	ck_assert_str_eq(s, "gen.sh|INSTANCE|VI_3|DELETED|100\n"
	    "own.sh|deleted\n");
	free(s);
	fx_fini(&f);
}
END_TEST

START_TEST(group_scripts)
{
	struct fx f;
	const struct vrrp_sync_group_conf *g;
	char *s;

	fx_init(&f);
	fx_load(&f, INSTANCE("VI_1", 1, "") INSTANCE("VI_2", 2, "")
	    "vrrp_sync_group G1 {\n group {\n  VI_1\n  VI_2\n }\n"
	    " notify_master \"%s/own.sh gmaster\"\n notify %s/gen.sh\n}\n",
	    f.dir, f.dir);
	g = f.g.vrrp->sync_groups.first;
	ck_assert_ptr_nonnull(g);
	vrrp_notify_group(f.n, g, VRRP_STATE_MASTER);
	s = wait_calls(&f, 2);
	ck_assert_str_eq(s, "gen.sh|GROUP|G1|MASTER|0\nown.sh|gmaster\n");
	free(s);
	fx_fini(&f);
}
END_TEST

/* Read what is in the fifo now (the writer keeps it open: no EOF). */
static char *
fifo_take(struct fx *f, int fd, const char *want)
{
	static char buf[4096];
	size_t len = 0;
	ssize_t n;
	unsigned i;

	for (i = 0; i < 100; i++) {
		n = read(fd, buf + len, sizeof(buf) - 1 - len);
		if (n > 0)
			len += (size_t)n;
		buf[len] = '\0';
		if (strcmp(buf, want) == 0)
			break;
		tloop_run(&f->l, 20);
	}
	return buf;
}

START_TEST(fifo_lines)
{
	struct fx f;
	char fifo[300], gfifo[300], out[300], args[300], reader[300], *s;
	const struct vrrp_instance_conf *i;
	unsigned n;
	int fd;

	fx_init(&f);
	snprintf(fifo, sizeof(fifo), "%s/vrrp.fifo", f.dir);
	snprintf(gfifo, sizeof(gfifo), "%s/global.fifo", f.dir);
	snprintf(out, sizeof(out), "%s/fifo.out", f.dir);
	snprintf(args, sizeof(args), "%s/fifo.args", f.dir);
	snprintf(reader, sizeof(reader), "%s/reader.sh", f.dir);
	/* the global fifo's script reads it into fifo.out */
	put_file(reader, 0755, "#!/bin/sh\nprintf '%%s\\n' \"$@\" > %s\n"
	    "exec cat \"$2\" > %s\n", args, out);
	fx_load(&f, "global_defs {\n notify_fifo %s\n"
	    " notify_fifo_script \"%s opt\"\n vrrp_notify_fifo %s\n}\n"
	    INSTANCE("VI_1", 1, " notify_priority_changes\n")
	    INSTANCE("VI_2", 2, "")
	    "vrrp_sync_group G1 {\n group {\n  VI_1\n  VI_2\n }\n}\n",
	    gfifo, reader, fifo);
	fd = open(fifo, O_RDONLY | O_NONBLOCK);
	ck_assert_int_ge(fd, 0);

	i = gen_instance(&f.g, "VI_1");
	vrrp_notify_instance(f.n, i, VRRP_STATE_MASTER, 100);
	vrrp_notify_group(f.n, f.g.vrrp->sync_groups.first,
	    VRRP_STATE_BACKUP);
	vrrp_notify_priority(f.n, i, VRRP_STATE_MASTER, 90);
	vrrp_notify_priority(f.n, i, VRRP_STATE_BACKUP, 80);
	/* VI_2 does not ask for priority changes */
	vrrp_notify_priority(f.n, gen_instance(&f.g, "VI_2"),
	    VRRP_STATE_BACKUP, 70);
	vrrp_notify_rx_lower_pri(f.n, i, 100);
	vrrp_notify_instance(f.n, gen_instance(&f.g, "VI_2"),
	    VRRP_STATE_DELETED, 100);
	s = fifo_take(&f, fd, "INSTANCE \"VI_1\" MASTER 100\n"
	    "GROUP \"G1\" BACKUP 0\n"
	    "INSTANCE \"VI_1\" MASTER_PRIORITY 90\n"
	    "INSTANCE \"VI_1\" BACKUP_PRIORITY 80\n"
	    "INSTANCE \"VI_1\" MASTER_RX_LOWER_PRI 100\n"
	    "INSTANCE \"VI_2\" FAULT 100\n");
	ck_assert_str_eq(s, "INSTANCE \"VI_1\" MASTER 100\n"
	    "GROUP \"G1\" BACKUP 0\n"
	    "INSTANCE \"VI_1\" MASTER_PRIORITY 90\n"
	    "INSTANCE \"VI_1\" BACKUP_PRIORITY 80\n"
	    "INSTANCE \"VI_1\" MASTER_RX_LOWER_PRI 100\n"
	    "INSTANCE \"VI_2\" FAULT 100\n");
	close(fd);

	/* the global fifo's script read the same lines from it */
	for (n = 0; n < 500; n++) {
		s = get_file(out);
		if (strstr(s, "INSTANCE \"VI_2\" FAULT 100\n") != NULL)
			break;
		free(s);
		s = NULL;
		tloop_run(&f.l, 20);
	}
	ck_assert_msg(s != NULL, "the fifo script read nothing");
	ck_assert_str_eq(s, "INSTANCE \"VI_1\" MASTER 100\n"
	    "GROUP \"G1\" BACKUP 0\n"
	    "INSTANCE \"VI_1\" MASTER_PRIORITY 90\n"
	    "INSTANCE \"VI_1\" BACKUP_PRIORITY 80\n"
	    "INSTANCE \"VI_1\" MASTER_RX_LOWER_PRI 100\n"
	    "INSTANCE \"VI_2\" FAULT 100\n");
	free(s);
	fx_fini(&f);
}
END_TEST

START_TEST(fifo_script_gets_fifo_name)
{
	struct fx f;
	char fifo[300], args[300], want[700], reader[300], *s;
	unsigned i;

	fx_init(&f);
	snprintf(fifo, sizeof(fifo), "%s/g.fifo", f.dir);
	snprintf(args, sizeof(args), "%s/fifo.args", f.dir);
	snprintf(reader, sizeof(reader), "%s/reader.sh", f.dir);
	put_file(reader, 0755, "#!/bin/sh\nprintf '%%s\\n' \"$@\" > %s.tmp\n"
	    "mv %s.tmp %s\n", args, args, args);
	fx_load(&f, "global_defs {\n notify_fifo %s\n"
	    " notify_fifo_script \"%s opt\"\n}\n" INSTANCE("VI_1", 1, ""),
	    fifo, reader);
	snprintf(want, sizeof(want), "opt\n%s\n", fifo);
	for (i = 0; i < 500; i++) {
		s = get_file(args);
		if (strcmp(s, want) == 0)
			break;
		free(s);
		s = NULL;
		tloop_run(&f.l, 20);
	}
	ck_assert_msg(s != NULL, "the fifo script did not start with %s",
	    want);
	free(s);
	/* a reload that keeps the fifo keeps it and its script */
	ck_assert_int_eq(unlink(args), 0);
	ck_assert_int_eq(vrrp_notify_apply(f.n, &f.g.vc), 0);
	tloop_run(&f.l, 300);
	ck_assert_int_eq(access(args, F_OK), -1);
	ck_assert_int_eq(access(fifo, F_OK), 0);
	/* one that drops it removes the fifo it made */
	{
		struct gen old = f.g;

		fx_load(&f, "%s", INSTANCE("VI_1", 1, ""));
		gen_free(&old);
	}
	ck_assert_int_eq(access(fifo, F_OK), -1);
	fx_fini(&f);
}
END_TEST

START_TEST(users_and_script_security)
{
	struct fx f;
	struct passwd *pw;
	char *s, want[64];

	if (geteuid() != 0)
		return;		/* switching users needs root */
	pw = getpwnam("nobody");
	ck_assert_ptr_nonnull(pw);
	fx_init(&f);
	put_file(f.calls, 0666, "%s", "");
	{
		char p[300];

		snprintf(p, sizeof(p), "%s/who.sh", f.dir);
		put_file(p, 0755, "#!/bin/sh\necho \"who|$1|$(id -u)\" >> "
		    "%s\n", f.calls);
		snprintf(p, sizeof(p), "%s/unsafe.sh", f.dir);
		put_file(p, 0777, "#!/bin/sh\necho unsafe >> %s\n", f.calls);
	}
	fx_load(&f, "global_defs {\n enable_script_security\n"
	    " script_user nobody\n}\n"
	    INSTANCE("VI_1", 1,
	    " notify_master \"%s/who.sh default\"\n"
	    " notify_backup \"%s/who.sh root\" root\n"
	    " notify_fault %s/unsafe.sh root\n"
	    " notify_stop %s/unsafe.sh\n"),
	    f.dir, f.dir, f.dir, f.dir);
	/* script_user */
	vrrp_notify_instance(f.n, gen_instance(&f.g, "VI_1"),
	    VRRP_STATE_MASTER, 100);
	s = wait_calls(&f, 1);
	snprintf(want, sizeof(want), "who|default|%u\n",
	    (unsigned)pw->pw_uid);
	ck_assert_str_eq(s, want);
	free(s);
	/* the line's user; a safe script may run as root */
	vrrp_notify_instance(f.n, gen_instance(&f.g, "VI_1"),
	    VRRP_STATE_BACKUP, 100);
	s = wait_calls(&f, 1);
	ck_assert_str_eq(s, "who|root|0\n");
	free(s);
	/* a script anyone may rewrite never runs as root ... */
	vrrp_notify_instance(f.n, gen_instance(&f.g, "VI_1"),
	    VRRP_STATE_FAULT, 100);
	tloop_run(&f.l, 300);
	s = get_file(f.calls);
	ck_assert_str_eq(s, "");
	free(s);
	/* ... but may as an unprivileged user */
	vrrp_notify_instance(f.n, gen_instance(&f.g, "VI_1"),
	    VRRP_STATE_STOP, 100);
	s = wait_calls(&f, 1);
	ck_assert_str_eq(s, "unsafe\n");
	free(s);
	fx_fini(&f);
}
END_TEST

START_TEST(smtp_alert_without_server_warned_once)
{
	struct fx f;
	char errs[300], *s, *p;
	int fd, saved;

	fx_init(&f);
	snprintf(errs, sizeof(errs), "%s/stderr", f.dir);
	fd = open(errs, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	ck_assert_int_ge(fd, 0);
	saved = dup(2);
	ck_assert_int_ge(saved, 0);
	dup2(fd, 2);
	close(fd);
	fx_load(&f, INSTANCE("VI_1", 1, "") INSTANCE("VI_2", 2,
	    " smtp_alert\n") INSTANCE("VI_3", 3, " smtp_alert\n"));
	ck_assert_int_eq(vrrp_notify_apply(f.n, &f.g.vc), 0);
	dup2(saved, 2);
	close(saved);
	s = get_file(errs);
	p = strstr(s, "test.conf:10: smtp_alert: no e-mail alert is sent "
	    "without smtp_server in global_defs");
	ck_assert_msg(p != NULL, "no warning in: %s", s);
	/* once: not again on the next apply */
	ck_assert_ptr_null(strstr(p + 30, "smtp_alert"));
	free(s);
	fx_fini(&f);
}
END_TEST

struct nquits {
	const char *file;
	unsigned n;
};

static int
has_quits(void *arg)
{
	struct nquits *q = arg;
	char *s = get_file(q->file), *p;
	unsigned n = 0;

	for (p = s; p != NULL && (p = strstr(p, "QUIT\r\n")) != NULL; p++)
		n++;
	free(s);
	return n >= q->n;
}

/* The subject lines of the transcript, sorted, one per line. */
static char *
subjects(const char *t)
{
	char path[] = "/tmp/test_vrrp_notify_subj.XXXXXX", cmd[200], *s;
	int fd = mkstemp(path);

	ck_assert_int_ge(fd, 0);
	close(fd);
	put_file(path, 0600, "%s", t);
	snprintf(cmd, sizeof(cmd), "grep '^Subject: ' %s | tr -d '\\r' | "
	    "sort -o %s", path, path);
	ck_assert_int_eq(system(cmd), 0);
	s = get_file(path);
	unlink(path);
	return s;
}

/* Wait for n mails and 300 ms more (no more may come); the peer's
 * transcript in *t, its subjects returned (both malloc'd). */
static char *
mails_wait(struct fx *f, struct peer *p, unsigned n, char **t)
{
	struct nquits q;

	q.file = p->file;
	q.n = n;
	ck_assert_msg(tloop_until(&f->l, has_quits, &q, 10000),
	    "fewer than %u mails", n);
	tloop_run(&f->l, 300);	/* and no more */
	*t = peer_end(p);
	return subjects(*t);
}

/*
 * An instance's own smtp_alert beats smtp_alert_vrrp, which beats the
 * global smtp_alert; a group mails with its own subject and body;
 * no_email_faults leaves FAULT out (and a removed instance without
 * notify_deleted is FAULT).
 */
START_TEST(smtp_alert_precedence)
{
	const struct vrrp_sync_group_conf *g;
	struct peer p;
	struct fx f;
	char *t, *s;

	peer_start(&p, PEER_OK);
	fx_init(&f);
	fx_load(&f, "global_defs {\n router_id r1\n notification_email {\n"
	    "  ops@example.com\n }\n notification_email_from v@example.com\n"
	    " smtp_server 127.0.0.1 %u\n smtp_alert\n smtp_alert_vrrp off\n"
	    " no_email_faults\n}\n"
	    INSTANCE("VI_1", 1, " smtp_alert\n") INSTANCE("VI_2", 2, "")
	    "vrrp_sync_group G1 {\n group {\n  VI_2\n }\n smtp_alert on\n"
	    "}\n", p.port);
	g = f.g.vrrp->sync_groups.first;
	ck_assert_ptr_nonnull(g);
	vrrp_notify_instance(f.n, gen_instance(&f.g, "VI_1"),
	    VRRP_STATE_MASTER, 100);
	vrrp_notify_instance(f.n, gen_instance(&f.g, "VI_2"),
	    VRRP_STATE_MASTER, 100);
	vrrp_notify_instance(f.n, gen_instance(&f.g, "VI_1"),
	    VRRP_STATE_FAULT, 100);
	vrrp_notify_instance(f.n, gen_instance(&f.g, "VI_1"),
	    VRRP_STATE_DELETED, 100);
	vrrp_notify_group(f.n, g, VRRP_STATE_BACKUP);
	vrrp_notify_instance(f.n, gen_instance(&f.g, "VI_1"),
	    VRRP_STATE_STOP, 100);
	s = mails_wait(&f, &p, 3, &t);
	ck_assert_str_eq(s,
	    "Subject: [r1] VRRP Group G1 - Entering BACKUP state\n"
	    "Subject: [r1] VRRP Instance VI_1 - Entering MASTER state\n"
	    "Subject: [r1] VRRP Instance VI_1 - Stopping\n");
	ck_assert_ptr_nonnull(strstr(t, "\r\n\r\n=> All VRRP group instances "
	    "are now in BACKUP state <=\r\n"));
	ck_assert_ptr_nonnull(strstr(t, "\r\n\r\n=> VRRP Instance stopping "
	    "<=\r\n"));
	free(s);
	free(t);
	fx_fini(&f);
}
END_TEST

/*
 * A state is mailed only when it differs from the one mailed last for
 * that instance: with no_email_faults, MASTER -> FAULT -> MASTER mails
 * MASTER once; an instance deleted at reload starts afresh.
 */
START_TEST(smtp_alert_same_state_once)
{
	static const enum vrrp_state seq[] = { VRRP_STATE_MASTER,
	    VRRP_STATE_FAULT, VRRP_STATE_MASTER, VRRP_STATE_BACKUP,
	    VRRP_STATE_BACKUP, VRRP_STATE_DELETED, VRRP_STATE_BACKUP };
	struct peer p;
	struct fx f;
	char *t, *s;
	size_t i;

	peer_start(&p, PEER_OK);
	fx_init(&f);
	fx_load(&f, "global_defs {\n router_id r1\n notification_email {\n"
	    "  ops@example.com\n }\n notification_email_from v@example.com\n"
	    " smtp_server 127.0.0.1 %u\n smtp_alert\n no_email_faults\n}\n"
	    INSTANCE("VI_1", 1, ""), p.port);
	for (i = 0; i < sizeof(seq) / sizeof(seq[0]); i++)
		vrrp_notify_instance(f.n, gen_instance(&f.g, "VI_1"), seq[i],
		    100);
	s = mails_wait(&f, &p, 3, &t);
	ck_assert_str_eq(s,
	    "Subject: [r1] VRRP Instance VI_1 - Entering BACKUP state\n"
	    "Subject: [r1] VRRP Instance VI_1 - Entering BACKUP state\n"
	    "Subject: [r1] VRRP Instance VI_1 - Entering MASTER state\n");
	free(s);
	free(t);
	fx_fini(&f);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("vrrp_notify");
	TCase *tc = tcase_create("notify");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, scripts_get_keepalived_arguments);
	tcase_add_test(tc, group_scripts);
	tcase_add_test(tc, fifo_lines);
	tcase_add_test(tc, fifo_script_gets_fifo_name);
	tcase_add_test(tc, users_and_script_security);
	tcase_add_test(tc, smtp_alert_without_server_warned_once);
	tcase_add_test(tc, smtp_alert_precedence);
	tcase_add_test(tc, smtp_alert_same_state_once);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return check_run(suite());
}

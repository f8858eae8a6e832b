/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * VRRP tracking on a real event loop: vrrp_script rise/fall and timeouts,
 * keepalived's weight semantics (weight 0 = FAULT, signs, reverse,
 * inherited weights), track_file values through write/rename/delete and
 * init_file, track_process seeing a process start and exit, and reloads
 * keeping a script's state.
 */
#include <check.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "vrrp/track.h"
#include "vrrp/track_priv.h"
#include "vrrp/track_proc.h"
#include "check_run.h"
#include "vrrp_track_test.h"

struct fx {
	struct tloop l;
	struct vrrp_track *t;
	struct gen g;
	char *dir;
	unsigned changes;
	/* what the changed() callback saw */
	const char *watch;		/* instance to evaluate in changed() */
	int first_fault_fails;		/* failure lines when FAULT came */
	char log[300];
};

static void
on_changed(void *arg)
{
	struct fx *f = arg;
	const struct vrrp_instance_conf *i;
	struct vrrp_track_eval ev;

	f->changes++;
	if (f->watch == NULL || f->first_fault_fails >= 0)
		return;
	i = vrrp_conf_find_instance(f->g.vrrp, f->watch);
	vrrp_track_eval(f->t, &i->track_if, &i->track_script, &i->track_file,
	    &i->track_process, &ev);
	if (ev.fault)
		f->first_fault_fails = (int)count_lines(f->log, "1");
}

static void
fx_init(struct fx *f)
{
	memset(f, 0, sizeof(*f));
	f->first_fault_fails = -1;
	tloop_init(&f->l);
	f->dir = tmp_dir();
	snprintf(f->log, sizeof(f->log), "%s/runs.log", f->dir);
	f->t = vrrp_track_new(&f->l.env, on_changed, f);
	ck_assert_ptr_nonnull(f->t);
}

static void fx_load(struct fx *f, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
fx_load(struct fx *f, const char *fmt, ...)
{
	char text[8192];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	gen_load(&f->g, text);
	ck_assert_int_eq(vrrp_track_set_global(f->t, f->g.global), 0);
	ck_assert_int_eq(vrrp_track_apply(f->t, f->g.vrrp), 0);
}

static void
fx_fini(struct fx *f)
{
	vrrp_track_free(f->t);
	if (f->g.tree != NULL)
		gen_free(&f->g);
	tloop_fini(&f->l);
	rm_rf(f->dir);
	free(f->dir);
}

static struct vrrp_track_eval
eval(struct fx *f, const char *name)
{
	const struct vrrp_instance_conf *i = gen_instance(&f->g, name);
	struct vrrp_track_eval ev;

	vrrp_track_eval(f->t, &i->track_if, &i->track_script, &i->track_file,
	    &i->track_process, &ev);
	return ev;
}

struct want {
	struct fx *f;
	const char *inst;
	int fault, delta, pending;
};

static int
eval_is(void *arg)
{
	struct want *w = arg;
	struct vrrp_track_eval ev = eval(w->f, w->inst);

	return ev.fault == w->fault && ev.delta == w->delta &&
	    ev.pending == w->pending;
}

#define expect(f, i, fa, d, p, ms) expect_at(__LINE__, f, i, fa, d, p, ms)

static void
expect_at(int line, struct fx *f, const char *inst, int fault, int delta,
    int pending, unsigned max_ms)
{
	struct want w = { f, inst, fault, delta, pending };
	struct vrrp_track_eval ev;

	if (tloop_until(&f->l, eval_is, &w, max_ms))
		return;
	ev = eval(f, inst);
	ck_abort_msg("line %d: %s: fault %d delta %d pending %d (%s); expected "
	    "fault %d delta %d pending %d", line, inst, ev.fault, ev.delta,
	    ev.pending,
	    ev.why, fault, delta, pending);
}

#define INSTANCE(name, id, tracks) \
	"vrrp_instance " name " {\n interface lo\n virtual_router_id " #id \
	"\n priority 100\n" tracks "}\n"

/* A script that logs the exit code it takes from DIR/rc, then exits. */
static void
put_rc_script(struct fx *f, int rc)
{
	char p[300];

	snprintf(p, sizeof(p), "%s/rc", f->dir);
	put_file(p, 0644, "%d\n", rc);
	snprintf(p, sizeof(p), "%s/chk.sh", f->dir);
	put_file(p, 0755, "#!/bin/sh\nrc=$(cat %s/rc)\necho $rc >> %s\n"
	    "exit $rc\n", f->dir, f->log);
}

static void
set_rc(struct fx *f, int rc)
{
	char p[300], tmp[300];

	snprintf(tmp, sizeof(tmp), "%s/rc.tmp", f->dir);
	snprintf(p, sizeof(p), "%s/rc", f->dir);
	put_file(tmp, 0644, "%d\n", rc);
	ck_assert_int_eq(rename(tmp, p), 0);
}

/* ---- vrrp_script -------------------------------------------------------- */

START_TEST(script_flips_after_rise_and_fall)
{
	struct fx f;

	fx_init(&f);
	put_rc_script(&f, 0);
	fx_load(&f, "vrrp_script chk {\n script %s/chk.sh\n interval 0.1\n timeout 5\n"
	    " rise 2\n fall 2\n}\n"
	    INSTANCE("VI_1", 1, " track_script {\n  chk\n }\n"), f.dir);
	/* before its first result, the weight-0 line holds the instance */
	ck_assert_int_eq(eval(&f, "VI_1").pending, 1);
	/* one success is enough at start, as keepalived has it */
	expect(&f, "VI_1", 0, 0, 0, 10000);
	f.watch = "VI_1";
	set_rc(&f, 1);
	expect(&f, "VI_1", 1, 0, 0, 10000);
	/* it took fall (2) failures in a row */
	ck_assert_int_ge(f.first_fault_fails, 2);
	ck_assert_str_eq(eval(&f, "VI_1").why, "track_script chk is down");
	/* back up only after rise (2) successes */
	set_rc(&f, 0);
	expect(&f, "VI_1", 0, 0, 0, 10000);
	fx_fini(&f);
}
END_TEST

START_TEST(script_timeout_and_exec_failure_are_failures)
{
	struct fx f;
	char p[300];

	fx_init(&f);
	snprintf(p, sizeof(p), "%s/slow.sh", f.dir);
	put_file(p, 0755, "#!/bin/sh\nexec sleep 30\n");
	fx_load(&f, "vrrp_script slow {\n script %s/slow.sh\n interval 0.3\n"
	    " timeout 0.1\n weight -10\n}\n"
	    "vrrp_script missing {\n script %s/nothere.sh\n interval 0.2\n timeout 5\n"
	    " weight 20\n}\n"
	    "vrrp_script missing0 {\n script %s/nothere.sh\n interval 0.2\n}\n"
	    INSTANCE("VI_1", 2, " track_script {\n  slow\n }\n")
	    INSTANCE("VI_2", 3, " track_script {\n  missing\n }\n")
	    INSTANCE("VI_3", 4, " track_script {\n  missing0\n }\n"),
	    f.dir, f.dir, f.dir);
	/* a negative weight counts while the script fails */
	expect(&f, "VI_1", 0, -10, 0, 10000);
	/* a positive one only while it succeeds */
	expect(&f, "VI_2", 0, 0, 0, 10000);
	/* weight 0: FAULT */
	expect(&f, "VI_3", 1, 0, 0, 10000);
	fx_fini(&f);
}
END_TEST

START_TEST(script_reverse_and_inherited_weights)
{
	struct fx f;

	fx_init(&f);
	put_rc_script(&f, 0);
	fx_load(&f, "vrrp_script chk {\n script %s/chk.sh\n interval 0.2\n timeout 5\n"
	    " weight 10 reverse\n}\n"
	    INSTANCE("A", 5, " track_script {\n  chk\n }\n")
	    INSTANCE("B", 6, " track_script {\n  chk weight 7\n }\n")
	    INSTANCE("C", 7, " track_script {\n  chk weight 7 noreverse\n }\n")
	    INSTANCE("D", 8, " track_script {\n  chk weight 0 reverse\n }\n")
	    INSTANCE("E", 9, " track_script {\n  chk weight -4\n }\n"),
	    f.dir);
	/* up: reverse turns +10 into -10, and a line's weight keeps the
	 * script's reverse unless it says noreverse */
	expect(&f, "A", 0, -10, 0, 10000);
	expect(&f, "B", 0, -7, 0, 0);
	expect(&f, "C", 0, 7, 0, 0);
	/* weight 0 reverse: FAULT while the script succeeds */
	expect(&f, "D", 1, 0, 0, 0);
	ck_assert_str_eq(eval(&f, "D").why,
	    "track_script chk is up (reverse)");
	/* a negative weight counts while down: nothing while up */
	expect(&f, "E", 0, 0, 0, 0);
	set_rc(&f, 3);
	expect(&f, "A", 0, 0, 0, 10000);
	expect(&f, "D", 0, 0, 0, 0);
	expect(&f, "E", 0, 4, 0, 0);	/* -4, reversed */
	fx_fini(&f);
}
END_TEST

START_TEST(insecure_script_is_not_tracked)
{
	struct fx f;
	char p[300];

	if (geteuid() != 0)
		return;		/* root runs the scripts: the check applies */
	fx_init(&f);
	snprintf(p, sizeof(p), "%s/open.sh", f.dir);
	put_file(p, 0777, "#!/bin/sh\nexit 1\n");
	fx_load(&f, "global_defs {\n enable_script_security\n}\n"
	    "vrrp_script open {\n script %s/open.sh\n interval 0.1\n}\n"
	    INSTANCE("VI_1", 21, " track_script {\n  open\n }\n"), f.dir);
	/* anyone may rewrite it: keepalived disables it, and the line
	 * neither holds nor faults the instance */
	expect(&f, "VI_1", 0, 0, 0, 0);
	tloop_run(&f.l, 300);
	expect(&f, "VI_1", 0, 0, 0, 0);
	fx_fini(&f);
}
END_TEST

/* ---- track_interface ------------------------------------------------------ */

START_TEST(interface_weights_and_fault)
{
	struct fx f;

	fx_init(&f);
	fx_load(&f, INSTANCE("VI_1", 10, " track_interface {\n  eth0 weight 10\n"
	    "  eth1 weight -20\n  eth2 weight 5 reverse\n  eth3\n }\n")
	    INSTANCE("VI_2", 11, " track_interface {\n  eth4 weight 0 reverse\n"
	    " }\n"));
	vrrp_track_link(f.t, "eth0", 1);
	vrrp_track_link(f.t, "eth1", 0);
	vrrp_track_link(f.t, "eth2", 1);
	vrrp_track_link(f.t, "eth3", 1);
	vrrp_track_link(f.t, "eth4", 0);
	/* +10 (up), -20 (down, negative), -5 (up, reversed) */
	expect(&f, "VI_1", 0, -15, 0, 0);
	expect(&f, "VI_2", 0, 0, 0, 0);
	f.changes = 0;
	vrrp_track_link(f.t, "eth3", 0);
	vrrp_track_link(f.t, "eth4", 1);
	vrrp_track_link(f.t, "eth2", 0);
	/* changed() comes from the loop, once for the three */
	ck_assert_uint_eq(f.changes, 0);
	tloop_run(&f.l, 50);
	ck_assert_uint_eq(f.changes, 1);
	expect(&f, "VI_1", 1, -10, 0, 0);
	ck_assert_str_eq(eval(&f, "VI_1").why, "interface eth3 is down");
	expect(&f, "VI_2", 1, 0, 0, 0);
	ck_assert_str_eq(eval(&f, "VI_2").why,
	    "interface eth4 is up (reverse)");
	fx_fini(&f);
}
END_TEST

/* ---- track_file ----------------------------------------------------------- */

static void
write_value(struct fx *f, const char *name, const char *value, int rename_in)
{
	char p[300], tmp[300];

	snprintf(p, sizeof(p), "%s/%s", f->dir, name);
	if (!rename_in) {
		put_file(p, 0644, "%s", value);
		return;
	}
	snprintf(tmp, sizeof(tmp), "%s/.%s.tmp", f->dir, name);
	put_file(tmp, 0644, "%s", value);
	ck_assert_int_eq(rename(tmp, p), 0);
}

START_TEST(file_value_times_weight)
{
	struct fx f;
	char p[300];

	fx_init(&f);
	write_value(&f, "val", "2\n", 0);
	fx_load(&f, "track_file tf {\n file %s/val\n weight 3\n}\n"
	    "track_file tz {\n file %s/zero\n}\n"
	    INSTANCE("VI_1", 12, " track_file {\n  tf\n }\n")
	    INSTANCE("VI_2", 13, " track_file {\n  tf weight 2 reverse\n }\n")
	    INSTANCE("VI_3", 14, " track_file {\n  tz weight 0\n }\n"),
	    f.dir, f.dir);
	/* read at start */
	expect(&f, "VI_1", 0, 6, 0, 0);
	expect(&f, "VI_2", 0, -4, 0, 0);
	expect(&f, "VI_3", 0, 0, 0, 0);
	/* rewritten in place */
	write_value(&f, "val", "5\n", 0);
	expect(&f, "VI_1", 0, 15, 0, 5000);
	/* renamed over; keepalived reads base 0 (hex) */
	write_value(&f, "val", "0x10\n", 1);
	expect(&f, "VI_1", 0, 48, 0, 5000);
	/* value times weight at -254 or below is FAULT */
	write_value(&f, "val", "-85\n", 0);
	expect(&f, "VI_1", 1, 0, 0, 5000);
	expect(&f, "VI_2", 0, 170, 0, 0);
	/* beyond 253 counts as 253 */
	write_value(&f, "val", "-200\n", 0);
	expect(&f, "VI_2", 0, 253, 0, 5000);
	/* deleted: 0 */
	snprintf(p, sizeof(p), "%s/val", f.dir);
	ck_assert_int_eq(unlink(p), 0);
	expect(&f, "VI_1", 0, 0, 0, 5000);
	/* weight 0: a non-zero value is FAULT; the file appears */
	write_value(&f, "zero", "1\n", 1);
	expect(&f, "VI_3", 1, 0, 0, 5000);
	ck_assert_str_eq(eval(&f, "VI_3").why, "track_file tz has value 1");
	fx_fini(&f);
}
END_TEST

START_TEST(file_init_file)
{
	struct fx f;
	char p[300], *s;

	fx_init(&f);
	write_value(&f, "kept", "9\n", 0);
	write_value(&f, "over", "9\n", 0);
	fx_load(&f, "track_file a {\n file %s/new\n init_file 7\n}\n"
	    "track_file b {\n file %s/kept\n init_file 7\n}\n"
	    "track_file c {\n file %s/over\n init_file 7 overwrite\n}\n"
	    INSTANCE("A", 15, " track_file {\n  a\n }\n")
	    INSTANCE("B", 16, " track_file {\n  b\n }\n")
	    INSTANCE("C", 17, " track_file {\n  c\n }\n"), f.dir, f.dir, f.dir);
	expect(&f, "A", 0, 7, 0, 0);
	expect(&f, "B", 0, 9, 0, 0);
	expect(&f, "C", 0, 7, 0, 0);
	snprintf(p, sizeof(p), "%s/new", f.dir);
	s = get_file(p);
	ck_assert_str_eq(s, "7\n");
	free(s);
	fx_fini(&f);
}
END_TEST

/* ---- track_process -------------------------------------------------------- */

#define SLEEP_NAME_MAX 32
#define SLEEP_LINK_MAX 300

/* fx_init, and a sleep under a name of its own, PREFIX and this test's
 * pid (other tests may run sleep too): its name, and its path in f's
 * directory. */
static void
fx_init_sleep(struct fx *f, const char *prefix, char name[SLEEP_NAME_MAX],
    char link[SLEEP_LINK_MAX])
{
	fx_init(f);
	snprintf(name, SLEEP_NAME_MAX, "%s%ld", prefix,
	    (long)getpid() % 1000000);
	snprintf(link, SLEEP_LINK_MAX, "%s/%s", f->dir, name);
	ck_assert_int_eq(symlink("/bin/sleep", link), 0);
}

static pid_t
spawn(const char *path, const char *arg)
{
	pid_t pid = fork();

	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		execl(path, path, arg, (char *)NULL);
		_exit(127);
	}
	return pid;
}

START_TEST(process_start_and_exit)
{
	struct fx f;
	char link[SLEEP_LINK_MAX], name[SLEEP_NAME_MAX];
	pid_t pid;

	fx_init_sleep(&f, "vts", name, link);
	fx_load(&f, "vrrp_track_process byname {\n process %s\n weight 10\n}\n"
	    "vrrp_track_process bycmd {\n process %s 30\n weight 0\n}\n"
	    "vrrp_track_process two {\n process %s\n quorum 2\n weight 0\n}\n"
	    INSTANCE("A", 18, " track_process {\n  byname\n }\n")
	    INSTANCE("B", 19, " track_process {\n  bycmd\n }\n")
	    INSTANCE("C", 20, " track_process {\n  two\n }\n"),
	    name, link, name);
	expect(&f, "A", 0, 0, 0, 0);
	expect(&f, "B", 1, 0, 0, 0);
	ck_assert_str_eq(eval(&f, "B").why,
	    "track_process bycmd has 0 matching processes (quorum 1)");
	pid = spawn(link, "30");
	expect(&f, "A", 0, 10, 0, 10000);
	expect(&f, "B", 0, 0, 0, 10000);
	/* below quorum */
	expect(&f, "C", 1, 0, 0, 0);
	ck_assert_str_eq(eval(&f, "C").why,
	    "track_process two has 1 matching process (quorum 2)");
	kill(pid, SIGKILL);
	expect(&f, "A", 0, 0, 0, 10000);
	expect(&f, "B", 1, 0, 0, 10000);
	/* other parameters: the command line does not match */
	pid = spawn(link, "31");
	expect(&f, "A", 0, 10, 0, 10000);
	tloop_run(&f.l, 300);
	expect(&f, "B", 1, 0, 0, 0);
	kill(pid, SIGKILL);
	expect(&f, "A", 0, 0, 0, 10000);
	fx_fini(&f);
}
END_TEST

START_TEST(process_param_match)
{
	struct fx f;
	char link[SLEEP_LINK_MAX], name[SLEEP_NAME_MAX];
	pid_t pid;

	fx_init_sleep(&f, "vtp", name, link);
	fx_load(&f, "vrrp_track_process exact {\n process %s 3\n"
	    " weight 1\n}\n"
	    "vrrp_track_process initial {\n process %s 3\n"
	    " param_match initial\n weight 2\n}\n"
	    "vrrp_track_process partial {\n process %s 30\n"
	    " param_match partial\n weight 4\n}\n"
	    "vrrp_track_process noparam {\n process %s\n"
	    " param_match\n weight 8\n}\n"
	    "vrrp_track_process full {\n process %s\n full_command\n"
	    " weight 16\n}\n"
	    INSTANCE("A", 23, " track_process {\n  exact\n  initial\n"
	    "  partial\n  noparam\n  full\n }\n"),
	    link, link, link, link, link);
	expect(&f, "A", 0, 0, 0, 0);
	/* "30": initial "3" matches, exact "3" does not; partial "30"
	 * matches; exact with no parameters does not; the command line
	 * alone does */
	pid = spawn(link, "30");
	expect(&f, "A", 0, 2 + 4 + 16, 0, 10000);
	kill(pid, SIGKILL);
	expect(&f, "A", 0, 0, 0, 10000);
	fx_fini(&f);
}
END_TEST

struct dump_has {
	struct fx *f;
	const char *text;
};

static int
dump_has(void *arg)
{
	struct dump_has *d = arg;
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);
	int found;

	ck_assert_ptr_nonnull(fp);
	vrrp_track_dump(d->f->t, fp);
	fclose(fp);
	found = strstr(buf, d->text) != NULL;
	free(buf);
	return found;
}

START_TEST(process_terminate_delay)
{
	struct fx f;
	struct dump_has d = { &f, "current = 0, up (delay running)" };
	char link[SLEEP_LINK_MAX], name[SLEEP_NAME_MAX];
	pid_t pid;

	fx_init_sleep(&f, "vtd", name, link);
	fx_load(&f, "vrrp_track_process p {\n process %s\n weight 0\n"
	    " terminate_delay 60\n}\n"
	    INSTANCE("A", 22, " track_process {\n  p\n }\n"), name);
	expect(&f, "A", 1, 0, 0, 0);
	/* gaining the quorum by exec is at once */
	pid = spawn(link, "30");
	expect(&f, "A", 0, 0, 0, 10000);
	/* losing it by exit waits terminate_delay */
	kill(pid, SIGKILL);
	ck_assert_msg(tloop_until(&f.l, dump_has, &d, 10000),
	    "the exit was not seen");
	expect(&f, "A", 0, 0, 0, 0);
	/* back before the delay ends: the delay is cancelled */
	pid = spawn(link, "30");
	d.text = "current = 1, up\n";
	ck_assert_msg(tloop_until(&f.l, dump_has, &d, 10000),
	    "the new process was not seen");
	kill(pid, SIGKILL);
	fx_fini(&f);
}
END_TEST

/* Wait (at most 10 s) until pid runs under the name comm. */
static void
wait_comm(pid_t pid, const char *comm)
{
	char path[64], buf[64];
	unsigned i;
	FILE *fp;

	snprintf(path, sizeof(path), "/proc/%ld/comm", (long)pid);
	for (i = 0; i < 1000; i++) {
		if ((fp = fopen(path, "re")) != NULL) {
			buf[0] = '\0';
			if (fgets(buf, sizeof(buf), fp) != NULL)
				buf[strcspn(buf, "\n")] = '\0';
			fclose(fp);
			if (strcmp(buf, comm) == 0)
				return;
		}
		usleep(10000);
	}
	ck_abort_msg("pid %ld did not run as %s", (long)pid, comm);
}

START_TEST(process_rescan_gain_at_once)
{
	struct fx f;
	char link[SLEEP_LINK_MAX], name[SLEEP_NAME_MAX];
	pid_t pid[2];
	unsigned i;

	fx_init_sleep(&f, "vtr", name, link);
	fx_load(&f, "vrrp_track_process p {\n process %s\n weight 0\n"
	    " quorum 2\n fork_delay 60\n}\n"
	    INSTANCE("A", 24, " track_process {\n  p\n }\n"), name);
	expect(&f, "A", 1, 0, 0, 0);
	for (i = 0; i < 2; i++) {
		pid[i] = spawn(link, "30");
		wait_comm(pid[i], name);
	}
	/* the rescan after an overrun (their events not read yet) finds
	 * both: the quorum counts at once, as keepalived's resync, not
	 * after fork_delay */
	tproc_scan(f.t->pctx);
	/* read before the loop runs again: the connector's events for the
	 * two execs (counted at once too) must not be what made it */
	ck_assert_msg(eval(&f, "A").fault == 0, "the rescan's gain waits: %s",
	    eval(&f, "A").why);
	for (i = 0; i < 2; i++) {
		kill(pid[i], SIGKILL);
		waitpid(pid[i], NULL, 0);
	}
	/* losing it (by exit) is at once too: no terminate_delay */
	expect(&f, "A", 1, 0, 0, 10000);
	fx_fini(&f);
}
END_TEST

/* ---- reload ----------------------------------------------------------------- */

START_TEST(reload_keeps_script_state)
{
	struct fx f;
	struct gen old;

	fx_init(&f);
	put_rc_script(&f, 1);
	fx_load(&f, "vrrp_script chk {\n script %s/chk.sh\n interval 0.2\n timeout 5\n"
	    " fall 1\n rise 3\n}\n"
	    INSTANCE("VI_1", 21, " track_script {\n  chk\n }\n"), f.dir);
	expect(&f, "VI_1", 1, 0, 0, 10000);
	set_rc(&f, 0);
	/* the same script, another instance setting: still down and
	 * counting its successes (a restarted one would be pending) */
	old = f.g;
	fx_load(&f, "vrrp_script chk {\n script %s/chk.sh\n interval 0.2\n timeout 5\n"
	    " fall 1\n rise 3\n}\n"
	    INSTANCE("VI_1", 22, " priority 90\n track_script {\n  chk\n }\n"),
	    f.dir);
	gen_free(&old);
	expect(&f, "VI_1", 1, 0, 0, 0);
	expect(&f, "VI_1", 0, 0, 0, 10000);
	/* changed settings restart it: INIT again */
	old = f.g;
	fx_load(&f, "vrrp_script chk {\n script %s/chk.sh\n interval 0.3\n timeout 5\n"
	    " fall 1\n rise 3\n}\n"
	    INSTANCE("VI_1", 23, " track_script {\n  chk\n }\n"), f.dir);
	gen_free(&old);
	expect(&f, "VI_1", 0, 0, 1, 0);
	expect(&f, "VI_1", 0, 0, 0, 10000);
	fx_fini(&f);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("vrrp_track");
	TCase *tc = tcase_create("track");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, script_flips_after_rise_and_fall);
	tcase_add_test(tc, script_timeout_and_exec_failure_are_failures);
	tcase_add_test(tc, script_reverse_and_inherited_weights);
	tcase_add_test(tc, insecure_script_is_not_tracked);
	tcase_add_test(tc, interface_weights_and_fault);
	tcase_add_test(tc, file_value_times_weight);
	tcase_add_test(tc, file_init_file);
	tcase_add_test(tc, process_start_and_exit);
	tcase_add_test(tc, process_terminate_delay);
	tcase_add_test(tc, process_param_match);
	tcase_add_test(tc, process_rescan_gain_at_once);
	tcase_add_test(tc, reload_keeps_script_state);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return check_run(suite());
}

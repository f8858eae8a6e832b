/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Script runner: exit codes, timeouts, exec failure, users, many at once,
 * and splitting script lines. */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <event2/event.h>

#include "arena.h"
#include "loop.h"
#include "reap.h"
#include "script.h"
#include "check_run.h"

struct env {
	struct event_base *base;
	struct reaper *reaper;
	struct script_runner *sr;
};

struct result {
	int calls;
	enum script_result res;
	int status;
	uint64_t at;
	int *pending;		/* loopbreak when it drops to 0 */
	struct event_base *base;
};

static void
env_setup(struct env *e)
{
	e->base = loop_new();
	ck_assert_ptr_nonnull(e->base);
	e->reaper = reaper_new(e->base);
	ck_assert_ptr_nonnull(e->reaper);
	e->sr = script_runner_new(e->base, e->reaper);
	ck_assert_ptr_nonnull(e->sr);
}

static void
env_teardown(struct env *e)
{
	script_runner_free(e->sr);
	reaper_free(e->reaper);
	event_base_free(e->base);
}

static void
done_cb(struct script_run *run, enum script_result res, int status, void *arg)
{
	struct result *r = arg;

	(void)run;
	r->calls++;
	r->res = res;
	r->status = status;
	r->at = loop_now_usec();
	if (r->pending != NULL && --*r->pending == 0)
		event_base_loopbreak(r->base);
}

/* Run one script to completion (or until limit_usec). */
static struct result
run1(struct env *e, char *const *argv, uid_t uid, gid_t gid,
    uint64_t timeout_usec, uint64_t grace_usec)
{
	struct script_opts o = {
		.argv = argv, .uid = uid, .gid = gid,
		.timeout_usec = timeout_usec, .grace_usec = grace_usec,
	};
	struct result r = { 0 };
	struct timeval limit = loop_tv(4000000);
	int pending = 1;

	r.pending = &pending;
	r.base = e->base;
	ck_assert_ptr_nonnull(script_start(e->sr, &o, done_cb, &r));
	ck_assert_uint_eq(script_running(e->sr), 1);
	event_base_loopexit(e->base, &limit);
	event_base_dispatch(e->base);
	ck_assert_int_eq(r.calls, 1);
	ck_assert_uint_eq(script_running(e->sr), 0);
	return r;
}

#define NOID ((uid_t)-1), ((gid_t)-1)

START_TEST(test_exit_codes)
{
	struct env e;
	char *ok[] = { "/bin/true", NULL };
	char *three[] = { "/bin/sh", "-c", "exit 3", NULL };
	char *bypath[] = { "sh", "-c", "exit 0", NULL };
	struct result r;

	env_setup(&e);
	r = run1(&e, ok, NOID, 0, 0);
	ck_assert_int_eq(r.res, SCRIPT_EXITED);
	ck_assert_int_eq(r.status, 0);
	r = run1(&e, three, NOID, 0, 0);
	ck_assert_int_eq(r.res, SCRIPT_EXITED);
	ck_assert_int_eq(r.status, 3);
	r = run1(&e, bypath, NOID, 0, 0);	/* found through PATH */
	ck_assert_int_eq(r.res, SCRIPT_EXITED);
	ck_assert_int_eq(r.status, 0);
	env_teardown(&e);
}
END_TEST

START_TEST(test_timeout_kills)
{
	struct env e;
	char *slow[] = { "/bin/sleep", "10", NULL };
	struct result r;
	uint64_t t0;

	env_setup(&e);
	t0 = loop_now_usec();
	r = run1(&e, slow, NOID, 200000, 0);
	ck_assert_int_eq(r.res, SCRIPT_TIMEOUT);
	ck_assert_int_eq(r.status, SIGTERM);
	ck_assert_msg(r.at - t0 >= 200000 && r.at - t0 < 1500000,
	    "reported after %llu us", (unsigned long long)(r.at - t0));
	env_teardown(&e);
}
END_TEST

/* A script that ignores SIGTERM gets SIGKILL after the grace period, and
 * the whole process group goes (the backgrounded sleep too). */
START_TEST(test_timeout_grace_and_group)
{
	struct env e;
	char dir[] = "/tmp/vigil-script-XXXXXX";
	char path[64], cmd[160], line[32];
	char *argv[] = { "/bin/sh", "-c", cmd, NULL };
	struct result r;
	uint64_t t0;
	FILE *fp;
	long pid;
	int gone = 0, i;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/pid", dir);
	snprintf(cmd, sizeof(cmd),
	    "trap '' TERM; sleep 10 & echo $! > %s; wait; wait", path);
	env_setup(&e);
	t0 = loop_now_usec();
	r = run1(&e, argv, NOID, 100000, 200000);
	ck_assert_int_eq(r.res, SCRIPT_TIMEOUT);
	ck_assert_int_eq(r.status, SIGKILL);
	ck_assert(r.at - t0 >= 300000 && r.at - t0 < 1500000);

	fp = fopen(path, "r");
	ck_assert_ptr_nonnull(fp);
	ck_assert_ptr_nonnull(fgets(line, sizeof(line), fp));
	fclose(fp);
	pid = strtol(line, NULL, 10);
	ck_assert(pid > 1);
	/* Dead (gone or a zombie awaiting its new parent) within 1 s. */
	for (i = 0; i < 100 && !gone; i++) {
		char st[256], *p;

		snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
		fp = fopen(path, "r");
		if (fp == NULL) {
			gone = 1;
			break;
		}
		if (fgets(st, sizeof(st), fp) != NULL &&
		    (p = strrchr(st, ')')) != NULL && p[2] == 'Z')
			gone = 1;
		fclose(fp);
		if (!gone)
			usleep(10000);
	}
	ck_assert_msg(gone, "grandchild %ld survived the timeout", pid);
	snprintf(path, sizeof(path), "%s/pid", dir);
	unlink(path);
	rmdir(dir);
	env_teardown(&e);
}
END_TEST

START_TEST(test_exec_failure)
{
	struct env e;
	char *none[] = { "/nonexistent/vigil-no-such-program", NULL };
	char *notexec[] = { "/etc/passwd", NULL };
	struct result r;

	env_setup(&e);
	r = run1(&e, none, NOID, 0, 0);
	ck_assert_int_eq(r.res, SCRIPT_EXEC_FAILED);
	ck_assert_int_eq(r.status, ENOENT);
	r = run1(&e, notexec, NOID, 0, 0);
	ck_assert_int_eq(r.res, SCRIPT_EXEC_FAILED);
	ck_assert_int_eq(r.status, EACCES);
	env_teardown(&e);
}
END_TEST

START_TEST(test_runs_as_nobody)
{
	struct env e;
	char open_dir[] = "/tmp/vigil-script-XXXXXX";
	char shut_dir[] = "/tmp/vigil-script-XXXXXX";
	char cmd[256], path[64], line[64], want[64];
	char *argv[] = { "/bin/sh", "-c", cmd, NULL };
	struct result r;
	uid_t uid;
	gid_t gid;
	FILE *fp;

	if (geteuid() != 0)
		return;		/* needs root to switch user */
	ck_assert_int_eq(script_lookup_user("nobody", NULL, &uid, &gid), 0);
	ck_assert_ptr_nonnull(mkdtemp(open_dir));
	ck_assert_ptr_nonnull(mkdtemp(shut_dir));
	ck_assert_int_eq(chmod(open_dir, 0777), 0);
	ck_assert_int_eq(chmod(shut_dir, 0755), 0);	/* root's: no writes */
	snprintf(cmd, sizeof(cmd),
	    "echo $(id -u) $(id -g) $(id -G) > %s/id; touch %s/x 2>/dev/null",
	    open_dir, shut_dir);
	env_setup(&e);
	r = run1(&e, argv, uid, gid, 0, 0);
	/* touch failed: the script could not write where root can. */
	ck_assert_int_eq(r.res, SCRIPT_EXITED);
	ck_assert_int_ne(r.status, 0);

	snprintf(path, sizeof(path), "%s/id", open_dir);
	fp = fopen(path, "r");
	ck_assert_ptr_nonnull(fp);
	ck_assert_ptr_nonnull(fgets(line, sizeof(line), fp));
	fclose(fp);
	snprintf(want, sizeof(want), "%u %u %u\n", (unsigned)uid,
	    (unsigned)gid, (unsigned)gid);
	ck_assert_str_eq(line, want);	/* no supplementary groups left */
	snprintf(path, sizeof(path), "%s/x", shut_dir);
	ck_assert_int_ne(access(path, F_OK), 0);

	/* A user without a group gets the user's primary group, not ours. */
	snprintf(path, sizeof(path), "%s/id", open_dir);
	ck_assert_int_eq(unlink(path), 0);
	r = run1(&e, argv, uid, (gid_t)-1, 0, 0);
	ck_assert_int_eq(r.res, SCRIPT_EXITED);
	fp = fopen(path, "r");
	ck_assert_ptr_nonnull(fp);
	ck_assert_ptr_nonnull(fgets(line, sizeof(line), fp));
	fclose(fp);
	ck_assert_str_eq(line, want);
	unlink(path);
	rmdir(open_dir);
	rmdir(shut_dir);
	env_teardown(&e);
}
END_TEST

START_TEST(test_child_environment_reset)
{
	struct env e;
	char cmd[128];
	char *fdcheck[] = { "/bin/sh", "-c", cmd, NULL };
	char *selfterm[] = { "/bin/sh", "-c", "kill -TERM $$; exit 0", NULL };
	char *envchk[] = { "/bin/sh", "-c", "[ \"$VIGIL_X\" = yes ]", NULL };
	char *envp[] = { "VIGIL_X=yes", NULL };
	struct script_opts o = { .argv = envchk, .uid = (uid_t)-1,
	    .gid = (gid_t)-1, .envp = envp };
	struct timeval limit = loop_tv(3000000);
	struct result r = { 0 };
	sigset_t set;
	int fd, pending = 1;

	/* An fd the daemon holds (not close-on-exec) must not leak in. */
	fd = open("/dev/null", O_RDONLY);
	ck_assert_int_ge(fd, 3);
	snprintf(cmd, sizeof(cmd), "[ -e /proc/$$/fd/%d ] && exit 9; exit 0",
	    fd);
	/* Ignored and blocked signals in the daemon are reset for scripts. */
	signal(SIGTERM, SIG_IGN);
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigprocmask(SIG_BLOCK, &set, NULL);

	env_setup(&e);
	r = run1(&e, fdcheck, NOID, 0, 0);
	ck_assert_int_eq(r.res, SCRIPT_EXITED);
	ck_assert_int_eq(r.status, 0);
	r = run1(&e, selfterm, NOID, 0, 0);
	ck_assert_int_eq(r.res, SCRIPT_SIGNALED);
	ck_assert_int_eq(r.status, SIGTERM);

	memset(&r, 0, sizeof(r));
	r.pending = &pending;
	r.base = e.base;
	ck_assert_ptr_nonnull(script_start(e.sr, &o, done_cb, &r));
	event_base_loopexit(e.base, &limit);
	event_base_dispatch(e.base);
	ck_assert_int_eq(r.res, SCRIPT_EXITED);
	ck_assert_int_eq(r.status, 0);
	close(fd);
	env_teardown(&e);
}
END_TEST

START_TEST(test_50_concurrent)
{
	struct env e;
	struct result r[50];
	char codes[50][16];
	char *argv[50][4];
	struct timeval limit = loop_tv(4000000);
	int pending = 50, i, st;

	env_setup(&e);
	memset(r, 0, sizeof(r));
	for (i = 0; i < 50; i++) {
		struct script_opts o = { .uid = (uid_t)-1, .gid = (gid_t)-1,
		    .timeout_usec = 3000000 };

		snprintf(codes[i], sizeof(codes[i]), "exit %d", i);
		argv[i][0] = "/bin/sh";
		argv[i][1] = "-c";
		argv[i][2] = codes[i];
		argv[i][3] = NULL;
		o.argv = argv[i];
		r[i].pending = &pending;
		r[i].base = e.base;
		ck_assert_ptr_nonnull(script_start(e.sr, &o, done_cb, &r[i]));
	}
	ck_assert_uint_eq(script_running(e.sr), 50);
	event_base_loopexit(e.base, &limit);
	event_base_dispatch(e.base);
	ck_assert_int_eq(pending, 0);
	for (i = 0; i < 50; i++) {
		ck_assert_int_eq(r[i].calls, 1);
		ck_assert_int_eq(r[i].res, SCRIPT_EXITED);
		ck_assert_int_eq(r[i].status, i);
	}
	ck_assert_uint_eq(script_running(e.sr), 0);
	/* Every child collected: no zombies left behind. */
	ck_assert_int_eq(waitpid(-1, &st, WNOHANG), -1);
	ck_assert_int_eq(errno, ECHILD);
	env_teardown(&e);
}
END_TEST

START_TEST(test_kill_and_runner_free)
{
	struct env e;
	char *slow[] = { "/bin/sleep", "10", NULL };
	struct script_opts o = { .argv = slow, .uid = (uid_t)-1,
	    .gid = (gid_t)-1 };
	struct timeval limit = loop_tv(3000000);
	struct result r = { 0 };
	struct script_run *run;
	int pending = 1, st;
	pid_t pid;

	env_setup(&e);
	r.pending = &pending;
	r.base = e.base;
	run = script_start(e.sr, &o, done_cb, &r);
	ck_assert_ptr_nonnull(run);
	ck_assert_int_gt(script_pid(run), 0);
	script_kill(run);
	event_base_loopexit(e.base, &limit);
	event_base_dispatch(e.base);
	ck_assert_int_eq(r.calls, 1);
	ck_assert_int_eq(r.res, SCRIPT_SIGNALED);
	ck_assert_int_eq(r.status, SIGKILL);

	/* Freeing the runner kills what still runs; no callback. */
	memset(&r, 0, sizeof(r));
	run = script_start(e.sr, &o, done_cb, &r);
	pid = script_pid(run);
	script_runner_free(e.sr);
	e.sr = NULL;
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
	ck_assert_int_eq(r.calls, 0);
	env_teardown(&e);
}
END_TEST

START_TEST(test_runner_finish)
{
	struct env e;
	char dir[] = "/tmp/vigil-finish.XXXXXX", path[64], cmd[128];
	char *quick[] = { "/bin/sh", "-c", cmd, NULL };
	char *slow[] = { "/bin/sleep", "30", NULL };
	struct script_opts o = { .argv = quick, .uid = (uid_t)-1,
	    .gid = (gid_t)-1 };
	struct result r = { 0 };
	pid_t pid;
	int st;

	/* a script that ends within the bound ends (its file is written);
	 * one that does not is killed; neither is reported */
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/done", dir);
	snprintf(cmd, sizeof(cmd), "sleep 0.2; echo >%s", path);
	env_setup(&e);
	ck_assert_ptr_nonnull(script_start(e.sr, &o, done_cb, &r));
	o.argv = slow;
	pid = script_pid(script_start(e.sr, &o, done_cb, &r));
	ck_assert_int_gt(pid, 0);
	script_runner_finish(e.sr, 3000000);
	e.sr = NULL;
	ck_assert_int_eq(access(path, F_OK), 0);
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);	/* killed */
	ck_assert(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
	ck_assert_int_eq(r.calls, 0);
	unlink(path);
	rmdir(dir);
	env_teardown(&e);
}
END_TEST

static void
noop_reap(pid_t pid, int status, void *arg)
{
	(void)pid;
	(void)status;
	(void)arg;
	ck_abort_msg("callback for a pid that never exited");
}

START_TEST(test_reaper_unknown_and_forget)
{
	struct env e;
	int st;
	pid_t pid;

	env_setup(&e);
	/* An unwatched child is reaped and ignored. */
	pid = fork();
	if (pid == 0)
		_exit(0);
	ck_assert_int_gt(pid, 0);
	usleep(50000);
	reaper_poll(e.reaper);
	ck_assert_int_eq(waitpid(pid, &st, WNOHANG), -1);
	ck_assert_int_eq(errno, ECHILD);
	ck_assert_int_eq(reaper_watch(e.reaper, 0, NULL, NULL), -1);
	reaper_forget(e.reaper, 12345);	/* unknown: harmless */
	/* Thousands of watches (pids that are not our children). */
	for (pid = 1000000; pid < 1005000; pid++)
		ck_assert_int_eq(reaper_watch(e.reaper, pid, noop_reap, NULL),
		    0);
	for (pid = 1000000; pid < 1004000; pid++)
		reaper_forget(e.reaper, pid);
	reaper_poll(e.reaper);	/* no children: nothing to do */
	env_teardown(&e);
}
END_TEST

static void
split_eq(const char *line, const char *const *want)
{
	struct arena *a = arena_new();
	char **v = script_split(a, line);
	int i;

	ck_assert_msg(v != NULL, "split of <%s> failed", line);
	for (i = 0; want[i] != NULL; i++) {
		ck_assert_msg(v[i] != NULL, "<%s>: word %d missing", line, i);
		ck_assert_str_eq(v[i], want[i]);
	}
	ck_assert_msg(v[i] == NULL, "<%s>: extra word <%s>", line, v[i]);
	arena_free(a);
}

START_TEST(test_split)
{
	struct arena *a = arena_new();

	split_eq("/usr/bin/notify.sh", (const char *[]){ "/usr/bin/notify.sh",
	    NULL });
	split_eq("  /bin/x  a\tb  ", (const char *[]){ "/bin/x", "a", "b",
	    NULL });
	split_eq("/bin/x 'a b  c' d", (const char *[]){ "/bin/x", "a b  c",
	    "d", NULL });
	split_eq("/bin/x \"a 'b' c\"", (const char *[]){ "/bin/x", "a 'b' c",
	    NULL });
	split_eq("/bin/x 'say \"hi\"'", (const char *[]){ "/bin/x",
	    "say \"hi\"", NULL });
	split_eq("/bin/x ab'c d'ef", (const char *[]){ "/bin/x", "abc def",
	    NULL });
	split_eq("/bin/x '' end", (const char *[]){ "/bin/x", "", "end",
	    NULL });
	split_eq("/bin/x a\\ b \\'q", (const char *[]){ "/bin/x", "a b", "'q",
	    NULL });
	split_eq("/bin/x 'a\\b'", (const char *[]){ "/bin/x", "a\\b", NULL });

	ck_assert_ptr_null(script_split(a, ""));
	ck_assert_ptr_null(script_split(a, "   \t "));
	ck_assert_ptr_null(script_split(a, "/bin/x 'open"));
	ck_assert_ptr_null(script_split(a, "/bin/x \"open"));
	ck_assert_ptr_null(script_split(a, "/bin/x trailing\\"));
	ck_assert_ptr_null(script_split(a, NULL));
	arena_free(a);
}
END_TEST

START_TEST(test_lookup_user)
{
	uid_t uid = 1;
	gid_t gid = 1;

	ck_assert_int_eq(script_lookup_user("root", NULL, &uid, &gid), 0);
	ck_assert_int_eq(uid, 0);
	ck_assert_int_eq(gid, 0);
	ck_assert_int_eq(script_lookup_user("nobody", NULL, &uid, &gid), 0);
	ck_assert_int_ne(uid, 0);
	/* An explicit group overrides the user's primary group. */
	ck_assert_int_eq(script_lookup_user("nobody", "root", &uid, &gid), 0);
	ck_assert_int_eq(gid, 0);
	ck_assert_int_eq(script_lookup_user("vigil-no-such-user", NULL, &uid,
	    &gid), -1);
	ck_assert_int_eq(script_lookup_user("root", "vigil-no-such-group",
	    &uid, &gid), -1);
	ck_assert_int_eq(script_lookup_user("", NULL, &uid, &gid), -1);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("script");
	TCase *tc = tcase_create("run");
	TCase *tp = tcase_create("parse");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_exit_codes);
	tcase_add_test(tc, test_timeout_kills);
	tcase_add_test(tc, test_timeout_grace_and_group);
	tcase_add_test(tc, test_exec_failure);
	tcase_add_test(tc, test_runs_as_nobody);
	tcase_add_test(tc, test_child_environment_reset);
	tcase_add_test(tc, test_50_concurrent);
	tcase_add_test(tc, test_kill_and_runner_free);
	tcase_add_test(tc, test_runner_finish);
	tcase_add_test(tc, test_reaper_unknown_and_forget);
	tcase_add_test(tp, test_split);
	tcase_add_test(tp, test_lookup_user);
	suite_add_tcase(s, tc);
	suite_add_tcase(s, tp);
	return check_run(s);
}

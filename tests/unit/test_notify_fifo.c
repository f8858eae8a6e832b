/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * lib/notify_fifo: made when missing and removed on close, found and
 * left when it existed; a line is written whole; its script starts once
 * however many writers open the same fifo (the VRRP and checker children
 * share global_defs' notify_fifo), and again only when its settings
 * change; a path that is not a fifo is refused.
 */
#include "autoconfig.h"

#include <sys/stat.h>

#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_run.h"
#include "notify_fifo.h"

struct runs {
	unsigned n;
	char path[300];
	char cmd[300];
};

static int
run_cb(void *arg, const char *what, const char *cmd, const char *user,
    const char *group, const char *path)
{
	struct runs *r = arg;

	(void)what;
	(void)user;
	(void)group;
	r->n++;
	snprintf(r->cmd, sizeof(r->cmd), "%s", cmd);
	snprintf(r->path, sizeof(r->path), "%s", path);
	return 0;
}

static char dir[64];

static void
mkdir_tmp(void)
{
	snprintf(dir, sizeof(dir), "/tmp/vigil-nfifo.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

START_TEST(made_written_removed)
{
	struct notify_fifo f;
	struct runs r = { 0 };
	char path[300], buf[128];
	struct stat st;
	ssize_t len;
	int rd;

	mkdir_tmp();
	snprintf(path, sizeof(path), "%s/lvs.fifo", dir);
	notify_fifo_init(&f, "lvs_notify_fifo");
	ck_assert_int_eq(notify_fifo_apply(&f, path, NULL, NULL,
	    "/bin/reader", NULL, NULL, run_cb, &r), 0);
	ck_assert(notify_fifo_open(&f));
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert(S_ISFIFO(st.st_mode));
	ck_assert_uint_eq(r.n, 1);
	ck_assert_str_eq(r.cmd, "/bin/reader");
	ck_assert_str_eq(r.path, path);
	rd = open(path, O_RDONLY | O_NONBLOCK);
	ck_assert_int_ge(rd, 0);
	notify_fifo_write(&f, "VS FWM 5 UP\n", 12);
	len = read(rd, buf, sizeof(buf) - 1);
	ck_assert_int_eq(len, 12);
	buf[len] = '\0';
	ck_assert_str_eq(buf, "VS FWM 5 UP\n");
	/* the same settings: kept, the script not started again */
	ck_assert_int_eq(notify_fifo_apply(&f, path, NULL, NULL,
	    "/bin/reader", NULL, NULL, run_cb, &r), 0);
	ck_assert_uint_eq(r.n, 1);
	/* another script: reopened, started again */
	ck_assert_int_eq(notify_fifo_apply(&f, path, NULL, NULL,
	    "/bin/other", NULL, NULL, run_cb, &r), 0);
	ck_assert_uint_eq(r.n, 2);
	ck_assert_str_eq(r.cmd, "/bin/other");
	/* nobody reads: a line is dropped, never blocks */
	close(rd);
	for (int i = 0; i < 10000; i++)
		notify_fifo_write(&f, "RS [10.0.0.1]:tcp:80 FWM 5 DOWN\n", 32);
	notify_fifo_close(&f);
	ck_assert_int_ne(access(path, F_OK), 0);	/* made by us: gone */
	rmdir(dir);
}
END_TEST

START_TEST(two_writers_one_script)
{
	struct notify_fifo a, b;
	struct runs r = { 0 };
	char path[300];

	mkdir_tmp();
	snprintf(path, sizeof(path), "%s/all.fifo", dir);
	ck_assert_int_eq(mkfifo(path, 0600), 0);	/* found, not made */
	notify_fifo_init(&a, "notify_fifo");
	notify_fifo_init(&b, "notify_fifo");
	ck_assert_int_eq(notify_fifo_apply(&a, path, NULL, NULL, "/bin/r",
	    NULL, NULL, run_cb, &r), 0);
	ck_assert_int_eq(notify_fifo_apply(&b, path, NULL, NULL, "/bin/r",
	    NULL, NULL, run_cb, &r), 0);
	ck_assert(notify_fifo_open(&a) && notify_fifo_open(&b));
	ck_assert_uint_eq(r.n, 1);
	/* b goes and comes back while a holds it: no second script */
	notify_fifo_close(&b);
	ck_assert_int_eq(access(path, F_OK), 0);	/* not ours: left */
	ck_assert_int_eq(notify_fifo_apply(&b, path, NULL, NULL, "/bin/r",
	    NULL, NULL, run_cb, &r), 0);
	ck_assert(notify_fifo_open(&b));
	ck_assert_uint_eq(r.n, 1);
	/* once every writer closed, the next to open starts it again */
	notify_fifo_close(&b);
	notify_fifo_close(&a);
	ck_assert_int_eq(notify_fifo_apply(&b, path, NULL, NULL, "/bin/r",
	    NULL, NULL, run_cb, &r), 0);
	ck_assert_uint_eq(r.n, 2);
	notify_fifo_close(&b);
	unlink(path);
	rmdir(dir);
}
END_TEST

START_TEST(not_a_fifo)
{
	struct notify_fifo f;
	struct runs r = { 0 };
	char path[300];
	int fd;

	mkdir_tmp();
	snprintf(path, sizeof(path), "%s/file", dir);
	fd = open(path, O_CREAT | O_WRONLY, 0600);
	ck_assert_int_ge(fd, 0);
	close(fd);
	notify_fifo_init(&f, "lvs_notify_fifo");
	ck_assert_int_eq(notify_fifo_apply(&f, path, NULL, NULL, "/bin/r",
	    NULL, NULL, run_cb, &r), 0);
	ck_assert(!notify_fifo_open(&f));
	ck_assert_uint_eq(r.n, 0);
	notify_fifo_write(&f, "x\n", 2);	/* nothing, no crash */
	notify_fifo_close(&f);
	ck_assert_int_eq(access(path, F_OK), 0);	/* left alone */
	unlink(path);
	/* a directory that does not exist */
	snprintf(path, sizeof(path), "%s/no/such.fifo", dir);
	ck_assert_int_eq(notify_fifo_apply(&f, path, NULL, NULL, NULL,
	    NULL, NULL, run_cb, &r), 0);
	ck_assert(!notify_fifo_open(&f));
	notify_fifo_close(&f);
	rmdir(dir);
}
END_TEST

/* global_defs' fifo and the child's own: the same path is written once
 * (the own one ignored), different paths both get every line */
START_TEST(pair_same_path_once)
{
	struct notify_fifo f[2];
	struct notify_fifo_conf g = { 0 }, own = { 0 };
	struct runs r = { 0 };
	char a[300], b[300], buf[128];
	int ra, rb;

	mkdir_tmp();
	snprintf(a, sizeof(a), "%s/a.fifo", dir);
	snprintf(b, sizeof(b), "%s/b.fifo", dir);
	notify_fifo_init(&f[0], "notify_fifo");
	notify_fifo_init(&f[1], "lvs_notify_fifo");
	ck_assert(!notify_fifo_pair_open(f));
	g.path = a;
	own.path = a;
	own.script = "/bin/own";
	ck_assert_int_eq(notify_fifo_pair_apply(f, &g, &own, run_cb, &r), 0);
	ck_assert(notify_fifo_open(&f[0]));
	ck_assert(!notify_fifo_open(&f[1]));
	ck_assert_uint_eq(r.n, 0);	/* the ignored one's script too */
	ra = open(a, O_RDONLY | O_NONBLOCK);
	ck_assert_int_ge(ra, 0);
	notify_fifo_pair_write(f, "VS FWM 1 UP\n", 12, sizeof(buf));
	ck_assert_int_eq(read(ra, buf, sizeof(buf)), 12);	/* once */
	/* a line too long for one write is dropped, not cut */
	notify_fifo_pair_write(f, "VS FWM 1 UP\n", 12, 12);
	ck_assert_int_lt(read(ra, buf, sizeof(buf)), 0);
	/* different paths: both written */
	own.path = b;
	ck_assert_int_eq(notify_fifo_pair_apply(f, &g, &own, run_cb, &r), 0);
	ck_assert(notify_fifo_open(&f[1]));
	ck_assert_uint_eq(r.n, 1);
	ck_assert_str_eq(r.path, b);
	rb = open(b, O_RDONLY | O_NONBLOCK);
	ck_assert_int_ge(rb, 0);
	notify_fifo_pair_write(f, "VS FWM 2 DOWN\n", 14, sizeof(buf));
	ck_assert_int_eq(read(ra, buf, sizeof(buf)), 14);
	ck_assert_int_eq(read(rb, buf, sizeof(buf)), 14);
	/* none: both closed, the ones made removed */
	ck_assert_int_eq(notify_fifo_pair_apply(f, NULL, NULL, run_cb, &r),
	    0);
	ck_assert(!notify_fifo_pair_open(f));
	ck_assert_int_ne(access(a, F_OK), 0);
	ck_assert_int_ne(access(b, F_OK), 0);
	close(ra);
	close(rb);
	notify_fifo_pair_close(f);
	rmdir(dir);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("notify_fifo");
	TCase *tc = tcase_create("fifo");

	tcase_add_test(tc, made_written_removed);
	tcase_add_test(tc, two_writers_one_script);
	tcase_add_test(tc, not_a_fifo);
	tcase_add_test(tc, pair_same_path_once);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return check_run(suite());
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The checker child as vigild runs it (proc_main with vigild's table),
 * driven over its ipc channel as the parent drives it, checking real TCP
 * listeners of this process on 127.0.0.1: runtime commands answered and
 * seen in the desired table (the state dump) and in the records' attrs;
 * a respawned child handed the overrides back applies them from its
 * start; a reload keeps them.
 */
#include "autoconfig.h"

#include <arpa/inet.h>
#include <check.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check_run.h"
#include "conf.h"
#include "daemon/vconfig.h"
#include "ipc.h"
#include "ipc_msg.h"
#include "proc.h"
#include "subsys.h"

extern const struct subsys *const vigil_subsystems[];
extern const struct subsys chk_subsys;

static int fd = -1;
static pid_t child;
static int lfd[2] = { -1, -1 };
static unsigned port[2];	/* two listeners */
static unsigned closed_port;	/* refused */

/* ---- listeners -------------------------------------------------------------- */

static int
listener(unsigned *p, int do_listen)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t sl = sizeof(sa);
	int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	ck_assert_int_ge(s, 0);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(bind(s, (struct sockaddr *)&sa, sizeof(sa)), 0);
	if (do_listen)
		ck_assert_int_eq(listen(s, 512), 0);
	ck_assert_int_eq(getsockname(s, (struct sockaddr *)&sa, &sl), 0);
	*p = ntohs(sa.sin_port);
	return s;
}

/* ---- the channel -------------------------------------------------------------- */

static void
send_frame(uint32_t type, const void *data, size_t len)
{
	struct ipc_hdr h = { type, (uint32_t)len };

	ck_assert_int_eq(write(fd, &h, sizeof(h)), (int)sizeof(h));
	if (len > 0)
		ck_assert_int_eq(write(fd, data, len), (int)len);
}

static void
read_all(void *buf, size_t len)
{
	size_t got = 0;

	while (got < len) {
		struct pollfd p = { fd, POLLIN, 0 };
		ssize_t n;

		ck_assert_msg(poll(&p, 1, 10000) == 1, "no message from the "
		    "child within 10 s");
		n = read(fd, (char *)buf + got, len - got);
		ck_assert_msg(n > 0, "the child closed the channel");
		got += (size_t)n;
	}
}

static uint32_t
recv_frame(char **data, size_t *len)
{
	struct ipc_hdr h;

	read_all(&h, sizeof(h));
	*len = h.len;
	*data = malloc(h.len + 1);
	read_all(*data, h.len);
	(*data)[h.len] = '\0';
	return h.type;
}

/* The last record seen of each name, as "state weight | attrs". */
#define NREC 32
static struct {
	char name[128];
	char text[4096];
} recs[NREC];

static void
keep_records(const char *data, size_t len)
{
	const char *p = data + sizeof(struct ipc_state);
	size_t left = len - sizeof(struct ipc_state);
	struct ipc_obj o;
	unsigned i;

	if (len < sizeof(struct ipc_state))
		return;
	while (ipc_obj_next(&p, &left, &o) > 0) {
		for (i = 0; i < NREC && recs[i].name[0] != '\0' &&
		    strcmp(recs[i].name, o.name) != 0; i++)
			;
		if (i == NREC)
			continue;
		snprintf(recs[i].name, sizeof(recs[i].name), "%s", o.name);
		snprintf(recs[i].text, sizeof(recs[i].text), "%s %d | %s",
		    o.state, (int)o.weight, o.attrs);
	}
}

/* Frames until one of type (state records are kept; others dropped;
 * bounded). */
static char *
expect(uint32_t type, size_t *len)
{
	char *data;
	uint32_t t;

	for (unsigned i = 0; i < 1000; i++) {
		t = recv_frame(&data, len);
		if (t == IPC_STATE)
			keep_records(data, *len);
		if (t == type)
			return data;
		free(data);
	}
	ck_abort_msg("no frame of type %u", type);
	return NULL;
}

/* The last record of name once it holds want (waits, bounded). */
static void
record(const char *name, const char *want, char *out, size_t outlen)
{
	size_t len;

	for (unsigned i = 0; i < 200; i++) {
		for (unsigned j = 0; j < NREC; j++)
			if (strcmp(recs[j].name, name) == 0 &&
			    strstr(recs[j].text, want) != NULL) {
				snprintf(out, outlen, "%s", recs[j].text);
				return;
			}
		free(expect(IPC_STATE, &len));
	}
	ck_abort_msg("no record of %s with %s", name, want);
}

static char *
dump(void)
{
	size_t len;

	send_frame(IPC_DUMP_REQ, NULL, 0);
	return expect(IPC_DUMP, &len);
}

static void
start_child(const struct ipc_objbuf *overrides)
{
	int fds[2];
	sigset_t none;
	struct ipc_state h = { .flags = IPC_STATE_END, .generation = 1 };
	char *msg, *data;
	size_t len, n = overrides != NULL ? overrides->len : 0;

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0,
	    fds), 0);
	child = fork();
	ck_assert_int_ge(child, 0);
	if (child == 0) {
		close(fds[0]);
		sigemptyset(&none);
		_exit(proc_main(vigil_subsystems, &chk_subsys, fds[1], &none,
		    getppid(), 0));
	}
	close(fds[1]);
	fd = fds[0];
	free(expect(IPC_HELLO, &len));
	msg = malloc(sizeof(h) + n + 1);
	memcpy(msg, &h, sizeof(h));
	if (n > 0)
		memcpy(msg + sizeof(h), overrides->data, n);
	send_frame(IPC_HANDOVER, msg, sizeof(h) + n);
	free(msg);
	(void)data;
}

static void
send_config(uint32_t generation)
{
	struct ipc_reload rh = { generation };
	struct conf_load_opts lo = { 0 };
	struct conf_diag d = { .emit = conf_diag_print, .arg = stderr };
	struct conf_tree *t;
	struct ipc_reload_done done;
	char text[2048], *msg;
	void *tree;
	size_t tlen, len;

	snprintf(text, sizeof(text),
	    "virtual_server 10.0.0.1 80 {\n protocol TCP\n lb_kind NAT\n"
	    " delay_loop 0.05\n"
	    " real_server 127.0.0.1 %u {\n  TCP_CHECK {\n   connect_timeout 2\n"
	    "   retry 0\n   warmup 0\n  }\n }\n"
	    " real_server 127.0.0.1 %u {\n  TCP_CHECK {\n   connect_timeout 2\n"
	    "   retry 0\n   warmup 0\n  }\n }\n}\n", port[0], closed_port);
	ck_assert_int_eq(conf_load_buffer("test.conf", text, strlen(text), &lo,
	    &d, &t), 0);
	ck_assert_int_eq(conf_tree_encode(t, &tree, &tlen), 0);
	conf_tree_free(t);
	msg = malloc(sizeof(rh) + tlen);
	memcpy(msg, &rh, sizeof(rh));
	memcpy(msg + sizeof(rh), tree, tlen);
	send_frame(IPC_RELOAD, msg, sizeof(rh) + tlen);
	free(msg);
	free(tree);
	msg = expect(IPC_RELOAD_DONE, &len);
	memcpy(&done, msg, sizeof(done));
	free(msg);
	ck_assert_int_eq(done.status, 0);
}

static void
stop_child(void)
{
	if (fd >= 0)
		close(fd);
	fd = -1;
	if (child > 0) {
		kill(child, SIGKILL);
		waitpid(child, NULL, 0);
	}
	child = 0;
}

static void
setup(void)
{
	int c;

	lfd[0] = listener(&port[0], 1);
	lfd[1] = listener(&port[1], 1);
	c = listener(&closed_port, 0);	/* bound, never listening: refused */
	close(c);
}

static void
teardown(void)
{
	stop_child();
	for (int i = 0; i < 2; i++)
		if (lfd[i] >= 0)
			close(lfd[i]);
	lfd[0] = lfd[1] = -1;
}

static int
command(const char *const *argv, int argc, char *text, size_t tlen)
{
	static uint32_t id;
	struct ipc_cmd_reply r;
	size_t len, blen;
	void *buf = ipc_cmd_encode(++id, argc, (char *const *)argv, &blen);
	char *data;

	ck_assert_ptr_nonnull(buf);
	send_frame(IPC_CMD, buf, blen);
	free(buf);
	data = expect(IPC_CMD_REPLY, &len);
	memcpy(&r, data, sizeof(r));
	ck_assert_uint_eq(r.id, id);
	snprintf(text, tlen, "%.*s", (int)(len - sizeof(r)),
	    data + sizeof(r));
	free(data);
	return r.status;
}

/* The desired table's line for 127.0.0.1:p in a dump, or "" */
static void
table_line(const char *d, unsigned p, char *out, size_t len)
{
	char key[64];
	const char *l, *t = strstr(d, "Desired table");

	out[0] = '\0';
	ck_assert_ptr_nonnull(t);
	snprintf(key, sizeof(key), "-> [127.0.0.1]:%u ", p);
	if ((l = strstr(t, key)) != NULL)
		snprintf(out, len, "%.*s", (int)strcspn(l, "\n"), l);
}

static void
wait_table(unsigned p, const char *want)
{
	char line[256] = "", *d;

	for (unsigned i = 0; i < 100; i++) {
		d = dump();
		table_line(d, p, line, sizeof(line));
		free(d);
		if (strstr(line, want) != NULL ||
		    (want[0] == '\0' && line[0] == '\0'))
			return;
		usleep(50000);
	}
	ck_abort_msg("table line for port %u: \"%s\", wanted \"%s\"", p, line,
	    want);
}

START_TEST(commands_over_ipc_and_the_hand_over)
{
	char text[1024], rec[4096], name[128], vs[64];
	struct ipc_objbuf b = { 0 };
	struct ipc_obj o;
	char real0[32], real1[32];

	snprintf(vs, sizeof(vs), "[10.0.0.1]:tcp:80");
	snprintf(real0, sizeof(real0), "127.0.0.1:%u", port[0]);
	snprintf(real1, sizeof(real1), "127.0.0.1:%u", port[1]);
	start_child(NULL);
	send_config(1);
	wait_table(port[0], "weight 1");
	wait_table(closed_port, "");	/* refused: out of the table */

	/* drain: answered, in the table, in the record */
	ck_assert_int_eq(command((const char *[]){ "drain", real0 }, 2, text,
	    sizeof(text)), IPC_CMD_OK);
	ck_assert_ptr_nonnull(strstr(text, "drained"));
	snprintf(name, sizeof(name), "%s / [127.0.0.1]:%u", vs, port[0]);
	record(name, "drained=1", rec, sizeof(rec));
	ck_assert_ptr_nonnull(strstr(rec, "checker=TCP_CHECK"));
	wait_table(port[0], "weight 0");

	/* add-real with its own check; set-weight on it */
	ck_assert_int_eq(command((const char *[]){ "add-real", "10.0.0.1:80",
	    real1, "weight", "3", "check", "TCP_CHECK", "{", "retry", "0",
	    "warmup", "0", "}" }, 13, text, sizeof(text)), IPC_CMD_OK);
	wait_table(port[1], "weight 3");
	ck_assert_int_eq(command((const char *[]){ "set-weight", vs, real1,
	    "5" }, 4, text, sizeof(text)), IPC_CMD_OK);
	wait_table(port[1], "weight 5");
	snprintf(name, sizeof(name), "%s / [127.0.0.1]:%u", vs, port[1]);
	record(name, "set_weight=5", rec, sizeof(rec));
	ck_assert_ptr_nonnull(strstr(rec, "runtime=1"));
	ck_assert_ptr_nonnull(strstr(rec, "check=TCP_CHECK { retry 0 warmup "
	    "0 }"));

	/* errors are answers, not crashes */
	ck_assert_int_eq(command((const char *[]){ "set-weight", vs, real1,
	    "heavy" }, 4, text, sizeof(text)), IPC_CMD_EUSAGE);
	ck_assert_int_eq(command((const char *[]){ "remove-real", vs,
	    "127.0.0.2:1" }, 3, text, sizeof(text)), IPC_CMD_ENOENT);
	ck_assert_ptr_nonnull(strstr(text, "[127.0.0.2]:1"));
	ck_assert_int_eq(command((const char *[]){ "force-backup", "VI_1" },
	    2, text, sizeof(text)), IPC_CMD_EUNKNOWN);

	/* a reload keeps them */
	send_config(2);
	wait_table(port[0], "weight 0");
	wait_table(port[1], "weight 5");
	stop_child();

	/* a respawned child is handed the overrides (the form the parent
	 * keeps): applied from its start */
	memset(&o, 0, sizeof(o));
	o.kind = "real_server";
	o.state = o.detail = "";
	snprintf(name, sizeof(name), "%s / [127.0.0.1]:%u", vs, port[0]);
	o.name = name;
	o.flags = IPC_OBJ_OVERRIDE | IPC_OBJ_DRAIN;
	o.weight = IPC_OBJ_NO_WEIGHT;
	o.attrs = "";
	ck_assert_int_eq(ipc_obj_put(&b, &o), 0);
	snprintf(name, sizeof(name), "%s / [127.0.0.1]:%u", vs, port[1]);
	o.name = name;
	o.flags = IPC_OBJ_OVERRIDE | IPC_OBJ_ADDED;
	o.weight = 5;
	o.attrs = "virtual_server=[10.0.0.1]:tcp:80\narg=weight\narg=3\n"
	    "arg=check\narg=TCP_CHECK\narg={\narg=retry\narg=0\n"
	    "arg=warmup\narg=0\narg=}";
	ck_assert_int_eq(ipc_obj_put(&b, &o), 0);
	start_child(&b);
	ipc_objbuf_free(&b);
	send_config(1);
	wait_table(port[0], "weight 0");
	wait_table(port[1], "weight 5");
	/* undrain and remove-real undo them */
	ck_assert_int_eq(command((const char *[]){ "undrain", real0, vs }, 3,
	    text, sizeof(text)), IPC_CMD_OK);
	wait_table(port[0], "weight 1");
	ck_assert_int_eq(command((const char *[]){ "remove-real", vs, real1 },
	    3, text, sizeof(text)), IPC_CMD_OK);
	wait_table(port[1], "");
	record(name, "runtime=1", rec, sizeof(rec));
	for (unsigned i = 0; i < 100 && strncmp(rec, "removed ", 8) != 0; i++) {
		size_t len;

		free(expect(IPC_STATE, &len));
		record(name, "runtime=1", rec, sizeof(rec));
	}
	ck_assert_int_eq(strncmp(rec, "removed ", 8), 0);
	ck_assert_ptr_nonnull(strstr(rec, "runtime=1"));
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("chk_child");
	TCase *tc = tcase_create("child");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, commands_over_ipc_and_the_hand_over);
	tcase_set_timeout(tc, 120);
	suite_add_tcase(s, tc);
	return check_run(s);
}

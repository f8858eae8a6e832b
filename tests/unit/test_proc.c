/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The child runtime (lib/proc.c), driven as the parent drives it: a fake
 * subsystem runs in a forked process on one end of a socketpair, and the
 * test speaks the protocol on the other. Hello, hand-over, start on the
 * first configuration, snapshot, the subsystem's own messages both ways
 * (dispatch, proc_send, state events), an unknown message survived,
 * ping, dump, a snapshot held (the parent told its bound and the request
 * held; a reload meanwhile sends its own snapshot, answering no request,
 * and the held one names the last request that joined it), and a clean
 * exit when the parent goes away.
 */
#include <check.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "arena.h"
#include "conf.h"
#include "log.h"
#include "ipc.h"
#include "ipc_msg.h"
#include "proc.h"
#include "subsys.h"
#include "check_run.h"

#define OWNER_FAKE 1
#define MSG_POKE (IPC_SUBSYS_BASE + 1)
#define MSG_POKED (IPC_SUBSYS_BASE + 2)
#define MSG_STARTED (IPC_SUBSYS_BASE + 3)
#define MSG_RELEASE (IPC_SUBSYS_BASE + 4)
#define MSG_GAP (IPC_SUBSYS_BASE + 5)
#define MSG_PAUSE (IPC_SUBSYS_BASE + 6)
#define MSG_PART (IPC_SUBSYS_BASE + 7)
#define MSG_UNKNOWN (IPC_SUBSYS_BASE + 9)
#define HOLD_MSEC 1500
/* fake_stop's exit status when told to leave its state in place, plus
 * the PROC_F_DONT_RELEASE_* flags it was told */
#define FAKE_KEPT_STATUS 64

/* ---- the fake subsystem ---------------------------------------------------- */

/* Asks of the runtime (proc_ops.gap, proc_ops.pause): once told, each is
 * told to the test (msg, with the cost it came with); the next n are
 * answered usec. */
struct fake_asks {
	uint32_t msg;
	int tell;
	unsigned n;
	uint64_t usec;
};

struct fake_state {
	const struct proc_env *env;
	int hold;		/* the next snapshot asked is held */
	struct fake_asks gap;	/* asks for a gap (MSG_GAP) */
	struct fake_asks pause;	/* asks for a sleep first (MSG_PAUSE) */
};

static int
fake_register(struct conf_registry *r)
{
	return 0;
}

static void *
fake_new(struct arena *a)
{
	return arena_alloc(a, 1);
}

static unsigned
fake_objects(const void *conf, subsys_obj_fn *fn, void *arg)
{
	if (fn != NULL) {
		fn(arg, "thing", "a");
		fn(arg, "thing", "b");
	}
	return 2;
}

static void *
fake_start(const struct proc_env *env, const struct vigil_config *cfg,
    const struct proc_handover *h)
{
	struct fake_state *f = calloc(1, sizeof(*f));
	uint32_t count = h->count;

	f->env = env;
	f->gap.msg = MSG_GAP;
	f->pause.msg = MSG_PAUSE;
	/* tell the test what was handed over */
	proc_send(env->proc, MSG_STARTED, &count, sizeof(count));
	return f;
}

static int
fake_reload(void *state, const struct vigil_config *old,
    const struct vigil_config *new, char *msg, size_t msglen)
{
	struct fake_state *f = state;
	/* said while reloading, not flushed: it must reach the parent
	 * before the snapshot that follows the reload */
	struct ipc_obj o = { "thing", "b", "", "", 0, IPC_OBJ_OVERRIDE,
	    IPC_OBJ_NO_WEIGHT, 0, "" };

	(void)old;
	(void)new;
	proc_state_add(f->env->proc, &o);
	snprintf(msg, msglen, "fake reloaded");
	return 0;
}

/* The fake's dump: three lines, one a part. */
#define FAKE_DUMP_LINES 3
static void
fake_dump_line(const struct vigil_config *cfg, FILE *fp, uintptr_t i)
{
	/* drop_tree: the runtime freed the tree once the configuration
	 * was built */
	if (i == 0)
		fprintf(fp, " fake dump, generation %u%s\n", cfg->generation,
		    cfg->tree == NULL ? ", no tree" : "");
	else
		fprintf(fp, " fake dump, line %u\n", (unsigned)i + 1);
}

static void
fake_dump(void *state, const struct vigil_config *cfg, FILE *fp)
{
	(void)state;
	for (uintptr_t i = 0; i < FAKE_DUMP_LINES; i++)
		fake_dump_line(cfg, fp, i);
}

static int
fake_dump_part(void *state, const struct vigil_config *cfg, FILE *fp,
    void **cursor)
{
	uintptr_t i = (uintptr_t)*cursor;

	(void)state;
	fake_dump_line(cfg, fp, i);
	if (++i < FAKE_DUMP_LINES) {
		*cursor = (void *)i;
		return 1;
	}
	*cursor = NULL;
	return 0;
}

/* One object a part: "thing a", then "thing b". */
static int
fake_snapshot_part(void *state, const struct vigil_config *cfg,
    struct proc *p, void **cursor)
{
	static const char *const names[] = { "a", "b" };
	uintptr_t i = (uintptr_t)*cursor;
	struct ipc_obj o = { "thing", names[i], "not started", "",
	    proc_generation(p), 0, IPC_OBJ_NO_WEIGHT, 0, "" };

	(void)state;
	(void)cfg;
	proc_state_add(p, &o);
	if (++i < 2) {
		*cursor = (void *)i;
		return 1;
	}
	*cursor = NULL;
	return 0;
}

static int
fake_dispatch(void *state, uint32_t type, const void *data, size_t len)
{
	struct fake_state *f = state;
	struct ipc_obj o = { "thing", "a", "poked", "by the test", 0, 0,
	    IPC_OBJ_NO_WEIGHT, 0, "priority=100\nvips=10.0.0.1 10.0.0.2" };

	if (type == MSG_RELEASE) {
		proc_snapshot_ready(f->env->proc);
		return 0;
	}
	if (type != MSG_POKE)
		return -1;
	proc_send(f->env->proc, MSG_POKED, data, len);
	proc_state_add(f->env->proc, &o);
	proc_state_flush(f->env->proc);
	return 0;
}

/* "echo ARG...": joined; "missing NAME": no such object; "hold": the
 * next snapshot asked is held until MSG_RELEASE; else unknown. */
static int
fake_command(void *state, int argc, const char *const argv[], FILE *out)
{
	struct fake_state *f = state;

	if (strcmp(argv[0], "hold") == 0) {
		f->hold = 1;
		fprintf(out, "holding");
		return IPC_CMD_OK;
	}
	if (strcmp(argv[0], "gap") == 0 && argc == 3) {
		f->gap.tell = 1;
		f->gap.usec = (unsigned)atoi(argv[1]) * 1000ULL;
		f->gap.n = (unsigned)atoi(argv[2]);
		fprintf(out, "gaps");
		return IPC_CMD_OK;
	}
	if (strcmp(argv[0], "pause") == 0 && argc == 2) {
		f->pause.tell = 1;
		f->pause.usec = 1000;
		f->pause.n = (unsigned)atoi(argv[1]);
		fprintf(out, "pauses");
		return IPC_CMD_OK;
	}
	if (strcmp(argv[0], "echo") == 0) {
		for (int i = 1; i < argc; i++)
			fprintf(out, "%s%s", i > 1 ? " " : "", argv[i]);
		return IPC_CMD_OK;
	}
	if (strcmp(argv[0], "missing") == 0 && argc == 2) {
		fprintf(out, "%s: no such thing", argv[1]);
		return IPC_CMD_ENOENT;
	}
	return IPC_CMD_EUNKNOWN;
}

static int
fake_asked(void *state)
{
	struct fake_state *f = state;
	int held = f->hold ? HOLD_MSEC : 0;

	f->hold = 0;
	return held;
}

static uint64_t
fake_ask(struct fake_state *f, struct fake_asks *a, uint64_t cost)
{
	if (a->tell)
		proc_send(f->env->proc, a->msg, &cost, sizeof(cost));
	if (a->n == 0)
		return 0;
	a->n--;
	return a->usec;
}

/* Once "gap MSEC N" was run: the next N wait MSEC ms. */
static uint64_t
fake_gap(void *state, uint64_t cost)
{
	struct fake_state *f = state;

	return fake_ask(f, &f->gap, cost);
}

/* Once "pause N" was run: the next N sleep 1 ms first. */
static uint64_t
fake_pause(void *state, uint64_t cost)
{
	struct fake_state *f = state;

	return fake_ask(f, &f->pause, cost);
}

static void
fake_stop(void *state)
{
	struct fake_state *f = state;
	unsigned keep = f != NULL ? f->env->flags & (PROC_F_DONT_RELEASE_VRRP |
	    PROC_F_DONT_RELEASE_IPVS) : 0;

	free(state);
	/* what the stop was told to leave in place, in the exit status */
	if (keep != 0)
		_exit(FAKE_KEPT_STATUS + (int)keep);
}

static const struct proc_ops fake_ops = {
	.start = fake_start,
	.reload = fake_reload,
	.dump = fake_dump,
	.dump_part = fake_dump_part,
	.snapshot_part = fake_snapshot_part,
	.dispatch = fake_dispatch,
	.command = fake_command,
	.asked = fake_asked,
	.gap = fake_gap,
	.pause = fake_pause,
	.stop = fake_stop,
	.drop_tree = 1,
};

static const struct subsys fake = {
	.name = "fake",
	.owner = OWNER_FAKE,
	.conf_register = fake_register,
	.conf_new = fake_new,
	.conf_objects = fake_objects,
	.proc = &fake_ops,
};

static const struct subsys *const table[] = { &global_subsys, &fake, NULL };

/*
 * The same subsystem with its start and reloads in parts (the VRRP
 * child's: proc_ops.start_part, reload_part), FAKE_PARTS each, every one
 * told to the test (MSG_PART: 's' or 'r', and its number), as is every
 * ask for a sleep before a piece (MSG_PAUSE); it keeps its tree, so a
 * reload's building goes in pieces too.
 */
#define FAKE_PARTS 3

static void *
parts_start(const struct proc_env *env, const struct vigil_config *cfg,
    const struct proc_handover *h)
{
	struct fake_state *f = fake_start(env, cfg, h);

	f->pause.tell = 1;
	return f;
}

static int
parts_tell(struct fake_state *f, char what, void **cursor)
{
	uintptr_t i = (uintptr_t)*cursor;
	char m[2] = { what, (char)('0' + i) };

	proc_send(f->env->proc, MSG_PART, m, sizeof(m));
	if (++i < FAKE_PARTS) {
		*cursor = (void *)i;
		return 1;
	}
	*cursor = NULL;
	return 0;
}

static int
parts_start_part(void *state, void **cursor)
{
	return parts_tell(state, 's', cursor);
}

static int
parts_reload_part(void *state, const struct vigil_config *old,
    const struct vigil_config *new, char *msg, size_t msglen, void **cursor)
{
	(void)old;
	(void)new;
	if (parts_tell(state, 'r', cursor))
		return 1;
	snprintf(msg, msglen, "reloaded in %d parts", FAKE_PARTS);
	return 0;
}

static const struct proc_ops parts_ops = {
	.start = parts_start,
	.start_part = parts_start_part,
	.reload = fake_reload,
	.reload_part = parts_reload_part,
	.dump = fake_dump,
	.snapshot_part = fake_snapshot_part,
	.command = fake_command,
	.gap = fake_gap,
	.pause = fake_pause,
	.stop = fake_stop,
};

static const struct subsys parts = {
	.name = "fake",
	.owner = OWNER_FAKE,
	.conf_register = fake_register,
	.conf_new = fake_new,
	.conf_objects = fake_objects,
	.proc = &parts_ops,
};

static const struct subsys *const parts_table[] = { &global_subsys, &parts,
    NULL };

/* ---- the parent's side ------------------------------------------------------ */

static int fd = -1;
static pid_t child;

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

		ck_assert_msg(poll(&p, 1, 5000) == 1, "no message from the "
		    "child within 5 s");
		n = read(fd, (char *)buf + got, len - got);
		ck_assert_msg(n > 0, "the child closed the channel");
		got += (size_t)n;
	}
}

/* The next frame; its payload malloc()ed into *data. */
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

/* The next frame, which must be of type. */
static char *
expect(uint32_t type, size_t *len)
{
	char *data;
	uint32_t t = recv_frame(&data, len);

	ck_assert_uint_eq(t, type);
	return data;
}

static void
ask_snapshot(uint32_t seq)
{
	struct ipc_snap_req req = { seq };

	send_frame(IPC_SNAPSHOT_REQ, &req, sizeof(req));
}

/* The request the last IPC_STATE message that state_records() read
 * answers. */
static uint32_t answers;

/* Records of one IPC_STATE message: count, flags, first state. */
static unsigned
state_records(const char *data, size_t len, uint32_t *flags,
    uint32_t *generation, char *first_state, size_t fslen)
{
	struct ipc_state h;
	const char *p = data + sizeof(h);
	size_t left = len - sizeof(h);
	struct ipc_obj o;
	unsigned n = 0;
	int r;

	ck_assert_uint_ge(len, sizeof(h));
	memcpy(&h, data, sizeof(h));
	*flags = h.flags;
	*generation = h.generation;
	answers = h.answers;
	while ((r = ipc_obj_next(&p, &left, &o)) > 0) {
		if (n++ == 0)
			snprintf(first_state, fslen, "%s %s: %s%s%s", o.kind,
			    o.name, o.state, o.attrs[0] != '\0' ? " | " : "",
			    o.attrs);
	}
	ck_assert_int_eq(r, 0);
	return n;
}

static void
setup_with(const struct subsys *const *tab, const struct subsys *self)
{
	int fds[2];
	sigset_t none;

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0,
	    fds), 0);
	child = fork();
	ck_assert_int_ge(child, 0);
	if (child == 0) {
		close(fds[0]);
		sigemptyset(&none);
		_exit(proc_main(tab, self, fds[1], &none, getppid(), 0));
	}
	close(fds[1]);
	fd = fds[0];
}

static void
setup(void)
{
	setup_with(table, &fake);
}

static void
setup_parts(void)
{
	setup_with(parts_table, &parts);
}

static void
teardown(void)
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
hand_over_and_start(unsigned generation)
{
	struct ipc_objbuf b = { 0 };
	struct ipc_obj o = { "thing", "a", "MASTER", "", 4, 0,
	    IPC_OBJ_NO_WEIGHT, 0, "" };
	struct ipc_state h = { .flags = IPC_STATE_END, .generation = 4 };
	struct ipc_reload rh = { generation };
	static const char text[] = "global_defs {\n  router_id r1\n}\n";
	struct conf_load_opts lo = { 0 };
	struct conf_diag d = { 0 };
	struct conf_tree *t;
	void *tree;
	size_t tlen;
	char *msg;

	ck_assert_int_eq(ipc_obj_put(&b, &o), 0);
	o.name = "b";
	o.flags = IPC_OBJ_OVERRIDE | IPC_OBJ_DRAIN;
	ck_assert_int_eq(ipc_obj_put(&b, &o), 0);
	msg = malloc(sizeof(h) + b.len);
	memcpy(msg, &h, sizeof(h));
	memcpy(msg + sizeof(h), b.data, b.len);
	send_frame(IPC_HANDOVER, msg, sizeof(h) + b.len);
	free(msg);
	ipc_objbuf_free(&b);

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
}

/* Send a command; its reply must carry id, status and text. */
static void
run_command(uint32_t id, int argc, char *argv[], int status,
    const char *text)
{
	struct ipc_cmd_reply r;
	size_t len, blen;
	void *buf = ipc_cmd_encode(id, argc, argv, &blen);
	char *data;

	ck_assert_ptr_nonnull(buf);
	send_frame(IPC_CMD, buf, blen);
	free(buf);
	data = expect(IPC_CMD_REPLY, &len);
	ck_assert_uint_ge(len, sizeof(r));
	memcpy(&r, data, sizeof(r));
	ck_assert_uint_eq(r.id, id);
	ck_assert_int_eq(r.status, status);
	ck_assert_str_eq(data + sizeof(r), text);
	free(data);
}

START_TEST(runtime_speaks_the_protocol)
{
	struct ipc_hello hello;
	struct ipc_reload_done done;
	char *data, first[128];
	size_t len;
	uint32_t flags, gen, count;

	/* hello first */
	data = expect(IPC_HELLO, &len);
	ck_assert_uint_eq(len, sizeof(hello));
	memcpy(&hello, data, sizeof(hello));
	free(data);
	ck_assert_uint_eq(hello.version, IPC_VERSION);
	ck_assert_uint_eq(hello.owner, OWNER_FAKE);
	ck_assert_int_eq(hello.pid, child);

	/* the hand-over reaches start, which runs on the first config */
	hand_over_and_start(5);
	data = expect(MSG_STARTED, &len);
	memcpy(&count, data, sizeof(count));
	free(data);
	ck_assert_uint_eq(count, 2);
	data = expect(IPC_RELOAD_DONE, &len);
	memcpy(&done, data, sizeof(done));
	ck_assert_uint_eq(done.generation, 5);
	ck_assert_int_eq(done.status, 0);
	free(data);

	/* then a snapshot of the configuration's objects */
	data = expect(IPC_STATE, &len);
	ck_assert_uint_eq(state_records(data, len, &flags, &gen, first,
	    sizeof(first)), 2);
	free(data);
	ck_assert_uint_eq(flags, IPC_STATE_BEGIN | IPC_STATE_END);
	ck_assert_uint_eq(gen, 5);
	ck_assert_uint_eq(answers, 0);	/* asked by no request */
	ck_assert_str_eq(first, "thing a: not started");

	/* the subsystem's own message: dispatched, answered, an event */
	send_frame(MSG_POKE, "hello", 5);
	data = expect(MSG_POKED, &len);
	ck_assert_uint_eq(len, 5);
	ck_assert_mem_eq(data, "hello", 5);
	free(data);
	data = expect(IPC_STATE, &len);
	ck_assert_uint_eq(state_records(data, len, &flags, &gen, first,
	    sizeof(first)), 1);
	free(data);
	ck_assert_uint_eq(flags, 0);
	ck_assert_uint_eq(answers, 0);
	ck_assert_str_eq(first, "thing a: poked | priority=100\n"
	    "vips=10.0.0.1 10.0.0.2");

	/* runtime commands: answered once each, with the id they came with */
	run_command(41, 3, (char *[]){ "echo", "drain", "rs1", NULL },
	    IPC_CMD_OK, "drain rs1");
	run_command(42, 2, (char *[]){ "missing", "vs9", NULL },
	    IPC_CMD_ENOENT, "vs9: no such thing");
	run_command(43, 1, (char *[]){ "frobnicate", NULL }, IPC_CMD_EUNKNOWN,
	    "frobnicate: not a command of the fake child");
	/* a malformed one (argument without its NUL) is refused, not run */
	{
		struct ipc_cmd h = { 44, 1 };
		char bad[sizeof(h) + 4];
		struct ipc_cmd_reply r;

		memcpy(bad, &h, sizeof(h));
		memcpy(bad + sizeof(h), "echo", 4);
		send_frame(IPC_CMD, bad, sizeof(bad));
		data = expect(IPC_CMD_REPLY, &len);
		memcpy(&r, data, sizeof(r));
		ck_assert_int_eq(r.status, IPC_CMD_EUSAGE);
		free(data);
	}

	/* one it does not know is survived; pings are answered */
	send_frame(MSG_UNKNOWN, "x", 1);
	send_frame(IPC_PING, NULL, 0);
	free(expect(IPC_PONG, &len));

	/* a snapshot on request, naming it; a dump */
	ask_snapshot(7);
	data = expect(IPC_STATE, &len);
	ck_assert_uint_eq(state_records(data, len, &flags, &gen, first,
	    sizeof(first)), 2);
	free(data);
	ck_assert_uint_eq(answers, 7);
	/* a malformed request is not answered (the ping's answer comes
	 * first) */
	send_frame(IPC_SNAPSHOT_REQ, NULL, 0);
	send_frame(IPC_PING, NULL, 0);
	free(expect(IPC_PONG, &len));
	send_frame(IPC_DUMP_REQ, NULL, 0);
	data = expect(IPC_DUMP, &len);
	ck_assert_ptr_nonnull(strstr(data,
	    "fake dump, generation 5, no tree"));
	free(data);

	/* a snapshot the subsystem holds: the parent is told the bound and
	 * the request; a second request joins it, the dump waits behind
	 * it; released, one snapshot answers both (it names the second),
	 * then the dump */
	run_command(45, 1, (char *[]){ "hold", NULL }, IPC_CMD_OK, "holding");
	ask_snapshot(8);
	{
		struct ipc_held held;

		data = expect(IPC_SNAPSHOT_HELD, &len);
		ck_assert_uint_eq(len, sizeof(held));
		memcpy(&held, data, sizeof(held));
		ck_assert_uint_eq(held.msec, HOLD_MSEC);
		ck_assert_uint_eq(held.seq, 8);
		free(data);
	}
	ask_snapshot(9);
	send_frame(IPC_DUMP_REQ, NULL, 0);
	send_frame(MSG_RELEASE, NULL, 0);
	data = expect(IPC_STATE, &len);
	state_records(data, len, &flags, &gen, first, sizeof(first));
	ck_assert_uint_eq(flags, IPC_STATE_BEGIN | IPC_STATE_END);
	ck_assert_uint_eq(answers, 9);
	free(data);
	data = expect(IPC_DUMP, &len);
	ck_assert_ptr_nonnull(strstr(data, "fake dump, generation 5"));
	free(data);

	/* held again, and a reload comes before the release: the reload's
	 * snapshot (sent from the loop, after the hold notice) answers no
	 * request; the held one, after it, answers the request held */
	run_command(46, 1, (char *[]){ "hold", NULL }, IPC_CMD_OK, "holding");
	ask_snapshot(10);
	free(expect(IPC_SNAPSHOT_HELD, &len));
	hand_over_and_start(6);
	data = expect(IPC_RELOAD_DONE, &len);
	memcpy(&done, data, sizeof(done));
	ck_assert_uint_eq(done.generation, 6);
	ck_assert_int_eq(done.status, 0);
	ck_assert_ptr_nonnull(strstr(data + sizeof(done), "fake reloaded"));
	free(data);
	/* what the subsystem said while reloading, then the snapshot */
	data = expect(IPC_STATE, &len);
	ck_assert_uint_eq(state_records(data, len, &flags, &gen, first,
	    sizeof(first)), 1);
	ck_assert_uint_eq(flags, 0);
	ck_assert_uint_eq(answers, 0);
	ck_assert_str_eq(first, "thing b: ");
	free(data);
	data = expect(IPC_STATE, &len);
	state_records(data, len, &flags, &gen, first, sizeof(first));
	ck_assert_uint_eq(flags & IPC_STATE_BEGIN, IPC_STATE_BEGIN);
	ck_assert_uint_eq(gen, 6);
	ck_assert_uint_eq(answers, 0);
	free(data);
	send_frame(MSG_RELEASE, NULL, 0);
	data = expect(IPC_STATE, &len);
	state_records(data, len, &flags, &gen, first, sizeof(first));
	ck_assert_uint_eq(flags, IPC_STATE_BEGIN | IPC_STATE_END);
	ck_assert_uint_eq(gen, 6);
	ck_assert_uint_eq(answers, 10);
	free(data);
	/* nothing held now: a second release sends nothing (the ping's
	 * answer comes next) */
	send_frame(MSG_RELEASE, NULL, 0);
	send_frame(IPC_PING, NULL, 0);
	free(expect(IPC_PONG, &len));


	/* the parent goes away: the child stops cleanly */
	close(fd);
	fd = -1;
	{
		int status;

		ck_assert_int_eq(waitpid(child, &status, 0), child);
		child = 0;
		ck_assert(WIFEXITED(status));
		ck_assert_int_eq(WEXITSTATUS(status), 0);
	}
}
END_TEST

/* The next message is MSG_GAP: a gap asked for work of some cost (more
 * than nothing when costed: a reload's decoding and building, measured
 * the last time; the fake's snapshot parts may take under 1 usec). */
static void
expect_gap(int costed)
{
	uint64_t cost;
	size_t len;
	char *data = expect(MSG_GAP, &len);

	ck_assert_uint_eq(len, sizeof(cost));
	memcpy(&cost, data, sizeof(cost));
	free(data);
	if (costed)
		ck_assert_uint_gt(cost, 0);
}

/* The child says hello, starts on generation gen, answers and sends its
 * first snapshot. */
static void
started(unsigned gen)
{
	size_t len;

	free(expect(IPC_HELLO, &len));
	hand_over_and_start(gen);
	free(expect(MSG_STARTED, &len));
	free(expect(IPC_RELOAD_DONE, &len));
	free(expect(IPC_STATE, &len));
}

/*
 * A subsystem with deadlines of its own (proc_ops.gap) is asked where a
 * reload and a snapshot go, with what the last one took; a reload goes in
 * pieces (decoding, building, applying, freeing the configuration it
 * replaced), each asked for; one told to wait runs later, and the
 * messages that came after it wait behind it: a ping sent after a reload
 * is answered after the reload.
 */
START_TEST(runtime_waits_for_a_gap)
{
	struct ipc_reload_done done;
	char *data, first[128];
	size_t len;
	uint32_t flags, gen, type;
	int pong = 0, snap = 0;

	/* the start is not asked: nothing runs yet */
	started(5);

	/* the next two asks wait 50 ms: the reload's message (decoded and
	 * built in one piece: this child drops its tree, so each statement
	 * is built as it is decoded), its applying */
	run_command(1, 3, (char *[]){ "gap", "50", "2", NULL }, IPC_CMD_OK,
	    "gaps");
	hand_over_and_start(6);
	send_frame(IPC_PING, NULL, 0);
	expect_gap(1);
	expect_gap(0);
	data = expect(IPC_RELOAD_DONE, &len);
	memcpy(&done, data, sizeof(done));
	free(data);
	ck_assert_uint_eq(done.generation, 6);
	ck_assert_int_eq(done.status, 0);
	/* its snapshot, then freeing the old configuration */
	expect_gap(0);
	expect_gap(0);
	/* the ping, and what the reload said then the snapshot (its second
	 * part asked for a gap), in either order (none waited) */
	while (!pong || snap < 2) {
		type = recv_frame(&data, &len);
		if (type == IPC_PONG)
			pong++;
		else if (type != MSG_GAP) {
			ck_assert_uint_eq(type, IPC_STATE);
			state_records(data, len, &flags, &gen, first,
			    sizeof(first));
			if (snap++ == 0)
				ck_assert_str_eq(first, "thing b: ");
			else {
				ck_assert_uint_eq(flags, IPC_STATE_BEGIN |
				    IPC_STATE_END);
				ck_assert_uint_eq(gen, 6);
			}
		}
		free(data);
	}

	/* a snapshot request waits too, then its second part, and the dump
	 * asked after it waits for both */
	run_command(2, 3, (char *[]){ "gap", "50", "2", NULL }, IPC_CMD_OK,
	    "gaps");
	ask_snapshot(21);
	send_frame(IPC_DUMP_REQ, NULL, 0);
	expect_gap(0);
	expect_gap(0);
	data = expect(IPC_STATE, &len);
	ck_assert_uint_eq(state_records(data, len, &flags, &gen, first,
	    sizeof(first)), 2);
	ck_assert_uint_eq(flags, IPC_STATE_BEGIN | IPC_STATE_END);
	ck_assert_str_eq(first, "thing a: not started");
	ck_assert_uint_eq(answers, 21);
	free(data);
	/* the dump asked for a gap, then its second and third parts */
	expect_gap(0);
	expect_gap(0);
	expect_gap(0);
	data = expect(IPC_DUMP, &len);
	ck_assert_ptr_nonnull(strstr(data, "fake dump, generation 6"));
	free(data);
	/* told to run now, it does */
	ask_snapshot(22);
	expect_gap(0);
	expect_gap(0);
	free(expect(IPC_STATE, &len));
}
END_TEST

/*
 * A subsystem that asks the loop to sleep before a piece (proc_ops.pause:
 * the VRRP child under a realtime policy) is asked again when the sleep
 * ends, and the piece runs only once it says to: a reload told three
 * times to sleep first is asked a fourth time before it runs, and a ping
 * sent after it is answered after it.
 */
START_TEST(runtime_sleeps_before_a_piece)
{
	uint32_t type;
	size_t len;
	char *data;
	int pauses = 0, done = 0;

	started(5);

	run_command(1, 2, (char *[]){ "pause", "3", NULL }, IPC_CMD_OK,
	    "pauses");
	hand_over_and_start(6);
	send_frame(IPC_PING, NULL, 0);
	for (;;) {
		type = recv_frame(&data, &len);
		free(data);
		if (type == MSG_PAUSE)
			pauses++;
		else if (type == IPC_RELOAD_DONE) {
			/* three sleeps, then the ask that let it run (and
			 * maybe those of its later pieces) */
			ck_assert_int_ge(pauses, 4);
			done = 1;
		} else if (type == IPC_PONG)
			break;
		else
			ck_assert_uint_eq(type, IPC_STATE);
	}
	ck_assert_int_eq(done, 1);
}
END_TEST

/*
 * A dump in parts (proc_ops.dump_part): the request, then each part after
 * the first, waits for a gap (proc_ops.gap asked, with the longest part's
 * cost), the text
 * reaches the parent in one IPC_DUMP, as the one-piece dump writes it
 * (proc_ops.dump, on the same configuration), and a ping sent after the
 * dump request is answered after it.
 */
START_TEST(runtime_dumps_in_parts)
{
	struct vigil_config cfg = { .generation = 5 };
	char *data, *whole = NULL, *body;
	size_t len, wlen = 0;
	FILE *fp;

	started(5);

	run_command(1, 3, (char *[]){ "gap", "50", "2", NULL }, IPC_CMD_OK,
	    "gaps");
	send_frame(IPC_DUMP_REQ, NULL, 0);
	send_frame(IPC_PING, NULL, 0);
	expect_gap(0);
	expect_gap(0);
	expect_gap(0);
	data = expect(IPC_DUMP, &len);
	ck_assert_ptr_nonnull(fp = open_memstream(&whole, &wlen));
	fake_dump(NULL, &cfg, fp);
	fclose(fp);
	/* the runtime's line naming the child, then the subsystem's text */
	ck_assert_ptr_nonnull(body = memchr(data, '\n', len));
	body++;
	ck_assert_int_eq(strncmp(data, "------< fake child (pid ", 24), 0);
	ck_assert_uint_eq(len - (size_t)(body - data), wlen);
	ck_assert_int_eq(memcmp(body, whole, wlen), 0);
	free(whole);
	free(data);
	free(expect(IPC_PONG, &len));
}
END_TEST

/*
 * The parts of a start or a reload up to its answer: each in order, each
 * after an ask for a sleep before it (proc_ops.pause: the VRRP child
 * under vrrp_rt_priority blocks before a piece that would run it too
 * long), the answer (generation gen, status 0) after the last, and the
 * ping sent after the configuration answered after it.
 */
static void
expect_parts(char what, unsigned gen, const char *summary)
{
	struct ipc_reload_done done;
	unsigned part = 0, asked = 0;
	int answered = 0;
	uint32_t type;
	size_t len;
	char *data;

	for (;;) {
		type = recv_frame(&data, &len);
		if (type == MSG_PAUSE)
			asked++;
		else if (type == MSG_PART) {
			ck_assert_int_eq(answered, 0);
			ck_assert_uint_eq(len, 2);
			ck_assert_int_eq(data[0], what);
			ck_assert_int_eq(data[1], '0' + (int)part);
			ck_assert_msg(asked > 0, "part %u ran unasked", part);
			asked = 0;
			part++;
		} else if (type == IPC_RELOAD_DONE) {
			ck_assert_uint_eq(part, FAKE_PARTS);
			memcpy(&done, data, sizeof(done));
			ck_assert_uint_eq(done.generation, gen);
			ck_assert_int_eq(done.status, 0);
			ck_assert_str_eq(data + sizeof(done), summary);
			answered = 1;
		} else if (type == IPC_PONG) {
			ck_assert_int_eq(answered, 1);
			free(data);
			return;
		} else
			ck_assert_msg(type == MSG_STARTED || type == IPC_STATE,
			    "message %u", type);
		free(data);
	}
}

/*
 * A subsystem whose start and reloads go in parts (the VRRP child at
 * a thousand instances): each part runs in a turn of the loop of its
 * own, asked for first, in order, and the messages the parent sent
 * after the configuration wait behind the last: a ping is answered
 * after the start or the reload is.
 */
START_TEST(runtime_applies_in_parts)
{
	size_t len;

	free(expect(IPC_HELLO, &len));
	hand_over_and_start(5);
	send_frame(IPC_PING, NULL, 0);
	expect_parts('s', 5, "started");
	hand_over_and_start(6);
	send_frame(IPC_PING, NULL, 0);
	expect_parts('r', 6, "reloaded in 3 parts");
	/* and it runs generation 6: a dump says so */
	send_frame(IPC_DUMP_REQ, NULL, 0);
	for (;;) {
		uint32_t type;
		char *data;

		type = recv_frame(&data, &len);
		if (type == IPC_DUMP) {
			ck_assert_ptr_nonnull(strstr(data,
			    "fake dump, generation 6\n"));
			free(data);
			break;
		}
		free(data);
	}
}
END_TEST

START_TEST(runtime_refuses_garbage_configuration)
{
	struct ipc_reload rh = { 3 };
	struct ipc_reload_done done;
	char msg[sizeof(rh) + 8] = { 0 };
	char *data;
	size_t len;

	free(expect(IPC_HELLO, &len));
	memcpy(msg, &rh, sizeof(rh));
	memcpy(msg + sizeof(rh), "garbage!", 8);
	send_frame(IPC_RELOAD, msg, sizeof(msg));
	data = expect(IPC_RELOAD_DONE, &len);
	memcpy(&done, data, sizeof(done));
	free(data);
	ck_assert_uint_eq(done.generation, 3);
	ck_assert_int_eq(done.status, -1);
	/* still there, still not started: a good one starts it */
	send_frame(IPC_PING, NULL, 0);
	free(expect(IPC_PONG, &len));
	hand_over_and_start(4);
	free(expect(MSG_STARTED, &len));
	data = expect(IPC_RELOAD_DONE, &len);
	memcpy(&done, data, sizeof(done));
	free(data);
	ck_assert_int_eq(done.status, 0);
}
END_TEST

/* The child's exit status, waiting at most 5 s; -1 if it did not exit. */
static int
child_exit(void)
{
	int st;

	for (int i = 0; i < 500; i++) {
		pid_t r = waitpid(child, &st, WNOHANG);

		if (r == child) {
			child = 0;
			return WIFEXITED(st) ? WEXITSTATUS(st) : 128 +
			    WTERMSIG(st);
		}
		usleep(10000);
	}
	return -1;
}

/* The child is up and runs generation 5. */
static void
child_started(void)
{
	char *data;
	size_t len;

	free(expect(IPC_HELLO, &len));
	hand_over_and_start(5);
	free(expect(MSG_STARTED, &len));
	data = expect(IPC_RELOAD_DONE, &len);
	free(data);
}

/*
 * The parent's restart signal stops the child with both "leave in place"
 * flags set for its subsystem's stop (its VIPs and IPVS services stay for
 * the next child); SIGTERM stops it with the flags of its command line
 * (none here).
 */
START_TEST(runtime_restart_signal_keeps)
{
	child_started();
	ck_assert_int_eq(kill(child, proc_restart_signal()), 0);
	ck_assert_int_eq(child_exit(), FAKE_KEPT_STATUS +
	    (PROC_F_DONT_RELEASE_VRRP | PROC_F_DONT_RELEASE_IPVS));
}
END_TEST

START_TEST(runtime_sigterm_releases)
{
	child_started();
	ck_assert_int_eq(kill(child, SIGTERM), 0);
	ck_assert_int_eq(child_exit(), 0);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("proc");
	TCase *tc = tcase_create("proc");

	signal(SIGPIPE, SIG_IGN);
	log_init("test_proc", 0, 0, 0);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, runtime_speaks_the_protocol);
	tcase_add_test(tc, runtime_refuses_garbage_configuration);
	tcase_add_test(tc, runtime_waits_for_a_gap);
	tcase_add_test(tc, runtime_sleeps_before_a_piece);
	tcase_add_test(tc, runtime_dumps_in_parts);
	tcase_add_test(tc, runtime_restart_signal_keeps);
	tcase_add_test(tc, runtime_sigterm_releases);
	suite_add_tcase(s, tc);
	tc = tcase_create("parts");
	tcase_add_checked_fixture(tc, setup_parts, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, runtime_applies_in_parts);
	suite_add_tcase(s, tc);
	return check_run(s);
}

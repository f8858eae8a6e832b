/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "proc.h"

#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>

#include "ipc.h"
#include "log.h"
#include "loop.h"
#include "reap.h"
#include "subsys.h"

/* Bounds what the parent may hand over (records, in bytes). */
#define PROC_MAX_HANDOVER (256u * 1024 * 1024)

struct proc {
	const struct subsys *self;
	const struct proc_ops *ops;
	const struct subsys *const *tab;
	struct conf_registry *reg;
	struct proc_env env;
	struct vigil_config *cfg;	/* NULL until the first reload */
	struct ipc *ipc;
	void *state;
	struct event *sig_term;
	struct event *sig_int;
	struct ipc_objbuf handover;
	int handover_done;
	/* state records waiting to be sent */
	struct ipc_chunker out;
	int status;
	/* snapshot requests the subsystem holds (proc_ops.asked), and the
	 * dump requests that came after them: answered in that order by
	 * proc_snapshot_ready() */
	unsigned snap_held, dump_held;
	/* the snapshot after a reload or the start, sent from the loop once
	 * what the reload queued there has run (proc_snapshot_soon) */
	struct event *snap_ev;
};

static void
proc_stop(struct proc *p, const char *why)
{
	log_info("stopping: %s", why);
	event_base_loopexit(p->env.base, NULL);
}

static void
proc_on_signal(evutil_socket_t sig, short what, void *arg)
{
	struct proc *p = arg;

	(void)what;
	proc_stop(p, sig == SIGTERM ? "SIGTERM" : "SIGINT");
}

unsigned
proc_generation(const struct proc *p)
{
	return p->cfg != NULL ? p->cfg->generation : 0;
}

int
proc_send(struct proc *p, uint32_t type, const void *data, size_t len)
{
	if (type < IPC_SUBSYS_BASE || len > IPC_MAX_MSG) {
		errno = EINVAL;
		return -1;
	}
	return ipc_send(p->ipc, type, data, len);
}

static int
proc_ipc_send(void *arg, const void *buf, size_t len)
{
	struct proc *p = arg;

	return ipc_send(p->ipc, IPC_STATE, buf, len);
}

int
proc_state_add(struct proc *p, const struct ipc_obj *o)
{
	p->out.generation = proc_generation(p);
	return ipc_chunker_add(&p->out, o);
}

int
proc_state_flush(struct proc *p)
{
	if (p->out.buf.len == 0 && p->out.flags == 0)
		return 0;
	p->out.generation = proc_generation(p);
	return ipc_chunker_send(&p->out, 0);
}

struct conf_snap {
	struct proc *p;
	unsigned generation;
	int rc;
};

static void
proc_conf_object(void *arg, const char *kind, const char *name)
{
	struct conf_snap *cs = arg;
	struct ipc_obj o = { .kind = kind, .name = name,
	    .state = "not started", .detail = "", .generation = cs->generation,
	    .weight = IPC_OBJ_NO_WEIGHT, .since = (uint64_t)time(NULL) };

	if (proc_state_add(cs->p, &o) < 0)
		cs->rc = -1;
}

/* Every object, from IPC_STATE_BEGIN to IPC_STATE_END. */
static void
proc_snapshot(struct proc *p)
{
	/* records added since the last flush go first: a snapshot holds
	 * every state, but not what the subsystem said besides (an override
	 * a reload dropped) */
	if (proc_state_flush(p) < 0)
		log_err("state records: cannot send: %s", strerror(errno));
	ipc_objbuf_reset(&p->out.buf);
	p->out.flags = IPC_STATE_BEGIN;
	p->out.generation = proc_generation(p);
	if (p->ops->snapshot != NULL)
		p->ops->snapshot(p->state, p->cfg, p);
	else {
		struct conf_snap cs = { p, proc_generation(p), 0 };

		vconfig_objects(p->self, p->cfg, proc_conf_object, &cs);
		if (cs.rc < 0)
			log_err("state snapshot: out of memory");
	}
	if (ipc_chunker_send(&p->out, IPC_STATE_END) < 0)
		log_err("state snapshot: cannot send: %s", strerror(errno));
}

static void
proc_snap_cb(evutil_socket_t fd, short what, void *arg)
{
	struct proc *p = arg;

	(void)fd;
	(void)what;
	if (p->cfg != NULL)
		proc_snapshot(p);
}

/*
 * The snapshot that follows a reload, from the loop: a timer of no delay
 * fires once the events the reload made active there have run, and those
 * they made active in turn (the checker child attaches its changed real
 * servers in a slice, which makes the commit of the desired table to its
 * backend active again), so a snapshot of every object (110,000 at 10,000
 * virtual servers x 10, 100-200 ms) no longer stands between the new
 * generation and the kernel. Reloads in a row share one.
 */
static void
proc_snapshot_soon(struct proc *p)
{
	if (p->snap_ev == NULL ||
	    event_add(p->snap_ev, &(struct timeval){ 0, 0 }) < 0)
		proc_snapshot(p);
}

/*
 * Diagnostics while applying a tree from the parent. The parent validated
 * the same text and logged its warnings, so only errors (which mean the
 * child cannot take the configuration) are logged; the first is kept for
 * the reply.
 */
struct proc_diag {
	char first[256];
};

static void
proc_diag(void *arg, enum conf_sev sev, const struct conf_loc *loc,
    const char *msg)
{
	struct proc_diag *pd = arg;

	if (sev != CONF_ERR)
		return;
	if (loc != NULL && loc->file != NULL) {
		log_err("%s:%u: %s", loc->file, loc->line, msg);
		if (pd->first[0] == '\0')
			snprintf(pd->first, sizeof(pd->first), "%s:%u: %s",
			    loc->file, loc->line, msg);
	} else {
		log_err("%s", msg);
		if (pd->first[0] == '\0')
			snprintf(pd->first, sizeof(pd->first), "%s", msg);
	}
}

static void
proc_reply(struct proc *p, uint32_t generation, int32_t status,
    const char *text)
{
	struct ipc_reload_done r = { generation, status };
	size_t tlen = strlen(text);
	char buf[sizeof(r) + 1024];

	if (tlen > sizeof(buf) - sizeof(r))
		tlen = sizeof(buf) - sizeof(r);
	memcpy(buf, &r, sizeof(r));
	memcpy(buf + sizeof(r), text, tlen);
	ipc_send(p->ipc, IPC_RELOAD_DONE, buf, sizeof(r) + tlen);
	/* on its way now, not after the work the reload queued on the
	 * loop (a large one's slices) */
	(void)ipc_flush(p->ipc, 0);
}

/* The first configuration: start the subsystem on it. */
static int
proc_start(struct proc *p, struct vigil_config *cfg, char *msg, size_t len)
{
	struct proc_handover h = { p->handover.data, p->handover.len,
	    p->handover.count };

	p->state = p->ops->start(&p->env, cfg, &h);
	ipc_objbuf_free(&p->handover);
	p->handover_done = 1;
	if (p->state == NULL) {
		snprintf(msg, len, "the %s subsystem failed to start",
		    p->self->name);
		return -1;
	}
	p->cfg = cfg;
	snprintf(msg, len, "started");
	return 0;
}

static void
proc_reload(struct proc *p, const void *data, size_t len)
{
	struct ipc_reload hdr;
	struct conf_tree *tree;
	struct vigil_config *next;
	struct proc_diag pd = { "" };
	struct conf_diag d = { .emit = proc_diag, .arg = &pd };
	unsigned cur = proc_generation(p);
	struct timespec t0;
	char msg[512];
	int rc;

	if (len < sizeof(hdr)) {
		log_err("reload: short message from the parent (%zu bytes); "
		    "keeping generation %u", len, cur);
		proc_reply(p, 0, -1, "short reload message");
		return;
	}
	memcpy(&hdr, data, sizeof(hdr));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	/* a child that drops its tree builds each statement as it is
	 * decoded and never holds the whole tree */
	if (p->ops->drop_tree)
		rc = vconfig_from_encoded(p->tab, p->reg,
		    (const char *)data + sizeof(hdr), len - sizeof(hdr),
		    subsys_child_owners(p->reg, p->self), p->cfg != NULL ?
		    p->cfg->path : NULL, &d, &next);
	else
		rc = conf_tree_decode((const char *)data + sizeof(hdr),
		    len - sizeof(hdr), &tree) < 0 ? -2 : 0;
	if (rc == -2) {
		log_err("reload: configuration generation %u from the parent "
		    "is malformed (%zu bytes); keeping generation %u",
		    hdr.generation, len, cur);
		proc_reply(p, hdr.generation, -1,
		    "malformed configuration message");
		return;
	}
	if (!p->ops->drop_tree) {
		log_debug("decoded generation %u (%zu bytes) in %.1f ms",
		    hdr.generation, len, subsys_ms_since(&t0));
		rc = vconfig_from_tree(p->tab, p->reg, tree,
		    subsys_child_owners(p->reg, p->self), p->cfg != NULL ?
		    p->cfg->path : NULL, &d, &next);
	}
	if (rc < 0) {
		log_err("reload: configuration generation %u rejected (%u "
		    "error(s)); keeping generation %u", hdr.generation, d.nerr,
		    cur);
		proc_reply(p, hdr.generation, -1,
		    pd.first[0] != '\0' ? pd.first : "rejected");
		return;
	}
	next->generation = hdr.generation;
	msg[0] = '\0';
	if (p->cfg == NULL) {
		if (proc_start(p, next, msg, sizeof(msg)) < 0) {
			log_err("%s", msg);
			vconfig_free(next);
			proc_reply(p, hdr.generation, -1, msg);
			p->status = 1;
			proc_stop(p, "could not start");
			return;
		}
		log_info("running configuration generation %u", cur =
		    next->generation);
	} else if (p->ops->reload(p->state, p->cfg, next, msg,
	    sizeof(msg)) < 0) {
		log_err("reload: %s; keeping generation %u", msg, cur);
		vconfig_free(next);
		proc_reply(p, hdr.generation, -1, msg);
		return;
	} else {
		vconfig_free(p->cfg);
		p->cfg = next;
		log_info("reloaded configuration generation %u: %s",
		    next->generation, msg);
	}
	proc_reply(p, hdr.generation, 0, msg);
	proc_snapshot_soon(p);
}

static void
proc_handover(struct proc *p, const void *data, size_t len)
{
	struct ipc_state h;
	const char *q;
	size_t left;
	struct ipc_obj o;
	int r;

	if (p->handover_done || len < sizeof(h)) {
		log_err("ipc: unexpected hand-over (%zu bytes) from the "
		    "parent; ignored", len);
		return;
	}
	memcpy(&h, data, sizeof(h));
	q = (const char *)data + sizeof(h);
	left = len - sizeof(h);
	if (p->handover.len + left > PROC_MAX_HANDOVER) {
		log_err("ipc: hand-over larger than %u bytes; the rest is "
		    "dropped", PROC_MAX_HANDOVER);
		return;
	}
	/* keep only well-formed records */
	while ((r = ipc_obj_next(&q, &left, &o)) > 0)
		if (ipc_obj_put(&p->handover, &o) < 0) {
			log_err("hand-over: out of memory");
			return;
		}
	if (r < 0)
		log_err("ipc: malformed record in the hand-over; the rest of "
		    "that message is dropped");
}

static void
proc_dump(struct proc *p)
{
	char *text = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&text, &len);

	if (fp == NULL) {
		log_err("state dump: %s", strerror(errno));
		return;
	}
	fprintf(fp, "------< %s child (pid %d) >------\n", p->self->name,
	    (int)getpid());
	if (p->cfg != NULL)
		p->ops->dump(p->state, p->cfg, fp);
	else
		fprintf(fp, " Not started: waiting for its configuration\n");
	fclose(fp);
	if (len > IPC_MAX_DUMP) {
		static const char cut[] = "\n... dump cut at the size limit\n";

		memcpy(text + IPC_MAX_DUMP - sizeof(cut) + 1, cut,
		    sizeof(cut) - 1);
		len = IPC_MAX_DUMP;
	}
	ipc_send(p->ipc, IPC_DUMP, text, len);
	free(text);
}

void
proc_snapshot_ready(struct proc *p)
{
	unsigned snaps = p->snap_held, dumps = p->dump_held;

	p->snap_held = p->dump_held = 0;
	/* one per request: the parent counts snapshots to know which
	 * answers its request (a request held shares the others' wait) */
	while (snaps-- > 0)
		if (p->cfg != NULL)
			proc_snapshot(p);
	while (dumps-- > 0)
		proc_dump(p);
}

/* A runtime command: run it through the subsystem and answer once. */
static void
proc_command(struct proc *p, const void *data, size_t len)
{
	const char *argv[IPC_CMD_MAX_ARGS + 1];
	struct ipc_cmd h = { 0, 0 };
	struct ipc_cmd_reply r;
	char *text = NULL, *msg;
	size_t tlen = 0;
	FILE *out;
	int argc;

	argc = ipc_cmd_decode(data, len, &h, argv, IPC_CMD_MAX_ARGS);
	if ((out = open_memstream(&text, &tlen)) == NULL) {
		log_err("ipc: runtime command: out of memory");
		return;
	}
	if (argc < 0) {
		r.status = IPC_CMD_EUSAGE;
		fprintf(out, "malformed command message (%zu bytes)", len);
	} else if (strcmp(argv[0], "reopen-logs") == 0) {
		/* every child's, whatever it runs (vigilctl reopen-logs) */
		log_reopen();
		r.status = IPC_CMD_OK;
		fprintf(out, "logs reopened");
	} else if (p->state == NULL || p->ops->command == NULL) {
		r.status = IPC_CMD_EUNKNOWN;
		fprintf(out, "%s: not a command of the %s child%s", argv[0],
		    p->self->name, p->state == NULL ? " (not started)" : "");
	} else {
		argv[argc] = NULL;
		r.status = p->ops->command(p->state, argc, argv, out);
		if (r.status == IPC_CMD_EUNKNOWN && ftell(out) == 0)
			fprintf(out, "%s: not a command of the %s child",
			    argv[0], p->self->name);
	}
	if (fclose(out) != 0 || text == NULL) {
		free(text);
		log_err("ipc: runtime command: out of memory");
		return;
	}
	if (tlen > IPC_MAX_MSG - sizeof(r))
		tlen = IPC_MAX_MSG - sizeof(r);
	r.id = h.id;
	if ((msg = malloc(sizeof(r) + tlen)) != NULL) {
		memcpy(msg, &r, sizeof(r));
		memcpy(msg + sizeof(r), text, tlen);
		if (ipc_send(p->ipc, IPC_CMD_REPLY, msg, sizeof(r) + tlen) < 0)
			log_err("ipc: could not answer runtime command %u",
			    h.id);
		free(msg);
	}
	free(text);
}

static void
proc_on_msg(struct ipc *c, uint32_t type, const void *data, size_t len,
    void *arg)
{
	struct proc *p = arg;
	int held;

	switch (type) {
	case IPC_HANDOVER:
		proc_handover(p, data, len);
		break;
	case IPC_RELOAD:
		proc_reload(p, data, len);
		break;
	case IPC_DUMP_REQ:
		if (p->snap_held > 0)
			p->dump_held++;	/* after the snapshot it follows */
		else
			proc_dump(p);
		break;
	case IPC_SNAPSHOT_REQ:
		if (p->snap_held > 0) {
			p->snap_held++;	/* answered with the one held */
			break;
		}
		if (p->cfg != NULL && p->state != NULL &&
		    p->ops->asked != NULL &&
		    (held = p->ops->asked(p->state)) > 0) {
			struct ipc_held h = { (uint32_t)held };

			if (h.msec > IPC_HELD_MAX_MSEC)
				h.msec = IPC_HELD_MAX_MSEC;
			p->snap_held = 1;
			ipc_send(c, IPC_SNAPSHOT_HELD, &h, sizeof(h));
			break;
		}
		if (p->cfg != NULL)
			proc_snapshot(p);
		break;
	case IPC_CMD:
		proc_command(p, data, len);
		break;
	case IPC_PING:
		ipc_send(c, IPC_PONG, NULL, 0);
		break;
	default:
		if (type >= IPC_SUBSYS_BASE && p->state != NULL &&
		    p->ops->dispatch != NULL &&
		    p->ops->dispatch(p->state, type, data, len) == 0)
			break;
		log_warn("ipc: unexpected message type %u (%zu bytes) from the "
		    "parent; ignored", type, len);
		break;
	}
}

static void
proc_on_close(struct ipc *c, const char *reason, void *arg)
{
	(void)c;
	proc_stop(arg, reason);
}

/* Signals the parent handles and a child must survive. */
static void
proc_ignore_signals(void)
{
	const int ignored[] = { SIGPIPE, SIGHUP, SIGUSR1, SIGUSR2 };

	for (size_t i = 0; i < sizeof(ignored) / sizeof(ignored[0]); i++)
		signal(ignored[i], SIG_IGN);
	/* vigild's extra signals (STATS_CLEAR, JSON) are real-time ones */
	for (int s = SIGRTMIN; s <= SIGRTMAX; s++)
		signal(s, SIG_IGN);
}

int
proc_main(const struct subsys *const *tab, const struct subsys *self,
    int ipc_fd, const sigset_t *mask, pid_t parent, unsigned flags)
{
	struct proc p = { .self = self, .ops = self->proc, .tab = tab };
	struct ipc_hello hello = { IPC_VERSION, (uint32_t)self->owner,
	    (int32_t)getpid() };
	char title[16];

	log_set_role(self->name);
	/* Follow the parent: if it dies, so do we. */
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	snprintf(title, sizeof(title), "vigild-%s", self->name);
	prctl(PR_SET_NAME, title);
	proc_ignore_signals();

	p.env.proc = &p;
	p.env.flags = flags;
	p.out.send = proc_ipc_send;
	p.out.arg = &p;
	p.env.base = loop_new();
	if (p.env.base == NULL) {
		log_err("cannot create the event loop");
		close(ipc_fd);
		return 1;
	}
	p.reg = subsys_registry_new(tab);
	p.env.reaper = reaper_new(p.env.base);
	p.ipc = ipc_new(p.env.base, ipc_fd, proc_on_msg, proc_on_close, &p);
	p.sig_term = evsignal_new(p.env.base, SIGTERM, proc_on_signal, &p);
	p.sig_int = evsignal_new(p.env.base, SIGINT, proc_on_signal, &p);
	p.snap_ev = event_new(p.env.base, -1, 0, proc_snap_cb, &p);
	if (p.reg == NULL || p.env.reaper == NULL || p.ipc == NULL ||
	    p.sig_term == NULL || p.sig_int == NULL || p.snap_ev == NULL ||
	    event_add(p.sig_term, NULL) < 0 || event_add(p.sig_int, NULL) < 0) {
		log_err("cannot set up the child runtime");
		p.status = 1;
		goto out;
	}
	/* handlers are in place: let the signals held since fork through */
	sigprocmask(SIG_SETMASK, mask, NULL);
	if (getppid() != parent) {
		log_err("parent exited before the child started");
		p.status = 1;
		goto out;
	}
	ipc_send(p.ipc, IPC_HELLO, &hello, sizeof(hello));

	event_base_dispatch(p.env.base);

	if (p.state != NULL)
		p.ops->stop(p.state);
	ipc_flush(p.ipc, 200);
	log_info("stopped");
out:
	if (p.sig_term != NULL)
		event_free(p.sig_term);
	if (p.sig_int != NULL)
		event_free(p.sig_int);
	if (p.snap_ev != NULL)
		event_free(p.snap_ev);
	if (p.ipc != NULL)
		ipc_free(p.ipc);
	reaper_free(p.env.reaper);
	event_base_free(p.env.base);
	vconfig_free(p.cfg);
	ipc_objbuf_free(&p.handover);
	ipc_objbuf_free(&p.out.buf);
	conf_registry_free(p.reg);
	return p.status;
}

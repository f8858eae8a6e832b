/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "autoconfig.h"

#include "proc.h"

#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>

#include "global_conf.h"
#include "ipc.h"
#include "log.h"
#include "loop.h"
#include "reap.h"
#include "subsys.h"

/* Bounds what the parent may hand over (records, in bytes). */
#define PROC_MAX_HANDOVER (256u * 1024 * 1024)

/*
 * Diagnostics while applying a tree from the parent. The parent validated
 * the same text and logged its warnings, so only errors (which mean the
 * child cannot take the configuration) are logged; the first is kept for
 * the reply.
 */
struct proc_diag {
	char first[256];
};

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
	struct event *sig_restart;
	unsigned flags;		/* the command line's PROC_F_* */
	struct ipc_objbuf handover;
	int handover_done;
	/* state records waiting to be sent */
	struct ipc_chunker out;
	int status;
	/* a snapshot request the subsystem holds (proc_ops.asked), the last
	 * request that joined it (the held snapshot answers up to there),
	 * and the dump requests that came after them: answered in that order
	 * by proc_snapshot_ready() */
	int snap_held;
	uint32_t snap_held_seq;
	unsigned dump_held;
	/* the snapshot after a reload or the start, sent from the loop once
	 * what the reload queued there has run (proc_snapshot_soon) */
	struct event *snap_ev;
	/* a reload or snapshot request waiting for a gap (proc_ops.gap),
	 * first, and the messages that came after it, in order; what the
	 * last reload and snapshot took (usec) */
	struct proc_msg *held, **held_tail;
	int held_due;			/* the first held waited its gap */
	struct event *held_ev;
	uint64_t reload_cost, snap_cost;
	/* a reload with a gap to wait for goes in four pieces, each in a
	 * gap of its own: decoding (the message waited), building (tree:
	 * the tree decoded), applying (next: the configuration built), then
	 * freeing the configuration it replaced (old); the messages after
	 * it wait. Building and applying go in parts of about
	 * PROC_PART_USEC each, in gaps of their own (build: the statements
	 * applied so far; applying: a start or a reload under way, with
	 * the subsystem's cursor and the summary it writes); their costs are
	 * their longest part's */
	int step;
	/* decoding in parts: the message's copy and the decoder */
	void *dec_buf;
	size_t dec_len;
	struct conf_decoder *dec;
	double dec_ms;
	uint64_t decode_cost;
	struct conf_tree *tree;
	unsigned tree_gen;
	struct vigil_config *next, *old;
	uint64_t build_cost, apply_cost, free_cost;
	int building;
	struct vconfig_build build;
	struct conf_diag build_d;
	struct proc_diag build_pd;
	int applying;			/* PROC_APPLY_* */
	void *apply_cursor;
	uint64_t apply_max;
	char apply_msg[512];
	/* a snapshot in parts (proc_ops.snapshot_part) under way: where the
	 * next part starts; snap_cost is then its longest part's */
	int snap_parts;
	void *snap_cursor;
	uint64_t snap_part_max;
	/* a dump in parts (proc_ops.dump_part) under way: its text so far,
	 * where the next part starts, the longest part (usec) */
	int dump_parts;
	FILE *dump_fp;
	char *dump_text;
	size_t dump_len;
	void *dump_cursor;
	uint64_t dump_part_max;
	struct event *dump_ev;
};

enum {
	PROC_STEP_NONE, PROC_STEP_DECODE, PROC_STEP_BUILD, PROC_STEP_APPLY,
	PROC_STEP_FREE
};
enum { PROC_APPLY_NONE, PROC_APPLY_START, PROC_APPLY_RELOAD };

struct proc_msg {
	struct proc_msg *next;
	uint32_t type;
	size_t len;
	unsigned char data[];
};

static void
proc_stop(struct proc *p, const char *why)
{
	log_info("stopping: %s", why);
	event_base_loopexit(p->env.base, NULL);
}

int
proc_restart_signal(void)
{
	/* the parent's own real-time signals are SIGRTMIN + 2 and + 3
	 * (--signum); a child ignores every other one */
	return SIGRTMIN + 6;
}

static void
proc_on_signal(evutil_socket_t sig, short what, void *arg)
{
	struct proc *p = arg;

	(void)what;
	if (sig == proc_restart_signal()) {
		p->env.flags = p->flags | PROC_F_DONT_RELEASE_VRRP |
		    PROC_F_DONT_RELEASE_IPVS;
		proc_stop(p, "restarted by the parent (what this child put "
		    "in the kernel stays for the next one)");
		return;
	}
	/* a stop for good, after a restart's too: -V and -I as given */
	p->env.flags = p->flags;
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

static int
proc_ipc_send2(void *arg, const void *hdr, size_t hlen, const void *body,
    size_t blen)
{
	struct proc *p = arg;

	return ipc_send2(p->ipc, IPC_STATE, hdr, hlen, body, blen);
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
	uint64_t now;	/* read once: a system call under User-Mode Linux */
};

static void
proc_conf_object(void *arg, const char *kind, const char *name)
{
	struct conf_snap *cs = arg;
	struct ipc_obj o = { .kind = kind, .name = name,
	    .state = "not started", .detail = "", .generation = cs->generation,
	    .weight = IPC_OBJ_NO_WEIGHT, .since = cs->now };

	if (proc_state_add(cs->p, &o) < 0)
		cs->rc = -1;
}

static void proc_snapshot_more(struct proc *p, int whole);
static int proc_hold(struct proc *p, uint32_t type, const void *data,
    size_t len);
static int proc_sleep_first(struct proc *p, struct event *ev, uint64_t cost);
static uint64_t proc_msg_cost(const struct proc *p, uint32_t type);
static void proc_held_kick(struct proc *p);
static uint64_t proc_gap(struct proc *p, uint64_t cost);

/* Every object, from IPC_STATE_BEGIN to IPC_STATE_END; answers: the last
 * snapshot request it answers, 0 for none. In parts
 * (proc_ops.snapshot_part) unless whole. */
static void
proc_snapshot(struct proc *p, uint32_t answers, int whole)
{
	uint64_t t0 = loop_now_usec();

	/* records added since the last flush go first: a snapshot holds
	 * every state, but not what the subsystem said besides (an override
	 * a reload dropped) */
	if (proc_state_flush(p) < 0)
		log_err("state records: cannot send: %s", strerror(errno));
	ipc_objbuf_reset(&p->out.buf);
	p->out.flags = IPC_STATE_BEGIN;
	p->out.generation = proc_generation(p);
	p->out.answers = answers;
	if (p->ops->snapshot_part != NULL && p->state != NULL) {
		p->snap_parts = 1;
		p->snap_cursor = NULL;
		p->snap_part_max = 0;
		proc_snapshot_more(p, whole);
		return;
	}
	if (p->ops->snapshot != NULL)
		p->ops->snapshot(p->state, p->cfg, p);
	else {
		struct conf_snap cs = { p, proc_generation(p), 0,
		    (uint64_t)time(NULL) };

		vconfig_objects(p->self, p->cfg, proc_conf_object, &cs);
		if (cs.rc < 0)
			log_err("state snapshot: out of memory");
	}
	if (ipc_chunker_send(&p->out, IPC_STATE_END) < 0)
		log_err("state snapshot: cannot send: %s", strerror(errno));
	p->out.answers = 0;	/* events answer nothing */
	p->snap_cost = loop_now_usec() - t0;
}

/*
 * A part of a snapshot or a dump, begun at t0, ended: its time counted in
 * *max (the longest part). With more to come, the next from ev in the
 * subsystem's next gap: 1. 0: no timer (ev NULL, or it could not be
 * armed; the rest now), or nothing left.
 */
static int
proc_part_done(struct proc *p, struct event *ev, uint64_t t0, uint64_t *max,
    int more)
{
	uint64_t took = loop_now_usec() - t0;
	struct timeval tv;

	if (took > *max)
		*max = took;
	if (!more || ev == NULL)
		return 0;
	tv = loop_tv(proc_gap(p, *max));
	return event_add(ev, &tv) == 0;
}

/* The next part of a snapshot in parts; the one after it in the next gap,
 * or the end. */
static void
proc_snapshot_more(struct proc *p, int whole)
{
	uint64_t t0 = loop_now_usec();
	int more = p->ops->snapshot_part(p->state, p->cfg, p,
	    &p->snap_cursor);

	if (proc_part_done(p, whole ? NULL : p->snap_ev, t0,
	    &p->snap_part_max, more))
		return;
	if (more) {
		/* whole, or no timer: the rest now */
		while (p->ops->snapshot_part(p->state, p->cfg, p,
		    &p->snap_cursor))
			;
	}
	if (ipc_chunker_send(&p->out, IPC_STATE_END) < 0)
		log_err("state snapshot: cannot send: %s", strerror(errno));
	p->out.answers = 0;	/* events answer nothing */
	p->snap_parts = 0;
	p->snap_cost = p->snap_part_max;
	proc_held_kick(p);
}

/* How long the subsystem would have the loop sleep before work of cost
 * usec (proc_ops.pause); 0: now. */
static uint64_t
proc_pause(struct proc *p, uint64_t cost)
{
	uint64_t wait;

	if (p->state == NULL || p->ops->pause == NULL)
		return 0;
	wait = p->ops->pause(p->state, cost);
	return wait < PROC_GAP_MAX_USEC ? wait : PROC_GAP_MAX_USEC;
}

/* How long work of cost usec waits for a gap of the subsystem's deadlines
 * (proc_ops.gap), or else the sleep it asks before it; 0: now. */
static uint64_t
proc_gap(struct proc *p, uint64_t cost)
{
	uint64_t wait = 0;

	if (p->state != NULL && p->ops->gap != NULL)
		wait = p->ops->gap(p->state, cost);
	if (wait == 0)
		return proc_pause(p, cost);
	return wait < PROC_GAP_MAX_USEC ? wait : PROC_GAP_MAX_USEC;
}

/* A piece's timer fired: 1 if the subsystem asks the loop to sleep before
 * it first (ev armed again), 0 to run it. */
static int
proc_sleep_first(struct proc *p, struct event *ev, uint64_t cost)
{
	uint64_t wait = proc_pause(p, cost);
	struct timeval tv;

	if (wait == 0)
		return 0;
	tv = loop_tv(wait);
	return event_add(ev, &tv) == 0;
}

static void
proc_snap_cb(evutil_socket_t fd, short what, void *arg)
{
	struct proc *p = arg;

	(void)fd;
	(void)what;
	if (proc_sleep_first(p, p->snap_ev, p->snap_parts ? p->snap_part_max :
	    p->snap_cost))
		return;
	if (p->snap_parts)
		proc_snapshot_more(p, 0);
	else if (p->cfg != NULL)
		proc_snapshot(p, 0, 0);
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
	struct timeval tv = loop_tv(proc_gap(p, p->snap_cost));

	if (p->snap_ev == NULL || event_add(p->snap_ev, &tv) < 0)
		proc_snapshot(p, 0, 1);
}

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

/* The child's name (comm): global_defs' (vrrp_process_name,
 * checker_process_name, process_names) or vigild-<subsystem>. */
static void
proc_set_name(const struct subsys *self, const struct global_conf *g)
{
	const char *name = global_process_name(g, self->name);
	char title[16];

	if (name == NULL) {
		snprintf(title, sizeof(title), "vigild-%s", self->name);
		name = title;
	}
	prctl(PR_SET_NAME, name);
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

/* A reload message that does not decode: refused whole, the running
 * generation kept. */
static void
proc_malformed(struct proc *p, unsigned gen, size_t len)
{
	log_err("reload: configuration generation %u from the parent is "
	    "malformed (%zu bytes); keeping generation %u", gen, len,
	    proc_generation(p));
	proc_reply(p, gen, -1, "malformed configuration message");
}

static void proc_decode(struct proc *p);
static void proc_build(struct proc *p);
static void proc_apply(struct proc *p);
static void proc_build_encoded(struct proc *p, unsigned gen, const char *data,
    size_t len);
static void proc_free_old(struct proc *p);

/* Whether a reload can go in pieces, each in a gap of its own. */
static int
proc_parts(const struct proc *p)
{
	return p->state != NULL && (p->ops->gap != NULL ||
	    p->ops->pause != NULL) && p->held_ev != NULL;
}

/* The next piece of a reload in the subsystem's next gap (proc_held_cb
 * runs it): 0, or -1 when it is to run now (no gap to wait for). */
static int
proc_step(struct proc *p, int step, uint64_t cost)
{
	struct timeval tv;

	if (!proc_parts(p))
		return -1;
	tv = loop_tv(proc_gap(p, cost));
	if (event_add(p->held_ev, &tv) < 0)
		return -1;
	p->step = step;
	return 0;
}

static void
proc_reload(struct proc *p, const void *data, size_t len)
{
	struct ipc_reload hdr;
	struct conf_tree *tree;
	unsigned cur = proc_generation(p);
	struct timespec t0;

	if (len < sizeof(hdr)) {
		log_err("reload: short message from the parent (%zu bytes); "
		    "keeping generation %u", len, cur);
		proc_reply(p, 0, -1, "short reload message");
		return;
	}
	memcpy(&hdr, data, sizeof(hdr));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	/* a child that drops its tree builds each statement as it is
	 * decoded and never holds the whole tree: one step */
	if (p->ops->drop_tree) {
		proc_build_encoded(p, hdr.generation,
		    (const char *)data + sizeof(hdr), len - sizeof(hdr));
		return;
	}
	p->tree_gen = hdr.generation;
	len -= sizeof(hdr);
	/* decoded in parts too, from a copy of the message, when the
	 * pieces wait for gaps */
	if (proc_parts(p) && (p->dec_buf = malloc(len > 0 ? len : 1)) !=
	    NULL) {
		memcpy(p->dec_buf, (const char *)data + sizeof(hdr), len);
		p->dec_len = len + sizeof(hdr);
		if (conf_tree_decode_begin(p->dec_buf, len, &p->dec) < 0) {
			free(p->dec_buf);
			p->dec_buf = NULL;
			proc_malformed(p, hdr.generation, len + sizeof(hdr));
			return;
		}
		p->dec_ms = subsys_ms_since(&t0);
		proc_decode(p);
		return;
	}
	if (conf_tree_decode((const char *)data + sizeof(hdr), len,
	    &tree) < 0) {
		proc_malformed(p, hdr.generation, len + sizeof(hdr));
		return;
	}
	log_debug("decoded generation %u (%zu bytes) in %.1f ms",
	    hdr.generation, len + sizeof(hdr), subsys_ms_since(&t0));
	p->tree = tree;
	if (proc_step(p, PROC_STEP_BUILD, p->build_cost) < 0)
		proc_build(p);
}

/* A part of decoding the message proc_reload copied: the statements of
 * about PROC_PART_USEC, the next part in the next gap; then building. */
static void
proc_decode(struct proc *p)
{
	struct timespec t0;
	uint64_t u0 = loop_now_usec(), took;
	int rc;

	p->step = PROC_STEP_NONE;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	rc = conf_tree_decode_step(p->dec, PROC_PART_USEC);
	took = loop_now_usec() - u0;
	if (took > p->decode_cost)
		p->decode_cost = took;
	p->dec_ms += subsys_ms_since(&t0);
	if (rc > 0 && proc_step(p, PROC_STEP_DECODE, p->decode_cost) == 0)
		return;
	/* the rest now (no gap to wait for), or what a failed step left */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	rc = conf_tree_decode_end(p->dec, &p->tree);
	p->dec = NULL;
	p->dec_ms += subsys_ms_since(&t0);
	free(p->dec_buf);
	p->dec_buf = NULL;
	if (rc < 0) {
		proc_malformed(p, p->tree_gen, p->dec_len);
		return;
	}
	log_debug("decoded generation %u (%zu bytes) in %.1f ms, in parts of "
	    "at most %.1f ms", p->tree_gen, p->dec_len, p->dec_ms,
	    (double)p->decode_cost / 1e3);
	if (proc_step(p, PROC_STEP_BUILD, p->build_cost) < 0)
		proc_build(p);
}

static void proc_built(struct proc *p, unsigned gen, int rc,
    struct vigil_config *next, const struct conf_diag *d,
    const struct proc_diag *pd);

/* A part of the typed configuration of the tree proc_reload decoded:
 * the statements of about PROC_PART_USEC, the next part in the next gap;
 * all of them at once when there is no gap to wait for. */
static void
proc_build(struct proc *p)
{
	struct vigil_config *next = NULL;
	uint64_t t0 = loop_now_usec(), took;
	int rc, more = 0;

	p->step = PROC_STEP_NONE;
	if (!p->building) {
		p->build_pd.first[0] = '\0';
		p->build_d = (struct conf_diag){ .emit = proc_diag,
		    .arg = &p->build_pd };
		rc = vconfig_build_begin(&p->build, p->tab, p->reg, p->tree,
		    subsys_child_owners(p->reg, p->self), p->cfg != NULL ?
		    p->cfg->path : NULL, &p->build_d);
		p->tree = NULL;
		if (rc < 0) {
			p->build_cost = loop_now_usec() - t0;
			proc_built(p, p->tree_gen, -1, NULL, &p->build_d,
			    &p->build_pd);
			return;
		}
		p->building = 1;
		p->build_cost = 0;
	}
	if (vconfig_build_step(&p->build, PROC_PART_USEC)) {
		took = loop_now_usec() - t0;
		if (took > p->build_cost)
			p->build_cost = took;
		if (proc_step(p, PROC_STEP_BUILD, p->build_cost) == 0)
			return;
		more = 1;	/* no gap to wait for: the rest now */
	}
	p->building = 0;
	rc = vconfig_build_end(&p->build, &next);
	took = loop_now_usec() - t0;
	if (more || took > p->build_cost)
		p->build_cost = took;
	proc_built(p, p->tree_gen, rc, next, &p->build_d, &p->build_pd);
}

/* A generation built (rc 0: next) or rejected: applied next, or answered
 * as rejected. */
static void
proc_built(struct proc *p, unsigned gen, int rc, struct vigil_config *next,
    const struct conf_diag *d, const struct proc_diag *pd)
{
	if (rc < 0) {
		log_err("reload: configuration generation %u rejected (%u "
		    "error(s)); keeping generation %u", gen, d->nerr,
		    proc_generation(p));
		proc_reply(p, gen, -1,
		    pd->first[0] != '\0' ? pd->first : "rejected");
		return;
	}
	next->generation = gen;
	p->next = next;
	if (proc_step(p, PROC_STEP_APPLY, p->apply_cost) < 0)
		proc_apply(p);
}

/* The typed configuration of an encoded generation, each statement built
 * as it is decoded (a child that drops its tree). */
static void
proc_build_encoded(struct proc *p, unsigned gen, const char *data,
    size_t len)
{
	struct vigil_config *next = NULL;
	struct proc_diag pd = { "" };
	struct conf_diag d = { .emit = proc_diag, .arg = &pd };
	uint64_t t0 = loop_now_usec();
	int rc = vconfig_from_encoded(p->tab, p->reg, data, len,
	    subsys_child_owners(p->reg, p->self), p->cfg != NULL ?
	    p->cfg->path : NULL, &d, &next);

	p->build_cost = loop_now_usec() - t0;
	if (rc == -2)
		proc_malformed(p, gen, len);
	else
		proc_built(p, gen, rc, next, &d, &pd);
}

/* The first part of applying p->next: the start, or the reload (whole, or
 * its first part); 1 while parts remain, 0 done, -1 failed (answered). */
static int
proc_apply_first(struct proc *p)
{
	struct vigil_config *next = p->next;
	unsigned cur = proc_generation(p);
	int rc;

	p->apply_msg[0] = '\0';
	p->apply_cursor = NULL;
	p->apply_max = 0;
	if (p->cfg == NULL) {
		if (proc_start(p, next, p->apply_msg,
		    sizeof(p->apply_msg)) < 0) {
			log_err("%s", p->apply_msg);
			proc_reply(p, next->generation, -1, p->apply_msg);
			p->next = NULL;
			vconfig_free(next);
			p->status = 1;
			proc_stop(p, "could not start");
			return -1;
		}
		p->applying = PROC_APPLY_START;
		return p->ops->start_part != NULL;
	}
	p->applying = PROC_APPLY_RELOAD;
	rc = p->ops->reload_part != NULL ? p->ops->reload_part(p->state,
	    p->cfg, next, p->apply_msg, sizeof(p->apply_msg),
	    &p->apply_cursor) : p->ops->reload(p->state, p->cfg, next,
	    p->apply_msg, sizeof(p->apply_msg));
	if (rc < 0) {
		log_err("reload: %s; keeping generation %u", p->apply_msg, cur);
		proc_reply(p, next->generation, -1, p->apply_msg);
		p->next = NULL;
		p->applying = PROC_APPLY_NONE;
		vconfig_free(next);
	}
	return rc;
}

/* The next part of a start or a reload under way: 1 while more remain. */
static int
proc_apply_more(struct proc *p)
{
	if (p->applying == PROC_APPLY_START)
		return p->ops->start_part(p->state, &p->apply_cursor) > 0;
	return p->ops->reload_part(p->state, p->cfg, p->next, p->apply_msg,
	    sizeof(p->apply_msg), &p->apply_cursor) > 0;
}

/* The start or the reload done: answered, its snapshot on its way, the
 * configuration it replaced freed next. */
static void
proc_applied(struct proc *p)
{
	struct vigil_config *next = p->next, *old = NULL;

	p->next = NULL;
	proc_set_name(p->self, next->conf[CONF_OWNER_GLOBAL]);
	if (p->applying == PROC_APPLY_START)
		log_info("running configuration generation %u",
		    next->generation);
	else {
		old = p->cfg;
		p->cfg = next;
		log_info("reloaded configuration generation %u: %s",
		    next->generation, p->apply_msg);
	}
	p->applying = PROC_APPLY_NONE;
	proc_reply(p, next->generation, 0, p->apply_msg);
	proc_snapshot_soon(p);
	p->apply_cost = p->apply_max;
	if (old == NULL)
		return;
	p->old = old;
	if (proc_step(p, PROC_STEP_FREE, p->free_cost) < 0)
		proc_free_old(p);
}

/*
 * A part of applying the configuration proc_reload built (p->next): the
 * start or the reload, with the parts the subsystem cuts it into
 * (proc_ops.start_part, reload_part), each in a gap of its own; all of
 * them at once when there is no gap to wait for.
 */
static void
proc_apply(struct proc *p)
{
	uint64_t t0 = loop_now_usec(), took;
	int more;

	p->step = PROC_STEP_NONE;
	more = p->applying == PROC_APPLY_NONE ? proc_apply_first(p) :
	    proc_apply_more(p);
	if (more < 0)
		return;
	took = loop_now_usec() - t0;
	if (took > p->apply_max)
		p->apply_max = took;
	if (more > 0 && proc_step(p, PROC_STEP_APPLY, p->apply_max) == 0)
		return;
	while (more > 0)	/* no gap to wait for: the rest now */
		more = proc_apply_more(p);
	proc_applied(p);
}

static void
proc_free_old(struct proc *p)
{
	uint64_t t0 = loop_now_usec();

	vconfig_free(p->old);
	p->old = NULL;
	p->step = PROC_STEP_NONE;
	p->free_cost = loop_now_usec() - t0;
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

/* The dump written (p->dump_fp), cut at the size limit, to the parent. */
static void
proc_dump_send(struct proc *p)
{
	char *text;
	size_t len;

	fclose(p->dump_fp);
	p->dump_fp = NULL;
	text = p->dump_text;
	len = p->dump_len;
	p->dump_text = NULL;
	if (len > IPC_MAX_DUMP) {
		static const char cut[] = "\n... dump cut at the size limit\n";

		memcpy(text + IPC_MAX_DUMP - sizeof(cut) + 1, cut,
		    sizeof(cut) - 1);
		len = IPC_MAX_DUMP;
	}
	ipc_send(p->ipc, IPC_DUMP, text, len);
	free(text);
}

/* The next part of a dump in parts; the one after it in the next gap, or
 * the dump sent. */
static void
proc_dump_more(struct proc *p)
{
	uint64_t t0 = loop_now_usec();
	int more = p->ops->dump_part(p->state, p->cfg, p->dump_fp,
	    &p->dump_cursor);

	if (proc_part_done(p, p->dump_ev, t0, &p->dump_part_max, more))
		return;
	if (more) {
		/* no timer: the rest now */
		while (p->ops->dump_part(p->state, p->cfg, p->dump_fp,
		    &p->dump_cursor))
			;
	}
	proc_dump_send(p);
	p->dump_parts = 0;
	proc_held_kick(p);
}

static void
proc_dump_cb(evutil_socket_t fd, short what, void *arg)
{
	struct proc *p = arg;

	(void)fd;
	(void)what;
	if (proc_sleep_first(p, p->dump_ev, p->dump_part_max))
		return;
	proc_dump_more(p);
}

/* The state dump (IPC_DUMP_REQ): whole, or in parts when the subsystem
 * has them (proc_ops.dump_part), the first now. */
static void
proc_dump(struct proc *p)
{
	p->dump_fp = open_memstream(&p->dump_text, &p->dump_len);
	if (p->dump_fp == NULL) {
		log_err("state dump: %s", strerror(errno));
		return;
	}
	fprintf(p->dump_fp, "------< %s child (pid %d) >------\n",
	    p->self->name, (int)getpid());
	if (p->cfg == NULL)
		fprintf(p->dump_fp,
		    " Not started: waiting for its configuration\n");
	else if (p->ops->dump_part != NULL && p->dump_ev != NULL) {
		p->dump_parts = 1;
		p->dump_cursor = NULL;
		proc_dump_more(p);
		return;
	} else
		p->ops->dump(p->state, p->cfg, p->dump_fp);
	proc_dump_send(p);
}

void
proc_snapshot_ready(struct proc *p)
{
	unsigned dumps = p->dump_held;
	int held = p->snap_held;

	p->snap_held = 0;
	p->dump_held = 0;
	/* one snapshot answers the request held and those that joined it:
	 * it names the last (a snapshot the loop sent meanwhile, after a
	 * reload, names none and answers nothing) */
	if (held && p->cfg != NULL)
		proc_snapshot(p, p->snap_held_seq, 1);
	while (dumps-- > 0)
		if (!p->dump_parts)
			proc_dump(p);
		else if (proc_hold(p, IPC_DUMP_REQ, NULL, 0) < 0)
			log_err("state dump: out of memory");
}

/* IPC_SNAPSHOT_REQ: answered now, or held by the subsystem (the parent
 * is told), or joining the one held. */
static void
proc_snapshot_asked(struct proc *p, const void *data, size_t len)
{
	struct ipc_snap_req req;
	int held;

	if (len != sizeof(req)) {
		log_err("ipc: malformed snapshot request (%zu bytes) from the "
		    "parent; ignored", len);
		return;
	}
	memcpy(&req, data, sizeof(req));
	if (p->snap_held) {
		p->snap_held_seq = req.seq;	/* answered with the one held */
		return;
	}
	if (p->cfg == NULL)
		return;		/* the parent asks only a child that runs */
	if (p->state != NULL && p->ops->asked != NULL &&
	    (held = p->ops->asked(p->state)) > 0) {
		struct ipc_held h = { (uint32_t)held, req.seq };

		if (h.msec > IPC_HELD_MAX_MSEC)
			h.msec = IPC_HELD_MAX_MSEC;
		p->snap_held = 1;
		p->snap_held_seq = req.seq;
		ipc_send(p->ipc, IPC_SNAPSHOT_HELD, &h, sizeof(h));
		return;
	}
	proc_snapshot(p, req.seq, 0);
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

/* Another child's objects the subsystem follows; before the start (the
 * parent sends them all again once it is answered) they are dropped. */
static void
proc_peer_state(struct proc *p, const void *data, size_t len)
{
	const char *at = (const char *)data + sizeof(struct ipc_state);
	size_t left;
	struct ipc_obj o;
	int rc;

	if (len < sizeof(struct ipc_state)) {
		log_warn("ipc: short peer state message; ignored");
		return;
	}
	if (p->state == NULL || p->ops->peer_state == NULL)
		return;
	left = len - sizeof(struct ipc_state);
	while ((rc = ipc_obj_next(&at, &left, &o)) == 1)
		p->ops->peer_state(p->state, &o);
	if (rc < 0)
		log_warn("ipc: malformed peer state record; the rest ignored");
}

static void
proc_take(struct proc *p, uint32_t type, const void *data, size_t len)
{
	struct ipc *c = p->ipc;
	uint64_t t0;

	switch (type) {
	case IPC_HANDOVER:
		proc_handover(p, data, len);
		break;
	case IPC_RELOAD:
		t0 = loop_now_usec();
		proc_reload(p, data, len);
		p->reload_cost = loop_now_usec() - t0;
		break;
	case IPC_DUMP_REQ:
		if (p->snap_held)
			p->dump_held++;	/* after the snapshot it follows */
		else
			proc_dump(p);
		break;
	case IPC_SNAPSHOT_REQ:
		proc_snapshot_asked(p, data, len);
		break;
	case IPC_CMD:
		proc_command(p, data, len);
		break;
	case IPC_PING:
		ipc_send(c, IPC_PONG, NULL, 0);
		break;
	case IPC_PEER_STATE:
		proc_peer_state(p, data, len);
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

/* 1 if a message of type waits for a gap (proc_held_cb takes it). */
static int
proc_wait(struct proc *p, uint32_t type)
{
	uint64_t wait, cost = proc_msg_cost(p, type);
	struct timeval tv;

	if (cost == UINT64_MAX)
		return 0;
	wait = proc_gap(p, cost);
	if (wait == 0 || p->held_ev == NULL)
		return 0;
	tv = loop_tv(wait);
	if (event_add(p->held_ev, &tv) < 0)
		return 0;
	log_debug("%s waits %.1f ms for a gap (the last took %.1f ms)",
	    type == IPC_RELOAD ? "a reload" : type == IPC_DUMP_REQ ?
	    "a dump" : "a snapshot", wait / 1e3, cost / 1e3);
	return 1;
}

static int
proc_hold(struct proc *p, uint32_t type, const void *data, size_t len)
{
	struct proc_msg *m = malloc(sizeof(*m) + len);

	if (m == NULL)
		return -1;
	m->next = NULL;
	m->type = type;
	m->len = len;
	if (len > 0)
		memcpy(m->data, data, len);
	*p->held_tail = m;
	p->held_tail = &m->next;
	return 0;
}

/* What a message that waits for a gap cost last time (usec): a reload, a
 * snapshot (its longest part), a dump in parts (its longest part);
 * UINT64_MAX: one that does not wait. */
static uint64_t
proc_msg_cost(const struct proc *p, uint32_t type)
{
	if (type == IPC_RELOAD)
		return p->reload_cost;
	if (type == IPC_SNAPSHOT_REQ && p->snap_held == 0)
		return p->snap_cost;
	if (type == IPC_DUMP_REQ && p->snap_held == 0 && p->cfg != NULL &&
	    p->ops->dump_part != NULL)
		return p->dump_part_max;
	return UINT64_MAX;
}

/* What the held timer runs next cost last time (usec): the reload's piece,
 * or the message that waited for a gap; UINT64_MAX: nothing that waits. */
static uint64_t
proc_held_cost(const struct proc *p)
{
	switch (p->step) {
	case PROC_STEP_DECODE:
		return p->decode_cost;
	case PROC_STEP_BUILD:
		return p->build_cost;
	case PROC_STEP_APPLY:
		/* the longest part so far of the one under way */
		return p->applying != PROC_APPLY_NONE ? p->apply_max :
		    p->apply_cost;
	case PROC_STEP_FREE:
		return p->free_cost;
	}
	if (!p->held_due || p->held == NULL)
		return UINT64_MAX;
	return proc_msg_cost(p, p->held->type);
}

/* The message that waited for a gap, then those behind it (a reload or
 * snapshot request among them may wait in turn). */
static void
proc_held_cb(evutil_socket_t fd, short what, void *arg)
{
	struct proc *p = arg;
	struct proc_msg *m;
	uint64_t cost = proc_held_cost(p);
	int first = p->held_due;

	(void)fd;
	(void)what;
	if (cost != UINT64_MAX && proc_sleep_first(p, p->held_ev, cost))
		return;
	p->held_due = 0;
	if (p->step == PROC_STEP_DECODE) {
		proc_decode(p);
		first = 0;
	} else if (p->step == PROC_STEP_BUILD) {
		proc_build(p);
		first = 0;
	} else if (p->step == PROC_STEP_APPLY) {
		proc_apply(p);
		first = 0;
	} else if (p->step == PROC_STEP_FREE) {
		proc_free_old(p);
		first = 0;
	}
	/* a piece of a reload or a snapshot under way: the rest after it */
	while (p->step == PROC_STEP_NONE && !p->snap_parts && !p->dump_parts &&
	    (m = p->held) != NULL) {
		if (!first && proc_wait(p, m->type)) {
			p->held_due = 1;
			return;
		}
		first = 0;
		if ((p->held = m->next) == NULL)
			p->held_tail = &p->held;
		proc_take(p, m->type, m->data, m->len);
		free(m);
	}
}

/* A snapshot in parts ended: what waited behind it, from the loop. */
static void
proc_held_kick(struct proc *p)
{
	if (p->held != NULL && p->held_ev != NULL &&
	    !event_pending(p->held_ev, EV_TIMEOUT, NULL))
		event_add(p->held_ev, &(struct timeval){ 0, 0 });
}

static void
proc_held_free(struct proc *p)
{
	struct proc_msg *m;

	while ((m = p->held) != NULL) {
		p->held = m->next;
		free(m);
	}
	p->held_tail = &p->held;
}

static void
proc_on_msg(struct ipc *c, uint32_t type, const void *data, size_t len,
    void *arg)
{
	struct proc *p = arg;

	(void)c;
	/* behind a message, a reload or a snapshot waiting for a gap or
	 * under way, or waiting itself; out of memory: taken now */
	if (p->held == NULL && p->step == PROC_STEP_NONE && !p->snap_parts &&
	    !p->dump_parts) {
		if (!proc_wait(p, type)) {
			proc_take(p, type, data, len);
			return;
		}
		p->held_due = 1;
	}
	if (proc_hold(p, type, data, len) < 0)
		proc_take(p, type, data, len);
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

	log_set_role(self->name);
	/* Follow the parent: if it dies, so do we. */
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	proc_set_name(self, NULL);
	proc_ignore_signals();

	p.env.proc = &p;
	p.env.flags = p.flags = flags;
	p.held_tail = &p.held;
	p.out.send = proc_ipc_send;
	p.out.send2 = proc_ipc_send2;
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
	p.sig_restart = evsignal_new(p.env.base, proc_restart_signal(),
	    proc_on_signal, &p);
	p.snap_ev = event_new(p.env.base, -1, 0, proc_snap_cb, &p);
	p.held_ev = event_new(p.env.base, -1, 0, proc_held_cb, &p);
	p.dump_ev = event_new(p.env.base, -1, 0, proc_dump_cb, &p);
	if (p.reg == NULL || p.env.reaper == NULL || p.ipc == NULL ||
	    p.sig_term == NULL || p.sig_int == NULL ||
	    p.sig_restart == NULL || p.snap_ev == NULL ||
	    p.held_ev == NULL || p.dump_ev == NULL ||
	    event_add(p.sig_term, NULL) < 0 || event_add(p.sig_int, NULL) < 0 ||
	    event_add(p.sig_restart, NULL) < 0) {
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
	if (p.sig_restart != NULL)
		event_free(p.sig_restart);
	if (p.snap_ev != NULL)
		event_free(p.snap_ev);
	if (p.held_ev != NULL)
		event_free(p.held_ev);
	if (p.dump_ev != NULL)
		event_free(p.dump_ev);
	if (p.dump_fp != NULL)
		fclose(p.dump_fp);
	free(p.dump_text);
	proc_held_free(&p);
	conf_tree_decode_abort(p.dec);
	free(p.dec_buf);
	conf_tree_free(p.tree);
	if (p.building)
		vconfig_build_abort(&p.build);
	/* a start under way runs p.next already (p.cfg) */
	if (p.applying != PROC_APPLY_START)
		vconfig_free(p.next);
	vconfig_free(p.old);
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

void
proc_sched_apply(const char *who, int nice, int no_swap,
    unsigned long long mask, const char *cpus)
{
	if (nice != 0 && setpriority(PRIO_PROCESS, 0, nice) < 0)
		log_warn("%s_priority %d: %s", who, nice, strerror(errno));
	if (no_swap && mlockall(MCL_CURRENT | MCL_FUTURE) < 0)
		log_warn("%s_no_swap: %s", who, strerror(errno));
	if (mask != 0) {
		cpu_set_t set;

		CPU_ZERO(&set);
		for (unsigned i = 0; i < 64; i++)
			if (mask & (1ULL << i))
				CPU_SET(i, &set);
		if (sched_setaffinity(0, sizeof(set), &set) < 0)
			log_warn("%s_cpu_affinity %s: %s", who,
			    cpus != NULL ? cpus : "", strerror(errno));
	}
}

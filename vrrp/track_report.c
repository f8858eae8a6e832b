/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the VRRP child reports to the parent of its tracked objects: one
 * state record per vrrp_script, track_file and track_process, and one
 * per BFD session the BFD child told it of (vrrp_track_bfd: up or down
 * as the VRRP child sees it), with the attrs docs/state.md lists, sent
 * when its state changes and in every snapshot. The SNMP agent's
 * vrrpScriptTable, vrrpFileTable, vrrpProcessTable and vrrpBfdTable read
 * them.
 */
#include "autoconfig.h"

#include <limits.h>
#include <string.h>
#include <time.h>

#include "ipc_msg.h"
#include "proc.h"
#include "vrrp/track_priv.h"

enum { REP_INIT, REP_UP, REP_DOWN, REP_DISABLED };

static const char *const script_states[] = { "init", "good", "bad",
	"disabled" };
static const char *const updown_states[] = { "init", "up", "down",
	"disabled" };

/* Send o unless it was reported in this state and value (all: always). */
static void
put(struct proc *p, struct tobj *t, const char *kind, const char *state,
    int st, long long value, const struct ipc_attrs *a, int all)
{
	struct ipc_obj o = {
		.kind = kind,
		.name = t->name,
		.state = state,
		.detail = "",
		.weight = IPC_OBJ_NO_WEIGHT,
		.since = (uint64_t)time(NULL),
		.attrs = a->buf,
	};

	if (!all && t->reported && t->rep_state == st &&
	    t->rep_value == value)
		return;
	o.generation = proc_generation(p);
	if (proc_state_add(p, &o) < 0)
		return;
	t->reported = 1;
	t->rep_state = st;
	t->rep_value = value;
}

static void
common(struct ipc_attrs *a, const struct tobj *o)
{
	ipc_attrs_add(a, "weight", "%d", o->weight);
	ipc_attrs_add(a, "reverse", "%d", o->reverse != 0);
}

/* A BFD session: sent unless reported up or down as it is (all: always). */
static void
put_bfd(struct proc *p, struct tbfd *b, int all)
{
	static struct ipc_attrs a;
	struct ipc_obj o = {
		.kind = "vrrp_track_bfd",
		.name = b->name,
		.state = b->up ? "up" : "down",
		.detail = "",
		.weight = IPC_OBJ_NO_WEIGHT,
		.since = (uint64_t)time(NULL),
	};

	if (!all && b->reported && b->rep_up == b->up)
		return;
	ipc_attrs_init(&a);
	ipc_attrs_add(&a, "session", "%s", b->state);
	o.attrs = a.buf;
	o.generation = proc_generation(p);
	if (proc_state_add(p, &o) < 0)
		return;
	b->reported = 1;
	b->rep_up = b->up;
}

void
vrrp_track_report(struct vrrp_track *t, struct proc *p, int all)
{
	static struct ipc_attrs a;	/* 8 KiB: off the stack */
	int st;

	if (t == NULL || p == NULL)
		return;
	for (struct tscript *s = t->script_list; s != NULL; s = s->next) {
		st = s->o.disabled ? REP_DISABLED : !s->has_result ? REP_INIT :
		    s->up ? REP_UP : REP_DOWN;
		ipc_attrs_init(&a);
		common(&a, &s->o);
		ipc_attrs_add(&a, "rise", "%d", s->rise);
		ipc_attrs_add(&a, "fall", "%d", s->fall);
		ipc_attrs_add(&a, "result", "%d", s->result);
		if (s->last_status >= 0)
			ipc_attrs_add(&a, "last_status", "%d", s->last_status);
		ipc_attrs_add(&a, "runs", "%u", s->runs);
		put(p, &s->o, "vrrp_script", script_states[st], st, s->result,
		    &a, all);
	}
	for (struct tfile *f = t->file_list; f != NULL; f = f->next) {
		st = f->o.disabled ? REP_DISABLED : f->wd < 0 ? REP_DOWN :
		    REP_UP;
		ipc_attrs_init(&a);
		common(&a, &f->o);
		ipc_attrs_add(&a, "value", "%lld", (long long)f->value);
		if (f->path != NULL)
			ipc_attrs_add(&a, "path", "%s", f->path);
		put(p, &f->o, "vrrp_track_file", updown_states[st], st,
		    (long long)f->value, &a, all);
	}
	for (struct tproc *q = t->proc_list; q != NULL; q = q->next) {
		st = q->o.disabled ? REP_DISABLED : !q->started ? REP_INIT :
		    q->up ? REP_UP : REP_DOWN;
		ipc_attrs_init(&a);
		common(&a, &q->o);
		ipc_attrs_add(&a, "count", "%u", q->count);
		ipc_attrs_add(&a, "quorum", "%u", q->quorum);
		if (q->quorum_max != UINT_MAX)
			ipc_attrs_add(&a, "quorum_max", "%u", q->quorum_max);
		put(p, &q->o, "vrrp_track_process", updown_states[st], st,
		    q->count, &a, all);
	}
	for (struct tbfd *b = t->bfd_list; b != NULL; b = b->next)
		put_bfd(p, b, all);
}

void
vrrp_track_report_bfd(struct vrrp_track *t, struct proc *p,
    const char *name)
{
	if (t == NULL || p == NULL)
		return;
	for (struct tbfd *b = t->bfd_list; b != NULL; b = b->next)
		if (strcmp(b->name, name) == 0) {
			put_bfd(p, b, 1);
			proc_state_flush(p);
			return;
		}
}

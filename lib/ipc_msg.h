/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The messages the parent and its children exchange over ipc (lib/ipc.h
 * frames them). The generic ones are spoken by the child runtime
 * (lib/proc.c) and the parent (daemon/); a subsystem's own messages take
 * types from IPC_SUBSYS_BASE up and are dispatched to its ops.
 *
 * Object records (struct ipc_obj) carry what the parent's state store
 * keeps of a child's objects (a VRRP instance, a virtual or real server):
 * state events and snapshots from the child, and the hand-over the parent
 * gives a (re)started child (last known states, runtime overrides).
 */
#ifndef VIGIL_IPC_MSG_H
#define VIGIL_IPC_MSG_H

#include <stddef.h>
#include <stdint.h>

#define IPC_VERSION 4
/* A state dump a child sends is cut to this size. */
#define IPC_MAX_DUMP (64u * 1024 * 1024)
/* Every other message a child sends fits in this (state records are sent
 * in chunks of at most this size). */
#define IPC_MAX_MSG (64u * 1024)

enum ipc_type {
	IPC_HELLO = 1,		/* child->parent: struct ipc_hello, child is up */
	IPC_RELOAD,		/* parent->child: struct ipc_reload, then
				 * conf_tree_encode() bytes. The first one a
				 * child gets starts its subsystem. */
	IPC_RELOAD_DONE,	/* child->parent: struct ipc_reload_done, then
				 * a one-line summary or the errors */
	IPC_DUMP_REQ,		/* parent->child: empty */
	IPC_DUMP,		/* child->parent: text of the state dump */
	IPC_PING,		/* either way: empty; answered by IPC_PONG */
	IPC_PONG,
	IPC_HANDOVER,		/* parent->child, before the first IPC_RELOAD:
				 * struct ipc_state, then ipc_obj records (the
				 * last known states and the runtime
				 * overrides, IPC_OBJ_OVERRIDE); sent in chunks,
				 * IPC_STATE_END on the last */
	IPC_STATE,		/* child->parent: struct ipc_state, then
				 * ipc_obj records; a record flagged only
				 * IPC_OBJ_OVERRIDE (weight IPC_OBJ_NO_WEIGHT)
				 * says the child dropped that object's
				 * override (a reload changed the object);
				 * flagged IPC_OBJ_OVERRIDE and some of
				 * IPC_OBJ_VRRP_SETTINGS, that it dropped
				 * those parts only */
	IPC_SNAPSHOT_REQ,	/* parent->child: struct ipc_snap_req;
				 * answered by IPC_STATE chunks from
				 * IPC_STATE_BEGIN to _END whose answers
				 * is its seq (or a later request's) */
	IPC_CMD,		/* parent->child: struct ipc_cmd, then argc
				 * NUL-terminated strings (a runtime command
				 * from vigilctl, SNMP) */
	IPC_CMD_REPLY,		/* child->parent: struct ipc_cmd_reply, then
				 * the reply text (no NUL) */
	IPC_SNAPSHOT_HELD,	/* child->parent: struct ipc_held; the
				 * snapshot asked for by request seq waits
				 * for work of the child's (a counters
				 * round) and comes within that bound */
	IPC_PEER_STATE,		/* parent->child: struct ipc_state, then
				 * ipc_obj records of another child's objects
				 * of the kinds the child follows (struct
				 * subsys follows): their events, and all of
				 * them after each start and reload */
	/* a subsystem's own messages, both ways: its ops dispatch them */
	IPC_SUBSYS_BASE = 1000,
};

struct ipc_hello {
	uint32_t version;	/* IPC_VERSION */
	uint32_t owner;		/* the subsystem's configuration owner */
	int32_t pid;
};

struct ipc_reload {
	uint32_t generation;	/* configuration generation being sent */
};

/*
 * Snapshot requests are numbered by the parent, per child, from 1 up
 * (0 is never a request: it wraps to 1). A snapshot names the last
 * request it answers (struct ipc_state.answers), so the parent tells the
 * one it waits for from a snapshot the child sent of its own accord (after
 * a start or a reload), whatever their order. The child answers requests
 * in order; one snapshot may answer several (those that joined a held
 * one): it answers every request up to its own.
 */
struct ipc_snap_req {
	uint32_t seq;
};

struct ipc_held {
	uint32_t msec;		/* the hold's bound, at most IPC_HELD_MAX_MSEC */
	uint32_t seq;		/* the request held */
};
#define IPC_HELD_MAX_MSEC (60u * 1000)

struct ipc_reload_done {
	uint32_t generation;	/* as in the IPC_RELOAD answered */
	int32_t status;		/* 0: running it; -1: kept the old one */
};

/*
 * Runtime commands. argv[0] names the command ("drain", "set-weight",
 * "force-backup", ...); the child that owns the object runs it and answers
 * once with the same id. The text says what was done, or why not, in one
 * or a few lines an operator reads.
 */
#define IPC_CMD_MAX_ARGS 32
enum ipc_cmd_status {
	IPC_CMD_OK = 0,
	IPC_CMD_EUSAGE,		/* malformed arguments */
	IPC_CMD_ENOENT,		/* no such object */
	IPC_CMD_EFAIL,		/* could not be done (text says why) */
	IPC_CMD_EUNKNOWN,	/* the child has no such command */
	IPC_CMD_EGONE,		/* parent side: the child went away or did
				 * not answer in time */
};
struct ipc_cmd {
	uint32_t id;		/* chosen by the parent, echoed in the reply */
	uint32_t argc;		/* 1..IPC_CMD_MAX_ARGS */
};
struct ipc_cmd_reply {
	uint32_t id;
	int32_t status;		/* enum ipc_cmd_status */
};
const char *ipc_cmd_status_name(int status);
/* Encode argv into a malloc'd IPC_CMD payload; NULL when out of memory or
 * argc is out of range. */
void *ipc_cmd_encode(uint32_t id, int argc, char *const argv[], size_t *len);
/* Decode an IPC_CMD payload: argv points into data (at most max entries).
 * Returns argc, or -1 if malformed. */
int ipc_cmd_decode(const void *data, size_t len, struct ipc_cmd *h,
    const char **argv, int max);

/* Header of IPC_STATE and IPC_HANDOVER. */
enum {
	IPC_STATE_BEGIN = 1u << 0,	/* first chunk of a snapshot: it
					 * replaces every object the parent
					 * holds for the child */
	IPC_STATE_END = 1u << 1,	/* last chunk of a snapshot / hand-over */
};
struct ipc_state {
	uint32_t flags;		/* IPC_STATE_*; neither: events */
	uint32_t generation;	/* configuration generation the child runs */
	uint32_t answers;	/* a snapshot's chunks: the last request
				 * (struct ipc_snap_req.seq) it answers; 0:
				 * none (sent after a start or a reload), and
				 * in events and hand-overs */
};

/* Request a is b or later, on the wrapping 32-bit numbering. */
static inline int
ipc_seq_ge(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) >= 0;
}

/* One object. Strings are NUL-terminated and never NULL. */
enum {
	IPC_OBJ_OVERRIDE = 1u << 0,	/* a runtime override, not a state */
	IPC_OBJ_DRAIN = 1u << 1,	/* override: drained (weight 0) */
	IPC_OBJ_ADDED = 1u << 2,	/* override: a real server added at
					 * runtime (add-real); attrs hold
					 * virtual_server=VS and its words
					 * after REAL as arg= lines, in
					 * order */
	IPC_OBJ_REMOVED = 1u << 3,	/* override: a configured real
					 * server removed at runtime */
	IPC_OBJ_FORCED_BACKUP = 1u << 4,	/* override: a VRRP instance
						 * held BACKUP (force-backup) */
	IPC_OBJ_PRIORITY = 1u << 5,	/* override: a VRRP instance's base
					 * priority set at runtime
					 * (set-priority), in weight */
	IPC_OBJ_PREEMPT_ON = 1u << 6,	/* override: set-preempt on */
	IPC_OBJ_PREEMPT_OFF = 1u << 7,	/* override: set-preempt off */
	IPC_OBJ_COUNTERS = 1u << 8,	/* child->parent, alone: not a state
					 * but counters of an object the
					 * parent holds; its attrs replace
					 * those keys' values (added when
					 * missing), the rest is kept; state,
					 * detail, weight, since unused */
};
/* The parts of a VRRP instance's override that a reload changing the
 * instance drops (force-backup stays until released). */
#define IPC_OBJ_VRRP_SETTINGS (IPC_OBJ_PRIORITY | IPC_OBJ_PREEMPT_ON | \
	IPC_OBJ_PREEMPT_OFF)
#define IPC_OBJ_NO_WEIGHT INT32_MIN
#define IPC_OBJ_MAX_STR 1024	/* longest string in a record */
#define IPC_OBJ_MAX_ATTRS 8192	/* longest attrs of a record */

struct ipc_obj {
	const char *kind;	/* "vrrp_instance", "virtual_server", ... */
	const char *name;	/* unique within kind in one child */
	const char *state;	/* "not started", "MASTER", "up", ... */
	const char *detail;	/* why, last result; "" if none */
	uint32_t generation;	/* configuration generation it belongs to */
	uint32_t flags;		/* IPC_OBJ_* */
	int32_t weight;		/* IPC_OBJ_NO_WEIGHT: none */
	uint64_t since;		/* wall-clock seconds of the last change */
	/*
	 * What else the object shows (priority, VIPs, counters, latency):
	 * "key=value" lines joined by '\n', keys [a-z0-9_], values free text
	 * without '\n'; "" if none. docs/state.md names the keys of each
	 * kind: vigilctl, JSON, Prometheus and SNMP read them there.
	 */
	const char *attrs;
};

/*
 * Building attrs: a fixed buffer; what does not fit is dropped whole
 * (never half a line) and counted.
 */
struct ipc_attrs {
	char buf[IPC_OBJ_MAX_ATTRS];
	size_t len;
	unsigned dropped;
};
void ipc_attrs_init(struct ipc_attrs *a);
/* Append key=value (printf format). A '\n' in the value becomes ' '. */
void ipc_attrs_add(struct ipc_attrs *a, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Reading: the value of key copied into val (cut to vlen), 1 if found,
 * 0 if not. */
int ipc_attrs_get(const char *attrs, const char *key, char *val,
    size_t vlen);
/* Walk: *p starts at attrs; each call gives one key and value (pointers
 * into attrs with lengths). 1, or 0 at the end. */
int ipc_attrs_next(const char **p, const char **key, size_t *klen,
    const char **val, size_t *vlen);

/* A growing buffer of records (malloc). */
struct ipc_objbuf {
	char *data;
	size_t len, cap;
	unsigned count;
};

/* Append one record (strings longer than IPC_OBJ_MAX_STR are cut).
 * 0, or -1 when out of memory. */
int ipc_obj_put(struct ipc_objbuf *b, const struct ipc_obj *o);
void ipc_objbuf_reset(struct ipc_objbuf *b);
void ipc_objbuf_free(struct ipc_objbuf *b);
/*
 * Read the next record from *p (left bytes); advances both. The strings of
 * o point into the buffer. Returns 1 for a record, 0 at the end, -1 for a
 * malformed record (the buffer came from another process: never trusted).
 */
int ipc_obj_next(const char **p, size_t *left, struct ipc_obj *o);

/*
 * Records travel in messages (IPC_STATE, IPC_HANDOVER) of a struct
 * ipc_state header and as many records as fit in IPC_MAX_MSG bytes.
 * send is called with each whole message.
 */
typedef int ipc_msg_send_fn(void *arg, const void *buf, size_t len);
/* The same message as its header and its records, sent without joining
 * them into one buffer first (a start's 110,000 reports are 50 MB). */
typedef int ipc_msg_send2_fn(void *arg, const void *hdr, size_t hlen,
    const void *body, size_t blen);
struct ipc_chunker {
	struct ipc_objbuf buf;
	uint32_t flags;		/* of the next message; cleared once sent */
	uint32_t generation;
	uint32_t answers;	/* struct ipc_state.answers of the messages */
	ipc_msg_send_fn *send;
	ipc_msg_send2_fn *send2;	/* used instead of send when set */
	void *arg;
};
/* Queue o; sends what was queued first if o would not fit. 0 or -1. */
int ipc_chunker_add(struct ipc_chunker *c, const struct ipc_obj *o);
/* Send what is queued (even nothing) with extra flags. 0 or -1. */
int ipc_chunker_send(struct ipc_chunker *c, uint32_t flags);

#endif

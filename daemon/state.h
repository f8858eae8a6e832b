/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The parent's state store: per child, every object its subsystem runs (a
 * VRRP instance, a virtual or real server) with the state the child last
 * reported and the configuration generation it belongs to, and the runtime
 * overrides set on objects (drain, weight). The state dumps read it (and
 * vigilctl, JSON, Prometheus and SNMP will); a (re)started child is handed
 * what it holds, so it adopts instead of starting from nothing.
 *
 * Objects come from two sides: the configuration (every object it names,
 * "not started" until its child reports it) and the child (snapshots,
 * which replace what was held, and events, which update one object).
 */
#ifndef VIGIL_STATE_H
#define VIGIL_STATE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "htab.h"

struct subsys;
struct vigil_config;

struct state_obj {
	struct htab_node node;	/* in its set's index */
	size_t hash;		/* of (kind, name) */
	size_t at;		/* its place in the set */
	const char *kind;
	const char *name;
	const char *state;
	const char *detail;
	const char *attrs;	/* as struct ipc_obj's */
	uint32_t generation;
	uint32_t flags;		/* overrides: IPC_OBJ_* */
	int32_t weight;		/* overrides: IPC_OBJ_NO_WEIGHT if none */
	uint64_t since;		/* wall-clock seconds of the last change */
};

/* In the order they came (the configuration's, the child's), indexed by
 * (kind, name). */
struct state_set {
	struct state_obj **v;
	size_t n, cap;
	struct htab ix;
};

struct state_store {
	struct state_set objs;
	struct state_set overrides;
	struct state_set pending;	/* a snapshot being received */
	int receiving;
	uint32_t generation;	/* of the last complete snapshot; 0: none */
	/* the last snapshot request a complete snapshot answered (struct
	 * ipc_state.answers; snapshots the child sent of its own accord
	 * leave it); 0: none yet */
	uint32_t answered;
	unsigned long snapshots, events;
	unsigned long counters;	/* counters records (IPC_OBJ_COUNTERS) */
};

void state_init(struct state_store *st);
void state_fini(struct state_store *st);

/*
 * Follow a configuration generation: objects it names that the store does
 * not hold appear as "not started"; objects it no longer names are dropped
 * with their overrides; the others keep their state. 0, or -1 when out of
 * memory (the store is then unchanged).
 */
/*
 * The objects a generation gives a subsystem, named and hashed ahead: a
 * reload's worker makes them off the loop, so that state_names_sync()
 * costs the loop lookups only (none when the set did not change).
 */
struct state_names;
struct state_names *state_names_new(const struct subsys *s,
    const struct vigil_config *cfg);
void state_names_free(struct state_names *nm);
/* state_conf_sync() from names made of cfg by state_names_new(). */
int state_names_sync(struct state_store *st, const struct state_names *nm,
    uint32_t generation);

int state_conf_sync(struct state_store *st, const struct subsys *s,
    const struct vigil_config *cfg);

/* An IPC_STATE message from the child. 0, or -1 if it is malformed (what
 * came before the bad record is kept). A counters record
 * (IPC_OBJ_COUNTERS) updates the attrs of the object it names and is
 * dropped when the store does not hold it. */
int state_ipc(struct state_store *st, const void *data, size_t len);

/* The child went away in the middle of a snapshot: drop that part. */
void state_child_gone(struct state_store *st);

/*
 * What a (re)started child is handed: every object and every override, in
 * IPC_HANDOVER messages of at most IPC_MAX_MSG bytes, the last one marked
 * IPC_STATE_END; send is called for each. 0, or -1 (out of memory or send
 * failed).
 */
int state_handover(const struct state_store *st, uint32_t generation,
    int (*send)(void *arg, const void *buf, size_t len), void *arg);

const struct state_obj *state_find(const struct state_store *st,
    const char *kind, const char *name);

/* Runtime overrides (vigilctl drain / set-weight / add-real / remove-real /
 * vrrp force-backup). weight IPC_OBJ_NO_WEIGHT: none; flags IPC_OBJ_DRAIN,
 * _ADDED, _REMOVED, _FORCED_BACKUP. Replaces the object's override. 0, or
 * -1. */
int state_override_set(struct state_store *st, const char *kind,
    const char *name, int32_t weight, uint32_t flags);
/* The same with attrs (IPC_OBJ_ADDED: virtual_server=VS, arg=...). */
int state_override_set_attrs(struct state_store *st, const char *kind,
    const char *name, int32_t weight, uint32_t flags, const char *attrs);
void state_override_clear(struct state_store *st, const char *kind,
    const char *name);
/* A child dropped the parts of an override (IPC_OBJ_VRRP_SETTINGS bits;
 * 0: all of it); one left with nothing goes. */
void state_override_drop(struct state_store *st, const char *kind,
    const char *name, uint32_t parts);
const struct state_obj *state_override_find(const struct state_store *st,
    const char *kind, const char *name);

/* Every object and override, one line each. */
void state_dump(const struct state_store *st, const char *child, FILE *fp);

#endif

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The two children of vigild. A child is a subsystem (its ops) run by the
 * common child runtime (child.c): its own event loop, the ipc channel to the
 * parent, clean stop on SIGTERM or when the parent goes away, reload from a
 * tree the parent sends, state dump on request.
 */
#ifndef VIGIL_CHILD_H
#define VIGIL_CHILD_H

#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

#include "conf.h"

struct event_base;
struct vigil_config;
struct reaper;

enum child_role {
	CHILD_VRRP = 0,
	CHILD_CHECK = 1,
	CHILD_ROLE_MAX
};

struct child_env {
	struct event_base *base;
	struct reaper *reaper;	/* for scripts the subsystem runs */
};

struct child_ops {
	const char *name;	/* "vrrp", "checker": log role, process title */
	enum conf_owner owner;	/* the typed config this child uses */
	/* Take over the initial config; return the subsystem state or NULL. */
	void *(*start)(const struct child_env *env,
	    const struct vigil_config *cfg);
	/*
	 * Move from old to new (both valid); keep the runtime state of what
	 * did not change. Writes a one-line summary into msg.
	 * Returns 0, or -1 to stay on old (msg says why).
	 */
	int (*reload)(void *state, const struct vigil_config *old,
	    const struct vigil_config *new, char *msg, size_t msglen);
	/* State dump (SIGUSR1). */
	void (*dump)(void *state, const struct vigil_config *cfg, FILE *fp);
	/* Release everything the subsystem holds in the system and free. */
	void (*stop)(void *state);
};

/* How many objects a subsystem's config gives its child to run (0: the
 * child is not started). Defined beside each child's ops. */
struct vrrp_conf;
struct chk_conf;
unsigned vrrp_conf_object_count(const struct vrrp_conf *c);
unsigned chk_conf_object_count(const struct chk_conf *c);

extern const struct child_ops vrrp_child_ops;
extern const struct child_ops chk_child_ops;

/*
 * Run a child. cfg is inherited from the parent by fork and owned by the
 * child from here on. The parent forks with every signal blocked; the
 * child installs its handlers, then restores mask. parent is the pid of
 * the parent (the child stops at once if it is already gone). Returns the
 * process exit status.
 */
int child_main(const struct child_ops *ops, struct vigil_config *cfg,
    int ipc_fd, const sigset_t *mask, pid_t parent);

#endif

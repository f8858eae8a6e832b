/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The child runtime: what every child of vigild runs. It owns the child's
 * event loop, the ipc channel to the parent and the generic messages
 * (hello, ping, reload, dump, snapshot, stop), stops cleanly on SIGTERM or
 * when the parent goes away, and runs one subsystem through its ops.
 *
 * Start: the child frees what it inherited from the parent, says hello,
 * takes the hand-over (what the parent knows of its objects: last states,
 * runtime overrides) and starts its subsystem on the first configuration
 * the parent sends; it never sees another subsystem's configuration.
 * After every start and reload it reports its objects (a snapshot).
 * A subsystem talks back with proc_send() (its own messages) and
 * proc_state_add()/proc_state_flush() (state events).
 */
#ifndef VIGIL_PROC_H
#define VIGIL_PROC_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "ipc_msg.h"

struct event_base;
struct reaper;
struct subsys;
struct vigil_config;
struct proc;

/* What vigild's command line tells a child (struct proc_env flags). */
enum {
	PROC_F_DONT_RELEASE_VRRP = 1u << 0,	/* -V: leave VIPs, routes and
						 * rules in place on stop */
	PROC_F_DONT_RELEASE_IPVS = 1u << 1,	/* -I: leave IPVS on stop */
	PROC_F_RELEASE_VIPS = 1u << 2,		/* -X */
};

struct proc_env {
	struct event_base *base;
	struct reaper *reaper;	/* for scripts the subsystem runs */
	struct proc *proc;	/* to talk to the parent */
	/* PROC_F_*; read them at stop: a restart by the parent adds the
	 * two "leave in place" ones (proc_restart_signal) */
	unsigned flags;
};

/*
 * The signal by which the parent stops a child it starts again at once
 * (a reload the child could not apply, a broken or misused ipc channel):
 * the child stops as on SIGTERM but leaves what it put in the kernel in
 * place, as with -V and -I (its VIPs, routes and rules without a priority
 * 0 advert; its IPVS services), for the next child to adopt: a peer sees
 * a short gap in the adverts, no takeover, and no connection through the
 * directors is dropped. SIGTERM is a stop for good (vigild stopping, a
 * child no longer needed).
 */
int proc_restart_signal(void);

/*
 * A child's scheduling as keepalived's <who>_priority, <who>_no_swap and
 * <who>_cpu_affinity set it (who: "vrrp", "checker"): nice (0: left as
 * it is), all memory locked (mlockall), the CPUs of mask (0: left as it
 * is; cpus, the keyword's words, for the log). A failure is logged with
 * the keyword, never fatal.
 */
void proc_sched_apply(const char *who, int nice, int no_swap,
    unsigned long long mask, const char *cpus);

/* What the parent handed a (re)started child; walk the records with
 * ipc_obj_next(). Valid only during start. */
struct proc_handover {
	const char *data;
	size_t len;
	unsigned count;
};

/* The longest a reload or a snapshot waits for proc_ops.gap. */
#define PROC_GAP_MAX_USEC 1000000ULL
/* About how long a part of a reload's building runs (usec), when the
 * subsystem has deadlines (proc_ops.gap or pause). */
#define PROC_PART_USEC 1000

struct proc_ops {
	/* Start on the first configuration; return the subsystem state or
	 * NULL. Adopt what the hand-over and the system say is running. */
	void *(*start)(const struct proc_env *env,
	    const struct vigil_config *cfg, const struct proc_handover *h);
	/*
	 * Move from old to new (both valid); keep the runtime state of what
	 * did not change. Writes a one-line summary into msg.
	 * Returns 0, or -1 to stay on old (msg says why).
	 */
	int (*reload)(void *state, const struct vigil_config *old,
	    const struct vigil_config *new, char *msg, size_t msglen);
	/*
	 * Optional, instead of reload: the same in parts of about
	 * PROC_PART_USEC, from *cursor (NULL: the first part) on; 1 with
	 * *cursor where the next part starts, 0 once done (msg written), -1
	 * to stay on old (msg says why; from the first part only, before
	 * anything changed). The parts go in turns of the loop, each in a
	 * gap (proc_ops.gap, pause); old and new stay valid until the last
	 * and the messages from the parent wait behind them. The parts
	 * together do what reload does.
	 */
	int (*reload_part)(void *state, const struct vigil_config *old,
	    const struct vigil_config *new, char *msg, size_t msglen,
	    void **cursor);
	/*
	 * Optional: what start left to do, in parts of about
	 * PROC_PART_USEC (*cursor NULL at the first), each in a gap as a
	 * reload's; 1 while some remain, 0 once started whole. The start
	 * is answered after the last, and the messages from the parent
	 * wait behind them.
	 */
	int (*start_part)(void *state, void **cursor);
	/* State dump (SIGUSR1). */
	void (*dump)(void *state, const struct vigil_config *cfg, FILE *fp);
	/*
	 * Optional, beside dump: write a part of the same dump, about a
	 * millisecond's worth, from *cursor (NULL: the start) on; return 1
	 * with *cursor where the next part starts, or 0 once it was written
	 * whole. The parts together write what dump writes. They go in
	 * turns of the loop (in gaps of the subsystem's deadlines, with
	 * proc_ops.gap and proc_ops.pause) and the text goes to the parent
	 * in one message once whole; the messages from the parent wait
	 * behind it, as behind a snapshot in parts.
	 */
	int (*dump_part)(void *state, const struct vigil_config *cfg,
	    FILE *fp, void **cursor);
	/* Report every object with proc_state_add(); NULL: the objects of
	 * the configuration, "not started". */
	void (*snapshot)(void *state, const struct vigil_config *cfg,
	    struct proc *p);
	/*
	 * Optional, instead of snapshot: report a part of the objects,
	 * about a millisecond's worth, from *cursor (NULL: the first) on;
	 * return 1 with *cursor where the next part starts, or 0 when every
	 * object was reported. The parts go in turns of the loop (in gaps of
	 * the subsystem's deadlines, with proc_ops.gap), the messages from
	 * the parent waiting behind the snapshot; the subsystem's own events
	 * meanwhile join the snapshot (the parent keeps the newest record of
	 * an object). Nothing the cursor points to goes away meanwhile: it
	 * changes only on a reload, which waits.
	 */
	int (*snapshot_part)(void *state, const struct vigil_config *cfg,
	    struct proc *p, void **cursor);
	/* Optional: a reader in the parent asked for fresh state
	 * (IPC_SNAPSHOT_REQ); called before the snapshot is taken. Returns
	 * 0 to have it taken now, or N > 0 to hold it until the subsystem
	 * calls proc_snapshot_ready(), which it must do within N
	 * milliseconds (the parent is told, IPC_SNAPSHOT_HELD, and its
	 * readers wait that long). Snapshot requests arriving meanwhile
	 * join it; dump requests wait behind it, keeping their order. */
	int (*asked)(void *state);
	/* One of the subsystem's own messages (type >= IPC_SUBSYS_BASE).
	 * Returns 0, or -1 if it is not one (the parent is then told). */
	int (*dispatch)(void *state, uint32_t type, const void *data,
	    size_t len);
	/*
	 * A runtime command (IPC_CMD; argv[0] names it). Write what was done,
	 * or why not, to out (a few lines for an operator) and return an
	 * enum ipc_cmd_status. NULL, or IPC_CMD_EUNKNOWN: the child has no
	 * such command. The runtime answers the parent with IPC_CMD_REPLY.
	 */
	int (*command)(void *state, int argc, const char *const argv[],
	    FILE *out);
	/*
	 * Optional: the subsystem's own deadlines (the VRRP child's adverts).
	 * A reload's pieces (decoding, building, applying: the last two in
	 * parts) and a snapshot's parts each run in one turn of the loop;
	 * given how long the last one took (usec),
	 * return how long to wait for a gap of the subsystem's schedule that
	 * holds it (at most PROC_GAP_MAX_USEC), or 0 to run it now. Messages
	 * arriving while a reload or a snapshot request waits are taken
	 * after it, in their order.
	 */
	uint64_t (*gap)(void *state, uint64_t cost);
	/*
	 * Optional: asked just before such a piece (a reload's, a
	 * snapshot's part) runs, and when it need not wait for a gap, with
	 * what it took last time (usec): how long the loop should sleep
	 * before it (the VRRP child under a realtime policy must block now
	 * and then, RLIMIT_RTTIME), or 0 to run it now. Asked again when the
	 * sleep ends.
	 */
	uint64_t (*pause)(void *state, uint64_t cost);
	/*
	 * Optional: the state of another child's object of a kind the
	 * subsystem follows (struct subsys follows), as that child reported
	 * it to the parent: on each change, and all of them again after
	 * each start and reload. o's strings live during the call.
	 */
	void (*peer_state)(void *state, const struct ipc_obj *o);
	/* Release everything the subsystem holds in the system and free. */
	void (*stop)(void *state);
	/*
	 * 1: the subsystem reads only typed configurations, never the tree
	 * (vconfig_find, vconfig_loc_in): each generation is built
	 * statement by statement as its message is decoded, and no tree is
	 * kept (cfg->tree is NULL). The locations (struct conf_loc) of owners that do not copy
	 * their file names (VRRP's) then point to freed memory: such a
	 * subsystem prints only its own.
	 */
	int drop_tree;
};

/*
 * Run the child of subsystem self, in a process of its own that holds
 * nothing else (vigild starts it by executing itself). tab is vigild's
 * table (for the keyword registry). The process starts with every signal
 * blocked; the runtime installs its handlers, then sets mask. parent is
 * the pid of the parent (the child stops at once if it is already gone).
 * flags (PROC_F_*) reach the subsystem in its proc_env.
 * Returns the process exit status.
 */
int proc_main(const struct subsys *const *tab, const struct subsys *self,
    int ipc_fd, const sigset_t *mask, pid_t parent, unsigned flags);

/* The snapshot proc_ops.asked held can be taken now: sent once, naming
 * the last request that joined the hold (it answers them all), then the
 * dumps asked after it. Nothing when none is held. */
void proc_snapshot_ready(struct proc *p);
/* Send one of the subsystem's own messages to the parent. 0 or -1. */
int proc_send(struct proc *p, uint32_t type, const void *data, size_t len);
/* Queue a state record; sent by proc_state_flush() (or in chunks as the
 * queue fills). 0 or -1. */
int proc_state_add(struct proc *p, const struct ipc_obj *o);
int proc_state_flush(struct proc *p);
/* The configuration generation the child runs. */
unsigned proc_generation(const struct proc *p);

#endif

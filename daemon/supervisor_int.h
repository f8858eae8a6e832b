/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The parent's state, shared by supervisor.c (lifecycle, signals, reload),
 * slot.c (one child: start, stop, reap, ipc, watchdog) and dump.c (state
 * and statistics dumps).
 */
#ifndef VIGIL_SUPERVISOR_INT_H
#define VIGIL_SUPERVISOR_INT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "conf.h"
#include "ipc_msg.h"
#include "state.h"

struct event;
struct event_base;
struct ipc;
struct loop_timer;
struct options;
struct pidfiles;
struct reaper;
struct subsys;
struct vigil_config;

#define RESPAWN_STABLE_USEC (10ULL * 1000000)	/* up this long: reset back-off */
#define RESPAWN_FIRST_USEC (100ULL * 1000)	/* second quick death: 0.1 s */
#define RESPAWN_MAX_USEC (30ULL * 1000000)
#define STOP_GRACE_USEC (5ULL * 1000000)	/* SIGTERM -> SIGKILL, without
						 * child_wait_time */
/* A data dump waits for the children's parts: DUMP_WAIT_USEC plus
 * DUMP_OBJ_USEC per object of the child's store (the part it writes grows
 * with it: seconds at 100,000 real servers, more under a slow kernel);
 * a child that holds the snapshot before it (IPC_SNAPSHOT_HELD: its
 * counters round) is waited for that much longer; at most
 * DUMP_WAIT_MAX_USEC in all. Parts that come sooner end it sooner. */
#define DUMP_WAIT_USEC (2ULL * 1000000)
#define DUMP_OBJ_USEC 250ULL
#define DUMP_WAIT_MAX_USEC (120ULL * 1000000)
#define SLOT_CMD_WAIT_USEC (5ULL * 1000000)	/* a runtime command's answer */
/* Largest frames a child may send: a dump (IPC_MAX_DUMP), or anything
 * else. */
#define CHILD_MAX_REPLY (IPC_MAX_MSG + 4096u)
/* Children at most: one per configuration owner. */
#define SLOT_MAX CONF_OWNER_MAX

struct supervisor;
struct slot_cmd;
struct refresh;
struct route_req;
struct control;
struct metrics;
struct reload;
struct reload_watch;

struct slot {
	struct supervisor *sv;
	const struct subsys *sub;	/* what it runs */
	const char *pid_file;
	struct state_store st;	/* what the child reported */
	pid_t pid;		/* 0: not running */
	struct ipc *ipc;
	int wanted;
	int stopping;		/* stopped on purpose */
	int stop_sig;		/* SIGTERM, or proc_restart_signal() */
	uint64_t started;	/* loop_now_usec() at fork */
	uint64_t last_heard;	/* last message from the child */
	unsigned quick_deaths;	/* consecutive deaths before RESPAWN_STABLE */
	unsigned starts;	/* since vigild started (or stats clear) */
	struct loop_timer *respawn;
	struct loop_timer *stop_timer;	/* SIGKILL if SIGTERM is ignored */
	uint64_t stop_grace;		/* the stop timer's, usec */
	/* reloads: one in flight; a newer one waits, replacing older ones */
	unsigned gen_acked;	/* last generation the child runs */
	unsigned gen_inflight;	/* 0: none */
	/* a generation waits for the in-flight one: the running one
	 * (sv->cfg: a newer one replaces it), sent once that is answered */
	unsigned next_gen;
	/* dump replies */
	char *dump;
	size_t dump_len;
	int dump_pending;	/* the current request waits for this child */
	unsigned dump_asked;	/* requests sent and not yet answered */
	/* runtime commands waiting for the child's answer (slot_cmd.c) */
	struct slot_cmd *cmds;
	uint32_t cmd_seq;
	/* snapshot requests: the number of the last one sent
	 * (slot_snapshot_ask); a snapshot answering a later one breaks the
	 * protocol */
	uint32_t snap_seq;
	/* refresh.c: the last request it sent to the child started at
	 * snap_started (one on its way serves every refresh asked
	 * meanwhile) */
	uint32_t snap_want;
	uint64_t snap_started;
	/* the child holds the snapshot answering request held_seq
	 * (IPC_SNAPSHOT_HELD) until held_until at the latest
	 * (loop_now_usec) */
	uint32_t held_seq;
	uint64_t held_until;
	/* the SNMP child missed state reports: send it the whole store
	 * again (snmp_feed.c) */
	int feed_lost;
};

/*
 * The data dump's files, as keepalived's children write theirs: the VRRP
 * part in keepalived.data's shape with the parent's and every other
 * child's (DUMP_MAIN, /tmp/vigil.data), the checker's in
 * keepalived_check.data's (DUMP_CHECK, /tmp/vigil_check.data, written
 * when the configuration runs the checker child). dump.c.
 */
enum { DUMP_MAIN, DUMP_CHECK, DUMP_FILES };
#define DUMP_PATH_MAX 256
struct dump_file {
	struct supervisor *sv;
	int which;			/* DUMP_MAIN, DUMP_CHECK */
	struct offload *render;		/* rendering it (forked) */
	/* where the last data dump wrote it; "": not written */
	char path[DUMP_PATH_MAX];
};

struct supervisor {
	struct event_base *base;
	const struct options *opts;
	const struct conf_load_opts *lo;
	struct vigil_config *cfg;
	struct reaper *reaper;
	struct slot slots[SLOT_MAX];
	unsigned nslots;
	struct event *sigs[8];
	struct loop_timer *dump_timer;
	uint64_t dump_asked;		/* when it was asked (loop_now_usec) */
	uint64_t dump_until;		/* its bound: dump_wait_usec() later,
					 * moved by a child that holds the
					 * snapshot before it */
	struct dump_file dump_files[DUMP_FILES];
	struct loop_timer *watchdog;
	struct loop_timer *sd_watchdog;	/* WATCHDOG=1 to systemd */
	pid_t pid;		/* the parent's own */
	struct pidfiles *pf;	/* locked pid files, closed in children */
	int stopping;
	int status;
	unsigned reloads;
	unsigned reloads_rejected;
	time_t started;
	/* operations: refresh.c, route.c, control.c */
	struct refresh *refreshes;
	struct route_req *routes;
	struct control *ctl;
	/* reload.c: the reload's parse, off the loop */
	struct reload *reload;
	/* reload_watch.c: reload_time_file, NULL when not configured */
	struct reload_watch *rwatch;
	/* metrics.c: the HTTP listener, NULL when never configured */
	struct metrics *metrics;
};

/* What a reload's worker (reload.c) prepared off the loop, per owner
 * (NULL where it did not: the loop then does it itself). */
struct reload_parts {
	struct state_names *names[CONF_OWNER_MAX];	/* its objects */
};

/*
 * supervisor.c: run what a reload's parse (reload.c) built, in two steps.
 * supervisor_reload_send() makes next the running generation and sends
 * each child its part (next->part[]); it
 * returns the old generation, which the parse may still read (its change
 * list) until supervisor_reload_finish() frees it and brings the state
 * store, the children, the metrics listener and the control socket in
 * line. msg gets the line saying what happened.
 */
struct vigil_config *supervisor_reload_send(struct supervisor *sv,
    struct vigil_config *next, unsigned nwarn, char *msg, size_t msglen);
void supervisor_reload_finish(struct supervisor *sv, struct vigil_config *old,
    struct reload_parts *parts);
/* The file was rejected (nerr errors, the first one's line first, or
 * refused says why): the running generation stays. */
void supervisor_reload_reject(struct supervisor *sv, unsigned nerr,
    const char *refused, const char *first, char *msg, size_t msglen);

/* slot.c */
int slot_init(struct slot *s, struct supervisor *sv, const struct subsys *sub);
void slot_fini(struct slot *s);
void slot_start(struct slot *s);
/* SIGTERM now, SIGKILL after child_wait_time: a stop for good. */
void slot_stop(struct slot *s, const char *why);
/* The same with proc_restart_signal(), for a child restarted at once:
 * it leaves its VIPs and IPVS services for the next one to adopt. */
void slot_restart(struct slot *s, const char *why);
/* Send cfg, the running generation, to the child: its part (encoded
 * while cfg was read, or from cfg's tree). Behind an in-flight reload it
 * waits (a newer one replaces it) and goes once that is answered. */
void slot_send_reload(struct slot *s, const struct vigil_config *cfg);
void slot_watchdog(struct slot *s, uint64_t now, uint64_t limit);
/* Ask the child for a snapshot (IPC_SNAPSHOT_REQ): the request's number,
 * which the snapshot answering it names (s->st.answered reaches it), or 0
 * when it could not be sent. */
uint32_t slot_snapshot_ask(struct slot *s);
/* The child said it holds the snapshot answering request seq
 * (IPC_SNAPSHOT_HELD, the hold's bound in milliseconds). */
void slot_snapshot_hold(struct slot *s, uint32_t msec, uint32_t seq);
/* The snapshot the child holds has not come yet and its bound has not
 * passed. */
int slot_snapshot_held(const struct slot *s);
void supervisor_child_gone(struct supervisor *sv);

/* slot_cmd.c */
/* The child's answer to a runtime command, or IPC_CMD_EGONE with why. */
typedef void slot_cmd_fn(void *arg, int status, const char *text,
    size_t len);
/* Send argv to the child; fn is called exactly once later (never from
 * inside this call). -1 when the child is not running a configuration or
 * out of memory: fn is then never called. */
int slot_command(struct slot *s, int argc, char *const argv[],
    slot_cmd_fn *fn, void *arg);
void slot_command_reply(struct slot *s, const void *data, size_t len);
/* The caller went away: its pending commands finish without calling it. */
void slot_command_cancel(struct slot *s, void *arg);
/* The child went away: every pending command gets IPC_CMD_EGONE. */
void slot_command_gone(struct slot *s);

/* relay.c: another child's states to the children that follow them
 * (struct subsys follows): an IPC_STATE message from a child as it is
 * stored; every followed object to a child that started or reloaded */
void relay_state(struct supervisor *sv, struct slot *from, const void *data,
    size_t len);
void relay_all(struct supervisor *sv, struct slot *to);

/* dump.c */
void dump_request(struct supervisor *sv);
/* A data dump is being collected or written. */
int dump_busy(const struct supervisor *sv);
/* How long a data dump asked now waits for the children's parts. */
uint64_t dump_wait_usec(const struct supervisor *sv);
void dump_reply(struct slot *s, const void *data, size_t len);
void dump_slot_gone(struct slot *s);
/* Where data dump file which (DUMP_MAIN, DUMP_CHECK) goes: /tmp/vigil.data
 * and /tmp/vigil_check.data; with data_use_instance and an instance name,
 * /tmp/vigil.NAME.data and /tmp/vigil_check.NAME.data, as keepalived names
 * its files. */
void dump_data_path(const struct supervisor *sv, int which, char *buf,
    size_t len);
/* A data dump file is being rendered (forked). */
int dump_rendering(const struct supervisor *sv);
/* The child holds the snapshot a dump waits behind (slot_snapshot_held). */
void dump_held(struct slot *s);
void dump_timeout(struct loop_timer *t, void *arg);
/* SIGUSR2 and the JSON signal: written once the children sent fresh
 * counters (or the refresh bound passed). */
void dump_stats(struct supervisor *sv);
void dump_json(struct supervisor *sv);
/* The statistics / JSON dump written now, from what the store holds (after
 * a refresh the caller asked for). */
void dump_stats_write(struct supervisor *sv);
void dump_json_write(struct supervisor *sv);
void dump_stats_clear(struct supervisor *sv);

/* hook_script.c: global_defs' startup_script (shutdown 0: before any
 * child starts) or shutdown_script (1: after every child has stopped),
 * waited for at most its timeout. */
void supervisor_hook_script(const struct vigil_config *cfg, int shutdown);

#endif

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Inside the VRRP trackers (vrrp/track*.c): the tracked objects, shared by
 * the core (apply, eval, dump: track.c) and the kinds (track_script.c,
 * track_file.c, track_process.c).
 */
#ifndef VIGIL_VRRP_TRACK_PRIV_H
#define VIGIL_VRRP_TRACK_PRIV_H

#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "htab.h"
#include "runas.h"
#include "str.h"
#include "vrrp/track.h"

struct event;
struct loop_timer;
struct script_run;
struct script_runner;
struct vrrp_script_conf;
struct vrrp_track_file_conf;
struct vrrp_track_process_conf;
struct tfile_ctx;
struct tproc_ctx;

/* What every tracked object begins with. */
struct tobj {
	struct htab_node node;	/* in its kind's table, by name */
	char *name;
	int weight;		/* the object's own weight and reverse */
	int reverse;
	unsigned used : 1;	/* some tracking line names it */
	unsigned seen : 1;	/* in the configuration being applied */
	unsigned disabled : 1;	/* cannot work (logged): lines ignore it */
	/* what was last reported to the parent (track_report.c) */
	unsigned reported : 1;
	int rep_state;
	long long rep_value;
};

struct tscript {
	struct tobj o;
	struct tscript *next;
	struct vrrp_track *t;
	/* settings (a change restarts the script) */
	char *cmd, *user, *group;
	uint64_t interval, timeout;
	int rise, fall, init_fail;
	/* state */
	char **argv;
	uid_t uid;
	gid_t gid;
	int result;		/* 0..rise+fall-1, as keepalived counts */
	int has_result;		/* it has run once (else INIT) */
	int up;			/* result >= rise */
	int last_status;	/* last exit code, for the log; -1 none */
	unsigned runs, skipped;
	struct loop_timer *timer;
	struct script_run *run;
};

struct tfile {
	struct tobj o;
	struct tfile *next;
	/* settings */
	char *file;
	int init_file, init_overwrite;
	long long init_value;
	/* state */
	char *path;		/* resolved */
	const char *base;	/* the name inside its directory */
	int wd;			/* inotify watch of the directory; -1 none */
	int64_t value;
};

struct tproc {
	struct tobj o;
	struct tproc *next;
	struct vrrp_track *t;
	/* settings */
	char *process;
	char *params;		/* NUL-separated, as /proc/PID/cmdline */
	size_t params_len;
	int param_match;	/* enum vrrp_param_match */
	int full;		/* match the command line, not comm */
	unsigned quorum, quorum_max;
	uint64_t fork_delay, terminate_delay;
	/* state */
	unsigned count;		/* processes that match now */
	int up;			/* quorum <= count <= quorum_max, as settled */
	int started;		/* has its first state */
	struct loop_timer *timer;	/* fork_delay / terminate_delay */
};

/* One run of a script; outlives its tracker when that is freed while the
 * script runs (the runner still reports its end). */
struct trun {
	struct trun *prev, *next;
	struct tscript *s;	/* NULL: orphaned */
	struct vrrp_track *t;
};

struct tlink {
	struct htab_node node;
	struct tlink *next;
	int up;
	char name[];
};

struct vrrp_track {
	const struct proc_env *env;
	vrrp_track_changed_fn *changed;
	void *arg;
	struct event *changed_ev;	/* coalesces changed() calls */
	struct script_runner *sr;
	struct runas_defaults runas;	/* in force */
	struct runas_defaults runas_next;	/* for the next apply */
	int runas_set;				/* runas_next was set */
	/* process_monitor_rcv_bufs(_force): for the proc connector */
	unsigned proc_rcvbuf;
	int proc_rcvbuf_force;
	unsigned applies;		/* apply() calls that succeeded */
	struct htab scripts, files, procs, links;
	struct tscript *script_list;
	struct tfile *file_list;
	struct tproc *proc_list;
	struct tlink *link_list;
	struct tbfd *bfd_list;		/* BFD sessions the BFD child told */
	struct trun *runs;		/* scripts running */
	struct tfile_ctx *fctx;
	struct tproc_ctx *pctx;
};

/* A BFD session's state as the BFD child reported it (through the
 * parent); a session never told is down, as keepalived starts it. */
struct tbfd {
	struct tbfd *next;
	char name[32];
	char state[16];		/* "Up", "Down", "Init", "AdminDown"... */
	int up;
	int reported, rep_up;	/* what track_report.c last sent */
};

/* Tell the engine (from the loop, coalesced). */
void vrrp_track_notify(struct vrrp_track *t);
/* Lookups by name (NULL: none). */
struct tobj *vrrp_track_find(const struct htab *h, const char *name);

/* track_script.c */
struct tscript *tscript_new(struct vrrp_track *t,
    const struct vrrp_script_conf *c);
int tscript_same(const struct tscript *s, const struct vrrp_script_conf *c);
void tscript_start(struct tscript *s);
void tscript_free(struct tscript *s);
/* Forget runs without callbacks (the runner is gone). */
void tscript_runs_free(struct vrrp_track *t);
void tscript_dump(const struct tscript *s, FILE *fp);

/* track_file.c */
int tfile_ctx_new(struct vrrp_track *t);
void tfile_ctx_free(struct vrrp_track *t);
struct tfile *tfile_new(struct vrrp_track *t,
    const struct vrrp_track_file_conf *c);
int tfile_same(const struct tfile *f, const struct vrrp_track_file_conf *c);
/* Initialise the file (init_file), watch it, read it. */
void tfile_start(struct vrrp_track *t, struct tfile *f);
void tfile_free(struct vrrp_track *t, struct tfile *f);
void tfile_dump(const struct tfile *f, FILE *fp);

/* track_process.c */
int tproc_ctx_new(struct vrrp_track *t);
void tproc_ctx_free(struct vrrp_track *t);
struct tproc *tproc_new(struct vrrp_track *t,
    const struct vrrp_track_process_conf *c);
int tproc_same(const struct tproc *p, const struct vrrp_track_process_conf *c);
void tproc_free(struct tproc *p);
/* The set of process trackers changed: listen if any, rescan /proc
 * (new trackers take their first state from it without delay). */
void tproc_sync(struct vrrp_track *t);
/* Give the connector socket, if open, process_monitor_rcv_bufs (t's
 * proc_rcvbuf; 0: left as it is). */
void tproc_rcvbuf(struct vrrp_track *t);
void tproc_dump(const struct tproc *p, FILE *fp);

#endif

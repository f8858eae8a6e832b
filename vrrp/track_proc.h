/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Inside track_process: the process table and its counting
 * (track_process.c), fed by the kernel's process events or /proc scans
 * (track_proc_cn.c).
 */
#ifndef VIGIL_VRRP_TRACK_PROC_H
#define VIGIL_VRRP_TRACK_PROC_H

#include <sys/types.h>

#include "htab.h"
#include "vrrp/track_priv.h"

struct event;
struct loop_timer;

enum tproc_cause { TP_FORK, TP_EXEC, TP_COMM, TP_EXIT, TP_SCAN };

struct tpid {
	struct htab_node node;
	pid_t pid;
	unsigned n;
	struct tproc **procs;
};

struct tproc_ctx {
	struct vrrp_track *t;
	int fd;			/* -1: no connector */
	struct event *ev;
	struct htab pids;
	struct loop_timer *timer;	/* ack wait, resync, poll */
	int acked;
	int polling;		/* no events: scan every second */
	int need_comm, need_cmd;
	int scanning;		/* counts are being rebuilt: no settling */
};

size_t tpid_hash(const struct htab_node *n);
/* Forget every process (the counts are left as they are). */
void tpid_clear(struct tproc_ctx *x);
/* pid exec'd (comm NULL) or took the name comm: count it again. */
void tpid_check(struct tproc_ctx *x, pid_t pid, const char *comm,
    enum tproc_cause cause);
/* A counted parent forked: the child counts for the same trackers. */
void tpid_fork(struct tproc_ctx *x, pid_t parent, pid_t child);
void tpid_exit(struct tproc_ctx *x, pid_t pid);
/* Count every process again from /proc and settle each tracker. */
void tproc_scan(struct tproc_ctx *x);

#endif

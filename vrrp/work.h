/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The VRRP child's work queue: slow work a transition leads to (VIPs,
 * routes and rules through rtnetlink, GARP bursts, notify scripts) runs
 * in slices, at a lower event priority than the advert and down timers
 * and the receive sockets, so that no advert a MASTER owes waits behind
 * it. Items run in the order they were queued (so an instance's VIPs go
 * in before its GARPs, and a removal before an add).
 */
#ifndef VIGIL_VRRP_WORK_H
#define VIGIL_VRRP_WORK_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct event_base;
struct vrrp_work;

/*
 * What the clocks read at one moment (usec): the monotonic clock, the
 * thread's CPU time and, on a full reading only, the time it spent
 * runnable waiting for a CPU (the kernel's schedstat run delay; ~0 when
 * the kernel does not keep it) and how many times it gave the CPU up
 * itself (slept, e.g. inside a netlink request) or had it taken
 * (preempted).
 */
struct vrrp_work_sample {
	uint64_t wall, cpu;
	uint64_t wait, sleeps, preempts;
	uint64_t real;			/* CLOCK_REALTIME, usec */
};
/* Fills s; the last four only when full. */
typedef void vrrp_work_clock_fn(void *arg, struct vrrp_work_sample *s,
    int full);

/*
 * What a slice or an item cost: its wall time, its CPU, and of the rest,
 * the time spent waiting for a CPU; sleeps and preemptions counted
 * (a slice only: an item is read for wall and CPU alone).
 */
struct vrrp_work_cost {
	uint64_t wall, cpu, wait, sleeps, preempts;
};

/* Item kinds accounted each on their own (kinds from 0); others share
 * the last. */
#define VRRP_WORK_KINDS 16

struct vrrp_work_kind_stat {
	uint64_t n;			/* items run */
	uint64_t wall_sum, cpu_sum;	/* usec */
	struct vrrp_work_cost longest;	/* the item of the longest wall */
	uint64_t cpu_max;		/* the most CPU one item took */
};

/* The longest slice: its cost, how many items it ran, the kind of the
 * longest of them and that item's own cost. */
struct vrrp_work_slice_stat {
	struct vrrp_work_cost cost;
	unsigned items;
	int kind;			/* -1: no slice yet */
	struct vrrp_work_cost item;
};

/* The figures of a stretch of the queue's life: items done, slices ended
 * early for the realtime budget (vrrp_work_set_rt), the longest slice,
 * each kind's items. */
struct vrrp_work_stats {
	uint64_t done;
	uint64_t rt_cut;		/* slices ended for the realtime budget */
	struct vrrp_work_slice_stat slice;
	struct vrrp_work_kind_stat kinds[VRRP_WORK_KINDS];
};

/*
 * A burst: the work queued from an empty queue until the queue is empty
 * again (a start, a reload, a mass takeover, a round of GARP refreshes),
 * labelled with what queued work into it, the first label what started
 * it (vrrp_work_cause; without one, the kind of the item queued).
 */
#define VRRP_WORK_BURST_LABELS 4
struct vrrp_work_burst {
	uint64_t seq;			/* 1 for the first; 0: none */
	const char *labels[VRRP_WORK_BURST_LABELS];
	unsigned nlabels;
	unsigned more;			/* labels past the last kept */
	int running;			/* not over yet */
	uint64_t start, end;		/* wall usec (the queue's clock) */
	uint64_t slices;		/* slices run in it */
	/* its slices' wall and CPU and its items' run outside a slice
	 * (vrrp_work_run_owner, vrrp_work_flush), usec */
	uint64_t busy, busy_cpu;
	struct vrrp_work_stats st;
};
/* Labels whose last burst is kept (the least recently seen goes first);
 * the first burst is kept apart. */
#define VRRP_WORK_LABELS 8

/* Run one item: owner is what it belongs to (an instance), kind and the
 * two arguments are the caller's. */
typedef void vrrp_work_fn(void *arg, void *owner, int kind, int a, int b);

/* At most max_items items, or max_usec of work, per slice (one turn of the
 * loop). NULL on failure. */
struct vrrp_work *vrrp_work_new(struct event_base *base, vrrp_work_fn *fn,
    void *arg, unsigned max_items, uint64_t max_usec);
/* Before each slice, ask pause (with the queue's arg and the slice's
 * expected cost: the expected CPU of the items it would run, usec) how
 * long to sleep first; 0 runs it (NULL, the default: every slice on the
 * next turn of the loop). A process at a realtime priority must block now
 * and then (RLIMIT_RTTIME), and leaves the others the CPU meanwhile. */
void vrrp_work_set_pause(struct vrrp_work *w,
    uint64_t (*pause)(void *arg, uint64_t cost));
/*
 * Realtime: rt (with the queue's arg) says how long (usec) the process has
 * run since it last blocked and its limit (vrrp_rlimit_rttime), 0; or -1
 * when no such limit holds now. Asked once a slice (NULL, the default:
 * never): the slice then ends before an item (not its first) when that
 * time, the slice's own since and the item kind's expected cost would
 * pass what vrrp_gap_rt_block allows, and vrrp_work_slice_over says so
 * before a part.
 */
typedef int vrrp_work_rt_fn(void *arg, uint64_t *used, uint64_t *limit);
void vrrp_work_set_rt(struct vrrp_work *w, vrrp_work_rt_fn *rt);
/* An item of kind's expected CPU (usec): the kind's worst item of late
 * (a maximum that decays by 1/VRRP_WORK_EXPECT_DECAY of its excess with
 * each cheaper item); max_usec for a kind not run yet. */
#define VRRP_WORK_EXPECT_DECAY 8
uint64_t vrrp_work_expect(const struct vrrp_work *w, int kind);
/*
 * What the work queued from now until the queue's next turn (the end of
 * this turn of the loop) is for: the label of the burst it starts or
 * joins ("reload", "takeover"; kept, not copied). A later cause replaces
 * it; NULL ends it now. A new queue's first turn is "start". Work queued
 * by an item as it runs is the item's burst's and adds no label.
 */
void vrrp_work_cause(struct vrrp_work *w, const char *what);
/* While on, the running burst is not over when the queue empties: work
 * queued in parts (a reload applied a part at a time, slices running in
 * the gaps between) is one burst; off ends it if the queue is empty. */
void vrrp_work_hold(struct vrrp_work *w, int on);
/* Queue an item; -1 if out of memory (the caller runs it itself). */
int vrrp_work_push(struct vrrp_work *w, void *owner, int kind, int a, int b);
/* Queue an item to run before everything queued: the rest of a long
 * item, continued in the next slice (or at once by run_owner when it runs
 * owner's items). -1 if out of memory (the caller runs it itself). */
int vrrp_work_push_front(struct vrrp_work *w, void *owner, int kind, int a,
    int b);
/* Run owner's queued items now, in order, and drop them (before owner is
 * freed). */
void vrrp_work_run_owner(struct vrrp_work *w, void *owner);
/* One slice now; the number of items run. */
unsigned vrrp_work_slice(struct vrrp_work *w);
/* For an item made of parts: whether the slice running it has had its
 * time (max_usec, or the realtime budget: vrrp_work_set_rt), so that it
 * continues the rest with push_front; 0 outside a slice (run_owner,
 * flush: everything runs). */
int vrrp_work_slice_over(struct vrrp_work *w);
/* Everything queued, now. */
void vrrp_work_flush(struct vrrp_work *w);
size_t vrrp_work_pending(const struct vrrp_work *w);
uint64_t vrrp_work_done(const struct vrrp_work *w);
/* The longest slice run from the loop so far (the queue's whole life),
 * in usec; done, kind and longest_slice are whole-life figures too. */
uint64_t vrrp_work_longest(const struct vrrp_work *w);
/* Names of the caller's kinds for the dump (names[kind], n of them;
 * kept, not copied). */
void vrrp_work_set_kinds(struct vrrp_work *w, const char *const *names,
    unsigned n);
/* Read the clocks with fn instead of the system's (tests). */
void vrrp_work_set_clock(struct vrrp_work *w, vrrp_work_clock_fn *fn,
    void *arg);
/* What the items of kind cost (run in slices, by run_owner or flush);
 * NULL if kind is out of range. */
const struct vrrp_work_kind_stat *vrrp_work_kind(const struct vrrp_work *w,
    int kind);
const struct vrrp_work_slice_stat *vrrp_work_longest_slice(
    const struct vrrp_work *w);
/* The bursts kept: the first, the running or last one, the last one
 * labelled label (NULL if none). */
const struct vrrp_work_burst *vrrp_work_burst_first(const struct vrrp_work *w);
const struct vrrp_work_burst *vrrp_work_burst_last(const struct vrrp_work *w);
const struct vrrp_work_burst *vrrp_work_burst_of(const struct vrrp_work *w,
    const char *label);
/* The data dump's lines: over the queue's whole life, items done and the
 * longest slice, then one line per kind that ran; then each burst kept
 * (the first, the last of each label, the last), oldest first: when it
 * started (a full reading of the clocks, for the realtime clock), how
 * long it took, and the same lines over it alone. */
void vrrp_work_dump(const struct vrrp_work *w, FILE *fp);
/* Frees w; items still queued are dropped. */
void vrrp_work_free(struct vrrp_work *w);

#endif

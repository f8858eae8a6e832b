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

struct event_base;
struct vrrp_work;

/* Run one item: owner is what it belongs to (an instance), kind and the
 * two arguments are the caller's. */
typedef void vrrp_work_fn(void *arg, void *owner, int kind, int a, int b);

/* At most max_items items, or max_usec of work, per slice (one turn of the
 * loop). NULL on failure. */
struct vrrp_work *vrrp_work_new(struct event_base *base, vrrp_work_fn *fn,
    void *arg, unsigned max_items, uint64_t max_usec);
/* Before each slice, ask pause (with the queue's arg and the slice's
 * bound, usec) how long to sleep first; 0 runs it (NULL, the default:
 * every slice on the next turn of the loop). A process at a realtime
 * priority must block now and then (RLIMIT_RTTIME), and leaves the others
 * the CPU meanwhile. */
void vrrp_work_set_pause(struct vrrp_work *w,
    uint64_t (*pause)(void *arg, uint64_t cost));
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
/* Everything queued, now. */
void vrrp_work_flush(struct vrrp_work *w);
size_t vrrp_work_pending(const struct vrrp_work *w);
uint64_t vrrp_work_done(const struct vrrp_work *w);
/* The longest slice run from the loop so far, in usec. */
uint64_t vrrp_work_longest(const struct vrrp_work *w);
/* Frees w; items still queued are dropped. */
void vrrp_work_free(struct vrrp_work *w);

#endif

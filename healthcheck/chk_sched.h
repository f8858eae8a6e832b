/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The checks' schedule: when each check runs next. One min-heap of due
 * times (monotonic usec) and one libevent timer armed at the earliest,
 * instead of a struct event per check (128 bytes and an allocation each;
 * at 100,000 real servers most of what a check cost).
 *
 * A node is 4 bytes inside its owner (its place in the heap, 0: not
 * scheduled; a zeroed node is not scheduled). Nodes due at the same
 * microsecond run in the order they were scheduled. The callback runs from
 * the loop, at most CHK_SCHED_BATCH nodes per turn (the rest in the next
 * turn: the loop's other events are not held up), and may schedule or
 * unschedule any node, the one it was given included.
 *
 * Each node that may be scheduled reserves its place first
 * (chk_sched_reserve when its owner is made): chk_sched_add never
 * allocates, so it cannot fail.
 */
#ifndef VIGIL_CHK_SCHED_H
#define VIGIL_CHK_SCHED_H

#include <stddef.h>
#include <stdint.h>

struct event_base;

#define CHK_SCHED_BATCH 1024

struct chk_sched_node {
	uint32_t idx;		/* 1-based place in the heap; 0: none */
};

struct chk_sched;
typedef void chk_sched_fn(struct chk_sched_node *n, void *arg);

/* NULL when out of memory. */
struct chk_sched *chk_sched_new(struct event_base *base, chk_sched_fn *fn,
    void *arg);
/* Nodes still scheduled are forgotten (their owners free them). */
void chk_sched_free(struct chk_sched *s);
/* Room for one more node; 0, or -1 when out of memory. */
int chk_sched_reserve(struct chk_sched *s);
/* A node is gone for good (unscheduled first if it was scheduled). */
void chk_sched_unreserve(struct chk_sched *s, struct chk_sched_node *n);
/* Run n after usec from now (again, if it was scheduled: its old time
 * goes). */
void chk_sched_add(struct chk_sched *s, struct chk_sched_node *n,
    uint64_t usec);
void chk_sched_del(struct chk_sched *s, struct chk_sched_node *n);
static inline int
chk_sched_pending(const struct chk_sched_node *n)
{
	return n->idx != 0;
}
/* Nodes scheduled now; bytes the schedule holds. */
size_t chk_sched_count(const struct chk_sched *s);
size_t chk_sched_bytes(const struct chk_sched *s);

#endif

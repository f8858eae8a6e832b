/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Event loop glue over libevent 2.1. One struct event_base per process,
 * made with EVENT_BASE_FLAG_PRECISE_TIMER so timers use the fine monotonic
 * clock (centisecond VRRP adverts need it).
 */
#ifndef VIGIL_LOOP_H
#define VIGIL_LOOP_H

#include <stdint.h>
#include <sys/time.h>

struct event_base;
struct event;

/* Event priorities of the base loop_new makes: when several events are
 * due in one turn of the loop, the lower number runs first (and a lower
 * priority waits while a higher one has work). New events get NORMAL.
 * URGENT is for deadlines that must not wait behind a burst of others
 * (a VRRP advert owed while a thousand master down timers fire at once):
 * the loop runs HIGH, NORMAL and LOW callbacks for at most LOOP_TURN_USEC
 * before it looks again for what has fallen due, and URGENT ones due by
 * then run first. URGENT callbacks themselves run to the end of the turn:
 * keep them short. */
enum {
	LOOP_PRIO_URGENT = 0,
	LOOP_PRIO_HIGH = 1,
	LOOP_PRIO_NORMAL = 2,
	LOOP_PRIO_LOW = 3,
	LOOP_NPRIO = 4
};

/* How long callbacks below URGENT run before the loop looks for newly
 * due events (usec). */
#define LOOP_TURN_USEC 200

/* New base, precise monotonic timers, LOOP_NPRIO priorities, turns of at
 * most LOOP_TURN_USEC below URGENT; libevent's own logging routed to
 * log_msg. NULL on failure. */
struct event_base *loop_new(void);

/* Monotonic time now, in microseconds (CLOCK_MONOTONIC). */
uint64_t loop_now_usec(void);
/* The calling thread's CPU time (usec); 0 if it cannot be read. */
uint64_t loop_thread_cpu_usec(void);

/* Microseconds -> struct timeval. */
struct timeval loop_tv(uint64_t usec);

/* One-shot or repeating timer owned by the caller. */
struct loop_timer;
typedef void loop_timer_fn(struct loop_timer *t, void *arg);
struct loop_timer *loop_timer_new(struct event_base *base, loop_timer_fn *fn,
    void *arg);
/* (Re)arm after usec; if repeat, again every usec from the scheduled time. */
int loop_timer_start(struct loop_timer *t, uint64_t usec, int repeat);
void loop_timer_stop(struct loop_timer *t);
/* Give t one of the LOOP_PRIO_* priorities; 0, or -1. */
int loop_timer_set_priority(struct loop_timer *t, int prio);
int loop_timer_pending(const struct loop_timer *t);
/* Monotonic usec of the next scheduled firing (inside a repeating timer's
 * callback: the one after this firing); 0 if not armed. */
uint64_t loop_timer_due(const struct loop_timer *t);
/* In t's callback: the time it was due to fire this time (a repeating
 * timer that fell whole periods behind: the first of them), monotonic
 * usec; 0 before its first firing. */
uint64_t loop_timer_fired(const struct loop_timer *t);
void loop_timer_free(struct loop_timer *t);

#endif

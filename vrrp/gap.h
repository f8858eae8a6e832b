/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Where in the VRRP child's schedule a piece of work that cannot be cut
 * (a reload's decoding, building and applying, a snapshot of every
 * instance) fits: the advert and master down timers are deadlines, and
 * work started just before one makes that advert late by its whole
 * length. Given the deadlines (each once or every interval), the work
 * starts now if it fits before the first, else just after the deadline
 * that opens the first gap long enough within a bounded horizon, else
 * after the one opening the longest gap.
 */
#ifndef VIGIL_VRRP_GAP_H
#define VIGIL_VRRP_GAP_H

#include <stddef.h>
#include <stdint.h>

/* How long after a deadline the work starts (usec): the timer due then
 * has run first. */
#define VRRP_GAP_AFTER_USEC 200
/* Of one repeating deadline, at most this many firings are looked at. */
#define VRRP_GAP_MAX_REPEAT 64

struct vrrp_gap_due {
	uint64_t at;		/* monotonic usec */
	uint64_t every;		/* again every this many usec; 0: once */
};

/*
 * How long from now (usec, at most horizon) work of need usec should wait
 * to run between the deadlines d[0..n-1]. 0: now. Out of memory: 0.
 */
uint64_t vrrp_gap_wait(const struct vrrp_gap_due *d, size_t n, uint64_t now,
    uint64_t need, uint64_t horizon);

/*
 * Under vrrp_rt_priority, RLIMIT_RTTIME's soft limit (vrrp_rlimit_rttime)
 * counts the time the child runs without blocking; the kernel signals at
 * the limit, never before. Before a piece of work of cost usec, the child
 * having run used usec since it last blocked: 1 if it should block first
 * (a short sleep, VRRP_RT_PAUSE_USEC), because the two together would
 * pass half the limit (limit usec); 0 to run now. A child that blocked
 * no more than VRRP_RT_FRESH_USEC ago runs: blocking again gains
 * nothing, and a piece longer than the limit cannot be helped.
 */
#define VRRP_RT_PAUSE_USEC 100
#define VRRP_RT_FRESH_USEC 100
int vrrp_gap_rt_block(uint64_t used, uint64_t cost, uint64_t limit);

#endif

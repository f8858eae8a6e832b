/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A child at a realtime priority with RLIMIT_RTTIME, as keepalived runs
 * its processes under vrrp_rt_priority / checker_rt_priority and
 * vrrp_rlimit_rttime / checker_rlimit_rttime: SCHED_RR at the priority,
 * RLIMIT_RTTIME's soft limit at the rttime (10 ms when unset). At the
 * soft limit (SIGXCPU) the child goes back to normal scheduling instead
 * of being killed at the hard one, says so, and takes its realtime
 * priority again a second later. One child, one realtime setting: the
 * state is the process's.
 */
#ifndef VIGIL_PROC_RT_H
#define VIGIL_PROC_RT_H

#include <stdint.h>

struct event_base;

/* Realtime priority prio (1-99) with RLIMIT_RTTIME rttime usec (0: 10
 * ms), for the keywords WHO_rt_priority / WHO_rlimit_rttime ("vrrp",
 * "checker") of the child named child ("VRRP", "health-check") in the
 * log. The timer that takes the priority back runs on base. Failures are
 * logged, never fatal. */
void proc_rt_apply(struct event_base *base, const char *who,
    const char *child, int prio, unsigned rttime);
/* Move to priority prio (max_auto_priority's step up): applied as
 * proc_rt_apply with rttime when the child was not realtime yet. */
void proc_rt_raise(struct event_base *base, const char *who,
    const char *child, int prio, unsigned rttime);
/* The priority asked (0: none), whether taken */
int proc_rt_prio(void);
int proc_rt_taken(void);
/* RLIMIT_RTTIME's soft limit (usec) it keeps */
uint64_t proc_rt_limit(void);
/* At its realtime priority now, RLIMIT_RTTIME counting */
int proc_rt_counting(void);
/* While counting: the CPU time (usec) the child has run since it last
 * blocked, at most (its voluntary context switches tell), the soft
 * limit, and the count of switches now; 0. -1 when not counting. */
int proc_rt_look(uint64_t *used, uint64_t *limit, long *nvcsw);
/* The child blocked on its own (a nanosleep): the count starts again. */
void proc_rt_slept(void);
/* "yes", "not taken", "normal scheduling for a second" */
const char *proc_rt_state(void);
/* max_auto_priority with min_auto_priority_delay, as keepalived raises
 * each of its children: a timer of the child run at least min_delay
 * late takes it to realtime priority 1 (under RLIMIT_RTTIME rttime, as
 * proc_rt_apply), and each further one up by one, to max (0: off). A
 * child already at max or above (WHO_rt_priority) stays; one dropped for
 * a second at RLIMIT_RTTIME is not raised meanwhile. */
struct proc_rt_auto {
	const char *who, *child;	/* as proc_rt_apply's */
	int max;
	uint64_t min_delay;		/* usec */
	unsigned rttime;
};
/* A timer ran late usec; what names it in the log ("an advert"). */
void proc_rt_late(struct event_base *base, const struct proc_rt_auto *a,
    const char *what, uint64_t late);
/* max_auto_priority is max now (a reload; 0 or less: off): a child
 * raised past it goes back to it, or to WHO_rt_priority's when that is
 * higher, or with neither to normal scheduling (SCHED_OTHER at its nice,
 * RLIMIT_RTTIME as before), as if started so. Logged. */
void proc_rt_auto_max(int max);
/* The timer freed (the child stops) */
void proc_rt_stop(void);

#endif

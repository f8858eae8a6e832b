/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The BFD child's realtime scheduling (bfd_rt_priority, bfd_rlimit_rttime). */
#ifndef VIGIL_BFD_SCHED_H
#define VIGIL_BFD_SCHED_H

struct event_base;

/* SCHED_RR at prio (0: nothing), RLIMIT_RTTIME at rttime usec (0:
 * keepalived's 10000); logged, never fatal. */
void bfd_sched_rt(struct event_base *base, int prio, unsigned rttime);
void bfd_sched_stop(void);

#endif
